// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodfs-link: link modules with the loader core without loading them
 * (link_module(): every stage up to relocation and code patching, then
 * everything is freed).  For checking that a module would link, for
 * benchmarks and for fuzzing corpora.
 *
 *   kmodfs-link [--kernel=DIR] [--placeholders] [--repeat=N] [-v] MODULE.ko...
 *
 * --placeholders links symbols kmodfs does not provide to a placeholder
 * address instead of failing; -v prints the kernel log.  Prints one line
 * per module with the result and the time a link took (the best of
 * --repeat runs).  Exit status 0 if every module linked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "loader/module.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Map the module read-only: the loader copies what it keeps anyway. */
static int map_file(const char *path, void **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -errno;
	}
	*len = (size_t)st.st_size;
	*data = mmap(NULL, *len ? *len : 1, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	return *data == MAP_FAILED ? -ENOMEM : 0;
}

static void print_log(uint64_t *seq)
{
	struct log_record_info info;
	char text[LOG_LINE_MAX + 1];

	while (logbuf_read(seq, &info, text, sizeof(text)) != -EAGAIN) {
		printf("  %s\n", text);
		(*seq)++;
	}
}

int main(int argc, char **argv)
{
	unsigned int flags = 0, repeat = 1;
	bool verbose = false;
	uint64_t seq;
	int i, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strncmp(argv[i], "--kernel=", 9)) {
			if (profile_load_dir(argv[i] + 9))
				return 1;
		} else if (!strcmp(argv[i], "--placeholders")) {
			flags |= LINK_PLACEHOLDERS;
		} else if (!strncmp(argv[i], "--repeat=", 9)) {
			repeat = (unsigned int)strtoul(argv[i] + 9, NULL, 10);
			if (!repeat)
				repeat = 1;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else {
			fprintf(stderr, "usage: kmodfs-link [--kernel=DIR] [--placeholders] [--repeat=N] [-v] MODULE.ko...\n");
			return 2;
		}
	}
	if (i == argc) {
		fprintf(stderr, "usage: kmodfs-link [--kernel=DIR] [--placeholders] [--repeat=N] [-v] MODULE.ko...\n");
		return 2;
	}
	if (kernel_boot() < 0)
		return 1;
	seq = logbuf_next_seq();
	for (; i < argc; i++) {
		double best = 1e9;
		void *data = NULL;
		size_t len = 0;
		int err = map_file(argv[i], &data, &len);

		for (unsigned int r = 0; !err && r < repeat; r++) {
			double t0 = now(), t;

			err = link_module(data, len, MODULE_INIT_COMPRESSED_FILE, flags);
			t = now() - t0;
			if (t < best)
				best = t;
		}
		if (data && data != MAP_FAILED)
			munmap(data, len ? len : 1);
		if (err) {
			printf("%s: %s\n", argv[i], strerror(-err));
			status = 1;
		} else {
			printf("%s: linked in %.3f ms\n", argv[i], best * 1e3);
		}
		if (verbose)
			print_log(&seq);
	}
	kernel_shutdown();
	return status;
}
