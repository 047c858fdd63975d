// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The relocation stage (facts §7): which relocation sections apply, the
 * x86-64 types and the values they write, the "target must be zero"
 * check, the R_X86_64_32/32S overflow checks, kmodfs's own symbol-index
 * and offset bounds, and what a good load leaves in module memory.
 *
 * hello.ko's relocations (see `readelf -r`): .rela.text.unlikely holds
 * 7 entries for init_module/cleanup_module (PLT32 __fentry__, 32S
 * .rodata.str1.1, PLT32 _printk, PLT32 __x86_return_thunk, ...);
 * .rela.exit.data holds one R_X86_64_64 cleanup_module into the 8-byte
 * .exit.data, harmless to play with since nothing reads it.
 *
 * Tests named bug_* reproduce loader bugs found while writing these
 * tests; they fail until the bug is fixed (KTEST_SKIP_KNOWN_BUGS=1 leaves
 * them out).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/logbuf.h"
#include "ktest.h"
#include "loader/ksymtab.h"
#include "loader/module.h"

#define SHF_RELA_LIVEPATCH 0x00100000ull

static const uint8_t nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static struct image hello(void)
{
	return example("hello.ko");
}

static unsigned int must_sec(struct image *im, const char *name)
{
	unsigned int i = sec_index(im, name);

	if (!i)
		fail_msg("no section %s", name);
	return i;
}

static unsigned int num_syms(struct image *im)
{
	return (unsigned int)(shdr(im, must_sec(im, ".symtab"))->sh_size / sizeof(Elf64_Sym));
}

/* The RELA (or REL) section that applies to section target. */
static unsigned int rela_for(struct image *im, const char *target)
{
	unsigned int t = must_sec(im, target);

	for (unsigned int i = 1; i < ehdr(im)->e_shnum; i++) {
		Elf64_Shdr *s = shdr(im, i);

		if ((s->sh_type == SHT_RELA || s->sh_type == SHT_REL) && s->sh_info == t)
			return i;
	}
	fail_msg("no relocation section for %s", target);
	return 0;
}

static Elf64_Rela *rela(struct image *im, unsigned int sec, unsigned int k)
{
	assert_true((k + 1) * sizeof(Elf64_Rela) <= shdr(im, sec)->sh_size);
	return (Elf64_Rela *)(im->data + shdr(im, sec)->sh_offset) + k;
}

static void set_type(Elf64_Rela *r, uint32_t type)
{
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), type);
}

static void set_sym(Elf64_Rela *r, uint32_t sym)
{
	r->r_info = ELF64_R_INFO(sym, ELF64_R_TYPE(r->r_info));
}

/* The index of an SHN_ABS symbol with value 0 (the FILE symbol). */
static unsigned int abs_zero_sym(struct image *im)
{
	Elf64_Shdr *st = shdr(im, must_sec(im, ".symtab"));

	for (unsigned int k = 1; k < st->sh_size / sizeof(Elf64_Sym); k++) {
		Elf64_Sym *s = (Elf64_Sym *)(im->data + st->sh_offset) + k;

		if (s->st_shndx == SHN_ABS && s->st_value == 0)
			return k;
	}
	fail_msg("no absolute symbol");
	return 0;
}

/* Load im; it must fail with err and log exactly line (if given). */
/* The text of the first record since mark that starts with prefix. */
static bool log_find_prefix(uint64_t mark, const char *prefix, char *out, size_t len)
{
	struct log_record_info info;
	char buf[LOG_LINE_MAX + 1];
	uint64_t seq = mark;
	int r;

	while ((r = logbuf_read(&seq, &info, buf, sizeof(buf))) != -EAGAIN) {
		if (r == 0) {
			if (!strncmp(buf, prefix, strlen(prefix))) {
				snprintf(out, len, "%s", buf);
				return true;
			}
			seq++;
		}
	}
	return false;
}

static void expect_load(const struct image *im, const char *name)
{
	uint64_t m = log_mark();
	int r = load_image(im, "");

	if (r) {
		log_dump(m);
		fail_msg("load of %s returned %d", name, r);
	}
	assert_int_equal(delete_module(name, 0), 0);
	assert_int_equal(nr_kmodules(), 0);
}

/* A symbol's final address, from the module's core kallsyms. */
static unsigned long mod_sym(const struct kmodule *km, const char *name)
{
	const struct kmod_kallsyms *ks = &km->core_kallsyms;
	const Elf64_Sym *syms = ks->symtab;

	for (unsigned int i = 1; i < ks->num_symtab; i++)
		if (!strcmp(ks->strtab + syms[i].st_name, name))
			return syms[i].st_value;
	fail_msg("%s has no symbol %s in its core kallsyms", km->name, name);
	return 0;
}

/* A section's address, as /sys/module/NAME/sections shows it. */
static unsigned long mod_sec(const struct kmodule *km, const char *name)
{
	for (unsigned int i = 0; i < km->num_sections; i++)
		if (!strcmp(km->sections[i].name, name))
			return km->sections[i].addr;
	fail_msg("%s has no section %s", km->name, name);
	return 0;
}

static bool in_core_text(const struct kmodule *km, unsigned long a)
{
	unsigned long base = (unsigned long)km->core.base;

	return a >= base && a < base + km->core.text_size;
}

static bool in_core(const struct kmodule *km, unsigned long a)
{
	unsigned long base = (unsigned long)km->core.base;

	return a >= base && a < base + km->core.size;
}

/* The target of the rel32 of the call/jmp whose opcode byte is at insn. */
static unsigned long rel32_target(unsigned long insn)
{
	int32_t rel;

	memcpy(&rel, (const void *)(insn + 1), 4);
	return insn + 5 + (unsigned long)(long)rel;
}

static unsigned long export_value(const char *name)
{
	const struct ksym *s;
	unsigned long v;

	module_mutex_lock();
	s = find_symbol(name, true);
	v = s ? s->value : 0;
	module_mutex_unlock();
	if (!s)
		fail_msg("no export %s", name);
	return v;
}

static bool skip_known_bugs(void)
{
	const char *s = getenv("KTEST_SKIP_KNOWN_BUGS");

	return s && *s && strcmp(s, "0") != 0;
}

/* ------------------------------------------------------------------ */
/* types                                                               */

static void test_unknown_types(void **state)
{
	static const uint32_t types[] = {
		3 /* GOT32 */, 5 /* COPY */, 6 /* GLOB_DAT */, 7 /* JUMP_SLOT */,
		8 /* RELATIVE */, 9 /* GOTPCREL */, 12 /* 16 */, 13 /* PC16 */,
		14 /* 8 */, 15 /* PC8 */, 16 /* DTPMOD64 */, 18 /* TPOFF64 */,
		19 /* TLSGD */, 23 /* TPOFF32 */, 25 /* GOTOFF64 */, 26 /* GOTPC32 */,
		37 /* SIZE64 */, 41 /* GOTPCRELX */, 42 /* REX_GOTPCRELX */, 43,
		255, 0x7fffffff, 0xffffffff,
	};
	struct image im = hello();
	unsigned int rs = rela_for(&im, ".text.unlikely");

	(void)state;
	for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		struct image c = image_dup(&im);

		set_type(rela(&c, rs, 0), types[k]);
		expect_rejectf(&c, -ENOEXEC, "module: hello: Unknown rela relocation: %" PRIu32,
			       types[k]);
		image_free(&c);
	}

	/* a later entry: the earlier ones were applied, the load still fails */
	{
		struct image c = image_dup(&im);

		set_type(rela(&c, rs, 6), 9);
		expect_reject(&c, -ENOEXEC, "module: hello: Unknown rela relocation: 9");
		image_free(&c);
	}

	/* the type is checked before the symbol index */
	{
		struct image c = image_dup(&im);

		set_type(rela(&c, rs, 0), 42);
		set_sym(rela(&c, rs, 0), 0xffffff);
		expect_reject(&c, -ENOEXEC, "module: hello: Unknown rela relocation: 42");
		image_free(&c);
	}
	image_free(&im);
}

/* The value each supported type writes into .exit.data. */
static void test_type_values(void **state)
{
	static const struct {
		uint32_t type;
		unsigned int width;
		bool pcrel;
	} types[] = {
		{ R_X86_64_64, 8, false },  { R_X86_64_PC32, 4, true },
		{ R_X86_64_PLT32, 4, true }, { R_X86_64_PC64, 8, true },
		{ R_X86_64_32, 4, false },  { R_X86_64_32S, 4, false },
		{ R_X86_64_NONE, 0, false },
	};
	struct image im = hello();
	unsigned int rs = rela_for(&im, ".exit.data");

	(void)state;
	for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		struct image c = image_dup(&im);
		struct kmodule *km;
		unsigned long s, p;
		uint64_t got, want;

		set_type(rela(&c, rs, 0), types[k].type);
		rela(&c, rs, 0)->r_addend = 0x11;
		assert_int_equal(load_image(&c, ""), 0);
		image_free(&c);
		km = kmodule_get_by_name("hello");
		assert_non_null(km);
		s = mod_sym(km, "cleanup_module");
		p = mod_sec(km, ".exit.data");
		memcpy(&got, (const void *)p, 8);
		want = s + 0x11 - (types[k].pcrel ? p : 0);
		if (types[k].width == 4)
			want &= 0xffffffffu;
		else if (!types[k].width)
			want = 0;
		if (got != want)
			fail_msg("type %" PRIu32 ": %#" PRIx64 " at .exit.data, expected %#" PRIx64,
				 types[k].type, got, want);
		kmodule_put(km);
		assert_int_equal(delete_module("hello", 0), 0);
	}
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* the target must be zero                                             */

static void test_nonzero_target(void **state)
{
	static const char prefix[] =
		"module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type ";
	struct image im = hello();
	unsigned int text = must_sec(&im, ".text.unlikely");
	size_t off = shdr(&im, text)->sh_offset;
	char line[LOG_LINE_MAX + 1], want[256];
	uint64_t m;

	(void)state;
	/* the first byte and the last byte of the rel32 of `call __fentry__' */
	for (size_t b = 1; b <= 4; b += 3) {
		struct image c = image_dup(&im);

		c.data[off + b] = 0x11;
		m = log_mark();
		assert_int_equal(load_image(&c, ""), -ENOEXEC);
		snprintf(want, sizeof(want), "%s4, loc ", prefix);
		if (!log_find_prefix(m, want, line, sizeof(line))) {
			log_dump(m);
			fail_msg("no \"%s...\" line", want);
		}
		/* "..., loc <hashed pointer>, val <hex>" */
		assert_non_null(strstr(line, ", val "));
		assert_true(strlen(strstr(line, ", val ") + 6) > 0);
		assert_int_equal(nr_kmodules(), 0);
		image_free(&c);
	}

	/* R_X86_64_32S (type 11): the mov immediate */
	{
		struct image c = image_dup(&im);

		c.data[off + 8] = 1;
		m = log_mark();
		assert_int_equal(load_image(&c, ""), -ENOEXEC);
		snprintf(want, sizeof(want), "%s11, loc ", prefix);
		assert_true(log_find_prefix(m, want, line, sizeof(line)));
		image_free(&c);
	}

	/* R_X86_64_64: all 8 bytes are checked, the last one too; the value
	 * printed is S + A */
	{
		struct image c = image_dup(&im);
		unsigned int rs = rela_for(&c, ".exit.data");
		unsigned int absi = abs_zero_sym(&c);

		set_sym(rela(&c, rs, 0), absi);
		rela(&c, rs, 0)->r_addend = 0x1234;
		c.data[shdr(&c, must_sec(&c, ".exit.data"))->sh_offset + 7] = 0x80;
		m = log_mark();
		assert_int_equal(load_image(&c, ""), -ENOEXEC);
		snprintf(want, sizeof(want), "%s1, loc ", prefix);
		if (!log_find_prefix(m, want, line, sizeof(line))) {
			log_dump(m);
			fail_msg("no \"%s...\" line", want);
		}
		assert_non_null(strstr(line, ", val 1234"));
		assert_string_equal(strstr(line, ", val "), ", val 1234");
		assert_int_equal(nr_kmodules(), 0);
		image_free(&c);
	}

	/* bytes next to a target are not checked: a 4-byte relocation at
	 * offset 4 of .exit.data with bytes 0..3 non-zero loads */
	{
		struct image c = image_dup(&im);
		unsigned int rs = rela_for(&c, ".exit.data");
		size_t d = shdr(&c, must_sec(&c, ".exit.data"))->sh_offset;
		struct kmodule *km;
		uint32_t lo, hi;

		set_type(rela(&c, rs, 0), R_X86_64_32);
		set_sym(rela(&c, rs, 0), abs_zero_sym(&c));
		rela(&c, rs, 0)->r_offset = 4;
		rela(&c, rs, 0)->r_addend = 0x55667788;
		memcpy(c.data + d, "\x01\x02\x03\x04", 4);
		assert_int_equal(load_image(&c, ""), 0);
		km = kmodule_get_by_name("hello");
		memcpy(&lo, (const void *)mod_sec(km, ".exit.data"), 4);
		memcpy(&hi, (const void *)(mod_sec(km, ".exit.data") + 4), 4);
		assert_int_equal(lo, 0x04030201);
		assert_int_equal(hi, 0x55667788);
		kmodule_put(km);
		assert_int_equal(delete_module("hello", 0), 0);
		image_free(&c);
	}
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* overflow                                                            */

static void expect_overflow(const struct image *im, unsigned int type, const char *val)
{
	uint64_t m = log_mark();
	char line[128];

	assert_int_equal(load_image(im, ""), -ENOEXEC);
	snprintf(line, sizeof(line), "module: overflow in relocation type %u val %s", type, val);
	assert_line(m, line);
	assert_line(m, "module: `hello' likely not compiled with -mcmodel=kernel");
	assert_int_equal(nr_kmodules(), 0);
}

/* A relocation of .exit.data against an absolute 0 symbol: val == A. */
static void exit_data_value(struct image *c, uint32_t type, int64_t addend)
{
	unsigned int rs = rela_for(c, ".exit.data");

	set_type(rela(c, rs, 0), type);
	set_sym(rela(c, rs, 0), abs_zero_sym(c));
	rela(c, rs, 0)->r_addend = addend;
}

static uint64_t loaded_exit_data(void)
{
	struct kmodule *km = kmodule_get_by_name("hello");
	uint64_t v;

	assert_non_null(km);
	memcpy(&v, (const void *)mod_sec(km, ".exit.data"), 8);
	kmodule_put(km);
	return v;
}

static void test_overflow_32s(void **state)
{
	struct image im = hello(), c;
	unsigned int rs = rela_for(&im, ".text.unlikely");
	char want[] = "module: overflow in relocation type 11 val ", line[LOG_LINE_MAX + 1];
	unsigned long v;
	uint64_t m;

	(void)state;
	/* the `mov $.rodata.str1.1, %rdi' of init_module + 0x80000000 */
	c = image_dup(&im);
	rela(&c, rs, 1)->r_addend = 0x80000000;
	m = log_mark();
	assert_int_equal(load_image(&c, ""), -ENOEXEC);
	if (!log_find_prefix(m, want, line, sizeof(line))) {
		log_dump(m);
		fail_msg("no overflow line");
	}
	v = strtoul(line + strlen(want), NULL, 16);
	/* .rodata.str1.1 is in module memory, low 2 GiB: val = it + 2 GiB */
	assert_true(v >= 0x80000000ul + 0x3fff0000ul && v < 0x80000000ul + 0x7fff0000ul);
	assert_line(m, "module: `hello' likely not compiled with -mcmodel=kernel");
	assert_int_equal(nr_kmodules(), 0);
	image_free(&c);

	/* exact values through an absolute symbol */
	c = image_dup(&im);
	exit_data_value(&c, R_X86_64_32S, 0x80000000);
	expect_overflow(&c, 11, "80000000");
	exit_data_value(&c, R_X86_64_32S, -0x80000001ll);
	expect_overflow(&c, 11, "ffffffff7fffffff");
	exit_data_value(&c, R_X86_64_32S, 0x100000000ll);
	expect_overflow(&c, 11, "100000000");
	exit_data_value(&c, R_X86_64_32S, INT64_MIN);
	expect_overflow(&c, 11, "8000000000000000");

	/* the extremes that fit */
	exit_data_value(&c, R_X86_64_32S, 0x7fffffff);
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == 0x7fffffffull);
	assert_int_equal(delete_module("hello", 0), 0);
	exit_data_value(&c, R_X86_64_32S, -0x80000000ll);
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == 0x80000000ull);	/* 4 bytes written */
	assert_int_equal(delete_module("hello", 0), 0);
	exit_data_value(&c, R_X86_64_32S, -1);
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == 0xffffffffull);
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);
	image_free(&im);
}

static void test_overflow_32(void **state)
{
	struct image im = hello(), c;

	(void)state;
	c = image_dup(&im);
	exit_data_value(&c, R_X86_64_32, 0x100000000ll);
	expect_overflow(&c, 10, "100000000");
	exit_data_value(&c, R_X86_64_32, -1);
	expect_overflow(&c, 10, "ffffffffffffffff");
	exit_data_value(&c, R_X86_64_32, -0x80000000ll);
	expect_overflow(&c, 10, "ffffffff80000000");

	exit_data_value(&c, R_X86_64_32, 0xffffffffll);
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == 0xffffffffull);
	assert_int_equal(delete_module("hello", 0), 0);
	exit_data_value(&c, R_X86_64_32, 0);
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == 0);
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* a real R_X86_64_32 in code: the mov immediate, as 32 (not 32S),
	 * fits (module memory is below 2 GiB) and the module works */
	c = image_dup(&im);
	set_type(rela(&c, rela_for(&c, ".text.unlikely"), 1), R_X86_64_32);
	{
		uint64_t m = log_mark();

		assert_int_equal(load_image(&c, ""), 0);
		assert_line(m, "hello: init");
	}
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* PC32/PLT32/PC64 are not overflow-checked (Linux has it #if 0):
	 * the low 32 bits of a far value are written */
	c = image_dup(&im);
	exit_data_value(&c, R_X86_64_PC32, 0x123456789000ll);
	assert_int_equal(load_image(&c, ""), 0);
	{
		struct kmodule *km = kmodule_get_by_name("hello");
		unsigned long p = mod_sec(km, ".exit.data");
		uint64_t v = loaded_exit_data();

		assert_true(v == ((0x123456789000ull - p) & 0xffffffffull));
		kmodule_put(km);
	}
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* kmodfs's bounds: symbol index and offset                            */

static void test_symbol_index(void **state)
{
	struct image im = hello(), c;
	unsigned int rs = rela_for(&im, ".text.unlikely"), n = num_syms(&im);
	unsigned int xs = rela_for(&im, ".exit.data");

	(void)state;
	c = image_dup(&im);
	set_sym(rela(&c, rs, 0), n);
	expect_rejectf(&c, -ENOEXEC, "hello: relocation 0 of section %u uses symbol %u of %u",
		       rs, n, n);
	set_sym(rela(&c, rs, 0), 0xffffffff);
	expect_rejectf(&c, -ENOEXEC, "hello: relocation 0 of section %u uses symbol 4294967295 of %u",
		       rs, n);
	image_free(&c);
	c = image_dup(&im);
	set_sym(rela(&c, rs, 3), n + 1);
	expect_rejectf(&c, -ENOEXEC, "hello: relocation 3 of section %u uses symbol %u of %u",
		       rs, n + 1, n);
	image_free(&c);

	/* the last symbol is fine (a R_X86_64_64 of __x86_return_thunk) */
	c = image_dup(&im);
	set_sym(rela(&c, xs, 0), n - 1);
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == export_value("__x86_return_thunk"));
	assert_int_equal(delete_module("hello", 0), 0);
	/* symbol 0 is the null symbol: value 0 */
	set_sym(rela(&c, xs, 0), 0);
	rela(&c, xs, 0)->r_addend = 0x42;
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == 0x42);
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* R_X86_64_NONE is skipped before any check */
	c = image_dup(&im);
	set_type(rela(&c, xs, 0), R_X86_64_NONE);
	set_sym(rela(&c, xs, 0), 0xffffffff);
	rela(&c, xs, 0)->r_offset = ~0ull;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_offset_bounds(void **state)
{
	struct image im = hello(), c;
	unsigned int rs = rela_for(&im, ".text.unlikely"), xs = rela_for(&im, ".exit.data");
	uint64_t tsize = shdr(&im, must_sec(&im, ".text.unlikely"))->sh_size;

	(void)state;
	c = image_dup(&im);
	/* 4 bytes at size - 3: one byte out */
	rela(&c, rs, 0)->r_offset = tsize - 3;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: relocation 0 of section %u is outside its target (offset %#" PRIx64 ", size %#" PRIx64 ")",
		       rs, tsize - 3, tsize);
	rela(&c, rs, 0)->r_offset = tsize;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: relocation 0 of section %u is outside its target (offset %#" PRIx64 ", size %#" PRIx64 ")",
		       rs, tsize, tsize);
	rela(&c, rs, 0)->r_offset = ~0ull - 1;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: relocation 0 of section %u is outside its target (offset 0xfffffffffffffffe, size %#" PRIx64 ")",
		       rs, tsize);
	image_free(&c);

	/* 8 bytes in the 8-byte .exit.data: only offset 0 fits */
	c = image_dup(&im);
	rela(&c, xs, 0)->r_offset = 1;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: relocation 0 of section %u is outside its target (offset 0x1, size 0x8)",
		       xs);
	/* 4 bytes fit at offset 4 */
	set_type(rela(&c, xs, 0), R_X86_64_PC32);
	rela(&c, xs, 0)->r_offset = 4;
	assert_int_equal(load_image(&c, ""), 0);
	assert_true((loaded_exit_data() & 0xffffffffu) == 0);
	assert_int_equal(delete_module("hello", 0), 0);
	rela(&c, xs, 0)->r_offset = 5;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: relocation 0 of section %u is outside its target (offset 0x5, size 0x8)",
		       xs);
	image_free(&c);

	/* an empty target: nothing fits (.bss is empty in hello) */
	c = image_dup(&im);
	shdr(&c, xs)->sh_info = must_sec(&c, ".bss");
	expect_rejectf(&c, -ENOEXEC,
		       "hello: relocation 0 of section %u is outside its target (offset 0x0, size 0x0)",
		       xs);
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* which sections apply                                                */

static void test_rel_unsupported(void **state)
{
	struct image im = hello(), c;

	(void)state;
	c = image_dup(&im);
	shdr(&c, rela_for(&c, ".text.unlikely"))->sh_type = SHT_REL;
	expect_reject(&c, -ENOEXEC, "module hello: REL relocation unsupported");
	image_free(&c);
	c = image_dup(&im);
	shdr(&c, rela_for(&c, ".exit.data"))->sh_type = SHT_REL;
	expect_reject(&c, -ENOEXEC, "module hello: REL relocation unsupported");
	image_free(&c);
	/* into a section that is not loaded: ignored */
	c = image_dup(&im);
	shdr(&c, rela_for(&c, ".debug_info"))->sh_type = SHT_REL;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_unallocated_targets_ignored(void **state)
{
	struct image im = hello(), c;
	unsigned int dbg = rela_for(&im, ".debug_info"), xs = rela_for(&im, ".exit.data");
	size_t n = shdr(&im, dbg)->sh_size / sizeof(Elf64_Rela);

	(void)state;
	/* every entry of .rela.debug_info garbage: never looked at */
	c = image_dup(&im);
	for (unsigned int k = 0; k < n; k++) {
		Elf64_Rela *r = rela(&c, dbg, k);

		r->r_info = ELF64_R_INFO(0xffffff, 9);
		r->r_offset = ~0ull;
	}
	expect_load(&c, "hello");
	image_free(&c);

	/* sh_info beyond the section table: skipped */
	c = image_dup(&im);
	shdr(&c, dbg)->sh_info = 0xffff;
	set_type(rela(&c, dbg, 0), 9);
	expect_load(&c, "hello");
	image_free(&c);

	/* into .modinfo, which the loader un-allocates: skipped, and so is
	 * the relocation of .exit.data it was */
	c = image_dup(&im);
	shdr(&c, xs)->sh_info = must_sec(&c, ".modinfo");
	set_type(rela(&c, xs, 0), 9);
	assert_int_equal(load_image(&c, ""), 0);
	assert_true(loaded_exit_data() == 0);
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* into a non-allocated section: skipped */
	c = image_dup(&im);
	shdr(&c, xs)->sh_info = must_sec(&c, ".comment");
	set_type(rela(&c, xs, 0), 9);
	expect_load(&c, "hello");
	image_free(&c);

	/* the relocation section's own sh_link is not used (always the
	 * first symbol table), nor its sh_entsize */
	c = image_dup(&im);
	shdr(&c, rela_for(&c, ".text.unlikely"))->sh_link = 0;
	shdr(&c, xs)->sh_link = 0xffff;
	shdr(&c, xs)->sh_entsize = 0;
	{
		uint64_t m = log_mark();

		assert_int_equal(load_image(&c, ""), 0);
		assert_line(m, "hello: init");
	}
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);
	image_free(&im);
}

/* kmodfs has no klp: livepatch relocation sections are refused. */
static void test_livepatch_rela(void **state)
{
	struct image im = hello(), c = image_dup(&im);

	(void)state;
	shdr(&c, rela_for(&c, ".exit.data"))->sh_flags |= SHF_RELA_LIVEPATCH;
	expect_reject(&c, -EINVAL, "livepatch: section .rela.exit.data has an incorrectly formatted name");
	image_free(&c);
	/* not into an unallocated section */
	c = image_dup(&im);
	shdr(&c, rela_for(&c, ".debug_info"))->sh_flags |= SHF_RELA_LIVEPATCH;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* what a good load leaves in memory                                   */

/*
 * The value S of symbol k of the image, as the loaded module km sees it:
 * an export for an undefined symbol, a section's address for a section
 * symbol, a core kallsyms symbol otherwise.  False if it is not known
 * (init memory is gone after the load).
 */
static bool sym_value(struct image *im, const struct kmodule *km, unsigned int k,
		      unsigned long *v)
{
	Elf64_Shdr *st = shdr(im, must_sec(im, ".symtab"));
	Elf64_Sym *y = (Elf64_Sym *)(im->data + st->sh_offset) + k;
	const char *name = (const char *)im->data + shdr(im, st->sh_link)->sh_offset + y->st_name;
	const char *sec;

	if (y->st_shndx == SHN_UNDEF) {
		*v = export_value(name);
		return true;
	}
	if (y->st_shndx == SHN_ABS) {
		*v = y->st_value;
		return true;
	}
	sec = sec_name_of(im, y->st_shndx);
	if (!strncmp(sec, ".init", 5))
		return false;
	if (ELF64_ST_TYPE(y->st_info) == STT_SECTION) {
		*v = mod_sec(km, sec) + y->st_value;
		return true;
	}
	*v = mod_sym(km, name);
	return true;
}

static unsigned int nrela(struct image *im, const char *secname)
{
	return (unsigned int)(shdr(im, rela_for(im, secname))->sh_size / sizeof(Elf64_Rela));
}

/*
 * Every relocation of section secname must have left S + A (- P) in the
 * loaded module, except the `call __fentry__' sites, which ftrace turned
 * into 5-byte NOPs.  Returns the number of relocations checked.
 */
static unsigned int check_applied(struct image *im, const struct kmodule *km,
				  const char *secname)
{
	unsigned int rs = rela_for(im, secname), checked = 0;
	size_t n = shdr(im, rs)->sh_size / sizeof(Elf64_Rela);
	unsigned long base = mod_sec(km, secname);
	unsigned int fentry = 0;

	sym_by_name(im, "__fentry__", &fentry);
	for (unsigned int k = 0; k < n; k++) {
		Elf64_Rela *r = rela(im, rs, k);
		unsigned int type = (unsigned int)ELF64_R_TYPE(r->r_info);
		unsigned int symi = (unsigned int)ELF64_R_SYM(r->r_info);
		unsigned long p = base + r->r_offset, sv;
		uint64_t want, got = 0;
		unsigned int width = type == R_X86_64_64 || type == R_X86_64_PC64 ? 8 : 4;

		if (fentry && symi == fentry) {
			assert_memory_equal((const void *)(p - 1), nop5, 5);
			checked++;
			continue;
		}
		if (!sym_value(im, km, symi, &sv))
			continue;
		want = sv + (uint64_t)r->r_addend;
		if (type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_PC64)
			want -= p;
		if (width == 4)
			want &= 0xffffffffu;
		memcpy(&got, (const void *)p, width);
		if (got != want)
			fail_msg("%s+%#lx (type %u, symbol %u): %#" PRIx64 ", expected %#" PRIx64,
				 secname, (unsigned long)r->r_offset, type, symi, got, want);
		checked++;
	}
	return checked;
}

#define assert_all_applied(im, km, sec) \
	assert_int_equal(check_applied(im, km, sec), nrela(im, sec))

static void test_hello_relocated(void **state)
{
	struct image im = hello();
	struct kmodule *km;
	unsigned long init, exit, rodata, imm;
	const char *str = (const char *)im.data +
			  shdr(&im, must_sec(&im, ".rodata.str1.1"))->sh_offset;
	uint32_t u;

	(void)state;
	assert_int_equal(load_image(&im, ""), 0);
	km = kmodule_get_by_name("hello");
	assert_non_null(km);

	/* R_X86_64_64 in .gnu.linkonce.this_module: init and exit */
	init = mod_sym(km, "init_module");
	exit = mod_sym(km, "cleanup_module");
	assert_true(in_core_text(km, init) && in_core_text(km, exit));
	assert_true((unsigned long)km->mod->init == init);
	assert_true((unsigned long)km->mod->exit == exit);
	assert_int_equal(exit - init, 0x18);
	/* struct module is the module's own, in its core data */
	assert_true(in_core(km, (unsigned long)km->mod));

	/* the __fentry__ calls became 5-byte NOPs (ftrace) */
	assert_memory_equal((const void *)init, nop5, 5);
	assert_memory_equal((const void *)exit, nop5, 5);

	/* R_X86_64_32S: mov $.rodata.str1.1, %rdi (48 c7 c7 imm32) */
	assert_memory_equal((const void *)(init + 5), "\x48\xc7\xc7", 3);
	memcpy(&u, (const void *)(init + 8), 4);
	rodata = mod_sec(km, ".rodata.str1.1");
	imm = (unsigned long)(long)(int32_t)u;
	assert_true(imm == rodata);
	assert_string_equal((const char *)imm, str);	/* "\0016hello: init\n" */
	memcpy(&u, (const void *)(exit + 8), 4);
	assert_true((unsigned long)(long)(int32_t)u == rodata + 0xf);
	assert_string_equal((const char *)rodata + 0xf, str + 0xf);

	/* R_X86_64_PLT32: call _printk, jmp __x86_return_thunk, the tail
	 * jmp _printk of cleanup_module */
	assert_int_equal(*(const uint8_t *)(init + 0xc), 0xe8);
	assert_true(rel32_target(init + 0xc) == export_value("_printk"));
	assert_int_equal(*(const uint8_t *)(init + 0x13), 0xe9);
	assert_true(rel32_target(init + 0x13) == export_value("__x86_return_thunk"));
	assert_int_equal(*(const uint8_t *)(exit + 0xc), 0xe9);
	assert_true(rel32_target(exit + 0xc) == export_value("_printk"));

	/* R_X86_64_64 into .exit.data: &cleanup_module */
	assert_true(loaded_exit_data() == exit);

	/* and every relocation, generically */
	assert_all_applied(&im, km, ".text.unlikely");
	assert_all_applied(&im, km, ".exit.data");
	assert_all_applied(&im, km, ".gnu.linkonce.this_module");

	/* __mcount_loc: sorted, absolute addresses of the two sites */
	{
		uint64_t mc[2];

		memcpy(mc, (const void *)mod_sec(km, "__mcount_loc"), sizeof(mc));
		assert_true(mc[0] == init && mc[1] == exit);
	}
	kmodule_put(km);
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&im);
}

static void test_testmod_relocated(void **state)
{
	struct image im = testmod("testmod.ko");
	struct kmodule *km;
	unsigned long value, fn, exit, buf;
	const struct kernel_param *kp;
	int32_t off;

	(void)state;
	assert_int_equal(load_image(&im, ""), 0);
	km = kmodule_get_by_name("testmod");
	assert_non_null(km);

	/* __ksymtab (PC32 relocations): the exports resolve into the module */
	value = export_value("testmod_value");
	fn = export_value("testmod_gpl_fn");
	assert_true(in_core(km, value) && !in_core_text(km, value));
	assert_int_equal(*(const int *)value, 42);
	assert_true(in_core_text(km, fn));
	assert_true(fn == mod_sym(km, "testmod_gpl_fn"));
	assert_memory_equal((const void *)fn, nop5, 5);
	assert_int_equal(((int (*)(int))fn)(21), 42);
	assert_int_equal(km->num_syms, 1);
	memcpy(&off, &km->syms[0].name_offset, 4);
	assert_string_equal((const char *)&km->syms[0].name_offset + off, "testmod_value");
	memcpy(&off, &km->syms[0].value_offset, 4);
	assert_true((unsigned long)&km->syms[0].value_offset + (unsigned long)(long)off == value);

	/* __param (R_X86_64_64): name, THIS_MODULE, the kernel's ops, the
	 * variable in .bss */
	assert_int_equal(km->num_kp, 1);
	kp = &km->kp[0];
	assert_string_equal(kp->name, "init_ret");
	assert_true(kp->mod == km->mod);
	assert_true((unsigned long)kp->ops == export_value("param_ops_int"));
	buf = mod_sec(km, ".bss");
	assert_true((unsigned long)kp->arg == buf + 8);
	assert_int_equal(*(const int *)kp->arg, 0);

	/* .exit.text: `mov buf(%rip), %rdi' (PC32 .bss - 4) and the
	 * `jmp kfree' tail call (PLT32) */
	exit = (unsigned long)km->mod->exit;
	assert_true(exit == mod_sym(km, "cleanup_module"));
	assert_memory_equal((const void *)exit, nop5, 5);
	assert_memory_equal((const void *)(exit + 0x11), "\x48\x8b\x3d", 3);
	memcpy(&off, (const void *)(exit + 0x14), 4);
	assert_true(exit + 0x18 + (unsigned long)(long)off == buf);
	assert_true(rel32_target(exit + 0x18) == export_value("kfree"));
	assert_true(rel32_target(exit + 0xc) == export_value("_printk"));

	/* and every relocation of the core sections, generically */
	assert_all_applied(&im, km, ".text");
	assert_all_applied(&im, km, ".exit.text");
	assert_all_applied(&im, km, "__ksymtab");
	assert_all_applied(&im, km, "__ksymtab_gpl");
	assert_all_applied(&im, km, "__param");
	assert_all_applied(&im, km, ".exit.data");
	/* init_module is in the freed .init.text: only cleanup_module */
	assert_int_equal(check_applied(&im, km, ".gnu.linkonce.this_module"),
			 nrela(&im, ".gnu.linkonce.this_module") - 1);

	/* init ran and is gone; struct module's init still names where it was */
	assert_non_null(km->mod->init);
	assert_false(in_core(km, (unsigned long)km->mod->init));
	assert_int_equal(km->init.size, 0);
	kmodule_put(km);
	assert_int_equal(delete_module("testmod", 0), 0);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* bugs                                                                */

/*
 * Linux reads sh_size / 24 entries of a RELA section and ignores a
 * partial one; kmodfs reads it with libelf, which refuses a size that is
 * not a multiple of the entry size.
 */
static void bug_rela_size_not_multiple(void **state)
{
	struct image im = hello();
	unsigned int xs = rela_for(&im, ".exit.data");
	uint64_t m;
	int r;

	(void)state;
	/* one whole entry and 8 bytes of the next section */
	shdr(&im, xs)->sh_size = sizeof(Elf64_Rela) + 8;
	m = log_mark();
	r = load_image(&im, "");
	if (r) {
		log_dump(m);
		image_free(&im);
		fail_msg("BUG: a RELA section of 32 bytes refused with %d; Linux applies its one entry", r);
	}
	assert_true(loaded_exit_data() != 0);	/* &cleanup_module */
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&im);
}

/*
 * Linux hands SHF_RELA_LIVEPATCH sections to klp, which checks the
 * name first: "livepatch: section %s has an incorrectly formatted name",
 * -EINVAL; a ".klp.rela.<other module>.*" section waits for that module
 * (the load succeeds).  kmodfs refuses all of them with -ENOEXEC.
 */
static void bug_livepatch_rela_errno(void **state)
{
	struct image im = hello();
	uint64_t m;
	int r;

	(void)state;
	shdr(&im, rela_for(&im, ".exit.data"))->sh_flags |= SHF_RELA_LIVEPATCH;
	m = log_mark();
	r = load_image(&im, "");
	if (r != -EINVAL || !log_has_line(m, "livepatch: section .rela.exit.data has an incorrectly formatted name")) {
		log_dump(m);
		image_free(&im);
		fail_msg("BUG: livepatch relocation section: %d, Linux gives -EINVAL with its message", r);
	}
	image_free(&im);
}

/* ---- isolated: the loader crashes ---- */

/*
 * layout_symtab() gives .symtab SHF_ALLOC (as Linux does), so a RELA
 * section may target it.  simplify_symbols() has checked every st_name
 * by then, but add_kallsyms() runs after apply_relocations() and trusts
 * st_name: a relocation that rewrites one sends strscpy() far outside
 * the string table.
 */
static int case_reloc_into_symtab(void)
{
	struct image im = hello();
	unsigned int xs = rela_for(&im, ".exit.data");
	Elf64_Rela *r = rela(&im, xs, 0);
	int ret;

	shdr(&im, xs)->sh_info = must_sec(&im, ".symtab");
	r->r_info = ELF64_R_INFO(abs_zero_sym(&im), R_X86_64_32);
	r->r_offset = 0;	/* symbol 0's st_name */
	r->r_addend = 0x7fff0000;
	ret = load_image(&im, "");
	if (ret == 0)
		delete_module("hello", 0);
	image_free(&im);
	return 0;
}

/*
 * ftrace_module_init() takes every non-zero __mcount_loc entry for a
 * call site if in_text() says it is in module text; in_text() computes
 * a + 5 <= base + text_size, which wraps for a site within 5 bytes of
 * 2^64, and the loader then reads (and would write) there.  Linux reads
 * sites with copy_from_kernel_nofault() and reports "ftrace faulted on
 * modifying"; it does not crash.  Here the first R_X86_64_64 of
 * .rela__mcount_loc is made to yield 0xfffffffffffffffd.
 */
static int case_ftrace_site_overflow(void)
{
	struct image im = hello();
	unsigned int ms = rela_for(&im, "__mcount_loc");
	Elf64_Rela *r = rela(&im, ms, 0);
	int ret;

	r->r_info = ELF64_R_INFO(abs_zero_sym(&im), R_X86_64_64);
	r->r_addend = -3;
	ret = load_image(&im, "");
	if (ret == 0)
		delete_module("hello", 0);
	image_free(&im);
	return 0;
}

static void expect_isolated_ok(const char *name)
{
	extern char **environ;
	static char arg0[] = "ktest-child";
	char *argv[] = { arg0, NULL };
	char envspec[128];
	char **envp;
	size_t n = 0, j = 0;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	snprintf(envspec, sizeof(envspec), "KTEST_CHILD=%s", name);
	while (environ[n])
		n++;
	envp = calloc(n + 2, sizeof(*envp));
	assert_non_null(envp);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "KTEST_CHILD=", 12))
			envp[j++] = environ[i];
	envp[j] = envspec;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	assert_int_equal(posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("BUG: case %s: the loader died of signal %d (%s)", name,
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status))
		fail_msg("BUG: case %s: exit status %d (a sanitizer report?)", name,
			 WEXITSTATUS(status));
}

static void bug_reloc_into_symtab(void **state)
{
	(void)state;
	expect_isolated_ok("reloc_into_symtab");
}

static void bug_ftrace_site_overflow(void **state)
{
	(void)state;
	expect_isolated_ok("ftrace_site_overflow");
}

static int child_main(const char *name)
{
	int r = 2;

	if (kernel_boot() < 0)
		return 2;
	if (!strcmp(name, "reloc_into_symtab"))
		r = case_reloc_into_symtab();
	else if (!strcmp(name, "ftrace_site_overflow"))
		r = case_ftrace_site_overflow();
	kernel_shutdown();
	return r;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_types),
		cmocka_unit_test(test_type_values),
		cmocka_unit_test(test_nonzero_target),
		cmocka_unit_test(test_overflow_32s),
		cmocka_unit_test(test_overflow_32),
		cmocka_unit_test(test_symbol_index),
		cmocka_unit_test(test_offset_bounds),
		cmocka_unit_test(test_rel_unsupported),
		cmocka_unit_test(test_unallocated_targets_ignored),
		cmocka_unit_test(test_livepatch_rela),
		cmocka_unit_test(test_hello_relocated),
		cmocka_unit_test(test_testmod_relocated),
	};
	/* loader bugs: these fail until fixed */
	const struct CMUnitTest bugs[] = {
		cmocka_unit_test(bug_rela_size_not_multiple),
		cmocka_unit_test(bug_livepatch_rela_errno),
		cmocka_unit_test(bug_reloc_into_symtab),
		cmocka_unit_test(bug_ftrace_site_overflow),
	};
	struct CMUnitTest all[sizeof(tests) / sizeof(tests[0]) + sizeof(bugs) / sizeof(bugs[0])];
	const char *child = getenv("KTEST_CHILD");
	size_t n = 0;
	int r;

	if (child)
		return child_main(child);
	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (kernel_boot() < 0)
		return 1;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		all[n++] = tests[i];
	for (size_t i = 0; !skip_known_bugs() && i < sizeof(bugs) / sizeof(bugs[0]); i++)
		all[n++] = bugs[i];
	r = _cmocka_run_group_tests("tests", all, n, NULL, NULL);
	kernel_shutdown();
	return r;
}
