// SPDX-License-Identifier: GPL-2.0
#include <assert.h>

#include "pgtable.h"

#define pgd_index(a)	(((a) >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1))
#define pud_index(a)	(((a) >> PUD_SHIFT) & (PTRS_PER_TABLE - 1))
#define pmd_index(a)	(((a) >> PMD_SHIFT) & (PTRS_PER_TABLE - 1))

/* Every kernel table is a page (the model's pmd table also holds huge[]). */
static void *table_alloc(struct kernel *k, struct mm_struct *mm, size_t size)
{
	mm->pgtable_bytes += PAGE_SIZE;
	return kzalloc(k, size);
}

static void table_free(struct kernel *k, struct mm_struct *mm, void *t, size_t size)
{
	mm->pgtable_bytes -= PAGE_SIZE;
	mm->walk_pte = NULL;
	kfree(k, t, size);
}

void pgd_alloc(struct kernel *k, struct mm_struct *mm)
{
	mm->pgd = table_alloc(k, mm, sizeof(struct pgd_table));
}

/* At exit every table goes, whatever it still holds (exit_mmap()). */
void pgd_free(struct kernel *k, struct mm_struct *mm)
{
	for (unsigned g = 0; g < PTRS_PER_TABLE; g++) {
		struct pud_table *pud = mm->pgd->pud[g];

		if (!pud)
			continue;
		for (unsigned u = 0; u < PTRS_PER_TABLE; u++) {
			struct pmd_table *pmd = pud->pmd[u];

			if (!pmd)
				continue;
			for (unsigned m = 0; m < PTRS_PER_TABLE; m++)
				if (pmd->pte[m])
					table_free(k, mm, pmd->pte[m], sizeof(struct pte_table));
			table_free(k, mm, pmd, sizeof(struct pmd_table));
		}
		table_free(k, mm, pud, sizeof(struct pud_table));
	}
	table_free(k, mm, mm->pgd, sizeof(struct pgd_table));
	mm->pgd = NULL;
}

pte_t *pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct pud_table *pud = mm->pgd->pud[pgd_index(addr)];
	struct pmd_table *pmd;
	struct pte_table *pte;

	if (!pud)
		return NULL;
	pmd = pud->pmd[pud_index(addr)];
	if (!pmd)
		return NULL;
	pte = pmd->pte[pmd_index(addr)];
	if (!pte)
		return NULL;
	return &pte->pte[pte_index(addr)];
}


/* Start of the next region of @shift bits above @addr (0 on overflow). */
static unsigned long next_boundary(unsigned long addr, unsigned shift)
{
	return (addr | ((1UL << shift) - 1)) + 1;
}

/*
 * The pmd table covering *@addrp, or the next one below @end, moving
 * *@addrp past the pgd and pud slots with no table. User addresses stay
 * below TASK_SIZE: no boundary wraps.
 */
static inline __attribute__((always_inline)) struct pmd_table *
pmd_table_next(struct mm_struct *mm, unsigned long *addrp,
	       unsigned long end)
{
	unsigned long addr = *addrp;

	while (addr < end) {
		struct pud_table *pud = mm->pgd->pud[pgd_index(addr)];

		if (!pud) {
			addr = next_boundary(addr, PGDIR_SHIFT);
			continue;
		}
		if (!pud->pmd[pud_index(addr)]) {
			addr = next_boundary(addr, PUD_SHIFT);
			continue;
		}
		*addrp = addr;
		return pud->pmd[pud_index(addr)];
	}
	*addrp = addr;
	return NULL;
}

static struct pmd_table *pmd_table_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct pud_table *pud = mm->pgd->pud[pgd_index(addr)];

	return pud ? pud->pmd[pud_index(addr)] : NULL;
}

static inline __attribute__((always_inline)) struct pmd_table *
pmd_table_alloc(struct kernel *k, struct mm_struct *mm,
		unsigned long addr)
{
	struct pud_table **pud = &mm->pgd->pud[pgd_index(addr)];
	struct pmd_table **pmd;

	assert(addr < TASK_SIZE);
	if (!*pud)
		*pud = table_alloc(k, mm, sizeof(struct pud_table));
	pmd = &(*pud)->pmd[pud_index(addr)];
	if (!*pmd)
		*pmd = table_alloc(k, mm, sizeof(struct pmd_table));
	return *pmd;
}

pmd_t *pmd_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct pmd_table *pmd = pmd_table_lookup(mm, addr);

	return pmd ? &pmd->huge[pmd_index(addr)] : NULL;
}

pmd_t *pmd_alloc(struct kernel *k, struct mm_struct *mm, unsigned long addr)
{
	return &pmd_table_alloc(k, mm, addr)->huge[pmd_index(addr)];
}

pmd_t pmd_read(struct mm_struct *mm, unsigned long addr)
{
	struct pmd_table *pmd = pmd_table_lookup(mm, addr);

	if (!pmd)
		return (pmd_t){ 0 };
	return pmdp_get(&pmd->huge[pmd_index(addr)]);
}

pte_t follow_pte_or_pmd(struct mm_struct *mm, unsigned long addr, bool *huge)
{
	struct pmd_table *pmd = pmd_table_lookup(mm, addr);
	struct pte_table *pte;

	*huge = false;
	if (!pmd)
		return (pte_t){ 0 };
	pte = pmd->pte[pmd_index(addr)];
	if (pte)
		return pte->pte[pte_index(addr)];
	if (pmd_none(pmd->huge[pmd_index(addr)]))
		return (pte_t){ 0 };
	*huge = true;
	return pmd_subpage_pte(pmd->huge[pmd_index(addr)], addr);
}

pmd_t *pmd_next_huge(struct mm_struct *mm, unsigned long *addrp, unsigned long end)
{
	unsigned long addr = *addrp & PMD_MASK;
	struct pmd_table *pmd;

	if (end > TASK_SIZE)
		end = TASK_SIZE;
	while ((pmd = pmd_table_next(mm, &addr, end))) {
		for (unsigned long i = pmd_index(addr); i < PTRS_PER_TABLE && addr < end; i++) {
			if (!pmd_none(pmd->huge[i])) {
				*addrp = addr;
				return &pmd->huge[i];
			}
			addr += PMD_SIZE;
		}
	}
	return NULL;
}

pte_t *pte_alloc(struct kernel *k, struct mm_struct *mm, unsigned long addr)
{
	struct pmd_table *pmd = pmd_table_alloc(k, mm, addr);
	struct pte_table **pte;

	/* a huge pmd is split (zapped, for DAX) before a PTE goes there */
	assert(pmd_none(pmd->huge[pmd_index(addr)]));
	pte = &pmd->pte[pmd_index(addr)];
	if (!*pte)
		*pte = table_alloc(k, mm, sizeof(struct pte_table));
	return &(*pte)->pte[pte_index(addr)];
}


pte_t *pte_next_present(struct mm_struct *mm, unsigned long *addrp,
			unsigned long end)
{
	unsigned long addr = *addrp;
	struct pmd_table *pmd;

	if (end > TASK_SIZE)
		end = TASK_SIZE;
	for (;;) {
		struct pte_table *pte;

		if (mm->walk_pte && (addr & PMD_MASK) == mm->walk_pte_base) {
			pte = mm->walk_pte;
		} else {
			if (!(pmd = pmd_table_next(mm, &addr, end)))
				return NULL;
			pte = pmd->pte[pmd_index(addr)];
			if (!pte) {
				addr = next_boundary(addr, PMD_SHIFT);
				continue;
			}
			mm->walk_pte = pte;
			mm->walk_pte_base = addr & PMD_MASK;
		}
		for (unsigned long i = pte_index(addr); i < PTRS_PER_TABLE; i++) {
			if (addr >= end)
				return NULL;
			if (pte_present(pte->pte[i])) {
				*addrp = addr;
				return &pte->pte[i];
			}
			addr += PAGE_SIZE;
		}
	}
}

static bool pte_table_empty(const struct pte_table *t)
{
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++)
		if (!pte_none(t->pte[i]))
			return false;
	return true;
}

static bool ptr_table_empty(void *const *slots)
{
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++)
		if (slots[i])
			return false;
	return true;
}

static bool huge_table_empty(const struct pmd_table *t)
{
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++)
		if (!pmd_none(t->huge[i]))
			return false;
	return true;
}

void free_pgtables(struct kernel *k, struct mm_struct *mm, unsigned long start,
		   unsigned long end)
{
	unsigned long addr = start & PMD_MASK;

	while (addr < end && addr < TASK_SIZE) {
		struct pud_table **pud = &mm->pgd->pud[pgd_index(addr)];
		struct pmd_table **pmd;
		struct pte_table **pte;

		if (!*pud) {
			addr = next_boundary(addr, PGDIR_SHIFT);
			continue;
		}
		pmd = &(*pud)->pmd[pud_index(addr)];
		if (!*pmd) {
			addr = next_boundary(addr, PUD_SHIFT);
			continue;
		}
		pte = &(*pmd)->pte[pmd_index(addr)];
		if (*pte && pte_table_empty(*pte)) {
			table_free(k, mm, *pte, sizeof(struct pte_table));
			*pte = NULL;
		}
		if (ptr_table_empty((void *const *)(*pmd)->pte) && huge_table_empty(*pmd)) {
			table_free(k, mm, *pmd, sizeof(struct pmd_table));
			*pmd = NULL;
			if (ptr_table_empty((void *const *)(*pud)->pmd)) {
				table_free(k, mm, *pud, sizeof(struct pud_table));
				*pud = NULL;
			}
		}
		addr = next_boundary(addr, PMD_SHIFT);
	}
}

void set_pte_at(struct kernel *k, struct vm_area_struct *vma,
		unsigned long addr, pte_t *ptep, pte_t pte)
{
	pte_t old = *ptep;

	*ptep = pte;
	trace_pte_changed(k, vma, addr, old, pte);
}

pte_t ptep_get_and_clear(struct kernel *k, struct vm_area_struct *vma,
			 unsigned long addr, pte_t *ptep)
{
	pte_t old = *ptep;

	ptep->val = 0;
	trace_pte_changed(k, vma, addr, old, *ptep);
	return old;
}

void set_pmd_at(struct kernel *k, struct vm_area_struct *vma,
		unsigned long addr, pmd_t *pmdp, pmd_t pmd)
{
	pmd_t old = *pmdp;

	assert(!(addr & ~PMD_MASK));
	*pmdp = pmd;
	trace_pmd_changed(k, vma, addr, old, pmd);
}

pmd_t pmdp_huge_get_and_clear(struct kernel *k, struct vm_area_struct *vma,
			      unsigned long addr, pmd_t *pmdp)
{
	pmd_t old = *pmdp;

	assert(!(addr & ~PMD_MASK));
	pmdp->val = 0;
	trace_pmd_changed(k, vma, addr, old, *pmdp);
	return old;
}
