// SPDX-License-Identifier: GPL-2.0
/*
 * model/filemap.c: the page-cache helpers of v4.0 mm/filemap.c over the
 * radix tree: references, locking, nrpages, and DAX entries never returned
 * as pages.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "pagemap.h"

TestSuite(filemap, .init = fx_init_dax_2014, .fini = fx_fini);

Test(filemap, find_or_create_adds_a_locked_zeroed_page)
{
	struct file *f = new_file(16 * P);
	struct address_space *mapping = &f->inode->i_data;
	struct page *page = find_or_create_page(k, mapping, 3);
	uint64_t v = 1;

	cr_assert_not_null(page);
	cr_assert(page->flags & PG_locked);
	cr_assert_eq(page->refcount, 2, "the cache's and the caller's");
	cr_assert_eq(page->mapping, mapping);
	cr_assert_eq(page->index, 3);
	cr_assert_eq(mapping->nrpages, 1);
	cr_assert(page_in_page_cache(page));
	page_read(page, 4000, &v, 8);
	cr_assert_eq(v, 0);
	/* found again: the same page, one more reference, locked again */
	unlock_page(k, page);
	cr_assert_eq(find_or_create_page(k, mapping, 3), page);
	cr_assert_eq(page->refcount, 3);
	cr_assert_eq(mapping->nrpages, 1);
	unlock_page(k, page);
	put_page(k, page);
	put_page(k, page);
}

Test(filemap, find_get_page_takes_a_reference)
{
	struct file *f = new_file(16 * P);
	struct address_space *mapping = &f->inode->i_data;
	struct page *page = find_or_create_page(k, mapping, 0);

	unlock_page(k, page);
	cr_assert_null(find_get_page(k, mapping, 1));
	cr_assert_eq(find_get_page(k, mapping, 0), page);
	cr_assert_eq(page->refcount, 3);
	cr_assert_not(page->flags & PG_locked, "find_get_page does not lock");
	cr_assert_eq(find_lock_page(k, mapping, 0), page);
	cr_assert(page->flags & PG_locked);
	unlock_page(k, page);
	put_page(k, page);
	put_page(k, page);
	put_page(k, page);
}

Test(filemap, add_to_page_cache_refuses_a_taken_index)
{
	struct file *f = new_file(16 * P);
	struct address_space *mapping = &f->inode->i_data;
	struct page *a = find_or_create_page(k, mapping, 7);
	struct page *b = alloc_page(k);

	lock_page(k, b);
	cr_assert_eq(add_to_page_cache_lru(k, b, mapping, 7), -EEXIST);
	cr_assert_null(b->mapping);
	cr_assert_eq(b->refcount, 1);
	cr_assert_eq(add_to_page_cache_lru(k, b, mapping, 8), 0);
	cr_assert_eq(b->refcount, 2);
	cr_assert_eq(mapping->nrpages, 2);
	unlock_page(k, a);
	unlock_page(k, b);
	put_page(k, a);
	put_page(k, b);
}

Test(filemap, delete_drops_the_cache_reference)
{
	struct file *f = new_file(16 * P);
	struct address_space *mapping = &f->inode->i_data;
	struct page *page = find_or_create_page(k, mapping, 2);
	unsigned long used = k->dram.nr_used;

	delete_from_page_cache(k, page);
	cr_assert_null(page->mapping);
	cr_assert_null(entry_at(f, 2));
	cr_assert_eq(mapping->nrpages, 0);
	cr_assert_eq(page->refcount, 1, "the caller's is left");
	cr_assert_not(page_in_page_cache(page));
	unlock_page(k, page);
	put_page(k, page);
	cr_assert_eq(k->dram.nr_used, used - 1, "freed with the last reference");
}

/* A DAX (exceptional) entry is not a page: find_get_page says none. */
Test(filemap, exceptional_entries_are_not_pages)
{
	struct file *f = new_file(16 * P);
	struct address_space *mapping = &f->inode->i_data;

	cr_assert_eq(radix_tree_insert(&mapping->page_tree, 4, 0,
				       (void *)(RADIX_TREE_EXCEPTIONAL_ENTRY | RADIX_DAX_ZERO_PAGE)), 0);
	cr_assert_null(find_get_page(k, mapping, 4));
	cr_assert_null(find_lock_page(k, mapping, 4));
	radix_tree_delete(&mapping->page_tree, 4);
}
