/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The global export table: every symbol of the kernel's export table and
 * of every formed module's __ksymtab/__ksymtab_gpl, in one hash table
 * keyed by name.  Lookup cost does not depend on how many modules are
 * loaded.  Names are unique: a module exporting a name that already
 * exists is refused (verify_exported_symbols).
 *
 * Locking: module_mutex for changes and for module-owned entries' use;
 * kernel entries never change after ksymtab_init().
 */
#ifndef KMODFS_LOADER_KSYMTAB_H
#define KMODFS_LOADER_KSYMTAB_H

#include <stdbool.h>
#include <stdint.h>

struct kmodule;

struct ksym {
	const char *name;
	unsigned long value;
	const char *ns;		/* "" when none */
	struct kmodule *owner;	/* NULL: the kernel */
	bool gpl_only;
	bool has_crc;
	uint32_t crc;
	struct ksym *next;	/* hash chain */
};

int ksymtab_init(void);

/* Linux's find_symbol(): GPL-only entries are invisible unless gplok. */
const struct ksym *find_symbol(const char *name, bool gplok);

/* Iterate kernel exports (for /proc/kallsyms); fn non-zero stops. */
int for_each_kernel_export(int (*fn)(const struct ksym *s, void *arg), void *arg);

/* Number of kernel exports. */
unsigned int nr_kernel_exports(void);

#endif
