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

#endif
