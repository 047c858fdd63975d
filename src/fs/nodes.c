// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The node table: the mount's static skeleton, the table from a
 * directory kind and a name to the child's kind, and node lifetimes
 * (see fs.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs/fs.h"

pthread_mutex_t fs_lock = PTHREAD_MUTEX_INITIALIZER;

#define INO_BUCKETS 4096
static struct node *ino_hash[INO_BUCKETS];
static fuse_ino_t next_ino = FUSE_ROOT_ID;
static struct node *root;
static struct timespec mount_time;	/* every node's times, as sysfs shows boot */

struct static_entry {
	enum node_kind parent, kind;
	const char *name;
};

/* The fixed part of the tree, in listing order. */
static const struct static_entry skeleton[] = {
	{ N_ROOT, N_LOAD, "load" },
	{ N_ROOT, N_SYS, "sys" },
	{ N_ROOT, N_PROC, "proc" },
	{ N_ROOT, N_DEV, "dev" },
	{ N_ROOT, N_DMESG, "dmesg" },
	{ N_ROOT, N_ETC, "etc" },
	{ N_SYS, N_SYSMODULE, "module" },
	{ N_SYSMODULE, N_BUILTIN_MOD, "module" },
	{ N_BUILTIN_MOD, N_BUILTIN_PARAMS, "parameters" },
	{ N_BUILTIN_PARAMS, N_BUILTIN_PARAM, "sig_enforce" },
	{ N_PROC, N_PROC_MODULES, "modules" },
	{ N_PROC, N_PROC_KALLSYMS, "kallsyms" },
	{ N_PROC, N_PROC_SYS, "sys" },
	{ N_PROC_SYS, N_PROC_SYS_KERNEL, "kernel" },
	{ N_PROC_SYS_KERNEL, N_TAINTED, "tainted" },
	{ N_PROC_SYS_KERNEL, N_MODULES_DISABLED, "modules_disabled" },
	{ N_DEV, N_KMSG, "kmsg" },
	{ N_ETC, N_MODPROBE, "modprobe.d" },
};

static void hash_add(struct node *n)
{
	struct node **b = &ino_hash[n->ino % INO_BUCKETS];

	n->hash_next = *b;
	*b = n;
}

static void hash_del(struct node *n)
{
	for (struct node **pp = &ino_hash[n->ino % INO_BUCKETS]; *pp; pp = &(*pp)->hash_next) {
		if (*pp == n) {
			*pp = n->hash_next;
			return;
		}
	}
}

/* Append to a directory's list: listings keep creation order. */
static void link_child(struct node *dir, struct node *n)
{
	struct node **pp = &dir->children;

	while (*pp)
		pp = &(*pp)->sibling;
	n->sibling = NULL;
	*pp = n;
	n->linked = true;
}

void node_unlink(struct node *n)
{
	if (!n->linked)
		return;
	for (struct node **pp = &n->parent->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == n) {
			*pp = n->sibling;
			break;
		}
	}
	n->linked = false;
}

/* fs_lock held */
struct node *node_add_child(struct node *dir, const char *name,
			    enum node_kind kind, unsigned int idx,
			    struct kmodule *km)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strdup(name);
	if (!n->name) {
		free(n);
		return NULL;
	}
	n->ino = next_ino++;
	n->parent = dir;
	n->kind = kind;
	n->idx = idx;
	if (km) {
		kmodule_get(km);
		n->km = km;
	}
	if (dir) {
		link_child(dir, n);
		dir->nkids++;
	}
	hash_add(n);
	return n;
}

static struct node *static_child(struct node *dir, const char *name)
{
	for (struct node *c = dir->children; c; c = c->sibling)
		if (!c->removed && !strcmp(c->name, name))
			return c;
	return NULL;
}

static void build(struct node *dir)
{
	for (size_t i = 0; i < sizeof(skeleton) / sizeof(skeleton[0]); i++) {
		if (skeleton[i].parent != dir->kind)
			continue;
		build(node_add_child(dir, skeleton[i].name, skeleton[i].kind, 0, NULL));
	}
}

void nodes_init(void)
{
	clock_gettime(CLOCK_REALTIME, &mount_time);
	pthread_mutex_lock(&fs_lock);
	root = node_add_child(NULL, "", N_ROOT, 0, NULL);
	build(root);
	pthread_mutex_unlock(&fs_lock);
}

struct node *node_get(fuse_ino_t ino)
{
	for (struct node *n = ino_hash[ino % INO_BUCKETS]; n; n = n->hash_next)
		if (n->ino == ino)
			return n;
	return NULL;
}

static struct node *find_kind(struct node *n, enum node_kind kind)
{
	if (n->kind == kind)
		return n;
	for (struct node *c = n->children; c; c = c->sibling) {
		struct node *f = find_kind(c, kind);

		if (f)
			return f;
	}
	return NULL;
}

struct node *node_by_kind(enum node_kind kind)
{
	struct node *n;

	pthread_mutex_lock(&fs_lock);
	n = find_kind(root, kind);
	pthread_mutex_unlock(&fs_lock);
	return n;
}

bool node_is_dir(const struct node *n)
{
	switch (n->kind) {
	case N_ROOT: case N_LOAD: case N_SYS: case N_SYSMODULE: case N_MODDIR:
	case N_HOLDERS: case N_SECTIONS: case N_NOTES: case N_PARAMS:
	case N_BUILTIN_MOD: case N_BUILTIN_PARAMS: case N_PROC: case N_PROC_SYS:
	case N_PROC_SYS_KERNEL: case N_DEV: case N_ETC: case N_MODPROBE:
		return true;
	default:
		return false;
	}
}

/* Does the object behind a module node still exist? */
static bool node_alive(const struct node *n)
{
	return !n->removed && !(n->km && n->km->unlinked);
}

static bool is_module_tree(enum node_kind k)
{
	return k == N_SYSMODULE || k == N_MODDIR || k == N_HOLDERS ||
	       k == N_SECTIONS || k == N_NOTES || k == N_PARAMS;
}

struct node *node_child(struct node *dir, const char *name, int *err)
{
	enum node_kind kind;
	unsigned int idx = 0;
	mode_t mode = 0;
	struct kmodule *km = NULL;
	struct node *n;

	pthread_mutex_lock(&fs_lock);
	if (!node_alive(dir)) {
		pthread_mutex_unlock(&fs_lock);
		*err = -ENOENT;
		return NULL;
	}
	n = static_child(dir, name);
	if (n && !n->km) {
		n->nlookup++;
		pthread_mutex_unlock(&fs_lock);
		return n;
	}
	pthread_mutex_unlock(&fs_lock);

	if (!is_module_tree(dir->kind)) {
		*err = -ENOENT;
		return NULL;
	}
	/* ask the loader (no fs_lock: it takes module_mutex) */
	*err = sysmod_lookup(dir, name, &kind, &idx, &mode, &km);
	if (*err)
		return NULL;

	pthread_mutex_lock(&fs_lock);
	for (n = dir->children; n; n = n->sibling)
		if (!n->removed && n->km == km && n->kind == kind &&
		    !strcmp(n->name, name))
			break;
	if (!n && !km->unlinked) {
		n = node_add_child(dir, name, kind, idx, km);
		if (n)
			n->mode = mode;
	}
	/* counted before fs_lock goes: an unload may remove the node the
	 * moment it does, and must not free it under our reply */
	if (n)
		n->nlookup++;
	pthread_mutex_unlock(&fs_lock);
	kmodule_put(km);
	if (!n)
		*err = -ENOENT;
	return n;
}

static mode_t kind_mode(const struct node *n)
{
	switch (n->kind) {
	case N_LOAD:
		return S_IFDIR | 0755;	/* writable by the owner only */
	case N_LOADFILE:
		return S_IFREG | 0600;
	case N_MODATTR: case N_SECTION: case N_NOTE: case N_PARAM: case N_HOLDER:
		return sysmod_mode(n);
	case N_BUILTIN_PARAM:
	case N_TAINTED:
	case N_MODULES_DISABLED:
		return S_IFREG | 0644;
	case N_PROC_MODULES:
	case N_PROC_KALLSYMS:
		return S_IFREG | 0444;
	case N_KMSG:
		return S_IFREG | 0644;
	case N_DMESG:
		return S_IFREG | 0444;
	case N_MODPROBE:
		return S_IFDIR | 0755;
	case N_MODPROBE_FILE:
		return S_IFREG | 0644;
	default:
		return node_is_dir(n) ? S_IFDIR | 0755 : S_IFREG | 0444;
	}
}

void node_fill_attr(const struct node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = n->ino;
	st->st_mode = kind_mode(n);
	st->st_nlink = node_is_dir(n) ? 2 : 1;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = mount_time;
	switch (n->kind) {
	case N_MODATTR:
	case N_PARAM:
	case N_BUILTIN_PARAM:
		st->st_size = 4096;	/* sysfs text attributes */
		break;
	case N_SECTION:
		st->st_size = 19;
		break;
	case N_NOTE:
		st->st_size = (off_t)n->km->notes[n->idx].size;
		break;
	case N_LOADFILE:
	case N_MODPROBE_FILE:
		st->st_size = (off_t)memfile_size(n->mf);
		break;
	default:
		break;
	}
}

/* Free a node nobody refers to any more; then maybe its parent. */
static void maybe_free(struct node *n)
{
	while (n && n->removed && n->nlookup == 0 && !n->nkids) {
		struct node *parent = n->parent;

		if (parent) {
			node_unlink(n);
			parent->nkids--;
		}
		hash_del(n);
		if (n->km)
			kmodule_put(n->km);
		if (n->mf)
			memfile_free(n->mf);
		free(n->name);
		free(n);
		n = parent;
	}
}

static void mark_removed(struct node *n)
{
	n->removed = true;
	for (struct node *c = n->children, *next; c; c = next) {
		next = c->sibling;
		mark_removed(c);
	}
	/* children with no lookups go now; the node itself once unused */
	for (struct node *c = n->children, *next; c; c = next) {
		next = c->sibling;
		if (c->nlookup == 0 && !c->nkids)
			maybe_free(c);
	}
}

/* fs_lock held.  The node leaves its directory's list at once (lookups
 * and listings never walk past the dead), and is freed once the kernel
 * forgets it. */
void node_remove(struct node *n)
{
	mark_removed(n);
	if (n->parent)
		node_unlink(n);
	maybe_free(n);
}

bool node_revive(struct node *n)
{
	if (n->kind != N_LOADFILE || !n->removed || n->loading || !n->parent)
		return false;
	for (struct node *c = n->parent->children; c; c = c->sibling)
		if (!c->removed && !strcmp(c->name, n->name))
			return false;
	n->removed = false;
	link_child(n->parent, n);
	return true;
}

void node_forget(fuse_ino_t ino, uint64_t nlookup)
{
	struct node *n;

	pthread_mutex_lock(&fs_lock);
	n = node_get(ino);
	if (n) {
		n->nlookup = n->nlookup > nlookup ? n->nlookup - nlookup : 0;
		if (n->km && n->km->unlinked && !n->removed)
			mark_removed(n);
		maybe_free(n);
	}
	pthread_mutex_unlock(&fs_lock);
}

int dirlist_add(struct dirlist *d, const char *name, enum node_kind kind)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		char **names = realloc(d->names, cap * sizeof(*names));
		enum node_kind *kinds;

		if (!names)
			return -ENOMEM;
		d->names = names;
		kinds = realloc(d->kinds, cap * sizeof(*kinds));
		if (!kinds)
			return -ENOMEM;
		d->kinds = kinds;
		d->cap = cap;
	}
	d->names[d->n] = strdup(name);
	if (!d->names[d->n])
		return -ENOMEM;
	d->kinds[d->n++] = kind;
	return 0;
}

void dirlist_free(struct dirlist *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	free(d->kinds);
}

int node_list(struct node *dir, struct dirlist *out)
{
	int err = 0;

	pthread_mutex_lock(&fs_lock);
	if (!node_alive(dir))
		err = -ENOENT;
	/* static children and (for load/ and modprobe.d/) files */
	for (struct node *c = dir->children; !err && c; c = c->sibling)
		if (!c->removed && !c->km)
			err = dirlist_add(out, c->name, c->kind);
	pthread_mutex_unlock(&fs_lock);
	if (!err && is_module_tree(dir->kind))
		err = sysmod_list(dir, out);
	return err;
}
