// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load/: a file written here is a module image; when its writer closes
 * it, the image is loaded and the result of the load becomes the result
 * of close() (FUSE flush).  The file then disappears.  Its load-time
 * parameters come from etc/modprobe.d and --cmdline (etc.c), looked up
 * by the module's own name once the loader knows it.
 */
#include "fs/fs.h"

static int load_data(const char *data, size_t len, void *arg)
{
	(void)arg;
	return load_module(data, len, NULL, MODULE_INIT_COMPRESSED_FILE);
}

/* 0 or the -errno finit_module would return. */
int load_commit(struct memfile *mf)
{
	return memfile_with_data(mf, load_data, NULL);
}
