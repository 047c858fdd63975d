// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel/locking/, refcount_t, list debugging, fortify and ratelimit
 * for modules, on the struct layouts of sched_abi.h (RCU is in rcu.c).
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
 *
 * Sleeping locks (mutex, rw_semaphore, semaphore) queue waiters on their
 * wait_list under wait_lock and sleep in schedule() (sched.c: a futex
 * on the task's __state); the releaser wakes them with
 * wake_up_process().  No signal ever reaches module code, so the
 * _interruptible/_killable variants always get the lock and return 0.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/kallsyms.h"
#include "kernel/list.h"
#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/slab.h"
#include "kernel/taint.h"
#include "kernel/time.h"
#include "kernel/traps.h"

#define SPIN_LOCKED 0x001u
#define SPIN_SLEEPERS 0x101u
#define SPIN_TRIES 200

#define X86_EFLAGS_FIXED 0x002ul
#define X86_EFLAGS_IF 0x200ul

static const char cut_here[] = "------------[ cut here ]------------\n";

/* ---- WARN() from the kernel side ---- */

__attribute__((noinline)) void kernel_warn(const char *file, int line, const char *func,
					    const char *fmt, ...)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	char where[KSYM_SYMBOL_LEN];
	size_t flen = strlen(func);
	va_list ap;
	int cpu = percpu_this_cpu();

	/* "func+0xoff/0xlen" when the warning site is in the export named
	 * func (static helpers are not in kallsyms: then the bare name) */
	sprint_symbol(where, sizeof(where), ip, true);
	if (strncmp(where, func, flen) || where[flen] != '+') {
		flen = flen < sizeof(where) - 1 ? flen : sizeof(where) - 1;
		memcpy(where, func, flen);
		where[flen] = '\0';
	}
	printk(KERN_DEFAULT "%s", cut_here);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	pr_warn("WARNING: CPU: %d PID: %d at %s:%d %s\n", cpu < 0 ? 0 : cpu,
		(int)gettid(), file, line, where);
	print_modules();
	show_warn_regs(ip);
	printk(KERN_DEFAULT "---[ end trace 0000000000000000 ]---\n");
	add_taint(TAINT_WARN, LOCKDEP_STILL_OK);
}

/* BUG() from the kernel side: an invalid opcode right in the function
 * that found the problem (the Oops' RIP), which traps.c reports and
 * modcall() contains. */
#define kernel_bug()                                                           \
	do {                                                                   \
		printk(KERN_DEFAULT "%s", cut_here);                           \
		__builtin_trap();                                              \
	} while (0)

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

static void mutex_lock_common(struct mutex *m)
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
	mutex_lock_common(lock);
}
KEXPORT(mutex_lock);

KAPI static int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock_common(lock);
	return 0;
}
KEXPORT(mutex_lock_interruptible);

KAPI static int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock_common(lock);
	return 0;
}
KEXPORT(mutex_lock_killable);

KAPI static void mutex_lock_io(struct mutex *lock)
{
	mutex_lock_common(lock);
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

KAPI static void mutex_unlock(struct mutex *lock)
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
KEXPORT(mutex_unlock);

KAPI static int atomic_dec_and_mutex_lock(int *cnt, struct mutex *lock)
{
	int v = __atomic_load_n(cnt, __ATOMIC_RELAXED);

	/* atomic_add_unless(cnt, -1, 1) */
	while (v != 1)
		if (__atomic_compare_exchange_n(cnt, &v, v - 1, false, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED))
			return 0;
	mutex_lock_common(lock);
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
	mutex_lock_common(lock);
	if (!refcount_dec_and_test_inline(r)) {
		mutex_unlock(lock);
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

/* ---- CONFIG_DEBUG_LIST with CONFIG_BUG_ON_DATA_CORRUPTION ---- */

/* A corruption is reported and BUG()s, as Debian's config has it. */
#define CORRUPTED(cond, fmt, ...)                                              \
	do {                                                                   \
		if (__builtin_expect(!!(cond), 0)) {                           \
			pr_err(fmt, ##__VA_ARGS__);                            \
			kernel_bug();                                          \
		}                                                              \
	} while (0)

KAPI static bool __list_add_valid(struct list_head *new, struct list_head *prev,
				  struct list_head *next)
{
	CORRUPTED(!prev, "list_add corruption. prev is NULL.\n");
	CORRUPTED(!next, "list_add corruption. next is NULL.\n");
	CORRUPTED(next->prev != prev,
		  "list_add corruption. next->prev should be prev (%px), but was %px. (next=%px).\n",
		  prev, next->prev, next);
	CORRUPTED(prev->next != next,
		  "list_add corruption. prev->next should be next (%px), but was %px. (prev=%px).\n",
		  next, prev->next, prev);
	CORRUPTED(new == prev || new == next,
		  "list_add double add: new=%px, prev=%px, next=%px.\n", new, prev, next);
	return true;
}
KEXPORT(__list_add_valid);

KAPI static bool __list_del_entry_valid(struct list_head *entry)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	CORRUPTED(!next, "list_del corruption, %px->next is NULL\n", entry);
	CORRUPTED(!prev, "list_del corruption, %px->prev is NULL\n", entry);
	CORRUPTED(next == LIST_POISON1,
		  "list_del corruption, %px->next is LIST_POISON1 (%px)\n", entry,
		  LIST_POISON1);
	CORRUPTED(prev == LIST_POISON2,
		  "list_del corruption, %px->prev is LIST_POISON2 (%px)\n", entry,
		  LIST_POISON2);
	CORRUPTED(prev->next != entry,
		  "list_del corruption. prev->next should be %px, but was %px. (prev=%px)\n",
		  entry, prev->next, prev);
	CORRUPTED(next->prev != entry,
		  "list_del corruption. next->prev should be %px, but was %px. (next=%px)\n",
		  entry, next->prev, next);
	return true;
}
KEXPORT(__list_del_entry_valid);

/* ---- CONFIG_FORTIFY_SOURCE ---- */

KAPI __attribute__((noreturn)) static void fortify_panic(const char *name)
{
	pr_emerg("detected buffer overflow in %s\n", name);
	kernel_bug();
}
KEXPORT(fortify_panic);

/* ---- ratelimit (lib/ratelimit.c) ---- */

KAPI static int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	int interval = __atomic_load_n(&rs->interval, __ATOMIC_RELAXED);
	int burst = __atomic_load_n(&rs->burst, __ATOMIC_RELAXED);
	unsigned long now;
	int ret;

	if (!interval)
		return 1;
	/* contended: somebody is deciding right now, so suppress */
	if (!kspin_trylock(&rs->lock))
		return 0;
	now = jiffies_now();
	if (!rs->begin)
		rs->begin = now;
	if (time_after(now, rs->begin + (unsigned long)interval)) {
		if (rs->missed && !(rs->flags & RATELIMIT_MSG_ON_RELEASE)) {
			printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, rs->missed);
			rs->missed = 0;
		}
		rs->begin = now;
		rs->printed = 0;
	}
	if (burst && burst > rs->printed) {
		rs->printed++;
		ret = 1;
	} else {
		rs->missed++;
		ret = 0;
	}
	kspin_unlock(&rs->lock);
	return ret;
}
KEXPORT(___ratelimit);

static struct ratelimit_state printk_ratelimit_state;

KAPI static int __printk_ratelimit(const char *func)
{
	if (!__atomic_load_n(&printk_ratelimit_state.interval, __ATOMIC_ACQUIRE)) {
		printk_ratelimit_state.burst = 10;	/* printk_ratelimit_burst */
		__atomic_store_n(&printk_ratelimit_state.interval, 5 * (int)kernel_hz,
				 __ATOMIC_RELEASE);
	}
	return ___ratelimit(&printk_ratelimit_state, func);
}
KEXPORT(__printk_ratelimit);

KAPI static bool printk_timed_ratelimit(unsigned long *caller_jiffies,
					unsigned int interval_msecs)
{
	unsigned long now = jiffies_now();

	if (*caller_jiffies &&
	    now - *caller_jiffies <= kmodfs_msecs_to_jiffies(interval_msecs))
		return false;
	*caller_jiffies = now;
	return true;
}
KEXPORT(printk_timed_ratelimit);

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
