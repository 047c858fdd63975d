/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RCU as Debian's 6.1 configures it (PREEMPT_RCU): read-side critical
 * sections count in current->rcu_read_lock_nesting through
 * __rcu_read_lock()/__rcu_read_unlock(); updaters wait for them with
 * synchronize_rcu() or defer with call_rcu()/kfree_rcu().
 */
#ifndef _LINUX_RCUPDATE_H
#define _LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/types.h>

typedef void (*rcu_callback_t)(struct rcu_head *head);

void __rcu_read_lock(void);
void __rcu_read_unlock(void);

static __always_inline void rcu_read_lock(void)
{
	__rcu_read_lock();
}

static __always_inline void rcu_read_unlock(void)
{
	__rcu_read_unlock();
}

#define rcu_preempt_depth()	READ_ONCE(current->rcu_read_lock_nesting)

void synchronize_rcu(void);
void synchronize_rcu_expedited(void);
void rcu_barrier(void);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
void kvfree_call_rcu(struct rcu_head *head, rcu_callback_t func);

/* Free the object holding this rcu_head after a grace period: the
 * "function" passed is the offset of the rcu_head in the object. */
#define kvfree_rcu(ptr, rhf)						\
do {									\
	typeof(ptr) __kmodfs_p = (ptr);					\
									\
	BUILD_BUG_ON(offsetof(typeof(*(ptr)), rhf) >= 4096);		\
	if (__kmodfs_p)							\
		kvfree_call_rcu(&__kmodfs_p->rhf, (rcu_callback_t)(unsigned long) \
				offsetof(typeof(*(ptr)), rhf));		\
} while (0)
#define kfree_rcu(ptr, rhf)	kvfree_rcu(ptr, rhf)

/* Pointers published to readers */
#define rcu_dereference(p)			READ_ONCE(p)
#define rcu_dereference_check(p, c)		READ_ONCE(p)
#define rcu_dereference_protected(p, c)		(p)
#define rcu_access_pointer(p)			READ_ONCE(p)
#define rcu_assign_pointer(p, v)					\
	__atomic_store_n(&(p), (typeof(p))(v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)			WRITE_ONCE(p, v)

#endif
