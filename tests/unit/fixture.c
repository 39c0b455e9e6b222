// SPDX-License-Identifier: GPL-2.0
#include "fixture.h"

#include "lock.h"

struct kernel *k;
static struct file *files[8];
static int nr_files;

void fx_init(void)
{
	k = kernel_create(POLICY_DAX_2017, 64UL << 20, 64UL << 20);
	nr_files = 0;
}

void fx_init_xip(void)
{
	k = kernel_create(POLICY_XIP_2014, 64UL << 20, 64UL << 20);
	nr_files = 0;
}

void fx_init_dax_2014(void)
{
	k = kernel_create(POLICY_DAX_2014, 64UL << 20, 64UL << 20);
	nr_files = 0;
}

void fx_init_modern(void)
{
	k = kernel_create(POLICY_MODERN, 64UL << 20, 64UL << 20);
	nr_files = 0;
}

void fx_init_dax_2016(void)
{
	k = kernel_create(POLICY_DAX_2016, 64UL << 20, 64UL << 20);
	nr_files = 0;
}

void fx_fini(void)
{
	while (k->mms->len)
		mm_destroy(k, g_ptr_array_index(k->mms, k->mms->len - 1));
	for (int i = 0; i < nr_files; i++)
		file_close(k, files[i]);
	kernel_destroy(k);
}

struct file *open_inode(struct inode *inode, unsigned mode)
{
	cr_assert_lt(nr_files, 8);
	return files[nr_files++] = file_open(k, inode, mode);
}

struct file *new_file(loff_t size)
{
	return open_inode(ext4_create(k, true, size), FMODE_READ | FMODE_WRITE);
}

unsigned long map(struct mm_struct *mm, struct file *f, unsigned long len,
		  int prot, int flags, loff_t off)
{
	long a = do_mmap(k, mm, f, 0, len, prot, flags, off);

	cr_assert_geq(a, 0, "mmap: %ld", a);
	/*
	 * v3.19 (xip-2014) refuses it on an XIP VMA, which has no PMD faults
	 * anyway; v4.5 (dax-2016) on every DAX VMA (VM_MIXEDMAP): a test that
	 * wants PTE faults there maps less than a whole 2 MiB.
	 */
	cr_assert_eq(do_madvise(k, mm, a, len, MADV_NOHUGEPAGE),
		     k->policy.id == POLICY_XIP_2014 || k->policy.id == POLICY_DAX_2016 ?
		     -EINVAL : 0);
	return a;
}

pte_t pte_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t *p = pte_lookup(mm, addr);

	return p ? *p : (pte_t){ 0 };
}

void *entry_at(struct file *f, pgoff_t index)
{
	return radix_tree_lookup(&f->inode->i_data.page_tree, index);
}

bool tag(struct file *f, pgoff_t index, unsigned t)
{
	return radix_tree_tag_get(&f->inode->i_data.page_tree, index, t);
}

bool dirty_tag(struct file *f, pgoff_t index)
{
	return tag(f, index, PAGECACHE_TAG_DIRTY);
}

struct access_result load(struct mm_struct *mm, unsigned long addr)
{
	return user_access(k, mm, addr, 8, false, 0);
}

struct access_result store(struct mm_struct *mm, unsigned long addr, uint64_t v)
{
	return user_access(k, mm, addr, 8, true, v);
}

unsigned long block_of(struct file *f, pgoff_t index)
{
	unsigned long b = ~0UL;

	cr_assert_eq(ext4_block_lookup(f->inode, index, &b), BLOCK_MAPPED, "index %lu", index);
	return b;
}

enum block_state state(struct file *f, pgoff_t index)
{
	unsigned long b;

	return ext4_block_lookup(f->inode, index, &b);
}

struct file *cold_file(loff_t size, uint8_t value)
{
	struct inode *inode = ext4_create(k, false, 0);

	cr_assert_eq(ext4_create_cold(k, inode, size, value), 0);
	return open_inode(inode, FMODE_READ | FMODE_WRITE);
}

struct page *cached(struct file *f, pgoff_t index)
{
	void *entry = entry_at(f, index);

	return entry && !radix_tree_exceptional_entry(entry) ? entry : NULL;
}

struct vm_fault fault_at(struct mm_struct *mm, unsigned long addr, unsigned flags)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return (struct vm_fault){
		.vma = vma,
		.address = addr,
		.flags = flags,
		.pgoff = linear_page_index(vma, addr),
	};
}

int fx_choose_other(void *ctx, const int *runnable, int n, const char *point)
{
	for (int i = 0; i < n; i++)
		if (runnable[i] != k->current)
			return runnable[i];
	return runnable[0];
}

/* fx_race()'s chooser: the bits while they last, then no preemption. */
struct fx_race_ctx {
	unsigned bits;
	int depth, nr_choices;
};

static int fx_choose_bits(void *ctx, const int *runnable, int n, const char *point)
{
	struct fx_race_ctx *r = ctx;

	int cur = -1;

	(void)point;
	for (int i = 0; i < n; i++)
		if (runnable[i] == k->current)
			cur = i;
	if (n > 1 && r->nr_choices < r->depth && (r->bits >> r->nr_choices++) & 1)
		/* the highest other than the running one */
		return runnable[cur == n - 1 ? n - 2 : n - 1];
	if (cur >= 0)
		return runnable[cur];
	/* where it cannot go on: the lowest while choosing, then the highest */
	return runnable[r->nr_choices < r->depth ? 0 : n - 1];
}

enum sched_result fx_run_tasks(unsigned bits, int depth, int n, struct mm_struct *const *mms,
			       void (*const *fns)(struct kernel *, void *), void *const *args)
{
	struct fx_race_ctx r = { .bits = bits, .depth = depth };
	enum sched_result ret;

	k->sched.choose = fx_choose_bits;
	k->sched.choose_ctx = &r;
	for (int i = 0; i < n; i++)
		kthread_create(k, mms[i], fns[i], args[i]);
	ret = sched_run(k);
	k->sched.choose = NULL;
	k->sched.choose_ctx = NULL;
	return ret;
}

enum sched_result fx_race(unsigned bits, int depth,
			  struct mm_struct *mm1, void (*one)(struct kernel *, void *), void *a1,
			  struct mm_struct *mm2, void (*two)(struct kernel *, void *), void *a2)
{
	struct mm_struct *mms[] = { mm1, mm2 };
	void (*fns[])(struct kernel *, void *) = { one, two };
	void *args[] = { a1, a2 };

	return fx_run_tasks(bits, depth, 2, mms, fns, args);
}

/* fx_fault_race()'s two tasks */
struct fx_fault_race {
	struct mm_struct *mm;
	unsigned long addr;
	struct file *f;
	bool punch;
};

static void fx_race_fault(struct kernel *kk, void *arg)
{
	struct fx_fault_race *r = arg;

	/* a read of a written block (punch), a store to a hole (truncate) */
	user_access(kk, r->mm, r->addr + P, 8, !r->punch, 0x11);
}

static void fx_race_cut(struct kernel *kk, void *arg)
{
	struct fx_fault_race *r = arg;

	if (r->punch)
		cr_assert_eq(vfs_fallocate(kk, r->f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					   P, P), 0);
	else
		cr_assert_eq(vfs_truncate(kk, r->f, P), 0);
}

void fx_fault_race(void (*init)(void), int sw, bool punch, int depth,
		   struct fx_fault_race_outcome *o)
{
	*o = (struct fx_fault_race_outcome){ 0 };
	for (unsigned bits = 0; bits < 1u << depth; bits++) {
		struct fx_fault_race r = { .punch = punch };
		pte_t pte;

		fx_fini();
		init();
		if (sw >= 0)
			k->policy.sw[sw] = 1;
		r.f = new_file(2 * P);
		if (punch) {
			struct mm_struct *mm0 = mm_create(k);
			unsigned long a0 = map(mm0, r.f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

			cr_assert_eq(store(mm0, a0 + P, 0x22).sig, SIG_NONE);
			cr_assert_eq(state(r.f, 1), BLOCK_MAPPED);
			mm_destroy(k, mm0);
		}
		r.mm = mm_create(k);
		r.addr = map(r.mm, r.f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		cr_assert_eq(fx_race(bits, depth, r.mm, fx_race_fault, &r, NULL, fx_race_cut, &r),
			     SCHED_DONE, "choices %#x", bits);
		o->runs++;
		pte = pte_at(r.mm, r.addr + P);
		if (!pte_present(pte) || !pfn_is_pmem(k, pte_pfn(pte)))
			continue;
		o->mapped++;
		if (!punch)
			o->past_eof++;
		if (state(r.f, 1) != BLOCK_MAPPED || block_of(r.f, 1) != pte_pfn(pte) - PMEM_BASE_PFN)
			o->freed++;
	}
}

/* fx_hole_page_race()'s two tasks */
struct fx_hole_page_race {
	struct mm_struct *mm[2];
	unsigned long addr[2];
	struct file *f;
	enum fx_hole_page_other other;
	struct access_result res[2];
};

static void fx_hole_page_load(struct kernel *kk, void *arg)
{
	struct fx_hole_page_race *r = arg;

	r->res[0] = user_access(kk, r->mm[0], r->addr[0], 8, false, 0);
}

static void fx_hole_page_other(struct kernel *kk, void *arg)
{
	struct fx_hole_page_race *r = arg;

	switch (r->other) {
	case FX_HOLE_READ:
		r->res[1] = user_access(kk, r->mm[1], r->addr[1], 8, false, 0);
		break;
	case FX_HOLE_STORE:
		r->res[1] = user_access(kk, r->mm[1], r->addr[1], 8, true, 0x77);
		break;
	case FX_HOLE_TRUNCATE:
		cr_assert_eq(vfs_truncate(kk, r->f, 0), 0);
		break;
	}
}

void fx_hole_page_race(void (*init)(void), enum fx_hole_page_other other, int depth,
		       struct fx_hole_page_outcome *o)
{
	*o = (struct fx_hole_page_outcome){ 0 };
	for (unsigned bits = 0; bits < 1u << depth; bits++) {
		struct fx_hole_page_race r = { .other = other };
		struct mm_struct *mm0;
		unsigned long a0;
		struct page *page;

		fx_fini();
		init();
		r.f = new_file(2 * P);
		/* a hole page at index 0, cached and mapped by nobody */
		mm0 = mm_create(k);
		a0 = map(mm0, r.f, 2 * P, PROT_READ, MAP_SHARED, 0);
		cr_assert_eq(load(mm0, a0).sig, SIG_NONE);
		mm_destroy(k, mm0);
		page = cached(r.f, 0);
		cr_assert_not_null(page);
		get_page(page);		/* the test's, to look at it afterwards */
		for (int i = 0; i < 2; i++) {
			r.mm[i] = mm_create(k);
			r.addr[i] = map(r.mm[i], r.f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		}
		cr_assert_eq(fx_race(bits, depth, r.mm[0], fx_hole_page_load, &r,
				     r.mm[1], fx_hole_page_other, &r),
			     SCHED_DONE, "choices %#x", bits);
		o->runs++;
		if (r.res[0].sig == SIG_BUS)
			o->sigbus++;
		else if (r.res[0].sig == SIG_NONE && r.res[0].value == 0)
			o->zero++;
		else if (r.res[0].sig == SIG_NONE && r.res[0].value == 0x77)
			o->stored++;
		else
			cr_assert_fail("choices %#x: sig %d value %#llx", bits, r.res[0].sig,
				       (unsigned long long)r.res[0].value);
		cr_assert_leq(r.res[0].nr_faults, 2, "choices %#x: retried at most once", bits);
		if (r.res[0].nr_faults == 2)
			o->retried++;
		/* the two tasks are done: nothing locked, nobody waiting */
		cr_assert_not(page->flags & PG_locked, "choices %#x", bits);
		cr_assert_null(k->page_wait_table.head, "choices %#x", bits);
		for (int i = 0; i < 2; i++)
			cr_assert_not(lock_held(&r.mm[i]->mmap_sem), "choices %#x", bits);
		cr_assert_not(lock_held(&r.f->inode->i_data.i_mmap_rwsem), "choices %#x", bits);
		/* the page cache holds the hole page only when no store or truncate took it */
		if (other == FX_HOLE_READ) {
			cr_assert_eq(cached(r.f, 0), page, "choices %#x", bits);
			cr_assert_eq(page->mapcount, 2, "choices %#x: both PTEs on it", bits);
		} else {
			struct page *now = cached(r.f, 0);

			cr_assert_null(page->mapping, "choices %#x", bits);
			cr_assert_eq(page->mapcount, 0, "choices %#x", bits);
			/*
			 * dax_load_hole() after the truncate: find_or_create_page()
			 * adds a page, the i_size re-check unlocks and releases
			 * it, SIGBUS; the page cache keeps it, past EOF, unmapped.
			 */
			if (now) {
				cr_assert_eq(other, FX_HOLE_TRUNCATE, "choices %#x", bits);
				cr_assert_eq(r.res[0].sig, SIG_BUS, "choices %#x", bits);
				cr_assert_neq(now, page);
				cr_assert_eq(now->mapcount, 0, "choices %#x", bits);
				cr_assert_eq(now->refcount, 1, "choices %#x: the cache's", bits);
				cr_assert_not(now->flags & PG_locked, "choices %#x", bits);
				o->new_page++;
			}
		}
		put_page(k, page);
	}
}

void fx_hole_page_expect(void (*init)(void), enum fx_hole_page_other other)
{
	struct fx_hole_page_outcome o;

	fx_hole_page_race(init, other, 8, &o);
	switch (other) {
	case FX_HOLE_READ:
		cr_assert_eq(o.zero, o.runs, "both read the hole");
		cr_assert_gt(o.retried, 0, "some schedule finds the page locked");
		cr_assert_lt(o.retried, o.runs);
		break;
	case FX_HOLE_STORE:
		cr_assert_gt(o.stored, 0);
		cr_assert_gt(o.zero, 0);
		cr_assert_eq(o.sigbus, 0);
		cr_assert_gt(o.retried, 0);
		break;
	case FX_HOLE_TRUNCATE:
		cr_assert_gt(o.sigbus, 0);
		cr_assert_gt(o.zero, 0);
		cr_assert_eq(o.stored, 0);
		cr_assert_eq(o.zero + o.sigbus, o.runs);
		break;
	}
}

/* fx_two_stores_one_hole()'s tasks: process t stores at byte 8t of index 0 */
struct fx_hole_stores {
	struct mm_struct *mm[2];
	unsigned long addr[2];
};

static void fx_hole_store(struct kernel *kk, void *arg)
{
	struct fx_hole_stores *r = arg;
	int t = kk->current - 1;

	cr_assert_eq(user_access(kk, r->mm[t], r->addr[t] + 8 * t, 8, true, 0x11 + t).sig,
		     SIG_NONE);
}

int fx_two_stores_one_hole(void (*init)(void), struct file *(*make)(loff_t size), int a, int b)
{
	int twice = 0;

	for (unsigned bits = 0; bits < 256; bits++) {
		struct fx_hole_stores r;
		struct file *f;
		void (*fns[2])(struct kernel *, void *) = { fx_hole_store, fx_hole_store };
		void *args[2] = { &r, &r };

		fx_fini();
		init();
		if (a >= 0)
			k->policy.sw[a] = 1;
		if (b >= 0)
			k->policy.sw[b] = 1;
		f = make(2 * P);
		for (int t = 0; t < 2; t++) {
			r.mm[t] = mm_create(k);
			r.addr[t] = map(r.mm[t], f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		}
		cr_assert_eq(fx_run_tasks(bits, 8, 2, r.mm, fns, args), SCHED_DONE, "choices %#x",
			     bits);
		cr_assert(f->inode->i_blocks == 1 || f->inode->i_blocks == 2);
		twice += f->inode->i_blocks == 2;
		cr_assert_null(k->dax_wait_table.head);
	}
	return twice;
}

int fx_round_robin(void *ctx, const int *runnable, int n, const char *point)
{
	(void)ctx, (void)point;
	for (int i = 0; i < n; i++)
		if (runnable[i] > k->current)
			return runnable[i];
	return runnable[0];
}
