/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmodfs module SDK: compiler attributes and helpers (kernel names). */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#define __section(s)		__attribute__((__section__(s)))
#define __used			__attribute__((__used__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __packed		__attribute__((__packed__))
#define __weak			__attribute__((__weak__))
#define __visible		__attribute__((__externally_visible__))
#define __cold			__attribute__((__cold__))
#define __noreturn		__attribute__((__noreturn__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __scanf(a, b)		__attribute__((__format__(scanf, a, b)))
#define __copy(sym)		__attribute__((__copy__(sym)))
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __pure			__attribute__((__pure__))
#define __malloc		__attribute__((__malloc__))
#define __user
#define __iomem
#define __rcu
#define __force
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define notrace			__attribute__((__no_instrument_function__))
#define fallthrough		__attribute__((__fallthrough__))

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" : : : "memory")
#define unreachable()		__builtin_unreachable()

#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

/* Keep a symbol referenced from a section the linker will not drop. */
#define ___ADDRESSABLE(sym, __attrs)					\
	static void * __used __attrs					\
		__UNIQUE_ID(__PASTE(__addressable_, sym)) = (void *)&sym;
#define __ADDRESSABLE(sym) ___ADDRESSABLE(sym, __section(".discard.addressable"))

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))

#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile typeof(x) *)&(x) = (val); } while (0)

#include <linux/build_bug.h>

#endif
