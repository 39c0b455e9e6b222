// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dax.h"
#include "dump.h"
#include "ext4.h"
#include "huge_mm.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"

void dump_pte_desc(const struct dump_ctx *d, pte_t pte, char *buf, size_t len)
{
	unsigned long pfn = pte_pfn(pte);
	char what[48];

	if (!pte_present(pte)) {
		snprintf(buf, len, "none");
		return;
	}
	if (is_zero_pfn(d->k, pfn))
		snprintf(what, sizeof(what), "the zero page");
	else if (is_huge_zero_pfn(d->k, pfn))
		snprintf(what, sizeof(what), "the huge zero page + %#lx",
			 (pfn - d->k->dram.huge_zero_page->pfn) << PAGE_SHIFT);
	else if (d->k->xip_sparse_page && pfn == d->k->xip_sparse_page->pfn)
		snprintf(what, sizeof(what), "the XIP sparse page (DRAM page #%lu)",
			 d->k->xip_sparse_page->serial);
	else if (pfn_is_pmem(d->k, pfn))
		snprintf(what, sizeof(what), "block %lu%s", pfn - PMEM_BASE_PFN,
			 pmem_page_durable(d->k, pfn) ? "" : " (lines not durable)");
	else if (pfn_is_dram(d->k, pfn) && pfn_to_page(d->k, pfn))
		snprintf(what, sizeof(what), "%s page #%lu",
			 pfn_to_page(d->k, pfn)->flags & PG_anon ? "anonymous" : "DRAM",
			 pfn_to_page(d->k, pfn)->serial);
	else
		snprintf(what, sizeof(what), "freed pfn %#lx", pfn);
	snprintf(buf, len, "present %s %s %s%s -> %s", pte_write(pte) ? "rw" : "ro",
		 pte_dirty(pte) ? "dirty" : "clean", pte_young(pte) ? "young" : "old",
		 pte_special(pte) ? " special" : "", what);
}

void dump_entry_desc(struct inode *inode, pgoff_t index, char *buf, size_t len)
{
	struct radix_tree_root *tree = &inode->i_data.page_tree;
	void *entry = radix_tree_lookup(tree, index);
	char kind[32];

	if (!entry) {
		snprintf(buf, len, "none");
		return;
	}
	if (!radix_tree_exceptional_entry(entry)) {
		const struct page *page = entry;

		snprintf(buf, len, "page #%lu%s", page->serial,
			 radix_tree_tag_get(tree, index, PAGECACHE_TAG_DIRTY) ? " DIRTY" : "");
		return;
	}
	if (dax_is_empty_entry(entry))
		snprintf(kind, sizeof(kind), "empty");
	else if (dax_is_zero_entry(entry))
		snprintf(kind, sizeof(kind), "zero");
	else
		snprintf(kind, sizeof(kind), "block %lu", dax_entry_block(entry));
	snprintf(buf, len, "%s%s%s%s", kind, dax_is_locked(entry) ? " locked" : "",
		 radix_tree_tag_get(tree, index, PAGECACHE_TAG_DIRTY) ? " DIRTY" : "",
		 radix_tree_tag_get(tree, index, PAGECACHE_TAG_TOWRITE) ? " TOWRITE" : "");
}

void dump_mm_around(const struct dump_ctx *d, struct mm_struct *mm,
		    unsigned long addr, GString *out)
{
	unsigned long a = (addr & PAGE_MASK) >= 2 * PAGE_SIZE ? (addr & PAGE_MASK) - 2 * PAGE_SIZE : 0;

	g_string_append_printf(out, "  process %s page tables around the address:\n",
			       d->namer.proc(d->namer.ctx, mm));
	for (int i = 0; i < 5; i++, a += PAGE_SIZE) {
		struct vm_area_struct *vma = find_vma(mm, a);
		bool huge;
		pte_t pte = follow_pte_or_pmd(mm, a, &huge);
		char where[64], desc[128];

		if (!vma || vma->vm_start > a)
			continue;
		d->namer.addr(d->namer.ctx, mm, a, where, sizeof(where));
		dump_pte_desc(d, pte, desc, sizeof(desc));
		g_string_append_printf(out, "    %s%-16s %s%s", a == (addr & PAGE_MASK) ? "> " : "  ",
				       where, huge ? "huge pmd, " : "", desc);
		if (vma->vm_file)
			g_string_append_printf(out, "   (file %s index %lu)",
					       d->namer.file(d->namer.ctx, vma->vm_file->inode),
					       linear_page_index(vma, a));
		g_string_append_c(out, '\n');
	}
}

void dump_file_around(const struct dump_ctx *d, struct inode *inode,
		      pgoff_t index, GString *out)
{
	const char *name = d->namer.file(d->namer.ctx, inode);
	pgoff_t first = index >= 2 ? index - 2 : 0;

	g_string_append_printf(out, "  file %s: i_size %lld, %lu blocks; around index %lu:\n",
			       name, (long long)inode->i_size, inode->i_blocks, index);
	for (pgoff_t i = first; i <= index + 2; i++) {
		unsigned long block = 0;
		enum block_state st = ext4_block_lookup(inode, i, &block);
		char entry[80], blk[40];

		dump_entry_desc(inode, i, entry, sizeof(entry));
		if (st == BLOCK_HOLE)
			snprintf(blk, sizeof(blk), "hole");
		else
			snprintf(blk, sizeof(blk), "%s block %lu",
				 st == BLOCK_UNWRITTEN ? "unwritten" : "written", block);
		g_string_append_printf(out, "    %sindex %-6lu entry %-24s map %s\n",
				       i == index ? "> " : "  ", i, entry, blk);
		struct vm_area_struct *vma;

		vma_interval_tree_foreach(vma, &inode->i_data.i_mmap, i, i) {
			unsigned long addr;
			bool huge;
			pte_t pte;
			char where[64], desc[128];

			addr = vma->vm_start + ((i - vma->vm_pgoff) << PAGE_SHIFT);
			pte = follow_pte_or_pmd(vma->vm_mm, addr, &huge);
			if (!pte_present(pte))
				continue;
			d->namer.addr(d->namer.ctx, vma->vm_mm, addr, where, sizeof(where));
			dump_pte_desc(d, pte, desc, sizeof(desc));
			g_string_append_printf(out, "        %s of process %s %s: %s\n",
					       huge ? "huge PMD" : "PTE",
					       d->namer.proc(d->namer.ctx, vma->vm_mm), where, desc);
		}
	}
}

void dump_violation(const struct dump_ctx *d, const struct violation *v,
		    GString *out)
{
	if (v->inode)
		dump_file_around(d, v->inode, v->index, out);
	if (v->mm && g_ptr_array_find(d->k->mms, v->mm, NULL)) {
		struct vm_area_struct *vma = find_vma(v->mm, v->addr);

		if (!v->inode && vma && vma->vm_file && vma->vm_start <= v->addr)
			dump_file_around(d, vma->vm_file->inode,
					 linear_page_index(vma, v->addr), out);
		dump_mm_around(d, v->mm, v->addr, out);
	}
}

/*
 * smaps_pte_range() -> smaps_pte_entry() -> smaps_account() over one VMA
 * (fs/proc/task_mmu.c, v4.14): bytes, Pss in bytes << PSS_SHIFT.
 */
#define PSS_SHIFT	12

/*
 * One page's share, as smaps_account() adds it (v4.14; v6.18.2
 * fs/proc/task_mmu.c L903, smaps_page_accumulate() L873): private when
 * the folio has a single reference (mapped exactly once) or the page fewer
 * than two mappings, else shared with Pss divided by its mapcount.
 */
static void smaps_account_page(struct mem_size_stats *mss, const struct page *folio,
			       int mapcount, bool dirty)
{
	uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;
	bool private = folio->refcount == 1 || mapcount < 2;

	if (!private)
		pss /= mapcount;
	mss->pss += pss;
	if (dirty) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += PAGE_SIZE;
		else
			mss->shared_dirty += PAGE_SIZE;
	} else if (private) {
		mss->private_clean += PAGE_SIZE;
	} else {
		mss->shared_clean += PAGE_SIZE;
	}
}

/*
 * smaps_pmd_entry(), v4.14: the huge zero page is skipped (FOLL_DUMP); a
 * DAX pmd's page is a ZONE_DEVICE page, which smaps_account() counts by
 * its compound order, 0: 4 kB for the 2 MiB, private (page_count() is 1:
 * nothing holds a pmem page), dirty by the pmd's dirty bit. v4.5
 * (dax-2016, fs/proc/task_mmu.c L571-583) also adds HPAGE_PMD_SIZE to
 * AnonHugePages for every pmd follow_trans_huge_pmd() gives a page for
 * (v4.14 only for PageAnon()); its VM_BUG_ON_PAGE(!PageHead) is a no-op
 * without CONFIG_DEBUG_VM. A folio pmd (dax-folio-refcount, v6.18.2
 * smaps_pmd_entry() L1088 with vm_normal_page_pmd()) counts its whole
 * folio, compound_nr() = 512 pages, each with its mapcount (the folio's
 * pmds plus its own PTEs); a zone-device folio adds nothing to
 * FilePmdMapped.
 */
static void smaps_huge_pmds(struct kernel *k, struct vm_area_struct *vma,
			    struct mem_size_stats *mss)
{
	unsigned long addr = vma->vm_start;
	pmd_t *pmdp;

	while ((pmdp = pmd_next_huge(vma->vm_mm, &addr, vma->vm_end))) {
		struct page *folio = vm_normal_page_pmd(k, *pmdp);

		if (folio) {
			mss->resident += PMD_SIZE;
			if (pmd_young(*pmdp))
				mss->referenced += PMD_SIZE;
			for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
				smaps_account_page(mss, folio, folio->entire_mapcount +
						   pfn_to_page(k, folio->pfn + i)->mapcount,
						   pmd_dirty(*pmdp));
		} else if (!is_huge_zero_pfn(k, pmd_pfn(*pmdp))) {
			if (k->policy.id == POLICY_DAX_2016)
				mss->anonymous_thp += PMD_SIZE;
			mss->resident += PAGE_SIZE;
			if (pmd_young(*pmdp))
				mss->referenced += PAGE_SIZE;
			smaps_account_page(mss, &(struct page){ .refcount = 1 }, 1,
					   pmd_dirty(*pmdp));
		}
		addr += PMD_SIZE;
		if (!addr)
			break;
	}
}

/*
 * smaps_pte_entry(): only pages vm_normal_page() finds count: not the
 * zero page nor 6.1's DAX blocks (special), a DAX folio's page
 * (dax-folio-refcount) as a file page. A page-cache page's PG_dirty
 * counts as a dirty PTE (folio_test_dirty()).
 */
void smaps_vma(struct kernel *k, struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	unsigned long addr = vma->vm_start;
	pte_t *ptep;

	memset(mss, 0, sizeof(*mss));
	smaps_huge_pmds(k, vma, mss);
	while ((ptep = pte_next_present(vma->vm_mm, &addr, vma->vm_end))) {
		struct page *page = vm_normal_page(k, vma, addr, *ptep);
		bool dirty = pte_dirty(*ptep) || (page && (page->flags & PG_dirty));
		bool young = pte_young(*ptep);
		struct page *folio;

		addr += PAGE_SIZE;
		if (!page)
			continue;
		folio = page_folio(page);
		/* PageAnon pages are swap-backed here: LazyFree stays 0 */
		if (page->flags & PG_anon)
			mss->anonymous += PAGE_SIZE;
		mss->resident += PAGE_SIZE;
		if (young || (page->flags & PG_referenced))
			mss->referenced += PAGE_SIZE;
		smaps_account_page(mss, folio, folio->entire_mapcount + page->mapcount, dirty);
	}
}

void smaps_walk(struct kernel *k, struct mm_struct *mm, unsigned long start,
		unsigned long end, struct smaps *sm)
{
	memset(sm, 0, sizeof(*sm));
	for (unsigned long a = start; a < end;) {
		struct vm_area_struct *vma = find_vma(mm, a);
		struct mem_size_stats mss;

		if (!vma || vma->vm_start >= end)
			break;
		/* one smaps block per VMA, as a user adding them up would */
		smaps_vma(k, vma, &mss);
		sm->size += (vma->vm_end - vma->vm_start) >> 10;
		sm->rss += mss.resident >> 10;
		sm->pss += mss.pss >> (10 + PSS_SHIFT);
		sm->shared_clean += mss.shared_clean >> 10;
		sm->shared_dirty += mss.shared_dirty >> 10;
		sm->private_clean += mss.private_clean >> 10;
		sm->private_dirty += mss.private_dirty >> 10;
		sm->referenced += mss.referenced >> 10;
		sm->anonymous += mss.anonymous >> 10;
		sm->anon_huge += mss.anonymous_thp >> 10;
		a = vma->vm_end;
	}
}

uint64_t smaps_field(const struct smaps *sm, const char *key)
{
	static const struct { const char *n; size_t off; } f[] = {
		{ "Size", offsetof(struct smaps, size) },
		{ "Rss", offsetof(struct smaps, rss) },
		{ "Pss", offsetof(struct smaps, pss) },
		{ "Shared_Clean", offsetof(struct smaps, shared_clean) },
		{ "Shared_Dirty", offsetof(struct smaps, shared_dirty) },
		{ "Private_Clean", offsetof(struct smaps, private_clean) },
		{ "Private_Dirty", offsetof(struct smaps, private_dirty) },
		{ "Referenced", offsetof(struct smaps, referenced) },
		{ "Anonymous", offsetof(struct smaps, anonymous) },
		{ "AnonHugePages", offsetof(struct smaps, anon_huge) },
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(f); i++)
		if (strcmp(f[i].n, key) == 0)
			return *(const uint64_t *)((const char *)sm + f[i].off);
	return 0;
}

/* ---- what `show` prints, in the kernel's formats ---- */

/*
 * show_map_vma() (fs/proc/task_mmu.c, v4.14): the header of a maps line or
 * an smaps block, padded to 25 + 6 * sizeof(void *) - 1 columns
 * (seq_setwidth(), seq_pad()) before the path. The path is the file's
 * scenario name.
 */
static void show_map_vma(const struct dump_ctx *d, struct vm_area_struct *vma, GString *out)
{
	unsigned long flags = vma->vm_flags;
	struct inode *inode = vma->vm_file ? vma->vm_file->inode : NULL;
	gsize start = out->len;

	g_string_append_printf(out, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
			       vma->vm_start, vma->vm_end,
			       flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
			       flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p',
			       inode ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0ULL,
			       inode ? MAJOR(d->k->sb.s_dev) : 0, inode ? MINOR(d->k->sb.s_dev) : 0,
			       inode ? inode->i_ino : 0);
	if (inode) {
		while (out->len - start < 25 + 6 * sizeof(void *) - 1)
			g_string_append_c(out, ' ');
		g_string_append_printf(out, " %s", d->namer.file(d->namer.ctx, inode));
	}
	g_string_append_c(out, '\n');
}

/* show_smap_vma_flags(): the mnemonics of the bits mmsim's VMAs carry, in bit order. */
static void show_smap_vma_flags(struct vm_area_struct *vma, GString *out)
{
	static const struct { unsigned long flag; const char *name; } mnemonics[] = {
		{ VM_READ, "rd" }, { VM_WRITE, "wr" }, { VM_EXEC, "ex" }, { VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" }, { VM_MAYWRITE, "mw" }, { VM_MAYEXEC, "me" },
		{ VM_MAYSHARE, "ms" }, { VM_LOCKED, "lo" }, { VM_SYNC, "sf" }, { VM_MIXEDMAP, "mm" },
		{ VM_HUGEPAGE, "hg" }, { VM_NOHUGEPAGE, "nh" },
	};

	g_string_append(out, "VmFlags: ");
	for (unsigned i = 0; i < G_N_ELEMENTS(mnemonics); i++)
		if (vma->vm_flags & mnemonics[i].flag)
			g_string_append_printf(out, "%s ", mnemonics[i].name);
	g_string_append_c(out, '\n');
}

/*
 * show_smap() -> __show_smap(), 6.1 fs/proc/task_mmu.c L810-870, for
 * modern: Pss_Dirty after Pss, FilePmdMapped (0: a DAX pmd's page is
 * ZONE_DEVICE, skipped, L598-599), and THPeligible after Locked:
 * hugepage_vma_check(vma, flags, smaps=true, in_pf=false, ...) returns
 * in_pf, false, for a DAX VMA (mm/huge_memory.c L94-96), and false with
 * VM_NOHUGEPAGE. ProtectionKey, printed when the CPU has pkeys, is left
 * out.
 */
static void show_smap_6_1(struct vm_area_struct *vma, const struct mem_size_stats *mss,
			  GString *out)
{
	g_string_append_printf(out,
		"Size:           %8lu kB\n"
		"KernelPageSize: %8lu kB\n"
		"MMUPageSize:    %8lu kB\n"
		"Rss:            %8lu kB\n"
		"Pss:            %8lu kB\n"
		"Pss_Dirty:      %8lu kB\n"
		"Shared_Clean:   %8lu kB\n"
		"Shared_Dirty:   %8lu kB\n"
		"Private_Clean:  %8lu kB\n"
		"Private_Dirty:  %8lu kB\n"
		"Referenced:     %8lu kB\n"
		"Anonymous:      %8lu kB\n"
		"LazyFree:       %8lu kB\n"
		"AnonHugePages:  %8lu kB\n"
		"ShmemPmdMapped: %8lu kB\n"
		"FilePmdMapped:  %8lu kB\n"
		"Shared_Hugetlb: %8lu kB\n"
		"Private_Hugetlb: %7lu kB\n"
		"Swap:           %8lu kB\n"
		"SwapPss:        %8lu kB\n"
		"Locked:         %8lu kB\n"
		"THPeligible:    %d\n",
		(vma->vm_end - vma->vm_start) >> 10, PAGE_SIZE >> 10, PAGE_SIZE >> 10,
		(unsigned long)(mss->resident >> 10),
		(unsigned long)(mss->pss >> (10 + PSS_SHIFT)),
		(unsigned long)(mss->pss_dirty >> (10 + PSS_SHIFT)),
		(unsigned long)(mss->shared_clean >> 10),
		(unsigned long)(mss->shared_dirty >> 10),
		(unsigned long)(mss->private_clean >> 10),
		(unsigned long)(mss->private_dirty >> 10),
		(unsigned long)(mss->referenced >> 10),
		(unsigned long)(mss->anonymous >> 10),
		0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL,
		/* pss_locked: no VMA is VM_LOCKED (mlock is not in the language) */
		0UL,
		0 /* every VMA mmsim maps is DAX */);
	show_smap_vma_flags(vma, out);
}

void show_maps(const struct dump_ctx *d, struct mm_struct *mm, GString *out)
{
	for (struct vm_area_struct *vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end))
		show_map_vma(d, vma, out);
}

/* show_smap(), v4.14: one block for each VMA of [start, end). */
void show_smaps(const struct dump_ctx *d, struct mm_struct *mm, unsigned long start,
		unsigned long end, GString *out)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = find_vma(mm, vma->vm_end)) {
		struct mem_size_stats mss;

		smaps_vma(d->k, vma, &mss);
		show_map_vma(d, vma, out);
		if (d->k->policy.id == POLICY_MODERN) {
			show_smap_6_1(vma, &mss, out);
			continue;
		}
		g_string_append_printf(out,
			"Size:           %8lu kB\n"
			"KernelPageSize: %8lu kB\n"
			"MMUPageSize:    %8lu kB\n"
			"Rss:            %8lu kB\n"
			"Pss:            %8lu kB\n"
			"Shared_Clean:   %8lu kB\n"
			"Shared_Dirty:   %8lu kB\n"
			"Private_Clean:  %8lu kB\n"
			"Private_Dirty:  %8lu kB\n"
			"Referenced:     %8lu kB\n"
			"Anonymous:      %8lu kB\n"
			"LazyFree:       %8lu kB\n"
			"AnonHugePages:  %8lu kB\n"
			"ShmemPmdMapped: %8lu kB\n"
			"Shared_Hugetlb: %8lu kB\n"
			"Private_Hugetlb: %7lu kB\n"
			"Swap:           %8lu kB\n"
			"SwapPss:        %8lu kB\n"
			"Locked:         %8lu kB\n",
			(vma->vm_end - vma->vm_start) >> 10, PAGE_SIZE >> 10, PAGE_SIZE >> 10,
			(unsigned long)(mss.resident >> 10),
			(unsigned long)(mss.pss >> (10 + PSS_SHIFT)),
			(unsigned long)(mss.shared_clean >> 10),
			(unsigned long)(mss.shared_dirty >> 10),
			(unsigned long)(mss.private_clean >> 10),
			(unsigned long)(mss.private_dirty >> 10),
			(unsigned long)(mss.referenced >> 10),
			(unsigned long)(mss.anonymous >> 10),
			0UL, (unsigned long)(mss.anonymous_thp >> 10), 0UL, 0UL, 0UL, 0UL, 0UL,
			/* pss_locked: no VMA is VM_LOCKED (mlock is not in the language) */
			0UL);
		show_smap_vma_flags(vma, out);
	}
}

/* task_mem() (fs/proc/task_mmu.c, v4.14): the rss lines of /proc/PID/status. */
void show_status(struct mm_struct *mm, GString *out)
{
	unsigned long anon = mm->rss[MM_ANONPAGES], file = mm->rss[MM_FILEPAGES];

	g_string_append_printf(out,
		"VmRSS:\t%8lu kB\n"
		"RssAnon:\t%8lu kB\n"
		"RssFile:\t%8lu kB\n"
		"RssShmem:\t%8lu kB\n",
		(anon + file) << (PAGE_SHIFT - 10), anon << (PAGE_SHIFT - 10),
		file << (PAGE_SHIFT - 10), 0UL);
}

/* One PTE, with the walk that found it. */
void show_pte(const struct dump_ctx *d, struct mm_struct *mm, unsigned long addr, GString *out)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	pte_t *ptep = pte_lookup(mm, addr & PAGE_MASK);
	bool huge;
	pte_t pte = follow_pte_or_pmd(mm, addr & PAGE_MASK, &huge);
	char where[64], desc[128];

	d->namer.addr(d->namer.ctx, mm, addr, where, sizeof(where));
	dump_pte_desc(d, pte, desc, sizeof(desc));
	g_string_append_printf(out, "pte %s %s (%#lx): ", d->namer.proc(d->namer.ctx, mm),
			       where, addr);
	if (huge)
		g_string_append_printf(out, "huge pmd %#lx-%#lx, ", addr & PMD_MASK,
				       (addr & PMD_MASK) + PMD_SIZE);
	else if (!ptep)
		g_string_append(out, "no PTE table, ");
	g_string_append(out, desc);
	if (pte_present(pte))
		g_string_append_printf(out, ", pfn %#lx", pte_pfn(pte));
	if (vma && vma->vm_start <= addr && vma->vm_file)
		g_string_append_printf(out, "; file %s index %lu",
				       d->namer.file(d->namer.ctx, vma->vm_file->inode),
				       linear_page_index(vma, addr));
	else if (!vma || vma->vm_start > addr)
		g_string_append(out, "; no VMA");
	g_string_append_c(out, '\n');
}

void show_entry(struct inode *inode, const char *name, pgoff_t index, GString *out)
{
	struct radix_tree_iter iter;
	char desc[96];

	dump_entry_desc(inode, index, desc, sizeof(desc));
	g_string_append_printf(out, "entry %s %lu: %s", name, index, desc);
	if (radix_tree_lookup_iter(&inode->i_data.page_tree, index, &iter) && iter.order)
		g_string_append_printf(out, " (order %u: indices %lu-%lu)", iter.order, iter.index,
				       iter.index + (1UL << iter.order) - 1);
	g_string_append_c(out, '\n');
}

void show_block(struct kernel *k, struct inode *inode, const char *name, pgoff_t index,
		GString *out)
{
	unsigned long block = 0;
	enum block_state st = ext4_block_lookup(inode, index, &block);

	g_string_append_printf(out, "block %s %lu: ", name, index);
	if (st == BLOCK_HOLE) {
		g_string_append(out, "hole\n");
		return;
	}
	g_string_append_printf(out, "%s block %lu (pfn %#lx), %s\n",
			       st == BLOCK_UNWRITTEN ? "unwritten" : "written", block,
			       block_pfn(block), pmem_page_durable(k, block_pfn(block)) ?
			       "every line durable" : "lines not yet durable");
}

/*
 * The tree drawn as lib/radix-tree.c's dump_node() (v4.14) prints it, one
 * line a node and one a slot, nodes and entries by symbolic names. Tags are
 * printed as the kernel's three page-cache tags: DIRTY, WRITEBACK (never set
 * on a DAX tree) and TOWRITE.
 */
struct tree_dump {
	GString *out;
	struct inode *inode;
};

static void tree_node(void *ctx, const struct radix_tree_node *node, int id, int parent,
		      unsigned long first, unsigned long last, unsigned exceptional, int depth)
{
	struct tree_dump *t = ctx;
	char par[16] = "root";

	if (parent >= 0)
		snprintf(par, sizeof(par), "node#%d", parent);
	g_string_append_printf(t->out,
			       "%*sradix node: node#%d offset %u indices %lu-%lu parent %s tags %lx %lx %lx shift %u count %u exceptional %u\n",
			       2 * depth, "", id, node->offset, first, last, par,
			       (unsigned long)node->tags[PAGECACHE_TAG_DIRTY], 0UL,
			       (unsigned long)node->tags[PAGECACHE_TAG_TOWRITE], node->shift,
			       node->count, exceptional);
}

static void tree_slot(void *ctx, unsigned offset, unsigned long first, unsigned long last,
		      bool sibling, unsigned long canonical, int parent, int depth)
{
	struct tree_dump *t = ctx;
	char desc[96];
	dump_entry_desc(t->inode, first, desc, sizeof(desc));
	if (sibling)
		g_string_append_printf(t->out,
				       "%*sradix sblng offset %u indices %lu-%lu parent node#%d val (the entry at index %lu)\n",
				       2 * depth + 2, "", offset, first, last, parent, canonical);
	else
		g_string_append_printf(t->out,
				       "%*sradix entry [%s] offset %u indices %lu-%lu parent node#%d\n",
				       2 * depth + 2, "", desc, offset, first, last, parent);
}

void show_tree(struct inode *inode, const char *name, GString *out)
{
	struct radix_tree_root *tree = &inode->i_data.page_tree;
	struct tree_dump t = { out, inode };

	/* the kernel's tag bits: DIRTY 0, WRITEBACK 1, TOWRITE 2 */
	g_string_append_printf(out, "radix root: file %s rnode %s tags %x\n", name,
			       tree->rnode ? "node#0" : "none",
			       (radix_tree_tagged(tree, PAGECACHE_TAG_DIRTY) ? 1 : 0) |
			       (radix_tree_tagged(tree, PAGECACHE_TAG_TOWRITE) ? 4 : 0));
	radix_tree_visit(tree, tree_node, tree_slot, &t);
}
