/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The synchronisation and scheduling structures modules share with the
 * user-space kernel, with the layouts of Debian 12's Linux 6.1 x86-64
 * build (no lockdep, no DEBUG_MUTEXES/SPINLOCK, PREEMPT_RCU, queued
 * spinlocks and rwlocks).  Modules' inline code reads and writes these
 * (mutex_init, init_waitqueue_head, set_current_state, INIT_WORK,
 * refcount_t, wait_event...), so every offset is pinned: the numbers
 * were measured with a probe module built by Debian's kbuild against
 * linux-headers-6.1.0-56-amd64.
 *
 * Below the layouts: the entry points locking.c, sched.c and
 * workqueue.c offer each other (and the rest of the daemon).
 */
#ifndef KMODFS_KERNEL_SCHED_ABI_H
#define KMODFS_KERNEL_SCHED_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/abi.h"

/* ---- locks ---- */

/* arch_spinlock_t (qspinlock): 0 unlocked, locked byte 1; kmodfs uses
 * bit 8 (Linux's "pending") to mean "sleepers on the futex". */
typedef struct raw_spinlock {
	uint32_t val;
} raw_spinlock_t;
typedef raw_spinlock_t spinlock_t;	/* spinlock_t wraps one raw lock */
_Static_assert(sizeof(raw_spinlock_t) == 4, "spinlock_t");

/* qrwlock: cnts (writer byte 0xff, waiting writer 0x100, readers in
 * units of 0x200) and the writers' queue lock. */
typedef struct {
	uint32_t cnts;
	raw_spinlock_t wait_lock;
} rwlock_t;
_Static_assert(sizeof(rwlock_t) == 8, "rwlock_t");

#define _QW_WAITING 0x100u
#define _QW_LOCKED 0x0ffu
#define _QW_WMASK 0x1ffu
#define _QR_BIAS 0x200u

/* struct mutex: owner is the task pointer | MUTEX_FLAG_* */
struct mutex {
	unsigned long owner;		/* 0 */
	raw_spinlock_t wait_lock;	/* 8 */
	uint32_t osq;			/* 12, optimistic_spin_queue */
	struct list_head wait_list;	/* 16 */
};
_Static_assert(sizeof(struct mutex) == 32, "mutex");
_Static_assert(offsetof(struct mutex, wait_lock) == 8, "mutex.wait_lock");
_Static_assert(offsetof(struct mutex, osq) == 12, "mutex.osq");
_Static_assert(offsetof(struct mutex, wait_list) == 16, "mutex.wait_list");

#define MUTEX_FLAG_WAITERS 0x01ul
#define MUTEX_FLAG_HANDOFF 0x02ul
#define MUTEX_FLAG_PICKUP 0x04ul
#define MUTEX_FLAGS 0x07ul

struct rw_semaphore {
	long count;			/* 0 */
	unsigned long owner;		/* 8 */
	uint32_t osq;			/* 16 */
	raw_spinlock_t wait_lock;	/* 20 */
	struct list_head wait_list;	/* 24 */
};
_Static_assert(sizeof(struct rw_semaphore) == 40, "rw_semaphore");
_Static_assert(offsetof(struct rw_semaphore, owner) == 8, "rwsem.owner");
_Static_assert(offsetof(struct rw_semaphore, osq) == 16, "rwsem.osq");
_Static_assert(offsetof(struct rw_semaphore, wait_lock) == 20, "rwsem.wait_lock");
_Static_assert(offsetof(struct rw_semaphore, wait_list) == 24, "rwsem.wait_list");

/* rw_semaphore.count bits (kernel/locking/rwsem.c) */
#define RWSEM_WRITER_LOCKED (1l << 0)
#define RWSEM_FLAG_WAITERS (1l << 1)
#define RWSEM_FLAG_HANDOFF (1l << 2)
#define RWSEM_READER_SHIFT 8
#define RWSEM_READER_BIAS (1l << RWSEM_READER_SHIFT)
#define RWSEM_READER_MASK (~(RWSEM_READER_BIAS - 1) & ~(1l << 56))
#define RWSEM_READER_OWNED 1ul

struct semaphore {
	raw_spinlock_t lock;		/* 0 */
	unsigned int count;		/* 4 */
	struct list_head wait_list;	/* 8 */
};
_Static_assert(sizeof(struct semaphore) == 24, "semaphore");
_Static_assert(offsetof(struct semaphore, count) == 4, "semaphore.count");
_Static_assert(offsetof(struct semaphore, wait_list) == 8, "semaphore.wait_list");

typedef struct {
	int refs;			/* atomic_t */
} refcount_t;
_Static_assert(sizeof(refcount_t) == 4, "refcount_t");
#define REFCOUNT_SATURATED (-0x40000000)	/* INT_MIN / 2 */

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

struct ratelimit_state {
	raw_spinlock_t lock;		/* 0 */
	int interval;			/* 4 */
	int burst;			/* 8 */
	int printed;			/* 12 */
	int missed;			/* 16 */
	unsigned long begin;		/* 24 */
	unsigned long flags;		/* 32 */
};
_Static_assert(sizeof(struct ratelimit_state) == 40, "ratelimit_state");
_Static_assert(offsetof(struct ratelimit_state, missed) == 16, "ratelimit.missed");
_Static_assert(offsetof(struct ratelimit_state, begin) == 24, "ratelimit.begin");
#define RATELIMIT_MSG_ON_RELEASE 1ul

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
_Static_assert(sizeof(struct callback_head) == 16, "callback_head");

/* ---- tasks ---- */

/*
 * The part of struct task_struct (9792 bytes in Debian's 6.1) that module
 * inline code or kmodfs touches.  Each emulated CPU has one zeroed 16 KiB
 * task (percpu.c), reached through %gs:current_task.
 */
struct task_struct {
	unsigned long ti_flags;		/* 0: thread_info.flags (TIF_*) */
	unsigned long ti_syscall_work;	/* 8 */
	uint32_t ti_status;		/* 16 */
	uint32_t ti_cpu;		/* 20: thread_info.cpu */
	unsigned int __state;		/* 24 */
	uint32_t __pad0;
	void *stack;			/* 32 */
	int usage;			/* 40 */
	unsigned int flags;		/* 44: PF_* */
	uint8_t __pad1[2036 - 48];
	int rcu_read_lock_nesting;	/* 2036 */
	uint8_t __pad2[2416 - 2040];
	int pid;			/* 2416 */
	int tgid;			/* 2420 */
	uint8_t __pad3[2976 - 2424];
	char comm[16];			/* 2976: TASK_COMM_LEN */
	uint8_t __pad4[9792 - 2992];
};
_Static_assert(sizeof(struct task_struct) == 9792, "task_struct");
_Static_assert(offsetof(struct task_struct, __state) == 24, "task.__state");
_Static_assert(offsetof(struct task_struct, flags) == 44, "task.flags");
_Static_assert(offsetof(struct task_struct, rcu_read_lock_nesting) == 2036,
	       "task.rcu_read_lock_nesting");
_Static_assert(offsetof(struct task_struct, pid) == 2416, "task.pid");
_Static_assert(offsetof(struct task_struct, comm) == 2976, "task.comm");

#define TASK_RUNNING 0x0000u
#define TASK_INTERRUPTIBLE 0x0001u
#define TASK_UNINTERRUPTIBLE 0x0002u
#define TASK_PARKED 0x0040u
#define TASK_DEAD 0x0080u
#define TASK_WAKEKILL 0x0100u
#define TASK_WAKING 0x0200u
#define TASK_NOLOAD 0x0400u
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

#define PF_WQ_WORKER 0x00000020u
#define PF_KTHREAD 0x00200000u

#define MAX_SCHEDULE_TIMEOUT ((long)(~0ul >> 1))

/* preempt_count layout */
#define PREEMPT_NEED_RESCHED 0x80000000u
#define PREEMPT_OFFSET 0x1u
#define SOFTIRQ_OFFSET 0x100u
#define SOFTIRQ_DISABLE_OFFSET 0x200u
#define SOFTIRQ_MASK 0xff00u
#define HARDIRQ_MASK 0xf0000u
#define NMI_MASK 0xf00000u

/* ---- wait queues and completions ---- */

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

struct wait_queue_entry {
	unsigned int flags;		/* 0: WQ_FLAG_* */
	void *private;			/* 8: the task */
	wait_queue_func_t func;		/* 16 */
	struct list_head entry;		/* 24 */
};
_Static_assert(sizeof(struct wait_queue_entry) == 40, "wait_queue_entry");
_Static_assert(offsetof(struct wait_queue_entry, func) == 16, "wqe.func");
_Static_assert(offsetof(struct wait_queue_entry, entry) == 24, "wqe.entry");

struct wait_queue_head {
	spinlock_t lock;		/* 0 */
	struct list_head head;		/* 8 */
};
_Static_assert(sizeof(struct wait_queue_head) == 24, "wait_queue_head");

#define WQ_FLAG_EXCLUSIVE 0x01u
#define WQ_FLAG_WOKEN 0x02u
#define WQ_FLAG_BOOKMARK 0x04u
#define WQ_FLAG_CUSTOM 0x08u
#define WQ_FLAG_DONE 0x10u
#define WQ_FLAG_PRIORITY 0x20u

struct wait_bit_key {
	void *flags;			/* 0: the word */
	int bit_nr;			/* 8: -1 for wait_var_event */
	unsigned long timeout;		/* 16 */
};
_Static_assert(sizeof(struct wait_bit_key) == 24, "wait_bit_key");

struct wait_bit_queue_entry {
	struct wait_bit_key key;	/* 0 */
	struct wait_queue_entry wq_entry;	/* 24 */
};
_Static_assert(sizeof(struct wait_bit_queue_entry) == 64, "wait_bit_queue_entry");

struct swait_queue_head {
	raw_spinlock_t lock;		/* 0 */
	struct list_head task_list;	/* 8 */
};
_Static_assert(sizeof(struct swait_queue_head) == 24, "swait_queue_head");

struct swait_queue {
	struct task_struct *task;	/* 0 */
	struct list_head task_list;	/* 8 */
};
_Static_assert(sizeof(struct swait_queue) == 24, "swait_queue");

struct completion {
	unsigned int done;		/* 0 */
	struct swait_queue_head wait;	/* 8 */
};
_Static_assert(sizeof(struct completion) == 32, "completion");
_Static_assert(offsetof(struct completion, wait) == 8, "completion.wait");

/* ---- workqueues ---- */

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	unsigned long data;		/* 0: atomic_long_t, WORK_STRUCT_* */
	struct list_head entry;		/* 8 */
	work_func_t func;		/* 24 */
};
_Static_assert(sizeof(struct work_struct) == 32, "work_struct");
_Static_assert(offsetof(struct work_struct, func) == 24, "work.func");

struct workqueue_struct;

struct delayed_work {
	struct work_struct work;	/* 0 */
	struct timer_list timer;	/* 32 */
	struct workqueue_struct *wq;	/* 72 */
	int cpu;			/* 80 */
};
_Static_assert(sizeof(struct delayed_work) == 88, "delayed_work");
_Static_assert(offsetof(struct delayed_work, timer) == 32, "dwork.timer");
_Static_assert(offsetof(struct delayed_work, wq) == 72, "dwork.wq");
_Static_assert(offsetof(struct delayed_work, cpu) == 80, "dwork.cpu");

struct execute_work {
	struct work_struct work;
};

/* work_struct.data */
#define WORK_STRUCT_PENDING 0x01ul
#define WORK_STRUCT_INACTIVE 0x02ul
#define WORK_STRUCT_PWQ 0x04ul
#define WORK_STRUCT_LINKED 0x08ul
#define WORK_STRUCT_COLOR_SHIFT 4
#define WORK_NR_COLORS 16
#define WORK_STRUCT_FLAG_BITS 8
#define WORK_STRUCT_WQ_DATA_MASK (~0xfful)
#define WORK_OFFQ_CANCELING 0x10ul
#define WORK_OFFQ_POOL_SHIFT 5
#define WORK_STRUCT_NO_POOL 0xfffffffe0ul	/* == WORK_DATA_INIT() */
#define WORK_CPU_UNBOUND 8192
#define WORK_BUSY_PENDING 1u
#define WORK_BUSY_RUNNING 2u

/* alloc_workqueue() flags */
#define WQ_UNBOUND 0x2u
#define WQ_FREEZABLE 0x4u
#define WQ_MEM_RECLAIM 0x8u
#define WQ_HIGHPRI 0x10u
#define WQ_CPU_INTENSIVE 0x20u
#define WQ_SYSFS 0x40u
#define WQ_POWER_EFFICIENT 0x80u
#define __WQ_DRAINING 0x10000u
#define __WQ_ORDERED 0x20000u
#define __WQ_LEGACY 0x40000u
#define __WQ_ORDERED_EXPLICIT 0x80000u
#define WQ_MAX_ACTIVE 512
#define WQ_DFL_ACTIVE 256
#define WQ_NAME_LEN 24

/* ---- entry points shared inside the user-space kernel ---- */

/* locking.c: the raw spinlock without preempt_count accounting. */
void kspin_lock(raw_spinlock_t *lock);
void kspin_unlock(raw_spinlock_t *lock);
bool kspin_trylock(raw_spinlock_t *lock);

/* sleeplock.c: mutex_lock() and mutex_unlock() for kernel code. */
void kmutex_lock(struct mutex *m);
void kmutex_unlock(struct mutex *m);

/* warn.c: a WARN() raised by the user-space kernel itself, reported
 * like the kernel's (cut here, message, WARNING: ... at file:line func,
 * modules, stack, end trace) and tainting W. */
void kernel_warn(const char *file, int line, const char *func,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* rcu.c: a CPU left its outermost RCU read-side critical section (a
 * negative cpu: not a CPU of the emulated machine, nothing to count). */
void rcu_quiescent(int cpu);

/* rcu.c: RCU. */
void kernel_synchronize_rcu(void);
void kernel_call_rcu(struct callback_head *head,
		     void (*func)(struct callback_head *head));
/* Drop queued call_rcu callbacks whose rcu_head or function lies in
 * [start, end); waits for one running there.  Returns how many. */
unsigned int rcu_purge_range(unsigned long start, unsigned long end);

/* sched.c: futex wait (while *addr == val, rel NULL: no timeout) and wake. */
struct timespec;
int kfutex_wait(uint32_t *addr, uint32_t val, const struct timespec *rel);
void kfutex_wake(uint32_t *addr, int n);

/* sched.c: the calling thread's task (entering per-CPU mode if needed). */
struct task_struct *task_current(void);
/* sched.c: sleep until woken (state already set); schedule_timeout(). */
void task_schedule(void);
long task_schedule_timeout(long timeout);
/* sched.c: try_to_wake_up(); 1 if the task was woken. */
int task_wake(struct task_struct *p, unsigned int state);
static inline void task_set_state(struct task_struct *t, unsigned int state)
{
	__atomic_store_n(&t->__state, state, __ATOMIC_SEQ_CST);
}

/*
 * The per-thread kernel context that module code can leave behind when
 * it faults (an Oops inside spin_lock() or rcu_read_lock()): Linux
 * cleans it up when the oopsing task exits, kmodfs keeps the thread, so
 * whoever runs module code saves it before and restores it after a
 * faulting modcall().
 */
struct sched_ctx {
	unsigned int preempt_count;
	int rcu_nesting;
	bool irqs_off;
};
void sched_ctx_save(struct sched_ctx *c);
void sched_ctx_restore(const struct sched_ctx *c);

/* The calling thread's preempt_count word (NULL before per-CPU setup). */
unsigned int *preempt_count_ptr(void);
/* locking.c: the virtual interrupt flag of this thread. */
bool *irqs_off_ptr(void);

#endif
