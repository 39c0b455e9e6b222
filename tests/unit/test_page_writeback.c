// SPDX-License-Identifier: GPL-2.0
/*
 * model/page-writeback.c and the shared-write path of page-cache files,
 * v4.14: do_shared_fault() / wp_page_shared() -> ext4_page_mkwrite()
 * (a block, set_page_dirty()), write_cache_pages() with
 * clear_page_dirty_for_io() and page_mkclean(), ext4_writepage(), and
 * mm/truncate.c's invalidate_mapping_pages() (reclaim).
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "pagemap.h"
#include "truncate.h"

TestSuite(page_writeback, .init = fx_init, .fini = fx_fini);

static uint64_t block_word(struct file *f, pgoff_t index, unsigned off)
{
	uint64_t v = 0;

	pmem_read(k, block_pfn(block_of(f, index)), off, &v, 8);
	return v;
}

/*
 * A store to an unmapped page of a shared mapping: do_shared_fault() ->
 * filemap_fault() (major: cold), ext4_page_mkwrite() (dirty, tagged),
 * finish_fault(): writable and dirty. The block is not written yet.
 */
Test(page_writeback, shared_store_dirties_the_page)
{
	struct file *f = cold_file(4 * P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct page *page;

	cr_assert_eq(store(mm, a + P, 0x22).sig, SIG_NONE);
	cr_assert_eq(mm->maj_flt, 1);
	page = cached(f, 1);
	cr_assert(page->flags & PG_dirty);
	cr_assert(dirty_tag(f, 1));
	cr_assert_not(page->flags & PG_locked);
	cr_assert(pte_write(pte_at(mm, a + P)));
	cr_assert(pte_dirty(pte_at(mm, a + P)));
	cr_assert_eq(pte_pfn(pte_at(mm, a + P)), page->pfn);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1, "no fault-around for a write");
	cr_assert_eq(page->refcount, 2);
	cr_assert_eq(block_word(f, 1, 0), 0x1111111111111111ULL, "not written back yet");
	cr_assert(f->inode->dirty);
}

/*
 * fsync: the dirty page's PTEs are write-protected and cleaned
 * (page_mkclean), the page clean and untagged, its bytes on the block;
 * the next store is a write-protect fault that dirties it again.
 */
Test(page_writeback, fsync_writes_and_write_protects)
{
	struct file *f = cold_file(4 * P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(store(mm, a + P + 8, 0x22).sig, SIG_NONE);
	cr_assert_eq(vfs_fsync_range(k, f, 0, INT64_MAX, 0), 0);
	cr_assert_not(cached(f, 1)->flags & PG_dirty);
	cr_assert_not(dirty_tag(f, 1));
	cr_assert_not(pte_write(pte_at(mm, a + P)));
	cr_assert_not(pte_dirty(pte_at(mm, a + P)));
	cr_assert_eq(block_word(f, 1, 8), 0x22);
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 1))));
	cr_assert_eq(store(mm, a + P + 8, 0x33).nr_faults, 1, "wp_page_shared");
	cr_assert(cached(f, 1)->flags & PG_dirty);
	cr_assert(pte_write(pte_at(mm, a + P)));
	cr_assert_eq(block_word(f, 1, 8), 0x22);
}

/* A store to a hole allocates its block at ->page_mkwrite (as -o nodelalloc). */
Test(page_writeback, store_to_a_hole_allocates)
{
	struct file *f = open_inode(ext4_create(k, false, 4 * P), FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(state(f, 2), BLOCK_HOLE);
	cr_assert_eq(store(mm, a + 2 * P, 0x44).sig, SIG_NONE);
	cr_assert_eq(state(f, 2), BLOCK_MAPPED);
	cr_assert_eq(f->inode->i_blocks, 1);
	cr_assert_eq(state(f, 1), BLOCK_HOLE, "read around, not allocated");
}

/*
 * page_mkclean() touches shared VMAs only: a private mapping's read-only
 * PTE on the page stays as it is.
 */
Test(page_writeback, page_mkclean_skips_private_vmas)
{
	struct file *f = cold_file(P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, P, PROT_READ, MAP_PRIVATE, 0);
	pte_t before;

	cr_assert_eq(store(mm, s, 0x55).sig, SIG_NONE);
	cr_assert_eq(load(mm, p).value, 0x55);
	before = pte_at(mm, p);
	cr_assert_eq(page_mkclean(k, cached(f, 0)), 1);
	cr_assert_eq(pte_at(mm, p).val, before.val);
	cr_assert_not(pte_write(pte_at(mm, s)));
}

/*
 * invalidate_mapping_pages(): a mapped page and a dirty page stay, a clean
 * unmapped one goes; DAX entries are not pages.
 */
Test(page_writeback, invalidate_keeps_mapped_and_dirty_pages)
{
	struct file *f = cold_file(16 * P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(load(mm, a).sig, SIG_NONE);	/* reads [0, 16), maps 0 */
	cr_assert_eq(store(mm, a + 5 * P, 1).sig, SIG_NONE);	/* 5 dirty and mapped */
	cr_assert_eq(do_munmap(k, mm, a + 5 * P, P), 0);	/* 5 dirty, unmapped */
	cr_assert(cached(f, 5)->flags & PG_dirty);
	cr_assert_eq(invalidate_mapping_pages(k, &f->inode->i_data, 0, ~0UL), 14);
	cr_assert_not_null(cached(f, 0), "mapped");
	cr_assert_not_null(cached(f, 5), "dirty");
	cr_assert_null(cached(f, 1));
	cr_assert_eq(f->inode->i_data.nrpages, 2);
}

/* zap_pte_range(): a dirty PTE dirties its page-cache page. */
Test(page_writeback, zap_moves_the_dirty_bit)
{
	struct file *f = cold_file(P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct page *page;

	cr_assert_eq(store(mm, a, 2).sig, SIG_NONE);
	page = cached(f, 0);
	/* as writeback without page_mkclean would leave it: page clean, PTE dirty */
	page->flags &= ~PG_dirty;
	cr_assert_eq(do_munmap(k, mm, a, P), 0);
	cr_assert(page->flags & PG_dirty);
	cr_assert(dirty_tag(f, 0));
}
