#include <linux/kernel.h>
#include <linux/module.h>

static void mymod_exit(void)
{
	pr_info("my_module: exit\n");
}

module_exit(mymod_exit);
