// SPDX-License-Identifier: GPL-2.0-or-later
/* Target: module_decompress() on zstd streams (see decompress_target.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZSTD_STATIC_LINKING_ONLY	/* ZSTD_getFrameHeader */
#include <zstd.h>

/* Windows over 64 MiB: allocated, never touched (decompress_target.h). */
static bool big_window(const uint8_t *in, size_t len)
{
	ZSTD_frameHeader h;

	return ZSTD_getFrameHeader(&h, in, len) == 0 && h.windowSize > (64u << 20);
}

#define SKIP_INPUT big_window
#define FORMAT_MAGIC { 0x28, 0xb5, 0x2f, 0xfd }
#include "decompress_target.h"
