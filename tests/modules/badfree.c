/* Frees what it must not, in init; kmodfs reports each and ignores the
 * free (SLUB's free-time checks), so init goes on and returns 0.
 *
 *  how=1  kfree() the same object twice
 *  how=2  kfree() a static variable (no allocator returned it)
 *  how=3  kmem_cache_free() the same object twice
 *  how=4  vfree() the same area twice
 *  how=5  krealloc() an object already freed
 *  how=6  vfree() what kmalloc returned
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

MODULE_LICENSE("GPL");

static int how;
module_param(how, int, 0444);

static int not_allocated[4];

static int __init badfree_init(void)
{
	struct kmem_cache *cache;
	void *p, *q;

	switch (how) {
	case 1:
		p = kmalloc(100, GFP_KERNEL);
		kfree(p);
		kfree(p);
		break;
	case 2:
		kfree(not_allocated);
		break;
	case 3:
		cache = kmem_cache_create("badfree_cache", 40, 0, 0, NULL);
		if (!cache)
			return -ENOMEM;
		p = kmem_cache_alloc(cache, GFP_KERNEL);
		kmem_cache_free(cache, p);
		kmem_cache_free(cache, p);
		kmem_cache_destroy(cache);
		break;
	case 4:
		p = vmalloc(8192);
		vfree(p);
		vfree(p);
		break;
	case 5:
		p = kmalloc(2000, GFP_KERNEL);
		kfree(p);
		q = krealloc(p, 4000, GFP_KERNEL);
		pr_info("badfree: krealloc gave %s\n", q ? "memory" : "NULL");
		kfree(q);
		break;
	case 6:
		p = kmalloc(64, GFP_KERNEL);
		vfree(p);
		kfree(p);
		break;
	}
	pr_info("badfree: init goes on (how=%d)\n", how);
	return 0;
}

static void __exit badfree_exit(void)
{
	pr_info("badfree: exit\n");
}

module_init(badfree_init);
module_exit(badfree_exit);
