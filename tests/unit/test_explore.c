// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for sim/explore.c, the explorer's enumeration. A toy program
 * stands in for the model: thread t has steps[t] steps, with a scheduling
 * point before each step but its first, where the thread could go on.
 * The explorer must run each interleaving of the steps with at most
 * `bound` preemptions exactly once; a second enumeration, written
 * independently below (all interleavings, preemptions counted), says how
 * many there are.
 */
#include <criterion/criterion.h>

#include "explore.h"
#include "scenario.h"

#define MAX_T	4

/* Run the toy program once under the explorer; the order of the steps in @trace. */
static int toy_run(struct explore *x, const int *steps, int nt, char *trace)
{
	int left[MAX_T + 1], running = 0, len = 0;

	for (int t = 1; t <= nt; t++)
		left[t] = steps[t];
	for (;;) {
		int runnable[MAX_T], n = 0, t;

		for (int i = 1; i <= nt; i++)
			if (left[i])
				runnable[n++] = i;
		if (!n)
			break;
		/* a thread that ended cannot go on: that choice is free */
		t = explore_choose(x, runnable, n, running && left[running] ? running : 0, "p");
		cr_assert(left[t], "chose thread %d, which has no step left", t);
		left[t]--;
		trace[len++] = '0' + t;
		running = t;
	}
	trace[len] = 0;
	return len;
}

/* Every schedule the explorer runs, as strings of thread numbers. */
static GHashTable *explore_all(const int *steps, int nt, int bound, unsigned long *runs)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	struct explore x;
	char trace[64];

	explore_init(&x, bound, NULL);
	do {
		explore_begin(&x);
		toy_run(&x, steps, nt, trace);
		cr_assert_not(g_hash_table_contains(seen, trace), "schedule %s ran twice", trace);
		g_hash_table_add(seen, g_strdup(trace));
	} while (explore_next(&x));
	*runs = x.schedules;
	explore_destroy(&x);
	return seen;
}

/* The independent count: interleavings with at most @bound preemptions. */
static unsigned long count(int *left, int nt, int running, int pre, int bound)
{
	unsigned long total = 0;
	bool any = false;

	for (int t = 1; t <= nt; t++) {
		int p = pre;

		if (!left[t])
			continue;
		any = true;
		if (running && left[running] && t != running)
			p++;
		if (p > bound)
			continue;
		left[t]--;
		total += count(left, nt, t, p, bound);
		left[t]++;
	}
	return any ? total : 1;
}

static void check_counts(const int *steps, int nt, int bound)
{
	int left[MAX_T + 1];
	unsigned long runs, want;
	GHashTable *seen;

	for (int t = 1; t <= nt; t++)
		left[t] = steps[t];
	want = count(left, nt, 0, 0, bound);
	seen = explore_all(steps, nt, bound, &runs);
	cr_assert_eq(runs, want, "bound %d: %lu schedules run, %lu interleavings", bound, runs,
		     want);
	cr_assert_eq(g_hash_table_size(seen), want);
	g_hash_table_destroy(seen);
}

Test(explore, two_threads_every_bound)
{
	int steps[] = { 0, 3, 4 };

	for (int bound = 0; bound <= 7; bound++)
		check_counts(steps, 2, bound);
}

/* Bound 0: who starts, then each runs to its end (2 threads: 2 schedules). */
Test(explore, bound_zero_is_the_start_only)
{
	int steps[] = { 0, 5, 5 };
	unsigned long runs;
	GHashTable *seen = explore_all(steps, 2, 0, &runs);

	cr_assert_eq(runs, 2);
	cr_assert(g_hash_table_contains(seen, "1111122222"));
	cr_assert(g_hash_table_contains(seen, "2222211111"));
	g_hash_table_destroy(seen);
}

Test(explore, three_threads)
{
	int steps[] = { 0, 2, 3, 2 };

	for (int bound = 0; bound <= 3; bound++)
		check_counts(steps, 3, bound);
}

/* The bound high enough: every interleaving, (3+4)!/(3!4!) = 35. */
Test(explore, unbounded_is_every_interleaving)
{
	int steps[] = { 0, 3, 4 };
	unsigned long runs;
	GHashTable *seen = explore_all(steps, 2, 16, &runs);

	cr_assert_eq(runs, 35);
	g_hash_table_destroy(seen);
}

/* The choice string names only the deviations; replayed, it gives the same run. */
Test(explore, choice_string_replays)
{
	int steps[] = { 0, 3, 3 };
	struct explore x;
	char trace[64], again[64];
	int n = 0;

	explore_init(&x, 2, NULL);
	do {
		GArray *forced;
		char *cs, *err = NULL;
		struct explore y;

		explore_begin(&x);
		toy_run(&x, steps, 2, trace);
		cs = explore_choice_string(&x);
		forced = parse_choices(cs, &err);
		cr_assert_not_null(forced, "'%s': %s", cs, err);
		explore_init(&y, 2, forced);
		explore_begin(&y);
		toy_run(&y, steps, 2, again);
		cr_assert_str_eq(again, trace, "choices '%s'", cs);
		cr_assert_null(y.bad_choice);
		cr_assert_not(explore_next(&y), "a forced schedule is one run");
		explore_destroy(&y);
		g_array_free(forced, TRUE);
		g_free(cs);
		n++;
	} while (explore_next(&x));
	explore_destroy(&x);
	cr_assert_gt(n, 10);
}

/* The default schedule has no deviation: the empty string. */
Test(explore, default_schedule_is_empty)
{
	int steps[] = { 0, 2, 2 };
	struct explore x;
	char trace[64], *cs;

	explore_init(&x, 2, NULL);
	explore_begin(&x);
	toy_run(&x, steps, 2, trace);
	cr_assert_str_eq(trace, "1122");
	cs = explore_choice_string(&x);
	cr_assert_str_eq(cs, "");
	g_free(cs);
	explore_destroy(&x);
}

/* A forced choice of a thread that cannot run is reported, not obeyed. */
Test(explore, forced_bad_thread)
{
	int steps[] = { 0, 2, 2 };
	char *err = NULL;
	GArray *forced = parse_choices("1:3", &err);
	struct explore x;
	char trace[64];

	cr_assert_not_null(forced);
	explore_init(&x, 2, forced);
	explore_begin(&x);
	toy_run(&x, steps, 2, trace);
	cr_assert_not_null(x.bad_choice);
	cr_assert_eq(x.bad_point, 1);
	explore_destroy(&x);
	g_array_free(forced, TRUE);
}

Test(explore, parse_choices_malformed)
{
	static const char *const bad[] = { "1", ":2", "1:", "0:1", "1:0", "1:17", "2:1 1:2",
					   "1:1 1:2", "a:1", "1:b", "1:1x", "99999999999:1" };

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *err = NULL;
		GArray *a = parse_choices(bad[i], &err);

		cr_assert_null(a, "'%s' accepted", bad[i]);
		cr_assert_not_null(err);
		g_free(err);
	}
}
