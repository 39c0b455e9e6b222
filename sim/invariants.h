/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariants (DESIGN.md §5, docs/invariants.md): checked after every
 * step on what the step touched, and in full on `check` and at the end.
 * The checker keeps its own shadow of what the page tables should count
 * (rss, mapcounts), built from the PTE changes the model reports, so it
 * does not trust the model's counters.
 */
#ifndef MMSIM_INVARIANTS_H
#define MMSIM_INVARIANTS_H

#include "kernel.h"

enum invariant {
	INV_ZERO_PAGE_STALE,
	INV_BEYOND_EOF,
	INV_FREED_BLOCK,
	INV_PTE_ENTRY_COHERENT,
	INV_DIRTY_TRACKED,
	INV_DATA_ORACLE,
	INV_REFCOUNT_BALANCE,
	INV_RSS_ACCOUNTING,
	INV_PRIVATE_COW,
	INV_PMD_SPLIT_KEEPS_DIRTY,
	INV_FAULTAROUND_BOUNDS,
	INV_DEAD_DEVICE_MAPPED,
	/* the runner's, from model/lockdep.c (docs/invariants.md) */
	INV_NO_LOCK_LEAK,
	INV_LOCK_ORDER,
	/* the runner's, at remount after a crash (sim/durable.c) */
	INV_DURABLE_AFTER_SYNC,
	/* the blocks of the runner's gup/pin handles (checker_pin()) */
	INV_PINNED_BLOCK,
	NR_CHECKED_INVARIANTS,
	/* named in DESIGN.md §5, not checked yet: none left */
	NR_INVARIANTS = NR_CHECKED_INVARIANTS,
};

extern const char *const invariant_names[NR_INVARIANTS];

/* What an invariant checks under a policy (invariants.c, docs/invariants.md). */
enum inv_scope {
	INV_SCOPE_NONE,			/* not checked */
	INV_SCOPE_ALL,			/* every clause */
	INV_SCOPE_NO_DAX_ENTRIES,	/* v4.0: page-cache hole pages, no DAX entries */
	INV_SCOPE_V4_5,			/* v4.5: hole pages and DAX entries, one-slot PMD entries */
};
extern const enum inv_scope invariant_scope[NR_POLICIES][NR_CHECKED_INVARIANTS];
int invariant_lookup(const char *name);
/*
 * Whether @inv means something under @policy (docs/invariants.md, "Per
 * policy"): its scope there is not INV_SCOPE_NONE. The runner refuses
 * `expect violated` of one that does not apply (status 3).
 */
static inline bool invariant_applies(enum policy_id policy, enum invariant inv)
{
	return inv >= NR_CHECKED_INVARIANTS || invariant_scope[policy][inv] != INV_SCOPE_NONE;
}

struct violation {
	enum invariant inv;
	char *key;		/* the object, for de-duplication */
	char *what;		/* one line, symbolic names */
	struct inode *inode;	/* objects involved, for the dump (may be NULL) */
	pgoff_t index;
	struct mm_struct *mm;
	unsigned long addr;
};

/* How the checker names things in its messages (sim/runner.c provides it). */
struct namer {
	void *ctx;
	const char *(*file)(void *ctx, const struct inode *inode);
	const char *(*proc)(void *ctx, const struct mm_struct *mm);
	/* "m+0x1000" or a hex address; into @buf */
	void (*addr)(void *ctx, const struct mm_struct *mm, unsigned long addr,
		     char *buf, size_t len);
};

struct checker;

struct checker *checker_new(struct kernel *k, const struct namer *namer);
void checker_free(struct checker *c);

/*
 * Have the next step's check look at (inode, index) too: a store through
 * a PTE that already allows it changes no PTE, but it changes the lines
 * (dirty-tracked).
 */
void checker_touch(struct checker *c, struct inode *inode, pgoff_t index);
/* Check what the last step touched; new violations are appended to @out. */
void checker_step(struct checker *c, GPtrArray *out);
/* Every invariant over the whole state. */
void checker_full(struct checker *c, GPtrArray *out);
/* dirty-tracked, second half: after msync/fsync of [start, end] of @inode. */
void checker_after_sync(struct checker *c, struct inode *inode, loff_t start,
			loff_t end, GPtrArray *out);
/* The same after msync(MS_SYNC) of [start, end) of @mm: every shared file VMA there. */
void checker_after_msync(struct checker *c, struct mm_struct *mm, unsigned long start,
			 unsigned long end, GPtrArray *out);
/*
 * The record of the runner's handles: handle @handle (a `gup` or `pin`
 * line; @foll_pin: a pin) holds the pages @pfns[0...@nr). refcount-balance
 * counts the references it holds (what each era's gup takes); each pmem
 * block among them is remembered with the file and index that own it now,
 * and until checker_unpin() every check looks that it is neither free nor
 * another file's (pinned-block), and checker_unpin() looks once more
 * (@out NULL: it does not, as at a crash).
 */
void checker_pin(struct checker *c, const char *handle, const unsigned long *pfns,
		 unsigned nr, bool foll_pin);
void checker_unpin(struct checker *c, const char *handle, GPtrArray *out);
/* Report a violation found by the runner (data-oracle, beyond-eof, private-cow). */
void checker_report(struct checker *c, GPtrArray *out, enum invariant inv,
		    const char *key, struct inode *inode, pgoff_t index,
		    struct mm_struct *mm, unsigned long addr, const char *fmt, ...)
	G_GNUC_PRINTF(9, 10);
/*
 * The PTEs changed so far, and the PTEs, entries and blocks the sweeps
 * (checker_full, checker_after_sync) went over: the runner's measure of
 * the work inside steps, for --max-steps.
 */
unsigned long checker_work(const struct checker *c);
/* Bytes of shadow state the checker keeps. */
size_t checker_memory(const struct checker *c);
void violation_free(gpointer v);

#endif
