// SPDX-License-Identifier: GPL-2.0
/*
 * ext4 on pmem with 4 KiB blocks, DAX files, as of v4.14: fs/ext4/inode.c
 * (ext4_iomap_begin, ext4_setattr, ext4_truncate, ext4_punch_hole),
 * fs/ext4/extents.c (ext4_zero_range, ext4_fallocate), fs/ext4/file.c
 * (ext4_dax_huge_fault, ext4_dax_read_iter/write_iter), fs/ext4/fsync.c.
 * The block map and the reverse map are extents (ext4_extents.h): a
 * contiguous file costs one extent, whatever its size.
 * docs/eras/dax-2017.md cites each step.
 */
#include <assert.h>
#include <limits.h>
#include <string.h>

#include "dax.h"
#include "ext4_extents.h"
#include "ext4.h"
#include "jbd2.h"
#include "lock.h"
#include "mm.h"
#include "nvdimm.h"
#include "pagemap.h"
#include "pmem.h"
#include "truncate.h"
#include "usercopy.h"

void ext4_fill_super(struct kernel *k, unsigned long nr_blocks)
{
	struct super_block *sb = &k->sb;

	/*
	 * The first disk with an extended dev_t: /dev/pmem0 is 259:0 on a
	 * machine with no NVMe disk (nd_pmem, v4.14: alloc_disk_node(0)).
	 */
	sb->s_dev = MKDEV(BLOCK_EXT_MAJOR, 0);
	/*
	 * ext4_max_size(), v4.14: an extent's 32-bit start caps an
	 * extent-mapped file at (2^32 - 1) blocks: 16T - 4K with 4K blocks.
	 */
	sb->s_maxbytes = (loff_t)0xffffffff << PAGE_SHIFT;
	sb->nr_blocks = nr_blocks;
	sb->nr_free = nr_blocks;
	sb->bitmap = g_hash_table_new(g_direct_hash, g_direct_equal);
	sb->alloc_hint = 0;
	sb->owner = ext_tree_new();
	sb->inodes = g_ptr_array_new();
	jbd2_journal_init(k);
}

static void inode_free(struct kernel *k, struct inode *inode)
{
	radix_tree_destroy(&inode->i_data.page_tree);
	assert(!inode->i_data.i_mmap.node);	/* every VMA holds the file */
	ext_tree_destroy(k, inode->blocks);
	kfree(k, inode, sizeof(*inode));
}

void ext4_put_super(struct kernel *k)
{
	struct super_block *sb = &k->sb;
	GHashTableIter it;
	gpointer chunk;

	jbd2_journal_destroy(k);
	for (guint i = 0; i < sb->inodes->len; i++)
		inode_free(k, g_ptr_array_index(sb->inodes, i));
	g_ptr_array_free(sb->inodes, TRUE);
	ext_tree_destroy(k, sb->owner);
	g_hash_table_iter_init(&it, sb->bitmap);
	while (g_hash_table_iter_next(&it, NULL, &chunk))
		kfree(k, chunk, sizeof(struct bitmap_chunk));
	g_hash_table_destroy(sb->bitmap);
}

/*
 * The journal, as far as MAP_SYNC sees it (map-sync): jbd2 commits
 * transactions in order; j_commit_sequence is the last committed one and
 * the running transaction is the next. ext4_update_inode_fsync_trans(…,
 * datasync 1) (6.1 fs/ext4/ext4_jbd2.h L438) records in the inode the
 * transaction that holds a change fdatasync must commit: a block
 * allocated or converted to written (ext4_ext_map_blocks() L4370,
 * L3841-3938), a new i_disksize (ext4_do_update_inode() L5211), a punch
 * (L4139). Timestamp-only changes (i_sync_tid) and jbd2's periodic commit
 * (every 5 s) are not modelled.
 */
static void ext4_update_inode_fsync_trans(struct kernel *k, struct inode *inode)
{
	inode->i_datasync_tid = k->sb.j_commit_sequence + 1;
}

/* ext4_inode_datasync_dirty(), 6.1 fs/ext4/inode.c L3303, with a journal */
static bool ext4_inode_datasync_dirty(struct kernel *k, struct inode *inode)
{
	/* jbd2_transaction_committed() */
	return inode->i_datasync_tid > k->sb.j_commit_sequence;
}

/*
 * ext4_fsync_journal() -> jbd2_complete_transaction(), 6.1
 * fs/ext4/fsync.c: commit the running transaction if it holds the
 * inode's changes (i_datasync_tid for fdatasync, i_sync_tid for fsync;
 * jbd2.h).
 */
static void ext4_fsync_journal(struct kernel *k, struct inode *inode, int datasync)
{
	jbd2_complete_transaction(k, inode, datasync);
}

struct inode *ext4_create(struct kernel *k, bool dax, loff_t size)
{
	struct inode *inode = kzalloc(k, sizeof(*inode));

	inode->i_ino = k->sb.inodes->len + 12;	/* ext4's first regular inode is 12 */
	inode->i_size = size;
	inode->dax = dax;
	/*
	 * v4.0 ext4_iget() L4096: a DAX mount's files get
	 * ext4_dax_file_operations, another mount's ext4_file_operations,
	 * whose functions are the same ones (the model's one table tells a
	 * page-cache file by IS_DAX, as they do). Under xip-2014 an ext4 file
	 * is a page-cache file of a mount without DAX: v3.19's ext4 page-cache
	 * side is v4.0's (docs/eras/xip-2014.md §P).
	 */
	if (k->policy.id == POLICY_DAX_2014 || k->policy.id == POLICY_XIP_2014) {
		inode->i_op = &ext4_file_inode_operations_v4_0;
		inode->i_fop = &ext4_dax_file_operations;
	} else if (k->policy.id == POLICY_DAX_2016) {	/* v4.5: ext4-v4.5.c */
		inode->i_op = &ext4_file_inode_operations_v4_5;
		inode->i_fop = &ext4_dax_file_operations_v4_5;
	} else {
		inode->i_op = &ext4_file_inode_operations;
		inode->i_fop = &ext4_file_operations;
	}
	inode->i_mtime = inode->i_ctime = current_time(k);
	if (size)	/* the ftruncate or write that sized it */
		ext4_update_inode_fsync_trans(k, inode);
	inode->i_data.host = inode;
	if (!dax)
		inode->i_data.a_ops = &ext4_aops;	/* ext4_set_aops() */
	radix_tree_init(&inode->i_data.page_tree);
	lock_init(&inode->i_data.tree_lock, "tree_lock");
	lock_init(&inode->i_data.i_mmap_rwsem, "i_mmap_rwsem");
	inode->blocks = ext_tree_new();
	lock_init(&inode->i_rwsem, "i_rwsem");
	/*
	 * 6.1 has it as the mapping's invalidate_lock (include/linux/fs.h
	 * struct address_space; 5.15 moved ext4's i_mmap_sem there): same
	 * use, the name a report prints.
	 */
	lock_init(&inode->i_mmap_sem, k->policy.id == POLICY_MODERN ? "invalidate_lock" : "i_mmap_sem");
	lock_init(&inode->i_data_sem, "i_data_sem");	/* ext4_inode_info's */
	g_ptr_array_add(k->sb.inodes, inode);
	jbd2_inode_created(k, inode);
	return inode;
}

bool ext4_next_block(struct inode *inode, pgoff_t *index)
{
	struct ext4_extent *ex = ext_next(inode->blocks, *index);

	if (!ex)
		return false;
	if (ex->start > *index)
		*index = ex->start;
	return true;
}

bool ext4_next_written_block(struct inode *inode, pgoff_t *index)
{
	struct ext4_extent *ex;

	while ((ex = ext_next(inode->blocks, *index)) && ex->aux)
		*index = ex->start + ex->len;
	if (!ex)
		return false;
	if (ex->start > *index)
		*index = ex->start;
	return true;
}

bool ext4_block_owner(struct kernel *k, unsigned long block,
		      struct inode **inode, pgoff_t *index)
{
	struct ext4_extent *ex = ext_lookup(k->sb.owner, block);

	if (!ex)
		return false;
	*index = ex->target + (block - ex->start);
	*inode = (struct inode *)ex->aux;
	return true;
}

/*
 * The block bitmap, held sparsely: a chunk of BITMAP_CHUNK_BITS blocks
 * exists only while one of its blocks is allocated, so the allocator costs
 * in proportion to what is allocated, not to the device.
 */
static struct bitmap_chunk *bitmap_chunk(struct super_block *sb, unsigned long b)
{
	unsigned long key = b / BITMAP_CHUNK_BITS;

	if (sb->last_chunk && sb->last_key == key)	/* a one-entry cache */
		return sb->last_chunk;
	sb->last_key = key;
	return sb->last_chunk = g_hash_table_lookup(sb->bitmap, GSIZE_TO_POINTER(key));
}

static uint64_t bitmap_word(struct super_block *sb, unsigned long w)
{
	struct bitmap_chunk *c = bitmap_chunk(sb, w * 64);

	return c ? c->w[w % (BITMAP_CHUNK_BITS / 64)] : 0;
}

/* Mark [b, b + n) allocated, a word at a time. */
static void bitmap_set(struct kernel *k, unsigned long b, unsigned long n)
{
	while (n) {
		struct bitmap_chunk *c = bitmap_chunk(&k->sb, b);
		unsigned bit = b % BITMAP_CHUNK_BITS;
		unsigned m = n < 64 - bit % 64 ? n : 64 - bit % 64;
		uint64_t mask = (m == 64 ? ~0ULL : (1ULL << m) - 1) << (bit % 64);

		if (!c) {
			c = kzalloc(k, sizeof(*c));
			g_hash_table_insert(k->sb.bitmap,
					    GSIZE_TO_POINTER(b / BITMAP_CHUNK_BITS), c);
			k->sb.last_key = b / BITMAP_CHUNK_BITS;
			k->sb.last_chunk = c;
		}
		assert(!(c->w[bit / 64] & mask));
		c->w[bit / 64] |= mask;
		c->nr_set += m;
		b += m;
		n -= m;
	}
}

static void bitmap_clear(struct kernel *k, unsigned long b)
{
	struct bitmap_chunk *c = bitmap_chunk(&k->sb, b);
	unsigned bit = b % BITMAP_CHUNK_BITS;

	assert(c && (c->w[bit / 64] & (1ULL << (bit % 64))));
	c->w[bit / 64] &= ~(1ULL << (bit % 64));
	if (--c->nr_set)
		return;
	g_hash_table_remove(k->sb.bitmap, GSIZE_TO_POINTER(b / BITMAP_CHUNK_BITS));
	k->sb.last_chunk = NULL;
	kfree(k, c, sizeof(*c));
}

/* How many blocks from @b on are free, at most @max. */
static unsigned long free_run(struct super_block *sb, unsigned long b, unsigned long max)
{
	unsigned long n = 0;

	if (max > sb->nr_blocks - b)
		max = sb->nr_blocks - b;
	while (n < max) {
		unsigned long x = b + n;
		struct bitmap_chunk *c = bitmap_chunk(sb, x);
		uint64_t word;

		if (!c) {	/* the rest of the chunk is free */
			n += BITMAP_CHUNK_BITS - x % BITMAP_CHUNK_BITS;
			continue;
		}
		word = c->w[x % BITMAP_CHUNK_BITS / 64] >> (x % 64);
		if (word) {
			n += __builtin_ctzll(word);
			break;
		}
		n += 64 - x % 64;
	}
	return n < max ? n : max;
}

/*
 * ext4_mb_new_blocks(), cut down: the lowest free block and, for a request
 * of @max, the free blocks right after it (the blocks a loop of one-block
 * requests would get, lowest free first). Returns the first, *@n of them.
 */
long ext4_new_blocks(struct kernel *k, struct inode *inode, pgoff_t index,
		     unsigned long max, unsigned long *n)
{
	struct super_block *sb = &k->sb;

	for (unsigned long w = sb->alloc_hint / 64;
	     w < DIV_ROUND_UP(sb->nr_blocks, 64); w++) {
		uint64_t word = bitmap_word(sb, w);
		unsigned long b;

		if (word == ~0ULL)
			continue;
		b = w * 64 + __builtin_ctzll(~word);
		if (b >= sb->nr_blocks)
			break;
		*n = max > 1 ? free_run(sb, b, max) : 1;
		bitmap_set(k, b, *n);
		sb->nr_free -= *n;
		sb->alloc_hint = b + *n;
		ext_insert(k, sb->owner, b, *n, index, (uintptr_t)inode);
		inode->i_blocks += *n;
		/*
		 * A block freed with poison on it keeps it. A DAX file's new
		 * block is zeroed through the driver before use, which clears
		 * it (pmem_zeroout_poisoned()); a page-cache file's is read
		 * and written through bios the model does not give errors to.
		 */
		if (G_UNLIKELY(k->pmem.poison) && !IS_DAX(inode))
			for (unsigned long i = 0; i < *n; i++)
				if (pmem_poisoned(k, block_pfn(b + i)))
					not_modelled(k, "a block with poison given to a page-cache file");
		return b;
	}
	return -ENOSPC;
}

long ext4_new_block(struct kernel *k, struct inode *inode, pgoff_t index)
{
	unsigned long n;

	return ext4_new_blocks(k, inode, index, 1, &n);
}

static void ext4_free_block(struct kernel *k, struct inode *inode,
			    unsigned long b)
{
	struct super_block *sb = &k->sb;

	bitmap_clear(k, b);
	sb->nr_free++;
	if (b < sb->alloc_hint)
		sb->alloc_hint = b;
	ext_remove(k, sb->owner, b, b + 1, NULL, NULL);
	inode->i_blocks--;
}

/* ext4_rebuild_bitmap()'s walk: each extent's blocks allocated, owned */
static gboolean mark_extent(gpointer key, gpointer value, gpointer data)
{
	const struct ext4_extent *ex = key;
	struct kernel *k = ((void **)data)[0];
	struct inode *inode = ((void **)data)[1];

	(void)value;
	bitmap_set(k, ex->target, ex->len);
	k->sb.nr_free -= ex->len;
	ext_insert(k, k->sb.owner, ex->target, ex->len, ex->start, (uintptr_t)inode);
	return FALSE;
}

/*
 * After journal recovery (jbd2.c): the block bitmap and the reverse map as
 * the recovered extents say. ext4 journals its bitmap blocks in the same
 * transaction as the extents that use them (ext4_mb_mark_diskspace_used(),
 * ext4_free_blocks()), so the recovered bitmap is the recovered extents'.
 */
void ext4_rebuild_bitmap(struct kernel *k)
{
	struct super_block *sb = &k->sb;
	GHashTableIter it;
	gpointer chunk;

	g_hash_table_iter_init(&it, sb->bitmap);
	while (g_hash_table_iter_next(&it, NULL, &chunk)) {
		kfree(k, chunk, sizeof(struct bitmap_chunk));
		g_hash_table_iter_remove(&it);
	}
	sb->last_chunk = NULL;
	sb->nr_free = sb->nr_blocks;
	sb->alloc_hint = 0;
	ext_tree_destroy(k, sb->owner);
	sb->owner = ext_tree_new();
	for (guint i = 0; i < sb->inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(sb->inodes, i);

		g_tree_foreach(inode->blocks->tree, mark_extent, (void *[]){ k, inode });
	}
}

void ext4_set_block(struct kernel *k, struct inode *inode, pgoff_t index,
		      unsigned long block, bool unwritten)
{
	struct ext4_extent *ex = ext_lookup(inode->blocks, index);

	if (!ex || ex->target + (index - ex->start) != block || ex->aux != unwritten) {
		if (ex)
			ext_remove(k, inode->blocks, index, index + 1, NULL, NULL);
		ext_insert(k, inode->blocks, index, 1, block, unwritten);
	}
	trace_index_changed(k, inode, index);
}

struct remove_ctx {
	struct kernel *k;
	struct inode *inode;
};

static void free_piece(const struct ext4_extent *ex, void *data)
{
	struct remove_ctx *ctx = data;

	for (unsigned long i = 0; i < ex->len; i++)
		ext4_free_block(ctx->k, ctx->inode, ex->target + i);
	trace_range_changed(ctx->k, ctx->inode, ex->start, ex->len);
}

/* ext4_ext_remove_space() over [first, end): free every block there. */
void ext4_remove_blocks(struct kernel *k, struct inode *inode,
			       pgoff_t first, pgoff_t end)
{
	ext_remove(k, inode->blocks, first, end, free_piece,
		   &(struct remove_ctx){ k, inode });
}

static void collect_piece(const struct ext4_extent *ex, void *data)
{
	g_array_append_val((GArray *)data, *ex);
}

/*
 * ext4_ext_shift_extents(), v4.5 fs/ext4/extents.c L5347 (v4.14 L5345,
 * 6.1 L5124; v4.0 L5312 shifts left only): every extent from @start on
 * moves @shift blocks down (@left: collapse range) or up (insert range),
 * written or unwritten as it was, on the same physical blocks; extents
 * that come to abut merge (ext4_ext_try_to_merge_right). The reverse map
 * follows. A left shift needs the hole below @start to hold @shift blocks
 * (-EINVAL otherwise), which ext4_collapse_range()'s ext4_ext_remove_space()
 * has just made: asserted. A right shift that would take the last extent
 * past EXT_MAX_BLOCKS is -EINVAL in v4.14 (L5394) and 6.1 (L5174), with
 * nothing moved; v4.5 has no such test (its caller stops before).
 */
int ext4_ext_shift_extents(struct kernel *k, struct inode *inode, pgoff_t start,
			   unsigned long shift, bool left)
{
	struct ext4_extent *last = inode->blocks->last, *ex;
	GArray *pieces;

	if (!last)
		return 0;
	if (left) {
		ex = ext_next(inode->blocks, start - shift);
		assert(shift <= start && (!ex || ex->start >= start));
	} else if (shift > EXT_MAX_BLOCKS - (last->start + last->len)) {
		return -EINVAL;
	}
	pieces = g_array_new(FALSE, FALSE, sizeof(struct ext4_extent));
	ext_remove(k, inode->blocks, start, ~0UL, collect_piece, pieces);
	for (guint i = 0; i < pieces->len; i++) {
		pgoff_t to;

		ex = &g_array_index(pieces, struct ext4_extent, i);
		to = left ? ex->start - shift : ex->start + shift;
		ext_insert(k, inode->blocks, to, ex->len, ex->target, ex->aux);
		ext_remove(k, k->sb.owner, ex->target, ex->target + ex->len, NULL, NULL);
		ext_insert(k, k->sb.owner, ex->target, ex->len, to, (uintptr_t)inode);
		trace_range_changed(k, inode, ex->start, ex->len);
		trace_range_changed(k, inode, to, ex->len);
	}
	g_array_free(pieces, TRUE);
	return 0;
}

/* Whether index @i is unwritten at physical block @b. */
static bool unwritten_at(struct inode *inode, pgoff_t i, unsigned long b)
{
	unsigned long blk;

	return ext4_block_lookup(inode, i, &blk) == BLOCK_UNWRITTEN && blk == b;
}

static bool written_at(struct inode *inode, pgoff_t i, unsigned long b)
{
	unsigned long blk;

	return ext4_block_lookup(inode, i, &blk) == BLOCK_MAPPED && blk == b;
}

static void zeroout_written(struct kernel *k, struct inode *inode, pgoff_t first,
			    pgoff_t last, unsigned long first_block)
{
	for (pgoff_t i = first; i <= last; i++) {
		/* ext4_ext_zeroout() -> ext4_issue_zeroout(): a driver write clears poison */
		if (pmem_zeroout_poisoned(k, block_pfn(first_block + (i - first)), 1))
			return;
		pmem_write_flush(k, block_pfn(first_block + (i - first)), 0, NULL, PAGE_SIZE);
		ext4_set_block(k, inode, i, first_block + (i - first), false);
	}
}

/*
 * ext4_ext_convert_to_initialized(), v4.14 fs/ext4/extents.c, for a
 * one-block write into the unwritten extent holding @index (an extent is a
 * run of unwritten blocks contiguous in the file and on the device). The
 * caller converts and zeroes @index itself. Here: a write at the first
 * (last) block of the extent next to a written, physically contiguous
 * extent moves into it; else, when the extent lies inside EOF and the
 * blocks after @index to its end are at most s_extent_max_zeroout_kb
 * (32 KiB: 8 blocks), they are zeroed (ext4_ext_zeroout) and become
 * written, and then so are the blocks before @index if the whole span is
 * shorter than 8 blocks. The zero-page entries and PTEs over the blocks
 * converted here are left as they are (nothing tells DAX).
 */
static void ext4_ext_convert_to_initialized(struct kernel *k, struct inode *inode,
					    pgoff_t index, unsigned long block)
{
	const unsigned long max_zeroout = (32 << 10) >> PAGE_SHIFT;
	pgoff_t s = index, e = index, eof_block;
	unsigned long allocated, m_len = 1;

	while (s > 0 && unwritten_at(inode, s - 1, block - (index - s) - 1))
		s--;
	while (unwritten_at(inode, e + 1, block + (e - index) + 1))
		e++;
	if (e > s) {
		/* transfer to an abutting written extent (merge left/right) */
		if (index == s && s > 0 && written_at(inode, s - 1, block - 1))
			return;
		if (index == e && written_at(inode, e + 1, block + 1))
			return;
	}
	allocated = e - index + 1;
	eof_block = DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE);
	if (eof_block < index + 1)
		eof_block = index + 1;
	if (e + 1 > eof_block || allocated <= 1)	/* not EXT4_EXT_MAY_ZEROOUT */
		return;
	if (allocated <= max_zeroout) {			/* case 3 or 5 */
		zeroout_written(k, inode, index + 1, e, block + 1);
		m_len = allocated;
	}
	if (index - s + m_len < max_zeroout && index > s)	/* case 2 or 5 */
		zeroout_written(k, inode, s, index - 1, block - (index - s));
}

/*
 * ext4_map_blocks() with EXT4_GET_BLOCKS_CREATE_ZERO for one unwritten
 * block (ext4_ext_convert_to_initialized), or a hole when @hole: allocate,
 * zero durably (ext4_issue_zeroout), mark written.
 */
static int ext4_map_one_zero(struct kernel *k, struct inode *inode,
			     pgoff_t index, unsigned long block, bool hole)
{
	if (hole) {
		long b = ext4_new_block(k, inode, index);

		if (b < 0)
			return (int)b;
		block = b;
	} else if (SW(k, EXT4_ZEROOUT)) {
		ext4_ext_convert_to_initialized(k, inode, index, block);
	}
	might_sleep(k, "ext4_issue_zeroout");
	if (pmem_zeroout_poisoned(k, block_pfn(block), 1))
		return -EIO;
	pmem_write_flush(k, block_pfn(block), 0, NULL, PAGE_SIZE);
	ext4_set_block(k, inode, index, block, false);
	ext4_update_inode_fsync_trans(k, inode);
	return 0;
}

/*
 * ext4_map_blocks(EXT4_GET_BLOCKS_CREATE_ZERO) over a hole of *@n blocks at
 * @index: a run as long as ext4_mb_new_blocks() gives (one block, even,
 * when more were asked for), zeroed durably (ext4_issue_zeroout) and put in
 * the extent tree. *@n: the run's length.
 */
static int ext4_alloc_zeroed(struct kernel *k, struct inode *inode, pgoff_t index,
			     unsigned long *n)
{
	long b;

	if (*n == 1)
		return ext4_map_one_zero(k, inode, index, 0, true);
	b = ext4_new_filled_run(k, inode, index, *n, n, 0);
	if (b < 0)
		return (int)b;
	ext4_update_inode_fsync_trans(k, inode);
	return 0;
}

/*
 * A run of new written blocks at @index, as long as the allocator gives (at
 * most @max, *@n of them), every byte @fill and durable (ext4_issue_zeroout,
 * or the data a cold file was written with), in the extent tree. Returns
 * the first block or -ENOSPC.
 */
long ext4_new_filled_run(struct kernel *k, struct inode *inode, pgoff_t index,
			 unsigned long max, unsigned long *n, uint8_t fill)
{
	long b = ext4_new_blocks(k, inode, index, max, n);

	if (b < 0)
		return b;
	might_sleep(k, "ext4_issue_zeroout");
	if (pmem_zeroout_poisoned(k, block_pfn(b), *n))
		return -EIO;
	pmem_fill_flush(k, block_pfn(b), *n, fill);
	/* bug-alloc-no-recheck: over another task's run, which stays allocated */
	if (SW(k, BUG_ALLOC_NO_RECHECK))
		ext_remove(k, inode->blocks, index, index + *n, NULL, NULL);
	ext_insert(k, inode->blocks, index, *n, b, false);
	trace_range_changed(k, inode, index, *n);
	return b;
}

/*
 * The lookup of ext4_map_blocks() at @index for ext4_iomap_begin(): the
 * extent there (or the hole up to the next one), at most @max blocks, into
 * @iomap's type and block; returns the count. Under i_data_sem.
 */
static inline __attribute__((always_inline)) unsigned long
ext4_iomap_lookup(struct inode *inode, pgoff_t index,
				       unsigned long max, struct iomap *iomap)
{
	struct ext4_extent *ex = ext_next(inode->blocks, index);
	bool inside = ex && ex->start <= index;
	unsigned long n = inside ? ex->start + ex->len - index :
			  ex ? ex->start - index : max;

	iomap->block = inside ? ex->target + (index - ex->start) : 0;
	iomap->type = !inside ? IOMAP_HOLE : ex->aux ? IOMAP_UNWRITTEN : IOMAP_MAPPED;
	return n > max ? max : n;
}

/*
 * ext4_iomap_begin(), v4.14, over [pos, pos + length): ext4_map_blocks()
 * returns the extent (or hole, up to the next extent) at pos, clipped to
 * the request. A write (EXT4_GET_BLOCKS_CREATE_ZERO) first converts an
 * unwritten extent, or allocates a hole as one run (ext4_mb_new_blocks:
 * the lowest free block and the free blocks after it, up to the next
 * extent), zeroes it durably and reports IOMAP_F_NEW. A run shorter than
 * asked for is what a PMD fault then falls back on.
 * ext4_map_blocks() (v4.14 and 6.1 fs/ext4/inode.c L506) looks up under
 * i_data_sem shared (v4.14 L565-596, 6.1 L574-603); a write that found a
 * hole or an unwritten extent takes it exclusive (v4.14 L637, 6.1 L644),
 * where ext4_ext_map_blocks() looks again (a block another task allocated
 * meanwhile is found, not new), allocates, zeroes (v4.14 L686-699) and
 * inserts, and drops it (v4.14 L724, 6.1 L729).
 */
static int ext4_iomap_begin(struct kernel *k, struct inode *inode, loff_t pos,
			    loff_t length, unsigned flags, struct iomap *iomap)
{
	pgoff_t index = (unsigned long)pos >> PAGE_SHIFT;
	unsigned long max = ((unsigned long)(pos + length - 1) >> PAGE_SHIFT) - index + 1;
	unsigned long n;
	bool locked = false;

	iomap->offset = (loff_t)index << PAGE_SHIFT;
	iomap->flags = 0;
	down_read(k, &inode->i_data_sem);
	n = ext4_iomap_lookup(inode, index, max, iomap);
	up_read(k, &inode->i_data_sem);
	if ((flags & IOMAP_WRITE) && iomap->type != IOMAP_MAPPED) {
		down_write(k, &inode->i_data_sem);
		locked = true;
		/* bug-alloc-no-recheck: the hole seen before stays a hole */
		if (!(iomap->type == IOMAP_HOLE && SW(k, BUG_ALLOC_NO_RECHECK)))
			n = ext4_iomap_lookup(inode, index, max, iomap);
	}
	if ((flags & IOMAP_WRITE) && iomap->type == IOMAP_UNWRITTEN) {
		unsigned long block = iomap->block;

		for (unsigned long i = 0; i < n; i++)
			ext4_map_one_zero(k, inode, index + i, block + i, false);
		iomap->type = IOMAP_MAPPED;
		iomap->flags = IOMAP_F_NEW;
	} else if ((flags & IOMAP_WRITE) && iomap->type == IOMAP_HOLE) {
		int err = ext4_alloc_zeroed(k, inode, index, &n);

		if (err) {
			up_write(k, &inode->i_data_sem);
			return err;
		}
		ext4_block_lookup(inode, index, &iomap->block);
		iomap->type = IOMAP_MAPPED;
		iomap->flags = IOMAP_F_NEW;
	}
	if (locked)
		up_write(k, &inode->i_data_sem);
	iomap->length = (uint64_t)n << PAGE_SHIFT;
	/*
	 * map-sync, ext4_set_iomap() (v4.15; 6.1 fs/ext4/inode.c L3334):
	 * fdatasync would have metadata to commit, or the extent reaches
	 * past EOF ("Writes that span EOF might trigger an I/O size update").
	 */
	if (SW(k, MAP_SYNC) && (ext4_inode_datasync_dirty(k, inode) ||
				iomap->offset + (loff_t)iomap->length > inode->i_size))
		iomap->flags |= IOMAP_F_DIRTY;
	return 0;
}

/* ext4_iomap_ops, v4.14 fs/ext4/inode.c: what ext4 hands fs/dax.c */
const struct iomap_ops ext4_iomap_ops = {
	.iomap_begin	= ext4_iomap_begin,
};

/*
 * ext4_dax_huge_fault(), v4.14: only a shared write is a "write" here
 * (file_update_time, the journal); i_mmap_sem is held for read across the
 * fault, which is what excludes truncate and punch hole.
 */
static int ext4_dax_huge_fault(struct kernel *k, struct vm_fault *vmf,
			       enum page_entry_size pe_size)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	bool write = (vmf->flags & FAULT_FLAG_WRITE) &&
		     (vmf->vma->vm_flags & VM_SHARED);
	unsigned long pfn = 0;
	int result;

	if (write)
		file_update_time(k, inode);	/* after sb_start_pagefault() */
	/* bug-fault-no-i-mmap-sem: the fault without the lock */
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))
		down_read(k, &inode->i_mmap_sem);
	result = dax_iomap_fault(k, vmf, pe_size, &pfn, &ext4_iomap_ops);
	/*
	 * map-sync (v4.15; 6.1 fs/ext4/file.c L753-754): still under the
	 * shared lock. The result replaces the fault's, VM_FAULT_MAJOR of an
	 * allocation included: a synchronous fault counts minor (rig:
	 * probes/dax_dirty_and_sync.c, sync_hole).
	 */
	if (write && (result & VM_FAULT_NEEDDSYNC))
		result = dax_finish_sync_fault(k, vmf, pe_size, pfn);
	if (!SW(k, BUG_FAULT_NO_I_MMAP_SEM))
		up_read(k, &inode->i_mmap_sem);
	return result;
}

static int ext4_dax_fault(struct kernel *k, struct vm_fault *vmf)
{
	return ext4_dax_huge_fault(k, vmf, PE_SIZE_PTE);
}

/* ext4_dax_vm_ops, v4.14 fs/ext4/file.c: no ->map_pages (no fault-around) */
const struct vm_operations_struct ext4_dax_vm_ops = {
	.fault		= ext4_dax_fault,
	.huge_fault	= ext4_dax_huge_fault,
	.page_mkwrite	= ext4_dax_fault,
	.pfn_mkwrite	= ext4_dax_fault,
};

/*
 * A partial block's zeroing on a page with poison. v4.14
 * __dax_zero_page_range() (fs/dax.c L905-936): a sector-aligned range is
 * blkdev_issue_zeroout(), a write through the pmem driver, which clears
 * the poison of those sectors (pmem_do_bvec()); any other range is
 * dax_direct_access() of the page (-EIO when it is in badblocks) and a
 * memset. 6.1 dax_zero_iter() (L1249-1283): a whole aligned page is
 * dax_zero_page_range() -> pmem_dax_zero_page_range(), a driver write
 * that clears (never a partial block's), else dax_memzero() (L1224-1246):
 * dax_direct_access() (-EIO) and a memset. A memset over latent poison is
 * a store to it: not modelled. 0, -EIO, or -1 with not_modelled() set.
 */
static int dax_zero_poisoned(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	int p = pmem_poisoned_range(k, pfn, off, len);

	if (k->policy.id == POLICY_DAX_2017 && !(off & (SECTOR_SIZE - 1)) &&
	    !(len & (SECTOR_SIZE - 1)))
		return p && pmem_write_poisoned(k, pfn, off, len) ? -1 : 0;
	/*
	 * The memset path maps the whole page: __pmem_direct_access()'s
	 * badblocks check covers its 8 sectors (v4.14 pmem.c L224-226, 6.1
	 * L280-285), so a bad sector outside [@off, @off + @len) fails it too.
	 */
	if (!pmem_poisoned(k, pfn))
		return 0;
	if (nvdimm_direct_access(k, pfn, 1))
		return -EIO;
	if (!p)
		return 0;
	not_modelled(k, "the zeroing of part of a block over latent poison: a memset() stores over a media error");
	return -1;
}

/*
 * ext4_block_zero_page_range(), v4.14: clipped to the block; a DAX file's
 * __dax_zero_page_range() via iomap_zero_range() (durable, mapped blocks
 * only), a page-cache file's __ext4_block_zero_page_range()
 * (model/ext4_readpage.c). With poison: dax_zero_poisoned(), whose -EIO
 * iomap_zero_range()/dax_zero_range() return.
 */
static int ext4_block_zero_page_range(struct kernel *k, struct inode *inode,
				      loff_t from, loff_t length)
{
	unsigned off = from & (PAGE_SIZE - 1);
	loff_t max = PAGE_SIZE - off;
	unsigned long block;

	if (length > max || length < 0)
		length = max;
	if (!IS_DAX(inode)) {
		__ext4_block_zero_page_range(k, inode, from, length);
		return 0;
	}
	if (ext4_block_lookup(inode, (unsigned long)from >> PAGE_SHIFT, &block) !=
	    BLOCK_MAPPED)
		return 0;
	if (G_UNLIKELY(k->pmem.poison)) {
		int err = dax_zero_poisoned(k, block_pfn(block), off, (size_t)length);

		if (err)
			return err;
	}
	pmem_write_flush(k, block_pfn(block), off, NULL, length);
	return 0;
}

/*
 * ext4_zero_partial_blocks(), v4.14 (v4.0 L3339 and v4.5 are the same): the partial
 * blocks at the ends of [lstart, lstart + length), each through the era's
 * ext4_block_zero_page_range() @zero.
 */
int ext4_zero_partial_blocks(struct kernel *k, struct inode *inode, loff_t lstart,
			     loff_t length, ext4_zero_fn zero)
{
	loff_t byte_end = lstart + length - 1;
	unsigned partial_start = lstart & (PAGE_SIZE - 1);
	unsigned partial_end = byte_end & (PAGE_SIZE - 1);
	pgoff_t start = (unsigned long)lstart >> PAGE_SHIFT;
	pgoff_t end = (unsigned long)byte_end >> PAGE_SHIFT;
	int err = 0;

	if (start == end && (partial_start || partial_end != PAGE_SIZE - 1))
		return zero(k, inode, lstart, length);
	if (partial_start) {
		err = zero(k, inode, lstart, PAGE_SIZE);
		if (err)
			return err;
	}
	if (partial_end != PAGE_SIZE - 1)
		err = zero(k, inode, byte_end - partial_end, partial_end + 1);
	return err;
}

static bool mapping_needs_writeback(struct address_space *mapping)
{
	return (mapping->nrexceptional || mapping->nrpages) &&
	       radix_tree_tagged(&mapping->page_tree, PAGECACHE_TAG_DIRTY);
}

/*
 * filemap_write_and_wait_range() -> ext4_writepages(): the DAX branch, or
 * for a page-cache file the dirty pages of the range
 * (write_cache_pages(), model/page-writeback.c).
 */
static int filemap_write_and_wait_range(struct kernel *k,
					struct address_space *mapping,
					loff_t start, loff_t end)
{
	if (!mapping_needs_writeback(mapping))
		return 0;
	if (!IS_DAX(mapping->host))
		return write_cache_pages(k, mapping, (unsigned long)start >> PAGE_SHIFT,
					 (unsigned long)end >> PAGE_SHIFT);
	return dax_writeback_mapping_range(k, mapping, start, end);
}

/* ext4_sync_file(), v4.14 fs/ext4/fsync.c: DAX entries written back */
static int ext4_sync_file(struct kernel *k, struct file *file, loff_t start,
			  loff_t end, int datasync)
{
	int ret;

	ret = filemap_write_and_wait_range(k, &file->inode->i_data, start, end);
	ext4_fsync_journal(k, file->inode, datasync);
	return ret;
}

/*
 * What a DAX read(2) returns when its copy into user memory stopped at the
 * first byte (nothing read), @hole: in a hole or unwritten extent.
 * v4.0 dax_io() (fs/dax.c L101-175): copy_to_iter()/iov_iter_zero() of 0
 * bytes ends the loop and it returns get_block()'s 0. v4.5 dax_io() (L170-
 * 178): -EFAULT. v4.14 dax_iomap_actor() (L945-1043) and 6.1
 * dax_iomap_iter() (L1378-1465): -EFAULT in a mapped extent; a hole's
 * iov_iter_zero() of 0 bytes is the actor's 0, which ends dax_iomap_rw()'s
 * loop with 0 (v4.14 L1073-1081; 6.1 iomap_iter() L1497-1500).
 */
static ssize_t dax_read_nothing(const struct kernel *k, bool hole)
{
	if (k->policy.id == POLICY_DAX_2014)
		return 0;
	if (k->policy.id == POLICY_DAX_2016)
		return -EFAULT;
	return hole ? 0 : -EFAULT;
}

/*
 * What poison does to a DAX read(2) of the written page at @p (block
 * @block), @req_end the request's end. Once an extent (from *@checked
 * on), dax_direct_access() of the pages of it the request reaches, not
 * clipped to i_size (the iomap's length: v4.14 dax_iomap_actor() L980-989,
 * 6.1 dax_iomap_iter() L1351-1359): a page in badblocks anywhere there
 * fails it with -EIO (__pmem_direct_access(), v4.14 L230, 6.1 L281), and
 * nothing of the extent is copied. Under 6.1 the copy is
 * copy_mc_to_iter() (dax_copy_to_iter(), drivers/dax/super.c L187-201,
 * with DAXDEV_NOMC, which pmem_attach_disk() sets, pmem.c L587): it stops
 * at the first sector with a media error, *@n shrinks to the bytes before
 * it; the machine check it takes is fixed up in the kernel
 * (MCE_IN_KERNEL_RECOV), no memory_failure(), no signal. v4.14's
 * copy_to_iter() is not machine-check safe: a latent error there is a
 * machine check in kernel mode that error_context() calls IN_KERNEL (only
 * memcpy_mcsafe()'s fixups are IN_KERNEL_RECOV, mce-severity.c L208-214),
 * no recovery: not modelled. v4.5 (dax_io(): no badblocks check,
 * copy_to_iter(), no recoverable kernel context): the same for any poison.
 */
static int dax_read_poison(struct kernel *k, struct inode *inode, loff_t p, loff_t req_end,
			   loff_t *checked, unsigned long block, size_t *n)
{
	if (p >= *checked) {
		pgoff_t index = (unsigned long)p >> PAGE_SHIFT;
		unsigned long max = ((unsigned long)(req_end - 1) >> PAGE_SHIFT) - index + 1;
		struct iomap iomap;
		unsigned long nr = ext4_iomap_lookup(inode, index, max, &iomap);
		long rc = nvdimm_direct_access(k, block_pfn(iomap.block), nr);

		if (rc)
			return (int)rc;
		*checked = (loff_t)(index + nr) << PAGE_SHIFT;
	}
	if (k->policy.id == POLICY_MODERN)
		*n = pmem_poison_free_len(k, block_pfn(block), p & (PAGE_SIZE - 1), *n);
	else if (pmem_poison_free_len(k, block_pfn(block), p & (PAGE_SIZE - 1), *n) < *n)
		return not_modelled(k, k->policy.id == POLICY_DAX_2016 ?
				    "read(2) over poison under dax-2016: v4.5's dax_io() copies it with copy_to_iter(), a machine check in the kernel that v4.5 cannot recover (mce-severity.c error_context() L184-187 knows no recoverable kernel context)" :
				    "read(2) over latent poison under dax-2017: copy_to_iter() is not machine-check safe, a machine check in the kernel that v4.14 cannot recover (mce-severity.c error_context() L208-214: IN_KERNEL)");
	return 0;
}

/*
 * ext4_file_read_iter(), v4.14: ext4_dax_read_iter() -> dax_iomap_rw() for
 * DAX (v4.0 and v4.5: generic_file_read_iter() -> dax_do_io(), under
 * i_mutex), under inode_lock_shared(): holes and unwritten blocks read zero, written ones
 * through the CPU's view. Into user memory, copy_to_iter() (iov_iter_zero()
 * for a hole) faults on the buffer as the kernel does, with i_rwsem held:
 * a buffer that is a mapping of the file faults in under it (mmap_sem,
 * then the fault's i_mmap_sem); the read stops at the first byte that
 * cannot be written, and returns the bytes read (dax_read_nothing() when
 * none). A page-cache file: generic_file_read_iter(); with O_DIRECT,
 * ext4_direct_IO (ext4_direct_IO_pagecache(), model/ext4_readpage.c).
 */
ssize_t ext4_file_read(struct kernel *k, struct file *file, loff_t pos,
		       const struct iov_iter *to)
{
	return __ext4_file_read(k, file, pos, to, false);
}

/*
 * @i_mutex: v4.0 and v4.5, whose DAX read is dax_do_io(DIO_LOCKING) from
 * ext4_ind_direct_IO() (without dioread_nolock, not a default then):
 * dax_do_io() takes i_mutex for a read, exclusive (v4.0 fs/dax.c
 * L202-221, v4.5 L270-287); v4.14 and 6.1's ext4_dax_read_iter() take
 * inode_lock_shared().
 */
ssize_t __ext4_file_read(struct kernel *k, struct file *file, loff_t pos,
			 const struct iov_iter *to, bool i_mutex)
{
	struct inode *inode = file_inode(file);
	loff_t end = pos + (loff_t)to->count, checked;
	ssize_t ret;

	/* ext4_file_read_iter() -> generic_file_read_iter(): buffered */
	if (!IS_DAX(inode)) {
		if (to->direct)
			return ext4_direct_IO_pagecache(k, file, pos, to, false);
		return generic_file_buffered_read(k, file, pos, to);
	}
	if (i_mutex)
		down_write(k, &inode->i_rwsem);
	else
		down_read(k, &inode->i_rwsem);
	if (end > inode->i_size)
		end = inode->i_size;
	ret = pos < end ? end - pos : 0;
	checked = pos;
	/* dax_iomap_actor(): holes and unwritten blocks read zero */
	for (loff_t p = pos; p < end;) {
		unsigned off = p & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off, got;
		unsigned long block;
		bool mapped;

		if ((loff_t)n > end - p)
			n = end - p;
		mapped = ext4_block_lookup(inode, (unsigned long)p >> PAGE_SHIFT, &block) ==
			 BLOCK_MAPPED;
		if (G_UNLIKELY(k->pmem.poison) && mapped) {
			size_t ok = n;
			int err = dax_read_poison(k, inode, p, pos + (loff_t)to->count, &checked,
						  block, &ok);

			/* dax_iomap_rw(): the bytes of the extents before, or the error */
			if (err) {
				ret = p > pos ? p - pos : err;
				break;
			}
			if (ok < n) {		/* copy_mc_to_iter() stopped at the error */
				got = copy_pfn_to_iter(k, to, p - pos, block_pfn(block), off, ok);
				ret = p + (loff_t)got > pos ? p + (loff_t)got - pos : -EFAULT;
				break;
			}
		}
		got = copy_pfn_to_iter(k, to, p - pos, mapped ? block_pfn(block) : 0, off, n);
		if (got < n) {
			ret = p + (loff_t)got > pos ? p + (loff_t)got - pos :
			      dax_read_nothing(k, !mapped);
			break;
		}
		p += n;
	}
	if (i_mutex)
		up_write(k, &inode->i_rwsem);
	else
		up_read(k, &inode->i_rwsem);
	return ret;
}

/*
 * invalidate_inode_pages2_range() for a DAX mapping, v4.14: delete the
 * clean entries, then unmap the whole range (even_cows 0).
 */
static void invalidate_dax_range(struct kernel *k, struct address_space *mapping,
				 pgoff_t start, pgoff_t end)
{
	struct radix_tree_iter iter;
	pgoff_t index = start;

	/* pagevec_lookup_entries(): the entries there are, not every index */
	while (mapping->nrexceptional && index <= end &&
	       radix_tree_next(&mapping->page_tree, index, end, -1, &iter)) {
		pgoff_t next = iter.index + (1UL << iter.order);

		dax_invalidate_mapping_entry_sync(k, mapping,
						  iter.index < start ? start : iter.index);
		if (next == 0)
			break;
		index = next;
	}
	unmap_mapping_range(k, mapping, (loff_t)start << PAGE_SHIFT,
			    (loff_t)(end - start + 1) << PAGE_SHIFT, 0);
}

/*
 * ext4_iomap_begin() for write(2), v4.14: ext4_map_blocks() with
 * EXT4_GET_BLOCKS_CREATE_ZERO over [index, index + max). A written extent
 * is returned as far as it goes; a hole is allocated as one run up to the
 * next block (ext4_mb_new_blocks), zeroed durably (ext4_issue_zeroout) and
 * IOMAP_F_NEW; an unwritten block goes through ext4_iomap_begin(), a block
 * at a time.
 */
static int ext4_iomap_begin_write(struct kernel *k, struct inode *inode,
				  pgoff_t index, unsigned long max, struct iomap *iomap)
{
	struct ext4_extent *ex;
	unsigned long n;
	bool hole;
	long b;

	down_read(k, &inode->i_data_sem);
	ex = ext_next(inode->blocks, index);
	hole = !ex || ex->start > index;
	up_read(k, &inode->i_data_sem);
	if (hole) {
		/* i_data_sem exclusive, a second look (ext4_iomap_begin()'s) */
		down_write(k, &inode->i_data_sem);
		ex = ext_next(inode->blocks, index);
		hole = hole && (SW(k, BUG_ALLOC_NO_RECHECK) || !ex || ex->start > index);
		if (!hole)
			up_write(k, &inode->i_data_sem);
	}
	if (!hole && ex->aux)				/* unwritten */
		return ext4_iomap_begin(k, inode, (loff_t)index << PAGE_SHIFT, PAGE_SIZE,
					IOMAP_WRITE, iomap);
	iomap->offset = (loff_t)index << PAGE_SHIFT;
	iomap->type = IOMAP_MAPPED;
	iomap->flags = 0;
	if (!hole) {					/* written */
		n = ex->start + ex->len - index;
		iomap->block = ex->target + (index - ex->start);
	} else {					/* a hole, up to ex */
		if (ex && ex->start > index && ex->start - index < max)
			max = ex->start - index;
		b = ext4_new_filled_run(k, inode, index, max, &n, 0);
		up_write(k, &inode->i_data_sem);
		if (b < 0)
			return (int)b;
		ext4_update_inode_fsync_trans(k, inode);
		iomap->block = b;
		iomap->flags = IOMAP_F_NEW;
	}
	iomap->length = (uint64_t)(n < max ? n : max) << PAGE_SHIFT;
	return 0;
}

/*
 * dax_iomap_actor(), v4.14: copy_from_iter_flushcache() of @len bytes of
 * @from (from byte @done on) into one extent at byte @off of it; the bytes
 * copied (user memory: up to the first byte that cannot be read).
 */
static size_t dax_copy_extent(struct kernel *k, unsigned long block, loff_t off,
			      const struct iov_iter *from, size_t done, size_t len)
{
	if (from->mm)
		return copy_iter_to_pfn(k, from, done, block_pfn(block), off, len,
					STORE_FLUSHCACHE, false);
	for (size_t left = len; left;) {
		unsigned long pfn = block_pfn(block + ((unsigned long)off >> PAGE_SHIFT));
		unsigned o = off & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - o;

		if (!from->buf && !o && left >= PAGE_SIZE) {	/* whole pages of one byte */
			n = left & PAGE_MASK;
			pmem_fill_flush(k, pfn, n >> PAGE_SHIFT, from->fill);
		} else {
			uint8_t page[PAGE_SIZE];

			if (n > left)
				n = left;
			if (!from->buf)
				memset(page, from->fill, n);
			pmem_write_flush(k, pfn, o, from->buf ? from->buf + done : page, n);
		}
		off += n;
		done += n;
		left -= n;
	}
	return len;
}

/*
 * dax_copy_extent() over a written extent when some page has poison:
 * [@p, @end) of @iomap, from byte @done of @from. v4.14 dax_iomap_actor()
 * (L981-1003): dax_direct_access() of every page of it the write reaches
 * fails with -EIO when one is in badblocks, and nothing is written (v4.14
 * has no recovery write: a DAX write never clears poison). 6.1
 * dax_iomap_iter() (L1362-1422): on that -EIO a write asks again with
 * DAX_RECOVERY_WRITE, which __pmem_direct_access() (L281-300) answers
 * with the pages before the first bad one (1 when it is the first); those
 * are written as usual, then the bad page alone, by pmem_recovery_write()
 * (L348-386): a write that is not the whole page, page aligned, copies
 * nothing ("Not page-aligned range cannot be recovered"), so xfer is 0
 * and the call's answer is -EFAULT (L1415) when nothing was written
 * before; the whole page clears the media error (__pmem_clear_poison()),
 * copies, then clears the badblocks (pmem_clear_bb()), and the write goes
 * on. Returns the bytes written; *@err: the error that stopped it (0: the
 * user copy did).
 */
static size_t dax_write_poisoned(struct kernel *k, const struct iomap *iomap, loff_t p,
				 loff_t end, const struct iov_iter *from, size_t done, int *err)
{
	size_t copied = 0;

	*err = 0;
	while (p < end) {
		unsigned long first = (unsigned long)(p - iomap->offset) >> PAGE_SHIFT;
		unsigned long last = (unsigned long)(end - 1 - iomap->offset) >> PAGE_SHIFT;
		unsigned long pfn = block_pfn(iomap->block + first);
		long bad = nvdimm_first_badblock(k, pfn, last - first + 1);
		loff_t stop = end;
		size_t n;

		if (bad >= 0 && k->policy.id != POLICY_MODERN) {
			*err = -EIO;
			return copied;
		}
		if (bad > 0) {
			stop = iomap->offset + ((loff_t)(first + bad) << PAGE_SHIFT);
		} else if (bad == 0) {		/* pmem_recovery_write() */
			if ((p & (PAGE_SIZE - 1)) || end - p < (loff_t)PAGE_SIZE) {
				*err = -EFAULT;
				return copied;
			}
			__pmem_clear_poison(k, pfn, 0, PAGE_SIZE);
			n = dax_copy_extent(k, iomap->block, p - iomap->offset, from, done + copied,
					    PAGE_SIZE);
			if (n < PAGE_SIZE) {
				not_modelled(k, "a recovery write whose user copy stops short: the rest of the page is what the firmware's clear left");
				return copied + n;
			}
			pmem_clear_bb(k, pfn, 0, PAGE_SIZE);
			p += PAGE_SIZE;
			copied += PAGE_SIZE;
			continue;
		}
		/* copy_from_iter_flushcache() over an error the driver does not know */
		for (loff_t q = p; q < stop; q = (q & ~(loff_t)(PAGE_SIZE - 1)) + PAGE_SIZE)
			if (pmem_poisoned(k, block_pfn(iomap->block +
						       ((unsigned long)(q - iomap->offset) >> PAGE_SHIFT)))) {
				not_modelled(k, "write(2) over latent poison: copy_from_iter_flushcache() stores over a media error");
				return copied;
			}
		n = dax_copy_extent(k, iomap->block, p - iomap->offset, from, done + copied, stop - p);
		copied += n;
		if ((loff_t)n < stop - p)
			return copied;
		p = stop;
	}
	return copied;
}

/*
 * ext4_dax_write_iter() -> dax_iomap_rw(), v4.14: extent by extent,
 * allocate as needed, drop zero pages over newly allocated blocks, copy
 * with flushing (durable data), extend i_size (ext4_iomap_end).
 */
static ssize_t ext4_file_write_iter(struct kernel *k, struct file *file,
				    loff_t pos, const struct iov_iter *from)
{
	struct inode *inode = file_inode(file);
	struct iov_iter it = *from;
	loff_t done = 0, len;
	int err;

	if (!IS_DAX(inode))
		return ext4_buffered_write_iter(k, file, pos, from);
	if (!it.count)
		return 0;
	down_write(k, &inode->i_rwsem);
	err = generic_write_checks(k, file, pos, &it);	/* ext4_write_checks() */
	if (err) {
		up_write(k, &inode->i_rwsem);
		return err;
	}
	len = it.count;
	from = &it;
	file_update_time(k, inode);
	while (done < len) {
		loff_t p = pos + done, end;
		pgoff_t index = (unsigned long)p >> PAGE_SHIFT;
		pgoff_t last = (unsigned long)(pos + len - 1) >> PAGE_SHIFT;
		struct iomap iomap;
		bool short_copy = false;
		int err, stop_err = 0;
		size_t copied;

		err = ext4_iomap_begin_write(k, inode, index, last - index + 1, &iomap);
		if (err) {
			if (!done)
				done = err;
			break;
		}
		if (iomap.flags & IOMAP_F_NEW)
			invalidate_dax_range(k, &inode->i_data, index,
					     index + (iomap.length >> PAGE_SHIFT) - 1);
		end = iomap.offset + (loff_t)iomap.length;
		if (end > pos + len)
			end = pos + len;
		/*
		 * A short copy from user memory (a fault that failed): the
		 * bytes copied count and the write ends there (-EFAULT when
		 * none); i_size grows to what was written (ext4_iomap_end()'s
		 * written). v4.14 L1023-1032, 6.1 L1449-1458.
		 */
		if (G_UNLIKELY(k->pmem.poison))
			copied = dax_write_poisoned(k, &iomap, p, end, from, done, &stop_err);
		else
			copied = dax_copy_extent(k, iomap.block, p - iomap.offset, from, done,
						 end - p);
		if (k->not_modelled)
			break;
		if ((loff_t)copied < end - p) {
			end = p + (loff_t)copied;
			short_copy = true;
		}
		done += end - p;
		/*
		 * v4.14's ext4_iomap_end() sets i_size to offset + written
		 * even when nothing was written (L3535): ✏️ a write(2) past EOF
		 * whose copy fails at its first byte returns -EFAULT and leaves
		 * the file grown to where it started. 6.1 grows it only for
		 * bytes written (ext4_handle_inode_extension(), file.c L295-310).
		 */
		if (end > inode->i_size && (end > p || k->policy.id != POLICY_MODERN)) {
			inode->i_size = end;		/* ext4_update_inode_size() */
			ext4_update_inode_fsync_trans(k, inode);
		}
		if (short_copy) {
			/*
			 * ext4_iomap_end(), v4.14 L3525-3560: blocks allocated
			 * past the new EOF and not written are truncated
			 * (ext4_truncate_failed_write()); 6.1's
			 * ext4_handle_inode_extension() (file.c L295-330) alike.
			 */
			if (iomap.offset + (loff_t)iomap.length >
			    round_up(inode->i_size, (loff_t)PAGE_SIZE) &&
			    (unsigned long)end >> PAGE_SHIFT < (unsigned long)(pos + len) >> PAGE_SHIFT) {
				/* no entry lies past EOF: nothing maps there */
				down_write(k, &inode->i_data_sem);
				ext4_remove_blocks(k, inode, DIV_ROUND_UP((unsigned long)inode->i_size,
									  PAGE_SIZE), ~0UL);
				up_write(k, &inode->i_data_sem);
			}
			if (!done)
				done = stop_err ? stop_err : -EFAULT;
			break;
		}
	}
	up_write(k, &inode->i_rwsem);
	return done;
}

/*
 * ext4_break_layouts(), v4.19 (6.1 fs/ext4/inode.c L3958-3985), under the
 * invalidate_lock (i_mmap_sem) held for writing: dax_layout_busy_page()
 * unmaps the whole file; while it returns a page get_user_pages holds,
 * the task sleeps until the page is idle, the lock dropped meanwhile
 * (dax_layout_wait_idle_inode()). An error (a hang outside a thread,
 * k->hang) is returned and the callers stop, as 6.1's do.
 * Only with ext4-break-layouts (on in modern). dax-break-layout: since
 * v6.15 it is dax_break_layout_inode() = dax_break_layout(inode, 0,
 * LLONG_MAX) (v6.18.2 fs/ext4/inode.c L4357-4362, include/linux/dax.h
 * L271-274): ✏️ still the whole file, whatever range the caller changes,
 * and every DAX entry of the file is then deleted.
 */
static int ext4_break_layouts(struct kernel *k, struct inode *inode)
{
	if (!SW(k, EXT4_BREAK_LAYOUTS))
		return 0;
	if (SW(k, DAX_BREAK_LAYOUT))
		return dax_break_layout(k, inode, 0, LLONG_MAX);
	return dax_layout_wait_idle_inode(k, inode);
}

/* ext4_setattr() with ATTR_SIZE, and ext4_truncate(), v4.14 */
static int ext4_setattr(struct kernel *k, struct inode *inode, loff_t size)
{
	bool shrink = size <= inode->i_size;
	int error;

	error = inode_newsize_ok(k, inode, size);	/* setattr_prepare() */
	if (error)
		return error;
	/*
	 * v4.14: i_size is written before i_mmap_sem is taken. 6.1 (with
	 * the layout break) writes it after the break, under the
	 * invalidate_lock (fs/ext4/inode.c L5480-5532): while the break
	 * waits for a pin, with the lock dropped, faults still see the old
	 * size.
	 */
	if (!SW(k, EXT4_BREAK_LAYOUTS)) {
		inode->i_size = size;
		ext4_update_inode_fsync_trans(k, inode);
	}
	down_write(k, &inode->i_mmap_sem);
	error = ext4_break_layouts(k, inode);	/* 6.1 L5482, for any size */
	if (error) {
		up_write(k, &inode->i_mmap_sem);
		return error;
	}
	if (SW(k, EXT4_BREAK_LAYOUTS)) {
		inode->i_size = size;
		ext4_update_inode_fsync_trans(k, inode);
	}
	truncate_pagecache(k, inode, size);
	if (shrink) {
		/*
		 * ext4_block_truncate_page(): ext4_truncate() drops its error
		 * (v4.14 fs/ext4/inode.c L4426-4427, 6.1 L4251-4252): over a
		 * bad block the tail stays as it was
		 */
		if (size & (PAGE_SIZE - 1))
			(void)ext4_block_zero_page_range(k, inode, size, PAGE_SIZE);
		/* ext4_truncate(): i_data_sem exclusive, v4.14 L4442, 6.1 L4267 */
		down_write(k, &inode->i_data_sem);
		ext4_remove_blocks(k, inode, DIV_ROUND_UP(size, PAGE_SIZE), ~0UL);
		up_write(k, &inode->i_data_sem);
	}
	up_write(k, &inode->i_mmap_sem);
	file_update_time(k, inode);	/* ATTR_MTIME | ATTR_CTIME */
	return 0;
}

/* ext4_punch_hole(), v4.14 */
static int ext4_punch_hole(struct kernel *k, struct inode *inode, loff_t offset,
			   loff_t length)
{
	struct address_space *mapping = &inode->i_data;
	loff_t first, last;
	int error = 0;

	/* Write back dirty entries first, before any lock, unclamped. */
	filemap_write_and_wait_range(k, mapping, offset, offset + length - 1);
	/* bug-punch-lock-order: i_mmap_sem first, the inode lock inside it */
	if (SW(k, BUG_PUNCH_LOCK_ORDER))
		down_write(k, &inode->i_mmap_sem);
	down_write(k, &inode->i_rwsem);
	if (offset >= inode->i_size) {
		if (SW(k, BUG_PUNCH_LOCK_ORDER))
			up_write(k, &inode->i_mmap_sem);
		goto out;
	}
	if (offset + length > inode->i_size)
		length = inode->i_size + PAGE_SIZE -
			 (inode->i_size & (PAGE_SIZE - 1)) - offset;
	if (!SW(k, BUG_PUNCH_LOCK_ORDER))
		down_write(k, &inode->i_mmap_sem);
	error = ext4_break_layouts(k, inode);	/* 6.1 L4072 */
	if (error) {
		up_write(k, &inode->i_mmap_sem);
		goto out;
	}
	first = round_up(offset, (loff_t)PAGE_SIZE);
	last = round_down(offset + length, (loff_t)PAGE_SIZE) - 1;
	if (last > first) {
		if (SW(k, BUG_PUNCH_NO_UNMAP))
			truncate_inode_pages_range(k, mapping, first, last);
		else
			truncate_pagecache_range(k, inode, first, last);
	}
	/*
	 * Its error (poison: ext4_block_zero_page_range()) ends the punch
	 * with nothing freed and the times as they were: "goto out_stop"
	 * (v4.14 fs/ext4/inode.c L4275-4278, 6.1 L4099-4102).
	 */
	error = ext4_zero_partial_blocks(k, inode, offset, length, ext4_block_zero_page_range);
	if (error) {
		up_write(k, &inode->i_mmap_sem);
		goto out;
	}
	/* ext4_ext_remove_space() under i_data_sem: v4.14 L4287-4304, 6.1 L4111-4128 */
	down_write(k, &inode->i_data_sem);
	ext4_remove_blocks(k, inode, DIV_ROUND_UP(offset, PAGE_SIZE),
			   (unsigned long)(offset + length) >> PAGE_SHIFT);
	up_write(k, &inode->i_data_sem);
	ext4_update_inode_fsync_trans(k, inode);	/* 6.1 L4139 */
	file_update_time(k, inode);
	up_write(k, &inode->i_mmap_sem);
out:
	up_write(k, &inode->i_rwsem);
	return error;
}

/* ext4_alloc_file_blocks() with CREATE_UNWRIT_EXT: holes become unwritten. */
int ext4_alloc_unwritten(struct kernel *k, struct inode *inode,
			 pgoff_t first, pgoff_t last, bool convert)
{
	for (pgoff_t index = first; index <= last; index++) {
		unsigned long block;
		enum block_state st = ext4_block_lookup(inode, index, &block);
		long b;

		/*
		 * Not a v4.14 check: ext4_map_blocks() allocates an extent at a
		 * time, the model a block at a time, so a task killed at the
		 * driver's limits stops here. Nothing after it is observed.
		 */
		if (fatal_signal_pending(k))
			return -EINTR;
		if (st == BLOCK_UNWRITTEN || (st == BLOCK_MAPPED && !convert))
			continue;
		if (st == BLOCK_MAPPED) {	/* CONVERT_UNWRITTEN */
			ext4_set_block(k, inode, index, block, true);
			continue;
		}
		b = ext4_new_block(k, inode, index);
		if (b < 0)
			return (int)b;
		ext4_set_block(k, inode, index, b, true);
	}
	return 0;
}

/*
 * ext4_alloc_file_blocks(), v4.0 fs/ext4/extents.c L4672 and v4.5 L4664,
 * with CREATE_UNWRIT_EXT (and CONVERT_UNWRITTEN when @convert) over @len
 * blocks from @lblk: after each mapped piece, with @new_size, i_size
 * grows to the piece's end, at most @new_size (ext4_update_inode_size()
 * only grows). The kernel maps an extent at a time, the model a block.
 */
int ext4_alloc_file_blocks(struct kernel *k, struct inode *inode, pgoff_t lblk,
			   unsigned long len, loff_t new_size, bool convert)
{
	for (unsigned long i = 0; i < len; i++) {
		loff_t epos = (loff_t)(lblk + i + 1) << PAGE_SHIFT;
		int ret = ext4_alloc_unwritten(k, inode, lblk + i, lblk + i, convert);

		if (ret)
			return ret;
		if (new_size && (epos < new_size ? epos : new_size) > inode->i_size)
			inode->i_size = epos < new_size ? epos : new_size;
	}
	return 0;
}

/* ext4_zero_range(), v4.14: no writeback; the interior becomes unwritten. */
static int ext4_zero_range(struct kernel *k, struct inode *inode, loff_t offset,
			   loff_t len, int mode)
{
	loff_t start = round_up(offset, (loff_t)PAGE_SIZE);
	loff_t end = round_down(offset + len, (loff_t)PAGE_SIZE);
	int ret = 0;

	down_write(k, &inode->i_rwsem);
	if ((offset & (PAGE_SIZE - 1)) || ((offset + len) & (PAGE_SIZE - 1))) {
		ret = ext4_alloc_unwritten(k, inode, (unsigned long)offset >> PAGE_SHIFT,
					   (unsigned long)(offset + len - 1) >> PAGE_SHIFT,
					   false);
		if (ret)
			goto out;
	}
	if (start < end) {
		down_write(k, &inode->i_mmap_sem);
		ret = ext4_break_layouts(k, inode);	/* 6.1 fs/ext4/extents.c L4609 */
		if (ret) {
			up_write(k, &inode->i_mmap_sem);
			goto out;
		}
		truncate_pagecache_range(k, inode, start, end - 1);
		file_update_time(k, inode);
		ret = ext4_alloc_unwritten(k, inode, (unsigned long)start >> PAGE_SHIFT,
					   ((unsigned long)end >> PAGE_SHIFT) - 1, true);
		up_write(k, &inode->i_mmap_sem);
		if (ret)
			goto out;
	}
	/*
	 * The size and times are set before the partial blocks are zeroed
	 * (v4.14 fs/ext4/extents.c L4886-4901, 6.1 L4640-4654), whose error
	 * (poison) is the call's.
	 */
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size) {
		inode->i_size = offset + len;
		ext4_update_inode_fsync_trans(k, inode);
	}
	file_update_time(k, inode);
	ret = ext4_zero_partial_blocks(k, inode, offset, len, ext4_block_zero_page_range);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/* ext4_fallocate(), mode 0 or KEEP_SIZE: unwritten extents, no unmap. */
int ext4_fallocate_alloc(struct kernel *k, struct inode *inode,
				loff_t offset, loff_t len, int mode)
{
	int ret;

	down_write(k, &inode->i_rwsem);
	ret = ext4_alloc_unwritten(k, inode, (unsigned long)offset >> PAGE_SHIFT,
				   (unsigned long)(offset + len - 1) >> PAGE_SHIFT,
				   false);
	inode->i_ctime = current_time(k);
	if (!ret && !(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size) {
		inode->i_size = offset + len;
		ext4_update_inode_fsync_trans(k, inode);
		inode->i_mtime = inode->i_ctime;
	}
	up_write(k, &inode->i_rwsem);
	return ret;
}

/*
 * ext4_collapse_blocks(): see ext4.h. With bug-collapse-no-unmap the
 * entries and pages go but no PTE is unmapped (truncate_inode_pages_range()
 * without the unmap_mapping_range() of truncate_pagecache()).
 */
void ext4_collapse_blocks(struct kernel *k, struct inode *inode, loff_t offset, loff_t len)
{
	pgoff_t punch_start = (unsigned long)offset >> PAGE_SHIFT;
	pgoff_t punch_stop = (unsigned long)(offset + len) >> PAGE_SHIFT;

	if (SW(k, BUG_COLLAPSE_NO_UNMAP))
		truncate_inode_pages_range(k, &inode->i_data, offset, -1);
	else
		truncate_pagecache(k, inode, offset);
	ext4_remove_blocks(k, inode, punch_start, punch_stop);
	ext4_ext_shift_extents(k, inode, punch_stop, punch_stop - punch_start, true);
	inode->i_size -= len;
	file_update_time(k, inode);
}

/*
 * ext4_collapse_range(), v4.14 fs/ext4/extents.c L5471 (6.1 L5266): block
 * aligned, ending before EOF (-EINVAL), under i_rwsem and i_mmap_sem: the
 * entries of the moving part written back (from @offset: the first
 * collapsed block too, "the tail of the last page before"), then
 * truncate_pagecache() from @offset: every PTE of the file from there on
 * unmapped, private COW copies too, and every entry deleted, so no mapping
 * keeps a block at its old offset. The blocks of the range are freed, the
 * rest shift down, i_size shrinks by @len.
 */
static int ext4_collapse_range(struct kernel *k, struct inode *inode, loff_t offset,
			       loff_t len)
{
	int ret = 0;

	if ((offset | len) & (PAGE_SIZE - 1))
		return -EINVAL;
	down_write(k, &inode->i_rwsem);
	if (offset + len >= inode->i_size) {	/* "effectively a truncate" */
		ret = -EINVAL;
		goto out;
	}
	/* 6.1's file_modified() here sets the times the model sets at the end */
	down_write(k, &inode->i_mmap_sem);
	ret = ext4_break_layouts(k, inode);	/* 6.1 L5330 */
	if (ret) {
		up_write(k, &inode->i_mmap_sem);
		goto out;
	}
	filemap_write_and_wait_range(k, &inode->i_data, offset, offset);
	filemap_write_and_wait_range(k, &inode->i_data, offset + len, LLONG_MAX);
	ext4_collapse_blocks(k, inode, offset, len);
	ext4_update_inode_fsync_trans(k, inode);	/* 6.1 L5398 */
	up_write(k, &inode->i_mmap_sem);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/*
 * ext4_insert_range(), v4.14 fs/ext4/extents.c L5616 (6.1 L5417): block
 * aligned (-EINVAL), i_size + @len within s_maxbytes (-EFBIG), @offset
 * inside i_size (-EINVAL); under i_rwsem and i_mmap_sem: the entries from
 * @offset on written back, truncate_pagecache() from @offset (every PTE
 * and entry there goes), i_size grows by @len ("to avoid data loss if
 * there is error while shifting"), the extent at @offset split and every
 * block from @offset on shifted up by @len: [offset, offset + len) is a
 * hole. A shift past EXT_MAX_BLOCKS fails with i_size already grown.
 */
static int ext4_insert_range(struct kernel *k, struct inode *inode, loff_t offset,
			     loff_t len)
{
	int ret = 0;

	if ((offset | len) & (PAGE_SIZE - 1))
		return -EINVAL;
	down_write(k, &inode->i_rwsem);
	if (len > k->sb.s_maxbytes - inode->i_size) {	/* "wrap through zero" */
		ret = -EFBIG;
		goto out;
	}
	if (offset >= inode->i_size) {
		ret = -EINVAL;
		goto out;
	}
	down_write(k, &inode->i_mmap_sem);
	ret = ext4_break_layouts(k, inode);	/* 6.1 L5486 */
	if (ret) {
		up_write(k, &inode->i_mmap_sem);
		goto out;
	}
	filemap_write_and_wait_range(k, &inode->i_data, offset, LLONG_MAX);
	truncate_pagecache(k, inode, offset);
	inode->i_size += len;
	file_update_time(k, inode);
	ret = ext4_ext_shift_extents(k, inode, (unsigned long)offset >> PAGE_SHIFT,
				     (unsigned long)len >> PAGE_SHIFT, false);
	if (!ret)
		ext4_update_inode_fsync_trans(k, inode);	/* 6.1 L5577 */
	up_write(k, &inode->i_mmap_sem);
out:
	up_write(k, &inode->i_rwsem);
	return ret;
}

/* ext4_fallocate(), v4.14 fs/ext4/extents.c: the modes, one by one */
static long ext4_fallocate(struct kernel *k, struct file *file, int mode,
			   loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);

	/* UNSHARE_RANGE (v4.9) is not among ext4's modes, in 6.1 either */
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE |
		     FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return ext4_punch_hole(k, inode, offset, len);
	if (mode & FALLOC_FL_COLLAPSE_RANGE)
		return ext4_collapse_range(k, inode, offset, len);
	if (mode & FALLOC_FL_INSERT_RANGE)
		return ext4_insert_range(k, inode, offset, len);
	if (mode & FALLOC_FL_ZERO_RANGE)
		return ext4_zero_range(k, inode, offset, len, mode);
	return ext4_fallocate_alloc(k, inode, offset, len, mode);
}

/*
 * ext4_file_mmap(), v4.14 fs/ext4/file.c L359: a DAX file's VMA gets
 * ext4_dax_vm_ops and VM_MIXEDMAP | VM_HUGEPAGE, a page-cache file's
 * ext4_file_vm_ops (model/ext4_readpage.c; dax-2017 and modern: the
 * older policies' are ext4-v4.0.c's and ext4-v4.5.c's ext4_file_mmap()).
 *
 * VM_MIXEDMAP went in 2018 (commit e1fb4a086495, "dax: remove VM_MIXEDMAP
 * for fsdax and device dax"): the modern policy's VMAs (6.1) have
 * VM_HUGEPAGE only, the earlier ones (ext2 XIP's and every DAX release up
 * to v4.14) have VM_MIXEDMAP. The flag decides what fork copies:
 * copy_page_range() copies the PTEs of a VM_MIXEDMAP VMA and leaves a
 * modern shared DAX VMA to the child's faults (docs/eras/modern.md §12).
 */
static int ext4_file_mmap(struct kernel *k, struct file *file,
			  struct vm_area_struct *vma)
{
	/*
	 * daxdev_mapping_supported() (v4.15; 6.1 fs/ext4/file.c L798,
	 * include/linux/dax.h L72): VM_SYNC only on a DAX file of a
	 * synchronous dax device (pmem is).
	 */
	if ((vma->vm_flags & VM_SYNC) && !IS_DAX(file_inode(file)))
		return -EOPNOTSUPP;
	if (!IS_DAX(file_inode(file))) {
		vma->vm_ops = &ext4_file_vm_ops;
		return 0;
	}
	vma->vm_ops = &ext4_dax_vm_ops;
	vma->vm_flags |= VM_HUGEPAGE;
	if (!SW(k, DAX_NO_MIXEDMAP))
		vma->vm_flags |= VM_MIXEDMAP;
	return 0;
}

/* ext4_file_operations, v4.14 fs/ext4/file.c */
const struct file_operations ext4_file_operations = {
	.read			= ext4_file_read,
	.write_iter		= ext4_file_write_iter,
	.mmap			= ext4_file_mmap,
	.fsync			= ext4_sync_file,
	.get_unmapped_area	= thp_get_unmapped_area,
	.fallocate		= ext4_fallocate,
	.mmap_supported_flags	= MAP_SYNC,	/* v4.15 */
};

/* ext4_file_inode_operations, v4.14 fs/ext4/file.c */
const struct inode_operations ext4_file_inode_operations = {
	.setattr	= ext4_setattr,
};
