/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pipeline stages, one file each; load.c runs them in this order. */
#ifndef KMODFS_LOADER_INTERNAL_H
#define KMODFS_LOADER_INTERNAL_H

#include "loader/load_info.h"

/* signature.c: verify and strip an appended signature (sets sig_ok). */
int module_sig_check(struct load_info *info);

/* elf_validate.c */
int elf_validity_check(struct load_info *info);
int setup_load_info(struct load_info *info);
void rewrite_section_headers(struct load_info *info);

/* modinfo.c */
int modinfo_parse(struct load_info *info);
const char *get_modinfo(const struct load_info *info, const char *tag);
/* Next value of tag after *pos (start with *pos = 0); NULL at the end. */
const char *get_next_modinfo(const struct load_info *info, const char *tag,
			     size_t *pos);
int check_modinfo(struct load_info *info);
int setup_modinfo(struct load_info *info);

/* version.c */
int check_modstruct_version(struct load_info *info);
int check_modinfo_vermagic(struct load_info *info);
/* Check the CRC the module was built against for sym; crc NULL = none. */
bool check_version(struct load_info *info, const char *symname,
		   const uint32_t *crc);
int try_to_force_load(struct load_info *info, const char *reason);

/* license.c */
void add_taint_module(struct load_info *info, unsigned int flag, int lockdep);
int check_modinfo_license_and_taints(struct load_info *info);
int check_module_license_and_versions(struct load_info *info);
bool license_is_gpl_compatible(const char *license);

/* strict_rwx.c */
int module_enforce_rwx_sections(const struct load_info *info);
void module_protect_formed(const struct kmodule *km);
void module_protect_ro_after_init(const struct kmodule *km);

/* layout.c */
int layout_and_allocate(struct load_info *info);
/* [a, a+n) lies within the text of allocation l (overflow-safe). */
bool layout_text_contains(const struct kmod_layout *l, uint64_t a, size_t n);

/* sections.c: find exports, params, and the other special sections */
int find_module_sections(struct load_info *info);

/* symbols.c */
int simplify_symbols(struct load_info *info);

/* relocate.c / relocate_x86_64.c */
int apply_relocations(struct load_info *info);
int apply_relocate_add(const struct load_info *info, unsigned int relsec);

/* kallsyms.c */
void add_kallsyms(struct load_info *info);

/* x86_finalize.c */
void module_finalize(struct load_info *info);

/* ftrace.c */
void ftrace_module_init(struct load_info *info);

/* ksymtab.c: the global export hash */
struct ksym;
int verify_exported_symbols(const struct load_info *info);
int ksymtab_add_module(struct kmodule *km);
void ksymtab_del_module(struct kmodule *km);

/* registry.c */
int add_unformed_module(struct load_info *info);
int complete_formation(struct load_info *info);
void free_module(struct kmodule *km);

/* params.c */
int check_module_params(struct load_info *info);
int parse_module_args(struct load_info *info, const char *args);

/* module_alloc.c: low-2-GiB page allocator */
void *module_alloc(size_t size);
void module_memfree(void *p, size_t size);

#endif
