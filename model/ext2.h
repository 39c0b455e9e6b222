/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ext2 mounted -o xip on the pmem device, 4 KiB blocks, as Linux v3.19
 * drives it (policy xip-2014): inodes whose block map has holes and
 * written blocks only (no extents, no unwritten blocks, no fallocate),
 * ext2_get_xip_mem, ext2_setsize, ext2_fsync. mm/filemap_xip.c does the
 * rest (filemap_xip.h).
 */
#ifndef MMSIM_EXT2_H
#define MMSIM_EXT2_H

#include "kernel.h"
#include "linux_fs.h"

/*
 * ext2_fill_super() for 4 KiB blocks: the model's block allocator (shared
 * with ext4, ext4_fill_super()) and s_maxbytes = ext2_max_size(12).
 */
void ext2_fill_super(struct kernel *k, unsigned long nr_blocks);
/* A new empty regular file of @size bytes (sparse), on ext2 -o xip. */
struct inode *ext2_create(struct kernel *k, loff_t size);

extern const struct address_space_operations ext2_aops_xip;
extern const struct file_operations ext2_xip_file_operations;
extern const struct inode_operations ext2_file_inode_operations;

#endif
