// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/memory.c: the generic fault path of mm/memory.c
 * v4.14 as it runs for ext4 DAX files (handle_mm_fault, do_fault,
 * do_wp_page, insert_pfn, finish_fault, wp_page_copy), fault counting as
 * arch/x86/mm/fault.c does it, and zap / unmap_mapping_range.
 * Expected values come from docs/eras/dax-2017.md, cited as §n.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "dax.h"
#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"

TestSuite(memory, .init = fx_init, .fini = fx_fini);

/* A mapping that takes the 4 KiB path (MADV_NOHUGEPAGE, §11). */

/* ---- read faults ---- */

/*
 * §3: a read of a hole maps ZERO_PAGE(0) read-only, special, not devmap,
 * with no page reference and no rss, under a zero entry; §4: a minor fault.
 */
Test(memory, read_fault_on_hole_maps_zero_page)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r = load(mm, a + 3 * P + 8);
	pte_t pte = pte_at(mm, a + 3 * P);
	void *e = entry_at(f, 3);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.value, 0);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert(r.fault_ret & VM_FAULT_NOPAGE);
	cr_assert(is_zero_pfn(k, r.pfn));
	cr_assert(pte_present(pte));
	cr_assert(is_zero_pfn(k, pte_pfn(pte)));
	cr_assert_not(pte_write(pte));
	cr_assert(pte_special(pte));
	cr_assert_not(pte_devmap(pte));
	cr_assert_not_null(e);
	cr_assert(dax_is_zero_entry(e));
	cr_assert_not(dirty_tag(f, 3));
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0);
	cr_assert_eq(k->dram.zero_page->refcount, 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert_eq(f->inode->i_blocks, 0, "a read allocates nothing");
}

/* §12 row 5: a read of a written block: clean entry, read-only devmap PTE. */
Test(memory, read_fault_on_block_maps_readonly)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint64_t v = 0x0123456789abcdefULL;
	struct access_result r;
	pte_t pte;

	cr_assert_eq(vfs_write(k, f, 2 * P, &v, sizeof(v)), sizeof(v));
	r = load(mm, a + 2 * P);
	pte = pte_at(mm, a + 2 * P);
	cr_assert_eq(r.value, v);
	cr_assert_eq(pte_pfn(pte), block_pfn(block_of(f, 2)));
	cr_assert_not(pte_write(pte));
	cr_assert_not(pte_dirty(pte));
	cr_assert(pte_special(pte) && pte_devmap(pte), "§3: DAX PTEs are special|devmap");
	cr_assert_not(dirty_tag(f, 2));
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->maj_flt, 0);
}

/* ---- shared write faults ---- */

/* The first PTE value the fault path writes (before the CPU's access). */
struct first_pte { bool seen; pte_t val; };

static void record_first(void *ctx, struct vm_area_struct *vma, unsigned long addr,
			 pte_t old, pte_t new)
{
	struct first_pte *fp = ctx;

	if (!fp->seen && pte_present(new)) {
		fp->seen = true;
		fp->val = new;
	}
}

/*
 * §12 row 2/4, §4 insert_pfn: a write to a hole allocates (IOMAP_F_NEW,
 * major), tags DIRTY and inserts the PTE young, dirty and writable at once.
 */
Test(memory, write_fault_on_hole_allocates_major)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct first_pte first = { 0 };
	struct access_result r;
	pte_t pte;

	k->hooks.ctx = &first;
	k->hooks.pte_changed = record_first;
	r = store(mm, a + 5 * P, 42);
	k->hooks.pte_changed = NULL;
	pte = pte_at(mm, a + 5 * P);
	cr_assert(first.seen);
	cr_assert(pte_write(first.val) && pte_dirty(first.val) && pte_young(first.val),
		  "vm_insert_mixed_mkwrite inserts it young, dirty and writable");

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert(r.fault_ret & VM_FAULT_MAJOR);
	cr_assert(r.fault_ret & VM_FAULT_NOPAGE);
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->min_flt, 0);
	cr_assert_eq(f->inode->i_blocks, 1);
	cr_assert_eq(pte_pfn(pte), block_pfn(block_of(f, 5)));
	cr_assert_eq(r.pfn, pte_pfn(pte));
	cr_assert(pte_write(pte) && pte_dirty(pte) && pte_young(pte));
	cr_assert(pte_devmap(pte) && pte_special(pte));
	cr_assert(dirty_tag(f, 5));
	cr_assert_eq(mm->rss[MM_FILEPAGES] + mm->rss[MM_ANONPAGES], 0);
	cr_assert_eq(load(mm, a + 5 * P).value, 42);
}

/*
 * §12 row 6: read then write: a wp fault (pfn_mkwrite -> the whole DAX
 * fault again) upgrades the same PTE in place, tags DIRTY, and is minor.
 */
Test(memory, write_after_read_upgrades_in_place)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pfn;
	struct access_result r;

	cr_assert_eq(vfs_write(k, f, 0, "data", 4), 4);
	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	pfn = pte_pfn(pte_at(mm, a));
	cr_assert_not(dirty_tag(f, 0));
	r = store(mm, a, 7);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_not(r.fault_ret & VM_FAULT_MAJOR);
	cr_assert_eq(pte_pfn(pte_at(mm, a)), pfn, "same block, same PTE");
	cr_assert(pte_write(pte_at(mm, a)) && pte_dirty(pte_at(mm, a)));
	cr_assert(dirty_tag(f, 0));
	cr_assert_eq(mm->min_flt, 2);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert_eq(f->inode->i_blocks, 1);
}

/*
 * §12 row 4: a store to a zero-page PTE of a shared writable VMA takes the
 * wp fault, which allocates (major) and replaces the zero page by the block.
 */
Test(memory, write_to_zero_page_pte_allocates)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;
	void *e;

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	r = store(mm, a, 0x77);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert(r.fault_ret & VM_FAULT_MAJOR);
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(pte_pfn(pte_at(mm, a)), block_pfn(block_of(f, 0)));
	cr_assert(pte_write(pte_at(mm, a)));
	e = entry_at(f, 0);
	cr_assert(dax_is_block_entry(e));
	cr_assert_eq(dax_entry_block(e), block_of(f, 0));
	cr_assert(dirty_tag(f, 0));
}

/*
 * §2 step 2, §12 row 3: replacing a zero entry by a block unmaps the zero
 * page at that index from every VMA of the file, private ones included.
 */
Test(memory, write_to_hole_unmaps_zero_page_everywhere)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k), *mc = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long c = map(mc, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(load(ma, a + P).sig, SIG_NONE);
	cr_assert_eq(load(mb, b + P).sig, SIG_NONE);
	cr_assert(is_zero_pfn(k, pte_pfn(pte_at(ma, a + P))));
	cr_assert(is_zero_pfn(k, pte_pfn(pte_at(mb, b + P))));
	cr_assert_eq(store(mc, c + P, 0x5a).sig, SIG_NONE);
	cr_assert(pte_none(pte_at(ma, a + P)), "shared reader's zero page must go");
	cr_assert(pte_none(pte_at(mb, b + P)), "private reader's zero page must go");
	cr_assert_eq(load(ma, a + P).value, 0x5a);
	cr_assert_eq(load(mb, b + P).value, 0x5a);
}

/* §11: only a shared write updates mtime; a private (COW) write does not. */
Test(memory, shared_write_fault_updates_mtime)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	uint64_t t0 = f->inode->i_mtime, t1;

	cr_assert_eq(store(mm, p, 1).sig, SIG_NONE);
	cr_assert_eq(f->inode->i_mtime, t0, "a private write is not a write to the file");
	cr_assert_eq(load(mm, s + P).sig, SIG_NONE);
	cr_assert_eq(f->inode->i_mtime, t0);
	cr_assert_eq(store(mm, s + P, 1).sig, SIG_NONE);
	t1 = f->inode->i_mtime;
	cr_assert_gt(t1, t0);
	cr_assert_eq(f->inode->i_ctime, t1);
}

/* ---- SIGBUS ---- */

/*
 * §1 step 1 and §4 counting: SIGBUS iff pgoff >= DIV_ROUND_UP(i_size, 4096),
 * counted in neither min_flt nor maj_flt; nothing is inserted.
 */
Test(memory, fault_past_eof_sigbus_uncounted)
{
	struct file *f = new_file(5000);	/* pages 0 and 1 */
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;

	cr_assert_eq(load(mm, a + P + 4000).sig, SIG_NONE, "the partial last page is fine");
	cr_assert_eq(mm->min_flt, 1);
	r = load(mm, a + 2 * P);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert(r.fault_ret & VM_FAULT_SIGBUS);
	r = store(mm, a + 3 * P, 1);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert_null(entry_at(f, 2), "no entry is inserted before the i_size check");
	cr_assert_null(entry_at(f, 3));
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	cr_assert_eq(f->inode->i_blocks, 0);

	/* The check holds for private COW writes too: no page, no rss. */
	unsigned long p = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);

	cr_assert_eq(store(mm, p + 2 * P, 1).sig, SIG_BUS);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0);
	cr_assert_eq(dram_bytes_in_use(k), P, "the COW page was given back");
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->maj_flt, 0);
}

/* Outside a VMA, or against its protection: SIGSEGV (x86 access_error). */
Test(memory, access_outside_vma_or_prot_segv)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);

	cr_assert_eq(load(mm, a + 4 * P).sig, SIG_SEGV);
	cr_assert_eq(store(mm, a, 1).sig, SIG_SEGV);
	cr_assert_eq(mm->min_flt + mm->maj_flt, 0);
	cr_assert_null(entry_at(f, 0));
}

/* ---- private (COW) faults ---- */

/*
 * §1 step 2/6 and §12 last row: a private write to a hole copies into an
 * anonymous page (MM_ANONPAGES), allocates no block, and leaves an EMPTY
 * entry behind; the file is untouched.
 */
Test(memory, private_write_on_hole)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct access_result r = store(mm, a + 4 * P, 0x99);
	pte_t pte = pte_at(mm, a + 4 * P);
	void *e = entry_at(f, 4);
	uint64_t v = 1;

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert(r.fault_ret & VM_FAULT_DONE_COW);
	cr_assert_not(r.fault_ret & VM_FAULT_MAJOR);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(f->inode->i_blocks, 0, "a COW write never allocates");
	cr_assert(pfn_is_dram(k, pte_pfn(pte)));
	cr_assert_not(is_zero_pfn(k, pte_pfn(pte)));
	cr_assert_not(pte_special(pte));
	cr_assert(pte_write(pte) && pte_dirty(pte));
	cr_assert_eq(pfn_to_page(k, pte_pfn(pte))->mapcount, 1);
	cr_assert_not_null(e, "an EMPTY entry stays behind");
	cr_assert(dax_is_empty_entry(e));
	cr_assert_not(dax_is_locked(e));
	cr_assert_not(dirty_tag(f, 4));
	cr_assert_eq(f->inode->i_data.nrexceptional, 1);
	cr_assert_eq(vfs_read(k, f, 4 * P, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(v, 0, "the file still reads zero");
	cr_assert_eq(load(mm, a + 4 * P).value, 0x99);
}

/*
 * §4 wp_page_copy: a private write after a read of a hole replaces the zero
 * page by a new zeroed anonymous page, with no fs call (the zero entry
 * stays).
 */
Test(memory, private_write_after_hole_read)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct access_result r;

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert(dax_is_zero_entry(entry_at(f, 0)), "§3: a private read inserts a zero entry");
	r = store(mm, a + 8, 3);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert(pfn_is_dram(k, pte_pfn(pte_at(mm, a))));
	cr_assert_not(is_zero_pfn(k, pte_pfn(pte_at(mm, a))));
	cr_assert(dax_is_zero_entry(entry_at(f, 0)), "no filesystem call: the entry is unchanged");
	cr_assert_eq(load(mm, a).value, 0, "the rest of the new page is zero");
	cr_assert_eq(load(mm, a + 8).value, 3);
	cr_assert_eq(f->inode->i_blocks, 0);
	cr_assert_eq(mm->min_flt, 2);
}

/*
 * §4 wp_page_copy: after a read of a written block, a private write copies
 * the block (as the CPU sees it) into an anonymous page; the file keeps its
 * data.
 */
Test(memory, private_write_after_block_read_copies)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	uint64_t v = 0;
	void *e;

	cr_assert_eq(store(mm, s, 0x1111).sig, SIG_NONE);	/* in the CPU cache only */
	cr_assert_eq(store(mm, s + 8, 0x2222).sig, SIG_NONE);
	cr_assert_eq(load(mm, p).value, 0x1111);
	cr_assert_eq(pte_pfn(pte_at(mm, p)), block_pfn(block_of(f, 0)));
	e = entry_at(f, 0);
	cr_assert_eq(store(mm, p, 0x3333).sig, SIG_NONE);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert(pfn_is_dram(k, pte_pfn(pte_at(mm, p))));
	cr_assert_eq(load(mm, p + 8).value, 0x2222, "copied from what the CPU sees");
	cr_assert_eq(load(mm, s).value, 0x1111, "the file is untouched");
	cr_assert_eq(vfs_read(k, f, 0, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(v, 0x1111);
	cr_assert_eq(entry_at(f, 0), e);
	cr_assert_eq(f->inode->i_blocks, 1);
}

/* ---- fault-path failures ---- */

/*
 * §1 step 5 and "Empty entries persist": an iomap_begin error (ENOSPC) on a
 * write fault is SIGBUS, uncounted, and leaves an unlocked EMPTY entry.
 */
Test(memory, enospc_write_fault_sigbus_leaves_empty_entry)
{
	struct kernel *big = k;
	struct kernel *tiny = kernel_create(POLICY_DAX_2017, 2 * P, 1UL << 20);
	struct inode *inode = ext4_create(tiny, true, 8 * P);
	struct file *f = file_open(tiny, inode, FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(tiny);
	long a;
	struct access_result r;
	void *e;

	k = tiny;
	a = do_mmap(tiny, mm, f, 0, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_geq(a, 0);
	cr_assert_eq(vfs_write(tiny, f, 0, "ab", 2), 2);
	cr_assert_eq(vfs_write(tiny, f, P, "cd", 2), 2);
	cr_assert_eq(tiny->sb.nr_free, 0);
	r = store(mm, a + 2 * P, 1);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert(r.fault_ret & VM_FAULT_SIGBUS);
	cr_assert_eq(mm->min_flt + mm->maj_flt, 0);
	e = radix_tree_lookup(&inode->i_data.page_tree, 2);
	cr_assert_not_null(e);
	cr_assert(dax_is_empty_entry(e));
	cr_assert_not(dax_is_locked(e));
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	k = big;
	mm_destroy(tiny, mm);
	file_close(tiny, f);
	kernel_destroy(tiny);
}

/* do_cow_fault: no page for the copy is VM_FAULT_OOM, before any fs call. */
Test(memory, cow_without_memory_is_oom)
{
	struct kernel *big = k;
	struct kernel *tiny = kernel_create(POLICY_DAX_2017, 1UL << 20, P);	/* zero page only */
	struct inode *inode = ext4_create(tiny, true, 4 * P);
	struct file *f = file_open(tiny, inode, FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(tiny);
	long a;
	struct access_result r;

	k = tiny;
	a = do_mmap(tiny, mm, f, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	cr_assert_geq(a, 0);
	r = store(mm, a, 1);
	cr_assert(r.fault_ret & VM_FAULT_OOM);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0);
	cr_assert_null(radix_tree_lookup(&inode->i_data.page_tree, 0));
	k = big;
	mm_destroy(tiny, mm);
	file_close(tiny, f);
	kernel_destroy(tiny);
}

/* ---- PMD ---- */

/* §11: the PMD path falls back to PTEs when the 2 MiB range crosses EOF. */
Test(memory, small_file_falls_back_to_ptes)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0x600000000000UL, PMD_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, 0);
	struct access_result r;

	cr_assert_eq(a, 0x600000000000L);
	k->not_modelled = NULL;
	r = load(mm, a + P);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_not(r.fault_ret & VM_FAULT_NOTMODELLED);
	cr_assert_null(k->not_modelled);
	cr_assert(pte_present(pte_at(mm, a + P)));
	cr_assert_eq(store(mm, a + 2 * P, 1).sig, SIG_NONE);
	cr_assert_eq(load(mm, a + 16 * P).sig, SIG_BUS, "past EOF, inside the VMA");
}

/* §11: a private write falls back to PTEs (COW), even when PMD-eligible. */
Test(memory, pmd_private_write_falls_back)
{
	struct file *f = new_file(4UL << 20);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct access_result r;

	cr_assert_geq(a, 0);
	cr_assert_eq(a & (PMD_SIZE - 1), 0);
	k->not_modelled = NULL;
	r = store(mm, a, 5);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_null(k->not_modelled);
	cr_assert(r.fault_ret & VM_FAULT_DONE_COW);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
}

/* ---- unmapping ---- */

/*
 * §5 table: unmap_mapping_range with even_cows 0 removes DAX and zero-page
 * PTEs from every VMA, private included, but keeps anonymous COW pages.
 */
Test(memory, unmap_even_cows_0_keeps_cow_pages)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);

	cr_assert_eq(store(mm, s, 1).sig, SIG_NONE);		/* idx 0: block */
	cr_assert_eq(load(mm, p).sig, SIG_NONE);		/* private DAX PTE */
	cr_assert_eq(store(mm, p + P, 2).sig, SIG_NONE);	/* idx 1: COW page */
	cr_assert_eq(load(mm, p + 2 * P).sig, SIG_NONE);	/* idx 2: zero page */
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);

	unmap_mapping_range(k, &f->inode->i_data, 0, 0, 0);
	cr_assert(pte_none(pte_at(mm, s)));
	cr_assert(pte_none(pte_at(mm, p)), "a DAX PTE goes from a private VMA too");
	cr_assert(pte_present(pte_at(mm, p + P)), "the COW page stays");
	cr_assert(pte_none(pte_at(mm, p + 2 * P)), "the zero page goes from a private VMA");
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(load(mm, p + P).value, 2);
}

/* §5 table: even_cows 1 removes the COW page too (MM_ANONPAGES--, freed). */
Test(memory, unmap_even_cows_1_removes_cow_pages)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long p = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);

	cr_assert_eq(store(mm, p + P, 2).sig, SIG_NONE);
	cr_assert_eq(dram_bytes_in_use(k), 2 * P);
	unmap_mapping_range(k, &f->inode->i_data, 0, 0, 1);
	cr_assert(pte_none(pte_at(mm, p + P)));
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0);
	cr_assert_eq(dram_bytes_in_use(k), P, "the COW page is freed");
}

/*
 * §5: hba = holebegin >> PAGE_SHIFT rounds down, hlen = DIV_ROUND_UP(holelen),
 * and the range is in file pages, mapped through each VMA's vm_pgoff.
 */
Test(memory, unmap_range_arithmetic)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 4 * P);

	for (int i = 0; i < 8; i++)
		cr_assert_eq(load(mm, a + i * P).sig, SIG_NONE);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(load(mm, b + i * P).sig, SIG_NONE);
	/* [4097, 4097 + 4097): pages 1 and 2 (round down, round up). */
	unmap_mapping_range(k, &f->inode->i_data, P + 1, P + 1, 0);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	cr_assert(pte_present(pte_at(mm, a + 3 * P)));
	/* File page 5 is a + 5P and b + P. */
	unmap_mapping_range(k, &f->inode->i_data, 5 * P, P, 0);
	cr_assert(pte_none(pte_at(mm, a + 5 * P)));
	cr_assert(pte_none(pte_at(mm, b + P)));
	cr_assert(pte_present(pte_at(mm, b)));
	cr_assert(pte_present(pte_at(mm, b + 2 * P)));
	/* holelen 0: to the end of the file. */
	unmap_mapping_range(k, &f->inode->i_data, 6 * P, 0, 0);
	cr_assert(pte_present(pte_at(mm, a + 4 * P)));
	cr_assert(pte_none(pte_at(mm, a + 6 * P)));
	cr_assert(pte_none(pte_at(mm, a + 7 * P)));
	cr_assert(pte_none(pte_at(mm, b + 2 * P)));
	cr_assert(pte_none(pte_at(mm, b + 3 * P)));
	cr_assert(pte_present(pte_at(mm, b)));
}
