/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

/* 0 when e is false; a compile error (negative bit-field) when true. */
#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define BUILD_BUG_ON(cond) BUILD_BUG_ON_MSG(cond, "BUILD_BUG_ON failed: " #cond)
#define BUILD_BUG() BUILD_BUG_ON(1)
#define static_assert(expr, ...) _Static_assert(expr, #expr)

#endif
