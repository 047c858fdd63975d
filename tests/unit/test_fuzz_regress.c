// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Regression tests for what the fuzzers in fuzz/ found: each case
 * rebuilds the input that made the loader crash (or misbehave) from a
 * real module, and asserts what the loader must do with it: refuse it
 * with a clean negative errno, without a crash or a sanitizer report.
 *
 * Each case runs in a fresh copy of this program (KTEST_CHILD=case), so
 * that a crash fails that case alone and the report (ASan's, with its
 * stack) lands in the test log.  The cases go through link_module(), as
 * the fuzzers do (every stage up to relocation and code patching, nothing
 * registered, no init run); load_module() runs the same stages first.
 *
 * Cases for bugs not fixed yet fail; KTEST_SKIP_KNOWN_BUGS=1 leaves them
 * out, as in test_elf.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/params.h"
#include "ktest.h"
#include "loader/module.h"

#define SHF_ALLOC_WRITE (SHF_ALLOC | SHF_WRITE)
#define WRONG_RESULT 10		/* a case's exit status: not what it must be */

static bool skip_known_bugs(void)
{
	const char *s = getenv("KTEST_SKIP_KNOWN_BUGS");

	return s && *s && strcmp(s, "0") != 0;
}

/* ---- building the inputs ---- */

static unsigned int must_sec(struct image *im, const char *name)
{
	unsigned int i = sec_index(im, name);

	if (!i)
		fail_msg("no section %s", name);
	return i;
}

/* Append n bytes (8-aligned) to the image; their offset. */
static size_t append(struct image *im, const void *data, size_t n)
{
	size_t off = (im->len + 7) & ~(size_t)7;

	im->data = realloc(im->data, off + n ? off + n : 1);
	assert_non_null(im->data);
	memset(im->data + im->len, 0, off - im->len);
	memcpy(im->data + off, data, n);
	im->len = off + n;
	return off;
}

/*
 * Give section i a new name: the section name table is copied to the end
 * of the image with the name added.  Returns nothing; shdr pointers taken
 * before are stale afterwards (the image moves).
 */
static void rename_section(struct image *im, unsigned int i, const char *name)
{
	unsigned int strndx = ehdr(im)->e_shstrndx;
	size_t old = shdr(im, strndx)->sh_size, n = strlen(name) + 1;
	uint8_t *tab = malloc(old + n);
	size_t off;

	assert_non_null(tab);
	memcpy(tab, im->data + shdr(im, strndx)->sh_offset, old);
	memcpy(tab + old, name, n);
	off = append(im, tab, old + n);
	free(tab);
	shdr(im, strndx)->sh_offset = off;
	shdr(im, strndx)->sh_size = old + n;
	shdr(im, i)->sh_name = (uint32_t)old;
}

/* Name of symbol k of the image's symbol table. */
static const char *sym_name(struct image *im, uint64_t k)
{
	Elf64_Shdr *st = shdr(im, must_sec(im, ".symtab"));
	Elf64_Sym *sym = (Elf64_Sym *)(im->data + st->sh_offset) + k;

	assert_true(k < st->sh_size / sizeof(*sym));
	return (const char *)im->data + shdr(im, st->sh_link)->sh_offset + sym->st_name;
}

/*
 * The relocation that fills field (an offset in struct kernel_param) of
 * the __param entry whose ops are the symbol ops.
 */
static Elf64_Rela *param_reloc(struct image *im, const char *ops, size_t field)
{
	Elf64_Shdr *rs = shdr(im, must_sec(im, ".rela__param"));
	Elf64_Rela *r = (Elf64_Rela *)(im->data + rs->sh_offset);
	size_t n = rs->sh_size / sizeof(*r);
	uint64_t entry = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		if (r[i].r_offset % 40 == 16 && !strcmp(sym_name(im, ELF64_R_SYM(r[i].r_info)), ops))
			entry = r[i].r_offset - 16;
	if (entry == UINT64_MAX)
		fail_msg("no parameter with ops %s", ops);
	for (size_t i = 0; i < n; i++)
		if (r[i].r_offset == entry + field)
			return &r[i];
	fail_msg("no relocation for field %zu of the %s parameter", field, ops);
	abort();	/* not reached */
}

/* link_module() on an exact-size copy, as the fuzzers call it. */
static int link_image(const struct image *im)
{
	struct image c = image_dup(im);
	int r = link_module(c.data, c.len, 0, LINK_PLACEHOLDERS);

	image_free(&c);
	return r;
}

/* ---- the cases (run in a child) ---- */

/*
 * fuzz-link: a .symtab with sh_addralign 2^35 in a module without .init
 * sections (the fuzzer's was getargs.ko, stripped).  layout_symtab() puts the
 * core copy of the symbols at align_up(core size, 2^35), truncated to
 * 32 bits: 0; the core size is then recomputed from that offset, smaller
 * than the sections already laid out, and move_module() copies them past
 * the end of the core allocation (a SEGV writing the next page, or
 * another allocation overwritten).  Must be refused (the size check
 * place() does for every section: -ENOMEM, or -ENOEXEC).
 */
static int case_symtab_align(void)
{
	struct image im = example("getargs.ko");
	int r;

	/* no .init* sections: the symbol table is then placed first in
	 * init, where 2^35 alignment does not overflow place()'s check */
	for (unsigned int i = 1; i < ehdr(&im)->e_shnum; i++)
		if (!strncmp(sec_name_of(&im, i), ".init", 5))
			shdr(&im, i)->sh_flags &= ~(uint64_t)SHF_ALLOC;
	shdr(&im, must_sec(&im, ".symtab"))->sh_addralign = 1ull << 35;
	r = link_image(&im);
	image_free(&im);
	fprintf(stderr, "# symtab_align: link_module() = %d\n", r);
	return r == -ENOMEM || r == -ENOEXEC ? 0 : WRONG_RESULT;
}

/*
 * By reading percpu_alloc() (src/kernel/percpu.c), confirmed here: it
 * rounds the size up to 8 and copies that much from the module's
 * .data..percpu, so a 5-byte .data..percpu that ends the image is read 3
 * bytes past the image's end (ASan: heap-buffer-overflow).  The module is
 * fine otherwise: it must link (0).
 */
static int case_percpu_tail(void)
{
	static const uint8_t five[5] = { 1, 2, 3, 4, 5 };
	struct image im = example("hello.ko");
	unsigned int i = must_sec(&im, ".comment");
	size_t off;
	int r;

	rename_section(&im, i, ".data..percpu");
	off = im.len;
	im.data = realloc(im.data, im.len + sizeof(five));
	assert_non_null(im.data);
	memcpy(im.data + off, five, sizeof(five));
	im.len += sizeof(five);
	shdr(&im, i)->sh_type = SHT_PROGBITS;
	shdr(&im, i)->sh_flags = SHF_ALLOC_WRITE;
	shdr(&im, i)->sh_addralign = 8;
	shdr(&im, i)->sh_entsize = 0;
	shdr(&im, i)->sh_offset = off;
	shdr(&im, i)->sh_size = sizeof(five);
	r = link_image(&im);
	image_free(&im);
	fprintf(stderr, "# percpu_tail: link_module() = %d\n", r);
	return r == 0 ? 0 : WRONG_RESULT;
}

/*
 * fuzz-link (UBSan): check_module_params() checks that a parameter's
 * kparam_array (and kparam_string, ops, arg) lies within the module, but
 * not that it is aligned, then reads it: "member access within misaligned
 * address ... for type 'const struct kparam_array', which requires 8 byte
 * alignment" (params.c check_param), and the kernel's param_array_ops
 * would use it the same way.  getargs.ko's "array" parameter, its arr
 * pointer one byte off, must be refused like one that points outside.
 */
static int case_param_array_misaligned(void)
{
	struct image im = example("getargs.ko");
	int r;

	param_reloc(&im, "param_array_ops", 32)->r_addend += 1;
	r = link_image(&im);
	image_free(&im);
	fprintf(stderr, "# param_array_misaligned: link_module() = %d\n", r);
	return r == -ENOEXEC ? 0 : WRONG_RESULT;
}

/*
 * fuzz-params (ASan): param_array_get() let each element write a page at
 * buf + off, so reading a long array ran past the page: 456 hexints
 * ("0x000001\n", 9 characters each) wrote 4,105 bytes into 4,096 --
 * a heap overflow of the daemon through a sysfs write and read.  Linux
 * 6.1 has the same loop.  The list is now cut at the page's end.
 */
static int case_param_array_long_get(void)
{
	static unsigned int elems[512];
	static unsigned int num;
	static const struct kparam_array arr = {
		.max = 512, .elemsize = sizeof(unsigned int), .num = &num,
		.ops = &param_ops_hexint, .elem = elems,
	};
	const struct kernel_param kp = { .name = "big", .ops = &param_array_ops,
					 .perm = 0644, .arr = &arr };
	char val[456 * 2], *page = malloc(PARAM_PAGE_SIZE);	/* exactly a page */
	int set, got;

	if (!page)
		return 2;
	for (int i = 0; i < 456; i++)
		memcpy(val + 2 * i, i < 455 ? "1," : "1", 2);
	val[sizeof(val) - 1] = '\0';
	set = param_array_ops.set(val, &kp);
	got = param_array_ops.get(page, &kp);
	fprintf(stderr, "# param_array_long_get: set %d (%u elements), get %d\n", set, num, got);
	got = set == 0 && num == 456 && got == PARAM_PAGE_SIZE - 1 &&
	      strlen(page) == PARAM_PAGE_SIZE - 1 && !strncmp(page, "0x000001,0x000001,", 18);
	free(page);
	return got ? 0 : WRONG_RESULT;
}

/*
 * fuzz-params: a charp array with a count variable freed only its first
 * *num strings, so the strings a longer earlier write left in the slots
 * past a shorter later one were never freed ("a=x,y a=z" as load
 * options, or two sysfs writes).  destroy_params() now frees them all.
 */
static int case_charp_array_leftover(void)
{
	static char i0[] = "i0", i1[] = "i1", i2[] = "i2", i3[] = "i3";
	static char *elems[4] = { i0, i1, i2, i3 };
	static unsigned int num;
	static const struct kparam_array arr = {
		.max = 4, .elemsize = sizeof(char *), .num = &num,
		.ops = &param_ops_charp, .elem = elems,
	};
	const struct kernel_param kp = { .name = "a_charp", .ops = &param_array_ops,
					 .perm = 0644, .arr = &arr };
	char first[] = "x,y,w", second[] = "z";
	unsigned int left;

	if (param_array_ops.set(first, &kp) || param_array_ops.set(second, &kp) || num != 1 ||
	    strcmp(elems[0], "z") || strcmp(elems[2], "w"))
		return WRONG_RESULT;
	destroy_params(&kp, 1);
	left = param_kmalloced_count();
	fprintf(stderr, "# charp_array_leftover: %u string(s) left after destroy_params()\n", left);
	return left == 0 ? 0 : WRONG_RESULT;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "param_array_long_get", case_param_array_long_get },
	{ "charp_array_leftover", case_charp_array_leftover },
	{ "param_array_misaligned", case_param_array_misaligned },
	{ "symtab_align", case_symtab_align },
	{ "percpu_tail", case_percpu_tail },
};

/* ---- running a case in a fresh copy of this program ---- */

static void expect_case_ok(const char *name)
{
	char env[128];
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		snprintf(env, sizeof(env), "KTEST_CHILD=%s", name);
		putenv(env);
		dup2(2, 1);	/* the parent's stdout is TAP */
		execl("/proc/self/exe", "test_fuzz_regress", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("%s: killed by signal %d (%s): the loader crashed", name,
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s: exit status %d: %s", name, WEXITSTATUS(status),
			 WEXITSTATUS(status) == WRONG_RESULT ? "wrong result (see the log)"
						  : "crashed or a sanitizer report (see the log)");
}

static int child_main(const char *name)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, name))
			continue;
		if (kernel_boot() < 0)
			return 2;
		return cases[i].fn();
	}
	return 3;
}

/* One cmocka test per case, named after it; the state is its index. */
static void run_case(void **state)
{
	expect_case_ok(cases[(uintptr_t)*state].name);
}

int main(void)
{
	/* bugs the fuzzers found, fixed: they stay fixed */
	enum { NCASES = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest bugs[NCASES];
	const char *child = getenv("KTEST_CHILD");
	int r;

	if (child)
		return child_main(child);
	for (size_t i = 0; i < NCASES; i++)
		bugs[i] = (struct CMUnitTest){ .name = cases[i].name, .test_func = run_case,
					       .initial_state = (void *)(uintptr_t)i };
	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (kernel_boot() < 0)
		return 1;
	r = _cmocka_run_group_tests("fuzz_regress", bugs,
				    skip_known_bugs() ? 0 : sizeof(bugs) / sizeof(bugs[0]),
				    NULL, NULL);
	kernel_shutdown();
	return r;
}
