// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Page protections of module memory (Linux's strict_rwx.c with
 * STRICT_MODULE_RWX): text R-X, read-only data R--, read-only-after-init
 * R-- once init has run, everything else RW-.  Nothing is ever W and X.
 */
#include <sys/mman.h>

#include "kernel/printk.h"
#include "loader/internal.h"

static void protect(const struct kmodule *km, const struct kmod_layout *l,
		    unsigned int from, unsigned int to, int prot)
{
	if (!l->base || to <= from)
		return;
	if (mprotect((char *)l->base + from, to - from, prot))
		pr_err("%s: mprotect of module memory failed\n", km->name);
}

void module_protect_formed(const struct kmodule *km)
{
	protect(km, &km->core, 0, km->core.text_size, PROT_READ | PROT_EXEC);
	protect(km, &km->core, km->core.text_size, km->core.ro_size, PROT_READ);
	protect(km, &km->init, 0, km->init.text_size, PROT_READ | PROT_EXEC);
	protect(km, &km->init, km->init.text_size, km->init.ro_size, PROT_READ);
}

void module_protect_ro_after_init(const struct kmodule *km)
{
	protect(km, &km->core, km->core.ro_size, km->core.ro_after_init_size,
		PROT_READ);
}
