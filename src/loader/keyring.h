/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The trusted keyring for module signatures (--keyring): X.509
 * certificates from a DER or PEM file (a PEM file may hold several) or
 * from every such file in a directory.
 */
#ifndef KMODFS_LOADER_KEYRING_H
#define KMODFS_LOADER_KEYRING_H

/* Add the certificates at path; 0 or -errno (logged). */
int keyring_load(const char *path);

/* How many trusted certificates there are. */
unsigned int keyring_count(void);

/*
 * For pkcs7.c: the trusted certificate with this issuer name and serial
 * number (both given), or with this subject key identifier (skid only),
 * or with all three (Linux's find_asymmetric_key() with two ids).  A new
 * reference (X509_free it), or NULL.  OpenSSL types by their tags, so
 * that this header does not pull in OpenSSL.
 */
struct x509_st;
struct X509_name_st;
struct asn1_string_st;
struct x509_st *keyring_find(const struct X509_name_st *issuer,
			     const struct asn1_string_st *serial,
			     const struct asn1_string_st *skid);

#endif
