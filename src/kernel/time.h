/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Emulated kernel time: jiffies advancing at HZ from Linux's
 * INITIAL_JIFFIES, driven by a tick thread that also runs expired timers
 * (the timer softirq).  The tick only runs while someone needs it (a
 * loaded module, a pending timer): an idle daemon does not wake up 250
 * times a second.
 */
#ifndef KMODFS_KERNEL_TIME_H
#define KMODFS_KERNEL_TIME_H

#include <stdbool.h>
#include <stdint.h>

extern volatile unsigned long jiffies_64;
extern volatile unsigned long jiffies;
extern unsigned int kernel_hz;

/* Linux: INITIAL_JIFFIES = (unsigned long)(unsigned int)(-300 * HZ) */
#define INITIAL_JIFFIES(hz) ((unsigned long)(unsigned int)(-300 * (int)(hz)))

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)

/* Start the clock at HZ (once, before any module loads). */
int time_init(unsigned int hz);
/* Stop the tick thread (daemon exit). */
void time_shutdown(void);

/* Keep the tick running while the count is > 0. */
void tick_get(void);
void tick_put(void);
/* Wake an idle tick thread (timer.c, when a timer is queued). */
void tick_kick(void);

/* Recompute jiffies from the clock now (for the daemon's own readers). */
unsigned long jiffies_now(void);

unsigned long kmodfs_msecs_to_jiffies(unsigned int m);
unsigned int kmodfs_jiffies_to_msecs(unsigned long j);

/* Sleep until at least `timeout` jiffies have passed; returns 0. */
long schedule_timeout_uninterruptible(long timeout);

/* Timer softirq entry, called by the tick thread once per tick. */
void run_timers(unsigned long now);
/* True while timers are pending: keeps the tick alive. */
bool timers_pending(void);

#endif
