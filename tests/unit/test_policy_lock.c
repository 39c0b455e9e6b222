// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/policy.c, model/lock.c and model/kernel.c: policy
 * and switch names, which policy is modelled, lock owner bookkeeping, and
 * the kernel object (accounting, logical clock, not-modelled reports).
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <signal.h>
#include <string.h>

#include "ext4.h"
#include "kernel.h"
#include "lock.h"
#include "mm.h"
#include "policy.h"

/* ---- policies and switches (policy.h) ---- */

Test(policy, lookup_names)
{
	cr_assert_eq(policy_lookup("dax-2017"), POLICY_DAX_2017);
	cr_assert_eq(policy_lookup("xip-2014"), POLICY_XIP_2014);
	cr_assert_eq(policy_lookup("modern"), POLICY_MODERN);
	cr_assert_eq(policy_lookup("dax-2018"), -1);
	cr_assert_eq(policy_lookup(""), -1);
	cr_assert_eq(policy_lookup("DAX-2017"), -1, "names are exact");
	for (int i = 0; i < NR_POLICIES; i++) {
		cr_assert_not_null(policy_names[i]);
		cr_assert_eq(policy_lookup(policy_names[i]), i, "%s", policy_names[i]);
	}
	/* every policy is modelled in this release */
	for (int i = 0; i < NR_POLICIES; i++)
		cr_assert(policy_modelled(i), "%s", policy_names[i]);
}

/* Every switch has a unique name and summary; bug variants are off in every policy. */
Test(policy, switches)
{
	for (int i = 0; i < NR_SWITCHES; i++) {
		cr_assert_not_null(switch_descs[i].name);
		cr_assert_not_null(switch_descs[i].summary);
		cr_assert(switch_descs[i].bug || i >= SW_EXT4_ZEROOUT, "%s", switch_descs[i].name);
		cr_assert_eq(switch_lookup(switch_descs[i].name), i, "%s", switch_descs[i].name);
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(switch_descs[i].name, switch_descs[j].name);
	}
	cr_assert_eq(switch_lookup("bug-no-zero-unmap"), SW_BUG_NO_ZERO_UNMAP);
	cr_assert_eq(switch_lookup("no-such-switch"), -1);
	for (int p = 0; p < NR_POLICIES; p++) {
		struct policy pol;

		memset(&pol, 0xff, sizeof(pol));
		policy_init(&pol, p);
		cr_assert_eq((int)pol.id, (int)p);
		for (int i = 0; i < NR_SWITCHES; i++)
			if (switch_descs[i].bug)
				cr_assert_eq(pol.sw[i], 0, "%s in %s", switch_descs[i].name,
					     policy_names[p]);
		/* ext4's zeroout of unwritten extents: v4.0, v4.5, v4.14 and 6.1 (docs/findings.md) */
		cr_assert_eq(pol.sw[SW_EXT4_ZEROOUT], p == POLICY_DAX_2014 || p == POLICY_DAX_2016 ||
			     p == POLICY_DAX_2017 || p == POLICY_MODERN);
		/* the changes after v4.14: on in modern only (6.1 has them all) */
		for (int i = SW_DAX_MKCLEAN_RANGE; i < SW_DAX_MKCLEAN; i++)
			cr_assert_eq(pol.sw[i], p == POLICY_MODERN, "%s in %s",
				     switch_descs[i].name, policy_names[p]);
		/* v4.10's clean-on-fsync: a switch against dax-2016, on in no preset */
		cr_assert_eq(pol.sw[SW_DAX_MKCLEAN], 0);
	}
}

/* ---- locks (lock.h) ---- */

Test(lock, readers_and_writer)
{
	struct kernel *k = kernel_create(POLICY_DAX_2017, 1UL << 20, 1UL << 20);
	struct lock l;

	lock_init(&l, "mmap_sem");
	cr_assert_str_eq(l.name, "mmap_sem");
	cr_assert_eq(l.owner, -1);
	cr_assert_eq(l.readers, 0);
	cr_assert_not(lock_held(&l));
	down_read(k, &l);
	down_read(k, &l);
	cr_assert(lock_held(&l));
	cr_assert_eq(l.readers, 2);
	cr_assert_eq(l.owner, -1, "readers have no owner");
	up_read(k, &l);
	cr_assert(lock_held(&l));
	up_read(k, &l);
	cr_assert_not(lock_held(&l));

	k->current = 3;
	down_write(k, &l);
	cr_assert_eq(l.owner, 3, "the writer is the running thread");
	cr_assert_eq(l.readers, 0);
	cr_assert(lock_held(&l));
	up_write(k, &l);
	cr_assert_eq(l.owner, -1);
	cr_assert_not(lock_held(&l));

	spin_lock(k, &l);
	cr_assert_eq(l.owner, 3);
	spin_unlock(k, &l);
	mutex_lock(k, &l);
	cr_assert(lock_held(&l));
	mutex_unlock(k, &l);
	cr_assert_not(lock_held(&l));
	k->current = 0;
	kernel_destroy(k);
}

/*
 * lock.c: with one thread a contended lock is a model bug: an assertion.
 * Its message goes to a pipe nobody reads, so a passing suite prints nothing
 * alarming.
 */
Test(lock, write_while_read_held_aborts, .signal = SIGABRT, .init = cr_redirect_stderr)
{
	struct kernel *k = kernel_create(POLICY_DAX_2017, 1UL << 20, 1UL << 20);
	struct lock l;

	lock_init(&l, "i_rwsem");
	down_read(k, &l);
	down_write(k, &l);
}

/* Every system call and fault leaves every lock it took released. */
Test(lock, released_after_operations)
{
	struct kernel *k = kernel_create(POLICY_DAX_2017, 64UL << 20, 64UL << 20);
	struct inode *inode = ext4_create(k, true, 16 * PAGE_SIZE);
	struct file *f = file_open(k, inode, FMODE_READ | FMODE_WRITE);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	long q = do_mmap(k, mm, f, 0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	char buf[8];

	cr_assert_geq(a, 0);
	cr_assert_geq(q, 0);
	cr_assert_eq(user_access(k, mm, a, 8, false, 0).sig, SIG_NONE);
	cr_assert_eq(user_access(k, mm, a + PAGE_SIZE, 8, true, 1).sig, SIG_NONE);
	cr_assert_eq(user_access(k, mm, a, 8, true, 1).sig, SIG_NONE);
	cr_assert_eq(user_access(k, mm, q + 2 * PAGE_SIZE, 8, true, 1).sig, SIG_NONE);
	cr_assert_eq(user_access(k, mm, 0x100000000000UL, 8, false, 0).sig, SIG_SEGV);
	cr_assert_eq(vfs_write(k, f, 3 * PAGE_SIZE, "abc", 3), 3);
	cr_assert_eq(vfs_read(k, f, 0, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	cr_assert_eq(do_msync(k, mm, a, 16 * PAGE_SIZE, MS_SYNC), 0);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
				   PAGE_SIZE), 0);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_ZERO_RANGE, PAGE_SIZE, PAGE_SIZE), 0);
	cr_assert_eq(vfs_fallocate(k, f, 0, 8 * PAGE_SIZE, PAGE_SIZE), 0);
	cr_assert_eq(vfs_truncate(k, f, 2 * PAGE_SIZE + 5), 0);
	cr_assert_eq(do_mprotect(k, mm, a, PAGE_SIZE, PROT_READ), 0);
	cr_assert_eq(do_madvise(k, mm, a, PAGE_SIZE, MADV_DONTNEED), 0);
	cr_assert_eq(vfs_fsync_range(k, f, 0, 1L << 40, 0), 0);
	cr_assert_eq(do_munmap(k, mm, a, PAGE_SIZE), 0);

	cr_assert_not(lock_held(&mm->mmap_sem));
	cr_assert_not(lock_held(&inode->i_rwsem));
	cr_assert_not(lock_held(&inode->i_mmap_sem));
	cr_assert_not(lock_held(&inode->i_data.tree_lock));
	cr_assert_not(lock_held(&inode->i_data.i_mmap_rwsem));
	mm_destroy(k, mm);
	file_close(k, f);
	kernel_destroy(k);
}

/* ---- the kernel object (kernel.h) ---- */

Test(kernel, create_and_accounting)
{
	struct kernel *k = kernel_create(POLICY_DAX_2017, 8UL << 20, 2UL << 20);
	unsigned long before = k->model_bytes;
	void *obj;

	cr_assert_eq(k->policy.id, POLICY_DAX_2017);
	cr_assert_eq(k->pmem.nr_pages, (8UL << 20) >> PAGE_SHIFT);
	cr_assert_eq(k->sb.nr_blocks, (8UL << 20) >> PAGE_SHIFT);
	cr_assert_eq(k->sb.nr_free, k->sb.nr_blocks);
	cr_assert_eq(k->dram.nr_pages, (2UL << 20) >> PAGE_SHIFT);
	cr_assert_eq(k->mms->len, 0);
	obj = kzalloc(k, 100);
	cr_assert_eq(((char *)obj)[99], 0);
	cr_assert_eq(k->model_bytes, before + 100);
	kfree(k, obj, 100);
	kfree(k, NULL, 100);
	cr_assert_eq(k->model_bytes, before);

	uint64_t t1 = current_time(k), t2 = current_time(k);

	cr_assert_gt(t2, t1, "every timestamp update ticks");
	cr_assert_null(k->not_modelled);
	cr_assert_eq(not_modelled(k, "a reason"), VM_FAULT_NOTMODELLED);
	cr_assert_str_eq(k->not_modelled, "a reason");
	cr_assert(VM_FAULT_NOTMODELLED & VM_FAULT_ERROR);
	kernel_destroy(k);
}

/* mm ids come in creation order; kernel_destroy takes what is left. */
Test(kernel, mms_in_creation_order)
{
	struct kernel *k = kernel_create(POLICY_DAX_2017, 1UL << 20, 1UL << 20);
	struct mm_struct *a = mm_create(k), *b = mm_create(k), *c = mm_create(k);

	cr_assert_eq(a->id, 0);
	cr_assert_eq(b->id, 1);
	cr_assert_eq(c->id, 2);
	cr_assert_eq(k->mms->len, 3);
	mm_destroy(k, b);
	cr_assert_eq(k->mms->len, 2);
	cr_assert_eq(g_ptr_array_index(k->mms, 0), a);
	cr_assert_eq(g_ptr_array_index(k->mms, 1), c);
	cr_assert_eq(mm_create(k)->id, 3, "ids are not reused");
	kernel_destroy(k);
}

/* Every switch says where it comes from and which policies' code it changes. */
Test(policy, every_switch_names_its_origin_and_policies)
{
	for (int i = 0; i < NR_SWITCHES; i++) {
		cr_assert(switch_descs[i].origin && switch_descs[i].origin[0], "%s",
			  switch_descs[i].name);
		cr_assert(switch_descs[i].policies, "%s", switch_descs[i].name);
		cr_assert_eq(switch_descs[i].policies >> NR_POLICIES, 0u, "%s",
			     switch_descs[i].name);
	}
}
