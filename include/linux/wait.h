/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Wait queues, Linux 6.1 layouts: a wait_queue_head is a spinlock and a
 * list of wait_queue_entry (flags, the waiting task, its wake function,
 * the list link).  wait_event() and friends are the kernel's loop: queue
 * the entry and set the task state (prepare_to_wait_event), test the
 * condition, sleep (schedule/schedule_timeout), and finally
 * finish_wait().
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct lock_class_key;
struct wait_queue_entry;

typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01
#define WQ_FLAG_WOKEN		0x02
#define WQ_FLAG_BOOKMARK	0x04
#define WQ_FLAG_CUSTOM		0x08
#define WQ_FLAG_DONE		0x10
#define WQ_FLAG_PRIORITY	0x20

struct wait_queue_entry {
	unsigned int flags;
	void *private;			/* the task */
	wait_queue_func_t func;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

_Static_assert(sizeof(struct wait_queue_entry) == 40, "wait_queue_entry");
_Static_assert(sizeof(struct wait_queue_head) == 24, "wait_queue_head");

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int flags, void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int sync, void *key);
int woken_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			int sync, void *key);

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = __SPIN_LOCK_UNLOCKED(name.lock),			\
	.head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name)					\
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name,
			   struct lock_class_key *key);
#define init_waitqueue_head(wq_head)	__init_waitqueue_head((wq_head), #wq_head, NULL)

#define __WAITQUEUE_INITIALIZER(name, tsk) {				\
	.private = (tsk),						\
	.func = default_wake_function,					\
	.entry = { NULL, NULL } }
#define DECLARE_WAITQUEUE(name, tsk)					\
	struct wait_queue_entry name = __WAITQUEUE_INITIALIZER(name, tsk)

static inline void init_waitqueue_entry(struct wait_queue_entry *wq_entry,
					struct task_struct *p)
{
	wq_entry->flags = 0;
	wq_entry->private = p;
	wq_entry->func = default_wake_function;
}

static inline void init_waitqueue_func_entry(struct wait_queue_entry *wq_entry,
					     wait_queue_func_t func)
{
	wq_entry->flags = 0;
	wq_entry->private = NULL;
	wq_entry->func = func;
}

#define DEFINE_WAIT_FUNC(name, function)				\
	struct wait_queue_entry name = {				\
		.private = current,					\
		.func = function,					\
		.entry = LIST_HEAD_INIT((name).entry) }
#define DEFINE_WAIT(name)	DEFINE_WAIT_FUNC(name, autoremove_wake_function)

#define init_wait(wait)							\
	do {								\
		(wait)->private = current;				\
		(wait)->func = autoremove_wake_function;		\
		INIT_LIST_HEAD(&(wait)->entry);				\
		(wait)->flags = 0;					\
	} while (0)

static inline int waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

/* waitqueue_active() after a full barrier (pairs with the waiter's) */
static inline bool wq_has_sleeper(struct wait_queue_head *wq_head)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return waitqueue_active(wq_head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     int state);
bool prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state);
long prepare_to_wait_event(struct wait_queue_head *wq_head,
			   struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void init_wait_entry(struct wait_queue_entry *wq_entry, int flags);
long wait_woken(struct wait_queue_entry *wq_entry, unsigned int mode, long timeout);

void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key);
void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr);
void __wake_up_locked_key(struct wait_queue_head *wq_head, unsigned int mode, void *key);
void __wake_up_sync(struct wait_queue_head *wq_head, unsigned int mode);
void __wake_up_sync_key(struct wait_queue_head *wq_head, unsigned int mode, void *key);

#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_locked(x)		__wake_up_locked((x), TASK_NORMAL, 1)
#define wake_up_all_locked(x)		__wake_up_locked((x), TASK_NORMAL, 0)
#define wake_up_interruptible(x)	__wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_nr(x, nr)	__wake_up(x, TASK_INTERRUPTIBLE, nr, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_interruptible_sync(x)	__wake_up_sync((x), TASK_INTERRUPTIBLE)

/* Whether a sleep in this state ends on a signal. */
#define __kmodfs_wait_signalable(state)					\
	(!__builtin_constant_p(state) ||				\
	 (state) == TASK_INTERRUPTIBLE || (state) == TASK_KILLABLE)

/*
 * The wait loop: evaluates to its __ret, which starts as `ret` and which
 * `sleep` may update; a pending signal (interruptible states only) ends
 * it with prepare_to_wait_event()'s error.
 */
#define __kmodfs_wait(wq_head, condition, state, exclusive, ret, sleep)	\
({									\
	struct wait_queue_entry __wq_entry;				\
	long __ret = (ret);						\
									\
	init_wait_entry(&__wq_entry, (exclusive) ? WQ_FLAG_EXCLUSIVE : 0); \
	for (;;) {							\
		long __intr = prepare_to_wait_event(&(wq_head), &__wq_entry, \
						    (state));		\
		if (condition)						\
			break;						\
		if (__kmodfs_wait_signalable(state) && __intr) {	\
			__ret = __intr;					\
			break;						\
		}							\
		sleep;							\
	}								\
	finish_wait(&(wq_head), &__wq_entry);				\
	__ret;								\
})

/* A condition for the timed waits: true also once the time is up (and
 * then __ret is 0); true on time with __ret at least 1. */
#define __kmodfs_cond_timeout(condition)				\
({									\
	bool __cond = (condition);					\
	if (__cond && !__ret)						\
		__ret = 1;						\
	__cond || !__ret;						\
})

#define wait_event(wq_head, condition)					\
do {									\
	might_sleep();							\
	if (condition)							\
		break;							\
	(void)__kmodfs_wait(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, \
			    schedule());				\
} while (0)

#define wait_event_idle(wq_head, condition)				\
do {									\
	might_sleep();							\
	if (condition)							\
		break;							\
	(void)__kmodfs_wait(wq_head, condition, TASK_IDLE, 0, 0, schedule()); \
} while (0)

/* 0 if it timed out with the condition false, else the jiffies left
 * (at least 1). */
#define wait_event_timeout(wq_head, condition, timeout)		\
({									\
	long __ret = (timeout);						\
									\
	might_sleep();							\
	if (!__kmodfs_cond_timeout(condition))				\
		__ret = __kmodfs_wait(wq_head,				\
				      __kmodfs_cond_timeout(condition),	\
				      TASK_UNINTERRUPTIBLE, 0, (timeout), \
				      __ret = schedule_timeout(__ret));	\
	__ret;								\
})

/* 0, or -ERESTARTSYS on a signal */
#define wait_event_interruptible(wq_head, condition)			\
({									\
	int __ret = 0;							\
									\
	might_sleep();							\
	if (!(condition))						\
		__ret = __kmodfs_wait(wq_head, condition, TASK_INTERRUPTIBLE, \
				      0, 0, schedule());		\
	__ret;								\
})

#define wait_event_interruptible_exclusive(wq_head, condition)		\
({									\
	int __ret = 0;							\
									\
	might_sleep();							\
	if (!(condition))						\
		__ret = __kmodfs_wait(wq_head, condition, TASK_INTERRUPTIBLE, \
				      1, 0, schedule());		\
	__ret;								\
})

#define wait_event_killable(wq_head, condition)			\
({									\
	int __ret = 0;							\
									\
	might_sleep();							\
	if (!(condition))						\
		__ret = __kmodfs_wait(wq_head, condition, TASK_KILLABLE, \
				      0, 0, schedule());		\
	__ret;								\
})

#define wait_event_interruptible_timeout(wq_head, condition, timeout)	\
({									\
	long __ret = (timeout);						\
									\
	might_sleep();							\
	if (!__kmodfs_cond_timeout(condition))				\
		__ret = __kmodfs_wait(wq_head,				\
				      __kmodfs_cond_timeout(condition),	\
				      TASK_INTERRUPTIBLE, 0, (timeout),	\
				      __ret = schedule_timeout(__ret));	\
	__ret;								\
})

#endif
