// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The core library under a module built by real kbuild
 * (tests/kbuild/klib): its init checks sort, sort_r, bsearch,
 * list_sort, red-black trees, gcd/lcm/int_sqrt, hex conversion and
 * dumps, memparse, bit searches and bitmaps, hweight and CRC-32 against
 * known answers and counts the failures.  Here: that summary, no
 * failure lines, and the exact lines of its print_hex_dump() calls.
 * Skipped when the headers are not installed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "kernel/traps.h"
#include "ktest.h"
#include "loader/module.h"

/* A fault in the module must reach the kernel's trap handler, which
 * passes the others on to cmocka's. */
#define TRAPS_FIRST() assert_int_equal(traps_init(), 0)

static void test_known_answers(void **state)
{
	struct image im = ktest_module("KMODFS_KBUILD", "klib.ko");
	uint64_t m = log_mark();
	int r;

	(void)state;
	TRAPS_FIRST();
	r = load_image(&im, "");
	image_free(&im);
	if (r)
		log_dump(m);
	assert_int_equal(r, 0);
	assert_log(m, " checks, 0 failed");
	assert_int_equal(log_count_prefix(m, "klib: FAIL"), 0);
	assert_false(log_has(m, "Oops"));

	/* print_hex_dump(KERN_INFO, "klib: ", DUMP_PREFIX_OFFSET, 16, 1,
	 * "0123456789abcdefGHIJ", 20, true) */
	assert_line(m, "klib: 00000000: 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66"
		       "  0123456789abcdef");
	assert_line(m, "klib: 00000010: 47 48 49 4a"
		       "                                      "
		       "GHIJ");
	/* DUMP_PREFIX_NONE, groups of 2 without ASCII */
	assert_line(m, "klib: g2: 3130 3332");
	/* DUMP_PREFIX_ADDRESS: the (hashed) address, then the bytes */
	assert_log(m, "klib: addr ");
	assert_log(m, ": 41 42 43");

	m = log_mark();
	assert_int_equal(delete_module("klib", 0), 0);
	assert_line(m, "klib: exit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
	};

	return ktest_run_kbuild("klib", tests, sizeof(tests) / sizeof(tests[0]));
}
