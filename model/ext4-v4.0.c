// SPDX-License-Identifier: GPL-2.0
/*
 * ext4's DAX side as of Linux v4.0 (policy dax-2014; read in linux-4.0.5):
 * fs/ext4/inode.c _ext4_get_block() / ext4_get_block() over the block map,
 * ext4_end_io_unwritten(), ext4_setattr() and ext4_truncate() for the size,
 * ext4_punch_hole() and ext4_zero_partial_blocks(); fs/ext4/file.c
 * ext4_dax_fault(), ext4_dax_mkwrite(), ext4_dax_vm_ops, ext4_file_mmap()
 * and ext4_dax_file_operations; fs/ext4/fsync.c ext4_sync_file().
 * docs/eras/dax-2014.md cites each step. v4.0 has no i_mmap_sem: nothing
 * of ext4's excludes a fault from truncate or punch hole.
 */
#include <assert.h>
#include <string.h>

#include "dax-v4.0.h"
#include "ext4.h"
#include "lock.h"
#include "mm.h"
#include "truncate.h"

/*
 * ext4_end_io_unwritten(), v4.0 L663: the b_end_io of an unwritten block
 * handed to DAX: the extent is converted to written
 * (ext4_convert_unwritten_extents). dax_insert_mapping() calls it after
 * mapping, a read fault too.
 */
static void ext4_end_io_unwritten(struct kernel *k, struct buffer_head *bh,
				  int uptodate)
{
	struct inode *inode = bh->b_assoc_map;

	if (!uptodate)
		return;
	assert(buffer_unwritten(bh));
	ext4_set_block(k, inode, bh->b_private, bh->b_blocknr, false);
}

/*
 * _ext4_get_block() -> ext4_map_blocks(), v4.0 L677, for one 4 KiB block
 * (DAX asks b_size = PAGE_SIZE). A hole without @create leaves @bh as it
 * was (b_state 0: "can't trust b_size"). With EXT4_GET_BLOCKS_CREATE a
 * hole gets a new block, written and BH_New, **not zeroed** (v4.0 has no
 * EXT4_GET_BLOCKS_ZERO: fs/dax.c clear_page()s it). An unwritten block is
 * BH_Unwritten with ext4_end_io_unwritten as b_end_io.
 */
int ext4_get_block(struct kernel *k, struct inode *inode, unsigned long iblock,
		   struct buffer_head *bh, int create)
{
	unsigned long block;
	enum block_state st = ext4_block_lookup(inode, iblock, &block);

	if (st == BLOCK_HOLE && !create)
		return 0;
	if (st == BLOCK_HOLE) {
		long b = ext4_new_block(k, inode, iblock);

		if (b < 0)
			return (int)b;
		block = b;
		ext4_set_block(k, inode, iblock, block, false);
		bh->b_state = BH_Mapped | BH_New;	/* EXT4_MAP_NEW | EXT4_MAP_MAPPED */
	} else if (st == BLOCK_UNWRITTEN) {
		bh->b_state = BH_Unwritten;		/* EXT4_MAP_UNWRITTEN */
		bh->b_assoc_map = inode;
		bh->b_private = iblock;
		bh->b_end_io = ext4_end_io_unwritten;
	} else {
		bh->b_state = BH_Mapped;
	}
	bh->b_blocknr = block;			/* map_bh() */
	bh->b_size = PAGE_SIZE;
	return 0;
}

/* ext4_dax_fault(), v4.0 fs/ext4/file.c: "Is this the right get_block?" */
static int ext4_dax_fault(struct kernel *k, struct vm_fault *vmf)
{
	return dax_fault(k, vmf->vma, vmf, ext4_get_block);
}

static int ext4_dax_mkwrite(struct kernel *k, struct vm_fault *vmf)
{
	return dax_mkwrite(k, vmf->vma, vmf, ext4_get_block);
}

/*
 * ext4_dax_vm_ops, v4.0 fs/ext4/file.c L206: no ->pfn_mkwrite (v4.1), no
 * ->huge_fault or ->pmd_fault (v4.3), no ->map_pages.
 */
const struct vm_operations_struct ext4_dax_vm_ops_v4_0 = {
	.fault		= ext4_dax_fault,
	.page_mkwrite	= ext4_dax_mkwrite,
};

/* ext4_file_mmap(), v4.0 L220: VM_MIXEDMAP, no VM_HUGEPAGE */
static int ext4_file_mmap(struct kernel *k, struct file *file,
			  struct vm_area_struct *vma)
{
	assert(IS_DAX(file_inode(file)));
	vma->vm_ops = &ext4_dax_vm_ops_v4_0;
	vma->vm_flags |= VM_MIXEDMAP;
	return 0;
}

/*
 * ext4_block_zero_page_range(), v4.0 L3302: clipped to the block, then
 * dax_zero_page_range(), which zeroes written blocks only, with CPU
 * stores nothing flushes.
 */
static void ext4_block_zero_page_range(struct kernel *k, struct inode *inode,
				       loff_t from, loff_t length)
{
	unsigned offset = from & (PAGE_SIZE - 1);
	loff_t max = PAGE_SIZE - offset;

	if (length > max || length < 0)
		length = max;
	dax_zero_page_range(k, inode, from, length, ext4_get_block);
}

/* ext4_zero_partial_blocks(), v4.0 L3338 */
static void ext4_zero_partial_blocks(struct kernel *k, struct inode *inode,
				     loff_t lstart, loff_t length)
{
	loff_t byte_end = lstart + length - 1;
	unsigned partial_start = lstart & (PAGE_SIZE - 1);
	unsigned partial_end = byte_end & (PAGE_SIZE - 1);
	pgoff_t start = (unsigned long)lstart >> PAGE_SHIFT;
	pgoff_t end = (unsigned long)byte_end >> PAGE_SHIFT;

	if (start == end && (partial_start || partial_end != PAGE_SIZE - 1)) {
		ext4_block_zero_page_range(k, inode, lstart, length);
		return;
	}
	if (partial_start)
		ext4_block_zero_page_range(k, inode, lstart, PAGE_SIZE);
	if (partial_end != PAGE_SIZE - 1)
		ext4_block_zero_page_range(k, inode, byte_end - partial_end,
					   partial_end + 1);
}

/*
 * ext4_truncate(), v4.0 L3579: the tail of the last block past i_size is
 * zeroed (ext4_block_truncate_page -> dax_zero_page_range), then the
 * blocks from DIV_ROUND_UP(i_size) on are freed.
 */
static void ext4_truncate(struct kernel *k, struct inode *inode)
{
	if (inode->i_size & (PAGE_SIZE - 1))
		ext4_block_zero_page_range(k, inode, inode->i_size, PAGE_SIZE);
	ext4_remove_blocks(k, inode, DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE),
			   ~0UL);
}

/*
 * ext4_setattr() with ATTR_SIZE, v4.0 L4528: a new size is written
 * (i_size_write) and the page cache truncated (truncate_pagecache: the
 * hole pages past EOF and every PTE there, COW pages too); ext4_truncate()
 * runs for any ATTR_SIZE, the same size included. No lock of ext4's keeps
 * faults out (there is no i_mmap_sem in v4.0).
 */
static int ext4_setattr(struct kernel *k, struct inode *inode, loff_t size)
{
	if (!IS_DAX(inode))
		return not_modelled(k, "truncate of a page-cache file"), -ENOSYS;
	if (size != inode->i_size) {
		inode->i_size = size;
		truncate_pagecache(k, inode, inode->i_size);
	}
	ext4_truncate(k, inode);
	file_update_time(k, inode);	/* setattr_copy(): ATTR_MTIME | ATTR_CTIME */
	return 0;
}

/*
 * ext4_punch_hole(), v4.0 L3399. filemap_write_and_wait_range() runs only
 * when the cache has DIRTY pages, and hole pages never are. Under i_mutex:
 * clamp to EOF, truncate_pagecache_range() over whole blocks, zero the
 * partial ones (CPU stores), free the whole blocks, update the times.
 */
static int ext4_punch_hole(struct kernel *k, struct inode *inode, loff_t offset,
			   loff_t length)
{
	loff_t first, last;

	down_write(k, &inode->i_rwsem);
	if (offset >= inode->i_size)
		goto out;
	if (offset + length > inode->i_size)
		length = inode->i_size + PAGE_SIZE -
			 (inode->i_size & (PAGE_SIZE - 1)) - offset;
	first = round_up(offset, (loff_t)PAGE_SIZE);
	last = round_down(offset + length, (loff_t)PAGE_SIZE) - 1;
	if (last > first)
		truncate_pagecache_range(k, inode, first, last);
	ext4_zero_partial_blocks(k, inode, offset, length);
	ext4_remove_blocks(k, inode, DIV_ROUND_UP(offset, PAGE_SIZE),
			   (unsigned long)(offset + length) >> PAGE_SHIFT);
	file_update_time(k, inode);
out:
	up_write(k, &inode->i_rwsem);
	return 0;
}

/*
 * ext4_fallocate(), v4.0 fs/ext4/extents.c L4914: INSERT_RANGE and
 * UNSHARE_RANGE do not exist yet (-EOPNOTSUPP); mode 0 and KEEP_SIZE
 * allocate unwritten extents as later releases do.
 */
static long ext4_fallocate(struct kernel *k, struct file *file, int mode,
			   loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE |
		     FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return ext4_punch_hole(k, inode, offset, len);
	if (mode & FALLOC_FL_COLLAPSE_RANGE)
		return not_modelled(k, "fallocate COLLAPSE_RANGE"), -ENOSYS;
	if (mode & FALLOC_FL_ZERO_RANGE)
		return not_modelled(k, "fallocate ZERO_RANGE in dax-2014 (v4.0 ext4_zero_range)"),
		       -ENOSYS;
	return ext4_fallocate_alloc(k, inode, offset, len, mode);
}

/*
 * ext4_sync_file(), v4.0 fs/ext4/fsync.c: filemap_write_and_wait_range()
 * finds no dirty page (hole pages are never dirtied, blocks have no
 * entries), then the journal. Nothing written through a DAX mapping is
 * flushed from the CPU cache.
 */
static int ext4_sync_file(struct kernel *k, struct file *file, loff_t start,
			  loff_t end, int datasync)
{
	(void)k, (void)file, (void)start, (void)end, (void)datasync;
	return 0;
}

/*
 * write(2) in v4.0 goes generic_file_direct_write() -> ext4_direct_IO()
 * -> dax_do_io() with ext4_get_block_write and invalidates the page cache
 * around it: not modelled yet.
 */
static ssize_t ext4_file_write_iter(struct kernel *k, struct file *file,
				    loff_t pos, const struct iov_iter *from)
{
	(void)file, (void)pos, (void)from;
	return not_modelled(k, "write(2) in dax-2014 (v4.0 dax_do_io)"), -ENOSYS;
}

/*
 * ext4_dax_file_operations, v4.0 fs/ext4/file.c L628. ->read_iter is
 * generic_file_read_iter() -> dax_do_io(): holes and unwritten blocks read
 * zero, written ones through the CPU's view; the v4.14 read path does the
 * same, so it is shared. No ->get_unmapped_area (the mm's own search).
 */
const struct file_operations ext4_dax_file_operations = {
	.read		= ext4_file_read,
	.write_iter	= ext4_file_write_iter,
	.mmap		= ext4_file_mmap,
	.fsync		= ext4_sync_file,
	.fallocate	= ext4_fallocate,
};

/* ext4_file_inode_operations, v4.0 */
const struct inode_operations ext4_file_inode_operations_v4_0 = {
	.setattr	= ext4_setattr,
};
