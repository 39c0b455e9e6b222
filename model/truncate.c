// SPDX-License-Identifier: GPL-2.0
/*
 * mm/truncate.c, v4.14, for DAX mappings: exceptional entries, and the
 * page-cache pages v4.0's DAX puts there for holes (dax-2014; the same
 * code in v4.0).
 */
#include "dax.h"
#include "dax-v4.5.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "truncate.h"

/*
 * truncate_inode_page() -> truncate_complete_page(), v4.0 mm/truncate.c:
 * a page still mapped is unmapped first (even_cows 0), then deleted from
 * the page cache. The page is locked meanwhile (trylock_page: one thread;
 * under sched_run() the lock may wait, and a DAX write fault may have
 * taken the page out of the cache meanwhile: truncate_complete_page()'s
 * "page->mapping != mapping" (v4.0 mm/truncate.c L137, -EIO) leaves it).
 */
static void truncate_inode_page(struct kernel *k, struct address_space *mapping,
				struct page *page)
{
	get_page(page);		/* pagevec_lookup_entries()'s reference */
	lock_page(k, page);
	if (page->mapcount)
		unmap_mapping_range(k, mapping, (loff_t)page->index << PAGE_SHIFT,
				    PAGE_SIZE, 0);
	if (page->mapping == mapping)	/* truncate_complete_page() */
		delete_from_page_cache(k, page);
	unlock_page(k, page);
	put_page(k, page);
}

/*
 * truncate_inode_pages_range(): every entry whose index is in
 * [start, end) goes through truncate_exceptional_entry() ->
 * dax_delete_mapping_entry(), dirty or not, with no flush; every page
 * through truncate_inode_page(). The partial pages at either end keep
 * their entries; a partial page is zeroed from the cut on
 * (zero_user_segment), which for a DAX hole page, all zero, changes
 * nothing, so the model leaves it as it is.
 */
void truncate_inode_pages_range(struct kernel *k, struct address_space *mapping,
				loff_t lstart, loff_t lend)
{
	pgoff_t start = ((unsigned long)lstart + PAGE_SIZE - 1) >> PAGE_SHIFT;
	pgoff_t end = lend == -1 ? ~0UL : ((unsigned long)lend + 1) >> PAGE_SHIFT;
	struct radix_tree_iter iter;
	pgoff_t index = start;

	if ((!mapping->nrexceptional && !mapping->nrpages) || start >= end)
		return;
	while (index < end &&
	       radix_tree_next(&mapping->page_tree, index, end - 1, -1, &iter)) {
		pgoff_t next = iter.index + (1UL << iter.order);

		if (!radix_tree_exceptional_entry(iter.entry)) {
			truncate_inode_page(k, mapping, iter.entry);
		} else {
			might_sleep(k, "truncate_exceptional_entry");
			if (k->policy.id == POLICY_DAX_2016)	/* v4.5: one slot, no locks */
				dax_clear_exceptional_entry_v4_5(k, mapping, iter.index,
								 iter.entry);
			else
				dax_delete_mapping_entry(k, mapping,
							 iter.index < start ? start : iter.index);
		}
		if (next == 0)
			break;
		index = next;
	}
}

/*
 * invalidate_inode_pages2_range(), v4.0 mm/truncate.c L582, for the
 * page-cache pages of [start, end] (page indices): a page still mapped
 * is unmapped first, the first one from its index to @end in one call
 * (did_range_unmap, even_cows 0: the block PTEs of the range go too),
 * later ones alone; then invalidate_complete_page2() deletes it from the
 * cache (a DAX hole page is never dirty, so it always can).
 */
void invalidate_inode_pages2_range(struct kernel *k, struct address_space *mapping,
				   pgoff_t start, pgoff_t end)
{
	struct radix_tree_iter iter;
	bool did_range_unmap = false;
	pgoff_t index = start;

	while ((mapping->nrpages || k->policy.id == POLICY_DAX_2016) && index <= end &&
	       radix_tree_next(&mapping->page_tree, index, end, -1, &iter)) {
		struct page *page = iter.entry;

		if (radix_tree_exceptional_entry(iter.entry)) {
			/* v4.5 L598: clear_exceptional_entry(); v4.0 has none */
			if (k->policy.id == POLICY_DAX_2016)
				dax_clear_exceptional_entry_v4_5(k, mapping, iter.index,
								 iter.entry);
			goto next;
		}
		get_page(page);
		lock_page(k, page);
		/* v4.0 L614: truncated (or, a DAX hole page, replaced by a block) meanwhile */
		if (page->mapping != mapping) {
			unlock_page(k, page);
			put_page(k, page);
			goto next;
		}
		if (page->mapcount) {
			loff_t len = did_range_unmap ? (loff_t)PAGE_SIZE :
				     (loff_t)(1 + end - iter.index) << PAGE_SHIFT;

			unmap_mapping_range(k, mapping, (loff_t)iter.index << PAGE_SHIFT,
					    len, 0);
			did_range_unmap = true;
		}
		delete_from_page_cache(k, page);
		unlock_page(k, page);
		put_page(k, page);
next:
		if (iter.index + 1 == 0)
			break;
		index = iter.index + 1;
	}
}

/*
 * invalidate_mapping_pages(), v4.14 mm/truncate.c: drop the pages of
 * [start, end] that can go without losing anything: each one not dirty,
 * not under writeback, not mapped, not locked, that nobody but the page
 * cache holds (remove_mapping()'s page_ref_freeze(page, 2): the cache's
 * reference and this walk's). Exceptional (DAX) entries stay: "for DAX we
 * do nothing" (invalidate_exceptional_entry()). Returns how many went.
 * drop_caches (echo 1) and POSIX_FADV_DONTNEED call it.
 */
unsigned long invalidate_mapping_pages(struct kernel *k, struct address_space *mapping,
				       pgoff_t start, pgoff_t end)
{
	struct radix_tree_iter iter;
	unsigned long count = 0;
	pgoff_t index = start;

	while (mapping->nrpages && index <= end &&
	       radix_tree_next(&mapping->page_tree, index, end, -1, &iter)) {
		struct page *page = iter.entry;

		if (radix_tree_exceptional_entry(iter.entry) || (page->flags & PG_locked))
			goto next;
		get_page(page);		/* pagevec_lookup_entries() */
		lock_page(k, page);
		/* invalidate_inode_page() -> invalidate_complete_page() (v4.0 L163: the mapping) */
		if (page->mapping == mapping && !(page->flags & PG_dirty) && !page->mapcount && page->refcount == 2) {
			delete_from_page_cache(k, page);
			count++;
		}
		unlock_page(k, page);
		put_page(k, page);
next:
		if (iter.index + 1 == 0)
			break;
		index = iter.index + 1;
	}
	return count;
}

void truncate_pagecache(struct kernel *k, struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = &inode->i_data;
	loff_t holebegin = round_up(newsize, (loff_t)PAGE_SIZE);

	/*
	 * Twice: after the first unmap and before the entries are gone a
	 * private page may be COWed; the second call removes it.
	 */
	unmap_mapping_range(k, mapping, holebegin, 0, 1);
	truncate_inode_pages_range(k, mapping, newsize, -1);
	unmap_mapping_range(k, mapping, holebegin, 0, 1);
}

void truncate_pagecache_range(struct kernel *k, struct inode *inode,
			      loff_t lstart, loff_t lend)
{
	struct address_space *mapping = &inode->i_data;
	loff_t unmap_start = round_up(lstart, (loff_t)PAGE_SIZE);
	loff_t unmap_end = round_down(1 + lend, (loff_t)PAGE_SIZE) - 1;

	if (unmap_end > unmap_start)
		unmap_mapping_range(k, mapping, unmap_start,
				    1 + unmap_end - unmap_start, 0);
	truncate_inode_pages_range(k, mapping, lstart, lend);
}
