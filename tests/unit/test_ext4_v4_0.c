// SPDX-License-Identifier: GPL-2.0
/*
 * model/ext4-v4.0.c: ext4's DAX side in Linux v4.0 (dax-2014): get_block,
 * the tables, truncate, punch hole, fallocate and fsync as v4.0 has them
 * (docs/eras/dax-2014.md).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "fixture.h"

#include "dax-v4.0.h"
#include "pagemap.h"

TestSuite(ext4_v4_0, .init = fx_init_dax_2014, .fini = fx_fini);

Test(ext4_v4_0, the_v4_0_tables)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert_eq(f->f_op, &ext4_dax_file_operations);
	cr_assert_eq(f->inode->i_op, &ext4_file_inode_operations_v4_0);
	cr_assert_eq(vma->vm_ops, &ext4_dax_vm_ops_v4_0);
	cr_assert_not_null(vma->vm_ops->fault);
	cr_assert_not_null(vma->vm_ops->page_mkwrite);
	cr_assert_null(vma->vm_ops->pfn_mkwrite, "v4.1");
	cr_assert_null(vma->vm_ops->huge_fault, "v4.3's pmd_fault, later huge_fault");
	cr_assert_null(vma->vm_ops->map_pages);
	cr_assert(vma->vm_flags & VM_MIXEDMAP);
	cr_assert_not(vma->vm_flags & VM_HUGEPAGE);
	cr_assert_null(f->f_op->get_unmapped_area);
}

/* get_block(create=0) on a hole leaves the buffer_head untouched. */
Test(ext4_v4_0, get_block_hole)
{
	struct file *f = new_file(16 * P);
	struct buffer_head bh = { .b_size = PAGE_SIZE };

	cr_assert_eq(ext4_get_block(k, f->inode, 3, &bh, 0), 0);
	cr_assert_eq(bh.b_state, 0);
	cr_assert_eq(bh.b_size, PAGE_SIZE);
	cr_assert_eq(f->inode->i_blocks, 0);
}

/* create=1 allocates the lowest free block, new and mapped, not zeroed. */
Test(ext4_v4_0, get_block_create_allocates_without_zeroing)
{
	struct file *f = new_file(16 * P);
	struct buffer_head bh = { .b_size = PAGE_SIZE };
	uint8_t old[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, media[8];

	pmem_write_flush(k, block_pfn(0), 0, old, 8);	/* what the block held before */
	cr_assert_eq(ext4_get_block(k, f->inode, 3, &bh, 1), 0);
	cr_assert(buffer_mapped(&bh) && buffer_new(&bh));
	cr_assert_not(buffer_unwritten(&bh));
	cr_assert_eq(bh.b_blocknr, 0);
	cr_assert_null(bh.b_end_io);
	cr_assert_eq(block_of(f, 3), 0);
	pmem_read_media(k, block_pfn(0), 0, media, 8);
	cr_assert_eq(memcmp(media, old, 8), 0, "v4.0: no EXT4_GET_BLOCKS_ZERO");
	/* again: mapped, not new */
	memset(&bh, 0, sizeof(bh));
	bh.b_size = PAGE_SIZE;
	cr_assert_eq(ext4_get_block(k, f->inode, 3, &bh, 1), 0);
	cr_assert_eq(bh.b_state, BH_Mapped);
	cr_assert_eq(f->inode->i_blocks, 1);
}

/* An unwritten block: BH_Unwritten and ext4_end_io_unwritten, which converts. */
Test(ext4_v4_0, get_block_unwritten)
{
	struct file *f = new_file(16 * P);
	struct buffer_head bh = { .b_size = PAGE_SIZE };

	cr_assert_eq(vfs_fallocate(k, f, 0, 2 * P, P), 0);
	cr_assert_eq(ext4_get_block(k, f->inode, 2, &bh, 0), 0);
	cr_assert(buffer_unwritten(&bh));
	cr_assert_not(buffer_mapped(&bh));
	cr_assert_not_null(bh.b_end_io);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN);
	bh.b_end_io(k, &bh, 1);
	cr_assert_eq(state(f, 2), BLOCK_MAPPED);
}

/*
 * truncate: hole pages past EOF leave the cache; the last block's tail is
 * zeroed by CPU stores; blocks past EOF freed.
 */
Test(ext4_v4_0, truncate)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	store(mm, a + 0xff8, 0x77);
	pmem_flush(k, block_pfn(block_of(f, 0)), 0, PAGE_SIZE);
	for (int i = 1; i < 8; i++)
		load(mm, a + i * P);
	cr_assert_eq(f->inode->i_data.nrpages, 7);
	cr_assert_eq(vfs_truncate(k, f, 0x800), 0);
	cr_assert_eq(f->inode->i_data.nrpages, 0);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(k->dram.nr_used, 1, "only the zero page");
	cr_assert_eq(load(mm, a + 0xff8).value, 0);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))));
	cr_assert_eq(load(mm, a + P).sig, SIG_BUS);
	cr_assert_eq(vfs_truncate(k, f, 0), 0);
	cr_assert_eq(f->inode->i_blocks, 0);
}

/* punch: whole pages' hole pages and blocks go, partial blocks zeroed. */
Test(ext4_v4_0, punch_hole)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	load(mm, a + 2 * P);
	store(mm, a + 3 * P, 1);
	store(mm, a + 4 * P + 0xff8, 2);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				   2 * P, 2 * P + 0x800), 0);
	cr_assert_null(entry_at(f, 2));
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
	cr_assert_eq(state(f, 4), BLOCK_MAPPED, "partial: zeroed, kept");
	cr_assert_not(pte_present(pte_at(mm, a + 3 * P)));
	cr_assert_eq(load(mm, a + 4 * P + 0xff8).value, 2);
	cr_assert_eq(f->inode->i_size, 8 * P);
}

/*
 * fallocate modes v4.0 does not have: vfs_fallocate()'s mask (v4.0
 * fs/open.c) refuses INSERT_RANGE (v4.1) and UNSHARE_RANGE (v4.9) before
 * the exclusive-mode test, so INSERT with KEEP_SIZE is -EOPNOTSUPP too.
 */
Test(ext4_v4_0, fallocate_modes)
{
	struct file *f = new_file(8 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 0, P), -EOPNOTSUPP);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE, 0, P),
		     -EOPNOTSUPP);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_UNSHARE_RANGE, 0, P), -EOPNOTSUPP);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, P),
		     -EINVAL, "collapse only alone");
	cr_assert_eq(f->inode->i_size, 8 * P);
}

/*
 * ext4_collapse_range(), v4.0 fs/ext4/extents.c L5397: truncate_pagecache()
 * from the offset (hole pages deleted, every PTE from there unmapped, the
 * ones before kept), the range's blocks freed, the rest moved down with
 * their reverse map, i_size shrunk. A load faults the moved block in.
 */
Test(ext4_v4_0, collapse_shifts_blocks_and_unmaps_from_the_offset)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b0, b1, b3;
	struct inode *owner;
	pgoff_t index;

	store(mm, a, 0x10);
	store(mm, a + P, 0x11);
	cr_assert_eq(load(mm, a + 2 * P).value, 0);	/* a hole page */
	store(mm, a + 3 * P, 0x13);
	b0 = block_of(f, 0);
	b1 = block_of(f, 1);
	b3 = block_of(f, 3);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, P), 0);
	cr_assert_eq(f->inode->i_size, 3 * P);
	cr_assert_eq(block_of(f, 0), b0);
	cr_assert_eq(state(f, 1), BLOCK_HOLE, "index 2's hole moved down");
	cr_assert_eq(block_of(f, 2), b3);
	cr_assert_not(ext4_block_owner(k, b1, &owner, &index), "freed");
	cr_assert(ext4_block_owner(k, b3, &owner, &index) && index == 2);
	cr_assert_null(entry_at(f, 2), "the hole page is deleted");
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert(pte_none(pte_at(mm, a + 3 * P)));
	cr_assert_eq(load(mm, a + P).value, 0);
	cr_assert_eq(load(mm, a + 2 * P).value, 0x13);
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_BUS);
}

/* -EINVAL: not block aligned, or reaching EOF ("effectively a truncate") */
Test(ext4_v4_0, collapse_errors)
{
	struct file *f = new_file(4 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 0x800, P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, 0x800), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, 3 * P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 4 * P, P), -EINVAL);
	cr_assert_eq(f->inode->i_size, 4 * P);
	cr_assert_null(k->not_modelled);
}

/*
 * zero range: whole blocks unwritten (holes allocated, written converted),
 * their hole pages dropped; partial written blocks zeroed by CPU stores.
 */
Test(ext4_v4_0, zero_range)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	store(mm, a + P + 0xff8, ~0ULL);
	store(mm, a + 2 * P, 5);
	load(mm, a + 3 * P);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE, P + 0x800, 3 * P), 0);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN, "written -> unwritten");
	cr_assert_eq(state(f, 3), BLOCK_UNWRITTEN, "hole -> unwritten");
	cr_assert_eq(state(f, 4), BLOCK_HOLE, "partial and a hole: nothing");
	cr_assert_null(entry_at(f, 3));
	cr_assert_not(pte_present(pte_at(mm, a + 2 * P)));
	cr_assert_eq(load(mm, a + P + 0xff8).value, 0);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 1))));
	cr_assert_eq(f->inode->i_size, 8 * P, "inside i_size");
	/* past EOF, no KEEP_SIZE: i_size to the end, whole blocks from start */
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE, 8 * P, 2 * P + 1), 0);
	cr_assert_eq(f->inode->i_size, 10 * P + 1);
	cr_assert_eq(state(f, 9), BLOCK_UNWRITTEN);
	cr_assert_eq(state(f, 10), BLOCK_UNWRITTEN, "max_blocks += 1 for the partial last block");
}

/*
 * write(2) inside i_size: ext4_get_block_write makes the holes unwritten,
 * one run for the whole write, converted after the copy; the copy and the
 * zeroing around it are CPU stores; hole pages of the range are dropped.
 */
Test(ext4_v4_0, write_inside_i_size)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ, MAP_SHARED, 0);
	char buf[P + 8];

	load(mm, a + P);
	load(mm, a + 3 * P);
	memset(buf, 0x61, sizeof(buf));
	cr_assert_eq(vfs_write(k, f, P + 100, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	cr_assert_eq(block_of(f, 1), 0);
	cr_assert_eq(block_of(f, 2), 1, "one run");
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
	cr_assert_not(pmem_page_durable(k, block_pfn(0)));
	cr_assert_eq(f->inode->i_size, 8 * P);
	cr_assert_null(entry_at(f, 1), "the hole page went");
	cr_assert_eq(entry_at(f, 3) != NULL, true, "outside the write: kept");
	cr_assert_not(pte_present(pte_at(mm, a + P)));
	cr_assert_eq(load(mm, a + P + 96).value, 0x6161616100000000ULL, "zeroed before the write");
	/* the write ends at 2P + 108 */
	cr_assert_eq(load(mm, a + 2 * P + 112).value, 0, "zeroed after it");
	cr_assert_eq(load(mm, a + 2 * P + 104).value, 0x0000000061616161ULL);
}

/* write(2) past i_size: written blocks, i_size the end of the write. */
Test(ext4_v4_0, write_past_i_size)
{
	struct file *f = new_file(0);

	cr_assert_eq(vfs_write(k, f, 2 * P + 1, "xyz", 3), 3);
	cr_assert_eq(f->inode->i_size, 2 * P + 4);
	cr_assert_eq(state(f, 2), BLOCK_MAPPED);
	cr_assert_eq(state(f, 0), BLOCK_HOLE);
	cr_assert_eq(vfs_write(k, f, 0, "", 0), 0);
}

/* write(2) with no free block: -ENOSPC, nothing written, i_size kept. */
Test(ext4_v4_0, write_enospc)
{
	struct file *f = new_file(4 * P);
	struct file *all = new_file(0);

	cr_assert_eq(vfs_fallocate(k, all, 0, 0, (loff_t)k->sb.nr_blocks * P), 0);
	cr_assert_eq(vfs_write(k, f, 0, "x", 1), -ENOSPC);
	cr_assert_eq(vfs_write(k, f, 4 * P, "x", 1), -ENOSPC);
	cr_assert_eq(f->inode->i_size, 4 * P);
	cr_assert_null(k->not_modelled);
}

/* fsync and msync flush nothing and leave the PTE writable. */
Test(ext4_v4_0, fsync_flushes_nothing)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	store(mm, a, 1);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	cr_assert_eq(do_msync(k, mm, a, 8 * P, MS_SYNC), 0);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))));
	cr_assert(pte_write(pte_at(mm, a)));
}

/* Page-cache (non-DAX) files under v4.0 (docs/eras/dax-2014.md §P) */

static uint64_t pc_block_word(struct file *f, pgoff_t index, unsigned off)
{
	uint64_t v = 0;

	pmem_read(k, block_pfn(block_of(f, index)), off, &v, 8);
	return v;
}

/*
 * write(2): generic_perform_write() (v4.0 ext4_file_write_iter() L92 ->
 * __generic_file_write_iter()): the page dirty in the cache, the block
 * not written; fsync (ext4_sync_file() -> filemap_write_and_wait_range())
 * writes it and cleans the page.
 */
Test(ext4_v4_0, pagecache_write_then_fsync)
{
	struct file *f = cold_file(4 * P, 0x11);
	uint64_t v = 0x2222222222222222ULL;

	cr_assert_eq(vfs_write(k, f, P, &v, 8), 8);
	cr_assert(cached(f, 1)->flags & PG_dirty);
	cr_assert_eq(pc_block_word(f, 1, 0), 0x1111111111111111ULL);
	cr_assert_eq(vfs_fsync_range(k, f, 0, 4 * P - 1, 0), 0);
	cr_assert_not(cached(f, 1)->flags & PG_dirty);
	cr_assert_not(dirty_tag(f, 1));
	cr_assert_eq(pc_block_word(f, 1, 0), v);
}

/*
 * ftruncate to 1.5 pages (ext4_setattr() L4528, ext4_truncate() ->
 * ext4_block_truncate_page() -> __ext4_block_zero_page_range()): the
 * pages from 2 on leave the cache, the blocks from 2 on are freed, the
 * tail of page 1 past i_size is zero in the cache and on the block.
 */
Test(ext4_v4_0, pagecache_truncate)
{
	struct file *f = cold_file(4 * P, 0x11);
	uint8_t buf[4 * P];
	uint64_t v = 0;

	cr_assert_eq(vfs_read(k, f, 0, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	cr_assert_not_null(cached(f, 3));
	cr_assert_eq(vfs_truncate(k, f, P + P / 2), 0);
	cr_assert_eq(f->inode->i_size, P + P / 2);
	cr_assert_null(cached(f, 2));
	cr_assert_null(cached(f, 3));
	cr_assert_eq(state(f, 2), BLOCK_HOLE);
	page_read(cached(f, 1), P / 2, &v, 8);
	cr_assert_eq(v, 0);
	cr_assert_eq(pc_block_word(f, 1, P / 2), 0);
	cr_assert_eq(pc_block_word(f, 1, P / 2 - 8), 0x1111111111111111ULL);
}

/*
 * ext4_zero_range(), v4.0 fs/ext4/extents.c L4774: the DIRTY pages of the
 * range are written back first (v4.14 no longer does): a dirty page 0,
 * zeroed from byte 8 to 16, is clean after, and its block holds the
 * written word and the zeroes.
 */
Test(ext4_v4_0, pagecache_zero_range_writes_back_first)
{
	struct file *f = cold_file(4 * P, 0x11);
	uint64_t v = 0x3333333333333333ULL;

	cr_assert_eq(vfs_write(k, f, 0, &v, 8), 8);
	cr_assert(cached(f, 0)->flags & PG_dirty);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 8, 8), 0);
	cr_assert_not(cached(f, 0)->flags & PG_dirty);
	cr_assert_eq(pc_block_word(f, 0, 0), v);
	cr_assert_eq(pc_block_word(f, 0, 8), 0);
	cr_assert_eq(pc_block_word(f, 0, 16), 0x1111111111111111ULL);
}

/*
 * ext4_punch_hole(), v4.0 L3414: with DIRTY pages in the cache,
 * filemap_write_and_wait_range() over the range asked first: page 0
 * (dirty, partly punched) is written back and clean; page 1 is punched
 * whole (its block freed).
 */
Test(ext4_v4_0, pagecache_punch_writes_back_first)
{
	struct file *f = cold_file(4 * P, 0x11);
	uint64_t v = 0x4444444444444444ULL;

	cr_assert_eq(vfs_write(k, f, 0, &v, 8), 8);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, P / 2,
				   P + P / 2), 0);
	cr_assert_not(cached(f, 0)->flags & PG_dirty);
	cr_assert_eq(pc_block_word(f, 0, 0), v);
	cr_assert_eq(pc_block_word(f, 0, P / 2), 0);
	cr_assert_eq(state(f, 1), BLOCK_HOLE);
	cr_assert_eq(f->inode->i_size, 4 * P);
}

/* ---- i_data_sem under two tasks ---- */

#include "ext4.h"
#include "lock.h"
#include "task.h"

struct two_gets {
	struct inode *inode;
	struct buffer_head bh[2];
};

static void get_block_create_2(struct kernel *kk, void *arg)
{
	struct two_gets *r = arg;
	struct buffer_head *bh = &r->bh[kk->current - 1];

	bh->b_size = P;
	cr_assert_eq(ext4_get_block(kk, r->inode, 2, bh, 1), 0);
}

/*
 * Two ext4_get_block(create 1) at index 2 of a hole, v4.0, switching at
 * every point: ext4_map_blocks() (fs/ext4/inode.c L460) looks up under
 * i_data_sem shared (L515), takes it exclusive to allocate (L588), where
 * ext4_ext_map_blocks() looks again. One gets the block BH_New (fs/dax.c
 * zeroes it), the other the same block without BH_New.
 */
Test(ext4_v4_0, two_get_blocks_allocate_once)
{
	struct two_gets r = { .inode = ext4_create(k, true, 8 * P) };

	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, get_block_create_2, &r);
	kthread_create(k, NULL, get_block_create_2, &r);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(r.bh[0].b_blocknr, r.bh[1].b_blocknr);
	cr_assert(buffer_mapped(&r.bh[0]) && buffer_mapped(&r.bh[1]));
	cr_assert_eq(!!buffer_new(&r.bh[0]) + !!buffer_new(&r.bh[1]), 1);
	cr_assert_eq(r.inode->i_blocks, 1);
	cr_assert_not(lock_held(&r.inode->i_data_sem));
	cr_assert_str_eq(r.inode->i_data_sem.name, "i_data_sem");
}

/* bug-alloc-no-recheck: two blocks, both BH_New. */
Test(ext4_v4_0, two_get_blocks_without_recheck_allocate_twice)
{
	struct two_gets r = { .inode = ext4_create(k, true, 8 * P) };

	k->policy.sw[SW_BUG_ALLOC_NO_RECHECK] = 1;
	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, get_block_create_2, &r);
	kthread_create(k, NULL, get_block_create_2, &r);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_neq(r.bh[0].b_blocknr, r.bh[1].b_blocknr);
	cr_assert(buffer_new(&r.bh[0]) && buffer_new(&r.bh[1]));
	cr_assert_eq(r.inode->i_blocks, 2);
}

/*
 * v4.0's punch hole has no lock against faults (no i_mmap_sem): a fault
 * that got block 1 from get_block before the punch and maps it after the
 * punch's second truncate_pagecache_range() (L3510-L3513, "to reduce race
 * window") leaves a PTE on a free block, the kernel's own race
 * (ext4_punch_hole(), fs/ext4/inode.c L3399-L3513;
 * examples/dax-2014-fault-races-punch.scn). Among the schedules of 10
 * choices some do; a fault that ends before the punch is unmapped by it,
 * one that starts after it maps the hole page: every PTE left on pmem is
 * on the freed block.
 */
Test(ext4_v4_0, punch_races_fault)
{
	struct fx_fault_race_outcome o;

	fx_fault_race(fx_init_dax_2014, -1, true, 10, &o);
	cr_assert_gt(o.freed, 0);
	cr_assert_eq(o.mapped, o.freed);
}
