// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The x86-64 entry points compiled kernel code calls without asking:
 * __fentry__ (ftrace; the sites are NOPed at load, the function stays
 * callable), the return thunk and the retpoline indirect thunks (plain
 * returns and indirect jumps: the speculation barrier they stand for
 * does not apply inside a user process), and the stack protector's
 * failure path.
 */
#include <stdlib.h>

#include "kernel/export.h"
#include "kernel/printk.h"

__asm__(".text\n"
	".globl __fentry__\n"
	".type __fentry__, @function\n"
	"__fentry__:\n"
	"	ret\n"
	".size __fentry__, .-__fentry__\n"
	".globl __x86_return_thunk\n"
	".type __x86_return_thunk, @function\n"
	"__x86_return_thunk:\n"
	"	ret\n"
	"	int3\n"
	".size __x86_return_thunk, .-__x86_return_thunk\n");

#define INDIRECT_THUNK(reg)                                                    \
	__asm__(".text\n"                                                      \
		".globl __x86_indirect_thunk_" #reg "\n"                       \
		".type __x86_indirect_thunk_" #reg ", @function\n"             \
		"__x86_indirect_thunk_" #reg ":\n"                             \
		"	jmp *%" #reg "\n"                                       \
		"	int3\n"                                                 \
		".size __x86_indirect_thunk_" #reg                             \
		", .-__x86_indirect_thunk_" #reg "\n");                        \
	extern void __x86_indirect_thunk_##reg(void);                          \
	KEXPORT(__x86_indirect_thunk_##reg)

extern void __fentry__(void);
extern void __x86_return_thunk(void);
KEXPORT(__fentry__);
KEXPORT(__x86_return_thunk);

INDIRECT_THUNK(rax);
INDIRECT_THUNK(rbx);
INDIRECT_THUNK(rcx);
INDIRECT_THUNK(rdx);
INDIRECT_THUNK(rsi);
INDIRECT_THUNK(rdi);
INDIRECT_THUNK(rbp);
INDIRECT_THUNK(r8);
INDIRECT_THUNK(r9);
INDIRECT_THUNK(r10);
INDIRECT_THUNK(r11);
INDIRECT_THUNK(r12);
INDIRECT_THUNK(r13);
INDIRECT_THUNK(r14);
INDIRECT_THUNK(r15);

/* A smashed canary in module code: Linux panics, and so do we.  (Named
 * apart from libc's own __stack_chk_fail, which the daemon keeps.) */
KAPI __attribute__((noreturn)) static void kapi_stack_chk_fail(void)
{
	pr_emerg("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: %pB\n",
		 __builtin_return_address(0));
	abort();
}
KEXPORT_AS("__stack_chk_fail", kapi_stack_chk_fail);
