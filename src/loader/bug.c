// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Modules' BUG()/WARN() tables (lib/bug.c with relative pointers) and the
 * "Modules linked in:" line of Oops and warning reports.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/taint.h"
#include "kernel/traps.h"
#include "loader/registry.h"

struct bug_entry {
	int32_t bug_addr_disp;
	int32_t file_disp;
	uint16_t line;
	uint16_t flags;
};

/* The file name an entry points at, if it is a string in the module. */
static const char *bug_file(const struct kmodule *km, const struct bug_entry *e)
{
	unsigned long base = (unsigned long)km->core.base, end = base + km->core.size;
	unsigned long p = (unsigned long)&e->file_disp + (unsigned long)(long)e->file_disp;

	if (!e->file_disp || p < base || p >= end || !memchr((void *)p, 0, end - p))
		return NULL;
	return (const char *)p;
}

bool find_bug_site(unsigned long addr, struct bug_site *out, bool mark_done)
{
	struct kmodule *km;
	bool found = false;

	modlist_read_lock();
	list_for_each_entry(km, modlist_head(), list) {
		struct bug_entry *tab = km->bug_table;

		for (unsigned int i = 0; i < km->num_bugs && !found; i++) {
			struct bug_entry *e = &tab[i];

			if ((unsigned long)&e->bug_addr_disp + (unsigned long)(long)e->bug_addr_disp != addr)
				continue;
			out->file = bug_file(km, e);
			out->line = e->line;
			out->flags = e->flags;
			if (mark_done && (e->flags & BUGFLAG_ONCE))
				e->flags |= BUGFLAG_DONE;
			found = true;
		}
		if (found)
			break;
	}
	modlist_read_unlock();
	return found;
}

/* Linux's module_flags(): "(OE+)" style with the state, "(OE)" without
 * (the last unloaded module), or "" */
static void module_flags(const struct kmodule *km, char *buf, bool show_state)
{
	char t[TAINT_FLAGS_COUNT + 1];
	const char *state = !show_state ? "" :
			    km->state == MODULE_STATE_COMING ? "+" :
			    km->state == MODULE_STATE_GOING ? "-" : "";

	module_flags_taint(km->taints, t);
	if (t[0] || state[0])
		snprintf(buf, 32, "(%s%s)", t, state);
	else
		buf[0] = '\0';
}

static char last_unloaded[MODULE_NAME_LEN + 32];

void record_last_unloaded(const struct kmodule *km)
{
	char flags[32];

	module_flags(km, flags, false);
	snprintf(last_unloaded, sizeof(last_unloaded), "%s%s", km->name, flags);
}

void print_modules(void)
{
	struct kmodule *km;
	char buf[32];

	printk(KERN_DEFAULT "Modules linked in:");
	modlist_read_lock();
	list_for_each_entry(km, modlist_head(), list) {
		if (km->state == MODULE_STATE_UNFORMED)
			continue;
		module_flags(km, buf, true);
		pr_cont(" %s%s", km->name, buf);
	}
	modlist_read_unlock();
	if (last_unloaded[0])
		pr_cont(" [last unloaded: %s]", last_unloaded);
	pr_cont("\n");
}
