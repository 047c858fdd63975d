// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-CPU areas and %gs.
 *
 * The emulated machine has NR_CPUS_EMULATED possible CPUs, each with a
 * PERCPU_AREA_SIZE area laid out like a Linux x86-64 per-CPU area: the
 * stack-protector canary at offset 40 (fixed_percpu_data), the kernel's
 * own per-CPU variables (current_task, __preempt_count, this_cpu_off,
 * cpu_number) at fixed offsets exported as absolute symbols, then room
 * for modules' .data..percpu sections and alloc_percpu() memory.  A
 * per-CPU pointer is an offset into the area, so %gs:ptr, this_cpu_ptr()
 * (ptr + this_cpu_off) and per_cpu_ptr(ptr, cpu) (ptr +
 * __per_cpu_offset[cpu]) all work as compiled kernel code expects.
 *
 * A thread that runs module code takes a free CPU for its lifetime and
 * points GS at its area, so per-CPU data is never shared by two running
 * threads (what disabling preemption guarantees in the kernel).  glibc
 * uses %fs, never %gs, on x86-64.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/export.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"

/* Offsets of the kernel's per-CPU variables, exported as addresses. */
#define PCPU_CURRENT_TASK 0x40
#define PCPU_PREEMPT_COUNT 0x48
#define PCPU_THIS_CPU_OFF 0x50
#define PCPU_CPU_NUMBER 0x58

__asm__(".globl current_task\n.set current_task, 0x40\n"
	".globl __preempt_count\n.set __preempt_count, 0x48\n"
	".globl this_cpu_off\n.set this_cpu_off, 0x50\n"
	".globl cpu_number\n.set cpu_number, 0x58\n");
extern char current_task[], __preempt_count[], this_cpu_off[], cpu_number[];
KEXPORT(current_task);
KEXPORT(__preempt_count);
KEXPORT(this_cpu_off);
KEXPORT(cpu_number);

#define PREEMPT_ENABLED 0x80000000u	/* PREEMPT_NEED_RESCHED clear, count 0 */
#define TASK_STRUCT_SIZE (16 * 1024)

unsigned long __per_cpu_offset[NR_CPUS_EMULATED];
KEXPORT(__per_cpu_offset);
unsigned int nr_cpu_ids = NR_CPUS_EMULATED;
KEXPORT(nr_cpu_ids);

/* cpumasks sized for 8192 CPUs (Debian's CONFIG_NR_CPUS) */
unsigned long __cpu_possible_mask[8192 / 64], __cpu_online_mask[8192 / 64],
	__cpu_present_mask[8192 / 64], __cpu_active_mask[8192 / 64];
KEXPORT(__cpu_possible_mask);
KEXPORT(__cpu_online_mask);
KEXPORT(__cpu_present_mask);
KEXPORT(__cpu_active_mask);

static char *areas;			/* NR_CPUS_EMULATED areas, contiguous */
static bool cpu_busy[NR_CPUS_EMULATED];
static pthread_mutex_t pcpu_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pcpu_cond = PTHREAD_COND_INITIALIZER;
static pthread_once_t pcpu_once = PTHREAD_ONCE_INIT;
static pthread_key_t cpu_key;
static __thread void *this_area;
static __thread int this_cpu = -1;

/* free ranges of offsets for module and dynamic per-CPU data */
struct pcpu_range {
	unsigned long off, size;
	struct pcpu_range *next;
};
static struct pcpu_range *free_ranges;

static void put_cpu_slot(void *arg)
{
	int cpu = (int)(long)arg - 1;

	pthread_mutex_lock(&pcpu_lock);
	cpu_busy[cpu] = false;
	pthread_cond_signal(&pcpu_cond);
	pthread_mutex_unlock(&pcpu_lock);
}

static void pcpu_setup(void)
{
	areas = aligned_alloc(4096, (size_t)NR_CPUS_EMULATED * PERCPU_AREA_SIZE);
	if (!areas)
		return;
	memset(areas, 0, (size_t)NR_CPUS_EMULATED * PERCPU_AREA_SIZE);
	for (int cpu = 0; cpu < NR_CPUS_EMULATED; cpu++) {
		char *a = areas + (size_t)cpu * PERCPU_AREA_SIZE;
		unsigned long canary, base = (unsigned long)a;
		unsigned int pc = PREEMPT_ENABLED, id = (unsigned int)cpu;
		void *task = calloc(1, TASK_STRUCT_SIZE);

		/* a random canary with a zero low byte, as the kernel's */
		if (getrandom(&canary, sizeof(canary), 0) != sizeof(canary))
			canary = base * 0x9e3779b97f4a7c15ul;
		canary &= ~0xfful;
		memcpy(a + PERCPU_CANARY_OFFSET, &canary, sizeof(canary));
		memcpy(a + PCPU_CURRENT_TASK, &task, sizeof(task));
		memcpy(a + PCPU_PREEMPT_COUNT, &pc, sizeof(pc));
		memcpy(a + PCPU_THIS_CPU_OFF, &base, sizeof(base));
		memcpy(a + PCPU_CPU_NUMBER, &id, sizeof(id));
		__per_cpu_offset[cpu] = base;
		__cpu_possible_mask[cpu / 64] |= 1ul << (cpu % 64);
	}
	memcpy(__cpu_online_mask, __cpu_possible_mask, sizeof(__cpu_online_mask));
	memcpy(__cpu_present_mask, __cpu_possible_mask, sizeof(__cpu_present_mask));
	memcpy(__cpu_active_mask, __cpu_possible_mask, sizeof(__cpu_active_mask));
	free_ranges = malloc(sizeof(*free_ranges));
	if (free_ranges)
		*free_ranges = (struct pcpu_range){ PERCPU_DYNAMIC_START,
						    PERCPU_AREA_SIZE - PERCPU_DYNAMIC_START,
						    NULL };
	pthread_key_create(&cpu_key, put_cpu_slot);
}

int percpu_thread_enter(void)
{
	int cpu;

	if (this_area)
		return 0;
	pthread_once(&pcpu_once, pcpu_setup);
	if (!areas)
		return -ENOMEM;
	pthread_mutex_lock(&pcpu_lock);
	for (;;) {
		for (cpu = 0; cpu < NR_CPUS_EMULATED && cpu_busy[cpu]; cpu++)
			;
		if (cpu < NR_CPUS_EMULATED)
			break;
		/* every CPU is held by a thread: wait for one to exit */
		pthread_cond_wait(&pcpu_cond, &pcpu_lock);
	}
	cpu_busy[cpu] = true;
	pthread_mutex_unlock(&pcpu_lock);

	if (syscall(SYS_arch_prctl, ARCH_SET_GS,
		    (unsigned long)(areas + (size_t)cpu * PERCPU_AREA_SIZE))) {
		int e = errno;

		put_cpu_slot((void *)(long)(cpu + 1));
		return -e;
	}
	this_cpu = cpu;
	this_area = areas + (size_t)cpu * PERCPU_AREA_SIZE;
	pthread_setspecific(cpu_key, (void *)(long)(cpu + 1));
	return 0;
}

void *percpu_this_area(void)
{
	return this_area;
}

int percpu_this_cpu(void)
{
	return this_cpu;
}

long percpu_alloc(size_t size, size_t align, const void *init)
{
	struct pcpu_range **pp, *r;
	long off = -ENOMEM;
	size_t want;

	pthread_once(&pcpu_once, pcpu_setup);
	if (!areas || !size)
		return -ENOMEM;
	if (align < 8)
		align = 8;
	if (align & (align - 1) || align > 4096)
		return -EINVAL;
	want = size;
	size = (size + 7) & ~7ul;
	pthread_mutex_lock(&pcpu_lock);
	for (pp = &free_ranges; (r = *pp); pp = &r->next) {
		unsigned long start = (r->off + align - 1) & ~(align - 1);
		unsigned long pad = start - r->off;

		if (r->size < pad + size)
			continue;
		if (pad) {
			/* keep the padding as its own free range */
			struct pcpu_range *p = malloc(sizeof(*p));

			if (!p)
				break;
			*p = (struct pcpu_range){ r->off, pad, r };
			*pp = p;
			pp = &p->next;
			r->off += pad;
			r->size -= pad;
		}
		off = (long)r->off;
		r->off += size;
		r->size -= size;
		if (!r->size) {
			*pp = r->next;
			free(r);
		}
		break;
	}
	pthread_mutex_unlock(&pcpu_lock);
	if (off < 0)
		return off;
	for (int cpu = 0; cpu < NR_CPUS_EMULATED; cpu++) {
		char *dst = areas + (size_t)cpu * PERCPU_AREA_SIZE + off;

		memset(dst, 0, size);
		if (init)
			memcpy(dst, init, want);
	}
	return off;
}

void percpu_free(long off, size_t size)
{
	struct pcpu_range **pp, *r, *n;

	if (off <= 0 || !size)
		return;
	size = (size + 7) & ~7ul;
	pthread_mutex_lock(&pcpu_lock);
	for (pp = &free_ranges; (r = *pp) && r->off < (unsigned long)off; pp = &r->next)
		;
	if (r && (unsigned long)off + size == r->off) {
		r->off = (unsigned long)off;
		r->size += size;
		n = r;
	} else {
		n = malloc(sizeof(*n));
		if (!n)
			goto out;
		*n = (struct pcpu_range){ (unsigned long)off, size, r };
		*pp = n;
	}
	for (r = free_ranges; r && r->next != n; r = r->next)
		;
	if (r && r->off + r->size == n->off) {
		r->size += n->size;
		r->next = n->next;
		free(n);
	}
out:
	pthread_mutex_unlock(&pcpu_lock);
}

/* ---- the dynamic per-CPU allocator, as modules call it ---- */

/* free_percpu() is not told the size: remember it. */
struct pcpu_block {
	long off;
	size_t size;
	struct pcpu_block *next;
};
static struct pcpu_block *blocks;
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;

KAPI static void *__alloc_percpu(size_t size, size_t align)
{
	struct pcpu_block *b = malloc(sizeof(*b));
	long off;

	if (!b)
		return NULL;
	off = percpu_alloc(size, align, NULL);
	if (off < 0) {
		free(b);
		return NULL;
	}
	b->off = off;
	b->size = size;
	pthread_mutex_lock(&blocks_lock);
	b->next = blocks;
	blocks = b;
	pthread_mutex_unlock(&blocks_lock);
	return (void *)off;
}
KEXPORT_GPL(__alloc_percpu);

KAPI static void *__alloc_percpu_gfp(size_t size, size_t align, unsigned int gfp)
{
	(void)gfp;
	return __alloc_percpu(size, align);
}
KEXPORT_GPL(__alloc_percpu_gfp);

KAPI static void free_percpu(void *ptr)
{
	struct pcpu_block **pp, *b = NULL;

	if (!ptr)
		return;
	pthread_mutex_lock(&blocks_lock);
	for (pp = &blocks; *pp; pp = &(*pp)->next) {
		if ((*pp)->off == (long)ptr) {
			b = *pp;
			*pp = b->next;
			break;
		}
	}
	pthread_mutex_unlock(&blocks_lock);
	if (!b) {
		pr_warn("WARNING: free_percpu() of %px, which is not per-CPU memory\n", ptr);
		return;
	}
	percpu_free(b->off, b->size);
	free(b);
}
KEXPORT_GPL(free_percpu);
