// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the switches that make the modern policy (Linux 6.1)
 * out of dax-2017's code (model/policy.c): each alone, on a dax-2017
 * kernel, against its v4.14 behaviour, then all together under modern.
 * Expected values come from docs/eras/modern.md (§n) and the rig.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "dax.h"
#include "ext4.h"
#include "huge_mm.h"
#include "kernel.h"
#include "mm.h"
#include "pgtable.h"
#include "policy.h"

TestSuite(modern, .init = fx_init, .fini = fx_fini);

static struct vm_area_struct *vma_at(struct mm_struct *mm, unsigned long a)
{
	return find_vma(mm, a);
}

/* §2: dax-no-mixedmap drops VM_MIXEDMAP from the ext4 DAX VMA; VM_HUGEPAGE stays. */
Test(modern, no_mixedmap)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b;

	cr_assert(vma_at(mm, a)->vm_flags & VM_MIXEDMAP, "v4.14");
	k->policy.sw[SW_DAX_NO_MIXEDMAP] = 1;
	b = do_mmap(k, mm, f, 0, 4 * P, PROT_READ, MAP_SHARED, 0);	/* huge allowed */
	cr_assert_not(vma_at(mm, b)->vm_flags & VM_MIXEDMAP);
	cr_assert(vma_at(mm, b)->vm_flags & VM_HUGEPAGE);
}

/*
 * dax-read-dirty (6.1 dax_insert_entry() L862): a read fault tags its
 * entry DIRTY and dirties the inode, a zero entry too; fsync writes the
 * zero entry back (clears its tags) without touching pmem.
 */
Test(modern, read_fault_dirties)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert_not(dirty_tag(f, 0), "v4.14: a read does not dirty");
	k->policy.sw[SW_DAX_READ_DIRTY] = 1;
	cr_assert_eq(load(mm, a + P).sig, SIG_NONE);
	cr_assert(dax_is_zero_entry(entry_at(f, 1)) && dirty_tag(f, 1));
	cr_assert(f->inode->dirty);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	cr_assert_not(dirty_tag(f, 1) || tag(f, 1, PAGECACHE_TAG_TOWRITE));
	cr_assert(dax_is_zero_entry(entry_at(f, 1)), "the entry stays, clean");
	cr_assert_eq(pte_at(mm, a + P).val & _PAGE_RW, 0);
}

/* A read of a written block, under dax-read-dirty: a DIRTY block entry, a read-only PTE. */
Test(modern, read_of_block_dirties)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);

	k->policy.sw[SW_DAX_READ_DIRTY] = 1;
	cr_assert_eq(vfs_write(k, f, 0, "x", 1), 1);
	cr_assert_eq(load(mm, a).value, 'x');
	cr_assert(dax_is_block_entry(entry_at(f, 0)) && dirty_tag(f, 0));
	cr_assert_not(pte_write(pte_at(mm, a)));
}

/*
 * map-sync, do_mmap() (§5): off, MAP_SHARED_VALIDATE is -EINVAL and
 * MAP_SYNC ignored; on, MAP_SYNC sets VM_SYNC with MAP_SHARED_VALIDATE,
 * MAP_SHARED and MAP_PRIVATE alike.
 */
Test(modern, map_sync_flags)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	long a;

	cr_assert_eq(do_mmap(k, mm, f, 0, 4 * P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, 0),
		     -EINVAL);
	a = do_mmap(k, mm, f, 0, 4 * P, PROT_READ, MAP_SHARED | MAP_SYNC, 0);
	cr_assert_geq(a, 0);
	cr_assert_not(vma_at(mm, a)->vm_flags & VM_SYNC, "v4.14 ignores the flag");
	k->policy.sw[SW_MAP_SYNC] = 1;
	a = do_mmap(k, mm, f, 0, 4 * P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, 0);
	cr_assert_geq(a, 0);
	cr_assert(vma_at(mm, a)->vm_flags & VM_SYNC);
	cr_assert(vma_at(mm, a)->vm_flags & VM_MAYSHARE);
	a = do_mmap(k, mm, f, 0, 4 * P, PROT_READ, MAP_SHARED | MAP_SYNC, 0);
	cr_assert(a >= 0 && (vma_at(mm, a)->vm_flags & VM_SYNC));
	a = do_mmap(k, mm, f, 0, 4 * P, PROT_READ, MAP_PRIVATE | MAP_SYNC, 0);
	cr_assert(a >= 0 && (vma_at(mm, a)->vm_flags & VM_SYNC));
	a = do_mmap(k, mm, f, 0, 4 * P, PROT_READ, MAP_SHARED_VALIDATE, 0);
	cr_assert(a >= 0 && !(vma_at(mm, a)->vm_flags & VM_SYNC));
}

/*
 * map-sync, the fault (§5): a write fault on a hole in a VM_SYNC VMA
 * allocates (an uncommitted allocation: IOMAP_F_DIRTY), returns
 * VM_FAULT_NEEDDSYNC with no PTE, and ext4 finishes it: the journal
 * commits, then a writable dirty PTE and a DIRTY entry. Its result
 * replaces the fault's, MAJOR included (rig: sync_hole.store_majflt=0).
 * A second write on a block allocated before, once committed, is not
 * synchronous: no commit.
 */
Test(modern, map_sync_fault)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a, seq;
	struct access_result r;

	k->policy.sw[SW_MAP_SYNC] = 1;
	cr_assert_eq(vfs_write(k, f, 2 * P, "y", 1), 1);
	a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, 0);
	seq = k->sb.j_commit_sequence;
	r = store(mm, a, 0x42);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_not(r.fault_ret & VM_FAULT_MAJOR);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(k->sb.j_commit_sequence, seq + 1, "dax_finish_sync_fault's fsync committed");
	cr_assert(pte_write(pte_at(mm, a)) && pte_dirty(pte_at(mm, a)));
	cr_assert(dirty_tag(f, 0));
	cr_assert_eq(state(f, 0), BLOCK_MAPPED);
	/* committed now: the write to the block of write(2) is an ordinary fault */
	r = store(mm, a + 2 * P, 0x43);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(k->sb.j_commit_sequence, seq + 1);
	cr_assert(pte_write(pte_at(mm, a + 2 * P)) && dirty_tag(f, 2));
}

/* A file whose size is not a page multiple: its last page's extent spans EOF: IOMAP_F_DIRTY always. */
Test(modern, map_sync_fault_spanning_eof)
{
	struct file *f = new_file(P + 100);
	struct mm_struct *mm = mm_create(k);
	unsigned long a, seq;

	k->policy.sw[SW_MAP_SYNC] = 1;
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, 0);
	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);	/* allocates: F_DIRTY */
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	seq = k->sb.j_commit_sequence;
	cr_assert_eq(store(mm, a + P, 1).sig, SIG_NONE);	/* allocates: F_DIRTY */
	cr_assert_eq(k->sb.j_commit_sequence, seq + 1);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	seq = k->sb.j_commit_sequence;
	/* a write-protect fault on the committed block of the last page: spans EOF */
	cr_assert_eq(load(mm, a + P).sig, SIG_NONE);
	cr_assert_eq(store(mm, a + P, 2).sig, SIG_NONE);
	cr_assert(pte_write(pte_at(mm, a + P)));
	cr_assert(dirty_tag(f, 1));
	cr_assert_eq(k->sb.j_commit_sequence, seq, "nothing left to commit: no new transaction");
}

/*
 * ext4-break-layouts (§9): a punch of one page unmaps every DAX PTE of
 * the file in every process; a private COW page stays.
 */
Test(modern, break_layouts_unmaps_whole_file)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);

	cr_assert_eq(vfs_write(k, f, 0, "abcdefgh", 8), 8);
	cr_assert_eq(load(mm, a + 7 * P).sig, SIG_NONE);
	cr_assert_eq(store(mm, p + 6 * P, 9).sig, SIG_NONE);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, P), 0);
	cr_assert(pte_present(pte_at(mm, a + 7 * P)), "v4.14 unmaps the hole only");
	k->policy.sw[SW_EXT4_BREAK_LAYOUTS] = 1;
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, P), 0);
	cr_assert_not(pte_present(pte_at(mm, a + 7 * P)));
	cr_assert(pte_present(pte_at(mm, p + 6 * P)), "the COW page stays");
	cr_assert_eq(load(mm, p + 6 * P).value, 9);
	cr_assert_eq(load(mm, a + 7 * P).sig, SIG_NONE);
	cr_assert_eq(vfs_truncate(k, f, 8 * P), 0);	/* same size: the break still runs */
	cr_assert_not(pte_present(pte_at(mm, a + 7 * P)));
}

/*
 * pmd-insert-checks (6.1 insert_pfn_pmd() L848-861): a present pmd is
 * left alone by a read insert and by a write of another pfn; a write of
 * the same pfn makes it young, dirty and writable. v4.14 overwrote it.
 */
Test(modern, pmd_insert_checks)
{
	struct file *f = new_file(2 * PMD_SIZE);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct vm_fault vmf = { 0 };
	pmd_t *pmdp;
	unsigned long pfn;

	cr_assert_geq(a, 0);
	cr_assert_eq(load(mm, a).sig, SIG_NONE);	/* huge zero page */
	cr_assert_eq(vfs_write(k, f, PMD_SIZE, "z", 1), 1);
	pmdp = pmd_lookup(mm, a);
	cr_assert(pmdp && pmd_trans_huge(*pmdp));
	pfn = pmd_pfn(*pmdp);
	vmf.vma = vma_at(mm, a);
	vmf.address = a;
	vmf.pmd = pmdp;
	k->policy.sw[SW_PMD_INSERT_CHECKS] = 1;
	cr_assert_eq(vmf_insert_pfn_pmd(k, &vmf, PMEM_BASE_PFN, false), VM_FAULT_NOPAGE);
	cr_assert_eq(pmd_pfn(*pmdp), pfn, "left alone");
	cr_assert_eq(vmf_insert_pfn_pmd(k, &vmf, PMEM_BASE_PFN, true), VM_FAULT_NOPAGE);
	cr_assert_eq(pmd_pfn(*pmdp), pfn, "another pfn: left alone");
	cr_assert_not(pmd_write(*pmdp));
	cr_assert_eq(vmf_insert_pfn_pmd(k, &vmf, pfn, true), VM_FAULT_NOPAGE);
	cr_assert(pmd_write(*pmdp) && pmd_dirty(*pmdp) && pmd_young(*pmdp));
	k->policy.sw[SW_PMD_INSERT_CHECKS] = 0;
	cr_assert_eq(vmf_insert_pfn_pmd(k, &vmf, PMEM_BASE_PFN, false), VM_FAULT_NOPAGE);
	cr_assert_eq(pmd_pfn(*pmdp), PMEM_BASE_PFN, "v4.14 writes the pmd whatever it held");
	cr_assert(pmd_devmap(*pmdp));
}

/* The modern preset: every switch after v4.14 on, dax-2017's off. */
Test(modern, preset)
{
	struct kernel *m = kernel_create(POLICY_MODERN, 1UL << 20, 1UL << 20);

	for (int i = SW_DAX_MKCLEAN_RANGE; i < SW_DAX_MKCLEAN; i++) {
		cr_assert(m->policy.sw[i], "%s", switch_descs[i].name);
		cr_assert_not(k->policy.sw[i], "%s", switch_descs[i].name);
		cr_assert(switch_descs[i].policies & (1u << POLICY_MODERN));
	}
	cr_assert(m->policy.sw[SW_EXT4_ZEROOUT]);
	cr_assert_not(m->policy.sw[SW_DAX_MKCLEAN], "v4.10's mkclean is dax-2016's switch");
	cr_assert(m->policy.sw[SW_DAX_INVALIDATE_WAKE_ALL]);
	cr_assert_not(k->policy.sw[SW_DAX_INVALIDATE_WAKE_ALL]);
	kernel_destroy(m);
}

/*
 * map-sync on the PMD path: a 2 MiB write fault on a hole in a VM_SYNC
 * VMA allocates 2 MiB, inserts the PMD entry clean and no pmd
 * (NEEDDSYNC); dax_finish_sync_fault() fsyncs the 2 MiB and
 * dax_insert_pfn_mkwrite() (order 9) tags it DIRTY and maps a writable,
 * dirty pmd.
 */
Test(modern, map_sync_pmd_fault)
{
	struct file *f = new_file(2 * PMD_SIZE);
	struct mm_struct *mm = mm_create(k);
	unsigned long seq;
	long a;
	pmd_t *pmdp;

	k->policy.sw[SW_MAP_SYNC] = 1;
	a = do_mmap(k, mm, f, 0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED_VALIDATE | MAP_SYNC, 0);
	cr_assert_geq(a, 0);
	cr_assert_eq(a & (PMD_SIZE - 1), 0);
	seq = k->sb.j_commit_sequence;
	cr_assert_eq(store(mm, a + 3 * P, 0x5a).sig, SIG_NONE);
	pmdp = pmd_lookup(mm, a);
	cr_assert(pmdp && pmd_trans_huge(*pmdp) && pmd_write(*pmdp) && pmd_dirty(*pmdp));
	cr_assert(dax_is_pmd_entry(entry_at(f, 3)) && dirty_tag(f, 3));
	cr_assert_eq(k->sb.j_commit_sequence, seq + 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->maj_flt, 0);
}

/*
 * thp-unmapped-area-any-file (6.1 mm/huge_memory.c thp_get_unmapped_area()
 * L638: no IS_DAX() test): a page-cache ext4 file's mapping without a hint
 * gets the offset's colour modulo 2 MiB, as a DAX file's does; v4.14 gave
 * it the lowest free range. A hint still turns the alignment off.
 */
Test(modern, thp_unmapped_area_any_file)
{
	struct inode *inode = ext4_create(k, false, 8UL << 20);
	struct file *f = open_inode(inode, FMODE_READ);
	struct mm_struct *mm = mm_create(k);
	long small = do_mmap(k, mm, f, 0, P, PROT_READ, MAP_SHARED, 0);
	long a = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ, MAP_SHARED, 0);
	long b, c;

	cr_assert_geq(small, 0);
	cr_assert_eq(a, small + (long)P, "v4.14: the lowest free range");
	k->policy.sw[SW_THP_UNMAPPED_AREA_ANY_FILE] = 1;
	b = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ, MAP_SHARED, 0);
	cr_assert_geq(b, 0);
	cr_assert_eq(b & (PMD_SIZE - 1), 0);
	c = do_mmap(k, mm, f, 0x7f1000003000UL, 4UL << 20, PROT_READ, MAP_SHARED, 0);
	cr_assert_eq(c, 0x7f1000003000L, "a free hint is taken as it is");
}

/*
 * ext4-break-layouts: 6.1's collapse range (fs/ext4/extents.c L5330)
 * calls ext4_break_layouts() under the invalidate lock, which unmaps the
 * whole file: the PTE before the offset goes too (v4.14 keeps it).
 */
Test(modern, collapse_breaks_layouts)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	store(mm, a, 1);
	store(mm, a + 2 * P, 2);
	k->policy.sw[SW_EXT4_BREAK_LAYOUTS] = 1;
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, P), 0);
	cr_assert(pte_none(pte_at(mm, a)));
	cr_assert_eq(load(mm, a).value, 1);
	cr_assert_eq(load(mm, a + P).value, 2);
}
