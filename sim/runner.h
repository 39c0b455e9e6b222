/* SPDX-License-Identifier: GPL-2.0 */
/* Replaying a scenario against the model, with the checkers and the oracle. */
#ifndef MMSIM_RUNNER_H
#define MMSIM_RUNNER_H

#include <glib.h>
#include <stdbool.h>

#include "kernel.h"
#include "policy.h"

/* Exit statuses (DESIGN.md §6) */
enum {
	RUN_PASS = 0,
	RUN_FAIL = 1,
	RUN_BAD_INPUT = 2,
	RUN_NOT_MODELLED = 3,
};

struct run_opts {
	int policy;			/* -1: the file's, else dax-2017 */
	int sw[NR_SWITCHES];		/* -1: the file's; 0 or 1 forced */
	bool trace;			/* the steps */
	bool trace_events;		/* the fs_dax tracepoints (sim/tracepoints.c) */
	bool quiet;			/* no PASS lines */
	size_t max_file_bytes;		/* scenario files larger are refused */
	/*
	 * For generated scenarios: signals and error returns nobody expected
	 * are not failures (invariant violations still are).
	 */
	bool lenient;
	/*
	 * Bit I: a violation of invariant I is a known finding about the
	 * kernel of the policy (docs/invariants.md, "Per policy"), not a
	 * failure. For generated scenarios.
	 */
	unsigned known_findings;
	/*
	 * After every step, also sweep the whole state: a violation the
	 * sweep finds that the per-step check missed is a failure.
	 */
	bool paranoid;
	/*
	 * Check lock-order and no-lock-leak (lockdep) in every run; without
	 * it, only in a scenario with threads, a schedule, or an `expect
	 * violated` naming one of them (docs/invariants.md says why).
	 */
	bool lockdep;
	/*
	 * Limits (docs/scenario-language.md §7), besides max_file_bytes;
	 * 0 means none. Valid input
	 * can ask for any amount of work (`touch A m 0..1T` is 2^28 steps):
	 * reaching a limit stops the run with "limit reached" at the line,
	 * status RUN_BAD_INPUT, never a hang or an out-of-memory.
	 */
	unsigned long max_steps;	/* steps of one run */
	size_t max_memory;		/* bytes of model, checker and oracle state */
	/* Called once at the end of each run, before teardown (benchmarks). */
	void (*at_end)(void *ctx, struct kernel *k, size_t checker_bytes,
		       size_t oracle_bytes);
	void *at_end_ctx;
	/* The explorer (docs/explorer.md): the preemptions a schedule may have */
	int preemptions;
	/* struct choice: run this one schedule alone (--schedule); NULL: explore */
	GArray *schedule;
	/* When set, each run appends its struct run_report * (sim/report.h). */
	GPtrArray *reports;
	/*
	 * --crash-at N: after step N (outside a concurrent block) the machine
	 * crashes and remounts, the invariants are checked, and the run ends
	 * there. 0: never.
	 */
	unsigned long crash_at;
	uint64_t crash_seed;		/* the crash's (--crash-seed): 0, every dirty line lost */
	/* --crash-each: the crash points (above) and their outcomes */
	bool crash_each;
	unsigned long crash_max;	/* at most this many crash points a run (0: all) */
	/* filled by a run: the steps that changed durable data or metadata */
	GArray *crash_points;		/* unsigned long */
	/* filled by a --crash-at run: how its crash point ended (enum crash_outcome) */
	int *crash_outcome;
};

/* A crash point's outcome (--crash-each). */
enum crash_outcome { CRASH_HELD, CRASH_EXPECTED, CRASH_FAILED, CRASH_NOT_MODELLED };

/* The default --crash-max. */
#define RUN_CRASH_MAX		256

/* The default limits: far above any scenario under scenarios/. */
#define RUN_MAX_STEPS		10000000UL
#define RUN_MAX_MEMORY		(4UL << 30)

/*
 * --policy all: one row a file, the outcome under each policy (RUN_PASS,
 * RUN_FAIL, ...; -1 where the file's `policies` line leaves it out) and,
 * for a failure, the line of the first.
 */
struct policy_row {
	char *path;
	int status[NR_POLICIES];
	int line[NR_POLICIES];
};

void run_opts_init(struct run_opts *o);
/* Run @path under every policy it applies to; the row goes to @rows. */
int run_file_all_policies(const char *path, const struct run_opts *opts, GPtrArray *rows);
void policy_row_free(gpointer p);
/* The table of --policy all. */
void print_policy_table(GString *out, const GPtrArray *rows);

/*
 * Run one scenario file (twice or more when it declares bug variants).
 * Appends what it prints to @out; returns the highest exit status.
 */
int run_file(const char *path, const struct run_opts *opts, GString *out);
/*
 * --crash-each: the file under its own policy (or --policy), with a crash
 * and a remount after each step that changes durable state; one CRASH
 * line with the counts. Returns the highest status.
 */
int run_file_crash_each(const char *path, const struct run_opts *opts, GString *out);
/* The same on text in memory (tests). */
int run_text(const char *name, const char *text, const struct run_opts *opts,
	     GString *out);

#endif
