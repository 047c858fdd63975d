#include <linux/kernel.h>
#include <linux/module.h>

MODULE_DESCRIPTION("My Module");
MODULE_AUTHOR("Mori");
MODULE_LICENSE("GPL");

void mymodule_sub(void);

static int mymod_init(void)
{
	pr_info("my_module: init\n");
	mymodule_sub();
	return 0;
}

module_init(mymod_init);
