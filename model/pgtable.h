/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables: x86-64 4-level, allocated on demand (pte_alloc) and walked
 * without allocation (pte_lookup). The PTE helpers have the kernel's names
 * and x86's bit layout. set_pte_at() and ptep_get_and_clear() are the only
 * writers of a PTE, and report every change to the checkers.
 */
#ifndef MMSIM_PGTABLE_H
#define MMSIM_PGTABLE_H

#include "kernel.h"

static inline bool pte_none(pte_t p) { return p.val == 0; }
static inline bool pte_present(pte_t p) { return p.val & _PAGE_PRESENT; }
static inline bool pte_write(pte_t p) { return p.val & _PAGE_RW; }
static inline bool pte_dirty(pte_t p) { return p.val & _PAGE_DIRTY; }
static inline bool pte_young(pte_t p) { return p.val & _PAGE_ACCESSED; }
static inline bool pte_special(pte_t p) { return p.val & _PAGE_SPECIAL; }
static inline bool pte_devmap(pte_t p) { return p.val & _PAGE_DEVMAP; }
static inline unsigned long pte_pfn(pte_t p) { return (p.val & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline pte_t pfn_pte(unsigned long pfn, uint64_t prot)
{
	return (pte_t){ ((uint64_t)pfn << PAGE_SHIFT) | prot };
}
static inline pte_t pte_mkwrite(pte_t p) { p.val |= _PAGE_RW; return p; }
static inline pte_t pte_wrprotect(pte_t p) { p.val &= ~_PAGE_RW; return p; }
static inline pte_t pte_mkdirty(pte_t p) { p.val |= _PAGE_DIRTY; return p; }
static inline pte_t pte_mkclean(pte_t p) { p.val &= ~_PAGE_DIRTY; return p; }
static inline pte_t pte_mkyoung(pte_t p) { p.val |= _PAGE_ACCESSED; return p; }
static inline pte_t pte_mkold(pte_t p) { p.val &= ~_PAGE_ACCESSED; return p; }
static inline pte_t pte_mkspecial(pte_t p) { p.val |= _PAGE_SPECIAL; return p; }
/* x86 pte_mkdevmap() sets _PAGE_SPECIAL too (arch/x86/include/asm/pgtable.h) */
static inline pte_t pte_mkdevmap(pte_t p) { p.val |= _PAGE_SPECIAL | _PAGE_DEVMAP; return p; }
/* pte_modify(): new protection bits, same pfn and software bits */
static inline pte_t pte_modify(pte_t p, uint64_t newprot)
{
	uint64_t keep = PTE_PFN_MASK | _PAGE_DIRTY | _PAGE_ACCESSED |
			_PAGE_SPECIAL | _PAGE_DEVMAP;

	p.val = (p.val & keep) | (newprot & ~keep);
	return p;
}

void pgd_alloc(struct kernel *k, struct mm_struct *mm);
void pgd_free(struct kernel *k, struct mm_struct *mm);

/* The PTE slot for @addr, or NULL when no PTE table covers it. */
pte_t *pte_lookup(struct mm_struct *mm, unsigned long addr);
/* The PTE slot for @addr, allocating the tables on the way. */
pte_t *pte_alloc(struct kernel *k, struct mm_struct *mm, unsigned long addr);
/* Whether a PTE table covers @addr (!pmd_none). */
bool pmd_present_table(struct mm_struct *mm, unsigned long addr);

/*
 * The next present PTE at or above *addr and below @end, skipping page
 * tables that do not exist; *addr is set to its address. NULL when none.
 */
pte_t *pte_next_present(struct mm_struct *mm, unsigned long *addr,
			unsigned long end);
/* Free PTE tables (and above) left with no entry inside [start, end). */
void free_pgtables(struct kernel *k, struct mm_struct *mm, unsigned long start,
		   unsigned long end);

void set_pte_at(struct kernel *k, struct vm_area_struct *vma,
		unsigned long addr, pte_t *ptep, pte_t pte);
pte_t ptep_get_and_clear(struct kernel *k, struct vm_area_struct *vma,
			 unsigned long addr, pte_t *ptep);

#endif
