// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target: the appended-signature trailer and the PKCS#7 path as a load
 * meets them.  A fixed, valid module image (hello.ko of the fuzz build)
 * gets the input appended as its signature, and the result goes through
 * link_module(): module_sig_check() is the first stage of load_module()
 * and link_module() alike, and a signature that verifies is followed by
 * the rest of the pipeline up to (not including) init.  (load_module()
 * itself would run the module's init and register it on every valid
 * input; link_module() runs the same stages before that.)
 *
 * Input: one control byte, then the payload.
 *   bit 0  sig_enforce on for this input
 *   bit 1  raw: image = module + payload (the payload brings its own
 *          struct module_signature and "~Module signature appended~\n",
 *          or not); otherwise image = module + payload + a well-formed
 *          struct module_signature (PKCS#7, sig_len = payload size) +
 *          the marker, so every payload reaches the PKCS#7 parser.
 *   bit 2  MODULE_INIT_IGNORE_VERMAGIC (a "mangled" module: the
 *          signature must then be ignored)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "loader/module.h"
#include "loader/signature.h"

#define MARKER "~Module signature appended~\n"
#define MARKER_LEN (sizeof(MARKER) - 1)

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
	uint8_t ctl, ms[12] = { 0, 0, 2 };	/* algo, hash, id_type = PKCS#7 */
	bool raw, rejected;
	uint8_t *im;
	size_t len;
	uint32_t be;
	int err;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	size--;
	raw = ctl & 2;

	/* exactly the image's size: nothing may be read past its end */
	len = body.len + size + (raw ? 0 : sizeof(ms) + MARKER_LEN);
	im = fuzz_dup(body.data, body.len, len - body.len);
	memcpy(im + body.len, data, size);
	if (!raw) {
		be = htonl((uint32_t)size);
		memcpy(ms + 8, &be, 4);
		memcpy(im + body.len + size, ms, sizeof(ms));
		memcpy(im + body.len + size + sizeof(ms), MARKER, MARKER_LEN);
	}
	/* enforcing, a module without the marker or with its versions
	 * stripped counts as unsigned and is refused before anything else */
	rejected = (ctl & 1) && ((ctl & 4) || len <= MARKER_LEN ||
				 memcmp(im + len - MARKER_LEN, MARKER, MARKER_LEN));

	sig_enforce = ctl & 1;
	fuzz_begin();
	err = link_module(im, len, ctl & 4 ? MODULE_INIT_IGNORE_VERMAGIC : 0,
			  LINK_PLACEHOLDERS);
	sig_enforce = false;
	fuzz_check_errno(err);
	if (rejected && err != -EKEYREJECTED) {
		fprintf(stderr, "kmodfs-fuzz: unsigned module accepted under sig_enforce (%d)\n",
			err);
		abort();
	}
	fuzz_end(err, 0);
	free(im);
	return 0;
}
