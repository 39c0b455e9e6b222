/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-cache radix tree, as lib/radix-tree.c had it in v4.14: 64-slot
 * nodes, a tag bitmap per tag per node (PAGECACHE_TAG_DIRTY, _TOWRITE),
 * and multi-order entries (CONFIG_RADIX_TREE_MULTIORDER) that occupy one
 * canonical slot plus sibling slots, so one entry covers 2^order indices.
 *
 * Entries are opaque non-NULL values owned by the caller, with bit 0 clear:
 * bit 0 marks the tree's own internal pointers (nodes and sibling slots),
 * as RADIX_TREE_INTERNAL_NODE did. The DAX code stores integers with bit 1
 * set, as the kernel's exceptional entries (RADIX_TREE_EXCEPTIONAL_ENTRY)
 * did; page pointers are aligned. The tree never dereferences an entry.
 * Internal markers never escape this file.
 *
 * Costs: every operation walks at most height nodes (height grows with
 * the largest index, 6 bits a level), so lookup, insert, delete, tag
 * operations and each step of an iteration are O(log n); one to an index
 * of the bottom node walked to last is O(1).
 */
#ifndef MMSIM_RADIX_TREE_H
#define MMSIM_RADIX_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RADIX_TREE_MAP_SHIFT	6
#define RADIX_TREE_MAP_SIZE	(1UL << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK	(RADIX_TREE_MAP_SIZE - 1)
#define RADIX_TREE_MAX_TAGS	2

/* include/linux/fs.h */
#define PAGECACHE_TAG_DIRTY	0
#define PAGECACHE_TAG_TOWRITE	1

struct radix_tree_node {
	unsigned char shift;	/* index bits below each slot of this node */
	unsigned char offset;	/* slot number in the parent */
	unsigned char count;	/* non-NULL slots, siblings included */
	struct radix_tree_node *parent;
	void *slots[RADIX_TREE_MAP_SIZE];
	uint64_t tags[RADIX_TREE_MAX_TAGS];
};

struct radix_tree_root {
	struct radix_tree_node *rnode;	/* NULL when empty */
	unsigned int root_tags;		/* bit t: some entry carries tag t */
	size_t nr_nodes;		/* for the memory figures */
	/*
	 * The bottom node (shift 0) the last walk ended in, and its index >>
	 * RADIX_TREE_MAP_SHIFT: a host-side cache, not the kernel's. A walk
	 * to an index it covers starts there; freeing the node forgets it.
	 */
	struct radix_tree_node *leaf;
	unsigned long leaf_key;
};

/* What an iteration step or a lookup found. */
struct radix_tree_iter {
	unsigned long index;	/* first index the entry covers */
	unsigned int order;	/* it covers 2^order indices */
	void *entry;
};

void radix_tree_init(struct radix_tree_root *root);
/* Frees every node; the entries are the caller's. */
void radix_tree_destroy(struct radix_tree_root *root);

/*
 * Insert @entry covering [index, index + 2^order). @index must be aligned to
 * 2^order (order < 64) and @entry non-NULL with bit 0 clear. Returns 0, or
 * -EEXIST when any index of the range is already covered (nothing changes
 * then). New entries carry no tags.
 */
int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      unsigned int order, void *entry);

/* The entry covering @index, or NULL. */
void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index);

/* As lookup, and fills @iter (first index, order) when found. */
bool radix_tree_lookup_iter(const struct radix_tree_root *root,
			    unsigned long index, struct radix_tree_iter *iter);

/*
 * The canonical slot of the entry covering @index, or NULL: what
 * __radix_tree_lookup() hands the DAX code, so that locking, unlocking and
 * replacing an entry it already found costs no second walk. The slot stays
 * valid until the tree is next modified other than through it.
 */
void **radix_tree_lookup_slot(const struct radix_tree_root *root,
			      unsigned long index);
/* radix_tree_replace_slot(): same order, same tags. */
static inline void radix_tree_replace_slot(void **slot, void *entry)
{
	*slot = entry;
}

/*
 * Replace the entry covering @index with @entry (same order, same tags).
 * Returns the old entry. The index must be covered.
 */
void *radix_tree_replace(struct radix_tree_root *root, unsigned long index,
			 void *entry);

/*
 * Delete the whole entry covering @index (all its slots) and its tags; free
 * nodes left empty and shrink the tree. Returns the old entry or NULL.
 */
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);

/* Tags live on an entry (its canonical slot); the index may be any it covers. */
void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			unsigned int tag);
void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			  unsigned int tag);
bool radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index,
			unsigned int tag);
/* Whether any entry in the tree carries @tag (mapping_tagged()). */
bool radix_tree_tagged(const struct radix_tree_root *root, unsigned int tag);

/*
 * Iteration: find the first entry that covers some index in [*start, last]
 * (an entry that begins before *start but covers it counts), optionally only
 * entries carrying @tag (tag < 0: any entry). Fills @iter and returns true;
 * the caller continues from iter->index + (1UL << iter->order). Returns
 * false when there is none. Skips empty subtrees and, for a tag, subtrees
 * whose tag bit is clear.
 */
bool radix_tree_next(const struct radix_tree_root *root, unsigned long start,
		     unsigned long last, int tag, struct radix_tree_iter *iter);

#define radix_tree_for_each(root, iter, start, last, tag)		\
	for (bool __more = radix_tree_next(root, start, last, tag, iter);	\
	     __more;							\
	     __more = ((iter)->index + (1UL << (iter)->order) - 1 < (last)) && \
		      ((iter)->index + (1UL << (iter)->order) != 0) &&	\
		      radix_tree_next(root,				\
				      (iter)->index + (1UL << (iter)->order), \
				      last, tag, iter))

/*
 * For dumps, the order of lib/radix-tree.c's dump_node() (v4.14): each node
 * depth-first (numbered 0, 1, ... in that order, the root -1 as a parent)
 * with the indices it covers and how many exceptional entries it holds, then
 * each used slot in order: a child node is visited there, an entry or a
 * sibling slot is handed to @slot_fn (@canonical: the first index of the
 * slot a sibling points back at).
 */
typedef void (*radix_tree_node_fn)(void *ctx, const struct radix_tree_node *node, int id,
				   int parent, unsigned long first, unsigned long last,
				   unsigned exceptional, int depth);
typedef void (*radix_tree_slot_fn)(void *ctx, unsigned offset, unsigned long first,
				   unsigned long last, bool sibling, unsigned long canonical,
				   int parent, int depth);
void radix_tree_visit(const struct radix_tree_root *root, radix_tree_node_fn node_fn,
		      radix_tree_slot_fn slot_fn, void *ctx);

/* Bytes the tree's nodes take. */
size_t radix_tree_memory(const struct radix_tree_root *root);

/*
 * For tests: walks the whole tree and checks its internal invariants (slot
 * counts, parent/offset links, sibling runs, tag propagation up to
 * root_tags, nr_nodes, no shrinkable root). Returns false, after printing
 * the first violation to stderr, when one fails.
 */
bool radix_tree_check(const struct radix_tree_root *root);

#endif
