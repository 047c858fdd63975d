/* After init, a timer touches what init left behind: the .init sections
 * are freed when init returns, as on Linux, so each of these faults.
 *
 *  how=0  write to a variable in .init.data
 *  how=1  call a function in .init.text
 *  how=2  printk a string from .init.rodata (the fault is in the
 *         kernel's vsnprintf, called by module code)
 */
#include <linux/module.h>
#include <linux/timer.h>

MODULE_LICENSE("GPL");

static int how;
module_param(how, int, 0444);

static int init_scratch[4] __initdata = { 1, 2, 3, 4 };
static const char init_text[] __initconst = "this string was freed with .init.rodata";

static int *stale_data;
static const char *stale_text;
static void (*stale_fn)(void);
static struct timer_list timer;

static noinline void __init init_helper(void)
{
	pr_info("initwrite: init_helper runs\n");
}

static void initwrite_timer_fn(struct timer_list *t)
{
	pr_info("initwrite: timer fires (how=%d)\n", how);
	switch (how) {
	case 0:
		WRITE_ONCE(*stale_data, 42);
		break;
	case 1:
		stale_fn();
		break;
	case 2:
		pr_info("initwrite: %s\n", stale_text);
		break;
	}
	pr_info("initwrite: timer survived\n");
}

static int __init initwrite_init(void)
{
	stale_data = &init_scratch[1];
	stale_text = init_text;
	stale_fn = init_helper;
	init_helper();
	pr_info("initwrite: data %px text %px fn %px\n", stale_data, stale_text, stale_fn);
	timer_setup(&timer, initwrite_timer_fn, 0);
	mod_timer(&timer, jiffies + HZ / 10);
	return 0;
}

static void __exit initwrite_exit(void)
{
	del_timer_sync(&timer);
	pr_info("initwrite: exit\n");
}

module_init(initwrite_init);
module_exit(initwrite_exit);
