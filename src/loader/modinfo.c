// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage: .modinfo.  The section is a run of "key=value" C strings with
 * NUL padding between them.  It is copied once, NUL-terminated, and split
 * into entries; repeated keys are all kept (parm, alias, import_ns...).
 * An entry without '=' is kept too: right after license= it betrays the
 * "GPL\0..." trick (license.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"

int modinfo_parse(struct load_info *info)
{
	const Elf64_Shdr *s;
	size_t n = 0;
	char *p, *end;

	if (!info->index.info)
		return 0;
	s = &info->sechdrs[info->index.info];
	if (!sec_has_data(info, info->index.info))
		return 0;	/* no contents in the file: no entries */
	info->modinfo_size = s->sh_size;
	info->modinfo = malloc(s->sh_size + 1);
	if (!info->modinfo)
		return -ENOMEM;
	memcpy(info->modinfo, sec_image(info, info->index.info), s->sh_size);
	info->modinfo[s->sh_size] = '\0';

	end = info->modinfo + info->modinfo_size;
	for (p = info->modinfo; p < end; p += strlen(p) + 1)
		if (*p)
			n++;
	info->mi = calloc(n ? n : 1, sizeof(*info->mi));
	if (!info->mi)
		return -ENOMEM;
	for (p = info->modinfo; p < end; p += strlen(p) + 1) {
		struct modinfo_entry *e;
		char *eq;

		if (!*p)
			continue;
		e = &info->mi[info->num_mi++];
		e->key = p;
		eq = strchr(p, '=');
		e->key_len = eq ? (size_t)(eq - p) : strlen(p);
		e->value = eq ? eq + 1 : NULL;
	}
	return 0;
}

const char *get_next_modinfo(const struct load_info *info, const char *tag,
			     size_t *pos)
{
	size_t taglen = strlen(tag);

	for (; *pos < info->num_mi; (*pos)++) {
		const struct modinfo_entry *e = &info->mi[*pos];

		if (e->value && e->key_len == taglen && !memcmp(e->key, tag, taglen))
			return info->mi[(*pos)++].value;
	}
	return NULL;
}

const char *get_modinfo(const struct load_info *info, const char *tag)
{
	size_t pos = 0;

	return get_next_modinfo(info, tag, &pos);
}

/* Linux's check_modinfo(): vermagic first, then the taint checks. */
int check_modinfo(struct load_info *info)
{
	int err = check_modinfo_vermagic(info);

	if (err)
		return err;
	return check_modinfo_license_and_taints(info);
}

/* Keep the modinfo with the module: version/srcversion/parm for sysfs. */
int setup_modinfo(struct load_info *info)
{
	struct kmodule *km = info->km;
	const char *v;

	if (!info->modinfo)
		return 0;
	km->modinfo = malloc(info->modinfo_size + 1);
	if (!km->modinfo)
		return -ENOMEM;
	memcpy(km->modinfo, info->modinfo, info->modinfo_size + 1);
	km->modinfo_len = info->modinfo_size;
	v = get_modinfo(info, "version");
	if (v)
		km->version = km->modinfo + (v - info->modinfo);
	v = get_modinfo(info, "srcversion");
	if (v)
		km->srcversion = km->modinfo + (v - info->modinfo);
	return 0;
}
