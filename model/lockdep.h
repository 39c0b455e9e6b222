/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock-order checking, as kernel/locking/lockdep.c does it, cut down
 * (model/lockdep.c says what is kept). A class per lock name (struct
 * lock's name: every inode's i_rwsem is one class), the page locks one
 * class and the DAX entry locks another. Each task keeps the stack of
 * what it holds, each with the function that took it; each acquisition
 * while holding others adds the edges held -> new to a graph of classes
 * that outlives the kernel (attach a fresh kernel per schedule, the graph
 * accumulates). The first edge that closes a cycle is the first
 * inversion, kept with the acquisition stacks of both orders.
 */
#ifndef MMSIM_LOCKDEP_H
#define MMSIM_LOCKDEP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"
#include "task.h"

struct kernel;
struct lock;

#define LD_MAX_CLASSES	32	/* classes a graph can hold (a bit each in a uint32_t) */
#define LD_MAX_HELD	16	/* locks a task holds at once */
#define LD_MAX_TASKS	(SCHED_MAX_TASKS + 1)	/* the driver, 0, and the tasks */

/* The classes of the locks that are no struct lock. */
#define LD_PAGE_LOCK		"page lock"		/* PG_locked (lock_page()) */
#define LD_DAX_ENTRY_LOCK	"DAX entry lock"	/* RADIX_DAX_ENTRY_LOCK (lock_slot()) */

/* Acquisition flags. */
#define LD_READ		1U	/* down_read(): an edge like a write (see lockdep.c) */
#define LD_TRY		2U	/* a trylock: held, but no edge into it */

/* One lock of a recorded stack: its class and the function that took it. */
struct ld_frame {
	int cls;
	const char *site;
	bool read;
};

/*
 * An acquisition as recorded with the edge it added: the task, who it was
 * (the driver's description, taken then), what it held and, last, what it
 * took.
 */
struct ld_stack {
	int task;
	char *who;
	int n;
	struct ld_frame f[LD_MAX_HELD + 1];
};

/*
 * Who a task is, for the record of an edge (the driver's: schedule,
 * thread, line): appended to @out.
 */
typedef void (*ld_describe_t)(void *ctx, int task, GString *out);

/* The state, public for the inline fast paths below; the rest is lockdep.c's. */
struct ld_held {
	const void *obj;
	const char *site;
	uint8_t cls;
	uint8_t flags;
};

/* A task's held locks (task_struct.held_locks), and the classes among them. */
struct ld_task {
	int n;
	uint32_t mask;				/* the classes held */
	uint8_t nr_class[LD_MAX_CLASSES];	/* how many of each */
	struct ld_held held[LD_MAX_HELD];
};

struct lockdep {
	uint32_t id;			/* for struct lock's class cache */
	int nr_classes;
	const char *class_name[LD_MAX_CLASSES];
	/* bit b of after[a]: b was taken while a was held; before[b], the same bits by b */
	uint32_t after[LD_MAX_CLASSES];
	uint32_t before[LD_MAX_CLASSES];
	struct ld_stack *edge[LD_MAX_CLASSES][LD_MAX_CLASSES];
	/* the first inversion: the edge that closed it, and the path back */
	bool inverted;
	int inv_from, inv_to;
	int path[LD_MAX_CLASSES + 1];	/* inv_to ... inv_from */
	int path_len;
	bool run_reported;		/* in this attach's run */
	bool pending;			/* for lockdep_take_report() */
	/* the attached kernel's tasks */
	struct ld_task tasks[LD_MAX_TASKS];
	ld_describe_t describe;
	void *describe_ctx;
};

struct lockdep *lockdep_create(void);
void lockdep_destroy(struct lockdep *ld);
/*
 * Check @k's acquisitions against @ld's graph (NULL: detach). The held
 * stacks start empty: a fresh kernel holds nothing. Each attach is a new
 * run: the first inversion is reported again in it (lockdep_take_report())
 * when the run takes the edge that closed the cycle.
 */
void lockdep_attach(struct kernel *k, struct lockdep *ld);
void lockdep_set_describe(struct lockdep *ld, ld_describe_t fn, void *ctx);

/*
 * Called by lock.h, filemap.c and dax.c on the slow path: @obj taken in
 * class @name by the running task in @site; @skip, if not NULL, is a held
 * lock the acquisition does not depend on (the tree_lock that an entry
 * lock's wait drops). Nothing without a lockdep attached.
 */
void lockdep_acquire(struct kernel *k, const void *obj, const char *name, const char *site,
		     unsigned flags, const struct lock *skip);
/* __lock_acquire() in full: new edges, an inversion, a trylock, a skip (lockdep.c). */
void lockdep_acquire_full(struct kernel *k, struct lockdep *ld, const void *obj, int cls,
			  const char *site, unsigned flags, int skip_cls);
int lockdep_lock_class_slow(struct lockdep *ld, struct lock *l);
void lockdep_release_full(struct ld_task *t, const void *obj);

/* A struct lock's class, cached in it for this lockdep. */
static inline int lockdep_lock_class(struct lockdep *ld, struct lock *l)
{
	if (__builtin_expect(l->ld_id != ld->id, 0))
		return lockdep_lock_class_slow(ld, l);
	return l->ld_class;
}

/*
 * lockdep_acquire() for a struct lock, inline: the common case is every
 * edge known (lockdep's chain cache hit), no inversion yet, room on the
 * stack, and costs a mask test and a push; else lockdep_acquire_full().
 */
static inline void lockdep_acquire_lock(struct kernel *k, struct lock *l, const char *site,
					unsigned flags)
{
	struct lockdep *ld = k->lockdep;
	struct ld_task *t;
	uint32_t deps;
	int cls, n;

	if (!ld)
		return;
	cls = lockdep_lock_class(ld, l);
	t = &ld->tasks[k->current];
	deps = t->mask & ~(1U << cls);
	n = t->n;
	if (__builtin_expect((flags & LD_TRY) || (deps & ~ld->before[cls]) || ld->inverted ||
			     n >= LD_MAX_HELD, 0)) {
		lockdep_acquire_full(k, ld, l, cls, site, flags, -1);
		return;
	}
	t->held[n] = (struct ld_held){ l, site, (uint8_t)cls, (uint8_t)flags };
	t->n = n + 1;
	t->nr_class[cls]++;
	t->mask |= 1U << cls;
}

/* lock_release(): the most recent hold of @obj by the running task; the top, inline. */
static inline void lockdep_release(struct kernel *k, const void *obj)
{
	struct lockdep *ld = k->lockdep;
	struct ld_task *t;
	int n, cls;

	if (!ld)
		return;
	t = &ld->tasks[k->current];
	n = t->n;
	if (__builtin_expect(!n || t->held[n - 1].obj != obj, 0)) {
		lockdep_release_full(t, obj);
		return;
	}
	cls = t->held[n - 1].cls;
	if (!--t->nr_class[cls])
		t->mask &= ~(1U << cls);
	t->n = n - 1;
}
/* Whether the running task holds @obj (false without a lockdep). */
bool lockdep_holds(const struct kernel *k, const void *obj);
/* A task ended: it holds nothing more (its leaks were reported before). */
void lockdep_task_exit(struct kernel *k, int task);

/* The locks @task holds (entry and page locks included); 0 without a lockdep. */
int lockdep_held(const struct kernel *k, int task);
/* What @task holds, "i_rwsem (ext4_punch_hole), page lock (filemap_fault)". */
void lockdep_describe_held(const struct kernel *k, int task, GString *out);

/* Whether an inversion was found, in any run. */
bool lockdep_inverted(const struct lockdep *ld);
/* True once per attach, when the run took the edge that closed the first cycle. */
bool lockdep_take_report(struct lockdep *ld);
/* The first inversion, both orders with their stacks, on one line; "" when none. */
void lockdep_report(const struct lockdep *ld, GString *out);
/* The classes of the first inversion's closing edge (@from was held, @to taken). */
bool lockdep_inversion(const struct lockdep *ld, const char **from, const char **to);
/* The recorded stack of the edge @from -> @to (class names), or NULL. */
const struct ld_stack *lockdep_edge(const struct lockdep *ld, const char *from, const char *to);
const char *lockdep_class_name(const struct lockdep *ld, int cls);

#endif
