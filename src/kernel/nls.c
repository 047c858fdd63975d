// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fs/nls/nls_base.c for modules: the registry of character-set tables
 * that nls_cp437.ko, nls_utf8.ko, mac-roman.ko, ... register, looked up
 * by charset name or alias with load_nls(), which holds the owner
 * module until unload_nls(); and the UTF-8 <-> UTF-32 conversions.
 *
 * load_nls() finds the tables that are loaded.  Linux would also try
 * "modprobe nls_NAME" first; kmodfs runs no modprobe (it exports no
 * request_module), so a table that is not loaded is NULL, as it is on
 * Linux when modprobe finds no such module.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/abi.h"
#include "kernel/export.h"

/* include/linux/nls.h (wchar_t is u16 there, unicode_t u32) */
struct nls_table {
	const char *charset;
	const char *alias;
	int (*uni2char)(uint16_t uni, unsigned char *out, int boundlen);
	int (*char2uni)(const unsigned char *rawstring, int boundlen, uint16_t *uni);
	const unsigned char *charset2lower;
	const unsigned char *charset2upper;
	struct module *owner;
	struct nls_table *next;
};
_Static_assert(sizeof(struct nls_table) == 64, "nls_table size");
_Static_assert(offsetof(struct nls_table, owner) == 48, "nls_table.owner");
_Static_assert(offsetof(struct nls_table, next) == 56, "nls_table.next");

static struct nls_table *tables;
static pthread_mutex_t nls_lock = PTHREAD_MUTEX_INITIALIZER;

KAPI static int __register_nls(struct nls_table *nls, struct module *owner)
{
	int err = 0;

	if (nls->next)
		return -EBUSY;	/* already on a list */
	pthread_mutex_lock(&nls_lock);
	for (struct nls_table *t = tables; t; t = t->next) {
		if (t == nls) {
			err = -EBUSY;
			break;
		}
	}
	if (!err) {
		nls->owner = owner;
		nls->next = tables;
		tables = nls;
	}
	pthread_mutex_unlock(&nls_lock);
	return err;
}
KEXPORT(__register_nls);

KAPI static int unregister_nls(struct nls_table *nls)
{
	int err = -EINVAL;

	pthread_mutex_lock(&nls_lock);
	for (struct nls_table **p = &tables; *p; p = &(*p)->next) {
		if (*p == nls) {
			*p = nls->next;
			nls->next = NULL;
			err = 0;
			break;
		}
	}
	pthread_mutex_unlock(&nls_lock);
	return err;
}
KEXPORT(unregister_nls);

KAPI static struct nls_table *load_nls(const char *charset)
{
	struct nls_table *t;

	if (!charset)
		return NULL;
	pthread_mutex_lock(&nls_lock);
	for (t = tables; t; t = t->next) {
		if (!strcmp(t->charset, charset) ||
		    (t->alias && !strcmp(t->alias, charset)))
			break;
	}
	/* the owner is going away: as good as not loaded */
	if (t && !try_module_get(t->owner))
		t = NULL;
	pthread_mutex_unlock(&nls_lock);
	return t;
}
KEXPORT(load_nls);

KAPI static void unload_nls(struct nls_table *nls)
{
	if (nls)
		module_put(nls->owner);
}
KEXPORT(unload_nls);

/* ---- UTF-8 (up to Linux's six-byte forms) and UTF-32 ---- */

#define UNICODE_MAX 0x10ffffu

static bool is_surrogate(uint32_t u)
{
	return (u & 0xfffff800u) == 0xd800u;
}

/*
 * Decode one character of at most len bytes into *pu; returns the bytes
 * it took, or -1 for a malformed, overlong, surrogate or out-of-range
 * sequence.
 */
KAPI static int utf8_to_utf32(const uint8_t *s, int len, uint32_t *pu)
{
	/* a lead byte with n leading ones starts an n-byte sequence whose
	 * shortest use is for values >= min[n] */
	static const uint32_t min[7] = { 0, 0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000 };
	uint32_t u;
	int n;

	if (len < 1)
		return -1;
	if (s[0] < 0x80) {
		*pu = s[0];
		return 1;
	}
	for (n = 2; n <= 6 && (s[0] & (0x80u >> n)); n++)
		;
	if (n > 6 || (s[0] & 0xc0) != 0xc0 || len < n)
		return -1;
	u = s[0] & (0x7fu >> n);
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		u = (u << 6) | (s[i] & 0x3f);
	}
	if (u < min[n] || u > UNICODE_MAX || is_surrogate(u))
		return -1;
	*pu = u;
	return n;
}
KEXPORT(utf8_to_utf32);

/* Encode u into at most maxout bytes; returns the bytes written or -1. */
KAPI static int utf32_to_utf8(uint32_t u, uint8_t *s, int maxout)
{
	int n;

	if (u > UNICODE_MAX || is_surrogate(u))
		return -1;
	n = u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
	if (maxout < n)
		return -1;
	if (n == 1) {
		s[0] = (uint8_t)u;
		return 1;
	}
	for (int i = n - 1; i > 0; i--) {
		s[i] = 0x80 | (u & 0x3f);
		u >>= 6;
	}
	s[0] = (uint8_t)((0xff00u >> n) | u);
	return n;
}
KEXPORT(utf32_to_utf8);
