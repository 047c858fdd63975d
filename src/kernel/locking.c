// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel/locking/'s spinning side and refcount_t for modules, on the
 * struct layouts of sched_abi.h.  Sleeping locks are in sleeplock.c,
 * RCU in rcu.c, WARN()/BUG() of the kernel's own checks in warn.c.
 *
 * Spinlocks: the 32-bit qspinlock word is a futex lock (0 free, 1 held,
 * 0x101 held with sleepers).  A holder is an ordinary thread that the
 * host may preempt, so waiters spin briefly and then sleep on the word
 * instead of burning a CPU.  The lock and unlock functions keep
 * preempt_count as the kernel does (preempt_disable, plus the softirq
 * offset for _bh) and a per-thread virtual interrupt flag for
 * _irq/_irqsave, so in_atomic(), irqs_disabled_flags() and nested
 * irqsave/irqrestore see what they would see in Linux.  Interrupts and
 * softirqs (timers) run on other threads here, so no lock is ever taken
 * "from an interrupt on the same CPU".
 */
#include <sched.h>

#include "kernel/export.h"
#include "kernel/list.h"
#include "kernel/percpu.h"
#include "kernel/sched_abi.h"

#define SPIN_LOCKED 0x001u
#define SPIN_SLEEPERS 0x101u
#define SPIN_TRIES 200

#define X86_EFLAGS_FIXED 0x002ul
#define X86_EFLAGS_IF 0x200ul

/* ---- the spinlock word ---- */

static bool word_cmpxchg(uint32_t *p, uint32_t old, uint32_t new)
{
	return __atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

void kspin_lock(raw_spinlock_t *lock)
{
	if (word_cmpxchg(&lock->val, 0, SPIN_LOCKED))
		return;
	for (int i = 0; i < SPIN_TRIES; i++) {
		__builtin_ia32_pause();
		if (__atomic_load_n(&lock->val, __ATOMIC_RELAXED) == 0 &&
		    word_cmpxchg(&lock->val, 0, SPIN_LOCKED))
			return;
	}
	/* Sleep on the word; whoever takes it this way marks it contended. */
	while (__atomic_exchange_n(&lock->val, SPIN_SLEEPERS, __ATOMIC_ACQUIRE) != 0)
		kfutex_wait(&lock->val, SPIN_SLEEPERS, NULL);
}

void kspin_unlock(raw_spinlock_t *lock)
{
	if (__atomic_exchange_n(&lock->val, 0, __ATOMIC_RELEASE) != SPIN_LOCKED)
		kfutex_wake(&lock->val, 1);
}

bool kspin_trylock(raw_spinlock_t *lock)
{
	return word_cmpxchg(&lock->val, 0, SPIN_LOCKED);
}

/* ---- preempt_count and the virtual interrupt flag ---- */

static __thread bool irqs_off;

bool *irqs_off_ptr(void)
{
	return &irqs_off;
}

static void preempt_add(unsigned int v)
{
	unsigned int *pc = preempt_count_ptr();

	if (pc)
		__atomic_store_n(pc, *pc + v, __ATOMIC_RELAXED);
}

static void preempt_sub(unsigned int v)
{
	unsigned int *pc = preempt_count_ptr();

	if (pc)
		__atomic_store_n(pc, *pc - v, __ATOMIC_RELAXED);
}

static unsigned long irq_save(void)
{
	unsigned long flags = X86_EFLAGS_FIXED | (irqs_off ? 0 : X86_EFLAGS_IF);

	irqs_off = true;
	return flags;
}

static void irq_restore(unsigned long flags)
{
	irqs_off = !(flags & X86_EFLAGS_IF);
}

/* ---- spinlocks, as exported by 6.1 (CONFIG_UNINLINE_SPIN_UNLOCK) ---- */

KAPI static void _raw_spin_lock(raw_spinlock_t *lock)
{
	preempt_add(PREEMPT_OFFSET);
	kspin_lock(lock);
}
KEXPORT(_raw_spin_lock);

KAPI static void _raw_spin_unlock(raw_spinlock_t *lock)
{
	kspin_unlock(lock);
	preempt_sub(PREEMPT_OFFSET);
}
KEXPORT(_raw_spin_unlock);

KAPI static void _raw_spin_lock_irq(raw_spinlock_t *lock)
{
	irqs_off = true;
	preempt_add(PREEMPT_OFFSET);
	kspin_lock(lock);
}
KEXPORT(_raw_spin_lock_irq);

KAPI static void _raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	kspin_unlock(lock);
	irqs_off = false;
	preempt_sub(PREEMPT_OFFSET);
}
KEXPORT(_raw_spin_unlock_irq);

KAPI static unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags = irq_save();

	preempt_add(PREEMPT_OFFSET);
	kspin_lock(lock);
	return flags;
}
KEXPORT(_raw_spin_lock_irqsave);

KAPI static void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
{
	kspin_unlock(lock);
	irq_restore(flags);
	preempt_sub(PREEMPT_OFFSET);
}
KEXPORT(_raw_spin_unlock_irqrestore);

KAPI static void _raw_spin_lock_bh(raw_spinlock_t *lock)
{
	preempt_add(SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);
	kspin_lock(lock);
}
KEXPORT(_raw_spin_lock_bh);

KAPI static void _raw_spin_unlock_bh(raw_spinlock_t *lock)
{
	kspin_unlock(lock);
	preempt_sub(SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);
}
KEXPORT(_raw_spin_unlock_bh);

KAPI static int _raw_spin_trylock(raw_spinlock_t *lock)
{
	preempt_add(PREEMPT_OFFSET);
	if (kspin_trylock(lock))
		return 1;
	preempt_sub(PREEMPT_OFFSET);
	return 0;
}
KEXPORT(_raw_spin_trylock);

KAPI static int _raw_spin_trylock_bh(raw_spinlock_t *lock)
{
	preempt_add(SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);
	if (kspin_trylock(lock))
		return 1;
	preempt_sub(SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);
	return 0;
}
KEXPORT(_raw_spin_trylock_bh);

/* ---- queued rwlocks ---- */

static void rw_relax(unsigned int *spins)
{
	if (++*spins < SPIN_TRIES)
		__builtin_ia32_pause();
	else
		sched_yield();
}

static bool rw_cmpxchg(uint32_t *p, uint32_t *old, uint32_t new)
{
	return __atomic_compare_exchange_n(p, old, new, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* A waiting writer (0x100) keeps new readers out, as qrwlock does for
 * readers outside interrupt context. */
static void read_lock_word(rwlock_t *l)
{
	unsigned int spins = 0;

	for (;;) {
		uint32_t c = __atomic_load_n(&l->cnts, __ATOMIC_RELAXED);

		if (!(c & _QW_WMASK) && rw_cmpxchg(&l->cnts, &c, c + _QR_BIAS))
			return;
		rw_relax(&spins);
	}
}

static bool read_trylock_word(rwlock_t *l)
{
	uint32_t c = __atomic_load_n(&l->cnts, __ATOMIC_RELAXED);

	while (!(c & _QW_WMASK))
		if (rw_cmpxchg(&l->cnts, &c, c + _QR_BIAS))
			return true;
	return false;
}

static void read_unlock_word(rwlock_t *l)
{
	__atomic_sub_fetch(&l->cnts, _QR_BIAS, __ATOMIC_RELEASE);
}

static void write_lock_word(rwlock_t *l)
{
	unsigned int spins = 0;
	uint32_t c = 0;

	if (rw_cmpxchg(&l->cnts, &c, _QW_LOCKED))
		return;
	kspin_lock(&l->wait_lock);	/* writers queue here */
	__atomic_fetch_or(&l->cnts, _QW_WAITING, __ATOMIC_RELAXED);
	for (;;) {
		c = _QW_WAITING;	/* no readers left, no writer */
		if (rw_cmpxchg(&l->cnts, &c, _QW_LOCKED))
			break;
		rw_relax(&spins);
	}
	kspin_unlock(&l->wait_lock);
}

static bool write_trylock_word(rwlock_t *l)
{
	uint32_t c = 0;

	return rw_cmpxchg(&l->cnts, &c, _QW_LOCKED);
}

static void write_unlock_word(rwlock_t *l)
{
	__atomic_sub_fetch(&l->cnts, _QW_LOCKED, __ATOMIC_RELEASE);
}

#define RWLOCK_FAMILY(kind)                                                    \
	KAPI static void _raw_##kind##_lock(rwlock_t *lock)                   \
	{                                                                      \
		preempt_add(PREEMPT_OFFSET);                                   \
		kind##_lock_word(lock);                                        \
	}                                                                      \
	KEXPORT(_raw_##kind##_lock);                                           \
	KAPI static void _raw_##kind##_unlock(rwlock_t *lock)                 \
	{                                                                      \
		kind##_unlock_word(lock);                                      \
		preempt_sub(PREEMPT_OFFSET);                                   \
	}                                                                      \
	KEXPORT(_raw_##kind##_unlock);                                         \
	KAPI static void _raw_##kind##_lock_irq(rwlock_t *lock)               \
	{                                                                      \
		irqs_off = true;                                               \
		preempt_add(PREEMPT_OFFSET);                                   \
		kind##_lock_word(lock);                                        \
	}                                                                      \
	KEXPORT(_raw_##kind##_lock_irq);                                       \
	KAPI static void _raw_##kind##_unlock_irq(rwlock_t *lock)             \
	{                                                                      \
		kind##_unlock_word(lock);                                      \
		irqs_off = false;                                              \
		preempt_sub(PREEMPT_OFFSET);                                   \
	}                                                                      \
	KEXPORT(_raw_##kind##_unlock_irq);                                     \
	KAPI static unsigned long _raw_##kind##_lock_irqsave(rwlock_t *lock)  \
	{                                                                      \
		unsigned long flags = irq_save();                              \
									       \
		preempt_add(PREEMPT_OFFSET);                                   \
		kind##_lock_word(lock);                                        \
		return flags;                                                  \
	}                                                                      \
	KEXPORT(_raw_##kind##_lock_irqsave);                                   \
	KAPI static void _raw_##kind##_unlock_irqrestore(rwlock_t *lock,      \
							 unsigned long flags)  \
	{                                                                      \
		kind##_unlock_word(lock);                                      \
		irq_restore(flags);                                            \
		preempt_sub(PREEMPT_OFFSET);                                   \
	}                                                                      \
	KEXPORT(_raw_##kind##_unlock_irqrestore);                              \
	KAPI static void _raw_##kind##_lock_bh(rwlock_t *lock)                \
	{                                                                      \
		preempt_add(SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);          \
		kind##_lock_word(lock);                                        \
	}                                                                      \
	KEXPORT(_raw_##kind##_lock_bh);                                        \
	KAPI static void _raw_##kind##_unlock_bh(rwlock_t *lock)              \
	{                                                                      \
		kind##_unlock_word(lock);                                      \
		preempt_sub(SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);          \
	}                                                                      \
	KEXPORT(_raw_##kind##_unlock_bh);                                      \
	KAPI static int _raw_##kind##_trylock(rwlock_t *lock)                 \
	{                                                                      \
		preempt_add(PREEMPT_OFFSET);                                   \
		if (kind##_trylock_word(lock))                                 \
			return 1;                                              \
		preempt_sub(PREEMPT_OFFSET);                                   \
		return 0;                                                      \
	}                                                                      \
	KEXPORT(_raw_##kind##_trylock)

RWLOCK_FAMILY(read);
RWLOCK_FAMILY(write);

KAPI static void _raw_write_lock_nested(rwlock_t *lock, int subclass)
{
	(void)subclass;		/* a lockdep annotation */
	_raw_write_lock(lock);
}
KEXPORT(_raw_write_lock_nested);

/* ---- atomic_dec_and_lock ---- */

static bool atomic_add_unless_one(int *v)
{
	int c = __atomic_load_n(v, __ATOMIC_RELAXED);

	while (c != 1)
		if (__atomic_compare_exchange_n(v, &c, c - 1, false, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

KAPI static int _atomic_dec_and_lock(int *atomic, raw_spinlock_t *lock)
{
	if (atomic_add_unless_one(atomic))
		return 0;
	_raw_spin_lock(lock);
	if (__atomic_sub_fetch(atomic, 1, __ATOMIC_SEQ_CST) == 0)
		return 1;
	_raw_spin_unlock(lock);
	return 0;
}
KEXPORT(_atomic_dec_and_lock);

KAPI static int _atomic_dec_and_lock_irqsave(int *atomic, raw_spinlock_t *lock,
					     unsigned long *flags)
{
	if (atomic_add_unless_one(atomic))
		return 0;
	*flags = _raw_spin_lock_irqsave(lock);
	if (__atomic_sub_fetch(atomic, 1, __ATOMIC_SEQ_CST) == 0)
		return 1;
	_raw_spin_unlock_irqrestore(lock, *flags);
	return 0;
}
KEXPORT(_atomic_dec_and_lock_irqsave);

/* ---- refcount_t (lib/refcount.c) ---- */

static bool refcount_warned[6];

static void refcount_warn(unsigned int i, int line, const char *what)
{
	if (__atomic_exchange_n(&refcount_warned[i], true, __ATOMIC_RELAXED))
		return;		/* WARN_ONCE */
	kernel_warn("lib/refcount.c", line, "refcount_warn_saturate",
		    "refcount_t: %s.\n", what);
}

KAPI static void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	__atomic_store_n(&r->refs, REFCOUNT_SATURATED, __ATOMIC_RELAXED);
	switch (t) {
	case REFCOUNT_ADD_NOT_ZERO_OVF:
		refcount_warn(0, 19, "saturated; leaking memory");
		break;
	case REFCOUNT_ADD_OVF:
		refcount_warn(1, 22, "saturated; leaking memory");
		break;
	case REFCOUNT_ADD_UAF:
		refcount_warn(2, 25, "addition on 0; use-after-free");
		break;
	case REFCOUNT_SUB_UAF:
		refcount_warn(3, 28, "underflow; use-after-free");
		break;
	case REFCOUNT_DEC_LEAK:
		refcount_warn(4, 31, "decrement hit 0; leaking memory");
		break;
	default:
		refcount_warn(5, 34, "unknown saturation event!?");
		break;
	}
}
KEXPORT(refcount_warn_saturate);

KAPI static bool refcount_dec_if_one(refcount_t *r)
{
	int one = 1;

	return __atomic_compare_exchange_n(&r->refs, &one, 0, false, __ATOMIC_RELEASE,
					   __ATOMIC_RELAXED);
}
KEXPORT(refcount_dec_if_one);

KAPI static bool refcount_dec_not_one(refcount_t *r)
{
	static bool warned;
	int val = __atomic_load_n(&r->refs, __ATOMIC_RELAXED);

	do {
		if (val == REFCOUNT_SATURATED)
			return true;
		if (val == 1)
			return false;
		if ((unsigned int)val - 1 > (unsigned int)val) {
			if (!__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
				kernel_warn("lib/refcount.c", 91, "refcount_dec_not_one",
					    "refcount_t: underflow; use-after-free.\n");
			return true;
		}
	} while (!__atomic_compare_exchange_n(&r->refs, &val, val - 1, false,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	return true;
}
KEXPORT(refcount_dec_not_one);

/* refcount_dec_and_test() of the kernel's inline code */
static bool refcount_dec_and_test_inline(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs, 1, __ATOMIC_RELEASE);

	if (old == 1)
		return true;
	if (old < 0 || old - 1 < 0)
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

KAPI static bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	kmutex_lock(lock);
	if (!refcount_dec_and_test_inline(r)) {
		kmutex_unlock(lock);
		return false;
	}
	return true;
}
KEXPORT(refcount_dec_and_mutex_lock);

KAPI static bool refcount_dec_and_lock(refcount_t *r, raw_spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	_raw_spin_lock(lock);
	if (!refcount_dec_and_test_inline(r)) {
		_raw_spin_unlock(lock);
		return false;
	}
	return true;
}
KEXPORT(refcount_dec_and_lock);

KAPI static bool refcount_dec_and_lock_irqsave(refcount_t *r, raw_spinlock_t *lock,
					       unsigned long *flags)
{
	if (refcount_dec_not_one(r))
		return false;
	*flags = _raw_spin_lock_irqsave(lock);
	if (!refcount_dec_and_test_inline(r)) {
		_raw_spin_unlock_irqrestore(lock, *flags);
		return false;
	}
	return true;
}
KEXPORT(refcount_dec_and_lock_irqsave);

/* ---- what a faulting modcall() leaves behind ---- */

void sched_ctx_save(struct sched_ctx *c)
{
	struct task_struct *t = task_current();

	c->preempt_count = *preempt_count_ptr();
	c->rcu_nesting = t->rcu_read_lock_nesting;
	c->irqs_off = irqs_off;
}

void sched_ctx_restore(const struct sched_ctx *c)
{
	struct task_struct *t = task_current();
	int cpu = percpu_this_cpu();

	*preempt_count_ptr() = c->preempt_count;
	irqs_off = c->irqs_off;
	task_set_state(t, TASK_RUNNING);
	if (t->rcu_read_lock_nesting != c->rcu_nesting) {
		/* the Oops ended the read-side critical section */
		__atomic_store_n(&t->rcu_read_lock_nesting, c->rcu_nesting, __ATOMIC_RELEASE);
		if (!c->rcu_nesting)
			rcu_quiescent(cpu);
	}
}
