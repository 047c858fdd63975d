// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/ratelimit.c for modules: ___ratelimit() on a struct
 * ratelimit_state (a raw spinlock, jiffies), printk_ratelimit() with the
 * kernel's defaults (10 messages per 5 s) and printk_timed_ratelimit().
 */
#include <stdbool.h>

#include "kernel/export.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/time.h"

/* ---- ratelimit (lib/ratelimit.c) ---- */

KAPI static int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	int interval = __atomic_load_n(&rs->interval, __ATOMIC_RELAXED);
	int burst = __atomic_load_n(&rs->burst, __ATOMIC_RELAXED);
	unsigned long now;
	int ret;

	if (!interval)
		return 1;
	/* contended: somebody is deciding right now, so suppress */
	if (!kspin_trylock(&rs->lock))
		return 0;
	now = jiffies_now();
	if (!rs->begin)
		rs->begin = now;
	if (time_after(now, rs->begin + (unsigned long)interval)) {
		if (rs->missed && !(rs->flags & RATELIMIT_MSG_ON_RELEASE)) {
			printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, rs->missed);
			rs->missed = 0;
		}
		rs->begin = now;
		rs->printed = 0;
	}
	if (burst && burst > rs->printed) {
		rs->printed++;
		ret = 1;
	} else {
		rs->missed++;
		ret = 0;
	}
	kspin_unlock(&rs->lock);
	return ret;
}
KEXPORT(___ratelimit);

static struct ratelimit_state printk_ratelimit_state;

KAPI static int __printk_ratelimit(const char *func)
{
	if (!__atomic_load_n(&printk_ratelimit_state.interval, __ATOMIC_ACQUIRE)) {
		printk_ratelimit_state.burst = 10;	/* printk_ratelimit_burst */
		__atomic_store_n(&printk_ratelimit_state.interval, 5 * (int)kernel_hz,
				 __ATOMIC_RELEASE);
	}
	return ___ratelimit(&printk_ratelimit_state, func);
}
KEXPORT(__printk_ratelimit);

KAPI static bool printk_timed_ratelimit(unsigned long *caller_jiffies,
					unsigned int interval_msecs)
{
	unsigned long now = jiffies_now();

	if (*caller_jiffies &&
	    now - *caller_jiffies <= kmodfs_msecs_to_jiffies(interval_msecs))
		return false;
	*caller_jiffies = now;
	return true;
}
KEXPORT(printk_timed_ratelimit);
