// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The software population counts behind the x86 hweight*() inlines.
 *
 * Modules count bits with an alternative: `call __sw_hweight32` (or 64),
 * replaced by popcnt on CPUs that have it.  kmodfs leaves alternatives
 * unpatched, so the call is what runs -- and it comes from inline asm
 * that names %rdi as an unchanged input and %rax as the only output,
 * with no clobbers.  So, as Linux's arch/x86/lib/hweight.S, these are
 * written in assembly and preserve every register but %rax (and the
 * flags); they use the stack only for saving what they borrow, which is
 * safe because kernel code keeps no red zone.
 *
 * Both are the usual SWAR count: bit pairs, then nibbles, then bytes
 * summed with a multiplication into the top byte.
 */
#include "kernel/export.h"

unsigned int __sw_hweight32(unsigned int w);
unsigned long __sw_hweight64(unsigned long w);

__asm__(".text\n"
	".globl __sw_hweight32\n"
	".type __sw_hweight32, @function\n"
	"__sw_hweight32:\n"
	"	pushq	%rdx\n"
	"	movl	%edi, %eax\n"
	"	movl	%edi, %edx\n"
	"	shrl	$1, %edx\n"
	"	andl	$0x55555555, %edx\n"
	"	subl	%edx, %eax\n"		/* 2-bit sums */
	"	movl	%eax, %edx\n"
	"	shrl	$2, %eax\n"
	"	andl	$0x33333333, %edx\n"
	"	andl	$0x33333333, %eax\n"
	"	addl	%edx, %eax\n"		/* 4-bit sums */
	"	movl	%eax, %edx\n"
	"	shrl	$4, %edx\n"
	"	addl	%edx, %eax\n"
	"	andl	$0x0f0f0f0f, %eax\n"	/* byte sums */
	"	imull	$0x01010101, %eax, %eax\n"
	"	shrl	$24, %eax\n"
	"	popq	%rdx\n"
	"	ret\n"
	".size __sw_hweight32, .-__sw_hweight32\n"
	"\n"
	".globl __sw_hweight64\n"
	".type __sw_hweight64, @function\n"
	"__sw_hweight64:\n"
	"	pushq	%rdx\n"
	"	pushq	%rcx\n"
	"	movq	%rdi, %rax\n"
	"	movq	%rdi, %rdx\n"
	"	shrq	$1, %rdx\n"
	"	movabsq	$0x5555555555555555, %rcx\n"
	"	andq	%rcx, %rdx\n"
	"	subq	%rdx, %rax\n"
	"	movabsq	$0x3333333333333333, %rcx\n"
	"	movq	%rax, %rdx\n"
	"	shrq	$2, %rax\n"
	"	andq	%rcx, %rdx\n"
	"	andq	%rcx, %rax\n"
	"	addq	%rdx, %rax\n"
	"	movq	%rax, %rdx\n"
	"	shrq	$4, %rdx\n"
	"	addq	%rdx, %rax\n"
	"	movabsq	$0x0f0f0f0f0f0f0f0f, %rcx\n"
	"	andq	%rcx, %rax\n"
	"	movabsq	$0x0101010101010101, %rcx\n"
	"	imulq	%rcx, %rax\n"
	"	shrq	$56, %rax\n"
	"	popq	%rcx\n"
	"	popq	%rdx\n"
	"	ret\n"
	".size __sw_hweight64, .-__sw_hweight64\n");

KEXPORT(__sw_hweight32);
KEXPORT(__sw_hweight64);
