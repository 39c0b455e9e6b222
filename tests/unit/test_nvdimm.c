// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/nvdimm.c: unbind and poison, on a dax-2017 kernel
 * (fx_init) with the era switched where a test says so. Expected values
 * from the sources named in model/nvdimm.c (6.1 drivers/nvdimm/pmem.c,
 * drivers/dax/super.c, mm/memory-failure.c; v4.14.177 and v4.5 pmem.c).
 */
#include <errno.h>
#include <string.h>
#include <criterion/criterion.h>

#include "fixture.h"

#include "linux_fs.h"
#include "nvdimm.h"
#include "lock.h"
#include "pmem.h"
#include "sync.h"
#include "task.h"
#include "usercopy.h"
#include "policy.h"

TestSuite(nvdimm, .init = fx_init, .fini = fx_fini);

static struct file *written_file(unsigned long pages)
{
	struct file *f = new_file(pages * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, pages * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	for (unsigned long i = 0; i < pages; i++)
		cr_assert_eq(store(mm, a + i * P, 0x11).sig, SIG_NONE);
	mm_destroy(k, mm);
	return f;
}

/* 6.1 dax_direct_access() L157: a dead dax_device is -ENXIO; v4.5's queue -EIO */
Test(nvdimm, direct_access_of_a_dead_device)
{
	cr_assert_eq(nvdimm_direct_access(k, PMEM_BASE_PFN, 1), 0);
	cr_assert_eq(nvdimm_unbind(k), 0);
	cr_assert_eq(nvdimm_direct_access(k, PMEM_BASE_PFN, 1), -ENXIO);
	k->policy.id = POLICY_DAX_2016;
	cr_assert_eq(nvdimm_direct_access(k, PMEM_BASE_PFN, 1), -EIO);
	k->policy.id = POLICY_DAX_2017;
	cr_assert_eq(nvdimm_unbind(k), -ENODEV, "no driver bound any more");
}

/* kill_dax() keeps PTEs: a mapped page still loads, a new fault is SIGBUS */
Test(nvdimm, era_unbind_keeps_ptes)
{
	struct file *f = written_file(2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ, MAP_SHARED, 0);
	struct access_result r;

	cr_assert_eq(load(mm, a).value, 0x11);
	cr_assert_eq(nvdimm_unbind(k), 0);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert_eq(load(mm, a).value, 0x11);
	r = load(mm, a + P);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.si_code, MM_BUS_ADRERR);
}

/* unbind-storage: every DAX PTE goes first; the variant skips the last mm */
Test(nvdimm, storage_unbind_revokes_and_the_variant_forgets)
{
	struct file *f = written_file(1);
	struct mm_struct *m1 = mm_create(k), *m2 = mm_create(k);
	unsigned long a1 = map(m1, f, P, PROT_READ, MAP_SHARED, 0);
	unsigned long a2 = map(m2, f, P, PROT_READ, MAP_SHARED, 0);

	load(m1, a1);
	load(m2, a2);
	k->policy.sw[SW_UNBIND_STORAGE] = 1;
	k->policy.sw[SW_BUG_UNBIND_FORGETS_PROCESS] = 1;
	cr_assert_eq(nvdimm_unbind(k), 0);
	cr_assert_not(pte_present(pte_at(m1, a1)));
	cr_assert(pte_present(pte_at(m2, a2)), "the last mm created is skipped");
}

/* unbind-memory: with a DAX VMA and no task to sleep in, it cannot proceed */
Test(nvdimm, memory_unbind_needs_no_dax_vma)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);

	map(mm, f, P, PROT_READ, MAP_SHARED, 0);
	k->policy.sw[SW_UNBIND_MEMORY] = 1;
	cr_assert_eq(nvdimm_dax_vmas(k), 1);
	cr_assert_eq(nvdimm_unbind(k), -EAGAIN);
	cr_assert_not(k->pmem.dead);
	mm_destroy(k, mm);
	cr_assert_eq(nvdimm_dax_vmas(k), 0);
	cr_assert_eq(nvdimm_unbind(k), 0);
	cr_assert(k->pmem.dead);
}

/* a badblock: __pmem_direct_access() -EIO, a new fault's SIGBUS BUS_ADRERR */
Test(nvdimm, badblock_fails_the_fault)
{
	struct file *f = written_file(2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 0);
	struct access_result r;

	cr_assert_eq(nvdimm_poison(k, pfn, false), 0);
	cr_assert_eq(pmem_poisoned(k, pfn), POISON_LATENT | POISON_BADBLOCK);
	cr_assert_eq(nvdimm_direct_access(k, pfn, 1), -EIO);
	cr_assert_eq(nvdimm_direct_access(k, pfn + 1, 1), 0, "the next page is good");
	r = load(mm, a);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.si_code, MM_BUS_ADRERR);
	cr_assert_eq(load(mm, a + P).value, 0x11);
	pmem_clear_poison(k, pfn, 0, P);
	cr_assert_eq(load(mm, a).value, 0x11);
}

/* latent poison: in 6.1 memory_failure unmaps from all, BUS_MCEERR_AR */
Test(nvdimm, latent_poison_memory_failure, .init = fx_init_modern)
{
	struct file *f = written_file(1);
	struct mm_struct *m1 = mm_create(k), *m2 = mm_create(k);
	unsigned long a1 = map(m1, f, P, PROT_READ, MAP_SHARED, 0);
	unsigned long a2 = map(m2, f, P, PROT_READ, MAP_SHARED, 0);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 0);
	struct access_result r;

	load(m2, a2);
	cr_assert_eq(nvdimm_poison(k, pfn, true), 0);
	cr_assert_eq(pmem_poisoned(k, pfn), POISON_LATENT);
	r = load(m1, a1);	/* faults it in, then consumes it */
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.si_code, MM_BUS_MCEERR_AR);
	cr_assert_not(pte_present(pte_at(m1, a1)));
	cr_assert_not(pte_present(pte_at(m2, a2)), "unmapped from every process");
}

/*
 * nfit-mce: the consumed line's sector becomes a badblock (nfit_handle_mce(),
 * drivers/acpi/nfit/mce.c), the others of the page stay latent, and the
 * next fault of the page fails (the whole page is one direct_access()).
 * Without the switch the error stays latent: the next load consumes it again.
 */
static void consumed_poison_and_the_next_load(bool nfit)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 0);
	struct access_result r;

	k->policy.sw[SW_NFIT_MCE] = nfit;
	cr_assert_eq(nvdimm_poison(k, pfn, true), 0);
	r = load(mm, a + 0x600);		/* sector 3 */
	cr_assert_eq(r.si_code, MM_BUS_MCEERR_AR);
	cr_assert_eq(pmem_poisoned_range(k, pfn, 0x600, 8), POISON_LATENT | (nfit ? POISON_BADBLOCK : 0));
	cr_assert_eq(pmem_poisoned_range(k, pfn, 0, 8), POISON_LATENT, "sector 0: not consumed");
	r = load(mm, a);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.si_code, nfit ? MM_BUS_ADRERR : MM_BUS_MCEERR_AR);
}

Test(nvdimm, consumed_poison_becomes_a_badblock_with_nfit, .init = fx_init_modern)
{
	consumed_poison_and_the_next_load(true);
}

Test(nvdimm, consumed_poison_stays_latent_without_nfit, .init = fx_init_modern)
{
	consumed_poison_and_the_next_load(false);
}

/*
 * A load of poison before 6.1 (v4.14.177, v4.5): memory_failure() has no
 * ZONE_DEVICE path, sets PageHWPoison, unmaps nothing and fails (-EBUSY:
 * not on the LRU, me_kernel()/me_unknown()), so the handler's
 * force_sig(SIGBUS, current): si_code SI_KERNEL, to the loader alone; the
 * PTEs stay. A second load finds PageHWPoison: memory_failure() returns 0,
 * no signal, the load restarts forever: not modelled. A crash (reboot)
 * forgets PageHWPoison; the media error stays.
 */
static void load_of_poison_before_6_1(bool latent)
{
	struct file *f = written_file(2);
	struct mm_struct *m1 = mm_create(k), *m2 = mm_create(k);
	unsigned long a1 = map(m1, f, 2 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long a2 = map(m2, f, 2 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 0);
	struct access_result r;

	cr_assert_eq(load(m1, a1).value, 0x11);
	cr_assert_eq(load(m2, a2).value, 0x11);
	cr_assert_eq(nvdimm_poison(k, pfn, latent), 0);
	cr_assert_null(k->not_modelled);
	r = load(m1, a1);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.si_code, MM_SI_KERNEL);
	cr_assert_null(k->not_modelled);
	cr_assert(pmem_pfn_to_page(k, pfn)->flags & PG_hwpoison);
	cr_assert(pte_present(pte_at(m1, a1)), "memory_failure() unmaps nothing");
	cr_assert(pte_present(pte_at(m2, a2)));
	cr_assert_eq(load(m1, a1 + P).value, 0x11, "the next page is good");
	r = load(m2, a2);
	cr_assert_not_null(k->not_modelled, "already hardware poisoned: a machine-check loop");
	k->not_modelled = NULL;
	kernel_crash(k, 0);
	cr_assert_not(pmem_pfn_to_page(k, pfn)->flags & PG_hwpoison);
	cr_assert(pmem_poisoned(k, pfn) & POISON_LATENT, "the media error stays");
}

Test(nvdimm, load_of_badblock_dax_2017)
{
	load_of_poison_before_6_1(false);
}

Test(nvdimm, load_of_latent_poison_dax_2017)
{
	load_of_poison_before_6_1(true);
}

Test(nvdimm, load_of_badblock_dax_2016, .init = fx_init_dax_2016)
{
	load_of_poison_before_6_1(false);
}

Test(nvdimm, load_of_latent_poison_dax_2016, .init = fx_init_dax_2016)
{
	load_of_poison_before_6_1(true);
}

/*
 * v4.5's pmem_direct_access() checks no badblocks: a fault maps a bad
 * page (then the load is the machine check above), and the driver's
 * write clears none (pmem_do_bvec() L81-82): not modelled.
 */
Test(nvdimm, dax_2016_maps_a_badblock, .init = fx_init_dax_2016)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 0);
	struct access_result r;

	cr_assert_eq(nvdimm_poison(k, pfn, false), 0);
	cr_assert_eq(pmem_poisoned(k, pfn), POISON_LATENT | POISON_BADBLOCK);
	cr_assert_eq(nvdimm_direct_access(k, pfn, 1), 0);
	r = load(mm, a);	/* the fault maps it, the load consumes it */
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.si_code, MM_SI_KERNEL);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert_eq(pmem_write_poisoned(k, pfn, 0, P), VM_FAULT_NOTMODELLED);
	cr_assert_eq(pmem_poisoned(k, pfn), POISON_LATENT | POISON_BADBLOCK, "nothing cleared");
}

/* read(2) over poison the driver let through: a kernel-mode machine check, not modelled */
static void read_of_mapped_poison(bool latent)
{
	struct file *f = written_file(1);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 0);
	uint8_t buf[64];

	cr_assert_eq(nvdimm_poison(k, pfn, latent), 0);
	cr_assert_null(k->not_modelled);
	vfs_read(k, f, 0, buf, sizeof(buf));
	cr_assert_not_null(k->not_modelled);
}

Test(nvdimm, read_of_latent_poison_dax_2017)
{
	read_of_mapped_poison(true);
}

Test(nvdimm, read_of_poison_dax_2016, .init = fx_init_dax_2016)
{
	read_of_mapped_poison(false);
}

/*
 * dax-2016 stores and copies over poison with no badblocks check: v4.5
 * dax_io()'s copy_from_iter_pmem(), copy_user_bh()'s copy of a private
 * write fault: not modelled. The page after is untouched by it.
 */
Test(nvdimm, dax_2016_kernel_access_over_poison, .init = fx_init_dax_2016)
{
	struct file *f = written_file(2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 0);
	uint8_t v[16];

	memset(v, 0x22, sizeof(v));
	cr_assert_eq(nvdimm_poison(k, pfn, true), 0);
	cr_assert_eq(vfs_write(k, f, P, v, sizeof(v)), (ssize_t)sizeof(v), "the good page");
	cr_assert_null(k->not_modelled);
	vfs_write(k, f, 0x10, v, sizeof(v));
	cr_assert_not_null(k->not_modelled);
	k->not_modelled = NULL;
	store(mm, a, 0x33);	/* a private write fault copies the page */
	cr_assert_not_null(k->not_modelled);
}

/* xip-2014 and dax-2014: brd, nothing to unbind or poison */
Test(nvdimm, no_nvdimm_before_v4_1)
{
	k->policy.id = POLICY_DAX_2014;
	cr_assert_eq(nvdimm_unbind(k), VM_FAULT_NOTMODELLED);
	cr_assert_eq(nvdimm_poison(k, PMEM_BASE_PFN, false), VM_FAULT_NOTMODELLED);
}

/*
 * A gup reference on a pmem page: v4.14's get_page() takes no dev_pagemap
 * reference (linux-4.14.177 include/linux/mm.h L826-835), so the unbind
 * goes on with the page held.
 */
Test(nvdimm, v4_14_unbind_does_not_wait_for_a_gup_reference)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0), pfn;

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET, &pfn), 1);
	cr_assert_eq(k->pmem.pgmap_refs, 0, "v4.14: no dev_pagemap reference");
	cr_assert_eq(nvdimm_unbind(k), 0);
	cr_assert(k->pmem.dead);
	cr_assert_null(k->hang);
	gup_release_page(k, pfn, false);
}

/* badblocks keeps sectors: v4.14's sector-aligned zeroing clears only some */
Test(nvdimm, poison_by_sector)
{
	unsigned long pfn = PMEM_BASE_PFN + 7;

	cr_assert_eq(nvdimm_poison(k, pfn, false), 0);
	cr_assert_eq(pmem_poisoned_range(k, pfn, 0x200, 0x200), POISON_LATENT | POISON_BADBLOCK);
	pmem_clear_poison(k, pfn, 0x200, 0xe00);
	cr_assert_eq(pmem_poisoned_range(k, pfn, 0x200, 0x100), 0, "sectors 1-7 are clean");
	cr_assert_eq(pmem_poisoned(k, pfn), POISON_LATENT | POISON_BADBLOCK, "sector 0 is not");
	cr_assert_eq(nvdimm_direct_access(k, pfn, 1), -EIO);
	cr_assert_eq(pmem_poison_free_len(k, pfn - 1, 0x100, P), P - 0x100, "up to the page");
	cr_assert_eq(pmem_poison_free_len(k, pfn, 0x300, 0x100), 0x100);
	pmem_clear_poison(k, pfn, 0, 0x200);
	cr_assert_eq(pmem_poisoned(k, pfn), 0);
	cr_assert_eq(nvdimm_direct_access(k, pfn, 1), 0);
}

/*
 * read(2) and write(2) over a badblock: the extent's dax_direct_access()
 * fails with -EIO (v4.14 dax_iomap_actor() L997; 6.1 dax_iomap_iter()
 * L1373); 6.1's recovery write takes the whole page only (pmem.c
 * pmem_recovery_write() L365-370), else -EFAULT (fs/dax.c L1415).
 */
static void rw_over_badblock(bool modern)
{
	struct file *f = written_file(2);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 1);
	uint8_t buf[2 * 4096], v[4096];

	memset(v, 0x44, sizeof(v));
	cr_assert_eq(nvdimm_poison(k, pfn, false), 0);
	cr_assert_eq(vfs_read(k, f, 0, buf, 2 * P), -EIO, "one extent: nothing of it");
	cr_assert_eq(vfs_read(k, f, 0, buf, P), (ssize_t)P, "page 0 alone is good");
	cr_assert_eq(vfs_write(k, f, P, v, 16), modern ? -EFAULT : -EIO);
	cr_assert_eq(vfs_write(k, f, P, v, P), modern ? (ssize_t)P : -EIO);
	cr_assert_eq(pmem_poisoned(k, pfn), modern ? 0 : POISON_LATENT | POISON_BADBLOCK);
	if (modern) {
		cr_assert_eq(vfs_read(k, f, 0, buf, 2 * P), (ssize_t)(2 * P));
		cr_assert_eq(buf[0], 0x11);
		cr_assert_eq(buf[P + 100], 0x44);
	}
}

Test(nvdimm, rw_over_badblock_dax_2017)
{
	rw_over_badblock(false);
}

Test(nvdimm, rw_over_badblock_modern, .init = fx_init_modern)
{
	rw_over_badblock(true);
}

/* 6.1 read(2) of latent poison: copy_mc stops short; -EFAULT when nothing came */
Test(nvdimm, read_of_latent_poison_is_short, .init = fx_init_modern)
{
	struct file *f = written_file(3);
	uint8_t buf[3 * 4096];

	cr_assert_eq(nvdimm_poison(k, PMEM_BASE_PFN + block_of(f, 1), true), 0);
	cr_assert_eq(vfs_read(k, f, 0x800, buf, 3 * P - 0x800), (ssize_t)(P - 0x800));
	cr_assert_eq(vfs_read(k, f, P + 8, buf, 16), -EFAULT);
	cr_assert_eq(vfs_read(k, f, 2 * P, buf, P), (ssize_t)P);
	cr_assert_null(k->not_modelled, "no memory_failure(), no signal");
}

/*
 * A freed poisoned block comes back zeroed through the driver
 * (ext4_issue_zeroout(): the bio write clears it); the partial block
 * of a punch: v4.14 clears whole sectors, 6.1 fails with -EIO.
 */
static void zeroing_and_reuse(bool modern)
{
	struct file *f = written_file(2);
	unsigned long pfn = PMEM_BASE_PFN + block_of(f, 1);
	uint8_t v[2 * 4096];

	memset(v, 0x55, sizeof(v));
	cr_assert_eq(nvdimm_poison(k, pfn, false), 0);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, P + 0x200,
				   0x200), modern ? -EIO : 0);
	cr_assert_eq(state(f, 1), BLOCK_MAPPED);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, P + 0x100,
				   0x100), -EIO, "not whole sectors");
	cr_assert_eq(pmem_poisoned(k, pfn) & POISON_BADBLOCK, POISON_BADBLOCK);
	cr_assert_eq(vfs_truncate(k, f, 0), 0);
	cr_assert_eq(pmem_poisoned(k, pfn) & POISON_BADBLOCK, POISON_BADBLOCK, "free, still bad");
	cr_assert_eq(vfs_write(k, f, 0, v, 2 * P), (ssize_t)(2 * P));
	cr_assert(PMEM_BASE_PFN + block_of(f, 0) == pfn || PMEM_BASE_PFN + block_of(f, 1) == pfn,
		  "the freed blocks are the lowest free ones");
	cr_assert_eq(pmem_poisoned(k, pfn), 0);
}

Test(nvdimm, zeroing_and_reuse_dax_2017)
{
	zeroing_and_reuse(false);
}

Test(nvdimm, zeroing_and_reuse_modern, .init = fx_init_modern)
{
	zeroing_and_reuse(true);
}

/*
 * v4.5: get_page() of a ZONE_DEVICE page takes a dev_pagemap reference
 * (get_zone_device_page(), include/linux/mm.h L698-710, kernel/memremap.c
 * L174-178) and put_page() drops it (L712-721, L180-184); a DRAM page
 * (a private copy) takes none.
 */
Test(nvdimm, v4_5_gup_holds_a_dev_pagemap_reference, .init = fx_init_dax_2016)
{
	struct file *f = written_file(2);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0), pfns[2];
	unsigned long b = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0), cow;

	cr_assert_eq(get_user_pages_mm(k, mm, a, 2 * P, FOLL_GET, pfns), 2);
	cr_assert_eq(k->pmem.pgmap_refs, 2);
	cr_assert_eq(get_user_pages_mm(k, mm, b, P, FOLL_GET | FOLL_WRITE, &cow), 1);
	cr_assert_not(pfn_is_pmem(k, cow), "a private write gup gets the copy");
	cr_assert_eq(k->pmem.pgmap_refs, 2, "a DRAM page has no dev_pagemap");
	gup_release_page(k, pfns[0], false);
	cr_assert_eq(k->pmem.pgmap_refs, 1);
	gup_release_page(k, pfns[1], false);
	gup_release_page(k, cow, false);
	cr_assert_eq(k->pmem.pgmap_refs, 0);
}

/*
 * v4.5's unbind under a gup reference: pmem_detach_disk() (drivers/nvdimm/
 * pmem.c L206-214): del_gendisk() (the sync), then blk_cleanup_queue():
 * the queue dies, percpu_ref_kill(), wait_event() until q_usage_counter is
 * zero (block/blk-mq.c L93-113). With no task to sleep in: a hang, with
 * the device already dead (faults fail, as blk_queue_enter() does).
 */
Test(nvdimm, v4_5_unbind_without_a_task_hangs_on_the_reference, .init = fx_init_dax_2016)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0), pfn;

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET, &pfn), 1);
	cr_assert_eq(nvdimm_unbind(k), -EINTR);
	cr_assert_not_null(k->hang);
	cr_assert_eq(k->hang_pfn, pfn);
	cr_assert(k->pmem.dead, "blk_set_queue_dying() came before the wait");
	cr_assert_not(k->pmem.unbinding);
	cr_assert(!lock_held(&k->device_lock));
	cr_assert_null(k->not_modelled);
	k->hang = NULL;
	gup_release_page(k, pfn, false);
	cr_assert_eq(k->pmem.pgmap_refs, 0);
}

/*
 * Once the ref is killed, get_dev_pagemap() (percpu_ref_tryget_live(),
 * include/linux/memremap.h L84-107) fails: follow_devmap_pmd() is -EFAULT
 * (mm/huge_memory.c L1023-1025); follow_page_pte() goes to no_page and
 * __get_user_pages() would fault the present PTE and follow it for ever:
 * not modelled.
 */
Test(nvdimm, v4_5_gup_of_the_dying_device, .init = fx_init_dax_2016)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0), pfn;

	cr_assert_eq(load(mm, a).value, 0x11);
	k->pmem.dead = true;
	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET, &pfn), -EFAULT);
	cr_assert_not_null(k->not_modelled);
	cr_assert_eq(k->pmem.pgmap_refs, 0);
	k->not_modelled = NULL;
	k->pmem.dead = false;
}

/* Two tasks: the unbind (@unbind) and one that releases @pfn after a few points. */
struct unbind_race {
	unsigned long pfn;
	bool pinned, released, unbound_before_release;
	int ret, second_ret;
};

static void race_unbind(struct kernel *kk, void *arg)
{
	struct unbind_race *u = arg;

	u->ret = nvdimm_unbind(kk);
	u->unbound_before_release = !u->released;
}

static void race_release(struct kernel *kk, void *arg)
{
	struct unbind_race *u = arg;

	for (int i = 0; i < 4; i++)
		cond_resched(kk);	/* let the unbind reach its wait */
	cr_assert(kk->pmem.dead && kk->pmem.unbinding, "the unbind is asleep, the device dead");
	/* a second unbind now finds the driver bound and sleeps on device_lock */
	u->released = true;
	gup_release_page(kk, u->pfn, u->pinned);
}

static void race_second_unbind(struct kernel *kk, void *arg)
{
	struct unbind_race *u = arg;

	cond_resched(kk);
	u->second_ret = nvdimm_unbind(kk);
}

static void run_unbind_race(struct mm_struct *mm, struct unbind_race *u, bool second)
{
	k->sched.choose = fx_round_robin;
	kthread_create(k, mm, race_unbind, u);
	if (second)
		kthread_create(k, mm_create(k), race_second_unbind, u);
	kthread_create(k, mm_create(k), race_release, u);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	k->sched.choose = NULL;
}

/* v4.5: the unbind sleeps on mq_freeze_wq until put_page() drops the last reference */
Test(nvdimm, v4_5_unbind_waits_for_the_put_page, .init = fx_init_dax_2016)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0);
	struct unbind_race u = { 0 };

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET, &u.pfn), 1);
	run_unbind_race(mm, &u, true);
	cr_assert_eq(u.ret, 0);
	cr_assert_not(u.unbound_before_release);
	cr_assert_eq(u.second_ret, 0, "it found the driver bound, then nothing to do");
	cr_assert_eq(k->pmem.pgmap_refs, 0);
	cr_assert(k->pmem.dead);
	cr_assert_not(k->pmem.unbinding);
	cr_assert(pte_present(pte_at(mm, a)), "v4.5's own unbind revokes nothing");
	cr_assert_eq(nvdimm_unbind(k), -ENODEV);
}

/*
 * unbind-storage (modern): every DAX PTE revoked, then the unbind sleeps
 * until the pin (GUP_PIN_COUNTING_BIAS) is released; with no task, a hang
 * naming the page, after the revoke.
 */
Test(nvdimm, storage_unbind_waits_for_the_pin, .init = fx_init_modern)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct unbind_race u = { .pinned = true };

	k->policy.sw[SW_UNBIND_STORAGE] = 1;
	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_PIN | FOLL_WRITE, &u.pfn), 1);
	cr_assert_eq(nvdimm_unbind(k), -EINTR);
	cr_assert_not_null(k->hang);
	cr_assert_eq(k->hang_pfn, u.pfn);
	cr_assert_not(pte_present(pte_at(mm, a)), "revoked before the wait");
	cr_assert(!lock_held(&k->device_lock));
	k->hang = NULL;
	k->pmem.dead = false;		/* a fresh try, with a task */
	run_unbind_race(mm, &u, false);
	cr_assert_eq(u.ret, 0);
	cr_assert_not(u.unbound_before_release);
	cr_assert_eq(pfn_to_page(k, u.pfn)->refcount, 0);
	cr_assert_eq(load(mm, a).sig, SIG_BUS);
}

/* unbind-storage without a reference held: no wait, no task needed */
Test(nvdimm, storage_unbind_without_a_pin_does_not_wait, .init = fx_init_modern)
{
	struct file *f = written_file(1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0), pfn;

	k->policy.sw[SW_UNBIND_STORAGE] = 1;
	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_PIN, &pfn), 1);
	gup_release_page(k, pfn, true);
	cr_assert_eq(nvdimm_unbind(k), 0);
	cr_assert_null(k->hang);
	cr_assert(k->pmem.dead);
}
