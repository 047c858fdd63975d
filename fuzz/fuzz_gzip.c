// SPDX-License-Identifier: GPL-2.0-or-later
/* Target: module_decompress() on gzip streams (see decompress_target.h). */
#define FORMAT_MAGIC { 0x1f, 0x8b }
#include "decompress_target.h"
