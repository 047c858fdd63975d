/* A module whose behaviour the tests choose through parameters. */
#include <linux/module.h>
#include <linux/slab.h>

MODULE_DESCRIPTION("kmodfs test module");
MODULE_LICENSE("GPL");
MODULE_VERSION("1.2.3");

static int init_ret;
module_param(init_ret, int, 0444);
MODULE_PARM_DESC(init_ret, "value init returns");

int testmod_value = 42;
EXPORT_SYMBOL(testmod_value);

int testmod_gpl_fn(int x)
{
	return x * 2;
}
EXPORT_SYMBOL_GPL(testmod_gpl_fn);

static char *buf;

static int __init testmod_init(void)
{
	buf = kasprintf(GFP_KERNEL, "testmod %d %pS", init_ret, testmod_gpl_fn);
	if (!buf)
		return -ENOMEM;
	pr_info("testmod: %s\n", buf);
	if (init_ret < 0) {
		kfree(buf);
		buf = NULL;
	}
	return init_ret;
}

static void __exit testmod_exit(void)
{
	pr_info("testmod: exit\n");
	kfree(buf);
}

module_init(testmod_init);
module_exit(testmod_exit);
