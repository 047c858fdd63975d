// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The %p extensions of the kernel's printf (Linux 6.1 lib/vsprintf.c
 * semantics): symbols, hashed pointers, %pe, %ph, %pb, %pM, %pI, %pU,
 * %pE, %pV, %p4cc and friends.  vsprintf.c hands every %p conversion to
 * vsp_pointer() here.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "kernel/errname.h"
#include "kernel/kallsyms.h"
#include "kernel/vsprintf.h"
#include "kernel/vsprintf_internal.h"

/* Linux's isprint(): Latin-1 (see the ctype note in vsprintf.c) */
static bool k_isprint(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c >= 0xa0;
}

/* "0x" and 2*size zero-padded hex digits: addresses and feature masks. */
static void special_hex(struct out *o, unsigned long long num, int size)
{
	struct spec sp = { 2 + 2 * size, -1, SPECIAL | SMALL | ZEROPAD, 16 };

	vsp_number(o, num, sp);
}

/* Raw pointer value: 16 zero-padded hex digits unless a width is given. */
static void pointer_string(struct out *o, unsigned long v, struct spec sp)
{
	sp.base = 16;
	sp.flags |= SMALL;
	if (sp.width == -1) {
		sp.width = 2 * sizeof(void *);
		sp.flags |= ZEROPAD;
	}
	vsp_number(o, v, sp);
}

/*
 * Plain %p hashes the address with SipHash-2-4 under a per-process random
 * key, as Linux does, so logs identify objects without leaking layout.
 */
static uint64_t ptr_key[2];
static pthread_once_t ptr_key_once = PTHREAD_ONCE_INIT;

static void ptr_key_init(void)
{
	struct timespec ts;

	for (int tries = 0; tries < 3; tries++)
		if (getrandom(ptr_key, sizeof(ptr_key), 0) == sizeof(ptr_key))
			return;
	/* No kernel RNG: ids stay unique per process, just guessable. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ptr_key[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	ptr_key[1] = (uint64_t)ts.tv_sec * 0x9e3779b97f4a7c15ULL ^
		     (uint64_t)(uintptr_t)&ts;
}

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
	v[0] += v[1]; v[1] = ROTL64(v[1], 13); v[1] ^= v[0];
	v[0] = ROTL64(v[0], 32);
	v[2] += v[3]; v[3] = ROTL64(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = ROTL64(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = ROTL64(v[1], 17); v[1] ^= v[2];
	v[2] = ROTL64(v[2], 32);
}

/* SipHash-2-4 of one little-endian 64-bit word (an 8-byte message). */
static uint64_t siphash_u64(uint64_t m, const uint64_t key[2])
{
	uint64_t v[4] = {
		key[0] ^ 0x736f6d6570736575ULL, key[1] ^ 0x646f72616e646f6dULL,
		key[0] ^ 0x6c7967656e657261ULL, key[1] ^ 0x7465646279746573ULL,
	};
	const uint64_t tail = (uint64_t)8 << 56;	/* length byte */

	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
	v[3] ^= tail;
	sip_round(v);
	sip_round(v);
	v[0] ^= tail;
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static void ptr_to_id(struct out *o, const void *p, struct spec sp)
{
	unsigned long v = (unsigned long)p;

	/* NULL and ERR_PTRs are not addresses: Linux prints them as is. */
	if (v && !IS_ERR_VALUE(v)) {
		pthread_once(&ptr_key_once, ptr_key_init);
		/* 32 bits are plenty for an id and show it is not an address */
		v = (unsigned long)(siphash_u64(v, ptr_key) & 0xffffffffu);
	}
	pointer_string(o, v, sp);
}

/*
 * %pB: a return address from a backtrace may point just past a call at
 * the end of a function, so look up addr - 1 and report the offset of
 * addr itself (Linux's sprint_backtrace()).
 */
static void backtrace_symbol(char *buf, size_t len, unsigned long addr)
{
	char name[KSYM_NAME_LEN], mod[64];
	unsigned long size, off;
	int n;

	if (!kallsyms_lookup(addr - 1, &size, &off, mod, sizeof(mod), name)) {
		kernel_snprintf(buf, len, "0x%lx", addr);
		return;
	}
	n = kernel_snprintf(buf, len, "%s+%#lx/%#lx", name, off + 1, size);
	if (mod[0] && (size_t)n < len)
		kernel_snprintf(buf + n, len - n, " [%s]", mod);
}

static void symbol_string(struct out *o, const void *p, struct spec sp,
			  const char *fmt)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long addr = (unsigned long)p;

	/*
	 * [SB]b would add the module's build id: kmodfs records none.  'R'
	 * (__builtin_extract_return_addr) is the identity on x86-64.
	 */
	if (fmt[0] == 'B')
		backtrace_symbol(sym, sizeof(sym), addr);
	else
		sprint_symbol(sym, sizeof(sym), addr, fmt[0] == 'S');
	emit_str(o, sym, sp);
}

/* %*ph[CDN]: the field width is the byte count (1 by default, max 64). */
static void hex_string(struct out *o, const uint8_t *p, struct spec sp,
		       const char *fmt)
{
	char sep = fmt[1] == 'C' ? ':' : fmt[1] == 'D' ? '-' :
		   fmt[1] == 'N' ? 0 : ' ';
	int n = sp.width > 0 ? (sp.width < 64 ? sp.width : 64) : 1;

	if (sp.width == 0 || bad_ptr(o, p, sp))
		return;
	for (int i = 0; i < n; i++) {
		put(o, hex_lo[p[i] >> 4]);
		put(o, hex_lo[p[i] & 15]);
		if (sep && i != n - 1)
			put(o, sep);
	}
}

/* %*pb: the width is the bit count; 32-bit chunks, high first. */
static void bitmap_string(struct out *o, const unsigned long *map,
			  struct spec sp)
{
	int nbits = sp.width > 0 ? sp.width : 0;
	int chunks = (nbits + 31) / 32;

	if (bad_ptr(o, map, sp))
		return;
	for (int c = chunks - 1; c >= 0; c--) {
		int bits = (c == chunks - 1 && nbits % 32) ? nbits % 32 : 32;
		uint32_t mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
		uint32_t val = (uint32_t)(map[c / 2] >> (c % 2 * 32)) & mask;
		struct spec hs = { (bits + 3) / 4, -1, SMALL | ZEROPAD, 16 };

		if (c != chunks - 1)
			put(o, ',');
		vsp_number(o, val, hs);
	}
}

static bool test_bit(const unsigned long *map, int bit)
{
	return (map[bit / 64] >> (bit % 64)) & 1;
}

/* %*pbl: ranges of set bits, "0-3,7". */
static void bitmap_list(struct out *o, const unsigned long *map,
			struct spec sp)
{
	int nbits = sp.width > 0 ? sp.width : 0;
	bool first = true;

	if (bad_ptr(o, map, sp))
		return;
	for (int bit = 0; bit < nbits; bit++) {
		int start = bit;

		if (!test_bit(map, bit))
			continue;
		while (bit + 1 < nbits && test_bit(map, bit + 1))
			bit++;
		if (!first)
			put(o, ',');
		first = false;
		vsp_number(o, (unsigned int)start, plain_spec);
		if (bit > start) {
			put(o, '-');
			vsp_number(o, (unsigned int)bit, plain_spec);
		}
	}
}

/* %pM %pMF %pMR %pm %pmR */
static void mac_string(struct out *o, const uint8_t *a, struct spec sp,
		       const char *fmt)
{
	char tmp[sizeof("xx:xx:xx:xx:xx:xx")];
	struct out t = { tmp, sizeof(tmp), 0 };
	bool rev = fmt[1] == 'R';
	char sep = fmt[1] == 'F' ? '-' : ':';

	if (bad_ptr(o, a, sp))
		return;
	for (int i = 0; i < 6; i++) {
		uint8_t b = a[rev ? 5 - i : i];

		put(&t, hex_lo[b >> 4]);
		put(&t, hex_lo[b & 15]);
		if (fmt[0] == 'M' && i != 5)
			put(&t, sep);
	}
	put(&t, '\0');
	emit_str(o, tmp, sp);
}

/* Dotted quad; 'i' pads each part to 3 digits; h/l reverse the bytes. */
static void ip4_string(struct out *t, const uint8_t *a, char kind,
		       char order)
{
	/* 'h' is host order, little endian on x86-64, so the same as 'l' */
	bool rev = order == 'h' || order == 'l';

	for (int i = 0; i < 4; i++) {
		struct spec sp = plain_spec;

		if (kind == 'i') {
			sp.width = 3;
			sp.flags = ZEROPAD;
		}
		vsp_number(t, a[rev ? 3 - i : i], sp);
		if (i < 3)
			put(t, '.');
	}
}

/* RFC 5952 form: longest run (>1) of zero groups becomes "::". */
static void ip6_compressed(struct out *t, const uint8_t *a)
{
	struct spec hs = { -1, -1, SMALL, 16 };
	uint16_t w[8];
	int best = 1, at = -1, groups;
	bool colon = false, v4;

	for (int i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	/* v4-mapped (::ffff:a.b.c.d) and ISATAP end in a dotted quad */
	v4 = (!(w[0] | w[1] | w[2] | w[3] | w[4]) && w[5] == 0xffff) ||
	     ((w[4] | 0x0200) == 0x0200 && w[5] == 0x5efe);
	groups = v4 ? 6 : 8;

	for (int i = 0; i < groups; i++) {
		int run = 0;

		while (i + run < groups && !w[i + run])
			run++;
		if (run > best) {
			best = run;
			at = i;
		}
	}
	for (int i = 0; i < groups; i++) {
		if (i == at) {
			if (colon || i == 0)
				put(t, ':');
			put(t, ':');
			colon = false;
			i += best - 1;
			continue;
		}
		if (colon)
			put(t, ':');
		vsp_number(t, w[i], hs);
		colon = true;
	}
	if (v4) {
		if (colon)
			put(t, ':');
		ip4_string(t, a + 12, 'I', 'n');
	}
}

/* %pI4 %pi4 %pI6 %pi6 %pI6c */
static void ip_string(struct out *o, const uint8_t *a, struct spec sp,
		      const char *fmt)
{
	char tmp[sizeof("xxxx:xxxx:xxxx:xxxx:xxxx:xxxx:255.255.255.255")];
	struct out t = { tmp, sizeof(tmp), 0 };

	if (bad_ptr(o, a, sp))
		return;
	if (fmt[1] == '4') {
		ip4_string(&t, a, fmt[0], fmt[2]);
	} else if (fmt[1] == '6' && fmt[0] == 'I' && fmt[2] == 'c') {
		ip6_compressed(&t, a);
	} else if (fmt[1] == '6') {
		for (int i = 0; i < 16; i++) {
			put(&t, hex_lo[a[i] >> 4]);
			put(&t, hex_lo[a[i] & 15]);
			if (fmt[0] == 'I' && i % 2 && i != 15)
				put(&t, ':');
		}
	} else {
		/* %pIS (struct sockaddr) is not supported */
		error_str(o, fmt[0] == 'i' ? "(%pi?)" : "(%pI?)", sp);
		return;
	}
	put(&t, '\0');
	emit_str(o, tmp, sp);
}

/* %pU[bBlL]: l/L print the first three fields little endian (GUID). */
static void uuid_string(struct out *o, const uint8_t *a, struct spec sp,
			const char *fmt)
{
	static const uint8_t be[16] = { 0, 1, 2, 3, 4, 5, 6, 7,
					8, 9, 10, 11, 12, 13, 14, 15 };
	static const uint8_t le[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
					8, 9, 10, 11, 12, 13, 14, 15 };
	char tmp[37];
	struct out t = { tmp, sizeof(tmp), 0 };
	const uint8_t *idx = (fmt[1] == 'l' || fmt[1] == 'L') ? le : be;
	const char *set = (fmt[1] == 'B' || fmt[1] == 'L') ? hex_up : hex_lo;

	if (bad_ptr(o, a, sp))
		return;
	for (int i = 0; i < 16; i++) {
		put(&t, set[a[idx[i]] >> 4]);
		put(&t, set[a[idx[i]] & 15]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			put(&t, '-');
	}
	put(&t, '\0');
	emit_str(o, tmp, sp);
}

/* string_escape_mem() flags, selected by the letters after %pE */
#define ESC_SPACE 0x01u
#define ESC_SPECIAL 0x02u
#define ESC_NULL 0x04u
#define ESC_OCTAL 0x08u
#define ESC_ANY (ESC_SPACE | ESC_SPECIAL | ESC_NULL | ESC_OCTAL)
#define ESC_NP 0x10u
#define ESC_HEX 0x20u

static char escape_letter(unsigned char c, unsigned int flags)
{
	if (flags & ESC_SPACE) {
		const char *from = "\n\r\t\v\f", *to = "nrtvf";
		const char *hit = c ? strchr(from, c) : NULL;

		if (hit)
			return to[hit - from];
	}
	if (flags & ESC_SPECIAL) {
		if (c == '\\' || c == '"')
			return (char)c;
		if (c == '\a')
			return 'a';
		if (c == 0x1b)
			return 'e';
	}
	if ((flags & ESC_NULL) && c == 0)
		return '0';
	return 0;
}

/* %*pE[achnops]: the width is the byte count, 1 by default. */
static void escaped_string(struct out *o, const uint8_t *p, struct spec sp,
			   const char *fmt)
{
	static const char letters[] = "achnops";
	static const unsigned int bits[] = { ESC_ANY, ESC_SPECIAL, ESC_HEX,
		ESC_NULL, ESC_OCTAL, ESC_NP, ESC_SPACE };
	unsigned int flags = 0;
	const char *f;
	int n = sp.width < 0 ? 1 : sp.width;

	if (sp.width == 0 || bad_ptr(o, p, sp))
		return;
	for (fmt++; *fmt && (f = strchr(letters, *fmt)); fmt++)
		flags |= bits[f - letters];
	if (!flags)
		flags = ESC_ANY | ESC_NP;

	for (int i = 0; i < n; i++) {
		unsigned char c = p[i];
		char e;

		if ((flags & ESC_NP) && k_isprint(c)) {
			put(o, (char)c);
		} else if ((e = escape_letter(c, flags))) {
			put(o, '\\');
			put(o, e);
		} else if (flags & ESC_OCTAL) {
			put(o, '\\');
			put(o, (char)('0' + (c >> 6)));
			put(o, (char)('0' + ((c >> 3) & 7)));
			put(o, (char)('0' + (c & 7)));
		} else if (flags & ESC_HEX) {
			put(o, '\\');
			put(o, 'x');
			put(o, hex_lo[c >> 4]);
			put(o, hex_lo[c & 15]);
		} else {
			put(o, (char)c);
		}
	}
}

/* %pV: a nested format and its arguments. */
static void va_format(struct out *o, const struct va_format *vf,
		      struct spec sp)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list va;

	if (bad_ptr(o, vf, sp))
		return;
	va_copy(va, *vf->va);
	o->len += (size_t)kernel_vsnprintf(room ? o->buf + o->len : NULL, room,
					   vf->fmt, va);
	va_end(va);
}

/* %pe: ERR_PTR as its errno name, or the number when it has none. */
static void err_ptr(struct out *o, const void *p, struct spec sp)
{
	int err = (int)(long)p;
	const char *name = errname(err);

	if (name) {
		emit_str(o, name, sp);
		return;
	}
	sp.flags |= SIGN;
	sp.base = 10;
	vsp_number(o, (unsigned long long)(long long)err, sp);
}

/* %p4cc: a V4L2/DRM four-character code. */
static void fourcc_string(struct out *o, const uint32_t *p, struct spec sp,
			  const char *fmt)
{
	char tmp[sizeof("0123 little-endian (0x01234567)")];
	struct out t = { tmp, sizeof(tmp) - 1, 0 };
	uint32_t v;

	if (fmt[1] != 'c' || fmt[2] != 'c') {
		error_str(o, "(%p4?)", sp);
		return;
	}
	if (bad_ptr(o, p, sp))
		return;
	v = *p;
	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)((v & 0x7fffffffu) >> (8 * i));

		put(&t, c >= 0x20 && c < 0x7f ? (char)c : '.');
	}
	put_mem(&t, v >> 31 ? " big-endian (" : " little-endian (",
		v >> 31 ? 13 : 16);
	special_hex(&t, v, 4);
	put(&t, ')');
	tmp[t.len < t.size ? t.len : t.size] = '\0';
	emit_str(o, tmp, sp);
}

/*
 * fmt points just past the 'p'.  Extensions that need kernel objects
 * kmodfs does not have (resources, dentries, files, block devices, clocks,
 * page/gfp flags, device-tree and firmware nodes, rtc times, sockaddrs)
 * print a "(%p?)"-style marker rather than reading foreign memory.
 */
void vsp_pointer(struct out *o, const char *fmt, void *p, struct spec sp)
{
	switch (fmt[0]) {
	case 'S':
	case 's':
	case 'B':
		symbol_string(o, p, sp, fmt);
		return;
	case 'h':
		hex_string(o, p, sp, fmt);
		return;
	case 'b':
		if (fmt[1] == 'l')
			bitmap_list(o, p, sp);
		else
			bitmap_string(o, p, sp);
		return;
	case 'M':
	case 'm':
		mac_string(o, p, sp, fmt);
		return;
	case 'I':
	case 'i':
		ip_string(o, p, sp, fmt);
		return;
	case 'E':
		escaped_string(o, p, sp, fmt);
		return;
	case 'U':
		uuid_string(o, p, sp, fmt);
		return;
	case 'V':
		va_format(o, p, sp);
		return;
	case 'N':
		if (fmt[1] != 'F')
			error_str(o, "(%pN?)", sp);
		else if (!bad_ptr(o, p, sp))
			special_hex(o, *(const uint64_t *)p, 8);
		return;
	case '4':
		fourcc_string(o, p, sp, fmt);
		return;
	case 'a':	/* phys_addr_t and dma_addr_t are both 64-bit here */
		if (!bad_ptr(o, p, sp))
			special_hex(o, *(const uint64_t *)p, 8);
		return;
	case 'x':
		pointer_string(o, (unsigned long)p, sp);
		return;
	case 'e':
		if (IS_ERR_VALUE(p)) {
			err_ptr(o, p, sp);
			return;
		}
		break;		/* not an error: hashed like plain %p */
	case 'k':
	case 'u':
		if (fmt[1] == 's')
			string(o, p, sp);
		else
			error_str(o, "(einval)", sp);
		return;
	case 'R': case 'r': case 'd': case 'D': case 'g': case 'G':
	case 'O': case 'C': case 't': case 'f': {
		char msg[] = "(%pX?)";

		msg[3] = fmt[0];
		error_str(o, msg, sp);
		return;
	}
	default:	/* plain %p, %pK (kptr_restrict = 0), %pF, ... */
		break;
	}
	ptr_to_id(o, p, sp);
}
