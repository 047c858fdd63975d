/* SPDX-License-Identifier: GPL-2.0-or-later */
/* printk for the daemon's own code, with Linux's levels and pr_* names. */
#ifndef KMODFS_KERNEL_PRINTK_H
#define KMODFS_KERNEL_PRINTK_H

#include <stdarg.h>

#include "kernel/vsprintf.h"

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_DEFAULT ""
#define KERN_CONT KERN_SOH "c"

#define LOGLEVEL_DEFAULT (-1)
#define DEFAULT_MESSAGE_LOGLEVEL 4	/* CONFIG_MESSAGE_LOGLEVEL_DEFAULT */

int printk(const char *fmt, ...) __kprintf(1, 2);
int vprintk(const char *fmt, va_list args);
/* facility 0 = kernel, 1 = user (writes to /dev/kmsg) */
int vprintk_emit(int facility, int level, const char *fmt, va_list args);
int printk_emit(int facility, int level, const char *fmt, ...) __kprintf(3, 4);

#define pr_emerg(fmt, ...) printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)

/* pr_*_once: log only the first time this call site is reached. */
#define printk_once(fmt, ...)                                                  \
	({                                                                     \
		static _Bool __done;                                           \
		!__atomic_load_n(&__done, __ATOMIC_RELAXED) &&                 \
				!__atomic_exchange_n(&__done, 1, __ATOMIC_RELAXED)     \
			? printk(fmt, ##__VA_ARGS__)                           \
			: 0;                                                   \
	})
#define pr_notice_once(fmt, ...) printk_once(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_warn_once(fmt, ...) printk_once(KERN_WARNING fmt, ##__VA_ARGS__)

#endif
