// SPDX-License-Identifier: GPL-2.0
/*
 * mm/readahead.c, v4.14: the readahead window of an open file and the
 * pages it reads into the page cache, for the mmap read-around of
 * filemap_fault() and for read(2) (model/filemap.c). The paths
 * are here: ra_submit() of the read-around window, and
 * page_cache_async_readahead() on a PG_readahead page; and read(2)'s
 * page_cache_sync_readahead() with ondemand_readahead()'s sequential
 * detection (prev_pos, try_context_readahead()).
 */
#include <assert.h>

#include "dax.h"
#include "kernel.h"
#include "lock.h"
#include "page.h"
#include "pagemap.h"

/* file_ra_state_init(): the device's window; no read(2) position yet */
void file_ra_state_init(struct kernel *k, struct file_ra_state *ra,
			struct address_space *mapping)
{
	(void)mapping;		/* inode_to_bdi(mapping->host): one device */
	ra->ra_pages = k->sb.s_bdi_ra_pages;
	ra->prev_pos = -1;
}

/*
 * read_pages(), v4.14: ->readpages when the filesystem has it (ext4 does:
 * ext4_readpages() adds each page to the page cache and reads it), else
 * add_to_page_cache_lru() and ->readpage a page at a time; then the
 * pool's references go (put_pages_list(), put_page()).
 */
static void read_pages(struct kernel *k, struct address_space *mapping,
		       struct file *filp, struct page **pages, unsigned nr_pages)
{
	if (mapping->a_ops->readpages) {
		mapping->a_ops->readpages(k, filp, mapping, pages, nr_pages);
	} else {
		for (unsigned i = 0; i < nr_pages; i++) {
			lock_page(k, pages[i]);	/* __SetPageLocked() in add_to_page_cache_lru() */
			if (!add_to_page_cache_lru(k, pages[i], mapping, pages[i]->index))
				mapping->a_ops->readpage(k, filp, pages[i]);
			else
				unlock_page(k, pages[i]);
		}
	}
	for (unsigned i = 0; i < nr_pages; i++)
		put_page(k, pages[i]);
}

/*
 * __do_page_cache_readahead(), v4.14: a page for every index of [offset,
 * offset + nr_to_read) up to the last page of i_size that the cache does
 * not hold; the one @lookahead_size from the end gets PG_readahead (only
 * if it is read now: a page already cached keeps its flags). Returns how
 * many pages were read.
 */
unsigned long __do_page_cache_readahead(struct kernel *k, struct address_space *mapping,
					struct file *filp, pgoff_t offset,
					unsigned long nr_to_read,
					unsigned long lookahead_size)
{
	struct inode *inode = mapping->host;
	loff_t isize = inode->i_size;
	pgoff_t end_index;	/* the last page we want to read */
	struct page **pool;
	unsigned long ret = 0;

	if (isize == 0 || !nr_to_read)
		return 0;
	end_index = (unsigned long)(isize - 1) >> PAGE_SHIFT;
	pool = g_new(struct page *, nr_to_read);
	for (unsigned long page_idx = 0; page_idx < nr_to_read; page_idx++) {
		pgoff_t page_offset = offset + page_idx;
		void *entry;
		struct page *page;

		if (page_offset > end_index)
			break;
		entry = radix_tree_lookup(&mapping->page_tree, page_offset);
		if (entry && !radix_tree_exceptional_entry(entry))
			continue;
		page = alloc_page(k);	/* __page_cache_alloc() */
		if (!page)
			break;
		page->index = page_offset;
		if (page_idx == nr_to_read - lookahead_size)
			page->flags |= PG_readahead;	/* SetPageReadahead() */
		pool[ret++] = page;
	}
	/* I/O errors are left to the caller's ->readpage of a !uptodate page */
	if (ret)
		read_pages(k, mapping, filp, pool, ret);
	g_free(pool);
	return ret;
}

/*
 * max_sane_readahead(), v4.0 mm/readahead.c L240 (v3.19 alike):
 * MAX_READAHEAD, 2 MiB of pages, at most. v4.5 has none ("mm: use only
 * per-device readahead limit"): the window is the device's ra_pages.
 */
#define MAX_READAHEAD	((512 * 4096) / PAGE_SIZE)

unsigned long max_sane_readahead(const struct kernel *k, unsigned long nr)
{
	if (k->policy.id != POLICY_XIP_2014 && k->policy.id != POLICY_DAX_2014)
		return nr;
	return nr < MAX_READAHEAD ? nr : MAX_READAHEAD;
}

/* ra_submit(), mm/internal.h v4.14 */
unsigned long ra_submit(struct kernel *k, struct file_ra_state *ra,
			struct address_space *mapping, struct file *filp)
{
	return __do_page_cache_readahead(k, mapping, filp, ra->start, ra->size,
					 ra->async_size);
}

/* get_init_ra_size(), v4.14: the first window for a request of @size */
static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = 1;

	while (newsize < size)		/* roundup_pow_of_two() */
		newsize <<= 1;
	if (newsize <= max / 32)
		newsize = newsize * 4;
	else if (newsize <= max / 4)
		newsize = newsize * 2;
	else
		newsize = max;
	return newsize;
}

/* get_next_ra_size(), v4.14: the window ramps up by 4 or 2, up to @max */
static unsigned long get_next_ra_size(struct file_ra_state *ra, unsigned long max)
{
	unsigned long cur = ra->size;
	unsigned long newsize = cur < max / 16 ? 4 * cur : 2 * cur;

	return newsize < max ? newsize : max;
}

/* page_cache_next_hole(), mm/filemap.c v4.14 */
static pgoff_t page_cache_next_hole(struct address_space *mapping, pgoff_t index,
				    unsigned long max_scan)
{
	for (unsigned long i = 0; i < max_scan; i++) {
		void *entry = radix_tree_lookup(&mapping->page_tree, index);

		if (!entry || radix_tree_exceptional_entry(entry))
			break;
		index++;
		if (index == 0)
			break;
	}
	return index;
}

/* page_cache_prev_hole(), mm/filemap.c v4.14 */
static pgoff_t page_cache_prev_hole(struct address_space *mapping, pgoff_t index,
				    unsigned long max_scan)
{
	for (unsigned long i = 0; i < max_scan; i++) {
		void *entry = radix_tree_lookup(&mapping->page_tree, index);

		if (!entry || radix_tree_exceptional_entry(entry))
			break;
		index--;
		if (index == ~0UL)
			break;
	}
	return index;
}

/*
 * try_context_readahead(), v4.14: the pages cached just before @offset
 * (count_history_pages()) say a stream is running: a window of twice
 * that (from the start of the file) or of that plus the request.
 */
static bool try_context_readahead(struct address_space *mapping,
				  struct file_ra_state *ra, pgoff_t offset,
				  unsigned long req_size, unsigned long max)
{
	pgoff_t size = offset - 1 - page_cache_prev_hole(mapping, offset - 1, max);

	if (size <= req_size)		/* not enough history: a random read */
		return false;
	if (size >= offset)		/* from the start of the file */
		size *= 2;
	ra->start = offset;
	ra->size = size + req_size < max ? size + req_size : max;
	ra->async_size = 1;
	return true;
}

static bool readit_merge_uncapped(const struct kernel *k)
{
	return k->policy.id == POLICY_XIP_2014 || k->policy.id == POLICY_DAX_2014 ||
	       k->policy.id == POLICY_DAX_2016;
}

/*
 * ondemand_readahead(), v4.14. bdi->io_pages does not widen the window
 * for a request larger than ra_pages (the model's device has no
 * io_pages): the window is at most ra_pages.
 */
static unsigned long ondemand_readahead(struct kernel *k, struct address_space *mapping,
					struct file_ra_state *ra, struct file *filp,
					bool hit_readahead_marker, pgoff_t offset,
					unsigned long req_size)
{
	unsigned long max_pages = max_sane_readahead(k, ra->ra_pages);	/* v4.0 L383 */
	pgoff_t start, prev_offset;

	/* start of file */
	if (!offset)
		goto initial_readahead;
	/* the expected callback offset: sequential, push the window forward */
	if (offset == ra->start + ra->size - ra->async_size ||
	    offset == ra->start + ra->size) {
		ra->start += ra->size;
		ra->size = get_next_ra_size(ra, max_pages);
		ra->async_size = ra->size;
		goto readit;
	}
	/* a marked page without valid readahead state (interleaved reads) */
	if (hit_readahead_marker) {
		start = page_cache_next_hole(mapping, offset + 1, max_pages);
		if (!start || start - offset > max_pages)
			return 0;
		ra->start = start;
		ra->size = start - offset;	/* old async_size */
		ra->size += req_size;
		ra->size = get_next_ra_size(ra, max_pages);
		ra->async_size = ra->size;
		goto readit;
	}
	/* oversize read */
	if (req_size > max_pages)
		goto initial_readahead;
	/* sequential cache miss: the next page after the last read(2), or the same */
	prev_offset = (unsigned long)ra->prev_pos >> PAGE_SHIFT;
	if (offset - prev_offset <= 1UL)
		goto initial_readahead;
	/* the traces a sequential stream would leave in the page cache */
	if (try_context_readahead(mapping, ra, offset, req_size, max_pages))
		goto readit;
	/* standalone, small random read: as is, the state left alone */
	return __do_page_cache_readahead(k, mapping, filp, offset, req_size, 0);

initial_readahead:
	ra->start = offset;
	ra->size = get_init_ra_size(req_size, max_pages);
	ra->async_size = ra->size > req_size ? ra->size - req_size : ra->size;
readit:
	/* will this read hit its own marker? then merge the next window now */
	if (offset == ra->start && ra->size == ra->async_size) {
		unsigned long add_pages = get_next_ra_size(ra, max_pages);

		/*
		 * v3.19, v4.0 (L468), v4.5 (L457): the next window is added
		 * whole, past max; v4.14 caps it (v4.10, "mm: don't cap
		 * request size based on read-ahead setting").
		 */
		if (readit_merge_uncapped(k)) {
			ra->async_size = add_pages;
			ra->size += add_pages;
		} else if (ra->size + add_pages <= max_pages) {
			ra->async_size = add_pages;
			ra->size += add_pages;
		} else {
			ra->size = max_pages;
			ra->async_size = max_pages >> 1;
		}
	}
	return ra_submit(k, ra, mapping, filp);
}

/*
 * page_cache_async_readahead(), v4.14: @page (at @offset) had
 * PG_readahead; the marker goes and the next window is read. The model
 * has no writeback in flight (PG_reclaim shares the bit) and no congested
 * device.
 */
void page_cache_async_readahead(struct kernel *k, struct address_space *mapping,
				struct file_ra_state *ra, struct file *filp,
				struct page *page, pgoff_t offset,
				unsigned long req_size)
{
	if (!ra->ra_pages)
		return;
	page->flags &= ~PG_readahead;		/* ClearPageReadahead() */
	ondemand_readahead(k, mapping, ra, filp, true, offset, req_size);
}

/*
 * page_cache_sync_readahead(), v4.14: a read(2) found no page at @offset.
 * FMODE_RANDOM (POSIX_FADV_RANDOM) is not in the language.
 */
void page_cache_sync_readahead(struct kernel *k, struct address_space *mapping,
			       struct file_ra_state *ra, struct file *filp,
			       pgoff_t offset, unsigned long req_size)
{
	if (!ra->ra_pages)
		return;
	ondemand_readahead(k, mapping, ra, filp, false, offset, req_size);
}
