// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sleeping locks for modules (kernel/locking/mutex.c, rwsem.c,
 * semaphore.c), on the struct layouts of sched_abi.h.
 *
 * Waiters queue on the lock's wait_list under its wait_lock (a raw
 * spinlock, locking.c) and sleep in schedule() (sched.c: a futex on the
 * task's __state); the releaser wakes them with wake_up_process().  No
 * signal ever reaches module code, so the _interruptible/_killable
 * variants always get the lock and return 0.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "kernel/export.h"
#include "kernel/list.h"
#include "kernel/sched_abi.h"

/* ---- mutexes ---- */

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
};

static unsigned long mutex_owner_task(unsigned long owner)
{
	return owner & ~MUTEX_FLAGS;
}

static bool mutex_try_acquire(struct mutex *m, struct task_struct *me)
{
	unsigned long o = __atomic_load_n(&m->owner, __ATOMIC_RELAXED);

	while (!mutex_owner_task(o))
		if (__atomic_compare_exchange_n(&m->owner, &o,
						(unsigned long)me | (o & MUTEX_FLAGS),
						false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	return false;
}

KAPI static void __mutex_init(struct mutex *lock, const char *name, void *key)
{
	(void)name;
	(void)key;
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	lock->wait_lock.val = 0;
	lock->osq = 0;
	INIT_LIST_HEAD(&lock->wait_list);
}
KEXPORT(__mutex_init);

void kmutex_lock(struct mutex *m)
{
	struct task_struct *me = task_current();
	struct mutex_waiter w = { .task = me };
	unsigned long o = 0;

	if (__atomic_compare_exchange_n(&m->owner, &o, (unsigned long)me, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	kspin_lock(&m->wait_lock);
	if (mutex_try_acquire(m, me)) {
		kspin_unlock(&m->wait_lock);
		return;
	}
	list_add_tail(&w.list, &m->wait_list);
	__atomic_fetch_or(&m->owner, MUTEX_FLAG_WAITERS, __ATOMIC_SEQ_CST);
	for (;;) {
		/* state first: an unlock after the check below wakes us */
		task_set_state(me, TASK_UNINTERRUPTIBLE);
		if (mutex_try_acquire(m, me))
			break;
		kspin_unlock(&m->wait_lock);
		task_schedule();
		kspin_lock(&m->wait_lock);
	}
	task_set_state(me, TASK_RUNNING);
	list_del_init(&w.list);
	if (list_empty(&m->wait_list))
		__atomic_fetch_and(&m->owner, ~MUTEX_FLAGS, __ATOMIC_RELAXED);
	kspin_unlock(&m->wait_lock);
}

KAPI static void mutex_lock(struct mutex *lock)
{
	kmutex_lock(lock);
}
KEXPORT(mutex_lock);

KAPI static int mutex_lock_interruptible(struct mutex *lock)
{
	kmutex_lock(lock);
	return 0;
}
KEXPORT(mutex_lock_interruptible);

KAPI static int mutex_lock_killable(struct mutex *lock)
{
	kmutex_lock(lock);
	return 0;
}
KEXPORT(mutex_lock_killable);

KAPI static void mutex_lock_io(struct mutex *lock)
{
	kmutex_lock(lock);
}
KEXPORT_GPL(mutex_lock_io);

KAPI static int mutex_trylock(struct mutex *lock)
{
	return mutex_try_acquire(lock, task_current());
}
KEXPORT(mutex_trylock);

KAPI static bool mutex_is_locked(struct mutex *lock)
{
	return mutex_owner_task(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED)) != 0;
}
KEXPORT(mutex_is_locked);

void kmutex_unlock(struct mutex *lock)
{
	unsigned long o = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&lock->owner, &o, o & MUTEX_FLAGS, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	if (o & MUTEX_FLAG_WAITERS) {
		kspin_lock(&lock->wait_lock);
		if (!list_empty(&lock->wait_list))
			task_wake(list_entry(lock->wait_list.next, struct mutex_waiter,
					     list)->task, TASK_NORMAL);
		kspin_unlock(&lock->wait_lock);
	}
}

KAPI static void mutex_unlock(struct mutex *lock)
{
	kmutex_unlock(lock);
}
KEXPORT(mutex_unlock);

KAPI static int atomic_dec_and_mutex_lock(int *cnt, struct mutex *lock)
{
	int v = __atomic_load_n(cnt, __ATOMIC_RELAXED);

	/* atomic_add_unless(cnt, -1, 1) */
	while (v != 1)
		if (__atomic_compare_exchange_n(cnt, &v, v - 1, false, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED))
			return 0;
	kmutex_lock(lock);
	if (__atomic_sub_fetch(cnt, 1, __ATOMIC_SEQ_CST) != 0) {
		mutex_unlock(lock);
		return 0;
	}
	return 1;
}
KEXPORT(atomic_dec_and_mutex_lock);

/* ---- read-write semaphores ---- */

struct rwsem_waiter {
	struct list_head list;
	struct task_struct *task;
	bool writer;
	int granted;
};

KAPI static void __init_rwsem(struct rw_semaphore *sem, const char *name, void *key)
{
	(void)name;
	(void)key;
	__atomic_store_n(&sem->count, 0, __ATOMIC_RELAXED);
	sem->owner = 0;
	sem->osq = 0;
	sem->wait_lock.val = 0;
	INIT_LIST_HEAD(&sem->wait_list);
}
KEXPORT(__init_rwsem);

static bool rwsem_cmpxchg(struct rw_semaphore *sem, long *old, long new)
{
	return __atomic_compare_exchange_n(&sem->count, old, new, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void rwsem_grant_one(struct rwsem_waiter *w)
{
	list_del_init(&w->list);
	__atomic_store_n(&w->granted, 1, __ATOMIC_RELEASE);
	task_wake(w->task, TASK_NORMAL);
}

/*
 * Hand the lock to the waiters at the head of the queue if it is free
 * for them: a writer when nobody holds it, or every reader queued ahead
 * of the first writer when no writer holds it.  Called with wait_lock.
 */
static void rwsem_grant(struct rw_semaphore *sem)
{
	struct rwsem_waiter *w, *n;
	long c = __atomic_load_n(&sem->count, __ATOMIC_RELAXED);

	if (!list_empty(&sem->wait_list)) {
		w = list_entry(sem->wait_list.next, struct rwsem_waiter, list);
		if (w->writer) {
			for (;;) {
				if (c & (RWSEM_WRITER_LOCKED | RWSEM_READER_MASK))
					return;
				if (rwsem_cmpxchg(sem, &c, c | RWSEM_WRITER_LOCKED))
					break;
			}
			sem->owner = (unsigned long)w->task;
			rwsem_grant_one(w);
		} else {
			long nr = 0;

			list_for_each_entry(w, &sem->wait_list, list) {
				if (w->writer)
					break;
				nr++;
			}
			for (;;) {
				if (c & RWSEM_WRITER_LOCKED)
					return;
				if (rwsem_cmpxchg(sem, &c, c + nr * RWSEM_READER_BIAS))
					break;
			}
			list_for_each_entry_safe(w, n, &sem->wait_list, list) {
				if (w->writer)
					break;
				sem->owner = (unsigned long)w->task | RWSEM_READER_OWNED;
				rwsem_grant_one(w);
			}
		}
	}
	if (list_empty(&sem->wait_list))
		__atomic_fetch_and(&sem->count, ~RWSEM_FLAG_WAITERS, __ATOMIC_RELAXED);
}

static void rwsem_wait(struct rw_semaphore *sem, bool writer)
{
	struct task_struct *me = task_current();
	struct rwsem_waiter w = { .task = me, .writer = writer };

	kspin_lock(&sem->wait_lock);
	list_add_tail(&w.list, &sem->wait_list);
	__atomic_fetch_or(&sem->count, RWSEM_FLAG_WAITERS, __ATOMIC_SEQ_CST);
	rwsem_grant(sem);	/* the holder may have left meanwhile */
	for (;;) {
		task_set_state(me, TASK_UNINTERRUPTIBLE);
		if (__atomic_load_n(&w.granted, __ATOMIC_ACQUIRE))
			break;
		kspin_unlock(&sem->wait_lock);
		task_schedule();
		kspin_lock(&sem->wait_lock);
	}
	task_set_state(me, TASK_RUNNING);
	kspin_unlock(&sem->wait_lock);
}

static bool rwsem_read_trylock(struct rw_semaphore *sem)
{
	long c = __atomic_load_n(&sem->count, __ATOMIC_RELAXED);

	while (!(c & (RWSEM_WRITER_LOCKED | RWSEM_FLAG_WAITERS | RWSEM_FLAG_HANDOFF)))
		if (rwsem_cmpxchg(sem, &c, c + RWSEM_READER_BIAS)) {
			sem->owner = (unsigned long)task_current() | RWSEM_READER_OWNED;
			return true;
		}
	return false;
}

static bool rwsem_write_trylock(struct rw_semaphore *sem)
{
	long c = __atomic_load_n(&sem->count, __ATOMIC_RELAXED);

	while (!(c & (RWSEM_WRITER_LOCKED | RWSEM_READER_MASK)))
		if (rwsem_cmpxchg(sem, &c, c | RWSEM_WRITER_LOCKED)) {
			sem->owner = (unsigned long)task_current();
			return true;
		}
	return false;
}

static void rwsem_down_read(struct rw_semaphore *sem)
{
	if (!rwsem_read_trylock(sem))
		rwsem_wait(sem, false);
}

static void rwsem_down_write(struct rw_semaphore *sem)
{
	long c = 0;

	if (rwsem_cmpxchg(sem, &c, RWSEM_WRITER_LOCKED)) {
		sem->owner = (unsigned long)task_current();
		return;
	}
	rwsem_wait(sem, true);
}

KAPI static void down_read(struct rw_semaphore *sem)
{
	rwsem_down_read(sem);
}
KEXPORT(down_read);

KAPI static int down_read_interruptible(struct rw_semaphore *sem)
{
	rwsem_down_read(sem);
	return 0;
}
KEXPORT(down_read_interruptible);

KAPI static int down_read_killable(struct rw_semaphore *sem)
{
	rwsem_down_read(sem);
	return 0;
}
KEXPORT(down_read_killable);

KAPI static int down_read_trylock(struct rw_semaphore *sem)
{
	return rwsem_read_trylock(sem);
}
KEXPORT(down_read_trylock);

KAPI static void down_write(struct rw_semaphore *sem)
{
	rwsem_down_write(sem);
}
KEXPORT(down_write);

KAPI static int down_write_killable(struct rw_semaphore *sem)
{
	rwsem_down_write(sem);
	return 0;
}
KEXPORT(down_write_killable);

KAPI static int down_write_trylock(struct rw_semaphore *sem)
{
	return rwsem_write_trylock(sem);
}
KEXPORT(down_write_trylock);

KAPI static void up_read(struct rw_semaphore *sem)
{
	long c = __atomic_sub_fetch(&sem->count, RWSEM_READER_BIAS, __ATOMIC_RELEASE);

	if (!(c & RWSEM_READER_MASK) && (c & RWSEM_FLAG_WAITERS)) {
		kspin_lock(&sem->wait_lock);
		rwsem_grant(sem);
		kspin_unlock(&sem->wait_lock);
	}
}
KEXPORT(up_read);

KAPI static void up_write(struct rw_semaphore *sem)
{
	long c;

	sem->owner = 0;
	c = __atomic_and_fetch(&sem->count, ~RWSEM_WRITER_LOCKED, __ATOMIC_RELEASE);
	if (c & RWSEM_FLAG_WAITERS) {
		kspin_lock(&sem->wait_lock);
		rwsem_grant(sem);
		kspin_unlock(&sem->wait_lock);
	}
}
KEXPORT(up_write);

KAPI static void downgrade_write(struct rw_semaphore *sem)
{
	long c;

	sem->owner = (unsigned long)task_current() | RWSEM_READER_OWNED;
	c = __atomic_add_fetch(&sem->count, RWSEM_READER_BIAS - RWSEM_WRITER_LOCKED,
			       __ATOMIC_RELEASE);
	if (c & RWSEM_FLAG_WAITERS) {
		kspin_lock(&sem->wait_lock);
		rwsem_grant(sem);	/* readers at the head may join */
		kspin_unlock(&sem->wait_lock);
	}
}
KEXPORT(downgrade_write);

/* ---- counting semaphores ---- */

struct semaphore_waiter {
	struct list_head list;
	struct task_struct *task;
	int up;
};

static int semaphore_down(struct semaphore *sem, long timeout)
{
	struct task_struct *me = task_current();
	struct semaphore_waiter w = { .task = me };
	int ret = 0;

	kspin_lock(&sem->lock);
	if (sem->count > 0) {
		sem->count--;
		kspin_unlock(&sem->lock);
		return 0;
	}
	list_add_tail(&w.list, &sem->wait_list);
	for (;;) {
		task_set_state(me, TASK_UNINTERRUPTIBLE);
		if (__atomic_load_n(&w.up, __ATOMIC_ACQUIRE))
			break;
		if (timeout <= 0) {
			list_del_init(&w.list);
			ret = -ETIME;
			break;
		}
		kspin_unlock(&sem->lock);
		timeout = task_schedule_timeout(timeout);
		kspin_lock(&sem->lock);
	}
	task_set_state(me, TASK_RUNNING);
	kspin_unlock(&sem->lock);
	return ret;
}

KAPI static void down(struct semaphore *sem)
{
	semaphore_down(sem, MAX_SCHEDULE_TIMEOUT);
}
KEXPORT(down);

KAPI static int down_interruptible(struct semaphore *sem)
{
	return semaphore_down(sem, MAX_SCHEDULE_TIMEOUT);
}
KEXPORT(down_interruptible);

KAPI static int down_killable(struct semaphore *sem)
{
	return semaphore_down(sem, MAX_SCHEDULE_TIMEOUT);
}
KEXPORT(down_killable);

KAPI static int down_timeout(struct semaphore *sem, long timeout)
{
	return semaphore_down(sem, timeout);
}
KEXPORT(down_timeout);

/* 0 on success, 1 if the semaphore was not available (sic) */
KAPI static int down_trylock(struct semaphore *sem)
{
	int ret = 1;

	kspin_lock(&sem->lock);
	if (sem->count > 0) {
		sem->count--;
		ret = 0;
	}
	kspin_unlock(&sem->lock);
	return ret;
}
KEXPORT(down_trylock);

KAPI static void up(struct semaphore *sem)
{
	kspin_lock(&sem->lock);
	if (list_empty(&sem->wait_list)) {
		sem->count++;
	} else {
		struct semaphore_waiter *w =
			list_entry(sem->wait_list.next, struct semaphore_waiter, list);

		list_del_init(&w->list);
		__atomic_store_n(&w->up, 1, __ATOMIC_RELEASE);
		task_wake(w->task, TASK_NORMAL);
	}
	kspin_unlock(&sem->lock);
}
KEXPORT(up);
