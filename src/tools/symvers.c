// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodfs-symvers: print the user-space kernel's export table in
 * Module.symvers format, for kmodfs-modpost and for users.
 */
#include <stdio.h>

#include "kernel/export.h"
#include "kernel/profile.h"

int main(void)
{
	uint32_t crc;

	profile_use_builtin();
	for (const struct kernel_export *e = __start_kmodfs_ksymtab;
	     e < __stop_kmodfs_ksymtab; e++) {
		if (!profile_symbol_crc(e->name, &crc))
			crc = 0;
		printf("0x%08x\t%s\tvmlinux\tEXPORT_SYMBOL%s\t%s\n", crc, e->name,
		       e->gpl_only ? "_GPL" : "", e->ns);
	}
	return 0;
}
