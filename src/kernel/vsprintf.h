/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's printf family (lib/vsprintf.c semantics), used by printk,
 * parameter getters and exported to modules under the kernel's names.
 */
#ifndef KMODFS_KERNEL_VSPRINTF_H
#define KMODFS_KERNEL_VSPRINTF_H

#include <stdarg.h>
#include <stddef.h>
#include "slab.h"

#define __kprintf(a, b) __attribute__((format(printf, a, b)))

int kernel_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int kernel_snprintf(char *buf, size_t size, const char *fmt, ...) __kprintf(3, 4);
int kernel_vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
int kernel_scnprintf(char *buf, size_t size, const char *fmt, ...) __kprintf(3, 4);
int kernel_vsprintf(char *buf, const char *fmt, va_list args);
int kernel_sprintf(char *buf, const char *fmt, ...) __kprintf(2, 3);
char *kvasprintf(gfp_t gfp, const char *fmt, va_list args);
char *kasprintf(gfp_t gfp, const char *fmt, ...) __kprintf(2, 3);
int kernel_vsscanf(const char *buf, const char *fmt, va_list args);
int kernel_sscanf(const char *buf, const char *fmt, ...);

/* struct va_format, for %pV */
struct va_format {
	const char *fmt;
	va_list *va;
};

#endif
