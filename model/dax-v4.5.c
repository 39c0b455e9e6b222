// SPDX-License-Identifier: GPL-2.0
/*
 * fs/dax.c, Linux v4.5 (read in linux-4.5.7): dax_radix_entry(),
 * dax_load_hole(), dax_insert_mapping(), __dax_fault(), __dax_pmd_fault(),
 * dax_pfn_mkwrite(), dax_writeback_one() and dax_writeback_mapping_range(),
 * dax_zero_page_range(); and mm/truncate.c's clear_exceptional_entry().
 * The filesystem is reached only through get_block; the mm through
 * vm_insert_mixed(), vmf_insert_pfn_pmd(), unmap_mapping_range(),
 * truncate_pagecache_range() and the page cache (pagemap.h). Line numbers
 * are v4.5's fs/dax.c unless said otherwise. v4.5 has no DAX tracepoints.
 */
#include <string.h>

#include "dax.h"
#include "dax-v4.5.h"
#include "huge_mm.h"
#include "linux_fs.h"
#include "lock.h"
#include "mm.h"
#include "nvdimm.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"
#include "pmem.h"
#include "usercopy.h"
#include "radix-tree.h"
#include "truncate.h"

/* NO_SECTOR, L348: dax_pfn_mkwrite() has no sector to give */
#define NO_SECTOR	(~0UL)
/* DAX_PMD_INDEX(), L349 */
#define DAX_PMD_INDEX(index)	((index) & ~(pgoff_t)PG_PMD_COLOUR)

/* RADIX_DAX_ENTRY(sector, pmd) in the model's one encoding (dax-v4.5.h) */
static void *radix_dax_entry(unsigned long sector, bool pmd)
{
	return (void *)(RADIX_TREE_EXCEPTIONAL_ENTRY | (pmd ? RADIX_DAX_PMD : 0) |
			(sector << RADIX_DAX_SHIFT));
}

/* The indices an entry covers changed: the 512 of a PMD entry. */
static void entry_changed(struct kernel *k, struct inode *inode, pgoff_t index, bool pmd)
{
	if (pmd)
		trace_range_changed(k, inode, DAX_PMD_INDEX(index), PMD_SIZE >> PAGE_SHIFT);
	else
		trace_index_changed(k, inode, index);
}

/* DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE) */
static pgoff_t i_size_pages(const struct inode *inode)
{
	return DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE);
}

static bool buffer_written(const struct buffer_head *bh)
{
	return buffer_mapped(bh) && !buffer_unwritten(bh);
}

/* buffer_size_valid(), L137: get_block said how long the mapping is */
static bool buffer_size_valid(const struct buffer_head *bh)
{
	return bh->b_state != 0;
}

/* to_sector() -> dax_map_atomic(): the pmem pfn of the block (4 KiB blocks) */
static unsigned long dax_get_pfn(const struct buffer_head *bh)
{
	return PMEM_BASE_PFN + bh->b_blocknr;
}

static unsigned long to_sector(const struct buffer_head *bh)
{
	return bh->b_blocknr * SECTORS_PER_BLOCK;
}

/*
 * dax_radix_entry(), L351: the one insertion routine. A PMD entry at the
 * aligned index takes the tag for every index under it; an entry at
 * @index is only tagged, unless a PMD entry replaces a PTE entry there
 * ("We only insert dirty PMD entries"). Only the slot at @index is looked
 * at: PTE entries at other indices under a new PMD entry stay. NO_SECTOR
 * with no entry inserts nothing (a pfn_mkwrite that raced a punch).
 */
static int dax_radix_entry(struct kernel *k, struct address_space *mapping, pgoff_t index,
			   unsigned long sector, bool pmd_entry, bool dirty)
{
	struct radix_tree_root *page_tree = &mapping->page_tree;
	pgoff_t pmd_index = DAX_PMD_INDEX(index);
	int error = 0;
	void *entry;

	if (dirty)
		mapping->host->dirty = true;	/* __mark_inode_dirty(I_DIRTY_PAGES) */
	spin_lock(k, &mapping->tree_lock);
	entry = radix_tree_lookup(page_tree, pmd_index);
	if (entry && radix_tree_exceptional_entry(entry) && dax_is_pmd_entry(entry)) {
		index = pmd_index;
		goto dirty;
	}
	entry = radix_tree_lookup(page_tree, index);
	if (entry) {
		/* WARN_ON_ONCE(type != PTE && type != PMD): a hole page here */
		if (!radix_tree_exceptional_entry(entry)) {
			error = -EIO;
			goto unlock;
		}
		if (!pmd_entry || dax_is_pmd_entry(entry))
			goto dirty;
		radix_tree_delete(page_tree, index);
		mapping->nrexceptional--;
		entry_changed(k, mapping->host, index, false);
	}
	if (sector == NO_SECTOR)
		goto unlock;
	might_sleep(k, "radix_tree_insert");	/* GFP_ATOMIC under tree_lock: no sleep, but may fail */
	error = radix_tree_insert(page_tree, index, 0, radix_dax_entry(sector, pmd_entry));
	if (error)
		goto unlock;
	mapping->nrexceptional++;
	entry = radix_tree_lookup(page_tree, index);
dirty:
	if (dirty)
		radix_tree_tag_set(page_tree, index, PAGECACHE_TAG_DIRTY);
	entry_changed(k, mapping->host, index, dax_is_pmd_entry(entry));
unlock:
	spin_unlock(k, &mapping->tree_lock);
	return error;
}

/*
 * dax_writeback_one(), L421: the slot must still hold @entry and be
 * TOWRITE; flush its 4 KiB or 2 MiB (wb_cache_pmem) and clear TOWRITE.
 * ✏️ DIRTY stays and no PTE is write-protected (v4.10 added both). With
 * the switch dax-mkclean, v4.10's steps (linux-4.10.17 fs/dax.c L733):
 * dax_mapping_entry_mkclean() at the entry's index before the flush (the
 * huge pmd there, or that one PTE, in each shared VMA), then DIRTY
 * cleared after it (L815). (v4.10 clears TOWRITE before the flush, under
 * the entry lock: with one thread the order shows nowhere.)
 */
static int dax_writeback_one(struct kernel *k, struct address_space *mapping,
			     pgoff_t index, void *entry)
{
	struct radix_tree_root *page_tree = &mapping->page_tree;
	unsigned long pfn, size;

	spin_lock(k, &mapping->tree_lock);
	if (radix_tree_lookup(page_tree, index) != entry ||
	    !radix_tree_tag_get(page_tree, index, PAGECACHE_TAG_TOWRITE)) {
		spin_unlock(k, &mapping->tree_lock);
		return 0;
	}
	pfn = PMEM_BASE_PFN + dax_entry_block(entry);
	size = dax_is_pmd_entry(entry) ? PMD_SIZE : PAGE_SIZE;
	spin_unlock(k, &mapping->tree_lock);

	might_sleep(k, "dax_map_atomic");
	if (SW(k, DAX_MKCLEAN))
		dax_mapping_entry_mkclean(k, mapping, index, pfn, size >> PAGE_SHIFT);
	for (unsigned long off = 0; off < size && !SW(k, BUG_WRITEBACK_NO_FLUSH); off += PAGE_SIZE)
		pmem_flush(k, pfn + (off >> PAGE_SHIFT), 0, PAGE_SIZE);	/* wb_cache_pmem */

	spin_lock(k, &mapping->tree_lock);
	radix_tree_tag_clear(page_tree, index, PAGECACHE_TAG_TOWRITE);
	if (SW(k, DAX_MKCLEAN))
		radix_tree_tag_clear(page_tree, index, PAGECACHE_TAG_DIRTY);
	entry_changed(k, mapping->host, index, dax_is_pmd_entry(entry));
	spin_unlock(k, &mapping->tree_lock);
	return 0;
}


/*
 * dax_writeback_mapping_range(), L487: nothing unless the mapping has
 * entries (and WB_SYNC_ALL, which fsync and msync(MS_SYNC) ask). A PMD
 * entry covering the start index moves the start to its aligned index;
 * tag_pages_for_writeback() turns DIRTY into TOWRITE over the range;
 * then find_get_entries_tag() from start_index, PAGEVEC_SIZE at a time,
 * each written back until one lies past end_index. start_index does not
 * move: each pass finds the TOWRITE entries the last one left. wmb_pmem().
 */
int dax_writeback_mapping_range_v4_5(struct kernel *k, struct address_space *mapping,
				     loff_t start, loff_t end)
{
	struct radix_tree_root *page_tree = &mapping->page_tree;
	pgoff_t start_index = (unsigned long)start >> PAGE_SHIFT;
	pgoff_t end_index = (unsigned long)end >> PAGE_SHIFT;
	pgoff_t pmd_index = DAX_PMD_INDEX(start_index);
	struct radix_tree_iter iter;
	bool done = false;
	void *entry;

	if (!mapping->nrexceptional)
		return 0;
	entry = radix_tree_lookup(page_tree, pmd_index);
	if (entry && radix_tree_exceptional_entry(entry) && dax_is_pmd_entry(entry))
		start_index = pmd_index;

	spin_lock(k, &mapping->tree_lock);	/* tag_pages_for_writeback() */
	radix_tree_for_each(page_tree, &iter, start_index, end_index, PAGECACHE_TAG_DIRTY)
		radix_tree_tag_set(page_tree, iter.index, PAGECACHE_TAG_TOWRITE);
	spin_unlock(k, &mapping->tree_lock);

	while (!done) {
		pgoff_t indices[PAGEVEC_SIZE];
		void *entries[PAGEVEC_SIZE];
		unsigned nr = find_get_entries_tag(mapping, start_index, PAGECACHE_TAG_TOWRITE,
						   PAGEVEC_SIZE, entries, indices);

		if (nr == 0)
			break;
		for (unsigned i = 0; i < nr; i++) {
			if (indices[i] > end_index) {
				done = true;
				break;
			}
			dax_writeback_one(k, mapping, indices[i], entries[i]);
		}
	}
	return 0;	/* wmb_pmem(): pmem_flush() is durable at once */
}

/*
 * dax_load_hole(), L307: a zeroed page-cache page (find_or_create_page,
 * __GFP_ZERO), i_size re-checked under its lock; VM_FAULT_LOCKED with
 * vmf->page: do_read_fault() maps it (do_set_pte, MM_FILEPAGES). The same
 * as v4.0's (dax-v4.0.c); it sits in the tree beside the DAX entries.
 */
static int dax_load_hole(struct kernel *k, struct address_space *mapping,
			 struct page *page, struct vm_fault *vmf)
{
	if (!page)
		page = find_or_create_page(k, mapping, vmf->pgoff);
	if (!page)
		return VM_FAULT_OOM;
	if (vmf->pgoff >= i_size_pages(mapping->host)) {
		unlock_page(k, page);
		put_page(k, page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return VM_FAULT_LOCKED;
}

/* clear_user_highpage() */
static void clear_user_highpage(struct page *page)
{
	if (page->data)
		memset(page->data, 0, PAGE_SIZE);
}

/*
 * dax_insert_mapping(), L544, under i_mmap_lock_read: re-check i_size
 * (-EIO); zero a new or unwritten block with clear_pmem + wmb_pmem
 * (durable; ext4's get_block never hands one, it zeroes itself); insert
 * the entry, tagged DIRTY for a write fault, clean for a read; then
 * vm_insert_mixed() with vm_page_prot: ✏️ read-only even for a write
 * fault in a shared writable VMA (write-notify, no mkwrite in v4.5's
 * insert_pfn), so the retried store takes a wp fault (dax_pfn_mkwrite).
 */
static int dax_insert_mapping(struct kernel *k, struct inode *inode, struct buffer_head *bh,
			      struct vm_area_struct *vma, struct vm_fault *vmf)
{
	struct address_space *mapping = &inode->i_data;
	unsigned long pfn;
	int error;

	down_read(k, &mapping->i_mmap_rwsem);
	if (vmf->pgoff >= i_size_pages(inode)) {
		error = -EIO;
		goto out;
	}
	might_sleep(k, "dax_map_atomic");
	pfn = dax_get_pfn(bh);
	/* dax_map_atomic(): blk_queue_enter() fails once the device is unbound */
	if (nvdimm_direct_access(k, pfn, 1)) {
		error = -EIO;
		goto out;
	}
	if (buffer_unwritten(bh) || buffer_new(bh)) {
		if (pmem_store_v4_5(k, pfn, 0, PAGE_SIZE, "dax_insert_mapping()'s clear_pmem() of a new block with poison under dax-2016 (v4.5 checks no badblocks): a store over a media error")) {
			error = -EIO;
			goto out;
		}
		pmem_write_flush(k, pfn, 0, NULL, PAGE_SIZE);	/* clear_pmem; wmb_pmem */
	}
	error = dax_radix_entry(k, mapping, vmf->pgoff, to_sector(bh), false,
				vmf->flags & FAULT_FLAG_WRITE);
	if (error)
		goto out;
	error = vm_insert_mixed(k, vma, vmf->address, pfn);
out:
	up_read(k, &mapping->i_mmap_rwsem);
	return error;
}

/*
 * __dax_fault(), L612: i_size; a hole page already cached (locked, i_size
 * re-checked); get_block(create=0); a hole: a write allocates (a major
 * fault), a read maps a hole page (dax_load_hole); a private write copies
 * or zeroes into cow_page and returns VM_FAULT_LOCKED (with the hole page
 * locked or i_mmap_rwsem held, do_cow_fault releases it; no entry); else
 * a hole page goes from every mapping and the page cache, and the block
 * is mapped (dax_insert_mapping). complete_unwritten is NULL for ext4.
 */
int __dax_fault(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf,
		get_block_t get_block)
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
	 * A hole page already cached (v4.5 L636-657): locked, or, when another
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
		major = VM_FAULT_MAJOR;		/* count_vm_event(PGMAJFAULT) */
		if (!error && bh.b_size < PAGE_SIZE)
			error = -EIO;
		if (error)
			goto unlock_page;
	}

	if (vmf->cow_page) {
		struct page *new_page = vmf->cow_page;

		if (buffer_written(&bh)) {
			might_sleep(k, "dax_map_atomic");	/* copy_user_bh() */
			if (nvdimm_direct_access(k, dax_get_pfn(&bh), 1)) {
				error = -EIO;
				goto unlock_page;
			}
			if (pmem_store_v4_5(k, dax_get_pfn(&bh), 0, PAGE_SIZE, "a private write fault copying a page with poison under dax-2016: copy_user_bh()'s copy_user_page() reads the media error in the kernel, which v4.5 cannot recover (mce-severity.c error_context() L184-187 knows no recoverable kernel context)")) {
				error = -EIO;
				goto unlock_page;
			}
			copy_pfn_to_page(k, new_page, dax_get_pfn(&bh));
		} else {
			clear_user_highpage(new_page);
		}
		vmf->page = page;
		if (!page) {
			down_read(k, &mapping->i_mmap_rwsem);
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
 * __dax_pmd_fault(), L803 (CONFIG_FS_DAX_PMD on). Falls back to PTEs
 * (THP_FAULT_FALLBACK) for a private write (after split_huge_pmd), a 2 MiB
 * not inside the VMA, a PMD crossing EOF, a get_block mapping that is not
 * known to be 2 MiB long (ext4 leaves b_state 0 for a hole: ✏️ so a read
 * of a hole on ext4 always falls back, the huge zero page branch is never
 * reached), an unaligned pfn, a huge zero page that cannot be had or a pmd
 * already present. ✏️ No check that the address and the file offset agree
 * mod 2 MiB. A write allocates (get_block create=1) and drops every hole
 * page of the 2 MiB (truncate_pagecache_range) first. A read of a block
 * inserts no entry (the PMD path has no pfn_mkwrite, L973-986); a write
 * inserts a dirty PMD entry; vmf_insert_pfn_pmd() maps it.
 */
int __dax_pmd_fault(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf,
		    get_block_t get_block)
{
	struct address_space *mapping = &file_inode(vma->vm_file)->i_data;
	struct inode *inode = mapping->host;
	unsigned long pmd_addr = vmf->address & PMD_MASK;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	struct buffer_head bh;
	pgoff_t pgoff;
	unsigned long pfn;
	int result = 0;
	bool alloc = false;

	/* Fall back to PTEs if we're going to COW */
	if (write && !(vma->vm_flags & VM_SHARED)) {
		split_huge_pmd(k, vma, vmf->pmd, vmf->address);
		return VM_FAULT_FALLBACK;
	}
	if (pmd_addr < vma->vm_start || pmd_addr + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;
	pgoff = linear_page_index(vma, pmd_addr);
	if (pgoff >= i_size_pages(inode))
		return VM_FAULT_SIGBUS;
	if ((pgoff | PG_PMD_COLOUR) >= i_size_pages(inode))
		return VM_FAULT_FALLBACK;

	memset(&bh, 0, sizeof(bh));
	bh.b_size = PMD_SIZE;
	if (get_block(k, inode, pgoff, &bh, 0) != 0)
		return VM_FAULT_SIGBUS;
	if (!buffer_mapped(&bh) && write) {
		int error = get_block(k, inode, pgoff, &bh, 1);

		if (error) {
			k->fault_error = error;
			return VM_FAULT_SIGBUS;
		}
		alloc = true;
	}
	if (!buffer_size_valid(&bh) || bh.b_size < PMD_SIZE)
		return VM_FAULT_FALLBACK;	/* "allocated block too small" */
	/*
	 * make sure no process has any zero pages covering this hole
	 * (L878-887); bug-pmd-keeps-hole-pages does not (v4.4's test of
	 * BH_New, which ext4 never sets)
	 */
	if (alloc && !SW(k, BUG_PMD_KEEPS_HOLE_PAGES))
		truncate_pagecache_range(k, inode, (loff_t)pgoff << PAGE_SHIFT,
					 ((loff_t)pgoff << PAGE_SHIFT) + PMD_SIZE - 1);

	down_read(k, &mapping->i_mmap_rwsem);
	if (pgoff >= i_size_pages(inode)) {
		result = VM_FAULT_SIGBUS;
		goto out;
	}
	if ((pgoff | PG_PMD_COLOUR) >= i_size_pages(inode))
		goto fallback;

	if (!write && !buffer_mapped(&bh) /* && buffer_uptodate(&bh) */) {
		/*
		 * A get_block that reports a 2 MiB hole as uptodate: ext4's
		 * does not (buffer_size_valid() failed above), so this branch
		 * is unreachable in the model; the kernel maps the huge zero
		 * page here (get_huge_zero_page, L911) with no entry.
		 */
		goto fallback;
	}
	might_sleep(k, "dax_map_atomic");
	pfn = dax_get_pfn(&bh);
	if (pfn & PG_PMD_COLOUR)
		goto fallback;			/* "pfn unaligned" */
	if (nvdimm_direct_access(k, pfn, PMD_SIZE >> PAGE_SHIFT))
		goto fallback;			/* dax_map_atomic() failed: "could not map" */
	if (buffer_unwritten(&bh) || buffer_new(&bh)) {
		if (pmem_store_v4_5(k, pfn, 0, PMD_SIZE, "__dax_pmd_fault()'s clear_pmem() of new blocks with poison under dax-2016 (v4.5 checks no badblocks): a store over a media error"))
			goto fallback;
		pmem_fill_flush(k, pfn, PMD_SIZE >> PAGE_SHIFT, 0);	/* clear_pmem; wmb_pmem */
		result |= VM_FAULT_MAJOR;
	}
	if (write && dax_radix_entry(k, mapping, pgoff, to_sector(&bh), true, true))
		goto fallback;			/* "PMD radix insertion failed" */
	result |= vmf_insert_pfn_pmd(k, vmf, pfn, write);
out:
	up_read(k, &mapping->i_mmap_rwsem);
	return result;
fallback:
	result = VM_FAULT_FALLBACK;		/* count_vm_event(THP_FAULT_FALLBACK) */
	goto out;
}

/*
 * dax_pfn_mkwrite(), L1056: dax_radix_entry(NO_SECTOR, pte, dirty): tag
 * the entry at vmf->pgoff (or the PMD entry over it) DIRTY; NOPAGE.
 */
int dax_pfn_mkwrite(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf)
{
	int error = dax_radix_entry(k, &file_inode(vma->vm_file)->i_data, vmf->pgoff,
				    NO_SECTOR, false, true);

	if (error == -ENOMEM)
		return VM_FAULT_OOM;
	if (error)
		return VM_FAULT_SIGBUS;
	return VM_FAULT_NOPAGE;
}

/*
 * dax_zero_page_range(), v4.5 L1098: get_block(create=0) and, for a
 * written block, clear_pmem + wmb_pmem: durable, unlike v4.0's memset.
 */
int dax_zero_page_range_v4_5(struct kernel *k, struct inode *inode, loff_t from,
			     unsigned length, get_block_t get_block)
{
	struct buffer_head bh;
	pgoff_t index = (unsigned long)from >> PAGE_SHIFT;
	unsigned offset = from & (PAGE_SIZE - 1);
	int err;

	if (!length)
		return 0;
	memset(&bh, 0, sizeof(bh));
	bh.b_size = PAGE_SIZE;
	err = get_block(k, inode, index, &bh, 0);
	if (err < 0)
		return err;
	if (buffer_written(&bh)) {
		might_sleep(k, "dax_map_atomic");
		if (pmem_store_v4_5(k, dax_get_pfn(&bh), offset, length, "dax_zero_page_range()'s clear_pmem() over poison under dax-2016 (v4.5 checks no badblocks): a store over a media error"))
			return -EIO;
		pmem_write_flush(k, dax_get_pfn(&bh), offset, NULL, length);
	}
	return 0;
}

/*
 * clear_exceptional_entry(), v4.5 mm/truncate.c L27, for a DAX mapping:
 * radix_tree_delete_item() of the entry at @index, dirty or not, with no
 * flush. ✏️ A PMD entry is one slot: only a range that holds its aligned
 * index deletes it, and then for all 2 MiB.
 */
void dax_clear_exceptional_entry_v4_5(struct kernel *k, struct address_space *mapping,
				      pgoff_t index, void *entry)
{
	spin_lock(k, &mapping->tree_lock);
	if (radix_tree_lookup(&mapping->page_tree, index) == entry) {
		radix_tree_delete(&mapping->page_tree, index);
		mapping->nrexceptional--;
		entry_changed(k, mapping->host, index, dax_is_pmd_entry(entry));
	}
	spin_unlock(k, &mapping->tree_lock);
}

/*
 * Stores over [off, off + len) of the blocks from @pfn on, written back
 * with them: @from's bytes from @done on, or its fill (buf NULL), or
 * zeroes (@zero). v4.5's dax_io() writes with clear_pmem() and
 * copy_from_iter_pmem() (non-temporal stores, the unaligned edges
 * flushed) and ends with wmb_pmem(): durable when it returns.
 */
static void dax_store_pmem(struct kernel *k, unsigned long pfn, unsigned long off,
			   size_t len, const struct iov_iter *from, size_t done, bool zero)
{
	uint8_t page[PAGE_SIZE];

	if (pmem_store_v4_5(k, pfn, off, len, "write(2) over poison under dax-2016: v4.5's dax_io() stores over the media error (clear_pmem(), copy_from_iter_pmem(); no badblocks check)"))
		return;
	if (!zero && !from->buf)
		memset(page, from->fill, sizeof(page));
	while (len) {
		unsigned o = off & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - o;

		if (n > len)
			n = len;
		pmem_write_flush(k, pfn + (off >> PAGE_SHIFT), o,
				 zero ? NULL : from->buf ? from->buf + done : page, n);
		off += n;
		done += n;
		len -= n;
	}
}

/*
 * dax_io(WRITE), v4.5 L146, through dax_do_io() (L262): a get_block
 * (create=1) for each mapping, asked for the rest of the write
 * (b_size = PAGE_ALIGN(end - pos)); a new or unwritten mapping is zeroed
 * around the write (dax_new_buf, clear_pmem); then copy_from_iter_pmem();
 * wmb_pmem(). A get_block error stops it: the bytes written, or the error.
 * The same walk as v4.0's dax_do_io_write (dax-v4.0.c), with v4.5's
 * durable stores.
 */
ssize_t dax_do_io_write_v4_5(struct kernel *k, struct inode *inode,
			     const struct iov_iter *from, loff_t pos, get_block_t get_block)
{
	loff_t start = pos, end = pos + (loff_t)from->count, max = pos, bh_max = pos;
	struct buffer_head bh;
	unsigned long pfn = 0;
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
				if (!buffer_size_valid(&bh))
					bh.b_size = PAGE_SIZE;
				bh_max = pos - first + (loff_t)bh.b_size;
			} else {
				unsigned long done = bh.b_size - (bh_max - (pos - first));

				bh.b_blocknr += done >> PAGE_SHIFT;
				bh.b_size -= done;
			}
			might_sleep(k, "dax_map_atomic");
			pfn = dax_get_pfn(&bh);
			if (buffer_unwritten(&bh) || buffer_new(&bh)) {
				/* dax_new_buf(): zero before and after the write */
				loff_t final = end - pos + first;

				if (first > 0)
					dax_store_pmem(k, pfn, 0, first, NULL, 0, true);
				if (final < (loff_t)bh.b_size)
					dax_store_pmem(k, pfn, final, bh.b_size - final, NULL, 0,
						       true);
			}
			max = pos + (loff_t)bh.b_size - first;
			if (max > end)
				max = end;
		}
		if (from->mm) {
			/*
			 * copy_from_iter_pmem() from user memory: a short copy
			 * counts (the rest of [pos, max) zeroed by
			 * copy_user_handle_tail(), flushed); the next copies
			 * nothing: "if (!len) { rc = -EFAULT; break; }" (L170-173).
			 */
			size_t len = copy_iter_to_pfn(k, from, pos - start, pfn, first, max - pos,
						      STORE_FLUSHCACHE, false);

			pos += len;
			if (pos < max) {
				retval = -EFAULT;
				break;
			}
			continue;
		}
		dax_store_pmem(k, pfn, first, max - pos, from, pos - start, false);
		pos = max;
	}
	return pos == start ? retval : pos - start;
}
