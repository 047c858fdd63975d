/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stage 0: decompression.  An image starting with the gzip, xz or zstd
 * magic is decompressed (detected by content, not by name) into a buffer
 * the rest of the pipeline uses in its place.
 */
#ifndef KMODFS_LOADER_DECOMPRESS_H
#define KMODFS_LOADER_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

/* Largest decompressed module accepted (a bound against bombs). */
extern size_t module_max_size;

/*
 * If data is compressed, decompress it into a new malloc'd buffer
 * (*out, *out_len; the caller frees it) and return 1; return 0 when data
 * is not compressed (nothing allocated); -EINVAL for a corrupt or
 * truncated stream (logged with the decoder's reason), -EFBIG past
 * module_max_size, -ENOMEM.
 */
int module_decompress(const uint8_t *data, size_t len, uint8_t **out,
		      size_t *out_len);

#endif
