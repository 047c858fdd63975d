// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tasks and sleeping for modules: schedule(), wake-ups, wait queues,
 * simple wait queues, completions, wait_var_event/wait_on_bit and the
 * PREEMPT_DYNAMIC entry points.
 *
 * A task is the emulated CPU's task_struct (percpu.c), owned by the one
 * thread that holds that CPU.  Sleeping is a futex wait on the task's
 * __state word: module inline code sets the state itself
 * (set_current_state() in wait_event() and friends) before testing its
 * condition, and schedule() sleeps as long as the state is not
 * TASK_RUNNING.  try_to_wake_up() turns a matching state into
 * TASK_RUNNING and wakes the futex, so a wake-up between the condition
 * test and schedule() is never lost -- the same protocol as the kernel's.
 * schedule_timeout() is a futex wait bounded by the jiffy the kernel's
 * timer would fire in, after which the task is made runnable as
 * process_timeout() would.
 *
 * No signals are ever delivered to module code (TIF_SIGPENDING stays
 * clear), so interruptible and killable sleeps end only by wake-up or
 * timeout, and -ERESTARTSYS is never returned.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/list.h"
#include "kernel/logbuf.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/taint.h"
#include "kernel/time.h"
#include "kernel/traps.h"

#define WF_SYNC 0x10

extern char current_task[], __preempt_count[];

int kfutex_wait(uint32_t *addr, uint32_t val, const struct timespec *rel)
{
	return (int)syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, rel, NULL, 0);
}

void kfutex_wake(uint32_t *addr, int n)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

unsigned int *preempt_count_ptr(void)
{
	char *area = percpu_this_area();

	return area ? (unsigned int *)(area + (uintptr_t)__preempt_count) : NULL;
}

/* ---- tasks ---- */

static __thread struct task_struct *known_task;

struct task_struct *task_current(void)
{
	char *area = percpu_this_area();
	struct task_struct *t;

	if (!area) {
		int err = percpu_thread_enter();

		if (err) {
			pr_emerg("Kernel panic - not syncing: no CPU for this thread (%d)\n", err);
			abort();
		}
		area = percpu_this_area();
	}
	t = *(struct task_struct **)(area + (uintptr_t)current_task);
	if (t != known_task) {
		/* this thread's identity, as current->pid and ->comm show it */
		char comm[17] = "";

		prctl(PR_GET_NAME, comm, 0, 0, 0);
		memcpy(t->comm, comm, sizeof(t->comm));
		t->comm[sizeof(t->comm) - 1] = '\0';
		t->pid = (int)gettid();
		t->tgid = (int)getpid();
		t->ti_cpu = (uint32_t)percpu_this_cpu();
		if (!t->usage)
			t->usage = 1;
		known_task = t;
	}
	return t;
}

int task_wake(struct task_struct *p, unsigned int state)
{
	unsigned int s = __atomic_load_n(&p->__state, __ATOMIC_ACQUIRE);

	while (s & state) {
		if (__atomic_compare_exchange_n(&p->__state, &s, TASK_RUNNING, false,
						__ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE)) {
			kfutex_wake(&p->__state, 1);
			return 1;
		}
	}
	return 0;
}

/* "BUG: scheduling while atomic" (kernel/sched/core.c); the count shown
 * includes the preempt_disable() of __schedule(), as in Linux. */
static void check_atomic_sleep(struct task_struct *t)
{
	unsigned int *pc = preempt_count_ptr();

	if (pc && (*pc & ~PREEMPT_NEED_RESCHED)) {
		printk(KERN_ERR "BUG: scheduling while atomic: %s/%d/0x%08x\n", t->comm,
		       t->pid, (*pc & ~PREEMPT_NEED_RESCHED) + PREEMPT_OFFSET);
		print_modules();
		dump_stack();
		add_taint(TAINT_WARN, LOCKDEP_STILL_OK);
	}
}

void task_schedule(void)
{
	struct task_struct *t = task_current();
	unsigned int s;

	while ((s = __atomic_load_n(&t->__state, __ATOMIC_ACQUIRE)) != TASK_RUNNING)
		kfutex_wait(&t->__state, s, NULL);
}

/* Where jiffy j begins on local_clock_ns(), which jiffies follows. */
static uint64_t jiffy_start_ns(unsigned long j)
{
	return (uint64_t)(j - INITIAL_JIFFIES(kernel_hz)) * (1000000000ull / kernel_hz);
}

long task_schedule_timeout(long timeout)
{
	struct task_struct *t = task_current();
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		task_schedule();
		return timeout;
	}
	if (timeout < 0) {
		printk(KERN_ERR "schedule_timeout: wrong timeout value %lx\n",
		       (unsigned long)timeout);
		dump_stack();
		task_set_state(t, TASK_RUNNING);
		return 0;
	}
	expire = jiffies_now() + (unsigned long)timeout;
	for (;;) {
		unsigned int s = __atomic_load_n(&t->__state, __ATOMIC_ACQUIRE);
		uint64_t now, when;

		if (s == TASK_RUNNING)
			break;
		if (time_after_eq(jiffies_now(), expire)) {
			/* the timer fired: process_timeout() wakes us */
			task_set_state(t, TASK_RUNNING);
			break;
		}
		now = local_clock_ns();
		when = jiffy_start_ns(expire);
		if (when > now) {
			struct timespec rel = { (time_t)((when - now) / 1000000000ull),
						(long)((when - now) % 1000000000ull) };

			kfutex_wait(&t->__state, s, &rel);
		}
	}
	timeout = (long)(expire - jiffies_now());
	return timeout < 0 ? 0 : timeout;
}

KAPI static void schedule(void)
{
	struct task_struct *t = task_current();

	check_atomic_sleep(t);
	if (__atomic_load_n(&t->__state, __ATOMIC_ACQUIRE) == TASK_RUNNING) {
		sched_yield();
		return;
	}
	task_schedule();
}
KEXPORT(schedule);

KAPI static long schedule_timeout(long timeout)
{
	check_atomic_sleep(task_current());
	return task_schedule_timeout(timeout);
}
KEXPORT(schedule_timeout);

KAPI static long schedule_timeout_interruptible(long timeout)
{
	task_set_state(task_current(), TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}
KEXPORT(schedule_timeout_interruptible);

KAPI static long schedule_timeout_killable(long timeout)
{
	task_set_state(task_current(), TASK_KILLABLE);
	return schedule_timeout(timeout);
}
KEXPORT(schedule_timeout_killable);

/* (time.c's schedule_timeout_uninterruptible() is msleep's plain sleep) */
KAPI static long kapi_schedule_timeout_uninterruptible(long timeout)
{
	task_set_state(task_current(), TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}
KEXPORT_AS("schedule_timeout_uninterruptible", kapi_schedule_timeout_uninterruptible);

KAPI static long schedule_timeout_idle(long timeout)
{
	task_set_state(task_current(), TASK_IDLE);
	return schedule_timeout(timeout);
}
KEXPORT(schedule_timeout_idle);

KAPI static void io_schedule(void)
{
	schedule();
}
KEXPORT(io_schedule);

KAPI static long io_schedule_timeout(long timeout)
{
	return schedule_timeout(timeout);
}
KEXPORT(io_schedule_timeout);

KAPI static void yield(void)
{
	task_set_state(task_current(), TASK_RUNNING);
	sched_yield();
}
KEXPORT(yield);

KAPI static int wake_up_process(struct task_struct *p)
{
	return task_wake(p, TASK_NORMAL);
}
KEXPORT(wake_up_process);

/*
 * PREEMPT_DYNAMIC in full-preemption mode: cond_resched() and
 * might_resched() are static calls to "return 0", and preempt_enable()
 * reaching zero calls preempt_schedule through its trampoline, which
 * must keep every register (the call site declares no clobbers).  The
 * host scheduler preempts threads by itself, so "rescheduling" is a
 * yield.
 */
int __cond_resched_yield(void);
KAPI int __cond_resched_yield(void)
{
	unsigned int *pc = preempt_count_ptr();

	if (pc && (*(volatile unsigned int *)pc & ~PREEMPT_NEED_RESCHED))
		return 0;	/* not preemptible */
	sched_yield();
	return 1;
}

#define SAVING_THUNK(name)                                                     \
	".globl " name "\n"                                                    \
	".type " name ", @function\n" name ":\n"                               \
	"	push %rax\n	push %rcx\n	push %rdx\n	push %rsi\n"        \
	"	push %rdi\n	push %r8\n	push %r9\n	push %r10\n"        \
	"	push %r11\n"                                                     \
	"	call __cond_resched_yield\n"                                     \
	"	pop %r11\n	pop %r10\n	pop %r9\n	pop %r8\n"             \
	"	pop %rdi\n	pop %rsi\n	pop %rdx\n	pop %rcx\n"         \
	"	pop %rax\n"                                                      \
	"	ret\n"                                                           \
	".size " name ", .-" name "\n"

__asm__(".text\n"
	".globl __SCT__cond_resched\n"
	".type __SCT__cond_resched, @function\n"
	"__SCT__cond_resched:\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	".size __SCT__cond_resched, .-__SCT__cond_resched\n"
	".globl __SCT__might_resched\n"
	".type __SCT__might_resched, @function\n"
	"__SCT__might_resched:\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	".size __SCT__might_resched, .-__SCT__might_resched\n"
	SAVING_THUNK("__SCT__preempt_schedule")
	SAVING_THUNK("__SCT__preempt_schedule_notrace")
	SAVING_THUNK("preempt_schedule_thunk")
	SAVING_THUNK("preempt_schedule_notrace_thunk"));

extern void __SCT__cond_resched(void), __SCT__might_resched(void),
	__SCT__preempt_schedule(void), __SCT__preempt_schedule_notrace(void),
	preempt_schedule_thunk(void), preempt_schedule_notrace_thunk(void);
KEXPORT(__SCT__cond_resched);
KEXPORT(__SCT__might_resched);
KEXPORT(__SCT__preempt_schedule);
KEXPORT(__SCT__preempt_schedule_notrace);
KEXPORT(preempt_schedule_thunk);
KEXPORT(preempt_schedule_notrace_thunk);

KAPI static int __cond_resched(void)
{
	return 0;	/* full preemption: nothing is ever owed */
}
KEXPORT(__cond_resched);

KAPI static void preempt_schedule(void)
{
	__cond_resched_yield();
}
KEXPORT(preempt_schedule);

KAPI static void preempt_schedule_notrace(void)
{
	__cond_resched_yield();
}
KEXPORT_GPL(preempt_schedule_notrace);

/* ---- wait queues (kernel/sched/wait.c) ---- */

KAPI static void __init_waitqueue_head(struct wait_queue_head *wq_head,
				       const char *name, void *key)
{
	(void)name;
	(void)key;
	wq_head->lock.val = 0;
	INIT_LIST_HEAD(&wq_head->head);
}
KEXPORT(__init_waitqueue_head);

/* Priority waiters stay first; others go after them. */
static void wq_add(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	struct list_head *head = &wq_head->head;
	struct wait_queue_entry *wq;

	list_for_each_entry(wq, &wq_head->head, entry) {
		if (!(wq->flags & WQ_FLAG_PRIORITY))
			break;
		head = &wq->entry;
	}
	list_add(&wq_entry->entry, head);
}

KAPI static void add_wait_queue(struct wait_queue_head *wq_head,
				struct wait_queue_entry *wq_entry)
{
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	kspin_lock(&wq_head->lock);
	wq_add(wq_head, wq_entry);
	kspin_unlock(&wq_head->lock);
}
KEXPORT(add_wait_queue);

KAPI static void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
					  struct wait_queue_entry *wq_entry)
{
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	kspin_lock(&wq_head->lock);
	list_add_tail(&wq_entry->entry, &wq_head->head);
	kspin_unlock(&wq_head->lock);
}
KEXPORT(add_wait_queue_exclusive);

KAPI static void add_wait_queue_priority(struct wait_queue_head *wq_head,
					 struct wait_queue_entry *wq_entry)
{
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE | WQ_FLAG_PRIORITY;
	kspin_lock(&wq_head->lock);
	list_add(&wq_entry->entry, &wq_head->head);
	kspin_unlock(&wq_head->lock);
}
KEXPORT_GPL(add_wait_queue_priority);

KAPI static void remove_wait_queue(struct wait_queue_head *wq_head,
				   struct wait_queue_entry *wq_entry)
{
	kspin_lock(&wq_head->lock);
	list_del_init(&wq_entry->entry);
	kspin_unlock(&wq_head->lock);
}
KEXPORT(remove_wait_queue);

/*
 * Walk the queue calling each entry's wake function; stop after
 * nr_exclusive exclusive waiters were woken (0: wake everybody), or
 * when a function returns < 0.  Called with the queue lock held.
 */
static void wake_up_common(struct wait_queue_head *wq_head, unsigned int mode,
			   int nr_exclusive, int wake_flags, void *key)
{
	struct wait_queue_entry *curr, *next;

	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int flags = curr->flags;
		int ret;

		if (flags & WQ_FLAG_BOOKMARK)
			continue;
		ret = curr->func(curr, mode, wake_flags, key);
		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
}

KAPI static void __wake_up(struct wait_queue_head *wq_head, unsigned int mode,
			   int nr_exclusive, void *key)
{
	kspin_lock(&wq_head->lock);
	wake_up_common(wq_head, mode, nr_exclusive, 0, key);
	kspin_unlock(&wq_head->lock);
}
KEXPORT(__wake_up);

KAPI static void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode,
				  int nr)
{
	wake_up_common(wq_head, mode, nr, 0, NULL);
}
KEXPORT_GPL(__wake_up_locked);

KAPI static void __wake_up_locked_key(struct wait_queue_head *wq_head,
				      unsigned int mode, void *key)
{
	wake_up_common(wq_head, mode, 1, 0, key);
}
KEXPORT_GPL(__wake_up_locked_key);

KAPI static void __wake_up_sync_key(struct wait_queue_head *wq_head,
				    unsigned int mode, void *key)
{
	kspin_lock(&wq_head->lock);
	wake_up_common(wq_head, mode, 1, WF_SYNC, key);
	kspin_unlock(&wq_head->lock);
}
KEXPORT_GPL(__wake_up_sync_key);

KAPI static void __wake_up_locked_sync_key(struct wait_queue_head *wq_head,
					   unsigned int mode, void *key)
{
	wake_up_common(wq_head, mode, 1, WF_SYNC, key);
}
KEXPORT_GPL(__wake_up_locked_sync_key);

KAPI static void __wake_up_sync(struct wait_queue_head *wq_head, unsigned int mode)
{
	__wake_up_sync_key(wq_head, mode, NULL);
}
KEXPORT_GPL(__wake_up_sync);

KAPI static int default_wake_function(struct wait_queue_entry *curr,
				      unsigned int mode, int wake_flags, void *key)
{
	(void)wake_flags;
	(void)key;
	return task_wake(curr->private, mode);
}
KEXPORT(default_wake_function);

KAPI static int autoremove_wake_function(struct wait_queue_entry *wq_entry,
					 unsigned int mode, int sync, void *key)
{
	int ret = default_wake_function(wq_entry, mode, sync, key);

	if (ret)
		list_del_init(&wq_entry->entry);
	return ret;
}
KEXPORT(autoremove_wake_function);

KAPI static int woken_wake_function(struct wait_queue_entry *wq_entry,
				    unsigned int mode, int sync, void *key)
{
	__atomic_fetch_or(&wq_entry->flags, WQ_FLAG_WOKEN, __ATOMIC_SEQ_CST);
	return default_wake_function(wq_entry, mode, sync, key);
}
KEXPORT(woken_wake_function);

KAPI static long wait_woken(struct wait_queue_entry *wq_entry, unsigned int mode,
			    long timeout)
{
	struct task_struct *t = task_current();

	task_set_state(t, mode);
	if (!(__atomic_load_n(&wq_entry->flags, __ATOMIC_SEQ_CST) & WQ_FLAG_WOKEN))
		timeout = schedule_timeout(timeout);
	task_set_state(t, TASK_RUNNING);
	__atomic_fetch_and(&wq_entry->flags, ~WQ_FLAG_WOKEN, __ATOMIC_SEQ_CST);
	return timeout;
}
KEXPORT(wait_woken);

KAPI static void init_wait_entry(struct wait_queue_entry *wq_entry, int flags)
{
	wq_entry->flags = (unsigned int)flags;
	wq_entry->private = task_current();
	wq_entry->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}
KEXPORT(init_wait_entry);

KAPI static void prepare_to_wait(struct wait_queue_head *wq_head,
				 struct wait_queue_entry *wq_entry, int state)
{
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	kspin_lock(&wq_head->lock);
	if (list_empty(&wq_entry->entry))
		wq_add(wq_head, wq_entry);
	task_set_state(task_current(), (unsigned int)state);
	kspin_unlock(&wq_head->lock);
}
KEXPORT(prepare_to_wait);

KAPI static bool prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
					   struct wait_queue_entry *wq_entry, int state)
{
	bool was_empty = false;

	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	kspin_lock(&wq_head->lock);
	if (list_empty(&wq_entry->entry)) {
		was_empty = list_empty(&wq_head->head);
		list_add_tail(&wq_entry->entry, &wq_head->head);
	}
	task_set_state(task_current(), (unsigned int)state);
	kspin_unlock(&wq_head->lock);
	return was_empty;
}
KEXPORT(prepare_to_wait_exclusive);

/* The wait_event() step: queue (once), set the state; 0, as no signal
 * can be pending. */
KAPI static long prepare_to_wait_event(struct wait_queue_head *wq_head,
				       struct wait_queue_entry *wq_entry, int state)
{
	kspin_lock(&wq_head->lock);
	if (list_empty(&wq_entry->entry)) {
		if (wq_entry->flags & WQ_FLAG_EXCLUSIVE)
			list_add_tail(&wq_entry->entry, &wq_head->head);
		else
			wq_add(wq_head, wq_entry);
	}
	task_set_state(task_current(), (unsigned int)state);
	kspin_unlock(&wq_head->lock);
	return 0;
}
KEXPORT(prepare_to_wait_event);

static bool list_empty_careful(const struct list_head *head)
{
	struct list_head *next = __atomic_load_n(&head->next, __ATOMIC_ACQUIRE);

	return next == head && next == head->prev;
}

KAPI static void finish_wait(struct wait_queue_head *wq_head,
			     struct wait_queue_entry *wq_entry)
{
	task_set_state(task_current(), TASK_RUNNING);
	if (!list_empty_careful(&wq_entry->entry)) {
		kspin_lock(&wq_head->lock);
		list_del_init(&wq_entry->entry);
		kspin_unlock(&wq_head->lock);
	}
}
KEXPORT(finish_wait);

/* ---- wait_var_event() and wait_on_bit() (kernel/sched/wait_bit.c) ---- */

#define BIT_WAIT_TABLE_BITS 8
#define BIT_WAIT_TABLE_SIZE (1u << BIT_WAIT_TABLE_BITS)

static struct wait_queue_head bit_wait_table[BIT_WAIT_TABLE_SIZE];

__attribute__((constructor)) static void bit_wait_table_init(void)
{
	for (unsigned int i = 0; i < BIT_WAIT_TABLE_SIZE; i++)
		__init_waitqueue_head(&bit_wait_table[i], NULL, NULL);
}

static unsigned int hash_bits(unsigned long v)
{
	return (unsigned int)((v * 0x61c8864680b583ebull) >> (64 - BIT_WAIT_TABLE_BITS));
}

KAPI static struct wait_queue_head *bit_waitqueue(void *word, int bit)
{
	return &bit_wait_table[hash_bits(((unsigned long)word << 6) | (unsigned int)bit)];
}
KEXPORT(bit_waitqueue);

KAPI static struct wait_queue_head *__var_waitqueue(void *p)
{
	return &bit_wait_table[hash_bits((unsigned long)p)];
}
KEXPORT(__var_waitqueue);

static bool test_bit_ul(int nr, const void *addr)
{
	const unsigned long *w = (const unsigned long *)addr + nr / 64;

	return (__atomic_load_n(w, __ATOMIC_ACQUIRE) >> (nr % 64)) & 1;
}

static bool test_and_set_bit_ul(int nr, void *addr)
{
	unsigned long *w = (unsigned long *)addr + nr / 64;
	unsigned long mask = 1ul << (nr % 64);

	return __atomic_fetch_or(w, mask, __ATOMIC_SEQ_CST) & mask;
}

static bool same_key(const struct wait_bit_queue_entry *wbq, const struct wait_bit_key *key)
{
	return wbq->key.flags == key->flags && wbq->key.bit_nr == key->bit_nr;
}

KAPI static int wake_bit_function(struct wait_queue_entry *wq_entry,
				  unsigned int mode, int sync, void *arg)
{
	struct wait_bit_key *key = arg;
	struct wait_bit_queue_entry *wbq =
		container_of(wq_entry, struct wait_bit_queue_entry, wq_entry);

	if (!same_key(wbq, key) || test_bit_ul(key->bit_nr, key->flags))
		return 0;
	return autoremove_wake_function(wq_entry, mode, sync, key);
}
KEXPORT(wake_bit_function);

static int var_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int sync, void *arg)
{
	struct wait_bit_key *key = arg;
	struct wait_bit_queue_entry *wbq =
		container_of(wq_entry, struct wait_bit_queue_entry, wq_entry);

	if (!same_key(wbq, key))
		return 0;
	return autoremove_wake_function(wq_entry, mode, sync, key);
}

KAPI static void init_wait_var_entry(struct wait_bit_queue_entry *wbq_entry,
				     void *var, int flags)
{
	wbq_entry->key.flags = var;
	wbq_entry->key.bit_nr = -1;
	wbq_entry->key.timeout = 0;
	wbq_entry->wq_entry.flags = (unsigned int)flags;
	wbq_entry->wq_entry.private = task_current();
	wbq_entry->wq_entry.func = var_wake_function;
	INIT_LIST_HEAD(&wbq_entry->wq_entry.entry);
}
KEXPORT(init_wait_var_entry);

KAPI static void __wake_up_bit(struct wait_queue_head *wq_head, void *word, int bit)
{
	struct wait_bit_key key = { .flags = word, .bit_nr = bit };

	if (!list_empty_careful(&wq_head->head))
		__wake_up(wq_head, TASK_NORMAL, 1, &key);
}
KEXPORT(__wake_up_bit);

KAPI static void wake_up_bit(void *word, int bit)
{
	__wake_up_bit(bit_waitqueue(word, bit), word, bit);
}
KEXPORT(wake_up_bit);

KAPI static void wake_up_var(void *var)
{
	__wake_up_bit(__var_waitqueue(var), var, -1);
}
KEXPORT(wake_up_var);

typedef int (*wait_bit_action_f)(struct wait_bit_key *key, int mode);

KAPI static int bit_wait(struct wait_bit_key *word, int mode)
{
	(void)word;
	(void)mode;
	schedule();
	return 0;
}
KEXPORT(bit_wait);

KAPI static int bit_wait_io(struct wait_bit_key *word, int mode)
{
	(void)word;
	(void)mode;
	io_schedule();
	return 0;
}
KEXPORT(bit_wait_io);

KAPI static int bit_wait_timeout(struct wait_bit_key *word, int mode)
{
	unsigned long now = jiffies_now();

	(void)mode;
	if (time_after_eq(now, word->timeout))
		return -EAGAIN;
	schedule_timeout((long)(word->timeout - now));
	return 0;
}
KEXPORT_GPL(bit_wait_timeout);

KAPI static int bit_wait_io_timeout(struct wait_bit_key *word, int mode)
{
	return bit_wait_timeout(word, mode);
}
KEXPORT_GPL(bit_wait_io_timeout);

static void init_wait_bit(struct wait_bit_queue_entry *e, void *word, int bit)
{
	e->key.flags = word;
	e->key.bit_nr = bit;
	e->key.timeout = 0;
	e->wq_entry.flags = 0;
	e->wq_entry.private = task_current();
	e->wq_entry.func = wake_bit_function;
	INIT_LIST_HEAD(&e->wq_entry.entry);
}

static int wait_on_bit_common(void *word, int bit, wait_bit_action_f action,
			      unsigned int mode, struct wait_bit_queue_entry *e)
{
	struct wait_queue_head *wq_head = bit_waitqueue(word, bit);
	int ret = 0;

	do {
		prepare_to_wait(wq_head, &e->wq_entry, (int)mode);
		if (test_bit_ul(bit, word))
			ret = action(&e->key, (int)mode);
	} while (test_bit_ul(bit, word) && !ret);
	finish_wait(wq_head, &e->wq_entry);
	return ret;
}

KAPI static int out_of_line_wait_on_bit(void *word, int bit, wait_bit_action_f action,
					unsigned int mode)
{
	struct wait_bit_queue_entry e;

	init_wait_bit(&e, word, bit);
	return wait_on_bit_common(word, bit, action, mode, &e);
}
KEXPORT(out_of_line_wait_on_bit);

KAPI static int out_of_line_wait_on_bit_timeout(void *word, int bit,
						wait_bit_action_f action,
						unsigned int mode, unsigned long timeout)
{
	struct wait_bit_queue_entry e;

	init_wait_bit(&e, word, bit);
	e.key.timeout = jiffies_now() + timeout;
	return wait_on_bit_common(word, bit, action, mode, &e);
}
KEXPORT_GPL(out_of_line_wait_on_bit_timeout);

KAPI static int out_of_line_wait_on_bit_lock(void *word, int bit,
					     wait_bit_action_f action, unsigned int mode)
{
	struct wait_queue_head *wq_head = bit_waitqueue(word, bit);
	struct wait_bit_queue_entry e;
	int ret = 0;

	init_wait_bit(&e, word, bit);
	for (;;) {
		prepare_to_wait_exclusive(wq_head, &e.wq_entry, (int)mode);
		if (test_bit_ul(bit, word)) {
			ret = action(&e.key, (int)mode);
			if (ret)
				finish_wait(wq_head, &e.wq_entry);
		}
		if (!test_and_set_bit_ul(bit, word)) {
			if (!ret)
				finish_wait(wq_head, &e.wq_entry);
			return 0;
		}
		if (ret)
			return ret;
	}
}
KEXPORT(out_of_line_wait_on_bit_lock);

/* ---- simple wait queues (kernel/sched/swait.c) ---- */

KAPI static void __init_swait_queue_head(struct swait_queue_head *q, const char *name,
					 void *key)
{
	(void)name;
	(void)key;
	q->lock.val = 0;
	INIT_LIST_HEAD(&q->task_list);
}
KEXPORT(__init_swait_queue_head);

/* Wake the first waiter and take it off the queue; lock held. */
KAPI static void swake_up_locked(struct swait_queue_head *q)
{
	struct swait_queue *curr;

	if (list_empty(&q->task_list))
		return;
	curr = list_entry(q->task_list.next, struct swait_queue, task_list);
	task_wake(curr->task, TASK_NORMAL);
	list_del_init(&curr->task_list);
}
KEXPORT(swake_up_locked);

KAPI static void swake_up_one(struct swait_queue_head *q)
{
	kspin_lock(&q->lock);
	swake_up_locked(q);
	kspin_unlock(&q->lock);
}
KEXPORT(swake_up_one);

static void swake_up_all_locked(struct swait_queue_head *q)
{
	while (!list_empty(&q->task_list))
		swake_up_locked(q);
}

KAPI static void swake_up_all(struct swait_queue_head *q)
{
	kspin_lock(&q->lock);
	swake_up_all_locked(q);
	kspin_unlock(&q->lock);
}
KEXPORT(swake_up_all);

KAPI static void prepare_to_swait_exclusive(struct swait_queue_head *q,
					    struct swait_queue *wait, int state)
{
	kspin_lock(&q->lock);
	if (list_empty(&wait->task_list))
		list_add_tail(&wait->task_list, &q->task_list);
	task_set_state(task_current(), (unsigned int)state);
	kspin_unlock(&q->lock);
}
KEXPORT(prepare_to_swait_exclusive);

KAPI static long prepare_to_swait_event(struct swait_queue_head *q,
					struct swait_queue *wait, int state)
{
	prepare_to_swait_exclusive(q, wait, state);
	return 0;
}
KEXPORT(prepare_to_swait_event);

KAPI static void finish_swait(struct swait_queue_head *q, struct swait_queue *wait)
{
	task_set_state(task_current(), TASK_RUNNING);
	if (!list_empty_careful(&wait->task_list)) {
		kspin_lock(&q->lock);
		list_del_init(&wait->task_list);
		kspin_unlock(&q->lock);
	}
}
KEXPORT(finish_swait);

/* ---- completions (kernel/sched/completion.c) ---- */

#define COMPLETION_ALL 0xffffffffu	/* UINT_MAX: complete_all() */

KAPI static void complete(struct completion *x)
{
	kspin_lock(&x->wait.lock);
	if (x->done != COMPLETION_ALL)
		x->done++;
	swake_up_locked(&x->wait);
	kspin_unlock(&x->wait.lock);
}
KEXPORT(complete);

KAPI static void complete_all(struct completion *x)
{
	kspin_lock(&x->wait.lock);
	x->done = COMPLETION_ALL;
	swake_up_all_locked(&x->wait);
	kspin_unlock(&x->wait.lock);
}
KEXPORT(complete_all);

static long wait_for_common(struct completion *x, long timeout, unsigned int state)
{
	struct task_struct *me = task_current();

	check_atomic_sleep(me);
	kspin_lock(&x->wait.lock);
	if (!x->done) {
		struct swait_queue wait = { .task = me };

		INIT_LIST_HEAD(&wait.task_list);
		do {
			if (list_empty(&wait.task_list))
				list_add_tail(&wait.task_list, &x->wait.task_list);
			task_set_state(me, state);
			kspin_unlock(&x->wait.lock);
			timeout = task_schedule_timeout(timeout);
			kspin_lock(&x->wait.lock);
		} while (!x->done && timeout);
		if (!list_empty(&wait.task_list))
			list_del_init(&wait.task_list);
		task_set_state(me, TASK_RUNNING);
		if (!x->done) {
			kspin_unlock(&x->wait.lock);
			return timeout;
		}
	}
	if (x->done != COMPLETION_ALL)
		x->done--;
	kspin_unlock(&x->wait.lock);
	return timeout ? timeout : 1;
}

KAPI static void wait_for_completion(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}
KEXPORT(wait_for_completion);

KAPI static unsigned long wait_for_completion_timeout(struct completion *x,
						      unsigned long timeout)
{
	return (unsigned long)wait_for_common(x, (long)timeout, TASK_UNINTERRUPTIBLE);
}
KEXPORT(wait_for_completion_timeout);

KAPI static void wait_for_completion_io(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}
KEXPORT(wait_for_completion_io);

KAPI static unsigned long wait_for_completion_io_timeout(struct completion *x,
							 unsigned long timeout)
{
	return (unsigned long)wait_for_common(x, (long)timeout, TASK_UNINTERRUPTIBLE);
}
KEXPORT(wait_for_completion_io_timeout);

KAPI static int wait_for_completion_interruptible(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_INTERRUPTIBLE);
	return 0;
}
KEXPORT(wait_for_completion_interruptible);

KAPI static long wait_for_completion_interruptible_timeout(struct completion *x,
							   unsigned long timeout)
{
	return wait_for_common(x, (long)timeout, TASK_INTERRUPTIBLE);
}
KEXPORT(wait_for_completion_interruptible_timeout);

KAPI static int wait_for_completion_killable(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE);
	return 0;
}
KEXPORT(wait_for_completion_killable);

KAPI static long wait_for_completion_killable_timeout(struct completion *x,
						      unsigned long timeout)
{
	return wait_for_common(x, (long)timeout, TASK_KILLABLE);
}
KEXPORT(wait_for_completion_killable_timeout);

KAPI static int wait_for_completion_state(struct completion *x, unsigned int state)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, state);
	return 0;
}
KEXPORT(wait_for_completion_state);

KAPI static bool try_wait_for_completion(struct completion *x)
{
	bool ret = true;

	if (!__atomic_load_n(&x->done, __ATOMIC_ACQUIRE))
		return false;
	kspin_lock(&x->wait.lock);
	if (!x->done)
		ret = false;
	else if (x->done != COMPLETION_ALL)
		x->done--;
	kspin_unlock(&x->wait.lock);
	return ret;
}
KEXPORT(try_wait_for_completion);

KAPI static bool completion_done(struct completion *x)
{
	if (!__atomic_load_n(&x->done, __ATOMIC_ACQUIRE))
		return false;
	/* wait for a complete() still holding the lock to let go of it */
	kspin_lock(&x->wait.lock);
	kspin_unlock(&x->wait.lock);
	return true;
}
KEXPORT(completion_done);
