// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/hexdump.c for modules: the hex digit tables the headers' inline
 * hex_asc_lo()/hex_byte_pack() index, hex <-> binary conversion, and
 * the hex dump line format of hex_dump_to_buffer() and print_hex_dump().
 *
 * A dump line is one row of 16 or 32 bytes: groups of 1, 2, 4 or 8
 * bytes, each printed as one native-endian (little-endian) number of
 * 2 * groupsize hex digits, separated by single spaces; with the ASCII
 * column, spaces pad the hex part to the column where a full row's hex
 * part would end plus two, then each byte prints as itself if it is
 * printable ASCII, else '.'.  A row whose length is not a multiple of
 * the group size is printed in single bytes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/printk.h"

static const char hex_asc[] = "0123456789abcdef";
KEXPORT(hex_asc);
static const char hex_asc_upper[] = "0123456789ABCDEF";
KEXPORT(hex_asc_upper);

/* The value of one hex digit (either case), or -1. */
KAPI static int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;	/* ASCII lower case; maps nothing else into a-f */
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}
KEXPORT(hex_to_bin);

/* count bytes from 2 * count hex digits; -EINVAL at the first bad one
 * (the bytes before it are stored). */
KAPI static int hex2bin(uint8_t *dst, const char *src, size_t count)
{
	while (count--) {
		int hi, lo;

		hi = hex_to_bin((unsigned char)*src++);
		if (hi < 0)
			return -EINVAL;
		lo = hex_to_bin((unsigned char)*src++);
		if (lo < 0)
			return -EINVAL;
		*dst++ = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
KEXPORT(hex2bin);

/* Lower-case hex of count bytes, not terminated; returns the end. */
KAPI static char *bin2hex(char *dst, const void *src, size_t count)
{
	const uint8_t *p = src;

	while (count--) {
		*dst++ = hex_asc[*p >> 4];
		*dst++ = hex_asc[*p & 0xf];
		p++;
	}
	return dst;
}
KEXPORT(bin2hex);

static bool printable_ascii(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

static uint64_t load_group(const uint8_t *p, int groupsize)
{
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	switch (groupsize) {
	case 8:
		memcpy(&v8, p, 8);
		return v8;
	case 4:
		memcpy(&v4, p, 4);
		return v4;
	default:
		memcpy(&v2, p, 2);
		return v2;
	}
}

/*
 * One dump line of at most rowsize bytes into linebuf.  Returns the
 * line's length; if linebuflen is too small, the length the whole line
 * needs, with as much of it stored (terminated) as fits.  Room is
 * checked as Linux checks it: each single character needs room for
 * itself and one more (the last byte's hex digits are followed by a
 * space that is then taken back), and a group is cut off by snprintf().
 */
KAPI static int hex_dump_to_buffer(const void *buf, size_t len, int rowsize, int groupsize,
				   char *linebuf, size_t linebuflen, bool ascii)
{
	const uint8_t *p = buf;
	size_t lx = 0, ngroups, ascii_column;
	int needed;

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	if (len > (size_t)rowsize)
		len = (size_t)rowsize;
	if (groupsize < 1 || groupsize > 8 || (groupsize & (groupsize - 1)))
		groupsize = 1;
	if (len % (size_t)groupsize)
		groupsize = 1;
	ngroups = len / (size_t)groupsize;
	ascii_column = (size_t)(rowsize * 2 + rowsize / groupsize + 1);
	needed = ascii ? (int)(ascii_column + len)
		       : (groupsize * 2 + 1) * (int)ngroups - 1;

	if (!linebuflen)
		return needed;
	if (!len) {
		linebuf[0] = '\0';
		return 0;
	}

/* Store one character if there is room for it and one more. */
#define PUT(c)                                                                 \
	do {                                                                   \
		if (linebuflen < lx + 2) {                                     \
			linebuf[lx] = '\0';                                    \
			return needed;                                         \
		}                                                              \
		linebuf[lx++] = (c);                                           \
	} while (0)

	if (groupsize == 1) {
		for (size_t j = 0; j < len; j++) {
			PUT(hex_asc[p[j] >> 4]);
			PUT(hex_asc[p[j] & 0xf]);
			PUT(' ');
		}
		lx--;	/* no space after the last byte */
	} else {
		for (size_t j = 0; j < ngroups; j++) {
			int n = snprintf(linebuf + lx, linebuflen - lx, "%s%0*llx",
					 j ? " " : "", groupsize * 2,
					 (unsigned long long)load_group(p + j * (size_t)groupsize,
									groupsize));

			if (n < 0 || (size_t)n >= linebuflen - lx)
				return needed;
			lx += (size_t)n;
		}
	}
	if (ascii) {
		while (lx < ascii_column)
			PUT(' ');
		for (size_t j = 0; j < len; j++)
			PUT(printable_ascii(p[j]) ? (char)p[j] : '.');
	}
#undef PUT
	linebuf[lx] = '\0';
	return (int)lx;
}
KEXPORT(hex_dump_to_buffer);

enum { DUMP_PREFIX_NONE, DUMP_PREFIX_ADDRESS, DUMP_PREFIX_OFFSET };

/* Every row of buf through printk at level, each prefixed with
 * prefix_str and then the row's address (%p), its offset in buf (8 hex
 * digits), or nothing. */
KAPI static void print_hex_dump(const char *level, const char *prefix_str, int prefix_type,
				int rowsize, int groupsize, const void *buf, size_t len,
				bool ascii)
{
	const uint8_t *p = buf;
	char line[32 * 3 + 2 + 32 + 1];

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	for (size_t off = 0; off < len; off += (size_t)rowsize) {
		size_t n = len - off < (size_t)rowsize ? len - off : (size_t)rowsize;

		hex_dump_to_buffer(p + off, n, rowsize, groupsize, line, sizeof(line), ascii);
		switch (prefix_type) {
		case DUMP_PREFIX_ADDRESS:
			printk("%s%s%p: %s\n", level, prefix_str, p + off, line);
			break;
		case DUMP_PREFIX_OFFSET:
			printk("%s%s%.8x: %s\n", level, prefix_str, (unsigned int)off, line);
			break;
		default:
			printk("%s%s%s\n", level, prefix_str, line);
			break;
		}
	}
}
KEXPORT(print_hex_dump);
