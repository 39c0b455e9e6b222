/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture the model's unit tests share: a fresh dax-2017 (or, with
 * fx_init_dax_2014, dax-2014) kernel per test (64 MiB of pmem and of DRAM), files opened read-write, nohuge
 * mappings, and short names for what the tests look at.
 */
#ifndef MMSIM_TEST_FIXTURE_H
#define MMSIM_TEST_FIXTURE_H

#include <criterion/criterion.h>

#include "dax.h"
#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"

#define P	PAGE_SIZE

extern struct kernel *k;

void fx_init(void);
/* The same for xip-2014 (files: ext2_create(), ext2-xip-v3.19.c). */
void fx_init_xip(void);
/* the same under dax-2014 (Linux v4.0) */
void fx_init_dax_2014(void);
/* the same under dax-2016 (Linux v4.5) */
void fx_init_dax_2016(void);
/* the same under modern (Linux 6.1, its switches on) */
void fx_init_modern(void);
void fx_fini(void);
struct file *open_inode(struct inode *inode, unsigned mode);
struct file *new_file(loff_t size);
/* mmap at an automatic address, then MADV_NOHUGEPAGE: PTE faults only */
unsigned long map(struct mm_struct *mm, struct file *f, unsigned long len,
		  int prot, int flags, loff_t off);
pte_t pte_at(struct mm_struct *mm, unsigned long addr);
void *entry_at(struct file *f, pgoff_t index);
bool tag(struct file *f, pgoff_t index, unsigned t);
bool dirty_tag(struct file *f, pgoff_t index);
struct access_result load(struct mm_struct *mm, unsigned long addr);
struct access_result store(struct mm_struct *mm, unsigned long addr, uint64_t v);
unsigned long block_of(struct file *f, pgoff_t index);
enum block_state state(struct file *f, pgoff_t index);

/* Page-cache (non-DAX) files: one of @size bytes of @value on the device, not cached */
struct file *cold_file(loff_t size, uint8_t value);
/* the page the page cache holds at @index, or NULL */
struct page *cached(struct file *f, pgoff_t index);
/* the vm_fault a fault at @addr starts with */
struct vm_fault fault_at(struct mm_struct *mm, unsigned long addr, unsigned flags);

/*
 * Two tasks of the scheduler (task.h), @one(@a1) in @mm1 and @two(@a2) in
 * @mm2, run to their end: at each of the first @depth points where two or
 * more can run, bit i of @bits keeps the running task (0; where it cannot
 * go on, the lowest id runs) or runs the highest id other than it (1);
 * past them, no preemption, and where the running task cannot go on the
 * highest id runs. Enumerating @bits over 0..2^depth-1 runs every
 * schedule of at most @depth choices.
 */
/* A chooser: switch at every point to the lowest runnable task other than the running one. */
int fx_choose_other(void *ctx, const int *runnable, int n, const char *point);
enum sched_result fx_race(unsigned bits, int depth,
			  struct mm_struct *mm1, void (*one)(struct kernel *, void *), void *a1,
			  struct mm_struct *mm2, void (*two)(struct kernel *, void *), void *a2);
/* The same with @n tasks: task i runs @fns[i](@args[i]) in @mms[i]. */
enum sched_result fx_run_tasks(unsigned bits, int depth, int n, struct mm_struct *const *mms,
			       void (*const *fns)(struct kernel *, void *), void *const *args);

/*
 * A fault against a cut of its page, under every schedule of @depth
 * choices (fx_race()), each on a fresh kernel made by @init with switch
 * @sw on (-1: none): a file of 8 KiB mapped shared read-write; a store to
 * its hole at index 1 against a truncate to 4 KiB, or (@punch) a load of
 * its written block 1 (written first through another process) against a
 * punch of index 1. What the PTE of index 1 is when both have returned,
 * counted over the runs. The kernel left is the last run's.
 */
struct fx_fault_race_outcome {
	int runs;
	int mapped;	/* the PTE maps pmem */
	int past_eof;	/* ... at or past EOF (the truncate's) */
	int freed;	/* ... a block index 1 no longer owns */
};
void fx_fault_race(void (*init)(void), int sw, bool punch, int depth,
		   struct fx_fault_race_outcome *o);

/*
 * v4.0's and v4.5's dax_fault() on a cached hole page (dax-2014,
 * dax-2016), under every schedule of @depth choices (fx_race()), each on a
 * fresh kernel made by @init: a file of 8 KiB whose index 0 has a hole
 * page that nothing maps (a process loaded it and exited); process A loads
 * index 0 while the other task, in process B, loads it too (FX_HOLE_READ),
 * stores 0x77 there (FX_HOLE_STORE: the write fault allocates and deletes
 * the hole page) or truncates the file to 0 (FX_HOLE_TRUNCATE). A's
 * outcomes, counted; every run is checked to end with the page unlocked,
 * nobody waiting, no lock held, A retried at most once, and the hole page
 * still cached and mapped by both (FX_HOLE_READ) or out of the cache and
 * unmapped (after a truncate, another may be cached: new_page).
 */
enum fx_hole_page_other { FX_HOLE_READ, FX_HOLE_STORE, FX_HOLE_TRUNCATE };
struct fx_hole_page_outcome {
	int runs;
	int zero;	/* A read 0 */
	int stored;	/* A read the store's 0x77 */
	int sigbus;	/* A got SIGBUS */
	int retried;	/* A's fault returned VM_FAULT_RETRY once: two faults */
	int new_page;	/* a hole page A added after the truncate stays cached */
};
void fx_hole_page_race(void (*init)(void), enum fx_hole_page_other other, int depth,
		       struct fx_hole_page_outcome *o);
/*
 * The race over 8 choices and what v4.0 and v4.5 give alike: READ, both
 * read the hole, some schedule retries; STORE, A reads the store or the
 * hole, never SIGBUS, some retry; TRUNCATE, A reads the hole or gets
 * SIGBUS, never the store.
 */
void fx_hole_page_expect(void (*init)(void), enum fx_hole_page_other other);

/*
 * Two processes store to index 0 of a hole of a file @make gives, through
 * shared writable mappings, under every schedule of 8 choices, each on a
 * fresh kernel made by @init with switches @a and @b on (-1: none).
 * Returns the runs that ended with two blocks for the one index (the
 * second fault allocated over the first).
 */
/* A scheduler choice for k->sched.choose: round robin, the next task by id that can run. */
int fx_round_robin(void *ctx, const int *runnable, int n, const char *point);
int fx_two_stores_one_hole(void (*init)(void), struct file *(*make)(loff_t size), int a, int b);

#endif
