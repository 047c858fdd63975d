// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * WARN() and BUG() raised by the user-space kernel's own code (kernel/
 * panic.c's __warn() report), and the data-corruption checks Debian's
 * kernel builds in that raise them: CONFIG_DEBUG_LIST with
 * CONFIG_BUG_ON_DATA_CORRUPTION (lib/list_debug.c) and FORTIFY_SOURCE.
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/kallsyms.h"
#include "kernel/list.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/taint.h"
#include "kernel/traps.h"

static const char cut_here[] = "------------[ cut here ]------------\n";

/* ---- WARN() from the kernel side ---- */

__attribute__((noinline)) void kernel_warn(const char *file, int line, const char *func,
					    const char *fmt, ...)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	char where[KSYM_SYMBOL_LEN];
	size_t flen = strlen(func);
	va_list ap;
	int cpu = percpu_this_cpu();

	/* "func+0xoff/0xlen" when the warning site is in the export named
	 * func (static helpers are not in kallsyms: then the bare name) */
	sprint_symbol(where, sizeof(where), ip, true);
	if (strncmp(where, func, flen) || where[flen] != '+') {
		flen = flen < sizeof(where) - 1 ? flen : sizeof(where) - 1;
		memcpy(where, func, flen);
		where[flen] = '\0';
	}
	printk(KERN_DEFAULT "%s", cut_here);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	pr_warn("WARNING: CPU: %d PID: %d at %s:%d %s\n", cpu < 0 ? 0 : cpu,
		(int)gettid(), file, line, where);
	print_modules();
	show_warn_regs(ip);
	printk(KERN_DEFAULT "---[ end trace 0000000000000000 ]---\n");
	add_taint(TAINT_WARN, LOCKDEP_STILL_OK);
}

/* BUG() from the kernel side: an invalid opcode right in the function
 * that found the problem (the Oops' RIP), which traps.c reports and
 * modcall() contains. */
#define kernel_bug()                                                           \
	do {                                                                   \
		printk(KERN_DEFAULT "%s", cut_here);                           \
		__builtin_trap();                                              \
	} while (0)
/* ---- CONFIG_DEBUG_LIST with CONFIG_BUG_ON_DATA_CORRUPTION ---- */

/* A corruption is reported and BUG()s, as Debian's config has it. */
#define CORRUPTED(cond, fmt, ...)                                              \
	do {                                                                   \
		if (__builtin_expect(!!(cond), 0)) {                           \
			pr_err(fmt, ##__VA_ARGS__);                            \
			kernel_bug();                                          \
		}                                                              \
	} while (0)

KAPI static bool __list_add_valid(struct list_head *new, struct list_head *prev,
				  struct list_head *next)
{
	CORRUPTED(!prev, "list_add corruption. prev is NULL.\n");
	CORRUPTED(!next, "list_add corruption. next is NULL.\n");
	CORRUPTED(next->prev != prev,
		  "list_add corruption. next->prev should be prev (%px), but was %px. (next=%px).\n",
		  prev, next->prev, next);
	CORRUPTED(prev->next != next,
		  "list_add corruption. prev->next should be next (%px), but was %px. (prev=%px).\n",
		  next, prev->next, prev);
	CORRUPTED(new == prev || new == next,
		  "list_add double add: new=%px, prev=%px, next=%px.\n", new, prev, next);
	return true;
}
KEXPORT(__list_add_valid);

KAPI static bool __list_del_entry_valid(struct list_head *entry)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	CORRUPTED(!next, "list_del corruption, %px->next is NULL\n", entry);
	CORRUPTED(!prev, "list_del corruption, %px->prev is NULL\n", entry);
	CORRUPTED(next == LIST_POISON1,
		  "list_del corruption, %px->next is LIST_POISON1 (%px)\n", entry,
		  LIST_POISON1);
	CORRUPTED(prev == LIST_POISON2,
		  "list_del corruption, %px->prev is LIST_POISON2 (%px)\n", entry,
		  LIST_POISON2);
	CORRUPTED(prev->next != entry,
		  "list_del corruption. prev->next should be %px, but was %px. (prev=%px)\n",
		  entry, prev->next, prev);
	CORRUPTED(next->prev != entry,
		  "list_del corruption. next->prev should be %px, but was %px. (next=%px)\n",
		  entry, next->prev, next);
	return true;
}
KEXPORT(__list_del_entry_valid);

/* ---- CONFIG_FORTIFY_SOURCE ---- */

KAPI __attribute__((noreturn)) static void fortify_panic(const char *name)
{
	pr_emerg("detected buffer overflow in %s\n", name);
	kernel_bug();
}
KEXPORT(fortify_panic);
