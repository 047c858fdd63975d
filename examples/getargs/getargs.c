#include <linux/module.h>

#define BUF_SIZE 8
#define FILE_PATH_MAX 128

MODULE_DESCRIPTION("getargs module");
MODULE_AUTHOR("Mori");
MODULE_LICENSE("GPL");

static int intparam, intparam2;
static char *file, file2[FILE_PATH_MAX];
static int array[BUF_SIZE], nr_arr;

module_param(intparam, int, 0);
module_param(file, charp, 0);
module_param_named(arg, intparam2, int, 0);
module_param_string(filepath, file2, 128, 0);
module_param_array(array, int, &nr_arr, 0);

static int getargs_init(void)
{
	int i;
	pr_info("getargs: init\n");
	pr_info("getargs: => intparam\t= %d\n", intparam);
	pr_info("getargs: => intparam2\t= %d\n", intparam2);
	if (file)
		pr_info("getargs: => file\t= %s\n", file);
	pr_info("getargs: => file2\t= %s\n", file2);

	pr_info("getargs: => array\t= [");
	for (i = 0; i < BUF_SIZE; i++)
		pr_cont(" %d", array[i]);
	pr_cont("]\n");

	return 0;
}

static void getargs_exit(void)
{
	return;
}

module_init(getargs_init);
module_exit(getargs_exit);
