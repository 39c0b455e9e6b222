// SPDX-License-Identifier: GPL-2.0
/*
 * ext4's DAX side as of Linux v4.5 (policy dax-2016; read in linux-4.5.7):
 * fs/ext4/inode.c ext4_dax_mmap_get_block(), ext4_setattr(), ext4_truncate(),
 * ext4_punch_hole(), ext4_writepages() (its DAX branch); fs/ext4/file.c
 * ext4_dax_fault(), ext4_dax_pmd_fault(), ext4_dax_pfn_mkwrite(),
 * ext4_dax_vm_ops and ext4_file_mmap(); fs/ext4/fsync.c ext4_sync_file().
 * docs/eras/dax-2016.md cites each step.
 *
 * Shared with v4.0 (ext4-v4.0.c), read in both trees: ext4_get_block()
 * as a lookup (create 0: _ext4_get_block -> ext4_map_blocks with no
 * flags), which dax_zero_page_range() is given by ext4_block_zero_page_range();
 * read(2)'s copy (dax_do_io READ; v4.5 writes back the range first) and
 * fallocate's unwritten allocation
 * (ext4_alloc_file_blocks, no DAX branch in v4.5's fs/ext4/extents.c),
 * shared by every era (ext4.c). Different in v4.5, so here: the fault
 * handlers take i_mmap_sem; get_block for faults is
 * ext4_dax_mmap_get_block (zeroes blocks itself, durably, and converts
 * unwritten extents even for a read); dax_zero_page_range flushes; the
 * setattr truncates blocks only when shrinking; fsync writes DAX entries
 * back; write(2) writes back and (with hole pages) invalidates around a
 * durable dax_do_io. fallocate's zero range, collapse and insert range
 * (fs/ext4/extents.c) are here too.
 */
#include <assert.h>
#include <limits.h>
#include <string.h>

#include "dax-v4.5.h"
#include "ext4.h"
#include "jbd2.h"
#include "lock.h"
#include "mm.h"
#include "nvdimm.h"
#include "pagemap.h"
#include "pmem.h"
#include "truncate.h"

/*
 * ext4_map_blocks(EXT4_GET_BLOCKS_CONVERT | EXT4_GET_BLOCKS_CREATE_ZERO)
 * on an unwritten extent (ext4_ext_handle_unwritten_extents, v4.5
 * extents.c): ext4_issue_zeroout() of the first @n blocks (the request,
 * clipped to the extent), then ext4_convert_unwritten_extents_endio():
 * written. The zeroes go through the pmem driver (memcpy_to_pmem, then
 * wmb_pmem in pmem_make_request): durable.
 */
static void ext4_convert_zero(struct kernel *k, struct inode *inode, pgoff_t iblock,
			      unsigned long n, unsigned long block)
{
	might_sleep(k, "ext4_issue_zeroout");
	/* over poison: v4.5's pmem_do_bvec() stores over it (not modelled) */
	if (G_UNLIKELY(k->pmem.poison))
		(void)pmem_zeroout_poisoned(k, block_pfn(block), n);
	pmem_fill_flush(k, block_pfn(block), n, 0);
	for (unsigned long i = 0; i < n; i++)
		ext4_set_block(k, inode, iblock + i, block + i, false);
}

/*
 * ext4_dax_mmap_get_block(), v4.5 fs/ext4/inode.c L3123, for
 * [iblock, iblock + b_size / 4 KiB):
 *  - a hole without @create: ext4_map_blocks returns 0, @bh untouched
 *    (b_state 0: "size not valid");
 *  - a hole with @create (PRE_IO | CREATE_ZERO): new written blocks, one
 *    run up to the next extent as ext4_mb_new_blocks gives it, zeroed
 *    durably (ext4_issue_zeroout) before they enter the extent tree;
 *  - an unwritten extent, ✏️ with or without @create: converted to
 *    written and zeroed (the second ext4_map_blocks, CONVERT | CREATE_ZERO);
 *  - BH_New is cleared ("so that DAX code doesn't attempt to zero blocks
 *    again"): fs/dax.c never zeroes for ext4.
 * ext4_map_blocks() (v4.5 L471-685) looks up under i_data_sem shared
 * (L525-556); a create that found a hole takes it exclusive (L597) and
 * ext4_ext_map_blocks() looks again: a block another task allocated in
 * between is found, not new. The new run is zeroed (L644-652) and
 * inserted before up_write (L680). (The conversion of an unwritten
 * extent is its own ext4_map_blocks() call, under its own i_data_sem:
 * ext4_convert_zero().)
 */
static int ext4_dax_mmap_get_block(struct kernel *k, struct inode *inode,
				   unsigned long iblock, struct buffer_head *bh, int create)
{
	unsigned long m_len = bh->b_size >> PAGE_SHIFT, n;
	struct ext4_extent *ex;
	bool inside, fresh = false;

	assert(m_len);
	down_read(k, &inode->i_data_sem);
	ex = ext_next(inode->blocks, iblock);
	inside = ex && ex->start <= iblock;
	up_read(k, &inode->i_data_sem);
	if (!inside && !create)
		return 0;
	if (!inside) {
		down_write(k, &inode->i_data_sem);
		/* bug-alloc-no-recheck: the hole seen before stays a hole */
		ex = ext_next(inode->blocks, iblock);
		inside = ex && ex->start <= iblock && !SW(k, BUG_ALLOC_NO_RECHECK);
		if (!inside) {
			long b;

			if (ex && ex->start > iblock && ex->start - iblock < m_len)
				m_len = ex->start - iblock;
			b = ext4_new_filled_run(k, inode, iblock, m_len, &n, 0);
			up_write(k, &inode->i_data_sem);
			if (b < 0)
				return (int)b;
			bh->b_blocknr = b;
			fresh = true;
			goto out;
		}
		up_write(k, &inode->i_data_sem);
	}
	n = ex->start + ex->len - iblock;
	if (n > m_len)
		n = m_len;
	bh->b_blocknr = ex->target + (iblock - ex->start);
	if (ex->aux) {
		/* ext4_map_blocks(CONVERT | CREATE_ZERO): i_data_sem exclusive */
		down_write(k, &inode->i_data_sem);
		ext4_convert_zero(k, inode, iblock, n, bh->b_blocknr);
		up_write(k, &inode->i_data_sem);
	}
out:
	/* bug-get-block-keeps-new: EXT4_MAP_NEW reaches the bh, fs/dax.c zeroes */
	bh->b_state = BH_Mapped | (fresh && SW(k, BUG_GET_BLOCK_KEEPS_NEW) ? BH_New : 0);
	bh->b_size = n << PAGE_SHIFT;
	return 0;
}

/*
 * ext4_dax_fault(), v4.5 fs/ext4/file.c L196: i_mmap_sem shared (a write
 * also sb_start_pagefault, file_update_time, a journal handle) around
 * __dax_fault with ext4_dax_mmap_get_block. Also ->page_mkwrite (a write
 * to a mapped hole page).
 */
static int ext4_dax_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct inode *inode = vma_inode(vmf->vma);
	int result;

	if (vmf->flags & FAULT_FLAG_WRITE)
		file_update_time(k, inode);
	/* bug-fault-no-i-mmap-sem: the fault without the lock */
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))
		down_read(k, &inode->i_mmap_sem);
	result = __dax_fault(k, vmf->vma, vmf, ext4_dax_mmap_get_block);
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))
		up_read(k, &inode->i_mmap_sem);
	return result;
}

/*
 * ext4_dax_pmd_fault(), v4.5 L228: the same around __dax_pmd_fault. v4.5's
 * ->pmd_fault(vma, addr, pmd, flags) sits in the model's ->huge_fault slot
 * (the mm calls it for PE_SIZE_PMD only, as v4.5's create_huge_pmd() and
 * wp_huge_pmd() call ->pmd_fault).
 */
static int ext4_dax_pmd_fault(struct kernel *k, struct vm_fault *vmf,
			      enum page_entry_size pe_size)
{
	struct inode *inode = vma_inode(vmf->vma);
	int result;

	assert(pe_size == PE_SIZE_PMD);
	if (vmf->flags & FAULT_FLAG_WRITE)
		file_update_time(k, inode);
	/* bug-fault-no-i-mmap-sem: the fault without the lock */
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))
		down_read(k, &inode->i_mmap_sem);
	result = __dax_pmd_fault(k, vmf->vma, vmf, ext4_dax_mmap_get_block);
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))
		up_read(k, &inode->i_mmap_sem);
	return result;
}

/*
 * ext4_dax_pfn_mkwrite(), v4.5 L274: file_update_time, i_mmap_sem shared,
 * SIGBUS past EOF, else dax_pfn_mkwrite (tag DIRTY). v4.5's wp_pfn_shared()
 * then makes the PTE writable itself (memory.c).
 */
static int ext4_dax_pfn_mkwrite(struct kernel *k, struct vm_fault *vmf)
{
	struct inode *inode = vma_inode(vmf->vma);
	int ret;

	file_update_time(k, inode);
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))	/* the variant: no lock here either */
		down_read(k, &inode->i_mmap_sem);
	if (vmf->pgoff >= DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE))
		ret = VM_FAULT_SIGBUS;
	else
		ret = dax_pfn_mkwrite(k, vmf->vma, vmf);
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))
		up_read(k, &inode->i_mmap_sem);
	return ret;
}

/* ext4_dax_vm_ops, v4.5 L296: no ->map_pages */
const struct vm_operations_struct ext4_dax_vm_ops_v4_5 = {
	.fault		= ext4_dax_fault,
	.huge_fault	= ext4_dax_pmd_fault,	/* .pmd_fault */
	.page_mkwrite	= ext4_dax_fault,
	.pfn_mkwrite	= ext4_dax_pfn_mkwrite,
};

/*
 * ext4_file_mmap(), v4.5 L312: VM_MIXEDMAP | VM_HUGEPAGE for DAX; a
 * page-cache file's VMA gets ext4_file_vm_ops (L306: ext4_filemap_fault,
 * filemap_map_pages, ext4_page_mkwrite; v4.14's, model/ext4_readpage.c).
 */
static int ext4_file_mmap(struct kernel *k, struct file *file, struct vm_area_struct *vma)
{
	(void)k;
	if (!IS_DAX(file_inode(file))) {
		vma->vm_ops = &ext4_file_vm_ops;
		return 0;
	}
	vma->vm_ops = &ext4_dax_vm_ops_v4_5;
	vma->vm_flags |= VM_MIXEDMAP | VM_HUGEPAGE;
	return 0;
}

/*
 * ext4_block_zero_page_range(), v4.5 L3602: clipped to the block, then
 * dax_zero_page_range() with ext4_get_block: written blocks only, durably;
 * a page-cache file's __ext4_block_zero_page_range() (L3491).
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
	/* over poison: dax_zero_page_range_v4_5() stops the run (not modelled) */
	dax_zero_page_range_v4_5(k, inode, from, length, ext4_get_block);
	return 0;
}

/* ext4_truncate(), v4.5: zero the tail of the last block, free the rest */
static void ext4_truncate(struct kernel *k, struct inode *inode)
{
	if (inode->i_size & (PAGE_SIZE - 1))
		ext4_block_zero_page_range(k, inode, inode->i_size, PAGE_SIZE);
	down_write(k, &inode->i_data_sem);	/* v4.5 L3965 */
	ext4_remove_blocks(k, inode, DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE),
			   ~0UL);
	up_write(k, &inode->i_data_sem);
}

/*
 * ext4_setattr() with ATTR_SIZE, v4.5 L4882: ✏️ i_size_write (L4979)
 * before i_mmap_sem is taken (L5004); then truncate_pagecache (L5009),
 * which deletes the DAX entries past EOF dirty or not (a PMD entry only
 * if its aligned index is past EOF), and ext4_truncate() unless growing
 * (shrink is ia_size <= i_size: the tail of the last block is zeroed).
 * No writeback of DAX entries. ftruncate sets the times (setattr_copy).
 * A page-cache file's the same (ext4_begin_ordered_truncate() waits for
 * the journal only; pagecache_isize_extended() returns at once with
 * 4 KiB blocks).
 */
static int ext4_setattr(struct kernel *k, struct inode *inode, loff_t size)
{
	bool shrink = size <= inode->i_size;	/* L4929: the same size too */
	int error;

	error = inode_newsize_ok(k, inode, size);	/* inode_change_ok(), L4889 */
	if (error)
		return error;
	if (size != inode->i_size)
		inode->i_size = size;
	down_write(k, &inode->i_mmap_sem);
	truncate_pagecache(k, inode, inode->i_size);
	if (shrink)
		ext4_truncate(k, inode);
	up_write(k, &inode->i_mmap_sem);
	file_update_time(k, inode);
	return 0;
}

/*
 * filemap_write_and_wait_range(), v4.5 mm/filemap.c L509-510: runs for a
 * DAX mapping with entries (nrexceptional; its hole pages do not count)
 * or another with pages -> ext4_writepages(): for DAX
 * dax_writeback_mapping_range() (L2481), WB_SYNC_ALL; for a page-cache
 * file the DIRTY pages of the range (write_cache_pages(),
 * model/page-writeback.c).
 */
static int filemap_write_and_wait_range(struct kernel *k, struct address_space *mapping,
					loff_t start, loff_t end)
{
	if (IS_DAX(mapping->host))
		return mapping->nrexceptional ?
		       dax_writeback_mapping_range_v4_5(k, mapping, start, end) : 0;
	if (!mapping->nrpages)
		return 0;
	return write_cache_pages(k, mapping, (unsigned long)start >> PAGE_SHIFT,
				 (unsigned long)end >> PAGE_SHIFT);
}

/*
 * ext4_punch_hole(), v4.5 L3715. ✏️ The writeback first runs only when
 * `mapping->nrpages && mapping_tagged(mapping, PAGECACHE_TAG_DIRTY)`
 * (L3735): nrpages counts hole pages only, so without one the DAX entries
 * of the range are deleted dirty, unflushed; with one, a DIRTY entry
 * anywhere in the file makes filemap_write_and_wait_range() write back
 * the range's entries (mm/filemap.c L509-510: DAX tests nrexceptional);
 * a page-cache file's DIRTY pages of the range are written back. Under i_mutex and i_mmap_sem (exclusive): clamp to EOF,
 * truncate_pagecache_range() over whole blocks (unmap, delete entries: a
 * PMD entry goes whole if its aligned index is inside), zero the partial
 * blocks (durably), free the whole blocks, update the times.
 */
static int ext4_punch_hole(struct kernel *k, struct inode *inode, loff_t offset,
			   loff_t length)
{
	struct address_space *mapping = &inode->i_data;
	loff_t first, last;

	if (mapping->nrpages && radix_tree_tagged(&mapping->page_tree, PAGECACHE_TAG_DIRTY))
		filemap_write_and_wait_range(k, mapping, offset, offset + length - 1);
	/* bug-punch-lock-order: i_mmap_sem first, the inode lock inside it */
	if (SW(k, BUG_PUNCH_LOCK_ORDER))
		down_write(k, &inode->i_mmap_sem);
	down_write(k, &inode->i_rwsem);	/* inode_lock() */
	if (offset >= inode->i_size) {
		if (SW(k, BUG_PUNCH_LOCK_ORDER))
			up_write(k, &inode->i_mmap_sem);
		goto out;
	}
	if (offset + length > inode->i_size)
		length = inode->i_size + PAGE_SIZE -
			 (inode->i_size & (PAGE_SIZE - 1)) - offset;
	if (!SW(k, BUG_PUNCH_LOCK_ORDER))
		down_write(k, &inode->i_mmap_sem);
	first = round_up(offset, (loff_t)PAGE_SIZE);
	last = round_down(offset + length, (loff_t)PAGE_SIZE) - 1;
	if (last > first) {
		if (SW(k, BUG_PUNCH_NO_UNMAP))
			truncate_inode_pages_range(k, &inode->i_data, first, last);
		else
			truncate_pagecache_range(k, inode, first, last);
	}
	ext4_zero_partial_blocks(k, inode, offset, length, ext4_block_zero_page_range);
	down_write(k, &inode->i_data_sem);	/* ext4_punch_hole(), v4.5 L3815-3832 */
	ext4_remove_blocks(k, inode, DIV_ROUND_UP(offset, PAGE_SIZE),
			   (unsigned long)(offset + length) >> PAGE_SHIFT);
	up_write(k, &inode->i_data_sem);
	file_update_time(k, inode);
	up_write(k, &inode->i_mmap_sem);
out:
	up_write(k, &inode->i_rwsem);
	return 0;
}

/*
 * ext4_zero_range(), v4.5 fs/ext4/extents.c L4754 (v4.14's steps; v4.0's
 * differ, ext4-v4.0.c). No writeback and no test of IS_DAX. Under i_mutex:
 * with a partial block at either end, ext4_alloc_file_blocks() over every
 * block the range touches (L4830, CREATE_UNWRIT_EXT: holes become
 * unwritten, written blocks stay), i_size growing with it up to the new
 * size. Then the whole blocks, under i_mmap_sem (L4849):
 * truncate_pagecache_range() unmaps them and deletes their hole pages and
 * DAX entries (dirty or not, unflushed: the data goes anyway), and
 * CONVERT_UNWRITTEN makes written blocks unwritten too. Then, with a
 * partial block, the times, the new size, and ext4_zero_partial_blocks():
 * dax_zero_page_range() zeroes the written partial blocks durably; their
 * mappings stay, over the same blocks. ext4_update_disksize_before_punch()
 * (the journal's i_disksize) is not modelled.
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
	down_write(k, &inode->i_rwsem);
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size)
		new_size = offset + len;	/* inode_newsize_ok(): vfs_fallocate checked it */
	if (partial_begin || partial_end) {
		pgoff_t first = (unsigned long)offset >> PAGE_SHIFT;

		ret = ext4_alloc_file_blocks(k, inode, first,
					     DIV_ROUND_UP((unsigned long)(offset + len),
							  PAGE_SIZE) - first,
					     new_size, false);
		if (ret)
			goto out;
	}
	if (max_blocks > 0) {
		down_write(k, &inode->i_mmap_sem);
		truncate_pagecache_range(k, inode, start, end - 1);
		file_update_time(k, inode);
		ret = ext4_alloc_file_blocks(k, inode, lblk, max_blocks, new_size, true);
		up_write(k, &inode->i_mmap_sem);
		if (ret)
			goto out;
	}
	if (!partial_begin && !partial_end)
		goto out;
	file_update_time(k, inode);
	if (new_size > inode->i_size)	/* ext4_update_inode_size() */
		inode->i_size = new_size;
	ext4_zero_partial_blocks(k, inode, offset, len, ext4_block_zero_page_range);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/*
 * ext4_collapse_range(), v4.5 fs/ext4/extents.c L5458: block aligned
 * (-EINVAL, before any lock); under i_mutex, ending at or past EOF is
 * -EINVAL. Under i_mmap_sem (faults wait): filemap_write_and_wait_range()
 * of [offset, offset] ("the tail of the last page before": with 4 KiB
 * blocks the first collapsed block) and of [offset + len, LLONG_MAX]
 * (L5529, L5537), which for a DAX mapping with entries (mm/filemap.c
 * L509-510) is dax_writeback_mapping_range() and for a page-cache file
 * writes its dirty pages: what moves is written back before
 * truncate_pagecache() from @offset (L5541) deletes it: every PTE of the file from there on is unmapped (COW
 * copies too) and every entry there deleted (v4.5: a PMD entry only when
 * its aligned index is at or past @offset). Then ext4_ext_remove_space()
 * frees the range, ext4_ext_shift_extents() moves the rest down, i_size
 * shrinks by @len, the times.
 */
static int ext4_collapse_range(struct kernel *k, struct inode *inode, loff_t offset,
			       loff_t len)
{
	struct address_space *mapping = &inode->i_data;
	int ret = 0;

	if ((offset | len) & (PAGE_SIZE - 1))
		return -EINVAL;
	down_write(k, &inode->i_rwsem);
	if (offset + len >= inode->i_size) {	/* "effectively a truncate" */
		ret = -EINVAL;
		goto out;
	}
	down_write(k, &inode->i_mmap_sem);
	filemap_write_and_wait_range(k, mapping, offset, offset);
	filemap_write_and_wait_range(k, mapping, offset + len, LLONG_MAX);
	ext4_collapse_blocks(k, inode, offset, len);
	up_write(k, &inode->i_mmap_sem);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/*
 * ext4_insert_range(), v4.5 fs/ext4/extents.c L5602: block aligned
 * (-EINVAL); under i_mutex, i_size + @len past s_maxbytes is -EFBIG and
 * @offset at or past EOF -EINVAL. Under i_mmap_sem:
 * filemap_write_and_wait_range() from @offset to the end (DAX: the DIRTY
 * entries flushed), truncate_pagecache() from @offset (its PTEs and
 * entries gone, as for collapse), i_size grows by @len first ("to avoid
 * data loss if there is error while shifting"), the extent at @offset is
 * split and every block from @offset on shifted up by @len: [offset,
 * offset + len) is a hole. ✏️ v4.5's ext4_ext_shift_extents() does not
 * check that the last extent stays below EXT_MAX_BLOCKS (v4.14 does):
 * its le32 ee_block would wrap. The model stops there (not modelled).
 */
static int ext4_insert_range(struct kernel *k, struct inode *inode, loff_t offset,
			     loff_t len)
{
	struct ext4_extent *last = inode->blocks->last;
	int ret = 0;

	if ((offset | len) & (PAGE_SIZE - 1))
		return -EINVAL;
	down_write(k, &inode->i_rwsem);
	if (inode->i_size + len > k->sb.s_maxbytes) {	/* "wrap through zero" */
		ret = -EFBIG;
		goto out;
	}
	if (offset >= inode->i_size) {
		ret = -EINVAL;
		goto out;
	}
	if (last && last->start + last->len + ((unsigned long)len >> PAGE_SHIFT) > EXT_MAX_BLOCKS) {
		ret = -ENOSYS;
		not_modelled(k, "insert range moving a block past EXT_MAX_BLOCKS under dax-2016 "
			     "(v4.5 wraps the extent's 32-bit start)");
		goto out;
	}
	down_write(k, &inode->i_mmap_sem);
	filemap_write_and_wait_range(k, &inode->i_data, offset, LLONG_MAX);
	truncate_pagecache(k, inode, offset);
	inode->i_size += len;
	file_update_time(k, inode);
	ext4_ext_shift_extents(k, inode, (unsigned long)offset >> PAGE_SHIFT,
			       (unsigned long)len >> PAGE_SHIFT, false);
	up_write(k, &inode->i_mmap_sem);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/*
 * ext4_fallocate(), v4.5 fs/ext4/extents.c L4916: the modes (INSERT_RANGE
 * since v4.1); none is refused for a DAX inode.
 */
static long ext4_fallocate(struct kernel *k, struct file *file, int mode,
			   loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE |
		     FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return ext4_punch_hole(k, inode, offset, len);
	if (mode & FALLOC_FL_COLLAPSE_RANGE)
		return ext4_collapse_range(k, inode, offset, len);
	if (mode & FALLOC_FL_INSERT_RANGE)
		return ext4_insert_range(k, inode, offset, len);
	if (mode & FALLOC_FL_ZERO_RANGE)
		return ext4_zero_range(k, inode, offset, len, mode);
	return ext4_fallocate_alloc(k, inode, offset, len, mode);
}

/* ext4_sync_file(), v4.5 fs/ext4/fsync.c: the range written back, then the journal */
static int ext4_sync_file(struct kernel *k, struct file *file, loff_t start,
			  loff_t end, int datasync)
{
	int ret = filemap_write_and_wait_range(k, &file_inode(file)->i_data, start, end);

	/* v4.5 fs/ext4/fsync.c L137-141: jbd2_complete_transaction(i_datasync_tid or i_sync_tid) */
	jbd2_complete_transaction(k, file_inode(file), datasync);
	return ret;
}

/*
 * generic_file_direct_write(), v4.5 mm/filemap.c: ✏️ first
 * filemap_write_and_wait_range() over the write, which for a DAX mapping
 * with entries is dax_writeback_mapping_range() (the range's DIRTY entries
 * flushed, TOWRITE cleared); then, only if the mapping has hole pages,
 * invalidate_inode_pages2_range() before and after the write, which
 * unmaps the hole pages (the first one mapped: from it to the end of the
 * range, block PTEs too) and ✏️ deletes the DAX entries of the range
 * (clear_exceptional_entry, mm/truncate.c L598). i_size follows the write.
 */
static ssize_t generic_file_direct_write(struct kernel *k, struct inode *inode,
					 const struct iov_iter *from, loff_t pos)
{
	struct address_space *mapping = &inode->i_data;
	pgoff_t end = (unsigned long)(pos + (loff_t)from->count - 1) >> PAGE_SHIFT;
	ssize_t written;

	if (mapping->nrexceptional)
		dax_writeback_mapping_range_v4_5(k, mapping, pos,
						 pos + (loff_t)from->count - 1);
	if (mapping->nrpages)
		invalidate_inode_pages2_range(k, mapping, (unsigned long)pos >> PAGE_SHIFT, end);
	/* ext4_direct_IO() -> ext4_ext_direct_IO(), v4.5 L3236: v4.0's structure */
	written = ext4_direct_IO_write(k, inode, from, pos, dax_do_io_write_v4_5);
	if (mapping->nrpages)
		invalidate_inode_pages2_range(k, mapping, (unsigned long)pos >> PAGE_SHIFT, end);
	if (written > 0 && pos + written > inode->i_size)
		inode->i_size = pos + written;
	return written;
}

/*
 * ext4_file_write_iter(), v4.5 fs/ext4/file.c L90, under i_mutex ->
 * __generic_file_write_iter(): nothing for an empty write; the file
 * times; the direct write (a DAX file is always IOCB_DIRECT), no buffered
 * fallback. generic_write_checks() (v4.5 mm/filemap.c) first: -EFBIG at
 * or past s_maxbytes, a write across it cut short. A page-cache file's
 * write is generic_perform_write(), as v4.14's (ext4_buffered_write_iter(),
 * model/ext4_readpage.c).
 */
static ssize_t ext4_file_write_iter(struct kernel *k, struct file *file,
				    loff_t pos, const struct iov_iter *from)
{
	struct inode *inode = file_inode(file);
	struct iov_iter it = *from;
	ssize_t written;
	int err;

	if (!IS_DAX(inode))
		return ext4_buffered_write_iter(k, file, pos, from);
	if (!it.count)
		return 0;
	down_write(k, &inode->i_rwsem);
	err = generic_write_checks(k, file, pos, &it);	/* L117: s_maxbytes */
	if (err) {
		up_write(k, &inode->i_rwsem);
		return err;
	}
	file_update_time(k, inode);
	written = generic_file_direct_write(k, inode, &it, pos);
	up_write(k, &inode->i_rwsem);
	return written;
}

/*
 * ->read_iter = generic_file_read_iter(), v4.5 mm/filemap.c, IOCB_DIRECT
 * (a DAX file): ✏️ filemap_write_and_wait_range() over the range first,
 * which for a DAX mapping with entries writes back its DIRTY entries
 * (TOWRITE cleared, DIRTY kept); then ext4_direct_IO -> dax_do_io(READ):
 * holes and unwritten blocks read zero, written ones through the CPU's
 * view: the read every era shares (ext4_file_read).
 */
static ssize_t ext4_file_read_iter(struct kernel *k, struct file *file, loff_t pos,
				   const struct iov_iter *to)
{
	struct address_space *mapping = &file_inode(file)->i_data;

	if (to->count && mapping->nrexceptional)
		dax_writeback_mapping_range_v4_5(k, mapping, pos, pos + (loff_t)to->count - 1);
	return __ext4_file_read(k, file, pos, to, true);
}

const struct file_operations ext4_dax_file_operations_v4_5 = {
	.read		= ext4_file_read_iter,
	.write_iter	= ext4_file_write_iter,
	.mmap		= ext4_file_mmap,
	.fsync		= ext4_sync_file,
	.fallocate	= ext4_fallocate,
};

const struct inode_operations ext4_file_inode_operations_v4_5 = {
	.setattr	= ext4_setattr,
};
