// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel/time/timer.c for modules: a hashed timer wheel of 256 buckets
 * indexed by expiry jiffy, run by the tick thread once per jiffy like the
 * timer softirq.  A pending timer is linked through its own
 * timer_list.entry, so the modules' inline timer_pending() (entry.pprev
 * != NULL) sees the truth.
 *
 * Locking: timer_lock protects the wheel and running_timer.  Callbacks
 * run without it; timer_delete_sync() waits on timer_cond for a running
 * callback to return.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "kernel/export.h"
#include "kernel/modcall.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/workqueue.h"

#define WHEEL_SIZE 256
#define WHEEL_MASK (WHEEL_SIZE - 1)

#define TIMER_CPUMASK 0x0003FFFFu
#define TIMER_MIGRATING 0x00040000u
#define TIMER_DEFERRABLE 0x00080000u
#define TIMER_PINNED 0x00100000u
#define TIMER_IRQSAFE 0x00200000u

static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cond = PTHREAD_COND_INITIALIZER;
static struct hlist_node *wheel[WHEEL_SIZE];	/* bucket heads */
static unsigned long timer_clk;			/* last jiffy processed */
static bool timer_clk_valid;
static atomic_ulong nr_pending;
static struct timer_list *running_timer;
static pthread_t running_thread;

static bool pending(const struct timer_list *t)
{
	return t->entry.pprev != NULL;
}

static void detach(struct timer_list *t)
{
	struct hlist_node *next = t->entry.next;

	*t->entry.pprev = next;
	if (next)
		next->pprev = t->entry.pprev;
	t->entry.pprev = NULL;
	t->entry.next = LIST_POISON2;
	atomic_fetch_sub(&nr_pending, 1);
}

static void enqueue(struct timer_list *t)
{
	unsigned long base = timer_clk_valid ? timer_clk : jiffies_now() - 1;
	unsigned long slot = time_after(t->expires, base) ? t->expires : base + 1;
	struct hlist_node **head = &wheel[slot & WHEEL_MASK];

	t->entry.next = *head;
	if (*head)
		(*head)->pprev = &t->entry.next;
	*head = &t->entry;
	t->entry.pprev = head;
	if (atomic_fetch_add(&nr_pending, 1) == 0)
		tick_kick();
}

bool timers_pending(void)
{
	return atomic_load(&nr_pending) != 0;
}

static struct timer_list *entry_timer(struct hlist_node *n)
{
	return (struct timer_list *)((char *)n - offsetof(struct timer_list, entry));
}

struct timer_call {
	void (*fn)(struct timer_list *);
	struct timer_list *t;
};

static void run_timer_fn(void *arg)
{
	struct timer_call *c = arg;

	modcall_fn((void (*)(void))c->fn, (unsigned long)c->t, 0);
}

/* A faulting callback is reported and contained; the tick goes on. */
static void call_timer_fn(void (*fn)(struct timer_list *), struct timer_list *t)
{
	struct timer_call c = { fn, t };

	modcall(run_timer_fn, &c);
}

/* Fire the first expired timer of a bucket; false if none. Drops the
 * lock around the callback. */
static bool fire_one(unsigned int bucket, unsigned long now)
{
	for (struct hlist_node *n = wheel[bucket]; n; n = n->next) {
		struct timer_list *t = entry_timer(n);
		void (*fn)(struct timer_list *);

		if (!time_after_eq(now, t->expires))
			continue;
		detach(t);
		fn = t->function;
		running_timer = t;
		running_thread = pthread_self();
		pthread_mutex_unlock(&timer_lock);
		if (fn)
			call_timer_fn(fn, t);
		pthread_mutex_lock(&timer_lock);
		running_timer = NULL;
		pthread_cond_broadcast(&timer_cond);
		return true;
	}
	return false;
}

void run_timers(unsigned long now)
{
	pthread_mutex_lock(&timer_lock);
	if (!timer_clk_valid) {
		timer_clk = now - 1;
		timer_clk_valid = true;
	}
	if (now - timer_clk > WHEEL_SIZE) {
		/* a long stall (a debugger stop): one pass over everything */
		for (unsigned int b = 0; b < WHEEL_SIZE; b++)
			while (fire_one(b, now))
				;
		timer_clk = now;
	}
	while (time_after(now, timer_clk)) {
		unsigned long j = ++timer_clk;

		while (fire_one(j & WHEEL_MASK, j))
			;
	}
	pthread_mutex_unlock(&timer_lock);
}

KAPI static void init_timer_key(struct timer_list *timer,
				void (*func)(struct timer_list *),
				unsigned int flags, const char *name, void *key)
{
	(void)name;
	(void)key;
	timer->entry.pprev = NULL;
	timer->entry.next = NULL;
	timer->function = func;
	timer->flags = flags & ~TIMER_CPUMASK;
}
KEXPORT(init_timer_key);

enum mod_mode { MOD_ANY, MOD_PENDING_ONLY, MOD_REDUCE };

static int __mod_timer(struct timer_list *t, unsigned long expires,
		       enum mod_mode mode)
{
	int was_pending;

	pthread_mutex_lock(&timer_lock);
	was_pending = pending(t);
	if (mode == MOD_PENDING_ONLY && !was_pending)
		goto out;
	if (mode == MOD_REDUCE && was_pending && !time_before(expires, t->expires))
		goto out;
	if (!t->function)	/* shut down: arming is silently ignored */
		goto out;
	if (was_pending)
		detach(t);
	t->expires = expires;
	enqueue(t);
out:
	pthread_mutex_unlock(&timer_lock);
	return was_pending;
}

KAPI int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_ANY);
}
KEXPORT(mod_timer);

KAPI static int mod_timer_pending(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_PENDING_ONLY);
}
KEXPORT(mod_timer_pending);

KAPI static int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_REDUCE);
}
KEXPORT(timer_reduce);

KAPI static void add_timer(struct timer_list *timer)
{
	if (pending(timer)) {
		/* Linux BUG()s here; keep running and say so. */
		pr_warn("WARNING: add_timer() of an already pending timer %pS\n",
			(void *)timer->function);
		return;
	}
	__mod_timer(timer, timer->expires, MOD_ANY);
}
KEXPORT(add_timer);

KAPI static void add_timer_on(struct timer_list *timer, int cpu)
{
	(void)cpu;
	add_timer(timer);
}
KEXPORT_GPL(add_timer_on);

/* timer_delete is also POSIX's name: prefixed here */
KAPI int kapi_timer_delete(struct timer_list *timer)
{
	int was_pending;

	pthread_mutex_lock(&timer_lock);
	was_pending = pending(timer);
	if (was_pending)
		detach(timer);
	pthread_mutex_unlock(&timer_lock);
	return was_pending;
}
KEXPORT_AS("timer_delete", kapi_timer_delete);
KEXPORT_AS("del_timer", kapi_timer_delete);

KAPI static int try_to_del_timer_sync(struct timer_list *timer)
{
	int ret;

	pthread_mutex_lock(&timer_lock);
	if (running_timer == timer) {
		ret = -1;
	} else {
		ret = pending(timer);
		if (ret)
			detach(timer);
	}
	pthread_mutex_unlock(&timer_lock);
	return ret;
}
KEXPORT(try_to_del_timer_sync);

static int delete_sync(struct timer_list *timer, bool shutdown)
{
	int ret;

	pthread_mutex_lock(&timer_lock);
	/* A callback deleting its own timer must not wait for itself. */
	while (running_timer == timer &&
	       !pthread_equal(running_thread, pthread_self()))
		pthread_cond_wait(&timer_cond, &timer_lock);
	ret = pending(timer);
	if (ret)
		detach(timer);
	if (shutdown)
		timer->function = NULL;
	pthread_mutex_unlock(&timer_lock);
	return ret;
}

KAPI int timer_delete_sync(struct timer_list *timer)
{
	return delete_sync(timer, false);
}
KEXPORT(timer_delete_sync);
KEXPORT_AS("del_timer_sync", timer_delete_sync);

KAPI static int timer_shutdown_sync(struct timer_list *timer)
{
	return delete_sync(timer, true);
}
KEXPORT_GPL(timer_shutdown_sync);

KAPI static int timer_shutdown(struct timer_list *timer)
{
	int ret;

	pthread_mutex_lock(&timer_lock);
	ret = pending(timer);
	if (ret)
		detach(timer);
	timer->function = NULL;
	pthread_mutex_unlock(&timer_lock);
	return ret;
}
KEXPORT_GPL(timer_shutdown);

static bool in_range(unsigned long a, unsigned long start, unsigned long end)
{
	return a >= start && a < end;
}

unsigned int timers_purge_range(unsigned long start, unsigned long end)
{
	unsigned int n = 0;

	pthread_mutex_lock(&timer_lock);
	while (running_timer &&
	       (in_range((unsigned long)running_timer, start, end) ||
		in_range((unsigned long)running_timer->function, start, end)) &&
	       !pthread_equal(running_thread, pthread_self()))
		pthread_cond_wait(&timer_cond, &timer_lock);
	for (unsigned int b = 0; b < WHEEL_SIZE; b++) {
		struct hlist_node *n2;

		for (struct hlist_node *node = wheel[b]; node; node = n2) {
			struct timer_list *t = entry_timer(node);

			n2 = node->next;
			if (is_delayed_work_timer(t))
				continue;	/* works_purge_range() takes it */
			if (in_range((unsigned long)t, start, end) ||
			    in_range((unsigned long)t->function, start, end)) {
				detach(t);
				n++;
			}
		}
	}
	pthread_mutex_unlock(&timer_lock);
	return n;
}

/* ---- round_jiffies family (kernel/time/timer.c semantics, CPU 0) ---- */

static unsigned long round_jiffies_common(unsigned long j, bool force_up)
{
	unsigned long original = j;
	unsigned long rem = j % kernel_hz;

	if (rem < kernel_hz / 4 && !force_up)
		j = j - rem;
	else
		j = j - rem + kernel_hz;
	if (time_before_eq(j, jiffies_now()))
		return original;
	return j;
}

KAPI static unsigned long __round_jiffies(unsigned long j, int cpu)
{
	(void)cpu;
	return round_jiffies_common(j, false);
}
KEXPORT_GPL(__round_jiffies);

KAPI static unsigned long __round_jiffies_relative(unsigned long j, int cpu)
{
	unsigned long j0 = jiffies_now();

	(void)cpu;
	return round_jiffies_common(j + j0, false) - j0;
}
KEXPORT_GPL(__round_jiffies_relative);

KAPI static unsigned long round_jiffies(unsigned long j)
{
	return round_jiffies_common(j, false);
}
KEXPORT_GPL(round_jiffies);

KAPI static unsigned long round_jiffies_relative(unsigned long j)
{
	return __round_jiffies_relative(j, 0);
}
KEXPORT_GPL(round_jiffies_relative);

KAPI static unsigned long __round_jiffies_up(unsigned long j, int cpu)
{
	(void)cpu;
	return round_jiffies_common(j, true);
}
KEXPORT_GPL(__round_jiffies_up);

KAPI static unsigned long __round_jiffies_up_relative(unsigned long j, int cpu)
{
	unsigned long j0 = jiffies_now();

	(void)cpu;
	return round_jiffies_common(j + j0, true) - j0;
}
KEXPORT_GPL(__round_jiffies_up_relative);

KAPI static unsigned long round_jiffies_up(unsigned long j)
{
	return round_jiffies_common(j, true);
}
KEXPORT_GPL(round_jiffies_up);

KAPI static unsigned long round_jiffies_up_relative(unsigned long j)
{
	return __round_jiffies_up_relative(j, 0);
}
KEXPORT_GPL(round_jiffies_up_relative);
