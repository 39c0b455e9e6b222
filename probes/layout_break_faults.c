/* layout_break_faults: what a change of a file's block map does to the
 * mappings of the rest of the file. A 32K file of 0x11, MAP_SHARED rw,
 * NOHUGEPAGE, every page read once; then, each followed by a read of the
 * pages it did not touch, with the faults those reads took (getrusage):
 *   punch    fallocate(PUNCH_HOLE|KEEP_SIZE) of page 0, reads of pages 1-7
 *   zero     fallocate(ZERO_RANGE|KEEP_SIZE) of page 2, reads of 1, 3-7
 *   grow     ftruncate() to 36K, reads of pages 1-7
 * On DAX, 6.1's ext4 breaks the layouts of the whole file first
 * (ext4_break_layouts() -> dax_layout_busy_page(): every PTE of the file
 * unmapped), so each later read faults again; the page cache unmaps only
 * the range (truncate_pagecache_range()), and a grow nothing. */
#include "common.h"

#define LEN (32 * KiB)

static void reread(const char *pre, const char *what, volatile unsigned char *m,
		   unsigned skip, long r)
{
	long mi0, ma0, mi1, ma1;
	unsigned bad = 0;

	faults(&mi0, &ma0);
	for (unsigned i = 1; i < LEN / PAGE; i++)
		if (i != skip)
			bad += m[i * PAGE] != 0x11;
	faults(&mi1, &ma1);
	printf("%s.%s.ret=%ld minflt=%ld majflt=%ld mismatches=%u\n", pre, what, r,
	       mi1 - mi0, ma1 - ma0, bad);
}

static void run(const struct rig_fs *f)
{
	char path[512];
	long mi0, ma0, mi1, ma1;
	unsigned sum = 0;

	snprintf(path, sizeof(path), "%s", fs_path(f, "lbf", "data"));
	int fd = make_data_file(path, LEN, 0x11);
	if (fd < 0)
		die("file");
	printf("%s.is_dax=%d\n", f->name, file_is_dax(fd));
	volatile unsigned char *m = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	madvise((void *)m, LEN, MADV_NOHUGEPAGE);
	faults(&mi0, &ma0);
	for (unsigned i = 0; i < LEN / PAGE; i++)
		sum += m[i * PAGE];
	faults(&mi1, &ma1);
	printf("%s.first_read.minflt=%ld majflt=%ld sum=%u\n", f->name, mi1 - mi0, ma1 - ma0, sum);
	errno = 0;
	long r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PAGE);
	reread(f->name, "punch", m, 0, r < 0 ? -errno : r);
	errno = 0;
	r = fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 2 * PAGE, PAGE);
	reread(f->name, "zero", m, 2, r < 0 ? -errno : r);
	errno = 0;
	r = ftruncate(fd, LEN + PAGE);
	reread(f->name, "grow", m, 2, r < 0 ? -errno : r);
	munmap((void *)m, LEN);
	close(fd);
	unlink(path);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < RIG_NFS; i++)
		if (fs_available(&rig_fses[i]))
			run(&rig_fses[i]);
	return 0;
}
