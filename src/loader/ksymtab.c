// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The export hash (see ksymtab.h).  Module entries are read from the
 * module's own PREL32 tables in core memory; every name and namespace
 * pointer they yield is checked to lie in the module's memory and to be
 * NUL-terminated there before it is trusted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "loader/internal.h"
#include "loader/ksymtab.h"

static struct ksym **buckets;
static size_t nbuckets, nentries;
static struct ksym *kernel_syms;
static unsigned int num_kernel_syms;

/* Per-module nodes, owned by the module record (freed in ksymtab_del). */
struct module_ksyms {
	struct kmodule *km;
	struct ksym *nodes;
	unsigned int n;
	struct module_ksyms *next;
};
static struct module_ksyms *module_tables;

static size_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 32));
}

static int grow(void)
{
	size_t n = nbuckets ? nbuckets * 2 : 4096;
	struct ksym **b = calloc(n, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < nbuckets; i++) {
		struct ksym *s = buckets[i], *next;

		for (; s; s = next) {
			next = s->next;
			s->next = b[hash_name(s->name) & (n - 1)];
			b[hash_name(s->name) & (n - 1)] = s;
		}
	}
	free(buckets);
	buckets = b;
	nbuckets = n;
	return 0;
}

static struct ksym *lookup(const char *name)
{
	if (!nbuckets)
		return NULL;
	for (struct ksym *s = buckets[hash_name(name) & (nbuckets - 1)]; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* Insert; returns the existing entry instead if the name is taken. */
static struct ksym *insert(struct ksym *s)
{
	struct ksym *old = lookup(s->name);
	size_t b;

	if (old)
		return old;
	if (nentries >= nbuckets && grow() < 0)
		return s;	/* keep working with longer chains */
	b = hash_name(s->name) & (nbuckets - 1);
	s->next = buckets[b];
	buckets[b] = s;
	nentries++;
	return NULL;
}

static void unlink_sym(struct ksym *s)
{
	struct ksym **pp = &buckets[hash_name(s->name) & (nbuckets - 1)];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			nentries--;
			return;
		}
	}
}

int ksymtab_init(void)
{
	const struct kernel_export *e;
	unsigned int n = (unsigned int)(__stop_kmodfs_ksymtab - __start_kmodfs_ksymtab);

	if (kernel_syms)
		return 0;
	kernel_syms = calloc(n, sizeof(*kernel_syms));
	if (!kernel_syms)
		return -ENOMEM;
	for (e = __start_kmodfs_ksymtab; e < __stop_kmodfs_ksymtab; e++) {
		struct ksym *s = &kernel_syms[num_kernel_syms];

		s->name = e->name;
		s->value = (unsigned long)e->addr;
		s->ns = e->ns;
		s->gpl_only = e->gpl_only;
		/* a real kernel's Module.symvers decides licence and namespace */
		profile_symbol_license(e->name, &s->gpl_only, &s->ns);
		s->has_crc = profile_symbol_crc(e->name, &s->crc);
		if (insert(s)) {
			pr_err("kmodfs: kernel export %s defined twice\n", e->name);
			continue;
		}
		num_kernel_syms++;
	}
	return 0;
}

const struct ksym *find_symbol(const char *name, bool gplok)
{
	const struct ksym *s = lookup(name);

	if (s && s->gpl_only && !gplok)
		return NULL;
	return s;
}

int for_each_kernel_export(int (*fn)(const struct ksym *s, void *arg), void *arg)
{
	for (unsigned int i = 0; i < num_kernel_syms; i++) {
		int r = fn(&kernel_syms[i], arg);

		if (r)
			return r;
	}
	return 0;
}

unsigned int nr_kernel_exports(void)
{
	return num_kernel_syms;
}

/* A string the module points at must lie within its core memory. */
static const char *module_string(const struct kmodule *km, unsigned long p)
{
	unsigned long base = (unsigned long)km->core.base;
	unsigned long end = base + km->core.size;

	if (p < base || p >= end || !memchr((const void *)p, '\0', end - p))
		return NULL;
	return (const char *)p;
}

static unsigned long prel32(const int32_t *field)
{
	int32_t off;

	memcpy(&off, field, sizeof(off));
	return (unsigned long)field + (unsigned long)(long)off;
}

/* Decode export i of a module table into s (no insertion). */
static int decode(const struct kmodule *km, const struct kernel_symbol *tab,
		  const int32_t *crcs, unsigned int i, bool gpl, struct ksym *s)
{
	const struct kernel_symbol *ks = &tab[i];
	int32_t nsoff;

	s->value = prel32(&ks->value_offset);
	s->name = module_string(km, prel32(&ks->name_offset));
	memcpy(&nsoff, &ks->namespace_offset, sizeof(nsoff));
	s->ns = nsoff ? module_string(km, prel32(&ks->namespace_offset)) : "";
	if (!s->name || !s->ns) {
		pr_err("%s: export %u of __ksymtab%s points outside the module\n",
		       km->name, i, gpl ? "_gpl" : "");
		return -ENOEXEC;
	}
	s->gpl_only = gpl;
	s->owner = (struct kmodule *)(uintptr_t)km;
	s->has_crc = crcs != NULL;
	if (crcs) {
		int32_t c;

		memcpy(&c, &crcs[i], sizeof(c));
		s->crc = (uint32_t)c;
	}
	return 0;
}

/* Linux's verify_exported_symbols(): no name may exist already. */
int verify_exported_symbols(const struct load_info *info)
{
	const struct kmodule *km = info->km;
	const struct {
		const struct kernel_symbol *tab;
		const int32_t *crcs;
		unsigned int n;
		bool gpl;
	} tabs[2] = {
		{ km->syms, km->crcs, km->num_syms, false },
		{ km->gpl_syms, km->gpl_crcs, km->num_gpl_syms, true },
	};

	for (int t = 0; t < 2; t++) {
		for (unsigned int i = 0; i < tabs[t].n; i++) {
			struct ksym s;
			const struct ksym *old;
			int err = decode(km, tabs[t].tab, tabs[t].crcs, i, tabs[t].gpl, &s);

			if (err)
				return err;
			old = lookup(s.name);
			if (old) {
				pr_err("%s: exports duplicate symbol %s (owned by %s)\n",
				       km->name, s.name,
				       old->owner ? old->owner->name : "kernel");
				return -ENOEXEC;
			}
		}
	}
	return 0;
}

int ksymtab_add_module(struct kmodule *km)
{
	struct module_ksyms *mt;
	unsigned int n = km->num_syms + km->num_gpl_syms, k = 0;

	if (!n)
		return 0;
	mt = calloc(1, sizeof(*mt));
	if (!mt)
		return -ENOMEM;
	mt->nodes = calloc(n, sizeof(*mt->nodes));
	if (!mt->nodes) {
		free(mt);
		return -ENOMEM;
	}
	mt->km = km;
	for (unsigned int i = 0; i < km->num_syms; i++)
		if (!decode(km, km->syms, km->crcs, i, false, &mt->nodes[k]) &&
		    !insert(&mt->nodes[k]))
			k++;
	for (unsigned int i = 0; i < km->num_gpl_syms; i++)
		if (!decode(km, km->gpl_syms, km->gpl_crcs, i, true, &mt->nodes[k]) &&
		    !insert(&mt->nodes[k]))
			k++;
	mt->n = k;	/* duplicates inside one module: the first one wins */
	mt->next = module_tables;
	module_tables = mt;
	return 0;
}

void ksymtab_del_module(struct kmodule *km)
{
	for (struct module_ksyms **pp = &module_tables; *pp; pp = &(*pp)->next) {
		struct module_ksyms *mt = *pp;

		if (mt->km != km)
			continue;
		for (unsigned int i = 0; i < mt->n; i++)
			unlink_sym(&mt->nodes[i]);
		*pp = mt->next;
		free(mt->nodes);
		free(mt);
		return;
	}
}
