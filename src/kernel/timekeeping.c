// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel/time/timekeeping.c, time.c and timeconv.c for modules: the
 * ktime_get() family on every clock, the timespec64/ktime_t/struct tm
 * conversions, and the jiffies conversions time.c does not have.
 *
 * The emulated machine booted when the daemon's kernel first read its
 * clock: local_clock_ns() (logbuf.c) counts CLOCK_MONOTONIC from there,
 * printk timestamps are taken from it, and time.c derives jiffies from
 * it (INITIAL_JIFFIES plus one per NSEC_PER_SEC / HZ).  ktime_get() *is*
 * local_clock_ns(), so CLOCK_MONOTONIC in a module starts near zero at
 * "boot", agrees with the log's timestamps, and advances at exactly the
 * rate of jiffies: (jiffies - INITIAL_JIFFIES) jiffy periods never exceed
 * a later ktime_get().
 *
 * The other clocks are the host's, moved onto that epoch where Linux
 * counts them from boot:
 *   REALTIME, TAI      absolute, read from the host as they are;
 *   MONOTONIC_RAW      host raw clock, equal to ktime_get() at calibration;
 *   BOOTTIME           ktime_get() plus the time the host has spent
 *                      suspended since calibration (offs_boot);
 *   *_COARSE           the host's coarse clocks (last tick), on the same
 *                      epochs.
 * Calibration happens once, at the first call that needs it.
 */
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "kernel/export.h"
#include "kernel/logbuf.h"
#include "kernel/time.h"

#define NSEC_PER_SEC 1000000000LL
#define USER_HZ 100u			/* asm-generic/param.h */
#define KTIME_MAX INT64_MAX

typedef int64_t ktime_t;
typedef int64_t time64_t;

/* include/linux/time64.h */
struct timespec64 {
	time64_t tv_sec;
	long tv_nsec;
};
_Static_assert(sizeof(struct timespec64) == 16, "timespec64");

/* include/uapi/linux/time_types.h */
struct __kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

/* include/linux/time.h: not libc's struct tm (tm_year is a long) */
struct kernel_tm {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;
	long tm_year;
	int tm_wday;
	int tm_yday;
};
_Static_assert(sizeof(struct kernel_tm) == 40, "struct tm size");
_Static_assert(offsetof(struct kernel_tm, tm_year) == 24, "tm.tm_year");
_Static_assert(offsetof(struct kernel_tm, tm_yday) == 36, "tm.tm_yday");

/* include/linux/timekeeping.h */
enum tk_offsets {
	TK_OFFS_REAL,
	TK_OFFS_BOOT,
	TK_OFFS_TAI,
	TK_OFFS_MAX,
};

/* ---- reading the host's clocks ---- */

static int64_t host_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/*
 * Where the host clocks stood when the emulated clock read zero, each
 * measured by reading two clocks back to back:
 *   mono_base  host MONOTONIC - ktime_get(), the host clock read second:
 *              never too small, so the coarse clock derived from it never
 *              passes ktime_get();
 *   boot_gap   host BOOTTIME - host MONOTONIC: the host's time suspended
 *              before calibration, which the emulated machine never saw;
 *   raw_base   host MONOTONIC_RAW - ktime_get().
 */
static struct {
	int64_t mono_base, raw_base, boot_gap;
} cal;
static pthread_once_t cal_once = PTHREAD_ONCE_INIT;

/* Largest time-suspended-since-calibration seen so far (ns). */
static int64_t offs_boot_seen;

static int64_t boot_gap_sample(void)
{
	int64_t b = host_ns(CLOCK_BOOTTIME);

	return b - host_ns(CLOCK_MONOTONIC);
}

static void calibrate(void)
{
	/* three tries, keeping the tightest bound of each */
	for (int i = 0; i < 3; i++) {
		int64_t mono = -(int64_t)local_clock_ns();
		int64_t gap;

		mono += host_ns(CLOCK_MONOTONIC);
		gap = boot_gap_sample();
		if (i == 0 || mono < cal.mono_base)
			cal.mono_base = mono;
		if (i == 0 || gap > cal.boot_gap)
			cal.boot_gap = gap;
	}
	cal.raw_base = -(int64_t)local_clock_ns();
	cal.raw_base += host_ns(CLOCK_MONOTONIC_RAW);
}

static void timekeeping_ready(void)
{
	pthread_once(&cal_once, calibrate);
}

static ktime_t mono_ns(void)
{
	return (ktime_t)local_clock_ns();
}

/*
 * offs_boot: how long the host has been suspended since calibration.
 * The true value only grows; a sample can be low by the gap between its
 * two reads, so the running maximum (from 0) is kept -- and BOOTTIME =
 * MONOTONIC + offs_boot is monotonic and never below MONOTONIC.
 */
static int64_t boot_offset(void)
{
	int64_t s = boot_gap_sample() - cal.boot_gap;
	int64_t seen = __atomic_load_n(&offs_boot_seen, __ATOMIC_RELAXED);

	while (s > seen &&
	       !__atomic_compare_exchange_n(&offs_boot_seen, &seen, s, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return s > seen ? s : seen;
}

/* TAI - UTC: whole seconds (37 s, or 0 where nobody set it). */
static int64_t tai_offset(void)
{
	int64_t tai = host_ns(CLOCK_TAI);
	int64_t d = tai - host_ns(CLOCK_REALTIME);

	/* the two reads are microseconds apart at worst: round */
	return (d + (d < 0 ? -NSEC_PER_SEC / 2 : NSEC_PER_SEC / 2)) /
	       NSEC_PER_SEC * NSEC_PER_SEC;
}

/* The offset of clock offs from CLOCK_MONOTONIC, now (0 for a bad offs:
 * Linux would index past its table). */
static int64_t clock_offset(enum tk_offsets offs)
{
	switch (offs) {
	case TK_OFFS_REAL:
		return host_ns(CLOCK_REALTIME) - mono_ns();
	case TK_OFFS_BOOT:
		return boot_offset();
	case TK_OFFS_TAI:
		return host_ns(CLOCK_REALTIME) - mono_ns() + tai_offset();
	case TK_OFFS_MAX:
		break;
	}
	return 0;
}

/* Coarse CLOCK_MONOTONIC on the emulated epoch; the host's coarse clock
 * may still show a tick from just before boot, which reads as 0. */
static int64_t coarse_mono_ns(void)
{
	int64_t t = host_ns(CLOCK_MONOTONIC_COARSE) - cal.mono_base;

	return t < 0 ? 0 : t;
}

/* ---- ktime_t and timespec64 helpers ---- */

/* Floor division: tv_nsec is always in [0, NSEC_PER_SEC). */
static struct timespec64 ns_split(int64_t ns)
{
	struct timespec64 ts = { ns / NSEC_PER_SEC, (long)(ns % NSEC_PER_SEC) };

	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

static void host_ts64(clockid_t id, struct timespec64 *ts)
{
	struct timespec t;

	clock_gettime(id, &t);
	ts->tv_sec = t.tv_sec;
	ts->tv_nsec = t.tv_nsec;
}

KAPI static struct timespec64 ns_to_timespec64(int64_t nsec)
{
	return ns_split(nsec);
}
KEXPORT(ns_to_timespec64);

KAPI static struct __kernel_old_timeval ns_to_kernel_old_timeval(int64_t nsec)
{
	struct timespec64 ts = ns_split(nsec);

	return (struct __kernel_old_timeval){ ts.tv_sec, ts.tv_nsec / 1000 };
}
KEXPORT(ns_to_kernel_old_timeval);

/* sec + nsec with nsec brought into [0, NSEC_PER_SEC); a carry into tv_sec
 * wraps as the kernel's arithmetic does. */
KAPI static void set_normalized_timespec64(struct timespec64 *ts, const time64_t sec,
					   const int64_t nsec)
{
	struct timespec64 n = ns_split(nsec);

	ts->tv_sec = (time64_t)((uint64_t)sec + (uint64_t)n.tv_sec);
	ts->tv_nsec = n.tv_nsec;
}
KEXPORT(set_normalized_timespec64);

/* lhs + rhs, or KTIME_MAX when the sum overflows or goes negative. */
KAPI static ktime_t ktime_add_safe(const ktime_t lhs, const ktime_t rhs)
{
	ktime_t sum = (ktime_t)((uint64_t)lhs + (uint64_t)rhs);

	if (sum < 0 || sum < lhs || sum < rhs)
		return KTIME_MAX;
	return sum;
}
KEXPORT_GPL(ktime_add_safe);

/* ---- the clocks ---- */

KAPI static ktime_t ktime_get(void)
{
	return mono_ns();
}
KEXPORT_GPL(ktime_get);

KAPI static ktime_t ktime_get_raw(void)
{
	timekeeping_ready();
	return host_ns(CLOCK_MONOTONIC_RAW) - cal.raw_base;
}
KEXPORT_GPL(ktime_get_raw);

KAPI static ktime_t ktime_get_with_offset(enum tk_offsets offs)
{
	timekeeping_ready();
	switch (offs) {
	case TK_OFFS_REAL:
		return host_ns(CLOCK_REALTIME);
	case TK_OFFS_TAI:
		return host_ns(CLOCK_TAI);
	case TK_OFFS_BOOT:
	case TK_OFFS_MAX:
		break;
	}
	return mono_ns() + clock_offset(offs);
}
KEXPORT_GPL(ktime_get_with_offset);

KAPI static ktime_t ktime_get_coarse_with_offset(enum tk_offsets offs)
{
	timekeeping_ready();
	switch (offs) {
	case TK_OFFS_REAL:
		return host_ns(CLOCK_REALTIME_COARSE);
	case TK_OFFS_TAI:
		return host_ns(CLOCK_REALTIME_COARSE) + tai_offset();
	case TK_OFFS_BOOT:
	case TK_OFFS_MAX:
		break;
	}
	return coarse_mono_ns() + clock_offset(offs);
}
KEXPORT_GPL(ktime_get_coarse_with_offset);

/* A CLOCK_MONOTONIC time on another clock, with that clock's offset now. */
KAPI static ktime_t ktime_mono_to_any(ktime_t tmono, enum tk_offsets offs)
{
	timekeeping_ready();
	return (ktime_t)((uint64_t)tmono + (uint64_t)clock_offset(offs));
}
KEXPORT_GPL(ktime_mono_to_any);

/* Nanoseconds per tick of the clock source, at least 1: the host's clock
 * counts in nanoseconds. */
KAPI static uint32_t ktime_get_resolution_ns(void)
{
	struct timespec res;

	if (clock_getres(CLOCK_MONOTONIC, &res) || res.tv_sec || res.tv_nsec < 1)
		return 1;
	return (uint32_t)res.tv_nsec;
}
KEXPORT_GPL(ktime_get_resolution_ns);

KAPI static void ktime_get_ts64(struct timespec64 *ts)
{
	*ts = ns_split(mono_ns());
}
KEXPORT_GPL(ktime_get_ts64);

KAPI static void ktime_get_raw_ts64(struct timespec64 *ts)
{
	*ts = ns_split(ktime_get_raw());
}
KEXPORT(ktime_get_raw_ts64);

KAPI static void ktime_get_real_ts64(struct timespec64 *ts)
{
	host_ts64(CLOCK_REALTIME, ts);
}
KEXPORT(ktime_get_real_ts64);

KAPI static void ktime_get_coarse_ts64(struct timespec64 *ts)
{
	timekeeping_ready();
	*ts = ns_split(coarse_mono_ns());
}
KEXPORT(ktime_get_coarse_ts64);

KAPI static void ktime_get_coarse_real_ts64(struct timespec64 *ts)
{
	host_ts64(CLOCK_REALTIME_COARSE, ts);
}
KEXPORT(ktime_get_coarse_real_ts64);

/* Seconds of CLOCK_MONOTONIC as of the last tick, as Linux keeps them. */
KAPI static time64_t ktime_get_seconds(void)
{
	timekeeping_ready();
	return coarse_mono_ns() / NSEC_PER_SEC;
}
KEXPORT_GPL(ktime_get_seconds);

KAPI static time64_t ktime_get_real_seconds(void)
{
	struct timespec64 ts;

	host_ts64(CLOCK_REALTIME_COARSE, &ts);
	return ts.tv_sec;
}
KEXPORT_GPL(ktime_get_real_seconds);

/* The wall-clock time at which the emulated machine booted: REALTIME
 * minus BOOTTIME, now. */
KAPI static void getboottime64(struct timespec64 *ts)
{
	int64_t real, boot;

	timekeeping_ready();
	real = host_ns(CLOCK_REALTIME);
	boot = mono_ns() + boot_offset();
	*ts = ns_split(real - boot);
}
KEXPORT_GPL(getboottime64);

/* The NMI-safe accessors: every read here is lock-free already. */
KAPI static uint64_t ktime_get_mono_fast_ns(void)
{
	return (uint64_t)mono_ns();
}
KEXPORT_GPL(ktime_get_mono_fast_ns);

KAPI static uint64_t ktime_get_raw_fast_ns(void)
{
	return (uint64_t)ktime_get_raw();
}
KEXPORT_GPL(ktime_get_raw_fast_ns);

KAPI static uint64_t ktime_get_boot_fast_ns(void)
{
	timekeeping_ready();
	return (uint64_t)(mono_ns() + boot_offset());
}
KEXPORT_GPL(ktime_get_boot_fast_ns);

KAPI static uint64_t ktime_get_real_fast_ns(void)
{
	return (uint64_t)host_ns(CLOCK_REALTIME);
}
KEXPORT_GPL(ktime_get_real_fast_ns);

KAPI static uint64_t ktime_get_tai_fast_ns(void)
{
	return (uint64_t)host_ns(CLOCK_TAI);
}
KEXPORT_GPL(ktime_get_tai_fast_ns);

/* sched_clock() and local_clock() (sched_clock_cpu() of this CPU): the
 * clock printk stamps records with. */
KAPI static unsigned long long sched_clock(void)
{
	return local_clock_ns();
}
KEXPORT_GPL(sched_clock);

KAPI static uint64_t sched_clock_cpu(int cpu)
{
	(void)cpu;
	return local_clock_ns();
}
KEXPORT_GPL(sched_clock_cpu);

/* ---- calendar ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/* Leap days in the proleptic Gregorian years 1..y (negative y counts
 * backwards, so differences work across year 0). */
static int64_t leap_days_through(int64_t y)
{
	return floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400);
}

static bool is_leap(int64_t y)
{
	return floor_mod(y, 4) == 0 && (floor_mod(y, 100) != 0 || floor_mod(y, 400) == 0);
}

/* Days from 1970-01-01 to January 1st of year y. */
static int64_t days_to_year(int64_t y)
{
	return 365 * (y - 1970) + leap_days_through(y - 1) - leap_days_through(1969);
}

/*
 * Broken-down UTC time of totalsecs + offset seconds, proleptic Gregorian
 * calendar for every time64_t (Linux: timeconv.c).  tm_year counts from
 * 1900, tm_mon from 0, tm_yday from 0, tm_wday from Sunday.
 */
KAPI static void time64_to_tm(time64_t totalsecs, int offset, struct kernel_tm *result)
{
	static const int month_starts[2][13] = {
		{ 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 },
		{ 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366 },
	};
	int64_t days = floor_div(totalsecs, 86400);
	int64_t secs = floor_mod(totalsecs, 86400) + offset;
	int64_t year, yday;
	const int *starts;
	int mon;

	days += floor_div(secs, 86400);
	secs = floor_mod(secs, 86400);
	result->tm_hour = (int)(secs / 3600);
	result->tm_min = (int)(secs / 60 % 60);
	result->tm_sec = (int)(secs % 60);
	result->tm_wday = (int)floor_mod(days + 4, 7);	/* 1970-01-01: Thursday */

	/* 146097 days are 400 years; the estimate is at most a year off */
	year = 1970 + floor_div(days * 400, 146097);
	while (days_to_year(year) > days)
		year--;
	while (days_to_year(year + 1) <= days)
		year++;
	yday = days - days_to_year(year);
	starts = month_starts[is_leap(year)];
	for (mon = 11; yday < starts[mon]; mon--)
		;
	result->tm_year = (long)(year - 1900);
	result->tm_yday = (int)yday;
	result->tm_mon = mon;
	result->tm_mday = (int)(yday - starts[mon]) + 1;
}
KEXPORT(time64_to_tm);

/*
 * Seconds since 1970 of a Gregorian date and time (mon 1..12; hour 24 is
 * midnight of the next day).  The year is counted from March so that the
 * leap day closes it; the arithmetic is unsigned int where the kernel's
 * is, so out-of-range arguments give the kernel's results too.
 */
KAPI static time64_t mktime64(const unsigned int year0, const unsigned int mon0,
			      const unsigned int day, const unsigned int hour,
			      const unsigned int min, const unsigned int sec)
{
	unsigned int mon = mon0 - 2, year = year0;	/* March is 1, February 12 */
	uint64_t t;

	if ((int)mon <= 0) {
		mon += 12;
		year--;
	}
	/* 719499: the day count of 1970-01-01 in this reckoning */
	t = (uint64_t)(year / 4 - year / 100 + year / 400 + 367 * mon / 12 + day) +
	    year * 365 - 719499;
	t = ((t * 24 + hour) * 60 + min) * 60 + sec;
	return (time64_t)t;
}
KEXPORT(mktime64);

/* ---- jiffies conversions (the rest are in time.c) ---- */

/* TICK_NSEC: nanoseconds per jiffy, rounded. */
static uint64_t tick_nsec(void)
{
	return (1000000000ull + kernel_hz / 2) / kernel_hz;
}

KAPI static void jiffies_to_timespec64(const unsigned long j, struct timespec64 *value)
{
	uint64_t ns = (uint64_t)j * tick_nsec();

	value->tv_sec = (time64_t)(ns / NSEC_PER_SEC);
	value->tv_nsec = (long)(ns % NSEC_PER_SEC);
}
KEXPORT(jiffies_to_timespec64);

/*
 * timespec64 -> jiffies, rounding up, in the kernel's scaled fixed-point
 * arithmetic (include/linux/jiffies.h: SEC_JIFFIE_SC, SEC_CONVERSION,
 * NSEC_CONVERSION, MAX_SEC_IN_JIFFIES) so every result matches, including
 * its rounding and the clamp of huge or negative seconds.
 */
struct jiffies_scale {
	unsigned int sec_sc, nsec_sc;
	uint64_t sec_conv, nsec_conv, max_sec;
};

static struct jiffies_scale jiffies_scale(void)
{
	uint64_t tick = tick_nsec();
	uint64_t max_jiffy_offset = (uint64_t)(LONG_MAX >> 1) - 1;
	unsigned int shift_hz = 4;	/* SHIFT_HZ: 4 for HZ 12..23, +1 per doubling */
	struct jiffies_scale s;
	uint64_t n;

	while (shift_hz < 13 && kernel_hz >= 24u << (shift_hz - 4))
		shift_hz++;
	s.sec_sc = 31 - shift_hz;
	if (!((((uint64_t)NSEC_PER_SEC << 2) / tick << (s.sec_sc - 2)) & 0x80000000u))
		s.sec_sc = 32 - shift_hz;
	s.nsec_sc = s.sec_sc + 29;
	s.sec_conv = (((uint64_t)NSEC_PER_SEC << s.sec_sc) + tick - 1) / tick;
	s.nsec_conv = ((1ull << s.nsec_sc) + tick - 1) / tick;
	/* SH_DIV(N, NSEC_PER_SEC, 1) - 1: N / 1e9 rounded, in halves */
	n = (max_jiffy_offset >> s.sec_sc) * tick;
	s.max_sec = ((n / NSEC_PER_SEC) << 1) +
		    (((n % NSEC_PER_SEC) << 1) + NSEC_PER_SEC / 2) / NSEC_PER_SEC - 1;
	return s;
}

KAPI static unsigned long timespec64_to_jiffies(const struct timespec64 *value)
{
	struct jiffies_scale s = jiffies_scale();
	uint64_t sec = (uint64_t)value->tv_sec;
	long nsec = value->tv_nsec + (long)tick_nsec() - 1;

	if (sec >= s.max_sec) {
		sec = s.max_sec;
		nsec = 0;
	}
	return (unsigned long)((sec * s.sec_conv +
				(((uint64_t)nsec * s.nsec_conv) >> (s.nsec_sc - s.sec_sc))) >>
			       s.sec_sc);
}
KEXPORT(timespec64_to_jiffies);

/* clock_t counts USER_HZ ticks (times(2), /proc). */
KAPI static long jiffies_to_clock_t(unsigned long x)
{
	uint64_t tick = tick_nsec();

	if (tick % (NSEC_PER_SEC / USER_HZ) == 0) {
		if (kernel_hz < USER_HZ)
			return (long)(x * (USER_HZ / kernel_hz));
		return (long)(x / (kernel_hz / USER_HZ));
	}
	return (long)((uint64_t)x * tick / (NSEC_PER_SEC / USER_HZ));
}
KEXPORT(jiffies_to_clock_t);

KAPI static unsigned long clock_t_to_jiffies(unsigned long x)
{
	if (kernel_hz % USER_HZ == 0) {
		if (x >= ~0ul / (kernel_hz / USER_HZ))
			return ~0ul;
		return x * (kernel_hz / USER_HZ);
	}
	if (x >= ~0ul / kernel_hz * USER_HZ)
		return ~0ul;
	return (unsigned long)((uint64_t)x * kernel_hz / USER_HZ);
}
KEXPORT(clock_t_to_jiffies);

KAPI static uint64_t jiffies_64_to_clock_t(uint64_t x)
{
	uint64_t tick = tick_nsec();

	if (tick % (NSEC_PER_SEC / USER_HZ) == 0) {
		if (kernel_hz < USER_HZ)
			return x * USER_HZ / kernel_hz;
		if (kernel_hz > USER_HZ)
			return x / (kernel_hz / USER_HZ);
		return x;
	}
	return x * tick / (NSEC_PER_SEC / USER_HZ);
}
KEXPORT(jiffies_64_to_clock_t);
