/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The body of the decompressor targets (fuzz_gzip.c, fuzz_xz.c,
 * fuzz_zstd.c): each defines FORMAT_MAGIC, the bytes its format starts
 * with, and includes this.  The input is the stream after the magic, so
 * every input reaches that decoder through module_decompress() exactly
 * as a compressed .ko does.
 *
 * module_max_size is lowered to 2 MiB here (from 1 GiB) so that bombs
 * hit the limit in milliseconds; the limit's code is the same.
 *
 * A stream may ask for a dictionary or window of up to 1.5 GiB (xz) or
 * 2 GiB (zstd), which kmodfs allows by design: the decoder allocates it
 * but touches only what the data uses, so it costs nothing in the daemon
 * -- but a second and hundreds of MB under AddressSanitizer.  A target
 * that defines SKIP_INPUT(in, len) leaves such inputs out.
 *
 * Checked beyond the sanitizers: the result is 1 with a buffer of at most
 * module_max_size bytes (every byte of which is read), or -EINVAL, -EFBIG
 * or -ENOMEM with nothing returned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "loader/decompress.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t magic[] = FORMAT_MAGIC;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_boot(0);
	module_max_size = 2u << 20;
	return 0;
}

static void fail(const char *what, int err)
{
	fprintf(stderr, "kmodfs-fuzz: module_decompress: %s (%d)\n", what, err);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = sizeof(magic) + size, out_len = 0;
	uint8_t *in = fuzz_dup(magic, sizeof(magic), size);
	uint8_t *out = NULL, sum = 0;
	int err;

	memcpy(in + sizeof(magic), data, size);
#ifdef SKIP_INPUT
	if (SKIP_INPUT(in, len)) {
		free(in);
		return 0;
	}
#endif
	fuzz_begin();
	err = module_decompress(in, len, &out, &out_len);
	if (err == 1) {
		if (!out || out_len > module_max_size)
			fail("bad output buffer", err);
		for (size_t i = 0; i < out_len; i++)
			sum ^= out[i];
		__asm__ volatile("" : : "r"(sum));
	} else if (err == 0) {
		fail("a stream with the magic was taken as uncompressed", err);
	} else if (err != -EINVAL && err != -EFBIG && err != -ENOMEM) {
		fuzz_check_errno(err);
		fail("unexpected error", err);
	} else if (out) {
		fail("an output buffer on error", err);
	}
	fuzz_end(err, 0);
	free(out);
	free(in);
	return 0;
}
