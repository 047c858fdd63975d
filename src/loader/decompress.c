// SPDX-License-Identifier: GPL-2.0-or-later
/* Decompression (see decompress.h).  Not written yet: compressed images
 * are refused as Linux 6.1 without CONFIG_MODULE_DECOMPRESS refuses them. */
#include <errno.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/decompress.h"

size_t module_max_size = 1ul << 30;

int module_decompress(const uint8_t *data, size_t len, uint8_t **out,
		      size_t *out_len)
{
	static const uint8_t gz[] = { 0x1f, 0x8b }, xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 },
			     zst[] = { 0x28, 0xb5, 0x2f, 0xfd };

	(void)out;
	(void)out_len;
	if ((len >= sizeof(gz) && !memcmp(data, gz, sizeof(gz))) ||
	    (len >= sizeof(xz) && !memcmp(data, xz, sizeof(xz))) ||
	    (len >= sizeof(zst) && !memcmp(data, zst, sizeof(zst))))
		return -EOPNOTSUPP;
	return 0;
}
