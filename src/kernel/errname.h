/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolic errno names as Linux 6.1's errname() gives them to %pe:
 * errname(-EIO) is "-EIO", errname(EIO) is "EIO", and an errno Linux has
 * no name for (or 0) gives NULL.
 */
#ifndef KMODFS_KERNEL_ERRNAME_H
#define KMODFS_KERNEL_ERRNAME_H

const char *errname(int err);

#endif
