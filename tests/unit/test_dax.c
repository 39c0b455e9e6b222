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
#include "huge_mm.h"
#include "kernel.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"
#include "policy.h"

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

/*
 * ---- Every exit of v4.14's PMD fault, one test each ----
 *
 * linux-4.14.177 fs/dax.c dax_iomap_pmd_fault() (L1311-1440), in order,
 * with the test that takes each exit (VM_FAULT_FALLBACK goes on to the
 * PTE path; 0 retries the fault; SIGBUS ends it):
 *   L1343 colour of address != colour of pgoff: FALLBACK
 *         (dax.pmd_falls_back_on_misaligned_colour)
 *   L1348 write to a private VMA (COW): FALLBACK (memory.pmd_private_write_falls_back)
 *   L1352 pmd_addr < vm_start: FALLBACK (dax.pmd_exit_2m_starts_before_the_vma)
 *   L1354 pmd_addr + 2 MiB > vm_end: FALLBACK (huge_memory.falls_back_when_vma_is_short)
 *   L1357 pgoff >= max_pgoff: SIGBUS, no PTE path (dax.pmd_exit_sigbus_past_eof)
 *   L1363 the 2 MiB crosses EOF: FALLBACK (dax.pmd_exit_2m_crosses_eof,
 *         memory.small_file_falls_back_to_ptes)
 *   L1373 grab_mapping_entry() -EEXIST, a PTE entry in range: FALLBACK
 *         (dax.pmd_falls_back_on_pte_entry_in_range)
 *   L1382 a PTE table in the pmd: 0, retry (dax.pmd_exit_pte_table_retries)
 *   L1395 ->iomap_begin() fails: FALLBACK (dax.pmd_exit_iomap_begin_enospc)
 *   L1398 the extent is shorter than 2 MiB: FALLBACK (huge_memory.falls_back_on_short_extent;
 *         a write's short allocation: scenarios/regress/pmd-write-short-run-leaks-block.scn)
 *   L1407 a hole or unwritten extent on a write: WARN_ON_ONCE, FALLBACK
 *         (dax.pmd_exit_hole_on_write; ext4 never gives one, see there)
 *   dax_pmd_insert_mapping() (L1224):
 *     L1240 bdev_dax_pgoff() fails: not reachable (4 KiB blocks, page-aligned
 *           sectors, no partition offset)
 *     L1244 dax_direct_access() < 0, L1248 length < 2 MiB: not reachable (no
 *           media errors; the 2 MiB extent lies inside the device)
 *     L1250 pfn not 2 MiB aligned: FALLBACK (huge_memory.falls_back_on_unaligned_extent)
 *     L1252 !pfn_t_devmap: not reachable (the model's pmem always has a memmap)
 *     L1258 dax_insert_mapping_entry() IS_ERR: dead code in 4.14.177 (L526-577
 *           never returns an error)
 *   dax_pmd_load_hole() (L1272):
 *     L1285 no huge zero page: FALLBACK (dax.pmd_exit_no_huge_zero_page)
 *     L1290 dax_insert_mapping_entry() IS_ERR: dead code, as above
 *     L1294 the pmd is no longer none: FALLBACK (dax.pmd_exit_load_hole_pmd_present)
 * CONFIG_FS_DAX_PMD off (L1443: always FALLBACK) is not a configuration the
 * model has.
 */

/* ->huge_fault(PE_SIZE_PMD) as __handle_mm_fault() calls it, on the pmd of @addr */
static int pmd_fault(struct mm_struct *mm, unsigned long addr, unsigned flags)
{
	struct vm_fault vmf = fault_at(mm, addr, flags);

	vmf.pmd = pmd_alloc(k, mm, addr);
	return vmf.vma->vm_ops->huge_fault(k, &vmf, PE_SIZE_PMD);
}

static pmd_t pmd_of(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *p = pmd_lookup(mm, addr);

	return p ? *p : (pmd_t){ 0 };
}

/* mmap with huge pages allowed, 2 MiB aligned (thp_get_unmapped_area) */
static unsigned long map_2m(struct kernel *kk, struct mm_struct *mm, struct file *f,
			    unsigned long len, int flags)
{
	long a = do_mmap(kk, mm, f, 0, len, PROT_READ | PROT_WRITE, flags, 0);

	cr_assert_geq(a, 0);
	cr_assert_eq(a & (PMD_SIZE - 1), 0);
	return a;
}

/*
 * L1352 "if (pmd_addr < vma->vm_start) goto fallback": a VMA from one page
 * into a 2 MiB, file offset one page (the colours agree): its first 2 MiB
 * falls back, its second is whole and maps a pmd.
 */
Test(dax, pmd_exit_2m_starts_before_the_vma)
{
	struct file *f = new_file(4UL << 20);
	struct mm_struct *mm = mm_create(k);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(do_mmap(k, mm, f, x + P, (4UL << 20) - P, PROT_READ, MAP_SHARED | MAP_FIXED,
			     P), (long)(x + P));
	cr_assert_eq(pmd_fault(mm, x + 5 * P, 0), VM_FAULT_FALLBACK);
	cr_assert_null(entry_at(f, 5), "no entry grabbed: the check comes first");
	cr_assert_eq(load(mm, x + 5 * P).sig, SIG_NONE);
	cr_assert(pte_present(pte_at(mm, x + 5 * P)));
	cr_assert_eq(load(mm, x + PMD_SIZE).sig, SIG_NONE);
	cr_assert(pmd_trans_huge(pmd_of(mm, x + PMD_SIZE)));
}

/*
 * L1357 "if (pgoff >= max_pgoff) { result = VM_FAULT_SIGBUS; goto out; }":
 * a 2 MiB wholly past EOF in a VMA that covers it is SIGBUS from the PMD
 * handler itself: no fallback, so no PTE table is made for it.
 */
Test(dax, pmd_exit_sigbus_past_eof)
{
	struct file *f = new_file(PMD_SIZE);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_2m(k, mm, f, 2 * PMD_SIZE, MAP_SHARED);
	struct access_result r;

	cr_assert_eq(pmd_fault(mm, a + PMD_SIZE + 5 * P, 0), VM_FAULT_SIGBUS);
	cr_assert_eq(pmd_fault(mm, a + PMD_SIZE, FAULT_FLAG_WRITE), VM_FAULT_SIGBUS);
	r = load(mm, a + PMD_SIZE + 5 * P);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert(pmd_none(pmd_of(mm, a + PMD_SIZE)), "the PTE path never ran");
	cr_assert_null(entry_at(f, 512));
	cr_assert_eq(state(f, 512), BLOCK_HOLE, "the write allocated nothing");
}

/*
 * L1363 "if ((pgoff | PG_PMD_COLOUR) >= max_pgoff) goto fallback": a file
 * of 2 MiB and 5 pages; its second 2 MiB starts before EOF but crosses it:
 * FALLBACK, and the PTE path maps the page (and SIGBUS past EOF).
 */
Test(dax, pmd_exit_2m_crosses_eof)
{
	struct file *f = new_file(PMD_SIZE + 5 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_2m(k, mm, f, 2 * PMD_SIZE, MAP_SHARED);

	cr_assert_eq(pmd_fault(mm, a + PMD_SIZE + P, 0), VM_FAULT_FALLBACK);
	cr_assert_null(entry_at(f, 513), "no entry grabbed: the check comes first");
	cr_assert_eq(load(mm, a + PMD_SIZE + P).sig, SIG_NONE);
	cr_assert(pte_present(pte_at(mm, a + PMD_SIZE + P)));
	cr_assert_eq(load(mm, a + PMD_SIZE + 5 * P).sig, SIG_BUS);
}

/*
 * L1382 "if (!pmd_none(*vmf->pmd) && !pmd_trans_huge(*vmf->pmd) &&
 * !pmd_devmap(*vmf->pmd)) { result = 0; goto unlock_entry; }": a PTE fault
 * raced in and put a PTE table there. The fault returns 0 (retried) after
 * grab_mapping_entry() inserted an empty PMD entry, which
 * put_locked_mapping_entry() (L281) only unlocks. No split (result is not
 * FALLBACK): the PTE table stays.
 */
Test(dax, pmd_exit_pte_table_retries)
{
	struct file *f = new_file(2 * PMD_SIZE);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_2m(k, mm, f, 2 * PMD_SIZE, MAP_SHARED);
	void *e;

	cr_assert_not_null(pte_alloc(k, mm, a));
	cr_assert_eq(pmd_fault(mm, a + 3 * P, 0), 0);
	cr_assert_not_null(pte_lookup(mm, a), "the PTE table stays");
	cr_assert(pte_none(pte_at(mm, a + 3 * P)));
	e = entry_at(f, 0);
	cr_assert(e && dax_is_empty_entry(e) && dax_is_pmd_entry(e) && !dax_is_locked(e));
	/* the retried fault finds the table and takes the PTE path */
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_NONE);
	cr_assert(pte_present(pte_at(mm, a + 3 * P)));
}

/*
 * L1394-1396 "error = ops->iomap_begin(...); if (error) goto unlock_entry;":
 * result is still FALLBACK. A write to a 2 MiB hole on a full device:
 * ext4_iomap_begin() gets -ENOSPC; the PMD fault falls back (the error is
 * dropped), and the PTE path's own -ENOSPC is SIGBUS
 * (dax_fault_return()).
 */
Test(dax, pmd_exit_iomap_begin_enospc)
{
	struct kernel *big = k;
	struct kernel *tiny = kernel_create(POLICY_DAX_2017, 2 * P, 1UL << 20);
	struct inode *inode = ext4_create(tiny, true, 2 * PMD_SIZE);
	struct file *f = file_open(tiny, inode, FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(tiny);
	unsigned long a;
	void *e;

	k = tiny;
	a = map_2m(tiny, mm, f, 2 * PMD_SIZE, MAP_SHARED);
	cr_assert_eq(vfs_write(tiny, f, 0, "ab", 2), 2);
	cr_assert_eq(vfs_write(tiny, f, P, "cd", 2), 2);
	cr_assert_eq(tiny->sb.nr_free, 0);
	cr_assert_eq(pmd_fault(mm, a + PMD_SIZE, FAULT_FLAG_WRITE), VM_FAULT_FALLBACK);
	e = entry_at(f, 512);
	cr_assert(e && dax_is_empty_entry(e) && !dax_is_locked(e), "grabbed, then unlocked");
	cr_assert(pmd_none(pmd_of(mm, a + PMD_SIZE)));
	cr_assert_eq(store(mm, a + PMD_SIZE, 1).sig, SIG_BUS);
	k = big;
	mm_destroy(tiny, mm);
	file_close(tiny, f);
	kernel_destroy(tiny);
}

/* ->iomap_begin of a filesystem that reports a hole to a write */
static int hole_for_write_iomap_begin(struct kernel *kk, struct inode *inode, loff_t pos,
				      loff_t length, unsigned flags, struct iomap *iomap)
{
	return ext4_iomap_ops.iomap_begin(kk, inode, pos, length, flags & ~IOMAP_WRITE, iomap);
}

static const struct iomap_ops hole_for_write_iomap_ops = {
	.iomap_begin = hole_for_write_iomap_begin,
};

/*
 * L1407 "case IOMAP_HOLE: if (WARN_ON_ONCE(write)) break;": a hole given
 * to a write fault leaves result FALLBACK. ext4 never reaches it (its
 * ext4_iomap_begin() allocates on IOMAP_WRITE, EXT4_GET_BLOCKS_CREATE_ZERO),
 * so the hole comes from an iomap_ops that drops IOMAP_WRITE: no block,
 * no huge zero page, the empty PMD entry unlocked.
 */
Test(dax, pmd_exit_hole_on_write)
{
	struct file *f = new_file(2 * PMD_SIZE);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_2m(k, mm, f, 2 * PMD_SIZE, MAP_SHARED);
	struct vm_fault vmf = fault_at(mm, a, FAULT_FLAG_WRITE);
	unsigned long pfn = 0;
	void *e;

	vmf.pmd = pmd_alloc(k, mm, a);
	down_read(k, &f->inode->i_mmap_sem);
	cr_assert_eq(dax_iomap_fault(k, &vmf, PE_SIZE_PMD, &pfn, &hole_for_write_iomap_ops),
		     VM_FAULT_FALLBACK);
	up_read(k, &f->inode->i_mmap_sem);
	cr_assert(pmd_none(pmd_of(mm, a)));
	cr_assert_eq(state(f, 0), BLOCK_HOLE);
	e = entry_at(f, 0);
	cr_assert(e && dax_is_empty_entry(e) && !dax_is_locked(e));
	cr_assert_null(k->dram.huge_zero_page);
}

/*
 * dax_pmd_load_hole() L1285 "if (unlikely(!zero_page)) goto fallback": with
 * 1 MiB of DRAM the huge zero page cannot be had; the read falls back and
 * the PTE path maps the 4 KiB zero page.
 */
Test(dax, pmd_exit_no_huge_zero_page)
{
	struct kernel *big = k;
	struct kernel *tiny = kernel_create(POLICY_DAX_2017, 64UL << 20, 1UL << 20);
	struct inode *inode = ext4_create(tiny, true, 2 * PMD_SIZE);
	struct file *f = file_open(tiny, inode, FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(tiny);
	unsigned long a;
	void *e;

	k = tiny;
	a = map_2m(tiny, mm, f, 2 * PMD_SIZE, MAP_SHARED);
	cr_assert_eq(pmd_fault(mm, a, 0), VM_FAULT_FALLBACK);
	cr_assert_null(tiny->dram.huge_zero_page);
	/* fallback comes before dax_insert_mapping_entry(): the grabbed empty entry */
	e = entry_at(f, 0);
	cr_assert(e && dax_is_empty_entry(e) && dax_is_pmd_entry(e) && !dax_is_locked(e));
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_NONE);
	cr_assert(pmd_none(pmd_of(mm, a)) || !pmd_trans_huge(pmd_of(mm, a)));
	cr_assert(is_zero_pfn(tiny, pte_pfn(pte_at(mm, a + 3 * P))));
	k = big;
	mm_destroy(tiny, mm);
	file_close(tiny, f);
	kernel_destroy(tiny);
}

/*
 * dax_pmd_load_hole() L1294-1296 "if (!pmd_none(*(vmf->pmd))) goto
 * fallback": a second PMD read fault on a 2 MiB whose pmd another thread
 * has just set to the huge zero page. L1382 lets a huge pmd through;
 * the hole's zero entry is replaced by a new one (L552), the pmd is found
 * present: FALLBACK, and split_huge_pmd() clears it (mm/huge_memory.c
 * __split_huge_pmd_locked() L2062-2071: a DAX VMA's pmd is only cleared).
 */
Test(dax, pmd_exit_load_hole_pmd_present)
{
	struct file *f = new_file(2 * PMD_SIZE);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_2m(k, mm, f, 2 * PMD_SIZE, MAP_SHARED);
	void *e;

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert(is_huge_zero_pmd(k, pmd_of(mm, a)));
	cr_assert_eq(pmd_fault(mm, a + 3 * P, 0), VM_FAULT_FALLBACK);
	cr_assert(pmd_none(pmd_of(mm, a)), "split: cleared");
	e = entry_at(f, 0);
	cr_assert(e && dax_is_zero_entry(e) && dax_is_pmd_entry(e) && !dax_is_locked(e));
}

/*
 * ---- 6.1's PMD fault: its exits and the model's ----
 *
 * linux-6.1.20 fs/dax.c dax_iomap_pmd_fault() (L1696-1775), run by the
 * model's v4.14 code under modern with its switches:
 *   L1723 xa_index (vmf->pgoff rounded down to 2 MiB) >= max_pgoff: SIGBUS,
 *         before anything else (switch dax-pmd-sigbus-first:
 *         dax.pmd_exit_6_1_sigbus_before_fallback)
 *   L1728 dax_fault_check_fallback() (L1663): colour, COW, vm_start, vm_end,
 *         crossing EOF: FALLBACK, each v4.14's test above
 *   L1737 grab_mapping_entry() gives VM_FAULT_FALLBACK (a PTE entry in range):
 *         dax.pmd_falls_back_on_pte_entry_in_range; VM_FAULT_OOM (xas_nomem()
 *         failing) is not reachable (no allocation failure)
 *   L1749 a PTE table in the pmd: 0 (dax.pmd_exit_pte_table_retries)
 *   L1756 iomap_iter() < 0 (->iomap_begin failed): ret stays FALLBACK
 *         (dax.pmd_exit_iomap_begin_enospc)
 *   L1757 iomap_length() < 2 MiB: FALLBACK (huge_memory.falls_back_on_short_extent)
 *   dax_fault_iter() (L1530):
 *     L1552 a read of a hole or unwritten extent: dax_pmd_load_hole() (L1165):
 *           L1180 no huge zero page: FALLBACK (dax.pmd_exit_no_huge_zero_page);
 *           L1188 pte_alloc_one() failing: not reachable (x86 has no
 *           arch_needs_pgtable_deposit()); L1194 the pmd present: FALLBACK
 *           (dax.pmd_exit_load_hole_pmd_present)
 *     L1555 not IOMAP_MAPPED nor IOMAP_F_SHARED (a hole on a write): WARN_ON_ONCE,
 *           FALLBACK (dax.pmd_exit_hole_on_write)
 *     L1560 dax_iomap_direct_access() fails (short, pfn not 2 MiB aligned,
 *           !pfn_t_devmap, a media error): FALLBACK; only the pfn's alignment
 *           is reachable (huge_memory.falls_back_on_unaligned_extent)
 *     L1568 dax_iomap_cow_copy(): IOMAP_F_SHARED (reflink), not ext4's
 *     L1574 synchronous: VM_FAULT_NEEDDSYNC (modern.map_sync_pmd_fault)
 *     L1578 vmf_insert_pfn_pmd() (switch pmd-insert-checks: modern.pmd_insert_checks)
 */

/*
 * L1723-1729 against v4.14's L1343-1364: a private write 2 MiB past EOF,
 * and a read past EOF whose colour is off by one page. v4.14 falls back
 * for the COW and the colour before it looks at i_size; 6.1 returns
 * SIGBUS first. 6.1's index is vmf->pgoff rounded down (XA_STATE_ORDER),
 * not the pmd's linear_page_index(): with the colour off by one page, the
 * read at offset 2 MiB + 4K tests index 512, not 513.
 */
Test(dax, pmd_exit_6_1_sigbus_before_fallback)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_2m(k, mm, f, 4UL << 20, MAP_PRIVATE);
	unsigned long x = 0x600000000000UL;

	cr_assert_eq(do_mmap(k, mm, f, x, 4UL << 20, PROT_READ, MAP_SHARED | MAP_FIXED, P),
		     (long)x);
	cr_assert_eq(pmd_fault(mm, a + PMD_SIZE, FAULT_FLAG_WRITE), VM_FAULT_FALLBACK);
	cr_assert_eq(pmd_fault(mm, x + PMD_SIZE, 0), VM_FAULT_FALLBACK);
	k->policy.sw[SW_DAX_PMD_SIGBUS_FIRST] = 1;
	cr_assert_eq(pmd_fault(mm, a + PMD_SIZE, FAULT_FLAG_WRITE), VM_FAULT_SIGBUS);
	cr_assert_eq(pmd_fault(mm, x + PMD_SIZE, 0), VM_FAULT_SIGBUS);
	/* inside EOF the order changes nothing: the COW still falls back */
	cr_assert_eq(pmd_fault(mm, a, FAULT_FLAG_WRITE), VM_FAULT_FALLBACK);
	cr_assert_eq(store(mm, a + PMD_SIZE, 1).sig, SIG_BUS);
	cr_assert(pmd_none(pmd_of(mm, a + PMD_SIZE)));
}

/* ---- a PMD entry's downgrade wakes all its sleepers ---- */

struct downgrade_race {
	struct mm_struct *mm;
	unsigned long addr;
	struct access_result res[4];
};

static void downgrade_load(struct kernel *kk, void *arg)
{
	struct downgrade_race *r = arg;

	r->res[kk->current] = user_access(kk, r->mm, r->addr + kk->current * P, 8, false, 0);
}

/*
 * grab_mapping_entry() (v4.14 fs/dax.c L327-L420): a PTE fault that finds
 * a zero PMD entry locks it, drops tree_lock to unmap the huge zero page,
 * then deletes it and wakes every sleeper of its key (L407-L410,
 * wake_all true): the other PTE faults of the 2 MiB, asleep on the
 * PMD-aligned index, whose key no entry will name again. Three PTE faults
 * at indices 1-3 under every schedule of 8 choices: all end, the zero
 * page at each index. With bug-downgrade-wake-one (one woken) some
 * schedule leaves a fault asleep with its entry free: a lost wakeup.
 */
static void downgrade_races(int sw, int *lost, int *done)
{
	*lost = *done = 0;
	for (unsigned bits = 0; bits < 256; bits++) {
		struct downgrade_race r;
		struct mm_struct *ma;
		struct file *f;
		long a;
		enum sched_result ret;
		struct mm_struct *mms[3];
		void (*fns[3])(struct kernel *, void *) = { downgrade_load, downgrade_load,
							   downgrade_load };
		void *args[3] = { &r, &r, &r };

		fx_fini();
		fx_init();
		if (sw >= 0)
			k->policy.sw[sw] = 1;
		f = new_file(PMD_SIZE);
		ma = mm_create(k);
		a = do_mmap(k, ma, f, 0, PMD_SIZE, PROT_READ, MAP_SHARED, 0);
		cr_assert_geq(a, 0);
		cr_assert_eq(load(ma, a).sig, SIG_NONE);
		cr_assert(dax_is_pmd_entry(entry_at(f, 0)) && dax_is_zero_entry(entry_at(f, 0)));
		r.mm = mms[0] = mms[1] = mms[2] = mm_create(k);
		r.addr = map(r.mm, f, PMD_SIZE, PROT_READ, MAP_SHARED, 0);
		ret = fx_run_tasks(bits, 8, 3, mms, fns, args);
		if (ret == SCHED_LOST_WAKEUP) {
			(*lost)++;
			continue;
		}
		cr_assert_eq(ret, SCHED_DONE, "choices %#x: %d", bits, ret);
		(*done)++;
		for (pgoff_t i = 1; i <= 3; i++) {
			cr_assert_eq(r.res[i].sig, SIG_NONE);
			cr_assert(dax_is_zero_entry(entry_at(f, i)) && !dax_is_pmd_entry(entry_at(f, i)));
		}
		cr_assert_null(entry_at(f, 0));
		cr_assert_null(k->dax_wait_table.head);
	}
}

Test(dax, downgrade_wakes_every_sleeper)
{
	int lost, done;

	downgrade_races(-1, &lost, &done);
	cr_assert_eq(lost, 0);
	downgrade_races(SW_BUG_DOWNGRADE_WAKE_ONE, &lost, &done);
	cr_assert_gt(lost, 0);
	cr_assert_gt(done, 0);
}

/* ---- deleting an entry wakes one sleeper (v4.14) or all (6.1) ---- */

struct invalidate_race {
	struct file *f;
};

static void invalidate_fsync(struct kernel *kk, void *arg)
{
	struct invalidate_race *r = arg;

	vfs_fsync_range(kk, r->f, 0, LLONG_MAX, 0);
}

static void invalidate_truncate(struct kernel *kk, void *arg)
{
	struct invalidate_race *r = arg;

	cr_assert_eq(vfs_truncate(kk, r->f, 0), 0);
}

/*
 * Three fsyncs and a truncate (the last task, which fx_run_tasks()'s
 * choices can run first after a preemption) on one DIRTY entry, under
 * every schedule of 10 choices (dax-2017). __dax_invalidate_mapping_entry() (v4.14 fs/dax.c
 * L441-L462) wakes the next sleeper only; an fsync woken that finds the
 * entry gone (dax_writeback_one(), L676-L679) wakes nobody, so a schedule
 * leaves the last fsync asleep (docs/findings.md; the kernel's bug until
 * 2021). With dax-invalidate-wake-all (6.1 L773, WAKE_ALL) every schedule
 * ends with the entry gone and nobody asleep.
 */
static void invalidate_races(int wake_all, int *lost, int *done)
{
	*lost = *done = 0;
	for (unsigned bits = 0; bits < 1024; bits++) {
		struct invalidate_race r;
		struct mm_struct *ma;
		unsigned long a;
		enum sched_result ret;
		struct mm_struct *mms[4] = { NULL };
		void (*fns[4])(struct kernel *, void *) = { invalidate_fsync, invalidate_fsync,
							   invalidate_fsync, invalidate_truncate };
		void *args[4] = { &r, &r, &r, &r };

		fx_fini();
		fx_init();
		k->policy.sw[SW_DAX_INVALIDATE_WAKE_ALL] = wake_all;
		r.f = new_file(P);
		ma = mm_create(k);
		a = map(ma, r.f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		cr_assert_eq(store(ma, a, 0x11).sig, SIG_NONE);
		cr_assert(dirty_tag(r.f, 0));
		ret = fx_run_tasks(bits, 10, 4, mms, fns, args);
		if (ret == SCHED_LOST_WAKEUP) {
			(*lost)++;
			continue;
		}
		cr_assert_eq(ret, SCHED_DONE, "choices %#x: %d", bits, ret);
		(*done)++;
		cr_assert_null(entry_at(r.f, 0));
		cr_assert_null(k->dax_wait_table.head);
	}
}

Test(dax, invalidate_wakes_one_or_all)
{
	int lost, done;

	invalidate_races(0, &lost, &done);
	cr_assert_gt(lost, 0, "v4.14 leaves an fsync asleep");
	cr_assert_gt(done, 0);
	invalidate_races(1, &lost, &done);
	cr_assert_eq(lost, 0);
}

/* ---- a deletion that does not wait for the entry lock ---- */

struct nowait_race {
	struct mm_struct *mm;
	unsigned long addr;
	struct file *f;
};

static void nowait_fsync(struct kernel *kk, void *arg)
{
	struct nowait_race *r = arg;

	vfs_fsync_range(kk, r->f, 0, LLONG_MAX, 0);
}

static void nowait_store(struct kernel *kk, void *arg)
{
	struct nowait_race *r = arg;

	user_access(kk, r->mm, r->addr + P, 8, true, 0x22);
}

static void nowait_truncate(struct kernel *kk, void *arg)
{
	struct nowait_race *r = arg;

	cr_assert_eq(vfs_truncate(kk, r->f, P), 0);
	cr_assert_eq(vfs_truncate(kk, r->f, 2 * P), 0);
}

/*
 * An fsync of index 1's DIRTY entry, a store to it, and a truncate that
 * cuts it off and grows the file again, under every schedule of 8 choices
 * (dax-2017). The truncate's dax_delete_mapping_entry() waits for the
 * writeback's entry lock (v4.14 __dax_invalidate_mapping_entry(), fs/dax.c
 * L449): when both end, a writable PTE on index 1 always has its entry
 * DIRTY. With bug-truncate-no-entry-wait the truncate deletes the locked
 * entry; the store refaults a new one, DIRTY, and the writeback, going
 * on, clears its tag (L744-L746) and finds it unlocked at its unlock
 * (L271-L275, the kernel's WARN and return): a writable PTE on an entry
 * not DIRTY.
 */
static int nowait_races(int sw)
{
	int lost_dirty = 0;

	for (unsigned bits = 0; bits < 256; bits++) {
		struct nowait_race r;
		struct mm_struct *mms[3];
		void (*fns[3])(struct kernel *, void *) = { nowait_fsync, nowait_store,
							   nowait_truncate };
		void *args[3] = { &r, &r, &r };
		pte_t pte;

		fx_fini();
		fx_init();
		if (sw >= 0)
			k->policy.sw[sw] = 1;
		r.f = new_file(2 * P);
		r.mm = mm_create(k);
		r.addr = map(r.mm, r.f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		cr_assert_eq(store(r.mm, r.addr + P, 0x11).sig, SIG_NONE);
		cr_assert(dirty_tag(r.f, 1));
		mms[0] = mms[2] = NULL;
		mms[1] = r.mm;
		cr_assert_eq(fx_run_tasks(bits, 8, 3, mms, fns, args), SCHED_DONE, "choices %#x",
			     bits);
		pte = pte_at(r.mm, r.addr + P);
		if (pte_present(pte) && pte_write(pte)) {
			cr_assert_not_null(entry_at(r.f, 1));
			lost_dirty += !dirty_tag(r.f, 1);
		}
		cr_assert_null(k->dax_wait_table.head);
	}
	return lost_dirty;
}

Test(dax, truncate_waits_for_entry_lock)
{
	cr_assert_eq(nowait_races(-1), 0);
	cr_assert_gt(nowait_races(SW_BUG_TRUNCATE_NO_ENTRY_WAIT), 0);
}

/* ---- two write faults on one hole: the entry lock and the second lookup ---- */

/*
 * fx_two_stores_one_hole() under dax-2017. The fault holds the entry lock
 * from grab_mapping_entry() to its unlock (v4.14 fs/dax.c L327-430), and
 * ext4_map_blocks() looks again under down_write(i_data_sem) (v4.14
 * fs/ext4/inode.c L637): either keeps the second fault from allocating.
 */
static int hole_races(int a, int b)
{
	return fx_two_stores_one_hole(fx_init, new_file, a, b);
}

Test(dax, two_faults_one_hole_serialized_twice)
{
	cr_assert_eq(hole_races(-1, -1), 0);
	cr_assert_eq(hole_races(SW_BUG_FAULT_NO_ENTRY_WAIT, -1), 0, "ext4's second lookup");
	cr_assert_eq(hole_races(SW_BUG_ALLOC_NO_RECHECK, -1), 0, "the entry lock");
	cr_assert_gt(hole_races(SW_BUG_FAULT_NO_ENTRY_WAIT, SW_BUG_ALLOC_NO_RECHECK), 0);
}
