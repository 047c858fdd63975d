// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sys/module: one directory per module whose sysfs entry exists (from
 * mod_sysfs_setup, so also while init runs), with Linux 6.1's attributes,
 * holders/, sections/, notes/ and parameters/ (facts §9, §10), and the
 * built-in sys/module/module/parameters/sig_enforce.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "kernel/modcall.h"
#include "kernel/params.h"
#include "kernel/taint.h"
#include "loader/signature.h"

#define PAGE_SIZE 4096

static const char *const attr_names[MA_COUNT] = {
	[MA_INITSTATE] = "initstate",
	[MA_REFCNT] = "refcnt",
	[MA_CORESIZE] = "coresize",
	[MA_INITSIZE] = "initsize",
	[MA_TAINT] = "taint",
	[MA_SRCVERSION] = "srcversion",
	[MA_VERSION] = "version",
};

/* module_mutex held */
static bool attr_present(const struct kmodule *km, enum modattr a)
{
	if (a == MA_SRCVERSION)
		return km->srcversion != NULL;
	if (a == MA_VERSION)
		return km->version != NULL;
	return true;
}

/* module_mutex held: a parameter gets a file only with perm != 0 */
static bool param_has_file(const struct kmodule *km, unsigned int i)
{
	return (km->kp[i].perm & 0777) != 0;
}

static bool has_param_files(const struct kmodule *km)
{
	for (unsigned int i = 0; i < km->num_kp; i++)
		if (param_has_file(km, i))
			return true;
	return false;
}

static bool gone(const struct kmodule *km)
{
	return km->unlinked || !km->sysfs_visible;
}

int sysmod_lookup(struct node *dir, const char *name, enum node_kind *kind,
		  unsigned int *idx, mode_t *mode, struct kmodule **kmp)
{
	struct kmodule *km = dir->km;
	struct module_use *use;
	int err = -ENOENT;

	module_mutex_lock();
	if (dir->kind == N_SYSMODULE) {
		km = find_kmodule(name, false);
		if (km && km->sysfs_visible) {
			*kind = N_MODDIR;
			err = 0;
		}
		goto out;
	}
	if (gone(km))
		goto out;
	switch (dir->kind) {
	case N_MODDIR:
		for (unsigned int a = 0; a < MA_COUNT; a++) {
			if (!strcmp(name, attr_names[a]) && attr_present(km, a)) {
				*kind = N_MODATTR;
				*idx = a;
				err = 0;
			}
		}
		if (!strcmp(name, "holders")) {
			*kind = N_HOLDERS;
			err = 0;
		} else if (!strcmp(name, "sections")) {
			*kind = N_SECTIONS;
			err = 0;
		} else if (!strcmp(name, "notes") && km->num_notes) {
			*kind = N_NOTES;
			err = 0;
		} else if (!strcmp(name, "parameters") && has_param_files(km)) {
			*kind = N_PARAMS;
			err = 0;
		}
		break;
	case N_HOLDERS:
		list_for_each_entry(use, &km->source_list, source_list) {
			if (!strcmp(use->source->name, name)) {
				*kind = N_HOLDER;
				err = 0;
			}
		}
		break;
	case N_SECTIONS:
		for (unsigned int i = 0; i < km->num_sections && err; i++) {
			if (!strcmp(km->sections[i].name, name)) {
				*kind = N_SECTION;
				*idx = i;
				err = 0;
			}
		}
		break;
	case N_NOTES:
		for (unsigned int i = 0; i < km->num_notes && err; i++) {
			if (!strcmp(km->notes[i].name, name)) {
				*kind = N_NOTE;
				*idx = i;
				err = 0;
			}
		}
		break;
	case N_PARAMS:
		for (unsigned int i = 0; i < km->num_kp && err; i++) {
			if (param_has_file(km, i) && !strcmp(km->kp[i].name, name)) {
				*kind = N_PARAM;
				*idx = i;
				*mode = S_IFREG | (km->kp[i].perm & 0777);
				err = 0;
			}
		}
		break;
	default:
		break;
	}
out:
	if (!err) {
		kmodule_get(km);
		*kmp = km;
	}
	module_mutex_unlock();
	return err;
}

/* Names already listed are skipped (sysfs cannot hold duplicates). */
static int add_unique(struct dirlist *out, const char *name, enum node_kind kind)
{
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(out->names[i], name))
			return 0;
	return dirlist_add(out, name, kind);
}

static int list_module(const struct kmodule *km, struct dirlist *out)
{
	int err = 0;

	for (unsigned int a = 0; a < MA_COUNT && !err; a++)
		if (attr_present(km, a))
			err = dirlist_add(out, attr_names[a], N_MODATTR);
	if (!err)
		err = dirlist_add(out, "holders", N_HOLDERS);
	if (!err)
		err = dirlist_add(out, "sections", N_SECTIONS);
	if (!err && km->num_notes)
		err = dirlist_add(out, "notes", N_NOTES);
	if (!err && has_param_files(km))
		err = dirlist_add(out, "parameters", N_PARAMS);
	return err;
}

static int list_modules(struct kmodule *km, void *arg)
{
	return km->sysfs_visible ? dirlist_add(arg, km->name, N_MODDIR) : 0;
}

int sysmod_list(struct node *dir, struct dirlist *out)
{
	const struct kmodule *km = dir->km;
	struct module_use *use;
	int err = 0;

	module_mutex_lock();
	if (dir->kind == N_SYSMODULE) {
		err = for_each_kmodule(list_modules, out);
		goto out;
	}
	if (gone(km)) {
		err = -ENOENT;
		goto out;
	}
	switch (dir->kind) {
	case N_MODDIR:
		err = list_module(km, out);
		break;
	case N_HOLDERS:
		list_for_each_entry(use, &km->source_list, source_list)
			if (!err)
				err = dirlist_add(out, use->source->name, N_HOLDER);
		break;
	case N_SECTIONS:
		for (unsigned int i = 0; i < km->num_sections && !err; i++)
			err = add_unique(out, km->sections[i].name, N_SECTION);
		break;
	case N_NOTES:
		for (unsigned int i = 0; i < km->num_notes && !err; i++)
			err = add_unique(out, km->notes[i].name, N_NOTE);
		break;
	case N_PARAMS:
		for (unsigned int i = 0; i < km->num_kp && !err; i++)
			if (param_has_file(km, i))
				err = add_unique(out, km->kp[i].name, N_PARAM);
		break;
	default:
		break;
	}
out:
	module_mutex_unlock();
	return err;
}

mode_t sysmod_mode(const struct node *n)
{
	switch (n->kind) {
	case N_SECTION:
		return S_IFREG | 0400;
	case N_HOLDER:
		return S_IFLNK | 0777;
	case N_PARAM:
		return n->mode;	/* fixed at load: kernel_param.perm is const */
	default:
		return S_IFREG | 0444;
	}
}

static const char *state_name(int state)
{
	switch (state) {
	case MODULE_STATE_LIVE:
		return "live";
	case MODULE_STATE_COMING:
		return "coming";
	case MODULE_STATE_GOING:
		return "going";
	default:
		return "unformed";
	}
}

static int render_attr(const struct kmodule *km, enum modattr a, struct ofile *of)
{
	char taints[TAINT_FLAGS_COUNT + 1];

	switch (a) {
	case MA_INITSTATE:
		return of_printf(of, "%s\n", state_name(km->state));
	case MA_REFCNT:
		return of_printf(of, "%i\n", kmodule_refcount(km));
	case MA_CORESIZE:
		return of_printf(of, "%u\n", km->core.size);
	case MA_INITSIZE:
		return of_printf(of, "%u\n", km->init.size);
	case MA_TAINT:
		module_flags_taint(km->taints, taints);
		return of_printf(of, "%s\n", taints);
	case MA_SRCVERSION:
		return of_printf(of, "%s\n", km->srcversion);
	case MA_VERSION:
		return of_printf(of, "%s\n", km->version);
	default:
		return -EIO;
	}
}

struct param_call {
	const struct kernel_param *kp;
	char *buf;
	const char *val;
	int ret;
};

static void call_get(void *arg)
{
	struct param_call *c = arg;

	c->ret = (int)modcall_fn((void (*)(void))c->kp->ops->get, (unsigned long)c->buf,
				(unsigned long)c->kp);
}

static void call_set(void *arg)
{
	struct param_call *c = arg;

	c->ret = param_set_checked(c->kp, c->val);	/* a modcall of its own */
}

/* Run a parameter's get or set in the module, under its param lock. */
static int param_op(struct kmodule *km, unsigned int i, char *buf,
		    const char *val)
{
	struct param_call c = { &km->kp[i], buf, val, 0 };
	int err = kmodule_sysfs_enter(km);

	if (err)
		return err;
	if (val ? !c.kp->ops->set : !c.kp->ops->get) {
		kmodule_sysfs_exit(km);
		return -EPERM;
	}
	pthread_mutex_lock(&km->param_lock);
	err = modcall(val ? call_set : call_get, &c);
	pthread_mutex_unlock(&km->param_lock);
	kmodule_sysfs_exit(km);
	return err ? err : c.ret;
}

static int render_param(struct node *n, struct ofile *of)
{
	char *page = calloc(1, PAGE_SIZE + 1);
	int r;

	if (!page)
		return -ENOMEM;
	r = param_op(n->km, n->idx, page, NULL);
	if (r > 0) {
		/* a show of PAGE_SIZE or more is cut to PAGE_SIZE - 1 */
		r = of_append(of, page, r >= PAGE_SIZE ? PAGE_SIZE - 1 : (size_t)r);
	}
	free(page);
	return r < 0 ? r : 0;
}

int sysmod_render(struct node *n, struct ofile *of)
{
	int err = 0;

	if (n->kind == N_BUILTIN_PARAM)
		return of_printf(of, "%c\n", sig_enforce ? 'Y' : 'N');
	if (n->kind == N_PARAM)
		return render_param(n, of);

	module_mutex_lock();
	if (gone(n->km)) {
		err = -ENOENT;
	} else if (n->kind == N_MODATTR) {
		err = render_attr(n->km, n->idx, of);
	} else if (n->kind == N_SECTION) {
		err = of_printf(of, "0x%016lx\n", n->km->sections[n->idx].addr);
	} else if (n->kind == N_NOTE) {
		const struct kmod_note *note = &n->km->notes[n->idx];

		err = of_append(of, note->data, note->size);
	} else {
		err = -EIO;
	}
	module_mutex_unlock();
	return err;
}

int sysmod_write(struct node *n, const char *data, size_t len)
{
	char *val;
	int r;

	if (len == 0)
		return 0;	/* kernfs: nothing to store */
	if (len > PAGE_SIZE)
		len = PAGE_SIZE;
	val = malloc(len + 1);
	if (!val)
		return -ENOMEM;
	memcpy(val, data, len);
	val[len] = '\0';	/* passed verbatim, newline included */
	if (n->kind == N_BUILTIN_PARAM) {
		struct kernel_param kp = { .name = "sig_enforce", .arg = &sig_enforce };

		r = param_ops_bool_enable_only.set(val, &kp);
	} else {
		r = param_op(n->km, n->idx, NULL, val);
	}
	free(val);
	return r < 0 ? r : (int)len;
}

int sysmod_readlink(struct node *n, char *buf, size_t len)
{
	int r = snprintf(buf, len, "../../%s", n->name);

	return r < 0 || (size_t)r >= len ? -ENAMETOOLONG : 0;
}

int sysmod_rmdir(struct node *dir, const char *name)
{
	if (dir->kind != N_SYSMODULE)
		return -EPERM;
	return delete_module(name, O_NONBLOCK);
}

/* The loader tells us when a module's directory goes away. */
static void on_module_event(struct kmodule *km, enum kmod_event ev, void *arg)
{
	struct node *dir = arg;

	if (ev != KMOD_SYSFS_DEL)
		return;
	pthread_mutex_lock(&fs_lock);
	for (struct node *c = dir->children, *next; c; c = next) {
		next = c->sibling;
		if (c->km == km)
			node_remove(c);
	}
	pthread_mutex_unlock(&fs_lock);
	fs_notify_inval_entry(dir->ino, km->name);
}

void sysmod_watch(void)
{
	register_module_watcher(on_module_event, node_by_kind(N_SYSMODULE));
}
