// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/sched.c and the blocking locks of model/lock.c:
 * simulated kernel threads, the chooser at every scheduling point, the
 * deadlock and lost-wakeup reports, the v4.14 wake order of rwsems,
 * mutexes and spinlocks, and a real fault racing a truncate.
 */
#include <criterion/criterion.h>
#include <signal.h>

#include "fixture.h"
#include "lock.h"
#include "task.h"

TestSuite(sched, .init = fx_init, .fini = fx_fini);

/* ---- choosers ---- */

/* Switch at every point: the lowest runnable task other than the running one. */
static int choose_switch(void *ctx, const int *runnable, int n, const char *point)
{
	struct kernel *kk = ctx;

	for (int i = 0; i < n; i++)
		if (runnable[i] != kk->current)
			return runnable[i];
	return runnable[0];
}

/*
 * Round robin at might_sleep("yield"): the next runnable task after the
 * last one chosen, by id, cyclically; elsewhere the last one goes on if
 * it can, else the next after it.
 */
static int rr_last;

static int choose_at_yield(void *ctx, const int *runnable, int n, const char *point)
{
	bool yield = !strcmp(point, "yield");
	int next = runnable[0];

	for (int i = 0; i < n; i++)
		if (!yield && runnable[i] == rr_last)
			return rr_last;
	for (int i = 0; i < n; i++)
		if (runnable[i] > rr_last) {
			next = runnable[i];
			break;
		}
	return rr_last = next;
}

/* An event log the tasks append to: task * 100 + event. */
static int events[64];
static int nr_events;

static void log_event(int e)
{
	cr_assert_lt(nr_events, 64);
	events[nr_events++] = k->current * 100 + e;
}

/* ---- ABBA ---- */

static struct lock lock_a, lock_b;

/* Locks A and B, tasks 1 and 2 running @one and @two, switching at every point or never. */
static void two_tasks(void (*one)(struct kernel *, void *), void (*two)(struct kernel *, void *),
		      bool interleave)
{
	lock_init(&lock_a, "A");
	lock_init(&lock_b, "B");
	if (interleave) {
		k->sched.choose = choose_switch;
		k->sched.choose_ctx = k;
	}
	kthread_create(k, NULL, one, NULL);
	kthread_create(k, NULL, two, NULL);
}

static void take_ab(struct kernel *kk, void *arg)
{
	mutex_lock(kk, &lock_a);
	mutex_lock(kk, &lock_b);
	mutex_unlock(kk, &lock_b);
	mutex_unlock(kk, &lock_a);
}

static void take_ba(struct kernel *kk, void *arg)
{
	mutex_lock(kk, &lock_b);
	mutex_lock(kk, &lock_a);
	mutex_unlock(kk, &lock_a);
	mutex_unlock(kk, &lock_b);
}

/*
 * Task 1 takes A then B, task 2 B then A; switching at every point, each
 * gets its first lock before the other asks for its second: both sleep
 * forever, each on the mutex the other owns (the classic ABBA deadlock;
 * a mutex_lock() that finds the owner set sleeps, mutex.c v4.14
 * __mutex_lock_common()).
 */
Test(sched, abba_interleaved_deadlocks)
{
	two_tasks(take_ab, take_ba, true);
	cr_assert_eq(sched_run(k), SCHED_DEADLOCK);
	cr_assert_eq(k->sched.nr_stuck, 2);
	cr_assert_eq(k->sched.stuck[0].task, 1);
	cr_assert_str_eq(k->sched.stuck[0].on, "B");
	cr_assert_eq(k->sched.stuck[0].owner, 2);
	cr_assert_not(k->sched.stuck[0].lost_wakeup);
	cr_assert_eq(k->sched.stuck[1].task, 2);
	cr_assert_str_eq(k->sched.stuck[1].on, "A");
	cr_assert_eq(k->sched.stuck[1].owner, 1);
	cr_assert_not(k->sched.stuck[1].lost_wakeup);
	cr_assert_not(k->sched.active);
}

/* The same tasks, never preempted: task 1 runs to its end, then task 2. */
Test(sched, abba_serial_completes)
{
	two_tasks(take_ab, take_ba, false);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(k->sched.nr_stuck, 0);
	cr_assert_not(lock_held(&lock_a));
	cr_assert_not(lock_held(&lock_b));
}

/* The same with rwsems taken for write: down_write() sleeps on a held rwsem. */
static void write_ab(struct kernel *kk, void *arg)
{
	down_write(kk, &lock_a);
	down_write(kk, &lock_b);
	up_write(kk, &lock_b);
	up_write(kk, &lock_a);
}

static void read_ba(struct kernel *kk, void *arg)
{
	down_read(kk, &lock_b);
	down_read(kk, &lock_a);
	up_read(kk, &lock_a);
	up_read(kk, &lock_b);
}

/* A reader holding B waits for A's writer, who waits for B: the report names the reader. */
Test(sched, rwsem_abba_reports_reader)
{
	two_tasks(write_ab, read_ba, true);
	cr_assert_eq(sched_run(k), SCHED_DEADLOCK);
	cr_assert_eq(k->sched.nr_stuck, 2);
	cr_assert_str_eq(k->sched.stuck[0].on, "B");
	cr_assert_eq(k->sched.stuck[0].owner, -1);
	cr_assert_eq(k->sched.stuck[0].readers, 1ULL << 2);
	cr_assert_str_eq(k->sched.stuck[1].on, "A");
	cr_assert_eq(k->sched.stuck[1].owner, 1);
}

/* ---- rwsem wake order ---- */

static struct lock sem;

/* the rwsem at task 1's first point after its up_write() */
static int woken_readers, first_waiter, second_waiter;
static uint64_t woken_ids;

static void writer_first(struct kernel *kk, void *arg)
{
	down_write(kk, &sem);
	log_event(1);
	might_sleep(kk, "yield");	/* the others queue up */
	up_write(kk, &sem);
	might_sleep(kk, "after");	/* the unlock's wakeups are issued here */
	woken_readers = sem.readers;
	woken_ids = sem.reader_ids;
	first_waiter = sem.wait_list ? sem.wait_list->id : 0;
	second_waiter = sem.wait_list && sem.wait_list->wait_next ?
			sem.wait_list->wait_next->id : 0;
}

static void reader(struct kernel *kk, void *arg)
{
	down_read(kk, &sem);
	log_event(2);
	might_sleep(kk, "yield");
	up_read(kk, &sem);
}

static void writer(struct kernel *kk, void *arg)
{
	down_write(kk, &sem);
	log_event(1);
	might_sleep(kk, "yield");
	up_write(kk, &sem);
}

/*
 * Task 1 holds the rwsem for write while 2 and 3 (readers), 4 (a writer)
 * and 5 (a reader) queue in that order. v4.14 rwsem-xadd.c
 * __rwsem_mark_wake() (L204-210) grants every reader up to the first
 * writer: 2 and 3 share it at once, 5 stays queued behind 4 although it
 * is a reader. The last of 2 and 3 out wakes 4 (__up_read -> rwsem_wake,
 * a writer at the head, L141-153); 4's up_write then grants 5.
 */
Test(sched, rwsem_readers_batch_up_to_writer)
{
	lock_init(&sem, "sem");
	k->sched.choose = choose_at_yield;
	rr_last = 0;
	kthread_create(k, NULL, writer_first, NULL);
	for (int i = 0; i < 2; i++)
		kthread_create(k, NULL, reader, NULL);
	kthread_create(k, NULL, writer, NULL);
	kthread_create(k, NULL, reader, NULL);
	nr_events = 0;
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(nr_events, 5);
	cr_assert_eq(events[0], 101);
	cr_assert_eq(events[1], 202);
	cr_assert_eq(events[2], 302);
	cr_assert_eq(events[3], 401);
	cr_assert_eq(events[4], 502);
	cr_assert_eq(woken_readers, 2);
	cr_assert_eq(woken_ids, (1ULL << 2) | (1ULL << 3));
	cr_assert_eq(first_waiter, 4);
	cr_assert_eq(second_waiter, 5);
	cr_assert_not(lock_held(&sem));
	cr_assert_null(sem.wait_list);
}

/*
 * A reader arriving while readers hold the rwsem but a writer waits
 * queues behind the writer: __down_read()'s count is negative with a
 * waiter (arch/x86/include/asm/rwsem.h v4.14 L64), so readers cannot
 * starve the writer. Task 1 reads, 2 writes (queues), 3 reads (queues
 * behind 2): the order of the critical sections is 1, 2, 3.
 */
Test(sched, rwsem_reader_queues_behind_waiting_writer)
{
	lock_init(&sem, "sem");
	k->sched.choose = choose_at_yield;
	rr_last = 0;
	kthread_create(k, NULL, reader, NULL);
	kthread_create(k, NULL, writer, NULL);
	kthread_create(k, NULL, reader, NULL);
	nr_events = 0;
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(nr_events, 3);
	cr_assert_eq(events[0], 102);
	cr_assert_eq(events[1], 201);
	cr_assert_eq(events[2], 302);
}

/* ---- mutex handoff, spinlock FIFO ---- */

static struct lock mtx;

static void mutex_loop(struct kernel *kk, void *arg)
{
	for (int i = 0; i < *(int *)arg; i++) {
		mutex_lock(kk, &mtx);
		log_event(1);
		might_sleep(kk, "yield");
		mutex_unlock(kk, &mtx);
	}
}

/*
 * Task 1 takes a mutex three times in a row, task 2 once; they switch at
 * might_sleep("yield") inside the critical section. mutex.c v4.14.177:
 * the unlock wakes the first waiter (L1056-1062), but a free mutex goes
 * to whoever asks first (__mutex_trylock(), L123): task 1, running on,
 * takes it back (events 1, 1). Task 2 then wakes first in the queue,
 * fails, and sets MUTEX_FLAG_HANDOFF (L839-843): task 1's next unlock
 * hands the mutex to task 2 (L1065, __mutex_handoff) and task 1's third
 * mutex_lock() sleeps (events 2, 1). Without the handoff it would be
 * 1, 1, 1, 2.
 */
Test(sched, mutex_steal_then_handoff)
{
	int three = 3, one = 1;

	lock_init(&mtx, "mtx");
	k->sched.choose = choose_at_yield;
	rr_last = 0;
	kthread_create(k, NULL, mutex_loop, &three);
	kthread_create(k, NULL, mutex_loop, &one);
	nr_events = 0;
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(nr_events, 4);
	cr_assert_eq(events[0], 101);
	cr_assert_eq(events[1], 101);
	cr_assert_eq(events[2], 201);
	cr_assert_eq(events[3], 101);
	cr_assert_not(lock_held(&mtx));
}

static void spin_twice(struct kernel *kk, void *arg)
{
	for (int i = 0; i < 2; i++) {
		spin_lock(kk, &mtx);
		log_event(1);
		might_sleep(kk, "yield");
		spin_unlock(kk, &mtx);
	}
}

/*
 * A queued spinlock passes to the waiter at the head of its queue: the
 * holder asking again right after its unlock queues behind it
 * (queued_spin_lock() takes the lock word only from 0, qspinlock.h
 * v4.14 L83-91). Task 1, 2, 1, 2.
 */
Test(sched, spinlock_fifo)
{
	lock_init(&mtx, "lock");
	k->sched.choose = choose_at_yield;
	rr_last = 0;
	kthread_create(k, NULL, spin_twice, NULL);
	kthread_create(k, NULL, spin_twice, NULL);
	nr_events = 0;
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(nr_events, 4);
	cr_assert_eq(events[0], 101);
	cr_assert_eq(events[1], 201);
	cr_assert_eq(events[2], 101);
	cr_assert_eq(events[3], 201);
}

/* ---- wait queues: a missing wakeup ---- */

static struct wait_queue_head wq;
static bool flag;

static bool flag_set(struct kernel *kk, const void *obj, unsigned long index)
{
	return flag;
}

static void wait_flag(struct kernel *kk, void *arg)
{
	while (!flag)
		sleep_on(kk, &wq, true, flag_set, &flag, 0);
	log_event(3);
}

static void set_flag(struct kernel *kk, void *arg)
{
	flag = true;
	if (arg)
		wake_up_key(kk, &wq, &flag, 0, false);
}

/*
 * Task 1 sleeps until the flag is set; task 2 sets it and wakes the
 * queue: both end. Without the wake_up, task 1 sleeps on with its
 * condition true: a lost wakeup, told apart from a deadlock.
 */
Test(sched, wait_queue_woken)
{
	init_waitqueue_head(&wq, "flag_wq");
	flag = false;
	nr_events = 0;
	kthread_create(k, NULL, wait_flag, NULL);
	kthread_create(k, NULL, set_flag, &wq);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(nr_events, 1);
	cr_assert_null(wq.head);
}

Test(sched, wait_queue_lost_wakeup)
{
	init_waitqueue_head(&wq, "flag_wq");
	flag = false;
	kthread_create(k, NULL, wait_flag, NULL);
	kthread_create(k, NULL, set_flag, NULL);
	cr_assert_eq(sched_run(k), SCHED_LOST_WAKEUP);
	cr_assert_eq(k->sched.nr_stuck, 1);
	cr_assert_eq(k->sched.stuck[0].task, 1);
	cr_assert_str_eq(k->sched.stuck[0].on, "flag_wq");
	cr_assert(k->sched.stuck[0].lost_wakeup);
	cr_assert_null(wq.head, "the abandoned sleeper is off the queue");
}

/* ---- a fault racing a truncate ---- */

struct race {
	struct mm_struct *mm;
	struct file *f;
	unsigned long addr;
	struct access_result res;
	unsigned bits;		/* choice i: runnable[bit i] when two can run */
	int depth, nr_choices;
};

static int choose_bits(void *ctx, const int *runnable, int n, const char *point)
{
	struct race *r = ctx;

	if (n > 1 && r->nr_choices < r->depth)
		return runnable[(r->bits >> r->nr_choices++) & 1];
	for (int i = 0; i < n; i++)	/* past the depth: no preemption */
		if (runnable[i] == k->current)
			return runnable[i];
	return runnable[0];
}

static void read_hole(struct kernel *kk, void *arg)
{
	struct race *r = arg;

	r->res = user_access(kk, r->mm, r->addr, 8, false, 0);
}

static void truncate_file(struct kernel *kk, void *arg)
{
	struct race *r = arg;

	cr_assert_eq(vfs_truncate(kk, r->f, 0), 0);
}

/*
 * dax-2017: a read of a hole (task 1: user_access, handle_mm_fault, the
 * zero page) against a truncate of the file to 0 (task 2), for every
 * choice of the first 8 two-way choices. ext4 v4.14 serializes them with
 * i_mmap_sem (ext4_dax_huge_fault() down_read, ext4_setattr()
 * down_write), so whatever the order: the run completes, the load sees
 * 0 (the hole) or SIGBUS (the fault after the new i_size, v4.14
 * dax_iomap_pte_fault() "pos >= i_size_read"), and after the truncate
 * no PTE maps the file and no entry is left (truncate_pagecache():
 * unmap_mapping_range + truncate_inode_pages_range).
 */
Test(sched, hole_read_races_truncate)
{
	bool saw_zero = false, saw_sigbus = false;

	for (unsigned bits = 0; bits < 256; bits++) {
		struct race r = { .bits = bits, .depth = 8 };

		r.mm = mm_create(k);
		r.f = new_file(P);
		r.addr = map(r.mm, r.f, P, PROT_READ, MAP_SHARED, 0);
		k->sched.choose = choose_bits;
		k->sched.choose_ctx = &r;
		kthread_create(k, r.mm, read_hole, &r);
		kthread_create(k, NULL, truncate_file, &r);
		cr_assert_eq(sched_run(k), SCHED_DONE, "choices %#x", bits);
		cr_assert(r.res.sig == SIG_NONE || r.res.sig == SIG_BUS, "choices %#x", bits);
		if (r.res.sig == SIG_NONE)
			cr_assert_eq(r.res.value, 0, "choices %#x", bits);
		saw_zero |= r.res.sig == SIG_NONE;
		saw_sigbus |= r.res.sig == SIG_BUS;
		cr_assert(pte_none(pte_at(r.mm, r.addr)), "choices %#x", bits);
		cr_assert_null(entry_at(r.f, 0), "choices %#x", bits);
		cr_assert_not(lock_held(&r.mm->mmap_sem));
		cr_assert_not(lock_held(&file_inode(r.f)->i_mmap_sem));
		fx_fini();
		fx_init();
	}
	/* both orders happen among the schedules */
	cr_assert(saw_zero);
	cr_assert(saw_sigbus);
}

/* ---- two faults on one DAX entry ---- */

struct two_faults {
	struct mm_struct *mm;
	unsigned long addr;
	struct access_result res[2];
	unsigned bits;
	int depth, nr_choices;
	bool entry_wait;	/* a task slept on the entry's wait queue */
	bool page_wait;		/* or on a page's */
};

static int choose_bits_entry(void *ctx, const int *runnable, int n, const char *point)
{
	struct two_faults *r = ctx;

	if (!strcmp(point, "dax_entry_waitqueue"))
		r->entry_wait = true;
	if (!strcmp(point, "page_waitqueue"))
		r->page_wait = true;
	if (n > 1 && r->nr_choices < r->depth)
		return runnable[(r->bits >> r->nr_choices++) & 1];
	for (int i = 0; i < n; i++)
		if (runnable[i] == k->current)
			return runnable[i];
	return runnable[0];
}

static void read_fault(struct kernel *kk, void *arg)
{
	struct two_faults *r = arg;

	r->res[kk->current - 1] = user_access(kk, r->mm, r->addr, 8, false, 0);
}

/*
 * dax-2017: two threads of one process read the same hole at once, for
 * every choice of the first 10 two-way choices. Both hold i_mmap_sem for
 * read; the first to grab_mapping_entry() locks the empty entry, and a
 * second arriving before it is unlocked sleeps on the entry's wait queue
 * (v4.14 get_unlocked_mapping_entry() L233-265) until
 * dax_unlock_mapping_entry() wakes it (L278). It then finds the zero
 * entry, and its vm_insert_mixed() meets the first one's PTE (-EBUSY, no
 * error). Whatever the order: both end, both read 0, one zero entry left
 * unlocked and the PTE present; and some schedule made one task sleep on
 * the entry.
 */
Test(sched, two_hole_reads_wait_on_entry)
{
	bool waited = false;

	for (unsigned bits = 0; bits < 1024; bits++) {
		struct two_faults r = { .bits = bits, .depth = 10 };
		struct file *f;
		void *entry;

		r.mm = mm_create(k);
		f = new_file(P);
		r.addr = map(r.mm, f, P, PROT_READ, MAP_SHARED, 0);
		k->sched.choose = choose_bits_entry;
		k->sched.choose_ctx = &r;
		kthread_create(k, r.mm, read_fault, &r);
		kthread_create(k, r.mm, read_fault, &r);
		cr_assert_eq(sched_run(k), SCHED_DONE, "choices %#x", bits);
		for (int i = 0; i < 2; i++) {
			cr_assert_eq(r.res[i].sig, SIG_NONE, "choices %#x", bits);
			cr_assert_eq(r.res[i].value, 0, "choices %#x", bits);
		}
		entry = entry_at(f, 0);
		cr_assert(entry && dax_is_zero_entry(entry) && !dax_is_locked(entry),
			  "choices %#x", bits);
		cr_assert(pte_present(pte_at(r.mm, r.addr)), "choices %#x", bits);
		cr_assert_null(k->dax_wait_table.head);
		waited |= r.entry_wait;
		fx_fini();
		fx_init();
	}
	cr_assert(waited);
}

/*
 * dax-2017, a page-cache (non-DAX) file: two threads of one process read
 * the same cold page at once, for every choice of the first 10 two-way
 * choices. The first adds the page locked and reads it (the lock held
 * while the bio is in flight); a second finding it locked in
 * filemap_fault() drops mmap_sem, waits for the unlock
 * (__lock_page_or_retry() -> wait_on_page_locked(), v4.14 mm/filemap.c
 * L1220-1236) and returns VM_FAULT_RETRY; user_access() tries again and
 * finds the PTE the first one made. Both read the file's bytes; the page ends unlocked,
 * nobody left on the page wait queue; some schedule made a task wait.
 */
Test(sched, two_reads_of_one_cold_page)
{
	bool waited = false, retried = false;

	for (unsigned bits = 0; bits < 1024; bits++) {
		struct two_faults r = { .bits = bits, .depth = 10 };
		struct file *f;

		r.mm = mm_create(k);
		f = cold_file(P, 0x5a);
		r.addr = map(r.mm, f, P, PROT_READ, MAP_SHARED, 0);
		k->sched.choose = choose_bits_entry;
		k->sched.choose_ctx = &r;
		kthread_create(k, r.mm, read_fault, &r);
		kthread_create(k, r.mm, read_fault, &r);
		cr_assert_eq(sched_run(k), SCHED_DONE, "choices %#x", bits);
		for (int i = 0; i < 2; i++) {
			cr_assert_eq(r.res[i].sig, SIG_NONE, "choices %#x", bits);
			cr_assert_eq(r.res[i].value, 0x5a5a5a5a5a5a5a5aULL, "choices %#x", bits);
			/* the waiter's last fault: its retry found the PTE */
			retried |= (r.res[i].fault_ret & VM_FAULT_RETRY) != 0;
		}
		cr_assert_not(cached(f, 0)->flags & PG_locked, "choices %#x", bits);
		cr_assert_null(k->page_wait_table.head);
		cr_assert_not(lock_held(&r.mm->mmap_sem));
		waited |= r.page_wait;
		fx_fini();
		fx_init();
	}
	cr_assert(waited);
	cr_assert(retried);
}

/* ---- the task stack ---- */

#define STACK_PAINT	0xa5

struct deep {
	struct mm_struct *mm;
	unsigned long addr;
	struct access_result res;
	size_t used;
};

/* The stack below the frames in use reads as painted: not instrumented. */
__attribute__((no_sanitize_address)) static size_t stack_used(const unsigned char *stack)
{
	size_t i = 0;

	while (i < SCHED_STACK_SIZE && stack[i] == STACK_PAINT)
		i++;
	return SCHED_STACK_SIZE - i;
}

static void write_hole(struct kernel *kk, void *arg)
{
	struct deep *d = arg;

	d->res = user_access(kk, d->mm, d->addr, 8, true, 0x77);
	d->used = stack_used(kk->sched.running->stack);
}

/*
 * The deepest path the model has, a write fault on a hole of a DAX file
 * (block allocation, extent tree, radix tree), run in a task whose stack
 * was painted below makecontext()'s first frame: the bytes it wrote stay
 * under 64 KiB, a quarter of SCHED_STACK_SIZE (sched.c's claim).
 */
Test(sched, stack_high_water)
{
	struct deep d;
	struct file *f = new_file(64 * P);
	struct task *t;

	d.mm = mm_create(k);
	d.addr = map(d.mm, f, 64 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	t = kthread_create(k, d.mm, write_hole, &d);
	memset(t->stack, STACK_PAINT, SCHED_STACK_SIZE - 512);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(d.res.sig, SIG_NONE);
	cr_assert_eq(state(f, 0), BLOCK_MAPPED);
	cr_assert_gt(d.used, 512);
	cr_assert_lt(d.used, 64 * 1024, "%zu bytes", d.used);
}

/* ---- no scheduler: one thread, as before ---- */

/*
 * Without sched_run() the model is one thread (id 0): a fault takes and
 * drops its locks with nothing switching, and a lock found held is an
 * mmsim bug, still an assertion.
 */
Test(sched, no_scheduler_fault_path)
{
	struct mm_struct *mm = mm_create(k);
	struct file *f = new_file(P);
	unsigned long a = map(mm, f, P, PROT_READ, MAP_SHARED, 0);
	struct access_result r = load(mm, a);

	cr_assert_not(k->sched.active);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.value, 0);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert_not(lock_held(&mm->mmap_sem));
	cr_assert_eq(k->current, 0);
}

Test(sched, no_scheduler_contended_lock_asserts, .signal = SIGABRT)
{
	lock_init(&lock_a, "A");
	down_write(k, &lock_a);
	down_read(k, &lock_a);
}

/* ---- cond_resched(): a poller yields ---- */

static bool polled_flag;

/* Never switches of its own: the running task goes on whenever it can. */
static int choose_stay(void *ctx, const int *runnable, int n, const char *point)
{
	struct kernel *kk = ctx;

	for (int i = 0; i < n; i++)
		if (runnable[i] == kk->current)
			return runnable[i];
	return runnable[0];
}

static void poll_flag(struct kernel *kk, void *arg)
{
	log_event(1);
	while (!polled_flag)
		cond_resched(kk);
	log_event(2);
}

static void raise_flag(struct kernel *kk, void *arg)
{
	log_event(3);
	polled_flag = true;
}

/*
 * A chooser that never preempts still lets the flag's owner run: at
 * cond_resched() the poller is offered only when nobody else can run, so
 * task 2 raises the flag after task 1's first look, and task 1 sees it.
 * Without the yield this chooser would run task 1 forever.
 */
Test(sched, cond_resched_runs_the_others_first)
{
	polled_flag = false;
	k->sched.choose = choose_stay;
	k->sched.choose_ctx = k;
	kthread_create(k, NULL, poll_flag, NULL);
	kthread_create(k, NULL, raise_flag, NULL);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(nr_events, 3);
	cr_assert_eq(events[0], 101);
	cr_assert_eq(events[1], 203);
	cr_assert_eq(events[2], 102);
}

/* Alone, the poller is offered again: cond_resched() does not stop it. */
static void poll_three_times(struct kernel *kk, void *arg)
{
	for (int i = 0; i < 3; i++) {
		cond_resched(kk);
		log_event(i);
	}
}

Test(sched, cond_resched_alone_goes_on)
{
	k->sched.choose = choose_stay;
	k->sched.choose_ctx = k;
	kthread_create(k, NULL, poll_three_times, NULL);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(nr_events, 3);
	cr_assert_eq(events[2], 102);
}
