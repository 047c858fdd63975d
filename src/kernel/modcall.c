// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Entering module code (see modcall.h).  Each call pushes a frame with a
 * sigjmp_buf; a fault in the module (traps.c) jumps back to the
 * innermost frame, and the Oops is printed here, in ordinary context.
 */
#include <errno.h>
#include <setjmp.h>

#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched_abi.h"
#include "kernel/traps.h"

struct modcall_frame {
	sigjmp_buf env;
	struct modcall_frame *prev;
	struct fault_info fault;
	struct sched_ctx ctx;	/* preempt count, RCU nesting, irq flag */
};

static __thread struct modcall_frame *current_frame;

bool modcall_active(void)
{
	return current_frame != NULL;
}

void modcall_fault(const struct fault_info *f)
{
	struct modcall_frame *frame = current_frame;

	frame->fault = *f;
	siglongjmp(frame->env, 1);
}

int modcall(void (*fn)(void *arg), void *arg)
{
	struct modcall_frame frame;
	int err = percpu_thread_enter();

	if (!err)
		err = traps_thread_init();
	if (err) {
		pr_err("kmodfs: cannot prepare this thread for module code (%d)\n", err);
		return err;
	}
	frame.prev = current_frame;
	sched_ctx_save(&frame.ctx);
	current_frame = &frame;
	if (sigsetjmp(frame.env, 1) == 0) {
		fn(arg);
		current_frame = frame.prev;
		return 0;
	}
	current_frame = frame.prev;
	/* what the module held when it died (a spinlock's preempt_disable,
	 * an RCU read section) is released with it, as when Linux kills
	 * the oopsing task */
	sched_ctx_restore(&frame.ctx);
	oops_report(&frame.fault);
	return -EFAULT;
}

struct init_call {
	int (*init)(void);
	int ret;
};

static void run_init(void *arg)
{
	struct init_call *c = arg;

	c->ret = c->init();
}

int modcall_init(int (*init)(void), int *ret)
{
	struct init_call c = { init, 0 };
	int err = modcall(run_init, &c);

	*ret = c.ret;
	return err;
}

static void run_exit(void *arg)
{
	void (**exit)(void) = arg;

	(*exit)();
}

int modcall_exit(void (*exit)(void))
{
	return modcall(run_exit, &exit);
}
