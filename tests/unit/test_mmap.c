// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/mmap.c: mmap(2), munmap(2), mprotect(2), madvise(2),
 * msync(2) and MAP_POPULATE on ext4 DAX files, v4.14.
 *
 * Sources: docs/eras/dax-2017.md (cited as §n) and, for the syscall
 * argument rules the doc does not cover, the v4.14.177 source it was read
 * from (linuxzjs/linux-4.14 @3550cd6a1): mm/mmap.c do_mmap() L1345,
 * arch/x86/kernel/sys_x86_64.c sys_mmap L91, mm/huge_memory.c
 * thp_get_unmapped_area() L533, mm/mprotect.c do_mprotect_pkey() L476,
 * mm/madvise.c sys_madvise L791, mm/msync.c sys_msync L32.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "fixture.h"

#include "dax.h"
#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"

#define MADV_REMOVE	9	/* include/uapi/asm-generic/mman-common.h */

TestSuite(mmap, .init = fx_init, .fini = fx_fini);

/* The VMAs in the file's i_mmap. */
static int i_mmap_count(struct inode *inode)
{
	struct vm_area_struct *vma;
	int n = 0;

	vma_interval_tree_foreach(vma, &inode->i_data.i_mmap, 0, ULONG_MAX)
		n++;
	return n;
}

/* A mapping that takes the 4 KiB path (MADV_NOHUGEPAGE, §11). */

/* ---- mmap ---- */

/*
 * do_mmap L1356 (!len: EINVAL), sys_mmap L97 (unaligned offset: EINVAL),
 * L1420 (shared write on a file not open for writing: EACCES), L1442 (no
 * FMODE_READ: EACCES), L1457 (any other map type, MAP_SHARED_VALIDATE
 * included, is EINVAL in v4.14: it arrived in v4.15).
 */
Test(mmap, argument_errors)
{
	struct file *rw = new_file(16 * P);
	struct file *ro = open_inode(rw->inode, FMODE_READ);
	struct file *wo = open_inode(rw->inode, FMODE_WRITE);
	struct mm_struct *mm = mm_create(k);

	cr_assert_eq(do_mmap(k, mm, rw, 0, 0, PROT_READ, MAP_SHARED, 0), -EINVAL);
	cr_assert_eq(do_mmap(k, mm, rw, 0, P, PROT_READ, MAP_SHARED, 100), -EINVAL);
	cr_assert_eq(do_mmap(k, mm, ro, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0), -EACCES);
	cr_assert_eq(do_mmap(k, mm, rw, 0, P, PROT_READ, MAP_SHARED_VALIDATE, 0), -EINVAL);
	cr_assert_eq(do_mmap(k, mm, rw, 0, P, PROT_READ, 0, 0), -EINVAL);
	cr_assert_eq(do_mmap(k, mm, wo, 0, P, PROT_READ, MAP_SHARED, 0), -EACCES);
	cr_assert_eq(do_mmap(k, mm, wo, 0, P, PROT_READ, MAP_PRIVATE, 0), -EACCES);
	cr_assert_eq(mm->map_count, 0, "a failed mmap creates no VMA");
	/* A private writable mapping of a read-only file is fine (COW). */
	cr_assert_geq(do_mmap(k, mm, ro, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0), 0);

	/* A page-cache file (dax-2017): ext4_file_vm_ops, no VM_MIXEDMAP. */
	struct file *pc = open_inode(ext4_create(k, false, 4 * P), FMODE_READ | FMODE_WRITE);
	long addr = do_mmap(k, mm, pc, 0, P, PROT_READ, MAP_SHARED, 0);

	cr_assert_geq(addr, 0);
	cr_assert_eq(find_vma(mm, addr)->vm_ops, &ext4_file_vm_ops);
	cr_assert_not(find_vma(mm, addr)->vm_flags & (VM_MIXEDMAP | VM_HUGEPAGE));
	cr_assert_eq(mm->map_count, 2);
}

/* do_mmap L1436-1438: a read-only file's MAP_SHARED loses VM_SHARED|VM_MAYWRITE. */
Test(mmap, readonly_file_shared_mapping)
{
	struct file *rw = new_file(16 * P);
	struct file *ro = open_inode(rw->inode, FMODE_READ);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, ro, 4 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert_not_null(vma);
	cr_assert_not(vma->vm_flags & VM_SHARED);
	cr_assert_not(vma->vm_flags & VM_MAYWRITE);
	cr_assert(vma->vm_flags & VM_MAYSHARE);
	cr_assert(vma->vm_flags & VM_READ);
	/* ... so it can never be made writable: do_mprotect_pkey L563. */
	cr_assert_eq(do_mprotect(k, mm, a, P, PROT_READ | PROT_WRITE), -EACCES);
	cr_assert_not(find_vma(mm, a)->vm_flags & VM_WRITE);
}

/*
 * §4: ext4_file_mmap sets VM_MIXEDMAP|VM_HUGEPAGE on DAX VMAs, and
 * vm_page_prot is read-only even for a shared writable VMA (write-notify),
 * as it is for private VMAs.
 */
Test(mmap, dax_vma_flags_and_prot)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	long s = do_mmap(k, mm, f, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 4 * P);
	long p = do_mmap(k, mm, f, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct vm_area_struct *vs, *vp;

	cr_assert_geq(s, 0);
	cr_assert_geq(p, 0);
	vs = find_vma(mm, s);
	vp = find_vma(mm, p);
	cr_assert_eq(vs->vm_start, (unsigned long)s);
	cr_assert_eq(vs->vm_end, (unsigned long)s + 2 * P);
	cr_assert_eq(vs->vm_pgoff, 4);
	cr_assert_eq(vs->vm_file, f);
	cr_assert_eq(vs->vm_mm, mm);
	for (int i = 0; i < 2; i++) {
		struct vm_area_struct *v = i ? vp : vs;

		cr_assert_eq(v->vm_flags & (VM_MIXEDMAP | VM_HUGEPAGE), VM_MIXEDMAP | VM_HUGEPAGE);
		cr_assert_eq(v->vm_flags & (VM_READ | VM_WRITE), VM_READ | VM_WRITE);
		cr_assert_not(v->vm_page_prot & _PAGE_RW, "vm_page_prot must be read-only");
		cr_assert(v->vm_page_prot & _PAGE_PRESENT);
	}
	cr_assert_eq(vs->vm_flags & (VM_SHARED | VM_MAYSHARE), VM_SHARED | VM_MAYSHARE);
	cr_assert_not(vp->vm_flags & (VM_SHARED | VM_MAYSHARE));
	/* Both are in the file's i_mmap, private included (§5). */
	cr_assert_eq(i_mmap_count(f->inode), 2);
}

/*
 * thp_get_unmapped_area() (ext4_file_operations.get_unmapped_area, v4.14):
 * when [off, off + len) holds an aligned 2 MiB, the address gets the same
 * colour as the offset modulo 2 MiB.
 */
Test(mmap, placement_is_pmd_colour_aligned)
{
	struct file *f = new_file(16UL << 20);
	struct mm_struct *mm = mm_create(k);
	long small = do_mmap(k, mm, f, 0, P, PROT_READ, MAP_SHARED, 0);
	long a = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ, MAP_SHARED, 0);
	long b = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ, MAP_SHARED, 3 * P);
	long c = do_mmap(k, mm, f, 0, 2UL << 20, PROT_READ, MAP_SHARED, 2UL << 20);

	cr_assert_geq(small, 0);
	cr_assert_geq(a, 0);
	cr_assert_geq(b, 0);
	cr_assert_geq(c, 0);
	cr_assert_eq(a & (PMD_SIZE - 1), 0, "a = %#lx", a);
	cr_assert_eq(b & (PMD_SIZE - 1), 3 * P, "b = %#lx", b);
	cr_assert_eq(c & (PMD_SIZE - 1), 0, "c = %#lx", c);
	/* Nothing overlaps. */
	cr_assert_eq(mm->map_count, 4);
	for (struct vm_area_struct *v = vma_first(mm); v->vm_next; v = v->vm_next)
		cr_assert_leq(v->vm_end, v->vm_next->vm_start);
}

/* find_vma(): the first VMA with vm_end > addr, or NULL. */
Test(mmap, find_vma_semantics)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(do_mmap(k, mm, f, x, 2 * P, PROT_READ, MAP_SHARED | MAP_FIXED, 0), (long)x);
	cr_assert_eq(do_mmap(k, mm, f, x + 4 * P, P, PROT_READ, MAP_SHARED | MAP_FIXED, 0),
		     (long)(x + 4 * P));
	cr_assert_eq(find_vma(mm, 0)->vm_start, x);
	cr_assert_eq(find_vma(mm, x + P + 5)->vm_start, x);
	cr_assert_eq(find_vma(mm, x + 2 * P)->vm_start, x + 4 * P, "a gap gives the next VMA");
	cr_assert_eq(find_vma(mm, x + 5 * P - 1)->vm_start, x + 4 * P);
	cr_assert_null(find_vma(mm, x + 5 * P));
}

/* MAP_FIXED over an existing mapping unmaps what was there first. */
Test(mmap, map_fixed_replaces)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);

	for (int i = 0; i < 4; i++)
		cr_assert_eq(load(mm, a + i * P).sig, SIG_NONE);
	cr_assert_eq(do_mmap(k, mm, f, a + P, P, PROT_READ, MAP_SHARED | MAP_FIXED, 8 * P),
		     (long)(a + P));
	cr_assert_eq(mm->map_count, 3);
	cr_assert(pte_none(pte_at(mm, a + P)), "the old PTE must be gone");
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert_eq(find_vma(mm, a + P)->vm_pgoff, 8);
	cr_assert_eq(find_vma(mm, a + 2 * P)->vm_pgoff, 2);
}

/* ---- munmap ---- */

Test(mmap, munmap_splits_in_the_middle)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_area_struct *lo, *hi;

	for (int i = 0; i < 4; i++)
		cr_assert_eq(load(mm, a + i * P).sig, SIG_NONE);
	cr_assert_eq(do_munmap(k, mm, a + P, 2 * P), 0);
	cr_assert_eq(mm->map_count, 2);
	lo = find_vma(mm, a);
	hi = find_vma(mm, a + P);
	cr_assert_eq(lo->vm_start, a);
	cr_assert_eq(lo->vm_end, a + P);
	cr_assert_eq(lo->vm_pgoff, 0);
	cr_assert_eq(hi->vm_start, a + 3 * P);
	cr_assert_eq(hi->vm_end, a + 4 * P);
	cr_assert_eq(hi->vm_pgoff, 3);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	cr_assert(pte_present(pte_at(mm, a + 3 * P)));
	cr_assert_eq(i_mmap_count(f->inode), 2);
	cr_assert_eq(load(mm, a + P).sig, SIG_SEGV);
	/* The data is still reachable through the upper part. */
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_NONE);

	/* do_munmap (mm/mmap.c): unaligned start or zero length is EINVAL. */
	cr_assert_eq(do_munmap(k, mm, a + 1, P), -EINVAL);
	cr_assert_eq(do_munmap(k, mm, a, 0), -EINVAL);
	cr_assert_eq(do_munmap(k, mm, a + P, P), 0, "unmapping nothing is fine");
	cr_assert_eq(mm->map_count, 2);
}

/* ---- mprotect ---- */

/* Splitting: only the middle VMA changes, and its PTEs lose write. */
Test(mmap, mprotect_splits_and_wrprotects)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct vm_area_struct *mid;

	for (int i = 0; i < 3; i++)
		cr_assert_eq(store(mm, a + i * P, i + 1).sig, SIG_NONE);
	cr_assert_eq(do_mprotect(k, mm, a + P, P, PROT_READ), 0);
	cr_assert_eq(mm->map_count, 3);
	mid = find_vma(mm, a + P);
	cr_assert_eq(mid->vm_start, a + P);
	cr_assert_eq(mid->vm_end, a + 2 * P);
	cr_assert_eq(mid->vm_pgoff, 1);
	cr_assert_not(mid->vm_flags & VM_WRITE);
	cr_assert(find_vma(mm, a)->vm_flags & VM_WRITE);
	cr_assert(find_vma(mm, a + 2 * P)->vm_flags & VM_WRITE);
	cr_assert_not(pte_write(pte_at(mm, a + P)));
	cr_assert(pte_present(pte_at(mm, a + P)));
	cr_assert(pte_write(pte_at(mm, a)));
	cr_assert_eq(store(mm, a + P, 9).sig, SIG_SEGV);
	cr_assert_eq(load(mm, a + P).value, 2);
	struct access_result r = store(mm, a + 2 * P, 9);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 0, "the untouched VMA keeps its writable PTE");
}

/*
 * §13.3: mprotect back to writable makes only already-dirty PTEs writable
 * (dirty_accountable); a clean one stays read-only and the next store
 * takes a pfn_mkwrite fault.
 */
Test(mmap, mprotect_writable_only_for_dirty_ptes)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);		/* dirty */
	cr_assert_eq(vfs_write(k, f, P, "x", 1), 1);
	cr_assert_eq(load(mm, a + P).sig, SIG_NONE);		/* clean, read-only */
	cr_assert_eq(do_mprotect(k, mm, a, 2 * P, PROT_READ), 0);
	cr_assert_not(pte_write(pte_at(mm, a)));
	cr_assert_eq(do_mprotect(k, mm, a, 2 * P, PROT_READ | PROT_WRITE), 0);
	cr_assert(pte_write(pte_at(mm, a)), "a dirty PTE becomes writable again");
	cr_assert_not(pte_write(pte_at(mm, a + P)), "a clean PTE stays read-only");
	r = store(mm, a + P, 2);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert(dirty_tag(f, 1), "the pfn_mkwrite fault dirties the entry (§2 step 4)");
}

Test(mmap, mprotect_errors)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(do_mprotect(k, mm, a + 1, P, PROT_READ), -EINVAL);
	cr_assert_eq(do_mprotect(k, mm, a, 0, PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(do_mprotect(k, mm, 0x100000000000UL, P, PROT_READ), -ENOMEM);
	cr_assert_eq(do_mprotect(k, mm, a, 3 * P, PROT_READ), -ENOMEM);
}

/*
 * do_mprotect_pkey (L539-590) applies the change VMA by VMA and only then
 * finds the gap: the mapped part before it is changed, and the call
 * returns -ENOMEM.
 * This was a model bug, found by this test and fixed: do_mprotect() checks range_mapped() first and changes nothing.
 */
Test(mmap, mprotect_applies_before_gap)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(do_mmap(k, mm, f, x, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0),
		     (long)x);
	cr_assert_eq(do_mprotect(k, mm, x, 2 * P, PROT_READ), -ENOMEM);
	cr_assert_not(find_vma(mm, x)->vm_flags & VM_WRITE,
		      "the VMA before the gap is already read-only");
}

/* ---- madvise ---- */

/*
 * hugepage_madvise (mm/khugepaged.c): NOHUGEPAGE clears VM_HUGEPAGE and
 * sets VM_NOHUGEPAGE, splitting at the range ends; §11: that forces the PTE
 * path on a mapping that would otherwise try a PMD.
 */
Test(mmap, madvise_nohugepage)
{
	struct file *f = new_file(8UL << 20);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ, MAP_SHARED, 0);
	struct vm_area_struct *v;

	cr_assert_geq(a, 0);
	cr_assert_eq(a & (PMD_SIZE - 1), 0);
	cr_assert_eq(do_madvise(k, mm, a, PMD_SIZE, MADV_NOHUGEPAGE), 0);
	cr_assert_eq(mm->map_count, 2);
	v = find_vma(mm, a);
	cr_assert_eq(v->vm_end, a + PMD_SIZE);
	cr_assert(v->vm_flags & VM_NOHUGEPAGE);
	cr_assert_not(v->vm_flags & VM_HUGEPAGE);
	cr_assert(find_vma(mm, a + PMD_SIZE)->vm_flags & VM_HUGEPAGE);

	k->not_modelled = NULL;
	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert_null(k->not_modelled);
	cr_assert(pte_present(pte_at(mm, a)), "a 4 KiB PTE, not a PMD");

	cr_assert_eq(do_madvise(k, mm, a, PMD_SIZE, MADV_HUGEPAGE), 0);
	cr_assert(find_vma(mm, a)->vm_flags & VM_HUGEPAGE);
	cr_assert_not(find_vma(mm, a)->vm_flags & VM_NOHUGEPAGE);
}

/* sys_madvise L801-818 and the -ENOMEM for unmapped ranges (L845-851). */
Test(mmap, madvise_errors)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(do_madvise(k, mm, a + 1, P, MADV_DONTNEED), -EINVAL);
	cr_assert_eq(do_madvise(k, mm, a, P, 12345), -EINVAL);
	cr_assert_eq(do_madvise(k, mm, a, 0, MADV_DONTNEED), 0);
	cr_assert_eq(do_madvise(k, mm, 0x100000000000UL, P, MADV_DONTNEED), -ENOMEM);
	/* MADV_REMOVE needs a shared writable VMA (madvise_remove). */
	cr_assert_eq(do_madvise(k, mm, a, P, MADV_REMOVE), -EACCES);
}

/*
 * sys_madvise L833-876: "If the interval [start,end) covers some unmapped
 * address ranges, just ignore them, but return -ENOMEM at the end": the
 * mapped part is still zapped.
 * This was a model bug, found by this test and fixed: do_madvise() checks range_mapped() first and returns -ENOMEM
 * without applying the advice to the mapped part.
 */
Test(mmap, madvise_dontneed_across_gap)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(do_mmap(k, mm, f, x, P, PROT_READ, MAP_SHARED | MAP_FIXED, 0), (long)x);
	cr_assert_eq(load(mm, x).sig, SIG_NONE);
	cr_assert_eq(do_madvise(k, mm, x, 2 * P, MADV_DONTNEED), -ENOMEM);
	cr_assert(pte_none(pte_at(mm, x)), "the mapped part is zapped");
}

/* §10: DONTNEED zaps every PTE, writes nothing back, keeps entries and tags. */
Test(mmap, madvise_dontneed_keeps_entries)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct radix_tree_root *tree = &f->inode->i_data.page_tree;
	void *e0, *e1;
	struct access_result r;

	cr_assert_eq(store(mm, s, 0x11).sig, SIG_NONE);		/* DAX block, DIRTY */
	cr_assert_eq(load(mm, s + P).sig, SIG_NONE);		/* zero page */
	cr_assert_eq(store(mm, p + 2 * P, 0x22).sig, SIG_NONE);	/* anonymous COW */
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	e0 = radix_tree_lookup(tree, 0);
	e1 = radix_tree_lookup(tree, 1);

	cr_assert_eq(do_madvise(k, mm, s, 4 * P, MADV_DONTNEED), 0);
	cr_assert_eq(do_madvise(k, mm, p, 4 * P, MADV_DONTNEED), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert(pte_none(pte_at(mm, s + i * P)));
		cr_assert(pte_none(pte_at(mm, p + i * P)));
	}
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0, "the COW page is zapped too");
	cr_assert_eq(radix_tree_lookup(tree, 0), e0);
	cr_assert_eq(radix_tree_lookup(tree, 1), e1);
	cr_assert(dirty_tag(f, 0), "no writeback: DIRTY stays for a later fsync");
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))));

	/* The next access faults again and sees the data. */
	r = load(mm, s);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(r.value, 0x11);
	r = load(mm, p + 2 * P);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(r.value, 0, "the private copy is gone; the file hole reads zero");
}

/* §10: MADV_REMOVE punches the file range (PUNCH_HOLE|KEEP_SIZE, §7). */
Test(mmap, madvise_remove_punches)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	for (int i = 0; i < 3; i++)
		cr_assert_eq(store(mm, a + i * P, 0x100 + i).sig, SIG_NONE);
	cr_assert_eq(f->inode->i_blocks, 3);
	cr_assert_eq(do_madvise(k, mm, a + P, P, MADV_REMOVE), 0);
	cr_assert_eq(f->inode->i_blocks, 2);
	unsigned long b;

	cr_assert_eq(ext4_block_lookup(f->inode, 1, &b), BLOCK_HOLE);
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert_null(radix_tree_lookup(&f->inode->i_data.page_tree, 1));
	cr_assert_eq(f->inode->i_size, 16 * P, "KEEP_SIZE");
	cr_assert_eq(load(mm, a + P).value, 0);
	cr_assert_eq(load(mm, a + 2 * P).value, 0x102);
}

/* ---- msync ---- */

/* sys_msync L40-53: flag and alignment errors, len 0. */
Test(mmap, msync_argument_errors)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(do_msync(k, mm, a, P, 8), -EINVAL);
	cr_assert_eq(do_msync(k, mm, a + 8, P, MS_SYNC), -EINVAL);
	cr_assert_eq(do_msync(k, mm, a, P, MS_SYNC | MS_ASYNC), -EINVAL);
	cr_assert_eq(do_msync(k, mm, a, 0, MS_SYNC), 0);
	cr_assert_eq(do_msync(k, mm, 0x100000000000UL, P, MS_SYNC), -ENOMEM);
	cr_assert_eq(do_msync(k, mm, a + 2 * P, P, MS_SYNC), -ENOMEM, "past the last VMA");
}

/* §8: MS_ASYNC does nothing; MS_SYNC writes back (DIRTY cleared, flushed). */
Test(mmap, msync_async_nothing_sync_writes_back)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pfn;

	cr_assert_eq(store(mm, a, 0xab).sig, SIG_NONE);
	pfn = block_pfn(block_of(f, 0));
	cr_assert_eq(do_msync(k, mm, a, 2 * P, MS_ASYNC), 0);
	cr_assert(dirty_tag(f, 0));
	cr_assert(pte_write(pte_at(mm, a)) && pte_dirty(pte_at(mm, a)));
	cr_assert_not(pmem_page_durable(k, pfn));

	cr_assert_eq(do_msync(k, mm, a, 2 * P, MS_SYNC), 0);
	cr_assert_not(dirty_tag(f, 0));
	cr_assert(pmem_page_durable(k, pfn));
	cr_assert_not(pte_write(pte_at(mm, a)));
	cr_assert_not(pte_dirty(pte_at(mm, a)));
}

/* §8: a gap gives -ENOMEM at the end, after the mapped parts were synced. */
Test(mmap, msync_gap_syncs_then_enomem)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(do_mmap(k, mm, f, x, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0),
		     (long)x);
	cr_assert_eq(do_mmap(k, mm, f, x + 2 * P, P, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_FIXED, P), (long)(x + 2 * P));
	cr_assert_eq(store(mm, x, 1).sig, SIG_NONE);
	cr_assert_eq(store(mm, x + 2 * P, 2).sig, SIG_NONE);
	cr_assert_eq(do_msync(k, mm, x, 3 * P, MS_SYNC), -ENOMEM);
	cr_assert_not(dirty_tag(f, 0));
	cr_assert_not(dirty_tag(f, 1), "the VMA after the gap is synced too");
}

/*
 * §8: MS_SYNC only reaches vfs_fsync_range for VM_SHARED VMAs, over the
 * part of the file the range maps (fstart..fend).
 */
Test(mmap, msync_private_skipped_and_range_limited)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 4 * P, PROT_READ, MAP_PRIVATE, 0);
	unsigned long sub = map(mm, f, P, PROT_READ, MAP_SHARED, 2 * P);

	for (int i = 0; i < 4; i++)
		cr_assert_eq(store(mm, s + i * P, i).sig, SIG_NONE);
	cr_assert_eq(do_msync(k, mm, p, 4 * P, MS_SYNC), 0);
	for (int i = 0; i < 4; i++)
		cr_assert(dirty_tag(f, i), "a private VMA's msync writes nothing back");
	cr_assert_eq(do_msync(k, mm, sub, P, MS_SYNC), 0);
	cr_assert(dirty_tag(f, 1));
	cr_assert_not(dirty_tag(f, 2), "the shared VMA at pgoff 2 syncs index 2");
	cr_assert(dirty_tag(f, 3));
}

/* ---- MAP_POPULATE (§13.2) ---- */

Test(mmap, populate_shared_reads_private_writable_cows)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	long s = do_mmap(k, mm, f, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, 0);
	long p;

	cr_assert_geq(s, 0);
	for (int i = 0; i < 4; i++) {
		pte_t pte = pte_at(mm, s + i * P);

		cr_assert(pte_present(pte));
		cr_assert(is_zero_pfn(k, pte_pfn(pte)), "read faults over holes: zero page");
		cr_assert_not(pte_write(pte));
	}
	cr_assert_eq(mm->min_flt, 4);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert_eq(f->inode->i_blocks, 0);

	p = do_mmap(k, mm, f, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, 0);
	cr_assert_geq(p, 0);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 4, "a private writable populate COWs every page");
	for (int i = 0; i < 4; i++)
		cr_assert(pte_write(pte_at(mm, p + i * P)));
	cr_assert_eq(f->inode->i_blocks, 0);
	cr_assert_eq(mm->min_flt, 8);
}

/*
 * vma_merge() (mm/mmap.c v4.14, called from mprotect_fixup() and
 * madvise_behavior()): a protection change split off and then undone
 * leaves one VMA again; advice that changes no flag splits nothing.
 */
Test(mmap, vmas_merge_back_after_mprotect_and_madvise)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(mm->map_count, 1);
	cr_assert_eq(do_mprotect(k, mm, a + 4 * P, 4 * P, PROT_READ), 0);
	cr_assert_eq(mm->map_count, 3);
	cr_assert_eq(do_mprotect(k, mm, a + 4 * P, 4 * P, PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(mm->map_count, 1);
	/* map() already set VM_NOHUGEPAGE: the same advice again splits nothing */
	cr_assert_eq(do_madvise(k, mm, a + 4 * P, 4 * P, MADV_NOHUGEPAGE), 0);
	cr_assert_eq(mm->map_count, 1);
	cr_assert_eq(do_madvise(k, mm, a + 4 * P, 4 * P, MADV_HUGEPAGE), 0);
	cr_assert_eq(mm->map_count, 3);
	cr_assert_eq(do_madvise(k, mm, a + 4 * P, 4 * P, MADV_NOHUGEPAGE), 0);
	cr_assert_eq(mm->map_count, 1);
}

/* mmap_region() merges a new mapping with a compatible neighbour. */
Test(mmap, adjacent_mmap_of_the_same_file_merges)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0x7f0000400000UL, 4 * P, PROT_READ, MAP_SHARED | MAP_FIXED, 0);
	long b = do_mmap(k, mm, f, 0x7f0000400000UL + 4 * P, 4 * P, PROT_READ,
			 MAP_SHARED | MAP_FIXED, 4 * P);
	long c = do_mmap(k, mm, f, 0x7f0000400000UL + 8 * P, 4 * P, PROT_READ,
			 MAP_SHARED | MAP_FIXED, 12 * P);

	cr_assert_geq(a, 0);
	cr_assert_geq(b, 0);
	cr_assert_geq(c, 0);
	/* the first two are contiguous in the file; the third is not */
	cr_assert_eq(mm->map_count, 2);
	cr_assert_eq(find_vma(mm, a)->vm_end, (unsigned long)c);
}

/* ---- the VMA tree and i_mmap (issue 8: no walk over every mapping) ---- */

#define MMAP_BASE	0x7f0000000000UL	/* model/mmap.c: where placement starts */

/*
 * The free-area rule, by walking the list: the lowest address at or above
 * @from where @len bytes are free below TASK_SIZE (unmapped_area(), v4.14
 * mm/mmap.c, bottom-up; 0 when none).
 */
static unsigned long linear_fit_from(struct mm_struct *mm, unsigned long from,
				     unsigned long len)
{
	unsigned long addr = from;
	struct vm_area_struct *vma;

	for_each_vma(mm, vma) {
		if (vma->vm_end <= addr)
			continue;
		if (vma->vm_start >= addr + len)
			break;
		addr = vma->vm_end;
	}
	return addr + len <= TASK_SIZE ? addr : 0;
}

/* From mmsim's mmap base, then (the kernel's fallback) from TASK_SIZE / 3. */
static unsigned long linear_fit(struct mm_struct *mm, unsigned long from,
				unsigned long len)
{
	unsigned long addr = linear_fit_from(mm, from, len);

	return addr ? addr : linear_fit_from(mm, round_up(TASK_SIZE / 3, P), len);
}

/* Largest gap below a VMA of @node's subtree; checks the tree on the way. */
static unsigned long check_subtree(struct avl_node *node, int *height)
{
	struct vm_area_struct *vma;
	unsigned long gap, sub;
	int lh = 0, rh = 0;

	*height = 0;
	if (!node)
		return 0;
	vma = avl_entry(node, struct vm_area_struct, vm_rb);
	gap = vma->vm_start - (vma->vm_prev ? vma->vm_prev->vm_end : 0);
	if (node->left)
		cr_assert_eq(node->left->parent, node);
	if (node->right)
		cr_assert_eq(node->right->parent, node);
	sub = check_subtree(node->left, &lh);
	if (sub > gap)
		gap = sub;
	sub = check_subtree(node->right, &rh);
	if (sub > gap)
		gap = sub;
	cr_assert_leq(abs(lh - rh), 1, "the tree is balanced");
	*height = (lh > rh ? lh : rh) + 1;
	cr_assert_eq(node->height, *height);
	cr_assert_eq(vma->rb_subtree_gap, gap, "rb_subtree_gap of the VMA at %#lx",
		     vma->vm_start);
	return gap;
}

/* mm->mmap, vm_next/vm_prev, mm_rb and the counters agree. */
static void check_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	struct avl_node *node = avl_first(&mm->mm_rb);
	int n = 0, height;

	for_each_vma(mm, vma) {
		cr_assert_eq(vma->vm_prev, prev);
		cr_assert_lt(vma->vm_start, vma->vm_end);
		if (prev)
			cr_assert_leq(prev->vm_end, vma->vm_start);
		cr_assert_eq(node, &vma->vm_rb, "the tree's order is the list's");
		cr_assert_eq(find_vma(mm, vma->vm_start), vma);
		node = avl_next(node);
		prev = vma;
		n++;
	}
	cr_assert_null(node);
	cr_assert_eq(n, mm->map_count);
	cr_assert_eq(mm->highest_vm_end, prev ? prev->vm_end : 0);
	check_subtree(mm->mm_rb.node, &height);
}

/*
 * Random mmap/munmap/mprotect (fixed seed): every automatic placement is
 * the one the linear rule gives, including the thp_get_unmapped_area()
 * padding for a DAX mapping that holds an aligned 2 MiB, and -ENOMEM when
 * nothing fits; the list, the tree and its gaps stay consistent.
 */
Test(mmap, gap_search_matches_the_linear_rule)
{
	struct file *f = new_file(1UL << 40);
	struct mm_struct *mm = mm_create(k);
	GRand *rnd = g_rand_new_with_seed(8);
	int placed = 0, nomem = 0;

	for (int i = 0; i < 4000; i++) {
		int op = g_rand_int_range(rnd, 0, 10);
		unsigned long len = (unsigned long)g_rand_int_range(rnd, 1, 700) * P;
		unsigned long addr;

		if (g_rand_int_range(rnd, 0, 50) == 0)	/* now and then, a huge one */
			len = (unsigned long)g_rand_int_range(rnd, 1, 1 << 16) << 30;
		if (op < 5) {
			bool pad = len >= PMD_SIZE;	/* off 0: an aligned 2 MiB fits */
			unsigned long want = linear_fit(mm, MMAP_BASE, pad ? len + PMD_SIZE : len);
			long got;

			if (pad && !want)	/* no room for the padding: unaligned */
				want = linear_fit(mm, MMAP_BASE, len);
			else if (pad)
				want = round_up(want, PMD_SIZE);
			got = do_mmap(k, mm, f, 0, len, PROT_READ, MAP_SHARED, 0);
			if (!want) {
				cr_assert_eq(got, -ENOMEM, "op %d: len %#lx", i, len);
				nomem++;
			} else {
				cr_assert_eq(got, (long)want, "op %d: len %#lx: %#lx, want %#lx",
					     i, len, got, want);
				placed++;
			}
		} else if (op < 6) {
			addr = MMAP_BASE + ((unsigned long)g_rand_int_range(rnd, 0, 1 << 30) << 12);
			if (addr + len <= TASK_SIZE)
				cr_assert_eq(do_mmap(k, mm, f, addr, len, PROT_READ,
						     MAP_SHARED | MAP_FIXED, 0), (long)addr);
		} else if (op < 9) {
			struct vm_area_struct *vma = find_vma(mm, MMAP_BASE +
				((unsigned long)g_rand_int_range(rnd, 0, 1 << 30) << 12));

			if (vma)	/* the VMA, and beyond it now and then */
				cr_assert_eq(do_munmap(k, mm, vma->vm_start, vma->vm_end - vma->vm_start +
						       (op == 8 && vma->vm_end + 3 * P <= TASK_SIZE ?
							3 * P : 0)), 0);
		} else {
			struct vm_area_struct *vma = find_vma(mm, MMAP_BASE +
				((unsigned long)g_rand_int_range(rnd, 0, 1 << 30) << 12));

			if (vma)	/* splits, and merges back when it can */
				cr_assert_eq(do_mprotect(k, mm, vma->vm_start,
							 len < vma->vm_end - vma->vm_start ?
							 len : vma->vm_end - vma->vm_start,
							 g_rand_boolean(rnd) ? PROT_READ : PROT_NONE), 0);
		}
		check_vmas(mm);
	}
	cr_assert_gt(placed, 1000);
	cr_assert_gt(nomem, 0, "the test reached a full address space");
	g_rand_free(rnd);
}

/* The VMAs of @f that map some page of [first, last], by walking every mm. */
static int linear_i_mmap(struct file *f, pgoff_t first, pgoff_t last)
{
	int n = 0;

	for (guint m = 0; m < k->mms->len; m++) {
		struct vm_area_struct *vma;

		for_each_vma((struct mm_struct *)g_ptr_array_index(k->mms, m), vma)
			if (vma->vm_file == f && vma->vm_pgoff <= last &&
			    vma->vm_pgoff + vma_pages(vma) - 1 >= first)
				n++;
	}
	return n;
}

/*
 * i_mmap (mm/interval_tree.c, v4.14): vma_interval_tree_foreach() finds
 * exactly the VMAs that map a page of the range, each once, in order of
 * vm_pgoff, across processes, splits, merges and unmaps (fixed seed).
 */
Test(mmap, i_mmap_query_matches_a_linear_walk)
{
	struct file *f = new_file(4096 * P), *g = new_file(64 * P);
	struct mm_struct *mms[3] = { mm_create(k), mm_create(k), mm_create(k) };
	GRand *rnd = g_rand_new_with_seed(14);

	for (int i = 0; i < 3000; i++) {
		struct mm_struct *mm = mms[g_rand_int_range(rnd, 0, 3)];
		unsigned long len = (unsigned long)g_rand_int_range(rnd, 1, 64) * P;
		pgoff_t off = g_rand_int_range(rnd, 0, 4000);
		pgoff_t first = g_rand_int_range(rnd, 0, 4100), last;
		struct vm_area_struct *vma, *prev = NULL;
		int n = 0;

		switch (g_rand_int_range(rnd, 0, 4)) {
		case 0:
		case 1:
			cr_assert_geq(do_mmap(k, mm, g_rand_boolean(rnd) ? f : g, 0, len,
					      PROT_READ, MAP_SHARED, off * P), 0);
			break;
		case 2:
			if ((vma = find_vma(mm, MMAP_BASE + off * 4 * P)))
				cr_assert_eq(do_munmap(k, mm, vma->vm_start + P * (off & 1), len), 0);
			break;
		case 3:
			if ((vma = find_vma(mm, MMAP_BASE + off * 4 * P)))
				cr_assert_eq(do_mprotect(k, mm, vma->vm_start, P,
							 g_rand_boolean(rnd) ? PROT_READ : PROT_NONE), 0);
			break;
		}
		last = g_rand_int_range(rnd, 0, 8) ? first + g_rand_int_range(rnd, 0, 200) : ULONG_MAX;
		vma_interval_tree_foreach(vma, &f->inode->i_data.i_mmap, first, last) {
			cr_assert_eq(vma->vm_file, f);
			cr_assert(vma->vm_pgoff <= last && vma->vm_pgoff + vma_pages(vma) - 1 >= first,
				  "[%lu, %lu] does not meet [%lu, %lu]", vma->vm_pgoff,
				  vma->vm_pgoff + vma_pages(vma) - 1, first, last);
			if (prev)
				cr_assert_leq(prev->vm_pgoff, vma->vm_pgoff, "in order of vm_pgoff");
			prev = vma;
			n++;
		}
		cr_assert_eq(n, linear_i_mmap(f, first, last), "op %d: [%lu, %lu]", i, first, last);
	}
	g_rand_free(rnd);
}

/*
 * interval_tree_insert() (include/linux/interval_tree_generic.h, v4.14)
 * goes right of an equal start, so equal starts come out in insertion
 * order; a removed node's place closes up.
 */
Test(mmap, interval_tree_equal_starts_keep_insertion_order)
{
	struct interval_tree_node nodes[64];
	struct avl_root root = { NULL };
	struct interval_tree_node *it;
	int i = 0;

	for (int n = 0; n < 64; n++) {
		nodes[n] = (struct interval_tree_node){ .start = n % 4 ? 10 : 5, .last = 10 + n };
		interval_tree_insert(&nodes[n], &root);
	}
	interval_tree_remove(&nodes[1], &root);
	/* starts at 5 (n % 4 == 0) first, then the others, each in order */
	for (it = interval_tree_iter_first(&root, 0, 100); it;
	     it = interval_tree_iter_next(it, 0, 100), i++) {
		int j = i - 16 + 1;	/* past node 1, the j-th start 10 */
		int want = i < 16 ? i * 4 : j + j / 3 + 1;

		cr_assert_eq(it, &nodes[want], "position %d is node %ld, want %d", i,
			     (long)(it - nodes), want);
	}
	cr_assert_eq(i, 63);
	/* [60, 60] meets the nodes whose last is at least 60: n >= 50 */
	for (i = 0, it = interval_tree_iter_first(&root, 60, 60); it;
	     it = interval_tree_iter_next(it, 60, 60), i++)
		cr_assert_geq(it->last, 60);
	cr_assert_eq(i, 14);
}
