/* Functions the kernel calls that return without keeping the x86-64
 * calling convention, as a fuzzer's mutated module does: written in
 * assembly so that the compiler cannot repair them.  init_module
 * misbehaves as the "mode" parameter says, cleanup_module as
 * "exit_mode", and a write of N to the "crash" parameter as N:
 *
 *   0  returns properly
 *   1  returns with rbx, rbp, r12-r15 changed
 *   2  returns with `ret $0x48` (the stack pointer 72 bytes too high)
 *   3  returns properly but with EFLAGS.DF and EFLAGS.AC set
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");

int abibreak_mode;
module_param_named(mode, abibreak_mode, int, 0444);
int abibreak_exit_mode;
module_param_named(exit_mode, abibreak_exit_mode, int, 0644);

int init_module(void);
void cleanup_module(void);
int abibreak_set(const char *val, const struct kernel_param *kp);

#define ABIBREAK_BODY(name)						\
	"	cmpl	$1, %eax\n"					\
	"	je	.L" name "_clobber\n"				\
	"	cmpl	$2, %eax\n"					\
	"	je	.L" name "_unbalanced\n"				\
	"	cmpl	$3, %eax\n"					\
	"	je	.L" name "_flags\n"				\
	"	xorl	%eax, %eax\n"					\
	"	ret\n"							\
	".L" name "_clobber:\n"						\
	"	movabsq	$0x6b616269627265, %rbx\n"			\
	"	movq	%rbx, %rbp\n"					\
	"	movq	%rbx, %r12\n"					\
	"	movq	%rbx, %r13\n"					\
	"	movq	%rbx, %r14\n"					\
	"	movq	%rbx, %r15\n"					\
	"	xorl	%eax, %eax\n"					\
	"	ret\n"							\
	".L" name "_unbalanced:\n"						\
	"	xorl	%eax, %eax\n"					\
	"	ret	$0x48\n"					\
	".L" name "_flags:\n"						\
	"	std\n"							\
	"	pushfq\n"						\
	"	orq	$0x40000, (%rsp)\n"				\
	"	popfq\n"						\
	"	xorl	%eax, %eax\n"					\
	"	ret\n"

asm(".text\n"
    "	.globl	init_module\n"
    "	.type	init_module, @function\n"
    "init_module:\n"
    "	movl	abibreak_mode(%rip), %eax\n"
    ABIBREAK_BODY("abibreak_init")
    "	.size	init_module, .-init_module\n"
    "	.globl	cleanup_module\n"
    "	.type	cleanup_module, @function\n"
    "cleanup_module:\n"
    "	movl	abibreak_exit_mode(%rip), %eax\n"
    ABIBREAK_BODY("abibreak_exit")
    "	.size	cleanup_module, .-cleanup_module\n"
    "	.globl	abibreak_set\n"
    "	.type	abibreak_set, @function\n"
    "abibreak_set:\n"
    "	movzbl	(%rdi), %eax\n"
    "	subl	$0x30, %eax\n"
    ABIBREAK_BODY("abibreak_setter")
    "	.size	abibreak_set, .-abibreak_set\n");

static const struct kernel_param_ops crash_ops = {
	.set = abibreak_set,
};
module_param_cb(crash, &crash_ops, NULL, 0200);
