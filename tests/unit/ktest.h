/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for tests that drive the loader core in-process: reading module
 * files, searching the kernel log, patching ELF images.  Test programs
 * are TAP-producing cmocka programs run by meson; KMODFS_EXAMPLES and
 * KMODFS_TESTMODS name the directories holding the built modules.
 */
#ifndef KMODFS_TESTS_KTEST_H
#define KMODFS_TESTS_KTEST_H

#include <elf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

struct image {
	uint8_t *data;
	size_t len;
};

/* Read $dir_env/name into a fresh buffer (fails the test if missing). */
struct image ktest_module(const char *dir_env, const char *name);
/* Read any file into a fresh buffer. */
struct image ktest_file(const char *path);
#define example(name) ktest_module("KMODFS_EXAMPLES", name)
#define testmod(name) ktest_module("KMODFS_TESTMODS", name)
void image_free(struct image *im);
struct image image_dup(const struct image *im);

/* The next log sequence number: remember it before an action. */
uint64_t log_mark(void);
/* Whether a record since mark contains text (the whole record text). */
bool log_has(uint64_t mark, const char *text);
/* Whether a record since mark equals text exactly. */
bool log_has_line(uint64_t mark, const char *text);
/* Number of records since mark. */
unsigned int log_count(uint64_t mark);
/* Number of records since mark that start with prefix. */
unsigned int log_count_prefix(uint64_t mark, const char *prefix);
/* Print records since mark (to stderr, for diagnosing failures). */
void log_dump(uint64_t mark);

#define assert_log(mark, text)                                                 \
	do {                                                                   \
		if (!log_has(mark, text)) {                                    \
			log_dump(mark);                                        \
			fail_msg("log has no record containing \"%s\"", text); \
		}                                                              \
	} while (0)

#define assert_line(mark, text)                                                \
	do {                                                                   \
		if (!log_has_line(mark, text)) {                               \
			log_dump(mark);                                        \
			fail_msg("log has no line \"%s\"", text);              \
		}                                                              \
	} while (0)

/* ELF image surgery (images are little-endian ELF64). */
Elf64_Ehdr *ehdr(struct image *im);
Elf64_Shdr *shdr(struct image *im, unsigned int i);
unsigned int sec_index(struct image *im, const char *name);	/* 0 if none */
const char *sec_name_of(struct image *im, unsigned int i);
Elf64_Sym *sym_by_name(struct image *im, const char *name, unsigned int *index);

/*
 * main() of a test program for modules built by real kbuild: without the
 * headers (KMODFS_KHEADERS unset) the program is skipped ("1..0 # SKIP");
 * else the headers' profile is loaded, the kernel booted, the tests run
 * and the kernel shut down.  Returns main()'s status.
 */
int ktest_run_kbuild(const char *group, const struct CMUnitTest *tests, size_t n);

/* load_module() on a private copy of the image. */
int load_image(const struct image *im, const char *args);
/* The image must fail to load with err, logging line (unless NULL), and
 * leave no module behind; expect_rejectf() formats the line. */
void expect_reject(const struct image *im, int err, const char *line);
void expect_rejectf(const struct image *im, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
