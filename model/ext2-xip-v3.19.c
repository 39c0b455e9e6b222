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
 * structure), not as i_data[15] and the pointers in indirect blocks (the
 * indirect blocks themselves are allocated, counted and freed, below);
 * blocks come from the model's allocator (lowest free first), not from
 * ext2_new_blocks()'s goal and reservation window, so block numbers are
 * the model's. The fault path sees none of this: it asks for one block and
 * gets a pfn.
 */
#include <assert.h>

#include "ext2.h"
#include "ext4.h"
#include "filemap_xip.h"
#include "jbd2.h"
#include "lock.h"
#include "mm.h"
#include "pmem.h"
#include "truncate.h"

#define EXT2_NDIR_BLOCKS	12UL
#define EXT2_ADDR_PER_BLOCK	1024UL
#define EXT2_META_BASE		(1UL << 62)

/*
 * ext2_max_size(), fs/ext2/super.c L714-754, for 4 KiB blocks: the data
 * and indirect blocks of a dense file within 2^32 - 1 sectors of i_blocks:
 * ((2^32 - 1) >> 3) - 1050627 blocks, 2194719883264 bytes.
 */
static loff_t ext2_max_size(int bits)
{
	const loff_t p = 1LL << (bits - 2);
	loff_t res = (EXT2_NDIR_BLOCKS + p + p * p + p * p * p) << bits;
	loff_t upper_limit = ((1LL << 32) - 1) >> (bits - 9);

	upper_limit -= 1 + (1 + p) + (1 + p + p * p);	/* the indirect blocks */
	upper_limit <<= bits;
	return res > upper_limit ? upper_limit : res;
}

void ext2_fill_super(struct kernel *k, unsigned long nr_blocks)
{
	ext4_fill_super(k, nr_blocks);
	k->sb.s_maxbytes = ext2_max_size(PAGE_SHIFT);
}

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
	lock_init(&inode->i_data_sem, "truncate_mutex");	/* ext2_inode_info's */
	g_ptr_array_add(k->sb.inodes, inode);
	/* written in place, not journalled (jbd2.h) */
	jbd2_inode_created_in_place(k, inode);
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
 * The block map of ext2 with 4 KiB blocks (ext2_block_to_path(),
 * fs/ext2/inode.c L156-204): 12 direct pointers in the inode, then one
 * indirect block of 1024 pointers, a double and a triple indirect block.
 * The model keeps each indirect block in the inode's block map under a
 * key past every file index (EXT2_META_BASE + key), so that it is
 * allocated, counted in i_blocks and freed like the data blocks.
 */

/* An indirect block: its key and the file indices [first, first + nr) below it. */
struct ext2_indirect {
	unsigned long key, first, nr;
};

static const unsigned long ind_first = EXT2_NDIR_BLOCKS;
static const unsigned long dind_first = EXT2_NDIR_BLOCKS + EXT2_ADDR_PER_BLOCK;
static const unsigned long tind_first = EXT2_NDIR_BLOCKS + EXT2_ADDR_PER_BLOCK +
					EXT2_ADDR_PER_BLOCK * EXT2_ADDR_PER_BLOCK;
/* keys: 0 the indirect block, 1 the double, 2.. its children, then the triple's */
#define DIND_KEY	1UL
#define TIND_KEY	(2 + EXT2_ADDR_PER_BLOCK)

/* Key -> the indices below it. */
static struct ext2_indirect ext2_indirect_of(unsigned long key)
{
	const unsigned long p = EXT2_ADDR_PER_BLOCK;

	if (key == 0)
		return (struct ext2_indirect){ key, ind_first, p };
	if (key == DIND_KEY)
		return (struct ext2_indirect){ key, dind_first, p * p };
	if (key < TIND_KEY)
		return (struct ext2_indirect){ key, dind_first + (key - 2) * p, p };
	if (key == TIND_KEY)
		return (struct ext2_indirect){ key, tind_first, p * p * p };
	if (key < TIND_KEY + 1 + p)
		return (struct ext2_indirect){ key, tind_first + (key - TIND_KEY - 1) * p * p, p * p };
	return (struct ext2_indirect){ key, tind_first + (key - TIND_KEY - 1 - p) * p, p };
}

/*
 * ext2_block_to_path(): the indirect blocks on the way to @iblock, top
 * down, into @path; their number (0 for a direct block), or -1 past the
 * triple indirect block ("block > big": ext2_get_blocks() fails -EIO).
 */
static int ext2_block_to_path(pgoff_t iblock, struct ext2_indirect path[3])
{
	const unsigned long p = EXT2_ADDR_PER_BLOCK;
	unsigned long r;

	if (iblock < ind_first)
		return 0;
	if (iblock < dind_first) {
		path[0] = ext2_indirect_of(0);
		return 1;
	}
	if (iblock < tind_first) {
		path[0] = ext2_indirect_of(DIND_KEY);
		path[1] = ext2_indirect_of(2 + (iblock - dind_first) / p);
		return 2;
	}
	r = iblock - tind_first;
	if (r >= p * p * p)
		return -1;
	path[0] = ext2_indirect_of(TIND_KEY);
	path[1] = ext2_indirect_of(TIND_KEY + 1 + r / (p * p));
	path[2] = ext2_indirect_of(TIND_KEY + 1 + p + r / p);
	return 3;
}

static bool ext2_indirect_present(struct inode *inode, unsigned long key)
{
	unsigned long block;

	return ext4_block_lookup(inode, EXT2_META_BASE + key, &block) == BLOCK_MAPPED;
}

static void ext2_free_indirect(struct kernel *k, struct inode *inode, unsigned long key)
{
	ext4_remove_blocks(k, inode, EXT2_META_BASE + key, EXT2_META_BASE + key + 1);
}

/*
 * ext2_get_blocks(), fs/ext2/inode.c L617-770, for one block (get_xip_mem
 * asks with b_size = one block): a block found is returned; a hole without
 * @create is a plain lookup (0); with @create, under truncate_mutex
 * (L677), the chain is read again when it changed since the unlocked
 * lookup (L678-702, verify_chain(): another get_block allocated the
 * branch, or a truncate freed it): a block found now is returned, not
 * new. Else ext2_alloc_branch() allocates the missing indirect blocks,
 * top down, and the data block (ext2_alloc_blocks(): all or none), the
 * data block is cleared when the sb uses xip (L734-744) and
 * ext2_splice_branch() links it in, all before the unlock (L747).
 * Returns the block or -errno, and -ENODATA for a hole (__ext2_get_block,
 * fs/ext2/xip.c L31-47).
 */
static long __ext2_get_block(struct kernel *k, struct inode *inode, pgoff_t pgoff,
			     int create)
{
	struct ext2_indirect path[3];
	int depth = ext2_block_to_path(pgoff, path), fresh = 0;
	unsigned long block, n;
	long b;

	if (depth < 0)
		return -EIO;
	if (ext4_block_lookup(inode, pgoff, &block) == BLOCK_MAPPED)
		return block;
	if (!create)
		return -ENODATA;
	mutex_lock(k, &inode->i_data_sem);	/* truncate_mutex */
	if (!SW(k, BUG_ALLOC_NO_RECHECK) &&
	    ext4_block_lookup(inode, pgoff, &block) == BLOCK_MAPPED) {
		mutex_unlock(k, &inode->i_data_sem);
		return block;	/* clear_buffer_new(): not zeroed again */
	}
	for (int i = 0; i < depth; i++) {
		if (ext2_indirect_present(inode, path[i].key))
			continue;
		b = ext4_new_blocks(k, inode, EXT2_META_BASE + path[i].key, 1, &n);
		if (b < 0)
			goto failed;
		ext_insert(k, inode->blocks, EXT2_META_BASE + path[i].key, 1, b, false);
		fresh |= 1 << i;
	}
	b = ext4_new_blocks(k, inode, pgoff, 1, &n);
	if (b < 0)
		goto failed;
	ext2_clear_xip_target(k, b);
	/* ext2_splice_branch(); with the bug it may overwrite another's */
	ext4_set_block(k, inode, pgoff, b, false);
	/* as a range: a write(2)'s run of allocations is one for the checker */
	trace_range_changed(k, inode, pgoff, 1);
	mutex_unlock(k, &inode->i_data_sem);
	return b;
failed:
	/* ext2_alloc_blocks() failed_out: the blocks it got go back */
	for (int i = 0; i < depth; i++)
		if (fresh & (1 << i))
			ext2_free_indirect(k, inode, path[i].key);
	mutex_unlock(k, &inode->i_data_sem);
	return b;
}

/*
 * __ext2_truncate_blocks(), fs/ext2/inode.c L1084-1172, under
 * truncate_mutex (L1110-1167): the data blocks from the first index past the new EOF
 * on, then every indirect block left with nothing below it (the branches
 * ext2_find_shared() detaches and ext2_free_branches() frees; an indirect
 * block exists only while some data block below it does).
 */
static void __ext2_truncate_blocks(struct kernel *k, struct inode *inode, loff_t offset)
{
	GArray *dead = g_array_new(FALSE, FALSE, sizeof(unsigned long));
	struct ext4_extent *ex;

	mutex_lock(k, &inode->i_data_sem);	/* truncate_mutex, L1110 */

	ext4_remove_blocks(k, inode, DIV_ROUND_UP((unsigned long)offset, PAGE_SIZE),
			   EXT2_META_BASE);
	for (ex = ext_next(inode->blocks, EXT2_META_BASE); ex;
	     ex = ext_next(inode->blocks, ex->start + ex->len)) {
		for (unsigned long i = 0; i < ex->len; i++) {
			unsigned long key = ex->start + i - EXT2_META_BASE;
			struct ext2_indirect ind = ext2_indirect_of(key);
			pgoff_t index = ind.first;

			if (!ext4_next_block(inode, &index) || index >= ind.first + ind.nr)
				g_array_append_val(dead, key);
		}
	}
	for (guint i = 0; i < dead->len; i++)
		ext2_free_indirect(k, inode, g_array_index(dead, unsigned long, i));
	g_array_free(dead, TRUE);
	mutex_unlock(k, &inode->i_data_sem);	/* L1167 */
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
	__ext2_truncate_blocks(k, inode, newsize);
	return 0;
}

/*
 * ext2_setattr(), fs/ext2/inode.c L1578-1608, with ATTR_SIZE from
 * ftruncate(2) (do_truncate adds ATTR_MTIME | ATTR_CTIME): ext2_setsize()
 * only when the size changes; the times change either way.
 */
static int ext2_setattr(struct kernel *k, struct inode *inode, loff_t size)
{
	/* inode_change_ok() -> inode_newsize_ok() */
	int error = inode_newsize_ok(k, inode, size);

	if (error)
		return error;
	if (size != inode->i_size) {
		int error = ext2_setsize(k, inode, size);

		if (error)
			return error;
	}
	file_update_time(k, inode);	/* setattr_copy() */
	return 0;
}

/*
 * ext2_fsync(), fs/ext2/file.c L43-57 -> generic_file_fsync() ->
 * __generic_file_fsync(), fs/libfs.c L940-976: filemap_write_and_wait_range()
 * has no pages to write back (an XIP mapping has no page cache), so
 * nothing of the data is flushed: what stores left in the CPU cache stays
 * there. Under i_mutex, sync_mapping_buffers() writes the indirect blocks
 * (ext2_splice_branch() and the truncate tie them to the inode with
 * mark_buffer_dirty_inode(), fs/ext2/inode.c L594, L1124) and
 * sync_inode_metadata() the inode (not with @datasync when only the times
 * changed, I_DIRTY_SYNC): the inode's image on the media (jbd2.h). The
 * block bitmaps are not the inode's buffers: a crash leaves them to e2fsck.
 */
static int ext2_fsync(struct kernel *k, struct file *file, loff_t start,
		      loff_t end, int datasync)
{
	struct inode *inode = file_inode(file);

	mutex_lock(k, &inode->i_rwsem);		/* i_mutex, L951 */
	jbd2_inode_write(k, inode, datasync);
	mutex_unlock(k, &inode->i_rwsem);
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
