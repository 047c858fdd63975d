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
	}
	return 0;
}

static int set_crash(const char *val, const struct kernel_param *kp)
{
	return misbehave(simple_strtol(val, NULL, 0));
}

static const struct kernel_param_ops crash_ops = {
	.set = set_crash,
};
module_param_cb(crash, &crash_ops, NULL, 0200);

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
