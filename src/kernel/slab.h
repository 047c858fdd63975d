/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kmalloc family as the daemon's own code calls it. */
#ifndef KMODFS_KERNEL_SLAB_H
#define KMODFS_KERNEL_SLAB_H

#include <stddef.h>

typedef unsigned int gfp_t;

#define GFP_KERNEL 0xcc0u	/* Linux 6.1 value; only __GFP_ZERO matters here */
#define __GFP_ZERO 0x100u

void *__kmalloc(size_t size, gfp_t flags);
void kfree(const void *p);

#endif
