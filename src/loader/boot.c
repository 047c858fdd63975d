// SPDX-License-Identifier: GPL-2.0-or-later
/* Bringing the user-space kernel up and down. */
#include <errno.h>
#include <libelf.h>

#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/time.h"
#include "kernel/traps.h"
#include "loader/ksymtab.h"
#include "loader/module.h"

/* The first record of the log, as on Linux: printed before anything
 * else logs (main() prints it before loading the keyring). */
void kernel_banner(void)
{
	static bool done;

	if (__atomic_exchange_n(&done, true, __ATOMIC_ACQ_REL))
		return;
	if (!kernel_profile.release[0])
		profile_use_builtin();
	pr_info("Linux version %s (kmodfs user-space kernel, profile %s)\n",
		kernel_profile.release, kernel_profile.name);
}

int kernel_boot(void)
{
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	if (!kernel_profile.release[0])
		profile_use_builtin();
	err = time_init(kernel_profile.hz);
	if (err)
		return err;
	err = ksymtab_init();
	if (!err)
		err = traps_init();
	if (err)
		return err;
	kernel_banner();
	return 0;
}

void kernel_shutdown(void)
{
	unload_all_modules();
	time_shutdown();
}

void disable_modules(void)
{
	__atomic_store_n(&modules_disabled, true, __ATOMIC_RELEASE);
}
