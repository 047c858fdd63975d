// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: licence and taint policy (facts §5).  Linux's order inside
 * check_modinfo() after vermagic: intree (O), retpoline, staging (C),
 * livepatch (K), license (P), test (N).  Global taints set here stay even
 * if the load fails later, as in Linux.
 *
 * Beyond Linux: "license=GPL" followed by a .modinfo entry without '='
 * is the 2004 "GPL\0..." trick -- a licence string with an embedded NUL.
 * Linux reads it as "GPL"; kmodfs treats the module as non-GPL.
 */
#include <string.h>

#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/taint.h"
#include "loader/internal.h"

void add_taint_module(struct load_info *info, unsigned int flag, int lockdep)
{
	add_taint(flag, (enum taint_lockdep)lockdep);
	info->taints |= 1ul << flag;
	if (info->km)
		info->km->taints |= 1ul << flag;
}

bool license_is_gpl_compatible(const char *license)
{
	static const char *const gpl[] = {
		"GPL", "GPL v2", "GPL and additional rights",
		"Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL",
	};

	for (size_t i = 0; i < sizeof(gpl) / sizeof(gpl[0]); i++)
		if (!strcmp(license, gpl[i]))
			return true;
	return false;
}

/*
 * The entry right after the first license= has no '=': the licence string
 * had a NUL in it.  Returns that hidden continuation, or NULL.
 */
static const char *hidden_license_tail(const struct load_info *info)
{
	for (size_t i = 0; i < info->num_mi; i++) {
		const struct modinfo_entry *e = &info->mi[i];

		if (e->value && e->key_len == 7 && !memcmp(e->key, "license", 7)) {
			if (i + 1 < info->num_mi && !info->mi[i + 1].value)
				return info->mi[i + 1].key;
			return NULL;
		}
	}
	return NULL;
}

static void set_license(struct load_info *info)
{
	const char *license = get_modinfo(info, "license");
	const char *tail;

	if (!license)
		license = "unspecified";
	tail = hidden_license_tail(info);
	if (tail && license_is_gpl_compatible(license)) {
		pr_warn("%s: module license '%s' is followed by hidden text '%s' (a NUL inside the license string): treating the module as non-GPL\n",
			info->mod_name, license, tail);
	} else if (license_is_gpl_compatible(license)) {
		return;
	}
	if (!test_taint(TAINT_PROPRIETARY_MODULE))
		pr_warn("%s: module license '%s' taints kernel.\n", info->mod_name,
			license);
	add_taint_module(info, TAINT_PROPRIETARY_MODULE, LOCKDEP_NOW_UNRELIABLE);
}

static void check_modinfo_retpoline(struct load_info *info)
{
	/* The emulated kernel runs with a spectre_v2 mitigation, as Debian's. */
	if (get_modinfo(info, "retpoline"))
		return;
	pr_err("System may be vulnerable to spectre v2\n");
	pr_warn("%s: loading module not compiled with retpoline compiler.\n",
		info->mod_name);
}

int check_modinfo_license_and_taints(struct load_info *info)
{
	if (!get_modinfo(info, "intree")) {
		if (!test_taint(TAINT_OOT_MODULE))
			pr_warn("%s: loading out-of-tree module taints kernel.\n",
				info->mod_name);
		add_taint_module(info, TAINT_OOT_MODULE, LOCKDEP_STILL_OK);
	}
	check_modinfo_retpoline(info);
	if (get_modinfo(info, "staging")) {
		add_taint_module(info, TAINT_CRAP, LOCKDEP_STILL_OK);
		pr_warn("%s: module is from the staging directory, the quality is unknown, you have been warned.\n",
			info->mod_name);
	}
	if (get_modinfo(info, "livepatch")) {
		add_taint_module(info, TAINT_LIVEPATCH, LOCKDEP_STILL_OK);
		pr_notice_once("%s: tainting kernel with TAINT_LIVEPATCH\n",
			       info->mod_name);
	}
	set_license(info);
	if (get_modinfo(info, "test")) {
		if (!test_taint(TAINT_TEST))
			pr_warn("%s: loading test module taints kernel.\n",
				info->mod_name);
		add_taint_module(info, TAINT_TEST, LOCKDEP_STILL_OK);
	}
	return 0;
}

int check_module_license_and_versions(struct load_info *info)
{
	bool prev_taint = test_taint(TAINT_PROPRIETARY_MODULE);
	struct kmodule *km = info->km;

	/* ndiswrapper loads proprietary code but may use GPL-only symbols */
	if (!strcmp(info->mod_name, "ndiswrapper"))
		add_taint(TAINT_PROPRIETARY_MODULE, LOCKDEP_NOW_UNRELIABLE);
	if (!strcmp(info->mod_name, "driverloader") || !strcmp(info->mod_name, "lve"))
		add_taint_module(info, TAINT_PROPRIETARY_MODULE, LOCKDEP_NOW_UNRELIABLE);
	if (!prev_taint && test_taint(TAINT_PROPRIETARY_MODULE))
		pr_warn("%s: module license taints kernel.\n", info->mod_name);

	if (kernel_profile.modversions &&
	    ((km->num_syms && !km->crcs) || (km->num_gpl_syms && !km->gpl_crcs)))
		return try_to_force_load(info, "no versions for exported symbols");
	return 0;
}
