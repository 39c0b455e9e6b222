/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/sync.c's system calls (v4.14; v4.0, v4.5 and 6.1 the same in what
 * the model has), and what a crash and the mount after it do to the
 * machine (model/crash.c).
 */
#ifndef MMSIM_SYNC_H
#define MMSIM_SYNC_H

#include "kernel.h"

/*
 * sync(2), v4.14 fs/sync.c L108-118: sync_inodes_one_sb() writes every
 * inode back with WB_SYNC_ALL (->writepages: ext4_writepages(), which for
 * DAX is dax_writeback_mapping_range(), v4.5 fs/ext4/inode.c L2482, v4.14
 * L2751; v4.0 has none), then sync_fs_one_sb() calls ->sync_fs(sb, 1):
 * ext4_sync_fs() commits the running transaction (v4.14 fs/ext4/super.c
 * L5017-5050). The model has one file system, so syncfs(2)
 * (sync_filesystem(), L48-68: the same two steps for one super_block) is
 * this too. Under xip-2014, ext2's inodes are written in place as well
 * (jbd2_write_inodes()). Returns 0.
 */
int ksys_sync(struct kernel *k);

/*
 * The machine loses power. Every process dies (their page tables and
 * VMAs go), the page cache and the DAX entries are gone with DRAM, every
 * line still dirty in the CPU cache is lost (pmem_crash(); @seed not 0:
 * some survive, as evicted lines do) and, at the next mount, the journal
 * puts every inode back to its last commit (jbd2_journal_recover(); for
 * ext2, xip-2014, what fsync and sync wrote in place, and e2fsck's
 * bitmaps: jbd2.h). Returns the cache lines lost. The caller has closed
 * every descriptor, and checks not_modelled (jbd2_journal_recover()).
 */
unsigned long kernel_crash(struct kernel *k, uint64_t seed);

#endif
