// SPDX-License-Identifier: GPL-2.0
/*
 * `show`: the state in the kernel's own formats. Each expected text is
 * written from the kernel's format (v4.14 fs/proc/task_mmu.c show_smap(),
 * show_map_vma(), show_smap_vma_flags(), task_mem(); lib/radix-tree.c
 * dump_node()) and the state the scenario makes, worked out by hand.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "runner.h"

static char *run(const char *text, int *status)
{
	struct run_opts opts;
	GString *out = g_string_new(NULL);

	run_opts_init(&opts);
	*status = run_text("show.scn", text, &opts, out);
	return g_string_free(out, FALSE);
}

static void expect_shown(const char *text, const char *want)
{
	int status;
	char *out = run(text, &status);

	cr_assert_eq(status, 0, "exit %d:\n%s", status, out);
	cr_assert(strstr(out, want), "expected\n%s\nin\n%s", want, out);
	g_free(out);
}

/*
 * A private COW page: the first mapping sits at mmsim's mmap base
 * 0x7f0000000000 (8K: no 2 MiB alignment). rw-p: VM_READ|VM_WRITE, no
 * VM_MAYSHARE; dev 259:0 prints 103:00 (%02x:%02x); the first inode is 12.
 * The header pads to 25 + 6 * 8 - 1 = 72 columns, then a space and the path.
 * The anonymous page is mapped once (page_count 1: Private), dirty and young
 * after the store: Rss, Pss, Private_Dirty, Referenced, Anonymous 4 kB.
 * VmFlags in bit order: rd wr mr mw me (VM_MAY*), mm (VM_MIXEDMAP, DAX),
 * nh (MADV_NOHUGEPAGE cleared hg).
 */
Test(show, smaps_of_a_private_cow_page)
{
	expect_shown("file f size=8K data=0x11\nprocess A\n"
		     "mmap A m f prot=rw private nohuge\nstore A m+0 0x22\nshow smaps A m\n",
		     "show.scn:5: show smaps A m\n"
		     "7f0000000000-7f0000002000 rw-p 00000000 103:00 12                        f\n"
		     "Size:                  8 kB\n"
		     "KernelPageSize:        4 kB\n"
		     "MMUPageSize:           4 kB\n"
		     "Rss:                   4 kB\n"
		     "Pss:                   4 kB\n"
		     "Shared_Clean:          0 kB\n"
		     "Shared_Dirty:          0 kB\n"
		     "Private_Clean:         0 kB\n"
		     "Private_Dirty:         4 kB\n"
		     "Referenced:            4 kB\n"
		     "Anonymous:             4 kB\n"
		     "LazyFree:              0 kB\n"
		     "AnonHugePages:         0 kB\n"
		     "ShmemPmdMapped:        0 kB\n"
		     "Shared_Hugetlb:        0 kB\n"
		     "Private_Hugetlb:       0 kB\n"
		     "Swap:                  0 kB\n"
		     "SwapPss:               0 kB\n"
		     "Locked:                0 kB\n"
		     "VmFlags: rd wr mr mw me mm nh \n");
}

/* An mprotect split: one maps line a VMA, pgoff in bytes, r--s for the shared read-only part. */
Test(show, maps_after_a_split)
{
	expect_shown("file f size=16K\nprocess A\nmmap A m f prot=rw shared nohuge\n"
		     "mprotect A m 0x2000 0x2000 prot=read\nshow maps A\n",
		     "7f0000000000-7f0000002000 rw-s 00000000 103:00 12                        f\n"
		     "7f0000002000-7f0000004000 r--s 00002000 103:00 12                        f\n");
}

/* task_mem(): "%s:\t%8lu kB"; the zero page is special (not counted), the COW page is RssAnon. */
Test(show, status_and_faults)
{
	expect_shown("file f size=8K\nprocess A\nmmap A m f prot=rw private nohuge\n"
		     "load A m+0\nstore A m+0x1000 0x1\nshow status A\nshow faults A\n",
		     "VmRSS:\t       4 kB\nRssAnon:\t       4 kB\nRssFile:\t       0 kB\n"
		     "RssShmem:\t       0 kB\n"
		     "show.scn:7: show faults A\nru_minflt: 2\nru_majflt: 0\n");
}

Test(show, pte_entry_block)
{
	const char *scn = "file f size=16K\nprocess A\nmmap A m f prot=rw shared nohuge\n"
			  "load A m+0\nstore A m+0x1000 0x5a\n"
			  "show pte A m+0\nshow pte A m+0x1000\nshow pte A m+0x2000\n"
			  "show entry f 0\nshow entry f 1\nshow entry f 2\n"
			  "show block f 1\nshow block f 2\n";

	expect_shown(scn, "pte A m+0 (0x7f0000000000): present ro clean young special -> the zero page");
	/* block 0: the first block the allocator hands out */
	expect_shown(scn, "pte A m+0x1000 (0x7f0000001000): present rw dirty young special -> block 0 (lines not durable), pfn 0x100000; file f index 1\n");
	expect_shown(scn, "pte A m+0x2000 (0x7f0000002000): none; file f index 2\n");
	expect_shown(scn, "entry f 0: zero\n");
	expect_shown(scn, "entry f 1: block 0 DIRTY\n");
	expect_shown(scn, "entry f 2: none\n");
	expect_shown(scn, "block f 1: written block 0 (pfn 0x100000), lines not yet durable\n");
	expect_shown(scn, "block f 2: hole\n");
}

/*
 * Entries at 0 and 4096: the root needs shift 12 (64 * 64 indices a slot),
 * with two paths of shift 6 and shift 0 nodes under it, numbered
 * depth-first as dump_node() visits them.
 */
Test(show, tree_level_by_level)
{
	expect_shown("file f size=32M\nprocess A\nmmap A m f prot=read shared nohuge\n"
		     "load A m+0\nload A m+0x1000000\nshow tree f\n",
		     "radix root: file f rnode node#0 tags 0\n"
		     "radix node: node#0 offset 0 indices 0-262143 parent root tags 0 0 0 shift 12 count 2 exceptional 0\n"
		     "  radix node: node#1 offset 0 indices 0-4095 parent node#0 tags 0 0 0 shift 6 count 1 exceptional 0\n"
		     "    radix node: node#2 offset 0 indices 0-63 parent node#1 tags 0 0 0 shift 0 count 1 exceptional 1\n"
		     "      radix entry [zero] offset 0 indices 0-0 parent node#2\n"
		     "  radix node: node#3 offset 1 indices 4096-8191 parent node#0 tags 0 0 0 shift 6 count 1 exceptional 0\n"
		     "    radix node: node#4 offset 0 indices 4096-4159 parent node#3 tags 0 0 0 shift 0 count 1 exceptional 1\n"
		     "      radix entry [zero] offset 0 indices 4096-4096 parent node#4\n");
}

/* A DIRTY entry in slot 1: the node's DIRTY bitmap is 0x2, the root's tag bit 0. */
Test(show, tree_tags)
{
	expect_shown("file f size=8K\nprocess A\nmmap A m f prot=rw shared nohuge\n"
		     "store A m+0x1000 0x1\nshow tree f\n",
		     "radix root: file f rnode node#0 tags 1\n"
		     "radix node: node#0 offset 0 indices 0-63 parent root tags 2 0 0 shift 0 count 1 exceptional 1\n"
		     "  radix entry [block 0 DIRTY] offset 1 indices 1-1 parent node#0\n");
}

/* show checks nothing and ends no operation: an expect after it still sees the store's result. */
Test(show, takes_no_step)
{
	expect_shown("file f size=8K\nprocess A\nmmap A m f len=12K prot=rw shared nohuge\n"
		     "store A m+0x2000 0x1\nshow pte A m+0\nexpect result SIGBUS\n",
		     "PASS show.scn [dax-2017] 4 steps");
}

/*
 * modern: 6.1's __show_smap() (fs/proc/task_mmu.c L810-870) adds
 * Pss_Dirty after Pss, FilePmdMapped after ShmemPmdMapped and THPeligible
 * after Locked. A MAP_SHARED_VALIDATE|MAP_SYNC mapping of a 4 MiB file
 * (thp_get_unmapped_area: 2 MiB aligned), one store: a PMD write fault,
 * a devmap pmd, dirty and young: 4 kB in Rss, Pss, Pss_Dirty,
 * Private_Dirty and Referenced (smaps_account of an order-0 ZONE_DEVICE
 * page; the rig's fault_count aligned_write: Private_Dirty 4 kB a pmd),
 * nothing in FilePmdMapped (zone-device pages are skipped, L598-599).
 * THPeligible is hugepage_vma_check(…, in_pf=false), which returns
 * in_pf for a DAX VMA: 0. VmFlags: sh and ms (shared), sf (VM_SYNC),
 * hg (ext4's VM_HUGEPAGE), no mm (dax-no-mixedmap).
 */
Test(show, smaps_modern_map_sync_pmd)
{
	expect_shown("policy modern\nfile f size=4M data=0x11\nprocess A\n"
		     "mmap A m f prot=rw shared-validate sync\nstore A m+0 0x22\nshow smaps A m\n",
		     "show.scn:6: show smaps A m\n"
		     "7f0000000000-7f0000400000 rw-s 00000000 103:00 12                        f\n"
		     "Size:               4096 kB\n"
		     "KernelPageSize:        4 kB\n"
		     "MMUPageSize:           4 kB\n"
		     "Rss:                   4 kB\n"
		     "Pss:                   4 kB\n"
		     "Pss_Dirty:             4 kB\n"
		     "Shared_Clean:          0 kB\n"
		     "Shared_Dirty:          0 kB\n"
		     "Private_Clean:         0 kB\n"
		     "Private_Dirty:         4 kB\n"
		     "Referenced:            4 kB\n"
		     "Anonymous:             0 kB\n"
		     "LazyFree:              0 kB\n"
		     "AnonHugePages:         0 kB\n"
		     "ShmemPmdMapped:        0 kB\n"
		     "FilePmdMapped:         0 kB\n"
		     "Shared_Hugetlb:        0 kB\n"
		     "Private_Hugetlb:       0 kB\n"
		     "Swap:                  0 kB\n"
		     "SwapPss:               0 kB\n"
		     "Locked:                0 kB\n"
		     "THPeligible:    0\n"
		     "VmFlags: rd wr sh mr mw me ms sf hg \n");
}
