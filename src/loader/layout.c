// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: layout and allocation (facts §8).
 *
 * Sections are placed exactly as Linux 6.1 places them -- five passes
 * (text, read-only, read-only-after-init, data, rest) over core and then
 * over .init* sections, page-aligned between passes -- then the symbol
 * tables are appended (layout_symtab), so coresize and initsize come out
 * as on Linux.  Sizes are computed in 64 bits and capped, where Linux
 * would wrap a 32-bit size on a crafted NOBITS section.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"

#define PAGE_SIZE 4096ull
#define SHF_RO_AFTER_INIT 0x00200000ull
#define MODULES_LEN (0xffffffffff000000ull - 0xffffffffc0000000ull)
#define MOD_KALLSYMS_SIZE 32	/* struct mod_kallsyms */

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static bool is_init_section(const char *name)
{
	return strncmp(name, ".init", 5) == 0;
}

struct sizes {
	uint64_t size, text, ro, ro_after_init;
};

static int place(struct load_info *info, struct sizes *s, unsigned int i,
		 bool init)
{
	const Elf64_Shdr *sh = &info->sechdrs[i];
	uint64_t a = sh->sh_addralign ? sh->sh_addralign : 1;
	uint64_t off;

	if (a & (a - 1)) {
		pr_err("%s: section %s (index %u) has invalid alignment %llu\n",
		       info->name, sec_name(info, i), i, (unsigned long long)a);
		return -ENOEXEC;
	}
	off = align_up(s->size, a);
	if (off < s->size || sh->sh_size > MODULES_LEN || off > MODULES_LEN) {
		pr_err("%s: section %s (index %u) is too large\n", info->name,
		       sec_name(info, i), i);
		return -ENOMEM;
	}
	s->size = off + sh->sh_size;
	info->secoff[i] = off | (init ? SEC_INIT_BIT : 0);
	return 0;
}

static int layout_pass(struct load_info *info, struct sizes *s, bool init)
{
	static const uint64_t masks[5][2] = {
		{ SHF_EXECINSTR | SHF_ALLOC, 0 },
		{ SHF_ALLOC, SHF_WRITE },
		{ SHF_RO_AFTER_INIT | SHF_ALLOC, 0 },
		{ SHF_WRITE | SHF_ALLOC, 0 },
		{ SHF_ALLOC, 0 },
	};
	int err;

	for (unsigned int m = 0; m < 5; m++) {
		for (unsigned int i = 0; i < info->shnum; i++) {
			const Elf64_Shdr *sh = &info->sechdrs[i];

			if ((sh->sh_flags & masks[m][0]) != masks[m][0] ||
			    (sh->sh_flags & masks[m][1]) ||
			    info->secoff[i] != SEC_UNPLACED ||
			    is_init_section(sec_name(info, i)) != init)
				continue;
			err = place(info, s, i, init);
			if (err)
				return err;
		}
		switch (m) {
		case 0:
			s->size = align_up(s->size, PAGE_SIZE);
			s->text = s->size;
			break;
		case 1:
			s->size = align_up(s->size, PAGE_SIZE);
			s->ro = s->size;
			break;
		case 2:
			if (init) {
				s->ro_after_init = s->ro;
			} else {
				s->size = align_up(s->size, PAGE_SIZE);
				s->ro_after_init = s->size;
			}
			break;
		case 4:
			s->size = align_up(s->size, PAGE_SIZE);
			break;
		}
	}
	return 0;
}

/* Linux's is_core_symbol() (KALLSYMS_ALL): kept after init. */
static bool is_core_symbol(const struct load_info *info, const Elf64_Sym *sym)
{
	const Elf64_Shdr *sec;

	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= info->shnum ||
	    !sym->st_name)
		return false;
	if (info->index.pcpu && sym->st_shndx == info->index.pcpu)
		return true;
	sec = &info->sechdrs[sym->st_shndx];
	return (sec->sh_flags & SHF_ALLOC) && !(info->secoff[sym->st_shndx] & SEC_INIT_BIT);
}

/* Symbols as they are in the image (possibly unaligned). */
static void image_sym(const struct load_info *info, size_t i, Elf64_Sym *out)
{
	const uint8_t *p = sec_image(info, info->index.sym);

	memcpy(out, p + i * sizeof(*out), sizeof(*out));
}

static int too_large(const struct load_info *info, const struct sizes *core,
		     const struct sizes *init)
{
	pr_err("%s: module too large (%llu bytes core, %llu bytes init)\n",
	       info->name, (unsigned long long)core->size,
	       (unsigned long long)init->size);
	return -ENOMEM;
}

static int layout_symtab(struct load_info *info, struct sizes *core,
			 struct sizes *init)
{
	Elf64_Shdr *symsect = &info->sechdrs[info->index.sym];
	Elf64_Shdr *strsect = &info->sechdrs[info->index.str];
	const char *strtab = (const char *)sec_image(info, info->index.str);
	size_t nsrc = symsect->sh_size / sizeof(Elf64_Sym);
	uint64_t strtab_size = 0, ndst = 0, off;
	int err;

	/* the full table goes to the end of init; 8-aligned for our reads */
	symsect->sh_flags |= SHF_ALLOC;
	if (symsect->sh_addralign < 8)
		symsect->sh_addralign = 8;
	err = place(info, init, info->index.sym, true);
	if (err)
		return err;

	for (size_t i = 0; i < nsrc; i++) {
		Elf64_Sym sym;

		image_sym(info, i, &sym);
		if (sym.st_name >= strsect->sh_size) {
			pr_err("%s: symbol %zu has an invalid name offset %u\n",
			       info->name, i, sym.st_name);
			return -ENOEXEC;
		}
		if (i == 0 || is_core_symbol(info, &sym)) {
			strtab_size += strlen(strtab + sym.st_name) + 1;
			ndst++;
		}
	}

	/* the core's copy: checked before the 32-bit offsets take it (an
	 * alignment of 2^35 made it 0 once) */
	off = align_up(core->size, symsect->sh_addralign);
	if (off < core->size || off > MODULES_LEN) {
		core->size = off < core->size ? UINT64_MAX : off;
		return too_large(info, core, init);
	}
	info->symoffs = (unsigned int)off;
	info->stroffs = (unsigned int)(info->symoffs + ndst * sizeof(Elf64_Sym));
	core->size = info->stroffs + strtab_size;
	info->core_typeoffs = (unsigned int)core->size;
	core->size += ndst;
	core->size = align_up(core->size, PAGE_SIZE);
	info->num_core_syms = (unsigned int)ndst;

	strsect->sh_flags |= SHF_ALLOC;
	err = place(info, init, info->index.str, true);
	if (err)
		return err;

	init->size = align_up(init->size, 8);
	info->mod_kallsyms_init_off = (unsigned int)init->size;
	init->size += MOD_KALLSYMS_SIZE;
	info->init_typeoffs = (unsigned int)init->size;
	init->size += nsrc;
	init->size = align_up(init->size, PAGE_SIZE);
	if (core->size > MODULES_LEN || init->size > MODULES_LEN)
		return too_large(info, core, init);
	return 0;
}

static void to_layout(struct kmod_layout *l, const struct sizes *s)
{
	l->size = (unsigned int)s->size;
	l->text_size = (unsigned int)s->text;
	l->ro_size = (unsigned int)s->ro;
	l->ro_after_init_size = (unsigned int)s->ro_after_init;
}

/* Allocate core and init, copy the sections in, point sh_addr at them. */
static int move_module(struct load_info *info)
{
	info->core.base = module_alloc(info->core.size);
	if (!info->core.base)
		return -ENOMEM;
	info->init.base = module_alloc(info->init.size);
	if (!info->init.base)
		return -ENOMEM;

	for (unsigned int i = 0; i < info->shnum; i++) {
		Elf64_Shdr *sh = &info->sechdrs[i];
		unsigned long off = info->secoff[i];
		uint8_t *dest;

		if (!(sh->sh_flags & SHF_ALLOC) || off == SEC_UNPLACED)
			continue;
		if (off & SEC_INIT_BIT)
			dest = (uint8_t *)info->init.base + (off & ~SEC_INIT_BIT);
		else
			dest = (uint8_t *)info->core.base + off;
		/* NOBITS (and a crafted ALLOC SHT_NULL) has no file contents */
		if (sec_has_data(info, i))
			memcpy(dest, sec_image(info, i), sh->sh_size);
		sh->sh_addr = (uint64_t)(uintptr_t)dest;
	}

	info->syms = sec_addr(info, info->index.sym);
	info->num_syms = info->sechdrs[info->index.sym].sh_size / sizeof(Elf64_Sym);
	info->strtab = sec_addr(info, info->index.str);
	info->strtab_size = info->sechdrs[info->index.str].sh_size;
	return 0;
}

bool layout_text_contains(const struct kmod_layout *l, uint64_t a, size_t n)
{
	uint64_t base = (uint64_t)(uintptr_t)l->base;

	return l->base && a >= base && a - base <= l->text_size &&
	       l->text_size - (a - base) >= n;
}

/* Linux's module_enforce_rwx_sections(): no section may be W and X. */
int module_enforce_rwx_sections(const struct load_info *info)
{
	for (unsigned int i = 0; i < info->shnum; i++) {
		if ((info->sechdrs[i].sh_flags & (SHF_WRITE | SHF_EXECINSTR)) ==
		    (SHF_WRITE | SHF_EXECINSTR)) {
			pr_err("%s: section %s (index %d) has invalid WRITE|EXEC flags\n",
			       info->mod_name, sec_name(info, i), i);
			return -ENOEXEC;
		}
	}
	return 0;
}

int layout_and_allocate(struct load_info *info)
{
	struct sizes core = { 0 }, init = { 0 };
	unsigned int ndx;
	int err;

	err = check_modinfo(info);
	if (err)
		return err;
	err = module_enforce_rwx_sections(info);
	if (err)
		return err;

	/* per-CPU data gets its own allocation */
	if (info->index.pcpu)
		info->sechdrs[info->index.pcpu].sh_flags &= ~(uint64_t)SHF_ALLOC;
	ndx = find_sec(info, ".data..ro_after_init");
	if (ndx)
		info->sechdrs[ndx].sh_flags |= SHF_RO_AFTER_INIT;
	ndx = find_sec(info, "__jump_table");
	if (ndx)
		info->sechdrs[ndx].sh_flags |= SHF_RO_AFTER_INIT;

	info->secoff = malloc(info->shnum * sizeof(*info->secoff));
	if (!info->secoff)
		return -ENOMEM;
	for (unsigned int i = 0; i < info->shnum; i++)
		info->secoff[i] = SEC_UNPLACED;
	err = layout_pass(info, &core, false);
	if (!err)
		err = layout_pass(info, &init, true);
	if (!err)
		err = layout_symtab(info, &core, &init);
	if (err)
		return err;
	to_layout(&info->core, &core);
	to_layout(&info->init, &init);
	return move_module(info);
}
