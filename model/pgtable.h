/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables: x86-64 4-level, allocated on demand (pte_alloc) and walked
 * without allocation (pte_lookup). The PTE helpers have the kernel's names
 * and x86's bit layout. set_pte_at() and ptep_get_and_clear() are the only
 * writers of a PTE, and report every change to the checkers.
 */
#ifndef MMSIM_PGTABLE_H
#define MMSIM_PGTABLE_H

#include <stddef.h>

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

/* Huge pmds: the same bits, plus _PAGE_PSE (arch/x86/include/asm/pgtable.h) */
static inline bool pmd_none(pmd_t p) { return p.val == 0; }
static inline bool pmd_trans_huge(pmd_t p) { return p.val & _PAGE_PSE; }
static inline bool pmd_write(pmd_t p) { return p.val & _PAGE_RW; }
static inline bool pmd_dirty(pmd_t p) { return p.val & _PAGE_DIRTY; }
static inline bool pmd_young(pmd_t p) { return p.val & _PAGE_ACCESSED; }
static inline bool pmd_devmap(pmd_t p) { return p.val & _PAGE_DEVMAP; }
static inline unsigned long pmd_pfn(pmd_t p) { return (p.val & PTE_PFN_MASK) >> PAGE_SHIFT; }
/* pfn_t_pmd() + pmd_mkhuge() */
static inline pmd_t pfn_pmd_huge(unsigned long pfn, uint64_t prot)
{
	return (pmd_t){ ((uint64_t)pfn << PAGE_SHIFT) | prot | _PAGE_PSE };
}
static inline pmd_t pmd_mkwrite(pmd_t p) { p.val |= _PAGE_RW; return p; }
static inline pmd_t pmd_wrprotect(pmd_t p) { p.val &= ~_PAGE_RW; return p; }
static inline pmd_t pmd_mkdirty(pmd_t p) { p.val |= _PAGE_DIRTY; return p; }
static inline pmd_t pmd_mkclean(pmd_t p) { p.val &= ~_PAGE_DIRTY; return p; }
static inline pmd_t pmd_mkyoung(pmd_t p) { p.val |= _PAGE_ACCESSED; return p; }
static inline pmd_t pmd_mkold(pmd_t p) { p.val &= ~_PAGE_ACCESSED; return p; }
/* x86 pmd_mkdevmap() sets _PAGE_DEVMAP only (no special bit at this level) */
static inline pmd_t pmd_mkdevmap(pmd_t p) { p.val |= _PAGE_DEVMAP; return p; }
static inline pmd_t pmd_modify(pmd_t p, uint64_t newprot)
{
	uint64_t keep = PTE_PFN_MASK | _PAGE_DIRTY | _PAGE_ACCESSED |
			_PAGE_DEVMAP | _PAGE_PSE;

	p.val = (p.val & keep) | (newprot & ~keep);
	return p;
}
/*
 * The PTE a huge pmd amounts to at @addr: the same bits and the pfn of
 * that 4 KiB of the 2 MiB (for the CPU's access and for the checkers).
 */
static inline pte_t pmd_subpage_pte(pmd_t p, unsigned long addr)
{
	uint64_t bits = p.val & ~(PTE_PFN_MASK | _PAGE_PSE);
	unsigned long pfn = pmd_pfn(p) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);

	return (pte_t){ ((uint64_t)pfn << PAGE_SHIFT) | bits };
}

#define pte_index(a)	(((a) >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1))
/* _KERNPG_TABLE: how a pmd pointing at a PTE table reads */
#define PMD_TABLE_VAL	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

/*
 * A kernel pmd slot is one word: a PTE table or a huge pmd. The model's
 * struct pmd_table keeps the two in parallel arrays, pte[i] beside
 * huge[i]; from the huge[] slot @pmdp, the table pointer of the same slot.
 */
static inline struct pte_table **pmd_pte_slot(pmd_t *pmdp)
{
	_Static_assert(sizeof(pmd_t) == sizeof(struct pte_table *), "one slot, two views");
	return (struct pte_table **)((char *)pmdp - offsetof(struct pmd_table, huge) +
				     offsetof(struct pmd_table, pte));
}

/* *@pmdp as the kernel reads it: a huge pmd, a table (non-none), or none */
static inline pmd_t pmdp_get(pmd_t *pmdp)
{
	return *pmd_pte_slot(pmdp) ? (pmd_t){ PMD_TABLE_VAL } : *pmdp;
}

/* pte_offset_map() without the allocation: the PTE slot of @addr, or NULL */
static inline pte_t *pte_offset_lookup(pmd_t *pmdp, unsigned long addr)
{
	struct pte_table *t = *pmd_pte_slot(pmdp);

	return t ? &t->pte[pte_index(addr)] : NULL;
}

void pgd_alloc(struct kernel *k, struct mm_struct *mm);
void pgd_free(struct kernel *k, struct mm_struct *mm);

/* The PTE slot for @addr, or NULL when no PTE table covers it. */
pte_t *pte_lookup(struct mm_struct *mm, unsigned long addr);
/* The PTE slot for @addr, allocating the tables on the way. */
pte_t *pte_alloc(struct kernel *k, struct mm_struct *mm, unsigned long addr);
/*
 * The pmd slot of @addr: a huge pmd or none (a PTE table shows as a
 * non-huge, non-none value, see pmd_table_entry()). NULL when no pmd table.
 */
pmd_t *pmd_lookup(struct mm_struct *mm, unsigned long addr);
/* The same, allocating the pud and pmd tables (pmd_alloc()). */
pmd_t *pmd_alloc(struct kernel *k, struct mm_struct *mm, unsigned long addr);
/* *pmd as the kernel reads it: a huge pmd, a table (non-none), or none. */
pmd_t pmd_read(struct mm_struct *mm, unsigned long addr);
/*
 * The translation of @addr the CPU would use: its PTE, or the subpage of a
 * huge pmd (pmd_subpage_pte). A zero pte_t when neither.
 */
pte_t follow_pte_or_pmd(struct mm_struct *mm, unsigned long addr, bool *huge);
/* The next huge pmd at or above *@addr (2 MiB aligned) and below @end. */
pmd_t *pmd_next_huge(struct mm_struct *mm, unsigned long *addr, unsigned long end);

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
/* set_pmd_at() and pmdp_huge_get_and_clear(): the only writers of a huge pmd */
void set_pmd_at(struct kernel *k, struct vm_area_struct *vma,
		unsigned long addr, pmd_t *pmdp, pmd_t pmd);
pmd_t pmdp_huge_get_and_clear(struct kernel *k, struct vm_area_struct *vma,
			      unsigned long addr, pmd_t *pmdp);

#endif
