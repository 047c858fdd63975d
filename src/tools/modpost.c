// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodfs-modpost: the SDK's counterpart of kbuild's modpost.  Reads a
 * module's linked object, checks its imports against the kernel's and
 * other modules' symvers files, and writes NAME.mod.c (struct module,
 * vermagic, name, depends, ...) and NAME.symvers (its own exports).
 *
 *   kmodfs-modpost -n NAME -m VERMAGIC -k KERNEL.symvers [-e EXTRA.symvers]...
 *                  [-r] -c OUT.mod.c -s OUT.symvers [-V SRCVERSION] OBJECT.o
 *
 * As with modpost, an undefined symbol is a warning, while a missing
 * MODULE_LICENSE, a GPL-only symbol used by a non-GPL module, and a
 * namespace not imported are errors unless KBUILD_MODPOST_WARN is set.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct export {
	char *name, *module, *ns;
	bool gpl;
	unsigned int crc;
};

struct exports {
	struct export *v;
	size_t n, cap;
};

static const char *modname;
static bool errors_are_warnings;
static int nerrors;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "kmodfs-modpost: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "WARNING: kmodfs-modpost: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, errors_are_warnings ? "WARNING: kmodfs-modpost: "
					    : "ERROR: kmodfs-modpost: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (!errors_are_warnings)
		nerrors++;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

static void add_export(struct exports *e, const char *name, const char *module,
		       const char *ns, bool gpl, unsigned int crc)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 256;
		e->v = realloc(e->v, e->cap * sizeof(*e->v));
		if (!e->v)
			die("out of memory");
	}
	e->v[e->n++] = (struct export){ xstrdup(name), xstrdup(module),
					xstrdup(ns), gpl, crc };
}

static void free_exports(struct exports *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].name);
		free(e->v[i].module);
		free(e->v[i].ns);
	}
	free(e->v);
}

static const struct export *find_export(const struct exports *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].name, name))
			return &e->v[i];
	return NULL;
}

/* Module.symvers lines: crc \t name \t module \t EXPORT_SYMBOL[_GPL] \t ns */
static void read_symvers(struct exports *e, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];

	if (!f)
		die("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *fields[5] = { 0 }, *p = line;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		while (n < 5) {
			fields[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (n < 4)
			continue;
		add_export(e, fields[1], fields[2], n > 4 ? fields[4] : "",
			   !strcmp(fields[3], "EXPORT_SYMBOL_GPL"),
			   (unsigned int)strtoul(fields[0], NULL, 16));
	}
	fclose(f);
}

struct object {
	Elf *elf;
	size_t shstrndx;
	Elf_Scn *symtab;
	GElf_Shdr symsh;
	Elf_Data *syms;
	size_t nsyms;
};

static const char *scn_name(struct object *o, Elf_Scn *scn)
{
	GElf_Shdr sh;

	if (!gelf_getshdr(scn, &sh))
		return "";
	const char *n = elf_strptr(o->elf, o->shstrndx, sh.sh_name);

	return n ? n : "";
}

static Elf_Scn *find_scn(struct object *o, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(o->elf, scn)))
		if (!strcmp(scn_name(o, scn), name))
			return scn;
	return NULL;
}

static const char *sym_name(struct object *o, const GElf_Sym *s)
{
	const char *n = elf_strptr(o->elf, o->symsh.sh_link, s->st_name);

	return n ? n : "";
}

/* Value of modinfo tag (first), or NULL; also iterates with *pos. */
static const char *modinfo_next(struct object *o, const char *tag, size_t *pos)
{
	Elf_Scn *scn = find_scn(o, ".modinfo");
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	size_t tl = strlen(tag);

	if (!d)
		return NULL;
	while (*pos < d->d_size) {
		const char *p = (const char *)d->d_buf + *pos;
		size_t len = strnlen(p, d->d_size - *pos);

		*pos += len + 1;
		if (len > tl && !strncmp(p, tag, tl) && p[tl] == '=')
			return p + tl + 1;
	}
	return NULL;
}

static bool license_is_gpl_compatible(const char *l)
{
	static const char *const gpl[] = { "GPL", "GPL v2", "GPL and additional rights",
					   "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };

	for (size_t i = 0; i < sizeof(gpl) / sizeof(gpl[0]); i++)
		if (!strcmp(l, gpl[i]))
			return true;
	return false;
}

/*
 * The namespace of an export: the third PREL32 field of its ksymtab entry
 * is relocated against __kstrtabns_NAME, a string in __ksymtab_strings.
 */
static const char *export_namespace(struct object *o, const char *sym)
{
	char want[512];
	Elf_Scn *strs = find_scn(o, "__ksymtab_strings");
	Elf_Data *sd = strs ? elf_getdata(strs, NULL) : NULL;

	snprintf(want, sizeof(want), "__kstrtabns_%s", sym);
	for (size_t i = 0; sd && i < o->nsyms; i++) {
		GElf_Sym s;

		if (!gelf_getsym(o->syms, (int)i, &s) || strcmp(sym_name(o, &s), want))
			continue;
		if (elf_ndxscn(strs) != s.st_shndx || s.st_value >= sd->d_size)
			return "";
		return (const char *)sd->d_buf + s.st_value;
	}
	return "";
}

static void open_object(struct object *o, const char *path)
{
	int fd = open(path, O_RDONLY);
	Elf_Scn *scn = NULL;

	if (fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	elf_version(EV_CURRENT);
	o->elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!o->elf || elf_getshdrstrndx(o->elf, &o->shstrndx))
		die("%s: not an ELF object: %s", path, elf_errmsg(-1));
	while ((scn = elf_nextscn(o->elf, scn))) {
		if (gelf_getshdr(scn, &o->symsh) && o->symsh.sh_type == SHT_SYMTAB) {
			o->symtab = scn;
			o->syms = elf_getdata(scn, NULL);
			o->nsyms = o->symsh.sh_size / o->symsh.sh_entsize;
			return;
		}
	}
	die("%s: no symbol table", path);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: kmodfs-modpost -n NAME -m VERMAGIC -k KERNEL.symvers [-e EXTRA.symvers]...\n"
		"                      [-r] [-V SRCVERSION] -c OUT.mod.c -s OUT.symvers OBJECT.o\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *vermagic = NULL, *modc = NULL, *symvers_out = NULL, *srcversion = NULL;
	struct exports known = { 0 }, deps = { 0 };
	bool retpoline = false, has_init = false, has_cleanup = false, gpl;
	const char *license;
	struct object o = { 0 };
	Elf_Scn *scn = NULL;
	FILE *c, *sv;
	size_t pos;
	int opt;

	errors_are_warnings = getenv("KBUILD_MODPOST_WARN") != NULL;
	while ((opt = getopt(argc, argv, "n:m:k:e:rc:s:V:")) != -1) {
		switch (opt) {
		case 'n': modname = optarg; break;
		case 'm': vermagic = optarg; break;
		case 'k':
		case 'e': read_symvers(&known, optarg); break;
		case 'r': retpoline = true; break;
		case 'c': modc = optarg; break;
		case 's': symvers_out = optarg; break;
		case 'V': srcversion = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || !modname || !vermagic || !modc || !symvers_out)
		usage();
	open_object(&o, argv[optind]);

	pos = 0;
	license = modinfo_next(&o, "license", &pos);
	if (!license)
		error("missing MODULE_LICENSE() in %s\n", argv[optind]);
	gpl = license && license_is_gpl_compatible(license);

	/* imports */
	for (size_t i = 1; i < o.nsyms; i++) {
		GElf_Sym s;
		const struct export *e;
		const char *name;

		if (!gelf_getsym(o.syms, (int)i, &s))
			continue;
		name = sym_name(&o, &s);
		if (s.st_shndx != SHN_UNDEF) {
			if (!strcmp(name, "init_module"))
				has_init = true;
			if (!strcmp(name, "cleanup_module"))
				has_cleanup = true;
			continue;
		}
		if (!*name || !strcmp(name, "_GLOBAL_OFFSET_TABLE_") ||
		    !strcmp(name, "__this_module"))
			continue;
		e = find_export(&known, name);
		if (!e) {
			if (GELF_ST_BIND(s.st_info) != STB_WEAK)
				warn("\"%s\" [%s.ko] undefined!\n", name, modname);
			continue;
		}
		if (e->gpl && !gpl)
			error("GPL-incompatible module %s.ko uses GPL-only symbol '%s'\n",
			      modname, name);
		if (e->ns[0]) {
			const char *ns;
			bool imported = false;

			pos = 0;
			while ((ns = modinfo_next(&o, "import_ns", &pos)))
				imported |= !strcmp(ns, e->ns);
			if (!imported)
				error("module %s uses symbol %s from namespace %s, but does not import it.\n",
				      modname, name, e->ns);
		}
		if (strcmp(e->module, "vmlinux") && !find_export(&deps, e->module))
			add_export(&deps, e->module, e->module, "", false, 0);
	}

	/* exports */
	sv = fopen(symvers_out, "w");
	if (!sv)
		die("cannot write %s: %s", symvers_out, strerror(errno));
	while ((scn = elf_nextscn(o.elf, scn))) {
		const char *n = scn_name(&o, scn), *sym;
		bool egpl;

		if (!strncmp(n, "___ksymtab_gpl+", 15)) {
			sym = n + 15;
			egpl = true;
		} else if (!strncmp(n, "___ksymtab+", 11)) {
			sym = n + 11;
			egpl = false;
		} else {
			continue;
		}
		fprintf(sv, "0x00000000\t%s\t%s\tEXPORT_SYMBOL%s\t%s\n", sym, modname,
			egpl ? "_GPL" : "", export_namespace(&o, sym));
	}
	fclose(sv);

	c = fopen(modc, "w");
	if (!c)
		die("cannot write %s: %s", modc, strerror(errno));
	fprintf(c, "/* generated by kmodfs-modpost for %s */\n", modname);
	fprintf(c, "#include <linux/module.h>\n\n");
	fprintf(c, "MODULE_INFO(vermagic, \"%s\");\n", vermagic);
	fprintf(c, "MODULE_INFO(name, KBUILD_MODNAME);\n\n");
	fprintf(c, "__visible struct module __this_module\n"
		   "__section(\".gnu.linkonce.this_module\") = {\n"
		   "\t.name = KBUILD_MODNAME,\n");
	if (has_init)
		fprintf(c, "\t.init = init_module,\n");
	if (has_cleanup)
		fprintf(c, "\t.exit = cleanup_module,\n");
	fprintf(c, "};\n\n");
	if (retpoline)
		fprintf(c, "MODULE_INFO(retpoline, \"Y\");\n");
	if (srcversion && modinfo_next(&o, "version", &(size_t){ 0 }))
		fprintf(c, "MODULE_INFO(srcversion, \"%s\");\n", srcversion);
	fprintf(c, "MODULE_INFO(depends, \"");
	for (size_t i = 0; i < deps.n; i++)
		fprintf(c, "%s%s", i ? "," : "", deps.v[i].name);
	fprintf(c, "\");\n");
	fclose(c);
	elf_end(o.elf);
	free_exports(&known);
	free_exports(&deps);
	return nerrors ? 1 : 0;
}
