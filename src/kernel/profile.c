// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel profiles.  The built-in one carries no modversions (like a kernel
 * built without CONFIG_MODVERSIONS), so SDK modules need no __versions.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "kernel/profile.h"

struct kernel_profile kernel_profile;

void profile_use_builtin(void)
{
	memset(&kernel_profile, 0, sizeof(kernel_profile));
	snprintf(kernel_profile.name, sizeof(kernel_profile.name), "kmodfs");
	snprintf(kernel_profile.release, sizeof(kernel_profile.release), "%s",
		 KMODFS_BUILTIN_RELEASE);
	snprintf(kernel_profile.vermagic, sizeof(kernel_profile.vermagic), "%s",
		 KMODFS_BUILTIN_VERMAGIC);
	kernel_profile.hz = 250;
	kernel_profile.modversions = false;
}

bool profile_symbol_crc(const char *name, uint32_t *crc)
{
	(void)name;
	(void)crc;
	return false;
}
