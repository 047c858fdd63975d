// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/rbtree.c for modules: red-black trees with the kernel's node
 * layout, which the modules' inline helpers (rb_link_node, rb_parent,
 * rb_entry, rb_add, the augmented callbacks of RB_DECLARE_CALLBACKS ...)
 * read and write directly.
 *
 * A node's __rb_parent_color holds its parent's address with the colour
 * in bit 0 (red 0, black 1); rb_link_node() hands us a new node whose
 * word is just the parent pointer (so: red) with no children.  An empty
 * node (RB_CLEAR_NODE) points at itself.
 *
 * Rebalancing follows the classic case analysis.  Each rotation stores
 * the child pointers in the order that keeps every node reachable for a
 * lockless reader walking down from the root (latched and RCU-read
 * trees rely on that), and then reports itself to the augment_rotate
 * callback as (old subtree root, new subtree root) so augmented trees
 * can fix their cached values; the plain entry points pass a callback
 * that does nothing.  The left and right cases are one code path,
 * parameterised by the direction.
 *
 * Locking is the caller's, as in Linux.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/export.h"

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

_Static_assert(sizeof(struct rb_node) == 24, "rb_node size");
_Static_assert(offsetof(struct rb_node, rb_right) == 8, "rb_node.rb_right");
_Static_assert(offsetof(struct rb_node, rb_left) == 16, "rb_node.rb_left");

typedef void (*rb_rotate_fn)(struct rb_node *old, struct rb_node *new);

#define RB_RED 0UL
#define RB_BLACK 1UL

enum rb_dir { RB_LEFT, RB_RIGHT };

static inline struct rb_node *rb_parent_of(const struct rb_node *n)
{
	return (struct rb_node *)(n->__rb_parent_color & ~3UL);
}

static inline bool rb_black(const struct rb_node *n)
{
	return n->__rb_parent_color & RB_BLACK;
}

/* NULL children count as black. */
static inline bool rb_red_node(const struct rb_node *n)
{
	return n && !rb_black(n);
}

static inline void rb_set(struct rb_node *n, struct rb_node *parent, unsigned long color)
{
	n->__rb_parent_color = (unsigned long)parent | color;
}

/* Re-parent n, keeping its colour. */
static inline void rb_reparent(struct rb_node *n, struct rb_node *parent)
{
	rb_set(n, parent, n->__rb_parent_color & RB_BLACK);
}

static inline struct rb_node *rb_child(const struct rb_node *n, enum rb_dir d)
{
	return d == RB_LEFT ? n->rb_left : n->rb_right;
}

/* Child links are what lockless readers follow: store each one whole. */
static inline void rb_set_child(struct rb_node *n, enum rb_dir d, struct rb_node *c)
{
	__atomic_store_n(d == RB_LEFT ? &n->rb_left : &n->rb_right, c, __ATOMIC_RELAXED);
}

static inline enum rb_dir rb_other(enum rb_dir d)
{
	return d == RB_LEFT ? RB_RIGHT : RB_LEFT;
}

/* Point whatever pointed at old (its parent's link, or the root) at new. */
static void rb_relink(struct rb_node *old, struct rb_node *new, struct rb_node *parent,
		      struct rb_root *root, bool publish)
{
	struct rb_node **link;

	if (!parent)
		link = &root->rb_node;
	else if (parent->rb_left == old)
		link = &parent->rb_left;
	else
		link = &parent->rb_right;
	__atomic_store_n(link, new, publish ? __ATOMIC_RELEASE : __ATOMIC_RELAXED);
}

/* The last step of a rotation: new takes old's place (parent and
 * colour) and old becomes new's child with the given colour. */
static void rb_rotate_in(struct rb_node *old, struct rb_node *new, struct rb_root *root,
			 unsigned long color)
{
	struct rb_node *parent = rb_parent_of(old);

	new->__rb_parent_color = old->__rb_parent_color;
	rb_set(old, new, color);
	rb_relink(old, new, parent, root, false);
}

static void rb_no_augment(struct rb_node *old, struct rb_node *new)
{
	(void)old;
	(void)new;
}

/* Restore the invariants after a red node was linked in as a leaf. */
static inline void rb_insert_fixup(struct rb_node *node, struct rb_root *root,
				   rb_rotate_fn rotate)
{
	struct rb_node *parent = rb_parent_of(node);

	for (;;) {
		struct rb_node *gparent, *uncle, *moved;
		enum rb_dir d;

		if (!parent) {		/* node is the root: always black */
			rb_set(node, NULL, RB_BLACK);
			return;
		}
		if (rb_black(parent))
			return;
		/* a red parent is not the root, so the grandparent exists */
		gparent = rb_parent_of(parent);
		d = parent == gparent->rb_right ? RB_RIGHT : RB_LEFT;
		uncle = rb_child(gparent, rb_other(d));

		if (rb_red_node(uncle)) {
			/* Push the grandparent's blackness down to both
			 * children and continue from the grandparent. */
			rb_set(uncle, gparent, RB_BLACK);
			rb_set(parent, gparent, RB_BLACK);
			node = gparent;
			parent = rb_parent_of(node);
			rb_set(node, parent, RB_RED);
			continue;
		}

		if (node == rb_child(parent, rb_other(d))) {
			/* node is an inner grandchild: rotate it above its
			 * parent so the red pair lies on the outside. */
			moved = rb_child(node, d);
			rb_set_child(parent, rb_other(d), moved);
			rb_set_child(node, d, parent);
			if (moved)
				rb_set(moved, parent, RB_BLACK);
			rb_set(parent, node, RB_RED);
			rotate(parent, node);
			parent = node;
		}

		/* Rotate the grandparent down to the uncle's side; the
		 * parent takes its place and its colour (black). */
		moved = rb_child(parent, rb_other(d));
		rb_set_child(gparent, d, moved);
		rb_set_child(parent, rb_other(d), gparent);
		if (moved)
			rb_set(moved, gparent, RB_BLACK);
		rb_rotate_in(gparent, parent, root, RB_RED);
		rotate(gparent, parent);
		return;
	}
}

/*
 * Restore the invariants after a black node left the tree: one child
 * position of parent (the NULL one at first) is a black short.
 */
static inline void rb_erase_fixup(struct rb_node *parent, struct rb_root *root,
				  rb_rotate_fn rotate)
{
	struct rb_node *node = NULL;

	for (;;) {
		enum rb_dir d = node == parent->rb_right ? RB_RIGHT : RB_LEFT;
		enum rb_dir o = rb_other(d);
		struct rb_node *sibling = rb_child(parent, o);
		struct rb_node *near, *far, *moved;

		if (!rb_black(sibling)) {
			/* Red sibling: rotate it above the parent, which
			 * turns red; the short side gets a black sibling. */
			moved = rb_child(sibling, d);
			rb_set_child(parent, o, moved);
			rb_set_child(sibling, d, parent);
			rb_set(moved, parent, RB_BLACK);
			rb_rotate_in(parent, sibling, root, RB_RED);
			rotate(parent, sibling);
			sibling = moved;
		}

		far = rb_child(sibling, o);
		if (!rb_red_node(far)) {
			near = rb_child(sibling, d);
			if (!rb_red_node(near)) {
				/* Black sibling with black children: make it
				 * red, so both sides are short by one.  A red
				 * parent absorbs that; else move up. */
				rb_set(sibling, parent, RB_RED);
				if (!rb_black(parent)) {
					parent->__rb_parent_color |= RB_BLACK;
					return;
				}
				node = parent;
				parent = rb_parent_of(node);
				if (!parent)
					return;
				continue;
			}
			/* Red near nephew: rotate it above the sibling, so
			 * the red one is the far nephew (colours are fixed
			 * by the next step). */
			moved = rb_child(near, o);
			rb_set_child(sibling, d, moved);
			rb_set_child(near, o, sibling);
			rb_set_child(parent, o, near);
			if (moved)
				rb_set(moved, sibling, RB_BLACK);
			rotate(sibling, near);
			far = sibling;
			sibling = near;
		}

		/* Red far nephew: rotate the sibling above the parent; it
		 * takes the parent's colour, the parent and the far nephew
		 * turn black, and the short side gains its black node. */
		moved = rb_child(sibling, d);
		rb_set_child(parent, o, moved);
		rb_set_child(sibling, d, parent);
		rb_set(far, sibling, RB_BLACK);
		if (moved)
			rb_reparent(moved, parent);
		rb_rotate_in(parent, sibling, root, RB_BLACK);
		rotate(parent, sibling);
		return;
	}
}

KAPI static void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_fixup(node, root, rb_no_augment);
}
KEXPORT(rb_insert_color);

KAPI static void __rb_insert_augmented(struct rb_node *node, struct rb_root *root,
				       rb_rotate_fn augment_rotate)
{
	rb_insert_fixup(node, root, augment_rotate);
}
KEXPORT(__rb_insert_augmented);

KAPI static void __rb_erase_color(struct rb_node *parent, struct rb_root *root,
				  rb_rotate_fn augment_rotate)
{
	rb_erase_fixup(parent, root, augment_rotate);
}
KEXPORT(__rb_erase_color);

/*
 * Unlink node; returns the parent of a position left a black short,
 * or NULL if the colours still balance.  A node with two children is
 * replaced by its successor (the leftmost node of its right subtree),
 * which takes over its place and colour.
 */
static struct rb_node *rb_unlink(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *left = node->rb_left, *right = node->rb_right;
	unsigned long pc = node->__rb_parent_color;
	struct rb_node *parent = (struct rb_node *)(pc & ~3UL);
	struct rb_node *succ, *succ_parent, *succ_right;
	bool succ_black;

	if (!left || !right) {
		/* At most one child, which is then a red leaf under a
		 * black node: it takes the node's place and colour. */
		struct rb_node *only = left ? left : right;

		rb_relink(node, only, parent, root, false);
		if (only) {
			only->__rb_parent_color = pc;
			return NULL;
		}
		return (pc & RB_BLACK) ? parent : NULL;
	}

	succ = right;
	if (!succ->rb_left) {
		/* the right child itself is the successor */
		succ_parent = succ;
		succ_right = succ->rb_right;
	} else {
		do {
			succ_parent = succ;
			succ = succ->rb_left;
		} while (succ->rb_left);
		succ_right = succ->rb_right;
		rb_set_child(succ_parent, RB_LEFT, succ_right);
		rb_set_child(succ, RB_RIGHT, right);
		rb_reparent(right, succ);
	}
	rb_set_child(succ, RB_LEFT, left);
	rb_reparent(left, succ);
	rb_relink(node, succ, parent, root, false);

	succ_black = rb_black(succ);
	succ->__rb_parent_color = pc;
	if (succ_right) {
		/* a red leaf: turning it black makes up for the successor */
		rb_set(succ_right, succ_parent, RB_BLACK);
		return NULL;
	}
	return succ_black ? succ_parent : NULL;
}

KAPI static void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *rebalance = rb_unlink(node, root);

	if (rebalance)
		rb_erase_fixup(rebalance, root, rb_no_augment);
}
KEXPORT(rb_erase);

/* ---- traversal ---- */

static struct rb_node *rb_extreme(struct rb_node *n, enum rb_dir d)
{
	if (n) {
		while (rb_child(n, d))
			n = rb_child(n, d);
	}
	return n;
}

/* In-order neighbour of node in direction d (RB_RIGHT: next). */
static struct rb_node *rb_step(const struct rb_node *node, enum rb_dir d)
{
	struct rb_node *parent;

	if (node->__rb_parent_color == (unsigned long)node)	/* RB_EMPTY_NODE */
		return NULL;
	if (rb_child(node, d))
		return rb_extreme(rb_child(node, d), rb_other(d));
	/* climb while we come from the d side */
	while ((parent = rb_parent_of(node)) && node == rb_child(parent, d))
		node = parent;
	return parent;
}

KAPI static struct rb_node *rb_first(const struct rb_root *root)
{
	return rb_extreme(root->rb_node, RB_LEFT);
}
KEXPORT(rb_first);

KAPI static struct rb_node *rb_last(const struct rb_root *root)
{
	return rb_extreme(root->rb_node, RB_RIGHT);
}
KEXPORT(rb_last);

KAPI static struct rb_node *rb_next(const struct rb_node *node)
{
	return rb_step(node, RB_RIGHT);
}
KEXPORT(rb_next);

KAPI static struct rb_node *rb_prev(const struct rb_node *node)
{
	return rb_step(node, RB_LEFT);
}
KEXPORT(rb_prev);

/* The first node of a postorder walk below n: go down, left first. */
static struct rb_node *rb_deepest(const struct rb_node *n)
{
	for (;;) {
		if (n->rb_left)
			n = n->rb_left;
		else if (n->rb_right)
			n = n->rb_right;
		else
			return (struct rb_node *)(uintptr_t)n;
	}
}

KAPI static struct rb_node *rb_first_postorder(const struct rb_root *root)
{
	return root->rb_node ? rb_deepest(root->rb_node) : NULL;
}
KEXPORT(rb_first_postorder);

/* After a left child comes its right sibling's subtree; after anything
 * else, its parent. */
KAPI static struct rb_node *rb_next_postorder(const struct rb_node *node)
{
	struct rb_node *parent;

	if (!node)
		return NULL;
	parent = rb_parent_of(node);
	if (parent && node == parent->rb_left && parent->rb_right)
		return rb_deepest(parent->rb_right);
	return parent;
}
KEXPORT(rb_next_postorder);

/* ---- replacement ---- */

static void rb_replace(struct rb_node *victim, struct rb_node *new, struct rb_root *root,
		       bool publish)
{
	struct rb_node *parent = rb_parent_of(victim);

	/* new takes the victim's parent, colour and children, and only
	 * then becomes reachable */
	*new = *victim;
	if (victim->rb_left)
		rb_reparent(victim->rb_left, new);
	if (victim->rb_right)
		rb_reparent(victim->rb_right, new);
	rb_relink(victim, new, parent, root, publish);
}

KAPI static void rb_replace_node(struct rb_node *victim, struct rb_node *new,
				 struct rb_root *root)
{
	rb_replace(victim, new, root, false);
}
KEXPORT(rb_replace_node);

/* For trees RCU readers walk: the new node is published with release
 * order, as rcu_assign_pointer() does. */
KAPI static void rb_replace_node_rcu(struct rb_node *victim, struct rb_node *new,
				     struct rb_root *root)
{
	rb_replace(victim, new, root, true);
}
KEXPORT(rb_replace_node_rcu);
