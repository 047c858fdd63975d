// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for src/kernel/kstrtox.c: kstrto*() boundaries for every
 * width, signs, radix prefixes, the one-newline rule, error precedence,
 * kstrtobool's full table, and simple_strto*().
 *
 * Link with: kstrtox.c (-lcmocka).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/kstrtox.h"

/*
 * One macro per result type: parse s, expect rc, and on success expect
 * val; on failure the destination must keep its sentinel, since Linux
 * writes *res only on success.
 */
#define EXPECT(fn, type, sentinel, s, base, rc, val)                           \
	do {                                                                   \
		type r_ = (sentinel);                                          \
		assert_int_equal(fn((s), (base), &r_), (rc));                  \
		if ((rc) == 0)                                                 \
			assert_true(r_ == (type)(val));                        \
		else                                                           \
			assert_true(r_ == (type)(sentinel));                   \
	} while (0)

#define ULL(s, b, rc, v) EXPECT(kstrtoull, unsigned long long, 77, s, b, rc, v)
#define LL(s, b, rc, v) EXPECT(kstrtoll, long long, 77, s, b, rc, v)
#define UL(s, b, rc, v) EXPECT(_kstrtoul, unsigned long, 77, s, b, rc, v)
#define L(s, b, rc, v) EXPECT(_kstrtol, long, 77, s, b, rc, v)
#define UINT(s, b, rc, v) EXPECT(kstrtouint, unsigned int, 77, s, b, rc, v)
#define INT(s, b, rc, v) EXPECT(kstrtoint, int, 77, s, b, rc, v)
#define U16(s, b, rc, v) EXPECT(kstrtou16, uint16_t, 77, s, b, rc, v)
#define S16(s, b, rc, v) EXPECT(kstrtos16, int16_t, 77, s, b, rc, v)
#define U8(s, b, rc, v) EXPECT(kstrtou8, uint8_t, 77, s, b, rc, v)
#define S8(s, b, rc, v) EXPECT(kstrtos8, int8_t, 77, s, b, rc, v)

static void test_unsigned_bounds(void **state)
{
	(void)state;
	U8("0", 0, 0, 0);
	U8("255", 0, 0, 255);
	U8("256", 0, -ERANGE, 0);
	U8("0xff", 0, 0, 255);
	U8("0x100", 0, -ERANGE, 0);
	U16("65535", 0, 0, 65535);
	U16("65536", 0, -ERANGE, 0);
	UINT("4294967295", 0, 0, UINT_MAX);
	UINT("4294967296", 0, -ERANGE, 0);
	UINT("0xffffffff", 16, 0, UINT_MAX);
	UL("18446744073709551615", 0, 0, ULONG_MAX);
	UL("18446744073709551616", 0, -ERANGE, 0);
	ULL("18446744073709551615", 10, 0, ULLONG_MAX);
	ULL("18446744073709551616", 10, -ERANGE, 0);
	ULL("99999999999999999999", 10, -ERANGE, 0);
	ULL("ffffffffffffffff", 16, 0, ULLONG_MAX);
	ULL("10000000000000000", 16, -ERANGE, 0);
	ULL("1777777777777777777777", 8, 0, ULLONG_MAX);
	ULL("2000000000000000000000", 8, -ERANGE, 0);
	ULL("00000000000000000000000000042", 10, 0, 42);
}

static void test_signed_bounds(void **state)
{
	(void)state;
	S8("127", 0, 0, 127);
	S8("128", 0, -ERANGE, 0);
	S8("-128", 0, 0, -128);
	S8("-129", 0, -ERANGE, 0);
	S16("32767", 0, 0, 32767);
	S16("32768", 0, -ERANGE, 0);
	S16("-32768", 0, 0, -32768);
	S16("-32769", 0, -ERANGE, 0);
	INT("2147483647", 0, 0, INT_MAX);
	INT("2147483648", 0, -ERANGE, 0);
	INT("-2147483648", 0, 0, INT_MIN);
	INT("-2147483649", 0, -ERANGE, 0);
	L("9223372036854775807", 0, 0, LONG_MAX);
	L("9223372036854775808", 0, -ERANGE, 0);
	L("-9223372036854775808", 0, 0, LONG_MIN);
	L("-9223372036854775809", 0, -ERANGE, 0);
	LL("9223372036854775807", 10, 0, LLONG_MAX);
	LL("9223372036854775808", 10, -ERANGE, 0);
	LL("-9223372036854775808", 10, 0, LLONG_MIN);
	LL("-9223372036854775809", 10, -ERANGE, 0);
	LL("-18446744073709551615", 10, -ERANGE, 0);
	LL("-18446744073709551616", 10, -ERANGE, 0);
	LL("-0x8000000000000000", 0, 0, LLONG_MIN);
	LL("0x8000000000000000", 0, -ERANGE, 0);
	INT("-0x80000000", 0, 0, INT_MIN);
	INT("-020000000000", 0, 0, INT_MIN);
}

static void test_signs(void **state)
{
	(void)state;
	/* one '+' for everything, '-' for signed ones only */
	U8("+7", 0, 0, 7);
	UINT("+0x10", 0, 0, 16);
	ULL("+18446744073709551615", 0, 0, ULLONG_MAX);
	INT("+7", 0, 0, 7);
	S8("+127", 0, 0, 127);
	LL("+9223372036854775807", 0, 0, LLONG_MAX);
	U8("-1", 0, -EINVAL, 0);
	U16("-0", 0, -EINVAL, 0);
	UINT("-1", 0, -EINVAL, 0);
	UL("-1", 0, -EINVAL, 0);
	ULL("-1", 0, -EINVAL, 0);
	INT("-0", 0, 0, 0);
	S8("-0", 0, 0, 0);
	INT("-7", 0, 0, -7);
	INT("++7", 0, -EINVAL, 0);
	INT("+-7", 0, -EINVAL, 0);
	INT("-+7", 0, -EINVAL, 0);
	INT("--7", 0, -EINVAL, 0);
	INT("+", 0, -EINVAL, 0);
	INT("-", 0, -EINVAL, 0);
	UINT("+", 0, -EINVAL, 0);
	/* the radix prefix comes after the sign */
	INT("-0x10", 0, 0, -16);
	INT("0x-10", 0, -EINVAL, 0);
}

static void test_radix(void **state)
{
	(void)state;
	UINT("0x1f", 0, 0, 31);
	UINT("0X1F", 0, 0, 31);
	UINT("0x1F", 0, 0, 31);
	UINT("017", 0, 0, 15);
	UINT("0", 0, 0, 0);
	UINT("00", 0, 0, 0);
	UINT("08", 0, -EINVAL, 0);	/* octal, and 8 is not a digit */
	UINT("19", 8, -EINVAL, 0);
	UINT("17", 8, 0, 15);
	UINT("0x", 0, -EINVAL, 0);	/* "0x" without a digit */
	UINT("0x\n", 0, -EINVAL, 0);
	UINT("0xg", 0, -EINVAL, 0);
	UINT("0x", 16, -EINVAL, 0);
	UINT("0x10", 16, 0, 16);
	UINT("1f", 16, 0, 31);
	UINT("1F", 16, 0, 31);
	UINT("0x10", 10, -EINVAL, 0);
	UINT("010", 10, 0, 10);		/* explicit base: no octal */
	UINT("0x10", 8, -EINVAL, 0);
	UINT("a", 10, -EINVAL, 0);
	UINT("101", 2, 0, 5);
	UINT("123", 10, 0, 123);
}

static void test_framing(void **state)
{
	(void)state;
	/* exactly one trailing newline, nothing else around the number */
	UINT("42\n", 0, 0, 42);
	INT("-42\n", 0, 0, -42);
	UINT("0x2a\n", 0, 0, 42);
	UINT("42\n\n", 0, -EINVAL, 0);
	UINT("42\r\n", 0, -EINVAL, 0);
	UINT("42 ", 0, -EINVAL, 0);
	UINT(" 42", 0, -EINVAL, 0);
	UINT("\t42", 0, -EINVAL, 0);
	UINT("\n42", 0, -EINVAL, 0);
	UINT("42x", 0, -EINVAL, 0);
	UINT("4 2", 0, -EINVAL, 0);
	UINT("", 0, -EINVAL, 0);
	UINT("\n", 0, -EINVAL, 0);
	INT("", 0, -EINVAL, 0);
	ULL("", 16, -EINVAL, 0);
	U8("1e3", 0, -EINVAL, 0);
	/* overflow is reported before the junk that follows it */
	ULL("99999999999999999999x", 0, -ERANGE, 0);
	U8("256x", 0, -EINVAL, 0);	/* fits u64: the junk decides */
	U8("256\n", 0, -ERANGE, 0);
}

static void test_kstrtobool(void **state)
{
	static const char *const yes[] = { "y", "Y", "t", "T", "1", "on",
		"ON", "On", "oN", "yes", "Yes", "true", "1000", "10", "y\n",
		"onion", "t?" };
	static const char *const no[] = { "n", "N", "f", "F", "0", "of",
		"OF", "oF", "Of", "off", "offline", "no", "false", "0x1",
		"n\n", "00" };
	static const char *const bad[] = { "", "o", "O", "ox", "o\n", "2",
		"-1", " y", "\ny", "\n", "x", "enable", "disable", "+1",
		"o n" };
	bool r;

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		r = false;
		assert_int_equal(kstrtobool(yes[i], &r), 0);
		assert_true(r);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		r = true;
		assert_int_equal(kstrtobool(no[i], &r), 0);
		assert_false(r);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = true;
		assert_int_equal(kstrtobool(bad[i], &r), -EINVAL);
		assert_true(r);		/* untouched */
		r = false;
		assert_int_equal(kstrtobool(bad[i], &r), -EINVAL);
		assert_false(r);
	}
	assert_int_equal(kstrtobool(NULL, &r), -EINVAL);

	/* Exhaustively: only these first characters are accepted alone. */
	for (int c = 1; c < 256; c++) {
		char s[3] = { (char)c, 'x', '\0' };
		int rc = kstrtobool(s, &r);

		if (strchr("yYtT1nNfF0", c))
			assert_int_equal(rc, 0);
		else
			assert_int_equal(rc, -EINVAL);
	}
	/* and after 'o'/'O' only n/N/f/F */
	for (int c = 0; c < 256; c++) {
		char s[3] = { 'o', (char)c, '\0' };
		int rc = kstrtobool(s, &r);

		if (c && strchr("nNfF", c))
			assert_int_equal(rc, 0);
		else
			assert_int_equal(rc, -EINVAL);
		s[0] = 'O';
		assert_int_equal(kstrtobool(s, &r), rc);
	}
}

static void test_simple_strtoull(void **state)
{
	const char *s;
	char *end;

	(void)state;
	s = "123abc";
	assert_true(simple_strtoull(s, &end, 10) == 123);
	assert_ptr_equal(end, s + 3);
	s = "0x1fz";
	assert_true(simple_strtoull(s, &end, 0) == 31);
	assert_ptr_equal(end, s + 4);
	assert_true(simple_strtoull(s, &end, 16) == 31);
	assert_ptr_equal(end, s + 4);
	s = "0778";
	assert_true(simple_strtoull(s, &end, 0) == 077);
	assert_ptr_equal(end, s + 3);
	/* base 0 needs a hex digit after 0x; base 16 skips a bare "0x" */
	s = "0xg";
	assert_true(simple_strtoull(s, &end, 0) == 0);
	assert_ptr_equal(end, s + 1);
	assert_true(simple_strtoull(s, &end, 16) == 0);
	assert_ptr_equal(end, s + 2);
	/* no sign, no white space: nothing parsed, end == start */
	s = "+5";
	assert_true(simple_strtoull(s, &end, 10) == 0);
	assert_ptr_equal(end, s);
	s = " 5";
	assert_true(simple_strtoull(s, &end, 10) == 0);
	assert_ptr_equal(end, s);
	s = "";
	assert_true(simple_strtoull(s, &end, 0) == 0);
	assert_ptr_equal(end, s);
	/* overflow wraps silently and consumes every digit */
	s = "18446744073709551616!";
	assert_true(simple_strtoull(s, &end, 10) == 0);
	assert_ptr_equal(end, s + 20);
	assert_true(simple_strtoull("18446744073709551615", NULL, 10) ==
		    ULLONG_MAX);
	assert_true(simple_strtoul("4294967296", NULL, 10) == 4294967296UL);
}

static void test_simple_strtol(void **state)
{
	const char *s;
	char *end;

	(void)state;
	s = "-12x";
	assert_int_equal(simple_strtol(s, &end, 10), -12);
	assert_ptr_equal(end, s + 3);
	assert_true(simple_strtoll(s, &end, 10) == -12);
	assert_true(simple_strtoll("-0x10", NULL, 0) == -16);
	assert_true(simple_strtoll("-9223372036854775808", NULL, 10) ==
		    LLONG_MIN);
	assert_true(simple_strtol("9223372036854775808", NULL, 10) ==
		    LONG_MIN);		/* wraps */
	/* only one '-' and no '+' */
	s = "--1";
	assert_int_equal(simple_strtol(s, &end, 10), 0);
	assert_ptr_equal(end, s + 1);
	s = "+1";
	assert_int_equal(simple_strtol(s, &end, 10), 0);
	assert_ptr_equal(end, s);
	/* unsigned parsers do not understand '-' */
	s = "-1";
	assert_true(simple_strtoul(s, &end, 10) == 0);
	assert_ptr_equal(end, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsigned_bounds),
		cmocka_unit_test(test_signed_bounds),
		cmocka_unit_test(test_signs),
		cmocka_unit_test(test_radix),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_kstrtobool),
		cmocka_unit_test(test_simple_strtoull),
		cmocka_unit_test(test_simple_strtol),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
