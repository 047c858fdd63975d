// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage 2 and 3: ELF validity, and finding the sections the loader needs.
 *
 * elf_validity_check() makes every check Linux 6.1 makes, in the same
 * order and with the same messages (facts §3), and a few more that Linux
 * skips (ELF class and byte order, the symbol string table): after it
 * returns 0 every section header has been copied into info->sechdrs and
 * every non-NOBITS section lies within the image.  Only then is a libelf
 * view opened over the image for the later stages.
 */
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"

#define NONAME "(missing .modinfo section or name field)"

const char *sec_name(const struct load_info *info, unsigned int i)
{
	if (i >= info->shnum || info->sechdrs[i].sh_name >= info->secstrings_size)
		return "";
	return info->secstrings + info->sechdrs[i].sh_name;
}

unsigned int find_sec(const struct load_info *info, const char *name)
{
	for (unsigned int i = 1; i < info->shnum; i++)
		if ((info->sechdrs[i].sh_flags & SHF_ALLOC) &&
		    strcmp(sec_name(info, i), name) == 0)
			return i;
	return 0;
}

bool sec_has_data(const struct load_info *info, unsigned int i)
{
	return i && i < info->shnum && info->sechdrs[i].sh_type != SHT_NULL &&
	       info->sechdrs[i].sh_type != SHT_NOBITS;
}

const void *sec_image(const struct load_info *info, unsigned int i)
{
	return info->hdr + info->sechdrs[i].sh_offset;
}

void *sec_addr(const struct load_info *info, unsigned int i)
{
	return (void *)(uintptr_t)info->sechdrs[i].sh_addr;
}

/* Section contents must lie within the image (signature excluded). */
static int validate_section_offset(const struct load_info *info,
				   const Elf64_Shdr *shdr)
{
	uint64_t end = shdr->sh_offset + shdr->sh_size;

	if (end < shdr->sh_offset || end > info->len)
		return -ENOEXEC;
	return 0;
}

int elf_validity_check(struct load_info *info)
{
	Elf64_Ehdr *hdr = &info->ehdr;
	const Elf64_Shdr *strhdr;
	size_t shbytes;

	if (info->len < sizeof(*hdr)) {
		pr_err("Invalid ELF header len %lu\n", (unsigned long)info->len);
		return -ENOEXEC;
	}
	memcpy(hdr, info->hdr, sizeof(*hdr));
	if (memcmp(hdr->e_ident, ELFMAG, SELFMAG) != 0) {
		pr_err("Invalid ELF header magic: != %s\n", ELFMAG);
		return -ENOEXEC;
	}
	if (hdr->e_type != ET_REL) {
		pr_err("Invalid ELF header type: %u != %u\n", hdr->e_type, ET_REL);
		return -ENOEXEC;
	}
	if (hdr->e_machine != EM_X86_64) {
		pr_err("Invalid architecture in ELF header: %u\n", hdr->e_machine);
		return -ENOEXEC;
	}
	/* Linux relies on e_machine alone; libelf needs these to be right
	 * (a deliberate difference: such files are not valid ELF). */
	if (hdr->e_ident[EI_CLASS] != ELFCLASS64 ||
	    hdr->e_ident[EI_DATA] != ELFDATA2LSB) {
		pr_err("Invalid ELF header class/data: %u/%u != ELFCLASS64/ELFDATA2LSB\n",
		       hdr->e_ident[EI_CLASS], hdr->e_ident[EI_DATA]);
		return -ENOEXEC;
	}
	if (hdr->e_ident[EI_VERSION] != EV_CURRENT) {
		pr_err("Invalid ELF header version: %u != %u\n", hdr->e_ident[EI_VERSION],
		       EV_CURRENT);
		return -ENOEXEC;
	}
	if (hdr->e_shentsize != sizeof(Elf64_Shdr)) {
		pr_err("Invalid ELF section header size\n");
		return -ENOEXEC;
	}
	shbytes = (size_t)hdr->e_shnum * sizeof(Elf64_Shdr);
	if (hdr->e_shoff >= info->len || shbytes > info->len - hdr->e_shoff) {
		pr_err("Invalid ELF section header overflow\n");
		return -ENOEXEC;
	}
	if (hdr->e_shstrndx == SHN_UNDEF || hdr->e_shstrndx >= hdr->e_shnum) {
		pr_err("Invalid ELF section name index: %d || e_shstrndx (%d) >= e_shnum (%d)\n",
		       hdr->e_shstrndx, hdr->e_shstrndx, hdr->e_shnum);
		return -ENOEXEC;
	}

	/* From here on the section headers are ours to read and rewrite. */
	info->shnum = hdr->e_shnum;
	info->sechdrs = malloc(shbytes);
	if (!info->sechdrs)
		return -ENOMEM;
	memcpy(info->sechdrs, info->hdr + hdr->e_shoff, shbytes);

	strhdr = &info->sechdrs[hdr->e_shstrndx];
	if (validate_section_offset(info, strhdr) < 0) {
		pr_err("Invalid ELF section hdr(type %u)\n", strhdr->sh_type);
		return -ENOEXEC;
	}
	info->secstrings = (const char *)info->hdr + strhdr->sh_offset;
	info->secstrings_size = strhdr->sh_size;
	if (strhdr->sh_size == 0) {
		pr_err("empty section name table\n");
		return -ENOEXEC;
	}
	if (info->secstrings[strhdr->sh_size - 1] != '\0') {
		pr_err("ELF Spec violation: section name table isn't null terminated\n");
		return -ENOEXEC;
	}
	if (info->sechdrs[0].sh_type != SHT_NULL || info->sechdrs[0].sh_size != 0 ||
	    info->sechdrs[0].sh_addr != 0) {
		pr_err("ELF Spec violation: section 0 type(%d)!=SH_NULL or non-zero len or addr\n",
		       info->sechdrs[0].sh_type);
		return -ENOEXEC;
	}

	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *shdr = &info->sechdrs[i];

		switch (shdr->sh_type) {
		case SHT_NULL:
		case SHT_NOBITS:
			continue;
		case SHT_SYMTAB:
			if (shdr->sh_link == SHN_UNDEF || shdr->sh_link >= info->shnum) {
				pr_err("Invalid ELF sh_link!=SHN_UNDEF(%d) or (sh_link(%d) >= hdr->e_shnum(%d)\n",
				       shdr->sh_link, shdr->sh_link, info->shnum);
				return -ENOEXEC;
			}
			__attribute__((fallthrough));
		default:
			if (validate_section_offset(info, shdr) < 0) {
				pr_err("Invalid ELF section in module (section %u type %u)\n",
				       i, shdr->sh_type);
				return -ENOEXEC;
			}
			if ((shdr->sh_flags & SHF_ALLOC) &&
			    shdr->sh_name >= strhdr->sh_size) {
				pr_err("Invalid ELF section name in module (section %u type %u)\n",
				       i, shdr->sh_type);
				return -ENOEXEC;
			}
			break;
		}
	}

	/* Sizes and offsets are sane: libelf may now look at the image. */
	info->elf = elf_memory((char *)(uintptr_t)info->hdr, info->len);
	if (!info->elf || elf_kind(info->elf) != ELF_K_ELF) {
		pr_err("Invalid ELF image: %s\n", elf_errmsg(-1));
		return -ENOEXEC;
	}
	return 0;
}

/*
 * The symbol table and its strings, checked beyond what Linux checks: the
 * table must be whole Elf64_Sym records and the string table a real,
 * in-bounds, NUL-terminated section, so no symbol name can run off it.
 */
static int check_symtab(struct load_info *info)
{
	const Elf64_Shdr *sym = &info->sechdrs[info->index.sym];
	const Elf64_Shdr *str = &info->sechdrs[info->index.str];
	const char *s;

	if (sym->sh_entsize != sizeof(Elf64_Sym) || sym->sh_size % sizeof(Elf64_Sym) ||
	    sym->sh_size == 0) {
		pr_err("%s: invalid symbol table (size %llu, entsize %llu)\n", info->name,
		       (unsigned long long)sym->sh_size, (unsigned long long)sym->sh_entsize);
		return -ENOEXEC;
	}
	if (str->sh_type != SHT_STRTAB || str->sh_size == 0 ||
	    validate_section_offset(info, str) < 0) {
		pr_err("%s: invalid symbol string table (section %u)\n", info->name,
		       info->index.str);
		return -ENOEXEC;
	}
	s = (const char *)sec_image(info, info->index.str);
	if (s[str->sh_size - 1] != '\0') {
		pr_err("%s: symbol string table isn't null terminated\n", info->name);
		return -ENOEXEC;
	}
	return 0;
}

/* struct module's name in the image (which need not be 64-aligned there). */
static const char *image_mod_name(const struct load_info *info)
{
	return (const char *)sec_image(info, info->index.mod) +
	       offsetof(struct module, name);
}

/*
 * struct module must be whole, aligned and writable (the kernel keeps its
 * state and reference count there) before we treat it as one.
 */
static int check_this_module(const struct load_info *info)
{
	const Elf64_Shdr *s = &info->sechdrs[info->index.mod];
	const char *name = info->name ? info->name : NONAME;

	if (!sec_has_data(info, info->index.mod) || s->sh_size != sizeof(struct module) ||
	    s->sh_addralign < __alignof__(struct module) ||
	    (s->sh_addralign & (s->sh_addralign - 1)) ||
	    !(s->sh_flags & SHF_WRITE) || (s->sh_flags & SHF_EXECINSTR) ||
	    (s->sh_flags & 0x00200000 /* SHF_RO_AFTER_INIT */)) {
		pr_err("%s: .gnu.linkonce.this_module has size %llu, alignment %llu and flags %#llx, not the %zu-byte writable struct module of this kernel\n",
		       name, (unsigned long long)s->sh_size,
		       (unsigned long long)s->sh_addralign, (unsigned long long)s->sh_flags,
		       sizeof(struct module));
		return -ENOEXEC;
	}
	if (!memchr(image_mod_name(info), '\0', MODULE_NAME_LEN)) {
		pr_err("%s: module name in .gnu.linkonce.this_module isn't null terminated\n",
		       name);
		return -ENOEXEC;
	}
	return 0;
}

int setup_load_info(struct load_info *info)
{
	int err;

	info->index.info = find_sec(info, ".modinfo");
	err = modinfo_parse(info);
	if (err)
		return err;
	if (info->index.info)
		info->name = get_modinfo(info, "name");

	for (unsigned int i = 1; i < info->shnum; i++) {
		if (info->sechdrs[i].sh_type == SHT_SYMTAB) {
			info->index.sym = i;
			info->index.str = info->sechdrs[i].sh_link;
			break;
		}
	}
	if (info->index.sym == 0) {
		pr_warn("%s: module has no symbols (stripped?)\n",
			info->name ? info->name : NONAME);
		return -ENOEXEC;
	}
	info->index.mod = find_sec(info, ".gnu.linkonce.this_module");
	if (!info->index.mod) {
		pr_warn("%s: No module found in object\n", info->name ? info->name : NONAME);
		return -ENOEXEC;
	}
	if (!info->name) {
		err = check_this_module(info);
		if (err)
			return err;
		info->name = image_mod_name(info);
	}
	err = check_this_module(info);
	if (err)
		return err;
	info->mod_name = image_mod_name(info);
	err = check_symtab(info);
	if (err)
		return err;

	if (info->flags & MODULE_INIT_IGNORE_MODVERSIONS)
		info->index.vers = 0;	/* pretend there is no __versions */
	else
		info->index.vers = find_sec(info, "__versions");
	info->index.pcpu = find_sec(info, ".data..percpu");
	return 0;
}

/*
 * .modinfo and __versions are read from the image and never loaded; drop
 * their SHF_ALLOC as Linux does (with IGNORE_MODVERSIONS, __versions stays
 * allocated and shows up in sections/, as in Linux).
 */
void rewrite_section_headers(struct load_info *info)
{
	info->sechdrs[0].sh_addr = 0;
	if (info->index.vers)
		info->sechdrs[info->index.vers].sh_flags &= ~(uint64_t)SHF_ALLOC;
	if (info->index.info)
		info->sechdrs[info->index.info].sh_flags &= ~(uint64_t)SHF_ALLOC;
}
