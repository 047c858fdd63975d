/* Misbehaves on request: the fault-containment tests load it with
 * mode=N (init), exit_mode=N (exit), or set its "crash" parameter. */
#include <linux/module.h>

MODULE_LICENSE("GPL");

static int mode;
module_param(mode, int, 0444);
static int exit_mode;
module_param(exit_mode, int, 0644);

static const int answer = 42;
static int zero;

static noinline int misbehave(int how)
{
	volatile int *p = NULL;

	switch (how) {
	case 1:
		WARN_ON(1);
		return 0;
	case 2:
		BUG();
	case 3:
		return *p;			/* NULL dereference */
	case 4:
		*(volatile int *)&answer = 1;	/* write to read-only data */
		return 0;
	case 5:
		return answer / *(volatile int *)&zero;	/* divide error */
	case 6:
		WARN_ON_ONCE(1);
		WARN_ON_ONCE(1);
		return 0;
	case 7:
		WARN(1, "faulty: warning with a message %d\n", 7);
		return 0;
	/* modes added later; their helpers are below */
	case 8:
		return *(volatile int *)0xdeadbeeful;	/* wild pointer */
	case 9:
		return *(volatile int *)0xdead000000000100ul;	/* LIST_POISON1 */
	case 10:
		asm volatile("ud2");		/* an invalid opcode, no BUG() */
		return 0;
	case 11: {
		int faulty_recurse(volatile char *up, unsigned long depth);

		return faulty_recurse(NULL, 0);	/* stack overflow */
	}
	case 12: {
		int faulty_misaligned_with_ac(void);

		return faulty_misaligned_with_ac();	/* SIGBUS */
	}
	case 13:
		return -5000;			/* no errno */
	case 14:
		return -600;			/* above what FUSE may carry */
	}
	return 0;
}

/* Mode 11: a frame that cannot be folded away, and a depth that is never
 * reached (so that no compiler calls the recursion endless). */
noinline int faulty_recurse(volatile char *up, unsigned long depth)
{
	volatile char frame[256];

	frame[0] = up ? up[0] + 1 : 0;
	if (depth > (1ul << 40))
		return frame[0];
	return faulty_recurse(frame, depth + 1) + frame[depth & 255];
}

/* Mode 12: with EFLAGS.AC set (the kernel sets CR0.AM), a misaligned
 * access traps: SIGBUS (BUS_ADRALN) in user space. */
noinline int faulty_misaligned_with_ac(void)
{
	static unsigned long words[2];
	int v;

	asm volatile("pushfq; orq $0x40000, (%%rsp); popfq" : : : "memory", "cc");
	v = *(volatile int *)((char *)words + 1);
	asm volatile("pushfq; andq $~0x40000, (%%rsp); popfq" : : : "memory", "cc");
	return v;
}

static int set_crash(const char *val, const struct kernel_param *kp)
{
	int r = misbehave(simple_strtol(val, NULL, 0));

	barrier();	/* not a tail call: set_crash stays in the call trace */
	return r;
}

static const struct kernel_param_ops crash_ops = {
	.set = set_crash,
};
module_param_cb(crash, &crash_ops, NULL, 0200);

/* Reading "crashget" misbehaves as read_mode says (a faulting getter). */
static int read_mode;
module_param(read_mode, int, 0644);

static int get_crash(char *buf, const struct kernel_param *kp)
{
	misbehave(read_mode);
	return sprintf(buf, "%d\n", read_mode);
}

static const struct kernel_param_ops crashget_ops = {
	.get = get_crash,
};
module_param_cb(crashget, &crashget_ops, NULL, 0444);

static int __init faulty_init(void)
{
	int r = misbehave(mode);

	pr_info("faulty: init survived mode %d\n", mode);
	return r;
}

static void __exit faulty_exit(void)
{
	misbehave(exit_mode);
	pr_info("faulty: exit\n");
}

module_init(faulty_init);
module_exit(faulty_exit);

/* Modes: 1 WARN_ON, 2 BUG(), 3 NULL dereference, 4 write to read-only
 * data, 5 divide by zero, 6 WARN_ON_ONCE twice, 7 WARN with a message,
 * 8 wild pointer (0xdeadbeef), 9 non-canonical pointer (LIST_POISON1),
 * 10 a ud2 that is no BUG(), 11 stack overflow, 12 misaligned access
 * with EFLAGS.AC (SIGBUS), 13 and 14 return -5000 and -600 (no errno).
 * Modes 1-7 keep their lines (the tests look
 * for faulty.c:LINE in the reports). */
