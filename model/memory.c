// SPDX-License-Identifier: GPL-2.0
/*
 * The generic fault path, mm/memory.c as of v4.14 on x86-64
 * (HAVE_PTE_SPECIAL): handle_mm_fault -> __handle_mm_fault ->
 * handle_pte_fault -> do_fault / do_wp_page, the pfn insertion helpers the
 * DAX code calls, zap_pte_range and unmap_mapping_range. And user_access(),
 * the CPU side: a load or store walks the page tables and faults when the
 * PTE does not allow the access (arch/x86/mm/fault.c __do_page_fault).
 */
#include <assert.h>
#include <string.h>

#include "huge_mm.h"
#include "lock.h"
#include "mm.h"
#include "nvdimm.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"
#include "pmem.h"
#include "usercopy.h"

/* vm_normal_page(), v4.14 with HAVE_PTE_SPECIAL: special PTEs have no page. */
struct page *vm_normal_page(struct kernel *k, struct vm_area_struct *vma,
			    unsigned long addr, pte_t pte)
{
	if (pte_special(pte))
		return NULL;
	return pfn_to_page(k, pte_pfn(pte));
}

static pte_t maybe_mkwrite(pte_t pte, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_WRITE)
		pte = pte_mkwrite(pte);
	return pte;
}

static void inc_mm_counter(struct mm_struct *mm, int member)
{
	mm->rss[member]++;
}

static void dec_mm_counter(struct mm_struct *mm, int member)
{
	mm->rss[member]--;
}

/*
 * v3.19's and v4.0's vm_insert_mixed() take a bare pfn: there is no pfn_t
 * and no devmap bit (insert_pfn(), v4.0 mm/memory.c L1537: special).
 */
static bool pfn_without_devmap(const struct kernel *k)
{
	return k->policy.id == POLICY_DAX_2014 || k->policy.id == POLICY_XIP_2014;
}

/*
 * insert_pfn(), v4.14: a special (or devmap) PTE for a raw pfn; with
 * @mkwrite an existing PTE for the same pfn is upgraded in place to young,
 * dirty and (maybe) writable ("mm: add vm_insert_mixed_mkwrite()", v4.14).
 */
static int insert_pfn(struct kernel *k, struct vm_area_struct *vma,
		      unsigned long addr, unsigned long pfn, uint64_t prot,
		      bool mkwrite)
{
	pte_t *ptep = pte_alloc(k, vma->vm_mm, addr);
	pte_t entry;

	if (!pte_none(*ptep)) {
		/*
		 * Every present-PTE case returns -EBUSY, the in-place upgrade
		 * too; a different pfn (the zero page, racing) is left alone.
		 */
		if (!mkwrite || pte_pfn(*ptep) != pfn)
			return -EBUSY;
		entry = pte_mkyoung(*ptep);
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		set_pte_at(k, vma, addr, ptep, entry);
		return -EBUSY;
	}
	if (pfn_is_pmem(k, pfn) && !pfn_without_devmap(k)) {
		/* pmem with a memmap: pfn_t_devmap() */
		entry = pte_mkdevmap(pfn_pte(pfn, prot));
	} else {
		entry = pte_mkspecial(pfn_pte(pfn, prot));
	}
	if (mkwrite) {
		entry = pte_mkyoung(entry);
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	}
	set_pte_at(k, vma, addr, ptep, entry);
	return 0;
}

static int __vm_insert_mixed(struct kernel *k, struct vm_area_struct *vma,
			     unsigned long addr, unsigned long pfn, bool mkwrite)
{
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return -EFAULT;
	return insert_pfn(k, vma, addr, pfn, vma->vm_page_prot, mkwrite);
}

int vm_insert_mixed(struct kernel *k, struct vm_area_struct *vma,
		    unsigned long addr, unsigned long pfn)
{
	return __vm_insert_mixed(k, vma, addr, pfn, false);
}

int vm_insert_mixed_mkwrite(struct kernel *k, struct vm_area_struct *vma,
			    unsigned long addr, unsigned long pfn)
{
	return __vm_insert_mixed(k, vma, addr, pfn, true);
}

/*
 * vm_insert_page() -> insert_page(), v3.19 mm/memory.c L1465-1512 (the same
 * in v4.14): map a normal, non-anonymous page with the VMA's protection;
 * the PTE holds a reference, a file rmap and MM_FILEPAGES. mm/filemap_xip.c
 * maps its sparse page this way, in a VMA that is VM_MIXEDMAP already (which
 * vm_insert_page() would otherwise set).
 */
int vm_insert_page(struct kernel *k, struct vm_area_struct *vma,
		   unsigned long addr, struct page *page)
{
	pte_t *ptep;

	if (addr < vma->vm_start || addr >= vma->vm_end)
		return -EFAULT;
	if (!page->refcount || (page->flags & PG_anon))
		return -EINVAL;
	ptep = pte_alloc(k, vma->vm_mm, addr);
	if (!pte_none(*ptep))
		return -EBUSY;
	get_page(page);
	inc_mm_counter(vma->vm_mm, MM_FILEPAGES);
	page->mapcount++;		/* page_add_file_rmap() */
	set_pte_at(k, vma, addr, ptep, pfn_pte(page->pfn, vma->vm_page_prot));
	return 0;
}

/*
 * vmf_insert_page_mkwrite() -> insert_page() -> insert_page_into_pte_locked(),
 * v6.18.2 mm/memory.c L2258-2346, L2767 (dax-folio-refcount: how a DAX
 * fault maps its block since v6.15). The page must hold a reference
 * (validate_page_before_insert(): the DAX fault took one). A present PTE:
 * without @write the fault is done (-EBUSY, NOPAGE); with it, the same
 * pfn is made young and (maybe) writable in place, not dirtied, and
 * another pfn (racing with the zero page's unmap) is -EFAULT, SIGBUS. An
 * empty PTE gets a normal (not special) PTE on the page: a folio
 * reference, a file rmap (folio_add_file_rmap_pte()) and
 * mm_counter_file(), MM_FILEPAGES; for @write young, dirty and writable.
 */
int vmf_insert_page_mkwrite(struct kernel *k, struct vm_fault *vmf, struct page *page,
			    bool write)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address;
	pte_t *ptep, entry;

	if (addr < vma->vm_start || addr >= vma->vm_end)
		return VM_FAULT_SIGBUS;
	if (!page_folio(page)->refcount)
		return VM_FAULT_SIGBUS;		/* -EINVAL */
	ptep = pte_alloc(k, vma->vm_mm, addr);
	if (!pte_none(*ptep)) {
		if (!write)
			return VM_FAULT_NOPAGE;	/* -EBUSY */
		if (pte_pfn(*ptep) != page->pfn)
			return VM_FAULT_SIGBUS;	/* -EFAULT */
		entry = pte_mkyoung(maybe_mkwrite(*ptep, vma));
		if (entry.val != ptep->val)
			set_pte_at(k, vma, addr, ptep, entry);
		return VM_FAULT_NOPAGE;
	}
	get_page(page);
	entry = pfn_pte(page->pfn, vma->vm_page_prot);
	if (write)
		entry = maybe_mkwrite(pte_mkdirty(pte_mkyoung(entry)), vma);
	inc_mm_counter(vma->vm_mm, MM_FILEPAGES);
	page->mapcount++;		/* folio_add_file_rmap_pte() */
	set_pte_at(k, vma, addr, ptep, entry);
	return VM_FAULT_NOPAGE;
}

/*
 * alloc_set_pte(), v4.14: map @page at vmf->address, unless a PTE is
 * there already (VM_FAULT_NOPAGE). A private write maps a new anonymous
 * page; anything else a file page (MM_FILEPAGES, page_add_file_rmap()).
 * The PTE keeps the caller's reference.
 */
/*
 * page_add_new_anon_rmap() -> __page_set_anon_rmap(exclusive = 1), 6.1
 * mm/rmap.c L1276: a new anonymous page is exclusive (modern only).
 */
static void set_anon_exclusive(struct kernel *k, struct page *page)
{
	if (k->policy.id == POLICY_MODERN)
		page->flags |= PG_anon_exclusive;
}

int alloc_set_pte(struct kernel *k, struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	pte_t *ptep = pte_alloc(k, vma->vm_mm, vmf->address);
	pte_t entry;

	/* Someone else mapped something here meanwhile. */
	if (!pte_none(*ptep))
		return VM_FAULT_NOPAGE;
	entry = pfn_pte(page->pfn, vma->vm_page_prot);
	if (write)
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	if (write && !(vma->vm_flags & VM_SHARED)) {
		if (!SW(k, BUG_COW_NO_RSS))
			inc_mm_counter(vma->vm_mm, MM_ANONPAGES);
		page->flags |= PG_anon;
		page_add_anon_rmap(page);
		set_anon_exclusive(k, page);
	} else {
		inc_mm_counter(vma->vm_mm, MM_FILEPAGES);
		page->mapcount++;
	}
	set_pte_at(k, vma, vmf->address, ptep, entry);
	return 0;
}

/*
 * finish_fault(), v4.14: alloc_set_pte() of vmf->cow_page (private
 * write) or vmf->page.
 */
int finish_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED))
		return alloc_set_pte(k, vmf, vmf->cow_page);
	return alloc_set_pte(k, vmf, vmf->page);
}

/* __do_fault(), v4.14: the VMA's ->fault (ext4_dax_fault for a DAX file) */
static int __do_fault(struct kernel *k, struct vm_fault *vmf)
{
	return vmf->vma->vm_ops->fault(k, vmf);
}

/*
 * The end of do_read_fault() when ->fault returned a page (v4.0 DAX: a
 * hole page, VM_FAULT_LOCKED): do_set_pte() maps it read-only as a file
 * page (MM_FILEPAGES, rmap) keeping ->fault's reference, then unlock_page()
 * (v4.0 mm/memory.c L2823; v4.14's finish_fault() does the same).
 */
static int finish_read_fault(struct kernel *k, struct vm_fault *vmf, int ret)
{
	ret |= finish_fault(k, vmf);
	unlock_page(k, vmf->page);
	if (ret & VM_FAULT_NOPAGE)	/* the PTE was taken meanwhile */
		put_page(k, vmf->page);
	return ret;
}

/*
 * do_fault_around(), v4.14: map the pages around the fault that the page
 * cache has ready (->map_pages), in a window of fault_around_bytes
 * aligned to its size, cut at the VMA's ends and at the PTE table's end.
 * VM_FAULT_NOPAGE when the fault's own PTE got mapped too: the fault is
 * done. v4.14 preallocates the PTE table (vmf->prealloc_pte); the model's
 * alloc_set_pte() allocates it at the first page mapped.
 */
static int do_fault_around(struct kernel *k, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long address = vmf->address, nr_pages, mask;
	pgoff_t start_pgoff = vmf->pgoff;
	pgoff_t end_pgoff, vma_end_pgoff;
	unsigned long off;
	pte_t *ptep;
	int ret = 0;

	nr_pages = k->fault_around_bytes >> PAGE_SHIFT;
	mask = ~(nr_pages * PAGE_SIZE - 1) & PAGE_MASK;
	vmf->address = (address & mask) > vma->vm_start ? address & mask : vma->vm_start;
	off = ((address - vmf->address) >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
	start_pgoff -= off;
	/* end_pgoff is the end of the page table, the VMA or the window */
	end_pgoff = start_pgoff - ((vmf->address >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)) +
		    PTRS_PER_TABLE - 1;
	if (SW(k, BUG_FAULTAROUND_PAST_TABLE))
		end_pgoff = ~0UL;
	vma_end_pgoff = vma_pages(vma) + vma->vm_pgoff - 1;
	if (end_pgoff > vma_end_pgoff)
		end_pgoff = vma_end_pgoff;
	if (end_pgoff > start_pgoff + nr_pages - 1)
		end_pgoff = start_pgoff + nr_pages - 1;
	vma->vm_ops->map_pages(k, vmf, start_pgoff, end_pgoff);
	/* check if the page fault is solved */
	ptep = pte_lookup(vma->vm_mm, address);
	if (ptep && !pte_none(*ptep))
		ret = VM_FAULT_NOPAGE;
	vmf->address = address;
	vmf->pte = NULL;
	return ret;
}

/*
 * do_read_fault(), v4.14: fault-around first when the VMA has
 * ->map_pages (page-cache files: filemap_map_pages; ext4's DAX vm_ops
 * have none) and fault_around_bytes is more than a page; then ->fault for
 * the page itself, mapped read-only.
 */
static int do_read_fault(struct kernel *k, struct vm_fault *vmf)
{
	int ret;

	if (vmf->vma->vm_ops->map_pages && k->fault_around_bytes >> PAGE_SHIFT > 1) {
		ret = do_fault_around(k, vmf);
		if (ret)
			return ret;
	}
	ret = __do_fault(k, vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	return finish_read_fault(k, vmf, ret);
}

/* anon_vma_prepare(): the VMA gets its anon_vma at its first COW page */
static void anon_vma_prepare(struct kernel *k, struct vm_area_struct *vma)
{
	if (!vma->anon_vma)
		vma->anon_vma = ++k->nr_anon_vmas;
}

/*
 * do_cow_fault(), v4.0 mm/memory.c L2863, after a ->fault that returned
 * VM_FAULT_LOCKED (v4.0 DAX): copy the page it returned, if any, into the
 * COW page (do_dax_fault() has already filled the COW page from the block
 * or zeroed it), map the COW page as anonymous (do_set_pte(anon)), then
 * unlock and release the page or, with none, drop the i_mmap_rwsem the
 * fault holds for read against truncate.
 */
static int finish_cow_fault_locked(struct kernel *k, struct vm_fault *vmf, int ret)
{
	struct address_space *mapping = &vma_inode(vmf->vma)->i_data;
	struct page *fault_page = vmf->page;

	if (fault_page)
		copy_pfn_to_page(k, vmf->cow_page, fault_page->pfn);
	vmf->cow_page->flags |= PG_uptodate;
	ret |= finish_fault(k, vmf);
	if (ret & VM_FAULT_NOPAGE)	/* the PTE was taken meanwhile */
		put_page(k, vmf->cow_page);
	if (fault_page) {
		unlock_page(k, fault_page);
		put_page(k, fault_page);
	} else {
		up_read(k, &mapping->i_mmap_rwsem);
	}
	return ret;
}

static int do_cow_fault(struct kernel *k, struct vm_fault *vmf)
{
	int ret;

	anon_vma_prepare(k, vmf->vma);
	vmf->cow_page = alloc_page(k);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;
	ret = __do_fault(k, vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto uncharge_out;
	if (ret & VM_FAULT_DONE_COW)
		return ret;
	return finish_cow_fault_locked(k, vmf, ret);
uncharge_out:
	put_page(k, vmf->cow_page);
	return ret;
}

/* do_page_mkwrite() is below, with wp_page_shared() */
static int do_page_mkwrite(struct kernel *k, struct vm_fault *vmf, struct page *page);

/*
 * fault_dirty_shared_page(), v4.14: the page ->page_mkwrite dirtied is
 * unlocked (balance_dirty_pages_ratelimited() has nothing to throttle
 * here).
 */
static void fault_dirty_shared_page(struct kernel *k, struct page *page)
{
	set_page_dirty(k, page);
	unlock_page(k, page);
}

/*
 * do_shared_fault(), v4.14: DAX returns VM_FAULT_NOPAGE (the PTE is
 * already in place). A page-cache page is unlocked and handed to
 * ->page_mkwrite (ext4_page_mkwrite: a block for it, the page dirty,
 * returned locked), then mapped writable and dirty (finish_fault()).
 */
static int do_shared_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	int ret = __do_fault(k, vmf), tmp;

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (vma->vm_ops->page_mkwrite) {
		unlock_page(k, vmf->page);
		tmp = do_page_mkwrite(k, vmf, vmf->page);
		if (!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {
			put_page(k, vmf->page);
			return tmp;
		}
	}
	ret |= finish_fault(k, vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) {
		unlock_page(k, vmf->page);
		put_page(k, vmf->page);
		return ret;
	}
	fault_dirty_shared_page(k, vmf->page);
	return ret;
}

static int do_fault(struct kernel *k, struct vm_fault *vmf)
{
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(k, vmf);
	if (!(vmf->vma->vm_flags & VM_SHARED))
		return do_cow_fault(k, vmf);
	return do_shared_fault(k, vmf);
}

/* wp_page_reuse(): make the PTE young, dirty and writable where it is. */
static int wp_page_reuse(struct kernel *k, struct vm_fault *vmf)
{
	pte_t entry = pte_mkyoung(vmf->orig_pte);

	entry = maybe_mkwrite(pte_mkdirty(entry), vmf->vma);
	set_pte_at(k, vmf->vma, vmf->address, vmf->pte, entry);
	return VM_FAULT_WRITE;
}

/*
 * wp_page_copy(), v4.14: a private write to a page mapped read-only gets
 * a new anonymous page: zeroed for the zero pfn, else a copy.
 */
static int wp_page_copy(struct kernel *k, struct vm_fault *vmf,
			struct page *old_page)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long old_pfn = pte_pfn(vmf->orig_pte);
	struct page *new_page;
	pte_t entry;

	anon_vma_prepare(k, vma);
	new_page = alloc_page(k);
	if (!new_page) {
		if (old_page)
			put_page(k, old_page);
		return VM_FAULT_OOM;
	}
	if (!is_zero_pfn(k, old_pfn))
		copy_pfn_to_page(k, new_page, old_pfn);
	if (old_page) {
		if (!(old_page->flags & PG_anon)) {
			dec_mm_counter(mm, MM_FILEPAGES);
			inc_mm_counter(mm, MM_ANONPAGES);
		}
	} else {
		inc_mm_counter(mm, MM_ANONPAGES);
	}
	entry = pfn_pte(new_page->pfn, vma->vm_page_prot);
	/* 6.1 wp_page_copy() L3164-3171: an unshare maps the copy read-only and clean */
	if (!(vmf->flags & FAULT_FLAG_UNSHARE))
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	ptep_get_and_clear(k, vma, vmf->address, vmf->pte);
	new_page->flags |= PG_anon;
	page_add_anon_rmap(new_page);
	set_anon_exclusive(k, new_page);
	set_pte_at(k, vma, vmf->address, vmf->pte, entry);
	if (old_page) {
		page_remove_rmap(old_page);
		put_page(k, old_page);	/* the PTE's reference */
		put_page(k, old_page);	/* do_wp_page's get_page() */
	}
	return (vmf->flags & FAULT_FLAG_UNSHARE) ? 0 : VM_FAULT_WRITE;
}

/*
 * wp_pfn_shared(), v4.14: a shared writable special PTE calls the VMA's
 * ->pfn_mkwrite, which for ext4 DAX is the whole DAX fault again
 * (ext4_dax_vm_ops: .pfn_mkwrite = ext4_dax_fault); it installs the
 * writable PTE itself and returns VM_FAULT_NOPAGE, so
 * finish_mkwrite_fault() has nothing left to do. Without ->pfn_mkwrite
 * the PTE is reused.
 */
static int wp_pfn_shared(struct kernel *k, struct vm_fault *vmf)
{
	const struct vm_operations_struct *vm_ops = vmf->vma->vm_ops;

	int ret;

	if (!vm_ops->pfn_mkwrite)
		return wp_page_reuse(k, vmf);
	vmf->flags |= FAULT_FLAG_MKWRITE;
	ret = vm_ops->pfn_mkwrite(k, vmf);
	if (k->policy.id != POLICY_DAX_2016)
		return ret;
	/*
	 * v4.5 mm/memory.c L2238-2267: only VM_FAULT_ERROR returns early;
	 * ext4's ->pfn_mkwrite (dax_pfn_mkwrite: tag DIRTY) returns NOPAGE;
	 * with the PTE lock taken again, a PTE that is not the one the fault
	 * saw ("We might have raced with another page fault", L2257-2264: a
	 * truncate unmapped it) ends the fault with 0, and the access faults
	 * again; else wp_page_reuse() makes it writable and dirty.
	 */
	if (ret & VM_FAULT_ERROR)
		return ret;
	if (vmf->pte->val != vmf->orig_pte.val)	/* !pte_same() */
		return 0;
	return wp_page_reuse(k, vmf);
}

/*
 * do_page_mkwrite(), v4.0 mm/memory.c L1959 (v4.14 the same): ->page_mkwrite
 * with a vm_fault of its own for the page (WRITE | MKWRITE, no COW page).
 * v4.0 takes pgoff from page->index, v4.14 and later pass the fault's own
 * vmf: the same index for a page-cache page; a page of a 2 MiB DAX folio
 * (dax-folio-refcount) has no index of its own, so the fault's is used. v4.14: a page not returned locked is locked
 * here; one truncated meanwhile (no mapping) makes the fault retry (0).
 */
static int do_page_mkwrite(struct kernel *k, struct vm_fault *vmf, struct page *page)
{
	struct vm_fault mkwrite = {
		.vma = vmf->vma,
		.address = vmf->address,
		.pgoff = vmf->pgoff,
		.pmd = vmf->pmd,
		.flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE,
		.page = page,
	};
	int ret = vmf->vma->vm_ops->page_mkwrite(k, &mkwrite);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		return ret;
	if (!(ret & VM_FAULT_LOCKED)) {
		lock_page(k, page);
		if (!page->mapping) {
			unlock_page(k, page);
			return 0;	/* retry */
		}
		ret |= VM_FAULT_LOCKED;
	}
	return ret;
}

/*
 * do_wp_page() on a page-cache page in a shared writable VMA, v4.0
 * mm/memory.c L2062 (v4.14's wp_page_shared()): ->page_mkwrite first. For
 * v4.0 DAX that is dax_fault() again on a hole page: it allocates the
 * block, unmaps the hole page everywhere (this PTE too), maps the block
 * read-only and returns VM_FAULT_NOPAGE, which is returned as is. For a
 * page-cache file (v4.14 ext4_page_mkwrite) the page comes back locked and
 * dirty: finish_mkwrite_fault() makes the PTE writable where it is (one
 * thread: it is still the same PTE), and the page is unlocked.
 */
static int wp_page_shared(struct kernel *k, struct vm_fault *vmf, struct page *page)
{
	int tmp;

	get_page(page);		/* page_cache_get(old_page) */
	if (!vmf->vma->vm_ops->page_mkwrite) {
		put_page(k, page);
		return not_modelled(k, "a write to a shared page-cache page without ->page_mkwrite");
	}
	tmp = do_page_mkwrite(k, vmf, page);
	if (!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {
		put_page(k, page);
		return tmp;
	}
	wp_page_reuse(k, vmf);		/* finish_mkwrite_fault() */
	fault_dirty_shared_page(k, page);
	put_page(k, page);
	return VM_FAULT_WRITE;
}

static int do_wp_page(struct kernel *k, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = vm_normal_page(k, vma, vmf->address, vmf->orig_pte);
	bool unshare = vmf->flags & FAULT_FLAG_UNSHARE;

	/* 6.1 do_wp_page() L3389-3394, L3463-3466: no anonymous page, nothing to unshare */
	if (unshare && (!page || !(page->flags & PG_anon)))
		return 0;
	if (!page) {
		if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) ==
		    (VM_WRITE | VM_SHARED))
			return wp_pfn_shared(k, vmf);
		return wp_page_copy(k, vmf, NULL);
	}
	if ((page->flags & PG_anon) && k->policy.id == POLICY_MODERN) {
		/*
		 * 6.1 do_wp_page() L3410-3450: an exclusive page is reused; a
		 * shared one only when its mapping holds the only reference
		 * (folio_ref_count() == 1: no swap cache, KSM or LRU pagevec in
		 * the model), which page_move_anon_rmap() makes exclusive
		 * again. A gup's reference or a pin's bias forces a copy.
		 */
		if (page->flags & PG_anon_exclusive)
			return unshare ? 0 : wp_page_reuse(k, vmf);
		if (page->refcount == 1) {
			page->flags |= PG_anon_exclusive;
			return unshare ? 0 : wp_page_reuse(k, vmf);
		}
		get_page(page);
		return wp_page_copy(k, vmf, page);
	}
	/*
	 * reuse_swap_page() (v3.19/v4.0 mm/swapfile.c L883-899: page_mapcount(),
	 * v4.5 L924, v4.14 L1543: page_trans_huge_map_swapcount()): the only
	 * mapper of an anonymous page reuses it; the page's references (a
	 * gup's) are not looked at, so a process that forked after a gup and
	 * writes first gets the copy, and the gup'd page stays the other's.
	 */
	if ((page->flags & PG_anon) && page->mapcount == 1)
		return wp_page_reuse(k, vmf);
	if (!(page->flags & PG_anon) &&
	    (vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		return wp_page_shared(k, vmf, page);
	get_page(page);
	return wp_page_copy(k, vmf, page);
}

static int handle_pte_fault(struct kernel *k, struct vm_fault *vmf)
{
	pte_t entry;

	vmf->pte = pte_offset_lookup(vmf->pmd, vmf->address);
	if (vmf->pte) {
		vmf->orig_pte = *vmf->pte;
		if (pte_none(vmf->orig_pte))
			vmf->pte = NULL;
	}
	if (!vmf->pte)
		return do_fault(k, vmf);

	entry = vmf->orig_pte;
	/* 6.1 handle_pte_fault() L4966-4971: an unshare fault takes do_wp_page() too */
	if (vmf->flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) {
		if (!pte_write(entry))
			return do_wp_page(k, vmf);
		if (vmf->flags & FAULT_FLAG_WRITE)
			entry = pte_mkdirty(entry);
	}
	/* Spurious: the access is allowed; ptep_set_access_flags(). */
	entry = pte_mkyoung(entry);
	if (entry.val != vmf->orig_pte.val)
		set_pte_at(k, vmf->vma, vmf->address, vmf->pte, entry);
	return 0;
}

/*
 * transparent_hugepage_enabled(), v4.14: DAX VMAs try a PMD first unless
 * VM_NOHUGEPAGE. ext4_file_mmap() also sets VM_HUGEPAGE on DAX VMAs.
 */
static bool transparent_hugepage_enabled(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_NOHUGEPAGE)
		return false;
	return vma_is_dax(vma);
}

/* create_huge_pmd(), v4.14: the VMA's ->huge_fault, else fall back to PTEs */
static int create_huge_pmd(struct kernel *k, struct vm_fault *vmf)
{
	if (vmf->vma->vm_ops->huge_fault)
		return vmf->vma->vm_ops->huge_fault(k, vmf, PE_SIZE_PMD);
	return VM_FAULT_FALLBACK;
}

/*
 * wp_huge_pmd(), v4.14: a write to a read-only huge pmd of a file VMA
 * goes to ->huge_fault; without one the pmd is split for COW on PTEs.
 */
static int wp_huge_pmd(struct kernel *k, struct vm_fault *vmf)
{
	if (vmf->vma->vm_ops->huge_fault)
		return vmf->vma->vm_ops->huge_fault(k, vmf, PE_SIZE_PMD);
	split_huge_pmd(k, vmf->vma, vmf->pmd, vmf->address);
	return VM_FAULT_FALLBACK;
}

/*
 * __handle_mm_fault(), v4.14: an empty pmd tries a huge mapping first; a
 * huge pmd takes a write to a read-only pmd to wp_huge_pmd() and is
 * otherwise a spurious fault (huge_pmd_set_accessed); a fallback goes on
 * to the PTE level.
 */
int handle_mm_fault(struct kernel *k, struct vm_area_struct *vma,
		    unsigned long address, unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.flags = flags,
		.pgoff = linear_page_index(vma, address),
		.pmd = pmd_alloc(k, vma->vm_mm, address),
	};
	pmd_t orig_pmd = pmdp_get(vmf.pmd);
	int ret;

	if (pmd_none(orig_pmd) && transparent_hugepage_enabled(vma)) {
		ret = create_huge_pmd(k, &vmf);
		if (!(ret & VM_FAULT_FALLBACK))
			return ret;
	} else if (pmd_trans_huge(orig_pmd)) {
		if (!(flags & FAULT_FLAG_WRITE) || pmd_write(orig_pmd)) {
			huge_pmd_set_accessed(k, &vmf, orig_pmd);
			return 0;
		}
		ret = wp_huge_pmd(k, &vmf);
		if (!(ret & VM_FAULT_FALLBACK))
			return ret;
	}
	return handle_pte_fault(k, &vmf);
}

/* is_cow_mapping(), mm/internal.h v4.14: private and may become writable */
static bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* add_mm_rss_vec(): what one PTE table's copy counted, into the child */
static void add_mm_rss_vec(struct mm_struct *mm, const int *rss)
{
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		mm->rss[i] += rss[i];
}

/*
 * page_try_dup_anon_rmap(), 6.1 include/linux/rmap.h L234-265, with
 * page_needs_cow_for_dma() (include/linux/mm.h L1596-1605) and
 * folio_maybe_dma_pinned() (L1565-1590): an exclusive anonymous page of an
 * mm that has pinned (MMF_HAS_PINNED) with GUP_PIN_COUNTING_BIAS
 * references or more may be pinned: false, the child must get a copy. A
 * plain gup's reference (FOLL_GET) is not a pin. Else the page stops being
 * exclusive (a shared one is shared again, pinned or not) and is mapped
 * once more (the caller's page_dup_rmap()).
 */
static bool page_try_dup_anon_rmap(struct kernel *k, struct page *page,
				   const struct vm_area_struct *src_vma)
{
	(void)k;
	if (!(page->flags & PG_anon_exclusive))
		return true;
	if (src_vma->vm_mm->has_pinned && page_folio(page)->refcount >= GUP_PIN_COUNTING_BIAS)
		return false;
	page->flags &= ~PG_anon_exclusive;
	return true;
}

/*
 * copy_present_page(), 6.1 mm/memory.c L901-932 (the early COW of a page
 * that may be pinned, v5.11 70e806e4e645 "mm: Do early cow for pinned
 * pages during fork() for ptes"): the child gets a new exclusive page with
 * the bytes, mapped dirty and, in a writable VMA, writable; the parent's
 * PTE is left as it is (writable: the pinned page stays its own). The
 * kernel preallocates the page outside the PTE lock (-EAGAIN, L1036-1044);
 * the model's allocation cannot fail while DRAM has room, and a full DRAM
 * is a step the model does not take (not modelled).
 */
static void copy_present_page(struct kernel *k, struct vm_area_struct *dst_vma,
			      struct vm_area_struct *src_vma, pte_t *dst_pte,
			      unsigned long addr, int *rss, struct page *page)
{
	struct page *new_page = alloc_page(k);
	pte_t pte;

	(void)src_vma;
	if (!new_page) {
		not_modelled(k, "fork's early copy of a pinned page with DRAM full (copy_page_range() -ENOMEM)");
		return;
	}
	copy_pfn_to_page(k, new_page, page->pfn);
	new_page->flags |= PG_anon | PG_anon_exclusive;	/* page_add_new_anon_rmap() */
	page_add_anon_rmap(new_page);
	rss[MM_ANONPAGES]++;
	pte = pfn_pte(new_page->pfn, dst_vma->vm_page_prot);
	pte = maybe_mkwrite(pte_mkdirty(pte), dst_vma);
	set_pte_at(k, dst_vma, addr, dst_pte, pte);
}

/*
 * copy_one_pte(), v4.14 mm/memory.c (present PTEs: the model has no swap,
 * migration or device-private entries). A COW mapping write-protects the
 * PTE in the parent and the child, so the next store in either takes
 * do_wp_page(); a shared one gives the child a clean PTE; the child's is
 * old either way. Only a normal page (an anonymous COW page) is referenced,
 * mapped once more and counted: vm_normal_page() is NULL for the zero page
 * and for DAX blocks (special PTEs in a VM_MIXEDMAP VMA). A DAX PTE is
 * also pte_devmap(), for which v4.14 takes a reference only when the page
 * is_device_public_page(); pmem's pages are MEMORY_DEVICE_HOST, so nothing.
 */
static void copy_one_pte(struct kernel *k, struct vm_area_struct *dst_vma,
			 struct vm_area_struct *src_vma, pte_t *dst_pte,
			 pte_t *src_pte, unsigned long addr, int *rss)
{
	unsigned long vm_flags = src_vma->vm_flags;
	pte_t pte = *src_pte;
	struct page *page;

	assert(pte_present(pte));
	page = vm_normal_page(k, src_vma, addr, pte);
	/* 6.1 copy_present_pte() L948-960: before the write-protect */
	if (page && k->policy.id == POLICY_MODERN && (page->flags & PG_anon) &&
	    !page_try_dup_anon_rmap(k, page, src_vma)) {
		copy_present_page(k, dst_vma, src_vma, dst_pte, addr, rss, page);
		return;
	}
	if (is_cow_mapping(vm_flags) && !SW(k, BUG_FORK_NO_WRPROTECT)) {
		/* ptep_set_wrprotect() */
		if (pte_write(pte))
			set_pte_at(k, src_vma, addr, src_pte, pte_wrprotect(pte));
		pte = pte_wrprotect(pte);
	}
	if (vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);

	if (page) {
		get_page(page);
		page_dup_rmap(page);
		rss[(page->flags & PG_anon) ? MM_ANONPAGES : MM_FILEPAGES]++;
	}
	set_pte_at(k, dst_vma, addr, dst_pte, pte);
}

/*
 * copy_pte_range(), v4.14: the present PTEs of one PTE table's part of
 * [addr, end), then the rss they count into the child (add_mm_rss_vec()).
 * The kernel allocates the child's table first and breaks off every 32
 * entries to reschedule; with one thread the copy runs through.
 */
static void copy_pte_range(struct kernel *k, struct vm_area_struct *dst_vma,
			   struct vm_area_struct *src_vma, unsigned long addr,
			   unsigned long end)
{
	int rss[NR_MM_COUNTERS] = { 0 };
	pte_t *src_pte;

	while ((src_pte = pte_next_present(src_vma->vm_mm, &addr, end))) {
		pte_t *dst_pte = pte_alloc(k, dst_vma->vm_mm, addr);

		copy_one_pte(k, dst_vma, src_vma, dst_pte, src_pte, addr, rss);
		addr += PAGE_SIZE;
	}
	add_mm_rss_vec(dst_vma->vm_mm, rss);
}

/*
 * copy_pmd_range(), v4.14, with the pgd, p4d and pud levels above it: a
 * PTE table's range at a time. The walk goes straight to the next present
 * PTE (pte_next_present()) where the kernel visits every table: a PTE
 * table of none entries gets no empty twin in the child, which nothing can
 * observe.
 */
static void copy_pmd_range(struct kernel *k, struct vm_area_struct *dst_vma,
			   struct vm_area_struct *src_vma, unsigned long addr,
			   unsigned long end)
{
	while (pte_next_present(src_vma->vm_mm, &addr, end)) {
		/* pmd_addr_end() */
		unsigned long next = (addr + PMD_SIZE) & PMD_MASK;

		if (next > end)
			next = end;
		/*
		 * Huge PMDs: v4.14 calls copy_huge_pmd() here when the PMD is
		 * a swap PMD, pmd_trans_huge() or pmd_devmap(), and
		 * copy_huge_pmd() (mm/huge_memory.c L906) starts with "Skip if
		 * can be re-fill on fault": if (!vma_is_anonymous(vma))
		 * return 0, and 0 means `continue`. A DAX VMA has vm_ops, so
		 * it is not anonymous: neither a DAX PMD nor a huge zero PMD
		 * of a file VMA is copied, and the child faults it in again
		 * (docs/eras/dax-2017.md §15). A huge pmd has no PTE table,
		 * so pte_next_present() never stops in one: nothing to skip.
		 */
		copy_pte_range(k, dst_vma, src_vma, addr, next);
		addr = next;
	}
}

/*
 * copy_pmd_range(), v4.5: pmd_trans_huge() or pmd_devmap() goes to
 * copy_huge_pmd(), which in v4.5 copies DAX pmds (huge_memory.c). The
 * huge pmds and the PTE tables are apart, so a pass of their own.
 */
static void copy_huge_pmds_v4_5(struct kernel *k, struct vm_area_struct *dst_vma,
				struct vm_area_struct *src_vma)
{
	unsigned long addr = src_vma->vm_start;
	pmd_t *pmdp;

	while ((pmdp = pmd_next_huge(src_vma->vm_mm, &addr, src_vma->vm_end))) {
		copy_huge_pmd_v4_5(k, dst_vma, src_vma, addr, pmdp);
		addr += PMD_SIZE;
		if (!addr)
			break;
	}
}

/*
 * copy_page_range(), v4.14: "Don't copy ptes where a page fault will fill
 * them correctly": a VMA with none of VM_HUGETLB, VM_PFNMAP, VM_MIXEDMAP
 * and no anon_vma is left to the child's faults. ext4 DAX VMAs have
 * VM_MIXEDMAP in v4.14 (ext4_file_mmap()), so their PTEs are copied. The
 * mmu notifiers and track_pfn_copy() (VM_PFNMAP) have nothing to do here,
 * and the kernel's -ENOMEM cannot happen: page tables come from the host.
 */
void copy_page_range(struct kernel *k, struct vm_area_struct *dst_vma,
		     struct vm_area_struct *src_vma)
{
	if (!(src_vma->vm_flags & (VM_HUGETLB | VM_PFNMAP | VM_MIXEDMAP)) &&
	    !src_vma->anon_vma)
		return;
	if (k->policy.id == POLICY_DAX_2016)
		copy_huge_pmds_v4_5(k, dst_vma, src_vma);
	copy_pmd_range(k, dst_vma, src_vma, src_vma->vm_start, src_vma->vm_end);
}

/*
 * zap_pte_range(), v4.14. With @check_mapping (unmap_mapping_range with
 * even_cows == 0) a normal page that does not belong to the mapping, that
 * is a private COW copy, stays. Special PTEs (zero page, pmem) always go
 * and carry no rss. A dirty PTE on a page-cache page dirties the page
 * (set_page_dirty()).
 */
static void zap_pte_range(struct kernel *k, struct vm_area_struct *vma,
			  unsigned long addr, unsigned long end,
			  struct address_space *check_mapping)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *ptep, pte;

	while ((ptep = pte_next_present(mm, &addr, end))) {
		struct page *page = vm_normal_page(k, vma, addr, *ptep);

		/*
		 * A DAX folio's page (dax-folio-refcount) is never anonymous:
		 * v6.18.2's should_zap_folio() (mm/memory.c L1565) keeps only
		 * anonymous folios, so it always goes.
		 */
		if (page && check_mapping && !pfn_is_pmem(k, page->pfn) &&
		    page->mapping != check_mapping) {
			addr += PAGE_SIZE;
			continue;
		}
		pte = ptep_get_and_clear(k, vma, addr, ptep);
		addr += PAGE_SIZE;
		if (!page)
			continue;
		/* a page-cache page: the PTE's dirty bit goes to the page */
		if (!(page->flags & PG_anon) && pte_dirty(pte))
			set_page_dirty(k, page);
		dec_mm_counter(mm, (page->flags & PG_anon) ? MM_ANONPAGES :
				   MM_FILEPAGES);
		page_remove_rmap(page);
		if (!(SW(k, BUG_ZAP_LEAKS_PAGE) && (page->flags & PG_anon)))
			put_page(k, page);
	}
}

/*
 * zap_pmd_range(), v4.14: a huge pmd the range covers whole goes with
 * zap_huge_pmd(); one it covers in part is split (for DAX: cleared, so
 * the part outside the range is unmapped too and refaults). Then the
 * PTEs.
 */
static void zap_pmd_range(struct kernel *k, struct vm_area_struct *vma,
			  unsigned long addr, unsigned long end,
			  struct address_space *check_mapping)
{
	unsigned long a = addr;
	pmd_t *pmdp;

	while ((pmdp = pmd_next_huge(vma->vm_mm, &a, end))) {
		unsigned long next = a + PMD_SIZE;

		if (a >= addr && next <= end)
			zap_huge_pmd(k, vma, pmdp, a);
		else
			split_huge_pmd(k, vma, pmdp, a);
		if (!next)
			break;
		a = next;
	}
	zap_pte_range(k, vma, addr, end, check_mapping);
}

void zap_page_range(struct kernel *k, struct vm_area_struct *vma,
		    unsigned long start, unsigned long end)
{
	zap_pmd_range(k, vma, start, end, NULL);
}

/*
 * unmap_mapping_range(), v4.14: zap the file range [holebegin,
 * holebegin + holelen) (holelen 0: to the end) in every VMA of i_mmap.
 * even_cows == 0 keeps private COW pages (punch hole, DAX zero-page
 * replacement); truncate passes 1.
 */
void unmap_mapping_range(struct kernel *k, struct address_space *mapping,
			 loff_t holebegin, loff_t holelen, int even_cows)
{
	pgoff_t first = (unsigned long)holebegin >> PAGE_SHIFT;
	pgoff_t hlen = ((unsigned long)holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;
	pgoff_t last = first + hlen - 1;
	struct vm_area_struct *vma;

	if (last < first || holelen == 0)
		last = ~0UL;
	/* unmap_mapping_range_tree(): the VMAs meeting [first, last], by vm_pgoff */
	down_write(k, &mapping->i_mmap_rwsem);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, first, last) {
		pgoff_t vba = vma->vm_pgoff;
		pgoff_t vea = vba + vma_pages(vma) - 1;
		pgoff_t zba = first > vba ? first : vba;
		pgoff_t zea = last < vea ? last : vea;

		zap_pmd_range(k, vma, ((zba - vba) << PAGE_SHIFT) + vma->vm_start,
			      ((zea - vba + 1) << PAGE_SHIFT) + vma->vm_start,
			      even_cows ? NULL : mapping);
	}
	up_write(k, &mapping->i_mmap_rwsem);
}

/* The CPU's access through a present PTE that allows it. */
static void access_pfn(struct kernel *k, unsigned long pfn, unsigned off,
		       unsigned size, bool write, uint64_t *value)
{
	if (pfn_is_pmem(k, pfn)) {
		if (write)
			pmem_store(k, pfn, off, value, size);
		else
			pmem_read(k, pfn, off, value, size);
		return;
	}
	if (write)
		page_store(k, pfn_to_page(k, pfn), off, value, size);
	else
		page_read(pfn_to_page(k, pfn), off, value, size);
}

/* The CPU sets the accessed and dirty bits of the entry it used. */
static void cpu_mark_accessed(struct kernel *k, struct vm_area_struct *vma,
			      unsigned long addr, pte_t *ptep, pmd_t *pmdp, bool write)
{
	if (ptep) {
		pte_t pte = pte_mkyoung(*ptep);

		if (write)
			pte = pte_mkdirty(pte);
		if (pte.val != ptep->val)
			set_pte_at(k, vma, addr & PAGE_MASK, ptep, pte);
	} else {
		pmd_t pmd = pmd_mkyoung(*pmdp);

		if (write)
			pmd = pmd_mkdirty(pmd);
		if (pmd.val != pmdp->val)
			set_pmd_at(k, vma, addr & PMD_MASK, pmdp, pmd);
	}
}

static bool pte_allows(pte_t pte, bool write)
{
	return pte_present(pte) && (!write || pte_write(pte));
}

/*
 * The getrusage() count of a completed fault: v4.14's __do_page_fault()
 * counts VM_FAULT_MAJOR in maj_flt, the rest in min_flt, errors not at
 * all. filemap-fault-retry: 6.1's mm_account_fault() (mm/memory.c L5110)
 * skips VM_FAULT_ERROR and VM_FAULT_RETRY (counted once, when the retry
 * completes) and counts a fault major if it returned VM_FAULT_MAJOR or
 * is a retry (FAULT_FLAG_TRIED), for gup's faults too.
 */
bool mm_account_fault(struct kernel *k, struct mm_struct *mm, unsigned int flags, int ret)
{
	bool major = ret & VM_FAULT_MAJOR;

	if (ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))
		return false;
	if (SW(k, FILEMAP_FAULT_RETRY) && (flags & FAULT_FLAG_TRIED))
		major = true;
	if (major)
		mm->maj_flt++;
	else
		mm->min_flt++;
	return major;
}

/*
 * A user load or store of @size bytes (1, 2, 4 or 8, naturally aligned).
 * The access faults until the PTE allows it, the way the CPU retries the
 * instruction; the fault is counted by mm_account_fault(). A fault that
 * dropped the mmap lock and returned VM_FAULT_RETRY is redone at once
 * with FAULT_FLAG_TRIED (6.1 do_user_addr_fault(): flags |=
 * FAULT_FLAG_TRIED; goto retry), under the lock taken again.
 */
struct access_result user_access(struct kernel *k, struct mm_struct *mm,
				 unsigned long addr, unsigned size, bool write,
				 uint64_t value)
{
	struct access_result res = { 0 };
	struct vm_area_struct *vma = find_vma(mm, addr);
	/* access_error(), x86: a read needs any of VM_READ, VM_WRITE */
	unsigned long need = write ? VM_WRITE : VM_READ | VM_WRITE;
	bool retried = false;
	unsigned int flags;

	assert(size && (size & (size - 1)) == 0 && size <= 8 && !(addr % size));
	if (!vma || addr < vma->vm_start || !(vma->vm_flags & need)) {
		res.sig = SIG_SEGV;
		return res;
	}
	for (;;) {
		pte_t *ptep = pte_lookup(mm, addr);
		pmd_t *pmdp = ptep ? NULL : pmd_lookup(mm, addr);
		bool huge = pmdp && pmd_trans_huge(*pmdp);
		pte_t pte = huge ? pmd_subpage_pte(*pmdp, addr) : ptep ? *ptep : (pte_t){ 0 };
		int ret;

		if (pte_allows(pte, write)) {
			res.pfn = pte_pfn(pte);
			if (G_UNLIKELY(k->pmem.poison) &&
			    pmem_poisoned_range(k, res.pfn, offset_in_page(addr), size)) {
				/* the CPU consumes the poison: a machine check */
				if (write) {
					not_modelled(k, "a store to poisoned pmem (whether it raises a machine check depends on the CPU)");
					return res;
				}
				res.si_code = memory_failure_dax(k, vma, addr, res.pfn);
				nfit_handle_mce(k, res.pfn, offset_in_page(addr));
				if (res.si_code)
					res.sig = SIG_BUS;
				return res;
			}
			cpu_mark_accessed(k, vma, addr, ptep, pmdp, write);
			res.value = value;
			access_pfn(k, res.pfn, offset_in_page(addr), size, write,
				   &res.value);
			if (!write)
				res.value &= size == 8 ? ~0ULL : ((1ULL << (size * 8)) - 1);
			return res;
		}
		if (res.nr_faults >= USER_ACCESS_MAX_FAULTS) {
			res.livelock = true;
			return res;
		}
		k->fault_error = 0;
		down_read(k, &mm->mmap_sem);
		/*
		 * __do_page_fault(), x86 v4.14: a user fault may retry and be
		 * killed; "Retry at most once" (v4.0 L1243, v4.5 L1254, v4.14
		 * L1451): the retry has FAULT_FLAG_TRIED without
		 * FAULT_FLAG_ALLOW_RETRY, so lock_page_or_retry() sleeps for
		 * the lock. filemap-fault-retry: 6.1 do_user_addr_fault()
		 * (L1451-1454) keeps ALLOW_RETRY, a fault may retry again.
		 */
		flags = (write ? FAULT_FLAG_WRITE : 0) | FAULT_FLAG_ALLOW_RETRY |
			FAULT_FLAG_KILLABLE | FAULT_FLAG_USER | (retried ? FAULT_FLAG_TRIED : 0);
		if (retried && !SW(k, FILEMAP_FAULT_RETRY))
			flags &= ~FAULT_FLAG_ALLOW_RETRY;
		ret = handle_mm_fault(k, vma, addr, flags);
		retried = ret & VM_FAULT_RETRY;
		/* VM_FAULT_RETRY: filemap_fault() dropped the mmap lock */
		if (!retried)
			up_read(k, &mm->mmap_sem);
		res.fault_ret = ret;
		res.nr_faults++;
		res.major = false;
		/*
		 * mm_fault_error() on VM_FAULT_OOM runs the OOM killer
		 * (pagefault_out_of_memory()), which is not modelled.
		 */
		if ((ret & VM_FAULT_OOM) && !(ret & VM_FAULT_NOTMODELLED))
			ret |= not_modelled(k, "the OOM killer (a fault returned VM_FAULT_OOM)");
		if (ret & VM_FAULT_NOTMODELLED) {
			res.fault_ret = ret;
			res.sig = SIG_NONE;
			return res;
		}
		if (ret & VM_FAULT_ERROR) {
			res.sig = (ret & VM_FAULT_SIGSEGV) ? SIG_SEGV : SIG_BUS;
			/* do_sigbus(), x86: force_sig_fault(SIGBUS, BUS_ADRERR) */
			res.si_code = res.sig == SIG_BUS ? MM_BUS_ADRERR : 0;
			res.error = k->fault_error;
			return res;
		}
		res.major = mm_account_fault(k, mm, flags, ret);
	}
}

struct access_result user_flush(struct kernel *k, struct mm_struct *mm,
				unsigned long addr, unsigned long len)
{
	struct access_result res = user_access(k, mm, addr, 1, false, 0);

	assert(len && offset_in_page(addr) + len <= PAGE_SIZE);
	if (!res.sig && !res.livelock && !(res.fault_ret & VM_FAULT_NOTMODELLED) &&
	    pfn_is_pmem(k, res.pfn))
		pmem_flush(k, res.pfn, offset_in_page(addr), len);
	return res;
}

/*
 * A kernel access to user memory inside a system call (copy_to_user(),
 * copy_from_user(), a prefault's __get_user(), gup-fast's walk): the pfn
 * the PTE or huge pmd maps at @addr when it allows the access, after the
 * CPU marks it accessed (and dirty for a write), as for a user access;
 * -1 when it does not (the access faults).
 */
long user_pte_pfn(struct kernel *k, struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	pte_t *ptep = pte_lookup(mm, addr);
	pmd_t *pmdp = ptep ? NULL : pmd_lookup(mm, addr);
	bool huge = pmdp && pmd_trans_huge(*pmdp);
	pte_t pte = huge ? pmd_subpage_pte(*pmdp, addr) : ptep ? *ptep : (pte_t){ 0 };

	/*
	 * A PTE of a PROT_NONE VMA is not present to the MMU: x86
	 * pte_modify() with PAGE_NONE (v4.14 change_pte_range(),
	 * arch/x86/include/asm/pgtable_types.h) clears _PAGE_PRESENT and
	 * sets _PAGE_PROTNONE, and gup-fast's gup_pte_range() skips a
	 * pte_protnone() one. The model keeps such a PTE present and tells
	 * it by the VMA (x86 access_error(): a read needs VM_READ or VM_WRITE).
	 */
	if (!vma || addr < vma->vm_start || !pte_allows(pte, write) ||
	    !(vma->vm_flags & (write ? VM_WRITE : VM_READ | VM_WRITE)))
		return -1;
	cpu_mark_accessed(k, vma, addr, ptep, huge ? pmdp : NULL, write);
	return (long)pte_pfn(pte);
}

/*
 * A page fault the kernel takes on a user address inside a system call:
 * v4.14 __do_page_fault() without PF_USER (v3.19, v4.0 and v4.5 alike;
 * 6.1 do_user_addr_fault()). mmap_sem is taken for read (a copy that
 * faults has an exception-table entry, so the fault waits for it), the
 * flags are a user fault's but FAULT_FLAG_USER, a VM_FAULT_RETRY is
 * redone with FAULT_FLAG_TRIED as a user fault is, and a completed fault
 * counts in min_flt/maj_flt as any other (mm_account_fault()). A bad
 * address (no VMA, or one that does not allow the access: bad_area) and
 * every VM_FAULT_ERROR, VM_FAULT_OOM included, end in no_context() ->
 * fixup_exception(): the copy stops there, -EFAULT. No signal, no OOM
 * killer: mm_fault_error() kills only for user-mode faults.
 */
static int user_fault(struct kernel *k, struct mm_struct *mm, unsigned long addr, bool write,
		      unsigned int extra)
{
	unsigned long need = write ? VM_WRITE : VM_READ | VM_WRITE;
	bool retried = false;

	for (;;) {
		unsigned int flags = (write ? FAULT_FLAG_WRITE : 0) | FAULT_FLAG_ALLOW_RETRY |
				     FAULT_FLAG_KILLABLE | (retried ? FAULT_FLAG_TRIED : 0) | extra;
		struct vm_area_struct *vma;
		int ret;

		if (retried && !SW(k, FILEMAP_FAULT_RETRY))
			flags &= ~FAULT_FLAG_ALLOW_RETRY;
		down_read(k, &mm->mmap_sem);
		vma = find_vma(mm, addr);
		if (!vma || addr < vma->vm_start || !(vma->vm_flags & need)) {
			up_read(k, &mm->mmap_sem);
			return -EFAULT;
		}
		k->fault_error = 0;
		ret = handle_mm_fault(k, vma, addr, flags);
		retried = ret & VM_FAULT_RETRY;
		if (!retried)
			up_read(k, &mm->mmap_sem);
		if (ret & VM_FAULT_NOTMODELLED)
			return -EFAULT;		/* k->not_modelled says why */
		if (ret & VM_FAULT_ERROR)
			return -EFAULT;
		mm_account_fault(k, mm, flags, ret);
		if (!retried)
			return 0;
	}
}

int kernel_user_fault(struct kernel *k, struct mm_struct *mm, unsigned long addr, bool write)
{
	return user_fault(k, mm, addr, write, 0);
}

int kernel_user_unshare_fault(struct kernel *k, struct mm_struct *mm, unsigned long addr)
{
	return user_fault(k, mm, addr, false, FAULT_FLAG_UNSHARE);
}
