/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locks as modelled objects with an owner, and the points where the kernel
 * may sleep or drop a lock. With one thread (this release) a point costs a
 * branch and a contended lock is a bug in mmsim; the schedule explorer will
 * switch threads at these points.
 */
#ifndef MMSIM_LOCK_H
#define MMSIM_LOCK_H

#include "kernel.h"

#include <assert.h>

void lock_init(struct lock *l, const char *name);

/*
 * With a single thread nobody else can hold a lock we want: finding one
 * held is a bug in the model (a missing unlock), so it is an assertion.
 * These are inline: the fault path takes several locks per fault.
 */
static inline void down_read(struct kernel *k, struct lock *l)
{
	(void)k;
	assert(l->owner < 0);
	l->readers++;
}

static inline void up_read(struct kernel *k, struct lock *l)
{
	(void)k;
	assert(l->readers > 0);
	l->readers--;
}

static inline void down_write(struct kernel *k, struct lock *l)
{
	assert(l->owner < 0 && l->readers == 0);
	l->owner = k->current;
}

static inline void up_write(struct kernel *k, struct lock *l)
{
	assert(l->owner == k->current);
	(void)k;
	l->owner = -1;
}
/* spin_lock_irq / mutex_lock: exclusive */
#define spin_lock(k, l)		down_write(k, l)
#define spin_unlock(k, l)	up_write(k, l)
#define mutex_lock(k, l)	down_write(k, l)
#define mutex_unlock(k, l)	up_write(k, l)

bool lock_held(const struct lock *l);

/*
 * might_sleep(): a point where the kernel may sleep (allocation, I/O,
 * waiting for an entry or a page). @where names the point in the trace.
 */
static inline void might_sleep(struct kernel *k, const char *where)
{
	/* the schedule explorer will switch threads here */
	(void)k;
	(void)where;
}

#endif
