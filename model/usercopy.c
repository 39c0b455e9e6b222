// SPDX-License-Identifier: GPL-2.0
/*
 * A system call's user buffer. lib/iov_iter.c's copies to and from a
 * struct iov_iter (copy_to_iter(), iov_iter_zero(), copy_from_iter() and
 * their _flushcache/_nocache forms), the x86 user copies under them
 * (arch/x86/lib/copy_user_64.S, usercopy_64.c: a forward copy that stops
 * at the first byte it cannot reach, copy_user_handle_tail()), the faults
 * they take inside the system call (kernel_user_fault(), model/memory.c),
 * generic_perform_write()'s prefault, and get_user_pages_fast() for
 * O_DIRECT (mm/gup.c). The kernel side of a copy is a pfn: a pmem block
 * (through the direct map, dax_direct_access()) or a DRAM page.
 */
#include <assert.h>
#include <string.h>

#include "linux_fs.h"
#include "lock.h"
#include "mm.h"
#include "nvdimm.h"
#include "page.h"
#include "pagemap.h"
#include "pgtable.h"
#include "pmem.h"
#include "usercopy.h"

/* The kernel reads a pfn (0: zeroes, iov_iter_zero()'s source). */
static void kernel_read(struct kernel *k, unsigned long pfn, unsigned off, void *buf, size_t n)
{
	if (!pfn)
		memset(buf, 0, n);
	else if (pfn_is_pmem(k, pfn))
		pmem_read(k, pfn, off, buf, n);
	else
		page_read(pfn_to_page(k, pfn), off, buf, n);
}

/* An ordinary CPU store into a pfn (a user page, or a kernel page copied into). */
static void cpu_store(struct kernel *k, unsigned long pfn, unsigned off, const void *buf,
		      size_t n)
{
	if (pfn_is_pmem(k, pfn))
		pmem_store(k, pfn, off, buf, n);
	else
		page_store(k, pfn_to_page(k, pfn), off, buf, n);
}

/*
 * The kernel's stores of one piece into @pfn at page offset @off, @n
 * bytes, which are bytes [@ks, @ks + @n) of the copy [@coff, @coff + @cn)
 * (offsets from the copy's first kernel page), as @how makes them.
 * STORE_NOCACHE splits the whole copy as __copy_user_nocache() does:
 * ordinary stores up to an 8-byte aligned destination, movnti for the
 * whole words, ordinary ones after them.
 */
static void kernel_store(struct kernel *k, unsigned long pfn, unsigned off, const uint8_t *buf,
			 size_t n, enum copy_store how, unsigned long ks, unsigned long coff,
			 size_t cn)
{
	unsigned long head, words, ws, we, ke = ks + n;

	if (!pfn_is_pmem(k, pfn) || how == STORE_CACHED) {
		cpu_store(k, pfn, off, buf, n);
		return;
	}
	if (how == STORE_FLUSHCACHE) {
		pmem_write_flush(k, pfn, off, buf, n);
		return;
	}
	head = cn >= 8 ? (8 - (coff & 7)) & 7 : 0;
	words = cn >= 8 ? (cn - head) & ~7UL : 0;
	ws = coff + head;
	we = ws + words;
	if (we <= ks || ws >= ke) {
		cpu_store(k, pfn, off, buf, n);
		return;
	}
	if (ws > ks)
		cpu_store(k, pfn, off, buf, ws - ks);
	else
		ws = ks;
	if (we > ke)
		we = ke;
	pmem_write_flush(k, pfn, off + (ws - ks), buf + (ws - ks), we - ws);
	if (we < ke)
		cpu_store(k, pfn, off + (we - ks), buf + (we - ks), ke - we);
}

/*
 * The copy between user memory at @uaddr of @mm and the kernel's @kpfn
 * (the blocks or pages from it on) at @koff, @n bytes. A piece is what
 * lies in one user page and one kernel page; a user page whose PTE does
 * not allow the access is faulted in (kernel_user_fault()) unless
 * @atomic (pagefault_disable()), and the copy stops where that fails.
 * The copy runs forward: where the user page is the kernel page and the
 * destination lies less than a piece after the source, a piece is that
 * distance, so that bytes already copied are copied again as rep movsb
 * would. Returns the bytes copied.
 */
static size_t user_copy(struct kernel *k, struct mm_struct *mm, unsigned long uaddr,
			unsigned long kpfn, unsigned long koff, size_t n, bool to_user,
			enum copy_store how, bool atomic)
{
	size_t done = 0;
	int faults = 0;

	while (done < n) {
		unsigned long a = uaddr + done;
		unsigned long kp = kpfn ? kpfn + ((koff + done) >> PAGE_SHIFT) : 0;
		unsigned ko = (koff + done) & (PAGE_SIZE - 1), uo = a & (PAGE_SIZE - 1);
		size_t piece = n - done;
		uint8_t buf[PAGE_SIZE];
		long upfn;

		if (piece > PAGE_SIZE - uo)
			piece = PAGE_SIZE - uo;
		if (piece > PAGE_SIZE - ko)
			piece = PAGE_SIZE - ko;
		upfn = user_pte_pfn(k, mm, a, to_user);
		if (upfn < 0) {
			if (atomic)
				break;
			if (faults++ >= USER_ACCESS_MAX_FAULTS) {
				not_modelled(k, "a fault inside a user copy that never lets the copy go on");
				break;
			}
			if (kernel_user_fault(k, mm, a, to_user) || k->not_modelled)
				break;
			continue;
		}
		faults = 0;
		if (G_UNLIKELY(k->pmem.poison) && pmem_poisoned(k, (unsigned long)upfn)) {
			/*
			 * 6.1: a load is a machine check in a user copy
			 * (MCE_IN_KERNEL_COPYIN: the copy stops, memory_failure()
			 * from task work), a store one into poison
			 */
			not_modelled(k, "a system call's copy to or from a user page on poisoned pmem");
			break;
		}
		if (kp && (unsigned long)upfn == kp) {
			unsigned src = to_user ? ko : uo, dst = to_user ? uo : ko;

			if (dst > src && dst - src < piece)
				piece = dst - src;
		}
		if (to_user) {
			kernel_read(k, kp, ko, buf, piece);
			cpu_store(k, (unsigned long)upfn, uo, buf, piece);
		} else {
			kernel_read(k, (unsigned long)upfn, uo, buf, piece);
			kernel_store(k, kp, ko, buf, piece, how, koff + done, koff, n);
		}
		done += piece;
	}
	return done;
}

size_t copy_pfn_to_iter(struct kernel *k, const struct iov_iter *to, size_t done,
			unsigned long pfn, unsigned off, size_t n)
{
	size_t got = 0;

	if (!n)
		return 0;
	if (!to->mm) {
		for (; got < n;) {
			unsigned o = (off + got) & (PAGE_SIZE - 1);
			size_t piece = n - got < PAGE_SIZE - o ? n - got : PAGE_SIZE - o;

			kernel_read(k, pfn ? pfn + ((off + got) >> PAGE_SHIFT) : 0, o,
				    to->out + done + got, piece);
			got += piece;
		}
		return n;
	}
	might_sleep(k, "might_fault");
	return user_copy(k, to->mm, to->addr + done, pfn, off, n, true, STORE_CACHED, false);
}

size_t copy_iter_to_pfn(struct kernel *k, const struct iov_iter *from, size_t done,
			unsigned long pfn, unsigned off, size_t n, enum copy_store how,
			bool atomic)
{
	size_t got;

	assert(from->mm && pfn);
	if (!n)
		return 0;
	if (!atomic)
		might_sleep(k, "might_fault");
	got = user_copy(k, from->mm, from->addr + done, pfn, off, n, false, how, atomic);
	/* copy_user_handle_tail(): the rest of the kernel destination zeroed */
	for (size_t z = got; z < n && copy_user_zeroes_tail(k);) {
		unsigned o = (off + z) & (PAGE_SIZE - 1);
		size_t piece = n - z < PAGE_SIZE - o ? n - z : PAGE_SIZE - o;
		unsigned long p = pfn + ((off + z) >> PAGE_SHIFT);

		if (how == STORE_FLUSHCACHE && pfn_is_pmem(k, p))
			pmem_write_flush(k, p, o, NULL, piece);	/* v4.5: flushed after */
		else
			cpu_store(k, p, o, NULL, piece);
		z += piece;
	}
	return got;
}

size_t fault_in_iov_iter_readable(struct kernel *k, const struct iov_iter *from,
				  size_t done, size_t n)
{
	unsigned long start = from->addr + done, end = start + n, a = start;
	int faults = 0;

	if (!from->mm || !n)
		return 0;
	while (a < end) {
		long upfn = user_pte_pfn(k, from->mm, a, false);

		if (G_UNLIKELY(k->pmem.poison) && upfn >= 0 && pmem_poisoned(k, (unsigned long)upfn)) {
			not_modelled(k, "the prefault's __get_user() of a user page on poisoned pmem (a machine check in a user access)");
			break;
		}
		if (upfn < 0) {
			/* __get_user(): the fault, then the load again */
			if (faults++ >= USER_ACCESS_MAX_FAULTS || kernel_user_fault(k, from->mm, a, false) ||
			    k->not_modelled)
				break;
			continue;
		}
		faults = 0;
		a = (a & PAGE_MASK) + PAGE_SIZE;
	}
	if (a >= end)
		return 0;
	/* 6.1 mm/gup.c L1797-1826: the bytes from the page that failed */
	if (k->policy.id == POLICY_MODERN)
		return end - (a > start ? a : start);
	/* v4.14 include/linux/pagemap.h L585-605 (v3.19 L555-570): -EFAULT for all */
	return n;
}

/*
 * follow_page_pte() with FOLL_GET, v4.14 mm/gup.c L72-170 (v4.0 L52-140):
 * the page behind a present PTE (writable for FOLL_WRITE), or NULL: a
 * special PTE has no page (vm_normal_page()) unless it maps the zero page;
 * a DAX block has one from v4.5 on (devmap PTEs, get_dev_pagemap()).
 * Under a huge pmd, the 4 KiB page of it (follow_devmap_pmd(),
 * follow_trans_huge_pmd()).
 */
static struct page *gup_follow(struct kernel *k, struct mm_struct *mm, unsigned long addr,
			       unsigned gup_flags, bool *bad, bool *unshare)
{
	bool huge, write = gup_flags & FOLL_WRITE;
	pte_t pte = follow_pte_or_pmd(mm, addr, &huge);
	unsigned long pfn = pte_pfn(pte);
	struct page *page;

	*bad = false;
	*unshare = false;
	if (!pte_present(pte) || (write && !pte_write(pte)))
		return NULL;
	/* a devmap PTE (special too on x86): get_dev_pagemap(), the page */
	if (pte_special(pte) && !pte_devmap(pte) && !is_zero_pfn(k, pfn) &&
	    !is_huge_zero_pfn(k, pfn)) {
		*bad = true;		/* "goto bad_page": -EFAULT */
		return NULL;
	}
	/*
	 * v4.5: get_dev_pagemap() is percpu_ref_tryget_live() of the queue's
	 * q_usage_counter, which the unbind's blk_freeze_queue() has killed:
	 * follow_devmap_pmd() (mm/huge_memory.c L1023-1025) is -EFAULT;
	 * follow_page_pte() (mm/gup.c L103-112) goes to no_page, and
	 * __get_user_pages() faults (a present PTE: nothing to do) and
	 * follows again, for ever.
	 */
	if (pte_devmap(pte) && k->policy.id == POLICY_DAX_2016 && k->pmem.dead) {
		*bad = true;
		if (!huge)
			not_modelled(k, "gup under dax-2016 of a PTE of the unbound device: v4.5's __get_user_pages() faults and follows it again for ever");
		return NULL;
	}
	page = pfn_to_page(k, pfn);
	/*
	 * 6.1 follow_page_pte() L618-621, gup_must_unshare() (include/linux/mm.h
	 * L3073-3098): a read-only FOLL_PIN of an anonymous page that is not
	 * exclusive (shared since a fork) is -EMLINK: __get_user_pages()
	 * takes an unshare fault and follows again.
	 */
	if (k->policy.id == POLICY_MODERN && !pte_write(pte) &&
	    (gup_flags & (FOLL_WRITE | FOLL_PIN)) == FOLL_PIN && page &&
	    (page->flags & PG_anon) && !(page->flags & PG_anon_exclusive)) {
		*unshare = true;
		return NULL;
	}
	return page;
}

/*
 * The walk of get_user_pages() over [@start, @end) of @mm: for each page,
 * gup-fast's follow, else __get_user_pages()'s faultin_page() and the
 * follow again (v4.14 mm/gup.c L640-760, 6.1 L1140-1260), until the page
 * is there or the fault fails. @vma_check, when set, is 6.1's
 * check_vma_flags() on each page's VMA first. Stops at the first page it
 * cannot get; *@err: why (-EFAULT unless @vma_check said otherwise).
 * Takes no reference: the caller grabs each page as it comes (@grab).
 */
static unsigned gup_walk(struct kernel *k, struct mm_struct *mm, unsigned long start,
			 unsigned long end, unsigned gup_flags, unsigned long *pages,
			 int (*vma_check)(struct vm_area_struct *vma, unsigned gup_flags),
			 void (*grab)(struct kernel *k, struct page *page, unsigned gup_flags),
			 int *err)
{
	bool write = gup_flags & FOLL_WRITE;
	unsigned nr = 0;

	*err = -EFAULT;
	for (unsigned long a = start & PAGE_MASK; a < end; a += PAGE_SIZE) {
		int faults = 0;
		struct page *page;
		bool bad, unshare;

		if (vma_check) {
			struct vm_area_struct *vma = find_vma(mm, a);

			if (vma && vma->vm_start <= a && (*err = vma_check(vma, gup_flags)))
				break;
			*err = -EFAULT;
		}
		/* gup-fast, then __get_user_pages(): faultin_page() and follow again */
		while (!(page = gup_follow(k, mm, a, gup_flags, &bad, &unshare)) && !bad) {
			if (faults++ >= USER_ACCESS_MAX_FAULTS ||
			    (unshare ? kernel_user_unshare_fault(k, mm, a) :
			     kernel_user_fault(k, mm, a, write)) || k->not_modelled)
				break;
		}
		if (!page)
			break;
		grab(k, page, gup_flags);
		pages[nr++] = page->pfn;
	}
	return nr;
}

/*
 * get_page() of a gup (FOLL_GET): one reference, on the folio. v4.5's
 * get_page() of a ZONE_DEVICE page also takes a dev_pagemap reference
 * (get_zone_device_page(), include/linux/mm.h L698-710) that put_page()
 * drops; follow_page_pte() then drops the one get_dev_pagemap() took
 * (mm/gup.c L144-152): one pgmap reference per page held.
 */
static void grab_get(struct kernel *k, struct page *page, unsigned gup_flags)
{
	(void)gup_flags;
	page_folio(page)->refcount++;
	if (k->policy.id == POLICY_DAX_2016 && pfn_is_pmem(k, page->pfn))
		get_zone_device_page(k);
}

unsigned gup_iter_pages(struct kernel *k, const struct iov_iter *it, size_t done, size_t n,
			bool write, unsigned long *pages)
{
	int err;

	assert(it->mm);
	return gup_walk(k, it->mm, it->addr + done, it->addr + done + n,
			FOLL_GET | (write ? FOLL_WRITE : 0), pages, NULL, grab_get, &err);
}

void gup_put_pages(struct kernel *k, const unsigned long *pages, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		put_page(k, pfn_to_page(k, pages[i]));
}

/*
 * try_grab_page() with FOLL_PIN, 6.1 mm/gup.c L209-236: a small folio
 * gets GUP_PIN_COUNTING_BIAS references, a large one (a 2 MiB DAX folio,
 * dax-folio-refcount) one reference and one in its pincount, which the
 * model does not keep (so a pin of a large folio counts as a reference).
 */
static void grab_pin(struct kernel *k, struct page *page, unsigned gup_flags)
{
	(void)k;
	(void)gup_flags;
	page_folio(page)->refcount += page->head ? 1 : GUP_PIN_COUNTING_BIAS;
}

/*
 * check_vma_flags(), 6.1 mm/gup.c L1046-1062: a long-term pin of an fsdax
 * VMA (vma_is_fsdax(): a DAX file that is not device DAX) is refused.
 */
static int check_vma_flags(struct vm_area_struct *vma, unsigned gup_flags)
{
	if ((gup_flags & FOLL_LONGTERM) && vma_is_dax(vma))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * get_user_pages_longterm(), v4.15 (linux-4.14.177 mm/gup.c L1126-1174, a
 * stable backport; gup-longterm): get_user_pages() of the range, then, if
 * the VMA of any page got is fsdax (vma_is_fsdax()), put_page() of every
 * page and -EOPNOTSUPP. The pages were faulted in all the same.
 */
static long get_user_pages_longterm(struct kernel *k, struct mm_struct *mm,
				    unsigned long start, size_t len, unsigned gup_flags,
				    unsigned long *pages)
{
	unsigned nr;
	int err;

	if (!len)
		return 0;
	nr = gup_walk(k, mm, start, start + len, gup_flags & ~FOLL_LONGTERM, pages, NULL,
		      grab_get, &err);
	for (unsigned i = 0; i < nr; i++) {
		struct vm_area_struct *vma = find_vma(mm, (start & PAGE_MASK) +
						      ((unsigned long)i << PAGE_SHIFT));

		if (vma && vma_is_dax(vma)) {
			gup_put_pages(k, pages, nr);
			return -EOPNOTSUPP;
		}
	}
	return nr ? (long)nr : err;
}

long get_user_pages_mm(struct kernel *k, struct mm_struct *mm, unsigned long start,
		       size_t len, unsigned gup_flags, unsigned long *pages)
{
	bool modern = k->policy.id == POLICY_MODERN;
	bool pin = modern && (gup_flags & FOLL_PIN);
	unsigned nr;
	int err;

	if (gup_flags & FOLL_LONGTERM) {
		/* is_valid_gup_flags(), 6.1 mm/gup.c L2146-2165: FOLL_LONGTERM needs FOLL_PIN */
		if (modern && !(gup_flags & FOLL_PIN))
			return -EINVAL;
		if (!modern && SW(k, GUP_LONGTERM))
			return get_user_pages_longterm(k, mm, start, len, gup_flags, pages);
		/*
		 * Before get_user_pages_longterm() (v4.15, or the 4.14.177
		 * backport) a long-term user called get_user_pages(): RDMA's
		 * ib_umem_get(), drivers/infiniband/core/umem.c v4.0 and v4.5
		 * L191. A plain reference, held as long as the user likes.
		 */
		if (!modern)
			gup_flags &= ~FOLL_LONGTERM;
	}
	/* mm_set_has_pinned_flag(), 6.1 mm/gup.c L1419-1420 (gup-fast: L3028) */
	if (pin)
		mm->has_pinned = true;
	if (!len)
		return 0;
	nr = gup_walk(k, mm, start, start + len, gup_flags, pages,
		      modern ? check_vma_flags : NULL, pin ? grab_pin : grab_get, &err);
	if (k->not_modelled)
		return nr ? (long)nr : -EFAULT;
	/* __get_user_pages(): "return i ? i : ret" */
	return nr ? (long)nr : err;
}

void gup_release_page(struct kernel *k, unsigned long pfn, bool pinned)
{
	struct page *page = pfn_to_page(k, pfn);

	/* unpin_user_page() -> gup_put_folio(FOLL_PIN), 6.1 mm/gup.c L177-200, L247 */
	if (pinned && !page->head)
		page_folio(page)->refcount -= GUP_PIN_COUNTING_BIAS - 1;
	put_page(k, page);
}

void dio_copy(struct kernel *k, unsigned long upfn, unsigned uo, unsigned long bpfn,
	      unsigned bo, size_t n, bool write)
{
	uint8_t buf[PAGE_SIZE];

	assert(n <= PAGE_SIZE - uo && n <= PAGE_SIZE - bo);
	if (G_UNLIKELY(k->pmem.poison) && pmem_poisoned(k, upfn)) {
		not_modelled(k, "O_DIRECT to or from a pinned page of poisoned pmem");
		return;
	}
	if (write) {
		kernel_read(k, upfn, uo, buf, n);
		pmem_write_flush(k, bpfn, bo, buf, n);
	} else {
		kernel_read(k, bpfn, bo, buf, n);
		cpu_store(k, upfn, uo, buf, n);
	}
}

/*
 * The bio of an O_DIRECT I/O over pages gup got, as the device runs it:
 * v4.14 do_direct_io() -> dio_refill_pages() (fs/direct-io.c L166-200:
 * iov_iter_get_pages(), FOLL_WRITE for a read) -> dio_bio_submit(), the
 * pmem driver's pmem_do_bvec() (drivers/nvdimm/pmem.c L120-163: a read
 * is read_pmem(), L98-118, memcpy_mcsafe() into kmap_atomic(page); a
 * write is write_pmem(), L80-96, memcpy_flushcache() from the page), and
 * at completion dio_bio_complete() (fs/direct-io.c L539-566):
 * set_page_dirty_lock() of each page of a read that is not compound. 6.1:
 * iomap_dio_bio_iter() -> bio_iov_iter_get_pages() (block/bio.c L1278)
 * and bio_set_pages_dirty() at submission (fs/iomap/direct-io.c
 * L345-348), pmem_do_read() -> read_pmem() (drivers/nvdimm/pmem.c
 * L142-178: copy_mc_to_kernel()), and at completion
 * bio_check_pages_dirty() (block/bio.c L1471-1490) dirties again, through
 * bio_dirty_fn() -> set_page_dirty_lock(), a page cleaned meanwhile: the
 * same pages dirty once it is over. A DAX page's set_page_dirty() does
 * nothing to its entry (model/page-writeback.c).
 */
void dio_transfer_pages(struct kernel *k, const unsigned long *pages, unsigned long off,
			size_t n, uint8_t *buf, bool to_pages)
{
	size_t done = 0;

	might_sleep(k, "dio_await_completion");		/* the I/O in flight */
	while (done < n) {
		unsigned long at = off + done;
		unsigned long pfn = pages[at >> PAGE_SHIFT];
		unsigned po = at & (PAGE_SIZE - 1);
		size_t piece = n - done < PAGE_SIZE - po ? n - done : PAGE_SIZE - po;

		if (to_pages)
			cpu_store(k, pfn, po, buf + done, piece);
		else
			kernel_read(k, pfn, po, buf + done, piece);
		done += piece;
	}
	for (unsigned long i = off >> PAGE_SHIFT; to_pages && n && i <= (off + n - 1) >> PAGE_SHIFT;
	     i++) {
		struct page *page = pfn_to_page(k, pages[i]);

		/* "!PageCompound(page)": a 2 MiB DAX folio's pages are (dax-folio-refcount) */
		if (!page->head && !page->order)
			set_page_dirty_lock(k, page);
	}
}
