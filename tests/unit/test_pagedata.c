// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/pagedata.c: compact interned page contents and the
 * sparse slot array. Every content is checked against a plain 4 KiB
 * buffer that receives the same operations.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "pagedata.h"

static unsigned long bytes;
static struct pd_pool *pool;

static void fx_init(void)
{
	bytes = 0;
	pool = pd_pool_new(&bytes);
}

static void fx_fini(void)
{
	pd_pool_free(pool);
	cr_assert_eq(bytes, 0, "every content freed and unaccounted");
}

TestSuite(pagedata, .init = fx_init, .fini = fx_fini);

static void assert_reads(const struct pd *pd, const uint8_t *want)
{
	uint8_t got[PD_PAGE_SIZE];

	pd_read(pd, 0, got, PD_PAGE_SIZE);
	cr_assert(memcmp(got, want, PD_PAGE_SIZE) == 0);
	/* and piecewise, across word and line boundaries */
	for (unsigned off = 0; off < PD_PAGE_SIZE; off += 61) {
		unsigned n = off + 13 <= PD_PAGE_SIZE ? 13 : PD_PAGE_SIZE - off;

		pd_read(pd, off, got, n);
		cr_assert(memcmp(got, want + off, n) == 0, "at %u", off);
	}
}

Test(pagedata, uniform_pages_are_one_object)
{
	struct pd *a = pd_uniform(pool, 7), *b;
	uint8_t buf[PD_PAGE_SIZE], v;
	unsigned long one;

	memset(buf, 7, sizeof(buf));
	b = pd_write(pool, NULL, 0, buf, PD_PAGE_SIZE);
	cr_assert_eq(a, b, "equal contents are interned");
	cr_assert(pd_is_uniform(a, &v));
	cr_assert_eq(v, 7);
	one = bytes;
	cr_assert_leq(one, 64, "a page of one byte is a few bytes: %lu", one);
	for (int i = 0; i < 1000; i++)
		pd_put(pool, pd_fill(pool, a, 0, 7, PD_PAGE_SIZE));
	cr_assert_eq(bytes, one);
	assert_reads(a, buf);
	cr_assert(pd_is_uniform(NULL, &v) && v == 0, "NULL reads zero");
	pd_put(pool, a);
	pd_put(pool, b);
}

/* A byte stored over a uniform page; storing the old byte back makes it uniform again. */
Test(pagedata, store_into_uniform_and_back)
{
	struct pd *z = pd_uniform(pool, 0), *s, *back;
	uint8_t want[PD_PAGE_SIZE] = { 0 }, v = 0x5a, zero = 0;

	s = pd_write(pool, z, 100, &v, 1);
	want[100] = 0x5a;
	assert_reads(s, want);
	assert_reads(z, (uint8_t[PD_PAGE_SIZE]){ 0 });
	cr_assert_not(pd_is_uniform(s, &v));
	back = pd_write(pool, s, 100, &zero, 1);
	cr_assert_eq(back, z, "a page that holds one byte again is the uniform page");
	pd_put(pool, back);
	pd_put(pool, s);
	pd_put(pool, z);
}

Test(pagedata, merge_lines_takes_whole_lines)
{
	struct pd *a = pd_uniform(pool, 0x11), *b = pd_uniform(pool, 0x22), *m, *m2;
	uint8_t want[PD_PAGE_SIZE];
	uint64_t lines = (1ULL << 0) | (1ULL << 5) | (1ULL << 63);

	memset(want, 0x11, sizeof(want));
	memset(want, 0x22, 64);
	memset(want + 5 * 64, 0x22, 64);
	memset(want + 63 * 64, 0x22, 64);
	m = pd_merge_lines(pool, a, b, lines);
	assert_reads(m, want);
	m2 = pd_merge_lines(pool, m, a, lines);
	cr_assert_eq(m2, a, "the lines back from a: all 0x11");
	pd_put(pool, m2);
	pd_put(pool, m);
	pd_put(pool, a);
	pd_put(pool, b);
}

/* xorshift: the sequence is fixed, the test deterministic */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Random writes, fills and line merges on two contents, each mirrored on
 * a plain buffer: compact, overflowing into raw and back, every read equal.
 */
Test(pagedata, random_operations_match_a_plain_buffer)
{
	uint8_t ref[2][PD_PAGE_SIZE] = { { 0 } };
	struct pd *pd[2] = { NULL, NULL };
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	for (int step = 0; step < 4000; step++) {
		int i = rnd(&seed) & 1, op = rnd(&seed) % 6;
		unsigned off = rnd(&seed) % PD_PAGE_SIZE;
		unsigned max = op == 1 ? PD_PAGE_SIZE - off : (PD_PAGE_SIZE - off < 16 ? PD_PAGE_SIZE - off : 16);
		unsigned len = 1 + rnd(&seed) % max;
		uint8_t buf[PD_PAGE_SIZE], b = rnd(&seed) % 3;
		struct pd *n;

		if (op == 0 || op == 1) {		/* a store of a few bytes, or a long one */
			for (unsigned j = 0; j < len; j++)
				buf[j] = rnd(&seed) % 4 ? b : (uint8_t)rnd(&seed);
			n = pd_write(pool, pd[i], off, buf, len);
			memcpy(ref[i] + off, buf, len);
		} else if (op == 2) {
			n = pd_fill(pool, pd[i], off, b, len);
			memset(ref[i] + off, b, len);
		} else if (op == 3) {
			uint64_t lines = rnd(&seed) & rnd(&seed);

			n = pd_merge_lines(pool, pd[i], pd[!i], lines);
			for (int l = 0; l < 64; l++)
				if (lines & (1ULL << l))
					memcpy(ref[i] + l * 64, ref[!i] + l * 64, 64);
		} else if (op == 4 && rnd(&seed) % 8 == 0) {
			n = pd_uniform(pool, b);
			memset(ref[i], b, PD_PAGE_SIZE);
		} else {
			continue;
		}
		pd_put(pool, pd[i]);
		pd[i] = n;
		assert_reads(pd[i], ref[i]);
		if (memcmp(ref[0], ref[1], PD_PAGE_SIZE) == 0)
			cr_assert_eq(pd[0], pd[1], "step %d: equal contents are one object", step);
	}
	pd_put(pool, pd[0]);
	pd_put(pool, pd[1]);
}

static void drop(uintptr_t v, void *ctx)
{
	(*(int *)ctx)++;
	cr_assert_neq(v, 0);
}

Test(pagedata, map_is_sparse_and_clears_ranges)
{
	struct pd_map m;
	int dropped = 0;

	pd_map_init(&m, &bytes);
	cr_assert_eq(pd_map_get(&m, 1UL << 40), 0);
	cr_assert_eq(bytes, 0, "a lookup allocates nothing");
	pd_map_set(&m, 1UL << 40, 3);
	pd_map_set(&m, 5, 7);
	pd_map_set(&m, 6, 9);
	cr_assert_eq(pd_map_get(&m, 1UL << 40), 3);
	cr_assert_eq(pd_map_get(&m, 5), 7);
	cr_assert_eq(pd_map_get(&m, 4), 0);
	cr_assert_lt(bytes, 2 * 1024, "two chunks");
	pd_map_clear(&m, 6, 1UL << 40, drop, &dropped);
	cr_assert_eq(dropped, 2);
	cr_assert_eq(pd_map_get(&m, 6), 0);
	cr_assert_eq(pd_map_get(&m, 5), 7);
	pd_map_set(&m, 5, 0);
	cr_assert_eq(bytes, 0, "an empty chunk is freed");
	pd_map_destroy(&m, drop, &dropped);
	cr_assert_eq(dropped, 2);
}

/* A range of one value: whole chunks cost no slot array, a set inside one spells it out. */
Test(pagedata, map_set_range)
{
	struct pd_map m;
	int dropped = 0;
	unsigned long full;

	pd_map_init(&m, &bytes);
	pd_map_set(&m, 10, 5);
	pd_map_set_range(&m, 10, 64 * 1000 + 9, 8, drop, &dropped);
	cr_assert_eq(dropped, 1, "the value replaced at 10");
	cr_assert_eq(pd_map_get(&m, 9), 0);
	cr_assert_eq(pd_map_get(&m, 10), 8);
	cr_assert_eq(pd_map_get(&m, 64 * 500 + 17), 8);
	cr_assert_eq(pd_map_get(&m, 64 * 1000 + 9), 8);
	cr_assert_eq(pd_map_get(&m, 64 * 1000 + 10), 0);
	full = bytes;
	cr_assert_lt(full, 1000 * 64, "%lu bytes for 64,000 slots", full);
	pd_map_set(&m, 64 * 500 + 17, 0);
	cr_assert_eq(pd_map_get(&m, 64 * 500 + 17), 0);
	cr_assert_eq(pd_map_get(&m, 64 * 500 + 16), 8);
	cr_assert_gt(bytes, full, "the chunk spelt out");
	dropped = 0;
	pd_map_clear(&m, 64 * 500 + 1, 64 * 501 + 1, drop, &dropped);
	cr_assert_eq(dropped, 64 + 1 - 1, "65 slots, one already empty");
	cr_assert_eq(pd_map_get(&m, 64 * 500), 8);
	cr_assert_eq(pd_map_get(&m, 64 * 501 + 2), 8);
	dropped = 0;
	pd_map_destroy(&m, drop, &dropped);
	cr_assert_eq(dropped, 64 * 1000 - 65);
	cr_assert_eq(bytes, 0);
}

/*
 * pd_map_shift(): every slot from @from on moves by @delta, down or up,
 * across chunk boundaries and out of a full chunk, with nothing dropped;
 * the slots below @from stay.
 */
Test(pagedata, map_shift)
{
	struct pd_map m;
	int dropped = 0;

	pd_map_init(&m, &bytes);
	pd_map_set(&m, 3, 1);
	pd_map_set(&m, 70, 2);
	pd_map_set_range(&m, 128, 191, 4, drop, &dropped);	/* a full chunk */
	pd_map_shift(&m, 70, 5, true);
	cr_assert_eq(pd_map_get(&m, 3), 1);
	cr_assert_eq(pd_map_get(&m, 65), 2);
	cr_assert_eq(pd_map_get(&m, 70), 0);
	cr_assert_eq(pd_map_get(&m, 123), 4);
	cr_assert_eq(pd_map_get(&m, 186), 4);
	cr_assert_eq(pd_map_get(&m, 187), 0);
	pd_map_shift(&m, 4, 1000, false);
	cr_assert_eq(pd_map_get(&m, 3), 1);
	cr_assert_eq(pd_map_get(&m, 65), 0);
	cr_assert_eq(pd_map_get(&m, 1065), 2);
	cr_assert_eq(pd_map_get(&m, 1123), 4);
	cr_assert_eq(pd_map_get(&m, 1186), 4);
	cr_assert_eq(dropped, 0);
	pd_map_destroy(&m, drop, &dropped);
	cr_assert_eq(dropped, 1 + 1 + 64);
	cr_assert_eq(bytes, 0);
}

/* The first slot pd_map_slots_range() gives, or ~0UL: both of its ways. */
static unsigned long first_slot(struct pd_map *m, unsigned long first, unsigned long last)
{
	GArray *s = pd_map_slots_range(m, first, last);
	unsigned long i = s->len ? g_array_index(s, struct pd_slot, 0).index : ~0UL;

	for (guint j = 1; j < s->len; j++)
		cr_assert_gt(g_array_index(s, struct pd_slot, j).index,
			     g_array_index(s, struct pd_slot, j - 1).index, "sorted");
	g_array_free(s, TRUE);
	return i;
}

/*
 * pd_map_slots_range() against a scan of every index, in a map with a full
 * chunk and far chunks: by chunk lookups for a short range, by the whole
 * table for a long one.
 */
Test(pagedata, map_slots_range_finds_the_slots_in_range)
{
	static const unsigned long set[] = { 3, 63, 64, 200, 64 * 7 + 1, 1UL << 30, (1UL << 40) + 5 };
	struct pd_map m;
	int dropped = 0;
	GArray *all;

	pd_map_init(&m, &bytes);
	cr_assert_eq(first_slot(&m, 0, ~0UL), ~0UL, "an empty map");
	for (unsigned i = 0; i < G_N_ELEMENTS(set); i++)
		pd_map_set(&m, set[i], 1);
	pd_map_set_range(&m, 1024, 1087, 2, drop, &dropped);	/* a full chunk */
	cr_assert_eq(first_slot(&m, 0, ~0UL), 3);
	cr_assert_eq(first_slot(&m, 4, ~0UL), 63);
	cr_assert_eq(first_slot(&m, 64, 64), 64);
	cr_assert_eq(first_slot(&m, 65, 199), ~0UL, "nothing in [65, 199]");
	cr_assert_eq(first_slot(&m, 65, 200), 200);
	cr_assert_eq(first_slot(&m, 201, 1024), 64 * 7 + 1);
	cr_assert_eq(first_slot(&m, 64 * 7 + 2, ~0UL), 1024);
	cr_assert_eq(first_slot(&m, 1030, 1030), 1030, "inside the full chunk");
	cr_assert_eq(first_slot(&m, 1088, ~0UL), 1UL << 30, "past more chunks than the map has");
	cr_assert_eq(first_slot(&m, (1UL << 30) + 1, 1UL << 40), ~0UL);
	cr_assert_eq(first_slot(&m, (1UL << 30) + 1, ~0UL), (1UL << 40) + 5);
	cr_assert_eq(first_slot(&m, 9, 8), ~0UL, "an empty range");
	all = pd_map_slots(&m);
	cr_assert_eq(all->len, G_N_ELEMENTS(set) + 64);
	g_array_free(all, TRUE);
	/* every start in the first few chunks against a scan */
	for (unsigned long a = 0; a < 1200; a++) {
		unsigned long want = ~0UL;

		for (unsigned long x = a; x < 1200 && want == ~0UL; x++)
			if (pd_map_get(&m, x))
				want = x;
		cr_assert_eq(first_slot(&m, a, 1199), want, "from %lu", a);
	}
	pd_map_destroy(&m, drop, &dropped);
	cr_assert_eq(bytes, 0);
}
