// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: module parameters at load time.  The __param entries are
 * checked before anything dereferences them -- names must be strings in
 * the module, ops either the kernel's standard ops or an object in the
 * module -- then the load-time options are applied with Linux's
 * parse_args() rules (kernel/params.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "loader/internal.h"
#include "loader/registry.h"

#define ALIGNED(p, type) (((uintptr_t)(p) & (_Alignof(type) - 1)) == 0)

static bool in_core(const struct kmodule *km, const void *p, size_t size)
{
	unsigned long a = (unsigned long)p, base = (unsigned long)km->core.base;

	return a >= base && a <= base + km->core.size &&
	       size <= base + km->core.size - a;
}

static bool core_string(const struct kmodule *km, const char *s)
{
	unsigned long base = (unsigned long)km->core.base;

	return in_core(km, s, 1) &&
	       memchr(s, '\0', base + km->core.size - (unsigned long)s);
}

/* Everything the kernel side will dereference in one kernel_param. */
static int check_param(const struct kmodule *km, const struct kernel_param *kp)
{
	const struct kernel_param_ops *ops = kp->ops;

	if (!core_string(km, kp->name))
		return -ENOEXEC;
	if (!param_ops_is_kernel(ops) &&
	    (!in_core(km, ops, sizeof(*ops)) || !ALIGNED(ops, struct kernel_param_ops)))
		return -ENOEXEC;
	if (ops == &param_ops_string)
		return in_core(km, kp->str, sizeof(*kp->str)) &&
		       ALIGNED(kp->str, struct kparam_string) &&
		       in_core(km, kp->str->string, kp->str->maxlen) &&
		       kp->str->maxlen ? 0 : -ENOEXEC;
	if (ops == &param_array_ops) {
		const struct kparam_array *a = kp->arr;

		if (!in_core(km, a, sizeof(*a)) || !ALIGNED(a, struct kparam_array) ||
		    (a->num && (!in_core(km, a->num, sizeof(*a->num)) ||
				!ALIGNED(a->num, unsigned int))) ||
		    !param_ops_is_kernel(a->ops) || a->ops == &param_array_ops ||
		    !in_core(km, a->elem, (size_t)a->max * a->elemsize))
			return -ENOEXEC;
		return 0;
	}
	if (param_ops_is_kernel(ops) && !in_core(km, kp->arg, 1))
		return -ENOEXEC;
	return 0;
}

int check_module_params(struct load_info *info)
{
	struct kmodule *km = info->km;

	for (unsigned int i = 0; i < km->num_kp; i++) {
		if (check_param(km, &km->kp[i])) {
			pr_err("%s: parameter %u in __param points outside the module\n",
			       km->name, i);
			return -ENOEXEC;
		}
	}
	return 0;
}

static void param_lock(void *arg)
{
	pthread_mutex_lock(&((struct kmodule *)arg)->param_lock);
}

static void param_unlock(void *arg)
{
	pthread_mutex_unlock(&((struct kmodule *)arg)->param_lock);
}

/* Linux's unknown_module_param_cb(): warn, never fail the load. */
static int unknown_module_param(char *param, char *val, const char *modname,
				void *arg)
{
	(void)val;
	(void)arg;
	/* async_probe has no meaning without a driver core, and dyndbg
	 * queries find no dynamic-debug sites: both accepted silently, as
	 * Linux takes them */
	if (!strcmp(param, "async_probe") || !strcmp(param, "dyndbg"))
		return 0;
	pr_warn("%s: unknown parameter '%s' ignored\n", modname, param);
	return 0;
}

static char *(*options_provider)(const char *name);

void set_module_options_provider(char *(*fn)(const char *name))
{
	options_provider = fn;
}

int parse_module_args(struct load_info *info, const char *args)
{
	struct kmodule *km = info->km;
	char *after_dashes, *scratch;
	int err;

	if (!args && options_provider)
		km->args = options_provider(km->name);
	if (!km->args)
		km->args = strdup(args ? args : "");
	if (!km->args)
		return -ENOMEM;
	/* parse a scratch copy: parse_args cuts the string up */
	scratch = strdup(km->args);
	if (!scratch)
		return -ENOMEM;
	err = parse_args(km->name, scratch, km->kp, km->num_kp, param_lock,
			 param_unlock, km, unknown_module_param, km, &after_dashes);
	if (!err && after_dashes)
		pr_warn("%s: parameters '%s' after `--' ignored\n", km->name,
			after_dashes);
	free(scratch);
	return err;
}

/* kernel_param_lock(THIS_MODULE): the module's own parameter lock. */
KAPI static void kernel_param_lock(struct module *mod)
{
	struct kmodule *km = kmodule_from_struct(mod);

	if (km)
		pthread_mutex_lock(&km->param_lock);
}
KEXPORT(kernel_param_lock);

KAPI static void kernel_param_unlock(struct module *mod)
{
	struct kmodule *km = kmodule_from_struct(mod);

	if (km)
		pthread_mutex_unlock(&km->param_lock);
}
KEXPORT(kernel_param_unlock);
