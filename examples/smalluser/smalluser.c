/*
 * smalluser: uses what smallmod exports -- two plain and two GPL-only
 * symbols -- so loading it makes smallmod show "smalluser," as its user
 * in /proc/modules and sys/module/smallmod/holders/smalluser.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("uses the symbols smallmod exports");
MODULE_LICENSE("GPL");

extern int aa1, aa2, bbb1, bbb2;

static int smalluser_init(void)
{
	pr_info("smalluser: aa1=%d bbb1=%d aa2=%d bbb2=%d\n", aa1, bbb1, aa2, bbb2);
	aa1++;
	return 0;
}

static void smalluser_exit(void)
{
	pr_info("smalluser: exit, aa1=%d\n", aa1);
}

module_init(smalluser_init);
module_exit(smalluser_exit);
