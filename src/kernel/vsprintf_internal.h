/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the printf engine (vsprintf.c) and the %p extensions
 * (vsprintf_pointer.c) share.  Not for use elsewhere: the
 * public interface is kernel/vsprintf.h.
 *
 * Output goes through struct out, which counts every character produced
 * but stores only those that fit, so the "would-be length" return value
 * of vsnprintf falls out for free and truncation never needs a second
 * pass.
 */
#ifndef KMODFS_KERNEL_VSPRINTF_INTERNAL_H
#define KMODFS_KERNEL_VSPRINTF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define PAGE_SIZE 4096UL
#define MAX_ERRNO 4095UL
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= -MAX_ERRNO)

/* vsp_number() flags, named as for Linux's number() */
#define SIGN 0x01u
#define LEFT 0x02u
#define PLUS 0x04u
#define SPACE 0x08u
#define ZEROPAD 0x10u
#define SMALL 0x20u
#define SPECIAL 0x40u

struct spec {
	int width;		/* -1: none given */
	int prec;		/* -1: none given */
	unsigned int flags;
	unsigned int base;	/* 8, 10 or 16 */
};

static const struct spec plain_spec = { -1, -1, 0, 10 };

struct out {
	char *buf;
	size_t size;		/* bytes of buf we may write */
	size_t len;		/* characters produced, stored or not */
};

static const char hex_lo[] = "0123456789abcdef";
static const char hex_up[] = "0123456789ABCDEF";

static inline void put(struct out *o, char c)
{
	if (o->len < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static inline void fill(struct out *o, char c, long n)
{
	while (n-- > 0)
		put(o, c);
}

static inline void put_mem(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

/* A string known to be readable: precision cuts, width pads. */
static inline void emit_str(struct out *o, const char *s, struct spec sp)
{
	size_t n = sp.prec < 0 ? strlen(s) : strnlen(s, (size_t)sp.prec);
	long pad = 0;

	if (sp.width > 0 && (size_t)sp.width > n)
		pad = sp.width - (long)n;

	if (!(sp.flags & LEFT))
		fill(o, ' ', pad);
	put_mem(o, s, n);
	if (sp.flags & LEFT)
		fill(o, ' ', pad);
}

/* Diagnostics in place of a value are capped like Linux's, at 16 chars. */
static inline void error_str(struct out *o, const char *msg, struct spec sp)
{
	if (sp.prec == -1)
		sp.prec = 2 * sizeof(void *);
	emit_str(o, msg, sp);
}

/*
 * Linux refuses to dereference NULL, the first page and ERR_PTR values
 * and prints a marker instead; true when it did so.
 */
static inline bool bad_ptr(struct out *o, const void *p, struct spec sp)
{
	unsigned long v = (unsigned long)p;

	if (v >= PAGE_SIZE && !IS_ERR_VALUE(v))
		return false;
	error_str(o, v ? "(efault)" : "(null)", sp);
	return true;
}

static inline void string(struct out *o, const char *s, struct spec sp)
{
	if (!bad_ptr(o, s, sp))
		emit_str(o, s, sp);
}

/*
 * An integer with Linux's number() rules (flags above; base 8, 10 or 16).
 * Defined in vsprintf.c.
 */
void vsp_number(struct out *o, unsigned long long num, struct spec sp);

/*
 * The %p extensions; fmt points just past the 'p'.  The caller skips the
 * alphanumeric suffix.  Defined in vsprintf_pointer.c.
 */
void vsp_pointer(struct out *o, const char *fmt, void *p, struct spec sp);

#endif
