// SPDX-License-Identifier: GPL-2.0
/*
 * The augmented balanced tree behind mm->mm_rb and i_mmap (avltree.h).
 * After a change, every node from the change up to the root has its height
 * and augmented value recomputed, rotating where the heights of its two
 * subtrees differ by more than one.
 */
#include "avltree.h"

static int height(const struct avl_node *node)
{
	return node ? node->height : 0;
}

static void update(struct avl_node *node, avl_augment_t augment)
{
	int l = height(node->left), r = height(node->right);

	node->height = (l > r ? l : r) + 1;
	if (augment)
		augment(node);
}

/* Hang @new where @old hangs from @parent. */
static void change_child(struct avl_root *root, struct avl_node *old,
			 struct avl_node *new, struct avl_node *parent)
{
	if (!parent)
		root->node = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/* @node's right child takes its place; returns it. */
static struct avl_node *rotate_left(struct avl_root *root, struct avl_node *node,
				    avl_augment_t augment)
{
	struct avl_node *top = node->right;

	node->right = top->left;
	if (top->left)
		top->left->parent = node;
	change_child(root, node, top, node->parent);
	top->left = node;
	node->parent = top;
	update(node, augment);
	update(top, augment);
	return top;
}

static struct avl_node *rotate_right(struct avl_root *root, struct avl_node *node,
				     avl_augment_t augment)
{
	struct avl_node *top = node->left;

	node->left = top->right;
	if (top->right)
		top->right->parent = node;
	change_child(root, node, top, node->parent);
	top->right = node;
	node->parent = top;
	update(node, augment);
	update(top, augment);
	return top;
}

/* Heights, augmented values and balance, from @node up to the root. */
static void rebalance(struct avl_root *root, struct avl_node *node,
		      avl_augment_t augment)
{
	while (node) {
		int balance;

		update(node, augment);
		balance = height(node->left) - height(node->right);
		if (balance > 1) {
			if (height(node->left->left) < height(node->left->right))
				rotate_left(root, node->left, augment);
			node = rotate_right(root, node, augment);
		} else if (balance < -1) {
			if (height(node->right->right) < height(node->right->left))
				rotate_right(root, node->right, augment);
			node = rotate_left(root, node, augment);
		}
		node = node->parent;
	}
}

void avl_insert(struct avl_root *root, struct avl_node *node, avl_augment_t augment)
{
	rebalance(root, node, augment);
}

void avl_erase(struct avl_root *root, struct avl_node *node, avl_augment_t augment)
{
	struct avl_node *parent = node->parent, *succ, *fix;

	if (!node->left || !node->right) {
		change_child(root, node, node->left ? node->left : node->right, parent);
		rebalance(root, parent, augment);
		return;
	}
	/* two children: the successor (leftmost on the right) takes its place */
	succ = node->right;
	while (succ->left)
		succ = succ->left;
	if (succ == node->right) {
		fix = succ;
	} else {
		fix = succ->parent;
		fix->left = succ->right;
		if (succ->right)
			succ->right->parent = fix;
		succ->right = node->right;
		node->right->parent = succ;
	}
	succ->left = node->left;
	node->left->parent = succ;
	change_child(root, node, succ, parent);
	rebalance(root, fix, augment);
}

void avl_propagate(struct avl_node *node, avl_augment_t augment)
{
	for (; node; node = node->parent)
		augment(node);
}

struct avl_node *avl_first(const struct avl_root *root)
{
	struct avl_node *node = root->node;

	while (node && node->left)
		node = node->left;
	return node;
}

struct avl_node *avl_last(const struct avl_root *root)
{
	struct avl_node *node = root->node;

	while (node && node->right)
		node = node->right;
	return node;
}

struct avl_node *avl_next(const struct avl_node *node)
{
	const struct avl_node *parent;

	if (node->right) {
		node = node->right;
		while (node->left)
			node = node->left;
		return (struct avl_node *)node;
	}
	while ((parent = node->parent) && node == parent->right)
		node = parent;
	return (struct avl_node *)parent;
}

struct avl_node *avl_prev(const struct avl_node *node)
{
	const struct avl_node *parent;

	if (node->left) {
		node = node->left;
		while (node->right)
			node = node->right;
		return (struct avl_node *)node;
	}
	while ((parent = node->parent) && node == parent->left)
		node = parent;
	return (struct avl_node *)parent;
}
