/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's ext4 keeps a file's block map as extents, as ext4 does
 * (struct ext4_extent, fs/ext4/extents.c, v4.14), and the reverse map
 * (block -> file, index) the same way. An extent maps [start, start + len)
 * to [target, target + len) with one aux value (unwritten; the owning
 * inode); an extent that continues its neighbour is merged into it, so a
 * contiguous file costs one extent whatever its size. A GTree ordered by
 * start holds them (ext4 itself: a B-tree of extents under the inode).
 */
#ifndef MMSIM_EXT4_EXTENTS_H
#define MMSIM_EXT4_EXTENTS_H

#include "kernel.h"

struct ext4_extent {
	unsigned long start, len, target;
	uintptr_t aux;
};

GTree *ext_tree_new(void);
void ext_tree_destroy(struct kernel *k, GTree *t);
/* The extent holding @x, or NULL. */
struct ext4_extent *ext_lookup(GTree *t, unsigned long x);
/* The extent holding @x, else the first after it, or NULL. */
struct ext4_extent *ext_next(GTree *t, unsigned long x);
/* Map [start, start + len) (unmapped before) to @target with @aux. */
void ext_insert(struct kernel *k, GTree *t, unsigned long start, unsigned long len,
		unsigned long target, uintptr_t aux);
/* Unmap [first, end), calling @fn (when not NULL) on each piece first, lowest first. */
void ext_remove(struct kernel *k, GTree *t, unsigned long first, unsigned long end,
		void (*fn)(const struct ext4_extent *piece, void *ctx), void *ctx);

#endif
