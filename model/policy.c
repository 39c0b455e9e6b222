// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "policy.h"

const char *const policy_names[NR_POLICIES] = {
	[POLICY_XIP_2014] = "xip-2014",
	[POLICY_DAX_2014] = "dax-2014",
	[POLICY_DAX_2016] = "dax-2016",
	[POLICY_DAX_2017] = "dax-2017",
	[POLICY_MODERN] = "modern",
};

const struct switch_desc switch_descs[NR_SWITCHES] = {
	[SW_BUG_NO_ZERO_UNMAP] = { "bug-no-zero-unmap",
		"a write fault on a hole does not unmap the zero page (dax-2014: the hole page) from other VMAs", true,
		"historical: drops unmap_mapping_range() in dax_insert_mapping_entry() (v4.14 fs/dax.c), "
		"in do_dax_fault() (v4.0 fs/dax.c) for dax-2014, __dax_fault() (v4.5) for dax-2016; the question of seed 001",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_NO_ISIZE_CHECK] = { "bug-no-isize-check",
		"the DAX (or XIP) fault does not check the offset against i_size", true,
		"historical: drops the pos >= i_size check of dax_iomap_pte_fault() (v4.14 fs/dax.c), "
		"or of xip_file_fault() (v3.19 mm/filemap_xip.c)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN | 1u << POLICY_XIP_2014 },
	[SW_BUG_PUNCH_NO_UNMAP] = { "bug-punch-no-unmap",
		"punch hole frees blocks without unmapping them", true,
		"historical: drops the unmap of truncate_pagecache_range() in ext4_punch_hole() (v4.14; v4.0 for dax-2014, v4.5 for dax-2016)",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_MSYNC_KEEPS_DIRTY] = { "bug-msync-keeps-dirty",
		"writeback flushes an entry without clearing its DIRTY tag", true,
		"an earlier design: v4.5 to v4.9 dax_writeback_one() kept DIRTY; drops the clear of v4.14 fs/dax.c (dax-2016 keeps DIRTY by design)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_COW_MAPS_BLOCK] = { "bug-cow-maps-block",
		"a private write fault maps the file block instead of copying it", true,
		"a plausible slip: drops the vmf->cow_page branch of dax_iomap_pte_fault() (v4.14)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_COW_NO_RSS] = { "bug-cow-no-rss",
		"the anonymous page of a private write fault is not counted in MM_ANONPAGES", true,
		"a plausible slip: drops inc_mm_counter(MM_ANONPAGES) in alloc_set_pte() (v4.14 mm/memory.c; "
		"do_set_pte() in v4.0)",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_ZAP_LEAKS_PAGE] = { "bug-zap-leaks-page",
		"zapping an anonymous page drops its mapcount but not its reference", true,
		"a plausible slip: drops put_page() in zap_pte_range() (v4.14 mm/memory.c; the same step in v3.19 and v4.0)",
		1u << POLICY_XIP_2014 | 1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 |
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_FORK_NO_WRPROTECT] = { "bug-fork-no-wrprotect",
		"fork leaves the PTEs of a private writable mapping writable in parent and child", true,
		"a plausible slip: drops the is_cow_mapping() write-protect of copy_one_pte() (v4.14 mm/memory.c)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_FAULTAROUND_READAHEAD] = { "bug-faultaround-readahead",
		"fault-around maps pages marked PG_readahead, so the fault that would start the next "
		"async readahead never comes", true,
		"a plausible slip: drops PageReadahead() from filemap_map_pages()'s skip test "
		"(v4.14 mm/filemap.c; v3.19, v4.0 and v4.5 test the same)",
		1u << POLICY_XIP_2014 | 1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 |
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_FAULTAROUND_PAST_TABLE] = { "bug-faultaround-past-table",
		"fault-around's window is not cut at the end of the fault's PTE table: a window that "
		"starts at an unaligned vm_start maps pages in the next table", true,
		"a plausible slip: drops the page-table end from do_fault_around()'s min3() "
		"(v4.14 mm/memory.c; v3.19, v4.0 and v4.5 compute max_pgoff the same); the kernel "
		"would write past the PTE page, the model maps the pages in the right table",
		1u << POLICY_XIP_2014 | 1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 |
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_FAULTAROUND_PAST_EOF] = { "bug-faultaround-past-eof",
		"fault-around maps cached pages at or past i_size: a load past EOF reads zero instead "
		"of SIGBUS", true,
		"a plausible slip: drops the max_idx (i_size) test from filemap_map_pages() "
		"(v4.14 mm/filemap.c; the round_up(i_size) test of v3.19, v4.0 and v4.5)",
		1u << POLICY_XIP_2014 | 1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 |
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_WRITEBACK_NO_MKCLEAN] = { "bug-writeback-no-mkclean",
		"writeback of a page-cache page leaves its shared PTEs writable and dirty: later stores "
		"through them dirty nothing and are lost to the next writeback", true,
		"a plausible slip: drops page_mkclean() from clear_page_dirty_for_io() "
		"(v4.14 mm/page-writeback.c, v3.19, v4.0 and v4.5 alike; the shared dirty page "
		"tracking of v2.6.19)",
		1u << POLICY_XIP_2014 | 1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 |
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_COLLAPSE_NO_UNMAP] = { "bug-collapse-no-unmap",
		"collapse range frees and shifts blocks without unmapping them", true,
		"a plausible slip: drops the unmaps of truncate_pagecache() in ext4_collapse_range() "
		"(v4.14; v4.0 for dax-2014, v4.5 for dax-2016)",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_ENTRY_WAIT_STALE] = { "bug-entry-wait-stale",
		"a fault waiting for a locked DAX entry polls the entry it read before the wait, "
		"with cond_resched(), instead of sleeping and looking it up again: it never sees the "
		"unlock (a livelock)", true,
		"a plausible slip: the stale read in a polling loop, in place of "
		"get_unlocked_mapping_entry()'s sleep and re-lookup (v4.14 fs/dax.c L250-263)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_ALLOC_NO_RECHECK] = { "bug-alloc-no-recheck",
		"a block allocation does not look the block up again once it holds the block map's lock: "
		"two tasks that both saw the hole both allocate, and the later one's block replaces the earlier one's", true,
		"the classic race mistake, a plausible slip: drops the second ext4_ext_map_blocks() lookup under "
		"down_write(i_data_sem) of ext4_map_blocks() (v4.0, v4.5, v4.14, 6.1 fs/ext4/inode.c), or the "
		"verify_chain() re-read under truncate_mutex of ext2_get_blocks() (v3.19 fs/ext2/inode.c L678-702)",
		1u << POLICY_XIP_2014 | 1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 |
		1u << POLICY_MODERN },
	[SW_BUG_GET_BLOCK_KEEPS_NEW] = { "bug-get-block-keeps-new",
		"ext4's DAX get_block (v4.5) leaves BH_New set on a block it allocated and zeroed, so fs/dax.c zeroes "
		"the block again after i_data_sem is dropped, over what another task stored", true,
		"historical (v4.0's way, fixed by ext4 zeroing new blocks itself): drops the "
		"\"bh_result->b_state &= ~(1 << BH_New)\" of ext4_dax_mmap_get_block() (v4.5 fs/ext4/inode.c L3184-3188)",
		1u << POLICY_DAX_2016 },
	[SW_BUG_GRAB_ENTRY_NO_RECHECK] = { "bug-grab-entry-no-recheck",
		"a fault that found no DAX entry and dropped the tree lock to preload inserts its empty entry "
		"without looking again: when another fault inserted one meanwhile, the insert fails (-EEXIST) "
		"and a PTE fault returns SIGBUS", true,
		"the classic race mistake, a plausible slip: drops the __radix_tree_lookup() \"See if another "
		"thread inserted an entry at our index during this time\" of grab_mapping_entry() "
		"(v4.14 fs/dax.c L386-399); 6.1's XArray code has no such window",
		1u << POLICY_DAX_2017 },
	[SW_BUG_INVALIDATE_NO_ENTRY_WAIT] = { "bug-invalidate-no-entry-wait",
		"the invalidation after write(2) allocates blocks (invalidate_inode_pages2_range) passes over a "
		"locked DAX entry as busy instead of waiting for it: a fault that looked up the hole before the "
		"allocation maps the zero page after the invalidation", true,
		"the classic race mistake, a plausible slip: drops the wait of get_unlocked_mapping_entry() in "
		"dax_invalidate_mapping_entry_sync() (v4.14 fs/dax.c L441-463; 6.1 __dax_invalidate_entry(), "
		"get_unlocked_entry())",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_PMD_DOWNGRADE_NO_LOCK] = { "bug-pmd-downgrade-no-lock",
		"a PTE fault that downgrades a zero or empty PMD entry does not lock it before it drops the tree "
		"lock to unmap the huge zero page: a PMD fault in the same 2 MiB takes the entry meanwhile and maps "
		"the huge zero page again, which the downgrade then never unmaps", true,
		"the classic race mistake, a plausible slip: drops the lock_slot() \"Make sure 'entry' remains valid "
		"while we drop mapping->tree_lock\" of grab_mapping_entry() (v4.14 fs/dax.c L364-368; "
		"6.1 dax_lock_entry(), L611-615)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_FAULT_NO_I_MMAP_SEM] = { "bug-fault-no-i-mmap-sem",
		"the DAX fault tests i_size and maps without the lock that excludes truncate and "
		"punch hole: ext4's i_mmap_sem (6.1: the invalidate_lock) not taken by the fault "
		"handler; dax-2014: dax_insert_mapping() without i_mmap_lock_read() and its "
		"second look at i_size", true,
		"historical: the v3.19 XIP fault's shape (mm/filemap_xip.c xip_file_fault(), no lock); "
		"drops down_read(&EXT4_I(inode)->i_mmap_sem) of ext4_dax_fault(), ext4_dax_pmd_fault() "
		"and ext4_dax_pfn_mkwrite() (v4.5 fs/ext4/file.c L196-L291) and ext4_dax_huge_fault() (v4.14), "
		"filemap_invalidate_lock_shared() (6.1 fs/ext4/file.c L733-L757), and "
		"i_mmap_lock_read() + the i_size re-check of dax_insert_mapping() (v4.0 fs/dax.c L282-L294)",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_TRUNCATE_NO_ENTRY_WAIT] = { "bug-truncate-no-entry-wait",
		"truncate and punch hole (and invalidation) delete a DAX entry without waiting for "
		"its lock: a writeback holding it goes on with an entry that is gone", true,
		"a plausible slip: __dax_invalidate_mapping_entry() (v4.14 fs/dax.c L441-L462; "
		"6.1 __dax_invalidate_entry() L753-L775) reads the slot in place of "
		"get_unlocked_mapping_entry()/get_unlocked_entry()",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_DOWNGRADE_WAKE_ONE] = { "bug-downgrade-wake-one",
		"a PTE fault that replaces a zero or empty PMD entry by a PTE entry wakes one of the "
		"PMD entry's waiters, not all: the others sleep on a key nothing will wake", true,
		"a plausible slip: wake_all false in grab_mapping_entry()'s "
		"dax_wake_mapping_entry_waiter(mapping, index, entry, true) (v4.14 fs/dax.c L407-L410; "
		"6.1 dax_wake_entry(xas, entry, WAKE_ALL) L633)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_PUNCH_LOCK_ORDER] = { "bug-punch-lock-order",
		"punch hole takes i_mmap_sem (6.1: invalidate_lock) before the inode lock", true,
		"a plausible slip: ext4_punch_hole() takes inode_lock() then i_mmap_sem (v4.5 "
		"fs/ext4/inode.c L3742, L3778; v4.14 L4215, L4251; 6.1 filemap_invalidate_lock() "
		"L4023, L4070), as truncate does (the inode lock in do_truncate(), i_mmap_sem in "
		"ext4_setattr()); the variant swaps the two. v4.0 has no i_mmap_sem",
		1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_FAULT_NO_ENTRY_WAIT] = { "bug-fault-no-entry-wait",
		"a fault whose grab_mapping_entry() finds the DAX entry of its index locked by another task "
		"does not sleep until it is unlocked: it goes on as if it held the lock, looks up and maps "
		"the block, and puts its own entry over the other fault's", true,
		"the classic race mistake, a plausible slip: drops the wait of get_unlocked_mapping_entry() "
		"in grab_mapping_entry() (v4.14 fs/dax.c L250-263, called at L335; 6.1 get_unlocked_entry() "
		"L223-250, called at L591). The unlock that follows WARNs in v4.14 (L271-275) and BUG()s in "
		"6.1 (dax_unlock_entry() L299) when the other task unlocked first; the model goes on",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_XIP_NO_SPARSE_MUTEX] = { "bug-xip-no-sparse-mutex",
		"a shared writable XIP fault on a hole calls get_xip_mem(create=1) without xip_sparse_mutex: "
		"two faults on one hole reach ext2_get_blocks() together, where only truncate_mutex and its "
		"second look at the block map (verify_chain) keep them from allocating twice", true,
		"a plausible slip: drops the mutex_lock()/mutex_unlock(&xip_sparse_mutex) around the "
		"allocating get_xip_mem() of xip_file_fault() (v3.19 mm/filemap_xip.c L248-251)",
		1u << POLICY_XIP_2014 },
	[SW_BUG_PMD_KEEPS_HOLE_PAGES] = { "bug-pmd-keeps-hole-pages",
		"a PMD write fault that allocated the blocks of a hole leaves the hole pages of its 2 MiB "
		"in the page cache and mapped: a PTE fault that read the hole keeps reading zero there "
		"over the new blocks", true,
		"historical (v4.4): __dax_pmd_fault() unmapped the 2 MiB only when get_block said BH_New, "
		"which ext4 never says, and removed no page from the page cache; \"dax: fix conversion of "
		"holes to PMDs\" (v4.5) made it truncate_pagecache_range() after every allocation "
		"(v4.5 fs/dax.c L878-887). The variant drops that call",
		1u << POLICY_DAX_2016 },
	[SW_BUG_UNBIND_FORGETS_PROCESS] = { "bug-unbind-forgets-process",
		"the \"storage\" unbind (switch unbind-storage) revokes the DAX mappings of every "
		"process but the last one created, which keeps mapping pfns of the dead device", true,
		"a plausible slip of the revoke seed 003 asks for (pmem \"as storage\": forcibly revoke "
		"mappings on unbind): a walk over the processes that misses one, in place of "
		"unmap_mapping_range() of each file's i_mmap",
		1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_WRITEBACK_NO_FLUSH] = { "bug-writeback-no-flush",
		"DAX writeback (msync, fsync, sync) does everything but flush the entry's cache lines: "
		"the entry is cleaned, the data stays volatile in the CPU cache and a crash loses it", true,
		"a plausible slip, the mistake the pmem flush API was made against: drops dax_flush() "
		"from dax_writeback_one() (v4.14 fs/dax.c L737; 6.1 L985) and wb_cache_pmem() from v4.5's "
		"(fs/dax.c L468); v4.0 has no DAX writeback at all (dax-2014 breaks durable-after-sync "
		"without it)",
		1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_BUG_TRUNCATE_NO_PIN_WAIT] = { "bug-truncate-no-pin-wait",
		"the layout break (ext4_break_layouts) unmaps the file but does not wait for a page "
		"that get_user_pages holds: truncate, punch, zero, collapse and insert free or move "
		"a block while a pin still reaches it", true,
		"the kernels before v4.19 did not wait at all (dax-2016, dax-2017 break pinned-block "
		"by design); as a slip in 6.1: ext4_break_layouts() (fs/ext4/inode.c L3965-3985) "
		"without its ___wait_var_event() loop on the page dax_layout_busy_page() returns "
		"(fs/dax.c L685-747)",
		1u << POLICY_MODERN },
	[SW_EXT4_ZEROOUT] = { "ext4-zeroout",
		"a write into an unwritten extent zeroes and converts up to 32 KiB of it "
		"(ext4_ext_convert_to_initialized, s_extent_max_zeroout_kb); on in dax-2014, dax-2016, "
		"dax-2017 and modern", false,
		"v4.14 (and v4.0 and v4.5, their own cases) fs/ext4/extents.c "
		"ext4_ext_convert_to_initialized(), ext4 with unwritten extents; off is "
		"extent_max_zeroout_kb = 0",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_MKCLEAN_RANGE] = { "dax-mkclean-range",
		"writeback write-protects and cleans the PTEs and pmds of every index an entry "
		"covers (pfn_mkclean_range), not only its first index's; off in dax-2017, on in modern", false,
		"\"dax: fix missing writeprotect the pte entry\" (2022, Fixes v4.10's \"dax: clear dirty "
		"entry tags on cache flush\"): dax_writeback_one() calls pfn_mkclean_range() in each "
		"VMA over [index, index + count)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_NO_MIXEDMAP] = { "dax-no-mixedmap",
		"ext4 gives a DAX VMA VM_HUGEPAGE only, no VM_MIXEDMAP, so fork copies no PTEs of a "
		"shared DAX VMA without an anon_vma; on in modern", false,
		"\"dax: remove VM_MIXEDMAP for fsdax and device dax\" (2018, commit e1fb4a086495): "
		"ext4_file_mmap() (6.1 fs/ext4/file.c L803-804); copy_page_range()/vma_needs_copy() "
		"(6.1 mm/memory.c L1241)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_MAP_SYNC] = { "map-sync",
		"MAP_SHARED_VALIDATE and MAP_SYNC: VM_SYNC (VmFlags sf), EOPNOTSUPP for an unknown flag "
		"under MAP_SHARED_VALIDATE or for VM_SYNC on a non-DAX file; a write fault with "
		"IOMAP_F_DIRTY returns VM_FAULT_NEEDDSYNC and dax_finish_sync_fault() commits the "
		"metadata before mapping the block writable; on in modern", false,
		"v4.15 (Jan Kara's MAP_SYNC series: \"mm: introduce MAP_SHARED_VALIDATE\", \"dax, iomap: "
		"Add support for synchronous faults\", \"ext4: Support for synchronous DAX faults\"); "
		"as read in 6.1: do_mmap() L1306/L1334-1336, daxdev_mapping_supported(), "
		"dax_fault_is_synchronous() fs/dax.c L836, dax_finish_sync_fault() L1865, "
		"ext4_set_iomap() fs/ext4/inode.c L3334",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_EXT4_BREAK_LAYOUTS] = { "ext4-break-layouts",
		"truncate, punch hole, zero, collapse and insert range first unmap every DAX PTE "
		"and pmd of the whole file from every process (ext4_break_layouts -> dax_layout_busy_page); COW pages "
		"stay; on in modern", false,
		"v4.19 (\"ext4: handle layout changes to pinned DAX mappings\"); as read in 6.1: "
		"ext4_break_layouts() fs/ext4/inode.c L3965, dax_layout_busy_page_range() fs/dax.c "
		"L685-721 (unmap_mapping_pages(mapping, 0, 0, 0))",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_PMD_INSERT_CHECKS] = { "pmd-insert-checks",
		"vmf_insert_pfn_pmd leaves a present pmd alone, or for a write upgrades it in place "
		"when it maps the same pfn; v4.14 overwrote it; on in modern", false,
		"\"mm/huge_memory.c: fix modifying of page protection by insert_pfn_pmd()\" (2019; "
		"the release not checked at the tag); as read in 6.1 insert_pfn_pmd() "
		"mm/huge_memory.c L840-866",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_READ_DIRTY] = { "dax-read-dirty",
		"every DAX fault that inserts an entry, a read too (hole or block), marks the inode "
		"dirty and tags the entry DIRTY unless the fault is synchronous; fsync then writes "
		"it back (a zero entry too: a flush of the zero page); on in modern", false,
		"6.1.20 fs/dax.c dax_insert_entry() L862 \"dirty = !dax_fault_is_synchronous(iter, "
		"vma)\", L866 and L902-903; v4.14 tagged writes only. The commit that dropped the "
		"write test is not identified (after v4.15, whose dirty was write && !sync). Rig: "
		"probes/dax_dirty_and_sync.c, docs/findings.md",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_XARRAY] = { "dax-xarray",
		"the DAX entries as the fs_dax tracepoints print them are XArray value entries "
		"holding a pfn (xa_mk_value(pfn << DAX_SHIFT | flags)), zero entries the zero "
		"page's pfn; the fault no longer fires dax_insert_mapping or "
		"dax_pmd_insert_mapping(_fallback); dax_writeback_range_done prints where the "
		"XArray walk stopped; on in modern", false,
		"\"dax: store pfns in the radix\" (2018) and \"dax: Convert to XArray\" (2018); as "
		"read in 6.1 fs/dax.c L77-88 (dax_make_entry), dax_load_hole() L1149, "
		"dax_pmd_load_hole() L1165, dax_writeback_mapping_range() L1011 with "
		"lib/xarray.c xas_find_marked(), and include/trace/events/fs_dax.h; "
		"rig: probes/dax_writeback_range_trace.c",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_PMD_SIGBUS_FIRST] = { "dax-pmd-sigbus-first",
		"the PMD fault returns SIGBUS for a 2 MiB past EOF (its first index, vmf->pgoff "
		"rounded down, at or past DIV_ROUND_UP(i_size, 4K)) before it tests the colour, "
		"a private write and the VMA bounds, which v4.14 tested first (falling back to the "
		"PTEs, whose own i_size test is SIGBUS: the difference shows in the tracepoints); "
		"on in modern", false,
		"\"fsdax: factor out helpers to simplify the dax fault code\" (2021, "
		"dax_fault_check_fallback(); the release not checked at the tag); as read in "
		"6.1.20 fs/dax.c dax_iomap_pmd_fault() L1723-1729 and L1663-1694; v4.14 "
		"L1343-1364",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_MKCLEAN] = { "dax-mkclean",
		"writeback write-protects and cleans what maps an entry's first index in every "
		"shared VMA and clears DIRTY after the flush; off in dax-2016", false,
		"v4.10 \"dax: clear dirty entry tags on cache flush\": dax_writeback_one() calls "
		"dax_mapping_entry_mkclean() (linux-4.10.17 fs/dax.c L670, L806) and clears "
		"PAGECACHE_TAG_DIRTY (L815); v4.5 clears only TOWRITE",
		1u << POLICY_DAX_2016 },
	[SW_FILEMAP_FAULT_RETRY] = { "filemap-fault-retry",
		"a page-cache fault that reads (read-around, async readahead at a PG_readahead page, "
		"a single page) drops the mmap lock first and returns VM_FAULT_RETRY; the retry, "
		"FAULT_FLAG_TRIED, does no readahead and counts as a major fault; a user fault may retry "
		"more than once (before, x86 retries once without FAULT_FLAG_ALLOW_RETRY); on in modern", false,
		"\"filemap: drop the mmap_sem for all blocking operations\" (v5.1) and "
		"mm_account_fault() (v5.9); as read in 6.1.20: mm/filemap.c filemap_fault() L3100 "
		"(async readahead only without FAULT_FLAG_TRIED L3125, out_retry L3232), "
		"do_sync_mmap_readahead() L2984, do_async_mmap_readahead() L3053, "
		"mm/internal.h maybe_unlock_mmap_for_io() L605, mm/memory.c mm_account_fault() L5110, "
		"mm/gup.c faultin_page() L979 and __mm_populate() L1681, arch/x86/mm/fault.c "
		"do_user_addr_fault() L1451-1454 (v4.14 __do_page_fault() L1451 \"Retry at most once\"); "
		"rig: hole_read_rss ext4 rows (513 major)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_THP_UNMAPPED_AREA_ANY_FILE] = { "thp-unmapped-area-any-file",
		"mmap of an ext4 page-cache file without an address hint gets a 2 MiB-aligned "
		"address (congruent with the file offset) when the range holds a whole aligned "
		"2 MiB, as DAX files do; on in modern", false,
		"6.1.20 mm/huge_memory.c thp_get_unmapped_area() L638 and "
		"__thp_get_unmapped_area() L602 have no IS_DAX() test (v4.14 returned early for a "
		"non-DAX file); fs/ext4/file.c L948; the commit that dropped it is not identified. "
		"Rig: pmd_alignment ext4.kernel addr%2M 0x0",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_MREMAP_DEVMAP_PMD] = { "mremap-devmap-pmd",
		"mremap moves a DAX huge pmd whole when the old and new addresses are 2 MiB "
		"aligned and 2 MiB remain, and otherwise splits it (for DAX: clears it, so the "
		"new place refaults); on in modern. Without it (v4.5, v4.14) move_page_tables() "
		"tests pmd_trans_huge() alone, false for a devmap pmd, and walks the 2 MiB of pmem "
		"as a PTE table: not modelled (exit 3)", false,
		"\"mm: Fix mremap not considering huge pmd devmap\" (2020, CVE-2020-10757; v5.8 believed, "
		"not checked at the tag); as read "
		"in 6.1.20: mm/mremap.c move_page_tables() L540-548 (get_extent(NORMAL_PMD) L533), "
		"mm/huge_memory.c move_huge_pmd() L1724; v4.14.177 mm/mremap.c L226 and v4.5.7 "
		"L194 test pmd_trans_huge() only, which x86 makes false for _PAGE_DEVMAP "
		"(arch/x86/include/asm/pgtable.h)",
		1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_FOLIO_REFCOUNT] = { "dax-folio-refcount",
		"a DAX block is mapped as a refcounted folio: a PTE takes a folio reference, a file "
		"rmap and MM_FILEPAGES (not special), a pmd the same for its 2 MiB folio (512 "
		"pages of MM_FILEPAGES); zap, munmap and exit drop them; smaps counts the pages as "
		"file pages (a pmd 2 MiB); the zero page and the huge zero page stay uncounted; "
		"needs ext4-break-layouts (v6.15 deletes an entry only after the break unmapped "
		"its pages; a run with this switch alone is refused); off in every policy (modern "
		"is v6.1)", false,
		"v6.15 (Alistair Popple's \"fs/dax: properly refcount fs dax pages\" series); as read "
		"in torvalds/linux fs/dax.c at 00c010e130e5: dax_fault_iter(), dax_associate_entry(), "
		"dax_folio_init(), dax_folio_put(), dax_insert_pfn_mkwrite(); and in v6.18.2: "
		"mm/memory.c insert_page_into_pte_locked(), vmf_insert_page_mkwrite(), "
		"mm/huge_memory.c insert_pmd(), vmf_insert_folio_pmd(), zap_huge_pmd(), "
		"__split_huge_pmd_locked(), fs/proc/task_mmu.c smaps_account(), smaps_pmd_entry()",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_BREAK_LAYOUT] = { "dax-break-layout",
		"the layout break of truncate, punch hole and zero range is v6.15's "
		"dax_break_layout(): ext4 still passes the whole file (unmapped from every "
		"process, as with ext4-break-layouts alone), and then every DAX entry of the "
		"file is deleted, DIRTY or not, without writeback; needs ext4-break-layouts "
		"(a run with this switch alone is refused); off in every policy (modern is v6.1)", false,
		"v6.15 (\"fs/dax: create a common implementation to break DAX layouts\", "
		"Alistair Popple's fs dax refcount series); as read: fs/dax.c dax_break_layout(), "
		"dax_delete_mapping_range() (torvalds/linux 00c010e130e5, v6.18.2 L888-965), "
		"fs/ext4/inode.c ext4_break_layouts() -> dax_break_layout_inode() = "
		"dax_break_layout(inode, 0, LLONG_MAX) (v6.18.2 L4357-4362, "
		"include/linux/dax.h L271-274); only fuse passes a narrower range",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_DAX_INVALIDATE_WAKE_ALL] = { "dax-invalidate-wake-all",
		"deleting or invalidating a DAX entry (truncate, punch hole, write(2)'s "
		"invalidation) wakes every task asleep on it, not the next one only; on in modern. "
		"Without it (v4.7 to v5.11) a woken task that finds the entry gone and does not lock "
		"one passes no wakeup on, and the next sleeper sleeps for good "
		"(examples/dax-2017-truncate-lost-wakeup.scn)", false,
		"\"dax: Wake up all waiters after invalidating dax entry\" (Vivek Goyal, 2021; v5.12 "
		"believed, not checked at the tag); as read in 6.1.20 fs/dax.c __dax_invalidate_entry() "
		"L753-L775, put_unlocked_entry(&xas, entry, WAKE_ALL) L773; v4.14.177 "
		"__dax_invalidate_mapping_entry() L441-L462 wakes one (put_unlocked_mapping_entry(), "
		"L291-L299, and nothing for a NULL entry)",
		1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_UNBIND_MEMORY] = { "unbind-memory",
		"unbind as seed 003's pmem \"as memory\": it sleeps while any VMA maps a DAX file, "
		"and munmap or exit of the last one wakes it; off in every policy (no kernel did it)", false,
		"seed 003 (Dan Williams, 2015-12, on get_user_pages() for DAX): \"pin the driver while "
		"any dax vma is open\", the coarse choice he offered Andrew Morton",
		1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_UNBIND_STORAGE] = { "unbind-storage",
		"unbind as seed 003's pmem \"as storage\": the device is marked dead, every DAX PTE and "
		"pmd of every file is unmapped from every process (COW pages stay), so later accesses "
		"fault and get SIGBUS, and it waits only for pins in flight: it sleeps until the last "
		"gup or pin reference on a pmem page is released (outside a thread: a hang); off in "
		"every policy; not with unbind-memory", false,
		"seed 003: \"pin it active only while i/o is in flight and forcibly revoke mappings on "
		"an unbind/remove event\"; no release up to 6.1 does it for ext4 (6.1 kill_dax() "
		"notifies a registered holder only, and ext4 registers none; XFS's pre-remove "
		"notification that unmaps came in v6.10)",
		1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 | 1u << POLICY_MODERN },
	[SW_GUP_LONGTERM] = { "gup-longterm",
		"get_user_pages_longterm() for a `longterm` gup or pin: get_user_pages() first "
		"(faulting the pages in), then, if any page's VMA is fsdax, every page put again and "
		"-EOPNOTSUPP; off in dax-2017 (v4.14 has no such call: without it a `longterm` gup or "
		"pin is the get_user_pages() RDMA's ib_umem_get() called)",
		false,
		"v4.15 mm/gup.c get_user_pages_longterm(), in the linux-4.14.177 tree as a stable "
		"backport (mm/gup.c L1126-1174); 6.1 refuses before any fault instead (check_vma_flags())",
		1u << POLICY_DAX_2017 },
	[SW_NFIT_MCE] = { "nfit-mce",
		"the pmem is described by ACPI NFIT, as on real NVDIMM machines: a load that consumes a "
		"media error also runs the nfit driver's machine-check notifier, which adds the poisoned "
		"cache line to the bus's bad ranges and revalidates the pmem badblocks, so the sector "
		"becomes a badblock and a later fault of the page gets -EIO (SIGBUS BUS_ADRERR) instead of "
		"mapping it again; the kernel runs the notifier from a work queue soon after the machine "
		"check, the model at it. Off: pmem from memmap= (e820), the rig's, which has no notifier",
		false,
		"nfit_handle_mce(), drivers/acpi/nfit/mce.c (linux-4.14.177 L22-87, 6.1.20 the same): "
		"nvdimm_bus_add_poison()/nvdimm_bus_add_badrange() of the L1_CACHE_BYTES line, "
		"nvdimm_region_notify(NVDIMM_REVALIDATE_POISON) -> nvdimm_badblocks_populate(); v4.5 has "
		"no such notifier. What 6.x users see: \"any other process issues a 'load' to the poisoned "
		"page ... receives a SIGBUS with si_code = BUS_ADRERR\" (\"dax: enable dax fault handler to report VM_FAULT_HWPOISON\", 2023)",
		(1u << POLICY_DAX_2017) | (1u << POLICY_MODERN) },
};

int policy_lookup(const char *name)
{
	for (int i = 0; i < NR_POLICIES; i++)
		if (strcmp(policy_names[i], name) == 0)
			return i;
	return -1;
}

int switch_lookup(const char *name)
{
	for (int i = 0; i < NR_SWITCHES; i++)
		if (strcmp(switch_descs[i].name, name) == 0)
			return i;
	return -1;
}

bool policy_modelled(enum policy_id id)
{
	return id == POLICY_XIP_2014 || id == POLICY_DAX_2014 || id == POLICY_DAX_2016 ||
	       id == POLICY_DAX_2017 || id == POLICY_MODERN;
}

void policy_init(struct policy *p, enum policy_id id)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->sw[SW_EXT4_ZEROOUT] = id == POLICY_DAX_2014 || id == POLICY_DAX_2016 ||
				 id == POLICY_DAX_2017 || id == POLICY_MODERN;
	/*
	 * modern (v6.1) is dax-2017's code with the changes since v4.14 on,
	 * one switch each (docs/eras/modern.md, "What the model has").
	 */
	if (id == POLICY_MODERN) {
		p->sw[SW_DAX_MKCLEAN_RANGE] = 1;
		p->sw[SW_DAX_NO_MIXEDMAP] = 1;
		p->sw[SW_MAP_SYNC] = 1;
		p->sw[SW_EXT4_BREAK_LAYOUTS] = 1;
		p->sw[SW_PMD_INSERT_CHECKS] = 1;
		p->sw[SW_DAX_XARRAY] = 1;
		p->sw[SW_DAX_PMD_SIGBUS_FIRST] = 1;
		p->sw[SW_DAX_READ_DIRTY] = 1;
		p->sw[SW_FILEMAP_FAULT_RETRY] = 1;
		p->sw[SW_THP_UNMAPPED_AREA_ANY_FILE] = 1;
		p->sw[SW_MREMAP_DEVMAP_PMD] = 1;
		p->sw[SW_DAX_INVALIDATE_WAKE_ALL] = 1;
	}
}
