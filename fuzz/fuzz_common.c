// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every fuzz target shares (fuzz_common.h): boot, base modules, the
 * trusted fuzz key, and the checks after each input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "fuzz_common.h"
#include "fuzz_key.h"
#include "kernel/logbuf.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "loader/internal.h"
#include "loader/keyring.h"
#include "loader/module.h"

#ifndef FUZZ_MODULE_DIR
#error "FUZZ_MODULE_DIR: where fuzz/meson.build builds its modules"
#endif

static void die(const char *what)
{
	fprintf(stderr, "kmodfs-fuzz: %s\n", what);
	abort();
}

/* The largest module_alloc() that succeeds when nothing is loaded. */
static size_t arena_size;
static bool debug;
static uint64_t mark, log_first, log_next;

/*
 * libFuzzer looks for a leak (runs the input again, then LeakSanitizer
 * over the whole heap: slow) after every input that made more mallocs
 * than frees.  The kernel log does that on its own: a record is a malloc,
 * and the records it drops to stay within 1 MiB are frees, as many or
 * fewer.  So the harness evens out what the log did -- records added
 * minus records dropped -- by freeing (or allocating) as many chunks
 * from this bank, and libFuzzer sees only what the code under test did.
 */
#define BANK_SIZE 4096
static void *bank[BANK_SIZE];
static unsigned int bank_len;

static void bank_fill(unsigned int n)
{
	while (n-- && bank_len < BANK_SIZE) {
		void *p = malloc(1);

		if (!p)
			return;
		bank[bank_len++] = p;
	}
}

static void bank_spend(unsigned int n)
{
	while (n-- && bank_len)
		free(bank[--bank_len]);
}

static void find_arena_size(void)
{
	for (size_t size = 1ul << 30; size >= (1ul << 20); size /= 2) {
		void *p = module_alloc(size);

		if (p) {
			module_memfree(p, size);
			arena_size = size;
			return;
		}
	}
	die("module_alloc() gives nothing");
}

/*
 * Fill the kernel log (1 MiB of text) with short records first: until it
 * is full every printk is a malloc without a free (see the bank above).
 */
static void fill_log(void)
{
	for (unsigned int i = 0; i < 40000; i++)
		printk(KERN_DEBUG "kmodfs-fuzz: filling the log %u\n", i % 10);
}

static void trust_fuzz_key(void)
{
	char path[] = "/tmp/kmodfs-fuzz-cert-XXXXXX";
	EVP_PKEY *pkey = fuzz_signing_key();
	X509 *cert = pkey ? fuzz_signing_cert(pkey) : NULL;
	int fd = mkstemp(path);
	int err;

	if (!cert || fd < 0)
		die("cannot make the fuzz signing certificate");
	close(fd);
	if (fuzz_write_cert_pem(path, cert))
		die("cannot write the fuzz signing certificate");
	err = keyring_load(path);
	unlink(path);
	X509_free(cert);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	if (err)
		die("keyring_load() refused the fuzz signing certificate");
}

void fuzz_boot(int keyring)
{
	const char *kdir = getenv("KMODFS_FUZZ_KERNEL");

	debug = getenv("KMODFS_FUZZ_DEBUG") != NULL;
	if (kdir && *kdir && profile_load_dir(kdir))
		die("cannot load the kernel profile in $KMODFS_FUZZ_KERNEL");
	if (kernel_boot())
		die("kernel_boot() failed");
	if (keyring)
		trust_fuzz_key();
	find_arena_size();
	fill_log();
	bank_fill(BANK_SIZE / 2);
}

static struct fuzz_image read_file(const char *path)
{
	struct fuzz_image im = { NULL, 0 };
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "kmodfs-fuzz: cannot read %s\n", path);
		abort();
	}
	im.data = malloc((size_t)n);
	if (!im.data || fread(im.data, 1, (size_t)n, f) != (size_t)n)
		die("cannot read a base module");
	im.len = (size_t)n;
	fclose(f);
	return im;
}

struct fuzz_image fuzz_base_module(const char *name)
{
	const char *dir = getenv("KMODFS_FUZZ_MODULE_DIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : FUZZ_MODULE_DIR, name);
	return read_file(path);
}

uint8_t *fuzz_dup(const void *data, size_t len, size_t extra)
{
	uint8_t *p = malloc(len + extra ? len + extra : 1);

	if (!p)
		die("out of memory");
	if (len)
		memcpy(p, data, len);
	return p;
}

void fuzz_begin(void)
{
	log_first = logbuf_first_seq();
	mark = log_next = logbuf_next_seq();
}

static void dump_log(int err)
{
	struct log_record_info info;
	char buf[LOG_LINE_MAX + 1];
	uint64_t seq = mark;
	int r;

	fprintf(stderr, "kmodfs-fuzz: result %d\n", err);
	while ((r = logbuf_read(&seq, &info, buf, sizeof(buf))) != -EAGAIN) {
		if (r == 0) {
			fprintf(stderr, "kmodfs-fuzz: <%u> %s\n", info.level, buf);
			seq++;
		}
	}
}

void fuzz_check_errno(int err)
{
	if (err > 0 || err < -4095) {
		fprintf(stderr, "kmodfs-fuzz: result %d is not 0 or -errno\n", err);
		abort();
	}
}

void fuzz_end(int err, int percpu)
{
	uint64_t added = logbuf_next_seq() - log_next;
	uint64_t dropped = logbuf_first_seq() - log_first;
	void *p;
	long off;

	if (debug)
		dump_log(err);
	if (nr_kmodules())
		die("a module stayed in the registry");
	/* all of the arena is free again, in one piece */
	p = module_alloc(arena_size);
	if (!p)
		die("module memory leaked: the arena is not whole again");
	module_memfree(p, arena_size);
	if (percpu) {
		off = percpu_alloc(PERCPU_AREA_SIZE - PERCPU_DYNAMIC_START, 8, NULL);
		if (off < 0)
			die("per-CPU memory leaked: the dynamic area is not whole again");
		percpu_free(off, PERCPU_AREA_SIZE - PERCPU_DYNAMIC_START);
	}
	if (added > dropped)
		bank_spend((unsigned int)(added - dropped));
	else
		bank_fill((unsigned int)(dropped - added));
}
