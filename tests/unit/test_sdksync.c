// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The synchronisation and deferred-work API through the kmodfs SDK
 * (include/linux/): tests/modules/sdksync.c, built with kmodfs-build and
 * loaded on the built-in profile, checks spinlocks, mutexes,
 * rw_semaphores, wait queues, task sleeps and wake-ups, completions,
 * workqueues, RCU, refcount_t and ratelimiting with the SDK's inline
 * code; here, its verdicts and the kernel side's warnings.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/logbuf.h"
#include "kernel/traps.h"
#include "ktest.h"
#include "loader/module.h"

static void test_sdksync(void **state)
{
	static const char *const scenarios[] = {
		"spinlocks", "sleeping locks", "waits", "completions and works",
		"rcu refcount ratelimit",
	};
	struct image im = testmod("sdksync.ko");
	uint64_t m = log_mark();
	char line[80];
	int r;

	(void)state;
	/* cmocka's own SIGSEGV/SIGILL handlers must not take module faults */
	assert_int_equal(traps_init(), 0);
	r = load_image(&im, "");
	image_free(&im);
	if (r)
		log_dump(m);
	assert_int_equal(r, 0);
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		snprintf(line, sizeof(line), "sdksync: %s ok", scenarios[i]);
		assert_line(m, line);
	}
	assert_log(m, " checks, 0 failed");
	assert_int_equal(log_count_prefix(m, "sdksync: FAIL"), 0);
	assert_false(log_has(m, "BUG: "));
	assert_line(m, "refcount_t: decrement hit 0; leaking memory.");
	assert_line(m, "refcount_t: saturated; leaking memory.");
	assert_line(m, "sdk_ratelimited: 4 callbacks suppressed");
	assert_int_equal(log_count_prefix(m, "sdksync: burst "), 10);

	m = log_mark();
	assert_int_equal(delete_module("sdksync", 0), 0);
	assert_line(m, "sdksync: exit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdksync),
	};
	int r;

	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (kernel_boot() < 0)
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	kernel_shutdown();
	return r;
}
