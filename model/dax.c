// SPDX-License-Identifier: GPL-2.0
/*
 * fs/dax.c, v4.14 (the dax-2017 policy). Function names and the order of
 * steps follow the kernel; docs/eras/dax-2017.md cites each one.
 */
#include <assert.h>

#include "dax.h"
#include "huge_mm.h"
#include "lock.h"
#include "mm.h"
#include "nvdimm.h"
#include "pagemap.h"
#include "pgtable.h"
#include "page.h"
#include "pmem.h"
#include "trace_dax.h"

/*
 * The fs_dax tracepoints: a disabled hook costs one branch; the record is
 * filled out of line. A path the model does not have (VM_FAULT_NOTMODELLED)
 * traces nothing: the kernel would have gone on.
 */
static __attribute__((noinline)) void
dax_trace_fault(struct kernel *k, enum dax_trace_id id, struct inode *inode,
		struct vm_fault *vmf, pgoff_t max_pgoff, int result, void *entry)
{
	struct dax_trace_event ev = {
		.id = id,
		.dev = k->sb.s_dev,
		.ino = inode->i_ino,
		.mm = vmf->vma->vm_mm,
		.vm_start = vmf->vma->vm_start,
		.vm_end = vmf->vma->vm_end,
		.vm_flags = vmf->vma->vm_flags,
		.address = vmf->address,
		.pgoff = vmf->pgoff,
		.max_pgoff = max_pgoff,
		.flags = vmf->flags,
		.result = result,
		.radix_entry = (uintptr_t)entry,
		.write = vmf->flags & FAULT_FLAG_WRITE,
	};

	if (!(result & VM_FAULT_NOTMODELLED))
		k->hooks.trace(k->hooks.trace_ctx, &ev);
}

static __attribute__((noinline)) void
dax_trace_writeback(struct kernel *k, enum dax_trace_id id, struct inode *inode,
		    pgoff_t start, pgoff_t end_or_len)
{
	struct dax_trace_event ev = {
		.id = id,
		.dev = k->sb.s_dev,
		.ino = inode->i_ino,
		.pgoff = start,
		.pglen = end_or_len,
		.start_index = start,
		.end_index = end_or_len,
	};

	k->hooks.trace(k->hooks.trace_ctx, &ev);
}

/* dax_pte_fault_class and dax_pmd_fault_class (max_pgoff) */
static inline void trace_dax_fault(struct kernel *k, enum dax_trace_id id,
				   struct inode *inode, struct vm_fault *vmf,
				   pgoff_t max_pgoff, int result)
{
	if (k->hooks.trace)
		dax_trace_fault(k, id, inode, vmf, max_pgoff, result, NULL);
}

static inline void trace_dax_insert_mapping(struct kernel *k, struct inode *inode,
					    struct vm_fault *vmf, void *entry)
{
	/* 6.1 defines the event but no code fires it (dax-xarray) */
	if (k->hooks.trace && !SW(k, DAX_XARRAY))
		dax_trace_fault(k, TRACE_DAX_INSERT_MAPPING, inode, vmf, 0, 0, entry);
}

/* The pfn an entry's sector names (dax_direct_access in dax_writeback_one). */
static unsigned long dax_radix_pfn(const void *entry)
{
	return PMEM_BASE_PFN + dax_entry_block(entry);
}

/*
 * dax-xarray: the number 6.1 keeps for an entry, as its tracepoints print
 * it: dax_make_entry() = xa_mk_value(pfn << DAX_SHIFT | flags) (6.1
 * fs/dax.c L77-88: DAX_SHIFT 4, LOCKED 1, PMD 2, ZERO_PAGE 4, EMPTY 8;
 * xa_mk_value(v) = v << 1 | 1), without the lock bit, as the fault holds
 * it. A zero entry holds the zero page's pfn (@zero_pfn: the 4 KiB one or
 * the huge one), an empty entry pfn 0. The model's tree keeps v4.14's
 * sector layout; only the printed number follows 6.1.
 */
static uintptr_t dax_xa_entry_value(const void *entry, unsigned long zero_pfn)
{
	unsigned long flags = 0, pfn = 0;

	if (dax_is_pmd_entry(entry))
		flags |= 1UL << 1;
	if (dax_is_zero_entry(entry)) {
		flags |= 1UL << 2;
		pfn = zero_pfn;
	} else if (dax_is_empty_entry(entry)) {
		flags |= 1UL << 3;
	} else {
		pfn = dax_radix_pfn(entry);
	}
	return ((pfn << 4 | flags) << 1) | 1;
}

/* dax_pmd_load_hole_class and dax_pmd_insert_mapping_class */
static __attribute__((noinline)) void
dax_trace_pmd(struct kernel *k, enum dax_trace_id id, struct inode *inode,
	      struct vm_fault *vmf, unsigned long pfn, long length, void *entry)
{
	struct dax_trace_event ev = {
		.id = id,
		.dev = k->sb.s_dev,
		.ino = inode->i_ino,
		.mm = vmf->vma->vm_mm,
		.vm_flags = vmf->vma->vm_flags,
		.address = vmf->address,
		.write = vmf->flags & FAULT_FLAG_WRITE,
		.zero_page_pfn = pfn,
		.pfn = pfn,
		.length = length,
		.radix_entry = (uintptr_t)entry,
	};

	k->hooks.trace(k->hooks.trace_ctx, &ev);
}

static inline void trace_dax_pmd(struct kernel *k, enum dax_trace_id id,
				 struct inode *inode, struct vm_fault *vmf,
				 unsigned long pfn, long length, void *entry)
{
	if (!k->hooks.trace)
		return;
	/* 6.1 fires no dax_pmd_insert_mapping(_fallback) (dax-xarray) */
	if (SW(k, DAX_XARRAY) && (id == TRACE_DAX_PMD_INSERT_MAPPING ||
				  id == TRACE_DAX_PMD_INSERT_MAPPING_FALLBACK))
		return;
	if (SW(k, DAX_XARRAY) && entry)
		entry = (void *)dax_xa_entry_value(entry, pfn);
	dax_trace_pmd(k, id, inode, vmf, pfn, length, entry);
}

/* dax_writeback_range_class (start, end) and dax_writeback_one (pgoff, pglen) */
static inline void trace_dax_writeback(struct kernel *k, enum dax_trace_id id,
				       struct inode *inode, pgoff_t a, pgoff_t b)
{
	if (k->hooks.trace)
		dax_trace_writeback(k, id, inode, a, b);
}

/*
 * dax_iomap_sector() + bdev_dax_pgoff() + dax_direct_access(), v4.14: the
 * pmem pfn of file offset @pos in @iomap (the fs block is the device page).
 */
static unsigned long dax_iomap_pfn(const struct iomap *iomap, loff_t pos)
{
	return PMEM_BASE_PFN + iomap->block + ((pos - iomap->offset) >> PAGE_SHIFT);
}

/* The indices an entry covers changed: all 512 of a PMD entry. */
static void trace_entry_changed(struct kernel *k, struct inode *inode,
				pgoff_t index, void *entry)
{
	if (dax_is_pmd_entry(entry))
		trace_range_changed(k, inode, index & ~PG_PMD_COLOUR, PMD_SIZE >> PAGE_SHIFT);
	else
		trace_index_changed(k, inode, index);
}

static void *dax_radix_locked_entry(unsigned long sector, unsigned long flags)
{
	return (void *)(RADIX_TREE_EXCEPTIONAL_ENTRY | flags |
			(sector << RADIX_DAX_SHIFT) | RADIX_DAX_ENTRY_LOCK);
}

static unsigned int dax_radix_order(void *entry)
{
	return dax_is_pmd_entry(entry) ? PMD_SHIFT - PAGE_SHIFT : 0;
}

/*
 * dax_entry_waitqueue(), v4.14 L127-145: the key of an entry's waiters is
 * the mapping and the index, PMD-aligned for a PMD entry so that every
 * index it covers waits on one lock. The kernel hashes the key to one of
 * 4096 queues; wake_exceptional_entry_func() (L147-158) skips sleepers of
 * other keys without counting them against an exclusive wakeup, so the
 * model's one queue wakes the same tasks.
 */
static pgoff_t dax_entry_key(pgoff_t index, const void *entry)
{
	return dax_is_pmd_entry(entry) ? index & ~PG_PMD_COLOUR : index;
}

/* A sleeper's condition: the entry its key names is no longer locked. */
static bool dax_entry_unlocked(struct kernel *k, const void *obj, unsigned long index)
{
	const struct address_space *mapping = obj;
	void *entry = radix_tree_lookup(&mapping->page_tree, index);

	return !entry || !radix_tree_exceptional_entry(entry) || !dax_is_locked(entry);
}

/*
 * dax_wake_mapping_entry_waiter(), v4.14 L167-182: wake the first sleeper
 * of the entry's key, or all of them. With one thread nobody sleeps.
 */
static void dax_wake_mapping_entry_waiter(struct kernel *k,
					  struct address_space *mapping,
					  pgoff_t index, void *entry, bool wake_all)
{
	if (sched_active(k))
		wake_up_key(k, &k->dax_wait_table, mapping,
			    dax_entry_key(index, entry), wake_all);
}

/*
 * The wait in get_unlocked_mapping_entry(), v4.14 L250-263, with tree_lock
 * held: sleep (exclusive) on the entry's wait queue with tree_lock
 * dropped, look again, until the entry at @index is not locked. Out of
 * line: with one thread nobody can hold an entry lock, so finding one
 * locked is a model bug.
 */
static __attribute__((noinline)) void *
dax_wait_entry_unlocked(struct kernel *k, struct address_space *mapping,
			pgoff_t index, void *entry, void ***slotp)
{
	assert(sched_active(k) && "entry locked with one thread");
	if (SW(k, BUG_ENTRY_WAIT_STALE)) {
		/* the slip: poll the copy read before the wait; it stays locked */
		spin_unlock(k, &mapping->tree_lock);
		while (dax_is_locked(entry))
			cond_resched(k);
		spin_lock(k, &mapping->tree_lock);
	}
	do {
		/* prepare_to_wait_exclusive() under tree_lock: no wakeup is missed */
		spin_unlock(k, &mapping->tree_lock);
		sleep_on(k, &k->dax_wait_table, true, dax_entry_unlocked,
			 mapping, dax_entry_key(index, entry));
		spin_lock(k, &mapping->tree_lock);
		*slotp = radix_tree_lookup_slot(&mapping->page_tree, index);
		entry = *slotp ? **slotp : NULL;
	} while (entry && radix_tree_exceptional_entry(entry) && dax_is_locked(entry));
	return entry;
}

/*
 * get_unlocked_mapping_entry(), v4.14 L233-265, called and returning with
 * tree_lock held: the entry at @index and its slot, once nobody holds its
 * lock (another thread in a fault or writeback on it). Inline: the
 * callers keep k, mapping and index anyway, the wait is out of line.
 */
static inline __attribute__((always_inline)) void *__get_unlocked_mapping_entry(struct kernel *k,
					struct address_space *mapping,
					pgoff_t index, void ***slotp, bool grab)
{
	void **slot = radix_tree_lookup_slot(&mapping->page_tree, index);
	void *entry = slot ? *slot : NULL;

	*slotp = slot;
	if (entry && radix_tree_exceptional_entry(entry) && dax_is_locked(entry)) {
		/*
		 * bug-fault-no-entry-wait: grab_mapping_entry() takes the entry
		 * as it is, locked (v4.14 L335, 6.1 L591 without
		 * get_unlocked_entry()'s wait); it is "locked" again, as if
		 * this task held it.
		 */
		if (grab && SW(k, BUG_FAULT_NO_ENTRY_WAIT))
			return entry;
		return dax_wait_entry_unlocked(k, mapping, index, entry, slotp);
	}
	return entry;
}

#define get_unlocked_mapping_entry(k, mapping, index, slotp) \
	__get_unlocked_mapping_entry(k, mapping, index, slotp, false)

/*
 * put_unlocked_mapping_entry(), v4.14 L291-299: a caller that looked up an
 * entry and did not lock it passes the exclusive wakeup it may have had
 * on to the next sleeper.
 */
static void put_unlocked_mapping_entry(struct kernel *k,
				       struct address_space *mapping,
				       pgoff_t index, void *entry)
{
	/* a page (the kernel WARNs) has no key: its bits are a host address */
	if (entry && radix_tree_exceptional_entry(entry))
		dax_wake_mapping_entry_waiter(k, mapping, index, entry, false);
}

/*
 * 6.1's put_unlocked_entry(xas, entry, WAKE_ALL) (fs/dax.c L278-L283):
 * the same for an entry that is there, every sleeper of its key.
 */
static void put_unlocked_mapping_entry_all(struct kernel *k,
					   struct address_space *mapping,
					   pgoff_t index, void *entry)
{
	if (entry && radix_tree_exceptional_entry(entry))
		dax_wake_mapping_entry_waiter(k, mapping, index, entry, true);
}

/*
 * The entry lock for lockdep (lockdep.h): one class for every entry, the
 * mapping's tree as the object (a task holds one entry lock of a mapping
 * at a time). get_unlocked_mapping_entry() waits for it with tree_lock
 * dropped, so it depends on what the task held before, not on tree_lock.
 */
static __attribute__((noinline)) void
dax_entry_acquire_slow(struct kernel *k, struct address_space *mapping, const char *site)
{
	lockdep_acquire(k, &mapping->page_tree, LD_DAX_ENTRY_LOCK, site, 0, &mapping->tree_lock);
}

static inline void dax_entry_acquire(struct kernel *k, struct address_space *mapping,
				     const char *site)
{
	if (lock_slowpath(k))
		dax_entry_acquire_slow(k, mapping, site);
}

/* lock_slot(): set the lock bit in the slot. */
#define lock_slot(k, mapping, slot)	lock_slot_at(k, mapping, slot, __func__)
static void *lock_slot_at(struct kernel *k, struct address_space *mapping, void **slot,
			  const char *site)
{
	void *locked = (void *)((uintptr_t)*slot | RADIX_DAX_ENTRY_LOCK);

	dax_entry_acquire(k, mapping, site);
	radix_tree_replace_slot(slot, locked);
	return locked;
}

/*
 * The end of dax_unlock_mapping_entry() under sched_run(): the point after
 * the tree lock's release (the kernel may be preempted there), then the
 * wakeup for the entry as it was unlocked (@slot's, read before the point).
 */
static __attribute__((noinline)) void
dax_unlock_wake(struct kernel *k, struct address_space *mapping, pgoff_t index,
		void **slot)
{
	void *entry = *slot;

	sched_point(k, "dax_wake_mapping_entry_waiter");
	dax_wake_mapping_entry_waiter(k, mapping, index, entry, false);
}

/*
 * The entry lock's release for lockdep, then the wakeup under sched_run().
 * The kernel's lockdep does not see entry locks (a bit in the entry); the
 * model's follows the bit, and releases only what this task took: a bug
 * variant can have a task clear another's bit
 * (bug-pmd-downgrade-no-lock) or find its own gone (the WARN below).
 */
static void dax_entry_release(struct kernel *k, struct address_space *mapping)
{
	if (lockdep_holds(k, &mapping->page_tree))
		lockdep_release(k, &mapping->page_tree);
}

static __attribute__((noinline)) void
dax_unlock_slow(struct kernel *k, struct address_space *mapping, pgoff_t index, void **slot)
{
	dax_entry_release(k, mapping);
	if (sched_active(k))
		dax_unlock_wake(k, mapping, index, slot);
}

/*
 * v4.14 L271-275: WARN_ON_ONCE and return, nothing unlocked: the entry
 * its owner locked is gone or is another one. Only a bug variant gets
 * here: bug-pmd-downgrade-no-lock (the downgrade deleted the entry this
 * task had locked) or bug-truncate-no-entry-wait (a deletion did not wait
 * for it), or bug-fault-no-entry-wait (the other fault, which held the
 * lock, unlocked it; 6.1's dax_unlock_entry() BUG()s, L299).
 */
static G_NO_INLINE void dax_unlock_lost_entry(struct kernel *k, struct address_space *mapping)
{
	assert((SW(k, BUG_PMD_DOWNGRADE_NO_LOCK) || SW(k, BUG_TRUNCATE_NO_ENTRY_WAIT) ||
		SW(k, BUG_FAULT_NO_ENTRY_WAIT)) &&
	       "an entry lock lost its entry");
	spin_unlock(k, &mapping->tree_lock);
	dax_entry_release(k, mapping);
}

/* dax_unlock_mapping_entry(), v4.14 L268-279: clear the lock bit and wake a waiter. */
static void dax_unlock_mapping_entry(struct kernel *k,
				     struct address_space *mapping, pgoff_t index)
{
	void **slot;

	spin_lock(k, &mapping->tree_lock);
	slot = radix_tree_lookup_slot(&mapping->page_tree, index);
	if (G_UNLIKELY(!slot || !radix_tree_exceptional_entry(*slot) || !dax_is_locked(*slot))) {
		dax_unlock_lost_entry(k, mapping);
		return;
	}
	radix_tree_replace_slot(slot, (void *)((uintptr_t)*slot & ~RADIX_DAX_ENTRY_LOCK));
	spin_unlock(k, &mapping->tree_lock);
	if (lock_slowpath(k))
		dax_unlock_slow(k, mapping, index, slot);
}

static void put_locked_mapping_entry(struct kernel *k,
				     struct address_space *mapping, pgoff_t index)
{
	dax_unlock_mapping_entry(k, mapping, index);
}

static bool dax_is_pte_entry(const void *entry)
{
	return !dax_is_pmd_entry(entry);
}

/*
 * grab_mapping_entry(), v4.14: find the entry at @index and lock it, or
 * insert an empty locked entry of @size_flag's size (0 or RADIX_DAX_PMD).
 * A PMD fault meeting a PTE entry gets -EEXIST and falls back. A PTE fault
 * meeting a zero or empty PMD entry downgrades it: the huge zero page is
 * unmapped from every VMA, the PMD entry deleted and a PTE entry inserted
 * ("splitting 2MiB entry into 4k entries"). A PTE fault on a PMD block
 * entry uses it as it is. A PMD insert colliding with a PTE entry
 * elsewhere in the 2 MiB fails with -EEXIST, nothing inserted.
 */
static void *grab_mapping_entry(struct kernel *k, struct address_space *mapping,
				pgoff_t index, unsigned long size_flag)
{
	bool pmd_downgrade = false;
	void *entry, **slot;
	int err;

restart:
	spin_lock(k, &mapping->tree_lock);
	entry = __get_unlocked_mapping_entry(k, mapping, index, &slot, true);
	if (entry) {
		assert(radix_tree_exceptional_entry(entry));
		if (size_flag & RADIX_DAX_PMD) {
			if (dax_is_pte_entry(entry)) {
				put_unlocked_mapping_entry(k, mapping, index, entry);
				spin_unlock(k, &mapping->tree_lock);
				return ERR_PTR(-EEXIST);
			}
		} else if (dax_is_pmd_entry(entry) &&
			   (dax_is_zero_entry(entry) || dax_is_empty_entry(entry))) {
			pmd_downgrade = true;
		}
		if (!pmd_downgrade) {
			entry = lock_slot(k, mapping, slot);
			spin_unlock(k, &mapping->tree_lock);
			return entry;
		}
		/*
		 * "Make sure 'entry' remains valid while we drop [tree_lock]"
		 * (v4.14 L364-368; 6.1 dax_lock_entry() L611-615).
		 * bug-pmd-downgrade-no-lock leaves it unlocked: a PMD fault
		 * may take it meanwhile.
		 */
		if (!SW(k, BUG_PMD_DOWNGRADE_NO_LOCK))
			entry = lock_slot(k, mapping, slot);
	}
	/*
	 * 6.1 (fs/dax.c L587-661): the XArray stores under the lock its
	 * lookup took, dropped only to unmap a zero PMD entry's huge zero
	 * page (L619-627, no second lookup after it); it sleeps only in
	 * xas_nomem() when an allocation under the lock failed, which the
	 * model's allocations never do.
	 */
	if (SW(k, DAX_XARRAY)) {
		if (pmd_downgrade && dax_is_zero_entry(entry)) {
			spin_unlock(k, &mapping->tree_lock);
			unmap_mapping_range(k, mapping,
					    ((loff_t)index << PAGE_SHIFT) & (loff_t)PMD_MASK,
					    PMD_SIZE, 0);
			spin_lock(k, &mapping->tree_lock);
		}
		goto store;
	}
	/* radix_tree_preload() may sleep, so the tree lock is dropped. */
	spin_unlock(k, &mapping->tree_lock);
	if (pmd_downgrade && dax_is_zero_entry(entry))
		unmap_mapping_range(k, mapping, ((loff_t)index << PAGE_SHIFT) & (loff_t)PMD_MASK,
				    PMD_SIZE, 0);
	might_sleep(k, "radix_tree_preload");
	spin_lock(k, &mapping->tree_lock);
	/*
	 * v4.14 L386-399: another thread may have inserted one meanwhile
	 * (with one thread none did: the lookup is skipped).
	 * bug-grab-entry-no-recheck skips it.
	 */
	if (!entry && sched_active(k) && !SW(k, BUG_GRAB_ENTRY_NO_RECHECK) &&
	    radix_tree_lookup(&mapping->page_tree, index)) {
		spin_unlock(k, &mapping->tree_lock);
		goto restart;
	}
store:
	if (pmd_downgrade) {
		radix_tree_delete(&mapping->page_tree, index);
		mapping->nrexceptional--;
		trace_range_changed(k, mapping->host, index & ~PG_PMD_COLOUR, PMD_SIZE >> PAGE_SHIFT);
		/*
		 * L407-410 (6.1 L633, WAKE_ALL): the PMD entry's sleepers, all of
		 * them: the key they sleep on (the PMD-aligned index) names no
		 * entry any more, so nobody would wake the rest.
		 * bug-downgrade-wake-one wakes the first.
		 */
		dax_wake_mapping_entry_waiter(k, mapping, index, entry,
					      !SW(k, BUG_DOWNGRADE_WAKE_ONE));
	}
	entry = dax_radix_locked_entry(0, size_flag | RADIX_DAX_EMPTY);
	err = radix_tree_insert(&mapping->page_tree, index, dax_radix_order(entry), entry);
	if (err) {
		/* a PMD entry colliding with a PTE entry elsewhere in its range */
		spin_unlock(k, &mapping->tree_lock);
		if (pmd_downgrade && lock_slowpath(k))
			lockdep_release(k, &mapping->page_tree);	/* it went with the entry */
		return ERR_PTR(err);
	}
	/* a new entry, inserted locked: the downgraded one's lock goes on */
	if (!pmd_downgrade)
		dax_entry_acquire(k, mapping, __func__);
	mapping->nrexceptional++;
	spin_unlock(k, &mapping->tree_lock);
	return entry;
}

/*
 * Whether the fault dirties the entry and the inode. v4.14: a write;
 * v4.15 (map-sync): a write that is not synchronous; 6.1 (dax-read-dirty):
 * "dirty = !dax_fault_is_synchronous()" (fs/dax.c L862), any fault that
 * is not synchronous, a read too.
 */
static bool dax_fault_dirties(struct kernel *k, struct vm_fault *vmf, bool sync)
{
	if (sync)
		return false;
	return SW(k, DAX_READ_DIRTY) || (vmf->flags & FAULT_FLAG_WRITE);
}

/*
 * dax-folio-refcount: the struct pages behind a block entry (fs/dax.c at
 * 00c010e130e5). dax_associate_entry() with dax_folio_init(): a PMD entry
 * makes its 512 pages one folio of order 9 (prep_compound_page()), whose
 * head gets ->mapping and the aligned ->index; a PTE entry its one page.
 * An idle folio holds no reference (WARN_ON_ONCE otherwise). Zero and
 * empty entries have no pages. The shared (reflink) branch is not
 * reachable: ext4 has no shared extents. 6.1 sets ->mapping and ->index
 * too, on each page, but nothing in the model reads them there.
 */
static __attribute__((noinline)) void
dax_associate_entry(struct kernel *k, void *entry, struct address_space *mapping,
		    struct vm_fault *vmf)
{
	unsigned long pfn = dax_radix_pfn(entry);
	struct page *folio;

	if (!dax_is_block_entry(entry))
		return;
	folio = pfn_to_page(k, pfn);
	if (dax_is_pmd_entry(entry)) {
		folio->order = PMD_SHIFT - PAGE_SHIFT;
		for (unsigned long i = 1; i < HPAGE_PMD_NR; i++)
			pfn_to_page(k, pfn + i)->head = folio;
	}
	folio->mapping = mapping;
	folio->index = linear_page_index(vmf->vma, vmf->address &
					 ~((PAGE_SIZE << dax_radix_order(entry)) - 1));
}

/*
 * dax_disassociate_entry() -> dax_folio_put(): ->mapping cleared and a
 * 2 MiB folio split back into order-0 pages (each should be unreferenced:
 * WARN_ON_ONCE in the kernel, refcount-balance here).
 */
static __attribute__((noinline)) void dax_disassociate_entry(struct kernel *k, void *entry)
{
	struct page *folio;

	if (!dax_is_block_entry(entry))
		return;
	folio = pfn_to_page(k, dax_radix_pfn(entry));
	folio->mapping = NULL;
	if (!folio->order)
		return;
	for (unsigned long i = 1; i < (1UL << folio->order); i++)
		pfn_to_page(k, folio->pfn + i)->head = NULL;
	folio->order = 0;
}

/*
 * dax_insert_mapping_entry(), v4.14. Replacing a zero-page entry by a block
 * first unmaps the zero page at that index from every VMA of the file
 * (even_cows 0: private COW copies stay). Only a zero or empty entry is
 * swapped; an existing block entry stays. @dirty (dax_fault_dirties())
 * marks the inode dirty and tags the entry DIRTY.
 */
static void *dax_insert_mapping_entry(struct kernel *k,
				      struct address_space *mapping,
				      struct vm_fault *vmf, void *entry,
				      unsigned long sector, unsigned long flags,
				      bool dirty)
{
	pgoff_t index = vmf->pgoff;

	if (dirty)
		mapping->host->dirty = true;	/* __mark_inode_dirty(I_DIRTY_PAGES) */

	if (dax_is_zero_entry(entry) && !(flags & RADIX_DAX_ZERO_PAGE) &&
	    !SW(k, BUG_NO_ZERO_UNMAP)) {
		/* we are replacing a zero page with block mapping */
		if (dax_is_pmd_entry(entry))
			unmap_mapping_range(k, mapping,
					    ((loff_t)index << PAGE_SHIFT) & (loff_t)PMD_MASK,
					    PMD_SIZE, 0);
		else
			unmap_mapping_range(k, mapping, (loff_t)index << PAGE_SHIFT,
					    PAGE_SIZE, 0);
	}

	spin_lock(k, &mapping->tree_lock);
	if (dax_is_zero_entry(entry) || dax_is_empty_entry(entry)) {
		void *new_entry = dax_radix_locked_entry(sector, flags);

		if (SW(k, DAX_FOLIO_REFCOUNT)) {
			dax_disassociate_entry(k, entry);
			dax_associate_entry(k, new_entry, mapping, vmf);
		}
		void **slot = radix_tree_lookup_slot(&mapping->page_tree, index);

		if (slot) {
			radix_tree_replace_slot(slot, new_entry);
		} else {
			/*
			 * WARN_ON_ONCE(ret != entry), v4.14 L565-568: the
			 * entry this task locked is gone, and
			 * __radix_tree_replace() fills the empty slot at
			 * @index, one slot. Only bug-pmd-downgrade-no-lock
			 * gets here (the downgrade deleted a PMD entry a PMD
			 * fault had taken). The model counts the entry.
			 */
			assert(SW(k, BUG_PMD_DOWNGRADE_NO_LOCK) && "the locked entry is gone");
			radix_tree_insert(&mapping->page_tree, index, 0, new_entry);
			mapping->nrexceptional++;
		}
		entry = new_entry;
		trace_entry_changed(k, mapping->host, index, entry);
	}
	if (dirty) {
		radix_tree_tag_set(&mapping->page_tree, index, PAGECACHE_TAG_DIRTY);
		trace_entry_changed(k, mapping->host, index, entry);
	}
	spin_unlock(k, &mapping->tree_lock);
	return entry;
}

/*
 * dax_load_hole(), v4.14: a read of a hole maps the common 4 KiB zero page
 * (a special PTE: no refcount, no rss) under a zero-page entry.
 */
static int dax_load_hole(struct kernel *k, struct address_space *mapping,
			 void *entry, struct vm_fault *vmf)
{
	dax_insert_mapping_entry(k, mapping, vmf, entry, 0, RADIX_DAX_ZERO_PAGE,
				 dax_fault_dirties(k, vmf, false));
	vm_insert_mixed(k, vmf->vma, vmf->address, k->dram.zero_page->pfn);
	trace_dax_fault(k, TRACE_DAX_LOAD_HOLE, mapping->host, vmf, 0, VM_FAULT_NOPAGE);
	return VM_FAULT_NOPAGE;
}

/*
 * dax_fault_is_synchronous(), v4.15 (6.1 fs/dax.c L836): a write fault
 * (IOMAP_WRITE: not a COW) in a VM_SYNC VMA whose extent needs a metadata
 * commit first (IOMAP_F_DIRTY). Read faults never are.
 */
static bool dax_fault_is_synchronous(unsigned iomap_flags,
				     struct vm_area_struct *vma,
				     const struct iomap *iomap)
{
	return (iomap_flags & IOMAP_WRITE) && (vma->vm_flags & VM_SYNC) &&
	       (iomap->flags & IOMAP_F_DIRTY);
}

/*
 * The end of v6.15's dax_fault_iter() (fs/dax.c at 00c010e130e5), for
 * dax-folio-refcount: the entry's folio (dax_to_folio()) is referenced
 * while the block is mapped as a normal page (a PTE:
 * vmf_insert_page_mkwrite()) or its folio whole (a pmd:
 * vmf_insert_folio_pmd()); that reference is then dropped, the mapping
 * keeps its own.
 */
static int dax_insert_folio(struct kernel *k, struct vm_fault *vmf, void *entry,
			    unsigned long pfn, bool pmd, bool write)
{
	struct page *folio = page_folio(pfn_to_page(k, dax_radix_pfn(entry)));
	int ret;

	folio->refcount++;		/* folio_ref_inc() */
	if (pmd)
		ret = vmf_insert_folio_pmd(k, vmf, page_folio(pfn_to_page(k, pfn)), write);
	else
		ret = vmf_insert_page_mkwrite(k, vmf, pfn_to_page(k, pfn), write);
	put_page(k, folio);
	return ret;
}

/*
 * dax_insert_mapping(), v4.14: the block's entry, then the PTE; a write
 * inserts it dirty and writable at once (vm_insert_mixed_mkwrite). A
 * synchronous fault (map-sync; 6.1 dax_fault_synchronous_pfnp() L1483)
 * installs the entry, clean, and no PTE: it returns the pfn in @pfnp and
 * 1 for VM_FAULT_NEEDDSYNC.
 */
static int dax_insert_mapping(struct kernel *k, struct address_space *mapping,
			      struct vm_fault *vmf, struct iomap *iomap,
			      loff_t pos, void *entry, bool sync,
			      unsigned long *pfnp)
{
	unsigned long pfn = dax_iomap_pfn(iomap, pos);
	long rc;

	might_sleep(k, "dax_direct_access");
	/* a dead device (-ENXIO) or a badblock (-EIO): the fault's SIGBUS */
	if ((rc = nvdimm_direct_access(k, pfn, 1))) {
		k->fault_error = (int)rc;
		return (int)rc;
	}
	entry = dax_insert_mapping_entry(k, mapping, vmf, entry,
					 (pfn - PMEM_BASE_PFN) * SECTORS_PER_BLOCK, 0,
					 dax_fault_dirties(k, vmf, sync));
	trace_dax_insert_mapping(k, mapping->host, vmf, entry);
	if (sync) {
		*pfnp = pfn;
		return 1;
	}
	if (SW(k, DAX_FOLIO_REFCOUNT)) {	/* SIGBUS: -EFAULT for the caller */
		int ret = dax_insert_folio(k, vmf, entry, pfn, false,
					   vmf->flags & FAULT_FLAG_WRITE);

		return ret & VM_FAULT_SIGBUS ? -EFAULT : 0;
	}
	if (vmf->flags & FAULT_FLAG_WRITE)
		return vm_insert_mixed_mkwrite(k, vmf->vma, vmf->address, pfn);
	return vm_insert_mixed(k, vmf->vma, vmf->address, pfn);
}

static int dax_fault_return(int error)
{
	if (error == 0)
		return VM_FAULT_NOPAGE;
	if (error == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_SIGBUS;
}

/* The private-write copy: a hole or unwritten extent reads zero. */
static int dax_cow_copy(struct kernel *k, struct vm_fault *vmf,
			struct iomap *iomap, loff_t pos)
{
	if (iomap->type == IOMAP_MAPPED) {	/* copy_user_dax */
		unsigned long pfn = dax_iomap_pfn(iomap, pos);
		long rc = nvdimm_direct_access(k, pfn, 1);

		if (rc) {		/* dax_direct_access() failed: SIGBUS */
			k->fault_error = (int)rc;
			return dax_fault_return((int)rc);
		}
		/* 6.1 copy_cow_page_dax(): copy_user_page(), no machine-check-safe copy */
		if (pmem_poisoned(k, pfn))
			return not_modelled(k, "a private write fault copying a page with latent poison (a machine check in the kernel)");
		copy_pfn_to_page(k, vmf->cow_page, pfn);
	}
	/* clear_user_highpage(): a new page already reads zero */
	vmf->cow_page->flags |= PG_uptodate;
	return finish_fault(k, vmf);
}

static int dax_iomap_pte_fault(struct kernel *k, struct vm_fault *vmf,
			       unsigned long *pfnp, const struct iomap_ops *ops)
{
	struct address_space *mapping = &vma_inode(vmf->vma)->i_data;
	struct inode *inode = mapping->host;
	loff_t pos = (loff_t)vmf->pgoff << PAGE_SHIFT;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	bool cow = vmf->cow_page && !SW(k, BUG_COW_MAPS_BLOCK);
	struct iomap iomap = { 0 };
	unsigned flags = IOMAP_FAULT;
	int error, major = 0, vmf_ret = 0;
	void *entry;

	trace_dax_fault(k, TRACE_DAX_PTE_FAULT, inode, vmf, 0, vmf_ret);
	/*
	 * "Caller is supposed to hold locks serializing us with truncate /
	 * punch hole so this is a reliable test": ext4 holds i_mmap_sem.
	 */
	if (pos >= inode->i_size && !SW(k, BUG_NO_ISIZE_CHECK)) {
		vmf_ret = VM_FAULT_SIGBUS;
		goto out;
	}

	if (write && !cow)
		flags |= IOMAP_WRITE;

	entry = grab_mapping_entry(k, mapping, vmf->pgoff, 0);
	/*
	 * v4.14 L1114-1118: only a PMD grab fails in the kernel's code;
	 * bug-grab-entry-no-recheck's -EEXIST is a SIGBUS here
	 */
	if (IS_ERR(entry)) {
		vmf_ret = dax_fault_return(PTR_ERR(entry));
		goto out;
	}

	error = ops->iomap_begin(k, inode, pos, PAGE_SIZE, flags, &iomap);
	if (error) {
		k->fault_error = error;
		vmf_ret = dax_fault_return(error);
		goto unlock_entry;
	}

	/* ext4 allocating on an unbound device: its journal's I/O is not modelled */
	if (k->pmem.dead && (iomap.flags & IOMAP_F_NEW)) {
		vmf_ret = not_modelled(k, "a fault that allocates a block after unbind");
		goto unlock_entry;
	}
	if (cow) {
		vmf_ret = dax_cow_copy(k, vmf, &iomap, pos);
		if (!vmf_ret)
			vmf_ret = VM_FAULT_DONE_COW;
		goto unlock_entry;
	}

	switch (iomap.type) {
	case IOMAP_MAPPED:
		if (iomap.flags & IOMAP_F_NEW)
			major = VM_FAULT_MAJOR;		/* count_vm_event(PGMAJFAULT) */
		error = dax_insert_mapping(k, mapping, vmf, &iomap, pos, entry,
					   dax_fault_is_synchronous(flags, vmf->vma, &iomap),
					   pfnp);
		if (error == 1) {
			vmf_ret = VM_FAULT_NEEDDSYNC | major;
			goto unlock_entry;
		}
		break;
	case IOMAP_UNWRITTEN:
	case IOMAP_HOLE:
		if (!write) {
			vmf_ret = dax_load_hole(k, mapping, entry, vmf);
			goto unlock_entry;
		}
		/* WARN_ON_ONCE(1): ext4 always allocates on a write */
		/* fall through */
	default:
		error = -EIO;
		break;
	}
	/* -EBUSY: somebody else's PTE is already there; the fault is done. */
	if (error == -EBUSY)
		error = 0;
	vmf_ret = dax_fault_return(error) | major;
unlock_entry:
	put_locked_mapping_entry(k, mapping, vmf->pgoff);
out:
	trace_dax_fault(k, TRACE_DAX_PTE_FAULT_DONE, inode, vmf, 0, vmf_ret);
	return vmf_ret;
}

/*
 * dax_pmd_load_hole(), v4.14: a read of a 2 MiB hole maps the huge zero
 * page, read-only, under a PMD zero-page entry. No rss, no refcount: the
 * mm's reference (MMF_HUGE_ZERO_PAGE) is taken once.
 */
static int dax_pmd_load_hole(struct kernel *k, struct vm_fault *vmf, void *entry)
{
	struct address_space *mapping = &vma_inode(vmf->vma)->i_data;
	struct page *zero_page = mm_get_huge_zero_page(k, vmf->vma->vm_mm);
	unsigned long zero_pfn = zero_page ? zero_page->pfn : 0;
	void *ret = NULL;

	if (!zero_page)
		goto fallback;
	ret = dax_insert_mapping_entry(k, mapping, vmf, entry, 0,
				       RADIX_DAX_PMD | RADIX_DAX_ZERO_PAGE,
				       dax_fault_dirties(k, vmf, false));
	if (!pmd_none(*vmf->pmd))
		goto fallback;
	set_pmd_at(k, vmf->vma, vmf->address & PMD_MASK, vmf->pmd,
		   pfn_pmd_huge(zero_pfn, vmf->vma->vm_page_prot));
	trace_dax_pmd(k, TRACE_DAX_PMD_LOAD_HOLE, mapping->host, vmf, zero_pfn, 0, ret);
	return VM_FAULT_NOPAGE;
fallback:
	trace_dax_pmd(k, TRACE_DAX_PMD_LOAD_HOLE_FALLBACK, mapping->host, vmf, zero_pfn, 0, ret);
	return VM_FAULT_FALLBACK;
}

/*
 * dax_pmd_insert_mapping(), v4.14: dax_direct_access() must give 2 MiB
 * from a 2 MiB-aligned pfn, else fall back; then the PMD entry and the
 * pmd (vmf_insert_pfn_pmd, writable and dirty for a write).
 */
static int dax_pmd_insert_mapping(struct kernel *k, struct vm_fault *vmf,
				  struct iomap *iomap, loff_t pos, void *entry,
				  bool sync, unsigned long *pfnp)
{
	struct address_space *mapping = &vma_inode(vmf->vma)->i_data;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	unsigned long pfn = dax_iomap_pfn(iomap, pos);

	might_sleep(k, "dax_direct_access");
	/*
	 * dax_direct_access() of 2 MiB failed (dead device, a badblock in
	 * it): v4.14 L1286 and 6.1 dax_fault_iter() L1612 fall back to PTEs
	 */
	if (pfn & PG_PMD_COLOUR || nvdimm_direct_access(k, pfn, PMD_SIZE >> PAGE_SHIFT)) {
		trace_dax_pmd(k, TRACE_DAX_PMD_INSERT_MAPPING_FALLBACK, mapping->host, vmf,
			      pfn, PMD_SIZE, NULL);
		return VM_FAULT_FALLBACK;
	}
	entry = dax_insert_mapping_entry(k, mapping, vmf, entry,
					 (pfn - PMEM_BASE_PFN) * SECTORS_PER_BLOCK,
					 RADIX_DAX_PMD, dax_fault_dirties(k, vmf, sync));
	trace_dax_pmd(k, TRACE_DAX_PMD_INSERT_MAPPING, mapping->host, vmf, pfn, PMD_SIZE, entry);
	if (sync) {		/* dax_fault_synchronous_pfnp() */
		*pfnp = pfn;
		return VM_FAULT_NEEDDSYNC;
	}
	if (SW(k, DAX_FOLIO_REFCOUNT))
		return dax_insert_folio(k, vmf, entry, pfn, true, write);
	return vmf_insert_pfn_pmd(k, vmf, pfn, write);
}

/*
 * dax_iomap_pmd_fault(), v4.14: the checks that send the fault back to
 * PTEs, in the kernel's order, then ->iomap_begin over the 2 MiB. A write
 * allocates before it can fall back (ext4 gives the blocks it can; a run
 * short of 2 MiB or not 2 MiB aligned then falls back, the blocks stay).
 * On fallback the pmd is split (for DAX: cleared).
 */
static int __dax_iomap_pmd_fault(struct kernel *k, struct vm_fault *vmf,
				 pgoff_t max_pgoff, unsigned long *pfnp,
				 const struct iomap_ops *ops)
{
	struct vm_area_struct *vma = vmf->vma;
	struct address_space *mapping = &vma_inode(vma)->i_data;
	unsigned long pmd_addr = vmf->address & PMD_MASK;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	unsigned iomap_flags = (write ? IOMAP_WRITE : 0) | IOMAP_FAULT;
	pgoff_t pgoff = linear_page_index(vma, pmd_addr);
	int result = VM_FAULT_FALLBACK;
	loff_t pos;
	struct iomap iomap = { 0 };
	void *entry;
	int error;

	/*
	 * dax-pmd-sigbus-first: 6.1 tests the 2 MiB's first index in the file
	 * (xas.xa_index: vmf->pgoff rounded down) against i_size before
	 * dax_fault_check_fallback() (fs/dax.c L1723-1729).
	 */
	if (SW(k, DAX_PMD_SIGBUS_FIRST) && !SW(k, BUG_NO_ISIZE_CHECK) &&
	    (vmf->pgoff & ~(pgoff_t)PG_PMD_COLOUR) >= max_pgoff)
		return VM_FAULT_SIGBUS;
	if ((vmf->pgoff & PG_PMD_COLOUR) !=
	    ((vmf->address >> PAGE_SHIFT) & PG_PMD_COLOUR))
		goto fallback;
	/* Fall back to PTEs if we're going to COW */
	if (write && !(vma->vm_flags & VM_SHARED))
		goto fallback;
	/* If the PMD would extend outside the VMA */
	if (pmd_addr < vma->vm_start || pmd_addr + PMD_SIZE > vma->vm_end)
		goto fallback;
	if (pgoff >= max_pgoff && !SW(k, BUG_NO_ISIZE_CHECK))
		return VM_FAULT_SIGBUS;
	/* If the PMD would extend beyond the file size */
	if ((pgoff | PG_PMD_COLOUR) >= max_pgoff && !SW(k, BUG_NO_ISIZE_CHECK))
		goto fallback;
	pos = (loff_t)pgoff << PAGE_SHIFT;	/* inside the VMA: no wrap */
	entry = grab_mapping_entry(k, mapping, pgoff, RADIX_DAX_PMD);
	if (IS_ERR(entry))
		goto fallback;
	/* a PTE table is there (a racing PTE fault): retry the fault */
	if (!pmd_none(pmdp_get(vmf->pmd)) && !pmd_trans_huge(*vmf->pmd)) {
		result = 0;
		goto unlock_entry;
	}
	error = ops->iomap_begin(k, mapping->host, pos, PMD_SIZE, iomap_flags, &iomap);
	if (error)
		goto unlock_entry;
	if (iomap.offset + (loff_t)iomap.length < pos + (loff_t)PMD_SIZE)
		goto unlock_entry;
	switch (iomap.type) {
	case IOMAP_MAPPED:
		result = dax_pmd_insert_mapping(k, vmf, &iomap, pos, entry,
						dax_fault_is_synchronous(iomap_flags, vma, &iomap),
						pfnp);
		break;
	case IOMAP_UNWRITTEN:
	case IOMAP_HOLE:
		if (write)	/* WARN_ON_ONCE: ext4 allocated on a write */
			break;
		result = dax_pmd_load_hole(k, vmf, entry);
		break;
	}
unlock_entry:
	put_locked_mapping_entry(k, mapping, pgoff);
fallback:
	if (result == VM_FAULT_FALLBACK)
		split_huge_pmd(k, vma, vmf->pmd, vmf->address);
	return result;
}

/* trace_dax_pmd_fault() once max_pgoff is known, _done at "out:" */
static int dax_iomap_pmd_fault(struct kernel *k, struct vm_fault *vmf,
			       unsigned long *pfnp, const struct iomap_ops *ops)
{
	struct inode *inode = vma_inode(vmf->vma);
	pgoff_t max_pgoff = DIV_ROUND_UP(inode->i_size, PAGE_SIZE);
	int result;

	trace_dax_fault(k, TRACE_DAX_PMD_FAULT, inode, vmf, max_pgoff, 0);
	result = __dax_iomap_pmd_fault(k, vmf, max_pgoff, pfnp, ops);
	trace_dax_fault(k, TRACE_DAX_PMD_FAULT_DONE, inode, vmf, max_pgoff, result);
	return result;
}

int dax_iomap_fault(struct kernel *k, struct vm_fault *vmf,
		    enum page_entry_size pe_size, unsigned long *pfnp,
		    const struct iomap_ops *ops)
{
	if (pe_size == PE_SIZE_PMD)
		return dax_iomap_pmd_fault(k, vmf, pfnp, ops);
	return dax_iomap_pte_fault(k, vmf, pfnp, ops);
}

/*
 * dax_insert_pfn_mkwrite(), v4.15 (6.1 fs/dax.c L1821): after the fsync
 * of a synchronous fault, find the entry again; gone, or (order 0) not a
 * PTE entry, or (order 9) not a PMD entry (a conflict): nothing mapped,
 * the access faults again. Else tag it DIRTY and map @pfn writable.
 */
static int dax_insert_pfn_mkwrite(struct kernel *k, struct vm_fault *vmf,
				  unsigned long pfn, unsigned int order)
{
	struct address_space *mapping = &vma_inode(vmf->vma)->i_data;
	struct inode *inode = mapping->host;
	pgoff_t index = vmf->pgoff;
	void *entry, **slot;
	int ret;

	spin_lock(k, &mapping->tree_lock);
	entry = get_unlocked_mapping_entry(k, mapping, index, &slot);
	if (!entry || (order == 0 && !dax_is_pte_entry(entry)) ||
	    (order != 0 && !dax_is_pmd_entry(entry))) {
		put_unlocked_mapping_entry(k, mapping, index, entry);	/* 6.1 L1833 */
		spin_unlock(k, &mapping->tree_lock);
		if (k->hooks.trace)
			dax_trace_fault(k, TRACE_DAX_INSERT_PFN_MKWRITE_NO_ENTRY, inode, vmf, 0,
					VM_FAULT_NOPAGE, NULL);
		return VM_FAULT_NOPAGE;
	}
	radix_tree_tag_set(&mapping->page_tree, index, PAGECACHE_TAG_DIRTY);
	lock_slot(k, mapping, slot);
	trace_entry_changed(k, inode, index, entry);
	spin_unlock(k, &mapping->tree_lock);
	if (SW(k, DAX_FOLIO_REFCOUNT)) {	/* v6.15: the folio, mapped writable */
		ret = dax_insert_folio(k, vmf, entry, pfn, order != 0, true);
	} else if (order == 0) {
		int err = vm_insert_mixed_mkwrite(k, vmf->vma, vmf->address, pfn);

		ret = dax_fault_return(err == -EBUSY ? 0 : err);
	} else {
		ret = vmf_insert_pfn_pmd(k, vmf, pfn, true);
	}
	put_locked_mapping_entry(k, mapping, index);
	if (k->hooks.trace)
		dax_trace_fault(k, TRACE_DAX_INSERT_PFN_MKWRITE, inode, vmf, 0, ret, NULL);
	return ret;
}

/*
 * dax_finish_sync_fault(), v4.15 (6.1 fs/dax.c L1865): make the file's
 * metadata durable over the fault's page (or 2 MiB) with
 * vfs_fsync_range(datasync 1), then map the pfn writable. An fsync error
 * is SIGBUS.
 */
int dax_finish_sync_fault(struct kernel *k, struct vm_fault *vmf,
			  enum page_entry_size pe_size, unsigned long pfn)
{
	unsigned int order = pe_size == PE_SIZE_PMD ? PMD_SHIFT - PAGE_SHIFT : 0;
	loff_t start = (loff_t)vmf->pgoff << PAGE_SHIFT;
	loff_t len = (loff_t)PAGE_SIZE << order;

	if (vfs_fsync_range(k, vmf->vma->vm_file, start, start + len - 1, 1))
		return VM_FAULT_SIGBUS;
	return dax_insert_pfn_mkwrite(k, vmf, pfn, order);
}

/* write-protect and clean the huge pmd or the PTE mapping @pfn at @address */
static void dax_mkclean_one(struct kernel *k, struct vm_area_struct *vma,
			    unsigned long address, unsigned long pfn)
{
	pte_t *ptep = pte_lookup(vma->vm_mm, address);
	pmd_t *pmdp = ptep ? NULL : pmd_lookup(vma->vm_mm, address);
	pte_t pte;

	if (pmdp && pmd_trans_huge(*pmdp)) {
		pmd_t pmd;

		if (pfn - ((address & ~PMD_MASK) >> PAGE_SHIFT) != pmd_pfn(*pmdp))
			return;
		if (!pmd_dirty(*pmdp) && !pmd_write(*pmdp))
			return;
		pmd = pmdp_huge_get_and_clear(k, vma, address & PMD_MASK, pmdp);
		set_pmd_at(k, vma, address & PMD_MASK, pmdp, pmd_mkclean(pmd_wrprotect(pmd)));
		return;
	}
	if (!ptep || !pte_present(*ptep) || pte_pfn(*ptep) != pfn)
		return;
	if (!pte_dirty(*ptep) && !pte_write(*ptep))
		return;
	pte = ptep_get_and_clear(k, vma, address, ptep);	/* ptep_clear_flush */
	set_pte_at(k, vma, address, ptep, pte_mkclean(pte_wrprotect(pte)));
}

/*
 * The fixed walk ("dax: fix missing writeprotect the pte entry", 2022):
 * pfn_mkclean_range() in each shared VMA over every index the entry
 * covers: a huge pmd once, each PTE that maps the entry's pfn for its index.
 */
static void dax_mkclean_range(struct kernel *k, struct address_space *mapping,
			      pgoff_t index, unsigned long pfn, unsigned long count)
{
	struct vm_area_struct *vma;

	vma_interval_tree_foreach(vma, &mapping->i_mmap, index, index + count - 1) {
		pgoff_t first = index > vma->vm_pgoff ? index : vma->vm_pgoff;
		pgoff_t last = vma->vm_pgoff + vma_pages(vma) - 1;

		if (!(vma->vm_flags & VM_SHARED))
			continue;
		if (last > index + count - 1)
			last = index + count - 1;
		for (pgoff_t i = first; i <= last; i++)
			dax_mkclean_one(k, vma, vma->vm_start + ((i - vma->vm_pgoff) << PAGE_SHIFT),
					pfn + (i - index));
	}
}

/*
 * dax_mapping_entry_mkclean(), v4.14: write-protect and clean what maps
 * @pfn at @index in every shared VMA (follow_pte_pmd()): the huge pmd
 * there, or the PTE of @index alone. A PMD entry mapped by PTEs (a VMA
 * that is not 2 MiB aligned, or nohuge) has only the PTE of its first
 * index cleaned; the other 511 PTEs stay writable and dirty while the
 * entry's DIRTY tag is cleared (dirty-tracked reports it),
 * unless dax-mkclean-range (the 2022 fix) is on.
 */
void dax_mapping_entry_mkclean(struct kernel *k, struct address_space *mapping,
			       pgoff_t index, unsigned long pfn, unsigned long count)
{
	struct vm_area_struct *vma;

	down_read(k, &mapping->i_mmap_rwsem);
	if (SW(k, DAX_MKCLEAN_RANGE)) {
		dax_mkclean_range(k, mapping, index, pfn, count);
		up_read(k, &mapping->i_mmap_rwsem);
		return;
	}
	vma_interval_tree_foreach(vma, &mapping->i_mmap, index, index) {
		if (!(vma->vm_flags & VM_SHARED))
			continue;
		/* follow_pte_pmd() at the address of @index only */
		dax_mkclean_one(k, vma, vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT), pfn);
	}
	up_read(k, &mapping->i_mmap_rwsem);
}

/*
 * dax_writeback_one(), v4.14: lock the entry, clear TOWRITE, write-protect
 * its PTEs, flush its lines, then clear DIRTY (v4.10 semantics).
 */
static int dax_writeback_one(struct kernel *k, struct address_space *mapping,
			     pgoff_t index, void *entry)
{
	void *entry2, **slot;
	unsigned long pfn, size;

	spin_lock(k, &mapping->tree_lock);
	entry2 = get_unlocked_mapping_entry(k, mapping, index, &slot);
	/* Entry got punched out / reallocated? */
	if (!entry2 || dax_radix_sector(entry2) != dax_radix_sector(entry) ||
	    (!dax_is_block_entry(entry2) && !SW(k, DAX_READ_DIRTY)) ||
	    !radix_tree_tag_get(&mapping->page_tree, index, PAGECACHE_TAG_TOWRITE)) {
		put_unlocked_mapping_entry(k, mapping, index, entry2);	/* v4.14 L754 */
		spin_unlock(k, &mapping->tree_lock);
		return 0;
	}
	entry = lock_slot(k, mapping, slot);
	radix_tree_tag_clear(&mapping->page_tree, index, PAGECACHE_TAG_TOWRITE);
	trace_entry_changed(k, mapping->host, index, entry);
	spin_unlock(k, &mapping->tree_lock);

	might_sleep(k, "dax_direct_access");
	size = PAGE_SIZE << dax_radix_order(entry);
	if (dax_is_zero_entry(entry)) {
		/*
		 * dax-read-dirty: a hole read tagged a zero entry DIRTY, and
		 * 6.1's dax_writeback_one() checks for zero entries only when
		 * it found the entry locked (L941): it write-protects the PTEs
		 * of the zero page's pfn (read-only and clean already) and
		 * flushes the zero page, which is DRAM: nothing for pmem.
		 */
		goto clear_dirty;
	}
	pfn = dax_radix_pfn(entry);
	dax_mapping_entry_mkclean(k, mapping, index, pfn, size >> PAGE_SHIFT);
	for (unsigned long off = 0; off < size && !SW(k, BUG_WRITEBACK_NO_FLUSH); off += PAGE_SIZE)
		pmem_flush(k, pfn + (off >> PAGE_SHIFT), 0, PAGE_SIZE);	/* dax_flush */
clear_dirty:

	if (!SW(k, BUG_MSYNC_KEEPS_DIRTY)) {
		spin_lock(k, &mapping->tree_lock);
		radix_tree_tag_clear(&mapping->page_tree, index, PAGECACHE_TAG_DIRTY);
		spin_unlock(k, &mapping->tree_lock);
	}
	trace_entry_changed(k, mapping->host, index, entry);
	trace_dax_writeback(k, TRACE_DAX_WRITEBACK_ONE, mapping->host, index,
			    size >> PAGE_SHIFT);
	put_locked_mapping_entry(k, mapping, index);
	return 0;
}

/*
 * dax-xarray: where 6.1's xas_for_each_marked(TOWRITE) in
 * dax_writeback_mapping_range() leaves xas.xa_index, which
 * trace_dax_writeback_range_done() prints (lib/xarray.c
 * xas_find_marked(), 6.1 L1308-1383). From the last entry it returned
 * (@found: at @last, of @order) or, when none, from @start at the top
 * node, the walk looks for the next marked slot: in the rest of the node,
 * then, moving the index to the end of the node, in the parent; any move
 * to an index past @max ((index - 1) >= max) ends it, and so does leaving
 * the top node. An XArray holding a single order-0 entry at index 0 keeps
 * it in xa_head, not in a node (the model's tree uses a node): the walk
 * then ends at 1, or at @start if that is past 0. The model's tree has the
 * XArray's shape otherwise (64 slots, a node's shift a multiple of 6, the
 * same growth and shrinking). Rig: probes/dax_writeback_range_trace.c.
 */
static pgoff_t xas_marked_walk_end(const struct radix_tree_root *root, pgoff_t start,
				   pgoff_t max, bool found, pgoff_t last, unsigned int order)
{
	const struct radix_tree_node *top = root->rnode;
	struct radix_tree_iter it;
	unsigned int s;
	pgoff_t idx;
	bool adv;

	if (!top)
		return start;
	if (top->shift == 0 && top->count == 1 && top->slots[0])
		return start ? start : 1;	/* the entry is xa_head */
	if (found) {
		idx = last;
		s = order / RADIX_TREE_MAP_SHIFT * RADIX_TREE_MAP_SHIFT;
		adv = true;
	} else {
		if (start > (RADIX_TREE_MAP_SIZE << top->shift) - 1)
			return start;		/* past max_index(head) */
		idx = start;
		s = top->shift;
		adv = false;
	}
	for (;;) {
		pgoff_t slot = 1UL << s, slot_mask = ~(slot - 1);
		pgoff_t node_end = idx | ((slot << RADIX_TREE_MAP_SHIFT) - 1);
		pgoff_t from = adv ? (idx | (slot - 1)) + 1 : idx & slot_mask;

		if (from && from <= node_end &&
		    radix_tree_next(root, from, node_end, PAGECACHE_TAG_TOWRITE, &it)) {
			pgoff_t base = (it.index > from ? it.index : from) & slot_mask;

			if (base != (idx & slot_mask)) {	/* offset > xa_offset */
				idx = base;
				if (idx - 1 >= max)
					return idx;
			}
			if (s == 0 || base == it.index)	/* an entry: returned */
				return idx;
			s -= RADIX_TREE_MAP_SHIFT;	/* a node: descend */
			adv = false;
			continue;
		}
		idx = node_end + 1;			/* offset XA_CHUNK_SIZE */
		if (idx - 1 >= max)
			return idx;
		if (s == top->shift)			/* no parent: break */
			return idx;
		s += RADIX_TREE_MAP_SHIFT;
		adv = false;
	}
}

/*
 * dax_writeback_mapping_range(), v4.14, for WB_SYNC_ALL:
 * tag_pages_for_writeback() turns DIRTY into TOWRITE over the range, then
 * every TOWRITE entry is written back, a pagevec at a time; the batch that
 * reaches past end_index ends the walk. trace_dax_writeback_range_done()
 * prints start_index as the walk left it.
 */
int dax_writeback_mapping_range(struct kernel *k, struct address_space *mapping,
				loff_t start, loff_t end)
{
	pgoff_t start_index = (unsigned long)start >> PAGE_SHIFT;
	pgoff_t end_index = (unsigned long)end >> PAGE_SHIFT;
	pgoff_t indices[PAGEVEC_SIZE];
	void *entries[PAGEVEC_SIZE];
	struct radix_tree_iter iter;
	pgoff_t range_start = start_index, last = 0;
	unsigned int last_order = 0;
	bool done = false, found = false;

	if (!mapping->nrexceptional)
		return 0;
	trace_dax_writeback(k, TRACE_DAX_WRITEBACK_RANGE, mapping->host,
			    start_index, end_index);
	spin_lock(k, &mapping->tree_lock);
	radix_tree_for_each(&mapping->page_tree, &iter, start_index, end_index,
			    PAGECACHE_TAG_DIRTY)
		radix_tree_tag_set(&mapping->page_tree, iter.index,
				   PAGECACHE_TAG_TOWRITE);
	spin_unlock(k, &mapping->tree_lock);

	while (!done) {
		unsigned nr = find_get_entries_tag(mapping, start_index,
						   PAGECACHE_TAG_TOWRITE,
						   PAGEVEC_SIZE, entries, indices);

		if (nr == 0)
			break;
		for (unsigned i = 0; i < nr; i++) {
			if (indices[i] > end_index) {
				done = true;
				break;
			}
			found = true;
			last = indices[i];
			last_order = dax_radix_order(entries[i]);
			dax_writeback_one(k, mapping, indices[i],
					  (void *)((uintptr_t)entries[i] & ~RADIX_DAX_ENTRY_LOCK));
		}
		start_index = indices[nr - 1] + 1;
	}
	if (SW(k, DAX_XARRAY))
		start_index = xas_marked_walk_end(&mapping->page_tree, range_start,
						  end_index, found, last, last_order);
	trace_dax_writeback(k, TRACE_DAX_WRITEBACK_RANGE_DONE, mapping->host,
			    start_index, end_index);
	return 0;
}

/* __dax_invalidate_mapping_entry(), v4.14 */
static int __dax_invalidate_mapping_entry(struct kernel *k,
					  struct address_space *mapping,
					  pgoff_t index, bool trunc)
{
	struct radix_tree_root *tree = &mapping->page_tree;
	void *entry, **slot;
	int ret = 0;

	spin_lock(k, &mapping->tree_lock);
	if (SW(k, BUG_TRUNCATE_NO_ENTRY_WAIT)) {
		/* the slip: the entry as it is, locked or not; no wait */
		slot = radix_tree_lookup_slot(tree, index);
		entry = slot ? *slot : NULL;
	} else if (!trunc && SW(k, BUG_INVALIDATE_NO_ENTRY_WAIT) &&
		   (slot = radix_tree_lookup_slot(tree, index)) && radix_tree_exceptional_entry(*slot) &&
		   dax_is_locked(*slot)) {
		/* the bug: a locked entry is passed over as busy, not waited for */
		spin_unlock(k, &mapping->tree_lock);
		return 0;
	} else {
		entry = get_unlocked_mapping_entry(k, mapping, index, &slot);
	}
	if (!entry || !radix_tree_exceptional_entry(entry))
		goto out;
	if (!trunc && (radix_tree_tag_get(tree, index, PAGECACHE_TAG_DIRTY) ||
		       radix_tree_tag_get(tree, index, PAGECACHE_TAG_TOWRITE)))
		goto out;
	if (SW(k, DAX_FOLIO_REFCOUNT))
		dax_disassociate_entry(k, entry);
	radix_tree_delete(tree, index);
	mapping->nrexceptional--;
	trace_entry_changed(k, mapping->host, index, entry);
	ret = 1;
out:
	/*
	 * v4.14 L460 wakes the next sleeper, which may find the entry gone
	 * and, locking nothing, wake nobody: the one after it sleeps for good
	 * (examples/dax-2017-truncate-lost-wakeup.scn). 6.1 (L773,
	 * dax-invalidate-wake-all) wakes all of them.
	 */
	if (SW(k, DAX_INVALIDATE_WAKE_ALL))
		put_unlocked_mapping_entry_all(k, mapping, index, entry);
	else
		put_unlocked_mapping_entry(k, mapping, index, entry);
	spin_unlock(k, &mapping->tree_lock);
	return ret;
}

int dax_delete_mapping_entry(struct kernel *k, struct address_space *mapping,
			     pgoff_t index)
{
	return __dax_invalidate_mapping_entry(k, mapping, index, true);
}

int dax_invalidate_mapping_entry_sync(struct kernel *k,
				      struct address_space *mapping,
				      pgoff_t index)
{
	return __dax_invalidate_mapping_entry(k, mapping, index, false);
}

/*
 * dax_busy_page(), 6.1 fs/dax.c L410-421: the first page of a block
 * entry's pfns with a reference beyond the idle one (6.1's fsdax pages
 * idle at 1, the model's at 0, as v6.15's dax_page_is_idle() has it).
 * After the unmap no PTE holds one (dax-folio-refcount included): only a
 * get_user_pages() or pin_user_pages() reference does. The folio is
 * returned: what put_page() wakes.
 */
static struct page *dax_busy_page(struct kernel *k, void *entry)
{
	unsigned long pfn = PMEM_BASE_PFN + dax_entry_block(entry);
	unsigned long n = dax_is_pmd_entry(entry) ? PMD_SIZE >> PAGE_SHIFT : 1;

	if (!dax_is_block_entry(entry))
		return NULL;
	for (unsigned long i = 0; i < n; i++) {
		struct page *page = pmem_page_lookup(k, pfn + i);

		if (page && page_folio(page)->refcount > 0)
			return page_folio(page);
	}
	return NULL;
}

/*
 * dax_layout_busy_page_range(), v4.19 (6.1 fs/dax.c L685-747): for a mapped
 * DAX file, unmap_mapping_pages() over [start, end] (end LLONG_MAX: to the
 * end of the file) in every VMA (even_cows 0: private COW pages stay); then
 * the walk returns the first entry's page with a reference beyond the idle
 * one (dax_busy_page()): a page get_user_pages() holds. 6.1 waits for a
 * locked entry before it looks (get_unlocked_entry()); the model looks at
 * the entry's block at once, which a lock does not change.
 * dax_layout_busy_page() is the range 0 to LLONG_MAX: the whole file,
 * whatever range the caller is about to change.
 */
static struct page *dax_layout_busy_page_range(struct kernel *k,
					       struct address_space *mapping,
					       loff_t start, loff_t end)
{
	pgoff_t first = (unsigned long)start >> PAGE_SHIFT;
	pgoff_t last = end == LLONG_MAX ? ~0UL : (unsigned long)end >> PAGE_SHIFT;
	struct radix_tree_iter iter;

	if (!IS_DAX(mapping->host) || !mapping->i_mmap.node)	/* mapping_mapped() */
		return NULL;
	if (end == LLONG_MAX)
		unmap_mapping_range(k, mapping, start, 0, 0);
	else
		unmap_mapping_range(k, mapping, start, end - start + 1, 0);
	radix_tree_for_each(&mapping->page_tree, &iter, first, last, -1) {
		struct page *page;

		if (!radix_tree_exceptional_entry(iter.entry))
			continue;	/* WARN_ON_ONCE(!xa_is_value(entry)) */
		page = dax_busy_page(k, iter.entry);
		if (page)
			return page;
	}
	return NULL;
}

/* The waiter's condition, for the stuck report: the page is idle again. */
static bool dax_page_idle(struct kernel *k, const void *obj, unsigned long index)
{
	const struct page *page = obj;

	(void)k;
	(void)index;
	return page->refcount == 0;
}

/*
 * The layout break's wait, 6.1 ext4_break_layouts() (fs/ext4/inode.c
 * L3958-3985) and v6.15's dax_break_layout(): while
 * dax_layout_busy_page_range() returns a busy page, ___wait_var_event()
 * on its refcount, TASK_INTERRUPTIBLE, with ext4_wait_dax_page() as the
 * sleep: the invalidate_lock (the model's i_mmap_sem, held for writing)
 * dropped around schedule(), retaken after; once the page is idle, the
 * unmap and the walk again (a fault or a new pin during the sleep may
 * have mapped or pinned a page again). Outside a thread nothing can
 * release the pin: a hang (k->hang), returned as -EINTR.
 */
static int dax_layout_wait_idle(struct kernel *k, struct inode *inode, loff_t start,
				loff_t end)
{
	struct page *page;

	while ((page = dax_layout_busy_page_range(k, &inode->i_data, start, end))) {
		if (SW(k, BUG_TRUNCATE_NO_PIN_WAIT))
			return 0;
		if (!k->current) {
			k->hang = "the layout break waits for a page get_user_pages holds, and no other thread runs to release it";
			k->hang_pfn = page->pfn;
			return -EINTR;
		}
		/* ___wait_var_event(): prepare_to_wait_event(), the condition, the command */
		while (!dax_page_idle(k, page, 0)) {
			up_write(k, &inode->i_mmap_sem);
			sleep_on(k, &k->var_wait_table, false, dax_page_idle, page, 0);
			down_write(k, &inode->i_mmap_sem);
		}
	}
	return 0;
}

int dax_layout_wait_idle_inode(struct kernel *k, struct inode *inode)
{
	return dax_layout_wait_idle(k, inode, 0, LLONG_MAX);
}

struct page *dax_layout_busy_page(struct kernel *k, struct address_space *mapping)
{
	return dax_layout_busy_page_range(k, mapping, 0, LLONG_MAX);
}

/*
 * dax_delete_mapping_range(), v6.15 (fs/dax.c at 00c010e130e5; v6.18.2
 * L888): every entry over [start, end] is disassociated and deleted, ✏️
 * DIRTY or TOWRITE or not, with no writeback.
 */
static void dax_delete_mapping_range(struct kernel *k, struct address_space *mapping,
				     loff_t start, loff_t end)
{
	pgoff_t first = (unsigned long)start >> PAGE_SHIFT;
	pgoff_t last = end == LLONG_MAX ? ~0UL : (unsigned long)end >> PAGE_SHIFT;
	GArray *indices = g_array_new(FALSE, FALSE, sizeof(pgoff_t));
	struct radix_tree_iter iter;

	radix_tree_for_each(&mapping->page_tree, &iter, first, last, -1)
		if (radix_tree_exceptional_entry(iter.entry))
			g_array_append_val(indices, iter.index);
	for (guint i = 0; i < indices->len; i++)
		__dax_invalidate_mapping_entry(k, mapping, g_array_index(indices, pgoff_t, i),
					       true);
	g_array_free(indices, TRUE);
}

/*
 * dax_break_layout(), v6.15 (fs/dax.c at 00c010e130e5, v6.18.2 L940):
 * dax_layout_busy_page_range() over [start, end], waiting (the fs's
 * callback drops the invalidate_lock around schedule()) while a page is
 * busy (dax_layout_wait_idle()); then dax_delete_mapping_range() over the
 * same range. Only with dax-break-layout.
 */
int dax_break_layout(struct kernel *k, struct inode *inode, loff_t start, loff_t end)
{
	int error;

	if (!IS_DAX(inode))	/* dax_mapping() */
		return 0;
	error = dax_layout_wait_idle(k, inode, start, end);
	if (error)
		return error;
	dax_delete_mapping_range(k, &inode->i_data, start, end);
	return 0;
}
