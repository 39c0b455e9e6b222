// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/pmem.c: the pmem device as two layers per 64-byte
 * line, the CPU cache and the media (pmem.h). What the kernel relies on:
 * a CPU store through a DAX mapping stays in the cache until a flush
 * (dax_flush in dax_writeback_one, docs/eras/dax-2017.md §8), while
 * write(2) and the zeroing paths use memcpy_flushcache / flushed memset and
 * are durable at once (§6.5, §7, §9).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel.h"
#include "pmem.h"

static struct kernel *k;

static void fx_init(void)
{
	k = kernel_create(POLICY_DAX_2017, 64UL << 20, 64UL << 20);
}

static void fx_fini(void)
{
	kernel_destroy(k);
}

TestSuite(pmem, .init = fx_init, .fini = fx_fini);

#define PFN	(PMEM_BASE_PFN + 100)

static bool all_bytes(const uint8_t *p, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* pmem.h: pages nobody wrote read zero, are durable and cost nothing. */
Test(pmem, untouched_page_reads_zero_and_costs_nothing)
{
	uint8_t buf[PAGE_SIZE];
	unsigned long bytes = k->model_bytes;

	memset(buf, 0xee, sizeof(buf));
	pmem_read(k, PFN, 0, buf, PAGE_SIZE);
	cr_assert(all_bytes(buf, PAGE_SIZE, 0));
	memset(buf, 0xee, sizeof(buf));
	pmem_read_media(k, PFN, 0, buf, PAGE_SIZE);
	cr_assert(all_bytes(buf, PAGE_SIZE, 0));
	cr_assert(pmem_page_durable(k, PFN));
	cr_assert_eq(k->pmem.nr_dirty_pages, 0);
	cr_assert_eq(k->model_bytes, bytes, "reading must not allocate a page");

	/* The device covers [PMEM_BASE_PFN, PMEM_BASE_PFN + nr_pages): 64 MiB here. */
	cr_assert_eq(k->pmem.nr_pages, (64UL << 20) >> PAGE_SHIFT);
	cr_assert(pfn_is_pmem(k, PMEM_BASE_PFN));
	cr_assert(pfn_is_pmem(k, PMEM_BASE_PFN + k->pmem.nr_pages - 1));
	cr_assert_not(pfn_is_pmem(k, PMEM_BASE_PFN + k->pmem.nr_pages));
	cr_assert_not(pfn_is_pmem(k, PMEM_BASE_PFN - 1));
	cr_assert_not(pfn_is_pmem(k, DRAM_BASE_PFN));
}

/*
 * A CPU store lands in the cache: the CPU sees it, the media (what a crash
 * keeps) does not, and the page is not durable (§8: only dax_flush makes a
 * mapped store durable).
 */
Test(pmem, store_lands_in_cache_not_durable)
{
	uint64_t v = 0x1122334455667788ULL, got = 0;

	pmem_store(k, PFN, 128, &v, sizeof(v));
	pmem_read(k, PFN, 128, &got, sizeof(got));
	cr_assert_eq(got, v);
	pmem_read_media(k, PFN, 128, &got, sizeof(got));
	cr_assert_eq(got, 0, "the media must not see a store before a flush");
	cr_assert_not(pmem_page_durable(k, PFN));
	cr_assert_eq(k->pmem.nr_dirty_pages, 1);
}

Test(pmem, flush_makes_store_durable)
{
	uint64_t v = 0xdeadbeefcafef00dULL, got = 0;

	pmem_store(k, PFN, 4088, &v, sizeof(v));	/* the last line of the page */
	pmem_flush(k, PFN, 0, PAGE_SIZE);
	cr_assert(pmem_page_durable(k, PFN));
	cr_assert_eq(k->pmem.nr_dirty_pages, 0);
	pmem_read_media(k, PFN, 4088, &got, sizeof(got));
	cr_assert_eq(got, v);
	pmem_read(k, PFN, 4088, &got, sizeof(got));
	cr_assert_eq(got, v);
}

/* Flushing works on whole 64-byte lines (clwb granularity, L1_CACHE_BYTES). */
Test(pmem, flush_granularity_is_the_cache_line)
{
	uint8_t data[128], media[128];

	memset(data, 0x5a, sizeof(data));
	pmem_store(k, PFN, 0, data, sizeof(data));	/* lines 0 and 1 */

	/* One byte inside line 0 flushes all of line 0 and nothing of line 1. */
	pmem_flush(k, PFN, 10, 1);
	pmem_read_media(k, PFN, 0, media, sizeof(media));
	cr_assert(all_bytes(media, 64, 0x5a), "line 0 must be written back whole");
	cr_assert(all_bytes(media + 64, 64, 0), "line 1 must still be in the cache");
	cr_assert_not(pmem_page_durable(k, PFN));

	/* Two bytes straddling the boundary flush both lines. */
	pmem_store(k, PFN, 0, data, sizeof(data));
	pmem_flush(k, PFN, 63, 2);
	pmem_read_media(k, PFN, 0, media, sizeof(media));
	cr_assert(all_bytes(media, 128, 0x5a));
	cr_assert(pmem_page_durable(k, PFN));
}

/* A line not in the cache is filled from the media before a partial store. */
Test(pmem, partial_store_keeps_rest_of_line)
{
	uint8_t old[64], b = 0x55, out[64];

	memset(old, 0xaa, sizeof(old));
	pmem_write_flush(k, PFN, 0, old, sizeof(old));
	pmem_store(k, PFN, 0, &b, 1);
	pmem_read(k, PFN, 0, out, sizeof(out));
	cr_assert_eq(out[0], 0x55);
	cr_assert(all_bytes(out + 1, 63, 0xaa));
	pmem_flush(k, PFN, 0, 1);
	pmem_read_media(k, PFN, 0, out, sizeof(out));
	cr_assert_eq(out[0], 0x55);
	cr_assert(all_bytes(out + 1, 63, 0xaa), "writing back the line must not lose its other bytes");
}

/* memcpy_flushcache(): the data is durable at once (§9 write(2)). */
Test(pmem, write_flush_is_durable)
{
	uint8_t data[300], media[300];

	for (int i = 0; i < 300; i++)
		data[i] = (uint8_t)(i * 7 + 1);
	pmem_write_flush(k, PFN, 1000, data, sizeof(data));
	cr_assert(pmem_page_durable(k, PFN));
	pmem_read_media(k, PFN, 1000, media, sizeof(media));
	cr_assert_arr_eq(media, data, sizeof(data));
}

/* write_flush with NULL writes durable zeroes (§6.5, §7: the zeroing paths). */
Test(pmem, write_flush_null_zeroes_durably)
{
	uint8_t data[PAGE_SIZE], out[PAGE_SIZE];

	memset(data, 0x77, sizeof(data));
	pmem_write_flush(k, PFN, 0, data, PAGE_SIZE);
	pmem_store(k, PFN, 20, data, 4);	/* a cached store inside the zeroed range */
	pmem_write_flush(k, PFN, 16, NULL, 32);
	cr_assert(pmem_page_durable(k, PFN));
	pmem_read_media(k, PFN, 0, out, PAGE_SIZE);
	cr_assert(all_bytes(out, 16, 0x77));
	cr_assert(all_bytes(out + 16, 32, 0));
	cr_assert(all_bytes(out + 48, PAGE_SIZE - 48, 0x77));
	pmem_read(k, PFN, 0, out, PAGE_SIZE);
	cr_assert(all_bytes(out + 16, 32, 0));

	/* Zeroes over a page nobody wrote: still zero, durable, nothing dirty. */
	pmem_write_flush(k, PFN + 1, 0, NULL, PAGE_SIZE);
	pmem_read(k, PFN + 1, 0, out, PAGE_SIZE);
	cr_assert(all_bytes(out, PAGE_SIZE, 0));
	cr_assert(pmem_page_durable(k, PFN + 1));
	cr_assert_eq(k->pmem.nr_dirty_pages, 0);
}

/* pmem_read is what the CPU sees (cache first), pmem_read_media the media. */
Test(pmem, read_vs_read_media)
{
	uint32_t old = 0x01010101, new = 0x02020202, got;

	pmem_write_flush(k, PFN, 512, &old, sizeof(old));
	pmem_store(k, PFN, 512, &new, sizeof(new));
	pmem_read(k, PFN, 512, &got, sizeof(got));
	cr_assert_eq(got, new);
	pmem_read_media(k, PFN, 512, &got, sizeof(got));
	cr_assert_eq(got, old);
	/* Other pages are independent. */
	cr_assert(pmem_page_durable(k, PFN + 1));
	pmem_read(k, PFN + 1, 512, &got, sizeof(got));
	cr_assert_eq(got, 0);
}

/* nr_dirty_pages counts pages with some line in the cache. */
Test(pmem, dirty_page_count)
{
	uint8_t b = 1;

	pmem_store(k, PFN, 0, &b, 1);
	pmem_store(k, PFN, 3000, &b, 1);
	pmem_store(k, PFN + 7, 0, &b, 1);
	cr_assert_eq(k->pmem.nr_dirty_pages, 2);
	pmem_flush(k, PFN, 0, 64);
	cr_assert_eq(k->pmem.nr_dirty_pages, 2, "line 46 of the first page is still dirty");
	pmem_flush(k, PFN, 2944, 128);
	cr_assert_eq(k->pmem.nr_dirty_pages, 1);
	pmem_flush(k, PFN + 7, 0, 0);	/* zero length flushes nothing */
	cr_assert_eq(k->pmem.nr_dirty_pages, 1);
	pmem_flush(k, PFN + 7, 0, PAGE_SIZE);
	cr_assert_eq(k->pmem.nr_dirty_pages, 0);
}

/*
 * Issue 8: a page whose lines hold one repeated byte (data=, zeroing) costs
 * a slot and a shared content, a few bytes a page, not 4 KiB per layer.
 */
Test(pmem, uniform_pages_cost_a_few_bytes)
{
	uint8_t data[PAGE_SIZE], out[PAGE_SIZE];
	unsigned long before = k->pmem.bytes;

	memset(data, 1, sizeof(data));
	for (unsigned long i = 0; i < 1024; i++)
		pmem_write_flush(k, PFN + i, 0, data, PAGE_SIZE);
	cr_assert_leq(k->pmem.bytes - before, 1024 * 16, "%lu bytes for 1024 pages",
		      k->pmem.bytes - before);
	pmem_read(k, PFN + 1023, 0, out, PAGE_SIZE);
	cr_assert(all_bytes(out, PAGE_SIZE, 1));
	/* zeroing (ext4_issue_zeroout) is as cheap */
	for (unsigned long i = 0; i < 1024; i++)
		pmem_write_flush(k, PFN + i, 0, NULL, PAGE_SIZE);
	cr_assert_leq(k->pmem.bytes - before, 1024 * 16);
	pmem_read_media(k, PFN + 5, 0, out, PAGE_SIZE);
	cr_assert(all_bytes(out, PAGE_SIZE, 0));
}

/*
 * A store of another value into a uniform line: the CPU sees it at once,
 * the media after the flush only; storing the old value back and flushing
 * makes the page uniform again, and as cheap as before.
 */
Test(pmem, store_into_uniform_line_then_uniform_again)
{
	uint8_t data[PAGE_SIZE], out[PAGE_SIZE], v = 0x5a, one = 1;
	unsigned long uniform;

	memset(data, 1, sizeof(data));
	pmem_write_flush(k, PFN, 0, data, PAGE_SIZE);
	pmem_write_flush(k, PFN + 1, 0, data, PAGE_SIZE);
	uniform = k->pmem.bytes;
	pmem_store(k, PFN, 130, &v, 1);
	pmem_read(k, PFN, 0, out, PAGE_SIZE);
	cr_assert_eq(out[130], 0x5a);
	out[130] = 1;
	cr_assert(all_bytes(out, PAGE_SIZE, 1));
	pmem_read_media(k, PFN, 0, out, PAGE_SIZE);
	cr_assert(all_bytes(out, PAGE_SIZE, 1), "the media has not seen the store");
	pmem_flush(k, PFN, 128, 1);
	pmem_read_media(k, PFN, 130, out, 1);
	cr_assert_eq(out[0], 0x5a);
	pmem_store(k, PFN, 130, &one, 1);
	pmem_flush(k, PFN, 0, PAGE_SIZE);
	cr_assert(pmem_page_durable(k, PFN));
	cr_assert_eq(k->pmem.bytes, uniform, "uniform again: the page shares its content");
}

/* Many different words in a page: every byte still reads back. */
Test(pmem, non_uniform_page_reads_back)
{
	uint8_t data[PAGE_SIZE], out[PAGE_SIZE];

	for (unsigned i = 0; i < PAGE_SIZE; i++)
		data[i] = (uint8_t)(i * 31 + 7);
	pmem_store(k, PFN, 0, data, PAGE_SIZE);
	pmem_flush(k, PFN, 0, 2048);
	pmem_read(k, PFN, 0, out, PAGE_SIZE);
	cr_assert_arr_eq(out, data, PAGE_SIZE);
	pmem_read_media(k, PFN, 0, out, PAGE_SIZE);
	cr_assert_arr_eq(out, data, 2048);
	cr_assert(all_bytes(out + 2048, 2048, 0), "the second half is still in the cache");
	pmem_flush(k, PFN, 2048, 2048);
	pmem_read_media(k, PFN, 0, out, PAGE_SIZE);
	cr_assert_arr_eq(out, data, PAGE_SIZE);
}

/*
 * Pages in one dirty state (a zeroed block with the same byte stored over
 * it: the allocating write fault, issue 8) share it: a slot a page. A page
 * that then changes leaves the others as they were.
 */
Test(pmem, pages_in_one_state_share_it)
{
	uint8_t v = 0x5a, w = 0x77, out[PAGE_SIZE];
	unsigned long before = k->pmem.bytes;

	for (unsigned long i = 0; i < 1024; i++)
		pmem_store(k, PFN + i, 5, &v, 1);
	cr_assert_eq(k->pmem.nr_dirty_pages, 1024);
	cr_assert_leq(k->pmem.bytes - before, 1024 * 16, "%lu bytes for 1024 pages",
		      k->pmem.bytes - before);
	pmem_store(k, PFN + 7, 6, &w, 1);
	pmem_read(k, PFN + 7, 0, out, PAGE_SIZE);
	cr_assert(out[5] == v && out[6] == w);
	out[5] = out[6] = 0;
	cr_assert(all_bytes(out, PAGE_SIZE, 0));
	pmem_read(k, PFN + 8, 0, out, PAGE_SIZE);
	cr_assert(out[5] == v);
	out[5] = 0;
	cr_assert(all_bytes(out, PAGE_SIZE, 0));
	pmem_flush(k, PFN + 8, 0, PAGE_SIZE);
	cr_assert(pmem_page_durable(k, PFN + 8));
	cr_assert_not(pmem_page_durable(k, PFN + 9));
	cr_assert_eq(k->pmem.nr_dirty_pages, 1023);
	pmem_read_media(k, PFN + 9, 0, out, PAGE_SIZE);
	cr_assert(all_bytes(out, PAGE_SIZE, 0), "the media of the others has not seen the store");
	pmem_read_media(k, PFN + 8, 5, out, 1);
	cr_assert_eq(out[0], v);
	/* the same store into the flushed page, now clean, and into a new one */
	pmem_store(k, PFN + 8, 5, &w, 1);
	pmem_store(k, PFN + 2000, 5, &w, 1);
	pmem_read(k, PFN + 8, 5, out, 1);
	cr_assert_eq(out[0], w);
	pmem_read_media(k, PFN + 8, 5, out, 1);
	cr_assert_eq(out[0], v);
	pmem_read(k, PFN + 2000, 0, out, PAGE_SIZE);
	cr_assert(out[5] == w);
	out[5] = 0;
	cr_assert(all_bytes(out, PAGE_SIZE, 0));
	for (unsigned long i = 0; i < 1024; i++)
		pmem_flush(k, PFN + i, 0, PAGE_SIZE);
	pmem_flush(k, PFN + 2000, 0, PAGE_SIZE);
	cr_assert_eq(k->pmem.nr_dirty_pages, 0);
	cr_assert_eq(g_hash_table_size(k->pmem.states), 0);
}

/* pmem_crash(): the unflushed lines are lost, the flushed ones stay. */
Test(pmem, crash_loses_unflushed_lines)
{
	uint8_t a = 0x11, b = 0x22, buf[64];

	pmem_write_flush(k, PFN, 0, NULL, PAGE_SIZE);
	pmem_store(k, PFN, 0, &a, 1);
	pmem_flush(k, PFN, 0, 1);
	pmem_store(k, PFN, 64, &b, 1);
	pmem_store(k, PFN + 1, 0, &b, 1);
	cr_assert_eq(pmem_crash(k, 0), 2);
	cr_assert(pmem_page_durable(k, PFN));
	cr_assert(pmem_page_durable(k, PFN + 1));
	pmem_read(k, PFN, 0, buf, 1);
	cr_assert_eq(buf[0], 0x11);
	pmem_read(k, PFN, 64, buf, 1);
	cr_assert_eq(buf[0], 0);
	pmem_read(k, PFN + 1, 0, buf, 1);
	cr_assert_eq(buf[0], 0);
	cr_assert_eq(k->pmem.nr_dirty_pages, 0);
}

/*
 * With a seed, each dirty line survives or not by (seed, page, line) alone:
 * the same seed keeps the same lines, about half of them, and a surviving
 * line holds its last store whole.
 */
Test(pmem, crash_seed_keeps_a_subset)
{
	struct kernel *k2 = kernel_create(POLICY_DAX_2017, 64UL << 20, 64UL << 20);
	unsigned long lost1, lost2, kept = 0;
	uint8_t v = 0x5a, got1, got2;

	for (unsigned l = 0; l < 64; l++) {
		pmem_store(k, PFN, l * 64, &v, 1);
		pmem_store(k2, PFN, l * 64, &v, 1);
	}
	lost1 = pmem_crash(k, 12345);
	lost2 = pmem_crash(k2, 12345);
	cr_assert_eq(lost1, lost2);
	cr_assert(lost1 > 0 && lost1 < 64, "lost %lu of 64", lost1);
	for (unsigned l = 0; l < 64; l++) {
		pmem_read(k, PFN, l * 64, &got1, 1);
		pmem_read(k2, PFN, l * 64, &got2, 1);
		cr_assert_eq(got1, got2);
		cr_assert(got1 == 0 || got1 == 0x5a);
		kept += got1 == 0x5a;
	}
	cr_assert_eq(kept, 64 - lost1);
	kernel_destroy(k2);
}
