// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kstrto*() and simple_strto*() with Linux 6.1 lib/kstrtox.c semantics.
 *
 * kstrto*() is strict, because parameter and sysfs writes go through it
 * and must reject what Linux rejects: one optional leading '+' (or '-'
 * for the signed ones), digits in the base, at most one trailing '\n',
 * nothing else -- no spaces, no "0x" without a digit.  Overflow of the
 * target type is -ERANGE, any other problem -EINVAL, and *res is written
 * only on success.
 *
 * simple_strto*() is the old lenient parser: it stops at the first
 * non-digit, reports where through endp, and silently wraps on overflow.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>

#include "kernel/export.h"
#include "kernel/kstrtox.h"

#define PARSE_OVERFLOW (1u << 31)

/*
 * Base 0 picks 16 for "0x" followed by a hex digit, 8 for any other
 * leading 0, else 10.  Base 16 skips an optional "0x" (even one with no
 * digit after it, which then parses nothing).
 */
static const char *fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] != '0')
			*base = 10;
		else if ((s[1] | 0x20) == 'x' &&
			 ((s[2] >= '0' && s[2] <= '9') ||
			  ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f')))
			*base = 16;
		else
			*base = 8;
	}
	if (*base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	return s;
}

static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (unsigned int)((c | 0x20) - 'a' + 10);
	return 16;
}

/*
 * Digits of s in base, at most max of them.  Returns how many were used,
 * with PARSE_OVERFLOW or-ed in if the value left 64 bits; *res then holds
 * the wrapped value, which simple_strto*() returns as Linux does.
 */
static unsigned int parse_digits(const char *s, unsigned int base,
				 size_t max, unsigned long long *res)
{
	unsigned long long v = 0;
	unsigned int n = 0, overflow = 0, d;

	while (max-- && (d = digit_value(s[n])) < base) {
		if (v > (ULLONG_MAX - d) / base)
			overflow = PARSE_OVERFLOW;
		v = v * base + d;
		n++;
	}
	*res = v;
	return n | overflow;
}

/* The strict core: no sign, optional radix prefix, digits, one '\n'. */
static int strict_ull(const char *s, unsigned int base,
		      unsigned long long *res)
{
	unsigned long long v;
	unsigned int rv;

	s = fixup_radix(s, &base);
	rv = parse_digits(s, base, INT_MAX, &v);
	/* overflow wins over trailing junk, as in Linux */
	if (rv & PARSE_OVERFLOW)
		return -ERANGE;
	if (rv == 0)
		return -EINVAL;
	s += rv;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

KAPI int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return strict_ull(s, base, res);
}
KEXPORT(kstrtoull);

KAPI int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int rv;

	if (s[0] == '-') {
		rv = strict_ull(s + 1, base, &v);
		if (rv)
			return rv;
		/* the magnitude may reach 2^63 (LLONG_MIN), not beyond */
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = (long long)(0 - v);
		return 0;
	}
	rv = kstrtoull(s, base, &v);
	if (rv)
		return rv;
	if (v > LLONG_MAX)
		return -ERANGE;
	*res = (long long)v;
	return 0;
}
KEXPORT(kstrtoll);

/*
 * The narrower types parse at full width and then range-check, so "256"
 * into a u8 is -ERANGE while "256x" is still -EINVAL.
 */
#define KSTRTO_UNSIGNED(name, type, max)                                       \
	KAPI int name(const char *s, unsigned int base, type *res)            \
	{                                                                      \
		unsigned long long v;                                          \
		int rv = kstrtoull(s, base, &v);                               \
                                                                               \
		if (rv)                                                        \
			return rv;                                             \
		if (v > (max))                                                 \
			return -ERANGE;                                        \
		*res = (type)v;                                                \
		return 0;                                                      \
	}                                                                      \
	KEXPORT(name)

#define KSTRTO_SIGNED(name, type, min, max)                                    \
	KAPI int name(const char *s, unsigned int base, type *res)            \
	{                                                                      \
		long long v;                                                   \
		int rv = kstrtoll(s, base, &v);                                \
                                                                               \
		if (rv)                                                        \
			return rv;                                             \
		if (v < (min) || v > (max))                                    \
			return -ERANGE;                                        \
		*res = (type)v;                                                \
		return 0;                                                      \
	}                                                                      \
	KEXPORT(name)

/* _kstrtoul/_kstrtol: what the kstrtoul()/kstrtol() inlines call. */
KSTRTO_UNSIGNED(_kstrtoul, unsigned long, ULONG_MAX);
KSTRTO_SIGNED(_kstrtol, long, LONG_MIN, LONG_MAX);
KSTRTO_UNSIGNED(kstrtouint, unsigned int, UINT_MAX);
KSTRTO_SIGNED(kstrtoint, int, INT_MIN, INT_MAX);
KSTRTO_UNSIGNED(kstrtou16, uint16_t, UINT16_MAX);
KSTRTO_SIGNED(kstrtos16, int16_t, INT16_MIN, INT16_MAX);
KSTRTO_UNSIGNED(kstrtou8, uint8_t, UINT8_MAX);
KSTRTO_SIGNED(kstrtos8, int8_t, INT8_MIN, INT8_MAX);

/*
 * Only the first one or two characters count (facts §9): y/Y/t/T/1 and
 * "on" are true, n/N/f/F/0 and "of" are false, so "yes", "1000" and
 * "offline" are all accepted; anything else, "" included, is -EINVAL.
 */
KAPI int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if ((s[1] | 0x20) == 'n') {
			*res = true;
			return 0;
		}
		if ((s[1] | 0x20) == 'f') {
			*res = false;
			return 0;
		}
		break;
	default:
		break;
	}
	return -EINVAL;
}
KEXPORT(kstrtobool);

/* No sign handling and no whitespace skipping: cp must start with digits. */
KAPI unsigned long long simple_strtoull(const char *cp, char **endp,
					unsigned int base)
{
	unsigned long long v;

	cp = fixup_radix(cp, &base);
	cp += parse_digits(cp, base, INT_MAX, &v) & ~PARSE_OVERFLOW;
	if (endp)
		*endp = (char *)(uintptr_t)cp;	/* strtol's contract */
	return v;
}
KEXPORT(simple_strtoull);

KAPI unsigned long simple_strtoul(const char *cp, char **endp,
				  unsigned int base)
{
	return simple_strtoull(cp, endp, base);
}
KEXPORT(simple_strtoul);

/* A single '-' is honoured and the magnitude negated with wraparound. */
KAPI long long simple_strtoll(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-')
		return (long long)(0 - simple_strtoull(cp + 1, endp, base));
	return (long long)simple_strtoull(cp, endp, base);
}
KEXPORT(simple_strtoll);

KAPI long simple_strtol(const char *cp, char **endp, unsigned int base)
{
	return (long)simple_strtoll(cp, endp, base);
}
KEXPORT(simple_strtol);
