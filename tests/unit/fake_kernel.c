// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test doubles for the kernel services vsprintf.c and kstrtox.c call:
 * a tiny fixed symbol table behind kallsyms_lookup()/sprint_symbol(),
 * and kmalloc on top of malloc with a switch to make it fail.
 *
 * The symbol table (all "addresses" are small fake numbers, never
 * dereferenced):
 *   fake_alpha  0x1000..0x10ff  (kernel)
 *   fake_beta   0x1100..0x117f  (kernel)
 *   mod_fn      0x2000..0x203f  module "fakemod"
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kallsyms.h"
#include "kernel/slab.h"

/* Knobs and observations for the tests (declared there as extern). */
extern bool fake_kmalloc_fail;
extern gfp_t fake_kmalloc_last_gfp;
extern unsigned long fake_kallsyms_last_addr;
extern int fake_sprint_symbol_calls;

bool fake_kmalloc_fail;
gfp_t fake_kmalloc_last_gfp;
unsigned long fake_kallsyms_last_addr;
int fake_sprint_symbol_calls;

struct fake_sym {
	unsigned long addr, size;
	const char *name, *mod;
};

static const struct fake_sym fake_syms[] = {
	{ 0x1000, 0x100, "fake_alpha", "" },
	{ 0x1100, 0x80, "fake_beta", "" },
	{ 0x2000, 0x40, "mod_fn", "fakemod" },
};

bool kallsyms_lookup(unsigned long addr, unsigned long *size,
		     unsigned long *offset, char *modname, size_t modlen,
		     char *name)
{
	fake_kallsyms_last_addr = addr;
	for (size_t i = 0; i < sizeof(fake_syms) / sizeof(fake_syms[0]); i++) {
		const struct fake_sym *s = &fake_syms[i];

		if (addr < s->addr || addr - s->addr >= s->size)
			continue;
		*size = s->size;
		*offset = addr - s->addr;
		snprintf(modname, modlen, "%s", s->mod);
		snprintf(name, KSYM_NAME_LEN, "%s", s->name);
		return true;
	}
	return false;
}

/* Same output shape as the real one; libc snprintf is fine in a test. */
size_t sprint_symbol(char *buf, size_t len, unsigned long addr,
		     bool with_offset)
{
	char name[KSYM_NAME_LEN], mod[64];
	unsigned long size, off;
	int n;

	fake_sprint_symbol_calls++;
	if (!kallsyms_lookup(addr, &size, &off, mod, sizeof(mod), name))
		return (size_t)snprintf(buf, len, "0x%lx", addr);
	if (with_offset)
		n = snprintf(buf, len, "%s+0x%lx/0x%lx", name, off, size);
	else
		n = snprintf(buf, len, "%s", name);
	if (mod[0] && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " [%s]", mod);
	return (size_t)n;
}

void *__kmalloc(size_t size, gfp_t flags)
{
	fake_kmalloc_last_gfp = flags;
	if (fake_kmalloc_fail)
		return NULL;
	return (flags & __GFP_ZERO) ? calloc(1, size) : malloc(size);
}

void kfree(const void *p)
{
	free((void *)(uintptr_t)p);
}
