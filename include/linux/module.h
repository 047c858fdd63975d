/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmodfs module SDK: struct module with Linux 6.1 x86-64 offsets (896
 * bytes, name at 24, init at 312, exit at 848), the MODULE_* modinfo
 * macros, module_init/module_exit and module reference counting.
 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>
#include <linux/stringify.h>
#include <linux/timer.h>
#include <linux/types.h>

#define MODULE_NAME_LEN (64 - sizeof(unsigned long))

enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};

struct module {
	enum module_state state;
	struct list_head list;
	char name[MODULE_NAME_LEN];
	unsigned char __kmodfs_reserved0[312 - 80];
	int (*init)(void);
	unsigned char __kmodfs_reserved1[848 - 320];
	void (*exit)(void);
	atomic_t refcnt;
	unsigned char __kmodfs_reserved2[896 - 860];
} __aligned(64);

_Static_assert(sizeof(struct module) == 896, "struct module is 896 bytes in Linux 6.1");

#define MODULE_INFO(tag, info) __MODULE_INFO(tag, tag, info)
#define MODULE_LICENSE(_license) MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author) MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_description) MODULE_INFO(description, _description)
#define MODULE_VERSION(_version) MODULE_INFO(version, _version)
#define MODULE_ALIAS(_alias) MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_softdep) MODULE_INFO(softdep, _softdep)
#define MODULE_FIRMWARE(_firmware) MODULE_INFO(firmware, _firmware)
#define MODULE_IMPORT_NS(ns) MODULE_INFO(import_ns, __stringify(ns))

/* The module's init and exit are found by the names init_module and
 * cleanup_module, which these macros alias to the given functions. */
#define module_init(initfn)						\
	static inline initcall_t __maybe_unused __inittest(void)	\
	{ return initfn; }						\
	int init_module(void) __copy(initfn)				\
		__attribute__((alias(#initfn)));			\
	___ADDRESSABLE(init_module, __initdata)

#define module_exit(exitfn)						\
	static inline exitcall_t __maybe_unused __exittest(void)	\
	{ return exitfn; }						\
	void cleanup_module(void) __copy(exitfn)			\
		__attribute__((alias(#exitfn)));			\
	___ADDRESSABLE(cleanup_module, __exitdata)

extern int init_module(void);
extern void cleanup_module(void);

static inline const char *module_name(const struct module *mod)
{
	return mod ? mod->name : "kernel";
}

bool try_module_get(struct module *module);
void module_put(struct module *module);
void __module_get(struct module *module);
int module_refcount(struct module *mod);

#endif
