// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Load-time module parameters, as modprobe assembles them: "options NAME
 * ..." lines of the .conf files in etc/modprobe.d (in file-name order, '#'
 * comment lines, '\' joins lines), then NAME.PARAM=VALUE words of
 * --cmdline, as kmod adds the kernel command line's.  The module's
 * parse_args() applies them in that order, so the last value wins.
 *
 * etc/modprobe.d holds ordinary in-memory files: create, write, list,
 * rename (editors save that way), unlink.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "loader/signature.h"

#define MODPROBE_FILE_LIMIT (1u << 20)

struct cmdline_opt {
	char *module;	/* underscores for dashes */
	char *option;	/* "p" or "p=v" (quoted when v has blanks) */
};
static struct cmdline_opt *cmdline_opts;
static size_t num_cmdline_opts;

static void underscores(char *s)
{
	for (; *s; s++)
		if (*s == '-')
			*s = '_';
}

/* Append text to a growing "a b c" string. */
static int append(char **s, size_t *len, const char *text, size_t n)
{
	char *p = realloc(*s, *len + n + 2);

	if (!p)
		return -ENOMEM;
	*s = p;
	if (*len)
		p[(*len)++] = ' ';
	memcpy(p + *len, text, n);
	*len += n;
	p[*len] = '\0';
	return 0;
}

static char *module_options(const char *module);

void options_init(const char *cmdline)
{
	char *copy, *args, *param, *val;

	set_module_options_provider(module_options);
	if (!cmdline || !(copy = strdup(cmdline)))
		return;
	args = copy;
	while (*(args = skip_spaces(args))) {
		char *dot, buf[4096];
		struct cmdline_opt *o;

		args = next_arg(args, &param, &val);
		dot = strchr(param, '.');
		if (!dot || dot == param || !dot[1]) {
			pr_warn("kmodfs: --cmdline: '%s' is not MODULE.PARAM[=VALUE]: ignored\n",
				param);
			continue;
		}
		*dot = '\0';
		if (!strcmp(param, "module") && !strcmp(dot + 1, "sig_enforce")) {
			/* the built-in module.sig_enforce, not a loadable module's */
			struct kernel_param kp = { .name = "sig_enforce", .arg = &sig_enforce };

			if (param_ops_bool_enable_only.set(val, &kp))
				pr_warn("module: `%s' invalid for parameter `sig_enforce'\n",
					val ? val : "");
			continue;
		}
		if (!val)
			snprintf(buf, sizeof(buf), "%s", dot + 1);
		else if (strpbrk(val, " \t\n"))
			snprintf(buf, sizeof(buf), "%s=\"%s\"", dot + 1, val);
		else
			snprintf(buf, sizeof(buf), "%s=%s", dot + 1, val);
		o = realloc(cmdline_opts, (num_cmdline_opts + 1) * sizeof(*o));
		if (!o)
			break;
		cmdline_opts = o;
		o = &cmdline_opts[num_cmdline_opts];
		o->module = strdup(param);
		o->option = strdup(buf);
		if (!o->module || !o->option) {
			free(o->module);
			free(o->option);
			break;
		}
		underscores(o->module);
		num_cmdline_opts++;
	}
	free(copy);
}

struct collect {
	const char *module;
	char *out;
	size_t len;
};

/* One logical line: physical lines ending in '\' joined as they are
 * (kmod's way).  Returns the position after it, or NULL at the end. */
static const char *logical_line(const char *p, const char *end, char *out)
{
	size_t n = 0;

	if (p >= end)
		return NULL;
	while (p < end && *p != '\n') {
		if (*p == '\\' && p + 1 < end && p[1] == '\n') {
			p += 2;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	return p < end ? p + 1 : end;
}

/* One modprobe.d file: the options lines for our module. */
static int scan_conf(const char *data, size_t len, void *arg)
{
	struct collect *c = arg;
	const char *p = data, *end = data + len;
	char *buf = malloc(len + 1);

	if (!buf)
		return -ENOMEM;
	while ((p = logical_line(p, end, buf))) {
		char *line = skip_spaces(buf), *cmd, *mod, *opts, *save;

		if (*line == '#' || !*line)
			continue;
		cmd = strtok_r(line, " \t", &save);
		if (!cmd || strcmp(cmd, "options"))
			continue;
		mod = strtok_r(NULL, " \t", &save);
		opts = strtok_r(NULL, "", &save);
		if (!mod || !opts)
			continue;
		underscores(mod);
		opts = strim(opts);
		if (!strcmp(mod, c->module) && *opts &&
		    append(&c->out, &c->len, opts, strlen(opts))) {
			free(buf);
			return -ENOMEM;
		}
	}
	free(buf);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(struct node *const *)a)->name, (*(struct node *const *)b)->name);
}

static bool is_conf(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".conf");
}

/* The loader asks: every option for this module, in modprobe's order. */
static char *module_options(const char *module)
{
	static struct node *dir;
	struct node **files = NULL;
	struct collect c = { .module = module };
	size_t n = 0, cap = 0;

	if (!dir)
		dir = node_by_kind(N_MODPROBE);	/* a static node: found once */
	pthread_mutex_lock(&fs_lock);
	for (struct node *f = dir->children; f; f = f->sibling) {
		if (f->removed || f->kind != N_MODPROBE_FILE || !is_conf(f->name))
			continue;
		if (n == cap) {
			struct node **p = realloc(files, (cap = cap ? cap * 2 : 8) * sizeof(*p));

			if (!p)
				break;
			files = p;
		}
		files[n++] = f;
	}
	if (n)
		qsort(files, n, sizeof(*files), cmp_name);
	for (size_t i = 0; i < n; i++)
		memfile_with_data(files[i]->mf, scan_conf, &c);
	pthread_mutex_unlock(&fs_lock);
	free(files);

	for (size_t i = 0; i < num_cmdline_opts; i++)
		if (!strcmp(cmdline_opts[i].module, module))
			append(&c.out, &c.len, cmdline_opts[i].option,
			       strlen(cmdline_opts[i].option));
	return c.out;
}

int modprobe_create(struct node *dir, const char *name, struct node **out)
{
	struct node *n;

	if (strchr(name, '/'))
		return -EINVAL;
	for (n = dir->children; n; n = n->sibling)
		if (!n->removed && !strcmp(n->name, name))
			break;
	if (!n) {
		n = node_add_child(dir, name, N_MODPROBE_FILE, 0, NULL);
		if (!n)
			return -ENOMEM;
		n->mf = memfile_new(MODPROBE_FILE_LIMIT);
		if (!n->mf) {
			node_remove(n);
			return -ENOMEM;
		}
	}
	*out = n;
	return 0;
}

int modprobe_rename(struct node *dir, const char *name, struct node *newdir,
		    const char *newname)
{
	struct node *src = NULL, *dst = NULL;
	char *copy;

	if (dir->kind != N_MODPROBE || newdir->kind != N_MODPROBE)
		return -EPERM;
	for (struct node *c = dir->children; c; c = c->sibling) {
		if (c->removed)
			continue;
		if (!strcmp(c->name, name))
			src = c;
		if (!strcmp(c->name, newname))
			dst = c;
	}
	if (!src)
		return -ENOENT;
	if (src == dst)
		return 0;
	copy = strdup(newname);
	if (!copy)
		return -ENOMEM;
	if (dst)
		node_remove(dst);
	free(src->name);
	src->name = copy;
	return 0;
}
