// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for src/kernel/vsprintf.c and errname.c: Linux 6.1 printf
 * semantics (where they differ from glibc the expected strings are the
 * kernel's), every %p extension implemented, truncation and return
 * values, kasprintf, and vsscanf.
 *
 * Link with: vsprintf.c errname.c fake_kernel.c (-lcmocka).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/errname.h"
#include "kernel/vsprintf.h"

/* in fake_kernel.c */
extern bool fake_kmalloc_fail;
extern gfp_t fake_kmalloc_last_gfp;
extern unsigned long fake_kallsyms_last_addr;
extern int fake_sprint_symbol_calls;

#define ERR_PTR(e) ((void *)(long)(e))
#define CANARY 0x5a

/*
 * Format into buffers of every size from 0 to strlen(expect) + 2 and
 * check, each time: the vsnprintf return is the full length, the stored
 * text is the longest prefix that fits, it is NUL-terminated, nothing past
 * size is touched, and vscnprintf returns what was stored.
 */
static void check_fmt(const char *file, int line, const char *expect,
		      const char *fmt, ...)
{
	size_t elen = strlen(expect);
	static char buf[4096];

	for (size_t size = 0; size <= elen + 2 && size < sizeof(buf) - 8;
	     size++) {
		size_t stored = size ? (elen < size - 1 ? elen : size - 1) : 0;
		va_list ap;
		int n;

		memset(buf, CANARY, sizeof(buf));
		va_start(ap, fmt);
		n = kernel_vsnprintf(buf, size, fmt, ap);
		va_end(ap);
		_assert_int_equal((unsigned long)n, elen, file, line);
		if (size) {
			_assert_memory_equal(buf, expect, stored, file, line);
			_assert_int_equal(buf[stored], 0, file, line);
		}
		for (size_t i = size; i < size + 8; i++)
			_assert_int_equal((unsigned char)buf[i], CANARY, file,
					  line);

		va_start(ap, fmt);
		n = kernel_vscnprintf(buf, size, fmt, ap);
		va_end(ap);
		_assert_int_equal((unsigned long)n, stored, file, line);
	}
}

#define CHECK(expect, ...) check_fmt(__FILE__, __LINE__, expect, __VA_ARGS__)

/* Format into a static buffer, for outputs that are checked by shape. */
static const char *fmt_str(const char *fmt, ...)
{
	static char buf[4][256];
	static int next;
	char *b = buf[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	kernel_vsnprintf(b, sizeof(buf[0]), fmt, ap);
	va_end(ap);
	return b;
}

static void test_integers(void **state)
{
	(void)state;
	CHECK("0 1 -1 42", "%d %i %d %i", 0, 1, -1, 42);
	CHECK("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	CHECK("4294967295 0", "%u %u", UINT_MAX, 0u);
	CHECK("ff FF 377", "%x %X %o", 255, 255, 255);
	CHECK("ffffffff", "%x", -1);
	CHECK("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	CHECK("37777777777", "%o", UINT_MAX);
	CHECK("a1b", "a%db", 1);
	CHECK("", "");
	CHECK("no conversions", "no conversions");
}

static void test_length_modifiers(void **state)
{
	(void)state;
	/* hh and h truncate the promoted int and re-extend per signedness */
	CHECK("-1 255 1 -128", "%hhd %hhu %hhu %hhi", 255, 255, 257, 128);
	CHECK("ff 7f", "%hhx %hhx", 0x1ff, 0x7f);
	CHECK("-1 65535 1 -32768", "%hd %hu %hu %hi", 65535, 65535, 65537,
	      32768);
	CHECK("ffff", "%hx", -1);
	CHECK("-9223372036854775808 18446744073709551615", "%ld %lu",
	      LONG_MIN, ULONG_MAX);
	CHECK("-9223372036854775808 9223372036854775807", "%lld %lli",
	      LLONG_MIN, LLONG_MAX);
	CHECK("18446744073709551615 ffffffffffffffff", "%llu %llx",
	      ULLONG_MAX, ULLONG_MAX);
	CHECK("18446744073709551615", "%Lu", ULLONG_MAX);
	CHECK("1777777777777777777777", "%llo", ULLONG_MAX);
	CHECK("18446744073709551615 -1", "%zu %zd", SIZE_MAX, (ssize_t)-1);
	CHECK("-5 18446744073709551611", "%td %tu", (ptrdiff_t)-5,
	      (ptrdiff_t)-5);
	CHECK("-7 12345678901", "%jd %ju", (intmax_t)-7,
	      (uintmax_t)12345678901ULL);
	CHECK("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
}

static void test_flags(void **state)
{
	(void)state;
	CHECK("+5 -5 +0", "%+d %+d %+d", 5, -5, 0);
	CHECK(" 5 -5", "% d % d", 5, -5);
	CHECK("+5", "%+ d", 5);			/* '+' beats ' ' */
	CHECK("5 ff", "%+u %+x", 5u, 255u);	/* sign flags: signed only */
	CHECK("5 ff", "% u % x", 5u, 255u);
	CHECK("    5|5    |00005", "%5d|%-5d|%05d", 5, 5, 5);
	CHECK("-0005 -5   |   -5", "%05d %-05d|%5d", -5, -5, -5);
	CHECK("+0005", "%+05d", 5);
	CHECK("12345", "%3d", 12345);
}

/* The '#' flag: where the kernel differs from glibc. */
static void test_alternate_form(void **state)
{
	(void)state;
	CHECK("0x0", "%#x", 0);			/* glibc: "0" */
	CHECK("0x000000", "%#08x", 0);		/* glibc: "00000000" */
	CHECK("0x0000ff", "%#08x", 255);
	CHECK("0x12345678", "%#08x", 0x12345678);
	CHECK("0XFF 0xff", "%#X %#x", 255, 255);
	CHECK("    0xff|0xff    |", "%#8x|%#-8x|", 255, 255);
	CHECK("0 010 017", "%#o %#o %#o", 0, 8, 15);
	CHECK("00010", "%#05o", 8);
	CHECK("0x0 0x1", "%#lx %#llx", 0UL, 1ULL);
	CHECK("42", "%#d", 42);			/* no prefix in base 10 */
}

static void test_precision(void **state)
{
	(void)state;
	CHECK("005 -005 +005", "%.3d %.3d %+.3d", 5, -5, 5);
	CHECK("0", "%.0d", 0);			/* glibc: "" */
	CHECK("00000005", "%08.3d", 5);		/* glibc: "     005" */
	CHECK("     005|005     |", "%8.3d|%-8.3d|", 5, 5);
	CHECK("000ff 0x000ff", "%.5x %#.5x", 255, 255);
	CHECK("0010", "%#.3o", 8);		/* prefix plus 3 digits */
	CHECK("7", "%.d", 7);			/* bare '.' = no precision */
	CHECK("12345", "%.2d", 12345);
	CHECK("00042", "%.*d", 5, 42);
	CHECK("42", "%.*d", -3, 42);		/* negative -> 0 */
}

static void test_char(void **state)
{
	char buf[8];

	(void)state;
	CHECK("A", "%c", 'A');
	CHECK("  A|A  |", "%3c|%-3c|", 'A', 'A');
	CHECK("\xe9", "%c", 0x1e9);		/* (unsigned char) of the int */
	/* a NUL character is output and counted */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(kernel_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
	assert_memory_equal(buf, "a\0b\0", 4);
}

static void test_strings(void **state)
{
	(void)state;
	CHECK("abc", "%s", "abc");
	CHECK("  abc|abc  |", "%5s|%-5s|", "abc", "abc");
	CHECK("ab", "%.2s", "abc");
	CHECK("  ab", "%4.2s", "abc");
	CHECK("abc", "%.s", "abc");		/* glibc: "" */
	CHECK("ab", "%.*s", 2, "abcdef");
	CHECK("", "%.*s", -1, "abc");		/* glibc: "abc" */
	CHECK("abc  |  abc", "%*s|%*s", -5, "abc", 5, "abc");
	CHECK("x", "%.5s", "x");
	CHECK("", "%s", "");
	/* bad pointers are never dereferenced */
	CHECK("(null)", "%s", (char *)NULL);
	CHECK("(efault)", "%s", (char *)1);
	CHECK("(efault)", "%s", (char *)4095);
	CHECK("(efault)", "%s", (char *)ERR_PTR(-EINVAL));
	CHECK("(efault)", "%s", (char *)ERR_PTR(-4095));
	CHECK("    (null)|(null)    |", "%10s|%-10s|", (char *)NULL,
	      (char *)NULL);
	CHECK("(nu", "%.3s", (char *)NULL);
}

static void test_percent_and_invalid(void **state)
{
	int n = 7;

	(void)state;
	CHECK("100%", "100%%");
	CHECK("%", "%5%");
	/* an unknown conversion, or %n, ends the output right there */
	CHECK("a", "a%nb%d", &n, 5);
	assert_int_equal(n, 7);
	CHECK("x", "x%qy");
	CHECK("1", "%d%Zd", 1, (size_t)2);
	CHECK("1", "%d%LLd", 1, 2LL);
	CHECK("abc", "abc%");
	CHECK("12", "%d%", 12);
}

static void test_truncation_and_returns(void **state)
{
	char buf[16];
	int n;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	n = kernel_snprintf(buf, 5, "hello %s", "world");
	assert_int_equal(n, 11);
	assert_string_equal(buf, "hell");
	assert_int_equal(buf[5], 'x');

	/* size 0: nothing written, length still reported */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(kernel_snprintf(buf, 0, "hello"), 5);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(kernel_snprintf(NULL, 0, "%d", 12345), 5);

	assert_int_equal(kernel_scnprintf(buf, 5, "hello world"), 4);
	assert_int_equal(kernel_scnprintf(buf, 0, "hello world"), 0);
	assert_int_equal(kernel_scnprintf(buf, 1, "hello world"), 0);
	assert_string_equal(buf, "");
	assert_int_equal(kernel_scnprintf(buf, sizeof(buf), "hi"), 2);

	assert_int_equal(kernel_sprintf(buf, "%s-%d", "ab", 12), 5);
	assert_string_equal(buf, "ab-12");

	/* sizes above INT_MAX are refused as in Linux */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(kernel_snprintf(buf, (size_t)INT_MAX + 1, "abc"), 0);
	assert_int_equal(buf[0], 'x');

	/* padding longer than the buffer */
	CHECK("        42", "%10d", 42);
	CHECK("42        |", "%-10d|", 42);
}

static void test_width_clamp(void **state)
{
	/* volatile: keep gcc from evaluating the huge outputs at build time */
	volatile int big = INT_MAX, small = INT_MIN;

	(void)state;
	/* widths are clamped to 2^23 - 1, precisions to 2^15 - 1 */
	assert_int_equal(kernel_snprintf(NULL, 0, "%*d", big, 1),
			 (1 << 23) - 1);
	assert_int_equal(kernel_snprintf(NULL, 0, "%*d", small, 1),
			 (1 << 23) - 1);
	assert_int_equal(kernel_snprintf(NULL, 0, "%.*d", big, 1),
			 (1 << 15) - 1);
	assert_int_equal(kernel_snprintf(NULL, 0, "%99999999d", 1),
			 (1 << 23) - 1);
	assert_int_equal(kernel_snprintf(NULL, 0, "%.99999s", "abc"), 3);
	assert_string_equal(fmt_str("%*d|", -4, 7), "7   |");
}

static bool is_hex16(const char *s)
{
	if (strlen(s) != 16)
		return false;
	for (int i = 0; i < 16; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static void test_pointer_plain(void **state)
{
	int a, b;
	char id_a[32], id_b[32];

	(void)state;
	snprintf(id_a, sizeof(id_a), "%s", fmt_str("%p", (void *)&a));
	snprintf(id_b, sizeof(id_b), "%s", fmt_str("%p", (void *)&b));
	/* hashed: 16 hex digits of which only the low 32 bits are used */
	assert_true(is_hex16(id_a));
	assert_memory_equal(id_a, "00000000", 8);
	assert_string_equal(fmt_str("%p", (void *)&a), id_a);	/* stable */
	assert_string_not_equal(id_a, id_b);
	assert_string_not_equal(id_a, fmt_str("%px", (void *)&a));
	/* %pK is %p with kptr_restrict = 0; %pF is no longer special */
	assert_string_equal(fmt_str("%pK", (void *)&a), id_a);
	assert_string_equal(fmt_str("%pF", (void *)&a), id_a);
	/* a suffix of letters and digits belongs to the %p */
	assert_string_equal(fmt_str("%pZ9!", (void *)&a),
			    fmt_str("%p!", (void *)&a));

	/* NULL and ERR_PTRs are not hashed */
	CHECK("0000000000000000", "%p", NULL);
	CHECK("ffffffffffffffea", "%p", ERR_PTR(-EINVAL));
	CHECK("0000000000000000", "%pK", NULL);
	/* a width replaces the default zero padding */
	CHECK("                   0", "%20p", NULL);
	CHECK("0000000000000000|", "%p|", NULL);

	CHECK("0000000000001234", "%px", (void *)0x1234);
	CHECK("ffff888012345678", "%px", (void *)0xffff888012345678UL);
	CHECK("1234", "%1px", (void *)0x1234);
	CHECK("1234    |", "%-8px|", (void *)0x1234);
}

static void test_pointer_err(void **state)
{
	int x;

	(void)state;
	CHECK("-EINVAL", "%pe", ERR_PTR(-EINVAL));
	CHECK("-ENOMEM", "%pe", ERR_PTR(-ENOMEM));
	CHECK("-EAGAIN", "%pe", ERR_PTR(-EWOULDBLOCK));
	CHECK("-EPROBE_DEFER", "%pe", ERR_PTR(-517));
	CHECK("-ERESTARTSYS", "%pe", ERR_PTR(-512));
	CHECK("-ERECALLCONFLICT", "%pe", ERR_PTR(-530));
	CHECK("-531", "%pe", ERR_PTR(-531));	/* ENOGRACE: no name */
	CHECK("-4095", "%pe", ERR_PTR(-4095));
	CHECK("-1234", "%pe", ERR_PTR(-1234));
	CHECK("[  -EIO]", "[%6pe]", ERR_PTR(-EIO));
	/* not an error pointer: printed like %p */
	assert_string_equal(fmt_str("%pe", (void *)&x),
			    fmt_str("%p", (void *)&x));
	CHECK("0000000000000000", "%pe", NULL);
}

static void test_errname(void **state)
{
	(void)state;
	assert_string_equal(errname(-EPERM), "-EPERM");
	assert_string_equal(errname(EIO), "EIO");
	assert_string_equal(errname(-EHWPOISON), "-EHWPOISON");
	assert_string_equal(errname(-EDEADLOCK), "-EDEADLK");
	assert_string_equal(errname(-ENOTSUP), "-EOPNOTSUPP");
	assert_string_equal(errname(-ECANCELED), "-ECANCELED");
	assert_string_equal(errname(524), "ENOTSUPP");
	assert_string_equal(errname(-519), "-ENOPARAM");
	assert_null(errname(0));
	assert_null(errname(-41));	/* unused numbers */
	assert_null(errname(-58));
	assert_null(errname(-134));
	assert_null(errname(-520));
	assert_null(errname(-531));
	assert_null(errname(INT_MIN));
	assert_null(errname(INT_MAX));
	/* every x86-64 errno from 1 to 133 but 41 and 58 has a name */
	for (int e = 1; e <= 133; e++) {
		const char *n = errname(-e);

		if (e == 41 || e == 58) {
			assert_null(n);
			continue;
		}
		assert_non_null(n);
		assert_int_equal(n[0], '-');
		assert_int_equal(n[1], 'E');
		assert_string_equal(errname(e), n + 1);
	}
}

static void test_pointer_symbols(void **state)
{
	int calls;

	(void)state;
	calls = fake_sprint_symbol_calls;
	CHECK("fake_alpha+0x10/0x100", "%pS", (void *)0x1010);
	assert_true(fake_sprint_symbol_calls > calls);
	CHECK("fake_alpha+0x0/0x100", "%pS", (void *)0x1000);
	CHECK("fake_alpha", "%ps", (void *)0x1010);
	CHECK("fake_alpha+0x10/0x100", "%pSR", (void *)0x1010);
	CHECK("fake_alpha+0x10/0x100", "%pSb", (void *)0x1010);
	CHECK("mod_fn+0x8/0x40 [fakemod]", "%pS", (void *)0x2008);
	CHECK("mod_fn [fakemod]", "%ps", (void *)0x2008);
	CHECK("0x9999", "%pS", (void *)0x9999);
	CHECK("0x0", "%ps", NULL);
	CHECK("[    fake_beta]", "[%13ps]", (void *)0x1100);

	/* %pB looks up addr - 1: a return address past a call at the end */
	CHECK("fake_beta+0x0/0x80", "%pS", (void *)0x1100);
	CHECK("fake_alpha+0x100/0x100", "%pB", (void *)0x1100);
	assert_int_equal(fake_kallsyms_last_addr, 0x10ff);
	CHECK("fake_beta+0x1/0x80", "%pB", (void *)0x1101);
	CHECK("mod_fn+0x40/0x40 [fakemod]", "%pB", (void *)0x2040);
	CHECK("0x5000", "%pB", (void *)0x5000);
	CHECK("0x1000", "%pB", (void *)0x1000);	/* 0xfff is unknown */
}

static void test_pointer_hex(void **state)
{
	static const uint8_t b[100] = { 0x01, 0x02, 0xab, 0xff };
	char expect[256];
	int n = 0;

	(void)state;
	CHECK("01", "%ph", b);
	CHECK("01 02 ab ff", "%*ph", 4, b);
	CHECK("01 02 ab ff", "%4ph", b);
	CHECK("01:02:ab:ff", "%*phC", 4, b);
	CHECK("01-02-ab-ff", "%*phD", 4, b);
	CHECK("0102abff", "%*phN", 4, b);
	CHECK("", "%*ph", 0, b);
	CHECK("", "%*ph", 0, NULL);		/* no bytes: not even (null) */
	CHECK("(null)", "%*ph", 4, NULL);
	CHECK("01!", "%ph!", b);
	/* at most 64 bytes */
	for (int i = 0; i < 64; i++)
		n += snprintf(expect + n, sizeof(expect) - (size_t)n, "%02x",
			      b[i]);
	CHECK(expect, "%*phN", 100, b);
}

static void test_pointer_mac(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0x01, 0x02, 0x0a, 0x0b, 0xff };

	(void)state;
	CHECK("00:01:02:0a:0b:ff", "%pM", mac);
	CHECK("ff:0b:0a:02:01:00", "%pMR", mac);
	CHECK("00-01-02-0a-0b-ff", "%pMF", mac);
	CHECK("0001020a0bff", "%pm", mac);
	CHECK("ff0b0a020100", "%pmR", mac);
	CHECK("[0001020a0bff  ]", "[%-14pm]", mac);
	CHECK("(null)", "%pM", NULL);
}

static void test_pointer_ip(void **state)
{
	static const uint8_t v4[4] = { 192, 168, 1, 10 };
	const uint32_t host = 0xc0a8010a;	/* 192.168.1.10, host order */
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t zero[16];
	static const uint8_t lo[16] = { [15] = 1 };
	static const uint8_t one[16] = { [1] = 1 };
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff,
					    1, 2, 3, 4 };
	static const uint8_t isatap[16] = { 0xfe, 0x80, [10] = 0x5e,
					    [11] = 0xfe, 10, 0, 0, 1 };
	static const uint8_t single[16] = { 0, 1, 0, 0, 0, 2, 0, 3,
					    0, 4, 0, 5, 0, 6, 0, 7 };
	static const uint8_t two_runs[16] = { 0, 1, 0, 0, 0, 0, 0, 2,
					      0, 0, 0, 0, 0, 3, 0, 4 };
	static const uint8_t words[16] = { 0x0a, 0xbc, 0x00, 0x0d, 0xf0, 0,
					   0, 0, 0, 0, 0, 0, 0x12, 0x34,
					   0, 0 };

	(void)state;
	CHECK("192.168.1.10", "%pI4", v4);
	CHECK("192.168.001.010", "%pi4", v4);
	CHECK("192.168.1.10", "%pI4h", &host);
	CHECK("192.168.1.10", "%pI4l", &host);
	CHECK("192.168.1.10", "%pI4n", v4);
	CHECK("192.168.1.10", "%pI4b", v4);
	CHECK("[  192.168.1.10]", "[%14pI4]", v4);
	CHECK("(null)", "%pI4", NULL);

	CHECK("2001:0db8:0000:0000:0000:0000:0000:0001", "%pI6", v6);
	CHECK("20010db8000000000000000000000001", "%pi6", v6);
	CHECK("2001:db8::1", "%pI6c", v6);
	CHECK("::", "%pI6c", zero);
	CHECK("::1", "%pI6c", lo);
	CHECK("1::", "%pI6c", one);
	CHECK("::ffff:1.2.3.4", "%pI6c", mapped);
	CHECK("fe80::5efe:10.0.0.1", "%pI6c", isatap);
	CHECK("1:0:2:3:4:5:6:7", "%pI6c", single);	/* one 0 stays */
	CHECK("1::2:0:0:3:4", "%pI6c", two_runs);	/* first wins tie */
	CHECK("abc:d:f000::1234:0", "%pI6c", words);
	CHECK("(%pI?)", "%pIS", v4);
	CHECK("(%pi?)", "%pi", v4);
}

static void test_pointer_uuid(void **state)
{
	static const uint8_t u[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
				       0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
				       0x0c, 0x0d, 0x0e, 0x0f };

	(void)state;
	CHECK("00010203-0405-0607-0809-0a0b0c0d0e0f", "%pU", u);
	CHECK("00010203-0405-0607-0809-0a0b0c0d0e0f", "%pUb", u);
	CHECK("00010203-0405-0607-0809-0A0B0C0D0E0F", "%pUB", u);
	CHECK("03020100-0504-0706-0809-0a0b0c0d0e0f", "%pUl", u);
	CHECK("03020100-0504-0706-0809-0A0B0C0D0E0F", "%pUL", u);
	CHECK("(null)", "%pUb", NULL);
}

static void test_pointer_addr(void **state)
{
	uint64_t phys = 0x1234, dma = 0xfedcba9876543210ULL;

	(void)state;
	CHECK("0x0000000000001234", "%pa", &phys);
	CHECK("0x0000000000001234", "%pap", &phys);
	CHECK("0xfedcba9876543210", "%pad", &dma);
	CHECK("(null)", "%pa", NULL);
	CHECK("0x00000000000000ff", "%pNF", &(uint64_t){ 0xff });
	CHECK("(%pN?)", "%pNx", &phys);
}

/* Build a struct va_format the way printk wrappers do; check "<%pV>". */
static void check_vaf(const char *file, int line, const char *expect,
		      const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	check_fmt(file, line, expect, "<%pV>", &vaf);
	va_end(ap);
}

#define CHECK_VAF(expect, ...) \
	check_vaf(__FILE__, __LINE__, expect, __VA_ARGS__)

/* The outer va_format's own arguments: just the inner va_format. */
static void check_nested_outer(const char *expect, struct va_format *outer,
			       ...)
{
	va_list ap;

	va_start(ap, outer);
	outer->va = &ap;
	CHECK(expect, "[%pV]", outer);
	va_end(ap);
}

static void check_nested(const char *expect, const char *fmt, ...)
{
	struct va_format inner, outer = { "{%pV}", NULL };
	va_list ap;

	va_start(ap, fmt);
	inner.fmt = fmt;
	inner.va = &ap;
	check_nested_outer(expect, &outer, &inner);
	va_end(ap);
}

static void test_pointer_va_format(void **state)
{
	(void)state;
	CHECK_VAF("<x=5 y=ab>", "x=%d y=%s", 5, "ab");
	CHECK_VAF("<>", "");
	CHECK_VAF("<100%>", "100%%");
	CHECK_VAF("<0x0 (null)>", "%#x %s", 0, (char *)NULL);
	CHECK("<(null)>", "<%pV>", NULL);
	CHECK("(efault)", "%pV", (void *)8);
	check_nested("[{n=7 s=abc}]", "n=%d s=%s", 7, "abc");
}

static void test_pointer_escape(void **state)
{
	static const char s[] = "a\n\x01\\\"\xe9\x7f";

	(void)state;
	/* default: ESCAPE_ANY_NP -- printable (Latin-1 too) passes */
	CHECK("a\\n\\001\\\"\xe9\\177", "%*pE", 7, s);
	CHECK("a", "%pE", s);			/* 1 byte by default */
	CHECK("", "%*pE", 0, s);
	CHECK("(null)", "%*pE", 3, NULL);
	CHECK("\\x61\\x0a", "%*pEh", 2, s);	/* only hex: everything */
	CHECK("\\141\\012", "%*pEo", 2, s);
	CHECK("a\\n\x01", "%*pEs", 3, s);
	CHECK("\\\\\\\"", "%*pEc", 2, s + 3);
	CHECK("\\0x", "%*pEn", 2, "\0x");
	CHECK("\\n\\x01", "%*pEhs", 2, s + 1);
	CHECK("a\\x01", "%*pEhp", 2, "a\x01");
}

static void test_pointer_bitmap(void **state)
{
	static const unsigned long map[2] = { 0xf00000000000ff0fUL, 0x5UL };

	(void)state;
	CHECK("0000ff0f", "%*pb", 32, map);
	CHECK("00,0000ff0f", "%*pb", 40, map);	/* top chunk: 8 bits */
	CHECK("5,f0000000,0000ff0f", "%*pb", 67, map);
	CHECK("", "%*pb", 0, map);
	CHECK("0-3,8-15", "%*pbl", 32, map);
	CHECK("0-3,8-15,60-64,66", "%*pbl", 70, map);
	CHECK("0-2", "%*pbl", 3, map);
	CHECK("  (null)", "%*pbl", 8, NULL);	/* the width pads it */
}

static void test_pointer_misc(void **state)
{
	uint32_t cc = 0x34325241;		/* 'A' 'R' '2' '4' */
	uint32_t cc_be = 0x34325241u | 0x80000000u;
	uint32_t cc_odd = 0x00015241;

	(void)state;
	CHECK("AR24 little-endian (0x34325241)", "%p4cc", &cc);
	CHECK("AR24 big-endian (0xb4325241)", "%p4cc", &cc_be);
	CHECK("AR.. little-endian (0x00015241)", "%p4cc", &cc_odd);
	CHECK("(%p4?)", "%p4xx", &cc);
	CHECK("(null)", "%p4cc", NULL);
	CHECK("kernel", "%pks", "kernel");
	CHECK("  user", "%6pus", "user");
	CHECK("(null)", "%pks", NULL);
	CHECK("(einval)", "%pkx", "x");
	/* extensions for kernel objects kmodfs does not have */
	CHECK("(%pR?)", "%pR", (void *)0x1000);
	CHECK("(%pd?)", "%pd", (void *)0x1000);
	CHECK("(%pt?)", "%ptR", (void *)0x1000);
	CHECK("(%pG?)", "%pGp", (void *)0x1000);
}

static void test_kasprintf(void **state)
{
	char *p;

	(void)state;
	fake_kmalloc_fail = false;
	p = kasprintf(GFP_KERNEL, "%s-%d", "mod", 42);
	assert_non_null(p);
	assert_string_equal(p, "mod-42");
	assert_int_equal(fake_kmalloc_last_gfp, GFP_KERNEL);
	kfree(p);

	p = kasprintf(GFP_KERNEL | __GFP_ZERO, "%s", "");
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(fake_kmalloc_last_gfp, GFP_KERNEL | __GFP_ZERO);
	kfree(p);

	fake_kmalloc_fail = true;
	assert_null(kasprintf(GFP_KERNEL, "x"));
	fake_kmalloc_fail = false;
}

static char *kvas_helper(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	return p;
}

static void test_kvasprintf(void **state)
{
	char *p;

	(void)state;
	p = kvas_helper("%08.3d|%#x|%s", 5, 0, (char *)NULL);
	assert_non_null(p);
	assert_string_equal(p, "00000005|0x0|(null)");
	kfree(p);
}

static void test_sscanf_numbers(void **state)
{
	int a = 0, b = 0, c = 0;
	unsigned int u = 0;
	long l = 0;
	unsigned long ul = 0;
	long long ll = 0;
	unsigned long long ull = 0;
	short h = 0;
	unsigned short uh = 0;
	signed char hh = 0;
	unsigned char uhh = 0;
	size_t z = 0;

	(void)state;
	assert_int_equal(kernel_sscanf("12 -34", "%d %d", &a, &b), 2);
	assert_int_equal(a, 12);
	assert_int_equal(b, -34);
	assert_int_equal(kernel_sscanf("0x1f 010 9", "%i %i %i", &a, &b, &c),
			 3);
	assert_int_equal(a, 31);
	assert_int_equal(b, 8);
	assert_int_equal(c, 9);
	assert_int_equal(kernel_sscanf("-0x10", "%i", &a), 1);
	assert_int_equal(a, -16);
	assert_int_equal(kernel_sscanf("ff 0xFF", "%x %x", &a, &u), 2);
	assert_int_equal(a, 255);
	assert_int_equal(u, 255);
	assert_int_equal(kernel_sscanf("777", "%o", &u), 1);
	assert_int_equal(u, 0777);
	assert_int_equal(kernel_sscanf("4294967295", "%u", &u), 1);
	assert_int_equal(u, UINT_MAX);
	/* leading white space is skipped for numbers */
	assert_int_equal(kernel_sscanf("  \t 7", "%d", &a), 1);
	assert_int_equal(a, 7);

	assert_int_equal(kernel_sscanf("-1 65535 -9223372036854775808",
				       "%hd %hu %lld", &h, &uh, &ll), 3);
	assert_int_equal(h, -1);
	assert_int_equal(uh, 65535);
	assert_true(ll == LLONG_MIN);
	assert_int_equal(kernel_sscanf("-128 255 300", "%hhd %hhu %hhu", &hh,
				       &uhh, &uhh), 3);
	assert_int_equal(hh, -128);
	assert_int_equal(uhh, 300 & 0xff);	/* narrowing wraps */
	assert_int_equal(kernel_sscanf("-5 18446744073709551615 123",
				       "%ld %lu %zu", &l, &ul, &z), 3);
	assert_int_equal(l, -5);
	assert_true(ul == ULONG_MAX);
	assert_int_equal(z, 123);
	assert_int_equal(kernel_sscanf("18446744073709551615", "%llu", &ull),
			 1);
	assert_true(ull == ULLONG_MAX);
	assert_int_equal(kernel_sscanf("-2", "%Ld", &ll), 1);
	assert_int_equal(ll, -2);
}

static void test_sscanf_widths_and_stops(void **state)
{
	int a = 0, b = 0, n = -1;
	unsigned int u = 99;

	(void)state;
	assert_int_equal(kernel_sscanf("12345", "%2d%3d", &a, &b), 2);
	assert_int_equal(a, 12);
	assert_int_equal(b, 345);
	assert_int_equal(kernel_sscanf("0x1f", "%3i", &a), 1);
	assert_int_equal(a, 1);			/* "0x1" */
	/* a width that only covers "0x" converts nothing but consumes it */
	assert_int_equal(kernel_sscanf("0x1f", "%2i%d", &a, &b), 2);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(kernel_sscanf("-5", "%1d", &a), 0);
	assert_int_equal(kernel_sscanf("-56", "%2d", &a), 1);
	assert_int_equal(a, -5);

	/* no digit: the scan stops and earlier results stand */
	a = 77;
	assert_int_equal(kernel_sscanf("abc", "%d", &a), 0);
	assert_int_equal(a, 77);
	assert_int_equal(kernel_sscanf("1 x", "%d %d", &a, &b), 1);
	assert_int_equal(kernel_sscanf("-1", "%u", &u), 0);
	assert_int_equal(u, 99);
	assert_int_equal(kernel_sscanf("8", "%o", &u), 0);
	assert_int_equal(kernel_sscanf("", "%d", &a), 0);
	/* literals must match exactly */
	assert_int_equal(kernel_sscanf("1:2", "%d:%d", &a, &b), 2);
	assert_int_equal(kernel_sscanf("1-2", "%d:%d", &a, &b), 1);
	assert_int_equal(kernel_sscanf("50%", "%d%%", &a), 1);
	assert_int_equal(kernel_sscanf("5 6", "%d%n", &a, &n), 1);
	assert_int_equal(n, 1);
	n = -1;
	assert_int_equal(kernel_sscanf("ab  cd", "ab %n", &n), 0);
	assert_int_equal(n, 4);
	/* %* skips the rest of the token in both format and input */
	assert_int_equal(kernel_sscanf("skip 42", "%*s %d", &a), 1);
	assert_int_equal(a, 42);
	assert_int_equal(kernel_sscanf("1:2 3", "%*d:%d %d", &a, &b), 1);
	assert_int_equal(a, 3);
	/* unknown conversion ends the scan */
	assert_int_equal(kernel_sscanf("1 2", "%d %q %d", &a, &b), 1);
	assert_int_equal(kernel_sscanf("5", "%0d", &a), 0);
}

static void test_sscanf_strings(void **state)
{
	char s1[16], s2[16], c[4] = "xyz";
	int n = 0;

	(void)state;
	assert_int_equal(kernel_sscanf("  hello world", "%s %s", s1, s2), 2);
	assert_string_equal(s1, "hello");
	assert_string_equal(s2, "world");
	assert_int_equal(kernel_sscanf("abcdef", "%3s%s", s1, s2), 2);
	assert_string_equal(s1, "abc");
	assert_string_equal(s2, "def");
	/* %c takes white space and does not NUL-terminate */
	assert_int_equal(kernel_sscanf(" ab", "%c", c), 1);
	assert_memory_equal(c, " yz", 4);
	assert_int_equal(kernel_sscanf("abcd", "%3c", c), 1);
	assert_memory_equal(c, "abc", 4);
	/* %[ needs a width; no ranges; ^ negates */
	assert_int_equal(kernel_sscanf("00:0a:95", "%2[^:]:%2[^:]:%2[^:]", s1,
				       s2, c), 3);
	assert_string_equal(s1, "00");
	assert_string_equal(s2, "0a");
	assert_string_equal(c, "95");
	assert_int_equal(kernel_sscanf("aab", "%9[a]%n", s1, &n), 1);
	assert_string_equal(s1, "aa");
	assert_int_equal(n, 2);
	assert_int_equal(kernel_sscanf("aab", "%[a]", s1), 0);
	assert_int_equal(kernel_sscanf("bbb", "%9[a]", s1), 0);
	assert_int_equal(kernel_sscanf("a-z", "%9[a-]", s1), 1);
	assert_string_equal(s1, "a-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_length_modifiers),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_alternate_form),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_char),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_percent_and_invalid),
		cmocka_unit_test(test_truncation_and_returns),
		cmocka_unit_test(test_width_clamp),
		cmocka_unit_test(test_pointer_plain),
		cmocka_unit_test(test_pointer_err),
		cmocka_unit_test(test_errname),
		cmocka_unit_test(test_pointer_symbols),
		cmocka_unit_test(test_pointer_hex),
		cmocka_unit_test(test_pointer_mac),
		cmocka_unit_test(test_pointer_ip),
		cmocka_unit_test(test_pointer_uuid),
		cmocka_unit_test(test_pointer_addr),
		cmocka_unit_test(test_pointer_va_format),
		cmocka_unit_test(test_pointer_escape),
		cmocka_unit_test(test_pointer_bitmap),
		cmocka_unit_test(test_pointer_misc),
		cmocka_unit_test(test_kasprintf),
		cmocka_unit_test(test_kvasprintf),
		cmocka_unit_test(test_sscanf_numbers),
		cmocka_unit_test(test_sscanf_widths_and_stops),
		cmocka_unit_test(test_sscanf_strings),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
