// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces and the system calls on them, as of v4.14: mm/mmap.c
 * (do_mmap, mmap_region, do_munmap, find_vma), mm/mprotect.c, mm/madvise.c,
 * mm/msync.c, mm/gup.c's populate_vma_page_range for MAP_POPULATE, and
 * ext4_file_mmap() / thp_get_unmapped_area() for DAX files.
 */
#include <assert.h>

#include "lock.h"
#include "huge_mm.h"
#include "mm.h"
#include "nvdimm.h"
#include "page.h"
#include "pgtable.h"

#define MMAP_BASE	0x7f0000000000UL

struct mm_struct *mm_create(struct kernel *k)
{
	struct mm_struct *mm = kzalloc(k, sizeof(*mm));

	mm->id = k->nr_mms_created++;
	mm->next_mmap = MMAP_BASE;
	lock_init(&mm->mmap_sem, "mmap_sem");
	pgd_alloc(k, mm);
	g_ptr_array_add(k->mms, mm);
	return mm;
}

static struct vm_area_struct *rb_vma(const struct avl_node *node)
{
	return node ? avl_entry(node, struct vm_area_struct, vm_rb) : NULL;
}

/*
 * The free gap below @vma, vma_compute_subtree_gap(), v4.14 (no stack
 * guard gap: the model has no stack VMAs). A VMA may overlap the one
 * before it for a moment while vma_adjust() moves its end: no gap then.
 */
static unsigned long vma_gap(const struct vm_area_struct *vma)
{
	unsigned long prev_end = vma->vm_prev ? vma->vm_prev->vm_end : 0;

	return vma->vm_start > prev_end ? vma->vm_start - prev_end : 0;
}

/* The augment callback of mm_rb (vma_gap_callbacks): rb_subtree_gap. */
static void vma_compute_subtree_gap(struct avl_node *node)
{
	struct vm_area_struct *vma = rb_vma(node), *child;
	unsigned long max = vma_gap(vma);

	child = rb_vma(node->left);
	if (child && child->rb_subtree_gap > max)
		max = child->rb_subtree_gap;
	child = rb_vma(node->right);
	if (child && child->rb_subtree_gap > max)
		max = child->rb_subtree_gap;
	vma->rb_subtree_gap = max;
}

/* vma_gap_update(): the gap below @vma changed. */
static void vma_gap_update(struct vm_area_struct *vma)
{
	avl_propagate(&vma->vm_rb, vma_compute_subtree_gap);
}

/* find_vma(), v4.14: the first VMA with vm_end > addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = mm->vmacache;
	struct avl_node *node = mm->mm_rb.node;

	if (vma && vma->vm_start <= addr && addr < vma->vm_end)
		return vma;
	vma = NULL;
	while (node) {
		struct vm_area_struct *tmp = rb_vma(node);

		if (tmp->vm_end > addr) {
			vma = tmp;
			if (tmp->vm_start <= addr)
				break;
			node = node->left;
		} else {
			node = node->right;
		}
	}
	if (vma)
		mm->vmacache = vma;
	return vma;
}

/*
 * __vma_link(), v4.14 (find_vma_links, __vma_link_list, __vma_link_rb):
 * into the address-ordered list and the tree; the VMA after it now has a
 * smaller gap below it.
 */
void __vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct avl_node **link = &mm->mm_rb.node, *parent = NULL;
	struct vm_area_struct *prev = NULL, *next;

	while (*link) {
		parent = *link;
		if (rb_vma(parent)->vm_end > vma->vm_start) {
			link = &parent->left;
		} else {
			prev = rb_vma(parent);
			link = &parent->right;
		}
	}
	next = prev ? prev->vm_next : mm->mmap;
	vma->vm_prev = prev;
	vma->vm_next = next;
	if (prev)
		prev->vm_next = vma;
	else
		mm->mmap = vma;
	if (next)
		next->vm_prev = vma;
	avl_link_node(&vma->vm_rb, parent, link);
	avl_insert(&mm->mm_rb, &vma->vm_rb, vma_compute_subtree_gap);
	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = vma->vm_end;
	mm->map_count++;
}

/* __vma_link_file(): the VMA holds the file and is in its i_mmap. */
static void __vma_link_file(struct vm_area_struct *vma)
{
	if (!vma->vm_file)
		return;
	get_file(vma->vm_file);
	vma_interval_tree_insert(vma, &vma->vm_file->inode->i_data.i_mmap);
}

static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	__vma_link(mm, vma);
	__vma_link_file(vma);
}

/*
 * vma_adjust(), v4.14, for a new vm_end: the VMA leaves i_mmap and goes
 * back in with its new page range (after the VMAs with the same vm_pgoff),
 * and the gap above it changes.
 */
static void vma_adjust_end(struct vm_area_struct *vma, unsigned long end)
{
	struct avl_root *root = vma->vm_file ? &vma->vm_file->inode->i_data.i_mmap : NULL;

	if (root)
		vma_interval_tree_remove(vma, root);
	vma->vm_end = end;
	if (root)
		vma_interval_tree_insert(vma, root);
	if (vma->vm_next)
		vma_gap_update(vma->vm_next);
	else
		vma->vm_mm->highest_vm_end = end;
}

/*
 * __vma_unlink_common() and remove_vma(), v4.14: out of the tree, the
 * list and i_mmap; the VMA after it now has a larger gap below it.
 */
static void vma_unlink_free(struct kernel *k, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	avl_erase(&mm->mm_rb, &vma->vm_rb, vma_compute_subtree_gap);
	if (prev)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next) {
		next->vm_prev = prev;
		vma_gap_update(next);
	} else {
		mm->highest_vm_end = prev ? prev->vm_end : 0;
	}
	mm->map_count--;
	if (vma->vm_file) {
		vma_interval_tree_remove(vma, &vma->vm_file->inode->i_data.i_mmap);
		if (IS_DAX(vma->vm_file->inode))
			nvdimm_vma_gone(k);	/* the "memory" unbind's wait */
		file_close(k, vma->vm_file);	/* fput() */
	}
	if (mm->vmacache == vma)
		mm->vmacache = NULL;
	kfree(k, vma, sizeof(*vma));
}

/*
 * vm_get_page_prot() + vma_set_page_prot(): the PTE bits a fault inserts.
 * Private mappings are copy-on-write (no RW); a shared writable DAX
 * mapping wants write notification (it has ->pfn_mkwrite), so its PTEs
 * start read-only too (vma_wants_writenotify()).
 */
static uint64_t vm_page_prot(unsigned long vm_flags)
{
	uint64_t prot = _PAGE_PRESENT | _PAGE_ACCESSED;

	if (vm_flags & (VM_READ | VM_WRITE))
		prot |= _PAGE_USER;
	return prot;
}

static bool range_free(struct mm_struct *mm, unsigned long addr,
		       unsigned long len)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return addr + len <= TASK_SIZE && addr + len > addr &&
	       (!vma || vma->vm_start >= addr + len);
}

/*
 * unmapped_area(), v4.14 mm/mmap.c: the lowest address at or above
 * @low_limit where @length bytes are free below TASK_SIZE (0 when there is
 * none). The tree keeps the largest gap of each subtree, so the search
 * goes down only where a gap fits: O(log n).
 */
static unsigned long unmapped_area(struct mm_struct *mm, unsigned long length,
				   unsigned long low_limit)
{
	unsigned long high_limit, low_end, gap_start, gap_end;
	struct vm_area_struct *vma = rb_vma(mm->mm_rb.node), *child;

	if (length > TASK_SIZE || low_limit > TASK_SIZE - length)
		return 0;
	high_limit = TASK_SIZE - length;	/* the highest start that fits */
	low_end = low_limit + length;		/* the lowest end that fits */
	if (!vma || vma->rb_subtree_gap < length)
		goto check_highest;
	for (;;) {
		/* the lowest fitting gap is on the left, if one fits there */
		gap_end = vma->vm_start;
		child = rb_vma(vma->vm_rb.left);
		if (gap_end >= low_end && child && child->rb_subtree_gap >= length) {
			vma = child;
			continue;
		}
		gap_start = vma->vm_prev ? vma->vm_prev->vm_end : 0;
check_current:
		if (gap_start > high_limit)
			return 0;
		if (gap_end >= low_end && gap_end - gap_start >= length)
			goto found;
		child = rb_vma(vma->vm_rb.right);
		if (child && child->rb_subtree_gap >= length) {
			vma = child;
			continue;
		}
		/* up to the first ancestor reached from its left: its gap is next */
		for (;;) {
			struct avl_node *from = &vma->vm_rb;

			if (!from->parent)
				goto check_highest;
			vma = rb_vma(from->parent);
			if (from == vma->vm_rb.left) {
				gap_start = vma->vm_prev->vm_end;
				gap_end = vma->vm_start;
				goto check_current;
			}
		}
	}
check_highest:
	gap_start = mm->highest_vm_end;
	if (gap_start > high_limit)
		return 0;
found:
	return gap_start > low_limit ? gap_start : low_limit;
}

/*
 * The search for @len bytes: mmsim searches bottom-up from 0x7f0000000000
 * where the kernel searches top-down from mmap_base (only the alignment is
 * observable). When that fails, arch_get_unmapped_area_topdown() (x86,
 * v4.14) falls back to the bottom-up search from TASK_UNMAPPED_BASE, a
 * third of the address space, and so does mmsim.
 */
#define TASK_UNMAPPED_BASE	round_up(TASK_SIZE / 3, PAGE_SIZE)

static unsigned long search_area(struct mm_struct *mm, unsigned long len)
{
	unsigned long addr = unmapped_area(mm, len, mm->next_mmap);

	return addr ? addr : unmapped_area(mm, len, TASK_UNMAPPED_BASE);
}

/* arch_get_unmapped_area(), x86-64 v4.14: the hint if it is free, else a search */
static unsigned long arch_get_unmapped_area(struct mm_struct *mm,
					    unsigned long hint, unsigned long len)
{
	if (hint)
		return range_free(mm, hint, len) ? hint : search_area(mm, len);
	return search_area(mm, len);
}

/*
 * thp_get_unmapped_area(), mm/huge_memory.c v4.14 (ext4's
 * ->get_unmapped_area): no hint, a DAX file and a range that holds a whole
 * aligned 2 MiB get an address congruent with the file offset modulo 2 MiB.
 * thp-unmapped-area-any-file: 6.1 (L638) has no IS_DAX() test, so an ext4
 * page-cache file's mapping is aligned too.
 */
unsigned long thp_get_unmapped_area(struct kernel *k, struct mm_struct *mm,
				    struct file *file, unsigned long addr,
				    unsigned long len, loff_t off)
{
	loff_t off_align = round_up(off, (loff_t)PMD_SIZE);

	/* "if (addr) goto out": a hint is never aligned */
	if (addr)
		return arch_get_unmapped_area(mm, addr, len);
	if (!IS_DAX(file_inode(file)) && !SW(k, THP_UNMAPPED_AREA_ANY_FILE))
		return arch_get_unmapped_area(mm, addr, len);
	/* __thp_get_unmapped_area() */
	if (off + (loff_t)len > off_align &&
	    off + (loff_t)len - off_align >= (loff_t)PMD_SIZE) {
		addr = search_area(mm, len + PMD_SIZE);
		if (addr)
			return addr + ((off - addr) & (PMD_SIZE - 1));
	}
	return arch_get_unmapped_area(mm, 0, len);
}

/*
 * get_unmapped_area(), v4.14: the file's ->get_unmapped_area if it has
 * one, else the mm's (arch_get_unmapped_area). The hint is page aligned
 * here, before either (the kernel does it in each).
 */
static unsigned long get_unmapped_area(struct kernel *k, struct mm_struct *mm,
				       struct file *file, unsigned long hint,
				       unsigned long len, loff_t off)
{
	if (len > TASK_SIZE)	/* get_unmapped_area(), v4.14: -ENOMEM */
		return 0;
	hint = round_up(hint, PAGE_SIZE);	/* PAGE_ALIGN(addr) */
	if (file->f_op->get_unmapped_area)
		return file->f_op->get_unmapped_area(k, mm, file, hint, len, off);
	return arch_get_unmapped_area(mm, hint, len);
}

/* Split @vma at @addr; the new VMA is the upper part. */
static struct vm_area_struct *split_vma(struct kernel *k,
					struct vm_area_struct *vma,
					unsigned long addr)
{
	struct vm_area_struct *new = kzalloc(k, sizeof(*new));

	assert(addr > vma->vm_start && addr < vma->vm_end && !(addr & ~PAGE_MASK));
	/* vma_adjust_trans_huge(): a huge pmd across @addr is split first */
	if (addr & ~PMD_MASK)
		split_huge_pmd_address(k, vma, addr);
	*new = *vma;
	new->vm_start = addr;
	new->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	/* vma_adjust(): the new VMA is in i_mmap before the old one goes back in */
	__vma_link_file(new);
	vma_adjust_end(vma, addr);
	__vma_link(vma->vm_mm, new);
	return new;
}

/* Split so that no VMA straddles start or end. */
static void split_range(struct kernel *k, struct mm_struct *mm,
			unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	if (vma && vma->vm_start < start)
		split_vma(k, vma, start);
	vma = find_vma(mm, end);
	if (vma && vma->vm_start < end)
		split_vma(k, vma, end);
}

/* Whether @b can follow @a in one VMA (is_mergeable_vma() and friends). */
static bool can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       a->vm_flags == b->vm_flags &&
	       a->vm_pgoff + vma_pages(a) == b->vm_pgoff &&
	       (!a->anon_vma || !b->anon_vma || a->anon_vma == b->anon_vma);
}

/*
 * vma_merge(), cut down: join @vma with the VMA before and after it when
 * they are compatible, as mmap_region(), mprotect_fixup() and
 * madvise_behavior() do. The PTEs stay where they are.
 */
static struct vm_area_struct *vma_merge(struct kernel *k, struct mm_struct *mm,
					struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma->vm_next, *prev = vma->vm_prev;

	if (next && can_merge(vma, next)) {
		unsigned long end = next->vm_end;

		if (!vma->anon_vma)
			vma->anon_vma = next->anon_vma;
		vma_unlink_free(k, next);
		vma_adjust_end(vma, end);
	}
	if (prev && can_merge(prev, vma)) {
		unsigned long end = vma->vm_end;

		if (!prev->anon_vma)
			prev->anon_vma = vma->anon_vma;
		vma_unlink_free(k, vma);
		vma_adjust_end(prev, end);
		vma = prev;
	}
	mm->vmacache = NULL;
	return vma;
}

static int do_munmap_locked(struct kernel *k, struct mm_struct *mm,
			    unsigned long start, unsigned long len)
{
	unsigned long end = start + len;
	struct vm_area_struct *vma;

	split_range(k, mm, start, end);
	while ((vma = find_vma(mm, start)) && vma->vm_start < end) {
		zap_page_range(k, vma, vma->vm_start, vma->vm_end);
		vma_unlink_free(k, vma);
	}
	free_pgtables(k, mm, start, end);
	return 0;
}

int do_munmap(struct kernel *k, struct mm_struct *mm, unsigned long start,
	      unsigned long len)
{
	int ret;

	if ((start & ~PAGE_MASK) || start >= TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	down_write(k, &mm->mmap_sem);
	ret = do_munmap_locked(k, mm, start, len);
	up_write(k, &mm->mmap_sem);
	return ret;
}

void mm_destroy(struct kernel *k, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	while ((vma = vma_first(mm))) {
		zap_page_range(k, vma, vma->vm_start, vma->vm_end);
		vma_unlink_free(k, vma);
	}
	pgd_free(k, mm);
	/* __mmdrop() -> check_mm() (kernel/fork.c, v4.14) looks at the counters last */
	trace_mm_release(k, mm);
	g_ptr_array_remove(k->mms, mm);
	kfree(k, mm, sizeof(*mm));
}

/*
 * follow_page_pte(), v4.0 mm/gup.c L35, bad_page at L78 (v3.19 L73-78 alike:
 * dax-2014, xip-2014): a present PTE with no
 * struct page (vm_normal_page() of a special PTE) other than the zero
 * page is bad_page: -EFAULT, and __mm_populate() goes on at the next VMA
 * (ignore_errors). So populating a DAX mapping stops at its first block.
 * v4.14 follows the devmap PTEs of DAX blocks to their pages.
 */
static bool follow_page_bad(struct kernel *k, pte_t pte)
{
	return (k->policy.id == POLICY_DAX_2014 || k->policy.id == POLICY_XIP_2014) &&
	       pte_special(pte) && !is_zero_pfn(k, pte_pfn(pte));
}

/*
 * populate_vma_page_range() for MAP_POPULATE: fault in every page, as a
 * write only for a private writable mapping (which COWs every page).
 * Faults count as getrusage counts them (faultin_page()).
 */
static void populate_vma(struct kernel *k, struct vm_area_struct *vma,
			 unsigned long start, unsigned long end)
{
	bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;

	/* no FOLL_FORCE: check_vma_flags() refuses a PROT_NONE VMA (-EFAULT) */
	if (!(vma->vm_flags & (VM_READ | VM_WRITE)))
		return;

	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		bool huge;
		/* follow_page_mask(): a PTE, or a huge pmd (follow_devmap_pmd()) */
		pte_t pte = follow_pte_or_pmd(vma->vm_mm, a, &huge);
		unsigned int flags;
		int ret, tries = 0;

		/* __get_user_pages(), v4.14: a pending SIGKILL stops the faulting */
		if (fatal_signal_pending(k))
			return;
		/*
		 * follow_page_mask() until it finds the page, faultin_page()
		 * meanwhile (a private write to an XIP hole takes two faults);
		 * a fault that makes no progress is the livelock user_access()
		 * reports, here it ends the population.
		 */
		while (!(pte_present(pte) && (!write || pte_write(pte)))) {
			if (tries++ == USER_ACCESS_MAX_FAULTS)
				return;
			/* faultin_page(): __mm_populate() passes nonblocking, so ALLOW_RETRY */
			flags = (write ? FAULT_FLAG_WRITE : 0) | FAULT_FLAG_ALLOW_RETRY;
			ret = handle_mm_fault(k, vma, a, flags);
			/*
			 * 6.1 (filemap-fault-retry): VM_FAULT_RETRY dropped the
			 * mmap lock (faultin_page(): -EBUSY, *locked = 0);
			 * __mm_populate() takes it again and faults the same
			 * address afresh, without FAULT_FLAG_TRIED.
			 */
			if (ret & VM_FAULT_RETRY)
				down_read(k, &vma->vm_mm->mmap_sem);
			if (ret & VM_FAULT_ERROR)
				return;
			mm_account_fault(k, vma->vm_mm, flags, ret);
			pte = follow_pte_or_pmd(vma->vm_mm, a, &huge);
		}
		if (follow_page_bad(k, pte))
			return;
	}
}

long do_mmap(struct kernel *k, struct mm_struct *mm, struct file *file,
	     unsigned long addr, unsigned long len, int prot, int flags,
	     loff_t off)
{
	unsigned long vm_flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	struct vm_area_struct *vma;
	int error;

	if (!len || (off & ~PAGE_MASK) || off < 0)
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	if ((unsigned long)off + len < (unsigned long)off)
		return -EOVERFLOW;
	/* calc_vm_prot_bits(); x86's access_error() lets VM_WRITE read */
	if (prot & PROT_READ)
		vm_flags |= VM_READ;
	if (prot & PROT_WRITE)
		vm_flags |= VM_WRITE;
	/*
	 * map-sync (v4.15; 6.1 do_mmap() L1306-1336): calc_vm_flag_bits()
	 * turns MAP_SYNC into VM_SYNC before MAP_SHARED drops the flags it
	 * does not know, so MAP_SHARED|MAP_SYNC and MAP_PRIVATE|MAP_SYNC set
	 * VM_SYNC too; MAP_SHARED_VALIDATE refuses a flag neither legacy nor
	 * in the file's mmap_supported_flags (EOPNOTSUPP).
	 */
	if (SW(k, MAP_SYNC) && (flags & MAP_SYNC))
		vm_flags |= VM_SYNC;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (!SW(k, MAP_SYNC))
			return -EINVAL;	/* before v4.15: an unknown map type */
		if (flags & ~(LEGACY_MAP_MASK | file->f_op->mmap_supported_flags))
			return -EOPNOTSUPP;
		/* fall through */
	case MAP_SHARED:
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		/* fall through */
	case MAP_PRIVATE:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		break;
	default:
		return -EINVAL;
	}
	down_write(k, &mm->mmap_sem);
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK) {
			up_write(k, &mm->mmap_sem);
			return -EINVAL;
		}
		/* get_unmapped_area(): addr > TASK_SIZE - len */
		if (addr > TASK_SIZE - len) {
			up_write(k, &mm->mmap_sem);
			return -ENOMEM;
		}
		do_munmap_locked(k, mm, addr, len);
	} else {
		addr = get_unmapped_area(k, mm, file, addr, len, off);
		if (!addr) {
			up_write(k, &mm->mmap_sem);
			return -ENOMEM;
		}
	}
	vma = kzalloc(k, sizeof(*vma));
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_pgoff = off >> PAGE_SHIFT;
	vma->vm_mm = mm;
	vma->vm_file = file;
	vma->vm_flags = vm_flags;
	/*
	 * mmap_region() -> call_mmap(), v4.14: ext4_file_mmap() sets vm_ops
	 * and flags; vma_set_page_prot() then follows the flags.
	 */
	error = call_mmap(k, file, vma);
	if (error) {		/* unmap_and_free_vma */
		kfree(k, vma, sizeof(*vma));
		up_write(k, &mm->mmap_sem);
		return error;
	}
	vma->vm_page_prot = vm_page_prot(vma->vm_flags);
	vma_link(mm, vma);
	vma = vma_merge(k, mm, vma);
	up_write(k, &mm->mmap_sem);
	/* vm_mmap_pgoff(): mm_populate(addr, len) after up_write(), under down_read() */
	if (flags & MAP_POPULATE) {
		down_read(k, &mm->mmap_sem);
		populate_vma(k, vma, addr, addr + len);
		up_read(k, &mm->mmap_sem);
	}
	return addr;
}

/*
 * change_pte_range(), v4.14: new protection on present PTEs; with write
 * notification a PTE that is already dirty may stay writable
 * (dirty_accountable), so only clean ones take the pfn_mkwrite fault.
 */
static void change_protection(struct kernel *k, struct vm_area_struct *vma)
{
	bool dirty_accountable = (vma->vm_flags & (VM_WRITE | VM_SHARED)) ==
				 (VM_WRITE | VM_SHARED);
	unsigned long addr = vma->vm_start;
	pte_t *ptep;
	pmd_t *pmdp;

	/*
	 * change_pmd_range(): a huge pmd is whole inside the VMA (split_vma()
	 * split the one across each end), so change_huge_pmd() takes the new
	 * protection; it keeps no write bit for a dirty pmd, unlike the PTEs.
	 */
	while ((pmdp = pmd_next_huge(vma->vm_mm, &addr, vma->vm_end))) {
		change_huge_pmd(k, vma, pmdp, addr, vma->vm_page_prot);
		addr += PMD_SIZE;
		if (!addr)
			break;
	}
	addr = vma->vm_start;

	while ((ptep = pte_next_present(vma->vm_mm, &addr, vma->vm_end))) {
		pte_t pte = pte_modify(*ptep, vma->vm_page_prot);

		if (dirty_accountable && pte_dirty(pte))
			pte = pte_mkwrite(pte);
		if (pte.val != ptep->val)
			set_pte_at(k, vma, addr, ptep, pte);
		addr += PAGE_SIZE;
	}
}

/*
 * mprotect(2), v4.14 do_mprotect_pkey(): VMA after VMA, each split and
 * changed before the next is looked at, so a gap or a VMA that may not
 * become writable stops it half way (-ENOMEM, -EACCES) with the earlier
 * ones changed.
 */
int do_mprotect(struct kernel *k, struct mm_struct *mm, unsigned long start,
		unsigned long len, int prot)
{
	unsigned long end, newflags_rw = 0, nstart;
	struct vm_area_struct *vma;
	int error = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	end = start + len;
	if (end <= start)
		return end == start ? 0 : -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE))
		return -EINVAL;
	/* calc_vm_prot_bits() */
	if (prot & PROT_READ)
		newflags_rw |= VM_READ;
	if (prot & PROT_WRITE)
		newflags_rw |= VM_WRITE;
	down_write(k, &mm->mmap_sem);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start) {
		error = -ENOMEM;
		goto out;
	}
	for (nstart = start;;) {
		unsigned long tmp;

		/* (newflags & ~(newflags >> 4)): VM_WRITE needs VM_MAYWRITE */
		if ((newflags_rw & VM_WRITE) && !(vma->vm_flags & VM_MAYWRITE)) {
			error = -EACCES;
			goto out;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		/* mprotect_fixup(): nothing to do when the flags stay */
		if ((vma->vm_flags & (VM_READ | VM_WRITE)) != newflags_rw) {
			if (vma->vm_start < nstart)
				vma = split_vma(k, vma, nstart);
			if (vma->vm_end > tmp)
				split_vma(k, vma, tmp);
			vma->vm_flags = (vma->vm_flags & ~(VM_READ | VM_WRITE)) | newflags_rw;
			vma->vm_page_prot = vm_page_prot(vma->vm_flags);
			change_protection(k, vma);
			vma = vma_merge(k, mm, vma);
		}
		/* the VMA may have merged past tmp: "if (nstart < prev->vm_end)" */
		nstart = tmp > vma->vm_end ? tmp : vma->vm_end;
		if (nstart >= end)
			goto out;
		vma = find_vma(mm, nstart);
		if (!vma || vma->vm_start != nstart) {
			error = -ENOMEM;
			goto out;
		}
	}
out:
	up_write(k, &mm->mmap_sem);
	return error;
}

/*
 * madvise(2), v4.14: the advice applies to each mapped part of the range;
 * a gap gives -ENOMEM at the end (unmapped_error), the rest is done.
 */
int do_madvise(struct kernel *k, struct mm_struct *mm, unsigned long start,
	       unsigned long len, int advice)
{
	unsigned long end;
	struct vm_area_struct *vma;
	int ret = 0, unmapped_error = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (advice != MADV_DONTNEED && advice != MADV_HUGEPAGE &&
	    advice != MADV_NOHUGEPAGE && advice != MADV_REMOVE)
		return -EINVAL;
	if (end == start)
		return 0;
	down_write(k, &mm->mmap_sem);
	for (unsigned long a = start; !ret;) {
		unsigned long s, e;

		vma = find_vma(mm, a);
		if (!vma) {
			ret = -ENOMEM;
			break;
		}
		if (vma->vm_start >= end) {
			ret = -ENOMEM;
			break;
		}
		if (vma->vm_start > a) {
			unmapped_error = -ENOMEM;
			a = vma->vm_start;
		}
		s = a;
		e = end < vma->vm_end ? end : vma->vm_end;
		switch (advice) {
		case MADV_DONTNEED:
			/* zap_page_range(): no writeback, entries untouched */
			zap_page_range(k, vma, s, e);
			break;
		case MADV_HUGEPAGE:
		case MADV_NOHUGEPAGE: {
			unsigned long flags = advice == MADV_HUGEPAGE ?
				(vma->vm_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE :
				(vma->vm_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;

			/*
			 * v3.19 hugepage_madvise() (mm/huge_memory.c L1948-1990):
			 * -EINVAL for a VMA in VM_NO_THP (VM_SPECIAL, which has
			 * VM_MIXEDMAP: every XIP VMA; VM_SHARED, VM_MAYSHARE) or
			 * already so advised.
			 */
			if (k->policy.id == POLICY_XIP_2014 &&
			    ((vma->vm_flags & (VM_MIXEDMAP | VM_SHARED | VM_MAYSHARE)) ||
			     flags == vma->vm_flags)) {
				ret = -EINVAL;
				break;
			}
			/*
			 * v4.5 hugepage_madvise() (mm/huge_memory.c L1774-1819):
			 * -EINVAL for a VMA in VM_NO_THP (L1772: VM_SPECIAL, which
			 * has VM_MIXEDMAP: every ext4 DAX VMA; VM_SHARED,
			 * VM_MAYSHARE), the flags already set or not. So
			 * MADV_NOHUGEPAGE cannot keep a v4.5 DAX VMA from PMD faults.
			 */
			if (k->policy.id == POLICY_DAX_2016 &&
			    (vma->vm_flags & (VM_MIXEDMAP | VM_SHARED | VM_MAYSHARE))) {
				ret = -EINVAL;
				break;
			}
			/* madvise_behavior(): unchanged flags split nothing */
			if (flags == vma->vm_flags)
				break;
			if (vma->vm_start < s)
				vma = split_vma(k, vma, s);
			if (vma->vm_end > e)
				split_vma(k, vma, e);
			vma->vm_flags = flags;
			vma_merge(k, mm, vma);
			break;
		}
		case MADV_REMOVE:
			/* madvise_remove(): punch the file range */
			if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) !=
			    (VM_SHARED | VM_WRITE)) {
				ret = -EACCES;
				break;
			}
			up_write(k, &mm->mmap_sem);
			ret = vfs_fallocate(k, vma->vm_file,
					    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					    (loff_t)(s - vma->vm_start) +
					    ((loff_t)vma->vm_pgoff << PAGE_SHIFT),
					    e - s);
			down_write(k, &mm->mmap_sem);
			break;
		}
		if (e >= end)
			break;
		a = e;
	}
	up_write(k, &mm->mmap_sem);
	return ret ? ret : unmapped_error;
}

/*
 * msync(2), v4.14: MS_SYNC on a shared file VMA calls vfs_fsync_range()
 * over the part of the range it maps; MS_ASYNC does nothing; holes in the
 * range give -ENOMEM at the end.
 */
int do_msync(struct kernel *k, struct mm_struct *mm, unsigned long start,
	     unsigned long len, int flags)
{
	unsigned long end;
	int unmapped_error = 0, error;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	down_read(k, &mm->mmap_sem);
	for (;;) {
		struct vm_area_struct *vma = find_vma(mm, start);
		loff_t fstart, fend;

		error = -ENOMEM;
		if (!vma)
			break;
		if (start < vma->vm_start) {
			start = vma->vm_start;
			if (start >= end)
				break;
			unmapped_error = -ENOMEM;
		}
		fstart = (start - vma->vm_start) + ((loff_t)vma->vm_pgoff << PAGE_SHIFT);
		fend = fstart + ((end < vma->vm_end ? end : vma->vm_end) - start) - 1;
		start = vma->vm_end;
		if ((flags & MS_SYNC) && (vma->vm_flags & VM_SHARED)) {
			struct file *file = vma->vm_file;

			up_read(k, &mm->mmap_sem);
			error = vfs_fsync_range(k, file, fstart, fend, 1);
			if (error || start >= end)
				return error ? error : unmapped_error;
			down_read(k, &mm->mmap_sem);
		} else if (start >= end) {
			error = 0;
			break;
		}
	}
	up_read(k, &mm->mmap_sem);
	return error ? error : unmapped_error;
}

/*
 * move_page_tables(), v4.14: a huge pmd moves whole (move_huge_pmd()) or is
 * split (for DAX: cleared, to refault at the new place); then move_ptes():
 * each present PTE moves to the new address with its bits; the entries and
 * the file side do not change. v4.14 tests pmd_trans_huge() alone, which
 * is false for a DAX (devmap) pmd; see dax_pmd_in_range(). 6.1 (L540) adds
 * pmd_devmap(): a DAX pmd then goes the huge pmd's way here.
 */
static void move_page_tables(struct kernel *k, struct vm_area_struct *vma,
			     unsigned long old_addr, struct vm_area_struct *new_vma,
			     unsigned long new_addr, unsigned long len)
{
	unsigned long addr = old_addr;
	pte_t *ptep;
	pmd_t *pmdp;

	while ((pmdp = pmd_next_huge(vma->vm_mm, &addr, old_addr + len))) {
		unsigned long to = new_addr + (addr - old_addr);

		if (addr < old_addr ||
		    !move_huge_pmd(k, vma, addr, new_vma, to, old_addr + len, pmdp))
			split_huge_pmd(k, vma, pmdp, addr);
		addr += PMD_SIZE;
		if (!addr)
			break;
	}
	addr = old_addr;

	while ((ptep = pte_next_present(vma->vm_mm, &addr, old_addr + len))) {
		unsigned long to = new_addr + (addr - old_addr);
		pte_t pte = ptep_get_and_clear(k, vma, addr, ptep);

		set_pte_at(k, new_vma, to, pte_alloc(k, vma->vm_mm, to), pte);
		addr += PAGE_SIZE;
	}
}

/* Whether a DAX (devmap) huge pmd maps any of [start, end). */
static bool dax_pmd_in_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long addr = start;
	pmd_t *pmdp;

	while ((pmdp = pmd_next_huge(mm, &addr, end))) {
		if (pmd_devmap(*pmdp))
			return true;
		addr += PMD_SIZE;
		if (!addr)
			break;
	}
	return false;
}

/* move_vma(): a copy of the VMA at the new place, the PTEs moved, the old unmapped. */
static unsigned long move_vma(struct kernel *k, struct vm_area_struct *vma,
			      unsigned long old_addr, unsigned long old_len,
			      unsigned long new_len, unsigned long new_addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new_vma;

	/* with mremap-devmap-pmd (v5.8) move_page_tables() moves or splits it */
	if (!SW(k, MREMAP_DEVMAP_PMD) &&
	    dax_pmd_in_range(vma->vm_mm, old_addr, old_addr + old_len))
		return not_modelled(k, "mremap moving a DAX huge pmd: v4.14's move_page_tables() "
				    "tests pmd_trans_huge() alone, false for a devmap pmd, and "
				    "walks the 2 MiB of pmem as a PTE table (CVE-2020-10757, fixed "
				    "in v5.8: the switch mremap-devmap-pmd, on in modern); map "
				    "with nohuge"), -ENOSYS;
	new_vma = kzalloc(k, sizeof(*new_vma));
	*new_vma = *vma;
	new_vma->vm_start = new_addr;
	new_vma->vm_end = new_addr + new_len;
	new_vma->vm_pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	vma_link(mm, new_vma);
	move_page_tables(k, vma, old_addr, new_vma, new_addr,
			 old_len < new_len ? old_len : new_len);
	do_munmap_locked(k, mm, old_addr, old_len);
	return new_addr;
}

/*
 * mremap(2), v4.14 mm/mremap.c: shrink in place; grow in place when the
 * VMA ends there and the room after it is free; else move with
 * MREMAP_MAYMOVE (or to new_addr with MREMAP_FIXED).
 */
long do_mremap(struct kernel *k, struct mm_struct *mm, unsigned long addr,
	       unsigned long old_len, unsigned long new_len, int flags,
	       unsigned long new_addr)
{
	struct vm_area_struct *vma;
	long ret;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = round_up(old_len, PAGE_SIZE);
	new_len = round_up(new_len, PAGE_SIZE);
	if (!new_len)
		return -EINVAL;
	down_write(k, &mm->mmap_sem);
	if (flags & MREMAP_FIXED) {
		/* mremap_to() */
		ret = -EINVAL;
		if ((new_addr & ~PAGE_MASK) || new_len > TASK_SIZE ||
		    new_addr > TASK_SIZE - new_len ||
		    (new_addr < addr + old_len && new_addr + new_len > addr))
			goto out;
		do_munmap_locked(k, mm, new_addr, new_len);
		if (old_len > new_len) {
			do_munmap_locked(k, mm, addr + new_len, old_len - new_len);
			old_len = new_len;
		}
	} else if (old_len >= new_len) {
		/* do_munmap() of nothing is -EINVAL, which mremap ignores */
		if (old_len > new_len)
			do_munmap_locked(k, mm, addr + new_len, old_len - new_len);
		ret = addr;
		goto out;
	}
	/* vma_to_resize() */
	vma = find_vma(mm, addr);
	ret = -EFAULT;
	if (!vma || vma->vm_start > addr || old_len > vma->vm_end - addr)
		goto out;
	/* a growing mapping's file offset must not wrap */
	ret = -EINVAL;
	if (vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT) + (new_len >> PAGE_SHIFT) <
	    vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT))
		goto out;
	if (flags & MREMAP_FIXED) {
		ret = move_vma(k, vma, addr, old_len, new_len, new_addr);
		goto out;
	}
	/* expand in place: the old range ends the VMA and the room is free */
	if (old_len == vma->vm_end - addr &&
	    range_free(mm, vma->vm_end, new_len - old_len)) {
		vma_adjust_end(vma, addr + new_len);
		ret = addr;
		goto out;
	}
	ret = -ENOMEM;
	if (flags & MREMAP_MAYMOVE) {
		unsigned long to = get_unmapped_area(k, mm, vma->vm_file, 0, new_len,
						     ((loff_t)vma->vm_pgoff << PAGE_SHIFT) +
						     (addr - vma->vm_start));

		if (to)
			ret = move_vma(k, vma, addr, old_len, new_len, to);
	}
out:
	up_write(k, &mm->mmap_sem);
	return ret;
}
