// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <string.h>

#include "interval_tree.h"
#include "oracle.h"
#include "pagedata.h"

struct oracle_file {
	struct oracle *o;
	loff_t size;
	bool unknown;		/* oracle_file_forget() */
	bool dax;		/* oracle_file_set_dax(): its blocks move with collapse and insert */
	struct pd_map pages;	/* index -> struct pd *, pages with data */
	struct avl_root maps;	/* struct omap by_off: the mappings of the file */
};

/*
 * One mmap() as the oracle remembers it, trimmed by munmap/mprotect. It is
 * in two interval trees, so that no operation walks every mapping: its
 * process's (by address) and its file's (by file offset).
 */
struct omap {
	struct interval_tree_node by_addr;	/* [start, end - 1] */
	struct interval_tree_node by_off;	/* [off, off + end - start - 1] */
	int proc;
	unsigned long start, end;
	struct oracle_file *file;
	loff_t off;		/* file offset of start */
	bool shared, may_write;
	int prot;
};

/*
 * A private copy of a page (the tree's values): its bytes first, so that
 * the tree's users see a page of bytes. A handle that holds it keeps it
 * when the process drops it (munmap, MADV_DONTNEED, truncate): what the
 * device writes there then goes nowhere a process sees.
 */
struct ocopy {
	uint8_t data[PAGE_SIZE];
	unsigned refs;		/* the processes that map it and the handles that hold it */
	unsigned maps;		/* the processes that map it (the tree's entries) */
	/*
	 * Mapped by a process that forked since a handle took it: the
	 * processes share the page until the era's copy-on-write says who
	 * keeps it (private_for_write()); not the 6.1 kernel's exclusive.
	 */
	bool shared;
};

/* What a page a handle holds is for the reference (oracle_pin()). */
enum opin_kind {
	OPIN_FILE,	/* the file's own page or block at pos */
	OPIN_COPY,	/* a private copy of a process */
	OPIN_GONE,	/* left the file (truncate, punch...): its bytes in gone */
	OPIN_UNKNOWN,	/* the reference has no page there: not judged */
};

struct opin_page {
	enum opin_kind kind;
	struct oracle_file *file;	/* OPIN_FILE */
	loff_t pos;			/* OPIN_FILE: page aligned */
	struct ocopy *copy;		/* OPIN_COPY */
	uint8_t *gone;			/* OPIN_GONE */
};

struct oracle_pin {
	int proc;
	bool foll_pin;			/* a 6.1 pin (FOLL_PIN), not a gup */
	unsigned long base;		/* the first page's address */
	unsigned nr;
	struct opin_page *pages;
};

struct oracle {
	GPtrArray *pins;	/* struct oracle_pin *: the handles held */
	GPtrArray *files;
	GArray *procs;		/* struct avl_root by process: its omaps by_addr */
	GTree *private;		/* private_key(proc, page) -> uint8_t[PAGE_SIZE] */
	/*
	 * The era's copy-on-write of a private page two processes share
	 * (oracle_set_cow()), and the processes that have run a `pin` line
	 * (a set of proc + 1).
	 */
	bool cow_by_refs;
	GHashTable *pinned_procs;
	struct pd_pool *pool;	/* file contents, interned (pagedata.h) */
	unsigned long bytes;	/* of the file contents */
};

static gint key_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	gsize x = GPOINTER_TO_SIZE(a), y = GPOINTER_TO_SIZE(b);

	return x < y ? -1 : x > y;
}

static void copy_put(gpointer p)
{
	struct ocopy *c = p;

	if (!--c->refs)
		g_free(c);
}

/* The tree's value destroy: a process stops mapping the copy. */
static void copy_unmap(gpointer p)
{
	struct ocopy *c = p;

	c->maps--;
	copy_put(c);
}

static struct ocopy *copy_new(const uint8_t *bytes)
{
	struct ocopy *c = g_new0(struct ocopy, 1);

	memcpy(c->data, bytes, PAGE_SIZE);
	c->refs = 1;
	c->maps = 1;
	return c;
}

struct oracle *oracle_new(void)
{
	struct oracle *o = g_new0(struct oracle, 1);

	o->files = g_ptr_array_new();
	o->procs = g_array_new(FALSE, TRUE, sizeof(struct avl_root));
	o->private = g_tree_new_full(key_cmp, NULL, NULL, copy_unmap);
	o->pinned_procs = g_hash_table_new(g_direct_hash, g_direct_equal);
	o->pins = g_ptr_array_new();
	o->pool = pd_pool_new(&o->bytes);
	return o;
}

static void drop_page(uintptr_t v, void *ctx)
{
	struct oracle *o = ctx;

	pd_put(o->pool, (struct pd *)v);
}

static struct avl_root *proc_maps(struct oracle *o, int proc)
{
	if ((guint)proc >= o->procs->len)
		g_array_set_size(o->procs, proc + 1);
	return &g_array_index(o->procs, struct avl_root, proc);
}

static struct omap *addr_map(const struct interval_tree_node *node)
{
	return node ? container_of(node, struct omap, by_addr) : NULL;
}

static struct omap *off_map(const struct interval_tree_node *node)
{
	return node ? container_of(node, struct omap, by_off) : NULL;
}

static void map_link(struct oracle *o, struct omap *m)
{
	m->by_addr.start = m->start;
	m->by_addr.last = m->end - 1;
	interval_tree_insert(&m->by_addr, proc_maps(o, m->proc));
	m->by_off.start = m->off;
	m->by_off.last = m->off + (m->end - m->start) - 1;
	interval_tree_insert(&m->by_off, &m->file->maps);
}

static void map_unlink(struct oracle *o, struct omap *m)
{
	interval_tree_remove(&m->by_addr, proc_maps(o, m->proc));
	interval_tree_remove(&m->by_off, &m->file->maps);
}

void oracle_free(struct oracle *o)
{
	for (guint i = 0; i < o->procs->len; i++)
		oracle_exit(o, i);
	for (guint i = 0; i < o->files->len; i++) {
		struct oracle_file *f = g_ptr_array_index(o->files, i);

		pd_map_destroy(&f->pages, drop_page, o);
		g_free(f);
	}
	g_ptr_array_free(o->files, TRUE);
	g_array_free(o->procs, TRUE);
	while (o->pins->len)
		oracle_unpin(o, g_ptr_array_index(o->pins, o->pins->len - 1));
	g_ptr_array_free(o->pins, TRUE);
	g_tree_destroy(o->private);
	g_hash_table_destroy(o->pinned_procs);
	pd_pool_free(o->pool);
	g_free(o);
}

size_t oracle_memory(const struct oracle *o)
{
	return g_tree_nnodes(o->private) * (PAGE_SIZE + 48) + o->bytes;
}

struct oracle_file *oracle_file_new(struct oracle *o, loff_t size)
{
	struct oracle_file *f = g_new0(struct oracle_file, 1);

	f->o = o;
	f->size = size;
	pd_map_init(&f->pages, &o->bytes);
	g_ptr_array_add(o->files, f);
	return f;
}

void oracle_file_forget(struct oracle_file *f)
{
	f->unknown = true;
}

void oracle_file_set_dax(struct oracle_file *f, bool dax)
{
	f->dax = dax;
}

bool oracle_file_unknown(const struct oracle_file *f)
{
	return f->unknown;
}

loff_t oracle_file_size(const struct oracle_file *f)
{
	return f->size;
}

static struct pd *file_page(struct oracle_file *f, pgoff_t index)
{
	return (struct pd *)pd_map_get(&f->pages, index);
}

static void file_bytes(struct oracle_file *f, loff_t pos, uint8_t *buf, size_t len)
{
	while (len) {
		unsigned off = pos & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		struct pd *p = file_page(f, pos >> PAGE_SHIFT);

		if (p)
			pd_read(p, off, buf, n);
		else
			memset(buf, 0, n);
		buf += n;
		pos += n;
		len -= n;
	}
}

/* [pos, pos + len) of one page becomes @buf (NULL: zeroes) */
static void page_store(struct oracle_file *f, loff_t pos, const uint8_t *buf, size_t n)
{
	pgoff_t index = pos >> PAGE_SHIFT;
	unsigned off = pos & (PAGE_SIZE - 1);
	struct pd *old = file_page(f, index);

	if (!buf && !old)
		return;
	pd_map_set(&f->pages, index, (uintptr_t)(buf ? pd_write(f->o->pool, old, off, buf, n) :
						     pd_fill(f->o->pool, old, off, 0, n)));
	pd_put(f->o->pool, old);
}

static void file_store(struct oracle_file *f, loff_t pos, const uint8_t *buf,
		       size_t len)
{
	while (len) {
		unsigned off = pos & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;

		page_store(f, pos, buf, n);
		buf += n;
		pos += n;
		len -= n;
	}
}

/*
 * The pages [first, last] of @f leave the file (truncate, punch, zero
 * range, collapse, a page-cache file's O_DIRECT write): a handle's page
 * there keeps the bytes it had, and what a device writes into it later
 * goes nowhere the file shows.
 */
static void pins_detach(struct oracle_file *f, pgoff_t first, pgoff_t last)
{
	GPtrArray *pins = f->o->pins;

	for (guint i = 0; i < pins->len; i++) {
		struct oracle_pin *pin = g_ptr_array_index(pins, i);

		for (unsigned j = 0; j < pin->nr; j++) {
			struct opin_page *pp = &pin->pages[j];
			pgoff_t index = pp->pos >> PAGE_SHIFT;

			if (pp->kind != OPIN_FILE || pp->file != f || index < first || index > last)
				continue;
			pp->gone = g_malloc(PAGE_SIZE);
			file_bytes(f, pp->pos, pp->gone, PAGE_SIZE);
			pp->kind = OPIN_GONE;
			pp->file = NULL;
		}
	}
}

/*
 * An O_DIRECT write(2) of @len bytes at @off from @addr: on a page-cache
 * file the kernel writes the range back and deletes its pages from the
 * cache before the I/O and again after (v4.14 generic_file_direct_write(),
 * mm/filemap.c L2907-2970; 6.1 __iomap_dio_rw(), fs/iomap/direct-io.c
 * L573-589, and iomap_dio_complete(), L112-117), a page a handle holds too:
 * invalidate_inode_pages2_range() checks no reference count (v4.14
 * invalidate_complete_page2(); 6.1 invalidate_complete_folio2(),
 * mm/truncate.c L578-606). The write-back leaves them clean, so all of
 * the range goes. Nothing when the call fails its alignment check first
 * (-EINVAL: the offset, count and buffer address are multiples of 512).
 * A DAX file has no page cache there; a direct read deletes nothing.
 */
void oracle_direct_write(struct oracle_file *f, loff_t off, size_t len, unsigned long addr)
{
	if (f->dax || !len || (((unsigned long)off | len | addr) & 511))
		return;
	pins_detach(f, (unsigned long)off >> PAGE_SHIFT,
		    (unsigned long)(off + (loff_t)len - 1) >> PAGE_SHIFT);
}

/* A DAX file's blocks from page @from on move by @delta pages (collapse, insert): so do the pins'. */
static void pins_shift(struct oracle_file *f, pgoff_t from, long delta)
{
	GPtrArray *pins = f->o->pins;

	for (guint i = 0; i < pins->len; i++) {
		struct oracle_pin *pin = g_ptr_array_index(pins, i);

		for (unsigned j = 0; j < pin->nr; j++) {
			struct opin_page *pp = &pin->pages[j];

			if (pp->kind == OPIN_FILE && pp->file == f && (pgoff_t)(pp->pos >> PAGE_SHIFT) >= from)
				pp->pos += (loff_t)delta * (loff_t)PAGE_SIZE;
		}
	}
}

static void zero_in_page(struct oracle_file *f, loff_t pos, loff_t n)
{
	if (n > 0)
		page_store(f, pos, NULL, n);
}

/* Cost: the pages the file holds, not the length of the range. */
void oracle_zero(struct oracle_file *f, loff_t off, loff_t len)
{
	loff_t end = off + len;
	loff_t first = round_up(off, (loff_t)PAGE_SIZE);
	loff_t last = round_down(end, (loff_t)PAGE_SIZE);

	if (len <= 0)
		return;
	if (first >= last) {	/* within one page, or two partial pages */
		loff_t mid = round_down(end - 1, (loff_t)PAGE_SIZE);

		if (mid > off) {
			zero_in_page(f, off, mid - off);
			zero_in_page(f, mid, end - mid);
		} else {
			zero_in_page(f, off, len);
		}
		return;
	}
	if (off < first)
		zero_in_page(f, off, first - off);
	if (end > last)
		zero_in_page(f, last, end - last);
	pd_map_clear(&f->pages, first >> PAGE_SHIFT, (last >> PAGE_SHIFT) - 1, drop_page,
		     f->o);
}

/* A grow reads zero from the old EOF (POSIX). */
static void grow(struct oracle_file *f, loff_t size)
{
	if (size <= f->size)
		return;
	if (f->size & (PAGE_SIZE - 1))
		oracle_zero(f, f->size, PAGE_SIZE - (f->size & (PAGE_SIZE - 1)));
	f->size = size;
}

void oracle_extend(struct oracle_file *f, loff_t size)
{
	grow(f, size);
}

void oracle_write(struct oracle_file *f, loff_t pos, const uint8_t *buf, size_t len)
{
	grow(f, pos + (loff_t)len);
	file_store(f, pos, buf, len);
}

/* Whole pages get one shared content each, the range at once. */
void oracle_write_fill(struct oracle_file *f, loff_t pos, uint8_t byte, size_t len)
{
	loff_t end = pos + (loff_t)len;
	loff_t first = round_up(pos, (loff_t)PAGE_SIZE), last = round_down(end, (loff_t)PAGE_SIZE);
	uint8_t page[PAGE_SIZE];

	if (!len)
		return;
	grow(f, end);
	memset(page, byte, sizeof(page));
	if (first >= last) {
		file_store(f, pos, page, len);
		return;
	}
	file_store(f, pos, page, first - pos);
	file_store(f, last, page, end - last);
	pd_map_set_range(&f->pages, first >> PAGE_SHIFT, (last >> PAGE_SHIFT) - 1,
			 (uintptr_t)pd_get_many(pd_uniform(f->o->pool, byte),
						((last - first) >> PAGE_SHIFT) - 1),
			 drop_page, f->o);
}

size_t oracle_read(struct oracle_file *f, loff_t pos, uint8_t *buf, size_t len)
{
	if (pos >= f->size)
		return 0;
	if (pos + (loff_t)len > f->size)
		len = f->size - pos;
	file_bytes(f, pos, buf, len);
	return len;
}

static gsize private_key(int proc, unsigned long page)
{
	return ((gsize)proc << 48) | (page >> PAGE_SHIFT);
}

static int key_proc(gsize key)
{
	return key >> 48;
}

static unsigned long key_addr(gsize key)
{
	return (key & ((1UL << 48) - 1)) << PAGE_SHIFT;
}

/*
 * The first private copy of @proc at or above @addr, or NULL: the copies
 * of a process sit together in the tree, in address order.
 */
static GTreeNode *first_private(struct oracle *o, int proc, unsigned long addr)
{
	GTreeNode *node;

	if (addr >= TASK_SIZE)
		return NULL;
	node = g_tree_lower_bound(o->private, GSIZE_TO_POINTER(
		private_key(proc, round_up(addr, PAGE_SIZE))));
	if (!node || key_proc(GPOINTER_TO_SIZE(g_tree_node_key(node))) != proc)
		return NULL;
	return node;
}

static void drop_private(struct oracle *o, int proc, unsigned long start,
			 unsigned long end)
{
	GTreeNode *node;

	while ((node = first_private(o, proc, start))) {
		gpointer key = g_tree_node_key(node);

		if (key_addr(GPOINTER_TO_SIZE(key)) >= end)
			break;
		g_tree_remove(o->private, key);
	}
}

/* Every private copy of a page of @f at or past byte @pos goes (even_cows). */
static void drop_private_from(struct oracle *o, struct oracle_file *f, loff_t pos)
{
	struct interval_tree_node *node;

	for (node = interval_tree_iter_first(&f->maps, pos, ULONG_MAX); node;
	     node = interval_tree_iter_next(node, pos, ULONG_MAX)) {
		struct omap *m = off_map(node);

		if (m->shared)
			continue;
		drop_private(o, m->proc, pos > m->off ? m->start + (pos - m->off) : m->start,
			     m->end);
	}
}

void oracle_truncate(struct oracle *o, struct oracle_file *f, loff_t size)
{
	pgoff_t eof_pages = DIV_ROUND_UP(size, PAGE_SIZE);
	loff_t eof = (loff_t)eof_pages << PAGE_SHIFT;

	if (size > f->size) {
		grow(f, size);
		return;
	}
	pins_detach(f, eof_pages, ~0UL);
	pd_map_clear(&f->pages, eof_pages, ~0UL, drop_page, o);
	if (size & (PAGE_SIZE - 1))
		oracle_zero(f, size, PAGE_SIZE - (size & (PAGE_SIZE - 1)));
	f->size = size;
	/* truncate unmaps private copies past EOF too (even_cows) */
	drop_private_from(o, f, eof);
}

/* The blocks from @off on moved: the private copies of them go (truncate_pagecache()). */
void oracle_collapse(struct oracle *o, struct oracle_file *f, loff_t off, loff_t len)
{
	pgoff_t first = off >> PAGE_SHIFT, stop = (off + len) >> PAGE_SHIFT;

	drop_private_from(o, f, off);
	if (f->dax) {
		pins_detach(f, first, stop - 1);
		pins_shift(f, stop, -(long)(stop - first));
	} else {
		pins_detach(f, first, ~0UL);	/* truncate_pagecache() from off */
	}
	pd_map_clear(&f->pages, first, stop - 1, drop_page, o);
	pd_map_shift(&f->pages, stop, stop - first, true);
	f->size -= len;
}

void oracle_insert(struct oracle *o, struct oracle_file *f, loff_t off, loff_t len,
		   bool moved)
{
	drop_private_from(o, f, off);
	if (!f->dax)
		pins_detach(f, off >> PAGE_SHIFT, ~0UL);	/* truncate_pagecache() from off */
	else if (moved)
		pins_shift(f, off >> PAGE_SHIFT, (long)(len >> PAGE_SHIFT));
	if (moved)
		pd_map_shift(&f->pages, off >> PAGE_SHIFT, len >> PAGE_SHIFT, false);
	f->size += len;
}

static struct omap *find_map(struct oracle *o, int proc, unsigned long addr)
{
	return addr_map(interval_tree_iter_first(proc_maps(o, proc), addr, addr));
}

/* Cut [start, end) out of proc's mappings; returns the pieces cut. */
static void cut(struct oracle *o, int proc, unsigned long start, unsigned long end,
		GPtrArray *cut_out)
{
	struct omap *m;

	if (start >= end)
		return;
	while ((m = addr_map(interval_tree_iter_first(proc_maps(o, proc), start, end - 1)))) {
		map_unlink(o, m);
		if (m->start < start) {		/* keep the head as its own map */
			struct omap *head = g_memdup2(m, sizeof(*m));

			head->end = start;
			map_link(o, head);
			m->off += start - m->start;
			m->start = start;
		}
		if (m->end > end) {		/* keep the tail */
			struct omap *tail = g_memdup2(m, sizeof(*m));

			tail->off += end - m->start;
			tail->start = end;
			map_link(o, tail);
			m->end = end;
		}
		if (cut_out)
			g_ptr_array_add(cut_out, m);
		else
			g_free(m);
	}
}

void oracle_munmap(struct oracle *o, int proc, unsigned long start,
		   unsigned long len)
{
	cut(o, proc, start, start + len, NULL);
	drop_private(o, proc, start, start + len);
}

void oracle_mprotect(struct oracle *o, int proc, unsigned long start,
		     unsigned long len, int prot)
{
	unsigned long a = start, end = start + len;

	while (a < end) {
		struct omap *m = find_map(o, proc, a);
		GPtrArray *pieces;
		unsigned long stop;

		if (!m || ((prot & PROT_WRITE) && !m->may_write))
			return;
		stop = m->end < end ? m->end : end;
		pieces = g_ptr_array_new();
		cut(o, proc, a, stop, pieces);
		for (guint i = 0; i < pieces->len; i++) {
			struct omap *piece = g_ptr_array_index(pieces, i);

			piece->prot = prot;
			map_link(o, piece);
		}
		g_ptr_array_free(pieces, TRUE);
		a = stop;
	}
}

void oracle_mremap(struct oracle *o, int proc, unsigned long old_start,
		   unsigned long old_len, unsigned long new_start,
		   unsigned long new_len)
{
	GPtrArray *pieces = g_ptr_array_new();
	unsigned long keep = old_len < new_len ? old_len : new_len;
	GPtrArray *moved = g_ptr_array_new();	/* key, page, key, page... */
	GTreeNode *node;

	cut(o, proc, old_start, old_start + old_len, pieces);
	/* mremap_to() unmaps whatever was at the destination */
	if (new_start != old_start) {
		cut(o, proc, new_start, new_start + new_len, NULL);
		drop_private(o, proc, new_start, new_start + new_len);
	}
	for (guint i = 0; i < pieces->len; i++) {
		struct omap *m = g_ptr_array_index(pieces, i);
		bool last = m->end == old_start + old_len;

		if (m->start >= old_start + keep) {
			g_free(m);
			continue;
		}
		if (m->end > old_start + keep)
			m->end = old_start + keep;
		m->start = m->start - old_start + new_start;
		m->end = m->end - old_start + new_start;
		if (last && new_len > old_len)	/* the mapping grows: the file goes on */
			m->end = new_start + new_len;
		map_link(o, m);
	}
	g_ptr_array_free(pieces, TRUE);
	/* private copies move with their pages */
	while ((node = first_private(o, proc, old_start))) {
		gpointer key = g_tree_node_key(node), page = g_tree_node_value(node);
		unsigned long addr = key_addr(GPOINTER_TO_SIZE(key));

		if (addr >= old_start + old_len)
			break;
		g_tree_steal(o->private, key);
		if (addr - old_start < keep) {
			g_ptr_array_add(moved, GSIZE_TO_POINTER(
				private_key(proc, addr - old_start + new_start)));
			g_ptr_array_add(moved, page);
		} else {
			copy_unmap(page);
		}
	}
	for (guint i = 0; i < moved->len; i += 2)
		g_tree_insert(o->private, g_ptr_array_index(moved, i),
			      g_ptr_array_index(moved, i + 1));
	g_ptr_array_free(moved, TRUE);
}

void oracle_dontneed(struct oracle *o, int proc, unsigned long start,
		     unsigned long len)
{
	drop_private(o, proc, start, start + len);
}

void oracle_exit(struct oracle *o, int proc)
{
	cut(o, proc, 0, ~0UL, NULL);
	drop_private(o, proc, 0, ~0UL);
}

void oracle_set_cow(struct oracle *o, bool by_refs)
{
	o->cow_by_refs = by_refs;
}

void oracle_pinned(struct oracle *o, int proc)
{
	g_hash_table_add(o->pinned_procs, GINT_TO_POINTER(proc + 1));
}

/* Whether a `pin` handle (6.1 FOLL_PIN) holds @c. */
static bool copy_pinned(struct oracle *o, const struct ocopy *c)
{
	for (guint i = 0; i < o->pins->len; i++) {
		struct oracle_pin *pin = g_ptr_array_index(o->pins, i);

		for (unsigned j = 0; pin->foll_pin && j < pin->nr; j++)
			if (pin->pages[j].kind == OPIN_COPY && pin->pages[j].copy == c)
				return true;
	}
	return false;
}

/*
 * The child gets the parent's private copies. One no handle holds is the
 * child's own (which process keeps that page cannot be seen). One a
 * handle holds: under the 6.1 rules (cow_by_refs), a copy a `pin` holds,
 * of a parent that has pinned, not shared already, stays the parent's
 * alone and the child gets the bytes in a copy of its own (the early
 * copy of a page that may be DMA-pinned); any other the two share, and
 * the next writes decide who keeps it (private_for_write()).
 */
void oracle_fork(struct oracle *o, int parent, int child)
{
	GPtrArray *maps = g_ptr_array_new();
	GArray *addrs = g_array_new(FALSE, FALSE, sizeof(unsigned long));
	GPtrArray *copies = g_ptr_array_new();
	struct interval_tree_node *node;
	bool has_pinned = g_hash_table_contains(o->pinned_procs, GINT_TO_POINTER(parent + 1));
	GTreeNode *pn;

	/* collected first: linking may grow o->procs, inserting changes the tree */
	for (node = interval_tree_iter_first(proc_maps(o, parent), 0, ~0UL); node;
	     node = interval_tree_iter_next(node, 0, ~0UL))
		g_ptr_array_add(maps, addr_map(node));
	for (pn = first_private(o, parent, 0); pn &&
	     key_proc(GPOINTER_TO_SIZE(g_tree_node_key(pn))) == parent;
	     pn = g_tree_node_next(pn)) {
		unsigned long addr = key_addr(GPOINTER_TO_SIZE(g_tree_node_key(pn)));
		struct ocopy *c = g_tree_node_value(pn);
		bool held = c->refs > c->maps;

		g_array_append_val(addrs, addr);
		if (!held || (o->cow_by_refs && has_pinned && !c->shared && copy_pinned(o, c))) {
			g_ptr_array_add(copies, copy_new(c->data));
		} else {
			c->shared = true;
			c->refs++;
			c->maps++;
			g_ptr_array_add(copies, c);
		}
	}
	for (guint i = 0; i < maps->len; i++) {
		struct omap *m = g_memdup2(g_ptr_array_index(maps, i), sizeof(*m));

		m->proc = child;
		map_link(o, m);
	}
	for (guint i = 0; i < addrs->len; i++)
		g_tree_insert(o->private, GSIZE_TO_POINTER(private_key(child,
			      g_array_index(addrs, unsigned long, i))),
			      g_ptr_array_index(copies, i));
	g_ptr_array_free(maps, TRUE);
	g_array_free(addrs, TRUE);
	g_ptr_array_free(copies, TRUE);
}

static uint8_t *private_page(struct oracle *o, int proc, unsigned long page)
{
	return g_tree_lookup(o->private, GSIZE_TO_POINTER(private_key(proc, page)));
}

static uint8_t *make_private(struct oracle *o, struct omap *m, unsigned long page)
{
	struct ocopy *c = g_new0(struct ocopy, 1);

	c->refs = 1;
	c->maps = 1;
	file_bytes(m->file, m->off + (loff_t)(page - m->start), c->data, PAGE_SIZE);
	g_tree_insert(o->private, GSIZE_TO_POINTER(private_key(m->proc, page)), c);
	return c->data;
}

/*
 * A write of @proc to its private copy of @page: a copy it shares with
 * another process since a fork (while a handle held it) is kept or
 * copied by the era's rule. Before 6.1 (v3.19-v4.14 do_wp_page() ->
 * reuse_swap_page()) a page mapped by one process only is reused,
 * whatever holds it; 6.1 (do_wp_page(): PageAnonExclusive, then the
 * reference count) reuses it only when nothing else maps or holds it.
 * The writer that does not keep it gets a copy of its bytes, and the page
 * (with the handles on it) stays the others'.
 */
static uint8_t *private_for_write(struct oracle *o, int proc, unsigned long page)
{
	struct ocopy *c = (struct ocopy *)private_page(o, proc, page), *n;

	if (!c || !c->shared)
		return c ? c->data : NULL;
	if (o->cow_by_refs ? c->refs == 1 : c->maps == 1) {
		c->shared = false;
		return c->data;
	}
	n = copy_new(c->data);
	/* the old value goes through copy_unmap() */
	g_tree_insert(o->private, GSIZE_TO_POINTER(private_key(proc, page)), n);
	return n->data;
}

void oracle_mmap(struct oracle *o, int proc, unsigned long start,
		 unsigned long len, struct oracle_file *f, loff_t off,
		 bool shared, bool may_write, int prot, bool populate)
{
	struct omap *m = g_new0(struct omap, 1);

	oracle_munmap(o, proc, start, len);	/* MAP_FIXED replaces */
	*m = (struct omap){ .proc = proc, .start = start, .end = start + len, .file = f,
			    .off = off, .shared = shared, .may_write = may_write, .prot = prot };
	map_link(o, m);
	/* MAP_POPULATE of a private writable mapping copies every page in EOF */
	if (populate && !shared && (prot & PROT_WRITE) &&
	    off < round_up(f->size, (loff_t)PAGE_SIZE)) {
		unsigned long in_eof = round_up(f->size, (loff_t)PAGE_SIZE) - off;
		unsigned long end = start + (len < in_eof ? len : in_eof);

		for (unsigned long a = start; a < end; a += PAGE_SIZE)
			make_private(o, m, a);
	}
}

static struct omap *check_access(struct oracle *o, int proc, unsigned long addr,
				 bool write, struct oracle_answer *ans)
{
	struct omap *m = find_map(o, proc, addr);
	loff_t pos;

	ans->sig = SIG_NONE;
	ans->unknown = false;
	ans->value = 0;
	if (!m || !(m->prot & (write ? PROT_WRITE : (PROT_READ | PROT_WRITE)))) {
		ans->sig = SIG_SEGV;
		return NULL;
	}
	pos = m->off + (loff_t)(addr - m->start);
	if ((unsigned long)(pos >> PAGE_SHIFT) >= DIV_ROUND_UP((unsigned long)m->file->size, PAGE_SIZE)) {
		ans->sig = SIG_BUS;
		return NULL;
	}
	return m;
}

struct oracle_answer oracle_load(struct oracle *o, int proc, unsigned long addr,
				 unsigned size)
{
	struct oracle_answer ans;
	struct omap *m = check_access(o, proc, addr, false, &ans);
	uint8_t buf[8] = { 0 };
	uint8_t *p;

	if (!m)
		return ans;
	ans.unknown = m->file->unknown;
	p = m->shared ? NULL : private_page(o, proc, addr & PAGE_MASK);
	if (p)
		memcpy(buf, p + (addr & ~PAGE_MASK), size);
	else
		file_bytes(m->file, m->off + (loff_t)(addr - m->start), buf, size);
	memcpy(&ans.value, buf, 8);
	return ans;
}

struct oracle_answer oracle_store(struct oracle *o, int proc, unsigned long addr,
				  unsigned size, uint64_t value)
{
	struct oracle_answer ans;
	struct omap *m = check_access(o, proc, addr, true, &ans);
	uint8_t *p;

	if (!m)
		return ans;
	if (m->shared) {
		file_store(m->file, m->off + (loff_t)(addr - m->start),
			   (uint8_t *)&value, size);
		return ans;
	}
	p = private_for_write(o, proc, addr & PAGE_MASK);
	if (!p)
		p = make_private(o, m, addr & PAGE_MASK);
	memcpy(p + (addr & ~PAGE_MASK), &value, size);
	return ans;
}

/* The mapping of @proc with the lowest start at or above @addr, or containing it. */
static struct omap *next_map(struct oracle *o, int proc, unsigned long addr)
{
	return addr_map(interval_tree_iter_first(proc_maps(o, proc), addr, ~0UL));
}

void oracle_punch(struct oracle_file *f, loff_t off, loff_t len)
{
	loff_t end = off + len, lim = round_up(f->size, (loff_t)PAGE_SIZE);

	if (off >= f->size || len <= 0)
		return;
	oracle_zero_range(f, off, (end < lim ? end : lim) - off);
}

void oracle_zero_range(struct oracle_file *f, loff_t off, loff_t len)
{
	pgoff_t first = DIV_ROUND_UP((unsigned long)off, PAGE_SIZE);
	pgoff_t stop = (unsigned long)(off + len) >> PAGE_SHIFT;

	if (len > 0 && stop > first)
		pins_detach(f, first, stop - 1);
	oracle_zero(f, off, len);
}

void oracle_madvise_remove(struct oracle *o, int proc, unsigned long start,
			   unsigned long len, GArray *out)
{
	unsigned long a = start, end = start + len;
	struct omap *m;

	while (a < end && (m = next_map(o, proc, a)) && m->start < end) {
		unsigned long from = m->start > a ? m->start : a;
		unsigned long to = m->end < end ? m->end : end;
		struct oracle_range rg = { m->file, m->off + (loff_t)(from - m->start),
					   (loff_t)(to - from) };

		if (!m->shared || !(m->prot & PROT_WRITE))
			return;		/* -EACCES ends the walk */
		oracle_punch(m->file, rg.off, rg.len);
		if (out)
			g_array_append_val(out, rg);
		a = to;
	}
}

void oracle_mremap_to_failed(struct oracle *o, int proc, unsigned long addr,
			     unsigned long old_len, unsigned long new_addr,
			     unsigned long new_len, bool maymove)
{
	new_len = round_up(new_len, PAGE_SIZE);
	if (!maymove || !new_len || (new_addr & ~PAGE_MASK) || new_len > TASK_SIZE ||
	    new_addr > TASK_SIZE - new_len ||
	    (addr + old_len > new_addr && new_addr + new_len > addr))
		return;
	oracle_munmap(o, proc, new_addr, new_len);
	if (old_len > new_len)
		oracle_munmap(o, proc, addr + new_len, old_len - new_len);
}

/*
 * Where a byte of process @proc at @addr lives for the reference: a private
 * copy (*@priv), or file bytes (*@f at *@pos). NULL when an access there
 * gets a signal (@write: a store).
 */
static struct omap *user_byte(struct oracle *o, int proc, unsigned long addr, bool write,
			      uint8_t **priv, struct oracle_file **f, loff_t *pos)
{
	struct oracle_answer ans;
	struct omap *m = check_access(o, proc, addr, write, &ans);

	if (!m)
		return NULL;
	*priv = m->shared ? NULL : write ? private_for_write(o, proc, addr & PAGE_MASK) :
		private_page(o, proc, addr & PAGE_MASK);
	if (!*priv && !m->shared && write)
		*priv = make_private(o, m, addr & PAGE_MASK);
	*f = m->file;
	*pos = m->off + (loff_t)(addr - m->start);
	return m;
}

size_t oracle_user_span(struct oracle *o, int proc, unsigned long addr, size_t len, bool write)
{
	size_t done = 0;

	while (done < len) {
		struct oracle_answer ans;
		size_t n = PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1));

		if (!check_access(o, proc, addr + done, write, &ans))
			break;
		done += n < len - done ? n : len - done;
	}
	return done;
}

/*
 * A forward copy between file @f at @pos and process memory: a piece lies
 * in one page of each, and where the destination is the same file bytes
 * less than a piece after the source, the piece is that distance (the
 * bytes copied earlier are copied again, as a forward byte copy does).
 */
size_t oracle_copy_user(struct oracle *o, struct oracle_file *f, loff_t pos, int proc,
			unsigned long addr, size_t len, bool to_user)
{
	size_t done = 0;

	while (done < len) {
		unsigned long a = addr + done;
		loff_t p = pos + (loff_t)done, upos;
		size_t n = len - done;
		struct oracle_file *uf;
		uint8_t buf[PAGE_SIZE], *priv;

		if (n > PAGE_SIZE - (a & (PAGE_SIZE - 1)))
			n = PAGE_SIZE - (a & (PAGE_SIZE - 1));
		if (n > PAGE_SIZE - (p & (PAGE_SIZE - 1)))
			n = PAGE_SIZE - (p & (PAGE_SIZE - 1));
		if (!user_byte(o, proc, a, to_user, &priv, &uf, &upos))
			break;
		if (!priv && uf == f) {
			loff_t src = to_user ? p : upos, dst = to_user ? upos : p;

			if (dst > src && dst - src < (loff_t)n)
				n = dst - src;
		}
		/*
		 * bytes of a file whose contents can no longer be told make
		 * the file they land in one too (a private copy: not tracked)
		 */
		if (!priv && to_user && f->unknown)
			oracle_file_forget(uf);
		else if (!priv && !to_user && uf->unknown)
			oracle_file_forget(f);
		if (to_user) {
			file_bytes(f, p, buf, n);
			if (priv)
				memcpy(priv + (a & (PAGE_SIZE - 1)), buf, n);
			else
				file_store(uf, upos, buf, n);
		} else {
			if (priv)
				memcpy(buf, priv + (a & (PAGE_SIZE - 1)), n);
			else
				file_bytes(uf, upos, buf, n);
			grow(f, p + (loff_t)n);
			file_store(f, p, buf, n);
		}
		done += n;
	}
	return done;
}

void oracle_peek(struct oracle *o, int proc, unsigned long addr, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		unsigned long a = addr + done;
		size_t n = PAGE_SIZE - (a & (PAGE_SIZE - 1));
		struct oracle_file *f;
		uint8_t *priv;
		loff_t pos;

		if (n > len - done)
			n = len - done;
		if (!user_byte(o, proc, a, false, &priv, &f, &pos))
			memset(buf + done, 0, n);
		else if (priv)
			memcpy(buf + done, priv + (a & (PAGE_SIZE - 1)), n);
		else
			file_bytes(f, pos, buf + done, n);
		done += n;
	}
}
/* ---- for the durable-after-sync record (sim/durable.c) and remount ---- */

struct oracle_file *oracle_shared_at(struct oracle *o, int proc, unsigned long addr,
				     loff_t *pos)
{
	struct omap *m = find_map(o, proc, addr);

	if (!m || !m->shared)
		return NULL;
	*pos = m->off + (loff_t)(addr - m->start);
	return m->file;
}

void oracle_shared_ranges(struct oracle *o, int proc, unsigned long start,
			  unsigned long len, GArray *out)
{
	struct interval_tree_node *node;
	unsigned long end = start + len;

	if (!len)
		return;
	for (node = interval_tree_iter_first(proc_maps(o, proc), start, end - 1); node;
	     node = interval_tree_iter_next(node, start, end - 1)) {
		struct omap *m = addr_map(node);
		unsigned long a = m->start > start ? m->start : start;
		unsigned long b = m->end < end ? m->end : end;
		struct oracle_range rg = { m->file, m->off + (loff_t)(a - m->start),
					   (loff_t)(b - a) };

		if (m->shared)
			g_array_append_val(out, rg);
	}
}

void oracle_file_page(struct oracle_file *f, pgoff_t index, uint8_t *buf)
{
	struct pd *p = file_page(f, index);

	if (p)
		pd_read(p, 0, buf, PAGE_SIZE);
	else
		memset(buf, 0, PAGE_SIZE);
}

GArray *oracle_file_slots(struct oracle_file *f, pgoff_t first, pgoff_t last)
{
	return pd_map_slots_range(&f->pages, first, last);
}

void oracle_file_reset(struct oracle *o, struct oracle_file *f, loff_t size)
{
	pd_map_clear(&f->pages, 0, ~0UL, drop_page, o);
	f->size = size;
}

void oracle_file_set_page(struct oracle_file *f, pgoff_t index, const uint8_t *buf)
{
	page_store(f, (loff_t)index << PAGE_SHIFT, buf, PAGE_SIZE);
}

/* ---- the pages of a gup/pin handle, and a device's transfers through them ---- */

struct oracle_pin *oracle_pin(struct oracle *o, int proc, unsigned long base, unsigned nr,
			      bool foll_pin)
{
	struct oracle_pin *pin = g_new0(struct oracle_pin, 1);

	pin->proc = proc;
	pin->foll_pin = foll_pin;
	pin->base = base;
	pin->nr = nr;
	pin->pages = g_new0(struct opin_page, nr);
	for (unsigned i = 0; i < nr; i++) {
		unsigned long a = base + ((unsigned long)i << PAGE_SHIFT);
		struct opin_page *pp = &pin->pages[i];
		struct omap *m = find_map(o, proc, a);
		uint8_t *priv;

		pp->kind = OPIN_UNKNOWN;
		if (!m)
			continue;
		if (m->shared) {
			pp->file = m->file;
			pp->pos = m->off + (loff_t)(a - m->start);
			/* a page past EOF for the reference (an era's finding): not followed */
			if (pp->pos < round_up(m->file->size, (loff_t)PAGE_SIZE))
				pp->kind = OPIN_FILE;
		} else if ((priv = private_page(o, proc, a))) {
			pp->kind = OPIN_COPY;
			pp->copy = (struct ocopy *)priv;
			pp->copy->refs++;
		}
	}
	g_ptr_array_add(o->pins, pin);
	return pin;
}

void oracle_unpin(struct oracle *o, struct oracle_pin *pin)
{
	if (!pin)
		return;
	g_ptr_array_remove(o->pins, pin);
	for (unsigned i = 0; i < pin->nr; i++) {
		if (pin->pages[i].kind == OPIN_COPY)
			copy_put(pin->pages[i].copy);
		g_free(pin->pages[i].gone);
	}
	g_free(pin->pages);
	g_free(pin);
}

/* Whether the pages of [off, off + n) of @pin are ones the reference follows. */
static enum oracle_dma pin_range(const struct oracle_pin *pin, unsigned long off, size_t n)
{
	enum oracle_dma ret = ORACLE_DMA_JUDGED;

	for (unsigned long i = off >> PAGE_SHIFT; n && i <= (off + n - 1) >> PAGE_SHIFT; i++) {
		const struct opin_page *pp = &pin->pages[i];

		if (pp->kind == OPIN_UNKNOWN || (pp->kind == OPIN_FILE && pp->file->unknown))
			ret = ORACLE_DMA_UNKNOWN;
	}
	return ret;
}

enum oracle_dma oracle_pin_write(struct oracle *o, struct oracle_pin *pin, unsigned long off,
				 size_t n, uint8_t byte, GArray *changed)
{
	enum oracle_dma ret = pin_range(pin, off, n);
	uint8_t bytes[PAGE_SIZE];
	size_t done = 0;

	(void)o;
	memset(bytes, byte, sizeof(bytes));
	while (done < n) {
		unsigned long at = off + done;
		struct opin_page *pp = &pin->pages[at >> PAGE_SHIFT];
		unsigned po = at & (PAGE_SIZE - 1);
		size_t piece = n - done < PAGE_SIZE - po ? n - done : PAGE_SIZE - po;

		switch (pp->kind) {
		case OPIN_FILE: {
			struct oracle_range rg = { pp->file, pp->pos + po, (loff_t)piece };

			/* into the page, past EOF too, as a store through a shared mapping */
			file_store(pp->file, pp->pos + po, bytes, piece);
			if (changed)
				g_array_append_val(changed, rg);
			break;
		}
		case OPIN_COPY:
			memcpy(pp->copy->data + po, bytes, piece);
			break;
		case OPIN_GONE:
			memcpy(pp->gone + po, bytes, piece);
			break;
		case OPIN_UNKNOWN:
			break;
		}
		done += piece;
	}
	return ret;
}

enum oracle_dma oracle_pin_read(struct oracle *o, const struct oracle_pin *pin, unsigned long off,
				size_t n, uint8_t *buf)
{
	enum oracle_dma ret = pin_range(pin, off, n);
	size_t done = 0;

	(void)o;
	if (ret != ORACLE_DMA_JUDGED)
		return ret;
	while (done < n) {
		unsigned long at = off + done;
		const struct opin_page *pp = &pin->pages[at >> PAGE_SHIFT];
		unsigned po = at & (PAGE_SIZE - 1);
		size_t piece = n - done < PAGE_SIZE - po ? n - done : PAGE_SIZE - po;

		if (pp->kind == OPIN_FILE)
			file_bytes(pp->file, pp->pos + po, buf + done, piece);
		else
			memcpy(buf + done, (pp->kind == OPIN_COPY ? pp->copy->data : pp->gone) + po,
			       piece);
		done += piece;
	}
	return ret;
}
