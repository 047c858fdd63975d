// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kbuild test module: the core library as a Debian-built module uses it
 * -- sort, sort_r, bsearch, list_sort, red-black trees (plain, cached
 * and augmented), gcd/lcm/int_sqrt, hex conversion and hex dumps,
 * memparse, bit searches and bitmap operations, hweight and CRC-32 --
 * with the inline parts (rb_link_node, rb_erase_augmented, bitmap_*,
 * find_*_bit, hweight32...) compiled from the real 6.1 headers.
 *
 * Every check compares with a known answer.  Init prints
 * "klib: FAIL ..." per failed check, then "klib: N checks, M failed",
 * and returns -EINVAL if any check failed.  It also prints a few hex
 * dumps whose exact lines the unit test (tests/unit/test_klib.c) checks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bsearch.h>
#include <linux/crc32.h>
#include <linux/gcd.h>
#include <linux/kernel.h>
#include <linux/lcm.h>
#include <linux/list.h>
#include <linux/list_sort.h>
#include <linux/math.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rbtree.h>
#include <linux/rbtree_augmented.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodfs test: sort, rbtree, hex dumps, bitmaps, CRC-32");

#include "kcheck.h"

/* A fixed pseudo-random sequence (xorshift32). */
static u32 rng_state;

static void rng_seed(u32 seed)
{
	rng_state = seed;
}

static u32 rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* A pseudo-random permutation of 0..n-1 (Fisher-Yates). */
static void shuffle(unsigned int *v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		v[i] = i;
	for (unsigned int i = n - 1; i > 0; i--) {
		unsigned int j = rng_next() % (i + 1);

		swap(v[i], v[j]);
	}
}

/* ---- sort, sort_r, bsearch ---- */

#define NSORT 300

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

struct rec {
	int key;
	int twice;	/* always 2 * key: moves with it */
	char name[8];
};

static int swaps;

static int cmp_rec(const void *a, const void *b)
{
	return cmp_int(&((const struct rec *)a)->key, &((const struct rec *)b)->key);
}

static void swap_rec(void *a, void *b, int size)
{
	struct rec t;

	swaps++;
	if (size != sizeof(struct rec))
		return;		/* caught by the checks below */
	t = *(struct rec *)a;
	*(struct rec *)a = *(struct rec *)b;
	*(struct rec *)b = t;
}

static const int descending = -1;

static int cmp_int_r(const void *a, const void *b, const void *priv)
{
	return *(const int *)priv * cmp_int(a, b);
}

/* 3-byte elements: the built-in swap handles any size */
struct tri {
	u8 b[3];
};

static int cmp_tri(const void *a, const void *b)
{
	return memcmp(a, b, 3);
}

static int ints[NSORT];
static struct rec recs[NSORT];
static struct tri tris[64];

static void test_sort(void)
{
	static const int fixed[] = { 5, -3, 9, 0, 5, 12, -7, 1 };
	static const int fixed_sorted[] = { -7, -3, 0, 1, 5, 5, 9, 12 };
	int small[ARRAY_SIZE(fixed)];
	long sum = 0, sum_after = 0;
	bool ordered = true, consistent = true;
	int key, *found;

	memcpy(small, fixed, sizeof(small));
	sort(small, ARRAY_SIZE(small), sizeof(int), cmp_int, NULL);
	CHECK(!memcmp(small, fixed_sorted, sizeof(small)));

	rng_seed(12345);
	for (int i = 0; i < NSORT; i++) {
		ints[i] = (int)(rng_next() % 1000) - 500;
		sum += ints[i];
	}
	sort(ints, NSORT, sizeof(int), cmp_int, NULL);
	for (int i = 0; i < NSORT; i++) {
		sum_after += ints[i];
		if (i && ints[i - 1] > ints[i])
			ordered = false;
	}
	CHECK(ordered);
	CHECK(sum == sum_after, "%ld != %ld", sum, sum_after);

	/* structs with a custom swap */
	for (int i = 0; i < NSORT; i++) {
		recs[i].key = (int)(rng_next() % 100);
		recs[i].twice = 2 * recs[i].key;
		snprintf(recs[i].name, sizeof(recs[i].name), "r%d", recs[i].key);
	}
	swaps = 0;
	sort(recs, NSORT, sizeof(struct rec), cmp_rec, swap_rec);
	CHECK(swaps > 0);
	ordered = true;
	for (int i = 0; i < NSORT; i++) {
		char name[8];

		snprintf(name, sizeof(name), "r%d", recs[i].key);
		if (i && recs[i - 1].key > recs[i].key)
			ordered = false;
		if (recs[i].twice != 2 * recs[i].key || strcmp(recs[i].name, name))
			consistent = false;
	}
	CHECK(ordered);
	CHECK(consistent);

	/* sort_r: the comparison's priv makes it descending */
	memcpy(small, fixed, sizeof(small));
	sort_r(small, ARRAY_SIZE(small), sizeof(int), cmp_int_r, NULL, &descending);
	for (int i = 0; i < (int)ARRAY_SIZE(small); i++)
		CHECK(small[i] == fixed_sorted[ARRAY_SIZE(small) - 1 - i],
		      "[%d] = %d", i, small[i]);

	/* odd-sized elements, built-in swap */
	for (int i = 0; i < (int)ARRAY_SIZE(tris); i++) {
		u32 r = rng_next();

		tris[i].b[0] = r % 4;	/* many equal first bytes */
		tris[i].b[1] = r >> 8;
		tris[i].b[2] = r >> 16;
	}
	sort(tris, ARRAY_SIZE(tris), sizeof(struct tri), cmp_tri, NULL);
	ordered = true;
	for (int i = 1; i < (int)ARRAY_SIZE(tris); i++)
		if (memcmp(&tris[i - 1], &tris[i], 3) > 0)
			ordered = false;
	CHECK(ordered);

	/* nothing to do for 0 or 1 elements */
	sort(small, 1, sizeof(int), cmp_int, NULL);
	CHECK(small[0] == 12);
	sort(NULL, 0, sizeof(int), cmp_int, NULL);

	/* bsearch on the sorted fixed array */
	for (int i = 0; i < (int)ARRAY_SIZE(fixed_sorted); i++) {
		key = fixed_sorted[i];
		found = bsearch(&key, fixed_sorted, ARRAY_SIZE(fixed_sorted), sizeof(int), cmp_int);
		CHECK(found && *found == key, "key %d", key);
	}
	key = 4;
	CHECK(!bsearch(&key, fixed_sorted, ARRAY_SIZE(fixed_sorted), sizeof(int), cmp_int));
	key = 100;
	CHECK(!bsearch(&key, fixed_sorted, ARRAY_SIZE(fixed_sorted), sizeof(int), cmp_int));
	key = -100;
	CHECK(!bsearch(&key, fixed_sorted, ARRAY_SIZE(fixed_sorted), sizeof(int), cmp_int));
	CHECK(!bsearch(&key, fixed_sorted, 0, sizeof(int), cmp_int));
	/* the same probes as the inline version: the same one of equal keys */
	key = 5;
	CHECK(bsearch(&key, fixed_sorted, ARRAY_SIZE(fixed_sorted), sizeof(int), cmp_int) ==
	      __inline_bsearch(&key, fixed_sorted, ARRAY_SIZE(fixed_sorted), sizeof(int),
			       cmp_int));
}

/* ---- list_sort ---- */

#define NLIST 200

struct item {
	struct list_head list;
	int key;
	int seq;
};

static struct item items[NLIST];
static const char list_priv[] = "priv";
static bool priv_ok = true;

static int cmp_item(void *priv, const struct list_head *a, const struct list_head *b)
{
	if (priv != list_priv)
		priv_ok = false;
	return list_entry(a, struct item, list)->key - list_entry(b, struct item, list)->key;
}

/* Forward and backward walks agree and see n elements. */
static bool list_intact(struct list_head *head, int n)
{
	struct list_head *p;
	int count = 0;

	for (p = head->next; p != head; p = p->next) {
		if (p->next->prev != p || p->prev->next != p || ++count > n)
			return false;
	}
	if (count != n)
		return false;
	count = 0;
	for (p = head->prev; p != head; p = p->prev)
		if (++count > n)
			return false;
	return count == n;
}

static void test_list_sort(void)
{
	LIST_HEAD(head);
	struct item *it, *prev = NULL;
	bool sorted = true, stable = true;
	int n = 0;

	list_sort((void *)list_priv, &head, cmp_item);
	CHECK(list_empty(&head));
	list_add_tail(&items[0].list, &head);
	items[0].key = 1;
	list_sort((void *)list_priv, &head, cmp_item);
	CHECK(head.next == &items[0].list && head.prev == &items[0].list);
	list_del(&items[0].list);

	rng_seed(777);
	for (int i = 0; i < NLIST; i++) {
		items[i].key = (int)(rng_next() % 10);
		items[i].seq = i;
		list_add_tail(&items[i].list, &head);
	}
	list_sort((void *)list_priv, &head, cmp_item);
	CHECK(priv_ok);
	CHECK(list_intact(&head, NLIST));
	list_for_each_entry(it, &head, list) {
		if (prev && prev->key > it->key)
			sorted = false;
		if (prev && prev->key == it->key && prev->seq > it->seq)
			stable = false;
		prev = it;
		n++;
	}
	CHECK(n == NLIST);
	CHECK(sorted);
	CHECK(stable, "equal keys changed order");

	/* sorting a sorted list changes nothing */
	list_sort((void *)list_priv, &head, cmp_item);
	prev = NULL;
	stable = true;
	list_for_each_entry(it, &head, list) {
		if (prev && (prev->key > it->key || (prev->key == it->key && prev->seq > it->seq)))
			stable = false;
		prev = it;
	}
	CHECK(stable);
	CHECK(list_intact(&head, NLIST));
}

/* ---- rbtree ---- */

#define NRB 1000

struct knode {
	struct rb_node rb;
	unsigned int key;
	unsigned long val;		/* augmented tree: the value ... */
	unsigned long subtree_max;	/* ... and the largest in the subtree */
	bool seen;
};

static struct knode knodes[NRB];
static unsigned int order[NRB];

static void knode_insert(struct rb_root *root, struct knode *n)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (n->key < rb_entry(parent, struct knode, rb)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&n->rb, parent, link);
	rb_insert_color(&n->rb, root);
}

/*
 * The red-black invariants below node: parent links, key order, no
 * red node with a red child, the same black height on every path.
 * Returns the black height, or -1 on a violation.
 */
static int rb_check(const struct rb_node *node, const struct rb_node *parent,
		    unsigned int lo, unsigned int hi)
{
	const struct knode *k;
	int l, r;

	if (!node)
		return 1;
	k = rb_entry(node, struct knode, rb);
	if (rb_parent(node) != parent || k->key < lo || k->key > hi)
		return -1;
	if (rb_is_red(node) && ((node->rb_left && rb_is_red(node->rb_left)) ||
				(node->rb_right && rb_is_red(node->rb_right))))
		return -1;
	l = rb_check(node->rb_left, node, lo, k->key);
	r = rb_check(node->rb_right, node, k->key, hi);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + rb_is_black(node);
}

static bool rb_valid(const struct rb_root *root)
{
	if (root->rb_node && !rb_is_black(root->rb_node))
		return false;
	return rb_check(root->rb_node, NULL, 0, UINT_MAX) > 0;
}

/* In order forwards and backwards: exactly the keys with key % step
 * == 0 below NRB. */
static bool rb_walks(const struct rb_root *root, unsigned int step)
{
	struct rb_node *n;
	unsigned int want = 0;

	for (n = rb_first(root); n; n = rb_next(n), want += step)
		if (rb_entry(n, struct knode, rb)->key != want)
			return false;
	if (want != NRB)
		return false;
	for (n = rb_last(root); n; n = rb_prev(n)) {
		want -= step;
		if (rb_entry(n, struct knode, rb)->key != want)
			return false;
	}
	return want == 0;
}

/* Postorder: each node once, after both its children. */
static int rb_postorder_count(const struct rb_root *root)
{
	struct rb_node *n;
	int count = 0;

	for (n = rb_first_postorder(root); n; n = rb_next_postorder(n)) {
		struct knode *k = rb_entry(n, struct knode, rb);

		if (k->seen)
			return -1;
		if ((n->rb_left && !rb_entry(n->rb_left, struct knode, rb)->seen) ||
		    (n->rb_right && !rb_entry(n->rb_right, struct knode, rb)->seen))
			return -1;
		k->seen = true;
		count++;
	}
	return count;
}

static unsigned long knode_val(struct knode *k)
{
	return k->val;
}

RB_DECLARE_CALLBACKS_MAX(static, aug_cb, struct knode, rb, unsigned long, subtree_max,
			 knode_val)

static void aug_insert(struct rb_root *root, struct knode *n)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	n->subtree_max = n->val;
	while (*link) {
		struct knode *p;

		parent = *link;
		p = rb_entry(parent, struct knode, rb);
		if (p->subtree_max < n->val)
			p->subtree_max = n->val;
		link = n->key < p->key ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&n->rb, parent, link);
	rb_insert_augmented(&n->rb, root, &aug_cb);
}

/* Every node's subtree_max is right; returns the subtree's max. */
static bool aug_ok;

static unsigned long aug_check(struct rb_node *node)
{
	struct knode *k;
	unsigned long m;

	if (!node)
		return 0;
	k = rb_entry(node, struct knode, rb);
	m = k->val;
	m = max(m, aug_check(node->rb_left));
	m = max(m, aug_check(node->rb_right));
	if (k->subtree_max != m)
		aug_ok = false;
	return m;
}

static bool less_knode(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct knode, rb)->key < rb_entry(b, struct knode, rb)->key;
}

static void test_rbtree(void)
{
	struct rb_root root = RB_ROOT;
	struct rb_root_cached croot = RB_ROOT_CACHED;
	struct knode repl = { .key = 500 };
	struct rb_node *n;
	int count;

	CHECK(!rb_first(&root) && !rb_last(&root) && !rb_first_postorder(&root));

	rng_seed(2024);
	shuffle(order, NRB);
	for (int i = 0; i < NRB; i++) {
		knodes[order[i]].key = order[i];
		knode_insert(&root, &knodes[order[i]]);
		if (i == 0 || i == 1 || i == 2 || i == 10 || i == 100)
			CHECK(rb_valid(&root), "after %d inserts", i + 1);
	}
	CHECK(rb_valid(&root), "after all inserts");
	CHECK(rb_walks(&root, 1));
	count = rb_postorder_count(&root);
	CHECK(count == NRB, "postorder saw %d", count);

	/* the node replaced in place keeps the tree valid */
	rb_replace_node(&knodes[500].rb, &repl.rb, &root);
	CHECK(rb_valid(&root));
	CHECK(rb_next(&knodes[499].rb) == &repl.rb && rb_prev(&knodes[501].rb) == &repl.rb);
	rb_replace_node(&repl.rb, &knodes[500].rb, &root);
	CHECK(rb_valid(&root));

	/* erase the odd keys, in another pseudo-random order */
	shuffle(order, NRB);
	for (int i = 0, erased = 0; i < NRB; i++) {
		if (!(order[i] & 1))
			continue;
		rb_erase(&knodes[order[i]].rb, &root);
		RB_CLEAR_NODE(&knodes[order[i]].rb);
		if (++erased % 100 == 1)
			CHECK(rb_valid(&root), "after %d erases", erased);
	}
	CHECK(rb_valid(&root), "after erasing half");
	CHECK(rb_walks(&root, 2));
	CHECK(!rb_next(&knodes[1].rb) && !rb_prev(&knodes[1].rb), "RB_EMPTY_NODE");
	for (int i = 0; i < NRB; i++)
		knodes[i].seen = false;
	count = rb_postorder_count(&root);
	CHECK(count == NRB / 2, "postorder saw %d", count);

	/* erase everything left */
	for (int i = 0; i < NRB; i += 2)
		rb_erase(&knodes[i].rb, &root);
	CHECK(RB_EMPTY_ROOT(&root));

	/* cached-leftmost tree through the inline rb_add_cached */
	shuffle(order, NRB);
	for (int i = 0; i < 100; i++) {
		knodes[order[i]].key = order[i];
		rb_add_cached(&knodes[order[i]].rb, &croot, less_knode);
	}
	CHECK(rb_first_cached(&croot) == rb_first(&croot.rb_root));
	n = rb_first_cached(&croot);
	rb_erase_cached(n, &croot);
	CHECK(rb_first_cached(&croot) == rb_first(&croot.rb_root));
	CHECK(rb_valid(&croot.rb_root));

	/* augmented: __rb_insert_augmented and __rb_erase_color */
	root = RB_ROOT;
	rng_seed(99);
	shuffle(order, NRB);
	for (int i = 0; i < NRB; i++) {
		struct knode *k = &knodes[order[i]];

		k->key = order[i];
		k->val = rng_next() % 100000;
		aug_insert(&root, k);
	}
	aug_ok = true;
	aug_check(root.rb_node);
	CHECK(aug_ok, "after inserts");
	CHECK(rb_valid(&root));
	shuffle(order, NRB);
	for (int i = 0; i < NRB / 2; i++)
		rb_erase_augmented(&knodes[order[i]].rb, &root, &aug_cb);
	aug_ok = true;
	aug_check(root.rb_node);
	CHECK(aug_ok, "after erases");
	CHECK(rb_valid(&root));
}

/* ---- arithmetic ---- */

static void test_math(void)
{
	unsigned long volatile big = ULONG_MAX;

	CHECK(gcd(12, 18) == 6);
	CHECK(gcd(0, 5) == 5 && gcd(7, 0) == 7 && gcd(0, 0) == 0);
	CHECK(gcd(1UL << 40, 3UL << 20) == 1UL << 20);
	CHECK(gcd(1000000007, 998244353) == 1);
	CHECK(lcm(4, 6) == 12 && lcm(0, 6) == 0);
	CHECK(lcm_not_zero(0, 7) == 7 && lcm_not_zero(3, 0) == 3);
	CHECK(int_sqrt(1000000000000UL) == 1000000, "%lu", int_sqrt(1000000000000UL));
	CHECK(int_sqrt(999999999999UL) == 999999);
	CHECK(int_sqrt(big) == 4294967295UL, "%lu", int_sqrt(big));
	CHECK(int_sqrt(0) == 0 && int_sqrt(1) == 1 && int_sqrt(3) == 1 && int_sqrt(4) == 2);
	CHECK(int_sqrt64(1ULL << 62) == 1U << 31);
	CHECK(int_pow(3, 5) == 243 && int_pow(10, 0) == 1);
}

/* ---- hex ---- */

struct dump_case {
	const char *data;
	size_t len;
	int rowsize, groupsize;
	bool ascii;
	const char *line;
};

static const char digits[] = "0123456789abcdefGHIJ";
static const char bytes6[] = { 0x00, 0x01, 0x7f, (char)0x80, 0x20, 0x41 };

static const struct dump_case dumps[] = {
	{ digits, 16, 16, 1, true,
	  "30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66  0123456789abcdef" },
	{ digits, 16, 16, 1, false,
	  "30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66" },
	{ digits, 16, 16, 2, false,
	  "3130 3332 3534 3736 3938 6261 6463 6665" },
	{ digits, 16, 16, 4, true,
	  "33323130 37363534 62613938 66656463  0123456789abcdef" },
	{ digits, 16, 16, 8, true,
	  "3736353433323130 6665646362613938  0123456789abcdef" },
	/* more than a row: one row only; a bad rowsize is 16 */
	{ digits, 20, 16, 8, false, "3736353433323130 6665646362613938" },
	{ digits, 16, 20, 1, false,
	  "30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66" },
	/* short rows pad the ASCII column to where a full row puts it */
	{ "ABCDE", 5, 16, 1, true,
	  "41 42 43 44 45                                   ABCDE" },
	{ digits, 8, 16, 4, true,
	  "33323130 37363534                    01234567" },
	/* 6 bytes do not split into groups of 4: single bytes */
	{ bytes6, 6, 16, 4, true,
	  "00 01 7f 80 20 41                                .... A" },
	/* a bad group size is 1 */
	{ "AB", 2, 16, 3, false, "41 42" },
	{ digits, 0, 16, 1, true, "" },
};

static void test_hex(void)
{
	char line[200], hex[9];
	u8 bin[4];
	int r;

	CHECK(hex_to_bin('0') == 0 && hex_to_bin('9') == 9);
	CHECK(hex_to_bin('a') == 10 && hex_to_bin('F') == 15);
	CHECK(hex_to_bin('g') == -1 && hex_to_bin('G') == -1 && hex_to_bin(' ') == -1);
	CHECK(hex_to_bin('/') == -1 && hex_to_bin(':') == -1 && hex_to_bin('@') == -1);
	CHECK(hex_to_bin(0xc1) == -1);

	CHECK(hex2bin(bin, "deadBEEF", 4) == 0);
	CHECK(bin[0] == 0xde && bin[1] == 0xad && bin[2] == 0xbe && bin[3] == 0xef);
	CHECK(bin2hex(hex, bin, 4) == hex + 8);
	hex[8] = '\0';
	CHECK(!strcmp(hex, "deadbeef"), "%s", hex);
	CHECK(hex2bin(bin, "12zz", 2) == -EINVAL);
	CHECK(bin[0] == 0x12, "bytes before the bad digit are stored");
	CHECK(hex2bin(bin, "1", 1) == -EINVAL);
	CHECK(hex_asc_hi(0xa5) == 'a' && hex_asc_upper_lo(0xab) == 'B');

	for (int i = 0; i < (int)ARRAY_SIZE(dumps); i++) {
		const struct dump_case *c = &dumps[i];

		r = hex_dump_to_buffer(c->data, c->len, c->rowsize, c->groupsize, line,
				       sizeof(line), c->ascii);
		CHECK(!strcmp(line, c->line), "case %d: \"%s\"", i, line);
		CHECK(r == strlen(c->line), "case %d: returned %d", i, r);
	}

	/* 32-byte rows: the ASCII column is at 32 * 3 + 1 */
	r = hex_dump_to_buffer(digits, 4, 32, 1, line, sizeof(line), true);
	CHECK(r == 101 && !strncmp(line, "30 31 32 33 ", 12) && !strcmp(line + 97, "0123") &&
	      strspn(line + 11, " ") == 86, "%d \"%s\"", r, line);

	/* too small a buffer: what fits, and the length needed */
	r = hex_dump_to_buffer(digits, 16, 16, 1, line, 10, false);
	CHECK(r == 47 && !strcmp(line, "30 31 32 "), "%d \"%s\"", r, line);
	r = hex_dump_to_buffer(digits, 16, 16, 1, line, 10, true);
	CHECK(r == 65, "%d", r);
	r = hex_dump_to_buffer(digits, 16, 16, 4, line, 12, false);
	/* groups are formatted whole and cut off by snprintf() */
	CHECK(r == 35 && !strcmp(line, "33323130 37"), "%d \"%s\"", r, line);
	r = hex_dump_to_buffer(digits, 16, 16, 1, line, 0, false);
	CHECK(r == 47);

	print_hex_dump(KERN_INFO, "klib: ", DUMP_PREFIX_OFFSET, 16, 1, digits, 20, true);
	print_hex_dump(KERN_INFO, "klib: g2: ", DUMP_PREFIX_NONE, 16, 2, digits, 4, false);
	print_hex_dump(KERN_INFO, "klib: addr ", DUMP_PREFIX_ADDRESS, 16, 1, "ABC", 3, false);
}

/* ---- memparse ---- */

static void test_memparse(void)
{
	static const struct {
		const char *s;
		unsigned long long v;
		int used;
	} cases[] = {
		{ "4k", 4096, 2 }, { "4K", 4096, 2 }, { "12", 12, 2 },
		{ "0x10M", 16ULL << 20, 5 }, { "3g", 3ULL << 30, 2 },
		{ "2T", 2ULL << 40, 2 }, { "1p", 1ULL << 50, 2 },
		{ "3E", 3ULL << 60, 2 }, { "5x", 5, 1 }, { "010k", 8 << 10, 4 },
		{ "64KiB", 64 << 10, 3 }, { "junk", 0, 0 },
	};

	for (int i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		char *end;
		unsigned long long v = memparse(cases[i].s, &end);

		CHECK(v == cases[i].v && end == cases[i].s + cases[i].used,
		      "\"%s\": %llu, %d used", cases[i].s, v, (int)(end - cases[i].s));
	}
	CHECK(memparse("1m", NULL) == 1 << 20);
}

/* ---- bit searches and bitmaps ---- */

#define NBITS 200

static void test_bitmaps(void)
{
	DECLARE_BITMAP(map, NBITS);
	DECLARE_BITMAP(other, NBITS);
	DECLARE_BITMAP(dst, NBITS);
	unsigned long small[2] = { 0 }, clump, *heap;
	u32 arr[3] = { 0x11111111, 0x22222222, 0x00000fff }, back[3];
	unsigned int nbits = NBITS;	/* not constant: the out-of-line paths */
	unsigned int bit, n = 0, visited[8];
	char *page;

	bitmap_zero(map, NBITS);
	CHECK(find_first_bit(map, nbits) == nbits);
	CHECK(find_last_bit(map, nbits) == nbits);
	__set_bit(3, map);
	__set_bit(64, map);
	__set_bit(130, map);
	__set_bit(199, map);
	CHECK(find_first_bit(map, nbits) == 3);
	CHECK(find_next_bit(map, nbits, 4) == 64);
	CHECK(find_next_bit(map, nbits, 64) == 64);
	CHECK(find_next_bit(map, nbits, 65) == 130);
	CHECK(find_next_bit(map, nbits, 131) == 199);
	CHECK(find_next_bit(map, nbits, 200) == 200);
	CHECK(find_next_bit(map, 150, 131) == 150, "the size bounds the search");
	CHECK(find_last_bit(map, nbits) == 199);
	CHECK(find_last_bit(map, 199) == 130);
	CHECK(find_first_zero_bit(map, nbits) == 0);
	CHECK(find_next_zero_bit(map, nbits, 3) == 4);
	CHECK(find_nth_bit(map, nbits, 0) == 3 && find_nth_bit(map, nbits, 2) == 130);
	CHECK(find_nth_bit(map, nbits, 4) == nbits);
	CHECK(bitmap_weight(map, nbits) == 4);
	for_each_set_bit(bit, map, nbits)
		if (n < ARRAY_SIZE(visited))
			visited[n++] = bit;
	CHECK(n == 4 && visited[0] == 3 && visited[1] == 64 && visited[2] == 130 &&
	      visited[3] == 199);

	/* zero searches on a full map */
	bitmap_fill(other, NBITS);
	CHECK(find_first_zero_bit(other, nbits) == nbits);
	__clear_bit(150, other);
	CHECK(find_first_zero_bit(other, nbits) == 150);
	CHECK(find_next_zero_bit(other, nbits, 151) == nbits);
	CHECK(find_next_and_bit(map, other, nbits, 4) == 64);
	__clear_bit(64, other);
	CHECK(find_next_and_bit(map, other, nbits, 4) == 130);
	CHECK(find_next_andnot_bit(map, other, nbits, 0) == 64);
	CHECK(find_first_and_bit(map, other, nbits) == 3);

	/* whole-bitmap operations */
	CHECK(bitmap_and(dst, map, other, nbits) && bitmap_weight(dst, nbits) == 3);
	CHECK(bitmap_andnot(dst, map, other, nbits) && bitmap_weight(dst, nbits) == 1);
	CHECK(bitmap_intersects(map, other, nbits) && !bitmap_subset(map, other, nbits));
	bitmap_or(dst, map, other, nbits);
	CHECK(bitmap_weight(dst, nbits) == nbits - 1 && !test_bit(150, dst));
	CHECK(bitmap_subset(map, dst, nbits) && !bitmap_equal(map, dst, nbits));
	bitmap_xor(dst, map, map, nbits);
	CHECK(bitmap_empty(dst, nbits));
	bitmap_complement(dst, map, nbits);
	CHECK(bitmap_weight(dst, nbits) == nbits - 4 && bitmap_weight_and(dst, map, nbits) == 0);
	bitmap_copy(dst, map, nbits);
	CHECK(bitmap_equal(map, dst, nbits));
	bitmap_shift_left(dst, map, 10, nbits);
	CHECK(bitmap_weight(dst, nbits) == 3 && find_first_bit(dst, nbits) == 13 &&
	      find_next_bit(dst, nbits, 14) == 74 && find_next_bit(dst, nbits, 75) == 140 &&
	      find_next_bit(dst, nbits, 141) == nbits);
	bitmap_shift_right(dst, map, 10, nbits);
	CHECK(bitmap_weight(dst, nbits) == 3 && find_first_bit(dst, nbits) == 54 &&
	      find_next_bit(dst, nbits, 55) == 120 && find_next_bit(dst, nbits, 121) == 189);
	bitmap_shift_right(dst, map, 130, nbits);
	CHECK(bitmap_weight(dst, nbits) == 2 && find_first_bit(dst, nbits) == 0 &&
	      find_next_bit(dst, nbits, 1) == 69);

	/* ranges */
	bitmap_zero(dst, NBITS);
	bitmap_set(dst, 10, 100);
	CHECK(bitmap_weight(dst, nbits) == 100 && find_first_bit(dst, nbits) == 10 &&
	      find_last_bit(dst, nbits) == 109);
	bitmap_clear(dst, 11, 98);
	CHECK(bitmap_weight(dst, nbits) == 2 && test_bit(10, dst) && test_bit(109, dst));
	CHECK(bitmap_find_next_zero_area(map, nbits, 0, 20, 0) == 4);
	CHECK(bitmap_find_next_zero_area(map, nbits, 0, 20, 7) == 8);
	CHECK(bitmap_find_next_zero_area(map, nbits, 60, 50, 0) == 65);
	CHECK(bitmap_find_next_zero_area(map, nbits, 150, 60, 0) == 210, "past the end");

	/* regions */
	__set_bit(1, small);
	CHECK(bitmap_find_free_region(small, 64, 2) == 4 && small[0] == 0xf2);
	CHECK(bitmap_allocate_region(small, 4, 2) == -EBUSY);
	bitmap_release_region(small, 4, 2);
	CHECK(small[0] == 0x2);
	CHECK(bitmap_allocate_region(small, 8, 3) == 0 && small[0] == 0xff02);
	CHECK(bitmap_find_free_region(small, 16, 3) == -ENOMEM);

	/* clumps of 8 */
	bitmap_zero(dst, NBITS);
	__set_bit(3, dst);
	bitmap_set(dst, 64, 3);
	CHECK(find_next_clump8(&clump, dst, nbits, 0) == 0 && clump == 0x08);
	CHECK(find_next_clump8(&clump, dst, nbits, 1) == 64 && clump == 0x07);
	CHECK(find_next_clump8(&clump, dst, nbits, 65) == nbits);

	/* u32 arrays */
	bitmap_from_arr32(dst, arr, 72);
	CHECK(dst[0] == 0x2222222211111111UL && dst[1] == 0xff);
	memset(back, 0xaa, sizeof(back));
	bitmap_to_arr32(back, dst, 72);
	CHECK(back[0] == 0x11111111 && back[1] == 0x22222222 && back[2] == 0xff);

	/* allocation */
	heap = bitmap_zalloc(nbits, GFP_KERNEL);
	CHECK(heap && bitmap_empty(heap, nbits));
	if (heap) {
		bitmap_set(heap, 0, nbits);
		CHECK(bitmap_full(heap, nbits));
	}
	bitmap_free(heap);

	/* sysfs formatting */
	page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	CHECK(page);
	if (page) {
		int len = bitmap_print_to_pagebuf(false, page, map, nbits);

		CHECK(!strcmp(page, "80,00000000,00000004,00000000,00000001,00000000,00000008\n"),
		      "%s", page);
		CHECK(len == strlen(page));
		len = bitmap_print_to_pagebuf(true, page, map, nbits);
		CHECK(!strcmp(page, "3,64,130,199\n") && len == 13, "%s", page);
		kfree(page);
	}
}

/* ---- hweight ---- */

/* __sw_hweight64 called as the alternative calls it: only %rax may change. */
static bool hweight_keeps_registers(void)
{
	register unsigned long r8 asm("r8") = 0x8888;
	register unsigned long r9 asm("r9") = 0x9999;
	register unsigned long r10 asm("r10") = 0xaaaa;
	register unsigned long r11 asm("r11") = 0xbbbb;
	unsigned long rcx = 0xcccc, rdx = 0xdddd, rsi = 0x5555;
	unsigned long rdi = 0xff00ff00ff00ffUL, res;

	asm volatile("call __sw_hweight64"
		     : "=a"(res), "+c"(rcx), "+d"(rdx), "+S"(rsi), "+D"(rdi), "+r"(r8),
		       "+r"(r9), "+r"(r10), "+r"(r11), ASM_CALL_CONSTRAINT
		     : : "memory");
	return res == 32 && rcx == 0xcccc && rdx == 0xdddd && rsi == 0x5555 &&
	       rdi == 0xff00ff00ff00ffUL && r8 == 0x8888 && r9 == 0x9999 &&
	       r10 == 0xaaaa && r11 == 0xbbbb;
}

static void test_hweight(void)
{
	/* opaque values: constants would be counted at compile time */
	u32 volatile w32 = 0xf0f0;
	u64 volatile w64 = 0xffff0000ffff0001ULL;
	u32 volatile all = 0xffffffff;

	CHECK(hweight32(w32) == 8, "%u", hweight32(w32));
	CHECK(hweight32(all) == 32 && hweight32(w32 - 0xf0f0) == 0);
	CHECK(hweight16(all) == 16 && hweight8(all) == 8);
	CHECK(hweight64(w64) == 33, "%lu", (unsigned long)hweight64(w64));
	CHECK(hweight_long(~0UL + (unsigned long)w32 - 0xf0f0) == 64);
	CHECK(hweight_keeps_registers());
}

/* ---- CRC-32 ---- */

static void test_crc32(void)
{
	static const unsigned char check[] = "123456789";
	u32 head, tail;

	CHECK((crc32_le(~0, check, 9) ^ ~0) == 0xcbf43926, "%08x", crc32_le(~0, check, 9) ^ ~0);
	CHECK((crc32_be(~0, check, 9) ^ ~0) == 0xfc891918, "%08x", crc32_be(~0, check, 9) ^ ~0);
	CHECK((__crc32c_le(~0, check, 9) ^ ~0) == 0xe3069283,
	      "%08x", __crc32c_le(~0, check, 9) ^ ~0);
	CHECK(crc32(0, check, 0) == 0 && crc32_le(0x1234, check, 0) == 0x1234);
	/* a CRC over two pieces is the CRC of the whole */
	head = crc32_le(~0, check, 4);
	CHECK(crc32_le(head, check + 4, 5) == crc32_le(~0, check, 9));
	tail = crc32_le(0, check + 4, 5);
	CHECK(crc32_le_combine(head, tail, 5) == crc32_le(~0, check, 9));
	head = __crc32c_le(~0, check, 7);
	tail = __crc32c_le(0, check + 7, 2);
	CHECK(__crc32c_le_combine(head, tail, 2) == __crc32c_le(~0, check, 9));
	CHECK(crc32_le_shift(0x12345678, 0) == 0x12345678);
}

static int __init klib_init(void)
{
	test_sort();
	test_list_sort();
	test_rbtree();
	test_math();
	test_hex();
	test_memparse();
	test_bitmaps();
	test_hweight();
	test_crc32();
	pr_info("%d checks, %d failed\n", checks, failures);
	return failures ? -EINVAL : 0;
}

static void __exit klib_exit(void)
{
	pr_info("exit\n");
}

module_init(klib_init);
module_exit(klib_exit);
