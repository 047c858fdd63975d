// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel/workqueue.c for modules.
 *
 * Works are Linux's struct work_struct and delayed_work, used the way
 * Linux uses them: work->data carries WORK_STRUCT_PENDING (the bit the
 * modules' inline work_pending() tests) and, while the work is queued,
 * its workqueue pointer | flush color | WORK_STRUCT_PWQ; work->entry
 * links it into the queue; a delayed work waits on its own timer_list,
 * set up by the module's INIT_DELAYED_WORK() to call
 * delayed_work_timer_fn(), which queues it when the timer fires.
 *
 * One pool of worker threads serves every workqueue, taking works in
 * FIFO order while honouring each workqueue's max_active (1 for ordered
 * queues) and never running one work_struct on two workers at once.  A
 * worker is started when a work is queued and no worker is idle (up to
 * MAX_WORKERS) -- so a work that sleeps does not hold up the others, as
 * with Linux's concurrency-managed pools -- and leaves after
 * WORKER_IDLE_SECS without work.  Works run through modcall(): a work
 * that faults is an Oops and the worker goes on.
 *
 * flush_workqueue() uses Linux's flush colors: every queued work carries
 * the color of the workqueue's current flush generation, a flush starts
 * a new generation and waits for the older colors to drain.
 *
 * Locking: wq_lock protects all of it.  Work functions run without it.
 * The timer API is called with it held (timer.c's lock nests inside);
 * delayed_work_timer_fn() takes it, so nothing waits for a timer
 * callback while holding wq_lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/export.h"
#include "kernel/list.h"
#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/workqueue.h"

#define MAX_WORKERS 32		/* of the emulated machine's 64 CPUs */
#define WORKER_IDLE_SECS 5
#define WQ_UNBOUND_MAX_ACTIVE 512

struct workqueue_struct {
	char name[WQ_NAME_LEN];
	unsigned int flags;
	int max_active;
	int nr_active;			/* works executing now */
	unsigned long gen;		/* flush generation; color = gen % 16 */
	int nr_in_flight[WORK_NR_COLORS];	/* queued + executing */
	bool is_static;
} __attribute__((aligned(1 << WORK_STRUCT_FLAG_BITS)));

struct worker {
	struct list_head node;
	int id;
	struct work_struct *current_work;
	work_func_t current_func;
	struct workqueue_struct *current_wq;
	unsigned int current_color;
	unsigned long exec_id;		/* counts executions */
};

/* flush_work(): waiting for the queued instance to be taken by a worker
 * (worker NULL), then for that execution to end. */
struct flush_waiter {
	struct list_head node;
	struct work_struct *work;
	struct worker *worker;
	unsigned long exec_id;
	bool done;
};

static pthread_mutex_t wq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;	/* workers */
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;	/* waiters */
static struct list_head worklist = LIST_HEAD_INIT(worklist);
static struct list_head armed = LIST_HEAD_INIT(armed);	/* delayed works */
static struct list_head workers = LIST_HEAD_INIT(workers);
static struct list_head flushers = LIST_HEAD_INIT(flushers);
static int nr_workers, nr_idle, nr_wakeups, next_worker_id;
static __thread struct worker *this_worker;

void print_worker_info(void)
{
	struct worker *w = this_worker;	/* only this thread changes it */

	if (w && w->current_func)
		printk(KERN_DEFAULT "Workqueue: %s %ps\n",
		       w->current_wq ? w->current_wq->name : "", (void *)w->current_func);
}

/* ---- the system workqueues ---- */

#define SYSTEM_WQ(var, str, fl, max)                                          \
	static struct workqueue_struct var = {                                 \
		.name = str, .flags = fl, .max_active = max, .is_static = true \
	}

SYSTEM_WQ(wq_events, "events", 0, WQ_DFL_ACTIVE);
SYSTEM_WQ(wq_highpri, "events_highpri", WQ_HIGHPRI, WQ_DFL_ACTIVE);
SYSTEM_WQ(wq_long, "events_long", 0, WQ_DFL_ACTIVE);
SYSTEM_WQ(wq_unbound, "events_unbound", WQ_UNBOUND, WQ_UNBOUND_MAX_ACTIVE);
SYSTEM_WQ(wq_freezable, "events_freezable", WQ_FREEZABLE, WQ_DFL_ACTIVE);
SYSTEM_WQ(wq_power, "events_power_efficient", WQ_POWER_EFFICIENT, WQ_DFL_ACTIVE);
SYSTEM_WQ(wq_freezable_power, "events_freezable_power_", /* truncated, as Linux */
	  WQ_FREEZABLE | WQ_POWER_EFFICIENT, WQ_DFL_ACTIVE);

struct workqueue_struct *system_wq = &wq_events;
struct workqueue_struct *system_highpri_wq = &wq_highpri;
struct workqueue_struct *system_long_wq = &wq_long;
struct workqueue_struct *system_unbound_wq = &wq_unbound;
struct workqueue_struct *system_freezable_wq = &wq_freezable;
struct workqueue_struct *system_power_efficient_wq = &wq_power;
struct workqueue_struct *system_freezable_power_efficient_wq = &wq_freezable_power;
KEXPORT(system_wq);
KEXPORT_GPL(system_highpri_wq);
KEXPORT_GPL(system_long_wq);
KEXPORT_GPL(system_unbound_wq);
KEXPORT_GPL(system_freezable_wq);
KEXPORT_GPL(system_power_efficient_wq);
KEXPORT_GPL(system_freezable_power_efficient_wq);

static bool timer_is_pending(const struct timer_list *t)
{
	return __atomic_load_n(&t->entry.pprev, __ATOMIC_ACQUIRE) != NULL;
}

/* ---- work->data ---- */

static unsigned long work_data(const struct work_struct *w)
{
	return __atomic_load_n(&w->data, __ATOMIC_ACQUIRE);
}

static void set_work_data(struct work_struct *w, unsigned long d)
{
	__atomic_store_n(&w->data, d, __ATOMIC_RELEASE);
}

static struct workqueue_struct *data_wq(unsigned long d)
{
	return (struct workqueue_struct *)(d & WORK_STRUCT_WQ_DATA_MASK);
}

static unsigned int data_color(unsigned long d)
{
	return (unsigned int)(d >> WORK_STRUCT_COLOR_SHIFT) % WORK_NR_COLORS;
}

/* A delayed work waiting on its timer: pending, not queued, linked on
 * the armed list. */
static bool dwork_armed(struct delayed_work *dw)
{
	unsigned long d = work_data(&dw->work);

	return (d & WORK_STRUCT_PENDING) && !(d & (WORK_STRUCT_PWQ | WORK_OFFQ_CANCELING)) &&
	       !list_empty(&dw->work.entry);
}

static struct worker *running_worker(struct work_struct *w)
{
	struct worker *k;

	list_for_each_entry(k, &workers, node)
		if (k->current_work == w && k->current_func == w->func)
			return k;
	return NULL;
}

/* ---- workers ---- */

static void *worker_main(void *arg);

static void spawn_worker(void)
{
	struct worker *k = calloc(1, sizeof(*k));
	pthread_attr_t a;
	pthread_t t;

	if (!k)
		return;
	k->id = next_worker_id++;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &a, worker_main, k)) {
		pr_warn_once("workqueue: cannot start a worker thread\n");
		free(k);
	} else {
		list_add_tail(&k->node, &workers);
		nr_workers++;
	}
	pthread_attr_destroy(&a);
}

/* A work became runnable: wake an idle worker, or start one. */
static void kick_workers(void)
{
	if (nr_idle > nr_wakeups) {
		nr_wakeups++;
		pthread_cond_signal(&work_cond);
	} else if (nr_workers < MAX_WORKERS) {
		spawn_worker();
	}
}

static void enqueue(struct workqueue_struct *wq, struct work_struct *w)
{
	unsigned int color = (unsigned int)(wq->gen % WORK_NR_COLORS);

	wq->nr_in_flight[color]++;
	set_work_data(w, (unsigned long)wq | ((unsigned long)color << WORK_STRUCT_COLOR_SHIFT) |
				 WORK_STRUCT_PWQ | WORK_STRUCT_PENDING);
	list_add_tail(&w->entry, &worklist);
	kick_workers();
}

static struct work_struct *pick_work(void)
{
	struct work_struct *w;

	list_for_each_entry(w, &worklist, entry) {
		struct workqueue_struct *wq = data_wq(work_data(w));

		if (wq->nr_active >= wq->max_active)
			continue;
		if (running_worker(w))
			continue;	/* never on two workers at once */
		return w;
	}
	return NULL;
}

struct work_call {
	work_func_t fn;
	struct work_struct *w;
};

static void run_work_fn(void *arg)
{
	struct work_call *c = arg;

	modcall_fn((void (*)(void))c->fn, (unsigned long)c->w, 0);
}

/* Execute one work; wq_lock held on entry and exit, dropped around it. */
static void process_one_work(struct worker *me, struct work_struct *w)
{
	unsigned long d = work_data(w);
	struct workqueue_struct *wq = data_wq(d);
	struct work_call call = { w->func, w };
	struct flush_waiter *f;
	struct sched_ctx ctx;
	unsigned int pc;
	int err;

	list_del_init(&w->entry);
	/* off the queue: it may be queued again from now on */
	set_work_data(w, WORK_STRUCT_NO_POOL);
	me->current_work = w;
	me->current_func = call.fn;
	me->current_wq = wq;
	me->current_color = data_color(d);
	me->exec_id++;
	wq->nr_active++;
	list_for_each_entry(f, &flushers, node) {
		if (!f->worker && f->work == w) {
			f->worker = me;
			f->exec_id = me->exec_id;
		}
	}
	pthread_mutex_unlock(&wq_lock);

	sched_ctx_save(&ctx);
	err = modcall(run_work_fn, &call);
	pc = *preempt_count_ptr();
	if (!err && (pc != ctx.preempt_count ||
		     task_current()->rcu_read_lock_nesting != ctx.rcu_nesting)) {
		struct task_struct *t = task_current();

		pr_err("BUG: workqueue leaked lock or atomic: %s/0x%08x/%d\n", t->comm,
		       pc & ~PREEMPT_NEED_RESCHED, t->pid);
		pr_err("     last function: %ps\n", (void *)call.fn);
		err = 1;
	}
	if (err)
		sched_ctx_restore(&ctx);

	pthread_mutex_lock(&wq_lock);
	me->current_work = NULL;
	me->current_func = NULL;
	me->current_wq = NULL;
	wq->nr_active--;
	wq->nr_in_flight[me->current_color]--;
	list_for_each_entry(f, &flushers, node)
		if (f->worker == me && f->exec_id == me->exec_id)
			f->done = true;
	pthread_cond_broadcast(&done_cond);
	/* a max_active slot came free: let an idle worker look too */
	if (nr_idle && !list_empty(&worklist))
		pthread_cond_signal(&work_cond);
}

static void *worker_main(void *arg)
{
	struct worker *me = arg;
	char name[16];

	snprintf(name, sizeof(name), "kworker/u%d:%d", NR_CPUS_EMULATED, me->id);
	pthread_setname_np(pthread_self(), name);
	this_worker = me;
	task_current()->flags |= PF_WQ_WORKER;

	pthread_mutex_lock(&wq_lock);
	for (;;) {
		struct work_struct *w = pick_work();

		if (!w) {
			struct timespec until;
			int r;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += WORKER_IDLE_SECS;
			nr_idle++;
			r = pthread_cond_timedwait(&work_cond, &wq_lock, &until);
			nr_idle--;
			if (nr_wakeups)
				nr_wakeups--;
			if (r == ETIMEDOUT && !pick_work())
				break;
			continue;
		}
		process_one_work(me, w);
	}
	list_del_init(&me->node);
	nr_workers--;
	pthread_mutex_unlock(&wq_lock);
	task_current()->flags &= ~PF_WQ_WORKER;
	free(me);
	return NULL;
}

/* ---- queueing ---- */

/* Only works running on the draining workqueue may queue more on it. */
static bool queue_allowed(struct workqueue_struct *wq)
{
	static bool warned;

	if (!(wq->flags & __WQ_DRAINING))
		return true;
	if (this_worker && this_worker->current_wq == wq)
		return true;
	if (!__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
		kernel_warn("kernel/workqueue.c", 1530, "__queue_work",
			    "workqueue: queueing on %s while it is being drained\n", wq->name);
	return false;
}

KAPI static bool queue_work_on(int cpu, struct workqueue_struct *wq,
			       struct work_struct *work)
{
	bool ret = false;

	(void)cpu;	/* any worker serves any CPU */
	pthread_mutex_lock(&wq_lock);
	if (!(work_data(work) & WORK_STRUCT_PENDING) && queue_allowed(wq)) {
		enqueue(wq, work);
		ret = true;
	}
	pthread_mutex_unlock(&wq_lock);
	return ret;
}
KEXPORT(queue_work_on);

KAPI static bool queue_work_node(int node, struct workqueue_struct *wq,
				 struct work_struct *work)
{
	(void)node;
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}
KEXPORT_GPL(queue_work_node);

KAPI static void delayed_work_timer_fn(struct timer_list *t);

/* Queue a delayed work whose PENDING bit the caller owns; wq_lock held. */
static void queue_delayed(int cpu, struct workqueue_struct *wq,
			  struct delayed_work *dw, unsigned long delay)
{
	static bool warned;
	if (dw->timer.function != delayed_work_timer_fn &&
	    !__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
		kernel_warn("kernel/workqueue.c", 1672, "__queue_delayed_work",
			    "workqueue: delayed work %ps was not set up with INIT_DELAYED_WORK\n",
			    (void *)dw->work.func);
	if (!delay) {
		enqueue(wq, &dw->work);
		return;
	}
	dw->wq = wq;
	dw->cpu = cpu;
	list_add_tail(&dw->work.entry, &armed);
	mod_timer(&dw->timer, jiffies_now() + delay);
}

KAPI static bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
				       struct delayed_work *dwork, unsigned long delay)
{
	bool ret = false;

	pthread_mutex_lock(&wq_lock);
	if (!(work_data(&dwork->work) & WORK_STRUCT_PENDING) && queue_allowed(wq)) {
		set_work_data(&dwork->work, WORK_STRUCT_NO_POOL | WORK_STRUCT_PENDING);
		queue_delayed(cpu, wq, dwork, delay);
		ret = true;
	}
	pthread_mutex_unlock(&wq_lock);
	return ret;
}
KEXPORT(queue_delayed_work_on);

/* The timer of a delayed work fired: queue it (unless it was grabbed,
 * or re-armed, meanwhile). */
KAPI static void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dw = container_of(t, struct delayed_work, timer);

	pthread_mutex_lock(&wq_lock);
	if (dwork_armed(dw) && !timer_is_pending(&dw->timer)) {
		list_del_init(&dw->work.entry);
		enqueue(dw->wq, &dw->work);
	}
	pthread_mutex_unlock(&wq_lock);
}
KEXPORT(delayed_work_timer_fn);

bool is_delayed_work_timer(const struct timer_list *t)
{
	return t->function == delayed_work_timer_fn;
}

/* ---- cancelling ---- */

static void finish_dequeue_waiters(struct work_struct *w)
{
	struct flush_waiter *f;

	list_for_each_entry(f, &flushers, node)
		if (!f->worker && f->work == w)
			f->done = true;	/* the instance it waited for is gone */
}

/*
 * Take the PENDING bit of a work, wherever the work is: off the queue,
 * off its timer, or idle.  Returns 1 if it was pending, 0 if it was
 * idle, -ENOENT if another cancel owns it.  wq_lock held.
 */
static int grab_pending(struct work_struct *w)
{
	unsigned long d = work_data(w);

	if (!(d & WORK_STRUCT_PENDING)) {
		set_work_data(w, d | WORK_STRUCT_PENDING);
		return 0;
	}
	if (d & WORK_STRUCT_PWQ) {
		list_del_init(&w->entry);
		data_wq(d)->nr_in_flight[data_color(d)]--;
		finish_dequeue_waiters(w);
		set_work_data(w, WORK_STRUCT_NO_POOL | WORK_STRUCT_PENDING);
		pthread_cond_broadcast(&done_cond);
		return 1;
	}
	if (d & WORK_OFFQ_CANCELING)
		return -ENOENT;
	if (!list_empty(&w->entry)) {
		/* on its timer; a callback already running finds it gone */
		struct delayed_work *dw = container_of(w, struct delayed_work, work);
		kapi_timer_delete(&dw->timer);
		list_del_init(&w->entry);
	}
	return 1;
}

static bool cancel_common(struct work_struct *w, struct delayed_work *dw)
{
	int ret;

	pthread_mutex_lock(&wq_lock);
	ret = grab_pending(w);
	if (ret >= 0)
		set_work_data(w, WORK_STRUCT_NO_POOL);
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&wq_lock);
	/* like Linux, return only once a firing timer is done with it */
	if (dw && ret > 0) {
		timer_delete_sync(&dw->timer);
	}
	return ret > 0;
}

static bool cancel_sync_common(struct work_struct *w, struct delayed_work *dw)
{
	struct worker *k;
	int ret;

	pthread_mutex_lock(&wq_lock);
	while ((ret = grab_pending(w)) < 0)
		pthread_cond_wait(&done_cond, &wq_lock);	/* another cancel */
	/* queueing fails while we wait: PENDING stays set */
	set_work_data(w, WORK_STRUCT_NO_POOL | WORK_OFFQ_CANCELING | WORK_STRUCT_PENDING);
	pthread_mutex_unlock(&wq_lock);
	if (dw) {
		timer_delete_sync(&dw->timer);
	}
	pthread_mutex_lock(&wq_lock);
	while ((k = running_worker(w)) && k != this_worker)
		pthread_cond_wait(&done_cond, &wq_lock);
	set_work_data(w, WORK_STRUCT_NO_POOL);
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&wq_lock);
	return ret > 0;
}

KAPI static bool cancel_work(struct work_struct *work)
{
	return cancel_common(work, NULL);
}
KEXPORT(cancel_work);

KAPI static bool cancel_delayed_work(struct delayed_work *dwork)
{
	return cancel_common(&dwork->work, dwork);
}
KEXPORT(cancel_delayed_work);

KAPI static bool cancel_work_sync(struct work_struct *work)
{
	return cancel_sync_common(work, NULL);
}
KEXPORT_GPL(cancel_work_sync);

KAPI static bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return cancel_sync_common(&dwork->work, dwork);
}
KEXPORT(cancel_delayed_work_sync);

KAPI static bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
				     struct delayed_work *dwork, unsigned long delay)
{
	int ret;

	pthread_mutex_lock(&wq_lock);
	ret = grab_pending(&dwork->work);
	if (ret >= 0)
		queue_delayed(cpu, wq, dwork, delay);
	pthread_mutex_unlock(&wq_lock);
	return ret != 0;
}
KEXPORT_GPL(mod_delayed_work_on);

/* ---- flushing ---- */

/* Wait for the last queued or running instance of a work; wq_lock held
 * on entry, dropped on return. */
static bool flush_work_locked(struct work_struct *w)
{
	struct flush_waiter f = { .work = w };
	struct worker *k;

	if (work_data(w) & WORK_STRUCT_PWQ) {
		/* wait for the queued instance */
	} else if ((k = running_worker(w)) && k != this_worker) {
		f.worker = k;
		f.exec_id = k->exec_id;
	} else {
		pthread_mutex_unlock(&wq_lock);
		return false;
	}
	list_add_tail(&f.node, &flushers);
	while (!f.done)
		pthread_cond_wait(&done_cond, &wq_lock);
	list_del_init(&f.node);
	pthread_mutex_unlock(&wq_lock);
	return true;
}

KAPI static bool flush_work(struct work_struct *work)
{
	pthread_mutex_lock(&wq_lock);
	return flush_work_locked(work);
}
KEXPORT_GPL(flush_work);

KAPI static bool flush_delayed_work(struct delayed_work *dwork)
{
	pthread_mutex_lock(&wq_lock);
	if (dwork_armed(dwork)) {
		/* run it now instead of when the timer says */
		kapi_timer_delete(&dwork->timer);
		list_del_init(&dwork->work.entry);
		enqueue(dwork->wq, &dwork->work);
	}
	return flush_work_locked(&dwork->work);
}
KEXPORT(flush_delayed_work);

/* Whether works of generations up to and including gen are all done;
 * a worker's own work does not count (it would wait for itself). */
static bool generation_done(struct workqueue_struct *wq, unsigned long gen)
{
	unsigned long newer = wq->gen - gen;
	int self = (this_worker && this_worker->current_wq == wq)
			   ? (int)this_worker->current_color : -1;

	if (newer >= WORK_NR_COLORS)
		return true;	/* every color was empty since */
	for (unsigned long k = 0; k < WORK_NR_COLORS - newer; k++) {
		unsigned int c = (unsigned int)((gen - k) % WORK_NR_COLORS);

		if (wq->nr_in_flight[c] - ((int)c == self) > 0)
			return false;
	}
	return true;
}

static void flush_workqueue_common(struct workqueue_struct *wq)
{
	unsigned long gen;

	pthread_mutex_lock(&wq_lock);
	gen = wq->gen;
	/* start a new color, once the one it reuses has drained */
	while (wq->gen == gen && wq->nr_in_flight[(gen + 1) % WORK_NR_COLORS] &&
	       !generation_done(wq, gen))
		pthread_cond_wait(&done_cond, &wq_lock);
	if (wq->gen == gen && !wq->nr_in_flight[(gen + 1) % WORK_NR_COLORS])
		wq->gen++;
	while (!generation_done(wq, gen))
		pthread_cond_wait(&done_cond, &wq_lock);
	pthread_mutex_unlock(&wq_lock);
}

KAPI static void __flush_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue_common(wq);
}
KEXPORT(__flush_workqueue);

static bool wq_idle(struct workqueue_struct *wq)
{
	int self = (this_worker && this_worker->current_wq == wq)
			   ? (int)this_worker->current_color : -1;

	for (int c = 0; c < WORK_NR_COLORS; c++)
		if (wq->nr_in_flight[c] - (c == self) > 0)
			return false;
	return true;
}

KAPI static void drain_workqueue(struct workqueue_struct *wq)
{
	bool idle;

	pthread_mutex_lock(&wq_lock);
	wq->flags |= __WQ_DRAINING;
	pthread_mutex_unlock(&wq_lock);
	do {
		flush_workqueue_common(wq);
		pthread_mutex_lock(&wq_lock);
		idle = wq_idle(wq);
		pthread_mutex_unlock(&wq_lock);
	} while (!idle);
	pthread_mutex_lock(&wq_lock);
	wq->flags &= ~__WQ_DRAINING;
	pthread_mutex_unlock(&wq_lock);
}
KEXPORT_GPL(drain_workqueue);

/* ---- workqueues ---- */

KAPI static struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
						     int max_active, ...)
{
	struct workqueue_struct *wq = aligned_alloc(_Alignof(struct workqueue_struct),
						    sizeof(*wq));
	int lim = (flags & WQ_UNBOUND) ? WQ_UNBOUND_MAX_ACTIVE : WQ_MAX_ACTIVE;
	va_list ap;

	if (!wq)
		return NULL;
	memset(wq, 0, sizeof(*wq));
	va_start(ap, max_active);
	kernel_vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	/* an unbound queue of one used to mean an ordered one */
	if ((flags & WQ_UNBOUND) && max_active == 1)
		flags |= __WQ_ORDERED;
	if (!max_active)
		max_active = WQ_DFL_ACTIVE;
	if (max_active < 1 || max_active > lim) {
		pr_warn("workqueue: max_active %d requested for %s is out of range, clamping between %d and %d\n",
			max_active, wq->name, 1, lim);
		max_active = max_active < 1 ? 1 : lim;
	}
	wq->flags = flags;
	wq->max_active = max_active;
	return wq;
}
KEXPORT_GPL(alloc_workqueue);

KAPI static void destroy_workqueue(struct workqueue_struct *wq)
{
	struct work_struct *w, *n;
	unsigned int stranded = 0;

	drain_workqueue(wq);
	pthread_mutex_lock(&wq_lock);
	/* Linux leaves these to fire into the freed queue; cancel them */
	list_for_each_entry_safe(w, n, &armed, entry) {
		struct delayed_work *dw = container_of(w, struct delayed_work, work);

		if (dw->wq != wq)
			continue;
		kapi_timer_delete(&dw->timer);
		list_del_init(&w->entry);
		set_work_data(w, WORK_STRUCT_NO_POOL);
		stranded++;
	}
	pthread_mutex_unlock(&wq_lock);
	if (stranded)
		pr_warn("workqueue: destroy_workqueue(%s): %u delayed work(s) still on their timer, cancelled\n",
			wq->name, stranded);
	if (!wq->is_static)
		free(wq);
}
KEXPORT_GPL(destroy_workqueue);

KAPI static void workqueue_set_max_active(struct workqueue_struct *wq, int max_active)
{
	int lim = (wq->flags & WQ_UNBOUND) ? WQ_UNBOUND_MAX_ACTIVE : WQ_MAX_ACTIVE;

	if (wq->flags & __WQ_ORDERED_EXPLICIT) {
		kernel_warn("kernel/workqueue.c", 4690, "workqueue_set_max_active",
			    "workqueue: %s is ordered\n", wq->name);
		return;
	}
	if (max_active < 1)
		max_active = 1;
	if (max_active > lim)
		max_active = lim;
	pthread_mutex_lock(&wq_lock);
	wq->flags &= ~__WQ_ORDERED;
	wq->max_active = max_active;
	if (nr_idle)
		pthread_cond_broadcast(&work_cond);
	pthread_mutex_unlock(&wq_lock);
}
KEXPORT_GPL(workqueue_set_max_active);

KAPI static bool workqueue_congested(int cpu, struct workqueue_struct *wq)
{
	struct work_struct *w;
	bool waiting = false;

	(void)cpu;
	pthread_mutex_lock(&wq_lock);
	list_for_each_entry(w, &worklist, entry)
		if (data_wq(work_data(w)) == wq)
			waiting = true;
	waiting = waiting && wq->nr_active >= wq->max_active;
	pthread_mutex_unlock(&wq_lock);
	return waiting;
}
KEXPORT_GPL(workqueue_congested);

KAPI static unsigned int work_busy(struct work_struct *work)
{
	unsigned int ret = 0;

	pthread_mutex_lock(&wq_lock);
	if (work_data(work) & WORK_STRUCT_PENDING)
		ret |= WORK_BUSY_PENDING;
	if (running_worker(work))
		ret |= WORK_BUSY_RUNNING;
	pthread_mutex_unlock(&wq_lock);
	return ret;
}
KEXPORT_GPL(work_busy);

KAPI static struct work_struct *current_work(void)
{
	return this_worker ? this_worker->current_work : NULL;
}
KEXPORT(current_work);

/* Run fn now unless in interrupt context (a softirq or bh-disabled
 * section), else on system_wq; 1 if it was deferred. */
KAPI static int execute_in_process_context(work_func_t fn, struct execute_work *ew)
{
	unsigned int *pc = preempt_count_ptr();

	if (!pc || !(*pc & (SOFTIRQ_MASK | HARDIRQ_MASK | NMI_MASK))) {
		fn(&ew->work);
		return 0;
	}
	set_work_data(&ew->work, WORK_STRUCT_NO_POOL);
	INIT_LIST_HEAD(&ew->work.entry);
	ew->work.func = fn;
	queue_work_on(WORK_CPU_UNBOUND, system_wq, &ew->work);
	return 1;
}
KEXPORT_GPL(execute_in_process_context);

/* ---- module unload ---- */

static bool in_range(const void *p, unsigned long start, unsigned long end)
{
	return (unsigned long)p >= start && (unsigned long)p < end;
}

static bool work_in_range(struct work_struct *w, work_func_t fn, unsigned long start,
			  unsigned long end)
{
	return in_range(w, start, end) || in_range((const void *)fn, start, end);
}

static bool running_in_range(unsigned long start, unsigned long end)
{
	struct worker *k;

	list_for_each_entry(k, &workers, node)
		if (k != this_worker && k->current_work &&
		    work_in_range(k->current_work, k->current_func, start, end))
			return true;
	return false;
}

/* Take the queued works in range off the queue; wq_lock held. */
static unsigned int purge_queued(unsigned long start, unsigned long end)
{
	struct work_struct *w, *n;
	unsigned int count = 0;

	list_for_each_entry_safe(w, n, &worklist, entry) {
		unsigned long d = work_data(w);

		if (!work_in_range(w, w->func, start, end))
			continue;
		list_del_init(&w->entry);
		data_wq(d)->nr_in_flight[data_color(d)]--;
		finish_dequeue_waiters(w);
		set_work_data(w, WORK_STRUCT_NO_POOL);
		count++;
	}
	if (count)
		pthread_cond_broadcast(&done_cond);
	return count;
}

/* Take the delayed works in range off their timers, one at a time,
 * waiting for a firing timer; wq_lock held, dropped meanwhile. */
static unsigned int purge_armed(unsigned long start, unsigned long end)
{
	unsigned int count = 0;

	for (;;) {
		struct delayed_work *found = NULL;
		struct work_struct *w;

		list_for_each_entry(w, &armed, entry) {
			struct delayed_work *dw = container_of(w, struct delayed_work, work);

			if (work_in_range(w, w->func, start, end) || in_range(dw, start, end)) {
				found = dw;
				break;
			}
		}
		if (!found)
			return count;
		kapi_timer_delete(&found->timer);
		list_del_init(&found->work.entry);
		set_work_data(&found->work, WORK_STRUCT_NO_POOL);
		count++;
		pthread_mutex_unlock(&wq_lock);
		timer_delete_sync(&found->timer);
		pthread_mutex_lock(&wq_lock);
	}
}

unsigned int works_purge_range(unsigned long start, unsigned long end)
{
	unsigned int count = 0;
	pthread_mutex_lock(&wq_lock);
	/* take what waits first, so that nothing else starts; then wait for
	 * what runs, and take what that queued */
	for (;;) {
		count += purge_queued(start, end);
		count += purge_armed(start, end);
		if (!running_in_range(start, end))
			break;
		pthread_cond_wait(&done_cond, &wq_lock);
	}
	pthread_mutex_unlock(&wq_lock);
	return count + rcu_purge_range(start, end);
}
