// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target (make fuzz): one input is one scenario file, run the
 * way `mmsim run` runs it (run_text(), what run_file() calls after
 * reading), quietly, under limits low enough that no input can take more
 * than a fraction of a second or more than a few hundred MiB. Any crash,
 * sanitizer report, leak, hang or out-of-memory is a bug; an input that
 * reaches a limit is a clean exit 2 like any bad input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* The target's limits (struct run_opts): 1/500 of the defaults' steps. */
#define FUZZ_MAX_STEPS		20000UL
#define FUZZ_MAX_MEMORY		(256UL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	GString *out;
	struct run_opts opts;
	int status;

	/* run_file() refuses a NUL byte before parsing: not worth a run */
	if (memchr(data, 0, size))
		return -1;
	text = g_strndup((const char *)data, size);
	out = g_string_new(NULL);
	run_opts_init(&opts);
	opts.quiet = true;
	opts.max_steps = FUZZ_MAX_STEPS;
	opts.max_memory = FUZZ_MAX_MEMORY;
	status = run_text("fuzz.scn", text, &opts, out);
	if (status < RUN_PASS || status > RUN_NOT_MODELLED)
		abort();
	g_string_free(out, TRUE);
	g_free(text);
	return 0;
}
