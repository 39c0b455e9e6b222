// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/pgtable.c: x86-64 4-level page tables allocated on
 * demand, the walk that skips absent tables, freeing empty tables, the PTE
 * helpers (x86 bit semantics, docs/eras/dax-2017.md §3: pte_mkdevmap sets
 * _PAGE_SPECIAL|_PAGE_DEVMAP), and the pte_changed hook that set_pte_at()
 * and ptep_get_and_clear() report through.
 */
#include <criterion/criterion.h>

#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "pgtable.h"

static struct kernel *k;
static struct mm_struct *mm;

static void fx_init(void)
{
	k = kernel_create(POLICY_DAX_2017, 64UL << 20, 64UL << 20);
	mm = mm_create(k);
}

static void fx_fini(void)
{
	kernel_destroy(k);
}

TestSuite(pgtable, .init = fx_init, .fini = fx_fini);

#define TABLE	4096UL		/* 512 eight-byte slots */
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)

static pte_t present(unsigned long pfn)
{
	return pfn_pte(pfn, _PAGE_PRESENT | _PAGE_USER);
}

Test(pgtable, pte_alloc_builds_the_walk_once)
{
	unsigned long a = 0x7f0000201000UL;
	pte_t *p;

	/* A new mm has only its pgd. */
	cr_assert_eq(mm->pgtable_bytes, TABLE);
	cr_assert_null(pte_lookup(mm, a));
	cr_assert(pmd_none(pmd_read(mm, a)));

	p = pte_alloc(k, mm, a);

	cr_assert_not_null(p);
	cr_assert(pte_none(*p));
	cr_assert_eq(mm->pgtable_bytes, 4 * TABLE, "pgd + pud + pmd + pte tables");
	cr_assert_eq(pte_lookup(mm, a), p);
	cr_assert_eq(pte_lookup(mm, a + 123), p, "any address in the page");
	cr_assert(!pmd_none(pmd_read(mm, a)) && !pmd_trans_huge(pmd_read(mm, a)), "a PTE table");
	cr_assert_eq(pte_alloc(k, mm, a), p);
	cr_assert_eq(mm->pgtable_bytes, 4 * TABLE);

	/* The next page shares the PTE table: the next slot. */
	cr_assert_eq(pte_alloc(k, mm, a + PAGE_SIZE), p + 1);
	cr_assert_eq(mm->pgtable_bytes, 4 * TABLE);
	/* The next 2 MiB needs a PTE table, the next 1 GiB a PMD table too. */
	pte_alloc(k, mm, a + PMD_SIZE);
	cr_assert_eq(mm->pgtable_bytes, 5 * TABLE);
	pte_alloc(k, mm, a + PUD_SIZE);
	cr_assert_eq(mm->pgtable_bytes, 7 * TABLE);
	pte_alloc(k, mm, a + PGDIR_SIZE);
	cr_assert_eq(mm->pgtable_bytes, 10 * TABLE);
	cr_assert_null(pte_lookup(mm, a + 2 * PMD_SIZE));
}

/* The walk finds present PTEs in address order across every table level. */
Test(pgtable, next_present_skips_absent_tables)
{
	const unsigned long base = 0x100000000000UL;	/* 512 GiB aligned */
	/* Between consecutive ones: no PTE table, no PMD table, no PUD table. */
	const unsigned long addrs[] = {
		base + 5 * PAGE_SIZE,
		base + 3 * PMD_SIZE + 7 * PAGE_SIZE,	/* another PTE table */
		base + 2 * PUD_SIZE + PAGE_SIZE,	/* another PMD table */
		base + 4 * PUD_SIZE + 3 * PAGE_SIZE,	/* past an absent PMD table */
		base + PGDIR_SIZE + 9 * PMD_SIZE,	/* another PUD table */
		base + 3 * PGDIR_SIZE,			/* past an absent PUD table */
	};
	const unsigned n = sizeof(addrs) / sizeof(addrs[0]);
	unsigned long addr = base;
	pte_t *p;

	for (unsigned i = 0; i < n; i++)
		set_pte_at(k, NULL, addrs[i], pte_alloc(k, mm, addrs[i]), present(100 + i));
	/* Allocated but empty tables in between are skipped too. */
	pte_alloc(k, mm, base + PMD_SIZE);
	pte_alloc(k, mm, base + PUD_SIZE);

	for (unsigned i = 0; i < n; i++) {
		p = pte_next_present(mm, &addr, base + 4 * PGDIR_SIZE);
		cr_assert_not_null(p, "present PTE %u", i);
		cr_assert_eq(addr, addrs[i], "PTE %u at %#lx, found %#lx", i, addrs[i], addr);
		cr_assert_eq(pte_pfn(*p), 100 + i);
		addr += PAGE_SIZE;
	}
	cr_assert_null(pte_next_present(mm, &addr, base + 4 * PGDIR_SIZE));

	/* @end is exclusive. */
	addr = base + 6 * PAGE_SIZE;
	cr_assert_null(pte_next_present(mm, &addr, addrs[1]));
	addr = base + 6 * PAGE_SIZE;
	cr_assert_not_null(pte_next_present(mm, &addr, addrs[1] + 1));
	cr_assert_eq(addr, addrs[1]);

	/* A slot with bits but no _PAGE_PRESENT is not present. */
	set_pte_at(k, NULL, base + 6 * PAGE_SIZE, pte_lookup(mm, base + 6 * PAGE_SIZE),
		   (pte_t){ 0x5000 | _PAGE_RW });
	addr = base + 6 * PAGE_SIZE;
	cr_assert_null(pte_next_present(mm, &addr, base + PMD_SIZE));
}

/*
 * pgtable.h: pte_next_present() returns "the next present PTE at or above
 * *addr". Virtual address 0 is a valid user address (mmap_min_addr only
 * stops it without CAP_SYS_RAWIO; the model's do_mmap accepts MAP_FIXED at
 * 0), and munmap/exit zap through this walk.
 * This was a model bug, found by this test and fixed: the loop condition `addr < end && addr` (meant to stop when
 * next_boundary() wraps to 0) also stops at once when *addr is 0, so a PTE
 * at address 0 is never found: zap_pte_range() skips it and munmap leaves
 * it mapped, with no VMA (checked: MAP_FIXED at 0, store, munmap -> the PTE
 * at 0 is still present).
 */
Test(pgtable, next_present_from_address_zero)
{
	unsigned long addr = 0;
	pte_t *p = pte_alloc(k, mm, 0);
	pte_t *found;

	set_pte_at(k, NULL, 0, p, present(5));
	found = pte_next_present(mm, &addr, PMD_SIZE);
	ptep_get_and_clear(k, NULL, 0, p);
	cr_assert_eq(found, p);
	cr_assert_eq(addr, 0);
}

/* free_pgtables frees tables left empty, down to the pgd. */
Test(pgtable, free_pgtables_returns_to_pgd_only)
{
	unsigned long a = 0x7f0000000000UL;
	pte_t *p = pte_alloc(k, mm, a);

	pte_alloc(k, mm, a + PUD_SIZE + PMD_SIZE);
	set_pte_at(k, NULL, a, p, present(42));
	cr_assert_eq(mm->pgtable_bytes, 6 * TABLE);

	/* A table with a present PTE stays, with everything above it. */
	free_pgtables(k, mm, a, a + 2 * PUD_SIZE);
	cr_assert_eq(mm->pgtable_bytes, 4 * TABLE);
	cr_assert_eq(pte_lookup(mm, a), p);
	cr_assert_null(pte_lookup(mm, a + PUD_SIZE + PMD_SIZE));

	ptep_get_and_clear(k, NULL, a, p);
	free_pgtables(k, mm, a, a + PAGE_SIZE);
	cr_assert_eq(mm->pgtable_bytes, TABLE);
	cr_assert_null(pte_lookup(mm, a));
	cr_assert(pmd_none(pmd_read(mm, a)));
}

/* Empty tables outside [start, end) stay. */
Test(pgtable, free_pgtables_respects_range)
{
	unsigned long a = 0x7f0000000000UL;

	pte_alloc(k, mm, a);
	pte_alloc(k, mm, a + 4 * PMD_SIZE);
	free_pgtables(k, mm, a, a + PMD_SIZE);
	cr_assert_null(pte_lookup(mm, a));
	cr_assert_not_null(pte_lookup(mm, a + 4 * PMD_SIZE));
	cr_assert_eq(mm->pgtable_bytes, 4 * TABLE);
}

/* mm_destroy (pgd_free) gives back every emptied table and the mm itself. */
Test(pgtable, mm_destroy_frees_all_tables)
{
	unsigned long before = k->model_bytes;
	struct mm_struct *m2 = mm_create(k);

	for (unsigned long i = 1; i <= 8; i++) {
		pte_t *p = pte_alloc(k, m2, i * PUD_SIZE);

		set_pte_at(k, NULL, i * PUD_SIZE, p, present(i));
		ptep_get_and_clear(k, NULL, i * PUD_SIZE, p);
	}
	cr_assert_eq(m2->pgtable_bytes, (1 + 1 + 8 * 2) * TABLE);
	cr_assert_gt(k->model_bytes, before);
	mm_destroy(k, m2);
	cr_assert_eq(k->model_bytes, before);
}

/* x86 PTE helpers (arch/x86/include/asm/pgtable.h, §3). */
Test(pgtable, pte_helpers)
{
	pte_t p = pfn_pte(0x123456, _PAGE_PRESENT | _PAGE_USER);

	cr_assert_eq(pte_pfn(p), 0x123456);
	cr_assert(pte_present(p));
	cr_assert_not(pte_none(p));
	cr_assert_not(pte_write(p) || pte_dirty(p) || pte_young(p) || pte_special(p) ||
		      pte_devmap(p));
	cr_assert(pte_write(pte_mkwrite(p)));
	cr_assert_not(pte_write(pte_wrprotect(pte_mkwrite(p))));
	cr_assert(pte_dirty(pte_mkdirty(p)));
	cr_assert_not(pte_dirty(pte_mkclean(pte_mkdirty(p))));
	cr_assert(pte_young(pte_mkyoung(p)));
	cr_assert(pte_special(pte_mkspecial(p)));
	cr_assert_not(pte_devmap(pte_mkspecial(p)));
	/* pte_mkdevmap sets _PAGE_SPECIAL|_PAGE_DEVMAP (§3, L354). */
	cr_assert(pte_devmap(pte_mkdevmap(p)));
	cr_assert(pte_special(pte_mkdevmap(p)));
	/* None of them touches the pfn. */
	cr_assert_eq(pte_pfn(pte_mkdevmap(pte_mkdirty(pte_mkwrite(p)))), 0x123456);
	cr_assert(pte_none((pte_t){ 0 }));

	/* pte_modify: new protection, same pfn, dirty, young, special, devmap. */
	p = pte_mkdevmap(pte_mkyoung(pte_mkdirty(pte_mkwrite(
			pfn_pte(0x777, _PAGE_PRESENT | _PAGE_USER)))));
	pte_t q = pte_modify(p, _PAGE_PRESENT);

	cr_assert_eq(pte_pfn(q), 0x777);
	cr_assert(pte_dirty(q) && pte_young(q) && pte_special(q) && pte_devmap(q));
	cr_assert_not(pte_write(q));
	cr_assert_not(q.val & _PAGE_USER);
	cr_assert(pte_write(pte_modify(q, _PAGE_PRESENT | _PAGE_RW)));
}

struct hook_log {
	int calls;
	struct vm_area_struct *vma;
	unsigned long addr;
	pte_t old, new;
};

static void log_pte(void *ctx, struct vm_area_struct *vma, unsigned long addr,
		    pte_t old, pte_t new)
{
	struct hook_log *l = ctx;

	l->calls++;
	l->vma = vma;
	l->addr = addr;
	l->old = old;
	l->new = new;
}

/* set_pte_at and ptep_get_and_clear are the writers, and report each change. */
Test(pgtable, writers_call_the_hook)
{
	struct hook_log log = { 0 };
	struct vm_area_struct *fake = (struct vm_area_struct *)&log;
	unsigned long a = 0x7f0000003000UL;
	pte_t *p = pte_alloc(k, mm, a);
	pte_t v = present(9), old;

	k->hooks.ctx = &log;
	k->hooks.pte_changed = log_pte;
	set_pte_at(k, fake, a, p, v);
	cr_assert_eq(log.calls, 1);
	cr_assert_eq(log.vma, fake);
	cr_assert_eq(log.addr, a);
	cr_assert(pte_none(log.old));
	cr_assert_eq(log.new.val, v.val);
	cr_assert_eq(p->val, v.val);

	old = ptep_get_and_clear(k, fake, a, p);
	cr_assert_eq(old.val, v.val);
	cr_assert(pte_none(*p));
	cr_assert_eq(log.calls, 2);
	cr_assert_eq(log.old.val, v.val);
	cr_assert(pte_none(log.new));
	k->hooks.pte_changed = NULL;
}

/* Faults write PTEs through the same writers: the hook sees the insertion. */
Test(pgtable, fault_reports_through_hook)
{
	struct hook_log log = { 0 };
	struct inode *inode = ext4_create(k, true, 4 * PAGE_SIZE);
	struct file *f = file_open(k, inode, FMODE_READ | FMODE_WRITE);
	long a = do_mmap(k, mm, f, 0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, 0);

	cr_assert_geq(a, 0);
	k->hooks.ctx = &log;
	k->hooks.pte_changed = log_pte;
	cr_assert_eq(user_access(k, mm, a + PAGE_SIZE, 8, false, 0).sig, SIG_NONE);
	cr_assert_geq(log.calls, 1);
	cr_assert_eq(log.addr, (unsigned long)a + PAGE_SIZE);
	cr_assert(pte_present(log.new));
	cr_assert_eq(log.new.val, pte_lookup(mm, a + PAGE_SIZE)->val);
	cr_assert_eq(log.vma, find_vma(mm, a));
	k->hooks.pte_changed = NULL;
	mm_destroy(k, mm);
	file_close(k, f);
}
