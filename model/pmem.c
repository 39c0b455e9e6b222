// SPDX-License-Identifier: GPL-2.0
/*
 * The pmem device: per page, the media and the CPU-cache lines, each a
 * compact interned content (pagedata.h), so a page of one repeated byte or
 * of a few bytes over zeroes costs a slot and a shared reference.
 */
#include <assert.h>
#include <string.h>

#include "pmem.h"

#define PAGE_DIRTY	1UL

static unsigned long pmem_index(const struct kernel *k, unsigned long pfn)
{
	assert(pfn_is_pmem(k, pfn));
	return pfn - PMEM_BASE_PFN;
}

void pmem_init(struct kernel *k, unsigned long nr_pages)
{
	k->pmem.nr_pages = nr_pages;
	k->pmem.pool = pd_pool_new(&k->pmem.bytes);
	pd_map_init(&k->pmem.pages, &k->pmem.bytes);
	k->pmem.nr_dirty_pages = 0;
}

static void pmem_drop(uintptr_t v, void *ctx)
{
	struct kernel *k = ctx;
	struct pmem_page *pp = (void *)(v & ~PAGE_DIRTY);

	if (!(v & PAGE_DIRTY)) {
		pd_put(k->pmem.pool, (struct pd *)v);
		return;
	}
	pd_put(k->pmem.pool, pp->media);
	pd_put(k->pmem.pool, pp->cache);
	k->pmem.bytes -= sizeof(*pp);
	g_free(pp);
}

void pmem_destroy(struct kernel *k)
{
	pd_map_destroy(&k->pmem.pages, pmem_drop, k);
	pd_pool_free(k->pmem.pool);
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

/* A CPU store (@buf NULL: zeroes): the lines become dirty in the cache. */
void pmem_store(struct kernel *k, unsigned long pfn, unsigned off,
		const void *buf, size_t len)
{
	unsigned long index = pmem_index(k, pfn);
	uintptr_t v = pd_map_get(&k->pmem.pages, index);
	struct pmem_page *pp = dirty_page(v);
	struct pd_pool *pool = k->pmem.pool;
	uint64_t lines;

	assert(len > 0 && off + len <= PAGE_SIZE);
	if (!pp) {
		pp = g_new0(struct pmem_page, 1);
		k->pmem.bytes += sizeof(*pp);
		pp->media = v ? (struct pd *)v : pd_uniform(pool, 0);
		pp->cache = pd_get(pp->media);
		pd_map_set(&k->pmem.pages, index, (uintptr_t)pp | PAGE_DIRTY);
		k->pmem.nr_dirty_pages++;
	}
	lines = line_mask(off, len);
	/* A line not yet in the cache is filled from the media first. */
	if (lines & ~pp->dirty)
		set_content(&pp->cache, pd_merge_lines(pool, pp->cache, pp->media,
						       lines & ~pp->dirty), pool);
	pp->dirty |= lines;
	set_content(&pp->cache, buf ? pd_write(pool, pp->cache, off, buf, len) :
				      pd_fill(pool, pp->cache, off, 0, len), pool);
}

void pmem_flush(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	unsigned long index = pmem_index(k, pfn);
	struct pmem_page *pp = dirty_page(pd_map_get(&k->pmem.pages, index));
	uint64_t lines;

	if (!pp || !len)
		return;
	lines = line_mask(off, len) & pp->dirty;
	if (!lines)
		return;
	set_content(&pp->media, pd_merge_lines(k->pmem.pool, pp->media, pp->cache, lines),
		    k->pmem.pool);
	pp->dirty &= ~lines;
	if (pp->dirty)
		return;
	/* every line durable: the page is its media */
	pd_map_set(&k->pmem.pages, index, (uintptr_t)pd_get(pp->media));
	pmem_drop((uintptr_t)pp | PAGE_DIRTY, k);
	k->pmem.nr_dirty_pages--;
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
