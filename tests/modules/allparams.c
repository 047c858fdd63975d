/*
 * Every kind of module parameter Linux 6.1 has, for tests/fs/params.bats:
 * each standard type, module_param_string, module_param_named, arrays of
 * every element type with and without a count variable, parameters with
 * each permission the tests need, an unsafe one, and parameters whose
 * kernel_param_ops are the module's own (their set/get/free run here).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/string.h>

MODULE_DESCRIPTION("kmodfs test module: every parameter type");
MODULE_LICENSE("GPL");

/* ---- the standard types, all 0644 ---- */

static unsigned char byte_p = 7;
module_param(byte_p, byte, 0644);
MODULE_PARM_DESC(byte_p, "a byte");

static short short_p = -5;
module_param(short_p, short, 0644);

static unsigned short ushort_p = 65535;
module_param(ushort_p, ushort, 0644);

static int int_p = -42;
module_param(int_p, int, 0644);
MODULE_PARM_DESC(int_p, "an int");

static unsigned int uint_p = 4000000000U;
module_param(uint_p, uint, 0644);

static long long_p = -9000000000L;
module_param(long_p, long, 0644);

static unsigned long ulong_p = 18000000000000000000UL;
module_param(ulong_p, ulong, 0644);

static unsigned long long ullong_p = 1;
module_param(ullong_p, ullong, 0644);

static unsigned int hexint_p;
module_param(hexint_p, hexint, 0644);

static char *charp_p = "hello";
module_param(charp_p, charp, 0644);
MODULE_PARM_DESC(charp_p, "a string with a default");

static char *charp_null;
module_param(charp_null, charp, 0644);

static bool bool_p = true;
module_param(bool_p, bool, 0644);

static bool invbool_p = true;	/* reads N */
module_param(invbool_p, invbool, 0644);

static int bint_p;
module_param(bint_p, bint, 0644);

static bool beo_p;
module_param(beo_p, bool_enable_only, 0644);

static char string_buf[8] = "abc";
module_param_string(string_p, string_buf, sizeof(string_buf), 0644);
MODULE_PARM_DESC(string_p, "at most 7 chars");

static char big_buf[5000];
module_param_string(bigstr, big_buf, sizeof(big_buf), 0644);

static int internal_value = 11;
module_param_named(renamed, internal_value, int, 0644);

static int under_score;
module_param(under_score, int, 0644);

static int danger;
module_param_unsafe(danger, int, 0644);

/* ---- permissions ---- */

static int perm_0 = 1;
module_param(perm_0, int, 0);
static int perm_0400 = 400;
module_param(perm_0400, int, 0400);
static int perm_0444 = 444;
module_param(perm_0444, int, 0444);
static int perm_0600 = 600;
module_param(perm_0600, int, 0600);
static int perm_0644 = 644;
module_param(perm_0644, int, 0644);
static int perm_0664 = 664;
module_param(perm_0664, int, 0664);
static int perm_0200 = 200;
module_param(perm_0200, int, 0200);

/* ---- arrays: every element type, with and without a count ---- */

static unsigned char a_byte[3] = { 1, 2, 3 };
module_param_array(a_byte, byte, NULL, 0644);

static short a_short[4];
static unsigned int nr_short;
module_param_array(a_short, short, &nr_short, 0644);

static unsigned short a_ushort[2] = { 65535, 0 };
module_param_array(a_ushort, ushort, NULL, 0644);

static int a_int[4];
static unsigned int nr_int;
module_param_array(a_int, int, &nr_int, 0644);
MODULE_PARM_DESC(a_int, "up to 4 ints");

static int a_int_nc[3];
module_param_array(a_int_nc, int, NULL, 0644);

static unsigned int a_uint[2];
static unsigned int nr_uint;
module_param_array(a_uint, uint, &nr_uint, 0644);

static long a_long[2] = { -1, 1 };
module_param_array(a_long, long, NULL, 0644);

static unsigned long a_ulong[2];
static unsigned int nr_ulong;
module_param_array(a_ulong, ulong, &nr_ulong, 0644);

static unsigned long long a_ullong[2];
module_param_array(a_ullong, ullong, NULL, 0644);

static unsigned int a_hexint[2];
module_param_array(a_hexint, hexint, NULL, 0644);

static char *a_charp[3] = { "x", "y" };
static unsigned int nr_charp = 2;
module_param_array(a_charp, charp, &nr_charp, 0644);

static bool a_bool[4] = { true, false };
static unsigned int nr_bool = 2;
module_param_array(a_bool, bool, &nr_bool, 0644);

static bool a_invbool[2] = { false, true };
module_param_array(a_invbool, invbool, NULL, 0644);

static int a_bint[2];
static unsigned int nr_bint;
module_param_array(a_bint, bint, &nr_bint, 0644);

static bool a_beo[2];
module_param_array(a_beo, bool_enable_only, NULL, 0644);

/* ---- the module's own kernel_param_ops ---- */

/* pct: a percentage; set and get run here, values over 100 are refused */
static int pct = 50;

static int pct_set(const char *val, const struct kernel_param *kp)
{
	int v, err = kstrtoint(val, 0, &v);

	if (err)
		return err;
	if (v < 0 || v > 100) {
		pr_warn("allparams: %s=%d refused: not a percentage\n", kp->name, v);
		return -ERANGE;
	}
	*(int *)kp->arg = v;
	pr_info("allparams: %s set to %d\n", kp->name, v);
	return 0;
}

static int pct_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%d%%\n", *(int *)kp->arg);
}

static void pct_free(void *arg)
{
	pr_info("allparams: pct free, last value %d\n", *(int *)arg);
}

static const struct kernel_param_ops pct_ops = {
	.set = pct_set,
	.get = pct_get,
	.free = pct_free,
};
module_param_cb(pct, &pct_ops, &pct, 0644);
MODULE_PARM_DESC(pct, "a percentage (module's own ops)");

/* flag: NOARG ops, so a bare "flag" at load reaches the setter as NULL */
static int flag = -1;

static int flag_set(const char *val, const struct kernel_param *kp)
{
	char word[8];

	strscpy(word, val ? val : "(none)", sizeof(word));
	*(int *)kp->arg = val ? (int)strlen(val) : 0;
	pr_info("allparams: flag set with %s\n", word);
	return 0;
}

static const struct kernel_param_ops flag_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = flag_set,
	.get = param_get_int,
};
module_param_cb(flag, &flag_ops, &flag, 0644);

/* ro_cb has no set, wo_cb no get: sysfs says EPERM */
static int cb_value = 5;

static const struct kernel_param_ops ro_ops = {
	.get = param_get_int,
};
module_param_cb(ro_cb, &ro_ops, &cb_value, 0644);

static const struct kernel_param_ops wo_ops = {
	.set = param_set_int,
};
module_param_cb(wo_cb, &wo_ops, &cb_value, 0644);

/* state: what the module's variables hold, including perm-0 ones */
static int state_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf,
		       "perm_0=%d invbool_p=%d renamed=%d under_score=%d cb_value=%d "
		       "nr_int=%u nr_charp=%u nr_bool=%u charp_p=%s flag=%d\n",
		       perm_0, invbool_p, internal_value, under_score, cb_value,
		       nr_int, nr_charp, nr_bool, charp_p, flag);
}

static const struct kernel_param_ops state_ops = {
	.get = state_get,
};
module_param_cb(state, &state_ops, NULL, 0444);

static int __init allparams_init(void)
{
	pr_info("allparams: init int_p=%d perm_0=%d charp_p=%s pct=%d nr_int=%u\n",
		int_p, perm_0, charp_p, pct, nr_int);
	return 0;
}

static void __exit allparams_exit(void)
{
	pr_info("allparams: exit charp_p=%s\n", charp_p);
}

module_init(allparams_init);
module_exit(allparams_exit);
