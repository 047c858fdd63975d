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
 *
 * Every live allocation is in a table, so that freeing one twice, or
 * freeing what kmalloc never returned, is reported and ignored -- as
 * SLUB's free-time consistency checks (slub_debug=F) do -- instead of
 * corrupting or aborting the daemon and every module in it.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/taint.h"
#include "kernel/traps.h"

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

/* ---- the live allocations ---- */

enum alloc_kind { A_KMALLOC, A_CACHE, A_VMALLOC };

struct live {
	uintptr_t p;			/* 0: an empty slot */
	size_t size;
	const struct kmem_cache *cache;	/* A_CACHE */
	enum alloc_kind kind;
};

/* What the report of a bad free can say about the object. */
struct freed {
	uintptr_t p;
	size_t size;
	enum alloc_kind kind;
	char cache[32];
};

#define FREED_RING 1024

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct live *live_tab;		/* open addressing, linear probing */
static size_t live_cap, live_n;		/* capacity: a power of two */
static struct freed freed_ring[FREED_RING];	/* the latest frees */
static unsigned int freed_pos;

static size_t live_slot(uintptr_t p, size_t cap)
{
	return (size_t)(((p >> 4) * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static int live_grow(void)
{
	size_t cap = live_cap ? live_cap * 2 : 4096;
	struct live *t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < live_cap; i++) {
		size_t j = live_slot(live_tab[i].p, cap);

		if (!live_tab[i].p)
			continue;
		while (t[j].p)
			j = (j + 1) & (cap - 1);
		t[j] = live_tab[i];
	}
	free(live_tab);
	live_tab = t;
	live_cap = cap;
	return 0;
}

/* Record p; on failure the caller frees it and fails the allocation. */
static int live_add(void *p, size_t size, enum alloc_kind kind, const struct kmem_cache *s)
{
	int err = 0;

	pthread_mutex_lock(&live_lock);
	if ((live_n + 1) * 2 > live_cap)
		err = live_grow();
	if (!err) {
		size_t j = live_slot((uintptr_t)p, live_cap);

		while (live_tab[j].p)
			j = (j + 1) & (live_cap - 1);
		live_tab[j] = (struct live){ (uintptr_t)p, size, s, kind };
		live_n++;
	}
	pthread_mutex_unlock(&live_lock);
	return err;
}

/* The entry of p, or NULL; live_lock held. */
static struct live *live_find(uintptr_t p)
{
	if (!live_cap)
		return NULL;
	for (size_t j = live_slot(p, live_cap); live_tab[j].p; j = (j + 1) & (live_cap - 1))
		if (live_tab[j].p == p)
			return &live_tab[j];
	return NULL;
}

/* Remove an entry (backward-shift deletion); live_lock held. */
static void live_remove(struct live *e)
{
	size_t i = (size_t)(e - live_tab), j = i;

	for (;;) {
		size_t k;

		live_tab[i].p = 0;
		do {
			j = (j + 1) & (live_cap - 1);
			if (!live_tab[j].p) {
				live_n--;
				return;
			}
			k = live_slot(live_tab[j].p, live_cap);
		} while (i <= j ? (i < k && k <= j) : (i < k || k <= j));
		live_tab[i] = live_tab[j];
		i = j;
	}
}

static const char *kmalloc_name(size_t size, char *buf, size_t len);

/*
 * Take p out of the table if it is there with a kind in kinds (a mask
 * of 1 << kind); otherwise fill *f with what is known about it.
 */
static bool live_take(const void *p, unsigned int kinds, struct freed *f)
{
	struct live *e;
	bool ok = false;

	pthread_mutex_lock(&live_lock);
	e = live_find((uintptr_t)p);
	if (e && (kinds & (1u << e->kind))) {
		struct freed *r = &freed_ring[freed_pos++ % FREED_RING];

		r->p = e->p;
		r->size = e->size;
		r->kind = e->kind;
		if (e->kind == A_CACHE)
			snprintf(r->cache, sizeof(r->cache), "%s", e->cache->name);
		else
			kmalloc_name(e->size, r->cache, sizeof(r->cache));
		live_remove(e);
		ok = true;
	} else if (e) {
		*f = (struct freed){ e->p, e->size, e->kind, "" };
	} else {
		*f = (struct freed){ 0, 0, A_KMALLOC, "" };
		for (unsigned int i = 0; i < FREED_RING; i++)
			if (freed_ring[i].p == (uintptr_t)p)
				*f = freed_ring[i];
	}
	pthread_mutex_unlock(&live_lock);
	return ok;
}

static bool live_has(const void *p, size_t *size)
{
	struct live *e;

	pthread_mutex_lock(&live_lock);
	e = live_find((uintptr_t)p);
	if (e)
		*size = e->size;
	pthread_mutex_unlock(&live_lock);
	return e != NULL;
}

/* SLUB's report of a failed free-time check (slab_bug, slab_fix). */
static void bad_free(const void *p, const struct freed *f, const char *caller)
{
	char tainted[64];

	if (f->p && f->kind != A_VMALLOC && f->cache[0]) {
		/* freed before, by kfree or kmem_cache_free */
		print_tainted(tainted, sizeof(tainted));
		pr_err("=============================================================================\n");
		pr_err("BUG %s (%s): Object already free\n", f->cache, tainted);
		pr_err("-----------------------------------------------------------------------------\n\n");
		dump_stack();
		pr_err("FIX %s: Object at 0x%p not freed\n", f->cache, p);
		add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE);
	} else if (!strcmp(caller, "vfree")) {
		pr_err("Trying to vfree() nonexistent vm area (%p)\n", p);
		dump_stack();
	} else {
		/* Linux would take whatever page p is in for a slab (or a
		 * large kmalloc's pages): a crash, or worse, later */
		pr_err("kmodfs: %s() of %px, which no allocator returned (or already freed): ignored\n",
		       caller, p);
		dump_stack();
		add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE);
	}
}

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

/* Record a new allocation, or undo it. */
static void *tracked(void *p, size_t size, enum alloc_kind kind, const struct kmem_cache *s)
{
	if (p && live_add(p, size, kind, s)) {
		free(p);
		return NULL;
	}
	return p;
}

KAPI void *__kmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	return tracked(alloc_aligned(size, kmalloc_align(size), flags), size, A_KMALLOC, NULL);
}
KEXPORT(__kmalloc);

KAPI static void *kapi_kmalloc_node(size_t size, gfp_t flags, int node)
{
	(void)node;
	return __kmalloc(size, flags);
}
KEXPORT_AS("__kmalloc_node", kapi_kmalloc_node);

/* kvfree() takes what vmalloc returned too; kfree() itself does not on
 * Linux, but the difference only decides which way a bad module dies */
static void free_checked(const void *p, unsigned int kinds, const char *caller)
{
	struct freed f;

	if (ZERO_OR_NULL_PTR(p))
		return;
	if (live_take(p, kinds, &f))
		free((void *)(unsigned long)p);
	else
		bad_free(p, &f, caller);
}

KAPI void kfree(const void *p)
{
	free_checked(p, 1u << A_KMALLOC | 1u << A_CACHE | 1u << A_VMALLOC, "kfree");
}
KEXPORT(kfree);

/* 0 for what is not a live allocation (ksize() of freed memory is a
 * bug in the module: nothing is read from it) */
KAPI static size_t ksize(const void *p)
{
	size_t n;

	if (ZERO_OR_NULL_PTR(p) || !live_has(p, &n))
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

	if (!ZERO_OR_NULL_PTR(p) && !old) {
		kfree(p);	/* reports it */
		return NULL;
	}
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
	void *p = tracked(alloc_aligned(s->size, s->align, flags), s->size, A_CACHE, s);

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
	free_checked(p, 1u << A_KMALLOC | 1u << A_CACHE, "kmem_cache_free");
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

/* Linux's name of the kmalloc cache a size comes from (kmalloc-96,
 * kmalloc-1k, ...); "" past the largest one (pages, no cache). */
static const char *kmalloc_name(size_t size, char *buf, size_t len)
{
	size_t c = size <= 8 ? 8 : size <= 96 && size > 64 ? 96 : size <= 192 && size > 128 ? 192 : 8;

	if (c == 8 && size > 8)
		while (c < size)
			c <<= 1;
	if (c > (1ul << KMALLOC_SHIFT_HIGH))
		snprintf(buf, len, "%s", "");
	else if (c >= 1024)
		snprintf(buf, len, "kmalloc-%zuk", c >> 10);
	else
		snprintf(buf, len, "kmalloc-%zu", c);
	return buf;
}

/* ---- vmalloc: page-aligned, zero-filled only when asked ---- */

KAPI static void *vmalloc(unsigned long size)
{
	void *p;

	if (!size || posix_memalign(&p, PAGE_SIZE, size))
		return NULL;
	return tracked(p, size, A_VMALLOC, NULL);
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
	if (p)
		free_checked(p, 1u << A_VMALLOC, "vfree");
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
