// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target: .modinfo parsing and the checks that read it -- vermagic,
 * licence (with the "GPL\0..." trick), taints, import_ns -- inside a real
 * module.  The input is the contents of .modinfo: it is appended to a
 * fixed module (gpltrick.ko of the fuzz build, which uses the GPL-only
 * export round_jiffies) and that module's .modinfo section header is
 * pointed at it; the image goes through link_module() without
 * placeholders, so the licence decides whether round_jiffies resolves.
 *
 * With the built-in profile the outcome is known from the input alone,
 * and is checked against this independent reading of SPEC §3.4/§3.5:
 *   - the first vermagic= entry differs from the kernel's: -ENOEXEC;
 *   - else the first license= value is not one of the GPL-compatible
 *     strings, or the entry right after it has no '=' (a NUL inside the
 *     licence string): the module is non-GPL and round_jiffies is
 *     refused, -ENOENT;
 *   - else 0.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elf.h>

#include "fuzz_common.h"
#include "kernel/profile.h"
#include "loader/module.h"

#define MARKER "~Module signature appended~\n"
#define MARKER_LEN (sizeof(MARKER) - 1)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_image base;
static size_t base_len;		/* rounded up to 8: the new .modinfo goes there */
static size_t modinfo_shdr;	/* offset of .modinfo's section header */
static bool oracle;

static void die(const char *what)
{
	fprintf(stderr, "kmodfs-fuzz: %s\n", what);
	abort();
}

/* The base module is ours and well-formed; still, check what we use. */
static void find_modinfo(void)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh, strs;

	if (base.len < sizeof(eh))
		die("base module too small");
	memcpy(&eh, base.data, sizeof(eh));
	if (eh.e_shoff + (size_t)eh.e_shnum * sizeof(sh) > base.len || eh.e_shstrndx >= eh.e_shnum)
		die("base module has bad section headers");
	memcpy(&strs, base.data + eh.e_shoff + eh.e_shstrndx * sizeof(sh), sizeof(sh));
	for (unsigned int i = 1; i < eh.e_shnum; i++) {
		size_t off = eh.e_shoff + i * sizeof(sh);

		memcpy(&sh, base.data + off, sizeof(sh));
		if (strs.sh_offset + sh.sh_name + 9 <= base.len &&
		    !memcmp(base.data + strs.sh_offset + sh.sh_name, ".modinfo", 9)) {
			modinfo_shdr = off;
			return;
		}
	}
	die("base module has no .modinfo");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *kdir = getenv("KMODFS_FUZZ_KERNEL");

	(void)argc;
	(void)argv;
	fuzz_boot(0);
	base = fuzz_base_module("gpltrick.ko");
	base_len = (base.len + 7) & ~(size_t)7;
	find_modinfo();
	oracle = !(kdir && *kdir) && !kernel_profile.modversions;
	return 0;
}

/* ---- the oracle: .modinfo as SPEC §3 describes it ---- */

struct entry {
	const char *key;
	size_t key_len;
	const char *value;	/* NULL: no '=' */
};

static bool gpl_compatible(const char *l)
{
	static const char *const ok[] = {
		"GPL", "GPL v2", "GPL and additional rights",
		"Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(l, ok[i]))
			return true;
	return false;
}

static int expected(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	struct entry *e = calloc(size / 2 + 1, sizeof(*e));
	size_t n = 0, lic = SIZE_MAX;
	const char *vermagic = NULL, *license = NULL;
	int want;

	if (!copy || !e)
		die("out of memory");
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i < size; i += strlen(copy + i) + 1) {
		char *s = copy + i, *eq;

		if (!*s)
			continue;
		eq = strchr(s, '=');
		e[n].key = s;
		e[n].key_len = eq ? (size_t)(eq - s) : strlen(s);
		e[n].value = eq ? eq + 1 : NULL;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		if (!e[i].value)
			continue;
		if (!vermagic && e[i].key_len == 8 && !memcmp(e[i].key, "vermagic", 8))
			vermagic = e[i].value;
		if (!license && e[i].key_len == 7 && !memcmp(e[i].key, "license", 7)) {
			license = e[i].value;
			lic = i;
		}
	}
	if (vermagic && strcmp(vermagic, kernel_profile.vermagic))
		want = -ENOEXEC;
	else if (!license || !gpl_compatible(license) || (lic + 1 < n && !e[lic + 1].value))
		want = -ENOENT;
	else
		want = 0;
	free(e);
	free(copy);
	return want;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = base_len + size;
	uint8_t *im = fuzz_dup(base.data, base.len, len - base.len);
	Elf64_Shdr sh;
	int err, want;

	/* the input ends the image: ending in the signature marker, it
	 * would be taken for a signed module (fuzz-sig-trailer's job) */
	if (size >= MARKER_LEN && !memcmp(data + size - MARKER_LEN, MARKER, MARKER_LEN)) {
		free(im);
		return 0;
	}
	memset(im + base.len, 0, base_len - base.len);
	memcpy(im + base_len, data, size);
	memcpy(&sh, im + modinfo_shdr, sizeof(sh));
	sh.sh_offset = base_len;
	sh.sh_size = size;
	memcpy(im + modinfo_shdr, &sh, sizeof(sh));

	fuzz_begin();
	err = link_module(im, len, 0, 0);
	fuzz_check_errno(err);
	if (oracle && err != (want = expected(data, size))) {
		fprintf(stderr, "kmodfs-fuzz: link_module() returned %d, SPEC says %d\n", err,
			want);
		abort();
	}
	fuzz_end(err, 0);
	free(im);
	return 0;
}
