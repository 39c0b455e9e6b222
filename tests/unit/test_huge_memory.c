// SPDX-License-Identifier: GPL-2.0
/*
 * The PMD (2 MiB) fault path of dax-2017: fs/dax.c dax_iomap_pmd_fault()
 * and mm/huge_memory.c, v4.14. Each test states what the v4.14 source does
 * and why; the expectations come from reading it, not from the model.
 */
#include <criterion/criterion.h>

#include "fixture.h"
#include "huge_mm.h"
#include "linux_fs.h"

TestSuite(huge_memory, .init = fx_init, .fini = fx_fini);

#define M2	PMD_SIZE

static pmd_t pmd_at(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *p = pmd_lookup(mm, addr);

	return p ? *p : (pmd_t){ 0 };
}

/* A 2 MiB-aligned automatic mapping (thp_get_unmapped_area), huge allowed. */
static unsigned long map_huge(struct mm_struct *mm, struct file *f, unsigned long len,
			      int prot, int flags)
{
	long a = do_mmap(k, mm, f, 0, len, prot, flags, 0);

	cr_assert_geq(a, 0);
	cr_assert_eq(a & (M2 - 1), 0);
	return a;
}

static void fill(struct file *f, loff_t pos, size_t len)
{
	char *buf = g_malloc(len);

	memset(buf, 7, len);
	cr_assert_eq(vfs_write(k, f, pos, buf, len), (ssize_t)len);
	g_free(buf);
}

/*
 * A read of a 2 MiB hole: dax_pmd_load_hole() maps the huge zero page
 * read-only under a PMD zero entry (order 9). No rss (set_huge_zero_page
 * counts nothing), no block allocated, one minor fault for the whole 2 MiB.
 */
Test(huge_memory, hole_read_maps_huge_zero_page)
{
	struct file *f = new_file(4 * M2 / 2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, 2 * M2, PROT_READ | PROT_WRITE, MAP_SHARED);
	void *e;

	cr_assert_eq(load(mm, a + 5 * P).sig, SIG_NONE);
	cr_assert(pmd_trans_huge(pmd_at(mm, a)));
	cr_assert(is_huge_zero_pmd(k, pmd_at(mm, a)));
	cr_assert_not(pmd_write(pmd_at(mm, a)));
	cr_assert_null(pte_lookup(mm, a), "no PTE table under a huge pmd");
	e = entry_at(f, 300);
	cr_assert(e && dax_is_pmd_entry(e) && dax_is_zero_entry(e));
	cr_assert_eq(mm->rss[MM_FILEPAGES] + mm->rss[MM_ANONPAGES], 0);
	cr_assert_eq(state(f, 0), BLOCK_HOLE);
	cr_assert_eq(load(mm, a + M2 - 8).sig, SIG_NONE);
	cr_assert_eq(mm->min_flt + mm->maj_flt, 1, "one fault maps the 2 MiB");
	cr_assert_eq(dram_bytes_allocated(k), 0, "the huge zero page is not the workload's");
}

/*
 * A write to a 2 MiB hole: ext4_iomap_begin(IOMAP_WRITE) allocates the
 * 2 MiB (zeroed), and vmf_insert_pfn_pmd() maps it writable and dirty; the
 * PMD entry is tagged DIRTY. A fresh device gives 2 MiB-aligned blocks.
 */
Test(huge_memory, write_over_hole_maps_writable_pmd)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, 2 * M2, PROT_READ | PROT_WRITE, MAP_SHARED);
	pmd_t pmd;

	cr_assert_eq(store(mm, a + 3 * P, 0x55).sig, SIG_NONE);
	pmd = pmd_at(mm, a);
	cr_assert(pmd_trans_huge(pmd) && pmd_devmap(pmd) && pmd_write(pmd) && pmd_dirty(pmd));
	cr_assert_eq(pmd_pfn(pmd), block_pfn(block_of(f, 0)));
	cr_assert_eq(block_of(f, 511), block_of(f, 0) + 511);
	cr_assert(dax_is_pmd_entry(entry_at(f, 3)) && dirty_tag(f, 3));
	cr_assert_eq(load(mm, a + 3 * P).value, 0x55);
	cr_assert_eq(load(mm, a + 4 * P).value, 0, "the rest was zeroed");
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
}

/*
 * A PTE fault meeting a PMD zero entry downgrades it (grab_mapping_entry):
 * the huge zero page is unmapped from every VMA, the PMD entry deleted and
 * a PTE zero entry inserted for the faulting index.
 */
Test(huge_memory, pte_fault_downgrades_pmd_zero_entry)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map_huge(ma, f, 2 * M2, PROT_READ, MAP_SHARED);
	unsigned long b = map(mb, f, 2 * M2, PROT_READ, MAP_SHARED, 0);
	void *e;

	cr_assert_eq(load(ma, a).sig, SIG_NONE);
	cr_assert(is_huge_zero_pmd(k, pmd_at(ma, a)));
	cr_assert_eq(load(mb, b + 5 * P).sig, SIG_NONE);
	cr_assert(pmd_none(pmd_at(ma, a)), "A's huge zero pmd is unmapped");
	e = entry_at(f, 5);
	cr_assert(e && !dax_is_pmd_entry(e) && dax_is_zero_entry(e));
	cr_assert_null(entry_at(f, 0));
	/* A refaults: the PTE entry at 5 makes its PMD grab fail (-EEXIST) */
	cr_assert_eq(load(ma, a).sig, SIG_NONE);
	cr_assert(pmd_none(pmd_at(ma, a)) && pte_present(pte_at(ma, a)));
}

/*
 * The fallbacks to PTEs, each for one of dax_iomap_pmd_fault()'s reasons:
 * the VMA does not cover the 2 MiB; the extent is shorter than 2 MiB; the
 * extent's first block is not 2 MiB aligned on the device.
 */
Test(huge_memory, falls_back_when_vma_is_short)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2 + P, PROT_READ, MAP_SHARED);

	cr_assert_eq(load(mm, a + M2).sig, SIG_NONE);
	cr_assert(pte_present(pte_at(mm, a + M2)), "[a+2M, a+2M+4K) is no whole PMD");
	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert(pmd_trans_huge(pmd_at(mm, a)), "the first 2 MiB is whole");
}

Test(huge_memory, falls_back_on_short_extent)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;

	fill(f, 40 * P, P);		/* a hole of 40 pages, then a block */
	a = map_huge(mm, f, 2 * M2, PROT_READ, MAP_SHARED);
	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert(pmd_none(pmd_at(mm, a)));
	cr_assert(pte_present(pte_at(mm, a)) && is_zero_pfn(k, pte_pfn(pte_at(mm, a))));
}

Test(huge_memory, falls_back_on_unaligned_extent)
{
	struct file *g = new_file(P), *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;

	fill(g, 0, P);			/* g takes block 0 */
	fill(f, 0, M2);			/* f's 2 MiB starts at block 1 */
	cr_assert_eq(block_of(f, 0) & PG_PMD_COLOUR, 1);
	a = map_huge(mm, f, 2 * M2, PROT_READ, MAP_SHARED);
	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert(pmd_none(pmd_at(mm, a)));
	cr_assert_eq(pte_pfn(pte_at(mm, a)), block_pfn(block_of(f, 0)));
}

/*
 * fsync: dax_writeback_one() flushes the 2 MiB, and
 * dax_mapping_entry_mkclean() write-protects and cleans the huge pmd.
 */
Test(huge_memory, fsync_cleans_the_pmd)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED);

	cr_assert_eq(store(mm, a + 9 * P, 1).sig, SIG_NONE);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 9))));
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 1), 0);
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 9))));
	cr_assert_not(pmd_write(pmd_at(mm, a)));
	cr_assert_not(pmd_dirty(pmd_at(mm, a)));
	cr_assert_not(dirty_tag(f, 9));
	/* the next store faults (wp_huge_pmd -> ->huge_fault) and dirties again */
	cr_assert_eq(store(mm, a + 9 * P, 2).sig, SIG_NONE);
	cr_assert(pmd_write(pmd_at(mm, a)) && dirty_tag(f, 9));
}

/*
 * A PMD entry mapped by PTEs in a nohuge VMA: mkclean follows the address
 * of the entry's first index only (follow_pte_pmd at pgoff_address(index)),
 * so after fsync the PTE of index 5 is still writable and dirty while the
 * entry's DIRTY tag is gone: a later store there is not tracked.
 */
Test(huge_memory, mkclean_misses_ptes_under_pmd_entry)
{
	struct file *f = new_file(M2);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map_huge(ma, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED);
	unsigned long b = map(mb, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(store(ma, a, 1).sig, SIG_NONE);		/* PMD entry, DIRTY */
	cr_assert_eq(store(mb, b + 5 * P, 2).sig, SIG_NONE);	/* a PTE under it */
	cr_assert(pte_write(pte_at(mb, b + 5 * P)));
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 1), 0);
	cr_assert_not(dirty_tag(f, 5));
	cr_assert_not(pmd_write(pmd_at(ma, a)));
	cr_assert(pte_write(pte_at(mb, b + 5 * P)) && pte_dirty(pte_at(mb, b + 5 * P)),
		  "v4.14 leaves this PTE writable");
}

/*
 * Truncate inside a PMD: unmap_mapping_range() splits the pmd (for DAX:
 * clears it) and dax_delete_mapping_entry() deletes the whole PMD entry.
 */
Test(huge_memory, truncate_inside_pmd_drops_pmd_and_entry)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED);

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(vfs_truncate(k, f, M2 / 2), 0);
	cr_assert(pmd_none(pmd_at(mm, a)));
	cr_assert_null(entry_at(f, 0));
	cr_assert_null(entry_at(f, 300));
	cr_assert_eq(load(mm, a).value, 1, "refaults with a PTE (i_size < 2 MiB)");
	cr_assert(pte_present(pte_at(mm, a)));
}

/*
 * mprotect: over a whole pmd, change_huge_pmd() gives it the VMA's new
 * protection (read-only: writes are notified); over part of it,
 * split_vma() splits (clears) it first.
 */
Test(huge_memory, mprotect_whole_and_part)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, 2 * M2, PROT_READ | PROT_WRITE, MAP_SHARED);

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(store(mm, a + M2, 1).sig, SIG_NONE);
	cr_assert_eq(do_mprotect(k, mm, a, M2, PROT_READ), 0);
	cr_assert(pmd_trans_huge(pmd_at(mm, a)) && !pmd_write(pmd_at(mm, a)));
	cr_assert(pmd_dirty(pmd_at(mm, a)), "pmd_modify keeps dirty");
	cr_assert_eq(do_mprotect(k, mm, a + M2, P, PROT_READ), 0);
	cr_assert(pmd_none(pmd_at(mm, a + M2)));
}

/*
 * mremap: the huge zero page's pmd (pmd_trans_huge) moves whole when both
 * ends are 2 MiB aligned; a DAX pmd (devmap) is not pmd_trans_huge in
 * v4.14, whose move_page_tables() then walks it as a PTE table: mmsim
 * says that is not modelled.
 */
Test(huge_memory, mremap_moves_huge_zero_pmd)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2, PROT_READ, MAP_SHARED);
	unsigned long to = 0x600000000000UL;
	long r;

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	r = do_mremap(k, mm, a, M2, M2, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	cr_assert_eq(r, (long)to);
	cr_assert(pmd_none(pmd_at(mm, a)));
	cr_assert(is_huge_zero_pmd(k, pmd_at(mm, to)));
}

Test(huge_memory, mremap_of_dax_pmd_not_modelled)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED);

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	k->not_modelled = NULL;
	do_mremap(k, mm, a, M2, M2, MREMAP_MAYMOVE | MREMAP_FIXED, 0x600000000000UL);
	cr_assert_not_null(k->not_modelled);
}

/*
 * mremap-devmap-pmd (2020; 6.1 mm/mremap.c L540-548): with both addresses
 * 2 MiB aligned and 2 MiB to go (get_extent() == HPAGE_PMD_SIZE) the DAX
 * pmd moves whole (move_huge_pmd): same pfn, still writable and dirty, no
 * fault at the new place.
 */
Test(huge_memory, mremap_moves_dax_pmd_with_the_switch)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED);
	unsigned long to = 0x600000000000UL;
	pmd_t pmd;

	k->policy.sw[SW_MREMAP_DEVMAP_PMD] = 1;
	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(do_mremap(k, mm, a, M2, M2, MREMAP_MAYMOVE | MREMAP_FIXED, to), (long)to);
	cr_assert_null(k->not_modelled);
	cr_assert(pmd_none(pmd_at(mm, a)));
	pmd = pmd_at(mm, to);
	cr_assert(pmd_devmap(pmd) && pmd_write(pmd) && pmd_dirty(pmd));
	cr_assert_eq(pmd_pfn(pmd), block_pfn(block_of(f, 0)));
	cr_assert_eq(store(mm, to + P, 2).nr_faults, 0);
}

/*
 * The same to an address that is not 2 MiB aligned: extent < HPAGE_PMD_SIZE,
 * so split_huge_pmd() (L546), which for DAX clears the pmd; the new place
 * refaults, with PTEs (its colour no longer matches the file offset).
 */
Test(huge_memory, mremap_splits_dax_pmd_to_an_unaligned_place)
{
	struct file *f = new_file(M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED);
	unsigned long to = 0x600000001000UL;

	k->policy.sw[SW_MREMAP_DEVMAP_PMD] = 1;
	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(do_mremap(k, mm, a, M2, M2, MREMAP_MAYMOVE | MREMAP_FIXED, to), (long)to);
	cr_assert_null(k->not_modelled);
	cr_assert(pmd_none(pmd_at(mm, a)));
	cr_assert_eq(load(mm, to).nr_faults, 1);
	cr_assert_eq(load(mm, to).value & 0xff, 1);
	cr_assert(pte_present(pte_at(mm, to)));
}

/* munmap of the whole: zap_huge_pmd(); of part: the pmd is split (cleared). */
Test(huge_memory, munmap_whole_and_part)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map_huge(mm, f, 2 * M2, PROT_READ, MAP_SHARED);

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	cr_assert_eq(load(mm, a + M2).sig, SIG_NONE);
	cr_assert_eq(do_munmap(k, mm, a, M2), 0);
	cr_assert(pmd_none(pmd_at(mm, a)));
	cr_assert_eq(do_munmap(k, mm, a + M2, P), 0);
	cr_assert(pmd_none(pmd_at(mm, a + M2)));
	cr_assert_eq(load(mm, a + M2 + P).sig, SIG_NONE);
	cr_assert(pte_present(pte_at(mm, a + M2 + P)), "the rest refaults with PTEs");
}

/*
 * The 2022 fix (switch dax-mkclean-range): pfn_mkclean_range() over every
 * index of the entry in each shared VMA, so B's PTE of index 5 is
 * write-protected and cleaned too.
 */
Test(huge_memory, mkclean_range_cleans_ptes_under_pmd_entry)
{
	struct file *f = new_file(M2);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map_huge(ma, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED);
	unsigned long b = map(mb, f, M2, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	k->policy.sw[SW_DAX_MKCLEAN_RANGE] = true;
	cr_assert_eq(store(ma, a, 1).sig, SIG_NONE);
	cr_assert_eq(store(mb, b + 5 * P, 2).sig, SIG_NONE);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 1), 0);
	cr_assert_not(pmd_write(pmd_at(ma, a)));
	cr_assert_not(pte_write(pte_at(mb, b + 5 * P)));
	cr_assert_not(pte_dirty(pte_at(mb, b + 5 * P)));
	/* B's next store faults and tags the entry again */
	cr_assert_eq(store(mb, b + 5 * P, 3).sig, SIG_NONE);
	cr_assert(dirty_tag(f, 5));
}

/*
 * fork: copy_pmd_range() calls copy_huge_pmd() for a huge pmd, which skips
 * a VMA that is not anonymous ("Skip if can be re-fill on fault"): the
 * child gets neither the DAX pmd nor the huge zero page's, and faults the
 * 2 MiB in itself. The parent's pmds stay as they were.
 */
Test(huge_memory, fork_copies_no_huge_pmd)
{
	struct file *f = new_file(2 * M2);
	struct mm_struct *mm = mm_create(k), *child;
	unsigned long a = map_huge(mm, f, 2 * M2, PROT_READ | PROT_WRITE, MAP_SHARED);

	cr_assert_eq(store(mm, a, 1).sig, SIG_NONE);
	cr_assert_eq(load(mm, a + M2).sig, SIG_NONE);
	child = dup_mm(k, mm);
	cr_assert(pmd_none(pmd_at(child, a)) && pmd_none(pmd_at(child, a + M2)));
	cr_assert(pmd_write(pmd_at(mm, a)), "the parent's pmd is not write-protected");
	cr_assert(is_huge_zero_pmd(k, pmd_at(mm, a + M2)));
	cr_assert_eq(load(child, a).value, 1);
	cr_assert(pmd_trans_huge(pmd_at(child, a)), "the child faults a pmd of its own");
	cr_assert_eq(child->min_flt, 1);
}
