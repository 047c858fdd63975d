// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xz with liblzma's .xz stream decoder: every check type (NONE, CRC32,
 * CRC64, SHA-256), every filter chain liblzma knows (LZMA2, BCJ for all
 * architectures, delta) and any dictionary size (no memory limit; the
 * dictionary is allocated, not touched, beyond what the data uses).
 * Like Linux, decoding stops at the end of the first stream (no
 * LZMA_CONCATENATED), so stream padding or anything else after it is
 * ignored.
 */
#include <errno.h>
#include <lzma.h>

#include "kernel/printk.h"
#include "loader/decompress_internal.h"

/* The reasons in xz(1)'s words. */
static const char *lzma_reason(lzma_ret ret)
{
	switch (ret) {
	case LZMA_FORMAT_ERROR:
		return "file format not recognized";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options";
	case LZMA_DATA_ERROR:
		return "compressed data is corrupt";
	case LZMA_BUF_ERROR:
		return "unexpected end of input";
	case LZMA_MEMLIMIT_ERROR:
		return "memory usage limit reached";
	default:
		return "internal error (bug)";
	}
}

int decompress_xz(const uint8_t *in, size_t len, struct decomp_buf *out)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret ret;
	int err;

	err = decomp_buf_init(out, len > SIZE_MAX / 4 ? SIZE_MAX : len * 4);
	if (err)
		return err;
	ret = lzma_stream_decoder(&s, UINT64_MAX, LZMA_TELL_UNSUPPORTED_CHECK);
	if (ret != LZMA_OK)
		return ret == LZMA_MEM_ERROR ? -ENOMEM
					     : decomp_failed(ret, "xz", lzma_reason(ret));
	s.next_in = in;
	s.avail_in = len;
	for (;;) {
		size_t room;

		if (!decomp_buf_room(out)) {
			err = decomp_buf_grow(out);
			if (err)
				break;
		}
		room = decomp_buf_room(out);
		s.next_out = decomp_buf_tail(out);
		s.avail_out = room;
		/*
		 * All input is there: LZMA_FINISH.  A truncated stream then
		 * ends in LZMA_BUF_ERROR (liblzma never loops without progress).
		 */
		ret = lzma_code(&s, LZMA_FINISH);
		out->len += room - s.avail_out;
		if (ret == LZMA_OK)
			continue;
		if (ret == LZMA_STREAM_END)
			break;
		if (ret == LZMA_UNSUPPORTED_CHECK) {
			/* a check ID this liblzma cannot compute: decode anyway */
			pr_warn("module: xz: unsupported type of integrity check (%d); not verifying\n",
				(int)lzma_get_check(&s));
			continue;
		}
		err = ret == LZMA_MEM_ERROR ? -ENOMEM
					    : decomp_failed(ret, "xz", lzma_reason(ret));
		break;
	}
	lzma_end(&s);
	return err;
}
