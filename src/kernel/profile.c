// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel profiles.  The built-in one carries no modversions (like a kernel
 * built without CONFIG_MODVERSIONS), so SDK modules need no __versions.
 * --kernel=DIR reads a kernel build tree (as linux-headers-* installs
 * one): UTS_RELEASE, the .config options that make up vermagic, HZ, and
 * Module.symvers, whose vmlinux lines give every export's CRC, licence
 * and namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "kernel/printk.h"
#include "kernel/profile.h"

struct kernel_profile kernel_profile;

struct symver {
	const char *name, *ns;
	uint32_t crc;
	bool gpl;
	struct symver *next;
};

#define SYMVER_BUCKETS 16384
static struct symver **symvers;

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % SYMVER_BUCKETS;
}

static const struct symver *symver_find(const char *name)
{
	if (!symvers)
		return NULL;
	for (const struct symver *v = symvers[hash(name)]; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

void profile_use_builtin(void)
{
	memset(&kernel_profile, 0, sizeof(kernel_profile));
	snprintf(kernel_profile.name, sizeof(kernel_profile.name), "kmodfs");
	snprintf(kernel_profile.release, sizeof(kernel_profile.release), "%s",
		 KMODFS_BUILTIN_RELEASE);
	snprintf(kernel_profile.vermagic, sizeof(kernel_profile.vermagic), "%s",
		 KMODFS_BUILTIN_VERMAGIC);
	kernel_profile.hz = 250;
	kernel_profile.modversions = false;
}

bool profile_symbol_crc(const char *name, uint32_t *crc)
{
	const struct symver *v;

	if (!kernel_profile.modversions)
		return false;
	v = symver_find(name);
	if (v)
		*crc = v->crc;
	return v != NULL;
}

bool profile_symbol_license(const char *name, bool *gpl, const char **ns)
{
	const struct symver *v = symver_find(name);

	if (v) {
		*gpl = v->gpl;
		*ns = v->ns;
	}
	return v != NULL;
}

static int read_line(const char *dir, const char *file, char *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* UTS_RELEASE from include/generated/utsrelease.h */
static int read_release(const char *dir)
{
	char line[256], *q1, *q2;
	int err = read_line(dir, "include/generated/utsrelease.h", line, sizeof(line));

	if (err)
		return err;
	q1 = strchr(line, '"');
	q2 = q1 ? strchr(q1 + 1, '"') : NULL;
	if (!q2 || q2 - q1 - 1 >= (long)sizeof(kernel_profile.release))
		return -EINVAL;
	memcpy(kernel_profile.release, q1 + 1, (size_t)(q2 - q1 - 1));
	kernel_profile.release[q2 - q1 - 1] = '\0';
	return 0;
}

struct config {
	bool smp, preempt, preempt_rt, unload, modversions, randstruct;
	unsigned int hz;
};

static int read_config(const char *dir, struct config *c)
{
	char path[4096], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/.config", dir);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "CONFIG_SMP=y"))
			c->smp = true;
		else if (!strcmp(line, "CONFIG_PREEMPT_BUILD=y"))
			c->preempt = true;
		else if (!strcmp(line, "CONFIG_PREEMPT_RT=y"))
			c->preempt_rt = true;
		else if (!strcmp(line, "CONFIG_MODULE_UNLOAD=y"))
			c->unload = true;
		else if (!strcmp(line, "CONFIG_MODVERSIONS=y"))
			c->modversions = true;
		else if (!strcmp(line, "CONFIG_RANDSTRUCT=y"))
			c->randstruct = true;
		else if (!strncmp(line, "CONFIG_HZ=", 10))
			c->hz = (unsigned int)strtoul(line + 10, NULL, 10);
	}
	fclose(f);
	return 0;
}

/*
 * Module.symvers, read whole and parsed in place (tens of thousands of
 * lines: one buffer and one array, no allocation per symbol).
 */
static char *symvers_text;
static struct symver *symver_array;

static int read_symvers(const char *dir)
{
	char path[4096], *line, *next;
	size_t len, n = 0, lines = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/Module.symvers", dir);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	symvers_text = malloc(len + 1);
	if (!symvers_text || fread(symvers_text, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	symvers_text[len] = '\0';
	for (size_t i = 0; i < len; i++)
		lines += symvers_text[i] == '\n';
	symvers = calloc(SYMVER_BUCKETS, sizeof(*symvers));
	symver_array = calloc(lines + 1, sizeof(*symver_array));
	if (!symvers || !symver_array)
		return -ENOMEM;
	for (line = symvers_text; *line; line = next) {
		char *field[5] = { 0 }, *p = line;
		struct symver *v;
		int i = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		/* crc \t name \t module \t EXPORT_SYMBOL[_GPL] \t namespace */
		while (i < 5) {
			field[i++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (i < 4 || strcmp(field[2], "vmlinux"))
			continue;	/* exports of modules come from those modules */
		v = &symver_array[n++];
		v->name = field[1];
		v->ns = i > 4 ? field[4] : "";
		v->crc = (uint32_t)strtoul(field[0], NULL, 16);
		v->gpl = !strcmp(field[3], "EXPORT_SYMBOL_GPL");
		v->next = symvers[hash(v->name)];
		symvers[hash(v->name)] = v;
	}
	return n ? 0 : -EINVAL;
}

int profile_load_dir(const char *dir)
{
	struct config c = { 0 };
	int err;

	memset(&kernel_profile, 0, sizeof(kernel_profile));
	snprintf(kernel_profile.name, sizeof(kernel_profile.name), "%s", dir);
	err = read_release(dir);
	if (err) {
		fprintf(stderr, "kmodfs: %s: no include/generated/utsrelease.h: %s\n", dir,
			strerror(-err));
		return err;
	}
	err = read_config(dir, &c);
	if (err) {
		fprintf(stderr, "kmodfs: %s: no .config: %s\n", dir, strerror(-err));
		return err;
	}
	if (c.randstruct) {
		fprintf(stderr, "kmodfs: %s: CONFIG_RANDSTRUCT kernels are not supported\n", dir);
		return -EINVAL;
	}
	/* include/linux/vermagic.h, with x86-64's empty MODULE_ARCH_VERMAGIC */
	snprintf(kernel_profile.vermagic, sizeof(kernel_profile.vermagic), "%s %s%s%s%s",
		 kernel_profile.release, c.smp ? "SMP " : "",
		 c.preempt_rt ? "preempt_rt " : c.preempt ? "preempt " : "",
		 c.unload ? "mod_unload " : "", c.modversions ? "modversions " : "");
	kernel_profile.hz = c.hz ? c.hz : 250;
	kernel_profile.modversions = c.modversions;
	err = read_symvers(dir);
	if (err) {
		fprintf(stderr, "kmodfs: %s: no usable Module.symvers: %s\n", dir,
			strerror(-err));
		return err;
	}
	return 0;
}
