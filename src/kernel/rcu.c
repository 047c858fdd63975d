// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RCU for modules (PREEMPT_RCU), on the struct layouts of sched_abi.h:
 * rcu_read_lock() counts in current's rcu_read_lock_nesting, and a
 * per-CPU counter ticks each time a CPU leaves its outermost read-side
 * critical section.  synchronize_rcu() waits for every reader that was
 * inside when it started; call_rcu() callbacks run after such a grace
 * period on the RCU thread, through modcall() so a faulting callback is
 * an Oops, not a crash.
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
#include "kernel/list.h"
#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/slab.h"
#include "kernel/time.h"
#include "kernel/traps.h"

extern unsigned long __per_cpu_offset[];
extern char current_task[];

/* Ticks when a CPU leaves its outermost read-side critical section. */
static unsigned long rcu_qs[NR_CPUS_EMULATED];

void rcu_quiescent(int cpu)
{
	if (cpu >= 0)
		__atomic_add_fetch(&rcu_qs[cpu], 1, __ATOMIC_RELEASE);
}

static struct task_struct *cpu_task(int cpu)
{
	unsigned long base = __atomic_load_n(&__per_cpu_offset[cpu], __ATOMIC_ACQUIRE);

	if (!base)
		return NULL;
	return *(struct task_struct **)(base + (uintptr_t)current_task);
}

KAPI static void __rcu_read_lock(void)
{
	struct task_struct *t = task_current();

	__atomic_store_n(&t->rcu_read_lock_nesting, t->rcu_read_lock_nesting + 1,
			 __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
KEXPORT_GPL(__rcu_read_lock);

KAPI static void __rcu_read_unlock(void)
{
	struct task_struct *t = task_current();
	int n = t->rcu_read_lock_nesting - 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&t->rcu_read_lock_nesting, n, __ATOMIC_RELEASE);
	if (n == 0) {
		int cpu = percpu_this_cpu();

		rcu_quiescent(cpu);
	}
}
KEXPORT_GPL(__rcu_read_unlock);

void kernel_synchronize_rcu(void)
{
	static const struct timespec tick = { 0, 1000000 };
	unsigned long snap[NR_CPUS_EMULATED];
	bool reader[NR_CPUS_EMULATED];
	int self = percpu_this_cpu();

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int cpu = 0; cpu < NR_CPUS_EMULATED; cpu++) {
		struct task_struct *t = cpu_task(cpu);

		reader[cpu] = false;
		if (!t || cpu == self)
			continue;
		snap[cpu] = __atomic_load_n(&rcu_qs[cpu], __ATOMIC_ACQUIRE);
		reader[cpu] = __atomic_load_n(&t->rcu_read_lock_nesting,
					      __ATOMIC_ACQUIRE) > 0;
	}
	/* A reader found inside is done once its CPU was seen outside, or
	 * left a critical section (readers that entered later do not count). */
	for (int cpu = 0; cpu < NR_CPUS_EMULATED; cpu++) {
		struct task_struct *t = cpu_task(cpu);

		while (reader[cpu] &&
		       __atomic_load_n(&t->rcu_read_lock_nesting, __ATOMIC_ACQUIRE) > 0 &&
		       __atomic_load_n(&rcu_qs[cpu], __ATOMIC_ACQUIRE) == snap[cpu])
			nanosleep(&tick, NULL);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

KAPI static void synchronize_rcu(void)
{
	kernel_synchronize_rcu();
}
KEXPORT_GPL(synchronize_rcu);
KEXPORT_GPL_AS("synchronize_rcu_expedited", synchronize_rcu);

/*
 * call_rcu(): callbacks wait on a FIFO; the RCU thread takes the whole
 * queue as one batch, waits one grace period for it and invokes it.
 * The thread starts with the first callback and leaves after two idle
 * seconds.  A callback whose "function" is a small number is
 * kvfree_rcu()'s: the offset of the rcu_head in the object to free.
 */
#define KVFREE_RCU_OFFSET_MAX 4096ul

static pthread_mutex_t rcu_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rcu_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t rcu_done_cond = PTHREAD_COND_INITIALIZER;
static struct callback_head *rcu_queue, **rcu_queue_tail = &rcu_queue;
static struct callback_head *rcu_batch;	/* after its grace period */
static const struct callback_head *rcu_running;
static void (*rcu_running_fn)(struct callback_head *);
static unsigned long rcu_queued, rcu_done;
static bool rcu_thread_up;

struct rcu_call {
	void (*fn)(struct callback_head *);
	struct callback_head *head;
};

static void run_rcu_fn(void *arg)
{
	struct rcu_call *c = arg;

	modcall_fn((void (*)(void))c->fn, (unsigned long)c->head, 0);
}

static void invoke_rcu_callback(struct callback_head *head,
				void (*fn)(struct callback_head *))
{
	if ((unsigned long)fn < KVFREE_RCU_OFFSET_MAX) {
		kfree((char *)head - (unsigned long)fn);
	} else {
		struct rcu_call c = { fn, head };
		struct sched_ctx ctx;

		sched_ctx_save(&ctx);
		if (modcall(run_rcu_fn, &c))
			sched_ctx_restore(&ctx);
	}
}

static void *rcu_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&rcu_lock);
	for (;;) {
		struct callback_head *h;

		while (!rcu_queue) {
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 2;
			if (pthread_cond_timedwait(&rcu_wake, &rcu_lock, &until) == ETIMEDOUT &&
			    !rcu_queue) {
				rcu_thread_up = false;
				pthread_mutex_unlock(&rcu_lock);
				return NULL;
			}
		}
		rcu_batch = rcu_queue;
		rcu_queue = NULL;
		rcu_queue_tail = &rcu_queue;
		pthread_mutex_unlock(&rcu_lock);

		kernel_synchronize_rcu();

		pthread_mutex_lock(&rcu_lock);
		while ((h = rcu_batch)) {
			void (*fn)(struct callback_head *) = h->func;

			rcu_batch = h->next;
			rcu_running = h;
			rcu_running_fn = fn;
			pthread_mutex_unlock(&rcu_lock);
			invoke_rcu_callback(h, fn);
			pthread_mutex_lock(&rcu_lock);
			rcu_running = NULL;
			rcu_running_fn = NULL;
			rcu_done++;
			pthread_cond_broadcast(&rcu_done_cond);
		}
	}
}

void kernel_call_rcu(struct callback_head *head, void (*func)(struct callback_head *))
{
	head->func = func;
	head->next = NULL;
	pthread_mutex_lock(&rcu_lock);
	*rcu_queue_tail = head;
	rcu_queue_tail = &head->next;
	rcu_queued++;
	if (!rcu_thread_up) {
		pthread_t t;
		pthread_attr_t a;

		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &a, rcu_thread, NULL) == 0) {
			pthread_setname_np(t, "rcu_preempt");
			rcu_thread_up = true;
		} else {
			pr_err("rcu: cannot start the RCU thread\n");
		}
		pthread_attr_destroy(&a);
	} else {
		pthread_cond_signal(&rcu_wake);
	}
	pthread_mutex_unlock(&rcu_lock);
}

KAPI static void call_rcu(struct callback_head *head, void (*func)(struct callback_head *))
{
	kernel_call_rcu(head, func);
}
KEXPORT_GPL(call_rcu);

KAPI static void kvfree_call_rcu(struct callback_head *head,
				 void (*func)(struct callback_head *))
{
	if (!head) {
		/* kvfree_rcu(ptr) without an rcu_head: may sleep */
		kernel_synchronize_rcu();
		kfree((void *)func);
		return;
	}
	kernel_call_rcu(head, func);
}
KEXPORT_GPL(kvfree_call_rcu);

KAPI static void rcu_barrier(void)
{
	pthread_mutex_lock(&rcu_lock);
	for (unsigned long target = rcu_queued; (long)(rcu_done - target) < 0;)
		pthread_cond_wait(&rcu_done_cond, &rcu_lock);
	pthread_mutex_unlock(&rcu_lock);
}
KEXPORT_GPL(rcu_barrier);

static bool addr_in(const void *p, unsigned long start, unsigned long end)
{
	return (unsigned long)p >= start && (unsigned long)p < end;
}

static bool rcu_cb_in(const struct callback_head *h, void (*fn)(struct callback_head *),
		      unsigned long start, unsigned long end)
{
	return addr_in(h, start, end) || addr_in((const void *)fn, start, end);
}

static unsigned int purge_list(struct callback_head **pp, unsigned long start,
			       unsigned long end, struct callback_head ***tail)
{
	unsigned int n = 0;

	while (*pp) {
		struct callback_head *h = *pp;

		if (rcu_cb_in(h, h->func, start, end)) {
			*pp = h->next;
			n++;
			continue;
		}
		pp = &h->next;
	}
	if (tail)
		*tail = pp;
	return n;
}

unsigned int rcu_purge_range(unsigned long start, unsigned long end)
{
	unsigned int n;

	pthread_mutex_lock(&rcu_lock);
	while (rcu_running && rcu_cb_in(rcu_running, rcu_running_fn, start, end))
		pthread_cond_wait(&rcu_done_cond, &rcu_lock);
	n = purge_list(&rcu_queue, start, end, &rcu_queue_tail);
	n += purge_list(&rcu_batch, start, end, NULL);
	rcu_done += n;		/* rcu_barrier() need not wait for them */
	if (n)
		pthread_cond_broadcast(&rcu_done_cond);
	pthread_mutex_unlock(&rcu_lock);
	return n;
}
