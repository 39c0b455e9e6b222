/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A system call's user buffer (model/usercopy.c): lib/iov_iter.c's copies
 * to and from a struct iov_iter, the x86 user copies under them
 * (arch/x86/lib/copy_user_64.S, usercopy_64.c) with the faults they take
 * inside the system call, the prefault of generic_perform_write(), and
 * get_user_pages_fast() for O_DIRECT (mm/gup.c).
 */
#ifndef MMSIM_USERCOPY_H
#define MMSIM_USERCOPY_H

#include "kernel.h"

/* How the kernel stores what it copies from user memory into a kernel page. */
enum copy_store {
	STORE_CACHED,		/* copy_from_user(): ordinary stores */
	/*
	 * __copy_from_user_nocache(), v3.19 (xip_file_write()): the bytes up
	 * to an 8-byte aligned destination and after the last whole word
	 * with ordinary stores, the words with movnti (durable)
	 */
	STORE_NOCACHE,
	/* copy_from_iter_flushcache() (v4.14, 6.1) and v4.5's copy_from_iter_pmem(): durable */
	STORE_FLUSHCACHE,
};

/*
 * Whether a user copy that faults zeroes the rest of a kernel destination:
 * copy_user_handle_tail() of v3.19 and v4.0 (arch/x86/lib/usercopy_64.c
 * L71-87 with copy_user_64.S's "ecx is zerorest also", nonzero) and v4.5
 * (L71-88: "If the destination is a kernel buffer, we always clear the
 * end"); v4.14's (L63-76) and 6.1's copy only.
 */
static inline bool copy_user_zeroes_tail(const struct kernel *k)
{
	return k->policy.id <= POLICY_DAX_2016;
}

/*
 * copy_to_iter() of @n bytes of block or page @pfn at @off into @to at
 * byte @done of it; @pfn 0 is iov_iter_zero(): zeroes. A kernel buffer
 * takes them all; user memory takes them until a fault fails. Returns the
 * bytes copied.
 */
size_t copy_pfn_to_iter(struct kernel *k, const struct iov_iter *to, size_t done,
			unsigned long pfn, unsigned off, size_t n);
/*
 * copy_from_iter() of @n bytes of user memory (@from->mm; byte @done on)
 * into block or page @pfn at @off, stored as @how; @atomic: with page
 * faults disabled (iov_iter_copy_from_user_atomic(), copy_page_from_iter_atomic()).
 * Returns the bytes copied; a short copy zeroes the rest of the @n bytes
 * of the destination where copy_user_zeroes_tail().
 */
size_t copy_iter_to_pfn(struct kernel *k, const struct iov_iter *from, size_t done,
			unsigned long pfn, unsigned off, size_t n, enum copy_store how,
			bool atomic);
/*
 * The prefault of generic_perform_write(): the bytes of [@done, @done +
 * @n) of @from that could not be faulted in for reading. v3.19-v4.14
 * (iov_iter_fault_in_readable() -> fault_in_pages_readable()): all of
 * them when any page fails; 6.1 (fault_in_iov_iter_readable() ->
 * fault_in_readable()): from the first page that fails.
 */
size_t fault_in_iov_iter_readable(struct kernel *k, const struct iov_iter *from,
				  size_t done, size_t n);

/*
 * get_user_pages_fast() of the user pages under [@done, @done + @n) of
 * @it, FOLL_GET (FOLL_WRITE with @write), for O_DIRECT: a reference on
 * each page, faulting in what is not mapped as needed (the slow path,
 * under mmap_sem). Stops at the first page it cannot get: before v4.5 a
 * DAX block's special PTE (vm_normal_page() is NULL: follow_page_pte()'s
 * -EFAULT). Returns the pages got, @pages[0...] their pfns.
 */
unsigned gup_iter_pages(struct kernel *k, const struct iov_iter *it, size_t done, size_t n,
			bool write, unsigned long *pages);
/*
 * The device's transfer of O_DIRECT between a pinned page @upfn (at @uo)
 * and block @bpfn (at @bo; 0: a hole, zeroes), @n bytes in both pages: a
 * read stores into the page with the CPU (the pmem driver's read_pmem()
 * through the direct map), a write copies to the block with
 * memcpy_flushcache() (pmem_do_write(), durable).
 */
void dio_copy(struct kernel *k, unsigned long upfn, unsigned uo, unsigned long bpfn,
	      unsigned bo, size_t n, bool write);
/*
 * The device's side of an O_DIRECT bio over pages gup got (`dma`, sim/
 * runner.c): @n bytes from byte @off of the pages @pages[0...] (@off
 * counted from the first page's start; every page the bytes reach is in
 * @pages). @to_pages: a read from the device, its bytes @buf stored into
 * the pages as the pmem block driver copies them (read_pmem(): ordinary
 * stores through the direct map, so a pmem page's lines are in the CPU
 * cache, not durable), then each page dirtied (set_page_dirty_lock());
 * else a write to the device, the pages' bytes read into @buf
 * (write_pmem() reads them with plain loads). The I/O is in flight first
 * (a scheduling point). It takes no reference: the caller holds them.
 */
void dio_transfer_pages(struct kernel *k, const unsigned long *pages, unsigned long off,
			size_t n, uint8_t *buf, bool to_pages);
/* put_page() of each page gup_iter_pages() got */
void gup_put_pages(struct kernel *k, const unsigned long *pages, unsigned nr);

/* get_user_pages() flags, include/linux/mm.h (6.1 values) */
#define FOLL_WRITE	0x01
#define FOLL_GET	0x04
#define FOLL_LONGTERM	0x10000
#define FOLL_PIN	0x40000
/* include/linux/mm.h, 6.1: what a FOLL_PIN adds to a small folio's refcount */
#define GUP_PIN_COUNTING_BIAS	1024

/*
 * get_user_pages[_fast]() (FOLL_GET) or pin_user_pages[_fast]() (FOLL_PIN)
 * of [@start, @start + @len) of @mm, faulting in what it needs: the pages
 * got (@pages[0...] their pfns), or -errno when none. The fast and slow
 * forms end the same in the model (gup-fast falls back to the slow path
 * for whatever it cannot take). Per era:
 * - v3.19, v4.0: a DAX or XIP block's PTE is special with no page
 *   (vm_normal_page()): -EFAULT (follow_page_pte()'s bad_page); the zero
 *   page and XIP's sparse page are ordinary pages.
 * - v4.5: a devmap PTE: the page (get_dev_pagemap(), then get_page(),
 *   which on a ZONE_DEVICE page takes a dev_pagemap reference too,
 *   pmem.pgmap_refs, until put_page(); none once the unbind killed it).
 * - v4.14: the page; follow_page_pte() drops the dev_pagemap reference
 *   once it holds the page (v4.14.177 mm/gup.c L155-165).
 * - 6.1: FOLL_PIN adds GUP_PIN_COUNTING_BIAS; FOLL_LONGTERM without
 *   FOLL_PIN (get_user_pages()) is -EINVAL, with it on an fsdax VMA
 *   -EOPNOTSUPP (check_vma_flags()).
 * Before 6.1 there is no FOLL_PIN (pin_user_pages() came in v5.6): a pin
 * is a get_user_pages() reference; FOLL_LONGTERM there is not modelled.
 */
long get_user_pages_mm(struct kernel *k, struct mm_struct *mm, unsigned long start,
		       size_t len, unsigned gup_flags, unsigned long *pages);
/* put_page() or (@pinned: a 6.1 FOLL_PIN pin) unpin_user_page() of @pfn */
void gup_release_page(struct kernel *k, unsigned long pfn, bool pinned);

#endif
