/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record behind durable-after-sync (docs/invariants.md): what each
 * file was promised to hold after a crash, kept apart from the model. It
 * is told the operations as the user makes them (a store through a shared
 * mapping, a write, a truncate...: the bytes they change; an fsync, an
 * msync(MS_SYNC), sync(2), a flush through a MAP_SYNC mapping: the bytes
 * they promise), and takes the promised bytes from the oracle at the
 * moment of the promise. A byte is promised when it was synced and not
 * changed since: after a crash it must read back as it was synced,
 * whatever it was (data written, or the zeroes of a punch, a zero range or
 * a truncate). The size is promised when fsync, msync or sync committed it
 * and nothing changed it since. A byte changed since its last sync may
 * read as the old or the new: the record does not judge it.
 */
#ifndef MMSIM_DURABLE_H
#define MMSIM_DURABLE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "oracle.h"

struct durable;
struct durable_file;

struct durable *durable_new(void);
void durable_free(struct durable *d);
size_t durable_memory(const struct durable *d);

/* A new file: promised empty, size 0 (its creation is committed: jbd2.h). */
struct durable_file *durable_file_new(struct durable *d);
/* [off, off + len) may differ from what was synced (len to the end: -1). */
void durable_changed(struct durable_file *f, loff_t off, loff_t len);
/* The size went from @old to @new: the pages between may differ. */
void durable_resized(struct durable_file *f, loff_t old, loff_t new);
/* Nothing about the file can be promised any more (oracle_file_forget()). */
void durable_forget(struct durable_file *f);
/*
 * A promise: the bytes of [off, off + len) (len -1: to the end) as @of
 * holds them now; with @size, its size too (a commit of the metadata).
 */
void durable_sync(struct durable_file *f, struct oracle_file *of, loff_t off, loff_t len,
		  bool size);

/*
 * After a crash and the mount: the file as it reads now, @size bytes,
 * @read giving page @index (4096 bytes, zero past what the file holds),
 * @next moving *index to the next page at or past it that may hold
 * anything but zeroes (false: none), so that holes cost nothing.
 * Returns NULL if every promise holds, else what broke (the caller frees).
 */
typedef void (*durable_read_fn)(void *ctx, pgoff_t index, uint8_t *buf);
typedef bool (*durable_next_fn)(void *ctx, pgoff_t *index);
char *durable_check(struct durable_file *f, loff_t size, durable_read_fn read,
		    durable_next_fn next, void *ctx);
/* After the check: what survived is durable now (@of holds it), all of it promised. */
void durable_reset(struct durable_file *f, struct oracle_file *of);

#endif
