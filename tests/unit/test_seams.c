// SPDX-License-Identifier: GPL-2.0
/*
 * The seam between the mm and the filesystem (issue 9): the mm side
 * includes no ext4 header, a DAX file's VMA gets ext4_dax_vm_ops from
 * ext4_file_mmap() (fs/ext4/file.c v4.14), and the fault path reaches the
 * filesystem through vma->vm_ops where v4.14 mm/memory.c calls it:
 * create_huge_pmd -> ->huge_fault, __do_fault -> ->fault, wp_pfn_shared ->
 * ->pfn_mkwrite. fs/dax.c reaches ext4 through ext4_iomap_ops.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "fixture.h"

#include "ext4.h"
#include "kernel.h"
#include "linux_fs.h"
#include "mm.h"
#include "pgtable.h"

TestSuite(seams, .init = fx_init, .fini = fx_fini);

/* ---- the include rule ---- */

static const char *const mm_side[] = {
	"model/memory.c", "model/mmap.c", "model/pgtable.c",
	"model/truncate.c", "model/page.c",
	/* fs/dax.c asks the filesystem through struct iomap_ops */
	"model/dax.c",
	/* mm/filemap_xip.c asks through mapping->a_ops->get_xip_mem */
	"model/filemap_xip-v3.19.c",
	/* v4.0's fs/dax.c asks it through the get_block_t it is given */
	"model/dax-v4.0.c", "model/filemap.c",
};

Test(seams, mm_side_includes_no_ext4_header)
{
	for (size_t i = 0; i < G_N_ELEMENTS(mm_side); i++) {
		gchar *text;

		cr_assert(g_file_get_contents(mm_side[i], &text, NULL, NULL),
			  "cannot read %s (tests run from the tree's top)", mm_side[i]);
		cr_assert_not_null(strstr(text, "#include \""),
				   "%s: no include at all: the wrong file?", mm_side[i]);
		cr_assert_null(strstr(text, "#include \"ext4"),
			       "%s includes an ext4 header", mm_side[i]);
		cr_assert_null(strstr(text, "#include \"ext2"),
			       "%s includes an ext2 header", mm_side[i]);
		cr_assert_null(strstr(text, "#include \"fs.h\""),
			       "%s includes the old ext4 header fs.h", mm_side[i]);
		g_free(text);
	}
}

/* ---- the tables ext4 installs ---- */

Test(seams, ext4_file_gets_ext4_tables)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct vm_area_struct *vma = find_vma(mm, a);

	cr_assert_eq(f->f_op, &ext4_file_operations, "do_dentry_open: f_op = i_fop");
	cr_assert_eq(f->inode->i_op, &ext4_file_inode_operations);
	cr_assert_eq(vma->vm_ops, &ext4_dax_vm_ops, "ext4_file_mmap, IS_DAX");
	cr_assert(vma->vm_flags & VM_MIXEDMAP);
	cr_assert(vma_is_dax(vma));
	/* fs/ext4/file.c v4.14: no ->map_pages, the PTE faults are one */
	cr_assert_null(ext4_dax_vm_ops.map_pages);
	cr_assert_not_null(ext4_dax_vm_ops.huge_fault);
	cr_assert_eq(ext4_dax_vm_ops.fault, ext4_dax_vm_ops.pfn_mkwrite);
	cr_assert_eq(ext4_dax_vm_ops.fault, ext4_dax_vm_ops.page_mkwrite);
}

/* ---- the fault path goes through vma->vm_ops ---- */

static int nr_fault, nr_huge_fault, nr_pfn_mkwrite;
static enum page_entry_size last_pe_size;

static int count_fault(struct kernel *kk, struct vm_fault *vmf)
{
	nr_fault++;
	return ext4_dax_vm_ops.fault(kk, vmf);
}

static int count_huge_fault(struct kernel *kk, struct vm_fault *vmf,
			    enum page_entry_size pe_size)
{
	nr_huge_fault++;
	last_pe_size = pe_size;
	return ext4_dax_vm_ops.huge_fault(kk, vmf, pe_size);
}

static int count_pfn_mkwrite(struct kernel *kk, struct vm_fault *vmf)
{
	nr_pfn_mkwrite++;
	cr_assert(vmf->flags & FAULT_FLAG_MKWRITE, "wp_pfn_shared sets MKWRITE");
	return ext4_dax_vm_ops.pfn_mkwrite(kk, vmf);
}

static const struct vm_operations_struct counting_vm_ops = {
	.fault		= count_fault,
	.huge_fault	= count_huge_fault,
	.pfn_mkwrite	= count_pfn_mkwrite,
};

/* the same without ->huge_fault: create_huge_pmd() falls back */
static const struct vm_operations_struct pte_only_vm_ops = {
	.fault		= count_fault,
	.pfn_mkwrite	= count_pfn_mkwrite,
};

static void reset_counts(void)
{
	nr_fault = nr_huge_fault = nr_pfn_mkwrite = 0;
	last_pe_size = PE_SIZE_PTE;
}

/*
 * A read of a hole is ->fault (the zero page, special, read-only); the
 * store that follows hits a special PTE without write: do_wp_page ->
 * wp_pfn_shared -> ->pfn_mkwrite (docs/eras/dax-2017.md §3).
 */
Test(seams, pte_faults_go_through_vm_ops)
{
	struct file *f = new_file(16 * P);
	struct mm_struct *mm = mm_create(k);
	unsigned long a = map(mm, f, 16 * P, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;

	find_vma(mm, a)->vm_ops = &counting_vm_ops;
	reset_counts();
	r = load(mm, a + 2 * P);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(nr_fault, 1);
	cr_assert_eq(nr_huge_fault, 0, "MADV_NOHUGEPAGE: no PMD attempt");
	cr_assert_eq(nr_pfn_mkwrite, 0);
	cr_assert(is_zero_pfn(k, pte_pfn(pte_at(mm, a + 2 * P))));

	r = store(mm, a + 2 * P, 7);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_eq(nr_fault, 1);
	cr_assert_eq(nr_pfn_mkwrite, 1);
	cr_assert(pte_write(pte_at(mm, a + 2 * P)));
	cr_assert_eq(pte_pfn(pte_at(mm, a + 2 * P)), block_pfn(block_of(f, 2)));
}

/* A PMD-eligible VMA: an empty PMD goes to ->huge_fault(PE_SIZE_PMD) first. */
Test(seams, empty_pmd_goes_to_huge_fault)
{
	struct file *f = new_file(4UL << 20);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ | PROT_WRITE, MAP_SHARED, 0);

	cr_assert_geq(a, 0);
	cr_assert_eq(a & (PMD_SIZE - 1), 0, "thp_get_unmapped_area aligns");
	find_vma(mm, a)->vm_ops = &counting_vm_ops;
	reset_counts();
	load(mm, a + 5 * P);
	cr_assert_eq(nr_huge_fault, 1);
	cr_assert_eq(last_pe_size, PE_SIZE_PMD);
}

/* No ->huge_fault: create_huge_pmd() returns VM_FAULT_FALLBACK, ->fault maps a PTE. */
Test(seams, no_huge_fault_falls_back_to_fault)
{
	struct file *f = new_file(4UL << 20);
	struct mm_struct *mm = mm_create(k);
	long a = do_mmap(k, mm, f, 0, 4UL << 20, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	struct access_result r;

	cr_assert_geq(a, 0);
	find_vma(mm, a)->vm_ops = &pte_only_vm_ops;
	reset_counts();
	k->not_modelled = NULL;
	r = load(mm, a + 5 * P);
	cr_assert_eq(r.sig, SIG_NONE);
	cr_assert_not(r.fault_ret & VM_FAULT_NOTMODELLED);
	cr_assert_eq(nr_huge_fault, 0);
	cr_assert_eq(nr_fault, 1);
	cr_assert(pte_present(pte_at(mm, a + 5 * P)));
}
