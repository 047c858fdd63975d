// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module registry: the list of modules (newest first), their states
 * (unformed -> coming -> live -> going), dependency edges and the record
 * lifetimes the filesystem relies on.
 *
 * Lock order: module_mutex, then a module's param_lock, then timer or
 * log locks.  module_mutex is never held while module code runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/kthread.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/workqueue.h"
#include "loader/internal.h"
#include "loader/ksymtab.h"
#include "loader/registry.h"

static pthread_mutex_t module_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t module_wq = PTHREAD_COND_INITIALIZER;
static struct list_head modules = LIST_HEAD_INIT(modules);
static unsigned int nr_modules;
static pthread_rwlock_t modlist_lock = PTHREAD_RWLOCK_INITIALIZER;

void modlist_read_lock(void)
{
	pthread_rwlock_rdlock(&modlist_lock);
}

void modlist_read_unlock(void)
{
	pthread_rwlock_unlock(&modlist_lock);
}

void modlist_write_lock(void)
{
	pthread_rwlock_wrlock(&modlist_lock);
}

void modlist_write_unlock(void)
{
	pthread_rwlock_unlock(&modlist_lock);
}

struct list_head *modlist_head(void)
{
	return &modules;
}

void module_mutex_lock(void)
{
	pthread_mutex_lock(&module_mutex);
}

void module_mutex_unlock(void)
{
	pthread_mutex_unlock(&module_mutex);
}

void module_state_changed(void)
{
	pthread_cond_broadcast(&module_wq);
}

struct watcher {
	void (*fn)(struct kmodule *km, enum kmod_event ev, void *arg);
	void *arg;
};
static struct watcher watchers[4];
static unsigned int nr_watchers;

int register_module_watcher(void (*fn)(struct kmodule *km, enum kmod_event ev,
				       void *arg), void *arg)
{
	int r = -ENOSPC;

	module_mutex_lock();
	if (nr_watchers < sizeof(watchers) / sizeof(watchers[0])) {
		watchers[nr_watchers++] = (struct watcher){ fn, arg };
		r = 0;
	}
	module_mutex_unlock();
	return r;
}

void module_watchers_notify(struct kmodule *km, enum kmod_event ev)
{
	/* registration happens once at start-up, before any load */
	for (unsigned int i = 0; i < __atomic_load_n(&nr_watchers, __ATOMIC_ACQUIRE); i++)
		watchers[i].fn(km, ev, watchers[i].arg);
}

void kmodule_set_state(struct kmodule *km, int state)
{
	__atomic_store_n(&km->state, state, __ATOMIC_RELEASE);
	if (km->mod)
		__atomic_store_n(&km->mod->state, state, __ATOMIC_RELEASE);
}

int module_wait_state_change(time_t deadline)
{
	struct timespec ts;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec >= deadline)
		return -ETIMEDOUT;
	/* Short waits: a change between our check and this wait is only
	 * noticed at the next wake-up, so never sleep long. */
	ts.tv_nsec += 100 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&module_mutex);
	r = pthread_cond_timedwait(&module_wq, &module_mutex, &ts);
	pthread_mutex_unlock(&module_mutex);
	(void)r;
	return 0;
}

/*
 * Modules by name: a chained hash beside the list, so that finding one
 * (every load checks its name, every unload and sys/module lookup finds
 * one) does not walk every loaded module.  module_mutex protects it.
 */
#define NAME_BUCKETS 1024
static struct kmodule *by_name[NAME_BUCKETS];

static unsigned int name_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % NAME_BUCKETS;
}

static void name_add(struct kmodule *km)
{
	unsigned int b = name_hash(km->name);

	km->name_next = by_name[b];
	by_name[b] = km;
}

static void name_del(struct kmodule *km)
{
	for (struct kmodule **pp = &by_name[name_hash(km->name)]; *pp; pp = &(*pp)->name_next) {
		if (*pp == km) {
			*pp = km->name_next;
			return;
		}
	}
}

struct kmodule *find_kmodule(const char *name, bool even_unformed)
{
	for (struct kmodule *km = by_name[name_hash(name)]; km; km = km->name_next) {
		if (!even_unformed && km->state == MODULE_STATE_UNFORMED)
			continue;
		if (!strcmp(km->name, name))
			return km;
	}
	return NULL;
}

void kmodule_get(struct kmodule *km)
{
	atomic_fetch_add(&km->rec_ref, 1);
}

void kmodule_put(struct kmodule *km)
{
	if (atomic_fetch_sub(&km->rec_ref, 1) != 1)
		return;
	pthread_mutex_destroy(&km->param_lock);
	free(km->modinfo);
	free(km->args);
	for (unsigned int i = 0; i < km->num_sections; i++)
		free(km->sections[i].name);
	free(km->sections);
	for (unsigned int i = 0; i < km->num_notes; i++)
		free(km->notes[i].name);
	free(km->notes);
	free(km);
}

struct kmodule *kmodule_get_by_name(const char *name)
{
	struct kmodule *km;

	module_mutex_lock();
	km = find_kmodule(name, false);
	if (km)
		kmodule_get(km);
	module_mutex_unlock();
	return km;
}

int for_each_kmodule(int (*fn)(struct kmodule *km, void *arg), void *arg)
{
	struct kmodule *km;
	int r = 0;

	list_for_each_entry(km, &modules, list) {
		if (km->state == MODULE_STATE_UNFORMED)
			continue;
		r = fn(km, arg);
		if (r)
			break;
	}
	return r;
}

unsigned int nr_kmodules(void)
{
	return nr_modules;
}

int kmodule_sysfs_enter(struct kmodule *km)
{
	int err = 0;

	module_mutex_lock();
	/* kernfs: a file of a removed node answers ENODEV */
	if (km->unlinked || km->state == MODULE_STATE_GOING ||
	    km->state == MODULE_STATE_UNFORMED)
		err = -ENODEV;
	else
		km->sysfs_active++;
	module_mutex_unlock();
	return err;
}

void kmodule_sysfs_exit(struct kmodule *km)
{
	module_mutex_lock();
	if (--km->sysfs_active == 0)
		module_state_changed();
	module_mutex_unlock();
}

/* module_mutex held: wait until no sysfs handler of km runs. */
void kmodule_sysfs_drain(struct kmodule *km)
{
	while (km->sysfs_active)
		pthread_cond_wait(&module_wq, &module_mutex);
}

struct kmodule *kmodule_from_struct(const struct module *mod)
{
	struct kmodule *km, *found = NULL;

	if (!mod)
		return NULL;
	modlist_read_lock();
	list_for_each_entry(km, &modules, list) {
		if (km->mod == mod) {
			found = km;
			break;
		}
	}
	modlist_read_unlock();
	return found;
}

int module_refcnt_read(const struct kmodule *km)
{
	return __atomic_load_n(&km->mod->refcnt, __ATOMIC_RELAXED);
}

int kmodule_refcount(const struct kmodule *km)
{
	return module_refcnt_read(km) - MODULE_REF_BASE;
}

/* ---- module refcounting, as modules call it ---- */

static bool module_is_live(const struct module *mod)
{
	return __atomic_load_n(&mod->state, __ATOMIC_ACQUIRE) != MODULE_STATE_GOING;
}

KAPI static void __module_get(struct module *mod)
{
	if (mod)
		__atomic_fetch_add(&mod->refcnt, 1, __ATOMIC_RELAXED);
}
KEXPORT(__module_get);

KAPI bool try_module_get(struct module *mod)
{
	int old;

	if (!mod)
		return true;
	if (!module_is_live(mod))
		return false;
	old = __atomic_load_n(&mod->refcnt, __ATOMIC_RELAXED);
	do {
		if (old == 0)
			return false;	/* being removed */
	} while (!__atomic_compare_exchange_n(&mod->refcnt, &old, old + 1, true,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return true;
}
KEXPORT(try_module_get);

KAPI void module_put(struct module *mod)
{
	if (!mod)
		return;
	if (__atomic_sub_fetch(&mod->refcnt, 1, __ATOMIC_RELEASE) < 0)
		pr_warn("WARNING: module_put() of %s below zero\n", mod->name);
}
KEXPORT(module_put);

KAPI static int module_refcount(struct module *mod)
{
	return __atomic_load_n(&mod->refcnt, __ATOMIC_RELAXED) - MODULE_REF_BASE;
}
KEXPORT(module_refcount);

/* ---- dependencies ---- */

static bool already_uses(const struct kmodule *a, const struct kmodule *b)
{
	struct module_use *use;

	list_for_each_entry(use, &b->source_list, source_list)
		if (use->source == a)
			return true;
	return false;
}

int ref_module(struct kmodule *a, struct kmodule *b)
{
	struct module_use *use;

	if (!b || already_uses(a, b))
		return 0;
	if (b->state == MODULE_STATE_COMING)
		return -EBUSY;
	if (!try_module_get(b->mod))
		return -ENOENT;
	use = malloc(sizeof(*use));
	if (!use) {
		module_put(b->mod);
		return -ENOMEM;
	}
	use->source = a;
	use->target = b;
	/* newest user first, as /proc/modules lists them */
	list_add(&use->source_list, &b->source_list);
	list_add(&use->target_list, &a->target_list);
	return 0;
}

void module_unload_free(struct kmodule *km)
{
	struct module_use *use, *tmp;

	list_for_each_entry_safe(use, tmp, &km->target_list, target_list) {
		module_put(use->target->mod);
		list_del_init(&use->source_list);
		list_del_init(&use->target_list);
		free(use);
	}
}

/* ---- registry membership ---- */

static bool finished_loading(const char *name)
{
	const struct kmodule *km = find_kmodule(name, true);

	return !km || km->state == MODULE_STATE_LIVE ||
	       km->state == MODULE_STATE_GOING;
}

int add_unformed_module(struct load_info *info)
{
	struct kmodule *km = info->km, *old;
	int err = 0;

	kmodule_set_state(km, MODULE_STATE_UNFORMED);
	module_mutex_lock();
	old = find_kmodule(km->name, true);
	if (old) {
		if (old->state == MODULE_STATE_COMING ||
		    old->state == MODULE_STATE_UNFORMED) {
			/* wait in case it fails to load */
			while (!finished_loading(km->name))
				pthread_cond_wait(&module_wq, &module_mutex);
			old = find_kmodule(km->name, true);
		}
		err = old && old->state == MODULE_STATE_LIVE ? -EEXIST : -EBUSY;
		goto out;
	}
	modlist_write_lock();
	list_add(&km->list, &modules);
	modlist_write_unlock();
	name_add(km);
	nr_modules++;
	info->added = true;
	tick_get();
out:
	module_mutex_unlock();
	return err;
}

int complete_formation(struct load_info *info)
{
	struct kmodule *km = info->km;
	int err;

	module_mutex_lock();
	err = verify_exported_symbols(info);
	if (!err)
		err = ksymtab_add_module(km);
	if (!err) {
		module_protect_formed(km);
		kmodule_set_state(km, MODULE_STATE_COMING);
		info->formed = true;
	}
	module_mutex_unlock();
	return err;
}

/*
 * Take a module out of the registry and free its memory: the common tail
 * of a failed load and of an unload.  The state must already be GOING
 * (or UNFORMED for a load that never formed).
 */
void free_module(struct kmodule *km)
{
	unsigned int left, running;
	bool had_sysfs;

	module_mutex_lock();
	/* mod_sysfs_teardown() comes first: NAME/ is gone before the state
	 * drops to UNFORMED, so no reader ever sees "unformed". */
	had_sysfs = km->sysfs_visible;
	km->sysfs_visible = false;
	ksymtab_del_module(km);
	kmodule_set_state(km, MODULE_STATE_UNFORMED);
	module_unload_free(km);
	module_mutex_unlock();

	left = timers_purge_range((unsigned long)km->core.base,
				  (unsigned long)km->core.base + km->core.size);
	if (km->init.base)
		left += timers_purge_range((unsigned long)km->init.base,
					   (unsigned long)km->init.base + km->init.size);
	if (left)
		pr_warn("%s: %u timer(s) still pending at unload were removed (on Linux this crashes)\n",
			km->name, left);
	left = works_purge_range((unsigned long)km->core.base,
				 (unsigned long)km->core.base + km->core.size);
	if (km->init.base)
		left += works_purge_range((unsigned long)km->init.base,
					  (unsigned long)km->init.base + km->init.size);
	if (left)
		pr_warn("%s: %u work item(s) or RCU callback(s) still pending at unload were removed (on Linux this crashes)\n",
			km->name, left);
	left = kthreads_purge_range((unsigned long)km->core.base,
				    (unsigned long)km->core.base + km->core.size, &running);
	if (left)
		pr_warn("%s: %u kthread(s) never woken at unload were stopped before they ran\n",
			km->name, left);
	if (running)
		pr_warn("%s: %u kthread(s) still running at unload: the module's memory stays mapped for them (on Linux this crashes)\n",
			km->name, running);

	module_mutex_lock();
	modlist_write_lock();
	list_del_init(&km->list);
	modlist_write_unlock();
	name_del(km);
	nr_modules--;
	km->unlinked = true;
	module_state_changed();
	module_mutex_unlock();
	tick_put();
	if (had_sysfs)
		module_watchers_notify(km, KMOD_SYSFS_DEL);

	/* a thread still in the module's code keeps it mapped (leaked) */
	if (!running) {
		module_memfree(km->init.base, km->init.size);
		module_memfree(km->core.base, km->core.size);
	}
	km->init.base = NULL;
	km->core.base = NULL;
	percpu_free(km->percpu, km->percpu_size);
	km->percpu = 0;
	km->mod = NULL;
	kmodule_put(km);
}
