// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodfs-coverage: how much of a module tree kmodfs can run.
 *
 *   kmodfs-coverage [--kernel=DIR] [--top=N] [--list] MODULE_TREE
 *
 * Reads every .ko under MODULE_TREE (e.g. lib/modules/VERSION/kernel of
 * Debian's linux-image package) and reports how many modules have all
 * their undefined symbols provided -- by kmodfs's kernel exports, or by
 * exports of other modules of the tree that are themselves loadable
 * (computed to a fixed point) -- and which missing kernel symbols are
 * wanted by the most modules.  With --kernel, GPL-only flags come from
 * that build tree's Module.symvers, so a non-GPL module's use of a
 * GPL-only export counts as missing, as the loader would refuse it.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/profile.h"

struct mod {
	char *path;
	char **undef;		/* undefined, non-weak symbols */
	size_t nundef;
	char **exports;
	bool *export_gpl;
	size_t nexports;
	bool gpl;		/* GPL-compatible licence */
	bool ok;		/* loadable: every import provided */
};

static struct mod *mods;
static size_t nmods, capmods;

/* a small open hash set of strings with counts */
struct entry {
	char *key;
	long val;
};
struct table {
	struct entry *v;
	size_t cap, n;
};

static size_t h(const char *s)
{
	size_t x = 1469598103934665603ull;

	while (*s)
		x = (x ^ (unsigned char)*s++) * 1099511628211ull;
	return x;
}

static struct entry *tab_get(struct table *t, const char *key, bool create)
{
	if (create && (t->n + 1) * 2 > t->cap) {
		struct table n = { calloc(t->cap ? t->cap * 2 : 1024, sizeof(struct entry)),
				   t->cap ? t->cap * 2 : 1024, 0 };

		if (!n.v)
			exit(1);
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].key) {
				size_t j = h(t->v[i].key) & (n.cap - 1);

				while (n.v[j].key)
					j = (j + 1) & (n.cap - 1);
				n.v[j] = t->v[i];
				n.n++;
			}
		free(t->v);
		*t = n;
	}
	if (!t->cap)
		return NULL;
	for (size_t j = h(key) & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
		if (!t->v[j].key) {
			if (!create)
				return NULL;
			t->v[j].key = strdup(key);
			t->n++;
			return &t->v[j];
		}
		if (!strcmp(t->v[j].key, key))
			return &t->v[j];
	}
}

static bool license_gpl(const char *l)
{
	static const char *const ok[] = { "GPL", "GPL v2", "GPL and additional rights",
					  "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(l, ok[i]))
			return true;
	return false;
}

static void push(char ***v, size_t *n, const char *s)
{
	char **p = realloc(*v, (*n + 1) * sizeof(**v));

	if (!p || !(p[*n] = strdup(s)))
		exit(1);
	*v = p;
	(*n)++;
}

static int read_module(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct mod m = { 0 };
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;

	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		close(fd);
		return -ENOEXEC;
	}
	m.path = strdup(path);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || !(d = elf_getdata(scn, NULL)))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".modinfo")) {
			for (size_t o = 0; o < d->d_size;) {
				const char *s = (const char *)d->d_buf + o;
				size_t len = strnlen(s, d->d_size - o);

				if (!strncmp(s, "license=", 8) && !m.gpl && len > 8)
					m.gpl = license_gpl(s + 8);
				o += len + 1;
			}
		}
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		for (size_t i = 1; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *sn;

			if (!gelf_getsym(d, (int)i, &s) ||
			    !(sn = elf_strptr(elf, sh.sh_link, s.st_name)) || !*sn)
				continue;
			if (s.st_shndx == SHN_UNDEF) {
				if (GELF_ST_BIND(s.st_info) != STB_WEAK &&
				    strcmp(sn, "_GLOBAL_OFFSET_TABLE_"))
					push(&m.undef, &m.nundef, sn);
			} else if (!strncmp(sn, "__ksymtab_", 10) && strcmp(sn, "__ksymtab_strings")) {
				GElf_Shdr ks;
				const char *kn = "";
				Elf_Scn *k = elf_getscn(elf, s.st_shndx);

				if (k && gelf_getshdr(k, &ks))
					kn = elf_strptr(elf, shstrndx, ks.sh_name);
				push(&m.exports, &m.nexports, sn + 10);
				m.export_gpl = realloc(m.export_gpl, m.nexports * sizeof(bool));
				m.export_gpl[m.nexports - 1] = kn && strstr(kn, "_gpl");
			}
		}
	}
	elf_end(elf);
	close(fd);
	if (nmods == capmods) {
		capmods = capmods ? capmods * 2 : 1024;
		mods = realloc(mods, capmods * sizeof(*mods));
		if (!mods)
			exit(1);
	}
	mods[nmods++] = m;
	return 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *f)
{
	size_t n = strlen(path);

	(void)st;
	(void)f;
	if (type == FTW_F && n > 3 && !strcmp(path + n - 3, ".ko"))
		read_module(path);
	return 0;
}

static void free_table(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
}

static void free_mods(void)
{
	for (size_t i = 0; i < nmods; i++) {
		for (size_t u = 0; u < mods[i].nundef; u++)
			free(mods[i].undef[u]);
		for (size_t e = 0; e < mods[i].nexports; e++)
			free(mods[i].exports[e]);
		free(mods[i].undef);
		free(mods[i].exports);
		free(mods[i].export_gpl);
		free(mods[i].path);
	}
	free(mods);
}

static int cmp_count(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->val != y->val)
		return x->val < y->val ? 1 : -1;
	return strcmp(x->key, y->key);
}

int main(int argc, char **argv)
{
	struct table kernel = { 0 }, modexp = { 0 }, wanted = { 0 }, alltree = { 0 };
	const char *tree = NULL;
	size_t covered = 0, direct = 0, top = 30;
	bool list = false, changed;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--kernel=", 9)) {
			if (profile_load_dir(argv[i] + 9))
				return 1;
		} else if (!strncmp(argv[i], "--top=", 6)) {
			top = strtoul(argv[i] + 6, NULL, 10);
		} else if (!strcmp(argv[i], "--list")) {
			list = true;
		} else if (argv[i][0] != '-' && !tree) {
			tree = argv[i];
		} else {
			fprintf(stderr, "usage: kmodfs-coverage [--kernel=DIR] [--top=N] [--list] MODULE_TREE\n");
			return 2;
		}
	}
	if (!tree) {
		fprintf(stderr, "usage: kmodfs-coverage [--kernel=DIR] [--top=N] [--list] MODULE_TREE\n");
		return 2;
	}
	elf_version(EV_CURRENT);
	for (const struct kernel_export *e = __start_kmodfs_ksymtab; e < __stop_kmodfs_ksymtab; e++) {
		bool gpl = e->gpl_only;
		const char *ns;

		profile_symbol_license(e->name, &gpl, &ns);
		tab_get(&kernel, e->name, true)->val = gpl ? 2 : 1;
	}
	if (nftw(tree, visit, 64, FTW_PHYS)) {
		perror(tree);
		return 1;
	}

	for (size_t i = 0; i < nmods; i++)
		for (size_t e = 0; e < mods[i].nexports; e++)
			tab_get(&alltree, mods[i].exports[e], true);

	/* fixed point: a module is loadable when all it imports is there */
	do {
		changed = false;
		for (size_t i = 0; i < nmods; i++) {
			struct mod *m = &mods[i];
			bool ok = true;

			if (m->ok)
				continue;
			for (size_t u = 0; u < m->nundef && ok; u++) {
				struct entry *k = tab_get(&kernel, m->undef[u], false);
				struct entry *x = tab_get(&modexp, m->undef[u], false);

				ok = (k && (m->gpl || k->val == 1)) ||
				     (x && (m->gpl || x->val == 1));
			}
			if (!ok)
				continue;
			m->ok = changed = true;
			covered++;
			for (size_t e = 0; e < m->nexports; e++)
				tab_get(&modexp, m->exports[e], true)->val = m->export_gpl[e] ? 2 : 1;
		}
	} while (changed);

	for (size_t i = 0; i < nmods; i++) {
		bool all_kernel = true;

		for (size_t u = 0; u < mods[i].nundef; u++)
			if (!tab_get(&kernel, mods[i].undef[u], false))
				all_kernel = false;
		direct += all_kernel;
		if (list && mods[i].ok)
			printf("loadable %s\n", mods[i].path);
		if (mods[i].ok)
			continue;
		for (size_t u = 0; u < mods[i].nundef; u++)
			if (!tab_get(&kernel, mods[i].undef[u], false) &&
			    !tab_get(&alltree, mods[i].undef[u], false))
				tab_get(&wanted, mods[i].undef[u], true)->val++;
	}

	printf("modules: %zu\n", nmods);
	printf("kernel exports provided by kmodfs: %zu\n", kernel.n);
	printf("loadable (every import provided, counting loadable modules' exports): %zu (%.1f%%)\n",
	       covered, nmods ? 100.0 * (double)covered / (double)nmods : 0.0);
	printf("needing only kmodfs's kernel exports: %zu\n", direct);
	printf("most wanted missing kernel symbols (modules that need each):\n");
	{
		struct entry *v = malloc((wanted.n ? wanted.n : 1) * sizeof(*v));
		size_t n = 0;

		for (size_t i = 0; i < wanted.cap; i++)
			if (wanted.v[i].key)
				v[n++] = wanted.v[i];
		qsort(v, n, sizeof(*v), cmp_count);
		for (size_t i = 0; i < n && i < top; i++)
			printf("  %6ld %s\n", v[i].val, v[i].key);
		free(v);
	}
	free_table(&kernel);
	free_table(&modexp);
	free_table(&wanted);
	free_table(&alltree);
	free_mods();
	return 0;
}
