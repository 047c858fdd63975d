#include <linux/module.h>

MODULE_DESCRIPTION("hello module");
MODULE_AUTHOR("Mori");
MODULE_LICENSE("GPL");

static int hello_init(void)
{
	pr_info("hello: init\n");
	return 0;
}

static void hello_exit(void)
{
	pr_info("hello: exit\n");
	return;
}

module_init(hello_init);
module_exit(hello_exit);
