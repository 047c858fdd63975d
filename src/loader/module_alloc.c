// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * module_alloc(): page-granular memory in the low 2 GiB.
 *
 * Modules are built with -mcmodel=kernel: their own addresses are used
 * as sign-extended 32-bit immediates (R_X86_64_32S), so they must lie
 * below 2 GiB in user space.  One region is reserved there at first use
 * (PROT_NONE, no memory committed) and carved up first-fit; freed ranges
 * are returned to PROT_NONE with their pages dropped, so /proc/PID/maps
 * comes back to its baseline after an unload.
 *
 * The region ends below 0x7fff8000, where AddressSanitizer's shadow
 * begins on x86-64, so the sanitizer build can run modules too.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "kernel/kallsyms.h"
#include "kernel/printk.h"
#include "loader/internal.h"

#define PAGE_SIZE 4096ul
#define ARENA_TOP 0x7fff0000ul
#define ARENA_SIZE (1ul << 30)		/* 1 GiB: [0x3fff0000, 0x7fff0000) */
#define ARENA_MIN_SIZE (64ul << 20)

struct free_range {
	uintptr_t start, size;
	struct free_range *next;	/* sorted by address */
};

static pthread_mutex_t arena_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t arena_start, arena_end;
static struct free_range *free_list;

/* Reserve the region; try lower sizes if something already lives there. */
static int arena_init(void)
{
	for (uintptr_t size = ARENA_SIZE; size >= ARENA_MIN_SIZE; size /= 2) {
		void *p = mmap((void *)(ARENA_TOP - size), size, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				       MAP_FIXED_NOREPLACE,
			       -1, 0);
		if (p == MAP_FAILED)
			continue;
		if ((uintptr_t)p != ARENA_TOP - size) {	/* old kernel: hint only */
			munmap(p, size);
			continue;
		}
		free_list = malloc(sizeof(*free_list));
		if (!free_list) {
			munmap(p, size);
			return -ENOMEM;
		}
		*free_list = (struct free_range){ (uintptr_t)p, size, NULL };
		arena_start = (uintptr_t)p;
		arena_end = arena_start + size;
		return 0;
	}
	pr_err("module_alloc: cannot reserve module space below 2 GiB\n");
	return -ENOMEM;
}

bool module_area_address(unsigned long addr)
{
	/* set once, before any module code can run */
	return addr >= __atomic_load_n(&arena_start, __ATOMIC_RELAXED) &&
	       addr < __atomic_load_n(&arena_end, __ATOMIC_RELAXED);
}

void *module_alloc(size_t size)
{
	struct free_range **pp, *r;
	uintptr_t addr = 0;

	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (!size)
		return NULL;
	pthread_mutex_lock(&arena_lock);
	if (!arena_start && arena_init() < 0)
		goto out;
	for (pp = &free_list; (r = *pp); pp = &r->next) {
		if (r->size < size)
			continue;
		addr = r->start;
		r->start += size;
		r->size -= size;
		if (!r->size) {
			*pp = r->next;
			free(r);
		}
		break;
	}
out:
	pthread_mutex_unlock(&arena_lock);
	if (!addr)
		return NULL;
	/* zero-filled, writable; strict_rwx.c sets the final protections */
	if (mprotect((void *)addr, size, PROT_READ | PROT_WRITE)) {
		module_memfree((void *)addr, size);
		return NULL;
	}
	return (void *)addr;
}

void module_memfree(void *p, size_t size)
{
	uintptr_t start = (uintptr_t)p;
	struct free_range **pp, *r, *n;

	if (!p)
		return;
	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	/* drop the pages and make the range inaccessible again */
	mmap(p, size, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

	pthread_mutex_lock(&arena_lock);
	for (pp = &free_list; (r = *pp) && r->start < start; pp = &r->next)
		;
	/* merge with the following range, then with the preceding one */
	if (r && start + size == r->start) {
		r->start = start;
		r->size += size;
		n = r;
	} else {
		n = malloc(sizeof(*n));
		if (!n)
			goto out;	/* leaks address space, never memory */
		*n = (struct free_range){ start, size, r };
		*pp = n;
	}
	for (r = free_list; r && r->next != n; r = r->next)
		;
	if (r && r->start + r->size == n->start) {
		r->size += n->size;
		r->next = n->next;
		free(n);
	}
out:
	pthread_mutex_unlock(&arena_lock);
}
