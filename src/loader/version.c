// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: version checks -- vermagic (same_magic), module_layout and the
 * per-symbol modversions CRCs in __versions (facts §4), with Debian's
 * rule that a symbol missing from __versions is refused.
 */
#include <errno.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/taint.h"
#include "loader/internal.h"

int try_to_force_load(struct load_info *info, const char *reason)
{
	/* CONFIG_MODULE_FORCE_LOAD=y, as on Debian */
	if (!test_taint(TAINT_FORCED_MODULE))
		pr_warn("%s: %s: kernel tainted.\n", info->mod_name, reason);
	add_taint_module(info, TAINT_FORCED_MODULE, LOCKDEP_NOW_UNRELIABLE);
	return 0;
}

/* With modversions the release part before the first space may differ. */
static bool same_magic(const char *amagic, const char *bmagic, bool has_crcs)
{
	if (has_crcs) {
		amagic += strcspn(amagic, " ");
		bmagic += strcspn(bmagic, " ");
	}
	return strcmp(amagic, bmagic) == 0;
}

int check_modinfo_vermagic(struct load_info *info)
{
	const char *modmagic = get_modinfo(info, "vermagic");
	bool has_crcs = kernel_profile.modversions && info->index.vers;

	if (info->flags & MODULE_INIT_IGNORE_VERMAGIC)
		modmagic = NULL;
	if (!modmagic)
		return try_to_force_load(info, "bad vermagic");
	if (!same_magic(modmagic, kernel_profile.vermagic, has_crcs)) {
		pr_err("%s: version magic '%s' should be '%s'\n", info->name,
		       modmagic, kernel_profile.vermagic);
		return -ENOEXEC;
	}
	return 0;
}

bool check_version(struct load_info *info, const char *symname,
		   const uint32_t *crc)
{
	const Elf64_Shdr *vs;
	const struct modversion_info *v;
	size_t n;

	if (!kernel_profile.modversions)
		return true;	/* a kernel without CONFIG_MODVERSIONS */
	if (!crc)
		return true;	/* the exporter has no CRCs: already tainted */
	if (info->index.vers == 0)
		return try_to_force_load(info, symname) == 0;

	vs = &info->sechdrs[info->index.vers];
	if (!sec_has_data(info, info->index.vers))
		n = 0;
	else
		n = vs->sh_size / sizeof(*v);
	v = sec_image(info, info->index.vers);
	for (size_t i = 0; i < n; i++) {
		struct modversion_info e;

		memcpy(&e, &v[i], sizeof(e));	/* the image may be unaligned */
		if (strncmp(e.name, symname, sizeof(e.name)) != 0 ||
		    (strlen(symname) >= sizeof(e.name)))
			continue;
		if (e.crc == *crc)
			return true;
		pr_warn("%s: disagrees about version of symbol %s\n", info->name,
			symname);
		return false;
	}
	/* Debian fails closed where upstream only warns once. */
	pr_warn("%s: no symbol version for %s\n", info->name, symname);
	return false;
}

int check_modstruct_version(struct load_info *info)
{
	uint32_t crc;

	if (!kernel_profile.modversions)
		return 0;
	if (!profile_symbol_crc("module_layout", &crc))
		return 0;	/* the emulated kernel has no CRC for it */
	return check_version(info, "module_layout", &crc) ? 0 : -ENOEXEC;
}
