/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/iomap.h, v4.14, cut down: how fs/dax.c asks a filesystem
 * where a file range lives. The filesystem fills in a struct iomap for
 * [pos, pos + length) and may return less than asked for; fs/dax.c
 * reaches the filesystem only through its struct iomap_ops (ext4 passes
 * &ext4_iomap_ops to dax_iomap_fault() and dax_iomap_rw()).
 */
#ifndef MMSIM_IOMAP_H
#define MMSIM_IOMAP_H

#include "types.h"

struct kernel;
struct inode;

#define IOMAP_HOLE	0x01	/* no blocks allocated, reads zero */
#define IOMAP_MAPPED	0x03	/* written blocks */
#define IOMAP_UNWRITTEN	0x04	/* allocated, reads zero */

#define IOMAP_F_NEW	0x01	/* blocks allocated by this call */
#define IOMAP_F_DIRTY	0x02	/* v4.15: metadata not yet durable (fdatasync needed) */

/* flags of ->iomap_begin */
#define IOMAP_WRITE	(1 << 0)
#define IOMAP_FAULT	(1 << 3)

struct iomap {
	unsigned long block;	/* fs block of @offset, when mapped or unwritten */
	loff_t offset;		/* file offset of the mapping, bytes */
	uint64_t length;	/* bytes from @offset */
	int type;
	int flags;
};

struct iomap_ops {
	int (*iomap_begin)(struct kernel *k, struct inode *inode, loff_t pos,
			   loff_t length, unsigned flags, struct iomap *iomap);
};

#endif
