// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodfs: mount the filesystem, boot the user-space kernel, serve, and
 * on unmount or SIGTERM/SIGINT unload every module (exit functions run)
 * and exit 0.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fs/fs.h"
#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "loader/decompress.h"
#include "loader/keyring.h"
#include "loader/signature.h"

struct fs_options fs_opts = {
	.max_module_size = 1ul << 30,
};
struct fuse_session *fs_session;

struct cli {
	char *cmdline, *kernel, *keyring, *max_size;
	int sig_enforce;
	int force_vermagic, force_modversion;
	int help, version;
};

#define OPT(t, p) { t, offsetof(struct cli, p), 1 }
static const struct fuse_opt cli_spec[] = {
	OPT("--cmdline=%s", cmdline),
	OPT("--kernel=%s", kernel),
	OPT("--keyring=%s", keyring),
	OPT("--max-module-size=%s", max_size),
	OPT("--sig-enforce", sig_enforce),
	/* modprobe's --force-vermagic, --force-modversion and --force, also
	 * as -o options (for fstab lines) */
	OPT("--force-vermagic", force_vermagic),
	OPT("force_vermagic", force_vermagic),
	OPT("--force-modversion", force_modversion),
	OPT("force_modversion", force_modversion),
	OPT("--force", force_vermagic),
	OPT("--force", force_modversion),
	OPT("force", force_vermagic),
	OPT("force", force_modversion),
	OPT("-h", help),
	OPT("--help", help),
	OPT("-V", version),
	OPT("--version", version),
	FUSE_OPT_END
};

static void usage(const char *prog)
{
	printf("usage: %s [OPTIONS] MOUNTPOINT\n"
	       "\n"
	       "A filesystem that is a Linux kernel-module loader: copy a .ko into\n"
	       "MOUNTPOINT/load/ to load it; sys/module, proc/modules and dev/kmsg show\n"
	       "what a Linux 6.1 kernel would; rmdir sys/module/NAME unloads it.\n"
	       "\n"
	       "  -f                     stay in the foreground (the log goes to stderr)\n"
	       "  -d                     debug: foreground, and print FUSE requests\n"
	       "  -s                     single-threaded\n"
	       "  -o OPT[,OPT...]        FUSE mount options (allow_other, ...);\n"
	       "                         default_permissions is always on\n"
	       "  --kernel=DIR           emulate the kernel whose build tree is DIR\n"
	       "  --keyring=PATH         trusted X.509 certificates for module signatures\n"
	       "  --sig-enforce          refuse modules without a valid signature\n"
	       "  --force-vermagic       load modules whatever their vermagic (taints F)\n"
	       "  --force-modversion     load modules whatever their symbol CRCs (taints F)\n"
	       "  --force                both (also -o force_vermagic,force_modversion,force)\n"
	       "  --cmdline=\"m.p=v ...\"  module parameters as on the kernel command line\n"
	       "  --max-module-size=N    largest image accepted in load/ (default 1G)\n"
	       "  -V, --version          print the version\n"
	       "  -h, --help             print this help\n",
	       prog);
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (end == s || *end || !v)
		return -EINVAL;
	*out = (size_t)v;
	return 0;
}

/* ---- dentry invalidations, sent from their own thread ---- */

struct inval {
	fuse_ino_t parent;
	char *name;
	struct inval *next;
};
static struct inval *inval_head, **inval_tail = &inval_head;
static pthread_mutex_t inval_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t inval_cond = PTHREAD_COND_INITIALIZER;
static bool inval_stop;
static pthread_t inval_thread;

void fs_notify_inval_entry(fuse_ino_t parent, const char *name)
{
	struct inval *iv = malloc(sizeof(*iv));

	if (!iv)
		return;
	iv->parent = parent;
	iv->name = strdup(name);
	iv->next = NULL;
	if (!iv->name) {
		free(iv);
		return;
	}
	pthread_mutex_lock(&inval_lock);
	*inval_tail = iv;
	inval_tail = &iv->next;
	pthread_cond_signal(&inval_cond);
	pthread_mutex_unlock(&inval_lock);
}

/* Never from a request handler: the kernel may hold the directory lock
 * that an invalidation needs until that handler replies. */
static void *inval_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&inval_lock);
	while (!inval_stop || inval_head) {
		struct inval *iv = inval_head;

		if (!iv) {
			pthread_cond_wait(&inval_cond, &inval_lock);
			continue;
		}
		inval_head = iv->next;
		if (!inval_head)
			inval_tail = &inval_head;
		pthread_mutex_unlock(&inval_lock);
		if (!inval_stop)
			fuse_lowlevel_notify_inval_entry(fs_session, iv->parent, iv->name,
							 strlen(iv->name));
		free(iv->name);
		free(iv);
		pthread_mutex_lock(&inval_lock);
	}
	pthread_mutex_unlock(&inval_lock);
	return NULL;
}

void fs_notify_start(void)
{
	pthread_create(&inval_thread, NULL, inval_main, NULL);
	pthread_setname_np(inval_thread, "kmodfs-inval");
}

void fs_notify_stop(void)
{
	pthread_mutex_lock(&inval_lock);
	inval_stop = true;
	pthread_cond_signal(&inval_cond);
	pthread_mutex_unlock(&inval_lock);
	pthread_join(inval_thread, NULL);
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts = { 0 };
	struct fuse_loop_config *loop;
	struct cli cli = { 0 };
	int ret = 1, err;

	if (fuse_opt_parse(&args, &cli, cli_spec, NULL) == -1)
		return 2;
	if (cli.help || cli.version) {
		if (cli.help)
			usage(argv[0]);
		else
			printf("kmodfs %s (Linux %s module ABI, x86-64)\n", KMODFS_VERSION,
			       KMODFS_BUILTIN_RELEASE);
		ret = 0;
		goto out_args;
	}
	if (fuse_parse_cmdline(&args, &opts) != 0)
		return 2;
	if (!opts.mountpoint) {
		fprintf(stderr, "%s: no mountpoint given (see --help)\n", argv[0]);
		goto out_args;
	}
	fs_opts.foreground = opts.foreground;
	fs_opts.debug = opts.debug;
	fs_opts.single_thread = opts.singlethread;
	fs_opts.cmdline = cli.cmdline;
	fs_opts.kernel_dir = cli.kernel;
	fs_opts.keyring = cli.keyring;
	fs_opts.sig_enforce = cli.sig_enforce;
	fs_opts.load_flags = (cli.force_vermagic ? MODULE_INIT_IGNORE_VERMAGIC : 0) |
			     (cli.force_modversion ? MODULE_INIT_IGNORE_MODVERSIONS : 0);
	if (cli.max_size && parse_size(cli.max_size, &fs_opts.max_module_size)) {
		fprintf(stderr, "%s: bad --max-module-size %s\n", argv[0], cli.max_size);
		goto out_args;
	}
	if (cli.kernel && profile_load_dir(cli.kernel))
		goto out_args;
	kernel_banner();	/* before the keyring logs its certificates */
	if (cli.keyring && keyring_load(cli.keyring))
		goto out_args;
	sig_enforce = cli.sig_enforce;
	module_max_size = fs_opts.max_module_size;

	if (fuse_opt_add_arg(&args, "-odefault_permissions,fsname=kmodfs,subtype=kmodfs"))
		goto out_args;
	fs_session = fuse_session_new(&args, &kmodfs_ops, sizeof(kmodfs_ops), NULL);
	if (!fs_session)
		goto out_args;
	if (fuse_set_signal_handlers(fs_session) != 0)
		goto out_session;
	reclaim_dead_mount(argv[0], opts.mountpoint);
	if (fuse_session_mount(fs_session, opts.mountpoint) != 0)
		goto out_signals;
	fuse_daemonize(opts.foreground);

	/* threads start only now: they would not survive daemonizing */
	err = kernel_boot();
	if (err) {
		fprintf(stderr, "kmodfs: cannot start the kernel: %s\n", strerror(-err));
		goto out_unmount;
	}
	nodes_init();
	options_init(fs_opts.cmdline);
	kmsg_init();
	sysmod_watch();
	fs_notify_start();
	if (opts.foreground)
		console_start();

	if (opts.singlethread) {
		ret = fuse_session_loop(fs_session);
	} else {
		loop = fuse_loop_cfg_create();
		/* blocking dev/kmsg readers each hold a thread */
		fuse_loop_cfg_set_max_threads(loop, 256);
		if (opts.max_idle_threads != UINT_MAX)	/* -o max_idle_threads= given */
			fuse_loop_cfg_set_idle_threads(loop, opts.max_idle_threads);
		fuse_loop_cfg_set_clone_fd(loop, opts.clone_fd);
		ret = fuse_session_loop_mt(fs_session, loop);
		fuse_loop_cfg_destroy(loop);
	}
	/* unmounted or signalled: modules go, exit functions run */
	kernel_shutdown();
	if (opts.foreground)
		console_stop();
	fs_notify_stop();
	ofiles_free_all();
	ret = ret < 0 ? 1 : 0;
out_unmount:
	fuse_session_unmount(fs_session);
out_signals:
	fuse_remove_signal_handlers(fs_session);
out_session:
	fuse_session_destroy(fs_session);
out_args:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	free(cli.cmdline);
	free(cli.kernel);
	free(cli.keyring);
	free(cli.max_size);
	return ret;
}
