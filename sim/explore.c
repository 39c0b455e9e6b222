// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's depth-first enumeration of schedules (explore.h). A
 * schedule is the thread chosen at each choice point. The default choice
 * keeps the running thread, or when it cannot go on (it sleeps, it ended,
 * the block starts) takes the lowest-numbered runnable one. Choosing
 * another thread while the running one could go on is a preemption; a
 * schedule has at most x->bound of them ("bounded preemption", Musuvathi
 * and Qadeer, PLDI 2007: most concurrency bugs need few preemptions).
 * Choices where the running thread could not go on are free: every
 * runnable thread is tried there.
 */
#include <assert.h>
#include <string.h>

#include "explore.h"
#include "scenario.h"

void explore_init(struct explore *x, int bound, GArray *forced)
{
	memset(x, 0, sizeof(*x));
	x->bound = bound;
	x->forced = forced;
	x->stack = g_array_new(FALSE, FALSE, sizeof(struct xpoint));
}

void explore_destroy(struct explore *x)
{
	g_array_free(x->stack, TRUE);
}

void explore_begin(struct explore *x)
{
	x->depth = 0;
	x->schedules++;
}

static int default_choice(uint32_t runnable, int running)
{
	if (running && (runnable & (1u << running)))
		return running;
	return __builtin_ctz(runnable);
}

/* One schedule alone: the forced choices, the default elsewhere. */
static int forced_choice(struct explore *x, uint32_t runnable, int running)
{
	for (guint i = 0; i < x->forced->len; i++) {
		const struct choice *c = &g_array_index(x->forced, struct choice, i);

		if (c->point != x->depth)
			continue;
		if (c->thread < 32 && (runnable & (1u << c->thread)))
			return c->thread;
		/* the run goes on with the default; the caller reports it */
		if (!x->bad_choice) {
			x->bad_choice = "names a thread that cannot run there";
			x->bad_point = x->depth;
		}
		break;
	}
	return default_choice(runnable, running);
}

int explore_choose(struct explore *x, const int *runnable, int n, int running,
		   const char *where)
{
	uint32_t mask = 0;
	struct xpoint *p;

	for (int i = 0; i < n; i++)
		mask |= 1u << runnable[i];
	if (running && !(mask & (1u << running)))
		running = 0;
	if (n < 2)
		return runnable[0];
	x->depth++;
	if (x->forced) {
		int t = forced_choice(x, mask, running);
		struct xpoint xp = { mask, running, t, 1u << t, 0, where };

		g_array_append_val(x->stack, xp);
		return t;
	}
	if (x->depth <= x->stack->len) {
		/* the prefix of the schedule being run: the same point again */
		p = &g_array_index(x->stack, struct xpoint, x->depth - 1);
		assert(p->runnable == mask && p->running == running);
		p->where = where;
		return p->chosen;
	}
	{
		const struct xpoint *prev = x->depth > 1 ?
			&g_array_index(x->stack, struct xpoint, x->depth - 2) : NULL;
		int pre = prev ? prev->preempts + (prev->running && prev->chosen != prev->running) : 0;
		int t = default_choice(mask, running);
		struct xpoint xp = { mask, running, t, 1u << t, pre, where };

		g_array_append_val(x->stack, xp);
		return t;
	}
}

/*
 * Backtrack to the deepest choice point with a thread it has not run yet
 * that the bound allows there, and choose it; the rest of the run then
 * takes the defaults.
 */
bool explore_next(struct explore *x)
{
	if (x->forced)
		return false;
	while (x->stack->len) {
		struct xpoint *p = &g_array_index(x->stack, struct xpoint, x->stack->len - 1);
		uint32_t left = p->runnable & ~p->tried;

		/* a preemption past the bound: only the running thread would do */
		if (p->running && p->preempts >= x->bound)
			left = 0;
		if (left) {
			p->chosen = __builtin_ctz(left);
			p->tried |= 1u << p->chosen;
			return true;
		}
		g_array_set_size(x->stack, x->stack->len - 1);
	}
	return false;
}

char *explore_choice_string(const struct explore *x)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < x->stack->len; i++) {
		const struct xpoint *p = &g_array_index(x->stack, struct xpoint, i);

		if (p->chosen == default_choice(p->runnable, p->running))
			continue;
		g_string_append_printf(s, "%s%u:%d", s->len ? " " : "", i + 1, p->chosen);
	}
	return g_string_free(s, FALSE);
}
