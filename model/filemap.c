// SPDX-License-Identifier: GPL-2.0
/*
 * mm/filemap.c, v4.0: the page-cache lookups and the insertion and removal
 * of a page, over mapping->page_tree (model/radix-tree.c). A page-cache
 * page is a plain pointer in the tree; DAX entries (v4.5 on) are
 * exceptional ones and are never returned here. And v4.14's fault side of
 * page-cache (non-DAX) files: filemap_fault() with mmap read-around, and
 * filemap_map_pages(), fault-around's ->map_pages.
 */
#include <assert.h>

#include <errno.h>

#include "dax.h"
#include "lock.h"
#include "lockdep.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"
#include "usercopy.h"

/*
 * The sleepers' condition (the stuck report): the page's bit is clear.
 * @bit is the flag's mask (PG_locked).
 */
static bool page_bit_clear(struct kernel *k, const void *obj, unsigned long bit)
{
	const struct page *page = obj;

	return !(page->flags & bit);
}

/*
 * wait_on_page_bit_common(), v4.14 mm/filemap.c L999-1050, on
 * page_waitqueue() (L890: one of 256 queues hashed by page; the model's
 * one queue wakes the same tasks, wake_page_function() skipping other
 * pages): a locker (@lock) is an exclusive sleeper that takes the bit
 * itself when it wakes, or sleeps again at the tail if another took it
 * first; a waiter (wait_on_page_locked()) wakes with the others and
 * returns once the bit is clear.
 */
static void wait_on_page_bit_common(struct kernel *k, struct page *page,
				    unsigned long bit, bool lock)
{
	while (page->flags & bit)
		sleep_on(k, &k->page_wait_table, lock, page_bit_clear, page, bit);
	if (lock)
		page->flags |= bit;	/* test_and_set_bit_lock() */
}

/*
 * lock_page(), v4.14 include/linux/pagemap.h: trylock_page(), else
 * __lock_page() (mm/filemap.c L1193). One thread: nobody else holds it.
 */
void lock_page_at(struct kernel *k, struct page *page, unsigned ld_flags, const char *site)
{
	if (lock_slowpath(k)) {
		lockdep_acquire(k, page, LD_PAGE_LOCK, site, ld_flags, NULL);
		if (sched_active(k)) {
			sched_point(k, "lock_page");
			wait_on_page_bit_common(k, page, PG_locked, true);
			return;
		}
	}
	assert(!(page->flags & PG_locked));
	page->flags |= PG_locked;
}

/*
 * unlock_page(), v4.14 L1125-1131: clear PG_locked and wake_up_page_bit()
 * (L938-985): the page's sleepers up to the first exclusive one. (The
 * PG_waiters bit that lets the kernel skip the queue is not modelled.)
 */
void unlock_page(struct kernel *k, struct page *page)
{
	assert(page->flags & PG_locked);
	page->flags &= ~PG_locked;
	if (lock_slowpath(k)) {
		lockdep_release(k, page);
		if (sched_active(k))
			wake_up_key(k, &k->page_wait_table, page, PG_locked, false);
	}
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

struct page *find_lock_page_at(struct kernel *k, struct address_space *mapping,
			       pgoff_t offset, const char *site)
{
	struct page *page;

repeat:
	page = find_get_page(k, mapping, offset);
	if (page) {
		lock_page_at(k, page, 0, site);
		/* Has the page been truncated? (v4.0 pagecache_get_page() L1089) */
		if (page->mapping != mapping) {
			unlock_page(k, page);
			put_page(k, page);
			goto repeat;
		}
		assert(page->index == offset);
	}
	return page;
}

int add_to_page_cache_lru(struct kernel *k, struct page *page,
			  struct address_space *mapping, pgoff_t offset)
{
	int error;

	assert(page->flags & PG_locked);
	spin_lock(k, &mapping->tree_lock);
	/*
	 * page_cache_tree_insert(), v4.5 mm/filemap.c L602-610: an exceptional
	 * entry in the slot is a DAX entry here (the model keeps no shadow
	 * entries): WARN_ON(dax_mapping(mapping)), -EINVAL. A page: -EEXIST.
	 */
	if (radix_tree_exceptional_entry(radix_tree_lookup(&mapping->page_tree, offset))) {
		spin_unlock(k, &mapping->tree_lock);
		return -EINVAL;
	}
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
	struct page *page;
	int error;

repeat:
	page = find_lock_page(k, mapping, offset);
	if (page)
		return page;
	page = alloc_page(k);
	if (!page)
		return NULL;
	lock_page(k, page);
	error = add_to_page_cache_lru(k, page, mapping, offset);
	if (error) {
		/*
		 * v4.0 mm/filemap.c L1121-1127 (v4.5 the same): another task
		 * added a page since the lookup (-EEXIST: look again), or, in
		 * v4.5, a DAX entry sits there (-EINVAL: NULL, the fault's
		 * VM_FAULT_OOM)
		 */
		unlock_page(k, page);
		put_page(k, page);	/* page_cache_release() */
		if (error == -EEXIST)
			goto repeat;
		return NULL;
	}
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

/*
 * find_get_entries_tag(), mm/filemap.c (v4.5, v4.14): up to @nr entries
 * tagged @tag at or after @start, with no upper bound, in index order.
 */
unsigned find_get_entries_tag(struct address_space *mapping, pgoff_t start,
				     int tag, unsigned nr, void **entries,
				     pgoff_t *indices)
{
	struct radix_tree_iter iter;
	unsigned ret = 0;

	while (ret < nr &&
	       radix_tree_next(&mapping->page_tree, start, ~0UL, tag, &iter)) {
		entries[ret] = iter.entry;
		indices[ret++] = iter.index;
		start = iter.index + (1UL << iter.order);
		if (!start)
			break;
	}
	return ret;
}

/*
 * page_cache_read(), v4.14: a new page at @offset, added to the page cache
 * and read by ->readpage (which unlocks it); -EEXIST (a racing add) is
 * not an error. The caller looks the page up again.
 */
static int page_cache_read(struct kernel *k, struct file *file, pgoff_t offset)
{
	struct address_space *mapping = &file_inode(file)->i_data;
	struct page *page = alloc_page(k);	/* __page_cache_alloc() */
	int ret;

	if (!page)
		return -ENOMEM;
	lock_page(k, page);
	ret = add_to_page_cache_lru(k, page, mapping, offset);
	if (ret == 0)
		ret = mapping->a_ops->readpage(k, file, page);
	else if (ret == -EEXIST)
		ret = 0;
	put_page(k, page);
	return ret;
}

#define MMAP_LOTSAMISS	100

/*
 * maybe_unlock_mmap_for_io(), 6.1 mm/internal.h (filemap-fault-retry):
 * before I/O, a first attempt that may retry (FAULT_FLAG_ALLOW_RETRY
 * without FAULT_FLAG_TRIED) drops the mmap lock; filemap_fault() then
 * returns VM_FAULT_RETRY. The pinned file (fpin) is this bool: one
 * thread cannot close it meanwhile. v4.14 read under the lock.
 */
static bool maybe_unlock_mmap_for_io(struct kernel *k, struct vm_fault *vmf, bool fpin)
{
	if (fpin || !SW(k, FILEMAP_FAULT_RETRY))
		return fpin;
	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY) || (vmf->flags & FAULT_FLAG_TRIED))
		return false;
	up_read(k, &vmf->vma->vm_mm->mmap_sem);	/* mmap_read_unlock() */
	return true;
}

/*
 * do_sync_mmap_readahead(), v4.14 (and 6.1, which drops the mmap lock
 * first, returning whether it did): on a miss, the read-around window
 * centred on the fault, ra_pages long, with its last quarter marked for
 * async readahead. MADV_RANDOM and MADV_SEQUENTIAL (VM_RAND_READ,
 * VM_SEQ_READ) are not in the model's madvise, so their branches are not
 * taken; a file that misses much more than it hits stops reading around.
 * 6.1's VM_HUGEPAGE branch needs CONFIG_TRANSPARENT_HUGEPAGE's read of
 * PMD folios, which ext4 page-cache VMAs (no VM_HUGEPAGE) do not take.
 * v4.5 (L1947) reads the same; v4.0 (L1780) and v3.19 cap the window at
 * max_sane_readahead() (2 MiB).
 */
static bool do_sync_mmap_readahead(struct kernel *k, struct vm_fault *vmf,
				   struct file_ra_state *ra, struct file *file,
				   pgoff_t offset)
{
	struct address_space *mapping = &file_inode(file)->i_data;
	/* v3.19, v4.0 (L1814): max_sane_readahead(ra->ra_pages) */
	unsigned long ra_pages = max_sane_readahead(k, ra->ra_pages);
	bool fpin = false;

	if (!ra_pages)
		return fpin;
	if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss++;
	if (ra->mmap_miss > MMAP_LOTSAMISS)
		return fpin;
	/* mmap read-around */
	fpin = maybe_unlock_mmap_for_io(k, vmf, fpin);
	ra->start = offset > ra_pages / 2 ? offset - ra_pages / 2 : 0;
	ra->size = ra_pages;
	ra->async_size = ra_pages / 4;
	ra_submit(k, ra, mapping, file);
	return fpin;
}

/*
 * do_async_mmap_readahead(), v4.14: a hit; a PG_readahead page reads on
 * (6.1: after dropping the mmap lock)
 */
static bool do_async_mmap_readahead(struct kernel *k, struct vm_fault *vmf,
				    struct file_ra_state *ra, struct file *file,
				    struct page *page, pgoff_t offset)
{
	bool fpin = false;

	if (ra->mmap_miss > 0)
		ra->mmap_miss--;
	if (page->flags & PG_readahead) {
		fpin = maybe_unlock_mmap_for_io(k, vmf, fpin);
		page_cache_async_readahead(k, &file_inode(file)->i_data, ra, file,
					   page, offset, ra->ra_pages);
	}
	return fpin;
}

/*
 * lock_page_or_retry(), v4.0 include/linux/pagemap.h L474 (v4.5 L486,
 * v4.14 L502, the same): trylock_page(), else __lock_page_or_retry() (v4.0
 * mm/filemap.c L838-868, v4.5 L936, v4.14 L1220-1250): a fault that may retry
 * (FAULT_FLAG_ALLOW_RETRY) drops mmap_sem, waits for the unlock
 * (wait_on_page_locked_killable()) and returns 0: the fault returns
 * VM_FAULT_RETRY; one that may not (the arch handler's retry) sleeps for
 * the lock and returns 1. With one thread the page is never locked. No
 * signals in the model: the killable waits do not fail, and
 * FAULT_FLAG_RETRY_NOWAIT is never passed.
 */
/* trylock_page() for a fault: a lock it would wait for, lockdep orders it as one */
static bool trylock_page_fault(struct kernel *k, struct page *page, const char *site)
{
	if (page->flags & PG_locked)
		return false;
	if (lock_slowpath(k))
		lockdep_acquire(k, page, LD_PAGE_LOCK, site, 0, NULL);
	page->flags |= PG_locked;
	return true;
}

int lock_page_or_retry_at(struct kernel *k, struct page *page, struct vm_fault *vmf,
			  const char *site)
{
	might_sleep(k, "lock_page_or_retry");
	if (trylock_page_fault(k, page, site))
		return 1;
	assert(sched_active(k) && "page locked with one thread");
	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY)) {
		lockdep_acquire(k, page, LD_PAGE_LOCK, site, 0, NULL);
		wait_on_page_bit_common(k, page, PG_locked, true);
		return 1;
	}
	up_read(k, &vmf->vma->vm_mm->mmap_sem);
	wait_on_page_bit_common(k, page, PG_locked, false);
	return 0;
}

/*
 * The page lock for filemap_fault(): v4.14 lock_page_or_retry().
 * filemap-fault-retry (6.1 lock_folio_maybe_drop_mmap(), mm/filemap.c
 * L2944-2975): drops the mmap lock if it may (maybe_unlock_mmap_for_io()),
 * then sleeps for the page lock and returns 1; the fault retries later
 * (fpin).
 */
static int lock_page_maybe_drop_mmap(struct kernel *k, struct vm_fault *vmf,
				     struct page *page, bool *fpin)
{
	if (!SW(k, FILEMAP_FAULT_RETRY))
		return lock_page_or_retry_at(k, page, vmf, "filemap_fault");
	might_sleep(k, "lock_page_or_retry");
	if (trylock_page_fault(k, page, "filemap_fault"))
		return 1;
	assert(sched_active(k) && "page locked with one thread");
	*fpin = maybe_unlock_mmap_for_io(k, vmf, *fpin);
	lockdep_acquire(k, page, LD_PAGE_LOCK, "filemap_fault", 0, NULL);
	wait_on_page_bit_common(k, page, PG_locked, true);
	return 1;
}

/*
 * filemap_fault(), v4.14 mm/filemap.c: the page at vmf->pgoff from the
 * page cache, read in (with read-around) on a miss, which makes the fault
 * VM_FAULT_MAJOR; returned locked and uptodate with a reference, after the
 * i_size re-check under the page lock. Under sched_run() the page lock
 * may make the fault wait or retry, and a truncate between the lookup and
 * the lock sends it back to the lookup. The model's reads do not fail, so a page is uptodate once
 * ->readpage returns.
 *
 * filemap-fault-retry (6.1 filemap_fault() L3100): the readahead or the
 * read drops the mmap lock (fpin), and once the page is found uptodate the
 * fault returns VM_FAULT_RETRY (with VM_FAULT_MAJOR if it missed) without
 * mapping it; the retry (FAULT_FLAG_TRIED) finds it and skips async
 * readahead. 6.1 reads a missing page with readahead off by adding a
 * !uptodate folio and filemap_read_folio() after dropping the lock; the
 * model's page_cache_read() is that read.
 */
int filemap_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct inode *inode = file_inode(file);
	struct address_space *mapping = &inode->i_data;
	struct file_ra_state *ra = &file->f_ra;
	pgoff_t offset = vmf->pgoff;
	struct page *page;
	bool fpin = false;
	int ret = 0;
	int error;

	if (offset >= DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE))
		return VM_FAULT_SIGBUS;
	/* Do we have something in the page cache already? */
	page = find_get_page(k, mapping, offset);
	if (page) {
		/* found: try async readahead before waiting for the lock */
		if (!(vmf->flags & FAULT_FLAG_TRIED))
			fpin = do_async_mmap_readahead(k, vmf, ra, file, page, offset);
	} else {
		/* no page in the page cache at all */
		fpin = do_sync_mmap_readahead(k, vmf, ra, file, offset);
		ret = VM_FAULT_MAJOR;	/* count_vm_event(PGMAJFAULT) */
retry_find:
		page = find_get_page(k, mapping, offset);
		if (!page)
			goto no_cached_page;
	}
	if (!lock_page_maybe_drop_mmap(k, vmf, page, &fpin)) {
		put_page(k, page);
		return ret | VM_FAULT_RETRY;
	}
	/* Did it get truncated? (v4.14 L2447, 6.1 L3161) */
	if (page->mapping != mapping) {
		unlock_page(k, page);
		put_page(k, page);
		goto retry_find;
	}
	assert(page->index == offset);
	assert(page->flags & PG_uptodate);
	/* 6.1: we dropped the mmap lock: the upper layer redoes the fault */
	if (fpin) {
		unlock_page(k, page);
		put_page(k, page);
		return ret | VM_FAULT_RETRY;
	}
	/* we must recheck i_size under page lock */
	if (offset >= DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE)) {
		unlock_page(k, page);
		put_page(k, page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return ret | VM_FAULT_LOCKED;

no_cached_page:
	/* read-around off (ra_pages 0, or too many misses): this page alone */
	fpin = maybe_unlock_mmap_for_io(k, vmf, fpin);
	error = page_cache_read(k, file, offset);
	if (error >= 0)
		goto retry_find;
	/* 6.1: with the lock dropped, any failure retries (out_retry) */
	if (fpin)
		return ret | VM_FAULT_RETRY;
	if (error == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_SIGBUS;
}

/* The policies of a release before v4.14: xip-2014, dax-2014, dax-2016 */
static bool before_v4_14(const struct kernel *k)
{
	return k->policy.id == POLICY_XIP_2014 || k->policy.id == POLICY_DAX_2014 ||
	       k->policy.id == POLICY_DAX_2016;
}

static bool pte_none_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t *ptep = pte_lookup(mm, addr);

	return !ptep || pte_none(*ptep);
}

/*
 * filemap_map_pages(), v4.14: fault-around's ->map_pages. Each page the
 * page cache holds in [start_pgoff, end_pgoff] that is uptodate, not
 * marked for readahead and not locked, still this mapping's and below
 * i_size gets a read-only PTE (alloc_set_pte(), which leaves a PTE that
 * is already there alone); the rest are skipped, and the walk goes on.
 * No huge pages in the page cache here: ext4 has none in v4.14.
 * v4.0 (L1988), v4.5 (L2153) and v3.19 test the same, with the present
 * PTE tested before the mmap_miss count.
 */
void filemap_map_pages(struct kernel *k, struct vm_fault *vmf,
		       pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = &file_inode(file)->i_data;
	unsigned long first_address = vmf->address;
	struct radix_tree_iter iter;
	pgoff_t index = start_pgoff;

	while (index <= end_pgoff &&
	       radix_tree_next(&mapping->page_tree, index, end_pgoff, -1, &iter)) {
		struct page *page = radix_tree_lookup(&mapping->page_tree, iter.index);
		unsigned long max_idx;

		index = iter.index + 1;
		if (!page || radix_tree_exceptional_entry(page))
			goto next;
		get_page(page);		/* page_cache_get_speculative() */
		if (!(page->flags & PG_uptodate))
			goto skip;
		if ((page->flags & PG_readahead) && !SW(k, BUG_FAULTAROUND_READAHEAD))
			goto skip;
		if (page->flags & PG_locked)	/* !trylock_page() */
			goto skip;
		lock_page_at(k, page, LD_TRY, __func__);
		if (page->mapping != mapping || !(page->flags & PG_uptodate))
			goto unlock;
		max_idx = DIV_ROUND_UP((unsigned long)mapping->host->i_size, PAGE_SIZE);
		if (page->index >= max_idx && !SW(k, BUG_FAULTAROUND_PAST_EOF))
			goto unlock;
		vmf->address = first_address + ((iter.index - start_pgoff) << PAGE_SHIFT);
		/*
		 * v3.19, v4.0 (L2039), v4.5 (L2204): a present PTE is skipped
		 * before the page counts as a hit (mmap_miss--); v4.14 leaves
		 * it to alloc_set_pte(), after the count.
		 */
		if (before_v4_14(k) && !pte_none_at(vmf->vma->vm_mm, vmf->address))
			goto unlock;
		if (file->f_ra.mmap_miss > 0)
			file->f_ra.mmap_miss--;
		if (alloc_set_pte(k, vmf, page))
			goto unlock;
		trace_map_pages(k, vmf, page, start_pgoff, end_pgoff);
		unlock_page(k, page);
		goto next;
unlock:
		unlock_page(k, page);
skip:
		put_page(k, page);
next:
		if (iter.index >= end_pgoff)
			break;
	}
}

/*
 * generic_file_buffered_read(), v4.14 (generic_file_read_iter() without
 * IOCB_DIRECT): page by page from the page cache; a missing page starts
 * synchronous readahead for the rest of the request
 * (page_cache_sync_readahead()), a marked one asynchronous readahead; a
 * page readahead did not bring (readahead off) is added and read alone.
 * Stops at i_size. The file's prev_pos records where the read ended, for
 * the next one's sequential detection. The model's reads complete at once
 * and never fail, so every page found is uptodate. v4.5's (L1629), v4.0's
 * (L1463) and v3.19's do_generic_file_read() is the same loop without the
 * s_maxbytes test.
 */
ssize_t generic_file_buffered_read(struct kernel *k, struct file *filp, loff_t pos,
				   const struct iov_iter *to)
{
	size_t len = to->count;
	ssize_t error = 0;
	struct address_space *mapping = &file_inode(filp)->i_data;
	struct inode *inode = mapping->host;
	struct file_ra_state *ra = &filp->f_ra;
	pgoff_t index = (unsigned long)pos >> PAGE_SHIFT;
	pgoff_t prev_index = (unsigned long)ra->prev_pos >> PAGE_SHIFT;
	unsigned prev_offset = ra->prev_pos & (PAGE_SIZE - 1);
	pgoff_t last_index = ((unsigned long)pos + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned long offset = pos & ~PAGE_MASK;
	size_t done = 0;

	/* v4.14's; v4.5's, v4.0's and v3.19's do_generic_file_read() has no such test */
	if (!before_v4_14(k) && pos >= k->sb.s_maxbytes)
		return 0;
	while (done < len) {
		struct page *page;
		loff_t isize;
		pgoff_t end_index;
		unsigned long nr, ret;

		if (fatal_signal_pending(k))
			break;
		page = find_get_page(k, mapping, index);
		if (!page) {
			page_cache_sync_readahead(k, mapping, ra, filp, index, last_index - index);
			page = find_get_page(k, mapping, index);
			if (!page && page_cache_read(k, filp, index) < 0)
				break;		/* -ENOMEM: what was read so far */
			if (!page)
				continue;	/* find_page again */
		}
		if (page->flags & PG_readahead)
			page_cache_async_readahead(k, mapping, ra, filp, page, index,
						   last_index - index);
		assert(page->flags & PG_uptodate);
		isize = inode->i_size;
		end_index = (unsigned long)(isize - 1) >> PAGE_SHIFT;
		if (!isize || index > end_index) {
			put_page(k, page);
			break;
		}
		nr = PAGE_SIZE;
		if (index == end_index) {
			nr = ((isize - 1) & ~PAGE_MASK) + 1;
			if (nr <= offset) {
				put_page(k, page);
				break;
			}
		}
		nr -= offset;
		if (nr > len - done)
			nr = len - done;
		/* mark_page_accessed() when not the last page read: no LRU here */
		prev_index = index;
		/*
		 * copy_page_to_iter(), with the page held: into user memory it
		 * faults on the buffer; what it copied counts, and a short copy
		 * ends the read with -EFAULT (v4.14 L2101-2110, 6.1 filemap_read()
		 * L2759-2764; v3.19/v4.0/v4.5 do_generic_file_read() alike).
		 */
		ret = copy_pfn_to_iter(k, to, done, page->pfn, offset, nr);
		if (ret < nr) {
			error = -EFAULT;
			nr = ret;
		}
		offset += nr;
		index += offset >> PAGE_SHIFT;
		offset &= ~PAGE_MASK;
		prev_offset = offset;
		put_page(k, page);
		done += nr;
		if (error)
			break;
	}
	/* in unsigned arithmetic: prev_index may be -1 >> PAGE_SHIFT (no read yet) */
	ra->prev_pos = (loff_t)(((uint64_t)prev_index << PAGE_SHIFT) | prev_offset);
	return done ? (ssize_t)done : error;
}
