// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decompression (stage 0 of the load pipeline): hello.ko compressed by
 * the real gzip, xz and zstd tools, in the variants kbuild and users
 * produce, loads through load_module(.., MODULE_INIT_COMPRESSED_FILE)
 * and works; truncated and corrupted streams are -EINVAL with the
 * decoder's reason logged; bombs stop at module_max_size with -EFBIG;
 * trailing data is ignored; uncompressed images pass through untouched.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "ktest.h"
#include "loader/decompress.h"
#include "loader/module.h"

static char tmpdir[] = "/tmp/kmodfs-decompress-XXXXXX";
static char hello_path[sizeof(tmpdir) + 16];
static struct image hello;	/* the uncompressed original */

/* Run a shell command (%s = the path of hello.ko) and collect its stdout. */
static struct image run_tool(const char *fmt)
{
	char cmd[1024];
	struct image im = { NULL, 0 };
	size_t cap = 0, n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), fmt, hello_path);
	p = popen(cmd, "r");
	if (!p)
		fail_msg("cannot run %s", cmd);
	do {
		if (im.len == cap) {
			cap = cap ? cap * 2 : 65536;
			im.data = realloc(im.data, cap);
			assert_non_null(im.data);
		}
		n = fread(im.data + im.len, 1, cap - im.len, p);
		im.len += n;
	} while (n);
	if (pclose(p) != 0)
		fail_msg("`%s` failed (are gzip, xz-utils and zstd installed?)", cmd);
	assert_true(im.len > 0);
	return im;
}

/* load_module() with the filesystem's flag, on a private copy. */
static int load_compressed(const struct image *im)
{
	struct image c = image_dup(im);
	int r = load_module(c.data, c.len, "", MODULE_INIT_COMPRESSED_FILE);

	image_free(&c);
	return r;
}

/* It decompresses to hello.ko exactly, loads, runs its init and unloads. */
static void expect_loads(const struct image *im, const char *what)
{
	uint8_t *out = NULL;
	size_t out_len = 0;
	uint64_t m;
	int r;

	r = module_decompress(im->data, im->len, &out, &out_len);
	if (r != 1)
		fail_msg("%s: module_decompress returned %d", what, r);
	assert_int_equal(out_len, hello.len);
	assert_memory_equal(out, hello.data, hello.len);
	free(out);

	m = log_mark();
	r = load_compressed(im);
	if (r != 0) {
		log_dump(m);
		fail_msg("%s: load_module returned %d", what, r);
	}
	assert_true(log_has_line(m, "hello: init"));
	assert_int_equal(delete_module("hello", 0), 0);
	assert_true(log_has_line(m, "hello: exit"));
}

#define FAILED "module: decompression failed with status "

/*
 * It is refused with err and exactly one log line, which is line (when
 * exact) or contains it; nothing is loaded.
 */
static void expect_refused(const struct image *im, int err, const char *line,
			   bool exact, const char *what)
{
	uint64_t m = log_mark();
	int r = load_compressed(im);

	if (r != err) {
		log_dump(m);
		fail_msg("%s: load_module returned %d, expected %d", what, r, err);
	}
	if (!(exact ? log_has_line(m, line) : log_has(m, line)) || log_count(m) != 1) {
		log_dump(m);
		fail_msg("%s: expected one log line %s\"%s\"", what,
			 exact ? "" : "containing ", line);
	}
	assert_int_equal(delete_module("hello", 0), -ENOENT);
}

static const char *const variants[] = {
	"gzip -n -c %s",			/* kbuild */
	"gzip -9 -c %s",			/* with FNAME and mtime */
	"xz --check=crc32 --lzma2=dict=1MiB -c %s",	/* kbuild */
	"xz -c %s",				/* default: CRC64 */
	"xz --check=sha256 -c %s",
	"xz --check=none -c %s",
	"xz --x86 --lzma2 -c %s",		/* BCJ, as Debian's kernel */
	"xz -T2 --block-size=4KiB -c %s",	/* blocks with sizes */
	"zstd -q -c %s",			/* content size recorded */
	"zstd -q --no-content-size -c %s",
	"zstd -q --no-check -19 -c %s",
	"zstd -q --zstd=wlog=28 -c < %s",	/* 256 MiB window, beyond zstd's default limit */
};

static void test_formats(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct image im = run_tool(variants[i]);

		expect_loads(&im, variants[i]);
		image_free(&im);
	}
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (unsigned int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * A gzip header with every optional field (FEXTRA, FNAME, FCOMMENT and
 * FHCRC): zlib parses them all; Linux 6.1 would skip only FNAME.
 */
static void test_gzip_header_fields(void **state)
{
	static const uint8_t extra[] = { 6, 0, 'K', 'M', 2, 0, 'o', 'k' };
	static const char name[] = "hello.ko", comment[] = "a comment";
	struct image gz = run_tool("gzip -n -c %s");
	struct image im = { malloc(gz.len + 64), 0 };
	uint32_t crc;

	(void)state;
	assert_non_null(im.data);
	assert_int_equal(gz.data[3], 0);	/* gzip -n: no flags */
	memcpy(im.data, gz.data, 10);
	im.data[3] = 0x04 | 0x08 | 0x10 | 0x02;	/* FEXTRA FNAME FCOMMENT FHCRC */
	im.len = 10;
	memcpy(im.data + im.len, extra, sizeof(extra));
	im.len += sizeof(extra);
	memcpy(im.data + im.len, name, sizeof(name));
	im.len += sizeof(name);
	memcpy(im.data + im.len, comment, sizeof(comment));
	im.len += sizeof(comment);
	crc = (uint32_t)crc32(0, im.data, (uInt)im.len);
	im.data[im.len++] = (uint8_t)crc;
	im.data[im.len++] = (uint8_t)(crc >> 8);
	memcpy(im.data + im.len, gz.data + 10, gz.len - 10);
	im.len += gz.len - 10;
	expect_loads(&im, "gzip with all header fields");

	im.data[10] ^= 1;	/* now the header CRC is wrong */
	expect_refused(&im, -EINVAL,
		       FAILED "-3 (zlib: header crc mismatch)", true, "gzip FHCRC");
	image_free(&im);
	image_free(&gz);
}

static uint64_t read_vli(const uint8_t *p, size_t *pos)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < 9; i++) {
		v |= (uint64_t)(p[*pos] & 0x7f) << (7 * i);
		if (!(p[(*pos)++] & 0x80))
			break;
	}
	return v;
}

/*
 * An xz stream whose LZMA2 dictionary is declared 256 MiB (xz -9 uses
 * 64 MiB, kbuild 1 MiB; encoding with it would need 2.5 GiB): rewrite the
 * filter properties in the first block header and fix its CRC32.  (The
 * format allows up to 4 GiB; liblzma allocates the whole dictionary,
 * which MALLOC_PERTURB_, set by meson test, then fills: kept moderate.)
 */
static void test_xz_big_dictionary(void **state)
{
	struct image im = run_tool("xz --lzma2=dict=1MiB -c %s");
	size_t hsize = ((size_t)im.data[12] + 1) * 4, pos = 14;
	unsigned int flags = im.data[13], patched = 0;
	uint32_t crc;

	(void)state;
	if (flags & 0x40)
		read_vli(im.data, &pos);	/* compressed size */
	if (flags & 0x80)
		read_vli(im.data, &pos);	/* uncompressed size */
	for (unsigned int f = 0; f <= (flags & 3); f++) {
		uint64_t id = read_vli(im.data, &pos);
		uint64_t psize = read_vli(im.data, &pos);

		if (id == 0x21 && psize == 1) {	/* LZMA2: one dict byte */
			assert_int_equal(im.data[pos], 16);	/* 1 MiB */
			im.data[pos] = 32;	/* 2 << 27 = 256 MiB */
			patched++;
		}
		pos += psize;
	}
	assert_int_equal(patched, 1);
	crc = (uint32_t)crc32(0, im.data + 12, (uInt)(hsize - 4));
	put_le32(im.data + 12 + hsize - 4, crc);
	expect_loads(&im, "xz with a 256 MiB dictionary");
	image_free(&im);
}

/*
 * Check ID 2 (reserved, 4 bytes like CRC32) in the stream header and
 * footer: liblzma cannot verify it, so it decodes with a warning, as
 * xz(1) does.
 */
static void test_xz_unknown_check(void **state)
{
	struct image im = run_tool("xz --check=crc32 -c %s");
	uint8_t *footer = im.data + im.len - 12;
	uint64_t m;

	(void)state;
	assert_int_equal(im.data[7], 1);
	assert_int_equal(footer[9], 1);
	im.data[7] = footer[9] = 2;
	put_le32(im.data + 8, (uint32_t)crc32(0, im.data + 6, 2));
	put_le32(footer, (uint32_t)crc32(0, footer + 4, 6));
	m = log_mark();
	expect_loads(&im, "xz with check ID 2");
	assert_true(log_has_line(m, "module: xz: unsupported type of integrity check (2); not verifying"));
	image_free(&im);
}

static void test_uncompressed(void **state)
{
	uint8_t *out = (uint8_t *)&out;
	size_t out_len = 12345;
	uint64_t m;

	(void)state;
	assert_int_equal(module_decompress(hello.data, hello.len, &out, &out_len), 0);
	assert_ptr_equal(out, (uint8_t *)&out);
	assert_int_equal(out_len, 12345);
	/* too short for any magic, or a prefix of one */
	assert_int_equal(module_decompress((const uint8_t *)"\x28\xb5\x2f", 3, &out, &out_len), 0);
	assert_int_equal(module_decompress((const uint8_t *)"", 0, &out, &out_len), 0);
	assert_ptr_equal(out, (uint8_t *)&out);

	/* the filesystem's flag on a plain image: loaded as it is */
	m = log_mark();
	assert_int_equal(load_compressed(&hello), 0);
	assert_true(log_has_line(m, "hello: init"));
	assert_int_equal(delete_module("hello", 0), 0);
}

struct cut_case {
	const char *tool;
	size_t magic_len;
	const char *lib;	/* the log line's "(lib: " */
};

static const struct cut_case formats[] = {
	{ "gzip -n -c %s", 2, "(zlib: " },
	{ "xz --check=crc32 --lzma2=dict=1MiB -c %s", 6, "(xz: " },
	{ "xz --check=sha256 -c %s", 6, "(xz: " },
	{ "zstd -q -c %s", 4, "(zstd: " },
	{ "zstd -q --no-content-size -c %s", 4, "(zstd: " },
};

static void test_truncated(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const struct cut_case *f = &formats[i];
		struct image full = run_tool(f->tool);
		size_t cuts[] = { f->magic_len, f->magic_len + 3, 12, 40, full.len / 3,
				  full.len / 2, full.len - 9, full.len - 4, full.len - 1 };
		for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
			struct image cut = { full.data, cuts[k] };
			char what[160];
			uint64_t m = log_mark();

			snprintf(what, sizeof(what), "%s cut at %zu of %zu", f->tool,
				 cuts[k], full.len);
			expect_refused(&cut, -EINVAL, FAILED, false, what);
			assert_true(log_has(m, f->lib));
		}
		image_free(&full);
	}
}

/* The exact lines for the commonest failures, in Linux's wording. */
static void test_reasons(void **state)
{
	struct image gz = run_tool("gzip -n -c %s");
	struct image xz = run_tool("xz --check=crc32 --lzma2=dict=1MiB -c %s");
	struct image zst = run_tool("zstd -q -c %s");
	struct image c;

	(void)state;
	c = image_dup(&gz);
	c.data[c.len - 8] ^= 1;		/* the CRC32 in the trailer */
	expect_refused(&c, -EINVAL,
		       FAILED "-3 (zlib: incorrect data check)", true,
		       "gzip bad crc");
	image_free(&c);
	c = image_dup(&gz);
	c.data[c.len - 4] ^= 1;		/* ISIZE */
	expect_refused(&c, -EINVAL,
		       FAILED "-3 (zlib: incorrect length check)", true,
		       "gzip bad isize");
	image_free(&c);
	c = image_dup(&gz);
	c.data[2] = 9;			/* compression method */
	expect_refused(&c, -EINVAL,
		       FAILED "-3 (zlib: unknown compression method)", true,
		       "gzip method");
	image_free(&c);
	c = (struct image){ gz.data, gz.len - 1 };
	expect_refused(&c, -EINVAL,
		       FAILED "-5 (zlib: unexpected end of input)", true,
		       "gzip truncated");

	c = (struct image){ xz.data, xz.len / 2 };
	expect_refused(&c, -EINVAL,
		       FAILED "10 (xz: unexpected end of input)", true,
		       "xz truncated");
	c = image_dup(&xz);
	c.data[6] ^= 0x10;		/* stream flags: header CRC32 mismatch */
	expect_refused(&c, -EINVAL,
		       FAILED "9 (xz: compressed data is corrupt)", true,
		       "xz header");
	image_free(&c);

	c = image_dup(&zst);
	c.data[c.len - 1] ^= 1;		/* the XXH64 checksum */
	expect_refused(&c, -EINVAL,
		       FAILED "-22 (zstd: Restored data doesn't match checksum)", true,
		       "zstd checksum");
	image_free(&c);
	c = (struct image){ zst.data, zst.len - 1 };
	expect_refused(&c, -EINVAL,
		       FAILED "-72 (zstd: unexpected end of input)", true,
		       "zstd truncated");

	image_free(&gz);
	image_free(&xz);
	image_free(&zst);
}

static void test_corrupted(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const struct cut_case *f = &formats[i];
		struct image full = run_tool(f->tool);
		/* inside the compressed payload, clear of headers and trailers */
		size_t at[] = { full.len / 4, full.len / 3, full.len / 2,
				2 * full.len / 3, 3 * full.len / 4 };

		for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
			struct image c = image_dup(&full);
			char what[160];
			uint64_t m = log_mark();

			c.data[at[k]] ^= 0x55;
			c.data[at[k] + 1] ^= 0xff;
			snprintf(what, sizeof(what), "%s flipped at %zu of %zu", f->tool,
				 at[k], full.len);
			expect_refused(&c, -EINVAL, FAILED, false, what);
			assert_true(log_has(m, f->lib));
			image_free(&c);
		}
		image_free(&full);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100 MB of zeros: refused at 8 MiB, without decompressing the rest. */
static void test_bomb(void **state)
{
	static const char *const bombs[] = {
		"head -c 100000000 /dev/zero | gzip -c",
		"head -c 100000000 /dev/zero | xz -0 -c",
		"head -c 100000000 /dev/zero | zstd -q -c",	/* no size: streamed */
		"head -c 100000000 /dev/zero | zstd -q --stream-size=100000000 -c",	/* size recorded */
	};
	size_t saved = module_max_size;

	(void)state;
	module_max_size = 8u << 20;
	for (size_t i = 0; i < sizeof(bombs) / sizeof(bombs[0]); i++) {
		struct image b = run_tool(bombs[i]);
		uint8_t *out = NULL;
		size_t out_len = 0;
		double t0;

		assert_true(b.len < 1000000);
		t0 = now();
		expect_refused(&b, -EFBIG, "module: decompressed size exceeds 8388608 bytes",
			       true, bombs[i]);
		assert_int_equal(module_decompress(b.data, b.len, &out, &out_len), -EFBIG);
		assert_null(out);
		if (now() - t0 > 5.0)
			fail_msg("%s: took %.1f s", bombs[i], now() - t0);
		image_free(&b);
	}
	module_max_size = saved;
}

/* A module of exactly module_max_size bytes is accepted, one more is not. */
static void test_size_limit_is_inclusive(void **state)
{
	static const char *const tools[] = {
		"gzip -n -c %s",
		"xz --check=crc32 --lzma2=dict=1MiB -c %s",
		"zstd -q -c %s",
		"zstd -q --no-content-size -c %s",
	};
	size_t saved = module_max_size;

	(void)state;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		struct image im = run_tool(tools[i]);
		uint8_t *out = NULL;
		size_t out_len = 0;
		char line[80];
		uint64_t m;

		module_max_size = hello.len;
		assert_int_equal(module_decompress(im.data, im.len, &out, &out_len), 1);
		assert_int_equal(out_len, hello.len);
		assert_memory_equal(out, hello.data, hello.len);
		free(out);
		out = NULL;

		module_max_size = hello.len - 1;
		m = log_mark();
		assert_int_equal(module_decompress(im.data, im.len, &out, &out_len), -EFBIG);
		assert_null(out);
		snprintf(line, sizeof(line), "module: decompressed size exceeds %zu bytes",
			 hello.len - 1);
		assert_true(log_has_line(m, line));
		image_free(&im);
	}
	module_max_size = saved;
}

static struct image append(const struct image *a, const void *tail, size_t n)
{
	struct image c = { malloc(a->len + n), a->len + n };

	assert_non_null(c.data);
	memcpy(c.data, a->data, a->len);
	memcpy(c.data + a->len, tail, n);
	return c;
}

/* Anything after the end of the first stream is ignored, as in Linux. */
static void test_trailing_data(void **state)
{
	static const char garbage[] = "\0\0\0\0trailing garbage\x1f\x8b\xff\xfe";
	static const char *const tools[] = {
		"gzip -n -c %s",
		"xz --check=crc32 --lzma2=dict=1MiB -c %s",
		"xz -c %s",
		"zstd -q -c %s",
		"zstd -q --no-content-size -c %s",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		struct image im = run_tool(tools[i]);
		struct image g = append(&im, garbage, sizeof(garbage));
		struct image twice = append(&im, im.data, im.len);

		expect_loads(&g, tools[i]);
		expect_loads(&twice, tools[i]);	/* a second stream: ignored */
		image_free(&g);
		image_free(&twice);
		image_free(&im);
	}
}

static int setup(void **state)
{
	FILE *f;

	(void)state;
	/*
	 * meson test sets MALLOC_PERTURB_, which makes the compressors fill
	 * every buffer they allocate (zstd with a 256 MiB window: 5 GiB and
	 * 12 s); it only matters for this process, whose malloc has read it.
	 */
	unsetenv("MALLOC_PERTURB_");
	hello = example("hello.ko");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(hello_path, sizeof(hello_path), "%s/hello.ko", tmpdir);
	f = fopen(hello_path, "wb");
	if (!f)
		return -1;
	fwrite(hello.data, 1, hello.len, f);
	return fclose(f) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(hello_path);
	rmdir(tmpdir);
	image_free(&hello);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uncompressed),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_gzip_header_fields),
		cmocka_unit_test(test_xz_big_dictionary),
		cmocka_unit_test(test_xz_unknown_check),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupted),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_size_limit_is_inclusive),
		cmocka_unit_test(test_trailing_data),
	};
	int r;

	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (kernel_boot() < 0)
		return 1;
	r = cmocka_run_group_tests(tests, setup, teardown);
	kernel_shutdown();
	return r;
}
