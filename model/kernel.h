/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated machine: one kernel, its policy, its memory, its pmem
 * device and filesystem, and its processes.
 */
#ifndef MMSIM_KERNEL_H
#define MMSIM_KERNEL_H

#include "mm_types.h"
#include "linux_fs.h"
#include "task.h"

struct kernel {
	struct policy policy;
	struct dram dram;
	struct pmem_device pmem;
	struct super_block sb;
	GPtrArray *mms;			/* live processes, in creation order */
	int nr_mms_created;		/* the next mm id */
	unsigned long nr_anon_vmas;	/* the last anon_vma id */
	struct model_hooks hooks;
	int current;			/* the running thread: 0, or a task's id */
	struct sched sched;		/* simulated threads, sched_run() */
	/*
	 * Lock acquisitions and releases take lock.c's slow path: under
	 * sched_run() or with a lockdep attached (lockdep_attach()); else a
	 * lock costs this one branch.
	 */
	bool lock_slowpath;
	struct lockdep *lockdep;	/* lock-order checking (lockdep.h), or NULL */
	uint64_t clock;			/* logical time for timestamps */
	const char *not_modelled;	/* why the last call hit VM_FAULT_NOTMODELLED */
	/*
	 * Why the last call would have slept for ever: a wait outside a
	 * thread (no task, nothing else runs to end it), and the pfn it waits
	 * on. The call returns an error instead; the runner reports a hang.
	 */
	const char *hang;
	unsigned long hang_pfn;
	/*
	 * The errno behind the last fault's VM_FAULT_SIGBUS, when the file
	 * system gave one: bookkeeping of the model's, as dax_fault_return()
	 * turns it into a VM_FAULT_* code and the kernel keeps it nowhere.
	 */
	int fault_error;
	unsigned long model_bytes;	/* bytes of model objects (kzalloc/kfree), pmem.bytes apart */
	/*
	 * xip-2014: mm/filemap_xip.c's __xip_sparse_page (one for the whole
	 * system, allocated at first use, never freed) and xip_sparse_mutex.
	 */
	struct page *xip_sparse_page;
	struct lock xip_sparse_mutex;
	/*
	 * fs/dax.c's wait_table (v4.14 L42-58): the sleepers for a locked
	 * DAX entry, as one queue (see dax_entry_waitqueue()).
	 */
	struct wait_queue_head dax_wait_table;
	/* mm/filemap.c's page_wait_table (v4.14 L886-893), as one queue */
	struct wait_queue_head page_wait_table;
	/* the "memory" unbind's sleep until no DAX VMA is left (nvdimm.c) */
	struct wait_queue_head unbind_wait;
	/*
	 * The pmem namespace device's device_lock(), which the sysfs unbind
	 * holds through the driver's ->remove() (device_release_driver(),
	 * drivers/base/dd.c), and its request queue's mq_freeze_wq, where
	 * v4.5's blk_freeze_queue() waits for q_usage_counter (nvdimm.c).
	 */
	struct lock device_lock;
	struct wait_queue_head mq_freeze_wq;
	/* kernel/sched/wait_bit.c's wait_var_event() table, as one queue: a page's refcount */
	struct wait_queue_head var_wait_table;
	/*
	 * mm/memory.c's fault_around_bytes, v4.14: rounddown_pow_of_two(65536)
	 * unless the scenario sets it (`faultaround`, the debugfs file).
	 */
	unsigned long fault_around_bytes;
};

#define SW(k, name)	((k)->policy.sw[SW_##name])

struct kernel *kernel_create(enum policy_id policy, unsigned long pmem_bytes,
			     unsigned long dram_bytes);
void kernel_destroy(struct kernel *k);

/* Accounted allocations of model objects: the memory figure counts them. */
void *kzalloc(struct kernel *k, size_t size);
void kfree(struct kernel *k, void *p, size_t size);

/* A kernel left with abandoned threads: kept allocated, never destroyed. */
void kernel_abandon(struct kernel *k);

/* current_time(): the logical clock ticks at each timestamp update. */
uint64_t current_time(struct kernel *k);

/* Report a path the model does not have yet; returns VM_FAULT_NOTMODELLED. */
int not_modelled(struct kernel *k, const char *what);

static inline void trace_pte_changed(struct kernel *k, struct vm_area_struct *vma,
				     unsigned long addr, pte_t old, pte_t new)
{
	if (k->hooks.pte_changed)
		k->hooks.pte_changed(k->hooks.ctx, vma, addr, old, new);
}

static inline void trace_pmd_changed(struct kernel *k, struct vm_area_struct *vma,
				     unsigned long addr, pmd_t old, pmd_t new)
{
	if (k->hooks.pmd_changed)
		k->hooks.pmd_changed(k->hooks.ctx, vma, addr, old, new);
}

static inline void trace_index_changed(struct kernel *k, struct inode *inode,
				       pgoff_t index)
{
	if (k->hooks.index_changed)
		k->hooks.index_changed(k->hooks.ctx, inode, index);
}

static inline void trace_mm_release(struct kernel *k, struct mm_struct *mm)
{
	if (k->hooks.mm_release)
		k->hooks.mm_release(k->hooks.ctx, mm);
}

static inline void trace_range_changed(struct kernel *k, struct inode *inode,
				       pgoff_t index, unsigned long nr)
{
	if (k->hooks.range_changed) {
		k->hooks.range_changed(k->hooks.ctx, inode, index, nr);
		return;
	}
	for (unsigned long i = 0; i < nr; i++)
		trace_index_changed(k, inode, index + i);
}

static inline void trace_map_pages(struct kernel *k, const struct vm_fault *vmf,
				   struct page *page, pgoff_t start_pgoff,
				   pgoff_t end_pgoff)
{
	if (k->hooks.map_pages)
		k->hooks.map_pages(k->hooks.ctx, vmf, page, start_pgoff, end_pgoff);
}

/*
 * fatal_signal_pending(current): asked by the loops that do a page or a
 * block at a time inside one system call, so that a run stopped at its
 * limits (the driver's SIGKILL) ends there instead of finishing a 1T loop.
 */
static inline bool fatal_signal_pending(struct kernel *k)
{
	return k->hooks.fatal_signal_pending &&
	       k->hooks.fatal_signal_pending(k->hooks.signal_ctx);
}

#endif
