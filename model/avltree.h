/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A balanced binary search tree with an augmented value per node, for the
 * places where the kernel uses an augmented rbtree (include/linux/rbtree.h,
 * rbtree_augmented.h): mm->mm_rb with rb_subtree_gap, i_mmap with
 * rb_subtree_last. It is an AVL tree, not a red-black one: the in-order
 * sequence (which is all a caller can see) depends only on where nodes are
 * linked, not on how the tree keeps its balance.
 *
 * As with the kernel's rbtree, the caller owns the search: it walks down
 * from root->node to the empty link where the new node belongs, links it
 * with avl_link_node() and calls avl_insert(). Nodes are embedded in the
 * caller's objects (avl_entry()). @augment recomputes a node's augmented
 * value from the node and its children; every insert, erase and rotation
 * recomputes it on each node whose subtree changed, and avl_propagate()
 * does it from a node up to the root after the caller changed that node's
 * own value. Every operation is O(log n).
 */
#ifndef MMSIM_AVLTREE_H
#define MMSIM_AVLTREE_H

#include <stddef.h>

struct avl_node {
	struct avl_node *parent, *left, *right;
	int height;		/* of the subtree: 1 for a leaf */
};

struct avl_root {
	struct avl_node *node;
};

typedef void (*avl_augment_t)(struct avl_node *node);

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif
#define avl_entry(ptr, type, member)	container_of(ptr, type, member)

static inline void avl_link_node(struct avl_node *node, struct avl_node *parent,
				 struct avl_node **link)
{
	node->parent = parent;
	node->left = node->right = NULL;
	node->height = 1;
	*link = node;
}

void avl_insert(struct avl_root *root, struct avl_node *node, avl_augment_t augment);
void avl_erase(struct avl_root *root, struct avl_node *node, avl_augment_t augment);
void avl_propagate(struct avl_node *node, avl_augment_t augment);

struct avl_node *avl_first(const struct avl_root *root);
struct avl_node *avl_last(const struct avl_root *root);
struct avl_node *avl_next(const struct avl_node *node);
struct avl_node *avl_prev(const struct avl_node *node);

#endif
