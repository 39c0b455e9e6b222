// SPDX-License-Identifier: GPL-2.0
/*
 * mm/filemap_xip.c as of Linux v3.19.8, the last release with it (policy
 * xip-2014): the XIP fault, read(2), write(2), mmap and the truncate helper
 * for a filesystem that hands out its blocks through
 * mapping->a_ops->get_xip_mem (ext2 -o xip: ext2-xip-v3.19.c). Holes are
 * mapped by one global "sparse page", an ordinary zeroed DRAM page mapped
 * with vm_insert_page(): a reference, an rmap count and MM_FILEPAGES for
 * every PTE. No page cache, no radix-tree entries, no dirty tracking.
 * `L<n>` is a line of mm/filemap_xip.c in linux-3.19.8;
 * docs/eras/xip-2014.md has the rest.
 */
#include <assert.h>
#include <string.h>

#include "filemap_xip.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"
#include "usercopy.h"

static int get_xip_mem(struct kernel *k, struct address_space *mapping,
		       pgoff_t pgoff, int create, unsigned long *pfn)
{
	return mapping->a_ops->get_xip_mem(k, mapping, pgoff, create, pfn);
}

/*
 * xip_sparse_page(), L33-41, under xip_sparse_mutex: alloc_page(GFP_HIGHUSER
 * | __GFP_ZERO) at first use; the reference of __xip_sparse_page is never
 * dropped. Not ZERO_PAGE(0), not in any page cache (page->mapping NULL).
 */
static struct page *xip_sparse_page(struct kernel *k)
{
	if (!k->xip_sparse_page) {
		struct page *page = alloc_page(k);

		if (page)
			k->xip_sparse_page = page;
	}
	return k->xip_sparse_page;
}

/*
 * page_check_address(), mm/rmap.c: the PTE at @address if it is present
 * and maps @page.
 */
static pte_t *page_check_address(struct page *page, struct mm_struct *mm,
				 unsigned long address)
{
	pte_t *ptep = pte_lookup(mm, address);

	if (!ptep || !pte_present(*ptep) || pte_pfn(*ptep) != page->pfn)
		return NULL;
	return ptep;
}

/*
 * __xip_unmap(), L163-208: every VMA of i_mmap over @pgoff, shared or
 * private, loses a PTE that maps the sparse page there: cleared, rmap,
 * MM_FILEPAGES and the PTE's reference dropped. An anonymous COW copy of
 * it is another page and stays. (The xip_sparse_seq retry only matters
 * against a concurrent fault; with one thread the walk never retries.)
 */
static void __xip_unmap(struct kernel *k, struct address_space *mapping,
			pgoff_t pgoff)
{
	struct page *page = k->xip_sparse_page;
	struct vm_area_struct *vma;

	if (!page)
		return;
	down_read(k, &mapping->i_mmap_rwsem);	/* i_mmap_lock_read() */
	vma_interval_tree_foreach(vma, &mapping->i_mmap, pgoff, pgoff) {
		struct mm_struct *mm = vma->vm_mm;
		unsigned long address = vma->vm_start +
					((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		pte_t *pte = page_check_address(page, mm, address);
		pte_t pteval;

		if (!pte)
			continue;
		pteval = ptep_get_and_clear(k, vma, address, pte);	/* ptep_clear_flush() */
		page_remove_rmap(page);
		mm->rss[MM_FILEPAGES]--;		/* dec_mm_counter() */
		assert(!pte_dirty(pteval));		/* BUG_ON(pte_dirty(pteval)) */
		put_page(k, page);			/* page_cache_release() */
	}
	up_read(k, &mapping->i_mmap_rwsem);
}

/*
 * The test at L242-244, on the VMA's flags, not the fault's: a VMA that
 * is or may become shared and writable allocates blocks even on a read
 * fault. A MAP_SHARED PROT_READ mapping of a file opened O_RDWR has
 * VM_MAYWRITE; of a file opened O_RDONLY it has neither VM_MAYWRITE nor
 * VM_SHARED (only VM_MAYSHARE). The filesystem is never read-only here.
 */
static bool xip_vma_may_write_shared(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_WRITE | VM_MAYWRITE)) &&
	       (vma->vm_flags & (VM_SHARED | VM_MAYSHARE));
}

/*
 * xip_file_fault(), L217-298. i_size is read once, with no lock, and never
 * again: nothing excludes a truncate between this test and the PTE
 * (docs/eras/xip-2014.md §5). A block found is mapped with
 * vm_insert_mixed() (a special PTE with vm_page_prot: read-only in a
 * shared writable VMA, whatever the fault); a hole is either allocated
 * (a VMA that may write shared: the block is zeroed, the sparse page
 * unmapped from every VMA at that index) or mapped by the sparse page.
 * Never VM_FAULT_MAJOR. A private write fault comes here from
 * do_cow_fault(), gets the block or the sparse page mapped read-only and
 * VM_FAULT_NOPAGE: the store faults again and do_wp_page() copies.
 */
static int xip_file_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct address_space *mapping = &file_inode(vma->vm_file)->i_data;
	struct inode *inode = mapping->host;
	unsigned long pfn;
	struct page *page;
	pgoff_t size;
	int error, err;

again:
	size = DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE);
	if (vmf->pgoff >= size && !SW(k, BUG_NO_ISIZE_CHECK))
		return VM_FAULT_SIGBUS;

	error = get_xip_mem(k, mapping, vmf->pgoff, 0, &pfn);
	if (error && error != -ENODATA)
		return VM_FAULT_OOM;

	if (error && !xip_vma_may_write_shared(vma)) {
		/* L270-297: map the sparse page */
		int ret = VM_FAULT_OOM;

		down_write(k, &k->xip_sparse_mutex);	/* + write_seqcount_begin() */
		error = get_xip_mem(k, mapping, vmf->pgoff, 0, &pfn);
		if (!error) {
			up_write(k, &k->xip_sparse_mutex);
			goto again;
		}
		if (error != -ENODATA)
			goto out;
		page = xip_sparse_page(k);
		if (!page)
			goto out;
		err = vm_insert_page(k, vma, vmf->address, page);
		if (err == -ENOMEM)
			goto out;
		ret = VM_FAULT_NOPAGE;
out:
		up_write(k, &k->xip_sparse_mutex);
		return ret;
	}

	if (error) {
		/*
		 * L246-255: "maybe shared writable, allocate new block".
		 * bug-xip-no-sparse-mutex allocates without the mutex.
		 */
		if (!SW(k, BUG_XIP_NO_SPARSE_MUTEX))
			down_write(k, &k->xip_sparse_mutex);
		error = get_xip_mem(k, mapping, vmf->pgoff, 1, &pfn);
		if (!SW(k, BUG_XIP_NO_SPARSE_MUTEX))
			up_write(k, &k->xip_sparse_mutex);
		if (error) {
			k->fault_error = error;
			return VM_FAULT_SIGBUS;
		}
		__xip_unmap(k, mapping, vmf->pgoff);
	}

	/* found: L257-268 */
	err = vm_insert_mixed(k, vma, vmf->address, pfn);
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	/* -EBUSY: a racing fault mapped it; anything else is a BUG_ON */
	assert(!err || err == -EBUSY);
	return VM_FAULT_NOPAGE;
}

/*
 * xip_file_vm_ops, L301-305. ->page_mkwrite is set (it makes a shared
 * writable VMA's vm_page_prot read-only, vma_wants_writenotify()) but is
 * never called: a shared writable VMA never maps the sparse page, and
 * do_wp_page() on a special PTE in a shared writable VM_MIXEDMAP VMA
 * reuses it with no filesystem call. The model's member is a fault
 * function that mmsim asserts is never reached. No ->pfn_mkwrite (v4.1),
 * no ->map_pages (no fault-around), no ->huge_fault.
 */
static int filemap_page_mkwrite(struct kernel *k, struct vm_fault *vmf)
{
	assert(!"filemap_page_mkwrite reached for an XIP VMA");
	return VM_FAULT_SIGBUS;
}

const struct vm_operations_struct xip_file_vm_ops = {
	.fault		= xip_file_fault,
	.page_mkwrite	= filemap_page_mkwrite,
};

/* xip_file_mmap(), L307-315: file_accessed() (atime) is not modelled */
int xip_file_mmap(struct kernel *k, struct file *file, struct vm_area_struct *vma)
{
	assert(file_inode(file)->i_data.a_ops->get_xip_mem);
	vma->vm_ops = &xip_file_vm_ops;
	vma->vm_flags |= VM_MIXEDMAP;
	return 0;
}

/*
 * do_xip_mapping_read(), L52-148, via xip_file_read(): i_size read once,
 * no lock; a page at a time, a hole (-ENODATA) reads zero (__clear_user()),
 * a block is read through the CPU's view of it (dirty lines included,
 * __copy_to_user()). Into user memory the copy faults on the buffer; a
 * page it could not copy whole ends the read, and (L124-131: "if (left)
 * { error = -EFAULT; goto out; }" before "copied += (nr - left)") the
 * bytes it did copy there are not counted.
 */
ssize_t xip_file_read(struct kernel *k, struct file *file, loff_t pos,
		      const struct iov_iter *to)
{
	size_t len = to->count;
	struct address_space *mapping = &file_inode(file)->i_data;
	loff_t isize = mapping->host->i_size;
	pgoff_t index = (unsigned long)pos >> PAGE_SHIFT;
	pgoff_t end_index;
	unsigned long offset = pos & (PAGE_SIZE - 1);
	size_t copied = 0;
	int error = 0;

	if (!isize)
		return 0;
	end_index = (unsigned long)(isize - 1) >> PAGE_SHIFT;
	do {
		unsigned long nr = PAGE_SIZE, pfn;

		if (index >= end_index) {
			if (index > end_index)
				break;
			nr = ((isize - 1) & (PAGE_SIZE - 1)) + 1;
			if (nr <= offset)
				break;
		}
		nr -= offset;
		if (nr > len - copied)
			nr = len - copied;
		error = get_xip_mem(k, mapping, index, 0, &pfn);
		if (error && error != -ENODATA)
			break;
		if (copy_pfn_to_iter(k, to, copied, error ? 0 : pfn, offset, nr) < nr) {
			error = -EFAULT;
			break;
		}
		error = 0;
		copied += nr;
		offset += nr;
		index += offset >> PAGE_SHIFT;
		offset &= PAGE_SIZE - 1;
	} while (copied < len);
	return copied ? (ssize_t)copied : error;
}

/*
 * __copy_from_user_nocache(), arch/x86/lib/copy_user_nocache_64.S v3.19:
 * fewer than 8 bytes are copied with ordinary stores; otherwise the bytes
 * up to an 8-byte aligned destination with ordinary stores, every whole
 * 8-byte word with movnti, the rest with ordinary stores, then sfence.
 * The words reach the media; the head and tail bytes stay in the CPU
 * cache. (A whole page of one byte is all words.)
 */
static size_t copy_from_user_nocache(struct kernel *k, unsigned long pfn, unsigned off,
				     const struct iov_iter *from, size_t done, size_t n)
{
	uint8_t page[PAGE_SIZE];
	const uint8_t *src = from->buf ? from->buf + done : page;
	size_t head = n >= 8 ? (8 - (off & 7)) & 7 : 0;
	size_t words = n >= 8 ? (n - head) & ~(size_t)7 : 0;
	size_t tail = n - head - words;

	/* user memory: faults, and zeroes the rest after a short copy (zerorest 1) */
	if (from->mm)
		return copy_iter_to_pfn(k, from, done, pfn, off, n, STORE_NOCACHE, false);
	if (!from->buf && !off && n == PAGE_SIZE) {
		pmem_fill_flush(k, pfn, 1, from->fill);
		return n;
	}
	if (!from->buf)
		memset(page, from->fill, n);
	if (head)
		pmem_store(k, pfn, off, src, head);
	if (words)
		pmem_write_flush(k, pfn, off + head, src + head, words);
	if (tail)
		pmem_store(k, pfn, off + head + words, src + head + words, tail);
	return n;
}

/*
 * xip_file_write() and __xip_file_write(), L319-433: under i_mutex,
 * generic_write_checks() (-EFBIG at or past s_maxbytes, a write crossing
 * it cut short), file_update_time(), then a page at a time: a hole is allocated
 * (get_xip_mem create 1, which zeroes the block) and the sparse page
 * unmapped at that index; the bytes are copied with
 * __copy_from_user_nocache(). i_size grows to the end written.
 */
ssize_t xip_file_write(struct kernel *k, struct file *file, loff_t pos,
		       const struct iov_iter *from)
{
	struct address_space *mapping = &file_inode(file)->i_data;
	struct inode *inode = mapping->host;
	size_t count = from->count, written = 0;
	int status = 0;

	down_write(k, &inode->i_rwsem);		/* mutex_lock(&inode->i_mutex) */
	/* generic_write_checks(), mm/filemap.c v3.19: the fs's size limit */
	if (pos >= k->sb.s_maxbytes && (count || pos > k->sb.s_maxbytes)) {
		up_write(k, &inode->i_rwsem);
		return -EFBIG;
	}
	if (pos + (loff_t)count > k->sb.s_maxbytes)
		count = k->sb.s_maxbytes - pos;
	if (!count) {
		up_write(k, &inode->i_rwsem);
		return 0;
	}
	file_update_time(k, inode);
	do {
		pgoff_t index = (unsigned long)pos >> PAGE_SHIFT;
		unsigned offset = pos & (PAGE_SIZE - 1);
		size_t bytes = PAGE_SIZE - offset, copied;
		unsigned long pfn;

		if (bytes > count)
			bytes = count;
		status = get_xip_mem(k, mapping, index, 0, &pfn);
		if (status == -ENODATA) {
			down_write(k, &k->xip_sparse_mutex);
			status = get_xip_mem(k, mapping, index, 1, &pfn);
			up_write(k, &k->xip_sparse_mutex);
			if (!status)
				__xip_unmap(k, mapping, index);
		}
		if (status)
			break;
		/*
		 * L360-375: what was copied counts; a short copy is -EFAULT
		 * and ends the write (the rest of the page zeroed, above).
		 */
		copied = copy_from_user_nocache(k, pfn, offset, from, written, bytes);
		written += copied;
		count -= copied;
		pos += copied;
		if (copied != bytes) {
			status = -EFAULT;
			break;
		}
		/* Not v3.19: the driver's limits stop a huge write here. */
		if (count && fatal_signal_pending(k))
			break;
	} while (count);
	if (pos > inode->i_size)
		inode->i_size = pos;	/* i_size_write(), mark_inode_dirty() */
	up_write(k, &inode->i_rwsem);
	return written ? (ssize_t)written : status;
}

/*
 * xip_truncate_page(), L445-479: zero from @from to the end of its block,
 * if the block is allocated, with memset: ordinary stores, left in the
 * CPU cache.
 */
int xip_truncate_page(struct kernel *k, struct address_space *mapping, loff_t from)
{
	pgoff_t index = (unsigned long)from >> PAGE_SHIFT;
	unsigned offset = from & (PAGE_SIZE - 1);
	unsigned long pfn;
	int err;

	if (!offset)		/* "Block boundary? Nothing to do" */
		return 0;
	err = get_xip_mem(k, mapping, index, 0, &pfn);
	if (err == -ENODATA)	/* "Hole? No need to truncate" */
		return 0;
	if (err)
		return err;
	pmem_store(k, pfn, offset, NULL, PAGE_SIZE - offset);
	return 0;
}
