/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel and module taint flags (Linux 6.1 bit numbers and letters). */
#ifndef KMODFS_KERNEL_TAINT_H
#define KMODFS_KERNEL_TAINT_H

#include <stdbool.h>
#include <stddef.h>

enum taint_flag {
	TAINT_PROPRIETARY_MODULE = 0,
	TAINT_FORCED_MODULE = 1,
	TAINT_CPU_OUT_OF_SPEC = 2,
	TAINT_FORCED_RMMOD = 3,
	TAINT_MACHINE_CHECK = 4,
	TAINT_BAD_PAGE = 5,
	TAINT_USER = 6,
	TAINT_DIE = 7,
	TAINT_OVERRIDDEN_ACPI_TABLE = 8,
	TAINT_WARN = 9,
	TAINT_CRAP = 10,
	TAINT_FIRMWARE_WORKAROUND = 11,
	TAINT_OOT_MODULE = 12,
	TAINT_UNSIGNED_MODULE = 13,
	TAINT_SOFTLOCKUP = 14,
	TAINT_LIVEPATCH = 15,
	TAINT_AUX = 16,
	TAINT_RANDSTRUCT = 17,
	TAINT_TEST = 18,
	TAINT_FLAGS_COUNT = 19,
};

/* Whether the first such taint disables lock debugging (Linux's
 * LOCKDEP_NOW_UNRELIABLE vs LOCKDEP_STILL_OK). */
enum taint_lockdep { LOCKDEP_STILL_OK, LOCKDEP_NOW_UNRELIABLE };

void add_taint(unsigned int flag, enum taint_lockdep lockdep_ok);
void debug_locks_off(void);
bool test_taint(unsigned int flag);
unsigned long get_taint(void);

/*
 * Module taint letters of mask, in bit order, as /sys/module/X/taint and
 * /proc/modules show them (only the per-module flags: P F C O E K X T N).
 * Returns the number of letters written; buf needs TAINT_FLAGS_COUNT+1.
 */
size_t module_flags_taint(unsigned long mask, char *buf);

/* "Tainted: P  O E" style text for Oops headers ("Not tainted" if clean). */
void print_tainted(char *buf, size_t len);

#endif
