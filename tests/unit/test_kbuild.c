// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unmodified modules built by real kbuild against Debian 12's
 * linux-headers-amd64, loaded with that build tree as the kernel profile
 * (--kernel=DIR): vermagic with its trailing space, modversions CRCs from
 * Module.symvers, the x86 sections kbuild emits, and the seed examples'
 * behaviour.  Skipped when the headers are not installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "ktest.h"
#include "loader/keyring.h"
#include "loader/module.h"

/* "6.1.0-56-amd64": the release of the headers the modules were built against */
static char release[64];

static int load_kbuild(const char *file, const char *args)
{
	struct image im = ktest_module("KMODFS_KBUILD", file);
	int r = load_image(&im, args);

	image_free(&im);
	return r;
}

static void test_profile(void **state)
{
	(void)state;
	char want[128];

	snprintf(want, sizeof(want), "%s SMP preempt mod_unload modversions ", release);
	assert_string_equal(kernel_profile.vermagic, want);
	assert_string_equal(kernel_profile.release, release);
	assert_int_equal(kernel_profile.hz, 250);
	assert_true(kernel_profile.modversions);
}

static void test_seeds(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(load_kbuild("hello.ko", ""), 0);
	assert_true(log_has_line(m, "hello: loading out-of-tree module taints kernel."));
	assert_true(log_has_line(m, "hello: init"));
	assert_int_equal(load_kbuild("mulfile.ko", ""), 0);
	assert_true(log_has_line(m, "mymodule_sub: called"));
	assert_int_equal(load_kbuild("getargs.ko", "intparam=123 arg=456 array=12,23,34,45,56"), 0);
	assert_true(log_has_line(m, "getargs: => intparam\t= 123"));
	assert_true(log_has_line(m, "getargs: => array\t= [ 12 23 34 45 56 0 0 0]"));
	assert_int_equal(load_kbuild("smallmod.ko", ""), 0);
	assert_int_equal(load_kbuild("smalluser.ko", ""), 0);
	assert_true(log_has_line(m, "smalluser: aa1=1 bbb1=1 aa2=1 bbb2=1"));
	assert_int_equal(delete_module("smallmod", 0), -EAGAIN);
	assert_int_equal(delete_module("smalluser", 0), 0);
	assert_int_equal(delete_module("smallmod", 0), 0);
	assert_int_equal(delete_module("getargs", 0), 0);
	assert_int_equal(delete_module("mulfile", 0), 0);
	assert_int_equal(delete_module("hello", 0), 0);
	assert_true(log_has_line(m, "hello: exit"));
}

static void test_kaidock_hz(void **state)
{
	uint64_t m = log_mark(), seq;
	struct log_record_info info;
	char text[LOG_LINE_MAX];
	unsigned long v[3];
	unsigned int n = 0;

	(void)state;
	assert_int_equal(load_kbuild("kaidock.ko", "loop=2"), 0);
	sleep(2);
	usleep(400 * 1000);
	for (seq = m; logbuf_read(&seq, &info, text, sizeof(text)) != -EAGAIN; seq++)
		if (info.level == 3 && n < 3)
			v[n++] = strtoul(text, NULL, 16);
	assert_int_equal(n, 2);
	assert_true(v[1] - v[0] >= 249 && v[1] - v[0] <= 251);
	assert_int_equal(delete_module("kaidock", 0), 0);
}

/* __fentry__ sites are NOPed and return-thunk jumps became ret. */
static void test_code_patching(void **state)
{
	struct kmodule *km;
	const uint8_t *init;

	(void)state;
	assert_int_equal(load_kbuild("kaidock.ko", "loop=1"), 0);
	km = kmodule_get_by_name("kaidock");
	assert_non_null(km);
	module_mutex_lock();
	init = (const uint8_t *)(uintptr_t)km->mod->exit;	/* cleanup_module */
	assert_memory_equal(init, "\x0f\x1f\x44\x00\x00", 5);
	module_mutex_unlock();
	kmodule_put(km);
	assert_int_equal(delete_module("kaidock", 0), 0);
}

static void test_modversions_mismatch(void **state)
{
	struct image im = ktest_module("KMODFS_KBUILD", "hello.ko");
	unsigned int vers = sec_index(&im, "__versions");
	uint64_t m;
	uint8_t *p;

	(void)state;
	assert_true(vers != 0);
	/* entries are {u64 crc; char name[56]}: break _printk's CRC */
	p = im.data + shdr(&im, vers)->sh_offset;
	for (size_t off = 0; off < shdr(&im, vers)->sh_size; off += 64) {
		if (!strcmp((char *)p + off + 8, "_printk"))
			p[off] ^= 0xff;
	}
	m = log_mark();
	assert_int_equal(load_image(&im, ""), -EINVAL);
	assert_true(log_has_line(m, "hello: disagrees about version of symbol _printk"));
	assert_true(log_has_line(m, "hello: Unknown symbol _printk (err -22)"));

	/* module_layout's CRC mismatching is ENOEXEC */
	for (size_t off = 0; off < shdr(&im, vers)->sh_size; off += 64) {
		if (!strcmp((char *)p + off + 8, "_printk"))
			p[off] ^= 0xff;
		if (!strcmp((char *)p + off + 8, "module_layout"))
			p[off] ^= 0x01;
	}
	m = log_mark();
	assert_int_equal(load_image(&im, ""), -ENOEXEC);
	assert_true(log_has_line(m, "hello: disagrees about version of symbol module_layout"));
	image_free(&im);
}

static void test_vermagic_mismatch(void **state)
{
	struct image im = ktest_module("KMODFS_KBUILD", "hello.ko");
	unsigned int info = sec_index(&im, ".modinfo");
	char *p = (char *)im.data + shdr(&im, info)->sh_offset;
	char key[128], msg[512];
	size_t rl = strlen(release);
	char *vm;
	uint64_t m;

	(void)state;
	snprintf(key, sizeof(key), "vermagic=%s SMP preempt", release);
	vm = memmem(p, shdr(&im, info)->sh_size, key, strlen(key));
	assert_non_null(vm);
	/* the release may differ when CRCs are there; the rest may not */
	vm[9] = vm[9] == '9' ? '8' : '9';
	assert_int_equal(load_image(&im, ""), 0);
	assert_int_equal(delete_module("hello", 0), 0);
	memcpy(vm + 9 + rl + 1, "SMP PREEMPT", 11);
	snprintf(msg, sizeof(msg), "hello: version magic '%.*s SMP PREEMPT mod_unload modversions ' should be '%s SMP preempt mod_unload modversions '",
		 (int)rl, vm + 9, release);
	m = log_mark();
	assert_int_equal(load_image(&im, ""), -ENOEXEC);
	assert_true(log_has(m, msg));
	image_free(&im);
}

/*
 * Debian's own signed lib/crc*.ko from the linux-image package, verified
 * against the kernel's signing certificate (extracted from its vmlinuz),
 * and a kbuild module that uses them.  Needs scripts/fetch-debian-modules.sh
 * (scripts/test.sh runs it).
 */
static void test_debian_crc_modules(void **state)
{
	const char *root = getenv("KMODFS_DEBIAN_ROOT"), *cert = getenv("KMODFS_DEBIAN_CERT");
	static const char *const mods[] = { "crc-itu-t", "crc16", "crc7", "crc8", "crc64" };
	char path[4096];
	uint64_t m;

	(void)state;
	assert_non_null(root);
	assert_non_null(cert);
	assert_int_equal(keyring_load(cert), 0);
	m = log_mark();
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		struct image im;
		struct kmodule *km;
		char name[32];

		snprintf(path, sizeof(path), "%s/lib/modules/%s/kernel/lib/%s.ko", root,
			 release, mods[i]);
		im = ktest_file(path);
		assert_int_equal(load_image(&im, ""), 0);
		image_free(&im);
		snprintf(name, sizeof(name), "%s", mods[i]);
		for (char *p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		km = kmodule_get_by_name(name);
		assert_non_null(km);
		/* signed by Debian, in-tree: no E, no O */
		assert_true(km->sig_ok);
		assert_int_equal(km->taints, 0);
		kmodule_put(km);
	}
	assert_false(log_has(m, "verification failed"));
	m = log_mark();
	assert_int_equal(load_kbuild("crcuser.ko", ""), 0);
	assert_true(log_has_line(m, "crcuser: crc_itu_t=31c3 crc16=bb3d crc7_be=ea crc8=f4 crc64_be=6c40df5f0b497347"));
	assert_int_equal(delete_module("crc_itu_t", 0), -EAGAIN);
	assert_int_equal(delete_module("crcuser", 0), 0);
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "%s", mods[i]);
		for (char *p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		assert_int_equal(delete_module(name, 0), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_kaidock_hz),
		cmocka_unit_test(test_code_patching),
		cmocka_unit_test(test_modversions_mismatch),
		cmocka_unit_test(test_vermagic_mismatch),
		/* last: needs scripts/fetch-debian-modules.sh's environment */
		cmocka_unit_test(test_debian_crc_modules),
	};
	size_t ntests = sizeof(tests) / sizeof(tests[0]);
	const char *kdir = getenv("KMODFS_KHEADERS");
	const char *rel = kdir ? strstr(kdir, "linux-headers-") : NULL;

	if (rel)
		snprintf(release, sizeof(release), "%s", rel + 14);
	if (!getenv("KMODFS_DEBIAN_ROOT")) {
		printf("# KMODFS_DEBIAN_ROOT is not set (scripts/fetch-debian-modules.sh): "
		       "not testing Debian's own modules\n");
		ntests--;
	}
	return ktest_run_kbuild("tests", tests, ntests);
}
