// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kbuild test module: the synchronisation and deferred-work API as a
 * Debian-built module uses it -- spinlocks and rwlocks, mutexes,
 * rw_semaphores, semaphores, wait queues, completions, workqueues,
 * delayed works, RCU, refcount_t and ratelimiting -- with the inline
 * parts (wait_event, INIT_WORK, refcount_inc, set_current_state...)
 * compiled from the real 6.1 headers.
 *
 * Every scenario checks its own results; init prints "ksync: NAME ok"
 * per scenario and returns 0 only if every check passed.
 *
 * bug=listadd|listdel|fortify makes init hit that kernel check (an
 * Oops); bug=workoops runs a faulting work; bug=atomic sleeps under a
 * spinlock and runs a work that leaks one; leave=1 leaves works queued
 * for the loader to purge.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodfs test: locks, waits, completions, workqueues, RCU");

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "listadd, listdel, fortify, workoops or atomic");
static bool leave;
module_param(leave, bool, 0444);
MODULE_PARM_DESC(leave, "leave works pending for the loader to purge");

#include "kcheck.h"

/* Poll (sleeping) until cond holds or a second has passed. */
#define WAIT_UNTIL(cond)                                                       \
	({                                                                     \
		unsigned long __end = jiffies + HZ;                            \
		while (!(cond) && time_before(jiffies, __end))                 \
			msleep(1);                                             \
		(cond);                                                        \
	})

static void scenario(const char *name, int failures_before)
{
	if (failures == failures_before)
		pr_info("%s ok\n", name);
	else
		pr_err("%s FAILED\n", name);
}

/* ---- spinlocks and rwlocks ---- */

#define SPIN_ROUNDS 100000

static DEFINE_SPINLOCK(slock);
static DEFINE_SPINLOCK(slock2);
static DEFINE_RWLOCK(rwl);
static unsigned long shared_counter;	/* only ever touched under slock */

static void spin_work_fn(struct work_struct *w)
{
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		spin_lock(&slock);
		shared_counter++;
		spin_unlock(&slock);
	}
}

static DECLARE_WORK(spin_work1, spin_work_fn);
static DECLARE_WORK(spin_work2, spin_work_fn);

static void test_spinlocks(void)
{
	int before = failures;
	unsigned long flags, flags2;

	CHECK(!in_atomic(), "preempt_count %#x", preempt_count());
	spin_lock(&slock);
	CHECK(in_atomic(), "spin_lock() disables preemption");
	CHECK(spin_is_locked(&slock));
	CHECK(!spin_trylock(&slock));
	spin_unlock(&slock);
	CHECK(!in_atomic());
	CHECK(!spin_is_locked(&slock));
	CHECK(spin_trylock(&slock));
	spin_unlock(&slock);

	spin_lock_irqsave(&slock, flags);
	CHECK(!irqs_disabled_flags(flags), "flags %#lx", flags);
	spin_lock_irqsave(&slock2, flags2);
	CHECK(irqs_disabled_flags(flags2), "nested flags %#lx", flags2);
	spin_unlock_irqrestore(&slock2, flags2);
	spin_unlock_irqrestore(&slock, flags);

	spin_lock_bh(&slock);
	CHECK(in_softirq() && !in_irq(), "preempt_count %#x", preempt_count());
	spin_unlock_bh(&slock);
	CHECK(!in_softirq());
	spin_lock_irq(&slock);
	spin_unlock_irq(&slock);
	CHECK(!in_atomic());

	read_lock(&rwl);
	read_lock(&rwl);
	CHECK(!write_trylock(&rwl), "a writer got in beside two readers");
	read_unlock(&rwl);
	read_unlock(&rwl);
	CHECK(write_trylock(&rwl));
	CHECK(!read_trylock(&rwl), "a reader got in beside the writer");
	write_unlock(&rwl);
	write_lock_irqsave(&rwl, flags);
	write_unlock_irqrestore(&rwl, flags);
	read_lock_bh(&rwl);
	read_unlock_bh(&rwl);
	CHECK(!in_atomic());

	/* mutual exclusion under contention: init and two workers */
	shared_counter = 0;
	queue_work(system_unbound_wq, &spin_work1);
	queue_work(system_unbound_wq, &spin_work2);
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		spin_lock_irqsave(&slock, flags);
		shared_counter++;
		spin_unlock_irqrestore(&slock, flags);
	}
	flush_work(&spin_work1);
	flush_work(&spin_work2);
	CHECK(shared_counter == 3 * SPIN_ROUNDS, "counter %lu", shared_counter);
	scenario("spinlocks", before);
}

/* ---- mutexes ---- */

static DEFINE_MUTEX(mtx);
static atomic_t mtx_stage = ATOMIC_INIT(0);

static void mutex_work_fn(struct work_struct *w)
{
	atomic_set(&mtx_stage, 1);
	mutex_lock(&mtx);
	atomic_set(&mtx_stage, 2);
	msleep(200);
	atomic_set(&mtx_stage, 3);
	mutex_unlock(&mtx);
}

static DECLARE_WORK(mutex_work, mutex_work_fn);

struct locked_obj {
	struct mutex lock;
	int value;
};

static void test_mutex(void)
{
	int before = failures;
	struct locked_obj *obj;

	mutex_lock(&mtx);
	queue_work(system_wq, &mutex_work);
	CHECK(WAIT_UNTIL(atomic_read(&mtx_stage) == 1), "the work did not start");
	msleep(50);
	CHECK(atomic_read(&mtx_stage) == 1, "the work took the mutex init holds");
	CHECK(mutex_is_locked(&mtx));
	mutex_unlock(&mtx);
	CHECK(WAIT_UNTIL(atomic_read(&mtx_stage) >= 2), "the work never got the mutex");
	CHECK(!mutex_trylock(&mtx), "trylock succeeded while the work holds it");
	mutex_lock(&mtx);	/* sleeps until the work lets go */
	CHECK(atomic_read(&mtx_stage) == 3, "stage %d", atomic_read(&mtx_stage));
	mutex_unlock(&mtx);
	flush_work(&mutex_work);
	CHECK(!mutex_is_locked(&mtx));

	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	CHECK(obj != NULL);
	if (obj) {
		mutex_init(&obj->lock);
		CHECK(mutex_lock_interruptible(&obj->lock) == 0);
		CHECK(mutex_is_locked(&obj->lock));
		mutex_unlock(&obj->lock);
		CHECK(mutex_lock_killable(&obj->lock) == 0);
		mutex_unlock(&obj->lock);
		mutex_destroy(&obj->lock);
		kfree(obj);
	}
	scenario("mutex", before);
}

/* ---- rw_semaphores and semaphores ---- */

static DECLARE_RWSEM(rwsem);
static atomic_t rwsem_stage = ATOMIC_INIT(0);
static struct semaphore sem;

static void rwsem_work_fn(struct work_struct *w)
{
	atomic_set(&rwsem_stage, 1);
	down_write(&rwsem);
	atomic_set(&rwsem_stage, 2);
	msleep(100);
	up_write(&rwsem);
}

static void sem_work_fn(struct work_struct *w)
{
	msleep(30);
	up(&sem);
}

static DECLARE_WORK(rwsem_work, rwsem_work_fn);
static DECLARE_WORK(sem_work, sem_work_fn);

static void test_rwsem(void)
{
	int before = failures;
	unsigned long start;

	down_read(&rwsem);
	CHECK(down_read_trylock(&rwsem), "a second reader");
	up_read(&rwsem);
	queue_work(system_wq, &rwsem_work);
	CHECK(WAIT_UNTIL(atomic_read(&rwsem_stage) == 1));
	msleep(50);
	CHECK(atomic_read(&rwsem_stage) == 1, "the writer got in beside a reader");
	CHECK(!down_write_trylock(&rwsem));
	CHECK(rwsem_is_locked(&rwsem));
	up_read(&rwsem);
	CHECK(WAIT_UNTIL(atomic_read(&rwsem_stage) == 2), "the writer never got in");
	CHECK(!down_read_trylock(&rwsem), "a reader got in beside the writer");
	down_read(&rwsem);	/* waits for the writer */
	up_read(&rwsem);
	flush_work(&rwsem_work);
	CHECK(down_write_trylock(&rwsem));
	downgrade_write(&rwsem);
	CHECK(down_read_trylock(&rwsem));
	up_read(&rwsem);
	up_read(&rwsem);
	CHECK(!rwsem_is_locked(&rwsem));

	sema_init(&sem, 1);
	CHECK(down_trylock(&sem) == 0);
	CHECK(down_trylock(&sem) == 1, "the semaphore had a second unit");
	start = jiffies;
	CHECK(down_timeout(&sem, HZ / 25) == -ETIME);
	CHECK(jiffies - start >= HZ / 25, "down_timeout gave up after %lu", jiffies - start);
	queue_work(system_wq, &sem_work);
	CHECK(down_timeout(&sem, HZ) == 0, "up() from a work did not wake down()");
	up(&sem);
	down(&sem);
	up(&sem);
	flush_work(&sem_work);
	scenario("rwsem", before);
}

/* ---- wait queues ---- */

static DECLARE_WAIT_QUEUE_HEAD(waitq);
static int timer_flag, work_flag, never_flag, var_flag;
static unsigned long timer_fired_at;
static struct timer_list wake_timer;
static struct task_struct *sleeper;
static long sleeper_left;
static DECLARE_COMPLETION(sleeper_ready);

static void wake_timer_fn(struct timer_list *t)
{
	timer_fired_at = jiffies;
	WRITE_ONCE(timer_flag, 1);
	wake_up(&waitq);
}

static void wake_work_fn(struct work_struct *w)
{
	msleep(20);
	WRITE_ONCE(work_flag, 1);
	wake_up_interruptible(&waitq);
}

static void var_work_fn(struct work_struct *w)
{
	msleep(20);
	WRITE_ONCE(var_flag, 1);
	wake_up_var(&var_flag);
}

static void sleeper_fn(struct work_struct *w)
{
	sleeper = current;
	set_current_state(TASK_UNINTERRUPTIBLE);
	complete(&sleeper_ready);
	sleeper_left = schedule_timeout(5 * HZ);
}

static DECLARE_WORK(wake_work, wake_work_fn);
static DECLARE_WORK(var_work, var_work_fn);
static DECLARE_WORK(sleeper_work, sleeper_fn);

static void test_waitqueues(void)
{
	int before = failures;
	unsigned long start;
	long ret;
	DEFINE_WAIT(wait);

	/* wait_event_timeout() woken by a timer */
	timer_setup(&wake_timer, wake_timer_fn, 0);
	start = jiffies;
	mod_timer(&wake_timer, start + HZ / 10);
	ret = wait_event_timeout(waitq, READ_ONCE(timer_flag), HZ);
	CHECK(ret > 0, "timed out");
	CHECK(time_after_eq(jiffies, start + HZ / 10), "woken after %lu jiffies",
	      jiffies - start);
	CHECK(ret <= HZ - HZ / 10 + 1, "%ld jiffies left", ret);
	pr_info("wait_event_timeout: woken by a timer after %lu jiffies, %ld left\n",
		timer_fired_at - start, ret);
	del_timer_sync(&wake_timer);

	/* ... and timing out */
	start = jiffies;
	ret = wait_event_timeout(waitq, READ_ONCE(never_flag), HZ / 20);
	CHECK(ret == 0, "ret %ld", ret);
	CHECK(jiffies - start >= HZ / 20, "gave up after %lu jiffies", jiffies - start);

	/* wait_event_interruptible() woken by a work */
	queue_work(system_wq, &wake_work);
	CHECK(wait_event_interruptible(waitq, READ_ONCE(work_flag)) == 0);
	CHECK(READ_ONCE(work_flag));
	flush_work(&wake_work);
	ret = wait_event_interruptible_timeout(waitq, READ_ONCE(never_flag), HZ / 25);
	CHECK(ret == 0, "ret %ld", ret);

	/* the open-coded form */
	work_flag = 0;
	queue_work(system_wq, &wake_work);
	for (;;) {
		prepare_to_wait(&waitq, &wait, TASK_INTERRUPTIBLE);
		if (READ_ONCE(work_flag))
			break;
		schedule();
	}
	finish_wait(&waitq, &wait);
	CHECK(current->__state == TASK_RUNNING);
	flush_work(&wake_work);

	/* wait_var_event() */
	queue_work(system_wq, &var_work);
	wait_var_event(&var_flag, READ_ONCE(var_flag));
	CHECK(READ_ONCE(var_flag));
	flush_work(&var_work);

	/* wake_up_process() ends schedule_timeout() early */
	queue_work(system_wq, &sleeper_work);
	wait_for_completion(&sleeper_ready);
	msleep(30);
	CHECK(wake_up_process(sleeper) == 1, "the sleeper was not asleep");
	flush_work(&sleeper_work);
	CHECK(sleeper_left > 0 && sleeper_left < 5 * HZ, "%ld jiffies left", sleeper_left);
	CHECK(wake_up_process(current) == 0, "woke a running task");
	scenario("waitqueues", before);
}

/* ---- completions ---- */

static struct completion comp;
static DECLARE_COMPLETION(comp_static);

static void complete_work_fn(struct work_struct *w)
{
	msleep(30);
	complete(&comp);
}

static void complete_dwork_fn(struct work_struct *w)
{
	complete(&comp_static);
}

static DECLARE_WORK(complete_work, complete_work_fn);
static DECLARE_DELAYED_WORK(complete_dwork, complete_dwork_fn);

static void test_completions(void)
{
	int before = failures;
	unsigned long start;
	unsigned long left;

	init_completion(&comp);
	CHECK(!completion_done(&comp));
	CHECK(!try_wait_for_completion(&comp));
	start = jiffies;
	left = wait_for_completion_timeout(&comp, HZ / 20);
	CHECK(left == 0, "%lu left", left);
	CHECK(jiffies - start >= HZ / 20, "gave up after %lu", jiffies - start);

	queue_work(system_wq, &complete_work);
	left = wait_for_completion_timeout(&comp, HZ);
	CHECK(left > 0 && left < HZ, "%lu left", left);
	pr_info("completion: completed by a work with %lu of %d jiffies left\n", left, HZ);
	flush_work(&complete_work);

	complete(&comp);
	complete(&comp);
	CHECK(completion_done(&comp));
	CHECK(try_wait_for_completion(&comp));
	CHECK(try_wait_for_completion(&comp));
	CHECK(!try_wait_for_completion(&comp), "a third completion from two complete()s");

	complete_all(&comp);
	wait_for_completion(&comp);
	CHECK(wait_for_completion_interruptible(&comp) == 0);
	CHECK(wait_for_completion_killable(&comp) == 0);
	CHECK(completion_done(&comp));
	reinit_completion(&comp);
	CHECK(!completion_done(&comp));
	CHECK(wait_for_completion_interruptible_timeout(&comp, HZ / 25) == 0);

	schedule_delayed_work(&complete_dwork, HZ / 20);
	wait_for_completion(&comp_static);
	CHECK(!delayed_work_pending(&complete_dwork));
	scenario("completions", before);
}

/* ---- workqueues ---- */

static struct delayed_work timed_dwork;
static unsigned long dwork_queued_at, dwork_ran_at;
static atomic_t dwork_runs = ATOMIC_INIT(0);
static DECLARE_COMPLETION(dwork_done);

static void timed_dwork_fn(struct work_struct *w)
{
	struct delayed_work *dw = to_delayed_work(w);

	dwork_ran_at = jiffies;
	atomic_inc(&dwork_runs);
	if (dw != &timed_dwork || current_work() != w)
		pr_err("FAIL: the work is not itself\n");
	complete(&dwork_done);
}

static atomic_t slow_started = ATOMIC_INIT(0), slow_finished = ATOMIC_INIT(0);

static void slow_fn(struct work_struct *w)
{
	atomic_inc(&slow_started);
	msleep(100);
	atomic_inc(&slow_finished);
}

/*
 * Two of these on a concurrent queue: each waits (up to 2 s) until it
 * sees the other one running.  Side by side, both meet; one after the
 * other, only the second does.  (A time bound would fail on a busy host.)
 */
static atomic_t pair_running = ATOMIC_INIT(0), pair_met = ATOMIC_INIT(0);

static void pair_fn(struct work_struct *w)
{
	unsigned long until = jiffies + 2 * HZ;

	atomic_inc(&pair_running);
	while (atomic_read(&pair_running) < 2 && time_before(jiffies, until))
		msleep(1);
	if (atomic_read(&pair_running) >= 2)
		atomic_inc(&pair_met);
	atomic_inc(&slow_finished);
}

static atomic_t quick_runs = ATOMIC_INIT(0);

static void quick_fn(struct work_struct *w)
{
	atomic_inc(&quick_runs);
}

#define NR_ORDERED 4
static struct work_struct ordered_works[NR_ORDERED];
static int order[NR_ORDERED], order_pos, overlaps;
static atomic_t ordered_running = ATOMIC_INIT(0);
static DEFINE_SPINLOCK(order_lock);

static void ordered_fn(struct work_struct *w)
{
	if (atomic_inc_return(&ordered_running) != 1)
		overlaps++;
	msleep(10);
	spin_lock(&order_lock);
	order[order_pos++] = (int)(w - ordered_works);
	spin_unlock(&order_lock);
	atomic_dec(&ordered_running);
}

static DECLARE_WORK(slow_work, slow_fn);
static DECLARE_WORK(quick_work, quick_fn);

static void test_workqueues(void)
{
	int before = failures;
	struct workqueue_struct *q, *oq;
	unsigned long delta, start;

	/* a delayed work runs when it should */
	INIT_DELAYED_WORK(&timed_dwork, timed_dwork_fn);
	dwork_queued_at = jiffies;
	CHECK(queue_delayed_work(system_wq, &timed_dwork, HZ / 5));
	CHECK(delayed_work_pending(&timed_dwork));
	CHECK(!queue_delayed_work(system_wq, &timed_dwork, HZ / 5), "queued twice");
	CHECK(wait_for_completion_timeout(&dwork_done, 2 * HZ) > 0, "never ran");
	delta = dwork_ran_at - dwork_queued_at;
	/* never early; late by up to half a second on a busy host */
	CHECK(delta >= HZ / 5 && delta <= HZ / 5 + HZ / 2, "ran after %lu jiffies", delta);
	pr_info("delayed work: ran %lu jiffies after queueing (asked for %d)\n", delta, HZ / 5);
	CHECK(!delayed_work_pending(&timed_dwork));

	/* mod_delayed_work() brings it forward */
	reinit_completion(&dwork_done);
	start = jiffies;
	CHECK(queue_delayed_work(system_wq, &timed_dwork, 100 * HZ));
	CHECK(mod_delayed_work(system_wq, &timed_dwork, 0), "was pending");
	CHECK(wait_for_completion_timeout(&dwork_done, HZ) > 0, "never ran");
	CHECK(dwork_ran_at - start < HZ / 4, "ran after %lu", dwork_ran_at - start);

	/* cancel_delayed_work_sync() of a pending one: it never runs */
	atomic_set(&dwork_runs, 0);
	CHECK(queue_delayed_work(system_wq, &timed_dwork, HZ / 10));
	CHECK(cancel_delayed_work_sync(&timed_dwork), "was pending");
	CHECK(!delayed_work_pending(&timed_dwork));
	CHECK(!cancel_delayed_work_sync(&timed_dwork), "idle now");
	CHECK(queue_delayed_work(system_wq, &timed_dwork, HZ));
	CHECK(cancel_delayed_work(&timed_dwork));
	msleep(200);
	CHECK(atomic_read(&dwork_runs) == 0, "a cancelled work ran");

	/* flush_delayed_work() runs it now and waits */
	reinit_completion(&dwork_done);
	start = jiffies;
	CHECK(queue_delayed_work(system_wq, &timed_dwork, 100 * HZ));
	CHECK(flush_delayed_work(&timed_dwork));
	CHECK(atomic_read(&dwork_runs) == 1 && dwork_ran_at - start < HZ / 4);

	/* cancel_work_sync() waits for a running work */
	CHECK(queue_work(system_wq, &slow_work));
	CHECK(WAIT_UNTIL(atomic_read(&slow_started) == 1));
	CHECK(work_busy(&slow_work) & WORK_BUSY_RUNNING);
	CHECK(!cancel_work_sync(&slow_work), "it was running, not pending");
	CHECK(atomic_read(&slow_finished) == 1, "returned before the work did");
	CHECK(!flush_work(&slow_work), "nothing to flush");

	/* flush_work() waits for a queued one */
	CHECK(schedule_work(&slow_work));
	CHECK(flush_work(&slow_work));
	CHECK(atomic_read(&slow_finished) == 2);

	/* an ordered queue runs one at a time, in order; cancel a queued one */
	oq = alloc_ordered_workqueue("ksync-ordered", 0);
	CHECK(oq != NULL);
	if (oq) {
		CHECK(queue_work(oq, &slow_work));
		CHECK(queue_work(oq, &quick_work));
		CHECK(cancel_work_sync(&quick_work), "quick_work was queued");
		for (int i = 0; i < NR_ORDERED; i++) {
			INIT_WORK(&ordered_works[i], ordered_fn);
			queue_work(oq, &ordered_works[i]);
		}
		flush_workqueue(oq);
		CHECK(atomic_read(&quick_runs) == 0, "a cancelled work ran");
		CHECK(atomic_read(&slow_finished) == 3);
		CHECK(order_pos == NR_ORDERED && overlaps == 0, "%d ran, %d overlaps",
		      order_pos, overlaps);
		for (int i = 0; i < order_pos; i++)
			CHECK(order[i] == i, "position %d ran work %d", i, order[i]);
		destroy_workqueue(oq);
	}

	/* flush_workqueue() of a concurrent queue waits for everything */
	q = alloc_workqueue("ksync-%d", WQ_UNBOUND, 0, 7);
	CHECK(q != NULL);
	if (q) {
		atomic_set(&slow_finished, 0);
		INIT_WORK(&ordered_works[0], pair_fn);
		INIT_WORK(&ordered_works[1], pair_fn);
		queue_work(q, &ordered_works[0]);
		queue_work(q, &ordered_works[1]);
		queue_work(q, &quick_work);
		flush_workqueue(q);
		CHECK(atomic_read(&slow_finished) == 2 && atomic_read(&quick_runs) == 1);
		/* the two ran side by side */
		CHECK(atomic_read(&pair_met) == 2, "%d of 2 saw the other running",
		      atomic_read(&pair_met));
		destroy_workqueue(q);
	}
	scenario("workqueues", before);
}

/* ---- RCU ---- */

struct rcu_obj {
	int value;
	struct rcu_head rcu;
};

static DECLARE_COMPLETION(rcu_cb_done);
static DECLARE_COMPLETION(reader_in);
static int reader_done;

static void rcu_cb(struct rcu_head *head)
{
	struct rcu_obj *o = container_of(head, struct rcu_obj, rcu);

	if (o->value == 42)
		complete(&rcu_cb_done);
	kfree(o);
}

static void reader_fn(struct work_struct *w)
{
	rcu_read_lock();
	complete(&reader_in);
	mdelay(100);
	WRITE_ONCE(reader_done, 1);
	rcu_read_unlock();
}

static DECLARE_WORK(reader_work, reader_fn);

static void test_rcu(void)
{
	int before = failures;
	struct rcu_obj *o;

	rcu_read_lock();
	CHECK(rcu_preempt_depth() == 1, "depth %d", rcu_preempt_depth());
	rcu_read_lock();
	CHECK(rcu_preempt_depth() == 2);
	rcu_read_unlock();
	rcu_read_unlock();
	CHECK(rcu_preempt_depth() == 0);

	/* synchronize_rcu() waits for a reader that was inside */
	queue_work(system_wq, &reader_work);
	wait_for_completion(&reader_in);
	synchronize_rcu();
	CHECK(READ_ONCE(reader_done), "synchronize_rcu() returned inside a reader");
	flush_work(&reader_work);

	o = kmalloc(sizeof(*o), GFP_KERNEL);
	CHECK(o != NULL);
	if (o) {
		o->value = 42;
		call_rcu(&o->rcu, rcu_cb);
		CHECK(wait_for_completion_timeout(&rcu_cb_done, 2 * HZ) > 0,
		      "the call_rcu() callback never ran");
	}
	o = kmalloc(sizeof(*o), GFP_KERNEL);
	if (o)
		kfree_rcu(o, rcu);
	rcu_barrier();
	scenario("rcu", before);
}

/* ---- refcount_t and ratelimit ---- */

static void test_refcount(void)
{
	int before = failures;
	refcount_t r = REFCOUNT_INIT(1);

	refcount_inc(&r);
	CHECK(refcount_read(&r) == 2);
	CHECK(!refcount_dec_and_test(&r));
	CHECK(refcount_dec_and_test(&r));
	CHECK(!refcount_inc_not_zero(&r), "revived a dead object");

	/* underflow: warns, saturates */
	CHECK(!refcount_dec_and_test(&r));
	CHECK(refcount_read(&r) == REFCOUNT_SATURATED, "%#x", refcount_read(&r));

	/* overflow: warns, saturates */
	refcount_set(&r, INT_MAX);
	refcount_inc(&r);
	CHECK(refcount_read(&r) == REFCOUNT_SATURATED, "%#x", refcount_read(&r));

	/* addition on 0 */
	refcount_set(&r, 0);
	refcount_inc(&r);
	CHECK(refcount_read(&r) == REFCOUNT_SATURATED, "%#x", refcount_read(&r));

	refcount_set(&r, 1);
	CHECK(!refcount_dec_not_one(&r));
	CHECK(refcount_dec_if_one(&r));
	CHECK(refcount_read(&r) == 0);
	refcount_set(&r, 2);
	CHECK(!refcount_dec_and_mutex_lock(&r, &mtx));
	CHECK(refcount_dec_and_mutex_lock(&r, &mtx) && mutex_is_locked(&mtx));
	mutex_unlock(&mtx);
	scenario("refcount", before);
}

static DEFINE_RATELIMIT_STATE(burst3, HZ / 5, 3);

static int ksync_ratelimited(void)
{
	return __ratelimit(&burst3);
}

static void test_ratelimit(void)
{
	int before = failures;
	int passed = 0;

	for (int i = 0; i < 10; i++)
		passed += !!ksync_ratelimited();
	CHECK(passed == 3, "%d passed", passed);
	msleep(300);
	/* the next one reports the 7 it suppressed */
	CHECK(ksync_ratelimited());
	for (int i = 0; i < 15; i++)
		pr_info_ratelimited("burst %d\n", i);
	scenario("ratelimit", before);
}

/* ---- faults the kernel checks for ---- */

static void oops_fn(struct work_struct *w)
{
	int *volatile p = NULL;

	*p = 1;
	pr_err("FAIL: still running after the fault\n");
}

static DECLARE_WORK(oops_work, oops_fn);

static DEFINE_SPINLOCK(leak_lock);

static void leak_fn(struct work_struct *w)
{
	spin_lock(&leak_lock);	/* and never unlock it */
}

static DECLARE_WORK(leak_work, leak_fn);

static int run_bug(void)
{
	if (!strcmp(bug, "listadd")) {
		LIST_HEAD(head);
		struct list_head node;

		list_add(&node, &head);
		list_add(&node, &head);	/* double add */
		pr_err("FAIL: survived a double list_add\n");
	} else if (!strcmp(bug, "listdel")) {
		LIST_HEAD(head);
		struct list_head node;

		list_add(&node, &head);
		list_del(&node);
		list_del(&node);	/* poisoned */
		pr_err("FAIL: survived a double list_del\n");
	} else if (!strcmp(bug, "fortify")) {
		char small[8];
		char *volatile src = "this does not fit";

		strcpy(small, src);
		pr_err("FAIL: survived an overflow into %s\n", small);
	} else if (!strcmp(bug, "workoops")) {
		/* the work faults; its worker and the module carry on */
		queue_work(system_wq, &oops_work);
		flush_work(&oops_work);
		CHECK(queue_work(system_wq, &quick_work));
		flush_work(&quick_work);
		CHECK(atomic_read(&quick_runs) == 1);
		pr_info("worker survived an Oops\n");
		return failures ? -EINVAL : 0;
	} else if (!strcmp(bug, "atomic")) {
		/* sleeping with a spinlock held; a work that leaks one */
		spin_lock(&slock);
		schedule_timeout_uninterruptible(1);
		spin_unlock(&slock);
		queue_work(system_wq, &leak_work);
		flush_work(&leak_work);
		CHECK(spin_is_locked(&leak_lock));
		CHECK(queue_work(system_wq, &quick_work));
		flush_work(&quick_work);
		pr_info("atomic bugs reported\n");
		return failures ? -EINVAL : 0;
	}
	return -EINVAL;
}

static struct workqueue_struct *left_wq;
static DECLARE_DELAYED_WORK(left_dwork, quick_fn);
static DECLARE_WORK(left_work, quick_fn);
static atomic_t blocker_started = ATOMIC_INIT(0);

static void blocker_fn(struct work_struct *w)
{
	atomic_set(&blocker_started, 1);
	msleep(500);
}

static DECLARE_WORK(blocker_work, blocker_fn);

static int __init ksync_init(void)
{
	if (*bug)
		return run_bug();
	if (leave) {
		/* the loader purges these at unload */
		left_wq = alloc_ordered_workqueue("ksync-left", 0);
		if (!left_wq)
			return -ENOMEM;
		queue_delayed_work(system_wq, &left_dwork, 600 * HZ);
		queue_work(left_wq, &blocker_work);
		queue_work(left_wq, &left_work);	/* waits behind blocker_work */
		if (!WAIT_UNTIL(atomic_read(&blocker_started)))
			return -ETIMEDOUT;
		pr_info("left 2 works pending\n");
		return 0;
	}
	test_spinlocks();
	test_mutex();
	test_rwsem();
	test_waitqueues();
	test_completions();
	test_workqueues();
	test_rcu();
	test_refcount();
	test_ratelimit();
	pr_info("%d checks, %d failed\n", checks, failures);
	return failures ? -EINVAL : 0;
}

static void __exit ksync_exit(void)
{
	if (left_wq)
		destroy_workqueue(left_wq);
	pr_info("exit\n");
}

module_init(ksync_init);
module_exit(ksync_exit);
