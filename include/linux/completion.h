/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Completions, Linux 6.1 layout: a count of completions not yet waited
 * for ("done"; UINT_MAX after complete_all) and a simple wait queue.
 */
#ifndef _LINUX_COMPLETION_H
#define _LINUX_COMPLETION_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct lock_class_key;

/* simple wait queue (<linux/swait.h>) */
struct swait_queue_head {
	raw_spinlock_t lock;
	struct list_head task_list;
};

void __init_swait_queue_head(struct swait_queue_head *q, const char *name,
			     struct lock_class_key *key);

struct completion {
	unsigned int done;
	struct swait_queue_head wait;
};

_Static_assert(sizeof(struct completion) == 32, "completion");

#define COMPLETION_INITIALIZER(work) {					\
	.done = 0,							\
	.wait = {							\
		.lock = __RAW_SPIN_LOCK_UNLOCKED((work).wait.lock),	\
		.task_list = LIST_HEAD_INIT((work).wait.task_list),	\
	} }
#define COMPLETION_INITIALIZER_ONSTACK(work)	COMPLETION_INITIALIZER(work)

#define DECLARE_COMPLETION(work)					\
	struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work)	DECLARE_COMPLETION(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	__init_swait_queue_head(&x->wait, "&x->wait", NULL);
}

/* Reuse a completion: forget the completions not waited for. */
static inline void reinit_completion(struct completion *x)
{
	x->done = 0;
}

void wait_for_completion(struct completion *x);
void wait_for_completion_io(struct completion *x);
int wait_for_completion_interruptible(struct completion *x);
int wait_for_completion_killable(struct completion *x);
int wait_for_completion_state(struct completion *x, unsigned int state);
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
unsigned long wait_for_completion_io_timeout(struct completion *x,
					     unsigned long timeout);
long wait_for_completion_interruptible_timeout(struct completion *x,
					       unsigned long timeout);
long wait_for_completion_killable_timeout(struct completion *x,
					  unsigned long timeout);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

void complete(struct completion *x);
void complete_all(struct completion *x);

#endif
