/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KMODFS_KERNEL_WORKQUEUE_H
#define KMODFS_KERNEL_WORKQUEUE_H

#include <stdbool.h>

/*
 * Cancel every queued work and every delayed work still on its timer
 * whose work_struct or function lies in [start, end) -- a module's
 * memory being freed -- and wait for a running one to finish; the same
 * for call_rcu() callbacks.  Returns how many were still pending; the
 * caller warns.  (The contract of timers_purge_range() in timer.h.)
 */
unsigned int works_purge_range(unsigned long start, unsigned long end);

struct timer_list;

/* Whether t is a delayed work's timer: works_purge_range() counts it
 * with its work, so timers_purge_range() leaves it alone. */
bool is_delayed_work_timer(const struct timer_list *t);

/* In a worker running a work: "Workqueue: NAME FUNC [MODULE]", as
 * Linux's dump_stack_print_info() adds to Oopses and warnings. */
void print_worker_info(void);

#endif
