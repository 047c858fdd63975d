// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jiffies, the tick thread and the sleeping/conversion helpers modules
 * use.  jiffies is computed from CLOCK_MONOTONIC at every tick, so a late
 * tick never makes time drift; jiffies_64 and jiffies are one object, as
 * the kernel's linker script makes them on 64-bit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "kernel/export.h"
#include "kernel/logbuf.h"
#include "kernel/percpu.h"
#include "kernel/time.h"

volatile unsigned long jiffies_64 __attribute__((aligned(64)));
extern volatile unsigned long jiffies __attribute__((alias("jiffies_64")));
KEXPORT(jiffies_64);
KEXPORT(jiffies);

unsigned int kernel_hz = 250;

static pthread_t tick_thread;
static bool tick_started;
static pthread_mutex_t tick_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tick_cond;
static int tick_users;
static bool tick_stop;

unsigned long jiffies_now(void)
{
	uint64_t ns = local_clock_ns();
	unsigned long j = INITIAL_JIFFIES(kernel_hz) +
			  (unsigned long)(ns / (1000000000ull / kernel_hz));

	/* only ever move forward, whoever updates it */
	unsigned long old = jiffies_64;
	while (time_after(j, old) &&
	       !__atomic_compare_exchange_n(&jiffies_64, &old, j, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return jiffies_64;
}

static void *tick_main(void *arg)
{
	uint64_t period = 1000000000ull / kernel_hz;
	struct timespec next;

	(void)arg;
	percpu_thread_enter();
	pthread_mutex_lock(&tick_lock);
	for (;;) {
		while (!tick_stop && tick_users == 0 && !timers_pending())
			pthread_cond_wait(&tick_cond, &tick_lock);
		if (tick_stop)
			break;
		pthread_mutex_unlock(&tick_lock);

		run_timers(jiffies_now());

		/* sleep to the next jiffy boundary of the emulated clock */
		uint64_t now = local_clock_ns();
		uint64_t wake = (now / period + 1) * period;
		clock_gettime(CLOCK_MONOTONIC, &next);
		uint64_t delta = wake - now;
		next.tv_sec += (time_t)(delta / 1000000000ull);
		next.tv_nsec += (long)(delta % 1000000000ull);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
		pthread_mutex_lock(&tick_lock);
	}
	pthread_mutex_unlock(&tick_lock);
	return NULL;
}

int time_init(unsigned int hz)
{
	pthread_condattr_t a;
	int r;

	if (tick_started)
		return 0;
	if (hz == 0 || hz > 10000)
		return -EINVAL;
	kernel_hz = hz;
	jiffies_64 = INITIAL_JIFFIES(hz);
	jiffies_now();
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&tick_cond, &a);
	pthread_condattr_destroy(&a);
	tick_stop = false;
	r = pthread_create(&tick_thread, NULL, tick_main, NULL);
	if (r)
		return -r;
	pthread_setname_np(tick_thread, "kmodfs-tick");
	tick_started = true;
	return 0;
}

void time_shutdown(void)
{
	if (!tick_started)
		return;
	pthread_mutex_lock(&tick_lock);
	tick_stop = true;
	pthread_cond_broadcast(&tick_cond);
	pthread_mutex_unlock(&tick_lock);
	pthread_join(tick_thread, NULL);
	tick_started = false;
}

void tick_get(void)
{
	jiffies_now();
	pthread_mutex_lock(&tick_lock);
	if (tick_users++ == 0)
		pthread_cond_broadcast(&tick_cond);
	pthread_mutex_unlock(&tick_lock);
}

void tick_put(void)
{
	pthread_mutex_lock(&tick_lock);
	tick_users--;
	pthread_mutex_unlock(&tick_lock);
}

void tick_kick(void)
{
	pthread_mutex_lock(&tick_lock);
	pthread_cond_broadcast(&tick_cond);
	pthread_mutex_unlock(&tick_lock);
}

/* ---- conversions (kernel/time/time.c semantics: round up) ---- */

KAPI unsigned long kmodfs_msecs_to_jiffies(unsigned int m)
{
	if ((int)m < 0)
		return (unsigned long)(long)((~0ul >> 1) - 1); /* MAX_JIFFY_OFFSET */
	return ((unsigned long)m * kernel_hz + 999) / 1000;
}
KEXPORT_AS("__msecs_to_jiffies", kmodfs_msecs_to_jiffies);

KAPI static unsigned long kapi_usecs_to_jiffies(unsigned int u)
{
	if ((int)u < 0)
		return (~0ul >> 1) - 1;
	return ((unsigned long)u * kernel_hz + 999999) / 1000000;
}
KEXPORT_AS("__usecs_to_jiffies", kapi_usecs_to_jiffies);

KAPI unsigned int kmodfs_jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * 1000 / kernel_hz);
}
KEXPORT_AS("jiffies_to_msecs", kmodfs_jiffies_to_msecs);

KAPI static unsigned int kapi_jiffies_to_usecs(unsigned long j)
{
	return (unsigned int)(j * (1000000 / kernel_hz));
}
KEXPORT_AS("jiffies_to_usecs", kapi_jiffies_to_usecs);

KAPI static uint64_t jiffies64_to_nsecs(uint64_t j)
{
	return j * (1000000000ull / kernel_hz);
}
KEXPORT(jiffies64_to_nsecs);

KAPI static uint64_t jiffies64_to_msecs(uint64_t j)
{
	return j * 1000 / kernel_hz;
}
KEXPORT(jiffies64_to_msecs);

KAPI static uint64_t nsecs_to_jiffies64(uint64_t n)
{
	return n / (1000000000ull / kernel_hz);
}
KEXPORT(nsecs_to_jiffies64);

KAPI static unsigned long nsecs_to_jiffies(uint64_t n)
{
	return (unsigned long)nsecs_to_jiffies64(n);
}
KEXPORT_GPL(nsecs_to_jiffies);

/* ---- sleeping ---- */

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull),
			       (long)(ns % 1000000000ull) };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

long schedule_timeout_uninterruptible(long timeout)
{
	unsigned long end;

	if (timeout <= 0)
		return 0;
	end = jiffies_now() + (unsigned long)timeout;
	while (time_before(jiffies_now(), end))
		sleep_ns((end - jiffies_now()) * (1000000000ull / kernel_hz));
	return 0;
}

/* The exported schedule_timeout*() family is in sched.c: those sleeps
 * end early on wake_up_process(); this one (msleep's) never does. */

/* Like Linux: at least msecs_to_jiffies(m) + 1 jiffies. */
KAPI static void msleep(unsigned int msecs)
{
	schedule_timeout_uninterruptible((long)kmodfs_msecs_to_jiffies(msecs) + 1);
}
KEXPORT(msleep);

KAPI static unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}
KEXPORT(msleep_interruptible);

KAPI static void usleep_range_state(unsigned long min, unsigned long max,
				    unsigned int state)
{
	(void)state;
	sleep_ns((min + (max > min ? (max - min) / 2 : 0)) * 1000ull);
}
KEXPORT(usleep_range_state);

/* Busy-wait delays (arch/x86/lib/delay.c): the argument scaling matches
 * the inline udelay()/ndelay() of the kernel headers. */
static void busy_wait_ns(uint64_t ns)
{
	uint64_t end = local_clock_ns() + ns;

	while (local_clock_ns() < end)
		__builtin_ia32_pause();
}

KAPI static void __udelay(unsigned long usecs)
{
	busy_wait_ns(usecs * 1000ull);
}
KEXPORT(__udelay);

KAPI static void __ndelay(unsigned long nsecs)
{
	busy_wait_ns(nsecs);
}
KEXPORT(__ndelay);

/* udelay(n) passes xloops = n * 0x10c7 (2^32 / 10^6 per usec) and
 * ndelay(n) passes n * 5 (2^32 / 10^9 per nsec, rounded up), so the
 * delay in nanoseconds is xloops * 10^9 / 2^32. */
KAPI static void __const_udelay(unsigned long xloops)
{
	busy_wait_ns((uint64_t)(((unsigned __int128)xloops * 1000000000u) >> 32));
}
KEXPORT(__const_udelay);
