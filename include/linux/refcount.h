/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * refcount_t as 6.1 has it: an atomic_t that saturates instead of
 * wrapping.  The fast paths are inline; any overflow, underflow or use
 * of a dead count calls refcount_warn_saturate(), which warns once and
 * pins the count at REFCOUNT_SATURATED so that the object leaks instead
 * of being freed while in use.
 */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/types.h>

struct mutex;
struct spinlock;

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n), }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t);

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

/* a + b without the undefined behaviour of signed overflow */
static __always_inline int __kmodfs_wrap_add(int a, int b)
{
	return (int)((unsigned int)a + (unsigned int)b);
}

static inline __must_check bool refcount_add_not_zero(int i, refcount_t *r)
{
	int old = atomic_read(&r->refs);

	while (old && !__atomic_compare_exchange_n(&r->refs.counter, &old,
						   __kmodfs_wrap_add(old, i), false,
						   __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (unlikely(old < 0 || __kmodfs_wrap_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
	return old != 0;
}

static inline __must_check bool refcount_inc_not_zero(refcount_t *r)
{
	return refcount_add_not_zero(1, r);
}

static inline void refcount_add(int i, refcount_t *r)
{
	int old = __atomic_fetch_add(&r->refs.counter, i, __ATOMIC_RELAXED);

	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || __kmodfs_wrap_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

static inline void refcount_inc(refcount_t *r)
{
	refcount_add(1, r);
}

static inline __must_check bool refcount_sub_and_test(int i, refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs.counter, i, __ATOMIC_RELEASE);

	if (old == i) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		return true;
	}
	if (unlikely(old < 0 || __kmodfs_wrap_add(old, -i) < 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

static inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	return refcount_sub_and_test(1, r);
}

static inline void refcount_dec(refcount_t *r)
{
	if (unlikely(__atomic_fetch_sub(&r->refs.counter, 1, __ATOMIC_RELEASE) <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

bool refcount_dec_if_one(refcount_t *r);
bool refcount_dec_not_one(refcount_t *r);
bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock);
bool refcount_dec_and_lock(refcount_t *r, struct spinlock *lock);
bool refcount_dec_and_lock_irqsave(refcount_t *r, struct spinlock *lock,
				   unsigned long *flags);

#endif
