/* Neither init nor exit: loads and unloads silently. */
#include <linux/module.h>

MODULE_LICENSE("Dual BSD/GPL");

int noinit_data = 7;
EXPORT_SYMBOL_NS(noinit_data, KMODFS_TEST);
