/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The emulated kernel's identity: release, vermagic, HZ and, with
 * modversions, the CRC of every symbol.  The built-in "kmodfs" profile
 * matches the SDK in include/; --kernel=DIR reads a real build tree.
 */
#ifndef KMODFS_KERNEL_PROFILE_H
#define KMODFS_KERNEL_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

struct kernel_profile {
	char name[256];		/* "kmodfs" or the build tree path */
	char release[65];	/* UTS_RELEASE */
	char vermagic[256];	/* with Linux's trailing space */
	unsigned int hz;
	bool modversions;
};

extern struct kernel_profile kernel_profile;

/* Select the built-in profile. */
void profile_use_builtin(void);

/* Select a kernel build tree (--kernel=DIR); 0 or -errno (reported on
 * stderr: this runs before the daemon detaches). */
int profile_load_dir(const char *dir);

/* CRC the emulated kernel has for an exported symbol; false if none. */
bool profile_symbol_crc(const char *name, uint32_t *crc);

/* The licence and namespace the emulated kernel exports name with
 * (Module.symvers); false when the profile does not say. */
bool profile_symbol_license(const char *name, bool *gpl, const char **ns);

#endif
