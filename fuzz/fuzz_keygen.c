// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodfs-fuzz-key DIR: write the fuzzers' signing key and certificate
 * (fuzz_key.c) as DIR/key.pem and DIR/cert.pem, for fuzz/make-corpus.sh
 * to sign seeds with openssl cms and sign-file.
 */
#include <stdio.h>

#include "fuzz_key.h"

int main(int argc, char **argv)
{
	char key[4096], cert[4096];
	EVP_PKEY *pkey;
	X509 *x;

	if (argc != 2) {
		fprintf(stderr, "usage: kmodfs-fuzz-key DIR\n");
		return 2;
	}
	snprintf(key, sizeof(key), "%s/key.pem", argv[1]);
	snprintf(cert, sizeof(cert), "%s/cert.pem", argv[1]);
	pkey = fuzz_signing_key();
	x = pkey ? fuzz_signing_cert(pkey) : NULL;
	if (!x || fuzz_write_key_pem(key, pkey) || fuzz_write_cert_pem(cert, x)) {
		fprintf(stderr, "kmodfs-fuzz-key: cannot write %s and %s\n", key, cert);
		return 1;
	}
	X509_free(x);
	EVP_PKEY_free(pkey);
	return 0;
}
