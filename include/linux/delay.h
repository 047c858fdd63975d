/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

#include <linux/types.h>

void __udelay(unsigned long usecs);
void __ndelay(unsigned long nsecs);
void __const_udelay(unsigned long xloops);

/* the argument scaling of arch/x86/include/asm/delay.h */
#define udelay(n) __const_udelay((unsigned long)(n) * 0x10c7ul)
#define ndelay(n) __const_udelay((unsigned long)(n) * 5ul)
#define mdelay(n) ({ unsigned long __ms = (n); while (__ms--) udelay(1000); })

void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);
void usleep_range_state(unsigned long min, unsigned long max, unsigned int state);

#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_IDLE 0x0402

static inline void usleep_range(unsigned long min, unsigned long max)
{
	usleep_range_state(min, max, TASK_UNINTERRUPTIBLE);
}

static inline void ssleep(unsigned int seconds)
{
	msleep(seconds * 1000);
}

#endif
