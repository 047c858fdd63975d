/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fuzzers' fixed module-signing key and its certificate (fuzz_key.c). */
#ifndef KMODFS_FUZZ_KEY_H
#define KMODFS_FUZZ_KEY_H

#include <openssl/evp.h>
#include <openssl/x509.h>

/* The fixed ECDSA P-256 key (EVP_PKEY_free it), or NULL. */
EVP_PKEY *fuzz_signing_key(void);
/* A self-signed certificate for it with fixed names, serial and key id. */
X509 *fuzz_signing_cert(EVP_PKEY *pkey);
/* PEM files for openssl(1) and sign-file; 0 or -1. */
int fuzz_write_cert_pem(const char *path, X509 *x);
int fuzz_write_key_pem(const char *path, EVP_PKEY *pkey);

#endif
