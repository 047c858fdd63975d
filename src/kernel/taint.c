// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Global taint mask.  Letters and the per-module subset follow Linux 6.1's
 * taint_flags table; the first taint that makes lock debugging unreliable
 * logs the same one-time warning Linux does.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/printk.h"
#include "kernel/taint.h"

struct taint_flag_desc {
	char c_true, c_false;
	bool module;
};

static const struct taint_flag_desc taint_flags[TAINT_FLAGS_COUNT] = {
	[TAINT_PROPRIETARY_MODULE] = { 'P', 'G', true },
	[TAINT_FORCED_MODULE] = { 'F', ' ', true },
	[TAINT_CPU_OUT_OF_SPEC] = { 'S', ' ', false },
	[TAINT_FORCED_RMMOD] = { 'R', ' ', false },
	[TAINT_MACHINE_CHECK] = { 'M', ' ', false },
	[TAINT_BAD_PAGE] = { 'B', ' ', false },
	[TAINT_USER] = { 'U', ' ', false },
	[TAINT_DIE] = { 'D', ' ', false },
	[TAINT_OVERRIDDEN_ACPI_TABLE] = { 'A', ' ', false },
	[TAINT_WARN] = { 'W', ' ', false },
	[TAINT_CRAP] = { 'C', ' ', true },
	[TAINT_FIRMWARE_WORKAROUND] = { 'I', ' ', false },
	[TAINT_OOT_MODULE] = { 'O', ' ', true },
	[TAINT_UNSIGNED_MODULE] = { 'E', ' ', true },
	[TAINT_SOFTLOCKUP] = { 'L', ' ', false },
	[TAINT_LIVEPATCH] = { 'K', ' ', true },
	[TAINT_AUX] = { 'X', ' ', true },
	[TAINT_RANDSTRUCT] = { 'T', ' ', true },
	[TAINT_TEST] = { 'N', ' ', true },
};

static atomic_ulong tainted_mask;
static atomic_bool debug_locks = true;

void add_taint(unsigned int flag, enum taint_lockdep lockdep_ok)
{
	if (flag >= TAINT_FLAGS_COUNT)
		return;
	if (lockdep_ok == LOCKDEP_NOW_UNRELIABLE &&
	    atomic_exchange(&debug_locks, false))
		pr_warn("Disabling lock debugging due to kernel taint\n");
	atomic_fetch_or(&tainted_mask, 1UL << flag);
}

/* oops_enter(): lock debugging goes off without a word, before the
 * report (so that a first Oops does not say "Disabling lock debugging") */
void debug_locks_off(void)
{
	atomic_store(&debug_locks, false);
}

/* Exported as Linux does; modules call add_taint() e.g. for WARN taints. */
KAPI static void kapi_add_taint(unsigned int flag, enum taint_lockdep lockdep_ok)
{
	add_taint(flag, lockdep_ok);
}
KEXPORT_AS("add_taint", kapi_add_taint);

bool test_taint(unsigned int flag)
{
	return flag < TAINT_FLAGS_COUNT && (atomic_load(&tainted_mask) >> flag) & 1;
}

KAPI static int kapi_test_taint(unsigned int flag)
{
	return test_taint(flag);
}
KEXPORT_AS("test_taint", kapi_test_taint);

unsigned long get_taint(void)
{
	return atomic_load(&tainted_mask);
}

size_t module_flags_taint(unsigned long mask, char *buf)
{
	size_t n = 0;

	for (unsigned int i = 0; i < TAINT_FLAGS_COUNT; i++)
		if (taint_flags[i].module && (mask >> i) & 1)
			buf[n++] = taint_flags[i].c_true;
	buf[n] = '\0';
	return n;
}

void print_tainted(char *buf, size_t len)
{
	unsigned long mask = get_taint();
	size_t n;

	if (!mask) {
		snprintf(buf, len, "Not tainted");
		return;
	}
	n = (size_t)snprintf(buf, len, "Tainted: ");
	for (unsigned int i = 0; i < TAINT_FLAGS_COUNT && n + 1 < len; i++)
		buf[n++] = (mask >> i) & 1 ? taint_flags[i].c_true
					   : taint_flags[i].c_false;
	buf[n < len ? n : len - 1] = '\0';
}
