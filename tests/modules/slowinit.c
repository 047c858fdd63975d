/* An init that takes its time, to watch a module while it is coming. */
#include <linux/delay.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");

static unsigned int init_ms = 1500;
module_param(init_ms, uint, 0444);

static int slowinit_init(void)
{
	pr_info("slowinit: sleeping %u ms\n", init_ms);
	msleep(init_ms);
	pr_info("slowinit: done\n");
	return 0;
}

static void slowinit_exit(void)
{
}

module_init(slowinit_init);
module_exit(slowinit_exit);
