/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LINUX_POISON_H
#define _LINUX_POISON_H

#define POISON_POINTER_DELTA 0xdead000000000000UL
#define LIST_POISON1 ((void *) 0x100 + POISON_POINTER_DELTA)
#define LIST_POISON2 ((void *) 0x122 + POISON_POINTER_DELTA)
#define TIMER_ENTRY_STATIC ((void *) 0x300 + POISON_POINTER_DELTA)

#endif
