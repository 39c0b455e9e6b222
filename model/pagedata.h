/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page contents, kept compactly: a host-side representation, not a kernel
 * object (like radix-tree.c, library code). A page's 4096 bytes are a fill
 * byte plus the 8-byte words that differ from it, or all 4096 bytes when
 * more than PD_MAX_WORDS words differ. Contents are immutable and interned
 * in a pool: equal contents are one object, so a page of one repeated byte
 * (data=, zeroing) or of a few bytes over zeroes costs one reference.
 * Every change returns a new reference; the caller puts the old one.
 * A NULL content reads zero.
 *
 * pd_map: a sparse array of slots (uintptr_t, 0 = empty) indexed by page
 * number, in chunks of PD_MAP_CHUNK slots, allocated when first set.
 *
 * Both count their bytes into *account (the owner's memory figure).
 */
#ifndef MMSIM_PAGEDATA_H
#define MMSIM_PAGEDATA_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PD_PAGE_SIZE	4096
#define PD_LINE_SIZE	64
#define PD_MAX_WORDS	32

struct pd;
struct pd_pool;

struct pd_pool *pd_pool_new(unsigned long *account);
void pd_pool_free(struct pd_pool *pool);

struct pd *pd_get(struct pd *pd);
/* @n references at once (one for each slot of a range). */
struct pd *pd_get_many(struct pd *pd, unsigned long n);
void pd_put(struct pd_pool *pool, struct pd *pd);

/* A page of @byte; a reference. */
struct pd *pd_uniform(struct pd_pool *pool, uint8_t byte);
/* Whether every byte of @pd is one value (NULL: zero), and which. */
bool pd_is_uniform(const struct pd *pd, uint8_t *byte);
void pd_read(const struct pd *pd, unsigned off, void *buf, size_t len);

/* @pd with [off, off + len) replaced by @buf, or by @byte repeated. */
struct pd *pd_write(struct pd_pool *pool, struct pd *pd, unsigned off,
		    const void *buf, size_t len);
struct pd *pd_fill(struct pd_pool *pool, struct pd *pd, unsigned off,
		   uint8_t byte, size_t len);
/* @dst with the 64-byte lines set in @lines taken from @src. */
struct pd *pd_merge_lines(struct pd_pool *pool, struct pd *dst, struct pd *src,
			  uint64_t lines);

/* Whether len bytes of @buf are all one value (len > 0). */
bool mem_is_uniform(const void *buf, size_t len);

#define PD_MAP_CHUNK	64

struct pd_map {
	GHashTable *chunks;		/* index / PD_MAP_CHUNK -> chunk */
	unsigned long nr_chunks;
	unsigned long *account;
	unsigned long last_key;		/* a one-entry lookup cache */
	void *last_chunk;
};

/* A chunk: its slots, or (full) every slot holding @all, without the array. */
struct pd_chunk {
	unsigned nr;			/* slots in use */
	bool full;
	uintptr_t all;
	uintptr_t slot[];
};

void pd_map_init(struct pd_map *m, unsigned long *account);
uintptr_t pd_map_lookup(struct pd_map *m, unsigned long index);

/* The slot at @index: from the last chunk looked up inline, else a lookup. */
static inline uintptr_t pd_map_get(struct pd_map *m, unsigned long index)
{
	const struct pd_chunk *c = m->last_chunk;

	if (c && m->last_key == index / PD_MAP_CHUNK)
		return c->full ? c->all : c->slot[index % PD_MAP_CHUNK];
	return pd_map_lookup(m, index);
}
/* Setting 0 empties the slot (and frees a chunk left empty). */
void pd_map_set(struct pd_map *m, unsigned long index, uintptr_t v);
/*
 * Set every slot in [first, last] to @v (the caller holds a reference for
 * each), calling @drop on each value replaced; a whole chunk of one value
 * costs no slot array.
 */
void pd_map_set_range(struct pd_map *m, unsigned long first, unsigned long last,
		      uintptr_t v, void (*drop)(uintptr_t v, void *ctx), void *ctx);
/* Empty every slot in [first, last], calling @drop on each value first. */
void pd_map_clear(struct pd_map *m, unsigned long first, unsigned long last,
		  void (*drop)(uintptr_t v, void *ctx), void *ctx);
/*
 * Move every slot at or past @from @delta slots down (@down) or up, its
 * reference with it; the slots it lands on must be empty.
 */
void pd_map_shift(struct pd_map *m, unsigned long from, unsigned long delta, bool down);
/* One slot of a map, for pd_map_slots(). */
struct pd_slot {
	unsigned long index;
	uintptr_t v;
};
/*
 * Every non-empty slot, by increasing index (a full chunk gives its 64):
 * a new array the caller frees; no reference is taken.
 */
GArray *pd_map_slots(struct pd_map *m);
/* The same for the slots in [first, last] only. */
GArray *pd_map_slots_range(struct pd_map *m, unsigned long first, unsigned long last);
void pd_map_destroy(struct pd_map *m, void (*drop)(uintptr_t v, void *ctx),
		    void *ctx);

#endif
