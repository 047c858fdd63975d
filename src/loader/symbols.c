// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: symbol resolution (Linux's simplify_symbols and resolve_symbol,
 * facts §6).  Undefined symbols are looked up in the export hash;
 * defined ones are moved to their section's final address.  Every
 * unresolved symbol is reported, and the load fails with the last error.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "kernel/printk.h"
#include "kernel/taint.h"
#include "loader/internal.h"
#include "loader/ksymtab.h"
#include "loader/registry.h"

#define SHN_LIVEPATCH 0xff20
#define RESOLVE_WAIT_SECONDS 30

/* A symbol owned by a proprietary module taints its user (facts §5). */
static bool inherit_taint(struct load_info *info, const struct ksym *s,
			  const char *name)
{
	struct kmodule *km = info->km;
	const struct kmodule *owner = s->owner;

	if (!owner || !(owner->taints & (1ul << TAINT_PROPRIETARY_MODULE)))
		return true;
	if (km->using_gplonly_symbols) {
		pr_err("%s: module using GPL-only symbols uses symbols %s from proprietary module %s.\n",
		       km->name, name, owner->name);
		return false;
	}
	if (!(km->taints & (1ul << TAINT_PROPRIETARY_MODULE))) {
		pr_warn("%s: module uses symbols %s from proprietary module %s, inheriting taint.\n",
			km->name, name, owner->name);
		km->taints |= 1ul << TAINT_PROPRIETARY_MODULE;
	}
	return true;
}

static int verify_namespace_is_imported(const struct load_info *info,
					const struct ksym *s)
{
	const char *imported;
	size_t pos = 0;

	if (!s->ns || !s->ns[0])
		return 0;
	while ((imported = get_next_modinfo(info, "import_ns", &pos)))
		if (!strcmp(imported, s->ns))
			return 0;
	pr_err("%s: module uses symbol (%s) from namespace %s, but does not import it.\n",
	       info->km->name, s->name, s->ns);
	return -EINVAL;
}

/*
 * Resolve one name under module_mutex.  Returns 0 with *value set, or
 * -ENOENT (not found), -EINVAL (CRC/namespace), -EBUSY (owner still
 * initializing), or ref_module's error.  *owner gets the owner's name.
 */
static int resolve_symbol(struct load_info *info, const char *name,
			  unsigned long *value, char owner[MODULE_NAME_LEN])
{
	struct kmodule *km = info->km;
	bool gplok = !(km->taints & (1ul << TAINT_PROPRIETARY_MODULE));
	const struct ksym *s;
	int err = 0;

	module_mutex_lock();
	s = find_symbol(name, gplok);
	if (!s) {
		err = -ENOENT;
		goto unlock;
	}
	if (s->gpl_only)
		km->using_gplonly_symbols = true;
	if (!inherit_taint(info, s, name))
		err = -ENOENT;
	else if (!check_version(info, name, s->has_crc ? &s->crc : NULL))
		err = -EINVAL;
	else if ((err = verify_namespace_is_imported(info, s)) == 0 && !info->dry_run)
		err = ref_module(km, s->owner);
	if (s->owner)
		memcpy(owner, s->owner->name, MODULE_NAME_LEN);
	if (!err)
		*value = s->value;
unlock:
	module_mutex_unlock();
	return err;
}

/* Wait (up to 30 s) while the owning module is still in its init. */
static int resolve_symbol_wait(struct load_info *info, const char *name,
			       unsigned long *value)
{
	char owner[MODULE_NAME_LEN] = "";
	time_t deadline = time(NULL) + RESOLVE_WAIT_SECONDS;
	int err;

	while ((err = resolve_symbol(info, name, value, owner)) == -EBUSY) {
		if (time(NULL) >= deadline ||
		    module_wait_state_change(deadline) < 0) {
			pr_warn("%s: gave up waiting for init of module %s.\n",
				info->km->name, owner);
			break;
		}
	}
	return err;
}

/* Where LINK_PLACEHOLDERS points unknown symbols: low, like all exports. */
static void link_placeholder(void)
{
}

int simplify_symbols(struct load_info *info)
{
	const char *modname = info->km->name;
	int ret = 0;

	for (size_t i = 1; i < info->num_syms; i++) {
		Elf64_Sym *sym = &info->syms[i];
		const char *name;
		unsigned long value;
		int err;

		/* layout_symtab() checked every st_name against the table */
		name = info->strtab + sym->st_name;
		switch (sym->st_shndx) {
		case SHN_COMMON:
			if (!strncmp(name, "__gnu_lto", 9))
				break;
			pr_warn("%s: please compile with -fno-common\n", modname);
			ret = -ENOEXEC;
			break;
		case SHN_ABS:
		case SHN_LIVEPATCH:
			break;
		case SHN_UNDEF:
			err = resolve_symbol_wait(info, name, &value);
			if (!err) {
				sym->st_value = value;
				break;
			}
			if (err == -ENOENT && info->placeholders) {
				sym->st_value = (unsigned long)link_placeholder;
				break;
			}
			/* unresolved weak symbols stay 0, as does the GOT name */
			if (err == -ENOENT &&
			    (ELF64_ST_BIND(sym->st_info) == STB_WEAK ||
			     !strcmp(name, "_GLOBAL_OFFSET_TABLE_")))
				break;
			ret = err;
			pr_warn("%s: Unknown symbol %s (err %d)\n", modname, name, ret);
			break;
		default:
			if (sym->st_shndx >= info->shnum) {
				pr_err("%s: Symbol %s has an invalid section index %u (max %u)\n",
				       modname, name, sym->st_shndx, info->shnum - 1);
				ret = -ENOEXEC;
				break;
			}
			if (info->index.pcpu && sym->st_shndx == info->index.pcpu)
				sym->st_value += info->percpu_base;
			else
				sym->st_value += info->sechdrs[sym->st_shndx].sh_addr;
			break;
		}
	}
	return ret;
}
