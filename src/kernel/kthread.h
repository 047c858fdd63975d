/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kernel/kthread.c: kernel threads for modules. */
#ifndef KMODFS_KERNEL_KTHREAD_H
#define KMODFS_KERNEL_KTHREAD_H

/*
 * At unload: kernel threads whose function lies in [start, end).  Those
 * never woken are stopped (they end without running) and counted in the
 * return value; those that ran and have not ended are counted in
 * *running (their code must stay mapped).  Ended ones are forgotten.
 */
unsigned int kthreads_purge_range(unsigned long start, unsigned long end,
				  unsigned int *running);

#endif
