// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmarks (DESIGN.md §9): they print figures, they assert nothing.
 *
 *   mmsim-bench                      every case at full size
 *   mmsim-bench --case hole --mib N  one case, for callgrind (pmdhole: one
 *                                    PMD hole read per 2 MiB of N MiB)
 *   mmsim-bench --case mmaps --n N   N mappings
 *
 * hole:  seed 000's hole read, N MiB (1 GiB: 262,144 PTE faults) through a
 *        nohuge shared mapping, every invariant checked after every step.
 * write: write faults that allocate, N MiB (64 MiB: 16,384 faults), then
 *        msync, every invariant checked: each page a zeroed block with one
 *        byte stored over the zeroes.
 * writefault: write without the msync: the allocating write fault alone.
 * uniform: a file written with data= (N MiB of one byte), then read
 *        through a shared mapping, a load a page.
 * setup: `file f size=N data=1` alone (64 GiB: 16,777,216 pages), timed.
 * standing: 64 MiB read as holes by A, then written by B under
 *        bug-no-zero-unmap: a violation stands for every page of A, and
 *        each step still costs only what it touched (16,384 + 16,384 faults).
 * faultaround: a 64 MiB page-cache file read whole with read(2) (into
 *        the cache), then through a mapping: fault-around (64K) maps 16
 *        cached pages a fault, 1,024 faults.
 * pmdhole: a hole read a 2 MiB step through an aligned mapping, N MiB (1
 *        TiB: 524,288 PMD faults, each mapping the huge zero page); each
 *        pmd set is checked as its 512 pages.
 * mmaps: N one-page mappings of one file (N = 5k, 10k, 20k, 40k), each
 *        touched once (shared ones read, private ones written: a COW page
 *        and a private copy in the oracle), then every one unmapped; the
 *        time per mapping stays flat when nothing walks every mapping
 *        (issue 8).
 * explore: the schedule explorer on a write fault racing a truncate (two
 *        threads, every schedule with at most two preemptions, each a run
 *        from the start): schedules per second, best of 3; then each
 *        scenario of scenarios/ with a concurrent block, explored at bound
 *        2 under its default policy: schedules and time.
 * Figures: simulated faults per second (wall clock, best of 3), and the
 * memory per touched page: pmem contents, oracle and checker shadow state
 * (issue 8's target: <=64 B a page together), the rest of the model (page
 * tables, radix nodes, inodes) from its own accounting, and the heap.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

struct mem {
	unsigned long model_bytes, pmem_bytes;
	size_t checker_bytes, oracle_bytes, heap_bytes;
};

static void at_end(void *ctx, struct kernel *k, size_t checker_bytes,
		   size_t oracle_bytes)
{
	struct mem *m = ctx;

	/* the model's accounted objects plus the radix-tree nodes */
	m->model_bytes = k->model_bytes;
	m->pmem_bytes = k->pmem.bytes;
	for (guint i = 0; i < k->sb.inodes->len; i++) {
		struct inode *inode = g_ptr_array_index(k->sb.inodes, i);

		m->model_bytes += radix_tree_memory(&inode->i_data.page_tree);
	}
	m->checker_bytes = checker_bytes;
	m->oracle_bytes = oracle_bytes;
	m->heap_bytes = mallinfo2().uordblks;
}

static char *scenario(const char *kind, unsigned long mib)
{
	if (strcmp(kind, "hole") == 0)
		return g_strdup_printf(
			"policy dax-2017\npmem %luM\nfile data dax size=%luM\nprocess A\n"
			"mmap A m data prot=read shared nohuge\n"
			"touch A m 0..%luM read\nexpect faults A minor=%lu major=0\n"
			"expect smaps A m Rss=0\n",
			mib + 64, mib, mib, mib * 256);
	if (strcmp(kind, "faultaround") == 0)	/* a cached page-cache file, 16 pages a fault */
		return g_strdup_printf(
			"policy dax-2017\npmem %luM\nfaultaround 64K\nfile f size=%luM nodax data=1\n"
			"process A\nread f 0 %luM\nmmap A a f prot=read shared\n"
			"touch A a 0..%luM read\nexpect faults A minor=%lu major=0\n",
			mib + 64, mib, mib, mib, mib * 16);
	if (strcmp(kind, "standing") == 0)	/* bug-no-zero-unmap: a violation per page stands */
		return g_strdup_printf(
			"policy dax-2017\nswitch bug-no-zero-unmap on\npmem %luM\nfile f dax size=%luM\n"
			"process A\nprocess B\nmmap A a f prot=read shared nohuge\n"
			"mmap B b f prot=rw shared nohuge\ntouch A a 0..%luM read\n"
			"touch B b 0..%luM write value=1\n"
			"expect violated zero-page-stale pte-entry-coherent\n",
			mib + 64, mib, mib, mib);
	if (strcmp(kind, "pmdhole") == 0)	/* one PMD fault per 2 MiB: the huge zero page */
		return g_strdup_printf(
			"policy dax-2017\npmem 64M\nfile data dax size=%luM\nprocess A\n"
			"mmap A m data prot=read shared\n"
			"touch A m 0..%luM read step=2M\nexpect faults A minor=%lu major=0\n"
			"expect smaps A m Rss=0\n",
			mib, mib, mib / 2);
	if (strcmp(kind, "uniform") == 0)
		return g_strdup_printf(
			"policy dax-2017\npmem %luM\nfile data dax size=%luM data=1\nprocess A\n"
			"mmap A m data prot=read shared nohuge\n"
			"touch A m 0..%luM read\nexpect faults A minor=%lu major=0\n",
			mib + 64, mib, mib, mib * 256);
	if (strcmp(kind, "writefault") == 0)	/* write without its msync: the fault alone */
		return g_strdup_printf(
			"policy dax-2017\npmem %luM\nfile data dax size=%luM\nprocess A\n"
			"mmap A m data prot=rw shared nohuge\n"
			"touch A m 0..%luM write value=0x5a\nexpect faults A minor=0 major=%lu\n",
			mib + 64, mib, mib, mib * 256);
	if (strcmp(kind, "setup") == 0)
		return g_strdup_printf("policy dax-2017\npmem %luM\nfile data dax size=%luM data=1\n",
				       mib + 64, mib);
	return g_strdup_printf(
		"policy dax-2017\npmem %luM\nfile data dax size=%luM\nprocess A\n"
		"mmap A m data prot=rw shared nohuge\n"
		"touch A m 0..%luM write value=0x5a\nexpect faults A minor=0 major=%lu\n"
		"msync A m\n",
		mib + 64, mib, mib, mib * 256);
}

static int run_case(const char *kind, unsigned long mib, int repeat, bool print)
{
	char *text = scenario(kind, mib);
	/* pmdhole: one fault per 2 MiB; standing: A's and B's, a page each */
	unsigned long faults = !strcmp(kind, "pmdhole") ? mib / 2 :
			       !strcmp(kind, "faultaround") ? mib * 16 :
			       !strcmp(kind, "standing") ? mib * 512 : mib * 256;
	double best = 1e30;
	struct mem m = { 0 };
	int status = 0;

	for (int i = 0; i < repeat; i++) {
		struct run_opts opts;
		GString *out = g_string_new(NULL);
		size_t heap0 = mallinfo2().uordblks;
		gint64 t0 = g_get_monotonic_time();
		double s;

		run_opts_init(&opts);
		opts.quiet = true;
		opts.at_end = at_end;
		opts.at_end_ctx = &m;
		status = run_text(kind, text, &opts, out);
		s = (g_get_monotonic_time() - t0) / 1e6;
		if (status) {
			fprintf(stderr, "bench %s failed:\n%s", kind, out->str);
			g_string_free(out, TRUE);
			g_free(text);
			return status;
		}
		if (s < best)
			best = s;
		m.heap_bytes -= heap0;
		g_string_free(out, TRUE);
	}
	if (print && strcmp(kind, "setup") == 0) {
		printf("%-7s %6lu MiB  %8lu pages   %.3f s to set up `file f size=%luM data=1` (target < 1 s at 64 GiB)\n",
		       kind, mib, faults, best, mib);
	} else if (print) {
		size_t pmem = m.pmem_bytes, ours = pmem + m.oracle_bytes + m.checker_bytes;

		bool hole = strcmp(kind, "hole") == 0;
		/* page-cache pages hold 4K of data each: no per-page target */
		bool cached = strcmp(kind, "faultaround") == 0;

		printf("%-7s %6lu MiB  %8lu faults  %.3f s  %10.0f faults/s\n", kind, mib,
		       faults, best, faults / best);
		printf("        memory per page: pmem %.1f B + oracle %.1f B + checker %.1f B = %.1f B%s\n",
		       (double)pmem / faults, (double)m.oracle_bytes / faults,
		       (double)m.checker_bytes / faults, (double)ours / faults,
		       hole || cached ? "" : " (target <=64 B)");
		printf("        and the rest of the model (page tables, radix nodes, inodes) %.1f B: %.1f B in all%s; heap in use %.1f B\n",
		       (double)m.model_bytes / faults, (double)(ours + m.model_bytes) / faults,
		       hole ? " (target <=48 B)" : "", (double)m.heap_bytes / faults);
	}
	g_free(text);
	return 0;
}

/*
 * Mapping i maps file page 2i (one page apart, so no two merge), placed
 * bottom-up next to the one before; odd ones are private and written.
 */
static char *mmaps_scenario(unsigned long n)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "policy dax-2017\npmem 64M\nfile data dax size=%luK\n"
			       "process A\n", n * 8);
	for (unsigned long i = 0; i < n; i++) {
		if (i & 1)
			g_string_append_printf(s, "mmap A m%lu data len=4K off=%luK prot=rw private\n"
					       "store A m%lu+0 0x5a\n", i, i * 8, i);
		else
			g_string_append_printf(s, "mmap A m%lu data len=4K off=%luK prot=read shared\n"
					       "load A m%lu+0 => 0\n", i, i * 8, i);
	}
	for (unsigned long i = 0; i < n; i++)
		g_string_append_printf(s, "munmap A m%lu\n", i);
	g_string_append_printf(s, "expect rss A file=0 anon=0\nexpect faults A minor=%lu major=0\n",
			       n);
	return g_string_free(s, FALSE);
}

static int run_mmaps(unsigned long n, int repeat, bool print)
{
	char *text = mmaps_scenario(n);
	double best = 1e30;
	int status = 0;

	for (int i = 0; i < repeat && !status; i++) {
		struct run_opts opts;
		GString *out = g_string_new(NULL);
		gint64 t0 = g_get_monotonic_time();
		double s;

		run_opts_init(&opts);
		opts.quiet = true;
		status = run_text("mmaps", text, &opts, out);
		s = (g_get_monotonic_time() - t0) / 1e6;
		if (status)
			fprintf(stderr, "bench mmaps failed:\n%s", out->str);
		if (s < best)
			best = s;
		g_string_free(out, TRUE);
	}
	if (print && !status)
		printf("mmaps  %6lu mappings (mmap, one fault, munmap each)  %.3f s  %6.2f us per mapping\n",
		       n, best, best * 1e6 / n);
	g_free(text);
	return status;
}

static const char race_scn[] =
	"policy dax-2017\n"
	"pmem 64M\n"
	"file f size=8K\n"
	"process A\n"
	"process B\n"
	"mmap A m f prot=rw shared nohuge\n"
	"concurrent\n"
	"thread A\n"
	"    store A m+0 0x11\n"
	"thread B\n"
	"    truncate f 0\n"
	"end\n";

/* The schedules an exploration ran, from its PASS line. */
static unsigned long schedules_of(const char *out)
{
	const char *p = strstr(out, " steps, ");

	return p ? strtoul(p + strlen(" steps, "), NULL, 10) : 0;
}

static int run_explore(int repeat)
{
	double best = 0;
	unsigned long n = 0;
	GDir *dir;

	for (int i = 0; i < repeat; i++) {
		struct run_opts opts;
		GString *out = g_string_new(NULL);
		gint64 t0;
		double t;
		int status;

		run_opts_init(&opts);
		t0 = g_get_monotonic_time();
		status = run_text("race", race_scn, &opts, out);
		t = (g_get_monotonic_time() - t0) / 1e6;
		n = schedules_of(out->str);
		if (status || !n) {
			fprintf(stderr, "explore: %s", out->str);
			return 1;
		}
		if (!best || t < best)
			best = t;
		g_string_free(out, TRUE);
	}
	printf("explore  write fault vs truncate: %lu schedules in %.4f s, %.0f schedules/s (target >=100k/s)\n",
	       n, best, n / best);
	for (const char *const *d = (const char *const[]){ "scenarios/bugs", "scenarios/examples",
							   "scenarios/regress", NULL }; *d; d++) {
		const char *name;

		if (!(dir = g_dir_open(*d, 0, NULL)))
			continue;
		while ((name = g_dir_read_name(dir))) {
			char *path = g_build_filename(*d, name, NULL), *text = NULL;
			struct run_opts opts;
			GString *out = g_string_new(NULL);
			gint64 t0;

			if (g_str_has_suffix(name, ".scn") && g_file_get_contents(path, &text, NULL, NULL) &&
			    strstr(text, "\nconcurrent")) {
				run_opts_init(&opts);
				opts.quiet = false;
				t0 = g_get_monotonic_time();
				run_file(path, &opts, out);
				printf("explore  %-60s %7lu schedules %.3f s\n", path, schedules_of(out->str),
				       (g_get_monotonic_time() - t0) / 1e6);
			}
			g_free(text);
			g_free(path);
			g_string_free(out, TRUE);
		}
		g_dir_close(dir);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "--case") == 0 && strcmp(argv[2], "mmaps") == 0 &&
	    strcmp(argv[3], "--n") == 0)
		return run_mmaps(strtoul(argv[4], NULL, 0), 1, false);
	if (argc == 3 && strcmp(argv[1], "--case") == 0 && strcmp(argv[2], "explore") == 0)
		return run_explore(50);
	if (argc == 5 && strcmp(argv[1], "--case") == 0 && strcmp(argv[3], "--mib") == 0)
		return run_case(argv[2], strtoul(argv[4], NULL, 0), 1, true);
	if (argc != 1) {
		fprintf(stderr, "usage: mmsim-bench [--case hole|pmdhole|standing|faultaround|write|writefault|uniform|setup --mib N | --case mmaps --n N | --case explore]\n");
		return 2;
	}
	if (run_case("hole", 1024, 3, true) || run_case("write", 64, 3, true) ||
	    run_case("uniform", 64, 3, true) || run_case("setup", 64 << 10, 1, true) ||
	    run_case("pmdhole", 1 << 20, 1, true) || run_case("standing", 64, 3, true) ||
	    run_case("faultaround", 64, 3, true) || run_explore(50))
		return 1;
	for (unsigned long n = 5000; n <= 40000; n *= 2)
		if (run_mmaps(n, 3, true))
			return 1;
	return 0;
}
