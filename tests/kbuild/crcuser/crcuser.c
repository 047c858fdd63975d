/*
 * kbuild test module: calls the CRC functions of Debian's own lib/crc*.ko
 * modules (loaded from the linux-image package) and checks the standard
 * check values over "123456789".
 */
#include <linux/crc-itu-t.h>
#include <linux/crc16.h>
#include <linux/crc64.h>
#include <linux/crc7.h>
#include <linux/crc8.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");

DECLARE_CRC8_TABLE(crc8_table);

static int __init crcuser_init(void)
{
	static const u8 data[] = "123456789";
	u16 itu = crc_itu_t(0, data, 9), c16 = crc16(0, data, 9);
	u8 c7 = crc7_be(0, data, 9), c8;
	u64 c64 = crc64_be(0, data, 9);
	int bad = 0;

	crc8_populate_msb(crc8_table, 0x07);
	c8 = crc8(crc8_table, data, 9, 0);
	pr_info("crcuser: crc_itu_t=%04x crc16=%04x crc7_be=%02x crc8=%02x crc64_be=%016llx\n",
		itu, c16, c7, c8, c64);
	bad |= itu != 0x31c3;			/* CRC-16/XMODEM */
	bad |= c16 != 0xbb3d;			/* CRC-16/ARC */
	bad |= c7 != 0x75 << 1;			/* CRC-7/MMC, left-aligned */
	bad |= c8 != 0xf4;			/* CRC-8/SMBUS */
	bad |= c64 != 0x6c40df5f0b497347ull;	/* CRC-64/ECMA-182 */
	return bad ? -EINVAL : 0;
}

static void __exit crcuser_exit(void)
{
}

module_init(crcuser_init);
module_exit(crcuser_exit);
