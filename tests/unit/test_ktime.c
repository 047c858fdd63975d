// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Timekeeping and randomness under a module built by real kbuild
 * (tests/kbuild/ktime): its init checks every clock, the timespec64,
 * struct tm and jiffies conversions, the CSPRNG and prandom, and prints
 * a summary.  Here: that summary, no failed check, and prandom's LFSR113
 * called directly against values worked out from the algorithm's
 * definition.  Skipped when the headers are not installed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "kernel/traps.h"
#include "ktest.h"
#include "loader/ksymtab.h"
#include "loader/module.h"

/* Module faults (in any thread) must reach the kernel's trap handler,
 * which passes the others on to cmocka's. */
#define TRAPS_FIRST() assert_int_equal(traps_init(), 0)

static int load_ktime(void)
{
	struct image im = ktest_module("KMODFS_KBUILD", "ktime.ko");
	int r = load_image(&im, "");

	image_free(&im);
	return r;
}

static void test_module_checks(void **state)
{
	uint64_t m = log_mark();
	int r;

	(void)state;
	TRAPS_FIRST();
	r = load_ktime();
	if (r)
		log_dump(m);
	assert_int_equal(r, 0);
	assert_log(m, "ktime: ");
	assert_log(m, " checks, 0 failed");
	assert_int_equal(log_count_prefix(m, "ktime: FAIL"), 0);
	assert_false(log_has(m, "Oops"));
	assert_false(log_has(m, "BUG: "));

	m = log_mark();
	assert_int_equal(delete_module("ktime", 0), 0);
	assert_line(m, "ktime: exit");
	assert_null(kmodule_get_by_name("ktime"));
}

/* include/linux/prandom.h */
struct rnd_state {
	uint32_t s1, s2, s3, s4;
};

typedef uint32_t (*prandom_u32_state_fn)(struct rnd_state *);
typedef void (*prandom_bytes_state_fn)(struct rnd_state *, void *, size_t);

static void *kernel_function(const char *name)
{
	const struct ksym *s = find_symbol(name, true);

	assert_non_null(s);
	assert_null(s->owner);
	return (void *)s->value;
}

/*
 * LFSR113 steps each 32-bit component z (degree k, parameters q, s) to
 * ((z & top k bits) << s) ^ (((z << q) ^ z) >> (k - s)), with (k, q, s)
 * = (31, 6, 18), (29, 2, 2), (28, 13, 7), (25, 3, 13), and outputs the
 * xor of the four.  From {2, 8, 16, 128} -- prandom_seed_state(0), every
 * component at its minimum -- the feedback terms of the first step are
 * all 0, so the components become 2 << 18, 8 << 2, 16 << 7 and 128 << 13
 * and the first output is 0x80000 ^ 0x20 ^ 0x800 ^ 0x100000 = 0x180820.
 * The other values were computed from the same definition.
 */
static void test_prandom_vectors(void **state)
{
	static const struct {
		struct rnd_state seed;
		uint32_t out[6];
	} vectors[] = {
		/* prandom_seed_state(0) */
		{ { 2, 8, 16, 128 },
		  { 0x00180820, 0x000419c8, 0x42200624, 0x00828214, 0x31412e59, 0x904da602 } },
		/* prandom_seed_state(1) */
		{ { 0x401, 0x401, 0x401, 0x401 },
		  { 0x1082100e, 0x01208a00, 0x8900402e, 0x00901582, 0xc01aa2c9, 0x834d2081 } },
		/* prandom_seed_state(42) */
		{ { 0xa82a, 0xa82a, 0xa82a, 0xa82a },
		  { 0xb5feb103, 0x2f5d53d0, 0x2b0a8459, 0x1d26b77a, 0x21a1ebaf, 0x200aff2d } },
	};
	prandom_u32_state_fn next;
	prandom_bytes_state_fn bytes;
	unsigned char buf[7];

	(void)state;
	next = (prandom_u32_state_fn)kernel_function("prandom_u32_state");
	bytes = (prandom_bytes_state_fn)kernel_function("prandom_bytes_state");
	for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
		struct rnd_state st = vectors[v].seed;

		for (size_t i = 0; i < 6; i++)
			assert_int_equal(next(&st), vectors[v].out[i]);
	}

	/* bytes: whole outputs little-endian, then the low bytes of the next */
	{
		struct rnd_state st = vectors[2].seed;
		static const unsigned char want[7] = { 0x03, 0xb1, 0xfe, 0xb5, 0xd0, 0x53, 0x5d };

		bytes(&st, buf, sizeof(buf));
		assert_memory_equal(buf, want, sizeof(want));
		assert_int_equal(next(&st), vectors[2].out[2]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_checks),
		cmocka_unit_test(test_prandom_vectors),
	};

	return ktest_run_kbuild("ktime", tests, sizeof(tests) / sizeof(tests[0]));
}
