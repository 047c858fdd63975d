// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-64 RELA relocations exactly as Linux's apply_relocate_add()
 * (facts §7): the same types, the "target location is not zero" check
 * and the overflow checks for R_X86_64_32/32S (PC32/PLT32 are not
 * overflow-checked, as in Linux).  Beyond Linux, every relocation's
 * symbol index and target offset is bounds-checked first.
 */
#include <errno.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"

static void overflow(const struct load_info *info, unsigned int type, uint64_t val)
{
	pr_err("module: overflow in relocation type %u val %llx\n", type,
	       (unsigned long long)val);
	pr_err("module: `%s' likely not compiled with -mcmodel=kernel\n",
	       info->km->name);
}

static unsigned int reloc_width(unsigned int type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		return 4;
	default:
		return 0;
	}
}

int apply_relocate_add(const struct load_info *info, unsigned int relsec)
{
	const Elf64_Shdr *rs = &info->sechdrs[relsec];
	const Elf64_Shdr *target = &info->sechdrs[rs->sh_info];
	/* bounds-checked by elf_validity_check(); like Linux, a partial
	 * entry at the end is ignored */
	const uint8_t *tab = sec_image(info, relsec);
	size_t n = rs->sh_size / sizeof(Elf64_Rela);

	for (size_t i = 0; i < n; i++) {
		Elf64_Rela rela, *r = &rela;
		unsigned int type, width;
		uint64_t symi, val, old = 0;
		uint8_t *loc;

		memcpy(&rela, tab + i * sizeof(rela), sizeof(rela));
		type = (unsigned int)ELF64_R_TYPE(r->r_info);
		symi = ELF64_R_SYM(r->r_info);
		width = reloc_width(type);

		if (type == R_X86_64_NONE)
			continue;
		if (!width) {
			pr_err("module: %s: Unknown rela relocation: %u\n",
			       info->km->name, type);
			return -ENOEXEC;
		}
		if (symi >= info->num_syms) {
			pr_err("%s: relocation %zu of section %u uses symbol %llu of %zu\n",
			       info->name, i, relsec, (unsigned long long)symi,
			       info->num_syms);
			return -ENOEXEC;
		}
		if (r->r_offset > target->sh_size ||
		    target->sh_size - r->r_offset < width) {
			pr_err("%s: relocation %zu of section %u is outside its target (offset %#llx, size %#llx)\n",
			       info->name, i, relsec, (unsigned long long)r->r_offset,
			       (unsigned long long)target->sh_size);
			return -ENOEXEC;
		}
		loc = (uint8_t *)(uintptr_t)target->sh_addr + r->r_offset;
		val = info->syms[symi].st_value + (uint64_t)r->r_addend;

		/* Linux's order: compute and range-check, then insist the
		 * target is still zero, then write. */
		switch (type) {
		case R_X86_64_32:
			if (val != (uint32_t)val) {
				overflow(info, type, val);
				return -ENOEXEC;
			}
			break;
		case R_X86_64_32S:
			if ((int64_t)val != (int32_t)val) {
				overflow(info, type, val);
				return -ENOEXEC;
			}
			break;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
		case R_X86_64_PC64:
			val -= (uint64_t)(uintptr_t)loc;
			break;
		}
		memcpy(&old, loc, width);
		if (old) {
			pr_err("module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type %u, loc %p, val %llx\n",
			       type, loc, (unsigned long long)val);
			return -ENOEXEC;
		}
		memcpy(loc, &val, width);	/* little-endian: the low bytes */
	}
	return 0;
}
