// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/bitmap.c for modules: the out-of-line bitmap operations behind
 * the headers' bitmap_*() inlines (which handle one-word bitmaps of a
 * constant size themselves), allocation, region and range helpers, and
 * conversion to and from arrays of u32.
 *
 * A bitmap of nbits bits is BITS_TO_LONGS(nbits) unsigned longs; bits
 * past nbits in the last word are "don't care".  As in Linux, the
 * tests (equal, intersects, subset, weight, and/andnot's result) ignore
 * them, and/andnot clear them in dst, and or/xor/complement/replace and
 * shift_left compute them like any other bit.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/find_bit.h"
#include "kernel/slab.h"
#include "kernel/vsprintf.h"

#define BITS_PER_LONG 64
#define PAGE_SIZE 4096UL

static inline unsigned int longs(unsigned int nbits)
{
	return nbits / BITS_PER_LONG + !!(nbits % BITS_PER_LONG);
}

/* The bits of the last word that belong to the bitmap. */
static inline unsigned long last_word_mask(unsigned long nbits)
{
	return ~0UL >> (-nbits & (BITS_PER_LONG - 1));
}

/* ---- allocation ---- */

KAPI static unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return __kmalloc((size_t)longs(nbits) * sizeof(unsigned long), flags);
}
KEXPORT(bitmap_alloc);

KAPI static unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return bitmap_alloc(nbits, flags | __GFP_ZERO);
}
KEXPORT(bitmap_zalloc);

/* The node is a placement hint; kmodfs has one memory node. */
KAPI static unsigned long *bitmap_alloc_node(unsigned int nbits, gfp_t flags, int node)
{
	(void)node;
	return bitmap_alloc(nbits, flags);
}
KEXPORT(bitmap_alloc_node);

KAPI static unsigned long *bitmap_zalloc_node(unsigned int nbits, gfp_t flags, int node)
{
	(void)node;
	return bitmap_alloc(nbits, flags | __GFP_ZERO);
}
KEXPORT(bitmap_zalloc_node);

KAPI static void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}
KEXPORT(bitmap_free);

/* ---- whole-bitmap operations ---- */

/* Visit every word: full words, then the partial last one masked.
 * Returns the OR of what each step returned, for the boolean results. */
#define FOR_EACH_WORD(nbits, k, mask, body)                                    \
	({                                                                     \
		unsigned long __acc = 0;                                       \
		unsigned int k = 0;                                            \
		unsigned long mask = ~0UL;                                     \
		for (; k < (nbits) / BITS_PER_LONG; k++)                       \
			__acc |= (body);                                       \
		if ((nbits) % BITS_PER_LONG) {                                 \
			mask = last_word_mask(nbits);                          \
			__acc |= (body);                                       \
		}                                                              \
		__acc;                                                         \
	})

KAPI static bool __bitmap_equal(const unsigned long *b1, const unsigned long *b2,
				unsigned int nbits)
{
	return !FOR_EACH_WORD(nbits, k, m, (b1[k] ^ b2[k]) & m);
}
KEXPORT(__bitmap_equal);

KAPI static bool __bitmap_intersects(const unsigned long *b1, const unsigned long *b2,
				     unsigned int nbits)
{
	return FOR_EACH_WORD(nbits, k, m, b1[k] & b2[k] & m) != 0;
}
KEXPORT(__bitmap_intersects);

/* Whether every bit of b1 is also in b2. */
KAPI static bool __bitmap_subset(const unsigned long *b1, const unsigned long *b2,
				 unsigned int nbits)
{
	return !FOR_EACH_WORD(nbits, k, m, b1[k] & ~b2[k] & m);
}
KEXPORT(__bitmap_subset);

/* dst = b1 & b2 (tail cleared); whether any bit is set. */
KAPI static bool __bitmap_and(unsigned long *dst, const unsigned long *b1,
			      const unsigned long *b2, unsigned int nbits)
{
	return FOR_EACH_WORD(nbits, k, m, dst[k] = b1[k] & b2[k] & m) != 0;
}
KEXPORT(__bitmap_and);

KAPI static bool __bitmap_andnot(unsigned long *dst, const unsigned long *b1,
				 const unsigned long *b2, unsigned int nbits)
{
	return FOR_EACH_WORD(nbits, k, m, dst[k] = b1[k] & ~b2[k] & m) != 0;
}
KEXPORT(__bitmap_andnot);

KAPI static void __bitmap_or(unsigned long *dst, const unsigned long *b1,
			     const unsigned long *b2, unsigned int nbits)
{
	for (unsigned int k = 0; k < longs(nbits); k++)
		dst[k] = b1[k] | b2[k];
}
KEXPORT(__bitmap_or);

KAPI static void __bitmap_xor(unsigned long *dst, const unsigned long *b1,
			      const unsigned long *b2, unsigned int nbits)
{
	for (unsigned int k = 0; k < longs(nbits); k++)
		dst[k] = b1[k] ^ b2[k];
}
KEXPORT(__bitmap_xor);

KAPI static void __bitmap_complement(unsigned long *dst, const unsigned long *src,
				     unsigned int nbits)
{
	for (unsigned int k = 0; k < longs(nbits); k++)
		dst[k] = ~src[k];
}
KEXPORT(__bitmap_complement);

/* dst = the bits of new where mask is set, of old elsewhere. */
KAPI static void __bitmap_replace(unsigned long *dst, const unsigned long *old,
				  const unsigned long *new, const unsigned long *mask,
				  unsigned int nbits)
{
	for (unsigned int k = 0; k < longs(nbits); k++)
		dst[k] = (old[k] & ~mask[k]) | (new[k] & mask[k]);
}
KEXPORT(__bitmap_replace);

KAPI static unsigned int __bitmap_weight(const unsigned long *bitmap, unsigned int nbits)
{
	unsigned int w = 0;

	FOR_EACH_WORD(nbits, k, m, w += (unsigned int)__builtin_popcountl(bitmap[k] & m));
	return w;
}
KEXPORT(__bitmap_weight);

KAPI static unsigned int __bitmap_weight_and(const unsigned long *b1,
					     const unsigned long *b2, unsigned int nbits)
{
	unsigned int w = 0;

	FOR_EACH_WORD(nbits, k, m, w += (unsigned int)__builtin_popcountl(b1[k] & b2[k] & m));
	return w;
}
KEXPORT(__bitmap_weight_and);

/*
 * dst = the first nbits of src moved shift bits towards bit 0, zeros
 * coming in at the top; bits of src past nbits do not come in.  dst
 * may be src.
 */
KAPI static void __bitmap_shift_right(unsigned long *dst, const unsigned long *src,
				      unsigned int shift, unsigned int nbits)
{
	unsigned int lim = longs(nbits);
	unsigned int off = shift / BITS_PER_LONG, rem = shift % BITS_PER_LONG;

/* word i of src, masked to nbits, or 0 past the end */
#define SRC(i) ((i) >= lim ? 0UL : (i) == lim - 1 ? src[i] & last_word_mask(nbits) : src[i])
	for (unsigned int k = 0; k < lim; k++) {
		unsigned long lo, hi;

		if (off >= lim - k) {
			dst[k] = 0;
			continue;
		}
		lo = SRC(k + off) >> rem;
		hi = rem ? SRC(k + off + 1) << (BITS_PER_LONG - rem) : 0;
		dst[k] = lo | hi;
	}
#undef SRC
}
KEXPORT(__bitmap_shift_right);

/* dst = src moved shift bits away from bit 0 within lim words, zeros
 * coming in at the bottom.  dst may be src. */
KAPI static void __bitmap_shift_left(unsigned long *dst, const unsigned long *src,
				     unsigned int shift, unsigned int nbits)
{
	unsigned int lim = longs(nbits);
	unsigned int off = shift / BITS_PER_LONG, rem = shift % BITS_PER_LONG;

	for (unsigned int k = lim; k-- > 0;) {
		unsigned long hi, lo;

		if (k < off) {
			dst[k] = 0;
			continue;
		}
		hi = src[k - off] << rem;
		lo = rem && k > off ? src[k - off - 1] >> (BITS_PER_LONG - rem) : 0;
		dst[k] = hi | lo;
	}
}
KEXPORT(__bitmap_shift_left);

/* ---- ranges and regions ---- */

/* Set (or clear) bits [start, start + len). */
static void bitmap_range(unsigned long *map, unsigned int start, int len, bool set)
{
	unsigned long *p = map + start / BITS_PER_LONG;
	unsigned int end = start + (unsigned int)len;
	int room = BITS_PER_LONG - (int)(start % BITS_PER_LONG);
	unsigned long mask = ~0UL << (start % BITS_PER_LONG);

	while (len >= room) {
		*p = set ? *p | mask : *p & ~mask;
		p++;
		len -= room;
		room = BITS_PER_LONG;
		mask = ~0UL;
	}
	if (len) {
		mask &= last_word_mask(end);
		*p = set ? *p | mask : *p & ~mask;
	}
}

KAPI static void __bitmap_set(unsigned long *map, unsigned int start, int len)
{
	bitmap_range(map, start, len, true);
}
KEXPORT(__bitmap_set);

KAPI static void __bitmap_clear(unsigned long *map, unsigned int start, int len)
{
	bitmap_range(map, start, len, false);
}
KEXPORT(__bitmap_clear);

/*
 * The first run of nr zero bits in [start, size) whose first bit, plus
 * align_offset, is a multiple of align_mask + 1.  Returns its first
 * bit, or a value past size (where the run would end) if none fits.
 */
KAPI static unsigned long bitmap_find_next_zero_area_off(unsigned long *map,
							 unsigned long size,
							 unsigned long start,
							 unsigned int nr,
							 unsigned long align_mask,
							 unsigned long align_offset)
{
	for (;;) {
		unsigned long index, end, busy;

		index = _find_next_zero_bit(map, size, start);
		index = ((index + align_offset + align_mask) & ~align_mask) - align_offset;
		end = index + nr;
		if (end > size)
			return end;
		busy = _find_next_bit(map, end, index);
		if (busy >= end)
			return index;
		start = busy + 1;
	}
}
KEXPORT(bitmap_find_next_zero_area_off);

/* Regions are the 2^order bits at pos, pos a multiple of 2^order. */
static bool region_free(const unsigned long *bitmap, unsigned int pos, int order)
{
	unsigned long end = (unsigned long)pos + (1UL << order);

	return _find_next_bit(bitmap, end, pos) >= end;
}

/* Allocate the first free region of 2^order bits in a bitmap of bits
 * bits: its position, or -ENOMEM. */
KAPI static int bitmap_find_free_region(unsigned long *bitmap, unsigned int bits, int order)
{
	unsigned int pos, end;

	for (pos = 0; (end = pos + (1U << order)) <= bits; pos = end) {
		if (region_free(bitmap, pos, order)) {
			__bitmap_set(bitmap, pos, 1 << order);
			return (int)pos;
		}
	}
	return -ENOMEM;
}
KEXPORT(bitmap_find_free_region);

KAPI static void bitmap_release_region(unsigned long *bitmap, unsigned int pos, int order)
{
	__bitmap_clear(bitmap, pos, 1 << order);
}
KEXPORT(bitmap_release_region);

/* Allocate the region at pos: 0, or -EBUSY if any bit of it is set. */
KAPI static int bitmap_allocate_region(unsigned long *bitmap, unsigned int pos, int order)
{
	if (!region_free(bitmap, pos, order))
		return -EBUSY;
	__bitmap_set(bitmap, pos, 1 << order);
	return 0;
}
KEXPORT(bitmap_allocate_region);

/* ---- u32 arrays (bit n in buf[n / 32]) ---- */

KAPI static void bitmap_from_arr32(unsigned long *bitmap, const uint32_t *buf,
				   unsigned int nbits)
{
	unsigned int n32 = nbits / 32 + !!(nbits % 32);

	for (unsigned int i = 0; i < n32; i++) {
		if (i % 2)
			bitmap[i / 2] |= (unsigned long)buf[i] << 32;
		else
			bitmap[i / 2] = buf[i];
	}
	if (nbits % BITS_PER_LONG)
		bitmap[(n32 - 1) / 2] &= last_word_mask(nbits);
}
KEXPORT(bitmap_from_arr32);

KAPI static void bitmap_to_arr32(uint32_t *buf, const unsigned long *bitmap,
				 unsigned int nbits)
{
	unsigned int n32 = nbits / 32 + !!(nbits % 32);

	for (unsigned int i = 0; i < n32; i++)
		buf[i] = (uint32_t)(bitmap[i / 2] >> (i % 2 ? 32 : 0));
	if (nbits % 32)
		buf[n32 - 1] &= UINT32_MAX >> (32 - nbits % 32);
}
KEXPORT(bitmap_to_arr32);

/* ---- printing ---- */

/*
 * The bitmap as sysfs shows it, "%*pb" (hex words) or "%*pbl" (ranges
 * list) and a newline, into buf, which must not cross a page: it is
 * limited to the rest of buf's page.  Returns the length written.
 */
KAPI static int bitmap_print_to_pagebuf(bool list, char *buf, const unsigned long *maskp,
					int nmaskbits)
{
	size_t room = PAGE_SIZE - ((uintptr_t)buf & (PAGE_SIZE - 1));

	return list ? kernel_scnprintf(buf, room, "%*pbl\n", nmaskbits, maskp)
		    : kernel_scnprintf(buf, room, "%*pb\n", nmaskbits, maskp);
}
KEXPORT(bitmap_print_to_pagebuf);
