/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The schedule explorer's enumeration (docs/explorer.md): every schedule
 * of a scenario's threads with at most a bound of preemptions, depth
 * first, each run re-executing the scenario from its start. A run asks
 * explore_choose() at each scheduling point; explore_next() then sets up
 * the next schedule. No pruning: the bound keeps the count polynomial.
 */
#ifndef MMSIM_EXPLORE_H
#define MMSIM_EXPLORE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* A choice point of the last run: where two or more threads could run. */
struct xpoint {
	uint32_t runnable;	/* bit t: thread t could run */
	int running;		/* the thread that stopped there, if it could go on; else 0 */
	int chosen;
	uint32_t tried;		/* the threads this point has run in some schedule */
	int preempts;		/* preemptions before this point */
	const char *where;	/* the point's name, for the interleaving */
};

struct explore {
	int bound;		/* preemptions a schedule may have */
	GArray *forced;		/* struct choice: one schedule alone (`schedule`, --schedule) */
	GArray *stack;		/* struct xpoint: the choice points of the run */
	unsigned depth;		/* the choice points passed in this run */
	unsigned long schedules;	/* the runs started */
	const char *bad_choice;	/* a forced choice that named a thread that could not run */
	unsigned bad_point;
};

void explore_init(struct explore *x, int bound, GArray *forced);
void explore_destroy(struct explore *x);
/* Before each run. */
void explore_begin(struct explore *x);
/*
 * The chooser of a run (model/task.h's sched_choose_t): thread ids
 * @runnable (increasing), the running one @running (0 when it cannot go
 * on), the point's name.
 */
int explore_choose(struct explore *x, const int *runnable, int n, int running,
		   const char *where);
/* After a run: the next schedule to run; false when all have run. */
bool explore_next(struct explore *x);
/* The last run's choices that differ from the default, "5:2 17:1" ("" for none). */
char *explore_choice_string(const struct explore *x);

#endif
