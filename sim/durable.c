// SPDX-License-Identifier: GPL-2.0
/* The durable-after-sync record (durable.h). */
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "durable.h"
#include "pagedata.h"
#include "types.h"

struct durable {
	struct pd_pool *pool;
	unsigned long bytes;
	GPtrArray *files;
};

struct durable_file {
	struct durable *d;
	bool unknown;
	loff_t size;			/* the size promised, when !size_changed */
	bool size_changed;
	struct pd_map pages;		/* index -> struct pd *: the bytes last synced */
	GTree *changed;			/* start -> end: byte ranges changed since */
};

static gint off_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	loff_t x = (loff_t)GPOINTER_TO_SIZE(a), y = (loff_t)GPOINTER_TO_SIZE(b);

	(void)unused;
	return x < y ? -1 : x > y;
}

struct durable *durable_new(void)
{
	struct durable *d = g_new0(struct durable, 1);

	d->pool = pd_pool_new(&d->bytes);
	d->files = g_ptr_array_new();
	return d;
}

static void drop_pd(uintptr_t v, void *ctx)
{
	pd_put(ctx, (struct pd *)v);
}

void durable_free(struct durable *d)
{
	for (guint i = 0; i < d->files->len; i++) {
		struct durable_file *f = g_ptr_array_index(d->files, i);

		pd_map_destroy(&f->pages, drop_pd, d->pool);
		g_tree_destroy(f->changed);
		g_free(f);
	}
	g_ptr_array_free(d->files, TRUE);
	pd_pool_free(d->pool);
	g_free(d);
}

size_t durable_memory(const struct durable *d)
{
	size_t n = d->bytes;

	for (guint i = 0; i < d->files->len; i++)
		n += g_tree_nnodes(((struct durable_file *)g_ptr_array_index(d->files, i))->changed) * 64;
	return n;
}

struct durable_file *durable_file_new(struct durable *d)
{
	struct durable_file *f = g_new0(struct durable_file, 1);

	f->d = d;
	pd_map_init(&f->pages, &d->bytes);
	f->changed = g_tree_new_full(off_cmp, NULL, NULL, NULL);
	g_ptr_array_add(d->files, f);
	return f;
}

#define PG	((loff_t)PAGE_SIZE)
#define KEY(x)	GSIZE_TO_POINTER((gsize)(x))
#define OFF(p)	((loff_t)GPOINTER_TO_SIZE(p))

/* The range with the highest start at or below @x, or NULL. */
static GTreeNode *range_at_or_below(GTree *t, loff_t x)
{
	GTreeNode *n = g_tree_upper_bound(t, KEY(x));	/* first start > x */

	return n ? g_tree_node_previous(n) : g_tree_node_last(t);
}

static loff_t end_of(loff_t off, loff_t len)
{
	return len < 0 || off > LLONG_MAX - len ? LLONG_MAX : off + len;
}

void durable_changed(struct durable_file *f, loff_t off, loff_t len)
{
	loff_t a = off, b = end_of(off, len);
	GTreeNode *n;

	if (!len)
		return;
	/* merge every range that touches [a, b) */
	while ((n = range_at_or_below(f->changed, b)) && OFF(g_tree_node_value(n)) >= a) {
		loff_t s = OFF(g_tree_node_key(n)), e = OFF(g_tree_node_value(n));

		if (s < a)
			a = s;
		if (e > b)
			b = e;
		g_tree_remove(f->changed, g_tree_node_key(n));
	}
	g_tree_insert(f->changed, KEY(a), KEY(b));
}

void durable_resized(struct durable_file *f, loff_t old, loff_t new)
{
	loff_t lo = old < new ? old : new, hi = old < new ? old : new;

	if (old == new)
		return;
	f->size_changed = true;
	/*
	 * A shrink drops [new, old); a grow zeroes the old last page past
	 * the old EOF (a store through a mapping may have left bytes there).
	 */
	if (new < old)
		hi = old;
	lo = lo & ~(PG - 1);
	hi = (hi + PG - 1) & ~(PG - 1);
	if (hi == lo)
		hi = lo + PG;
	durable_changed(f, lo, hi - lo);
}

void durable_forget(struct durable_file *f)
{
	f->unknown = true;
}

/* The synced bytes of page @index become @of's. */
static void take_page(struct durable_file *f, struct oracle_file *of, pgoff_t index)
{
	uint8_t buf[PAGE_SIZE];
	struct pd *old = (struct pd *)pd_map_get(&f->pages, index);

	oracle_file_page(of, index, buf);
	pd_put(f->d->pool, old);
	pd_map_set(&f->pages, index, mem_is_uniform(buf, PAGE_SIZE) && !buf[0] ? 0 :
		   (uintptr_t)pd_write(f->d->pool, NULL, 0, buf, PAGE_SIZE));
}

/* Take @of's pages of [first, last] that hold bytes: the others are zeroes, cleared before. */
static void take_pages(struct durable_file *f, struct oracle_file *of, pgoff_t first, pgoff_t last)
{
	loff_t lim = (oracle_file_size(of) + PG - 1) & ~(PG - 1);
	GArray *slots;

	if (!lim || first > (pgoff_t)((lim >> PAGE_SHIFT) - 1))
		return;
	if (last > (pgoff_t)((lim >> PAGE_SHIFT) - 1))
		last = (lim >> PAGE_SHIFT) - 1;
	slots = oracle_file_slots(of, first, last);
	for (guint i = 0; i < slots->len; i++)
		take_page(f, of, g_array_index(slots, struct pd_slot, i).index);
	g_array_free(slots, TRUE);
}

/* [a, b) synced: its pages taken from @of, holes and past @of's size cleared. */
static void take_range(struct durable_file *f, struct oracle_file *of, loff_t a, loff_t b)
{
	pgoff_t first = a >> PAGE_SHIFT, last = (b - 1) >> PAGE_SHIFT;

	pd_map_clear(&f->pages, first, last, drop_pd, f->d->pool);
	take_pages(f, of, first, last);
}

void durable_sync(struct durable_file *f, struct oracle_file *of, loff_t off, loff_t len,
		  bool size)
{
	loff_t a = off, b = end_of(off, len);
	GTreeNode *n;

	if (!len)
		return;
	if (size) {
		f->size = oracle_file_size(of);
		f->size_changed = false;
	}
	/* every changed range that meets [a, b): taken, and cut out */
	n = range_at_or_below(f->changed, a);
	if (!n || OFF(g_tree_node_value(n)) <= a)
		n = n ? g_tree_node_next(n) : g_tree_node_first(f->changed);
	while (n && OFF(g_tree_node_key(n)) < b) {
		loff_t s = OFF(g_tree_node_key(n)), e = OFF(g_tree_node_value(n));
		loff_t from = s > a ? s : a, to = e < b ? e : b;
		GTreeNode *next = g_tree_node_next(n);

		take_range(f, of, from, to);
		g_tree_remove(f->changed, KEY(s));
		if (s < from)
			g_tree_insert(f->changed, KEY(s), KEY(from));
		if (e > to)
			g_tree_insert(f->changed, KEY(to), KEY(e));
		n = e > to ? NULL : next;
	}
}

/* Whether [a, b) meets a changed range; *@skip_to: the end of that range. */
static bool changed_in(struct durable_file *f, loff_t a, loff_t b, loff_t *from, loff_t *to)
{
	GTreeNode *n = range_at_or_below(f->changed, a);

	if (!n || OFF(g_tree_node_value(n)) <= a)
		n = n ? g_tree_node_next(n) : g_tree_node_first(f->changed);
	if (!n || OFF(g_tree_node_key(n)) >= b)
		return false;
	*from = OFF(g_tree_node_key(n));
	*to = OFF(g_tree_node_value(n));
	return true;
}

/*
 * The next page at or past @index that the record (@want, sorted, from
 * *@wi on) or the file may hold bytes in, or ~0UL.
 */
static pgoff_t next_page(GArray *want, guint *wi, pgoff_t index, durable_next_fn next, void *ctx)
{
	pgoff_t w = ~0UL, got = index;

	while (*wi < want->len && g_array_index(want, struct pd_slot, *wi).index < index)
		(*wi)++;
	if (*wi < want->len)
		w = g_array_index(want, struct pd_slot, *wi).index;
	if (!next(ctx, &got))
		got = ~0UL;
	return w < got ? w : got;
}

/* The first byte of page @index that differs from what was promised, outside the changes. */
static char *check_page(struct durable_file *f, loff_t pos, loff_t size, durable_read_fn read,
			void *ctx)
{
	uint8_t got[PAGE_SIZE], want[PAGE_SIZE];
	struct pd *p = (struct pd *)pd_map_get(&f->pages, pos >> PAGE_SHIFT);
	loff_t end = size - pos < PG ? size : pos + PG, a = pos, cf, ct;

	read(ctx, pos >> PAGE_SHIFT, got);
	if (p)
		pd_read(p, 0, want, PAGE_SIZE);
	else
		memset(want, 0, PAGE_SIZE);
	while (a < end) {
		loff_t b = end;

		if (changed_in(f, a, end, &cf, &ct)) {
			if (cf <= a) {		/* not judged up to its end */
				a = ct;
				continue;
			}
			b = cf;
		}
		for (loff_t x = a; x < b; x++)
			if (got[x - pos] != want[x - pos])
				return g_strdup_printf("byte %#llx reads %#x after the crash; %#x was synced there and not changed since",
						       (unsigned long long)x, got[x - pos],
						       want[x - pos]);
		a = b;
	}
	return NULL;
}

/*
 * Cost: the record's pages, sorted once, and the pages the record or the
 * file's block map holds: a hole in both is skipped whole.
 */
char *durable_check(struct durable_file *f, loff_t size, durable_read_fn read,
		    durable_next_fn next, void *ctx)
{
	GArray *want;
	guint wi = 0;
	loff_t pos = 0, cf, ct;
	char *why = NULL;

	if (f->unknown)
		return NULL;
	if (!f->size_changed && size != f->size)
		return g_strdup_printf("its size is %lld after the crash; %lld was synced and not changed since",
				       (long long)size, (long long)f->size);
	if (size <= 0)
		return NULL;
	want = pd_map_slots_range(&f->pages, 0, (size - 1) >> PAGE_SHIFT);
	while (pos < size && !why) {
		pgoff_t index = pos >> PAGE_SHIFT;
		loff_t end = size - pos < PG ? size : pos + PG;
		pgoff_t skip = next_page(want, &wi, index, next, ctx);

		/* zeroes promised, zeroes read: on to the next page with bytes */
		if (skip != index) {
			if (skip == ~0UL || skip > (pgoff_t)((size - 1) >> PAGE_SHIFT))
				break;
			pos = (loff_t)skip << PAGE_SHIFT;
			continue;
		}
		/* a page changed whole is not judged: on to where the change ends */
		if (changed_in(f, pos, pos + 1, &cf, &ct) && cf <= pos && ct >= end) {
			loff_t n = ct & ~(PG - 1);

			pos = n > pos ? n : pos + PG;
			continue;
		}
		why = check_page(f, pos, size, read, ctx);
		pos += PG;
	}
	g_array_free(want, TRUE);
	return why;
}

void durable_reset(struct durable_file *f, struct oracle_file *of)
{
	pd_map_clear(&f->pages, 0, ~0UL, drop_pd, f->d->pool);
	g_tree_remove_all(f->changed);
	f->size = oracle_file_size(of);
	f->size_changed = false;
	take_pages(f, of, 0, ~0UL);
}
