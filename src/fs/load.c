// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load/: a file written here is a module image; when its writer closes
 * it, the image is loaded and the result of the load becomes the result
 * of close() (FUSE flush).  The file then disappears.
 *
 * The image is kept in one growable buffer in the daemon; writes may come
 * in any order (holes read as zeros) up to the configured maximum module
 * size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"

struct pending_load {
	pthread_mutex_t lock;
	char *data;
	size_t len, cap;
};

struct pending_load *pending_new(void)
{
	struct pending_load *pl = calloc(1, sizeof(*pl));

	if (pl)
		pthread_mutex_init(&pl->lock, NULL);
	return pl;
}

void pending_free(struct pending_load *pl)
{
	pthread_mutex_destroy(&pl->lock);
	free(pl->data);
	free(pl);
}

/* pl->lock held */
static int reserve(struct pending_load *pl, size_t size)
{
	size_t cap;
	char *p;

	if (size > fs_opts.max_module_size)
		return -EFBIG;
	if (size <= pl->cap)
		return 0;
	cap = pl->cap ? pl->cap : 64 * 1024;
	while (cap < size)
		cap = cap > fs_opts.max_module_size / 2 ? fs_opts.max_module_size : cap * 2;
	p = realloc(pl->data, cap);
	if (!p)
		return -ENOMEM;
	pl->data = p;
	pl->cap = cap;
	return 0;
}

int pending_write(struct pending_load *pl, const char *buf, size_t len, off_t off)
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
	}
	pthread_mutex_unlock(&pl->lock);
	return err ? err : (int)len;
}

int pending_truncate(struct pending_load *pl, off_t size)
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
	pthread_mutex_unlock(&pl->lock);
	return err;
}

size_t pending_read(struct pending_load *pl, char *buf, size_t size, off_t off)
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

size_t pending_size(const struct pending_load *pl)
{
	return pl->len;
}

/* Load the image: 0 or the -errno finit_module would return. */
int pending_commit(struct pending_load *pl)
{
	int err;

	pthread_mutex_lock(&pl->lock);
	err = load_module(pl->data, pl->len, NULL, MODULE_INIT_COMPRESSED_FILE);
	pthread_mutex_unlock(&pl->lock);
	return err;
}
