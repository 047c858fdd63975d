// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dev/kmsg and dmesg.
 *
 * dev/kmsg behaves like Linux's /dev/kmsg: every open has its own cursor
 * starting at the oldest record; each read returns one record as
 * "PRI,SEQ,USEC,FLAGS;TEXT\n" (non-printable bytes escaped as \xNN); at
 * the end a read blocks until a record arrives, or fails with EAGAIN
 * under O_NONBLOCK; a reader overtaken by the ring gets EPIPE once and
 * continues at the oldest record; poll() reports readability, so
 * tail -f style readers wake up.  Writing "<N>text" adds a record.
 *
 * dmesg is a snapshot in syslog format, "<PRI>[SSSSS.UUUUUU] TEXT", which
 * util-linux `dmesg -F` decodes.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs.h"
#include "kernel/logbuf.h"
#include "kernel/printk.h"

/* Pending poll handles, woken when records arrive. */
struct poller {
	struct fuse_pollhandle *ph;
	uint64_t seq;
	struct poller *next;
};
static struct poller *pollers;
static pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;

static void wake_pollers(void *arg)
{
	struct poller *list, *p;

	(void)arg;
	pthread_mutex_lock(&poll_lock);
	list = pollers;
	pollers = NULL;
	pthread_mutex_unlock(&poll_lock);
	while ((p = list)) {
		list = p->next;
		fuse_lowlevel_notify_poll(p->ph);
		fuse_pollhandle_destroy(p->ph);
		free(p);
	}
}

void kmsg_init(void)
{
	logbuf_add_listener(wake_pollers, NULL);
}

/* Record text with Linux's escaping of unprintable bytes. */
static int append_escaped(struct ofile *of, const char *text)
{
	int err = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p && !err; p++) {
		if (*p < ' ' || *p >= 127 || *p == '\\')
			err = of_printf(of, "\\x%02x", *p);
		else
			err = of_append(of, p, 1);
	}
	return err;
}

static int format_record(struct ofile *of, const struct log_record_info *info,
			 const char *text)
{
	int err = of_printf(of, "%u,%llu,%llu,%c;", (info->facility << 3) | info->level,
			    (unsigned long long)info->seq,
			    (unsigned long long)(info->ts_nsec / 1000),
			    (info->flags & LOG_CONT) ? 'c' : '-');

	if (!err)
		err = append_escaped(of, text);
	return err ? err : of_printf(of, "\n");
}

int kmsg_open(struct ofile *of)
{
	of->kmsg_seq = logbuf_first_seq();
	return 0;
}

void kmsg_read(fuse_req_t req, struct ofile *of, size_t size)
{
	struct log_record_info info;
	char text[LOG_LINE_MAX + 1];
	int r;

	for (;;) {
		r = logbuf_read(&of->kmsg_seq, &info, text, sizeof(text));
		if (r == -EPIPE) {
			fuse_reply_err(req, EPIPE);	/* cursor moved to the oldest */
			return;
		}
		if (r == 0)
			break;
		if (of->nonblock) {
			fuse_reply_err(req, EAGAIN);
			return;
		}
		/* block, but let an interrupted reader go */
		while (logbuf_wait(of->kmsg_seq, 200) == -ETIMEDOUT) {
			/* the reader gave up, or the daemon is going away */
			if (fuse_req_interrupted(req) || fuse_session_exited(fs_session)) {
				fuse_reply_err(req, EINTR);
				return;
			}
		}
	}
	of->len = 0;
	if (format_record(of, &info, text)) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (of->len > size) {
		fuse_reply_err(req, EINVAL);	/* the buffer must hold a record */
		return;
	}
	of->kmsg_seq++;
	{
		/* reply from our own copy: see reply_copy() in ops.c */
		char copy[LOG_LINE_MAX * 4 + 64];
		size_t n = of->len < sizeof(copy) ? of->len : sizeof(copy);

		memcpy(copy, of->buf, n);
		fuse_reply_buf(req, copy, n);
	}
}

void kmsg_poll(fuse_req_t req, struct ofile *of, struct fuse_pollhandle *ph)
{
	unsigned int revents = POLLOUT | POLLWRNORM;

	if (of->kmsg_seq < logbuf_first_seq())
		revents |= POLLIN | POLLRDNORM | POLLERR | POLLPRI;
	else if (of->kmsg_seq < logbuf_next_seq())
		revents |= POLLIN | POLLRDNORM;
	if (ph) {
		if (revents & POLLIN) {
			fuse_pollhandle_destroy(ph);
		} else {
			struct poller *p = malloc(sizeof(*p));

			if (p) {
				p->ph = ph;
				p->seq = of->kmsg_seq;
				pthread_mutex_lock(&poll_lock);
				p->next = pollers;
				pollers = p;
				pthread_mutex_unlock(&poll_lock);
			} else {
				fuse_pollhandle_destroy(ph);
			}
		}
	}
	fuse_reply_poll(req, revents);
}

/* "<N>text": N is facility*8 + level; facility 0 (kernel) becomes user. */
int kmsg_write(const char *buf, size_t len)
{
	unsigned int facility = 1, level = DEFAULT_MESSAGE_LOGLEVEL;
	char *line = malloc(len + 1);
	const char *text;

	if (!line)
		return -ENOMEM;
	memcpy(line, buf, len);
	line[len] = '\0';
	text = line;
	if (line[0] == '<') {
		char *end;
		unsigned long u = strtoul(line + 1, &end, 10);

		if (end && *end == '>') {
			level = (unsigned int)(u & 7);
			if (u >> 3)
				facility = (unsigned int)(u >> 3);
			text = end + 1;
		}
	}
	printk_emit((int)facility, (int)level, "%s", text);
	free(line);
	return (int)len;
}

int dmesg_render(struct ofile *of)
{
	struct log_record_info info;
	char text[LOG_LINE_MAX + 1];
	uint64_t seq = logbuf_first_seq();
	int r, err = 0;

	while (!err && (r = logbuf_read(&seq, &info, text, sizeof(text))) != -EAGAIN) {
		if (r)
			continue;	/* EPIPE: seq moved on */
		err = of_printf(of, "<%u>[%5llu.%06llu] %s\n",
				(info.facility << 3) | info.level,
				(unsigned long long)(info.ts_nsec / 1000000000ull),
				(unsigned long long)(info.ts_nsec % 1000000000ull / 1000),
				text);
		seq++;
	}
	return err;
}

/* In the foreground, echo the log to stderr like a console.  A thread
 * follows the log; console_flush() at exit prints what it has not yet
 * (the exit functions' last words), so nothing is lost to the race. */
static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t console_seq;
static bool console_on;

static void console_flush(void)
{
	struct log_record_info info;
	char text[LOG_LINE_MAX + 1];
	int r;

	pthread_mutex_lock(&console_lock);
	while (console_on && (r = logbuf_read(&console_seq, &info, text, sizeof(text))) != -EAGAIN) {
		if (r)
			continue;	/* EPIPE: the cursor moved on */
		fprintf(stderr, "[%5llu.%06llu] %s\n",
			(unsigned long long)(info.ts_nsec / 1000000000ull),
			(unsigned long long)(info.ts_nsec % 1000000000ull / 1000), text);
		console_seq++;
	}
	pthread_mutex_unlock(&console_lock);
}

static void *console_main(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t seq;

		console_flush();
		pthread_mutex_lock(&console_lock);
		seq = console_seq;
		pthread_mutex_unlock(&console_lock);
		logbuf_wait(seq, -1);
	}
	return NULL;
}

void console_stop(void)
{
	console_flush();
	fflush(stderr);
}

void console_start(void)
{
	pthread_t t;

	console_seq = logbuf_first_seq();
	console_on = true;

	if (!pthread_create(&t, NULL, console_main, NULL)) {
		pthread_setname_np(t, "kmodfs-console");
		pthread_detach(t);
	}
}
