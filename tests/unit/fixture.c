// SPDX-License-Identifier: GPL-2.0
#include "fixture.h"

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
