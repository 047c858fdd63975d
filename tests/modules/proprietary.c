/* A non-GPL module: taints P, may use only non-GPL exports. */
#include <linux/module.h>

MODULE_LICENSE("Proprietary");

static int proprietary_init(void)
{
	pr_info("proprietary: init\n");
	return 0;
}

static void proprietary_exit(void)
{
}

module_init(proprietary_init);
module_exit(proprietary_exit);
