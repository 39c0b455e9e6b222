/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interval trees, as include/linux/interval_tree.h and
 * interval_tree_generic.h have them: closed intervals [start, last] in a
 * tree ordered by start, each node augmented with the largest last in its
 * subtree, so that the intervals meeting [start, last] are found in
 * O(log n + matches), in order of start. Intervals with the same start
 * keep the order they were inserted in (a new one goes right of its
 * equals, as interval_tree_insert() does).
 *
 * The kernel's i_mmap is one (mm/interval_tree.c: vma_interval_tree_*,
 * keyed by [vm_pgoff, vm_pgoff + pages - 1]); the driver uses the same
 * tree for its own indexes.
 */
#ifndef MMSIM_INTERVAL_TREE_H
#define MMSIM_INTERVAL_TREE_H

#include "avltree.h"

struct interval_tree_node {
	struct avl_node rb;
	unsigned long start, last;	/* the interval, last included */
	unsigned long __subtree_last;
};

void interval_tree_insert(struct interval_tree_node *node, struct avl_root *root);
/*
 * @node, whose start equals @prev's, goes immediately after @prev in tree
 * order (vma_interval_tree_insert_after(), mm/interval_tree.c v4.14).
 */
void interval_tree_insert_after(struct interval_tree_node *node,
				struct interval_tree_node *prev, struct avl_root *root);
void interval_tree_remove(struct interval_tree_node *node, struct avl_root *root);
/* The first node meeting [start, last] in tree order, then the next. */
struct interval_tree_node *interval_tree_iter_first(const struct avl_root *root,
						    unsigned long start,
						    unsigned long last);
struct interval_tree_node *interval_tree_iter_next(const struct interval_tree_node *node,
						   unsigned long start,
						   unsigned long last);

#endif
