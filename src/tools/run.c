// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodfs-run: drive the loader core without a filesystem -- load and
 * unload modules in this process and print the kernel log.  For tests,
 * debugging (gdb kmodfs-run ...) and the curious.
 *
 *   kmodfs-run [COMMAND]...
 *     load FILE.ko [ARGS]   load a module ("insmod FILE ARGS")
 *     unload NAME           delete_module(NAME)
 *     sleep MS              let timers run
 *     lsmod                 print /proc/modules-style lines
 *
 * Options before the commands: --kernel=DIR selects a kernel build tree
 * as the profile (like kmodfs --kernel).
 *
 * The log is printed as dmesg would at the end (and on every failure
 * the command's errno is printed).  Exit status: 0 if every command
 * succeeded, 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "kernel/taint.h"
#include "loader/module.h"

static int read_file(const char *path, void **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -errno;
	}
	*data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!*data) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, *data, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(*data);
		return -EIO;
	}
	*len = (size_t)n;
	return 0;
}

static int print_module(struct kmodule *km, void *arg)
{
	char taints[32];
	const char *state;
	struct module_use *use;

	(void)arg;
	state = km->state == MODULE_STATE_LIVE ? "Live" :
		km->state == MODULE_STATE_COMING ? "Loading" : "Unloading";
	printf("%s %u %d ", km->name, km->core.size + km->init.size,
	       kmodule_refcount(km));
	list_for_each_entry(use, &km->source_list, source_list)
		printf("%s,", use->source->name);
	if (km->permanent)
		printf("[permanent],");
	if (list_empty(&km->source_list) && !km->permanent)
		printf("-");
	printf(" %s 0x%016lx", state, (unsigned long)km->core.base);
	if (module_flags_taint(km->taints, taints))
		printf(" (%s)", taints);
	printf("\n");
	return 0;
}

static void print_log(void)
{
	uint64_t seq = logbuf_first_seq();
	struct log_record_info info;
	char text[LOG_LINE_MAX + 1];

	while (logbuf_read(&seq, &info, text, sizeof(text)) != -EAGAIN) {
		printf("<%u>[%5llu.%06llu] %s\n", info.level,
		       (unsigned long long)(info.ts_nsec / 1000000000ull),
		       (unsigned long long)(info.ts_nsec % 1000000000ull / 1000), text);
		seq++;
	}
}

int main(int argc, char **argv)
{
	int status = 0, first = 1;

	if (argc > 1 && !strncmp(argv[1], "--kernel=", 9)) {
		if (profile_load_dir(argv[1] + 9))
			return 1;
		first = 2;
	}
	if (kernel_boot() < 0) {
		fprintf(stderr, "kmodfs-run: cannot boot the kernel\n");
		return 1;
	}
	for (int i = first; i < argc; i++) {
		int err = 0;

		if (!strcmp(argv[i], "load") && i + 1 < argc) {
			const char *path = argv[++i], *args = "";
			void *data = NULL;
			size_t len = 0;

			if (i + 1 < argc && strcmp(argv[i + 1], "load") &&
			    strcmp(argv[i + 1], "unload") && strcmp(argv[i + 1], "sleep") &&
			    strcmp(argv[i + 1], "lsmod"))
				args = argv[++i];
			err = read_file(path, &data, &len);
			if (!err) {
				err = load_module(data, len, args, 0);
				free(data);
			}
			printf("load %s: %s\n", path, err ? strerror(-err) : "ok");
		} else if (!strcmp(argv[i], "unload") && i + 1 < argc) {
			err = delete_module(argv[++i], O_NONBLOCK);
			printf("unload %s: %s\n", argv[i], err ? strerror(-err) : "ok");
		} else if (!strcmp(argv[i], "sleep") && i + 1 < argc) {
			usleep((useconds_t)atoi(argv[++i]) * 1000);
		} else if (!strcmp(argv[i], "lsmod")) {
			module_mutex_lock();
			for_each_kmodule(print_module, NULL);
			module_mutex_unlock();
		} else {
			fprintf(stderr, "kmodfs-run: bad command %s\n", argv[i]);
			return 2;
		}
		if (err)
			status = 1;
	}
	kernel_shutdown();
	print_log();
	return status;
}
