/*
 * kbuild test module: kernel threads, the way drivers and teaching
 * modules use them.
 *
 *   (default)  a thread counting rounds until kthread_should_stop(),
 *              stopped by the exit function: it returns 42 and saw its
 *              own name; a thread created and stopped without ever being
 *              woken returns -EINTR without running
 *   leave=1    the exit function forgets the running thread
 *   leave=2    a thread is created, never woken, and left at unload
 *   crash=1    the thread dereferences NULL after its first round; the
 *              exit function still stops it
 *   many=N     init also creates N threads at once (kmodfs has a limit),
 *              then stops them all
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

MODULE_LICENSE("GPL");

static int leave;
module_param(leave, int, 0444);
static int crash;
module_param(crash, int, 0444);
static int rounds;
module_param(rounds, int, 0444);
static int many;
module_param(many, int, 0444);

static struct task_struct *counter, *idle;
static DECLARE_WAIT_QUEUE_HEAD(round_wq);

static int counter_fn(void *data)
{
	int *n = data;

	pr_info("kthr: %s running (PF_KTHREAD %d)\n", current->comm,
		!!(current->flags & PF_KTHREAD));
	while (!kthread_should_stop()) {
		WRITE_ONCE(*n, *n + 1);
		wake_up(&round_wq);
		if (crash)
			WRITE_ONCE(*(volatile int *)NULL, 1);
		schedule_timeout_interruptible(HZ / 50);
	}
	pr_info("kthr: %s stops after %d rounds\n", current->comm, READ_ONCE(*n));
	return 42;
}

static int never_fn(void *data)
{
	pr_info("kthr: never_fn ran\n");
	return 7;
}

static int __init kthr_init(void)
{
	struct task_struct *t;
	int ret;

	/* created, never woken, stopped: it never runs */
	t = kthread_create(never_fn, NULL, "kthr-never");
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = kthread_stop(t);
	pr_info("kthr: a thread stopped before it ran returns %d\n", ret);
	if (ret != -EINTR)
		return -EINVAL;

	if (many > 0) {
		struct task_struct **ts = kcalloc(many, sizeof(*ts), GFP_KERNEL);
		int made = 0, first_err = 0;

		if (!ts)
			return -ENOMEM;
		for (int i = 0; i < many; i++) {
			t = kthread_create(never_fn, NULL, "kthr-many%d", i);
			if (!IS_ERR(t))
				ts[made++] = t;
			else if (!first_err)
				first_err = PTR_ERR(t);
		}
		pr_info("kthr: created %d of %d threads, first error %d\n", made, many, first_err);
		while (made)
			kthread_stop(ts[--made]);
		kfree(ts);
	}

	counter = kthread_run(counter_fn, &rounds, "kthr-%s", "count");
	if (IS_ERR(counter))
		return PTR_ERR(counter);
	/* it runs on its own: wait for its first round */
	if (!wait_event_timeout(round_wq, READ_ONCE(rounds) > 0, 10 * HZ))
		pr_err("kthr: the thread did not run\n");
	if (leave == 2) {
		idle = kthread_create(never_fn, NULL, "kthr-idle");
		if (IS_ERR(idle))
			idle = NULL;
	}
	return 0;
}

static void __exit kthr_exit(void)
{
	int ret;

	if (leave) {
		pr_info("kthr: exit leaves its threads behind\n");
		return;
	}
	ret = kthread_stop(counter);
	pr_info("kthr: kthread_stop returned %d\n", ret);
}

module_init(kthr_init);
module_exit(kthr_exit);
