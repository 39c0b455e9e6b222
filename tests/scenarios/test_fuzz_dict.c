// SPDX-License-Identifier: GPL-2.0
/*
 * tests/fuzz/scn.dict, the fuzzer's dictionary, names every policy,
 * switch and invariant of the tables the parser looks names up in, and
 * every command and expectation of docs/scenario-language.md §3.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "invariants.h"
#include "policy.h"

static char *dict;

static void load(void)
{
	cr_assert(g_file_get_contents("tests/fuzz/scn.dict", &dict, NULL, NULL));
}

static void has(const char *word)
{
	char *q = g_strdup_printf("\n\"%s\"\n", word);

	cr_expect(strstr(dict, q), "tests/fuzz/scn.dict lacks \"%s\"", word);
	g_free(q);
}

Test(fuzz_dict, names_every_policy_switch_and_invariant, .init = load)
{
	for (int i = 0; i < NR_POLICIES; i++)
		has(policy_names[i]);
	for (int i = 0; i < NR_SWITCHES; i++)
		has(switch_descs[i].name);
	for (int i = 0; i < NR_INVARIANTS; i++)
		has(invariant_names[i]);
	g_free(dict);
}

/* The commands and expectations of docs/scenario-language.md §3. */
Test(fuzz_dict, names_every_command, .init = load)
{
	static const char *const words[] = {
		"policy", "switch", "bug", "pmem", "dram", "faultaround", "readahead", "file", "process", "exit", "mmap",
		"munmap", "mprotect", "madvise", "msync", "mremap", "load", "store", "touch",
		"flush", "read", "write", "truncate", "punch", "zero", "fallocate", "fsync",
		"close", "check", "expect", "fork", "gup", "put_page", "pin", "unpin", "reclaim", "poison",
		"unbind", "crash", "remount", "sync", "syncfs", "seed=", "fiemap", "thread", "concurrent", "show",
		"maps", "status", "tree",
		"result", "pte", "entry", "block", "block-free", "owner", "rss", "smaps",
		"faults", "memory", "stat", "mtime", "violated", "crash-violated", "=>",
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(words); i++)
		has(words[i]);
	g_free(dict);
}
