// SPDX-License-Identifier: GPL-2.0
/*
 * model/lockdep.c: lock classes by name, the held stacks with their
 * sites, the dependency graph across tasks and kernels, the first
 * inversion (direct and through a path) with both acquisition stacks,
 * trylocks, the report once per attach, and the model's own locks (page
 * and entry locks, a DAX fault, punch and truncate in one order).
 */
#include <criterion/criterion.h>

#include "fixture.h"
#include "linux_fs.h"
#include "lock.h"
#include "lockdep.h"
#include "pagemap.h"
#include "task.h"

static struct lockdep *ld;
static struct lock la, lb, lc, la2;

static void ld_init(void)
{
	fx_init();
	ld = lockdep_create();
	lockdep_attach(k, ld);
	lock_init(&la, "A");
	lock_init(&lb, "B");
	lock_init(&lc, "C");
	lock_init(&la2, "A");	/* a second lock of class A */
}

static void ld_fini(void)
{
	lockdep_attach(k, NULL);
	fx_fini();
	lockdep_destroy(ld);
}

TestSuite(lockdep, .init = ld_init, .fini = ld_fini);

/* The sites are the callers' names: these functions. */
static void take_ab(struct kernel *kk, void *arg)
{
	down_write(kk, &la);
	mutex_lock(kk, &lb);
	mutex_unlock(kk, &lb);
	up_write(kk, &la);
}

static void take_ba(struct kernel *kk, void *arg)
{
	mutex_lock(kk, &lb);
	down_read(kk, &la);
	up_read(kk, &la);
	mutex_unlock(kk, &lb);
}

static void take_bc(struct kernel *kk, void *arg)
{
	spin_lock(kk, &lb);
	spin_lock(kk, &lc);
	spin_unlock(kk, &lc);
	spin_unlock(kk, &lb);
}

static void take_ca(struct kernel *kk, void *arg)
{
	mutex_lock(kk, &lc);
	mutex_lock(kk, &la);
	mutex_unlock(kk, &la);
	mutex_unlock(kk, &lc);
}

Test(lockdep, attach_sets_the_slow_path)
{
	cr_assert(k->lock_slowpath);
	lockdep_attach(k, NULL);
	cr_assert_not(k->lock_slowpath, "one thread, no lockdep: the fast path");
	cr_assert_eq(lockdep_held(k, 0), 0);
	lockdep_attach(k, ld);
	cr_assert(k->lock_slowpath);
}

Test(lockdep, both_orders_in_one_thread)
{
	const char *from, *to;

	take_ab(k, NULL);
	cr_assert_not(lockdep_inverted(ld));
	cr_assert_not(lockdep_take_report(ld));
	take_ba(k, NULL);
	cr_assert(lockdep_inverted(ld));
	cr_assert(lockdep_inversion(ld, &from, &to));
	cr_assert_str_eq(from, "B", "B was held");
	cr_assert_str_eq(to, "A", "when A was taken");
	cr_assert(lockdep_take_report(ld));
	cr_assert_not(lockdep_take_report(ld), "once");
	take_ba(k, NULL);
	cr_assert_not(lockdep_take_report(ld), "once per attach");
}

Test(lockdep, a_consistent_order_is_no_inversion)
{
	for (int i = 0; i < 3; i++) {
		take_ab(k, NULL);
		take_bc(k, NULL);
	}
	cr_assert_not(lockdep_inverted(ld));
	cr_assert_not_null(lockdep_edge(ld, "A", "B"));
	cr_assert_not_null(lockdep_edge(ld, "B", "C"));
	cr_assert_null(lockdep_edge(ld, "A", "C"), "A is not held when C is taken");
	cr_assert_null(lockdep_edge(ld, "B", "A"));
}

Test(lockdep, a_path_back_is_an_inversion)
{
	GString *r = g_string_new(NULL);
	const char *from, *to;

	take_ab(k, NULL);
	take_bc(k, NULL);
	cr_assert_not(lockdep_inverted(ld));
	take_ca(k, NULL);
	cr_assert(lockdep_inversion(ld, &from, &to));
	cr_assert_str_eq(from, "C");
	cr_assert_str_eq(to, "A");
	lockdep_report(ld, r);
	cr_assert(strstr(r->str, "C then A: task 0 took A in take_ca holding C (take_ca)"), "%s", r->str);
	cr_assert(strstr(r->str, "but A then B then C before: task 0 took B in take_ab holding A (take_ab); "
			 "task 0 took C in take_bc holding B (take_bc)"), "%s", r->str);
	g_string_free(r, TRUE);
}

/* Task 1 runs to its end before task 2 starts: no deadlock, the inversion all the same. */
Test(lockdep, both_orders_across_two_tasks)
{
	GString *r = g_string_new(NULL);
	const struct ld_stack *ab, *ba;

	kthread_create(k, NULL, take_ab, NULL);
	kthread_create(k, NULL, take_ba, NULL);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert(lockdep_inverted(ld));
	ab = lockdep_edge(ld, "A", "B");
	ba = lockdep_edge(ld, "B", "A");
	cr_assert_eq(ab->task, 1);
	cr_assert_eq(ba->task, 2);
	cr_assert_eq(ba->n, 2);
	cr_assert_str_eq(lockdep_class_name(ld, ba->f[0].cls), "B");
	cr_assert_str_eq(ba->f[0].site, "take_ba");
	cr_assert_not(ba->f[0].read);
	cr_assert_str_eq(lockdep_class_name(ld, ba->f[1].cls), "A");
	cr_assert(ba->f[1].read, "down_read");
	lockdep_report(ld, r);
	cr_assert_str_eq(r->str, "B then A: task 2 took A for read in take_ba holding B (take_ba); "
			 "but A then B before: task 1 took B in take_ab holding A (take_ab)");
	cr_assert(!k->lock_slowpath == !k->lockdep);
	g_string_free(r, TRUE);
}

/* Switching at every point: the ABBA deadlock; both edges were recorded before the waits. */
Test(lockdep, a_deadlocked_schedule_records_the_inversion)
{
	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, take_ab, NULL);
	kthread_create(k, NULL, take_ba, NULL);
	cr_assert_eq(sched_run(k), SCHED_DEADLOCK);
	cr_assert(lockdep_inverted(ld));
	cr_assert_eq(lockdep_held(k, 1), 2, "A, and B waited for");
	cr_assert_eq(lockdep_held(k, 2), 2);
	kernel_abandon(k);
	k = kernel_create(POLICY_DAX_2017, 64 << 20, 64 << 20);
	lockdep_attach(k, ld);
}

/* The graph outlives the kernel: one order in each, found in the second. */
Test(lockdep, the_graph_spans_kernels)
{
	take_ab(k, NULL);
	lockdep_attach(k, NULL);
	kernel_destroy(k);
	k = kernel_create(POLICY_DAX_2017, 64 << 20, 64 << 20);
	lockdep_attach(k, ld);
	cr_assert_not(lockdep_inverted(ld));
	take_ba(k, NULL);
	cr_assert(lockdep_inverted(ld));
	cr_assert(lockdep_take_report(ld));
}

/*
 * Each attach is a run: the inversion is reported again when the run
 * takes the edge that closed the cycle (B -> A), not for the other one.
 */
Test(lockdep, reported_again_in_each_run_that_takes_the_closing_edge)
{
	take_ab(k, NULL);
	take_ba(k, NULL);
	cr_assert(lockdep_take_report(ld));
	lockdep_attach(k, ld);
	take_ab(k, NULL);
	cr_assert_not(lockdep_take_report(ld), "A -> B is the known order");
	take_ba(k, NULL);
	cr_assert(lockdep_take_report(ld), "B -> A closed the cycle");
	take_ba(k, NULL);
	cr_assert_not(lockdep_take_report(ld));
}

/* A trylock adds no edge into its class, but orders what is taken under it. */
Test(lockdep, a_trylock_is_held_but_not_ordered)
{
	down_write(k, &la);
	lockdep_acquire(k, &lb, "B", "trylocker", LD_TRY, NULL);
	cr_assert_eq(lockdep_held(k, 0), 2);
	mutex_lock(k, &lc);
	cr_assert_null(lockdep_edge(ld, "A", "B"));
	cr_assert_not_null(lockdep_edge(ld, "B", "C"));
	cr_assert_not_null(lockdep_edge(ld, "A", "C"));
	mutex_unlock(k, &lc);
	lockdep_release(k, &lb);
	up_write(k, &la);
	take_ba(k, NULL);
	cr_assert_not(lockdep_inverted(ld), "B -> A alone: the trylock made no A -> B");
}

/* Two locks of one class nest without an edge (fork's two mmap_sems). */
Test(lockdep, one_class_nested_adds_no_edge)
{
	down_write(k, &la);
	down_write(k, &la2);
	cr_assert_eq(lockdep_held(k, 0), 2);
	cr_assert_null(lockdep_edge(ld, "A", "A"));
	up_write(k, &la2);
	up_write(k, &la);
	cr_assert_not(lockdep_inverted(ld));
}

/* The held stack: counts, a release out of order, the description. */
Test(lockdep, held_counts_and_description)
{
	GString *s = g_string_new(NULL);
	char *want;

	down_read(k, &la);
	mutex_lock(k, &lb);
	spin_lock(k, &lc);
	cr_assert_eq(lockdep_held(k, 0), 3);
	mutex_unlock(k, &lb);		/* not the last taken */
	cr_assert_eq(lockdep_held(k, 0), 2);
	lockdep_describe_held(k, 0, s);
	want = g_strdup_printf("A for read (%s), C (%s)", __func__, __func__);
	cr_assert_str_eq(s->str, want);
	g_free(want);
	spin_unlock(k, &lc);
	up_read(k, &la);
	cr_assert_eq(lockdep_held(k, 0), 0);
	g_string_free(s, TRUE);
}

/* Page locks are one class, counted as held; lock_page() names its caller. */
Test(lockdep, page_locks_are_held_and_ordered)
{
	struct file *f = new_file(16 * P);
	struct address_space *mapping = &f->inode->i_data;
	struct page *page = find_or_create_page(k, mapping, 0);
	const struct ld_stack *st;

	cr_assert_eq(lockdep_held(k, 0), 1, "find_or_create_page returns it locked");
	down_write(k, &la);
	st = lockdep_edge(ld, LD_PAGE_LOCK, "A");
	cr_assert_not_null(st);
	cr_assert_str_eq(st->f[0].site, "find_or_create_page");
	up_write(k, &la);
	unlock_page(k, page);
	cr_assert_eq(lockdep_held(k, 0), 0);
	put_page(k, page);
	put_page(k, page);
}

/*
 * A DAX write fault (v4.14): mmap_sem, then i_mmap_sem for read, then the
 * entry lock (grab_mapping_entry()), which does not depend on the
 * tree_lock its wait drops; the entry is held when tree_lock is taken to
 * insert the block. All released by the end.
 */
Test(lockdep, a_dax_fault_orders_the_entry_lock)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(store(mm, a + P, 7).sig, SIG_NONE);
	cr_assert_eq(lockdep_held(k, 0), 0);
	cr_assert_not_null(lockdep_edge(ld, "mmap_sem", "i_mmap_sem"));
	cr_assert_not_null(lockdep_edge(ld, "mmap_sem", LD_DAX_ENTRY_LOCK));
	cr_assert_not_null(lockdep_edge(ld, "i_mmap_sem", LD_DAX_ENTRY_LOCK));
	cr_assert_str_eq(lockdep_edge(ld, "i_mmap_sem", LD_DAX_ENTRY_LOCK)->f[2].site,
			 "grab_mapping_entry");
	cr_assert_not_null(lockdep_edge(ld, LD_DAX_ENTRY_LOCK, "tree_lock"));
	cr_assert_null(lockdep_edge(ld, "tree_lock", LD_DAX_ENTRY_LOCK));
	cr_assert_not(lockdep_inverted(ld));
}

/* Truncate and punch hole take the inode lock, then i_mmap_sem: one order. */
Test(lockdep, truncate_and_punch_agree)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	const struct ld_stack *st;

	cr_assert_eq(store(mm, a + 4 * P, 7).sig, SIG_NONE);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4 * P, P), 0);
	cr_assert_eq(vfs_truncate(k, f, 2 * P), 0);
	cr_assert_eq(lockdep_held(k, 0), 0);
	st = lockdep_edge(ld, "i_rwsem", "i_mmap_sem");
	cr_assert_not_null(st);
	cr_assert_str_eq(st->f[0].site, "ext4_punch_hole");
	cr_assert_str_eq(st->f[1].site, "ext4_punch_hole");
	cr_assert_not(lockdep_inverted(ld));
}

/*
 * bug-punch-lock-order: punch takes i_mmap_sem before the inode lock;
 * a truncate after it (inode lock, then i_mmap_sem in ext4_setattr())
 * closes the cycle in one thread, with nothing contended.
 */
static void punch_then_truncate(bool bug)
{
	struct file *f = new_file(16 * P);
	const char *from, *to;
	GString *r = g_string_new(NULL);

	k->policy.sw[SW_BUG_PUNCH_LOCK_ORDER] = bug;
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4 * P, P), 0);
	cr_assert_eq(lockdep_held(k, 0), 0);
	cr_assert_eq(vfs_truncate(k, f, 8 * P), 0);
	cr_assert_eq(lockdep_held(k, 0), 0);
	cr_assert_eq(lockdep_inverted(ld), bug);
	if (bug) {
		cr_assert(lockdep_inversion(ld, &from, &to));
		cr_assert_str_eq(from, "i_rwsem");
		cr_assert_str_eq(to, k->policy.id == POLICY_MODERN ? "invalidate_lock" : "i_mmap_sem");
		lockdep_report(ld, r);
		cr_assert(strstr(r->str, "in ext4_setattr holding i_rwsem (vfs_truncate)"), "%s", r->str);
		cr_assert(strstr(r->str, "took i_rwsem in ext4_punch_hole holding "), "%s", r->str);
	}
	g_string_free(r, TRUE);
}

Test(lockdep, punch_lock_order_variant_v4_14)
{
	punch_then_truncate(true);
}

Test(lockdep, punch_lock_order_unmodified_v4_14)
{
	punch_then_truncate(false);
}

static void ld_init_era(enum policy_id pol)
{
	lockdep_attach(k, NULL);
	kernel_destroy(k);
	k = kernel_create(pol, 64UL << 20, 64UL << 20);
	lockdep_attach(k, ld);
}

Test(lockdep, punch_lock_order_variant_v4_5)
{
	ld_init_era(POLICY_DAX_2016);
	punch_then_truncate(true);
}

Test(lockdep, punch_lock_order_variant_6_1)
{
	ld_init_era(POLICY_MODERN);
	punch_then_truncate(true);
}

/* The variant's punch at or past EOF returns early: both locks dropped. */
Test(lockdep, punch_lock_order_past_eof_holds_nothing)
{
	struct file *f = new_file(4 * P);

	k->policy.sw[SW_BUG_PUNCH_LOCK_ORDER] = 1;
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 8 * P, P), 0);
	cr_assert_eq(lockdep_held(k, 0), 0);
	cr_assert_not(lock_held(&f->inode->i_mmap_sem));
	cr_assert_not(lock_held(&f->inode->i_rwsem));
}
