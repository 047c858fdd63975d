/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by decompress.c and the per-format decoders decompress_*.c:
 * the growing output buffer and the common error reports.
 *
 * A decoder streams into one buffer that starts at a size estimate and
 * doubles as needed, never past module_max_size + 1 bytes: reaching that
 * last byte proves the image is too big, so an image of exactly
 * module_max_size bytes is still accepted.
 */
#ifndef KMODFS_LOADER_DECOMPRESS_INTERNAL_H
#define KMODFS_LOADER_DECOMPRESS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct decomp_buf {
	uint8_t *data;
	size_t len;	/* bytes produced so far */
	size_t cap;	/* bytes allocated */
	size_t limit;	/* module_max_size + 1: the most ever allocated */
};

/*
 * Allocate the first buffer: estimate bytes, clamped to [a floor, limit].
 * Returns 0 or -ENOMEM.
 */
int decomp_buf_init(struct decomp_buf *b, size_t estimate);

/* Free space at the end of the buffer. */
static inline uint8_t *decomp_buf_tail(const struct decomp_buf *b)
{
	return b->data + b->len;
}

static inline size_t decomp_buf_room(const struct decomp_buf *b)
{
	return b->cap - b->len;
}

/*
 * The buffer is full and the decoder has more to say: double it.
 * Returns 0, -ENOMEM, or -EFBIG (logged) when it already holds more than
 * module_max_size bytes.
 */
int decomp_buf_grow(struct decomp_buf *b);

/* The stream ended: -EFBIG (logged) if it produced too much, else 0. */
int decomp_buf_check(const struct decomp_buf *b);

/* Log and return -EFBIG. */
int decomp_too_big(void);

/*
 * Log "decompression failed with status S (LIB: REASON)" and return
 * -EINVAL.
 */
int decomp_failed(long status, const char *lib, const char *reason);

/* The decoders: fill out (initialised by them) from the whole input. */
int decompress_gzip(const uint8_t *in, size_t len, struct decomp_buf *out);
int decompress_xz(const uint8_t *in, size_t len, struct decomp_buf *out);
int decompress_zstd(const uint8_t *in, size_t len, struct decomp_buf *out);

#endif
