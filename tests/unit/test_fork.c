// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/fork.c (dup_mm, dup_mmap) and the fork half of
 * model/memory.c (copy_page_range, copy_pmd_range, copy_pte_range,
 * copy_one_pte), v4.14. Expected values come from the v4.14 source as
 * docs/eras/dax-2017.md §13 records it: copy_page_range() copies the PTEs
 * of a VM_MIXEDMAP VMA (every ext4 DAX VMA of v4.14); copy_one_pte()
 * write-protects both PTEs of a COW mapping, gives a shared mapping's
 * child a clean PTE, makes the child's PTE old, and references, maps and
 * counts only normal pages (vm_normal_page(): not the zero page, not a
 * DAX block).
 */
#include <criterion/criterion.h>

#include "fixture.h"
#include "usercopy.h"

TestSuite(fork, .init = fx_init, .fini = fx_fini);

static unsigned long memory_used(void)
{
	return dram_bytes_allocated(k);
}

/* The VMAs of i_mmap meeting @index, in tree order, into @out; their number. */
static int i_mmap_order(struct file *f, pgoff_t index, struct vm_area_struct **out, int max)
{
	struct vm_area_struct *vma;
	int n = 0;

	vma_interval_tree_foreach(vma, &f->inode->i_data.i_mmap, index, index)
		if (n < max)
			out[n++] = vma;
	return n;
}

/*
 * A shared DAX mapping: the child gets the parent's PTEs, the same block,
 * still writable where the parent's was (no COW), clean and old; the
 * parent's stay as they were. No page reference, no rss (special PTEs).
 */
Test(fork, shared_dax_ptes_are_copied)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct mm_struct *c;
	pte_t before0, before1, pte;
	struct access_result r;

	cr_assert_eq(store(a, m, 0x1122).sig, SIG_NONE);	/* block, writable, dirty */
	cr_assert_eq(vfs_write(k, f, P, "x", 1), 1);
	cr_assert_eq(load(a, m + P).sig, SIG_NONE);		/* block, read-only, clean */
	before0 = pte_at(a, m);
	before1 = pte_at(a, m + P);
	cr_assert(pte_write(before0) && pte_dirty(before0) && pte_young(before0));

	c = dup_mm(k, a);
	cr_assert_eq(pte_at(a, m).val, before0.val, "a shared PTE is not write-protected");
	cr_assert_eq(pte_at(a, m + P).val, before1.val);
	pte = pte_at(c, m);
	cr_assert(pte_present(pte));
	cr_assert_eq(pte_pfn(pte), block_pfn(block_of(f, 0)));
	cr_assert(pte_write(pte), "VM_SHARED: the write bit stays");
	cr_assert_not(pte_dirty(pte), "VM_SHARED: pte_mkclean in the child");
	cr_assert_not(pte_young(pte), "pte_mkold in the child");
	cr_assert(pte_special(pte) && pte_devmap(pte));
	pte = pte_at(c, m + P);
	cr_assert_eq(pte_pfn(pte), block_pfn(block_of(f, 1)));
	cr_assert_not(pte_write(pte));
	cr_assert(pte_none(pte_at(c, m + 2 * P)), "a PTE the parent never had");
	cr_assert_eq(c->rss[MM_FILEPAGES], 0);
	cr_assert_eq(c->rss[MM_ANONPAGES], 0);
	cr_assert_eq(c->min_flt + c->maj_flt, 0, "copy_mm() zeroes the task's counters");
	cr_assert(dirty_tag(f, 0), "fork leaves the entry alone");

	/* the child reads and writes the block without a fault */
	r = load(c, m);
	cr_assert_eq(r.nr_faults, 0);
	cr_assert_eq(r.value, 0x1122);
	r = store(c, m, 0x3344);
	cr_assert_eq(r.nr_faults, 0);
	r = load(a, m);
	cr_assert_eq(r.value, 0x3344, "one block, seen by both");
	cr_assert(pte_dirty(pte_at(c, m)), "the CPU set the dirty bit");
	cr_assert(pte_young(pte_at(c, m)));
}

/*
 * msync in either process write-protects the other's PTE too:
 * dax_mapping_entry_mkclean() walks i_mmap, where the child's VMA is, and
 * the child's clean PTE is writable.
 */
Test(fork, msync_cleans_the_child_pte)
{
	struct file *f = new_file(P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct mm_struct *c;

	cr_assert_eq(store(a, m, 1).sig, SIG_NONE);
	c = dup_mm(k, a);
	cr_assert(pte_write(pte_at(c, m)));
	cr_assert_eq(do_msync(k, a, m, P, MS_SYNC), 0);
	cr_assert_not(pte_write(pte_at(c, m)));
	cr_assert_not(pte_write(pte_at(a, m)));
	cr_assert_not(dirty_tag(f, 0));
	/* the child's next store takes the pfn_mkwrite fault and dirties the entry */
	cr_assert_eq(store(c, m, 2).nr_faults, 1);
	cr_assert(dirty_tag(f, 0));
	cr_assert(pte_write(pte_at(c, m)));
	cr_assert_not(pte_write(pte_at(a, m)));
}

/*
 * A private COW page: after fork it is read-only in both, mapped twice and
 * referenced twice; the child counts it in MM_ANONPAGES. A store in the
 * parent copies it (mapcount 2: no reuse); then the child, its only mapper,
 * reuses it in place.
 */
Test(fork, private_cow_page_write_protected_in_both)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct mm_struct *c;
	struct page *page, *copy;
	struct access_result r;

	cr_assert_eq(store(a, m, 0x77).sig, SIG_NONE);
	page = pfn_to_page(k, pte_pfn(pte_at(a, m)));
	cr_assert(pte_write(pte_at(a, m)));
	cr_assert_eq(memory_used(), P);

	c = dup_mm(k, a);
	cr_assert_not(pte_write(pte_at(a, m)), "ptep_set_wrprotect() in the parent");
	cr_assert_not(pte_write(pte_at(c, m)));
	cr_assert(pte_dirty(pte_at(c, m)), "a private PTE keeps its dirty bit");
	cr_assert_not(pte_young(pte_at(c, m)));
	cr_assert_eq(pte_pfn(pte_at(c, m)), page->pfn);
	cr_assert_eq(page->mapcount, 2);
	cr_assert_eq(page->refcount, 2);
	cr_assert_eq(c->rss[MM_ANONPAGES], 1);
	cr_assert_eq(a->rss[MM_ANONPAGES], 1);
	cr_assert_eq(memory_used(), P, "no copy yet");
	cr_assert_eq(load(c, m).value, 0x77);

	r = store(a, m, 0x88);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(memory_used(), 2 * P, "do_wp_page: mapcount 2, wp_page_copy");
	copy = pfn_to_page(k, pte_pfn(pte_at(a, m)));
	cr_assert_neq(copy, page);
	cr_assert_eq(page->mapcount, 1);
	cr_assert_eq(page->refcount, 1);
	cr_assert_eq(load(c, m).value, 0x77, "the child keeps the content at fork");
	cr_assert_eq(load(a, m).value, 0x88);

	r = store(c, m, 0x99);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(pte_pfn(pte_at(c, m)), page->pfn, "the only mapper reuses the page");
	cr_assert(pte_write(pte_at(c, m)));
	cr_assert_eq(memory_used(), 2 * P);
	cr_assert_eq(load(a, m).value, 0x88);
	cr_assert_eq(c->rss[MM_ANONPAGES], 1);
	cr_assert_eq(a->rss[MM_ANONPAGES], 1);
}

/*
 * A private mapping's read-only DAX PTE: copied (the VMA has VM_MIXEDMAP
 * and an anon_vma or not), no reference, no rss; a store in the child
 * copies the block into its own page.
 */
Test(fork, private_block_pte_copied_readonly)
{
	struct file *f = new_file(P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct mm_struct *c;

	cr_assert_eq(vfs_write(k, f, 0, "\x42", 1), 1);
	cr_assert_eq(load(a, m).value, 0x42);
	c = dup_mm(k, a);
	cr_assert_eq(pte_pfn(pte_at(c, m)), block_pfn(block_of(f, 0)));
	cr_assert_not(pte_write(pte_at(c, m)));
	cr_assert_eq(c->rss[MM_FILEPAGES] + c->rss[MM_ANONPAGES], 0);
	cr_assert_eq(store(c, m, 0x43).nr_faults, 1);
	cr_assert_eq(c->rss[MM_ANONPAGES], 1);
	cr_assert_eq(pte_pfn(pte_at(a, m)), block_pfn(block_of(f, 0)));
	cr_assert_eq(load(a, m).value, 0x42);
}

/*
 * The zero page: copied as a special PTE, with no reference (its refcount
 * stays 1) and no rss; a write fault on the hole in the parent replaces the
 * zero entry and unmaps the zero page from every VMA, the child's too.
 */
Test(fork, zero_page_copied_without_reference)
{
	struct file *f = new_file(P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct mm_struct *c;

	cr_assert_eq(load(a, m).value, 0);
	c = dup_mm(k, a);
	cr_assert(is_zero_pfn(k, pte_pfn(pte_at(c, m))));
	cr_assert_not(pte_write(pte_at(c, m)));
	cr_assert_eq(k->dram.zero_page->refcount, 1);
	cr_assert_eq(k->dram.zero_page->mapcount, 0);
	cr_assert_eq(c->rss[MM_FILEPAGES] + c->rss[MM_ANONPAGES], 0);
	cr_assert_eq(store(a, m, 5).sig, SIG_NONE);
	cr_assert(pte_none(pte_at(c, m)), "dax_insert_mapping_entry() unmapped it");
	cr_assert_eq(load(c, m).value, 5);
}

/* The child's rss: its COW pages only (copy_pte_range's add_mm_rss_vec). */
Test(fork, child_rss_counts_cow_pages)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long p = map(a, f, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long s = map(a, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct mm_struct *c;

	for (int i = 0; i < 3; i++)
		cr_assert_eq(store(a, p + 2 * i * P, i).sig, SIG_NONE);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(store(a, s + i * P, i).sig, SIG_NONE);
	c = dup_mm(k, a);
	cr_assert_eq(c->rss[MM_ANONPAGES], 3);
	cr_assert_eq(c->rss[MM_FILEPAGES], 0);
	cr_assert_eq(c->map_count, 2);
	cr_assert_eq(memory_used(), 3 * P);
	for (int i = 0; i < 4; i++)
		cr_assert(pte_present(pte_at(c, s + i * P)));
}

/*
 * The child's exit: every page it mapped loses a map and a reference, its
 * counters are zero when mm_destroy() reports it, and no memory is lost.
 * The parent's PTE stays write-protected; its next store reuses the page.
 */
Test(fork, child_exit_balances_counters)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct mm_struct *c;
	struct page *page;

	cr_assert_eq(store(a, m, 1).sig, SIG_NONE);
	cr_assert_eq(store(a, m + P, 2).sig, SIG_NONE);
	page = pfn_to_page(k, pte_pfn(pte_at(a, m)));
	c = dup_mm(k, a);
	cr_assert_eq(page->mapcount, 2);
	cr_assert_eq(f->f_count, 3, "the descriptor, the parent's VMA, and get_file() for the child's");
	mm_destroy(k, c);
	cr_assert_eq(f->f_count, 2);
	cr_assert_eq(page->mapcount, 1);
	cr_assert_eq(page->refcount, 1);
	cr_assert_eq(memory_used(), 2 * P);
	cr_assert_not(pte_write(pte_at(a, m)));
	cr_assert_eq(store(a, m, 3).nr_faults, 1);
	cr_assert_eq(pte_pfn(pte_at(a, m)), page->pfn, "wp_page_reuse");
	cr_assert_eq(memory_used(), 2 * P);
	mm_destroy(k, a);
	cr_assert_eq(memory_used(), 0);
}

/*
 * Truncate after fork: unmap_mapping_range(even_cows=1) walks i_mmap, where
 * the child's VMAs are: the PTEs go in both processes, the COW pages too.
 */
Test(fork, truncate_unmaps_in_both)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long p = map(a, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long s = map(a, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct mm_struct *c;

	cr_assert_eq(store(a, s + 3 * P, 1).sig, SIG_NONE);
	cr_assert_eq(store(a, p + 3 * P, 2).sig, SIG_NONE);
	cr_assert_eq(store(a, p + P, 3).sig, SIG_NONE);
	c = dup_mm(k, a);
	cr_assert(pte_present(pte_at(c, s + 3 * P)));
	cr_assert(pte_present(pte_at(c, p + 3 * P)));
	cr_assert_eq(vfs_truncate(k, f, 2 * P), 0);
	cr_assert(pte_none(pte_at(a, s + 3 * P)));
	cr_assert(pte_none(pte_at(c, s + 3 * P)));
	cr_assert(pte_none(pte_at(a, p + 3 * P)));
	cr_assert(pte_none(pte_at(c, p + 3 * P)));
	cr_assert(pte_present(pte_at(c, p + P)), "inside EOF the COW page stays");
	cr_assert_eq(c->rss[MM_ANONPAGES], 1);
	cr_assert_eq(a->rss[MM_ANONPAGES], 1);
	cr_assert_eq(memory_used(), P, "the shared COW page at index 3 is freed");
}

/* dup_mmap(): the child's VMA goes into i_mmap right after the parent's. */
Test(fork, child_vma_after_parent_in_i_mmap)
{
	struct file *f = new_file(P);
	struct mm_struct *a = mm_create(k), *b = mm_create(k), *c;
	struct vm_area_struct *order[4];

	map(a, f, P, PROT_READ, MAP_SHARED, 0);
	map(b, f, P, PROT_READ, MAP_SHARED, 0);
	c = dup_mm(k, a);
	cr_assert_eq(i_mmap_order(f, 0, order, 4), 3);
	cr_assert_eq(order[0]->vm_mm, a);
	cr_assert_eq(order[1]->vm_mm, c, "vma_interval_tree_insert_after(tmp, mpnt)");
	cr_assert_eq(order[2]->vm_mm, b);
}

/* The copied VMA: same range, flags and file; an anon_vma of its own. */
Test(fork, vmas_copied_with_own_anon_vma)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct vm_area_struct *pv, *cv;
	struct mm_struct *c;

	cr_assert_eq(do_mprotect(k, a, m + P, P, PROT_READ), 0);	/* 3 VMAs */
	cr_assert_eq(store(a, m, 1).sig, SIG_NONE);
	c = dup_mm(k, a);
	cr_assert_eq(c->map_count, 3);
	for (pv = a->mmap, cv = c->mmap; pv; pv = pv->vm_next, cv = cv->vm_next) {
		cr_assert_not_null(cv);
		cr_assert_eq(cv->vm_start, pv->vm_start);
		cr_assert_eq(cv->vm_end, pv->vm_end);
		cr_assert_eq(cv->vm_pgoff, pv->vm_pgoff);
		cr_assert_eq(cv->vm_flags, pv->vm_flags);
		cr_assert_eq(cv->vm_file, pv->vm_file);
		cr_assert_eq(cv->vm_mm, c);
		cr_assert_eq(!cv->anon_vma, !pv->anon_vma);
		if (pv->anon_vma)
			cr_assert_neq(cv->anon_vma, pv->anon_vma);
	}
	cr_assert_null(cv);
	cr_assert_eq(find_vma(c, m + P)->vm_start, m + P);
	cr_assert_eq(c->highest_vm_end, a->highest_vm_end);
}

/* Edge cases: a process with no mappings; a fork of a child; many forks. */
Test(fork, no_mappings_child_of_child_many)
{
	struct file *f = new_file(P);
	struct mm_struct *e = mm_create(k), *a = mm_create(k), *c, *g;
	unsigned long m;

	c = dup_mm(k, e);
	cr_assert_null(c->mmap);
	cr_assert_eq(c->map_count, 0);
	cr_assert_eq(c->id, 2);

	m = map(a, f, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	cr_assert_eq(store(a, m, 9).sig, SIG_NONE);
	c = dup_mm(k, a);
	g = dup_mm(k, c);
	cr_assert_eq(pfn_to_page(k, pte_pfn(pte_at(g, m)))->mapcount, 3);
	for (int i = 0; i < 20; i++)
		dup_mm(k, a);
	cr_assert_eq(pfn_to_page(k, pte_pfn(pte_at(a, m)))->mapcount, 23);
	cr_assert_eq(pfn_to_page(k, pte_pfn(pte_at(a, m)))->refcount, 23);
	cr_assert_eq(memory_used(), P);
	cr_assert_eq(load(g, m).value, 9);
	cr_assert_eq(store(g, m, 10).nr_faults, 1);
	cr_assert_eq(memory_used(), 2 * P);
	cr_assert_eq(load(c, m).value, 9);
}

/*
 * copy_page_range()'s first test, as a function of the policy: 6.1's ext4
 * sets no VM_MIXEDMAP on DAX VMAs, so under `modern` a shared DAX VMA
 * without an anon_vma is left to the child's faults, and a private one
 * with an anon_vma (after a COW) is copied.
 */
Test(fork, modern_skips_vmas_without_mixedmap)
{
	struct kernel *v14 = k;
	struct file *f, *g;
	struct mm_struct *a, *c;
	unsigned long s, p;

	k = kernel_create(POLICY_MODERN, 64UL << 20, 64UL << 20);
	f = file_open(k, ext4_create(k, true, P), FMODE_READ | FMODE_WRITE);
	a = mm_create(k);
	s = do_mmap(k, a, f, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	p = do_mmap(k, a, f, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	do_madvise(k, a, s, P, MADV_NOHUGEPAGE);
	do_madvise(k, a, p, P, MADV_NOHUGEPAGE);
	cr_assert_not(find_vma(a, s)->vm_flags & VM_MIXEDMAP);
	cr_assert_eq(store(a, s, 1).sig, SIG_NONE);
	cr_assert_eq(store(a, p, 2).sig, SIG_NONE);
	c = dup_mm(k, a);
	cr_assert(pte_none(pte_at(c, s)), "no VM_MIXEDMAP, no anon_vma: not copied");
	cr_assert(pte_present(pte_at(c, p)), "an anon_vma: copied");
	cr_assert_eq(c->rss[MM_ANONPAGES], 1);
	while (k->mms->len)
		mm_destroy(k, g_ptr_array_index(k->mms, k->mms->len - 1));
	file_close(k, f);
	kernel_destroy(k);
	k = v14;

	g = new_file(P);
	a = mm_create(k);
	s = map(a, g, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert(find_vma(a, s)->vm_flags & VM_MIXEDMAP, "dax-2017: ext4_file_mmap() sets it");
}

/*
 * i_mmap after many forks of VMAs with different and equal vm_pgoff: the
 * interval tree still finds exactly the VMAs meeting each index (its
 * __subtree_last kept right by insert_after), in vm_pgoff order, and each
 * child's VMA follows its parent's.
 */
Test(fork, i_mmap_stays_an_interval_tree)
{
	struct file *f = new_file(64 * P);
	struct mm_struct *mms[40];
	int n = 0;

	for (int i = 0; i < 6; i++) {
		mms[n] = mm_create(k);
		map(mms[n], f, (1 + i * 7 % 11) * P, PROT_READ, MAP_SHARED, (i * 5 % 13) * P);
		map(mms[n], f, (2 + i) * P, PROT_READ, MAP_PRIVATE, (i % 3) * P);
		n++;
	}
	for (int i = 0; n < 40; i++, n++)
		mms[n] = dup_mm(k, mms[(i * 7) % n]);
	for (pgoff_t index = 0; index < 20; index++) {
		struct vm_area_struct *vma, *prev = NULL;
		int found = 0, want = 0;

		vma_interval_tree_foreach(vma, &f->inode->i_data.i_mmap, index, index) {
			cr_assert_leq(vma->vm_pgoff, index);
			cr_assert_gt(vma->vm_pgoff + vma_pages(vma), index);
			if (prev)
				cr_assert_leq(prev->vm_pgoff, vma->vm_pgoff);
			prev = vma;
			found++;
		}
		for (int i = 0; i < n; i++)
			for (vma = mms[i]->mmap; vma; vma = vma->vm_next)
				want += vma->vm_pgoff <= index &&
					index < vma->vm_pgoff + vma_pages(vma);
		cr_assert_eq(found, want, "index %lu", index);
	}
	/* the last fork's VMAs come right after its parent's */
	{
		struct mm_struct *parent = mms[(33 * 7) % 39], *child = mms[39];
		struct vm_area_struct *cv = child->mmap, *pv = parent->mmap, *vma;

		vma_interval_tree_foreach(vma, &f->inode->i_data.i_mmap, pv->vm_pgoff, pv->vm_pgoff)
			if (vma == pv)
				break;
		cr_assert_eq(vma, pv);
		cr_assert_eq(vma_interval_tree_iter_next(pv, pv->vm_pgoff, pv->vm_pgoff), cv);
	}
}

/*
 * gup after fork, v4.14: a gup reference (FOLL_GET | FOLL_WRITE) on a
 * private anonymous page does not stop fork from sharing it, nor the
 * parent's write from copying it (reuse_swap_page() looks at the
 * mapcount, 2): the parent gets a new page, and the page the gup holds is
 * the child's alone; the child's write then reuses it (mapcount 1, the
 * gup's reference not looked at).
 */
Test(fork, gup_page_goes_to_the_child_before_6_1)
{
	struct file *f = new_file(P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct mm_struct *c;
	unsigned long pfn;

	cr_assert_eq(store(a, m, 0x22).sig, SIG_NONE);
	cr_assert_eq(get_user_pages_mm(k, a, m, P, FOLL_GET | FOLL_WRITE, &pfn), 1);
	cr_assert_eq(pfn, pte_pfn(pte_at(a, m)));
	c = dup_mm(k, a);
	cr_assert_eq(pte_pfn(pte_at(c, m)), pfn, "shared: no early copy in v4.14");
	cr_assert_eq(pfn_to_page(k, pfn)->refcount, 3);
	cr_assert_eq(store(a, m, 0x33).nr_faults, 1);
	cr_assert_neq(pte_pfn(pte_at(a, m)), pfn, "the parent's write copies");
	cr_assert_eq(pte_pfn(pte_at(c, m)), pfn, "the gup'd page is the child's");
	cr_assert_eq(store(c, m, 0x44).nr_faults, 1);
	cr_assert_eq(pte_pfn(pte_at(c, m)), pfn, "the child, its only mapper, reuses it");
	cr_assert_eq(pfn_to_page(k, pfn)->refcount, 2);
	gup_release_page(k, pfn, false);
}

/*
 * 6.1, pin: copy_present_pte() -> page_try_dup_anon_rmap() refuses an
 * exclusive page of an mm with MMF_HAS_PINNED that may be DMA-pinned
 * (refcount >= GUP_PIN_COUNTING_BIAS): copy_present_page() gives the
 * child a copy, writable and dirty, and the parent's PTE is not
 * write-protected: its store does not fault, and lands in the pinned page.
 */
Test(fork, pinned_page_is_copied_for_the_child_in_6_1, .init = fx_init_modern)
{
	struct file *f = new_file(P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct mm_struct *c;
	unsigned long pfn;

	cr_assert_eq(store(a, m, 0x22).sig, SIG_NONE);
	cr_assert_eq(get_user_pages_mm(k, a, m, P, FOLL_PIN | FOLL_WRITE, &pfn), 1);
	cr_assert(a->has_pinned, "mm_set_has_pinned_flag()");
	c = dup_mm(k, a);
	cr_assert_not(c->has_pinned, "MMF_HAS_PINNED is not in MMF_INIT_MASK");
	cr_assert_neq(pte_pfn(pte_at(c, m)), pfn, "the early copy");
	cr_assert(pte_write(pte_at(c, m)) && pte_dirty(pte_at(c, m)));
	cr_assert(pte_write(pte_at(a, m)), "the parent's PTE stays writable");
	cr_assert_eq(load(c, m).value, 0x22);
	cr_assert_eq(c->rss[MM_ANONPAGES], 1);
	cr_assert_eq(pfn_to_page(k, pfn)->mapcount, 1);
	cr_assert_eq(store(a, m, 0x33).nr_faults, 0);
	cr_assert_eq(pte_pfn(pte_at(a, m)), pfn);
	gup_release_page(k, pfn, true);
}

/*
 * 6.1, gup (FOLL_GET): no pin, so fork shares the page and clears its
 * exclusive flag; do_wp_page() copies a non-exclusive page with more
 * than one reference: the parent's write copies (mapping x2 + gup), and
 * so does the child's (its mapping + the gup). Without the gup the
 * child's write would reuse it (refcount 1: made exclusive again).
 */
Test(fork, gup_page_is_copied_by_every_writer_in_6_1, .init = fx_init_modern)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct mm_struct *c;
	unsigned long pfn, other;

	cr_assert_eq(store(a, m, 0x22).sig, SIG_NONE);
	cr_assert_eq(store(a, m + P, 0x22).sig, SIG_NONE);
	other = pte_pfn(pte_at(a, m + P));
	cr_assert_eq(get_user_pages_mm(k, a, m, P, FOLL_GET | FOLL_WRITE, &pfn), 1);
	cr_assert_not(a->has_pinned);
	c = dup_mm(k, a);
	cr_assert_eq(pte_pfn(pte_at(c, m)), pfn, "a gup is no pin: shared");
	cr_assert_not(pte_write(pte_at(a, m)));
	cr_assert_not(pfn_to_page(k, pfn)->flags & PG_anon_exclusive);
	cr_assert_eq(store(a, m, 0x33).nr_faults, 1);
	cr_assert_neq(pte_pfn(pte_at(a, m)), pfn, "the parent copies");
	cr_assert(pfn_to_page(k, pte_pfn(pte_at(a, m)))->flags & PG_anon_exclusive);
	cr_assert_eq(store(c, m, 0x44).nr_faults, 1);
	cr_assert_neq(pte_pfn(pte_at(c, m)), pfn, "the child copies too: the gup's reference");
	cr_assert_eq(pfn_to_page(k, pfn)->mapcount, 0);
	cr_assert_eq(pfn_to_page(k, pfn)->refcount, 1, "the gup's alone");
	/* the page nothing else holds: the parent's copy, the child reuses its own */
	cr_assert_eq(store(a, m + P, 0x55).nr_faults, 1);
	cr_assert_neq(pte_pfn(pte_at(a, m + P)), other);
	cr_assert_eq(store(c, m + P, 0x66).nr_faults, 1);
	cr_assert_eq(pte_pfn(pte_at(c, m + P)), other, "refcount 1: reused");
	gup_release_page(k, pfn, false);
}

/*
 * 6.1, a read-only pin of a page shared since a fork: gup_must_unshare()
 * (not exclusive) makes follow_page_pte() -EMLINK, and the unshare fault
 * gives the pinner a copy, exclusive, mapped read-only and clean
 * (wp_page_copy() with FAULT_FLAG_UNSHARE); the pinner's store then
 * reuses it. A read-only gup (FOLL_GET) takes the shared page as it is.
 */
Test(fork, readonly_pin_unshares_in_6_1, .init = fx_init_modern)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *a = mm_create(k);
	unsigned long m = map(a, f, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct mm_struct *c;
	unsigned long shared0, shared1, pfn, got;
	struct page *page;

	cr_assert_eq(store(a, m, 0x22).sig, SIG_NONE);
	cr_assert_eq(store(a, m + P, 0x22).sig, SIG_NONE);
	c = dup_mm(k, a);
	shared0 = pte_pfn(pte_at(a, m));
	shared1 = pte_pfn(pte_at(a, m + P));
	cr_assert_eq(get_user_pages_mm(k, a, m, P, FOLL_PIN, &pfn), 1);
	cr_assert_neq(pfn, shared0, "unshared: a copy");
	cr_assert_eq(pte_pfn(pte_at(a, m)), pfn);
	cr_assert_eq(pte_pfn(pte_at(c, m)), shared0);
	page = pfn_to_page(k, pfn);
	cr_assert(page->flags & PG_anon_exclusive);
	cr_assert_not(pte_write(pte_at(a, m)), "read-only");
	cr_assert_not(pte_dirty(pte_at(a, m)), "clean");
	cr_assert_eq(load(a, m).value, 0x22);
	cr_assert_eq(store(a, m, 0x33).nr_faults, 1);
	cr_assert_eq(pte_pfn(pte_at(a, m)), pfn, "exclusive: reused");

	cr_assert_eq(get_user_pages_mm(k, a, m + P, P, FOLL_GET, &got), 1);
	cr_assert_eq(got, shared1, "a read-only gup does not unshare");
	gup_release_page(k, got, false);
	gup_release_page(k, pfn, true);
}
