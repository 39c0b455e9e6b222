// SPDX-License-Identifier: GPL-2.0
/*
 * mm/filemap.c, v4.0: the page-cache lookups and the insertion and removal
 * of a page, over mapping->page_tree (model/radix-tree.c). A page-cache
 * page is a plain pointer in the tree; DAX entries (v4.5 on) are
 * exceptional ones and are never returned here.
 */
#include <assert.h>

#include "dax.h"
#include "lock.h"
#include "page.h"
#include "pagemap.h"

void lock_page(struct page *page)
{
	/* One thread: nobody else holds it (the explorer will wait here). */
	assert(!(page->flags & PG_locked));
	page->flags |= PG_locked;
}

void unlock_page(struct page *page)
{
	assert(page->flags & PG_locked);
	page->flags &= ~PG_locked;
}

bool page_in_page_cache(const struct page *page)
{
	return page->mapping &&
	       radix_tree_lookup(&page->mapping->page_tree, page->index) == page;
}

/* find_get_entry() without the shadow entries: a page, or NULL. */
struct page *find_get_page(struct kernel *k, struct address_space *mapping,
			   pgoff_t offset)
{
	void *entry = radix_tree_lookup(&mapping->page_tree, offset);
	struct page *page;

	(void)k;
	if (!entry || radix_tree_exceptional_entry(entry))
		return NULL;
	page = entry;
	get_page(page);		/* page_cache_get_speculative() */
	return page;
}

struct page *find_lock_page(struct kernel *k, struct address_space *mapping,
			    pgoff_t offset)
{
	struct page *page = find_get_page(k, mapping, offset);

	if (page)
		lock_page(page);
	return page;
}

int add_to_page_cache_lru(struct kernel *k, struct page *page,
			  struct address_space *mapping, pgoff_t offset)
{
	int error;

	assert(page->flags & PG_locked);
	spin_lock(k, &mapping->tree_lock);
	error = radix_tree_insert(&mapping->page_tree, offset, 0, page);
	if (!error) {
		get_page(page);		/* page_cache_get(): the cache's reference */
		page->mapping = mapping;
		page->index = offset;
		mapping->nrpages++;
	}
	spin_unlock(k, &mapping->tree_lock);
	if (!error)
		trace_index_changed(k, mapping->host, offset);
	return error;
}

/*
 * find_or_create_page(mapping, offset, GFP_KERNEL | __GFP_ZERO), v4.0
 * pagecache_get_page() with FGP_LOCK | FGP_ACCESSED | FGP_CREAT: the page
 * comes from the allocator zeroed (alloc_page() gives a page that reads
 * zero), is locked and added; the caller gets it with its reference.
 */
struct page *find_or_create_page(struct kernel *k, struct address_space *mapping,
				 pgoff_t offset)
{
	struct page *page = find_lock_page(k, mapping, offset);
	int error;

	if (page)
		return page;
	page = alloc_page(k);
	if (!page)
		return NULL;
	lock_page(page);
	error = add_to_page_cache_lru(k, page, mapping, offset);
	/* -EEXIST needs a racing thread: the lookup above just failed */
	assert(!error);
	(void)error;
	return page;
}

/*
 * delete_from_page_cache(), v4.0: __delete_from_page_cache() under
 * tree_lock (the slot cleared, page->mapping NULL, nrpages down), then
 * page_cache_release() of the cache's reference.
 */
void delete_from_page_cache(struct kernel *k, struct page *page)
{
	struct address_space *mapping = page->mapping;
	pgoff_t index = page->index;

	assert(page->flags & PG_locked);
	assert(page_in_page_cache(page));
	spin_lock(k, &mapping->tree_lock);
	radix_tree_delete(&mapping->page_tree, index);
	page->mapping = NULL;
	mapping->nrpages--;
	spin_unlock(k, &mapping->tree_lock);
	trace_index_changed(k, mapping->host, index);
	put_page(k, page);
}
