/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locks as modelled objects with an owner, and the points where the kernel
 * may sleep. With one thread and no lockdep an acquisition or a release
 * costs a branch on k->lock_slowpath, and a contended lock is a bug in
 * mmsim, so an assertion. With a lockdep attached (lockdep.h) each
 * acquisition and release is told to it. Under sched_run()
 * (task.h) each acquisition is a scheduling point and a contended lock
 * puts the task on the lock's wait list. The unlock only drops the lock:
 * the wakeups it owes (v4.14's, lock.c) are issued by
 * lock_wake_pending() at the unlocking task's next scheduling point, as
 * the kernel's wake_q is issued after the unlock; no other task runs in
 * between, so none can tell.
 */
#ifndef MMSIM_LOCK_H
#define MMSIM_LOCK_H

#include "kernel.h"
#include "lockdep.h"

#include <assert.h>

void lock_init(struct lock *l, const char *name);

/*
 * The slow paths (lock.c): lockdep's acquisition, then the scheduler's
 * when it is active, else the single-thread one.
 */
void down_read_slow(struct kernel *k, struct lock *l, const char *site);
void down_write_slow(struct kernel *k, struct lock *l, const char *site);
void mutex_lock_slow(struct kernel *k, struct lock *l, const char *site);
void spin_lock_slow(struct kernel *k, struct lock *l, const char *site);
/* The slow paths, with the scheduler active (lock.c). */
void down_read_sched(struct kernel *k, struct lock *l);
void down_write_sched(struct kernel *k, struct lock *l);
void mutex_lock_sched(struct kernel *k, struct lock *l);
void spin_lock_sched(struct kernel *k, struct lock *l);
/* The wakeups the running task's unlocks owe; sched.c calls it at each point. */
void lock_wake_pending(struct kernel *k);
/* A task abandoned asleep on @l leaves its wait list. */
void lock_waiter_abandon(struct kernel *k, struct task *t);

static inline bool sched_active(const struct kernel *k)
{
	return __builtin_expect(k->sched.active, 0);
}

/*
 * The acquisitions, each with its site (the calling function, for
 * lockdep's stacks): down_read(k, l) is down_read_at(k, l, __func__).
 */
#define down_read(k, l)		down_read_at(k, l, __func__)
#define down_write(k, l)	down_write_at(k, l, __func__)
#define mutex_lock(k, l)	mutex_lock_at(k, l, __func__)
#define spin_lock(k, l)		spin_lock_at(k, l, __func__)

/*
 * With a single thread nobody else can hold a lock we want: finding one
 * held is a bug in the model (a missing unlock), so it is an assertion.
 * These are inline: the fault path takes several locks per fault. Under
 * sched_run() or with a lockdep attached, k->lock_slowpath sends them to
 * lock.c.
 */
static inline bool lock_slowpath(const struct kernel *k)
{
	return __builtin_expect(k->lock_slowpath, 0);
}

static inline void down_read_at(struct kernel *k, struct lock *l, const char *site)
{
	if (lock_slowpath(k)) {
		down_read_slow(k, l, site);
		return;
	}
	assert(l->owner < 0);
	l->readers++;
}

static inline void up_read(struct kernel *k, struct lock *l)
{
	if (lock_slowpath(k))
		lockdep_release(k, l);
	assert(l->readers > 0);
	l->readers--;
}

static inline void down_write_at(struct kernel *k, struct lock *l, const char *site)
{
	if (lock_slowpath(k)) {
		down_write_slow(k, l, site);
		return;
	}
	assert(l->owner < 0 && l->readers == 0);
	l->owner = k->current;
}

static inline void up_write(struct kernel *k, struct lock *l)
{
	if (lock_slowpath(k))
		lockdep_release(k, l);
	assert(l->owner == k->current);
	l->owner = -1;
}

/* mutex_lock(): exclusive; sleeps, FIFO with handoff (lock.c) */
static inline void mutex_lock_at(struct kernel *k, struct lock *l, const char *site)
{
	if (lock_slowpath(k)) {
		mutex_lock_slow(k, l, site);
		return;
	}
	assert(l->owner < 0);
	l->owner = k->current;
}

static inline void mutex_unlock(struct kernel *k, struct lock *l)
{
	if (lock_slowpath(k))
		lockdep_release(k, l);
	assert(l->owner == k->current);
	l->owner = -1;
}

/* spin_lock_irq(): exclusive; spins, a queued spinlock is FIFO (lock.c) */
static inline void spin_lock_at(struct kernel *k, struct lock *l, const char *site)
{
	if (lock_slowpath(k)) {
		spin_lock_slow(k, l, site);
		return;
	}
	assert(l->owner < 0);
	l->owner = k->current;
}

static inline void spin_unlock(struct kernel *k, struct lock *l)
{
	if (lock_slowpath(k))
		lockdep_release(k, l);
	assert(l->owner == k->current);
	l->owner = -1;
}

bool lock_held(const struct lock *l);

/*
 * might_sleep(): a point where the kernel may sleep (allocation, I/O,
 * waiting for an entry or a page). @where names the point in the trace;
 * under sched_run() another task may run here.
 */
static inline void might_sleep(struct kernel *k, const char *where)
{
	if (sched_active(k))
		sched_point(k, where);
}

/*
 * cond_resched() in a loop that polls for another task's progress: under
 * sched_run() the others run first (sched_yield_point()).
 */
static inline void cond_resched(struct kernel *k)
{
	if (sched_active(k))
		sched_yield_point(k, "cond_resched");
}

#endif
