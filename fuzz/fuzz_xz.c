// SPDX-License-Identifier: GPL-2.0-or-later
/* Target: module_decompress() on xz streams (see decompress_target.h). */
#include <lzma.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Dictionaries over 64 MiB: allocated, never touched
 * (decompress_target.h).  liblzma with a 64 MiB memory limit tells,
 * decoding the stream as far as 2 MiB of output.
 */
static bool big_dict(const uint8_t *in, size_t len)
{
	static uint8_t out[2u << 20];
	uint64_t memlimit = 64u << 20;
	size_t in_pos = 0, out_pos = 0;

	return lzma_stream_buffer_decode(&memlimit, LZMA_IGNORE_CHECK, NULL, in, &in_pos, len,
					 out, &out_pos, sizeof(out)) == LZMA_MEMLIMIT_ERROR;
}

#define SKIP_INPUT big_dict
#define FORMAT_MAGIC { 0xfd, '7', 'z', 'X', 'Z', 0x00 }
#include "decompress_target.h"
