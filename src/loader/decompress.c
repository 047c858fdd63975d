// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decompression (see decompress.h): detect the format by its magic bytes,
 * hand the image to that format's decoder (decompress_gzip.c,
 * decompress_xz.c, decompress_zstd.c), and keep the output buffer that
 * all of them share within module_max_size.
 *
 * Linux 6.1 builds in at most one of gzip or xz, and its xz decoder
 * accepts only the CRC32 and NONE checks; kmodfs takes all three formats
 * with full decoders (zlib, liblzma, libzstd).  As in Linux, decoding
 * stops at the end of the first stream and anything after it is ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/decompress.h"
#include "loader/decompress_internal.h"

size_t module_max_size = 1ul << 30;

/* The first buffer is at least this big (or the limit, if smaller). */
#define DECOMP_MIN_CAP (64u * 1024)

int decomp_too_big(void)
{
	pr_err("module: decompressed size exceeds %zu bytes\n", module_max_size);
	return -EFBIG;
}

int decomp_failed(long status, const char *lib, const char *reason)
{
	pr_err("module: decompression failed with status %ld (%s: %s)\n", status,
	       lib, reason);
	return -EINVAL;
}

int decomp_buf_init(struct decomp_buf *b, size_t estimate)
{
	size_t max = module_max_size;

	b->limit = max == SIZE_MAX ? max : max + 1;
	b->len = 0;
	b->cap = estimate < DECOMP_MIN_CAP ? DECOMP_MIN_CAP : estimate;
	if (b->cap > b->limit)
		b->cap = b->limit;
	b->data = malloc(b->cap);
	return b->data ? 0 : -ENOMEM;
}

int decomp_buf_grow(struct decomp_buf *b)
{
	size_t cap;
	uint8_t *p;

	if (b->cap >= b->limit)
		return decomp_too_big();
	cap = b->cap > b->limit / 2 ? b->limit : b->cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int decomp_buf_check(const struct decomp_buf *b)
{
	return b->len > b->limit - 1 ? decomp_too_big() : 0;
}

static const struct codec {
	const char *name;
	uint8_t magic[6];
	size_t magic_len;
	int (*decompress)(const uint8_t *in, size_t len, struct decomp_buf *out);
} codecs[] = {
	{ "gzip", { 0x1f, 0x8b }, 2, decompress_gzip },
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6, decompress_xz },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4, decompress_zstd },
};

int module_decompress(const uint8_t *data, size_t len, uint8_t **out,
		      size_t *out_len)
{
	for (size_t i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++) {
		const struct codec *c = &codecs[i];
		struct decomp_buf b = { 0 };
		int err;

		if (len < c->magic_len || memcmp(data, c->magic, c->magic_len))
			continue;
		err = c->decompress(data, len, &b);
		if (!err)
			err = decomp_buf_check(&b);
		if (err) {
			free(b.data);
			return err;
		}
		*out = b.data;
		*out_len = b.len;
		return 1;
	}
	return 0;
}
