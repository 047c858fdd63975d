/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loader core's public interface: load and unload modules, and the
 * module records (struct kmodule) the filesystem renders.  No FUSE here.
 *
 * Locking: module_mutex (registry.c) protects the module list, every
 * kmodule's state-changing fields, dependency lists and the symbol hash.
 * It is never held while module code runs.  A kmodule stays valid while
 * the caller holds module_mutex, or holds a record reference
 * (kmodule_get/kmodule_put), which keeps the record -- not the module --
 * alive after unload.
 */
#ifndef KMODFS_LOADER_MODULE_H
#define KMODFS_LOADER_MODULE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/abi.h"
#include "kernel/list.h"

/* finit_module flags (include/uapi/linux/module.h) */
#define MODULE_INIT_IGNORE_MODVERSIONS 1
#define MODULE_INIT_IGNORE_VERMAGIC 2
#define MODULE_INIT_COMPRESSED_FILE 4

/* struct module_layout equivalent: one of the two allocations. */
struct kmod_layout {
	void *base;
	unsigned int size;
	unsigned int text_size;
	unsigned int ro_size;
	unsigned int ro_after_init_size;
};

/* A section as /sys/module/NAME/sections shows it. */
struct kmod_section {
	char *name;
	unsigned long addr;
};

/* An alloc SHT_NOTE section for /sys/module/NAME/notes. */
struct kmod_note {
	char *name;
	void *data;
	size_t size;
};

/* Module symbols kept for kallsyms (core part, like Linux's mod_kallsyms). */
struct kmod_kallsyms {
	const void *symtab;	/* Elf64_Sym[num_symtab] in core memory */
	unsigned int num_symtab;
	const char *strtab;
	const char *typetab;
};

/* "a uses b" dependency edge, on b->source_list and a->target_list. */
struct module_use {
	struct list_head source_list;
	struct list_head target_list;
	struct kmodule *source, *target;
};

struct kmodule {
	struct list_head list;		/* registry, newest first */
	struct kmodule *name_next;	/* registry's name hash chain */
	atomic_int rec_ref;		/* record lifetime (kmodule_get/put) */
	struct module *mod;		/* in core memory: name, refcnt, init, exit;
					 * dangling once unlinked */
	char name[MODULE_NAME_LEN];
	int state;			/* enum module_state; mirrored to mod->state */
	bool unlinked;			/* memory freed, out of the registry */
	bool sysfs_visible;		/* /sys/module/NAME exists (from mod_sysfs_setup) */
	int sysfs_active;		/* handlers running (kmodule_sysfs_enter) */

	struct kmod_layout core, init;
	unsigned long taints;
	bool sig_ok;
	bool using_gplonly_symbols;
	bool permanent;			/* init but no exit */

	struct list_head source_list;	/* modules that use this one */
	struct list_head target_list;	/* modules this one uses */

	/* exports, in core memory (PREL32) */
	const struct kernel_symbol *syms, *gpl_syms;
	const int32_t *crcs, *gpl_crcs;
	unsigned int num_syms, num_gpl_syms;

	/* kallsyms: the full table in init memory while coming, then the
	 * cut-down core copy (switched under the modlist write lock) */
	struct kmod_kallsyms core_kallsyms;
	struct kmod_kallsyms *kallsyms;

	/* parameters, in core memory */
	struct kernel_param *kp;
	unsigned int num_kp;
	pthread_mutex_t param_lock;
	char *args;

	/* modinfo copy: "key=value\0..." entries, for version, parm, ... */
	char *modinfo;
	size_t modinfo_len;
	const char *version, *srcversion;	/* into modinfo, or NULL */

	/* per-CPU data (.data..percpu): an offset in every CPU's area */
	long percpu;
	size_t percpu_size;

	/* BUG()/WARN() sites: 12-byte PREL32 entries in core memory */
	void *bug_table;
	unsigned int num_bugs;

	struct kmod_section *sections;
	unsigned int num_sections;
	struct kmod_note *notes;
	unsigned int num_notes;
};

/* ---- the emulated kernel's lifetime ---- */

/* "Linux version ...": the log's first record (kernel_boot() prints it if
 * nobody did before). */
void kernel_banner(void);
/*
 * Boot the user-space kernel: the profile (built-in unless one was
 * selected before), the clock, the export table.  Call once, before any
 * load.  Returns 0 or -errno.
 */
int kernel_boot(void);
/* Unload every module and stop the clock. */
void kernel_shutdown(void);

/* /proc/sys/kernel/modules_disabled: a one-way switch. */
extern bool modules_disabled;
void disable_modules(void);

/* ---- loading and unloading ---- */

/*
 * Load a module image (finit_module semantics; the image may be
 * compressed only when MODULE_INIT_COMPRESSED_FILE is set... the
 * filesystem always sets it).  args: "p=v ..." or NULL.
 * Returns 0 or the -errno Linux would return.
 */
int load_module(const void *image, size_t len, const char *args, int flags);

/*
 * Link a module without loading it: every stage up to relocation and
 * code patching runs (messages, errors and all) in memory of its own,
 * then everything is freed -- nothing joins the registry, no init runs,
 * no dependency is recorded.  With LINK_PLACEHOLDERS, symbols no export
 * provides are linked to a placeholder address instead of failing.
 * For kmodfs-link, benchmarks and fuzzing.  0 or -errno.
 */
#define LINK_DRY_RUN 1u
#define LINK_PLACEHOLDERS 2u
int link_module(const void *image, size_t len, int flags, unsigned int link_flags);

/*
 * Where load_module() takes a module's parameters from when it is given
 * args == NULL (the filesystem: etc/modprobe.d and --cmdline): fn gets
 * the module's name and returns a malloc'd "p=v ..." string, or NULL.
 */
void set_module_options_provider(char *(*fn)(const char *name));

/* delete_module(2) semantics; flags: O_NONBLOCK | O_TRUNC (force). */
int delete_module(const char *name, unsigned int flags);

/* Unload everything in reverse dependency order (daemon exit). */
void unload_all_modules(void);

/* ---- the registry ---- */

void module_mutex_lock(void);
void module_mutex_unlock(void);

/* Lookup by name (module_mutex held); includes UNFORMED when asked. */
struct kmodule *find_kmodule(const char *name, bool even_unformed);

/* Record references, usable without module_mutex. */
struct kmodule *kmodule_get_by_name(const char *name);
void kmodule_get(struct kmodule *km);
void kmodule_put(struct kmodule *km);

/* Iterate formed modules newest first, with module_mutex held;
 * fn returning non-zero stops the walk and is returned. */
int for_each_kmodule(int (*fn)(struct kmodule *km, void *arg), void *arg);

/* Count of modules in the registry (any state). */
unsigned int nr_kmodules(void);

static inline int kmodule_state(const struct kmodule *km)
{
	return __atomic_load_n(&km->state, __ATOMIC_ACQUIRE);
}

/* Set the state (module_mutex held) and mirror it into struct module. */
void kmodule_set_state(struct kmodule *km, int state);

/*
 * Keep a module's code from going away while the filesystem runs one of
 * its sysfs handlers (a parameter's get/set), as kernfs active
 * references do: 0 or -ENODEV if the module is going.  delete_module()
 * waits for these to drain before it runs the exit function.
 */
int kmodule_sysfs_enter(struct kmodule *km);
void kmodule_sysfs_exit(struct kmodule *km);

/* /sys/module/NAME/refcnt value: refcount minus the base reference. */
int kmodule_refcount(const struct kmodule *km);

/* Wake waiters on module state changes (module_wq). */
void module_state_changed(void);

/*
 * Watchers of the sysfs view (the filesystem): called without
 * module_mutex, in the thread that made the change, after a module's
 * /sys/module directory appears (KMOD_SYSFS_ADD, while it is coming), goes
 * live (KMOD_LIVE), and after it is gone (KMOD_SYSFS_DEL).  The record is
 * valid during the call.
 */
enum kmod_event { KMOD_SYSFS_ADD, KMOD_LIVE, KMOD_SYSFS_DEL };
int register_module_watcher(void (*fn)(struct kmodule *km, enum kmod_event ev,
				       void *arg), void *arg);
void module_watchers_notify(struct kmodule *km, enum kmod_event ev);

#endif
