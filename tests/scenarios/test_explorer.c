// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer as a user meets it: concurrent blocks run under every
 * schedule, a failing schedule printed as a scenario that replays it
 * alone (byte for byte the same report), `sometimes`, `schedule` and
 * --schedule, and the endings a block may expect.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>
#include <sys/wait.h>

/* B's load sees A's store in the schedules where A's store returns first. */
static const char order_scn[] =
	"policy dax-2017\n"
	"pmem 64M\n"
	"file f size=4K\n"
	"process A\n"
	"process B\n"
	"mmap A m f prot=rw shared nohuge\n"
	"mmap B n f prot=rw shared nohuge\n"
	"concurrent\n"
	"thread A\n"
	"    store A m+0 0x11\n"
	"thread B\n"
	"    load B n+0 => 0x11\n"
	"end\n";

/* Run mmsim with @args in @dir (cwd), stdout+stderr into *out; the exit status. */
static int mmsim_in(const char *dir, const char *args, char **out)
{
	const char *mmsim = g_getenv("MMSIM");
	char *abs = g_canonicalize_filename(mmsim ? mmsim : "build/mmsim", NULL);
	char *cmd = g_strdup_printf("cd '%s' && '%s' %s 2>&1", dir, abs, args);
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	int wait = 0;

	cr_assert(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, out, NULL, &wait, NULL));
	g_free(cmd);
	g_free(abs);
	cr_assert(WIFEXITED(wait));
	return WEXITSTATUS(wait);
}

static char *dir_with(const char *name, const char *text)
{
	char *dir = g_dir_make_tmp("mmsim-explore-XXXXXX", NULL);
	char *path = g_build_filename(dir, name, NULL);

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	g_free(path);
	return dir;
}

/* The scenario between the markers of a failure's report. */
static char *replay_of(const char *out)
{
	const char *a = strstr(out, "---- replay scenario ----\n"), *b;

	cr_assert_not_null(a, "no replay scenario in:\n%s", out);
	a += strlen("---- replay scenario ----\n");
	b = strstr(a, "---- end ----\n");
	cr_assert_not_null(b);
	return g_strndup(a, b - a);
}

Test(explorer, failing_schedule_replays_alone_byte_identical)
{
	char *d1 = dir_with("order.scn", order_scn), *out1 = NULL, *out2 = NULL, *replay, *d2;

	cr_assert_eq(mmsim_in(d1, "run order.scn", &out1), 1, "%s", out1);
	cr_assert(strstr(out1, "order.scn:12:19: expected 0x11, got 0"), "%s", out1);
	cr_assert(strstr(out1, "# The interleaving"), "%s", out1);
	/* B's load ran to its end before A's store: the schedule says B first */
	cr_assert(strstr(out1, "thread 2 (B), line 12 `load B n+0 => 0x11`: ends"), "%s", out1);
	replay = replay_of(out1);
	cr_assert(g_str_has_prefix(replay, order_scn), "the file's lines come first:\n%s", replay);
	cr_assert(strstr(replay, "\nschedule "), "%s", replay);
	d2 = dir_with("order.scn", replay);
	cr_assert_eq(mmsim_in(d2, "run order.scn", &out2), 1, "%s", out2);
	cr_assert_str_eq(out2, out1);
	g_free(out1);
	g_free(out2);
	g_free(replay);
	g_free(d1);
	g_free(d2);
}

/* --schedule with the printed choices gives the same failure; the default schedule passes. */
Test(explorer, schedule_option)
{
	char *d = dir_with("order.scn", order_scn), *out = NULL, *cs, *q, *args;

	cr_assert_eq(mmsim_in(d, "run order.scn", &out), 1);
	cs = strstr(out, "--schedule '");
	cr_assert_not_null(cs);
	cs += strlen("--schedule '");
	q = strchr(cs, '\'');
	args = g_strdup_printf("run --schedule '%.*s' order.scn", (int)(q - cs), cs);
	g_free(out);
	cr_assert_eq(mmsim_in(d, args, &out), 1, "%s", out);
	cr_assert(strstr(out, "expected 0x11, got 0"), "%s", out);
	g_free(out);
	cr_assert_eq(mmsim_in(d, "run --schedule '' order.scn", &out), 0, "%s", out);
	g_free(out);
	cr_assert_eq(mmsim_in(d, "run --schedule '99:1' order.scn", &out), 2, "%s", out);
	cr_assert(strstr(out, "schedule: choice point 99: the run has"), "%s", out);
	g_free(out);
	cr_assert_eq(mmsim_in(d, "run --schedule '1:9' order.scn", &out), 2, "%s", out);
	cr_assert(strstr(out, "cannot run"), "%s", out);
	g_free(out);
	cr_assert_eq(mmsim_in(d, "run --schedule 'x' order.scn", &out), 2, "%s", out);
	cr_assert(strstr(out, "bad --schedule"), "%s", out);
	g_free(out);
	cr_assert_eq(mmsim_in(d, "run --preemptions 0 order.scn", &out), 1, "%s", out);
	g_free(out);
	g_free(args);
	g_free(d);
}

/*
 * `sometimes`: the line must hold in one schedule at least. B's load
 * sees 0x11 in some and 0 in others: each form holds; a value no
 * schedule gives does not.
 */
Test(explorer, sometimes)
{
	static const char head[] =
		"policy dax-2017\npmem 64M\nfile f size=4K\nprocess A\nprocess B\n"
		"mmap A m f prot=rw shared nohuge\nmmap B n f prot=rw shared nohuge\n"
		"concurrent\nthread A\n    store A m+0 0x11\nthread B\n    sometimes load B n+0 => %s\nend\n";
	char *t, *d, *out = NULL;

	t = g_strdup_printf(head, "0x11");
	d = dir_with("s.scn", t);
	cr_assert_eq(mmsim_in(d, "run s.scn", &out), 0, "%s", out);
	cr_assert(strstr(out, "schedule(s), at most 2 preemption(s)"), "%s", out);
	g_free(out), g_free(t), g_free(d);
	t = g_strdup_printf(head, "0");
	d = dir_with("s.scn", t);
	cr_assert_eq(mmsim_in(d, "run s.scn", &out), 0, "%s", out);
	g_free(out), g_free(t), g_free(d);
	t = g_strdup_printf(head, "0x22");
	d = dir_with("s.scn", t);
	cr_assert_eq(mmsim_in(d, "run s.scn", &out), 1, "%s", out);
	cr_assert(strstr(out, "s.scn:12:15: held in none of the"), "%s", out);
	g_free(out), g_free(t), g_free(d);
}

/*
 * A `sometimes` line that held in no schedule is reported with its own
 * miss, not another line's: here the load's `=> 0` misses in the first
 * schedule (and holds in another), and the expectation after the block
 * misses in every one. (An mmsim bug, fixed: the report showed the first
 * miss of any `sometimes` line, the load's.)
 */
Test(explorer, sometimes_reports_its_own_miss)
{
	static const char t[] =
		"policy dax-2017\npmem 64M\nfile f size=4K\nprocess A\nprocess B\n"
		"mmap A m f prot=rw shared nohuge\nmmap B n f prot=rw shared nohuge\n"
		"concurrent\nthread A\n    store A m+0 0x11\nthread B\n    sometimes load B n+0 => 0\nend\n"
		"sometimes expect violated beyond-eof\n";
	char *d = dir_with("s.scn", t), *out = NULL;

	cr_assert_eq(mmsim_in(d, "run s.scn", &out), 1, "%s", out);
	cr_assert(strstr(out, "s.scn:14:11: held in none of the"), "%s", out);
	cr_assert(strstr(out, "expected beyond-eof to be violated"), "%s", out);
	g_free(out), g_free(d);
}

/* A block whose threads all finish does not satisfy `expect deadlock`. */
Test(explorer, expect_deadlock_that_did_not_happen)
{
	static const char t[] =
		"policy dax-2017\npmem 64M\nfile f size=4K\nprocess A\nprocess B\n"
		"mmap A m f prot=rw shared nohuge\nmmap B n f prot=rw shared nohuge\n"
		"concurrent\nthread A\n    store A m+0 0x11\nthread B\n    load B n+0\nend\n"
		"expect deadlock\n";
	char *d = dir_with("d.scn", t), *out = NULL;

	cr_assert_eq(mmsim_in(d, "run d.scn", &out), 1, "%s", out);
	cr_assert(strstr(out, "d.scn:14:1: expected a deadlock; every thread finished"), "%s", out);
	g_free(out);
	g_free(d);
}

/*
 * lock-order across threads with no deadlock: at bound 0 no schedule of
 * bug-punch-lock-order's punch and a truncate deadlocks (that needs a
 * preemption), and the inversion is reported all the same, both orders
 * with their threads, lines and sites; expected, the run passes.
 */
static const char lock_order_scn[] =
	"switch bug-punch-lock-order on\npolicy dax-2017\npmem 64M\nfile f dax size=16K\n"
	"process A\nprocess B\n"
	"concurrent\nthread A\n    punch f 0 4K\nthread B\n    truncate f 8K\nend\n%s";

Test(explorer, lock_order_without_a_deadlock)
{
	char *t = g_strdup_printf(lock_order_scn, ""), *d = dir_with("l.scn", t), *out = NULL;

	cr_assert_eq(mmsim_in(d, "run --preemptions 0 l.scn", &out), 1, "%s", out);
	cr_assert(strstr(out, "l.scn:7:1: invariant lock-order violated: i_rwsem then i_mmap_sem: "
			 "schedule 1, thread 2 (B) at line 11 `truncate f 8K` took i_mmap_sem in "
			 "ext4_setattr holding i_rwsem (vfs_truncate); but i_mmap_sem then i_rwsem "
			 "before: schedule 1, thread 1 (A) at line 9 `punch f 0 4K` took i_rwsem in "
			 "ext4_punch_hole holding i_mmap_sem (ext4_punch_hole)"), "%s", out);
	g_free(out), g_free(t), g_free(d);
	t = g_strdup_printf(lock_order_scn, "expect violated lock-order\n");
	d = dir_with("l.scn", t);
	cr_assert_eq(mmsim_in(d, "run --preemptions 0 l.scn", &out), 0, "%s", out);
	g_free(out), g_free(t), g_free(d);
	/* with one preemption a schedule deadlocks: nothing expected it */
	t = g_strdup_printf(lock_order_scn, "expect violated lock-order\n");
	d = dir_with("l.scn", t);
	cr_assert_eq(mmsim_in(d, "run --preemptions 1 l.scn", &out), 1, "%s", out);
	cr_assert(strstr(out, "deadlock: thread 1 (A) at line 9 sleeps on i_rwsem, held by thread 2; "
			 "thread 2 (B) at line 11 sleeps on i_mmap_sem, held by thread 1"), "%s", out);
	g_free(out), g_free(t), g_free(d);
}

/*
 * One thread: the inversion needs lockdep, which a run without threads
 * attaches only with --lockdep (or when a line expects lock-order).
 */
static const char lock_order_one_thread_scn[] =
	"switch bug-punch-lock-order on\npolicy dax-2017\npmem 64M\nfile f dax size=16K\n"
	"process A\npunch f 0 4K\ntruncate f 8K\n%s";

Test(explorer, lock_order_one_thread_with_lockdep)
{
	char *t = g_strdup_printf(lock_order_one_thread_scn, ""), *d = dir_with("l.scn", t);
	char *out = NULL;

	cr_assert_eq(mmsim_in(d, "run l.scn", &out), 0, "without lockdep: %s", out);
	g_free(out);
	cr_assert_eq(mmsim_in(d, "run --lockdep l.scn", &out), 1, "%s", out);
	cr_assert(strstr(out, "l.scn:7:1: invariant lock-order violated: i_rwsem then i_mmap_sem: "
			 "the scenario at line 7 `truncate f 8K` took i_mmap_sem in "
			 "ext4_setattr holding i_rwsem (vfs_truncate); but i_mmap_sem then i_rwsem "
			 "before: the scenario at line 6 `punch f 0 4K` took i_rwsem in "
			 "ext4_punch_hole holding i_mmap_sem (ext4_punch_hole)"), "%s", out);
	g_free(out), g_free(t), g_free(d);
	/* a line that expects it turns lockdep on by itself */
	t = g_strdup_printf(lock_order_one_thread_scn, "expect violated lock-order\n");
	d = dir_with("l.scn", t);
	cr_assert_eq(mmsim_in(d, "run l.scn", &out), 0, "%s", out);
	g_free(out), g_free(t), g_free(d);
}

/*
 * Found by the fuzzer (a 10 s timeout): six threads of loads on a
 * page-cache file have hundreds of thousands of schedules within two
 * preemptions. --max-steps counts the steps of every schedule, so the
 * exploration stops at the limit (exit 2) instead of running for minutes.
 */
Test(explorer, max_steps_counts_every_schedule)
{
	GString *t = g_string_new("pmem 64M\nfile f size=8K\nprocess A\n"
				  "mmap A m f prot=rw shared nohuge\nconcurrent\n");
	char *d, *out = NULL;

	for (int i = 0; i < 6; i++)
		g_string_append(t, "thread A\n    load A m+0\n");
	g_string_append(t, "end\n");
	d = dir_with("six.scn", t->str);
	cr_assert_eq(mmsim_in(d, "run --max-steps 20000 six.scn", &out), 2, "%s", out);
	cr_assert(strstr(out, "limit reached: 20000 steps over "), "%s", out);
	g_free(out), g_free(d);
	g_string_free(t, TRUE);
}
