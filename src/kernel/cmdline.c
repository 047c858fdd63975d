// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/cmdline.c for modules: memparse(), the parser of sizes such as
 * "64K", "512m" or "0x1000" in parameters and option strings.
 */
#include "kernel/export.h"
#include "kernel/kstrtox.h"

/*
 * A number in simple_strtoull()'s base-0 syntax, optionally followed by
 * one binary suffix (K, M, G, T, P or E, either case) that multiplies
 * it by 2^10 per step.  *retptr (if not NULL) is left after the suffix,
 * or after the number when there is none.
 */
KAPI static unsigned long long memparse(const char *ptr, char **retptr)
{
	static const char suffixes[] = "kmgtpe";
	char *end;
	unsigned long long v = simple_strtoull(ptr, &end, 0);
	char c = (char)(*end | 0x20);	/* ASCII lower case */

	for (unsigned int i = 0; i < sizeof(suffixes) - 1; i++) {
		if (c == suffixes[i]) {
			v <<= 10 * (i + 1);
			end++;
			break;
		}
	}
	if (retptr)
		*retptr = end;
	return v;
}
KEXPORT(memparse);
