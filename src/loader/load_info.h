/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * struct load_info: the context of one load, created by load_module()
 * and handed to every stage in turn (see load.c for the order).  Until
 * elf_validity_check() has passed, nothing in the image is trusted;
 * afterwards every section header in sechdrs[] has been bounds-checked
 * against len, and the accessors below stay within the image.
 */
#ifndef KMODFS_LOADER_LOAD_INFO_H
#define KMODFS_LOADER_LOAD_INFO_H

#include <elf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/module.h"

/* Offsets in sh_entsize-like fashion: which allocation a section is in. */
#define SEC_UNPLACED (~0ul)
#define SEC_INIT_BIT (1ul << 63)

struct modinfo_entry {
	const char *key;	/* NUL-terminated, in load_info.modinfo */
	size_t key_len;
	const char *value;	/* after '=', or NULL for an entry without '=' */
};

struct load_info {
	const char *name;		/* for messages: .modinfo name, this_module name */
	const char *mod_name;		/* struct module's name (Linux's mod->name) */
	unsigned long taints;		/* module taints collected before km exists */
	const uint8_t *hdr;		/* the image (not owned) */
	size_t len;			/* image length without the signature */
	size_t file_len;		/* as given, signature included */
	int flags;			/* MODULE_INIT_* */
	bool sig_ok;

	Elf64_Ehdr ehdr;		/* copy */
	Elf64_Shdr *sechdrs;		/* our modifiable copy, ehdr.e_shnum entries */
	unsigned int shnum;
	const char *secstrings;		/* section name table, NUL-terminated */
	size_t secstrings_size;
	Elf *elf;			/* libelf view of hdr[0..len) */

	struct {
		unsigned int sym, str, mod, vers, info, pcpu;
	} index;

	/* .modinfo: a private NUL-terminated copy, split into entries */
	char *modinfo;
	size_t modinfo_size;
	struct modinfo_entry *mi;
	size_t num_mi;

	/* layout */
	unsigned long *secoff;		/* per section: offset | SEC_INIT_BIT, or SEC_UNPLACED */
	struct kmod_layout core, init;
	unsigned int core_typeoffs, init_typeoffs;
	unsigned int symoffs, stroffs;	/* core kallsyms copy */
	unsigned int stroffs_end;
	unsigned int mod_kallsyms_init_off;
	unsigned int num_core_syms;

	/* symbols: the full table, copied into init memory by move_module */
	Elf64_Sym *syms;
	size_t num_syms;
	const char *strtab;		/* in init memory, NUL-terminated */
	size_t strtab_size;

	struct kmodule *km;		/* once allocated */
	bool mem_handed_off;		/* core/init now belong to km */
	bool dry_run;			/* link_module(): stop before formation */
	bool placeholders;		/* link unknown symbols to a placeholder */
	unsigned long percpu_base;	/* per-CPU symbols' base */
	bool added;			/* km is in the registry */
	bool formed;			/* exports visible, state COMING */
	struct kmodule *waited_for;	/* for resolve_symbol_wait */
};

/* Name of section i, or "" when out of range (bounds-checked). */
const char *sec_name(const struct load_info *info, unsigned int i);
/* First SHF_ALLOC section called name (Linux's find_sec), or 0. */
unsigned int find_sec(const struct load_info *info, const char *name);
/* Whether a section has contents in the file: every such section was
 * bounds-checked by elf_validity_check(); SHT_NULL and SHT_NOBITS were
 * not, and have none. */
bool sec_has_data(const struct load_info *info, unsigned int i);
/* Section contents in the image (only where sec_has_data()). */
const void *sec_image(const struct load_info *info, unsigned int i);
/* Final address of an allocated section, after move_module. */
void *sec_addr(const struct load_info *info, unsigned int i);

#endif
