// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/string.c for modules.  Where the kernel function means exactly what
 * the C library's does, the export forwards to libc (the export only adds
 * the stack realignment every module entry point needs); the kernel-only
 * functions are implemented here with the kernel's semantics.
 */
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "kernel/export.h"
#include "kernel/string.h"

#define FORWARD(ret, name, params, args)                                       \
	KAPI static ret kernel_##name params                                   \
	{                                                                      \
		return name args;                                              \
	}                                                                      \
	KEXPORT_AS(#name, kernel_##name)

FORWARD(void *, memcpy, (void *d, const void *s, size_t n), (d, s, n));
FORWARD(void *, memmove, (void *d, const void *s, size_t n), (d, s, n));
FORWARD(void *, memset, (void *d, int c, size_t n), (d, c, n));
FORWARD(int, memcmp, (const void *a, const void *b, size_t n), (a, b, n));
FORWARD(int, bcmp, (const void *a, const void *b, size_t n), (a, b, n));
FORWARD(void *, memchr, (const void *s, int c, size_t n), (s, c, n));
FORWARD(size_t, strlen, (const char *s), (s));
FORWARD(size_t, strnlen, (const char *s, size_t n), (s, n));
FORWARD(char *, strcpy, (char *d, const char *s), (d, s));
FORWARD(char *, strncpy, (char *d, const char *s, size_t n), (d, s, n));
FORWARD(char *, strcat, (char *d, const char *s), (d, s));
FORWARD(char *, strncat, (char *d, const char *s, size_t n), (d, s, n));
FORWARD(int, strcmp, (const char *a, const char *b), (a, b));
FORWARD(int, strncmp, (const char *a, const char *b, size_t n), (a, b, n));
FORWARD(int, strcasecmp, (const char *a, const char *b), (a, b));
FORWARD(int, strncasecmp, (const char *a, const char *b, size_t n), (a, b, n));
FORWARD(char *, strchr, (const char *s, int c), (s, c));
FORWARD(char *, strchrnul, (const char *s, int c), (s, c));
FORWARD(char *, strrchr, (const char *s, int c), (s, c));
FORWARD(char *, strstr, (const char *h, const char *n), (h, n));
FORWARD(char *, strpbrk, (const char *s, const char *a), (s, a));
FORWARD(size_t, strspn, (const char *s, const char *a), (s, a));
FORWARD(size_t, strcspn, (const char *s, const char *a), (s, a));
FORWARD(char *, strsep, (char **s, const char *d), (s, d));

/* Copy with guaranteed termination; -E2BIG if src did not fit. */
KAPI ssize_t strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (count == 0 || count > (size_t)SSIZE_MAX)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return (ssize_t)len;
}
KEXPORT(strscpy);

/* strscpy that also zero-fills the rest of dest. */
KAPI static ssize_t strscpy_pad(char *dest, const char *src, size_t count)
{
	ssize_t r = strscpy(dest, src, count);
	size_t used = r < 0 ? count : (size_t)r + 1;

	if (used < count)
		memset(dest + used, 0, count - used);
	return r;
}
KEXPORT(strscpy_pad);

/* strlcpy/strlcat are libc names in newer glibc: keep them prefixed. */
KAPI static size_t kernel_strlcpy(char *dest, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len >= size ? size - 1 : len;

		memcpy(dest, src, n);
		dest[n] = '\0';
	}
	return len;
}
KEXPORT_AS("strlcpy", kernel_strlcpy);

KAPI static size_t kernel_strlcat(char *dest, const char *src, size_t count)
{
	size_t dlen = strnlen(dest, count);

	if (dlen == count)
		return count + strlen(src);
	return dlen + kernel_strlcpy(dest + dlen, src, count - dlen);
}
KEXPORT_AS("strlcat", kernel_strlcat);

KAPI static char *strnchr(const char *s, size_t count, int c)
{
	for (; count-- && *s; s++)
		if (*s == (char)c)
			return (char *)(unsigned long)s;
	return NULL;
}
KEXPORT(strnchr);

KAPI static char *strnstr(const char *s1, const char *s2, size_t len)
{
	size_t l2 = strlen(s2);

	if (!l2)
		return (char *)(unsigned long)s1;
	while (len >= l2) {
		len--;
		if (!memcmp(s1, s2, l2))
			return (char *)(unsigned long)s1;
		s1++;
	}
	return NULL;
}
KEXPORT(strnstr);

KAPI char *skip_spaces(const char *str)
{
	while (isspace((unsigned char)*str))
		str++;
	return (char *)(unsigned long)str;
}
KEXPORT(skip_spaces);

/* Strip trailing whitespace in place; return the first non-space char. */
KAPI char *strim(char *s)
{
	size_t size = strlen(s);
	char *end;

	if (!size)
		return s;
	end = s + size - 1;
	while (end >= s && isspace((unsigned char)*end))
		end--;
	end[1] = '\0';
	return skip_spaces(s);
}
KEXPORT(strim);

/* Equal, with one trailing newline on either side ignored (sysfs input). */
KAPI bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}
KEXPORT(sysfs_streq);

KAPI static int match_string(const char *const *array, size_t n,
			     const char *string)
{
	for (size_t i = 0; i < n; i++) {
		if (!array[i])
			break;
		if (!strcmp(array[i], string))
			return (int)i;
	}
	return -EINVAL;
}
KEXPORT(match_string);

KAPI static int __sysfs_match_string(const char *const *array, size_t n,
				     const char *str)
{
	for (size_t i = 0; i < n; i++) {
		if (!array[i])
			continue;
		if (sysfs_streq(array[i], str))
			return (int)i;
	}
	return -EINVAL;
}
KEXPORT(__sysfs_match_string);

/* First byte in [start, start+bytes) that differs from c, or NULL. */
KAPI static void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start;

	for (; bytes--; p++)
		if (*p != (unsigned char)c)
			return (void *)(unsigned long)p;
	return NULL;
}
KEXPORT(memchr_inv);

KAPI static void *memscan(void *addr, int c, size_t size)
{
	unsigned char *p = addr;

	while (size && *p != (unsigned char)c) {
		p++;
		size--;
	}
	return p;
}
KEXPORT(memscan);

KAPI static char *strreplace(char *s, char old, char new)
{
	for (; *s; s++)
		if (*s == old)
			*s = new;
	return s;
}
KEXPORT(strreplace);
