// SPDX-License-Identifier: GPL-2.0
/* Extent trees for ext4's block map and reverse map (ext4_extents.h). */
#include <assert.h>

#include "ext4_extents.h"

static gint ext_cmp(gconstpointer a, gconstpointer b)
{
	const struct ext4_extent *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* g_tree_search_node(): <0 searches the smaller keys, >0 the larger. */
static gint ext_holds(gconstpointer key, gconstpointer data)
{
	const struct ext4_extent *ex = key;
	unsigned long x = *(const unsigned long *)data;

	if (x < ex->start)
		return -1;
	return x - ex->start >= ex->len;
}

struct ext_tree *ext_tree_new(void)
{
	struct ext_tree *t = g_new0(struct ext_tree, 1);

	t->tree = g_tree_new(ext_cmp);
	return t;
}

static gboolean free_one(gpointer key, gpointer value, gpointer data)
{
	kfree(data, key, sizeof(struct ext4_extent));
	return FALSE;
}

void ext_tree_destroy(struct kernel *k, struct ext_tree *t)
{
	g_tree_foreach(t->tree, free_one, k);
	g_tree_destroy(t->tree);
	g_free(t);
}

static GTreeNode *ext_lookup_node(struct ext_tree *t, unsigned long x)
{
	return g_tree_search_node(t->tree, ext_holds, &x);
}

/* ext_lookup() below the last extent: a search. */
struct ext4_extent *ext_search(struct ext_tree *t, unsigned long x)
{
	GTreeNode *node = ext_lookup_node(t, x);

	return node ? g_tree_node_key(node) : NULL;
}

struct ext4_extent *ext_next(struct ext_tree *t, unsigned long x)
{
	struct ext4_extent probe = { .start = x };
	GTreeNode *node;

	if (!t->last || x >= t->last->start)	/* the last one, or none after */
		return ext_lookup(t, x);
	node = ext_lookup_node(t, x);
	if (!node)
		node = g_tree_lower_bound(t->tree, &probe);
	return node ? g_tree_node_key(node) : NULL;
}

static void ext_add(struct ext_tree *t, struct ext4_extent *ex)
{
	g_tree_insert(t->tree, ex, ex);
	if (!t->last || ex->start > t->last->start)
		t->last = ex;
}

/* Take @ex out of the tree (the caller frees it). */
static void ext_del(struct ext_tree *t, struct ext4_extent *ex)
{
	GTreeNode *node;

	g_tree_remove(t->tree, ex);
	if (t->last != ex)
		return;
	node = g_tree_node_last(t->tree);
	t->last = node ? g_tree_node_key(node) : NULL;
}

/* ext_insert() past the append: merge with the neighbours or add. */
void ext_insert_search(struct kernel *k, struct ext_tree *t, unsigned long start,
		       unsigned long len, unsigned long target, uintptr_t aux)
{
	struct ext4_extent new = { start, len, target, aux }, *ex, *prev, *next;

	prev = start ? ext_lookup(t, start - 1) : NULL;
	next = ext_lookup(t, start + len);
	if (prev && ext_continues(prev, &new)) {	/* grow the extent before */
		prev->len += len;
		if (next && ext_continues(prev, next)) {
			prev->len += next->len;
			ext_del(t, next);
			kfree(k, next, sizeof(*next));
		}
		return;
	}
	if (next && ext_continues(&new, next)) {	/* the one after starts earlier */
		next->start = start;
		next->target = target;
		next->len += len;
		return;
	}
	ex = kzalloc(k, sizeof(*ex));
	*ex = new;
	ext_add(t, ex);
}

/* Cut the extent holding @at in two at @at. */
static void ext_split(struct kernel *k, struct ext_tree *t, unsigned long at)
{
	struct ext4_extent *ex = ext_lookup(t, at), *right;

	if (!ex || ex->start == at)
		return;
	right = kzalloc(k, sizeof(*right));
	*right = (struct ext4_extent){ at, ex->start + ex->len - at,
				       ex->target + (at - ex->start), ex->aux };
	ex->len = at - ex->start;
	ext_add(t, right);
}

void ext_remove(struct kernel *k, struct ext_tree *t, unsigned long first, unsigned long end,
		void (*fn)(const struct ext4_extent *, void *), void *ctx)
{
	struct ext4_extent probe = { .start = first };

	if (first >= end)
		return;
	ext_split(k, t, first);
	ext_split(k, t, end);
	for (;;) {
		GTreeNode *node = g_tree_lower_bound(t->tree, &probe);
		struct ext4_extent *ex = node ? g_tree_node_key(node) : NULL;

		if (!ex || ex->start >= end)
			return;
		ext_del(t, ex);
		if (fn)
			fn(ex, ctx);
		kfree(k, ex, sizeof(*ex));
	}
}
