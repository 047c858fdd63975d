/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every call from the daemon into module code goes through here, so that
 * the thread is set up to run kernel code (its %gs per-CPU area) and so
 * that a fault in the module is contained to the call that ran it.
 */
#ifndef KMODFS_KERNEL_MODCALL_H
#define KMODFS_KERNEL_MODCALL_H

#include <stdbool.h>

/*
 * Run fn(arg) as module code.  Returns 0 when fn returned, or -EFAULT if
 * the module code faulted (reported in the log like an Oops).
 */
int modcall(void (*fn)(void *arg), void *arg);

/*
 * Inside fn of a modcall(): call the module function mfn with up to two
 * arguments, guarding the caller against a module that returns without
 * keeping the calling convention (reported as a fault of the modcall).
 * Returns what mfn returned in %rax.
 */
long modcall_fn(void (*mfn)(void), unsigned long a0, unsigned long a1);

/* Whether this thread is running module code (inside modcall()). */
bool modcall_active(void);

struct fault_info;
/* From the trap handler: abandon the innermost modcall() (no return). */
__attribute__((noreturn)) void modcall_fault(const struct fault_info *f);

/* Typed helpers for the common entry points. */
int modcall_init(int (*init)(void), int *ret);
int modcall_exit(void (*exit)(void));

#endif
