/* dax_dirty_and_sync: what 6.1's DAX fault tags DIRTY, and what a MAP_SYNC
 * write fault counts. Uses the fs_dax tracepoints (debugfs is mounted by
 * the rig's /init; tracefs is inside it).
 * Part 1 (variants none, read_data, read_hole, write_data): a 16 KiB file
 * (no PMD), fsync'd clean, mapped shared; some pages are touched, then
 * fsync. The number of dax_writeback_one events tells how many entries
 * were tagged DIRTY: 6.1.20's dax_insert_entry() computes
 * dirty = !dax_fault_is_synchronous(), true for read faults too, so the
 * source predicts 0, 2, 2, 1; v4.14 tagged only writes (0, 0, 0, 1).
 * Part 2 (variants sync_hole, shared_hole, sync_data_unsynced,
 * sync_data_synced): one store through MAP_SHARED_VALIDATE|MAP_SYNC or
 * plain MAP_SHARED; majflt and the dax_insert_pfn_mkwrite events (the
 * synchronous path's second half). The source predicts: a hole store
 * allocates (IOMAP_F_NEW: VM_FAULT_MAJOR), but ext4_dax_huge_fault()
 * replaces the result by dax_finish_sync_fault()'s, so under MAP_SYNC the
 * fault counts minor; a data file whose allocation is not committed
 * (written, no fsync) takes the synchronous path, a committed one not. */
#include "common.h"

#define SIZE (16 * KiB)
#define TR "/sys/kernel/debug/tracing"

static void tr_write(const char *file, const char *s)
{
	char p[256];
	snprintf(p, sizeof(p), TR "/%s", file);
	int fd = open(p, O_WRONLY | O_TRUNC);
	if (fd < 0) {
		printf("trace.open_%s=errno:%d\n", file, errno);
		return;
	}
	if (write(fd, s, strlen(s)) < 0)
		printf("trace.write_%s=errno:%d\n", file, errno);
	close(fd);
}

static int tr_count(const char *event)
{
	FILE *f = fopen(TR "/trace", "r");
	char line[512], pat[96];
	int n = 0;
	if (!f)
		return -1;
	snprintf(pat, sizeof(pat), " %s:", event);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, pat))
			n++;
	fclose(f);
	return n;
}

static void dirty_part(const struct rig_fs *f, const char *variant)
{
	char pre[96];
	snprintf(pre, sizeof(pre), "%s.%s", f->name, variant);
	const char *path = fs_path(f, "dax_dirty_and_sync", variant);
	int hole = strcmp(variant, "read_hole") == 0;
	int fd = hole ? make_sparse_file(path, SIZE) : make_data_file(path, SIZE, 0x11);
	fsync(fd);
	printf("%s.is_dax=%d\n", pre, file_is_dax(fd));
	volatile unsigned char *a = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		die("mmap");
	tr_write("trace", "");
	if (strncmp(variant, "read", 4) == 0) {
		(void)a[0];
		(void)a[2 * PAGE];
	} else if (strcmp(variant, "write_data") == 0) {
		a[0] = 0x22;
	}
	printf("%s.fsync=%d\n", pre, fsync(fd) < 0 ? -errno : 0);
	printf("%s.writeback_one=%d\n", pre, tr_count("dax_writeback_one"));
	printf("%s.writeback_range=%d\n", pre, tr_count("dax_writeback_range"));
	printf("%s.load_hole=%d\n", pre, tr_count("dax_load_hole"));
	munmap((void *)a, SIZE);
	close(fd);
	unlink(path);
}

static void sync_part(const struct rig_fs *f, const char *variant)
{
	char pre[96];
	snprintf(pre, sizeof(pre), "%s.%s", f->name, variant);
	const char *path = fs_path(f, "dax_dirty_and_sync", variant);
	int hole = strstr(variant, "hole") != NULL;
	int sync = strncmp(variant, "sync", 4) == 0;
	int fd;
	if (hole) {
		fd = make_sparse_file(path, SIZE);
		fsync(fd);
	} else {
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		char buf[SIZE];
		memset(buf, 0x11, sizeof(buf));
		if (fd < 0 || pwrite(fd, buf, SIZE, 0) != (ssize_t)SIZE)
			die("pwrite");
		if (strstr(variant, "unsynced") == NULL)
			fsync(fd);
	}
	printf("%s.is_dax=%d\n", pre, file_is_dax(fd));
	volatile unsigned char *a = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
					 sync ? MAP_SHARED_VALIDATE | MAP_SYNC : MAP_SHARED, fd, 0);
	if (a == MAP_FAILED) {
		printf("%s.mmap=errno:%d\n", pre, errno);
		close(fd);
		unlink(path);
		return;
	}
	struct stat st;
	fstat(fd, &st);
	printf("%s.st_blocks_before=%ld\n", pre, (long)st.st_blocks);
	tr_write("trace", "");
	long mi0, ma0, mi1, ma1;
	faults(&mi0, &ma0);
	a[PAGE] = 0x42;
	faults(&mi1, &ma1);
	fstat(fd, &st);
	printf("%s.store_minflt=%ld\n", pre, mi1 - mi0);
	printf("%s.store_majflt=%ld\n", pre, ma1 - ma0);
	printf("%s.st_blocks_after=%ld\n", pre, (long)st.st_blocks);
	printf("%s.insert_pfn_mkwrite=%d\n", pre, tr_count("dax_insert_pfn_mkwrite"));
	printf("%s.insert_pfn_mkwrite_no_entry=%d\n", pre, tr_count("dax_insert_pfn_mkwrite_no_entry"));
	printf("%s.pte_fault_done=%d\n", pre, tr_count("dax_pte_fault_done"));
	munmap((void *)a, SIZE);
	close(fd);
	unlink(path);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	tr_write("events/fs_dax/enable", "1");
	tr_write("tracing_on", "1");
	for (size_t i = 0; i < RIG_NFS; i++) {
		if (strcmp(rig_fses[i].name, "dax") != 0 || !fs_available(&rig_fses[i]))
			continue;
		dirty_part(&rig_fses[i], "none");
		dirty_part(&rig_fses[i], "read_data");
		dirty_part(&rig_fses[i], "read_hole");
		dirty_part(&rig_fses[i], "write_data");
		sync_part(&rig_fses[i], "sync_hole");
		sync_part(&rig_fses[i], "shared_hole");
		sync_part(&rig_fses[i], "sync_data_unsynced");
		sync_part(&rig_fses[i], "sync_data_synced");
	}
	tr_write("events/fs_dax/enable", "0");
	return 0;
}
