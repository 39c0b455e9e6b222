/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/dax.c as of Linux v4.5 (policy dax-2016; read in linux-4.5.7): the
 * filesystem still answers through get_block (buffer_head style, as in
 * v4.0: dax-v4.0.h's struct buffer_head), holes read through page-cache
 * pages, and blocks now get radix-tree exceptional entries holding their
 * sector, tagged DIRTY on a write fault or a first write (dax_pfn_mkwrite)
 * and written back on fsync/msync (dax_writeback_mapping_range), which
 * clears TOWRITE only. PMD faults (__dax_pmd_fault) go through get_block
 * too. No entry locks (v4.7), no zero-page or empty entries, no iomap.
 * docs/eras/dax-2016.md cites each step.
 *
 * The entry encoding: v4.5 writes `sector << 4 | RADIX_DAX_PTE/PMD`
 * (include/linux/radix-tree.h L54-61). The model keeps one encoding for
 * every era (dax.h's: sector << RADIX_DAX_SHIFT | RADIX_DAX_PMD |
 * exceptional), which the dump, the checker and `expect entry` read;
 * v4.5's entries never carry the LOCK, ZERO_PAGE or EMPTY bits. What
 * matters of v4.5's format is kept: a PMD entry is one slot (order 0) at
 * the PMD-aligned index, not a multi-order entry.
 *
 * Kernel names that v4.14 (dax.c) or v4.0 (dax-v4.0.c) also define carry
 * a _v4_5 suffix here.
 */
#ifndef MMSIM_DAX_V4_5_H
#define MMSIM_DAX_V4_5_H

#include "dax-v4.0.h"
#include "kernel.h"

/* __dax_fault(), v4.5 L612: the caller (ext4_dax_fault) holds i_mmap_sem. */
int __dax_fault(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf,
		get_block_t get_block);
/* __dax_pmd_fault(), v4.5 L803, for the 2 MiB around vmf->address. */
int __dax_pmd_fault(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf,
		    get_block_t get_block);
/* dax_pfn_mkwrite(), v4.5 L1056: tag the index's entry DIRTY. */
int dax_pfn_mkwrite(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf);
/* dax_writeback_mapping_range(), v4.5 L487, WB_SYNC_ALL over [start, end] bytes. */
int dax_writeback_mapping_range_v4_5(struct kernel *k, struct address_space *mapping,
				     loff_t start, loff_t end);
/* dax_zero_page_range(), v4.5: written blocks only, clear_pmem + wmb_pmem (durable). */
int dax_zero_page_range_v4_5(struct kernel *k, struct inode *inode, loff_t from,
			     unsigned length, get_block_t get_block);
/* dax_do_io(WRITE), v4.5 L262: durable stores; bytes written or the error */
struct iov_iter;
ssize_t dax_do_io_write_v4_5(struct kernel *k, struct inode *inode,
			     const struct iov_iter *from, loff_t pos, get_block_t get_block);
/* clear_exceptional_entry(), v4.5 mm/truncate.c L27: delete, dirty or not. */
void dax_clear_exceptional_entry_v4_5(struct kernel *k, struct address_space *mapping,
				      pgoff_t index, void *entry);

#endif
