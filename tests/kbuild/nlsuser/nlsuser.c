/*
 * kbuild test module: uses the kernel's NLS layer the way a filesystem
 * does.  The UTF-8 helpers of the kernel itself are checked first; then
 * load_nls(charset) finds a table one of Debian's fs/nls modules
 * registered (the module stays held until exit), and one character goes
 * through it to Unicode and back.  Without that table the load fails
 * with ENOENT.
 */
#include <linux/module.h>
#include <linux/nls.h>
#include <linux/string.h>

MODULE_LICENSE("GPL");

static char *charset = "cp437";
module_param(charset, charp, 0444);

static struct nls_table *nls;

static int __init check_utf8(void)
{
	u8 buf[8];
	unicode_t u;
	int n = utf32_to_utf8(0x20ac, buf, sizeof(buf));	/* EURO SIGN */

	if (n != 3 || memcmp(buf, "\xe2\x82\xac", 3))
		return -EINVAL;
	if (utf8_to_utf32(buf, n, &u) != 3 || u != 0x20ac)
		return -EINVAL;
	if (utf8_to_utf32(buf, 2, &u) != -1 ||				/* cut short */
	    utf8_to_utf32((const u8 *)"\xc0\xaf", 2, &u) != -1 ||	/* overlong '/' */
	    utf8_to_utf32((const u8 *)"\xed\xa0\x80", 3, &u) != -1 ||	/* surrogate */
	    utf32_to_utf8(0x110000, buf, sizeof(buf)) != -1 ||		/* beyond Unicode */
	    utf32_to_utf8(0x20ac, buf, 2) != -1)			/* no room */
		return -EINVAL;
	return 0;
}

static int __init nlsuser_init(void)
{
	const unsigned char *in;
	unsigned char out[8];
	wchar_t uni = 0;
	int inlen, n, m;

	if (check_utf8()) {
		pr_err("nlsuser: the UTF-8 helpers are wrong\n");
		return -EINVAL;
	}
	nls = load_nls(charset);
	if (!nls) {
		pr_info("nlsuser: no %s table loaded\n", charset);
		return -ENOENT;
	}
	/* LATIN CAPITAL LETTER C WITH CEDILLA, as the table spells it */
	if (!strcmp(nls->charset, "utf8")) {
		in = (const unsigned char *)"\xc3\x87";
		inlen = 2;
	} else {
		in = (const unsigned char *)"\x80";
		inlen = 1;
	}
	n = nls->char2uni(in, inlen, &uni);
	m = nls->uni2char(uni, out, sizeof(out));
	pr_info("nlsuser: %s%s%s: char2uni(%02x) = %d, U+%04X; uni2char = %d, %02x; upper(87) = %02x\n",
		nls->charset, nls->alias ? " alias " : "", nls->alias ? nls->alias : "",
		in[0], n, uni, m, m > 0 ? out[0] : 0, nls->charset2upper[0x87]);
	return 0;
}

static void __exit nlsuser_exit(void)
{
	unload_nls(nls);
	pr_info("nlsuser: exit\n");
}

module_init(nlsuser_init);
module_exit(nlsuser_exit);
