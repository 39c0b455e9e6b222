/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/fs.h, v4.14, cut down: the VFS objects (struct file, inode,
 * address_space), the operation tables a filesystem fills in (struct
 * file_operations, inode_operations) and the generic entry points that
 * dispatch through them (fs/read_write.c, fs/open.c, fs/sync.c, model/vfs.c).
 * The mm side reaches a filesystem only through these tables and
 * vma->vm_ops (mm_types.h); it includes no filesystem's header.
 */
#ifndef MMSIM_LINUX_FS_H
#define MMSIM_LINUX_FS_H

#include "mm_types.h"

struct kernel;
struct iov_iter;

/*
 * struct file_ra_state, include/linux/fs.h v4.14: the readahead window of
 * an open file (file_ra_state_init() at open, model/readahead.c).
 */
struct file_ra_state {
	pgoff_t start;			/* where readahead started */
	unsigned int size;		/* # of readahead pages */
	unsigned int async_size;	/* do asynchronous readahead when there are only # of pages ahead */
	unsigned int ra_pages;		/* maximum readahead window */
	unsigned int mmap_miss;		/* cache miss stat for mmap accesses */
	loff_t prev_pos;		/* cache last read() position */
};

struct file {
	struct inode *inode;
	struct file_ra_state f_ra;
	const struct file_operations *f_op;	/* the inode's i_fop, at open */
	unsigned int f_mode;		/* FMODE_READ | FMODE_WRITE */
	int f_count;			/* the descriptor and each VMA */
};

/*
 * struct address_space_operations, the one member the model uses:
 * ->get_xip_mem (include/linux/fs.h v3.19, gone in v4.0), how
 * mm/filemap_xip.c asks the filesystem (ext2_get_xip_mem) for the pfn of
 * the block at @pgoff: -ENODATA for a hole unless @create allocates it.
 */
struct address_space_operations {
	int (*get_xip_mem)(struct kernel *k, struct address_space *mapping,
			   pgoff_t pgoff, int create, unsigned long *pfn);
	/*
	 * ->readpage and ->readpages, v4.14 (page-cache files, dax-2017): fill
	 * a locked page (pages, for ->readpages, not yet in the cache) from the
	 * file's blocks, mark it uptodate and unlock it. The model's block
	 * device completes the read at once.
	 */
	int (*readpage)(struct kernel *k, struct file *file, struct page *page);
	int (*readpages)(struct kernel *k, struct file *file,
			 struct address_space *mapping, struct page **pages,
			 unsigned nr_pages);
	/* ->writepage: a locked page, cleaned for I/O, to its block; unlocks it */
	int (*writepage)(struct kernel *k, struct page *page);
};

/* A DAX-file address_space, as v4.14 has it: radix tree + i_mmap. */
struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;	/* xip-2014, page-cache files */
	struct radix_tree_root page_tree;
	struct lock tree_lock;		/* spinlock */
	struct avl_root i_mmap;		/* vma_interval_tree of the VMAs mapping it */
	struct lock i_mmap_rwsem;
	unsigned long nrpages;
	unsigned long nrexceptional;	/* DAX entries */
};

struct inode {
	unsigned long i_ino;
	loff_t i_size;
	bool dax;			/* S_DAX: test with IS_DAX() */
	unsigned long i_blocks;		/* allocated fs blocks */
	uint64_t i_mtime, i_ctime;	/* logical clock */
	struct address_space i_data;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;	/* what open gives file->f_op */
	struct ext_tree *blocks;	/* struct ext4_extent: index -> block, aux unwritten */
	struct lock i_rwsem;		/* inode_lock() */
	struct lock i_mmap_sem;		/* ext4's, v4.14 (invalidate_lock later) */
	/*
	 * The block map's lock: ext4's i_data_sem (an rwsem; ext4_map_blocks
	 * looks up under it shared and allocates under it exclusive), ext2's
	 * truncate_mutex (ext2_get_blocks allocates under it,
	 * __ext2_truncate_blocks frees under it). The name says which.
	 */
	struct lock i_data_sem;
	bool dirty;			/* __mark_inode_dirty(I_DIRTY_PAGES) seen */
	unsigned long i_datasync_tid;	/* ext4: the transaction fdatasync must commit */
};

static inline struct inode *file_inode(const struct file *file)
{
	return file->inode;
}

/* IS_DAX(), include/linux/fs.h v4.14: the inode's S_DAX flag */
static inline bool IS_DAX(const struct inode *inode)
{
	return inode->dax;
}

/* vma_is_dax(), include/linux/fs.h v4.14 */
static inline bool vma_is_dax(const struct vm_area_struct *vma)
{
	return vma->vm_file && IS_DAX(file_inode(vma->vm_file));
}

/*
 * struct file_operations, v4.14, the members the model uses, with the
 * model's kernel first. ->read is ->read_iter; both take the position
 * the kiocb carries (its IOCB_DIRECT rides in the iov_iter).
 */
struct file_operations {
	ssize_t (*read)(struct kernel *k, struct file *file, loff_t pos,
			const struct iov_iter *to);
	ssize_t (*write_iter)(struct kernel *k, struct file *file, loff_t pos,
			      const struct iov_iter *from);
	int (*mmap)(struct kernel *k, struct file *file,
		    struct vm_area_struct *vma);
	int (*fsync)(struct kernel *k, struct file *file, loff_t start,
		     loff_t end, int datasync);
	/* the mm's search for an address (hint already page aligned) */
	unsigned long (*get_unmapped_area)(struct kernel *k, struct mm_struct *mm,
					   struct file *file, unsigned long addr,
					   unsigned long len, loff_t off);
	long (*fallocate)(struct kernel *k, struct file *file, int mode,
			  loff_t offset, loff_t len);
	unsigned long mmap_supported_flags;	/* v4.15: beyond LEGACY_MAP_MASK */
};

/* call_mmap(), include/linux/fs.h v4.14 */
static inline int call_mmap(struct kernel *k, struct file *file,
			    struct vm_area_struct *vma)
{
	return file->f_op->mmap(k, file, vma);
}

/* struct inode_operations, v4.14: ->setattr with ATTR_SIZE only (truncate) */
struct inode_operations {
	int (*setattr)(struct kernel *k, struct inode *inode, loff_t size);
};

/* An open file of @inode (do_dentry_open: f_op from i_fop), one reference. */
struct file *file_open(struct kernel *k, struct inode *inode, unsigned f_mode);
/* get_file() / fput(): a VMA holds its file; close(2) is the descriptor's fput. */
void get_file(struct file *file);
void file_close(struct kernel *k, struct file *file);
void file_update_time(struct kernel *k, struct inode *inode);

/*
 * struct iov_iter, cut down: the buffer of a read(2) or write(2), @count
 * bytes. User memory (ITER_IOVEC): [@addr, @addr + count) of @mm, which
 * the copies reach through its page tables, faulting as the kernel does
 * (model/usercopy.h). Otherwise a write's bytes (@buf) or, for a buffer
 * the program filled with one byte, that byte (@buf NULL: a large write
 * costs per extent, not per byte), and a read's kernel buffer (@out).
 * The model's sites index it by the bytes done instead of advancing it.
 */
struct iov_iter {
	const uint8_t *buf;	/* NULL: @fill, @count times (no @mm) */
	uint8_t fill;
	size_t count;
	uint8_t *out;		/* a read into the caller's buffer */
	struct mm_struct *mm;	/* user memory, or NULL */
	unsigned long addr;
	bool direct;		/* the kiocb's IOCB_DIRECT: O_DIRECT */
};

/* The system calls, returning what the kernel returns (-errno on error). */
ssize_t vfs_read(struct kernel *k, struct file *file, loff_t pos, void *buf,
		 size_t len);
/* read(2) into @to (user memory, O_DIRECT): vfs_read()'s checks, ->read */
ssize_t vfs_read_iter(struct kernel *k, struct file *file, loff_t pos,
		      const struct iov_iter *to);
ssize_t vfs_write(struct kernel *k, struct file *file, loff_t pos,
		  const void *buf, size_t len);
ssize_t vfs_write_iter(struct kernel *k, struct file *file, loff_t pos,
		       const struct iov_iter *from);
int vfs_truncate(struct kernel *k, struct file *file, loff_t size);
int inode_newsize_ok(struct kernel *k, const struct inode *inode, loff_t offset);
int generic_write_checks(struct kernel *k, struct file *file, loff_t pos,
			 struct iov_iter *from);
int vfs_fallocate(struct kernel *k, struct file *file, int mode, loff_t offset,
		  loff_t len);
int vfs_fsync_range(struct kernel *k, struct file *file, loff_t start,
		    loff_t end, int datasync);

#endif
