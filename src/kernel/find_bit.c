// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/find_bit.c for modules: the out-of-line searches behind the
 * headers' find_*_bit() inlines (which handle bitmaps of one word
 * themselves).  Bitmaps are arrays of unsigned long, bit n in word
 * n / 64 at position n % 64.  Every search returns the bitmap size when
 * it finds nothing; bits past the size in the last word are ignored.
 */
#include <stddef.h>

#include "kernel/export.h"
#include "kernel/find_bit.h"

#define BITS_PER_LONG 64

/* Which word a search looks at: a bitmap, its complement, or the
 * intersection of two (the second one possibly complemented). */
enum fetch { F_PLAIN, F_ZERO, F_AND, F_ANDNOT };

static inline unsigned long fetch(enum fetch f, const unsigned long *a,
				  const unsigned long *b, unsigned long i)
{
	switch (f) {
	case F_ZERO:
		return ~a[i];
	case F_AND:
		return a[i] & b[i];
	case F_ANDNOT:
		return a[i] & ~b[i];
	default:
		return a[i];
	}
}

static inline unsigned long min_ul(unsigned long x, unsigned long y)
{
	return x < y ? x : y;
}

/* The first set bit of the fetched bitmap at or after start. */
static inline unsigned long find_next(enum fetch f, const unsigned long *a,
				      const unsigned long *b, unsigned long size,
				      unsigned long start)
{
	unsigned long i, w;

	if (start >= size)
		return size;
	i = start / BITS_PER_LONG;
	w = fetch(f, a, b, i) & (~0UL << (start % BITS_PER_LONG));
	while (!w) {
		if ((i + 1) * BITS_PER_LONG >= size)	/* that was the last word */
			return size;
		w = fetch(f, a, b, ++i);
	}
	return min_ul(i * BITS_PER_LONG + (unsigned long)__builtin_ctzl(w), size);
}

/* The n-th (from 0) set bit of the fetched bitmap. */
static inline unsigned long find_nth(enum fetch f, const unsigned long *a,
				     const unsigned long *b, unsigned long size,
				     unsigned long n)
{
	unsigned long words = size / BITS_PER_LONG + !!(size % BITS_PER_LONG);

	for (unsigned long i = 0; i < words; i++) {
		unsigned long w = fetch(f, a, b, i);
		unsigned long count;

		if (i == words - 1 && size % BITS_PER_LONG)
			w &= ~0UL >> (BITS_PER_LONG - size % BITS_PER_LONG);
		count = (unsigned long)__builtin_popcountl(w);
		if (n < count) {
			while (n--)
				w &= w - 1;	/* drop the lowest set bit */
			return min_ul(i * BITS_PER_LONG + (unsigned long)__builtin_ctzl(w), size);
		}
		n -= count;
	}
	return size;
}

KAPI unsigned long _find_next_bit(const unsigned long *addr, unsigned long nbits,
				  unsigned long start)
{
	return find_next(F_PLAIN, addr, NULL, nbits, start);
}
KEXPORT(_find_next_bit);

KAPI unsigned long _find_next_zero_bit(const unsigned long *addr, unsigned long nbits,
				       unsigned long start)
{
	return find_next(F_ZERO, addr, NULL, nbits, start);
}
KEXPORT(_find_next_zero_bit);

KAPI static unsigned long _find_next_and_bit(const unsigned long *addr1,
					     const unsigned long *addr2,
					     unsigned long nbits, unsigned long start)
{
	return find_next(F_AND, addr1, addr2, nbits, start);
}
KEXPORT(_find_next_and_bit);

KAPI static unsigned long _find_next_andnot_bit(const unsigned long *addr1,
						const unsigned long *addr2,
						unsigned long nbits, unsigned long start)
{
	return find_next(F_ANDNOT, addr1, addr2, nbits, start);
}
KEXPORT(_find_next_andnot_bit);

KAPI static unsigned long _find_first_bit(const unsigned long *addr, unsigned long size)
{
	return find_next(F_PLAIN, addr, NULL, size, 0);
}
KEXPORT(_find_first_bit);

KAPI static unsigned long _find_first_zero_bit(const unsigned long *addr,
					       unsigned long size)
{
	return find_next(F_ZERO, addr, NULL, size, 0);
}
KEXPORT(_find_first_zero_bit);

KAPI static unsigned long _find_first_and_bit(const unsigned long *addr1,
					      const unsigned long *addr2,
					      unsigned long size)
{
	return find_next(F_AND, addr1, addr2, size, 0);
}
KEXPORT(_find_first_and_bit);

KAPI static unsigned long _find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long i, w;

	if (!size)
		return 0;
	i = (size - 1) / BITS_PER_LONG;
	w = addr[i];
	if (size % BITS_PER_LONG)
		w &= ~0UL >> (BITS_PER_LONG - size % BITS_PER_LONG);
	for (;;) {
		if (w)
			return i * BITS_PER_LONG + (BITS_PER_LONG - 1) -
			       (unsigned long)__builtin_clzl(w);
		if (!i--)
			return size;
		w = addr[i];
	}
}
KEXPORT(_find_last_bit);

KAPI static unsigned long __find_nth_bit(const unsigned long *addr, unsigned long size,
					 unsigned long n)
{
	return find_nth(F_PLAIN, addr, NULL, size, n);
}
KEXPORT(__find_nth_bit);

KAPI static unsigned long __find_nth_and_bit(const unsigned long *addr1,
					     const unsigned long *addr2,
					     unsigned long size, unsigned long n)
{
	return find_nth(F_AND, addr1, addr2, size, n);
}
KEXPORT(__find_nth_and_bit);

KAPI static unsigned long __find_nth_andnot_bit(const unsigned long *addr1,
						const unsigned long *addr2,
						unsigned long size, unsigned long n)
{
	return find_nth(F_ANDNOT, addr1, addr2, size, n);
}
KEXPORT(__find_nth_andnot_bit);

/*
 * The first byte-aligned 8-bit clump at or after offset (rounded up to
 * a multiple of 8) that has a bit set: its offset, and its value in
 * *clump; size if there is none.
 */
KAPI static unsigned long find_next_clump8(unsigned long *clump, const unsigned long *addr,
					   unsigned long size, unsigned long offset)
{
	unsigned long at = find_next(F_PLAIN, addr, NULL, size, (offset + 7) & ~7UL);

	if (at == size)
		return size;
	at &= ~7UL;
	*clump = (addr[at / BITS_PER_LONG] >> (at % BITS_PER_LONG)) & 0xff;
	return at;
}
KEXPORT(find_next_clump8);
