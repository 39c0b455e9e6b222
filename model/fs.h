/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ext4 on the pmem device with 4 KiB blocks, as v4.14 drives DAX files:
 * inodes, the block map (holes, unwritten and written extents), a deterministic block allocator that reuses freed blocks lowest
 * first, ext4_iomap_begin, the DAX fault entry point, truncate, punch hole,
 * zero range, fallocate, fsync, and read(2)/write(2) through dax_iomap_rw.
 */
#ifndef MMSIM_FS_H
#define MMSIM_FS_H

#include "dax.h"
#include "ext4_extents.h"
#include "kernel.h"

void ext4_fill_super(struct kernel *k, unsigned long nr_blocks);
void ext4_put_super(struct kernel *k);

/* A new empty inode of @size bytes (sparse). */
struct inode *ext4_create(struct kernel *k, bool dax, loff_t size);
struct file *file_open(struct kernel *k, struct inode *inode, unsigned f_mode);
/* get_file() / fput(): a VMA holds its file; close(2) is the descriptor's fput. */
void get_file(struct file *file);
void file_close(struct kernel *k, struct file *file);

/* The block map: BLOCK_HOLE, or the block and its state. */
static inline enum block_state ext4_block_lookup(struct inode *inode, pgoff_t index,
						 unsigned long *block)
{
	struct ext4_extent *ex;

	if (!inode->i_blocks)	/* a sparse file: no lookup */
		return BLOCK_HOLE;
	ex = ext_lookup(inode->blocks, index);
	if (!ex)
		return BLOCK_HOLE;
	*block = ex->target + (index - ex->start);
	return ex->aux ? BLOCK_UNWRITTEN : BLOCK_MAPPED;
}
/* The first index at or after *@index with a block (mapped or unwritten). */
bool ext4_next_block(struct inode *inode, pgoff_t *index);
/* Who owns @block: false when it is free. */
bool ext4_block_owner(struct kernel *k, unsigned long block,
		      struct inode **inode, pgoff_t *index);
static inline unsigned long block_pfn(unsigned long block)
{
	return PMEM_BASE_PFN + block;
}

int ext4_iomap_begin(struct kernel *k, struct inode *inode, loff_t pos,
		     loff_t length, unsigned flags, struct iomap *iomap);
/* ext4_dax_huge_fault(): ->fault, ->huge_fault and ->pfn_mkwrite. */
int ext4_dax_huge_fault(struct kernel *k, struct vm_fault *vmf,
			enum page_entry_size pe_size);

/* The system calls, returning what the kernel returns (-errno on error). */
ssize_t vfs_read(struct kernel *k, struct file *file, loff_t pos, void *buf,
		 size_t len);
ssize_t vfs_write(struct kernel *k, struct file *file, loff_t pos,
		  const void *buf, size_t len);
/*
 * struct iov_iter, cut down: the user buffer of a write(2), its bytes or,
 * for a buffer the program filled with one byte, that byte (so a large
 * write costs per extent, not per byte).
 */
struct iov_iter {
	const uint8_t *buf;	/* NULL: @fill, @count times */
	uint8_t fill;
	size_t count;
};
ssize_t vfs_write_iter(struct kernel *k, struct file *file, loff_t pos,
		       const struct iov_iter *from);
int vfs_truncate(struct kernel *k, struct file *file, loff_t size);
int vfs_fallocate(struct kernel *k, struct file *file, int mode, loff_t offset,
		  loff_t len);
int vfs_fsync_range(struct kernel *k, struct file *file, loff_t start,
		    loff_t end, int datasync);

void file_update_time(struct kernel *k, struct inode *inode);

#endif
