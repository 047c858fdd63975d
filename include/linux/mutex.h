/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mutexes, Linux 6.1 layout without DEBUG_MUTEXES: the owning task
 * pointer with flag bits, the waiters' lock, the spinners' queue and the
 * waiters' list (32 bytes).
 */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct lock_class_key;

struct mutex {
	atomic_long_t owner;
	raw_spinlock_t wait_lock;
	struct optimistic_spin_queue osq;
	struct list_head wait_list;
};

_Static_assert(sizeof(struct mutex) == 32, "mutex");

#define __MUTEX_INITIALIZER(lockname) {					\
	.owner = { 0 },							\
	.wait_lock = __RAW_SPIN_LOCK_UNLOCKED(lockname.wait_lock),	\
	.wait_list = LIST_HEAD_INIT(lockname.wait_list) }
#define DEFINE_MUTEX(mutexname)						\
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);
#define mutex_init(mutex)	__mutex_init((mutex), #mutex, NULL)

/* nothing to tear down without DEBUG_MUTEXES */
static inline void mutex_destroy(struct mutex *lock)
{
	(void)lock;
}

void mutex_lock(struct mutex *lock);
int __must_check mutex_lock_interruptible(struct mutex *lock);
int __must_check mutex_lock_killable(struct mutex *lock);
void mutex_lock_io(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock);

#define mutex_lock_nested(lock, subclass)	mutex_lock(lock)

#endif
