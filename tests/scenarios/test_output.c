// SPDX-License-Identifier: GPL-2.0
/*
 * Output other tools read (docs/output.md): KTAP and JUnit XML through the
 * command line ($MMSIM, run in a scratch directory so that paths are
 * short), and the fs_dax tracepoint lines (--trace=events) in-process.
 * Every expected text here is written from its definition: KTAP from
 * Documentation/dev-tools/ktap.rst, the trace lines from the TP_printk()
 * strings of include/trace/events/fs_dax.h and the path fs/dax.c (v4.14)
 * takes.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "runner.h"

/* ---- the command line ---- */

static const char pass_scn[] =
	"file f dax size=4K\n"
	"process A\n"
	"mmap A m f prot=read shared nohuge\n"
	"load A m+0 => 0\n"
	"expect pte A m+0 present ro zero\n";
static const char fail_scn[] =
	"file f dax size=4K data=1\n"
	"process A\n"
	"mmap A m f prot=read shared nohuge\n"
	"load A m+0 => 2\n";
/* fiemap: not modelled yet */
static const char nm_scn[] =
	"pmem 64M\n"
	"dram 64M\n"
	"process A\n"
	"fiemap\n";
static const char bad_scn[] =
	"file f dax size=4K\n"
	"frobnicate\n";

/* A scratch directory holding the four scenarios. */
static char *scratch(void)
{
	char *dir = g_dir_make_tmp("mmsim-output-XXXXXX", NULL);
	static const char *const names[] = { "pass.scn", "fail.scn", "nm.scn", "bad.scn" };
	const char *texts[] = { pass_scn, fail_scn, nm_scn, bad_scn };

	cr_assert(dir);
	for (int i = 0; i < 4; i++) {
		char *p = g_build_filename(dir, names[i], NULL);

		cr_assert(g_file_set_contents(p, texts[i], -1, NULL));
		g_free(p);
	}
	return dir;
}

static void rm_scratch(char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		char *p = g_build_filename(dir, name, NULL);

		g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
	g_free(dir);
}

/* Run argv[0] in @dir; its stdout into *out, its exit status returned. */
static int spawn(const char *dir, char **argv, char **out)
{
	GError *err = NULL;
	int wait = 0;

	cr_assert(g_spawn_sync(dir, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
			       NULL, NULL, out, NULL, &wait, &err),
		  "%s: %s", argv[0], err ? err->message : "?");
	cr_assert(WIFEXITED(wait));
	return WEXITSTATUS(wait);
}

static char *mmsim_path(void)
{
	const char *m = g_getenv("MMSIM");

	cr_assert(m, "MMSIM names the mmsim binary (make check sets it)");
	return g_canonicalize_filename(m, NULL);
}

/*
 * KTAP version 1: the version line, the plan (four runs), then a result
 * line a run. A run's expectations are its subtests, indented four
 * spaces with their own version line and plan; a run that reaches its end
 * has one more subtest for the invariants and results nobody expected.
 * The failure story is diagnostic lines ("# ") directly before the result
 * line of what failed. Not modelled is "ok ... # SKIP reason"; bad input
 * is "not ok" after its file:line:col diagnostic. kselftest's
 * ksft_print_cnts() line ends it.
 */
static const char ktap_want[] =
	"KTAP version 1\n"
	"1..4\n"
	"    KTAP version 1\n"
	"    1..3\n"
	"    ok 1 pass.scn:4 load A m+0 => 0\n"
	"    ok 2 pass.scn:5 expect pte A m+0 present ro zero\n"
	"    ok 3 pass.scn: invariants and unexpected results\n"
	"ok 1 pass.scn [dax-2017]\n"
	"    KTAP version 1\n"
	"    1..1\n"
	"    # fail.scn:4:15: expected 0x2, got 0x1\n"
	"    #   steps so far (line, step):\n"
	"    #        1           1  file f dax size=4K data=1\n"
	"    #        2           2  process A\n"
	"    #        3           3  mmap A m f prot=read shared nohuge\n"
	"    #   >    4           4  load A m+0 => 2\n"
	/* the objects of the failed load: its file around index 0, its PTEs */
	"    #   file f: i_size 4096, 1 blocks; around index 0:\n"
	"    #     > index 0      entry block 0                  map written block 0\n"
	"    #         PTE of process A m+0: present ro clean young special -> block 0\n"
	"    #       index 1      entry none                     map hole\n"
	"    #       index 2      entry none                     map hole\n"
	"    #   process A page tables around the address:\n"
	"    #     > m+0              present ro clean young special -> block 0   (file f index 0)\n"
	"    not ok 1 fail.scn:4 load A m+0 => 2\n"
	"not ok 2 fail.scn [dax-2017]\n"
	"ok 3 nm.scn [dax-2017] # SKIP nm.scn:4:1: not modelled yet: fiemap\n"
	"# bad.scn:2:1: unknown command 'frobnicate' (one of: "
	"policy, policies, switch, bug, pmem, dram, file, faultaround, readahead, process, exit, fork, mmap, munmap, mprotect, madvise, msync, load, store, touch, read, write, truncate, punch, zero, fallocate, fsync, collapse, insert, check, expect, flush, show, mremap, gup, put_page, pin, unpin, dma, reclaim, poison, unbind, crash, remount, fiemap, sync, syncfs, close, thread, concurrent, end, schedule)\n"
	"not ok 4 bad.scn\n"
	"# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:1\n";

Test(output, ktap_pass_fail_skip_bad_input)
{
	char *dir = scratch(), *mmsim = mmsim_path(), *out = NULL;
	char *argv[] = { mmsim, "run", "--format=ktap", "pass.scn", "fail.scn", "nm.scn",
			 "bad.scn", NULL };

	/* exit status as in text mode: the highest */
	cr_assert_eq(spawn(dir, argv, &out), 3, "%s", out);
	cr_assert_str_eq(out, ktap_want);
	g_free(out);
	g_free(mmsim);
	rm_scratch(dir);
}

Test(output, junit_is_well_formed_xml)
{
	char *dir = scratch(), *mmsim = mmsim_path(), *out = NULL, *xml = NULL, *p;
	char *argv[] = { mmsim, "run", "--quiet", "--junit=out.xml", "pass.scn", "fail.scn",
			 "nm.scn", "bad.scn", NULL };
	char *lint[] = { "xmllint", "--noout", "out.xml", NULL };
	int n = 0;

	cr_assert_eq(spawn(dir, argv, &out), 3, "%s", out);
	g_free(out);
	/* xmllint (libxml2-utils, scripts/deps.sh) accepts it */
	cr_assert_eq(spawn(dir, lint, &out), 0, "xmllint refused out.xml");
	g_free(out);
	p = g_build_filename(dir, "out.xml", NULL);
	cr_assert(g_file_get_contents(p, &xml, NULL, NULL));
	g_free(p);
	cr_assert(strstr(xml, "<testsuites name=\"mmsim\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\">"),
		  "%s", xml);
	for (p = xml; (p = strstr(p, "<testcase ")); p++)
		n++;
	cr_assert_eq(n, 4, "one testcase a run:\n%s", xml);
	cr_assert(strstr(xml, "<testcase name=\"dax-2017\" classname=\"fail.scn\">\n"
			      "      <failure message=\"fail.scn:4:15: expected 0x2, got 0x1\">"),
		  "%s", xml);
	cr_assert(strstr(xml, "<skipped message=\"nm.scn:4:1: not modelled yet: fiemap"), "%s", xml);
	/* escaped: the quote of 'frobnicate' and the > of => */
	cr_assert(strstr(xml, "<error message=\"bad.scn:2:1: unknown command &apos;frobnicate&apos; (one of: "),
		  "%s", xml);
	cr_assert(strstr(xml, "ok pass.scn:4 load A m+0 =&gt; 0\n"), "%s", xml);
	g_free(xml);
	g_free(mmsim);
	rm_scratch(dir);
}

/* ---- --trace=events ---- */

static char *trace_of(const char *text)
{
	struct run_opts opts;
	GString *out = g_string_new(NULL);

	run_opts_init(&opts);
	opts.trace_events = true;
	opts.quiet = true;
	cr_assert_eq(run_text("t.scn", text, &opts, out), 0, "%s", out->str);
	return g_string_free(out, FALSE);
}

/*
 * trace-cmd report's prefix (libtraceevent: "%16s-%-5d [%03d] %5lu.%06lu:
 * %s: " and the name padded to 20), with mmsim's process for the task,
 * its creation number for the pid, and step.event for the timestamp.
 */
static void want_line(GString *w, const char *comm, int pid, int step, int seq,
		      const char *event, const char *fields)
{
	g_string_append_printf(w, "%16s-%-5d [000] %5d.%06d: %s: %*s%s\n", comm, pid, step, seq,
			       event, (int)(20 - strlen(event)) > 0 ? (int)(20 - strlen(event)) : 0,
			       "", fields);
}

/*
 * A read of a hole, v4.14: dax_iomap_pte_fault() fires dax_pte_fault with
 * result 0 (__print_flags of 0 prints nothing: the line ends in a space),
 * dax_load_hole() fires dax_load_hole with VM_FAULT_NOPAGE, and the fault
 * ends with dax_pte_fault_done NOPAGE. A user read fault carries
 * ALLOW_RETRY|KILLABLE|USER (x86 __do_page_fault). Format:
 * "dev %d:%d ino %#lx %s %s address %#lx pgoff %#lx %s".
 */
Test(output, trace_hole_read)
{
	char *got = trace_of("file f dax size=16K\nprocess A\n"
			     "mmap A m f prot=read shared nohuge\nload A m+0x2000 => 0\n");
	GString *w = g_string_new(NULL);

	want_line(w, "A", 1, 4, 0, "dax_pte_fault",
		  "dev 259:0 ino 0xc shared ALLOW_RETRY|KILLABLE|USER address m+0x2000 pgoff 0x2 ");
	want_line(w, "A", 1, 4, 1, "dax_load_hole",
		  "dev 259:0 ino 0xc shared ALLOW_RETRY|KILLABLE|USER address m+0x2000 pgoff 0x2 NOPAGE");
	want_line(w, "A", 1, 4, 2, "dax_pte_fault_done",
		  "dev 259:0 ino 0xc shared ALLOW_RETRY|KILLABLE|USER address m+0x2000 pgoff 0x2 NOPAGE");
	cr_assert_str_eq(got, w->str);
	g_string_free(w, TRUE);
	g_free(got);
}

/*
 * A write over a hole, then msync, v4.14. ext4_iomap_begin(IOMAP_WRITE)
 * allocates (IOMAP_F_NEW: VM_FAULT_MAJOR), dax_insert_mapping() fires
 * dax_insert_mapping ("dev %d:%d ino %#lx %s %s address %#lx radix_entry
 * %#lx") with the locked entry of the new block: file g's data took block
 * 0, so f gets block 1, sector 8, and the entry is 8 << RADIX_DAX_SHIFT (6)
 * | RADIX_DAX_ENTRY_LOCK (4) | RADIX_TREE_EXCEPTIONAL_ENTRY (2) = 0x206.
 * The fault returns dax_fault_return(0) | major = MAJOR|NOPAGE.
 *
 * msync(MS_SYNC) of the 16 KiB mapping writes back bytes 0..0x3fff:
 * dax_writeback_range "pgoff 0x0-0x3", then dax_writeback_one for the one
 * dirty entry ("pgoff %#lx pglen %#lx": 0x1, one page), and
 * dax_writeback_range_done prints start_index as the pagevec loop left it:
 * the last index found plus one, 0x2.
 */
Test(output, trace_write_fault_and_msync)
{
	char *got = trace_of("file g dax size=4K data=1\nfile f dax size=16K\nprocess A\n"
			     "mmap A m f prot=rw shared nohuge\nstore A m+0x1000 7\n"
			     "msync A m\n");
	GString *w = g_string_new(NULL);

	want_line(w, "A", 1, 5, 0, "dax_pte_fault",
		  "dev 259:0 ino 0xd shared WRITE|ALLOW_RETRY|KILLABLE|USER address m+0x1000 pgoff 0x1 ");
	want_line(w, "A", 1, 5, 1, "dax_insert_mapping",
		  "dev 259:0 ino 0xd shared write address m+0x1000 radix_entry 0x206");
	want_line(w, "A", 1, 5, 2, "dax_pte_fault_done",
		  "dev 259:0 ino 0xd shared WRITE|ALLOW_RETRY|KILLABLE|USER address m+0x1000 pgoff 0x1 MAJOR|NOPAGE");
	want_line(w, "A", 1, 6, 0, "dax_writeback_range", "dev 259:0 ino 0xd pgoff 0x0-0x3");
	want_line(w, "A", 1, 6, 1, "dax_writeback_one", "dev 259:0 ino 0xd pgoff 0x1 pglen 0x1");
	want_line(w, "A", 1, 6, 2, "dax_writeback_range_done", "dev 259:0 ino 0xd pgoff 0x2-0x3");
	cr_assert_str_eq(got, w->str);
	g_string_free(w, TRUE);
	g_free(got);
}

/*
 * Without nohuge the fault tries a PMD first: dax_iomap_pmd_fault() fires
 * dax_pmd_fault (result 0) and, as the 2 MiB would leave the 16 KiB VMA,
 * dax_pmd_fault_done FALLBACK; then the PTE fault. Format: "dev %d:%d ino
 * %#lx %s %s address %#lx vm_start %#lx vm_end %#lx pgoff %#lx max_pgoff
 * %#lx %s"; max_pgoff is DIV_ROUND_UP(i_size, PAGE_SIZE) = 4.
 */
Test(output, trace_pmd_fallback)
{
	char *got = trace_of("file f dax size=16K\nprocess A\n"
			     "mmap A m f prot=read shared\nload A m+0 => 0\n");
	GString *w = g_string_new(NULL);
	const char *pmd = "dev 259:0 ino 0xc shared ALLOW_RETRY|KILLABLE|USER address m+0 "
			  "vm_start m+0 vm_end m+0x4000 pgoff 0x0 max_pgoff 0x4 ";
	char *done = g_strconcat(pmd, "FALLBACK", NULL);

	want_line(w, "A", 1, 4, 0, "dax_pmd_fault", pmd);
	want_line(w, "A", 1, 4, 1, "dax_pmd_fault_done", done);
	cr_assert(g_str_has_prefix(got, w->str), "got:\n%s\nwant first:\n%s", got, w->str);
	cr_assert(strstr(got, "dax_pte_fault_done:   dev 259:0 ino 0xc shared ALLOW_RETRY|KILLABLE|USER address m+0 pgoff 0x0 NOPAGE\n"),
		  "%s", got);
	g_free(done);
	g_string_free(w, TRUE);
	g_free(got);
}

/*
 * PMD faults that map, v4.14. A read of a 2 MiB hole: dax_pmd_load_hole()
 * fires dax_pmd_load_hole ("dev %d:%d ino %#lx %s address %#lx zero_page
 * %p radix_entry %#lx") with the entry dax_insert_mapping_entry() returns,
 * locked: RADIX_TREE_EXCEPTIONAL_ENTRY (2) | RADIX_DAX_ENTRY_LOCK (4) |
 * RADIX_DAX_PMD (8) | RADIX_DAX_ZERO_PAGE (0x10), sector 0: 0x1e. A write
 * to the other 2 MiB: ext4 allocates it whole (blocks 0-511 of a fresh
 * device, sector 0), and dax_pmd_insert_mapping fires ("... %s %s address
 * %#lx length %#lx pfn %#llx %s radix_entry %#lx") with length 2 MiB
 * (dax_direct_access() returns min(avail, nr_pages)), pmem's pfn_t flags
 * DEV|MAP, and the locked PMD entry of sector 0: 2 | 4 | 8 = 0xe. The pfn
 * is the model's: pmem starts at pfn 0x100000.
 */
Test(output, trace_pmd_load_hole_and_insert_mapping)
{
	char *got = trace_of("file f dax size=4M\nprocess A\n"
			     "mmap A m f prot=rw shared\nload A m+0x1000 => 0\n"
			     "store A m+0x200000 1\n");
	const char *hole = "dax_pmd_load_hole:    dev 259:0 ino 0xc shared address m+0x1000 zero_page ffffea";
	const char *ins = "dax_pmd_insert_mapping: dev 259:0 ino 0xc shared write address m+0x200000 "
			  "length 0x200000 pfn 0x100000 DEV|MAP radix_entry 0xe\n";
	char *at = strstr(got, hole);

	cr_assert(at, "%s", got);
	cr_assert(strstr(at, " radix_entry 0x1e\n"), "%s", got);
	cr_assert(strstr(got, "dax_pmd_fault_done:   dev 259:0 ino 0xc shared ALLOW_RETRY|KILLABLE|USER "
			 "address m+0x1000 vm_start m+0 vm_end m+0x400000 pgoff 0x1 max_pgoff 0x400 NOPAGE\n"),
		  "%s", got);
	cr_assert(strstr(got, ins), "%s", got);
	cr_assert_null(strstr(got, "dax_pte_fault"), "no PTE fault: %s", got);
	g_free(got);
}

/*
 * The same faults under modern (dax-xarray; 6.1 fs/dax.c L77-88,
 * dax_pmd_load_hole() L1165): the entry dax_insert_entry() returns is
 * the unlocked XArray value xa_mk_value(pfn << DAX_SHIFT | DAX_PMD |
 * DAX_ZERO_PAGE) of the huge zero page's pfn, that is
 * ((pfn << 4 | 2 | 4) << 1) | 1; no code in 6.1 fires
 * dax_pmd_insert_mapping.
 */
Test(output, trace_modern_xarray_entries)
{
	char *got = trace_of("policy modern\nfile f dax size=4M\nprocess A\n"
			     "mmap A m f prot=rw shared\nload A m+0x1000 => 0\n"
			     "store A m+0x200000 1\n");
	const char *hole = "dax_pmd_load_hole:    dev 259:0 ino 0xc shared address m+0x1000 zero_page ";
	char *at = strstr(got, hole), want[64];
	unsigned long zp, pfn;

	cr_assert(at, "%s", got);
	cr_assert_eq(sscanf(at + strlen(hole), "%lx", &zp), 1, "%s", got);
	pfn = (zp - 0xffffea0000000000UL) / 64;
	snprintf(want, sizeof(want), " radix_entry 0x%lx\n", ((pfn << 4 | 6) << 1) | 1);
	cr_assert(strstr(at, want), "%s in %s", want, got);
	cr_assert_null(strstr(got, "dax_pmd_insert_mapping"), "%s", got);
	cr_assert(strstr(got, "dax_pmd_fault_done:   dev 259:0 ino 0xc shared WRITE|ALLOW_RETRY|KILLABLE|USER "
			 "address m+0x200000 vm_start m+0 vm_end m+0x400000 pgoff 0x200 max_pgoff 0x400 NOPAGE\n"),
		  "%s", got);
	g_free(got);
}

/*
 * A MAP_SYNC write fault on a hole under modern (map-sync): the PTE fault
 * ends with NEEDDSYNC (and MAJOR: ext4 allocated), then
 * dax_finish_sync_fault() fsyncs the page and fires
 * dax_insert_pfn_mkwrite with NOPAGE. The rig's probes/dax_dirty_and_sync.c
 * counted these events: dax.sync_hole.pte_fault_done=1,
 * insert_pfn_mkwrite=1, insert_pfn_mkwrite_no_entry=0. The fsync finds
 * no DIRTY entry (the synchronous insert left it clean): no writeback.
 */
Test(output, trace_modern_map_sync_fault)
{
	char *got = trace_of("policy modern\nfile f dax size=16K\nprocess A\n"
			     "mmap A m f prot=rw shared-validate sync\nstore A m+0x1000 0x42\n");

	cr_assert(strstr(got, "dax_pte_fault_done:   dev 259:0 ino 0xc shared WRITE|ALLOW_RETRY|KILLABLE|USER "
			 "address m+0x1000 pgoff 0x1 MAJOR|NEEDDSYNC\n"), "%s", got);
	cr_assert(strstr(got, "dax_insert_pfn_mkwrite: dev 259:0 ino 0xc shared WRITE|ALLOW_RETRY|KILLABLE|USER "
			 "address m+0x1000 pgoff 0x1 NOPAGE\n"), "%s", got);
	cr_assert_null(strstr(got, "no_entry"), "%s", got);
	cr_assert_null(strstr(got, "dax_writeback_one"), "%s", got);
	g_free(got);
}

/*
 * modern (dax-xarray): dax_writeback_range_done prints where 6.1's
 * xas_for_each_marked() left xas.xa_index (lib/xarray.c
 * xas_find_marked()): the end of the 64-slot node after the last entry,
 * or of the node above when the walk climbs, or 1 when a lone entry at
 * index 0 sits in xa_head. The rig printed exactly these
 * (probes/dax_writeback_range_trace.c, Debian 6.1.192, ext4 -o dax; a
 * file fsynced clean, stores through a nohuge shared mapping, then fsync
 * or msync of the first 16 KiB):
 *   p1_fsync     pgoff 0x40-0x7ffffffffffff
 *   p1_msync     pgoff 0x40-0x3
 *   p0_fsync     pgoff 0x1-0x7ffffffffffff
 *   p1_2_fsync   pgoff 0x40-0x7ffffffffffff
 *   p0_100_fsync pgoff 0x1000-0x7ffffffffffff
 *   p0_100_msync pgoff 0x40-0x3
 * (v4.14's pagevec walk prints the last index found plus one: 0x2, 0x2,
 * 0x1, 0x3, 0x65, 0x65.)
 */
Test(output, trace_modern_writeback_range_done)
{
	static const struct { const char *size, *stores, *sync, *want; } cases[] = {
		{ "16K", "store A m+0x1000 0x22\n", "fsync f\n", "pgoff 0x40-0x7ffffffffffff\n" },
		{ "16K", "store A m+0x1000 0x22\n", "msync A m 0 16K\n", "pgoff 0x40-0x3\n" },
		{ "16K", "store A m+0 0x22\n", "fsync f\n", "pgoff 0x1-0x7ffffffffffff\n" },
		{ "16K", "store A m+0x1000 0x22\nstore A m+0x2000 0x22\n", "fsync f\n",
		  "pgoff 0x40-0x7ffffffffffff\n" },
		{ "1M", "store A m+0 0x22\nstore A m+0x64000 0x22\n", "fsync f\n",
		  "pgoff 0x1000-0x7ffffffffffff\n" },
		{ "1M", "store A m+0 0x22\nstore A m+0x64000 0x22\n", "msync A m 0 16K\n",
		  "pgoff 0x40-0x3\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = g_strdup_printf("policy modern\nfile f dax size=%s data=0x11\nfsync f\n"
					     "process A\nmmap A m f prot=rw shared nohuge\n%s%s",
					     cases[i].size, cases[i].stores, cases[i].sync);
		char *got = trace_of(text);
		char *done = strstr(got, "dax_writeback_range_done");

		cr_assert(done, "%s", got);
		done = strstr(done, "pgoff ");
		cr_assert(done && strncmp(done, cases[i].want, strlen(cases[i].want)) == 0,
			  "case %zu: want %s in %s", i, cases[i].want, got);
		g_free(got);
		g_free(text);
	}
}

/*
 * scenarios/regress/modern-pmd-sigbus-before-fallback.scn, whose header
 * gives the source: a private write 2 MiB past EOF. 6.1 (modern) tests
 * i_size before dax_fault_check_fallback(): dax_pmd_fault_done SIGBUS and
 * no PTE fault. v4.14 (dax-2017) falls back for the COW first: the PTE
 * fault fires and ends SIGBUS.
 */
Test(output, trace_pmd_sigbus_before_fallback)
{
	const char *path = "scenarios/regress/modern-pmd-sigbus-before-fallback.scn";
	const char *done = "dax_pmd_fault_done:   dev 259:0 ino 0xc private WRITE|ALLOW_RETRY|"
			   "KILLABLE|USER address m+0x200000 vm_start m+0 vm_end m+0x400000 "
			   "pgoff 0x200 max_pgoff 0x4 ";
	char *text, *got, *sigbus = g_strconcat(done, "SIGBUS\n", NULL);
	char *fallback = g_strconcat(done, "FALLBACK\n", NULL);
	struct run_opts opts;
	GString *out = g_string_new(NULL);

	cr_assert(g_file_get_contents(path, &text, NULL, NULL));
	got = trace_of(text);
	cr_assert(strstr(got, sigbus), "%s", got);
	cr_assert_null(strstr(got, "4.000002: dax_pte_fault"), "%s", got);
	run_opts_init(&opts);
	opts.trace_events = true;
	opts.quiet = true;
	opts.policy = POLICY_DAX_2017;
	cr_assert_eq(run_text("t.scn", text, &opts, out), 0, "%s", out->str);
	cr_assert(strstr(out->str, fallback), "%s", out->str);
	cr_assert(strstr(out->str, "4.000003: dax_pte_fault_done:   dev 259:0 ino 0xc private "
				   "WRITE|ALLOW_RETRY|KILLABLE|USER address m+0x200000 pgoff 0x200 SIGBUS\n"),
		  "%s", out->str);
	g_string_free(out, TRUE);
	g_free(sigbus);
	g_free(fallback);
	g_free(got);
	g_free(text);
}
