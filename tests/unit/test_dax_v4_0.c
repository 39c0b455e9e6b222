// SPDX-License-Identifier: GPL-2.0
/*
 * model/dax-v4.0.c: Linux v4.0's fs/dax.c under dax-2014, through the
 * fault path (user_access) and directly (dax_zero_page_range,
 * dax_truncate_page). docs/eras/dax-2014.md §2-§6 are the source of every
 * expected value.
 */
#include <criterion/criterion.h>

#include "fixture.h"

#include "dax-v4.0.h"
#include "lock.h"
#include "pagemap.h"

TestSuite(dax_v4_0, .init = fx_init_dax_2014, .fini = fx_fini);

static struct page *pte_page(struct mm_struct *mm, unsigned long addr)
{
	pte_t pte = pte_at(mm, addr);

	cr_assert(pte_present(pte));
	cr_assert(pfn_is_dram(k, pte_pfn(pte)), "a DRAM page, not pmem");
	return pfn_to_page(k, pte_pfn(pte));
}

/* §2: a hole read maps a zeroed page-cache page, counted in rss. */
Test(dax_v4_0, hole_read_maps_a_page_cache_page)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	struct access_result r = load(mm, a + 5 * P);
	struct page *page;

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.value, 0);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert_eq(mm->maj_flt, 0, "a hole read allocates nothing");
	page = pte_page(mm, a + 5 * P);
	cr_assert_not(pte_special(pte_at(mm, a + 5 * P)), "do_set_pte: a normal PTE");
	cr_assert_not(pte_write(pte_at(mm, a + 5 * P)));
	cr_assert_eq(entry_at(f, 5), page, "the page cache holds it at index 5");
	cr_assert_eq(page->mapping, &f->inode->i_data);
	cr_assert_eq(page->index, 5);
	cr_assert_eq(page->refcount, 2, "the page cache's and the PTE's");
	cr_assert_eq(page->mapcount, 1);
	cr_assert_not(page->flags & (PG_locked | PG_anon | PG_dirty));
	cr_assert_eq(f->inode->i_data.nrpages, 1);
	cr_assert_eq(f->inode->i_data.nrexceptional, 0);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	cr_assert_eq(state(f, 5), BLOCK_HOLE);
	cr_assert_eq(f->inode->i_blocks, 0);
}

/* §2 last row: every mapping of the file maps the same hole page. */
Test(dax_v4_0, every_mapping_shares_the_hole_page)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *m1 = mm_create(k), *m2 = mm_create(k);
	unsigned long a1 = map(m1, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long a2 = map(m2, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);

	load(m1, a1);
	load(m2, a2);
	cr_assert_eq(pte_page(m1, a1), pte_page(m2, a2));
	cr_assert_eq(pte_page(m1, a1)->refcount, 3);
	cr_assert_eq(pte_page(m1, a1)->mapcount, 2);
}

/*
 * §4: the first store to a hole of a shared writable mapping: the write
 * fault allocates and maps the block read-only (major), the wp fault makes
 * the PTE writable without the fs (minor).
 */
Test(dax_v4_0, first_write_is_two_faults)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r = store(mm, a, 0x1234);
	pte_t pte = pte_at(mm, a);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 2);
	cr_assert_eq(mm->maj_flt, 1);
	cr_assert_eq(mm->min_flt, 1);
	cr_assert(pte_present(pte) && pte_write(pte) && pte_dirty(pte) && pte_special(pte));
	cr_assert_not(pte_devmap(pte), "v4.0: no devmap bit");
	cr_assert_eq(pte_pfn(pte), block_pfn(block_of(f, 0)));
	cr_assert_null(entry_at(f, 0), "no DAX entry in v4.0");
	cr_assert_not(pmem_page_durable(k, pte_pfn(pte)),
		      "clear_page and the store are CPU stores nothing flushed");
	cr_assert_eq(mm->rss[MM_FILEPAGES] + mm->rss[MM_ANONPAGES], 0);
	cr_assert_eq(load(mm, a).value, 0x1234);
}

/* A store where a written block is mapped read-only: one wp fault, no fs call. */
Test(dax_v4_0, write_to_a_read_only_block_reuses_the_pte)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint64_t mtime;

	store(mm, a, 1);
	cr_assert_eq(do_munmap(k, mm, a, 4 * P), 0);
	a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(load(mm, a).value, 1);
	cr_assert_not(pte_write(pte_at(mm, a)));
	mtime = f->inode->i_mtime;
	cr_assert_eq(store(mm, a, 2).nr_faults, 1);
	cr_assert(pte_write(pte_at(mm, a)));
	cr_assert_eq(f->inode->i_mtime, mtime, "reuse: no file_update_time");
}

/*
 * §4 and seed 001: a write over a hole page another process maps unmaps it
 * there, takes it out of the page cache and frees it.
 */
Test(dax_v4_0, write_unmaps_the_hole_page_everywhere)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *m1 = mm_create(k), *m2 = mm_create(k), *m3 = mm_create(k);
	unsigned long a1 = map(m1, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long a3 = map(m3, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned long a2 = map(m2, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;

	load(m1, a1);
	load(m3, a3);
	load(m2, a2);
	cr_assert_eq(k->dram.nr_used, 2, "the zero page and one hole page");
	r = store(m2, a2, 0x5a);
	cr_assert_eq(r.nr_faults, 2, "page_mkwrite (major), then the reuse");
	cr_assert_eq(m2->maj_flt, 1);
	cr_assert_not(pte_present(pte_at(m1, a1)));
	cr_assert_not(pte_present(pte_at(m3, a3)), "even_cows 0: the private VMA loses the file's page");
	cr_assert_null(entry_at(f, 0));
	cr_assert_eq(f->inode->i_data.nrpages, 0);
	cr_assert_eq(k->dram.nr_used, 1, "the hole page is freed");
	cr_assert_eq(m1->rss[MM_FILEPAGES] + m2->rss[MM_FILEPAGES] + m3->rss[MM_FILEPAGES], 0);
	cr_assert_eq(load(m1, a1).value, 0x5a);
	cr_assert_eq(load(m3, a3).value, 0x5a);
}

/*
 * §4 private write with no hole page: the COW page is zeroed, VM_FAULT_LOCKED
 * with i_mmap_rwsem held for read, which do_cow_fault() releases; nothing is
 * allocated; v4.0's dax_fault() updates the times for a private write too.
 */
Test(dax_v4_0, private_write_over_a_hole)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	uint64_t mtime = f->inode->i_mtime;
	struct access_result r = store(mm, a + P, 7);

	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(r.nr_faults, 1);
	cr_assert_eq(mm->maj_flt, 0);
	cr_assert(pte_page(mm, a + P)->flags & PG_anon);
	cr_assert(pte_write(pte_at(mm, a + P)));
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(f->inode->i_blocks, 0);
	cr_assert_eq(f->inode->i_data.nrpages, 0);
	cr_assert_not(lock_held(&f->inode->i_data.i_mmap_rwsem));
	cr_assert_neq(f->inode->i_mtime, mtime);
}

/* A private write fault where another VMA's hole page is cached: copied, left in place. */
Test(dax_v4_0, private_write_copies_a_cached_hole_page)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *m1 = mm_create(k), *m2 = mm_create(k);
	unsigned long a1 = map(m1, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long a2 = map(m2, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	struct page *hole;

	load(m1, a1);
	hole = pte_page(m1, a1);
	cr_assert_eq(store(m2, a2, 9).nr_faults, 1);
	cr_assert_neq(pte_page(m2, a2), hole);
	cr_assert(pte_page(m2, a2)->flags & PG_anon);
	cr_assert_eq(entry_at(f, 0), hole);
	cr_assert_not(hole->flags & PG_locked, "do_cow_fault unlocks the fault page");
	cr_assert_eq(hole->refcount, 2);
	cr_assert_eq(load(m1, a1).value, 0);
	cr_assert_eq(load(m2, a2).value, 9);
}

/* A private write to a written block copies it; the block is untouched. */
Test(dax_v4_0, private_write_copies_a_block)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);

	store(mm, s, 0x1111);
	store(mm, a + 8, 0x22);
	cr_assert(pte_page(mm, a)->flags & PG_anon);
	cr_assert_eq(load(mm, a).value, 0x1111, "copy_user_bh");
	cr_assert_eq(load(mm, a + 8).value, 0x22);
	cr_assert_eq(load(mm, s + 8).value, 0, "the block is untouched");
}

/* §2 step 1: past EOF, SIGBUS, counted in neither counter. */
Test(dax_v4_0, past_eof_is_sigbus)
{
	struct file *f = new_file(P + 1);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_eq(load(mm, a + P).sig, SIG_NONE, "DIV_ROUND_UP: page 1 is inside");
	cr_assert_eq(load(mm, a + 2 * P).sig, SIG_BUS);
	cr_assert_eq(store(mm, a + 3 * P, 1).sig, SIG_BUS);
	cr_assert_eq(mm->min_flt + mm->maj_flt, 1);
	cr_assert_eq(f->inode->i_blocks, 0);
}

/* get_block -ENOSPC on a write fault: SIGBUS with the errno; the hole page stays. */
Test(dax_v4_0, enospc_is_sigbus)
{
	struct file *f = new_file(4 * P);
	struct file *all = new_file(0);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;

	load(mm, a);
	cr_assert_eq(vfs_fallocate(k, all, 0, 0, (loff_t)k->sb.nr_blocks * P), 0);
	cr_assert_eq(k->sb.nr_free, 0);
	r = store(mm, a, 1);
	cr_assert_eq(r.sig, SIG_BUS);
	cr_assert_eq(r.error, -ENOSPC);
	cr_assert_eq(mm->maj_flt, 0, "errors are not counted");
	cr_assert(pte_present(pte_at(mm, a)), "the hole page is still mapped");
	cr_assert_not(pte_page(mm, a)->flags & PG_locked);
	cr_assert_eq(state(f, 0), BLOCK_HOLE);
}

/* §3: a read fault on an unwritten block zeroes it (volatile) and converts it. */
Test(dax_v4_0, read_fault_converts_unwritten)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b;

	cr_assert_eq(vfs_fallocate(k, f, 0, 0, P), 0);
	cr_assert_eq(state(f, 0), BLOCK_UNWRITTEN);
	cr_assert_eq(load(mm, a).value, 0);
	b = block_of(f, 0);
	cr_assert_eq(pte_pfn(pte_at(mm, a)), block_pfn(b));
	cr_assert(pte_special(pte_at(mm, a)));
	cr_assert_not(pmem_page_durable(k, block_pfn(b)));
}

/* dax_zero_page_range(): written blocks only, CPU stores (volatile). */
Test(dax_v4_0, zero_page_range)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b;

	store(mm, a + 8, ~0ULL);
	store(mm, a + 16, ~0ULL);
	b = block_of(f, 0);
	pmem_flush(k, block_pfn(b), 0, PAGE_SIZE);
	cr_assert(pmem_page_durable(k, block_pfn(b)));
	cr_assert_eq(dax_zero_page_range(k, f->inode, 12, 8, ext4_get_block), 0);
	cr_assert_eq(load(mm, a + 8).value, 0x00000000ffffffffULL);
	cr_assert_eq(load(mm, a + 16).value, 0xffffffff00000000ULL);
	cr_assert_not(pmem_page_durable(k, block_pfn(b)));
	/* a hole: nothing, and nothing allocated */
	cr_assert_eq(dax_zero_page_range(k, f->inode, 2 * P + 5, 10, ext4_get_block), 0);
	cr_assert_eq(state(f, 2), BLOCK_HOLE);
	cr_assert_eq(dax_zero_page_range(k, f->inode, 0, 0, ext4_get_block), 0, "length 0");
}

/* dax_truncate_page(): from @from to the end of its page. */
Test(dax_v4_0, truncate_page)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	store(mm, a + P + 0x100, 5);
	store(mm, a + P + 0xff8, 6);
	cr_assert_eq(dax_truncate_page(k, f->inode, P + 0x101, ext4_get_block), 0);
	cr_assert_eq(load(mm, a + P + 0x100).value, 5);
	cr_assert_eq(load(mm, a + P + 0xff8).value, 0);
	cr_assert_eq(dax_truncate_page(k, f->inode, 2 * P, ext4_get_block), 0, "aligned: nothing");
}

/*
 * dax_insert_mapping() (v4.0 fs/dax.c L282-L294) takes i_mmap_lock_read()
 * and looks at i_size again before vm_insert_mixed(); truncate's unmap
 * takes i_mmap_rwsem for write after setting i_size. Under every schedule
 * of 10 choices no PTE is left past the new EOF. Without the lock and the
 * look (bug-fault-no-i-mmap-sem, v3.19 XIP's shape) the store that
 * allocated block 0 before the truncate freed it maps it past EOF.
 */
Test(dax_v4_0, insert_mapping_rechecks_i_size)
{
	struct fx_fault_race_outcome o;

	fx_fault_race(fx_init_dax_2014, -1, false, 10, &o);
	cr_assert_eq(o.past_eof, 0);
	fx_fault_race(fx_init_dax_2014, SW_BUG_FAULT_NO_I_MMAP_SEM, false, 10, &o);
	cr_assert_gt(o.past_eof, 0);
	cr_assert_gt(o.freed, 0);
}

/*
 * do_dax_fault(), v4.0 fs/dax.c L342-363, under threads: a read fault on
 * a cached hole page. lock_page_or_retry() (include/linux/pagemap.h L474,
 * mm/filemap.c L838-868): the page locked by another task makes the fault
 * drop mmap_sem, wait for the unlock and return VM_FAULT_RETRY;
 * __do_page_fault() retries it once without FAULT_FLAG_ALLOW_RETRY
 * (arch/x86/mm/fault.c L1242-1249). fx_hole_page_race() checks each run.
 */

/* Another read: dax_load_hole() holds the page locked until do_read_fault() maps it. */
Test(dax_v4_0, hole_page_locked_by_a_read_waits_and_retries)
{
	fx_hole_page_expect(fx_init_dax_2014, FX_HOLE_READ);
}

/*
 * A write fault takes the hole page away (L409-419: unmap, delete from the
 * page cache) while A waits for it or before A locks it: A's retry, or its
 * page->mapping != mapping recheck (L349-353, "goto repeat"), finds the
 * block and reads the store; else A read the hole first.
 */
Test(dax_v4_0, hole_page_replaced_by_a_block_is_looked_up_again)
{
	fx_hole_page_expect(fx_init_dax_2014, FX_HOLE_STORE);
}

/*
 * A truncate to 0: A reads the hole before it, or meets the cut: the
 * i_size re-check under the page lock (L354-362, -EIO), or the page gone
 * from the cache (the lookup again, then dax_load_hole()'s re-check,
 * L247-252): SIGBUS.
 */
Test(dax_v4_0, hole_page_truncated_meanwhile_is_sigbus)
{
	fx_hole_page_expect(fx_init_dax_2014, FX_HOLE_TRUNCATE);
}

/* ---- the arch fault handler retries once ---- */

struct relock {
	struct mm_struct *mm;
	unsigned long addr;
	struct page *page;
	struct access_result res;
};

static void relock_load(struct kernel *kk, void *arg)
{
	struct relock *r = arg;

	r->res = user_access(kk, r->mm, r->addr, 8, false, 0);
}

/* the page locked twice, with a scheduling point inside and after each hold */
static void relock_twice(struct kernel *kk, void *arg)
{
	struct relock *r = arg;

	for (int i = 0; i < 2; i++) {
		lock_page(kk, r->page);
		sched_point(kk, "test_hold");
		unlock_page(kk, r->page);
		sched_point(kk, "test_after");
	}
}

/*
 * __do_page_fault(), v4.0 arch/x86/mm/fault.c L1242-1249, "Retry at most
 * once": the retry clears FAULT_FLAG_ALLOW_RETRY, so a second
 * lock_page_or_retry() that finds the page locked sleeps for the lock
 * with mmap_sem held (__lock_page_killable(), mm/filemap.c L856-866) and
 * the fault goes on. A read of a cached hole page against a task that
 * locks it twice, every schedule of 12 choices: never a third fault (the
 * schedule 0x165 took one with ALLOW_RETRY kept), and some schedule retries.
 */
Test(dax_v4_0, fault_retries_at_most_once)
{
	bool retried = false;

	for (unsigned bits = 0; bits < 1u << 12; bits++) {
		struct relock r;
		struct file *f;
		struct mm_struct *mm0;
		unsigned long a0;

		fx_fini();
		fx_init_dax_2014();
		f = new_file(P);
		mm0 = mm_create(k);
		a0 = map(mm0, f, P, PROT_READ, MAP_SHARED, 0);
		cr_assert_eq(load(mm0, a0).sig, SIG_NONE);
		mm_destroy(k, mm0);
		r.page = cached(f, 0);
		cr_assert_not_null(r.page);
		r.mm = mm_create(k);
		r.addr = map(r.mm, f, P, PROT_READ, MAP_SHARED, 0);
		cr_assert_eq(fx_race(bits, 12, r.mm, relock_load, &r, NULL, relock_twice, &r),
			     SCHED_DONE, "choices %#x", bits);
		cr_assert_eq(r.res.sig, SIG_NONE, "choices %#x", bits);
		cr_assert_eq(r.res.value, 0, "choices %#x", bits);
		cr_assert_leq(r.res.nr_faults, 2, "choices %#x", bits);
		retried |= r.res.nr_faults == 2;
		cr_assert_eq(r.mm->min_flt, 1, "choices %#x: the retry is not counted twice", bits);
		cr_assert_not(r.page->flags & PG_locked);
		cr_assert_null(k->page_wait_table.head);
		cr_assert_not(lock_held(&r.mm->mmap_sem));
	}
	cr_assert(retried);
}
