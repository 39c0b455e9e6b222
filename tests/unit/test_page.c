// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/page.c: the accounted DRAM page allocator, page
 * references, and ZERO_PAGE(0). The zero page is what a DAX read of a hole
 * maps (docs/eras/dax-2017.md §3: "insert_pfn takes no page reference, adds
 * no rmap/mapcount and no rss"), so it must survive any number of faults;
 * anonymous COW pages (§4 wp_page_copy / do_cow_fault) come from this
 * allocator and go back to it when zapped (§5, §10).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
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

TestSuite(page, .init = fx_init, .fini = fx_fini);

/* empty_zero_page: reserved, one reference for ever, counted once. */
Test(page, zero_page_at_boot)
{
	struct page *zp = k->dram.zero_page;

	cr_assert_not_null(zp);
	cr_assert(pfn_is_dram(k, zp->pfn));
	cr_assert(is_zero_pfn(k, zp->pfn));
	cr_assert(zp->flags & PG_reserved);
	cr_assert_eq(zp->refcount, 1);
	cr_assert_eq(pfn_to_page(k, zp->pfn), zp);
	cr_assert_eq(dram_bytes_in_use(k), PAGE_SIZE);

	/* Never freed: references come and go around it. */
	for (int i = 0; i < 10; i++)
		get_page(zp);
	for (int i = 0; i < 10; i++)
		put_page(k, zp);
	cr_assert_eq(zp->refcount, 1);
	cr_assert_eq(pfn_to_page(k, zp->pfn), zp);
	cr_assert_eq(dram_bytes_in_use(k), PAGE_SIZE);
}

Test(page, alloc_and_free)
{
	struct page *p = alloc_page(k);

	cr_assert_not_null(p);
	cr_assert_eq(p->refcount, 1);
	cr_assert_eq(p->mapcount, 0);
	cr_assert(pfn_is_dram(k, p->pfn));
	cr_assert_not(is_zero_pfn(k, p->pfn));
	cr_assert_not(pfn_is_pmem(k, p->pfn));
	cr_assert_eq(pfn_to_page(k, p->pfn), p);
	cr_assert_eq(dram_bytes_in_use(k), 2 * PAGE_SIZE);

	unsigned long pfn = p->pfn;

	put_page(k, p);
	cr_assert_eq(dram_bytes_in_use(k), PAGE_SIZE);
	cr_assert_null(pfn_to_page(k, pfn), "a freed pfn has no struct page");
}

Test(page, refcount_keeps_page_until_last_put)
{
	struct page *p = alloc_page(k);

	get_page(p);
	get_page(p);
	cr_assert_eq(p->refcount, 3);
	put_page(k, p);
	put_page(k, p);
	cr_assert_eq(p->refcount, 1);
	cr_assert_eq(dram_bytes_in_use(k), 2 * PAGE_SIZE);
	/* page_mapcount() bookkeeping is separate from the reference count. */
	page_add_anon_rmap(p);
	page_add_anon_rmap(p);
	cr_assert_eq(p->mapcount, 2);
	cr_assert_eq(p->refcount, 1);
	page_remove_rmap(p);
	page_remove_rmap(p);
	cr_assert_eq(p->mapcount, 0);
	put_page(k, p);
	cr_assert_eq(dram_bytes_in_use(k), PAGE_SIZE);
}

Test(page, freed_pfns_are_reused)
{
	struct page *a = alloc_page(k), *b = alloc_page(k), *c = alloc_page(k);
	unsigned long pa = a->pfn, pb = b->pfn, pc = c->pfn;

	cr_assert(pa != pb && pb != pc && pa != pc);
	put_page(k, b);
	b = alloc_page(k);
	cr_assert_eq(b->pfn, pb, "a freed pfn is reused before a new one");
	put_page(k, a);
	put_page(k, c);
	a = alloc_page(k);
	c = alloc_page(k);
	cr_assert((a->pfn == pa && c->pfn == pc) || (a->pfn == pc && c->pfn == pa),
		  "both freed pfns are reused before new ones");
	cr_assert_eq(dram_bytes_in_use(k), 4 * PAGE_SIZE);
	put_page(k, a);
	put_page(k, b);
	put_page(k, c);
}

/* page.h: alloc_page returns NULL when DRAM is exhausted (VM_FAULT_OOM). */
Test(page, oom_at_dram_limit)
{
	struct kernel *small = kernel_create(POLICY_DAX_2017, 1UL << 20, 4 * PAGE_SIZE);
	struct page *p[3];

	for (int i = 0; i < 3; i++) {
		p[i] = alloc_page(small);
		cr_assert_not_null(p[i], "page %d of 3 (the zero page is the 4th)", i);
	}
	cr_assert_null(alloc_page(small));
	cr_assert_eq(dram_bytes_in_use(small), 4 * PAGE_SIZE);
	put_page(small, p[1]);
	p[1] = alloc_page(small);
	cr_assert_not_null(p[1], "freeing a page makes room again");
	cr_assert_null(alloc_page(small));
	for (int i = 0; i < 3; i++)
		put_page(small, p[i]);
	kernel_destroy(small);
}

Test(page, contents_start_zero_and_store)
{
	struct page *p = alloc_page(k);
	uint8_t buf[PAGE_SIZE];
	uint32_t v = 0xabcdef01, got = 0;

	memset(buf, 0xff, sizeof(buf));
	page_read(p, 0, buf, PAGE_SIZE);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		cr_assert_eq(buf[i], 0);
	page_store(k, p, 4092, &v, sizeof(v));
	page_read(p, 4092, &got, sizeof(got));
	cr_assert_eq(got, v);
	page_read(p, 0, &got, sizeof(got));
	cr_assert_eq(got, 0);
	put_page(k, p);
}

/*
 * copy_user_highpage / copy_user_dax: a copy of a pmem block takes what the
 * CPU sees, stores still in the cache included (§4 cow_user_page copies
 * from the user virtual address).
 */
Test(page, copy_from_pmem_and_dram)
{
	struct page *a = alloc_page(k), *b = alloc_page(k);
	unsigned long pfn = PMEM_BASE_PFN + 3;
	uint64_t durable = 0x1111, cached = 0x2222, got;

	pmem_write_flush(k, pfn, 0, &durable, sizeof(durable));
	pmem_store(k, pfn, 8, &cached, sizeof(cached));
	copy_pfn_to_page(k, a, pfn);
	page_read(a, 0, &got, sizeof(got));
	cr_assert_eq(got, durable);
	page_read(a, 8, &got, sizeof(got));
	cr_assert_eq(got, cached);

	copy_pfn_to_page(k, b, a->pfn);
	page_read(b, 8, &got, sizeof(got));
	cr_assert_eq(got, cached);
	put_page(k, a);
	put_page(k, b);
}

/*
 * Through the fault path: zero-page PTEs take no reference (§3), COW pages
 * are allocated (§4) and freed again by munmap's zap (§5).
 */
Test(page, faults_leave_zero_page_alone_and_free_cow_pages)
{
	struct inode *inode = ext4_create(k, true, 16 * PAGE_SIZE);
	struct file *f = file_open(k, inode, FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE, 0);

	cr_assert_geq(a, 0);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(user_access(k, mm, a + i * PAGE_SIZE, 8, false, 0).sig, SIG_NONE);
	cr_assert_eq(k->dram.zero_page->refcount, 1, "insert_pfn takes no page reference");
	cr_assert_eq(k->dram.zero_page->mapcount, 0);
	cr_assert_eq(dram_bytes_in_use(k), PAGE_SIZE);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(user_access(k, mm, a + i * PAGE_SIZE, 8, true, i).sig, SIG_NONE);
	cr_assert_eq(dram_bytes_in_use(k), 9 * PAGE_SIZE, "eight COW pages and the zero page");
	cr_assert_eq(do_munmap(k, mm, a, 16 * PAGE_SIZE), 0);
	cr_assert_eq(dram_bytes_in_use(k), PAGE_SIZE);
	cr_assert_eq(k->dram.zero_page->refcount, 1);
	mm_destroy(k, mm);
	file_close(k, f);
}
