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
 *
 * ext2 (xip-2014, v3.19) has no journal: it changes its metadata in place
 * in the buffer cache (the inode's i_size, times, i_data and i_blocks;
 * its indirect blocks, which the model keeps in the inode's block map, so
 * they are part of the image; the block bitmaps), and a buffer reaches the
 * media when it is written back. The flusher's periodic writeback
 * (dirty_writeback_centisecs, 5 s; dirty_expire_centisecs, 30 s) is not
 * modelled either: a crash comes before it. So an ext2 inode's image is
 * written in place, one inode at a time, by fsync of that file
 * (jbd2_inode_write()) and by sync(2) or syncfs(2) (jbd2_write_inodes()),
 * never by a commit; recovery is the same: every inode back to its image,
 * then the bitmap rebuilt from the images, which is what e2fsck does to an
 * ext2 file system that was not unmounted cleanly (pass 5 writes the
 * bitmaps the inodes say). Two images mapping one block (jbd2.c) are not
 * modelled.
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
/* An ext2 inode: its image, empty, is written in place (jbd2_inode_write()). */
void jbd2_inode_created_in_place(struct kernel *k, struct inode *inode);
/*
 * Whether @inode has changes in the running transaction that fsync must
 * commit: its i_size or extents (@datasync: what i_datasync_tid tracks),
 * and its times too (!@datasync: i_sync_tid).
 */
bool jbd2_inode_dirty(struct kernel *k, struct inode *inode, bool datasync);
/*
 * jbd2_journal_commit_transaction(): the running transaction commits
 * (ext4's inodes; not ext2's, which no commit writes).
 */
void jbd2_journal_commit(struct kernel *k);
/*
 * An ext2 inode's metadata written in place (v3.19 __generic_file_fsync():
 * sync_mapping_buffers() writes its indirect blocks, sync_inode_metadata()
 * its inode when I_DIRTY, but with @datasync only when I_DIRTY_DATASYNC,
 * which a change of the times alone does not set): its image becomes its
 * present state when it differs in what @datasync asks (jbd2_inode_dirty()).
 * Returns whether it was written.
 */
bool jbd2_inode_write(struct kernel *k, struct inode *inode, bool datasync);
/* sync(2) for ext2: every ext2 inode and its buffers written (sync.h). */
void jbd2_write_inodes(struct kernel *k);
/*
 * jbd2_complete_transaction() for ext4_sync_file() (v4.0 to 6.1
 * fs/ext4/fsync.c): commit the running transaction if it holds @inode's
 * changes (ext4_inode_datasync_dirty() or the image test above).
 */
void jbd2_complete_transaction(struct kernel *k, struct inode *inode, bool datasync);
/*
 * jbd2_journal_recover() at mount (and e2fsck for ext2): every inode back
 * to its committed image, the bitmap and the reverse map rebuilt from
 * them. Two inodes left mapping one block: not_modelled() (e2fsck's
 * duplicate-block passes), the bitmap left as it was.
 */
void jbd2_journal_recover(struct kernel *k);

#endif
