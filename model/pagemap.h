/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/pagemap.h and mm/filemap.c, v4.0, cut down: page-cache
 * pages in mapping->page_tree (struct page pointers, not exceptional
 * entries), looked up and added under tree_lock, locked with PG_locked.
 * In the model they are v4.0's DAX hole pages (fs/dax.c dax_load_hole())
 * and the pages of page-cache (non-DAX) files under dax-2017, read from
 * the file's blocks by ->readpage / ->readpages (model/readahead.c).
 */
#ifndef MMSIM_PAGEMAP_H
#define MMSIM_PAGEMAP_H

#include "kernel.h"

/*
 * lock_page()/unlock_page(): with one thread a page is never found
 * locked; under sched_run() a locker sleeps on the page's wait queue
 * until unlock_page() wakes it (mm/filemap.c v4.14).
 */
#define lock_page(k, page)	lock_page_at(k, page, 0, __func__)
/* @ld_flags: LD_TRY for a trylock_page() that found it unlocked (lockdep.h) */
void lock_page_at(struct kernel *k, struct page *page, unsigned ld_flags, const char *site);
void unlock_page(struct kernel *k, struct page *page);

/*
 * lock_page_or_retry(), v4.0-v4.14: the page locked (1), or, when it is
 * locked and the fault may retry (FAULT_FLAG_ALLOW_RETRY), mmap_sem
 * dropped after waiting for the unlock (0: the fault returns
 * VM_FAULT_RETRY). Without FAULT_FLAG_ALLOW_RETRY it sleeps for the lock.
 */
#define lock_page_or_retry(k, page, vmf) lock_page_or_retry_at(k, page, vmf, __func__)
int lock_page_or_retry_at(struct kernel *k, struct page *page, struct vm_fault *vmf,
			  const char *site);
/* find_get_page(): the page at @offset with a reference, or NULL. */
struct page *find_get_page(struct kernel *k, struct address_space *mapping,
			   pgoff_t offset);
/* find_lock_page(): the same, locked; one truncated meanwhile is looked up again. */
#define find_lock_page(k, mapping, offset) find_lock_page_at(k, mapping, offset, __func__)
struct page *find_lock_page_at(struct kernel *k, struct address_space *mapping,
			       pgoff_t offset, const char *site);
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
/* include/linux/pagevec.h: what one batch of a walk holds */
#define PAGEVEC_SIZE	14

/* find_get_entries_tag(): up to @nr entries tagged @tag from @start on */
unsigned find_get_entries_tag(struct address_space *mapping, pgoff_t start,
			      int tag, unsigned nr, void **entries, pgoff_t *indices);

/*
 * filemap_fault(), v4.14: ->fault of a page-cache file. The page at
 * vmf->pgoff, read in on a miss (read-around, VM_FAULT_MAJOR), locked,
 * uptodate, with a reference: VM_FAULT_LOCKED in vmf->page. SIGBUS at or
 * past i_size.
 */
int filemap_fault(struct kernel *k, struct vm_fault *vmf);
/* generic_file_buffered_read(), v4.14: read(2) of a page-cache file */
ssize_t generic_file_buffered_read(struct kernel *k, struct file *filp, loff_t pos,
				   const struct iov_iter *to);
/* filemap_map_pages(), v4.14: ->map_pages, fault-around (mm/memory.c) */
void filemap_map_pages(struct kernel *k, struct vm_fault *vmf,
		       pgoff_t start_pgoff, pgoff_t end_pgoff);

/* mm/page-writeback.c and mm/rmap.c, v4.14 (model/page-writeback.c) */
bool set_page_dirty(struct kernel *k, struct page *page);
/* set_page_dirty() under the page lock (v4.14 mm/page-writeback.c L2606-2614) */
bool set_page_dirty_lock(struct kernel *k, struct page *page);
int page_mkclean(struct kernel *k, struct page *page);
/* The DIRTY pages of [start, end] written by ->writepage (WB_SYNC_ALL). */
int write_cache_pages(struct kernel *k, struct address_space *mapping,
		      pgoff_t start, pgoff_t end);

/* mm/readahead.c, v4.14 (model/readahead.c) */
void file_ra_state_init(struct kernel *k, struct file_ra_state *ra,
			struct address_space *mapping);
unsigned long __do_page_cache_readahead(struct kernel *k, struct address_space *mapping,
					struct file *filp, pgoff_t offset,
					unsigned long nr_to_read,
					unsigned long lookahead_size);
unsigned long max_sane_readahead(const struct kernel *k, unsigned long nr);
unsigned long ra_submit(struct kernel *k, struct file_ra_state *ra,
			struct address_space *mapping, struct file *filp);
void page_cache_sync_readahead(struct kernel *k, struct address_space *mapping,
			       struct file_ra_state *ra, struct file *filp,
			       pgoff_t offset, unsigned long req_size);
void page_cache_async_readahead(struct kernel *k, struct address_space *mapping,
				struct file_ra_state *ra, struct file *filp,
				struct page *page, pgoff_t offset,
				unsigned long req_size);

/* Whether @page is the page the page cache of its mapping holds at its index. */
bool page_in_page_cache(const struct page *page);

#endif
