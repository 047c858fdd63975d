// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel/params.c for modules: the standard parameter types with Linux
 * 6.1's read formats and write parsing (facts §9), arrays and strings,
 * and parse_args() for load-time options.
 *
 * charp values set here are kmalloc'd and remembered, so that replacing
 * or destroying a parameter frees exactly the strings kmodfs allocated
 * and never the module's own initial string.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/kstrtox.h"
#include "kernel/modcall.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "kernel/taint.h"

/* ---- the integer types ---- */

#define INT_PARAM(name, type, fmt, parse)                                      \
	KAPI static int param_set_##name(const char *val,                     \
					 const struct kernel_param *kp)        \
	{                                                                      \
		return parse(val, 0, (type *)kp->arg);                         \
	}                                                                      \
	KAPI static int param_get_##name(char *buf,                           \
					 const struct kernel_param *kp)        \
	{                                                                      \
		return kernel_scnprintf(buf, PARAM_PAGE_SIZE, fmt "\n",        \
					*(type *)kp->arg);                     \
	}                                                                      \
	const struct kernel_param_ops param_ops_##name = {                     \
		.set = param_set_##name,                                       \
		.get = param_get_##name,                                       \
	};                                                                     \
	KEXPORT(param_set_##name);                                             \
	KEXPORT(param_get_##name);                                             \
	KEXPORT(param_ops_##name)

/* kstrtol/kstrtoul are the 64-bit kstrtoll/kstrtoull on x86-64 */
static int parse_long(const char *s, unsigned int base, long *res)
{
	return _kstrtol(s, base, res);
}

static int parse_ulong(const char *s, unsigned int base, unsigned long *res)
{
	return _kstrtoul(s, base, res);
}

INT_PARAM(byte, unsigned char, "%hhu", kstrtou8);
INT_PARAM(short, short, "%hi", kstrtos16);
INT_PARAM(ushort, unsigned short, "%hu", kstrtou16);
INT_PARAM(int, int, "%i", kstrtoint);
INT_PARAM(uint, unsigned int, "%u", kstrtouint);
INT_PARAM(long, long, "%li", parse_long);
INT_PARAM(ulong, unsigned long, "%lu", parse_ulong);
INT_PARAM(ullong, unsigned long long, "%llu", kstrtoull);
INT_PARAM(hexint, unsigned int, "%#08x", kstrtouint);

/* ---- charp: kmalloc'd copies, tracked ---- */

struct kmalloced_param {
	struct kmalloced_param *next;
	char val[];
};
static struct kmalloced_param *kmalloced_params;
static pthread_mutex_t kmalloced_lock = PTHREAD_MUTEX_INITIALIZER;

static char *kmalloc_parameter(size_t size)
{
	struct kmalloced_param *p = __kmalloc(sizeof(*p) + size, GFP_KERNEL);

	if (!p)
		return NULL;
	pthread_mutex_lock(&kmalloced_lock);
	p->next = kmalloced_params;
	kmalloced_params = p;
	pthread_mutex_unlock(&kmalloced_lock);
	return p->val;
}

unsigned int param_kmalloced_count(void)
{
	unsigned int n = 0;

	pthread_mutex_lock(&kmalloced_lock);
	for (const struct kmalloced_param *p = kmalloced_params; p; p = p->next)
		n++;
	pthread_mutex_unlock(&kmalloced_lock);
	return n;
}

/* Free val only if kmalloc_parameter() made it. */
static void maybe_kfree_parameter(const void *val)
{
	struct kmalloced_param **pp, *p;

	pthread_mutex_lock(&kmalloced_lock);
	for (pp = &kmalloced_params; (p = *pp); pp = &p->next) {
		if (p->val == val) {
			*pp = p->next;
			kfree(p);
			break;
		}
	}
	pthread_mutex_unlock(&kmalloced_lock);
}

KAPI static int param_set_charp(const char *val, const struct kernel_param *kp)
{
	size_t len = strlen(val);
	char *copy;

	if (len > 1024) {
		pr_err("%s: string parameter too long\n", kp->name);
		return -ENOSPC;
	}
	copy = kmalloc_parameter(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, val, len + 1);
	maybe_kfree_parameter(*(char **)kp->arg);
	*(char **)kp->arg = copy;
	return 0;
}
KEXPORT(param_set_charp);

KAPI static int param_get_charp(char *buf, const struct kernel_param *kp)
{
	return kernel_scnprintf(buf, PARAM_PAGE_SIZE, "%s\n", *(char **)kp->arg);
}
KEXPORT(param_get_charp);

KAPI static void param_free_charp(void *arg)
{
	maybe_kfree_parameter(*(char **)arg);
}
KEXPORT(param_free_charp);

const struct kernel_param_ops param_ops_charp = {
	.set = param_set_charp,
	.get = param_get_charp,
	.free = param_free_charp,
};
KEXPORT(param_ops_charp);

/* ---- bool and its relatives ---- */

KAPI static int param_set_bool(const char *val, const struct kernel_param *kp)
{
	return kstrtobool(val ? val : "1", (bool *)kp->arg);
}
KEXPORT(param_set_bool);

KAPI static int param_get_bool(char *buf, const struct kernel_param *kp)
{
	return kernel_sprintf(buf, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}
KEXPORT(param_get_bool);

const struct kernel_param_ops param_ops_bool = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bool,
	.get = param_get_bool,
};
KEXPORT(param_ops_bool);

/* Parse a bool without touching the parameter. */
static int parse_bool(const char *val, bool *out)
{
	return kstrtobool(val ? val : "1", out);
}

KAPI static int param_set_bool_enable_only(const char *val,
					   const struct kernel_param *kp)
{
	bool v;
	int err = parse_bool(val, &v);

	if (err)
		return err;
	if (!v && *(bool *)kp->arg)
		return -EROFS;	/* once on, it stays on */
	if (v)
		*(bool *)kp->arg = true;
	return 0;
}
KEXPORT_GPL(param_set_bool_enable_only);

const struct kernel_param_ops param_ops_bool_enable_only = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bool_enable_only,
	.get = param_get_bool,
};
KEXPORT_GPL(param_ops_bool_enable_only);

KAPI static int param_set_invbool(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err = parse_bool(val, &v);

	if (!err)
		*(bool *)kp->arg = !v;
	return err;
}
KEXPORT(param_set_invbool);

KAPI static int param_get_invbool(char *buf, const struct kernel_param *kp)
{
	return kernel_sprintf(buf, "%c\n", *(bool *)kp->arg ? 'N' : 'Y');
}
KEXPORT(param_get_invbool);

/* No NOARG flag: a bare name is -EINVAL, as in Linux. */
const struct kernel_param_ops param_ops_invbool = {
	.set = param_set_invbool,
	.get = param_get_invbool,
};
KEXPORT(param_ops_invbool);

KAPI static int param_set_bint(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err = parse_bool(val, &v);

	if (!err)
		*(int *)kp->arg = v;
	return err;
}
KEXPORT(param_set_bint);

const struct kernel_param_ops param_ops_bint = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bint,
	.get = param_get_int,
};
KEXPORT(param_ops_bint);

/* ---- fixed-size strings (module_param_string) ---- */

KAPI static int param_set_copystring(const char *val, const struct kernel_param *kp)
{
	const struct kparam_string *kps = kp->str;

	if (strnlen(val, kps->maxlen) == kps->maxlen) {
		pr_err("%s: string doesn't fit in %u chars.\n", kp->name,
		       kps->maxlen - 1);
		return -ENOSPC;
	}
	strcpy(kps->string, val);
	return 0;
}
KEXPORT(param_set_copystring);

KAPI static int param_get_string(char *buf, const struct kernel_param *kp)
{
	return kernel_scnprintf(buf, PARAM_PAGE_SIZE, "%s\n", kp->str->string);
}
KEXPORT(param_get_string);

const struct kernel_param_ops param_ops_string = {
	.set = param_set_copystring,
	.get = param_get_string,
};
KEXPORT(param_ops_string);

/* ---- arrays ---- */

/* Split val on ',' (in place) and set each element; partial on error. */
static int param_array(const char *name, char *val, unsigned int min,
		       unsigned int max, void *elem, unsigned int elemsize,
		       int (*set)(const char *, const struct kernel_param *),
		       int8_t level, unsigned int *num)
{
	struct kernel_param kp = { .name = name, .level = level, .arg = elem };
	char save;

	*num = 0;
	do {
		size_t len;
		int ret;

		if (*num == max) {
			pr_err("%s: can only take %i arguments\n", name, max);
			return -EINVAL;
		}
		len = strcspn(val, ",");
		save = val[len];
		val[len] = '\0';
		ret = set(val, &kp);
		if (ret)
			return ret;
		kp.arg = (char *)kp.arg + elemsize;
		val += len + 1;
		(*num)++;
	} while (save == ',');
	if (*num < min) {
		pr_err("%s: needs at least %i arguments\n", name, min);
		return -EINVAL;
	}
	return 0;
}

KAPI static int param_array_set(const char *val, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	unsigned int tmp;

	return param_array(kp->name, (char *)(uintptr_t)val, 1, arr->max,
			   arr->elem, arr->elemsize, arr->ops->set, kp->level,
			   arr->num ? arr->num : &tmp);
}

/*
 * Linux lets each element write a page at buf + off, so a long array
 * runs past the page (a heap overflow here, where the page is the
 * daemon's); each element is written to a page of its own instead and
 * the list is cut at the page's end.
 */
KAPI static int param_array_get(char *buf, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	struct kernel_param p = *kp;
	unsigned int n = arr->num ? *arr->num : arr->max;
	char elem[PARAM_PAGE_SIZE];
	int off = 0;

	for (unsigned int i = 0; i < n && off < PARAM_PAGE_SIZE - 1; i++) {
		int ret;

		p.arg = (char *)arr->elem + (size_t)arr->elemsize * i;
		ret = arr->ops->get(elem, &p);
		if (ret < 0)
			return ret;
		if (i && off)
			buf[off - 1] = ',';	/* the previous element's "\n" */
		if (ret > PARAM_PAGE_SIZE - 1 - off)
			ret = PARAM_PAGE_SIZE - 1 - off;
		memcpy(buf + off, elem, (size_t)ret);
		off += ret;
	}
	buf[off] = '\0';
	return off;
}

/*
 * Every element, not only the first *num: a shorter (or failed) write
 * leaves the strings of earlier, longer ones in the slots past *num,
 * which Linux never frees.  (param_free_charp frees only strings that
 * param_set_charp made.)
 */
KAPI static void param_array_free(void *arg)
{
	const struct kparam_array *arr = arg;

	if (arr->ops->free)
		for (unsigned int i = 0; i < arr->max; i++)
			arr->ops->free((char *)arr->elem + (size_t)arr->elemsize * i);
}

const struct kernel_param_ops param_array_ops = {
	.set = param_array_set,
	.get = param_array_get,
	.free = param_array_free,
};
KEXPORT(param_array_ops);

bool param_ops_is_kernel(const struct kernel_param_ops *ops)
{
	static const struct kernel_param_ops *const all[] = {
		&param_ops_byte, &param_ops_short, &param_ops_ushort,
		&param_ops_int, &param_ops_uint, &param_ops_long,
		&param_ops_ulong, &param_ops_ullong, &param_ops_hexint,
		&param_ops_charp, &param_ops_bool, &param_ops_bool_enable_only,
		&param_ops_invbool, &param_ops_bint, &param_ops_string,
		&param_array_ops,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (ops == all[i])
			return true;
	return false;
}

/* ---- parse_args ---- */

bool parameq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

char *next_arg(char *args, char **param, char **val)
{
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;

	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (isspace((unsigned char)args[i]) && !in_quote)
			break;
		/* position 0 never counts as the '=', as in Linux */
		if (!equals && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else {
		args += i;
	}
	return skip_spaces(args);
}

struct set_call {
	const struct kernel_param *kp;
	const char *val;
	int ret;
};

static void run_set(void *arg)
{
	struct set_call *c = arg;

	c->ret = (int)modcall_fn((void (*)(void))c->kp->ops->set, (unsigned long)c->val,
				(unsigned long)c->kp);
}

/* The setter may be the module's own code: run it as module code. */
int param_set_checked(const struct kernel_param *kp, const char *val)
{
	struct set_call c = { kp, val, 0 };
	int err;

	if (kp->flags & KERNEL_PARAM_FL_UNSAFE) {
		pr_notice("Setting dangerous option %s - tainting kernel\n", kp->name);
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}
	err = modcall(run_set, &c);
	return err ? err : c.ret;
}

static int parse_one(char *param, char *val, const char *doing,
		     const struct kernel_param *params, unsigned int num,
		     void (*lock)(void *), void (*unlock)(void *), void *lockarg,
		     int (*unknown)(char *, char *, const char *, void *), void *arg)
{
	for (unsigned int i = 0; i < num; i++) {
		int err;

		if (!parameq(param, params[i].name))
			continue;
		if (!val && !(params[i].ops->flags & KERNEL_PARAM_OPS_FL_NOARG))
			return -EINVAL;
		lock(lockarg);
		err = param_set_checked(&params[i], val);
		unlock(lockarg);
		return err;
	}
	if (unknown)
		return unknown(param, val, doing, arg);
	return -ENOENT;
}

int parse_args(const char *doing, char *args, const struct kernel_param *params,
	       unsigned int num, void (*lock)(void *), void (*unlock)(void *),
	       void *lockarg,
	       int (*unknown)(char *param, char *val, const char *doing, void *arg),
	       void *arg, char **after_dashes)
{
	char *param, *val;
	int err = 0;

	*after_dashes = NULL;
	args = skip_spaces(args);
	while (*args) {
		int ret;

		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--")) {
			if (!err)
				*after_dashes = args;
			return err;
		}
		ret = parse_one(param, val, doing, params, num, lock, unlock,
				lockarg, unknown, arg);
		switch (ret) {
		case 0:
			continue;
		case -ENOENT:
			pr_err("%s: Unknown parameter `%s'\n", doing, param);
			break;
		case -ENOSPC:
			pr_err("%s: `%s' too large for parameter `%s'\n", doing,
			       val ? val : "", param);
			break;
		default:
			pr_err("%s: `%s' invalid for parameter `%s'\n", doing,
			       val ? val : "", param);
			break;
		}
		err = ret;
	}
	return err;
}

static void run_free(void *arg)
{
	const struct kernel_param *kp = arg;

	modcall_fn((void (*)(void))kp->ops->free, (unsigned long)kp->arg, 0);
}

void destroy_params(const struct kernel_param *params, unsigned int num)
{
	for (unsigned int i = 0; i < num; i++)
		if (params[i].ops->free)
			modcall(run_free, (void *)(uintptr_t)&params[i]);
}
