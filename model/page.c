// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <string.h>

#include "huge_mm.h"
#include "page.h"
#include "lock.h"
#include "nvdimm.h"
#include "pmem.h"

static struct page *dram_init_page(struct kernel *k, struct page *page, unsigned long pfn)
{
	page->pfn = pfn;
	page->refcount = 1;
	page->serial = k->dram.next_serial++;
	k->dram.nr_used++;
	g_ptr_array_index(k->dram.pages, pfn - DRAM_BASE_PFN) = page;
	return page;
}

static struct page *dram_new_page(struct kernel *k, unsigned long pfn)
{
	return dram_init_page(k, kzalloc(k, sizeof(struct page)), pfn);
}

void dram_init(struct kernel *k, unsigned long nr_pages)
{
	struct dram *d = &k->dram;

	d->nr_pages = nr_pages;
	d->nr_used = 0;
	d->next_serial = 0;
	d->pages = g_ptr_array_new();
	d->free_pfns = g_array_new(FALSE, FALSE, sizeof(unsigned long));
	/* ZERO_PAGE(0): empty_zero_page, reserved, one reference for ever. */
	g_ptr_array_set_size(d->pages, 1);
	d->zero_page = dram_new_page(k, DRAM_BASE_PFN);
	d->zero_page->flags = PG_reserved | PG_uptodate;
}

static void dram_free_page(struct kernel *k, struct page *page)
{
	if (page->data)
		kfree(k, page->data, PAGE_SIZE);
	g_ptr_array_index(k->dram.pages, page->pfn - DRAM_BASE_PFN) = NULL;
	kfree(k, page, sizeof(*page));
	k->dram.nr_used--;
}

void dram_destroy(struct kernel *k)
{
	struct page *huge = k->dram.huge_zero_page;

	for (guint i = 0; i < k->dram.pages->len; i++) {
		struct page *page = g_ptr_array_index(k->dram.pages, i);

		if (page && !(huge && page >= huge && page < huge + HPAGE_PMD_NR))
			dram_free_page(k, page);
	}
	if (huge) {
		k->dram.nr_used -= HPAGE_PMD_NR;
		kfree(k, huge, HPAGE_PMD_NR * sizeof(*huge));
	}
	g_ptr_array_free(k->dram.pages, TRUE);
	g_array_free(k->dram.free_pfns, TRUE);
}

struct page *alloc_page(struct kernel *k)
{
	struct dram *d = &k->dram;
	unsigned long pfn;

	might_sleep(k, "alloc_page");
	if (d->free_pfns->len) {
		pfn = g_array_index(d->free_pfns, unsigned long, d->free_pfns->len - 1);
		g_array_set_size(d->free_pfns, d->free_pfns->len - 1);
	} else {
		if (d->pages->len >= d->nr_pages)
			return NULL;
		pfn = DRAM_BASE_PFN + d->pages->len;
		g_ptr_array_set_size(d->pages, d->pages->len + 1);
	}
	return dram_new_page(k, pfn);
}

struct page *alloc_pages_at(struct kernel *k, unsigned long pfn, unsigned int order)
{
	struct dram *d = &k->dram;
	struct page *pages = kzalloc(k, sizeof(*pages) << order);

	assert(pfn >= DRAM_BASE_PFN + d->pages->len);
	g_ptr_array_set_size(d->pages, pfn - DRAM_BASE_PFN + (1UL << order));
	for (unsigned long i = 0; i < 1UL << order; i++)
		dram_init_page(k, &pages[i], pfn + i);
	return pages;
}

/* get_page() -> folio_get(): the reference is the folio's */
void get_page(struct page *page)
{
	page = page_folio(page);
	assert(page->refcount > 0);
	page->refcount++;
}

/*
 * put_page() -> folio_put(). A pmem (fsdax) folio whose last reference
 * goes is idle, not freed: free_zone_device_folio() only wakes a layout
 * break waiting for it (v6.18.2 mm/memremap.c, MEMORY_DEVICE_FS_DAX);
 * 6.1's __put_devmap_managed_page_refs() (mm/memremap.c L535-548) wakes
 * it as the refcount comes back to the idle one (1 in 6.1, 0 here). v4.5's
 * put_page() (include/linux/mm.h L712-721) drops a pmem page's dev_pagemap
 * reference on every put (put_zone_device_page()).
 */
void put_page(struct kernel *k, struct page *page)
{
	unsigned long pfn;

	page = page_folio(page);
	pfn = page->pfn;
	assert(page->refcount > 0);
	--page->refcount;
	if (pfn_is_pmem(k, pfn)) {
		/* v4.5 put_page(): put_zone_device_page(), whatever the count */
		if (k->policy.id == POLICY_DAX_2016)
			put_zone_device_page(k);
		if (!page->refcount)
			wake_up_key(k, &k->var_wait_table, page, 0, true);	/* wake_up_var() */
		return;
	}
	if (page->refcount)
		return;
	assert(!(page->flags & PG_reserved));
	assert(page->mapcount == 0);
	dram_free_page(k, page);
	g_array_append_val(k->dram.free_pfns, pfn);
}

struct page *pfn_to_page(struct kernel *k, unsigned long pfn)
{
	if (pfn_is_pmem(k, pfn))
		return pmem_pfn_to_page(k, pfn);
	assert(pfn_is_dram(k, pfn) && pfn - DRAM_BASE_PFN < k->dram.pages->len);
	return g_ptr_array_index(k->dram.pages, pfn - DRAM_BASE_PFN);
}

void page_read(struct page *page, unsigned off, void *buf, size_t len)
{
	assert(off + len <= PAGE_SIZE);
	if (page->data)
		memcpy(buf, page->data + off, len);
	else
		memset(buf, 0, len);
}

void page_store(struct kernel *k, struct page *page, unsigned off,
		const void *buf, size_t len)
{
	assert(off + len <= PAGE_SIZE);
	assert(!(page->flags & PG_reserved));
	if (!page->data)
		page->data = kzalloc(k, PAGE_SIZE);
	memcpy(page->data + off, buf, len);
}

void copy_pfn_to_page(struct kernel *k, struct page *to, unsigned long pfn)
{
	uint8_t buf[PAGE_SIZE];

	if (pfn_is_pmem(k, pfn))
		pmem_read(k, pfn, 0, buf, PAGE_SIZE);
	else
		page_read(pfn_to_page(k, pfn), 0, buf, PAGE_SIZE);
	page_store(k, to, 0, buf, PAGE_SIZE);
}

void page_add_anon_rmap(struct page *page)
{
	page->mapcount++;
}

void page_remove_rmap(struct page *page)
{
	assert(page->mapcount > 0);
	page->mapcount--;
}

unsigned long dram_bytes_in_use(const struct kernel *k)
{
	return k->dram.nr_used * PAGE_SIZE;
}

/* What the workload holds: not the zero page, nor the huge zero page */
unsigned long dram_bytes_allocated(const struct kernel *k)
{
	return dram_bytes_in_use(k) - PAGE_SIZE -
	       (k->dram.huge_zero_page ? PMD_SIZE : 0);
}
