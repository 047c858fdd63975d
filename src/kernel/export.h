/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-space kernel's export table.
 *
 * Every function or object that a module may link against is declared
 * with one of the KEXPORT macros below.  Each use drops one
 * struct kernel_export into the linker section "kmodfs_ksymtab"; the
 * linker provides __start_/__stop_ symbols around it, so the table is
 * complete without any central list to keep in sync.
 *
 * Functions that collide with libc names (memcpy, strlen, snprintf...)
 * are implemented under a kernel_ prefix and exported under the kernel's
 * name with KEXPORT_AS, so the daemon's own calls still reach libc.
 *
 * Module code is built with an 8-byte stack alignment and without SSE, so
 * every exported function must be entered through KAPI, which realigns
 * the stack (see SPEC §5).
 */
#ifndef KMODFS_KERNEL_EXPORT_H
#define KMODFS_KERNEL_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kernel_export {
	const char *name;
	const void *addr;	/* function or object; per-CPU: offset */
	bool gpl_only;		/* EXPORT_SYMBOL_GPL */
	const char *ns;		/* namespace, "" for none */
};

/* Attribute for every function a module may call. */
#define KAPI __attribute__((force_align_arg_pointer, used))

#define __KEXPORT_ID2(sym, line) __kexport_##sym##_##line
#define __KEXPORT_ID(sym, line) __KEXPORT_ID2(sym, line)
#define __KEXPORT(str, sym, gpl, nsp)                                          \
	static const struct kernel_export __KEXPORT_ID(sym, __LINE__)         \
		__attribute__((used, section("kmodfs_ksymtab"), aligned(8))) = \
			{ str, (const void *)(uintptr_t)&(sym), gpl, nsp }

#define KEXPORT(sym) __KEXPORT(#sym, sym, false, "")
#define KEXPORT_GPL(sym) __KEXPORT(#sym, sym, true, "")
#define KEXPORT_AS(str, sym) __KEXPORT(str, sym, false, "")
#define KEXPORT_GPL_AS(str, sym) __KEXPORT(str, sym, true, "")

extern const struct kernel_export __start_kmodfs_ksymtab[];
extern const struct kernel_export __stop_kmodfs_ksymtab[];

#endif
