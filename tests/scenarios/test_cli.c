// SPDX-License-Identifier: GPL-2.0
/*
 * The command line, run as a user runs it: $MMSIM (set by `make check`)
 * under /bin/sh, its exit status and what it prints.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>
#include <sys/wait.h>

static const char ok_scn[] =
	"file g size=4K\nprocess A\nmmap A p g\nload A p+0 => 0\n";

/* Run @script under sh in a fresh directory holding ok.scn; stdout+stderr into @out. */
static int sh(const char *script, char **out)
{
	const char *mmsim = g_getenv("MMSIM");
	char *dir = g_dir_make_tmp("mmsim-cli-XXXXXX", NULL);
	char *ok = g_build_filename(dir, "ok.scn", NULL);
	char *abs = g_canonicalize_filename(mmsim ? mmsim : "build/mmsim", NULL);
	char *cmd = g_strdup_printf("cd '%s' && M='%s' && { %s ; } 2>&1", dir, abs, script);
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	int wait = 0;

	cr_assert(dir);
	cr_assert(g_file_set_contents(ok, ok_scn, -1, NULL));
	cr_assert(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, out, NULL, &wait, NULL));
	g_free(cmd);
	g_free(abs);
	g_free(ok);
	g_free(dir);	/* left in /tmp: a few bytes, kept for a failure's post-mortem */
	cr_assert(WIFEXITED(wait), "%s: killed by signal", script);
	return WEXITSTATUS(wait);
}

static void expect(const char *script, int status, const char *needle)
{
	char *out = NULL;
	int st = sh(script, &out);

	cr_expect_eq(st, status, "`%s` exited %d, not %d:\n%s", script, st, status, out);
	cr_expect(strstr(out, needle), "`%s`: no '%s' in:\n%s", script, needle, out);
	g_free(out);
}

Test(cli, double_dash_ends_the_options)
{
	expect("cp ok.scn ./-x.scn && \"$M\" run -- -x.scn", 0, "PASS -x.scn");
}

/* ext2's s_maxbytes (ext2_max_size(12), v3.19): a larger file cannot exist under xip-2014 */
Test(cli, xip_file_past_ext2_limit_is_bad_input)
{
	expect("printf 'policy xip-2014\\nfile f size=2194719883265\\n' | \"$M\" run -", 2,
	       "<stdin>:2:1: file f: larger than xip-2014's largest file (s_maxbytes 2194719883264)");
	expect("printf 'policy xip-2014\\nfile f size=2194719883264\\n' | \"$M\" run -", 0,
	       "1 passed");
}

/* docs/invariants.md, "Per policy": no entries under xip-2014, nothing to be coherent with */
Test(cli, xip_invariant_that_does_not_apply)
{
	expect("printf 'policy xip-2014\\nfile f size=4K\\nprocess A\\nmmap A m f shared\\n"
	       "load A m+0 => 0\\nexpect violated pte-entry-coherent\\n' | \"$M\" run -", 3,
	       "<stdin>:6:1: the pte-entry-coherent invariant does not apply under xip-2014");
}

/*
 * dax-break-layout and dax-folio-refcount change what ext4_break_layouts()
 * does: without ext4-break-layouts (off under dax-2017) the run is refused,
 * at the `switch` line that set it, or at the first step for --switch.
 */
Test(cli, v6_15_switch_without_layout_break_is_refused)
{
	expect("printf 'policy dax-2017\nswitch dax-break-layout on\nfile f dax size=4K\n' | "
	       "\"$M\" run -", 2,
	       "<stdin>:2:1: switch dax-break-layout needs ext4-break-layouts, which is off under dax-2017");
	expect("\"$M\" run --policy dax-2017 --switch dax-folio-refcount=on ok.scn", 2,
	       "ok.scn:1:1: switch dax-folio-refcount needs ext4-break-layouts");
	expect("printf 'policy dax-2017\nswitch dax-break-layout on\nswitch ext4-break-layouts on\n"
	       "file f dax size=4K\n' | \"$M\" run -", 0, "1 passed");
	expect("printf 'policy modern\nswitch dax-folio-refcount on\nfile f dax size=4K\n' | "
	       "\"$M\" run -", 0, "1 passed");
}

/*
 * unbind-memory and unbind-storage: a scenario's second switch line is a
 * parse error; --switch turning on the other is refused before the run.
 */
Test(cli, both_unbind_switches_are_refused)
{
	expect("printf 'policy modern\nswitch unbind-memory on\nswitch unbind-storage on\n' | "
	       "\"$M\" run -", 2,
	       "<stdin>:3:1: unbind-memory and unbind-storage are two answers to one question: unbind-memory is on since line 2");
	expect("printf 'policy modern\nswitch unbind-memory on\nswitch unbind-memory off\n"
	       "switch unbind-storage on\nfile f dax size=4K\n' | \"$M\" run -", 0, "1 passed");
	expect("printf 'policy modern\nswitch unbind-memory on\nfile f dax size=4K\n' | "
	       "\"$M\" run --switch unbind-storage=on -", 2,
	       "<stdin>:2:1: unbind-memory and unbind-storage are two answers to one question");
}

/*
 * An unbind that waits for a page reference (v4.5's blk_cleanup_queue(),
 * the storage semantics' wait for pins) outside a thread: the run fails
 * as a hang at the unbind line, naming the handle (exit 1).
 */
Test(cli, unbind_waiting_outside_threads_is_a_hang)
{
	static const char scn[] =
		"pmem 64M\nfile f size=8K data=0x11\nprocess A\nmmap A a f prot=rw shared nohuge\n"
		"gup A a+0x1000 4K as H\nunbind\n";
	char *script = g_strdup_printf("printf '%s' > h.scn && \"$M\" run --policy dax-2016 h.scn", scn);

	expect(script, 1, "h.scn:6:1: a hang: unbind (dax-2016): blk_cleanup_queue() waits for the dev_pagemap reference v4.5's get_page() took, and no other thread runs to put the page (block 1, held by handle H)");
	g_free(script);
	script = g_strdup_printf("printf '%s' > h.scn && \"$M\" run --policy modern --switch unbind-storage=on h.scn", scn);
	expect(script, 1, "h.scn:6:1: a hang: unbind (unbind-storage) waits for the page references in flight, and no other thread runs to release them (block 1, held by handle H)");
	g_free(script);
	script = g_strdup_printf("printf '%s' > h.scn && \"$M\" run --policy modern h.scn", scn);
	expect(script, 1, "invariant dead-device-mapped violated");	/* 6.1's own unbind waits for nothing */
	g_free(script);
}

Test(cli, dash_reads_standard_input)
{
	expect("\"$M\" run - < ok.scn", 0, "PASS <stdin>");
	expect("cat ok.scn | \"$M\" run -", 0, "PASS <stdin>");
}

Test(cli, a_pipe_is_read)
{
	expect("mkfifo p && { cat ok.scn > p & } && \"$M\" run p", 0, "PASS p");
}

Test(cli, not_a_regular_file_is_refused)
{
	expect("\"$M\" run /dev/zero", 2, "/dev/zero:1:1: not a regular file");
	expect("mkdir d && \"$M\" run d", 2, "d:1:1: not a regular file");
}

/* A 1 GiB file (sparse) is refused by its size, without reading it. */
Test(cli, larger_than_the_limit_is_refused, .timeout = 20)
{
	expect("truncate -s 1G big.scn && \"$M\" run big.scn", 2,
	       "big.scn:1:1: larger than the limit of 16777216 bytes");
	expect("\"$M\" run --max-file-size=16 ok.scn", 2, "larger than the limit of 16 bytes");
	expect("head -c 17M /dev/zero | \"$M\" run -", 2, "<stdin>:1:1: larger than the limit");
	expect("\"$M\" run --max-file-size=1K ok.scn", 0, "PASS ok.scn");
	expect("\"$M\" run --max-file-size=banana ok.scn", 2, "bad --max-file-size 'banana'");
}

Test(cli, switches_takes_no_argument)
{
	expect("\"$M\" switches extra", 2, "mmsim switches: takes no argument ('extra')");
	expect("\"$M\" switches", 0, "no-zero-unmap");
}

Test(cli, no_file_is_a_usage_error)
{
	expect("\"$M\" run", 2, "Usage: mmsim run");
	expect("\"$M\" run --", 2, "no scenario file");
	expect("\"$M\" run missing.scn", 2, "missing.scn:1:1: cannot open");
}

/*
 * --policy all: a row a file, a column a policy, each cell padded to 12
 * after two spaces; the path column as wide as the longest path.
 * every policy is modelled in this release; `policies` leaves
 * columns out (-).
 * A failing cell names the line of the first failure; not-modelled cells
 * do not raise the exit status.
 */
Test(cli, policy_all_prints_a_table)
{
	expect("printf 'policies dax-2017 modern\\nfile f size=4K\\nprocess A\\nmmap A m f\\n"
	       "load A m+0 => 1\\n' > bad.scn && \"$M\" run --policy all ok.scn bad.scn", 1,
	       "file     xip-2014      dax-2014      dax-2016      dax-2017      modern      \n"
	       "ok.scn   pass          pass          pass          pass          pass        \n"
	       "bad.scn  -             -             -             fail:5        fail:5      \n");
	expect("\"$M\" run --policy all ok.scn", 0, "ok.scn  pass          pass");
	expect("\"$M\" run --policy al ok.scn", 2, "unknown policy 'al'");
}
