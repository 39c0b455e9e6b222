/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmem device (drivers/nvdimm/pmem.c as a DAX device): contents kept
 * per 64-byte line in two layers, the CPU cache and the media. A CPU store
 * lands in the cache, dirty; a flush (clwb, dax_flush, the flushcache copy
 * of write(2)) makes a line durable. Pages nobody wrote read zero and cost
 * nothing. Every access stays inside one page.
 */
#ifndef MMSIM_PMEM_H
#define MMSIM_PMEM_H

#include "kernel.h"

void pmem_init(struct kernel *k, unsigned long nr_pages);
void pmem_destroy(struct kernel *k);

static inline bool pfn_is_pmem(const struct kernel *k, unsigned long pfn)
{
	return pfn >= PMEM_BASE_PFN && pfn < PMEM_BASE_PFN + k->pmem.nr_pages;
}

/* The struct page of a pmem pfn (the device's memmap), made at first use. */
struct page *pmem_pfn_to_page(struct kernel *k, unsigned long pfn);
/* The same without making one: NULL when never used. */
struct page *pmem_page_lookup(const struct kernel *k, unsigned long pfn);

/* What the CPU sees: a dirty line from the cache, else the media. */
void pmem_read(struct kernel *k, unsigned long pfn, unsigned off, void *buf,
	       size_t len);
/* A CPU store: the lines become dirty in the cache. */
void pmem_store(struct kernel *k, unsigned long pfn, unsigned off,
		const void *buf, size_t len);
/* Write back the dirty lines of [off, off + len) to the media. */
void pmem_flush(struct kernel *k, unsigned long pfn, unsigned off, size_t len);
/* memcpy_flushcache(): store and flush. @buf NULL writes zeroes. */
void pmem_write_flush(struct kernel *k, unsigned long pfn, unsigned off,
		      const void *buf, size_t len);
/* Whole pages [pfn, pfn + nr_pages) hold @byte, durably: memset and flush. */
void pmem_fill_flush(struct kernel *k, unsigned long pfn, unsigned long nr_pages,
		     uint8_t byte);
/* Whether every line of the page is durable. */
bool pmem_page_durable(struct kernel *k, unsigned long pfn);
/* The media copy only (what a crash would keep). */
void pmem_read_media(struct kernel *k, unsigned long pfn, unsigned off,
		     void *buf, size_t len);

/*
 * A power failure: every line not yet flushed is lost; with @seed not 0,
 * each survives or not as a hash of (seed, pfn, line) says (an eviction
 * before the crash). Returns the lines lost.
 */
unsigned long pmem_crash(struct kernel *k, uint64_t seed);

#endif
