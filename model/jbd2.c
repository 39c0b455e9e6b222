// SPDX-License-Identifier: GPL-2.0
/*
 * ext4's journal, committed images and recovery (jbd2.h); the same images
 * for ext2's inodes, written in place one at a time (xip-2014).
 */
#include <assert.h>

#include "ext4.h"
#include "ext4_extents.h"
#include "jbd2.h"

/* The committed image of one inode. */
struct jbd2_image {
	loff_t i_size;
	unsigned long i_blocks;
	uint64_t i_mtime, i_ctime;
	struct ext_tree *blocks;
	/* ext2's: written in place by jbd2_inode_write(), no commit takes it */
	bool in_place;
};

struct journal_s {
	GHashTable *images;		/* struct inode * -> struct jbd2_image * */
};

void jbd2_journal_init(struct kernel *k)
{
	k->sb.s_journal = g_new0(struct journal_s, 1);
	k->sb.s_journal->images = g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void image_free(struct kernel *k, struct jbd2_image *im)
{
	ext_tree_destroy(k, im->blocks);
	g_free(im);
}

void jbd2_journal_destroy(struct kernel *k)
{
	GHashTableIter it;
	gpointer im;

	if (!k->sb.s_journal)
		return;
	g_hash_table_iter_init(&it, k->sb.s_journal->images);
	while (g_hash_table_iter_next(&it, NULL, &im))
		image_free(k, im);
	g_hash_table_destroy(k->sb.s_journal->images);
	g_free(k->sb.s_journal);
	k->sb.s_journal = NULL;
}

static struct jbd2_image *image_of(struct kernel *k, struct inode *inode)
{
	return k->sb.s_journal ? g_hash_table_lookup(k->sb.s_journal->images, inode) : NULL;
}

static void image_new(struct kernel *k, struct inode *inode, bool in_place)
{
	struct jbd2_image *im = g_new0(struct jbd2_image, 1);

	im->i_mtime = inode->i_mtime;
	im->i_ctime = inode->i_ctime;
	im->blocks = ext_tree_new();
	im->in_place = in_place;
	g_hash_table_insert(k->sb.s_journal->images, inode, im);
}

void jbd2_inode_created(struct kernel *k, struct inode *inode)
{
	image_new(k, inode, false);
}

void jbd2_inode_created_in_place(struct kernel *k, struct inode *inode)
{
	image_new(k, inode, true);
}

/* The extents of @t in order, continuing ones merged (the map they say). */
static gboolean collect(gpointer key, gpointer value, gpointer data)
{
	GArray *out = data;
	const struct ext4_extent *ex = key;
	struct ext4_extent *last = out->len ?
		&g_array_index(out, struct ext4_extent, out->len - 1) : NULL;

	(void)value;
	if (last && ext_continues(last, ex))
		last->len += ex->len;
	else
		g_array_append_val(out, *ex);
	return FALSE;
}

static GArray *extents(struct ext_tree *t)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct ext4_extent));

	g_tree_foreach(t->tree, collect, out);
	return out;
}

static bool same_map(struct ext_tree *a, struct ext_tree *b)
{
	GArray *x = extents(a), *y = extents(b);
	bool same = x->len == y->len;

	for (guint i = 0; same && i < x->len; i++) {
		const struct ext4_extent *p = &g_array_index(x, struct ext4_extent, i);
		const struct ext4_extent *q = &g_array_index(y, struct ext4_extent, i);

		same = p->start == q->start && p->len == q->len && p->target == q->target &&
		       p->aux == q->aux;
	}
	g_array_free(x, TRUE);
	g_array_free(y, TRUE);
	return same;
}

static struct ext_tree *copy_map(struct kernel *k, struct ext_tree *t)
{
	struct ext_tree *c = ext_tree_new();
	GArray *x = extents(t);

	for (guint i = 0; i < x->len; i++) {
		const struct ext4_extent *p = &g_array_index(x, struct ext4_extent, i);

		ext_insert(k, c, p->start, p->len, p->target, p->aux);
	}
	g_array_free(x, TRUE);
	return c;
}

bool jbd2_inode_dirty(struct kernel *k, struct inode *inode, bool datasync)
{
	struct jbd2_image *im = image_of(k, inode);

	if (!im)
		return false;
	if (im->i_size != inode->i_size || im->i_blocks != inode->i_blocks)
		return true;
	if (!datasync && (im->i_mtime != inode->i_mtime || im->i_ctime != inode->i_ctime))
		return true;
	return !same_map(im->blocks, inode->blocks);
}

/* @inode's present state becomes its image */
static void image_take(struct kernel *k, struct jbd2_image *im, struct inode *inode)
{
	im->i_size = inode->i_size;
	im->i_blocks = inode->i_blocks;
	im->i_mtime = inode->i_mtime;
	im->i_ctime = inode->i_ctime;
	ext_tree_destroy(k, im->blocks);
	im->blocks = copy_map(k, inode->blocks);
}

void jbd2_journal_commit(struct kernel *k)
{
	struct super_block *sb = &k->sb;

	for (guint i = 0; i < sb->inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(sb->inodes, i);
		struct jbd2_image *im = image_of(k, inode);

		if (!im || im->in_place || !jbd2_inode_dirty(k, inode, false))
			continue;
		image_take(k, im, inode);
	}
	sb->j_commit_sequence++;
}

bool jbd2_inode_write(struct kernel *k, struct inode *inode, bool datasync)
{
	struct jbd2_image *im = image_of(k, inode);

	assert(im && im->in_place);
	if (!jbd2_inode_dirty(k, inode, datasync))
		return false;
	image_take(k, im, inode);
	return true;
}

void jbd2_write_inodes(struct kernel *k)
{
	struct super_block *sb = &k->sb;

	for (guint i = 0; i < sb->inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(sb->inodes, i);
		struct jbd2_image *im = image_of(k, inode);

		if (im && im->in_place)
			jbd2_inode_write(k, inode, false);
	}
}

void jbd2_complete_transaction(struct kernel *k, struct inode *inode, bool datasync)
{
	/* jbd2_transaction_committed() of i_datasync_tid, or of the image */
	if (inode->i_datasync_tid > k->sb.j_commit_sequence ||
	    jbd2_inode_dirty(k, inode, datasync))
		jbd2_journal_commit(k);
}

static gint by_target(gconstpointer a, gconstpointer b)
{
	const struct ext4_extent *x = a, *y = b;

	return x->target < y->target ? -1 : x->target > y->target;
}

/*
 * Whether two recovered inodes map one block. A journal cannot leave that
 * (a block freed by one inode and given to another are in one transaction
 * or in two that commit in order), but ext2 writes each inode when it is
 * synced: a block freed from an inode whose truncate was never written,
 * then allocated to another file that was fsynced, is in both on the
 * media. e2fsck's passes 1B to 1D (clone_file(), e2fsprogs
 * e2fsck/pass1b.c) copy such blocks: not modelled.
 */
static bool blocks_claimed_twice(struct kernel *k)
{
	struct super_block *sb = &k->sb;
	GArray *all = g_array_new(FALSE, FALSE, sizeof(struct ext4_extent));
	bool twice = false;

	for (guint i = 0; i < sb->inodes->len; i++) {
		GArray *x = extents(((struct inode *)g_ptr_array_index(sb->inodes, i))->blocks);

		g_array_append_vals(all, x->data, x->len);
		g_array_free(x, TRUE);
	}
	g_array_sort(all, by_target);
	for (guint i = 1; !twice && i < all->len; i++) {
		const struct ext4_extent *p = &g_array_index(all, struct ext4_extent, i - 1);

		twice = p->target + p->len > g_array_index(all, struct ext4_extent, i).target;
	}
	g_array_free(all, TRUE);
	return twice;
}

void jbd2_journal_recover(struct kernel *k)
{
	struct super_block *sb = &k->sb;

	for (guint i = 0; i < sb->inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(sb->inodes, i);
		struct jbd2_image *im = image_of(k, inode);

		if (!im)
			continue;
		inode->i_size = im->i_size;
		inode->i_blocks = im->i_blocks;
		inode->i_mtime = im->i_mtime;
		inode->i_ctime = im->i_ctime;
		ext_tree_destroy(k, inode->blocks);
		inode->blocks = copy_map(k, im->blocks);
		/* nothing of the inode is in a transaction after the mount */
		inode->i_datasync_tid = sb->j_commit_sequence;
		inode->dirty = false;
	}
	if (blocks_claimed_twice(k)) {
		not_modelled(k, "after the crash two inodes map one block (ext2 wrote one inode's "
				"metadata and not the other's): e2fsck's duplicate-block passes");
		return;
	}
	ext4_rebuild_bitmap(k);
}
