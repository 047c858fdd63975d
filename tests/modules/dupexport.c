/* Exports a name smallmod already exports. */
#include <linux/module.h>

MODULE_LICENSE("GPL");

int aa1 = 5;
EXPORT_SYMBOL(aa1);
