// SPDX-License-Identifier: GPL-2.0
/*
 * A failure reads as a story: the numbered steps, the invariant or the
 * expectation with file:line:col, and a dump of the objects involved in
 * symbolic names. These tests run scenarios that must fail and read what
 * they print.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "runner.h"

static int run(const char *text, GString *out, const char *sw, int on)
{
	struct run_opts opts;

	run_opts_init(&opts);
	if (sw)
		opts.sw[switch_lookup(sw)] = on;
	return run_text("story.scn", text, &opts, out);
}

static const char stale[] =
	"policy dax-2017\n"
	"pmem 64M\n"
	"file data dax size=16K\n"
	"process A\n"
	"process B\n"
	"mmap A a data prot=read shared nohuge\n"
	"mmap B b data prot=rw shared nohuge\n"
	"load A a+0 => 0\n"
	"store B b+0 0x5a\n"
	"load A a+0 => 0x5a\n";

Test(story, invariant_violation_tells_the_steps_and_dumps_the_objects)
{
	GString *out = g_string_new(NULL);
	GRegex *host = g_regex_new("0x5[0-9a-f]{11}", 0, 0, NULL);

	cr_assert_eq(run(stale, out, "bug-no-zero-unmap", 1), 1, "%s", out->str);
	cr_assert(strstr(out->str, "FAIL story.scn [dax-2017, bug-no-zero-unmap=on]"), "%s", out->str);
	cr_assert(strstr(out->str, "story.scn:9:1: invariant zero-page-stale violated: process A a+0 maps the zero page, but file data index 0 is block 0 (written)"),
		  "%s", out->str);
	/* the steps, numbered, with the failing one marked */
	cr_assert(strstr(out->str, "           1  file data dax size=16K"), "%s", out->str);
	cr_assert(strstr(out->str, ">    9           7  store B b+0 0x5a"), "%s", out->str);
	/* the dump: entry, block map, and every PTE of the index */
	cr_assert(strstr(out->str, "> index 0      entry block 0 DIRTY"), "%s", out->str);
	cr_assert(strstr(out->str, "PTE of process A a+0: present ro clean young special -> the zero page"),
		  "%s", out->str);
	cr_assert(strstr(out->str, "PTE of process B b+0: present rw dirty young special -> block 0"),
		  "%s", out->str);
	cr_assert(!g_regex_match(host, out->str, 0, NULL), "a host address leaked:\n%s", out->str);
	g_regex_unref(host);
	g_string_free(out, TRUE);
}

Test(story, same_scenario_passes_without_the_variant)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run(stale, out, NULL, 0), 0, "%s", out->str);
	g_string_free(out, TRUE);
}

Test(story, unexpected_signal_and_failed_expectation)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run("file f dax size=4K\nprocess A\nmmap A m f len=8K prot=read shared nohuge\n"
			 "load A m+0x1000\n", out, NULL, 0), 1);
	cr_assert(strstr(out->str, "story.scn:4:1: SIGBUS, and nothing expected it"), "%s", out->str);
	g_string_truncate(out, 0);
	cr_assert_eq(run("file f dax size=4K data=1\nprocess A\nmmap A m f prot=read shared nohuge\n"
			 "load A m+0 => 2\n", out, NULL, 0), 1);
	cr_assert(strstr(out->str, "story.scn:4:15: expected 0x2, got 0x1"), "%s", out->str);
	/* and the objects the load touched */
	cr_assert(strstr(out->str, "file f: i_size 4096, 1 blocks; around index 0:"), "%s", out->str);
	cr_assert(strstr(out->str, "> m+0              present ro clean young special -> block 0"),
		  "%s", out->str);
	g_string_truncate(out, 0);
	cr_assert_eq(run("file f dax size=4K\nprocess A\nmmap A m f prot=read shared nohuge\n"
			 "load A m+0\nexpect pte A m+0 write\n", out, NULL, 0), 1);
	cr_assert(strstr(out->str, "expected the PTE to be write; it is present ro clean young special -> the zero page"),
		  "%s", out->str);
	cr_assert(strstr(out->str, "process A page tables around the address:"), "%s", out->str);
	g_string_free(out, TRUE);
}

Test(story, not_modelled_says_where)
{
	GString *out = g_string_new(NULL);

	/* one super_block: an ext4 (nodax) file under xip-2014 past ext2's largest file */
	cr_assert_eq(run("policy xip-2014\nprocess A\nfile f size=8T nodax\n", out, NULL, 0), 3);
	cr_assert(strstr(out->str, "story.scn:3:1: not modelled yet: a page-cache file under xip-2014 "
			 "larger than ext2's largest file"), "%s", out->str);
	g_string_truncate(out, 0);
	/* v4.14's mremap walks a DAX huge pmd as a PTE table (CVE-2020-10757) */
	cr_assert_eq(run("file f dax size=4M\nwrite f 0 4M value=1\nprocess A\n"
			 "mmap A m f prot=read shared\nload A m+0 => 1\n"
			 "mmap A n f len=4K prot=read shared nohuge\nmremap A m 8M maymove\n",
			 out, NULL, 0), 3);
	cr_assert(strstr(out->str, "story.scn:7:1: not modelled yet: mremap moving a DAX huge pmd"),
		  "%s", out->str);
	g_string_truncate(out, 0);
	/* v4.5's insert range that would carry a block past EXT_MAX_BLOCKS */
	cr_assert_eq(run("policy dax-2016\nfile f dax size=8K\nwrite f 0 4K value=1\n"
			 "fallocate f 0xfffffffe000 0x1000 keep-size\ninsert f 0 0x1000\n",
			 out, NULL, 0), 3);
	cr_assert(strstr(out->str, "story.scn:5:1: not modelled yet: insert range moving a block past "
			 "EXT_MAX_BLOCKS under dax-2016"), "%s", out->str);
	g_string_truncate(out, 0);
	cr_assert_eq(run("file f dax size=4K\nprocess A\nfiemap f\n", out, NULL, 0), 3);
	cr_assert(strstr(out->str, "story.scn:3:1: not modelled yet: fiemap"), "%s", out->str);
	g_string_free(out, TRUE);
}

/* fork of a process that exited: a run-time error at the fork, status 2 */
Test(story, fork_of_an_exited_process)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run("process A\nexit A\nfork A B\n", out, NULL, 0), 2);
	cr_assert(strstr(out->str, "ERROR story.scn"), "%s", out->str);
	cr_assert(strstr(out->str, "story.scn:3:1: process A has exited"), "%s", out->str);
	g_string_truncate(out, 0);
	/* the child of an exited parent's earlier fork lives on */
	cr_assert_eq(run("file f dax size=4K data=0x11\nprocess A\n"
			 "mmap A m f prot=rw private nohuge\nstore A m+0 0x22\n"
			 "fork A B\nexit A\nload B m+0 => 0x22\nload B m+1 => 0x11\n",
			 out, NULL, 0), 0, "%s", out->str);
	g_string_free(out, TRUE);
}

Test(story, livelock_is_reported)
{
	GString *out = g_string_new(NULL);

	/*
	 * With the zero page left mapped in B itself, B's write fault maps
	 * nothing (insert_pfn finds the zero-page PTE: -EBUSY) and B faults
	 * for ever: the kernel would livelock; mmsim reports it.
	 */
	cr_assert_eq(run("file f dax size=4K\nprocess B\nmmap B b f prot=rw shared nohuge\n"
			 "load B b+0\nstore B b+0 1\n", out, "bug-no-zero-unmap", 1), 1);
	cr_assert(strstr(out->str, "livelock: the store of process B b+0 faulted 8 times"), "%s", out->str);
	g_string_free(out, TRUE);
}
