// SPDX-License-Identifier: GPL-2.0
/*
 * The filemap-fault-retry switch (on in modern): 6.1's filemap_fault()
 * (mm/filemap.c L3100) drops the mmap lock before it reads
 * (maybe_unlock_mmap_for_io(), mm/internal.h L605) and returns
 * VM_FAULT_RETRY; the fault is redone with FAULT_FLAG_TRIED, which does no
 * async readahead, and mm_account_fault() (mm/memory.c L5110) counts the
 * completed retry major. Each test runs the switch on a dax-2017 kernel
 * (v4.14's code) and states v4.14's answer where it differs.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "ext4.h"
#include "lock.h"
#include "mm.h"
#include "pagemap.h"
#include "pgtable.h"
#include "policy.h"

TestSuite(filemap_fault_retry, .init = fx_init, .fini = fx_fini);

/*
 * A miss that may retry: read-around [0, 32) (the marker at 24) with the
 * mmap lock dropped, then VM_FAULT_MAJOR | VM_FAULT_RETRY, no page
 * returned, the lock not held; the page stays cached, unlocked.
 */
Test(filemap_fault_retry, miss_drops_the_lock_and_retries)
{
	struct file *f = cold_file(64 * P, 0x5a);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 64 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_fault vmf = fault_at(mm, a, FAULT_FLAG_ALLOW_RETRY);

	k->policy.sw[SW_FILEMAP_FAULT_RETRY] = 1;
	down_read(k, &mm->mmap_sem);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_MAJOR | VM_FAULT_RETRY);
	cr_assert_not(lock_held(&mm->mmap_sem), "maybe_unlock_mmap_for_io() dropped it");
	cr_assert_null(vmf.page);
	cr_assert_eq(f->inode->i_data.nrpages, 32);
	cr_assert(cached(f, 24)->flags & PG_readahead);
	cr_assert_not(cached(f, 0)->flags & PG_locked);
	cr_assert_eq(cached(f, 0)->refcount, 1, "only the cache's");
}

/* Without FAULT_FLAG_ALLOW_RETRY (or with TRIED) the lock stays: v4.14's answer. */
Test(filemap_fault_retry, no_allow_retry_keeps_the_lock)
{
	struct file *f = cold_file(64 * P, 0x5a);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 64 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_fault vmf = fault_at(mm, a, FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_TRIED);

	k->policy.sw[SW_FILEMAP_FAULT_RETRY] = 1;
	down_read(k, &mm->mmap_sem);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_MAJOR | VM_FAULT_LOCKED);
	cr_assert(lock_held(&mm->mmap_sem));
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
	up_read(k, &mm->mmap_sem);
}

/*
 * A hit on the marker: async readahead reads [32, 64) after dropping the
 * lock, VM_FAULT_RETRY without VM_FAULT_MAJOR; the retry (TRIED) finds the
 * page, now unmarked, and does no readahead: mmap_miss is not decremented
 * (do_async_mmap_readahead() is skipped).
 */
Test(filemap_fault_retry, marker_hit_retries_and_the_retry_reads_nothing)
{
	struct file *f = cold_file(96 * P, 0x5a);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 96 * P, PROT_READ, MAP_SHARED, 0);
	struct vm_fault vmf = fault_at(mm, a, 0);
	unsigned miss;

	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_MAJOR | VM_FAULT_LOCKED);
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
	k->policy.sw[SW_FILEMAP_FAULT_RETRY] = 1;
	vmf = fault_at(mm, a + 24 * P, FAULT_FLAG_ALLOW_RETRY);
	down_read(k, &mm->mmap_sem);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_RETRY);
	cr_assert_not(lock_held(&mm->mmap_sem));
	cr_assert_eq(f->inode->i_data.nrpages, 64);
	cr_assert_not(cached(f, 24)->flags & PG_readahead);
	cr_assert(cached(f, 32)->flags & PG_readahead);
	miss = f->f_ra.mmap_miss;
	vmf = fault_at(mm, a + 24 * P, FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_TRIED);
	down_read(k, &mm->mmap_sem);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_LOCKED);
	cr_assert_eq(vmf.page, cached(f, 24));
	cr_assert_eq(f->f_ra.mmap_miss, miss);
	cr_assert_eq(f->inode->i_data.nrpages, 64);
	unlock_page(k, vmf.page);
	put_page(k, vmf.page);
	up_read(k, &mm->mmap_sem);
}

/*
 * Readahead off: 6.1 reads the one page after dropping the lock too, so
 * the miss still retries.
 */
Test(filemap_fault_retry, single_page_read_retries)
{
	struct inode *inode = ext4_create(k, false, 16 * P);
	struct mm_struct *mm = mm_create(k);
	struct file *f;
	struct vm_fault vmf;
	unsigned long a;

	k->sb.s_bdi_ra_pages = 0;
	f = open_inode(inode, FMODE_READ);
	a = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	k->policy.sw[SW_FILEMAP_FAULT_RETRY] = 1;
	vmf = fault_at(mm, a + 3 * P, FAULT_FLAG_ALLOW_RETRY);
	down_read(k, &mm->mmap_sem);
	cr_assert_eq(filemap_fault(k, &vmf), VM_FAULT_MAJOR | VM_FAULT_RETRY);
	cr_assert_not(lock_held(&mm->mmap_sem));
	cr_assert_eq(inode->i_data.nrpages, 1);
	cr_assert_not_null(cached(f, 3));
}

/*
 * The whole path, a user load: the miss retries, the retry's fault-around
 * maps 0-15 (the page is cached now), and the access counts one major
 * fault (TRIED), two handle_mm_fault() calls. v4.14 maps only page 0.
 */
Test(filemap_fault_retry, load_retries_once_and_counts_major)
{
	struct file *f = cold_file(64 * P, 0x33);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 64 * P, PROT_READ, MAP_SHARED, 0);
	struct access_result r;

	k->policy.sw[SW_FILEMAP_FAULT_RETRY] = 1;
	r = load(mm, a);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.value, 0x3333333333333333ULL);
	cr_assert_eq(r.nr_faults, 2);
	cr_assert(r.major, "the retry, FAULT_FLAG_TRIED, counts major");
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->min_flt, 0);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 16);
	cr_assert(pte_present(pte_at(mm, a + 15 * P)));
	cr_assert_not(lock_held(&mm->mmap_sem));
	r = load(mm, a + P);
	cr_assert_eq(r.nr_faults, 0, "mapped by the retry's fault-around");
}

/*
 * mm_account_fault(): errors and VM_FAULT_RETRY are not counted; with the
 * switch a TRIED fault is major even without VM_FAULT_MAJOR; without it
 * (v4.14's __do_page_fault()) only VM_FAULT_MAJOR is.
 */
Test(filemap_fault_retry, mm_account_fault)
{
	struct mm_struct *mm = mm_create(k);

	mm_account_fault(k, mm, FAULT_FLAG_TRIED, 0);
	cr_assert_eq(mm->min_flt, 1);
	k->policy.sw[SW_FILEMAP_FAULT_RETRY] = 1;
	mm_account_fault(k, mm, 0, VM_FAULT_MAJOR | VM_FAULT_RETRY);
	mm_account_fault(k, mm, FAULT_FLAG_TRIED, VM_FAULT_SIGBUS);
	cr_assert_eq(mm->min_flt + mm->maj_flt, 1);
	mm_account_fault(k, mm, FAULT_FLAG_TRIED, VM_FAULT_NOPAGE);
	cr_assert_eq(mm->maj_flt, 1);
	mm_account_fault(k, mm, 0, 0);
	cr_assert_eq(mm->min_flt, 2);
}

/*
 * MAP_POPULATE (6.1 faultin_page(), __mm_populate()): a RETRY is not
 * counted; the address is faulted again without TRIED, a minor fault that
 * finds the page. A cold 64-page file: faults at 0, 16, 24, 32, 48, each
 * retried where it read (0, 24, 32): 5 minor, no major, all mapped.
 */
Test(filemap_fault_retry, populate_refaults_without_tried)
{
	struct file *f = cold_file(64 * P, 0x33);
	struct mm_struct *mm = mm_create(k);
	unsigned long a;

	k->policy.sw[SW_FILEMAP_FAULT_RETRY] = 1;
	a = do_mmap(k, mm, f, 0, 64 * P, PROT_READ, MAP_SHARED | MAP_POPULATE, 0);
	cr_assert_lt(a, TASK_SIZE);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert_eq(mm->min_flt, 5);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 64);
	cr_assert_not(lock_held(&mm->mmap_sem));
}
