// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gzip (RFC 1952) with zlib.  zlib parses the header itself (FEXTRA,
 * FNAME, FCOMMENT and FHCRC all work, unlike Linux 6.1's decoder, which
 * skips only FNAME) and checks the trailer's CRC32 and ISIZE.  Decoding
 * stops at the end of the first member; anything after it is ignored.
 */
#define ZLIB_CONST
#include <errno.h>
#include <limits.h>
#include <zlib.h>

#include "loader/decompress_internal.h"

/* Largest expansion deflate can encode: 258 bytes per 2 bits. */
#define DEFLATE_MAX_RATIO 1032u

/*
 * The trailer's ISIZE (length mod 2^32) is exact for a file that ends
 * with its member; trailing data makes it noise, so use it only when a
 * valid stream could have produced it.  One spare byte lets inflate reach
 * the end of the stream without a grow.
 */
static size_t gzip_estimate(const uint8_t *in, size_t len)
{
	uint32_t isize;

	if (len < 18)
		return 0;
	isize = (uint32_t)in[len - 4] | (uint32_t)in[len - 3] << 8 |
		(uint32_t)in[len - 2] << 16 | (uint32_t)in[len - 1] << 24;
	if (isize && isize / DEFLATE_MAX_RATIO <= len)
		return (size_t)isize + 1;
	return len > SIZE_MAX / 4 ? SIZE_MAX : len * 4;
}

int decompress_gzip(const uint8_t *in, size_t len, struct decomp_buf *out)
{
	z_stream s = { 0 };
	size_t in_left = len;	/* input not yet handed to zlib */
	int ret, err;

	err = decomp_buf_init(out, gzip_estimate(in, len));
	if (err)
		return err;
	ret = inflateInit2(&s, 16 + MAX_WBITS);	/* gzip wrapper only */
	if (ret != Z_OK)
		return ret == Z_MEM_ERROR ? -ENOMEM
					  : decomp_failed(ret, "zlib", zError(ret));
	s.next_in = in;
	for (;;) {
		uInt room;

		/* avail_in and avail_out are 32-bit: feed big buffers in pieces */
		if (!s.avail_in && in_left) {
			s.avail_in = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
			in_left -= s.avail_in;
		}
		if (!decomp_buf_room(out)) {
			err = decomp_buf_grow(out);
			if (err)
				break;
		}
		room = decomp_buf_room(out) > UINT_MAX ? UINT_MAX
						       : (uInt)decomp_buf_room(out);
		s.next_out = decomp_buf_tail(out);
		s.avail_out = room;
		ret = inflate(&s, Z_NO_FLUSH);
		out->len += room - s.avail_out;
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_MEM_ERROR) {
			err = -ENOMEM;
			break;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR) {
			err = decomp_failed(ret, "zlib", s.msg ? s.msg : zError(ret));
			break;
		}
		/* inflate stops with room left only when it wants more input */
		if (s.avail_out && !s.avail_in && !in_left) {
			err = decomp_failed(Z_BUF_ERROR, "zlib", "unexpected end of input");
			break;
		}
	}
	inflateEnd(&s);
	return err;
}
