// SPDX-License-Identifier: GPL-2.0
/*
 * ext2 mounted -o xip, Linux v3.19.8 (policy xip-2014): fs/ext2/xip.c
 * (ext2_get_xip_mem, __ext2_get_block, ext2_clear_xip_target),
 * fs/ext2/inode.c (ext2_get_blocks, ext2_setsize, ext2_setattr,
 * __ext2_truncate_blocks), fs/ext2/file.c (ext2_xip_file_operations,
 * ext2_fsync). Read, write, mmap and the fault are mm/filemap_xip.c's
 * (filemap_xip-v3.19.c), which reaches ext2 only through ->get_xip_mem.
 *
 * ext2 has no extents, no unwritten blocks and no ->fallocate: a block is
 * a hole or written, and punch, zero range and fallocate are -EOPNOTSUPP
 * (do_fallocate()). Simplifications, documented in docs/eras/xip-2014.md:
 * the block map is held as the model's index -> block map (ext4's
 * structure), not as i_data[15] and indirect blocks; the indirect blocks
 * themselves are not allocated; blocks come from the model's allocator
 * (lowest free first), not from ext2_new_blocks()'s goal and reservation
 * window. The fault path sees none of this: it asks for one block and
 * gets a pfn.
 */
#include <assert.h>

#include "ext2.h"
#include "ext4.h"
#include "filemap_xip.h"
#include "lock.h"
#include "mm.h"
#include "pmem.h"
#include "truncate.h"

struct inode *ext2_create(struct kernel *k, loff_t size)
{
	struct inode *inode = kzalloc(k, sizeof(*inode));

	inode->i_ino = k->sb.inodes->len + 12;	/* 11 is lost+found */
	inode->i_size = size;
	/* mapping_is_xip(): the inode has ->get_xip_mem (ext2_set_inode_flags) */
	inode->dax = true;
	inode->i_op = &ext2_file_inode_operations;
	inode->i_fop = &ext2_xip_file_operations;
	inode->i_mtime = inode->i_ctime = current_time(k);
	inode->i_data.host = inode;
	inode->i_data.a_ops = &ext2_aops_xip;
	radix_tree_init(&inode->i_data.page_tree);	/* stays empty */
	lock_init(&inode->i_data.tree_lock, "tree_lock");
	lock_init(&inode->i_data.i_mmap_rwsem, "i_mmap_mutex");
	inode->blocks = ext_tree_new();
	lock_init(&inode->i_rwsem, "i_mutex");
	lock_init(&inode->i_mmap_sem, "i_mmap_sem");	/* ext4's; unused by ext2 */
	g_ptr_array_add(k->sb.inodes, inode);
	return inode;
}

/*
 * ext2_clear_xip_target(), fs/ext2/xip.c L52-61: clear_page() through the
 * kernel's mapping of the block, ordinary stores: the zeroes sit in the
 * CPU cache, nothing flushes them.
 */
static void ext2_clear_xip_target(struct kernel *k, unsigned long block)
{
	pmem_store(k, block_pfn(block), 0, NULL, PAGE_SIZE);
}

/*
 * ext2_get_blocks(), fs/ext2/inode.c L617-770, for one block (get_xip_mem
 * asks with b_size = one block): a block found is returned; a hole without
 * @create is a plain lookup (0); with @create the block is allocated
 * (ext2_alloc_branch, under truncate_mutex), cleared when the sb uses xip
 * (L734-744) and spliced into the map. Returns the block or -errno, and
 * -ENODATA for a hole (__ext2_get_block, fs/ext2/xip.c L31-47).
 */
static long __ext2_get_block(struct kernel *k, struct inode *inode, pgoff_t pgoff,
			     int create)
{
	unsigned long block, n;
	long b;

	if (ext4_block_lookup(inode, pgoff, &block) == BLOCK_MAPPED)
		return block;
	if (!create)
		return -ENODATA;
	might_sleep(k, "ext2_get_blocks: truncate_mutex");
	b = ext4_new_blocks(k, inode, pgoff, 1, &n);
	if (b < 0)
		return b;
	ext2_clear_xip_target(k, b);
	ext_insert(k, inode->blocks, pgoff, 1, b, false);	/* ext2_splice_branch() */
	trace_index_changed(k, inode, pgoff);
	return b;
}

/* ext2_get_xip_mem(), fs/ext2/xip.c L76-89: the block, then its pfn */
static int ext2_get_xip_mem(struct kernel *k, struct address_space *mapping,
			    pgoff_t pgoff, int create, unsigned long *pfn)
{
	long block = __ext2_get_block(k, mapping->host, pgoff, create);

	if (block < 0)
		return (int)block;
	*pfn = block_pfn(block);	/* __inode_direct_access() */
	return 0;
}

/* ext2_aops_xip, fs/ext2/inode.c L888-890 */
const struct address_space_operations ext2_aops_xip = {
	.get_xip_mem	= ext2_get_xip_mem,
};

/*
 * ext2_setsize(), fs/ext2/inode.c L1190-1226: xip_truncate_page() zeroes
 * the tail of the block at the new EOF (memset, not flushed);
 * truncate_setsize() writes i_size and unmaps from round_up(size) in every
 * VMA, even_cows 1 (truncate_pagecache, twice; there are no entries to
 * delete); __ext2_truncate_blocks() frees the blocks past the new EOF.
 */
static int ext2_setsize(struct kernel *k, struct inode *inode, loff_t newsize)
{
	int error = xip_truncate_page(k, &inode->i_data, newsize);

	if (error)
		return error;
	inode->i_size = newsize;		/* truncate_setsize(): i_size_write() */
	truncate_pagecache(k, inode, newsize);
	/* __ext2_truncate_blocks(), under truncate_mutex */
	ext4_remove_blocks(k, inode, DIV_ROUND_UP((unsigned long)newsize, PAGE_SIZE), ~0UL);
	return 0;
}

/*
 * ext2_setattr(), fs/ext2/inode.c L1578-1608, with ATTR_SIZE from
 * ftruncate(2) (do_truncate adds ATTR_MTIME | ATTR_CTIME): ext2_setsize()
 * only when the size changes; the times change either way.
 */
static int ext2_setattr(struct kernel *k, struct inode *inode, loff_t size)
{
	if (size != inode->i_size) {
		int error = ext2_setsize(k, inode, size);

		if (error)
			return error;
	}
	file_update_time(k, inode);	/* setattr_copy() */
	return 0;
}

/*
 * ext2_fsync(), fs/ext2/file.c L43-57 -> generic_file_fsync(): there are
 * no pages to write back (an XIP mapping has no page cache), so nothing
 * of the data is flushed; only the inode and the metadata buffers are
 * written, and the model has no metadata on the device.
 */
static int ext2_fsync(struct kernel *k, struct file *file, loff_t start,
		      loff_t end, int datasync)
{
	return 0;
}

/*
 * ext2_xip_file_operations, fs/ext2/file.c L81-94: no ->fallocate, no
 * ->get_unmapped_area (the mm's own search: no 2 MiB alignment).
 */
const struct file_operations ext2_xip_file_operations = {
	.read		= xip_file_read,
	.write_iter	= xip_file_write,
	.mmap		= xip_file_mmap,
	.fsync		= ext2_fsync,
};

/* ext2_file_inode_operations, fs/ext2/file.c L98-110 */
const struct inode_operations ext2_file_inode_operations = {
	.setattr	= ext2_setattr,
};
