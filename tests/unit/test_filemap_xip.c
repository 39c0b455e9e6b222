// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/filemap_xip-v3.19.c: mm/filemap_xip.c of Linux
 * v3.19.8 (xip_file_fault, __xip_unmap, the sparse page, xip_file_mmap,
 * xip_file_read/write, xip_truncate_page), on ext2 -o xip
 * (model/ext2-xip-v3.19.c), with the v3.19 mm paths it meets
 * (vm_insert_page, vm_insert_mixed, do_cow_fault, do_wp_page).
 * Expected values come from docs/eras/xip-2014.md, cited as §n, which
 * cites the lines of the source.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "fixture.h"

#include "ext2.h"
#include "filemap_xip.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"

TestSuite(filemap_xip, .init = fx_init_xip, .fini = fx_fini);

static struct file *xip_file(loff_t size)
{
	return open_inode(ext2_create(k, size), FMODE_READ | FMODE_WRITE);
}

static bool hole(struct file *f, pgoff_t index)
{
	return state(f, index) == BLOCK_HOLE;
}

/* ---- the tables ---- */

/* §1: xip_file_mmap() sets xip_file_vm_ops and VM_MIXEDMAP; ext2's tables. */
Test(filemap_xip, mmap_installs_xip_vm_ops)
{
	struct file *f = xip_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert_eq(f->f_op, &ext2_xip_file_operations);
	cr_assert_eq(f->inode->i_op, &ext2_file_inode_operations);
	cr_assert_eq(f->inode->i_data.a_ops, &ext2_aops_xip);
	cr_assert_eq(vma->vm_ops, &xip_file_vm_ops);
	cr_assert(vma->vm_flags & VM_MIXEDMAP);
	cr_assert_not(vma->vm_flags & VM_HUGEPAGE, "ext2 sets no VM_HUGEPAGE");
	cr_assert_not_null(xip_file_vm_ops.fault);
	cr_assert_not_null(xip_file_vm_ops.page_mkwrite, "L303: filemap_page_mkwrite");
	cr_assert_null(xip_file_vm_ops.pfn_mkwrite, "->pfn_mkwrite arrived in v4.1");
	cr_assert_null(xip_file_vm_ops.huge_fault);
	cr_assert_null(xip_file_vm_ops.map_pages, "§12: no fault-around");
	cr_assert_null(ext2_xip_file_operations.fallocate, "§1: ext2 has no fallocate");
	cr_assert_null(ext2_xip_file_operations.get_unmapped_area);
	/* write notification: a shared writable VMA's PTEs start read-only */
	cr_assert_not(vma->vm_page_prot & _PAGE_RW);
}

/* ---- §2: read fault on a hole ---- */

/* §2 step 4, §10: a private read maps the sparse page, a counted normal page. */
Test(filemap_xip, private_read_of_hole_maps_sparse_page)
{
	struct file *f = xip_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ, MAP_PRIVATE, 0);
	struct access_result r = load(mm, a + 3 * P);
	pte_t pte = pte_at(mm, a + 3 * P);
	struct page *sp = k->xip_sparse_page;

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.value, 0);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert(r.fault_ret & VM_FAULT_NOPAGE);
	cr_assert_not(r.fault_ret & VM_FAULT_MAJOR, "§2: never VM_FAULT_MAJOR");
	cr_assert_not_null(sp, "allocated at first use");
	cr_assert_not(is_zero_pfn(k, sp->pfn), "§1: not ZERO_PAGE(0)");
	cr_assert_null(sp->mapping, "§1: in no page cache");
	cr_assert_not(sp->flags & PG_anon);
	cr_assert_eq(pte_pfn(pte), sp->pfn);
	cr_assert_not(pte_special(pte), "vm_insert_page: a normal PTE");
	cr_assert_not(pte_write(pte));
	cr_assert_eq(sp->mapcount, 1);
	cr_assert_eq(sp->refcount, 2, "__xip_sparse_page's reference and the PTE's");
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1, "§10: counted in rss");
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert(hole(f, 3));
	cr_assert_eq(f->inode->i_blocks, 0);
	cr_assert_null(entry_at(f, 3), "§1: no radix-tree entries");
}

/* §2 step 3: the L242 test is on VM_MAYWRITE: a shared read allocates. */
Test(filemap_xip, shared_read_on_rw_descriptor_allocates)
{
	struct file *f = xip_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	struct access_result r = load(mm, a + 5 * P);
	pte_t pte = pte_at(mm, a + 5 * P);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.value, 0);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_not(r.fault_ret & VM_FAULT_MAJOR, "§12: minor, even when it allocates");
	cr_assert_eq(state(f, 5), BLOCK_MAPPED);
	cr_assert_eq(f->inode->i_blocks, 1);
	cr_assert_eq(pte_pfn(pte), block_pfn(block_of(f, 5)));
	cr_assert(pte_special(pte), "§3: insert_pfn -> pte_mkspecial");
	cr_assert_not(pte_devmap(pte), "§3: v3.19 has no devmap PTEs");
	cr_assert_not(pte_write(pte));
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0, "§10: block PTEs are not counted");
	cr_assert_null(k->xip_sparse_page, "no sparse page was needed");
	/* §1: ext2_clear_xip_target() zeroes with clear_page(): not flushed */
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 5))));
}

/* §2 step 4: a shared read on an O_RDONLY descriptor has no VM_MAYWRITE. */
Test(filemap_xip, shared_read_on_ro_descriptor_maps_sparse_page)
{
	struct inode *inode = ext2_create(k, 4 * P);
	struct file *f = open_inode(inode, FMODE_READ);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert_not(vma->vm_flags & (VM_MAYWRITE | VM_SHARED));
	cr_assert(vma->vm_flags & VM_MAYSHARE);
	cr_assert_eq(load(mm, a).value, 0);
	cr_assert_eq(pte_pfn(pte_at(mm, a)), k->xip_sparse_page->pfn);
	cr_assert_eq(inode->i_blocks, 0);
}

/* ---- §3, §4: blocks, write faults, __xip_unmap ---- */

/*
 * §4: a shared write fault on a hole allocates, maps the block read-only
 * (vm_page_prot) and returns NOPAGE; the store faults again and
 * do_wp_page() reuses the special PTE: two faults, no fs call, no mtime.
 */
Test(filemap_xip, shared_write_on_hole_takes_two_faults)
{
	struct file *f = xip_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint64_t mtime = f->inode->i_mtime;
	struct access_result r = store(mm, a + P, 0x5a);
	pte_t pte = pte_at(mm, a + P);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 2);
	cr_assert(r.fault_ret & VM_FAULT_WRITE, "the second: do_wp_page reuse");
	cr_assert(pte_write(pte) && pte_dirty(pte) && pte_special(pte));
	cr_assert_eq(pte_pfn(pte), block_pfn(block_of(f, 1)));
	cr_assert_eq(f->inode->i_mtime, mtime, "no file_update_time on this path");
	cr_assert_null(entry_at(f, 1));
	cr_assert_eq(mm->min_flt, 2);
	cr_assert_eq(load(mm, a + P).value, 0x5a);
}

/*
 * §4 __xip_unmap: allocating the block removes the sparse page at that
 * index from every VMA, private ones and other processes included; an
 * anonymous COW copy is another page and stays.
 */
Test(filemap_xip, allocation_unmaps_sparse_page_everywhere)
{
	struct file *f = xip_file(4 * P);
	struct mm_struct *a_mm = mm_create(k), *b_mm = mm_create(k), *c_mm = mm_create(k);
	unsigned long a = map(a_mm, f, 4 * P, PROT_READ, MAP_PRIVATE, 0);
	unsigned long b = map(b_mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long c = map(c_mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct page *sp;

	cr_assert_eq(load(a_mm, a).value, 0);
	cr_assert_eq(load(b_mm, b).value, 0);
	cr_assert_eq(store(b_mm, b + P, 7).sig, SIG_NONE);	/* a COW copy at index 1 */
	cr_assert_eq(load(b_mm, b + P).value, 7);
	sp = k->xip_sparse_page;
	cr_assert_eq(sp->mapcount, 2);
	cr_assert_eq(sp->refcount, 3);

	cr_assert_eq(store(c_mm, c, 0x11).sig, SIG_NONE);	/* allocates index 0 */
	cr_assert_eq(store(c_mm, c + P, 0x22).sig, SIG_NONE);	/* and index 1 */
	cr_assert_not(pte_present(pte_at(a_mm, a)));
	cr_assert_not(pte_present(pte_at(b_mm, b)));
	cr_assert_eq(a_mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(b_mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(sp->mapcount, 0);
	cr_assert_eq(sp->refcount, 1, "only __xip_sparse_page's own reference");
	cr_assert_eq(load(b_mm, b + P).value, 7, "the COW copy stays");
	cr_assert_eq(b_mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(load(a_mm, a).value, 0x11, "the private view follows the writer");
}

/*
 * §4 private write fault: do_cow_fault() gives up its page because
 * xip_file_fault() mapped the sparse page (NOPAGE); do_wp_page() then
 * copies it: two faults, one anonymous page, the sparse page's
 * MM_FILEPAGES moved to MM_ANONPAGES.
 */
Test(filemap_xip, private_write_on_hole_copies_the_sparse_page)
{
	struct file *f = xip_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long used = dram_bytes_allocated(k);
	struct access_result r = store(mm, a, 0x33);
	pte_t pte = pte_at(mm, a);
	struct page *page = pfn_to_page(k, pte_pfn(pte));

	cr_assert_eq(r.nr_faults, 2);
	cr_assert(page->flags & PG_anon);
	cr_assert(pte_write(pte));
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(k->xip_sparse_page->refcount, 1);
	cr_assert_eq(dram_bytes_allocated(k) - used, 2 * P, "the sparse page and the copy");
	cr_assert(hole(f, 0), "a private write allocates nothing");
}

/* §4: a private write to a block copies it; the media never sees it. */
Test(filemap_xip, private_write_on_block_copies)
{
	struct file *f = xip_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	uint64_t v = 0x1122334455667788ULL, back;

	cr_assert_eq(vfs_write(k, f, 0, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(store(mm, a, 0x99).nr_faults, 2);
	cr_assert_eq(load(mm, a).value, 0x99);
	cr_assert_eq(vfs_read(k, f, 0, &back, sizeof(back)), sizeof(back));
	cr_assert_eq(back, v);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
}

/* §2 step 1: SIGBUS at or past DIV_ROUND_UP(i_size, 4096), nothing allocated. */
Test(filemap_xip, fault_past_eof_is_sigbus)
{
	struct file *f = xip_file(P + 1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(load(mm, a + P).sig, SIG_NONE, "the page holding EOF");
	cr_assert_eq(load(mm, a + 2 * P).sig, SIG_BUS);
	cr_assert_eq(store(mm, a + 3 * P, 1).sig, SIG_BUS);
	cr_assert(hole(f, 2) && hole(f, 3));
	cr_assert_eq(mm->min_flt, 1, "errors are not counted");
}

/* A shared read that must allocate on a full device: SIGBUS, -ENOSPC. */
Test(filemap_xip, allocation_failure_is_sigbus)
{
	struct file *f = xip_file(32 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 32 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long n;
	struct access_result r;

	cr_assert_geq(ext4_new_blocks(k, f->inode, 16, k->sb.nr_free, &n), 0);
	cr_assert_eq(k->sb.nr_free, 0);
	r = load(mm, a);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.error, -ENOSPC);
}

/* ---- read(2), write(2), truncate, fsync ---- */

/* §4 write(2): allocation unmaps the sparse page; the copy is nocache. */
Test(filemap_xip, write_syscall_unmaps_and_copies_nocache)
{
	struct file *f = xip_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_PRIVATE, 0);
	uint8_t buf[P], out[P];
	uint64_t mtime = f->inode->i_mtime;

	cr_assert_eq(load(mm, a + 2 * P).value, 0);
	memset(buf, 0xab, sizeof(buf));
	cr_assert_eq(vfs_write(k, f, 2 * P, buf, P), P);
	cr_assert_not(pte_present(pte_at(mm, a + 2 * P)));
	cr_assert_neq(f->inode->i_mtime, mtime, "xip_file_write: file_update_time");
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 2))), "whole words: movnti");
	cr_assert_eq(load(mm, a + 2 * P).value, 0xababababababababULL);
	/* 3 bytes at an odd offset: ordinary stores, left in the cache */
	cr_assert_eq(vfs_write(k, f, 2 * P + 1, buf, 3), 3);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 2))));
	cr_assert_eq(vfs_read(k, f, 2 * P, out, P), P);
	cr_assert_eq(memcmp(out, buf, P), 0);
	/* growing the file */
	cr_assert_eq(vfs_write(k, f, 5 * P + 10, buf, 6), 6);
	cr_assert_eq(f->inode->i_size, 5 * P + 16);
}

/* do_xip_mapping_read(): holes read zero, short at EOF, nothing past it. */
Test(filemap_xip, read_syscall)
{
	struct file *f = xip_file(2 * P + 100);
	uint8_t out[3 * P];
	uint8_t v = 0x5c;

	memset(out, 0xff, sizeof(out));
	cr_assert_eq(vfs_write(k, f, P + 7, &v, 1), 1);
	cr_assert_eq(vfs_read(k, f, 0, out, sizeof(out)), 2 * P + 100);
	cr_assert_eq(out[0], 0);
	cr_assert_eq(out[P + 7], 0x5c);
	cr_assert_eq(out[2 * P + 99], 0);
	cr_assert_eq(out[2 * P + 100], 0xff, "nothing past EOF");
	cr_assert_eq(vfs_read(k, f, 2 * P + 100, out, 1), 0);
	cr_assert_eq(vfs_read(k, f, 9 * P, out, 1), 0);
	cr_assert_eq(f->inode->i_blocks, 1, "a read allocates nothing");
}

/*
 * §8: xip_truncate_page() zeroes the tail of the EOF block with memset
 * (not flushed); truncate_pagecache() unmaps with even_cows = 1 (COW
 * pages and the sparse page too); the blocks past EOF are freed.
 */
Test(filemap_xip, truncate)
{
	struct file *f = xip_file(0);
	struct mm_struct *mm = mm_create(k);
	uint8_t buf[4 * P], out[P];
	unsigned long a, b;

	memset(buf, 0x11, sizeof(buf));
	cr_assert_eq(vfs_write(k, f, 0, buf, 4 * P), 4 * P);
	cr_assert_eq(vfs_truncate(k, f, 6 * P), 0);
	a = map(mm, f, 6 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	b = map(mm, f, 6 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(load(mm, a + 5 * P).value, 0);		/* the sparse page */
	cr_assert_eq(store(mm, a + 2 * P, 9).sig, SIG_NONE);	/* a COW copy */
	cr_assert_eq(load(mm, b + 3 * P).value, 0x1111111111111111ULL);
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 0))));

	cr_assert_eq(vfs_truncate(k, f, 100), 0);
	cr_assert_eq(f->inode->i_size, 100);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))), "memset, not flushed");
	cr_assert_eq(vfs_read(k, f, 0, out, P), 100);
	for (pgoff_t i = 1; i < 6; i++) {
		cr_assert_not(pte_present(pte_at(mm, a + i * P)), "index %lu", i);
		cr_assert_not(pte_present(pte_at(mm, b + i * P)), "index %lu", i);
	}
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(f->inode->i_blocks, 1);
	cr_assert_eq(vfs_truncate(k, f, 2 * P), 0);
	cr_assert_eq(vfs_read(k, f, 0, out, P), P);
	cr_assert_eq(out[99], 0x11);
	cr_assert_eq(out[100], 0, "zeroed by xip_truncate_page");
}

/* §6: fsync and msync flush nothing; PTEs stay writable. */
Test(filemap_xip, fsync_flushes_nothing)
{
	struct file *f = xip_file(P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(vfs_fsync_range(k, f, 0, ~0ULL >> 1, 0), 0);
	cr_assert_eq(do_msync(k, mm, a, P, MS_SYNC), 0);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))));
	cr_assert(pte_write(pte_at(mm, a)));
}

/* §1: ext2 has no ->fallocate: every mode is -EOPNOTSUPP (do_fallocate). */
Test(filemap_xip, no_fallocate)
{
	struct file *f = xip_file(4 * P);

	cr_assert_eq(vfs_fallocate(k, f, 0, 0, P), -EOPNOTSUPP);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, P),
		     -EOPNOTSUPP);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE, 0, P), -EOPNOTSUPP);
	cr_assert_eq(f->inode->i_blocks, 0);
}

/* §1: the sparse page is never freed: every PTE gone, one reference stays. */
Test(filemap_xip, sparse_page_outlives_its_mappings)
{
	struct file *f = xip_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ, MAP_PRIVATE, 0);
	struct page *sp;

	for (int i = 0; i < 8; i++)
		cr_assert_eq(load(mm, a + i * P).value, 0);
	sp = k->xip_sparse_page;
	cr_assert_eq(sp->mapcount, 8);
	cr_assert_eq(sp->refcount, 9);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 8);
	cr_assert_eq(do_munmap(k, mm, a, 8 * P), 0);
	cr_assert_eq(sp->mapcount, 0);
	cr_assert_eq(sp->refcount, 1);
	cr_assert_eq(k->xip_sparse_page, sp);
	cr_assert_eq(dram_bytes_allocated(k), P);
}

/* The v3.19 mm helper the sparse page needs: vm_insert_page() -> insert_page(). */
Test(filemap_xip, vm_insert_page_checks)
{
	struct file *f = xip_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ, MAP_PRIVATE, 0);
	struct vm_area_struct *vma = find_vma(mm, a);
	struct page *page = alloc_page(k);

	cr_assert_eq(vm_insert_page(k, vma, a + 2 * P, page), -EFAULT);
	cr_assert_eq(vm_insert_page(k, vma, a, page), 0);
	cr_assert_eq(page->refcount, 2);
	cr_assert_eq(page->mapcount, 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	cr_assert_eq(vm_insert_page(k, vma, a, page), -EBUSY);
	page->flags |= PG_anon;
	cr_assert_eq(vm_insert_page(k, vma, a + P, page), -EINVAL, "PageAnon");
	page->flags &= ~PG_anon;
	zap_page_range(k, vma, a, a + P);
	cr_assert_eq(page->refcount, 1);
	put_page(k, page);
}

/* v3.19 hugepage_madvise(): -EINVAL for VM_NO_THP, which VM_MIXEDMAP is in. */
Test(filemap_xip, madvise_thp_is_einval)
{
	struct file *f = xip_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 2 * P, PROT_READ, MAP_PRIVATE, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert_geq(a, 0);
	cr_assert_eq(do_madvise(k, mm, a, 2 * P, MADV_NOHUGEPAGE), -EINVAL);
	cr_assert_eq(do_madvise(k, mm, a, 2 * P, MADV_HUGEPAGE), -EINVAL);
	cr_assert_not(vma->vm_flags & (VM_HUGEPAGE | VM_NOHUGEPAGE));
	cr_assert_eq(do_madvise(k, mm, a, 2 * P, MADV_DONTNEED), 0);
}

/* ---- two write faults on one hole: xip_sparse_mutex and verify_chain() ---- */

/*
 * fx_two_stores_one_hole() under xip-2014. xip_file_fault() allocates
 * under xip_sparse_mutex (v3.19 mm/filemap_xip.c L248-251) and
 * ext2_get_blocks() reads the chain again under truncate_mutex
 * (fs/ext2/inode.c L677-702): either keeps the second fault from
 * allocating.
 */
static int xip_hole_races(int a, int b)
{
	return fx_two_stores_one_hole(fx_init_xip, xip_file, a, b);
}

Test(filemap_xip, two_faults_one_hole_serialized_twice)
{
	cr_assert_eq(xip_hole_races(-1, -1), 0);
	cr_assert_eq(xip_hole_races(SW_BUG_XIP_NO_SPARSE_MUTEX, -1), 0, "verify_chain()");
	cr_assert_eq(xip_hole_races(SW_BUG_ALLOC_NO_RECHECK, -1), 0, "xip_sparse_mutex");
	cr_assert_gt(xip_hole_races(SW_BUG_XIP_NO_SPARSE_MUTEX, SW_BUG_ALLOC_NO_RECHECK), 0);
}
