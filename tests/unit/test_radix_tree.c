// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/radix-tree.c: single operations, multi-order entries,
 * tags, iteration, height changes, memory accounting, and a randomized
 * comparison against a GTree reference model.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <glib.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "radix-tree.h"

/* A distinct caller entry for @n: bit 0 clear, sometimes bit 1 set (DAX). */
static void *rt_entry(unsigned long n)
{
	return (void *)(uintptr_t)(((n + 1) << 3) | ((n & 1) ? 2 : 0));
}

static void rt_setup(struct radix_tree_root *root)
{
	radix_tree_init(root);
	cr_assert(radix_tree_check(root));
}

static void rt_teardown(struct radix_tree_root *root)
{
	cr_assert(radix_tree_check(root));
	radix_tree_destroy(root);
	cr_assert_eq(root->nr_nodes, 0);
	cr_assert_null(root->rnode);
}

/* ---- basics ---- */

static const unsigned long basic_indices[] = {
	0, 1, 63, 64, 4095, 1UL << 20, ULONG_MAX,
};
#define NR_BASIC (sizeof(basic_indices) / sizeof(basic_indices[0]))

Test(radix_tree, empty_tree)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	cr_assert_null(radix_tree_lookup(&root, 0));
	cr_assert_null(radix_tree_lookup(&root, ULONG_MAX));
	cr_assert_not(radix_tree_lookup_iter(&root, 5, &iter));
	cr_assert_null(radix_tree_delete(&root, 7));
	cr_assert_not(radix_tree_next(&root, 0, ULONG_MAX, -1, &iter));
	cr_assert_not(radix_tree_tag_get(&root, 0, PAGECACHE_TAG_DIRTY));
	radix_tree_tag_clear(&root, 0, PAGECACHE_TAG_DIRTY);
	cr_assert_not(radix_tree_tagged(&root, PAGECACHE_TAG_DIRTY));
	cr_assert_eq(radix_tree_memory(&root), 0);
	rt_teardown(&root);
}

Test(radix_tree, basic_insert_lookup_delete)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	for (size_t i = 0; i < NR_BASIC; i++) {
		cr_assert_eq(radix_tree_insert(&root, basic_indices[i], 0, rt_entry(i)), 0,
			     "insert %lu", basic_indices[i]);
		cr_assert(radix_tree_check(&root));
	}
	for (size_t i = 0; i < NR_BASIC; i++) {
		unsigned long index = basic_indices[i];

		cr_assert_eq(radix_tree_lookup(&root, index), rt_entry(i), "lookup %lu", index);
		cr_assert(radix_tree_lookup_iter(&root, index, &iter));
		cr_assert_eq(iter.index, index);
		cr_assert_eq(iter.order, 0);
		cr_assert_eq(iter.entry, rt_entry(i));
		cr_assert_eq(radix_tree_insert(&root, index, 0, rt_entry(100)), -EEXIST,
			     "double insert %lu", index);
		cr_assert_eq(radix_tree_lookup(&root, index), rt_entry(i));
	}
	/* Indices next to the inserted ones are empty. */
	cr_assert_null(radix_tree_lookup(&root, 2));
	cr_assert_null(radix_tree_lookup(&root, 62));
	cr_assert_null(radix_tree_lookup(&root, 65));
	cr_assert_null(radix_tree_lookup(&root, 4094));
	cr_assert_null(radix_tree_lookup(&root, 4096));
	cr_assert_null(radix_tree_lookup(&root, (1UL << 20) + 1));
	cr_assert_null(radix_tree_lookup(&root, ULONG_MAX - 1));
	cr_assert(radix_tree_check(&root));

	for (size_t i = 0; i < NR_BASIC; i++) {
		unsigned long index = basic_indices[i];

		cr_assert_eq(radix_tree_delete(&root, index), rt_entry(i), "delete %lu", index);
		cr_assert_null(radix_tree_lookup(&root, index));
		cr_assert_null(radix_tree_delete(&root, index));
		cr_assert(radix_tree_check(&root));
		for (size_t j = i + 1; j < NR_BASIC; j++)
			cr_assert_eq(radix_tree_lookup(&root, basic_indices[j]), rt_entry(j));
	}
	cr_assert_eq(root.nr_nodes, 0);
	cr_assert_null(root.rnode);
	rt_teardown(&root);
}

Test(radix_tree, delete_in_reverse_order)
{
	struct radix_tree_root root;

	rt_setup(&root);
	for (size_t i = 0; i < NR_BASIC; i++)
		cr_assert_eq(radix_tree_insert(&root, basic_indices[i], 0, rt_entry(i)), 0);
	for (size_t i = NR_BASIC; i-- > 0;) {
		cr_assert_eq(radix_tree_delete(&root, basic_indices[i]), rt_entry(i));
		cr_assert(radix_tree_check(&root));
		for (size_t j = 0; j < i; j++)
			cr_assert_eq(radix_tree_lookup(&root, basic_indices[j]), rt_entry(j));
	}
	cr_assert_eq(root.nr_nodes, 0);
	cr_assert_null(root.rnode);
	rt_teardown(&root);
}

/* ---- multi-order ---- */

Test(radix_tree, multiorder_order9)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;
	void *e = rt_entry(9);

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 512, 9, e), 0);
	cr_assert(radix_tree_check(&root));
	for (unsigned long i = 512; i < 1024; i++) {
		cr_assert_eq(radix_tree_lookup(&root, i), e, "lookup %lu", i);
		cr_assert(radix_tree_lookup_iter(&root, i, &iter));
		cr_assert_eq(iter.index, 512);
		cr_assert_eq(iter.order, 9);
		cr_assert_eq(iter.entry, e);
	}
	cr_assert_null(radix_tree_lookup(&root, 511));
	cr_assert_null(radix_tree_lookup(&root, 1024));
	cr_assert_null(radix_tree_lookup(&root, 0));

	size_t nodes = root.nr_nodes;
	cr_assert_eq(radix_tree_insert(&root, 700, 0, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 512, 0, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 1023, 0, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 640, 6, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 512, 9, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 0, 12, rt_entry(1)), -EEXIST);
	cr_assert_eq(root.nr_nodes, nodes);
	cr_assert_eq(radix_tree_lookup(&root, 700), e);
	cr_assert(radix_tree_check(&root));

	/* Neighbours are free. */
	cr_assert_eq(radix_tree_insert(&root, 511, 0, rt_entry(2)), 0);
	cr_assert_eq(radix_tree_insert(&root, 1024, 9, rt_entry(3)), 0);
	cr_assert_eq(radix_tree_lookup(&root, 511), rt_entry(2));
	cr_assert_eq(radix_tree_lookup(&root, 1500), rt_entry(3));
	cr_assert_eq(radix_tree_lookup(&root, 1000), e);
	cr_assert(radix_tree_check(&root));

	/* Deleting via any covered index removes all of it. */
	cr_assert_eq(radix_tree_delete(&root, 777), e);
	for (unsigned long i = 512; i < 1024; i++)
		cr_assert_null(radix_tree_lookup(&root, i), "after delete %lu", i);
	cr_assert_null(radix_tree_delete(&root, 512));
	cr_assert_eq(radix_tree_lookup(&root, 511), rt_entry(2));
	cr_assert_eq(radix_tree_lookup(&root, 1024), rt_entry(3));
	cr_assert(radix_tree_check(&root));
	/* The freed range takes order-0 entries again. */
	cr_assert_eq(radix_tree_insert(&root, 700, 0, rt_entry(4)), 0);
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_delete(&root, 700), rt_entry(4));
	cr_assert_eq(radix_tree_delete(&root, 511), rt_entry(2));
	cr_assert_eq(radix_tree_delete(&root, 1535), rt_entry(3));
	cr_assert_eq(root.nr_nodes, 0);
	rt_teardown(&root);
}

Test(radix_tree, multiorder_conflict_changes_nothing)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 5, 0, rt_entry(5)), 0);
	size_t nodes = root.nr_nodes;
	const struct radix_tree_node *rnode = root.rnode;

	cr_assert_eq(radix_tree_insert(&root, 0, 9, rt_entry(9)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 0, 6, rt_entry(9)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 4, 2, rt_entry(9)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 0, 12, rt_entry(9)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 0, 63, rt_entry(9)), -EEXIST);
	cr_assert_eq(root.nr_nodes, nodes);
	cr_assert_eq(root.rnode, rnode);
	cr_assert_null(radix_tree_lookup(&root, 0));
	cr_assert_null(radix_tree_lookup(&root, 6));
	cr_assert_null(radix_tree_lookup(&root, 511));
	cr_assert_eq(radix_tree_lookup(&root, 5), rt_entry(5));
	cr_assert(radix_tree_next(&root, 0, ULONG_MAX, -1, &iter));
	cr_assert_eq(iter.index, 5);
	cr_assert_eq(iter.order, 0);
	cr_assert_not(radix_tree_next(&root, 6, ULONG_MAX, -1, &iter));
	cr_assert(radix_tree_check(&root));

	/* The same deeper in the tree: order 9 over an order-0 at 1<<20 + 5. */
	cr_assert_eq(radix_tree_insert(&root, (1UL << 20) + 5, 0, rt_entry(6)), 0);
	nodes = root.nr_nodes;
	cr_assert_eq(radix_tree_insert(&root, 1UL << 20, 9, rt_entry(9)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 1UL << 20, 18, rt_entry(9)), -EEXIST);
	cr_assert_eq(root.nr_nodes, nodes);
	cr_assert_null(radix_tree_lookup(&root, 1UL << 20));
	cr_assert(radix_tree_check(&root));
	rt_teardown(&root);
}

Test(radix_tree, multiorder_orders_6_and_12)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 64, 6, rt_entry(6)), 0);
	cr_assert_eq(radix_tree_insert(&root, 8192, 12, rt_entry(12)), 0);
	cr_assert(radix_tree_check(&root));
	for (unsigned long i = 64; i < 128; i++)
		cr_assert_eq(radix_tree_lookup(&root, i), rt_entry(6));
	for (unsigned long i = 8192; i < 12288; i += 7)
		cr_assert_eq(radix_tree_lookup(&root, i), rt_entry(12));
	cr_assert_eq(radix_tree_lookup(&root, 12287), rt_entry(12));
	cr_assert_null(radix_tree_lookup(&root, 63));
	cr_assert_null(radix_tree_lookup(&root, 128));
	cr_assert_null(radix_tree_lookup(&root, 8191));
	cr_assert_null(radix_tree_lookup(&root, 12288));

	cr_assert(radix_tree_lookup_iter(&root, 100, &iter));
	cr_assert_eq(iter.index, 64);
	cr_assert_eq(iter.order, 6);
	cr_assert(radix_tree_lookup_iter(&root, 10000, &iter));
	cr_assert_eq(iter.index, 8192);
	cr_assert_eq(iter.order, 12);

	cr_assert_eq(radix_tree_insert(&root, 127, 0, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 0, 9, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 8192 + 4096 - 512, 9, rt_entry(1)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 12288, 0, rt_entry(7)), 0);
	cr_assert(radix_tree_check(&root));

	cr_assert_eq(radix_tree_delete(&root, 12000), rt_entry(12));
	cr_assert_null(radix_tree_lookup(&root, 8192));
	cr_assert_eq(radix_tree_lookup(&root, 12288), rt_entry(7));
	cr_assert_eq(radix_tree_delete(&root, 65), rt_entry(6));
	cr_assert_null(radix_tree_lookup(&root, 64));
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_delete(&root, 12288), rt_entry(7));
	cr_assert_eq(root.nr_nodes, 0);
	rt_teardown(&root);
}

Test(radix_tree, multiorder_small_orders_in_leaf)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 8, 3, rt_entry(3)), 0);
	cr_assert_eq(radix_tree_insert(&root, 2, 1, rt_entry(1)), 0);
	cr_assert_eq(radix_tree_insert(&root, 32, 5, rt_entry(5)), 0);
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(root.nr_nodes, 1);
	cr_assert(radix_tree_lookup_iter(&root, 15, &iter));
	cr_assert_eq(iter.index, 8);
	cr_assert_eq(iter.order, 3);
	cr_assert(radix_tree_lookup_iter(&root, 3, &iter));
	cr_assert_eq(iter.index, 2);
	cr_assert_eq(iter.order, 1);
	cr_assert(radix_tree_lookup_iter(&root, 63, &iter));
	cr_assert_eq(iter.index, 32);
	cr_assert_eq(iter.order, 5);
	cr_assert_null(radix_tree_lookup(&root, 16));
	cr_assert_null(radix_tree_lookup(&root, 4));
	cr_assert_eq(radix_tree_insert(&root, 0, 4, rt_entry(9)), -EEXIST);
	cr_assert_eq(radix_tree_insert(&root, 16, 4, rt_entry(4)), 0);
	cr_assert_eq(radix_tree_delete(&root, 9), rt_entry(3));
	cr_assert_null(radix_tree_lookup(&root, 8));
	cr_assert_eq(radix_tree_lookup(&root, 31), rt_entry(4));
	cr_assert(radix_tree_check(&root));
	rt_teardown(&root);
}

Test(radix_tree, huge_orders_do_not_overflow)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;
	int n;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 1UL << 63, 63, rt_entry(63)), 0);
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_lookup(&root, ULONG_MAX), rt_entry(63));
	cr_assert_eq(radix_tree_lookup(&root, 1UL << 63), rt_entry(63));
	cr_assert_null(radix_tree_lookup(&root, (1UL << 63) - 1));
	cr_assert(radix_tree_lookup_iter(&root, ULONG_MAX - 12345, &iter));
	cr_assert_eq(iter.index, 1UL << 63);
	cr_assert_eq(iter.order, 63);
	cr_assert_eq(radix_tree_insert(&root, ULONG_MAX, 0, rt_entry(1)), -EEXIST);

	cr_assert_eq(radix_tree_insert(&root, 0, 62, rt_entry(62)), 0);
	cr_assert_eq(radix_tree_insert(&root, 1UL << 62, 0, rt_entry(0)), 0);
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_lookup(&root, (1UL << 62) - 1), rt_entry(62));
	cr_assert_eq(radix_tree_lookup(&root, 1UL << 62), rt_entry(0));
	cr_assert_null(radix_tree_lookup(&root, (1UL << 62) + 1));

	/* Iterating to ULONG_MAX terminates after the last entry. */
	n = 0;
	unsigned long expect[] = { 0, 1UL << 62, 1UL << 63 };
	radix_tree_for_each(&root, &iter, 0, ULONG_MAX, -1) {
		cr_assert_lt(n, 3);
		cr_assert_eq(iter.index, expect[n]);
		n++;
	}
	cr_assert_eq(n, 3);

	radix_tree_tag_set(&root, 5, PAGECACHE_TAG_TOWRITE);
	cr_assert(radix_tree_tag_get(&root, (1UL << 62) - 1, PAGECACHE_TAG_TOWRITE));
	cr_assert(radix_tree_check(&root));

	cr_assert_eq(radix_tree_delete(&root, ULONG_MAX), rt_entry(63));
	cr_assert_eq(radix_tree_delete(&root, 1UL << 62), rt_entry(0));
	cr_assert_eq(radix_tree_delete(&root, 17), rt_entry(62));
	cr_assert_eq(root.nr_nodes, 0);
	cr_assert_eq(root.root_tags, 0);

	/* An order-63 entry at 0 in an empty tree, then the other half. */
	cr_assert_eq(radix_tree_insert(&root, 0, 63, rt_entry(1)), 0);
	cr_assert_eq(radix_tree_insert(&root, 1UL << 63, 63, rt_entry(2)), 0);
	cr_assert_eq(root.nr_nodes, 1);
	cr_assert_eq(radix_tree_lookup(&root, (1UL << 63) - 1), rt_entry(1));
	cr_assert_eq(radix_tree_lookup(&root, 1UL << 63), rt_entry(2));
	cr_assert(radix_tree_check(&root));
	rt_teardown(&root);
}

/* ---- tags ---- */

Test(radix_tree, tags_on_multiorder_entry)
{
	struct radix_tree_root root;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 512, 9, rt_entry(9)), 0);
	cr_assert_eq(radix_tree_insert(&root, 5, 0, rt_entry(0)), 0);
	cr_assert_not(radix_tree_tagged(&root, PAGECACHE_TAG_DIRTY));
	cr_assert_not(radix_tree_tag_get(&root, 600, PAGECACHE_TAG_DIRTY));

	radix_tree_tag_set(&root, 1000, PAGECACHE_TAG_DIRTY);
	cr_assert(radix_tree_check(&root));
	cr_assert(radix_tree_tagged(&root, PAGECACHE_TAG_DIRTY));
	cr_assert_not(radix_tree_tagged(&root, PAGECACHE_TAG_TOWRITE));
	for (unsigned long i = 512; i < 1024; i += 31)
		cr_assert(radix_tree_tag_get(&root, i, PAGECACHE_TAG_DIRTY), "%lu", i);
	cr_assert(radix_tree_tag_get(&root, 1023, PAGECACHE_TAG_DIRTY));
	cr_assert_not(radix_tree_tag_get(&root, 600, PAGECACHE_TAG_TOWRITE));
	cr_assert_not(radix_tree_tag_get(&root, 5, PAGECACHE_TAG_DIRTY));
	cr_assert_not(radix_tree_tag_get(&root, 511, PAGECACHE_TAG_DIRTY));
	cr_assert_not(radix_tree_tag_get(&root, 1024, PAGECACHE_TAG_DIRTY));

	radix_tree_tag_set(&root, 5, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_set(&root, 5, PAGECACHE_TAG_TOWRITE);
	cr_assert(radix_tree_tagged(&root, PAGECACHE_TAG_TOWRITE));
	cr_assert(radix_tree_check(&root));

	/* Clear via another covered index; the other entry keeps the tag. */
	radix_tree_tag_clear(&root, 700, PAGECACHE_TAG_DIRTY);
	cr_assert_not(radix_tree_tag_get(&root, 512, PAGECACHE_TAG_DIRTY));
	cr_assert(radix_tree_tagged(&root, PAGECACHE_TAG_DIRTY));
	cr_assert(radix_tree_check(&root));
	radix_tree_tag_clear(&root, 5, PAGECACHE_TAG_DIRTY);
	cr_assert_not(radix_tree_tagged(&root, PAGECACHE_TAG_DIRTY));
	cr_assert(radix_tree_tagged(&root, PAGECACHE_TAG_TOWRITE));
	/* Clearing an untagged or missing index is a no-op. */
	radix_tree_tag_clear(&root, 5, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_clear(&root, 99999, PAGECACHE_TAG_TOWRITE);
	cr_assert(radix_tree_tag_get(&root, 5, PAGECACHE_TAG_TOWRITE));
	radix_tree_tag_clear(&root, 5, PAGECACHE_TAG_TOWRITE);
	cr_assert_not(radix_tree_tagged(&root, PAGECACHE_TAG_TOWRITE));
	cr_assert_eq(root.root_tags, 0);
	cr_assert(radix_tree_check(&root));
	rt_teardown(&root);
}

Test(radix_tree, tags_cleared_on_delete)
{
	struct radix_tree_root root;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 1UL << 20, 0, rt_entry(1)), 0);
	cr_assert_eq(radix_tree_insert(&root, 3 << 9, 9, rt_entry(2)), 0);
	radix_tree_tag_set(&root, 1UL << 20, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_set(&root, (3 << 9) + 100, PAGECACHE_TAG_TOWRITE);
	cr_assert_eq(root.root_tags, 3);

	cr_assert_eq(radix_tree_delete(&root, 1UL << 20), rt_entry(1));
	cr_assert_not(radix_tree_tagged(&root, PAGECACHE_TAG_DIRTY));
	cr_assert(radix_tree_tagged(&root, PAGECACHE_TAG_TOWRITE));
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_insert(&root, 1UL << 20, 0, rt_entry(3)), 0);
	cr_assert_not(radix_tree_tag_get(&root, 1UL << 20, PAGECACHE_TAG_DIRTY));

	cr_assert_eq(radix_tree_delete(&root, (3 << 9) + 511), rt_entry(2));
	cr_assert_eq(root.root_tags, 0);
	cr_assert_eq(radix_tree_insert(&root, 3 << 9, 0, rt_entry(4)), 0);
	cr_assert_not(radix_tree_tag_get(&root, 3 << 9, PAGECACHE_TAG_TOWRITE));
	cr_assert_eq(radix_tree_insert(&root, (3 << 9) + 1, 0, rt_entry(5)), 0);
	cr_assert_not(radix_tree_tag_get(&root, (3 << 9) + 1, PAGECACHE_TAG_TOWRITE));
	cr_assert(radix_tree_check(&root));
	rt_teardown(&root);
}

Test(radix_tree, replace_keeps_tags_and_order)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 4096, 6, rt_entry(1)), 0);
	cr_assert_eq(radix_tree_insert(&root, 7, 0, rt_entry(2)), 0);
	radix_tree_tag_set(&root, 4100, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_set(&root, 7, PAGECACHE_TAG_TOWRITE);

	cr_assert_eq(radix_tree_replace(&root, 4150, rt_entry(3)), rt_entry(1));
	cr_assert_eq(radix_tree_replace(&root, 7, rt_entry(4)), rt_entry(2));
	cr_assert_eq(radix_tree_lookup(&root, 4096), rt_entry(3));
	cr_assert_eq(radix_tree_lookup(&root, 4159), rt_entry(3));
	cr_assert_eq(radix_tree_lookup(&root, 7), rt_entry(4));
	cr_assert(radix_tree_lookup_iter(&root, 4097, &iter));
	cr_assert_eq(iter.index, 4096);
	cr_assert_eq(iter.order, 6);
	cr_assert(radix_tree_tag_get(&root, 4096, PAGECACHE_TAG_DIRTY));
	cr_assert_not(radix_tree_tag_get(&root, 4096, PAGECACHE_TAG_TOWRITE));
	cr_assert(radix_tree_tag_get(&root, 7, PAGECACHE_TAG_TOWRITE));
	cr_assert_not(radix_tree_tag_get(&root, 7, PAGECACHE_TAG_DIRTY));
	cr_assert(radix_tree_check(&root));
	rt_teardown(&root);
}

Test(radix_tree, tagged_iteration_exact)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;
	unsigned long n = 0;

	rt_setup(&root);
	/* Entries every 37 indices across several leaves and one order-9. */
	for (unsigned long i = 0; i < 20000; i += 37)
		cr_assert_eq(radix_tree_insert(&root, i, 0, rt_entry(i)), 0);
	cr_assert_eq(radix_tree_insert(&root, 1UL << 20, 9, rt_entry(1UL << 20)), 0);
	/* Tag the ones whose index is a multiple of 3 * 37, and the order-9. */
	for (unsigned long i = 0; i < 20000; i += 3 * 37)
		radix_tree_tag_set(&root, i, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_set(&root, (1UL << 20) + 300, PAGECACHE_TAG_DIRTY);
	cr_assert(radix_tree_check(&root));

	unsigned long expect = 0;
	radix_tree_for_each(&root, &iter, 0, ULONG_MAX, PAGECACHE_TAG_DIRTY) {
		if (expect < 20000) {
			cr_assert_eq(iter.index, expect);
			cr_assert_eq(iter.order, 0);
			cr_assert_eq(iter.entry, rt_entry(expect));
			expect += 3 * 37;
		} else {
			cr_assert_eq(iter.index, 1UL << 20);
			cr_assert_eq(iter.order, 9);
			expect = ULONG_MAX;
		}
		n++;
	}
	cr_assert_eq(expect, ULONG_MAX);
	cr_assert_eq(n, (20000 + 3 * 37 - 1) / (3 * 37) + 1);

	/* No TOWRITE tags: nothing. */
	cr_assert_not(radix_tree_next(&root, 0, ULONG_MAX, PAGECACHE_TAG_TOWRITE, &iter));
	/* A tagged search starting inside a tagged multi-order entry finds it. */
	cr_assert(radix_tree_next(&root, (1UL << 20) + 511, ULONG_MAX, PAGECACHE_TAG_DIRTY, &iter));
	cr_assert_eq(iter.index, 1UL << 20);
	/* Starting just past a tagged entry skips untagged ones to the next. */
	cr_assert(radix_tree_next(&root, 1, ULONG_MAX, PAGECACHE_TAG_DIRTY, &iter));
	cr_assert_eq(iter.index, 3 * 37);
	/* Untagged iteration sees all. */
	n = 0;
	radix_tree_for_each(&root, &iter, 0, ULONG_MAX, -1)
		n++;
	cr_assert_eq(n, (20000 + 36) / 37 + 1);
	rt_teardown(&root);
}

/* ---- iteration ---- */

Test(radix_tree, iteration_start_inside_multiorder_and_last_bound)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 512, 9, rt_entry(9)), 0);
	cr_assert_eq(radix_tree_insert(&root, 1024, 0, rt_entry(10)), 0);
	cr_assert_eq(radix_tree_insert(&root, 1030, 0, rt_entry(11)), 0);

	cr_assert(radix_tree_next(&root, 700, ULONG_MAX, -1, &iter));
	cr_assert_eq(iter.index, 512);
	cr_assert_eq(iter.order, 9);
	cr_assert_eq(iter.entry, rt_entry(9));
	/* The range only needs to overlap. */
	cr_assert(radix_tree_next(&root, 1023, 1023, -1, &iter));
	cr_assert_eq(iter.index, 512);
	cr_assert(radix_tree_next(&root, 0, 512, -1, &iter));
	cr_assert_eq(iter.index, 512);
	cr_assert_not(radix_tree_next(&root, 0, 511, -1, &iter));
	/* last is respected. */
	cr_assert(radix_tree_next(&root, 1024, 1029, -1, &iter));
	cr_assert_eq(iter.index, 1024);
	cr_assert_not(radix_tree_next(&root, 1025, 1029, -1, &iter));
	cr_assert(radix_tree_next(&root, 1025, 1030, -1, &iter));
	cr_assert_eq(iter.index, 1030);
	cr_assert_not(radix_tree_next(&root, 1031, ULONG_MAX, -1, &iter));
	cr_assert_not(radix_tree_next(&root, 1030, 1029, -1, &iter));

	int n = 0;
	radix_tree_for_each(&root, &iter, 600, 1029, -1) {
		cr_assert_lt(n, 2);
		cr_assert_eq(iter.index, n == 0 ? 512UL : 1024UL);
		n++;
	}
	cr_assert_eq(n, 2);
	rt_teardown(&root);
}

Test(radix_tree, iteration_across_nodes_and_heights)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;
	const unsigned long idx[] = {
		0, 63, 64, 4095, 4096, 262143, 262144, 1UL << 20, 1UL << 30,
		(1UL << 36) + 77, 1UL << 40, ULONG_MAX - 64, ULONG_MAX,
	};
	const size_t nr = sizeof(idx) / sizeof(idx[0]);
	size_t n;

	rt_setup(&root);
	/* Insert from the top down and bottom up alternately so the height
	 * changes at different points. */
	for (size_t i = 0; i < nr; i++) {
		size_t k = (i & 1) ? nr - 1 - i / 2 : i / 2;

		cr_assert_eq(radix_tree_insert(&root, idx[k], 0, rt_entry(k)), 0);
		cr_assert(radix_tree_check(&root));
	}
	n = 0;
	radix_tree_for_each(&root, &iter, 0, ULONG_MAX, -1) {
		cr_assert_lt(n, nr);
		cr_assert_eq(iter.index, idx[n], "got %lu want %lu", iter.index, idx[n]);
		cr_assert_eq(iter.entry, rt_entry(n));
		n++;
	}
	cr_assert_eq(n, nr);
	/* Each entry from one past its predecessor. */
	for (size_t i = 1; i < nr; i++) {
		cr_assert(radix_tree_next(&root, idx[i - 1] + 1, ULONG_MAX, -1, &iter));
		cr_assert_eq(iter.index, idx[i]);
	}
	/* Tagged, only the odd ones. */
	for (size_t i = 1; i < nr; i += 2)
		radix_tree_tag_set(&root, idx[i], PAGECACHE_TAG_TOWRITE);
	n = 1;
	radix_tree_for_each(&root, &iter, 0, ULONG_MAX, PAGECACHE_TAG_TOWRITE) {
		cr_assert_lt(n, nr);
		cr_assert_eq(iter.index, idx[n]);
		n += 2;
	}
	cr_assert_eq(n, nr + (nr % 2 ? 0 : 1));

	/* Delete the largest ones; the tree shrinks and iteration follows. */
	for (size_t i = nr; i-- > 1;) {
		size_t before = root.nr_nodes;

		cr_assert_eq(radix_tree_delete(&root, idx[i]), rt_entry(i));
		cr_assert_leq(root.nr_nodes, before);
		cr_assert(radix_tree_check(&root));
		n = 0;
		radix_tree_for_each(&root, &iter, 0, ULONG_MAX, -1) {
			cr_assert_eq(iter.index, idx[n]);
			n++;
		}
		cr_assert_eq(n, i);
	}
	cr_assert_eq(root.nr_nodes, 1);
	rt_teardown(&root);
}

/* Sparse entries spread over the whole index space: an iteration that
 * visited every index (or every slot of every level) would never finish. */
Test(radix_tree, iteration_sparse_tree_skips_empty_space, .timeout = 10)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;
	unsigned long n;

	rt_setup(&root);
	for (unsigned long i = 0; i < 64; i++)
		cr_assert_eq(radix_tree_insert(&root, (i << 58) + (i * 4097), 0, rt_entry(i)), 0);
	cr_assert_eq(radix_tree_insert(&root, ULONG_MAX, 0, rt_entry(64)), 0);
	for (unsigned long i = 0; i < 64; i += 9)
		radix_tree_tag_set(&root, (i << 58) + (i * 4097), PAGECACHE_TAG_DIRTY);
	for (int round = 0; round < 2000; round++) {
		n = 0;
		radix_tree_for_each(&root, &iter, 0, ULONG_MAX, -1) {
			cr_assert_eq(iter.entry, rt_entry(n));
			n++;
		}
		cr_assert_eq(n, 65);
		n = 0;
		radix_tree_for_each(&root, &iter, 1, ULONG_MAX, PAGECACHE_TAG_DIRTY) {
			cr_assert_eq(iter.index, ((n + 1) * 9 << 58) + (n + 1) * 9 * 4097);
			n++;
		}
		cr_assert_eq(n, 7);
	}
	rt_teardown(&root);
}

/* ---- shrink and memory ---- */

Test(radix_tree, height_grows_and_shrinks)
{
	struct radix_tree_root root;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 0, 0, rt_entry(0)), 0);
	cr_assert_eq(root.nr_nodes, 1);
	cr_assert_eq(root.rnode->shift, 0);
	/* 1<<30 needs a shift-30 root: two paths of six nodes sharing it. */
	cr_assert_eq(radix_tree_insert(&root, 1UL << 30, 0, rt_entry(1)), 0);
	cr_assert_eq(root.rnode->shift, 30);
	cr_assert_eq(root.nr_nodes, 11);
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_delete(&root, 1UL << 30), rt_entry(1));
	cr_assert_eq(root.nr_nodes, 1);
	cr_assert_eq(root.rnode->shift, 0);
	cr_assert_eq(radix_tree_lookup(&root, 0), rt_entry(0));
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_delete(&root, 0), rt_entry(0));
	cr_assert_eq(root.nr_nodes, 0);
	cr_assert_null(root.rnode);

	/* Deleting the low entry leaves the high path, which cannot shrink. */
	cr_assert_eq(radix_tree_insert(&root, 0, 0, rt_entry(0)), 0);
	cr_assert_eq(radix_tree_insert(&root, 1UL << 30, 0, rt_entry(1)), 0);
	cr_assert_eq(radix_tree_delete(&root, 0), rt_entry(0));
	cr_assert_eq(root.nr_nodes, 6);
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(radix_tree_delete(&root, 1UL << 30), rt_entry(1));
	cr_assert_eq(root.nr_nodes, 0);
	cr_assert_null(root.rnode);
	cr_assert_eq(root.root_tags, 0);
	rt_teardown(&root);
}

Test(radix_tree, memory_tracks_nodes)
{
	struct radix_tree_root root;
	size_t prev = 0;

	rt_setup(&root);
	cr_assert_eq(radix_tree_memory(&root), 0);
	for (unsigned long i = 0; i < 64 * 64 * 4; i += 64) {
		cr_assert_eq(radix_tree_insert(&root, i, 0, rt_entry(i)), 0);
		cr_assert_gt(radix_tree_memory(&root), prev);
		cr_assert_eq(radix_tree_memory(&root),
			     root.nr_nodes * sizeof(struct radix_tree_node));
		prev = radix_tree_memory(&root);
	}
	/* Same leaf: no growth. */
	cr_assert_eq(radix_tree_insert(&root, 1, 0, rt_entry(1)), 0);
	cr_assert_eq(radix_tree_memory(&root), prev);
	cr_assert_eq(radix_tree_delete(&root, 1), rt_entry(1));
	for (unsigned long i = 0; i < 64 * 64 * 4; i += 64) {
		cr_assert_eq(radix_tree_delete(&root, i), rt_entry(i));
		cr_assert_lt(radix_tree_memory(&root), prev);
		prev = radix_tree_memory(&root);
	}
	cr_assert_eq(radix_tree_memory(&root), 0);
	cr_assert_eq(root.nr_nodes, 0);
	rt_teardown(&root);
}

Test(radix_tree, destroy_frees_populated_tree)
{
	struct radix_tree_root root;

	rt_setup(&root);
	for (unsigned long i = 0; i < 5000; i += 3)
		cr_assert_eq(radix_tree_insert(&root, i * 977, 0, rt_entry(i)), 0);
	radix_tree_tag_set(&root, 977 * 3, PAGECACHE_TAG_DIRTY);
	cr_assert_gt(root.nr_nodes, 100);
	radix_tree_destroy(&root);
	cr_assert_eq(root.nr_nodes, 0);
	cr_assert_null(root.rnode);
	cr_assert_eq(root.root_tags, 0);
}

/* The checker itself notices a broken tree. */
Test(radix_tree, check_detects_corruption, .init = cr_redirect_stderr)
{
	struct radix_tree_root root;
	uint64_t saved;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 100, 0, rt_entry(1)), 0);
	cr_assert_eq(radix_tree_insert(&root, 5000, 0, rt_entry(2)), 0);
	radix_tree_tag_set(&root, 100, PAGECACHE_TAG_DIRTY);
	cr_assert(radix_tree_check(&root));

	saved = root.rnode->tags[PAGECACHE_TAG_TOWRITE];
	root.rnode->tags[PAGECACHE_TAG_TOWRITE] |= 1ULL << 1;	/* 5000 >> 12 == 1 */
	cr_assert_not(radix_tree_check(&root));
	root.rnode->tags[PAGECACHE_TAG_TOWRITE] = saved;
	cr_assert(radix_tree_check(&root));

	root.root_tags ^= 1U << PAGECACHE_TAG_DIRTY;
	cr_assert_not(radix_tree_check(&root));
	root.root_tags ^= 1U << PAGECACHE_TAG_DIRTY;

	root.nr_nodes++;
	cr_assert_not(radix_tree_check(&root));
	root.nr_nodes--;

	root.rnode->count++;
	cr_assert_not(radix_tree_check(&root));
	root.rnode->count--;
	cr_assert(radix_tree_check(&root));
	rt_teardown(&root);
}

/* ---- randomized comparison against a reference model ---- */

struct ment {
	unsigned long first;	/* key: first index covered */
	unsigned int order;
	void *entry;
	unsigned int tags;
	unsigned int slot;	/* position in model.all */
};

struct model {
	GTree *tree;		/* first index -> struct ment */
	GPtrArray *all;		/* the same, for random picks */
};

static uint64_t xs_state;

static uint64_t xorshift64(void)
{
	uint64_t x = xs_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return xs_state = x;
}

static unsigned long rnd(unsigned long n)
{
	return n ? xorshift64() % n : 0;
}

static gint cmp_ulong(gconstpointer a, gconstpointer b, gpointer data)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long ment_last(const struct ment *m)
{
	return m->first + ((1UL << m->order) - 1);
}

static const unsigned int model_orders[] = { 0, 1, 3, 6, 9, 12 };

static struct ment *model_lookup(struct model *m, unsigned long index)
{
	for (size_t i = 0; i < sizeof(model_orders) / sizeof(model_orders[0]); i++) {
		unsigned long key = index & ~((1UL << model_orders[i]) - 1);
		struct ment *e = g_tree_lookup(m->tree, &key);

		if (e && e->first <= index && index <= ment_last(e))
			return e;
	}
	return NULL;
}

/* First entry overlapping [start, last] carrying tag (tag < 0: any). */
static struct ment *model_next(struct model *m, unsigned long start,
			       unsigned long last, int tag)
{
	struct ment *e = model_lookup(m, start);
	GTreeNode *node;

	if (start > last)
		return NULL;
	if (e && (tag < 0 || (e->tags & (1U << tag))))
		return e;
	for (node = g_tree_lower_bound(m->tree, &start); node; node = g_tree_node_next(node)) {
		e = g_tree_node_value(node);
		if (e->first > last)
			return NULL;
		if (e->first >= start && (tag < 0 || (e->tags & (1U << tag))))
			return e;
	}
	return NULL;
}

static bool model_overlaps(struct model *m, unsigned long first, unsigned int order)
{
	return model_next(m, first, first + ((1UL << order) - 1), -1) != NULL;
}

static void model_add(struct model *m, unsigned long first, unsigned int order, void *entry)
{
	struct ment *e = g_new0(struct ment, 1);

	e->first = first;
	e->order = order;
	e->entry = entry;
	e->slot = m->all->len;
	g_ptr_array_add(m->all, e);
	g_tree_insert(m->tree, &e->first, e);
}

static void model_remove(struct model *m, struct ment *e)
{
	struct ment *moved = g_ptr_array_index(m->all, m->all->len - 1);

	moved->slot = e->slot;
	g_ptr_array_remove_index_fast(m->all, e->slot);
	g_tree_remove(m->tree, &e->first);
	g_free(e);
}

static unsigned int model_root_tags(struct model *m)
{
	unsigned int tags = 0;

	for (unsigned int i = 0; i < m->all->len; i++)
		tags |= ((struct ment *)g_ptr_array_index(m->all, i))->tags;
	return tags;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned int shift_for_index(unsigned long index)
{
	unsigned int shift = 0;

	while ((index >> shift) > RADIX_TREE_MAP_MASK)
		shift += RADIX_TREE_MAP_SHIFT;
	return shift;
}

/*
 * The number of nodes a minimal tree needs for the model's entries: the
 * root's shift covers every first index and every entry's node shift, and
 * each entry needs the nodes from its own level up to the root.
 */
static size_t model_nr_nodes(struct model *m)
{
	unsigned int rootshift = 0;
	uint64_t *keys;
	size_t nr = 0, distinct = 0;

	if (!m->all->len)
		return 0;
	for (unsigned int i = 0; i < m->all->len; i++) {
		struct ment *e = g_ptr_array_index(m->all, i);
		unsigned int s = MAX(shift_for_index(e->first), e->order / 6 * 6);

		rootshift = MAX(rootshift, s);
	}
	keys = g_new(uint64_t, (size_t)m->all->len * 11);
	for (unsigned int i = 0; i < m->all->len; i++) {
		struct ment *e = g_ptr_array_index(m->all, i);

		for (unsigned int s = e->order / 6 * 6; s <= rootshift; s += 6) {
			uint64_t prefix = s + 6 >= 64 ? 0 : e->first >> (s + 6);

			keys[nr++] = (prefix << 4) | (s / 6);
		}
	}
	qsort(keys, nr, sizeof(*keys), cmp_u64);
	for (size_t i = 0; i < nr; i++)
		if (i == 0 || keys[i] != keys[i - 1])
			distinct++;
	g_free(keys);
	return distinct;
}

static const unsigned long cluster_base[] = {
	0, 1UL << 20, (1UL << 40) - (1UL << 13), ULONG_MAX - (1UL << 14) + 1,
};
#define CLUSTER_SPAN (1UL << 14)

static unsigned long random_index(void)
{
	return cluster_base[rnd(4)] + rnd(CLUSTER_SPAN);
}

static unsigned int random_order(void)
{
	unsigned long r = rnd(100);

	if (r < 45)
		return 0;
	if (r < 50)
		return 1;
	if (r < 55)
		return 3;
	if (r < 75)
		return 6;
	if (r < 97)
		return 9;
	return 12;
}

/* A random index covered by a random model entry, or any index. */
static unsigned long random_target(struct model *m)
{
	if (m->all->len && rnd(4) != 0) {
		struct ment *e = g_ptr_array_index(m->all, rnd(m->all->len));

		return e->first + rnd(1UL << e->order);
	}
	return random_index();
}

static void compare_iteration(struct radix_tree_root *root, struct model *m,
			      unsigned long start, unsigned long last, int tag)
{
	struct radix_tree_iter iter;
	struct ment *want = model_next(m, start, last, tag);
	size_t n = 0;

	radix_tree_for_each(root, &iter, start, last, tag) {
		cr_assert_not_null(want, "iteration [%lx,%lx] tag %d: extra entry at %lx",
				   start, last, tag, iter.index);
		cr_assert_eq(iter.index, want->first, "iteration [%lx,%lx] tag %d: %lx != %lx",
			     start, last, tag, iter.index, want->first);
		cr_assert_eq(iter.order, want->order);
		cr_assert_eq(iter.entry, want->entry);
		n++;
		want = ment_last(want) < last ? model_next(m, ment_last(want) + 1, last, tag) : NULL;
	}
	cr_assert_null(want, "iteration [%lx,%lx] tag %d: missed %lx after %zu",
		       start, last, tag, want ? want->first : 0, n);
}

Test(radix_tree, randomized_against_model)
{
	struct radix_tree_root root;
	struct model m = {
		.tree = g_tree_new_full(cmp_ulong, NULL, NULL, NULL),
		.all = g_ptr_array_new(),
	};
	unsigned long serial = 0;
	unsigned long counts[8] = { 0 };
	size_t max_nodes = 0;

	xs_state = 0x9e3779b97f4a7c15ULL;
	rt_setup(&root);
	for (int op = 0; op < 20000; op++) {
		unsigned long r = rnd(100);

		if (r < 35) {				/* insert */
			unsigned int order = random_order();
			unsigned long index = random_index() & ~((1UL << order) - 1);
			void *entry = rt_entry(++serial);
			bool clash = model_overlaps(&m, index, order);
			size_t nodes = root.nr_nodes;
			int ret = radix_tree_insert(&root, index, order, entry);

			cr_assert_eq(ret, clash ? -EEXIST : 0, "op %d insert %lx order %u", op,
				     index, order);
			if (!ret)
				model_add(&m, index, order, entry);
			else
				cr_assert_eq(root.nr_nodes, nodes, "failed insert changed the tree");
			counts[ret ? 1 : 0]++;
		} else if (r < 50) {			/* delete */
			unsigned long index = random_target(&m);
			struct ment *e = model_lookup(&m, index);

			cr_assert_eq(radix_tree_delete(&root, index), e ? e->entry : NULL,
				     "op %d delete %lx", op, index);
			if (e)
				model_remove(&m, e);
			counts[2]++;
		} else if (r < 56) {			/* replace */
			unsigned long index = random_target(&m);
			struct ment *e = model_lookup(&m, index);

			if (e) {
				void *entry = rt_entry(++serial);

				cr_assert_eq(radix_tree_replace(&root, index, entry), e->entry);
				e->entry = entry;
				counts[3]++;
			}
		} else if (r < 68) {			/* tag set / clear */
			unsigned long index = random_target(&m);
			struct ment *e = model_lookup(&m, index);
			unsigned int tag = (unsigned int)rnd(2);

			if (rnd(2)) {
				if (e) {
					radix_tree_tag_set(&root, index, tag);
					e->tags |= 1U << tag;
				}
			} else {
				radix_tree_tag_clear(&root, index, tag);
				if (e)
					e->tags &= ~(1U << tag);
			}
			counts[4]++;
		} else if (r < 82) {			/* lookups */
			unsigned long index = rnd(8) ? random_target(&m) : xorshift64();
			struct ment *e = model_lookup(&m, index);
			struct radix_tree_iter iter;

			cr_assert_eq(radix_tree_lookup(&root, index), e ? e->entry : NULL,
				     "op %d lookup %lx", op, index);
			cr_assert_eq(radix_tree_lookup_iter(&root, index, &iter), e != NULL);
			if (e) {
				cr_assert_eq(iter.index, e->first);
				cr_assert_eq(iter.order, e->order);
				cr_assert_eq(iter.entry, e->entry);
			}
			for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
				cr_assert_eq(radix_tree_tag_get(&root, index, t),
					     e && (e->tags & (1U << t)), "op %d tag_get %lx", op, index);
			counts[5]++;
		} else {				/* iteration */
			unsigned long start = rnd(8) ? random_target(&m) : rnd(4) ? 0 : xorshift64();
			unsigned long span = rnd(4) ? rnd(1UL << (rnd(20))) : ULONG_MAX;
			unsigned long last = start + span < start ? ULONG_MAX : start + span;
			int tag = (int)rnd(3) - 1;

			compare_iteration(&root, &m, start, last, tag);
			counts[6]++;
		}

		for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
			cr_assert_eq(radix_tree_tagged(&root, t),
				     (model_root_tags(&m) >> t) & 1, "op %d tagged(%u)", op, t);
		/* Each entry needs at most one node per level. */
		cr_assert_leq(root.nr_nodes, (size_t)m.all->len * 11);
		cr_assert_eq(root.rnode == NULL, m.all->len == 0);
		if (root.nr_nodes > max_nodes)
			max_nodes = root.nr_nodes;
		if (op % 16 == 0) {
			cr_assert(radix_tree_check(&root), "op %d", op);
			cr_assert_eq(root.nr_nodes, model_nr_nodes(&m), "op %d", op);
			cr_assert_eq(radix_tree_memory(&root),
				     root.nr_nodes * sizeof(struct radix_tree_node));
		}
	}
	cr_assert(radix_tree_check(&root));
	cr_assert_eq(root.nr_nodes, model_nr_nodes(&m));
	compare_iteration(&root, &m, 0, ULONG_MAX, -1);
	compare_iteration(&root, &m, 0, ULONG_MAX, PAGECACHE_TAG_DIRTY);
	compare_iteration(&root, &m, 0, ULONG_MAX, PAGECACHE_TAG_TOWRITE);
	/* The mix really exercised both outcomes of each operation. */
	cr_assert_gt(counts[0], 1000);
	cr_assert_gt(counts[1], 500);
	cr_assert_gt(m.all->len, 100);
	cr_assert_gt(max_nodes, 50);

	/* Delete everything left, in random order, checking as we go. */
	while (m.all->len) {
		struct ment *e = g_ptr_array_index(m.all, rnd(m.all->len));
		unsigned long index = e->first + rnd(1UL << e->order);

		cr_assert_eq(radix_tree_delete(&root, index), e->entry);
		model_remove(&m, e);
		if (m.all->len % 32 == 0) {
			cr_assert(radix_tree_check(&root));
			cr_assert_eq(root.nr_nodes, model_nr_nodes(&m));
		}
	}
	cr_assert_eq(root.nr_nodes, 0);
	cr_assert_null(root.rnode);
	cr_assert_eq(root.root_tags, 0);
	cr_assert_eq(radix_tree_memory(&root), 0);
	rt_teardown(&root);
	g_tree_destroy(m.tree);
	g_ptr_array_free(m.all, TRUE);
}

/*
 * The cached bottom node (root->leaf) goes with its node: after the node
 * is freed and a node for other indices allocated (often at the same
 * address), a lookup of the old indices finds nothing.
 */
Test(radix_tree, leaf_cache_forgets_freed_node)
{
	struct radix_tree_root root;
	struct radix_tree_iter iter;

	rt_setup(&root);
	cr_assert_eq(radix_tree_insert(&root, 5, 0, rt_entry(5)), 0);
	cr_assert_eq(radix_tree_lookup(&root, 5), rt_entry(5));
	cr_assert_eq(radix_tree_delete(&root, 5), rt_entry(5));
	cr_assert_null(root.leaf);
	cr_assert_eq(radix_tree_insert(&root, 965, 0, rt_entry(965)), 0);
	cr_assert_eq(radix_tree_lookup(&root, 965), rt_entry(965));
	cr_assert(radix_tree_check(&root));
	cr_assert_null(radix_tree_lookup(&root, 5));
	cr_assert_not(radix_tree_lookup_iter(&root, 5, &iter));
	cr_assert(radix_tree_next(&root, 0, ~0UL, -1, &iter));
	cr_assert_eq(iter.index, 965);
	/* a tagged search from the cached node climbs as one from the root */
	cr_assert_eq(radix_tree_insert(&root, 3, 0, rt_entry(3)), 0);
	radix_tree_tag_set(&root, 3, PAGECACHE_TAG_DIRTY);
	cr_assert(radix_tree_lookup(&root, 970) == NULL && root.leaf_key == 965 >> 6);
	cr_assert(radix_tree_next(&root, 960, ~0UL, PAGECACHE_TAG_DIRTY, &iter) == false);
	cr_assert(radix_tree_next(&root, 0, ~0UL, PAGECACHE_TAG_DIRTY, &iter));
	cr_assert_eq(iter.index, 3);
	rt_teardown(&root);
}
