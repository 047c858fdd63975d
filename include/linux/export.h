/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EXPORT_SYMBOL in Linux 6.1's x86-64 format: a 12-byte PREL32
 * struct kernel_symbol {value, name, namespace offsets} in a section
 * ___ksymtab[_gpl]+NAME (kmodfs-build's linker script sorts these into
 * __ksymtab[_gpl]), and "name\0namespace\0" in __ksymtab_strings.
 */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#include <linux/compiler.h>
#include <linux/stringify.h>

#define __KSYMTAB_ENTRY(sym, sec)					\
	__ADDRESSABLE(sym)						\
	__asm__("	.section \"___ksymtab" sec "+" #sym "\", \"a\"\n" \
		"	.balign	4\n"					\
		"__ksymtab_" #sym ":\n"					\
		"	.long	" #sym " - .\n"				\
		"	.long	__kstrtab_" #sym " - .\n"		\
		"	.long	__kstrtabns_" #sym " - .\n"		\
		"	.previous\n")

#define ___EXPORT_SYMBOL(sym, sec, ns)					\
	extern typeof(sym) sym;						\
	extern const char __kstrtab_##sym[];				\
	extern const char __kstrtabns_##sym[];				\
	__asm__("	.section \"__ksymtab_strings\",\"aMS\",%progbits,1\n" \
		"__kstrtab_" #sym ":\n"					\
		"	.asciz	\"" #sym "\"\n"				\
		"__kstrtabns_" #sym ":\n"				\
		"	.asciz	\"" ns "\"\n"				\
		"	.previous\n");					\
	__KSYMTAB_ENTRY(sym, sec)

#define EXPORT_SYMBOL(sym)		___EXPORT_SYMBOL(sym, "", "")
#define EXPORT_SYMBOL_GPL(sym)		___EXPORT_SYMBOL(sym, "_gpl", "")
#define EXPORT_SYMBOL_NS(sym, ns)	___EXPORT_SYMBOL(sym, "", __stringify(ns))
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	___EXPORT_SYMBOL(sym, "_gpl", __stringify(ns))

#define THIS_MODULE (&__this_module)
struct module;
extern struct module __this_module;

#endif
