// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The FUSE low-level operations: one handler per operation, each a thin
 * dispatch on the node kind to the tree that owns it.
 *
 * Caching: entries and attributes of the static skeleton and of module
 * directories are cached by the kernel for ENTRY_TIMEOUT, and a module's
 * entry is invalidated explicitly when it goes away, so lookups stay
 * cheap without ever showing a gone module for long.  Negative entries
 * are not cached, so a module shows up the moment it loads.  File
 * contents are never cached: sysfs and proc files are opened direct_io
 * and rendered at open, so a value a module changes reads back changed
 * at the next open.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs.h"
#include "kernel/printk.h"

#define ENTRY_TIMEOUT 1.0

int of_append(struct ofile *of, const void *data, size_t len)
{
	if (of->len + len > of->cap) {
		size_t cap = of->cap ? of->cap : 4096;
		char *b;

		while (cap < of->len + len)
			cap *= 2;
		b = realloc(of->buf, cap);
		if (!b)
			return -ENOMEM;
		of->buf = b;
		of->cap = cap;
	}
	memcpy(of->buf + of->len, data, len);
	of->len += len;
	return 0;
}

int of_printf(struct ofile *of, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EIO;
	if ((size_t)n < sizeof(small))
		return of_append(of, small, (size_t)n);
	char *big = malloc((size_t)n + 1);

	if (!big)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	n = of_append(of, big, (size_t)n);
	free(big);
	return n;
}

static struct node *get_node(fuse_ino_t ino)
{
	struct node *n;

	pthread_mutex_lock(&fs_lock);
	n = node_get(ino);
	pthread_mutex_unlock(&fs_lock);
	return n;
}

static bool volatile_attr(const struct node *n)
{
	return n->kind == N_LOADFILE || n->kind == N_DMESG || n->kind == N_MODPROBE_FILE;
}

static void fill_entry(struct node *n, struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = n->ino;
	e->generation = 1;
	node_fill_attr(n, &e->attr);
	e->attr_timeout = volatile_attr(n) ? 0 : ENTRY_TIMEOUT;
	e->entry_timeout = ENTRY_TIMEOUT;
}

static int dmesg_size(void)
{
	struct ofile of = { 0 };
	int len = dmesg_render(&of) ? 0 : (int)of.len;

	free(of.buf);
	return len;
}

/*
 * err as module code chose it (an init's or a parameter handler's
 * return value), made fit for a FUSE reply: the kernel's FUSE refuses
 * errors from ERESTARTSYS (512) on and would leave the caller hanging,
 * so those become EINVAL, with a line in the log.
 */
static int module_errno(int err, const struct node *n)
{
	if (err > -512)
		return err;
	if (n->kind == N_LOADFILE)
		pr_warn("kmodfs: load/%s: init returned %d, which is no errno: the writer gets EINVAL\n",
			n->name, err);
	else
		pr_warn("kmodfs: sys/module/%s/parameters/%s: the handler returned %d, which is no errno: EINVAL\n",
			n->km ? n->km->name : "module", n->name, err);
	return -EINVAL;
}

/* n carries the lookup count this reply gives the kernel */
static void reply_entry(fuse_req_t req, struct node *n)
{
	struct fuse_entry_param e;

	pthread_mutex_lock(&fs_lock);
	fill_entry(n, &e);
	pthread_mutex_unlock(&fs_lock);
	if (n->kind == N_DMESG)
		e.attr.st_size = dmesg_size();
	if (fuse_reply_entry(req, &e))	/* interrupted: the kernel never got it */
		node_forget(e.ino, 1);
}

static void kmodfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct node *dir = get_node(parent), *n;
	int err;

	if (!dir) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	n = node_child(dir, name, &err);
	if (!n) {
		fuse_reply_err(req, -err);
		return;
	}
	reply_entry(req, n);
}

static void kmodfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	node_forget(ino, nlookup);
	fuse_reply_none(req);
}

static void kmodfs_forget_multi(fuse_req_t req, size_t count,
				struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		node_forget(forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void kmodfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct node *n = get_node(ino);
	struct stat st;
	bool volat;

	(void)fi;
	if (!n) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	pthread_mutex_lock(&fs_lock);
	node_fill_attr(n, &st);
	volat = volatile_attr(n);
	pthread_mutex_unlock(&fs_lock);
	if (n->kind == N_DMESG)
		st.st_size = dmesg_size();
	fuse_reply_attr(req, &st, volat ? 0 : ENTRY_TIMEOUT);
}

static void kmodfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
			   int to_set, struct fuse_file_info *fi)
{
	struct node *n = get_node(ino);
	struct stat st;

	(void)fi;
	if (!n) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	/* in-memory files may be truncated (cp, install, dd, editors) */
	if (n->kind != N_LOADFILE && n->kind != N_MODPROBE_FILE) {
		fuse_reply_err(req, EPERM);
		return;
	}
	if (to_set & FUSE_SET_ATTR_SIZE) {
		int err = memfile_truncate(n->mf, attr->st_size);

		if (err) {
			fuse_reply_err(req, -err);
			return;
		}
	}
	pthread_mutex_lock(&fs_lock);
	node_fill_attr(n, &st);
	pthread_mutex_unlock(&fs_lock);
	fuse_reply_attr(req, &st, 0);
}

static void kmodfs_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct node *n = get_node(ino);
	char buf[256];

	if (!n || n->kind != N_HOLDER) {
		fuse_reply_err(req, n ? EINVAL : ENOENT);
		return;
	}
	if (sysmod_readlink(n, buf, sizeof(buf))) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	fuse_reply_readlink(req, buf);
}

static void kmodfs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
			 mode_t mode)
{
	(void)parent;
	(void)name;
	(void)mode;
	fuse_reply_err(req, EPERM);
}

static void kmodfs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct node *dir = get_node(parent);
	int err;

	if (!dir) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	err = sysmod_rmdir(dir, name);
	fuse_reply_err(req, -err);
}

static struct node *find_load_file(struct node *dir, const char *name)
{
	for (struct node *c = dir->children; c; c = c->sibling)
		if (!c->removed && !strcmp(c->name, name))
			return c;
	return NULL;
}

static void kmodfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct node *dir = get_node(parent), *n;
	int err = 0;

	if (!dir) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (dir->kind != N_LOAD && dir->kind != N_MODPROBE) {
		fuse_reply_err(req, EPERM);
		return;
	}
	pthread_mutex_lock(&fs_lock);
	n = find_load_file(dir, name);
	if (n)
		node_remove(n);
	else
		err = ENOENT;
	pthread_mutex_unlock(&fs_lock);
	fuse_reply_err(req, err);
}

/* Every open file, so that those still open at unmount can be freed. */
static struct ofile *open_files;
static pthread_mutex_t open_files_lock = PTHREAD_MUTEX_INITIALIZER;

static struct ofile *ofile_new(struct node *n)
{
	struct ofile *of = calloc(1, sizeof(*of));

	if (!of)
		return NULL;
	of->node = n;
	pthread_mutex_lock(&open_files_lock);
	of->next_open = open_files;
	if (open_files)
		open_files->prev_open = &of->next_open;
	of->prev_open = &open_files;
	open_files = of;
	pthread_mutex_unlock(&open_files_lock);
	return of;
}

static void ofile_free(struct ofile *of)
{
	if (!of)
		return;
	pthread_mutex_lock(&open_files_lock);
	*of->prev_open = of->next_open;
	if (of->next_open)
		of->next_open->prev_open = of->prev_open;
	pthread_mutex_unlock(&open_files_lock);
	free(of->buf);
	free(of);
}

/*
 * The last close of a file.  An image created but never written (touch)
 * does not linger in load/ -- unless another open has it: a release
 * comes after close() returns, so the previous writer's release may
 * arrive once the next writer has reopened the name and before it
 * writes.
 */
static void ofile_close(struct ofile *of)
{
	struct node *n = of->node;

	pthread_mutex_lock(&fs_lock);
	if (!--n->nopen && n->kind == N_LOADFILE && !n->removed && !memfile_size(n->mf))
		node_remove(n);
	pthread_mutex_unlock(&fs_lock);
	ofile_free(of);
}

void ofiles_free_all(void)
{
	while (open_files)
		ofile_free(open_files);
}

/*
 * Reply with a copy: once the reply is out, the reader may close the
 * file and another thread free of->buf while this one still returns
 * from the write to /dev/fuse.
 */
static void reply_copy(fuse_req_t req, const char *data, size_t size)
{
	char small[4096], *copy = size <= sizeof(small) ? small : malloc(size);

	if (!copy) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memcpy(copy, data, size);
	fuse_reply_buf(req, copy, size);
	if (copy != small)
		free(copy);
}

static void kmodfs_create(fuse_req_t req, fuse_ino_t parent, const char *name,
			  mode_t mode, struct fuse_file_info *fi)
{
	struct node *dir = get_node(parent), *n;
	struct fuse_entry_param e;
	struct ofile *of;

	(void)mode;
	if (!dir) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (dir->kind != N_LOAD && dir->kind != N_MODPROBE) {
		fuse_reply_err(req, EACCES);
		return;
	}
	of = ofile_new(NULL);
	if (!of) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&fs_lock);
	n = find_load_file(dir, name);
	if (!n && dir->kind == N_MODPROBE) {
		if (modprobe_create(dir, name, &n))
			n = NULL;
	} else if (!n) {
		n = node_add_child(dir, name, N_LOADFILE, 0, NULL);
		if (n) {
			n->mf = memfile_new(fs_opts.max_module_size);
			if (!n->mf) {
				node_remove(n);
				n = NULL;
			}
		}
	}
	if (n) {
		of->node = n;
		of->writer = true;
		n->nopen++;
		n->nlookup++;
		fill_entry(n, &e);
	}
	pthread_mutex_unlock(&fs_lock);
	if (!n) {
		ofile_free(of);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->fh = (uintptr_t)of;
	fi->direct_io = 1;
	fuse_reply_create(req, &e, fi);
}

/* kernfs: opening without the matching permission bit is EACCES, root too */
static int check_open_mode(const struct node *n, int flags)
{
	struct stat st;
	int acc = flags & O_ACCMODE;

	node_fill_attr(n, &st);
	if ((acc == O_RDONLY || acc == O_RDWR) && !(st.st_mode & 0444))
		return -EACCES;
	if ((acc == O_WRONLY || acc == O_RDWR) && !(st.st_mode & 0222))
		return -EACCES;
	return 0;
}

static int render(struct node *n, struct ofile *of)
{
	switch (n->kind) {
	case N_MODATTR: case N_SECTION: case N_NOTE: case N_PARAM: case N_BUILTIN_PARAM:
		return sysmod_render(n, of);
	case N_PROC_MODULES: case N_PROC_KALLSYMS: case N_TAINTED: case N_MODULES_DISABLED:
		return proc_render(n, of);
	case N_DMESG:
		return dmesg_render(of);
	default:
		return 0;
	}
}

static void kmodfs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
			  fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	struct node *dir = get_node(parent), *newdir = get_node(newparent);
	int err;

	if (!dir || !newdir) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (flags) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	pthread_mutex_lock(&fs_lock);
	err = modprobe_rename(dir, name, newdir, newname);
	pthread_mutex_unlock(&fs_lock);
	fuse_reply_err(req, -err);
}

static void kmodfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct node *n = get_node(ino);
	struct ofile *of;
	int err = 0, acc = fi->flags & O_ACCMODE;

	if (!n) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (node_is_dir(n)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	of = ofile_new(n);
	if (!of) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&fs_lock);
	/* the kernel may still hold the name of an image loaded a moment
	 * ago (cat > load/x.ko twice in a row): writing it again starts a
	 * new image under the same inode */
	if (n->removed && acc != O_RDONLY && node_revive(n))
		fi->flags |= O_TRUNC;
	if (n->removed || (n->km && n->km->unlinked))
		err = -ENOENT;
	else if (!n->mf)
		err = check_open_mode(n, fi->flags);
	if (!err)
		n->nopen++;	/* before the lock goes: see ofile_close */
	pthread_mutex_unlock(&fs_lock);
	if (err) {
		ofile_free(of);
		fuse_reply_err(req, -err);
		return;
	}
	of->writer = acc != O_RDONLY;
	if (!err && n->mf && (fi->flags & O_TRUNC))
		err = memfile_truncate(n->mf, 0);
	if (!err && n->kind == N_KMSG) {
		err = kmsg_open(of);
		of->nonblock = fi->flags & O_NONBLOCK;
	} else if (!err && acc != O_WRONLY && !n->mf) {
		/* the snapshot every read is served from */
		err = module_errno(render(n, of), n);
	}
	if (err) {
		ofile_close(of);
		fuse_reply_err(req, -err);
		return;
	}
	fi->fh = (uintptr_t)of;
	/* dmesg goes through the page cache so that dmesg -F can mmap it */
	fi->direct_io = n->kind != N_DMESG;
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

static void kmodfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			struct fuse_file_info *fi)
{
	struct ofile *of = (struct ofile *)(uintptr_t)fi->fh;
	struct node *n = of->node;

	(void)ino;
	if (n->kind == N_KMSG) {
		kmsg_read(req, of, size);
		return;
	}
	/* a sysfs binary attribute: reads stop at its size, and any read
	 * that starts inside it but not at 0 is EINVAL */
	if (n->kind == N_SECTION && off != 0 && (size_t)off < of->len) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (n->mf) {
		/* in-memory files read back what was written */
		char *data = malloc(size ? size : 1);

		if (!data) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		fuse_reply_buf(req, data, memfile_read(n->mf, data, size, off));
		free(data);
		return;
	}
	if ((size_t)off >= of->len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (size > of->len - (size_t)off)
		size = of->len - (size_t)off;
	reply_copy(req, of->buf + off, size);
}

static void kmodfs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
			 size_t size, off_t off, struct fuse_file_info *fi)
{
	struct ofile *of = (struct ofile *)(uintptr_t)fi->fh;
	struct node *n = of->node;
	int r;

	(void)ino;
	switch (n->kind) {
	case N_LOADFILE:
		r = memfile_write(n->mf, buf, size, off);
		if (r >= 0) {
			of->dirty = true;
			of->write_owner = fi->lock_owner;
		}
		break;
	case N_MODPROBE_FILE:
		r = memfile_write(n->mf, buf, size, off);
		break;
	case N_PARAM:
	case N_BUILTIN_PARAM:
		r = module_errno(sysmod_write(n, buf, size), n);
		break;
	case N_TAINTED:
	case N_MODULES_DISABLED:
		r = proc_write(n, buf, size);
		break;
	case N_KMSG:
		r = kmsg_write(buf, size);
		break;
	default:
		r = -EIO;
		break;
	}
	if (r < 0)
		fuse_reply_err(req, -r);
	else
		fuse_reply_write(req, (size_t)r);
}

static void kmodfs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct ofile *of = (struct ofile *)(uintptr_t)fi->fh;
	struct node *n = of->node;
	int err = 0;

	(void)ino;
	/*
	 * close() is the load, but not every close(): a shell redirection or
	 * dd closes a duplicate before writing, and a writer's child closes
	 * its inherited copy while the parent still writes.  Load at the
	 * close of the process that wrote last, once data was written.
	 * (fi->flags is not set for flush: the open mode is in the ofile.)
	 */
	if (n->kind != N_LOADFILE || !of->writer || !of->dirty ||
	    fi->lock_owner != of->write_owner) {
		fuse_reply_err(req, 0);
		return;
	}
	of->dirty = false;
	pthread_mutex_lock(&fs_lock);
	if (n->removed) {
		/* already loaded through another descriptor, or unlinked */
		pthread_mutex_unlock(&fs_lock);
		fuse_reply_err(req, 0);
		return;
	}
	/* the file leaves load/ now; its image is loaded below */
	n->removed = true;
	n->loading = true;
	node_unlink(n);		/* it leaves load/'s listing at once */
	pthread_mutex_unlock(&fs_lock);

	err = memfile_error(n->mf);
	if (err) {
		/* the writer was told a write failed: what it left is no image */
		pr_err("kmodfs: load/%s: a write failed (%s): the incomplete image is not loaded\n",
		       n->name, strerror(-err));
	} else {
		err = load_commit(n->mf);
	}
	if (err == -EINTR && fuse_session_exited(fs_session)) {
		/* the load goes on in its thread, which still reads the image */
		fuse_reply_err(req, EINTR);
		return;
	}

	err = module_errno(err, n);
	/* the image is in module memory now (or refused): drop the copy even
	 * if the kernel keeps the name cached for a while */
	memfile_clear(n->mf);
	pthread_mutex_lock(&fs_lock);
	n->loading = false;
	node_remove(n);
	pthread_mutex_unlock(&fs_lock);
	fuse_reply_err(req, -err);
}

static void kmodfs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct ofile *of = (struct ofile *)(uintptr_t)fi->fh;

	(void)ino;
	ofile_close(of);
	fuse_reply_err(req, 0);
}

static void kmodfs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct node *n = get_node(ino);
	struct dirlist *d;
	int err;

	if (!n) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (!node_is_dir(n)) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	/* the listing is taken once, so offsets stay valid across calls */
	err = dirlist_add(d, ".", n->kind);
	if (!err)
		err = dirlist_add(d, "..", N_ROOT);
	if (!err)
		err = node_list(n, d);
	if (err) {
		dirlist_free(d);
		free(d);
		fuse_reply_err(req, -err);
		return;
	}
	fi->fh = (uintptr_t)d;
	fuse_reply_open(req, fi);
}

static mode_t kind_type(enum node_kind k)
{
	struct node tmp = { .kind = k };

	if (k == N_HOLDER)
		return S_IFLNK;
	return node_is_dir(&tmp) ? S_IFDIR : S_IFREG;
}

static void kmodfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	struct dirlist *d = (struct dirlist *)(uintptr_t)fi->fh;
	char *buf = malloc(size);
	size_t used = 0;

	(void)ino;
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	for (size_t i = (size_t)off; i < d->n; i++) {
		struct stat st = { .st_ino = (ino_t)(i + 1000000), .st_mode = kind_type(d->kinds[i]) };
		size_t need = fuse_add_direntry(req, buf + used, size - used, d->names[i],
						&st, (off_t)(i + 1));

		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, buf, used);
	free(buf);
}

static void kmodfs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dirlist *d = (struct dirlist *)(uintptr_t)fi->fh;

	(void)ino;
	dirlist_free(d);
	free(d);
	fuse_reply_err(req, 0);
}

static void kmodfs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs st = { .f_bsize = 4096, .f_frsize = 4096, .f_namemax = 255 };

	(void)ino;
	fuse_reply_statfs(req, &st);
}

static void kmodfs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
			struct fuse_pollhandle *ph)
{
	struct ofile *of = (struct ofile *)(uintptr_t)fi->fh;

	(void)ino;
	if (of->node->kind != N_KMSG) {
		if (ph)
			fuse_pollhandle_destroy(ph);
		fuse_reply_poll(req, POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
		return;
	}
	kmsg_poll(req, of, ph);
}

static void kmodfs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* no writeback cache: every write of a parameter is one store */
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	if (conn->capable & FUSE_CAP_ASYNC_READ)
		conn->want |= FUSE_CAP_ASYNC_READ;
}

const struct fuse_lowlevel_ops kmodfs_ops = {
	.init = kmodfs_init,
	.lookup = kmodfs_lookup,
	.forget = kmodfs_forget,
	.forget_multi = kmodfs_forget_multi,
	.getattr = kmodfs_getattr,
	.setattr = kmodfs_setattr,
	.readlink = kmodfs_readlink,
	.mkdir = kmodfs_mkdir,
	.rmdir = kmodfs_rmdir,
	.unlink = kmodfs_unlink,
	.rename = kmodfs_rename,
	.create = kmodfs_create,
	.open = kmodfs_open,
	.read = kmodfs_read,
	.write = kmodfs_write,
	.flush = kmodfs_flush,
	.release = kmodfs_release,
	.opendir = kmodfs_opendir,
	.readdir = kmodfs_readdir,
	.releasedir = kmodfs_releasedir,
	.statfs = kmodfs_statfs,
	.poll = kmodfs_poll,
};
