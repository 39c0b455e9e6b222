/* SPDX-License-Identifier: GPL-2.0 */
/* mm/truncate.c, v4.14: removing a range from a mapping. */
#ifndef MMSIM_TRUNCATE_H
#define MMSIM_TRUNCATE_H

#include "kernel.h"

/* Delete the entries of indices [DIV_ROUND_UP(lstart), (lend + 1) >> PAGE_SHIFT). */
void truncate_inode_pages_range(struct kernel *k, struct address_space *mapping,
				loff_t lstart, loff_t lend);
/* v4.0: drop the page-cache pages of indices [start, end], unmapping them. */
void invalidate_inode_pages2_range(struct kernel *k, struct address_space *mapping,
				   pgoff_t start, pgoff_t end);
/* Drop the clean, unmapped, unlocked, unpinned pages of [start, end]. */
unsigned long invalidate_mapping_pages(struct kernel *k, struct address_space *mapping,
				       pgoff_t start, pgoff_t end);
/* Unmap from round_up(newsize) (even_cows 1), delete entries, unmap again. */
void truncate_pagecache(struct kernel *k, struct inode *inode, loff_t newsize);
/* Unmap whole pages of [lstart, lend] (even_cows 0), then delete entries. */
void truncate_pagecache_range(struct kernel *k, struct inode *inode,
			      loff_t lstart, loff_t lend);

#endif
