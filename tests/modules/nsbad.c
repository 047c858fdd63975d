/* Uses a namespaced symbol without MODULE_IMPORT_NS (modpost warns). */
#include <linux/module.h>

MODULE_LICENSE("GPL");

extern int noinit_data;

static int nsbad_init(void)
{
	return noinit_data - 7;
}
module_init(nsbad_init);
