// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Entering module code (see modcall.h).  Each call pushes a frame with a
 * sigjmp_buf; a fault in the module (traps.c) jumps back to the
 * innermost frame, and the Oops is printed here, in ordinary context.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/traps.h"

struct modcall_frame {
	sigjmp_buf env;
	struct modcall_frame *prev;
	struct fault_info fault;
	struct sched_ctx ctx;	/* preempt count, RCU nesting, irq flag */
	unsigned int guard_depth;
};

static __thread struct modcall_frame *current_frame;

/*
 * modcall_fn(): module code keeps the x86-64 calling convention no more
 * than it keeps anything else, and a module function that returns with
 * the caller's callee-saved registers or stack pointer changed would
 * corrupt the daemon (the fuzzers' mutated modules do it: `ret $0xc042`).
 * So the caller's registers, stack pointer and return address are kept
 * in thread-local memory, which module code reaches only by accident
 * (nothing in the kernel ABI touches %fs), and restored when the module
 * returns.  The module is called with the callee-saved registers zeroed
 * -- it must preserve them, not use them, and so a wild write through
 * one of them faults at NULL instead of hitting a daemon frame they
 * pointed into -- and a register not zero on return, or a moved stack
 * pointer, is reported as a fault of that call.  The direction and alignment-check flags are
 * cleared on the way back (the ABI wants DF clear; AC would make the
 * daemon's own misaligned accesses fault).
 */
struct guard_rec {
	unsigned long saved[8];		/* rbx rbp r12 r13 r14 r15 rsp ret */
	unsigned long fn;
	unsigned long got[8];		/* rbx rbp r12 r13 r14 r15 rsp rax at the return */
	unsigned long pad[3];
};
_Static_assert(sizeof(struct guard_rec) == 160, "modcall_fn's assembly knows this layout");

#define GUARD_MAX 32		/* nested module calls guarded per thread */

__attribute__((visibility("hidden"), used)) __thread struct guard_rec kmodfs_guard_stack[GUARD_MAX];
__attribute__((visibility("hidden"), used)) __thread unsigned int kmodfs_guard_depth;

__attribute__((noreturn, used, visibility("hidden"))) void modcall_broken_return(const struct guard_rec *g);

#define GUARD_STR(x) #x
#define GUARD_XSTR(x) GUARD_STR(x)

__asm__(
	"	.text\n"
	"	.globl	modcall_fn\n"
	"	.hidden	modcall_fn\n"
	"	.type	modcall_fn, @function\n"
	"	.p2align 4\n"
	"modcall_fn:\n"
	"	.cfi_startproc\n"
	"	movq	%fs:0, %r11\n"
	"	addq	kmodfs_guard_depth@gottpoff(%rip), %r11\n"
	"	movl	(%r11), %eax\n"
	"	cmpl	$" GUARD_XSTR(GUARD_MAX) ", %eax\n"
	"	jae	9f\n"
	"	incl	(%r11)\n"
	"	imulq	$160, %rax, %rax\n"
	"	addq	%fs:0, %rax\n"
	"	addq	kmodfs_guard_stack@gottpoff(%rip), %rax\n"
	"	movq	%rbx, 0(%rax)\n"
	"	movq	%rbp, 8(%rax)\n"
	"	movq	%r12, 16(%rax)\n"
	"	movq	%r13, 24(%rax)\n"
	"	movq	%r14, 32(%rax)\n"
	"	movq	%r15, 40(%rax)\n"
	"	movq	(%rsp), %r10\n"
	"	movq	%r10, 56(%rax)\n"
	"	movq	%rdi, 64(%rax)\n"
	"	subq	$8, %rsp\n"		/* the callee's stack 16-byte aligned */
	"	.cfi_adjust_cfa_offset 8\n"
	"	movq	%rsp, 48(%rax)\n"
	"	movq	%rdi, %r10\n"
	"	movq	%rsi, %rdi\n"
	"	movq	%rdx, %rsi\n"
	/* module code gets no pointers into the daemon's frames */
	"	xorl	%ebx, %ebx\n"
	"	xorl	%ebp, %ebp\n"
	"	xorl	%r12d, %r12d\n"
	"	xorl	%r13d, %r13d\n"
	"	xorl	%r14d, %r14d\n"
	"	xorl	%r15d, %r15d\n"
	"	call	*%r10\n"
	/* back from module code: trust nothing but %fs */
	"	movq	%fs:0, %r11\n"
	"	addq	kmodfs_guard_depth@gottpoff(%rip), %r11\n"
	"	decl	(%r11)\n"
	"	movl	(%r11), %r11d\n"
	"	imulq	$160, %r11, %r11\n"
	"	addq	%fs:0, %r11\n"
	"	addq	kmodfs_guard_stack@gottpoff(%rip), %r11\n"
	"	testq	%rbx, %rbx\n"		/* the zeros it was given, kept */
	"	jne	1f\n"
	"	testq	%rbp, %rbp\n"
	"	jne	1f\n"
	"	testq	%r12, %r12\n"
	"	jne	1f\n"
	"	testq	%r13, %r13\n"
	"	jne	1f\n"
	"	testq	%r14, %r14\n"
	"	jne	1f\n"
	"	testq	%r15, %r15\n"
	"	jne	1f\n"
	"	cmpq	48(%r11), %rsp\n"
	"	jne	1f\n"
	"	movq	0(%r11), %rbx\n"
	"	movq	8(%r11), %rbp\n"
	"	movq	16(%r11), %r12\n"
	"	movq	24(%r11), %r13\n"
	"	movq	32(%r11), %r14\n"
	"	movq	40(%r11), %r15\n"
	"	cld\n"
	"	pushfq\n"
	"	andq	$~0x40000, (%rsp)\n"
	"	popfq\n"
	"	addq	$16, %rsp\n"		/* our pad and the return address */
	"	.cfi_adjust_cfa_offset -16\n"
	"	jmp	*56(%r11)\n"		/* the return address as we kept it */
	"	.cfi_adjust_cfa_offset 16\n"
	"1:\n"
	"	movq	%rbx, 72(%r11)\n"
	"	movq	%rbp, 80(%r11)\n"
	"	movq	%r12, 88(%r11)\n"
	"	movq	%r13, 96(%r11)\n"
	"	movq	%r14, 104(%r11)\n"
	"	movq	%r15, 112(%r11)\n"
	"	movq	%rsp, 120(%r11)\n"
	"	movq	%rax, 128(%r11)\n"
	"	movq	0(%r11), %rbx\n"
	"	movq	8(%r11), %rbp\n"
	"	movq	16(%r11), %r12\n"
	"	movq	24(%r11), %r13\n"
	"	movq	32(%r11), %r14\n"
	"	movq	40(%r11), %r15\n"
	"	movq	48(%r11), %rsp\n"
	"	cld\n"
	"	pushfq\n"
	"	andq	$~0x40000, (%rsp)\n"
	"	popfq\n"
	"	addq	$8, %rsp\n"		/* at the return address slot, */
	"	movq	56(%r11), %rax\n"	/* which holds our return address */
	"	movq	%rax, (%rsp)\n"
	"	movq	%r11, %rdi\n"
	"	jmp	modcall_broken_return\n"	/* as if our caller had called it */
	"9:\n"					/* nested too deep to guard: a plain tail call */
	"	movq	%rdi, %r10\n"
	"	movq	%rsi, %rdi\n"
	"	movq	%rdx, %rsi\n"
	"	jmp	*%r10\n"
	"	.cfi_endproc\n"
	"	.size	modcall_fn, .-modcall_fn\n");

void modcall_broken_return(const struct guard_rec *g)
{
	static const int reg[6] = { REG_RBX, REG_RBP, REG_R12, REG_R13, REG_R14, REG_R15 };
	struct fault_info f;

	memset(&f, 0, sizeof(f));
	f.sig = SIGSEGV;
	f.abi_fn = g->fn;
	for (int i = 0; i < 6; i++) {
		f.regs[reg[i]] = (greg_t)g->got[i];
		if (g->got[i] != 0)	/* it was called with zeros there */
			f.abi_bad |= 1u << i;
	}
	f.regs[REG_RSP] = (greg_t)g->got[6];
	f.regs[REG_RAX] = (greg_t)g->got[7];
	f.regs[REG_RIP] = (greg_t)g->fn;
	/* the module's `ret` popped the return address: sp is 8 above it */
	f.abi_sp_delta = (long)(g->got[6] - g->saved[6]);
	fault_save_trace(&f, g->got[6]);
	if (!current_frame)
		abort();	/* modcall_fn() outside modcall(): a daemon bug */
	modcall_fault(&f);
}


bool modcall_active(void)
{
	return current_frame != NULL;
}

void modcall_fault(const struct fault_info *f)
{
	struct modcall_frame *frame = current_frame;

	frame->fault = *f;
	siglongjmp(frame->env, 1);
}

int modcall(void (*fn)(void *arg), void *arg)
{
	struct modcall_frame frame;
	int err = percpu_thread_enter();

	if (!err)
		err = traps_thread_init();
	if (err) {
		pr_err("kmodfs: cannot prepare this thread for module code (%d)\n", err);
		return err;
	}
	frame.prev = current_frame;
	frame.guard_depth = kmodfs_guard_depth;
	sched_ctx_save(&frame.ctx);
	current_frame = &frame;
	if (sigsetjmp(frame.env, 1) == 0) {
		fn(arg);
		current_frame = frame.prev;
		return 0;
	}
	current_frame = frame.prev;
	kmodfs_guard_depth = frame.guard_depth;	/* the fault skipped modcall_fn's return */
	/* what the module held when it died (a spinlock's preempt_disable,
	 * an RCU read section) is released with it, as when Linux kills
	 * the oopsing task */
	sched_ctx_restore(&frame.ctx);
	oops_report(&frame.fault);
	return -EFAULT;
}

struct init_call {
	int (*init)(void);
	int ret;
};

static void run_init(void *arg)
{
	struct init_call *c = arg;

	c->ret = (int)modcall_fn((void (*)(void))c->init, 0, 0);
}

int modcall_init(int (*init)(void), int *ret)
{
	struct init_call c = { init, 0 };
	int err = modcall(run_init, &c);

	*ret = c.ret;
	return err;
}

static void run_exit(void *arg)
{
	void (**exit)(void) = arg;

	modcall_fn(*exit, 0, 0);
}

int modcall_exit(void (*exit)(void))
{
	return modcall(run_exit, &exit);
}
