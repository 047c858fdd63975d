// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The synchronisation and deferred-work API under a module built by real
 * kbuild (tests/kbuild/ksync): its init checks mutexes, spinlocks,
 * rwlocks, rw_semaphores, semaphores, wait queues, completions,
 * workqueues, delayed works, RCU, refcount_t and ratelimiting, and says
 * which scenarios passed.  Here: those lines, the warnings the kernel
 * side prints (refcount_t, ratelimit), the Oopses of the kernel's
 * corruption checks (DEBUG_LIST, FORTIFY_SOURCE) and of a faulting work,
 * and works_purge_range() at unload.  Skipped when the headers are not
 * installed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "kernel/taint.h"
#include "kernel/traps.h"
#include "kernel/workqueue.h"
#include "ktest.h"
#include "loader/module.h"

/*
 * cmocka installs its own SIGSEGV/SIGILL handlers around each test
 * body; module faults (in any thread) must reach the kernel's trap
 * handler, which passes the others on to cmocka's.
 */
#define TRAPS_FIRST() assert_int_equal(traps_init(), 0)

static int load_ksync(const char *args)
{
	struct image im = ktest_module("KMODFS_KBUILD", "ksync.ko");
	int r = load_image(&im, args);

	image_free(&im);
	return r;
}

static void test_all_scenarios(void **state)
{
	static const char *const scenarios[] = {
		"spinlocks", "mutex", "rwsem", "waitqueues", "completions",
		"workqueues", "rcu", "refcount", "ratelimit",
	};
	uint64_t m = log_mark();
	char line[64];
	int r;

	(void)state;
	TRAPS_FIRST();
	r = load_ksync("");
	if (r)
		log_dump(m);
	assert_int_equal(r, 0);
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		snprintf(line, sizeof(line), "ksync: %s ok", scenarios[i]);
		assert_line(m, line);
	}
	assert_log(m, " checks, 0 failed");
	assert_int_equal(log_count_prefix(m, "ksync: FAIL"), 0);
	/* nothing slept in atomic context, leaked a lock, or oopsed */
	assert_false(log_has(m, "BUG: "));
	assert_false(log_has(m, "Oops"));
	assert_log(m, "wait_event_timeout: woken by a timer after ");
	assert_log(m, "delayed work: ran ");

	/* refcount_t: each saturation is a WARN, once */
	assert_line(m, "refcount_t: underflow; use-after-free.");
	assert_line(m, "refcount_t: saturated; leaking memory.");
	assert_line(m, "refcount_t: addition on 0; use-after-free.");
	assert_log(m, "at lib/refcount.c:28 refcount_warn_saturate");
	assert_int_equal(log_count_prefix(m, "refcount_t: underflow"), 1);
	assert_true(test_taint(TAINT_WARN));

	/* ratelimit: 3 of 10 passed; the next call reported the other 7 */
	assert_line(m, "ksync_ratelimited: 7 callbacks suppressed");
	/* printk_ratelimited: the default burst of 10 */
	assert_int_equal(log_count_prefix(m, "ksync: burst "), 10);
	assert_line(m, "ksync: burst 9");

	m = log_mark();
	assert_int_equal(delete_module("ksync", 0), 0);
	assert_line(m, "ksync: exit");
}

/* A corrupted list or a fortified overflow is BUG(): an Oops, a failed
 * load, and the next load works. */
static void test_kernel_checks(void **state)
{
	static const struct {
		const char *arg, *message;
	} bugs[] = {
		{ "bug=listadd", "list_add double add: new=" },
		{ "bug=listdel", "list_del corruption, " },
		{ "bug=fortify", "detected buffer overflow in strcpy" },
	};

	(void)state;
	TRAPS_FIRST();
	for (size_t i = 0; i < sizeof(bugs) / sizeof(bugs[0]); i++) {
		uint64_t m = log_mark();

		assert_int_equal(load_ksync(bugs[i].arg), -EFAULT);
		assert_log(m, bugs[i].message);
		assert_log(m, "invalid opcode: 0000");
		assert_int_equal(log_count_prefix(m, "ksync: FAIL"), 0);
		assert_null(kmodule_get_by_name("ksync"));
	}
	{
		uint64_t m = log_mark();

		assert_int_equal(load_ksync("bug=listdel"), -EFAULT);
		assert_log(m, "->next is LIST_POISON1 (dead000000000100)");
	}
}

/* A work that faults is an Oops; the worker and the module carry on. */
static void test_work_oops(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	TRAPS_FIRST();
	assert_int_equal(load_ksync("bug=workoops"), 0);
	assert_log(m, "BUG: kernel NULL pointer dereference, address: 0000000000000000");
	assert_log(m, "oops_fn");
	assert_line(m, "ksync: worker survived an Oops");
	assert_int_equal(log_count_prefix(m, "ksync: FAIL"), 0);
	assert_int_equal(delete_module("ksync", 0), 0);
}

/* Sleeping in atomic context, and a work returning with a lock held. */
static void test_atomic_bugs(void **state)
{
	uint64_t m = log_mark();

	(void)state;
	TRAPS_FIRST();
	assert_int_equal(load_ksync("bug=atomic"), 0);
	assert_log(m, "BUG: scheduling while atomic: test_ksync/");
	assert_log(m, "/0x00000002");	/* spin_lock + __schedule */
	assert_log(m, "BUG: workqueue leaked lock or atomic: kworker/");
	assert_line(m, "     last function: leak_fn [ksync]");
	assert_line(m, "ksync: atomic bugs reported");
	assert_int_equal(log_count_prefix(m, "ksync: FAIL"), 0);
	assert_int_equal(delete_module("ksync", 0), 0);
}

/* works_purge_range(): works and delayed works of a module going away. */
static void test_purge(void **state)
{
	struct kmodule *km;
	unsigned long start, end;
	uint64_t m = log_mark();

	(void)state;
	TRAPS_FIRST();
	assert_int_equal(load_ksync("leave=1"), 0);
	assert_line(m, "ksync: left 2 works pending");
	km = kmodule_get_by_name("ksync");
	assert_non_null(km);
	module_mutex_lock();
	start = (unsigned long)km->core.base;
	end = start + km->core.size;
	module_mutex_unlock();
	kmodule_put(km);
	/* the delayed work on its timer and the work queued behind a running
	 * one (which is waited for) */
	assert_int_equal(works_purge_range(start, end), 2);
	assert_int_equal(works_purge_range(start, end), 0);
	assert_int_equal(delete_module("ksync", 0), 0);
	assert_line(m, "ksync: exit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_scenarios),
		cmocka_unit_test(test_kernel_checks),
		cmocka_unit_test(test_work_oops),
		cmocka_unit_test(test_atomic_bugs),
		cmocka_unit_test(test_purge),
	};

	return ktest_run_kbuild("ksync", tests, sizeof(tests) / sizeof(tests[0]));
}
