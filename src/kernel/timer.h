/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KMODFS_KERNEL_TIMER_H
#define KMODFS_KERNEL_TIMER_H

#include "kernel/abi.h"

/* The timer API for the daemon's own use (workqueue.c's delayed works);
 * kapi_timer_delete is Linux's timer_delete (a POSIX name in libc). */
int mod_timer(struct timer_list *timer, unsigned long expires);
int kapi_timer_delete(struct timer_list *timer);
int timer_delete_sync(struct timer_list *timer);

/*
 * Remove every pending timer whose timer_list or callback lies in
 * [start, end) -- a module's memory being freed -- and wait for a running
 * one to finish.  Returns how many were still pending; the caller warns.
 */
unsigned int timers_purge_range(unsigned long start, unsigned long end);

#endif
