// SPDX-License-Identifier: GPL-2.0
/*
 * The limits of struct run_opts (--max-steps, --max-memory; the file
 * size limit is tests/scenarios/test_cli.c's): valid input that asks for more work than they allow
 * stops at its line with "limit reached", exit status 2, and a LIMIT
 * header; the same input under the limit passes.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "runner.h"

/*
 * file(1) process(1) mmap(1) touch(4): 7 steps, and each touch's fault
 * sets a PTE (dax_load_hole, v4.14): 4 more. Limits are checked before a
 * step: the last touch starts at 6 + 3 = 9.
 */
static const char seven_steps[] =
	"pmem 64M\n"
	"file data dax size=16K\n"
	"process A\n"
	"mmap A m data prot=read shared nohuge\n"
	"touch A m 0..16K read\n";

static const char terabyte_touch[] =
	"pmem 64M\n"
	"file data dax size=1T\n"
	"process A\n"
	"mmap A m data prot=rw shared nohuge\n"
	"touch A m 0..1T write value=0x5a\n";

/* page tables, radix-tree nodes and zero-page entries, a page at a time */
static const char terabyte_read[] =
	"pmem 64M\n"
	"file data dax size=1T\n"
	"process A\n"
	"mmap A m data prot=read shared nohuge\n"
	"touch A m 0..1T read\n";

static int run(const char *text, unsigned long max_steps, size_t max_memory, GString *out)
{
	struct run_opts opts;

	run_opts_init(&opts);
	opts.max_steps = max_steps;
	opts.max_memory = max_memory;
	return run_text("limit.scn", text, &opts, out);
}

Test(limits, defaults)
{
	struct run_opts opts;

	run_opts_init(&opts);
	cr_assert_eq(opts.max_steps, 10000000UL);
	cr_assert_eq(opts.max_memory, 4UL << 30);
}

Test(limits, steps_boundary)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run(seven_steps, 10, 0, out), 0, "%s", out->str);
	g_string_truncate(out, 0);
	cr_assert_eq(run(seven_steps, 9, 0, out), 2, "%s", out->str);
	cr_assert(strstr(out->str, "LIMIT limit.scn"), "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:5:1: limit reached: 9 steps (raise with --max-steps)\n"),
		  "%s", out->str);
	g_string_free(out, TRUE);
}

Test(limits, steps_of_a_terabyte_touch)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run(terabyte_touch, 1000, 0, out), 2, "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:5:1: limit reached: 1000 steps (raise with --max-steps)\n"),
		  "%s", out->str);
	g_string_free(out, TRUE);
}

Test(limits, memory_of_a_terabyte_touch)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run(terabyte_read, 0, 1 << 20, out), 2, "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:5:1: limit reached: 1M of memory (raise with --max-memory)\n"),
		  "%s", out->str);
	g_string_free(out, TRUE);
}

/*
 * MAP_POPULATE counts a step per page it goes over, and one per PTE it
 * sets: the fourth page starts at 3 steps + 3 pages + 3 PTEs = 9.
 */
Test(limits, populate_counts_pages)
{
	static const char text[] =
		"pmem 64M\n"
		"file data dax size=16K\n"
		"process A\n"
		"mmap A m data prot=read shared populate addr=0x7f0000001000 fixed\n"
		"expect faults A minor=4\n";
	GString *out = g_string_new(NULL);

	cr_assert_eq(run(text, 10, 0, out), 0, "%s", out->str);
	g_string_truncate(out, 0);
	cr_assert_eq(run(text, 9, 0, out), 2, "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:4:1: limit reached: 9 steps (raise with --max-steps)\n"),
		  "%s", out->str);
	g_string_free(out, TRUE);
}

/* a 256G MAP_POPULATE (2^26 faults in one step) stops at the limit */
Test(limits, populate_of_a_large_mapping)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run("pmem 64M\nfile f size=1T\nprocess A\n"
			 "mmap A m f addr=0x7f0000001000 fixed len=256G populate\n", 1000, 0, out),
		     2, "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:4:1: limit reached: 1000 steps"), "%s", out->str);
	g_string_free(out, TRUE);
}

/* fallocate is a block at a time in the model: 2^28 blocks in one step */
Test(limits, fallocate_of_a_terabyte)
{
	GString *out = g_string_new(NULL);

	cr_assert_eq(run("pmem 1T\nfile f size=4K\nfallocate f 0 1T\n", 1000, 0, out), 2,
		     "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:3:1: limit reached: 1000 steps"), "%s", out->str);
	g_string_truncate(out, 0);
	cr_assert_eq(run("pmem 1T\nfile f size=4K\nfallocate f 0 1T\n", 0, 64 << 20, out), 2,
		     "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:3:1: limit reached: 64M of memory"), "%s", out->str);
	g_string_free(out, TRUE);
}

/* 200 reads of 64M are one step each, 3.2 GB moved: the pages count */
Test(limits, read_and_write_count_pages)
{
	GString *text = g_string_new("pmem 128M\nfile f size=64M\n");
	GString *out = g_string_new(NULL);

	for (int i = 0; i < 200; i++)
		g_string_append(text, "read f 0 64M\n");
	cr_assert_eq(run(text->str, 20000, 0, out), 2, "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:4:1: limit reached: 20000 steps"), "%s", out->str);
	g_string_truncate(out, 0);
	/* file(1), then 4 pages + 1 step, twice: 11 */
	cr_assert_eq(run("pmem 64M\nfile f size=0\nwrite f 0 16K value=1\nread f 0 16K => 1\n",
			 11, 0, out), 0, "%s", out->str);
	cr_assert_eq(run("pmem 64M\nfile f size=0\nwrite f 0 16K value=1\nread f 0 16K => 1\n",
			 10, 0, out), 2, "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:4:1: limit reached: 10 steps"), "%s", out->str);
	g_string_free(text, TRUE);
	g_string_free(out, TRUE);
}

/*
 * A check sweeps every PTE and entry: 16 of each here, 32 steps of work a
 * check; 3 steps + 16 touches + 16 PTEs = 35 before the first.
 */
Test(limits, checks_count_what_they_sweep)
{
	GString *text = g_string_new("pmem 64M\nfile f size=64K\nprocess A\n"
				     "mmap A m f prot=read shared nohuge\n"
				     "touch A m 0..64K read\n");
	GString *out = g_string_new(NULL);

	for (int i = 0; i < 100; i++)
		g_string_append(text, "check\n");
	cr_assert_eq(run(text->str, 0, 0, out), 0, "%s", out->str);
	g_string_truncate(out, 0);
	/* 35 + 31 * 32 = 1027: the 31st check (line 36) reaches 1000 */
	cr_assert_eq(run(text->str, 1000, 0, out), 2, "%s", out->str);
	cr_assert(strstr(out->str, "limit.scn:36:1: limit reached: 1000 steps"), "%s", out->str);
	g_string_free(text, TRUE);
	g_string_free(out, TRUE);
}

/* The command line: $MMSIM (make check sets it), flags and exit status. */
static int mmsim(const char *const *args, char **out)
{
	const char *bin = g_getenv("MMSIM") ? g_getenv("MMSIM") : "build/mmsim";
	GPtrArray *argv = g_ptr_array_new();
	int wait = -1;

	g_ptr_array_add(argv, (char *)bin);
	g_ptr_array_add(argv, "run");
	for (; *args; args++)
		g_ptr_array_add(argv, (char *)*args);
	g_ptr_array_add(argv, NULL);
	cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
			       NULL, NULL, out, NULL, &wait, NULL), "cannot run %s", bin);
	g_ptr_array_free(argv, TRUE);
	cr_assert(WIFEXITED(wait));
	return WEXITSTATUS(wait);
}

static char *temp_scenario(const char *text)
{
	char *path = NULL;
	int fd = g_file_open_tmp("limit-XXXXXX.scn", &path, NULL);

	cr_assert(fd >= 0);
	close(fd);
	cr_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

Test(limits, command_line)
{
	char *path = temp_scenario(terabyte_touch), *out = NULL, *want;

	cr_assert_eq(mmsim((const char *[]){ "--max-steps=1000", path, NULL }, &out), 2, "%s", out);
	want = g_strdup_printf("%s:5:1: limit reached: 1000 steps (raise with --max-steps)\n", path);
	cr_assert(strstr(out, want), "%s", out);
	g_free(want);
	g_free(out);

	cr_assert_eq(mmsim((const char *[]){ "--max-memory=64K", "--max-steps=0", path, NULL }, &out),
		     2, "%s", out);
	cr_assert(strstr(out, "limit reached: 64K of memory (raise with --max-memory)"), "%s", out);
	g_free(out);

	cr_assert_eq(mmsim((const char *[]){ "--max-steps=many", path, NULL }, &out), 2);
	g_free(out);
	g_unlink(path);
	g_free(path);
}
