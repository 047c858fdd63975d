/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Known-answer checks for the kbuild test modules (tests/kbuild/*):
 * CHECK(condition[, fmt, args...]) counts the check and, when it fails,
 * prints "MODULE: FAIL function:line: condition: details"; the module
 * prints "N checks, M failed" from checks and failures at the end of its
 * init.  tests/kbuild/build.sh copies this header next to each module's
 * sources.  (Include after defining pr_fmt.)
 */
#ifndef KMODFS_TESTS_KCHECK_H
#define KMODFS_TESTS_KCHECK_H

#include <linux/printk.h>

static int checks, failures;

static __printf(4, 5) void check_failed(const char *func, int line, const char *cond,
					 const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_err("FAIL %s:%d: %s:%pV\n", func, line, cond, &vaf);
	va_end(ap);
}

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		checks++;                                                      \
		if (!(cond)) {                                                 \
			failures++;                                            \
			check_failed(__func__, __LINE__, #cond, " " __VA_ARGS__); \
		}                                                              \
	} while (0)

#endif
