/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/dax.c as of Linux v4.0, the first one (policy dax-2014): the fault
 * asks the filesystem through a get_block_t callback, buffer_head style;
 * a hole read maps a zeroed page-cache page; there are no radix-tree DAX
 * entries, no dirty tracking and no writeback; nothing is flushed from the
 * CPU cache. docs/eras/dax-2014.md cites each step.
 */
#ifndef MMSIM_DAX_V4_0_H
#define MMSIM_DAX_V4_0_H

#include "kernel.h"

typedef unsigned long sector_t;

/* include/linux/buffer_head.h, v4.0: the b_state bits get_block sets */
enum bh_state_bits {
	BH_Mapped = 1 << 0,	/* a disk block (written extent) */
	BH_New = 1 << 1,	/* allocated by this get_block */
	BH_Unwritten = 1 << 2,	/* allocated, not yet written */
};

/* struct buffer_head, cut down to what get_block fills in for fs/dax.c */
struct buffer_head {
	unsigned long b_state;
	unsigned long b_blocknr;	/* fs block (4 KiB blocks: the page's block) */
	size_t b_size;			/* bytes mapped; 0 is "not trusted" */
	/* ext4_end_io_unwritten() for an unwritten extent, else NULL */
	void (*b_end_io)(struct kernel *k, struct buffer_head *bh, int uptodate);
	struct inode *b_assoc_map;	/* the kernel's b_assoc_map->host */
	sector_t b_private;		/* the file block (iblock), for b_end_io */
};

static inline bool buffer_mapped(const struct buffer_head *bh)
{
	return bh->b_state & BH_Mapped;
}
static inline bool buffer_new(const struct buffer_head *bh)
{
	return bh->b_state & BH_New;
}
static inline bool buffer_unwritten(const struct buffer_head *bh)
{
	return bh->b_state & BH_Unwritten;
}

/* get_block_t, include/linux/fs.h v4.0, with the model's kernel first */
typedef int (*get_block_t)(struct kernel *k, struct inode *inode, sector_t iblock,
			   struct buffer_head *bh_result, int create);

/* dax_fault(), v4.0: the DAX ->fault of a filesystem, given its get_block. */
int dax_fault(struct kernel *k, struct vm_area_struct *vma, struct vm_fault *vmf,
	      get_block_t get_block);
/* include/linux/fs.h v4.0 L2617: ->page_mkwrite is the same fault */
#define dax_mkwrite(k, vma, vmf, gb)	dax_fault(k, vma, vmf, gb)
/*
 * dax_do_io(WRITE), v4.0: write(2) of @from at @pos through @get_block:
 * bytes written, or the error when none was. (READ goes through the
 * read(2) the releases share, ext4_file_read().)
 */
struct iov_iter;
ssize_t dax_do_io_write(struct kernel *k, struct inode *inode,
			const struct iov_iter *from, loff_t pos, get_block_t get_block);
/* Zero [from, from + length) of one page, written blocks only: CPU stores. */
int dax_zero_page_range(struct kernel *k, struct inode *inode, loff_t from,
			unsigned length, get_block_t get_block);
int dax_truncate_page(struct kernel *k, struct inode *inode, loff_t from,
		      get_block_t get_block);

#endif
