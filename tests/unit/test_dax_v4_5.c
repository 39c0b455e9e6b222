// SPDX-License-Identifier: GPL-2.0
/*
 * model/dax-v4.5.c and ext4-v4.5.c: Linux v4.5's fs/dax.c and ext4 DAX
 * glue under dax-2016, through the fault path, fsync, truncate, punch and
 * fork, and dax_pfn_mkwrite() directly. docs/eras/dax-2016.md (§2-§11)
 * is the source of every expected value.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "dax-v4.5.h"
#include "huge_mm.h"
#include "pagemap.h"

TestSuite(dax_v4_5, .init = fx_init_dax_2016, .fini = fx_fini);

#define M2	PMD_SIZE

static pmd_t pmd_at(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *p = pmd_lookup(mm, addr);

	return p ? *p : (pmd_t){ 0 };
}

/* A mapping that may take PMD faults: 2 MiB aligned, no MADV_NOHUGEPAGE. */
static unsigned long map_huge(struct mm_struct *mm, struct file *f, unsigned long len)
{
	long a = do_mmap(k, mm, f, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_geq(a, 0);
	cr_assert_eq(a & (M2 - 1), 0, "the first mapping is 2 MiB aligned");
	return a;
}

static void fill(struct file *f, loff_t pos, size_t len)
{
	char *buf = g_malloc(len);

	memset(buf, 7, len);
	cr_assert_eq(vfs_write(k, f, pos, buf, len), (ssize_t)len);
	g_free(buf);
}

/* §1: ext4's DAX VMA: VM_MIXEDMAP | VM_HUGEPAGE, v4.5's vm_ops */
Test(dax_v4_5, mmap_sets_mixedmap_and_hugepage)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert(vma->vm_flags & VM_MIXEDMAP);
	cr_assert_eq(vma->vm_ops, &ext4_dax_vm_ops_v4_5);
	cr_assert_not_null(vma->vm_ops->pfn_mkwrite);
	cr_assert_not_null(vma->vm_ops->huge_fault, "->pmd_fault");
	cr_assert_null(vma->vm_ops->map_pages);
}

/* §3: a read fault on a written block: a clean PTE entry, a read-only PTE */
Test(dax_v4_5, read_fault_inserts_a_clean_entry)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;
	void *entry;

	fill(f, 0, 4 * P);
	a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(load(mm, a + 2 * P).value, 0x0707070707070707ULL);
	entry = entry_at(f, 2);
	cr_assert(radix_tree_exceptional_entry(entry));
	cr_assert_not(dax_is_pmd_entry(entry));
	cr_assert_not(dax_is_locked(entry), "v4.5 has no entry locks");
	cr_assert_eq(dax_entry_block(entry), block_of(f, 2));
	cr_assert_not(dirty_tag(f, 2));
	cr_assert_eq(f->inode->i_data.nrexceptional, 1);
	cr_assert_not(pte_write(pte_at(mm, a + 2 * P)));
	cr_assert(pte_devmap(pte_at(mm, a + 2 * P)));
}

/*
 * §4: a store to a mapped clean block: ->pfn_mkwrite tags DIRTY, then
 * v4.5's wp_pfn_shared() goes on to wp_page_reuse(): writable, one minor
 * fault.
 */
Test(dax_v4_5, pfn_mkwrite_tags_dirty_then_reuse)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;

	fill(f, 0, 4 * P);
	a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	load(mm, a);
	cr_assert_eq(store(mm, a, 0x42).nr_faults, 1);
	cr_assert(dirty_tag(f, 0));
	cr_assert(pte_write(pte_at(mm, a)));
	cr_assert(pte_dirty(pte_at(mm, a)));
	cr_assert_eq(mm->min_flt, 2);
	cr_assert_eq(mm->maj_flt, 0);
}

/* §4: a store to a hole: allocate (major), entry DIRTY, read-only; then pfn_mkwrite */
Test(dax_v4_5, hole_store_is_two_faults)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(store(mm, a + P, 0x42).nr_faults, 2);
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(state(f, 1), BLOCK_MAPPED);
	cr_assert(dirty_tag(f, 1));
	cr_assert(pte_write(pte_at(mm, a + P)));
}

/* §4: dax_pfn_mkwrite() on an index with no entry (raced a punch) inserts nothing */
Test(dax_v4_5, pfn_mkwrite_without_entry_inserts_nothing)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct vm_fault vmf = {
		.vma = find_vma(mm, a),
		.address = a,
		.pgoff = 0,
		.flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE,
	};

	cr_assert_eq(dax_pfn_mkwrite(k, vmf.vma, &vmf), VM_FAULT_NOPAGE);
	cr_assert_null(entry_at(f, 0));
	cr_assert_eq(f->inode->i_data.nrexceptional, 0);
}

/* §6: fsync flushes DIRTY entries and clears TOWRITE only; the PTE stays writable */
Test(dax_v4_5, writeback_keeps_dirty)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	store(mm, a, 0x42);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))));
	cr_assert_eq(vfs_fsync_range(k, f, 0, INT64_MAX, 0), 0);
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 0))));
	cr_assert(dirty_tag(f, 0), "DIRTY is never cleared in v4.5");
	cr_assert_not(tag(f, 0, PAGECACHE_TAG_TOWRITE));
	cr_assert(pte_write(pte_at(mm, a)), "no write-protect in v4.5");
	/* a store now takes no fault and its lines are not durable */
	cr_assert_eq(store(mm, a, 0x43).nr_faults, 0);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))));
	vfs_fsync_range(k, f, 0, INT64_MAX, 0);
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 0))), "the old DIRTY tag flushes it");
}

/*
 * §7: a PMD write fault: a DIRTY PMD entry, one slot at the aligned index
 * (order 0); a writable pmd; ext4 zeroed the blocks (not major).
 */
Test(dax_v4_5, pmd_write_inserts_one_slot_entry)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, 2 * M2);
	struct radix_tree_iter iter;

	cr_assert_eq(store(mm, a + M2 + 3 * P, 1).sig, SIG_NONE);
	cr_assert(pmd_trans_huge(pmd_at(mm, a + M2)));
	cr_assert(pmd_write(pmd_at(mm, a + M2)));
	cr_assert(radix_tree_lookup_iter(&f->inode->i_data.page_tree, 512, &iter));
	cr_assert(dax_is_pmd_entry(iter.entry));
	cr_assert_eq(iter.order, 0, "v4.5: one slot, not a multi-order entry");
	cr_assert(dirty_tag(f, 512));
	cr_assert_null(entry_at(f, 515), "no entry at the other indices");
	cr_assert_eq(mm->maj_flt, 0, "ext4 cleared BH_New: no zeroing in fs/dax.c");
}

/* §7: a PMD read of a hole falls back: ext4's get_block leaves b_state 0 */
Test(dax_v4_5, pmd_hole_read_falls_back_to_a_hole_page)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2);

	load(mm, a);
	cr_assert_not(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert_null(k->dram.huge_zero_page, "never the huge zero page");
	cr_assert_not(radix_tree_exceptional_entry(entry_at(f, 0)), "a page-cache page");
	cr_assert_eq(f->inode->i_data.nrpages, 1);
}

/* §7: a PMD read of a written 2 MiB: a read-only pmd and no entry */
Test(dax_v4_5, pmd_read_inserts_no_entry)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;

	fill(f, 0, M2);
	a = map_huge(mm, f, M2);
	load(mm, a + P);
	cr_assert(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert_not(pmd_write(pmd_at(mm, a)));
	cr_assert_null(entry_at(f, 0));
	cr_assert_eq(f->inode->i_data.nrexceptional, 0);
}

/*
 * §4 dax_radix_entry(): a PMD entry replaces the PTE entry at its aligned
 * index only; PTE entries at other indices under it stay.
 */
Test(dax_v4_5, pmd_entry_replaces_only_the_aligned_pte_entry)
{
	struct file *f = new_file(0);
	struct mm_struct *m1 = mm_create(k), *m2 = mm_create(k);
	unsigned long a1, a2;

	fill(f, 0, M2);
	/* one page short of 2 MiB: the PMD would leave the VMA, PTE faults */
	a1 = map(m1, f, M2 - P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	load(m1, a1);
	load(m1, a1 + 3 * P);
	cr_assert_eq(f->inode->i_data.nrexceptional, 2);
	a2 = map_huge(m2, f, M2);
	cr_assert_eq(store(m2, a2 + 5 * P, 9).sig, SIG_NONE);
	cr_assert(pmd_trans_huge(pmd_at(m2, a2)));
	cr_assert(dax_is_pmd_entry(entry_at(f, 0)));
	cr_assert(dirty_tag(f, 0));
	cr_assert_not(dax_is_pmd_entry(entry_at(f, 3)), "the PTE entry at 3 stays");
	cr_assert_eq(f->inode->i_data.nrexceptional, 2);
}

/* §8: truncate inside a PMD entry keeps it; a punch over its first index deletes it */
Test(dax_v4_5, pmd_entry_goes_only_with_its_aligned_index)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, 2 * M2);

	store(mm, a, 1);
	store(mm, a + P, 3);
	store(mm, a + M2, 2);
	cr_assert_eq(vfs_truncate(k, f, M2 + M2 / 2), 0);
	cr_assert(dax_is_pmd_entry(entry_at(f, 512)), "the slot at 512 is below the cut");
	cr_assert(dirty_tag(f, 512));
	cr_assert_not(pmd_trans_huge(pmd_at(mm, a + M2)), "the split cleared the pmd");
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, P), 0);
	cr_assert_null(entry_at(f, 0), "deleted whole, dirty, with no writeback");
	cr_assert_eq(state(f, 1), BLOCK_MAPPED, "index 1 stays in the file");
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 1))));
}

/* §11: fork write-protects a DAX pmd in the parent and the child, which gets it old */
Test(dax_v4_5, fork_copies_pmd_write_protected)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k), *child;
	unsigned long a = map_huge(mm, f, M2);

	store(mm, a, 1);
	cr_assert(pmd_write(pmd_at(mm, a)));
	child = dup_mm(k, mm);
	cr_assert(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert_not(pmd_write(pmd_at(mm, a)));
	cr_assert(pmd_trans_huge(pmd_at(child, a)));
	cr_assert_not(pmd_write(pmd_at(child, a)));
	cr_assert_not(pmd_young(pmd_at(child, a)));
	cr_assert_eq(pmd_pfn(pmd_at(child, a)), pmd_pfn(pmd_at(mm, a)));
	cr_assert_eq(store(child, a + P, 2).nr_faults, 1, "wp_huge_pmd -> ->pmd_fault");
	cr_assert(pmd_write(pmd_at(child, a)));
	cr_assert_not(pmd_write(pmd_at(mm, a)));
}

/* §7: a PMD that would cross EOF falls back to PTEs */
Test(dax_v4_5, pmd_crossing_eof_falls_back)
{
	struct file *f = new_file(M2 - P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2);

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_not(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert(pte_write(pte_at(mm, a)));
	cr_assert_not(dax_is_pmd_entry(entry_at(f, 0)));
}

/*
 * §7: a write allocating less than 2 MiB (an extent in the way) falls back;
 * the blocks get_block allocated stay, zeroed by ext4.
 */
Test(dax_v4_5, pmd_short_allocation_falls_back)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;
	char c = 1;

	cr_assert_eq(vfs_write(k, f, 100 * P, &c, 1), 1);
	a = map_huge(mm, f, M2);
	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_not(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert_eq(state(f, 99), BLOCK_MAPPED, "the run up to the extent stays allocated");
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 99))));
	cr_assert_not(dax_is_pmd_entry(entry_at(f, 0)));
}

/*
 * §7: a private write to a read-only DAX pmd: ->pmd_fault splits it (a
 * clear, for DAX) and falls back; the PTE path copies the block.
 */
Test(dax_v4_5, private_write_on_pmd_falls_back_to_cow)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	long a;

	fill(f, 0, M2);
	a = do_mmap(k, mm, f, 0, M2, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	cr_assert_geq(a, 0);
	cr_assert_eq(a & (M2 - 1), 0);
	load(mm, a);
	cr_assert(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert_not(pmd_write(pmd_at(mm, a)));
	cr_assert_eq(store(mm, a + P, 0x42).sig, SIG_NONE);
	cr_assert_not(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert(pfn_is_dram(k, pte_pfn(pte_at(mm, a + P))), "an anonymous copy");
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_null(entry_at(f, 0), "a COW fault inserts no entry");
}

/* v4.5 hugepage_madvise(): MADV_NOHUGEPAGE on a DAX VMA (VM_MIXEDMAP) is -EINVAL */
Test(dax_v4_5, madvise_nohugepage_refused)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, M2, PROT_READ, MAP_PRIVATE, 0);

	cr_assert_eq(do_madvise(k, mm, a, M2, MADV_NOHUGEPAGE), -EINVAL);
	cr_assert_eq(do_madvise(k, mm, a, M2, MADV_HUGEPAGE), -EINVAL);
	cr_assert_not(find_vma(mm, a)->vm_flags & VM_NOHUGEPAGE);
}

/*
 * ---- Every exit of v4.5's PMD fault, one test each ----
 *
 * linux-4.5.7 fs/dax.c __dax_pmd_fault() (L803-1018), in order, with the
 * test that takes each exit (VM_FAULT_FALLBACK goes on to the PTE path,
 * SIGBUS ends the fault):
 *   L821 CONFIG_FS_DAX_PMD off: FALLBACK. Not a configuration the model has.
 *   L825 write to a private VMA: split_huge_pmd(), FALLBACK
 *        (dax_v4_5.private_write_on_pmd_falls_back_to_cow)
 *   L831 pmd_addr < vm_start: FALLBACK (dax_v4_5.pmd_exit_2m_starts_before_the_vma)
 *   L835 pmd_addr + 2 MiB > vm_end: FALLBACK (dax_v4_5.pmd_exit_2m_ends_after_the_vma)
 *   L842 pgoff >= size: SIGBUS (dax_v4_5.pmd_exit_sigbus_past_eof)
 *   L845 the 2 MiB crosses EOF: FALLBACK (dax_v4_5.pmd_crossing_eof_falls_back)
 *   L857 get_block(create 0) fails: SIGBUS. Not reachable: the model's
 *        ext4_dax_mmap_get_block() has no error without create (no I/O errors).
 *   L861 get_block(create 1) fails: SIGBUS (dax_v4_5.pmd_exit_get_block_enospc_sigbus)
 *   L873 b_size not valid (ext4's hole: b_state 0): FALLBACK
 *        (dax_v4_5.pmd_hole_read_falls_back_to_a_hole_page); b_size < 2 MiB:
 *        FALLBACK (a read: dax_v4_5.pmd_exit_short_mapped_read; a write's short
 *        allocation: dax_v4_5.pmd_short_allocation_falls_back)
 *   L898, L902 i_size checked again under i_mmap_lock (a truncate raced the
 *        allocation): not reachable, one thread and nothing changes i_size
 *        between L842 and L898.
 *   L908 the huge zero page branch (a hole reported uptodate) with its exits
 *        L913 (no huge zero page) and L919 (pmd present): not reachable, ext4's
 *        get_block leaves a hole's b_state 0 and L873 falls back first.
 *   L942 dax_map_atomic() < 0: SIGBUS, L946 length < 2 MiB: FALLBACK. Not
 *        reachable: no media errors, and a 2 MiB extent lies inside the device.
 *   L951 pfn not 2 MiB aligned: FALLBACK (dax_v4_5.pmd_exit_unaligned_pfn)
 *   L957 !pfn_t_devmap: FALLBACK. Not reachable: the model's pmem always has
 *        a memmap.
 *   L990 dax_radix_entry() fails on a write: FALLBACK
 *        (dax_v4_5.pmd_exit_radix_insertion_fails)
 * v4.5 has no colour check and no test for a PTE table in the pmd.
 */

/* ->pmd_fault (the model's .huge_fault slot) on the pmd of @addr */
static int pmd_fault(struct mm_struct *mm, unsigned long addr, unsigned flags)
{
	struct vm_fault vmf = fault_at(mm, addr, flags);

	vmf.pmd = pmd_alloc(k, mm, addr);
	return vmf.vma->vm_ops->huge_fault(k, &vmf, PE_SIZE_PMD);
}

/*
 * L831 "if (pmd_addr < vma->vm_start)": a VMA starting one page into a
 * 2 MiB: its first 2 MiB falls back, its second maps a pmd.
 */
Test(dax_v4_5, pmd_exit_2m_starts_before_the_vma)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	unsigned long x = 0x600000000000UL;

	fill(f, 0, 2 * M2);
	cr_assert_eq(do_mmap(k, mm, f, x + P, 2 * M2 - P, PROT_READ, MAP_SHARED | MAP_FIXED, P),
		     (long)(x + P));
	cr_assert_eq(pmd_fault(mm, x + 5 * P, 0), VM_FAULT_FALLBACK);
	cr_assert_eq(load(mm, x + 5 * P).value, 0x0707070707070707UL);
	cr_assert(pte_present(pte_at(mm, x + 5 * P)));
	cr_assert_eq(load(mm, x + M2).value, 0x0707070707070707UL);
	cr_assert(pmd_trans_huge(pmd_at(mm, x + M2)));
}

/* L835 "if ((pmd_addr + PMD_SIZE) > vma->vm_end)": a VMA one page short of 2 MiB */
Test(dax_v4_5, pmd_exit_2m_ends_after_the_vma)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	long a;

	fill(f, 0, M2);
	a = do_mmap(k, mm, f, 0, M2 - P, PROT_READ, MAP_SHARED, 0);
	cr_assert_geq(a, 0);
	cr_assert_eq(a & (M2 - 1), 0);
	cr_assert_eq(pmd_fault(mm, a, 0), VM_FAULT_FALLBACK);
	cr_assert_eq(load(mm, a).value, 0x0707070707070707UL);
	cr_assert(pte_present(pte_at(mm, a)));
}

/*
 * L842 "if (pgoff >= size) return VM_FAULT_SIGBUS": a 2 MiB wholly past
 * EOF, inside the VMA: SIGBUS from ->pmd_fault, a write too (no block).
 */
Test(dax_v4_5, pmd_exit_sigbus_past_eof)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, 2 * M2);

	cr_assert_eq(pmd_fault(mm, a + M2 + 5 * P, 0), VM_FAULT_SIGBUS);
	cr_assert_eq(pmd_fault(mm, a + M2, FAULT_FLAG_WRITE), VM_FAULT_SIGBUS);
	cr_assert_eq(state(f, 512), BLOCK_HOLE);
	cr_assert_eq(store(mm, a + M2, 1).sig, SIG_BUS);
	cr_assert(pmd_none(pmd_at(mm, a + M2)), "no PTE path");
}

/*
 * L861 "if (get_block(inode, block, &bh, 1) != 0) return VM_FAULT_SIGBUS":
 * a write to a 2 MiB hole on a full device is SIGBUS at the PMD level,
 * with no fallback (v4.14 falls back instead: dax.pmd_exit_iomap_begin_enospc).
 */
Test(dax_v4_5, pmd_exit_get_block_enospc_sigbus)
{
	struct kernel *big = k;
	struct kernel *tiny = kernel_create(POLICY_DAX_2016, 2 * P, 1UL << 20);
	struct inode *inode = ext4_create(tiny, true, 2 * M2);
	struct file *f = file_open(tiny, inode, FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(tiny);
	long a;

	k = tiny;
	a = do_mmap(tiny, mm, f, 0, 2 * M2, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_geq(a, 0);
	cr_assert_eq(a & (M2 - 1), 0);
	cr_assert_eq(vfs_write(tiny, f, 0, "ab", 2), 2);
	cr_assert_eq(vfs_write(tiny, f, P, "cd", 2), 2);
	cr_assert_eq(tiny->sb.nr_free, 0);
	cr_assert_eq(pmd_fault(mm, a + M2, FAULT_FLAG_WRITE), VM_FAULT_SIGBUS);
	cr_assert_eq(store(mm, a + M2, 1).sig, SIG_BUS);
	cr_assert(pmd_none(pmd_at(mm, a + M2)), "no PTE path");
	k = big;
	mm_destroy(tiny, mm);
	file_close(tiny, f);
	kernel_destroy(tiny);
}

/*
 * L873 "bh.b_size < PMD_SIZE" on a read: 100 written pages, then a hole;
 * get_block maps the 100 pages (b_size 400 KiB): FALLBACK, no entry.
 */
Test(dax_v4_5, pmd_exit_short_mapped_read)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;

	fill(f, 0, 100 * P);
	a = map_huge(mm, f, M2);
	cr_assert_eq(pmd_fault(mm, a + 3 * P, 0), VM_FAULT_FALLBACK);
	cr_assert_null(entry_at(f, 0));
	cr_assert_eq(load(mm, a + 3 * P).value, 0x0707070707070707UL);
	cr_assert(pte_present(pte_at(mm, a + 3 * P)));
}

/*
 * L951 "if (pfn_t_to_pfn(dax.pfn) & PG_PMD_COLOUR) goto fallback": a whole
 * 2 MiB extent starting at block 1 (another file took block 0).
 */
Test(dax_v4_5, pmd_exit_unaligned_pfn)
{
	struct file *g = new_file(P), *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;

	fill(g, 0, P);
	fill(f, 0, M2);
	cr_assert_eq(block_of(f, 0) & PG_PMD_COLOUR, 1);
	cr_assert_eq(block_of(f, 511), block_of(f, 0) + 511, "one 2 MiB extent: L873 passes");
	a = map_huge(mm, f, M2);
	cr_assert_eq(pmd_fault(mm, a, FAULT_FLAG_WRITE), VM_FAULT_FALLBACK);
	cr_assert_null(entry_at(f, 0), "L987: the entry comes after the pfn checks");
	cr_assert_eq(load(mm, a).value, 0x0707070707070707UL);
	cr_assert_eq(pte_pfn(pte_at(mm, a)), block_pfn(block_of(f, 0)));
}

/*
 * L987-993 "error = dax_radix_entry(...); if (error) goto fallback": the
 * slot at the 2 MiB's first index holds a hole page (dax_radix_entry()'s
 * WARN_ON_ONCE, -EIO, dax-v4.5.c), left stale over a block that ext4's
 * zeroout made written (scenarios/examples/dax-2016-zeroout-stale-hole-page.scn):
 * A reads index 0 (a hole page), fallocate makes 0-7 unwritten, a write
 * past EOF from index 7 converts them whole (EXT4_EXT_MAY_ZEROOUT) and
 * allocates 8-511 after them; generic_file_direct_write() invalidates the
 * written range only. B's write fault then finds 2 MiB written and aligned,
 * no allocation (no truncate_pagecache_range()), and the hole page at 0.
 */
Test(dax_v4_5, pmd_exit_radix_insertion_fails)
{
	struct file *f = new_file(7 * P);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map_huge(ma, f, 2 * M2), b = map_huge(mb, f, 2 * M2);
	char *buf = g_malloc0(M2 - 7 * P);

	cr_assert_eq(load(ma, a).sig, SIG_NONE);
	cr_assert_not(radix_tree_exceptional_entry(entry_at(f, 0)), "a hole page");
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_KEEP_SIZE, 0, 8 * P), 0);
	cr_assert_eq(state(f, 0), BLOCK_UNWRITTEN);
	cr_assert_eq(vfs_write(k, f, 7 * P, buf, M2 - 7 * P), (ssize_t)(M2 - 7 * P));
	g_free(buf);
	cr_assert_eq(state(f, 0), BLOCK_MAPPED);
	cr_assert_eq(block_of(f, 0), 0);
	cr_assert_eq(block_of(f, 511), 511);
	cr_assert_not(radix_tree_exceptional_entry(entry_at(f, 0)), "the hole page stayed");
	cr_assert_eq(pmd_fault(mb, b + P, FAULT_FLAG_WRITE), VM_FAULT_FALLBACK);
	cr_assert(pmd_none(pmd_at(mb, b)));
	cr_assert_not(radix_tree_exceptional_entry(entry_at(f, 0)));
}

/*
 * __dax_fault(), v4.5 fs/dax.c L636-657, under threads: a read fault on a
 * cached hole page. lock_page_or_retry() (include/linux/pagemap.h L486,
 * mm/filemap.c L936): the page locked by another task makes the fault
 * drop mmap_sem, wait for the unlock and return VM_FAULT_RETRY;
 * __do_page_fault() retries it once without FAULT_FLAG_ALLOW_RETRY
 * (arch/x86/mm/fault.c L1254-1260). fx_hole_page_race() checks each run.
 */

/* Another read: dax_load_hole() holds the page locked until do_read_fault() maps it. */
Test(dax_v4_5, hole_page_locked_by_a_read_waits_and_retries)
{
	fx_hole_page_expect(fx_init_dax_2016, FX_HOLE_READ);
}

/*
 * A write fault takes the hole page away (L703-714: unmap, delete from the
 * page cache) while A waits for it or before A locks it: A's retry, or its
 * page->mapping != mapping recheck (L643-647, "goto repeat"), finds the
 * block and reads the store; else A read the hole first.
 */
Test(dax_v4_5, hole_page_replaced_by_a_block_is_looked_up_again)
{
	fx_hole_page_expect(fx_init_dax_2016, FX_HOLE_STORE);
}

/*
 * A truncate to 0: A reads the hole before it, or meets the cut: the
 * i_size re-check under the page lock (L648-656, -EIO), or the page gone
 * from the cache (the lookup again, then dax_load_hole()'s re-check,
 * L317-323): SIGBUS.
 */
Test(dax_v4_5, hole_page_truncated_meanwhile_is_sigbus)
{
	fx_hole_page_expect(fx_init_dax_2016, FX_HOLE_TRUNCATE);
}

/*
 * __dax_pmd_fault(), L878-887: a PMD write fault that allocated a hole
 * drops the hole pages of its 2 MiB from every VMA and the page cache
 * (truncate_pagecache_range()) before it inserts its PMD entry: A's hole
 * page at index 0 goes, B gets its pmd. With bug-pmd-keeps-hole-pages
 * (v4.4's way, no removal for a get_block without BH_New) the hole page
 * stays cached and mapped in A over the new block 0, and B's PMD entry
 * meets it in slot 0 (dax_radix_entry(), L374: -EIO): B falls back.
 */
static void pmd_write_over_hole_page(bool bug)
{
	struct file *f = new_file(M2);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map_huge(ma, f, M2), b = map_huge(mb, f, M2);

	k->policy.sw[SW_BUG_PMD_KEEPS_HOLE_PAGES] = bug;
	cr_assert_eq(load(ma, a).sig, SIG_NONE);
	cr_assert_not(radix_tree_exceptional_entry(entry_at(f, 0)), "a hole page");
	cr_assert_eq(pmd_fault(mb, b + P, FAULT_FLAG_WRITE), bug ? VM_FAULT_FALLBACK : VM_FAULT_NOPAGE);
	cr_assert_eq(state(f, 0), BLOCK_MAPPED, "the 2 MiB is allocated either way");
	cr_assert_eq(f->inode->i_data.nrpages, bug ? 1 : 0);
	cr_assert_eq(pte_present(pte_at(ma, a)), bug);
	cr_assert_eq(pmd_trans_huge(pmd_at(mb, b)), !bug);
}

Test(dax_v4_5, pmd_write_drops_hole_pages)
{
	pmd_write_over_hole_page(false);
}

Test(dax_v4_5, pmd_write_keeps_hole_pages_with_the_bug)
{
	pmd_write_over_hole_page(true);
}
