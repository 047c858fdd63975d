// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Trap handling for module code.
 *
 * A fault inside a modcall() jumps back to that modcall with the
 * registers saved; the Oops is printed there, outside the signal handler.
 * WARN()'s ud2 is reported from the handler (module code reached it at a
 * point where it could as well have called printk) and execution resumes
 * after the ud2.  Faults outside module code go to the handler that was
 * installed before ours (the sanitizers', or the default: a crash).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/kallsyms.h"
#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/taint.h"
#include "kernel/traps.h"
#include "kernel/workqueue.h"

#define ALTSTACK_SIZE (64 * 1024)

static const int trapped[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
static struct sigaction previous[sizeof(trapped) / sizeof(trapped[0])];
static atomic_int die_counter;
static __thread void *altstack;

static const char *cut_here = "------------[ cut here ]------------\n";

static pthread_key_t altstack_key;
static pthread_once_t altstack_once = PTHREAD_ONCE_INIT;
static __thread bool altstack_checked;
static __thread unsigned long stack_lo, stack_hi;

static void note_stack_bounds(void)
{
	pthread_attr_t attr;
	void *base = NULL;
	size_t size = 0;

	if (stack_hi)
		return;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		pthread_attr_getstack(&attr, &base, &size);
		pthread_attr_destroy(&attr);
	}
	stack_lo = (unsigned long)base;
	stack_hi = (unsigned long)base + size;
}

static void altstack_free(void *p)
{
	stack_t ss = { .ss_flags = SS_DISABLE };

	sigaltstack(&ss, NULL);
	free(p);
}

static void altstack_key_init(void)
{
	pthread_key_create(&altstack_key, altstack_free);
}

/*
 * A stack overflow in module code must still reach our handler: every
 * thread that runs modules gets an alternate signal stack, unless it has
 * one already (the sanitizers install their own and free it themselves).
 */
int traps_thread_init(void)
{
	stack_t ss, old;

	note_stack_bounds();
	if (altstack_checked)
		return 0;
	if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE)) {
		altstack_checked = true;
		return 0;
	}
	pthread_once(&altstack_once, altstack_key_init);
	altstack = malloc(ALTSTACK_SIZE);
	if (!altstack)
		return -ENOMEM;
	ss.ss_sp = altstack;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL)) {
		free(altstack);
		altstack = NULL;
		return -errno;
	}
	pthread_setspecific(altstack_key, altstack);
	altstack_checked = true;
	return 0;
}

static void print_task_header(void)
{
	char comm[17] = "";
	char tainted[64];

	prctl(PR_GET_NAME, comm, 0, 0, 0);
	print_tainted(tainted, sizeof(tainted));
	printk(KERN_DEFAULT "CPU: %d PID: %d Comm: %s %s %s #1\n",
	       percpu_this_cpu() < 0 ? 0 : percpu_this_cpu(), (int)gettid(), comm,
	       tainted, kernel_profile.release);
	printk(KERN_DEFAULT "Hardware name: kmodfs user-space kernel\n");
	print_worker_info();
}

static void show_regs(const gregset_t r)
{
	printk(KERN_DEFAULT "RIP: 0010:%pS\n", (void *)(uintptr_t)r[REG_RIP]);
	printk(KERN_DEFAULT "RSP: 0018:%016llx EFLAGS: %08llx\n",
	       (unsigned long long)r[REG_RSP], (unsigned long long)r[REG_EFL]);
	printk(KERN_DEFAULT "RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)r[REG_RAX], (unsigned long long)r[REG_RBX],
	       (unsigned long long)r[REG_RCX]);
	printk(KERN_DEFAULT "RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)r[REG_RDX], (unsigned long long)r[REG_RSI],
	       (unsigned long long)r[REG_RDI]);
	printk(KERN_DEFAULT "RBP: %016llx R08: %016llx R09: %016llx\n",
	       (unsigned long long)r[REG_RBP], (unsigned long long)r[REG_R8],
	       (unsigned long long)r[REG_R9]);
	printk(KERN_DEFAULT "R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)r[REG_R10], (unsigned long long)r[REG_R11],
	       (unsigned long long)r[REG_R12]);
	printk(KERN_DEFAULT "R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)r[REG_R13], (unsigned long long)r[REG_R14],
	       (unsigned long long)r[REG_R15]);
}

/* One stack word; the scan crosses the sanitizer's redzones on purpose. */
__attribute__((no_sanitize_address)) static unsigned long stack_word(unsigned long p)
{
	return *(const unsigned long *)p;
}

/* Words on the stack that point into known code, newest first (the
 * "? " entries of an unreliable Linux stack trace). */
void show_stack_trace(unsigned long sp)
{
	pthread_attr_t attr;
	void *base = NULL;
	size_t size = 0;
	unsigned long top, lim;
	int shown = 0;

	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		pthread_attr_getstack(&attr, &base, &size);
		pthread_attr_destroy(&attr);
	}
	top = (unsigned long)base + size;
	lim = sp + 16 * 1024;	/* the frames near the fault tell the story */
	if (!base || sp < (unsigned long)base || sp >= top)
		top = sp;
	if (lim < top)
		top = lim;
	printk(KERN_DEFAULT "Call Trace:\n");
	printk(KERN_DEFAULT " <TASK>\n");
	for (unsigned long p = sp & ~7ul; p + 8 <= top && shown < 32; p += 8) {
		unsigned long v = stack_word(p);

		if (!module_text_address(v))
			continue;	/* only module code: the daemon's frames are noise */
		printk(KERN_DEFAULT " ? %pS\n", (void *)v);
		shown++;
	}
	printk(KERN_DEFAULT " </TASK>\n");
}

void show_warn_regs(unsigned long ip)
{
	unsigned long flags;
	ucontext_t uc;

	memset(&uc, 0, sizeof(uc));
	getcontext(&uc);	/* (saves neither rax nor the flags) */
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	uc.uc_mcontext.gregs[REG_EFL] = (greg_t)flags;
	uc.uc_mcontext.gregs[REG_RIP] = (greg_t)ip;
	print_task_header();
	show_regs(uc.uc_mcontext.gregs);
	show_stack_trace((unsigned long)uc.uc_mcontext.gregs[REG_RSP]);
}

KAPI void dump_stack(void)
{
	print_task_header();
	show_stack_trace((unsigned long)__builtin_frame_address(0));
}
KEXPORT(dump_stack);

static void end_trace(void)
{
	printk(KERN_DEFAULT "---[ end trace 0000000000000000 ]---\n");
}

static void page_fault_lines(const struct fault_info *f)
{
	/* the user-mode bit of the error code: this is "kernel" code */
	unsigned long err = (unsigned long)f->regs[REG_ERR] & ~4ul;

	if (f->addr < 4096)
		pr_alert("BUG: kernel NULL pointer dereference, address: %016lx\n", f->addr);
	else
		pr_alert("BUG: unable to handle page fault for address: %016lx\n", f->addr);
	pr_alert("#PF: supervisor %s access in kernel mode\n",
		 (err & 16) ? "instruction fetch" : (err & 2) ? "write" : "read");
	pr_alert("#PF: error_code(0x%04lx) - %s\n", err,
		 !(err & 1) ? "not-present page" : "permissions violation");
}

static void show_saved_trace(const struct fault_info *f)
{
	int shown = 0;

	printk(KERN_DEFAULT "Call Trace:\n");
	printk(KERN_DEFAULT " <TASK>\n");
	for (int i = 0; i < f->ntrace && shown < 32; i++) {
		if (!module_text_address(f->trace[i]))
			continue;
		printk(KERN_DEFAULT " ? %pS\n", (void *)f->trace[i]);
		shown++;
	}
	printk(KERN_DEFAULT " </TASK>\n");
}

/* In the handler: the stack is still as the fault left it. */
__attribute__((no_sanitize_address)) void fault_save_trace(struct fault_info *f, unsigned long sp)
{
	unsigned long lo = sp, hi;

	f->ntrace = 0;
	if (!stack_hi)
		return;
	if (lo < stack_lo && stack_lo - lo <= 64 * 1024)
		lo = stack_lo;	/* on the guard page: start where the stack is */
	if (lo < stack_lo || lo >= stack_hi)
		return;
	hi = lo + 16 * 1024 < stack_hi ? lo + 16 * 1024 : stack_hi;
	for (unsigned long p = lo & ~7ul; p + 8 <= hi && f->ntrace < 64; p += 8) {
		unsigned long v = *(const unsigned long *)p;

		if (module_area_address(v))	/* module_text_address() locks */
			f->trace[f->ntrace++] = v;
	}
}

/* A module function that returned with its caller's registers changed:
 * no Linux message exists for this (Linux would crash later, somewhere
 * in the caller), so it is said in kmodfs's words. */
static void broken_return_line(const struct fault_info *f)
{
	static const char *const names[6] = { "rbx", "rbp", "r12", "r13", "r14", "r15" };
	char what[160];
	size_t n = 0;

	what[0] = 0;
	if (f->abi_sp_delta)
		n += (size_t)snprintf(what + n, sizeof(what) - n, " the stack pointer moved by %ld bytes%s",
				      f->abi_sp_delta, f->abi_bad ? ";" : "");
	if (f->abi_bad) {
		n += (size_t)snprintf(what + n, sizeof(what) - n, " callee-saved registers changed:");
		for (int i = 0; i < 6 && n < sizeof(what); i++)
			if (f->abi_bad & (1u << i))
				n += (size_t)snprintf(what + n, sizeof(what) - n, " %s", names[i]);
	}
	pr_alert("kmodfs: %pS returned without keeping the x86-64 calling convention:%s\n",
		 (void *)f->abi_fn, what);
}

void oops_report(const struct fault_info *f)
{
	int n = atomic_fetch_add(&die_counter, 1) + 1;
	const char *what;

	debug_locks_off();	/* oops_enter() */

	switch (f->abi_fn ? 0 : f->sig) {
	case 0:
		broken_return_line(f);
		what = "Oops";
		break;
	case SIGILL:
		if (f->bug_file) {
			printk(KERN_DEFAULT "%s", cut_here);
			pr_crit("kernel BUG at %s:%u!\n", f->bug_file, f->bug_line);
		}
		what = "invalid opcode";
		break;
	case SIGFPE:
		what = "divide error";
		break;
	case SIGBUS:
		what = "general protection fault";
		break;
	default:
		if (f->code == SI_KERNEL) {	/* #GP: a non-canonical address */
			what = "general protection fault";
			break;
		}
		page_fault_lines(f);
		what = "Oops";
		break;
	}
	printk(KERN_DEFAULT "%s: %04llx [#%d] PREEMPT SMP NOPTI\n", what,
	       f->sig == SIGSEGV && f->code != SI_KERNEL && !f->abi_fn ? (unsigned long long)f->regs[REG_ERR] & ~4ull : 0ull, n);
	print_task_header();
	show_regs(f->regs);
	show_saved_trace(f);
	print_modules();
	if (f->sig == SIGSEGV && f->code != SI_KERNEL && !f->abi_fn)
		/* page_fault_oops(): the summary in case the body scrolled away */
		printk(KERN_DEFAULT "CR2: %016lx\n", f->addr);
	end_trace();
	add_taint(TAINT_DIE, LOCKDEP_NOW_UNRELIABLE);	/* oops_end(): after the report */
	show_regs(f->regs);	/* oops_end()'s executive summary */
}

/* WARN(): report and continue after the ud2. */
static void report_warning(ucontext_t *uc, const struct bug_site *b)
{
	unsigned long rip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];

	if (!(b->flags & BUGFLAG_NO_CUT_HERE))
		printk(KERN_DEFAULT "%s", cut_here);
	if (b->file)
		pr_warn("WARNING: CPU: %d PID: %d at %s:%u %pS\n", percpu_this_cpu(),
			(int)gettid(), b->file, b->line, (void *)rip);
	else
		pr_warn("WARNING: CPU: %d PID: %d at %pS\n", percpu_this_cpu(),
			(int)gettid(), (void *)rip);
	print_modules();
	print_task_header();
	show_regs(uc->uc_mcontext.gregs);
	show_stack_trace((unsigned long)uc->uc_mcontext.gregs[REG_RSP]);
	end_trace();
	add_taint(b->flags >> 8, LOCKDEP_STILL_OK);
	uc->uc_mcontext.gregs[REG_RIP] += 2;
}

static void chain(int sig, siginfo_t *si, void *ctx)
{
	for (size_t i = 0; i < sizeof(trapped) / sizeof(trapped[0]); i++) {
		const struct sigaction *old = &previous[i];

		if (trapped[i] != sig)
			continue;
		if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
			old->sa_sigaction(sig, si, ctx);
			return;
		}
		if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
			old->sa_handler(sig);
			return;
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void trap_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	unsigned long rip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
	struct fault_info f = { .sig = sig, .code = si->si_code,
				.addr = (unsigned long)si->si_addr };
	struct bug_site b;

	/* the module may have left EFLAGS.AC set (SIGBUS for a misaligned
	 * access): our own code must not run with alignment checks */
	__asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" : : : "memory", "cc");
	if (!modcall_active()) {
		chain(sig, si, ctx);
		return;
	}
	if (sig == SIGILL && find_bug_site(rip, &b, true)) {
		if (b.flags & BUGFLAG_WARNING) {
			/* a WARN_ON_ONCE that already fired: silently go on */
			if (!(b.flags & BUGFLAG_DONE))
				report_warning(uc, &b);
			else
				uc->uc_mcontext.gregs[REG_RIP] += 2;
			return;
		}
		f.bug_file = b.file;
		f.bug_line = b.line;
	}
	memcpy(f.regs, uc->uc_mcontext.gregs, sizeof(f.regs));
	fault_save_trace(&f, (unsigned long)uc->uc_mcontext.gregs[REG_RSP]);
	modcall_fault(&f);	/* does not return */
}

int traps_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = trap_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(trapped) / sizeof(trapped[0]); i++)
		if (sigaction(trapped[i], &sa, &previous[i]))
			return -errno;
	return 0;
}

/* WARN(cond, fmt...) prints its message before the ud2. */
KAPI void __warn_printk(const char *fmt, ...)
{
	va_list ap;

	printk(KERN_DEFAULT "%s", cut_here);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
KEXPORT(__warn_printk);
