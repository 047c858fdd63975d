/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KMODFS_KERNEL_TIMER_H
#define KMODFS_KERNEL_TIMER_H

#include "kernel/abi.h"

/*
 * Remove every pending timer whose timer_list or callback lies in
 * [start, end) -- a module's memory being freed -- and wait for a running
 * one to finish.  Returns how many were still pending; the caller warns.
 */
unsigned int timers_purge_range(unsigned long start, unsigned long end);

#endif
