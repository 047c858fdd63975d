// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/math for modules: greatest common divisor, least common multiple,
 * integer square root and integer power, on unsigned long / u64 as the
 * kernel declares them.
 */
#include <stdint.h>

#include "kernel/export.h"

/* Binary GCD; gcd(a, 0) = a, gcd(0, 0) = 0. */
KAPI static unsigned long gcd(unsigned long a, unsigned long b)
{
	unsigned int twos;

	if (!a || !b)
		return a | b;
	twos = (unsigned int)__builtin_ctzl(a | b);	/* common factors of 2 */
	a >>= __builtin_ctzl(a);
	for (;;) {
		b >>= __builtin_ctzl(b);	/* both odd now */
		if (a == b)
			return a << twos;
		if (a > b) {
			unsigned long t = a;

			a = b;
			b = t;
		}
		b -= a;		/* even, and not 0 */
	}
}
KEXPORT_GPL(gcd);

/* 0 if either is 0; the product wraps as the kernel's does. */
KAPI static unsigned long lcm(unsigned long a, unsigned long b)
{
	if (!a || !b)
		return 0;
	return a / gcd(a, b) * b;
}
KEXPORT_GPL(lcm);

/* lcm(), or the non-zero argument when the other is 0. */
KAPI static unsigned long lcm_not_zero(unsigned long a, unsigned long b)
{
	unsigned long l = lcm(a, b);

	if (l)
		return l;
	return b ? b : a;
}
KEXPORT_GPL(lcm_not_zero);

/* floor(sqrt(x)), one result bit at a time from the top. */
KAPI static unsigned long int_sqrt(unsigned long x)
{
	unsigned long root = 0, bit;

	if (x < 2)
		return x;
	/* the largest power of four not above x */
	bit = 1UL << ((63 - __builtin_clzl(x)) & ~1);
	while (bit) {
		if (x >= root + bit) {
			x -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}
KEXPORT(int_sqrt);

/* base^exp by squaring, wrapping modulo 2^64. */
KAPI static uint64_t int_pow(uint64_t base, unsigned int exp)
{
	uint64_t result = 1;

	while (exp) {
		if (exp & 1)
			result *= base;
		exp >>= 1;
		base *= base;
	}
	return result;
}
KEXPORT_GPL(int_pow);
