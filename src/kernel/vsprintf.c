// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's printf family (vsnprintf and friends, kasprintf, vsscanf)
 * with Linux 6.1 lib/vsprintf.c semantics.  The %p extensions that
 * modules use are in vsprintf_pointer.c.
 *
 * Nothing here calls libc's printf: the kernel's output differs from
 * glibc's in many corners that modules (and sysfs getters) depend on --
 * "%#x" of 0 is "0x0", "%.0d" of 0 is "0", '0' padding survives a
 * precision, "%.*s" with a negative precision prints nothing, bad %s
 * pointers print "(null)"/"(efault)", %n stops the output -- and %p has
 * its own sub-language.
 *
 * Output goes through struct out (see vsprintf_internal.h), which makes
 * the "would-be length" return value of vsnprintf free.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "kernel/export.h"
#include "kernel/vsprintf.h"
#include "kernel/vsprintf_internal.h"

/* Linux keeps width in 24 and precision in 16 signed bits and clamps. */
#define FIELD_WIDTH_MAX ((1 << 23) - 1)
#define PRECISION_MAX ((1 << 15) - 1)

/*
 * Linux's <linux/ctype.h> classes differ from the C locale's: the upper
 * half is Latin-1 (letters, printable, and 0xa0 is a space).  They decide
 * where a %p suffix ends and what vsscanf skips; k_isprint(), which
 * decides what %pE escapes, is in vsprintf_pointer.c.
 */
static bool k_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool k_isxdigit(unsigned char c)
{
	return k_isdigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool k_isalnum(unsigned char c)
{
	return k_isdigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

static bool k_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static const char *skip_spaces(const char *s)
{
	while (k_isspace((unsigned char)*s))
		s++;
	return s;
}

/* Decimal digits at *s, saturating at max rather than overflowing. */
static int read_num(const char **s, int max)
{
	int v = 0;

	while (k_isdigit((unsigned char)**s)) {
		int d = *(*s)++ - '0';

		v = v > (max - d) / 10 ? max : v * 10 + d;
	}
	return v;
}

/*
 * An integer with Linux's rules.  Differences from C99 that are kept on
 * purpose: the "0x" of '#' is printed (and counts in the width) even for
 * 0; '0' padding still applies when a precision is given; a precision of
 * 0 still prints the digit of 0.
 */
void vsp_number(struct out *o, unsigned long long num, struct spec sp)
{
	char digits[24];	/* 2^64 takes 22 octal digits */
	const char *set = (sp.flags & SMALL) ? hex_lo : hex_up;
	bool prefix = (sp.flags & SPECIAL) && sp.base != 10;
	long width = sp.width, prec = sp.prec;
	int n = 0;
	char sign = 0;

	if (sp.flags & LEFT)
		sp.flags &= ~ZEROPAD;
	if (sp.flags & SIGN) {
		if ((long long)num < 0) {
			sign = '-';
			num = 0 - num;	/* unsigned: LLONG_MIN is fine */
		} else if (sp.flags & PLUS) {
			sign = '+';
		} else if (sp.flags & SPACE) {
			sign = ' ';
		}
	}
	if (sign)
		width--;
	/* Octal's leading 0 would duplicate the digit of 0 itself. */
	if (prefix && sp.base == 8 && num == 0)
		prefix = false;
	if (prefix)
		width -= sp.base == 16 ? 2 : 1;

	do {
		digits[n++] = set[num % sp.base];
		num /= sp.base;
	} while (num);
	if (prec < n)
		prec = n;
	width -= prec;

	if (!(sp.flags & (ZEROPAD | LEFT))) {
		fill(o, ' ', width);
		width = 0;
	}
	if (sign)
		put(o, sign);
	if (prefix) {
		put(o, '0');
		if (sp.base == 16)
			put(o, (sp.flags & SMALL) ? 'x' : 'X');
	}
	if (!(sp.flags & LEFT)) {
		fill(o, (sp.flags & ZEROPAD) ? '0' : ' ', width);
		width = 0;
	}
	fill(o, '0', prec - n);
	while (n)
		put(o, digits[--n]);
	fill(o, ' ', width);
}

static unsigned int flag_bit(char c)
{
	switch (c) {
	case '-': return LEFT;
	case '+': return PLUS;
	case ' ': return SPACE;
	case '#': return SPECIAL;
	case '0': return ZEROPAD;
	default: return 0;
	}
}

KAPI int kernel_vsnprintf(char *buf, size_t size, const char *fmt,
			  va_list args)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	/* Linux warns and refuses: such a size is a caller's bug */
	if (size > INT_MAX)
		return 0;
	va_copy(ap, args);

	while (*fmt) {
		struct spec sp = plain_spec;
		const char *lit = fmt;
		unsigned long long num;
		unsigned int f;
		char qual = 0;
		bool sgn;

		while (*fmt && *fmt != '%')
			fmt++;
		if (fmt != lit) {
			put_mem(&o, lit, (size_t)(fmt - lit));
			continue;
		}

		while ((f = flag_bit(*++fmt)))
			sp.flags |= f;

		if (k_isdigit((unsigned char)*fmt)) {
			sp.width = read_num(&fmt, FIELD_WIDTH_MAX);
		} else if (*fmt == '*') {
			int w = va_arg(ap, int);

			fmt++;
			w = w < -FIELD_WIDTH_MAX ? -FIELD_WIDTH_MAX :
			    w > FIELD_WIDTH_MAX ? FIELD_WIDTH_MAX : w;
			if (w < 0) {
				sp.flags |= LEFT;
				w = -w;
			}
			sp.width = w;
		}

		/* unlike C99, a bare '.' leaves the precision unset */
		if (*fmt == '.') {
			fmt++;
			if (k_isdigit((unsigned char)*fmt)) {
				sp.prec = read_num(&fmt, PRECISION_MAX);
			} else if (*fmt == '*') {
				int p = va_arg(ap, int);

				fmt++;
				/* unlike C99, negative means 0, not "none" */
				sp.prec = p < 0 ? 0 :
					  p > PRECISION_MAX ? PRECISION_MAX : p;
			}
		}

		if (*fmt && strchr("hlLztj", *fmt)) {
			qual = *fmt++;
			if (qual == *fmt && (qual == 'h' || qual == 'l')) {
				qual = qual == 'h' ? 'H' : 'L';
				fmt++;
			}
		}

		switch (*fmt) {
		case 'c':
			fmt++;
			if (!(sp.flags & LEFT))
				fill(&o, ' ', sp.width - 1L);
			put(&o, (char)(unsigned char)va_arg(ap, int));
			if (sp.flags & LEFT)
				fill(&o, ' ', sp.width - 1L);
			continue;
		case 's':
			fmt++;
			string(&o, va_arg(ap, const char *), sp);
			continue;
		case 'p':
			fmt++;
			vsp_pointer(&o, fmt, va_arg(ap, void *), sp);
			while (k_isalnum((unsigned char)*fmt))
				fmt++;
			continue;
		case '%':
			fmt++;
			put(&o, '%');
			continue;
		case 'o':
			sp.base = 8;
			break;
		case 'x':
			sp.flags |= SMALL;
			__attribute__((fallthrough));
		case 'X':
			sp.base = 16;
			break;
		case 'd':
		case 'i':
			sp.flags |= SIGN;
			break;
		case 'u':
			break;
		default:
			/*
			 * %n and anything unknown: Linux stops here, since the
			 * remaining conversions would read the wrong arguments.
			 */
			goto out;
		}
		fmt++;

		sgn = sp.flags & SIGN;
		switch (qual) {
		case 'L':
		case 'j':
			num = va_arg(ap, unsigned long long);
			break;
		case 'l':
			num = va_arg(ap, unsigned long);
			break;
		case 'z':
			num = va_arg(ap, size_t);
			break;
		case 't':
			num = (unsigned long long)va_arg(ap, ptrdiff_t);
			break;
		case 'H': {
			int v = va_arg(ap, int);

			num = sgn ? (unsigned long long)(signed char)v
				  : (unsigned char)v;
			break;
		}
		case 'h': {
			int v = va_arg(ap, int);

			num = sgn ? (unsigned long long)(short)v
				  : (unsigned short)v;
			break;
		}
		default:
			num = sgn ? (unsigned long long)va_arg(ap, int)
				  : va_arg(ap, unsigned int);
			break;
		}
		vsp_number(&o, num, sp);
	}
out:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT_MAX ? INT_MAX : (int)o.len;
}
KEXPORT_AS("vsnprintf", kernel_vsnprintf);

KAPI int kernel_vscnprintf(char *buf, size_t size, const char *fmt,
			   va_list args)
{
	int n = kernel_vsnprintf(buf, size, fmt, args);

	if ((size_t)n < size)
		return n;
	return size ? (int)size - 1 : 0;
}
KEXPORT_AS("vscnprintf", kernel_vscnprintf);

KAPI int kernel_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kernel_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
KEXPORT_AS("snprintf", kernel_snprintf);

KAPI int kernel_scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kernel_vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
KEXPORT_AS("scnprintf", kernel_scnprintf);

KAPI int kernel_vsprintf(char *buf, const char *fmt, va_list args)
{
	return kernel_vsnprintf(buf, INT_MAX, fmt, args);
}
KEXPORT_AS("vsprintf", kernel_vsprintf);

KAPI int kernel_sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kernel_vsnprintf(buf, INT_MAX, fmt, ap);
	va_end(ap);
	return n;
}
KEXPORT_AS("sprintf", kernel_sprintf);

KAPI char *kvasprintf(gfp_t gfp, const char *fmt, va_list args)
{
	va_list aq;
	char *p;
	int n;

	/* measure on a copy: args is consumed by the second pass */
	va_copy(aq, args);
	n = kernel_vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);

	p = __kmalloc((size_t)n + 1, gfp);
	if (p)
		kernel_vsnprintf(p, (size_t)n + 1, fmt, args);
	return p;
}
KEXPORT(kvasprintf);

KAPI char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return p;
}
KEXPORT(kasprintf);

static unsigned int digit_value(char c)
{
	if (k_isdigit((unsigned char)c))
		return (unsigned int)(c - '0');
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (unsigned int)((c | 0x20) - 'a' + 10);
	return 16;
}

/*
 * simple_strntoull(): simple_strtoull() reading at most max characters,
 * so that a vsscanf field width can end a number.  When the width only
 * covers a "0x" prefix nothing is converted and the prefix is skipped.
 */
static unsigned long long scan_ull(const char *s, size_t max,
				   const char **endp, unsigned int base)
{
	const char *p = s;
	unsigned long long v = 0;
	unsigned int d;

	if (base == 0)
		base = s[0] != '0' ? 10 :
		       (s[1] | 0x20) == 'x' && k_isxdigit((unsigned char)s[2])
			       ? 16 : 8;
	if (base == 16 && p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	if ((size_t)(p - s) >= max) {
		*endp = s + max;
		return 0;
	}
	max -= (size_t)(p - s);
	while (max-- && (d = digit_value(*p)) < base) {
		v = v * base + d;	/* wraps like Linux's; no error path */
		p++;
	}
	*endp = p;
	return v;
}

static long long scan_ll(const char *s, size_t max, const char **endp,
			 unsigned int base)
{
	if (*s == '-' && max > 0)
		return (long long)(0 - scan_ull(s + 1, max - 1, endp, base));
	return (long long)scan_ull(s, max, endp, base);
}

/*
 * Linux's vsscanf, quirks included: "%*" skips to the next white space in
 * both strings, %s/%c/%[ do not count towards a failed match, %[ needs a
 * width and has no ranges, and a number conversion that sees no digit
 * ends the scan.
 */
KAPI int kernel_vsscanf(const char *buf, const char *fmt, va_list args)
{
	const char *str = buf;
	int num = 0;
	va_list ap;

	va_copy(ap, args);
	while (*fmt) {
		unsigned long long v;
		const char *next;
		size_t max;
		unsigned int base = 10;
		bool sgn = false;
		char qual = 0, d;
		int width = -1;

		if (k_isspace((unsigned char)*fmt)) {
			fmt = skip_spaces(fmt + 1);
			str = skip_spaces(str);
		}
		if (*fmt != '%' && *fmt) {
			if (*fmt++ != *str++)
				break;
			continue;
		}
		if (!*fmt)
			break;
		fmt++;

		if (*fmt == '*') {
			if (!*str)
				break;
			for (; *fmt && *fmt != '%' &&
			       !k_isspace((unsigned char)*fmt); fmt++)
				if (*fmt == '[')	/* "%*[" unsupported */
					goto done;
			while (*str && !k_isspace((unsigned char)*str))
				str++;
			continue;
		}

		if (k_isdigit((unsigned char)*fmt)) {
			width = read_num(&fmt, SHRT_MAX);
			if (width <= 0)
				break;
		}
		if (*fmt && strchr("hlLz", *fmt)) {
			qual = *fmt++;
			if (qual == *fmt && (qual == 'h' || qual == 'l')) {
				qual = qual == 'h' ? 'H' : 'L';
				fmt++;
			}
		}
		if (!*fmt)
			break;
		if (*fmt == 'n') {
			*va_arg(ap, int *) = (int)(str - buf);
			fmt++;
			continue;
		}
		if (!*str)
			break;

		switch (*fmt++) {
		case 'c': {
			char *s = va_arg(ap, char *);

			if (width == -1)
				width = 1;
			do {
				*s++ = *str++;
			} while (--width > 0 && *str);
			num++;
			continue;
		}
		case 's': {
			char *s = va_arg(ap, char *);

			if (width == -1)
				width = SHRT_MAX;
			str = skip_spaces(str);
			while (*str && !k_isspace((unsigned char)*str) &&
			       width--)
				*s++ = *str++;
			*s = '\0';
			num++;
			continue;
		}
		case '[': {
			char *s = va_arg(ap, char *);
			bool set[256] = { false };
			bool neg = *fmt == '^';
			int members = 0;

			if (width == -1)
				goto done;
			if (neg)
				fmt++;
			for (; *fmt && *fmt != ']'; fmt++, members++)
				set[(unsigned char)*fmt] = true;
			if (!*fmt || !members)
				goto done;
			fmt++;
			if (neg) {
				for (int i = 0; i < 256; i++)
					set[i] = !set[i];
				set[0] = false;
			}
			if (!set[(unsigned char)*str])
				goto done;
			while (set[(unsigned char)*str] && width--)
				*s++ = *str++;
			*s = '\0';
			num++;
			continue;
		}
		case 'o':
			base = 8;
			break;
		case 'x':
		case 'X':
			base = 16;
			break;
		case 'i':
			base = 0;
			__attribute__((fallthrough));
		case 'd':
			sgn = true;
			break;
		case 'u':
			break;
		case '%':
			if (*str++ != '%')
				goto done;
			continue;
		default:
			goto done;
		}

		str = skip_spaces(str);
		d = *str;
		if (sgn && d == '-') {
			if (width == 1)
				break;
			d = str[1];
		}
		if (!d || (base == 16 && !k_isxdigit((unsigned char)d)) ||
		    ((base == 10 || base == 0) &&
		     !k_isdigit((unsigned char)d)) ||
		    (base == 8 && (d < '0' || d > '7')))
			break;

		max = width >= 0 ? (size_t)width : INT_MAX;
		if (sgn)
			v = (unsigned long long)scan_ll(str, max, &next, base);
		else
			v = scan_ull(str, max, &next, base);

		/* narrowing conversions wrap, as in Linux */
		switch (qual) {
		case 'H':
			if (sgn)
				*va_arg(ap, signed char *) = (signed char)v;
			else
				*va_arg(ap, unsigned char *) = (unsigned char)v;
			break;
		case 'h':
			if (sgn)
				*va_arg(ap, short *) = (short)v;
			else
				*va_arg(ap, unsigned short *) =
					(unsigned short)v;
			break;
		case 'l':
			if (sgn)
				*va_arg(ap, long *) = (long)v;
			else
				*va_arg(ap, unsigned long *) = (unsigned long)v;
			break;
		case 'L':
			if (sgn)
				*va_arg(ap, long long *) = (long long)v;
			else
				*va_arg(ap, unsigned long long *) = v;
			break;
		case 'z':
			*va_arg(ap, size_t *) = (size_t)v;
			break;
		default:
			if (sgn)
				*va_arg(ap, int *) = (int)v;
			else
				*va_arg(ap, unsigned int *) = (unsigned int)v;
			break;
		}
		num++;
		str = next;
	}
done:
	va_end(ap);
	return num;
}
KEXPORT_AS("vsscanf", kernel_vsscanf);

KAPI int kernel_sscanf(const char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kernel_vsscanf(buf, fmt, ap);
	va_end(ap);
	return n;
}
KEXPORT_AS("sscanf", kernel_sscanf);
