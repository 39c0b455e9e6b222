// SPDX-License-Identifier: GPL-2.0
/* Compact, interned page contents and a sparse slot array (pagedata.h). */
#include <assert.h>
#include <string.h>

#include "pagedata.h"

#define NR_WORDS	(PD_PAGE_SIZE / 8)
#define WORDS_PER_LINE	(PD_LINE_SIZE / 8)
#define PD_RAW		0xffff
/* a guess at what one entry of a GHashTable costs (hash, key, value, slack) */
#define TABLE_ENTRY	24

struct pd_word {
	uint64_t val;
	uint16_t idx;
};

struct pd {
	unsigned long refcount;	/* a slot each: 2^32 pages is 16 TiB */
	unsigned hash;
	uint16_t nr;		/* words differing from fill, or PD_RAW */
	uint8_t fill;
	uint8_t *raw;		/* PD_PAGE_SIZE bytes when nr == PD_RAW */
	struct pd_word w[];	/* sorted by idx */
};

/*
 * The last small write and the last merge, remembered: a loop that does the
 * same to page after page (a touch, a msync) finds its result here. The
 * entries hold no reference; freeing a content forgets them.
 */
struct write_memo {
	struct pd *in, *out;
	unsigned off, len;
	bool fill;
	uint64_t val;
};

struct merge_memo {
	struct pd *dst, *src, *out;
	uint64_t lines;
};

struct pd_pool {
	GHashTable *set;	/* interned contents */
	struct write_memo wm;
	struct merge_memo mm;
	unsigned long *account;
	struct pd *uniform[256];	/* one reference each, made on demand */
	struct pd *scratch;	/* a candidate being built: PD_MAX_WORDS words */
	uint8_t buf[PD_PAGE_SIZE];
};

static size_t pd_size(const struct pd *pd)
{
	size_t n = sizeof(*pd) + TABLE_ENTRY;

	return pd->nr == PD_RAW ? n + PD_PAGE_SIZE : n + pd->nr * sizeof(pd->w[0]);
}

static guint pd_hash(gconstpointer p)
{
	return ((const struct pd *)p)->hash;
}

static gboolean pd_equal(gconstpointer a, gconstpointer b)
{
	const struct pd *x = a, *y = b;

	if (x->hash != y->hash || x->nr != y->nr || x->fill != y->fill)
		return FALSE;
	if (x->nr == PD_RAW)
		return memcmp(x->raw, y->raw, PD_PAGE_SIZE) == 0;
	for (unsigned i = 0; i < x->nr; i++)
		if (x->w[i].idx != y->w[i].idx || x->w[i].val != y->w[i].val)
			return FALSE;
	return TRUE;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static void pd_rehash(struct pd *pd)
{
	uint64_t h = mix(pd->fill, pd->nr);

	if (pd->nr == PD_RAW) {
		for (unsigned i = 0; i < NR_WORDS; i++) {
			uint64_t v;

			memcpy(&v, pd->raw + i * 8, 8);
			h = mix(h, v);
		}
	} else {
		for (unsigned i = 0; i < pd->nr; i++)
			h = mix(mix(h, pd->w[i].idx), pd->w[i].val);
	}
	pd->hash = (unsigned)(h ^ (h >> 32));
}

struct pd_pool *pd_pool_new(unsigned long *account)
{
	struct pd_pool *pool = g_new0(struct pd_pool, 1);

	pool->set = g_hash_table_new(pd_hash, pd_equal);
	pool->account = account;
	pool->scratch = g_malloc0(sizeof(struct pd) + PD_MAX_WORDS * sizeof(struct pd_word));
	return pool;
}

void pd_pool_free(struct pd_pool *pool)
{
	for (unsigned b = 0; b < 256; b++)
		if (pool->uniform[b])
			pd_put(pool, pool->uniform[b]);
	assert(g_hash_table_size(pool->set) == 0);
	g_hash_table_destroy(pool->set);
	g_free(pool->scratch);
	g_free(pool);
}

struct pd *pd_get(struct pd *pd)
{
	pd->refcount++;
	return pd;
}

struct pd *pd_get_many(struct pd *pd, unsigned long n)
{
	pd->refcount += n;
	return pd;
}

void pd_put(struct pd_pool *pool, struct pd *pd)
{
	if (!pd || --pd->refcount)
		return;
	g_hash_table_remove(pool->set, pd);
	if (pool->wm.in == pd || pool->wm.out == pd)
		pool->wm.in = NULL;
	if (pool->mm.dst == pd || pool->mm.src == pd || pool->mm.out == pd)
		pool->mm.dst = NULL;
	*pool->account -= pd_size(pd);
	g_free(pd->raw);
	g_free(pd);
}

/* The interned copy of pool->scratch (or of @raw): a reference. */
static struct pd *intern(struct pd_pool *pool, const uint8_t *raw)
{
	struct pd *c = pool->scratch, *pd;
	size_t words;

	c->raw = (uint8_t *)raw;
	if (raw) {
		c->nr = PD_RAW;
		c->fill = 0;
	}
	pd_rehash(c);
	pd = g_hash_table_lookup(pool->set, c);
	if (pd)
		return pd_get(pd);
	words = raw ? 0 : c->nr;
	pd = g_malloc(sizeof(*pd) + words * sizeof(pd->w[0]));
	memcpy(pd, c, sizeof(*pd) + words * sizeof(pd->w[0]));
	pd->refcount = 1;
	pd->raw = raw ? g_memdup2(raw, PD_PAGE_SIZE) : NULL;
	g_hash_table_add(pool->set, pd);
	*pool->account += pd_size(pd);
	return pd;
}

static uint64_t pattern(uint8_t byte)
{
	return byte * 0x0101010101010101ULL;
}

struct pd *pd_uniform(struct pd_pool *pool, uint8_t byte)
{
	if (!pool->uniform[byte]) {
		pool->scratch->fill = byte;
		pool->scratch->nr = 0;
		pool->uniform[byte] = intern(pool, NULL);
	}
	return pd_get(pool->uniform[byte]);
}

bool pd_is_uniform(const struct pd *pd, uint8_t *byte)
{
	if (pd && pd->nr)
		return false;
	*byte = pd ? pd->fill : 0;
	return true;
}

bool mem_is_uniform(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	return len <= 1 || memcmp(p, p + 1, len - 1) == 0;
}

/* The first word of @pd at or after word @idx. */
static unsigned lower_bound(const struct pd *pd, unsigned idx)
{
	unsigned lo = 0, hi = pd->nr;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (pd->w[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void pd_read(const struct pd *pd, unsigned off, void *buf, size_t len)
{
	uint8_t *out = buf;
	unsigned end = off + len;

	assert(off + len <= PD_PAGE_SIZE);
	if (!pd) {
		memset(buf, 0, len);
		return;
	}
	if (pd->nr == PD_RAW) {
		memcpy(buf, pd->raw + off, len);
		return;
	}
	memset(buf, pd->fill, len);
	for (unsigned i = lower_bound(pd, off / 8); i < pd->nr && pd->w[i].idx * 8U < end; i++) {
		unsigned ws = pd->w[i].idx * 8, s = ws > off ? ws : off;
		unsigned e = ws + 8 < end ? ws + 8 : end;

		memcpy(out + (s - off), (const uint8_t *)&pd->w[i].val + (s - ws), e - s);
	}
}

/* Words of @buf differing from @fill, into the scratch; false past PD_MAX_WORDS. */
static bool scan(struct pd_pool *pool, const uint8_t *buf, uint8_t fill)
{
	struct pd *c = pool->scratch;
	uint64_t pat = pattern(fill);

	c->fill = fill;
	c->nr = 0;
	for (unsigned i = 0; i < NR_WORDS; i++) {
		uint64_t v;

		memcpy(&v, buf + i * 8, 8);
		if (v == pat)
			continue;
		if (c->nr == PD_MAX_WORDS)
			return false;
		c->w[c->nr++] = (struct pd_word){ v, i };
	}
	return true;
}

/* The content of a whole page in @buf: compact around its first or last byte, else raw. */
static struct pd *compress(struct pd_pool *pool, const uint8_t *buf)
{
	if (scan(pool, buf, buf[0]) || scan(pool, buf, buf[PD_PAGE_SIZE - 1]))
		return intern(pool, NULL);
	return intern(pool, buf);
}

static bool push(struct pd *c, uint16_t idx, uint64_t val)
{
	if (val == pattern(c->fill))
		return true;
	if (c->nr == PD_MAX_WORDS)
		return false;
	c->w[c->nr++] = (struct pd_word){ val, idx };
	return true;
}

/* The compact case of pd_write(): false when the result does not fit. */
static bool write_words(struct pd_pool *pool, const struct pd *pd, unsigned off,
			const uint8_t *buf, uint8_t byte, size_t len)
{
	struct pd *c = pool->scratch;
	unsigned w0 = off / 8, w1 = (off + len - 1) / 8;
	unsigned i = 0, end = off + len;

	c->fill = pd->fill;
	c->nr = 0;
	for (; i < pd->nr && pd->w[i].idx < w0; i++)
		if (!push(c, pd->w[i].idx, pd->w[i].val))
			return false;
	for (unsigned w = w0; w <= w1; w++) {
		unsigned ws = w * 8, s = ws > off ? ws : off;
		unsigned e = ws + 8 < end ? ws + 8 : end;
		uint64_t v = pattern(pd->fill);
		uint8_t *vb = (uint8_t *)&v;

		if (i < pd->nr && pd->w[i].idx == w)
			v = pd->w[i++].val;
		if (buf)
			memcpy(vb + (s - ws), buf + (s - off), e - s);
		else
			memset(vb + (s - ws), byte, e - s);
		if (!push(c, w, v))
			return false;
	}
	for (; i < pd->nr; i++)
		if (!push(c, pd->w[i].idx, pd->w[i].val))
			return false;
	return true;
}

static struct write_memo write_key(struct pd *pd, unsigned off, const uint8_t *buf,
				   uint8_t byte, size_t len)
{
	struct write_memo m = { pd, NULL, off, len, !buf, byte };

	for (size_t i = 0; buf && i < len; i++)	/* len <= 8: no memcpy call */
		m.val |= (uint64_t)buf[i] << (8 * i);
	return m;
}

static bool write_memo_hit(const struct write_memo *a, const struct write_memo *b)
{
	return a->in && a->in == b->in && a->off == b->off && a->len == b->len &&
	       a->fill == b->fill && a->val == b->val;
}

static struct pd *do_write(struct pd_pool *pool, struct pd *pd, unsigned off,
			   const uint8_t *buf, uint8_t byte, size_t len)
{
	struct pd *zero = NULL, *ret;
	struct write_memo key;

	assert(len > 0 && off + len <= PD_PAGE_SIZE);
	if (off == 0 && len == PD_PAGE_SIZE) {
		if (!buf || mem_is_uniform(buf, len))
			return pd_uniform(pool, buf ? buf[0] : byte);
		return compress(pool, buf);
	}
	if (!pd)
		pd = zero = pd_uniform(pool, 0);
	if (len <= 8) {
		key = write_key(pd, off, buf, byte, len);
		if (write_memo_hit(&pool->wm, &key)) {
			pd_put(pool, zero);
			return pd_get(pool->wm.out);
		}
	}
	if (pd->nr != PD_RAW && (off + len - 1) / 8 - off / 8 < PD_MAX_WORDS &&
	    write_words(pool, pd, off, buf, byte, len)) {
		ret = intern(pool, NULL);
	} else {
		pd_read(pd, 0, pool->buf, PD_PAGE_SIZE);
		if (buf)
			memcpy(pool->buf + off, buf, len);
		else
			memset(pool->buf + off, byte, len);
		ret = compress(pool, pool->buf);
	}
	if (len <= 8) {
		pool->wm = key;
		pool->wm.out = ret;
	}
	pd_put(pool, zero);
	return ret;
}

struct pd *pd_write(struct pd_pool *pool, struct pd *pd, unsigned off,
		    const void *buf, size_t len)
{
	return do_write(pool, pd, off, buf, 0, len);
}

struct pd *pd_fill(struct pd_pool *pool, struct pd *pd, unsigned off,
		   uint8_t byte, size_t len)
{
	return do_write(pool, pd, off, NULL, byte, len);
}

static bool line_in(uint64_t lines, uint16_t idx)
{
	return lines & (1ULL << (idx / WORDS_PER_LINE));
}

/* The compact case of pd_merge_lines(): both compact with one fill. */
static bool merge_words(struct pd_pool *pool, const struct pd *dst,
			const struct pd *src, uint64_t lines)
{
	struct pd *c = pool->scratch;
	unsigned i = 0, j = 0;

	c->fill = dst->fill;
	c->nr = 0;
	while (i < dst->nr || j < src->nr) {
		bool take_dst = j == src->nr ||
				(i < dst->nr && dst->w[i].idx < src->w[j].idx);
		const struct pd_word *w = take_dst ? &dst->w[i++] : &src->w[j++];

		if (line_in(lines, w->idx) == take_dst)
			continue;
		if (!push(c, w->idx, w->val))
			return false;
	}
	return true;
}

struct pd *pd_merge_lines(struct pd_pool *pool, struct pd *dst, struct pd *src,
			  uint64_t lines)
{
	struct pd *zd = NULL, *zs = NULL, *ret;

	if (dst == src || !lines)
		return dst ? pd_get(dst) : pd_uniform(pool, 0);
	if (lines == ~0ULL)
		return src ? pd_get(src) : pd_uniform(pool, 0);
	if (dst && src && pool->mm.dst == dst && pool->mm.src == src && pool->mm.lines == lines)
		return pd_get(pool->mm.out);
	if (!dst)
		dst = zd = pd_uniform(pool, 0);
	if (!src)
		src = zs = pd_uniform(pool, 0);
	if (dst->nr != PD_RAW && src->nr != PD_RAW && dst->fill == src->fill &&
	    merge_words(pool, dst, src, lines)) {
		ret = intern(pool, NULL);
	} else {
		pd_read(dst, 0, pool->buf, PD_PAGE_SIZE);
		for (uint64_t l = lines; l; l &= l - 1) {
			unsigned n = __builtin_ctzll(l) * PD_LINE_SIZE;

			pd_read(src, n, pool->buf + n, PD_LINE_SIZE);
		}
		ret = compress(pool, pool->buf);
	}
	pool->mm = (struct merge_memo){ dst, src, ret, lines };
	pd_put(pool, zd);
	pd_put(pool, zs);
	return ret;
}

/* The sparse slot array */


#define FULL_BYTES	(sizeof(struct pd_chunk) + TABLE_ENTRY)
#define CHUNK_BYTES	(FULL_BYTES + PD_MAP_CHUNK * sizeof(uintptr_t))

void pd_map_init(struct pd_map *m, unsigned long *account)
{
	m->chunks = g_hash_table_new(g_direct_hash, g_direct_equal);
	m->account = account;
	m->last_chunk = NULL;
	m->nr_chunks = 0;
}

static struct pd_chunk *chunk_lookup(struct pd_map *m, unsigned long key)
{
	if (m->last_chunk && m->last_key == key)
		return m->last_chunk;
	m->last_chunk = g_hash_table_lookup(m->chunks, GSIZE_TO_POINTER(key));
	m->last_key = key;
	return m->last_chunk;
}

uintptr_t pd_map_lookup(struct pd_map *m, unsigned long index)
{
	struct pd_chunk *c;

	if (!m->nr_chunks)	/* nothing written: no lookup */
		return 0;
	c = chunk_lookup(m, index / PD_MAP_CHUNK);
	if (!c)
		return 0;
	return c->full ? c->all : c->slot[index % PD_MAP_CHUNK];
}

static size_t chunk_bytes(const struct pd_chunk *c)
{
	return c->full ? FULL_BYTES : CHUNK_BYTES;
}

static void chunk_add(struct pd_map *m, unsigned long key, struct pd_chunk *c)
{
	g_hash_table_insert(m->chunks, GSIZE_TO_POINTER(key), c);
	*m->account += chunk_bytes(c);
	m->nr_chunks++;
	m->last_key = key;
	m->last_chunk = c;
}

static void chunk_free(struct pd_map *m, unsigned long key, struct pd_chunk *c)
{
	g_hash_table_remove(m->chunks, GSIZE_TO_POINTER(key));
	if (m->last_chunk == c)
		m->last_chunk = NULL;
	*m->account -= chunk_bytes(c);
	m->nr_chunks--;
	g_free(c);
}

/* A full chunk with its slots spelt out, to change one. */
static struct pd_chunk *chunk_expand(struct pd_map *m, unsigned long key,
				     struct pd_chunk *full)
{
	struct pd_chunk *c = g_malloc0(CHUNK_BYTES - TABLE_ENTRY);

	c->nr = PD_MAP_CHUNK;
	for (unsigned i = 0; i < PD_MAP_CHUNK; i++)
		c->slot[i] = full->all;
	chunk_free(m, key, full);
	chunk_add(m, key, c);
	return c;
}

void pd_map_set(struct pd_map *m, unsigned long index, uintptr_t v)
{
	unsigned long key = index / PD_MAP_CHUNK;
	struct pd_chunk *c = chunk_lookup(m, key);
	uintptr_t *slot;

	if (!c) {
		if (!v)
			return;
		c = g_malloc0(CHUNK_BYTES - TABLE_ENTRY);
		chunk_add(m, key, c);
	}
	if (c->full)
		c = chunk_expand(m, key, c);
	slot = &c->slot[index % PD_MAP_CHUNK];
	c->nr += !*slot - !v;
	*slot = v;
	if (!c->nr)
		chunk_free(m, key, c);
}

static void chunk_drop_all(struct pd_chunk *c, void (*drop)(uintptr_t, void *), void *ctx)
{
	for (unsigned i = 0; i < PD_MAP_CHUNK; i++) {
		uintptr_t v = c->full ? c->all : c->slot[i];

		if (v)
			drop(v, ctx);
	}
}

void pd_map_set_range(struct pd_map *m, unsigned long first, unsigned long last,
		      uintptr_t v, void (*drop)(uintptr_t, void *), void *ctx)
{
	assert(v && first <= last);
	for (;;) {
		unsigned long key = first / PD_MAP_CHUNK, base = key * PD_MAP_CHUNK;
		unsigned long end = base + PD_MAP_CHUNK - 1;	/* the chunk's last */

		if (first == base && last >= end) {
			struct pd_chunk *c = chunk_lookup(m, key);

			if (c) {
				chunk_drop_all(c, drop, ctx);
				chunk_free(m, key, c);
			}
			c = g_malloc0(FULL_BYTES - TABLE_ENTRY);
			*c = (struct pd_chunk){ PD_MAP_CHUNK, true, v };
			chunk_add(m, key, c);
		} else {
			uintptr_t old = pd_map_get(m, first);

			end = first;
			if (old)
				drop(old, ctx);
			pd_map_set(m, first, v);
		}
		if (end >= last)
			return;
		first = end + 1;
	}
}

/* Empty the slots [first, last] of one chunk. */
static void chunk_clear(struct pd_map *m, unsigned long key, unsigned long first,
			unsigned long last, void (*drop)(uintptr_t, void *), void *ctx)
{
	struct pd_chunk *c = chunk_lookup(m, key);
	unsigned long base = key * PD_MAP_CHUNK;

	if (!c)
		return;
	if (c->full)
		c = chunk_expand(m, key, c);
	for (unsigned i = first - base; i <= last - base; i++) {
		if (!c->slot[i])
			continue;
		drop(c->slot[i], ctx);
		c->slot[i] = 0;
		c->nr--;
	}
	if (!c->nr)
		chunk_free(m, key, c);
}

void pd_map_clear(struct pd_map *m, unsigned long first, unsigned long last,
		  void (*drop)(uintptr_t, void *), void *ctx)
{
	unsigned long k0 = first / PD_MAP_CHUNK, k1 = last / PD_MAP_CHUNK;
	GHashTableIter it;
	gpointer key, val;

	if (first > last)
		return;
	if (k0 == k1 && (first % PD_MAP_CHUNK || last % PD_MAP_CHUNK != PD_MAP_CHUNK - 1)) {
		chunk_clear(m, k0, first, last, drop, ctx);
		return;
	}
	/* the chunks cut by the range's ends, then the whole ones */
	if (first % PD_MAP_CHUNK) {
		chunk_clear(m, k0, first, k0 * PD_MAP_CHUNK + PD_MAP_CHUNK - 1, drop, ctx);
		k0++;
	}
	if (last % PD_MAP_CHUNK != PD_MAP_CHUNK - 1) {
		chunk_clear(m, k1, k1 * PD_MAP_CHUNK, last, drop, ctx);
		k1--;
	}
	if (k0 > k1 || !m->nr_chunks)
		return;
	if (k1 - k0 < m->nr_chunks) {
		for (unsigned long kk = k0; kk <= k1; kk++) {
			struct pd_chunk *c = chunk_lookup(m, kk);

			if (!c)
				continue;
			chunk_drop_all(c, drop, ctx);
			chunk_free(m, kk, c);
		}
		return;
	}
	/* the order of the chunks decides nothing here: each is dropped alone */
	m->last_chunk = NULL;
	g_hash_table_iter_init(&it, m->chunks);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		struct pd_chunk *c = val;
		unsigned long kk = GPOINTER_TO_SIZE(key);

		if (kk < k0 || kk > k1)
			continue;
		chunk_drop_all(c, drop, ctx);
		g_hash_table_iter_remove(&it);
		*m->account -= chunk_bytes(c);
		m->nr_chunks--;
		g_free(c);
	}
}

/* Cost: every slot of the map (a full chunk counts its 64), sorted. */
void pd_map_shift(struct pd_map *m, unsigned long from, unsigned long delta, bool down)
{
	GArray *slots = pd_map_slots(m);
	guint first = 0;

	while (first < slots->len && g_array_index(slots, struct pd_slot, first).index < from)
		first++;
	for (guint i = first; i < slots->len; i++)
		pd_map_set(m, g_array_index(slots, struct pd_slot, i).index, 0);
	for (guint i = first; i < slots->len; i++) {
		struct pd_slot s = g_array_index(slots, struct pd_slot, i);
		unsigned long to = down ? s.index - delta : s.index + delta;

		assert(!pd_map_get(m, to));
		pd_map_set(m, to, s.v);
	}
	g_array_free(slots, TRUE);
}

static gint slot_cmp(gconstpointer a, gconstpointer b)
{
	const struct pd_slot *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static void chunk_slots(GArray *out, unsigned long key, const struct pd_chunk *c,
			unsigned long first, unsigned long last)
{
	unsigned long base = key * PD_MAP_CHUNK;

	for (unsigned i = 0; i < PD_MAP_CHUNK; i++) {
		struct pd_slot s = { base + i, c->full ? c->all : c->slot[i] };

		if (s.v && s.index >= first && s.index <= last)
			g_array_append_val(out, s);
	}
}

/*
 * Cost: the chunks of [first, last] looked up one by one, or every chunk
 * of the map when that is fewer; then the slots found, sorted.
 */
GArray *pd_map_slots_range(struct pd_map *m, unsigned long first, unsigned long last)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct pd_slot));
	unsigned long k0 = first / PD_MAP_CHUNK, k1 = last / PD_MAP_CHUNK;
	GHashTableIter it;
	gpointer key, value;

	if (first > last || !m->nr_chunks)
		return out;
	if (k1 - k0 < m->nr_chunks) {
		for (unsigned long kk = k0; kk <= k1; kk++) {
			const struct pd_chunk *c = chunk_lookup(m, kk);

			if (c)
				chunk_slots(out, kk, c, first, last);
		}
		return out;		/* in order already */
	}
	g_hash_table_iter_init(&it, m->chunks);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (GPOINTER_TO_SIZE(key) >= k0 && GPOINTER_TO_SIZE(key) <= k1)
			chunk_slots(out, GPOINTER_TO_SIZE(key), value, first, last);
	/* the hash table's order is the host's: by index */
	g_array_sort(out, slot_cmp);
	return out;
}

GArray *pd_map_slots(struct pd_map *m)
{
	return pd_map_slots_range(m, 0, ~0UL);
}

void pd_map_destroy(struct pd_map *m, void (*drop)(uintptr_t, void *), void *ctx)
{
	pd_map_clear(m, 0, ~0UL, drop, ctx);
	g_hash_table_destroy(m->chunks);
}
