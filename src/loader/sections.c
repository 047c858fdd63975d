// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: find_module_sections -- locate the tables the rest of the load
 * and the module's lifetime use (exports, CRCs, parameters), record the
 * sections /sys/module/NAME/sections and notes/ show, and apply Linux's
 * checks (.ctors with .init_array is EINVAL).  Tables read as arrays of
 * structs must be whole and aligned; Linux only divides sizes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"

/* Address and element count of an allocated table, checked whole. */
static int section_objs(const struct load_info *info, const char *name,
			size_t objsize, size_t align, void **addr, unsigned int *num)
{
	unsigned int i = find_sec(info, name);
	const Elf64_Shdr *s;

	*addr = NULL;
	*num = 0;
	if (!i)
		return 0;
	s = &info->sechdrs[i];
	if (s->sh_size % objsize || s->sh_size / objsize > 0x7fffffff ||
	    (s->sh_addr & (align - 1))) {
		pr_err("%s: section %s has size %llu and address %#llx, not whole %zu-byte entries aligned to %zu\n",
		       info->name, name, (unsigned long long)s->sh_size,
		       (unsigned long long)s->sh_addr, objsize, align);
		return -ENOEXEC;
	}
	*addr = sec_addr(info, i);
	*num = (unsigned int)(s->sh_size / objsize);
	return 0;
}

/* A CRC table must have one entry per export. */
static int crc_table(const struct load_info *info, const char *name,
		     unsigned int nsyms, const int32_t **crcs)
{
	unsigned int n;
	void *p;
	int err = section_objs(info, name, sizeof(int32_t), 4, &p, &n);

	if (err)
		return err;
	if (p && n < nsyms) {
		pr_err("%s: %s has %u entries for %u exports\n", info->name, name, n,
		       nsyms);
		return -ENOEXEC;
	}
	*crcs = p;
	return 0;
}

/* sections/: allocated, non-empty; notes/: allocated SHT_NOTE. */
static int record_sysfs_sections(const struct load_info *info)
{
	struct kmodule *km = info->km;
	unsigned int nsec = 0, nnotes = 0;

	km->sections = calloc(info->shnum, sizeof(*km->sections));
	km->notes = calloc(info->shnum, sizeof(*km->notes));
	if (!km->sections || !km->notes)
		return -ENOMEM;
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];

		if (!(s->sh_flags & SHF_ALLOC) || !s->sh_size)
			continue;
		km->sections[nsec].name = strdup(sec_name(info, i));
		if (!km->sections[nsec].name)
			return -ENOMEM;
		km->sections[nsec++].addr = s->sh_addr;
		km->num_sections = nsec;
		if (s->sh_type == SHT_NOTE && !(info->secoff[i] & SEC_INIT_BIT)) {
			km->notes[nnotes].name = strdup(sec_name(info, i));
			if (!km->notes[nnotes].name)
				return -ENOMEM;
			km->notes[nnotes].data = sec_addr(info, i);
			km->notes[nnotes++].size = s->sh_size;
			km->num_notes = nnotes;
		}
	}
	return 0;
}

int find_module_sections(struct load_info *info)
{
	struct kmodule *km = info->km;
	void *p;
	int err;

	err = section_objs(info, "__param", sizeof(struct kernel_param), 8, &p,
			   &km->num_kp);
	if (err)
		return err;
	km->kp = p;
	err = section_objs(info, "__ksymtab", sizeof(struct kernel_symbol), 4, &p,
			   &km->num_syms);
	if (err)
		return err;
	km->syms = p;
	err = section_objs(info, "__ksymtab_gpl", sizeof(struct kernel_symbol), 4,
			   &p, &km->num_gpl_syms);
	if (err)
		return err;
	km->gpl_syms = p;
	err = crc_table(info, "__kcrctab", km->num_syms, &km->crcs);
	if (!err)
		err = crc_table(info, "__kcrctab_gpl", km->num_gpl_syms, &km->gpl_crcs);
	if (err)
		return err;

	err = section_objs(info, "__bug_table", 12, 4, &km->bug_table, &km->num_bugs);
	if (err)
		return err;

	if (find_sec(info, ".ctors") && find_sec(info, ".init_array")) {
		pr_err("%s: has both .ctors and .init_array.\n", km->name);
		return -EINVAL;
	}
	if (find_sec(info, "__obsparm"))
		pr_warn("%s: Ignoring obsolete parameters\n", km->name);
	return record_sysfs_sections(info);
}
