/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BUG() and WARN() as x86-64 Linux 6.1 builds them: a ud2 instruction
 * with a __bug_table entry {s32 addr - ., s32 file - ., u16 line,
 * u16 flags}.  The trap handler finds the entry: a warning is reported
 * and execution continues after the ud2; a BUG() is an Oops.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/printk.h>

#define BUGFLAG_WARNING		(1 << 0)
#define BUGFLAG_ONCE		(1 << 1)
#define BUGFLAG_DONE		(1 << 2)
#define BUGFLAG_NO_CUT_HERE	(1 << 3)
#define BUGFLAG_TAINT(taint)	((taint) << 8)
#define TAINT_WARN		9

struct bug_entry {
	int bug_addr_disp;
	int file_disp;
	unsigned short line;
	unsigned short flags;
};

#define _BUG_FLAGS(flags)						\
	__asm__ __volatile__("1:\tud2\n"				\
		".pushsection __bug_table,\"aw\"\n"			\
		"2:\t.long 1b - .\n"					\
		"\t.long %c0 - .\n"					\
		"\t.word %c1\n"						\
		"\t.word %c2\n"						\
		"\t.org 2b + %c3\n"					\
		".popsection\n"						\
		: : "i" (__FILE__), "i" (__LINE__), "i" (flags),	\
		    "i" (sizeof(struct bug_entry)))

#define BUG() do {							\
	_BUG_FLAGS(0);							\
	__builtin_unreachable();					\
} while (0)

#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)

__printf(1, 2) void __warn_printk(const char *fmt, ...);

#define __WARN_FLAGS(flags) _BUG_FLAGS(BUGFLAG_WARNING | (flags))
#define __WARN() __WARN_FLAGS(BUGFLAG_TAINT(TAINT_WARN))

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__WARN();						\
	unlikely(__ret_warn_on);					\
})

#define WARN(condition, format...) ({					\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on)) {					\
		__warn_printk(format);					\
		__WARN_FLAGS(BUGFLAG_NO_CUT_HERE |			\
			     BUGFLAG_TAINT(TAINT_WARN));		\
	}								\
	unlikely(__ret_warn_on);					\
})

#define WARN_ON_ONCE(condition) ({					\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__WARN_FLAGS(BUGFLAG_ONCE |				\
			     BUGFLAG_TAINT(TAINT_WARN));		\
	unlikely(__ret_warn_on);					\
})

#define WARN_ONCE(condition, format...) ({				\
	static bool __section(".data.once") __warned;			\
	int __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		WARN(1, format);					\
	}								\
	unlikely(__ret_warn_once);					\
})

#endif
