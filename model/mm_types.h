/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's objects, as include/linux/mm_types.h and include/linux/fs.h
 * define them, cut down to what the fault path uses. Each object's
 * functions are declared in its own header (pmem.h, page.h, pgtable.h,
 * mm.h, linux_fs.h, ext4.h, dax.h, lock.h, kernel.h). struct file, inode
 * and address_space are in linux_fs.h.
 */
#ifndef MMSIM_MM_TYPES_H
#define MMSIM_MM_TYPES_H

#include <glib.h>

#include "interval_tree.h"
#include "policy.h"
#include "radix-tree.h"
#include "pagedata.h"
#include "types.h"

struct kernel;
struct inode;
struct address_space;
struct vm_area_struct;
struct ext_tree;
struct file;
struct vm_fault;

/*
 * A lock the kernel takes on these paths: an owner, readers, a class name.
 * The rest is the scheduler's (task.h): who holds it for read and who
 * waits for it.
 */
struct task;
enum lock_kind { LOCK_RWSEM, LOCK_MUTEX, LOCK_SPIN };
struct lock {
	const char *name;	/* the kernel's name: "mmap_sem", "i_mmap_rwsem"... */
	int owner;		/* thread id of the writer, -1 when none */
	int readers;
	uint64_t reader_ids;	/* bit t: task t holds it for read */
	struct task *wait_list;	/* the waiters, FIFO (task->wait_next) */
	enum lock_kind kind;	/* how the waiters wait: set by the first */
	bool handoff;		/* a mutex's MUTEX_FLAG_HANDOFF */
	/* lockdep's class of this lock in the lockdep whose id is ld_id (a cache) */
	uint32_t ld_id;
	int ld_class;
};

/*
 * Physical memory: pfns below PMEM_BASE_PFN are DRAM (struct pages from
 * the page allocator, the zero page first), pfns from PMEM_BASE_PFN on are
 * the pmem device (fs block b is pfn PMEM_BASE_PFN + b).
 */
#define DRAM_BASE_PFN	0x1000UL	/* 16 MiB */
#define PMEM_BASE_PFN	0x100000UL	/* 4 GiB */

/* page flags (a subset of include/linux/page-flags.h) */
#define PG_locked	(1U << 0)
#define PG_uptodate	(1U << 1)
#define PG_dirty	(1U << 2)
#define PG_referenced	(1U << 3)
#define PG_anon		(1U << 4)	/* PageAnon: page->mapping is an anon_vma */
#define PG_reserved	(1U << 5)	/* the zero page */
#define PG_readahead	(1U << 6)	/* PageReadahead: the async readahead marker */
#define PG_hwpoison	(1U << 7)	/* PageHWPoison: memory_failure() saw it (pmem only) */
/*
 * PageAnonExclusive (6.1, include/linux/page-flags.h; v5.19 on): the
 * anonymous page is mapped by this process alone, and a write fault on it
 * reuses it without looking further. Kept under modern only.
 */
#define PG_anon_exclusive	(1U << 8)

struct page {
	unsigned long pfn;
	int refcount;		/* page_count() */
	int mapcount;		/* page_mapcount(): PTEs mapping it */
	unsigned int flags;
	struct address_space *mapping;
	pgoff_t index;
	unsigned long serial;	/* allocation number: a symbolic name */
	uint8_t *data;		/* PAGE_SIZE bytes, allocated at first store */
	/*
	 * Large folios: only a pmem 2 MiB DAX folio (dax-folio-refcount,
	 * dax_folio_init()). A tail page points at its head; the head holds
	 * the folio's order, reference count and the pmds that map it whole
	 * (folio->_entire_mapcount); mapcount stays per page (PTEs).
	 */
	struct page *head;	/* compound_head() of a tail page, else NULL */
	unsigned int order;	/* folio_order() of a head page */
	int entire_mapcount;	/* pmds mapping the folio */
};

/* The DRAM page allocator: accounted, so "memory in use" is a figure. */
struct dram {
	unsigned long nr_pages;		/* capacity */
	unsigned long nr_used;		/* allocated, the zero page included */
	unsigned long next_serial;
	GPtrArray *pages;		/* pfn - DRAM_BASE_PFN -> struct page * */
	GArray *free_pfns;		/* freed pfns, reused lowest last-freed first */
	struct page *zero_page;		/* ZERO_PAGE(0) */
	/*
	 * The huge zero page (mm/huge_memory.c v4.14): HPAGE_PMD_NR pages,
	 * 2 MiB aligned, allocated at its first use and kept (the shrinker
	 * that frees it when no mm uses it is not modelled).
	 */
	struct page *huge_zero_page;
};

/*
 * A pmem page with lines in the CPU cache: media plus cache contents
 * (pagedata.h, interned). A page with no dirty line is its media content.
 * The state itself is interned too, immutable and shared (a reference a
 * page): pages in one state (zeroed blocks with the same bytes stored over
 * them) cost a slot each.
 */
struct pmem_page {
	unsigned long refcount;
	uint64_t dirty;			/* bit l: line l is in the CPU cache, not durable */
	struct pd *media;
	struct pd *cache;		/* valid for dirty lines only */
};

/*
 * The last small store, remembered (no reference held): a page never
 * written (in 0) or in state in, given the same bytes at the same place,
 * goes to state out. Freeing a state forgets it.
 */
struct pmem_store_memo {
	uintptr_t in, out;		/* slot values; out 0: nothing remembered */
	unsigned off, len;
	bool fill;			/* @buf NULL: zeroes */
	uint64_t val;
};

struct pmem_device {
	unsigned long nr_pages;
	struct pd_pool *pool;		/* the contents, interned */
	GHashTable *states;		/* the struct pmem_page states, interned */
	struct pmem_store_memo memo;
	/*
	 * pfn - PMEM_BASE_PFN -> written pages only: a struct pd * (clean), or
	 * a struct pmem_page * | 1 (some line dirty).
	 */
	struct pd_map pages;
	unsigned long nr_dirty_pages;	/* pages with some dirty line */
	unsigned long bytes;		/* what all this costs (not in model_bytes) */
	/*
	 * The device's memmap (ZONE_DEVICE, MEMORY_DEVICE_FS_DAX): pfn ->
	 * struct page, made at first use (pmem_pfn_to_page()): the
	 * dax-folio-refcount path's, and the pages get_user_pages() holds
	 * (from v4.5 on).
	 */
	GHashTable *memmap;
	/* model/nvdimm.c: the device's end and its media errors */
	bool dead;			/* unbound: kill_dax() (v4.5: the queue dying) */
	/*
	 * An unbind is under way, asleep in its wait (threads only): the
	 * device is dead to faults but its struct pages are still there.
	 */
	bool unbinding;
	/*
	 * v4.5: the references on the pmem queue's q_usage_counter (the
	 * dev_pagemap's ref, devm_memremap_pages(..., &q->q_usage_counter,
	 * ...) in drivers/nvdimm/pmem.c) that get_page() of a ZONE_DEVICE
	 * page takes (get_zone_device_page()) and put_page() drops; the
	 * unbind's blk_cleanup_queue() waits for none to be left.
	 */
	unsigned long pgmap_refs;
	GHashTable *poison;		/* pfn - PMEM_BASE_PFN + 1 -> enum pmem_poison; NULL: none */
};

/*
 * Page tables, x86-64 4-level (pgd, pud, pmd, pte), allocated lazily so a
 * 1 TiB mapping costs nothing until touched. A pte_t uses the x86 bit
 * layout. A pmd slot holds a PTE table, or a huge pmd_t (_PAGE_PSE) that
 * maps 2 MiB itself, never both.
 */
typedef struct { uint64_t val; } pte_t;
typedef struct { uint64_t val; } pmd_t;

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)	/* a huge pmd: maps 2 MiB */
#define _PAGE_SPECIAL	(1ULL << 9)
#define _PAGE_DEVMAP	(1ULL << 58)
#define PTE_PFN_MASK	0x000ffffffffff000ULL

struct pte_table {
	pte_t pte[PTRS_PER_TABLE];
};

struct pmd_table {
	struct pte_table *pte[PTRS_PER_TABLE];
	/* a huge mapping in place of pte[i] (pmd_trans_huge / pmd_devmap) */
	pmd_t huge[PTRS_PER_TABLE];
};

struct pud_table {
	struct pmd_table *pmd[PTRS_PER_TABLE];
};

struct pgd_table {
	struct pud_table *pud[PTRS_PER_TABLE];
};

/* rss counters (include/linux/mm_types_task.h) */
enum { MM_FILEPAGES, MM_ANONPAGES, NR_MM_COUNTERS };

struct mm_struct {
	int id;				/* process number, in creation order */
	struct pgd_table *pgd;
	/*
	 * The VMAs, as v4.14 keeps them: a list sorted by address (mmap,
	 * vm_next, vm_prev) and a tree by vm_start augmented with the
	 * largest free gap below each subtree's VMAs (mm_rb, rb_subtree_gap).
	 */
	struct vm_area_struct *mmap;
	struct avl_root mm_rb;
	int map_count;
	unsigned long highest_vm_end;	/* end of the last VMA */
	struct vm_area_struct *vmacache;
	long rss[NR_MM_COUNTERS];
	unsigned long min_flt, maj_flt;	/* getrusage */
	unsigned long pgtable_bytes;
	/*
	 * The PTE table pte_next_present() found last and the 2 MiB it
	 * covers: a walk page by page pays the table walk once a table (the
	 * model's, not the kernel's; cleared when any table is freed).
	 */
	struct pte_table *walk_pte;
	unsigned long walk_pte_base;
	unsigned long next_mmap;	/* bottom of the automatic placement search */
	/*
	 * MMF_HAS_PINNED (6.1 include/linux/sched/coredump.h L77-83): a
	 * FOLL_PIN gup has run on this mm; never cleared, and not inherited
	 * by a fork (MMF_INIT_MASK, kernel/fork.c mm_init() L1141).
	 */
	bool has_pinned;
	struct lock mmap_sem;
};

struct vm_area_struct {
	unsigned long vm_start, vm_end;
	struct vm_area_struct *vm_next, *vm_prev;	/* by address */
	struct avl_node vm_rb;				/* in mm->mm_rb */
	/* the largest gap below a VMA of this subtree (vma_compute_subtree_gap) */
	unsigned long rb_subtree_gap;
	pgoff_t vm_pgoff;
	unsigned long vm_flags;
	uint64_t vm_page_prot;		/* the PTE bits a fault inserts */
	struct mm_struct *vm_mm;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;	/* set by ->mmap */
	/*
	 * anon_vma, as an id: 0 until the first COW page (anon_vma_prepare()),
	 * shared by the halves of a split; VMAs merge only with a
	 * compatible one (is_mergeable_anon_vma()).
	 */
	unsigned long anon_vma;
	/* in i_mmap: [vm_pgoff, vm_pgoff + vma_pages - 1] (vma_interval_tree) */
	struct interval_tree_node shared;
};


/* Block map values: a block and whether its extent is unwritten. */
enum block_state { BLOCK_HOLE, BLOCK_UNWRITTEN, BLOCK_MAPPED };


/* 4096 blocks of the block bitmap (ext4's bitmap block covers 32768). */
#define BITMAP_CHUNK_BITS	4096
struct bitmap_chunk {
	unsigned nr_set;
	uint64_t w[BITMAP_CHUNK_BITS / 64];
};

/* The filesystem: ext4 with 4 KiB blocks on the pmem device. */
struct super_block {
	unsigned int s_dev;		/* the pmem disk's dev_t */
	loff_t s_maxbytes;		/* the largest file: ext4_max_size(), ext2_max_size() */
	unsigned long nr_blocks;
	unsigned long nr_free;
	GHashTable *bitmap;		/* block / 4096 -> struct bitmap_chunk *, 1 = allocated */
	unsigned long last_key;		/* a one-entry cache of bitmap lookups */
	struct bitmap_chunk *last_chunk;
	unsigned long alloc_hint;	/* every block below is allocated */
	struct ext_tree *owner;		/* struct ext4_extent: block -> index, aux inode */
	GPtrArray *inodes;		/* in creation order */
	unsigned long j_commit_sequence;	/* ext4's jbd2: the last committed transaction */
	struct journal_s *s_journal;	/* the committed images a crash goes back to (jbd2.h) */
	/*
	 * The block device's backing_dev_info ra_pages, v4.14: VM_MAX_READAHEAD
	 * (128 KiB) / PAGE_SIZE = 32 unless the scenario sets it (`readahead`).
	 */
	unsigned long s_bdi_ra_pages;
};

/* struct vm_fault, v4.14 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned int flags;
	pgoff_t pgoff;
	unsigned long address;
	pmd_t *pmd;			/* the pmd slot of address (pmd_alloc) */
	pte_t *pte;			/* NULL when no PTE table or pte_none */
	pte_t orig_pte;
	struct page *cow_page;
	struct page *page;
};

/* mm/huge_memory.c's fault sizes, include/linux/mm.h v4.14 */
enum page_entry_size { PE_SIZE_PTE = 0, PE_SIZE_PMD };

/*
 * struct vm_operations_struct, include/linux/mm.h v4.14: what the mm asks
 * of whoever mapped the VMA (the filesystem's ->mmap sets vma->vm_ops).
 * The kernel's signatures with the model's kernel first.
 */
struct vm_operations_struct {
	int (*fault)(struct kernel *k, struct vm_fault *vmf);
	int (*huge_fault)(struct kernel *k, struct vm_fault *vmf,
			  enum page_entry_size pe_size);
	void (*map_pages)(struct kernel *k, struct vm_fault *vmf,
			  pgoff_t start_pgoff, pgoff_t end_pgoff);
	/* a read-only page is about to become writable */
	int (*page_mkwrite)(struct kernel *k, struct vm_fault *vmf);
	/* the same for a special (pfn) PTE, VM_PFNMAP / VM_MIXEDMAP */
	int (*pfn_mkwrite)(struct kernel *k, struct vm_fault *vmf);
};

/*
 * What the model reports to whoever checks it (sim/invariants.c). The
 * model calls these at the one place each kind of state changes, the way
 * set_pte_at() is the one place a PTE is written.
 */
struct dax_trace_event;
struct model_hooks {
	void *ctx;
	void (*pte_changed)(void *ctx, struct vm_area_struct *vma,
			    unsigned long addr, pte_t old, pte_t new);
	/* a huge pmd at @addr (2 MiB aligned) set or cleared: set_pmd_at() */
	void (*pmd_changed)(void *ctx, struct vm_area_struct *vma,
			    unsigned long addr, pmd_t old, pmd_t new);
	void (*index_changed)(void *ctx, struct inode *inode, pgoff_t index);
	/* the last reference to @mm goes: its page tables are gone, it is not yet freed */
	void (*mm_release)(void *ctx, struct mm_struct *mm);
	/* The fs_dax tracepoints (model/trace_dax.h); NULL: tracing off. */
	void *trace_ctx;
	void (*trace)(void *ctx, const struct dax_trace_event *ev);
	/* indices [index, index + nr) at once (a run of blocks allocated or freed) */
	void (*range_changed)(void *ctx, struct inode *inode, pgoff_t index,
			      unsigned long nr);
	/*
	 * fatal_signal_pending(current): the driver kills the task when its
	 * run reaches a limit. Its own context, @signal_ctx, not @ctx.
	 */
	bool (*fatal_signal_pending)(void *signal_ctx);
	void *signal_ctx;
	/*
	 * filemap_map_pages() has mapped @page at vmf->address (fault around
	 * the fault at vmf->pgoff, window [start_pgoff, end_pgoff]): what
	 * faultaround-bounds checks.
	 */
	void (*map_pages)(void *ctx, const struct vm_fault *vmf, struct page *page,
			  pgoff_t start_pgoff, pgoff_t end_pgoff);
};

#endif
