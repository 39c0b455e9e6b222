// SPDX-License-Identifier: GPL-2.0
/* sync(2), syncfs(2), and the crash and mount after it (sync.h). */
#include <assert.h>
#include <stdint.h>

#include "jbd2.h"
#include "linux_fs.h"
#include "mm.h"
#include "pmem.h"
#include "sync.h"
#include "truncate.h"

int ksys_sync(struct kernel *k)
{
	GPtrArray *inodes = k->sb.inodes;

	/*
	 * sync_inodes_one_sb(): each inode's pages or DAX entries written
	 * back as its release does it; the model reaches that writeback
	 * through the inode's ->fsync with datasync set, which is
	 * filemap_write_and_wait_range() over the whole file, then the
	 * commit that ext4_sync_fs() makes anyway.
	 */
	for (guint i = 0; i < inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(inodes, i);
		struct file *file = file_open(k, inode, FMODE_READ);

		vfs_fsync_range(k, file, 0, INT64_MAX, 1);
		file_close(k, file);
	}
	/* ext4_sync_fs(sb, wait): jbd2_log_start_commit() and wait */
	jbd2_journal_commit(k);
	/*
	 * ext2 (v3.19 fs/sync.c L102-117): sync_inodes_one_sb() writes every
	 * dirty inode (ext2_write_inode(), WB_SYNC_ALL) and
	 * fdatawrite_one_bdev() every dirty buffer, its indirect blocks and
	 * bitmaps too; syncfs(2) the same (__sync_filesystem(), L30-40)
	 */
	jbd2_write_inodes(k);
	return 0;
}

unsigned long kernel_crash(struct kernel *k, uint64_t seed)
{
	GPtrArray *inodes = k->sb.inodes;
	unsigned long lost;

	/* every process dies: its VMAs and page tables go (exit_mmap()) */
	while (k->mms->len)
		mm_destroy(k, g_ptr_array_index(k->mms, k->mms->len - 1));
	/*
	 * DRAM is gone: the page cache, dirty pages too, and the DAX entries
	 * (the next mount's inodes start with empty mappings; the model
	 * empties the ones it keeps, truncate_inode_pages() as evict() does).
	 */
	for (guint i = 0; i < inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(inodes, i);

		truncate_inode_pages_range(k, &inode->i_data, 0, -1);
	}
	lost = pmem_crash(k, seed);
	/*
	 * the mount: ext4_fill_super() -> ext4_load_journal() ->
	 * jbd2_journal_recover(); for ext2, what it wrote in place, and e2fsck
	 * before the mount rebuilds the bitmaps (jbd2.h)
	 */
	jbd2_journal_recover(k);
	return lost;
}
