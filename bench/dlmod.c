// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dlmod.so: the shared-object counterpart of examples/hello for the
 * benchmark (bench/run.sh): dlopen runs its constructor, dlclose its
 * destructor, and each "prints" as hello's init and exit do: pr_info
 * formats a timestamped record into the kernel's in-memory log ring
 * (kmodfs daemonized echoes it nowhere), so this formats one into a
 * ring of its own.
 */
#include <stdio.h>
#include <time.h>

#define RING 16

static char ring[RING][128];
static unsigned int head;

static void log_line(const char *msg)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(ring[head++ % RING], sizeof(ring[0]), "<6>[%5lu.%06lu] %s",
		 (unsigned long)ts.tv_sec, (unsigned long)ts.tv_nsec / 1000, msg);
}

__attribute__((constructor)) static void hello_init(void)
{
	log_line("hello: init\n");
}

__attribute__((destructor)) static void hello_exit(void)
{
	log_line("hello: exit\n");
}

/* for checking that the constructor ran */
const char *dlmod_last(void);
const char *dlmod_last(void)
{
	return ring[(head - 1) % RING];
}
