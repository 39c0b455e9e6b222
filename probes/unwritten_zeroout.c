/* unwritten_zeroout: does a write fault into an unwritten extent leave
 * zero-page mappings of its neighbours stale?
 * fallocate(0..16K) makes one unwritten extent of 4 blocks. Read page 1
 * through a shared mapping (zero page). Store to page 0 through the mapping
 * (the write fault converts the extent; ext4 may zero out and convert the
 * neighbours too). Then pwrite 0x5a over page 1 and read page 1 through the
 * mapping: 0x5a means no stale zero page; 0x00 means stale.
 * Variants: "read1" (page 1 read first), "noread" (page 1 not read: control). */
#include "common.h"

#define SIZE (16 * KiB)

static void run(const struct rig_fs *f, const char *variant, int read1)
{
	char pre[96];
	snprintf(pre, sizeof(pre), "%s.%s", f->name, variant);
	const char *path = fs_path(f, "unwritten_zeroout", variant);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open");
	if (fallocate(fd, 0, 0, SIZE) < 0) {
		printf("%s.fallocate=errno:%d\n", pre, errno);
		close(fd);
		return;
	}
	printf("%s.is_dax=%d\n", pre, file_is_dax(fd));
	volatile unsigned char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (read1)
		printf("%s.map_page1_before=0x%02x\n", pre, p[PAGE]);
	long mi0, ma0, mi1, ma1;
	faults(&mi0, &ma0);
	p[0] = 0x11;
	faults(&mi1, &ma1);
	printf("%s.store_page0_minflt=%ld\n", pre, mi1 - mi0);
	printf("%s.store_page0_majflt=%ld\n", pre, ma1 - ma0);
	unsigned char v[PAGE];
	memset(v, 0x5a, PAGE);
	ssize_t w = pwrite(fd, v, PAGE, PAGE);
	printf("%s.pwrite=%zd\n", pre, w);
	unsigned char b = 0xee;
	pread(fd, &b, 1, PAGE);
	printf("%s.pread_page1=0x%02x\n", pre, b);
	printf("%s.map_page1_after=0x%02x\n", pre, p[PAGE]);
	printf("%s.map_page1_stale=%d\n", pre, p[PAGE] != 0x5a);
	/* page 2 was never touched through the mapping */
	memset(v, 0x66, PAGE);
	pwrite(fd, v, PAGE, 2 * PAGE);
	printf("%s.map_page2_after=0x%02x\n", pre, p[2 * PAGE]);
	struct stat st;
	fstat(fd, &st);
	printf("%s.st_blocks=%lld\n", pre, (long long)st.st_blocks);
	munmap((void *)p, SIZE);
	close(fd);
	unlink(path);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < RIG_NFS; i++) {
		if (!fs_available(&rig_fses[i]))
			continue;
		run(&rig_fses[i], "read1", 1);
		run(&rig_fses[i], "noread", 0);
	}
	return 0;
}
