/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rate limiting, Linux 6.1 layout: at most `burst` events per `interval`
 * jiffies; the first event of a new interval reports how many were
 * suppressed ("FUNC: N callbacks suppressed").  Also printk_ratelimited()
 * and the pr_*_ratelimited() family.
 */
#ifndef _LINUX_RATELIMIT_H
#define _LINUX_RATELIMIT_H

#include <linux/jiffies.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define DEFAULT_RATELIMIT_INTERVAL	(5 * HZ)
#define DEFAULT_RATELIMIT_BURST		10
#define RATELIMIT_MSG_ON_RELEASE	(1UL << 0)

struct ratelimit_state {
	raw_spinlock_t lock;
	int interval;
	int burst;
	int printed;
	int missed;
	unsigned long begin;
	unsigned long flags;
};

_Static_assert(sizeof(struct ratelimit_state) == 40, "ratelimit_state");

#define RATELIMIT_STATE_INIT(name, interval_init, burst_init) {	\
	.lock = __RAW_SPIN_LOCK_UNLOCKED(name.lock),			\
	.interval = (interval_init),					\
	.burst = (burst_init) }
#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init)	\
	struct ratelimit_state name =					\
		RATELIMIT_STATE_INIT(name, interval_init, burst_init)

static inline void ratelimit_state_init(struct ratelimit_state *rs,
					int interval, int burst)
{
	__builtin_memset(rs, 0, sizeof(*rs));
	rs->interval = interval;
	rs->burst = burst;
}

static inline void ratelimit_set_flags(struct ratelimit_state *rs, unsigned long flags)
{
	rs->flags = flags;
}

/* With RATELIMIT_MSG_ON_RELEASE: say at the end what was suppressed. */
static inline void ratelimit_state_exit(struct ratelimit_state *rs)
{
	if (!(rs->flags & RATELIMIT_MSG_ON_RELEASE) || !rs->missed)
		return;
	printk(KERN_WARNING "%s: %d output lines suppressed due to ratelimiting\n",
	       current->comm, rs->missed);
	rs->missed = 0;
}

int ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(state)	___ratelimit(state, __func__)

int __printk_ratelimit(const char *func);
#define printk_ratelimit()	__printk_ratelimit(__func__)
bool printk_timed_ratelimit(unsigned long *caller_jiffies, unsigned int interval_msec);

#define printk_ratelimited(fmt, ...)					\
({									\
	static DEFINE_RATELIMIT_STATE(__kmodfs_rs,			\
				      DEFAULT_RATELIMIT_INTERVAL,	\
				      DEFAULT_RATELIMIT_BURST);		\
									\
	if (__ratelimit(&__kmodfs_rs))					\
		printk(fmt, ##__VA_ARGS__);				\
})

#define pr_emerg_ratelimited(fmt, ...)	printk_ratelimited(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert_ratelimited(fmt, ...)	printk_ratelimited(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit_ratelimited(fmt, ...)	printk_ratelimited(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)	printk_ratelimited(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	printk_ratelimited(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice_ratelimited(fmt, ...)	printk_ratelimited(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)	printk_ratelimited(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)

#endif
