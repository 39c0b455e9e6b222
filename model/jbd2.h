/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ext4's journal (fs/jbd2, v4.0 to 6.1), as far as a crash sees it. ext4
 * changes metadata (the block map and the bitmap, i_size, the unwritten
 * flags, the times) inside the running transaction; jbd2 pins those
 * buffers until the transaction commits (jbd2_journal_commit_transaction()
 * writes them to the journal, then the commit block), and only after
 * the commit may they reach their home location. Recovery at mount
 * (jbd2_journal_recover(): PASS_SCAN, PASS_REVOKE, PASS_REPLAY) replays
 * the committed transactions and ignores the rest. So after a crash the
 * metadata is what the last commit left, and nothing of the running
 * transaction.
 *
 * The model keeps, per inode, the committed image (i_size, the times, the
 * extents with their unwritten flags, i_blocks); the running transaction is
 * the difference between an inode and its image. A commit makes every
 * inode's image its present state (a transaction is the whole file
 * system's: an fsync of one file commits every change in it); recovery
 * puts every inode back to its image and rebuilds the block bitmap and the
 * reverse map from the recovered extents (the bitmap blocks are journalled
 * with them), so blocks allocated in the running transaction are free
 * again and blocks it freed are allocated again.
 *
 * Not modelled: jbd2's periodic commit (every 5 s, kjournald2), which is a
 * commit at a time a scenario cannot name: a crash here comes before it.
 * ext2 (xip-2014) has no journal (not here: a crash there exits 3).
 */
#ifndef MMSIM_JBD2_H
#define MMSIM_JBD2_H

#include "kernel.h"

void jbd2_journal_init(struct kernel *k);
void jbd2_journal_destroy(struct kernel *k);
/*
 * A new inode: its committed image is empty (i_size 0, no blocks): the
 * scenario's files exist after a crash, as a creat() and a sync of the
 * directory leave them; what they hold is the running transaction's.
 */
void jbd2_inode_created(struct kernel *k, struct inode *inode);
/*
 * Whether @inode has changes in the running transaction that fsync must
 * commit: its i_size or extents (@datasync: what i_datasync_tid tracks),
 * and its times too (!@datasync: i_sync_tid).
 */
bool jbd2_inode_dirty(struct kernel *k, struct inode *inode, bool datasync);
/* jbd2_journal_commit_transaction(): the running transaction commits. */
void jbd2_journal_commit(struct kernel *k);
/*
 * jbd2_complete_transaction() for ext4_sync_file() (v4.0 to 6.1
 * fs/ext4/fsync.c): commit the running transaction if it holds @inode's
 * changes (ext4_inode_datasync_dirty() or the image test above).
 */
void jbd2_complete_transaction(struct kernel *k, struct inode *inode, bool datasync);
/* jbd2_journal_recover() at mount: every inode back to its committed image. */
void jbd2_journal_recover(struct kernel *k);

#endif
