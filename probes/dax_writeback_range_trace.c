/* dax_writeback_range_trace: what 6.1's dax_writeback_range and
 * dax_writeback_range_done tracepoints print ("pgoff %#lx-%#lx": the
 * start, then where the XArray walk stopped, and the end index), for a few
 * shapes of the page tree. A file is made and fsynced clean, mapped
 * shared with MADV_NOHUGEPAGE, some pages are stored to, then fsync (or
 * msync of the first 16 KiB); the probe prints the events' text after
 * "pgoff". The model prints v4.14's pagevec index for _done. */
#include "common.h"

#define TR "/sys/kernel/debug/tracing"

static void tr_write(const char *file, const char *s)
{
	char p[256];
	snprintf(p, sizeof(p), TR "/%s", file);
	int fd = open(p, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0)
		printf("trace.write_%s=errno:%d\n", file, errno);
	close(fd);
}

static void tr_print(const char *pre)
{
	FILE *f = fopen(TR "/trace", "r");
	char line[512];
	int n = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *ev = strstr(line, "dax_writeback_");
		char *pg = strstr(line, "pgoff ");
		if (!ev || !pg || line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = 0;
		*strchr(ev, ':') = 0;
		printf("%s.ev%d=%s %s\n", pre, n++, ev, pg);
	}
	fclose(f);
}

static void run(const struct rig_fs *f, const char *variant, size_t size,
		const size_t *pages, int npages, int use_msync)
{
	char pre[96];
	snprintf(pre, sizeof(pre), "%s.%s", f->name, variant);
	const char *path = fs_path(f, "dax_writeback_range_trace", variant);
	int fd = make_data_file(path, size, 0x11);
	fsync(fd);
	volatile unsigned char *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		die("mmap");
	madvise((void *)a, size, MADV_NOHUGEPAGE);
	for (int i = 0; i < npages; i++)
		a[pages[i] * PAGE] = 0x22;
	tr_write("trace", "");
	if (use_msync)
		printf("%s.msync=%d\n", pre, msync((void *)a, 16 * KiB, MS_SYNC) < 0 ? -errno : 0);
	else
		printf("%s.fsync=%d\n", pre, fsync(fd) < 0 ? -errno : 0);
	tr_print(pre);
	munmap((void *)a, size);
	close(fd);
	unlink(path);
}

int main(void)
{
	static const size_t p1[] = { 1 }, p0[] = { 0 }, p0_100[] = { 0, 100 }, p1_2[] = { 1, 2 };
	setvbuf(stdout, NULL, _IOLBF, 0);
	tr_write("events/fs_dax/dax_writeback_range/enable", "1");
	tr_write("events/fs_dax/dax_writeback_range_done/enable", "1");
	tr_write("events/fs_dax/dax_writeback_one/enable", "1");
	tr_write("tracing_on", "1");
	for (size_t i = 0; i < RIG_NFS; i++) {
		if (strcmp(rig_fses[i].name, "dax") != 0 || !fs_available(&rig_fses[i]))
			continue;
		run(&rig_fses[i], "p1_fsync", 16 * KiB, p1, 1, 0);
		run(&rig_fses[i], "p1_msync", 16 * KiB, p1, 1, 1);
		run(&rig_fses[i], "p0_fsync", 16 * KiB, p0, 1, 0);
		run(&rig_fses[i], "p1_2_fsync", 16 * KiB, p1_2, 2, 0);
		run(&rig_fses[i], "p0_100_fsync", 1 * MiB, p0_100, 2, 0);
		run(&rig_fses[i], "p0_100_msync", 1 * MiB, p0_100, 2, 1);
	}
	return 0;
}
