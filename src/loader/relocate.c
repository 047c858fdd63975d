// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: relocation (Linux's apply_relocations, facts §7).  Walks the
 * relocation sections in index order and hands every SHT_RELA section
 * that targets an allocated section to the architecture code.
 */
#include <errno.h>

#include "kernel/printk.h"
#include "loader/internal.h"

#define SHF_RELA_LIVEPATCH 0x00100000ull

int apply_relocations(struct load_info *info)
{
	int err = 0;

	for (unsigned int i = 1; i < info->shnum && !err; i++) {
		const Elf64_Shdr *sh = &info->sechdrs[i];
		unsigned int target = sh->sh_info;

		if (sh->sh_type != SHT_REL && sh->sh_type != SHT_RELA)
			continue;
		/* relocations for sections we did not load are not ours */
		if (target >= info->shnum ||
		    !(info->sechdrs[target].sh_flags & SHF_ALLOC))
			continue;
		if (sh->sh_flags & SHF_RELA_LIVEPATCH) {
			/* livepatch relocations are applied by klp, which
			 * kmodfs does not provide */
			pr_err("%s: livepatch relocations are not supported\n",
			       info->name);
			err = -ENOEXEC;
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
