/* mremap_dax_pmd: what mremap does with a DAX huge pmd (6.1: move_page_tables()
 * tests pmd_devmap() since 2020, "mm: Fix mremap not considering huge pmd
 * devmap", CVE-2020-10757). A maps a 4 MiB file 2 MiB-aligned and stores
 * pages 0 and 512 (two PMD write faults on dax2m). Variant "aligned":
 * mremap(MREMAP_MAYMOVE|MREMAP_FIXED) to another 2 MiB-aligned address: the
 * pmds move whole, so reading pages 0, 1 and 512 there takes no fault and
 * smaps shows 8 kB (4 kB a DAX pmd). Variant "skew": to an address 4 KiB
 * past a 2 MiB boundary: the pmds are split (for DAX: cleared), so the reads
 * fault, with PTEs (Rss 0: DAX PTEs are not counted). The values read back
 * show no data moved or lost either way. */
#include "common.h"

#define SIZE (4 * MiB)

static void run(const struct rig_fs *f, const char *variant, size_t skew)
{
	char pre[96];
	snprintf(pre, sizeof(pre), "%s.%s", f->name, variant);
	const char *path = fs_path(f, "mremap_dax_pmd", variant);
	int fd = make_sparse_file(path, SIZE);
	printf("%s.is_dax=%d\n", pre, file_is_dax(fd));
	volatile unsigned char *a = mmap(aligned_hint(SIZE, PMD_SIZE_, 0), SIZE,
					 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (a == MAP_FAILED)
		die("mmap");
	long mi0, ma0, mi1, ma1;
	faults(&mi0, &ma0);
	a[0] = 0x11;
	a[512 * PAGE] = 0x22;
	faults(&mi1, &ma1);
	printf("%s.store_minflt=%ld\n", pre, mi1 - mi0);
	print_smaps(pre, (void *)a);
	/* a free, 2 MiB-aligned destination (plus the skew) */
	void *dst = aligned_hint(SIZE + PMD_SIZE_, PMD_SIZE_, skew);
	volatile unsigned char *b = mremap((void *)a, SIZE, SIZE,
					   MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (b == MAP_FAILED) {
		printf("%s.mremap=errno:%d\n", pre, errno);
		munmap((void *)a, SIZE);
		close(fd);
		unlink(path);
		return;
	}
	printf("%s.mremap_addr_mod_2m=0x%lx\n", pre, (unsigned long)b % PMD_SIZE_);
	faults(&mi0, &ma0);
	unsigned char v0 = b[0], v1 = b[PAGE], v512 = b[512 * PAGE];
	faults(&mi1, &ma1);
	printf("%s.read_after_minflt=%ld\n", pre, mi1 - mi0);
	printf("%s.read_after=0x%02x,0x%02x,0x%02x\n", pre, v0, v1, v512);
	char pre2[112];
	snprintf(pre2, sizeof(pre2), "%s.after", pre);
	print_smaps(pre2, (void *)b);
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
		run(&rig_fses[i], "aligned", 0);
		run(&rig_fses[i], "skew", PAGE);
	}
	return 0;
}
