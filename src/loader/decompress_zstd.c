// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zstd with libzstd's streaming decoder, so frames that do not record
 * their content size (streamed compression, --no-content-size) work, and
 * any window size the format allows (up to 2 GiB, beyond the library's
 * default 128 MiB limit).  A recorded content size sizes the buffer
 * exactly (libzstd then decodes straight into it) and rejects a bomb
 * before anything is decoded.  Decoding stops at the end of the first
 * frame; anything after it is ignored.
 */
#include <errno.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "loader/decompress.h"
#include "loader/decompress_internal.h"

int decompress_zstd(const uint8_t *in, size_t len, struct decomp_buf *out)
{
	unsigned long long fcs = ZSTD_getFrameContentSize(in, len);
	ZSTD_inBuffer ib = { in, len, 0 };
	ZSTD_bounds wlog;
	ZSTD_DCtx *dctx;
	size_t estimate, r;
	int err;

	if (fcs == ZSTD_CONTENTSIZE_UNKNOWN || fcs == ZSTD_CONTENTSIZE_ERROR)
		estimate = len > SIZE_MAX / 4 ? SIZE_MAX : len * 4;
	else if (fcs > module_max_size)
		return decomp_too_big();
	else	/* a spare byte: the end of the frame is seen without a grow */
		estimate = (size_t)fcs + 1;

	err = decomp_buf_init(out, estimate);
	if (err)
		return err;
	dctx = ZSTD_createDCtx();
	if (!dctx)
		return -ENOMEM;
	wlog = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax);
	if (!ZSTD_isError(wlog.error))
		ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, wlog.upperBound);
	for (;;) {
		ZSTD_outBuffer ob;

		if (!decomp_buf_room(out)) {
			err = decomp_buf_grow(out);
			if (err)
				break;
		}
		ob.dst = decomp_buf_tail(out);
		ob.size = decomp_buf_room(out);
		ob.pos = 0;
		r = ZSTD_decompressStream(dctx, &ob, &ib);
		out->len += ob.pos;
		if (ZSTD_isError(r)) {
			/* zstd's error codes are returned as (size_t)-code */
			err = ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation
				      ? -ENOMEM
				      : decomp_failed(-(long)ZSTD_getErrorCode(r), "zstd",
						      ZSTD_getErrorName(r));
			break;
		}
		if (!r)		/* the frame is decoded, checked and flushed */
			break;
		/* it stops with room left only when it wants more input */
		if (ob.pos < ob.size && ib.pos == ib.size) {
			err = decomp_failed(-(long)ZSTD_error_srcSize_wrong, "zstd",
					    "unexpected end of input");
			break;
		}
	}
	ZSTD_freeDCtx(dctx);
	return err;
}
