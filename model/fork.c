// SPDX-License-Identifier: GPL-2.0
/*
 * fork(2)'s address space, kernel/fork.c as of v4.14: copy_mm() ->
 * dup_mm() -> dup_mmap(), which copies every VMA of the parent, links the
 * copy into the file's i_mmap right after the parent's VMA, and copies the
 * page tables the child could not fault in alone (copy_page_range(),
 * model/memory.c).
 */
#include "lock.h"
#include "mm.h"

/*
 * anon_vma_fork(), mm/rmap.c v4.14: a parent VMA with an anon_vma gives
 * the child's VMA one of its own, so that its COW pages go there. The
 * kernel chains it to the parent's (anon_vma_clone()) and may reuse an
 * anon_vma no VMA uses any more; the model's anon_vma is an id that only
 * decides which VMAs may merge, so the child's is always new.
 */
static void anon_vma_fork(struct kernel *k, struct vm_area_struct *vma,
			  const struct vm_area_struct *pvma)
{
	if (!pvma->anon_vma)
		return;
	vma->anon_vma = ++k->nr_anon_vmas;
}

/*
 * dup_mmap(), kernel/fork.c v4.14 L592, with both mmap_sems held. VMAs
 * with VM_DONTCOPY (MADV_DONTFORK) are skipped and VM_WIPEONFORK ones
 * (MADV_WIPEONFORK) start empty in the child; the language has neither
 * advice, so every VMA is copied with its PTEs. ext4's DAX vm_ops have no
 * ->open. Nothing fails: the model's allocations come from the host.
 */
static void dup_mmap(struct kernel *k, struct mm_struct *mm,
		     struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt;

	down_write(k, &oldmm->mmap_sem);
	down_write(k, &mm->mmap_sem);
	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		struct vm_area_struct *tmp = kzalloc(k, sizeof(*tmp));
		struct file *file;

		*tmp = *mpnt;
		tmp->vm_mm = mm;
		anon_vma_fork(k, tmp, mpnt);
		tmp->vm_flags &= ~VM_LOCKED;
		tmp->vm_next = tmp->vm_prev = NULL;
		file = tmp->vm_file;
		if (file) {
			struct address_space *mapping = &file->inode->i_data;

			get_file(file);
			down_write(k, &mapping->i_mmap_rwsem);
			/* insert tmp into the share list, just after mpnt */
			vma_interval_tree_insert_after(tmp, mpnt, &mapping->i_mmap);
			up_write(k, &mapping->i_mmap_rwsem);
		}
		/* the list and mm_rb: in address order, as the parent's */
		__vma_link(mm, tmp);
		copy_page_range(k, tmp, mpnt);
	}
	up_write(k, &mm->mmap_sem);
	up_write(k, &oldmm->mmap_sem);
}

/*
 * dup_mm(), kernel/fork.c v4.14 L1185: a new mm (mm_init(): no VMAs, zero
 * counters) with the parent's layout fields, then dup_mmap(). The fault
 * counters belong to the task, and copy_mm() zeroes them (L1226).
 */
struct mm_struct *dup_mm(struct kernel *k, struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_create(k);

	/* memcpy(mm, oldmm, sizeof(*mm)): mmap_base and the like */
	mm->next_mmap = oldmm->next_mmap;
	/* 6.1 mm_init(): flags & MMF_INIT_MASK, so MMF_HAS_PINNED stays behind (has_pinned false) */
	dup_mmap(k, mm, oldmm);
	return mm;
}
