// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: ftrace_module_init -- every `call __fentry__` recorded in
 * __mcount_loc becomes the 5-byte NOP 0f 1f 44 00 00, as Linux does at
 * load (facts §7), so module functions do not call into the tracer.  A
 * site that is not such a call is reported like Linux's ftrace_bug and
 * left alone; the load goes on.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"
#include "loader/ksymtab.h"

static const uint8_t nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return x < y ? -1 : x > y;
}

static void ftrace_bug(const struct load_info *info, uint64_t site,
		       const uint8_t *actual)
{
	pr_warn("------------[ ftrace bug ]------------\n");
	pr_warn("ftrace failed to modify \n");
	pr_warn("[<%016llx>] %pS\n", (unsigned long long)site, (void *)(uintptr_t)site);
	if (actual)
		pr_warn(" actual:   %02x:%02x:%02x:%02x:%02x\n", actual[0],
			actual[1], actual[2], actual[3], actual[4]);
	pr_warn("%s: __mcount_loc entry is not a call to __fentry__\n",
		info->km->name);
}

void ftrace_module_init(struct load_info *info)
{
	unsigned int sec = find_sec(info, "__mcount_loc");
	const struct ksym *fentry = find_symbol("__fentry__", true);
	uint8_t *tab;
	size_t n;

	if (!sec || !fentry)
		return;
	tab = sec_addr(info, sec);
	n = info->sechdrs[sec].sh_size / 8;
	/* Linux sorts the table in place and skips zero entries */
	qsort(tab, n, 8, cmp_u64);
	for (size_t i = 0; i < n; i++) {
		uint64_t site;
		uint8_t *p;
		int32_t rel;

		memcpy(&site, tab + i * 8, 8);
		if (!site)
			continue;
		if (!layout_text_contains(&info->core, site, 5) &&
		    !layout_text_contains(&info->init, site, 5)) {
			ftrace_bug(info, site, NULL);
			continue;
		}
		p = (uint8_t *)(uintptr_t)site;
		memcpy(&rel, p + 1, 4);
		if (p[0] != 0xe8 || site + 5 + (uint64_t)(int64_t)rel != fentry->value) {
			ftrace_bug(info, site, p);
			continue;
		}
		memcpy(p, nop5, sizeof(nop5));
	}
}
