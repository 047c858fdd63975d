// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: relocation (Linux's apply_relocations, facts §7).  Walks the
 * relocation sections in index order and hands every SHT_RELA section
 * that targets an allocated section to the architecture code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"

#define SHF_RELA_LIVEPATCH 0x00100000ull

/*
 * Livepatch relocation sections are named .klp.rela.OBJECT.SECTION; those
 * for another object wait for that object (Linux applies them later), and
 * those for vmlinux would need symbols kallsyms has but kmodfs does not
 * export, so livepatch modules cannot link here.
 */
static int klp_relocs(const struct load_info *info, unsigned int i)
{
	const char *name = sec_name(info, i);
	char obj[56];

	if (sscanf(name, ".klp.rela.%55[^.]", obj) != 1) {
		pr_err("livepatch: section %s has an incorrectly formatted name\n", name);
		return -EINVAL;
	}
	if (strcmp(obj, "vmlinux"))
		return 0;
	pr_err("livepatch: %s: relocations against vmlinux are not supported by kmodfs\n",
	       info->name);
	return -ENOEXEC;
}

int apply_relocations(struct load_info *info)
{
	int err = 0;

	for (unsigned int i = 1; i < info->shnum && !err; i++) {
		const Elf64_Shdr *sh = &info->sechdrs[i];
		unsigned int target = sh->sh_info;

		if (sh->sh_type != SHT_REL && sh->sh_type != SHT_RELA)
			continue;
		/* relocations for sections we did not load are not ours; nor
		 * are the symbol tables, which only look loaded (layout gives
		 * them SHF_ALLOC for their place in init memory) */
		if (target >= info->shnum ||
		    !(info->sechdrs[target].sh_flags & SHF_ALLOC) ||
		    target == info->index.sym || target == info->index.str)
			continue;
		if (sh->sh_flags & SHF_RELA_LIVEPATCH) {
			err = klp_relocs(info, i);
		} else if (sh->sh_type == SHT_REL) {
			pr_err("module %s: REL relocation unsupported\n",
			       info->km->name);
			err = -ENOEXEC;
		} else {
			err = apply_relocate_add(info, i);
		}
	}
	return err;
}
