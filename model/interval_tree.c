// SPDX-License-Identifier: GPL-2.0
/*
 * Interval trees (interval_tree.h), after include/linux/interval_tree_generic.h
 * (v4.14): insertion by start, __subtree_last as the augmented value, and
 * the search that skips every subtree whose largest last is below the
 * query's start.
 */
#include <assert.h>

#include "interval_tree.h"
#include "mm.h"

static struct interval_tree_node *it_entry(const struct avl_node *node)
{
	return node ? avl_entry(node, struct interval_tree_node, rb) : NULL;
}

/* The augment callback: the largest last in @node's subtree. */
static void compute_subtree_last(struct avl_node *node)
{
	struct interval_tree_node *it = it_entry(node);
	unsigned long max = it->last;

	if (node->left && it_entry(node->left)->__subtree_last > max)
		max = it_entry(node->left)->__subtree_last;
	if (node->right && it_entry(node->right)->__subtree_last > max)
		max = it_entry(node->right)->__subtree_last;
	it->__subtree_last = max;
}

void interval_tree_insert(struct interval_tree_node *node, struct avl_root *root)
{
	struct avl_node **link = &root->node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (node->start < it_entry(parent)->start)
			link = &parent->left;
		else
			link = &parent->right;
	}
	avl_link_node(&node->rb, parent, link);
	node->__subtree_last = node->last;
	avl_insert(root, &node->rb, compute_subtree_last);
}

/*
 * vma_interval_tree_insert_after(), v4.14: as @prev's right child, or as
 * the leftmost node of its right subtree: the next node in tree order.
 * The rebalancing from there recomputes __subtree_last on the way up.
 */
void interval_tree_insert_after(struct interval_tree_node *node,
				struct interval_tree_node *prev, struct avl_root *root)
{
	struct avl_node *parent = &prev->rb, **link = &prev->rb.right;

	assert(node->start == prev->start);
	while (*link) {
		parent = *link;
		link = &parent->left;
	}
	avl_link_node(&node->rb, parent, link);
	node->__subtree_last = node->last;
	avl_insert(root, &node->rb, compute_subtree_last);
}

void interval_tree_remove(struct interval_tree_node *node, struct avl_root *root)
{
	avl_erase(root, &node->rb, compute_subtree_last);
}

/*
 * The leftmost node of @node's subtree meeting [start, last], given that
 * some node of the subtree ends at or after start (__subtree_last >= start).
 */
static struct interval_tree_node *subtree_search(struct interval_tree_node *node,
						 unsigned long start,
						 unsigned long last)
{
	for (;;) {
		struct interval_tree_node *left = it_entry(node->rb.left);
		struct interval_tree_node *right = it_entry(node->rb.right);

		/*
		 * Whatever ends late enough on the left comes first; if it
		 * starts after last, so does everything right of it.
		 */
		if (left && left->__subtree_last >= start) {
			node = left;
			continue;
		}
		if (node->start > last)
			return NULL;
		if (node->last >= start)
			return node;
		if (!right || right->__subtree_last < start)
			return NULL;
		node = right;
	}
}

struct interval_tree_node *interval_tree_iter_first(const struct avl_root *root,
						    unsigned long start,
						    unsigned long last)
{
	struct interval_tree_node *node = it_entry(root->node);

	if (!node || node->__subtree_last < start)
		return NULL;
	return subtree_search(node, start, last);
}

struct interval_tree_node *interval_tree_iter_next(const struct interval_tree_node *node,
						   unsigned long start,
						   unsigned long last)
{
	for (;;) {
		struct interval_tree_node *right = it_entry(node->rb.right);
		const struct avl_node *from;

		/* node starts at or before last: search its right subtree */
		if (right && right->__subtree_last >= start)
			return subtree_search(right, start, last);
		/* else up to the first ancestor reached from its left */
		do {
			from = &node->rb;
			node = it_entry(from->parent);
			if (!node)
				return NULL;
		} while (node->rb.right == from);
		if (node->start > last)
			return NULL;
		if (node->last >= start)
			return (struct interval_tree_node *)node;
	}
}

/* ---- i_mmap: mm/interval_tree.c, v4.14 ---- */

static struct vm_area_struct *shared_vma(const struct interval_tree_node *node)
{
	return node ? container_of(node, struct vm_area_struct, shared) : NULL;
}

/* vma_start_pgoff() .. vma_last_pgoff() */
void vma_interval_tree_insert(struct vm_area_struct *vma, struct avl_root *root)
{
	vma->shared.start = vma->vm_pgoff;
	vma->shared.last = vma->vm_pgoff + vma_pages(vma) - 1;
	interval_tree_insert(&vma->shared, root);
}

/* dup_mmap(): the child's VMA right after the parent's */
void vma_interval_tree_insert_after(struct vm_area_struct *node,
				    struct vm_area_struct *prev, struct avl_root *root)
{
	node->shared.start = node->vm_pgoff;
	node->shared.last = node->vm_pgoff + vma_pages(node) - 1;
	interval_tree_insert_after(&node->shared, &prev->shared, root);
}

void vma_interval_tree_remove(struct vm_area_struct *vma, struct avl_root *root)
{
	interval_tree_remove(&vma->shared, root);
}

struct vm_area_struct *vma_interval_tree_iter_first(const struct avl_root *root,
						    pgoff_t first, pgoff_t last)
{
	return shared_vma(interval_tree_iter_first(root, first, last));
}

struct vm_area_struct *vma_interval_tree_iter_next(const struct vm_area_struct *vma,
						   pgoff_t first, pgoff_t last)
{
	return shared_vma(interval_tree_iter_next(&vma->shared, first, last));
}
