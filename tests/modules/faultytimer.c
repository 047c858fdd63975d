/* Deferred work that misbehaves: a timer callback and a work item that
 * fault, and (leave=N) timers and works left pending at unload, which on
 * Linux would fire into freed memory.
 *
 *  timer_mode=N  the timer callback misbehaves like faulty's mode N
 *                (3 NULL dereference, 2 BUG(), 5 divide error); it
 *                re-arms itself first, until it has fired timer_shots times
 *  work_mode=N   the first work item misbehaves so; a second one, queued
 *                after it, says "faultytimer: work 2 ran"
 *  leave=BITS    1: a timer armed delay_ms ahead, 2: a delayed work
 *                delay_ms ahead, 4: a timer re-arming itself every jiffy
 *                whose callback busy-waits busy_ms; exit leaves them
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

MODULE_LICENSE("GPL");

static int timer_mode;
module_param(timer_mode, int, 0444);
static int timer_shots = 3;
module_param(timer_shots, int, 0444);
static int work_mode;
module_param(work_mode, int, 0444);
static int leave;
module_param(leave, int, 0444);
static unsigned int delay_ms = 1000;
module_param(delay_ms, uint, 0444);
static unsigned int busy_ms = 100;
module_param(busy_ms, uint, 0444);
/* what happened so far, for the tests to read */
static int shots;
module_param(shots, int, 0444);
static int busy_runs;
module_param(busy_runs, int, 0444);

static int zero;

static noinline void misbehave(int how)
{
	switch (how) {
	case 2:
		BUG();
	case 3:
		WRITE_ONCE(*(volatile int *)NULL, 1);
		break;
	case 5:
		WRITE_ONCE(zero, 7 / *(volatile int *)&zero);
		break;
	}
}

static struct timer_list crash_timer, long_timer, busy_timer;
static struct work_struct crash_work, after_work;
static struct delayed_work long_work;

static void crash_timer_fn(struct timer_list *t)
{
	int n = READ_ONCE(shots) + 1;

	WRITE_ONCE(shots, n);
	pr_info("faultytimer: timer shot %d\n", n);
	if (n < timer_shots)
		mod_timer(t, jiffies + HZ / 25);
	misbehave(timer_mode);
	pr_info("faultytimer: timer shot %d survived\n", n);
}

static void long_timer_fn(struct timer_list *t)
{
	pr_info("faultytimer: the timer left behind fired\n");
}

static void busy_timer_fn(struct timer_list *t)
{
	WRITE_ONCE(busy_runs, busy_runs + 1);
	mdelay(busy_ms);
	mod_timer(t, jiffies + 1);
}

static void crash_work_fn(struct work_struct *w)
{
	pr_info("faultytimer: work 1 runs\n");
	misbehave(work_mode);
	pr_info("faultytimer: work 1 survived\n");
}

static void after_work_fn(struct work_struct *w)
{
	pr_info("faultytimer: work 2 ran\n");
}

static void long_work_fn(struct work_struct *w)
{
	pr_info("faultytimer: the work left behind ran\n");
}

static int __init faultytimer_init(void)
{
	timer_setup(&crash_timer, crash_timer_fn, 0);
	timer_setup(&long_timer, long_timer_fn, 0);
	timer_setup(&busy_timer, busy_timer_fn, 0);
	INIT_WORK(&crash_work, crash_work_fn);
	INIT_WORK(&after_work, after_work_fn);
	INIT_DELAYED_WORK(&long_work, long_work_fn);

	if (timer_mode)
		mod_timer(&crash_timer, jiffies + HZ / 25);
	if (work_mode) {
		schedule_work(&crash_work);
		schedule_work(&after_work);
	}
	if (leave & 1)
		mod_timer(&long_timer, jiffies + msecs_to_jiffies(delay_ms));
	if (leave & 2)
		schedule_delayed_work(&long_work, msecs_to_jiffies(delay_ms));
	if (leave & 4)
		mod_timer(&busy_timer, jiffies + 1);
	pr_info("faultytimer: armed (timer_mode=%d work_mode=%d leave=%d)\n",
		timer_mode, work_mode, leave);
	return 0;
}

static void __exit faultytimer_exit(void)
{
	if (leave) {
		pr_info("faultytimer: exit leaves its timers and works behind\n");
		return;
	}
	del_timer_sync(&crash_timer);
	cancel_work_sync(&crash_work);
	cancel_work_sync(&after_work);
	pr_info("faultytimer: exit\n");
}

module_init(faultytimer_init);
module_exit(faultytimer_exit);
