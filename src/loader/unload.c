// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * delete_module(2) (facts §11): the checks in Linux's order and errno,
 * then GOING, the exit function, and free_module().  Nothing is logged
 * on a normal unload.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "kernel/modcall.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/taint.h"
#include "loader/internal.h"
#include "loader/registry.h"



static bool try_force_unload(unsigned int flags)
{
	bool forced = flags & O_TRUNC;

	if (forced)
		add_taint(TAINT_FORCED_RMMOD, LOCKDEP_NOW_UNRELIABLE);
	return forced;
}

/* Drop the base reference unless someone else holds one. */
static bool try_release_module_ref(struct module *mod)
{
	int left = __atomic_sub_fetch(&mod->refcnt, MODULE_REF_BASE, __ATOMIC_ACQ_REL);

	if (!left)
		return true;
	/* somebody holds it: put the base reference back (unless it has
	 * just dropped to zero meanwhile) */
	int old = __atomic_load_n(&mod->refcnt, __ATOMIC_RELAXED);

	while (old != 0 &&
	       !__atomic_compare_exchange_n(&mod->refcnt, &old, old + MODULE_REF_BASE,
					    true, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		;
	return old == 0;
}

int delete_module(const char *name_in, unsigned int flags)
{
	char name[MODULE_NAME_LEN];
	struct kmodule *km;
	int ret = 0;

	if (__atomic_load_n(&modules_disabled, __ATOMIC_ACQUIRE))
		return -EPERM;
	strncpy(name, name_in, MODULE_NAME_LEN - 1);
	name[MODULE_NAME_LEN - 1] = '\0';

	module_mutex_lock();
	km = find_kmodule(name, false);
	if (!km) {
		ret = -ENOENT;
		goto out;
	}
	if (!list_empty(&km->source_list)) {
		ret = -EWOULDBLOCK;	/* other modules depend on it */
		goto out;
	}
	if (km->state != MODULE_STATE_LIVE) {
		ret = -EBUSY;		/* doing init or already dying */
		goto out;
	}
	if (km->mod->init && !km->mod->exit && !try_force_unload(flags)) {
		ret = -EBUSY;		/* permanent */
		goto out;
	}
	if (!try_release_module_ref(km->mod) && !try_force_unload(flags)) {
		ret = -EWOULDBLOCK;
		goto out;
	}
	kmodule_set_state(km, MODULE_STATE_GOING);
	module_state_changed();
	kmodule_sysfs_drain(km);
	module_mutex_unlock();

	if (km->mod->exit && modcall_exit(km->mod->exit))
		ret = -EFAULT;	/* the exit function faulted: reported, and it goes anyway */
	record_last_unloaded(km);
	destroy_params(km->kp, km->num_kp);
	free_module(km);
	return ret;
out:
	module_mutex_unlock();
	return ret;
}

/* A module no other module uses, newest first; NULL when none is left. */
static struct kmodule *pick_leaf(void)
{
	struct kmodule *km;

	list_for_each_entry(km, modlist_head(), list)
		if (km->state == MODULE_STATE_LIVE && list_empty(&km->source_list))
			return km;
	return NULL;
}

void unload_all_modules(void)
{
	for (;;) {
		struct kmodule *km;
		bool run_exit;

		module_mutex_lock();
		km = pick_leaf();
		if (!km) {
			module_mutex_unlock();
			break;
		}
		/* The daemon is going away: held references and permanent
		 * modules cannot keep it alive, but a permanent module's
		 * (missing) exit is not run. */
		run_exit = km->mod->exit != NULL;
		kmodule_set_state(km, MODULE_STATE_GOING);
		kmodule_sysfs_drain(km);
		module_mutex_unlock();
		if (run_exit)
			modcall_exit(km->mod->exit);
		destroy_params(km->kp, km->num_kp);
		free_module(km);
	}
}
