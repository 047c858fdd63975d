// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/char/random.c and lib/random32.c for modules.
 *
 * The cryptographic generator is the host's: get_random_bytes() asks
 * getrandom(2) directly, and get_random_u8/u16/u32/u64() take their
 * bytes from a small per-thread batch refilled from getrandom(2), as
 * Linux takes them from per-CPU batches; a value is wiped from the batch
 * once handed out.  Per-thread means no locking, so any thread -- module
 * init, a timer, a work item -- may call them.  The host's pool is
 * initialized long before the daemon runs, so nothing here blocks in
 * practice; wait_for_random_bytes() and rng_is_initialized() still ask.
 *
 * The prandom_*_state() functions are the deterministic LFSR113
 * generator of P. L'Ecuyer ("Tables of maximally equidistributed
 * combined LFSR generators", Math. Comp. 68 (1999)): the same state gives
 * the same numbers as on Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "kernel/export.h"

/* ---- the host's generator ---- */

/* Without getrandom(2) (old kernel, seccomp): the same pool, by file. */
static void urandom_fill(unsigned char *p, size_t len)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	while (fd >= 0 && len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	if (len) {
		/* no source of randomness at all: never hand out weak bytes */
		fputs("kmodfs: no randomness from getrandom(2) or /dev/urandom\n", stderr);
		abort();
	}
}

static void host_random(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			urandom_fill(p, len);
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

KAPI static void get_random_bytes(void *buf, size_t len)
{
	host_random(buf, len);
}
KEXPORT(get_random_bytes);

/* ---- batched integers ---- */

#define BATCH_BYTES 256

struct random_batch {
	unsigned char bytes[BATCH_BYTES];
	size_t used;		/* bytes handed out (and wiped) so far */
	bool filled;
};

static __thread struct random_batch batch;

/* n (<= 8) fresh bytes from this thread's batch, wiped behind us. */
static void batch_take(void *out, size_t n)
{
	if (!batch.filled || batch.used + n > BATCH_BYTES) {
		host_random(batch.bytes, BATCH_BYTES);
		batch.used = 0;
		batch.filled = true;
	}
	memcpy(out, batch.bytes + batch.used, n);
	memset(batch.bytes + batch.used, 0, n);
	batch.used += n;
}

KAPI static uint8_t get_random_u8(void)
{
	uint8_t v;

	batch_take(&v, sizeof(v));
	return v;
}
KEXPORT(get_random_u8);

KAPI static uint16_t get_random_u16(void)
{
	uint16_t v;

	batch_take(&v, sizeof(v));
	return v;
}
KEXPORT(get_random_u16);

KAPI static uint32_t get_random_u32(void)
{
	uint32_t v;

	batch_take(&v, sizeof(v));
	return v;
}
KEXPORT(get_random_u32);

KAPI static uint64_t get_random_u64(void)
{
	uint64_t v;

	batch_take(&v, sizeof(v));
	return v;
}
KEXPORT(get_random_u64);

/*
 * Uniform in [0, ceil) (ceil 0: any u32), the out-of-line half of
 * get_random_u32_below().  The high word of ceil * r is the answer; the
 * low word tells whether r fell in the 2^32 mod ceil values that would
 * make some answers more likely, and such r are drawn again (D. Lemire,
 * "Fast random integer generation in an interval", 2019).
 */
KAPI static uint32_t __get_random_u32_below(uint32_t ceil)
{
	uint64_t prod;

	if (!ceil)
		return get_random_u32();
	prod = (uint64_t)ceil * get_random_u32();
	if ((uint32_t)prod < ceil) {
		uint32_t reject_below = (0u - ceil) % ceil;	/* 2^32 mod ceil */

		while ((uint32_t)prod < reject_below)
			prod = (uint64_t)ceil * get_random_u32();
	}
	return (uint32_t)(prod >> 32);
}
KEXPORT(__get_random_u32_below);

/* ---- readiness ---- */

static bool rng_ready;

/* Whether the host's generator is seeded; false only early in its boot.
 * A host without getrandom(2) is taken as ready (urandom_fill). */
KAPI static bool rng_is_initialized(void)
{
	unsigned char b;

	if (__atomic_load_n(&rng_ready, __ATOMIC_ACQUIRE))
		return true;
	if (getrandom(&b, 1, GRND_NONBLOCK) < 0 && errno == EAGAIN)
		return false;
	__atomic_store_n(&rng_ready, true, __ATOMIC_RELEASE);
	return true;
}
KEXPORT(rng_is_initialized);

/* Sleep until the generator is seeded; 0 (a signal does not end the
 * wait here: module threads take none). */
KAPI static int wait_for_random_bytes(void)
{
	unsigned char b;

	if (rng_is_initialized())
		return 0;
	while (getrandom(&b, 1, 0) < 0 && errno == EINTR)
		;
	__atomic_store_n(&rng_ready, true, __ATOMIC_RELEASE);
	return 0;
}
KEXPORT(wait_for_random_bytes);

/* ---- prandom: LFSR113 ---- */

/* include/linux/prandom.h */
struct rnd_state {
	uint32_t s1, s2, s3, s4;
};
_Static_assert(sizeof(struct rnd_state) == 16, "rnd_state");

/*
 * One step of a Tausworthe component of degree k with parameters q, s:
 * the top k bits of z are its state.  LFSR113 combines four of them by
 * xor, (k, q, s) = (31, 6, 18), (29, 2, 2), (28, 13, 7), (25, 3, 13);
 * a component's state must keep one of its k bits set, which is why
 * seeds are at least 2, 8, 16 and 128.
 */
static uint32_t tausworthe(uint32_t z, unsigned int k, unsigned int q, unsigned int s)
{
	uint32_t top_k = ~0u << (32 - k);
	uint32_t feedback = ((z << q) ^ z) >> (k - s);

	return ((z & top_k) << s) ^ feedback;
}

KAPI static uint32_t prandom_u32_state(struct rnd_state *state)
{
	state->s1 = tausworthe(state->s1, 31, 6, 18);
	state->s2 = tausworthe(state->s2, 29, 2, 2);
	state->s3 = tausworthe(state->s3, 28, 13, 7);
	state->s4 = tausworthe(state->s4, 25, 3, 13);
	return state->s1 ^ state->s2 ^ state->s3 ^ state->s4;
}
KEXPORT(prandom_u32_state);

/* Whole outputs little-endian, then the low bytes of one more. */
KAPI static void prandom_bytes_state(struct rnd_state *state, void *buf, size_t nbytes)
{
	unsigned char *p = buf;

	for (; nbytes >= 4; p += 4, nbytes -= 4) {
		uint32_t v = prandom_u32_state(state);

		for (int i = 0; i < 4; i++)
			p[i] = (unsigned char)(v >> (8 * i));
	}
	if (nbytes) {
		uint32_t v = prandom_u32_state(state);

		for (size_t i = 0; i < nbytes; i++)
			p[i] = (unsigned char)(v >> (8 * i));
	}
}
KEXPORT(prandom_bytes_state);

/* A component seed below its minimum has the minimum added (__seed()). */
static uint32_t seed_at_least(uint32_t x, uint32_t min)
{
	return x < min ? x + min : x;
}

/* percpu.c: a per-CPU pointer plus a CPU's offset is that CPU's copy */
extern unsigned long __per_cpu_offset[];
extern unsigned long __cpu_possible_mask[];
extern unsigned int nr_cpu_ids;

/* Every possible CPU's copy of a per-CPU rnd_state: four random words,
 * raised to the minimums, then ten outputs discarded to mix them. */
KAPI static void prandom_seed_full_state(struct rnd_state *pcpu_state)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct rnd_state *st;
		uint32_t seeds[4];

		if (!(__cpu_possible_mask[cpu / 64] & (1ul << (cpu % 64))))
			continue;
		st = (struct rnd_state *)((uintptr_t)pcpu_state + __per_cpu_offset[cpu]);
		get_random_bytes(seeds, sizeof(seeds));
		st->s1 = seed_at_least(seeds[0], 2);
		st->s2 = seed_at_least(seeds[1], 8);
		st->s3 = seed_at_least(seeds[2], 16);
		st->s4 = seed_at_least(seeds[3], 128);
		for (int i = 0; i < 10; i++)
			prandom_u32_state(st);
	}
}
KEXPORT(prandom_seed_full_state);
