// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log ring.  Records live in a circular array of pointers;
 * the oldest are dropped once the text held exceeds LOG_BUF_LEN (or the
 * records LOG_MAX_RECORDS), so a
 * slow reader sees EPIPE and skips ahead, as /dev/kmsg readers do.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/logbuf.h"

#define LOG_BUF_LEN (1u << 20)
/* Linux sizes its record descriptors for an average of 32 bytes of text
 * (PRB_AVGBITS): without a cap, a flood of tiny records would cost far
 * more memory than the text they hold */
#define LOG_MAX_RECORDS (LOG_BUF_LEN / 32)

struct log_rec {
	struct log_record_info info;
	char text[];
};

struct listener {
	void (*fn)(void *);
	void *arg;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static struct log_rec **ring;	/* ring[(seq) % cap] for seq in [first, next] */
static size_t cap;
static uint64_t first_seq;	/* oldest record kept */
static uint64_t next_seq;	/* one past the newest record (open or not) */
static bool last_open;		/* newest record is not finalized yet */
static size_t text_bytes;

static struct listener listeners[8];
static size_t nr_listeners;

static struct timespec boot_ts;

static void logbuf_init(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &a);
	pthread_condattr_destroy(&a);
	clock_gettime(CLOCK_MONOTONIC, &boot_ts);
}

uint64_t local_clock_ns(void)
{
	struct timespec ts;

	pthread_once(&once, logbuf_init);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)(ts.tv_sec - boot_ts.tv_sec) * 1000000000ull +
	       (uint64_t)ts.tv_nsec - (uint64_t)boot_ts.tv_nsec;
}

/* Highest sequence number readers may see, plus one. */
static uint64_t readable_end(void)
{
	return last_open ? next_seq - 1 : next_seq;
}

static void drop_oldest(void)
{
	struct log_rec *r = ring[first_seq % cap];

	text_bytes -= r->info.text_len;
	free(r);
	ring[first_seq % cap] = NULL;
	first_seq++;
}

static int grow_ring(void)
{
	size_t ncap = cap ? cap * 2 : 256;
	struct log_rec **n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (uint64_t s = first_seq; s < next_seq; s++)
		n[s % ncap] = ring[s % cap];
	free(ring);
	ring = n;
	cap = ncap;
	return 0;
}

static void notify(void)
{
	struct listener copy[8];
	size_t n;

	pthread_mutex_lock(&lock);
	n = nr_listeners;
	memcpy(copy, listeners, n * sizeof(copy[0]));
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < n; i++)
		copy[i].fn(copy[i].arg);
}

/* Append to the open record; caller holds lock. */
static bool append_to_last(uint32_t caller_id, const char *text, size_t len)
{
	struct log_rec *r, *n;
	size_t room;

	if (!last_open)
		return false;
	r = ring[(next_seq - 1) % cap];
	if (r->info.caller_id != caller_id)
		return false;
	room = LOG_LINE_MAX - r->info.text_len;
	if (len > room)
		len = room;
	n = realloc(r, sizeof(*r) + r->info.text_len + len + 1);
	if (!n)
		return true;	/* drop the fragment, keep the record */
	memcpy(n->text + n->info.text_len, text, len);
	n->info.text_len += len;
	n->text[n->info.text_len] = '\0';
	text_bytes += len;
	ring[(next_seq - 1) % cap] = n;
	return true;
}

void logbuf_store(unsigned int facility, unsigned int level, bool cont,
		  uint32_t caller_id, const char *text, size_t len)
{
	bool newline = len && text[len - 1] == '\n';
	bool became_readable = false;
	struct log_rec *r;

	pthread_once(&once, logbuf_init);
	if (newline)
		len--;
	if (len > LOG_LINE_MAX)
		len = LOG_LINE_MAX;

	pthread_mutex_lock(&lock);
	if (cont && append_to_last(caller_id, text, len)) {
		if (newline) {
			ring[(next_seq - 1) % cap]->info.flags |= LOG_NEWLINE;
			last_open = false;
			became_readable = true;
		}
		goto out;
	}
	if (last_open) {
		/* A new record finalizes the open one. */
		last_open = false;
		became_readable = true;
	}
	if (next_seq - first_seq >= cap && grow_ring() < 0)
		goto out;
	r = malloc(sizeof(*r) + len + 1);
	if (!r)
		goto out;
	r->info = (struct log_record_info){
		.seq = next_seq,
		.ts_nsec = local_clock_ns(),
		.facility = (uint8_t)facility,
		.level = (uint8_t)level,
		.flags = (uint8_t)((newline ? LOG_NEWLINE : 0) | (cont ? LOG_CONT : 0)),
		.caller_id = caller_id,
		.text_len = len,
	};
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	ring[next_seq % cap] = r;
	next_seq++;
	text_bytes += len;
	last_open = !newline;
	became_readable |= newline;
	while ((text_bytes > LOG_BUF_LEN || next_seq - first_seq > LOG_MAX_RECORDS) &&
	       next_seq - first_seq > 1)
		drop_oldest();
out:
	if (became_readable)
		pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	if (became_readable)
		notify();
}

int logbuf_read(uint64_t *seq, struct log_record_info *info, char *text,
		size_t textlen)
{
	const struct log_rec *r;
	int ret = 0;

	pthread_once(&once, logbuf_init);
	pthread_mutex_lock(&lock);
	if (*seq < first_seq) {
		*seq = first_seq;
		ret = -EPIPE;
	} else if (*seq >= readable_end()) {
		ret = -EAGAIN;
	} else {
		r = ring[*seq % cap];
		*info = r->info;
		if (textlen) {
			size_t n = r->info.text_len < textlen - 1 ? r->info.text_len
								  : textlen - 1;
			memcpy(text, r->text, n);
			text[n] = '\0';
		}
	}
	pthread_mutex_unlock(&lock);
	return ret;
}

uint64_t logbuf_first_seq(void)
{
	uint64_t s;

	pthread_mutex_lock(&lock);
	s = first_seq;
	pthread_mutex_unlock(&lock);
	return s;
}

uint64_t logbuf_next_seq(void)
{
	uint64_t s;

	pthread_mutex_lock(&lock);
	s = readable_end();
	pthread_mutex_unlock(&lock);
	return s;
}

int logbuf_wait(uint64_t seq, int timeout_ms)
{
	struct timespec until;
	int ret = 0;

	pthread_once(&once, logbuf_init);
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (timeout_ms >= 0) {
		until.tv_sec += timeout_ms / 1000;
		until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&lock);
	while (seq >= readable_end() && ret == 0) {
		if (timeout_ms < 0)
			pthread_cond_wait(&cond, &lock);
		else if (pthread_cond_timedwait(&cond, &lock, &until) == ETIMEDOUT)
			ret = -ETIMEDOUT;
	}
	if (seq < readable_end())
		ret = 0;
	pthread_mutex_unlock(&lock);
	return ret;
}

int logbuf_add_listener(void (*fn)(void *arg), void *arg)
{
	int ret = -ENOSPC;

	pthread_mutex_lock(&lock);
	if (nr_listeners < sizeof(listeners) / sizeof(listeners[0])) {
		listeners[nr_listeners++] = (struct listener){ fn, arg };
		ret = 0;
	}
	pthread_mutex_unlock(&lock);
	return ret;
}

void logbuf_remove_listener(void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nr_listeners; i++) {
		if (listeners[i].fn == fn && listeners[i].arg == arg) {
			listeners[i] = listeners[--nr_listeners];
			break;
		}
	}
	pthread_mutex_unlock(&lock);
}
