#include <linux/kernel.h>
#include <linux/module.h>

void mymodule_sub(void) {
	pr_info("mymodule_sub: called\n");
}
