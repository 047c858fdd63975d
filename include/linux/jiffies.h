/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/types.h>

/* The built-in kmodfs kernel profile runs at HZ=250, as Debian's. */
#define HZ 250
#define USER_HZ 100
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

extern u64 jiffies_64;
extern unsigned long volatile jiffies;

static inline u64 get_jiffies_64(void)
{
	return (u64)jiffies;
}

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_in_range(a, b, c)	(time_after_eq(a, b) && time_before_eq(a, c))
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)
#define time_is_before_eq_jiffies(a)	time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a)	time_before_eq(jiffies, a)

unsigned int jiffies_to_msecs(const unsigned long j);
unsigned int jiffies_to_usecs(const unsigned long j);
unsigned long __msecs_to_jiffies(const unsigned int m);
unsigned long __usecs_to_jiffies(const unsigned int u);
u64 jiffies64_to_nsecs(u64 j);
u64 jiffies64_to_msecs(u64 j);
u64 nsecs_to_jiffies64(u64 n);
unsigned long nsecs_to_jiffies(u64 n);

static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	return __msecs_to_jiffies(m);
}

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return __usecs_to_jiffies(u);
}

unsigned long round_jiffies(unsigned long j);
unsigned long round_jiffies_relative(unsigned long j);
unsigned long round_jiffies_up(unsigned long j);
unsigned long round_jiffies_up_relative(unsigned long j);

#endif
