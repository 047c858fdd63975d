/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel timers: struct timer_list is 40 bytes, as in Linux 6.1 x86-64. */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H

#include <linux/container_of.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/poison.h>
#include <linux/types.h>

struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *);
	u32 flags;
};

struct lock_class_key;

#define TIMER_CPUMASK		0x0003FFFF
#define TIMER_MIGRATING		0x00040000
#define TIMER_DEFERRABLE	0x00080000
#define TIMER_PINNED		0x00100000
#define TIMER_IRQSAFE		0x00200000

#define __TIMER_INITIALIZER(_function, _flags) {		\
		.entry = { .next = TIMER_ENTRY_STATIC },	\
		.function = (_function),			\
		.flags = (_flags),				\
	}

#define DEFINE_TIMER(_name, _function) \
	struct timer_list _name = __TIMER_INITIALIZER(_function, 0)

void init_timer_key(struct timer_list *timer,
		    void (*func)(struct timer_list *), unsigned int flags,
		    const char *name, struct lock_class_key *key);

#define timer_setup(timer, callback, flags) \
	init_timer_key((timer), (callback), (flags), #timer, NULL)

#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, typeof(*var), timer_fieldname)

static inline int timer_pending(const struct timer_list *timer)
{
	return !hlist_unhashed_lockless(&timer->entry);
}

void add_timer_on(struct timer_list *timer, int cpu);
int mod_timer(struct timer_list *timer, unsigned long expires);
int mod_timer_pending(struct timer_list *timer, unsigned long expires);
int timer_reduce(struct timer_list *timer, unsigned long expires);
void add_timer(struct timer_list *timer);
int try_to_del_timer_sync(struct timer_list *timer);
int timer_delete_sync(struct timer_list *timer);
int timer_delete(struct timer_list *timer);
int timer_shutdown_sync(struct timer_list *timer);
int timer_shutdown(struct timer_list *timer);

static inline int del_timer_sync(struct timer_list *timer)
{
	return timer_delete_sync(timer);
}

static inline int del_timer(struct timer_list *timer)
{
	return timer_delete(timer);
}

#endif
