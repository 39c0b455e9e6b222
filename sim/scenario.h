/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scenario language (docs/scenario-language.md): one operation or
 * expectation a line, parsed whole before anything runs so that bad input
 * is reported as file:line:col and exit status 2.
 */
#ifndef MMSIM_SCENARIO_H
#define MMSIM_SCENARIO_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum cmd_kind {
	/* setup */
	CMD_POLICY, CMD_POLICIES, CMD_SWITCH, CMD_BUG, CMD_FAULTAROUND, CMD_READAHEAD,
	CMD_PMEM, CMD_DRAM,
	/* objects */
	CMD_FILE, CMD_PROCESS, CMD_EXIT, CMD_FORK,
	/* memory syscalls */
	CMD_MMAP, CMD_MUNMAP, CMD_MPROTECT, CMD_MADVISE, CMD_MSYNC, CMD_MREMAP,
	/* accesses */
	CMD_LOAD, CMD_STORE, CMD_TOUCH,
	/* file syscalls */
	CMD_READ, CMD_WRITE, CMD_TRUNCATE, CMD_PUNCH, CMD_ZERO, CMD_FALLOCATE,
	CMD_COLLAPSE, CMD_INSERT,
	CMD_FSYNC, CMD_CLOSE,
	/* memory */
	CMD_RECLAIM,
	/* the device: unbind, a media error */
	CMD_UNBIND, CMD_POISON,
	/* get_user_pages and pin_user_pages, and their releases */
	CMD_GUP, CMD_PIN, CMD_PUT_PAGE, CMD_UNPIN,
	/* a device's transfer through a handle's pages (an O_DIRECT bio) */
	CMD_DMA,
	/* checks */
	CMD_FLUSH,
	CMD_CHECK, CMD_EXPECT, CMD_SHOW,
	/* threads: `concurrent`, `thread PROC` ..., `end` */
	CMD_CONCURRENT, CMD_THREAD, CMD_END,
	/* the one schedule to run; anywhere in the file */
	CMD_SCHEDULE,
	/* sync(2), syncfs(2), a power failure and the mount after it (not in threads) */
	CMD_SYNC, CMD_SYNCFS, CMD_CRASH, CMD_REMOUNT,
	/* in the language, not modelled yet: exit 3 where used */
	CMD_NOT_MODELLED,
};

enum expect_kind {
	EXP_RESULT, EXP_PTE, EXP_ENTRY, EXP_BLOCK, EXP_BLOCK_FREE, EXP_OWNER,
	EXP_RSS, EXP_SMAPS, EXP_FAULTS, EXP_MEMORY, EXP_STAT, EXP_MTIME,
	EXP_VIOLATED,
	/* under --crash-each / --crash-at: a crash's violation of these is expected */
	EXP_CRASH_VIOLATED,
	/* what a concurrent block's schedule may end in */
	EXP_DEADLOCK, EXP_LOST_WAKEUP, EXP_LIVELOCK,
};

/* What `show` prints (it checks nothing). */
enum show_kind {
	SHOW_SMAPS, SHOW_MAPS, SHOW_STATUS, SHOW_FAULTS, SHOW_PTE, SHOW_ENTRY,
	SHOW_BLOCK, SHOW_TREE,
};

/* What an operation's result must be. */
enum result_kind { RES_OK, RES_VALUE, RES_SIGBUS, RES_SIGSEGV, RES_ERRNO, RES_RET };

struct result_spec {
	enum result_kind kind;
	int64_t value;		/* RES_VALUE, RES_RET, RES_ERRNO (positive errno) */
	int si_code;		/* RES_SIGBUS: 0 (any), or the si_code it must have */
	int col;
};

/* One term of a condition; terms joined by `+` (and_next) must all hold. */
struct cond {
	char *name;
	bool neg;
	bool and_next;		/* ANDed with the next term (`a+b`) */
	int col;
};

/* An address: MAP[+OFF] or an absolute hex address. */
struct addr_spec {
	char *map;		/* NULL for absolute */
	uint64_t off;
	int col;
};

/*
 * A choice of a schedule: at choice point @point (1, 2, ... over the run,
 * counting only the points where two or more threads could run), thread
 * @thread runs where the default would not have chosen it.
 */
struct choice {
	unsigned point;
	int thread;
};

/* KEY=VALUE attributes of an expectation, in order. */
struct attr {
	char *key;
	char *val;		/* NULL for a bare word */
	uint64_t num;		/* parsed value when numeric */
	int col;
};

struct cmd {
	enum cmd_kind kind;
	int line, col;
	char *text;		/* the line as written, for the story */
	GArray *conds;		/* struct cond: an OR of ANDs of terms; empty: always */
	bool has_result;
	struct result_spec result;

	char *name, *proc, *map, *file;
	struct addr_spec addr;
	uint64_t off, len, size, value, step, index, block;
	bool has_off, has_len, has_value, has_data;
	unsigned access_size;
	int prot, flags, advice;
	bool dax, writable_file, keep_size, write, nohuge, on, direct, latent;
	bool fast, longterm;	/* gup, pin */

	enum expect_kind expect;
	enum show_kind show;
	GArray *attrs;		/* struct attr */
	GArray *invariants;	/* int */
	/* threads */
	int thread;		/* in a concurrent block: its thread, 1, 2, ...; else 0 */
	bool sometimes;		/* the line's check must hold in one schedule at least */
	GArray *choices;	/* CMD_SCHEDULE: struct choice, by point */
};

struct scenario {
	char *path;
	char *text;		/* the file as read, for a replay scenario */
	GPtrArray *cmds;	/* struct cmd * */
	GPtrArray *bugs;	/* char *: variants the file is about */
	unsigned policies;	/* bit P: the file applies to policy P (`policies`) */
	int nr_blocks;		/* concurrent blocks: with one or more, the explorer runs it */
	bool has_schedule;	/* a `schedule` line: that schedule alone */
};

/* NULL and *err set ("file:line:col: message") on bad input. */
struct scenario *scenario_parse(const char *path, const char *text, char **err);
/* @path "-" is standard input; more than @max_bytes is refused. */
struct scenario *scenario_load(const char *path, size_t max_bytes, char **err);
/* The default for max_bytes: 16 MiB. */
#define SCENARIO_MAX_BYTES	(16UL << 20)
void scenario_free(struct scenario *s);

/* "ENOSPC" for ENOSPC: the kernel's name of an errno results use, or NULL. */
const char *errno_name(int e);

/*
 * What to say of an unknown name @w: "did you mean 'X'?" for a typo of one
 * of @names, else the list of them. The caller frees it.
 */
char *name_hint(const char *w, const char *const *names, size_t n);

/*
 * A schedule's choice string ("5:2 17:1", the deviations from the default,
 * by increasing point): NULL and *err set when malformed.
 */
GArray *parse_choices(const char *s, char **err);

/* Sizes: decimal or 0x hex, with an optional K, M, G or T (binary) suffix. */
bool parse_size(const char *s, uint64_t *out);

#endif
