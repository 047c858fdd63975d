/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-CPU area modules reach through %gs.  Kernel code addresses it
 * with %gs-relative loads (the stack-protector canary at %gs:40, per-CPU
 * variables at their per-CPU offsets), so every thread that runs module
 * code gets its own area and its GS base pointed at it.
 */
#ifndef KMODFS_KERNEL_PERCPU_H
#define KMODFS_KERNEL_PERCPU_H

#include <stddef.h>

#define PERCPU_CANARY_OFFSET 40
#define PERCPU_AREA_SIZE (64 * 1024)
#define PERCPU_DYNAMIC_START 0x1000	/* below: the kernel's own variables */
#define NR_CPUS_EMULATED 64

/*
 * Make the calling thread able to run module code: allocate its per-CPU
 * area and load GS.  Idempotent and cheap after the first call.
 * Returns 0 or -errno.
 */
int percpu_thread_enter(void);

/* The calling thread's area, or NULL before percpu_thread_enter(). */
void *percpu_this_area(void);
/* The calling thread's CPU number, or -1. */
int percpu_this_cpu(void);

/*
 * Per-CPU memory for a module's .data..percpu (init: its contents) or for
 * alloc_percpu (init NULL: zeroed), in every CPU's area.  Returns the
 * offset -- the per-CPU "address" -- or -errno.
 */
long percpu_alloc(size_t size, size_t align, const void *init);
void percpu_free(long off, size_t size);

#endif
