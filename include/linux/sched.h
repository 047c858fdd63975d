/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tasks: the part of Debian 6.1's struct task_struct (9792 bytes) that
 * modules touch, "current" read from the per-CPU area through %gs,
 * task states, sleeping and waking, and the preemption counter.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/types.h>

/* Task states (__state); the first two as <linux/delay.h> has them. */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define __TASK_STOPPED		0x0004
#define __TASK_TRACED		0x0008
#define EXIT_DEAD		0x0010
#define EXIT_ZOMBIE		0x0020
#define TASK_PARKED		0x0040
#define TASK_DEAD		0x0080
#define TASK_WAKEKILL		0x0100
#define TASK_WAKING		0x0200
#define TASK_NOLOAD		0x0400
#define TASK_NEW		0x0800
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE		0x0402
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

#define TASK_COMM_LEN		16
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

#define PF_WQ_WORKER		0x00000020
#define PF_KTHREAD		0x00200000

#define TIF_SIGPENDING		2
#define TIF_NEED_RESCHED	3

struct thread_info {
	unsigned long flags;		/* TIF_* */
	unsigned long syscall_work;
	u32 status;
	u32 cpu;
};

struct task_struct {
	struct thread_info thread_info;	/* 0 */
	unsigned int __state;		/* 24 */
	u32 __kmodfs_pad0;
	void *stack;			/* 32 */
	atomic_t usage;			/* 40: refcount_t */
	unsigned int flags;		/* 44: PF_* */
	u8 __kmodfs_pad1[2036 - 48];
	int rcu_read_lock_nesting;	/* 2036 */
	u8 __kmodfs_pad2[2416 - 2040];
	pid_t pid;			/* 2416 */
	pid_t tgid;			/* 2420 */
	u8 __kmodfs_pad3[2976 - 2424];
	char comm[TASK_COMM_LEN];	/* 2976 */
	u8 __kmodfs_pad4[9792 - 2992];
};

_Static_assert(__builtin_offsetof(struct task_struct, __state) == 24, "__state");
_Static_assert(__builtin_offsetof(struct task_struct, rcu_read_lock_nesting) == 2036,
	       "rcu_read_lock_nesting");
_Static_assert(__builtin_offsetof(struct task_struct, pid) == 2416, "pid");
_Static_assert(__builtin_offsetof(struct task_struct, comm) == 2976, "comm");
_Static_assert(sizeof(struct task_struct) == 9792, "task_struct");

/* current: the per-CPU variable current_task, at %gs:current_task */
static __always_inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	__asm__ ("movq %%gs:current_task, %0" : "=r" (t));
	return t;
}
#define current get_current()

#define __set_current_state(state_value)				\
	WRITE_ONCE(current->__state, (state_value))
/* a full barrier after the store: the condition is tested after it */
#define set_current_state(state_value)					\
	__atomic_store_n(&current->__state, (state_value), __ATOMIC_SEQ_CST)

#define task_pid_nr(tsk)	((tsk)->pid)
#define task_is_running(tsk)	(READ_ONCE((tsk)->__state) == TASK_RUNNING)

static __always_inline int signal_pending(struct task_struct *p)
{
	return (READ_ONCE(p->thread_info.flags) >> TIF_SIGPENDING) & 1;
}

static __always_inline int fatal_signal_pending(struct task_struct *p)
{
	return signal_pending(p);
}

void schedule(void);
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_killable(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_idle(long timeout);
void io_schedule(void);
long io_schedule_timeout(long timeout);
void yield(void);
int wake_up_process(struct task_struct *tsk);

/* ---- preempt_count (%gs:__preempt_count; bit 31 is the inverted
 * need-resched flag) ---- */

#define PREEMPT_NEED_RESCHED	0x80000000
#define PREEMPT_OFFSET		0x00000001
#define SOFTIRQ_OFFSET		0x00000100
#define SOFTIRQ_DISABLE_OFFSET	0x00000200
#define SOFTIRQ_MASK		0x0000ff00
#define HARDIRQ_MASK		0x000f0000
#define NMI_MASK		0x00f00000

void preempt_schedule(void);

static __always_inline int preempt_count(void)
{
	int pc;

	__asm__ volatile ("movl %%gs:__preempt_count, %0" : "=r" (pc));
	return pc & ~PREEMPT_NEED_RESCHED;
}

static __always_inline void preempt_disable(void)
{
	__asm__ volatile ("incl %%gs:__preempt_count" : : : "memory");
}

static __always_inline void preempt_enable_no_resched(void)
{
	__asm__ volatile ("decl %%gs:__preempt_count" : : : "memory");
}

static __always_inline void preempt_enable(void)
{
	bool zero;

	__asm__ volatile ("decl %%gs:__preempt_count" : "=@ccz" (zero) : : "memory");
	if (unlikely(zero))
		preempt_schedule();
}

#define in_atomic()		(preempt_count() != 0)
#define softirq_count()		(preempt_count() & SOFTIRQ_MASK)
#define hardirq_count()		(preempt_count() & HARDIRQ_MASK)
#define in_softirq()		(softirq_count() != 0)
#define in_hardirq()		(hardirq_count() != 0)
#define in_irq()		in_hardirq()
#define in_interrupt()		((preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK)) != 0)
#define in_task()		(!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))

#endif
