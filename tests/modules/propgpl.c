/* A non-GPL module using a GPL-only export (modpost refuses without
 * KBUILD_MODPOST_WARN; the loader must refuse too). */
#include <linux/module.h>

MODULE_LICENSE("Proprietary");

static int propgpl_init(void)
{
	return round_jiffies(jiffies) ? 0 : 0;
}
module_init(propgpl_init);
