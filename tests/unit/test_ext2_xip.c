// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/ext2-xip-v3.19.c: ext2 mounted -o xip as Linux
 * v3.19.8 has it: ext2_get_xip_mem (fs/ext2/xip.c), the block allocation
 * of ext2_get_blocks with ext2_clear_xip_target, ext2_setattr /
 * ext2_setsize, ext2_fsync, and the tables of fs/ext2/file.c.
 * docs/eras/xip-2014.md, cited as §n.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "ext2.h"
#include "kernel.h"
#include "linux_fs.h"
#include "pmem.h"

TestSuite(ext2_xip, .init = fx_init_xip, .fini = fx_fini);

static int get_xip_mem(struct inode *inode, pgoff_t pgoff, int create,
		       unsigned long *pfn)
{
	return inode->i_data.a_ops->get_xip_mem(k, &inode->i_data, pgoff, create, pfn);
}

/* __ext2_get_block(): a hole without create is -ENODATA and allocates nothing. */
Test(ext2_xip, hole_is_enodata)
{
	struct inode *inode = ext2_create(k, 4 * P);
	unsigned long pfn = 0;

	cr_assert_eq(get_xip_mem(inode, 1, 0, &pfn), -ENODATA);
	cr_assert_eq(inode->i_blocks, 0);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks);
}

/*
 * ext2_get_blocks() with create: one block allocated and cleared with
 * clear_page() (§1, fs/ext2/inode.c L734-744): zero, but not durable.
 * Asked again, the same block.
 */
Test(ext2_xip, create_allocates_a_zeroed_volatile_block)
{
	struct inode *inode = ext2_create(k, 4 * P);
	unsigned long pfn = 0, again = 0;
	uint64_t v = ~0ULL;

	cr_assert_eq(get_xip_mem(inode, 2, 1, &pfn), 0);
	cr_assert(pfn_is_pmem(k, pfn));
	cr_assert_eq(inode->i_blocks, 1);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks - 1);
	pmem_read(k, pfn, 4088, &v, sizeof(v));
	cr_assert_eq(v, 0);
	cr_assert_not(pmem_page_durable(k, pfn), "clear_page: ordinary stores");
	cr_assert_eq(get_xip_mem(inode, 2, 0, &again), 0);
	cr_assert_eq(again, pfn);
	cr_assert_eq(get_xip_mem(inode, 2, 1, &again), 0);
	cr_assert_eq(again, pfn);
	cr_assert_eq(inode->i_blocks, 1);
	cr_assert_eq(state(&(struct file){ .inode = inode }, 2), BLOCK_MAPPED);
}

/* A full device: the allocation fails with -ENOSPC, nothing changes. */
Test(ext2_xip, create_on_full_device_is_enospc)
{
	struct inode *inode = ext2_create(k, 4 * P);
	struct file *f = open_inode(inode, FMODE_READ | FMODE_WRITE);
	unsigned long pfn, n;
	uint8_t b = 1;

	cr_assert_geq(ext4_new_blocks(k, inode, 100, k->sb.nr_free, &n), 0);
	cr_assert_eq(get_xip_mem(inode, 0, 1, &pfn), -ENOSPC);
	cr_assert_eq(vfs_write(k, f, 0, &b, 1), -ENOSPC);
	cr_assert_eq(inode->i_size, 4 * P, "nothing written: i_size unchanged");
}

/*
 * ext2_setattr(): ext2_setsize() only when the size changes, the times
 * either way; shrinking frees the blocks past the new EOF
 * (__ext2_truncate_blocks()), growing allocates nothing.
 */
Test(ext2_xip, setattr_truncate)
{
	struct inode *inode = ext2_create(k, 0);
	struct file *f = open_inode(inode, FMODE_READ | FMODE_WRITE);
	uint8_t buf[3 * P] = { 0 };
	uint64_t t;

	cr_assert_eq(vfs_write(k, f, 0, buf, sizeof(buf)), sizeof(buf));
	cr_assert_eq(inode->i_blocks, 3);
	t = inode->i_mtime;
	cr_assert_eq(vfs_truncate(k, f, 3 * P), 0);
	cr_assert_neq(inode->i_mtime, t, "setattr_copy: ATTR_MTIME from do_truncate");
	cr_assert_eq(vfs_truncate(k, f, P + 1), 0);
	cr_assert_eq(inode->i_blocks, 2);
	cr_assert_eq(state(f, 2), BLOCK_HOLE);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks - 2);
	cr_assert_eq(vfs_truncate(k, f, 64 * P), 0);
	cr_assert_eq(inode->i_blocks, 2);
	cr_assert_eq(inode->i_size, 64 * P);
	cr_assert_eq(vfs_truncate(k, f, 0), 0);
	cr_assert_eq(inode->i_blocks, 0);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks);
}

/* ext2_fsync() -> generic_file_fsync(): succeeds and flushes no data (§6). */
Test(ext2_xip, fsync_writes_no_data)
{
	struct inode *inode = ext2_create(k, P);
	struct file *f = open_inode(inode, FMODE_READ | FMODE_WRITE);
	unsigned long pfn;

	cr_assert_eq(get_xip_mem(inode, 0, 1, &pfn), 0);
	cr_assert_eq(vfs_fsync_range(k, f, 0, P - 1, 1), 0);
	cr_assert_not(pmem_page_durable(k, pfn));
}

/* The inode ext2_create() makes: an XIP regular file with ext2's tables. */
Test(ext2_xip, create)
{
	struct inode *a = ext2_create(k, 5), *b = ext2_create(k, 0);

	cr_assert_eq(a->i_ino, 12);
	cr_assert_eq(b->i_ino, 13);
	cr_assert_eq(a->i_size, 5);
	cr_assert(IS_DAX(a), "mapping_is_xip(): the mm's DAX test stands for it");
	cr_assert_eq(a->i_fop, &ext2_xip_file_operations);
	cr_assert_eq(a->i_op, &ext2_file_inode_operations);
	cr_assert_eq(a->i_data.a_ops, &ext2_aops_xip);
	cr_assert_eq(a->i_data.host, a);
	cr_assert_eq(a->i_blocks, 0);
}
