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

/*
 * Make the calling thread able to run module code: allocate its per-CPU
 * area and load GS.  Idempotent and cheap after the first call.
 * Returns 0 or -errno.
 */
int percpu_thread_enter(void);

/* The calling thread's area, or NULL before percpu_thread_enter(). */
void *percpu_this_area(void);

#endif
