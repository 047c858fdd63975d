// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-memory files: the module images being written in load/ and the
 * files of etc/modprobe.d.  One growable buffer each; writes may come in
 * any order (holes read as zeros) up to the file's size limit (EFBIG).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"

struct memfile {
	pthread_mutex_t lock;
	char *data;
	size_t len, cap, limit;
	int error;		/* the first failed write since the last truncation */
};

struct memfile *memfile_new(size_t limit)
{
	struct memfile *pl = calloc(1, sizeof(*pl));

	if (pl) {
		pthread_mutex_init(&pl->lock, NULL);
		pl->limit = limit;
	}
	return pl;
}

void memfile_free(struct memfile *pl)
{
	pthread_mutex_destroy(&pl->lock);
	free(pl->data);
	free(pl);
}

/* pl->lock held */
static int reserve(struct memfile *pl, size_t size)
{
	size_t cap;
	char *p;

	if (size > pl->limit)
		return -EFBIG;
	if (size <= pl->cap)
		return 0;
	cap = pl->cap ? pl->cap : 64 * 1024;
	while (cap < size)
		cap = cap > pl->limit / 2 ? pl->limit : cap * 2;
	p = realloc(pl->data, cap);
	if (!p)
		return -ENOMEM;
	pl->data = p;
	pl->cap = cap;
	return 0;
}

int memfile_write(struct memfile *pl, const char *buf, size_t len, off_t off)
{
	size_t end;
	int err;

	if (off < 0 || __builtin_add_overflow((size_t)off, len, &end))
		return -EFBIG;
	pthread_mutex_lock(&pl->lock);
	err = reserve(pl, end);
	if (!err) {
		if ((size_t)off > pl->len)
			memset(pl->data + pl->len, 0, (size_t)off - pl->len);
		memcpy(pl->data + off, buf, len);
		if (end > pl->len)
			pl->len = end;
	} else if (!pl->error) {
		pl->error = err;
	}
	pthread_mutex_unlock(&pl->lock);
	return err ? err : (int)len;
}

int memfile_truncate(struct memfile *pl, off_t size)
{
	int err = 0;

	if (size < 0)
		return -EINVAL;
	pthread_mutex_lock(&pl->lock);
	if ((size_t)size > pl->len) {
		err = reserve(pl, (size_t)size);
		if (!err)
			memset(pl->data + pl->len, 0, (size_t)size - pl->len);
	}
	if (!err)
		pl->len = (size_t)size;
	if (!err && size == 0)
		pl->error = 0;	/* a fresh start (O_TRUNC) */
	pthread_mutex_unlock(&pl->lock);
	return err;
}

int memfile_error(struct memfile *mf)
{
	int err;

	pthread_mutex_lock(&mf->lock);
	err = mf->error;
	pthread_mutex_unlock(&mf->lock);
	return err;
}

void memfile_clear(struct memfile *mf)
{
	pthread_mutex_lock(&mf->lock);
	free(mf->data);
	mf->data = NULL;
	mf->len = mf->cap = 0;
	mf->error = 0;
	pthread_mutex_unlock(&mf->lock);
}

size_t memfile_read(struct memfile *pl, char *buf, size_t size, off_t off)
{
	size_t n = 0;

	pthread_mutex_lock(&pl->lock);
	if (off >= 0 && (size_t)off < pl->len) {
		n = pl->len - (size_t)off < size ? pl->len - (size_t)off : size;
		memcpy(buf, pl->data + off, n);
	}
	pthread_mutex_unlock(&pl->lock);
	return n;
}

size_t memfile_size(const struct memfile *pl)
{
	return pl->len;
}

/* Run fn over the contents (locked, so no write can interleave). */
int memfile_with_data(struct memfile *pl, int (*fn)(const char *data, size_t len, void *arg), void *arg)
{
	int r;

	pthread_mutex_lock(&pl->lock);
	r = fn(pl->data ? pl->data : "", pl->len, arg);
	pthread_mutex_unlock(&pl->lock);
	return r;
}
