// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-thread %gs areas.  glibc uses %fs for TLS and leaves %gs alone on
 * x86-64, so the daemon can own it.  The area is freed when its thread
 * exits.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/percpu.h"

static __thread void *this_area;
static pthread_key_t area_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void area_free(void *area)
{
	free(area);
}

static void make_key(void)
{
	pthread_key_create(&area_key, area_free);
}

int percpu_thread_enter(void)
{
	unsigned long canary;
	void *area;

	if (this_area)
		return 0;
	pthread_once(&key_once, make_key);
	if (posix_memalign(&area, 4096, PERCPU_AREA_SIZE))
		return -ENOMEM;
	memset(area, 0, PERCPU_AREA_SIZE);
	/* A random canary with a zero low byte, as the kernel's has, so a
	 * string overflow cannot reproduce it. */
	if (getrandom(&canary, sizeof(canary), 0) != sizeof(canary))
		canary = (unsigned long)area * 0x9e3779b97f4a7c15ul;
	canary &= ~0xfful;
	memcpy((char *)area + PERCPU_CANARY_OFFSET, &canary, sizeof(canary));
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)area)) {
		int e = errno;

		free(area);
		return -e;
	}
	this_area = area;
	pthread_setspecific(area_key, area);
	return 0;
}

void *percpu_this_area(void)
{
	return this_area;
}
