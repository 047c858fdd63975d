// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target: verify_pkcs7_signature() on the input as the detached PKCS#7
 * (CMS) blob, over a fixed module image (hello.ko of the fuzz build), with
 * the fuzz signing key (fuzz_key.c) trusted.  The seeds are signatures of
 * that image made with openssl cms and sign-file (fuzz/make-corpus.sh),
 * so the parser, the message's own checks, the digest, the certificate
 * chain and the keyring lookup are all reached.
 */
#include "fuzz_common.h"
#include "loader/signature.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_image body;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_boot(1);
	body = fuzz_base_module("hello.ko");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int err;

	fuzz_begin();
	err = verify_pkcs7_signature(body.data, body.len, data, size);
	fuzz_check_errno(err);
	fuzz_end(err, 0);
	return 0;
}
