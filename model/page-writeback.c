// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page-cache pages and their writeback, v4.14: set_page_dirty() and
 * write_cache_pages() with clear_page_dirty_for_io() (mm/page-writeback.c),
 * and page_mkclean() (mm/rmap.c), which write-protects and cleans every
 * shared PTE of a page before it is written, so that the next store
 * faults and dirties it again (->page_mkwrite). Page-cache (non-DAX)
 * files only; DAX entries have fs/dax.c's own writeback.
 */
#include <assert.h>

#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"
#include "pmem.h"

/*
 * set_page_dirty() -> ->set_page_dirty (ext4: __set_page_dirty_buffers),
 * v4.14: PG_dirty, the DIRTY tag in the tree, the inode dirty
 * (__mark_inode_dirty(I_DIRTY_PAGES)). Returns whether it was clean.
 */
bool set_page_dirty(struct kernel *k, struct page *page)
{
	struct address_space *mapping = page->mapping;

	/*
	 * A DAX folio (dax-folio-refcount, a pmem page): ext4_dax_aops'
	 * .dirty_folio is noop_dirty_folio (v6.18.2 fs/ext4/inode.c L4026);
	 * the entry's DIRTY tag is the fault's business.
	 */
	if (pfn_is_pmem(k, page->pfn))
		return false;
	if (page->flags & PG_dirty)
		return false;
	page->flags |= PG_dirty;
	if (!mapping)
		return true;
	spin_lock(k, &mapping->tree_lock);
	radix_tree_tag_set(&mapping->page_tree, page->index, PAGECACHE_TAG_DIRTY);
	spin_unlock(k, &mapping->tree_lock);
	mapping->host->dirty = true;
	trace_index_changed(k, mapping->host, page->index);
	return true;
}

/*
 * set_page_dirty_lock(), v4.14 mm/page-writeback.c L2606-2614 (6.1
 * L2766-2774): lock_page(), set_page_dirty(), unlock_page(). What a
 * direct I/O read does to each page of its buffer at completion.
 */
bool set_page_dirty_lock(struct kernel *k, struct page *page)
{
	bool ret;

	lock_page(k, page);
	ret = set_page_dirty(k, page);
	unlock_page(k, page);
	return ret;
}

/*
 * page_mkclean(), mm/rmap.c v4.14: in every shared VMA that maps the page
 * (rmap_walk over i_mmap; invalid_mkclean_vma() skips private ones), a
 * PTE on it that is writable or dirty becomes read-only and clean
 * (page_mkclean_one(): flush, pte_wrprotect(pte_mkclean())). Returns how
 * many were cleaned.
 */
int page_mkclean(struct kernel *k, struct page *page)
{
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;
	int cleaned = 0;

	if (!page->mapcount || !mapping)
		return 0;
	down_read(k, &mapping->i_mmap_rwsem);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, page->index, page->index) {
		unsigned long addr = vma->vm_start +
				     ((page->index - vma->vm_pgoff) << PAGE_SHIFT);
		pte_t *ptep;

		if (!(vma->vm_flags & VM_SHARED))
			continue;
		ptep = pte_lookup(vma->vm_mm, addr);
		if (!ptep || !pte_present(*ptep) || pte_pfn(*ptep) != page->pfn)
			continue;
		if (!pte_write(*ptep) && !pte_dirty(*ptep))
			continue;
		set_pte_at(k, vma, addr, ptep, pte_wrprotect(pte_mkclean(*ptep)));
		cleaned++;
	}
	up_read(k, &mapping->i_mmap_rwsem);
	return cleaned;
}

/*
 * clear_page_dirty_for_io(), v4.14: the PTEs first (page_mkclean(); a
 * dirty PTE found there dirties the page, which is about to be cleaned
 * anyway), then PG_dirty. The DIRTY tag goes when writeback starts
 * (set_page_writeback()); the model's writeback completes at once.
 */
static bool clear_page_dirty_for_io(struct kernel *k, struct page *page)
{
	assert(page->flags & PG_locked);
	if (!SW(k, BUG_WRITEBACK_NO_MKCLEAN))
		page_mkclean(k, page);
	if (!(page->flags & PG_dirty))
		return false;
	page->flags &= ~PG_dirty;
	radix_tree_tag_clear(&page->mapping->page_tree, page->index, PAGECACHE_TAG_DIRTY);
	trace_index_changed(k, page->mapping->host, page->index);
	return true;
}

/*
 * write_cache_pages(), v4.14 (WB_SYNC_ALL, the range of an fsync or an
 * msync): each page tagged DIRTY in [start, end] is locked, cleaned for
 * I/O and written by ->writepage, which unlocks it. ext4_writepages()
 * gathers extents first (mpage_prepare_extent_to_map()); page by page is
 * what it amounts to here.
 */
int write_cache_pages(struct kernel *k, struct address_space *mapping,
		      pgoff_t start, pgoff_t end)
{
	struct radix_tree_iter iter;
	pgoff_t index = start;
	int ret = 0;

	while (index <= end &&
	       radix_tree_next(&mapping->page_tree, index, end, PAGECACHE_TAG_DIRTY, &iter)) {
		struct page *page = iter.entry;

		get_page(page);
		lock_page(k, page);
		if (page->mapping == mapping && clear_page_dirty_for_io(k, page)) {
			int err = mapping->a_ops->writepage(k, page);

			if (err && !ret)
				ret = err;
		} else {
			unlock_page(k, page);
		}
		put_page(k, page);
		if (iter.index + 1 == 0)
			break;
		index = iter.index + 1;
	}
	return ret;
}
