// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SDK test module: the synchronisation and deferred-work API through the
 * kmodfs SDK's headers (include/linux/{spinlock,mutex,rwsem,wait,
 * completion,workqueue,sched,rcupdate,refcount,ratelimit}.h), whose
 * inline code must agree with the kernel side on every layout.  Init
 * prints "sdksync: NAME ok" per scenario and returns 0 only if every
 * check passed.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

MODULE_DESCRIPTION("kmodfs SDK test: locks, waits, completions, workqueues, RCU");
MODULE_LICENSE("GPL");

static int checks, failures;

#define CHECK(cond)							\
	do {								\
		checks++;						\
		if (!(cond)) {						\
			failures++;					\
			pr_err("sdksync: FAIL %s:%d: %s\n", __func__,	\
			       __LINE__, #cond);			\
		}							\
	} while (0)

/* ... with the values that matter */
#define CHECKV(cond, fmt, ...)						\
	do {								\
		checks++;						\
		if (!(cond)) {						\
			failures++;					\
			pr_err("sdksync: FAIL %s:%d: %s: " fmt "\n",	\
			       __func__, __LINE__, #cond, ##__VA_ARGS__); \
		}							\
	} while (0)

#define WAIT_UNTIL(cond)						\
	({								\
		unsigned long __end = jiffies + HZ;			\
		while (!(cond) && time_before(jiffies, __end))		\
			msleep(1);					\
		(cond);							\
	})

static void scenario(const char *name, int failures_before)
{
	if (failures == failures_before)
		pr_info("sdksync: %s ok\n", name);
	else
		pr_err("sdksync: %s FAILED\n", name);
}

/* ---- spinlocks ---- */

#define ROUNDS 100000

static DEFINE_SPINLOCK(slock);
static DEFINE_RWLOCK(rwl);
static spinlock_t dyn_lock;
static unsigned long counter;

static void count_fn(struct work_struct *w)
{
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&slock);
		counter++;
		spin_unlock(&slock);
	}
}

static DECLARE_WORK(count_work1, count_fn);
static DECLARE_WORK(count_work2, count_fn);

static void test_spinlocks(void)
{
	int before = failures;
	unsigned long flags, flags2;

	spin_lock_init(&dyn_lock);
	CHECK(!spin_is_locked(&dyn_lock));
	CHECKV(!in_atomic(), "%#x", preempt_count());
	spin_lock(&slock);
	CHECK(in_atomic());
	CHECK(spin_is_locked(&slock));
	CHECK(!spin_trylock(&slock));
	spin_unlock(&slock);
	CHECK(!in_atomic());
	spin_lock_irqsave(&slock, flags);
	spin_lock_irqsave(&dyn_lock, flags2);
	CHECKV(!irqs_disabled_flags(flags) && irqs_disabled_flags(flags2), "%#lx %#lx",
	       flags, flags2);
	spin_unlock_irqrestore(&dyn_lock, flags2);
	spin_unlock_irqrestore(&slock, flags);
	spin_lock_bh(&slock);
	CHECK(in_softirq());
	spin_unlock_bh(&slock);
	preempt_disable();
	CHECK(preempt_count() == 1);
	preempt_enable();
	CHECK(preempt_count() == 0);

	read_lock(&rwl);
	CHECK(!write_trylock(&rwl));
	read_unlock(&rwl);
	write_lock(&rwl);
	CHECK(!read_trylock(&rwl));
	write_unlock(&rwl);

	counter = 0;
	schedule_work(&count_work1);
	queue_work(system_unbound_wq, &count_work2);
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock_irq(&slock);
		counter++;
		spin_unlock_irq(&slock);
	}
	flush_work(&count_work1);
	flush_work(&count_work2);
	CHECKV(counter == 3 * ROUNDS, "%lu", counter);
	scenario("spinlocks", before);
}

/* ---- mutex and rw_semaphore ---- */

static DEFINE_MUTEX(mtx);
static DECLARE_RWSEM(rwsem);
static atomic_t stage = ATOMIC_INIT(0);

static void mutex_fn(struct work_struct *w)
{
	atomic_set(&stage, 1);
	mutex_lock(&mtx);
	atomic_set(&stage, 2);
	msleep(100);
	atomic_set(&stage, 3);
	mutex_unlock(&mtx);
}

static void rwsem_fn(struct work_struct *w)
{
	atomic_set(&stage, 11);
	down_write(&rwsem);
	atomic_set(&stage, 12);
	msleep(50);
	up_write(&rwsem);
}

static DECLARE_WORK(mutex_work, mutex_fn);
static DECLARE_WORK(rwsem_work, rwsem_fn);

static void test_sleeping_locks(void)
{
	int before = failures;
	struct mutex *m = kmalloc(sizeof(*m), GFP_KERNEL);

	mutex_lock(&mtx);
	schedule_work(&mutex_work);
	CHECK(WAIT_UNTIL(atomic_read(&stage) == 1));
	msleep(30);
	CHECKV(atomic_read(&stage) == 1, "stage %d", atomic_read(&stage));
	mutex_unlock(&mtx);
	CHECK(WAIT_UNTIL(atomic_read(&stage) >= 2));
	CHECK(!mutex_trylock(&mtx));
	mutex_lock(&mtx);
	CHECKV(atomic_read(&stage) == 3, "stage %d", atomic_read(&stage));
	mutex_unlock(&mtx);
	flush_work(&mutex_work);
	if (m) {
		mutex_init(m);
		CHECK(mutex_trylock(m) && mutex_is_locked(m));
		mutex_unlock(m);
		kfree(m);
	}

	down_read(&rwsem);
	schedule_work(&rwsem_work);
	CHECK(WAIT_UNTIL(atomic_read(&stage) == 11));
	msleep(30);
	CHECK(atomic_read(&stage) == 11 && rwsem_is_locked(&rwsem));
	up_read(&rwsem);
	CHECK(WAIT_UNTIL(atomic_read(&stage) == 12));
	CHECK(!down_read_trylock(&rwsem));
	down_read(&rwsem);
	up_read(&rwsem);
	flush_work(&rwsem_work);
	CHECK(!rwsem_is_locked(&rwsem));
	scenario("sleeping locks", before);
}

/* ---- wait queues, tasks ---- */

static DECLARE_WAIT_QUEUE_HEAD(waitq);
static wait_queue_head_t dyn_waitq;
static int timer_flag, work_flag, never;
static struct timer_list timer;
static struct task_struct *sleeper;
static long sleeper_left;
static DECLARE_COMPLETION(sleeper_ready);

static void timer_fn(struct timer_list *t)
{
	WRITE_ONCE(timer_flag, 1);
	wake_up(&waitq);
}

static void waker_fn(struct work_struct *w)
{
	msleep(20);
	WRITE_ONCE(work_flag, 1);
	wake_up_interruptible(&dyn_waitq);
}

static void sleeper_fn(struct work_struct *w)
{
	sleeper = current;
	set_current_state(TASK_INTERRUPTIBLE);
	complete(&sleeper_ready);
	sleeper_left = schedule_timeout(5 * HZ);
}

static DECLARE_WORK(waker_work, waker_fn);
static DECLARE_WORK(sleeper_work, sleeper_fn);

static void test_waits(void)
{
	int before = failures;
	unsigned long start;
	long ret;

	timer_setup(&timer, timer_fn, 0);
	start = jiffies;
	mod_timer(&timer, start + HZ / 10);
	ret = wait_event_timeout(waitq, READ_ONCE(timer_flag), HZ);
	CHECKV(ret > 0 && time_after_eq(jiffies, start + HZ / 10), "ret %ld after %lu", ret,
	       jiffies - start);
	del_timer_sync(&timer);

	start = jiffies;
	ret = wait_event_timeout(waitq, READ_ONCE(never), HZ / 20);
	CHECKV(ret == 0 && jiffies - start >= HZ / 20, "ret %ld after %lu", ret,
	       jiffies - start);

	init_waitqueue_head(&dyn_waitq);
	schedule_work(&waker_work);
	CHECK(wait_event_interruptible(dyn_waitq, READ_ONCE(work_flag)) == 0);
	flush_work(&waker_work);
	CHECK(wait_event_interruptible_timeout(dyn_waitq, READ_ONCE(never), HZ / 25) == 0);
	CHECK(current->__state == TASK_RUNNING);

	schedule_work(&sleeper_work);
	wait_for_completion(&sleeper_ready);
	msleep(30);
	CHECK(wake_up_process(sleeper) == 1);
	flush_work(&sleeper_work);
	CHECKV(sleeper_left > 0 && sleeper_left < 5 * HZ, "%ld", sleeper_left);
	CHECK(current->pid > 0 && current->comm[0]);
	scenario("waits", before);
}

/* ---- completions and workqueues ---- */

static struct completion comp;
static DECLARE_COMPLETION(dwork_done);
static struct delayed_work dwork;
static unsigned long queued_at, ran_at;
static atomic_t runs = ATOMIC_INIT(0);

static void completer_fn(struct work_struct *w)
{
	msleep(20);
	complete(&comp);
}

static void dwork_fn(struct work_struct *w)
{
	ran_at = jiffies;
	atomic_inc(&runs);
	if (current_work() != w || to_delayed_work(w) != &dwork)
		pr_err("sdksync: FAIL: a work that is not itself\n");
	complete(&dwork_done);
}

static atomic_t slow_done = ATOMIC_INIT(0);

static void slow_fn(struct work_struct *w)
{
	msleep(80);
	atomic_inc(&slow_done);
}

static int order[3], order_pos;

static void ordered_fn(struct work_struct *w);
static struct work_struct ordered[3];

static void ordered_fn(struct work_struct *w)
{
	msleep(5);
	order[order_pos++] = (int)(w - ordered);
}

static DECLARE_WORK(completer_work, completer_fn);
static DECLARE_WORK(slow_work, slow_fn);

static void test_completions_and_works(void)
{
	int before = failures;
	struct workqueue_struct *oq;
	unsigned long left, delta;

	init_completion(&comp);
	left = wait_for_completion_timeout(&comp, HZ / 20);
	CHECKV(left == 0, "%lu", left);
	schedule_work(&completer_work);
	left = wait_for_completion_timeout(&comp, HZ);
	CHECKV(left > 0 && left < HZ, "%lu", left);
	flush_work(&completer_work);
	complete_all(&comp);
	CHECK(completion_done(&comp) && try_wait_for_completion(&comp));
	reinit_completion(&comp);
	CHECK(!completion_done(&comp));

	INIT_DELAYED_WORK(&dwork, dwork_fn);
	queued_at = jiffies;
	CHECK(schedule_delayed_work(&dwork, HZ / 5));
	CHECK(delayed_work_pending(&dwork));
	CHECK(wait_for_completion_timeout(&dwork_done, 2 * HZ) > 0);
	delta = ran_at - queued_at;
	/* never early; late by up to half a second on a busy host */
	CHECKV(delta >= HZ / 5 && delta <= HZ / 5 + HZ / 2, "%lu jiffies", delta);
	CHECK(queue_delayed_work(system_wq, &dwork, HZ / 10));
	CHECK(cancel_delayed_work_sync(&dwork));
	msleep(150);
	CHECKV(atomic_read(&runs) == 1, "%d runs", atomic_read(&runs));

	schedule_work(&slow_work);
	msleep(10);
	CHECK(work_busy(&slow_work) & WORK_BUSY_RUNNING);
	CHECK(!cancel_work_sync(&slow_work) && atomic_read(&slow_done) == 1);
	schedule_work(&slow_work);
	CHECK(flush_work(&slow_work) && atomic_read(&slow_done) == 2);

	oq = create_singlethread_workqueue("sdksync");
	CHECK(oq != NULL);
	if (oq) {
		for (int i = 0; i < 3; i++) {
			INIT_WORK(&ordered[i], ordered_fn);
			queue_work(oq, &ordered[i]);
		}
		flush_workqueue(oq);
		CHECKV(order_pos == 3 && order[0] == 0 && order[1] == 1 && order[2] == 2,
		       "%d: %d %d %d", order_pos, order[0], order[1], order[2]);
		destroy_workqueue(oq);
	}
	scenario("completions and works", before);
}

/* ---- RCU, refcount_t, ratelimit ---- */

struct obj {
	int v;
	struct rcu_head rcu;
};

static struct obj *published;
static DECLARE_COMPLETION(reader_in);
static DECLARE_COMPLETION(cb_done);
static int reader_out;

static void reader_fn(struct work_struct *w)
{
	struct obj *o;

	rcu_read_lock();
	o = rcu_dereference(published);
	complete(&reader_in);
	mdelay(80);
	WRITE_ONCE(reader_out, o && o->v == 1);
	rcu_read_unlock();
}

static void cb_fn(struct rcu_head *head)
{
	kfree(container_of(head, struct obj, rcu));
	complete(&cb_done);
}

static DECLARE_WORK(reader_work, reader_fn);

static DEFINE_RATELIMIT_STATE(rs, HZ / 5, 2);

static int sdk_ratelimited(void)
{
	return __ratelimit(&rs);
}

static void test_rcu_refcount_ratelimit(void)
{
	int before = failures;
	struct obj *o = kzalloc(sizeof(*o), GFP_KERNEL), *old;
	refcount_t r = REFCOUNT_INIT(1);
	int passed = 0;

	if (o) {
		o->v = 1;
		rcu_assign_pointer(published, o);
		schedule_work(&reader_work);
		wait_for_completion(&reader_in);
		old = published;
		RCU_INIT_POINTER(published, NULL);
		synchronize_rcu();
		CHECK(READ_ONCE(reader_out));	/* the reader finished first */
		call_rcu(&old->rcu, cb_fn);
		CHECK(wait_for_completion_timeout(&cb_done, 2 * HZ) > 0);
		flush_work(&reader_work);
	}
	rcu_read_lock();
	CHECK(rcu_preempt_depth() == 1);
	rcu_read_unlock();
	o = kmalloc(sizeof(*o), GFP_KERNEL);
	kfree_rcu(o, rcu);
	rcu_barrier();

	refcount_inc(&r);
	CHECK(!refcount_dec_and_test(&r) && refcount_dec_and_test(&r));
	CHECK(!refcount_inc_not_zero(&r));
	refcount_dec(&r);			/* decrement hit 0 */
	CHECK(refcount_read(&r) == REFCOUNT_SATURATED);
	refcount_set(&r, REFCOUNT_MAX);
	refcount_add(2, &r);			/* saturated */
	CHECK(refcount_read(&r) == REFCOUNT_SATURATED);

	for (int i = 0; i < 6; i++)
		passed += !!sdk_ratelimited();
	CHECKV(passed == 2, "%d passed", passed);
	msleep(250);
	CHECK(sdk_ratelimited());
	for (int i = 0; i < 12; i++)
		pr_info_ratelimited("sdksync: burst %d\n", i);
	scenario("rcu refcount ratelimit", before);
}

static int __init sdksync_init(void)
{
	test_spinlocks();
	test_sleeping_locks();
	test_waits();
	test_completions_and_works();
	test_rcu_refcount_ratelimit();
	pr_info("sdksync: %d checks, %d failed\n", checks, failures);
	return failures ? -EINVAL : 0;
}

static void __exit sdksync_exit(void)
{
	pr_info("sdksync: exit\n");
}

module_init(sdksync_init);
module_exit(sdksync_exit);
