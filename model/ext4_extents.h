/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's ext4 keeps a file's block map as extents, as ext4 does
 * (struct ext4_extent, fs/ext4/extents.c, v4.14), and the reverse map
 * (block -> file, index) the same way. An extent maps [start, start + len)
 * to [target, target + len) with one aux value (unwritten; the owning
 * inode); an extent that continues its neighbour is merged into it, so a
 * contiguous file costs one extent whatever its size. A GTree ordered by
 * start holds them (ext4 itself: a B-tree of extents under the inode),
 * and the rightmost one is kept at hand: a lookup at or past its start
 * needs no search, so a file growing at its end (the common case, which
 * ext4_ext_insert_extent() serves by extending the last extent of the
 * path in place, v4.14) costs O(1) a block.
 */
#ifndef MMSIM_EXT4_EXTENTS_H
#define MMSIM_EXT4_EXTENTS_H

#include <assert.h>

#include "kernel.h"

/* EXT_MAX_BLOCKS, fs/ext4/ext4_extents.h: the largest logical block number + 1 */
#define EXT_MAX_BLOCKS	0xffffffffUL

struct ext4_extent {
	unsigned long start, len, target;
	uintptr_t aux;
};

struct ext_tree {
	GTree *tree;
	struct ext4_extent *last;	/* the one with the highest start, or NULL */
};

struct ext_tree *ext_tree_new(void);
void ext_tree_destroy(struct kernel *k, struct ext_tree *t);
struct ext4_extent *ext_search(struct ext_tree *t, unsigned long x);

/* The extent holding @x, or NULL. */
static inline struct ext4_extent *ext_lookup(struct ext_tree *t, unsigned long x)
{
	if (!t->last)
		return NULL;
	if (x >= t->last->start)	/* only the last one can hold it */
		return x - t->last->start < t->last->len ? t->last : NULL;
	return ext_search(t, x);
}
/* The extent holding @x, else the first after it, or NULL. */
struct ext4_extent *ext_next(struct ext_tree *t, unsigned long x);
/* Whether @b continues @a in both ranges, with the same aux. */
static inline bool ext_continues(const struct ext4_extent *a, const struct ext4_extent *b)
{
	return a->start + a->len == b->start && a->target + a->len == b->target &&
	       a->aux == b->aux;
}

void ext_insert_search(struct kernel *k, struct ext_tree *t, unsigned long start,
		       unsigned long len, unsigned long target, uintptr_t aux);

/* Map [start, start + len) (unmapped before) to @target with @aux. */
static inline void ext_insert(struct kernel *k, struct ext_tree *t, unsigned long start,
			      unsigned long len, unsigned long target, uintptr_t aux)
{
	struct ext4_extent new = { start, len, target, aux };

	assert(len && !ext_lookup(t, start));
	/* the append: the last extent grows, with nothing after it to merge */
	if (t->last && ext_continues(t->last, &new)) {
		t->last->len += len;
		return;
	}
	ext_insert_search(k, t, start, len, target, aux);
}
/* Unmap [first, end), calling @fn (when not NULL) on each piece first, lowest first. */
void ext_remove(struct kernel *k, struct ext_tree *t, unsigned long first, unsigned long end,
		void (*fn)(const struct ext4_extent *piece, void *ctx), void *ctx);

#endif
