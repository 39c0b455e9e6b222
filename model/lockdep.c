// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-order checking (kernel/locking/lockdep.c, v4.14, cut down):
 *
 *  - a lock class per lock name (lockdep's lock_class_key per lock type:
 *    every inode's i_rwsem is one class); page locks and DAX entry locks,
 *    which the kernel's lockdep does not see (bit locks), are one class
 *    each here, as a lock ordering against them deadlocks the same way;
 *  - per task, the stack of held locks (task_struct.held_locks), each
 *    with its acquisition site (the calling function, lock.h's __func__);
 *  - lock_acquire() of a class while others are held adds an edge from
 *    each held class to the new one (check_prevs_add(); lockdep adds the
 *    edge from the previous held lock only and relies on the chain for
 *    the rest: the edges here are the same dependencies, spelt out). An
 *    edge is recorded once, with the first acquisition stack that made it
 *    (lockdep's save_trace() of the first dependency);
 *  - a new edge A -> B when B -> ... -> A is already there closes a
 *    cycle (check_noncircular()): the first one is the inversion that is
 *    reported, with the stack of the new edge and those of the path back.
 *    Later cycles are not recorded: lockdep stops at its first report
 *    (debug_locks_off()).
 *
 * Simplified: a read acquisition (down_read()) orders like a write one,
 * as lockdep's non-recursive read (read == 1) does for rwsems; recursive
 * reads (read == 2, rwlock_t) are not modelled, nor is the read-read
 * exception of lockdep's later versions. A trylock adds no edge into its
 * class (lockdep's trylock: held, not waited for), but orders what is
 * taken after it. Taking a second lock of a class already held adds no
 * edge (the kernel's *_nested() annotations: fork's two mmap_sems).
 */
#include <assert.h>
#include <string.h>

#include "kernel.h"
#include "lockdep.h"


static int class_of(struct lockdep *ld, const char *name);

struct lockdep *lockdep_create(void)
{
	static uint32_t last_id;
	struct lockdep *ld = g_new0(struct lockdep, 1);

	ld->id = ++last_id;
	/* the two classes of bit locks first: looked up by their names' addresses */
	class_of(ld, LD_PAGE_LOCK);
	class_of(ld, LD_DAX_ENTRY_LOCK);
	return ld;
}

void lockdep_destroy(struct lockdep *ld)
{
	if (!ld)
		return;
	for (int a = 0; a < LD_MAX_CLASSES; a++)
		for (int b = 0; b < LD_MAX_CLASSES; b++)
			if (ld->edge[a][b]) {
				g_free(ld->edge[a][b]->who);
				g_free(ld->edge[a][b]);
			}
	g_free(ld);
}

void lockdep_attach(struct kernel *k, struct lockdep *ld)
{
	if (k->lockdep)
		k->lockdep->describe = NULL;
	k->lockdep = ld;
	k->lock_slowpath = ld || k->sched.active;
	if (!ld)
		return;
	/* a task holding nothing has every count at 0 */
	for (int i = 0; i < LD_MAX_TASKS; i++)
		if (ld->tasks[i].n)
			memset(&ld->tasks[i], 0, sizeof(ld->tasks[i]));
	ld->run_reported = false;
	ld->pending = false;
}

void lockdep_set_describe(struct lockdep *ld, ld_describe_t fn, void *ctx)
{
	ld->describe = fn;
	ld->describe_ctx = ctx;
}

/* look_up_lock_class(): by name; the string literal's address first. */
static int class_of(struct lockdep *ld, const char *name)
{
	for (int i = 0; i < ld->nr_classes; i++)
		if (ld->class_name[i] == name)
			return i;
	for (int i = 0; i < ld->nr_classes; i++)
		if (strcmp(ld->class_name[i], name) == 0)
			return i;
	assert(ld->nr_classes < LD_MAX_CLASSES && "lockdep: too many lock classes");
	ld->class_name[ld->nr_classes] = name;
	return ld->nr_classes++;
}

const char *lockdep_class_name(const struct lockdep *ld, int cls)
{
	return cls >= 0 && cls < ld->nr_classes ? ld->class_name[cls] : "?";
}

/*
 * A path @from -> ... -> @to in the graph (breadth first: the shortest),
 * into ld->path; its length in classes, 0 when there is none.
 */
static int find_path(struct lockdep *ld, int from, int to)
{
	int parent[LD_MAX_CLASSES], queue[LD_MAX_CLASSES], head = 0, tail = 0, n = 0;
	uint32_t seen = 1U << from;
	int rev[LD_MAX_CLASSES + 1];

	queue[tail++] = from;
	parent[from] = -1;
	while (head < tail) {
		int a = queue[head++];
		uint32_t next = ld->after[a] & ~seen;

		while (next) {
			int b = __builtin_ctz(next);

			next &= next - 1;
			seen |= 1U << b;
			parent[b] = a;
			if (b == to)
				goto found;
			queue[tail++] = b;
		}
	}
	return 0;
found:
	for (int c = to; c >= 0; c = parent[c])
		rev[n++] = c;
	for (int i = 0; i < n; i++)
		ld->path[i] = rev[n - 1 - i];
	return n;
}

/* save_trace(): the running task's held stack, then @cls taken at @site. */
static struct ld_stack *record(struct lockdep *ld, int task, int cls, const char *site,
			       unsigned flags)
{
	struct ld_stack *st = g_new0(struct ld_stack, 1);

	st->task = task;
	for (int i = 0; i < ld->tasks[task].n; i++) {
		const struct ld_held *h = &ld->tasks[task].held[i];

		st->f[st->n++] = (struct ld_frame){ h->cls, h->site, (h->flags & LD_READ) != 0 };
	}
	st->f[st->n++] = (struct ld_frame){ cls, site, (flags & LD_READ) != 0 };
	if (ld->describe) {
		GString *who = g_string_new(NULL);

		ld->describe(ld->describe_ctx, task, who);
		st->who = g_string_free(who, FALSE);
	}
	return st;
}

/* check_prev_add(): the new dependency @a -> @b. */
static void add_edge(struct lockdep *ld, int task, int a, int b, const char *site,
		     unsigned flags)
{
	ld->edge[a][b] = record(ld, task, b, site, flags);
	if (!ld->inverted) {
		int n = find_path(ld, b, a);	/* check_noncircular() */

		if (n) {
			ld->inverted = true;
			ld->inv_from = a;
			ld->inv_to = b;
			ld->path_len = n;
			ld->run_reported = ld->pending = true;
		}
	}
	ld->after[a] |= 1U << b;
	ld->before[b] |= 1U << a;
}

/* The new edges, or the run taking the order that closed the first cycle. */
static __attribute__((noinline)) void acquire_slow(struct lockdep *ld, int task, int cls,
						   const char *site, unsigned flags,
						   uint32_t deps)
{
	uint32_t fresh = deps & ~ld->before[cls];

	while (fresh) {
		int a = __builtin_ctz(fresh);

		fresh &= fresh - 1;
		add_edge(ld, task, a, cls, site, flags);
	}
	if (ld->inverted && !ld->run_reported && cls == ld->inv_to &&
	    (deps & (1U << ld->inv_from)))
		ld->run_reported = ld->pending = true;
}

/*
 * __lock_acquire(): the edges from every class held (but @cls itself and
 * @skip_cls) to @cls that the graph lacks; the held stack grows.
 */
void lockdep_acquire_full(struct kernel *k, struct lockdep *ld, const void *obj, int cls,
			  const char *site, unsigned flags, int skip_cls)
{
	int task = k->current;
	struct ld_task *t = &ld->tasks[task];
	uint32_t deps = t->mask & ~(1U << cls);
	int n = t->n;

	if (skip_cls >= 0)
		deps &= ~(1U << skip_cls);
	if (flags & LD_TRY)
		deps = 0;
	if ((deps & ~ld->before[cls]) || ld->inverted)
		acquire_slow(ld, task, cls, site, flags, deps);
	assert(n < LD_MAX_HELD && "lockdep: too many locks held");
	t->held[n] = (struct ld_held){ obj, site, (uint8_t)cls, (uint8_t)flags };
	t->n = n + 1;
	t->nr_class[cls]++;
	t->mask |= 1U << cls;
}

int lockdep_lock_class_slow(struct lockdep *ld, struct lock *l)
{
	l->ld_id = ld->id;
	l->ld_class = class_of(ld, l->name);
	return l->ld_class;
}

void lockdep_acquire(struct kernel *k, const void *obj, const char *name, const char *site,
		     unsigned flags, const struct lock *skip)
{
	struct lockdep *ld = k->lockdep;
	int cls;

	if (!ld)
		return;
	/* the bit locks' classes, 0 and 1 (lockdep_create()), by their names' addresses */
	if (name == ld->class_name[0])
		cls = 0;
	else if (name == ld->class_name[1])
		cls = 1;
	else
		cls = class_of(ld, name);
	lockdep_acquire_full(k, ld, obj, cls, site, flags,
			     skip ? lockdep_lock_class(ld, (struct lock *)skip) : -1);
}

/* lock_release() past the top of the stack: the most recent hold of @obj. */
void lockdep_release_full(struct ld_task *t, const void *obj)
{
	int n = t->n, i, cls;

	for (i = n - 1; i >= 0 && t->held[i].obj != obj; i--)
		;
	assert(i >= 0 && "lockdep: a lock released by a task that does not hold it");
	cls = t->held[i].cls;
	if (!--t->nr_class[cls])
		t->mask &= ~(1U << cls);
	for (; i < n - 1; i++)
		t->held[i] = t->held[i + 1];
	t->n = n - 1;
}

bool lockdep_holds(const struct kernel *k, const void *obj)
{
	const struct ld_task *t;

	if (!k->lockdep)
		return false;
	t = &k->lockdep->tasks[k->current];
	for (int i = 0; i < t->n; i++)
		if (t->held[i].obj == obj)
			return true;
	return false;
}

void lockdep_task_exit(struct kernel *k, int task)
{
	struct lockdep *ld = k->lockdep;

	if (ld)
		memset(&ld->tasks[task], 0, sizeof(ld->tasks[task]));
}

int lockdep_held(const struct kernel *k, int task)
{
	return k->lockdep ? k->lockdep->tasks[task].n : 0;
}

void lockdep_describe_held(const struct kernel *k, int task, GString *out)
{
	const struct lockdep *ld = k->lockdep;

	for (int i = 0; ld && i < ld->tasks[task].n; i++) {
		const struct ld_held *h = &ld->tasks[task].held[i];

		g_string_append_printf(out, "%s%s%s (%s)", i ? ", " : "",
				       ld->class_name[h->cls], h->flags & LD_READ ? " for read" : "",
				       h->site);
	}
}

bool lockdep_inverted(const struct lockdep *ld)
{
	return ld->inverted;
}

bool lockdep_take_report(struct lockdep *ld)
{
	bool p = ld->pending;

	ld->pending = false;
	return p;
}

bool lockdep_inversion(const struct lockdep *ld, const char **from, const char **to)
{
	if (!ld->inverted)
		return false;
	*from = ld->class_name[ld->inv_from];
	*to = ld->class_name[ld->inv_to];
	return true;
}

const struct ld_stack *lockdep_edge(const struct lockdep *ld, const char *from, const char *to)
{
	int a = -1, b = -1;

	for (int i = 0; i < ld->nr_classes; i++) {
		if (strcmp(ld->class_name[i], from) == 0)
			a = i;
		if (strcmp(ld->class_name[i], to) == 0)
			b = i;
	}
	return a >= 0 && b >= 0 ? ld->edge[a][b] : NULL;
}

/* "task 2 (who) took B in f holding A (g)" */
static void describe_stack(const struct lockdep *ld, const struct ld_stack *st, GString *out)
{
	const struct ld_frame *last = &st->f[st->n - 1];

	if (st->who)
		g_string_append(out, st->who);
	else
		g_string_append_printf(out, "task %d", st->task);
	g_string_append_printf(out, " took %s%s in %s holding ", ld->class_name[last->cls],
			       last->read ? " for read" : "", last->site);
	for (int i = 0; i < st->n - 1; i++)
		g_string_append_printf(out, "%s%s%s (%s)", i ? ", " : "",
				       ld->class_name[st->f[i].cls], st->f[i].read ? " for read" : "",
				       st->f[i].site);
}

void lockdep_report(const struct lockdep *ld, GString *out)
{
	if (!ld->inverted)
		return;
	g_string_append_printf(out, "%s then %s: ", ld->class_name[ld->inv_from],
			       ld->class_name[ld->inv_to]);
	describe_stack(ld, ld->edge[ld->inv_from][ld->inv_to], out);
	g_string_append(out, "; but ");
	for (int i = 0; i < ld->path_len; i++)
		g_string_append_printf(out, "%s%s", i ? " then " : "",
				       ld->class_name[ld->path[i]]);
	g_string_append(out, " before:");
	for (int i = 0; i + 1 < ld->path_len; i++) {
		g_string_append_printf(out, "%s ", i ? ";" : "");
		describe_stack(ld, ld->edge[ld->path[i]][ld->path[i + 1]], out);
	}
}
