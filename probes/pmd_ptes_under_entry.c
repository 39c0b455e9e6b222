/* pmd_ptes_under_entry: what becomes of a PTE mapping of a PMD entry.
 * A maps a 4 MiB file 2 MiB-aligned and stores page 0 (a PMD write fault
 * on dax2m, where 2 MiB writes get aligned blocks). B maps the same file
 * with MADV_NOHUGEPAGE and stores page 5 (a PTE fault under A's PMD entry).
 * Variant "fsync": fsync, then B stores page 5 again: a minor fault means
 * fsync write-protected B's PTE (the 2022 fix "dax: fix missing
 * writeprotect the pte entry"); none means it stayed writable (v4.10 to
 * v5.18). Variant "punch": punch 4 KiB at 84 KiB (inside the 2 MiB), then
 * B reads page 9 (faulted in before): a fault means the punch unmapped B's
 * PTE outside the hole (a layout break over the whole file); none means it
 * stayed (v4.14's unmap of the hole alone).
 * A's smaps Rss shows whether A got a PMD (4 kB) or PTEs. */
#include "common.h"

#define SIZE (4 * MiB)

static void run(const struct rig_fs *f, const char *variant, int punch)
{
	char pre[96];
	snprintf(pre, sizeof(pre), "%s.%s", f->name, variant);
	const char *path = fs_path(f, "pmd_ptes_under_entry", variant);
	int fd = make_sparse_file(path, SIZE);
	printf("%s.is_dax=%d\n", pre, file_is_dax(fd));
	volatile unsigned char *a = mmap(aligned_hint(SIZE, PMD_SIZE_, 0), SIZE,
					 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	volatile unsigned char *b = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		die("mmap");
	if (madvise((void *)b, SIZE, MADV_NOHUGEPAGE) < 0)
		printf("%s.madvise_nohuge=errno:%d\n", pre, errno);
	long mi0, ma0, mi1, ma1;
	faults(&mi0, &ma0);
	a[0] = 0x11;
	faults(&mi1, &ma1);
	printf("%s.a_store0_minflt=%ld\n", pre, mi1 - mi0);
	print_smaps(pre, (void *)a);
	b[5 * PAGE] = 0x22;
	(void)b[9 * PAGE];
	faults(&mi0, &ma0);
	(void)b[9 * PAGE];
	b[5 * PAGE] = 0x23;
	faults(&mi1, &ma1);
	printf("%s.b_refault_before=%ld\n", pre, mi1 - mi0);
	if (punch) {
		int r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 84 * KiB, 4 * KiB);
		printf("%s.punch=%d\n", pre, r < 0 ? -errno : r);
		faults(&mi0, &ma0);
		unsigned char v = b[9 * PAGE];
		faults(&mi1, &ma1);
		printf("%s.b_read9_minflt_after_punch=%ld\n", pre, mi1 - mi0);
		printf("%s.b_read9=0x%02x\n", pre, v);
	} else {
		printf("%s.fsync=%d\n", pre, fsync(fd) < 0 ? -errno : 0);
		faults(&mi0, &ma0);
		b[5 * PAGE] = 0x24;
		faults(&mi1, &ma1);
		printf("%s.b_store5_minflt_after_fsync=%ld\n", pre, mi1 - mi0);
		faults(&mi0, &ma0);
		a[0] = 0x12;
		faults(&mi1, &ma1);
		printf("%s.a_store0_minflt_after_fsync=%ld\n", pre, mi1 - mi0);
	}
	munmap((void *)a, SIZE);
	munmap((void *)b, SIZE);
	close(fd);
	unlink(path);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < RIG_NFS; i++) {
		if (strncmp(rig_fses[i].name, "dax", 3) != 0 || !fs_available(&rig_fses[i]))
			continue;
		run(&rig_fses[i], "fsync", 0);
		run(&rig_fses[i], "punch", 1);
	}
	return 0;
}
