/* SPDX-License-Identifier: GPL-2.0 */
/* include/linux/huge_mm.h, v4.14: what model/huge_memory.c offers */
#ifndef MMSIM_HUGE_MM_H
#define MMSIM_HUGE_MM_H

#include "kernel.h"

#define HPAGE_PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR	(1UL << HPAGE_PMD_ORDER)

struct page *mm_get_huge_zero_page(struct kernel *k, struct mm_struct *mm);
bool is_huge_zero_pmd(const struct kernel *k, pmd_t pmd);
/* The head of the folio a pmd maps as a normal page, or NULL (zero, devmap) */
struct page *vm_normal_page_pmd(struct kernel *k, pmd_t pmd);
/* dax-folio-refcount (v6.15): map a 2 MiB DAX folio, counted in rss */
int vmf_insert_folio_pmd(struct kernel *k, struct vm_fault *vmf, struct page *folio,
			 bool write);
int vmf_insert_pfn_pmd(struct kernel *k, struct vm_fault *vmf, unsigned long pfn,
		       bool write);
void split_huge_pmd(struct kernel *k, struct vm_area_struct *vma, pmd_t *pmdp,
		    unsigned long address);
void split_huge_pmd_address(struct kernel *k, struct vm_area_struct *vma,
			    unsigned long address);
bool move_huge_pmd(struct kernel *k, struct vm_area_struct *vma, unsigned long old_addr,
		   struct vm_area_struct *new_vma, unsigned long new_addr,
		   unsigned long old_end, pmd_t *old_pmd);
void zap_huge_pmd(struct kernel *k, struct vm_area_struct *vma, pmd_t *pmdp,
		  unsigned long addr);
void huge_pmd_set_accessed(struct kernel *k, struct vm_fault *vmf, pmd_t orig_pmd);
/* copy_huge_pmd(), v4.5: fork copies a DAX pmd, write-protected in both */
void copy_huge_pmd_v4_5(struct kernel *k, struct vm_area_struct *dst_vma,
			struct vm_area_struct *src_vma, unsigned long addr, pmd_t *src_pmd);
void change_huge_pmd(struct kernel *k, struct vm_area_struct *vma, pmd_t *pmdp,
		     unsigned long addr, uint64_t newprot);

#endif
