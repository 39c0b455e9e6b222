/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmem device's end and its media errors (docs/model.md "The device"):
 * unbind (drivers/nvdimm/pmem.c pmem_release_disk(), 6.1; nd_pmem_remove(),
 * v4.5), the badblocks list the driver checks in direct_access, latent
 * poison, and memory_failure() on a fsdax page (6.1
 * memory_failure_dev_pagemap() -> mf_generic_kill_procs(); v4.5 and v4.14
 * have no ZONE_DEVICE path: memory_failure_dax()). None of it
 * exists under xip-2014 and dax-2014 (brd, no nvdimm driver): there every
 * entry point here reports not modelled.
 */
#ifndef MMSIM_NVDIMM_H
#define MMSIM_NVDIMM_H

#include "kernel.h"

/* What a poisoned pfn is (pmem.poison's values). */
enum pmem_poison {
	POISON_LATENT = 1,	/* a media error nobody has seen yet */
	POISON_BADBLOCK = 2,	/* and in the driver's badblocks list */
};

#define SECTOR_SHIFT	9
#define SECTOR_SIZE	(1u << SECTOR_SHIFT)

/* x86 si_code of a SIGBUS (include/uapi/asm-generic/siginfo.h) */
#define MM_BUS_ADRERR	2
#define MM_BUS_MCEERR_AR	4
/* force_sig(SIGBUS, current): SEND_SIG_PRIV, whose si_code is SI_KERNEL */
#define MM_SI_KERNEL	0x80

/*
 * What direct_access() answers for [pfn, pfn + nr): 0, -ENXIO for a dead
 * dax_device (6.1 dax_direct_access() L157, v4.14 the same test), -EIO
 * when the queue is dying (v4.5 dax_map_atomic(): blk_queue_enter()) or
 * a badblock lies in the range (6.1 __pmem_direct_access() L281, v4.14
 * L230; v4.5's pmem_direct_access() checks none).
 */
long nvdimm_direct_access(struct kernel *k, unsigned long pfn, unsigned long nr);
/* The poison of @pfn: 0, or POISON_LATENT with POISON_BADBLOCK maybe. */
int pmem_poisoned(const struct kernel *k, unsigned long pfn);
/* The same over the sectors of @pfn that [@off, @off + @len) touches. */
int pmem_poisoned_range(const struct kernel *k, unsigned long pfn, unsigned off, size_t len);
/* The first of [@pfn, @pfn + @nr) with a sector in badblocks, from 0; -1: none. */
long nvdimm_first_badblock(const struct kernel *k, unsigned long pfn, unsigned long nr);
/*
 * A media error on @pfn; @latent: the driver does not know it. Returns
 * 0, or not_modelled()'s code for an era that cannot have it.
 */
int nvdimm_poison(struct kernel *k, unsigned long pfn, bool latent);
/*
 * pmem_clear_poison() of whole sectors [@off, @off + @len) of @pfn: the
 * media errors and the badblocks there are gone (6.1 L110-124, v4.14
 * L52-78).
 */
void pmem_clear_poison(struct kernel *k, unsigned long pfn, unsigned off, size_t len);
/* Its halves, 6.1: the media errors (__pmem_clear_poison()), the badblocks (pmem_clear_bb()). */
void __pmem_clear_poison(struct kernel *k, unsigned long pfn, unsigned off, size_t len);
void pmem_clear_bb(struct kernel *k, unsigned long pfn, unsigned off, size_t len);
/*
 * The pmem driver's write of whole sectors [@off, @off + @len) of @pfn
 * (a bio: 6.1 pmem_do_write() L180-195, v4.14 pmem_do_bvec() L139-160),
 * as far as poison goes: a badblock in the range clears the range; a
 * latent error there alone (stores over it) is not modelled, nor any
 * poison under dax-2016 (v4.5's driver clears none). 0, or
 * not_modelled()'s code.
 */
int pmem_write_poisoned(struct kernel *k, unsigned long pfn, unsigned off, size_t len);
/*
 * dax-2016 (v4.5): the kernel stores or copies [@off, @off + @len) from
 * @pfn on (on across pages) with no badblocks check before it
 * (clear_pmem(), copy_from_iter_pmem(), memcpy_to_pmem(), or a copy out
 * of pmem): over a media error, not_modelled(@what) and its code; 0 when
 * the range has none.
 */
int pmem_store_v4_5(struct kernel *k, unsigned long pfn, unsigned long off, size_t len,
		    const char *what);
/*
 * The same for whole pages [@pfn, @pfn + @nr): sb_issue_zeroout() ->
 * blkdev_issue_zeroout() of new blocks (pmem has no WRITE_ZEROES: zero
 * pages are written, __blkdev_issue_zero_pages()). 0, or -1 with
 * not_modelled() set.
 */
int pmem_zeroout_poisoned(struct kernel *k, unsigned long pfn, unsigned long nr);
/*
 * copy_mc_to_kernel()/copy_mc_to_user()'s reach (6.1): of @n bytes from
 * @pfn at @off (on across pages), how many come before the first sector
 * with a media error.
 */
size_t pmem_poison_free_len(const struct kernel *k, unsigned long pfn, unsigned off, size_t n);
/*
 * A load through a present PTE or pmd of @vma at @addr hit poisoned
 * @pfn: the machine check's memory_failure(). Returns the si_code of the
 * SIGBUS the task gets, or 0 with not_modelled() set.
 */
int memory_failure_dax(struct kernel *k, struct vm_area_struct *vma, unsigned long addr,
		       unsigned long pfn);
/*
 * nfit-mce: the nfit driver's machine-check notifier for a load of @pfn
 * at @off that consumed a media error: the sector becomes a badblock.
 */
void nfit_handle_mce(struct kernel *k, unsigned long pfn, unsigned off);
/* How many VMAs map a DAX file now (the "memory" unbind waits for none). */
unsigned long nvdimm_dax_vmas(const struct kernel *k);
/*
 * Unbind the pmem namespace, under the policy's semantics (unbind-memory,
 * unbind-storage, or the era's own). Returns 0, -ENODEV when no driver is
 * bound, or, when it must wait and the caller is not a task that can
 * sleep (the runner reports the hang): -EAGAIN for the memory semantics'
 * wait for the VMAs, -EINTR with k->hang set for a wait for a page
 * reference (dax-2016's blk_cleanup_queue(), the storage semantics').
 */
int nvdimm_unbind(struct kernel *k);
/*
 * v4.5's get_page() and put_page() of a ZONE_DEVICE (pmem) page: the
 * dev_pagemap reference they take and drop (get_zone_device_page(),
 * put_zone_device_page()), which the unbind waits for.
 */
void get_zone_device_page(struct kernel *k);
void put_zone_device_page(struct kernel *k);
/* A VMA of a DAX file went away: wake an unbind that waits for none. */
void nvdimm_vma_gone(struct kernel *k);

#endif
