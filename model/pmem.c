// SPDX-License-Identifier: GPL-2.0
/*
 * The pmem device: per page, the media and the CPU-cache lines, each a
 * compact interned content (pagedata.h), so a page of one repeated byte or
 * of a few bytes over zeroes costs a slot and a shared reference; a page
 * with dirty lines is an interned state (struct pmem_page), shared the same
 * way, and the last small store is remembered, so a loop storing the same
 * bytes into page after page in the same state costs a reference each.
 */
#include <assert.h>
#include <string.h>

#include "pmem.h"

#define PAGE_DIRTY	1UL
/* what one entry of a GHashTable costs, as pagedata.c counts it */
#define STATE_BYTES	(sizeof(struct pmem_page) + 24)

static unsigned long pmem_index(const struct kernel *k, unsigned long pfn)
{
	assert(pfn_is_pmem(k, pfn));
	return pfn - PMEM_BASE_PFN;
}

static guint state_hash(gconstpointer p)
{
	const struct pmem_page *pp = p;
	uint64_t h = pp->dirty * 0x9e3779b97f4a7c15ULL;

	h = (h ^ (uintptr_t)pp->media) * 0x9e3779b97f4a7c15ULL;
	h = (h ^ (uintptr_t)pp->cache) * 0x9e3779b97f4a7c15ULL;
	return (guint)(h ^ (h >> 32));
}

static gboolean state_equal(gconstpointer a, gconstpointer b)
{
	const struct pmem_page *x = a, *y = b;

	return x->dirty == y->dirty && x->media == y->media && x->cache == y->cache;
}

void pmem_init(struct kernel *k, unsigned long nr_pages)
{
	k->pmem.nr_pages = nr_pages;
	k->pmem.pool = pd_pool_new(&k->pmem.bytes);
	k->pmem.states = g_hash_table_new(state_hash, state_equal);
	k->pmem.memo.out = 0;
	pd_map_init(&k->pmem.pages, &k->pmem.bytes);
	k->pmem.nr_dirty_pages = 0;
	k->pmem.memmap = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	k->pmem.dead = false;
	k->pmem.unbinding = false;
	k->pmem.pgmap_refs = 0;
	k->pmem.poison = NULL;
}

/* The interned state (@dirty, @media, @cache), taking the caller's references. */
static struct pmem_page *state_get(struct kernel *k, uint64_t dirty, struct pd *media,
				   struct pd *cache)
{
	struct pmem_page key = { 0, dirty, media, cache };
	struct pmem_page *pp = g_hash_table_lookup(k->pmem.states, &key);

	if (pp) {
		pd_put(k->pmem.pool, media);
		pd_put(k->pmem.pool, cache);
		pp->refcount++;
		return pp;
	}
	pp = g_new(struct pmem_page, 1);
	*pp = key;
	pp->refcount = 1;
	g_hash_table_add(k->pmem.states, pp);
	k->pmem.bytes += STATE_BYTES;
	return pp;
}

static void state_put(struct kernel *k, struct pmem_page *pp)
{
	struct pmem_store_memo *m = &k->pmem.memo;

	if (--pp->refcount)
		return;
	if (m->in == ((uintptr_t)pp | PAGE_DIRTY) || m->out == ((uintptr_t)pp | PAGE_DIRTY))
		m->out = 0;
	g_hash_table_remove(k->pmem.states, pp);
	pd_put(k->pmem.pool, pp->media);
	pd_put(k->pmem.pool, pp->cache);
	k->pmem.bytes -= STATE_BYTES;
	g_free(pp);
}

/* Drop a slot's reference: a clean content or a dirty state. */
static void pmem_drop(uintptr_t v, void *ctx)
{
	struct kernel *k = ctx;

	if (v & PAGE_DIRTY)
		state_put(k, (struct pmem_page *)(v & ~PAGE_DIRTY));
	else
		pd_put(k->pmem.pool, (struct pd *)v);
}

void pmem_destroy(struct kernel *k)
{
	pd_map_destroy(&k->pmem.pages, pmem_drop, k);
	assert(g_hash_table_size(k->pmem.states) == 0);
	g_hash_table_destroy(k->pmem.states);
	g_hash_table_destroy(k->pmem.memmap);
	if (k->pmem.poison)
		g_hash_table_destroy(k->pmem.poison);
	pd_pool_free(k->pmem.pool);
}

/*
 * pfn_to_page() of a pmem pfn: its struct page, made at first use. An
 * idle fsdax page has no reference (v6.15 dax_folio_init() warns on any,
 * dax_page_is_idle() is page_ref_count() == 0); its serial is its block.
 */
struct page *pmem_pfn_to_page(struct kernel *k, unsigned long pfn)
{
	gpointer key = GSIZE_TO_POINTER(pmem_index(k, pfn));
	struct page *page = g_hash_table_lookup(k->pmem.memmap, key);

	if (page)
		return page;
	page = g_new0(struct page, 1);
	page->pfn = pfn;
	page->serial = pfn - PMEM_BASE_PFN;
	g_hash_table_insert(k->pmem.memmap, key, page);
	return page;
}

struct page *pmem_page_lookup(const struct kernel *k, unsigned long pfn)
{
	return g_hash_table_lookup(k->pmem.memmap, GSIZE_TO_POINTER(pfn - PMEM_BASE_PFN));
}

/* The page's dirty state, NULL when every line is durable. */
static struct pmem_page *dirty_page(uintptr_t v)
{
	return v & PAGE_DIRTY ? (struct pmem_page *)(v & ~PAGE_DIRTY) : NULL;
}

static struct pd *media_of(uintptr_t v)
{
	struct pmem_page *pp = dirty_page(v);

	return pp ? pp->media : (struct pd *)v;
}

static uint64_t line_mask(unsigned off, size_t len)
{
	unsigned first = off / L1_CACHE_BYTES;
	unsigned last = (off + len - 1) / L1_CACHE_BYTES;
	unsigned n = last - first + 1;

	return (n == 64 ? ~0ULL : ((1ULL << n) - 1)) << first;
}

void pmem_read(struct kernel *k, unsigned long pfn, unsigned off, void *buf,
	       size_t len)
{
	uintptr_t v = pd_map_get(&k->pmem.pages, pmem_index(k, pfn));
	struct pmem_page *pp = dirty_page(v);
	uint8_t *out = buf;

	assert(off + len <= PAGE_SIZE);
	if (!pp) {
		pd_read((struct pd *)v, off, buf, len);
		return;
	}
	/* a dirty line from the cache, else the media */
	while (len) {
		unsigned l = off / L1_CACHE_BYTES;
		size_t n = (l + 1) * L1_CACHE_BYTES - off;

		if (n > len)
			n = len;
		pd_read(pp->dirty & (1ULL << l) ? pp->cache : pp->media, off, out, n);
		out += n;
		off += n;
		len -= n;
	}
}

void pmem_read_media(struct kernel *k, unsigned long pfn, unsigned off,
		     void *buf, size_t len)
{
	assert(off + len <= PAGE_SIZE);
	pd_read(media_of(pd_map_get(&k->pmem.pages, pmem_index(k, pfn))), off, buf, len);
}

static void set_content(struct pd **p, struct pd *new, struct pd_pool *pool)
{
	pd_put(pool, *p);
	*p = new;
}

/* The state of the page in slot value @v after the store: a reference. */
static struct pmem_page *store_state(struct kernel *k, uintptr_t v, unsigned off,
				     const void *buf, size_t len)
{
	struct pmem_page *pp = dirty_page(v);
	struct pd_pool *pool = k->pmem.pool;
	struct pd *media = pp ? pd_get(pp->media) : v ? pd_get((struct pd *)v) :
			   pd_uniform(pool, 0);
	struct pd *cache = pd_get(pp ? pp->cache : media);
	uint64_t dirty = pp ? pp->dirty : 0, lines = line_mask(off, len);

	/* A line not yet in the cache is filled from the media first. */
	if (lines & ~dirty)
		set_content(&cache, pd_merge_lines(pool, cache, media, lines & ~dirty), pool);
	dirty |= lines;
	set_content(&cache, buf ? pd_write(pool, cache, off, buf, len) :
				  pd_fill(pool, cache, off, 0, len), pool);
	return state_get(k, dirty, media, cache);
}

static struct pmem_store_memo store_key(uintptr_t v, unsigned off, const void *buf,
					size_t len)
{
	struct pmem_store_memo m = { v, 0, off, len, !buf, 0 };
	const uint8_t *p = buf;

	for (size_t i = 0; p && i < len; i++)	/* len <= 8: no memcpy call */
		m.val |= (uint64_t)p[i] << (8 * i);
	return m;
}

/* A CPU store (@buf NULL: zeroes): the lines become dirty in the cache. */
void pmem_store(struct kernel *k, unsigned long pfn, unsigned off,
		const void *buf, size_t len)
{
	unsigned long index = pmem_index(k, pfn);
	uintptr_t v = pd_map_get(&k->pmem.pages, index), new;
	struct pmem_store_memo *m = &k->pmem.memo, key;
	bool small = len <= sizeof(key.val);

	assert(len > 0 && off + len <= PAGE_SIZE);
	/* only a page never written or a state can be remembered: their lifetimes are ours */
	small = small && (!v || (v & PAGE_DIRTY));
	if (small)
		key = store_key(v, off, buf, len);
	if (small && m->out && m->in == key.in && m->off == key.off && m->len == key.len &&
	    m->fill == key.fill && m->val == key.val) {
		new = m->out;
		dirty_page(new)->refcount++;
	} else {
		new = (uintptr_t)store_state(k, v, off, buf, len) | PAGE_DIRTY;
		if (small) {
			*m = key;
			m->out = new;
		}
	}
	if (!dirty_page(v))
		k->pmem.nr_dirty_pages++;
	pd_map_set(&k->pmem.pages, index, new);
	pmem_drop(v, k);
}

void pmem_flush(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	unsigned long index = pmem_index(k, pfn);
	struct pmem_page *pp = dirty_page(pd_map_get(&k->pmem.pages, index));
	struct pd *media;
	uint64_t lines;

	if (!pp || !len)
		return;
	lines = line_mask(off, len) & pp->dirty;
	if (!lines)
		return;
	media = pd_merge_lines(k->pmem.pool, pp->media, pp->cache, lines);
	if (pp->dirty & ~lines) {
		pd_map_set(&k->pmem.pages, index,
			   (uintptr_t)state_get(k, pp->dirty & ~lines, media, pd_get(pp->cache)) |
			   PAGE_DIRTY);
	} else {	/* every line durable: the page is its media */
		pd_map_set(&k->pmem.pages, index, (uintptr_t)media);
		k->pmem.nr_dirty_pages--;
	}
	state_put(k, pp);
}

void pmem_write_flush(struct kernel *k, unsigned long pfn, unsigned off,
		      const void *buf, size_t len)
{
	unsigned long index = pmem_index(k, pfn);
	uintptr_t v;

	if (!len)
		return;
	v = pd_map_get(&k->pmem.pages, index);
	/* Zeroes over a page nobody wrote change nothing. */
	if (!buf && !v)
		return;
	if (off || len != PAGE_SIZE) {
		pmem_store(k, pfn, off, buf, len);
		pmem_flush(k, pfn, off, len);
		return;
	}
	/* every line stored and flushed: the page is what was written */
	pd_map_set(&k->pmem.pages, index,
		   (uintptr_t)(buf ? pd_write(k->pmem.pool, NULL, 0, buf, len) :
				     pd_uniform(k->pmem.pool, 0)));
	if (dirty_page(v))
		k->pmem.nr_dirty_pages--;
	pmem_drop(v, k);
}

static void pmem_drop_counted(uintptr_t v, void *ctx)
{
	struct kernel *k = ctx;

	if (dirty_page(v))
		k->pmem.nr_dirty_pages--;
	pmem_drop(v, k);
}

/*
 * memset and flush of whole pages: the pmem driver writing a run of
 * blocks (pmem_do_bvec() for the zeroout of ext4_issue_zeroout(), and the
 * flushcache copy of write(2) when the user buffer holds one byte).
 */
void pmem_fill_flush(struct kernel *k, unsigned long pfn, unsigned long nr_pages,
		     uint8_t byte)
{
	unsigned long index = pmem_index(k, pfn);
	struct pd *pd;

	if (!nr_pages)
		return;
	assert(pfn_is_pmem(k, pfn + nr_pages - 1));
	pd = pd_uniform(k->pmem.pool, byte);
	pd_map_set_range(&k->pmem.pages, index, index + nr_pages - 1,
			 (uintptr_t)pd_get_many(pd, nr_pages - 1), pmem_drop_counted, k);
}

bool pmem_page_durable(struct kernel *k, unsigned long pfn)
{
	return !dirty_page(pd_map_get(&k->pmem.pages, pmem_index(k, pfn)));
}

/* splitmix64: a line's fate under a seed, whatever order pages are visited in */
static uint64_t crash_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * Power is lost: each line still dirty in the CPU cache is gone, the
 * media keeps what was flushed. With a seed, a line may have been evicted
 * (written back by the cache on its own, in no order a program controls)
 * before the crash: each dirty line survives with probability 1/2, chosen
 * by a hash of (seed, page, line). The device is left with no dirty line.
 */
unsigned long pmem_crash(struct kernel *k, uint64_t seed)
{
	GArray *slots = pd_map_slots(&k->pmem.pages);
	unsigned long lost = 0;

	for (guint i = 0; i < slots->len; i++) {
		const struct pd_slot *s = &g_array_index(slots, struct pd_slot, i);
		struct pmem_page *pp = dirty_page(s->v);
		uint64_t survive = 0;
		struct pd *media;

		if (!pp)
			continue;
		for (unsigned l = 0; seed && l < 64; l++)
			if ((pp->dirty & (1ULL << l)) &&
			    (crash_mix(seed ^ crash_mix(s->index * 64 + l)) & 1))
				survive |= 1ULL << l;
		lost += __builtin_popcountll(pp->dirty & ~survive);
		media = survive ? pd_merge_lines(k->pmem.pool, pp->media, pp->cache, survive) :
				  pd_get(pp->media);
		pd_map_set(&k->pmem.pages, s->index, (uintptr_t)media);
		k->pmem.nr_dirty_pages--;
		state_put(k, pp);
	}
	g_array_free(slots, TRUE);
	assert(!k->pmem.nr_dirty_pages);
	/*
	 * The reboot's memmap is new: no page keeps PageHWPoison (v4.5 and
	 * v4.14's memory_failure() set it; the media error stays).
	 */
	if (k->pmem.poison) {
		GHashTableIter it;
		gpointer v;

		g_hash_table_iter_init(&it, k->pmem.memmap);
		while (g_hash_table_iter_next(&it, NULL, &v))
			((struct page *)v)->flags &= ~PG_hwpoison;
	}
	return lost;
}
