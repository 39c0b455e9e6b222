// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/dax.c: fs/dax.c v4.14 -- the radix-tree entries
 * (format, locking, replacement, tags), the PTE and PMD fault entry points,
 * writeback for fsync/msync, and entry deletion/invalidation. Expected
 * values come from docs/eras/dax-2017.md, cited as §n.
 */
#include <criterion/criterion.h>

#include "fixture.h"
#include <limits.h>

#include "dax.h"
#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"

TestSuite(dax, .init = fx_init, .fini = fx_fini);

/* ---- entries ---- */

/* §0, §3: a zero entry: exceptional, RADIX_DAX_ZERO_PAGE, sector 0, unlocked. */
Test(dax, zero_entry_format)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	void *e;

	cr_assert_eq(load(mm, a + 7 * P).sig, SIG_NONE);
	e = entry_at(f, 7);
	cr_assert(radix_tree_exceptional_entry(e));
	cr_assert(dax_is_zero_entry(e));
	cr_assert_not(dax_is_empty_entry(e));
	cr_assert_not(dax_is_pmd_entry(e));
	cr_assert_not(dax_is_block_entry(e));
	cr_assert_not(dax_is_locked(e), "§1 step 11: the entry is unlocked at the end");
	cr_assert_eq(dax_radix_sector(e), 0);
	cr_assert_not(tag(f, 7, PAGECACHE_TAG_DIRTY) || tag(f, 7, PAGECACHE_TAG_TOWRITE));
	cr_assert_eq(f->inode->i_data.nrexceptional, 1);
	cr_assert_not(f->inode->dirty, "a read fault does not dirty the inode");
}

/*
 * §0: a block entry stores the sector; §2 steps 1 and 4: a write fault marks
 * the inode dirty (I_DIRTY_PAGES) and tags the entry DIRTY.
 */
Test(dax, block_entry_format)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b;
	void *e;

	cr_assert_eq(vfs_write(k, f, 0, "x", 1), 1);	/* block 0 goes to index 0 */
	cr_assert_eq(store(mm, a + 3 * P, 1).sig, SIG_NONE);
	b = block_of(f, 3);
	cr_assert_neq(b, 0);
	e = entry_at(f, 3);
	cr_assert(radix_tree_exceptional_entry(e));
	cr_assert(dax_is_block_entry(e));
	cr_assert_not(dax_is_pmd_entry(e));
	cr_assert_not(dax_is_locked(e));
	cr_assert_eq(dax_radix_sector(e), b * (PAGE_SIZE / 512), "the entry stores a sector");
	cr_assert_eq(dax_entry_block(e), b);
	cr_assert(tag(f, 3, PAGECACHE_TAG_DIRTY));
	cr_assert_not(tag(f, 3, PAGECACHE_TAG_TOWRITE));
	cr_assert(f->inode->dirty);
	cr_assert_eq(f->inode->i_data.nrexceptional, 1);
}

/* §12 row 5: a read of a block: the empty entry is replaced untagged. */
Test(dax, read_of_block_entry_is_clean)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	void *e;

	cr_assert_eq(vfs_write(k, f, 2 * P, "abc", 3), 3);
	cr_assert_null(entry_at(f, 2), "write(2) inserts no entry (§9)");
	cr_assert_eq(load(mm, a + 2 * P).sig, SIG_NONE);
	e = entry_at(f, 2);
	cr_assert(dax_is_block_entry(e));
	cr_assert_eq(dax_entry_block(e), block_of(f, 2));
	cr_assert_not(tag(f, 2, PAGECACHE_TAG_DIRTY));
	cr_assert_not(f->inode->dirty);
}

/*
 * §1 "Empty entries persist": a later read fault replaces the EMPTY entry
 * left by a COW fault with a zero entry, a later write fault with a DIRTY
 * block entry; nrexceptional keeps counting one entry.
 */
Test(dax, empty_entry_replaced_by_later_faults)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long p = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long s = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(store(mm, p, 1).sig, SIG_NONE);
	cr_assert_eq(store(mm, p + P, 2).sig, SIG_NONE);
	cr_assert(dax_is_empty_entry(entry_at(f, 0)));
	cr_assert(dax_is_empty_entry(entry_at(f, 1)));
	cr_assert_eq(f->inode->i_data.nrexceptional, 2);

	cr_assert_eq(load(mm, s).sig, SIG_NONE);
	cr_assert(dax_is_zero_entry(entry_at(f, 0)));
	cr_assert_eq(store(mm, s + P, 3).sig, SIG_NONE);
	cr_assert(dax_is_block_entry(entry_at(f, 1)));
	cr_assert(tag(f, 1, PAGECACHE_TAG_DIRTY));
	cr_assert_eq(f->inode->i_data.nrexceptional, 2);
	/* The private copies are unaffected. */
	cr_assert_eq(load(mm, p).value, 1);
	cr_assert_eq(load(mm, p + P).value, 2);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 2);
}

/*
 * §2 steps 3 and 5: an existing block entry is left alone (same value) by a
 * later fault, and a read fault never clears DIRTY.
 */
Test(dax, block_entry_left_alone_and_dirty_kept)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	void *e;

	cr_assert_eq(store(ma, a, 5).sig, SIG_NONE);
	e = entry_at(f, 0);
	cr_assert_eq(load(mb, b).value, 5);
	cr_assert_eq(entry_at(f, 0), e);
	cr_assert(tag(f, 0, PAGECACHE_TAG_DIRTY), "reading a dirty entry leaves it dirty");
	cr_assert_eq(do_madvise(k, ma, a, P, MADV_DONTNEED), 0);
	cr_assert_eq(store(ma, a, 6).sig, SIG_NONE);
	cr_assert_eq(entry_at(f, 0), e, "re-fault on a block entry: no replacement");
	cr_assert_eq(f->inode->i_blocks, 1);
}

/*
 * §1 step 6: the cow_page path never replaces the radix entry: a zero entry
 * and a DIRTY block entry stay as they were.
 */
Test(dax, cow_fault_never_replaces_entry)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long s = map(ma, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mb, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	void *z, *e;

	cr_assert_eq(load(ma, s).sig, SIG_NONE);		/* idx 0: zero entry */
	cr_assert_eq(store(ma, s + P, 0xaa).sig, SIG_NONE);	/* idx 1: dirty block */
	z = entry_at(f, 0);
	e = entry_at(f, 1);
	cr_assert_eq(store(mb, p, 1).sig, SIG_NONE);		/* COW over the hole */
	cr_assert_eq(store(mb, p + P + 8, 2).sig, SIG_NONE);	/* COW of the block */
	cr_assert_eq(entry_at(f, 0), z);
	cr_assert_eq(entry_at(f, 1), e);
	cr_assert(tag(f, 1, PAGECACHE_TAG_DIRTY));
	cr_assert(is_zero_pfn(k, pte_pfn(pte_at(ma, s))), "no unmap on the COW path");
	cr_assert_eq(load(mb, p + P).value, 0xaa, "copy_user_dax copied the block");
	cr_assert_eq(load(ma, s + P + 8).value, 0);
	cr_assert_eq(mb->rss[MM_ANONPAGES], 2);
	cr_assert_eq(f->inode->i_blocks, 1);
}

/* trace_index_changed: the checkers hear about each entry change. */
struct idx_log { int calls; pgoff_t last; };

static void log_index(void *ctx, struct inode *inode, pgoff_t index)
{
	struct idx_log *l = ctx;

	l->calls++;
	l->last = index;
}

Test(dax, entry_changes_reported)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct idx_log log = { 0 };

	k->hooks.ctx = &log;
	k->hooks.index_changed = log_index;
	cr_assert_eq(store(mm, a + 9 * P, 1).sig, SIG_NONE);
	cr_assert_geq(log.calls, 1);
	cr_assert_eq(log.last, 9);
	log.calls = 0;
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	cr_assert_geq(log.calls, 1, "clearing DIRTY is a change");
	cr_assert_eq(log.last, 9);
	k->hooks.index_changed = NULL;
}

/* ---- writeback (§8) ---- */

/*
 * dax_writeback_one: TOWRITE and DIRTY cleared, shared PTEs write-protected
 * and cleaned (still mapped, same pfn), the block's lines flushed.
 */
Test(dax, writeback_cleans_entry_ptes_and_lines)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pfn;
	uint64_t media = 0;

	cr_assert_eq(store(ma, a + 8, 0xfeed).sig, SIG_NONE);
	cr_assert_eq(store(mb, b + 16, 0xbeef).sig, SIG_NONE);
	pfn = block_pfn(block_of(f, 0));
	cr_assert(pte_write(pte_at(mb, b)), "the second mapping got a writable PTE");
	cr_assert_not(pmem_page_durable(k, pfn));

	cr_assert_eq(dax_writeback_mapping_range(k, &f->inode->i_data, 0, LLONG_MAX), 0);
	cr_assert_not(tag(f, 0, PAGECACHE_TAG_DIRTY));
	cr_assert_not(tag(f, 0, PAGECACHE_TAG_TOWRITE));
	cr_assert(pmem_page_durable(k, pfn));
	pmem_read_media(k, pfn, 8, &media, sizeof(media));
	cr_assert_eq(media, 0xfeed);
	for (int i = 0; i < 2; i++) {
		pte_t pte = i ? pte_at(mb, b) : pte_at(ma, a);

		cr_assert(pte_present(pte), "mkclean keeps the PTE mapped");
		cr_assert_eq(pte_pfn(pte), pfn);
		cr_assert_not(pte_write(pte));
		cr_assert_not(pte_dirty(pte));
	}
	cr_assert(dax_is_block_entry(entry_at(f, 0)));
	cr_assert_not(dax_is_locked(entry_at(f, 0)));
}

/*
 * §8: tag_pages_for_writeback over [start >> 12, end >> 12], end inclusive:
 * only entries whose index is in that range are written back.
 */
Test(dax, writeback_range_is_by_index)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	for (int i = 0; i < 4; i++)
		cr_assert_eq(store(mm, a + i * P, i).sig, SIG_NONE);
	cr_assert_eq(dax_writeback_mapping_range(k, &f->inode->i_data, P, 2 * P - 1), 0);
	cr_assert(tag(f, 0, PAGECACHE_TAG_DIRTY));
	cr_assert_not(tag(f, 1, PAGECACHE_TAG_DIRTY));
	cr_assert(tag(f, 2, PAGECACHE_TAG_DIRTY));
	/* end = 2P: end_index 2, so index 2 is included. */
	cr_assert_eq(dax_writeback_mapping_range(k, &f->inode->i_data, 0, 2 * P), 0);
	cr_assert_not(tag(f, 0, PAGECACHE_TAG_DIRTY));
	cr_assert_not(tag(f, 2, PAGECACHE_TAG_DIRTY));
	cr_assert(tag(f, 3, PAGECACHE_TAG_DIRTY));
	cr_assert(pte_write(pte_at(mm, a + 3 * P)), "index 3 was not touched");
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 3))));
}

/*
 * §8: zero and empty entries are never tagged, so writeback leaves them
 * (and a mapping with no entries) alone.
 */
Test(dax, writeback_ignores_zero_and_empty_entries)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	void *z, *e;

	cr_assert_eq(dax_writeback_mapping_range(k, &f->inode->i_data, 0, LLONG_MAX), 0);
	cr_assert_eq(load(mm, s).sig, SIG_NONE);
	cr_assert_eq(store(mm, p + P, 1).sig, SIG_NONE);
	z = entry_at(f, 0);
	e = entry_at(f, 1);
	cr_assert_eq(dax_writeback_mapping_range(k, &f->inode->i_data, 0, LLONG_MAX), 0);
	cr_assert_eq(entry_at(f, 0), z);
	cr_assert_eq(entry_at(f, 1), e);
	cr_assert(is_zero_pfn(k, pte_pfn(pte_at(mm, s))));
	cr_assert(pte_write(pte_at(mm, p + P)), "private COW PTEs are never touched");
}

/*
 * §8 last bullet: after writeback the next store takes a wp fault that
 * re-dirties the entry, upgrades the PTE, updates mtime, and is minor.
 */
Test(dax, store_after_writeback_redirties)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;
	uint64_t t;

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	t = f->inode->i_mtime;
	r = store(mm, a, 2);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_not(r.fault_ret & VM_FAULT_MAJOR);
	cr_assert(tag(f, 0, PAGECACHE_TAG_DIRTY));
	cr_assert(pte_write(pte_at(mm, a)) && pte_dirty(pte_at(mm, a)));
	cr_assert_gt(f->inode->i_mtime, t);
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 0))));
}

/* ---- deletion and invalidation ---- */

/* §5: truncate_exceptional_entry deletes an entry whether DIRTY or not. */
Test(dax, delete_mapping_entry_deletes_dirty)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct address_space *m = &f->inode->i_data;

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(load(mm, a + P).sig, SIG_NONE);
	cr_assert_eq(m->nrexceptional, 2);
	cr_assert_eq(dax_delete_mapping_entry(k, m, 0), 1);
	cr_assert_null(entry_at(f, 0));
	cr_assert_not(radix_tree_tagged(&m->page_tree, PAGECACHE_TAG_DIRTY));
	cr_assert_eq(dax_delete_mapping_entry(k, m, 1), 1);
	cr_assert_eq(m->nrexceptional, 0);
	cr_assert_eq(dax_delete_mapping_entry(k, m, 5), 0, "no entry: nothing to do");
}

/*
 * §9: dax_invalidate_mapping_entry_sync deletes only clean entries: zero,
 * empty and clean block entries go; DIRTY or TOWRITE entries stay.
 */
Test(dax, invalidate_deletes_only_clean_entries)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct address_space *m = &f->inode->i_data;

	cr_assert_eq(load(mm, s).sig, SIG_NONE);			/* 0: zero */
	cr_assert_eq(store(mm, p + P, 1).sig, SIG_NONE);		/* 1: empty */
	cr_assert_eq(vfs_write(k, f, 2 * P, "x", 1), 1);
	cr_assert_eq(load(mm, s + 2 * P).sig, SIG_NONE);		/* 2: clean block */
	cr_assert_eq(store(mm, s + 3 * P, 1).sig, SIG_NONE);		/* 3: dirty block */
	cr_assert_eq(store(mm, s + 4 * P, 1).sig, SIG_NONE);		/* 4: towrite only */
	radix_tree_tag_clear(&m->page_tree, 4, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_set(&m->page_tree, 4, PAGECACHE_TAG_TOWRITE);
	cr_assert_eq(m->nrexceptional, 5);

	cr_assert_eq(dax_invalidate_mapping_entry_sync(k, m, 0), 1);
	cr_assert_eq(dax_invalidate_mapping_entry_sync(k, m, 1), 1);
	cr_assert_eq(dax_invalidate_mapping_entry_sync(k, m, 2), 1);
	cr_assert_eq(dax_invalidate_mapping_entry_sync(k, m, 3), 0);
	cr_assert_eq(dax_invalidate_mapping_entry_sync(k, m, 4), 0);
	cr_assert_null(entry_at(f, 0));
	cr_assert_null(entry_at(f, 1));
	cr_assert_null(entry_at(f, 2));
	cr_assert_not_null(entry_at(f, 3));
	cr_assert_not_null(entry_at(f, 4));
	cr_assert_eq(m->nrexceptional, 2);
}

/* ---- PMD fallbacks (§11) ---- */

/* "a PTE entry already in range": the PMD fault falls back to PTEs. */
Test(dax, pmd_falls_back_on_pte_entry_in_range)
{
	struct file *f = new_file(4UL << 20);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long b = map(mb, f, 4UL << 20, PROT_READ, MAP_SHARED, 0);
	long a = do_mmap(k, ma, f, 0, 4UL << 20, PROT_READ, MAP_SHARED, 0);

	cr_assert_geq(a, 0);
	cr_assert_eq(a & (PMD_SIZE - 1), 0);
	cr_assert_eq(load(mb, b + 300 * P).sig, SIG_NONE);	/* a zero entry at 300 */
	k->not_modelled = NULL;
	cr_assert_eq(load(ma, a + 5 * P).sig, SIG_NONE);
	cr_assert_null(k->not_modelled);
	cr_assert(pte_present(pte_at(ma, a + 5 * P)));
	/* The second 2 MiB has no entry: it maps the huge zero page. */
	cr_assert_eq(load(ma, a + PMD_SIZE).sig, SIG_NONE);
	cr_assert_null(pte_lookup(ma, a + PMD_SIZE));
	cr_assert(pmd_trans_huge(*pmd_lookup(ma, a + PMD_SIZE)));
}

/* "misaligned colour": address and file offset differ modulo 2 MiB. */
Test(dax, pmd_falls_back_on_misaligned_colour)
{
	struct file *f = new_file(8UL << 20);
	struct mm_struct *mm = mm_create(k);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(do_mmap(k, mm, f, x, 4UL << 20, PROT_READ, MAP_SHARED | MAP_FIXED, P),
		     (long)x);
	k->not_modelled = NULL;
	cr_assert_eq(load(mm, x + 5 * P).sig, SIG_NONE);
	cr_assert_null(k->not_modelled);
	cr_assert(pte_present(pte_at(mm, x + 5 * P)));
	cr_assert(dax_is_zero_entry(entry_at(f, 6)));
}
