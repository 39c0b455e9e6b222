// SPDX-License-Identifier: GPL-2.0
/*
 * The pmem device's end (unbind) and its media errors (poison), as the
 * nvdimm driver of each era has them. xip-2014 (v3.19) and dax-2014 (v4.0)
 * ran DAX on brd or on s390's dcssblk: no drivers/nvdimm (pmem.c arrived
 * in v4.1 as drivers/block/pmem.c), no badblocks, no dev_pagemap; brd is a
 * module with no device to unbind, so neither operation means anything
 * the model could follow there (docs/eras/xip-2014.md, dax-2014.md).
 */
#include <assert.h>
#include <errno.h>

#include "dax.h"
#include "dax-v4.5.h"
#include "lock.h"
#include "mm.h"
#include "nvdimm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"
#include "task.h"

static bool has_nvdimm(const struct kernel *k)
{
	return k->policy.id >= POLICY_DAX_2016;
}

static gpointer pfn_key(unsigned long pfn)
{
	return GSIZE_TO_POINTER(pfn - PMEM_BASE_PFN + 1);
}

/*
 * A page's poison is kept per 512-byte sector, as badblocks keeps it
 * (drivers/nvdimm/pmem.c: badblocks_check() and badblocks_clear() take
 * sectors): bits 0-7 the sectors with a media error, bits 8-15 the ones
 * in the driver's badblocks list. A `poison` line marks all eight; a
 * clear takes whole sectors (4.14's sub-page zeroing clears only some).
 */
#define MEDIA_MASK	0xffu
#define BB_SHIFT	8

static unsigned poison_bits(const struct kernel *k, unsigned long pfn)
{
	if (!k->pmem.poison || !pfn_is_pmem(k, pfn))
		return 0;
	return GPOINTER_TO_UINT(g_hash_table_lookup(k->pmem.poison, pfn_key(pfn)));
}

/* The sectors of a page that [@off, @off + @len) touches, as a mask. */
static unsigned sector_mask(unsigned off, size_t len)
{
	unsigned first = off >> SECTOR_SHIFT, last;

	if (!len)
		return 0;
	last = (unsigned)((off + len - 1) >> SECTOR_SHIFT);
	return ((2u << last) - 1) & ~((1u << first) - 1) & MEDIA_MASK;
}

static int poison_flags(unsigned bits)
{
	return ((bits & MEDIA_MASK) ? POISON_LATENT : 0) |
	       ((bits >> BB_SHIFT) ? POISON_BADBLOCK : 0);
}

int pmem_poisoned(const struct kernel *k, unsigned long pfn)
{
	return poison_flags(poison_bits(k, pfn));
}

int pmem_poisoned_range(const struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	unsigned bits = poison_bits(k, pfn), m = sector_mask(off, len);

	return poison_flags((bits & m) | (((bits >> BB_SHIFT) & m) << BB_SHIFT));
}

long nvdimm_first_badblock(const struct kernel *k, unsigned long pfn, unsigned long nr)
{
	if (!k->pmem.poison)
		return -1;
	for (unsigned long i = 0; i < nr; i++)
		if (pmem_poisoned(k, pfn + i) & POISON_BADBLOCK)
			return (long)i;
	return -1;
}

long nvdimm_direct_access(struct kernel *k, unsigned long pfn, unsigned long nr)
{
	if (k->pmem.dead)	/* v4.5: blk_queue_enter() fails on a dying queue */
		return k->policy.id == POLICY_DAX_2016 ? -EIO : -ENXIO;
	/* badblocks_check() in __pmem_direct_access(): v4.14 L230, 6.1 L281 */
	if (k->policy.id >= POLICY_DAX_2017 && nvdimm_first_badblock(k, pfn, nr) >= 0)
		return -EIO;
	return 0;
}

int nvdimm_poison(struct kernel *k, unsigned long pfn, bool latent)
{
	if (!has_nvdimm(k))
		return not_modelled(k, "poison under xip-2014 and dax-2014: brd, no nvdimm driver, no badblocks");
	/*
	 * dax-2016 (v4.5): the badblocks list is kept (the block driver's
	 * read, pmem_do_bvec() L75, checks it), but pmem_direct_access()
	 * (L142-152) checks none: a DAX fault maps a bad page either way. A
	 * latent error under dax-2017 is one that no ARS has reported yet:
	 * __pmem_direct_access() maps it too. What a load of either does:
	 * memory_failure_dax().
	 */
	if (!k->pmem.poison)
		k->pmem.poison = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_insert(k->pmem.poison, pfn_key(pfn),
			    GUINT_TO_POINTER(poison_bits(k, pfn) | MEDIA_MASK |
					     (latent ? 0 : MEDIA_MASK << BB_SHIFT)));
	return 0;
}

/*
 * pmem_clear_poison(): nvdimm_clear_poison() of the range (the firmware
 * clears the media errors there; the model: it always succeeds) and
 * badblocks_clear() of its sectors (6.1 L110-124, v4.14 L52-78); 6.1
 * splits them: __pmem_clear_poison() (L97-108), pmem_clear_bb() (L88-95).
 */
static void clear_bits(struct kernel *k, unsigned long pfn, unsigned off, size_t len,
		       unsigned which)
{
	unsigned bits = poison_bits(k, pfn), m = sector_mask(off, len);

	assert(!(off & (SECTOR_SIZE - 1)) && !(len & (SECTOR_SIZE - 1)) && off + len <= PAGE_SIZE);
	if (!bits)
		return;
	bits &= ~(((which & POISON_LATENT) ? m : 0) | ((which & POISON_BADBLOCK) ? m << BB_SHIFT : 0));
	if (bits)
		g_hash_table_insert(k->pmem.poison, pfn_key(pfn), GUINT_TO_POINTER(bits));
	else
		g_hash_table_remove(k->pmem.poison, pfn_key(pfn));
}

void pmem_clear_poison(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	clear_bits(k, pfn, off, len, POISON_LATENT | POISON_BADBLOCK);
}

void __pmem_clear_poison(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	clear_bits(k, pfn, off, len, POISON_LATENT);
}

void pmem_clear_bb(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	clear_bits(k, pfn, off, len, POISON_BADBLOCK);
}

int pmem_store_v4_5(struct kernel *k, unsigned long pfn, unsigned long off, size_t len,
		    const char *what)
{
	if (G_UNLIKELY(k->pmem.poison) && pmem_poison_free_len(k, pfn, (unsigned)off, len) < len)
		return not_modelled(k, what);
	return 0;
}

int pmem_write_poisoned(struct kernel *k, unsigned long pfn, unsigned off, size_t len)
{
	int p = pmem_poisoned_range(k, pfn, off, len);

	/* v4.5 pmem_do_bvec() L81-82: memcpy_to_pmem(), no badblocks_clear() */
	if (p && k->policy.id == POLICY_DAX_2016)
		return not_modelled(k, "the pmem driver's write over poison under dax-2016: v4.5's pmem_do_bvec() (L81-82) stores over the media error with memcpy_to_pmem() and clears no badblocks");

	/* 6.1 pmem_do_write() L187-192, v4.14 pmem_do_bvec() L154-159 */
	if (p & POISON_BADBLOCK) {
		pmem_clear_poison(k, pfn, off, len);
		return 0;
	}
	if (p)
		return not_modelled(k, "the pmem driver's write over latent poison (not in badblocks): memcpy_flushcache() stores over a media error");
	return 0;
}

int pmem_zeroout_poisoned(struct kernel *k, unsigned long pfn, unsigned long nr)
{
	if (!k->pmem.poison)
		return 0;
	for (unsigned long i = 0; i < nr; i++)
		if (pmem_write_poisoned(k, pfn + i, 0, PAGE_SIZE))
			return -1;
	return 0;
}

size_t pmem_poison_free_len(const struct kernel *k, unsigned long pfn, unsigned off, size_t n)
{
	size_t ok = 0;

	while (ok < n) {
		unsigned long p = pfn + ((off + ok) >> PAGE_SHIFT);
		unsigned o = (off + ok) & (PAGE_SIZE - 1);
		size_t piece = n - ok < PAGE_SIZE - o ? n - ok : PAGE_SIZE - o;
		unsigned bits = poison_bits(k, p) & sector_mask(o, piece);

		if (bits) {
			unsigned s = (unsigned)__builtin_ctz(bits) << SECTOR_SHIFT;

			return ok + (s > o ? s - o : 0);
		}
		ok += piece;
	}
	return n;
}

/*
 * memory_failure() of a load's machine check, 6.1 (kill_me_maybe() ->
 * memory_failure() -> memory_failure_dev_pagemap() L1916): the pmem
 * pagemap's ->memory_failure (pmem_pagemap_memory_failure()) asks the
 * dax holder, and ext4 registers none (-EOPNOTSUPP), so
 * mf_generic_kill_procs() (L1571): SetPageHWPoison, collect_procs() with
 * force_early (only the task that loaded, and tasks that asked for early
 * kill, which the model has none of), unmap_and_kill() (L1546):
 * unmap_mapping_range() of the largest size one of them maps the page by
 * (a pmd: 2 MiB) from every process, and kill_proc() sends
 * BUS_MCEERR_AR to the task that loaded. The DAX entry stays: a later
 * fault maps the page again (no badblock) and the next load is another
 * machine check.
 */
/*
 * v4.5 and v4.14.177 have no ZONE_DEVICE path in memory_failure() (v4.19
 * adds memory_failure_dev_pagemap()). The x86 handler of a user-mode
 * action-required error (v4.5 do_machine_check() L1147-1177, v4.14
 * L1356-1366 -> do_memory_failure() L1082-1095) calls memory_failure(),
 * and when it fails, force_sig(SIGBUS, current): SEND_SIG_PRIV, si_code
 * SI_KERNEL (kernel/signal.c v4.5 force_sig() L1437, __send_signal()
 * L1032-1035). memory_failure() (v4.5 mm/memory-failure.c L1031, v4.14
 * L1140) on the pmem page (pfn_valid(): the pfn device's memmap):
 * TestSetPageHWPoison() (v4.5 L1053, v4.14 L1160); get_hwpoison_page()
 * takes a reference (a ZONE_DEVICE page's count is 1 when idle, and the
 * model does not count it: it is no dev_pagemap reference, nothing
 * waits for it); not on the LRU: shake_page() frees nothing, and it goes
 * to identify_page_state (v4.5 L1199-1200, v4.14 L1270-1271) without
 * hwpoison_user_mappings(): no PTE is unmapped, no process signalled.
 * error_states[] gives me_kernel() (PG_reserved) or me_unknown() ("Unknown
 * page state"), MF_IGNORED or MF_FAILED: page_action() -EBUSY (v4.5 L871,
 * v4.14 L886). So the loader gets SIGBUS SI_KERNEL and the page stays
 * mapped. A later load of a page with PageHWPoison: memory_failure()
 * returns 0 at once ("already hardware poisoned"), no signal (v4.14: unless
 * the CPU left no restart IP, kill_it), and the load is restarted into
 * the same error: a loop of machine checks the model does not follow
 * (status 3). The model takes the CPU's restart IP as valid (RIPV), as
 * for 6.1 (kill_me_maybe()). v4.14's nfit notifier (drivers/acpi/nfit/mce.c
 * nfit_handle_mce()) that puts the line in badblocks runs later, from the
 * decoder chain's work (mce_log() -> irq_work_queue(), mce.c L144-147):
 * not modelled, the error stays as it was; v4.5 has none.
 */
static int memory_failure_zone_device(struct kernel *k, unsigned long pfn)
{
	struct page *page = pmem_pfn_to_page(k, pfn);

	if (page->flags & PG_hwpoison) {
		not_modelled(k, k->policy.id == POLICY_DAX_2016 ?
			     "a load of a pmem page v4.5's memory_failure() has already marked HWPoison: it returns 0 (\"already hardware poisoned\", mm/memory-failure.c L1053-1056), no signal, and the PTE still maps it: the load restarts into machine check after machine check" :
			     "a load of a pmem page v4.14's memory_failure() has already marked HWPoison: it returns 0 (\"already hardware poisoned\", mm/memory-failure.c L1160-1164), no signal unless the CPU gave no restart IP, and the PTE still maps it: the load restarts into machine check after machine check");
		return 0;
	}
	page->flags |= PG_hwpoison;
	return MM_SI_KERNEL;
}

int memory_failure_dax(struct kernel *k, struct vm_area_struct *vma, unsigned long addr,
		       unsigned long pfn)
{
	struct address_space *mapping;
	pmd_t *pmdp;
	unsigned long size = PAGE_SIZE;
	pgoff_t index;

	if (k->policy.id == POLICY_DAX_2016 || k->policy.id == POLICY_DAX_2017)
		return memory_failure_zone_device(k, pfn);
	if (!vma->vm_file || !IS_DAX(vma_inode(vma))) {
		not_modelled(k, "a load of poisoned pmem through a mapping that is not a DAX file's");
		return 0;
	}
	mapping = &vma_inode(vma)->i_data;
	index = linear_page_index(vma, addr);
	/* dev_pagemap_mapping_shift(): PMD_SHIFT when a huge pmd maps it */
	pmdp = pmd_lookup(vma->vm_mm, addr);
	if (pmdp && pmd_trans_huge(*pmdp))
		size = PMD_SIZE;
	unmap_mapping_range(k, mapping, ((loff_t)index << PAGE_SHIFT) & ~(loff_t)(size - 1),
			    size, 0);
	return MM_BUS_MCEERR_AR;
}

/*
 * nfit_handle_mce() (drivers/acpi/nfit/mce.c, v4.14 L22-87, 6.1 the same):
 * nvdimm_bus_add_poison() of the consumed L1_CACHE_BYTES line, then
 * nvdimm_region_notify(NVDIMM_REVALIDATE_POISON): the pmem namespace's
 * nvdimm_badblocks_populate() marks the sector holding it bad. A work
 * item in the kernel (mce_log() -> the decode chain), at the machine
 * check here.
 */
void nfit_handle_mce(struct kernel *k, unsigned long pfn, unsigned off)
{
	unsigned bits = poison_bits(k, pfn);

	if (!SW(k, NFIT_MCE) || !bits)
		return;
	g_hash_table_insert(k->pmem.poison, pfn_key(pfn),
			    GUINT_TO_POINTER(bits | (1u << (BB_SHIFT + (off >> SECTOR_SHIFT)))));
}

unsigned long nvdimm_dax_vmas(const struct kernel *k)
{
	unsigned long n = 0;

	for (guint i = 0; i < k->sb.inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(k->sb.inodes, i);
		struct vm_area_struct *vma;

		if (!IS_DAX(inode))
			continue;
		vma_interval_tree_foreach(vma, &inode->i_data.i_mmap, 0, ~0UL)
			n++;
	}
	return n;
}

static bool no_dax_vmas(struct kernel *k, const void *obj, unsigned long index)
{
	(void)obj;
	(void)index;
	return nvdimm_dax_vmas(k) == 0;
}

void nvdimm_vma_gone(struct kernel *k)
{
	if (k->unbind_wait.head)
		wake_up_key(k, &k->unbind_wait, &k->pmem, 0, true);
}

/*
 * The storage semantics' revoke: unmap_mapping_range() of every DAX file,
 * whole, from every process (what 6.1 does for a holder that asks,
 * XFS's xfs_dax_notify_failure() with MF_MEM_PRE_REMOVE, v6.10). COW
 * pages are DRAM and stay (even_cows 0). bug-unbind-forgets-process: the
 * zap skips the VMAs of the last process created.
 */
static void revoke_dax_mappings(struct kernel *k)
{
	struct mm_struct *skip = NULL;

	if (SW(k, BUG_UNBIND_FORGETS_PROCESS) && k->mms->len)
		skip = g_ptr_array_index(k->mms, k->mms->len - 1);
	for (guint i = 0; i < k->sb.inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(k->sb.inodes, i);
		struct vm_area_struct *vma;

		if (!IS_DAX(inode))
			continue;
		if (!skip) {
			unmap_mapping_range(k, &inode->i_data, 0, 0, 0);
			continue;
		}
		vma_interval_tree_foreach(vma, &inode->i_data.i_mmap, 0, ~0UL)
			if (vma->vm_mm != skip)
				zap_page_range(k, vma, vma->vm_start, vma->vm_end);
	}
}

/*
 * fsync_bdev() of del_gendisk(): sync_filesystem() writes back every
 * dirty DAX inode. 6.1 (pmem_release_disk() L444: kill_dax() before
 * del_gendisk()): dax_writeback_one() takes the pfn from the entry, so
 * the writeback write-protects, flushes and cleans as msync does. v4.14:
 * its dax_writeback_one() calls dax_direct_access() first, which fails
 * on the dead device: nothing is written back. v4.5 (nd_pmem_remove() ->
 * pmem_detach_disk(): del_gendisk() before blk_cleanup_queue()): the
 * queue is alive, v4.5's writeback flushes (and keeps DIRTY, as it does).
 */
static void sync_dax_inodes(struct kernel *k)
{
	if (k->policy.id == POLICY_DAX_2017)
		return;
	for (guint i = 0; i < k->sb.inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(k->sb.inodes, i);

		if (!IS_DAX(inode) || !inode->i_data.nrexceptional)
			continue;
		if (k->policy.id == POLICY_DAX_2016)
			dax_writeback_mapping_range_v4_5(k, &inode->i_data, 0, LLONG_MAX);
		else
			dax_writeback_mapping_range(k, &inode->i_data, 0, LLONG_MAX);
	}
}

/*
 * The lowest pmem page (its folio) with a reference past the idle one (a
 * gup or pin holds it, or an O_DIRECT in flight), or NULL. In pfn order,
 * so that a hang names the same block in every run.
 */
static struct page *pmem_busy_page(struct kernel *k)
{
	struct page *busy = NULL;
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, k->pmem.memmap);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct page *folio = page_folio(v);

		if (folio->refcount > 0 && (!busy || folio->pfn < busy->pfn))
			busy = folio;
	}
	return busy;
}

/*
 * get_zone_device_page(), v4.5 kernel/memremap.c L174-178, from get_page()
 * (include/linux/mm.h L698-710): percpu_ref_get(page->pgmap->ref), the
 * queue's q_usage_counter for pmem. A plain get: it works on a killed
 * ref too (the caller already holds a live one, get_dev_pagemap()'s).
 */
void get_zone_device_page(struct kernel *k)
{
	k->pmem.pgmap_refs++;
}

/*
 * put_zone_device_page(), v4.5 kernel/memremap.c L180-184, from
 * put_page() (include/linux/mm.h L712-721): put_dev_pagemap() ->
 * percpu_ref_put(). Once blk_freeze_queue() has killed the ref, the last
 * put calls its release, blk_queue_usage_counter_release() (v4.5
 * block/blk-core.c L675-681): wake_up_all(&q->mq_freeze_wq).
 */
void put_zone_device_page(struct kernel *k)
{
	assert(k->pmem.pgmap_refs > 0);
	if (!--k->pmem.pgmap_refs && k->pmem.dead && k->mq_freeze_wq.head)
		wake_up_key(k, &k->mq_freeze_wq, &k->pmem, 0, true);
}

/* A wait nothing can end: outside a thread, the unbind would sleep for ever. */
static int unbind_hang(struct kernel *k, const char *why)
{
	struct page *page = pmem_busy_page(k);

	k->hang = why;
	k->hang_pfn = page ? page->pfn : PMEM_BASE_PFN;
	return -EINTR;
}

static bool pgmap_unused(struct kernel *k, const void *obj, unsigned long index)
{
	(void)obj;
	(void)index;
	return k->pmem.pgmap_refs == 0;
}

/*
 * blk_cleanup_queue() of v4.5 (block/blk-core.c L542-599), from
 * pmem_detach_disk() after del_gendisk(): blk_set_queue_dying(), then
 * blk_freeze_queue() (block/blk-mq.c L102-113): percpu_ref_kill() of
 * q_usage_counter (blk_queue_enter() and get_dev_pagemap() fail from
 * here: the device is dead, which the caller has set) and
 * wait_event(q->mq_freeze_wq, percpu_ref_is_zero()),
 * TASK_UNINTERRUPTIBLE, until the last put. The references are the
 * ZONE_DEVICE pages' (pgmap_refs) and, in the kernel, each
 * dax_map_atomic() .. dax_unmap_atomic() and bio in flight
 * (blk_queue_enter()/blk_queue_exit()); the model's DAX accesses check
 * the device where dax_map_atomic() would and hold nothing across a
 * scheduling point, so only the pages' are counted. Outside a thread
 * nothing can put the page: a hang.
 */
static int blk_freeze_queue(struct kernel *k)
{
	assert(k->pmem.dead);
	while (k->pmem.pgmap_refs) {
		if (!k->current)
			return unbind_hang(k, "unbind (dax-2016): blk_cleanup_queue() waits for the dev_pagemap reference v4.5's get_page() took, and no other thread runs to put the page");
		sleep_on(k, &k->mq_freeze_wq, false, pgmap_unused, &k->pmem, 0);
	}
	return 0;
}

static bool pmem_idle(struct kernel *k, const void *obj, unsigned long index)
{
	(void)k;
	(void)index;
	return ((const struct page *)obj)->refcount == 0;
}

/*
 * The storage semantics' wait for the pins in flight, after the revoke:
 * while a pmem page has a reference, sleep until its last put_page() or
 * unpin wakes it (put_page() -> wake_up_var(), as 6.1's layout break
 * waits: ___wait_var_event() on the page, dax_layout_busy_page()), then
 * look again. Outside a thread nothing can release it: a hang.
 */
static int unbind_wait_pins(struct kernel *k)
{
	struct page *page;

	while ((page = pmem_busy_page(k))) {
		if (!k->current)
			return unbind_hang(k, "unbind (unbind-storage) waits for the page references in flight, and no other thread runs to release them");
		while (!pmem_idle(k, page, 0))
			sleep_on(k, &k->var_wait_table, false, pmem_idle, page, 0);
	}
	return 0;
}

/*
 * The driver's ->remove() under the policy's semantics (nd_pmem_remove()
 * v4.5, pmem_release_disk() 6.1 via devm), with device_lock held.
 */
static int nvdimm_remove(struct kernel *k)
{
	int ret;

	if (SW(k, UNBIND_MEMORY)) {
		/* seed 003's "memory": hold the device while any DAX VMA exists */
		while (nvdimm_dax_vmas(k)) {
			if (!k->current)
				return -EAGAIN;
			sleep_on(k, &k->unbind_wait, false, no_dax_vmas, &k->pmem, 0);
		}
	}
	/*
	 * The storage semantics revoke once the device takes no fault (dead),
	 * so that no fault maps a page again behind the revoke (as v6.10's
	 * XFS freezes the file system for its pre-remove notification).
	 */
	if (k->policy.id == POLICY_DAX_2016) {
		sync_dax_inodes(k);	/* del_gendisk() first */
		k->pmem.dead = true;	/* then blk_cleanup_queue(): dying, ref killed */
		if (SW(k, UNBIND_STORAGE))
			revoke_dax_mappings(k);
		/*
		 * and its wait for q_usage_counter: a gup reference holds it
		 * (v4.5's get_page() took a dev_pagemap reference), under every
		 * semantics; the storage one's wait for pins in flight is this
		 */
		return blk_freeze_queue(k);
	}
	k->pmem.dead = true;		/* kill_dax(): no holder with ext4 */
	if (SW(k, UNBIND_STORAGE)) {
		/* seed 003's "storage": revoke every mapping, wait for pins in flight */
		revoke_dax_mappings(k);
		if ((ret = unbind_wait_pins(k)))
			return ret;
	}
	sync_dax_inodes(k);		/* then del_gendisk() */
	/*
	 * memunmap_pages() (6.1) waits for the dev_pagemap's references,
	 * v4.14's blk_cleanup_queue() for q_usage_counter: neither is held
	 * by a gup reference there (v4.14's get_page() takes none, 6.1's
	 * gup drops its pgmap reference before it returns), so a pin does
	 * not hold the unbind up. v4.5's does: above.
	 */
	return 0;
}

/*
 * The sysfs unbind: unbind_store() (drivers/base/bus.c, v4.5 L181-200)
 * finds the driver bound (else -ENODEV), then device_release_driver()
 * (drivers/base/dd.c L786-796) takes device_lock() and calls ->remove();
 * an unbind that found the driver bound while another ran ->remove()
 * sleeps on device_lock, then finds no driver and does nothing, with
 * success.
 */
int nvdimm_unbind(struct kernel *k)
{
	int ret;

	if (!has_nvdimm(k))
		return not_modelled(k, "unbind under xip-2014 and dax-2014: brd has no device to unbind (rmmod brd is refused while the file system is mounted)");
	if (k->pmem.dead && !k->pmem.unbinding)
		return -ENODEV;		/* the driver is no longer bound: sysfs unbind fails */
	mutex_lock(k, &k->device_lock);
	if (k->pmem.dead && !k->pmem.unbinding) {
		mutex_unlock(k, &k->device_lock);
		return 0;		/* __device_release_driver(): dev->driver is NULL now */
	}
	k->pmem.unbinding = true;
	ret = nvdimm_remove(k);
	k->pmem.unbinding = false;
	mutex_unlock(k, &k->device_lock);
	return ret;
}
