/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/dax.c as of v4.14: DAX radix-tree entries (exceptional entries with a
 * sector and flag bits, locked while a fault or writeback works on them),
 * the PTE fault, the hole (zero page) path, writeback for fsync/msync and
 * entry deletion for truncate and invalidation.
 */
#ifndef MMSIM_DAX_H
#define MMSIM_DAX_H

#include "iomap.h"
#include "kernel.h"

/*
 * The entry format of v4.14 (fs/dax.c): bit 1 marks an exceptional entry
 * (RADIX_TREE_EXCEPTIONAL_ENTRY), then the flag bits, then the sector.
 */
#define RADIX_TREE_EXCEPTIONAL_ENTRY	2UL
#define RADIX_TREE_EXCEPTIONAL_SHIFT	2
#define RADIX_DAX_ENTRY_LOCK	(1UL << RADIX_TREE_EXCEPTIONAL_SHIFT)
#define RADIX_DAX_PMD		(1UL << (RADIX_TREE_EXCEPTIONAL_SHIFT + 1))
#define RADIX_DAX_ZERO_PAGE	(1UL << (RADIX_TREE_EXCEPTIONAL_SHIFT + 2))
#define RADIX_DAX_EMPTY		(1UL << (RADIX_TREE_EXCEPTIONAL_SHIFT + 3))
#define RADIX_DAX_SHIFT		(RADIX_TREE_EXCEPTIONAL_SHIFT + 4)
#define SECTORS_PER_BLOCK	(PAGE_SIZE / 512)

static inline bool radix_tree_exceptional_entry(const void *entry)
{
	return (uintptr_t)entry & RADIX_TREE_EXCEPTIONAL_ENTRY;
}
static inline unsigned long dax_radix_sector(const void *entry)
{
	return (uintptr_t)entry >> RADIX_DAX_SHIFT;
}
static inline unsigned long dax_entry_block(const void *entry)
{
	return dax_radix_sector(entry) / SECTORS_PER_BLOCK;
}
static inline bool dax_is_locked(const void *entry)
{
	return (uintptr_t)entry & RADIX_DAX_ENTRY_LOCK;
}
static inline bool dax_is_pmd_entry(const void *entry)
{
	return (uintptr_t)entry & RADIX_DAX_PMD;
}

/* The block an entry gives @index: a PMD entry's block is its first. */
static inline unsigned long dax_entry_block_at(const void *entry, pgoff_t index)
{
	return dax_entry_block(entry) +
	       (dax_is_pmd_entry(entry) ? (index & PG_PMD_COLOUR) : 0);
}
static inline bool dax_is_zero_entry(const void *entry)
{
	return (uintptr_t)entry & RADIX_DAX_ZERO_PAGE;
}
static inline bool dax_is_empty_entry(const void *entry)
{
	return (uintptr_t)entry & RADIX_DAX_EMPTY;
}
/* A block entry: neither zero nor empty. */
static inline bool dax_is_block_entry(const void *entry)
{
	return !dax_is_zero_entry(entry) && !dax_is_empty_entry(entry);
}

/* v4.19: unmap the whole file; the first page pinned beyond its idle ref */
struct page *dax_layout_busy_page(struct kernel *k, struct address_space *mapping);
/*
 * 6.1 ext4_break_layouts()'s loop over dax_layout_busy_page(): unmap the
 * whole file and wait until no page of it is pinned, dropping the
 * i_mmap_sem (held for writing) while asleep. 0, or -EINTR with k->hang
 * set where no thread could release the pin.
 */
int dax_layout_wait_idle_inode(struct kernel *k, struct inode *inode);
/* v6.15: unmap [start, end] (LLONG_MAX: to the end), then delete its entries */
int dax_break_layout(struct kernel *k, struct inode *inode, loff_t start, loff_t end);
/* @pfnp: where a synchronous fault (VM_FAULT_NEEDDSYNC) leaves the pfn */
int dax_iomap_fault(struct kernel *k, struct vm_fault *vmf,
		    enum page_entry_size pe_size, unsigned long *pfnp,
		    const struct iomap_ops *ops);
/* v4.15: fsync the fault's range, then map @pfn writable */
int dax_finish_sync_fault(struct kernel *k, struct vm_fault *vmf,
			  enum page_entry_size pe_size, unsigned long pfn);
/* ->writepages for WB_SYNC_ALL over [start, end] (bytes, inclusive). */
int dax_writeback_mapping_range(struct kernel *k, struct address_space *mapping,
				loff_t start, loff_t end);
/*
 * dax_mapping_entry_mkclean(), v4.14 (v4.10's, fs/dax.c L670): write-protect
 * and clean what maps @pfn at @index in every shared VMA. dax-2016's
 * switch dax-mkclean calls it too.
 */
void dax_mapping_entry_mkclean(struct kernel *k, struct address_space *mapping,
			       pgoff_t index, unsigned long pfn, unsigned long count);
/* truncate_exceptional_entry(): delete, dirty or not. */
int dax_delete_mapping_entry(struct kernel *k, struct address_space *mapping,
			     pgoff_t index);
/* invalidate_exceptional_entry2(): delete only a clean entry. */
int dax_invalidate_mapping_entry_sync(struct kernel *k,
				      struct address_space *mapping,
				      pgoff_t index);

#endif
