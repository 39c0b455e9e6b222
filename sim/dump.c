// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dax.h"
#include "dump.h"
#include "fs.h"
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
		snprintf(buf, len, "a page-cache page");
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
		pte_t *ptep = pte_lookup(mm, a);
		char where[64], desc[128];

		if (!vma || vma->vm_start > a)
			continue;
		d->namer.addr(d->namer.ctx, mm, a, where, sizeof(where));
		dump_pte_desc(d, ptep ? *ptep : (pte_t){ 0 }, desc, sizeof(desc));
		g_string_append_printf(out, "    %s%-16s %s", a == (addr & PAGE_MASK) ? "> " : "  ",
				       where, desc);
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
			pte_t *ptep;
			char where[64], desc[128];

			addr = vma->vm_start + ((i - vma->vm_pgoff) << PAGE_SHIFT);
			ptep = pte_lookup(vma->vm_mm, addr);
			if (!ptep || !pte_present(*ptep))
				continue;
			d->namer.addr(d->namer.ctx, vma->vm_mm, addr, where, sizeof(where));
			dump_pte_desc(d, *ptep, desc, sizeof(desc));
			g_string_append_printf(out, "        PTE of process %s %s: %s\n",
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

void smaps_walk(struct kernel *k, struct mm_struct *mm, unsigned long start,
		unsigned long end, struct smaps *sm)
{
	memset(sm, 0, sizeof(*sm));
	for (unsigned long a = start; a < end;) {
		struct vm_area_struct *vma = find_vma(mm, a);
		unsigned long s, e, addr;
		pte_t *ptep;

		if (!vma || vma->vm_start >= end)
			break;
		s = vma->vm_start > a ? vma->vm_start : a;
		e = vma->vm_end < end ? vma->vm_end : end;
		sm->size += (e - s) >> 10;
		addr = s;
		while ((ptep = pte_next_present(mm, &addr, e))) {
			/* smaps_pte_entry(): only pages vm_normal_page() finds count */
			struct page *page = vm_normal_page(k, vma, addr, *ptep);
			bool dirty;

			addr += PAGE_SIZE;
			if (!page)
				continue;
			dirty = pte_dirty(*ptep) || (page->flags & PG_dirty);
			sm->rss += 4;
			if (pte_young(*ptep) || (page->flags & PG_referenced))
				sm->referenced += 4;
			if (page->flags & PG_anon)
				sm->anonymous += 4;
			if (page->mapcount >= 2) {
				sm->pss += 4 / page->mapcount;
				if (dirty)
					sm->shared_dirty += 4;
				else
					sm->shared_clean += 4;
			} else {
				sm->pss += 4;
				if (dirty)
					sm->private_dirty += 4;
				else
					sm->private_clean += 4;
			}
		}
		a = e;
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
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(f); i++)
		if (strcmp(f[i].n, key) == 0)
			return *(const uint64_t *)((const char *)sm + f[i].off);
	return 0;
}
