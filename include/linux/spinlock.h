/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Spinlocks and rwlocks with Linux 6.1 x86-64 layouts: spinlock_t and
 * raw_spinlock_t are one 32-bit qspinlock word (0 = unlocked), rwlock_t
 * is a qrwlock (count word + queue lock).  Locking and unlocking call
 * the kernel's _raw_* functions, as Debian's build does
 * (CONFIG_UNINLINE_SPIN_UNLOCK, nothing inlined under preemption).
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/types.h>

typedef struct qspinlock {
	union {
		atomic_t val;
		struct {
			u8 locked;
			u8 pending;
			u16 tail;
		};
	};
} arch_spinlock_t;

typedef struct qrwlock {
	union {
		atomic_t cnts;
		struct {
			u8 wlocked;
			u8 __lstate[3];
		};
	};
	arch_spinlock_t wait_lock;
} arch_rwlock_t;

typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
} raw_spinlock_t;

typedef struct spinlock {
	union {
		struct raw_spinlock rlock;
	};
} spinlock_t;

typedef struct {
	arch_rwlock_t raw_lock;
} rwlock_t;

/* the MCS queue of an optimistically spinning mutex/rwsem owner */
struct optimistic_spin_queue {
	atomic_t tail;
};

_Static_assert(sizeof(spinlock_t) == 4, "spinlock_t is one word");
_Static_assert(sizeof(rwlock_t) == 8, "rwlock_t");

#define __ARCH_SPIN_LOCK_UNLOCKED	{ { .val = ATOMIC_INIT(0) } }
#define __RAW_SPIN_LOCK_UNLOCKED(name)	{ .raw_lock = __ARCH_SPIN_LOCK_UNLOCKED }
#define __SPIN_LOCK_UNLOCKED(name)	{ { .rlock = __RAW_SPIN_LOCK_UNLOCKED(name) } }
#define __RW_LOCK_UNLOCKED(name)					\
	{ .raw_lock = { { .cnts = ATOMIC_INIT(0) }, __ARCH_SPIN_LOCK_UNLOCKED } }

#define DEFINE_RAW_SPINLOCK(x)	raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define DEFINE_RWLOCK(x)	rwlock_t x = __RW_LOCK_UNLOCKED(x)

#define raw_spin_lock_init(lock)					\
	do { *(lock) = (raw_spinlock_t)__RAW_SPIN_LOCK_UNLOCKED(lock); } while (0)
#define spin_lock_init(lock)						\
	do { *(lock) = (spinlock_t)__SPIN_LOCK_UNLOCKED(lock); } while (0)
#define rwlock_init(lock)						\
	do { *(lock) = (rwlock_t)__RW_LOCK_UNLOCKED(lock); } while (0)

/* The kernel's out-of-line lock functions. */
void _raw_spin_lock(raw_spinlock_t *lock);
void _raw_spin_lock_bh(raw_spinlock_t *lock);
void _raw_spin_lock_irq(raw_spinlock_t *lock);
unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock);
int _raw_spin_trylock(raw_spinlock_t *lock);
int _raw_spin_trylock_bh(raw_spinlock_t *lock);
void _raw_spin_unlock(raw_spinlock_t *lock);
void _raw_spin_unlock_bh(raw_spinlock_t *lock);
void _raw_spin_unlock_irq(raw_spinlock_t *lock);
void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags);

void _raw_read_lock(rwlock_t *lock);
void _raw_read_lock_bh(rwlock_t *lock);
void _raw_read_lock_irq(rwlock_t *lock);
unsigned long _raw_read_lock_irqsave(rwlock_t *lock);
int _raw_read_trylock(rwlock_t *lock);
void _raw_read_unlock(rwlock_t *lock);
void _raw_read_unlock_bh(rwlock_t *lock);
void _raw_read_unlock_irq(rwlock_t *lock);
void _raw_read_unlock_irqrestore(rwlock_t *lock, unsigned long flags);
void _raw_write_lock(rwlock_t *lock);
void _raw_write_lock_bh(rwlock_t *lock);
void _raw_write_lock_irq(rwlock_t *lock);
unsigned long _raw_write_lock_irqsave(rwlock_t *lock);
int _raw_write_trylock(rwlock_t *lock);
void _raw_write_unlock(rwlock_t *lock);
void _raw_write_unlock_bh(rwlock_t *lock);
void _raw_write_unlock_irq(rwlock_t *lock);
void _raw_write_unlock_irqrestore(rwlock_t *lock, unsigned long flags);

/* raw_spinlock_t */
#define raw_spin_lock(lock)		_raw_spin_lock(lock)
#define raw_spin_lock_bh(lock)		_raw_spin_lock_bh(lock)
#define raw_spin_lock_irq(lock)		_raw_spin_lock_irq(lock)
#define raw_spin_lock_irqsave(lock, flags)				\
	do { (flags) = _raw_spin_lock_irqsave(lock); } while (0)
#define raw_spin_trylock(lock)		_raw_spin_trylock(lock)
#define raw_spin_unlock(lock)		_raw_spin_unlock(lock)
#define raw_spin_unlock_bh(lock)	_raw_spin_unlock_bh(lock)
#define raw_spin_unlock_irq(lock)	_raw_spin_unlock_irq(lock)
#define raw_spin_unlock_irqrestore(lock, flags)			\
	_raw_spin_unlock_irqrestore(lock, flags)
#define raw_spin_is_locked(lock)	(atomic_read(&(lock)->raw_lock.val) != 0)

/* spinlock_t */
static __always_inline void spin_lock(spinlock_t *lock)
{
	_raw_spin_lock(&lock->rlock);
}

static __always_inline void spin_lock_bh(spinlock_t *lock)
{
	_raw_spin_lock_bh(&lock->rlock);
}

static __always_inline void spin_lock_irq(spinlock_t *lock)
{
	_raw_spin_lock_irq(&lock->rlock);
}

#define spin_lock_irqsave(lock, flags)					\
	do { (flags) = _raw_spin_lock_irqsave(&(lock)->rlock); } while (0)

static __always_inline int spin_trylock(spinlock_t *lock)
{
	return _raw_spin_trylock(&lock->rlock);
}

static __always_inline int spin_trylock_bh(spinlock_t *lock)
{
	return _raw_spin_trylock_bh(&lock->rlock);
}

static __always_inline void spin_unlock(spinlock_t *lock)
{
	_raw_spin_unlock(&lock->rlock);
}

static __always_inline void spin_unlock_bh(spinlock_t *lock)
{
	_raw_spin_unlock_bh(&lock->rlock);
}

static __always_inline void spin_unlock_irq(spinlock_t *lock)
{
	_raw_spin_unlock_irq(&lock->rlock);
}

static __always_inline void spin_unlock_irqrestore(spinlock_t *lock,
						   unsigned long flags)
{
	_raw_spin_unlock_irqrestore(&lock->rlock, flags);
}

static __always_inline int spin_is_locked(spinlock_t *lock)
{
	return atomic_read(&lock->rlock.raw_lock.val) != 0;
}

/* someone waits for it: anything beyond the locked byte */
static __always_inline int spin_is_contended(spinlock_t *lock)
{
	return (atomic_read(&lock->rlock.raw_lock.val) & ~0xff) != 0;
}

#define assert_spin_locked(lock)	BUG_ON(!spin_is_locked(lock))

/* rwlock_t */
#define read_lock(lock)			_raw_read_lock(lock)
#define read_lock_bh(lock)		_raw_read_lock_bh(lock)
#define read_lock_irq(lock)		_raw_read_lock_irq(lock)
#define read_lock_irqsave(lock, flags)					\
	do { (flags) = _raw_read_lock_irqsave(lock); } while (0)
#define read_trylock(lock)		_raw_read_trylock(lock)
#define read_unlock(lock)		_raw_read_unlock(lock)
#define read_unlock_bh(lock)		_raw_read_unlock_bh(lock)
#define read_unlock_irq(lock)		_raw_read_unlock_irq(lock)
#define read_unlock_irqrestore(lock, flags)				\
	_raw_read_unlock_irqrestore(lock, flags)
#define write_lock(lock)		_raw_write_lock(lock)
#define write_lock_bh(lock)		_raw_write_lock_bh(lock)
#define write_lock_irq(lock)		_raw_write_lock_irq(lock)
#define write_lock_irqsave(lock, flags)				\
	do { (flags) = _raw_write_lock_irqsave(lock); } while (0)
#define write_trylock(lock)		_raw_write_trylock(lock)
#define write_unlock(lock)		_raw_write_unlock(lock)
#define write_unlock_bh(lock)		_raw_write_unlock_bh(lock)
#define write_unlock_irq(lock)		_raw_write_unlock_irq(lock)
#define write_unlock_irqrestore(lock, flags)				\
	_raw_write_unlock_irqrestore(lock, flags)

/* The saved interrupt flag (X86_EFLAGS_IF) of spin_lock_irqsave(). */
static __always_inline int irqs_disabled_flags(unsigned long flags)
{
	return !(flags & 0x200);
}

/* Decrement; if that reaches 0, return 1 holding the lock. */
int _atomic_dec_and_lock(atomic_t *atomic, spinlock_t *lock);
int _atomic_dec_and_lock_irqsave(atomic_t *atomic, spinlock_t *lock,
				 unsigned long *flags);
#define atomic_dec_and_lock(atomic, lock)	_atomic_dec_and_lock(atomic, lock)
#define atomic_dec_and_lock_irqsave(atomic, lock, flags)		\
	_atomic_dec_and_lock_irqsave(atomic, lock, &(flags))

#endif
