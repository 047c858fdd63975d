// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load_module(): runs the pipeline stages in Linux 6.1's order (facts
 * §12) over one struct load_info, and on failure undoes exactly what was
 * done, judged from what the context records rather than from a ladder
 * of labels.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/modcall.h"
#include "kernel/params.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/taint.h"
#include "loader/decompress.h"
#include "loader/internal.h"
#include "loader/registry.h"

bool modules_disabled;

/* Names that already exist under /sys/module without a module. */
static bool builtin_sysfs_name(const char *name)
{
	return !strcmp(name, "module");
}

/* The module record, once the module sits in its final memory. */
static int alloc_kmodule(struct load_info *info)
{
	struct kmodule *km = calloc(1, sizeof(*km));

	if (!km)
		return -ENOMEM;
	info->km = km;
	atomic_init(&km->rec_ref, 1);
	INIT_LIST_HEAD(&km->list);
	INIT_LIST_HEAD(&km->source_list);
	INIT_LIST_HEAD(&km->target_list);
	pthread_mutex_init(&km->param_lock, NULL);
	km->mod = sec_addr(info, info->index.mod);
	memcpy(km->name, km->mod->name, sizeof(km->name));
	km->core = info->core;
	km->init = info->init;
	km->taints = info->taints;
	km->sig_ok = info->sig_ok;
	/* Linux's module_unload_init(): the base reference plus the one
	 * init holds */
	km->mod->refcnt = MODULE_REF_BASE + 1;
	info->mem_handed_off = true;
	return 0;
}

/* Linux's percpu_modalloc(): the module's .data..percpu in every CPU. */
static int percpu_modalloc(struct load_info *info)
{
	struct kmodule *km = info->km;
	const Elf64_Shdr *s;
	unsigned long align;
	long off;

	if (!info->index.pcpu)
		return 0;
	s = &info->sechdrs[info->index.pcpu];
	if (!s->sh_size)
		return 0;
	align = s->sh_addralign ? s->sh_addralign : 1;
	if (align > 4096) {
		pr_warn("%s: per-cpu alignment %li > %li\n", km->name, (long)align, 4096l);
		align = 4096;
	}
	off = percpu_alloc(s->sh_size, align,
			   sec_has_data(info, info->index.pcpu) ? sec_image(info, info->index.pcpu)
								    : NULL);
	if (off < 0) {
		pr_warn("%s: Could not allocate %lu bytes percpu data\n", km->name,
			(unsigned long)s->sh_size);
		return -ENOMEM;
	}
	km->percpu = off;
	km->percpu_size = s->sh_size;
	info->percpu_base = (unsigned long)off;
	return 0;
}

static void free_init_memory(struct kmodule *km)
{
	void *base = km->init.base;
	size_t size = km->init.size;

	modlist_write_lock();
	km->kallsyms = &km->core_kallsyms;
	km->init = (struct kmod_layout){ 0 };
	modlist_write_unlock();
	module_memfree(base, size);
}

static int do_init_module(struct load_info *info)
{
	struct kmodule *km = info->km;
	int ret = 0;

	/* init and exit were relocated into struct module by now */
	km->permanent = km->mod->init && !km->mod->exit;
	if (km->mod->init && modcall_init(km->mod->init, &ret))
		ret = -EFAULT;
	if (ret < 0) {
		module_mutex_lock();
		kmodule_set_state(km, MODULE_STATE_GOING);
		__atomic_fetch_sub(&km->mod->refcnt, 1, __ATOMIC_RELEASE);
		kmodule_sysfs_drain(km);
		module_mutex_unlock();
		destroy_params(km->kp, km->num_kp);
		free_module(km);
		info->km = NULL;
		return ret;
	}
	if (ret > 0)
		pr_warn("do_init_module: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n"
			"do_init_module: loading module anyway...\n",
			km->name, ret);

	module_mutex_lock();
	kmodule_set_state(km, MODULE_STATE_LIVE);
	/* drop the init reference */
	__atomic_fetch_sub(&km->mod->refcnt, 1, __ATOMIC_RELEASE);
	module_protect_ro_after_init(km);
	free_init_memory(km);
	module_state_changed();
	module_mutex_unlock();
	module_watchers_notify(km, KMOD_LIVE);
	info->km = NULL;	/* it belongs to the registry now */
	return 0;
}

static int load_stages(struct load_info *info, const char *args)
{
	int err;

	if ((err = module_sig_check(info)) ||
	    (err = elf_validity_check(info)) ||
	    (err = setup_load_info(info)))
		return err;
	rewrite_section_headers(info);
	if ((err = check_modstruct_version(info)) ||
	    (err = layout_and_allocate(info)) ||
	    (err = alloc_kmodule(info)))
		return err;
	/* a dry run links the module aside: not in the registry, no init */
	if (!info->dry_run && (err = add_unformed_module(info)))
		return err;

	if (!info->sig_ok && !info->dry_run) {
		pr_notice_once("%s: module verification failed: signature and/or required key missing - tainting kernel\n",
			       info->km->name);
		add_taint_module(info, TAINT_UNSIGNED_MODULE, LOCKDEP_STILL_OK);
	}
	if ((err = percpu_modalloc(info)) ||
	    (err = find_module_sections(info)) ||
	    (err = check_module_license_and_versions(info)) ||
	    (err = setup_modinfo(info)) ||
	    (err = simplify_symbols(info)) ||
	    (err = apply_relocations(info)) ||
	    (err = check_module_params(info)))
		return err;
	add_kallsyms(info);
	module_finalize(info);
	ftrace_module_init(info);
	if (info->dry_run)
		return 0;
	if ((err = complete_formation(info)) ||
	    (err = parse_module_args(info, args)))
		return err;
	if (!info->km->name[0]) {
		/* kobject_add() refuses it: the module could never be removed */
		pr_err("kobject: (%px): attempted to be registered with empty name!\n",
		       (void *)info->km->mod);
		return -EINVAL;
	}
	if (builtin_sysfs_name(info->km->name)) {
		pr_err("%s: module is already loaded\n", info->km->name);
		return -EINVAL;
	}
	/* mod_sysfs_setup(): the directory exists while init runs */
	module_mutex_lock();
	info->km->sysfs_visible = true;
	module_mutex_unlock();
	module_watchers_notify(info->km, KMOD_SYSFS_ADD);
	return do_init_module(info);
}

/*
 * Undo whatever load_stages() got to before it failed.  Module memory
 * belongs to info until alloc_kmodule() hands it to the record; the
 * record belongs to the registry once added (free_module() then does
 * the work), and do_init_module() disposes of it itself.
 */
static void load_cleanup(struct load_info *info)
{
	struct kmodule *km = info->km;

	if (!km) {
		if (!info->mem_handed_off) {
			module_memfree(info->core.base, info->core.size);
			module_memfree(info->init.base, info->init.size);
		}
		return;
	}
	if (info->added) {
		if (info->formed) {
			module_mutex_lock();
			kmodule_set_state(km, MODULE_STATE_GOING);
			kmodule_sysfs_drain(km);
			module_mutex_unlock();
			destroy_params(km->kp, km->num_kp);
		}
		free_module(km);
	} else {
		module_memfree(km->core.base, km->core.size);
		module_memfree(km->init.base, km->init.size);
		percpu_free(km->percpu, km->percpu_size);
		kmodule_put(km);
	}
}

static int run_load(const void *image, size_t len, const char *args, int flags,
		    unsigned int link_flags)
{
	struct load_info info = {
		.hdr = image,
		.len = len,
		.file_len = len,
		.flags = flags,
		.dry_run = link_flags & LINK_DRY_RUN,
		.placeholders = link_flags & LINK_PLACEHOLDERS,
	};
	uint8_t *decompressed = NULL;
	size_t dlen;
	int err;

	if (flags & ~(MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC |
		      MODULE_INIT_COMPRESSED_FILE))
		return -EINVAL;
	if (__atomic_load_n(&modules_disabled, __ATOMIC_ACQUIRE))
		return -EPERM;

	if (flags & MODULE_INIT_COMPRESSED_FILE) {
		err = module_decompress(image, len, &decompressed, &dlen);
		if (err < 0)
			return err;
		if (err) {
			info.hdr = decompressed;
			info.len = info.file_len = dlen;
		}
	}
	err = load_stages(&info, args);
	if (err || info.dry_run)
		load_cleanup(&info);
	free(decompressed);
	if (info.elf)
		elf_end(info.elf);
	free(info.sechdrs);
	free(info.secoff);
	free(info.modinfo);
	free(info.mi);
	return err;
}

int load_module(const void *image, size_t len, const char *args, int flags)
{
	return run_load(image, len, args, flags, 0);
}

int link_module(const void *image, size_t len, int flags, unsigned int link_flags)
{
	return run_load(image, len, NULL, flags, link_flags | LINK_DRY_RUN);
}
