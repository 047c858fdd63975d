// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target: module parameters (kernel/params.c) as a module's load-time
 * options and a write to /sys/module/M/parameters/P reach them --
 * parse_args(), next_arg(), and the set and get of the standard
 * kernel_param_ops -- over one table with every standard type,
 * module_param_string()s and arrays of every element type, with and
 * without a count variable.
 *
 * The first byte says what the rest is:
 *   bits 0-1 = 0 or 3  load-time options, parse_args() over the table;
 *                      the byte's bits 2-7 (modulo 5) say what an
 *                      unknown name gets (unknown_ret[])
 *   bits 0-1 = 1       a sysfs write: the next byte picks the parameter
 *                      (table index, modulo its size), the rest is the
 *                      value, at most a page, as kmodfs's sysfs passes it
 *   bits 0-1 = 2       a command line cut up by next_arg() alone
 *
 * Checked beyond what ASan, UBSan and LeakSanitizer see:
 *   - results are 0 or -errno, and the kernel is not tainted by an
 *     Oops, a WARN or a bad kfree (the setters run as module code,
 *     where a fault is caught and reported, not a crash);
 *   - next_arg(): the name, the value and the rest lie in the buffer,
 *     in that order, and the rest moves forward;
 *   - parse_args(): lock and unlock pair up; what unknown() gets lies in
 *     the buffer; the text after "--" too, and comes only with success;
 *   - get (of every parameter after parse_args()): at most PAGE_SIZE - 1
 *     characters and a NUL in a page-sized buffer, and returns their
 *     number;
 *   - a number or boolean read back writes back to itself (cat P > P);
 *   - destroy_params() leaves none of the strings kmodfs allocated
 *     (param_kmalloced_count() is back to 0).
 * The variables are reset to their initial values after every input.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "kernel/modcall.h"
#include "kernel/params.h"
#include "kernel/string.h"
#include "kernel/taint.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((format(printf, 1, 2), noreturn)) static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kmodfs-fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ---- the parameters: all their variables in one struct, reset by copy ---- */

struct vars {
	unsigned char byte_p;
	short short_p;
	unsigned short ushort_p;
	int int_p, unsafe_p, bint_p;
	unsigned int uint_p, hexint_p;
	long long_p;
	unsigned long ulong_p;
	unsigned long long ullong_p;
	char *charp_p, *charp_null;
	bool bool_p, invbool_p, beo_p, beo_on;
	char string_p[8], tiny_p[1], bigstr[5000];

	unsigned char a_byte[3];
	short a_short[4];
	unsigned short a_ushort[2];
	int a_int[4], a_bint[2];
	unsigned int a_uint[2], a_hexint[3];
	long a_long[3];
	unsigned long a_ulong[2];
	unsigned long long a_ullong[2];
	bool a_bool[4], a_invbool[2], a_beo[2];
	char *a_charp[4], *a_charp_nc[3];
	/* a read of these can need more than a page */
	unsigned int a_hexint_big[512];
	unsigned long long a_ullong_big[256];

	unsigned int nr_short, nr_int, nr_bint, nr_uint, nr_ulong, nr_bool;
	unsigned int nr_charp, nr_hexint_big;
};

static struct vars v;

/* charp initial values: not kmalloc'd, so never to be freed */
static char hello[] = "hello", str_x[] = "x", str_y[] = "y", str_z[] = "z";

static const struct vars initial = {
	.byte_p = 7, .short_p = -5, .ushort_p = 65535, .int_p = -42,
	.uint_p = 4000000000U, .hexint_p = 0xbeef, .long_p = -9000000000L,
	.ulong_p = 18000000000000000000UL, .ullong_p = 1,
	.charp_p = hello, .bool_p = true, .invbool_p = true, .beo_on = true,
	.string_p = "abc", .bigstr = "big",
	.a_byte = { 1, 2, 3 }, .a_ushort = { 65535 }, .a_long = { -1, 1 },
	.a_bool = { true, false }, .nr_bool = 2, .a_invbool = { false, true },
	.a_charp = { str_x, str_y }, .nr_charp = 2, .a_charp_nc = { str_z },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define SCALAR(var, type)                                                      \
	{ .name = #var, .ops = &param_ops_##type, .perm = 0644, .arg = &v.var }
#define STRING(var)                                                            \
	{ .name = #var, .ops = &param_ops_string, .perm = 0644,                \
	  .str = &(const struct kparam_string){ sizeof(v.var), v.var } }
#define ARRAY(var, type, count)                                                \
	{ .name = #var, .ops = &param_array_ops, .perm = 0644,                 \
	  .arr = &(const struct kparam_array){ NELEM(v.var), sizeof(v.var[0]), \
					       count, &param_ops_##type,       \
					       v.var } }

static const struct kernel_param params[] = {
	SCALAR(byte_p, byte),
	SCALAR(short_p, short),
	SCALAR(ushort_p, ushort),
	SCALAR(int_p, int),
	SCALAR(uint_p, uint),
	SCALAR(long_p, long),
	SCALAR(ulong_p, ulong),
	SCALAR(ullong_p, ullong),
	SCALAR(hexint_p, hexint),
	SCALAR(charp_p, charp),
	SCALAR(charp_null, charp),
	SCALAR(bool_p, bool),
	SCALAR(invbool_p, invbool),
	SCALAR(bint_p, bint),
	SCALAR(beo_p, bool_enable_only),
	SCALAR(beo_on, bool_enable_only),
	{ .name = "unsafe_p", .ops = &param_ops_int, .perm = 0644,
	  .flags = KERNEL_PARAM_FL_UNSAFE, .arg = &v.unsafe_p },
	STRING(string_p),
	STRING(tiny_p),
	STRING(bigstr),
	ARRAY(a_byte, byte, NULL),
	ARRAY(a_short, short, &v.nr_short),
	ARRAY(a_ushort, ushort, NULL),
	ARRAY(a_int, int, &v.nr_int),
	ARRAY(a_uint, uint, &v.nr_uint),
	ARRAY(a_long, long, NULL),
	ARRAY(a_ulong, ulong, &v.nr_ulong),
	ARRAY(a_ullong, ullong, NULL),
	ARRAY(a_hexint, hexint, NULL),
	ARRAY(a_bool, bool, &v.nr_bool),
	ARRAY(a_invbool, invbool, NULL),
	ARRAY(a_bint, bint, &v.nr_bint),
	ARRAY(a_beo, bool_enable_only, NULL),
	ARRAY(a_charp, charp, &v.nr_charp),
	ARRAY(a_charp_nc, charp, NULL),
	ARRAY(a_hexint_big, hexint, &v.nr_hexint_big),
	ARRAY(a_ullong_big, ullong, NULL),
};

#define NPARAMS ((unsigned int)NELEM(params))

/* A value read back is not the value written for strings ("x" reads "x\n"). */
static bool round_trips(const struct kernel_param *kp)
{
	const struct kernel_param_ops *ops = kp->ops;

	if (ops == &param_array_ops)
		ops = kp->arr->ops;
	return ops != &param_ops_charp && ops != &param_ops_string;
}

/* ---- the parameter lock (the module's param_lock) ---- */

static pthread_mutex_t param_mutex = PTHREAD_MUTEX_INITIALIZER;
static bool locked;

static void param_lock(void *arg)
{
	if (arg != &param_mutex || locked)
		fail("parse_args: lock() with the wrong argument or taken twice");
	pthread_mutex_lock(&param_mutex);
	locked = true;
}

static void param_unlock(void *arg)
{
	if (arg != &param_mutex || !locked)
		fail("parse_args: unlock() with the wrong argument or not locked");
	locked = false;
	pthread_mutex_unlock(&param_mutex);
}

static int set_param(const struct kernel_param *kp, const char *val)
{
	int err;

	param_lock(&param_mutex);
	err = param_set_checked(kp, val);
	param_unlock(&param_mutex);
	fuzz_check_errno(err);
	return err;
}

/* ---- get, as a read of the sysfs file runs it ---- */

static char *page, *page2;	/* PARAM_PAGE_SIZE bytes each, malloc'd */

struct get_call {
	const struct kernel_param *kp;
	char *buf;
	int ret;
};

static void call_get(void *arg)
{
	struct get_call *c = arg;

	c->ret = (int)modcall_fn((void (*)(void))c->kp->ops->get, (unsigned long)c->buf,
				 (unsigned long)c->kp);
}

/* get into buf (one page): its length, or -errno */
static int get_param(const struct kernel_param *kp, char *buf)
{
	struct get_call c = { kp, buf, 0 };

	memset(buf, 0xa5, PARAM_PAGE_SIZE);	/* get must write the NUL itself */
	param_lock(&param_mutex);
	if (modcall(call_get, &c))
		fail("%s: get faulted", kp->name);
	param_unlock(&param_mutex);
	if (c.ret < 0) {
		fuzz_check_errno(c.ret);
		return c.ret;
	}
	if (c.ret >= PARAM_PAGE_SIZE)
		fail("%s: get returned %d, more than a page holds", kp->name, c.ret);
	if (buf[c.ret] || memchr(buf, '\0', (size_t)c.ret))
		fail("%s: get returned %d, but the string it wrote is %zu long", kp->name,
		     c.ret, strnlen(buf, PARAM_PAGE_SIZE));
	return c.ret;
}

/* ---- mode 1: a sysfs write, a read, and the read written back ---- */

static int sysfs_write(const uint8_t *data, size_t size)
{
	const struct kernel_param *kp;
	char *val;
	int err, len;

	if (!size)
		return 0;
	kp = &params[data[0] % NPARAMS];
	data++;
	size--;
	if (size > PARAM_PAGE_SIZE)
		size = PARAM_PAGE_SIZE;
	val = (char *)fuzz_dup(data, size, 1);
	val[size] = '\0';
	err = set_param(kp, val);
	free(val);

	len = get_param(kp, page);
	if (len <= 0 || !round_trips(kp))
		return err;
	/* the setters may cut their value up (arrays do): a copy */
	val = (char *)fuzz_dup(page, (size_t)len + 1, 0);
	if (set_param(kp, val))
		fail("%s: what it reads, \"%s\", does not write back", kp->name, page);
	free(val);
	if (get_param(kp, page2) != len || memcmp(page, page2, (size_t)len))
		fail("%s: reads \"%s\", then after writing that back \"%s\"", kp->name, page,
		     page2);
	return err;
}

/* ---- mode 0: load-time options ---- */

static const char doing[] = "fuzz_params";
static const char *args_start, *args_end;

static bool in_args(const char *p)
{
	return p >= args_start && p <= args_end;
}

/* what unknown() returns, by the mode byte's bits 2-7; [0]: no unknown() */
static const int unknown_ret[] = { 0, 0, -EINVAL, -ENOENT, -ENOSPC };
static int unknown_cookie;

static int unknown(char *param, char *val, const char *what, void *arg)
{
	if (what != doing || arg != &unknown_cookie)
		fail("parse_args: unknown() got another doing or arg");
	if (!in_args(param) || (val && !in_args(val)))
		fail("parse_args: unknown() got a name or value outside the arguments");
	return *(int *)arg;
}

static int load_args(unsigned int how, const uint8_t *data, size_t size)
{
	char *args = (char *)fuzz_dup(data, size, 1), *after = args;
	int err;

	args[size] = '\0';
	args_start = args;
	args_end = args + strlen(args);
	how %= NELEM(unknown_ret);
	unknown_cookie = unknown_ret[how];
	err = parse_args(doing, args, params, NPARAMS, param_lock, param_unlock,
			 &param_mutex, how ? unknown : NULL, &unknown_cookie, &after);
	fuzz_check_errno(err);
	if (locked)
		fail("parse_args returned with the parameter lock held");
	if (after && (err || !in_args(after)))
		fail("parse_args: returned %d, and text after \"--\" at %p (arguments %p-%p)",
		     err, (void *)after, (const void *)args_start, (const void *)args_end);
	free(args);
	for (unsigned int i = 0; i < NPARAMS; i++)
		get_param(&params[i], page);
	return err;
}

/* ---- mode 2: next_arg() alone ---- */

static void split_args(const uint8_t *data, size_t size)
{
	char *buf = (char *)fuzz_dup(data, size, 1), *end, *p;

	buf[size] = '\0';
	end = buf + strlen(buf);
	for (p = skip_spaces(buf); *p;) {
		char *param, *val, *next = next_arg(p, &param, &val);

		if (next <= p || next > end)
			fail("next_arg: from offset %td to %td of %td", p - buf, next - buf,
			     end - buf);
		if (param < p || param + strlen(param) > next)
			fail("next_arg: the name at offset %td is not in the argument it took",
			     param - buf);
		if (val && (val <= param + strlen(param) || val + strlen(val) > next))
			fail("next_arg: the value at offset %td is not in the argument it took",
			     val - buf);
		p = next;
	}
	free(buf);
}

/* ---- after every input ---- */

/*
 * destroy_params() frees every string param_set_charp() made, also
 * those a shorter later write left past a charp array's *num.
 */
static void check_strings_freed(void)
{
	unsigned int n = param_kmalloced_count();

	if (n)
		fail("destroy_params() left %u parameter string(s) allocated", n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_boot(0);
	page = malloc(PARAM_PAGE_SIZE);
	page2 = malloc(PARAM_PAGE_SIZE);
	if (!page || !page2)
		fail("out of memory");
	v = initial;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an unsafe parameter taints USER on purpose */
	const unsigned long mask = ~(1ul << TAINT_USER);
	unsigned long taint;
	int err = 0;

	if (!size)
		return 0;
	fuzz_begin();
	taint = get_taint() & mask;
	switch (data[0] & 3) {
	case 1:
		err = sysfs_write(data + 1, size - 1);
		break;
	case 2:
		split_args(data + 1, size - 1);
		break;
	default:
		err = load_args(data[0] >> 2, data + 1, size - 1);
		break;
	}
	destroy_params(params, NPARAMS);
	check_strings_freed();
	v = initial;
	if ((get_taint() & mask) != taint)
		fail("the kernel was tainted (%#lx): an Oops, a WARN or a bad kfree in the log "
		     "(KMODFS_FUZZ_DEBUG=1 shows it)", get_taint());
	fuzz_end(err, 0);
	return 0;
}
