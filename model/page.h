/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page for DRAM and the accounted page allocator (mm/page_alloc.c in
 * spirit): anonymous COW pages, page-cache pages later, and ZERO_PAGE(0),
 * which is reserved and never freed.
 */
#ifndef MMSIM_PAGE_H
#define MMSIM_PAGE_H

#include "kernel.h"

void dram_init(struct kernel *k, unsigned long nr_pages);
void dram_destroy(struct kernel *k);

/* NULL when DRAM is exhausted (the caller returns VM_FAULT_OOM). */
struct page *alloc_page(struct kernel *k);
/*
 * 2^@order pages from @pfn, above every pfn handed out so far, their struct
 * pages one array as in mem_map (the huge zero page: never freed but by
 * dram_destroy()).
 */
struct page *alloc_pages_at(struct kernel *k, unsigned long pfn, unsigned int order);
void get_page(struct page *page);
void put_page(struct kernel *k, struct page *page);

/* A DRAM page, or a pmem page (made at first use: pmem_pfn_to_page()) */
struct page *pfn_to_page(struct kernel *k, unsigned long pfn);
/* page_folio(): the head of a pmem 2 MiB DAX folio, else the page itself */
static inline struct page *page_folio(struct page *page)
{
	return page->head ? page->head : page;
}
static inline bool pfn_is_dram(const struct kernel *k, unsigned long pfn)
{
	return pfn >= DRAM_BASE_PFN && pfn < DRAM_BASE_PFN + k->dram.nr_pages;
}
static inline bool is_zero_pfn(const struct kernel *k, unsigned long pfn)
{
	return pfn == k->dram.zero_page->pfn;
}

/* A page of the huge zero page (mm_get_huge_zero_page()), if there is one. */
static inline bool is_huge_zero_pfn(const struct kernel *k, unsigned long pfn)
{
	const struct page *huge = k->dram.huge_zero_page;

	return huge && pfn - huge->pfn < (PMD_SIZE >> PAGE_SHIFT);
}

void page_read(struct page *page, unsigned off, void *buf, size_t len);
void page_store(struct kernel *k, struct page *page, unsigned off,
		const void *buf, size_t len);
/* copy_user_highpage() from any pfn (DRAM page or pmem block) */
void copy_pfn_to_page(struct kernel *k, struct page *to, unsigned long pfn);

/* page_mapcount() bookkeeping for rmap (mm/rmap.c) */
void page_add_anon_rmap(struct page *page);
void page_remove_rmap(struct page *page);
/* page_dup_rmap(), include/linux/rmap.h v4.14: fork maps the page once more */
static inline void page_dup_rmap(struct page *page)
{
	page->mapcount++;
}

/* Bytes of DRAM in use, the zero page included (it is counted once). */
unsigned long dram_bytes_in_use(const struct kernel *k);
/* The same without the zero page: what `expect memory used=` compares. */
unsigned long dram_bytes_allocated(const struct kernel *k);

#endif
