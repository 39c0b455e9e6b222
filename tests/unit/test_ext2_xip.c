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

#include <string.h>

#include "ext2.h"
#include "ext4.h"
#include "jbd2.h"
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

/*
 * ext2_block_to_path() and ext2_alloc_branch() (fs/ext2/inode.c): index
 * 12 is the first behind the indirect block, 1036 the first behind the
 * double indirect block; the missing indirect blocks are allocated first,
 * top down, then the data block, and all count in i_blocks.
 */
Test(ext2_xip, indirect_blocks_are_allocated_and_counted)
{
	struct inode *inode = ext2_create(k, 4096 * P);
	unsigned long pfn;

	cr_assert_eq(get_xip_mem(inode, 11, 1, &pfn), 0);
	cr_assert_eq(inode->i_blocks, 1, "a direct block");
	cr_assert_eq(get_xip_mem(inode, 12, 1, &pfn), 0);
	cr_assert_eq(inode->i_blocks, 3, "the indirect block and the data block");
	cr_assert_eq(pfn, block_pfn(2), "the indirect block took block 1, lowest free first");
	cr_assert_eq(get_xip_mem(inode, 1035, 1, &pfn), 0);
	cr_assert_eq(inode->i_blocks, 4, "the same indirect block");
	cr_assert_eq(get_xip_mem(inode, 1036, 1, &pfn), 0);
	cr_assert_eq(inode->i_blocks, 7, "the double indirect block, its first child, the data");
	cr_assert_eq(get_xip_mem(inode, 2060, 1, &pfn), 0);
	cr_assert_eq(inode->i_blocks, 9, "a second child of the double indirect block");
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks - 9);
}

/* ext2_alloc_blocks(): all or nothing: a branch that does not fit leaves nothing. */
Test(ext2_xip, branch_allocation_is_all_or_nothing)
{
	struct inode *inode = ext2_create(k, 4096 * P);
	unsigned long pfn, n;

	cr_assert_geq(ext4_new_blocks(k, inode, 5000, k->sb.nr_free - 2, &n), 0);
	cr_assert_eq(k->sb.nr_free, 2);
	cr_assert_eq(get_xip_mem(inode, 1036, 1, &pfn), -ENOSPC, "needs three blocks");
	cr_assert_eq(k->sb.nr_free, 2);
	cr_assert_eq(get_xip_mem(inode, 12, 1, &pfn), 0, "needs two");
	cr_assert_eq(k->sb.nr_free, 0);
}

/*
 * __ext2_truncate_blocks(): the data blocks past the new EOF and every
 * indirect block with nothing left below it go; the others stay.
 */
Test(ext2_xip, truncate_frees_indirect_blocks_left_empty)
{
	struct inode *inode = ext2_create(k, 0);
	struct file *f = open_inode(inode, FMODE_READ | FMODE_WRITE);
	static uint8_t buf[1100 * P];

	cr_assert_eq(vfs_write(k, f, 0, buf, sizeof(buf)), sizeof(buf));
	/* 1100 data blocks, the indirect block, the double and one child */
	cr_assert_eq(inode->i_blocks, 1103);
	cr_assert_eq(vfs_truncate(k, f, 1036 * P), 0);
	cr_assert_eq(inode->i_blocks, 1037);
	cr_assert_eq(vfs_truncate(k, f, 13 * P), 0);
	cr_assert_eq(inode->i_blocks, 14);
	cr_assert_eq(vfs_truncate(k, f, 12 * P), 0);
	cr_assert_eq(inode->i_blocks, 12);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks - 12);
}

/*
 * ext2_max_size(12) = 2194719883264 (fs/ext2/super.c): growing past it is
 * -EFBIG (inode_newsize_ok), so is a write at or past it
 * (generic_write_checks), and a write across it is cut short.
 */
Test(ext2_xip, s_maxbytes)
{
	struct inode *inode = ext2_create(k, 0);
	struct file *f = open_inode(inode, FMODE_READ | FMODE_WRITE);
	const loff_t max = 2194719883264LL;
	uint8_t buf[16] = { 0 };

	cr_assert_eq(k->sb.s_maxbytes, max);
	cr_assert_eq(vfs_truncate(k, f, max + 1), -EFBIG);
	cr_assert_eq(vfs_truncate(k, f, max), 0);
	cr_assert_eq(vfs_write(k, f, max, buf, 1), -EFBIG);
	cr_assert_eq(vfs_write(k, f, max, buf, 0), 0, "zero-length writes at s_maxbytes are OK");
	cr_assert_eq(vfs_write(k, f, max + 1, buf, 0), -EFBIG);
	cr_assert_eq(vfs_write(k, f, max - 6, buf, 16), 6);
	cr_assert_eq(inode->i_size, max);
}

/* ext2_block_to_path(): past the triple indirect block, ext2_get_blocks() is -EIO. */
Test(ext2_xip, past_triple_indirect_is_eio)
{
	struct inode *inode = ext2_create(k, 0);
	unsigned long pfn;

	cr_assert_eq(get_xip_mem(inode, 12 + 1024 + 1024 * 1024 + 1024UL * 1024 * 1024, 0, &pfn),
		     -EIO);
	cr_assert_eq(get_xip_mem(inode, 12 + 1024 + 1024 * 1024 + 1024UL * 1024 * 1024 - 1, 0,
				 &pfn), -ENODATA);
}

/* ---- truncate_mutex under two tasks ---- */

#include "lock.h"
#include "task.h"

struct two_creates {
	struct inode *inode;
	unsigned long pfn[2];
	int err[2];
};

static void create_at_1(struct kernel *kk, void *arg)
{
	struct two_creates *r = arg;

	r->err[kk->current - 1] = r->inode->i_data.a_ops->get_xip_mem(kk, &r->inode->i_data, 1, 1,
								       &r->pfn[kk->current - 1]);
}

/*
 * Two tasks ask ext2_get_blocks() to allocate index 1 of one file, each
 * preempted wherever it can be: both look up the hole unlocked, then
 * meet at truncate_mutex (v3.19 fs/ext2/inode.c L677). The second to get
 * it reads the chain again (verify_chain(), L678-702), finds the first
 * one's block and returns it: one block, both tasks get its pfn, the
 * mutex is free at the end.
 */
Test(ext2_xip, two_creates_allocate_once)
{
	struct two_creates r = { .inode = ext2_create(k, 4 * P) };

	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, create_at_1, &r);
	kthread_create(k, NULL, create_at_1, &r);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(r.err[0], 0);
	cr_assert_eq(r.err[1], 0);
	cr_assert_eq(r.pfn[0], r.pfn[1]);
	cr_assert_eq(r.inode->i_blocks, 1);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks - 1);
	cr_assert_not(lock_held(&r.inode->i_data_sem));
	cr_assert_str_eq(r.inode->i_data_sem.name, "truncate_mutex");
}

/*
 * The same with bug-alloc-no-recheck: the second task trusts its
 * unlocked lookup, allocates a second block and splices it over the
 * first. Two pfns; the file maps the second; the first stays allocated,
 * owned by nothing in the file (i_blocks 2 for one index).
 */
Test(ext2_xip, two_creates_without_recheck_allocate_twice)
{
	struct two_creates r = { .inode = ext2_create(k, 4 * P) };
	unsigned long now = 0;

	k->policy.sw[SW_BUG_ALLOC_NO_RECHECK] = 1;
	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, create_at_1, &r);
	kthread_create(k, NULL, create_at_1, &r);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_neq(r.pfn[0], r.pfn[1]);
	cr_assert_eq(r.inode->i_blocks, 2);
	cr_assert_eq(get_xip_mem(r.inode, 1, 0, &now), 0);
	cr_assert_eq(now, r.pfn[1], "the later splice wins");
}

static void truncate_to_0(struct kernel *kk, void *arg)
{
	struct two_creates *r = arg;

	cr_assert_eq(r->inode->i_op->setattr(kk, r->inode, 0), 0);
}

/*
 * An allocation against ext2_setsize() to 0, switching at every point:
 * __ext2_truncate_blocks() takes truncate_mutex (L1110) after
 * truncate_setsize(), the allocation holds it from its lookup again to
 * the splice. The truncate waits for the allocation (the block is
 * spliced in, then freed: the file ends with no block) or the
 * allocation for the truncate (it allocates after, for a file of size 0:
 * ext2_get_blocks() does not look at i_size).
 */
Test(ext2_xip, allocation_and_truncate_exclude_each_other)
{
	struct two_creates r = { .inode = ext2_create(k, 4 * P) };

	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, create_at_1, &r);
	kthread_create(k, NULL, truncate_to_0, &r);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(r.err[0], 0);
	cr_assert_eq(r.inode->i_size, 0);
	cr_assert_not(lock_held(&r.inode->i_data_sem));
	/* the allocation went first: its block is gone with the truncate */
	cr_assert_eq(r.inode->i_blocks, 0);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks);
}

/*
 * ext2 has no journal: ext2_fsync() -> __generic_file_fsync() (fs/libfs.c
 * L940-976) writes this inode and its indirect blocks in place; a crash
 * (jbd2_journal_recover(), e2fsck for ext2) puts the inode back to what was
 * written and rebuilds the bitmap from the inodes (jbd2.h).
 */
Test(ext2_xip, fsync_writes_the_inode_recovery_restores_it)
{
	struct inode *inode = ext2_create(k, 16 * P), *other = ext2_create(k, 0);
	struct file *f = open_inode(inode, FMODE_READ | FMODE_WRITE);
	unsigned long pfn12, pfn, b;
	struct inode *owner;
	pgoff_t index;

	cr_assert_eq(get_xip_mem(inode, 12, 1, &pfn12), 0);	/* indirect + data */
	cr_assert_eq(inode->i_blocks, 2);
	cr_assert(jbd2_inode_dirty(k, inode, true));
	cr_assert_eq(vfs_fsync_range(k, f, 0, INT64_MAX, 0), 0);
	cr_assert_not(jbd2_inode_dirty(k, inode, false));
	/* after it: another block and a new size, and a journal commit, which is ext4's only */
	cr_assert_eq(get_xip_mem(inode, 0, 1, &pfn), 0);
	inode->i_size = 32 * P;
	cr_assert_eq(get_xip_mem(other, 0, 1, &pfn), 0);
	jbd2_journal_commit(k);
	cr_assert(jbd2_inode_dirty(k, inode, true));
	cr_assert(jbd2_inode_dirty(k, other, true));
	jbd2_journal_recover(k);
	cr_assert_null(k->not_modelled);
	cr_assert_eq(inode->i_size, 16 * P);
	cr_assert_eq(inode->i_blocks, 2);
	cr_assert_eq(ext4_block_lookup(inode, 12, &b), BLOCK_MAPPED);
	cr_assert_eq(block_pfn(b), pfn12);
	cr_assert_eq(ext4_block_lookup(inode, 0, &b), BLOCK_HOLE);
	cr_assert_eq(other->i_blocks, 0);
	cr_assert_eq(ext4_block_lookup(other, 0, &b), BLOCK_HOLE);
	/* e2fsck's bitmap: the two blocks the inode holds, nothing else */
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks - 2);
	cr_assert(ext4_block_owner(k, 1, &owner, &index));
	cr_assert_eq(owner, inode);
	cr_assert_eq(index, 12);
}

/* fdatasync writes no inode whose times alone changed (I_DIRTY_SYNC only). */
Test(ext2_xip, fdatasync_skips_a_times_only_change)
{
	struct inode *inode = ext2_create(k, P);
	struct file *f = open_inode(inode, FMODE_READ | FMODE_WRITE);

	cr_assert_eq(vfs_fsync_range(k, f, 0, INT64_MAX, 1), 0);	/* i_size: written */
	cr_assert_not(jbd2_inode_dirty(k, inode, false));
	file_update_time(k, inode);
	cr_assert_eq(vfs_fsync_range(k, f, 0, INT64_MAX, 1), 0);
	cr_assert(jbd2_inode_dirty(k, inode, false));
	cr_assert_eq(vfs_fsync_range(k, f, 0, INT64_MAX, 0), 0);
	cr_assert_not(jbd2_inode_dirty(k, inode, false));
}

/*
 * A block freed by a truncate that was never written, given to another
 * file that was: both inodes map it after the crash; e2fsck's
 * duplicate-block passes are not modelled.
 */
Test(ext2_xip, block_in_two_inodes_is_not_modelled)
{
	struct inode *a = ext2_create(k, P), *c = ext2_create(k, P);
	struct file *fa = open_inode(a, FMODE_READ | FMODE_WRITE);
	struct file *fc = open_inode(c, FMODE_READ | FMODE_WRITE);
	unsigned long pa, pc;

	cr_assert_eq(get_xip_mem(a, 0, 1, &pa), 0);
	cr_assert_eq(vfs_fsync_range(k, fa, 0, INT64_MAX, 0), 0);
	cr_assert_eq(vfs_truncate(k, fa, 0), 0);
	cr_assert_eq(get_xip_mem(c, 0, 1, &pc), 0);
	cr_assert_eq(pc, pa);
	cr_assert_eq(vfs_fsync_range(k, fc, 0, INT64_MAX, 0), 0);
	jbd2_journal_recover(k);
	cr_assert_not_null(k->not_modelled);
	cr_assert(strstr(k->not_modelled, "e2fsck"));
}
