/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fs_dax tracepoints of v4.14 (include/trace/events/fs_dax.h): one
 * plain record of the fields each event's TP_STRUCT__entry holds. The
 * model fills one where fs/dax.c calls trace_dax_*() and hands it to
 * k->hooks.trace; formatting is the driver's (sim/tracepoints.c).
 */
#ifndef MMSIM_TRACE_DAX_H
#define MMSIM_TRACE_DAX_H

#include "types.h"

struct mm_struct;

enum dax_trace_id {
	/* dax_pmd_fault_class */
	TRACE_DAX_PMD_FAULT,
	TRACE_DAX_PMD_FAULT_DONE,
	/* dax_pmd_load_hole_class */
	TRACE_DAX_PMD_LOAD_HOLE,
	TRACE_DAX_PMD_LOAD_HOLE_FALLBACK,
	/* dax_pmd_insert_mapping_class */
	TRACE_DAX_PMD_INSERT_MAPPING,
	TRACE_DAX_PMD_INSERT_MAPPING_FALLBACK,
	/* dax_pte_fault_class */
	TRACE_DAX_PTE_FAULT,
	TRACE_DAX_PTE_FAULT_DONE,
	TRACE_DAX_LOAD_HOLE,
	TRACE_DAX_INSERT_PFN_MKWRITE_NO_ENTRY,	/* v4.15 */
	TRACE_DAX_INSERT_PFN_MKWRITE,		/* v4.15 */
	/* TRACE_EVENT(dax_insert_mapping) */
	TRACE_DAX_INSERT_MAPPING,
	/* dax_writeback_range_class */
	TRACE_DAX_WRITEBACK_RANGE,
	TRACE_DAX_WRITEBACK_RANGE_DONE,
	/* TRACE_EVENT(dax_writeback_one) */
	TRACE_DAX_WRITEBACK_ONE,
	NR_DAX_TRACE_EVENTS,
};

/*
 * The union of the events' fields; each event sets the ones its
 * TP_fast_assign() sets. @mm is not a kernel field: it lets the driver
 * name @address, @vm_start and @vm_end the way the scenario names them.
 */
struct dax_trace_event {
	enum dax_trace_id id;
	unsigned int dev;		/* inode->i_sb->s_dev */
	unsigned long ino;
	const struct mm_struct *mm;
	unsigned long vm_start, vm_end, vm_flags;
	unsigned long address;
	pgoff_t pgoff;			/* vmf->pgoff; dax_writeback_one's pgoff */
	pgoff_t max_pgoff;
	unsigned int flags;		/* vmf->flags (FAULT_FLAG_*) */
	int result;			/* VM_FAULT_* */
	unsigned long radix_entry;	/* the entry as stored: a number, not a pointer */
	int write;			/* vmf->flags & FAULT_FLAG_WRITE */
	pgoff_t start_index, end_index;
	pgoff_t pglen;
	unsigned long zero_page_pfn;	/* dax_pmd_load_hole's zero_page, as a pfn (0: NULL) */
	long length;			/* dax_pmd_insert_mapping's length */
	unsigned long pfn;		/* ... and its pfn_t, without the flags */
};

#endif
