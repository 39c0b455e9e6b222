// SPDX-License-Identifier: GPL-2.0
/*
 * fs/dax.c, Linux v4.0 (read in linux-4.0.5): dax_fault() -> do_dax_fault()
 * with the filesystem's get_block, dax_load_hole(), dax_insert_mapping(),
 * dax_zero_page_range() and dax_truncate_page(). The filesystem is reached
 * only through get_block; the mm through vm_insert_mixed(),
 * unmap_mapping_range() and the page cache (pagemap.h).
 *
 * What v4.0 has not, this file has not: no radix-tree entries for blocks,
 * no DIRTY tags, no writeback on fsync/msync, no PMD fault, no
 * ->pfn_mkwrite, no tracepoints. Every store the kernel makes to pmem here
 * (clear_page of a new block, the memset of dax_zero_page_range) is a CPU
 * store that nothing flushes (v4.0 has no pmem flush API).
 */
#include <string.h>

#include "dax-v4.0.h"
#include "linux_fs.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "pmem.h"
#include "usercopy.h"

/* DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE): the pages inside EOF */
static pgoff_t i_size_pages(const struct inode *inode)
{
	return DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE);
}

/* buffer_written(), fs/dax.c v4.0: mapped and not unwritten */
static bool buffer_written(const struct buffer_head *bh)
{
	return buffer_mapped(bh) && !buffer_unwritten(bh);
}

/*
 * bdev_direct_access() for a block: the pmem pfn of fs block b is
 * PMEM_BASE_PFN + b (pmem.h); 4 KiB blocks, so one page.
 */
static unsigned long dax_get_pfn(const struct buffer_head *bh)
{
	return PMEM_BASE_PFN + bh->b_blocknr;
}

/* clear_user_highpage(): the page reads zero afterwards. */
static void clear_user_highpage(struct page *page)
{
	if (page->data)
		memset(page->data, 0, PAGE_SIZE);
}

/*
 * dax_load_hole(), v4.0 L237: a read of a hole gets a zeroed page-cache
 * page (find_or_create_page with __GFP_ZERO), i_size re-checked under its
 * lock. It returns locked with a reference, which the PTE keeps
 * (do_read_fault -> do_set_pte: a file page, counted in MM_FILEPAGES).
 * It is never marked uptodate or dirty.
 */
static int dax_load_hole(struct kernel *k, struct address_space *mapping,
			 struct page *page, struct vm_fault *vmf)
{
	struct inode *inode = mapping->host;

	if (!page)
		page = find_or_create_page(k, mapping, vmf->pgoff);
	if (!page)
		return VM_FAULT_OOM;
	/* Recheck i_size under page lock to avoid truncate race */
	if (vmf->pgoff >= i_size_pages(inode)) {
		unlock_page(k, page);
		put_page(k, page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return VM_FAULT_LOCKED;
}

/* copy_user_bh(), v4.0: the private copy of a written block */
static int copy_user_bh(struct kernel *k, struct page *to, struct buffer_head *bh)
{
	might_sleep(k, "bdev_direct_access");
	copy_pfn_to_page(k, to, dax_get_pfn(bh));
	return 0;
}

/*
 * dax_insert_mapping(), v4.0 L271: under i_mmap_lock_read re-check i_size
 * (-EIO), zero the block with clear_page() if it is new or unwritten (CPU
 * stores: the lines are dirty in the cache, not durable), and
 * vm_insert_mixed() it with vma->vm_page_prot: read-only in a shared
 * writable VMA (write-notify), even for a write fault. Then b_end_io
 * (ext4 converts an unwritten extent there).
 */
static int dax_insert_mapping(struct kernel *k, struct inode *inode,
			      struct buffer_head *bh, struct vm_area_struct *vma,
			      struct vm_fault *vmf)
{
	struct address_space *mapping = &inode->i_data;
	unsigned long pfn;
	int error;

	/* bug-fault-no-i-mmap-sem: neither the lock nor the second look (v3.19 XIP's shape) */
	bool locked = !SW(k, BUG_FAULT_NO_I_MMAP_SEM);

	if (locked)
		down_read(k, &mapping->i_mmap_rwsem);
	/*
	 * "Check truncate didn't happen while we were allocating a block. If
	 * it did, this block may or may not be still allocated to the file.
	 * We can't tell the filesystem to free it".
	 */
	if (locked && vmf->pgoff >= i_size_pages(inode)) {
		error = -EIO;
		goto out;
	}
	might_sleep(k, "bdev_direct_access");
	pfn = dax_get_pfn(bh);
	if (buffer_unwritten(bh) || buffer_new(bh))
		pmem_store(k, pfn, 0, NULL, PAGE_SIZE);	/* clear_page(addr) */
	error = vm_insert_mixed(k, vma, vmf->address, pfn);
out:
	if (locked)
		up_read(k, &mapping->i_mmap_rwsem);
	if (bh->b_end_io)
		bh->b_end_io(k, bh, 1);
	return error;
}

/*
 * do_dax_fault(), v4.0 L319. The steps in the kernel's order:
 * i_size; a hole page already in the cache (locked, i_size re-checked);
 * get_block(create=0); a hole: a write allocates (get_block create=1, a
 * major fault), a read maps a hole page; a private write (cow_page) copies
 * the block or zeroes and returns VM_FAULT_LOCKED, with the hole page
 * locked or, without one, i_mmap_rwsem held for read (do_cow_fault
 * releases either); else the hole page goes from every mapping of the
 * file and from the page cache, and the block is mapped.
 */
static int do_dax_fault(struct kernel *k, struct vm_area_struct *vma,
			struct vm_fault *vmf, get_block_t get_block)
{
	struct address_space *mapping = &file_inode(vma->vm_file)->i_data;
	struct inode *inode = mapping->host;
	sector_t block = vmf->pgoff;	/* PAGE_SHIFT - i_blkbits == 0 */
	struct buffer_head bh;
	struct page *page;
	int error, major = 0;

	if (vmf->pgoff >= i_size_pages(inode))
		return VM_FAULT_SIGBUS;

	memset(&bh, 0, sizeof(bh));
	bh.b_size = PAGE_SIZE;

	/*
	 * A hole page already cached (v4.0 L342-363): locked, or, when another
	 * task holds it, lock_page_or_retry() drops mmap_sem, waits and the
	 * fault returns VM_FAULT_RETRY. A page truncated meanwhile (its mapping
	 * cleared) sends it back to the lookup; an i_size that shrank, -EIO.
	 */
repeat:
	page = find_get_page(k, mapping, vmf->pgoff);
	if (page) {
		if (!lock_page_or_retry(k, page, vmf)) {
			put_page(k, page);	/* page_cache_release() */
			return VM_FAULT_RETRY;
		}
		if (page->mapping != mapping) {
			unlock_page(k, page);
			put_page(k, page);
			goto repeat;
		}
		if (vmf->pgoff >= i_size_pages(inode)) {
			/* "a struct page covering a hole [...] raced with a truncate" */
			error = -EIO;
			goto unlock_page;
		}
	}

	error = get_block(k, inode, block, &bh, 0);
	if (!error && bh.b_size < PAGE_SIZE)
		error = -EIO;		/* fs corruption? */
	if (error)
		goto unlock_page;

	if (!buffer_mapped(&bh) && !buffer_unwritten(&bh) && !vmf->cow_page) {
		if (!(vmf->flags & FAULT_FLAG_WRITE))
			return dax_load_hole(k, mapping, page, vmf);
		error = get_block(k, inode, block, &bh, 1);
		major = VM_FAULT_MAJOR;	/* count_vm_event(PGMAJFAULT) */
		if (!error && bh.b_size < PAGE_SIZE)
			error = -EIO;
		if (error)
			goto unlock_page;
	}

	if (vmf->cow_page) {
		struct page *new_page = vmf->cow_page;

		if (buffer_written(&bh))
			error = copy_user_bh(k, new_page, &bh);
		else
			clear_user_highpage(new_page);
		if (error)
			goto unlock_page;
		vmf->page = page;
		if (!page) {
			down_read(k, &mapping->i_mmap_rwsem);
			/* Check we didn't race with truncate */
			if (vmf->pgoff >= i_size_pages(inode)) {
				up_read(k, &mapping->i_mmap_rwsem);
				error = -EIO;
				goto out;
			}
		}
		return VM_FAULT_LOCKED;
	}

	/* Check we didn't race with a read fault installing a new page */
	if (!page && major)
		page = find_lock_page(k, mapping, vmf->pgoff);

	if (page) {
		/* even_cows 0: every VMA mapping the hole page, private ones too */
		if (!SW(k, BUG_NO_ZERO_UNMAP))
			unmap_mapping_range(k, mapping, (loff_t)vmf->pgoff << PAGE_SHIFT,
					    PAGE_SIZE, 0);
		delete_from_page_cache(k, page);
		unlock_page(k, page);
		put_page(k, page);
	}

	error = dax_insert_mapping(k, inode, &bh, vma, vmf);

out:
	if (error == -ENOMEM)
		return VM_FAULT_OOM | major;
	/* -EBUSY is fine, somebody else faulted on the same PTE */
	if (error < 0 && error != -EBUSY)
		return VM_FAULT_SIGBUS | major;
	return VM_FAULT_NOPAGE | major;

unlock_page:
	if (page) {
		unlock_page(k, page);
		put_page(k, page);
	}
	if (error != -EIO)	/* the file system's own error (-ENOSPC) */
		k->fault_error = error;
	goto out;
}

/*
 * CPU stores over [off, off + len) of the blocks from @pfn on: @buf's
 * bytes from @done on, or @fill (buf NULL), or zeroes (@zero).
 */
static void dax_store(struct kernel *k, unsigned long pfn, unsigned long off,
		      size_t len, const struct iov_iter *from, size_t done, bool zero)
{
	uint8_t page[PAGE_SIZE];

	if (!zero && !from->buf)
		memset(page, from->fill, sizeof(page));
	while (len) {
		unsigned o = off & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - o;

		if (n > len)
			n = len;
		pmem_store(k, pfn + (off >> PAGE_SHIFT), o,
			   zero ? NULL : from->buf ? from->buf + done : page, n);
		off += n;
		done += n;
		len -= n;
	}
}

/*
 * dax_new_buf(), v4.0 L73: a new or unwritten mapping of @size bytes gets
 * zeroes before the write (its first @first bytes) and after it.
 */
static void dax_new_buf(struct kernel *k, unsigned long pfn, size_t size,
			unsigned first, loff_t pos, loff_t end)
{
	loff_t final = end - pos + first;	/* The final byte of the buffer */

	if (first > 0)
		dax_store(k, pfn, 0, first, NULL, 0, true);
	if (final < (loff_t)size)
		dax_store(k, pfn, final, size - final, NULL, 0, true);
}

/*
 * dax_io(WRITE), v4.0 L101: a get_block(create=1) for each mapping,
 * asked for the rest of the write (b_size = PAGE_ALIGN(end - pos)); a new
 * or unwritten mapping is zeroed around the write (dax_new_buf); then
 * copy_from_iter(): CPU stores, nothing flushed. A get_block error stops
 * it: the bytes written so far, or the error.
 */
ssize_t dax_do_io_write(struct kernel *k, struct inode *inode,
			const struct iov_iter *from, loff_t pos, get_block_t get_block)
{
	loff_t start = pos, end = pos + (loff_t)from->count, max = pos, bh_max = pos;
	struct buffer_head bh;
	unsigned long pfn = 0, size;
	unsigned first = 0;
	int retval = 0;

	memset(&bh, 0, sizeof(bh));
	while (pos < end) {
		if (pos == max) {
			sector_t block = (unsigned long)pos >> PAGE_SHIFT;

			first = pos - ((loff_t)block << PAGE_SHIFT);
			if (pos == bh_max) {
				bh.b_size = round_up((unsigned long)(end - pos), PAGE_SIZE);
				bh.b_state = 0;
				retval = get_block(k, inode, block, &bh, 1);
				if (retval)
					break;
				if (!bh.b_state)	/* !buffer_size_valid() */
					bh.b_size = PAGE_SIZE;
				bh_max = pos - first + (loff_t)bh.b_size;
			} else {
				unsigned long done = bh.b_size - (bh_max - (pos - first));

				bh.b_blocknr += done >> PAGE_SHIFT;
				bh.b_size -= done;
			}
			/*
			 * dax_get_addr() -> bdev_direct_access() (fs/block_dev.c
			 * L441-461): min(avail, b_size), and brd_direct_access()
			 * (drivers/block/brd.c L373-392) gives PAGE_SIZE: one
			 * page a piece, whatever the extent
			 */
			size = bh.b_size < PAGE_SIZE ? bh.b_size : PAGE_SIZE;
			might_sleep(k, "bdev_direct_access");
			pfn = dax_get_pfn(&bh);
			if (buffer_unwritten(&bh) || buffer_new(&bh))
				dax_new_buf(k, pfn, size, first, pos, end);
			max = pos + (loff_t)size - first;
			if (max > end)
				max = end;
		}
		/* copy_from_iter() of [pos, max) to addr + first */
		if (from->mm) {
			/*
			 * From user memory: "if (!len) break" (L161); a short
			 * copy counts, and the next one, from the byte that
			 * faulted, copies nothing. copy_user_handle_tail()
			 * zeroed the rest of [pos, max). Nothing copied: get_block's
			 * 0, not -EFAULT.
			 */
			size_t len = copy_iter_to_pfn(k, from, pos - start, pfn, first, max - pos,
						      STORE_CACHED, false);

			pos += len;
			if (pos < max)
				break;
			continue;
		}
		dax_store(k, pfn, first, max - pos, from, pos - start, false);
		pos = max;
	}
	return pos == start ? retval : pos - start;
}

/*
 * dax_fault(), v4.0 L448: any write fault — shared or private — takes
 * sb_start_pagefault() and updates the file times first.
 */
int dax_fault(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf,
	      get_block_t get_block)
{
	if (vmf->flags & FAULT_FLAG_WRITE)
		file_update_time(k, file_inode(vma->vm_file));
	return do_dax_fault(k, vma, vmf, get_block);
}

/*
 * dax_zero_page_range(), v4.0: get_block(create=0) and, for a written
 * block only, memset() through the kernel mapping: CPU stores, not flushed.
 */
int dax_zero_page_range(struct kernel *k, struct inode *inode, loff_t from,
			unsigned length, get_block_t get_block)
{
	struct buffer_head bh;
	pgoff_t index = (unsigned long)from >> PAGE_SHIFT;
	unsigned offset = from & (PAGE_SIZE - 1);
	int err;

	/* Block boundary? Nothing to do */
	if (!length)
		return 0;
	memset(&bh, 0, sizeof(bh));
	bh.b_size = PAGE_SIZE;
	err = get_block(k, inode, index, &bh, 0);
	if (err < 0)
		return err;
	if (buffer_written(&bh)) {
		might_sleep(k, "bdev_direct_access");
		pmem_store(k, dax_get_pfn(&bh), offset, NULL, length);
	}
	return 0;
}

/* dax_truncate_page(), v4.0: from @from to the end of its page (ext2 calls it; ext4 v4.0 goes through ext4_block_zero_page_range) */
int dax_truncate_page(struct kernel *k, struct inode *inode, loff_t from,
		      get_block_t get_block)
{
	unsigned length = round_up((unsigned long)from, PAGE_SIZE) - (unsigned long)from;

	return dax_zero_page_range(k, inode, from, length, get_block);
}
