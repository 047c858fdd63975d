/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel-only string helpers the daemon also uses. */
#ifndef KMODFS_KERNEL_STRING_H
#define KMODFS_KERNEL_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

ssize_t strscpy(char *dest, const char *src, size_t count);
char *skip_spaces(const char *str);
char *strim(char *s);
bool sysfs_streq(const char *s1, const char *s2);

#endif
