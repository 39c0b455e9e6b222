/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data oracle: a plain reference model of what the files hold and what
 * each process sees, kept apart from the model. It never reads the model's
 * state: it is told the operations (with their arguments, and whether the
 * model accepted them) and answers what a load or read() must return.
 *
 * Its rules (docs/invariants.md): the last write wins; holes, punched and
 * zeroed ranges read zero; a file that grows reads zero from the old EOF
 * (POSIX); a store through a shared mapping is file data (within the
 * mapped page, even past EOF), through a private mapping a private copy of
 * the page made at the first store (or at MAP_POPULATE); truncate, munmap
 * and MADV_DONTNEED drop private copies in their range; a page at or past
 * DIV_ROUND_UP(size, 4096) gets SIGBUS; an unmapped or protected address
 * gets SIGSEGV.
 */
#ifndef MMSIM_ORACLE_H
#define MMSIM_ORACLE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "types.h"

struct oracle;
struct oracle_file;

struct oracle *oracle_new(void);
void oracle_free(struct oracle *o);

struct oracle_file *oracle_file_new(struct oracle *o, loff_t size);
loff_t oracle_file_size(const struct oracle_file *f);
/*
 * The file's contents can no longer be told: a zero range failed with
 * -ENOSPC after converting an unknown part of its range (ext4_zero_range(),
 * v4.14). Its loads (through any mapping of it) and reads are not judged.
 */
void oracle_file_forget(struct oracle_file *f);
bool oracle_file_unknown(const struct oracle_file *f);
/*
 * The file is a DAX file: a block a handle holds moves with collapse and
 * insert (a page-cache file's pages from the offset on leave the cache).
 */
void oracle_file_set_dax(struct oracle_file *f, bool dax);

/* @may_write: PROT_WRITE may be added later (not a read-only file's shared map) */
void oracle_mmap(struct oracle *o, int proc, unsigned long start,
		 unsigned long len, struct oracle_file *f, loff_t off,
		 bool shared, bool may_write, int prot, bool populate);
void oracle_munmap(struct oracle *o, int proc, unsigned long start,
		   unsigned long len);
/*
 * mprotect: mapping after mapping from @start, stopping at a gap or at a
 * mapping that may not become writable, as v4.14 does.
 */
void oracle_mprotect(struct oracle *o, int proc, unsigned long start,
		     unsigned long len, int prot);
/* mremap: [old, old + old_len) now lives at [new, new + new_len). */
void oracle_mremap(struct oracle *o, int proc, unsigned long old_start,
		   unsigned long old_len, unsigned long new_start,
		   unsigned long new_len);
/*
 * A failed mremap(MREMAP_FIXED) of [addr, addr + old_len) to @new_addr may
 * still have unmapped: mremap_to() (v4.14 mm/mremap.c) unmaps the
 * destination, and the tail of a shrinking range, before vma_to_resize()
 * can fail. The oracle makes the same checks, on the arguments alone.
 */
void oracle_mremap_to_failed(struct oracle *o, int proc, unsigned long addr,
			     unsigned long old_len, unsigned long new_addr,
			     unsigned long new_len, bool maymove);
void oracle_dontneed(struct oracle *o, int proc, unsigned long start,
		     unsigned long len);
void oracle_exit(struct oracle *o, int proc);
/*
 * fork: @child sees what @parent sees now, each mapping the same, each
 * private copy its own copy of the parent's; from here on they diverge.
 * A private copy a `gup ... write` / `pin ... write` handle holds is the
 * exception: the two processes share that page, and the first writes
 * decide which of them keeps it (and sees what a device writes through
 * the handle), by the era's copy-on-write rule (oracle_set_cow()).
 */
void oracle_fork(struct oracle *o, int parent, int child);
/*
 * The era's copy-on-write rule for such a shared page. false (before
 * 6.1: do_wp_page() -> reuse_swap_page()): a write copies the page while
 * another process maps it, and the last one left reuses it, whatever
 * handle holds it. true (6.1: PageAnonExclusive and the reference count):
 * a write reuses it only when no other process maps it and no handle
 * holds it; and a fork does not share a page a `pin` handle of a process
 * that has run a `pin` line holds (the child gets a copy: v5.11's early
 * copy of pinned pages).
 */
void oracle_set_cow(struct oracle *o, bool by_refs);
/* Process @proc ran a `pin` line (6.1: MMF_HAS_PINNED, never cleared, not inherited). */
void oracle_pinned(struct oracle *o, int proc);
/*
 * madvise(MADV_REMOVE): the walk madvise(2) makes (v4.14 mm/madvise.c),
 * mapping after mapping from @start, over gaps (which only set -ENOMEM),
 * punching the file range of each shared writable mapping, ending at the
 * first other one (-EACCES).
 */
void oracle_madvise_remove(struct oracle *o, int proc, unsigned long start,
			   unsigned long len);

/* What an access must give: a signal, or (for loads) a value. */
struct oracle_answer {
	enum user_signal sig;
	uint64_t value;
	bool unknown;		/* a load: the value cannot be told (oracle_file_forget()) */
};
struct oracle_answer oracle_load(struct oracle *o, int proc, unsigned long addr,
				 unsigned size);
struct oracle_answer oracle_store(struct oracle *o, int proc, unsigned long addr,
				  unsigned size, uint64_t value);

void oracle_write(struct oracle_file *f, loff_t pos, const uint8_t *buf, size_t len);
/* write(2) of @len bytes of @byte */
void oracle_write_fill(struct oracle_file *f, loff_t pos, uint8_t byte, size_t len);
/* read(2): the byte count, the bytes into @buf */
size_t oracle_read(struct oracle_file *f, loff_t pos, uint8_t *buf, size_t len);
void oracle_truncate(struct oracle *o, struct oracle_file *f, loff_t size);
/* Bytes of [off, off + len) read zero from now on (the file's own pages keep them). */
void oracle_zero(struct oracle_file *f, loff_t off, loff_t len);
/* Zero range: the same, the whole pages of it leaving the file (a handle's page keeps its bytes). */
void oracle_zero_range(struct oracle_file *f, loff_t off, loff_t len);
/*
 * The page-cache pages of [off, off + len) leave the cache with their
 * bytes, whatever holds them (an O_DIRECT write's
 * invalidate_inode_pages2_range()): a handle's page keeps what it had.
 */
void oracle_invalidate(struct oracle_file *f, loff_t off, uint64_t len);
/* A hole punched (ext4_punch_hole(): nothing at or past EOF; the last page whole). */
void oracle_punch(struct oracle_file *f, loff_t off, loff_t len);
/*
 * Collapse range (block aligned, ending inside EOF): [off, off + len) goes,
 * what follows moves down, the size shrinks by @len; the private copies of
 * pages at or past @off are dropped (truncate_pagecache() from @off).
 */
void oracle_collapse(struct oracle *o, struct oracle_file *f, loff_t off, loff_t len);
/*
 * Insert range: what is at or past @off moves up @len (when @moved), the
 * size grows by @len, private copies at or past @off are dropped. Not
 * @moved: v4.14's and 6.1's shift refused past EXT_MAX_BLOCKS after the
 * size had grown.
 */
void oracle_insert(struct oracle *o, struct oracle_file *f, loff_t off, loff_t len,
		   bool moved);
/* fallocate/zero range without KEEP_SIZE: the file grows to @size. */
void oracle_extend(struct oracle_file *f, loff_t size);

/*
 * read(2) into, or write(2) from, user memory of @proc at @addr (the
 * syscall's buffer): @len bytes between @f at @pos and the process's
 * memory, each as the process would see or store it, in order. A buffer
 * that maps the bytes the call moves gets them as a forward copy leaves
 * them. Stops where an access would get a signal; returns the bytes moved.
 */
size_t oracle_copy_user(struct oracle *o, struct oracle_file *f, loff_t pos, int proc,
			unsigned long addr, size_t len, bool to_user);
/* The bytes of [addr, addr + len) that a store (@write) or load could reach before a signal. */
size_t oracle_user_span(struct oracle *o, int proc, unsigned long addr, size_t len, bool write);
/* What the process would load from [addr, addr + len) (0 where it would get a signal). */
void oracle_peek(struct oracle *o, int proc, unsigned long addr, uint8_t *buf, size_t len);

size_t oracle_memory(const struct oracle *o);

/* For the durable-after-sync record (sim/durable.c) and the remount after a crash. */
/* The file and offset a store of @proc at @addr writes, if it writes a file (a shared mapping). */
struct oracle_file *oracle_shared_at(struct oracle *o, int proc, unsigned long addr,
				     loff_t *pos);
/* The file ranges the shared mappings of @proc in [start, start + len) map. */
struct oracle_range {
	struct oracle_file *file;
	loff_t off, len;
};
void oracle_shared_ranges(struct oracle *o, int proc, unsigned long start,
			  unsigned long len, GArray *out);
/* The 4096 bytes of page @index as the reference has them (zero where nothing). */
void oracle_file_page(struct oracle_file *f, pgoff_t index, uint8_t *buf);
/* The lowest page index in [first, last] with bytes that may not be zero, or ~0UL. */
pgoff_t oracle_file_next_page(struct oracle_file *f, pgoff_t first, pgoff_t last);
/*
 * After a crash: the file is what survived, told page by page. Reset
 * empties it at @size; set_page gives a page its bytes (past EOF too).
 */
void oracle_file_reset(struct oracle *o, struct oracle_file *f, loff_t size);
void oracle_file_set_page(struct oracle_file *f, pgoff_t index, const uint8_t *buf);

/*
 * The pages a `gup ... write` or `pin ... write` handle holds, as the
 * reference sees them when it is taken: the @nr pages from @base of
 * @proc, each the page of the file its shared mapping maps there, or the
 * process's private copy (the write fault made one). From then on the
 * handle follows the page, not the address: a truncate, punch or zero
 * range over a file page, or a page-cache file's collapse or insert from
 * before it, takes it out of the file (it keeps its bytes; what a device
 * writes there then shows nowhere); a DAX file's collapse and insert move
 * it with its block; a private copy the process drops (munmap,
 * MADV_DONTNEED, truncate) stays the handle's alone.
 */
struct oracle_pin;
struct oracle_pin *oracle_pin(struct oracle *o, int proc, unsigned long base, unsigned nr,
			      bool foll_pin);
void oracle_unpin(struct oracle *o, struct oracle_pin *pin);
enum oracle_dma {
	ORACLE_DMA_JUDGED,
	ORACLE_DMA_UNKNOWN,	/* a page the reference does not follow (a forgotten file) */
};
/*
 * A device writes @n bytes of @byte from byte @off of the pinned pages
 * (@off from @base): into each page's file range (appended to @changed,
 * struct oracle_range, when not NULL), private copy or detached page.
 */
enum oracle_dma oracle_pin_write(struct oracle *o, struct oracle_pin *pin, unsigned long off,
				 size_t n, uint8_t byte, GArray *changed);
/* A device reads them: the bytes into @buf when JUDGED. */
enum oracle_dma oracle_pin_read(struct oracle *o, const struct oracle_pin *pin, unsigned long off,
				size_t n, uint8_t *buf);

#endif
