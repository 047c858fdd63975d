/* Parameters for the concurrency tests: strings, an array and a slow
 * setter that readers and writers race on, and a timer that ticks every
 * jiffy while they do. */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/timer.h>

MODULE_LICENSE("GPL");

static char *text = "initial";
module_param(text, charp, 0644);
static char words[128] = "initial";
module_param_string(words, words, sizeof(words), 0644);
static int vals[8];
static unsigned int nvals;
module_param_array(vals, int, &nvals, 0644);
static unsigned long ticks;
module_param(ticks, ulong, 0444);
static unsigned int slow_ms = 500;
module_param(slow_ms, uint, 0644);

static int slow_value;

/* a setter that takes its time: unloading must wait for it */
static int set_slow(const char *val, const struct kernel_param *kp)
{
	int r;

	pr_info("racer: slow setter starts\n");
	msleep(slow_ms);
	r = kstrtoint(val, 0, &slow_value);
	pr_info("racer: slow setter ends (%d)\n", r);
	return r;
}

static int get_slow(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%d\n", slow_value);
}

static const struct kernel_param_ops slow_ops = {
	.set = set_slow,
	.get = get_slow,
};
module_param_cb(slow, &slow_ops, NULL, 0644);

static struct timer_list tick;

static void tick_fn(struct timer_list *t)
{
	WRITE_ONCE(ticks, ticks + 1);
	mod_timer(t, jiffies + 1);
}

static int __init racer_init(void)
{
	timer_setup(&tick, tick_fn, 0);
	mod_timer(&tick, jiffies + 1);
	return 0;
}

static void __exit racer_exit(void)
{
	del_timer_sync(&tick);
	pr_info("racer: exit after %lu ticks\n", ticks);
}

module_init(racer_init);
module_exit(racer_exit);
