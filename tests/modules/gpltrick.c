/* The 2004 trick: a license string with a NUL in it reads as "GPL". */
#include <linux/module.h>

MODULE_LICENSE("GPL\0for files in the \"GPL\" directory; for others, only LICENSE file applies");

static int gpltrick_init(void)
{
	return round_jiffies(jiffies) ? 0 : 0;
}
module_init(gpltrick_init);
