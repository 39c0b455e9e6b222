/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/filemap_xip.c, Linux v3.19 (policy xip-2014): execute in place. The
 * filesystem hands out blocks through mapping->a_ops->get_xip_mem
 * (linux_fs.h); holes are mapped by one global sparse page. No page cache,
 * no radix-tree entries, no dirty tracking. docs/eras/xip-2014.md cites
 * each step.
 */
#ifndef MMSIM_FILEMAP_XIP_H
#define MMSIM_FILEMAP_XIP_H

#include "kernel.h"

/* The file_operations members ext2 -o xip takes from mm/filemap_xip.c. */
ssize_t xip_file_read(struct kernel *k, struct file *file, loff_t pos,
		      const struct iov_iter *to);
ssize_t xip_file_write(struct kernel *k, struct file *file, loff_t pos,
		       const struct iov_iter *from);
int xip_file_mmap(struct kernel *k, struct file *file,
		  struct vm_area_struct *vma);
/* ext2_setsize() calls it first: zero the tail of the block at @from. */
int xip_truncate_page(struct kernel *k, struct address_space *mapping,
		      loff_t from);

/* The sparse page, or NULL before the first fault needed it. */
static inline bool is_xip_sparse_page(const struct kernel *k,
				      const struct page *page)
{
	return page && page == k->xip_sparse_page;
}

extern const struct vm_operations_struct xip_file_vm_ops;

#endif
