/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel basics the model shares: sizes, fault codes and flags, with the
 * kernel's names and, where they are visible to a user, the kernel's values
 * (include/linux/mm.h, include/uapi/asm-generic/mman*.h, v4.14).
 */
#ifndef MMSIM_TYPES_H
#define MMSIM_TYPES_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef unsigned long pgoff_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_SHIFT	30
#define PGDIR_SHIFT	39
#define PTRS_PER_TABLE	512UL
#define PG_PMD_COLOUR	((PMD_SIZE >> PAGE_SHIFT) - 1)
#define TASK_SIZE	(1UL << 47)
#define L1_CACHE_BYTES	64
#define LINES_PER_PAGE	(PAGE_SIZE / L1_CACHE_BYTES)

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, a)		((((x) + (a) - 1) / (a)) * (a))
#define round_down(x, a)	(((x) / (a)) * (a))
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

/* vm_fault_t bits (include/linux/mm.h, v4.14) */
#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002
#define VM_FAULT_MAJOR		0x0004
#define VM_FAULT_WRITE		0x0008
#define VM_FAULT_SIGSEGV	0x0040
#define VM_FAULT_NOPAGE		0x0100
#define VM_FAULT_LOCKED		0x0200
#define VM_FAULT_RETRY		0x0400
#define VM_FAULT_FALLBACK	0x0800
#define VM_FAULT_DONE_COW	0x1000
#define VM_FAULT_NEEDDSYNC	0x2000	/* v4.15: ->fault must fsync, then map */
/* mmsim's own: the kernel would go down a path the model does not have yet. */
#define VM_FAULT_NOTMODELLED	0x40000000
#define VM_FAULT_ERROR	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | \
			 VM_FAULT_NOTMODELLED)

/* vm_fault flags */
#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_MKWRITE	0x02
#define FAULT_FLAG_ALLOW_RETRY	0x04
#define FAULT_FLAG_KILLABLE	0x10
#define FAULT_FLAG_TRIED	0x20
#define FAULT_FLAG_USER		0x40
/* 6.1 (include/linux/mm_types.h): a read-only FOLL_PIN asks for an exclusive anonymous page */
#define FAULT_FLAG_UNSHARE	0x400

/* dev_t (include/linux/kdev_t.h) */
#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)	(((ma) << MINORBITS) | (mi))
/* BLOCK_EXT_MAJOR: nd_pmem's disks have no fixed major (alloc_disk_node(0)) */
#define BLOCK_EXT_MAJOR	259

/* vm_flags (include/linux/mm.h, v4.14) */
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_PFNMAP	0x00000400UL
#define VM_LOCKED	0x00002000UL
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL	/* v4.15: MAP_SYNC */
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL

/* mmap(2) (uapi, x86) */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03	/* v4.15 */
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_POPULATE	0x8000
#define MAP_SYNC	0x80000		/* v4.15 */
/* include/linux/mman.h LEGACY_MAP_MASK, the members the language can set */
#define LEGACY_MAP_MASK	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_POPULATE)

#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

#define MADV_DONTNEED	4
#define MADV_REMOVE	9
#define MADV_HUGEPAGE	14
#define MADV_NOHUGEPAGE	15

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#define FALLOC_FL_NO_HIDE_STALE	0x04
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE	0x10
#define FALLOC_FL_INSERT_RANGE	0x20
#define FALLOC_FL_UNSHARE_RANGE	0x40
#define FALLOC_FL_SUPPORTED_MASK (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | \
				  FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | \
				  FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2

/* include/linux/err.h */
#define MAX_ERRNO	4095
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

/* Signals a user access can raise. */
enum user_signal { SIG_NONE = 0, SIG_SEGV, SIG_BUS };

#endif
