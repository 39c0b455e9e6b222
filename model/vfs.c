// SPDX-License-Identifier: GPL-2.0
/*
 * The VFS between the system calls and a filesystem, v4.14: the generic
 * checks of fs/read_write.c (vfs_read, vfs_write), fs/open.c (do_truncate,
 * vfs_fallocate), fs/sync.c (vfs_fsync_range) and fs/file_table.c (the
 * file's references), each then calling the filesystem's
 * file_operations / inode_operations (linux_fs.h).
 */
#include <assert.h>

#include "kernel.h"
#include "linux_fs.h"
#include "lock.h"
#include "mm.h"
#include "pagemap.h"

/* do_dentry_open(), v4.14: f_op is the inode's i_fop */
struct file *file_open(struct kernel *k, struct inode *inode, unsigned f_mode)
{
	struct file *file = kzalloc(k, sizeof(*file));

	file->inode = inode;
	file->f_op = inode->i_fop;
	file->f_mode = f_mode;
	file->f_count = 1;
	/* do_dentry_open(), v4.14 */
	file_ra_state_init(k, &file->f_ra, &inode->i_data);
	return file;
}

void get_file(struct file *file)
{
	assert(file->f_count > 0);
	file->f_count++;
}

/* fput() */
void file_close(struct kernel *k, struct file *file)
{
	assert(file->f_count > 0);
	if (--file->f_count == 0)
		kfree(k, file, sizeof(*file));
}

/* file_update_time(), fs/inode.c: mtime and ctime to now */
void file_update_time(struct kernel *k, struct inode *inode)
{
	inode->i_mtime = inode->i_ctime = current_time(k);
}

/* vfs_fsync_range(), fs/sync.c v4.14 */
int vfs_fsync_range(struct kernel *k, struct file *file, loff_t start,
		    loff_t end, int datasync)
{
	return file->f_op->fsync(k, file, start, end, datasync);
}

/*
 * access_ok(), arch/x86/include/asm/uaccess.h (v3.19 to 6.1): a user
 * buffer must lie below TASK_SIZE_MAX without wrapping; else the system
 * call is -EFAULT before it looks at the file.
 */
static bool access_ok(const struct iov_iter *it)
{
	return !it->mm || (it->addr + it->count >= it->addr && it->addr + it->count <= TASK_SIZE);
}

/* vfs_read(), fs/read_write.c v4.14: FMODE_READ, access_ok, rw_verify_area, ->read_iter */
ssize_t vfs_read_iter(struct kernel *k, struct file *file, loff_t pos,
		      const struct iov_iter *to)
{
	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!access_ok(to))
		return -EFAULT;
	if (pos < 0)
		return -EINVAL;
	return file->f_op->read(k, file, pos, to);
}

ssize_t vfs_read(struct kernel *k, struct file *file, loff_t pos, void *buf,
		 size_t len)
{
	return vfs_read_iter(k, file, pos, &(struct iov_iter){ .out = buf, .count = len });
}

/* vfs_write(), fs/read_write.c v4.14: FMODE_WRITE, rw_verify_area, ->write_iter */
ssize_t vfs_write_iter(struct kernel *k, struct file *file, loff_t pos,
		       const struct iov_iter *from)
{
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!access_ok(from))
		return -EFAULT;
	if (pos < 0)
		return -EINVAL;
	return file->f_op->write_iter(k, file, pos, from);
}

/*
 * generic_write_checks(), v4.14 mm/filemap.c, for a 64-bit process (its
 * files are O_LARGEFILE): a write starting at or past s_maxbytes is
 * -EFBIG, one that crosses it is cut short there. The fs's ->write_iter
 * calls it (ext4_write_checks()).
 */
int generic_write_checks(struct kernel *k, struct file *file, loff_t pos,
			 struct iov_iter *from)
{
	loff_t max = k->sb.s_maxbytes;

	(void)file;
	if (pos >= max)
		return -EFBIG;
	if ((loff_t)from->count > max - pos)
		from->count = max - pos;
	return 0;
}

ssize_t vfs_write(struct kernel *k, struct file *file, loff_t pos,
		  const void *buf, size_t len)
{
	return vfs_write_iter(k, file, pos, &(struct iov_iter){ .buf = buf, .count = len });
}

/*
 * inode_newsize_ok(), fs/attr.c (v3.19 and v4.14 alike), which the fs's
 * ->setattr calls (setattr_prepare(), inode_change_ok()): growing past
 * s_maxbytes is -EFBIG (RLIMIT_FSIZE is unlimited here).
 */
int inode_newsize_ok(struct kernel *k, const struct inode *inode, loff_t offset)
{
	if (inode->i_size < offset && offset > k->sb.s_maxbytes)
		return -EFBIG;
	return 0;
}

/*
 * ftruncate(2), v4.14 fs/open.c do_sys_ftruncate -> do_truncate: under
 * inode_lock, notify_change -> ->setattr(ATTR_SIZE).
 */
int vfs_truncate(struct kernel *k, struct file *file, loff_t size)
{
	struct inode *inode = file_inode(file);
	int ret;

	if (size < 0 || !(file->f_mode & FMODE_WRITE))
		return -EINVAL;
	down_write(k, &inode->i_rwsem);
	ret = inode->i_op->setattr(k, inode, size);
	up_write(k, &inode->i_rwsem);
	return ret;
}

/* vfs_fallocate(), v4.14 fs/open.c (v3.19, v4.0, v4.5 alike but for the mask): the mode before FMODE_WRITE */
int vfs_fallocate(struct kernel *k, struct file *file, int mode, loff_t offset,
		  loff_t len)
{
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_SUPPORTED_MASK)
		return -EOPNOTSUPP;
	/* the mask has no INSERT_RANGE before v4.1 (v3.19, v4.0), no UNSHARE_RANGE before v4.9 */
	if (((mode & FALLOC_FL_INSERT_RANGE) && k->policy.id <= POLICY_DAX_2014) ||
	    ((mode & FALLOC_FL_UNSHARE_RANGE) && k->policy.id <= POLICY_DAX_2016))
		return -EOPNOTSUPP;
	/* punch needs KEEP_SIZE and excludes zero range */
	if ((mode & FALLOC_FL_PUNCH_HOLE) &&
	    (!(mode & FALLOC_FL_KEEP_SIZE) || (mode & FALLOC_FL_ZERO_RANGE)))
		return -EOPNOTSUPP;
	/* "Collapse range should only be used exclusively"; insert too (v4.1) */
	if ((mode & FALLOC_FL_COLLAPSE_RANGE) && (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE))
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	/* "Check for wrap through zero too" */
	if ((uint64_t)offset + (uint64_t)len > (uint64_t)k->sb.s_maxbytes)
		return -EFBIG;
	/* ext2 (xip-2014) has no ->fallocate: do_fallocate(), v3.19 fs/open.c */
	if (!file->f_op->fallocate)
		return -EOPNOTSUPP;
	return file->f_op->fallocate(k, file, mode, offset, len);
}
