// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-64 module_finalize(): what Linux patches in a module's code after
 * relocation (facts §7), decided one section at a time:
 *
 *  .return_sites      applied: each `jmp __x86_return_thunk` becomes
 *                     `ret; int3 x4`, as Linux does when no return thunk
 *                     is in use.
 *  .retpoline_sites   left alone: the call or jump goes through
 *                     __x86_indirect_thunk_REG, which kmodfs implements
 *                     as that very indirect branch.
 *  .altinstructions   left alone: the original instructions are the
 *                     generic sequence, correct on every CPU.
 *  .parainstructions  nothing to patch: kmodfs exports no paravirt ops,
 *                     so a module that uses them does not link.
 *  .smp_locks         nothing to do: SMP lock prefixes stay.
 *  .orc_unwind(_ip)   not needed: Oops traces scan the stack.
 *  __jump_table       left alone: every static key stays at its
 *                     compiled-in default, which the code already has.
 */
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"
#include "loader/ksymtab.h"

static void apply_returns(struct load_info *info, unsigned int sec)
{
	const struct ksym *thunk = find_symbol("__x86_return_thunk", true);
	static const uint8_t ret_int3[5] = { 0xc3, 0xcc, 0xcc, 0xcc, 0xcc };
	const uint8_t *tab = sec_addr(info, sec);
	size_t n = info->sechdrs[sec].sh_size / 4;

	if (!thunk)
		return;
	for (size_t i = 0; i < n; i++) {
		int32_t rel;
		uint64_t site;
		uint8_t *p;
		int32_t disp;

		memcpy(&rel, tab + i * 4, 4);
		site = (uint64_t)(uintptr_t)(tab + i * 4) + (uint64_t)(int64_t)rel;
		if (!layout_text_contains(&info->core, site, 5) &&
		    !layout_text_contains(&info->init, site, 5))
			continue;
		p = (uint8_t *)(uintptr_t)site;
		memcpy(&disp, p + 1, 4);
		if (p[0] != 0xe9 || site + 5 + (uint64_t)(int64_t)disp != thunk->value) {
			pr_warn("missing return thunk: %pS: %5ph\n", p, p);
			continue;
		}
		memcpy(p, ret_int3, sizeof(ret_int3));
	}
}

void module_finalize(struct load_info *info)
{
	unsigned int sec = find_sec(info, ".return_sites");

	if (sec && info->sechdrs[sec].sh_type != SHT_NOBITS)
		apply_returns(info, sec);
}
