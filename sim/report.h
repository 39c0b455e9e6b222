/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results other tools read: KTAP (--format=ktap) and JUnit XML (--junit).
 * The runner records one run_report a run (scenario x policy x bug
 * variant) with the outcome of each expectation; this prints them.
 */
#ifndef MMSIM_REPORT_H
#define MMSIM_REPORT_H

#include <glib.h>

/* One `expect ...` line or `=>` check that ran. */
struct expect_record {
	int line;
	char *text;		/* the line as written, comment stripped */
	int status;		/* RUN_PASS, RUN_FAIL, RUN_BAD_INPUT, RUN_NOT_MODELLED */
};

struct run_report {
	char *path;
	char *label;		/* "dax-2017, bug-x=on"; NULL when it did not parse */
	int status;
	char *story;		/* what went wrong, as the text output tells it */
	char *trace;		/* --trace output of the run */
	GArray *expects;	/* struct expect_record, in the order they ran */
};

struct run_report *run_report_new(const char *path, const char *label);
void run_report_add_expect(struct run_report *rep, int line, const char *text,
			   int status);
void run_report_free(gpointer p);

/* KTAP version 1, as kselftest prints it: one test a run. */
void report_ktap(GString *out, const GPtrArray *reports);
/* JUnit XML: a <testsuite> a file, a <testcase> a run. */
void report_junit(GString *out, const GPtrArray *reports);

#endif
