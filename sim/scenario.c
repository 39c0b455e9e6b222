// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario parser. A line is: [CONDITIONS] COMMAND ARGS... [=> RESULT]
 * [# comment]. Every line is checked here (names declared before use,
 * numbers, attributes), so the runner never meets bad input.
 */
#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "invariants.h"
#include "policy.h"
#include "scenario.h"
#include "types.h"

struct tok {
	char *s;
	int col;
};

/* What the parser knows of a handle: its line's command, `write`, length. */
struct phandle {
	const char *kind;	/* "gup" or "pin" */
	bool write;
	uint64_t len;
};

struct parser {
	const char *path;
	int line;
	GArray *toks;		/* struct tok */
	guint pos;
	int end_col;
	char *err;
	GHashTable *files, *procs;
	GHashTable *maps;	/* map name -> process name (the one that mmapped it) */
	GHashTable *handles;	/* gup/pin handle name -> struct phandle */
	GHashTable *inherited;	/* "MAP PROC": PROC has MAP by fork */
	bool started;		/* an object exists: setup lines are over */
	bool seen_policy;
	/* the `switch unbind-memory on` (0) and `unbind-storage on` (1) lines, 0: off */
	int unbind_sw_line[2];
	/* threads */
	int block_line;		/* the open `concurrent` line, 0 outside a block */
	int nr_threads;		/* of the open block */
	char *thread_proc;	/* the process of the thread being parsed */
	int thread_ops;		/* its operations so far */
	bool after_block;	/* an `end` and no operation since: expect deadlock etc. */
	struct scenario *s;
};

static bool perr(struct parser *p, int col, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool perr(struct parser *p, int col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->err)
		return false;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p->err = g_strdup_printf("%s:%d:%d: %s", p->path, p->line, col, msg);
	g_free(msg);
	return false;
}

/* Edit distance, capped: enough to tell a typo. */
static unsigned distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64], prev, cur;

	if (la >= G_N_ELEMENTS(row) || lb >= G_N_ELEMENTS(row))
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1),
				     prev + (g_ascii_tolower(a[i - 1]) != g_ascii_tolower(b[j - 1])));
			prev = cur;
		}
	}
	return row[lb];
}

/*
 * What to say after "unknown ... 'W'": the valid name W is closest to, when
 * it is a typo of one (two edits at most, fewer for short words), else the
 * valid names. Frees @names (char *, not owned).
 */
static char *hint(const char *w, GPtrArray *names)
{
	const char *best = NULL;
	unsigned best_d = 99;
	GString *all = g_string_new(NULL);

	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		unsigned d = distance(w, n);

		/* "no-zero-unmap" for "bug-no-zero-unmap" */
		if (g_str_has_prefix(n, "bug-"))
			d = MIN(d, distance(w, n + 4) + 1);

		if (d < best_d)
			best = n, best_d = d;
		g_string_append_printf(all, "%s%s", i ? ", " : "", n);
	}
	/* a letter's case is no edit; short names need a close match */
	if (best && best_d <= (strlen(best) >= 4 ? 2u : strlen(best) == 3 ? 1u : 0u)) {
		g_string_printf(all, "did you mean '%s'?", best);
	} else if (!names->len) {
		g_string_assign(all, "none is declared");
	} else {
		g_string_prepend(all, names->len > 1 ? "one of: " : "only: ");
	}
	g_ptr_array_free(names, TRUE);
	return g_string_free(all, FALSE);
}

static GPtrArray *words(const char *const *set)
{
	GPtrArray *a = g_ptr_array_new();

	for (; *set; set++)
		g_ptr_array_add(a, (gpointer)*set);
	return a;
}

/* The keys of a name set, sorted (a hash table's order is the host's). */
static GPtrArray *keys(GHashTable *set, GHashTable *owner_of, const char *owner)
{
	GPtrArray *a = g_ptr_array_new();
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, owner_of ? owner_of : set);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!owner || strcmp(v, owner) == 0)
			g_ptr_array_add(a, k);
	g_ptr_array_sort(a, (GCompareFunc)(void *)g_strcmp0);
	return a;
}

char *name_hint(const char *w, const char *const *names, size_t n)
{
	GPtrArray *a = g_ptr_array_new();

	for (size_t i = 0; i < n; i++)
		g_ptr_array_add(a, (gpointer)names[i]);
	return hint(w, a);
}

/* The switches' names, or only the bug variants'. */
static GPtrArray *switch_names(bool bugs)
{
	GPtrArray *a = g_ptr_array_new();

	for (int i = 0; i < NR_SWITCHES; i++)
		if (!bugs || switch_descs[i].bug)
			g_ptr_array_add(a, (gpointer)switch_descs[i].name);
	return a;
}

/* perr() with the hint for @w among @names. */
#define perr_hint(p, col, names, w, fmt, ...)					\
	({ char *__h = hint(w, names);						\
	   bool __r = perr(p, col, fmt " (%s)", ##__VA_ARGS__, __h);		\
	   g_free(__h); __r; })

bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v, mult = 1;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = g_ascii_strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 'k':	/* "kB", as /proc prints it */
		if (end[1] != 'B')
			return false;
		/* fall through */
	case 'K': mult = 1ULL << 10; end++; break;
	case 'M': mult = 1ULL << 20; end++; break;
	case 'G': mult = 1ULL << 30; end++; break;
	case 'T': mult = 1ULL << 40; end++; break;
	}
	if (*end == 'B' && mult > 1)
		end++;
	if (*end)
		return false;
	if (v && mult > UINT64_MAX / v)
		return false;
	*out = v * mult;
	return true;
}

static bool valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static struct tok *peek(struct parser *p)
{
	return p->pos < p->toks->len ? &g_array_index(p->toks, struct tok, p->pos) : NULL;
}

static struct tok *next(struct parser *p, const char *what)
{
	struct tok *t = peek(p);

	if (!t) {
		perr(p, p->end_col, "missing %s", what);
		return NULL;
	}
	p->pos++;
	return t;
}

static bool num_tok(struct parser *p, struct tok *t, const char *what, uint64_t *out)
{
	if (!t)
		return false;
	if (!parse_size(t->s, out))
		return perr(p, t->col, "%s: '%s' is not a number or size", what, t->s);
	return true;
}

static bool next_num(struct parser *p, const char *what, uint64_t *out)
{
	return num_tok(p, next(p, what), what, out);
}

static char *next_known(struct parser *p, GHashTable *set, const char *what)
{
	struct tok *t = next(p, what);

	if (!t)
		return NULL;
	if (!g_hash_table_contains(set, t->s)) {
		perr_hint(p, t->col, keys(set, NULL, NULL), t->s, "unknown %s '%s'", what, t->s);
		return NULL;
	}
	return g_strdup(t->s);
}

static char *next_new_name(struct parser *p, GHashTable *set, const char *what)
{
	struct tok *t = next(p, what);

	if (!t)
		return NULL;
	if (!valid_name(t->s)) {
		perr(p, t->col, "'%s' is not a valid %s name", t->s, what);
		return NULL;
	}
	if (g_hash_table_contains(p->files, t->s) || g_hash_table_contains(p->procs, t->s) ||
	    g_hash_table_contains(p->maps, t->s) || g_hash_table_contains(p->handles, t->s)) {
		perr(p, t->col, "the name '%s' is already used", t->s);
		return NULL;
	}
	if (set)
		g_hash_table_add(set, g_strdup(t->s));
	return g_strdup(t->s);
}

/* Whether @proc has mapping @map: it mmapped it, or a parent had it at fork. */
static bool has_map(struct parser *p, const char *map, const char *proc)
{
	const char *owner = g_hash_table_lookup(p->maps, map);
	char *key;
	bool in;

	if (owner && strcmp(owner, proc) == 0)
		return true;
	key = g_strdup_printf("%s %s", map, proc);
	in = g_hash_table_contains(p->inherited, key);
	g_free(key);
	return in;
}

/* The mappings of @proc, sorted: for the hint on an unknown one. */
static GPtrArray *proc_maps(struct parser *p, const char *proc)
{
	GPtrArray *a = keys(NULL, p->maps, NULL);

	for (guint i = 0; i < a->len; i++)
		if (!has_map(p, g_ptr_array_index(a, i), proc))
			g_ptr_array_remove_index(a, i--);
	return a;
}

/* fork PARENT CHILD: the child has each mapping the parent has now. */
static void inherit_maps(struct parser *p, const char *parent, const char *child)
{
	GPtrArray *a = proc_maps(p, parent);

	for (guint i = 0; i < a->len; i++)
		g_hash_table_add(p->inherited, g_strdup_printf("%s %s",
			(char *)g_ptr_array_index(a, i), child));
	g_ptr_array_free(a, TRUE);
}

/* A mapping of process @proc. */
static char *next_map(struct parser *p, const char *proc)
{
	struct tok *t = next(p, "mapping name");
	const char *owner;

	if (!t)
		return NULL;
	owner = g_hash_table_lookup(p->maps, t->s);
	if (!owner) {
		perr_hint(p, t->col, proc_maps(p, proc), t->s, "unknown mapping '%s'", t->s);
		return NULL;
	}
	if (!has_map(p, t->s, proc)) {
		perr(p, t->col, "mapping '%s' belongs to process %s, not %s", t->s, owner, proc);
		return NULL;
	}
	return g_strdup(t->s);
}

/* MAP, MAP+OFF or an absolute address 0x... */
static bool next_addr(struct parser *p, const char *proc, struct addr_spec *a)
{
	struct tok *t = next(p, "address (MAP+OFFSET or 0xADDRESS)");
	char *plus, *name;
	const char *owner;

	if (!t)
		return false;
	a->col = t->col;
	if (isdigit((unsigned char)t->s[0])) {
		a->map = NULL;
		return num_tok(p, t, "address", &a->off);
	}
	plus = strchr(t->s, '+');
	name = plus ? g_strndup(t->s, plus - t->s) : g_strdup(t->s);
	owner = g_hash_table_lookup(p->maps, name);
	if (!owner) {
		perr_hint(p, t->col, proc_maps(p, proc), name,
			  "unknown mapping '%s' in address '%s'", name, t->s);
		g_free(name);
		return false;
	}
	if (!has_map(p, name, proc)) {
		perr(p, t->col, "mapping '%s' belongs to process %s, not %s", name, owner, proc);
		g_free(name);
		return false;
	}
	a->map = name;
	a->off = 0;
	if (plus && !parse_size(plus + 1, &a->off))
		return perr(p, t->col + (int)(plus - t->s) + 1,
			    "'%s' is not an offset", plus + 1);
	return true;
}

/* The remaining tokens as KEY=VALUE or bare words, each checked by @ok. */
static bool rest_attrs(struct parser *p, struct cmd *c,
		       bool (*ok)(struct parser *p, struct cmd *c, struct attr *a))
{
	struct tok *t;

	c->attrs = g_array_new(FALSE, TRUE, sizeof(struct attr));
	while ((t = peek(p))) {
		struct attr a = { .col = t->col };
		char *eq = strchr(t->s, '=');

		p->pos++;
		if (eq) {
			a.key = g_strndup(t->s, eq - t->s);
			a.val = g_strdup(eq + 1);
			if (!*a.key || !*a.val) {
				g_free(a.key);
				g_free(a.val);
				return perr(p, t->col, "'%s': expected KEY=VALUE", t->s);
			}
		} else {
			a.key = g_strdup(t->s);
		}
		g_array_append_val(c->attrs, a);
		if (!ok(p, c, &g_array_index(c->attrs, struct attr, c->attrs->len - 1)))
			return false;
	}
	return true;
}

static bool attr_num(struct parser *p, struct attr *a)
{
	if (!a->val)
		return perr(p, a->col, "'%s' needs a value (%s=N)", a->key, a->key);
	if (!parse_size(a->val, &a->num))
		return perr(p, a->col + (int)strlen(a->key) + 1,
			    "'%s' is not a number or size", a->val);
	return true;
}

static bool word_in(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(w, *set) == 0)
			return true;
	return false;
}

static bool parse_prot(struct parser *p, struct attr *a, int *prot)
{
	static const struct { const char *n; int v; } prots[] = {
		{ "none", PROT_NONE }, { "read", PROT_READ }, { "write", PROT_WRITE },
		{ "rw", PROT_READ | PROT_WRITE }, { "read,write", PROT_READ | PROT_WRITE },
	};

	if (!a->val)
		return perr(p, a->col, "prot needs a value: none, read, write or rw");
	for (unsigned i = 0; i < G_N_ELEMENTS(prots); i++)
		if (strcmp(a->val, prots[i].n) == 0) {
			*prot = prots[i].v;
			return true;
		}
	return perr(p, a->col + 5, "unknown protection '%s' (none, read, write, rw)", a->val);
}

static bool mmap_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	static const char *const flags[] = { "shared", "private", "fixed", "populate",
					     "nohuge", "sync", "shared-validate", NULL };

	if (a->val) {
		if (strcmp(a->key, "prot") == 0)
			return parse_prot(p, a, &c->prot);
		if (strcmp(a->key, "len") == 0 || strcmp(a->key, "off") == 0 ||
		    strcmp(a->key, "addr") == 0) {
			if (!attr_num(p, a))
				return false;
			if (a->key[0] == 'l') { c->len = a->num; c->has_len = true; }
			else if (a->key[0] == 'o') { c->off = a->num; c->has_off = true; }
			else c->addr.off = a->num;
			return true;
		}
		return perr(p, a->col, "mmap: unknown option '%s' (len=, off=, addr=, prot=)", a->key);
	}
	if (!word_in(a->key, flags))
		return perr(p, a->col, "mmap: unknown flag '%s' (shared, private, fixed, populate, nohuge, sync)", a->key);
	if (strcmp(a->key, "shared") == 0) c->flags = (c->flags & ~MAP_TYPE) | MAP_SHARED;
	else if (strcmp(a->key, "private") == 0) c->flags = (c->flags & ~MAP_TYPE) | MAP_PRIVATE;
	else if (strcmp(a->key, "shared-validate") == 0) c->flags = (c->flags & ~MAP_TYPE) | MAP_SHARED_VALIDATE;
	else if (strcmp(a->key, "fixed") == 0) c->flags |= MAP_FIXED;
	else if (strcmp(a->key, "populate") == 0) c->flags |= MAP_POPULATE;
	else if (strcmp(a->key, "sync") == 0) c->flags |= MAP_SYNC;
	else c->nohuge = true;
	return true;
}

static bool file_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (!a->val) {
		if (strcmp(a->key, "dax") == 0) { c->dax = true; return true; }
		if (strcmp(a->key, "nodax") == 0) { c->dax = false; return true; }
		return perr(p, a->col, "file: unknown flag '%s' (dax, nodax)", a->key);
	}
	if (strcmp(a->key, "size") == 0) {
		if (!attr_num(p, a))
			return false;
		c->size = a->num;
		return true;
	}
	if (strcmp(a->key, "data") == 0) {
		if (!attr_num(p, a))
			return false;
		if (a->num > 0xff)
			return perr(p, a->col + 5, "data is one byte value, 0 to 0xff");
		c->value = a->num;
		c->has_data = true;
		return true;
	}
	if (strcmp(a->key, "mode") == 0) {
		if (strcmp(a->val, "rw") && strcmp(a->val, "ro"))
			return perr(p, a->col + 5, "mode is rw or ro");
		c->writable_file = strcmp(a->val, "rw") == 0;
		return true;
	}
	return perr(p, a->col, "file: unknown option '%s' (size=, data=, mode=)", a->key);
}

/*
 * read F OFF LEN into PROC ADDR, write F OFF LEN from PROC ADDR: the
 * buffer is user memory of PROC (a mapping, MAP+OFF, or an address).
 */
static bool user_buffer(struct parser *p, struct cmd *c)
{
	const char *word = c->kind == CMD_READ ? "into" : "from";
	struct tok *t = peek(p);

	if (!t || strcmp(t->s, word))
		return true;
	p->pos++;
	if (!(c->proc = next_known(p, p->procs, "process")) || !next_addr(p, c->proc, &c->addr))
		return false;
	return true;
}

/* Options shared by loads, stores and touches. */
static bool access_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	bool file_io = c->kind == CMD_READ || c->kind == CMD_WRITE;

	if (file_io && !a->val && (strcmp(a->key, "into") == 0 || strcmp(a->key, "from") == 0)) {
		if ((c->kind == CMD_READ) != (a->key[0] == 'i'))
			return perr(p, a->col, "%s: the buffer is '%s PROC ADDR', not '%s'",
				    c->kind == CMD_READ ? "read" : "write",
				    c->kind == CMD_READ ? "into" : "from", a->key);
		return perr(p, a->col, "%s: '%s PROC ADDR' comes right after the length",
			    c->kind == CMD_READ ? "read" : "write", a->key);
	}

	if (a->val && file_io && strcmp(a->key, "value") != 0)
		return perr(p, a->col, "%s: unknown option '%s' (value=, direct)",
			    c->kind == CMD_READ ? "read" : "write", a->key);
	if (a->val && c->kind == CMD_READ)
		return perr(p, a->col, "read: unknown option '%s' (direct)", a->key);
	if (a->val && (strcmp(a->key, "size") == 0 || strcmp(a->key, "step") == 0 ||
		       strcmp(a->key, "value") == 0)) {
		if (!attr_num(p, a))
			return false;
		if (a->key[0] == 's' && a->key[1] == 'i') {
			if (a->num != 1 && a->num != 2 && a->num != 4 && a->num != 8)
				return perr(p, a->col + 5, "size is 1, 2, 4 or 8 bytes");
			c->access_size = a->num;
		} else if (a->key[0] == 's') {
			if (!a->num || a->num % PAGE_SIZE)
				return perr(p, a->col + 5, "step must be a positive multiple of 4K");
			c->step = a->num;
		} else {
			c->value = a->num;
			c->has_value = true;
		}
		return true;
	}
	if ((c->kind == CMD_READ || c->kind == CMD_WRITE) && !a->val &&
	    strcmp(a->key, "direct") == 0) {
		c->direct = true;	/* O_DIRECT: on a DAX file the same path */
		return true;
	}
	if (c->kind == CMD_TOUCH && !a->val &&
	    (strcmp(a->key, "read") == 0 || strcmp(a->key, "write") == 0)) {
		c->write = a->key[0] == 'w';
		c->on = true;	/* the mode was given */
		return true;
	}
	return perr(p, a->col, "unknown option '%s'", a->key);
}

static bool keep_size_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (!a->val && strcmp(a->key, "keep-size") == 0) {
		c->keep_size = true;
		return true;
	}
	return perr(p, a->col, "unknown option '%s' (keep-size)", a->key);
}

/* expect block ... [durable|volatile]: are all its lines on the media? */
static bool block_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (!a->val && (strcmp(a->key, "durable") == 0 || strcmp(a->key, "volatile") == 0))
		return true;
	return perr(p, a->col, "expect block: durable or volatile, not '%s'", a->key);
}

static bool no_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	(void)c;
	return perr(p, a->col, "unexpected '%s'", a->key);
}

/* [OFF [LEN]] after a mapping */
static bool opt_range(struct parser *p, struct cmd *c)
{
	struct tok *t = peek(p);

	if (!t || strchr(t->s, '=') || !isdigit((unsigned char)t->s[0]))
		return true;
	if (!next_num(p, "offset", &c->off))
		return false;
	c->has_off = true;
	t = peek(p);
	if (!t || strchr(t->s, '=') || !isdigit((unsigned char)t->s[0]))
		return true;
	if (!next_num(p, "length", &c->len))
		return false;
	c->has_len = true;
	return true;
}

static bool madvise_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	static const struct { const char *n; int v; } adv[] = {
		{ "dontneed", MADV_DONTNEED }, { "hugepage", MADV_HUGEPAGE },
		{ "nohugepage", MADV_NOHUGEPAGE }, { "remove", 9 },
	};

	for (unsigned i = 0; !a->val && i < G_N_ELEMENTS(adv); i++)
		if (strcmp(a->key, adv[i].n) == 0) {
			c->advice = adv[i].v;
			return true;
		}
	return perr(p, a->col, "madvise: unknown advice '%s' (dontneed, hugepage, nohugepage, remove)", a->key);
}

static bool mremap_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (!a->val && strcmp(a->key, "maymove") == 0) {
		c->flags |= 1;		/* MREMAP_MAYMOVE */
		return true;
	}
	if (!a->val && strcmp(a->key, "fixed") == 0) {
		c->flags |= 2;		/* MREMAP_FIXED */
		return true;
	}
	if (a->val && strcmp(a->key, "addr") == 0) {
		if (!attr_num(p, a))
			return false;
		c->addr.off = a->num;
		return true;
	}
	return perr(p, a->col, "mremap: unknown option '%s' (maymove, fixed, addr=)", a->key);
}

static bool crash_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (a->val && strcmp(a->key, "seed") == 0) {
		if (!attr_num(p, a))
			return false;
		c->value = a->num;
		c->has_value = true;
		return true;
	}
	return perr(p, a->col, "crash: unknown option '%s' (seed=N)", a->key);
}

static bool msync_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (!a->val && strcmp(a->key, "sync") == 0) {
		c->flags = (c->flags & ~(MS_SYNC | MS_ASYNC)) | MS_SYNC;
		return true;
	}
	if (!a->val && strcmp(a->key, "async") == 0) {
		c->flags = (c->flags & ~(MS_SYNC | MS_ASYNC)) | MS_ASYNC;
		return true;
	}
	if (!a->val && strcmp(a->key, "invalidate") == 0) { c->flags |= MS_INVALIDATE; return true; }
	return perr(p, a->col, "msync: unknown flag '%s' (sync, async, invalidate)", a->key);
}

static bool mprotect_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (a->val && strcmp(a->key, "prot") == 0) {
		c->on = true;
		return parse_prot(p, a, &c->prot);
	}
	return perr(p, a->col, "mprotect: unknown option '%s' (prot=)", a->key);
}

/* Expectation attributes are checked against the kind of expectation. */
static bool expect_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	static const char *const pte_words[] = { "none", "present", "write", "ro",
		"dirty", "clean", "young", "old", "zero", "anon", "page", "special", "pmd", "pte", NULL };
	static const char *const entry_words[] = { "none", "empty", "zero", "page", "dirty",
		"clean", "towrite", "!towrite", "locked", "unlocked", "pmd", "pte", NULL };
	static const char *const smaps_keys[] = { "Size", "Rss", "Pss", "Shared_Clean",
		"Shared_Dirty", "Private_Clean", "Private_Dirty", "Referenced",
		"Anonymous", "AnonHugePages", NULL };

	switch (c->expect) {
	case EXP_PTE:
		if (!a->val)
			return word_in(a->key, pte_words) ? true :
			       perr_hint(p, a->col, words(pte_words), a->key,
					 "expect pte: unknown state '%s'", a->key);
		if (strcmp(a->key, "block") == 0)
			return attr_num(p, a);
		return perr(p, a->col, "expect pte: unknown option '%s' (block=N)", a->key);
	case EXP_ENTRY:
		if (!a->val)
			return word_in(a->key, entry_words) ? true :
			       perr_hint(p, a->col, words(entry_words), a->key,
					 "expect entry: unknown state '%s'", a->key);
		if (strcmp(a->key, "block") == 0)
			return attr_num(p, a);
		return perr(p, a->col, "expect entry: unknown option '%s' (block=N)", a->key);
	case EXP_RSS:
		if (a->val && (strcmp(a->key, "file") == 0 || strcmp(a->key, "anon") == 0))
			return attr_num(p, a);
		return perr(p, a->col, "expect rss: file=SIZE or anon=SIZE, not '%s'", a->key);
	case EXP_SMAPS:
		if (a->val && word_in(a->key, smaps_keys))
			return attr_num(p, a);
		return perr_hint(p, a->col, words(smaps_keys), a->key,
				 "expect smaps: unknown field '%s'", a->key);
	case EXP_FAULTS:
		if (a->val && (strcmp(a->key, "minor") == 0 || strcmp(a->key, "major") == 0))
			return attr_num(p, a);
		return perr(p, a->col, "expect faults: minor=N or major=N, not '%s'", a->key);
	case EXP_MEMORY:
		if (a->val && strcmp(a->key, "used") == 0)
			return attr_num(p, a);
		return perr(p, a->col, "expect memory: used=SIZE, not '%s'", a->key);
	case EXP_STAT:
		if (a->val && (strcmp(a->key, "size") == 0 || strcmp(a->key, "blocks") == 0))
			return attr_num(p, a);
		return perr(p, a->col, "expect stat: size=N or blocks=N, not '%s'", a->key);
	default:
		return perr(p, a->col, "unexpected '%s'", a->key);
	}
}

/* A keyword and what it stands for. */
struct kw {
	const char *n;
	int k;
};

/* The entry of @tab that @t names, or NULL after an error that hints at the valid ones. */
static const struct kw *kw_lookup(struct parser *p, const struct tok *t, const struct kw *tab,
				  size_t n, const char *what)
{
	GPtrArray *names;

	for (size_t i = 0; i < n; i++)
		if (strcmp(t->s, tab[i].n) == 0)
			return &tab[i];
	names = g_ptr_array_new();
	for (size_t i = 0; i < n; i++)
		g_ptr_array_add(names, (gpointer)tab[i].n);
	perr_hint(p, t->col, names, t->s, "%s '%s'", what, t->s);
	return NULL;
}

/* The errnos results name, by their kernel names. */
static const struct kw errnos[] = {
	{ "EPERM", EPERM }, { "EIO", EIO }, { "EBADF", EBADF }, { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "EINVAL", EINVAL }, { "EFBIG", EFBIG },
	{ "ENOSPC", ENOSPC }, { "ENOSYS", ENOSYS }, { "EOVERFLOW", EOVERFLOW },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENODEV", ENODEV }, { "ENXIO", ENXIO },
};

const char *errno_name(int e)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(errnos); i++)
		if (errnos[i].k == e)
			return errnos[i].n;
	return NULL;
}

static bool parse_result(struct parser *p, struct tok *t, struct result_spec *r)
{
	uint64_t v;

	r->col = t->col;
	if (strcmp(t->s, "ok") == 0) { r->kind = RES_OK; return true; }
	if (strcmp(t->s, "SIGBUS") == 0) { r->kind = RES_SIGBUS; return true; }
	/*
	 * SIGBUS:CODE, the si_code (x86 do_sigbus(): BUS_ADRERR; memory_failure():
	 * BUS_MCEERR_AR; the machine check's force_sig(SIGBUS, current): SI_KERNEL)
	 */
	if (strncmp(t->s, "SIGBUS:", 7) == 0) {
		r->kind = RES_SIGBUS;
		if (strcmp(t->s + 7, "BUS_ADRERR") == 0)
			r->si_code = 2;
		else if (strcmp(t->s + 7, "BUS_MCEERR_AR") == 0)
			r->si_code = 4;
		else if (strcmp(t->s + 7, "SI_KERNEL") == 0)
			r->si_code = 0x80;
		else
			return perr(p, t->col + 7, "'%s' is not a SIGBUS code (BUS_ADRERR, BUS_MCEERR_AR, SI_KERNEL)",
				    t->s + 7);
		return true;
	}
	if (strcmp(t->s, "SIGSEGV") == 0) { r->kind = RES_SIGSEGV; return true; }
	if (t->s[0] == '-') {
		/* the name after the '-', reported at the token */
		const struct kw *kw = kw_lookup(p, &(struct tok){ t->s + 1, t->col }, errnos,
						G_N_ELEMENTS(errnos), "unknown error");

		if (!kw)
			return false;
		r->kind = RES_ERRNO;
		r->value = kw->k;
		return true;
	}
	if (strncmp(t->s, "ret=", 4) == 0) {
		if (!parse_size(t->s + 4, &v))
			return perr(p, t->col + 4, "'%s' is not a number", t->s + 4);
		r->kind = RES_RET;
		r->value = v;
		return true;
	}
	if (!parse_size(t->s, &v))
		return perr(p, t->col, "'%s' is not a result (a value, ok, SIGBUS, SIGSEGV, -EXXX, ret=N)", t->s);
	r->kind = RES_VALUE;
	r->value = v;
	return true;
}

static bool parse_expect(struct parser *p, struct cmd *c)
{
	static const struct kw kinds[] = {
		{ "result", EXP_RESULT }, { "pte", EXP_PTE }, { "entry", EXP_ENTRY },
		{ "block", EXP_BLOCK }, { "block-free", EXP_BLOCK_FREE },
		{ "owner", EXP_OWNER }, { "rss", EXP_RSS }, { "smaps", EXP_SMAPS },
		{ "faults", EXP_FAULTS }, { "memory", EXP_MEMORY }, { "stat", EXP_STAT },
		{ "mtime", EXP_MTIME }, { "violated", EXP_VIOLATED },
		{ "crash-violated", EXP_CRASH_VIOLATED },
		{ "deadlock", EXP_DEADLOCK }, { "lost-wakeup", EXP_LOST_WAKEUP },
		{ "livelock", EXP_LIVELOCK },
	};
	struct tok *t = next(p, "what to expect (result, pte, entry, block, block-free, owner, rss, smaps, faults, memory, stat, mtime, violated, crash-violated, deadlock, lost-wakeup, livelock)");
	const struct kw *kw;

	if (!t || !(kw = kw_lookup(p, t, kinds, G_N_ELEMENTS(kinds), "expect: unknown expectation")))
		return false;
	c->expect = kw->k;
	switch (c->expect) {
	case EXP_RESULT:
		if (!(t = next(p, "result")) || !parse_result(p, t, &c->result))
			return false;
		c->has_result = true;
		return rest_attrs(p, c, no_attr);
	case EXP_PTE:
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !next_addr(p, c->proc, &c->addr))
			return false;
		break;
	case EXP_ENTRY:
		if (!(c->file = next_known(p, p->files, "file")) ||
		    !next_num(p, "index", &c->index))
			return false;
		break;
	case EXP_BLOCK: {
		if (!(c->file = next_known(p, p->files, "file")) ||
		    !next_num(p, "index", &c->index) || !(t = next(p, "hole, unwritten, mapped or a block number")))
			return false;
		c->name = g_strdup(t->s);
		if (strcmp(t->s, "hole") && strcmp(t->s, "unwritten") && strcmp(t->s, "mapped") &&
		    !parse_size(t->s, &c->block))
			return perr(p, t->col, "expect block: '%s' is not hole, unwritten, mapped or a block number", t->s);
		return rest_attrs(p, c, block_attr);
	}
	case EXP_BLOCK_FREE:
		if (!next_num(p, "block", &c->block))
			return false;
		return rest_attrs(p, c, no_attr);
	case EXP_OWNER:
		if (!next_num(p, "block", &c->block) ||
		    !(c->file = next_known(p, p->files, "file")) ||
		    !next_num(p, "index", &c->index))
			return false;
		return rest_attrs(p, c, no_attr);
	case EXP_RSS:
	case EXP_FAULTS:
		if (!(c->proc = next_known(p, p->procs, "process")))
			return false;
		break;
	case EXP_SMAPS:
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !(c->map = next_map(p, c->proc)))
			return false;
		break;
	case EXP_MEMORY:
		break;
	case EXP_STAT:
		if (!(c->file = next_known(p, p->files, "file")))
			return false;
		break;
	case EXP_MTIME:
		if (!(c->file = next_known(p, p->files, "file")) || !(t = next(p, "changed or unchanged")))
			return false;
		if (strcmp(t->s, "changed") && strcmp(t->s, "unchanged"))
			return perr(p, t->col, "expect mtime: changed or unchanged, not '%s'", t->s);
		c->on = t->s[0] == 'c';
		return rest_attrs(p, c, no_attr);
	case EXP_DEADLOCK:
	case EXP_LOST_WAKEUP:
	case EXP_LIVELOCK:
		if (!p->after_block)
			return perr(p, t->col, "expect %s: must follow a concurrent block's 'end', before any other operation",
				    t->s);
		return rest_attrs(p, c, no_attr);
	case EXP_VIOLATED:
	case EXP_CRASH_VIOLATED:
		c->invariants = g_array_new(FALSE, FALSE, sizeof(int));
		if (!peek(p))
			return perr(p, p->end_col, "expect %s: name at least one invariant", t->s);
		while ((t = peek(p))) {
			int inv = invariant_lookup(t->s);

			p->pos++;
			if (inv < 0) {
				GPtrArray *n = g_ptr_array_new();

				for (int j = 0; j < NR_INVARIANTS; j++)
					g_ptr_array_add(n, (gpointer)invariant_names[j]);
				return perr_hint(p, t->col, n, t->s, "unknown invariant '%s'", t->s);
			}
			g_array_append_val(c->invariants, inv);
		}
		return true;
	}
	if (!rest_attrs(p, c, expect_attr))
		return false;
	if (!c->attrs->len)
		return perr(p, p->end_col, "expect: nothing to check");
	return true;
}

/* show WHAT ARGS: prints the state, checks nothing. */
static bool parse_show(struct parser *p, struct cmd *c)
{
	static const struct kw kinds[] = {
		{ "smaps", SHOW_SMAPS }, { "maps", SHOW_MAPS }, { "status", SHOW_STATUS },
		{ "faults", SHOW_FAULTS }, { "pte", SHOW_PTE }, { "entry", SHOW_ENTRY },
		{ "block", SHOW_BLOCK }, { "tree", SHOW_TREE },
	};
	struct tok *t = next(p, "what to show (smaps, maps, status, faults, pte, entry, block, tree)");
	const struct kw *kw;

	if (!t || !(kw = kw_lookup(p, t, kinds, G_N_ELEMENTS(kinds), "show: unknown")))
		return false;
	c->show = kw->k;
	switch (c->show) {
	case SHOW_SMAPS:
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !(c->map = next_map(p, c->proc)))
			return false;
		break;
	case SHOW_MAPS:
	case SHOW_STATUS:
	case SHOW_FAULTS:
		if (!(c->proc = next_known(p, p->procs, "process")))
			return false;
		break;
	case SHOW_PTE:
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !next_addr(p, c->proc, &c->addr))
			return false;
		break;
	case SHOW_ENTRY:
	case SHOW_BLOCK:
		if (!(c->file = next_known(p, p->files, "file")) ||
		    !next_num(p, "index", &c->index))
			return false;
		break;
	case SHOW_TREE:
		if (!(c->file = next_known(p, p->files, "file")))
			return false;
		break;
	}
	return rest_attrs(p, c, no_attr);
}

/* The most threads a concurrent block may have. */
#define MAX_BLOCK_THREADS	16

/* One choice, "POINT:THREAD"; false when malformed. */
static bool parse_choice(const char *w, struct choice *ch)
{
	const char *colon = strchr(w, ':');
	char *end;
	unsigned long pt, th;

	if (!colon || colon == w || !isdigit((unsigned char)w[0]) ||
	    !isdigit((unsigned char)colon[1]))
		return false;
	errno = 0;
	pt = strtoul(w, &end, 10);
	if (end != colon || errno || !pt || pt > UINT32_MAX)
		return false;
	th = strtoul(colon + 1, &end, 10);
	if (*end || errno || !th || th > MAX_BLOCK_THREADS)
		return false;
	ch->point = pt;
	ch->thread = th;
	return true;
}

static const char choice_usage[] =
	"a choice is POINT:THREAD (a choice point from 1, a thread from 1 to 16), "
	"points increasing";

GArray *parse_choices(const char *s, char **err)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct choice));
	char **w = g_strsplit_set(s, " \t,", -1);

	for (char **q = w; *q; q++) {
		struct choice ch;

		if (!**q)
			continue;
		if (!parse_choice(*q, &ch) ||
		    (a->len && ch.point <= g_array_index(a, struct choice, a->len - 1).point)) {
			*err = g_strdup_printf("schedule: '%s': %s", *q, choice_usage);
			g_strfreev(w);
			g_array_free(a, TRUE);
			return NULL;
		}
		g_array_append_val(a, ch);
	}
	g_strfreev(w);
	return a;
}

/* schedule [POINT:THREAD]...: the one schedule to run (none: the default) */
static bool parse_schedule(struct parser *p, struct cmd *c)
{
	struct tok *a;

	if (p->s->has_schedule)
		return perr(p, c->col, "schedule given twice");
	p->s->has_schedule = true;
	c->choices = g_array_new(FALSE, FALSE, sizeof(struct choice));
	while ((a = peek(p))) {
		struct choice ch;

		p->pos++;
		if (!parse_choice(a->s, &ch) ||
		    (c->choices->len &&
		     ch.point <= g_array_index(c->choices, struct choice, c->choices->len - 1).point))
			return perr(p, a->col, "schedule: '%s': %s", a->s, choice_usage);
		g_array_append_val(c->choices, ch);
	}
	return true;
}

/* The lines that open a concurrent block, start a thread in it, and close it. */
static bool parse_block(struct parser *p, struct cmd *c, struct tok *t)
{
	switch (c->kind) {
	case CMD_CONCURRENT:
		if (p->block_line)
			return perr(p, t->col, "concurrent blocks do not nest (the block of line %d is open)",
				    p->block_line);
		p->block_line = p->line;
		p->nr_threads = 0;
		p->s->nr_blocks++;
		return rest_attrs(p, c, no_attr);
	case CMD_THREAD:
		if (!p->block_line)
			return perr(p, t->col, "'thread' belongs in a concurrent block");
		if (p->nr_threads && !p->thread_ops)
			return perr(p, t->col, "thread %d has no operations", p->nr_threads);
		if (p->nr_threads == MAX_BLOCK_THREADS)
			return perr(p, t->col, "a concurrent block has %d threads at most",
				    MAX_BLOCK_THREADS);
		if (!(c->proc = next_known(p, p->procs, "process")))
			return false;
		c->thread = ++p->nr_threads;
		p->thread_proc = c->proc;
		p->thread_ops = 0;
		return rest_attrs(p, c, no_attr);
	default:
		if (!p->block_line)
			return perr(p, t->col, "'end' without 'concurrent'");
		if (!p->nr_threads)
			return perr(p, t->col, "a concurrent block needs a thread ('thread PROC')");
		if (!p->thread_ops)
			return perr(p, t->col, "thread %d has no operations", p->nr_threads);
		p->block_line = 0;
		p->thread_proc = NULL;
		p->after_block = true;
		return rest_attrs(p, c, no_attr);
	}
}

/*
 * A line inside a concurrent block: an operation of the current thread,
 * on its own process's memory.
 */
static bool in_thread(struct parser *p, struct cmd *c, struct tok *t)
{
	if (c->kind == CMD_THREAD || c->kind == CMD_END)
		return true;
	if (!p->nr_threads)
		return perr(p, t->col, "start a thread with 'thread PROC' before its operations");
	if (c->kind < CMD_MMAP || c->kind > CMD_FLUSH)
		return perr(p, t->col, "'%s' cannot run in a thread: only operations (expectations go after 'end')",
			    t->s);
	if (c->proc && strcmp(c->proc, p->thread_proc)) {
		int col = t->col;

		for (guint i = 0; i < p->toks->len; i++)
			if (strcmp(g_array_index(p->toks, struct tok, i).s, c->proc) == 0) {
				col = g_array_index(p->toks, struct tok, i).col;
				break;
			}
		return perr(p, col, "thread %d runs in process %s: it cannot use %s's memory",
			    p->nr_threads, p->thread_proc, c->proc);
	}
	c->thread = p->nr_threads;
	p->thread_ops++;
	return true;
}

/*
 * gup PROC ADDR LEN [write] [fast] [longterm] as NAME, and pin the same:
 * get_user_pages[_fast]() / pin_user_pages[_fast]() of LEN bytes at ADDR,
 * the pages held by handle NAME until put_page NAME / unpin NAME.
 */
static bool parse_gup(struct parser *p, struct cmd *c, struct tok *t)
{
	struct phandle *h;
	struct tok *a;

	if (!(c->proc = next_known(p, p->procs, "process")) || !next_addr(p, c->proc, &c->addr) ||
	    !next_num(p, "length", &c->len))
		return false;
	c->has_len = true;
	if (!c->len)
		return perr(p, t->col, "%s: the length is 0", t->s);
	if (c->len > (64ULL << 20))
		return perr(p, t->col, "%s: at most 64M at once", t->s);
	while ((a = peek(p)) && strcmp(a->s, "as")) {
		bool *flag = strcmp(a->s, "write") == 0 ? &c->write :
			     strcmp(a->s, "fast") == 0 ? &c->fast :
			     strcmp(a->s, "longterm") == 0 ? &c->longterm : NULL;

		if (!flag)
			return perr(p, a->col, "%s: write, fast, longterm or 'as NAME', not '%s'",
				    t->s, a->s);
		if (*flag)
			return perr(p, a->col, "%s: '%s' given twice", t->s, a->s);
		*flag = true;
		p->pos++;
	}
	if (!a)
		return perr(p, p->end_col, "%s: name its handle: as NAME", t->s);
	p->pos++;
	if (!(c->name = next_new_name(p, NULL, "handle")))
		return false;
	h = g_new(struct phandle, 1);
	*h = (struct phandle){ c->kind == CMD_GUP ? "gup" : "pin", c->write, c->len };
	g_hash_table_insert(p->handles, g_strdup(c->name), h);
	return rest_attrs(p, c, no_attr);
}

/* dma H ...: value=B, a write's bytes */
static bool dma_attr(struct parser *p, struct cmd *c, struct attr *a)
{
	if (!a->val || strcmp(a->key, "value"))
		return perr(p, a->col, "dma: unknown option '%s' (value=)", a->key);
	if (!c->write)
		return perr(p, a->col, "dma read: no value= (check what the device read with '=> B')");
	if (!attr_num(p, a))
		return false;
	if (a->num > 0xff)
		return perr(p, a->col + 6, "dma: value= is one byte (0 to 0xff)");
	c->value = a->num;
	c->has_value = true;
	return true;
}

/*
 * dma H read|write [OFF [LEN]] [value=B]: the device's transfer of an
 * O_DIRECT bio through the pages handle H holds, bytes [OFF, OFF + LEN)
 * of the range its line asked for. A device writes only into pages got
 * for writing: a read I/O takes its buffer with FOLL_WRITE (v4.14
 * dio_refill_pages(), fs/direct-io.c L166-200; 6.1 bio_iov_iter_get_pages()
 * -> iov_iter_get_pages2() with FOLL_WRITE for a READ iter).
 */
static bool parse_dma(struct parser *p, struct cmd *c, struct tok *t)
{
	const struct phandle *h;
	struct tok *a;

	if (!(a = next(p, "handle")))
		return false;
	if (!(h = g_hash_table_lookup(p->handles, a->s)))
		return perr_hint(p, a->col, keys(p->handles, NULL, NULL), a->s,
				 "unknown handle '%s' (a gup or pin line names it: as NAME)", a->s);
	c->name = g_strdup(a->s);
	if (!(a = next(p, "read or write")))
		return false;
	if (strcmp(a->s, "read") && strcmp(a->s, "write"))
		return perr(p, a->col, "dma: read or write, not '%s'", a->s);
	c->write = a->s[0] == 'w';
	if (c->write && !h->write)
		return perr(p, a->col, "dma %s write: the %s line took its pages without 'write' (FOLL_WRITE), and a device writes only into pages got for writing",
			    c->name, h->kind);
	if (!opt_range(p, c))
		return false;
	if (!c->has_len)
		c->len = c->off < h->len ? h->len - c->off : 0;
	if (c->off >= h->len || !c->len || c->len > h->len - c->off)
		return perr(p, t->col, "dma: [OFF, OFF+LEN) must be a non-empty part of the %llu bytes handle %s covers",
			    (unsigned long long)h->len, c->name);
	if (!rest_attrs(p, c, dma_attr))
		return false;
	if (c->write && !c->has_value)
		return perr(p, p->end_col, "dma write: say value=B, the bytes the device writes");
	return true;
}

/* The command table: name and parser. */
static bool parse_cmd(struct parser *p, struct cmd *c, struct tok *t)
{
	static const struct kw cmds[] = {
		{ "policy", CMD_POLICY }, { "policies", CMD_POLICIES },
		{ "switch", CMD_SWITCH }, { "bug", CMD_BUG },
		{ "pmem", CMD_PMEM }, { "dram", CMD_DRAM }, { "file", CMD_FILE },
		{ "faultaround", CMD_FAULTAROUND }, { "readahead", CMD_READAHEAD },
		{ "process", CMD_PROCESS }, { "exit", CMD_EXIT }, { "fork", CMD_FORK },
		{ "mmap", CMD_MMAP },
		{ "munmap", CMD_MUNMAP }, { "mprotect", CMD_MPROTECT },
		{ "madvise", CMD_MADVISE }, { "msync", CMD_MSYNC }, { "load", CMD_LOAD },
		{ "store", CMD_STORE }, { "touch", CMD_TOUCH }, { "read", CMD_READ },
		{ "write", CMD_WRITE }, { "truncate", CMD_TRUNCATE }, { "punch", CMD_PUNCH },
		{ "zero", CMD_ZERO }, { "fallocate", CMD_FALLOCATE }, { "fsync", CMD_FSYNC },
		{ "collapse", CMD_COLLAPSE }, { "insert", CMD_INSERT },
		{ "check", CMD_CHECK }, { "expect", CMD_EXPECT }, { "flush", CMD_FLUSH },
		{ "show", CMD_SHOW },
		/* DESIGN.md §4 operations that later issues bring */
		{ "mremap", CMD_MREMAP },
		{ "gup", CMD_GUP }, { "put_page", CMD_PUT_PAGE },
		{ "pin", CMD_PIN }, { "unpin", CMD_UNPIN }, { "dma", CMD_DMA },
		{ "reclaim", CMD_RECLAIM }, { "poison", CMD_POISON },
		{ "unbind", CMD_UNBIND }, { "crash", CMD_CRASH },
		{ "remount", CMD_REMOUNT }, { "fiemap", CMD_NOT_MODELLED },
		{ "sync", CMD_SYNC }, { "syncfs", CMD_SYNCFS },
		{ "close", CMD_CLOSE }, { "thread", CMD_THREAD },
		{ "concurrent", CMD_CONCURRENT }, { "end", CMD_END },
		{ "schedule", CMD_SCHEDULE },
	};
	const struct kw *kw = kw_lookup(p, t, cmds, G_N_ELEMENTS(cmds), "unknown command");
	struct tok *a;

	if (!kw)
		return false;
	c->kind = kw->k;
	if (c->kind <= CMD_DRAM && p->started)
		return perr(p, t->col, "'%s' must come before the first file or process", t->s);
	if (c->kind > CMD_DRAM && c->kind != CMD_EXPECT && c->kind != CMD_CHECK &&
	    c->kind != CMD_SHOW && c->kind != CMD_SCHEDULE)
		p->started = true;

	switch (c->kind) {
	case CMD_POLICY:
		if (!(a = next(p, "policy name")))
			return false;
		if (policy_lookup(a->s) < 0)
			return perr(p, a->col, "unknown policy '%s' (xip-2014, dax-2014, dax-2016, dax-2017, modern)", a->s);
		if (p->seen_policy)
			return perr(p, t->col, "policy given twice");
		p->seen_policy = true;
		c->name = g_strdup(a->s);
		return rest_attrs(p, c, no_attr);
	case CMD_POLICIES:
		/* the policies the file applies to, for --policy all */
		if (p->s->policies != (1u << NR_POLICIES) - 1)
			return perr(p, t->col, "policies given twice");
		p->s->policies = 0;
		if (!peek(p))
			return perr(p, p->end_col, "policies: name at least one policy");
		while ((a = peek(p))) {
			int pol = policy_lookup(a->s);

			p->pos++;
			if (pol < 0) {
				char *h = name_hint(a->s, policy_names, NR_POLICIES);

				perr(p, a->col, "unknown policy '%s' (%s)", a->s, h);
				g_free(h);
				return false;
			}
			if (p->s->policies & (1u << pol))
				return perr(p, a->col, "policy '%s' named twice", a->s);
			p->s->policies |= 1u << pol;
		}
		return true;
	case CMD_SWITCH:
		if (!(a = next(p, "switch name")))
			return false;
		if (switch_lookup(a->s) < 0)
			return perr_hint(p, a->col, switch_names(false), a->s, "unknown switch '%s'", a->s);
		c->name = g_strdup(a->s);
		if (!(a = next(p, "on or off")))
			return false;
		if (strcmp(a->s, "on") && strcmp(a->s, "off"))
			return perr(p, a->col, "switch: on or off, not '%s'", a->s);
		c->on = a->s[1] == 'n';
		if (switch_lookup(c->name) == SW_UNBIND_MEMORY ||
		    switch_lookup(c->name) == SW_UNBIND_STORAGE) {
			int me = switch_lookup(c->name) == SW_UNBIND_STORAGE;

			p->unbind_sw_line[me] = c->on ? p->line : 0;
			if (c->on && p->unbind_sw_line[!me])
				return perr(p, t->col, "unbind-memory and unbind-storage are two answers to one question: %s is on since line %d, turn one of them on",
					    switch_descs[me ? SW_UNBIND_MEMORY : SW_UNBIND_STORAGE].name,
					    p->unbind_sw_line[!me]);
		}
		return rest_attrs(p, c, no_attr);
	case CMD_BUG:
		if (!(a = next(p, "bug variant name")))
			return false;
		if (switch_lookup(a->s) < 0 || !switch_descs[switch_lookup(a->s)].bug)
			return perr_hint(p, a->col, switch_names(true), a->s,
					 "unknown bug variant '%s'", a->s);
		c->name = g_strdup(a->s);
		for (guint i = 0; i < p->s->bugs->len; i++)
			if (strcmp(g_ptr_array_index(p->s->bugs, i), a->s) == 0)
				return perr(p, a->col, "bug variant '%s' named twice", a->s);
		g_ptr_array_add(p->s->bugs, g_strdup(a->s));
		return rest_attrs(p, c, no_attr);
	case CMD_SCHEDULE:
		return parse_schedule(p, c);
	case CMD_FAULTAROUND:
		/* fault_around_bytes_set(), v4.14 mm/memory.c: the debugfs write */
		a = peek(p);
		if (!next_num(p, "size", &c->size))
			return false;
		if (c->size / PAGE_SIZE > PTRS_PER_TABLE)
			return perr(p, a->col, "faultaround: at most 2M (512 pages; debugfs refuses more with -EINVAL)");
		return rest_attrs(p, c, no_attr);
	case CMD_READAHEAD:
		/* the device's read_ahead_kb, in bytes */
		a = peek(p);
		if (!next_num(p, "size", &c->size))
			return false;
		if (c->size % PAGE_SIZE || c->size > (16UL << 20))
			return perr(p, a->col, "readahead: a multiple of 4K, at most 16M");
		return rest_attrs(p, c, no_attr);
	case CMD_PMEM:
	case CMD_DRAM:
		a = peek(p);	/* the size, for the column */
		if (!next_num(p, "size", &c->size))
			return false;
		if (c->size < PAGE_SIZE || c->size % PAGE_SIZE || c->size > (1ULL << 46))
			return perr(p, a->col, "size must be a multiple of 4K between 4K and 64T");
		return rest_attrs(p, c, no_attr);
	case CMD_FILE:
		c->dax = true;
		c->writable_file = true;
		if (!(c->name = next_new_name(p, p->files, "file")))
			return false;
		if (!rest_attrs(p, c, file_attr))
			return false;
		if (c->size > (1ULL << 46))
			return perr(p, t->col, "file size too large (64T at most)");
		return true;
	case CMD_PROCESS:
		if (!(c->name = next_new_name(p, p->procs, "process")))
			return false;
		return rest_attrs(p, c, no_attr);
	case CMD_EXIT:
		if (!(c->proc = next_known(p, p->procs, "process")))
			return false;
		return rest_attrs(p, c, no_attr);
	case CMD_FORK:
		/* fork PARENT CHILD */
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !(c->name = next_new_name(p, p->procs, "process")))
			return false;
		inherit_maps(p, c->proc, c->name);
		return rest_attrs(p, c, no_attr);
	case CMD_MMAP: {
		struct tok *nt;

		c->prot = PROT_READ;
		c->flags = MAP_SHARED;
		if (!(c->proc = next_known(p, p->procs, "process")))
			return false;
		nt = peek(p);
		if (!(c->name = next_new_name(p, NULL, "mapping")))
			return false;
		g_hash_table_insert(p->maps, g_strdup(nt->s), g_strdup(c->proc));
		if (!(c->file = next_known(p, p->files, "file")))
			return false;
		return rest_attrs(p, c, mmap_attr);
	}
	case CMD_MUNMAP:
	case CMD_MPROTECT:
	case CMD_MADVISE:
	case CMD_MSYNC:
		c->flags = MS_SYNC;
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !(c->map = next_map(p, c->proc)) || !opt_range(p, c))
			return false;
		if (c->kind == CMD_MUNMAP)
			return rest_attrs(p, c, no_attr);
		if (c->kind == CMD_MSYNC)
			return rest_attrs(p, c, msync_attr);
		if (c->kind == CMD_MADVISE) {
			c->advice = -1;
			if (!rest_attrs(p, c, madvise_attr))
				return false;
			return c->advice >= 0 ? true : perr(p, p->end_col, "madvise: missing advice");
		}
		if (!rest_attrs(p, c, mprotect_attr))
			return false;
		return c->on ? true : perr(p, p->end_col, "mprotect: missing prot=");
	case CMD_LOAD:
	case CMD_STORE:
		c->access_size = 1;
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !next_addr(p, c->proc, &c->addr))
			return false;
		if (c->kind == CMD_STORE && !next_num(p, "value", &c->value))
			return false;
		if (!rest_attrs(p, c, access_attr))
			return false;
		if (c->step)
			return perr(p, t->col, "step= is for touch");
		if (c->kind == CMD_STORE && c->access_size < 8 &&
		    c->value >> (8 * c->access_size))
			return perr(p, t->col, "value 0x%llx does not fit in %u byte(s)",
				    (unsigned long long)c->value, c->access_size);
		if (c->addr.off % c->access_size)
			return perr(p, c->addr.col, "address not aligned to the access size");
		return true;
	case CMD_TOUCH: {
		char *dots;

		c->access_size = 1;
		c->step = PAGE_SIZE;
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !(c->map = next_map(p, c->proc)) || !(a = next(p, "range START..END")))
			return false;
		dots = strstr(a->s, "..");
		if (!dots)
			return perr(p, a->col, "touch: range is START..END, not '%s'", a->s);
		*dots = 0;
		if (!parse_size(a->s, &c->off) || !parse_size(dots + 2, &c->len)) {
			*dots = '.';
			return perr(p, a->col, "touch: '%s' is not a range of offsets", a->s);
		}
		*dots = '.';
		if (c->len <= c->off)
			return perr(p, a->col, "touch: the range is empty");
		c->len -= c->off;
		if (!rest_attrs(p, c, access_attr))
			return false;
		if (!c->on)
			return perr(p, p->end_col, "touch: say read or write");
		if (c->write && !c->has_value)
			return perr(p, p->end_col, "touch write: say value=V");
		if (c->write && c->access_size < 8 && c->value >> (8 * c->access_size))
			return perr(p, t->col, "value 0x%llx does not fit in %u byte(s)",
				    (unsigned long long)c->value, c->access_size);
		if (c->off % c->access_size)
			return perr(p, a->col, "touch: START not aligned to the access size");
		return true;
	}
	case CMD_READ:
	case CMD_WRITE:
	case CMD_PUNCH:
	case CMD_ZERO:
	case CMD_FALLOCATE:
	case CMD_COLLAPSE:
	case CMD_INSERT:
		if (!(c->file = next_known(p, p->files, "file")) ||
		    !next_num(p, "offset", &c->off) || !next_num(p, "length", &c->len))
			return false;
		c->has_len = true;
		if (c->len > (1ULL << 46) || c->off > (1ULL << 46))
			return perr(p, t->col, "offset or length too large (64T at most)");
		if ((c->kind == CMD_READ || c->kind == CMD_WRITE) && !user_buffer(p, c))
			return false;
		if (c->kind == CMD_WRITE) {
			if (!rest_attrs(p, c, access_attr))
				return false;
			if (c->proc && c->has_value)
				return perr(p, p->end_col, "write: value= or from PROC ADDR, not both");
			if (!c->proc && (!c->has_value || c->value > 0xff))
				return perr(p, p->end_col, "write: say value=V, one byte, or from PROC ADDR");
			if (c->len > (64ULL << 20))
				return perr(p, t->col, "write: at most 64M at once");
			return true;
		}
		if (c->kind == CMD_READ && c->len > (64ULL << 20))
			return perr(p, t->col, "read: at most 64M at once");
		if (c->kind == CMD_READ)
			return rest_attrs(p, c, access_attr);
		if (c->kind == CMD_PUNCH || c->kind == CMD_COLLAPSE || c->kind == CMD_INSERT)
			return rest_attrs(p, c, no_attr);
		return rest_attrs(p, c, keep_size_attr);
	case CMD_TRUNCATE:
		if (!(c->file = next_known(p, p->files, "file")) || !next_num(p, "size", &c->size))
			return false;
		if (c->size > (1ULL << 46))
			return perr(p, t->col, "size too large (64T at most)");
		return rest_attrs(p, c, no_attr);
	case CMD_RECLAIM:
		/* reclaim [FILE]: drop_caches, or POSIX_FADV_DONTNEED of one file */
		if (peek(p) && !(c->file = next_known(p, p->files, "file")))
			return false;
		return rest_attrs(p, c, no_attr);
	case CMD_UNBIND:
		/* unbind: the pmem namespace's driver goes (sysfs unbind) */
		return rest_attrs(p, c, no_attr);
	case CMD_POISON:
		/* poison FILE INDEX [latent]: a media error on the block at INDEX */
		if (!(c->file = next_known(p, p->files, "file")) ||
		    !(a = next(p, "index")) || !num_tok(p, a, "index", &c->index))
			return false;
		/* a page index of a file: below 64T (the offsets files take) */
		if (c->index >= (1ULL << 46) / 4096)
			return perr(p, a->col, "index past the largest file (64T: below %llu)",
				    (1ULL << 46) / 4096);
		if ((a = peek(p)) && strcmp(a->s, "latent") == 0) {
			p->pos++;
			c->latent = true;
		}
		return rest_attrs(p, c, no_attr);
	case CMD_GUP:
	case CMD_PIN:
		return parse_gup(p, c, t);
	case CMD_DMA:
		return parse_dma(p, c, t);
	case CMD_PUT_PAGE:
	case CMD_UNPIN: {
		/* put_page H (a gup's handle), unpin H (a pin's) */
		const struct phandle *h;
		const char *kind;

		if (!(a = next(p, "handle")))
			return false;
		h = g_hash_table_lookup(p->handles, a->s);
		kind = h ? h->kind : NULL;
		if (!kind)
			return perr_hint(p, a->col, keys(p->handles, NULL, NULL), a->s,
					 "unknown handle '%s' (a gup or pin line names it: as NAME)", a->s);
		if (strcmp(kind, c->kind == CMD_PUT_PAGE ? "gup" : "pin"))
			return perr(p, a->col, "handle '%s' is a %s's: release it with %s", a->s, kind,
				    strcmp(kind, "gup") ? "unpin" : "put_page");
		c->name = g_strdup(a->s);
		return rest_attrs(p, c, no_attr);
	}
	case CMD_SYNC:
	case CMD_REMOUNT:
		return rest_attrs(p, c, no_attr);
	case CMD_CRASH:
		/* crash [seed=N]: N not 0 lets an arbitrary half of the dirty lines survive */
		return rest_attrs(p, c, crash_attr);
	case CMD_SYNCFS:
	case CMD_FSYNC:
	case CMD_CLOSE:
		if (!(c->file = next_known(p, p->files, "file")))
			return false;
		return rest_attrs(p, c, no_attr);
	case CMD_MREMAP:
		/* mremap PROC MAP NEWLEN [maymove] [fixed addr=A] */
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !(c->map = next_map(p, c->proc)) || !next_num(p, "new length", &c->len))
			return false;
		return rest_attrs(p, c, mremap_attr);
	case CMD_FLUSH:
		/* flush PROC MAP OFF LEN: clwb every line of the range, then sfence */
		if (!(c->proc = next_known(p, p->procs, "process")) ||
		    !(c->map = next_map(p, c->proc)) || !next_num(p, "offset", &c->off) ||
		    !next_num(p, "length", &c->len))
			return false;
		if (!c->len)
			return perr(p, p->end_col, "flush: the length is 0");
		return rest_attrs(p, c, no_attr);
	case CMD_CONCURRENT:
	case CMD_THREAD:
	case CMD_END:
		return parse_block(p, c, t);
	case CMD_NOT_MODELLED:
		c->name = g_strdup(t->s);
		p->pos = p->toks->len;	/* its arguments are not checked yet */
		return true;
	case CMD_CHECK:
		return rest_attrs(p, c, no_attr);
	case CMD_EXPECT:
		return parse_expect(p, c);
	case CMD_SHOW:
		return parse_show(p, c);
	}
	return false;
}

/* Split a line into tokens with their columns; stops at '#'. */
static void tokenize(struct parser *p, char *line)
{
	char *s = line;

	g_array_set_size(p->toks, 0);
	p->pos = 0;
	p->end_col = 1;
	while (*s && *s != '#') {
		char *start;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		start = s;
		while (*s && !isspace((unsigned char)*s) && *s != '#')
			s++;
		g_array_append_val(p->toks, ((struct tok){ g_strndup(start, s - start),
							   (int)(start - line) + 1 }));
		p->end_col = (int)(s - line) + 1;
	}
}

static void free_toks(struct parser *p)
{
	for (guint i = 0; i < p->toks->len; i++)
		g_free(g_array_index(p->toks, struct tok, i).s);
	g_array_set_size(p->toks, 0);
}

static bool parse_conds(struct parser *p, struct cmd *c, struct tok *t)
{
	size_t n = strlen(t->s);
	char **parts, *inner;
	int col = t->col + 1;
	bool ok = true;

	if (n < 3 || t->s[n - 1] != ']')
		return perr(p, t->col, "a condition is [NAME] or [NAME,!NAME+NAME,...], with no spaces");
	inner = g_strndup(t->s + 1, n - 2);
	/* the items of the OR, split at ','; an item's terms, ANDed, at '+' */
	parts = g_strsplit_set(inner, ",+", -1);
	g_free(inner);
	for (char **q = parts; *q && ok; q++) {
		struct cond cd = { .col = col };
		const char *name = *q;

		/* the character after the term in the token: '+', ',' or ']' */
		cd.and_next = t->s[col - t->col + strlen(*q)] == '+';
		if (!*name || (*name == '!' && !name[1])) {
			ok = perr(p, col, "an empty name in the condition (items are NAME or !NAME, "
				  "joined by ',' for any, '+' for all)");
			break;
		}
		if (*name == '!') {
			cd.neg = true;
			name++;
		}
		if (policy_lookup(name) < 0 && switch_lookup(name) < 0) {
			GPtrArray *n = switch_names(false);

			for (int j = 0; j < NR_POLICIES; j++)
				g_ptr_array_add(n, (gpointer)policy_names[j]);
			ok = perr_hint(p, col, n, name, "unknown policy or switch '%s' in condition",
				       name);
		}
		cd.name = g_strdup(name);
		g_array_append_val(c->conds, cd);
		col += strlen(*q) + 1;
	}
	g_strfreev(parts);
	return ok;
}

static void cmd_free(gpointer data)
{
	struct cmd *c = data;

	for (guint i = 0; c->conds && i < c->conds->len; i++)
		g_free(g_array_index(c->conds, struct cond, i).name);
	if (c->conds)
		g_array_free(c->conds, TRUE);
	for (guint i = 0; c->attrs && i < c->attrs->len; i++) {
		g_free(g_array_index(c->attrs, struct attr, i).key);
		g_free(g_array_index(c->attrs, struct attr, i).val);
	}
	if (c->attrs)
		g_array_free(c->attrs, TRUE);
	if (c->invariants)
		g_array_free(c->invariants, TRUE);
	g_free(c->text);
	g_free(c->name);
	g_free(c->proc);
	g_free(c->map);
	g_free(c->file);
	g_free(c->addr.map);
	if (c->choices)
		g_array_free(c->choices, TRUE);
	g_free(c);
}

static bool parse_line(struct parser *p, char *line)
{
	struct cmd *c;
	struct tok *t;
	guint arrow = G_MAXUINT;
	int cond_col = 0, sometimes_col = 0;

	tokenize(p, line);
	if (!p->toks->len)
		return true;
	c = g_new0(struct cmd, 1);
	c->line = p->line;
	c->text = g_strstrip(g_strdup(line));
	if (strchr(c->text, '#'))
		*strchr(c->text, '#') = 0, g_strstrip(c->text);
	c->conds = g_array_new(FALSE, FALSE, sizeof(struct cond));
	g_ptr_array_add(p->s->cmds, c);

	t = peek(p);
	if (t->s[0] == '[') {
		if (!parse_conds(p, c, t))
			return false;
		cond_col = t->col;
		p->pos++;
	}
	if ((t = peek(p)) && strcmp(t->s, "sometimes") == 0) {
		if (!p->s->nr_blocks)
			return perr(p, t->col, "'sometimes' is for the schedules of a concurrent block; there is none before this line");
		c->sometimes = true;
		sometimes_col = t->col;
		p->pos++;
	}
	/* "=> RESULT" ends the line */
	for (guint i = p->pos; i < p->toks->len; i++)
		if (strcmp(g_array_index(p->toks, struct tok, i).s, "=>") == 0) {
			arrow = i;
			break;
		}
	if (arrow != G_MAXUINT) {
		struct tok *r;

		if (arrow + 2 != p->toks->len)
			return perr(p, g_array_index(p->toks, struct tok, arrow).col,
				    "'=>' takes exactly one result after it");
		r = &g_array_index(p->toks, struct tok, arrow + 1);
		if (!parse_result(p, r, &c->result))
			return false;
		c->has_result = true;
		p->end_col = g_array_index(p->toks, struct tok, arrow).col;
		g_free(g_array_index(p->toks, struct tok, arrow).s);
		g_free(r->s);
		g_array_set_size(p->toks, arrow);
	}
	if (!(t = next(p, "command")))
		return false;
	c->col = t->col;
	if (!parse_cmd(p, c, t))
		return false;
	/* the runner would meet the name undeclared in the runs that skip it */
	if (cond_col && (c->kind == CMD_FILE || c->kind == CMD_PROCESS || c->kind == CMD_FORK ||
			 c->kind == CMD_MMAP))
		return perr(p, cond_col, "'%s' declares a name: it cannot have a condition", t->s);
	/* setup lines run whatever the policy: a condition would be ignored */
	if (cond_col && c->kind <= CMD_DRAM)
		return perr(p, cond_col, "'%s' is a setup line: it cannot have a condition", t->s);
	if (arrow != G_MAXUINT && (c->kind < CMD_MMAP || c->kind > CMD_FLUSH) &&
	    (c->kind < CMD_SYNC || c->kind > CMD_REMOUNT))
		return perr(p, c->result.col, "'%s' has no result to check with '=>'", t->s);
	if (cond_col && c->kind >= CMD_CONCURRENT && c->kind <= CMD_SCHEDULE)
		return perr(p, cond_col, "'%s' cannot have a condition", t->s);
	if (sometimes_col && c->kind != CMD_EXPECT && !c->has_result)
		return perr(p, sometimes_col, "'sometimes' needs a check on its line: an expect, or '=> RESULT'");
	if (p->block_line && c->kind != CMD_CONCURRENT && !in_thread(p, c, t))
		return false;
	if (c->kind != CMD_EXPECT && c->kind != CMD_SHOW && c->kind != CMD_END)
		p->after_block = false;
	return true;
}

struct scenario *scenario_parse(const char *path, const char *text, char **err)
{
	struct parser p = { .path = path };
	struct scenario *s = g_new0(struct scenario, 1);
	char **lines;

	s->path = g_strdup(path);
	s->text = g_strdup(text);
	s->cmds = g_ptr_array_new_with_free_func(cmd_free);
	s->bugs = g_ptr_array_new_with_free_func(g_free);
	s->policies = (1u << NR_POLICIES) - 1;
	p.s = s;
	p.toks = g_array_new(FALSE, FALSE, sizeof(struct tok));
	p.files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p.procs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p.maps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p.handles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);	/* struct phandle */
	p.inherited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (memchr(text, 0, strlen(text)) != NULL || !g_utf8_validate(text, -1, NULL)) {
		p.line = 1;
		perr(&p, 1, "not a text file");
	}
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i] && !p.err; i++) {
		p.line = i + 1;
		if (strlen(lines[i]) > 4096) {
			perr(&p, 4097, "line too long");
			break;
		}
		parse_line(&p, lines[i]);
		free_toks(&p);
	}
	if (p.block_line && !p.err) {
		p.line = p.block_line;
		perr(&p, 1, "concurrent block not closed: 'end' missing");
	}
	g_strfreev(lines);
	g_array_free(p.toks, TRUE);
	g_hash_table_destroy(p.files);
	g_hash_table_destroy(p.procs);
	g_hash_table_destroy(p.maps);
	g_hash_table_destroy(p.handles);
	g_hash_table_destroy(p.inherited);
	if (p.err) {
		*err = p.err;
		scenario_free(s);
		return NULL;
	}
	return s;
}

/*
 * The whole text of @path ("-": standard input), refusing what is not a
 * regular file or a pipe, and anything past @max bytes.
 */
static char *read_text(const char *path, size_t max, size_t *len, char **err)
{
	bool in = strcmp(path, "-") == 0;
	const char *name = in ? "<stdin>" : path;
	FILE *f = in ? stdin : fopen(path, "rb");
	GString *text;
	struct stat st;
	char buf[65536];
	size_t n;

	if (!f) {
		*err = g_strdup_printf("%s:1:1: cannot open: %s", name, g_strerror(errno));
		return NULL;
	}
	/* a pipe (`<(cmd)`) or standard input is read up to the limit */
	if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !in) {
		*err = g_strdup_printf("%s:1:1: not a regular file", name);
		goto close;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		*err = g_strdup_printf("%s:1:1: larger than the limit of %zu bytes (raise it with --max-file-size)",
				       name, max);
		goto close;
	}
	text = g_string_new(NULL);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (text->len + n > max) {
			*err = g_strdup_printf("%s:1:1: larger than the limit of %zu bytes (raise it with --max-file-size)",
					       name, max);
			g_string_free(text, TRUE);
			goto close;
		}
		g_string_append_len(text, buf, n);
	}
	if (ferror(f)) {
		*err = g_strdup_printf("%s:1:1: read error: %s", name, g_strerror(errno));
		g_string_free(text, TRUE);
		goto close;
	}
	if (!in)
		fclose(f);
	*len = text->len;
	return g_string_free(text, FALSE);
close:
	if (!in)
		fclose(f);
	return NULL;
}

struct scenario *scenario_load(const char *path, size_t max_bytes, char **err)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	size_t len = 0;
	char *text = read_text(path, max_bytes, &len, err);
	struct scenario *s;

	if (!text)
		return NULL;
	if (strlen(text) != len) {
		*err = g_strdup_printf("%s:1:1: not a text file (NUL byte)", name);
		g_free(text);
		return NULL;
	}
	s = scenario_parse(name, text, err);
	g_free(text);
	return s;
}

void scenario_free(struct scenario *s)
{
	if (s)
		g_free(s->text);
	if (!s)
		return;
	g_ptr_array_free(s->cmds, TRUE);
	g_ptr_array_free(s->bugs, TRUE);
	g_free(s->path);
	g_free(s);
}
