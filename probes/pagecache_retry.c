/* pagecache_retry: fault counts of page-cache (ext4 without DAX) reads that
 * read ahead, as mmsim's filemap-fault-retry predicts for 6.1.
 *  hole4m:  a sparse 4 MiB file, 2 MiB-aligned shared mapping, read a page at a time
 *  one:     a sparse 256 KiB file, load page 0 only; then load page 1
 *  cold:    a 256 KiB data file (pwrite, fsync, POSIX_FADV_DONTNEED) read a page at a time,
 *           each fault printed (the mapping lands 0x9000 past a 64 KiB boundary)
 *  populate: the same cold file mapped MAP_POPULATE */
#include "common.h"

static void report(const char *pre, const char *what, long mi0, long ma0)
{
	long mi1, ma1;
	faults(&mi1, &ma1);
	printf("%s.%s.minflt=%ld\n%s.%s.majflt=%ld\n", pre, what, mi1 - mi0, pre, what, ma1 - ma0);
}

static int cold_file(const char *path, size_t size)
{
	int fd = make_data_file(path, size, 0x5a);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return fd;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const struct rig_fs *f = &rig_fses[2];
	if (!fs_available(f))
		return 0;
	long mi, ma;
	unsigned long sum = 0;
	/* hole4m */
	{
		const char *path = fs_path(f, "pcr", "hole4m");
		int fd = make_sparse_file(path, 4 * MiB);
		void *hint = aligned_hint(4 * MiB, PMD_SIZE_, 0);
		volatile unsigned char *p = mmap(hint, 4 * MiB, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap");
		faults(&mi, &ma);
		for (size_t off = 0; off < 4 * MiB; off += PAGE)
			sum += p[off];
		report("ext4", "hole4m", mi, ma);
		munmap((void *)p, 4 * MiB);
		close(fd);
		unlink(path);
	}
	/* one */
	{
		const char *path = fs_path(f, "pcr", "one");
		int fd = make_sparse_file(path, 256 * KiB);
		volatile unsigned char *p = mmap(NULL, 256 * KiB, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap");
		printf("ext4.one.addr_mod_64k=0x%lx\n", (unsigned long)((uintptr_t)p % (64 * KiB)));
		faults(&mi, &ma);
		sum += p[0];
		report("ext4", "one.load0", mi, ma);
		print_smaps("ext4.one.after_load0", (const void *)p);
		faults(&mi, &ma);
		sum += p[PAGE];
		report("ext4", "one.load1", mi, ma);
		munmap((void *)p, 256 * KiB);
		close(fd);
		unlink(path);
	}
	/* cold */
	{
		const char *path = fs_path(f, "pcr", "cold");
		int fd = cold_file(path, 256 * KiB);
		volatile unsigned char *p = mmap(NULL, 256 * KiB, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap");
		unsigned char vec[64];
		mincore((void *)p, 256 * KiB, vec);
		int nc = 0;
		for (int i = 0; i < 64; i++)
			nc += vec[i] & 1;
		printf("ext4.cold.cached_before=%d\n", nc);
		printf("ext4.cold.addr_mod_64k=0x%lx\n", (unsigned long)((uintptr_t)p % (64 * KiB)));
		faults(&mi, &ma);
		for (size_t off = 0; off < 256 * KiB; off += PAGE) {
			long a0, b0;
			faults(&a0, &b0);
			sum += p[off];
			long a1, b1;
			faults(&a1, &b1);
			if (a1 != a0 || b1 != b0)
				printf("ext4.cold.fault_at=%zu min=%ld maj=%ld\n", off / PAGE, a1 - a0, b1 - b0);
		}
		report("ext4", "cold", mi, ma);
		munmap((void *)p, 256 * KiB);
		close(fd);
		unlink(path);
	}
	/* populate */
	{
		const char *path = fs_path(f, "pcr", "populate");
		int fd = cold_file(path, 256 * KiB);
		faults(&mi, &ma);
		volatile unsigned char *p = mmap(NULL, 256 * KiB, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED)
			die("mmap");
		report("ext4", "populate.mmap", mi, ma);
		print_smaps("ext4.populate", (const void *)p);
		faults(&mi, &ma);
		for (size_t off = 0; off < 256 * KiB; off += PAGE)
			sum += p[off];
		report("ext4", "populate.touch", mi, ma);
		munmap((void *)p, 256 * KiB);
		close(fd);
		unlink(path);
	}
	printf("ext4.sum=%lu\n", sum);
	return 0;
}
