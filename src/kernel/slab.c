// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmalloc, kmem_cache and vmalloc for modules, on top of the process
 * allocator so that ASan, valgrind and LSan see module allocations too.
 *
 * Guarantees kept from Linux: kmalloc(0) returns ZERO_SIZE_PTR, kfree()
 * of NULL or ZERO_SIZE_PTR is a no-op, power-of-two sizes are naturally
 * aligned (up to a page), __GFP_ZERO zeroes, ksize() reports the usable
 * size, and kmalloc_caches[][] holds one cache per kmalloc size class so
 * that kbuild modules' inline kmalloc() (which calls kmalloc_trace() on
 * kmalloc_caches[type][index]) works.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/slab.h"

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
#define PAGE_SIZE 4096ul
#define SLAB_HWCACHE_ALIGN 0x00002000u

/* Linux 6.1 SLUB with Debian's config: 4 cache types x 14 size indices. */
#define NR_KMALLOC_TYPES 4
#define KMALLOC_SHIFT_HIGH 13

struct kmem_cache {
	char *name;
	size_t size;
	size_t align;
	unsigned int flags;
	void (*ctor)(void *);
};

static size_t kmalloc_align(size_t size)
{
	/* power-of-two sizes are naturally aligned, capped at a page */
	if (size >= 16 && !(size & (size - 1)))
		return size < PAGE_SIZE ? size : PAGE_SIZE;
	return 16;
}

static void *alloc_aligned(size_t size, size_t align, gfp_t flags)
{
	void *p;

	if (align <= 16)
		p = malloc(size);
	else if (posix_memalign(&p, align, size))
		p = NULL;
	if (p && (flags & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

KAPI void *__kmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	return alloc_aligned(size, kmalloc_align(size), flags);
}
KEXPORT(__kmalloc);

KAPI static void *kapi_kmalloc_node(size_t size, gfp_t flags, int node)
{
	(void)node;
	return __kmalloc(size, flags);
}
KEXPORT_AS("__kmalloc_node", kapi_kmalloc_node);

KAPI void kfree(const void *p)
{
	if (!ZERO_OR_NULL_PTR(p))
		free((void *)(unsigned long)p);
}
KEXPORT(kfree);

KAPI static size_t ksize(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	return malloc_usable_size((void *)(unsigned long)p);
}
KEXPORT(ksize);

KAPI static void kfree_sensitive(const void *p)
{
	size_t n = ksize(p);

	if (n)
		explicit_bzero((void *)(unsigned long)p, n);
	kfree(p);
}
KEXPORT(kfree_sensitive);

KAPI static void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t old = ksize(p);
	void *n;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (old >= new_size)
		return (void *)(unsigned long)p;
	n = __kmalloc(new_size, flags & ~__GFP_ZERO);
	if (!n)
		return NULL;
	if (old)
		memcpy(n, p, old);
	if (flags & __GFP_ZERO)
		memset((char *)n + old, 0, new_size - old);
	kfree(p);
	return n;
}
KEXPORT(krealloc);

KAPI static void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = __kmalloc(len, gfp);

	if (p && len)
		memcpy(p, src, len);
	return p;
}
KEXPORT(kmemdup);

KAPI static char *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	char *p;

	if (!s)
		return NULL;
	p = __kmalloc(len + 1, gfp);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}
KEXPORT(kmemdup_nul);

KAPI static char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? kmemdup_nul(s, strlen(s), gfp) : NULL;
}
KEXPORT(kstrdup);

KAPI static const char *kstrdup_const(const char *s, gfp_t gfp)
{
	/* Linux returns .rodata strings as is; a copy is always correct. */
	return kstrdup(s, gfp);
}
KEXPORT(kstrdup_const);

KAPI static void kfree_const(const void *p)
{
	kfree(p);
}
KEXPORT(kfree_const);

KAPI static char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	return s ? kmemdup_nul(s, strnlen(s, max), gfp) : NULL;
}
KEXPORT(kstrndup);

/* ---- kmem_cache ---- */

KAPI static struct kmem_cache *kmem_cache_create(const char *name,
						 unsigned int size,
						 unsigned int align,
						 unsigned int flags,
						 void (*ctor)(void *))
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = strdup(name ? name : "");
	if (!s->name) {
		free(s);
		return NULL;
	}
	s->size = size ? size : 1;
	s->align = align < 8 ? 8 : align;
	if ((flags & SLAB_HWCACHE_ALIGN) && s->align < 64)
		s->align = 64;
	s->flags = flags;
	s->ctor = ctor;
	return s;
}
KEXPORT(kmem_cache_create);

KAPI static struct kmem_cache *
kmem_cache_create_usercopy(const char *name, unsigned int size,
			   unsigned int align, unsigned int flags,
			   unsigned int useroffset, unsigned int usersize,
			   void (*ctor)(void *))
{
	(void)useroffset;
	(void)usersize;
	return kmem_cache_create(name, size, align, flags, ctor);
}
KEXPORT(kmem_cache_create_usercopy);

KAPI static void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	void *p = alloc_aligned(s->size, s->align, flags);

	if (p && s->ctor)
		s->ctor(p);
	return p;
}
KEXPORT(kmem_cache_alloc);

KAPI static void *kmem_cache_alloc_lru(struct kmem_cache *s, void *lru,
				       gfp_t flags)
{
	(void)lru;
	return kmem_cache_alloc(s, flags);
}
KEXPORT(kmem_cache_alloc_lru);

KAPI static void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags,
					int node)
{
	(void)node;
	return kmem_cache_alloc(s, flags);
}
KEXPORT(kmem_cache_alloc_node);

KAPI static void kmem_cache_free(struct kmem_cache *s, void *p)
{
	(void)s;
	kfree(p);
}
KEXPORT(kmem_cache_free);

KAPI static void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	free(s->name);
	free(s);
}
KEXPORT(kmem_cache_destroy);

KAPI static unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return (unsigned int)s->size;
}
KEXPORT(kmem_cache_size);

/* ---- kmalloc size-class caches, for kbuild modules' inline kmalloc ---- */

struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
KEXPORT(kmalloc_caches);

static struct kmem_cache kmalloc_cache_store[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

__attribute__((constructor)) static void kmalloc_caches_init(void)
{
	static const char *const type_name[NR_KMALLOC_TYPES] = {
		"kmalloc", "kmalloc-cg", "kmalloc-rcl", "dma-kmalloc"
	};

	for (int t = 0; t < NR_KMALLOC_TYPES; t++) {
		for (int i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			struct kmem_cache *s = &kmalloc_cache_store[t][i];

			/* index 1 and 2 are the 96 and 192 byte classes */
			if (i == 1)
				s->size = 96;
			else if (i == 2)
				s->size = 192;
			else if (i >= 3)
				s->size = 1ul << i;
			s->name = (char *)(unsigned long)type_name[t];
			s->align = kmalloc_align(s->size);
			kmalloc_caches[t][i] = s;
		}
	}
}

/* The size actually requested is passed along; allocate exactly that. */
KAPI static void *kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size)
{
	(void)s;
	return __kmalloc(size, flags);
}
KEXPORT(kmalloc_trace);

KAPI static void *kmalloc_node_trace(struct kmem_cache *s, gfp_t flags,
				     int node, size_t size)
{
	(void)s;
	(void)node;
	return __kmalloc(size, flags);
}
KEXPORT(kmalloc_node_trace);

KAPI static void *kmalloc_large(size_t size, gfp_t flags)
{
	return __kmalloc(size, flags);
}
KEXPORT(kmalloc_large);

KAPI static void *kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	(void)node;
	return __kmalloc(size, flags);
}
KEXPORT(kmalloc_large_node);

/* ---- vmalloc: page-aligned, zero-filled only when asked ---- */

KAPI static void *vmalloc(unsigned long size)
{
	void *p;

	if (!size || posix_memalign(&p, PAGE_SIZE, size))
		return NULL;
	return p;
}
KEXPORT(vmalloc);

KAPI static void *vzalloc(unsigned long size)
{
	void *p = vmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}
KEXPORT(vzalloc);

KAPI static void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return (gfp & __GFP_ZERO) ? vzalloc(size) : vmalloc(size);
}
KEXPORT(__vmalloc);

KAPI static void *vmalloc_node(unsigned long size, int node)
{
	(void)node;
	return vmalloc(size);
}
KEXPORT(vmalloc_node);

KAPI static void *vzalloc_node(unsigned long size, int node)
{
	(void)node;
	return vzalloc(size);
}
KEXPORT(vzalloc_node);

KAPI static void vfree(const void *p)
{
	free((void *)(unsigned long)p);
}
KEXPORT(vfree);

KAPI static void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	(void)node;
	return __kmalloc(size, flags);
}
KEXPORT(kvmalloc_node);

KAPI static void kvfree(const void *p)
{
	kfree(p);
}
KEXPORT(kvfree);

KAPI static void kvfree_sensitive(const void *p, size_t len)
{
	if (!ZERO_OR_NULL_PTR(p))
		explicit_bzero((void *)(unsigned long)p, len);
	kfree(p);
}
KEXPORT(kvfree_sensitive);

KAPI static void *kvrealloc(const void *p, size_t oldsize, size_t newsize,
			    gfp_t flags)
{
	(void)oldsize;
	return krealloc(p, newsize, flags);
}
KEXPORT(kvrealloc);
