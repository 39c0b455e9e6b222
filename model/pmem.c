// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <string.h>

#include "pmem.h"

void pmem_init(struct kernel *k, unsigned long nr_pages)
{
	k->pmem.nr_pages = nr_pages;
	k->pmem.pages = g_hash_table_new(g_direct_hash, g_direct_equal);
	k->pmem.nr_dirty_pages = 0;
}

void pmem_destroy(struct kernel *k)
{
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, k->pmem.pages);
	while (g_hash_table_iter_next(&it, &key, &val))
		kfree(k, val, sizeof(struct pmem_page));
	g_hash_table_destroy(k->pmem.pages);
}

static struct pmem_page *pmem_page_lookup(struct kernel *k, unsigned long pfn)
{
	assert(pfn_is_pmem(k, pfn));
	return g_hash_table_lookup(k->pmem.pages, GSIZE_TO_POINTER(pfn));
}

static struct pmem_page *pmem_page_get(struct kernel *k, unsigned long pfn)
{
	struct pmem_page *pp = pmem_page_lookup(k, pfn);

	if (pp)
		return pp;
	pp = kzalloc(k, sizeof(*pp));
	g_hash_table_insert(k->pmem.pages, GSIZE_TO_POINTER(pfn), pp);
	return pp;
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
	struct pmem_page *pp = pmem_page_lookup(k, pfn);
	uint8_t *out = buf;

	assert(off + len <= PAGE_SIZE);
	if (!pp) {
		memset(buf, 0, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned o = off + i;
		bool dirty = pp->dirty & (1ULL << (o / L1_CACHE_BYTES));

		out[i] = dirty ? pp->cache[o] : pp->media[o];
	}
}

void pmem_read_media(struct kernel *k, unsigned long pfn, unsigned off,
		     void *buf, size_t len)
{
	struct pmem_page *pp = pmem_page_lookup(k, pfn);

	assert(off + len <= PAGE_SIZE);
	if (!pp)
		memset(buf, 0, len);
	else
		memcpy(buf, pp->media + off, len);
}

void pmem_store(struct kernel *k, unsigned long pfn, unsigned off,
		const void *buf, size_t len)
{
	struct pmem_page *pp;
	uint64_t lines;

	assert(len > 0 && off + len <= PAGE_SIZE);
	pp = pmem_page_get(k, pfn);
	lines = line_mask(off, len);
	if (!pp->dirty)
		k->pmem.nr_dirty_pages++;
	/* A line not yet in the cache is filled from the media first. */
	for (uint64_t fill = lines & ~pp->dirty; fill; fill &= fill - 1) {
		unsigned l = __builtin_ctzll(fill);

		memcpy(pp->cache + l * L1_CACHE_BYTES,
		       pp->media + l * L1_CACHE_BYTES, L1_CACHE_BYTES);
	}
	pp->dirty |= lines;
	if (buf)
		memcpy(pp->cache + off, buf, len);
	else
		memset(pp->cache + off, 0, len);
}

void pmem_flush(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	struct pmem_page *pp = pmem_page_lookup(k, pfn);
	uint64_t lines;

	if (!pp || !len)
		return;
	lines = line_mask(off, len) & pp->dirty;
	for (uint64_t l = lines; l; l &= l - 1) {
		unsigned n = __builtin_ctzll(l);

		memcpy(pp->media + n * L1_CACHE_BYTES,
		       pp->cache + n * L1_CACHE_BYTES, L1_CACHE_BYTES);
	}
	pp->dirty &= ~lines;
	if (lines && !pp->dirty)
		k->pmem.nr_dirty_pages--;
}

void pmem_write_flush(struct kernel *k, unsigned long pfn, unsigned off,
		      const void *buf, size_t len)
{
	if (!len)
		return;
	/* Zeroes over a page nobody wrote change nothing. */
	if (!buf && !pmem_page_lookup(k, pfn))
		return;
	pmem_store(k, pfn, off, buf, len);
	pmem_flush(k, pfn, off, len);
}

bool pmem_page_durable(struct kernel *k, unsigned long pfn)
{
	struct pmem_page *pp = pmem_page_lookup(k, pfn);

	return !pp || !pp->dirty;
}
