/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The FUSE front end over the loader core.
 *
 * Every file and directory of the mount is a struct node of some kind
 * (enum node_kind): one table (nodes.c) maps a directory and a name to
 * the node kind, and one file per emulated tree renders or handles that
 * tree's files (load.c, sysmodule.c, proc.c, kmsg.c).
 *
 * Nodes and lifetimes.  The static nodes (root, sys/, proc/... ) live
 * for the whole mount.  A module's nodes hold a record reference on its
 * struct kmodule and live while the module is loaded or the kernel still
 * holds a lookup count on them (forget).  Inode numbers are never reused.
 *
 * Locking.  fs_lock protects the node table; it is never held while
 * calling into the loader core (which takes module_mutex) or module code.
 *
 * Reads never tear: a file's content is rendered once at open into the
 * open file's buffer (struct ofile) and every read is served from it.
 */
#ifndef KMODFS_FS_FS_H
#define KMODFS_FS_FS_H

#define FUSE_USE_VERSION 312

#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "loader/module.h"

enum node_kind {
	N_ROOT,
	N_LOAD,			/* load/ */
	N_LOADFILE,		/* load/X: an image being written */
	N_SYS,
	N_SYSMODULE,		/* sys/module/ */
	N_MODDIR,		/* sys/module/NAME/ */
	N_MODATTR,		/* initstate, refcnt, ... (idx: enum modattr) */
	N_HOLDERS,
	N_HOLDER,		/* symlink ../../USER */
	N_SECTIONS,
	N_SECTION,		/* idx: section number */
	N_NOTES,
	N_NOTE,			/* idx: note number */
	N_PARAMS,
	N_PARAM,		/* idx: kernel_param number */
	N_BUILTIN_MOD,		/* sys/module/module/ */
	N_BUILTIN_PARAMS,
	N_BUILTIN_PARAM,	/* sig_enforce */
	N_PROC,
	N_PROC_MODULES,
	N_PROC_KALLSYMS,
	N_PROC_SYS,
	N_PROC_SYS_KERNEL,
	N_TAINTED,
	N_MODULES_DISABLED,
	N_DEV,
	N_KMSG,
	N_DMESG,
	N_ETC,
	N_MODPROBE,		/* etc/modprobe.d/ */
	N_MODPROBE_FILE,
};

enum modattr {
	MA_INITSTATE,
	MA_REFCNT,
	MA_CORESIZE,
	MA_INITSIZE,
	MA_TAINT,
	MA_SRCVERSION,
	MA_VERSION,
	MA_COUNT,
};

struct memfile;

struct node {
	fuse_ino_t ino;
	struct node *parent;
	char *name;
	enum node_kind kind;
	unsigned int idx;
	mode_t mode;			/* N_PARAM: S_IFREG | perm, fixed at load */
	struct kmodule *km;		/* module nodes: a record reference */
	struct memfile *mf;		/* N_LOADFILE, N_MODPROBE_FILE */
	uint64_t nlookup;		/* the kernel's lookup count */
	bool removed;			/* no longer in its directory */
	bool linked;			/* on its parent's children list */
	bool loading;			/* N_LOADFILE: its load is running */
	unsigned int nopen;		/* open files on it (fs_lock) */
	unsigned int nkids;		/* children not yet freed, linked or not */
	struct node *hash_next;		/* ino hash chain */
	struct node *children, *sibling;
};

/* An open file: its rendered content, or its state for kmsg/load. */
struct ofile {
	struct node *node;
	char *buf;
	size_t len, cap;
	uint64_t kmsg_seq;		/* dev/kmsg cursor */
	bool nonblock;
	bool writer;			/* opened for writing (flush needs it) */
	bool dirty;			/* load/: written since the last load attempt */
	uint64_t write_owner;		/* load/: lock owner of the last write */
	struct ofile *next_open, **prev_open;	/* all open files, for shutdown */
};

struct fs_options {
	bool foreground, debug, single_thread;
	const char *cmdline;		/* --cmdline */
	const char *kernel_dir;		/* --kernel */
	const char *keyring;		/* --keyring */
	bool sig_enforce;
	int load_flags;			/* --force-vermagic, --force-modversion */
	size_t max_module_size;
};

extern struct fs_options fs_opts;
extern struct fuse_session *fs_session;
extern pthread_mutex_t fs_lock;

/* nodes.c: the table from names to node kinds */
void nodes_init(void);
struct node *node_get(fuse_ino_t ino);		/* fs_lock held */
/* Find or create the child called name (fs_lock NOT held) and take a
 * lookup count on it for the reply.  NULL with *err set when there is
 * none. */
struct node *node_child(struct node *dir, const char *name, int *err);
void node_fill_attr(const struct node *n, struct stat *st);
bool node_is_dir(const struct node *n);
/* The static node of a kind (the first one found). */
struct node *node_by_kind(enum node_kind kind);
void node_forget(fuse_ino_t ino, uint64_t nlookup);
/* Remove a dynamic child (load file) from its directory. */
void node_remove(struct node *n);
/* Take a node off its directory's list (fs_lock held). */
void node_unlink(struct node *n);
/* Put a removed N_LOADFILE back in its directory (fs_lock held);
 * false if another file of that name is there. */
bool node_revive(struct node *n);
struct node *node_add_child(struct node *dir, const char *name,
			    enum node_kind kind, unsigned int idx,
			    struct kmodule *km);

/* Directory listing: the names in dir, for readdir. */
struct dirlist {
	char **names;
	enum node_kind *kinds;
	size_t n, cap;
};
int node_list(struct node *dir, struct dirlist *out);
void dirlist_free(struct dirlist *d);
int dirlist_add(struct dirlist *d, const char *name, enum node_kind kind);

/* buffer helpers for rendering */
int of_printf(struct ofile *of, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int of_append(struct ofile *of, const void *data, size_t len);

/* sysmodule.c */
int sysmod_lookup(struct node *dir, const char *name, enum node_kind *kind,
		  unsigned int *idx, mode_t *mode, struct kmodule **km);
int sysmod_list(struct node *dir, struct dirlist *out);
int sysmod_render(struct node *n, struct ofile *of);
int sysmod_write(struct node *n, const char *buf, size_t len);
mode_t sysmod_mode(const struct node *n);
int sysmod_readlink(struct node *n, char *buf, size_t len);
int sysmod_rmdir(struct node *dir, const char *name);
void sysmod_watch(void);

/* proc.c */
int proc_render(struct node *n, struct ofile *of);
int proc_write(struct node *n, const char *buf, size_t len);

/* kmsg.c */
int kmsg_open(struct ofile *of);
void kmsg_read(fuse_req_t req, struct ofile *of, size_t size);
int kmsg_write(const char *buf, size_t len);
void kmsg_poll(fuse_req_t req, struct ofile *of, struct fuse_pollhandle *ph);
int dmesg_render(struct ofile *of);
void kmsg_init(void);
void console_start(void);
void console_stop(void);	/* print what the console has not yet */

/* memfile.c: in-memory files (load/ images, modprobe.d) */
struct memfile *memfile_new(size_t limit);
void memfile_free(struct memfile *mf);
int memfile_write(struct memfile *pl, const char *buf, size_t len, off_t off);
int memfile_truncate(struct memfile *pl, off_t size);
/* The first write error since the file was last truncated to 0, or 0. */
int memfile_error(struct memfile *mf);
size_t memfile_size(const struct memfile *pl);
/* Drop the contents and their memory. */
void memfile_clear(struct memfile *mf);
size_t memfile_read(struct memfile *pl, char *buf, size_t size, off_t off);
int memfile_with_data(struct memfile *mf,
		      int (*fn)(const char *data, size_t len, void *arg), void *arg);

/* etc.c: load-time options (etc/modprobe.d and --cmdline) */
void options_init(const char *cmdline);
int modprobe_create(struct node *dir, const char *name, struct node **out);
int modprobe_rename(struct node *dir, const char *name, struct node *newdir,
		    const char *newname);

/* load.c: load/ */
int load_commit(struct memfile *mf);

/* ops.c */
extern const struct fuse_lowlevel_ops kmodfs_ops;
/* Free the open-file records the kernel never released (unmount). */
void ofiles_free_all(void);

/* Queue a kernel dentry invalidation (done from a worker thread). */
void fs_notify_inval_entry(fuse_ino_t parent, const char *name);
void fs_notify_start(void);

/* mount.c: detach a dead kmodfs mount (its daemon killed) on mountpoint */
void reclaim_dead_mount(const char *prog, const char *mountpoint);
void fs_notify_stop(void);

#endif
