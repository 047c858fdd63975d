/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Workqueues, Linux 6.1 layouts: a work_struct is its data word (bit 0:
 * WORK_STRUCT_PENDING), a list link and its function; a delayed_work
 * adds the timer_list that queues it (delayed_work_timer_fn), the
 * workqueue and the CPU.
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/list.h>
#include <linux/timer.h>
#include <linux/types.h>

struct workqueue_struct;
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	atomic_long_t data;
	struct list_head entry;
	work_func_t func;
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;	/* target of the timer */
	int cpu;
};

struct execute_work {
	struct work_struct work;
};

_Static_assert(sizeof(struct work_struct) == 32, "work_struct");
_Static_assert(sizeof(struct delayed_work) == 88, "delayed_work");

/* work_struct.data */
#define WORK_STRUCT_PENDING_BIT	0
#define WORK_STRUCT_PENDING	(1UL << WORK_STRUCT_PENDING_BIT)
#define WORK_STRUCT_NO_POOL	0xfffffffe0UL	/* off queue, no pool */
#define WORK_CPU_UNBOUND	8192
#define WORK_BUSY_PENDING	(1 << 0)
#define WORK_BUSY_RUNNING	(1 << 1)

/* alloc_workqueue() flags */
#define WQ_UNBOUND		(1 << 1)
#define WQ_FREEZABLE		(1 << 2)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)
#define WQ_CPU_INTENSIVE	(1 << 5)
#define WQ_SYSFS		(1 << 6)
#define WQ_POWER_EFFICIENT	(1 << 7)
#define __WQ_DRAINING		(1 << 16)
#define __WQ_ORDERED		(1 << 17)
#define __WQ_LEGACY		(1 << 18)
#define __WQ_ORDERED_EXPLICIT	(1 << 19)
#define WQ_MAX_ACTIVE		512
#define WQ_DFL_ACTIVE		(WQ_MAX_ACTIVE / 2)

void delayed_work_timer_fn(struct timer_list *t);

#define __WORK_INITIALIZER(n, f) {					\
	.data = { WORK_STRUCT_NO_POOL },				\
	.entry = { &(n).entry, &(n).entry },				\
	.func = (f) }
#define __DELAYED_WORK_INITIALIZER(n, f, tflags) {			\
	.work = __WORK_INITIALIZER((n).work, (f)),			\
	.timer = __TIMER_INITIALIZER(delayed_work_timer_fn,		\
				     (tflags) | TIMER_IRQSAFE) }

#define DECLARE_WORK(n, f)	struct work_struct n = __WORK_INITIALIZER(n, f)
#define DECLARE_DELAYED_WORK(n, f)					\
	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, 0)

#define INIT_WORK(_work, _func)						\
	do {								\
		(_work)->data.counter = WORK_STRUCT_NO_POOL;		\
		INIT_LIST_HEAD(&(_work)->entry);			\
		(_work)->func = (_func);				\
	} while (0)
#define INIT_WORK_ONSTACK(_work, _func)	INIT_WORK(_work, _func)

#define INIT_DELAYED_WORK(_work, _func)					\
	do {								\
		INIT_WORK(&(_work)->work, (_func));			\
		init_timer_key(&(_work)->timer, delayed_work_timer_fn,	\
			       TIMER_IRQSAFE, NULL, NULL);		\
	} while (0)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

#define work_pending(work)						\
	((__atomic_load_n(&(work)->data.counter, __ATOMIC_RELAXED) &	\
	  WORK_STRUCT_PENDING) != 0)
#define delayed_work_pending(w)	work_pending(&(w)->work)

extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_highpri_wq;
extern struct workqueue_struct *system_long_wq;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_freezable_wq;
extern struct workqueue_struct *system_power_efficient_wq;
extern struct workqueue_struct *system_freezable_power_efficient_wq;

__printf(1, 4) struct workqueue_struct *
alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...);
#define alloc_ordered_workqueue(fmt, flags, args...)			\
	alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED |		\
			__WQ_ORDERED_EXPLICIT | (flags), 1, ##args)
#define create_workqueue(name)						\
	alloc_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, 1, (name))
#define create_singlethread_workqueue(name)				\
	alloc_ordered_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, name)
void destroy_workqueue(struct workqueue_struct *wq);
void drain_workqueue(struct workqueue_struct *wq);
void workqueue_set_max_active(struct workqueue_struct *wq, int max_active);
bool workqueue_congested(int cpu, struct workqueue_struct *wq);

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
			   struct delayed_work *dwork, unsigned long delay);
bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
			 struct delayed_work *dwork, unsigned long delay);

void __flush_workqueue(struct workqueue_struct *wq);
#define flush_workqueue(wq)	__flush_workqueue(wq)
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
bool cancel_work(struct work_struct *work);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
unsigned int work_busy(struct work_struct *work);
struct work_struct *current_work(void);
int execute_in_process_context(work_func_t fn, struct execute_work *ew);

static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

static inline bool queue_delayed_work(struct workqueue_struct *wq,
				      struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool mod_delayed_work(struct workqueue_struct *wq,
				    struct delayed_work *dwork, unsigned long delay)
{
	return mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool schedule_work_on(int cpu, struct work_struct *work)
{
	return queue_work_on(cpu, system_wq, work);
}

static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

static inline bool schedule_delayed_work_on(int cpu, struct delayed_work *dwork,
					    unsigned long delay)
{
	return queue_delayed_work_on(cpu, system_wq, dwork, delay);
}

static inline bool schedule_delayed_work(struct delayed_work *dwork,
					 unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}

/* Deprecated in 6.1 (it waits for everybody's works), still there. */
static inline void flush_scheduled_work(void)
{
	__flush_workqueue(system_wq);
}

#endif
