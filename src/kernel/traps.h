/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Faults in module code (SIGSEGV, SIGBUS, SIGILL, SIGFPE) and the ud2 of
 * BUG() and WARN(): caught on an alternate stack in the thread that ran
 * the module, reported like Linux reports them, and contained to the
 * modcall() that ran the code (see modcall.h).
 */
#ifndef KMODFS_KERNEL_TRAPS_H
#define KMODFS_KERNEL_TRAPS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

/* What a fault left behind, for the report. */
struct fault_info {
	int sig, code;
	unsigned long addr;		/* si_addr */
	gregset_t regs;
	const char *bug_file;		/* BUG(): from __bug_table */
	unsigned int bug_line;
	unsigned long trace[64];	/* candidate code addresses on the stack at the fault */
	int ntrace;
	/* modcall_fn(): the module function that returned without keeping
	 * the calling convention, which callee-saved registers it changed
	 * (bit i: rbx rbp r12 r13 r14 r15) and how far it moved the stack
	 * pointer */
	unsigned long abi_fn;
	unsigned int abi_bad;
	long abi_sp_delta;
};

/* A BUG()/WARN() site as the module's __bug_table describes it. */
struct bug_site {
	const char *file;		/* NULL if the entry has no file */
	unsigned int line;
	unsigned int flags;
};

#define BUGFLAG_WARNING (1 << 0)
#define BUGFLAG_ONCE (1 << 1)
#define BUGFLAG_DONE (1 << 2)
#define BUGFLAG_NO_CUT_HERE (1 << 3)

/* Install the handlers (once, at boot). */
int traps_init(void);
/* Give this thread an alternate signal stack (threads that run modules). */
int traps_thread_init(void);

/* The module code addresses on this thread's stack from sp up, for the
 * report's call trace. */
void fault_save_trace(struct fault_info *f, unsigned long sp);

/* Print the Oops for a fault contained by modcall(); taints D. */
void oops_report(const struct fault_info *f);

/* Provided by the loader: the bug table entry for a ud2 at addr.  May
 * mark a BUGFLAG_ONCE entry done.  Safe in a signal handler. */
bool find_bug_site(unsigned long addr, struct bug_site *out, bool mark_done);
/* Provided by the loader: "Modules linked in: ..." */
void print_modules(void);

/* Exported to modules. */
void dump_stack(void);
void __warn_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A WARN() of the user-space kernel's own code at ip: the task line, RIP,
 * the registers as they are here and the module frames on the stack. */
void show_warn_regs(unsigned long ip);

/* " ? sym+off/len [mod]" for every code address found on the stack. */
void show_stack_trace(unsigned long sp);

#endif
