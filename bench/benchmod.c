/*
 * The module the benchmark loads by the thousand (bench/run.sh): hello
 * with one parameter and one export, built under a thousand names
 * (kmodfs-build -o NAME.ko -DBENCH_ID=N), so that every load adds an
 * export to the export table and a parameter to sys/module.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("kmodfs benchmark module");
MODULE_LICENSE("GPL");

#ifndef BENCH_ID
#define BENCH_ID 0
#endif
#define PASTE2(a, b) a##b
#define PASTE(a, b) PASTE2(a, b)
#define VALUE_FN PASTE(bench_value_, BENCH_ID)

static int value = BENCH_ID;
module_param(value, int, 0644);
MODULE_PARM_DESC(value, "the module's number");

int VALUE_FN(void)
{
	return value;
}
EXPORT_SYMBOL(VALUE_FN);

static int __init bench_init(void)
{
	pr_info("%s: init\n", KBUILD_MODNAME);
	return 0;
}

static void __exit bench_exit(void)
{
	pr_info("%s: exit\n", KBUILD_MODNAME);
}

module_init(bench_init);
module_exit(bench_exit);
