// SPDX-License-Identifier: GPL-2.0
/*
 * mm/huge_memory.c, v4.14, the parts a DAX file's 2 MiB mappings use:
 * the huge zero page, vmf_insert_pfn_pmd, zap_huge_pmd, the split of a
 * file pmd (which for DAX is a zap), huge_pmd_set_accessed and
 * change_huge_pmd. Anonymous THP is not modelled: a DAX VMA never holds
 * one (a private write falls back to PTEs, dax_iomap_pmd_fault).
 */
#include <assert.h>

#include "huge_mm.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"

/*
 * mm_get_huge_zero_page(), v4.14: the huge zero page, allocated at its
 * first use (get_huge_zero_page: alloc_pages(HPAGE_PMD_ORDER), zeroed)
 * and kept: the per-mm reference (MMF_HUGE_ZERO_PAGE) only keeps the
 * shrinker away, and the shrinker is not modelled. Its 512 pages are
 * DRAM in use from then on. NULL when DRAM is short (the fault falls back).
 */
struct page *mm_get_huge_zero_page(struct kernel *k, struct mm_struct *mm)
{
	struct dram *d = &k->dram;
	unsigned long first;

	if (d->huge_zero_page)
		return d->huge_zero_page;
	might_sleep(k, "alloc_pages");
	/* 2 MiB aligned, above every pfn handed out so far */
	first = (DRAM_BASE_PFN + d->pages->len + PG_PMD_COLOUR) & ~(unsigned long)PG_PMD_COLOUR;
	if (first + HPAGE_PMD_NR - DRAM_BASE_PFN > d->nr_pages)
		return NULL;
	d->huge_zero_page = alloc_pages_at(k, first, HPAGE_PMD_ORDER);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		d->huge_zero_page[i].flags = PG_reserved | PG_uptodate;
	return d->huge_zero_page;
}

bool is_huge_zero_pmd(const struct kernel *k, pmd_t pmd)
{
	return k->dram.huge_zero_page && pmd_pfn(pmd) == k->dram.huge_zero_page->pfn;
}

/*
 * vm_normal_page_pmd(), v6.18.2 mm/memory.c L793 (v4.14's the same for a
 * file pmd): the huge zero page and a devmap pmd (6.1's DAX pmd, pfn_t
 * with PFN_DEV) have no normal page; a pmd vmf_insert_folio_pmd() made
 * maps its folio's head.
 */
struct page *vm_normal_page_pmd(struct kernel *k, pmd_t pmd)
{
	if (is_huge_zero_pmd(k, pmd) || pmd_devmap(pmd))
		return NULL;
	return pfn_to_page(k, pmd_pfn(pmd));
}

/* add_mm_counter(mm, mm_counter_file(folio), nr) */
static void add_mm_counter(struct mm_struct *mm, int member, long nr)
{
	mm->rss[member] += nr;
}

/*
 * What a folio pmd holds, dropped as it goes (zap_huge_pmd() and, for a
 * file VMA, __split_huge_pmd_locked(), v6.18.2 mm/huge_memory.c L2175,
 * L2830): the rmap (folio_remove_rmap_pmd()), HPAGE_PMD_NR of
 * MM_FILEPAGES, the reference. A dirty pmd would mark the folio dirty:
 * ext4's DAX aops have noop_dirty_folio.
 */
static void zap_folio_pmd(struct kernel *k, struct vm_area_struct *vma, pmd_t pmd)
{
	struct page *folio = vm_normal_page_pmd(k, pmd);

	if (!folio)
		return;
	assert(folio->entire_mapcount > 0);
	folio->entire_mapcount--;
	add_mm_counter(vma->vm_mm, MM_FILEPAGES, -(long)HPAGE_PMD_NR);
	put_page(k, folio);
}

/*
 * vmf_insert_folio_pmd() -> insert_pmd(), v6.18.2 mm/huge_memory.c L1404,
 * L1511 (dax-folio-refcount: a DAX pmd fault since v6.15): a present pmd
 * is left alone, or for a write upgraded in place when it maps the same
 * pfn (the checks of pmd-insert-checks, always there). An empty one gets
 * a pmd on the 2 MiB folio (folio_mk_pmd(): no devmap bit), with a folio
 * reference, folio_add_file_rmap_pmd() and HPAGE_PMD_NR of MM_FILEPAGES;
 * young, dirty and (maybe) writable for a write.
 */
int vmf_insert_folio_pmd(struct kernel *k, struct vm_fault *vmf, struct page *folio,
			 bool write)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address & PMD_MASK;
	pmd_t entry;

	if (folio->order != PMD_SHIFT - PAGE_SHIFT)	/* WARN_ON_ONCE */
		return VM_FAULT_SIGBUS;
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return VM_FAULT_SIGBUS;
	if (!pmd_none(*vmf->pmd)) {
		if (write && pmd_pfn(*vmf->pmd) == folio->pfn) {
			entry = pmd_mkyoung(pmd_mkdirty(*vmf->pmd));
			if (vma->vm_flags & VM_WRITE)	/* maybe_pmd_mkwrite() */
				entry = pmd_mkwrite(entry);
			set_pmd_at(k, vma, addr, vmf->pmd, entry);
		}
		return VM_FAULT_NOPAGE;
	}
	entry = pfn_pmd_huge(folio->pfn, vma->vm_page_prot);
	get_page(folio);
	folio->entire_mapcount++;
	add_mm_counter(vma->vm_mm, MM_FILEPAGES, HPAGE_PMD_NR);
	if (write) {
		entry = pmd_mkyoung(pmd_mkdirty(entry));
		if (vma->vm_flags & VM_WRITE)
			entry = pmd_mkwrite(entry);
	}
	set_pmd_at(k, vma, addr, vmf->pmd, entry);
	return VM_FAULT_NOPAGE;
}

/*
 * vmf_insert_pfn_pmd() -> insert_pfn_pmd(), v4.14: a devmap huge pmd for
 * @pfn, young, dirty and (maybe) writable for a write. v4.14 writes the
 * pmd whatever it held (the pmd_none/same-pfn checks came in 2019:
 * pmd-insert-checks, on in modern).
 * No rss: a DAX pmd counts in no counter.
 */
int vmf_insert_pfn_pmd(struct kernel *k, struct vm_fault *vmf, unsigned long pfn,
		       bool write)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address & PMD_MASK;
	pmd_t entry;

	if (addr < vma->vm_start || addr >= vma->vm_end)
		return VM_FAULT_SIGBUS;
	/*
	 * pmd-insert-checks (6.1 insert_pfn_pmd() L848-861): a present pmd
	 * is left alone; for a write, one mapping the same pfn is made
	 * young, dirty and (maybe) writable in place, and another is left
	 * alone too (WARN_ON_ONCE unless it is the huge zero page).
	 */
	if (SW(k, PMD_INSERT_CHECKS) && !pmd_none(*vmf->pmd)) {
		if (write && pmd_pfn(*vmf->pmd) == pfn) {
			entry = pmd_mkyoung(pmd_mkdirty(*vmf->pmd));
			if (vma->vm_flags & VM_WRITE)	/* maybe_pmd_mkwrite() */
				entry = pmd_mkwrite(entry);
			set_pmd_at(k, vma, addr, vmf->pmd, entry);	/* pmdp_set_access_flags */
		}
		return VM_FAULT_NOPAGE;
	}
	entry = pmd_mkdevmap(pfn_pmd_huge(pfn, vma->vm_page_prot));
	if (write) {
		entry = pmd_mkyoung(pmd_mkdirty(entry));
		if (vma->vm_flags & VM_WRITE)	/* maybe_pmd_mkwrite() */
			entry = pmd_mkwrite(entry);
	}
	set_pmd_at(k, vma, addr, vmf->pmd, entry);
	return VM_FAULT_NOPAGE;
}

/*
 * __split_huge_pmd_locked(), v4.14, for a file VMA: the pmd is cleared
 * (pmdp_huge_clear_flush_notify) and "for DAX, we are done": the next
 * access faults the range back in with PTEs. Nothing else is a file THP
 * in the model.
 */
void split_huge_pmd(struct kernel *k, struct vm_area_struct *vma, pmd_t *pmdp,
		    unsigned long address)
{
	if (!pmdp || !pmd_trans_huge(*pmdp))
		return;
	assert(vma_is_dax(vma));
	zap_folio_pmd(k, vma, pmdp_huge_get_and_clear(k, vma, address & PMD_MASK, pmdp));
}

/* split_huge_pmd_address(), v4.14: the huge pmd over @address, if any */
void split_huge_pmd_address(struct kernel *k, struct vm_area_struct *vma,
			    unsigned long address)
{
	split_huge_pmd(k, vma, pmd_lookup(vma->vm_mm, address), address);
}

/*
 * move_huge_pmd(), v4.14 (mremap): the pmd moves whole when both
 * addresses are 2 MiB aligned, the range covers it and nothing is at the
 * new place (a PTE table there: WARN_ON, not moved). Else the caller
 * splits it.
 */
bool move_huge_pmd(struct kernel *k, struct vm_area_struct *vma, unsigned long old_addr,
		   struct vm_area_struct *new_vma, unsigned long new_addr,
		   unsigned long old_end, pmd_t *old_pmd)
{
	pmd_t pmd;

	if ((old_addr & ~PMD_MASK) || (new_addr & ~PMD_MASK) ||
	    old_end - old_addr < PMD_SIZE)
		return false;
	if (!pmd_none(pmd_read(vma->vm_mm, new_addr)))
		return false;
	pmd = pmdp_huge_get_and_clear(k, vma, old_addr, old_pmd);
	set_pmd_at(k, new_vma, new_addr, pmd_alloc(k, vma->vm_mm, new_addr), pmd);
	return true;
}

/*
 * zap_huge_pmd(), v4.14, DAX branch: clear the pmd; the huge zero page is
 * handed to tlb_remove_page_size(), which release_pages() skips for it.
 * No rss changes: none was counted. A folio pmd (dax-folio-refcount)
 * drops its rmap, rss and reference (zap_folio_pmd()).
 */
void zap_huge_pmd(struct kernel *k, struct vm_area_struct *vma, pmd_t *pmdp,
		  unsigned long addr)
{
	assert(vma_is_dax(vma));
	zap_folio_pmd(k, vma, pmdp_huge_get_and_clear(k, vma, addr, pmdp));
}

/* huge_pmd_set_accessed(), v4.14: a spurious fault makes the pmd young */
void huge_pmd_set_accessed(struct kernel *k, struct vm_fault *vmf, pmd_t orig_pmd)
{
	pmd_t entry = pmd_mkyoung(orig_pmd);

	if (vmf->flags & FAULT_FLAG_WRITE)
		entry = pmd_mkdirty(entry);
	if (entry.val != orig_pmd.val)
		set_pmd_at(k, vmf->vma, vmf->address & PMD_MASK, vmf->pmd, entry);
}

/*
 * copy_huge_pmd(), v4.5 mm/huge_memory.c L1033 (dax-2016; v4.14 skips
 * file VMAs, memory.c): a huge zero pmd is copied as it is, with a
 * reference of the huge zero page (set_huge_zero_page); a DAX pmd is
 * copied with no counters and ✏️ write-protected in the parent
 * (pmdp_set_wrprotect) and in the child, which also gets it old
 * (L1090-1091), shared mappings too: the next store in either process
 * takes a wp_huge_pmd() fault.
 */
void copy_huge_pmd_v4_5(struct kernel *k, struct vm_area_struct *dst_vma,
			struct vm_area_struct *src_vma, unsigned long addr, pmd_t *src_pmd)
{
	pmd_t *dst_pmd = pmd_alloc(k, dst_vma->vm_mm, addr);
	pmd_t pmd = *src_pmd;

	assert(vma_is_dax(src_vma));
	if (is_huge_zero_pmd(k, pmd)) {
		set_pmd_at(k, dst_vma, addr, dst_pmd, pmd);
		return;
	}
	set_pmd_at(k, src_vma, addr, src_pmd, pmd_wrprotect(pmd));
	set_pmd_at(k, dst_vma, addr, dst_pmd, pmd_mkold(pmd_wrprotect(pmd)));
}

/*
 * change_huge_pmd(), v4.14 (mprotect over a whole 2 MiB): the new
 * protection in place (pmd_modify), dirty and young kept.
 */
void change_huge_pmd(struct kernel *k, struct vm_area_struct *vma, pmd_t *pmdp,
		     unsigned long addr, uint64_t newprot)
{
	pmd_t entry = pmdp_huge_get_and_clear(k, vma, addr, pmdp);

	set_pmd_at(k, vma, addr, pmdp, pmd_modify(entry, newprot));
}
