/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes and their address spaces: mm_struct, VMAs and the system calls
 * on them (mm/mmap.c, mm/mprotect.c, mm/madvise.c, mm/msync.c), and the
 * fault path of mm/memory.c. A user access (load/store) is a CPU access:
 * it walks the page tables and takes a fault when the PTE does not allow it.
 */
#ifndef MMSIM_MM_H
#define MMSIM_MM_H

#include "kernel.h"

struct mm_struct *mm_create(struct kernel *k);
/* exit_mmap(): unmap everything and free the page tables. */
void mm_destroy(struct kernel *k, struct mm_struct *mm);
/* fork(2)'s copy_mm() -> dup_mm(), kernel/fork.c v4.14 (model/fork.c) */
struct mm_struct *dup_mm(struct kernel *k, struct mm_struct *oldmm);
/* Into mm->mmap and mm->mm_rb (mm/mmap.c's __vma_link_list/__vma_link_rb). */
void __vma_link(struct mm_struct *mm, struct vm_area_struct *vma);

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* The VMAs in address order, as v4.14 walks them (mm->mmap, vm_next). */
static inline struct vm_area_struct *vma_first(const struct mm_struct *mm)
{
	return mm->mmap;
}

static inline struct vm_area_struct *vma_next(const struct vm_area_struct *vma)
{
	return vma->vm_next;
}

#define for_each_vma(mm, vma) \
	for ((vma) = vma_first(mm); (vma); (vma) = vma_next(vma))

/*
 * i_mmap, mm/interval_tree.c (v4.14): the VMAs mapping a file, by file
 * page range; vma_interval_tree_foreach() visits those that map some page
 * of [first, last], in order of vm_pgoff (equal ones in insertion order).
 */
void vma_interval_tree_insert(struct vm_area_struct *vma, struct avl_root *root);
void vma_interval_tree_insert_after(struct vm_area_struct *node,
				    struct vm_area_struct *prev, struct avl_root *root);
void vma_interval_tree_remove(struct vm_area_struct *vma, struct avl_root *root);
struct vm_area_struct *vma_interval_tree_iter_first(const struct avl_root *root,
						    pgoff_t first, pgoff_t last);
struct vm_area_struct *vma_interval_tree_iter_next(const struct vm_area_struct *vma,
						   pgoff_t first, pgoff_t last);
#define vma_interval_tree_foreach(vma, root, first, last)			\
	for ((vma) = vma_interval_tree_iter_first(root, first, last); (vma);	\
	     (vma) = vma_interval_tree_iter_next(vma, first, last))

static inline pgoff_t linear_page_index(const struct vm_area_struct *vma,
					unsigned long addr)
{
	return ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline struct inode *vma_inode(const struct vm_area_struct *vma)
{
	return vma->vm_file ? vma->vm_file->inode : NULL;
}

/* thp_get_unmapped_area(), mm/huge_memory.c v4.14: a ->get_unmapped_area */
unsigned long thp_get_unmapped_area(struct kernel *k, struct mm_struct *mm,
				    struct file *file, unsigned long addr,
				    unsigned long len, loff_t off);

/* mmap(2): returns the address, or a negative errno. */
long do_mmap(struct kernel *k, struct mm_struct *mm, struct file *file,
	     unsigned long addr, unsigned long len, int prot, int flags,
	     loff_t off);
int do_munmap(struct kernel *k, struct mm_struct *mm, unsigned long start,
	      unsigned long len);
int do_mprotect(struct kernel *k, struct mm_struct *mm, unsigned long start,
		unsigned long len, int prot);
int do_madvise(struct kernel *k, struct mm_struct *mm, unsigned long start,
	       unsigned long len, int advice);
int do_msync(struct kernel *k, struct mm_struct *mm, unsigned long start,
	     unsigned long len, int flags);
#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
/* mremap(2): the new address, or a negative errno. */
long do_mremap(struct kernel *k, struct mm_struct *mm, unsigned long addr,
	       unsigned long old_len, unsigned long new_len, int flags,
	       unsigned long new_addr);

/* mm/memory.c */
int handle_mm_fault(struct kernel *k, struct vm_area_struct *vma,
		    unsigned long address, unsigned int flags);
struct page *vm_normal_page(struct kernel *k, struct vm_area_struct *vma,
			    unsigned long addr, pte_t pte);
int vm_insert_page(struct kernel *k, struct vm_area_struct *vma,
		   unsigned long addr, struct page *page);
int vm_insert_mixed(struct kernel *k, struct vm_area_struct *vma,
		    unsigned long addr, unsigned long pfn);
int vm_insert_mixed_mkwrite(struct kernel *k, struct vm_area_struct *vma,
			    unsigned long addr, unsigned long pfn);
/* dax-folio-refcount (v6.15): map a refcounted DAX page, counted in rss */
int vmf_insert_page_mkwrite(struct kernel *k, struct vm_fault *vmf, struct page *page,
			    bool write);
int finish_fault(struct kernel *k, struct vm_fault *vmf);
int alloc_set_pte(struct kernel *k, struct vm_fault *vmf, struct page *page);
/*
 * copy_page_range(), v4.14, at fork: the child's PTEs of @dst_vma from the
 * parent's @src_vma. The kernel passes the two mms and the parent's VMA;
 * set_pte_at() here reports changes by VMA, so both VMAs are passed.
 */
void copy_page_range(struct kernel *k, struct vm_area_struct *dst_vma,
		     struct vm_area_struct *src_vma);
void zap_page_range(struct kernel *k, struct vm_area_struct *vma,
		    unsigned long start, unsigned long end);
void unmap_mapping_range(struct kernel *k, struct address_space *mapping,
			 loff_t holebegin, loff_t holelen, int even_cows);

/*
 * The result of one user access (a load or a store by the CPU). An access
 * that faults USER_ACCESS_MAX_FAULTS times without the PTE allowing it is
 * a livelock of the modelled kernel (a bug variant can cause one): it is
 * reported, not retried for ever.
 */
#define USER_ACCESS_MAX_FAULTS	8
struct access_result {
	enum user_signal sig;
	int fault_ret;		/* the last fault's VM_FAULT_* bits, 0 if none */
	int error;		/* with SIG_BUS: the file system's errno, if any (-ENOSPC) */
	int nr_faults;
	bool major;		/* the last fault counted as major (mm_account_fault) */
	bool livelock;		/* it kept faulting without progress */
	unsigned long pfn;	/* the page the access reached */
	uint64_t value;		/* a load's value */
	int si_code;		/* with SIG_BUS: BUS_ADRERR (a fault), BUS_MCEERR_AR or SI_KERNEL (poison) */
};

/* getrusage()'s maj_flt/min_flt for a fault that returned @ret; true: major */
bool mm_account_fault(struct kernel *k, struct mm_struct *mm, unsigned int flags, int ret);
struct access_result user_access(struct kernel *k, struct mm_struct *mm,
				 unsigned long addr, unsigned size, bool write,
				 uint64_t value);
/*
 * clwb over [addr, addr + len) inside one page, then sfence: the lines
 * become durable. Like a load it needs a translation, and faults for one.
 */
struct access_result user_flush(struct kernel *k, struct mm_struct *mm,
				unsigned long addr, unsigned long len);
/*
 * The kernel's own accesses to user memory (model/usercopy.c): the pfn a
 * PTE allowing the access maps (marked accessed, dirty for a write), or
 * -1; and the fault the kernel takes on a user address inside a system
 * call: 0 when it completed, -EFAULT where the copy stops.
 */
long user_pte_pfn(struct kernel *k, struct mm_struct *mm, unsigned long addr, bool write);
int kernel_user_fault(struct kernel *k, struct mm_struct *mm, unsigned long addr, bool write);
/*
 * 6.1 faultin_page(unshare = true) (mm/gup.c L980-1010): a read fault with
 * FAULT_FLAG_UNSHARE, which makes the anonymous page there exclusive
 * (do_wp_page(): reused, or copied and mapped read-only).
 */
int kernel_user_unshare_fault(struct kernel *k, struct mm_struct *mm, unsigned long addr);

#endif
