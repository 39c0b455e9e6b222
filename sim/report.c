// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP and JUnit XML from the runs' records (docs/output.md).
 *
 * KTAP version 1 (Documentation/dev-tools/ktap.rst): a version line, a
 * plan "1..N", then one result line a run, "ok N name", "not ok N name" or
 * "ok N name # SKIP reason". A run's expectations are its subtests: their
 * own version line and plan, indented four spaces, before the run's
 * result line. Diagnostics ("# ...") come directly before the result line
 * they are about.
 */
#include <string.h>

#include "report.h"
#include "runner.h"

struct run_report *run_report_new(const char *path, const char *label)
{
	struct run_report *rep = g_new0(struct run_report, 1);

	rep->path = g_strdup(path);
	rep->label = g_strdup(label);
	rep->expects = g_array_new(FALSE, FALSE, sizeof(struct expect_record));
	return rep;
}

void run_report_add_expect(struct run_report *rep, int line, const char *text,
			   int status)
{
	struct expect_record e = { line, g_strdup(text), status };

	g_array_append_val(rep->expects, e);
}

void run_report_free(gpointer p)
{
	struct run_report *rep = p;

	for (guint i = 0; i < rep->expects->len; i++)
		g_free(g_array_index(rep->expects, struct expect_record, i).text);
	g_array_free(rep->expects, TRUE);
	g_free(rep->path);
	g_free(rep->label);
	g_free(rep->story);
	g_free(rep->trace);
	g_free(rep);
}

/* ---- KTAP ---- */

static char *run_name(const struct run_report *rep)
{
	if (!rep->label)
		return g_strdup(rep->path);
	return g_strdup_printf("%s [%s]", rep->path, rep->label);
}

/* The first line of @text, for a SKIP reason or a message attribute. */
static char *first_line(const char *text)
{
	const char *nl = text ? strchr(text, '\n') : NULL;

	if (!text)
		return g_strdup("");
	return nl ? g_strndup(text, nl - text) : g_strdup(text);
}

/* Every line of @text as a diagnostic line, at @indent. */
static void ktap_diag(GString *out, const char *indent, const char *text)
{
	char **lines;

	if (!text || !*text)
		return;
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l || l[1])	/* not the empty piece after the last '\n' */
			g_string_append_printf(out, "%s# %s\n", indent, *l);
	g_strfreev(lines);
}

/* "ok", "not ok" or "ok ... # SKIP reason" for a RUN_* status. */
static void ktap_result(GString *out, const char *indent, guint n,
			const char *name, int status, const char *story)
{
	if (status == RUN_NOT_MODELLED) {
		char *reason = first_line(story);

		g_string_append_printf(out, "%sok %u %s # SKIP %s\n", indent, n, name, reason);
		g_free(reason);
		return;
	}
	g_string_append_printf(out, "%s%s %u %s\n", indent,
			       status == RUN_PASS ? "ok" : "not ok", n, name);
}

static bool failed(int status)
{
	return status == RUN_FAIL || status == RUN_BAD_INPUT;
}

/*
 * A run's subtests: each expectation that ran, then "invariants and
 * unexpected results" when the run ended without an expectation failing
 * (passed, or failed on something no expectation names). The story goes
 * before the result line of what failed.
 */
static bool ktap_subtests(GString *out, const struct run_report *rep)
{
	const char *in = "    ";
	guint n = rep->expects->len;
	bool any_failed = false, last;

	for (guint i = 0; i < n; i++)
		any_failed |= failed(g_array_index(rep->expects, struct expect_record, i).status);
	last = !any_failed && (rep->status == RUN_PASS || rep->status == RUN_FAIL);
	if (!n && !last)
		return false;
	g_string_append_printf(out, "%sKTAP version 1\n%s1..%u\n", in, in, n + last);
	for (guint i = 0; i < n; i++) {
		const struct expect_record *e = &g_array_index(rep->expects, struct expect_record, i);
		char *name = g_strdup_printf("%s:%d %s", rep->path, e->line, e->text);

		if (failed(e->status))
			ktap_diag(out, in, rep->story);
		ktap_result(out, in, i + 1, name, e->status, rep->story);
		g_free(name);
	}
	if (last) {
		char *name = g_strdup_printf("%s: invariants and unexpected results", rep->path);

		if (rep->status == RUN_FAIL)
			ktap_diag(out, in, rep->story);
		ktap_result(out, in, n + 1, name, rep->status, NULL);
		g_free(name);
	}
	return any_failed || last;
}

void report_ktap(GString *out, const GPtrArray *reports)
{
	guint counts[4] = { 0 };

	g_string_append_printf(out, "KTAP version 1\n1..%u\n", reports->len);
	for (guint i = 0; i < reports->len; i++) {
		const struct run_report *rep = g_ptr_array_index(reports, i);
		char *name = run_name(rep);
		bool told;

		counts[rep->status]++;
		ktap_diag(out, "", rep->trace);
		told = ktap_subtests(out, rep);
		if (!told && failed(rep->status))
			ktap_diag(out, "", rep->story);
		ktap_result(out, "", i + 1, name, rep->status, rep->story);
		g_free(name);
	}
	/* ksft_print_cnts() */
	g_string_append_printf(out, "# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:%u\n",
			       counts[RUN_PASS], counts[RUN_FAIL], counts[RUN_NOT_MODELLED],
			       counts[RUN_BAD_INPUT]);
}

/* ---- JUnit XML ---- */

static void xml_attr(GString *out, const char *key, const char *val)
{
	char *esc = g_markup_escape_text(val, -1);

	g_string_append_printf(out, " %s=\"%s\"", key, esc);
	g_free(esc);
}

static void xml_text(GString *out, const char *text)
{
	char *esc = g_markup_escape_text(text, -1);

	g_string_append(out, esc);
	g_free(esc);
}

static void junit_counts(GString *out, const GPtrArray *reports, guint from, guint to)
{
	guint counts[4] = { 0 };

	for (guint i = from; i < to; i++)
		counts[((struct run_report *)g_ptr_array_index(reports, i))->status]++;
	g_string_append_printf(out, " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\"",
			       to - from, counts[RUN_FAIL], counts[RUN_BAD_INPUT],
			       counts[RUN_NOT_MODELLED]);
}

static void junit_testcase(GString *out, const struct run_report *rep)
{
	static const char *const elem[] = {
		[RUN_FAIL] = "failure", [RUN_BAD_INPUT] = "error",
	};
	char *msg = first_line(rep->story);

	g_string_append(out, "    <testcase");
	xml_attr(out, "name", rep->label ? rep->label : rep->path);
	xml_attr(out, "classname", rep->path);
	g_string_append(out, ">\n");
	if (rep->status == RUN_NOT_MODELLED) {
		g_string_append(out, "      <skipped");
		xml_attr(out, "message", msg);
		g_string_append(out, "/>\n");
	} else if (rep->status != RUN_PASS) {
		g_string_append_printf(out, "      <%s", elem[rep->status]);
		xml_attr(out, "message", msg);
		g_string_append(out, ">");
		xml_text(out, rep->story);
		g_string_append_printf(out, "</%s>\n", elem[rep->status]);
	}
	if (rep->expects->len || (rep->trace && *rep->trace)) {
		GString *sys = g_string_new(NULL);

		for (guint i = 0; i < rep->expects->len; i++) {
			const struct expect_record *e =
				&g_array_index(rep->expects, struct expect_record, i);

			g_string_append_printf(sys, "%s %s:%d %s\n",
					       e->status == RUN_PASS ? "ok" :
					       e->status == RUN_NOT_MODELLED ? "skip" : "not ok",
					       rep->path, e->line, e->text);
		}
		if (rep->trace)
			g_string_append(sys, rep->trace);
		g_string_append(out, "      <system-out>");
		xml_text(out, sys->str);
		g_string_append(out, "</system-out>\n");
		g_string_free(sys, TRUE);
	}
	g_string_append(out, "    </testcase>\n");
	g_free(msg);
}

void report_junit(GString *out, const GPtrArray *reports)
{
	g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mmsim\"");
	junit_counts(out, reports, 0, reports->len);
	g_string_append(out, ">\n");
	/* the runs of one file are consecutive: one <testsuite> each */
	for (guint i = 0, j; i < reports->len; i = j) {
		const struct run_report *first = g_ptr_array_index(reports, i);

		for (j = i + 1; j < reports->len; j++)
			if (strcmp(((struct run_report *)g_ptr_array_index(reports, j))->path,
				   first->path))
				break;
		g_string_append(out, "  <testsuite");
		xml_attr(out, "name", first->path);
		junit_counts(out, reports, i, j);
		g_string_append(out, ">\n");
		for (guint k = i; k < j; k++)
			junit_testcase(out, g_ptr_array_index(reports, k));
		g_string_append(out, "  </testsuite>\n");
	}
	g_string_append(out, "</testsuites>\n");
}
