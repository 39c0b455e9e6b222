// SPDX-License-Identifier: GPL-2.0
/*
 * model/ext4-v4.5.c: Linux v4.5's ext4 DAX side under dax-2016:
 * ext4_dax_mmap_get_block() (zeroing and converting), ext4_setattr(),
 * ext4_punch_hole() without writeback, fsync, and write(2) through
 * generic_file_direct_write(). docs/eras/dax-2016.md is the source.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "pagemap.h"

TestSuite(ext4_v4_5, .init = fx_init_dax_2016, .fini = fx_fini);

/*
 * ext4_dax_mmap_get_block() converts an unwritten extent even for a read
 * fault (create 0), zeroing it through the pmem driver: durable, written.
 */
Test(ext4_v4_5, read_fault_converts_unwritten)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_KEEP_SIZE, 0, 4 * P), 0);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN);
	cr_assert_eq(load(mm, a + 2 * P).value, 0);
	cr_assert_eq(state(f, 2), BLOCK_MAPPED);
	cr_assert_eq(state(f, 3), BLOCK_UNWRITTEN, "the request is one page");
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 2))));
	cr_assert(radix_tree_exceptional_entry(entry_at(f, 2)));
}

/* A hole allocated by a write fault is zeroed durably by ext4 itself. */
Test(ext4_v4_5, write_fault_allocates_zeroed)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint8_t buf[16];

	store(mm, a + 8, 0x11);
	pmem_read_media(k, block_pfn(block_of(f, 0)), 64, buf, sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0, "the zeroes are on the media");
}

/* ext4_setattr(): a grow frees nothing, a shrink frees what is past EOF */
Test(ext4_v4_5, setattr_truncates_blocks_when_shrinking)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	store(mm, a + 3 * P, 1);
	cr_assert_eq(vfs_truncate(k, f, 8 * P), 0);
	cr_assert_eq(state(f, 3), BLOCK_MAPPED);
	cr_assert_eq(vfs_truncate(k, f, 2 * P), 0);
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
	cr_assert_null(entry_at(f, 3), "deleted, dirty or not");
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_BUS);
}

/* ext4_punch_hole(): no hole page, so no writeback: the dirty entry just goes */
Test(ext4_v4_5, punch_deletes_dirty_entries_unflushed)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b;

	store(mm, a + P, 1);
	store(mm, a + 2 * P, 2);
	b = block_of(f, 2);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, P, P), 0);
	cr_assert_null(entry_at(f, 1));
	cr_assert(dirty_tag(f, 2), "outside the hole");
	cr_assert_not(pmem_page_durable(k, block_pfn(b)), "nothing was written back");
}

/*
 * write(2): filemap_write_and_wait_range() first flushes the DIRTY entries
 * of the range (TOWRITE cleared, DIRTY kept); dax_io's stores are durable.
 */
Test(ext4_v4_5, write_writes_back_the_range_first)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	char buf[8] = "abcdefg";

	store(mm, a + P, 1);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 1))));
	cr_assert_eq(vfs_write(k, f, P + 100, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 1))));
	cr_assert(dirty_tag(f, 1));
	cr_assert_not(tag(f, 1, PAGECACHE_TAG_TOWRITE));
	cr_assert_eq(vfs_write(k, f, 3 * P, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 3))), "copy_from_iter_pmem, wmb_pmem");
}

/*
 * write(2) with hole pages in the mapping: invalidate_inode_pages2_range()
 * unmaps and drops them and deletes the DAX entries of the range
 * (clear_exceptional_entry) without unmapping their PTEs.
 */
Test(ext4_v4_5, write_invalidates_hole_pages_and_entries)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	char buf[8] = "abcdefg";

	store(mm, a, 1);
	load(mm, a + P);
	cr_assert_eq(f->inode->i_data.nrpages, 1);
	cr_assert_eq(vfs_write(k, f, 0, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	cr_assert_null(entry_at(f, 0), "the DAX entry of the range is deleted");
	cr_assert(pte_write(pte_at(mm, a)), "its PTE is not unmapped: stores go untracked");
	cr_assert_eq(f->inode->i_data.nrpages, 1, "index 1 is outside this write");
	cr_assert_eq(vfs_write(k, f, P, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	cr_assert_eq(f->inode->i_data.nrpages, 0);
	cr_assert_eq(load(mm, a + P).value, 0x0067666564636261ULL);
}

/*
 * ext4_punch_hole() with a hole page in the mapping and a DIRTY entry:
 * mapping->nrpages && mapping_tagged(DIRTY) (L3735): the range is
 * written back before its entries and blocks go.
 */
Test(ext4_v4_5, punch_writes_back_when_there_are_hole_pages)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b;

	store(mm, a + P, 1);
	b = block_of(f, 1);
	load(mm, a + 3 * P);
	cr_assert_eq(f->inode->i_data.nrpages, 1);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, P, P), 0);
	cr_assert_null(entry_at(f, 1));
	cr_assert(pmem_page_durable(k, block_pfn(b)), "flushed before it was freed");
}

/* ext4_setattr(): shrink is ia_size <= i_size, so the same size zeroes the tail too */
Test(ext4_v4_5, setattr_same_size_zeroes_the_tail)
{
	struct file *f = new_file(0);
	char buf[P];

	memset(buf, 9, sizeof(buf));
	cr_assert_eq(vfs_write(k, f, 0, buf, P), (ssize_t)P);
	cr_assert_eq(vfs_truncate(k, f, 100), 0);
	memset(buf, 9, sizeof(buf));
	pmem_write_flush(k, block_pfn(block_of(f, 0)), 200, buf, 8);	/* past EOF */
	cr_assert_eq(vfs_truncate(k, f, 100), 0);
	pmem_read_media(k, block_pfn(block_of(f, 0)), 200, buf, 8);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(buf[i], 0, "ext4_truncate zeroed the tail again (durably)");
}

/* read(2): generic_file_read_iter() writes back the range's DIRTY entries first */
Test(ext4_v4_5, read_writes_back_the_range_first)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint64_t v = 0;

	store(mm, a + P, 0x42);
	store(mm, a + 2 * P, 0x43);
	cr_assert_eq(vfs_read(k, f, P, &v, sizeof(v)), (ssize_t)sizeof(v));
	cr_assert_eq(v, 0x42);
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 1))));
	cr_assert(dirty_tag(f, 1), "DIRTY kept");
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 2))), "outside the range");
}

/* Page-cache (non-DAX) files under v4.5 (docs/eras/dax-2016.md §P) */

static uint64_t pc_block_word(struct file *f, pgoff_t index, unsigned off)
{
	uint64_t v = 0;

	pmem_read(k, block_pfn(block_of(f, index)), off, &v, 8);
	return v;
}

/*
 * write(2) then fsync: v4.5 ext4_sync_file() -> filemap_write_and_wait_range()
 * (L509: the mapping has pages) -> ext4_writepages(): the page's bytes on
 * its block, the page clean.
 */
Test(ext4_v4_5, pagecache_write_then_fsync)
{
	struct file *f = cold_file(4 * P, 0x11);
	uint64_t v = 0x2222222222222222ULL;

	cr_assert_eq(vfs_write(k, f, 2 * P + 8, &v, 8), 8);
	cr_assert(dirty_tag(f, 2));
	cr_assert_eq(vfs_fsync_range(k, f, 0, 4 * P - 1, 0), 0);
	cr_assert_not(dirty_tag(f, 2));
	cr_assert_eq(pc_block_word(f, 2, 8), v);
	cr_assert_eq(pc_block_word(f, 2, 0), 0x1111111111111111ULL);
}

/*
 * ftruncate to 1.5 pages (ext4_setattr() L4882: shrink, under i_mmap_sem
 * truncate_pagecache() and ext4_truncate() -> __ext4_block_zero_page_range()):
 * a mapped page past the new EOF is unmapped and gone, the tail of page 1
 * zero.
 */
Test(ext4_v4_5, pagecache_truncate_unmaps)
{
	struct file *f = cold_file(4 * P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_NONE);
	cr_assert_eq(vfs_truncate(k, f, P + P / 2), 0);
	cr_assert_null(cached(f, 3));
	cr_assert(pte_none(pte_at(mm, a + 3 * P)));
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_BUS);
	cr_assert_eq(load(mm, a + P + P / 2).value, 0);
	cr_assert_eq(pc_block_word(f, 1, P / 2), 0);
}
