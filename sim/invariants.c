// SPDX-License-Identifier: GPL-2.0
/*
 * The invariant checkers. They read the model's state but keep their own
 * account of what the page tables hold (expected rss per process, expected
 * mapcount per DRAM page), fed by every PTE change the model reports, so a
 * counter the model gets wrong shows up as a difference.
 *
 * After a step only the touched (file, index) pairs, processes and DRAM
 * pages are checked; checker_full() walks everything and must agree.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dax.h"
#include "ext4.h"
#include "invariants.h"
#include "mm.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"
#include "pmem.h"
#include "usercopy.h"

const char *const invariant_names[NR_INVARIANTS] = {
	[INV_ZERO_PAGE_STALE] = "zero-page-stale",
	[INV_BEYOND_EOF] = "beyond-eof",
	[INV_FREED_BLOCK] = "freed-block",
	[INV_PTE_ENTRY_COHERENT] = "pte-entry-coherent",
	[INV_DIRTY_TRACKED] = "dirty-tracked",
	[INV_DATA_ORACLE] = "data-oracle",
	[INV_REFCOUNT_BALANCE] = "refcount-balance",
	[INV_RSS_ACCOUNTING] = "rss-accounting",
	[INV_PRIVATE_COW] = "private-cow",
	[INV_DURABLE_AFTER_SYNC] = "durable-after-sync",
	[INV_PINNED_BLOCK] = "pinned-block",
	[INV_FAULTAROUND_BOUNDS] = "faultaround-bounds",
	[INV_DEAD_DEVICE_MAPPED] = "dead-device-mapped",
	[INV_PMD_SPLIT_KEEPS_DIRTY] = "pmd-split-keeps-dirty",
	[INV_NO_LOCK_LEAK] = "no-lock-leak",
	[INV_LOCK_ORDER] = "lock-order",
};

/*
 * What each checked invariant checks under each modelled policy
 * (docs/invariants.md, "Per policy"). An invariant about something an era
 * does not have is not checked there; one whose property the era breaks
 * is checked and fires, a finding about the era.
 *
 * INV_SCOPE_ALL: every clause as docs/invariants.md states it.
 * INV_SCOPE_NO_DAX_ENTRIES: v4.0 has no DAX radix-tree entries, only
 *   page-cache hole pages: pte-entry-coherent checks that a PTE on a DRAM
 *   page maps the page the page cache holds at that index, that the tree
 *   holds no exceptional entry and that the zero page is never mapped;
 *   dirty-tracked keeps only what msync/fsync must achieve (durable
 *   blocks, no writable shared PTE left), which v4.0 does not do.
 * INV_SCOPE_V4_5: v4.5 keeps page-cache hole pages and DAX entries in one
 *   tree, a PMD entry in one slot at its aligned index, and a PMD read
 *   fault inserts no entry (fs/dax.c L973-986): pte-entry-coherent checks
 *   a hole page as under dax-2014, no zero page ever, and a PTE on a block
 *   against the entry covering its index (its own slot, else a PMD entry
 *   at the aligned index), which a read-only huge pmd may lack;
 *   dirty-tracked's entry clause looks at that covering entry.
 * INV_SCOPE_NONE: not checked: the era has nothing the invariant is about
 *   (xip-2014's entries, v4.0's and v3.19's PMDs), or the policy is not
 *   modelled yet and its runs stop before any check. `expect violated` of
 *   one exits 3.
 */
const enum inv_scope invariant_scope[NR_POLICIES][NR_CHECKED_INVARIANTS] = {
	[POLICY_DAX_2014] = {
		[INV_ZERO_PAGE_STALE] = INV_SCOPE_ALL,
		[INV_BEYOND_EOF] = INV_SCOPE_ALL,
		[INV_FREED_BLOCK] = INV_SCOPE_ALL,
		[INV_PTE_ENTRY_COHERENT] = INV_SCOPE_NO_DAX_ENTRIES,
		[INV_DIRTY_TRACKED] = INV_SCOPE_NO_DAX_ENTRIES,
		[INV_DATA_ORACLE] = INV_SCOPE_ALL,
		[INV_REFCOUNT_BALANCE] = INV_SCOPE_ALL,
		[INV_RSS_ACCOUNTING] = INV_SCOPE_ALL,
		[INV_PRIVATE_COW] = INV_SCOPE_ALL,
		[INV_PMD_SPLIT_KEEPS_DIRTY] = INV_SCOPE_NONE,	/* no PMD faults in v4.0 */
		[INV_FAULTAROUND_BOUNDS] = INV_SCOPE_ALL,
		[INV_NO_LOCK_LEAK] = INV_SCOPE_ALL,
		[INV_LOCK_ORDER] = INV_SCOPE_ALL,
		[INV_DURABLE_AFTER_SYNC] = INV_SCOPE_ALL,
		[INV_PINNED_BLOCK] = INV_SCOPE_ALL,
	},
	[POLICY_DAX_2017] = {
		[INV_ZERO_PAGE_STALE] = INV_SCOPE_ALL,
		[INV_BEYOND_EOF] = INV_SCOPE_ALL,
		[INV_FREED_BLOCK] = INV_SCOPE_ALL,
		[INV_PTE_ENTRY_COHERENT] = INV_SCOPE_ALL,
		[INV_DIRTY_TRACKED] = INV_SCOPE_ALL,
		[INV_DATA_ORACLE] = INV_SCOPE_ALL,
		[INV_REFCOUNT_BALANCE] = INV_SCOPE_ALL,
		[INV_RSS_ACCOUNTING] = INV_SCOPE_ALL,
		[INV_PRIVATE_COW] = INV_SCOPE_ALL,
		[INV_PMD_SPLIT_KEEPS_DIRTY] = INV_SCOPE_ALL,
		[INV_FAULTAROUND_BOUNDS] = INV_SCOPE_ALL,
		[INV_DEAD_DEVICE_MAPPED] = INV_SCOPE_ALL,
		[INV_NO_LOCK_LEAK] = INV_SCOPE_ALL,
		[INV_LOCK_ORDER] = INV_SCOPE_ALL,
		[INV_DURABLE_AFTER_SYNC] = INV_SCOPE_ALL,
		[INV_PINNED_BLOCK] = INV_SCOPE_ALL,
	},
	/* v6.1: dax-2017's code with the later changes switched on */
	[POLICY_MODERN] = {
		[INV_ZERO_PAGE_STALE] = INV_SCOPE_ALL,
		[INV_BEYOND_EOF] = INV_SCOPE_ALL,
		[INV_FREED_BLOCK] = INV_SCOPE_ALL,
		[INV_PTE_ENTRY_COHERENT] = INV_SCOPE_ALL,
		[INV_DIRTY_TRACKED] = INV_SCOPE_ALL,
		[INV_DATA_ORACLE] = INV_SCOPE_ALL,
		[INV_REFCOUNT_BALANCE] = INV_SCOPE_ALL,
		[INV_RSS_ACCOUNTING] = INV_SCOPE_ALL,
		[INV_PRIVATE_COW] = INV_SCOPE_ALL,
		[INV_PMD_SPLIT_KEEPS_DIRTY] = INV_SCOPE_ALL,
		[INV_FAULTAROUND_BOUNDS] = INV_SCOPE_ALL,
		[INV_DEAD_DEVICE_MAPPED] = INV_SCOPE_ALL,
		[INV_NO_LOCK_LEAK] = INV_SCOPE_ALL,
		[INV_LOCK_ORDER] = INV_SCOPE_ALL,
		[INV_DURABLE_AFTER_SYNC] = INV_SCOPE_ALL,
		[INV_PINNED_BLOCK] = INV_SCOPE_ALL,
	},
	/*
	 * v4.5 (docs/eras/dax-2016.md): pte-entry-coherent and dirty-tracked's
	 * entry clause in their v4.5 form (INV_SCOPE_V4_5 above).
	 * dirty-tracked's after-sync half is checked and fires by design:
	 * writeback clears only TOWRITE and write-protects nothing.
	 * pmd-split-keeps-dirty is checked with v4.5's one-slot PMD entries
	 * (check_kept_dirty).
	 */
	[POLICY_DAX_2016] = {
		[INV_ZERO_PAGE_STALE] = INV_SCOPE_ALL,
		[INV_BEYOND_EOF] = INV_SCOPE_ALL,
		[INV_FREED_BLOCK] = INV_SCOPE_ALL,
		[INV_PTE_ENTRY_COHERENT] = INV_SCOPE_V4_5,
		[INV_DIRTY_TRACKED] = INV_SCOPE_ALL,
		[INV_DATA_ORACLE] = INV_SCOPE_ALL,
		[INV_REFCOUNT_BALANCE] = INV_SCOPE_ALL,
		[INV_RSS_ACCOUNTING] = INV_SCOPE_ALL,
		[INV_PRIVATE_COW] = INV_SCOPE_ALL,
		[INV_PMD_SPLIT_KEEPS_DIRTY] = INV_SCOPE_ALL,
		[INV_FAULTAROUND_BOUNDS] = INV_SCOPE_ALL,
		[INV_DEAD_DEVICE_MAPPED] = INV_SCOPE_ALL,
		[INV_NO_LOCK_LEAK] = INV_SCOPE_ALL,
		[INV_LOCK_ORDER] = INV_SCOPE_ALL,
		[INV_DURABLE_AFTER_SYNC] = INV_SCOPE_ALL,
		[INV_PINNED_BLOCK] = INV_SCOPE_ALL,
	},
	/*
	 * v3.19's XIP keeps no radix-tree entries at all and maps no PMDs:
	 * pte-entry-coherent and pmd-split-keeps-dirty have nothing to be
	 * about; dirty-tracked keeps what msync/fsync must achieve, which XIP
	 * does not do (a finding by design).
	 */
	[POLICY_XIP_2014] = {
		[INV_ZERO_PAGE_STALE] = INV_SCOPE_ALL,
		[INV_BEYOND_EOF] = INV_SCOPE_ALL,
		[INV_FREED_BLOCK] = INV_SCOPE_ALL,
		[INV_PTE_ENTRY_COHERENT] = INV_SCOPE_NONE,
		[INV_DIRTY_TRACKED] = INV_SCOPE_NO_DAX_ENTRIES,
		[INV_DATA_ORACLE] = INV_SCOPE_ALL,
		[INV_REFCOUNT_BALANCE] = INV_SCOPE_ALL,
		[INV_RSS_ACCOUNTING] = INV_SCOPE_ALL,
		[INV_PRIVATE_COW] = INV_SCOPE_ALL,
		[INV_PMD_SPLIT_KEEPS_DIRTY] = INV_SCOPE_NONE,
		[INV_FAULTAROUND_BOUNDS] = INV_SCOPE_ALL,
		[INV_NO_LOCK_LEAK] = INV_SCOPE_ALL,
		[INV_LOCK_ORDER] = INV_SCOPE_ALL,
		/*
		 * ext2 writes its metadata in place at fsync and sync; XIP
		 * flushes no data: stores a sync promised can be lost (by design)
		 */
		[INV_DURABLE_AFTER_SYNC] = INV_SCOPE_ALL,
		/* holds trivially: gup gets no XIP block (a special PTE) */
		[INV_PINNED_BLOCK] = INV_SCOPE_ALL,
	},
};

int invariant_lookup(const char *name)
{
	for (int i = 0; i < NR_INVARIANTS; i++)
		if (strcmp(invariant_names[i], name) == 0)
			return i;
	return -1;
}

struct touched_index {
	struct inode *inode;
	pgoff_t index;
};

/* The touched sets: plain arrays, reset after every step. */
struct touched_set {
	struct touched_index *v;
	guint len, cap;
};

/* Runs of indices [index, index + nr) touched at once (range_changed). */
struct touched_range {
	struct inode *inode;
	pgoff_t index;
	unsigned long nr;
};

struct range_set {
	struct touched_range *v;
	guint len, cap;
};

struct mm_set {
	struct mm_struct **v;
	guint len, cap;
};

struct pfn_set {
	unsigned long *v;
	guint len, cap;
};

#define SET_ADD(set, item)						\
	do {								\
		if ((set)->len == (set)->cap) {				\
			(set)->cap = (set)->cap ? 2 * (set)->cap : 64;	\
			(set)->v = g_renew(__typeof__(*(set)->v), (set)->v, (set)->cap); \
		}							\
		(set)->v[(set)->len++] = (item);			\
	} while (0)

struct checker {
	struct kernel *k;
	struct namer namer;
	struct touched_set touched;
	struct range_set touched_ranges;
	struct mm_set touched_mms;
	struct pfn_set touched_pfns;
	GArray *shadow_rss;		/* long[NR_MM_COUNTERS] per mm id */
	GHashTable *shadow_map;		/* DRAM pfn -> expected mapcount */
	GHashTable *shadow_write;	/* DRAM pfn -> how many of those PTEs are writable */
	GHashTable *shadow_pmd_map;	/* pmem pfn -> counted pmds mapping the folio there */
	GHashTable *active;		/* "inv|key" of violations still standing */
	GHashTable *seen_now;		/* keys found in this check */
	/* the object of a standing violation ("I<ino>:<index>", "M<id>", "P<pfn>") -> its keys */
	GHashTable *by_obj;
	GPtrArray *released;		/* violations found as an mm went, for the next check */
	unsigned long work;		/* PTEs changed, and what the sweeps went over */
	GArray *pins;			/* struct pin_rec: the runner's gup/pin handles */
	GHashTable *pin_refs;		/* pfn -> the references handles hold on it */
	long pmem_pin_refs;		/* of those, on pmem pages: all of them */
};

/*
 * A page a handle holds (@weight references), and for pinned-block, the
 * pmem block it is with the file and index that owned it when pinned.
 */
struct pin_rec {
	char *handle;
	unsigned long pfn;
	long weight;
	bool owned;
	unsigned long block;
	struct inode *inode;
	pgoff_t index;
};

static enum inv_scope scope(const struct checker *c, enum invariant inv)
{
	return invariant_scope[c->k->policy.id][inv];
}

/* The era keeps DAX entries in the radix tree (v4.5 on). */
static bool dax_entries(const struct checker *c)
{
	return scope(c, INV_PTE_ENTRY_COHERENT) == INV_SCOPE_ALL ||
	       scope(c, INV_PTE_ENTRY_COHERENT) == INV_SCOPE_V4_5;
}

/* Page-cache hole pages in the tree: v4.0 and v4.5. */
static bool hole_pages(const struct checker *c)
{
	return scope(c, INV_PTE_ENTRY_COHERENT) == INV_SCOPE_NO_DAX_ENTRIES ||
	       scope(c, INV_PTE_ENTRY_COHERENT) == INV_SCOPE_V4_5;
}

/*
 * The block @entry, in slot @eindex, gives @index. v4.5's entry holds the
 * sector of its own slot's index, which for a PMD entry is the aligned
 * index unless the VMA and the file disagree mod 2 MiB (__dax_pmd_fault()
 * does not check that: docs/eras/dax-2016.md §7).
 */
static unsigned long entry_block_at(const struct checker *c, const void *entry,
				    pgoff_t index, pgoff_t eindex)
{
	if (scope(c, INV_PTE_ENTRY_COHERENT) == INV_SCOPE_V4_5)
		return dax_entry_block(entry) + (index - eindex);
	return dax_entry_block_at(entry, index);
}

/*
 * v4.5's entry covering @index, looked up as dax_radix_entry() does
 * (fs/dax.c L365-371): a PMD entry at the aligned index first (PTE entries
 * it was inserted over stay in their slots and no longer count), else the
 * entry in @index's own slot (@entry); *@eindex its slot.
 */
static void *v4_5_covering_entry(struct radix_tree_root *tree, pgoff_t index,
				 void *entry, pgoff_t *eindex)
{
	pgoff_t pmd_index = index & ~(pgoff_t)PG_PMD_COLOUR;
	void *pmd_entry = radix_tree_lookup(tree, pmd_index);

	if (pmd_entry && radix_tree_exceptional_entry(pmd_entry) && dax_is_pmd_entry(pmd_entry)) {
		*eindex = pmd_index;
		return pmd_entry;
	}
	*eindex = index;
	return entry;
}

static long *shadow_rss(struct checker *c, const struct mm_struct *mm)
{
	guint need = (mm->id + 1) * NR_MM_COUNTERS;

	if (c->shadow_rss->len < need)
		g_array_set_size(c->shadow_rss, need);
	return &g_array_index(c->shadow_rss, long, mm->id * NR_MM_COUNTERS);
}

/*
 * Which rss counter a present PTE counts in, or -1 (special: none). A
 * normal PTE on a pmem block maps a refcounted DAX page, a file page
 * (v6.15 insert_page_into_pte_locked(): mm_counter_file()).
 */
static inline int pte_counter(struct kernel *k, pte_t pte)
{
	struct page *page;

	if (!pte_present(pte) || pte_special(pte))
		return -1;
	if (pfn_is_pmem(k, pte_pfn(pte)))
		return MM_FILEPAGES;
	page = pfn_to_page(k, pte_pfn(pte));
	return page && (page->flags & PG_anon) ? MM_ANONPAGES : MM_FILEPAGES;
}

static inline void touch_index(struct checker *c, struct inode *inode, pgoff_t index)
{
	struct touched_set *t = &c->touched;

	if (t->len && t->v[t->len - 1].inode == inode && t->v[t->len - 1].index == index)
		return;
	SET_ADD(t, ((struct touched_index){ inode, index }));
}

static void touch_pfn(struct checker *c, unsigned long pfn)
{
	struct pfn_set *t = &c->touched_pfns;

	if (t->len && t->v[t->len - 1] == pfn)
		return;
	SET_ADD(t, pfn);
}

static void shadow_count_add(GHashTable *counts, unsigned long pfn, int delta)
{
	gpointer key = GSIZE_TO_POINTER(pfn);
	long n = GPOINTER_TO_SIZE(g_hash_table_lookup(counts, key)) + delta;

	assert(n >= 0);
	if (n)
		g_hash_table_insert(counts, key, GSIZE_TO_POINTER(n));
	else
		g_hash_table_remove(counts, key);
}

static long shadow_count(GHashTable *counts, unsigned long pfn)
{
	return GPOINTER_TO_SIZE(g_hash_table_lookup(counts, GSIZE_TO_POINTER(pfn)));
}

static long shadow_mapcount(struct checker *c, unsigned long pfn)
{
	return shadow_count(c->shadow_map, pfn);
}

static void account_pte(struct checker *c, struct mm_struct *mm, pte_t pte,
			int sign)
{
	int counter = pte_counter(c->k, pte);

	if (counter < 0)
		return;
	shadow_rss(c, mm)[counter] += sign;
	shadow_count_add(c->shadow_map, pte_pfn(pte), sign);
	if (pte_write(pte))
		shadow_count_add(c->shadow_write, pte_pfn(pte), sign);
	touch_pfn(c, pte_pfn(pte));
}

static void hook_pte_changed(void *ctx, struct vm_area_struct *vma,
			     unsigned long addr, pte_t old, pte_t new)
{
	struct checker *c = ctx;
	struct mm_struct *mm = vma->vm_mm;
	struct mm_set *t = &c->touched_mms;

	c->work++;
	account_pte(c, mm, old, -1);
	account_pte(c, mm, new, +1);
	if (!t->len || t->v[t->len - 1] != mm)
		SET_ADD(t, mm);
	if (vma->vm_file)
		touch_index(c, vma->vm_file->inode, linear_page_index(vma, addr));
}

static void hook_range_changed(void *ctx, struct inode *inode, pgoff_t index,
			       unsigned long nr);

/*
 * Whether a huge pmd maps a refcounted 2 MiB DAX folio, counted as 512
 * file pages: a pmem pmd without the devmap bit (v6.15
 * vmf_insert_folio_pmd(); 6.1's insert_pfn_pmd() sets devmap and counts
 * nothing, and the huge zero page is DRAM).
 */
static bool pmd_counted(struct kernel *k, pmd_t pmd)
{
	return pmd_trans_huge(pmd) && !pmd_devmap(pmd) && pfn_is_pmem(k, pmd_pfn(pmd));
}

static void account_pmd(struct checker *c, struct mm_struct *mm, pmd_t pmd, int sign)
{
	if (!pmd_counted(c->k, pmd))
		return;
	shadow_rss(c, mm)[MM_FILEPAGES] += sign * (long)(PMD_SIZE >> PAGE_SHIFT);
	shadow_count_add(c->shadow_pmd_map, pmd_pfn(pmd), sign);
	touch_pfn(c, pmd_pfn(pmd));
}

/*
 * A huge pmd set or cleared: a DAX pmd of 6.1 and the huge zero page count
 * in no rss and no mapcount (insert_pfn_pmd() and set_huge_zero_page(),
 * v4.14), a folio pmd 512 file pages (account_pmd()); all 512 indices it
 * maps are checked.
 */
static void hook_pmd_changed(void *ctx, struct vm_area_struct *vma,
			     unsigned long addr, pmd_t old, pmd_t new)
{
	struct checker *c = ctx;
	struct mm_set *t = &c->touched_mms;

	account_pmd(c, vma->vm_mm, old, -1);
	account_pmd(c, vma->vm_mm, new, +1);
	c->work++;
	if (!t->len || t->v[t->len - 1] != vma->vm_mm)
		SET_ADD(t, vma->vm_mm);
	if (vma->vm_file)
		hook_range_changed(c, vma->vm_file->inode, linear_page_index(vma, addr),
				   PMD_SIZE >> PAGE_SHIFT);
}

void checker_touch(struct checker *c, struct inode *inode, pgoff_t index)
{
	touch_index(c, inode, index);
}

static void hook_index_changed(void *ctx, struct inode *inode, pgoff_t index)
{
	touch_index(ctx, inode, index);
}

static const char *pname(struct checker *c, const struct mm_struct *mm);

/*
 * An mm goes (exit): its counters are checked now, as check_mm() does
 * (kernel/fork.c, v4.14: "Bad rss-counter state"), since the next step's
 * check can no longer look at it. exit_mmap() zapped every PTE, so each
 * counter must be zero, and so is the shadow.
 */
static void hook_mm_release(void *ctx, struct mm_struct *mm)
{
	static const char *const names[] = { "MM_FILEPAGES", "MM_ANONPAGES" };
	struct checker *c = ctx;
	struct mm_set *t = &c->touched_mms;
	long *shadow = shadow_rss(c, mm);
	char key[32];

	for (guint i = 0; i < t->len; i++)
		if (t->v[i] == mm)
			t->v[i--] = t->v[--t->len];
	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		assert(shadow[i] == 0);
		if (!mm->rss[i])
			continue;
		snprintf(key, sizeof(key), "M%d:%d:exit", mm->id, i);
		checker_report(c, c->released, INV_RSS_ACCOUNTING, key, NULL, 0, NULL, 0,
			       "process %s exited with %s at %ld, with no page mapped (check_mm: Bad rss-counter state)",
			       pname(c, mm), names[i], mm->rss[i]);
	}
}

/* What went with an exited mm, into this check's findings. */
static void __take_released(struct checker *c, GPtrArray *out)
{
	for (guint i = 0; i < c->released->len; i++)
		g_ptr_array_add(out, g_ptr_array_index(c->released, i));
	g_ptr_array_set_free_func(c->released, NULL);
	g_ptr_array_set_size(c->released, 0);
	g_ptr_array_set_free_func(c->released, violation_free);
}

/* the violations reported while the step ran (mostly none) */
static inline void take_released(struct checker *c, GPtrArray *out)
{
	if (c->released->len)
		__take_released(c, out);
}

static void hook_range_changed(void *ctx, struct inode *inode, pgoff_t index,
			       unsigned long nr)
{
	struct checker *c = ctx;
	struct range_set *t = &c->touched_ranges;
	struct touched_range *last = t->len ? &t->v[t->len - 1] : NULL;

	if (last && last->inode == inode && last->index + last->nr == index) {
		last->nr += nr;
		return;
	}
	SET_ADD(t, ((struct touched_range){ inode, index, nr }));
}

static const char *fname(struct checker *c, const struct inode *inode);
static void describe_addr(struct checker *c, const struct mm_struct *mm,
			  unsigned long addr, char *buf, size_t len);

/*
 * faultaround-bounds: filemap_map_pages() has just mapped @page at
 * vmf->address for the fault at vmf->pgoff, window [start_pgoff,
 * end_pgoff] (reported after alloc_set_pte(), which maps into an empty
 * PTE only). Each clause is checked against the state, not against what
 * map_pages tested: a page-cache file, a read fault, inside the VMA, in
 * the fault's PTE table and in its window (fault_around_bytes from the
 * fault address rounded down to that size, or from vm_start), the
 * page the page cache holds at that index, uptodate, not marked for
 * readahead, below i_size. Found during the step, reported with its
 * findings (c->released).
 */
static void hook_map_pages(void *ctx, const struct vm_fault *vmf, struct page *page,
			   pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	struct checker *c = ctx;
	struct vm_area_struct *vma = vmf->vma;
	struct inode *inode = vma_inode(vma);
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = vmf->address;
	unsigned long fault_addr = vma->vm_start + ((vmf->pgoff - vma->vm_pgoff) << PAGE_SHIFT);
	unsigned long window = c->k->fault_around_bytes;
	/* aligned to its size, or from vm_start when that is inside it */
	unsigned long window_start = (fault_addr & ~(window - 1)) > vma->vm_start ?
				     fault_addr & ~(window - 1) : vma->vm_start;
	pgoff_t index = linear_page_index(vma, addr);
	const char *why = NULL;
	char key[96], where[64];

	if (IS_DAX(inode))
		why = "on a DAX file";
	else if (vmf->flags & FAULT_FLAG_WRITE)
		why = "for a write fault";
	else if (addr < vma->vm_start || addr >= vma->vm_end)
		why = "outside the VMA";
	else if ((addr & PMD_MASK) != (fault_addr & PMD_MASK))
		why = "outside the fault's PTE table";
	else if (addr < window_start || addr - window_start >= window ||
		 index < start_pgoff || index > end_pgoff)
		why = "outside the fault-around window";
	else if (radix_tree_lookup(&inode->i_data.page_tree, index) != page ||
		 page->mapping != &inode->i_data)
		why = "a page the page cache does not hold there";
	else if (!(page->flags & PG_uptodate))
		why = "a page that is not uptodate";
	else if (page->flags & PG_readahead)
		why = "a page marked PG_readahead";
	else if (index >= DIV_ROUND_UP((unsigned long)inode->i_size, PAGE_SIZE))
		why = "a page at or past EOF";
	if (!why)
		return;
	snprintf(key, sizeof(key), "I%lu:%lu:%d:%lx:fa", inode->i_ino, index, mm->id, addr);
	describe_addr(c, mm, addr, where, sizeof(where));
	checker_report(c, c->released, INV_FAULTAROUND_BOUNDS, key, inode, index, mm, addr,
		       "fault-around for the fault at index %lu of file %s mapped page #%lu at process %s %s (index %lu): %s",
		       vmf->pgoff, fname(c, inode), page->serial, pname(c, mm), where, index, why);
}

struct checker *checker_new(struct kernel *k, const struct namer *namer)
{
	struct checker *c = g_new0(struct checker, 1);

	c->k = k;
	c->namer = *namer;
	c->shadow_rss = g_array_new(FALSE, TRUE, sizeof(long));
	c->shadow_map = g_hash_table_new(g_direct_hash, g_direct_equal);
	c->shadow_write = g_hash_table_new(g_direct_hash, g_direct_equal);
	c->shadow_pmd_map = g_hash_table_new(g_direct_hash, g_direct_equal);
	c->active = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c->seen_now = g_hash_table_new(g_str_hash, g_str_equal);
	c->by_obj = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  (GDestroyNotify)g_ptr_array_unref);
	k->hooks.ctx = c;
	k->hooks.pte_changed = hook_pte_changed;
	k->hooks.pmd_changed = hook_pmd_changed;
	k->hooks.index_changed = hook_index_changed;
	k->hooks.mm_release = hook_mm_release;
	c->released = g_ptr_array_new_with_free_func(violation_free);
	k->hooks.range_changed = hook_range_changed;
	k->hooks.map_pages = hook_map_pages;
	c->pins = g_array_new(FALSE, FALSE, sizeof(struct pin_rec));
	c->pin_refs = g_hash_table_new(g_direct_hash, g_direct_equal);
	return c;
}

void checker_free(struct checker *c)
{
	c->k->hooks.pte_changed = NULL;
	c->k->hooks.pmd_changed = NULL;
	c->k->hooks.index_changed = NULL;
	c->k->hooks.mm_release = NULL;
	g_ptr_array_free(c->released, TRUE);
	c->k->hooks.range_changed = NULL;
	c->k->hooks.map_pages = NULL;
	g_free(c->touched.v);
	g_free(c->touched_ranges.v);
	g_free(c->touched_mms.v);
	g_free(c->touched_pfns.v);
	g_array_free(c->shadow_rss, TRUE);
	g_hash_table_destroy(c->shadow_map);
	g_hash_table_destroy(c->shadow_write);
	g_hash_table_destroy(c->shadow_pmd_map);
	g_hash_table_destroy(c->by_obj);
	g_hash_table_destroy(c->active);
	g_hash_table_destroy(c->seen_now);
	for (guint i = 0; i < c->pins->len; i++)
		g_free(g_array_index(c->pins, struct pin_rec, i).handle);
	g_array_free(c->pins, TRUE);
	g_hash_table_destroy(c->pin_refs);
	g_free(c);
}

/*
 * The references a handle holds on a page: one (FOLL_GET, and every pin
 * before 6.1), GUP_PIN_COUNTING_BIAS for a 6.1 FOLL_PIN of a small folio
 * (try_grab_page(), 6.1 mm/gup.c L209-236; a large folio's pin is one
 * reference and one in its pincount).
 */
static long pin_weight(struct checker *c, unsigned long pfn, bool foll_pin)
{
	if (!foll_pin || c->k->policy.id != POLICY_MODERN)
		return 1;
	return pfn_to_page(c->k, pfn)->head ? 1 : GUP_PIN_COUNTING_BIAS;
}

void checker_pin(struct checker *c, const char *handle, const unsigned long *pfns,
		 unsigned nr, bool foll_pin)
{
	for (unsigned i = 0; i < nr; i++) {
		struct pin_rec pr = { g_strdup(handle), pfns[i], pin_weight(c, pfns[i], foll_pin),
				      false, 0, NULL, 0 };

		if (pfn_is_pmem(c->k, pfns[i])) {
			pr.block = pfns[i] - PMEM_BASE_PFN;
			pr.owned = ext4_block_owner(c->k, pr.block, &pr.inode, &pr.index);
		}
		shadow_count_add(c->pin_refs, pfns[i], (int)pr.weight);
		if (pfn_is_pmem(c->k, pfns[i]))
			c->pmem_pin_refs += pr.weight;
		touch_pfn(c, pfns[i]);
		g_array_append_val(c->pins, pr);
	}
}

static void check_pin(struct checker *c, GPtrArray *out, const struct pin_rec *pr);

void checker_unpin(struct checker *c, const char *handle, GPtrArray *out)
{
	for (guint i = 0; i < c->pins->len; i++) {
		struct pin_rec *pr = &g_array_index(c->pins, struct pin_rec, i);

		if (strcmp(pr->handle, handle))
			continue;
		/* a block freed under the pin while other threads ran is found now */
		if (out)
			check_pin(c, out, pr);
		shadow_count_add(c->pin_refs, pr->pfn, -(int)pr->weight);
		if (pfn_is_pmem(c->k, pr->pfn))
			c->pmem_pin_refs -= pr->weight;
		touch_pfn(c, pr->pfn);
		g_free(pr->handle);
		g_array_remove_index(c->pins, i--);
	}
}

/*
 * pinned-block: each block a handle pins is still allocated, to the file
 * that owned it when the pin was taken (collapse and insert move a block
 * to another index of the same file: not a reuse).
 */
static void check_pin(struct checker *c, GPtrArray *out, const struct pin_rec *pr)
{
	struct inode *owner;
	pgoff_t oindex;
	char key[96];
	bool owned;

	if (!pr->owned || scope(c, INV_PINNED_BLOCK) == INV_SCOPE_NONE)
		return;
	owned = ext4_block_owner(c->k, pr->block, &owner, &oindex);
	c->work++;
	if (owned && owner == pr->inode)
		return;
	snprintf(key, sizeof(key), "B%lu:%s", pr->block, pr->handle);
	if (!owned)
		checker_report(c, out, INV_PINNED_BLOCK, key, pr->inode, pr->index, NULL, 0,
			       "block %lu (file %s index %lu when pinned) is free while handle %s pins it",
			       pr->block, fname(c, pr->inode), pr->index, pr->handle);
	else
		checker_report(c, out, INV_PINNED_BLOCK, key, owner, oindex, NULL, 0,
			       "block %lu (file %s index %lu when pinned) is file %s index %lu's while handle %s pins it",
			       pr->block, fname(c, pr->inode), pr->index, fname(c, owner), oindex,
			       pr->handle);
}

static void check_pins(struct checker *c, GPtrArray *out)
{
	for (guint i = 0; i < c->pins->len; i++)
		check_pin(c, out, &g_array_index(c->pins, struct pin_rec, i));
}

unsigned long checker_work(const struct checker *c)
{
	return c->work;
}

size_t checker_memory(const struct checker *c)
{
	return c->shadow_rss->len * sizeof(long) +
	       (g_hash_table_size(c->shadow_map) + g_hash_table_size(c->shadow_write) +
		g_hash_table_size(c->shadow_pmd_map)) *
	       3 * sizeof(void *) +
	       c->touched.cap * sizeof(struct touched_index) +
	       c->touched_ranges.cap * sizeof(struct touched_range) +
	       c->touched_mms.cap * sizeof(void *) + c->touched_pfns.cap * sizeof(long);
}

void violation_free(gpointer p)
{
	struct violation *v = p;

	g_free(v->key);
	g_free(v->what);
	g_free(v);
}

/*
 * A violation is reported once while it stands: the same invariant on the
 * same object is not reported again until a check of that object finds it
 * fixed. Keys say what object they are about: "I<ino>:<index>:..." for a
 * file index, "M<mm>:..." for a process, "P<pfn>" for a DRAM page, "R..."
 * for what the runner reports (never de-duplicated).
 */
/*
 * The object a full key ("inv|key") is about: "I<ino>:<index>" for a file
 * index, "M<id>" for a process, "P<pfn>" for a DRAM page; into @buf.
 */
static const char *key_object(const char *full, char *buf, size_t len)
{
	const char *key = strchr(full, '|') + 1;
	size_t n = strcspn(key, ":");

	if (key[0] == 'I' && key[n] == ':')
		n += 1 + strcspn(key + n + 1, ":");
	if (n >= len)
		n = len - 1;
	memcpy(buf, key, n);
	buf[n] = 0;
	return buf;
}

static void active_add(struct checker *c, char *full)
{
	char obj[64];
	GPtrArray *keys;

	g_hash_table_insert(c->active, full, full);
	key_object(full, obj, sizeof(obj));
	keys = g_hash_table_lookup(c->by_obj, obj);
	if (!keys) {
		keys = g_ptr_array_new();
		g_hash_table_insert(c->by_obj, g_strdup(obj), keys);
	}
	g_ptr_array_add(keys, full);
}

static void report(struct checker *c, GPtrArray *out, enum invariant inv,
		   const char *key, struct inode *inode, pgoff_t index,
		   struct mm_struct *mm, unsigned long addr, const char *fmt,
		   va_list ap)
{
	char *full, *standing;
	struct violation *v;

	if (inv < NR_CHECKED_INVARIANTS && scope(c, inv) == INV_SCOPE_NONE)
		return;
	full = g_strdup_printf("%s|%s", invariant_names[inv], key);
	standing = g_hash_table_lookup(c->active, full);

	if (standing) {
		g_hash_table_add(c->seen_now, standing);
		g_free(full);
		return;
	}
	v = g_new0(struct violation, 1);
	v->inv = inv;
	v->key = g_strdup(key);
	v->what = g_strdup_vprintf(fmt, ap);
	v->inode = inode;
	v->index = index;
	v->mm = mm;
	v->addr = addr;
	g_ptr_array_add(out, v);
	if (key[0] == 'R') {
		g_free(full);
		return;
	}
	active_add(c, full);
	g_hash_table_add(c->seen_now, full);
}

void checker_report(struct checker *c, GPtrArray *out, enum invariant inv,
		    const char *key, struct inode *inode, pgoff_t index,
		    struct mm_struct *mm, unsigned long addr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(c, out, inv, key, inode, index, mm, addr, fmt, ap);
	va_end(ap);
}

static const char *fname(struct checker *c, const struct inode *inode)
{
	return c->namer.file(c->namer.ctx, inode);
}

static const char *pname(struct checker *c, const struct mm_struct *mm)
{
	return c->namer.proc(c->namer.ctx, mm);
}

static void describe_addr(struct checker *c, const struct mm_struct *mm,
			  unsigned long addr, char *buf, size_t len)
{
	c->namer.addr(c->namer.ctx, mm, addr, buf, len);
}

/*
 * A PTE of a file VMA on a DRAM page: an anonymous COW page of a private
 * mapping, or a page-cache page (v4.0's hole page). A page-cache page must
 * be the one the page cache holds at that index (pte-entry-coherent) and
 * stands for a hole: over a written block it is stale (zero-page-stale).
 */
static void check_file_page_pte(struct checker *c, GPtrArray *out,
				struct vm_area_struct *vma, unsigned long addr,
				pgoff_t index, unsigned long pfn, void *entry)
{
	struct inode *inode = vma_inode(vma);
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = pfn_to_page(c->k, pfn);
	unsigned long block = 0;
	char key[96], where[64];

	if (!page || (page->flags & PG_anon))
		return;
	/* Names and keys are built only when something is reported. */
#define KEY() (snprintf(key, sizeof(key), "I%lu:%lu:%d:%lx", inode->i_ino, index, \
			mm->id, addr), key)
#define WHERE() (describe_addr(c, mm, addr, where, sizeof(where)), where)
	/* a page-cache file's pages hold its data: no hole page to go stale */
	if (IS_DAX(inode) && ext4_block_lookup(inode, index, &block) == BLOCK_MAPPED)
		checker_report(c, out, INV_ZERO_PAGE_STALE, KEY(), inode, index, mm, addr,
			       "process %s %s maps hole page #%lu, but file %s index %lu is block %lu (written)",
			       pname(c, mm), WHERE(), page->serial, fname(c, inode), index, block);
	if (!IS_DAX(inode) && !(vma->vm_flags & VM_SHARED) && pte_lookup(mm, addr) &&
	    pte_write(*pte_lookup(mm, addr)))
		checker_report(c, out, INV_PRIVATE_COW, KEY(), inode, index, mm, addr,
			       "process %s %s is a private mapping with a writable PTE on page-cache page #%lu of file %s",
			       pname(c, mm), WHERE(), page->serial, fname(c, inode));
	/* a store through a writable PTE must reach a page writeback will see */
	if (!IS_DAX(inode) && (vma->vm_flags & VM_SHARED) && pte_lookup(mm, addr) &&
	    pte_write(*pte_lookup(mm, addr)) &&
	    (!(page->flags & PG_dirty) ||
	     !radix_tree_tag_get(&inode->i_data.page_tree, index, PAGECACHE_TAG_DIRTY)))
		checker_report(c, out, INV_DIRTY_TRACKED, KEY(), inode, index, mm, addr,
			       "process %s %s maps page-cache page #%lu of file %s writable, but the page is not dirty (tagged DIRTY)",
			       pname(c, mm), WHERE(), page->serial, fname(c, inode));
	/* with DAX entries, check_entry() reports any page in a DAX file's tree */
	if ((hole_pages(c) || !IS_DAX(inode)) && entry != page)
		checker_report(c, out, INV_PTE_ENTRY_COHERENT, KEY(), inode, index, mm, addr,
			       "process %s %s maps page #%lu, but the page cache of file %s holds %s at index %lu",
			       pname(c, mm), WHERE(), page->serial, fname(c, inode),
			       !entry ? "nothing" : "another page", index);
#undef WHERE
#undef KEY
}

/*
 * The checks on one present PTE of a file VMA at @addr (file index @index),
 * or on the 4 KiB at @addr of a huge pmd (@huge: pmd_subpage_pte()). Each
 * key names the object: process id and address; for a huge pmd, its first
 * address and index, so that one bad pmd is one report, not 512.
 */
static void check_file_pte(struct checker *c, GPtrArray *out,
			   struct vm_area_struct *vma, unsigned long addr,
			   pgoff_t index, pte_t pte, void *entry, bool huge)
{
	struct kernel *k = c->k;
	struct inode *inode = vma_inode(vma);
	struct mm_struct *mm = vma->vm_mm;
	unsigned long pfn = pte_pfn(pte), block = 0;
	unsigned long sub = huge ? (addr & ~PMD_MASK) >> PAGE_SHIFT : 0;
	enum block_state st = ext4_block_lookup(inode, index, &block);
	char key[96], where[64];

	/* Names and keys are built only when something is reported. */
#define KEY() (snprintf(key, sizeof(key), "I%lu:%lu:%d:%lx", inode->i_ino, index - sub, \
			mm->id, addr - (sub << PAGE_SHIFT)), key)
#define WHERE() (describe_addr(c, mm, addr, where, sizeof(where)), where)

	if (index >= DIV_ROUND_UP(inode->i_size, PAGE_SIZE))
		checker_report(c, out, INV_BEYOND_EOF, KEY(), inode, index, mm, addr,
			       "process %s %s maps file %s index %lu, at or past EOF (i_size %lld)",
			       pname(c, mm), WHERE(), fname(c, inode), index,
			       (long long)inode->i_size);

	/* xip-2014's sparse page stands for a hole as the zero page does; no entry */
	if (k->xip_sparse_page && pfn == k->xip_sparse_page->pfn) {
		if (st == BLOCK_MAPPED)
			checker_report(c, out, INV_ZERO_PAGE_STALE, KEY(), inode, index, mm, addr,
				       "process %s %s maps the XIP sparse page, but file %s index %lu is block %lu (written)",
				       pname(c, mm), WHERE(), fname(c, inode), index, block);
		return;
	}
	if (is_zero_pfn(k, pfn) || is_huge_zero_pfn(k, pfn)) {
		if (st == BLOCK_MAPPED)
			checker_report(c, out, INV_ZERO_PAGE_STALE, KEY(), inode, index, mm, addr,
				       "process %s %s maps the zero page, but file %s index %lu is block %lu (written)",
				       pname(c, mm), WHERE(), fname(c, inode), index, block);
		if (hole_pages(c))
			checker_report(c, out, INV_PTE_ENTRY_COHERENT, KEY(), inode, index, mm, addr,
				       "process %s %s maps the zero page, which this era's DAX never maps",
				       pname(c, mm), WHERE());
		else if (dax_entries(c) && (!entry || !radix_tree_exceptional_entry(entry) ||
					    !dax_is_zero_entry(entry)))
			checker_report(c, out, INV_PTE_ENTRY_COHERENT, KEY(), inode, index, mm, addr,
				       "process %s %s maps the zero page, but file %s index %lu has no zero-page entry",
				       pname(c, mm), WHERE(), fname(c, inode), index);
		return;
	}
	if (pfn_is_dram(k, pfn)) {
		check_file_page_pte(c, out, vma, addr, index, pfn, entry);
		return;
	}
	if (pfn_is_pmem(k, pfn)) {
		unsigned long pblock = pfn - PMEM_BASE_PFN;
		bool no_entry_needed = false;
		pgoff_t eindex = index;

		/* dead-device-mapped: nothing maps a pfn of an unbound device */
		if (k->pmem.dead && scope(c, INV_DEAD_DEVICE_MAPPED))
			checker_report(c, out, INV_DEAD_DEVICE_MAPPED, KEY(), inode, index, mm, addr,
				       "process %s %s maps block %lu (file %s index %lu) of the unbound pmem device",
				       pname(c, mm), WHERE(), pblock, fname(c, inode), index);

		if (scope(c, INV_PTE_ENTRY_COHERENT) == INV_SCOPE_V4_5) {
			entry = v4_5_covering_entry(&inode->i_data.page_tree, index, entry,
						    &eindex);
			/* a read-only huge pmd: a PMD read fault inserts no entry */
			no_entry_needed = huge && !pte_write(pte) && !entry;
		}
		if (st != BLOCK_MAPPED || block != pblock) {
			struct inode *owner;
			pgoff_t oindex;
			char ownerbuf[96] = "free";

			if (ext4_block_owner(k, pblock, &owner, &oindex))
				snprintf(ownerbuf, sizeof(ownerbuf), "owned by file %s index %lu",
					 fname(c, owner), oindex);
			checker_report(c, out, INV_FREED_BLOCK, KEY(), inode, index, mm, addr,
				       "process %s %s maps block %lu for file %s index %lu, but the block is %s",
				       pname(c, mm), WHERE(), pblock, fname(c, inode), index, ownerbuf);
		}
		if (dax_entries(c) && !no_entry_needed &&
		    (!entry || !radix_tree_exceptional_entry(entry) ||
		     !dax_is_block_entry(entry) || entry_block_at(c, entry, index, eindex) != pblock))
			checker_report(c, out, INV_PTE_ENTRY_COHERENT, KEY(), inode, index, mm, addr,
				       "process %s %s maps block %lu, but file %s index %lu has %s",
				       pname(c, mm), WHERE(), pblock, fname(c, inode), index,
				       !entry ? "no entry" :
				       !dax_is_block_entry(entry) ? "a zero or empty entry" :
				       "an entry for another block");
		if (!(vma->vm_flags & VM_SHARED) && pte_write(pte))
			checker_report(c, out, INV_PRIVATE_COW, KEY(), inode, index, mm, addr,
				       "process %s %s is a private mapping with a writable PTE on block %lu of file %s",
				       pname(c, mm), WHERE(), pblock, fname(c, inode));
		if (dax_entries(c) && pte_write(pte) && entry &&
		    !radix_tree_tag_get(&inode->i_data.page_tree, eindex, PAGECACHE_TAG_DIRTY) &&
		    !pmem_page_durable(k, pfn))
			checker_report(c, out, INV_DIRTY_TRACKED, KEY(), inode, index, mm, addr,
				       "process %s %s maps block %lu writable with unflushed lines, but file %s index %lu is not tagged DIRTY",
				       pname(c, mm), WHERE(), pblock, fname(c, inode), index);
	}
#undef WHERE
#undef KEY
}

/*
 * An era without DAX entries (v4.0): the tree holds page-cache pages
 * only, each where it says it is, never tagged for writeback (hole pages
 * are never dirtied).
 */
static void check_page_cache_entry(struct checker *c, GPtrArray *out,
				   struct inode *inode, pgoff_t index, void *entry,
				   const char *key)
{
	struct page *page = entry;

	/* v4.5 (INV_SCOPE_V4_5) comes here with its hole pages only */
	if (radix_tree_exceptional_entry(entry)) {
		checker_report(c, out, INV_PTE_ENTRY_COHERENT, key, inode, index, NULL, 0,
			       "file %s index %lu: a DAX entry, which %s",
			       fname(c, inode), index,
			       IS_DAX(inode) ? "this era does not have" : "a page-cache file never has");
		return;
	}
	if (page->mapping != &inode->i_data || page->index != index)
		checker_report(c, out, INV_PTE_ENTRY_COHERENT, key, inode, index, NULL, 0,
			       "file %s index %lu: page #%lu says it is at index %lu of %s",
			       fname(c, inode), index, page->serial, page->index,
			       page->mapping == &inode->i_data ? "this file" : "another mapping");
}

/* check_entry() past its common case. */
static G_NO_INLINE void check_entry_slow(struct checker *c, GPtrArray *out,
					 struct inode *inode, pgoff_t index, void *entry)
{
	char key[64];

	snprintf(key, sizeof(key), "I%lu:%lu:e", inode->i_ino, index);
	if (!dax_entries(c) || !IS_DAX(inode) ||
	    (hole_pages(c) && !radix_tree_exceptional_entry(entry))) {
		check_page_cache_entry(c, out, inode, index, entry, key);
		return;
	}
	if (!radix_tree_exceptional_entry(entry)) {
		checker_report(c, out, INV_PTE_ENTRY_COHERENT, key, inode, index, NULL, 0,
			       "file %s index %lu: a page-cache page in a DAX tree",
			       fname(c, inode), index);
		return;
	}
	/*
	 * With dax-read-dirty (6.1) a hole read tags its zero entry DIRTY
	 * and fsync writes it back (docs/findings.md): by design of that
	 * kernel, not a lost write. An empty entry is never tagged.
	 */
	if (!dax_is_block_entry(entry) &&
	    !(dax_is_zero_entry(entry) && c->k->policy.sw[SW_DAX_READ_DIRTY]) &&
	    (radix_tree_tag_get(&inode->i_data.page_tree, index, PAGECACHE_TAG_DIRTY) ||
	     radix_tree_tag_get(&inode->i_data.page_tree, index, PAGECACHE_TAG_TOWRITE)))
		checker_report(c, out, INV_DIRTY_TRACKED, key, inode, index, NULL, 0,
			       "file %s index %lu: a %s entry tagged for writeback",
			       fname(c, inode), index,
			       dax_is_zero_entry(entry) ? "zero-page" : "empty");
}

/* The checks on the entry at (inode, index), whoever maps it. */
static inline void check_entry(struct checker *c, GPtrArray *out, struct inode *inode,
			       pgoff_t index, void *entry)
{
	if (!entry)
		return;
	if (radix_tree_exceptional_entry(entry) &&
	    (dax_is_block_entry(entry) || !inode->i_data.page_tree.root_tags) &&
	    dax_entries(c))
		return;		/* the common case: nothing to report */
	check_entry_slow(c, out, inode, index, entry);
}

/* Where no PTE table covers @addr: the 4 KiB of a huge pmd there, if any. */
static void *file_entry(struct vm_area_struct *vma, unsigned long addr);

static G_NO_INLINE void check_huge_pmd(struct checker *c, GPtrArray *out,
				       struct vm_area_struct *vma, unsigned long addr,
				       pgoff_t index, void *entry)
{
	pmd_t *pmdp = pmd_lookup(vma->vm_mm, addr);
	unsigned long start = addr & PMD_MASK;

	if (!pmdp || !pmd_trans_huge(*pmdp))
		return;
	/*
	 * A pmd whose file offset is not 2 MiB aligned (v4.5's PMD fault does
	 * not check it: dax-2016) is keyed by its first address, but a range
	 * of touched indices may cover it only in part: check all of it, or a
	 * standing violation on its other indices would count as fixed.
	 */
	if (linear_page_index(vma, start) & PG_PMD_COLOUR) {
		for (unsigned long a = start; a < start + PMD_SIZE; a += PAGE_SIZE)
			check_file_pte(c, out, vma, a, linear_page_index(vma, a),
				       pmd_subpage_pte(*pmdp, a), file_entry(vma, a), true);
		return;
	}
	check_file_pte(c, out, vma, addr, index, pmd_subpage_pte(*pmdp, addr), entry, true);
}

/* Every PTE mapping (inode, index), through i_mmap, plus the entry. */
/* inlined: a call would cost the hole read ~20 instructions a step */
G_ALWAYS_INLINE static inline void check_index(struct checker *c, GPtrArray *out,
					       struct inode *inode, pgoff_t index)
{
	void *entry = radix_tree_lookup(&inode->i_data.page_tree, index);
	struct vm_area_struct *vma;

	vma_interval_tree_foreach(vma, &inode->i_data.i_mmap, index, index) {
		unsigned long addr;
		pte_t *ptep;

		addr = vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);
		ptep = pte_lookup(vma->vm_mm, addr);
		if (ptep && pte_present(*ptep))
			check_file_pte(c, out, vma, addr, index, *ptep, entry, false);
		else if (!ptep)
			check_huge_pmd(c, out, vma, addr, index, entry);
	}
	check_entry(c, out, inode, index, entry);
}

/*
 * pmd-split-keeps-dirty (seed 002): where a PMD's worth of indices changed
 * (a PMD entry inserted, split or deleted, a huge pmd set or cleared), a
 * page that stays written in the file with lines not yet durable must
 * still be covered by an entry tagged DIRTY, or the next fsync will not
 * flush it. Only a store through a mapping leaves lines undurable, and its
 * fault tagged the entry DIRTY; what removes the entry must write it back
 * first, or keep the tag on what stays.
 */
static bool covered_by_v4_5_pmd_entry(struct radix_tree_root *tree, pgoff_t index)
{
	pgoff_t pmd_index = index & ~(pgoff_t)PG_PMD_COLOUR;
	void *entry = radix_tree_lookup(tree, pmd_index);

	return entry && radix_tree_exceptional_entry(entry) && dax_is_pmd_entry(entry) &&
	       radix_tree_tag_get(tree, pmd_index, PAGECACHE_TAG_DIRTY);
}

static void check_kept_dirty(struct checker *c, GPtrArray *out, struct inode *inode,
			     pgoff_t index)
{
	struct radix_tree_root *tree = &inode->i_data.page_tree;
	unsigned long block = 0;
	char key[64];

	if (ext4_block_lookup(inode, index, &block) != BLOCK_MAPPED ||
	    pmem_page_durable(c->k, block_pfn(block)))
		return;
	if (radix_tree_lookup(tree, index) &&
	    radix_tree_tag_get(tree, index, PAGECACHE_TAG_DIRTY))
		return;
	/* v4.5: a PMD entry is one slot at the aligned index (dax_radix_entry) */
	if (c->k->policy.id == POLICY_DAX_2016 && covered_by_v4_5_pmd_entry(tree, index))
		return;
	snprintf(key, sizeof(key), "I%lu:%lu:kd", inode->i_ino, index);
	checker_report(c, out, INV_PMD_SPLIT_KEEPS_DIRTY, key, inode, index, NULL, 0,
		       "file %s index %lu: block %lu has lines not yet durable, but no entry tagged DIRTY covers it",
		       fname(c, inode), index, block);
}

static G_NO_INLINE void check_rss_slow(struct checker *c, GPtrArray *out,
				       struct mm_struct *mm, const long *expect)
{
	static const char *const names[] = { "MM_FILEPAGES", "MM_ANONPAGES" };
	char key[32];

	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		if (mm->rss[i] == expect[i])
			continue;
		snprintf(key, sizeof(key), "M%d:%d", mm->id, i);
		checker_report(c, out, INV_RSS_ACCOUNTING, key, NULL, 0, mm, 0,
			       "process %s: %s is %ld, its page tables map %ld counted pages",
			       pname(c, mm), names[i], mm->rss[i], expect[i]);
	}
}

static inline void check_rss(struct checker *c, GPtrArray *out, struct mm_struct *mm,
			     const long *expect)
{
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (mm->rss[i] != expect[i]) {
			check_rss_slow(c, out, mm, expect);
			return;
		}
}

/*
 * refcount-balance for one DRAM page, against the mappings counted; and
 * private-cow: an anonymous page that more than one PTE maps (fork's
 * copy_one_pte() shares it) is read-only in every one of them, so that a
 * store in one process copies it (do_wp_page()) instead of reaching the
 * others. @writable of the @mapped PTEs allow a store.
 */
/*
 * refcount-balance for a pmem page (dax-folio-refcount): an idle fsdax
 * folio holds no reference (dax_page_is_idle()), so its head's refcount is
 * what maps it: the PTEs on each of its pages and the pmds on it whole;
 * each page's mapcount is its PTEs, the head's entire mapcount its pmds
 * (@pmd_maps, @maps: counted by the checker from the page tables). Which
 * pages make a folio is the model's (dax_folio_init()).
 */
static void check_pmem_page(struct checker *c, GPtrArray *out, unsigned long pfn,
			    GHashTable *maps, GHashTable *pmd_maps)
{
	struct page *page = pmem_page_lookup(c->k, pfn), *folio;
	long mapped = shadow_count(maps, pfn), refs;
	char key[32];

	/* the key is built only when something is reported */
#define KEY() (snprintf(key, sizeof(key), "P%lx", pfn), key)
	if (!page) {
		if (mapped || shadow_count(pmd_maps, pfn))
			checker_report(c, out, INV_REFCOUNT_BALANCE, KEY(), NULL, 0, NULL, 0,
				       "block %lu is mapped as a page but has no struct page",
				       pfn - PMEM_BASE_PFN);
		return;
	}
	folio = page_folio(page);
	refs = shadow_count(pmd_maps, folio->pfn);
	for (unsigned long i = 0; i < (1UL << folio->order); i++)
		refs += shadow_count(maps, folio->pfn + i) +
			shadow_count(c->pin_refs, folio->pfn + i);	/* gup/pin handles */
	if (page->mapcount != mapped)
		checker_report(c, out, INV_REFCOUNT_BALANCE, KEY(), NULL, 0, NULL, 0,
			       "DAX page of block %lu: mapcount %d, but %ld PTEs map it",
			       pfn - PMEM_BASE_PFN, page->mapcount, mapped);
	if (folio->refcount != refs ||
	    folio->entire_mapcount != shadow_count(pmd_maps, folio->pfn))
		checker_report(c, out, INV_REFCOUNT_BALANCE, KEY(), NULL, 0, NULL, 0,
			       "DAX folio of block %lu (order %u): refcount %d, entire mapcount %d, but %ld pmds and PTEs map it and %ld pmds map it whole%s",
			       folio->pfn - PMEM_BASE_PFN, folio->order, folio->refcount,
			       folio->entire_mapcount, refs, shadow_count(pmd_maps, folio->pfn),
			       refs ? "" : " (an idle fsdax folio holds none)");
#undef KEY
}

/*
 * refcount-balance for v4.5's dev_pagemap (dax-2016): get_page() of a
 * ZONE_DEVICE page takes a reference on the pmem queue's q_usage_counter
 * and put_page() drops it (get_zone_device_page(), put_zone_device_page(),
 * include/linux/mm.h L698-721), so the device holds one for each
 * reference the handles hold on pmem pages, as the checker's own record
 * of the handles counts them; nothing else holds one between steps
 * (the DAX fault maps pfns and takes no page reference).
 */
static void end_object(struct checker *c, const char *obj);

static void check_pgmap(struct checker *c, GPtrArray *out)
{
	if (c->k->policy.id != POLICY_DAX_2016)
		return;
	if (c->k->pmem.pgmap_refs != (unsigned long)c->pmem_pin_refs)
		checker_report(c, out, INV_REFCOUNT_BALANCE, "PGMAP", NULL, 0, NULL, 0,
			       "the pmem device's dev_pagemap holds %lu references, but handles hold %ld on pmem pages",
			       c->k->pmem.pgmap_refs, c->pmem_pin_refs);
	end_object(c, "PGMAP");
}

static void check_page(struct checker *c, GPtrArray *out, unsigned long pfn,
		       long mapped, long writable)
{
	struct kernel *k = c->k;
	struct page *page;
	long cached, pinned = shadow_count(c->pin_refs, pfn);	/* gup/pin handles */
	char key[32];

	if (pfn_is_pmem(k, pfn))
		return;		/* check_pmem_page() */
#define KEY() (snprintf(key, sizeof(key), "P%lx", pfn), key)
	if (pfn - DRAM_BASE_PFN >= k->dram.pages->len ||
	    !(page = pfn_to_page(k, pfn))) {
		if (mapped)
			checker_report(c, out, INV_REFCOUNT_BALANCE, KEY(), NULL, 0, NULL, 0,
				       "a freed DRAM page (pfn %#lx) is still mapped %ld times",
				       pfn, mapped);
		return;
	}
	if (page == k->xip_sparse_page) {
		/* __xip_sparse_page holds a reference of its own, never dropped */
		if (page->mapcount != mapped || page->refcount != mapped + 1 + pinned)
			checker_report(c, out, INV_REFCOUNT_BALANCE, KEY(), NULL, 0, NULL, 0,
				       "the XIP sparse page: refcount %d, mapcount %d, but %ld PTEs map it, handles hold %ld and __xip_sparse_page holds one reference",
				       page->refcount, page->mapcount, mapped, pinned);
		return;
	}
	if (page->flags & PG_reserved) {
		if (page->refcount < 1)
			checker_report(c, out, INV_REFCOUNT_BALANCE, KEY(), NULL, 0, NULL, 0,
				       "the zero page lost its reference");
		return;
	}
	/* the page cache holds one reference of its pages (v4.0 hole pages) */
	cached = page_in_page_cache(page);
	if (page->mapcount != mapped || page->refcount != mapped + cached + pinned)
		checker_report(c, out, INV_REFCOUNT_BALANCE, KEY(), NULL, 0, NULL, 0,
			       "%s page #%lu: refcount %d, mapcount %d, but %ld PTEs map it, handles hold %ld and %s%s",
			       cached ? "page-cache" : "anonymous", page->serial, page->refcount,
			       page->mapcount, mapped, pinned,
			       cached ? "the page cache holds it" : "nothing else holds it",
			       mapped || cached || pinned ? "" : " (leaked)");
	if (!cached && mapped > 1 && writable)
		checker_report(c, out, INV_PRIVATE_COW, KEY(), NULL, 0, NULL, 0,
			       "anonymous page #%lu is mapped by %ld PTEs and %ld of them are writable: a store through one reaches the others",
			       page->serial, mapped, writable);
#undef KEY
}

static void begin_check(struct checker *c)
{
	/* seen_now only matters while some violation stands */
	if (g_hash_table_size(c->seen_now))
		g_hash_table_remove_all(c->seen_now);
}

/* The standing violations of @obj that this check did not find again are fixed. */
static void end_object(struct checker *c, const char *obj)
{
	GPtrArray *keys = g_hash_table_lookup(c->by_obj, obj);

	if (!keys)
		return;
	for (guint i = 0; i < keys->len; i++) {
		char *full = g_ptr_array_index(keys, i);

		if (g_hash_table_contains(c->seen_now, full))
			continue;
		g_ptr_array_remove_index_fast(keys, i--);
		g_hash_table_remove(c->active, full);	/* frees it */
	}
	if (!keys->len)
		g_hash_table_remove(c->by_obj, obj);
}

static void end_index(struct checker *c, const struct inode *inode, pgoff_t index)
{
	char obj[64];

	snprintf(obj, sizeof(obj), "I%lu:%lu", inode->i_ino, index);
	end_object(c, obj);
}

/*
 * After a check: a standing violation on an object the check covered and
 * did not find again is fixed. @all: the check covered everything. The
 * objects are looked up, not the violations scanned: a step costs what it
 * touched, however many violations stand.
 */
static void end_check(struct checker *c, bool all)
{
	char obj[64];

	if (!g_hash_table_size(c->active))
		return;
	if (all) {
		GHashTableIter it;
		gpointer key;
		GPtrArray *objs = g_ptr_array_new_with_free_func(g_free);

		g_hash_table_iter_init(&it, c->by_obj);
		while (g_hash_table_iter_next(&it, &key, NULL))
			g_ptr_array_add(objs, g_strdup(key));
		for (guint i = 0; i < objs->len; i++)
			end_object(c, g_ptr_array_index(objs, i));
		g_ptr_array_free(objs, TRUE);
		return;
	}
	for (guint i = 0; i < c->touched.len; i++)
		end_index(c, c->touched.v[i].inode, c->touched.v[i].index);
	for (guint i = 0; i < c->touched_ranges.len; i++)
		for (unsigned long j = 0; j < c->touched_ranges.v[i].nr; j++)
			end_index(c, c->touched_ranges.v[i].inode, c->touched_ranges.v[i].index + j);
	for (guint i = 0; i < c->touched_mms.len; i++) {
		snprintf(obj, sizeof(obj), "M%d", c->touched_mms.v[i]->id);
		end_object(c, obj);
	}
	for (guint i = 0; i < c->touched_pfns.len; i++) {
		snprintf(obj, sizeof(obj), "P%lx", c->touched_pfns.v[i]);
		end_object(c, obj);
	}
}

static void clear_touched(struct checker *c)
{
	c->touched.len = c->touched_ranges.len = c->touched_mms.len = c->touched_pfns.len = 0;
}

/* Apart, so the hole read's step does not pay for it. */
static G_NO_INLINE void check_ranges(struct checker *c, GPtrArray *out)
{
	bool kept_dirty = invariant_applies(c->k->policy.id, INV_PMD_SPLIT_KEEPS_DIRTY);

	for (guint i = 0; i < c->touched_ranges.len; i++)
		for (unsigned long j = 0; j < c->touched_ranges.v[i].nr; j++) {
			struct inode *inode = c->touched_ranges.v[i].inode;
			pgoff_t index = c->touched_ranges.v[i].index + j;

			check_index(c, out, inode, index);
			if (kept_dirty)
				check_kept_dirty(c, out, inode, index);
		}
}

void checker_step(struct checker *c, GPtrArray *out)
{
	bool pmem_touched = false;

	begin_check(c);
	take_released(c, out);
	if (G_UNLIKELY(c->pins->len))
		check_pins(c, out);
	for (guint i = 0; i < c->touched.len; i++)
		check_index(c, out, c->touched.v[i].inode, c->touched.v[i].index);
	if (G_UNLIKELY(c->touched_ranges.len))
		check_ranges(c, out);
	for (guint i = 0; i < c->touched_mms.len; i++)
		check_rss(c, out, c->touched_mms.v[i], shadow_rss(c, c->touched_mms.v[i]));
	for (guint i = 0; i < c->touched_pfns.len; i++) {
		unsigned long pfn = c->touched_pfns.v[i];

		if (pfn_is_pmem(c->k, pfn)) {
			check_pmem_page(c, out, pfn, c->shadow_map, c->shadow_pmd_map);
			pmem_touched = true;
		} else {
			check_page(c, out, pfn, shadow_mapcount(c, pfn),
				   shadow_count(c->shadow_write, pfn));
		}
	}
	if (pmem_touched)
		check_pgmap(c, out);
	end_check(c, false);
	clear_touched(c);
}

static void *file_entry(struct vm_area_struct *vma, unsigned long addr)
{
	return radix_tree_lookup(&vma->vm_file->inode->i_data.page_tree,
				 linear_page_index(vma, addr));
}

/*
 * The full sweep's part for huge pmds: each 4 KiB of each; a folio pmd
 * counted afresh into @rss and @pmd_maps.
 */
static void check_huge_pmds(struct checker *c, GPtrArray *out, struct vm_area_struct *vma,
			    long *rss, GHashTable *pmd_maps)
{
	unsigned long addr = vma->vm_start;
	pmd_t *pmdp;

	while ((pmdp = pmd_next_huge(vma->vm_mm, &addr, vma->vm_end))) {
		c->work++;
		assert(vma->vm_file);	/* only DAX files map huge pmds */
		if (pmd_counted(c->k, *pmdp)) {
			rss[MM_FILEPAGES] += PMD_SIZE >> PAGE_SHIFT;
			shadow_count_add(pmd_maps, pmd_pfn(*pmdp), 1);
		}
		for (unsigned long a = addr; a < addr + PMD_SIZE; a += PAGE_SIZE)
			check_file_pte(c, out, vma, a, linear_page_index(vma, a),
				       pmd_subpage_pte(*pmdp, a), file_entry(vma, a), true);
		addr += PMD_SIZE;
		if (!addr)
			break;
	}
}

static int pfn_cmp(const void *a, const void *b)
{
	gsize x = GPOINTER_TO_SIZE(*(const gpointer *)a), y = GPOINTER_TO_SIZE(*(const gpointer *)b);

	return x < y ? -1 : x > y;
}

/*
 * The full sweep's part for pmem pages: every struct page of the device's
 * memmap (in block order, for the same report every run), against the
 * counts of the sweep, which must agree with the shadow.
 */
static void check_pmem_pages(struct checker *c, GPtrArray *out, GHashTable *mapped,
			     GHashTable *pmd_maps)
{
	guint n;
	gpointer *blocks = g_hash_table_get_keys_as_array(c->k->pmem.memmap, &n);

	qsort(blocks, n, sizeof(*blocks), pfn_cmp);
	for (guint i = 0; i < n; i++) {
		unsigned long pfn = PMEM_BASE_PFN + GPOINTER_TO_SIZE(blocks[i]);

		c->work++;
		assert(shadow_count(mapped, pfn) == shadow_mapcount(c, pfn));
		assert(shadow_count(pmd_maps, pfn) == shadow_count(c->shadow_pmd_map, pfn));
		check_pmem_page(c, out, pfn, mapped, pmd_maps);
	}
	g_free(blocks);
}

/*
 * The full sweep: every present PTE of every process (counting rss and
 * mapcounts afresh from the page tables, not from the shadow), every entry
 * of every file, every DRAM page. The shadow kept for the per-step checks
 * must agree with what the sweep counts: that is asserted.
 */
/* the shadow counts kept step by step agree with the ones counted afresh */
static void assert_shadow_equal(GHashTable *kept, GHashTable *counted)
{
	GHashTableIter it;
	gpointer pfn, n;

	assert(g_hash_table_size(kept) == g_hash_table_size(counted));
	g_hash_table_iter_init(&it, counted);
	while (g_hash_table_iter_next(&it, &pfn, &n))
		assert(g_hash_table_lookup(kept, pfn) == n);
}

static int cmp_pfn(const void *a, const void *b)
{
	unsigned long x = GPOINTER_TO_SIZE(*(const gpointer *)a);
	unsigned long y = GPOINTER_TO_SIZE(*(const gpointer *)b);

	return (x > y) - (x < y);
}

/*
 * The full sweep's part for DRAM: every page in use, and every freed one
 * a PTE still maps (in pfn order, so reports come out in one order). The
 * huge zero page's 512 are reserved: only their reference counts.
 */
static void check_dram_pages(struct checker *c, GPtrArray *out, GHashTable *mapped,
			     GHashTable *writable)
{
	GPtrArray *pages = c->k->dram.pages, *freed = g_ptr_array_new();
	GHashTableIter it;
	gpointer key;

	assert_shadow_equal(c->shadow_map, mapped);
	assert_shadow_equal(c->shadow_write, writable);
	for (guint i = 0; i < pages->len; i++) {
		unsigned long pfn = DRAM_BASE_PFN + i;
		struct page *page = g_ptr_array_index(pages, i);

		if (!page)
			continue;
		if (page->flags & PG_reserved)
			check_page(c, out, pfn, 0, 0);
		else
			check_page(c, out, pfn, shadow_count(mapped, pfn),
				   shadow_count(writable, pfn));
	}
	g_hash_table_iter_init(&it, mapped);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		unsigned long pfn = GPOINTER_TO_SIZE(key);

		if (!pfn_is_pmem(c->k, pfn) &&
		    (pfn - DRAM_BASE_PFN >= pages->len || !g_ptr_array_index(pages, pfn - DRAM_BASE_PFN)))
			g_ptr_array_add(freed, key);
	}
	g_ptr_array_sort(freed, cmp_pfn);
	for (guint i = 0; i < freed->len; i++) {
		unsigned long pfn = GPOINTER_TO_SIZE(g_ptr_array_index(freed, i));

		check_page(c, out, pfn, shadow_count(mapped, pfn), shadow_count(writable, pfn));
	}
	g_ptr_array_free(freed, TRUE);
}

void checker_full(struct checker *c, GPtrArray *out)
{
	struct kernel *k = c->k;
	GHashTable *mapped = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTable *writable = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTable *pmd_maps = g_hash_table_new(g_direct_hash, g_direct_equal);

	begin_check(c);
	take_released(c, out);
	check_pins(c, out);
	for (guint m = 0; m < k->mms->len; m++) {
		struct mm_struct *mm = g_ptr_array_index(k->mms, m);
		long rss[NR_MM_COUNTERS] = { 0 };
		struct vm_area_struct *vma;

		for_each_vma(mm, vma) {
			unsigned long addr = vma->vm_start;
			pte_t *ptep;

			while ((ptep = pte_next_present(mm, &addr, vma->vm_end))) {
				int counter = pte_counter(k, *ptep);

				c->work++;
				if (counter >= 0) {
					unsigned long pfn = pte_pfn(*ptep);

					rss[counter]++;
					shadow_count_add(mapped, pfn, 1);
					if (pte_write(*ptep))
						shadow_count_add(writable, pfn, 1);
				}
				if (vma->vm_file)
					check_file_pte(c, out, vma, addr, linear_page_index(vma, addr),
						       *ptep, file_entry(vma, addr), false);
				addr += PAGE_SIZE;
			}
			check_huge_pmds(c, out, vma, rss, pmd_maps);
		}
		check_rss(c, out, mm, rss);
		for (int i = 0; i < NR_MM_COUNTERS; i++)
			assert(shadow_rss(c, mm)[i] == rss[i]);
	}
	for (guint i = 0; i < k->sb.inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(k->sb.inodes, i);
		struct radix_tree_iter iter;

		radix_tree_for_each(&inode->i_data.page_tree, &iter, 0, ~0UL, -1) {
			c->work++;
			check_entry(c, out, inode, iter.index, iter.entry);
		}
	}
	check_dram_pages(c, out, mapped, writable);
	check_pmem_pages(c, out, mapped, pmd_maps);
	check_pgmap(c, out);
	g_hash_table_destroy(pmd_maps);
	g_hash_table_destroy(mapped);
	g_hash_table_destroy(writable);
	end_check(c, true);
	clear_touched(c);
}

/* dirty-tracked: a shared mapping still writable at @addr after a sync */
static void report_still_writable(struct checker *c, GPtrArray *out, struct inode *inode,
				  struct vm_area_struct *vma, unsigned long addr,
				  const char *what)
{
	char key[80], where[64];

	describe_addr(c, vma->vm_mm, addr, where, sizeof(where));
	snprintf(key, sizeof(key), "R%d:%lx:wp", vma->vm_mm->id, addr);
	checker_report(c, out, INV_DIRTY_TRACKED, key, inode, linear_page_index(vma, addr),
		       vma->vm_mm, addr, "after the sync of file %s, process %s %s is still writable%s",
		       fname(c, inode), pname(c, vma->vm_mm), where, what);
}

/* checker_after_sync() for the huge pmds of @vma in [addr, stop) */
static void check_huge_after_sync(struct checker *c, struct inode *inode,
				  struct vm_area_struct *vma, unsigned long addr,
				  unsigned long stop, GPtrArray *out)
{
	pmd_t *pmdp;

	while ((pmdp = pmd_next_huge(vma->vm_mm, &addr, stop))) {
		c->work++;
		if (pmd_write(*pmdp) && pfn_is_pmem(c->k, pmd_pfn(*pmdp)))
			report_still_writable(c, out, inode, vma, addr, " (a huge pmd)");
		addr += PMD_SIZE;
		if (!addr)
			break;
	}
}

/*
 * dirty-tracked, second half: once msync/fsync of [start, end] returns, no
 * entry there is DIRTY or TOWRITE, every written block there is durable,
 * and no shared PTE maps one of them writable.
 */
/*
 * After a sync of a page-cache file: every page of the range is clean
 * and its block holds its bytes, durably (the tags are checked with the
 * DAX entries'). A page past the blocks (a hole never stored to) is
 * zero, as a hole reads.
 */
static void check_pages_written(struct checker *c, struct inode *inode, pgoff_t first,
				pgoff_t last, GPtrArray *out)
{
	struct radix_tree_iter iter;
	char key[80];

	radix_tree_for_each(&inode->i_data.page_tree, &iter, first, last, -1) {
		struct page *page = iter.entry;
		uint8_t mem[PAGE_SIZE], disk[PAGE_SIZE];
		unsigned long block = 0;
		const char *why = NULL;

		c->work++;
		if (radix_tree_exceptional_entry(iter.entry))
			continue;
		page_read(page, 0, mem, PAGE_SIZE);
		memset(disk, 0, PAGE_SIZE);
		if (ext4_block_lookup(inode, iter.index, &block) == BLOCK_MAPPED)
			pmem_read(c->k, block_pfn(block), 0, disk, PAGE_SIZE);
		if (page->flags & PG_dirty)
			why = "is still dirty";
		else if (memcmp(mem, disk, PAGE_SIZE))
			why = "differs from what its block holds";
		else if (ext4_block_lookup(inode, iter.index, &block) == BLOCK_MAPPED &&
			 !pmem_page_durable(c->k, block_pfn(block)))
			why = "is on a block with lines not yet durable";
		if (!why)
			continue;
		snprintf(key, sizeof(key), "R%lu:%lu:page", inode->i_ino, iter.index);
		checker_report(c, out, INV_DIRTY_TRACKED, key, inode, iter.index, NULL, 0,
			       "after the sync of file %s, page-cache page #%lu (index %lu) %s",
			       fname(c, inode), page->serial, iter.index, why);
	}
}

void checker_after_sync(struct checker *c, struct inode *inode, loff_t start,
			loff_t end, GPtrArray *out)
{
	struct kernel *k = c->k;
	pgoff_t first = (unsigned long)start >> PAGE_SHIFT;
	pgoff_t last = (unsigned long)end >> PAGE_SHIFT;
	struct radix_tree_root *tree = &inode->i_data.page_tree;
	struct radix_tree_iter iter;
	struct vm_area_struct *vma;
	char key[80];

	radix_tree_for_each(tree, &iter, first, last, -1) {
		bool dirty = radix_tree_tag_get(tree, iter.index, PAGECACHE_TAG_DIRTY);
		bool towrite = radix_tree_tag_get(tree, iter.index, PAGECACHE_TAG_TOWRITE);

		c->work++;
		if (!dirty && !towrite)
			continue;
		snprintf(key, sizeof(key), "R%lu:%lu:sync", inode->i_ino, iter.index);
		checker_report(c, out, INV_DIRTY_TRACKED, key, inode, iter.index, NULL, 0,
			       "after the sync of file %s, index %lu is still tagged%s%s",
			       fname(c, inode), iter.index, dirty ? " DIRTY" : "",
			       towrite ? " TOWRITE" : "");
	}
	for (pgoff_t index = first; ext4_next_block(inode, &index) && index <= last;
	     index++) {
		unsigned long block = 0;

		c->work++;
		if (ext4_block_lookup(inode, index, &block) != BLOCK_MAPPED ||
		    pmem_page_durable(k, block_pfn(block)))
			continue;
		snprintf(key, sizeof(key), "R%lu:%lu:lines", inode->i_ino, index);
		checker_report(c, out, INV_DIRTY_TRACKED, key, inode, index, NULL, 0,
			       "after the sync of file %s, block %lu (index %lu) has lines not yet durable",
			       fname(c, inode), block, index);
	}
	if (!IS_DAX(inode))
		check_pages_written(c, inode, first, last, out);
	vma_interval_tree_foreach(vma, &inode->i_data.i_mmap, first, last) {
		pgoff_t lo = first > vma->vm_pgoff ? first : vma->vm_pgoff;
		pgoff_t hi = vma->vm_pgoff + vma_pages(vma) - 1;
		unsigned long addr, stop;
		pte_t *ptep;

		if (!(vma->vm_flags & VM_SHARED))
			continue;
		if (hi > last)
			hi = last;
		addr = vma->vm_start + ((lo - vma->vm_pgoff) << PAGE_SHIFT);
		stop = vma->vm_start + ((hi - vma->vm_pgoff + 1) << PAGE_SHIFT);
		while ((ptep = pte_next_present(vma->vm_mm, &addr, stop))) {
			c->work++;
			if (pte_write(*ptep) && (pfn_is_pmem(k, pte_pfn(*ptep)) || !IS_DAX(inode)))
				report_still_writable(c, out, inode, vma, addr, "");
			addr += PAGE_SIZE;
		}
		addr = vma->vm_start + ((lo - vma->vm_pgoff) << PAGE_SHIFT);
		check_huge_after_sync(c, inode, vma, addr, stop, out);
	}
}

/*
 * After msync(MS_SYNC) of [start, end) of @mm: the walk msync(2) makes
 * (v4.14 mm/msync.c), every shared file VMA in the range, over gaps, each
 * its file range synced (vfs_fsync_range()).
 */
void checker_after_msync(struct checker *c, struct mm_struct *mm, unsigned long start,
			 unsigned long end, GPtrArray *out)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = find_vma(mm, vma->vm_end)) {
		unsigned long from = vma->vm_start > start ? vma->vm_start : start;
		unsigned long to = vma->vm_end < end ? vma->vm_end : end;
		loff_t fstart;

		if (!vma->vm_file || !(vma->vm_flags & VM_SHARED))
			continue;
		fstart = ((loff_t)vma->vm_pgoff << PAGE_SHIFT) + (loff_t)(from - vma->vm_start);
		checker_after_sync(c, vma->vm_file->inode, fstart,
				   fstart + (loff_t)(to - from) - 1, out);
	}
}
