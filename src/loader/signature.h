/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KMODFS_LOADER_SIGNATURE_H
#define KMODFS_LOADER_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* module.sig_enforce: refuse modules without a valid signature */
extern bool sig_enforce;

/*
 * Verify a detached PKCS#7 signature over data against the trusted
 * keyring (pkcs7.c).  0, or -EBADMSG (malformed), -ENOPKG (unsupported
 * algorithm), -ENOKEY (no trusted key), -EKEYREJECTED (does not verify).
 */
int verify_pkcs7_signature(const uint8_t *data, size_t len,
			   const uint8_t *sig, size_t sig_len);

#endif
