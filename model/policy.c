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
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 },
	[SW_BUG_NO_ISIZE_CHECK] = { "bug-no-isize-check",
		"the DAX (or XIP) fault does not check the offset against i_size", true,
		"historical: drops the pos >= i_size check of dax_iomap_pte_fault() (v4.14 fs/dax.c), "
		"or of xip_file_fault() (v3.19 mm/filemap_xip.c)",
		1u << POLICY_DAX_2017 | 1u << POLICY_XIP_2014 },
	[SW_BUG_PUNCH_NO_UNMAP] = { "bug-punch-no-unmap",
		"punch hole frees blocks without unmapping them", true,
		"historical: drops the unmap of truncate_pagecache_range() in ext4_punch_hole() (v4.14; v4.0 for dax-2014, v4.5 for dax-2016)",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 },
	[SW_BUG_MSYNC_KEEPS_DIRTY] = { "bug-msync-keeps-dirty",
		"writeback flushes an entry without clearing its DIRTY tag", true,
		"an earlier design: v4.5 to v4.9 dax_writeback_one() kept DIRTY; drops the clear of v4.14 fs/dax.c (dax-2016 keeps DIRTY by design)",
		1u << POLICY_DAX_2017 },
	[SW_BUG_COW_MAPS_BLOCK] = { "bug-cow-maps-block",
		"a private write fault maps the file block instead of copying it", true,
		"a plausible slip: drops the vmf->cow_page branch of dax_iomap_pte_fault() (v4.14)",
		1u << POLICY_DAX_2017 },
	[SW_BUG_COW_NO_RSS] = { "bug-cow-no-rss",
		"the anonymous page of a private write fault is not counted in MM_ANONPAGES", true,
		"a plausible slip: drops inc_mm_counter(MM_ANONPAGES) in alloc_set_pte() (v4.14 mm/memory.c; "
		"do_set_pte() in v4.0)",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 },
	[SW_BUG_ZAP_LEAKS_PAGE] = { "bug-zap-leaks-page",
		"zapping an anonymous page drops its mapcount but not its reference", true,
		"a plausible slip: drops put_page() in zap_pte_range() (v4.14 mm/memory.c; the same step in v3.19 and v4.0)",
		1u << POLICY_XIP_2014 | 1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 |
		1u << POLICY_DAX_2017 },
	[SW_BUG_FORK_NO_WRPROTECT] = { "bug-fork-no-wrprotect",
		"fork leaves the PTEs of a private writable mapping writable in parent and child", true,
		"a plausible slip: drops the is_cow_mapping() write-protect of copy_one_pte() (v4.14 mm/memory.c)",
		1u << POLICY_DAX_2017 },
	[SW_EXT4_ZEROOUT] = { "ext4-zeroout",
		"a write into an unwritten extent zeroes and converts up to 32 KiB of it "
		"(ext4_ext_convert_to_initialized, s_extent_max_zeroout_kb); on in dax-2014, dax-2016 and "
		"dax-2017", false,
		"v4.14 (and v4.0 and v4.5, their own cases) fs/ext4/extents.c "
		"ext4_ext_convert_to_initialized(), ext4 with unwritten extents; off is "
		"extent_max_zeroout_kb = 0",
		1u << POLICY_DAX_2014 | 1u << POLICY_DAX_2016 | 1u << POLICY_DAX_2017 },
	[SW_DAX_MKCLEAN_RANGE] = { "dax-mkclean-range",
		"writeback write-protects and cleans the PTEs and pmds of every index an entry "
		"covers (pfn_mkclean_range), not only its first index's; off in dax-2017", false,
		"\"dax: fix missing writeprotect the pte entry\" (2022, Fixes v4.10's \"dax: clear dirty "
		"entry tags on cache flush\"): dax_writeback_one() calls pfn_mkclean_range() in each "
		"VMA over [index, index + count)",
		1u << POLICY_DAX_2017 },
	[SW_DAX_MKCLEAN] = { "dax-mkclean",
		"writeback write-protects and cleans what maps an entry's first index in every "
		"shared VMA and clears DIRTY after the flush; off in dax-2016", false,
		"v4.10 \"dax: clear dirty entry tags on cache flush\": dax_writeback_one() calls "
		"dax_mapping_entry_mkclean() (linux-4.10.17 fs/dax.c L670, L806) and clears "
		"PAGECACHE_TAG_DIRTY (L815); v4.5 clears only TOWRITE",
		1u << POLICY_DAX_2016 },
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
	       id == POLICY_DAX_2017;
}

void policy_init(struct policy *p, enum policy_id id)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->sw[SW_EXT4_ZEROOUT] = id == POLICY_DAX_2014 || id == POLICY_DAX_2016 ||
				 id == POLICY_DAX_2017;
}
