// SPDX-License-Identifier: GPL-2.0
/*
 * Every scenario file as a test: each file under scenarios/ must pass
 * (bug scenarios run with and without their variant inside run_file());
 * each malformed file under tests/malformed/ must be refused with exit 2
 * and the file:line:col its first line names ("# error: LINE:COL"); each
 * ```scn example in docs/scenario-language.md must pass.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "scenario.h"

struct scn_param {
	char *path;
	char *text;	/* docs examples: the text; else NULL */
	int line;
};

static char *cr_strdup(const char *s)
{
	char *p = cr_malloc(strlen(s) + 1);

	strcpy(p, s);
	return p;
}

static void free_params(struct criterion_test_params *crp)
{
	struct scn_param *p = crp->params;

	for (size_t i = 0; i < crp->length; i++) {
		cr_free(p[i].path);
		cr_free(p[i].text);
	}
	cr_free(crp->params);
}

/* The .scn files of @dirs, sorted, as parameters. */
static struct criterion_test_params files_of(const char *const *dirs)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	struct scn_param *p;

	for (; *dirs; dirs++) {
		GDir *d = g_dir_open(*dirs, 0, NULL);
		const char *name;

		while (d && (name = g_dir_read_name(d)))
			if (g_str_has_suffix(name, ".scn"))
				g_ptr_array_add(all, g_build_filename(*dirs, name, NULL));
		if (d)
			g_dir_close(d);
	}
	g_ptr_array_sort(all, (GCompareFunc)(void *)g_strcmp0);
	p = cr_calloc(all->len ? all->len : 1, sizeof(*p));
	for (guint i = 0; i < all->len; i++) {
		char **pp = (char **)&g_ptr_array_index(all, i);

		p[i].path = cr_strdup(*(char **)pp);
	}
	struct criterion_test_params crp = cr_make_param_array(struct scn_param, p,
							      all->len, free_params);
	g_ptr_array_free(all, TRUE);
	return crp;
}

ParameterizedTestParameters(scenarios, pass)
{
	static const char *const dirs[] = { "scenarios/seeds", "scenarios/examples",
					    "scenarios/bugs", "scenarios/regress", "scenarios/rig", NULL };
	return files_of(dirs);
}

/*
 * Each file under every modelled policy its `policies` line names (all
 * five by default): a scenario says which kernels its expectations hold
 * for, and `[policy]` conditions its lines per kernel. The timeout is for
 * a hang: the largest explorations (three and four threads, every era,
 * with and without their variant) take under 2 s, and 45 s under ASan.
 */
ParameterizedTest(struct scn_param *p, scenarios, pass, .timeout = 600)
{
	struct run_opts opts;
	char *err = NULL;
	struct scenario *s;
	int runs = 0;

	run_opts_init(&opts);
	opts.lockdep = true;	/* lock-order in every run, as `make run` does */
	s = scenario_load(p->path, opts.max_file_bytes, &err);
	cr_assert_not_null(s, "%s", err);
	for (int pol = 0; pol < NR_POLICIES; pol++) {
		GString *out = g_string_new(NULL);
		int status;

		if (!(s->policies & (1u << pol)) || !policy_modelled(pol)) {
			g_string_free(out, TRUE);
			continue;
		}
		opts.policy = pol;
		status = run_file(p->path, &opts, out);
		cr_assert_eq(status, 0, "%s under %s exited %d:\n%s", p->path,
			     policy_names[pol], status, out->str);
		g_string_free(out, TRUE);
		runs++;
	}
	scenario_free(s);
	cr_assert_gt(runs, 0, "%s names no modelled policy", p->path);
}

ParameterizedTestParameters(scenarios, malformed)
{
	static const char *const dirs[] = { "tests/malformed", NULL };
	return files_of(dirs);
}

ParameterizedTest(struct scn_param *p, scenarios, malformed)
{
	struct run_opts opts;
	GString *out = g_string_new(NULL);
	char *text = NULL, *want;
	int status, line, col;

	cr_assert(g_file_get_contents(p->path, &text, NULL, NULL));
	cr_assert_eq(sscanf(text, "# error: %d:%d", &line, &col), 2,
		     "%s: first line must be '# error: LINE:COL'", p->path);
	run_opts_init(&opts);
	status = run_file(p->path, &opts, out);
	want = g_strdup_printf("%s:%d:%d: ", p->path, line, col);
	cr_assert_eq(status, 2, "%s exited %d:\n%s", p->path, status, out->str);
	cr_assert(strstr(out->str, want), "%s: expected '%s' in:\n%s", p->path, want, out->str);
	g_free(want);
	g_free(text);
	g_string_free(out, TRUE);
}

/* The ```scn blocks of the language reference; "# exit: N" sets the status. */
ParameterizedTestParameters(scenarios, docs_examples)
{
	const char *doc = "docs/scenario-language.md";
	char *text = NULL;
	GPtrArray *blocks = g_ptr_array_new();
	GArray *lines = g_array_new(FALSE, FALSE, sizeof(int));
	struct scn_param *p;

	if (g_file_get_contents(doc, &text, NULL, NULL)) {
		char **ls = g_strsplit(text, "\n", -1);
		GString *cur = NULL;
		int start = 0;

		for (int i = 0; ls[i]; i++) {
			if (!cur && strcmp(ls[i], "```scn") == 0) {
				cur = g_string_new(NULL);
				start = i + 2;
			} else if (cur && strcmp(ls[i], "```") == 0) {
				g_ptr_array_add(blocks, g_string_free(cur, FALSE));
				g_array_append_val(lines, start);
				cur = NULL;
			} else if (cur) {
				g_string_append_printf(cur, "%s\n", ls[i]);
			}
		}
		g_strfreev(ls);
		g_free(text);
	}
	p = cr_calloc(blocks->len ? blocks->len : 1, sizeof(*p));
	for (guint i = 0; i < blocks->len; i++) {
		p[i].path = cr_strdup(doc);
		p[i].text = cr_strdup(g_ptr_array_index(blocks, i));
		p[i].line = g_array_index(lines, int, i);
		g_free(g_ptr_array_index(blocks, i));
	}
	struct criterion_test_params crp = cr_make_param_array(struct scn_param, p,
							      blocks->len, free_params);
	g_ptr_array_free(blocks, TRUE);
	g_array_free(lines, TRUE);
	return crp;
}

ParameterizedTest(struct scn_param *p, scenarios, docs_examples)
{
	struct run_opts opts;
	GString *out = g_string_new(NULL);
	const char *e = strstr(p->text, "# exit: ");
	int want = e ? atoi(e + 8) : 0, status;
	char *name = g_strdup_printf("%s@%d", p->path, p->line);

	run_opts_init(&opts);
	status = run_text(name, p->text, &opts, out);
	cr_assert_eq(status, want, "example at %s:%d exited %d, expected %d:\n%s",
		     p->path, p->line, status, want, out->str);
	g_free(name);
	g_string_free(out, TRUE);
}
