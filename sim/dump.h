/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dumps for the failure story and the smaps view: what the PTEs, the
 * radix entries and the block map hold around an object, in symbolic
 * names (process A, mapping m, file data, block 37), never host addresses.
 */
#ifndef MMSIM_DUMP_H
#define MMSIM_DUMP_H

#include "invariants.h"
#include "kernel.h"

struct dump_ctx {
	struct kernel *k;
	struct namer namer;
};

void dump_pte_desc(const struct dump_ctx *d, pte_t pte, char *buf, size_t len);
void dump_entry_desc(struct inode *inode, pgoff_t index, char *buf, size_t len);
/* The PTEs of @mm around @addr. */
void dump_mm_around(const struct dump_ctx *d, struct mm_struct *mm,
		    unsigned long addr, GString *out);
/* i_size, the entries, the block map and every PTE mapping around @index. */
void dump_file_around(const struct dump_ctx *d, struct inode *inode,
		      pgoff_t index, GString *out);
void dump_violation(const struct dump_ctx *d, const struct violation *v,
		    GString *out);

/* /proc/pid/smaps for [start, end) of a process (fs/proc/task_mmu.c), in kB. */
struct smaps {
	uint64_t size, rss, pss, shared_clean, shared_dirty, private_clean,
		 private_dirty, referenced, anonymous, anon_huge;
};
/* struct mem_size_stats (fs/proc/task_mmu.c, v4.14): bytes; pss << 12. */
struct mem_size_stats {
	uint64_t resident, shared_clean, shared_dirty, private_clean, private_dirty,
		 referenced, anonymous, anonymous_thp, pss;
	uint64_t pss_dirty;	/* 6.1's Pss_Dirty (smaps_page_accumulate) */
};
void smaps_vma(struct kernel *k, struct vm_area_struct *vma, struct mem_size_stats *mss);
/* The kB figures of each VMA's smaps block in [start, end), added up. */
void smaps_walk(struct kernel *k, struct mm_struct *mm, unsigned long start,
		unsigned long end, struct smaps *sm);
uint64_t smaps_field(const struct smaps *sm, const char *key);


/* `show`: the kernel's own formats (see each function). */
void show_maps(const struct dump_ctx *d, struct mm_struct *mm, GString *out);
void show_smaps(const struct dump_ctx *d, struct mm_struct *mm, unsigned long start,
		unsigned long end, GString *out);
void show_status(struct mm_struct *mm, GString *out);
void show_pte(const struct dump_ctx *d, struct mm_struct *mm, unsigned long addr, GString *out);
void show_entry(struct inode *inode, const char *name, pgoff_t index, GString *out);
void show_block(struct kernel *k, struct inode *inode, const char *name, pgoff_t index,
		GString *out);
void show_tree(struct inode *inode, const char *name, GString *out);

#endif
