// SPDX-License-Identifier: GPL-2.0
/*
 * crash, remount, sync, syncfs and --crash-at / --crash-each
 * (docs/scenario-language.md, "Crash and remount"): bad input exits 2,
 * xip-2014's ext2 writes each inode at its fsync, durable-after-sync catches what a sync did not make
 * durable, and --crash-each counts its crash points.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "runner.h"

static int run(const char *text, const struct run_opts *o, GString *out)
{
	struct run_opts opts;

	if (o)
		opts = *o;
	else
		run_opts_init(&opts);
	return run_text("c.scn", text, &opts, out);
}

#define HEAD "pmem 64M\nfile f size=8K\nprocess A\nmmap A m f prot=rw shared nohuge\n"

Test(crash, bad_input_exits_2)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ HEAD "crash seed=x\n", "not a number" },
		{ HEAD "crash bogus\n", "unknown option" },
		{ HEAD "remount\n", "no crash before it" },
		{ HEAD "crash\nstore A m+0 1\n", "remount first" },
		{ HEAD "crash\nfile g size=4K\n", "remount first" },
		{ HEAD "crash\ncrash\n", "down already" },
		{ HEAD "crash\nremount\nstore A m+0 1\n", "has exited" },
		{ HEAD "sync f\n", "" },
		{ HEAD "syncfs\n", "" },
		{ HEAD "concurrent\nthread A\n    crash\nend\n", "cannot run in a thread" },
		{ HEAD "expect crash-violated\n", "at least one invariant" },
		{ HEAD "expect crash-violated durable-after-sink\n", "unknown invariant" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GString *out = g_string_new(NULL);

		cr_assert_eq(run(cases[i].text, NULL, out), RUN_BAD_INPUT, "%zu: %s", i, out->str);
		cr_assert(strstr(out->str, cases[i].msg), "%zu: %s", i, out->str);
		g_string_free(out, TRUE);
	}
}

/*
 * xip-2014: ext2_fsync() writes the inode (i_size, the block map) and no
 * data: the stored byte is lost, the size and the block are not; the
 * loss is a durable-after-sync violation the scenario must expect.
 */
Test(crash, xip_fsync_writes_the_inode_not_the_store)
{
	GString *out = g_string_new(NULL);
	const char *text = "policy xip-2014\n" HEAD "store A m+0 0x11\nfsync f\n"
			   "expect violated dirty-tracked\ncrash\nremount\n%s"
			   "expect stat f size=8K blocks=8\nread f 0 1 => 0\nexpect block f 0 0 durable\n";
	char *unexpected = g_strdup_printf(text, ""), *expected =
		g_strdup_printf(text, "expect violated durable-after-sync\n");

	cr_assert_eq(run(expected, NULL, out), RUN_PASS, "%s", out->str);
	g_string_truncate(out, 0);
	cr_assert_eq(run(unexpected, NULL, out), RUN_FAIL, "%s", out->str);
	cr_assert(strstr(out->str, "invariant durable-after-sync violated: file f: byte 0 reads 0 after the crash; 0x11 was synced"),
		  "%s", out->str);
	g_free(unexpected);
	g_free(expected);
	g_string_free(out, TRUE);
}

/* xip-2014: an inode nothing synced comes back empty; sync writes every inode. */
Test(crash, xip_unsynced_inode_comes_back_empty)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run("policy xip-2014\npmem 64M\nfile f size=8K\nfile g size=8K\n"
			 "write g 0 4K value=0x22 => ret=4096\nfsync f\ncrash\nremount\n"
			 "expect stat f size=8K blocks=0\nexpect stat g size=0 blocks=0\nexpect block-free 0\n"
			 "write g 0 4K value=0x33 => ret=4096\nsync\ncrash\nremount\n"
			 "expect stat g size=4K blocks=8\nread g 0 4K => 0x33\n", NULL, out),
		     RUN_PASS, "%s", out->str);
	g_string_free(out, TRUE);
}

/*
 * xip-2014: a block freed by a truncate nothing wrote, then given to a
 * file that was fsynced, is in both inodes after the crash: e2fsck's
 * duplicate-block passes are not modelled (exit 3).
 */
Test(crash, xip_block_in_two_inodes_is_not_modelled)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run("policy xip-2014\npmem 64M\nfile f size=4K data=0x11\nfsync f\n"
			 "truncate f 0\nfile g size=4K data=0x22\nexpect block g 0 0 durable\nfsync g\n"
			 "crash\n", NULL, out),
		     RUN_NOT_MODELLED, "%s", out->str);
	cr_assert(strstr(out->str, "e2fsck"), "%s", out->str);
	g_string_free(out, TRUE);
}

/* Synced survives, unsynced goes; a durable-after-sync violation must be expected. */
Test(crash, synced_survives_and_loss_is_caught)
{
	GString *out = g_string_new(NULL);
	const char *ok = HEAD "store A m+0 0x11\nfsync f\nstore A m+0x1000 0x22\ncrash seed=3\nremount\n"
			 "read f 0 1 => 0x11\nexpect stat f size=8K\n";
	const char *lost = "bug bug-writeback-no-flush\n" HEAD "store A m+0 0x11\nfsync f\n"
			   "[bug-writeback-no-flush] expect violated dirty-tracked\ncrash\nremount\n";

	cr_assert_eq(run(ok, NULL, out), RUN_PASS, "%s", out->str);
	g_string_truncate(out, 0);
	/* the variant's run fails at the remount: nothing expects the loss */
	cr_assert_eq(run(lost, NULL, out), RUN_FAIL, "%s", out->str);
	cr_assert(strstr(out->str, "invariant durable-after-sync violated: file f: byte 0 reads 0 after the crash; 0x11 was synced"),
		  "%s", out->str);
	g_string_free(out, TRUE);
}

/* A punch synced stays punched; a punch not synced may come back (not judged). */
Test(crash, punched_and_synced_stays_zero)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run("pmem 64M\nfile f size=8K data=0x33\nfsync f\npunch f 0 4K\nfsync f\n"
			 "punch f 4K 4K\ncrash\nremount\nread f 0 4K => 0\nread f 4K 4K => 0x33\n",
			 NULL, out), RUN_PASS, "%s", out->str);
	g_string_free(out, TRUE);
}

static char *scratch_file(const char *text)
{
	char *path = NULL;
	int fd = g_file_open_tmp("crash-XXXXXX.scn", &path, NULL);

	cr_assert(fd >= 0);
	cr_assert(g_file_set_contents(path, text, -1, NULL));
	close(fd);
	return path;
}

/* --crash-each: the steps that change durable state, each a crash point. */
Test(crash, crash_each_counts)
{
	/* file, store (allocates), fsync, store, msync: 5 points; mmap and loads none */
	char *path = scratch_file("policy dax-2017\n" HEAD "load A m+0\nstore A m+0 1\nfsync f\n"
				  "load A m+0x1000\nstore A m+0x1000 2\nmsync A m\n");
	char *bad = scratch_file("policy dax-2014\n" HEAD "store A m+0 1\nfsync f\n"
				 "expect violated dirty-tracked\n");
	struct run_opts opts;
	GString *out = g_string_new(NULL);
	char want[256];

	run_opts_init(&opts);
	opts.crash_max = RUN_CRASH_MAX;
	cr_assert_eq(run_file_crash_each(path, &opts, out), RUN_PASS, "%s", out->str);
	snprintf(want, sizeof(want), "CRASH %s [dax-2017] 5 crash point(s) of 5: 5 held, 0 expected (crash-violated), 0 failed\n", path);
	cr_assert_str_eq(out->str, want);
	/* a cap */
	g_string_truncate(out, 0);
	opts.crash_max = 2;
	cr_assert_eq(run_file_crash_each(path, &opts, out), RUN_PASS, "%s", out->str);
	cr_assert(strstr(out->str, "2 crash point(s) of 5: 2 held"), "%s", out->str);
	/* v4.0: the fsync flushes nothing; the crash after it loses the store */
	g_string_truncate(out, 0);
	opts.crash_max = 0;
	cr_assert_eq(run_file_crash_each(bad, &opts, out), RUN_FAIL, "%s", out->str);
	cr_assert(strstr(out->str, "--crash-at 5"), "%s", out->str);
	cr_assert(strstr(out->str, "3 crash point(s) of 3: 2 held, 0 expected (crash-violated), 1 failed"),
		  "%s", out->str);
	/* said by the scenario: expected */
	g_free(bad);
	bad = scratch_file("policy dax-2014\n[dax-2014] expect crash-violated durable-after-sync\n" HEAD
			   "store A m+0 1\nfsync f\nexpect violated dirty-tracked\n");
	g_string_truncate(out, 0);
	cr_assert_eq(run_file_crash_each(bad, &opts, out), RUN_PASS, "%s", out->str);
	cr_assert(strstr(out->str, "3 crash point(s) of 3: 2 held, 1 expected (crash-violated), 0 failed"),
		  "%s", out->str);
	g_unlink(path);
	g_unlink(bad);
	g_free(path);
	g_free(bad);
	g_string_free(out, TRUE);
}
