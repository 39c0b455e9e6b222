// SPDX-License-Identifier: GPL-2.0
/*
 * What `make install` puts and `make uninstall` takes away, and the files
 * it installs: the man pages pass `mandoc -T lint`, the vim syntax loads.
 * Run from the repository's root, as `make check` runs the suite. The
 * install uses the mmsim `make check` built ($MMSIM's directory is the
 * BUILD), and `-o` tells make not to rebuild it: nothing here races with
 * the build.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *const installed[] = {
	"usr/bin/mmsim",
	"usr/share/man/man1/mmsim.1",
	"usr/share/man/man5/mmsim-scenario.5",
	"usr/share/vim/vimfiles/syntax/scn.vim",
	"usr/share/vim/vimfiles/ftdetect/scn.vim",
};

/* Run @script under sh from the repository's root; stdout+stderr into @out. */
static int sh(const char *script, char **out)
{
	char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	int wait = 0;

	argv[2] = g_strdup_printf("{ %s ; } 2>&1 </dev/null", script);
	cr_assert(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, out, NULL, &wait, NULL));
	g_free(argv[2]);
	cr_assert(WIFEXITED(wait), "%s: killed by signal", script);
	return WEXITSTATUS(wait);
}

static void run_ok(const char *script)
{
	char *out = NULL;
	int st = sh(script, &out);

	cr_assert_eq(st, 0, "`%s` exited %d:\n%s", script, st, out);
	g_free(out);
}

/* make, without the parent make's jobserver, on the mmsim `make check` built. */
static char *make_cmd(const char *target, const char *destdir)
{
	const char *mmsim = g_getenv("MMSIM");
	char *build = g_path_get_dirname(mmsim ? mmsim : "build/mmsim");
	char *cmd = g_strdup_printf("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "
				    "-o '%s/mmsim' BUILD='%s' DESTDIR='%s' PREFIX=/usr %s",
				    build, build, destdir, target);

	g_free(build);
	return cmd;
}

static bool tool_missing(const char *tool)
{
	char *path = g_find_program_in_path(tool);

	g_free(path);
	return !path;
}

Test(install, install_then_uninstall, .timeout = 60)
{
	char *dest = g_dir_make_tmp("mmsim-install-XXXXXX", NULL);
	char *cmd, *out = NULL;

	cr_assert(dest);
	cmd = make_cmd("install", dest);
	run_ok(cmd);
	g_free(cmd);
	for (unsigned i = 0; i < G_N_ELEMENTS(installed); i++) {
		char *path = g_build_filename(dest, installed[i], NULL);
		struct stat st;

		cr_assert_eq(g_stat(path, &st), 0, "%s not installed", path);
		cr_expect(S_ISREG(st.st_mode), "%s: not a regular file", path);
		cr_expect_eq(st.st_mode & 0777, i == 0 ? 0755u : 0644u,
			     "%s: mode %o", path, st.st_mode & 0777);
		g_free(path);
	}
	/* the installed mmsim runs */
	cmd = g_strdup_printf("'%s/usr/bin/mmsim' --help && printf 'file f size=4K\\n"
			      "process A\\nmmap A m f\\nload A m+0 => 0\\n' | "
			      "'%s/usr/bin/mmsim' run -", dest, dest);
	cr_assert_eq(sh(cmd, &out), 0, "%s:\n%s", cmd, out);
	cr_expect(strstr(out, "Usage: mmsim run"), "no usage in:\n%s", out);
	cr_expect(strstr(out, "PASS <stdin>"), "no PASS in:\n%s", out);
	g_free(out);
	g_free(cmd);

	cmd = make_cmd("uninstall", dest);
	run_ok(cmd);
	g_free(cmd);
	cmd = g_strdup_printf("find '%s' ! -type d", dest);
	cr_assert_eq(sh(cmd, &out), 0);
	cr_expect_str_empty(out, "left after make uninstall:\n%s", out);
	g_free(out);
	g_free(cmd);
	cmd = g_strdup_printf("rm -rf '%s'", dest);
	run_ok(cmd);
	g_free(cmd);
	g_free(dest);
}

/* Both pages together, from man/: each page's .Xr to the other resolves. */
Test(install, man_pages_pass_mandoc_lint)
{
	char *out = NULL;
	int st;

	if (tool_missing("mandoc"))
		cr_skip_test("mandoc is not installed (scripts/deps.sh installs it)");
	st = sh("cd man && mandoc -T lint mmsim.1 mmsim-scenario.5", &out);
	cr_expect_eq(st, 0, "mandoc -T lint exited %d:\n%s", st, out);
	cr_expect_str_empty(out, "mandoc -T lint:\n%s", out);
	g_free(out);
}

/* The syntax loads with no error, *.scn files get it, and it knows a command. */
Test(install, vim_syntax_loads)
{
	char *dir, *scn, *cmd, *out = NULL;
	int st;

	if (tool_missing("vim"))
		cr_skip_test("vim is not installed");
	dir = g_dir_make_tmp("mmsim-vim-XXXXXX", NULL);
	cr_assert(dir);
	scn = g_build_filename(dir, "t.scn", NULL);
	cr_assert(g_file_set_contents(scn, "policy dax-2017 # c\nload A m+0 => SIGBUS\n", -1, NULL));
	cmd = g_strdup_printf("vim -u NONE -N -es -c 'set rtp^=vim' -c 'filetype on' "
		"-c 'syntax on' -c 'e %s' "
		"-c 'if &ft !=# \"scn\" || b:current_syntax !=# \"scn\" | cquit | endif' "
		"-c 'if synIDattr(synID(1, 1, 1), \"name\") !=# \"scnSetup\" | cquit | endif' "
		"-c 'if synIDattr(synID(1, 17, 1), \"name\") !=# \"scnComment\" | cquit | endif' "
		"-c 'if synIDattr(synID(2, 15, 1), \"name\") !=# \"scnResult\" | cquit | endif' "
		"-c q", scn);
	st = sh(cmd, &out);
	cr_expect_eq(st, 0, "%s: exited %d:\n%s", cmd, st, out);
	g_free(out);
	g_free(cmd);
	g_unlink(scn);
	g_rmdir(dir);
	g_free(scn);
	g_free(dir);
}
