/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log: a bounded ring of printk records, each with a sequence
 * number, a timestamp, facility and level, as Linux's printk ringbuffer
 * keeps them for /dev/kmsg and dmesg.
 *
 * Locking: one mutex inside; every function may be called from any thread.
 * Listener callbacks run with no lock held.
 */
#ifndef KMODFS_KERNEL_LOGBUF_H
#define KMODFS_KERNEL_LOGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux 6.1 formats a record into LOG_LINE_MAX = 1024 - PREFIX_MAX(32)
 * bytes: at most 991 characters of text */
#define LOG_LINE_MAX 991

enum log_flags {
	LOG_NEWLINE = 2,	/* text ended with a newline */
	LOG_CONT = 8,		/* a KERN_CONT fragment that began a record */
};

struct log_record_info {
	uint64_t seq;
	uint64_t ts_nsec;	/* since the emulated boot */
	uint8_t facility;
	uint8_t level;
	uint8_t flags;
	uint32_t caller_id;	/* thread id of the writer */
	size_t text_len;
};

/*
 * Store a message.  A KERN_CONT message (cont=true) is appended to the
 * last record if that record is still open (no newline yet) and came from
 * the same caller; otherwise it starts a record of its own.  A record
 * becomes visible to readers once it is finalized: it ended with a
 * newline, or another record was started after it.
 */
void logbuf_store(unsigned int facility, unsigned int level, bool cont,
		  uint32_t caller_id, const char *text, size_t len);

/*
 * Copy record *seq into info/text (text is NUL-terminated, truncated to
 * textlen).  Returns 0; -EAGAIN if no finalized record *seq exists yet;
 * -EPIPE if it was overwritten, with *seq moved to the oldest record.
 */
int logbuf_read(uint64_t *seq, struct log_record_info *info, char *text,
		size_t textlen);

uint64_t logbuf_first_seq(void);
/* Sequence number the next finalized record will get (one past the last). */
uint64_t logbuf_next_seq(void);

/* Wait until record seq is readable; timeout_ms < 0 waits forever.
 * Returns 0 or -ETIMEDOUT. */
int logbuf_wait(uint64_t seq, int timeout_ms);

/* Called (without locks) after new records become readable. */
int logbuf_add_listener(void (*fn)(void *arg), void *arg);
void logbuf_remove_listener(void (*fn)(void *arg), void *arg);

/* Nanoseconds since the emulated boot (CLOCK_MONOTONIC based). */
uint64_t local_clock_ns(void);

#endif
