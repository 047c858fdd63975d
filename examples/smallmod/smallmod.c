#include <linux/module.h>

MODULE_DESCRIPTION("gpl test");
MODULE_LICENSE("GPL");

int aa1 = 1;
int aa2 = 1;
int bbb1 = 1;
int bbb2 = 1;

EXPORT_SYMBOL(aa1);
EXPORT_SYMBOL(bbb1);
EXPORT_SYMBOL_GPL(aa2);
EXPORT_SYMBOL_GPL(bbb2);

static int smallmod_init_module(void)
{
	return 0;
}

static void smallmod_cleanup_module(void)
{
}

module_init(smallmod_init_module);
module_exit(smallmod_cleanup_module);
