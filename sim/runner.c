// SPDX-License-Identifier: GPL-2.0
/*
 * The runner: executes a parsed scenario on a fresh kernel, one step at a
 * time, checks the invariants after each step, asks the oracle what each
 * access and read must return, evaluates the expectations, and tells the
 * story of the first failure.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "dump.h"
#include "durable.h"
#include "explore.h"
#include "ext2.h"
#include "ext4.h"
#include "interval_tree.h"
#include "invariants.h"
#include "kernel.h"
#include "lock.h"
#include "lockdep.h"
#include "mm.h"
#include "nvdimm.h"
#include "oracle.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"
#include "pmem.h"
#include "report.h"
#include "task.h"
#include "runner.h"
#include "scenario.h"
#include "sync.h"
#include "tracepoints.h"
#include "truncate.h"
#include "usercopy.h"

struct sfile {
	char *name;
	struct inode *inode;
	struct file *file;
	struct oracle_file *of;
	struct durable_file *df;	/* what a crash must keep (durable.h) */
	unsigned f_mode;		/* the descriptor's, reopened at remount */
	uint64_t last_mtime;
};

struct sproc {
	char *name;
	struct mm_struct *mm;
	struct avl_root maps;	/* its created smaps, by node */
	GHashTable *by_name;	/* name -> struct smap *: its own, and those fork gave it */
};

struct smap {
	struct interval_tree_node node;	/* [start, start + len - 1] */
	char *name;
	struct sproc *proc;
	struct sfile *file;
	unsigned long start, len;
	loff_t off;
	bool shared, created;
	bool map_sync;		/* MAP_SHARED_VALIDATE | MAP_SYNC, accepted */
	unsigned long placed;	/* when mmap or mremap last put it at start */
};

/* What the last operation returned, for `=>` and `expect result`. */
struct op_result {
	bool valid, checked;
	enum user_signal sig;
	int si_code;		/* with SIG_BUS: the siginfo code */
	bool is_value;		/* a load's value, else a return code */
	int64_t value;
	bool read_uniform;	/* read(): every byte equal to uniform_byte */
	uint8_t uniform_byte;
	int64_t read_len;	/* read(): the length asked */
};

/* An access whose answer waits for the operations it overlapped to return. */
struct judgment {
	struct sproc *p;
	unsigned long addr;
	unsigned size;
	bool write;
	enum user_signal sig;		/* what the model's access got */
	uint64_t value;
	unsigned long step;
	struct oracle_answer want;	/* the reference's, when it returned */
};

struct history {
	const struct cmd *cmd;
	unsigned long first, last;	/* steps; last < first: no step */
};

/*
 * A thread of a concurrent block: a simulated task (model/task.h) running
 * its lines. While another runs, its part of struct run waits here.
 */
/* The threads a block may have (the parser's bound, within task.h's). */
#define MAX_THREADS	16

struct sthread {
	struct run *r;
	int id;				/* 1, 2, ... in the block */
	struct sproc *proc;
	GPtrArray *cmds;		/* its lines (const struct cmd *) */
	guint next;			/* the next of them */
	bool in_op;			/* in the middle of an operation */
	unsigned long points;		/* scheduling points in this operation */
	/* its registers */
	const struct cmd *cur, *op;
	struct op_result res;
	struct mm_struct *last_mm;
	unsigned long last_addr;
	guint hist;
	/* the interleaving: where its segment began */
	const struct cmd *seg_from;
};

/* An exploration: what outlives the run of one schedule. */
struct xrun {
	struct explore x;
	GHashTable *ran, *held;		/* `sometimes` lines: run, held in a schedule */
	GHashTable *first_miss;		/* `sometimes` line -> the first message of its misses */
	/* what the last run that passed says */
	char *label;
	unsigned long steps;
	/* the steps and work of the schedules run before: --max-steps counts them all */
	unsigned long work;
};

/* A `gup` or `pin` line's handle: the pages it got, until its release. */
struct shandle {
	char *name;
	unsigned long *pfns;
	unsigned nr;
	unsigned long addr, len;	/* what the line asked for */
	bool foll_pin;		/* pin_user_pages() in 6.1: unpin_user_page() releases */
	bool released;
	struct oracle_pin *opin;	/* the reference's record of a write handle's pages */
};

static void free_shandle(gpointer p)
{
	struct shandle *h = p;

	g_free(h->name);
	g_free(h->pfns);
	g_free(h);
}

struct run {
	GHashTable *handles;		/* name -> struct shandle: the gup/pin lines run */
	GPtrArray *handle_list;		/* the same, in the order they ran */
	const struct scenario *s;
	const struct run_opts *opts;
	enum policy_id policy;
	int sw[NR_SWITCHES];
	bool sw_set[NR_SWITCHES];		/* set by the command line, a bug run or a line */
	const struct cmd *sw_cmd[NR_SWITCHES];	/* the `switch` line that set it, if one did */
	bool bug_run[NR_SWITCHES];		/* this run is the variant's */
	unsigned long pmem_bytes, dram_bytes;
	unsigned long fault_around_bytes, ra_bytes;	/* `faultaround`, `readahead`; 0: default */
	bool fault_around_set, ra_set;
	struct kernel *k;
	struct checker *chk;
	struct oracle *o;
	struct durable *dur;			/* the durable-after-sync record */
	bool crashed;				/* a crash, and no remount yet */
	bool crash_now;				/* --crash-at: the step has come */
	bool block_started;			/* a concurrent block has run */
	unsigned long step_nr_free;		/* at the step's start: it allocated or freed? */
	unsigned long step_commit;		/* ... it committed? */
	/* lock-order: the graph of the scenario's run, over every schedule */
	struct lockdep *ld;
	GHashTable *files, *procs;		/* name -> struct */
	GPtrArray *proc_list;			/* struct sproc *, by mm id */
	GPtrArray *file_list;			/* struct sfile *, in order */
	unsigned long step;
	GArray *history;			/* struct history */
	struct mm_struct *last_mm;		/* the last access, for dump_op() */
	unsigned long last_addr;
	GPtrArray *pending;			/* struct violation *, this op */
	guint pending_mark;			/* the first of them this step made */
	GArray *pending_expected;		/* gboolean per pending */
	struct op_result res;
	const struct cmd *cur;		/* the line running */
	const struct cmd *op;		/* the last operation (not expect) */
	int status;
	bool stop;
	bool limit;				/* stopped by a limit of run_opts */
	unsigned long inner;			/* work inside steps, for max_steps */
	int fail_line;				/* the line of the first failure */
	GString *out;				/* this run's report */
	GString *trace;
	unsigned long trace_step, trace_seq;	/* --trace=events: the event's number */
	struct run_report *report;		/* --format=ktap, --junit */
	guint hist;				/* the history entry of the operation running */
	/* threads (docs/explorer.md) */
	struct xrun *xr;			/* the exploration; NULL: no threads */
	struct sthread *threads[MAX_THREADS + 1];	/* the open block's, by id */
	int nr_threads;
	int in_flight;				/* threads in the middle of an operation */
	bool in_sometimes;			/* checking a `sometimes` line */
	const struct cmd *sometimes_cmd;	/* the `sometimes` line being checked */
	bool missed;				/* ... and it failed in this schedule */
	gsize sometimes_mark;			/* r->out before it */
	bool done;				/* ended early, as expected (a deadlock) */
	bool wrecked;				/* a block left threads abandoned */
	const struct cmd *block;		/* the last block's `concurrent` line */
	const struct cmd *sched_cmd;		/* the `schedule` line, if any */
	enum sched_result block_end;		/* and how it ended */
	GArray *segments;			/* struct segment: its interleaving */
	GArray *judgments;			/* struct judgment, waiting */
	unsigned long completions;		/* the operations threads finished */
};

/* ---- naming, for the checker and the dumps ---- */

static const char *name_file(void *ctx, const struct inode *inode)
{
	struct run *r = ctx;

	for (guint i = 0; i < r->file_list->len; i++) {
		struct sfile *f = g_ptr_array_index(r->file_list, i);

		if (f->inode == inode)
			return f->name;
	}
	return "?";
}

static const char *name_proc(void *ctx, const struct mm_struct *mm)
{
	struct run *r = ctx;

	if ((guint)mm->id < r->proc_list->len)
		return ((struct sproc *)g_ptr_array_index(r->proc_list, mm->id))->name;
	return "?";
}

/* The scenario's mapping at @addr of @mm, from the runner's own records. */
static const struct smap *smap_at(struct run *r, const struct mm_struct *mm,
				  unsigned long addr)
{
	struct sproc *p = (guint)mm->id < r->proc_list->len ?
			  g_ptr_array_index(r->proc_list, mm->id) : NULL;
	const struct smap *best = NULL;
	struct interval_tree_node *node;

	/* the process's mappings that were at addr */
	node = p && p->mm == mm ? interval_tree_iter_first(&p->maps, addr, addr) : NULL;
	for (; node; node = interval_tree_iter_next(node, addr, addr)) {
		const struct smap *m = container_of(node, struct smap, node);

		/* the one placed there last: a later mmap there unmapped the others */
		if (!best || m->placed > best->placed)
			best = m;
	}
	return best;
}

static void name_addr(void *ctx, const struct mm_struct *mm, unsigned long addr,
		      char *buf, size_t len)
{
	const struct smap *best = smap_at(ctx, mm, addr);

	if (best)
		snprintf(buf, len, "%s+%#lx", best->name, addr - best->start);
	else
		snprintf(buf, len, "%#lx", addr);
}

/* ---- reporting ---- */

static void fail(struct run *r, int status, int col, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static void print_story(struct run *r)
{
	guint n = r->history->len, from = n > 40 ? n - 40 : 0;

	g_string_append(r->out, "  steps so far (line, step):\n");
	if (from)
		g_string_append_printf(r->out, "    ... %u earlier operations\n", from);
	for (guint i = from; i < n; i++) {
		struct history *h = &g_array_index(r->history, struct history, i);
		char steps[48] = "";

		if (h->last + 1 == h->first)
			;
		else if (h->first == h->last)
			snprintf(steps, sizeof(steps), "%lu", h->first);
		else
			snprintf(steps, sizeof(steps), "%lu-%lu", h->first, h->last);
		g_string_append_printf(r->out, "  %s %4d %11s  %s\n",
				       h->cmd == r->cur ? ">" : " ", h->cmd->line, steps,
				       h->cmd->text);
	}
}

static void fail(struct run *r, int status, int col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	/* a `sometimes` line that fails in this schedule may hold in another */
	if (status == RUN_FAIL && r->in_sometimes) {
		r->missed = true;
		if (r->xr && !g_hash_table_contains(r->xr->first_miss, r->sometimes_cmd)) {
			va_start(ap, fmt);
			g_hash_table_insert(r->xr->first_miss, (gpointer)r->sometimes_cmd,
					    g_strdup_vprintf(fmt, ap));
			va_end(ap);
		}
		return;
	}
	if (!r->fail_line && r->cur)
		r->fail_line = r->cur->line;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (status > r->status)
		r->status = status;
	r->stop = true;
	if (r->cur)
		g_string_append_printf(r->out, "%s:%d:%d: %s\n", r->s->path, r->cur->line,
				       col ? col : r->cur->col, msg);
	else
		g_string_append_printf(r->out, "%s: %s\n", r->s->path, msg);
	g_free(msg);
	if (status == RUN_FAIL)
		print_story(r);
}

static struct dump_ctx dump_ctx(struct run *r)
{
	return (struct dump_ctx){ r->k, { r, name_file, name_proc, name_addr } };
}

/* ---- the kernel and the names ---- */

static bool term_holds(struct run *r, const struct cond *cd)
{
	int pol = policy_lookup(cd->name);
	bool v = pol >= 0 ? (int)r->policy == pol : r->sw[switch_lookup(cd->name)] != 0;

	return v != cd->neg;
}

/* An OR of items, each an AND of terms (`a+!b`). */
static bool cond_holds(struct run *r, const struct cmd *c)
{
	bool item = true;

	if (!c->conds->len)
		return true;
	for (guint i = 0; i < c->conds->len; i++) {
		const struct cond *cd = &g_array_index(c->conds, struct cond, i);

		item = item && term_holds(r, cd);
		if (cd->and_next)
			continue;
		if (item)
			return true;
		item = true;
	}
	return false;
}

/* ---- limits (struct run_opts) ---- */

/* A size as the language writes it: 4G, 64K, 1000 (static buffer). */
static const char *limit_size(size_t n)
{
	static char buf[32];
	static const char units[] = "TGMK";
	int shift = 40;

	for (const char *u = units; *u; u++, shift -= 10)
		if (n && !(n & ((1UL << shift) - 1))) {
			snprintf(buf, sizeof(buf), "%zu%c", n >> shift, *u);
			return buf;
		}
	snprintf(buf, sizeof(buf), "%zu bytes", n);
	return buf;
}

static void limit_reached(struct run *r, const char *what, const char *flag)
{
	r->limit = true;
	fail(r, RUN_BAD_INPUT, 0, "limit reached: %s (raise with %s)", what, flag);
}

/* Model objects, radix-tree nodes, checker and oracle. */
static bool memory_limit_reached(struct run *r)
{
	size_t n;
	char *what;

	if (!r->opts->max_memory)
		return false;
	n = r->k->model_bytes + checker_memory(r->chk) + oracle_memory(r->o) +
	    durable_memory(r->dur);
	for (guint i = 0; i < r->k->sb.inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(r->k->sb.inodes, i);

		n += radix_tree_memory(&inode->i_data.page_tree);
	}
	if (n <= r->opts->max_memory)
		return false;
	what = g_strdup_printf("%s of memory", limit_size(r->opts->max_memory));
	limit_reached(r, what, "--max-memory");
	g_free(what);
	return true;
}

static bool steps_limit_reached(struct run *r)
{
	unsigned long before = r->xr ? r->xr->work : 0;
	char *what;

	if (!r->opts->max_steps ||
	    before + r->step + r->inner + checker_work(r->chk) < r->opts->max_steps)
		return false;
	what = r->xr ? g_strdup_printf("%lu steps over %lu schedule(s)", r->opts->max_steps,
				       r->xr->x.schedules) :
		       g_strdup_printf("%lu steps", r->opts->max_steps);
	limit_reached(r, what, "--max-steps");
	g_free(what);
	return true;
}

/*
 * --max-steps counts the work inside steps as steps: the PTEs a step
 * changes and what the sweeps go over (checker_work()), the pages a
 * read(2) or write(2) moves (op_read(), op_file_syscall()), and the pages
 * and blocks of the model's own loops, here: its fatal_signal_pending(),
 * asked a page or a block at a time inside one step (MAP_POPULATE,
 * fallocate). The memory is checked every 256 of those.
 */
static bool run_killed(void *ctx)
{
	struct run *r = ctx;

	if (r->stop)
		return r->limit;
	if (!steps_limit_reached(r) && !(++r->inner % 256))
		memory_limit_reached(r);
	return r->limit;
}

/* k->hooks.trace: one fs_dax event, told by the process that runs the line */
static void trace_event(void *ctx, const struct dax_trace_event *ev)
{
	struct run *r = ctx;
	struct sproc *p = r->cur && r->cur->proc ?
			  g_hash_table_lookup(r->procs, r->cur->proc) : NULL;
	struct trace_task t = { "mmsim", 0, r->step, 0 };

	if (p && p->mm) {
		t.comm = p->name;
		t.pid = p->mm->id + 1;
	}
	if (r->trace_step != r->step)
		r->trace_seq = 0;
	r->trace_step = r->step;
	t.seq = r->trace_seq++;
	dax_trace_print(r->trace, ev, &t, &(struct namer){ r, name_file, name_proc, name_addr });
}

/*
 * Switches that stand on another one. dax-break-layout is what
 * ext4_break_layouts() calls since v6.15: with no layout break there is no
 * call to change. dax-folio-refcount relies on it too: v6.15 deletes an
 * entry only once the break has unmapped every page of it
 * (dax_folio_put() warns on a referenced page), and without the break a
 * punch inside a PMD entry leaves PTEs on a folio it splits. A run that
 * sets one alone is refused rather than run as no kernel ran it.
 */
static const struct { enum switch_id sw, needs; } switch_needs[] = {
	{ SW_DAX_BREAK_LAYOUT, SW_EXT4_BREAK_LAYOUTS },
	{ SW_DAX_FOLIO_REFCOUNT, SW_EXT4_BREAK_LAYOUTS },
};

static bool switches_consistent(struct run *r)
{
	struct policy preset;
	int on[NR_SWITCHES];

	policy_init(&preset, r->policy);
	for (int i = 0; i < NR_SWITCHES; i++)
		on[i] = r->sw_set[i] ? r->sw[i] : preset.sw[i];
	for (size_t i = 0; i < G_N_ELEMENTS(switch_needs); i++) {
		enum switch_id sw = switch_needs[i].sw, needs = switch_needs[i].needs;

		if (!on[sw] || on[needs])
			continue;
		memcpy(r->sw, on, sizeof(on));	/* for the run's label */
		if (r->sw_cmd[sw])
			r->cur = r->sw_cmd[sw];
		fail(r, RUN_BAD_INPUT, 0,
		     "switch %s needs %s, which is off under %s (on in modern; add `switch %s on`)",
		     switch_descs[sw].name, switch_descs[needs].name, policy_names[r->policy],
		     switch_descs[needs].name);
		return false;
	}
	/*
	 * The two unbind semantics answer one question: a scenario's two
	 * switch lines are refused by the parser; here, --switch with one
	 */
	if (on[SW_UNBIND_MEMORY] && on[SW_UNBIND_STORAGE]) {
		memcpy(r->sw, on, sizeof(on));
		if (r->sw_cmd[SW_UNBIND_MEMORY] || r->sw_cmd[SW_UNBIND_STORAGE])
			r->cur = r->sw_cmd[SW_UNBIND_MEMORY] ? r->sw_cmd[SW_UNBIND_MEMORY] :
							      r->sw_cmd[SW_UNBIND_STORAGE];
		fail(r, RUN_BAD_INPUT, 0,
		     "unbind-memory and unbind-storage are two answers to one question: turn one of them on");
		return false;
	}
	return true;
}

static const char *thread_proc(const struct run *r, int task);

/*
 * Who task @task is, for lockdep's record of an order: the schedule
 * (with threads), the thread and its line, or the driver's line.
 */
static void describe_task(void *ctx, int task, GString *out)
{
	struct run *r = ctx;
	const struct cmd *op = r->op;

	if (r->xr)
		g_string_append_printf(out, "schedule %lu, ", r->xr->x.schedules);
	if (task > 0)
		g_string_append_printf(out, "thread %d (%s)", task, thread_proc(r, task));
	else
		g_string_append(out, "the scenario");
	if (op)
		g_string_append_printf(out, " at line %d `%s`", op->line, op->text);
}

/* lock-order: the first inversion, reported in each run that takes its closing order. */
static __attribute__((noinline)) void report_lock_order(struct run *r)
{
	GString *msg;

	if (!lockdep_take_report(r->ld))
		return;
	msg = g_string_new(NULL);
	lockdep_report(r->ld, msg);
	checker_report(r->chk, r->pending, INV_LOCK_ORDER, "Rlock-order", NULL, 0, NULL, 0,
		       "%s", msg->str);
	g_string_free(msg, TRUE);
}

/* no-lock-leak: task @task (0: the scenario) ended operation @c holding nothing. */
static void check_lock_leak(struct run *r, int task, const struct cmd *c)
{
	GString *held;

	if (!r->k->lockdep || !lockdep_held(r->k, task))
		return;
	held = g_string_new(NULL);
	lockdep_describe_held(r->k, task, held);
	if (task > 0)
		checker_report(r->chk, r->pending, INV_NO_LOCK_LEAK, "Rlock-leak", NULL, 0, NULL, 0,
			       "thread %d (%s) ended `%s` holding %s", task, thread_proc(r, task),
			       c->text, held->str);
	else
		checker_report(r->chk, r->pending, INV_NO_LOCK_LEAK, "Rlock-leak", NULL, 0, NULL, 0,
			       "`%s` returned holding %s", c->text, held->str);
	g_string_free(held, TRUE);
}

/*
 * no-lock-leak, the sweep at `check` and at the end: a lock left held by
 * anyone, lockdep or not. (Entry and page locks are lockdep's alone: a
 * walk of every tree would cost the end of a 1G scenario as much again as
 * the full sweep.)
 */
static void leak_report(struct run *r, struct inode *inode, struct mm_struct *mm,
			const char *what, const char *whose)
{
	checker_report(r->chk, r->pending, INV_NO_LOCK_LEAK, "Rlock-leak-sweep", inode, 0, mm, 0,
		       "%s of %s is still locked with no operation running", what, whose);
}

static void check_nothing_locked(struct run *r)
{
	struct kernel *k = r->k;

	for (guint i = 0; i < r->file_list->len; i++) {
		struct sfile *f = g_ptr_array_index(r->file_list, i);
		struct inode *inode = f->inode;
		struct address_space *m;
		const struct lock *locks[5];

		if (!inode)
			continue;
		m = &inode->i_data;
		locks[0] = &inode->i_rwsem;
		locks[1] = &inode->i_mmap_sem;
		locks[2] = &m->i_mmap_rwsem;
		locks[3] = &m->tree_lock;
		locks[4] = &inode->i_data_sem;	/* ext2's truncate_mutex too */
		for (int j = 0; j < 5; j++)
			if (lock_held(locks[j]))
				leak_report(r, inode, NULL, locks[j]->name, f->name);
	}
	for (guint i = 0; i < k->mms->len; i++) {
		struct mm_struct *mm = g_ptr_array_index(k->mms, i);

		if (lock_held(&mm->mmap_sem))
			leak_report(r, NULL, mm, "mmap_sem", name_proc(r, mm));
	}
	if (lock_held(&k->xip_sparse_mutex))
		leak_report(r, NULL, NULL, "xip_sparse_mutex", "the kernel");
}

static inline void check_lock_order(struct run *r)
{
	if (G_UNLIKELY(r->ld) && r->ld->pending)
		report_lock_order(r);
}

/* put_page() or unpin_user_page() of every page handle @h holds (it wakes a layout break) */
static void release_handle(struct run *r, struct shandle *h)
{
	for (unsigned i = 0; i < h->nr; i++)
		gup_release_page(r->k, h->pfns[i], h->foll_pin);
	h->released = true;
	if (r->o)
		oracle_unpin(r->o, h->opin);
	h->opin = NULL;
}

/* Every handle still held: at the end, at a crash (the checker's record goes too) */
static void release_handles(struct run *r)
{
	for (guint i = 0; i < r->handle_list->len; i++) {
		struct shandle *h = g_ptr_array_index(r->handle_list, i);

		if (h->released)
			continue;
		if (r->chk)
			checker_unpin(r->chk, h->name, NULL);
		release_handle(r, h);
	}
}

static bool ensure_kernel(struct run *r)
{
	if (r->k)
		return true;
	if (!policy_modelled(r->policy)) {
		fail(r, RUN_NOT_MODELLED, 0, "not modelled yet: policy %s",
		     policy_names[r->policy]);
		return false;
	}
	if (!switches_consistent(r))
		return false;
	r->k = kernel_create(r->policy, r->pmem_bytes, r->dram_bytes);
	/* the policy's preset, for every switch nothing set */
	for (int i = 0; i < NR_SWITCHES; i++)
		if (!r->sw_set[i])
			r->sw[i] = r->k->policy.sw[i];
	memcpy(r->k->policy.sw, r->sw, sizeof(r->sw));
	if (r->fault_around_set)
		r->k->fault_around_bytes = r->fault_around_bytes;
	if (r->ra_set)
		r->k->sb.s_bdi_ra_pages = r->ra_bytes >> PAGE_SHIFT;
	r->k->hooks.fatal_signal_pending = run_killed;
	r->k->hooks.signal_ctx = r;
	r->chk = checker_new(r->k, &(struct namer){ r, name_file, name_proc, name_addr });
	r->o = oracle_new();
	oracle_set_cow(r->o, r->policy == POLICY_MODERN);
	r->dur = durable_new();
	/* lockdep checks this run (wants_lockdep()) */
	if (r->ld) {
		lockdep_attach(r->k, r->ld);
		lockdep_set_describe(r->ld, describe_task, r);
	}
	if (r->opts->trace_events) {
		r->k->hooks.trace = trace_event;
		r->k->hooks.trace_ctx = r;
	}
	return true;
}

static void free_sfile(gpointer p)
{
	struct sfile *f = p;

	g_free(f->name);
	g_free(f);
}

static void free_smap(gpointer p);

static struct sproc *sproc_new(const char *name)
{
	struct sproc *p = g_new0(struct sproc, 1);

	p->name = g_strdup(name);
	p->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_smap);
	return p;
}

static void free_sproc(gpointer p)
{
	struct sproc *s = p;

	g_hash_table_destroy(s->by_name);
	g_free(s->name);
	g_free(s);
}

/* A created mapping names the addresses it was placed at (name_addr). */
static void smap_place(struct smap *m, unsigned long start, unsigned long len,
		       unsigned long step)
{
	if (m->created)
		interval_tree_remove(&m->node, &m->proc->maps);
	m->created = true;
	m->placed = step;
	m->start = start;
	m->len = len;
	m->node.start = start;
	m->node.last = start + len - 1;
	interval_tree_insert(&m->node, &m->proc->maps);
}

static void free_smap(gpointer p)
{
	struct smap *m = p;

	g_free(m->name);
	g_free(m);
}

/* ---- steps, checks and expectations ---- */

static void trace(struct run *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void trace(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->opts->trace)
		return;
	va_start(ap, fmt);
	g_string_append_vprintf(r->trace, fmt, ap);
	va_end(ap);
}

static void begin_step(struct run *r)
{
	struct history *h = &g_array_index(r->history, struct history, r->hist);

	/*
	 * The step still runs: its caller stops after it (r->stop). Memory
	 * is counted every 64 steps: a step adds a few pages' worth at most,
	 * and the steps that move many pages ask run_killed() as they go.
	 */
	if (!r->stop && !steps_limit_reached(r) && !(r->step & 63))
		memory_limit_reached(r);
	r->step++;
	if (r->k) {
		r->step_nr_free = r->k->sb.nr_free;
		r->step_commit = r->k->sb.j_commit_sequence;
	}
	r->pending_mark = r->pending->len;
	if (h->last + 1 == h->first)
		h->first = r->step;
	h->last = r->step;
}

static void crash_step_done(struct run *r);

static void end_step(struct run *r)
{
	check_lock_order(r);
	/*
	 * Another thread is in the middle of an operation: what it has half
	 * done is no violation yet. What this step touched stays marked, and
	 * the last operation of the overlap checks it all.
	 */
	if (r->in_flight > 1)
		return;
	checker_step(r->chk, r->pending);
	/* what the runner reported during the step, then what the check found */
	for (guint i = r->pending_mark; i < r->pending->len; i++) {
		struct violation *v = g_ptr_array_index(r->pending, i);

		trace(r, "    ! %s: %s\n", invariant_names[v->inv], v->what);
	}
	if (r->opts->paranoid) {
		GPtrArray *missed = g_ptr_array_new_with_free_func(violation_free);

		checker_full(r->chk, missed);
		if (missed->len) {
			struct violation *v = g_ptr_array_index(missed, 0);

			fail(r, RUN_FAIL, 0, "the full sweep found what the step's check missed: %s: %s",
			     invariant_names[v->inv], v->what);
		}
		g_ptr_array_free(missed, TRUE);
	}
	crash_step_done(r);
}

static const char *sig_name(enum user_signal s)
{
	return s == SIG_BUS ? "SIGBUS" : s == SIG_SEGV ? "SIGSEGV" : "none";
}

/* -errno as the kernel names it ("ENOSPC"); an errno the results do not name, as libc does. */
static const char *err_name(int64_t ret)
{
	const char *n = errno_name((int)-ret);

	return n ? n : g_strerror((int)-ret);
}

static void describe_result(const struct op_result *res, char *buf, size_t len)
{
	if (res->sig == SIG_BUS && res->si_code)
		snprintf(buf, len, "SIGBUS:%s", res->si_code == MM_BUS_MCEERR_AR ? "BUS_MCEERR_AR" :
			 res->si_code == MM_SI_KERNEL ? "SI_KERNEL" : "BUS_ADRERR");
	else if (res->sig)
		snprintf(buf, len, "%s", sig_name(res->sig));
	else if (res->is_value)
		snprintf(buf, len, "%#" PRIx64, res->value);
	else if (res->value < 0)
		snprintf(buf, len, "-%s", err_name(res->value));
	else
		snprintf(buf, len, "%" PRId64, res->value);
}

static bool result_matches(const struct op_result *res, const struct result_spec *spec)
{
	switch (spec->kind) {
	case RES_OK:
		return !res->sig && (res->is_value || res->value >= 0);
	case RES_SIGBUS:
		return res->sig == SIG_BUS && (!spec->si_code || spec->si_code == res->si_code);
	case RES_SIGSEGV:
		return res->sig == SIG_SEGV;
	case RES_ERRNO:
		return !res->sig && !res->is_value && res->value == -spec->value;
	case RES_RET:
		return !res->sig && !res->is_value && res->value == spec->value;
	case RES_VALUE:
		if (res->sig)
			return false;
		if (res->read_len)	/* read(): all bytes, whole length */
			return res->value == res->read_len && res->read_uniform &&
			       res->uniform_byte == spec->value;
		return res->is_value && (uint64_t)res->value == (uint64_t)spec->value;
	}
	return false;
}

static void describe_spec(const struct result_spec *spec, char *buf, size_t len)
{
	switch (spec->kind) {
	case RES_OK:
		snprintf(buf, len, "ok");
		break;
	case RES_SIGBUS:
		snprintf(buf, len, "%s", !spec->si_code ? "SIGBUS" :
			 spec->si_code == MM_BUS_MCEERR_AR ? "SIGBUS:BUS_MCEERR_AR" :
			 spec->si_code == MM_SI_KERNEL ? "SIGBUS:SI_KERNEL" : "SIGBUS:BUS_ADRERR");
		break;
	case RES_SIGSEGV:
		snprintf(buf, len, "SIGSEGV");
		break;
	case RES_ERRNO:
		snprintf(buf, len, "-%s", errno_name((int)spec->value));
		break;
	case RES_RET:
		snprintf(buf, len, "ret=%" PRId64, spec->value);
		break;
	case RES_VALUE:
		snprintf(buf, len, "%#" PRIx64, (uint64_t)spec->value);
		break;
	}
}

static struct dump_ctx dump_ctx(struct run *r);

/* The objects the last operation touched, for the story of a failed result. */
static void dump_op(struct run *r)
{
	const struct cmd *op = r->op;
	struct dump_ctx d = dump_ctx(r);
	struct sfile *f = op && op->file ? g_hash_table_lookup(r->files, op->file) : NULL;

	if (!op)
		return;
	switch (op->kind) {
	case CMD_LOAD:
	case CMD_STORE:
	case CMD_TOUCH:
	case CMD_FLUSH: {
		struct vm_area_struct *vma;

		if (!r->last_mm || !g_ptr_array_find(r->k->mms, r->last_mm, NULL))
			return;
		vma = find_vma(r->last_mm, r->last_addr);
		if (vma && vma->vm_start <= r->last_addr && vma->vm_file)
			dump_file_around(&d, vma->vm_file->inode,
					 linear_page_index(vma, r->last_addr), r->out);
		dump_mm_around(&d, r->last_mm, r->last_addr, r->out);
		return;
	}
	case CMD_MMAP:
	case CMD_MUNMAP:
	case CMD_MPROTECT:
	case CMD_MADVISE:
	case CMD_MSYNC:
	case CMD_MREMAP: {
		struct sproc *p = g_hash_table_lookup(r->procs, op->proc);

		if (p && p->mm) {
			g_string_append_printf(r->out, "  process %s maps (as /proc/PID/maps):\n", p->name);
			show_maps(&d, p->mm, r->out);
		}
		return;
	}
	default:
		if (f)
			dump_file_around(&d, f->inode, (op->kind == CMD_TRUNCATE ? op->size : op->off) >>
					 PAGE_SHIFT, r->out);
		return;
	}
}

static void check_result(struct run *r, const struct cmd *c, const struct result_spec *spec)
{
	char got[64], want[64];

	if (!r->res.valid) {
		fail(r, RUN_BAD_INPUT, spec->col, "no operation result to check here");
		return;
	}
	r->res.checked = true;
	if (result_matches(&r->res, spec))
		return;
	describe_result(&r->res, got, sizeof(got));
	describe_spec(spec, want, sizeof(want));
	if (r->res.read_len && !r->res.sig && r->res.value >= 0)
		fail(r, RUN_FAIL, spec->col, "expected %s: read returned %s bytes%s", c->text,
		     got, r->res.read_uniform ? ", all the same" : " of differing values");
	else
		fail(r, RUN_FAIL, spec->col, "expected %s, got %s", want, got);
	dump_op(r);
}

/* The end of an operation: what nobody expected is a failure. */
static void finish_op(struct run *r)
{
	const struct cmd *cur = r->cur;

	/* failures found now belong to the operation, not to the next line */
	r->cur = r->op;
	g_array_set_size(r->pending_expected, r->pending->len);
	for (guint i = 0; i < r->pending->len && !r->stop; i++) {
		struct violation *v = g_ptr_array_index(r->pending, i);
		struct dump_ctx d = dump_ctx(r);

		if (g_array_index(r->pending_expected, gboolean, i) ||
		    (r->opts->known_findings & (1u << v->inv)))
			continue;
		fail(r, RUN_FAIL, 0, "invariant %s violated: %s", invariant_names[v->inv],
		     v->what);
		dump_violation(&d, v, r->out);
	}
	g_ptr_array_set_size(r->pending, 0);
	g_array_set_size(r->pending_expected, 0);
	if (r->stop || !r->res.valid || r->res.checked || r->opts->lenient)
		goto out;
	if (r->res.sig)
		fail(r, RUN_FAIL, 0, "%s, and nothing expected it", sig_name(r->res.sig));
	else if (!r->res.is_value && r->res.value < 0)
		fail(r, RUN_FAIL, 0, "returned -%s, and nothing expected it", err_name(r->res.value));
out:
	r->res.valid = false;
	r->cur = cur;
}

/* ---- operations ---- */

static struct sfile *sfile_of(struct run *r, const struct oracle_file *of);
static void durable_ranges(struct run *r, struct sproc *p, unsigned long start,
			   unsigned long len, bool sync, bool size);

/*
 * Whether another thread's operation ran while this one did (@since: the
 * completions at its start). A sync that overlapped one is not judged
 * after it (dirty-tracked): a fault past the sync's walk dirties again.
 */
static bool overlapped(const struct run *r, unsigned long since)
{
	return r->in_flight > 1 || r->completions != since;
}

static struct sproc *get_proc(struct run *r, const char *name)
{
	struct sproc *p = g_hash_table_lookup(r->procs, name);

	if (!p->mm) {
		fail(r, RUN_BAD_INPUT, 0, "process %s has exited", name);
		return NULL;
	}
	return p;
}

static struct smap *lookup_map(struct run *r, struct sproc *p, const char *name)
{
	struct smap *m = g_hash_table_lookup(p->by_name, name);

	if (m && !m->created) {
		fail(r, RUN_BAD_INPUT, 0, "mapping %s was never created (its mmap failed)", name);
		return NULL;
	}
	return m;
}

static bool resolve_addr(struct run *r, struct sproc *p, const struct addr_spec *a,
			 unsigned long *out)
{
	struct smap *m;

	if (!a->map) {
		*out = a->off;
		return true;
	}
	if (!(m = lookup_map(r, p, a->map)))
		return false;
	*out = m->start + a->off;
	return true;
}

/*
 * A wait nothing can end (k->hang): outside a thread, the layout break
 * waiting for a pin no line releases. A failure: the kernel would hang.
 */
static bool check_hang(struct run *r)
{
	GString *who = g_string_new(NULL);

	for (guint i = 0; i < r->handle_list->len; i++) {
		struct shandle *h = g_ptr_array_index(r->handle_list, i);

		for (unsigned j = 0; j < h->nr && !h->released; j++)
			if (h->pfns[j] == r->k->hang_pfn) {
				g_string_append_printf(who, "%s%s", who->len ? ", " : "", h->name);
				break;
			}
	}
	fail(r, RUN_FAIL, 0, "a hang: %s (block %lu, held by handle %s)", r->k->hang,
	     r->k->hang_pfn - PMEM_BASE_PFN, who->len ? who->str : "none");
	g_string_free(who, TRUE);
	return true;
}

static bool check_not_modelled(struct run *r)
{
	if (G_UNLIKELY(r->k->hang))
		return check_hang(r);
	if (!r->k->not_modelled)
		return false;
	fail(r, RUN_NOT_MODELLED, 0, "not modelled yet: %s", r->k->not_modelled);
	return true;
}

/* The model's answer is the reference's @want. */
static bool answer_is(const struct access_result *res, bool write,
		      const struct oracle_answer *want)
{
	return res->sig == want->sig && (write || res->sig || want->value == res->value);
}

/*
 * An access that overlapped other threads' operations (docs/explorer.md):
 * the reference applies each operation whole when it returns, so an
 * answer the model gave while another operation was half done may be the
 * reference's before it (@want0, at the access's start) or after it. The
 * first is told now; for the second the judgment waits until every
 * operation in flight has returned (judge_overlaps()).
 */
static bool overlap_explains(struct run *r, struct sproc *p, unsigned long addr,
			     unsigned size, bool write, const struct access_result *res,
			     const struct oracle_answer *want, const struct oracle_answer *want0)
{
	struct judgment j = { p, addr, size, write, res->sig, res->value, r->step, *want };

	if (answer_is(res, write, want) || answer_is(res, write, want0))
		return true;
	if (r->in_flight < 2)
		return false;
	g_array_append_val(r->judgments, j);
	return true;
}

/*
 * An operation returned: each access waiting for a judgment holds if the
 * reference now gives its answer; when none is in flight any more, those
 * no order explains are violations.
 */
static void judge_overlaps(struct run *r)
{
	for (guint i = 0; i < r->judgments->len; i++) {
		struct judgment *j = &g_array_index(r->judgments, struct judgment, i);
		struct oracle_answer now = oracle_load(r->o, j->p->mm->id, j->addr, j->size);
		struct access_result res = { .sig = j->sig, .value = j->value };
		char where[64], key[32];

		if (answer_is(&res, j->write, &now)) {
			g_array_remove_index(r->judgments, i--);
			continue;
		}
		if (r->in_flight)
			continue;
		name_addr(r, j->p->mm, j->addr, where, sizeof(where));
		snprintf(key, sizeof(key), "R%lu", j->step);
		checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, NULL, 0, j->p->mm, j->addr,
			       "process %s %s: the %s (step %lu) got %s%s; no order of the operations it overlapped gives that (the reference after it says %s)",
			       j->p->name, where, j->write ? "store" : "load", j->step,
			       j->sig ? sig_name(j->sig) : j->write ? "no signal" : "a value",
			       j->sig || j->write ? "" : "", j->want.sig ? sig_name(j->want.sig) : "no signal");
		g_array_remove_index(r->judgments, i--);
	}
}

/*
 * Whether the page of @inode at @index is a written block with poison
 * on it: what the reference does not know (docs/invariants.md,
 * data-oracle). A clear (a whole-page recovery write, the zeroing of a
 * new block) makes the page judged again; a truncate or punch leaves a
 * hole there, which is.
 */
static bool poisoned_page(struct run *r, struct inode *inode, pgoff_t index)
{
	unsigned long block;

	return r->k->pmem.poison && inode && IS_DAX(inode) &&
	       ext4_block_lookup(inode, index, &block) == BLOCK_MAPPED &&
	       pmem_poisoned(r->k, block_pfn(block));
}

/* Whether a page of [@off, @off + @len) of @f is poisoned_page(). */
static bool poisoned_range(struct run *r, struct sfile *f, uint64_t off, uint64_t len)
{
	if (!r->k->pmem.poison || !len || !f->inode)
		return false;
	for (uint64_t i = off >> PAGE_SHIFT; i <= (off + len - 1) >> PAGE_SHIFT; i++)
		if (poisoned_page(r, f->inode, i))
			return true;
	return false;
}

/*
 * Whether an access of @p at @addr is one the reference cannot judge: a
 * DAX file's after unbind, or a poisoned_page().
 */
static bool device_unjudged(struct run *r, struct sproc *p, unsigned long addr)
{
	struct vm_area_struct *vma;

	if (!r->k->pmem.dead && !r->k->pmem.poison)
		return false;
	vma = find_vma(p->mm, addr);
	if (!vma || addr < vma->vm_start || !vma->vm_file || !IS_DAX(vma_inode(vma)))
		return false;
	if (r->k->pmem.dead)
		return true;
	return poisoned_page(r, vma_inode(vma), linear_page_index(vma, addr));
}

/*
 * One load or store: the model's answer, the oracle's answer, and the
 * invariants that compare them.
 */
static void do_access(struct run *r, struct sproc *p, unsigned long addr,
		      unsigned size, bool write, uint64_t value)
{
	struct access_result res;
	struct oracle_answer want, want0 = { 0 };
	char where[64], key[64];

	begin_step(r);
	r->last_mm = p->mm;
	r->last_addr = addr;
	if (r->in_flight)
		want0 = oracle_load(r->o, p->mm->id, addr, size);
	res = user_access(r->k, p->mm, addr, size, write, value);
	if (check_not_modelled(r))
		return;
	if (res.livelock) {
		char at[64];

		name_addr(r, p->mm, addr, at, sizeof(at));
		fail(r, RUN_FAIL, 0, "livelock: the %s of process %s %s faulted %d times and the PTE still does not allow it",
		     write ? "store" : "load", p->name, at, res.nr_faults);
		dump_mm_around(&(struct dump_ctx){ r->k, { r, name_file, name_proc, name_addr } },
			       p->mm, addr, r->out);
		return;
	}
	/*
	 * Out of space: the fault could not allocate a block. The reference
	 * model does not model space, so this access is not judged (and a
	 * store that did not happen is not applied to it).
	 */
	if (res.sig == SIG_BUS && res.error == -ENOSPC) {
		trace(r, "step %lu: %s %s %#lx: SIGBUS (the fault's allocation: -ENOSPC)\n",
		      r->step, write ? "store" : "load", p->name, addr);
		end_step(r);
		r->res = (struct op_result){ .valid = true, .sig = res.sig, .si_code = res.si_code,
					     .is_value = !write };
		return;
	}
	want = write ? oracle_store(r->o, p->mm->id, addr, size, value) :
		       oracle_load(r->o, p->mm->id, addr, size);
	/*
	 * The reference knows no device: after unbind an access to a DAX
	 * file, and an access to a poisoned page, answer what the era's
	 * driver makes of them, which the scenarios check with `=>` against
	 * the kernel source (docs/invariants.md, data-oracle).
	 */
	if (device_unjudged(r, p, addr)) {
		want.sig = res.sig;
		want.value = res.value;
	}
	if (write && !want.sig) {	/* a store to a file: its bytes may differ from the synced */
		loff_t pos;
		struct oracle_file *of = oracle_shared_at(r->o, p->mm->id, addr, &pos);
		struct sfile *sf = of ? sfile_of(r, of) : NULL;

		if (sf)
			durable_changed(sf->df, pos, size);
	}
	if (want.unknown && !write && !res.sig)
		want.value = res.value;		/* not judged: oracle_file_forget() */
	/* names and keys only when they are printed */
	if (r->opts->trace || want.sig != res.sig || (!write && want.value != res.value)) {
		name_addr(r, p->mm, addr, where, sizeof(where));
		snprintf(key, sizeof(key), "R%lu", r->step);
	}
	if (write)
		trace(r, "step %lu: store %s %s %#" PRIx64 ": %s, %d fault(s)%s\n", r->step,
		      p->name, where, value, res.sig ? sig_name(res.sig) : "ok", res.nr_faults,
		      res.major ? " (major)" : "");
	else if (r->opts->trace) {
		char val[24];

		snprintf(val, sizeof(val), "%#" PRIx64, res.value);
		trace(r, "step %lu: load %s %s: %s, %d fault(s)%s\n", r->step, p->name, where,
		      res.sig ? sig_name(res.sig) : val, res.nr_faults,
		      res.major ? " (major)" : "");
	}
	if (r->in_flight && overlap_explains(r, p, addr, size, write, &res, &want, &want0))
		;
	else if (want.sig == SIG_BUS && res.sig != SIG_BUS)
		checker_report(r->chk, r->pending, INV_BEYOND_EOF, key, NULL, 0, p->mm, addr,
			       "process %s %s is past EOF: the reference says SIGBUS, the %s %s",
			       p->name, where, write ? "store" : "load",
			       res.sig ? sig_name(res.sig) : "succeeded");
	else if (want.sig != res.sig)
		checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, NULL, 0, p->mm, addr,
			       "process %s %s: the reference says %s, the %s got %s", p->name,
			       where, sig_name(want.sig), write ? "store" : "load",
			       sig_name(res.sig));
	else if (!write && !res.sig && want.value != res.value)
		checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, NULL, 0, p->mm, addr,
			       "process %s %s loaded %#" PRIx64 ", the reference says %#" PRIx64,
			       p->name, where, res.value, want.value);
	if (write && !res.sig && pfn_is_pmem(r->k, res.pfn)) {
		struct vm_area_struct *vma = find_vma(p->mm, addr);

		if (vma && vma->vm_file)
			checker_touch(r->chk, vma->vm_file->inode, linear_page_index(vma, addr));

		if (vma && !(vma->vm_flags & VM_SHARED)) {
			name_addr(r, p->mm, addr, where, sizeof(where));
			snprintf(key, sizeof(key), "R%lu", r->step);
			checker_report(r->chk, r->pending, INV_PRIVATE_COW, key, NULL, 0, p->mm,
				       addr, "process %s %s: a store through a private mapping reached block %lu of the file",
				       p->name, where, res.pfn - PMEM_BASE_PFN);
		}
	}
	end_step(r);
	r->res = (struct op_result){ .valid = true, .sig = res.sig, .si_code = res.si_code,
				     .is_value = !write, .value = write ? 0 : (int64_t)res.value };
}

static void set_ret(struct run *r, int64_t ret)
{
	r->res = (struct op_result){ .valid = true, .value = ret };
	if (ret < 0)
		trace(r, "step %lu: %s: -%s\n", r->step, r->cur->text, err_name(ret));
	else
		trace(r, "step %lu: %s: %" PRId64 "\n", r->step, r->cur->text, ret);
}

static void op_file(struct run *r, const struct cmd *c)
{
	struct sfile *f = g_new0(struct sfile, 1);

	f->name = g_strdup(c->name);
	g_hash_table_insert(r->files, f->name, f);
	g_ptr_array_add(r->file_list, f);
	begin_step(r);
	/*
	 * under xip-2014 a dax file is a file of ext2 mounted -o xip, a nodax
	 * one an ext4 file of a mount without it (docs/eras/xip-2014.md §P)
	 */
	if (r->policy == POLICY_XIP_2014 && c->dax)
		f->inode = ext2_create(r->k, c->has_data ? 0 : (loff_t)c->size);
	else
		f->inode = ext4_create(r->k, c->dax, c->has_data ? 0 : (loff_t)c->size);
	f->f_mode = FMODE_READ | (c->writable_file ? FMODE_WRITE : 0);
	f->file = file_open(r->k, f->inode, f->f_mode);
	f->of = oracle_file_new(r->o, c->has_data ? 0 : (loff_t)c->size);
	oracle_file_set_dax(f->of, c->dax);	/* the line says it, not the model */
	/* created empty and committed (jbd2.h); its size= is the running transaction's */
	f->df = durable_file_new(r->dur);
	durable_resized(f->df, 0, oracle_file_size(f->of));
	/*
	 * The model has one super_block: under xip-2014 it is ext2's, whose
	 * s_maxbytes a nodax (ext4) file would not have.
	 */
	if (r->policy == POLICY_XIP_2014 && !c->dax && c->size > (uint64_t)r->k->sb.s_maxbytes) {
		fail(r, RUN_NOT_MODELLED, 0,
		     "not modelled yet: a page-cache file under xip-2014 larger than ext2's largest file");
		end_step(r);
		return;
	}
	/* ext2 (xip-2014) has a largest file: a larger one cannot exist there */
	if (r->k->sb.s_maxbytes && c->size > (uint64_t)r->k->sb.s_maxbytes) {
		fail(r, RUN_BAD_INPUT, 0, "file %s: larger than %s's largest file (s_maxbytes %lld)",
		     c->name, policy_names[r->policy], (long long)r->k->sb.s_maxbytes);
		end_step(r);
		return;
	}
	if (c->has_data && DIV_ROUND_UP(c->size, PAGE_SIZE) > r->k->sb.nr_free) {
		fail(r, RUN_BAD_INPUT, 0, "file %s: the pmem device is too small for its data (%lu blocks free)",
		     c->name, r->k->sb.nr_free);
		end_step(r);
		return;
	}
	if (!c->dax && c->has_data && c->size) {
		/* written, synced and dropped from the page cache before the run */
		if (ext4_create_cold(r->k, f->inode, (loff_t)c->size, (uint8_t)c->value))
			fail(r, RUN_BAD_INPUT, 0, "file %s: the pmem device is too small for its data",
			     c->name);
		else {
			oracle_write_fill(f->of, 0, (uint8_t)c->value, c->size);
			/* written and fsynced before the run */
			durable_resized(f->df, 0, (loff_t)c->size);
			durable_changed(f->df, 0, (loff_t)c->size);
			durable_sync(f->df, f->of, 0, -1, true);
		}
	} else if (c->has_data && c->size) {
		/*
		 * written with one write(2) of a buffer of c->value through a
		 * writable descriptor, as a test would
		 */
		struct file *w = file_open(r->k, f->inode, FMODE_READ | FMODE_WRITE);
		ssize_t ret = vfs_write_iter(r->k, w, 0,
					     &(struct iov_iter){ .fill = (uint8_t)c->value, .count = c->size });

		if (ret != (ssize_t)c->size)
			fail(r, RUN_BAD_INPUT, 0, "file %s: the pmem device is too small for its data (%zd)",
			     c->name, ret);
		else {
			oracle_write_fill(f->of, 0, (uint8_t)c->value, c->size);
			/* a write(2): durable data, metadata not committed */
			durable_resized(f->df, 0, (loff_t)c->size);
			durable_changed(f->df, 0, (loff_t)c->size);
		}
		file_close(r->k, w);
	}
	f->last_mtime = f->inode->i_mtime;
	trace(r, "step %lu: file %s: inode %lu, i_size %lld, %lu blocks\n", r->step,
	      f->name, f->inode->i_ino, (long long)f->inode->i_size, f->inode->i_blocks);
	end_step(r);
}

/*
 * unbind: the pmem namespace's driver is unbound (echo > .../unbind):
 * model/nvdimm.c under the era's semantics or the unbind-memory /
 * unbind-storage switch. Afterwards only accesses, flushes, munmap and
 * exit are modelled (run_op() refuses the rest), and the full sweep runs,
 * so that dead-device-mapped reports every PTE left.
 */
static void op_unbind(struct run *r, const struct cmd *c)
{
	int ret;

	(void)c;
	begin_step(r);
	ret = nvdimm_unbind(r->k);
	if (check_not_modelled(r))
		return;
	if (ret == -EAGAIN) {
		fail(r, RUN_FAIL, 0, "unbind (unbind-memory) waits for the %lu VMA(s) that map a DAX file, and nothing else runs to unmap them: a hang",
		     nvdimm_dax_vmas(r->k));
		return;
	}
	set_ret(r, ret);
	/* the step's check: all of it (regress/unbind-step-check-sees-every-mapping.scn) */
	checker_full(r->chk, r->pending);
	end_step(r);
}

/*
 * gup PROC ADDR LEN [write] [fast] [longterm] as H, pin the same:
 * get_user_pages[_fast]() or pin_user_pages[_fast]() (model/usercopy.c,
 * each era's), the pages held by handle H. The result is the count of
 * pages got, or the error when none. The checker is told what the handle
 * holds (refcount-balance, pinned-block).
 */
static void touch_user(struct run *r, struct mm_struct *mm, unsigned long addr, size_t len);

static void op_gup(struct run *r, const struct cmd *c)
{
	struct sproc *p = get_proc(r, c->proc);
	struct shandle *h;
	unsigned long addr, npages;
	unsigned flags;
	long ret;

	if (!p || !resolve_addr(r, p, &c->addr, &addr))
		return;
	npages = ((addr + c->len + PAGE_SIZE - 1) >> PAGE_SHIFT) - (addr >> PAGE_SHIFT);
	r->inner += npages;	/* a step per page, for the limit */
	begin_step(r);
	r->last_mm = p->mm;
	r->last_addr = addr;
	flags = (c->kind == CMD_PIN ? FOLL_PIN : FOLL_GET) | (c->write ? FOLL_WRITE : 0) |
		(c->longterm ? FOLL_LONGTERM : 0);
	h = g_new0(struct shandle, 1);
	h->name = g_strdup(c->name);
	h->pfns = g_new(unsigned long, npages);
	r->k->fault_error = 0;
	ret = get_user_pages_mm(r->k, p->mm, addr, c->len, flags, h->pfns);
	/* a 6.1 pin line marks the process, whatever it returns (MMF_HAS_PINNED) */
	if (c->kind == CMD_PIN && r->policy == POLICY_MODERN)
		oracle_pinned(r->o, p->mm->id);
	h->nr = ret > 0 ? (unsigned)ret : 0;
	h->addr = addr;
	h->len = c->len;
	h->foll_pin = (flags & FOLL_PIN) && r->policy == POLICY_MODERN;
	g_hash_table_replace(r->handles, h->name, h);
	g_ptr_array_add(r->handle_list, h);
	if (r->k->not_modelled) {
		release_handle(r, h);
		check_not_modelled(r);
		return;
	}
	checker_pin(r->chk, h->name, h->pfns, h->nr, c->kind == CMD_PIN);
	touch_user(r, p->mm, addr, c->len);
	/*
	 * A write gup took write faults: a private page it got is the
	 * process's own copy now. The reference makes it so, storing back
	 * what the process sees there (a store that changes nothing).
	 */
	for (unsigned i = 0; c->write && i < h->nr; i++) {
		unsigned long a = i ? (addr & PAGE_MASK) + ((unsigned long)i << PAGE_SHIFT) : addr;
		struct oracle_answer ans = oracle_load(r->o, p->mm->id, a, 1);

		if (!ans.sig && !ans.unknown)
			oracle_store(r->o, p->mm->id, a, 1, ans.value);
	}
	/* what a device may write through: the reference follows those pages (oracle.h) */
	if (c->write && h->nr)
		h->opin = oracle_pin(r->o, p->mm->id, addr & PAGE_MASK, h->nr, h->foll_pin);
	for (unsigned i = 0; i < h->nr; i++)
		trace(r, "    handle %s: pfn %#lx%s\n", h->name, h->pfns[i],
		      pfn_is_pmem(r->k, h->pfns[i]) ? " (pmem)" : "");
	set_ret(r, ret);
	end_step(r);
}

/* put_page H / unpin H: the pages handle H holds are released */
static void op_put_page(struct run *r, const struct cmd *c)
{
	struct shandle *h = g_hash_table_lookup(r->handles, c->name);

	if (!h) {
		fail(r, RUN_BAD_INPUT, 0, "handle %s: its %s line has not run", c->name,
		     c->kind == CMD_PUT_PAGE ? "gup" : "pin");
		return;
	}
	if (h->released) {
		fail(r, RUN_BAD_INPUT, 0, "handle %s was released already", c->name);
		return;
	}
	begin_step(r);
	checker_unpin(r->chk, h->name, r->pending);
	release_handle(r, h);
	set_ret(r, 0);
	end_step(r);
}

/*
 * The checker looks again at what a device wrote into: a pmem block's
 * file page (its lines changed), a page-cache page (set_page_dirty_lock()).
 */
static void touch_dma_page(struct run *r, unsigned long pfn)
{
	struct inode *inode;
	pgoff_t index;

	if (pfn_is_pmem(r->k, pfn)) {
		if (ext4_block_owner(r->k, pfn - PMEM_BASE_PFN, &inode, &index))
			checker_touch(r->chk, inode, index);
		return;
	}
	{
		struct page *page = pfn_to_page(r->k, pfn);

		if (page->mapping && page_in_page_cache(page))
			checker_touch(r->chk, page->mapping->host, page->index);
	}
}

/*
 * dma H read|write [OFF [LEN]] [value=B]: the device's side of an
 * O_DIRECT bio through the pages handle H holds (dio_transfer_pages()):
 * `write` is a read from the device, B's bytes landing in the pages
 * (wherever they are now: the file's block or page, a private copy, or a
 * block a truncate freed and another file took), `read` a write to the
 * device, which reads them. Only the pages the handle got are reached:
 * the result is the bytes moved (`=> B` for a read: all of them B). The
 * reference (oracle_pin_write(), oracle_pin_read()) follows each page of
 * a write handle from its own record; a read handle's pages are not
 * followed (a hole's zero page and a page with data are one to it), so a
 * `dma read` through one is not judged.
 */
static void op_dma(struct run *r, const struct cmd *c)
{
	struct shandle *h = g_hash_table_lookup(r->handles, c->name);
	unsigned long base, first, end, since = r->completions;
	uint8_t *buf = NULL, *want = NULL;
	enum oracle_dma judged = ORACLE_DMA_UNKNOWN;
	size_t n;
	char key[32];

	if (!h) {
		fail(r, RUN_BAD_INPUT, 0, "handle %s: its gup or pin line has not run", c->name);
		return;
	}
	if (h->released) {
		fail(r, RUN_BAD_INPUT, 0, "handle %s was released: dma through it is a use after free of the driver's", c->name);
		return;
	}
	base = h->addr & PAGE_MASK;
	/* the bytes asked for, cut at the end of the pages got */
	first = h->addr + c->off;
	end = first + c->len;
	if (end > base + ((unsigned long)h->nr << PAGE_SHIFT))
		end = base + ((unsigned long)h->nr << PAGE_SHIFT);
	n = end > first ? end - first : 0;
	for (unsigned i = 0; r->k->pmem.poison && i < h->nr; i++)
		if (pmem_poisoned(r->k, h->pfns[i])) {
			fail(r, RUN_NOT_MODELLED, 0, "not modelled yet: a dma through a poisoned pmem page (the driver's copy consumes or stores over the media error)");
			return;
		}
	r->inner += (n + PAGE_SIZE - 1) >> PAGE_SHIFT;
	begin_step(r);
	buf = g_malloc(n ? n : 1);
	if (c->write)
		memset(buf, (int)c->value, n);
	dio_transfer_pages(r->k, h->pfns, first - base, n, buf, c->write);
	if (check_not_modelled(r))
		goto out;
	for (unsigned long a = first & PAGE_MASK; a < end; a += PAGE_SIZE)
		touch_dma_page(r, h->pfns[(a - base) >> PAGE_SHIFT]);
	snprintf(key, sizeof(key), "R%lu", r->step);
	if (c->write && h->opin) {
		GArray *changed = g_array_new(FALSE, FALSE, sizeof(struct oracle_range));

		judged = oracle_pin_write(r->o, h->opin, first - base, n, (uint8_t)c->value, changed);
		for (guint i = 0; i < changed->len; i++) {
			struct oracle_range *rg = &g_array_index(changed, struct oracle_range, i);

			durable_changed(sfile_of(r, rg->file)->df, rg->off, rg->len);
		}
		g_array_free(changed, TRUE);
	} else if (!c->write && h->opin) {
		want = g_malloc(n ? n : 1);
		judged = oracle_pin_read(r->o, h->opin, first - base, n, want);
		if (judged == ORACLE_DMA_JUDGED && !overlapped(r, since) && memcmp(buf, want, n)) {
			size_t i = 0;

			while (buf[i] == want[i])
				i++;
			checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, NULL, 0, NULL, 0,
				       "dma %s read: byte %zu (%s+%#lx) is %#x, the reference says %#x",
				       h->name, i, h->name, c->off + i, buf[i], want[i]);
		}
	}
	if (judged != ORACLE_DMA_JUDGED)
		trace(r, "    dma %s: the reference does not follow its pages (a read handle, or a forgotten file): not judged\n",
		      h->name);
	set_ret(r, (int64_t)n);
	if (!c->write) {
		r->res.read_len = c->len;
		r->res.read_uniform = n > 0;
		r->res.uniform_byte = buf[0];
		for (size_t i = 1; i < n; i++)
			if (buf[i] != buf[0])
				r->res.read_uniform = false;
	}
	end_step(r);
out:
	g_free(buf);
	g_free(want);
}

/*
 * poison FILE INDEX [latent]: a media error on the pfn of the block at
 * INDEX, written or unwritten; a hole has no pmem page: -ENXIO, the
 * language's answer (nothing is poisoned)
 */
static void op_poison(struct run *r, const struct cmd *c)
{
	struct sfile *f = g_hash_table_lookup(r->files, c->file);
	unsigned long block = 0;
	int ret;

	if (!f->inode || !IS_DAX(f->inode)) {
		fail(r, RUN_NOT_MODELLED, 0, "not modelled yet: poison of a page-cache file's block");
		return;
	}
	begin_step(r);
	if (ext4_block_lookup(f->inode, c->index, &block) == BLOCK_HOLE) {
		set_ret(r, -ENXIO);
		end_step(r);
		return;
	}
	ret = nvdimm_poison(r->k, PMEM_BASE_PFN + block, c->latent);
	if (check_not_modelled(r))
		return;
	set_ret(r, ret);
	end_step(r);
}

/*
 * What the model has after unbind: an operation outside it stops the run
 * as not modelled (docs/scenario-language.md).
 */
static bool device_gate(struct run *r, const struct cmd *c)
{
	const char *why = NULL;

	if (r->k->pmem.dead) {
		switch (c->kind) {
		case CMD_LOAD: case CMD_STORE: case CMD_TOUCH: case CMD_FLUSH:
		case CMD_MUNMAP: case CMD_EXIT: case CMD_UNBIND: case CMD_CHECK:
		case CMD_EXPECT: case CMD_SHOW: case CMD_CONCURRENT: case CMD_THREAD:
		case CMD_END: case CMD_SCHEDULE:
			break;
		case CMD_PUT_PAGE: case CMD_UNPIN: {
			/*
			 * A release while the unbind still waits (its struct
			 * pages are there), or of DRAM pages only: else the
			 * page's memmap went with the device (v4.14
			 * devm_memremap_pages_release(), 6.1 memunmap_pages()
			 * wait for no page reference)
			 */
			struct shandle *h = g_hash_table_lookup(r->handles, c->name);

			for (unsigned i = 0; h && !h->released && !r->k->pmem.unbinding &&
			     i < h->nr; i++)
				if (pfn_is_pmem(r->k, h->pfns[i]))
					why = "put_page or unpin of a pmem page after unbind: the device's struct pages are gone";
			break;
		}
		default:
			why = "after unbind, anything but an access, flush, munmap, exit, or a put_page or unpin of pages the unbind waited for";
		}
	}
	if (!why)
		return false;
	fail(r, RUN_NOT_MODELLED, 0, "not modelled yet: %s", why);
	return true;
}

/*
 * reclaim [FILE]: the page cache gives back what it can lose without
 * harm: v4.14's drop_caches (echo 1 > /proc/sys/vm/drop_caches,
 * drop_pagecache_sb(): every inode with pages) or, for FILE,
 * POSIX_FADV_DONTNEED over the whole file; both invalidate_mapping_pages():
 * clean, unmapped, unlocked pages nobody else holds. The result is the
 * number of pages dropped.
 */
static void op_reclaim(struct run *r, const struct cmd *c)
{
	unsigned long n = 0;

	begin_step(r);
	if (c->file) {
		struct sfile *f = g_hash_table_lookup(r->files, c->file);

		if (f->inode)
			n = invalidate_mapping_pages(r->k, &f->inode->i_data, 0, ~0UL);
	} else {
		for (guint i = 0; i < r->k->sb.inodes->len; i++) {
			struct inode *inode = g_ptr_array_index(r->k->sb.inodes, i);

			if (inode->i_data.nrpages)
				n += invalidate_mapping_pages(r->k, &inode->i_data, 0, ~0UL);
		}
	}
	set_ret(r, (int64_t)n);
	end_step(r);
}

/*
 * fork PARENT CHILD: the child's mm is the parent's copy (dup_mm()), and
 * each mapping name of the parent names the same range in the child, the
 * ones whose mmap failed included (so that using them says so). The
 * oracle forks its own record of the parent.
 */
static void op_fork(struct run *r, const struct cmd *c)
{
	struct sproc *parent = get_proc(r, c->proc);
	struct sproc *child;
	GList *names, *l;

	if (!parent)
		return;
	child = sproc_new(c->name);
	begin_step(r);
	child->mm = dup_mm(r->k, parent->mm);
	g_hash_table_insert(r->procs, child->name, child);
	g_ptr_array_add(r->proc_list, child);	/* at child->mm->id */
	/* 6.1: the early copy of a pinned page found DRAM full */
	if (check_not_modelled(r))
		return;
	/* by name: a hash table's order is the host's */
	names = g_list_sort(g_hash_table_get_keys(parent->by_name), (GCompareFunc)(void *)strcmp);
	for (l = names; l; l = l->next) {
		const struct smap *pm = g_hash_table_lookup(parent->by_name, l->data);
		struct smap *m = g_memdup2(pm, sizeof(*m));

		m->name = g_strdup(pm->name);
		m->proc = child;
		if (m->created)
			interval_tree_insert(&m->node, &child->maps);
		g_hash_table_insert(child->by_name, m->name, m);
	}
	g_list_free(names);
	oracle_fork(r->o, parent->mm->id, child->mm->id);
	trace(r, "step %lu: fork %s %s: %d VMAs, rss file=%ld anon=%ld\n", r->step,
	      parent->name, child->name, child->mm->map_count,
	      child->mm->rss[MM_FILEPAGES], child->mm->rss[MM_ANONPAGES]);
	end_step(r);
}

static void op_mmap(struct run *r, const struct cmd *c)
{
	struct sproc *p = get_proc(r, c->proc);
	struct sfile *f = g_hash_table_lookup(r->files, c->file);
	struct smap *m;
	unsigned long len = c->has_len ? c->len :
			    round_up((unsigned long)f->inode->i_size, PAGE_SIZE);
	long ret;

	if (!p)
		return;
	m = g_new0(struct smap, 1);
	m->name = g_strdup(c->name);
	m->proc = p;
	m->file = f;
	g_hash_table_insert(p->by_name, m->name, m);
	begin_step(r);
	if (!c->has_len && !len) {
		fail(r, RUN_BAD_INPUT, 0, "mmap of an empty file: say len=");
		return;
	}
	if (!f->file) {		/* closed */
		set_ret(r, -EBADF);
		end_step(r);
		return;
	}
	ret = do_mmap(r->k, p->mm, f->file, c->addr.off, len, c->prot, c->flags, c->off);
	if (check_not_modelled(r))
		return;
	if (r->limit)		/* MAP_POPULATE stopped at a limit: the run ends */
		return;
	if (ret >= 0) {
		/* MAP_SHARED_VALIDATE that succeeded (v4.15 on) is MAP_SHARED */
		bool map_shared = (c->flags & MAP_TYPE) == MAP_SHARED ||
				  (c->flags & MAP_TYPE) == MAP_SHARED_VALIDATE;

		smap_place(m, ret, round_up(len, PAGE_SIZE), r->step);
		m->off = c->off;
		/* MAP_SYNC as a program relies on it: asked with MAP_SHARED_VALIDATE, and accepted */
		m->map_sync = (c->flags & MAP_SYNC) && (c->flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
		m->shared = map_shared && (f->file->f_mode & FMODE_WRITE);
		if (c->nohuge)
			do_madvise(r->k, p->mm, m->start, m->len, MADV_NOHUGEPAGE);
		oracle_mmap(r->o, p->mm->id, m->start, m->len, f->of, c->off, m->shared,
			    !map_shared || (f->file->f_mode & FMODE_WRITE),
			    c->prot, c->flags & MAP_POPULATE);
		if (check_not_modelled(r))
			return;
	}
	set_ret(r, ret < 0 ? ret : 0);
	if (ret >= 0)
		trace(r, "    %s at %#lx\n", c->name, ret);
	end_step(r);
}

/* The [off, off + len) part of a mapping, by default all of it. */
static void map_range(const struct cmd *c, const struct smap *m, unsigned long *start,
		      unsigned long *len)
{
	*start = m->start + (c->has_off ? c->off : 0);
	*len = c->has_len ? c->len : m->len - (c->has_off ? c->off : 0);
}

static void op_mapping(struct run *r, const struct cmd *c)
{
	struct sproc *p = get_proc(r, c->proc);
	struct smap *m = p ? lookup_map(r, p, c->map) : NULL;
	unsigned long start, len;
	int ret = 0;

	if (!m)
		return;
	map_range(c, m, &start, &len);
	begin_step(r);
	switch (c->kind) {
	case CMD_MUNMAP:
		ret = do_munmap(r->k, p->mm, start, len);
		if (!ret)
			oracle_munmap(r->o, p->mm->id, start, round_up(len, PAGE_SIZE));
		break;
	case CMD_MPROTECT:
		ret = do_mprotect(r->k, p->mm, start, len, c->prot);
		/* a partial mprotect stops at a gap (-ENOMEM) or -EACCES */
		if (!ret || ret == -ENOMEM || ret == -EACCES)
			oracle_mprotect(r->o, p->mm->id, start, round_up(len, PAGE_SIZE), c->prot);
		break;
	case CMD_MADVISE:
		ret = do_madvise(r->k, p->mm, start, len, c->advice);
		/* the mapped parts are done even when a gap gives -ENOMEM */
		if ((!ret || ret == -ENOMEM) && c->advice == MADV_DONTNEED)
			oracle_dontneed(r->o, p->mm->id, start, round_up(len, PAGE_SIZE));
		if ((!ret || ret == -ENOMEM || ret == -EACCES) && c->advice == MADV_REMOVE) {
			durable_ranges(r, p, start, round_up(len, PAGE_SIZE), false, false);
			oracle_madvise_remove(r->o, p->mm->id, start, round_up(len, PAGE_SIZE));
		}
		break;
	case CMD_MREMAP: {
		long to = do_mremap(r->k, p->mm, m->start, m->len, c->len, c->flags, c->addr.off);

		ret = to < 0 ? (int)to : 0;
		if (to < 0 && (c->flags & MREMAP_FIXED))
			oracle_mremap_to_failed(r->o, p->mm->id, m->start, m->len, c->addr.off,
						c->len, c->flags & MREMAP_MAYMOVE);
		if (to >= 0) {
			oracle_mremap(r->o, p->mm->id, m->start, m->len, to, round_up(c->len, PAGE_SIZE));
			trace(r, "    %s moves to %#lx, %lu bytes\n", m->name, to,
			      (unsigned long)round_up(c->len, PAGE_SIZE));
			smap_place(m, to, round_up(c->len, PAGE_SIZE), r->step);
		}
		break;
	}
	case CMD_MSYNC: {
		unsigned long since = r->completions;

		ret = do_msync(r->k, p->mm, start, len, c->flags);
		/* a gap gives -ENOMEM, and the mappings around it are synced */
		if ((!ret || ret == -ENOMEM) && (c->flags & MS_SYNC) && !overlapped(r, since) &&
		    start + round_up(len, PAGE_SIZE) > start) {
			checker_after_msync(r->chk, p->mm, start, start + round_up(len, PAGE_SIZE),
					    r->pending);
			/* msync(MS_SYNC): the range's data and the files' metadata promised */
			durable_ranges(r, p, start, round_up(len, PAGE_SIZE), true, true);
		}
		break;
	}
	default:
		break;
	}
	if (check_not_modelled(r))
		return;
	set_ret(r, ret);
	end_step(r);
}

static void op_touch(struct run *r, const struct cmd *c)
{
	struct sproc *p = get_proc(r, c->proc);
	struct smap *m = p ? lookup_map(r, p, c->map) : NULL;

	if (!m)
		return;
	for (uint64_t off = c->off; off < c->off + c->len && !r->stop; off += c->step) {
		do_access(r, p, m->start + off, c->access_size, c->write, c->value);
		if (r->res.sig)
			break;
	}
}

/*
 * flush: clwb each line of the range, a page a step, then sfence. The user
 * loop counts bytes (for (i = 0; i < len; i += 64) clwb(p + i)), so a
 * range that runs past the mapping, however far, faults where it leaves it.
 */
static void op_flush(struct run *r, const struct cmd *c)
{
	struct sproc *p = get_proc(r, c->proc);
	struct smap *m = p ? lookup_map(r, p, c->map) : NULL;
	uint64_t done = 0;

	if (!m)
		return;
	while (done < c->len && !r->stop) {
		unsigned long addr = m->start + c->off + done;
		unsigned long n = PAGE_SIZE - (addr & ~PAGE_MASK);
		struct access_result res;

		if (n > c->len - done)
			n = c->len - done;
		begin_step(r);
		r->last_mm = p->mm;
		r->last_addr = addr;
		res = user_flush(r->k, p->mm, addr, n);
		if (check_not_modelled(r))
			return;
		trace(r, "step %lu: flush %s %#lx+%lu: %s, %d fault(s)\n", r->step, p->name,
		      addr, n, res.sig ? sig_name(res.sig) : "ok", res.nr_faults);
		/* a flush after stores through a MAP_SYNC mapping: the data promised */
		if (!res.sig && m->map_sync && !r->stop)
			durable_ranges(r, p, addr, n, true, false);
		end_step(r);
		r->res = (struct op_result){ .valid = true, .sig = res.sig };
		if (res.sig)
			break;
		done += n;
	}
}

/*
 * The bytes of [addr, addr + len) of @mm as its page tables map them now,
 * without faulting (0 where nothing maps): what the buffer of a read(2)
 * holds after it.
 */
static void peek_user(struct run *r, struct mm_struct *mm, unsigned long addr, uint8_t *buf,
		      size_t len)
{
	for (size_t done = 0; done < len;) {
		unsigned long a = addr + done;
		size_t n = PAGE_SIZE - (a & ~PAGE_MASK);
		bool huge;
		pte_t pte = follow_pte_or_pmd(mm, a & PAGE_MASK, &huge);

		if (n > len - done)
			n = len - done;
		if (!pte_present(pte))
			memset(buf + done, 0, n);
		else if (pfn_is_pmem(r->k, pte_pfn(pte)))
			pmem_read(r->k, pte_pfn(pte), a & ~PAGE_MASK, buf + done, n);
		else
			page_read(pfn_to_page(r->k, pte_pfn(pte)), a & ~PAGE_MASK, buf + done, n);
		done += n;
	}
}

/* The file pages a syscall's buffer lies on: the step's check looks at them. */
static void touch_user(struct run *r, struct mm_struct *mm, unsigned long addr, size_t len)
{
	for (unsigned long a = addr & PAGE_MASK; a < addr + len; a += PAGE_SIZE) {
		struct vm_area_struct *vma = find_vma(mm, a);

		if (vma && vma->vm_start <= a && vma->vm_file)
			checker_touch(r->chk, vma->vm_file->inode, linear_page_index(vma, a));
	}
}

/*
 * What the reference predicts of a write(2) to a DAX file whose copy from
 * user memory stopped at a byte the buffer does not reach (the oracle's
 * own answer: access_ok() passed, and the byte at the count is one a load
 * there would not get), beyond the count it returned, as each era's
 * kernel does it (docs/findings.md §25, §26):
 *
 * - xip-2014, dax-2014, dax-2016: the user copy zeroes the rest of the
 *   kernel destination it was given (copy_user_handle_tail(),
 *   arch/x86/lib/usercopy_64.c: v3.19 and v4.0 L71-87 with
 *   copy_user_64.S's "ecx is zerorest also", v4.5 L71-88 "we always clear
 *   the end"). That destination is one file page under v3.19
 *   (__xip_file_write(), mm/filemap_xip.c L338-361: bytes = the rest of
 *   the page) and under v4.0 (dax_io(), fs/dax.c L101-180, one
 *   brd_direct_access() page a piece); under v4.5 it is the rest of the
 *   extent get_block() mapped (pmem_direct_access() gives all of it), at
 *   least to the end of the page and at most to the end of the write. The
 *   reference does not know extents: a stop whose page ends before the
 *   write does under dax-2016 leaves the file's bytes unknown from there
 *   (oracle_file_forget(): not judged any more).
 * - xip-2014 and dax-2017: a copy that stops at its first byte, at an
 *   offset past EOF, grows i_size to that offset and returns -EFAULT:
 *   v3.19 __xip_file_write() L379-387 ("if (pos > inode->i_size)
 *   i_size_write(inode, pos)" with pos not advanced), v4.14 iomap_apply()
 *   (fs/iomap.c L81-93) calls ext4_iomap_end() with written 0, whose
 *   ext4_update_inode_size(inode, offset + written) (fs/ext4/inode.c
 *   L3540) grows it. 6.1's ext4_handle_inode_extension() (fs/ext4/file.c
 *   L337-338) truncates instead ("if (written < 0) goto truncate"); v4.0
 *   and v4.5 update the size only for a positive count.
 */
static void oracle_short_write(struct run *r, struct sfile *f, const struct cmd *c,
			       unsigned long addr, ssize_t ret)
{
	size_t n = ret > 0 ? (size_t)ret : 0;
	loff_t p = (loff_t)(c->off + n), page_end = (p & ~(loff_t)(PAGE_SIZE - 1)) + PAGE_SIZE;
	loff_t end = (loff_t)(c->off + c->len);

	if (ret == -ENOSPC && r->policy == POLICY_XIP_2014 && f->inode && IS_DAX(f->inode))
		oracle_extend(f->of, (loff_t)c->off);	/* as op_file_syscall()'s write */
	if (!f->inode || !IS_DAX(f->inode) || n >= c->len || (ret < 0 && ret != -EFAULT) ||
	    addr + c->len < addr || addr + c->len > TASK_SIZE ||
	    oracle_user_span(r->o, get_proc(r, c->proc)->mm->id, addr + n, 1, false))
		return;
	if (r->policy == POLICY_XIP_2014 || r->policy == POLICY_DAX_2014 ||
	    r->policy == POLICY_DAX_2016) {
		oracle_zero(f->of, p, (end < page_end ? end : page_end) - p);
		if (r->policy == POLICY_DAX_2016 && end > page_end)
			oracle_file_forget(f->of);
	}
	if ((r->policy == POLICY_XIP_2014 || r->policy == POLICY_DAX_2017) && ret == -EFAULT)
		oracle_extend(f->of, (loff_t)c->off);
}

/*
 * read F OFF LEN into PROC ADDR, write F OFF LEN from PROC ADDR [direct]:
 * read(2)/write(2) whose buffer is user memory (docs/scenario-language.md).
 * The reference copies the bytes itself (oracle_copy_user()): a read
 * moves what the file holds into the buffer as far as the buffer takes
 * stores, a write moves what the process sees into the file, for the
 * count returned. The count may not pass what the reference says the
 * file and the buffer allow (eras count a short copy differently:
 * docs/eras/); after a read the buffer must hold what the reference
 * says (data-oracle). Out of space in a fault of the copy, nothing is
 * judged and the count is taken.
 */
static void durable_ranges(struct run *r, struct sproc *p, unsigned long start,
			   unsigned long len, bool sync, bool size);

/*
 * durable-after-sync: what a read into a buffer or a write from one may
 * have changed is no longer the synced bytes: the file a write extends
 * (all of [off, off + len): an era's copy may zero past its count), the
 * files a read's buffer maps shared.
 */
static void durable_after_rw_user(struct run *r, const struct cmd *c, struct sfile *f,
				  struct sproc *p, unsigned long addr, loff_t old_size)
{
	unsigned long len = c->len;

	if (c->kind == CMD_WRITE) {
		durable_resized(f->df, old_size, oracle_file_size(f->of));
		if (oracle_file_unknown(f->of))
			durable_forget(f->df);
		durable_changed(f->df, (loff_t)c->off, (loff_t)c->len);
		return;
	}
	if (addr >= TASK_SIZE)
		return;
	if (len > TASK_SIZE - addr)
		len = TASK_SIZE - addr;
	durable_ranges(r, p, addr, len, false, false);
}

static void op_rw_user(struct run *r, const struct cmd *c)
{
	struct sfile *f = g_hash_table_lookup(r->files, c->file);
	struct sproc *p = get_proc(r, c->proc);
	bool write = c->kind == CMD_WRITE;
	loff_t old_size = oracle_file_size(f->of);
	unsigned long addr, since = r->completions;
	size_t avail, span, n;
	ssize_t ret;
	char key[32];

	if (!p || !resolve_addr(r, p, &c->addr, &addr))
		return;
	r->inner += c->len >> PAGE_SHIFT;	/* a step per page, for the limit */
	begin_step(r);
	r->last_mm = p->mm;
	r->last_addr = addr;
	if (!f->file) {
		set_ret(r, -EBADF);
		end_step(r);
		return;
	}
	r->k->fault_error = 0;
	if (write)
		ret = vfs_write_iter(r->k, f->file, c->off, &(struct iov_iter){
			.count = c->len, .mm = p->mm, .addr = addr, .direct = c->direct });
	else
		ret = vfs_read_iter(r->k, f->file, c->off, &(struct iov_iter){
			.count = c->len, .mm = p->mm, .addr = addr, .direct = c->direct });
	if (check_not_modelled(r))
		return;
	touch_user(r, p->mm, addr, c->len);
	snprintf(key, sizeof(key), "R%lu", r->step);
	/* what the reference allows: the file's bytes (a read) and the buffer's reach */
	avail = write ? c->len : c->off < (uint64_t)oracle_file_size(f->of) ?
		MIN(c->len, (uint64_t)oracle_file_size(f->of) - c->off) : 0;
	span = addr + avail < addr || addr + avail > TASK_SIZE ? 0 :
	       oracle_user_span(r->o, p->mm->id, addr, avail, !write);
	n = ret > 0 ? (size_t)ret : 0;
	/*
	 * An O_DIRECT write to a page-cache file past its checks dropped the
	 * range's pages from the cache first, pinned ones too
	 * (ext4_direct_IO_pagecache(), generic_file_direct_write() v4.14
	 * mm/filemap.c L2950-3010): before the bytes it moves
	 */
	if (write && c->direct && f->inode && !IS_DAX(f->inode) && ret != -EINVAL && ret != -EFBIG &&
	    ret != -EBADF)
		oracle_invalidate(f->of, (loff_t)c->off, c->len);
	/*
	 * A write moves the count it returned, as far as the source lets it:
	 * a buffer on the file it extends is readable as it grows.
	 */
	if (write && n && span < n)
		span = oracle_copy_user(r->o, f->of, c->off, p->mm->id, addr, n, false);
	else if (write && n)
		oracle_copy_user(r->o, f->of, c->off, p->mm->id, addr, n, false);
	if (write)
		oracle_short_write(r, f, c, addr, ret);
	if (r->k->fault_error == -ENOSPC || overlapped(r, since) || oracle_file_unknown(f->of)) {
		span = n;	/* not judged */
	} else if (ret >= 0 && n > span) {
		checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, f->inode,
			       c->off >> PAGE_SHIFT, NULL, 0,
			       "%s of file %s %s process %s's buffer returned %zd bytes; the reference allows %zu",
			       write ? "write" : "read", f->name, write ? "from" : "into", p->name,
			       ret, span);
		span = n;
	}
	/*
	 * The reference's copy: a write, what the call counts; a read, all
	 * the buffer takes (a short count may leave bytes copied past it).
	 */
	if (!write && (ret >= 0 || ret == -EFAULT)) {
		/* a poisoned page: the copy stopped at it, after the count */
		if (span > n && poisoned_range(r, f, c->off, c->len))
			span = n;
		oracle_copy_user(r->o, f->of, c->off, p->mm->id, addr, span, true);
	}
	set_ret(r, ret);
	if (!write && n) {
		uint8_t *got = g_malloc(n), *want = g_malloc(n);

		peek_user(r, p->mm, addr, got, n);
		oracle_peek(r->o, p->mm->id, addr, want, n);
		if (!overlapped(r, since) && !oracle_file_unknown(f->of) && memcmp(got, want, n)) {
			size_t i = 0;

			while (got[i] == want[i])
				i++;
			checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, NULL, 0, p->mm,
				       addr + i,
				       "read of file %s into process %s's buffer: byte %zu is %#x, the reference says %#x",
				       f->name, p->name, i, got[i], want[i]);
		}
		r->res.read_uniform = true;
		r->res.uniform_byte = got[0];
		for (size_t i = 1; i < n; i++)
			if (got[i] != got[0])
				r->res.read_uniform = false;
		g_free(got);
		g_free(want);
	}
	if (!write)
		r->res.read_len = c->len;
	durable_after_rw_user(r, c, f, p, addr, old_size);
	end_step(r);
}

static void op_read(struct run *r, const struct cmd *c)
{
	struct sfile *f = g_hash_table_lookup(r->files, c->file);
	uint8_t *buf = g_malloc0(c->len ? c->len : 1), *want = g_malloc0(c->len ? c->len : 1);
	ssize_t ret;
	size_t n;
	char key[32];

	if (c->proc) {		/* into PROC ADDR */
		g_free(buf);
		g_free(want);
		op_rw_user(r, c);
		return;
	}
	r->inner += c->len >> PAGE_SHIFT;	/* a step per page, for the limit */
	begin_step(r);
	if (!f->file) {		/* closed */
		set_ret(r, -EBADF);
		end_step(r);
		goto out;
	}
	ret = vfs_read(r->k, f->file, c->off, buf, c->len);
	if (check_not_modelled(r))
		goto out;
	n = oracle_read(f->of, c->off, want, c->len);
	if (oracle_file_unknown(f->of) && ret >= 0 && (size_t)ret == n)
		memcpy(want, buf, n);	/* not judged: oracle_file_forget() */
	snprintf(key, sizeof(key), "R%lu", r->step);
	/* a poisoned page ends a read short (docs/eras/): the bytes before it are judged */
	if (ret >= 0 && (size_t)ret < n && poisoned_range(r, f, c->off, c->len))
		n = (size_t)ret;
	if (ret >= 0 && (size_t)ret != n)
		checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, f->inode,
			       c->off >> PAGE_SHIFT, NULL, 0,
			       "read of file %s at %#" PRIx64 " returned %zd bytes, the reference says %zu",
			       f->name, c->off, ret, n);
	else if (ret > 0 && memcmp(buf, want, ret)) {
		size_t i = 0;

		while (buf[i] == want[i])
			i++;
		checker_report(r->chk, r->pending, INV_DATA_ORACLE, key, f->inode,
			       (c->off + i) >> PAGE_SHIFT, NULL, 0,
			       "read of file %s: byte at %#" PRIx64 " is %#x, the reference says %#x",
			       f->name, c->off + i, buf[i], want[i]);
	}
	set_ret(r, ret);
	end_step(r);
	r->res.read_len = c->len;
	r->res.read_uniform = ret > 0;
	r->res.uniform_byte = buf[0];
	for (ssize_t i = 1; i < ret; i++)
		if (buf[i] != buf[0])
			r->res.read_uniform = false;
out:
	g_free(buf);
	g_free(want);
}

static void durable_after_syscall(struct run *r, const struct cmd *c, struct sfile *f,
				  loff_t old_size, int64_t ret);

/*
 * A punch or zero range that a partial block's zeroing failed with -EIO
 * (poison: ext4_zero_partial_blocks(), model/ext4.c): what it did before.
 * A zero range has set the size and made the blocks inside the range
 * unwritten before (ext4_zero_range(): v4.14 fs/ext4/extents.c L4901, 6.1
 * L4654, zero the partial blocks last); a
 * punch has freed nothing. The partial block at the start is zeroed
 * before the one at the end: with both, on two pages, the start may have
 * been zeroed and the end not, which the reference cannot tell: the
 * file's contents are not judged any more.
 */
static void oracle_partial_zero_failed(struct run *r, struct sfile *f, const struct cmd *c)
{
	uint64_t start = (c->off + PAGE_SIZE - 1) & PAGE_MASK, end = (c->off + c->len) & PAGE_MASK;

	if (c->kind == CMD_ZERO) {
		if (!c->keep_size)
			oracle_extend(f->of, (loff_t)(c->off + c->len));
		if (start < end)
			oracle_zero(f->of, (loff_t)start, (loff_t)(end - start));
	}
	if ((c->off & (PAGE_SIZE - 1)) && ((c->off + c->len) & (PAGE_SIZE - 1)) &&
	    c->off >> PAGE_SHIFT != (c->off + c->len - 1) >> PAGE_SHIFT &&
	    !oracle_file_unknown(f->of)) {
		oracle_file_forget(f->of);
		trace(r, "    file %s: a partial block's zeroing failed after the other's may have run: its contents are no longer judged\n",
		      f->name);
	}
}

static void op_file_syscall(struct run *r, const struct cmd *c)
{
	struct sfile *f = g_hash_table_lookup(r->files, c->file);
	int64_t ret = 0;
	loff_t old_size = oracle_file_size(f->of);

	if (c->kind == CMD_WRITE && c->proc) {		/* from PROC ADDR */
		op_rw_user(r, c);
		return;
	}
	if (c->kind == CMD_WRITE)	/* a step per page, for the limit */
		r->inner += c->len >> PAGE_SHIFT;
	begin_step(r);
	if (!f->file) {		/* closed: the descriptor is gone */
		set_ret(r, -EBADF);
		end_step(r);
		return;
	}
	switch (c->kind) {
	case CMD_CLOSE:
		file_close(r->k, f->file);	/* the mappings keep their references */
		f->file = NULL;
		break;
	case CMD_WRITE: {
		uint8_t *buf = g_malloc(c->len ? c->len : 1);

		memset(buf, (int)c->value, c->len);
		ret = vfs_write(r->k, f->file, c->off, buf, c->len);
		if (ret > 0)
			oracle_write(f->of, c->off, buf, ret);
		/*
		 * v3.19 __xip_file_write() (mm/filemap_xip.c L344-358, L384-387):
		 * get_xip_mem() failing at the first page (-ENOSPC) leaves pos at
		 * the offset, and "if (pos > inode->i_size)" grows the file to it
		 * (docs/findings.md §25)
		 */
		if (ret == -ENOSPC && r->policy == POLICY_XIP_2014 && f->inode && IS_DAX(f->inode))
			oracle_extend(f->of, (loff_t)c->off);
		g_free(buf);
		break;
	}
	case CMD_TRUNCATE:
		ret = vfs_truncate(r->k, f->file, c->size);
		if (!ret)
			oracle_truncate(r->o, f->of, c->size);
		break;
	case CMD_PUNCH:
		ret = vfs_fallocate(r->k, f->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				    c->off, c->len);
		if (!ret)
			oracle_punch(f->of, c->off, c->len);
		else if (ret == -EIO)
			oracle_partial_zero_failed(r, f, c);
		break;
	case CMD_ZERO:
		ret = vfs_fallocate(r->k, f->file, FALLOC_FL_ZERO_RANGE |
				    (c->keep_size ? FALLOC_FL_KEEP_SIZE : 0), c->off, c->len);
		if (!ret) {
			if (!c->keep_size)
				oracle_extend(f->of, c->off + c->len);
			oracle_zero_range(f->of, c->off, c->len);
		} else if (ret == -ENOSPC && !oracle_file_unknown(f->of)) {
			oracle_file_forget(f->of);
			trace(r, "    file %s: a zero range that failed part-way: its contents are no longer judged\n",
			      f->name);
		} else if (ret == -EIO) {
			oracle_partial_zero_failed(r, f, c);
		}
		break;
	case CMD_FALLOCATE:
		ret = vfs_fallocate(r->k, f->file, c->keep_size ? FALLOC_FL_KEEP_SIZE : 0,
				    c->off, c->len);
		if (!ret && !c->keep_size)
			oracle_extend(f->of, c->off + c->len);
		break;
	case CMD_COLLAPSE:
		ret = vfs_fallocate(r->k, f->file, FALLOC_FL_COLLAPSE_RANGE, c->off, c->len);
		if (!ret)
			oracle_collapse(r->o, f->of, c->off, c->len);
		break;
	case CMD_INSERT:
		ret = vfs_fallocate(r->k, f->file, FALLOC_FL_INSERT_RANGE, c->off, c->len);
		/*
		 * -EINVAL for arguments vfs_fallocate() and
		 * ext4_insert_range() take (a length, block aligned, inside
		 * EOF) is v4.14's and 6.1's shift past EXT_MAX_BLOCKS, after
		 * i_size grew.
		 */
		if (!ret || (ret == -EINVAL && c->len && !((c->off | c->len) & (PAGE_SIZE - 1)) &&
			     (loff_t)c->off < oracle_file_size(f->of)))
			oracle_insert(r->o, f->of, c->off, c->len, !ret);
		break;
	case CMD_FSYNC: {
		unsigned long since = r->completions;

		ret = vfs_fsync_range(r->k, f->file, 0, INT64_MAX, 0);
		if (!ret && !overlapped(r, since)) {
			checker_after_sync(r->chk, f->inode, 0, INT64_MAX, r->pending);
			durable_sync(f->df, f->of, 0, -1, true);
		}
		break;
	}
	default:
		break;
	}
	if (check_not_modelled(r))
		return;
	durable_after_syscall(r, c, f, old_size, ret);
	set_ret(r, ret);
	end_step(r);
}

/* What a file system call changed, for the durable-after-sync record. */
static void durable_after_syscall(struct run *r, const struct cmd *c, struct sfile *f,
				  loff_t old_size, int64_t ret)
{
	(void)r;
	durable_resized(f->df, old_size, oracle_file_size(f->of));
	if (oracle_file_unknown(f->of))
		durable_forget(f->df);
	switch (c->kind) {
	case CMD_WRITE:
		if (ret > 0)
			durable_changed(f->df, (loff_t)c->off, ret);
		break;
	case CMD_PUNCH:
	case CMD_ZERO:
		if (!ret || ret == -EIO)	/* -EIO: oracle_partial_zero_failed() */
			durable_changed(f->df, (loff_t)c->off, (loff_t)c->len);
		break;
	case CMD_COLLAPSE:
	case CMD_INSERT:
		/* what moved: everything from the offset on */
		if (old_size != oracle_file_size(f->of))
			durable_changed(f->df, (loff_t)c->off, -1);
		break;
	default:
		break;
	}
}

/* ---- sync, crash and remount (docs/scenario-language.md, "Crash and remount") ---- */

static struct sfile *sfile_of(struct run *r, const struct oracle_file *of)
{
	for (guint i = 0; i < r->file_list->len; i++) {
		struct sfile *f = g_ptr_array_index(r->file_list, i);

		if (f->of == of)
			return f;
	}
	return NULL;
}

/* The shared-mapping file ranges of [start, start + len) of @p: promised, or changed. */
static void durable_ranges(struct run *r, struct sproc *p, unsigned long start,
			   unsigned long len, bool sync, bool size)
{
	GArray *rg = g_array_new(FALSE, FALSE, sizeof(struct oracle_range));

	oracle_shared_ranges(r->o, p->mm->id, start, len, rg);
	for (guint i = 0; i < rg->len; i++) {
		const struct oracle_range *x = &g_array_index(rg, struct oracle_range, i);
		struct sfile *f = sfile_of(r, x->file);

		if (!f)
			continue;
		if (sync)
			durable_sync(f->df, f->of, x->off, x->len, size);
		else
			durable_changed(f->df, x->off, x->len);
	}
	g_array_free(rg, TRUE);
}

/* sync(2), syncfs(2): every file's data and metadata promised */
static void op_sync(struct run *r, const struct cmd *c)
{
	int ret;

	begin_step(r);
	if (c->kind == CMD_SYNCFS) {
		struct sfile *f = g_hash_table_lookup(r->files, c->file);

		if (!f->file) {		/* closed */
			set_ret(r, -EBADF);
			end_step(r);
			return;
		}
	}
	ret = ksys_sync(r->k);
	if (check_not_modelled(r))
		return;
	for (guint i = 0; !ret && i < r->file_list->len; i++) {
		struct sfile *f = g_ptr_array_index(r->file_list, i);

		durable_sync(f->df, f->of, 0, -1, true);
	}
	set_ret(r, ret);
	end_step(r);
}

/* Whether the step just done changed durable data or metadata: a crash point. */
static bool step_changes_durable(struct run *r)
{
	const struct cmd *c = r->op;

	if (!r->k || !c)
		return false;
	if (r->k->sb.nr_free != r->step_nr_free || r->k->sb.j_commit_sequence != r->step_commit)
		return true;
	switch (c->kind) {
	case CMD_FILE: case CMD_STORE: case CMD_WRITE: case CMD_TRUNCATE: case CMD_PUNCH:
	case CMD_ZERO: case CMD_FALLOCATE: case CMD_COLLAPSE: case CMD_INSERT:
	case CMD_MSYNC: case CMD_FSYNC: case CMD_FLUSH: case CMD_SYNC: case CMD_SYNCFS:
		return true;
	case CMD_TOUCH:
	case CMD_DMA:
		return c->write;
	case CMD_MADVISE:
		return c->advice == MADV_REMOVE;
	default:
		return false;
	}
}

/* After each step's checks: a crash point to record, or the one to crash at. */
static void crash_step_done(struct run *r)
{
	if (r->in_flight || r->nr_threads || r->crashed || r->stop)
		return;
	/* with threads, the crash points are the setup's, before the first block */
	if (r->opts->crash_points && !r->block_started && step_changes_durable(r))
		g_array_append_val(r->opts->crash_points, r->step);
	if (r->opts->crash_at && r->step == r->opts->crash_at) {
		r->crash_now = true;
		r->stop = true;		/* the loops inside the operation stop here */
	}
}

/*
 * The power fails: every process dies (the oracle forgets its mappings and
 * private copies), every descriptor is gone, and the model loses DRAM, the
 * CPU cache's dirty lines and the journal's running transaction.
 */
static bool crash_machine(struct run *r, uint64_t seed)
{
	unsigned long lost;

	/* the pins go with the processes and the drivers that held them */
	release_handles(r);
	for (guint i = 0; i < r->proc_list->len; i++) {
		struct sproc *p = g_ptr_array_index(r->proc_list, i);

		if (!p->mm)
			continue;
		oracle_exit(r->o, p->mm->id);
		p->mm = NULL;		/* kernel_crash() destroys it */
	}
	for (guint i = 0; i < r->file_list->len; i++) {
		struct sfile *f = g_ptr_array_index(r->file_list, i);

		if (f->file)
			file_close(r->k, f->file);
		f->file = NULL;
	}
	lost = kernel_crash(r->k, seed);
	if (check_not_modelled(r))
		return false;
	r->crashed = true;
	trace(r, "step %lu: crash: every process gone, %lu dirty cache line(s) lost\n", r->step,
	      lost);
	return true;
}

/* What read(2) of page @index of a file gives after the mount: its block, or zeroes. */
struct model_read {
	struct run *r;
	struct sfile *f;
};

static void model_page(void *ctx, pgoff_t index, uint8_t *buf)
{
	struct model_read *m = ctx;
	unsigned long blk;

	if (ext4_block_lookup(m->f->inode, index, &blk) == BLOCK_MAPPED)
		pmem_read(m->r->k, block_pfn(blk), 0, buf, PAGE_SIZE);
	else
		memset(buf, 0, PAGE_SIZE);
}

static bool model_next(void *ctx, pgoff_t *index)
{
	return ext4_next_block(((struct model_read *)ctx)->f->inode, index);
}

/*
 * The mount after a crash: each file's descriptor is opened again (the
 * program starts again), each file is checked against what was promised
 * (durable-after-sync), then the reference takes what survived as the
 * files' contents (beyond the promises a crash may leave either the old
 * or the new: the model's recovered state is the one the run goes on
 * with), and all of it is durable now. Then every invariant, in full.
 */
static void remount_machine(struct run *r)
{
	for (guint i = 0; i < r->file_list->len; i++) {
		struct sfile *f = g_ptr_array_index(r->file_list, i);
		struct model_read m = { r, f };
		loff_t size = f->inode->i_size;
		pgoff_t index = 0, end = DIV_ROUND_UP((unsigned long)size, PAGE_SIZE);
		char *why, key[48];

		f->file = file_open(r->k, f->inode, f->f_mode);
		why = durable_check(f->df, size, model_page, model_next, &m);
		if (why) {
			snprintf(key, sizeof(key), "D%lu-%u", r->step, i);
			checker_report(r->chk, r->pending, INV_DURABLE_AFTER_SYNC, key, f->inode, 0,
				       NULL, 0, "file %s: %s", f->name, why);
			g_free(why);
		}
		oracle_file_reset(r->o, f->of, size);
		while (index < end && ext4_next_block(f->inode, &index) && index < end) {
			uint8_t buf[PAGE_SIZE];

			model_page(&m, index, buf);
			if (!mem_is_uniform(buf, PAGE_SIZE) || buf[0])
				oracle_file_set_page(f->of, index, buf);
			r->inner++;
			index++;
		}
		durable_reset(f->df, f->of);
		f->last_mtime = f->inode->i_mtime;
	}
	r->crashed = false;
	trace(r, "step %lu: remount: every file opened again\n", r->step);
	checker_full(r->chk, r->pending);
	check_nothing_locked(r);
}

static void op_crash(struct run *r, const struct cmd *c)
{
	begin_step(r);
	if (r->crashed) {
		fail(r, RUN_BAD_INPUT, 0, "crash: the machine is down already: remount first");
		return;
	}
	if (!crash_machine(r, c->has_value ? c->value : 0))
		return;
	end_step(r);
}

static void op_remount(struct run *r)
{
	begin_step(r);
	if (!r->crashed) {
		fail(r, RUN_BAD_INPUT, 0, "remount: there was no crash before it");
		return;
	}
	remount_machine(r);
	set_ret(r, 0);
	end_step(r);
}

/* The crash-violated lines that hold in this run: a crash's violations they name are expected. */
static bool crash_expected(struct run *r, enum invariant inv)
{
	for (guint i = 0; i < r->s->cmds->len; i++) {
		const struct cmd *c = g_ptr_array_index(r->s->cmds, i);

		if (c->kind != CMD_EXPECT || c->expect != EXP_CRASH_VIOLATED || !cond_holds(r, c))
			continue;
		for (guint j = 0; j < c->invariants->len; j++)
			if (g_array_index(c->invariants, int, j) == (int)inv)
				return true;
	}
	return false;
}

/*
 * --crash-at: the step has come. What the scenario would have checked
 * after it is not judged; the crash, the mount and the checks after it
 * are: held, expected (a crash-violated line names each violation) or
 * failed.
 */
static void crash_point(struct run *r)
{
	int outcome = CRASH_HELD;

	r->stop = false;
	g_ptr_array_set_size(r->pending, 0);
	g_array_set_size(r->pending_expected, 0);
	r->res.valid = false;
	if (!crash_machine(r, r->opts->crash_seed)) {
		outcome = CRASH_NOT_MODELLED;
		goto out;
	}
	remount_machine(r);
	for (guint i = 0; i < r->pending->len; i++) {
		struct violation *v = g_ptr_array_index(r->pending, i);

		if (crash_expected(r, v->inv)) {
			trace(r, "    ! %s (expected after a crash: crash-violated): %s\n",
			      invariant_names[v->inv], v->what);
			if (outcome == CRASH_HELD)
				outcome = CRASH_EXPECTED;
			continue;
		}
		if (outcome != CRASH_FAILED) {
			struct dump_ctx d = dump_ctx(r);

			fail(r, RUN_FAIL, 0, "after a crash at step %lu and the remount: invariant %s violated: %s",
			     r->step, invariant_names[v->inv], v->what);
			dump_violation(&d, v, r->out);
		}
		outcome = CRASH_FAILED;
	}
	g_ptr_array_set_size(r->pending, 0);
out:
	if (r->opts->crash_outcome)
		*r->opts->crash_outcome = outcome;
	r->done = true;
}

/* ---- expectations ---- */

static struct attr *attrs(const struct cmd *c, guint i)
{
	return &g_array_index(c->attrs, struct attr, i);
}

static void expect_pte(struct run *r, const struct cmd *c)
{
	struct sproc *p = get_proc(r, c->proc);
	unsigned long addr;
	bool huge;
	pte_t pte;
	struct dump_ctx d = dump_ctx(r);

	if (!p || !resolve_addr(r, p, &c->addr, &addr))
		return;
	/* a huge pmd reads as the PTE it amounts to at addr */
	pte = follow_pte_or_pmd(p->mm, addr & PAGE_MASK, &huge);
	for (guint i = 0; i < c->attrs->len; i++) {
		struct attr *a = attrs(c, i);
		const char *w = a->key;
		bool ok;
		unsigned long pfn = pte_pfn(pte);

		if (a->val)	/* block=N */
			ok = pte_present(pte) && pfn_is_pmem(r->k, pfn) &&
			     pfn - PMEM_BASE_PFN == a->num;
		else if (!strcmp(w, "none"))
			ok = !pte_present(pte);
		else if (!strcmp(w, "present"))
			ok = pte_present(pte);
		else if (!pte_present(pte))
			ok = false;
		else if (!strcmp(w, "write"))
			ok = pte_write(pte);
		else if (!strcmp(w, "ro"))
			ok = !pte_write(pte);
		else if (!strcmp(w, "dirty"))
			ok = pte_dirty(pte);
		else if (!strcmp(w, "clean"))
			ok = !pte_dirty(pte);
		else if (!strcmp(w, "young"))
			ok = pte_young(pte);
		else if (!strcmp(w, "old"))
			ok = !pte_young(pte);
		else if (!strcmp(w, "zero"))	/* the zero page of the mapping's size */
			ok = huge ? is_huge_zero_pfn(r->k, pfn) : is_zero_pfn(r->k, pfn);
		else if (!strcmp(w, "pmd"))
			ok = huge;
		else if (!strcmp(w, "pte"))
			ok = !huge;
		else if (!strcmp(w, "special"))
			ok = pte_special(pte);
		else if (!strcmp(w, "page"))	/* a page-cache page (v4.0's hole page) */
			ok = pfn_is_dram(r->k, pfn) && !is_zero_pfn(r->k, pfn) &&
			     pfn_to_page(r->k, pfn) && !(pfn_to_page(r->k, pfn)->flags & PG_anon);
		else	/* anon */
			ok = pfn_is_dram(r->k, pfn) && !is_zero_pfn(r->k, pfn) &&
			     pfn_to_page(r->k, pfn) && (pfn_to_page(r->k, pfn)->flags & PG_anon);
		if (!ok) {
			char desc[128];

			dump_pte_desc(&d, pte, desc, sizeof(desc));
			fail(r, RUN_FAIL, a->col, "expected the PTE to be %s%s%s; it is %s",
			     a->key, a->val ? "=" : "", a->val ? a->val : "", desc);
			dump_mm_around(&d, p->mm, addr, r->out);
			return;
		}
	}
}

static void expect_entry(struct run *r, const struct cmd *c)
{
	struct sfile *f = g_hash_table_lookup(r->files, c->file);
	struct radix_tree_root *tree = &f->inode->i_data.page_tree;
	void *entry = radix_tree_lookup(tree, c->index);
	/* a DAX entry; else a page-cache page (v4.0's hole page) or nothing */
	bool dax = entry && radix_tree_exceptional_entry(entry);
	struct dump_ctx d = dump_ctx(r);

	for (guint i = 0; i < c->attrs->len; i++) {
		struct attr *a = attrs(c, i);
		const char *w = a->key;
		bool ok;

		if (a->val)	/* v4.5: the entry in INDEX's slot holds INDEX's sector */
			ok = dax && dax_is_block_entry(entry) &&
			     (r->policy == POLICY_DAX_2016 ? dax_entry_block(entry) :
			      dax_entry_block_at(entry, c->index)) == a->num;
		else if (!strcmp(w, "none"))
			ok = !entry;
		else if (!entry)
			ok = false;
		else if (!strcmp(w, "page"))
			ok = !dax;
		else if (!strcmp(w, "dirty"))
			ok = radix_tree_tag_get(tree, c->index, PAGECACHE_TAG_DIRTY);
		else if (!strcmp(w, "clean"))
			ok = !radix_tree_tag_get(tree, c->index, PAGECACHE_TAG_DIRTY);
		else if (!dax)		/* the DAX entry states below */
			ok = false;
		else if (!strcmp(w, "pmd"))
			ok = dax_is_pmd_entry(entry);
		else if (!strcmp(w, "pte"))
			ok = !dax_is_pmd_entry(entry);
		else if (!strcmp(w, "empty"))
			ok = dax_is_empty_entry(entry);
		else if (!strcmp(w, "zero"))
			ok = dax_is_zero_entry(entry);
		else if (!strcmp(w, "dirty"))
			ok = radix_tree_tag_get(tree, c->index, PAGECACHE_TAG_DIRTY);
		else if (!strcmp(w, "clean"))
			ok = !radix_tree_tag_get(tree, c->index, PAGECACHE_TAG_DIRTY);
		else if (!strcmp(w, "towrite"))
			ok = radix_tree_tag_get(tree, c->index, PAGECACHE_TAG_TOWRITE);
		else if (!strcmp(w, "!towrite"))
			ok = !radix_tree_tag_get(tree, c->index, PAGECACHE_TAG_TOWRITE);
		else if (!strcmp(w, "locked"))
			ok = dax_is_locked(entry);
		else	/* unlocked */
			ok = !dax_is_locked(entry);
		if (!ok) {
			fail(r, RUN_FAIL, a->col, "expected file %s index %" PRIu64 " to be %s%s%s",
			     c->file, c->index, w, a->val ? "=" : "", a->val ? a->val : "");
			dump_file_around(&d, f->inode, c->index, r->out);
			return;
		}
	}
}

/* A block number past the device is a mistake in the scenario. */
static bool block_exists(struct run *r, const struct cmd *c)
{
	if (c->block < r->k->sb.nr_blocks)
		return true;
	fail(r, RUN_BAD_INPUT, 0, "block %" PRIu64 " is not on the device: it has %lu blocks (0 to %lu)",
	     c->block, r->k->sb.nr_blocks, r->k->sb.nr_blocks - 1);
	return false;
}

static void expect_block(struct run *r, const struct cmd *c)
{
	struct kernel *k = r->k;
	struct sfile *f = c->file ? g_hash_table_lookup(r->files, c->file) : NULL;
	unsigned long block = 0;
	struct inode *owner;
	pgoff_t index;
	struct dump_ctx d = dump_ctx(r);

	switch (c->expect) {
	case EXP_BLOCK: {
		enum block_state st = ext4_block_lookup(f->inode, c->index, &block);
		bool ok = !strcmp(c->name, "hole") ? st == BLOCK_HOLE :
			  !strcmp(c->name, "unwritten") ? st == BLOCK_UNWRITTEN :
			  !strcmp(c->name, "mapped") ? st == BLOCK_MAPPED :
			  st == BLOCK_MAPPED && block == c->block;

		for (guint i = 0; ok && c->attrs && i < c->attrs->len; i++) {
			struct attr *a = attrs(c, i);
			bool durable = st != BLOCK_HOLE && pmem_page_durable(k, block_pfn(block));

			if (st == BLOCK_HOLE || durable != (a->key[0] == 'd')) {
				fail(r, RUN_FAIL, a->col, "expected file %s index %" PRIu64 " to be %s; its lines are %s",
				     c->file, c->index, a->key,
				     st == BLOCK_HOLE ? "a hole" : durable ? "durable" :
				     "not all durable");
				dump_file_around(&d, f->inode, c->index, r->out);
				return;
			}
		}
		if (!ok) {
			fail(r, RUN_FAIL, 0, "expected file %s index %" PRIu64 " to be %s",
			     c->file, c->index, c->name);
			dump_file_around(&d, f->inode, c->index, r->out);
		}
		return;
	}
	case EXP_BLOCK_FREE:
		if (!block_exists(r, c))
			return;
		if (ext4_block_owner(k, c->block, &owner, &index))
			fail(r, RUN_FAIL, 0, "expected block %" PRIu64 " to be free; file %s index %lu owns it",
			     c->block, name_file(r, owner), index);
		return;
	default:
		if (!block_exists(r, c))
			return;
		if (!ext4_block_owner(k, c->block, &owner, &index))
			fail(r, RUN_FAIL, 0, "expected block %" PRIu64 " to be owned by file %s index %" PRIu64 "; it is free",
			     c->block, c->file, c->index);
		else if (owner != f->inode || index != c->index)
			fail(r, RUN_FAIL, 0, "expected block %" PRIu64 " to be owned by file %s index %" PRIu64 "; file %s index %lu owns it",
			     c->block, c->file, c->index, name_file(r, owner), index);
	}
}

/* Compare one numeric attribute; sizes in kB where @kb. */
static bool expect_num(struct run *r, const struct attr *a, uint64_t got, bool kb)
{
	uint64_t want = kb ? a->num / 1024 : a->num;

	if (kb && a->num % 1024) {
		fail(r, RUN_BAD_INPUT, a->col, "%s=%s: give a size in whole kB (4K, 0, 1048576kB)",
		     a->key, a->val);
		return false;
	}

	if (got == want)
		return true;
	fail(r, RUN_FAIL, a->col, "expected %s=%s, got %" PRIu64 "%s", a->key, a->val,
	     got, kb ? " kB" : "");
	return false;
}

/* What a failed count expectation was about, as the kernel would show it. */
static void dump_counts(struct run *r, const struct cmd *c, struct sproc *p, struct sfile *f)
{
	struct dump_ctx d = dump_ctx(r);
	struct smap *m;

	switch (c->expect) {
	case EXP_SMAPS:
		m = g_hash_table_lookup(p->by_name, c->map);
		g_string_append_printf(r->out, "  /proc/PID/smaps of process %s, mapping %s as it is now:\n",
				       p->name, m->name);
		show_smaps(&d, p->mm, m->start, m->start + m->len, r->out);
		break;
	case EXP_RSS:
		g_string_append_printf(r->out, "  /proc/PID/status of process %s:\n", p->name);
		show_status(p->mm, r->out);
		show_maps(&d, p->mm, r->out);
		break;
	case EXP_STAT:
		dump_file_around(&d, f->inode, 0, r->out);
		break;
	default:
		break;
	}
}

static void expect_counts(struct run *r, const struct cmd *c)
{
	struct sproc *p = c->proc ? get_proc(r, c->proc) : NULL;
	struct sfile *f = c->file ? g_hash_table_lookup(r->files, c->file) : NULL;
	struct smaps sm;

	if (c->proc && !p)
		return;
	if (c->expect == EXP_SMAPS) {
		struct smap *m = lookup_map(r, p, c->map);

		if (!m)
			return;
		smaps_walk(r->k, p->mm, m->start, m->start + m->len, &sm);
	}
	for (guint i = 0; i < c->attrs->len && !r->stop; i++) {
		struct attr *a = attrs(c, i);

		/* Sizes are given as sizes (4K, 0kB): compared in kB. */
		switch (c->expect) {
		case EXP_RSS:
			expect_num(r, a, p->mm->rss[a->key[0] == 'f' ? MM_FILEPAGES : MM_ANONPAGES] * 4,
				   true);
			break;
		case EXP_FAULTS:
			expect_num(r, a, a->key[1] == 'i' ? p->mm->min_flt : p->mm->maj_flt, false);
			break;
		case EXP_MEMORY:
			expect_num(r, a, dram_bytes_allocated(r->k) / 1024, true);
			break;
		case EXP_STAT:
			expect_num(r, a, a->key[0] == 's' ? (uint64_t)f->inode->i_size :
				   f->inode->i_blocks * (PAGE_SIZE / 512), false);
			break;
		case EXP_SMAPS:
			expect_num(r, a, smaps_field(&sm, a->key), true);
			break;
		default:
			break;
		}
	}
	if (r->status == RUN_FAIL)
		dump_counts(r, c, p, f);
}

static void expect_violated(struct run *r, const struct cmd *c)
{
	for (guint i = 0; i < c->invariants->len; i++) {
		int inv = g_array_index(c->invariants, int, i);
		bool found = false;

		if (!invariant_applies(r->policy, inv)) {
			fail(r, RUN_NOT_MODELLED, 0, "the %s invariant does not apply under %s (docs/invariants.md)",
			     invariant_names[inv], policy_names[r->policy]);
			return;
		}
		for (guint j = 0; j < r->pending->len; j++) {
			struct violation *v = g_ptr_array_index(r->pending, j);

			if ((int)v->inv == inv) {
				g_array_index(r->pending_expected, gboolean, j) = TRUE;
				found = true;
			}
		}
		if (!found) {
			fail(r, RUN_FAIL, 0, "expected %s to be violated by the last operation; it held",
			     invariant_names[inv]);
			return;
		}
	}
}

static void expect_block_end(struct run *r, const struct cmd *c);

static void do_expect(struct run *r, const struct cmd *c)
{
	g_array_set_size(r->pending_expected, r->pending->len);
	switch (c->expect) {
	case EXP_RESULT:
		check_result(r, c, &c->result);
		break;
	case EXP_PTE:
		expect_pte(r, c);
		break;
	case EXP_ENTRY:
		expect_entry(r, c);
		break;
	case EXP_BLOCK:
	case EXP_BLOCK_FREE:
	case EXP_OWNER:
		expect_block(r, c);
		break;
	case EXP_MTIME: {
		struct sfile *f = g_hash_table_lookup(r->files, c->file);
		bool changed = f->inode->i_mtime != f->last_mtime;

		if (changed != c->on)
			fail(r, RUN_FAIL, 0, "expected the mtime of %s to be %s; it is %s",
			     c->file, c->on ? "changed" : "unchanged",
			     changed ? "changed" : "unchanged");
		f->last_mtime = f->inode->i_mtime;
		break;
	}
	case EXP_VIOLATED:
		expect_violated(r, c);
		break;
	case EXP_CRASH_VIOLATED:
		/* read by crash_point(): every invariant is checked */
		break;
	case EXP_DEADLOCK:
	case EXP_LOST_WAKEUP:
	case EXP_LIVELOCK:
		expect_block_end(r, c);
		break;
	default:
		expect_counts(r, c);
		break;
	}
}

/* ---- show: the state, in the kernel's formats; nothing is checked ---- */

static void do_show(struct run *r, const struct cmd *c)
{
	struct sproc *p = c->proc ? get_proc(r, c->proc) : NULL;
	struct sfile *f = c->file ? g_hash_table_lookup(r->files, c->file) : NULL;
	struct dump_ctx d = dump_ctx(r);
	GString *out = r->trace;
	unsigned long addr;
	struct smap *m;

	if (c->proc && !p)
		return;
	g_string_append_printf(out, "%s:%d: %s\n", r->s->path, c->line, c->text);
	switch (c->show) {
	case SHOW_SMAPS:
		if ((m = lookup_map(r, p, c->map)))
			show_smaps(&d, p->mm, m->start, m->start + m->len, out);
		break;
	case SHOW_MAPS:
		show_maps(&d, p->mm, out);
		break;
	case SHOW_STATUS:
		show_status(p->mm, out);
		break;
	case SHOW_FAULTS:
		/* getrusage(2): ru_minflt, ru_majflt */
		g_string_append_printf(out, "ru_minflt: %lu\nru_majflt: %lu\n", p->mm->min_flt,
				       p->mm->maj_flt);
		break;
	case SHOW_PTE:
		if (resolve_addr(r, p, &c->addr, &addr))
			show_pte(&d, p->mm, addr, out);
		break;
	case SHOW_ENTRY:
		show_entry(f->inode, f->name, c->index, out);
		break;
	case SHOW_BLOCK:
		show_block(r->k, f->inode, f->name, c->index, out);
		break;
	case SHOW_TREE:
		show_tree(f->inode, f->name, out);
		break;
	}
}

/* ---- the main loop ---- */

static void run_op(struct run *r, const struct cmd *c);
static void run_block(struct run *r, const struct cmd *c);

/* The line @c starts an operation: its entry in the history. */
static void history_add(struct run *r, const struct cmd *c)
{
	struct history h = { c, r->step + 1, r->step };

	g_array_append_val(r->history, h);
	r->hist = r->history->len - 1;
}

/* A `sometimes` line's check: held in this schedule, or missed. */
static void sometimes_begin(struct run *r, const struct cmd *c)
{
	r->in_sometimes = c->sometimes;
	r->sometimes_cmd = c;
	r->missed = false;
	r->sometimes_mark = r->out->len;
}

static void sometimes_end(struct run *r, const struct cmd *c)
{
	r->in_sometimes = false;
	if (!c->sometimes || !r->xr)
		return;
	/* what a check that missed printed (a dump) is not this schedule's story */
	if (r->missed)
		g_string_truncate(r->out, r->sometimes_mark);
	g_hash_table_add(r->xr->ran, (gpointer)c);
	if (!r->missed)
		g_hash_table_add(r->xr->held, (gpointer)c);
}

/* `=> RESULT` on an operation; `expect result` is handled by do_expect() */
static void check_op_result(struct run *r, const struct cmd *c)
{
	if (!c->has_result || r->stop || c->kind == CMD_EXPECT)
		return;
	sometimes_begin(r, c);
	check_result(r, c, &c->result);
	sometimes_end(r, c);
	if (r->report)
		run_report_add_expect(r->report, c->line, c->text,
				      r->stop ? r->status : RUN_PASS);
}

static void run_cmd(struct run *r, const struct cmd *c)
{
	r->cur = c;
	if (c->kind != CMD_EXPECT && c->kind != CMD_SHOW) {
		finish_op(r);
		if (r->stop)
			return;
		r->op = c;
		history_add(r, c);
	}
	switch (c->kind) {
	case CMD_POLICIES:
		return;
	case CMD_POLICY:
		if (r->opts->policy < 0)
			r->policy = policy_lookup(c->name);
		return;
	case CMD_SWITCH:
		/* the command line and the run of a `bug` variant win */
		if (r->opts->sw[switch_lookup(c->name)] < 0 && !r->bug_run[switch_lookup(c->name)]) {
			r->sw[switch_lookup(c->name)] = c->on;
			r->sw_set[switch_lookup(c->name)] = true;
			r->sw_cmd[switch_lookup(c->name)] = c;
		}
		return;
	case CMD_BUG:
		return;
	case CMD_FAULTAROUND: {
		/* fault_around_bytes_set(): rounddown_pow_of_two(), a page at least */
		unsigned long v = PAGE_SIZE;

		while (v * 2 <= c->size)
			v *= 2;
		r->fault_around_bytes = v;
		r->fault_around_set = true;
		return;
	}
	case CMD_READAHEAD:
		r->ra_bytes = c->size;
		r->ra_set = true;
		return;
	case CMD_PMEM:
		r->pmem_bytes = c->size;
		return;
	case CMD_DRAM:
		r->dram_bytes = c->size;
		return;
	default:
		break;
	}
	if (!ensure_kernel(r))
		return;
	if (c->kind == CMD_CONCURRENT) {
		run_block(r, c);
	} else {
		run_op(r, c);
		check_lock_leak(r, 0, c);
	}
	check_op_result(r, c);
}

/* An operation, expectation or show line, once the kernel exists. */
static void run_op(struct run *r, const struct cmd *c)
{
	if (G_UNLIKELY(r->k->pmem.dead) && device_gate(r, c))
		return;
	if (r->crashed && c->kind != CMD_EXPECT && c->kind != CMD_SHOW && c->kind != CMD_CHECK &&
	    c->kind != CMD_REMOUNT && c->kind != CMD_CRASH) {
		fail(r, RUN_BAD_INPUT, 0, "the machine is down after the crash: remount first");
		return;
	}
	switch (c->kind) {
	case CMD_FILE:
		op_file(r, c);
		break;
	case CMD_PROCESS: {
		struct sproc *p = sproc_new(c->name);

		begin_step(r);
		p->mm = mm_create(r->k);
		g_hash_table_insert(r->procs, p->name, p);
		g_ptr_array_add(r->proc_list, p);
		trace(r, "step %lu: process %s\n", r->step, p->name);
		end_step(r);
		break;
	}
	case CMD_EXIT: {
		struct sproc *p = get_proc(r, c->proc);

		if (!p)
			break;
		begin_step(r);
		oracle_exit(r->o, p->mm->id);
		mm_destroy(r->k, p->mm);
		p->mm = NULL;
		trace(r, "step %lu: exit %s\n", r->step, p->name);
		end_step(r);
		break;
	}
	case CMD_FORK:
		op_fork(r, c);
		break;
	case CMD_MMAP:
		op_mmap(r, c);
		break;
	case CMD_MUNMAP:
	case CMD_MPROTECT:
	case CMD_MADVISE:
	case CMD_MSYNC:
	case CMD_MREMAP:
		op_mapping(r, c);
		break;
	case CMD_LOAD:
	case CMD_STORE: {
		struct sproc *p = get_proc(r, c->proc);
		unsigned long addr;

		if (p && resolve_addr(r, p, &c->addr, &addr))
			do_access(r, p, addr, c->access_size, c->kind == CMD_STORE, c->value);
		break;
	}
	case CMD_TOUCH:
		op_touch(r, c);
		break;
	case CMD_READ:
		op_read(r, c);
		break;
	case CMD_WRITE:
	case CMD_TRUNCATE:
	case CMD_PUNCH:
	case CMD_ZERO:
	case CMD_FALLOCATE:
	case CMD_COLLAPSE:
	case CMD_INSERT:
	case CMD_FSYNC:
	case CMD_CLOSE:
		op_file_syscall(r, c);
		break;
	case CMD_FLUSH:
		op_flush(r, c);
		break;
	case CMD_RECLAIM:
		op_reclaim(r, c);
		break;
	case CMD_UNBIND:
		op_unbind(r, c);
		break;
	case CMD_POISON:
		op_poison(r, c);
		break;
	case CMD_GUP:
	case CMD_PIN:
		op_gup(r, c);
		break;
	case CMD_PUT_PAGE:
	case CMD_UNPIN:
		op_put_page(r, c);
		break;
	case CMD_DMA:
		op_dma(r, c);
		break;
	case CMD_NOT_MODELLED:
		fail(r, RUN_NOT_MODELLED, 0, "not modelled yet: %s", c->name);
		break;
	case CMD_SYNC:
	case CMD_SYNCFS:
		op_sync(r, c);
		break;
	case CMD_CRASH:
		op_crash(r, c);
		break;
	case CMD_REMOUNT:
		op_remount(r);
		break;
	case CMD_CHECK: {
		guint before = r->pending->len;

		trace(r, "check: the full sweep\n");
		checker_full(r->chk, r->pending);
		check_nothing_locked(r);
		steps_limit_reached(r);		/* a step of work per PTE and entry swept */
		g_array_set_size(r->pending_expected, r->pending->len);
		for (guint i = before; i < r->pending->len; i++) {
			struct violation *v = g_ptr_array_index(r->pending, i);

			trace(r, "    ! %s: %s\n", invariant_names[v->inv], v->what);
		}
		break;
	}
	case CMD_EXPECT:
		sometimes_begin(r, c);
		do_expect(r, c);
		sometimes_end(r, c);
		if (r->report)
			run_report_add_expect(r->report, c->line, c->text,
					      r->stop ? r->status : RUN_PASS);
		break;
	case CMD_SHOW:
		do_show(r, c);
		break;
	default:
		break;
	}
}

/* ---- concurrent blocks (docs/explorer.md) ---- */

/*
 * A thread's scheduling points within one operation past which it is
 * taken to loop without progress (a livelock). The deepest operation of
 * the suite passes a few hundred.
 */
#define LIVELOCK_POINTS		100000

/* One stretch of the interleaving: a thread ran from one line to a point. */
struct segment {
	int thread;
	const char *proc;
	const struct cmd *from, *to;
	enum task_state state;		/* at its end: preempted, asleep or done */
	const char *point;
};

static void thread_save(struct run *r, struct sthread *t)
{
	t->cur = r->cur;
	t->op = r->op;
	t->res = r->res;
	t->last_mm = r->last_mm;
	t->last_addr = r->last_addr;
	t->hist = r->hist;
}

static void thread_load(struct run *r, const struct sthread *t)
{
	r->cur = t->cur;
	r->op = t->op;
	r->res = t->res;
	r->last_mm = t->last_mm;
	r->last_addr = t->last_addr;
	r->hist = t->hist;
}

/* The line a thread is in, or the next it runs. */
static const struct cmd *thread_line(const struct sthread *t)
{
	if (t->in_op || t->next >= t->cmds->len)
		return t->cur;
	return g_ptr_array_index(t->cmds, t->next);
}

static const char *thread_proc(const struct run *r, int task)
{
	return task <= r->nr_threads && r->threads[task] ? r->threads[task]->proc->name : "?";
}

/* sched.on_switch: each thread has its own operation, result and history entry. */
static void run_switch(void *ctx, int id, bool in)
{
	struct run *r = ctx;
	struct sthread *t = r->threads[id];
	struct segment seg;

	if (in) {
		thread_save(r, r->threads[0]);
		thread_load(r, t);
		t->seg_from = thread_line(t);
		return;
	}
	thread_save(r, t);
	thread_load(r, r->threads[0]);
	seg = (struct segment){ id, t->proc->name, t->seg_from, thread_line(t),
				r->k->sched.tasks[id]->state, r->k->sched.point };
	g_array_append_val(r->segments, seg);
}

/* sched.choose: the explorer's, and the livelock bound. */
static int run_choose(void *ctx, const int *runnable, int n, const char *point)
{
	struct run *r = ctx;
	struct sched *s = &r->k->sched;
	int running = s->running ? s->running->id : 0;

	if (running && r->threads[running]->in_op &&
	    ++r->threads[running]->points > LIVELOCK_POINTS)
		s->abort = true;
	/*
	 * Past a limit the model unwinds (fatal_signal_pending()) where the
	 * run that chose this prefix went on: no choice of the exploration,
	 * every thread stops at its next point.
	 */
	if (r->limit) {
		s->abort = true;
		for (int i = 0; i < n; i++)
			if (runnable[i] == running)
				return running;
		return runnable[0];
	}
	return explore_choose(&r->xr->x, runnable, n, running, point);
}

/* A thread: its lines in order, each an operation with its `=>` check. */
static void thread_fn(struct kernel *k, void *arg)
{
	struct sthread *t = arg;
	struct run *r = t->r;

	(void)k;
	for (; t->next < t->cmds->len && !r->stop; t->next++) {
		const struct cmd *c = g_ptr_array_index(t->cmds, t->next);

		if (!cond_holds(r, c))
			continue;
		r->cur = r->op = c;
		r->res.valid = false;
		history_add(r, c);
		t->in_op = true;
		t->points = 0;
		r->in_flight++;
		run_op(r, c);
		check_lock_leak(r, t->id, c);
		check_lock_order(r);
		r->in_flight--;
		r->completions++;
		t->in_op = false;
		if (r->judgments->len)
			judge_overlaps(r);
		check_op_result(r, c);
	}
}

static const char *const block_ends[] = {
	[SCHED_DEADLOCK] = "deadlock", [SCHED_LOST_WAKEUP] = "lost wakeup",
	[SCHED_ABORTED] = "livelock",
};

/* What each thread left stuck waits for, and who holds it. */
static void describe_stuck(struct run *r, GString *msg)
{
	const struct sched *s = &r->k->sched;

	for (int i = 0; i < s->nr_stuck; i++) {
		const struct sched_stuck *st = &s->stuck[i];
		const struct sthread *t = r->threads[st->task];

		g_string_append_printf(msg, "%s thread %d (%s) at line %d", i ? ";" : "", t->id,
				       t->proc->name, t->cur ? t->cur->line : 0);
		if (!st->on) {
			g_string_append_printf(msg, " passed %d scheduling points without finishing it",
					       LIVELOCK_POINTS);
			continue;
		}
		g_string_append_printf(msg, " sleeps on %s", st->on);
		if (st->lost_wakeup)
			g_string_append(msg, ", which is free: nobody will wake it");
		else if (st->owner > 0)
			g_string_append_printf(msg, ", held by thread %d", st->owner);
		else if (st->readers)
			for (int id = 1; id < 64; id++)
				if (st->readers & (1ULL << id))
					g_string_append_printf(msg, ", held for read by thread %d", id);
	}
}

/* The expect line after the block's `end` that this ending satisfies. */
static const struct cmd *expected_end(struct run *r, const struct cmd *block)
{
	static const enum expect_kind kinds[] = {
		[SCHED_DEADLOCK] = EXP_DEADLOCK, [SCHED_LOST_WAKEUP] = EXP_LOST_WAKEUP,
		[SCHED_ABORTED] = EXP_LIVELOCK,
	};
	guint i = 0;

	while (g_ptr_array_index(r->s->cmds, i) != block)
		i++;
	while (((const struct cmd *)g_ptr_array_index(r->s->cmds, i))->kind != CMD_END)
		i++;
	for (i++; i < r->s->cmds->len; i++) {
		const struct cmd *c = g_ptr_array_index(r->s->cmds, i);

		if (c->kind != CMD_EXPECT && c->kind != CMD_SHOW)
			break;
		if (c->kind == CMD_EXPECT && c->expect == kinds[r->block_end] && cond_holds(r, c))
			return c;
	}
	return NULL;
}

/*
 * Threads left where they stopped: the block ends the run. Expected, the
 * run has passed; else it fails, saying who waits for what.
 */
static void block_stuck(struct run *r, const struct cmd *block)
{
	const struct cmd *exp = expected_end(r, block);
	GString *msg;

	r->wrecked = true;
	if (exp) {
		if (exp->sometimes && r->xr) {
			g_hash_table_add(r->xr->ran, (gpointer)exp);
			g_hash_table_add(r->xr->held, (gpointer)exp);
		}
		if (r->report)
			run_report_add_expect(r->report, exp->line, exp->text, RUN_PASS);
		r->done = true;
		return;
	}
	msg = g_string_new(block_ends[r->block_end]);
	g_string_append_c(msg, ':');
	describe_stuck(r, msg);
	fail(r, RUN_FAIL, 0, "%s", msg->str);
	g_string_free(msg, TRUE);
}

static void run_block(struct run *r, const struct cmd *block)
{
	struct sthread th[MAX_THREADS + 1] = { { 0 } };
	struct sched *s = &r->k->sched;
	guint i = 0;
	int n = 0;

	r->block_started = true;
	while (g_ptr_array_index(r->s->cmds, i) != block)
		i++;
	for (i++;; i++) {
		const struct cmd *c = g_ptr_array_index(r->s->cmds, i);

		if (c->kind == CMD_END)
			break;
		if (c->kind != CMD_THREAD) {
			g_ptr_array_add(th[n].cmds, (gpointer)c);
			continue;
		}
		n++;
		th[n] = (struct sthread){ .r = r, .id = n, .cmds = g_ptr_array_new() };
		r->cur = c;
		if (!(th[n].proc = get_proc(r, c->proc)))
			goto out;
	}
	r->cur = block;
	r->block = block;
	r->nr_threads = n;
	g_array_set_size(r->segments, 0);
	r->threads[0] = &th[0];
	for (int id = 1; id <= n; id++) {
		r->threads[id] = &th[id];
		kthread_create(r->k, th[id].proc->mm, thread_fn, &th[id]);
	}
	s->choose = run_choose;
	s->choose_ctx = r;
	s->on_switch = run_switch;
	r->in_flight = 0;
	r->block_end = sched_run(r->k);
	r->cur = r->op = block;
	if (r->block_end != SCHED_DONE && !r->stop)
		block_stuck(r, block);
	else if (r->block_end != SCHED_DONE)
		r->wrecked = true;
	else if (!r->stop)
		end_step(r);	/* what the last operation of an overlap left unchecked */
out:
	for (int id = 1; id <= n; id++)
		g_ptr_array_free(th[id].cmds, TRUE);
	memset(r->threads, 0, sizeof(r->threads));
	r->nr_threads = 0;
}

/* expect deadlock / lost-wakeup / livelock: the block ended otherwise. */
static void expect_block_end(struct run *r, const struct cmd *c)
{
	static const char *const what[] = {
		[EXP_DEADLOCK] = "a deadlock", [EXP_LOST_WAKEUP] = "a lost wakeup",
		[EXP_LIVELOCK] = "a livelock",
	};

	fail(r, RUN_FAIL, 0, "expected %s; %s", what[c->expect],
	     r->block_end == SCHED_DONE ? "every thread finished" : "the block ended otherwise");
}

/* ---- a failing schedule, told and made replayable ---- */

/* The marker of the schedule a replay scenario ends with. */
static const char replay_marker[] = "# ---- mmsim: the schedule of a failure ----";

static void print_interleaving(struct run *r, GString *out)
{
	for (guint i = 0; i < r->segments->len; i++) {
		const struct segment *sg = &g_array_index(r->segments, struct segment, i);
		g_string_append_printf(out, "#   %u. thread %d (%s)", i + 1, sg->thread, sg->proc);
		if (sg->from && sg->to && sg->from != sg->to)
			g_string_append_printf(out, ", lines %d-%d", sg->from->line, sg->to->line);
		else if (sg->to)
			g_string_append_printf(out, ", line %d `%s`", sg->to->line, sg->to->text);
		if (sg->state == TASK_DEAD)
			g_string_append(out, ": ends\n");
		else if (sg->state != TASK_RUNNING)
			g_string_append_printf(out, ": sleeps at %s\n", sg->point);
		else if (i + 1 == r->segments->len && r->block_end == SCHED_ABORTED)
			g_string_append_printf(out, ": is stopped at %s, past %d points\n",
					       sg->point, LIVELOCK_POINTS);
		else
			g_string_append_printf(out, ": %s at %s\n",
					       strcmp(sg->point, "cond_resched") ? "is preempted" : "yields",
					       sg->point);
	}
}

/*
 * The scenario again, ending with the failing schedule: the file's own
 * `schedule` lines commented out (same line numbers), a schedule block
 * it ended with dropped, then the interleaving and the `schedule` line.
 */
static void print_replay(struct run *r, GString *out, const char *choices)
{
	char **lines = g_strsplit(r->s->text, "\n", -1);
	guint n = g_strv_length(lines);

	while (n && !*lines[n - 1])
		n--;
	for (guint i = 0; i < n; i++)
		if (strcmp(lines[i], replay_marker) == 0)
			n = i;
	for (guint i = 0; i < n; i++) {
		const char *l = lines[i] + strspn(lines[i], " \t");

		g_string_append_printf(out, "%s%s\n",
				       strncmp(l, "schedule", 8) == 0 && (!l[8] || l[8] == ' ' || l[8] == '\t') ?
				       "# " : "", lines[i]);
	}
	g_strfreev(lines);
	g_string_append_printf(out, "%s\n# The interleaving (thread N is the Nth `thread` line of its block):\n",
			       replay_marker);
	print_interleaving(r, out);
	g_string_append_printf(out, "schedule %s\n", choices);
}

static void print_schedule(struct run *r, GString *out)
{
	char *choices = explore_choice_string(&r->xr->x);

	g_string_append_printf(out, "  schedule: %s (replay it with --schedule '%s', or run the scenario below)\n",
			       *choices ? choices : "the default, no preemption", choices);
	g_string_append(out, "---- replay scenario ----\n");
	print_replay(r, out, choices);
	g_string_append(out, "---- end ----\n");
	g_free(choices);
}

static void run_label(const struct run *r, GString *label)
{
	g_string_append(label, policy_names[r->policy]);
	struct policy preset;

	policy_init(&preset, r->policy);
	for (int i = 0; i < NR_SWITCHES; i++)
		if (r->sw[i] != preset.sw[i])
			g_string_append_printf(label, ", %s=%s", switch_descs[i].name,
					       r->sw[i] ? "on" : "off");
}

/*
 * A forced schedule must name, at each of its points, a thread that could
 * run there, and no point past the run's last.
 */
static void check_forced(struct run *r)
{
	const struct explore *x = &r->xr->x;
	const struct choice *last;

	if (!x->forced || !x->forced->len || r->status == RUN_BAD_INPUT)
		return;
	last = &g_array_index(x->forced, struct choice, x->forced->len - 1);
	r->cur = r->sched_cmd;
	if (x->bad_choice)
		fail(r, RUN_BAD_INPUT, 0, "schedule: at choice point %u the thread %s", x->bad_point,
		     x->bad_choice);
	else if (last->point > x->depth)
		fail(r, RUN_BAD_INPUT, 0, "schedule: choice point %u: the run has %u", last->point,
		     x->depth);
}

static int run_once(const struct scenario *s, const struct run_opts *opts,
		    const int *bug_sw, GString *out, int *fail_line, struct xrun *xr,
		    struct lockdep *ld)
{
	struct run r = { .s = s, .opts = opts, .xr = xr, .ld = ld };
	GString *label = g_string_new(NULL);
	gsize mark = out->len, verdict;

	r.policy = opts->policy >= 0 ? opts->policy : POLICY_DAX_2017;
	for (int i = 0; i < NR_SWITCHES; i++) {
		r.sw[i] = opts->sw[i] >= 0 ? opts->sw[i] : bug_sw[i];
		r.sw_set[i] = opts->sw[i] >= 0 || bug_sw[i];
		r.bug_run[i] = bug_sw[i];
	}
	r.pmem_bytes = 1UL << 30;
	r.dram_bytes = 1UL << 30;
	r.files = g_hash_table_new(g_str_hash, g_str_equal);
	r.handles = g_hash_table_new(g_str_hash, g_str_equal);
	r.handle_list = g_ptr_array_new_with_free_func(free_shandle);
	r.procs = g_hash_table_new(g_str_hash, g_str_equal);
	r.proc_list = g_ptr_array_new_with_free_func(free_sproc);
	r.file_list = g_ptr_array_new_with_free_func(free_sfile);
	r.history = g_array_new(FALSE, FALSE, sizeof(struct history));
	r.pending = g_ptr_array_new_with_free_func(violation_free);
	r.pending_expected = g_array_new(FALSE, TRUE, sizeof(gboolean));
	r.out = g_string_new(NULL);
	r.segments = g_array_new(FALSE, FALSE, sizeof(struct segment));
	r.judgments = g_array_new(FALSE, FALSE, sizeof(struct judgment));
	/* the trace, and what `show` prints, as the run goes */
	r.trace = g_string_new(NULL);
	if (opts->reports)
		r.report = run_report_new(s->path, NULL);

	for (guint i = 0; i < s->cmds->len; i++)
		if (((const struct cmd *)g_ptr_array_index(s->cmds, i))->kind == CMD_SCHEDULE)
			r.sched_cmd = g_ptr_array_index(s->cmds, i);
	for (guint i = 0; i < s->cmds->len && !r.stop && !r.done; i++) {
		const struct cmd *c = g_ptr_array_index(s->cmds, i);

		/* a block's lines run in its threads; `schedule` is the explorer's */
		if (c->thread || c->kind == CMD_THREAD || c->kind == CMD_END ||
		    c->kind == CMD_SCHEDULE)
			continue;
		if (cond_holds(&r, c))
			run_cmd(&r, c);
		if (r.trace->len) {
			g_string_append(out, r.trace->str);
			g_string_truncate(r.trace, 0);
		}
	}
	if (r.crash_now)
		crash_point(&r);
	r.cur = NULL;
	if (xr)
		check_forced(&r);
	r.cur = NULL;
	if (!r.stop && !r.done) {
		finish_op(&r);
		r.op = NULL;
		if (!r.stop && ensure_kernel(&r)) {
			/* the end: a full sweep, and nothing may be left standing or locked */
			checker_full(r.chk, r.pending);
			check_nothing_locked(&r);
			finish_op(&r);
		}
	}
	if (opts->at_end && r.k)
		opts->at_end(opts->at_end_ctx, r.k, checker_memory(r.chk), oracle_memory(r.o));
	run_label(&r, label);
	verdict = out->len;
	if (r.status == RUN_PASS && xr) {
		/* the exploration says it once, for every schedule */
		xr->steps = r.step;
		g_free(xr->label);
		xr->label = g_strdup(label->str);
	} else if (r.status == RUN_PASS) {
		if (!opts->quiet)
			g_string_append_printf(out, "PASS %s [%s] %lu steps\n", s->path,
					       label->str, r.step);
	} else {
		g_string_append_printf(out, "%s %s [%s]\n",
				       r.status == RUN_NOT_MODELLED ? "NOT-MODELLED" :
				       r.status == RUN_BAD_INPUT ? (r.limit ? "LIMIT" : "ERROR") :
				       "FAIL",
				       s->path, label->str);
		if (xr && r.status == RUN_FAIL)
			print_schedule(&r, r.out);
		g_string_append(out, r.out->str);
	}
	if (r.trace && r.trace->len)
		g_string_append(out, r.trace->str);
	if (r.report) {
		GString *t = g_string_new_len(out->str + mark, verdict - mark);

		if (r.trace)
			g_string_append(t, r.trace->str);
		r.report->label = g_strdup(label->str);
		r.report->status = r.status;
		r.report->story = g_strdup(r.out->str);
		r.report->trace = g_string_free(t, FALSE);
		g_ptr_array_add(opts->reports, r.report);
	}

	if (r.k)
		lockdep_attach(r.k, NULL);	/* the teardown is no operation of the scenario */
	if (r.xr && r.chk)
		r.xr->work += r.step + r.inner + checker_work(r.chk);
	if (r.chk)
		checker_free(r.chk);
	r.chk = NULL;		/* release_handles() below: no checker to tell */
	if (r.o)
		oracle_free(r.o);	/* and its record of the handles */
	r.o = NULL;
	if (r.dur)
		durable_free(r.dur);
	if (r.k && r.wrecked) {
		/* threads were left mid-operation: nothing can take it apart */
		kernel_abandon(r.k);
	} else if (r.k) {
		/* the pages the handles still hold, then the processes: their VMAs hold the files */
		release_handles(&r);
		while (r.k->mms->len)
			mm_destroy(r.k, g_ptr_array_index(r.k->mms, r.k->mms->len - 1));
		for (guint i = 0; i < r.file_list->len; i++) {
			struct sfile *f = g_ptr_array_index(r.file_list, i);

			if (f->file)
				file_close(r.k, f->file);
		}
		kernel_destroy(r.k);
	}
	g_hash_table_destroy(r.files);
	g_hash_table_destroy(r.handles);
	g_ptr_array_free(r.handle_list, TRUE);
	g_hash_table_destroy(r.procs);
	g_ptr_array_free(r.proc_list, TRUE);
	g_ptr_array_free(r.file_list, TRUE);
	g_array_free(r.history, TRUE);
	g_ptr_array_free(r.pending, TRUE);
	g_array_free(r.pending_expected, TRUE);
	g_string_free(r.out, TRUE);
	g_array_free(r.segments, TRUE);
	g_array_free(r.judgments, TRUE);
	if (r.trace)
		g_string_free(r.trace, TRUE);
	g_string_free(label, TRUE);
	if (!*fail_line)
		*fail_line = r.fail_line;
	return r.status;
}

void run_opts_init(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->policy = -1;
	o->max_file_bytes = SCENARIO_MAX_BYTES;
	for (int i = 0; i < NR_SWITCHES; i++)
		o->sw[i] = -1;
	o->max_steps = RUN_MAX_STEPS;
	o->max_memory = RUN_MAX_MEMORY;
	o->preemptions = 2;
}

/*
 * A scenario that names bug variants runs once with them all off, then
 * once with each on (unless the command line forces a switch).
 */
/* The report of each schedule replaces the one before: the last stands for all. */
static void drop_previous_report(const struct run_opts *opts, guint before)
{
	if (opts->reports && opts->reports->len > before + 1)
		g_ptr_array_remove_index(opts->reports, before);
}

/*
 * lockdep costs about a third of a one-thread fault (docs/model.md), so a
 * run without threads attaches it only when asked (--lockdep) or when a
 * line expects what it finds.
 */
static bool wants_lockdep(const struct scenario *s, const struct run_opts *opts)
{
	if (opts->lockdep || s->nr_blocks)
		return true;
	for (guint i = 0; i < s->cmds->len; i++) {
		const struct cmd *c = g_ptr_array_index(s->cmds, i);

		if (c->kind != CMD_EXPECT || !c->invariants)
			continue;
		for (guint j = 0; j < c->invariants->len; j++) {
			int inv = g_array_index(c->invariants, int, j);

			if (inv == INV_LOCK_ORDER || inv == INV_NO_LOCK_LEAK)
				return true;
		}
	}
	return false;
}

/*
 * With threads: every schedule within the preemption bound (or the one
 * schedule of `schedule` / --schedule), each a run from the start, until
 * one fails; then the `sometimes` lines must each have held in one.
 */
static int run_explored(const struct scenario *s, const struct run_opts *opts,
			const int *bug_sw, GString *out, int *line)
{
	struct xrun xr = { 0 };
	GArray *forced = opts->schedule;
	guint before = opts->reports ? opts->reports->len : 0;
	struct lockdep *ld;
	int status;

	for (guint i = 0; !forced && i < s->cmds->len; i++) {
		const struct cmd *c = g_ptr_array_index(s->cmds, i);

		if (c->kind == CMD_SCHEDULE)
			forced = c->choices;
	}
	/* one graph for the variant's run: every schedule adds to it */
	ld = wants_lockdep(s, opts) || forced ? lockdep_create() : NULL;
	if (!s->nr_blocks && !forced) {
		status = run_once(s, opts, bug_sw, out, line, NULL, ld);
		if (ld)
			lockdep_destroy(ld);
		return status;
	}
	/*
	 * Each schedule builds a kernel and frees it. glibc hands a freed top
	 * of the heap back to the system past 128 KiB, and the next schedule
	 * faults it in again page by page: a third of an exploration's time.
	 */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	explore_init(&xr.x, opts->preemptions, forced);
	xr.ran = g_hash_table_new(NULL, NULL);
	xr.held = g_hash_table_new(NULL, NULL);
	xr.first_miss = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	do {
		explore_begin(&xr.x);
		status = run_once(s, opts, bug_sw, out, line, &xr, ld);
		drop_previous_report(opts, before);
	} while (status == RUN_PASS && explore_next(&xr.x));
	for (guint i = 0; status == RUN_PASS && i < s->cmds->len; i++) {
		const struct cmd *c = g_ptr_array_index(s->cmds, i);
		const char *miss;

		if (!g_hash_table_contains(xr.ran, c) || g_hash_table_contains(xr.held, c))
			continue;
		status = RUN_FAIL;
		if (!*line)
			*line = c->line;
		g_string_append_printf(out, "FAIL %s [%s]\n%s:%d:%d: held in none of the %lu schedule(s)",
				       s->path, xr.label, s->path, c->line, c->col, xr.x.schedules);
		if (!forced)
			g_string_append_printf(out, " with at most %d preemption(s)", opts->preemptions);
		miss = g_hash_table_lookup(xr.first_miss, c);
		g_string_append_printf(out, ": %s\n", miss ? miss : c->text);
		if (opts->reports && opts->reports->len > before) {
			struct run_report *rep = g_ptr_array_index(opts->reports, opts->reports->len - 1);

			rep->status = RUN_FAIL;
			g_free(rep->story);
			rep->story = g_strdup_printf("%s:%d:%d: held in none of the %lu schedule(s)\n",
						     s->path, c->line, c->col, xr.x.schedules);
		}
	}
	if (status == RUN_PASS && !opts->quiet)
		g_string_append_printf(out, "PASS %s [%s] %lu steps, %lu schedule(s), at most %d preemption(s)\n",
				       s->path, xr.label, xr.steps, xr.x.schedules, opts->preemptions);
	g_hash_table_destroy(xr.ran);
	g_hash_table_destroy(xr.held);
	g_hash_table_destroy(xr.first_miss);
	g_free(xr.label);
	explore_destroy(&xr.x);
	if (ld)
		lockdep_destroy(ld);
	return status;
}

static int run_scenario(const struct scenario *s, const struct run_opts *opts,
			GString *out, int *line)
{
	int sw[NR_SWITCHES] = { 0 };
	int status = run_explored(s, opts, sw, out, line);

	for (guint i = 0; i < s->bugs->len; i++) {
		int id = switch_lookup(g_ptr_array_index(s->bugs, i));
		int st;

		if (opts->sw[id] >= 0)
			continue;
		sw[id] = 1;
		st = run_explored(s, opts, sw, out, line);
		sw[id] = 0;
		if (st > status)
			status = st;
	}
	return status;
}

/* Parsed or refused: bad input is status 2 with its file:line:col. */
static int run_parsed(const char *name, struct scenario *s, char *err,
		      const struct run_opts *opts, GString *out)
{
	int status;

	if (!s) {
		g_string_append_printf(out, "%s\n", err);
		if (opts->reports) {
			struct run_report *rep = run_report_new(name, NULL);

			rep->status = RUN_BAD_INPUT;
			rep->story = g_strdup_printf("%s\n", err);
			g_ptr_array_add(opts->reports, rep);
		}
		g_free(err);
		return RUN_BAD_INPUT;
	}
	status = run_scenario(s, opts, out, &(int){ 0 });
	scenario_free(s);
	return status;
}

int run_text(const char *name, const char *text, const struct run_opts *opts,
	     GString *out)
{
	char *err = NULL;
	struct scenario *s = scenario_parse(name, text, &err);

	return run_parsed(name, s, err, opts, out);
}

int run_file(const char *path, const struct run_opts *opts, GString *out)
{
	char *err = NULL;
	struct scenario *s = scenario_load(path, opts->max_file_bytes, &err);

	return run_parsed(path, s, err, opts, out);
}

/* ---- --policy all: one file under every policy it applies to ---- */

void policy_row_free(gpointer p)
{
	struct policy_row *row = p;

	g_free(row->path);
	g_free(row);
}

int run_file_all_policies(const char *path, const struct run_opts *opts, GPtrArray *rows)
{
	struct policy_row *row = g_new0(struct policy_row, 1);
	char *err = NULL;
	struct scenario *s = scenario_load(path, opts->max_file_bytes, &err);
	int status = 0;

	row->path = g_strdup(path);
	g_ptr_array_add(rows, row);
	for (int pol = 0; pol < NR_POLICIES; pol++) {
		struct run_opts o = *opts;
		GString *out = g_string_new(NULL);

		row->status[pol] = -1;
		if (s && !(s->policies & (1u << pol))) {
			g_string_free(out, TRUE);
			continue;
		}
		o.policy = pol;
		o.quiet = true;
		if (s) {
			row->status[pol] = run_scenario(s, &o, out, &row->line[pol]);
		} else {	/* "path:LINE:COL: ..." */
			row->status[pol] = RUN_BAD_INPUT;
			sscanf(err + strlen(strcmp(path, "-") ? path : "<stdin>"), ":%d", &row->line[pol]);
		}
		/* a policy not modelled yet is a cell of the table, not a failure */
		if (row->status[pol] > status && row->status[pol] != RUN_NOT_MODELLED)
			status = row->status[pol];
		g_string_free(out, TRUE);
	}
	g_free(err);
	scenario_free(s);
	return status;
}

void print_policy_table(GString *out, const GPtrArray *rows)
{
	int width = 4;

	for (guint i = 0; i < rows->len; i++) {
		const struct policy_row *row = g_ptr_array_index(rows, i);

		width = MAX(width, (int)strlen(row->path));
	}
	g_string_append_printf(out, "%-*s", width, "file");
	for (int pol = 0; pol < NR_POLICIES; pol++)
		g_string_append_printf(out, "  %-12s", policy_names[pol]);
	g_string_append_c(out, '\n');
	for (guint i = 0; i < rows->len; i++) {
		const struct policy_row *row = g_ptr_array_index(rows, i);

		g_string_append_printf(out, "%-*s", width, row->path);
		for (int pol = 0; pol < NR_POLICIES; pol++) {
			char cell[32];

			switch (row->status[pol]) {
			case -1:
				snprintf(cell, sizeof(cell), "-");
				break;
			case RUN_PASS:
				snprintf(cell, sizeof(cell), "pass");
				break;
			case RUN_FAIL:
				snprintf(cell, sizeof(cell), "fail:%d", row->line[pol]);
				break;
			case RUN_BAD_INPUT:
				snprintf(cell, sizeof(cell), "error:%d", row->line[pol]);
				break;
			default:
				snprintf(cell, sizeof(cell), "not-modelled");
				break;
			}
			g_string_append_printf(out, "  %-12s", cell);
		}
		g_string_append_c(out, '\n');
	}
}

/*
 * --crash-each: one run records the steps that change durable data or
 * metadata (outside concurrent blocks, the default schedule); then, for
 * each of them (at most crash_max, spread evenly over them), a run that
 * crashes after it, remounts and checks. One line says how many held.
 */
int run_file_crash_each(const char *path, const struct run_opts *opts, GString *out)
{
	char *err = NULL;
	struct scenario *s = scenario_load(path, opts->max_file_bytes, &err);
	struct run_opts o = *opts;
	GArray *points, *one_schedule;
	GString *buf, *first_fail = NULL;
	int sw[NR_SWITCHES] = { 0 }, status, line = 0;
	unsigned long n, pick, counts[4] = { 0 }, first_fail_step = 0;
	enum policy_id policy = opts->policy >= 0 ? (enum policy_id)opts->policy : POLICY_DAX_2017;

	if (!s)
		return run_parsed(path, s, err, opts, out);
	for (guint i = 0; opts->policy < 0 && i < s->cmds->len; i++) {
		const struct cmd *c = g_ptr_array_index(s->cmds, i);

		if (c->kind == CMD_POLICY)
			policy = policy_lookup(c->name);
	}
	points = g_array_new(FALSE, FALSE, sizeof(unsigned long));
	one_schedule = g_array_new(FALSE, FALSE, sizeof(struct choice));	/* the default one */
	buf = g_string_new(NULL);
	o.crash_points = points;
	o.quiet = true;
	o.reports = NULL;
	o.crash_each = false;
	/*
	 * With threads: the scenario's own verdict from its whole exploration,
	 * the crash points from the default schedule's setup (the steps before
	 * the first block, the same in every schedule).
	 */
	if (s->nr_blocks && !o.schedule) {
		o.crash_points = NULL;
		status = run_explored(s, &o, sw, buf, &line);
		o.crash_points = points;
		o.schedule = one_schedule;
		if (status == RUN_PASS) {
			GString *ignored = g_string_new(NULL);

			run_explored(s, &o, sw, ignored, &line);
			g_string_free(ignored, TRUE);
		}
	} else {
		status = run_explored(s, &o, sw, buf, &line);
	}
	if (status != RUN_PASS) {
		/* the scenario itself: its own verdict first */
		g_string_append(out, buf->str);
		if (status != RUN_FAIL)
			goto done;
	}
	o.crash_points = NULL;
	n = points->len;
	pick = opts->crash_max && n > opts->crash_max ? opts->crash_max : n;
	for (unsigned long i = 0; i < pick; i++) {
		unsigned long step = g_array_index(points, unsigned long, i * n / pick);
		int outcome = -1, st;

		g_string_truncate(buf, 0);
		o.crash_at = step;
		o.crash_outcome = &outcome;
		st = run_explored(s, &o, sw, buf, &line);
		if (outcome < 0)		/* the run ended before the step: its own failure */
			outcome = st == RUN_NOT_MODELLED ? CRASH_NOT_MODELLED : CRASH_FAILED;
		counts[outcome]++;
		if (outcome == CRASH_FAILED && !first_fail) {
			first_fail = g_string_new(buf->str);
			first_fail_step = step;
		}
		if (outcome == CRASH_NOT_MODELLED)
			break;		/* the policy has no crash: every point alike */
	}
	if (counts[CRASH_NOT_MODELLED]) {
		g_string_append_printf(out, "CRASH %s [%s] not modelled: %s\n", path,
				       policy_names[policy], "a crash under this policy (docs/eras)");
		if (status == RUN_PASS)
			status = RUN_NOT_MODELLED;
		goto done;
	}
	if (first_fail) {
		g_string_append(out, first_fail->str);
		g_string_append_printf(out, "  (rerun it alone: --crash-at %lu)\n", first_fail_step);
		status = RUN_FAIL;
	}
	g_string_append_printf(out, "CRASH %s [%s] %lu crash point(s) of %lu: %lu held, %lu expected (crash-violated), %lu failed\n",
			       path, policy_names[policy], pick, n, counts[CRASH_HELD],
			       counts[CRASH_EXPECTED], counts[CRASH_FAILED]);
done:
	if (first_fail)
		g_string_free(first_fail, TRUE);
	g_string_free(buf, TRUE);
	g_array_free(points, TRUE);
	g_array_free(one_schedule, TRUE);
	scenario_free(s);
	return status;
}
