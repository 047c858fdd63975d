// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms: module symbol tables (add_kallsyms, facts §8) and address
 * lookup for %pS and Oops reports.
 *
 * Module symbols: the full symbol table lives in init memory while the
 * module is coming; add_kallsyms() builds the cut-down core copy (the
 * symbols of core sections, with nm-style type letters) that remains
 * after init, exactly where layout_symtab() reserved room for it.
 *
 * Kernel symbols: the daemon's own symbol table, read once from
 * /proc/self/exe with libelf, so kernel functions symbolize with their
 * sizes; a function that is exported is shown under its export name.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/kallsyms.h"
#include "kernel/string.h"
#include "loader/internal.h"
#include "loader/registry.h"

#define SHF_SMALL 0	/* ARCH_SHF_SMALL on x86 */

/* nm-style type letter of a symbol, as Linux's elf_type(). */
static char elf_type(const Elf64_Sym *sym, const struct load_info *info)
{
	const Elf64_Shdr *s;

	if (ELF64_ST_BIND(sym->st_info) == STB_WEAK)
		return ELF64_ST_TYPE(sym->st_info) == STT_OBJECT ? 'v' : 'w';
	if (sym->st_shndx == SHN_UNDEF)
		return 'U';
	if (sym->st_shndx == SHN_ABS ||
	    (info->index.pcpu && sym->st_shndx == info->index.pcpu))
		return 'a';
	if (sym->st_shndx >= SHN_LORESERVE || sym->st_shndx >= info->shnum)
		return '?';
	s = &info->sechdrs[sym->st_shndx];
	if (s->sh_flags & SHF_EXECINSTR)
		return 't';
	if ((s->sh_flags & SHF_ALLOC) && s->sh_type != SHT_NOBITS)
		return !(s->sh_flags & SHF_WRITE) ? 'r' : (s->sh_flags & SHF_SMALL) ? 'g' : 'd';
	if (s->sh_type == SHT_NOBITS)
		return (s->sh_flags & SHF_SMALL) ? 's' : 'b';
	if (!strncmp(sec_name(info, sym->st_shndx), ".debug", 6))
		return 'n';
	return '?';
}

static bool is_core_symbol(const struct load_info *info, const Elf64_Sym *sym)
{
	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= info->shnum ||
	    !sym->st_name)
		return false;
	if (info->index.pcpu && sym->st_shndx == info->index.pcpu)
		return true;
	return (info->sechdrs[sym->st_shndx].sh_flags & SHF_ALLOC) &&
	       !(info->secoff[sym->st_shndx] & SEC_INIT_BIT);
}

void add_kallsyms(struct load_info *info)
{
	struct kmodule *km = info->km;
	struct kmod_kallsyms *full;
	char *core = km->core.base, *init = km->init.base;
	Elf64_Sym *dst = (Elf64_Sym *)(core + info->symoffs);
	char *s = core + info->stroffs, *typetab = init + info->init_typeoffs;
	char *core_types = core + info->core_typeoffs;
	size_t room = info->core_typeoffs - info->stroffs;
	unsigned int ndst = 0;

	full = (struct kmod_kallsyms *)(init + info->mod_kallsyms_init_off);
	full->symtab = info->syms;
	full->num_symtab = (unsigned int)info->num_syms;
	full->strtab = info->strtab;
	full->typetab = typetab;

	for (size_t i = 0; i < info->num_syms; i++) {
		const Elf64_Sym *src = &info->syms[i];
		ssize_t n;

		typetab[i] = elf_type(src, info);
		if (i && !is_core_symbol(info, src))
			continue;
		core_types[ndst] = typetab[i];
		dst[ndst] = *src;
		dst[ndst].st_name = (uint32_t)(s - (core + info->stroffs));
		ndst++;
		n = strscpy(s, info->strtab + src->st_name, room);
		if (n < 0)
			break;
		s += n + 1;
		room -= (size_t)n + 1;
	}
	km->core_kallsyms.symtab = dst;
	km->core_kallsyms.num_symtab = ndst;
	km->core_kallsyms.strtab = core + info->stroffs;
	km->core_kallsyms.typetab = core_types;
	modlist_write_lock();
	km->kallsyms = full;
	modlist_write_unlock();
}

/* ---- lookup ---- */

static bool is_mapping_symbol(const char *name)
{
	return (name[0] == '.' && name[1] == 'L') ||
	       (name[0] == 'L' && name[1] == '0') || name[0] == '$';
}

static bool within(unsigned long addr, const struct kmod_layout *l)
{
	return l->base && addr >= (unsigned long)l->base &&
	       addr < (unsigned long)l->base + l->size;
}

/* Closest preceding named symbol of a module (modlist read lock held). */
static const char *module_symbol(const struct kmodule *km, unsigned long addr,
				 unsigned long *size, unsigned long *offset)
{
	const struct kmod_kallsyms *ks = km->kallsyms;
	const struct kmod_layout *l = within(addr, &km->init) ? &km->init : &km->core;
	unsigned long nextval = (unsigned long)l->base + l->text_size;
	unsigned long bestval = 0;
	const Elf64_Sym *syms;
	unsigned int best = 0;

	if (!ks)
		return NULL;
	syms = ks->symtab;
	if (addr >= nextval)	/* data: the end of the allocation bounds it */
		nextval = (unsigned long)l->base + l->size;
	for (unsigned int i = 1; i < ks->num_symtab; i++) {
		const char *name = ks->strtab + syms[i].st_name;
		unsigned long v = syms[i].st_value;

		if (syms[i].st_shndx == SHN_UNDEF || !*name || is_mapping_symbol(name))
			continue;
		if (v <= addr && v > bestval) {
			best = i;
			bestval = v;
		}
		if (v > addr && v < nextval)
			nextval = v;
	}
	if (!best)
		return NULL;
	*size = nextval - bestval;
	*offset = addr - bestval;
	return ks->strtab + syms[best].st_name;
}

/* The daemon's own functions and objects, sorted by address. */
struct dsym {
	unsigned long addr, size;
	const char *name;
};

static struct dsym *dsyms;
static size_t ndsyms;
static pthread_once_t dsyms_once = PTHREAD_ONCE_INIT;

static int cmp_dsym(const void *a, const void *b)
{
	const struct dsym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Prefer the export name for an exported address. */
static const char *export_name(unsigned long addr)
{
	for (const struct kernel_export *e = __start_kmodfs_ksymtab;
	     e < __stop_kmodfs_ksymtab; e++)
		if ((unsigned long)e->addr == addr)
			return e->name;
	return NULL;
}

static void load_daemon_symbols(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Elf *elf;
	Elf_Scn *scn = NULL;

	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	while (elf && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		dsyms = calloc(n ? n : 1, sizeof(*dsyms));
		for (size_t i = 0; d && dsyms && i < n; i++) {
			GElf_Sym sym;
			const char *name, *ex;

			if (!gelf_getsym(d, (int)i, &sym) || !sym.st_value ||
			    (GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
			     GELF_ST_TYPE(sym.st_info) != STT_OBJECT))
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name)
				continue;
			ex = export_name(sym.st_value);
			dsyms[ndsyms].addr = sym.st_value;
			dsyms[ndsyms].size = sym.st_size;
			dsyms[ndsyms].name = strdup(ex ? ex : name);
			if (dsyms[ndsyms].name)
				ndsyms++;
		}
		break;
	}
	if (elf)
		elf_end(elf);
	close(fd);
	if (dsyms)
		qsort(dsyms, ndsyms, sizeof(*dsyms), cmp_dsym);
}

static const struct dsym *daemon_symbol(unsigned long addr)
{
	size_t lo = 0, hi;

	pthread_once(&dsyms_once, load_daemon_symbols);
	hi = ndsyms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (dsyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (addr - dsyms[lo - 1].addr < (dsyms[lo - 1].size ? dsyms[lo - 1].size : 1))
		return &dsyms[lo - 1];
	return NULL;
}

static bool within_text(unsigned long addr, const struct kmod_layout *l)
{
	return l->base && addr >= (unsigned long)l->base &&
	       addr < (unsigned long)l->base + l->text_size;
}

bool module_text_address(unsigned long addr)
{
	struct kmodule *km;
	bool found = false;

	modlist_read_lock();
	list_for_each_entry(km, modlist_head(), list) {
		if (within_text(addr, &km->core) || within_text(addr, &km->init)) {
			found = true;
			break;
		}
	}
	modlist_read_unlock();
	return found;
}

bool kallsyms_lookup(unsigned long addr, unsigned long *size,
		     unsigned long *offset, char *modname, size_t modlen,
		     char *name)
{
	const struct dsym *d;
	struct kmodule *km;
	bool found = false;

	modlist_read_lock();
	list_for_each_entry(km, modlist_head(), list) {
		const char *sym;

		if (!within(addr, &km->core) && !within(addr, &km->init))
			continue;
		sym = module_symbol(km, addr, size, offset);
		if (sym) {
			snprintf(name, KSYM_NAME_LEN, "%s", sym);
			snprintf(modname, modlen, "%s", km->name);
			found = true;
		}
		break;
	}
	modlist_read_unlock();
	if (found)
		return true;

	d = daemon_symbol(addr);
	if (!d)
		return false;
	snprintf(name, KSYM_NAME_LEN, "%s", d->name);
	*size = d->size;
	*offset = addr - d->addr;
	if (modlen)
		modname[0] = '\0';
	return true;
}

size_t sprint_symbol(char *buf, size_t len, unsigned long addr, bool with_offset)
{
	char name[KSYM_NAME_LEN], mod[MODULE_NAME_LEN];
	unsigned long size, offset;
	int n;

	if (!kallsyms_lookup(addr, &size, &offset, mod, sizeof(mod), name))
		n = snprintf(buf, len, "0x%lx", addr);
	else if (with_offset)
		n = snprintf(buf, len, "%s+0x%lx/0x%lx%s%s%s", name, offset, size,
			     mod[0] ? " [" : "", mod, mod[0] ? "]" : "");
	else
		n = snprintf(buf, len, "%s%s%s%s", name, mod[0] ? " [" : "", mod,
			     mod[0] ? "]" : "");
	return n < 0 ? 0 : (size_t)n;
}
