/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bit searches of find_bit.c, for the kernel side's own bitmaps. */
#ifndef KMODFS_KERNEL_FIND_BIT_H
#define KMODFS_KERNEL_FIND_BIT_H

/* The first set (zero) bit in [start, nbits) of addr, or nbits. */
unsigned long _find_next_bit(const unsigned long *addr, unsigned long nbits,
			     unsigned long start);
unsigned long _find_next_zero_bit(const unsigned long *addr, unsigned long nbits,
				  unsigned long start);

#endif
