// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/truncate.c: mm/truncate.c v4.14 for DAX mappings --
 * truncate_pagecache, truncate_pagecache_range, truncate_inode_pages_range.
 * Expected values come from docs/eras/dax-2017.md §5 and §6.
 */
#include <criterion/criterion.h>

#include "dax.h"
#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "truncate.h"

#define P	PAGE_SIZE

static struct kernel *k;
static struct file *f;
static struct mm_struct *mm;
static unsigned long s, p;	/* a shared and a private mapping of all of f */

static struct access_result load(unsigned long addr)
{
	return user_access(k, mm, addr, 8, false, 0);
}

static struct access_result store(unsigned long addr, uint64_t v)
{
	return user_access(k, mm, addr, 8, true, v);
}

static unsigned long map(int prot, int flags)
{
	long a = do_mmap(k, mm, f, 0, 8 * P, prot, flags, 0);

	cr_assert_geq(a, 0);
	cr_assert_eq(do_madvise(k, mm, a, 8 * P, MADV_NOHUGEPAGE), 0);
	return a;
}

/*
 * An 8-page file, shared mapping s and private mapping p. Index i:
 *   even i: a DIRTY block entry (shared store), read in p (DAX PTE)
 *   odd i:  p has an anonymous COW page (EMPTY entry), s has the zero page
 */
static void fx_init(void)
{
	k = kernel_create(POLICY_DAX_2017, 64UL << 20, 64UL << 20);
	f = file_open(k, ext4_create(k, true, 8 * P), FMODE_READ | FMODE_WRITE);
	mm = mm_create(k);
	s = map(PROT_READ | PROT_WRITE, MAP_SHARED);
	p = map(PROT_READ | PROT_WRITE, MAP_PRIVATE);
	for (int i = 0; i < 8; i++) {
		if (i % 2 == 0) {
			cr_assert_eq(store(s + i * P, 0x100 + i).sig, SIG_NONE);
			cr_assert_eq(load(p + i * P).sig, SIG_NONE);
		} else {
			cr_assert_eq(store(p + i * P, 0x200 + i).sig, SIG_NONE);
			cr_assert_eq(load(s + i * P).sig, SIG_NONE);
		}
	}
	cr_assert_eq(mm->rss[MM_ANONPAGES], 4);
	cr_assert_eq(f->inode->i_data.nrexceptional, 8);
	for (int i = 0; i < 8; i++) {
		void *e = radix_tree_lookup(&f->inode->i_data.page_tree, i);
		pte_t *ps = pte_lookup(mm, s + i * P), *pp = pte_lookup(mm, p + i * P);

		cr_assert_not_null(e);
		cr_assert(ps && pte_present(*ps) && pp && pte_present(*pp));
		if (i % 2 == 0)
			cr_assert(dax_is_block_entry(e) &&
				  radix_tree_tag_get(&f->inode->i_data.page_tree, i,
						     PAGECACHE_TAG_DIRTY));
		else
			cr_assert(pfn_is_dram(k, pte_pfn(*pp)));
	}
}

static void fx_fini(void)
{
	mm_destroy(k, mm);
	file_close(k, f);
	kernel_destroy(k);
}

TestSuite(truncate, .init = fx_init, .fini = fx_fini);

static pte_t pte_at(unsigned long addr)
{
	pte_t *pt = pte_lookup(mm, addr);

	return pt ? *pt : (pte_t){ 0 };
}

static void *entry_at(pgoff_t index)
{
	return radix_tree_lookup(&f->inode->i_data.page_tree, index);
}

/*
 * §5, §6 step 4: truncate_pagecache(newsize) deletes every entry from
 * DIV_ROUND_UP(newsize) on, dirty ones too, and unmaps from
 * round_up(newsize) on with even_cows 1: COW pages go too.
 */
Test(truncate, truncate_pagecache_unaligned)
{
	unsigned long dram = dram_bytes_in_use(k);

	truncate_pagecache(k, f->inode, 2 * P + 1);
	for (int i = 0; i < 3; i++) {
		cr_assert_not_null(entry_at(i), "index %d stays", i);
		cr_assert(pte_present(pte_at(s + i * P)));
		cr_assert(pte_present(pte_at(p + i * P)));
	}
	for (int i = 3; i < 8; i++) {
		cr_assert_null(entry_at(i), "index %d is deleted", i);
		cr_assert(pte_none(pte_at(s + i * P)));
		cr_assert(pte_none(pte_at(p + i * P)), "private index %d is unmapped", i);
	}
	cr_assert(radix_tree_tag_get(&f->inode->i_data.page_tree, 2, PAGECACHE_TAG_DIRTY),
		  "the partial page's entry keeps its tag");
	cr_assert_eq(f->inode->i_data.nrexceptional, 3);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1, "COW pages 3, 5, 7 went, 1 stayed");
	cr_assert_eq(dram_bytes_in_use(k), dram - 3 * P, "and were freed");
}

Test(truncate, truncate_pagecache_aligned)
{
	truncate_pagecache(k, f->inode, 2 * P);
	cr_assert_not_null(entry_at(1));
	cr_assert_null(entry_at(2));
	cr_assert(pte_present(pte_at(p + P)));
	cr_assert(pte_none(pte_at(s + 2 * P)));
	cr_assert(pte_none(pte_at(p + 2 * P)));
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
}

/*
 * §5: truncate_pagecache_range(lstart, lend) unmaps full pages
 * [round_up(lstart), round_down(lend + 1)) once with even_cows 0 -- COW
 * pages stay -- and deletes entries [DIV_ROUND_UP(lstart), (lend+1) >> 12).
 */
Test(truncate, truncate_pagecache_range_keeps_cows)
{
	truncate_pagecache_range(k, f->inode, 100, 4 * P + 99);
	/* Pages 1, 2, 3 are whole; 0 and 4 are partial. */
	for (int i = 0; i < 8; i++) {
		bool inside = i >= 1 && i <= 3;

		cr_assert_eq(entry_at(i) == NULL, inside, "entry %d", i);
		cr_assert_eq(pte_none(pte_at(s + i * P)), inside, "shared PTE %d", i);
		if (i % 2)
			cr_assert(pte_present(pte_at(p + i * P)), "COW page %d stays", i);
		else
			cr_assert_eq(pte_none(pte_at(p + i * P)), inside, "private DAX PTE %d", i);
	}
	cr_assert_eq(mm->rss[MM_ANONPAGES], 4);
	cr_assert_eq(load(p + 3 * P).value, 0x203);
}

/* §5: "only if unmap_end > unmap_start"; no whole page means no entry either. */
Test(truncate, truncate_pagecache_range_within_a_page)
{
	truncate_pagecache_range(k, f->inode, 100, P + 50);
	for (int i = 0; i < 8; i++) {
		cr_assert_not_null(entry_at(i));
		cr_assert(pte_present(pte_at(s + i * P)));
	}
}

/* §5: truncate_inode_pages_range deletes entries only: no unmap. */
Test(truncate, truncate_inode_pages_range_deletes_entries_only)
{
	truncate_inode_pages_range(k, &f->inode->i_data, 5 * P, -1);
	for (int i = 0; i < 8; i++) {
		cr_assert_eq(entry_at(i) == NULL, i >= 5, "entry %d", i);
		cr_assert(pte_present(pte_at(s + i * P)));
	}
	cr_assert_eq(f->inode->i_data.nrexceptional, 5);
	truncate_inode_pages_range(k, &f->inode->i_data, P + 1, 4 * P - 1);
	cr_assert_not_null(entry_at(1), "partial first page stays");
	cr_assert_null(entry_at(2));
	cr_assert_null(entry_at(3));
	cr_assert_not_null(entry_at(4));
}

/*
 * §6 step 4 through ftruncate: PTEs past the new EOF go from every VMA,
 * COW pages included; afterwards the private mapping gets SIGBUS there.
 */
Test(truncate, ftruncate_removes_cow_pages_past_eof)
{
	cr_assert_eq(vfs_truncate(k, f, 4 * P), 0);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 2, "COW pages 1 and 3 stay, 5 and 7 go");
	cr_assert(pte_none(pte_at(p + 5 * P)));
	cr_assert(pte_present(pte_at(p + 3 * P)));
	cr_assert_eq(load(p + 5 * P).sig, SIG_BUS);
	cr_assert_eq(load(p + 3 * P).value, 0x203);
	cr_assert_eq(f->inode->i_blocks, 2, "blocks 0 and 2 stay, 4 and 6 are freed");
}
