// SPDX-License-Identifier: GPL-2.0-or-later
/* Entering module code (see modcall.h). */
#include <errno.h>

#include "kernel/modcall.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"

int modcall(void (*fn)(void *arg), void *arg)
{
	int err = percpu_thread_enter();

	if (err) {
		pr_err("kmodfs: cannot set up a per-CPU area for module code (%d)\n",
		       err);
		return err;
	}
	fn(arg);
	return 0;
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
