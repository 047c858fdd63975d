// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/crc32.c for modules: CRC-32 (IEEE 802.3) in its bit-reflected
 * (crc32_le) and MSB-first (crc32_be) forms, CRC-32C (Castagnoli,
 * __crc32c_le), and the "shift" that makes crc32_le_combine() work.
 *
 * As in Linux, the functions neither invert the seed nor the result:
 * the standard CRC-32 of a buffer is crc32_le(~0, p, n) ^ ~0.  One
 * 256-entry table per polynomial, built before main().
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/export.h"

#define POLY_LE 0xedb88320u	/* 0x04c11db7 bit-reversed */
#define POLY_BE 0x04c11db7u
#define POLY_C 0x82f63b78u	/* 0x1edc6f41 bit-reversed */

static uint32_t table_le[256], table_be[256], table_c[256];

/* Entry b: the CRC of byte b alone, from a zero register. */
__attribute__((constructor)) static void crc32_tables_init(void)
{
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t le = b, c = b, be = b << 24;

		for (int i = 0; i < 8; i++) {
			le = (le >> 1) ^ (le & 1 ? POLY_LE : 0);
			c = (c >> 1) ^ (c & 1 ? POLY_C : 0);
			be = (be << 1) ^ (be & 0x80000000u ? POLY_BE : 0);
		}
		table_le[b] = le;
		table_c[b] = c;
		table_be[b] = be;
	}
}

static uint32_t crc_reflected(const uint32_t *table, uint32_t crc, const unsigned char *p,
			      size_t len)
{
	while (len--)
		crc = (crc >> 8) ^ table[(crc ^ *p++) & 0xff];
	return crc;
}

KAPI static uint32_t crc32_le(uint32_t crc, const unsigned char *p, size_t len)
{
	return crc_reflected(table_le, crc, p, len);
}
KEXPORT(crc32_le);

KAPI static uint32_t __crc32c_le(uint32_t crc, const unsigned char *p, size_t len)
{
	return crc_reflected(table_c, crc, p, len);
}
KEXPORT(__crc32c_le);

KAPI static uint32_t crc32_be(uint32_t crc, const unsigned char *p, size_t len)
{
	while (len--)
		crc = (crc << 8) ^ table_be[(crc >> 24) ^ *p++];
	return crc;
}
KEXPORT(crc32_be);

/*
 * In the reflected form a CRC register is a polynomial of degree < 32
 * with the coefficient of x^(31 - i) in bit i.  Multiplying by x is a
 * right shift, reduced by the polynomial when x^32 appears.
 */
static uint32_t times_x(uint32_t a, uint32_t poly)
{
	return (a >> 1) ^ (a & 1 ? poly : 0);
}

/* a * b modulo the polynomial, Horner-style from b's x^31 term down. */
static uint32_t gf2_mul(uint32_t a, uint32_t b, uint32_t poly)
{
	uint32_t r = 0;

	for (int i = 0; i < 32; i++) {
		r = times_x(r, poly);
		if (b & (1u << i))
			r ^= a;
	}
	return r;
}

/* crc * x^(8 * len): the same as running len zero bytes through the
 * register, in O(log len). */
static uint32_t crc_shift(uint32_t crc, size_t len, uint32_t poly)
{
	uint32_t power = 1u << (31 - 8);	/* x^8 */

	while (len) {
		if (len & 1)
			crc = gf2_mul(crc, power, poly);
		len >>= 1;
		if (len)
			power = gf2_mul(power, power, poly);
	}
	return crc;
}

KAPI static uint32_t crc32_le_shift(uint32_t crc, size_t len)
{
	return crc_shift(crc, len, POLY_LE);
}
KEXPORT(crc32_le_shift);

KAPI static uint32_t __crc32c_le_shift(uint32_t crc, size_t len)
{
	return crc_shift(crc, len, POLY_C);
}
KEXPORT(__crc32c_le_shift);
