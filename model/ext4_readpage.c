// SPDX-License-Identifier: GPL-2.0
/*
 * ext4 page-cache (non-DAX) files, v4.14, the read side: the VMA's
 * operations (fs/ext4/file.c ext4_file_vm_ops: ext4_filemap_fault,
 * filemap_map_pages, ext4_page_mkwrite) and the address_space operations
 * that fill a page from the file's blocks (fs/ext4/inode.c ext4_readpage,
 * ext4_readpages -> fs/ext4/readpage.c ext4_mpage_readpages).
 *
 * The block device: a non-DAX file's blocks are on the same device as the
 * DAX files' (the pmem device of the model, used as a plain block device
 * as brd or pmem without -o dax would be); a read copies a block's media
 * content into the page and completes at once.
 */
#include <assert.h>

#include "ext4.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "pmem.h"

/*
 * ext4_mpage_readpages(), v4.14, for one locked page-cache page: a mapped
 * block is read into it; a hole and an unwritten extent read zero
 * (zero_user_segment() on a page that is new, so zero already:
 * alloc_page() gives a page that reads zero). Then SetPageUptodate() and
 * unlock_page(), as the bio's completion does.
 */
static void ext4_read_one_page(struct kernel *k, struct inode *inode, struct page *page)
{
	unsigned long block;

	assert(page->flags & PG_locked);
	if (ext4_block_lookup(inode, page->index, &block) == BLOCK_MAPPED)
		copy_pfn_to_page(k, page, block_pfn(block));
	page->flags |= PG_uptodate;
	unlock_page(page);
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

		lock_page(page);
		if (add_to_page_cache_lru(k, page, mapping, page->index)) {
			unlock_page(page);
			continue;
		}
		ext4_read_one_page(k, mapping->host, page);
	}
	return 0;
}

/* ext4_aops (ordered data mode), v4.14 fs/ext4/inode.c: the read side */
const struct address_space_operations ext4_aops = {
	.readpage	= ext4_readpage,
	.readpages	= ext4_readpages,
};

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
 * ext4_page_mkwrite(), v4.14: a store through a shared mapping of a
 * page-cache page (delayed allocation, the page dirtied, writeback later).
 * Not modelled yet.
 */
static int ext4_page_mkwrite(struct kernel *k, struct vm_fault *vmf)
{
	(void)vmf;
	return not_modelled(k, "a shared write to a page-cache file (ext4_page_mkwrite, dirty pages, writeback)");
}

/* ext4_file_vm_ops, v4.14 fs/ext4/file.c */
const struct vm_operations_struct ext4_file_vm_ops = {
	.fault		= ext4_filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= ext4_page_mkwrite,
};

/*
 * The zeroing of [off, off + len) of index @index in the page cache, if
 * the page is there (ext4_block_zero_page_range() of a page-cache file,
 * model/ext4.c, writes the same zeroes to the block).
 */
void ext4_zero_cached_page(struct kernel *k, struct inode *inode, pgoff_t index,
			   unsigned off, size_t len)
{
	static const uint8_t zeroes[PAGE_SIZE];
	struct page *page = find_lock_page(k, &inode->i_data, index);

	if (!page)
		return;
	if (page->data)		/* a page never stored to reads zero already */
		page_store(k, page, off, zeroes, len);	/* zero_user() */
	unlock_page(page);
	put_page(k, page);
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
		long b = ext4_new_blocks(k, inode, index, end - index, &n);

		if (b < 0)
			return (int)b;
		pmem_fill_flush(k, block_pfn(b), n, value);
		ext_insert(k, inode->blocks, index, n, b, false);
		trace_range_changed(k, inode, index, n);
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
	return 0;
}
