/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Registry internals shared by the loader stages. */
#ifndef KMODFS_LOADER_REGISTRY_H
#define KMODFS_LOADER_REGISTRY_H

#include <time.h>

#include "loader/module.h"

#define MODULE_REF_BASE 1

/* Record that a uses b (module_mutex held); takes a reference on b.
 * b == NULL (the kernel) is a no-op.  -EBUSY while b is COMING. */
int ref_module(struct kmodule *a, struct kmodule *b);

/* Wait (module_mutex NOT held) for a state change, at most until the
 * deadline and at most a short while; returns -ETIMEDOUT past deadline. */
int module_wait_state_change(time_t deadline);

/* module_mutex held: wait for running sysfs handlers (GOING already set). */
void kmodule_sysfs_drain(struct kmodule *km);

/* Drop the dependency references a module holds (module_mutex held). */
void module_unload_free(struct kmodule *km);

/* The record of a struct module (module code passes THIS_MODULE);
 * NULL for the kernel or an unknown pointer.  Takes the modlist lock. */
struct kmodule *kmodule_from_struct(const struct module *mod);

/* bug.c: remember the last unloaded module for Oops reports */
void record_last_unloaded(const struct kmodule *km);

/* The refcount lives in struct module, as in Linux. */
int module_refcnt_read(const struct kmodule *km);

#endif

/*
 * Readers that may run from any context -- printk's %pS, Oops reports --
 * walk the module list under this read lock instead of module_mutex, so
 * that printing never waits for (or deadlocks with) a loader holding
 * module_mutex.  The list and a module's kallsyms pointer change only
 * with both locks held for writing.
 */
void modlist_read_lock(void);
void modlist_read_unlock(void);
void modlist_write_lock(void);
void modlist_write_unlock(void);
struct list_head *modlist_head(void);
