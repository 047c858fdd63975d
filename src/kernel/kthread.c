// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel/kthread.c for modules.  kthread_create_on_node() starts a host
 * thread that becomes a task of the emulated machine (a per-CPU area of
 * its own, PF_KTHREAD, its name as comm and as the host thread's name)
 * and sleeps uninterruptibly until wake_up_process(), as a new kernel
 * thread does.  Then threadfn(data) runs through modcall(): an Oops in
 * it ends that thread only.  kthread_stop() sets the stop flag, wakes
 * the thread, waits for it to end and returns threadfn's result, or
 * -EINTR when it was stopped before it ever ran.
 *
 * Each kernel thread holds one of the emulated CPUs for its whole life,
 * so at most KTHREAD_MAX exist at once; kthread_create() beyond that
 * fails with -EAGAIN and says so in the log.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

#include "kernel/export.h"
#include "kernel/kthread.h"
#include "kernel/list.h"
#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/vsprintf.h"

#define KTHREAD_MAX 16

struct kthread {
	struct list_head node;
	struct task_struct *task;	/* once the thread is a task */
	int (*threadfn)(void *data);
	void *data;
	char comm[16];			/* TASK_COMM_LEN */
	int result;			/* 0 after an Oops, as in Linux */
	int create_err;
	bool ready;			/* the thread is a task (or failed to become one) */
	bool ran;			/* threadfn was entered */
	bool exited;
	bool should_stop;
};

static struct list_head kthreads = LIST_HEAD_INIT(kthreads);
static pthread_mutex_t kthread_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kthread_cond = PTHREAD_COND_INITIALIZER;
static unsigned int nr_kthreads;	/* threads started and not yet ended */
static __thread struct kthread *this_kthread;

static void *err_ptr(int err)
{
	return (void *)(long)err;
}

static void run_threadfn(void *arg)
{
	struct kthread *k = arg;

	k->result = (int)modcall_fn((void (*)(void))k->threadfn, (unsigned long)k->data, 0);
}

static void *kthread_main(void *arg)
{
	struct kthread *k = arg;
	struct task_struct *t;
	int err;

	pthread_setname_np(pthread_self(), k->comm);
	err = percpu_thread_enter();
	pthread_mutex_lock(&kthread_lock);
	if (err) {
		/* the creator frees k once it sees ready */
		k->create_err = err;
		k->ready = true;
		nr_kthreads--;
		pthread_cond_broadcast(&kthread_cond);
		pthread_mutex_unlock(&kthread_lock);
		return NULL;
	}
	t = task_current();
	t->flags |= PF_KTHREAD;
	/* asleep before anyone can see the task: a wake_up_process() right
	 * after kthread_create() finds it sleeping */
	task_set_state(t, TASK_UNINTERRUPTIBLE);
	k->task = t;
	k->ready = true;
	this_kthread = k;
	pthread_cond_broadcast(&kthread_cond);
	pthread_mutex_unlock(&kthread_lock);

	task_schedule();	/* until wake_up_process() */

	pthread_mutex_lock(&kthread_lock);
	k->ran = !__atomic_load_n(&k->should_stop, __ATOMIC_ACQUIRE);
	pthread_mutex_unlock(&kthread_lock);
	if (k->ran)
		modcall(run_threadfn, k);
	else
		k->result = -EINTR;

	pthread_mutex_lock(&kthread_lock);
	t->flags &= ~PF_KTHREAD;	/* the CPU's task goes to the next thread */
	this_kthread = NULL;
	k->exited = true;
	nr_kthreads--;
	pthread_cond_broadcast(&kthread_cond);
	pthread_mutex_unlock(&kthread_lock);
	return NULL;
}

/* kthread_lock held: the newest kthread that is (or was) task */
static struct kthread *find_kthread(const struct task_struct *task)
{
	struct kthread *k;

	list_for_each_entry(k, &kthreads, node)
		if (k->task == task)
			return k;
	return NULL;
}

/* kthread_lock held: forget ended threads whose task k now is (their
 * task_struct is another thread's now: nobody may stop them any more) */
static void forget_ended(const struct task_struct *task)
{
	struct kthread *k, *n;

	list_for_each_entry_safe(k, n, &kthreads, node) {
		if (k->task == task && k->exited) {
			list_del_init(&k->node);
			free(k);
		}
	}
}

KAPI static struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data,
						       int node, const char namefmt[], ...)
{
	struct kthread *k = calloc(1, sizeof(*k));
	pthread_attr_t a;
	pthread_t th;
	va_list ap;
	int err;

	(void)node;	/* one NUMA node */
	if (!k)
		return err_ptr(-ENOMEM);
	va_start(ap, namefmt);
	kernel_vsnprintf(k->comm, sizeof(k->comm), namefmt, ap);
	va_end(ap);
	k->threadfn = threadfn;
	k->data = data;

	pthread_mutex_lock(&kthread_lock);
	if (nr_kthreads >= KTHREAD_MAX) {
		pthread_mutex_unlock(&kthread_lock);
		pr_warn("kthread: %s not created: %u kernel threads exist, kmodfs's limit\n",
			k->comm, KTHREAD_MAX);
		free(k);
		return err_ptr(-EAGAIN);
	}
	nr_kthreads++;
	pthread_mutex_unlock(&kthread_lock);

	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&th, &a, kthread_main, k);
	pthread_attr_destroy(&a);
	pthread_mutex_lock(&kthread_lock);
	if (err) {
		nr_kthreads--;
		pthread_mutex_unlock(&kthread_lock);
		free(k);
		return err_ptr(-EAGAIN);
	}
	while (!k->ready)
		pthread_cond_wait(&kthread_cond, &kthread_lock);
	err = k->create_err;
	if (!err) {
		forget_ended(k->task);
		list_add(&k->node, &kthreads);
	}
	pthread_mutex_unlock(&kthread_lock);
	if (err) {
		free(k);
		return err_ptr(err);
	}
	return k->task;
}
KEXPORT(kthread_create_on_node);

KAPI static bool kthread_should_stop(void)
{
	return this_kthread && __atomic_load_n(&this_kthread->should_stop, __ATOMIC_ACQUIRE);
}
KEXPORT(kthread_should_stop);

/* kthread_lock held: stop k and wait for its end; returns its result
 * and frees it */
static int stop_and_reap(struct kthread *k)
{
	int ret;

	__atomic_store_n(&k->should_stop, true, __ATOMIC_RELEASE);
	if (!k->exited)
		task_wake(k->task, TASK_NORMAL);
	while (!k->exited)
		pthread_cond_wait(&kthread_cond, &kthread_lock);
	ret = k->result;
	list_del_init(&k->node);
	free(k);
	return ret;
}

KAPI static int kthread_stop(struct task_struct *task)
{
	struct kthread *k;
	int ret;

	pthread_mutex_lock(&kthread_lock);
	k = find_kthread(task);
	if (!k) {
		pthread_mutex_unlock(&kthread_lock);
		pr_err("kthread_stop: %px is not a kernel thread\n", (void *)task);
		return -EINVAL;
	}
	ret = stop_and_reap(k);
	pthread_mutex_unlock(&kthread_lock);
	return ret;
}
KEXPORT(kthread_stop);

unsigned int kthreads_purge_range(unsigned long start, unsigned long end,
				  unsigned int *running)
{
	struct kthread *k, *n;
	unsigned int stopped = 0;

	*running = 0;
	pthread_mutex_lock(&kthread_lock);
	list_for_each_entry_safe(k, n, &kthreads, node) {
		unsigned long fn = (unsigned long)k->threadfn;

		if (fn < start || fn >= end)
			continue;
		if (k->exited) {
			list_del_init(&k->node);	/* its module is gone: nobody stops it */
			free(k);
		} else if (!k->ran) {
			stop_and_reap(k);	/* never woken: it ends without running */
			stopped++;
		} else {
			(*running)++;
		}
	}
	pthread_mutex_unlock(&kthread_lock);
	return stopped;
}
