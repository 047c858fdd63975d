// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/logbuf.h"
#include "kernel/profile.h"
#include "ktest.h"
#include "loader/module.h"

struct image ktest_module(const char *dir_env, const char *name)
{
	const char *dir = getenv(dir_env);
	char path[4096];

	if (!dir)
		fail_msg("%s is not set", dir_env);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return ktest_file(path);
}

struct image ktest_file(const char *path)
{
	struct image im = { 0 };
	FILE *f;
	long n;

	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	im.data = malloc((size_t)n);
	assert_non_null(im.data);
	im.len = fread(im.data, 1, (size_t)n, f);
	fclose(f);
	assert_int_equal(im.len, (size_t)n);
	return im;
}

void image_free(struct image *im)
{
	free(im->data);
	im->data = NULL;
	im->len = 0;
}

struct image image_dup(const struct image *im)
{
	struct image c = { malloc(im->len ? im->len : 1), im->len };

	assert_non_null(c.data);
	memcpy(c.data, im->data, im->len);
	return c;
}

uint64_t log_mark(void)
{
	return logbuf_next_seq();
}

static bool scan(uint64_t mark, const char *text, bool exact, unsigned int *count)
{
	struct log_record_info info;
	char buf[LOG_LINE_MAX + 1];
	uint64_t seq = mark;
	int r;

	while ((r = logbuf_read(&seq, &info, buf, sizeof(buf))) != -EAGAIN) {
		if (r == 0) {
			if (count)
				(*count)++;
			if (text && (exact ? !strcmp(buf, text) : strstr(buf, text) != NULL))
				return true;
			seq++;
		}
	}
	return false;
}

bool log_has(uint64_t mark, const char *text)
{
	return scan(mark, text, false, NULL);
}

bool log_has_line(uint64_t mark, const char *text)
{
	return scan(mark, text, true, NULL);
}

unsigned int log_count(uint64_t mark)
{
	unsigned int n = 0;

	scan(mark, NULL, false, &n);
	return n;
}

unsigned int log_count_prefix(uint64_t mark, const char *prefix)
{
	struct log_record_info info;
	char buf[LOG_LINE_MAX + 1];
	size_t plen = strlen(prefix);
	unsigned int n = 0;
	uint64_t seq = mark;
	int r;

	while ((r = logbuf_read(&seq, &info, buf, sizeof(buf))) != -EAGAIN)
		if (r == 0) {
			if (!strncmp(buf, prefix, plen))
				n++;
			seq++;
		}
	return n;
}

void log_dump(uint64_t mark)
{
	struct log_record_info info;
	char buf[LOG_LINE_MAX + 1];
	uint64_t seq = mark;
	int r;

	while ((r = logbuf_read(&seq, &info, buf, sizeof(buf))) != -EAGAIN)
		if (r == 0) {
			fprintf(stderr, "# log: <%u> %s\n", info.level, buf);
			seq++;
		}
}

Elf64_Ehdr *ehdr(struct image *im)
{
	return (Elf64_Ehdr *)im->data;
}

Elf64_Shdr *shdr(struct image *im, unsigned int i)
{
	return (Elf64_Shdr *)(im->data + ehdr(im)->e_shoff) + i;
}

const char *sec_name_of(struct image *im, unsigned int i)
{
	Elf64_Shdr *strs = shdr(im, ehdr(im)->e_shstrndx);

	return (const char *)im->data + strs->sh_offset + shdr(im, i)->sh_name;
}

unsigned int sec_index(struct image *im, const char *name)
{
	for (unsigned int i = 1; i < ehdr(im)->e_shnum; i++)
		if (!strcmp(sec_name_of(im, i), name))
			return i;
	return 0;
}

Elf64_Sym *sym_by_name(struct image *im, const char *name, unsigned int *index)
{
	for (unsigned int i = 1; i < ehdr(im)->e_shnum; i++) {
		Elf64_Shdr *s = shdr(im, i);
		const char *strtab;

		if (s->sh_type != SHT_SYMTAB)
			continue;
		strtab = (const char *)im->data + shdr(im, s->sh_link)->sh_offset;
		for (unsigned int k = 0; k < s->sh_size / sizeof(Elf64_Sym); k++) {
			Elf64_Sym *sym = (Elf64_Sym *)(im->data + s->sh_offset) + k;

			if (!strcmp(strtab + sym->st_name, name)) {
				if (index)
					*index = k;
				return sym;
			}
		}
	}
	return NULL;
}

int load_image(const struct image *im, const char *args)
{
	struct image c = image_dup(im);
	int r = load_module(c.data, c.len, args, 0);

	image_free(&c);
	return r;
}

void expect_reject(const struct image *im, int err, const char *line)
{
	uint64_t m = log_mark();
	int r = load_image(im, "");

	if (r != err) {
		log_dump(m);
		if (r == 0)
			unload_all_modules();
		fail_msg("load returned %d, expected %d", r, err);
	}
	if (line)
		assert_line(m, line);
	assert_int_equal(nr_kmodules(), 0);
}

void expect_rejectf(const struct image *im, int err, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	expect_reject(im, err, line);
}

int ktest_run_kbuild(const char *group, const struct CMUnitTest *tests, size_t n)
{
	const char *kdir = getenv("KMODFS_KHEADERS");
	int r;

	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (!kdir || !*kdir) {
		printf("1..0 # SKIP linux-headers-amd64 is not installed\n");
		return 0;
	}
	if (profile_load_dir(kdir) || kernel_boot() < 0)
		return 1;
	r = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	kernel_shutdown();
	return r;
}
