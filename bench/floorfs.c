// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floorfs: the FUSE floor of the benchmark (bench/run.sh).  A minimal
 * libfuse3 low-level filesystem with kmodfs's shape, its mount options
 * and its request pattern, but no loader behind it, so that timing the
 * same system calls on both mounts shows what kmodfs adds to FUSE.
 *
 *   load/                   files are created, written and closed; as in
 *                           kmodfs the writer's close (FLUSH) "commits"
 *                           the image and the file disappears (no load)
 *   sys/module/NAME/        every NAME exists; rmdir of it succeeds
 *   sys/module/NAME/parameters/N
 *                           a file of N bytes (N in decimal), rendered
 *                           into a buffer at open, read direct_io
 *
 * What is mirrored from kmodfs (src/fs/ops.c, main.c): default_permissions;
 * entry and attribute timeouts (1 s; attributes of load/ files 0); no
 * negative entries; load/ files and parameter files opened direct_io;
 * writes into a growable buffer starting at 64 KiB; contents rendered at
 * open into a per-open buffer and replies sent from a copy; the
 * multi-threaded loop with the same configuration; no writeback cache,
 * async reads.  What is not: kmodfs's dentry invalidation after an
 * unload (a notification, not a request), directory listings (the
 * benchmark makes none) and, of course, the loader.
 *
 *   floorfs [-f] [-d] [-s] [-o OPT,...] MOUNTPOINT
 */
#define FUSE_USE_VERSION 312

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT 1.0
#define BUCKETS 4096

enum kind { F_ROOT, F_LOAD, F_LOADFILE, F_SYS, F_SYSMODULE, F_MODDIR, F_PARAMS, F_PARAM };

struct fnode {
	fuse_ino_t ino;
	enum kind kind;
	char *name;
	struct fnode *parent, *children, *sibling, *hash_next;
	uint64_t nlookup;
	bool removed;
	size_t size;			/* F_PARAM: content length */
	char *data;			/* F_LOADFILE: the image */
	size_t len, cap;
};

struct fopen {
	struct fnode *n;
	char *buf;			/* F_PARAM: the rendered content */
	size_t len;
	bool writer, dirty;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fnode *hash[BUCKETS];
static fuse_ino_t next_ino = FUSE_ROOT_ID;
static struct timespec mount_time;

/* lock held */
static struct fnode *add_child(struct fnode *dir, const char *name, enum kind kind)
{
	struct fnode *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strdup(name);
	if (!n->name) {
		free(n);
		return NULL;
	}
	n->ino = next_ino++;
	n->kind = kind;
	n->parent = dir;
	if (dir) {
		n->sibling = dir->children;
		dir->children = n;
	}
	n->hash_next = hash[n->ino % BUCKETS];
	hash[n->ino % BUCKETS] = n;
	return n;
}

/* lock held */
static struct fnode *get(fuse_ino_t ino)
{
	for (struct fnode *n = hash[ino % BUCKETS]; n; n = n->hash_next)
		if (n->ino == ino)
			return n;
	return NULL;
}

/* lock held: free a removed node nobody refers to, then maybe its parent */
static void maybe_free(struct fnode *n)
{
	while (n && n->removed && !n->nlookup && !n->children) {
		struct fnode *parent = n->parent, **pp;

		if (parent)
			for (pp = &parent->children; *pp; pp = &(*pp)->sibling)
				if (*pp == n) {
					*pp = n->sibling;
					break;
				}
		for (pp = &hash[n->ino % BUCKETS]; *pp; pp = &(*pp)->hash_next)
			if (*pp == n) {
				*pp = n->hash_next;
				break;
			}
		free(n->data);
		free(n->name);
		free(n);
		n = parent;
	}
}

/* lock held */
static void remove_node(struct fnode *n)
{
	n->removed = true;
	for (struct fnode *c = n->children, *next; c; c = next) {
		next = c->sibling;
		remove_node(c);
	}
	maybe_free(n);
}

static bool is_dir(enum kind k)
{
	return k != F_LOADFILE && k != F_PARAM;
}

/* lock held */
static void fill_attr(const struct fnode *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = n->ino;
	st->st_mode = n->kind == F_LOADFILE ? S_IFREG | 0600 :
		      n->kind == F_PARAM ? S_IFREG | 0644 : S_IFDIR | 0755;
	st->st_nlink = is_dir(n->kind) ? 2 : 1;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = mount_time;
	st->st_size = n->kind == F_LOADFILE ? (off_t)n->len :
		      n->kind == F_PARAM ? (off_t)n->size : 0;
}

/* lock held */
static void fill_entry(struct fnode *n, struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = n->ino;
	e->generation = 1;
	fill_attr(n, &e->attr);
	e->attr_timeout = n->kind == F_LOADFILE ? 0 : TIMEOUT;
	e->entry_timeout = TIMEOUT;
	n->nlookup++;
}

/* lock held */
static struct fnode *find(struct fnode *dir, const char *name)
{
	for (struct fnode *c = dir->children; c; c = c->sibling)
		if (!c->removed && !strcmp(c->name, name))
			return c;
	return NULL;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > 1 << 20)
		return -1;
	*out = v;
	return 0;
}

static void fl_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	struct fnode *dir, *n;
	size_t size = 0;

	pthread_mutex_lock(&lock);
	dir = get(parent);
	n = dir && !dir->removed ? find(dir, name) : NULL;
	if (!n && dir && !dir->removed) {
		/* the dynamic part: every module, every numeric parameter */
		if (dir->kind == F_SYSMODULE)
			n = add_child(dir, name, F_MODDIR);
		else if (dir->kind == F_MODDIR && !strcmp(name, "parameters"))
			n = add_child(dir, name, F_PARAMS);
		else if (dir->kind == F_PARAMS && !parse_size(name, &size)) {
			n = add_child(dir, name, F_PARAM);
			if (n)
				n->size = size;
		}
	}
	if (n)
		fill_entry(n, &e);
	pthread_mutex_unlock(&lock);
	if (!n)
		fuse_reply_err(req, ENOENT);	/* not cached, as in kmodfs */
	else
		fuse_reply_entry(req, &e);
}

static void fl_forget_one(fuse_ino_t ino, uint64_t nlookup)
{
	struct fnode *n;

	pthread_mutex_lock(&lock);
	n = get(ino);
	if (n) {
		n->nlookup = n->nlookup > nlookup ? n->nlookup - nlookup : 0;
		maybe_free(n);
	}
	pthread_mutex_unlock(&lock);
}

static void fl_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	fl_forget_one(ino, nlookup);
	fuse_reply_none(req);
}

static void fl_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *f)
{
	for (size_t i = 0; i < count; i++)
		fl_forget_one(f[i].ino, f[i].nlookup);
	fuse_reply_none(req);
}

static void fl_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fnode *n;
	struct stat st;
	double timeout = TIMEOUT;

	(void)fi;
	pthread_mutex_lock(&lock);
	n = get(ino);
	if (n) {
		fill_attr(n, &st);
		if (n->kind == F_LOADFILE)
			timeout = 0;
	}
	pthread_mutex_unlock(&lock);
	if (!n)
		fuse_reply_err(req, ENOENT);
	else
		fuse_reply_attr(req, &st, timeout);
}

/* lock held: the image buffer grows as kmodfs's memfile does */
static int reserve(struct fnode *n, size_t size)
{
	size_t cap;
	char *p;

	if (size <= n->cap)
		return 0;
	cap = n->cap ? n->cap : 64 * 1024;
	while (cap < size)
		cap *= 2;
	p = realloc(n->data, cap);
	if (!p)
		return -ENOMEM;
	n->data = p;
	n->cap = cap;
	return 0;
}

static void fl_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	struct fnode *n;
	struct stat st;
	int err = 0;

	(void)fi;
	pthread_mutex_lock(&lock);
	n = get(ino);
	if (!n)
		err = ENOENT;
	else if (n->kind != F_LOADFILE)
		err = EPERM;
	else if (to_set & FUSE_SET_ATTR_SIZE) {
		size_t size = (size_t)attr->st_size;

		err = -reserve(n, size);
		if (!err && size > n->len)
			memset(n->data + n->len, 0, size - n->len);
		if (!err)
			n->len = size;
	}
	if (!err)
		fill_attr(n, &st);
	pthread_mutex_unlock(&lock);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_attr(req, &st, 0);
}

static void fl_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fnode *dir, *n;
	int err = 0;

	pthread_mutex_lock(&lock);
	dir = get(parent);
	if (!dir || dir->kind != F_SYSMODULE)
		err = dir ? EPERM : ENOENT;
	else if ((n = find(dir, name)))
		remove_node(n);		/* the "module" is gone */
	pthread_mutex_unlock(&lock);
	fuse_reply_err(req, err);
}

static void fl_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fnode *dir, *n;
	int err = 0;

	pthread_mutex_lock(&lock);
	dir = get(parent);
	if (!dir || dir->kind != F_LOAD)
		err = dir ? EPERM : ENOENT;
	else if ((n = find(dir, name)))
		remove_node(n);
	else
		err = ENOENT;
	pthread_mutex_unlock(&lock);
	fuse_reply_err(req, err);
}

static void fl_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      struct fuse_file_info *fi)
{
	struct fopen *of = calloc(1, sizeof(*of));
	struct fuse_entry_param e;
	struct fnode *dir, *n = NULL;

	(void)mode;
	if (!of) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&lock);
	dir = get(parent);
	if (dir && dir->kind == F_LOAD) {
		n = find(dir, name);
		if (!n)
			n = add_child(dir, name, F_LOADFILE);
	}
	if (n) {
		of->n = n;
		of->writer = true;
		fill_entry(n, &e);
	}
	pthread_mutex_unlock(&lock);
	if (!n) {
		free(of);
		fuse_reply_err(req, dir ? EACCES : ENOENT);
		return;
	}
	fi->fh = (uintptr_t)of;
	fi->direct_io = 1;
	fuse_reply_create(req, &e, fi);
}

static void fl_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fopen *of = calloc(1, sizeof(*of));
	int err = 0, acc = fi->flags & O_ACCMODE;
	struct fnode *n;

	if (!of) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&lock);
	n = get(ino);
	if (!n || n->removed)
		err = ENOENT;
	else if (is_dir(n->kind))
		err = EISDIR;
	else if (n->kind == F_LOADFILE && (fi->flags & O_TRUNC))
		n->len = 0;
	pthread_mutex_unlock(&lock);
	if (!err && n->kind == F_PARAM && acc != O_WRONLY) {
		/* rendered at open, as kmodfs renders a parameter */
		of->buf = malloc(n->size ? n->size : 1);
		if (!of->buf) {
			err = ENOMEM;
		} else {
			memset(of->buf, 'x', n->size);
			if (n->size)
				of->buf[n->size - 1] = '\n';
			of->len = n->size;
		}
	}
	if (err) {
		free(of->buf);
		free(of);
		fuse_reply_err(req, err);
		return;
	}
	of->n = n;
	of->writer = acc != O_RDONLY;
	fi->fh = (uintptr_t)of;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

static void fl_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct fopen *of = (struct fopen *)(uintptr_t)fi->fh;
	char small[4096], *copy;

	(void)ino;
	if (of->n->kind == F_LOADFILE) {
		struct fnode *n = of->n;
		size_t len = 0;

		copy = malloc(size ? size : 1);
		if (!copy) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		pthread_mutex_lock(&lock);
		if ((size_t)off < n->len) {
			len = n->len - (size_t)off < size ? n->len - (size_t)off : size;
			memcpy(copy, n->data + off, len);
		}
		pthread_mutex_unlock(&lock);
		fuse_reply_buf(req, copy, len);
		free(copy);
		return;
	}
	if ((size_t)off >= of->len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (size > of->len - (size_t)off)
		size = of->len - (size_t)off;
	copy = size <= sizeof(small) ? small : malloc(size);
	if (!copy) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memcpy(copy, of->buf + off, size);
	fuse_reply_buf(req, copy, size);
	if (copy != small)
		free(copy);
}

static void fl_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
		     off_t off, struct fuse_file_info *fi)
{
	struct fopen *of = (struct fopen *)(uintptr_t)fi->fh;
	struct fnode *n = of->n;
	int err = 0;

	(void)ino;
	if (n->kind != F_LOADFILE) {
		fuse_reply_write(req, size);	/* a parameter store: accepted */
		return;
	}
	pthread_mutex_lock(&lock);
	err = -reserve(n, (size_t)off + size);
	if (!err) {
		if ((size_t)off > n->len)
			memset(n->data + n->len, 0, (size_t)off - n->len);
		memcpy(n->data + off, buf, size);
		if ((size_t)off + size > n->len)
			n->len = (size_t)off + size;
		of->dirty = true;
	}
	pthread_mutex_unlock(&lock);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_write(req, size);
}

static void fl_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fopen *of = (struct fopen *)(uintptr_t)fi->fh;

	(void)ino;
	/* kmodfs loads here; the floor just drops the image, and the file
	 * leaves load/ as it does in kmodfs */
	if (of->n->kind == F_LOADFILE && of->writer && of->dirty) {
		of->dirty = false;
		pthread_mutex_lock(&lock);
		if (!of->n->removed)
			remove_node(of->n);
		pthread_mutex_unlock(&lock);
	}
	fuse_reply_err(req, 0);
}

static void fl_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fopen *of = (struct fopen *)(uintptr_t)fi->fh;
	struct fnode *n = of->n;

	(void)ino;
	pthread_mutex_lock(&lock);
	if (n->kind == F_LOADFILE && !n->removed && !n->len)
		remove_node(n);		/* created but never written */
	pthread_mutex_unlock(&lock);
	free(of->buf);
	free(of);
	fuse_reply_err(req, 0);
}

static void fl_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	if (conn->capable & FUSE_CAP_ASYNC_READ)
		conn->want |= FUSE_CAP_ASYNC_READ;
}

static const struct fuse_lowlevel_ops ops = {
	.init = fl_init,
	.lookup = fl_lookup,
	.forget = fl_forget,
	.forget_multi = fl_forget_multi,
	.getattr = fl_getattr,
	.setattr = fl_setattr,
	.rmdir = fl_rmdir,
	.unlink = fl_unlink,
	.create = fl_create,
	.open = fl_open,
	.read = fl_read,
	.write = fl_write,
	.flush = fl_flush,
	.release = fl_release,
};

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts = { 0 };
	struct fuse_loop_config *loop;
	struct fuse_session *se;
	struct fnode *root, *sys;
	int ret = 1;

	if (fuse_parse_cmdline(&args, &opts) != 0)
		return 2;
	if (opts.show_help || !opts.mountpoint) {
		printf("usage: %s [-f] [-d] [-s] [-o OPT,...] MOUNTPOINT\n", argv[0]);
		ret = opts.show_help ? 0 : 2;
		goto out_args;
	}
	clock_gettime(CLOCK_REALTIME, &mount_time);
	root = add_child(NULL, "", F_ROOT);
	add_child(root, "load", F_LOAD);
	sys = add_child(root, "sys", F_SYS);
	add_child(sys, "module", F_SYSMODULE);

	if (fuse_opt_add_arg(&args, "-odefault_permissions,fsname=floorfs,subtype=floorfs"))
		goto out_args;
	se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	if (!se)
		goto out_args;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_session;
	if (fuse_session_mount(se, opts.mountpoint) != 0)
		goto out_signals;
	fuse_daemonize(opts.foreground);
	if (opts.singlethread) {
		ret = fuse_session_loop(se);
	} else {
		loop = fuse_loop_cfg_create();
		fuse_loop_cfg_set_max_threads(loop, 256);
		fuse_loop_cfg_set_idle_threads(loop, opts.max_idle_threads);
		fuse_loop_cfg_set_clone_fd(loop, opts.clone_fd);
		ret = fuse_session_loop_mt(se, loop);
		fuse_loop_cfg_destroy(loop);
	}
	ret = ret < 0 ? 1 : 0;
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
out_args:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
