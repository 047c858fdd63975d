/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-write semaphores, Linux 6.1 layout: count (writer bit 0, waiter
 * flag bit 1, readers from bit 8), owner, spinners' queue, waiters' lock
 * and list (40 bytes).
 */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct lock_class_key;

struct rw_semaphore {
	atomic_long_t count;
	atomic_long_t owner;
	struct optimistic_spin_queue osq;
	raw_spinlock_t wait_lock;
	struct list_head wait_list;
};

_Static_assert(sizeof(struct rw_semaphore) == 40, "rw_semaphore");

#define __RWSEM_INITIALIZER(name) {					\
	.count = { 0 },							\
	.owner = { 0 },							\
	.osq = { ATOMIC_INIT(0) },					\
	.wait_lock = __RAW_SPIN_LOCK_UNLOCKED(name.wait_lock),		\
	.wait_list = LIST_HEAD_INIT((name).wait_list) }
#define DECLARE_RWSEM(name)	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key);
#define init_rwsem(sem)		__init_rwsem((sem), #sem, NULL)

static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return __atomic_load_n(&sem->count.counter, __ATOMIC_RELAXED) != 0;
}

static inline int rwsem_is_contended(struct rw_semaphore *sem)
{
	return !list_empty(&sem->wait_list);
}

void down_read(struct rw_semaphore *sem);
int __must_check down_read_interruptible(struct rw_semaphore *sem);
int __must_check down_read_killable(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int __must_check down_write_killable(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);

#endif
