// SPDX-License-Identifier: GPL-2.0
/*
 * The fault side of page-cache (non-DAX) files, v4.14: model/filemap.c
 * filemap_fault() and filemap_map_pages(), model/readahead.c (mmap
 * read-around, the PG_readahead marker, async readahead),
 * model/ext4_readpage.c (ext4_readpage(s) from the blocks, ext4_file_vm_ops)
 * and do_fault_around() in model/memory.c. Each expected value is derived
 * in its comment from the v4.14 source.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "lock.h"
#include "pagemap.h"

TestSuite(filemap_fault, .init = fx_init, .fini = fx_fini);

/*
 * A miss: do_sync_mmap_readahead() reads around the fault (ra->start =
 * max(0, 40 - 32/2) = 24, size 32, async_size 8: [24, 56), the marker at
 * 24 + 32 - 8 = 48), the fault is major, the page comes back locked,
 * uptodate, with the caller's reference and the cache's.
 */
Test(filemap_fault, miss_reads_around_and_is_major)
{
	struct file *f = cold_file(64 * P, 0x5a);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 64 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_fault vmf = fault_at(mm, a + 40 * P, 0);
	uint64_t v = 0;
	int ret = filemap_fault(k, &vmf);

	cr_assert_eq(ret, VM_FAULT_MAJOR | VM_FAULT_LOCKED);
	cr_assert_eq(vmf.page, cached(f, 40));
	cr_assert(vmf.page->flags & PG_locked);
	cr_assert(vmf.page->flags & PG_uptodate);
	cr_assert_eq(vmf.page->refcount, 2);
	page_read(vmf.page, 0, &v, 8);
	cr_assert_eq(v, 0x5a5a5a5a5a5a5a5aULL, "read from the block");
	cr_assert_null(cached(f, 23));
	for (pgoff_t i = 24; i < 56; i++) {
		cr_assert_not_null(cached(f, i), "index %lu", i);
		cr_assert_eq(!!(cached(f, i)->flags & PG_readahead), i == 48, "index %lu", i);
		cr_assert_eq(!!(cached(f, i)->flags & PG_locked), i == 40, "index %lu", i);
	}
	cr_assert_null(cached(f, 56));
	cr_assert_eq(f->inode->i_data.nrpages, 32);
	cr_assert_eq(f->f_ra.start, 24);
	cr_assert_eq(f->f_ra.size, 32);
	cr_assert_eq(f->f_ra.async_size, 8);
	cr_assert_eq(f->f_ra.mmap_miss, 1);
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
}

/*
 * A hit on the marker: do_async_mmap_readahead() clears it and
 * ondemand_readahead() sees the expected offset (48 == 24 + 32 - 8): the
 * window moves to [56, 88), ramped to min(2 * 32, 32) = 32 with
 * async_size 32, so its marker is its first page, 56. Minor.
 */
Test(filemap_fault, marker_hit_reads_the_next_window)
{
	struct file *f = cold_file(128 * P, 1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 128 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_fault vmf = fault_at(mm, a + 40 * P, 0);
	int ret = filemap_fault(k, &vmf);

	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
	vmf = fault_at(mm, a + 48 * P, 0);
	ret = filemap_fault(k, &vmf);
	cr_assert_eq(ret, VM_FAULT_LOCKED, "found: minor");
	cr_assert_not(vmf.page->flags & PG_readahead);
	cr_assert_eq(f->f_ra.start, 56);
	cr_assert_eq(f->f_ra.size, 32);
	cr_assert_eq(f->f_ra.async_size, 32);
	cr_assert(cached(f, 56)->flags & PG_readahead);
	cr_assert_not_null(cached(f, 87));
	cr_assert_null(cached(f, 88));
	cr_assert_eq(f->f_ra.mmap_miss, 0, "a hit takes a miss back");
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
}

/* Readahead stops at i_size: a 5-page file reads 5 pages, no marker past it. */
Test(filemap_fault, readahead_stops_at_eof)
{
	struct file *f = cold_file(5 * P - 100, 7);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_fault vmf = fault_at(mm, a, 0);
	uint64_t v = 1;

	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_MAJOR | VM_FAULT_LOCKED);
	cr_assert_eq(f->inode->i_data.nrpages, 5);
	for (pgoff_t i = 0; i < 5; i++)
		cr_assert_not(cached(f, i)->flags & PG_readahead);
	/* the last page's bytes past i_size read zero */
	page_read(cached(f, 4), P - 100, &v, 8);
	cr_assert_eq(v, 0);
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
	/* at or past i_size: SIGBUS before any lookup */
	vmf = fault_at(mm, a + 5 * P, 0);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_SIGBUS);
}

/*
 * ra_pages 0 (read-ahead off): no read-around; page_cache_read() adds the
 * one page, still a major fault. A hole reads zero.
 */
Test(filemap_fault, no_readahead_reads_one_page)
{
	struct inode *inode = ext4_create(k, false, 16 * P);
	struct file *f;
	struct mm_struct *mm = mm_create(k);
	struct vm_fault vmf;
	uint64_t v = 1;
	unsigned long a;

	k->sb.s_bdi_ra_pages = 0;
	f = open_inode(inode, FMODE_READ);
	cr_assert_eq(f->f_ra.ra_pages, 0);
	a = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	vmf = fault_at(mm, a + 3 * P, 0);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_MAJOR | VM_FAULT_LOCKED);
	cr_assert_eq(inode->i_data.nrpages, 1);
	page_read(vmf.page, 8, &v, 8);
	cr_assert_eq(v, 0, "a hole reads zero");
	cr_assert_eq(inode->i_blocks, 0, "reading a hole allocates nothing");
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
}

/*
 * A user load through the whole path: do_read_fault() tries fault-around
 * first (cold: nothing to map), then ->fault (ext4_filemap_fault), which
 * reads [0, 32) around; the page is mapped read-only as a file page.
 * The next load, at 1, is one minor fault mapping 1-15 (the 64K window).
 */
Test(filemap_fault, loads_fault_around)
{
	struct file *f = cold_file(64 * P, 0x33);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 64 * P, PROT_READ, MAP_SHARED, 0);
	struct access_result r = load(mm, a);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.value, 0x3333333333333333ULL);
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	cr_assert_eq(pte_pfn(pte_at(mm, a)), cached(f, 0)->pfn);
	cr_assert_not(pte_write(pte_at(mm, a)));
	cr_assert_eq(cached(f, 0)->refcount, 2, "the cache and the PTE");
	cr_assert_eq(cached(f, 0)->mapcount, 1);
	r = load(mm, a + P);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 16);
	cr_assert(pte_present(pte_at(mm, a + 15 * P)));
	cr_assert_not(pte_present(pte_at(mm, a + 16 * P)));
	cr_assert_eq(cached(f, 15)->mapcount, 1);
	cr_assert_eq(cached(f, 15)->refcount, 2);
}

/*
 * filemap_map_pages() over [16, 31] with 24 marked: 24 is skipped and the
 * walk goes on (not stopped); a locked page is skipped too.
 */
Test(filemap_fault, map_pages_skips_marked_and_locked_pages)
{
	struct file *f = cold_file(64 * P, 0x44);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 64 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_fault vmf;

	cr_assert_eq(load(mm, a).sig, SIG_NONE);	/* reads [0, 32), marks 24 */
	cr_assert(cached(f, 24)->flags & PG_readahead);
	lock_page(k, cached(f, 20));
	vmf = fault_at(mm, a + 16 * P, 0);
	vmf.address = a + 16 * P;
	filemap_map_pages(k, &vmf, 16, 31);
	for (pgoff_t i = 16; i < 32; i++)
		cr_assert_eq(pte_present(pte_at(mm, a + i * P)), i != 20 && i != 24,
			     "index %lu", i);
	cr_assert_eq(cached(f, 24)->refcount, 1, "a skipped page's reference goes back");
	cr_assert_eq(cached(f, 20)->refcount, 1);
	unlock_page(k, cached(f, 20));
}

/*
 * do_fault_around()'s window: aligned to fault_around_bytes, cut at the
 * VMA (a mapping of 8 pages of a cached 16-page file maps 8), and off when
 * fault_around_bytes is one page.
 */
Test(filemap_fault, window_is_cut_at_the_vma_and_off_at_one_page)
{
	struct file *f = cold_file(16 * P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b;

	for (int i = 0; i < 16; i++)
		cr_assert_eq(load(mm, a + i * P).sig, SIG_NONE);
	cr_assert_eq(mm->maj_flt + mm->min_flt, 2, "0 misses, 1 maps 1-15");
	b = map(mm, f, 8 * P, PROT_READ, MAP_SHARED, 0);
	cr_assert_eq(load(mm, b + 3 * P).nr_faults, 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 16 + 8);
	k->fault_around_bytes = P;
	b = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	cr_assert_eq(load(mm, b + 3 * P).nr_faults, 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 16 + 8 + 1, "fault-around off: one page");
}

/*
 * A private write fault takes do_cow_fault(): no fault-around; the page
 * cache's page is copied into an anonymous page. The fault still reads
 * the page in (major on a cold file).
 */
Test(filemap_fault, private_write_copies_without_fault_around)
{
	struct file *f = cold_file(16 * P, 0x22);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct access_result r = store(mm, a + 2 * P, 0x99);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert(pte_write(pte_at(mm, a + 2 * P)));
	cr_assert_neq(pte_pfn(pte_at(mm, a + 2 * P)), cached(f, 2)->pfn);
	cr_assert_eq(load(mm, a + 2 * P + 8).value, 0x2222222222222222ULL);
	cr_assert_eq(cached(f, 2)->refcount, 1, "only the cache holds it");
}

/* ext4_file_vm_ops, v4.14 fs/ext4/file.c */
Test(filemap_fault, ext4_file_vm_ops)
{
	cr_assert_not_null(ext4_file_vm_ops.fault);
	cr_assert_eq(ext4_file_vm_ops.map_pages, filemap_map_pages);
	cr_assert_not_null(ext4_file_vm_ops.page_mkwrite);
	cr_assert_null(ext4_file_vm_ops.huge_fault);
	cr_assert_not_null(ext4_aops.readpage);
	cr_assert_not_null(ext4_aops.readpages);
}

/*
 * read(2) (generic_file_buffered_read): at offset 0 a one-page request
 * takes the initial window, get_init_ra_size(1, 32) = 4 with async_size
 * 3 (pages 0-3, marker at 1); the marker pushes the window to [4, 12)
 * (2 * 4, async_size 8, marker at 4); a read right after the previous one
 * (prev_pos) that misses is sequential: the initial window again.
 */
Test(filemap_fault, read_syscall_readahead_windows)
{
	struct file *f = cold_file(64 * P, 0x66);
	uint64_t v = 0;

	cr_assert_eq(vfs_read(k, f, 0, &v, 8), 8);
	cr_assert_eq(v, 0x6666666666666666ULL);
	cr_assert_eq(f->inode->i_data.nrpages, 4);
	cr_assert(cached(f, 1)->flags & PG_readahead);
	cr_assert_eq(f->f_ra.size, 4);
	cr_assert_eq(f->f_ra.async_size, 3);
	cr_assert_eq(f->f_ra.prev_pos, 8);
	cr_assert_eq(vfs_read(k, f, P, &v, 8), 8);
	cr_assert_not(cached(f, 1)->flags & PG_readahead);
	cr_assert_eq(f->f_ra.start, 4);
	cr_assert_eq(f->f_ra.size, 8);
	cr_assert(cached(f, 4)->flags & PG_readahead);
	cr_assert_eq(f->inode->i_data.nrpages, 12);
	/* a random read far away: the request alone, the window left as it was */
	cr_assert_eq(vfs_read(k, f, 40 * P, &v, 8), 8);
	cr_assert_eq(f->inode->i_data.nrpages, 13);
	cr_assert_eq(f->f_ra.start, 4);
	/* the next page after it: sequential, an initial window of 4 at 41 */
	cr_assert_eq(vfs_read(k, f, 41 * P, &v, 8), 8);
	cr_assert_eq(f->f_ra.start, 41);
	cr_assert_eq(f->f_ra.size, 4);
	cr_assert_eq(f->inode->i_data.nrpages, 17);
}

/* read(2) across a page-aligned EOF adds the page past it (docs/findings.md §12) */
Test(filemap_fault, read_across_aligned_eof_adds_a_page)
{
	struct file *f = cold_file(4 * P, 0x77);
	uint8_t buf[2 * P];

	cr_assert_eq(vfs_read(k, f, 3 * P, buf, sizeof(buf)), P);
	cr_assert_not_null(cached(f, 3));
	cr_assert_not_null(cached(f, 4), "past EOF, read as a hole");
	cr_assert(cached(f, 4)->flags & PG_uptodate);
	/* 5 bytes short of EOF in the middle of the last page: nothing past it */
	f = cold_file(4 * P - 5, 0x77);
	cr_assert_eq(vfs_read(k, f, 3 * P, buf, sizeof(buf)), P - 5);
	cr_assert_null(cached(f, 4));
}

/*
 * The older releases' fault side of page-cache files (docs/eras/ of each):
 * v4.0 (dax-2014) and v3.19 (xip-2014, an ext4 file of a mount without
 * DAX) cap mmap read-around at max_sane_readahead() (MAX_READAHEAD, 512
 * pages: v4.0 mm/filemap.c L1814, mm/readahead.c L235); v4.5 does not.
 * With read_ahead_kb 4M (1024 pages) a miss at 1000 reads [744, 1256)
 * under v4.0, [488, 1512) under v4.5.
 */
static void readaround_window(pgoff_t start, unsigned long size)
{
	struct file *f;
	struct mm_struct *mm = mm_create(k);
	unsigned long a;
	struct vm_fault vmf;

	k->sb.s_bdi_ra_pages = 1024;
	f = cold_file(2048 * P, 7);
	a = map(mm, f, 2048 * P, PROT_READ, MAP_SHARED, 0);
	vmf = fault_at(mm, a + 1000 * P, 0);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_MAJOR | VM_FAULT_LOCKED);
	cr_assert_eq(f->f_ra.start, start);
	cr_assert_eq(f->f_ra.size, size);
	cr_assert_eq(f->f_ra.async_size, size / 4);
	cr_assert_eq(f->inode->i_data.nrpages, size);
	cr_assert_null(cached(f, start - 1));
	cr_assert_not_null(cached(f, start + size - 1));
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
}

Test(filemap_fault_v4_0, readaround_capped_at_2m, .init = fx_init_dax_2014, .fini = fx_fini)
{
	readaround_window(1000 - 256, 512);
}

Test(filemap_fault_v3_19, readaround_capped_at_2m, .init = fx_init_xip, .fini = fx_fini)
{
	readaround_window(1000 - 256, 512);
}

Test(filemap_fault_v4_5, readaround_not_capped, .init = fx_init_dax_2016, .fini = fx_fini)
{
	readaround_window(1000 - 512, 1024);
}

/*
 * filemap_map_pages() and a PTE already there: v4.0 (L2039), v4.5 (L2204)
 * and v3.19 skip the index before counting the page a hit; v4.14 counts it
 * (mmap_miss--) and alloc_set_pte() then leaves the PTE alone. Index 0 is
 * mapped by the first fault (a miss: [0, 32) read, the marker at 24); with
 * mmap_miss at 20, the fault at 1 maps 1-15 around: 15 hits before v4.14,
 * 16 in v4.14 (0 counted too).
 */
static void map_pages_hits(unsigned expect_miss)
{
	struct file *f = cold_file(64 * P, 3);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 64 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	f->f_ra.mmap_miss = 20;
	cr_assert_eq(load(mm, a + P).sig, SIG_NONE);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 16);
	cr_assert_eq(f->f_ra.mmap_miss, expect_miss);
}

Test(filemap_fault_v4_0, map_pages_skips_present_pte_before_counting,
     .init = fx_init_dax_2014, .fini = fx_fini)
{
	map_pages_hits(20 - 15);
}

Test(filemap_fault_v4_5, map_pages_skips_present_pte_before_counting,
     .init = fx_init_dax_2016, .fini = fx_fini)
{
	map_pages_hits(20 - 15);
}

Test(filemap_fault_v3_19, map_pages_skips_present_pte_before_counting,
     .init = fx_init_xip, .fini = fx_fini)
{
	map_pages_hits(20 - 15);
}

Test(filemap_fault, map_pages_counts_present_pte)
{
	map_pages_hits(20 - 16);
}

/*
 * ext4_file_vm_ops: v4.0 (fs/ext4/file.c L214) and v3.19 have
 * .fault = filemap_fault itself; v4.5 (L306) and v4.14 ext4_filemap_fault
 * (under i_mmap_sem). Neither has the DAX VMA's VM_MIXEDMAP.
 */
static const struct vm_operations_struct *vm_ops_of_pagecache_vma(void)
{
	struct file *f = cold_file(4 * P, 1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert_not(vma->vm_flags & VM_MIXEDMAP);
	cr_assert_eq(vma->vm_ops->map_pages, filemap_map_pages);
	return vma->vm_ops;
}

Test(filemap_fault_v4_0, vm_ops_fault_is_filemap_fault, .init = fx_init_dax_2014, .fini = fx_fini)
{
	cr_assert_eq(vm_ops_of_pagecache_vma()->fault, filemap_fault);
}

Test(filemap_fault_v3_19, vm_ops_fault_is_filemap_fault, .init = fx_init_xip, .fini = fx_fini)
{
	cr_assert_eq(vm_ops_of_pagecache_vma()->fault, filemap_fault);
}

Test(filemap_fault_v4_5, vm_ops_is_ext4_file_vm_ops, .init = fx_init_dax_2016, .fini = fx_fini)
{
	cr_assert_eq(vm_ops_of_pagecache_vma(), &ext4_file_vm_ops);
}

/*
 * No i_mmap_sem before v4.5: a shared store's ext4_page_mkwrite() (v4.0
 * L5081) and filemap_fault() complete while this thread holds i_mmap_sem
 * for writing (down_read() of it would find it held: an assertion).
 */
Test(filemap_fault_v4_0, shared_store_takes_no_i_mmap_sem, .init = fx_init_dax_2014,
     .fini = fx_fini)
{
	struct file *f = cold_file(4 * P, 1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	down_write(k, &f->inode->i_mmap_sem);
	cr_assert_eq(store(mm, a + P, 0x22).sig, SIG_NONE);
	up_write(k, &f->inode->i_mmap_sem);
	cr_assert(cached(f, 1)->flags & PG_dirty);
	cr_assert(pte_write(pte_at(mm, a + P)));
}

/*
 * ---- Every bound of fault-around, one test each ----
 *
 * v4.14 (linux-4.14.177) mm/memory.c do_read_fault() and do_fault_around(),
 * mm/filemap.c filemap_map_pages(), with the test for each:
 *   do_fault() sends only a read to do_read_fault(): a shared write goes to
 *     do_shared_fault() (shared_write_maps_one_page), a private one to
 *     do_cow_fault() (private_write_copies_without_fault_around)
 *   do_read_fault() "vma->vm_ops->map_pages && fault_around_bytes >>
 *     PAGE_SHIFT > 1": ext4's DAX vm_ops have no ->map_pages
 *     (dax_hole_pages_are_not_faulted_around), one page is off
 *     (window_is_cut_at_the_vma_and_off_at_one_page)
 *   do_fault_around() "mask = ~(nr_pages * PAGE_SIZE - 1)": the window is
 *     aligned to fault_around_bytes (window_is_aligned_to_fault_around_bytes)
 *   "vmf->address = max(address & mask, vmf->vma->vm_start)": it starts at
 *     vm_start at the latest, and then runs nr_pages from there
 *     (window_starts_at_vm_start)
 *   "end_pgoff = min3(end_pgoff, vma_pages() + vm_pgoff - 1, start_pgoff +
 *     nr_pages - 1)": the PTE table's end (window_stops_at_the_pte_table),
 *     vm_end (window_is_cut_at_the_vma_and_off_at_one_page)
 *   filemap_map_pages(): only what the page cache holds
 *     (maps_only_cached_pages); "!PageUptodate(page) || PageReadahead(page)"
 *     (skips_a_page_not_uptodate; PG_readahead and "!trylock_page(page)":
 *     map_pages_skips_marked_and_locked_pages); "page->index >= max_idx"
 *     (skips_a_page_at_i_size); alloc_set_pte() "if (!pte_none(*vmf->pte))
 *     return VM_FAULT_NOPAGE" (leaves_a_present_pte_alone).
 *     "page->mapping != mapping" is not reachable: with one thread a page
 *     leaves the page cache and its mapping together (truncate).
 * 6.1 (modern) runs the same code: its mm/memory.c do_read_fault() (L4534,
 * should_fault_around() L4522) and do_fault_around() (L4488, the same
 * max/min3 arithmetic at L4498 and L4509), and mm/filemap.c
 * filemap_map_pages() (L3338) with next_uptodate_page() (L3281: locked,
 * not uptodate, readahead, mapping, max_idx) and "if (!pte_none(*vmf->pte))
 * goto unlock" (L3382) keep every bound above; the model has no switch for
 * them.
 */

/*
 * "mask = ~(nr_pages * PAGE_SIZE - 1) & PAGE_MASK" with fault_around_bytes
 * 32K: a load at 11 of a cached 16-page file maps the aligned 8, [8, 15],
 * nothing below 8.
 */
Test(filemap_fault, window_is_aligned_to_fault_around_bytes)
{
	struct file *f = cold_file(16 * P, 0x12);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(load(ma, a).sig, SIG_NONE);	/* reads [0, 16) */
	cr_assert_eq(f->inode->i_data.nrpages, 16);
	cr_assert_eq(b & (16 * P - 1), 0);
	k->fault_around_bytes = 8 * P;
	cr_assert_eq(load(mb, b + 11 * P).nr_faults, 1);
	for (pgoff_t i = 0; i < 16; i++)
		cr_assert_eq(pte_present(pte_at(mb, b + i * P)), i >= 8, "index %lu", i);
	cr_assert_eq(mb->rss[MM_FILEPAGES], 8);
}

/*
 * "vmf->address = max(address & mask, vmf->vma->vm_start)": a VMA from
 * file page 5, at 5 pages into a 64K-aligned window. A load at 7: the
 * window starts at vm_start (start_pgoff 7 - 2 = 5) and min3() ends it at
 * start_pgoff + nr_pages - 1 = 20, past the aligned window's end (15).
 */
Test(filemap_fault, window_starts_at_vm_start)
{
	struct file *f = cold_file(32 * P, 0x13);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 32 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(load(ma, a).sig, SIG_NONE);	/* reads [0, 32), marks 24 */
	cr_assert_eq(do_mmap(k, mb, f, x + 5 * P, 27 * P, PROT_READ, MAP_SHARED | MAP_FIXED,
			     5 * P), (long)(x + 5 * P));
	cr_assert_eq(load(mb, x + 7 * P).nr_faults, 1);
	for (pgoff_t i = 5; i < 32; i++)
		cr_assert_eq(pte_present(pte_at(mb, x + i * P)), i <= 20, "index %lu", i);
	cr_assert_eq(mb->rss[MM_FILEPAGES], 16);
}

/*
 * "end_pgoff = start_pgoff - ((vmf->address >> PAGE_SHIFT) & (PTRS_PER_PTE
 * - 1)) + PTRS_PER_PTE - 1": a VMA starting two pages below a 2 MiB
 * boundary. A load at its second page: the window starts at vm_start (its
 * 64K-aligned start is below the VMA) and would run 16 pages, but the PTE
 * table ends at the boundary: pages 0 and 1 only. (The bug variant
 * bug-faultaround-past-table drops this bound: scenarios/bugs/faultaround-past-table.scn.)
 */
Test(filemap_fault, window_stops_at_the_pte_table)
{
	struct file *f = cold_file(16 * P, 0x14);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long x = 0x600000200000UL - 2 * P;

	cr_assert_eq(load(ma, a).sig, SIG_NONE);	/* reads [0, 16) */
	cr_assert_eq(do_mmap(k, mb, f, x, 16 * P, PROT_READ, MAP_SHARED | MAP_FIXED, 0), (long)x);
	cr_assert_eq(load(mb, x + P).nr_faults, 1);
	cr_assert(pte_present(pte_at(mb, x)));
	cr_assert(pte_present(pte_at(mb, x + P)));
	for (pgoff_t i = 2; i < 16; i++)
		cr_assert_not(pte_present(pte_at(mb, x + i * P)), "index %lu", i);
	cr_assert_eq(load(mb, x + 2 * P).nr_faults, 1, "the next table faults");
	cr_assert_eq(mb->rss[MM_FILEPAGES], 16);
}

/*
 * filemap_map_pages() maps what the page cache holds: B's load at 20,
 * after A's miss at 40 read [24, 56): fault-around over [16, 31] maps
 * 24-31 before ->fault reads 20 (and the rest of its read-around), which
 * is then mapped alone.
 */
Test(filemap_fault, maps_only_cached_pages)
{
	struct file *f = cold_file(64 * P, 0x15);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 64 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 64 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(load(ma, a + 40 * P).sig, SIG_NONE);
	cr_assert_null(cached(f, 23));
	cr_assert_not_null(cached(f, 24));
	cr_assert_eq(load(mb, b + 20 * P).nr_faults, 1);
	for (pgoff_t i = 16; i < 32; i++)
		cr_assert_eq(pte_present(pte_at(mb, b + i * P)), i == 20 || i >= 24,
			     "index %lu", i);
	cr_assert_not_null(cached(f, 21), "read later, by ->fault");
}

/*
 * "if (!PageUptodate(page) || ...) goto skip": a page in the cache that
 * is not uptodate (a read that has not completed, or failed) is not
 * mapped; the rest of the window is.
 */
Test(filemap_fault, skips_a_page_not_uptodate)
{
	struct file *f = cold_file(16 * P, 0x16);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(load(ma, a).sig, SIG_NONE);	/* reads [0, 16) */
	cached(f, 5)->flags &= ~PG_uptodate;
	cr_assert_eq(load(mb, b).nr_faults, 1);
	for (pgoff_t i = 0; i < 16; i++)
		cr_assert_eq(pte_present(pte_at(mb, b + i * P)), i != 5, "index %lu", i);
	cr_assert_eq(cached(f, 5)->refcount, 1, "its speculative reference went back");
}

/*
 * "if (page->index >= max_idx) goto unlock": read(2) across a 4-page
 * file's page-aligned EOF leaves page 4 in the cache, uptodate (docs/findings.md
 * §12). A load at 3 of an 8-page mapping maps 3 and not 4; a load at 4 is
 * SIGBUS (filemap_fault()'s own i_size test). (The bug variant
 * bug-faultaround-past-eof drops this bound: scenarios/bugs/faultaround-past-eof.scn.)
 */
Test(filemap_fault, skips_a_page_at_i_size)
{
	struct file *f = cold_file(4 * P, 0x17);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ, MAP_SHARED, 0);
	uint8_t buf[2 * P];

	cr_assert_eq(vfs_read(k, f, 3 * P, buf, sizeof(buf)), P);
	cr_assert(cached(f, 4) && (cached(f, 4)->flags & PG_uptodate));
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_NONE);
	cr_assert(pte_present(pte_at(mm, a + 3 * P)));
	cr_assert_not(pte_present(pte_at(mm, a + 4 * P)));
	cr_assert_eq(cached(f, 4)->mapcount, 0);
	cr_assert_eq(load(mm, a + 4 * P).sig, SIG_BUS);
}

/*
 * alloc_set_pte() "if (!pte_none(*vmf->pte)) return VM_FAULT_NOPAGE": a
 * private mapping's COW page at 3 stays; a load at 0 maps the rest of
 * [0, 15] from the page cache.
 */
Test(filemap_fault, leaves_a_present_pte_alone)
{
	struct file *f = cold_file(16 * P, 0x18);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long anon;

	cr_assert_eq(load(ma, a).sig, SIG_NONE);	/* reads [0, 16) */
	cr_assert_eq(store(mb, b + 3 * P, 0x99).sig, SIG_NONE);
	anon = pte_pfn(pte_at(mb, b + 3 * P));
	cr_assert_neq(anon, cached(f, 3)->pfn);
	cr_assert_eq(load(mb, b).nr_faults, 1);
	cr_assert_eq(pte_pfn(pte_at(mb, b + 3 * P)), anon);
	cr_assert(pte_write(pte_at(mb, b + 3 * P)));
	cr_assert_eq(cached(f, 3)->mapcount, 0);
	cr_assert_eq(cached(f, 3)->refcount, 1);
	cr_assert_eq(mb->rss[MM_FILEPAGES], 15);
	cr_assert_eq(mb->rss[MM_ANONPAGES], 1);
}

/*
 * do_fault(): a shared write fault is do_shared_fault(), which has no
 * fault-around: on a cached file it maps the page it writes, alone.
 */
Test(filemap_fault, shared_write_maps_one_page)
{
	struct file *f = cold_file(16 * P, 0x19);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(load(ma, a).sig, SIG_NONE);	/* reads [0, 16) */
	cr_assert_eq(store(mb, b + 3 * P, 1).nr_faults, 1);
	cr_assert(pte_write(pte_at(mb, b + 3 * P)));
	cr_assert_eq(mb->rss[MM_FILEPAGES], 1);
	for (pgoff_t i = 0; i < 16; i++)
		cr_assert_eq(pte_present(pte_at(mb, b + i * P)), i == 3, "index %lu", i);
}

/*
 * No fault-around for a DAX file: ext4's DAX vm_ops have no ->map_pages
 * (v4.0 fs/ext4/file.c L206-209 ext4_dax_vm_ops; v4.5's and v4.14's
 * neither). Under dax-2014 a read of a hole puts a page-cache page there
 * (v4.0 fs/dax.c dax_load_hole() L237: find_or_create_page(__GFP_ZERO),
 * never SetPageUptodate, so filemap_map_pages() would skip it too). To
 * show the missing ->map_pages alone, A's hole pages 1-3 are made
 * uptodate: B's load at 0 still maps 0 alone.
 */
Test(filemap_fault, dax_hole_pages_are_not_faulted_around)
{
	struct file *f;
	struct mm_struct *ma, *mb;
	unsigned long a, b;

	fx_fini();
	fx_init_dax_2014();
	f = new_file(16 * P);
	ma = mm_create(k);
	mb = mm_create(k);
	a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	b = map(mb, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(load(ma, a + i * P).sig, SIG_NONE);
	cr_assert_null(find_vma(mb, b)->vm_ops->map_pages);
	for (pgoff_t i = 1; i < 4; i++) {
		cr_assert_not(cached(f, i)->flags & (PG_uptodate | PG_locked | PG_readahead));
		cached(f, i)->flags |= PG_uptodate;
	}
	cr_assert_eq(load(mb, b).nr_faults, 1);
	cr_assert(pte_present(pte_at(mb, b)));
	for (pgoff_t i = 1; i < 4; i++)
		cr_assert_not(pte_present(pte_at(mb, b + i * P)), "index %lu", i);
	cr_assert_eq(load(mb, b + P).nr_faults, 1);
}
