/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/compiler.h>
#include <linux/types.h>

#define NUMA_NO_NODE (-1)

void *vmalloc(unsigned long size) __malloc;
void *vzalloc(unsigned long size) __malloc;
void *__vmalloc(unsigned long size, gfp_t gfp_mask) __malloc;
void *vmalloc_node(unsigned long size, int node) __malloc;
void *vzalloc_node(unsigned long size, int node) __malloc;
void vfree(const void *addr);

void *kvmalloc_node(size_t size, gfp_t flags, int node) __malloc;
void kvfree(const void *addr);
void kvfree_sensitive(const void *addr, size_t len);

static inline void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}

static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | 0x100u);
}

#endif
