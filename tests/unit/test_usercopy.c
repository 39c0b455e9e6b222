// SPDX-License-Identifier: GPL-2.0
/*
 * model/usercopy.c: a system call's user buffer. Copies that fault inside
 * the call (counted as the process's faults), stop where a fault fails,
 * each era's count for a copy that stops, gup for O_DIRECT: the buffer's
 * page held while the I/O is in flight and put after.
 */
#include <criterion/criterion.h>

#include "fixture.h"
#include "ext4.h"
#include "lock.h"
#include "pagemap.h"
#include "policy.h"
#include "usercopy.h"

TestSuite(usercopy, .init = fx_init, .fini = fx_fini);

static struct iov_iter ubuf(struct mm_struct *mm, unsigned long addr, size_t len)
{
	return (struct iov_iter){ .mm = mm, .addr = addr, .count = len };
}

Test(usercopy, read_into_a_hole_mapping_takes_counted_write_faults)
{
	struct file *src = new_file(2 * P), *dst = new_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, dst, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct iov_iter it = { .buf = NULL, .fill = 0x5a, .count = 2 * P };

	cr_assert_eq(vfs_write_iter(k, src, 0, &it), 2 * P);
	it = ubuf(mm, a, 2 * P);
	cr_assert_eq(vfs_read_iter(k, src, 0, &it), 2 * P);
	/* v4.14: a write fault on a hole allocates (IOMAP_F_NEW): major */
	cr_assert_eq(mm->maj_flt, 2);
	cr_assert_eq(mm->min_flt, 0);
	cr_assert_eq(load(mm, a + P).value, 0x5a5a5a5a5a5a5a5aULL);
	cr_assert(pte_write(pte_at(mm, a)) && pte_dirty(pte_at(mm, a)));
}

/* A page of 0x11 read into a read-only mapping of another file: the read's return. */
static ssize_t read_into_read_only(struct mm_struct *mm, struct iov_iter *it)
{
	struct file *src = new_file(P), *dst = new_file(P);
	unsigned long a = map(mm, dst, P, PROT_READ, MAP_SHARED, 0);

	*it = (struct iov_iter){ .fill = 0x11, .count = P };
	cr_assert_eq(vfs_write_iter(k, src, 0, it), P);
	*it = ubuf(mm, a, P);
	return vfs_read_iter(k, src, 0, it);
}

Test(usercopy, read_into_a_read_only_mapping_is_efault_and_counts_no_fault)
{
	struct mm_struct *mm = mm_create(k);
	struct iov_iter it;

	cr_assert_eq(read_into_read_only(mm, &it), -EFAULT);
	cr_assert_eq(mm->maj_flt + mm->min_flt, 0, "a fault that fails is not counted");
	/* a hole read the same way: iov_iter_zero() of 0 bytes, 0 (v4.14 dax_iomap_rw()) */
	cr_assert_eq(vfs_read_iter(k, new_file(P), 0, &it), 0);
}

Test(usercopy, a_read_stops_at_the_first_page_it_cannot_store_to)
{
	struct file *src = new_file(3 * P), *dst = new_file(P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, dst, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct iov_iter it = { .fill = 0x33, .count = 3 * P };

	cr_assert_eq(vfs_write_iter(k, src, 0, &it), 3 * P);
	/* dst is one page: the buffer's second page is past its EOF (SIGBUS) */
	it = ubuf(mm, a + 100, 3 * P - 100);
	cr_assert_eq(vfs_read_iter(k, src, 0, &it), P - 100);
	cr_assert_eq(load(mm, a + P - 8).value, 0x3333333333333333ULL);
	cr_assert_eq(load(mm, a + 96).value, 0x3333333300000000ULL, "bytes 96-99 untouched");
}

Test(usercopy, access_ok_refuses_a_buffer_past_the_address_space)
{
	struct file *f = new_file(P);
	struct mm_struct *mm = mm_create(k);
	struct iov_iter it = ubuf(mm, TASK_SIZE - 100, P);

	cr_assert_eq(vfs_read_iter(k, f, 0, &it), -EFAULT);
	it = ubuf(mm, ~0UL - 10, P);
	cr_assert_eq(vfs_write_iter(k, f, 0, &it), -EFAULT);
}

Test(usercopy, dax_2014_read_that_copies_nothing_returns_0, .init = fx_init_dax_2014)
{
	struct iov_iter it;

	cr_assert_eq(read_into_read_only(mm_create(k), &it), 0, "v4.0 dax_io(): get_block's 0");
}

Test(usercopy, gup_of_a_dax_block_fails_before_v4_5, .init = fx_init_dax_2014)
{
	struct file *f = new_file(P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct iov_iter it = ubuf(mm, a, P);
	unsigned long pages[2];

	cr_assert_eq(store(mm, a, 0x42).sig, SIG_NONE);
	cr_assert(pte_special(pte_at(mm, a)));
	cr_assert_eq(gup_iter_pages(k, &it, 0, P, false, pages), 0, "vm_normal_page(): none");
}

Test(usercopy, gup_of_a_dax_block_takes_a_page_reference)
{
	struct file *f = new_file(P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct iov_iter it = ubuf(mm, a, P);
	unsigned long pages[2];
	struct page *page;
	int before;

	cr_assert_eq(store(mm, a, 0x42).sig, SIG_NONE);
	page = pfn_to_page(k, pte_pfn(pte_at(mm, a)));
	before = page->refcount;
	cr_assert_eq(gup_iter_pages(k, &it, 0, P, true, pages), 1);
	cr_assert_eq(page->refcount, before + 1);
	gup_put_pages(k, pages, 1);
	cr_assert_eq(page->refcount, before);
}

/* O_DIRECT read of a page-cache file into an anonymous-free buffer: a page-cache page. */
struct dio {
	struct file *f;
	struct mm_struct *mm;
	unsigned long addr;
	struct page *buf;
	int seen[8], nseen;
	ssize_t ret;
};

static void dio_reader(struct kernel *kk, void *arg)
{
	struct dio *d = arg;
	struct iov_iter it = ubuf(d->mm, d->addr, P);

	it.direct = true;
	d->ret = vfs_read_iter(kk, d->f, 0, &it);
}

static void dio_observer(struct kernel *kk, void *arg)
{
	struct dio *d = arg;

	for (int i = 0; i < 8; i++) {
		d->seen[d->nseen++] = d->buf->refcount;
		might_sleep(kk, "observer");
	}
}

Test(usercopy, direct_read_holds_the_buffer_page_while_the_io_is_in_flight)
{
	struct dio d = { .f = cold_file(P, 0x77) };
	struct file *bf = cold_file(P, 0x01);
	int base, max = 0;

	d.mm = mm_create(k);
	d.addr = map(d.mm, bf, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(store(d.mm, d.addr, 0x02).sig, SIG_NONE);	/* the page, mapped writable */
	d.buf = cached(bf, 0);
	cr_assert_not_null(d.buf);
	base = d.buf->refcount;
	cr_assert_eq(fx_race(~0u, 16, d.mm, dio_reader, &d, d.mm, dio_observer, &d), SCHED_DONE);
	cr_assert_eq(d.ret, P);
	for (int i = 0; i < d.nseen; i++)
		max = d.seen[i] > max ? d.seen[i] : max;
	cr_assert_eq(max, base + 1, "get_user_pages_fast()'s reference while the I/O is in flight");
	cr_assert_eq(d.buf->refcount, base, "put after");
	cr_assert(d.buf->flags & PG_dirty, "dio_bio_complete(): set_page_dirty_lock()");
	cr_assert_eq(load(d.mm, d.addr + 8).value, 0x7777777777777777ULL);
	/* not aligned to 512 */
	{
		struct iov_iter it = ubuf(d.mm, d.addr + 1, 512);

		it.direct = true;
		cr_assert_eq(vfs_read_iter(k, d.f, 0, &it), -EINVAL);
	}
}

/*
 * Two DAX reads of one file, each into a hole mapping of another file (its
 * write faults are scheduling points inside the read), switched at every
 * point, with a third task watching the source's inode lock: v4.0 and
 * v4.5's dax_do_io(DIO_LOCKING) holds i_mutex, so the reads never overlap;
 * v4.14's ext4_dax_read_iter() takes it shared, so they do.
 */
struct two_reads {
	struct file *src;
	struct mm_struct *mm[2];
	unsigned long addr[2];
	int max_readers, owned;
	bool done[2];
};

static void two_reads_reader(struct kernel *kk, void *arg, int i)
{
	struct two_reads *t = arg;
	struct iov_iter it = ubuf(t->mm[i], t->addr[i], 2 * P);

	cr_assert_eq(vfs_read_iter(kk, t->src, 0, &it), 2 * P);
	t->done[i] = true;
}

static void two_reads_first(struct kernel *kk, void *arg) { two_reads_reader(kk, arg, 0); }
static void two_reads_second(struct kernel *kk, void *arg) { two_reads_reader(kk, arg, 1); }

static void two_reads_watch(struct kernel *kk, void *arg)
{
	struct two_reads *t = arg;
	struct lock *l = &file_inode(t->src)->i_rwsem;

	while (!t->done[0] || !t->done[1]) {
		if (l->readers > t->max_readers)
			t->max_readers = l->readers;
		t->owned += l->owner > 0;
		cond_resched(kk);
	}
}

static void two_reads_run(struct two_reads *t)
{
	t->src = new_file(2 * P);
	for (int i = 0; i < 2; i++) {
		t->mm[i] = mm_create(k);
		t->addr[i] = map(t->mm[i], new_file(2 * P), 2 * P, PROT_READ | PROT_WRITE,
				 MAP_SHARED, 0);
	}
	k->sched.choose = fx_round_robin;
	kthread_create(k, t->mm[0], two_reads_first, t);
	kthread_create(k, t->mm[1], two_reads_second, t);
	kthread_create(k, mm_create(k), two_reads_watch, t);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	k->sched.choose = NULL;
}

Test(usercopy, dax_2016_reads_hold_i_mutex, .init = fx_init_dax_2016)
{
	struct two_reads t = { 0 };

	two_reads_run(&t);
	cr_assert_eq(t.max_readers, 0, "dax_do_io(DIO_LOCKING): i_mutex, never shared");
	cr_assert_gt(t.owned, 0, "the watcher saw a read hold it");
}

Test(usercopy, dax_2014_reads_hold_i_mutex, .init = fx_init_dax_2014)
{
	struct two_reads t = { 0 };

	two_reads_run(&t);
	cr_assert_eq(t.max_readers, 0, "dax_do_io(DIO_LOCKING): i_mutex, never shared");
	cr_assert_gt(t.owned, 0, "the watcher saw a read hold it");
}

Test(usercopy, dax_2017_reads_share_the_inode_lock)
{
	struct two_reads t = { 0 };

	two_reads_run(&t);
	cr_assert_eq(t.max_readers, 2, "ext4_dax_read_iter(): inode_lock_shared() (saw %d readers, owned %d)", t.max_readers, t.owned);
}

/*
 * get_user_pages_mm(): the `gup` and `pin` lines. Expected values from the
 * kernels: v4.0 mm/gup.c follow_page_pte() (a special PTE: bad_page,
 * -EFAULT); 6.1.20 mm/gup.c try_grab_page() L209-236 (FOLL_PIN adds
 * GUP_PIN_COUNTING_BIAS), check_vma_flags() L1046-1062 (-EOPNOTSUPP),
 * is_valid_gup_flags() L2146-2165 (-EINVAL).
 */
Test(usercopy, gup_mm_of_a_dax_block_fails_before_v4_5_but_a_hole_page_works,
     .init = fx_init_dax_2014)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pages[2];
	struct page *hole;

	cr_assert_eq(store(mm, a, 0x42).sig, SIG_NONE);
	cr_assert_eq(load(mm, a + P).sig, SIG_NONE);
	cr_assert_eq(get_user_pages_mm(k, mm, a, 2 * P, FOLL_GET, pages), -EFAULT);
	/* the hole page: a page-cache page, one reference more */
	hole = cached(f, 1);
	cr_assert_not_null(hole);
	cr_assert_eq(get_user_pages_mm(k, mm, a + P, P, FOLL_GET, pages), 1);
	cr_assert_eq(pages[0], hole->pfn);
	cr_assert_eq(hole->refcount, 3, "the page cache, the PTE and the gup");
	gup_release_page(k, pages[0], false);
	cr_assert_eq(hole->refcount, 2);
}

Test(usercopy, gup_mm_write_faults_in_a_hole_and_stops_at_the_vma_end)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pages[3];

	/* the third page is past the VMA: the two before it are got */
	cr_assert_eq(get_user_pages_mm(k, mm, a, 3 * P, FOLL_GET | FOLL_WRITE, pages), 2);
	cr_assert_eq(state(f, 0), BLOCK_MAPPED);
	cr_assert_eq(pages[1], block_pfn(block_of(f, 1)));
	cr_assert_eq(pfn_to_page(k, pages[1])->refcount, 1);
	gup_release_page(k, pages[0], false);
	gup_release_page(k, pages[1], false);
	cr_assert_eq(pfn_to_page(k, pages[1])->refcount, 0, "an idle fsdax page");
}

Test(usercopy, pin_adds_the_pin_bias_in_6_1, .init = fx_init_modern)
{
	struct file *f = new_file(P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pages[1];
	struct page *page;

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_PIN | FOLL_WRITE, pages), 1);
	page = pfn_to_page(k, pages[0]);
	cr_assert_eq(page->refcount, GUP_PIN_COUNTING_BIAS);
	cr_assert_eq(GUP_PIN_COUNTING_BIAS, 1024);
	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET, pages), 1);
	cr_assert_eq(page->refcount, 1025);
	gup_release_page(k, pages[0], false);
	gup_release_page(k, pages[0], true);
	cr_assert_eq(page->refcount, 0);
}

Test(usercopy, longterm_pins_of_fsdax_are_refused_in_6_1, .init = fx_init_modern)
{
	struct file *f = new_file(P), *pc = cold_file(P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b = map(mm, pc, P, PROT_READ, MAP_SHARED, 0);
	unsigned long pages[1];

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_PIN | FOLL_LONGTERM, pages), -EOPNOTSUPP);
	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET | FOLL_LONGTERM, pages), -EINVAL);
	cr_assert(pte_none(pte_at(mm, a)), "refused before any fault");
	/* a page-cache file is no fsdax VMA: the long-term pin works */
	cr_assert_eq(get_user_pages_mm(k, mm, b, P, FOLL_PIN | FOLL_LONGTERM, pages), 1);
	gup_release_page(k, pages[0], true);
}

/*
 * 6.1's layout break (fs/ext4/inode.c L3958-3985): a truncate sleeps while
 * a page of the file is pinned, with i_mmap_sem (the invalidate_lock)
 * dropped, and goes on once put_page() wakes it. Outside a task it cannot
 * sleep: a hang, -EINTR, nothing truncated.
 */
struct pin_wait {
	struct file *f;
	unsigned long pfn;
	int ret;
	bool released, truncated_before_release;
};

static void pin_wait_truncate(struct kernel *kk, void *arg)
{
	struct pin_wait *w = arg;

	w->ret = vfs_truncate(kk, w->f, 0);
	w->truncated_before_release = !w->released;
}

static void pin_wait_release(struct kernel *kk, void *arg)
{
	struct pin_wait *w = arg;

	for (int i = 0; i < 4; i++)
		cond_resched(kk);	/* let the truncate reach its wait */
	cr_assert(!lock_held(&file_inode(w->f)->i_mmap_sem), "dropped while asleep");
	w->released = true;
	gup_release_page(kk, w->pfn, true);
}

Test(usercopy, truncate_waits_for_a_pinned_page_in_6_1, .init = fx_init_modern)
{
	struct pin_wait w = { .f = new_file(P) };
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, w.f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long block;

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_PIN | FOLL_WRITE, &w.pfn), 1);
	block = block_of(w.f, 0);
	/* no task: the wait would never end */
	cr_assert_eq(vfs_truncate(k, w.f, 0), -EINTR);
	cr_assert_not_null(k->hang);
	cr_assert_eq(k->hang_pfn, w.pfn);
	cr_assert_eq(state(w.f, 0), BLOCK_MAPPED, "nothing freed");
	cr_assert(!lock_held(&file_inode(w.f)->i_mmap_sem));
	k->hang = NULL;
	k->sched.choose = fx_round_robin;
	kthread_create(k, mm, pin_wait_truncate, &w);
	kthread_create(k, mm_create(k), pin_wait_release, &w);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	k->sched.choose = NULL;
	cr_assert_eq(w.ret, 0);
	cr_assert(!w.truncated_before_release);
	cr_assert_eq(state(w.f, 0), BLOCK_HOLE);
	cr_assert(!ext4_block_owner(k, block, &(struct inode *){ NULL }, &(pgoff_t){ 0 }));
}

Test(usercopy, truncate_frees_a_pinned_block_before_the_layout_break)
{
	struct file *f = new_file(P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pfn;

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_PIN | FOLL_WRITE, &pfn), 1);
	cr_assert_eq(pfn_to_page(k, pfn)->refcount, 1, "v4.14: no FOLL_PIN, a reference");
	cr_assert_eq(vfs_truncate(k, f, 0), 0);
	cr_assert_null(k->hang);
	cr_assert_eq(state(f, 0), BLOCK_HOLE, "freed under the pin");
	gup_release_page(k, pfn, false);
}

/*
 * gup-longterm (dax-2017): get_user_pages_longterm() of linux-4.14.177
 * mm/gup.c L1126-1174 gets the pages first, then refuses an fsdax VMA:
 * the write fault has allocated the block, and no reference is left.
 * Without the switch a long-term user's get_user_pages() holds it.
 */
Test(usercopy, gup_longterm_backport_faults_then_refuses_fsdax)
{
	struct file *f = new_file(P), *pc = cold_file(P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b = map(mm, pc, P, PROT_READ, MAP_SHARED, 0);
	unsigned long pfn;

	k->policy.sw[SW_GUP_LONGTERM] = 1;
	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET | FOLL_WRITE | FOLL_LONGTERM, &pfn),
		     -EOPNOTSUPP);
	cr_assert_eq(state(f, 0), BLOCK_MAPPED, "faulted in before the refusal");
	cr_assert_eq(pfn_to_page(k, block_pfn(block_of(f, 0)))->refcount, 0, "put again");
	cr_assert_eq(get_user_pages_mm(k, mm, b, P, FOLL_GET | FOLL_LONGTERM, &pfn), 1);
	gup_release_page(k, pfn, false);
	/* without the backport: the plain get_user_pages() of ib_umem_get(), fsdax too */
	k->policy.sw[SW_GUP_LONGTERM] = 0;
	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET | FOLL_LONGTERM, &pfn), 1);
	cr_assert_eq(pfn, block_pfn(block_of(f, 0)));
	cr_assert_eq(pfn_to_page(k, pfn)->refcount, 1, "held");
	gup_release_page(k, pfn, false);
	cr_assert_null(k->not_modelled);
}

/*
 * dio_transfer_pages(), a device writing into a pinned DAX block (an
 * O_DIRECT read completing into a shared DAX mapping): read_pmem()'s
 * ordinary stores, so the lines are in the CPU cache; set_page_dirty_lock()
 * leaves the entry's DIRTY tag as it was (v4.14: no page->mapping; 6.1:
 * noop_dirty_folio): after an fsync cleaned it, nothing tags it again.
 */
Test(usercopy, a_device_write_into_a_pinned_dax_block_is_cached_and_tags_nothing)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pages[2];
	uint8_t buf[P], got[16];

	cr_assert_eq(get_user_pages_mm(k, mm, a, 2 * P, FOLL_GET | FOLL_WRITE, pages), 2);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	cr_assert_not(dirty_tag(f, 0));
	cr_assert(pmem_page_durable(k, pages[1]));
	memset(buf, 0x5a, sizeof(buf));
	/* the last 8 bytes of page 0 and all but the last 8 of page 1 */
	dio_transfer_pages(k, pages, P - 8, sizeof(buf), buf, true);
	cr_assert_not(pmem_page_durable(k, pages[0]), "read_pmem(): cached stores");
	cr_assert_not(pmem_page_durable(k, pages[1]));
	cr_assert_not(dirty_tag(f, 0), "set_page_dirty() of a DAX page tags no entry");
	cr_assert_not(dirty_tag(f, 1));
	cr_assert_eq(load(mm, a + P - 8).value, 0x5a5a5a5a5a5a5a5aULL);
	cr_assert_eq(load(mm, a + P - 16).value, 0, "the bytes before it untouched");
	cr_assert_eq(load(mm, a + 2 * P - 8).value, 0, "past it untouched");
	/* the device reads back what is there */
	dio_transfer_pages(k, pages, P + 2, sizeof(got), got, false);
	for (size_t i = 0; i < sizeof(got); i++)
		cr_assert_eq(got[i], 0x5a);
	dio_transfer_pages(k, pages, 2 * P - 9, 9, got, false);
	cr_assert_eq(got[0], 0x5a);
	cr_assert_eq(got[1], 0, "past the transfer");
	gup_put_pages(k, pages, 2);
}

/* A page-cache page: dio_bio_complete()'s set_page_dirty_lock() dirties it for writeback. */
Test(usercopy, a_device_write_into_a_pinned_page_cache_page_dirties_it)
{
	struct file *f = cold_file(P, 0x11);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long pfn;
	uint8_t buf[4] = { 1, 2, 3, 4 }, r[4];
	struct page *page;

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET | FOLL_WRITE, &pfn), 1);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	page = cached(f, 0);
	cr_assert_eq(page->pfn, pfn);
	cr_assert_not(page->flags & PG_dirty);
	dio_transfer_pages(k, &pfn, 100, sizeof(buf), buf, true);
	cr_assert(page->flags & PG_dirty);
	cr_assert(dirty_tag(f, 0));
	cr_assert_not(page->flags & PG_locked, "set_page_dirty_lock() unlocks");
	cr_assert_eq(vfs_read(k, f, 100, r, sizeof(r)), 4);
	cr_assert_eq(memcmp(r, buf, 4), 0);
	gup_put_pages(k, &pfn, 1);
}

/*
 * Before the layout break (v4.14): the truncate frees the pinned block,
 * another file's write takes it, and the device's write lands in that
 * file: the use after free.
 */
Test(usercopy, a_device_write_after_the_truncate_lands_in_the_file_that_took_the_block)
{
	struct file *f = new_file(P), *g = new_file(0);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint8_t fill[P], r[1];
	unsigned long pfn;

	cr_assert_eq(get_user_pages_mm(k, mm, a, P, FOLL_GET | FOLL_WRITE, &pfn), 1);
	cr_assert_eq(vfs_truncate(k, f, 0), 0);
	memset(fill, 0x22, sizeof(fill));
	cr_assert_eq(vfs_write(k, g, 0, fill, P), P);
	cr_assert_eq(block_pfn(block_of(g, 0)), pfn, "the freed block, reused");
	memset(fill, 0x55, sizeof(fill));
	dio_transfer_pages(k, &pfn, 0, P, fill, true);
	cr_assert_eq(vfs_read(k, g, 0, r, 1), 1);
	cr_assert_eq(r[0], 0x55, "g holds the device's bytes");
	gup_put_pages(k, &pfn, 1);
}
