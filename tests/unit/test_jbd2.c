// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/jbd2.c: ext4's journal as committed images. After
 * a crash (jbd2_journal_recover()) every inode is what the last commit
 * left: what the running transaction allocated is free again, what it
 * freed is allocated again, i_size goes back (jbd2.h; v4.14 fs/jbd2
 * recovery.c replays committed transactions only).
 */
#include <criterion/criterion.h>

#include "ext4.h"
#include "jbd2.h"
#include "kernel.h"

static struct kernel *k;

static void fx_init(void)
{
	k = kernel_create(POLICY_DAX_2017, 64UL << 20, 64UL << 20);
}

static void fx_fini(void)
{
	kernel_destroy(k);
}

TestSuite(jbd2, .init = fx_init, .fini = fx_fini);

static enum block_state lookup(struct inode *inode, pgoff_t index, unsigned long *b)
{
	return ext4_block_lookup(inode, index, b);
}

/* A new inode is committed empty: its size and blocks are the running transaction's. */
Test(jbd2, uncommitted_allocation_and_size_roll_back)
{
	struct inode *inode = ext4_create(k, true, 8192);
	unsigned long free0 = k->sb.nr_free, b;

	cr_assert(jbd2_inode_dirty(k, inode, true));	/* the size */
	cr_assert_eq(ext4_new_block(k, inode, 0), 0);
	ext4_set_block(k, inode, 0, 0, false);
	cr_assert_eq(k->sb.nr_free, free0 - 1);
	jbd2_journal_recover(k);
	cr_assert_eq(inode->i_size, 0);
	cr_assert_eq(lookup(inode, 0, &b), BLOCK_HOLE);
	cr_assert_eq(k->sb.nr_free, free0);
	cr_assert_not(ext4_block_owner(k, 0, &(struct inode *){ NULL }, &(pgoff_t){ 0 }));
	cr_assert_not(jbd2_inode_dirty(k, inode, false));
}

/* A commit keeps what it saw; what comes after it is lost, a free included. */
Test(jbd2, commit_then_changes_after_it)
{
	struct inode *a = ext4_create(k, true, 0), *c = ext4_create(k, true, 0);
	unsigned long seq = k->sb.j_commit_sequence, b;
	struct inode *owner;
	pgoff_t index;

	ext4_new_block(k, a, 0);
	ext4_set_block(k, a, 0, 0, false);
	a->i_size = 4096;
	jbd2_complete_transaction(k, a, true);
	cr_assert_eq(k->sb.j_commit_sequence, seq + 1);
	cr_assert_not(jbd2_inode_dirty(k, a, false));
	/* nothing of a in the running transaction: no commit */
	jbd2_complete_transaction(k, a, true);
	cr_assert_eq(k->sb.j_commit_sequence, seq + 1);
	/* after the commit: block 0 freed, block 1 allocated to c (unwritten) */
	ext4_remove_blocks(k, a, 0, 1);
	a->i_size = 0;
	ext4_new_block(k, c, 3);
	ext4_set_block(k, c, 3, 0, true);
	cr_assert(jbd2_inode_dirty(k, c, true));
	jbd2_journal_recover(k);
	cr_assert_eq(a->i_size, 4096);
	cr_assert_eq(lookup(a, 0, &b), BLOCK_MAPPED);
	cr_assert_eq(b, 0);
	cr_assert(ext4_block_owner(k, 0, &owner, &index));
	cr_assert_eq(owner, a);
	cr_assert_eq(index, 0);
	cr_assert_eq(lookup(c, 3, &b), BLOCK_HOLE);
	cr_assert_eq(c->i_blocks, 0);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks - 1);
	/* the allocator starts over from the rebuilt bitmap */
	cr_assert_eq(ext4_new_block(k, c, 0), 1);
}

/* The times are i_sync_tid's (fsync), not i_datasync_tid's (fdatasync). */
Test(jbd2, times_dirty_only_for_fsync)
{
	struct inode *a = ext4_create(k, true, 0);

	cr_assert_not(jbd2_inode_dirty(k, a, false));
	file_update_time(k, a);
	cr_assert(jbd2_inode_dirty(k, a, false));
	cr_assert_not(jbd2_inode_dirty(k, a, true));
}
