/* init but no exit: Linux can never unload it ("[permanent]"). */
#include <linux/module.h>

MODULE_LICENSE("GPL");

static int permanent_init(void)
{
	pr_info("permanent: init\n");
	return 0;
}
module_init(permanent_init);
