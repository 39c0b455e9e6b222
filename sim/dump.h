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
		 private_dirty, referenced, anonymous;
};
void smaps_walk(struct kernel *k, struct mm_struct *mm, unsigned long start,
		unsigned long end, struct smaps *sm);
uint64_t smaps_field(const struct smaps *sm, const char *key);

#endif
