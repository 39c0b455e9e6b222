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

/*
 * ext4_zero_range(), v4.5 fs/ext4/extents.c L4754: the whole blocks are
 * unmapped and their entries deleted (truncate_pagecache_range, under
 * i_mmap_sem, no writeback first), then become unwritten on the same
 * blocks (CONVERT_UNWRITTEN); a fault then converts and zeroes them again.
 */
Test(ext4_v4_5, zero_range_interior_unwritten_unmapped)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b1, b2;

	store(mm, a, 0x10);
	store(mm, a + P, 0x11);
	store(mm, a + 2 * P, 0x22);
	b1 = block_of(f, 1);
	b2 = block_of(f, 2);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE, P, 2 * P), 0);
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	cr_assert(pte_present(pte_at(mm, a)), "outside the range");
	cr_assert_null(entry_at(f, 1));
	cr_assert_null(entry_at(f, 2));
	cr_assert_not(pmem_page_durable(k, block_pfn(b2)), "deleted dirty, unflushed");
	cr_assert_eq(state(f, 1), BLOCK_UNWRITTEN);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN);
	cr_assert_eq(load(mm, a + P).value, 0);
	cr_assert_eq(block_of(f, 1), b1, "converted in place");
	cr_assert_eq(load(mm, a).value, 0x10);
	cr_assert_eq(f->inode->i_size, 4 * P);
}

/*
 * Partial blocks: ext4_alloc_file_blocks() over both (a hole becomes
 * unwritten), then ext4_zero_partial_blocks() -> dax_zero_page_range():
 * the written block is zeroed from 100 on, durably, under its PTE, which
 * stays; the unwritten one is not touched (buffer_written() is false).
 */
Test(ext4_v4_5, zero_range_partial_blocks_zeroed_under_the_mapping)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b0;

	store(mm, a + 96, 0x55);
	store(mm, a + P - 8, 0x66);
	b0 = block_of(f, 0);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE, 100, P), 0);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert_eq(block_of(f, 0), b0);
	cr_assert_eq(load(mm, a + P - 8).value, 0, "zeroed through the same block");
	cr_assert_eq(load(mm, a + 96).value & 0xffffffff, 0x55, "bytes 96..99 are kept");
	cr_assert_eq(state(f, 1), BLOCK_UNWRITTEN, "the hole at the far end");
	cr_assert_eq(f->inode->i_size, 4 * P);
}

/*
 * Past EOF without KEEP_SIZE: the partial blocks' allocation (blocks 2 and
 * 3) grows i_size block by block up to the new size, 3P + 100; with
 * KEEP_SIZE the blocks are unwritten past an unchanged EOF.
 */
Test(ext4_v4_5, zero_range_size)
{
	struct file *f = new_file(2 * P), *g = new_file(2 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE, 2 * P, P + 100), 0);
	cr_assert_eq(f->inode->i_size, 3 * P + 100);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN);
	cr_assert_eq(state(f, 3), BLOCK_UNWRITTEN);
	cr_assert_eq(vfs_fallocate(k, g, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
				   2 * P, P + 100), 0);
	cr_assert_eq(g->inode->i_size, 2 * P);
	cr_assert_eq(state(g, 3), BLOCK_UNWRITTEN);
}

/*
 * ext4_collapse_range(), v4.5 L5458: the range's blocks are freed, the
 * rest move down (the reverse map with them), i_size shrinks; every PTE
 * and entry from the offset on is gone (truncate_pagecache), the ones
 * before stay; a load faults the moved block in at its new offset.
 */
Test(ext4_v4_5, collapse_shifts_blocks_and_unmaps_from_the_offset)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b1, b2, b3;
	struct inode *owner;
	pgoff_t index;

	for (int i = 0; i < 4; i++)
		store(mm, a + i * P, 0x10 + i);
	b1 = block_of(f, 1);
	b2 = block_of(f, 2);
	b3 = block_of(f, 3);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, P), 0);
	cr_assert_eq(f->inode->i_size, 3 * P);
	cr_assert_eq(block_of(f, 1), b2);
	cr_assert_eq(block_of(f, 2), b3);
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
	cr_assert_not(ext4_block_owner(k, b1, &owner, &index), "freed");
	cr_assert(ext4_block_owner(k, b3, &owner, &index));
	cr_assert_eq(index, 2, "the reverse map moved too");
	cr_assert(pte_present(pte_at(mm, a)));
	for (int i = 1; i < 4; i++) {
		cr_assert(pte_none(pte_at(mm, a + i * P)), "page %d", i);
		cr_assert_null(entry_at(f, i));
	}
	cr_assert_eq(load(mm, a + P).value, 0x12);
	cr_assert_eq(load(mm, a + 2 * P).value, 0x13);
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_BUS);
}

/*
 * The moving part's DIRTY entries are written back first
 * (filemap_write_and_wait_range -> dax_writeback_mapping_range, L5537):
 * the data is durable on its block although the entry is then deleted.
 */
Test(ext4_v4_5, collapse_writes_back_what_moves)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b3;

	store(mm, a + 3 * P, 0x33);
	b3 = block_of(f, 3);
	cr_assert_not(pmem_page_durable(k, block_pfn(b3)));
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 0, P), 0);
	cr_assert(pmem_page_durable(k, block_pfn(b3)));
	cr_assert_eq(block_of(f, 2), b3);
}

/* Unwritten extents move as they are. */
Test(ext4_v4_5, collapse_keeps_unwritten_extents)
{
	struct file *f = new_file(4 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_KEEP_SIZE, 2 * P, 2 * P), 0);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 2 * P, 2 * P), -EINVAL,
		     "reaching EOF");
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 0, P), 0);
	cr_assert_eq(state(f, 1), BLOCK_UNWRITTEN);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN);
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
}

/* -EINVAL: not block aligned, reaching EOF, or with another mode (vfs_fallocate) */
Test(ext4_v4_5, collapse_errors)
{
	struct file *f = new_file(4 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 100, P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, P + 1), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 2 * P, 2 * P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 3 * P, 2 * P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE,
				   0, P), -EINVAL);
	cr_assert_eq(f->inode->i_size, 4 * P);
}

/*
 * ext4_insert_range(), v4.5 L5602: i_size grows by the length, every
 * block from the offset on moves up, leaving a hole; the PTEs from the
 * offset on go, the ones before stay.
 */
Test(ext4_v4_5, insert_shifts_blocks_up)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b1;

	store(mm, a, 0x10);
	store(mm, a + P, 0x11);
	b1 = block_of(f, 1);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, P, 2 * P), 0);
	cr_assert_eq(f->inode->i_size, 4 * P);
	cr_assert_eq(state(f, 1), BLOCK_HOLE);
	cr_assert_eq(state(f, 2), BLOCK_HOLE);
	cr_assert_eq(block_of(f, 3), b1);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert_eq(load(mm, a + P).value, 0);
	cr_assert_eq(load(mm, a + 3 * P).value, 0x11);
}

/*
 * -EINVAL: not aligned, at or past EOF, with another mode; -EFBIG past
 * s_maxbytes. A shift that would carry a block past EXT_MAX_BLOCKS is not
 * modelled under v4.5 (no check there: the 32-bit ee_block wraps).
 */
Test(ext4_v4_5, insert_errors)
{
	struct file *f = new_file(2 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 100, P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 0, 100), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 2 * P, P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE, 0, P),
		     -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 0, k->sb.s_maxbytes - P),
		     -EFBIG);
	cr_assert_eq(f->inode->i_size, 2 * P);
	cr_assert_null(k->not_modelled);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_KEEP_SIZE, k->sb.s_maxbytes - P, P), 0);
	vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 0, P);
	cr_assert_not_null(k->not_modelled);
}

/* UNSHARE_RANGE (v4.9) is outside v4.5's mask */
Test(ext4_v4_5, unshare_is_not_supported)
{
	struct file *f = new_file(2 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_UNSHARE_RANGE, 0, P), -EOPNOTSUPP);
}

/*
 * v4.5 ext4_dax_fault() takes i_mmap_sem for read (fs/ext4/file.c
 * L196-L225), ext4_punch_hole() for write (fs/ext4/inode.c L3778-L3841):
 * under every schedule of 10 choices no PTE is left on the punched block.
 * With bug-fault-no-i-mmap-sem the fault that got block 1 from get_block
 * maps it after the punch freed it. A truncate is still caught without
 * the lock: dax_insert_mapping() looks at i_size again under
 * i_mmap_rwsem (fs/dax.c L544), which the truncate's unmap takes.
 */
Test(ext4_v4_5, fault_i_mmap_sem_excludes_punch)
{
	struct fx_fault_race_outcome o;

	fx_fault_race(fx_init_dax_2016, -1, true, 10, &o);
	cr_assert_eq(o.freed, 0);
	fx_fault_race(fx_init_dax_2016, SW_BUG_FAULT_NO_I_MMAP_SEM, true, 10, &o);
	cr_assert_gt(o.freed, 0);
	fx_fault_race(fx_init_dax_2016, SW_BUG_FAULT_NO_I_MMAP_SEM, false, 10, &o);
	cr_assert_eq(o.past_eof, 0);
}
