// SPDX-License-Identifier: GPL-2.0
#if defined(__SANITIZE_ADDRESS__)
#define KERNEL_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KERNEL_LSAN 1
#endif
#endif
#ifdef KERNEL_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#include <stdlib.h>
#include <string.h>

#include "ext2.h"
#include "ext4.h"
#include "kernel.h"
#include "lock.h"
#include "mm.h"
#include "page.h"
#include "pmem.h"

void *kzalloc(struct kernel *k, size_t size)
{
	void *p = g_malloc0(size);

	k->model_bytes += size;
	return p;
}

void kfree(struct kernel *k, void *p, size_t size)
{
	if (!p)
		return;
	k->model_bytes -= size;
	g_free(p);
}

uint64_t current_time(struct kernel *k)
{
	return ++k->clock;
}

int not_modelled(struct kernel *k, const char *what)
{
	k->not_modelled = what;
	return VM_FAULT_NOTMODELLED;
}

struct kernel *kernel_create(enum policy_id policy, unsigned long pmem_bytes,
			     unsigned long dram_bytes)
{
	struct kernel *k = g_new0(struct kernel, 1);

	policy_init(&k->policy, policy);
	k->mms = g_ptr_array_new();
	dram_init(k, dram_bytes >> PAGE_SHIFT);
	pmem_init(k, pmem_bytes >> PAGE_SHIFT);
	if (policy == POLICY_XIP_2014)
		ext2_fill_super(k, pmem_bytes >> PAGE_SHIFT);
	else
		ext4_fill_super(k, pmem_bytes >> PAGE_SHIFT);
	lock_init(&k->xip_sparse_mutex, "xip_sparse_mutex");
	init_waitqueue_head(&k->dax_wait_table, "dax_entry_waitqueue");
	init_waitqueue_head(&k->page_wait_table, "page_waitqueue");
	init_waitqueue_head(&k->unbind_wait, "unbind");
	lock_init(&k->device_lock, "device_lock");
	init_waitqueue_head(&k->mq_freeze_wq, "mq_freeze_wq");
	init_waitqueue_head(&k->var_wait_table, "wait_var_event");
	/* mm/memory.c v4.14: rounddown_pow_of_two(65536) */
	k->fault_around_bytes = 65536;
	/* VM_MAX_READAHEAD (128 KiB) / PAGE_SIZE, include/linux/mm.h v4.14 */
	k->sb.s_bdi_ra_pages = 32;
	return k;
}

/*
 * A kernel whose threads were abandoned mid-operation (a deadlock, a lost
 * wakeup, a livelock: sched_run()) holds locks, entry locks and page
 * references nobody will drop, so it cannot be taken apart: it stays
 * allocated, with the abandoned stacks, and LeakSanitizer is told that
 * what it reaches is kept on purpose.
 */
void kernel_abandon(struct kernel *k)
{
#ifdef KERNEL_LSAN
	__lsan_ignore_object(k);
#else
	(void)k;
#endif
}

void kernel_destroy(struct kernel *k)
{
	while (k->mms->len)
		mm_destroy(k, g_ptr_array_index(k->mms, k->mms->len - 1));
	g_ptr_array_free(k->mms, TRUE);
	ext4_put_super(k);
	pmem_destroy(k);
	dram_destroy(k);
	sched_free(k);
	g_free(k);
}
