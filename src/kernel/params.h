/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kernel/params.c: the standard kernel_param_ops and parse_args(). */
#ifndef KMODFS_KERNEL_PARAMS_H
#define KMODFS_KERNEL_PARAMS_H

#include <stdbool.h>

#include "kernel/abi.h"

#define PARAM_PAGE_SIZE 4096

extern const struct kernel_param_ops param_ops_byte, param_ops_short,
	param_ops_ushort, param_ops_int, param_ops_uint, param_ops_long,
	param_ops_ulong, param_ops_ullong, param_ops_hexint, param_ops_charp,
	param_ops_bool, param_ops_bool_enable_only, param_ops_invbool,
	param_ops_bint, param_ops_string, param_array_ops;

/* Is ops one of the kernel's own param ops (rather than a module's)? */
bool param_ops_is_kernel(const struct kernel_param_ops *ops);

/* Dash and underscore are the same in parameter names. */
bool parameq(const char *a, const char *b);

/*
 * Split the next "name[=value]" off args, honouring double quotes, as
 * lib/cmdline.c's next_arg() does.  args is modified in place.
 */
char *next_arg(char *args, char **param, char **val);

/*
 * Linux's parse_args(): set each known parameter through its ops (under
 * lock/unlock), pass unknown names to unknown(); every error is logged
 * with Linux's wording and the last one is returned.  On success returns
 * 0 and sets *after_dashes to the text after a bare "--" (or NULL).
 */
int parse_args(const char *doing, char *args, const struct kernel_param *params,
	       unsigned int num, void (*lock)(void *), void (*unlock)(void *),
	       void *lockarg,
	       int (*unknown)(char *param, char *val, const char *doing, void *arg),
	       void *arg, char **after_dashes);

/* Free what a parameter's ops allocated (charp strings). */
void destroy_params(const struct kernel_param *params, unsigned int num);

/* How many charp strings the parameter code holds (for tests). */
unsigned int param_kmalloced_count(void);

/* Set through ops with Linux's unsafe-parameter check; lock held. */
int param_set_checked(const struct kernel_param *kp, const char *val);

#endif
