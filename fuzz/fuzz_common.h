/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the libFuzzer targets share: booting the user-space kernel once,
 * the fixed module image some targets wrap their input in, the fuzzers'
 * trusted key, and the per-input checks that nothing a dry run allocates
 * outlives it (LeakSanitizer sees malloc; these see module memory, per-CPU
 * memory and the registry, which it cannot).
 */
#ifndef KMODFS_FUZZ_COMMON_H
#define KMODFS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_image {
	uint8_t *data;
	size_t len;
};

/*
 * Boot the kernel (kernel_boot): the built-in profile, or the kernel
 * build tree in $KMODFS_FUZZ_KERNEL (as --kernel=); with keyring, trust
 * the fuzz signing key too.  Aborts on failure: a target that cannot start must
 * not report a clean run.
 */
void fuzz_boot(int keyring);

/*
 * A module built by fuzz/meson.build with the module compiler (name:
 * "hello.ko", ...), from $KMODFS_FUZZ_MODULE_DIR or the build tree, in a
 * malloc'd buffer kept for the whole run.  Aborts if missing.
 */
struct fuzz_image fuzz_base_module(const char *name);

/* A malloc'd copy of len bytes plus room for extra more (aborts on ENOMEM). */
uint8_t *fuzz_dup(const void *data, size_t len, size_t extra);

/* Call before running an input: remembers where the log is. */
void fuzz_begin(void);

/*
 * Call after the library returned err for an input: with
 * $KMODFS_FUZZ_DEBUG set, prints err and the kernel log lines the input
 * produced; then aborts if a module stayed in the registry or module
 * memory was not given back (and, with percpu, per-CPU memory).
 */
void fuzz_end(int err, int percpu);

/* Whether err is a clean result of the loader: 0 or a negative errno. */
void fuzz_check_errno(int err);

#endif
