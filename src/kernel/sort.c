// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sorting and searching for modules: sort() and sort_r() (lib/sort.c),
 * bsearch() (lib/bsearch.c) and list_sort() (lib/list_sort.c).
 *
 * sort() is an in-place heapsort, not stable, O(n log n) with no
 * allocation, as Linux's is.  It sifts "bottom-up": it follows the path
 * of larger children down to a leaf with one comparison per level, then
 * climbs back to where the sifted element belongs.  Ties go to the left
 * child on the way down and stop the climb, so for equal keys the
 * result is the same permutation Linux produces.  A NULL swap function
 * means the built-in swap of `size` bytes.
 *
 * list_sort() is a stable merge sort over a struct list_head list.  It
 * works on the list as NULL-terminated singly linked runs (through
 * ->next), kept in a binary counter of pending runs whose sizes are
 * powers of two, and restores the ->prev links in one pass at the end.
 *
 * The comparison and swap callbacks are module code, called directly.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/abi.h"
#include "kernel/export.h"

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef void (*swap_func_t)(void *a, void *b, int size);
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);

/* ---- sort ---- */

/* How one run of the heapsort compares and exchanges elements: exactly
 * one of each pair of function pointers is set; no swap at all means
 * the built-in one. */
struct sort_ops {
	cmp_func_t cmp;
	cmp_r_func_t cmp_r;
	swap_func_t swap;
	swap_r_func_t swap_r;
	const void *priv;
	size_t size;
};

/* Exchange two non-overlapping elements of n bytes. */
static void swap_bytes(void *a, void *b, size_t n)
{
	unsigned char *p = a, *q = b;

	while (n >= sizeof(uint64_t)) {
		uint64_t x, y;

		memcpy(&x, p, sizeof(x));
		memcpy(&y, q, sizeof(y));
		memcpy(p, &y, sizeof(y));
		memcpy(q, &x, sizeof(x));
		p += sizeof(x);
		q += sizeof(x);
		n -= sizeof(x);
	}
	while (n--) {
		unsigned char t = *p;

		*p++ = *q;
		*q++ = t;
	}
}

static int elem_cmp(const struct sort_ops *ops, const void *a, const void *b)
{
	return ops->cmp ? ops->cmp(a, b) : ops->cmp_r(a, b, ops->priv);
}

static void elem_swap(const struct sort_ops *ops, void *a, void *b)
{
	if (ops->swap)
		ops->swap(a, b, (int)ops->size);
	else if (ops->swap_r)
		ops->swap_r(a, b, (int)ops->size, ops->priv);
	else
		swap_bytes(a, b, ops->size);
}

static void heapsort(void *base, size_t num, const struct sort_ops *ops)
{
	char *v = base;
	size_t size = ops->size;
	size_t unbuilt = num / 2;	/* roots still to sift while building */
	size_t heap = num;		/* elements [0, heap) form the heap */

#define ELEM(i) (v + (i) * size)
	if (num < 2 || size == 0)
		return;
	for (;;) {
		size_t root, at, kid;

		if (unbuilt) {
			root = --unbuilt;
		} else if (--heap) {
			/* the largest goes to the end; sift the element
			 * that took its place */
			elem_swap(ops, ELEM(0), ELEM(heap));
			root = 0;
		} else {
			break;
		}

		/* Down to a leaf along the larger children (left on a tie). */
		at = root;
		while ((kid = 2 * at + 2) < heap)
			at = elem_cmp(ops, ELEM(kid - 1), ELEM(kid)) >= 0 ? kid - 1 : kid;
		if (kid == heap)	/* a last left child without sibling */
			at = kid - 1;

		/* Back up to the first node not smaller than the root... */
		while (at != root && elem_cmp(ops, ELEM(root), ELEM(at)) >= 0)
			at = (at - 1) / 2;
		/* ...and rotate the root down there, its ancestors up. */
		for (size_t dest = at; at != root;) {
			at = (at - 1) / 2;
			elem_swap(ops, ELEM(at), ELEM(dest));
		}
	}
#undef ELEM
}

KAPI static void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp_func,
			swap_r_func_t swap_func, const void *priv)
{
	const struct sort_ops ops = {
		.cmp_r = cmp_func, .swap_r = swap_func, .priv = priv, .size = size,
	};

	heapsort(base, num, &ops);
}
KEXPORT(sort_r);

KAPI static void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func,
		      swap_func_t swap_func)
{
	const struct sort_ops ops = {
		.cmp = cmp_func, .swap = swap_func, .size = size,
	};

	heapsort(base, num, &ops);
}
KEXPORT(sort);

/*
 * Halve the range around its middle element until cmp(key, element) is
 * 0; the probe sequence is that of the headers' inline
 * __inline_bsearch(), so both find the same one of equal elements.
 */
KAPI static void *kernel_bsearch(const void *key, const void *base, size_t num,
				 size_t size, cmp_func_t cmp)
{
	const char *lo = base;

	while (num) {
		const char *mid = lo + (num / 2) * size;
		int r = cmp(key, mid);

		if (r == 0)
			return (void *)(uintptr_t)mid;
		if (r > 0) {	/* in the upper part, past mid */
			lo = mid + size;
			num--;
		}
		num /= 2;
	}
	return NULL;
}
KEXPORT_AS("bsearch", kernel_bsearch);

/* ---- list_sort ---- */

typedef int (*list_cmp_func_t)(void *priv, const struct list_head *a,
			       const struct list_head *b);

/*
 * Merge two sorted NULL-terminated runs; `first` holds the elements that
 * came earlier in the list, so on a tie (cmp <= 0) its element goes
 * first and the sort stays stable.
 */
static struct list_head *merge_runs(void *priv, list_cmp_func_t cmp,
				    struct list_head *first, struct list_head *second)
{
	struct list_head *out = NULL, **tail = &out;

	while (first && second) {
		struct list_head **from = cmp(priv, first, second) > 0 ? &second : &first;

		*tail = *from;
		tail = &(*from)->next;
		*from = (*from)->next;
	}
	*tail = first ? first : second;
	return out;
}

/* 2^64 elements would be needed to fill one more level. */
#define LIST_SORT_LEVELS 64

KAPI static void list_sort(void *priv, struct list_head *head, list_cmp_func_t cmp)
{
	struct list_head *pending[LIST_SORT_LEVELS] = { NULL };
	struct list_head *in = head->next, *sorted = NULL, *prev;
	unsigned int top = 0;	/* levels [0, top) may be in use */

	if (in == head->prev)	/* empty, or one element */
		return;
	head->prev->next = NULL;

	/*
	 * pending[k] is NULL or a sorted run of 2^k elements; a higher
	 * level holds earlier elements.  Each new element is a run of one
	 * that carries upwards like an increment of a binary counter.
	 */
	while (in) {
		struct list_head *run = in;
		unsigned int k = 0;

		in = in->next;
		run->next = NULL;
		for (; pending[k]; k++) {
			run = merge_runs(priv, cmp, pending[k], run);
			pending[k] = NULL;
		}
		pending[k] = run;
		if (k >= top)
			top = k + 1;
	}
	for (unsigned int k = 0; k < top; k++) {
		if (pending[k])
			sorted = sorted ? merge_runs(priv, cmp, pending[k], sorted) : pending[k];
	}

	/* Back to a circular doubly linked list. */
	prev = head;
	for (struct list_head *e = sorted; e; e = e->next) {
		prev->next = e;
		e->prev = prev;
		prev = e;
	}
	prev->next = head;
	head->prev = prev;
}
KEXPORT(list_sort);
