// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for model/ext4.c: ext4 v4.14 on pmem for DAX files -- the
 * block map and allocator, ext4_iomap_begin, write(2)/read(2) through
 * dax_iomap_rw, truncate, punch hole, zero range, fallocate and fsync.
 * Expected values come from docs/eras/dax-2017.md, cited as §n; the
 * argument checks the doc does not cover cite fs/open.c (v4.14.177,
 * linuxzjs/linux-4.14 @3550cd6a1).
 */
#include <criterion/criterion.h>

#include "fixture.h"
#include <limits.h>
#include <malloc.h>
#include <string.h>

#include "dax.h"
#include "ext4.h"
#include "kernel.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "pmem.h"

#define KEEP	FALLOC_FL_KEEP_SIZE
#define PUNCH	(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)
#define ZERO	FALLOC_FL_ZERO_RANGE

TestSuite(ext4, .init = fx_init, .fini = fx_fini);

static bool media_is(unsigned long block, unsigned off, size_t len, uint8_t v)
{
	uint8_t buf[PAGE_SIZE];

	pmem_read_media(k, block_pfn(block), off, buf, len);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != v)
			return false;
	return true;
}

static void write_pattern(struct file *f, loff_t pos, size_t len, uint8_t v)
{
	uint8_t buf[4 * PAGE_SIZE];

	cr_assert_leq(len, sizeof(buf));
	memset(buf, v, len);
	cr_assert_eq(vfs_write(k, f, pos, buf, len), (ssize_t)len);
}

/* ---- block allocator (ext4.h: lowest free block first, freed ones reused) ---- */

Test(ext4, allocator_lowest_first_and_reuse)
{
	struct file *a = new_file(16 * P), *b = new_file(16 * P);
	struct inode *owner;
	pgoff_t index;
	unsigned long nr_free = k->sb.nr_free;

	write_pattern(a, 5 * P, 1, 1);
	write_pattern(a, 2 * P, 1, 1);
	write_pattern(b, 0, 1, 1);
	cr_assert_eq(block_of(a, 5), 0);
	cr_assert_eq(block_of(a, 2), 1);
	cr_assert_eq(block_of(b, 0), 2);
	cr_assert_eq(k->sb.nr_free, nr_free - 3);
	cr_assert(ext4_block_owner(k, 1, &owner, &index));
	cr_assert_eq(owner, a->inode);
	cr_assert_eq(index, 2);
	cr_assert_eq(a->inode->i_blocks, 2);

	cr_assert_eq(vfs_fallocate(k, a, PUNCH, 5 * P, P), 0);
	cr_assert_not(ext4_block_owner(k, 0, &owner, &index), "block 0 is free again");
	cr_assert_eq(a->inode->i_blocks, 1);
	write_pattern(b, 7 * P, 1, 1);
	cr_assert_eq(block_of(b, 7), 0, "the freed block is the lowest free one");
	write_pattern(b, 8 * P, 1, 1);
	cr_assert_eq(block_of(b, 8), 3);
	cr_assert_eq(b->inode->i_blocks, 3);
	cr_assert_eq(k->sb.nr_free, nr_free - 4);
}

/* ---- ext4_iomap_begin (§9) ---- */

Test(ext4, iomap_begin_hole_unwritten_mapped)
{
	struct file *f = new_file(16 * P);
	struct inode *inode = f->inode;
	struct iomap io;
	unsigned long b;

	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 3 * P, P, IOMAP_FAULT, &io), 0);
	cr_assert_eq(io.type, IOMAP_HOLE);
	cr_assert_eq(io.offset, 3 * P);
	cr_assert_eq(io.length, P);
	cr_assert_eq(inode->i_blocks, 0, "a read allocates nothing");

	/* IOMAP_WRITE on a hole: allocated, IOMAP_F_NEW. */
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 3 * P, P, IOMAP_FAULT | IOMAP_WRITE, &io), 0);
	cr_assert_eq(io.type, IOMAP_MAPPED);
	cr_assert(io.flags & IOMAP_F_NEW);
	b = io.block;
	cr_assert_eq(block_of(f, 3), b);
	cr_assert_eq(inode->i_blocks, 1);
	/* Again: mapped, not new. */
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 3 * P, P, IOMAP_FAULT | IOMAP_WRITE, &io), 0);
	cr_assert_eq(io.type, IOMAP_MAPPED);
	cr_assert_not(io.flags & IOMAP_F_NEW);
	cr_assert_eq(io.block, b);

	/* An unwritten extent reads as IOMAP_UNWRITTEN; a write converts it (NEW). */
	cr_assert_eq(vfs_fallocate(k, f, KEEP, 6 * P, P), 0);
	cr_assert_eq(state(f, 6), BLOCK_UNWRITTEN);
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 6 * P, P, IOMAP_FAULT, &io), 0);
	cr_assert_eq(io.type, IOMAP_UNWRITTEN);
	b = io.block;
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 6 * P, P, IOMAP_WRITE, &io), 0);
	cr_assert_eq(io.type, IOMAP_MAPPED);
	cr_assert(io.flags & IOMAP_F_NEW);
	cr_assert_eq(io.block, b, "conversion keeps the block");
	cr_assert_eq(inode->i_blocks, 2);
}

/*
 * ext4_iomap_begin over more than a page (the PMD fault asks for 2 MiB):
 * ext4_map_blocks() returns the extent at pos clipped to the request, a
 * hole up to the next extent (ext4_ext_determine_hole), and a write
 * allocates the hole as one run up to the next extent.
 */
Test(ext4, iomap_begin_clips_to_extent_and_hole)
{
	struct file *f = new_file(1024 * P);
	struct inode *inode = f->inode;
	struct iomap io;

	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 0, 512 * P, IOMAP_FAULT, &io), 0);
	cr_assert_eq(io.type, IOMAP_HOLE);
	cr_assert_eq(io.length, 512 * P, "a sparse file: the whole request is a hole");
	write_pattern(f, 10 * P, P, 0x11);
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 0, 512 * P, IOMAP_FAULT, &io), 0);
	cr_assert_eq(io.type, IOMAP_HOLE);
	cr_assert_eq(io.length, 10 * P, "the hole ends at the next extent");
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 10 * P, 512 * P, IOMAP_FAULT, &io), 0);
	cr_assert_eq(io.type, IOMAP_MAPPED);
	cr_assert_eq(io.length, P, "a one-block extent");
	/* A write over [0, 2M) allocates the hole [0, 10) as one run. */
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 0, 512 * P,
						IOMAP_FAULT | IOMAP_WRITE, &io), 0);
	cr_assert_eq(io.type, IOMAP_MAPPED);
	cr_assert(io.flags & IOMAP_F_NEW);
	cr_assert_eq(io.length, 10 * P);
	cr_assert_eq(inode->i_blocks, 11);
	for (pgoff_t i = 0; i < 10; i++)
		cr_assert_eq(block_of(f, i), io.block + i, "index %lu", i);
	/* A 2 MiB unwritten extent converts as far as asked (EXT4_MAP_NEW). */
	cr_assert_eq(vfs_fallocate(k, f, KEEP, 512 * P, 512 * P), 0);
	cr_assert_eq(ext4_iomap_ops.iomap_begin(k, inode, 512 * P, 512 * P,
						IOMAP_FAULT | IOMAP_WRITE, &io), 0);
	cr_assert_eq(io.type, IOMAP_MAPPED);
	cr_assert(io.flags & IOMAP_F_NEW);
	cr_assert_eq(io.length, 512 * P);
	cr_assert_eq(state(f, 1023), BLOCK_MAPPED);
}

/*
 * §9: EXT4_GET_BLOCKS_CREATE_ZERO: a newly allocated block is zeroed
 * durably before use, so a reused block never shows old data.
 */
Test(ext4, new_block_is_zeroed_durably)
{
	struct file *a = new_file(4 * P), *b = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long m;

	write_pattern(a, 0, P, 0xab);
	cr_assert_eq(block_of(a, 0), 0);
	cr_assert_eq(vfs_truncate(k, a, 0), 0);
	cr_assert_eq(a->inode->i_blocks, 0);
	m = map(mm, b, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(store(mm, m + 8, 1).sig, SIG_NONE);
	cr_assert_eq(block_of(b, 0), 0, "the freed block is reused");
	cr_assert_eq(load(mm, m).value, 0, "old data must not show through");
	cr_assert_eq(load(mm, m + 16).value, 0);
	cr_assert(media_is(0, 16, P - 16, 0), "the zeroing is durable");
}

/* ---- write(2) (§9) ---- */

Test(ext4, write_allocates_extends_and_is_durable)
{
	struct file *f = new_file(0);
	uint8_t data[P + 50];
	uint64_t t0 = f->inode->i_mtime;

	memset(data, 0x3c, sizeof(data));
	cr_assert_eq(vfs_write(k, f, 2 * P + 100, data, sizeof(data)), (ssize_t)sizeof(data));
	cr_assert_eq(f->inode->i_size, 2 * P + 100 + sizeof(data));
	cr_assert_eq(f->inode->i_blocks, 2);
	cr_assert_eq(state(f, 0), BLOCK_HOLE);
	cr_assert_eq(state(f, 1), BLOCK_HOLE);
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 2))));
	cr_assert(pmem_page_durable(k, block_pfn(block_of(f, 3))));
	cr_assert(media_is(block_of(f, 2), 100, P - 100, 0x3c), "durable without msync");
	cr_assert(media_is(block_of(f, 2), 0, 100, 0));
	cr_assert(media_is(block_of(f, 3), 0, 150, 0x3c));
	cr_assert_gt(f->inode->i_mtime, t0, "file_update_time");
	cr_assert_null(entry_at(f, 2), "write(2) inserts no entry");
	cr_assert_eq(vfs_write(k, f, 0, data, 0), 0);
}

/*
 * fs/read_write.c vfs_write/vfs_read: no FMODE_WRITE / FMODE_READ is EBADF;
 * fs/open.c do_sys_ftruncate L172-188: a negative size or no FMODE_WRITE is
 * EINVAL.
 */
Test(ext4, file_mode_and_argument_errors)
{
	struct file *rw = new_file(4 * P);
	struct file *ro = open_inode(rw->inode, FMODE_READ);
	struct file *wo = open_inode(rw->inode, FMODE_WRITE);
	char buf[4];

	cr_assert_eq(vfs_write(k, ro, 0, "x", 1), -EBADF);
	cr_assert_eq(vfs_read(k, wo, 0, buf, 4), -EBADF);
	cr_assert_eq(vfs_truncate(k, rw, -1), -EINVAL);
	cr_assert_eq(vfs_truncate(k, ro, 0), -EINVAL);
	cr_assert_eq(rw->inode->i_blocks, 0);
	cr_assert_eq(rw->inode->i_size, 4 * P);
}

/*
 * §9 dax_iomap_actor + §13.6: a write(2) that allocates deletes the clean
 * entries (zero, empty) and unmaps the range with even_cows 0: zero pages
 * go from every VMA, private included, anonymous COW pages stay.
 */
Test(ext4, allocating_write_drops_zero_pages)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *ma = mm_create(k), *mb = mm_create(k);
	unsigned long a = map(ma, f, 16 * P, PROT_READ, MAP_SHARED, 0);
	unsigned long b = map(mb, f, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	uint64_t v = 0x4242;

	cr_assert_eq(load(ma, a).sig, SIG_NONE);
	cr_assert_eq(load(mb, b).sig, SIG_NONE);
	cr_assert_eq(store(mb, b + P, 9).sig, SIG_NONE);	/* COW, EMPTY entry at 1 */
	cr_assert(dax_is_zero_entry(entry_at(f, 0)));
	cr_assert(dax_is_empty_entry(entry_at(f, 1)));

	cr_assert_eq(vfs_write(k, f, 0, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(vfs_write(k, f, P, &v, sizeof(v)), sizeof(v));
	cr_assert_null(entry_at(f, 0), "the zero entry is deleted");
	cr_assert_null(entry_at(f, 1), "the empty entry is deleted");
	cr_assert_eq(f->inode->i_data.nrexceptional, 0);
	cr_assert(pte_none(pte_at(ma, a)));
	cr_assert(pte_none(pte_at(mb, b)), "the zero page goes from the private VMA too");
	cr_assert(pte_present(pte_at(mb, b + P)), "the COW page stays");
	cr_assert_eq(load(ma, a).value, v);
	cr_assert_eq(load(mb, b).value, v);
	cr_assert_eq(load(mb, b + P).value, 9);
}

/* §9, §13.6: write(2) to an allocated block changes no entry, PTE or tag. */
Test(ext4, write_to_allocated_block_touches_no_entry)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint64_t v = 0x55;
	void *e0, *e1;
	pte_t p0, p1;

	write_pattern(f, 0, 1, 1);
	cr_assert_eq(load(mm, a).sig, SIG_NONE);		/* clean entry, RO PTE */
	cr_assert_eq(store(mm, a + P, 2).sig, SIG_NONE);	/* dirty entry, RW PTE */
	e0 = entry_at(f, 0);
	e1 = entry_at(f, 1);
	p0 = pte_at(mm, a);
	p1 = pte_at(mm, a + P);
	cr_assert_eq(vfs_write(k, f, 8, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(vfs_write(k, f, P + 8, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(entry_at(f, 0), e0);
	cr_assert_eq(entry_at(f, 1), e1);
	cr_assert_not(dirty_tag(f, 0), "write(2) does not tag DIRTY");
	cr_assert(dirty_tag(f, 1), "nor clear it");
	cr_assert_eq(pte_at(mm, a).val, p0.val);
	cr_assert_eq(pte_at(mm, a + P).val, p1.val);
	cr_assert_eq(load(mm, a + 8).value, v);
}

/* ---- read(2) (§9) ---- */

Test(ext4, read_short_at_eof_zero_over_holes_sees_cache)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	uint8_t buf[3 * P];
	unsigned long a;

	write_pattern(f, P, 100, 0x7e);		/* i_size = P + 100; page 0 a hole */
	memset(buf, 0xff, sizeof(buf));
	cr_assert_eq(vfs_read(k, f, 0, buf, sizeof(buf)), P + 100, "short read at EOF");
	for (size_t i = 0; i < P; i++)
		cr_assert_eq(buf[i], 0, "hole byte %zu", i);
	for (size_t i = P; i < P + 100; i++)
		cr_assert_eq(buf[i], 0x7e);
	cr_assert_eq(vfs_read(k, f, P + 100, buf, 10), 0, "at EOF");
	cr_assert_eq(vfs_read(k, f, 5 * P, buf, 10), 0, "past EOF");

	/* Unwritten blocks read zero. */
	cr_assert_eq(vfs_fallocate(k, f, KEEP, 0, P), 0);
	cr_assert_eq(state(f, 0), BLOCK_UNWRITTEN);
	memset(buf, 0xff, P);
	cr_assert_eq(vfs_read(k, f, 0, buf, P), P);
	for (size_t i = 0; i < P; i++)
		cr_assert_eq(buf[i], 0);

	/* A read copies from pmem as the CPU sees it: stores still in the cache. */
	a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	cr_assert_eq(store(mm, a + P + 8, 0x1122334455667788ULL).sig, SIG_NONE);
	cr_assert_not(pmem_page_durable(k, block_pfn(block_of(f, 1))));
	uint64_t v = 0;

	cr_assert_eq(vfs_read(k, f, P + 8, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(v, 0x1122334455667788ULL);
	cr_assert(dirty_tag(f, 1), "a read never touches the radix tree");
}

/* ---- truncate (§6) ---- */

/*
 * Shrink: entries from DIV_ROUND_UP(new) on go, PTEs from round_up(new) on
 * go, the tail of the last block is zeroed durably, blocks past it are
 * freed; the partial page keeps its entry, PTE and DIRTY tag.
 */
Test(ext4, truncate_shrink)
{
	struct file *f = new_file(0);
	struct mm_struct *mm = mm_create(k);
	unsigned long a, b1;
	uint64_t t0;

	write_pattern(f, 0, 4 * P, 0xaa);
	a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(store(mm, a + i * P, 0xaaaaaaaaaaaaaaaaULL).sig, SIG_NONE);
	b1 = block_of(f, 1);
	t0 = f->inode->i_mtime;

	cr_assert_eq(vfs_truncate(k, f, P + 100), 0);
	cr_assert_eq(f->inode->i_size, P + 100);
	cr_assert_eq(f->inode->i_blocks, 2);
	cr_assert_eq(state(f, 2), BLOCK_HOLE);
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
	cr_assert_null(entry_at(f, 2), "dirty entries past EOF are deleted");
	cr_assert_null(entry_at(f, 3));
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	cr_assert(pte_none(pte_at(mm, a + 3 * P)));
	cr_assert_not_null(entry_at(f, 1), "the partial page's entry stays");
	cr_assert(dirty_tag(f, 1), "and its DIRTY tag is untouched (§13.5)");
	cr_assert(pte_present(pte_at(mm, a + P)), "and its PTE stays mapped");
	cr_assert(media_is(b1, 100, P - 100, 0), "the tail is zeroed durably");
	cr_assert(media_is(b1, 0, 8, 0xaa));
	cr_assert_eq(load(mm, a + P + 200).value, 0);
	cr_assert_eq(load(mm, a + 2 * P).sig, SIG_BUS);
	cr_assert_gt(f->inode->i_mtime, t0);
}

/*
 * §6: shrink = (ia_size <= i_size): a same-size truncate zeroes the rest of
 * the last block, including bytes a process stored past EOF.
 */
Test(ext4, truncate_same_size_zeroes_tail)
{
	struct file *f = new_file(5000);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;

	cr_assert_eq(store(mm, a + 6000, 0x66).sig, SIG_NONE, "page 1 is inside i_size");
	cr_assert_eq(vfs_truncate(k, f, 5000), 0);
	cr_assert_eq(f->inode->i_size, 5000);
	r = load(mm, a + 6000);
	cr_assert_eq(r.nr_faults, 0, "the PTE stays");
	cr_assert_eq(r.value, 0);
	cr_assert(media_is(block_of(f, 1), 5000 - P, 2 * P - 5000, 0));
}

/* §6.5: a hole (or unwritten block) at the new EOF is not zeroed or allocated. */
Test(ext4, truncate_shrink_into_hole_allocates_nothing)
{
	struct file *f = new_file(0);

	write_pattern(f, 3 * P, 10, 1);
	cr_assert_eq(vfs_truncate(k, f, P + 100), 0);
	cr_assert_eq(f->inode->i_blocks, 0);
	cr_assert_eq(state(f, 1), BLOCK_HOLE);
}

/*
 * §6.7: a grow changes only i_size (and times): no block, no zeroing, so
 * bytes stored through the mapping past EOF in the last page become data.
 */
Test(ext4, truncate_grow_only_size)
{
	struct file *f = new_file(100);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint64_t v = 0;
	void *e;
	pte_t pte;

	cr_assert_eq(store(mm, a + 200, 0x1234).sig, SIG_NONE);
	e = entry_at(f, 0);
	pte = pte_at(mm, a);
	cr_assert_eq(vfs_read(k, f, 200, &v, sizeof(v)), 0, "past EOF");
	cr_assert_eq(vfs_truncate(k, f, 3 * P), 0);
	cr_assert_eq(f->inode->i_size, 3 * P);
	cr_assert_eq(f->inode->i_blocks, 1);
	cr_assert_eq(state(f, 1), BLOCK_HOLE);
	cr_assert_eq(entry_at(f, 0), e);
	cr_assert(dirty_tag(f, 0));
	cr_assert_eq(pte_at(mm, a).val, pte.val);
	cr_assert_eq(vfs_read(k, f, 200, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(v, 0x1234, "the stale bytes became file data");
}

/* ---- punch hole (§7) ---- */

/*
 * ext4_punch_hole: dirty entries in the range are written back first
 * (partial edge pages included: DIRTY cleared, shared PTEs write-protected
 * and cleaned, lines flushed); whole pages are unmapped, their entries
 * deleted and blocks freed; partial blocks are zeroed durably in place.
 */
Test(ext4, punch_hole)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b1, b4, b0;
	uint64_t t0;

	write_pattern(f, 0, 4 * P, 0x55);
	write_pattern(f, 4 * P, 4 * P, 0x55);
	/* One store per page: DIRTY entries, writable PTEs, a dirty line 0. */
	for (int i = 0; i < 8; i++)
		cr_assert_eq(store(mm, a + i * P, 0x5555555555555555ULL).sig, SIG_NONE);
	b0 = block_of(f, 0);
	b1 = block_of(f, 1);
	b4 = block_of(f, 4);
	t0 = f->inode->i_mtime;

	/* [P + 100, 4P + 100): whole pages 2 and 3, partial pages 1 and 4. */
	cr_assert_eq(vfs_fallocate(k, f, PUNCH, P + 100, 3 * P), 0);
	cr_assert_eq(f->inode->i_size, 8 * P);
	cr_assert_eq(f->inode->i_blocks, 6);
	cr_assert_eq(state(f, 2), BLOCK_HOLE);
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
	cr_assert_null(entry_at(f, 2));
	cr_assert_null(entry_at(f, 3));
	cr_assert(pte_none(pte_at(mm, a + 2 * P)));
	cr_assert(pte_none(pte_at(mm, a + 3 * P)));

	for (int i = 1; i <= 4; i += 3) {
		pte_t pte = pte_at(mm, a + i * P);

		cr_assert_not_null(entry_at(f, i), "edge page %d keeps its entry", i);
		cr_assert_not(dirty_tag(f, i), "edge page %d was written back", i);
		cr_assert(pte_present(pte), "edge page %d stays mapped", i);
		cr_assert_not(pte_write(pte), "edge page %d is write-protected", i);
		cr_assert_not(pte_dirty(pte));
		cr_assert(pmem_page_durable(k, block_pfn(block_of(f, i))));
	}
	cr_assert(media_is(b1, 0, 100, 0x55));
	cr_assert(media_is(b1, 100, P - 100, 0), "head zeroed in place, durably");
	cr_assert(media_is(b4, 0, 100, 0), "tail zeroed in place, durably");
	cr_assert(media_is(b4, 100, P - 100, 0x55));
	/* Outside the range nothing was written back. */
	cr_assert(dirty_tag(f, 0));
	cr_assert(dirty_tag(f, 5));
	cr_assert_not(pmem_page_durable(k, block_pfn(b0)));
	cr_assert_gt(f->inode->i_mtime, t0);
	cr_assert_eq(load(mm, a + 2 * P).value, 0);
}

/* §7 step 2: a punch at or after i_size returns 0 and changes nothing. */
Test(ext4, punch_at_or_after_eof_does_nothing)
{
	struct file *f = new_file(0);
	uint64_t t0;

	write_pattern(f, 0, 2 * P, 1);
	cr_assert_eq(vfs_fallocate(k, f, KEEP, 2 * P, 2 * P), 0);	/* unwritten past EOF */
	t0 = f->inode->i_mtime;
	cr_assert_eq(vfs_fallocate(k, f, PUNCH, 2 * P, P), 0);
	cr_assert_eq(vfs_fallocate(k, f, PUNCH, 3 * P, 8 * P), 0);
	cr_assert_eq(f->inode->i_blocks, 4);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN);
	cr_assert_eq(f->inode->i_mtime, t0, "no mtime change");
}

/*
 * §7 step 2: a range past i_size ends at the page boundary after i_size,
 * one page past i_size when i_size is page-aligned.
 */
Test(ext4, punch_clamps_one_page_past_aligned_eof)
{
	struct file *f = new_file(0);

	write_pattern(f, 0, 2 * P, 1);					/* i_size 2P */
	cr_assert_eq(vfs_fallocate(k, f, KEEP, 2 * P, 2 * P), 0);	/* 2, 3 unwritten */
	cr_assert_eq(vfs_fallocate(k, f, PUNCH, P, 1UL << 20), 0);
	cr_assert_eq(state(f, 0), BLOCK_MAPPED);
	cr_assert_eq(state(f, 1), BLOCK_HOLE);
	cr_assert_eq(state(f, 2), BLOCK_HOLE, "one page past an aligned i_size is punched");
	cr_assert_eq(state(f, 3), BLOCK_UNWRITTEN);
	cr_assert_eq(f->inode->i_size, 2 * P);
}

/* §7 step 3: the unmap uses even_cows 0: private COW pages survive a punch. */
Test(ext4, punch_keeps_private_cow_pages)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long s = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long p = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);

	cr_assert_eq(store(mm, s + P, 1).sig, SIG_NONE);
	cr_assert_eq(store(mm, p + P, 2).sig, SIG_NONE);	/* COW of the block */
	cr_assert_eq(load(mm, p + 2 * P).sig, SIG_NONE);	/* zero page */
	cr_assert_eq(vfs_fallocate(k, f, PUNCH, 0, 4 * P), 0);
	cr_assert(pte_present(pte_at(mm, p + P)));
	cr_assert_eq(load(mm, p + P).value, 2);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert(pte_none(pte_at(mm, s + P)));
	cr_assert(pte_none(pte_at(mm, p + 2 * P)), "the zero page goes");
	cr_assert_eq(f->inode->i_blocks, 0);
}

/* ---- zero range (§7) ---- */

/*
 * ext4_zero_range: interior blocks become unwritten (same blocks); their
 * entries are deleted, dirty or not, with no writeback; reads see zero; the
 * next write fault there converts the block and is major.
 */
Test(ext4, zero_range_interior_unwritten_no_writeback)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b1, b2;
	struct access_result r;
	uint64_t v = 1;

	for (int i = 0; i < 4; i++)
		cr_assert_eq(store(mm, a + i * P, 0x10 + i).sig, SIG_NONE);
	b1 = block_of(f, 1);
	b2 = block_of(f, 2);
	cr_assert_eq(vfs_fallocate(k, f, ZERO, P, 2 * P), 0);
	cr_assert_eq(state(f, 1), BLOCK_UNWRITTEN);
	cr_assert_eq(state(f, 2), BLOCK_UNWRITTEN);
	cr_assert_eq(f->inode->i_blocks, 4, "converted, not freed");
	cr_assert_null(entry_at(f, 1));
	cr_assert_null(entry_at(f, 2));
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert_not(pmem_page_durable(k, block_pfn(b1)), "no writeback, no flush");
	cr_assert(dirty_tag(f, 0), "outside the range nothing changes");
	cr_assert(dirty_tag(f, 3));
	cr_assert_eq(vfs_read(k, f, P, &v, sizeof(v)), sizeof(v));
	cr_assert_eq(v, 0);

	r = load(mm, a + P);
	cr_assert_eq(r.value, 0);
	cr_assert(is_zero_pfn(k, r.pfn), "an unwritten block reads as the zero page");
	r = store(mm, a + 2 * P, 7);
	cr_assert(r.fault_ret & VM_FAULT_MAJOR, "the first write fault converts: major");
	cr_assert_eq(block_of(f, 2), b2);
	cr_assert_eq(load(mm, a + 2 * P + 8).value, 0, "converted and zeroed");
}

/*
 * Partial ends: the block-rounded range is preallocated unwritten (holes
 * only; written blocks stay written) and the partial parts of mapped blocks
 * are zeroed durably in place, their entries and PTEs kept.
 */
Test(ext4, zero_range_partial_ends)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;
	void *e;

	write_pattern(f, 0, P, 0x99);
	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	e = entry_at(f, 0);
	cr_assert_eq(vfs_fallocate(k, f, ZERO, 100, P), 0);	/* [100, P + 100) */
	cr_assert_eq(state(f, 0), BLOCK_MAPPED);
	cr_assert_eq(state(f, 1), BLOCK_UNWRITTEN, "a partial hole is preallocated unwritten");
	cr_assert_eq(f->inode->i_blocks, 2);
	cr_assert(media_is(block_of(f, 0), 0, 100, 0x99));
	cr_assert(media_is(block_of(f, 0), 100, P - 100, 0));
	cr_assert_eq(entry_at(f, 0), e);
	r = load(mm, a + 200);
	cr_assert_eq(r.nr_faults, 0, "the PTE is kept");
	cr_assert_eq(r.value, 0);
}

/* §7: zero range sets i_size to the end unless KEEP_SIZE. */
Test(ext4, zero_range_size)
{
	struct file *f = new_file(P);

	cr_assert_eq(vfs_fallocate(k, f, ZERO | KEEP, 0, 4 * P), 0);
	cr_assert_eq(f->inode->i_size, P);
	cr_assert_eq(vfs_fallocate(k, f, ZERO, 0, 3 * P + 5), 0);
	cr_assert_eq(f->inode->i_size, 3 * P + 5);
}

/* ---- plain fallocate (§7) ---- */

/*
 * Mode 0 / KEEP_SIZE: unwritten extents; i_size grows only without
 * KEEP_SIZE; no unmap, so an existing zero entry and its PTE stay valid;
 * mtime only if i_size grew.
 */
Test(ext4, fallocate_unwritten_keeps_zero_entries)
{
	struct file *f = new_file(2 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	uint64_t t0, c0;
	unsigned long b;
	void *e;
	pte_t pte;
	struct access_result r;

	cr_assert_eq(load(mm, a).sig, SIG_NONE);
	e = entry_at(f, 0);
	pte = pte_at(mm, a);
	t0 = f->inode->i_mtime;
	c0 = f->inode->i_ctime;
	cr_assert_eq(vfs_fallocate(k, f, KEEP, 0, 4 * P), 0);
	cr_assert_eq(f->inode->i_size, 2 * P);
	cr_assert_eq(f->inode->i_blocks, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(state(f, i), BLOCK_UNWRITTEN);
	cr_assert_eq(f->inode->i_mtime, t0, "i_size did not grow: no mtime");
	cr_assert_gt(f->inode->i_ctime, c0);
	cr_assert_eq(entry_at(f, 0), e);
	cr_assert_eq(pte_at(mm, a).val, pte.val, "no unmap");

	cr_assert_eq(vfs_fallocate(k, f, 0, 4 * P, P), 0);
	cr_assert_eq(f->inode->i_size, 5 * P);
	cr_assert_gt(f->inode->i_mtime, t0);

	/* The store on the zero page converts the preallocated block: major. */
	cr_assert_eq(ext4_block_lookup(f->inode, 0, &b), BLOCK_UNWRITTEN);
	r = store(mm, a, 1);
	cr_assert(r.fault_ret & VM_FAULT_MAJOR);
	cr_assert_eq(block_of(f, 0), b);
	cr_assert_eq(pte_pfn(pte_at(mm, a)), block_pfn(b));
	cr_assert(dax_is_block_entry(entry_at(f, 0)));
}

/* fs/open.c vfs_fallocate L244-277. */
Test(ext4, fallocate_errors)
{
	struct file *rw = new_file(P);
	struct file *ro = open_inode(rw->inode, FMODE_READ);

	cr_assert_eq(vfs_fallocate(k, rw, 0, 0, 0), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, rw, 0, -1, P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, rw, FALLOC_FL_PUNCH_HOLE, 0, P), -EOPNOTSUPP,
		     "punch needs KEEP_SIZE");
	cr_assert_eq(vfs_fallocate(k, rw, PUNCH | ZERO, 0, P), -EOPNOTSUPP);
	cr_assert_eq(vfs_fallocate(k, ro, 0, 0, P), -EBADF);
	cr_assert_eq(rw->inode->i_blocks, 0);
}

/*
 * fs/open.c vfs_fallocate checks the mode (L247-274) before FMODE_WRITE
 * (L276): a bad mode on a read-only file is -EOPNOTSUPP.
 * This was a model bug, found by this test and fixed: vfs_fallocate() in model/ext4.c tests FMODE_WRITE first and
 * returns -EBADF.
 */
Test(ext4, fallocate_mode_checked_before_fmode)
{
	struct file *rw = new_file(P);
	struct file *ro = open_inode(rw->inode, FMODE_READ);

	cr_assert_eq(vfs_fallocate(k, ro, FALLOC_FL_PUNCH_HOLE, 0, P), -EOPNOTSUPP);
}

/* ---- fsync (§8) ---- */

Test(ext4, fsync_writes_back_everything)
{
	struct file *f = new_file(8 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 8 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	for (int i = 0; i < 8; i += 2)
		cr_assert_eq(store(mm, a + i * P, i).sig, SIG_NONE);
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	cr_assert_not(radix_tree_tagged(&f->inode->i_data.page_tree, PAGECACHE_TAG_DIRTY));
	cr_assert_not(radix_tree_tagged(&f->inode->i_data.page_tree, PAGECACHE_TAG_TOWRITE));
	for (int i = 0; i < 8; i += 2) {
		pte_t pte = pte_at(mm, a + i * P);

		cr_assert(pmem_page_durable(k, block_pfn(block_of(f, i))));
		cr_assert(pte_present(pte));
		cr_assert_not(pte_write(pte) || pte_dirty(pte));
	}
	/* Nothing dirty: a second fsync changes nothing. */
	cr_assert_eq(vfs_fsync_range(k, f, 0, LLONG_MAX, 0), 0);
	cr_assert_eq(load(mm, a + 4 * P).value, 4);
}

/*
 * Issue 8: the allocator costs in proportion to what is allocated; a 64 TiB
 * device costs nothing up front, and its blocks are still handed out
 * lowest-free first, a freed one reused.
 */
Test(ext4, allocator_huge_device_is_cheap)
{
	struct mallinfo2 m0 = mallinfo2(), m1;
	struct kernel *big = kernel_create(POLICY_DAX_2017, 64UL << 40, 64UL << 20);
	unsigned long base = big->model_bytes;
	struct inode *inode = ext4_create(big, true, 0);
	struct file *f = file_open(big, inode, FMODE_READ | FMODE_WRITE);
	uint8_t b = 1;
	unsigned long block;

	cr_assert_eq(big->sb.nr_blocks, 16UL << 30);
	m1 = mallinfo2();
	cr_assert_lt(m1.uordblks + m1.hblkhd - m0.uordblks - m0.hblkhd, 1 << 20,
		     "nothing proportional to the device on the heap");
	cr_assert_lt(base, 4096, "nothing proportional to the device: %lu bytes", base);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(vfs_write(big, f, (loff_t)i * P, &b, 1), 1);
	cr_assert_eq(ext4_block_lookup(inode, 2, &block), BLOCK_MAPPED);
	cr_assert_eq(block, 2);
	cr_assert_eq(vfs_fallocate(big, f, PUNCH, P, P), 0);
	cr_assert_eq(vfs_write(big, f, 9 * P, &b, 1), 1);
	cr_assert_eq(ext4_block_lookup(inode, 9, &block), BLOCK_MAPPED);
	cr_assert_eq(block, 1, "the freed block is the lowest free one");
	cr_assert_lt(big->model_bytes - base, 4096);
	file_close(big, f);
	kernel_destroy(big);
}

/*
 * write(2) goes extent by extent (ext4_iomap_begin_write): the blocks it
 * allocates, their contents and i_size are those of the same bytes written
 * a page per call (one block per ext4_iomap_begin, lowest free first),
 * over holes, written and unwritten blocks and a fragmented free space,
 * with a buffer of bytes or of one repeated byte, up to ENOSPC.
 */
static void setup_layout(struct kernel *kk, struct inode **scratch, struct inode **f)
{
	struct file *s, *w;
	uint8_t b = 0x33;

	*scratch = ext4_create(kk, true, 0);
	*f = ext4_create(kk, true, 0);
	s = file_open(kk, *scratch, FMODE_READ | FMODE_WRITE);
	w = file_open(kk, *f, FMODE_READ | FMODE_WRITE);
	for (int i = 0; i < 40; i++)		/* blocks 0..39 */
		cr_assert_eq(vfs_write(kk, s, (loff_t)i * P, &b, 1), 1);
	for (int i = 3; i < 40; i += 7)		/* free blocks 3-4, 10-11, 17-18, ... */
		cr_assert_eq(vfs_fallocate(kk, s, PUNCH, (loff_t)i * P, 2 * P), 0);
	cr_assert_eq(vfs_write(kk, w, 10 * P + 100, &b, 1), 1);	/* written */
	cr_assert_eq(vfs_write(kk, w, 25 * P, &b, 1), 1);
	cr_assert_eq(vfs_fallocate(kk, w, KEEP, 14 * P, 3 * P), 0);	/* unwritten */
	file_close(kk, s);
	file_close(kk, w);
}

static void write_extents_vs_pages(const uint8_t *buf, loff_t pos, size_t len,
				   unsigned long pmem_bytes)
{
	struct kernel *ka = kernel_create(POLICY_DAX_2017, pmem_bytes, 64UL << 20);
	struct kernel *kb = kernel_create(POLICY_DAX_2017, pmem_bytes, 64UL << 20);
	struct inode *sa, *fa, *sb, *fb;
	struct file *wa, *wb;
	ssize_t ra, rb = 0;
	uint8_t *fill = g_malloc(len);

	setup_layout(ka, &sa, &fa);
	setup_layout(kb, &sb, &fb);
	wa = file_open(ka, fa, FMODE_READ | FMODE_WRITE);
	wb = file_open(kb, fb, FMODE_READ | FMODE_WRITE);
	if (buf) {
		ra = vfs_write(ka, wa, pos, buf, len);
	} else {
		ra = vfs_write_iter(ka, wa, pos, &(struct iov_iter){ .fill = 0x5a, .count = len });
		memset(fill, 0x5a, len);
		buf = fill;
	}
	for (size_t done = 0; done < len;) {	/* a page per call */
		loff_t p = pos + done;
		size_t n = P - (p & (P - 1));
		ssize_t r;

		if (n > len - done)
			n = len - done;
		r = vfs_write(kb, wb, p, buf + done, n);
		if (r < 0) {
			if (!done)
				rb = r;
			break;
		}
		done += r;
		rb = done;
	}
	cr_assert_eq(ra, rb, "written %zd, a page at a time %zd", ra, rb);
	cr_assert_eq(fa->i_size, fb->i_size);
	cr_assert_eq(fa->i_blocks, fb->i_blocks);
	cr_assert_eq(ka->sb.nr_free, kb->sb.nr_free);
	for (pgoff_t i = 0; i < (pgoff_t)(pos + len) / P + 2; i++) {
		unsigned long ba = ~0UL, bb = ~0UL;
		uint8_t pa[PAGE_SIZE], pb[PAGE_SIZE];
		struct inode *oa, *ob;
		pgoff_t ia, ib;

		cr_assert_eq(ext4_block_lookup(fa, i, &ba), ext4_block_lookup(fb, i, &bb), "index %lu", i);
		cr_assert_eq(ba, bb, "index %lu: block %lu, a page at a time %lu", i, ba, bb);
		if (ba == ~0UL)
			continue;
		pmem_read(ka, block_pfn(ba), 0, pa, P);
		pmem_read(kb, block_pfn(bb), 0, pb, P);
		cr_assert_arr_eq(pa, pb, P, "index %lu", i);
		cr_assert(pmem_page_durable(ka, block_pfn(ba)));
		cr_assert(ext4_block_owner(ka, ba, &oa, &ia) && ext4_block_owner(kb, bb, &ob, &ib));
		cr_assert_eq(oa, fa);
		cr_assert_eq(ia, i);
		cr_assert_eq(ib, i);
	}
	file_close(ka, wa);
	file_close(kb, wb);
	kernel_destroy(ka);
	kernel_destroy(kb);
	g_free(fill);
}

Test(ext4, write_by_extents_fill)
{
	write_extents_vs_pages(NULL, 5 * P + 7, 30 * P + 11, 64UL << 20);
	write_extents_vs_pages(NULL, 0, 64 * P, 64UL << 20);
	write_extents_vs_pages(NULL, 12 * P, P, 64UL << 20);
}

Test(ext4, write_by_extents_bytes)
{
	size_t len = 25 * P + 300;
	uint8_t *buf = g_malloc(len);

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 13 + i / 4096);
	write_extents_vs_pages(buf, 9 * P + 4000, len, 64UL << 20);
	g_free(buf);
}

/* 256 blocks: the write stops short where the blocks run out. */
Test(ext4, write_by_extents_enospc)
{
	write_extents_vs_pages(NULL, 3 * P + 5, 300 * P, 1UL << 20);
}

/*
 * ext4_collapse_range(), v4.14 fs/ext4/extents.c L5471: the DIRTY entries
 * of what moves are written back (filemap_write_and_wait_range from
 * offset + len), then truncate_pagecache() from the offset deletes every
 * entry and PTE there, the range's blocks are freed and the rest shift
 * down with the reverse map; i_size shrinks. The PTE before stays.
 */
Test(ext4, collapse_writes_back_shifts_and_unmaps)
{
	struct file *f = new_file(4 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b1, b3;
	struct inode *owner;
	pgoff_t index;

	for (int i = 0; i < 4; i++)
		store(mm, a + i * P, 0x10 + i);
	b1 = block_of(f, 1);
	b3 = block_of(f, 3);
	cr_assert_not(pmem_page_durable(k, block_pfn(b3)));
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, P), 0);
	cr_assert(pmem_page_durable(k, block_pfn(b3)), "written back before the delete");
	cr_assert_eq(f->inode->i_size, 3 * P);
	cr_assert_eq(block_of(f, 2), b3);
	cr_assert_eq(state(f, 3), BLOCK_HOLE);
	cr_assert_not(ext4_block_owner(k, b1, &owner, &index));
	cr_assert(ext4_block_owner(k, b3, &owner, &index) && index == 2);
	cr_assert(pte_present(pte_at(mm, a)), "before the offset");
	for (int i = 1; i < 4; i++) {
		cr_assert(pte_none(pte_at(mm, a + i * P)), "page %d", i);
		cr_assert_null(entry_at(f, i));
	}
	cr_assert_eq(load(mm, a + P).value, 0x12);
	cr_assert_eq(load(mm, a + 2 * P).value, 0x13);
	cr_assert_eq(load(mm, a + 3 * P).sig, SIG_BUS);
}

/* -EINVAL: misaligned, reaching EOF, or with another mode */
Test(ext4, collapse_errors)
{
	struct file *f = new_file(4 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 1, P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, 0, 4 * P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE | KEEP, 0, P), -EINVAL);
	cr_assert_eq(f->inode->i_size, 4 * P);
}

/*
 * ext4_insert_range(), v4.14 L5616: i_size grows, the blocks from the
 * offset move up (an unwritten extent stays unwritten), the range is a
 * hole; PTEs from the offset on are gone.
 */
Test(ext4, insert_shifts_blocks_up)
{
	struct file *f = new_file(3 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	unsigned long b1;

	store(mm, a, 0x10);
	store(mm, a + P, 0x11);
	cr_assert_eq(vfs_fallocate(k, f, KEEP, 2 * P, P), 0);
	b1 = block_of(f, 1);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, P, P), 0);
	cr_assert_eq(f->inode->i_size, 4 * P);
	cr_assert_eq(state(f, 1), BLOCK_HOLE);
	cr_assert_eq(block_of(f, 2), b1);
	cr_assert_eq(state(f, 3), BLOCK_UNWRITTEN);
	cr_assert(pte_present(pte_at(mm, a)));
	cr_assert(pte_none(pte_at(mm, a + P)));
	cr_assert_eq(load(mm, a + 2 * P).value, 0x11);
	cr_assert_eq(load(mm, a + P).value, 0);
}

/*
 * Errors: -EINVAL misaligned or at EOF, -EFBIG past s_maxbytes; and a
 * shift carrying the last extent past EXT_MAX_BLOCKS (v4.14 L5394): -EINVAL
 * with i_size already grown and nothing moved.
 */
Test(ext4, insert_errors)
{
	struct file *f = new_file(2 * P);
	pgoff_t last = (unsigned long)(k->sb.s_maxbytes >> PAGE_SHIFT) - 1;

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, P, 100), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 2 * P, P), -EINVAL);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 0, k->sb.s_maxbytes - P),
		     -EFBIG);
	cr_assert_eq(f->inode->i_size, 2 * P);
	cr_assert_eq(vfs_fallocate(k, f, KEEP, k->sb.s_maxbytes - P, P), 0);
	cr_assert_eq(state(f, last), BLOCK_UNWRITTEN);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, 0, P), -EINVAL);
	cr_assert_eq(f->inode->i_size, 3 * P, "grown before the shift failed");
	cr_assert_eq(state(f, last), BLOCK_UNWRITTEN, "not moved");
	cr_assert_null(k->not_modelled);
}

/* UNSHARE_RANGE: in the VFS's mask since v4.9, not in ext4's (v4.14, 6.1) */
Test(ext4, unshare_is_not_supported)
{
	struct file *f = new_file(2 * P);

	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_UNSHARE_RANGE, 0, P), -EOPNOTSUPP);
	cr_assert_null(k->not_modelled);
}

/*
 * ext4_ext_shift_extents(): extents that come to abut merge
 * (ext4_ext_try_to_merge_right), in the block map and the reverse map: an
 * insert splits a contiguous run in two, the collapse of the same range
 * puts it back as one extent.
 */
Test(ext4, shift_merges_abutting_extents)
{
	struct file *f = new_file(4 * P);
	struct inode *inode = f->inode;

	cr_assert_eq(vfs_fallocate(k, f, 0, 0, 4 * P), 0);
	cr_assert_eq(g_tree_nnodes(inode->blocks->tree), 1);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_INSERT_RANGE, P, 2 * P), 0);
	cr_assert_eq(g_tree_nnodes(inode->blocks->tree), 2);
	cr_assert_eq(g_tree_nnodes(k->sb.owner->tree), 2);
	cr_assert_eq(vfs_fallocate(k, f, FALLOC_FL_COLLAPSE_RANGE, P, 2 * P), 0);
	cr_assert_eq(g_tree_nnodes(inode->blocks->tree), 1);
	cr_assert_eq(g_tree_nnodes(k->sb.owner->tree), 1);
	cr_assert_eq(inode->i_size, 4 * P);
	for (pgoff_t i = 0; i < 4; i++)
		cr_assert_eq(state(f, i), BLOCK_UNWRITTEN);
}

/* ---- i_data_sem under two tasks ---- */

#include "iomap.h"
#include "lock.h"
#include "task.h"

struct two_maps {
	struct inode *inode;
	struct iomap iomap[2];
	int err[2];
};

static void iomap_write_at_3(struct kernel *kk, void *arg)
{
	struct two_maps *r = arg;

	r->err[kk->current - 1] = ext4_iomap_ops.iomap_begin(kk, r->inode, 3 * P, P, IOMAP_WRITE,
							     &r->iomap[kk->current - 1]);
}

/*
 * Two tasks map index 3 of a hole for write (ext4_iomap_begin ->
 * ext4_map_blocks(EXT4_GET_BLOCKS_CREATE_ZERO), v4.14), switching at every
 * point: both look up under i_data_sem shared and see the hole, both want
 * it exclusive (fs/ext4/inode.c L637); the second to get it looks again
 * (ext4_ext_map_blocks()) and finds the first one's block: mapped, not
 * IOMAP_F_NEW, not zeroed again. One block for the file.
 */
Test(ext4, two_write_maps_allocate_once)
{
	struct two_maps r = { .inode = ext4_create(k, true, 8 * P) };
	int news;

	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, iomap_write_at_3, &r);
	kthread_create(k, NULL, iomap_write_at_3, &r);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_eq(r.err[0], 0);
	cr_assert_eq(r.err[1], 0);
	cr_assert_eq(r.iomap[0].type, IOMAP_MAPPED);
	cr_assert_eq(r.iomap[1].type, IOMAP_MAPPED);
	cr_assert_eq(r.iomap[0].block, r.iomap[1].block);
	news = !!(r.iomap[0].flags & IOMAP_F_NEW) + !!(r.iomap[1].flags & IOMAP_F_NEW);
	cr_assert_eq(news, 1, "one allocated it, the other found it");
	cr_assert_eq(r.inode->i_blocks, 1);
	cr_assert_not(lock_held(&r.inode->i_data_sem));
}

/*
 * With bug-alloc-no-recheck the second trusts the hole it saw: two
 * blocks, both IOMAP_F_NEW; the file maps the later one, the earlier one
 * stays allocated.
 */
Test(ext4, two_write_maps_without_recheck_allocate_twice)
{
	struct two_maps r = { .inode = ext4_create(k, true, 8 * P) };
	unsigned long now;

	k->policy.sw[SW_BUG_ALLOC_NO_RECHECK] = 1;
	k->sched.choose = fx_choose_other;
	kthread_create(k, NULL, iomap_write_at_3, &r);
	kthread_create(k, NULL, iomap_write_at_3, &r);
	cr_assert_eq(sched_run(k), SCHED_DONE);
	cr_assert_neq(r.iomap[0].block, r.iomap[1].block);
	cr_assert(r.iomap[0].flags & IOMAP_F_NEW);
	cr_assert(r.iomap[1].flags & IOMAP_F_NEW);
	cr_assert_eq(r.inode->i_blocks, 2);
	cr_assert_eq(ext4_block_lookup(r.inode, 3, &now), BLOCK_MAPPED);
	cr_assert(now == r.iomap[0].block || now == r.iomap[1].block);
}

/*
 * ext4_dax_huge_fault() (v4.14 fs/ext4/file.c L316-L332) holds i_mmap_sem
 * for read across dax_iomap_fault(), whose only i_size test comes first
 * (fs/dax.c L1106); ext4_setattr() takes it for write around
 * truncate_pagecache() and the freeing. Under every schedule of 10
 * choices: no PTE is left on index 1 past the new EOF. With
 * bug-fault-no-i-mmap-sem a store that passed the test before the
 * truncate allocates and maps after it, past EOF; or allocates (under
 * i_data_sem) before ext4_truncate() frees and maps after the unmaps.
 */
Test(ext4, fault_i_mmap_sem_excludes_truncate)
{
	struct fx_fault_race_outcome o;

	fx_fault_race(fx_init, -1, false, 10, &o);
	cr_assert_eq(o.past_eof, 0);
	fx_fault_race(fx_init, SW_BUG_FAULT_NO_I_MMAP_SEM, false, 10, &o);
	cr_assert_gt(o.past_eof, 0);
	/* and one that allocated before ext4_truncate() freed maps a free block */
	cr_assert_gt(o.freed, 0);
}

/*
 * The same lock against a punch hole (ext4_punch_hole(), v4.14
 * fs/ext4/inode.c L4251-L4316), which no i_size test can catch: without
 * it the fault holds block 1's entry locked while the punch waits in
 * dax_delete_mapping_entry(), maps the block, and the punch then frees it
 * under the PTE.
 */
Test(ext4, fault_i_mmap_sem_excludes_punch)
{
	struct fx_fault_race_outcome o;

	fx_fault_race(fx_init, -1, true, 10, &o);
	cr_assert_eq(o.freed, 0);
	fx_fault_race(fx_init, SW_BUG_FAULT_NO_I_MMAP_SEM, true, 10, &o);
	cr_assert_gt(o.freed, 0);
}
