// SPDX-License-Identifier: GPL-2.0
/*
 * sim/invariants.c per policy (docs/invariants.md, "Per policy"): the
 * table, and the dax-2014 forms of pte-entry-coherent, zero-page-stale and
 * refcount-balance catching a state v4.0 must never reach (made by hand
 * here: no dax-2014 bug variant exists).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ext4.h"
#include "invariants.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"

static const char *file_name(void *ctx, const struct inode *inode)
{
	return "f";
}

static const char *proc_name(void *ctx, const struct mm_struct *mm)
{
	return "A";
}

static void addr_name(void *ctx, const struct mm_struct *mm, unsigned long addr,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%#lx", addr);
}

static const struct namer namer = { NULL, file_name, proc_name, addr_name };

/*
 * What an era does not have: no entries in v3.19's XIP, no PMDs before
 * v4.3, no nvdimm driver to unbind before v4.1 (model/nvdimm.c).
 */
static bool not_in_era(int pol, int inv)
{
	return (pol == POLICY_XIP_2014 && inv == INV_PTE_ENTRY_COHERENT) ||
	       ((pol == POLICY_XIP_2014 || pol == POLICY_DAX_2014) &&
		inv == INV_DEAD_DEVICE_MAPPED) ||
	       ((pol == POLICY_XIP_2014 || pol == POLICY_DAX_2014) &&
		inv == INV_PMD_SPLIT_KEEPS_DIRTY);
}

Test(invariant_scope, every_modelled_policy_checks_every_invariant)
{
	for (int pol = 0; pol < NR_POLICIES; pol++) {
		if (!policy_modelled(pol))
			continue;
		for (int inv = 0; inv < NR_CHECKED_INVARIANTS; inv++)
			cr_assert_eq(invariant_scope[pol][inv] == INV_SCOPE_NONE, not_in_era(pol, inv),
				     "%s %s", policy_names[pol], invariant_names[inv]);
	}
	cr_assert_not(invariant_applies(POLICY_XIP_2014, INV_PTE_ENTRY_COHERENT));
	cr_assert(invariant_applies(POLICY_DAX_2017, INV_PMD_SPLIT_KEEPS_DIRTY));
	cr_assert_not(invariant_applies(POLICY_DAX_2014, INV_DEAD_DEVICE_MAPPED));
	cr_assert(invariant_applies(POLICY_MODERN, INV_DEAD_DEVICE_MAPPED));
	cr_assert_eq(invariant_scope[POLICY_DAX_2014][INV_PTE_ENTRY_COHERENT],
		     INV_SCOPE_NO_DAX_ENTRIES);
	cr_assert_eq(invariant_scope[POLICY_DAX_2014][INV_DIRTY_TRACKED],
		     INV_SCOPE_NO_DAX_ENTRIES);
	cr_assert_eq(invariant_scope[POLICY_DAX_2017][INV_PTE_ENTRY_COHERENT], INV_SCOPE_ALL);
	cr_assert_eq(invariant_scope[POLICY_DAX_2016][INV_PTE_ENTRY_COHERENT], INV_SCOPE_V4_5);
}

struct world {
	struct kernel *k;
	struct checker *c;
	struct file *f;
	struct mm_struct *mm;
	unsigned long a;
	GPtrArray *out;
};

static void setup(struct world *w)
{
	w->k = kernel_create(POLICY_DAX_2014, 64UL << 20, 64UL << 20);
	w->c = checker_new(w->k, &namer);
	w->f = file_open(w->k, ext4_create(w->k, true, 4 * PAGE_SIZE), FMODE_READ | FMODE_WRITE);
	w->mm = mm_create(w->k);
	w->a = do_mmap(w->k, w->mm, w->f, 0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
	w->out = g_ptr_array_new_with_free_func(violation_free);
	cr_assert_eq(user_access(w->k, w->mm, w->a, 8, false, 0).sig, SIG_NONE);
	checker_full(w->c, w->out);
	cr_assert_eq(w->out->len, 0, "a hole page is what dax-2014 has");
}

static void teardown(struct world *w)
{
	g_ptr_array_free(w->out, TRUE);
	mm_destroy(w->k, w->mm);
	file_close(w->k, w->f);
	checker_free(w->c);
	kernel_destroy(w->k);
}

static bool found(struct world *w, enum invariant inv)
{
	for (guint i = 0; i < w->out->len; i++)
		if (((struct violation *)g_ptr_array_index(w->out, i))->inv == inv)
			return true;
	return false;
}

/* A hole page taken out of the page cache while a PTE still maps it. */
Test(invariant_scope, dax_2014_page_out_of_the_cache_but_mapped)
{
	struct world w;
	struct page *page;

	setup(&w);
	page = find_lock_page(w.k, &w.f->inode->i_data, 0);
	delete_from_page_cache(w.k, page);	/* no unmap: what v4.0 never does */
	unlock_page(w.k, page);
	put_page(w.k, page);
	checker_full(w.c, w.out);
	cr_assert(found(&w, INV_PTE_ENTRY_COHERENT));
	cr_assert_not(found(&w, INV_REFCOUNT_BALANCE), "the PTE still holds its reference");
	/* the kernel would have unmapped it: do so, and all is well again */
	unmap_mapping_range(w.k, &w.f->inode->i_data, 0, PAGE_SIZE, 0);
	g_ptr_array_set_size(w.out, 0);
	checker_full(w.c, w.out);
	cr_assert_eq(w.out->len, 0);
	teardown(&w);
}

/* A block written under a mapped hole page: zero-page-stale, over hole pages. */
Test(invariant_scope, dax_2014_hole_page_over_a_written_block)
{
	struct world w;
	long b;

	setup(&w);
	b = ext4_new_block(w.k, w.f->inode, 0);
	cr_assert_geq(b, 0);
	ext4_set_block(w.k, w.f->inode, 0, b, false);	/* no unmap, no cache delete */
	checker_step(w.c, w.out);
	cr_assert(found(&w, INV_ZERO_PAGE_STALE));
	teardown(&w);
}

/* A page-cache page's reference lost: refcount-balance. */
Test(invariant_scope, dax_2014_page_cache_reference)
{
	struct world w;
	struct page *page;

	setup(&w);
	page = find_get_page(w.k, &w.f->inode->i_data, 0);
	checker_full(w.c, w.out);
	cr_assert(found(&w, INV_REFCOUNT_BALANCE), "an extra reference nothing accounts for");
	put_page(w.k, page);
	g_ptr_array_set_size(w.out, 0);
	checker_full(w.c, w.out);
	cr_assert_eq(w.out->len, 0);
	teardown(&w);
}

/* dirty-tracked under dax-2014: only what a sync must achieve. */
Test(invariant_scope, dax_2014_sync_leaves_volatile_writable_blocks)
{
	struct world w;
	unsigned long s;

	setup(&w);
	s = do_mmap(w.k, w.mm, w.f, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(user_access(w.k, w.mm, s + PAGE_SIZE, 8, true, 1).sig, SIG_NONE);
	checker_step(w.c, w.out);
	cr_assert_eq(w.out->len, 0, "no entry to tag: not a violation in v4.0");
	cr_assert_eq(do_msync(w.k, w.mm, s, 4 * PAGE_SIZE, MS_SYNC), 0);
	checker_after_msync(w.c, w.mm, s, s + 4 * PAGE_SIZE, w.out);
	cr_assert(found(&w, INV_DIRTY_TRACKED));
	teardown(&w);
}
