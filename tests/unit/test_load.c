// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * End-to-end tests of the loader core: every example and test module is
 * loaded into this process, its log lines, state, taints, exports,
 * dependencies and reference counts checked, and unloaded again.  The
 * tests run in order in one "boot": once-per-boot messages appear first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/logbuf.h"
#include "kernel/taint.h"
#include "ktest.h"
#include "loader/ksymtab.h"
#include "loader/module.h"

static int load_named(const char *dir_env, const char *file, const char *args)
{
	struct image im = ktest_module(dir_env, file);
	int r = load_image(&im, args);

	image_free(&im);
	return r;
}

#define load_example(f, a) load_named("KMODFS_EXAMPLES", f, a)
#define load_testmod(f, a) load_named("KMODFS_TESTMODS", f, a)

static bool is_loaded(const char *name)
{
	struct kmodule *km = kmodule_get_by_name(name);

	if (km)
		kmodule_put(km);
	return km != NULL;
}

static void expect_module(const char *name, int refcnt, const char *taints)
{
	struct kmodule *km;
	char t[32];

	module_mutex_lock();
	km = find_kmodule(name, false);
	if (!km) {
		module_mutex_unlock();
		fail_msg("%s is not loaded", name);
	}
	assert_int_equal(km->state, MODULE_STATE_LIVE);
	assert_int_equal(kmodule_refcount(km), refcnt);
	module_flags_taint(km->taints, t);
	assert_string_equal(t, taints);
	assert_int_equal(km->init.size, 0);	/* init memory freed */
	assert_true(km->core.size > 0 && km->core.size % 4096 == 0);
	assert_true((unsigned long)km->core.base < 0x80000000ul);
	module_mutex_unlock();
}

static void test_hello(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(load_example("hello.ko", ""), 0);
	assert_true(log_has_line(m, "hello: loading out-of-tree module taints kernel."));
	assert_true(log_has_line(m, "hello: module verification failed: signature and/or required key missing - tainting kernel"));
	assert_true(log_has_line(m, "hello: init"));
	expect_module("hello", 0, "OE");
	assert_true(test_taint(TAINT_OOT_MODULE) && test_taint(TAINT_UNSIGNED_MODULE));

	/* a second copy: EEXIST, and nothing logged */
	m = log_mark();
	assert_int_equal(load_example("hello.ko", ""), -EEXIST);
	assert_int_equal(log_count(m), 0);

	m = log_mark();
	assert_int_equal(delete_module("hello", O_NONBLOCK), 0);
	assert_true(log_has_line(m, "hello: exit"));
	assert_int_equal(log_count(m), 1);	/* Linux logs nothing itself */
	assert_false(is_loaded("hello"));
	assert_int_equal(delete_module("hello", O_NONBLOCK), -ENOENT);

	/* the taint messages are once per boot */
	m = log_mark();
	assert_int_equal(load_example("hello.ko", ""), 0);
	assert_false(log_has(m, "taints kernel"));
	assert_false(log_has(m, "verification failed"));
	assert_int_equal(delete_module("hello", 0), 0);
}

static void test_mulfile(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(load_example("mulfile.ko", ""), 0);
	assert_true(log_has_line(m, "my_module: init"));
	assert_true(log_has_line(m, "mymodule_sub: called"));
	assert_int_equal(delete_module("mulfile", 0), 0);
	assert_true(log_has_line(m, "my_module: exit"));
}

static void test_getargs(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(load_example("getargs.ko", ""), 0);
	assert_true(log_has_line(m, "getargs: => intparam\t= 0"));
	assert_true(log_has_line(m, "getargs: => file2\t= "));
	assert_true(log_has_line(m, "getargs: => array\t= [ 0 0 0 0 0 0 0 0]"));
	assert_false(log_has(m, "=> file\t"));
	assert_int_equal(delete_module("getargs", 0), 0);

	m = log_mark();
	assert_int_equal(load_example("getargs.ko",
		"intparam=123 arg=456 file=/home/mori/build/hello/getargs.c filepath=/home/mori/build/hello/getargs.ko"), 0);
	assert_true(log_has_line(m, "getargs: => intparam\t= 123"));
	assert_true(log_has_line(m, "getargs: => intparam2\t= 456"));
	assert_true(log_has_line(m, "getargs: => file\t= /home/mori/build/hello/getargs.c"));
	assert_true(log_has_line(m, "getargs: => file2\t= /home/mori/build/hello/getargs.ko"));
	assert_int_equal(delete_module("getargs", 0), 0);

	/* pr_cont() joins one record */
	m = log_mark();
	assert_int_equal(load_example("getargs.ko", "array=12,23,34,45,56"), 0);
	assert_true(log_has_line(m, "getargs: => array\t= [ 12 23 34 45 56 0 0 0]"));
	assert_int_equal(delete_module("getargs", 0), 0);
}

static void test_getargs_bad_values(void **state)
{
	char longpath[200];
	uint64_t m = log_mark();

	(void)state;
	/* unknown names warn; the last error wins; later values still apply */
	assert_int_equal(load_example("getargs.ko", "nosuch=1 intparam=x arg=99999999999"),
			 -ERANGE);
	assert_true(log_has_line(m, "getargs: unknown parameter 'nosuch' ignored"));
	assert_true(log_has_line(m, "getargs: `x' invalid for parameter `intparam'"));
	assert_true(log_has_line(m, "getargs: `99999999999' invalid for parameter `arg'"));
	assert_false(is_loaded("getargs"));

	m = log_mark();
	assert_int_equal(load_example("getargs.ko", "array=1,2,3,4,5,6,7,8,9"), -EINVAL);
	assert_true(log_has_line(m, "array: can only take 8 arguments"));

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	char args[256];

	snprintf(args, sizeof(args), "filepath=%s", longpath);
	m = log_mark();
	assert_int_equal(load_example("getargs.ko", args), -ENOSPC);
	assert_true(log_has_line(m, "filepath: string doesn't fit in 127 chars."));
	assert_true(log_has(m, "' too large for parameter `filepath'"));

	/* a bare name is an error for int, quoting keeps spaces, "--" ends */
	m = log_mark();
	assert_int_equal(load_example("getargs.ko", "intparam"), -EINVAL);
	assert_true(log_has_line(m, "getargs: `' invalid for parameter `intparam'"));
	m = log_mark();
	assert_int_equal(load_example("getargs.ko", "\"file=a b\" in-tparam=7 -- arg=1"), 0);
	assert_true(log_has_line(m, "getargs: => file\t= a b"));
	assert_true(log_has_line(m, "getargs: => intparam\t= 0"));
	assert_true(log_has_line(m, "getargs: parameters 'arg=1' after `--' ignored"));
	assert_int_equal(delete_module("getargs", 0), 0);
}

/* kaidock's jiffies lines (level 3) since mark, up to max of them */
static unsigned int kaidock_lines(uint64_t mark, unsigned long *vals, unsigned int max)
{
	struct log_record_info info;
	char text[LOG_LINE_MAX];
	unsigned int n = 0;

	for (uint64_t seq = mark; logbuf_read(&seq, &info, text, sizeof(text)) != -EAGAIN; seq++)
		if (info.level == 3 && n < max)
			vals[n++] = strtoul(text, NULL, 16);
	return n;
}

static void test_kaidock_timer(void **state)
{
	uint64_t m = log_mark();
	unsigned long vals[4];
	unsigned int n = 0;

	(void)state;
	assert_int_equal(load_example("kaidock.ko", "loop=3"), 0);
	/* three lines a second apart; wait for them, however busy the host */
	for (int i = 0; i < 100 && (n = kaidock_lines(m, vals, 4)) < 3; i++)
		usleep(100 * 1000);
	/* and no fourth: loop=3 stops it */
	usleep(1500 * 1000);
	n = kaidock_lines(m, vals, 4);
	assert_int_equal(n, 3);
	/* one second (HZ=250 jiffies) apart: the timer re-arms at expires +
	 * HZ, so lateness does not add up; a callback may run late by up to
	 * half a second (125 jiffies) on a busy host */
	assert_in_range(vals[1] - vals[0], 250 - 125, 250 + 125);
	assert_in_range(vals[2] - vals[1], 250 - 125, 250 + 125);
	assert_in_range(vals[2] - vals[0], 500 - 125, 500 + 125);
	assert_int_equal(delete_module("kaidock", 0), 0);

	/* unloading with the timer pending: del_timer_sync stops it */
	assert_int_equal(load_example("kaidock.ko", ""), 0);
	assert_int_equal(delete_module("kaidock", 0), 0);
	m = log_mark();
	sleep(1);
	usleep(200 * 1000);
	assert_int_equal(log_count(m), 0);
}

static void test_dependencies(void **state)
{
	uint64_t m = log_mark();
	const struct ksym *s;

	(void)state;
	/* smalluser cannot load before what it uses */
	assert_int_equal(load_example("smalluser.ko", ""), -ENOENT);
	assert_true(log_has_line(m, "smalluser: Unknown symbol aa1 (err -2)"));
	assert_true(log_has_line(m, "smalluser: Unknown symbol bbb2 (err -2)"));

	assert_int_equal(load_example("smallmod.ko", ""), 0);
	module_mutex_lock();
	s = find_symbol("aa2", true);
	assert_non_null(s);
	assert_true(s->gpl_only);
	assert_string_equal(s->owner->name, "smallmod");
	assert_null(find_symbol("aa2", false));	/* GPL-only */
	assert_non_null(find_symbol("aa1", false));
	module_mutex_unlock();

	m = log_mark();
	assert_int_equal(load_example("smalluser.ko", ""), 0);
	assert_true(log_has_line(m, "smalluser: aa1=1 bbb1=1 aa2=1 bbb2=1"));
	expect_module("smallmod", 1, "OE");
	expect_module("smalluser", 0, "OE");
	assert_int_equal(delete_module("smallmod", 0), -EAGAIN);

	/* a second exporter of aa1 is refused */
	m = log_mark();
	assert_int_equal(load_testmod("dupexport.ko", ""), -ENOEXEC);
	assert_true(log_has_line(m, "dupexport: exports duplicate symbol aa1 (owned by smallmod)"));

	assert_int_equal(delete_module("smalluser", 0), 0);
	assert_true(log_has_line(m, "smalluser: exit, aa1=2"));
	expect_module("smallmod", 0, "OE");
	assert_int_equal(delete_module("smallmod", 0), 0);
	module_mutex_lock();
	assert_null(find_symbol("aa1", true));
	module_mutex_unlock();
}

static void test_init_results(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(load_testmod("testmod.ko", "init_ret=-19"), -ENODEV);
	assert_false(is_loaded("testmod"));
	assert_false(log_has(m, "testmod: exit"));

	m = log_mark();
	assert_int_equal(load_testmod("testmod.ko", "init_ret=1"), 0);
	assert_true(log_has(m, "do_init_module: 'testmod'->init suspiciously returned 1, it should follow 0/-E convention"));
	/* %pS through the module's own kallsyms */
	assert_true(log_has(m, "testmod 1 testmod_gpl_fn+0x0/0x"));
	assert_true(log_has(m, " [testmod]"));
	assert_int_equal(delete_module("testmod", 0), 0);
}

static void test_refcount_users(void **state)
{
	uint64_t m = log_mark();
	struct kmodule *km;

	(void)state;
	assert_int_equal(load_testmod("testmod.ko", ""), 0);
	assert_int_equal(load_testmod("usetestmod.ko", ""), 0);
	assert_true(log_has_line(m, "usetestmod: 42 42"));
	expect_module("testmod", 1, "OE");
	km = kmodule_get_by_name("testmod");
	assert_non_null(km);
	assert_string_equal(km->version, "1.2.3");
	assert_non_null(km->srcversion);
	assert_int_equal(strlen(km->srcversion), 24);
	kmodule_put(km);
	assert_int_equal(delete_module("testmod", 0), -EAGAIN);
	assert_int_equal(delete_module("usetestmod", 0), 0);
	assert_int_equal(delete_module("testmod", 0), 0);
}

static void test_permanent_and_noinit(void **state)
{
	struct kmodule *km;

	(void)state;
	assert_int_equal(load_testmod("permanent.ko", ""), 0);
	km = kmodule_get_by_name("permanent");
	assert_non_null(km);
	assert_true(km->permanent);
	kmodule_put(km);
	assert_int_equal(delete_module("permanent", 0), -EBUSY);
	assert_true(is_loaded("permanent"));

	assert_int_equal(load_testmod("noinit.ko", ""), 0);
	km = kmodule_get_by_name("noinit");
	assert_false(km->permanent);
	kmodule_put(km);
	assert_int_equal(delete_module("noinit", 0), 0);
}

static void test_namespaces(void **state)
{
	uint64_t m;

	(void)state;
	assert_int_equal(load_testmod("noinit.ko", ""), 0);
	m = log_mark();
	assert_int_equal(load_testmod("nsbad.ko", ""), -EINVAL);
	assert_true(log_has_line(m, "nsbad: module uses symbol (noinit_data) from namespace KMODFS_TEST, but does not import it."));
	assert_true(log_has_line(m, "nsbad: Unknown symbol noinit_data (err -22)"));
	m = log_mark();
	assert_int_equal(load_testmod("nsuser.ko", ""), 0);
	assert_true(log_has_line(m, "nsuser: noinit_data=7"));
	assert_int_equal(delete_module("nsuser", 0), 0);
	assert_int_equal(delete_module("noinit", 0), 0);
}

static void test_licenses(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	assert_false(test_taint(TAINT_PROPRIETARY_MODULE));
	assert_int_equal(load_testmod("proprietary.ko", ""), 0);
	assert_true(log_has_line(m, "proprietary: module license 'Proprietary' taints kernel."));
	assert_true(log_has_line(m, "Disabling lock debugging due to kernel taint"));
	expect_module("proprietary", 0, "POE");
	assert_int_equal(delete_module("proprietary", 0), 0);

	/* GPL-only exports are invisible to non-GPL modules */
	m = log_mark();
	assert_int_equal(load_testmod("propgpl.ko", ""), -ENOENT);
	assert_true(log_has_line(m, "propgpl: Unknown symbol round_jiffies (err -2)"));

	/* the "GPL\0..." license is not GPL to kmodfs */
	m = log_mark();
	assert_int_equal(load_testmod("gpltrick.ko", ""), -ENOENT);
	assert_true(log_has(m, "gpltrick: module license 'GPL' is followed by hidden text 'for files in the \"GPL\" directory"));
	assert_true(log_has_line(m, "gpltrick: Unknown symbol round_jiffies (err -2)"));
	assert_false(is_loaded("gpltrick"));
}

static void test_module_memory_is_low_and_protected(void **state)
{
	struct kmodule *km;
	char line[512];
	FILE *maps;
	bool text_rx = false;

	(void)state;
	assert_int_equal(load_testmod("testmod.ko", ""), 0);
	km = kmodule_get_by_name("testmod");
	assert_non_null(km);
	maps = fopen("/proc/self/maps", "r");
	assert_non_null(maps);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) != 3)
			continue;
		if (lo <= (unsigned long)km->core.base && (unsigned long)km->core.base < hi) {
			assert_string_equal(perms, "r-xp");	/* text first */
			text_rx = true;
		}
		/* nothing anywhere is writable and executable */
		assert_false(perms[1] == 'w' && perms[2] == 'x');
	}
	fclose(maps);
	assert_true(text_rx);
	kmodule_put(km);
	assert_int_equal(delete_module("testmod", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_mulfile),
		cmocka_unit_test(test_getargs),
		cmocka_unit_test(test_getargs_bad_values),
		cmocka_unit_test(test_kaidock_timer),
		cmocka_unit_test(test_dependencies),
		cmocka_unit_test(test_init_results),
		cmocka_unit_test(test_refcount_users),
		cmocka_unit_test(test_permanent_and_noinit),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_licenses),
		cmocka_unit_test(test_module_memory_is_low_and_protected),
	};
	int r;

	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (kernel_boot() < 0)
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	kernel_shutdown();
	return r;
}
