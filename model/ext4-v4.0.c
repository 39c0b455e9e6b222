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
#include "jbd2.h"
#include "lock.h"
#include "mm.h"
#include "pagemap.h"
#include "pmem.h"
#include "truncate.h"

/*
 * ext4_convert_unwritten_extents(), v4.0 fs/ext4/extents.c: the unwritten
 * blocks of [offset, offset + len) become written. v4.5's write(2) calls
 * the same (ext4-v4.5.c).
 */
void ext4_convert_unwritten_extents(struct kernel *k, struct inode *inode,
				    loff_t offset, size_t len)
{
	pgoff_t last = (unsigned long)(offset + (loff_t)len - 1) >> PAGE_SHIFT;

	for (pgoff_t i = (unsigned long)offset >> PAGE_SHIFT; i <= last; i++) {
		unsigned long block;

		if (!ext4_next_block(inode, &i) || i > last)
			break;
		if (ext4_block_lookup(inode, i, &block) == BLOCK_UNWRITTEN)
			ext4_set_block(k, inode, i, block, false);
	}
}

/*
 * ext4_end_io_unwritten(), v4.0 L662: the b_end_io of an unwritten block
 * handed to DAX: the extent is converted to written
 * (ext4_convert_unwritten_extents). dax_insert_mapping() calls it after
 * mapping, a read fault too.
 */
static void ext4_end_io_unwritten(struct kernel *k, struct buffer_head *bh,
				  int uptodate)
{
	if (!uptodate)
		return;
	assert(buffer_unwritten(bh));
	ext4_convert_unwritten_extents(k, bh->b_assoc_map,
				       (loff_t)bh->b_private << PAGE_SHIFT, bh->b_size);
}

/* Whether index @i is unwritten (@unwritten) or written at physical block @b. */
static bool block_at(struct inode *inode, pgoff_t i, unsigned long b, bool unwritten)
{
	unsigned long blk;

	return ext4_block_lookup(inode, i, &blk) == (unwritten ? BLOCK_UNWRITTEN : BLOCK_MAPPED) &&
	       blk == b;
}

/*
 * ext4_ext_zeroout(), v4.0: sb_issue_zeroout() of [first, first + n)'s
 * blocks, zero bios through the block driver, which for v4.0's DAX devices
 * (brd and the like) is a memcpy: CPU stores, not flushed. The blocks
 * become written. v4.5 (dax-2016, which shares this path: its
 * ext4_ext_convert_to_initialized() has v4.0's cases) goes through the pmem
 * driver, whose pmem_make_request() ends a write with wmb_pmem(): durable.
 */
static void ext4_ext_zeroout(struct kernel *k, struct inode *inode, pgoff_t first,
			     unsigned long n, unsigned long block)
{
	might_sleep(k, "sb_issue_zeroout");
	for (unsigned long i = 0; i < n; i++) {
		if (k->policy.id == POLICY_DAX_2016)
			pmem_write_flush(k, PMEM_BASE_PFN + block + i, 0, NULL, PAGE_SIZE);
		else
			pmem_store(k, PMEM_BASE_PFN + block + i, 0, NULL, PAGE_SIZE);
		ext4_set_block(k, inode, first + i, block + i, false);
	}
}

static void mark_written(struct kernel *k, struct inode *inode, pgoff_t first,
			 unsigned long n, unsigned long block)
{
	for (unsigned long i = 0; i < n; i++)
		ext4_set_block(k, inode, first + i, block + i, false);
}

/* EXT_INIT_MAX_LEN: the longest written extent */
#define EXT_INIT_MAX_LEN	32768UL

/*
 * ext4_ext_convert_to_initialized(), v4.0 fs/ext4/extents.c L3393, for
 * EXT4_GET_BLOCKS_CREATE of [m_lblk, m_lblk + map_len) starting in the
 * unwritten extent [ee_block, ee_block + ee_len) at physical @ee_pblk (an
 * extent: a run contiguous in the file and on the device). Returns
 * "allocated", the written blocks from m_lblk on. In order:
 *  - the fast paths: a request at the start (end) of the extent, shorter
 *    than it, next to a written extent physically contiguous with it,
 *    moves into that extent;
 *  - when the extent ends inside EOF (EXT4_EXT_MAY_ZEROOUT; EOF at least
 *    the request's end) and is at most s_extent_max_zeroout_kb (32 KiB: 8
 *    blocks): all of it is zeroed and written;
 *  - else, with zeroout allowed and the extent going on past the request:
 *    at most 8 blocks from m_lblk to its end are zeroed and written with
 *    the request; or, when the head and the request are under 8 blocks,
 *    the head is zeroed and written with it;
 *  - else the request alone is split out, written.
 * v4.14 (ext4.c) differs: no whole-extent zeroout, five cases.
 */
static unsigned long ext4_ext_convert_to_initialized(struct kernel *k, struct inode *inode,
						     pgoff_t m_lblk, unsigned long map_len,
						     pgoff_t ee_block, unsigned long ee_len,
						     unsigned long ee_pblk)
{
	const unsigned long max_zeroout_kb = 32;	/* s_extent_max_zeroout_kb */
	pgoff_t ee_end = ee_block + ee_len;		/* past the extent */
	unsigned long eof_block = DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE);
	unsigned long allocated, max_zeroout = 0, prev_len = 0, next_len = 0;
	pgoff_t split_lblk = m_lblk;
	unsigned long split_len = map_len;

	if (eof_block < m_lblk + map_len)
		eof_block = m_lblk + map_len;
	/* the written extents abutting it, as far as they are contiguous */
	while (ee_block > prev_len &&
	       block_at(inode, ee_block - prev_len - 1, ee_pblk - prev_len - 1, false))
		prev_len++;
	while (block_at(inode, ee_end + next_len, ee_pblk + ee_len + next_len, false))
		next_len++;
	if (m_lblk == ee_block && map_len < ee_len && prev_len &&
	    prev_len < EXT_INIT_MAX_LEN - map_len) {
		mark_written(k, inode, m_lblk, map_len, ee_pblk);
		return map_len;
	}
	if (m_lblk != ee_block && m_lblk + map_len == ee_end && map_len < ee_len &&
	    next_len && next_len < EXT_INIT_MAX_LEN - map_len) {
		mark_written(k, inode, m_lblk, map_len, ee_pblk + (m_lblk - ee_block));
		return map_len;
	}
	allocated = ee_end - m_lblk;
	/* EXT4_EXT_MAY_ZEROOUT; the switch off is extent_max_zeroout_kb = 0 */
	if (ee_end <= eof_block && SW(k, EXT4_ZEROOUT))
		max_zeroout = max_zeroout_kb >> (PAGE_SHIFT - 10);
	if (max_zeroout && ee_len <= max_zeroout) {
		ext4_ext_zeroout(k, inode, ee_block, ee_len, ee_pblk);
		return allocated;
	}
	if (max_zeroout && allocated > map_len) {
		if (allocated <= max_zeroout) {
			ext4_ext_zeroout(k, inode, m_lblk, allocated,
					 ee_pblk + (m_lblk - ee_block));
			return allocated;
		} else if (m_lblk - ee_block + map_len < max_zeroout) {
			if (m_lblk != ee_block)
				ext4_ext_zeroout(k, inode, ee_block, m_lblk - ee_block, ee_pblk);
			split_lblk = ee_block;
			split_len = m_lblk - ee_block + map_len;
			allocated = map_len;
		}
	}
	/* ext4_split_extent(): [split_lblk, + split_len) written, clipped to the extent */
	if (split_lblk + split_len > ee_end)
		split_len = ee_end - split_lblk;
	mark_written(k, inode, split_lblk, split_len, ee_pblk + (split_lblk - ee_block));
	return allocated;
}

/* The ext4_map_blocks() flags the model tells apart */
enum {
	GET_BLOCKS_CREATE = 1,		/* EXT4_GET_BLOCKS_CREATE: holes get written blocks */
	GET_BLOCKS_IO_CREATE_EXT,	/* EXT4_GET_BLOCKS_IO_CREATE_EXT: unwritten ones */
};

/*
 * _ext4_get_block() -> ext4_map_blocks(), v4.0 L677, for
 * [iblock, iblock + b_size / 4 KiB): the extent at @iblock, as far as it
 * goes. A hole without a create flag leaves @bh as it was (b_state 0:
 * "can't trust b_size"). With a create flag a hole gets new blocks, up to
 * the next extent, as one run (ext4_mb_new_blocks: the lowest free block
 * and the free ones after it), BH_New and **not zeroed** (v4.0 has no
 * EXT4_GET_BLOCKS_ZERO: fs/dax.c zeroes them, with CPU stores): written
 * for EXT4_GET_BLOCKS_CREATE, unwritten for IO_CREATE_EXT (write(2)
 * inside i_size converts them after the copy). An unwritten block is
 * BH_Unwritten with ext4_end_io_unwritten as b_end_io.
 *
 * ext4_map_blocks() (v4.0 fs/ext4/inode.c L460-658) looks up under
 * i_data_sem shared (L515-547); a create that found a hole or an unwritten
 * extent takes i_data_sem exclusive (L588) and asks ext4_ext_map_blocks()
 * again, which looks once more before it allocates: a block another task
 * allocated in between is returned as found, not new. The allocation and
 * the extent insert are under it (up_write L653); the zeroing is not: it
 * is fs/dax.c's, after get_block returns.
 */
static int _ext4_get_block(struct kernel *k, struct inode *inode, unsigned long iblock,
			   struct buffer_head *bh, int flags)
{
	unsigned long m_len = bh->b_size >> PAGE_SHIFT, n;
	struct ext4_extent *ex;
	bool inside, locked = false;
	int ret = 0;

	assert(m_len);
	down_read(k, &inode->i_data_sem);
	ex = ext_next(inode->blocks, iblock);
	inside = ex && ex->start <= iblock;
	up_read(k, &inode->i_data_sem);
	if (!inside && !flags)
		return 0;
	if (flags && (!inside || ex->aux)) {
		down_write(k, &inode->i_data_sem);
		locked = true;
		/* bug-alloc-no-recheck: a hole seen before stays a hole */
		ex = ext_next(inode->blocks, iblock);
		inside = ex && ex->start <= iblock && (inside || !SW(k, BUG_ALLOC_NO_RECHECK));
	}
	if (!inside) {
		long b;

		if (ex && ex->start > iblock && ex->start - iblock < m_len)
			m_len = ex->start - iblock;
		b = ext4_new_blocks(k, inode, iblock, m_len, &n);
		if (b < 0) {
			ret = (int)b;
			goto out;
		}
		if (SW(k, BUG_ALLOC_NO_RECHECK))	/* over another task's run */
			ext_remove(k, inode->blocks, iblock, iblock + n, NULL, NULL);
		ext_insert(k, inode->blocks, iblock, n, b, flags == GET_BLOCKS_IO_CREATE_EXT);
		trace_range_changed(k, inode, iblock, n);
		bh->b_state = BH_New | (flags == GET_BLOCKS_IO_CREATE_EXT ? BH_Unwritten : BH_Mapped);
		bh->b_blocknr = b;
	} else {
		n = ex->start + ex->len - iblock;
		if (n > m_len)
			n = m_len;
		bh->b_blocknr = ex->target + (iblock - ex->start);
		bh->b_state = ex->aux ? BH_Unwritten : BH_Mapped;
		/*
		 * EXT4_GET_BLOCKS_CREATE on an unwritten extent converts it
		 * there ("buffered IO case" of ext4_ext_handle_unwritten_extents
		 * -> ext4_ext_convert_to_initialized), EXT4_MAP_NEW, m_len at
		 * most what is now written: only write(2) past EOF asks that.
		 */
		if (ex->aux && flags == GET_BLOCKS_CREATE) {
			pgoff_t s = iblock, e = iblock;
			unsigned long allocated;

			while (s > 0 && block_at(inode, s - 1, bh->b_blocknr - (iblock - s) - 1, true))
				s--;
			while (block_at(inode, e + 1, bh->b_blocknr + (e - iblock) + 1, true))
				e++;
			allocated = ext4_ext_convert_to_initialized(k, inode, iblock, m_len, s,
								    e - s + 1,
								    bh->b_blocknr - (iblock - s));
			n = allocated < m_len ? allocated : m_len;
			bh->b_state = BH_New | BH_Mapped;
		}
	}
	if (buffer_unwritten(bh)) {
		bh->b_assoc_map = inode;
		bh->b_private = iblock;
		bh->b_end_io = ext4_end_io_unwritten;
	}
	bh->b_size = n << PAGE_SHIFT;
out:
	if (locked)
		up_write(k, &inode->i_data_sem);
	return ret;
}

/* ext4_get_block(), v4.0: EXT4_GET_BLOCKS_CREATE when @create */
int ext4_get_block(struct kernel *k, struct inode *inode, unsigned long iblock,
		   struct buffer_head *bh, int create)
{
	return _ext4_get_block(k, inode, iblock, bh, create ? GET_BLOCKS_CREATE : 0);
}

/* ext4_get_block_write(), v4.0 L2901: EXT4_GET_BLOCKS_IO_CREATE_EXT */
int ext4_get_block_write(struct kernel *k, struct inode *inode, unsigned long iblock,
			 struct buffer_head *bh, int create)
{
	(void)create;
	return _ext4_get_block(k, inode, iblock, bh, GET_BLOCKS_IO_CREATE_EXT);
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

/*
 * ext4_file_mmap(), v4.0 L220: a DAX file's VMA VM_MIXEDMAP, no
 * VM_HUGEPAGE; a page-cache file's ext4_file_vm_ops (filemap_fault,
 * filemap_map_pages, ext4_page_mkwrite; model/ext4_readpage.c).
 */
static int ext4_file_mmap(struct kernel *k, struct file *file,
			  struct vm_area_struct *vma)
{
	(void)k;
	if (!IS_DAX(file_inode(file))) {
		vma->vm_ops = &ext4_file_vm_ops_v4_0;
		return 0;
	}
	vma->vm_ops = &ext4_dax_vm_ops_v4_0;
	vma->vm_flags |= VM_MIXEDMAP;
	return 0;
}

/*
 * ext4_block_zero_page_range(), v4.0 L3299: clipped to the block, then
 * for a DAX file (L3314) dax_zero_page_range(), which zeroes written
 * blocks only, with CPU stores nothing flushes; for a page-cache file
 * __ext4_block_zero_page_range() (L3210: the page in the page cache).
 */
static int ext4_block_zero_page_range(struct kernel *k, struct inode *inode,
				      loff_t from, loff_t length)
{
	unsigned offset = from & (PAGE_SIZE - 1);
	loff_t max = PAGE_SIZE - offset;

	if (length > max || length < 0)
		length = max;
	if (!IS_DAX(inode)) {
		__ext4_block_zero_page_range(k, inode, from, length);
		return 0;
	}
	/* no poison before dax-2017 (nvdimm_poison()): nothing fails here */
	dax_zero_page_range(k, inode, from, length, ext4_get_block);
	return 0;
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
	down_write(k, &inode->i_data_sem);	/* v4.0 L3643 */
	ext4_remove_blocks(k, inode, DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE),
			   ~0UL);
	up_write(k, &inode->i_data_sem);
}

/*
 * ext4_setattr() with ATTR_SIZE, v4.0 L4528: a new size is written
 * (i_size_write) and the page cache truncated (truncate_pagecache: the
 * hole pages past EOF and every PTE there, COW pages too); ext4_truncate()
 * runs for any ATTR_SIZE, the same size included. No lock of ext4's keeps
 * faults out (there is no i_mmap_sem in v4.0). A page-cache file's the
 * same: ext4_begin_ordered_truncate() waits for the journal only, and
 * pagecache_isize_extended() returns at once with 4 KiB blocks.
 */
static int ext4_setattr(struct kernel *k, struct inode *inode, loff_t size)
{
	if (size != inode->i_size) {
		inode->i_size = size;
		truncate_pagecache(k, inode, inode->i_size);
	}
	ext4_truncate(k, inode);
	/* ftruncate: do_sys_ftruncate's ATTR_MTIME | ATTR_CTIME, setattr_copy() */
	file_update_time(k, inode);
	return 0;
}

/*
 * filemap_write_and_wait_range() as v4.0's ext4_punch_hole() (L3414),
 * ext4_zero_range() and ext4_sync_file() call it: ext4_writepages() writes
 * the DIRTY pages of [start, end] (write_cache_pages(),
 * model/page-writeback.c). Only a page-cache file has any: a DAX file's
 * hole pages are never dirtied and its blocks have no entries.
 */
static int filemap_write_and_wait_range(struct kernel *k, struct address_space *mapping,
					loff_t start, loff_t end)
{
	if (!mapping->nrpages || !radix_tree_tagged(&mapping->page_tree, PAGECACHE_TAG_DIRTY))
		return 0;
	return write_cache_pages(k, mapping, (unsigned long)start >> PAGE_SHIFT,
				 (unsigned long)end >> PAGE_SHIFT);
}

/*
 * ext4_punch_hole(), v4.0 L3399. filemap_write_and_wait_range() runs only
 * when the cache has DIRTY pages (a page-cache file's; hole pages never
 * are), over the range as asked. Under i_mutex:
 * clamp to EOF, truncate_pagecache_range() over whole blocks, zero the
 * partial ones (CPU stores), free the whole blocks, truncate_pagecache_range()
 * again, update the times.
 */
static int ext4_punch_hole(struct kernel *k, struct inode *inode, loff_t offset,
			   loff_t length)
{
	loff_t first, last;
	int ret = filemap_write_and_wait_range(k, &inode->i_data, offset, offset + length - 1);

	if (ret)
		return ret;
	down_write(k, &inode->i_rwsem);
	if (offset >= inode->i_size)
		goto out;
	if (offset + length > inode->i_size)
		length = inode->i_size + PAGE_SIZE -
			 (inode->i_size & (PAGE_SIZE - 1)) - offset;
	first = round_up(offset, (loff_t)PAGE_SIZE);
	last = round_down(offset + length, (loff_t)PAGE_SIZE) - 1;
	if (last > first) {
		if (SW(k, BUG_PUNCH_NO_UNMAP))
			truncate_inode_pages_range(k, &inode->i_data, first, last);
		else
			truncate_pagecache_range(k, inode, first, last);
	}
	ext4_zero_partial_blocks(k, inode, offset, length, ext4_block_zero_page_range);
	down_write(k, &inode->i_data_sem);	/* ext4_punch_hole(), v4.0 L3489-3506 */
	ext4_remove_blocks(k, inode, DIV_ROUND_UP(offset, PAGE_SIZE),
			   (unsigned long)(offset + length) >> PAGE_SHIFT);
	up_write(k, &inode->i_data_sem);
	/*
	 * L3510-3513, "Now release the pages again to reduce race window": a
	 * fault that mapped a block between the first release and the free
	 * loses its PTE here; one that maps after it keeps a freed block
	 * (v4.0 has no i_mmap_sem: examples/dax-2014-fault-races-punch.scn)
	 */
	if (last > first && !SW(k, BUG_PUNCH_NO_UNMAP))
		truncate_pagecache_range(k, inode, first, last);
	file_update_time(k, inode);
out:
	up_write(k, &inode->i_rwsem);
	return 0;
}

/*
 * ext4_zero_range(), v4.0 fs/ext4/extents.c L4746. The DIRTY pages of
 * the range are written back first (L4774: a page-cache file's; hole
 * pages are never dirty; v4.14 no longer does this). The whole blocks [start, end) — and, past EOF
 * without KEEP_SIZE with a partial last block, one block more, counted
 * from start (max_blocks += 1) — go: truncate_pagecache_range(), then
 * ext4_alloc_file_blocks() with CREATE_UNWRIT_EXT | CONVERT_UNWRITTEN
 * (holes and written blocks become unwritten), i_size growing with each
 * block done up to the new size. Then, with a partial block at either
 * end, the times, the new size, and ext4_zero_partial_blocks() (CPU
 * stores over written blocks).
 */
static int ext4_zero_range(struct kernel *k, struct inode *inode, loff_t offset,
			   loff_t len, int mode)
{
	loff_t start = round_up(offset, (loff_t)PAGE_SIZE);
	loff_t end = round_down(offset + len, (loff_t)PAGE_SIZE), new_size = 0;
	unsigned partial_begin = offset & (PAGE_SIZE - 1);
	unsigned partial_end = (offset + len) & (PAGE_SIZE - 1);
	pgoff_t lblk = (unsigned long)start >> PAGE_SHIFT;
	unsigned long max_blocks = (unsigned long)end >> PAGE_SHIFT;
	int ret = 0;

	max_blocks = max_blocks < lblk ? 0 : max_blocks - lblk;
	ret = filemap_write_and_wait_range(k, &inode->i_data, offset, offset + len - 1);
	if (ret)
		return ret;
	down_write(k, &inode->i_rwsem);
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size) {
		new_size = offset + len;
		/* "a partial block after EOF: allocate the entire block" */
		if (partial_end)
			max_blocks += 1;
	}
	if (max_blocks > 0) {
		truncate_pagecache_range(k, inode, start, end - 1);
		file_update_time(k, inode);
		ret = ext4_alloc_file_blocks(k, inode, lblk, max_blocks, new_size, true);
		if (ret)
			goto out;
	}
	if (!partial_begin && !partial_end)
		goto out;
	file_update_time(k, inode);
	if (new_size > inode->i_size)
		inode->i_size = new_size;
	ext4_zero_partial_blocks(k, inode, offset, len, ext4_block_zero_page_range);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/*
 * ext4_collapse_range(), v4.0 fs/ext4/extents.c L5397: block aligned
 * (-EINVAL, before any lock). filemap_write_and_wait_range() from @offset
 * to the end (L5433): a page-cache file's dirty pages written back (a DAX
 * file has none: hole pages are never dirty, v4.0 has no DAX entries).
 * Under i_mutex: ending at or past EOF is -EINVAL ("effectively
 * a truncate"); truncate_pagecache() from @offset unmaps every PTE of the
 * file from there on (COW copies too) and deletes the hole pages; then
 * ext4_ext_remove_space() frees the range's blocks,
 * ext4_ext_shift_extents() moves the rest down, i_size shrinks by @len,
 * the times. ✏️ v4.0 has no i_mmap_sem: a fault between the unmap and the
 * shift would map a block at its old offset, for good. The model runs one
 * task at a time, so that window is not modelled.
 */
static int ext4_collapse_range(struct kernel *k, struct inode *inode, loff_t offset,
			       loff_t len)
{
	int ret = 0;

	if ((offset | len) & (PAGE_SIZE - 1))
		return -EINVAL;
	ret = filemap_write_and_wait_range(k, &inode->i_data, offset, LLONG_MAX);
	if (ret)
		return ret;
	down_write(k, &inode->i_rwsem);
	if (offset + len >= inode->i_size) {
		ret = -EINVAL;
		goto out;
	}
	ext4_collapse_blocks(k, inode, offset, len);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/*
 * ext4_fallocate(), v4.0 fs/ext4/extents.c L4915: INSERT_RANGE and
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
		return ext4_collapse_range(k, inode, offset, len);
	if (mode & FALLOC_FL_ZERO_RANGE)
		return ext4_zero_range(k, inode, offset, len, mode);
	return ext4_fallocate_alloc(k, inode, offset, len, mode);
}

/*
 * ext4_sync_file(), v4.0 fs/ext4/fsync.c: filemap_write_and_wait_range()
 * writes a page-cache file's dirty pages back and finds nothing in a DAX
 * file (hole pages are never dirtied, blocks have no entries), then the
 * journal. Nothing written through a DAX mapping is flushed from the CPU
 * cache.
 */
static int ext4_sync_file(struct kernel *k, struct file *file, loff_t start,
			  loff_t end, int datasync)
{
	int ret = filemap_write_and_wait_range(k, &file_inode(file)->i_data, start, end);

	/* v4.0 fs/ext4/fsync.c L138-142: jbd2_complete_transaction(i_datasync_tid or i_sync_tid) */
	jbd2_complete_transaction(k, file_inode(file), datasync);
	return ret;
}

/*
 * ext4_direct_IO() -> ext4_ext_direct_IO(), v4.0 L2958, for a write. A
 * write past i_size takes "the old path", ext4_ind_direct_IO() (fs/ext4/
 * indirect.c L645): dax_do_io() with ext4_get_block (written blocks),
 * i_size set to the end of what was written, ext4_truncate_failed_write()
 * when nothing was. A write inside i_size: dax_do_io() with
 * ext4_get_block_write (holes become unwritten; no dioread_nolock, so no
 * overwrite shortcut), then ext4_convert_unwritten_extents() over what was
 * written. v4.5's (L3236) has the same structure, with its own dax_do_io().
 */
ssize_t ext4_direct_IO_write(struct kernel *k, struct inode *inode,
			     const struct iov_iter *from, loff_t pos, dax_io_write_t dax_io)
{
	ssize_t ret;

	if (pos + (loff_t)from->count > inode->i_size) {
		ret = dax_io(k, inode, from, pos, ext4_get_block);
		if (ret > 0 && pos + ret > inode->i_size)
			inode->i_size = pos + ret;
		if (ret < 0 && !k->not_modelled)	/* ext4_truncate_failed_write() */
			ext4_truncate(k, inode);
		return ret;
	}
	ret = dax_io(k, inode, from, pos, ext4_get_block_write);
	if (ret > 0)
		ext4_convert_unwritten_extents(k, inode, pos, ret);
	return ret;
}

/*
 * generic_file_direct_write(), v4.0 mm/filemap.c L2364 (a DAX file is
 * always "direct": io_is_direct()): nothing to write back (hole pages are
 * never dirty); the hole pages of the range are invalidated before and
 * after (unmapped everywhere, deleted); i_size follows what was written.
 */
static ssize_t generic_file_direct_write(struct kernel *k, struct inode *inode,
					 const struct iov_iter *from, loff_t pos)
{
	struct address_space *mapping = &inode->i_data;
	pgoff_t end = (unsigned long)(pos + (loff_t)from->count - 1) >> PAGE_SHIFT;
	ssize_t written;

	if (mapping->nrpages)
		invalidate_inode_pages2_range(k, mapping, (unsigned long)pos >> PAGE_SHIFT, end);
	written = ext4_direct_IO_write(k, inode, from, pos, dax_do_io_write);
	if (mapping->nrpages)
		invalidate_inode_pages2_range(k, mapping, (unsigned long)pos >> PAGE_SHIFT, end);
	if (written > 0 && pos + written > inode->i_size)
		inode->i_size = pos + written;
	return written;
}

/*
 * ext4_file_write_iter(), v4.0 fs/ext4/file.c L92, under i_mutex ->
 * __generic_file_write_iter(): nothing for an empty write; the file times;
 * the direct write, and for DAX no buffered fallback. The data is copied
 * with CPU stores: not durable until the user flushes it. A page-cache
 * file's write is generic_perform_write(), as v4.14's
 * (ext4_buffered_write_iter(), model/ext4_readpage.c).
 */
static ssize_t ext4_file_write_iter(struct kernel *k, struct file *file,
				    loff_t pos, const struct iov_iter *from)
{
	struct inode *inode = file_inode(file);
	ssize_t written;

	if (!IS_DAX(inode))
		return ext4_buffered_write_iter(k, file, pos, from);
	if (!from->count)
		return 0;
	down_write(k, &inode->i_rwsem);
	file_update_time(k, inode);
	written = generic_file_direct_write(k, inode, from, pos);
	up_write(k, &inode->i_rwsem);
	return written;
}

/*
 * ->read_iter, v4.0: generic_file_read_iter() -> ext4_direct_IO ->
 * ext4_ind_direct_IO() -> dax_do_io(DIO_LOCKING), which holds i_mutex
 * across the read (fs/dax.c L202-221): holes and unwritten blocks read
 * zero, written ones through the CPU's view; the v4.14 read path copies
 * the same, so it is shared.
 */
static ssize_t ext4_file_read_v4_0(struct kernel *k, struct file *file, loff_t pos,
				   const struct iov_iter *to)
{
	return __ext4_file_read(k, file, pos, to, true);
}

/*
 * ext4_dax_file_operations, v4.0 fs/ext4/file.c L628. No
 * ->get_unmapped_area (the mm's own search).
 */
const struct file_operations ext4_dax_file_operations = {
	.read		= ext4_file_read_v4_0,
	.write_iter	= ext4_file_write_iter,
	.mmap		= ext4_file_mmap,
	.fsync		= ext4_sync_file,
	.fallocate	= ext4_fallocate,
};

/* ext4_file_inode_operations, v4.0 */
const struct inode_operations ext4_file_inode_operations_v4_0 = {
	.setattr	= ext4_setattr,
};
