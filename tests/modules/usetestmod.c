/* Uses testmod's exports: a dependency, and a reference on testmod. */
#include <linux/module.h>

MODULE_LICENSE("GPL");

extern int testmod_value;
int testmod_gpl_fn(int x);

static int usetestmod_init(void)
{
	pr_info("usetestmod: %d %d\n", testmod_value, testmod_gpl_fn(21));
	return 0;
}

static void usetestmod_exit(void)
{
}

module_init(usetestmod_init);
module_exit(usetestmod_exit);
