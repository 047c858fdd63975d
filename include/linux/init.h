/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

/* Init code and data go to .init.*: freed once the module's init ran. */
#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")
#define __initconst	__section(".init.rodata")
#define __exit		__section(".exit.text") __used __cold
#define __exitdata	__section(".exit.data")
#define __exit_call	__used __section(".exitcall.exit")
#define __ref		__section(".ref.text") noinline
#define __refdata	__section(".ref.data")

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#endif
