// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kbuild test module: timekeeping and randomness as a Debian-built module
 * uses them -- the ktime_get() family on every clock, timespec64 and
 * struct tm conversions, jiffies conversions, the CSPRNG and the LFSR113
 * prandom generator -- with the inline parts (ktime_get_real,
 * ktime_to_ms, local_clock, get_random_u32_below, prandom_seed_state...)
 * compiled from the real 6.1 headers.
 *
 * init prints "ktime: N checks, M failed", a "ktime: FAIL ..." line per
 * failed check, and returns -EINVAL if any failed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/timekeeping.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodfs test: clocks, time conversions, random numbers");

#include "kcheck.h"

#define MS (NSEC_PER_SEC / MSEC_PER_SEC)

static s64 abs_s64(s64 v)
{
	return v < 0 ? -v : v;
}

/* ---- clocks ---- */

static void test_monotonic(void)
{
	ktime_t prev = ktime_get(), t0, t1, now;
	struct timespec64 ts;
	u64 raw0, raw1;
	int i, backwards = 0;

	for (i = 0; i < 10000; i++) {
		now = ktime_get();
		if (now < prev)
			backwards++;
		prev = now;
	}
	CHECK(backwards == 0, "went back %d times", backwards);

	/* (the raw interval encloses the other: a pause between two reads
	 * on a busy host cannot make it shorter) */
	raw0 = ktime_get_raw_fast_ns();
	t0 = ktime_get();
	msleep(20);
	t1 = ktime_get();
	raw1 = ktime_get_raw_fast_ns();
	CHECK(ktime_to_ms(ktime_sub(t1, t0)) >= 20, "msleep(20) took %lld ms",
	      ktime_to_ms(ktime_sub(t1, t0)));
	CHECK(ktime_sub(t1, t0) < 5 * NSEC_PER_SEC, "msleep(20) took %lld ms",
	      ktime_to_ms(ktime_sub(t1, t0)));
	/* raw and NTP-disciplined time agree to parts per thousand here */
	CHECK(raw1 - raw0 >= 19 * MS, "raw clock moved %llu ns", raw1 - raw0);

	t0 = ktime_get();
	ktime_get_ts64(&ts);
	t1 = ktime_get();
	CHECK(timespec64_to_ktime(ts) >= t0 && timespec64_to_ktime(ts) <= t1);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < NSEC_PER_SEC);

	ktime_get_raw_ts64(&ts);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < NSEC_PER_SEC);
	CHECK(abs_s64(timespec64_to_ktime(ts) - ktime_get_raw()) < NSEC_PER_SEC);

	t0 = ktime_get_mono_fast_ns();
	CHECK(t0 <= ktime_get());
	CHECK(abs_s64((s64)ktime_get_seconds() - ktime_get() / NSEC_PER_SEC) <= 1);

	/* local_clock() (sched_clock_cpu) is the printk clock: same epoch */
	CHECK(abs_s64((s64)local_clock() - ktime_get()) < NSEC_PER_SEC);
	CHECK(ktime_get_resolution_ns() <= TICK_NSEC, "%u", ktime_get_resolution_ns());
}

static void test_coarse(void)
{
	struct timespec64 ts, real;
	ktime_t before, after, c;

	before = ktime_get();
	ktime_get_coarse_ts64(&ts);
	after = ktime_get();
	c = timespec64_to_ktime(ts);
	/* a coarse clock is the time of a recent tick: behind, never ahead */
	CHECK(c <= after, "coarse %lld after %lld", c, after);
	CHECK(c > before - 100 * MS, "coarse %lld before %lld", c, before);
	CHECK(ktime_get_coarse() >= c);

	ktime_get_real_ts64(&real);
	ktime_get_coarse_real_ts64(&ts);
	CHECK(abs_s64(timespec64_to_ns(&ts) - timespec64_to_ns(&real)) < NSEC_PER_SEC);
	CHECK(abs_s64(ktime_get_coarse_real() - timespec64_to_ns(&real)) < NSEC_PER_SEC);
	CHECK(abs_s64(ktime_get_coarse_boottime() - ktime_get_boottime()) < NSEC_PER_SEC);
	CHECK(abs_s64(ktime_get_coarse_clocktai() - ktime_get_clocktai()) < NSEC_PER_SEC);
}

static void test_offsets(void)
{
	struct timespec64 real, boot;
	ktime_t mono, t, tai;
	time64_t secs;

	ktime_get_real_ts64(&real);
	t = ktime_get_with_offset(TK_OFFS_REAL);
	CHECK(abs_s64(t - timespec64_to_ktime(real)) < NSEC_PER_SEC,
	      "real_ts64 %lld.%09ld, with_offset %lld", real.tv_sec, real.tv_nsec, t);
	CHECK(abs_s64((s64)ktime_get_real_fast_ns() - t) < NSEC_PER_SEC);
	CHECK(abs_s64((s64)ktime_get_real_ns() - t) < NSEC_PER_SEC);
	secs = ktime_get_real_seconds();
	CHECK(secs >= real.tv_sec - 1 && secs <= real.tv_sec + 1, "%lld vs %lld",
	      secs, real.tv_sec);
	/* later than 2020: the wall clock is really the wall clock */
	CHECK(real.tv_sec > 1577836800, "%lld", real.tv_sec);

	/* BOOTTIME = MONOTONIC + time suspended: never behind */
	mono = ktime_get();
	t = ktime_get_boottime();
	CHECK(t >= mono, "boottime %lld < monotonic %lld", t, mono);
	CHECK(t - mono < 3600 * NSEC_PER_SEC);
	mono = ktime_get_mono_fast_ns();
	CHECK(ktime_get_boot_fast_ns() >= mono);
	CHECK(ktime_get_boottime_ns() >= mono);

	/* TAI = UTC + whole leap seconds (0 when nobody told the host) */
	tai = ktime_get_clocktai();
	t = ktime_get_real();
	CHECK(tai - t > -NSEC_PER_SEC && tai - t < 100 * NSEC_PER_SEC, "tai-real %lld", tai - t);
	CHECK(abs_s64((s64)ktime_get_tai_fast_ns() - ktime_get_clocktai()) < NSEC_PER_SEC);

	/* converting a monotonic time to the other clocks */
	mono = ktime_get();
	CHECK(abs_s64(ktime_mono_to_real(mono) - ktime_get_real()) < NSEC_PER_SEC);
	CHECK(abs_s64(ktime_mono_to_any(mono, TK_OFFS_BOOT) - ktime_get_boottime()) <
	      NSEC_PER_SEC);
	CHECK(abs_s64(ktime_mono_to_any(mono, TK_OFFS_TAI) - ktime_get_clocktai()) <
	      NSEC_PER_SEC);

	/* the wall-clock time of boot, plus time since boot, is now */
	getboottime64(&boot);
	CHECK(abs_s64(timespec64_to_ktime(boot) + ktime_get_boottime() - ktime_get_real()) <
	      NSEC_PER_SEC);
}

/* The tick and ktime_get() run off one clock, from one boot. */
static void test_jiffies_rate(void)
{
	unsigned long j0, j1;
	ktime_t t0, t1;
	s64 ms_k = 0, ms_j = 0, since_boot_ms;

	/*
	 * A busy host may stop this thread between reading jiffies and
	 * ktime_get(): the best of a few tries must agree within 25 ms.
	 */
	for (int tries = 0; tries < 5; tries++) {
		msleep(1);	/* wakes with jiffies just brought up to date */
		j0 = jiffies;
		t0 = ktime_get();
		msleep(100);
		j1 = jiffies;
		t1 = ktime_get();
		ms_k = ktime_to_ms(ktime_sub(t1, t0));
		ms_j = jiffies_to_msecs(j1 - j0);
		if (ms_j >= 100 && abs_s64(ms_k - ms_j) <= 25)
			break;
	}
	CHECK(ms_j >= 100, "jiffies moved %lld ms over msleep(100)", ms_j);
	CHECK(abs_s64(ms_k - ms_j) <= 25, "ktime %lld ms, jiffies %lld ms", ms_k, ms_j);

	since_boot_ms = jiffies_to_msecs(jiffies - INITIAL_JIFFIES);
	CHECK(abs_s64(since_boot_ms - ktime_to_ms(ktime_get())) <= 1000,
	      "jiffies say %lld ms since boot, ktime %lld ms", since_boot_ms,
	      ktime_to_ms(ktime_get()));
}

/* ---- conversions ---- */

static void test_timespec(void)
{
	static const struct {
		s64 ns;
		time64_t sec;
		long nsec;
	} cases[] = {
		{ 0, 0, 0 },
		{ 1, 0, 1 },
		{ 1500000000, 1, 500000000 },
		{ -1, -1, 999999999 },
		{ -1000000000, -1, 0 },
		{ -1500000000, -2, 500000000 },
		{ S64_MIN, -9223372037LL, 145224192 },
		{ S64_MAX, 9223372036LL, 854775807 },
	};
	struct __kernel_old_timeval tv;
	struct timespec64 ts;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ts = ns_to_timespec64(cases[i].ns);
		CHECK(ts.tv_sec == cases[i].sec && ts.tv_nsec == cases[i].nsec,
		      "%lld -> %lld.%09ld", cases[i].ns, ts.tv_sec, ts.tv_nsec);
	}
	tv = ns_to_kernel_old_timeval(-1500);
	CHECK(tv.tv_sec == -1 && tv.tv_usec == 999998, "%ld.%06ld", tv.tv_sec, tv.tv_usec);

	set_normalized_timespec64(&ts, 1, -1);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 999999999);
	set_normalized_timespec64(&ts, 0, 2500000000LL);
	CHECK(ts.tv_sec == 2 && ts.tv_nsec == 500000000);
	set_normalized_timespec64(&ts, 10, -3500000000LL);
	CHECK(ts.tv_sec == 6 && ts.tv_nsec == 500000000);

	CHECK(ktime_add_safe(1, 2) == 3);
	CHECK(ktime_add_safe(KTIME_MAX, 1) == KTIME_MAX);
	CHECK(ktime_add_safe(KTIME_MAX - 5, 10) == KTIME_MAX);
	CHECK(ktime_add_safe(-5, 3) == KTIME_MAX);	/* negative: "forever" */
}

static void test_jiffies_conversions(void)
{
	struct timespec64 ts;

	jiffies_to_timespec64(HZ, &ts);
	CHECK(ts.tv_sec == 1 && ts.tv_nsec == 0);
	jiffies_to_timespec64(1, &ts);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == TICK_NSEC);

	ts = (struct timespec64){ 1, 0 };
	CHECK(timespec64_to_jiffies(&ts) == HZ);
	ts = (struct timespec64){ 0, 1 };
	CHECK(timespec64_to_jiffies(&ts) == 1);		/* rounds up */
	ts = (struct timespec64){ 0, TICK_NSEC };
	CHECK(timespec64_to_jiffies(&ts) == 1);
	ts = (struct timespec64){ 0, TICK_NSEC + 1 };
	CHECK(timespec64_to_jiffies(&ts) == 2);
	ts = (struct timespec64){ 3, 500000000 };
	CHECK(timespec64_to_jiffies(&ts) == 3 * HZ + HZ / 2);
	ts = (struct timespec64){ -1, 0 };		/* huge: clamped */
	CHECK(timespec64_to_jiffies(&ts) == (unsigned long)MAX_SEC_IN_JIFFIES * HZ, "%lu",
	      timespec64_to_jiffies(&ts));

	CHECK(jiffies_to_clock_t(HZ) == USER_HZ);
	CHECK(clock_t_to_jiffies(USER_HZ) == HZ);
	CHECK(jiffies_64_to_clock_t(10 * HZ) == 10 * USER_HZ);
	CHECK(clock_t_to_jiffies(~0UL) == ~0UL);
}

static void test_calendar(void)
{
	static const struct {
		time64_t t;
		int offset;
		long year;
		int mon, mday, hour, min, sec, yday, wday;
	} cases[] = {
		{ 0, 0, 70, 0, 1, 0, 0, 0, 0, 4 },
		{ 951782400, 0, 100, 1, 29, 0, 0, 0, 59, 2 },		/* 2000-02-29 */
		{ 2147483648LL, 0, 138, 0, 19, 3, 14, 8, 18, 2 },	/* 2038-01-19T03:14:08 */
		{ -1, 0, 69, 11, 31, 23, 59, 59, 364, 3 },
		{ 0, -3600, 69, 11, 31, 23, 0, 0, 364, 3 },
		{ 86399, 1, 70, 0, 2, 0, 0, 0, 1, 5 },
		{ -2203891200LL, 0, 0, 2, 1, 0, 0, 0, 59, 4 },		/* 1900: not leap */
		{ 4107542400LL, 0, 200, 2, 1, 0, 0, 0, 59, 1 },		/* 2100: not leap */
		{ 253402300799LL, 0, 8099, 11, 31, 23, 59, 59, 364, 5 },
		{ -62135596800LL, 0, -1899, 0, 1, 0, 0, 0, 0, 1 },	/* 0001-01-01 */
	};
	struct tm tm;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		time64_to_tm(cases[i].t, cases[i].offset, &tm);
		CHECK(tm.tm_year == cases[i].year && tm.tm_mon == cases[i].mon &&
		      tm.tm_mday == cases[i].mday && tm.tm_hour == cases[i].hour &&
		      tm.tm_min == cases[i].min && tm.tm_sec == cases[i].sec &&
		      tm.tm_yday == cases[i].yday && tm.tm_wday == cases[i].wday,
		      "%lld%+d: %ld-%d-%d %d:%d:%d yday %d wday %d", cases[i].t,
		      cases[i].offset, tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour,
		      tm.tm_min, tm.tm_sec, tm.tm_yday, tm.tm_wday);
		if (cases[i].offset == 0 && tm.tm_year >= 0)
			CHECK(mktime64(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				       tm.tm_hour, tm.tm_min, tm.tm_sec) == cases[i].t,
			      "mktime64 of %lld", cases[i].t);
	}
	CHECK(mktime64(1970, 1, 1, 0, 0, 0) == 0);
	CHECK(mktime64(2000, 2, 29, 0, 0, 0) == 951782400);
	CHECK(mktime64(2038, 1, 19, 3, 14, 8) == 2147483648LL);
	CHECK(mktime64(1969, 12, 31, 23, 59, 59) == -1);
	CHECK(mktime64(1999, 12, 31, 24, 0, 0) == 946684800);	/* 24:00 */
}

/* ---- randomness ---- */

static void test_random(void)
{
	u8 a[64], b[64], zero[64] = { 0 }, seen[10] = { 0 };
	volatile u32 ceil = 10;
	u32 first, v, bad = 0;
	bool u32_differ = false, u64_differ = false, u16_differ = false, u8_differ = false;
	u64 first64;
	u16 first16;
	u8 first8;
	int i, kinds = 0;

	CHECK(rng_is_initialized());
	CHECK(wait_for_random_bytes() == 0);
	get_random_bytes(a, sizeof(a));
	CHECK(get_random_bytes_wait(b, sizeof(b)) == 0);
	CHECK(memcmp(a, zero, sizeof(a)) != 0, "all zero");
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two calls gave the same bytes");
	get_random_bytes(a, 0);

	first = get_random_u32();
	first64 = get_random_u64();
	first16 = get_random_u16();
	first8 = get_random_u8();
	for (i = 0; i < 100; i++) {
		u32_differ |= get_random_u32() != first;
		u64_differ |= get_random_u64() != first64;
		u16_differ |= get_random_u16() != first16;
		u8_differ |= get_random_u8() != first8;
	}
	CHECK(u32_differ && u64_differ && u16_differ && u8_differ, "%d %d %d %d",
	      u32_differ, u64_differ, u16_differ, u8_differ);

	/* the out-of-line __get_random_u32_below() and the inline paths */
	for (i = 0; i < 1000; i++) {
		v = get_random_u32_below(ceil);
		if (v >= 10)
			bad++;
		else
			seen[v] = 1;
		bad += get_random_u32_below(7) >= 7;
		bad += get_random_u32_below(1000) >= 1000;
		bad += get_random_u32_below(100000) >= 100000;
		bad += get_random_u32_inclusive(5, 6) - 5 > 1;
	}
	for (i = 0; i < 10; i++)
		kinds += seen[i];
	CHECK(bad == 0, "%u out of range", bad);
	CHECK(kinds == 10, "only %d of 10 values in 1000 draws", kinds);
}

static void test_prandom(void)
{
	/* LFSR113 from prandom_seed_state(42), worked out from its definition */
	static const u32 want[] = { 0xb5feb103, 0x2f5d53d0, 0x2b0a8459, 0x1d26b77a,
				    0x21a1ebaf, 0x200aff2d };
	struct rnd_state s1, s2, *pcpu, *c0, *c1;
	u8 bytes[7];
	u32 v;
	int i, same = 0;

	prandom_seed_state(&s1, 42);
	prandom_seed_state(&s2, 42);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		v = prandom_u32_state(&s1);
		CHECK(v == want[i], "output %d: %#x, want %#x", i, v, want[i]);
		same += prandom_u32_state(&s2) == v;
	}
	CHECK(same == ARRAY_SIZE(want), "two runs agree on %d of %zu", same,
	      ARRAY_SIZE(want));

	prandom_seed_state(&s1, 42);
	prandom_bytes_state(&s1, bytes, sizeof(bytes));
	CHECK(bytes[0] == 0x03 && bytes[1] == 0xb1 && bytes[2] == 0xfe && bytes[3] == 0xb5 &&
	      bytes[4] == 0xd0 && bytes[5] == 0x53 && bytes[6] == 0x5d,
	      "%7phN", bytes);
	CHECK(prandom_u32_state(&s1) == want[2]);

	pcpu = alloc_percpu(struct rnd_state);
	CHECK(pcpu != NULL);
	if (!pcpu)
		return;
	prandom_seed_full_state(pcpu);
	c0 = per_cpu_ptr(pcpu, 0);
	c1 = per_cpu_ptr(pcpu, 1);
	CHECK(c0->s1 >= 2 && c0->s2 >= 8 && c0->s3 >= 16 && c0->s4 >= 128);
	CHECK(memcmp(c0, c1, sizeof(*c0)) != 0, "CPUs 0 and 1 seeded alike");
	free_percpu(pcpu);
}

static int __init ktime_test_init(void)
{
	test_monotonic();
	test_coarse();
	test_offsets();
	test_jiffies_rate();
	test_timespec();
	test_jiffies_conversions();
	test_calendar();
	test_random();
	test_prandom();
	pr_info("%d checks, %d failed\n", checks, failures);
	return failures ? -EINVAL : 0;
}

static void __exit ktime_test_exit(void)
{
	pr_info("exit\n");
}

module_init(ktime_test_init);
module_exit(ktime_test_exit);
