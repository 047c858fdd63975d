/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address -> symbol lookup over kernel exports and loaded modules'
 * symbols, as Linux's kallsyms provides it to %pS/%ps and Oops reports.
 */
#ifndef KMODFS_KERNEL_KALLSYMS_H
#define KMODFS_KERNEL_KALLSYMS_H

#include <stddef.h>
#include <stdbool.h>

#define KSYM_NAME_LEN 512
#define KSYM_SYMBOL_LEN (KSYM_NAME_LEN + 128)

/*
 * Find the symbol containing addr.  On success fills name (NUL-terminated,
 * at most KSYM_NAME_LEN bytes), *size and *offset, and modname with the
 * owning module's name ("" for the kernel itself), and returns true.
 * Safe to call from any thread, including while a module is loading.
 */
bool kallsyms_lookup(unsigned long addr, unsigned long *size,
		     unsigned long *offset, char *modname, size_t modlen,
		     char *name);

/* Whether addr is in a loaded module's code (core or init text). */
bool module_text_address(unsigned long addr);

/* Whether addr is in the region module memory is carved from (lock-free,
 * safe in a signal handler). */
bool module_area_address(unsigned long addr);

/*
 * Print addr the way Linux's %pS (with_offset) or %ps (without) does:
 * "name+0xoff/0xsize [module]", "name [module]", or "0x<hex>" when no
 * symbol is known.  Returns the length written (snprintf semantics).
 */
size_t sprint_symbol(char *buf, size_t len, unsigned long addr,
		     bool with_offset);

#endif
