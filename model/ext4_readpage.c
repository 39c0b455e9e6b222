// SPDX-License-Identifier: GPL-2.0
/*
 * ext4 page-cache (non-DAX) files, v4.14 (and v4.5, v4.0, v3.19 where
 * they do the same; the differences are policy branches): the VMA's operations
 * (fs/ext4/file.c ext4_file_vm_ops: ext4_filemap_fault, filemap_map_pages,
 * ext4_page_mkwrite) and the address_space operations that fill a page
 * from the file's blocks (fs/ext4/inode.c ext4_readpage, ext4_readpages
 * -> fs/ext4/readpage.c ext4_mpage_readpages) and write it back
 * (ext4_writepage).
 *
 * The block device: a non-DAX file's blocks are on the same device as the
 * DAX files' (the pmem device of the model, used as a plain block device
 * as brd or pmem without -o dax would be); a read copies a block's media
 * content into the page and completes at once.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "ext4.h"
#include "jbd2.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "pmem.h"
#include "truncate.h"
#include "usercopy.h"

/*
 * ext4_mpage_readpages(), v4.14, for one locked page-cache page: a mapped
 * block is read into it; a hole, an unwritten extent and a page past
 * i_size read zero
 * (zero_user_segment() on a page that is new, so zero already:
 * alloc_page() gives a page that reads zero). Then SetPageUptodate() and
 * unlock_page(), as the bio's completion does.
 */
static void ext4_read_one_page(struct kernel *k, struct inode *inode, struct page *page)
{
	unsigned long block;

	assert(page->flags & PG_locked);
	/* the bio is in flight: other threads run, the page stays locked */
	might_sleep(k, "submit_bio");
	/* last_block_in_file: a page past i_size is a hole, whatever is there */
	if (page->index < DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE) &&
	    ext4_block_lookup(inode, page->index, &block) == BLOCK_MAPPED)
		copy_pfn_to_page(k, page, block_pfn(block));
	page->flags |= PG_uptodate;
	unlock_page(k, page);
}

/* ext4_readpage(), v4.14: no inline data in the model */
static int ext4_readpage(struct kernel *k, struct file *file, struct page *page)
{
	(void)file;
	ext4_read_one_page(k, page->mapping->host, page);
	return 0;
}

/*
 * ext4_readpages() -> ext4_mpage_readpages(), v4.14: each page of the
 * pool into the page cache (add_to_page_cache_lru(), which locks it),
 * then read; a page someone else added meanwhile is skipped.
 */
static int ext4_readpages(struct kernel *k, struct file *file,
			  struct address_space *mapping, struct page **pages,
			  unsigned nr_pages)
{
	(void)file;
	for (unsigned i = 0; i < nr_pages; i++) {
		struct page *page = pages[i];

		lock_page(k, page);
		if (add_to_page_cache_lru(k, page, mapping, page->index)) {
			unlock_page(k, page);
			continue;
		}
		ext4_read_one_page(k, mapping->host, page);
	}
	return 0;
}

static int ext4_writepage(struct kernel *k, struct page *page);

/* ext4_aops (ordered data mode), v4.14 fs/ext4/inode.c */
const struct address_space_operations ext4_aops = {
	.readpage	= ext4_readpage,
	.readpages	= ext4_readpages,
	.writepage	= ext4_writepage,
};

/*
 * The block for @index of a page about to hold new data: a hole gets a
 * written block, an unwritten extent is converted (ext4_get_block with
 * create, as -o nodelalloc; delalloc would reserve now and allocate at
 * writeback). 0 or -ENOSPC.
 */
static int ext4_block_for_page(struct kernel *k, struct inode *inode, pgoff_t index)
{
	unsigned long block;
	long b;

	switch (ext4_block_lookup(inode, index, &block)) {
	case BLOCK_HOLE:
		b = ext4_new_block(k, inode, index);
		if (b < 0)
			return (int)b;
		ext4_set_block(k, inode, index, b, false);
		return 0;
	case BLOCK_UNWRITTEN:
		ext4_set_block(k, inode, index, block, false);
		return 0;
	case BLOCK_MAPPED:
		return 0;
	}
	return 0;
}

/*
 * ext4_write_begin(), v4.14 (ext4_da_write_begin() without the delayed
 * allocation): the page at @index locked in the page cache
 * (grab_cache_page_write_begin()), read in first when the write covers
 * only part of it and it is not uptodate (ext4_block_write_begin(): a
 * new page past EOF or over a hole is zero), and its block. NULL with
 * *@err set on -ENOMEM or -ENOSPC.
 */
static struct page *ext4_write_begin(struct kernel *k, struct inode *inode, pgoff_t index,
				     unsigned len, int *err)
{
	struct page *page = find_or_create_page(k, &inode->i_data, index);

	if (!page) {
		*err = -ENOMEM;
		return NULL;
	}
	if (!(page->flags & PG_uptodate) && len < PAGE_SIZE) {
		unsigned long block;

		if (page->index < DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE) &&
		    ext4_block_lookup(inode, index, &block) == BLOCK_MAPPED)
			copy_pfn_to_page(k, page, block_pfn(block));
		page->flags |= PG_uptodate;
	}
	*err = ext4_block_for_page(k, inode, index);
	if (*err) {
		/* a page this call added and never filled goes again */
		if (!(page->flags & PG_uptodate))
			delete_from_page_cache(k, page);
		unlock_page(k, page);
		put_page(k, page);
		return NULL;
	}
	return page;
}

/*
 * write(2) of a page-cache file, v4.14 ext4_file_write_iter() ->
 * __generic_file_write_iter() -> generic_perform_write(): under
 * i_rwsem, generic_write_checks(), file_update_time(), then a page at a
 * time: ->write_begin, the copy into the page, ->write_end
 * (block_write_end(): uptodate, set_page_dirty(); i_size grows to the end
 * of the copy). The data reaches the blocks at writeback (msync, fsync).
 * What was written before an error is returned.
 *
 * From user memory, each page's bytes are faulted in first, before the
 * page is locked ("Otherwise there's a nasty deadlock on copying from the
 * same page as we're writing to"), then copied with page faults disabled
 * (iov_iter_copy_from_user_atomic(), 6.1 copy_page_from_iter_atomic()).
 * v3.19-v4.14's prefault is all or nothing (-EFAULT when any page of the
 * chunk fails); 6.1's faults in up to the first page that fails and
 * -EFAULTs only when that is the first. A short copy into a page that is
 * not uptodate counts nothing (block_write_end(), v4.14 fs/buffer.c
 * L2114-2124); nothing copied, the chunk is tried again (v4.14
 * mm/filemap.c L3121-3134), in 6.1 with the length copied (L3813-3822).
 * A write that ends short past EOF has its blocks past the new EOF
 * truncated (ext4_write_end() -> ext4_truncate_failed_write()).
 */
ssize_t ext4_buffered_write_iter(struct kernel *k, struct file *file, loff_t pos,
				 const struct iov_iter *from)
{
	struct inode *inode = file_inode(file);
	struct iov_iter it = *from;
	size_t done = 0, retry_n = 0;
	int err = 0, retries = 0;

	if (!it.count)
		return 0;
	if (it.direct)
		return ext4_direct_IO_pagecache(k, file, pos, from, true);
	down_write(k, &inode->i_rwsem);
	err = generic_write_checks(k, file, pos, &it);
	if (err) {
		up_write(k, &inode->i_rwsem);
		return err;
	}
	file_update_time(k, inode);
	while (done < it.count) {
		loff_t p = pos + (loff_t)done;
		unsigned off = p & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off, copied;
		struct page *page;

		if (fatal_signal_pending(k))
			break;
		if (n > it.count - done)
			n = it.count - done;
		if (retry_n && n > retry_n)
			n = retry_n;
		retry_n = 0;
		if (it.mm) {
			size_t left = fault_in_iov_iter_readable(k, &it, done, n);

			if (left == n || (left && k->policy.id != POLICY_MODERN)) {
				err = -EFAULT;
				break;
			}
			page = ext4_write_begin(k, inode, (unsigned long)p >> PAGE_SHIFT, n, &err);
			if (!page)
				break;
			copied = copy_iter_to_pfn(k, &it, done, page->pfn, off, n, STORE_CACHED, true);
			if (copied < n && !(page->flags & PG_uptodate)) {
				if (k->policy.id == POLICY_MODERN)
					retry_n = copied;	/* "if (copied) bytes = copied" */
				copied = 0;
				/* the page this call added and never filled goes again */
				delete_from_page_cache(k, page);
			}
			if (copied) {
				page->flags |= PG_uptodate;
				set_page_dirty(k, page);
				if (p + (loff_t)copied > inode->i_size)
					inode->i_size = p + copied;
			}
			unlock_page(k, page);
			put_page(k, page);
			done += copied;
			if (!copied && ++retries > USER_ACCESS_MAX_FAULTS) {
				not_modelled(k, "a buffered write whose atomic copy never goes on");
				break;
			}
			if (copied)
				retries = 0;
			continue;
		}
		page = ext4_write_begin(k, inode, (unsigned long)p >> PAGE_SHIFT, n, &err);
		if (!page)
			break;
		if (it.buf) {
			page_store(k, page, off, it.buf + done, n);
		} else {
			uint8_t fill[PAGE_SIZE];

			memset(fill, it.fill, n);
			page_store(k, page, off, fill, n);
		}
		page->flags |= PG_uptodate;
		set_page_dirty(k, page);
		if (p + (loff_t)n > inode->i_size)
			inode->i_size = p + n;		/* i_size_write() in ->write_end */
		unlock_page(k, page);
		put_page(k, page);
		done += n;
	}
	/* ext4_truncate_failed_write(): blocks past the EOF of a short write */
	if (it.mm && done < it.count &&
	    pos + (loff_t)it.count > round_up(inode->i_size, (loff_t)PAGE_SIZE)) {
		down_write(k, &inode->i_data_sem);
		ext4_remove_blocks(k, inode, DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE),
				   ~0UL);
		up_write(k, &inode->i_data_sem);
	}
	up_write(k, &inode->i_rwsem);
	return done ? (ssize_t)done : err;
}

/* ext4_filemap_fault(), v4.14 fs/ext4/inode.c: against truncate and punch */
static int ext4_filemap_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	int ret;

	down_read(k, &inode->i_mmap_sem);
	ret = filemap_fault(k, vmf);
	up_read(k, &inode->i_mmap_sem);
	return ret;
}

/*
 * ext4_page_mkwrite(), v4.14 fs/ext4/inode.c: a store through a shared
 * mapping is about to make @page writable. file_update_time(); under
 * i_mmap_sem, block_page_mkwrite(): the page locked, still this file's
 * and not past i_size (else VM_FAULT_NOPAGE: the fault retries), a block
 * for it, set_page_dirty(), returned locked (VM_FAULT_LOCKED).
 *
 * The block: v4.14's default (delalloc) only reserves one here
 * (ext4_da_get_block_prep) and allocates at writeback; the model
 * allocates now, as ext4 mounted -o nodelalloc does (ext4_get_block: a
 * hole gets a written block, an unwritten extent is converted; the page
 * already holds the data, so the block's old bytes are never seen: the
 * page is written there before it can leave the cache). -ENOSPC is
 * SIGBUS (block_page_mkwrite_return()).
 */
/*
 * i_mmap_sem came with v4.5 ("ext4: fix races between page faults and
 * hole punching"): v4.0's and v3.19's ext4_page_mkwrite() (fs/ext4/inode.c
 * L5081, L5001) take no lock of ext4's around block_page_mkwrite(), and
 * their ->fault is filemap_fault() itself (ext4_file_vm_ops_v4_0).
 */
static bool ext4_has_i_mmap_sem(const struct kernel *k)
{
	return k->policy.id != POLICY_DAX_2014 && k->policy.id != POLICY_XIP_2014;
}

static int ext4_page_mkwrite(struct kernel *k, struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct inode *inode = file_inode(file);
	struct page *page = vmf->page;
	unsigned long block;
	int ret = VM_FAULT_LOCKED;

	file_update_time(k, inode);
	if (ext4_has_i_mmap_sem(k))
		down_read(k, &inode->i_mmap_sem);
	lock_page(k, page);
	if (page->mapping != &inode->i_data ||
	    (loff_t)page->index << PAGE_SHIFT > inode->i_size) {
		unlock_page(k, page);
		ret = VM_FAULT_NOPAGE;
		goto out;
	}
	switch (ext4_block_lookup(inode, page->index, &block)) {
	case BLOCK_HOLE: {
		long b = ext4_new_block(k, inode, page->index);

		if (b < 0) {
			unlock_page(k, page);
			k->fault_error = (int)b;
			ret = VM_FAULT_SIGBUS;
			goto out;
		}
		ext4_set_block(k, inode, page->index, b, false);
		break;
	}
	case BLOCK_UNWRITTEN:
		ext4_set_block(k, inode, page->index, block, false);
		break;
	case BLOCK_MAPPED:
		break;
	}
	set_page_dirty(k, page);
out:
	if (ext4_has_i_mmap_sem(k))
		up_read(k, &inode->i_mmap_sem);
	return ret;
}

/*
 * ext4_writepage(), v4.14 (ext4_bio_write_page()): the page's bytes to
 * its block, which the model's device makes durable at once
 * (end_page_writeback() follows), then unlock. Each dirty page has its
 * block (ext4_page_mkwrite()).
 */
static int ext4_writepage(struct kernel *k, struct page *page)
{
	struct inode *inode = page->mapping->host;
	unsigned long block = 0;
	uint8_t buf[PAGE_SIZE];
	enum block_state st = ext4_block_lookup(inode, page->index, &block);

	assert(st == BLOCK_MAPPED);
	(void)st;
	page_read(page, 0, buf, PAGE_SIZE);
	pmem_write_flush(k, block_pfn(block), 0, buf, PAGE_SIZE);
	unlock_page(k, page);
	return 0;
}

/* ext4_file_vm_ops, v4.14 fs/ext4/file.c (v4.5 L306 the same) */
const struct vm_operations_struct ext4_file_vm_ops = {
	.fault		= ext4_filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= ext4_page_mkwrite,
};

/*
 * ext4_file_vm_ops, v4.0 fs/ext4/file.c L214 (v3.19 L214: the same, and
 * .remap_pages for remap_file_pages(), which the language does not have):
 * .fault is filemap_fault() itself, no i_mmap_sem.
 */
const struct vm_operations_struct ext4_file_vm_ops_v4_0 = {
	.fault		= filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= ext4_page_mkwrite,
};

/*
 * __ext4_block_zero_page_range(), v4.14 fs/ext4/inode.c (v4.0 L3210,
 * v4.5 and v3.19 alike): a page-cache file's partial block zeroed, [from,
 * from + length) inside one block. The kernel zeroes the page in the page
 * cache (grab_cache_page(), reading it first) and dirties it for
 * writeback; the model writes the zeroes through at once: to the cached
 * page, if any, and to the block, if mapped. What a later read or fault
 * sees is the same.
 */
void __ext4_block_zero_page_range(struct kernel *k, struct inode *inode, loff_t from,
				  loff_t length)
{
	static const uint8_t zeroes[PAGE_SIZE];
	unsigned off = from & (PAGE_SIZE - 1);
	pgoff_t index = (unsigned long)from >> PAGE_SHIFT;
	struct page *page = find_lock_page(k, &inode->i_data, index);
	unsigned long block;

	if (page) {
		if (page->data)	/* a page never stored to reads zero already */
			page_store(k, page, off, zeroes, length);	/* zero_user() */
		unlock_page(k, page);
		put_page(k, page);
	}
	if (ext4_block_lookup(inode, index, &block) == BLOCK_MAPPED)
		pmem_write_flush(k, block_pfn(block), off, NULL, length);
}

/*
 * A page-cache file that was written earlier, synced and then dropped
 * from the page cache (echo 1 > /proc/sys/vm/drop_caches): @size bytes of
 * @value in blocks on the device, allocated an extent at a time lowest
 * free first (as a write(2) and its writeback would, without delayed
 * allocation's choices), and an empty page cache. -ENOSPC when the device
 * is full (nothing is undone: the caller stops the run).
 */
int ext4_create_cold(struct kernel *k, struct inode *inode, loff_t size, uint8_t value)
{
	pgoff_t index = 0, end = DIV_ROUND_UP((unsigned long)size, PAGE_SIZE);

	while (index < end) {
		unsigned long n;
		long b = ext4_new_filled_run(k, inode, index, end - index, &n, value);

		if (b < 0)
			return (int)b;
		index += n;
	}
	if (size & (PAGE_SIZE - 1)) {	/* the last block's bytes past i_size are zero */
		static const uint8_t zeroes[PAGE_SIZE];
		unsigned off = size & (PAGE_SIZE - 1);
		unsigned long blk = 0;

		ext4_block_lookup(inode, end - 1, &blk);
		pmem_write_flush(k, block_pfn(blk), off, zeroes, PAGE_SIZE - off);
	}
	inode->i_size = size;
	jbd2_journal_commit(k);	/* and the fsync: committed */
	return 0;
}

/*
 * O_DIRECT on a page-cache file, v4.14. A read: generic_file_read_iter()
 * -> filemap_write_and_wait_range() over the range, ext4_direct_IO() ->
 * ext4_direct_IO_read() under inode_lock_shared() (fs/ext4/inode.c
 * L3700-3725) -> __blockdev_direct_IO(). A write: ext4_file_write_iter()
 * under inode_lock() -> __generic_file_write_iter() ->
 * generic_file_direct_write() (mm/filemap.c L2950-3010): writeback and
 * invalidate_inode_pages2_range() of the range (its pages unmapped and
 * dropped), ->direct_IO, the invalidation again, i_size to the end
 * written. An offset, length or buffer not aligned to the device's
 * logical block (512 bytes) is -EINVAL (do_blockdev_direct_IO(), fs/
 * direct-io.c L1200-1215). The buffer's pages are taken first with
 * get_user_pages_fast() (dio_refill_pages() -> iov_iter_get_pages(),
 * FOLL_WRITE for a read: a page it cannot get ends the I/O there, -EFAULT
 * when it is the first), the device transfers the blocks to or from them
 * (a hole reads zero; a write into a hole or unwritten block makes it a
 * written block, the rest of it zeroed: dio_zero_block()), the task
 * sleeps until the I/O completes, a read dirties the pages
 * (dio_bio_complete(): set_page_dirty_lock()), and the pages are put.
 * A read stops at i_size. The same in every era here: v3.19, v4.0 and
 * v4.5 have this path; 6.1's ext4_dio_read_iter() -> iomap_dio_rw() zeroes
 * a hole's part of the buffer with a CPU copy instead (not modelled apart).
 */
ssize_t ext4_direct_IO_pagecache(struct kernel *k, struct file *file, loff_t pos,
				 const struct iov_iter *it, bool write)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = &inode->i_data;
	struct iov_iter io = *it;
	unsigned long *pages = NULL, first;
	size_t len, done = 0, covered;
	unsigned nr = 0;
	ssize_t ret = 0;

	if (((unsigned long)pos | it->count | it->addr) & 511)
		return -EINVAL;
	if (!it->count)
		return 0;
	if (write)
		down_write(k, &inode->i_rwsem);
	else
		down_read(k, &inode->i_rwsem);
	if (write) {
		ret = generic_write_checks(k, file, pos, &io);
		if (ret)
			goto out;
		file_update_time(k, inode);
	}
	len = io.count;
	first = (unsigned long)pos >> PAGE_SHIFT;
	if (mapping->nrpages) {
		write_cache_pages(k, mapping, first, (unsigned long)(pos + (loff_t)len - 1) >> PAGE_SHIFT);
		if (write)
			invalidate_inode_pages2_range(k, mapping, first,
						      (unsigned long)(pos + (loff_t)len - 1) >> PAGE_SHIFT);
	}
	if (!write) {
		if (pos >= inode->i_size) {
			ret = 0;
			goto out;
		}
		if (pos + (loff_t)len > inode->i_size)
			len = inode->i_size - pos;
	}
	pages = g_new(unsigned long, (len >> PAGE_SHIFT) + 2);
	nr = gup_iter_pages(k, &io, 0, len, !write, pages);
	covered = nr ? ((io.addr & PAGE_MASK) + ((unsigned long)nr << PAGE_SHIFT)) - io.addr : 0;
	if (covered > len)
		covered = len;
	if (!covered) {
		ret = -EFAULT;
		goto out;
	}
	might_sleep(k, "dio_await_completion");		/* the I/O in flight */
	while (done < covered) {
		loff_t p = pos + (loff_t)done;
		unsigned long ua = io.addr + done, block = 0;
		unsigned bo = p & (PAGE_SIZE - 1), uo = ua & (PAGE_SIZE - 1);
		size_t n = covered - done;
		unsigned long upfn = pages[((ua & PAGE_MASK) - (io.addr & PAGE_MASK)) >> PAGE_SHIFT];
		pgoff_t index = (unsigned long)p >> PAGE_SHIFT;
		enum block_state st;

		if (n > PAGE_SIZE - bo)
			n = PAGE_SIZE - bo;
		if (n > PAGE_SIZE - uo)
			n = PAGE_SIZE - uo;
		st = ext4_block_lookup(inode, index, &block);
		if (write) {
			int err = ext4_block_for_page(k, inode, index);

			if (err) {
				if (!done)
					ret = err;
				break;
			}
			ext4_block_lookup(inode, index, &block);
			if (st != BLOCK_MAPPED) {	/* dio_zero_block(): the rest of a new block */
				if (bo)
					pmem_write_flush(k, block_pfn(block), 0, NULL, bo);
				if (bo + n < PAGE_SIZE)
					pmem_write_flush(k, block_pfn(block), bo + n, NULL,
							 PAGE_SIZE - bo - n);
			}
		}
		dio_copy(k, upfn, uo, st == BLOCK_MAPPED || write ? block_pfn(block) : 0, bo, n,
			 write);
		if (!write)
			set_page_dirty(k, pfn_to_page(k, upfn));
		done += n;
	}
	ret = done ? (ssize_t)done : ret;
	if (write && done) {
		if (pos + (loff_t)done > inode->i_size)
			inode->i_size = pos + done;
		if (mapping->nrpages)
			invalidate_inode_pages2_range(k, mapping, first,
						      (unsigned long)(pos + (loff_t)done - 1) >> PAGE_SHIFT);
	}
out:
	if (nr)
		gup_put_pages(k, pages, nr);
	g_free(pages);
	if (write)
		up_write(k, &inode->i_rwsem);
	else
		up_read(k, &inode->i_rwsem);
	return ret;
}
