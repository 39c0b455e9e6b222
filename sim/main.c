// SPDX-License-Identifier: GPL-2.0
/* mmsim: the command line. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "runner.h"
#include "scenario.h"

static const char usage_text[] =
	"Usage: mmsim run [--policy P] [--switch NAME=on|off]... [--trace[=WHAT]] [--quiet]\n"
	"                 [--format=text|ktap] [--junit=FILE] [--max-file-size SIZE]\n"
	"                 [--max-steps N] [--max-memory SIZE] [--preemptions N]\n"
	"                 [--schedule CHOICES] [--lockdep] [--crash-at N | --crash-each\n"
	"                 [--crash-max N]] [--crash-seed S] [--] FILE...   (FILE '-': standard input)\n"
	"       mmsim switches\n"
	"Run 'mmsim run --help' for the details.\n";

static const char run_help[] =
	"Replays scenario files against the model of the Linux DAX fault path and\n"
	"checks every invariant after every step.\n"
	"\n"
	"Policies: xip-2014 dax-2014 dax-2016 dax-2017 modern (all modelled).\n"
	"Under xip-2014 a dax file is a file of ext2 mounted -o xip. A scenario's\n"
	"`policy` line is overridden by --policy. --policy all runs each file under\n"
	"every policy its `policies` line names and prints a table of the outcomes.\n"
	"A scenario that names bug variants (`bug NAME`) runs once without them and\n"
	"once with each. A FILE '-' is the standard input; '--' ends the options.\n"
	"\n"
	"A scenario has one operation or expectation a line (full reference:\n"
	"mmsim-scenario(5), docs/scenario-language.md). [X] is optional, A|B one of:\n"
	"  setup     policy P | policies P... | switch NAME on|off | bug NAME | pmem SIZE\n"
	"            | dram SIZE\n"
	"  objects   file F [dax|nodax] [size=N] [data=B] [mode=rw|ro] | process A\n"
	"            | exit A | fork A B (B: a copy of A, its mappings by their names)\n"
	"  mappings  mmap A M F [len=N] [off=N] [addr=N] [prot=none|read|write|rw]\n"
	"              [shared|private|shared-validate] [fixed] [populate] [sync]\n"
	"              [nohuge]\n"
	"            munmap A M [OFF [LEN]] | mprotect A M [OFF [LEN]] prot=P\n"
	"            madvise A M [OFF [LEN]] dontneed|hugepage|nohugepage|remove\n"
	"            msync A M [OFF [LEN]] [sync|async] [invalidate]\n"
	"            mremap A M NEWLEN [maymove] [fixed addr=N]\n"
	"  accesses  load A ADDR [size=1|2|4|8] | store A ADDR V [size=1|2|4|8]\n"
	"            touch A M START..END read|write [value=V] [size=S] [step=N]\n"
	"            flush A M OFF LEN     (ADDR: M, M+OFF or an address)\n"
	"  syscalls  read F OFF LEN [into P ADDR] [direct] | write F OFF LEN value=B|from P ADDR [direct]\n"
	"            truncate F SIZE | punch F OFF LEN | zero F OFF LEN [keep-size]\n"
	"            fallocate F OFF LEN [keep-size] | fsync F | close F\n"
	"  checks    check | OP => ok|V|SIGBUS|SIGSEGV|-EXXX|ret=N\n"
	"            expect result R | pte A ADDR [STATE...] [block=N]\n"
	"            | entry F INDEX [STATE...] [block=N]\n"
	"            | block F INDEX hole|unwritten|mapped|N [durable|volatile]\n"
	"            | block-free N | owner N F INDEX | rss A [file=S] [anon=S]\n"
	"            | smaps A M FIELD=S... | faults A [minor=N] [major=N]\n"
	"            | memory used=S | stat F [size=N] [blocks=N]\n"
	"            | mtime F changed|unchanged | violated INVARIANT...\n"
	"            | deadlock | lost-wakeup | livelock (right after a block's end)\n"
	"            pte STATE: none present write ro dirty clean young old zero anon\n"
	"            special; entry STATE: none empty zero dirty clean towrite\n"
	"            !towrite locked unlocked; smaps FIELD: Size Rss Pss Shared_Clean\n"
	"            Shared_Dirty Private_Clean Private_Dirty Referenced Anonymous\n"
	"            AnonHugePages\n"
	"  show      smaps A M | maps A | status A | faults A | pte A ADDR\n"
	"            | entry F INDEX | block F INDEX | tree F\n"
	"  threads   concurrent / thread A / OPS... / thread B / OPS... / end: every\n"
	"            schedule with at most --preemptions N (default 2) preemptions;\n"
	"            sometimes LINE: LINE holds in one schedule at least;\n"
	"            schedule POINT:THREAD...: one schedule alone (docs/explorer.md)\n"
	"  crash     sync | syncfs F | crash [seed=S] | remount (then every file is\n"
	"            checked: durable-after-sync); expect crash-violated INV... says\n"
	"            what a crash of --crash-at/--crash-each may break\n"
	"  pins      gup PROC ADDR LEN [write] [fast] [longterm] as H, put_page H;\n"
	"            pin PROC ADDR LEN [write] [fast] [longterm] as H, unpin H\n"
	"  not modelled yet (exit 3): fiemap\n"
	"  [COND,!COND,A+B] LINE runs LINE only under a policy or switch (any item;\n"
	"            A+B: both);\n"
	"  # starts a comment. Sizes: 4K 2M 1G 1T, 0x hex.\n"
	"Invariants are checked after every step (docs/invariants.md); lock-order\n"
	"and no-lock-leak (lockdep) in a scenario with threads, or everywhere with\n"
	"--lockdep.\n"
	"\n"
	"Output (docs/output.md): --trace, -t or --trace=steps prints every step;\n"
	"--trace=events prints the kernel's fs_dax tracepoints as the modelled\n"
	"release fires them, the way trace-cmd report prints them, with the step\n"
	"for the timestamp and mapping+offset for addresses; --trace=all both.\n"
	"--format=ktap prints KTAP version 1 (one test a run: scenario x policy x\n"
	"bug variant; a subtest for each expectation; not modelled is SKIP).\n"
	"--junit=FILE also writes JUnit XML there (one testcase a run).\n"
	"\n"
	"Exit status: 0 every expectation and invariant held; 1 one failed (the\n"
	"story of the failure is printed: the steps, the invariant or expectation,\n"
	"and a dump of the objects involved); 2 bad input or usage, reported as\n"
	"file:line:col; 3 the scenario uses something not modelled yet. With\n"
	"several files, the highest.\n"
	"\n"
	"Limits: a run stops with 'limit reached' at the line and exit status 2\n"
	"(LIMIT) past --max-steps steps of work (default 10000000) or past\n"
	"--max-memory bytes of model, checker and oracle state (default 4G);\n"
	"0 means no limit. A file larger than --max-file-size (default 16M) is\n"
	"refused.\n"
	"\n"
	"Crashes: --crash-at N crashes after step N, remounts, checks every\n"
	"invariant and ends the run there; --crash-each does that after each step\n"
	"that changes durable data or metadata (at most --crash-max, default 256,\n"
	"spread over them), under the scenario's own policy, and prints how many\n"
	"held, were expected (expect crash-violated) or failed.";

static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

/* A limit's value: a number or a size (10M, 4G); unchanged when not given. */
static bool parse_limit(const char *flag, const char *arg, size_t *out)
{
	uint64_t v;

	if (!arg)
		return true;
	if (!parse_size(arg, &v) || v > SIZE_MAX) {
		fprintf(stderr, "mmsim run: %s: '%s' is not a number or size\n", flag, arg);
		return false;
	}
	*out = v;
	return true;
}

/* Every switch: its name, what it does, where it comes from, the policies it changes. */
static int cmd_switches(void)
{
	for (int i = 0; i < NR_SWITCHES; i++) {
		const struct switch_desc *d = &switch_descs[i];

		printf("%-24s %s%s\n", d->name, d->bug ? "(bug variant) " : "", d->summary);
		printf("%-24s from: %s\n", "", d->origin);
		printf("%-24s policies:", "");
		for (int p = 0; p < NR_POLICIES; p++)
			if (d->policies & (1u << p))
				printf(" %s", policy_names[p]);
		printf("\n");
	}
	return 0;
}

/* --trace[=steps|events|all] */
static gboolean parse_trace(const char *name, const char *value, gpointer data,
			    GError **err)
{
	struct run_opts *o = data;

	if (!value || !strcmp(value, "steps") || !strcmp(value, "all"))
		o->trace = true;
	if (value && (!strcmp(value, "events") || !strcmp(value, "all")))
		o->trace_events = true;
	if (!o->trace && !o->trace_events) {
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "bad --trace '%s' (steps, events or all)", value);
		return FALSE;
	}
	return TRUE;
}

static int cmd_run(int argc, char **argv)
{
	/* freed on every return, the usage errors included */
	g_autofree char *policy = NULL, *format = NULL, *junit = NULL, *max_file = NULL;
	g_autofree char *max_steps = NULL, *max_memory = NULL, *schedule = NULL;
	g_autofree char *crash_at = NULL, *crash_max = NULL, *crash_seed = NULL;
	gboolean crash_each = FALSE;
	g_autoptr(GArray) choices = NULL;
	gint preemptions = 2;
	g_auto(GStrv) switches = NULL, files = NULL;
	gboolean quiet = FALSE, trace_steps = FALSE, lockdep = FALSE;
	GOptionEntry entries[] = {
		{ "policy", 'p', 0, G_OPTION_ARG_STRING, &policy,
		  "Run under policy P (xip-2014, dax-2014, dax-2016, dax-2017, modern), or under each (all: a table)", "P|all" },
		{ "switch", 's', 0, G_OPTION_ARG_STRING_ARRAY, &switches,
		  "Force one switch on or off (see `mmsim switches`)", "NAME=on|off" },
		{ "trace", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_trace,
		  "Print every step (steps, the default), the fs_dax tracepoints (events), or both (all)",
		  "steps|events|all" },
		/* -t stays --trace=steps: a short option's optional value would take the FILE */
		{ "trace-steps", 't', G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &trace_steps, NULL, NULL },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "Print results as text (the default) or KTAP version 1 (ktap)", "text|ktap" },
		{ "junit", 0, 0, G_OPTION_ARG_FILENAME, &junit, "Also write JUnit XML to FILE", "FILE" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print only failures and the summary", NULL },
		{ "max-steps", 0, 0, G_OPTION_ARG_STRING, &max_steps,
		  "Stop a run past N steps of work (default 10000000; 0: no limit)", "N" },
		{ "max-memory", 0, 0, G_OPTION_ARG_STRING, &max_memory,
		  "Stop a run past SIZE of model state (default 4G; 0: no limit)", "SIZE" },
		{ "preemptions", 0, 0, G_OPTION_ARG_INT, &preemptions,
		  "The explorer's bound: schedules with at most N preemptions (default 2)", "N" },
		{ "schedule", 0, 0, G_OPTION_ARG_STRING, &schedule,
		  "Run one schedule of the threads alone: POINT:THREAD choices, as a failure prints them", "CHOICES" },
		{ "lockdep", 0, 0, G_OPTION_ARG_NONE, &lockdep,
		  "Check lock-order and no-lock-leak in every run, not only with threads (slower)", NULL },
		{ "crash-at", 0, 0, G_OPTION_ARG_STRING, &crash_at,
		  "Crash after step N, remount, check every invariant and stop there", "N" },
		{ "crash-each", 0, 0, G_OPTION_ARG_NONE, &crash_each,
		  "Crash and remount after each step that changes durable data or metadata, a run each; print how many held", NULL },
		{ "crash-max", 0, 0, G_OPTION_ARG_STRING, &crash_max,
		  "--crash-each: at most N crash points a file, spread over its steps (default 256; 0: all)", "N" },
		{ "crash-seed", 0, 0, G_OPTION_ARG_STRING, &crash_seed,
		  "The crash of --crash-at/--crash-each: S not 0 lets a half of the dirty lines, chosen by S, survive", "S" },
		{ "max-file-size", 0, 0, G_OPTION_ARG_STRING, &max_file,
		  "Refuse scenario files larger than SIZE (default 16M)", "SIZE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("- replay scenario files ('-': standard input)");
	GError *err = NULL;
	struct run_opts opts;
	int status = 0, counts[4] = { 0 }, nr_files;
	bool all;
	g_autoptr(GString) out = g_string_new(NULL);
	GOptionGroup *group;
	bool ktap;

	g_set_prgname("mmsim run");
	run_opts_init(&opts);
	/* the group carries &opts to parse_trace() */
	group = g_option_group_new(NULL, NULL, NULL, &opts, NULL);
	g_option_group_add_entries(group, entries);
	g_option_context_set_main_group(ctx, group);
	g_option_context_set_description(ctx, run_help);
	/*
	 * glib gives an optional value the next argument when it does not
	 * start with '-': a bare --trace must not take the FILE after it.
	 */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--trace"))
			argv[i] = (char *)"--trace=steps";
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "mmsim run: %s\n", err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return usage();
	}
	g_option_context_free(ctx);
	all = policy && !strcmp(policy, "all");
	if (policy && !all) {
		opts.policy = policy_lookup(policy);
		if (opts.policy < 0) {
			char *h = name_hint(policy, policy_names, NR_POLICIES);

			fprintf(stderr, "mmsim run: unknown policy '%s' (%s)\n", policy, h);
			g_free(h);
			return usage();
		}
	}
	for (char **s = switches; s && *s; s++) {
		char *eq = strchr(*s, '=');
		int id;

		if (eq)
			*eq = 0;
		id = switch_lookup(*s);
		if (id < 0) {
			const char *names[NR_SWITCHES];
			char *h;

			for (int i = 0; i < NR_SWITCHES; i++)
				names[i] = switch_descs[i].name;
			h = name_hint(*s, names, NR_SWITCHES);
			fprintf(stderr, "mmsim run: unknown switch '%s' (%s)\n", *s, h);
			g_free(h);
			return usage();
		}
		if (!eq || (strcmp(eq + 1, "on") && strcmp(eq + 1, "off"))) {
			fprintf(stderr, "mmsim run: bad --switch '%s' (NAME=on|off; see `mmsim switches`)\n", *s);
			return usage();
		}
		opts.sw[id] = strcmp(eq + 1, "on") == 0;
	}
	if (!parse_limit("--max-steps", max_steps, &opts.max_steps) ||
	    !parse_limit("--max-memory", max_memory, &opts.max_memory))
		return usage();
	if (max_file) {
		uint64_t n;

		if (!parse_size(max_file, &n) || !n || n > SIZE_MAX) {
			fprintf(stderr, "mmsim run: bad --max-file-size '%s' (a size: 16M, 1G)\n", max_file);
			return usage();
		}
		opts.max_file_bytes = n;
	}
	if (preemptions < 0 || preemptions > 16) {
		fprintf(stderr, "mmsim run: bad --preemptions %d (0 to 16)\n", preemptions);
		return usage();
	}
	opts.preemptions = preemptions;
	opts.lockdep = lockdep;
	{
		uint64_t v;

		if (crash_at && (!parse_size(crash_at, &v) || !v)) {
			fprintf(stderr, "mmsim run: bad --crash-at '%s' (a step number, from 1)\n", crash_at);
			return usage();
		}
		if (crash_at)
			opts.crash_at = v;
		opts.crash_max = RUN_CRASH_MAX;
		if (crash_max && !parse_size(crash_max, &v)) {
			fprintf(stderr, "mmsim run: bad --crash-max '%s' (a number; 0: every point)\n", crash_max);
			return usage();
		}
		if (crash_max)
			opts.crash_max = v;
		if (crash_seed && !parse_size(crash_seed, &v)) {
			fprintf(stderr, "mmsim run: bad --crash-seed '%s' (a number)\n", crash_seed);
			return usage();
		}
		if (crash_seed)
			opts.crash_seed = v;
		opts.crash_each = crash_each;
		if (crash_each && crash_at) {
			fprintf(stderr, "mmsim run: --crash-each and --crash-at: one or the other\n");
			return usage();
		}
		if ((crash_each || crash_at) && all) {
			fprintf(stderr, "mmsim run: --crash-each and --crash-at run one policy: not with --policy all\n");
			return usage();
		}
	}
	if (schedule) {
		g_autofree char *msg = NULL;

		if (!(choices = parse_choices(schedule, &msg))) {
			fprintf(stderr, "mmsim run: bad --schedule: %s\n", msg);
			return usage();
		}
		opts.schedule = choices;
	}
	opts.quiet = quiet;
	opts.trace |= trace_steps;
	if (format && strcmp(format, "text") && strcmp(format, "ktap")) {
		fprintf(stderr, "mmsim run: bad --format '%s' (text or ktap)\n", format);
		return usage();
	}
	ktap = format && !strcmp(format, "ktap");
	nr_files = files ? g_strv_length(files) : 0;
	if (!nr_files) {
		fprintf(stderr, "mmsim run: no scenario file\n");
		return usage();
	}
	if (ktap || junit)
		opts.reports = g_ptr_array_new_with_free_func(run_report_free);
	if (all) {
		GPtrArray *rows = g_ptr_array_new_with_free_func(policy_row_free);

		for (int i = 0; i < nr_files; i++) {
			int st = run_file_all_policies(files[i], &opts, rows);

			if (st > status)
				status = st;
		}
		if (ktap)
			report_ktap(out, opts.reports);
		else
			print_policy_table(out, rows);
		fputs(out->str, stdout);
		g_ptr_array_free(rows, TRUE);
		if (opts.reports)
			g_ptr_array_free(opts.reports, TRUE);
		return status;
	}
	for (int i = 0; i < nr_files; i++) {
		int st = crash_each ? run_file_crash_each(files[i], &opts, out) :
				      run_file(files[i], &opts, out);

		counts[st]++;
		if (st > status)
			status = st;
		if (!ktap) {
			fputs(out->str, stdout);
			fflush(stdout);
		}
		g_string_truncate(out, 0);
	}
	if (ktap) {
		report_ktap(out, opts.reports);
		fputs(out->str, stdout);
		g_string_truncate(out, 0);
	} else {
		printf("%d file(s): %d passed, %d failed, %d bad input, %d not modelled\n",
		       nr_files, counts[0], counts[1], counts[2], counts[3]);
	}
	if (junit) {
		GError *werr = NULL;

		report_junit(out, opts.reports);
		if (!g_file_set_contents(junit, out->str, out->len, &werr)) {
			fprintf(stderr, "mmsim run: %s\n", werr->message);
			g_error_free(werr);
			status = 2;
		}
	}
	if (opts.reports)
		g_ptr_array_free(opts.reports, TRUE);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "switches") == 0) {
		if (argc == 2)
			return cmd_switches();
		fprintf(stderr, "mmsim switches: takes no argument ('%s')\n", argv[2]);
		return usage();
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	fprintf(stderr, "mmsim: unknown command '%s'\n", argv[1]);
	return usage();
}
