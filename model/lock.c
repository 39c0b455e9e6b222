// SPDX-License-Identifier: GPL-2.0
/*
 * Locks under the scheduler (task.h): the slow paths lock.h calls when
 * k->sched.active. Each acquisition is first a scheduling point; a task
 * that cannot have the lock joins its FIFO wait list and sleeps. The
 * unlocks are lock.h's, unchanged; lock_wake_pending() issues what they
 * owe at the unlocking task's next point: the waiters the v4.14 kernel
 * wakes, with the lock passed on where the kernel passes it:
 *   rwsem  kernel/locking/rwsem-xadd.c, v4.14.177 (x86 fast paths in
 *          arch/x86/include/asm/rwsem.h); no optimistic spinning (one CPU)
 *   mutex  kernel/locking/mutex.c, v4.14.177: the first waiter, handoff
 *   spin   kernel/locking/qspinlock.c, v4.14.177: a queue, FIFO
 */
#include <assert.h>

#include "lock.h"
#include "task.h"

void lock_init(struct lock *l, const char *name)
{
	l->name = name;
	l->owner = -1;
	l->readers = 0;
	l->reader_ids = 0;
	l->wait_list = NULL;
	l->handoff = false;
	l->ld_id = 0;
	l->ld_class = -1;
}

bool lock_held(const struct lock *l)
{
	return l->owner >= 0 || l->readers > 0;
}

/* list_add_tail(&waiter.list, &sem->wait_list) */
static void waiter_add_tail(struct kernel *k, struct lock *l, struct task *t,
			    enum lock_kind kind, bool write)
{
	struct sched *s = &k->sched;
	struct task **pp = &l->wait_list;

	if (!l->wait_list) {
		s->contended[s->nr_contended++] = l;
		l->kind = kind;
	}
	while (*pp)
		pp = &(*pp)->wait_next;
	*pp = t;
	t->wait_next = NULL;
	t->blocked_on = l;
	t->wait_write = write;
}

/* Off the wait list; a lock without waiters leaves the contended ones. */
static void waiter_del(struct kernel *k, struct lock *l, struct task *t)
{
	struct sched *s = &k->sched;
	struct task **pp = &l->wait_list;

	while (*pp != t)
		pp = &(*pp)->wait_next;
	*pp = t->wait_next;
	t->wait_next = NULL;
	t->blocked_on = NULL;
	if (l->wait_list)
		return;
	for (int i = 0; i < s->nr_contended; i++)
		if (s->contended[i] == l) {
			s->contended[i] = s->contended[--s->nr_contended];
			return;
		}
	assert(!"a contended lock not in sched.contended");
}

void lock_waiter_abandon(struct kernel *k, struct task *t)
{
	waiter_del(k, t->blocked_on, t);
}

/* Sleep in TASK_UNINTERRUPTIBLE until an unlock wakes us. */
static void lock_sleep(struct kernel *k, struct lock *l)
{
	k->sched.running->state = TASK_UNINTERRUPTIBLE;
	schedule(k, l->name);
}

static void read_grant(struct lock *l, struct task *t)
{
	assert(t->nr_read_held < TASK_MAX_READ_HELD && !(l->reader_ids & (1ULL << t->id)));
	t->read_held[t->nr_read_held++] = l;
	l->readers++;
	l->reader_ids |= 1ULL << t->id;
}

/* The active part of sem->count: a writer or readers hold it. */
static bool rwsem_active(const struct lock *l)
{
	return l->owner >= 0 || l->readers > 0;
}

/*
 * __rwsem_mark_wake(), rwsem-xadd.c v4.14.177 L127-243. A writer at the
 * head is only woken (RWSEM_WAKE_ANY, L141-153): it takes the lock itself
 * when it runs, and another writer may steal it first. Readers at the head
 * are granted the lock before they wake, every reader up to the first
 * writer in the queue (L204-210: the walk stops at a writer).
 * @any: RWSEM_WAKE_ANY, else RWSEM_WAKE_READERS.
 */
static void rwsem_mark_wake(struct kernel *k, struct lock *l, bool any)
{
	struct task *w = l->wait_list;

	if (w->wait_write) {
		if (any)
			wake_up_process(k, w);
		return;
	}
	while ((w = l->wait_list) && !w->wait_write) {
		waiter_del(k, l, w);
		read_grant(l, w);
		wake_up_process(k, w);
	}
}

void down_read_sched(struct kernel *k, struct lock *l)
{
	struct task *t = k->sched.running;

	sched_point(k, l->name);
	/* __down_read(): the count stays non-negative with no writer and no waiter */
	if (l->owner < 0 && !l->wait_list) {
		read_grant(l, t);
		return;
	}
	/*
	 * __rwsem_down_read_failed_common() L255-275: queue, and wake the
	 * head if nobody is active (the writer woken but not yet running
	 * stays first: we wait behind it).
	 */
	waiter_add_tail(k, l, t, LOCK_RWSEM, false);
	if (!rwsem_active(l))
		rwsem_mark_wake(k, l, true);
	while (t->blocked_on)		/* L281-293: until waiter.task is cleared */
		lock_sleep(k, l);
}

void down_write_sched(struct kernel *k, struct lock *l)
{
	struct task *t = k->sched.running;
	bool waiting;

	sched_point(k, l->name);
	/* __down_write(): the count was 0, nobody active or waiting */
	if (!rwsem_active(l) && !l->wait_list) {
		l->owner = t->id;
		return;
	}
	/*
	 * __rwsem_down_write_failed_common() L536-557: queue; with waiters
	 * ahead and the lock read-owned, grant the readers at the head.
	 */
	waiting = l->wait_list != NULL;
	waiter_add_tail(k, l, t, LOCK_RWSEM, true);
	if (waiting && l->owner < 0 && l->readers > 0)
		rwsem_mark_wake(k, l, false);
	/* L578-593: rwsem_try_write_lock() wins once nobody is active, queued first or not */
	while (rwsem_active(l))
		lock_sleep(k, l);
	waiter_del(k, l, t);
	l->owner = t->id;
}

/*
 * __mutex_lock_common(), mutex.c v4.14.177: a free owner is taken by
 * anyone (__mutex_trylock(), L123), waiters or not. A waiter that wakes
 * first in the queue and still finds it taken sets MUTEX_FLAG_HANDOFF
 * (L839-843): the next unlock hands the mutex to it.
 */
void mutex_lock_sched(struct kernel *k, struct lock *l)
{
	struct task *t = k->sched.running;
	bool first = false;

	sched_point(k, l->name);
	if (l->owner < 0) {
		l->owner = t->id;
		return;
	}
	waiter_add_tail(k, l, t, LOCK_MUTEX, true);
	for (;;) {
		lock_sleep(k, l);
		if (!first && l->wait_list == t) {
			first = true;
			l->handoff = true;
		}
		/* L851: __mutex_trylock(), or the owner field is ours (the handoff's PICKUP) */
		if (l->owner < 0 || l->owner == t->id)
			break;
	}
	waiter_del(k, l, t);
	l->owner = t->id;
	l->handoff = false;	/* L108: the trylock clears HANDOFF */
}

/*
 * queued_spin_lock() (include/asm-generic/qspinlock.h v4.14.177 L83-91)
 * takes the lock word only from 0: a queued spinner keeps it non-zero,
 * so newcomers queue behind and the lock passes in queue order
 * (queued_spin_lock_slowpath()). A spinner does not sleep, but it cannot
 * go on either: the model parks it until the lock is passed to it.
 */
void spin_lock_sched(struct kernel *k, struct lock *l)
{
	struct task *t = k->sched.running;

	sched_point(k, l->name);
	if (l->owner < 0 && !l->wait_list) {
		l->owner = t->id;
		return;
	}
	waiter_add_tail(k, l, t, LOCK_SPIN, true);
	while (l->owner != t->id)
		lock_sleep(k, l);
}

/*
 * The slow paths lock.h takes with k->lock_slowpath: lockdep first, as
 * the kernel's lock_acquire() comes before the wait (rwsem_acquire(),
 * mutex_acquire() in v4.14's down_write() and __mutex_lock_common()), so
 * that an order is recorded even when the task then deadlocks.
 */
void down_read_slow(struct kernel *k, struct lock *l, const char *site)
{
	lockdep_acquire_lock(k, l, site, LD_READ);
	if (sched_active(k)) {
		down_read_sched(k, l);
		return;
	}
	assert(l->owner < 0);
	l->readers++;
}

void down_write_slow(struct kernel *k, struct lock *l, const char *site)
{
	lockdep_acquire_lock(k, l, site, 0);
	if (sched_active(k)) {
		down_write_sched(k, l);
		return;
	}
	assert(l->owner < 0 && l->readers == 0);
	l->owner = k->current;
}

void mutex_lock_slow(struct kernel *k, struct lock *l, const char *site)
{
	lockdep_acquire_lock(k, l, site, 0);
	if (sched_active(k)) {
		mutex_lock_sched(k, l);
		return;
	}
	assert(l->owner < 0);
	l->owner = k->current;
}

void spin_lock_slow(struct kernel *k, struct lock *l, const char *site)
{
	lockdep_acquire_lock(k, l, site, 0);
	if (sched_active(k)) {
		spin_lock_sched(k, l);
		return;
	}
	assert(l->owner < 0);
	l->owner = k->current;
}

/*
 * up_read() by the running task: a read_held rwsem whose count of readers
 * lost one (only the running task ran since its last point) is no longer
 * its own.
 */
static void read_released(struct task *t)
{
	for (int i = t->nr_read_held - 1; i >= 0; i--) {
		struct lock *l = t->read_held[i];

		if (__builtin_popcountll(l->reader_ids) == l->readers)
			continue;
		assert(__builtin_popcountll(l->reader_ids) == l->readers + 1);
		l->reader_ids &= ~(1ULL << t->id);
		t->read_held[i] = t->read_held[--t->nr_read_held];
	}
}

/*
 * What an unlock of @l owes its waiters, once it is free:
 *   rwsem  __up_read() (the last reader out) and __up_write() call
 *          rwsem_wake() -> __rwsem_mark_wake(RWSEM_WAKE_ANY), L633
 *   mutex  __mutex_unlock_slowpath() L1012-1066: with MUTEX_FLAG_HANDOFF
 *          the mutex goes to the first waiter (__mutex_handoff()); the
 *          first waiter is woken
 *   spin   the waiter at the head of the queue takes the lock
 * A waiter already woken stays so (wake_up_process() of a running task).
 */
static void lock_wake(struct kernel *k, struct lock *l)
{
	struct task *next = l->wait_list;

	switch (l->kind) {
	case LOCK_RWSEM:
		if (!rwsem_active(l))
			rwsem_mark_wake(k, l, true);
		return;
	case LOCK_MUTEX:
		if (l->owner >= 0)
			return;
		if (l->handoff) {
			l->owner = next->id;
			l->handoff = false;
		}
		wake_up_process(k, next);
		return;
	case LOCK_SPIN:
		if (l->owner >= 0)
			return;
		waiter_del(k, l, next);
		l->owner = next->id;
		wake_up_process(k, next);
		return;
	}
}

void lock_wake_pending(struct kernel *k)
{
	struct sched *s = &k->sched;

	read_released(s->running);
	/* from the end: a lock whose last waiter goes leaves the array */
	for (int i = s->nr_contended - 1; i >= 0; i--)
		lock_wake(k, s->contended[i]);
}
