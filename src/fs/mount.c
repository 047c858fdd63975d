// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A kmodfs that was killed (SIGKILL, a crash in the daemon itself) leaves
 * its mount behind: every access answers ENOTCONN, "Transport endpoint
 * is not connected".  Mounting on top of it would work but hide it until
 * the new daemon exits, when it would reappear.  So before mounting, a
 * dead kmodfs mount on the mountpoint is detached -- what `fusermount3
 * -uz` does, and what that command does for a user who is not root.
 * Only a kmodfs mount is touched, and only a dead one.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs/fs.h"

extern char **environ;

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Whether the topmost mount on path (absolute, resolved) is a kmodfs. */
static bool kmodfs_mounted_on(const char *path)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER */
		char *save = NULL, *field, *mnt = NULL, *type = NULL;
		bool dash = false;

		field = strtok_r(line, " \n", &save);
		for (int i = 0; field; i++, field = strtok_r(NULL, " \n", &save)) {
			if (i == 4)
				mnt = field;
			else if (dash) {
				type = field;
				break;
			} else if (i > 5 && !strcmp(field, "-"))
				dash = true;
		}
		if (!mnt || !type)
			continue;
		unescape(mnt);
		if (!strcmp(mnt, path))	/* the last one listed is on top */
			found = !strcmp(type, "fuse.kmodfs");
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * Whether path answers ENOTCONN.  statfs, not stat: the kernel answers a
 * stat from its attribute cache for a while even when the connection is
 * gone.  Asking a mount whose daemon lives but does not answer would wait
 * for it: ask in a child, and give up on the answer after two seconds.
 */
static bool not_connected(const char *path)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return false;
	if (pid == 0) {
		struct statfs sb;

		_exit(statfs(path, &sb) < 0 && errno == ENOTCONN ? 0 : 1);
	}
	for (int i = 0; i < 200; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) && WEXITSTATUS(st) == 0;
		if (r < 0)
			return false;
		nanosleep(&pause, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return false;
}

static int fusermount_detach(char *path)
{
	char cmd[] = "fusermount3", u[] = "-u", z[] = "-z", q[] = "-q";
	char *argv[] = { cmd, u, z, q, path, NULL };
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, "fusermount3", NULL, NULL, argv, environ))
		return -1;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return 0;
}

void reclaim_dead_mount(const char *prog, const char *mountpoint)
{
	char *a = strdup(mountpoint), *b = strdup(mountpoint);
	char dir[PATH_MAX], path[PATH_MAX + NAME_MAX + 2];
	const char *base;

	if (!a || !b)
		goto out;
	/* the mountpoint itself cannot be resolved (ENOTCONN): its directory */
	base = basename(a);
	if (!realpath(dirname(b), dir) || !strcmp(base, "/") || !strcmp(base, ".") ||
	    !strcmp(base, ".."))
		goto out;
	snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", base);
	if (!kmodfs_mounted_on(path) || !not_connected(path))
		goto out;
	if (umount2(path, MNT_DETACH) == 0 || fusermount_detach(path) == 0)
		fprintf(stderr, "%s: %s: detached the mount left by a kmodfs that is gone\n",
			prog, path);
	else
		fprintf(stderr, "%s: %s: a kmodfs that is gone left its mount here; "
			"`fusermount3 -uz %s` removes it\n", prog, path, path);
out:
	free(a);
	free(b);
}
