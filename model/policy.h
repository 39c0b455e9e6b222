/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policies and switches (DESIGN.md §3). A policy is a named preset of
 * switches and stands for one kernel release. A bug variant is a switch,
 * off in every policy, that re-introduces one historical or plausible
 * mistake by dropping one step of the path; docs/model.md lists them.
 */
#ifndef MMSIM_POLICY_H
#define MMSIM_POLICY_H

#include <stdbool.h>

enum policy_id {
	POLICY_XIP_2014,
	POLICY_DAX_2014,
	POLICY_DAX_2016,
	POLICY_DAX_2017,
	POLICY_MODERN,
	NR_POLICIES,
};

enum switch_id {
	/* bug variants */
	SW_BUG_NO_ZERO_UNMAP,		/* write to a hole leaves other VMAs' zero page */
	SW_BUG_NO_ISIZE_CHECK,		/* fault does not check i_size */
	SW_BUG_PUNCH_NO_UNMAP,		/* punch hole frees blocks still mapped */
	SW_BUG_MSYNC_KEEPS_DIRTY,	/* writeback flushes but leaves DIRTY */
	SW_BUG_COW_MAPS_BLOCK,		/* private write fault maps the block */
	SW_BUG_COW_NO_RSS,		/* a COW page is not counted in rss */
	SW_BUG_ZAP_LEAKS_PAGE,		/* zap drops the mapcount, not the reference */
	SW_BUG_FORK_NO_WRPROTECT,	/* fork leaves a COW page writable in both */
	SW_BUG_FAULTAROUND_READAHEAD,	/* fault-around maps PG_readahead pages */
	SW_BUG_FAULTAROUND_PAST_TABLE,	/* fault-around's window ignores the PTE table's end */
	SW_BUG_FAULTAROUND_PAST_EOF,	/* fault-around maps pages at or past i_size */
	SW_BUG_WRITEBACK_NO_MKCLEAN,	/* writeback leaves a page-cache page's PTEs writable */
	SW_BUG_COLLAPSE_NO_UNMAP,	/* collapse range shifts blocks still mapped */
	SW_BUG_ENTRY_WAIT_STALE,	/* an entry waiter polls the copy it read first */
	SW_BUG_ALLOC_NO_RECHECK,	/* allocation under the block map's lock trusts the unlocked lookup */
	SW_BUG_GET_BLOCK_KEEPS_NEW,	/* v4.5 ext4_dax_mmap_get_block leaves BH_New: fs/dax.c zeroes again */
	SW_BUG_GRAB_ENTRY_NO_RECHECK,	/* v4.14 grab_mapping_entry: no second lookup after the preload */
	SW_BUG_INVALIDATE_NO_ENTRY_WAIT,	/* write(2)'s invalidation skips a locked DAX entry */
	SW_BUG_PMD_DOWNGRADE_NO_LOCK,	/* a PTE fault downgrading a PMD entry leaves it unlocked */
	SW_BUG_FAULT_NO_I_MMAP_SEM,	/* the fault runs without the lock that excludes truncate */
	SW_BUG_TRUNCATE_NO_ENTRY_WAIT,	/* truncate deletes an entry another task holds locked */
	SW_BUG_DOWNGRADE_WAKE_ONE,	/* a PMD entry's downgrade wakes one of its waiters */
	SW_BUG_PUNCH_LOCK_ORDER,	/* punch hole takes i_mmap_sem before the inode lock */
	SW_BUG_FAULT_NO_ENTRY_WAIT,	/* a fault finding its DAX entry locked goes on without waiting */
	SW_BUG_XIP_NO_SPARSE_MUTEX,	/* v3.19 xip_file_fault allocates without xip_sparse_mutex */
	SW_BUG_PMD_KEEPS_HOLE_PAGES,	/* v4.5 PMD write fault leaves the hole pages (v4.4) */
	SW_BUG_UNBIND_FORGETS_PROCESS,	/* the storage unbind's revoke skips one process */
	SW_BUG_WRITEBACK_NO_FLUSH,	/* DAX writeback cleans the entry without flushing the CPU cache */
	SW_BUG_TRUNCATE_NO_PIN_WAIT,	/* the layout break unmaps but does not wait for a pinned page */
	/* kernel behaviours */
	SW_EXT4_ZEROOUT,		/* unwritten conversion zeroes out 32 KiB */
	SW_DAX_MKCLEAN_RANGE,		/* writeback cleans every index's PTEs (v5.19-ish) */
	SW_DAX_NO_MIXEDMAP,		/* ext4 DAX VMAs without VM_MIXEDMAP (2018) */
	SW_MAP_SYNC,			/* MAP_SHARED_VALIDATE, MAP_SYNC, synchronous faults (v4.15) */
	SW_EXT4_BREAK_LAYOUTS,		/* truncate/punch/zero unmap the whole file first (v4.19) */
	SW_PMD_INSERT_CHECKS,		/* insert_pfn_pmd leaves a present pmd alone (2019) */
	SW_DAX_READ_DIRTY,		/* a read fault tags its entry DIRTY (6.1) */
	SW_DAX_XARRAY,			/* XArray value entries holding a pfn (v4.17, v4.20) */
	SW_DAX_PMD_SIGBUS_FIRST,	/* the PMD fault tests i_size before its fallbacks (2021) */
	SW_DAX_MKCLEAN,			/* v4.10: writeback write-protects, cleans, clears DIRTY */
	SW_FILEMAP_FAULT_RETRY,		/* filemap_fault drops mmap_lock for I/O, retries (v5.1, v5.9) */
	SW_THP_UNMAPPED_AREA_ANY_FILE,	/* thp_get_unmapped_area aligns non-DAX files too (6.1) */
	SW_MREMAP_DEVMAP_PMD,		/* move_page_tables moves a DAX (devmap) pmd whole (2020) */
	SW_DAX_FOLIO_REFCOUNT,		/* DAX pages are refcounted, mapped, counted folios (v6.15) */
	SW_DAX_BREAK_LAYOUT,		/* the layout break deletes the file's DAX entries (v6.15) */
	SW_DAX_INVALIDATE_WAKE_ALL,	/* deleting an entry wakes all its sleepers (v5.12) */
	SW_UNBIND_MEMORY,		/* seed 003's "memory": unbind waits for every DAX VMA */
	SW_UNBIND_STORAGE,		/* seed 003's "storage": unbind revokes every DAX mapping */
	SW_GUP_LONGTERM,		/* get_user_pages_longterm() (v4.15; 4.14.177's backport) */
	SW_NFIT_MCE,			/* an NFIT platform: a consumed media error enters badblocks */
	NR_SWITCHES,
};

struct switch_desc {
	const char *name;
	const char *summary;
	bool bug;		/* a bug variant: off in every policy */
	/*
	 * Where it comes from: the release and function of the behaviour, or
	 * for a bug variant the step it drops and whether the mistake is a
	 * historical one or a plausible slip.
	 */
	const char *origin;
	unsigned policies;	/* bit P: the policies whose code path it changes */
};

struct policy {
	enum policy_id id;
	int sw[NR_SWITCHES];
};

extern const struct switch_desc switch_descs[NR_SWITCHES];
extern const char *const policy_names[NR_POLICIES];

/* -1 when unknown. */
int policy_lookup(const char *name);
int switch_lookup(const char *name);
/* Whether the model implements this policy yet. */
bool policy_modelled(enum policy_id id);
void policy_init(struct policy *p, enum policy_id id);

#endif
