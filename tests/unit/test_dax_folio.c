// SPDX-License-Identifier: GPL-2.0
/*
 * The two v6.15 switches, each on a dax-2017 kernel (the fixture) with the
 * 6.1 switches they build on: dax-folio-refcount (refcounted DAX folios,
 * counted in rss) and dax-break-layout (dax_break_layout() deleting the
 * file's entries). Expected values come from the source named in
 * docs/eras/modern.md §15 (torvalds/linux fs/dax.c at 00c010e130e5 and
 * v6.18.2 mm/memory.c, mm/huge_memory.c, fs/ext4), not from the model.
 */
#include <criterion/criterion.h>

#include "fixture.h"
#include "huge_mm.h"
#include "linux_fs.h"

TestSuite(dax_folio, .init = fx_init, .fini = fx_fini);

#define M2	PMD_SIZE

/* with the 6.1 switches it stands on (the runner refuses it without the layout break) */
static void folio_on(void)
{
	k->policy.sw[SW_DAX_FOLIO_REFCOUNT] = 1;
	k->policy.sw[SW_EXT4_BREAK_LAYOUTS] = 1;
	k->policy.sw[SW_DAX_NO_MIXEDMAP] = 1;
	k->policy.sw[SW_PMD_INSERT_CHECKS] = 1;
}

static pmd_t pmd_at(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *p = pmd_lookup(mm, addr);

	return p ? *p : (pmd_t){ 0 };
}

static struct page *block_page(unsigned long block)
{
	return pmem_page_lookup(k, PMEM_BASE_PFN + block);
}

/* 6.1 (off): a DAX PTE is special, no page, no rss. */
Test(dax_folio, off_maps_special_pfn)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert(pte_special(pte_at(mm, a)));
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_null(vm_normal_page(k, find_vma(mm, a), a, pte_at(mm, a)));
}

/*
 * A write fault on a hole: dax_fault_iter() takes a folio reference
 * around vmf_insert_page_mkwrite(), which maps a normal PTE (not special,
 * no devmap bit), young, dirty, writable, and takes its own reference, a
 * file rmap and MM_FILEPAGES (insert_page_into_pte_locked()). The page is
 * associated: ->mapping, ->index (dax_associate_entry()).
 */
Test(dax_folio, pte_write_fault_counts_the_page)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct page *page;
	pte_t pte;

	folio_on();
	cr_assert_eq(store(mm, a + 2 * P, 1).sig, SIG_NONE);
	pte = pte_at(mm, a + 2 * P);
	cr_assert_not(pte_special(pte) || pte_devmap(pte));
	cr_assert(pte_write(pte) && pte_dirty(pte) && pte_young(pte));
	page = block_page(block_of(f, 2));
	cr_assert_not_null(page);
	cr_assert_eq(page->refcount, 1, "the PTE's reference; the fault's was dropped");
	cr_assert_eq(page->mapcount, 1);
	cr_assert_eq(page->mapping, &f->inode->i_data);
	cr_assert_eq(page->index, 2);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	cr_assert_eq(vm_normal_page(k, find_vma(mm, a), a + 2 * P, pte), page);
}

/*
 * A read fault on a block: a read-only normal PTE; then a write through
 * it: do_wp_page() finds a normal page in a shared VMA, wp_page_shared()
 * -> ->page_mkwrite = ext4_dax_fault, whose insert finds the same pfn and
 * makes it writable and young in place (not dirty: the CPU's store does
 * that). Still one reference and one rss page. A read of a hole maps the
 * zero page, special: no reference, no rss.
 */
Test(dax_folio, read_then_write_one_reference)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct page *page;

	folio_on();
	cr_assert_eq(vfs_write(k, f, 0, "x", 1), 1);
	cr_assert_eq(load(mm, a).value, 'x');
	cr_assert_not(pte_write(pte_at(mm, a)));
	page = block_page(block_of(f, 0));
	cr_assert_eq(page->refcount, 1);
	cr_assert_eq(store(mm, a, 'y').sig, SIG_NONE);
	cr_assert(pte_write(pte_at(mm, a)));
	cr_assert_eq(page->refcount, 1);
	cr_assert_eq(page->mapcount, 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	cr_assert_eq(load(mm, a + P).sig, SIG_NONE);	/* a hole */
	cr_assert(pte_special(pte_at(mm, a + P)));
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1, "the zero page is not counted");
}

/* Two processes map the page: two references, mapcount 2; munmap and exit drop them. */
Test(dax_folio, zap_and_exit_drop_everything)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k), *mm2 = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b = map(mm2, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	struct page *page;

	folio_on();
	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(load(mm2, b).sig, SIG_NONE);
	page = block_page(block_of(f, 0));
	cr_assert_eq(page->refcount, 2);
	cr_assert_eq(page->mapcount, 2);
	cr_assert_eq(do_munmap(k, mm2, b, 4 * P), 0);
	cr_assert_eq(page->refcount, 1);
	cr_assert_eq(mm2->rss[MM_FILEPAGES], 0);
	mm_destroy(k, mm);
	cr_assert_eq(page->refcount, 0, "an idle fsdax folio holds no reference");
	cr_assert_eq(page->mapcount, 0);
	cr_assert_eq(page->mapping, &f->inode->i_data, "still associated: the entry stays");
}

/*
 * A 2 MiB write fault: dax_associate_entry() makes the 512 pages one
 * folio of order 9 (dax_folio_init()), vmf_insert_folio_pmd() maps it with
 * a pmd (no devmap bit), one reference, an entire mapcount and
 * HPAGE_PMD_NR of MM_FILEPAGES. Zapping the pmd drops all three; deleting
 * the entry (truncate) splits the folio back (dax_folio_put()).
 */
Test(dax_folio, pmd_fault_maps_the_folio)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 2 * M2, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct page *head, *tail;

	folio_on();
	cr_assert_eq(a & (M2 - 1), 0);
	cr_assert_eq(store(mm, a + 5 * P, 1).sig, SIG_NONE);
	cr_assert(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert_not(pmd_devmap(pmd_at(mm, a)));
	head = block_page(block_of(f, 0));
	tail = block_page(block_of(f, 5));
	cr_assert_eq(head->order, PMD_SHIFT - PAGE_SHIFT);
	cr_assert_eq(page_folio(tail), head);
	cr_assert_eq(head->refcount, 1);
	cr_assert_eq(head->entire_mapcount, 1);
	cr_assert_eq(head->mapcount, 0, "no PTE maps a page of it");
	cr_assert_eq(head->index, 0);
	cr_assert_eq(mm->rss[MM_FILEPAGES], (long)HPAGE_PMD_NR);
	cr_assert_eq(vm_normal_page_pmd(k, pmd_at(mm, a)), head);
	cr_assert_eq(do_munmap(k, mm, a, M2), 0);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(head->refcount, 0);
	cr_assert_eq(head->entire_mapcount, 0);
	cr_assert_eq(vfs_truncate(k, f, 0), 0);
	cr_assert_eq(head->order, 0);
	cr_assert_null(head->mapping);
	cr_assert_null(tail->head);
}

/* A hole read maps the huge zero page: no folio, no rss (insert_pmd()'s zero branch). */
Test(dax_folio, huge_zero_page_uncounted)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 2 * M2, PROT_READ, MAP_SHARED, 0);

	folio_on();
	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert(is_huge_zero_pmd(k, pmd_at(mm, a)));
	cr_assert_null(vm_normal_page_pmd(k, pmd_at(mm, a)));
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
}

/*
 * fork of a private DAX VMA with an anon_vma (vma_needs_copy()): a DAX
 * page is now a normal file page, so copy_present_pte() takes a reference,
 * a mapcount and MM_FILEPAGES for the child; a shared VMA without an
 * anon_vma is not copied at all (no VM_MIXEDMAP since 2018).
 */
Test(dax_folio, fork_copies_private_references)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k), *child;
	unsigned long p, s;
	struct page *page;

	folio_on();	/* before mmap: no VM_MIXEDMAP */
	p = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	s = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(vfs_write(k, f, 0, "ab", 2), 2);
	cr_assert_eq(load(mm, p).value & 0xff, 'a');
	cr_assert_eq(store(mm, p + P, 1).sig, SIG_NONE);	/* a COW page: anon_vma */
	cr_assert_eq(load(mm, s).sig, SIG_NONE);
	page = block_page(block_of(f, 0));
	cr_assert_eq(page->refcount, 2);
	child = dup_mm(k, mm);
	cr_assert_eq(page->refcount, 3, "the private PTE copied, the shared one not");
	cr_assert_eq(page->mapcount, 3);
	cr_assert_eq(child->rss[MM_FILEPAGES], 1);
	cr_assert_eq(child->rss[MM_ANONPAGES], 1);
	cr_assert(pte_none(pte_at(child, s)));
}

/*
 * dax-break-layout: ext4_break_layouts() -> dax_break_layout(inode, 0,
 * LLONG_MAX): a one-page punch unmaps every PTE of the file, as 6.1 does,
 * and then deletes every entry of the file, a DIRTY one too, with no
 * writeback: the next fsync flushes nothing for it.
 */
Test(dax_folio, break_layout_deletes_every_entry)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b0;

	k->policy.sw[SW_EXT4_BREAK_LAYOUTS] = 1;
	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(store(mm, a + 4 * P, 1).sig, SIG_NONE);
	b0 = block_of(f, 0);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 8 * P, P), 0);
	cr_assert(pte_none(pte_at(mm, a)), "6.1: the whole file is unmapped");
	cr_assert(dirty_tag(f, 0), "6.1: the entries outside the range stay");
	k->policy.sw[SW_DAX_BREAK_LAYOUT] = 1;
	cr_assert_eq(store(mm, a + 2 * P, 1).sig, SIG_NONE);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 8 * P, P), 0);
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	cr_assert_null(entry_at(f, 0));
	cr_assert_null(entry_at(f, 2));
	cr_assert_null(entry_at(f, 4));
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	cr_assert_not(pmem_page_durable(k, PMEM_BASE_PFN + b0), "nothing flushed it");
}

/* With dax-folio-refcount, the deleted entries' folios are disassociated too. */
Test(dax_folio, break_layout_disassociates)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct page *page;

	folio_on();
	k->policy.sw[SW_EXT4_BREAK_LAYOUTS] = 1;
	k->policy.sw[SW_DAX_BREAK_LAYOUT] = 1;
	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	page = block_page(block_of(f, 0));
	cr_assert_eq(vfs_truncate(k, f, 12 * P), 0);
	cr_assert_eq(page->refcount, 0);
	cr_assert_null(page->mapping);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
}
