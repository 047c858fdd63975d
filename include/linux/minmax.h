/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#define min(x, y) ({ typeof(x) __x = (x); typeof(y) __y = (y); \
	(void)(&__x == &__y); __x < __y ? __x : __y; })
#define max(x, y) ({ typeof(x) __x = (x); typeof(y) __y = (y); \
	(void)(&__x == &__y); __x > __y ? __x : __y; })
#define min_t(type, x, y) ({ type __x = (x); type __y = (y); __x < __y ? __x : __y; })
#define max_t(type, x, y) ({ type __x = (x); type __y = (y); __x > __y ? __x : __y; })
#define clamp(val, lo, hi) min((typeof(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define swap(a, b) do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif
