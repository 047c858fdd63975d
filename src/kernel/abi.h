/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Structures that cross the module boundary, with Linux 6.1 x86-64
 * layouts (facts §0).  Only the fields the daemon touches are named; the
 * rest is padding, and static assertions pin every offset.
 */
#ifndef KMODFS_KERNEL_ABI_H
#define KMODFS_KERNEL_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MODULE_NAME_LEN 56	/* 64 - sizeof(unsigned long) */

enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

/* struct module: 896 bytes, 64-byte aligned; name@24, init@312, exit@848. */
struct module {
	int state;				/* enum module_state */
	int __pad_state;
	struct list_head list;			/* 8 */
	char name[MODULE_NAME_LEN];		/* 24 */
	uint8_t __pad1[312 - 80];
	int (*init)(void);			/* 312 */
	uint8_t __pad2[848 - 320];
	void (*exit)(void);			/* 848 */
	int refcnt;				/* 856, atomic_t */
	uint8_t __pad3[896 - 860];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct module) == 896, "struct module size");
_Static_assert(offsetof(struct module, name) == 24, "module.name");
_Static_assert(offsetof(struct module, init) == 312, "module.init");
_Static_assert(offsetof(struct module, exit) == 848, "module.exit");
_Static_assert(offsetof(struct module, refcnt) == 856, "module.refcnt");

/* loader/registry.c: the references modules take with try_module_get()
 * and module_put(), for kernel code that holds a module the same way
 * (NULL is the kernel itself: always there). */
bool try_module_get(struct module *mod);
void module_put(struct module *mod);

/* PREL32 export entry: each field is relative to its own address. */
struct kernel_symbol {
	int32_t value_offset;
	int32_t name_offset;
	int32_t namespace_offset;
};
_Static_assert(sizeof(struct kernel_symbol) == 12, "kernel_symbol");

struct modversion_info {
	uint64_t crc;
	char name[MODULE_NAME_LEN];
};
_Static_assert(sizeof(struct modversion_info) == 64, "modversion_info");

struct kernel_param;

struct kernel_param_ops {
	unsigned int flags;			/* KERNEL_PARAM_OPS_FL_NOARG */
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};
_Static_assert(sizeof(struct kernel_param_ops) == 32, "kernel_param_ops");

#define KERNEL_PARAM_OPS_FL_NOARG (1 << 0)
#define KERNEL_PARAM_FL_UNSAFE (1 << 0)
#define KERNEL_PARAM_FL_HWPARAM (1 << 1)

struct kparam_string {
	unsigned int maxlen;
	char *string;
};
_Static_assert(sizeof(struct kparam_string) == 16, "kparam_string");

struct kparam_array {
	unsigned int max;
	unsigned int elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};
_Static_assert(sizeof(struct kparam_array) == 32, "kparam_array");

struct kernel_param {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	uint16_t perm;
	int8_t level;
	uint8_t flags;
	union {
		void *arg;
		const struct kparam_string *str;
		const struct kparam_array *arr;
	};
};
_Static_assert(sizeof(struct kernel_param) == 40, "kernel_param");
_Static_assert(offsetof(struct kernel_param, perm) == 24, "kernel_param.perm");
_Static_assert(offsetof(struct kernel_param, arg) == 32, "kernel_param.arg");

/* struct timer_list without lockdep: 40 bytes. */
struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *);
	uint32_t flags;
};
_Static_assert(sizeof(struct timer_list) == 40, "timer_list");
_Static_assert(offsetof(struct timer_list, expires) == 16, "timer.expires");
_Static_assert(offsetof(struct timer_list, function) == 24, "timer.function");

/* Poison values (CONFIG_ILLEGAL_POINTER_VALUE on x86-64). */
#define POISON_POINTER_DELTA 0xdead000000000000UL
#define LIST_POISON1 ((void *)(0x100 + POISON_POINTER_DELTA))
#define LIST_POISON2 ((void *)(0x122 + POISON_POINTER_DELTA))

#endif
