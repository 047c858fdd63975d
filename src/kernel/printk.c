// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * printk: format with the kernel's vsnprintf, strip the KERN_* prefixes,
 * and store the record in the log ring (logbuf.c).
 */
#include <errno.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/logbuf.h"
#include "kernel/printk.h"

/* Returns the level character of a KERN_SOH prefix, or 0. */
static char printk_get_level(const char *s)
{
	if (s[0] == KERN_SOH[0] && s[1]) {
		switch (s[1]) {
		case '0' ... '7':
		case 'c':
			return s[1];
		}
	}
	return 0;
}

int vprintk_emit(int facility, int level, const char *fmt, va_list args)
{
	char buf[LOG_LINE_MAX + 64];
	const char *text = buf;
	bool cont = false;
	char kl;
	int len;

	len = kernel_vscnprintf(buf, sizeof(buf), fmt, args);
	while ((kl = printk_get_level(text)) != 0) {
		if (kl == 'c')
			cont = true;
		else if (level == LOGLEVEL_DEFAULT)
			level = kl - '0';
		text += 2;
		len -= 2;
	}
	if (level == LOGLEVEL_DEFAULT)
		level = DEFAULT_MESSAGE_LOGLEVEL;
	logbuf_store((unsigned int)facility, (unsigned int)level, cont,
		     (uint32_t)gettid(), text, (size_t)len);
	return len;
}

int printk_emit(int facility, int level, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vprintk_emit(facility, level, fmt, ap);
	va_end(ap);
	return r;
}

KAPI int vprintk(const char *fmt, va_list args)
{
	return vprintk_emit(0, LOGLEVEL_DEFAULT, fmt, args);
}
KEXPORT(vprintk);

KAPI int printk(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vprintk_emit(0, LOGLEVEL_DEFAULT, fmt, ap);
	va_end(ap);
	return r;
}
/* Linux 6.1 exports _printk (printk is a macro); older modules call printk. */
KEXPORT_AS("_printk", printk);
KEXPORT(printk);
