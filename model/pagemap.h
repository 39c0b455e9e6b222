/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/pagemap.h and mm/filemap.c, v4.0, cut down: page-cache
 * pages in mapping->page_tree (struct page pointers, not exceptional
 * entries), looked up and added under tree_lock, locked with PG_locked.
 * In the model they exist only as v4.0's DAX hole pages (fs/dax.c
 * dax_load_hole()); reading a page from a backing store is not modelled.
 */
#ifndef MMSIM_PAGEMAP_H
#define MMSIM_PAGEMAP_H

#include "kernel.h"

/* lock_page()/unlock_page(): with one thread a page is never found locked. */
void lock_page(struct page *page);
void unlock_page(struct page *page);

/* find_get_page(): the page at @offset with a reference, or NULL. */
struct page *find_get_page(struct kernel *k, struct address_space *mapping,
			   pgoff_t offset);
/* find_lock_page(): the same, locked. */
struct page *find_lock_page(struct kernel *k, struct address_space *mapping,
			    pgoff_t offset);
/*
 * find_or_create_page(): the page at @offset, or a new zeroed one added to
 * the page cache; locked, with a reference for the caller (the cache holds
 * its own). NULL when no memory (the caller's VM_FAULT_OOM).
 */
struct page *find_or_create_page(struct kernel *k, struct address_space *mapping,
				 pgoff_t offset);
/* add_to_page_cache_lru(): @page locked, at @offset; -EEXIST if taken. */
int add_to_page_cache_lru(struct kernel *k, struct page *page,
			  struct address_space *mapping, pgoff_t offset);
/*
 * delete_from_page_cache(): out of the tree, page->mapping cleared, the
 * cache's reference dropped. The caller holds the page locked and has its
 * own reference.
 */
void delete_from_page_cache(struct kernel *k, struct page *page);

/* Whether @page is the page the page cache of its mapping holds at its index. */
bool page_in_page_cache(const struct page *page);

#endif
