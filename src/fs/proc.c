// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc/: modules (Linux's /proc/modules format and order, facts §10),
 * kallsyms, and the sys/kernel/tainted and modules_disabled sysctls.
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "kernel/kstrtox.h"
#include "kernel/taint.h"
#include "loader/ksymtab.h"
#include "loader/registry.h"

static int modules_line(struct kmodule *km, void *arg)
{
	struct ofile *of = arg;
	struct module_use *use;
	char taints[TAINT_FLAGS_COUNT + 1];
	const char *state;
	int err;

	state = km->state == MODULE_STATE_GOING ? "Unloading" :
		km->state == MODULE_STATE_COMING ? "Loading" : "Live";
	err = of_printf(of, "%s %u %i ", km->name, km->init.size + km->core.size,
			kmodule_refcount(km));
	list_for_each_entry(use, &km->source_list, source_list)
		if (!err)
			err = of_printf(of, "%s,", use->source->name);
	if (!err && km->permanent)
		err = of_printf(of, "[permanent],");
	if (!err && list_empty(&km->source_list) && !km->permanent)
		err = of_printf(of, "-");
	if (!err)
		err = of_printf(of, " %s 0x%016lx", state, (unsigned long)km->core.base);
	if (!err && km->taints) {
		module_flags_taint(km->taints, taints);
		err = of_printf(of, " (%s%s)", taints,
				km->state == MODULE_STATE_GOING ? "-" :
				km->state == MODULE_STATE_COMING ? "+" : "");
	}
	return err ? err : of_printf(of, "\n");
}

/* The daemon's text segment, from the linker. */
extern char __executable_start[], etext[];

static int kernel_sym(const struct ksym *s, void *arg)
{
	bool text = s->value >= (unsigned long)__executable_start &&
		    s->value < (unsigned long)etext;

	return of_printf(arg, "%016lx %c %s\n", s->value, text ? 'T' : 'D', s->name);
}

static int module_syms(struct kmodule *km, void *arg)
{
	const struct kmod_kallsyms *ks = km->kallsyms;
	const Elf64_Sym *syms;
	int err = 0;

	if (!ks)
		return 0;
	syms = ks->symtab;
	for (unsigned int i = 1; i < ks->num_symtab && !err; i++) {
		const char *name = ks->strtab + syms[i].st_name;
		char type = ks->typetab[i];
		const struct ksym *e;

		if (syms[i].st_shndx == SHN_UNDEF || !*name)
			continue;
		/* exported symbols print upper case, as in Linux */
		e = find_symbol(name, true);
		type = e && e->owner == km && e->value == syms[i].st_value
			       ? (char)toupper((unsigned char)type)
			       : (char)tolower((unsigned char)type);
		err = of_printf(arg, "%016lx %c %s\t[%s]\n",
				(unsigned long)syms[i].st_value, type, name, km->name);
	}
	return err;
}

int proc_render(struct node *n, struct ofile *of)
{
	int err = 0;

	switch (n->kind) {
	case N_PROC_MODULES:
		module_mutex_lock();
		err = for_each_kmodule(modules_line, of);
		module_mutex_unlock();
		return err;
	case N_PROC_KALLSYMS:
		module_mutex_lock();
		err = for_each_kernel_export(kernel_sym, of);
		if (!err)
			err = for_each_kmodule(module_syms, of);
		module_mutex_unlock();
		return err;
	case N_TAINTED:
		return of_printf(of, "%lu\n", get_taint());
	case N_MODULES_DISABLED:
		return of_printf(of, "%d\n", __atomic_load_n(&modules_disabled, __ATOMIC_ACQUIRE));
	default:
		return -EIO;
	}
}

/* A sysctl integer: one number, surrounding blanks and one newline ok. */
static int parse_sysctl_ulong(const char *buf, size_t len, unsigned long *v)
{
	char tmp[32];
	char *p;

	while (len && isspace((unsigned char)buf[len - 1]))
		len--;
	while (len && isspace((unsigned char)*buf)) {
		buf++;
		len--;
	}
	if (!len || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	p = tmp;
	return _kstrtoul(p, 10, v);
}

int proc_write(struct node *n, const char *buf, size_t len)
{
	unsigned long v;
	int err = parse_sysctl_ulong(buf, len, &v);

	if (err)
		return err;
	switch (n->kind) {
	case N_TAINTED:
		/* taints can be added, never cleared (proc_taint) */
		for (unsigned int i = 0; i < TAINT_FLAGS_COUNT; i++)
			if (v & (1ul << i))
				add_taint(i, LOCKDEP_STILL_OK);
		return (int)len;
	case N_MODULES_DISABLED:
		/* only 1 is a valid value: the switch never goes back */
		if (v != 1)
			return -EINVAL;
		disable_modules();
		return (int)len;
	default:
		return -EIO;
	}
}
