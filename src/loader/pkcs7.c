// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PKCS#7 module signatures with OpenSSL.  The message must parse (else
 * EBADMSG) and be detached signed data, as Linux's PKCS#7 parser wants;
 * a signature can only be trusted through a key in the keyring, and
 * kmodfs has no trusted keys until one is configured, so a well-formed
 * signature verifies as "unavailable key" (-ENOKEY).
 */
#include <errno.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include "kernel/printk.h"
#include "loader/signature.h"

int verify_pkcs7_signature(const uint8_t *data, size_t len,
			   const uint8_t *sig, size_t sig_len)
{
	const unsigned char *p = sig;
	PKCS7 *p7;
	int err = -ENOKEY;

	(void)data;
	(void)len;
	p7 = d2i_PKCS7(NULL, &p, (long)sig_len);
	if (!p7 || p != sig + sig_len)
		err = -EBADMSG;
	else if (!PKCS7_type_is_signed(p7))
		err = -EBADMSG;
	else if (!PKCS7_get_detached(p7)) {
		pr_warn("PKCS#7 signature with non-detached data\n");
		err = -EBADMSG;
	}
	PKCS7_free(p7);
	return err;
}
