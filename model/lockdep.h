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

struct lockdep;

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
/* The same for a struct lock: its class is cached in it. */
void lockdep_acquire_lock(struct kernel *k, struct lock *l, const char *site, unsigned flags);
void lockdep_release(struct kernel *k, const void *obj);
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
