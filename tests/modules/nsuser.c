/* Imports the KMODFS_TEST namespace noinit exports into. */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KMODFS_TEST);

extern int noinit_data;

static int nsuser_init(void)
{
	pr_info("nsuser: noinit_data=%d\n", noinit_data);
	return 0;
}

static void nsuser_exit(void)
{
}

module_init(nsuser_init);
module_exit(nsuser_exit);
