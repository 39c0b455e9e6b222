/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ext4 on the pmem device with 4 KiB blocks, as v4.14 drives DAX files:
 * inodes, the block map (holes, unwritten and written extents), a deterministic block allocator that reuses freed blocks lowest
 * first, ext4_iomap_begin, the DAX fault entry point, truncate, punch hole,
 * zero range, fallocate, fsync, and read(2)/write(2) through dax_iomap_rw.
 */
#ifndef MMSIM_EXT4_H
#define MMSIM_EXT4_H

#include "dax-v4.0.h"
#include "dax.h"
#include "ext4_extents.h"
#include "kernel.h"
#include "linux_fs.h"

void ext4_fill_super(struct kernel *k, unsigned long nr_blocks);
/* The block bitmap and reverse map rebuilt from every inode's extents (jbd2.c). */
void ext4_rebuild_bitmap(struct kernel *k);
void ext4_put_super(struct kernel *k);

/* A new empty inode of @size bytes (sparse). */
struct inode *ext4_create(struct kernel *k, bool dax, loff_t size);
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
/* The same for a written block: unwritten ones read as zeroes. */
bool ext4_next_written_block(struct inode *inode, pgoff_t *index);
/* Who owns @block: false when it is free. */
bool ext4_block_owner(struct kernel *k, unsigned long block,
		      struct inode **inode, pgoff_t *index);
static inline unsigned long block_pfn(unsigned long block)
{
	return PMEM_BASE_PFN + block;
}

extern const struct iomap_ops ext4_iomap_ops;

/*
 * Shared by the releases (ext4.c is v4.14, ext4-v4.0.c v4.0's DAX glue,
 * and ext2 under xip-2014, ext2-xip-v3.19.c, for the allocator and block
 * map): ext4_new_blocks() gives the lowest free block and up to @max - 1
 * free blocks right after it (*@n in all), owned by (@inode, @index...);
 * ext4_remove_blocks() frees every block of [first, end) of @inode's block
 * map; read(2) (holes and unwritten blocks read zero, written ones through
 * the CPU's view of pmem, in both releases) and fallocate's unwritten
 * allocation (ext4_alloc_file_blocks()).
 */
long ext4_new_block(struct kernel *k, struct inode *inode, pgoff_t index);
long ext4_new_blocks(struct kernel *k, struct inode *inode, pgoff_t index,
		     unsigned long max, unsigned long *n);
long ext4_new_filled_run(struct kernel *k, struct inode *inode, pgoff_t index,
			 unsigned long max, unsigned long *n, uint8_t fill);
void ext4_set_block(struct kernel *k, struct inode *inode, pgoff_t index,
		    unsigned long block, bool unwritten);
void ext4_remove_blocks(struct kernel *k, struct inode *inode, pgoff_t first,
			pgoff_t end);
/* an era's ext4_block_zero_page_range(): zero [from, from + length) of a block; 0 or -EIO */
typedef int (*ext4_zero_fn)(struct kernel *k, struct inode *inode, loff_t from,
			    loff_t length);
/* 0, or the first error of @zero (the end's is not tried then) */
int ext4_zero_partial_blocks(struct kernel *k, struct inode *inode, loff_t lstart,
			     loff_t length, ext4_zero_fn zero);
ssize_t __ext4_file_read(struct kernel *k, struct file *file, loff_t pos,
			 const struct iov_iter *to, bool i_mutex);
ssize_t ext4_file_read(struct kernel *k, struct file *file, loff_t pos,
		       const struct iov_iter *to);
int ext4_fallocate_alloc(struct kernel *k, struct inode *inode, loff_t offset,
			 loff_t len, int mode);
/*
 * ext4_ext_shift_extents(): every block from @start on moves @shift down
 * (@left) or up, in the block map and the reverse map (collapse and
 * insert range, every era that has them).
 */
int ext4_ext_shift_extents(struct kernel *k, struct inode *inode, pgoff_t start,
			   unsigned long shift, bool left);
/*
 * The steps of ext4_collapse_range() every release that has it shares,
 * under the locks each takes: truncate_pagecache() from @offset, the
 * range's blocks freed, the rest shifted down, i_size less @len, the times.
 */
void ext4_collapse_blocks(struct kernel *k, struct inode *inode, loff_t offset, loff_t len);
/*
 * ext4_alloc_file_blocks() with CREATE_UNWRIT_EXT over [first, last]:
 * holes become unwritten, written blocks too when @convert.
 */
int ext4_alloc_unwritten(struct kernel *k, struct inode *inode, pgoff_t first,
			 pgoff_t last, bool convert);
/* ext4_alloc_file_blocks() of v4.0 and v4.5: @len blocks, i_size up to @new_size */
int ext4_alloc_file_blocks(struct kernel *k, struct inode *inode, pgoff_t lblk,
			   unsigned long len, loff_t new_size, bool convert);

extern const struct file_operations ext4_file_operations;
extern const struct inode_operations ext4_file_inode_operations;
extern const struct vm_operations_struct ext4_dax_vm_ops;
/* page-cache (non-DAX) files, v4.14 (model/ext4_readpage.c) */
extern const struct vm_operations_struct ext4_file_vm_ops;
extern const struct vm_operations_struct ext4_file_vm_ops_v4_0;
extern const struct address_space_operations ext4_aops;
int ext4_create_cold(struct kernel *k, struct inode *inode, loff_t size, uint8_t value);
ssize_t ext4_buffered_write_iter(struct kernel *k, struct file *file, loff_t pos,
				 const struct iov_iter *from);
/* O_DIRECT read or write of a page-cache file through the buffer's pages */
ssize_t ext4_direct_IO_pagecache(struct kernel *k, struct file *file, loff_t pos,
				 const struct iov_iter *it, bool write);
void __ext4_block_zero_page_range(struct kernel *k, struct inode *inode, loff_t from,
				  loff_t length);

/* Linux v4.0 (policy dax-2014), model/ext4-v4.0.c */
struct buffer_head;
int ext4_get_block(struct kernel *k, struct inode *inode, unsigned long iblock,
		   struct buffer_head *bh, int create);
int ext4_get_block_write(struct kernel *k, struct inode *inode, unsigned long iblock,
			 struct buffer_head *bh, int create);
extern const struct file_operations ext4_dax_file_operations;
/* ext4_convert_unwritten_extents(), v4.0 and v4.5 alike */
void ext4_convert_unwritten_extents(struct kernel *k, struct inode *inode,
				    loff_t offset, size_t len);
/*
 * ext4_ext_direct_IO() for a write, v4.0 and v4.5 alike, through the
 * release's dax_do_io(WRITE) @dax_io.
 */
struct iov_iter;
typedef ssize_t (*dax_io_write_t)(struct kernel *k, struct inode *inode,
				  const struct iov_iter *from, loff_t pos, get_block_t get_block);
ssize_t ext4_direct_IO_write(struct kernel *k, struct inode *inode,
			     const struct iov_iter *from, loff_t pos, dax_io_write_t dax_io);
extern const struct inode_operations ext4_file_inode_operations_v4_0;
extern const struct vm_operations_struct ext4_dax_vm_ops_v4_0;

/* Linux v4.5 (policy dax-2016), model/ext4-v4.5.c */
extern const struct file_operations ext4_dax_file_operations_v4_5;
extern const struct inode_operations ext4_file_inode_operations_v4_5;
extern const struct vm_operations_struct ext4_dax_vm_ops_v4_5;

#endif
