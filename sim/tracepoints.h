/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --trace=events: the model's fs_dax tracepoints printed the way
 * `trace-cmd report` prints them (docs/output.md).
 */
#ifndef MMSIM_TRACEPOINTS_H
#define MMSIM_TRACEPOINTS_H

#include <glib.h>

#include "invariants.h"
#include "trace_dax.h"

/* trace-cmd's line prefix: the task, and the step for the timestamp. */
struct trace_task {
	const char *comm;	/* the scenario's process, or "mmsim" */
	int pid;		/* its creation number from 1; 0 for "mmsim" */
	unsigned long step;
	unsigned long seq;	/* the event's number within the step, from 0 */
};

extern const char *const dax_trace_names[NR_DAX_TRACE_EVENTS];

/* Append one line, newline included. Addresses are named through @n. */
void dax_trace_print(GString *out, const struct dax_trace_event *ev,
		     const struct trace_task *t, const struct namer *n);

#endif
