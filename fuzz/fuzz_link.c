// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target: a whole module image through link_module() -- ELF validation,
 * the signature trailer, setup_load_info, .modinfo, vermagic and licence,
 * layout and allocation, per-CPU data, symbols (unknown ones linked to a
 * placeholder), relocations, kallsyms, return-thunk and ftrace patching
 * -- in memory of its own, never registered, no init run.
 *
 * The input is the image as a file holds it (uncompressed: the
 * decompressors have their own targets).  Signed inputs verify against
 * the fuzz signing key (fuzz_key.c).  With $KMODFS_FUZZ_KERNEL=DIR the
 * emulated kernel is that build tree (--kernel=DIR), for kbuild modules.
 */
#include <string.h>

#include "fuzz_common.h"
#include "loader/module.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_boot(1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int err;

	fuzz_begin();
	err = link_module(data, size, 0, LINK_PLACEHOLDERS);
	fuzz_check_errno(err);
	fuzz_end(err, memmem(data, size, "..percpu", 8) != NULL);
	return 0;
}
