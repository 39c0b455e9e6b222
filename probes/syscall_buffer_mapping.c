/* syscall_buffer_mapping: read(2)/write(2) whose user buffer is a file mapping.
 * A: pread 8K of a data file (0x11) into a MAP_SHARED rw mapping of a sparse
 *    16K file (NOHUGEPAGE): the copy's faults (getrusage) and the bytes.
 * B: pread 4K into a read-only shared mapping: ret/errno.
 * C: pwrite 4K from the rw mapping (what A copied) at 8K of the data file.
 * D: pwrite 4K to an empty file from a read-only mapping of a 6K file (0x22)
 *    mapped 12K, starting at 6K: 2K inside the last page, then a page past
 *    EOF (SIGBUS on a plain load): ret/errno and the file size after. */
#include "common.h"

static void run(const struct rig_fs *f)
{
	char pre[64], src[512], dst[512], s6[512], out[512];
	snprintf(pre, sizeof(pre), "%s", f->name);
	snprintf(src, sizeof(src), "%s", fs_path(f, "sbm", "src"));
	snprintf(dst, sizeof(dst), "%s", fs_path(f, "sbm", "dst"));
	snprintf(s6, sizeof(s6), "%s", fs_path(f, "sbm", "s6"));
	snprintf(out, sizeof(out), "%s", fs_path(f, "sbm", "out"));
	int fs = make_data_file(src, 16 * 1024, 0x11);
	int fd = make_sparse_file(dst, 16 * 1024);
	if (fs < 0 || fd < 0)
		die("files");
	printf("%s.src_dax=%d\n", pre, file_is_dax(fs));
	unsigned char *m = mmap(NULL, 16 * 1024, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char *r = mmap(NULL, 16 * 1024, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED || r == MAP_FAILED)
		die("mmap");
	madvise(m, 16 * 1024, MADV_NOHUGEPAGE);
	long mi0, ma0, mi1, ma1;
	faults(&mi0, &ma0);
	ssize_t ret = pread(fs, m, 8192, 0);
	faults(&mi1, &ma1);
	printf("%s.A_read_into.ret=%zd\n", pre, ret);
	printf("%s.A_read_into.minflt=%ld\n", pre, mi1 - mi0);
	printf("%s.A_read_into.majflt=%ld\n", pre, ma1 - ma0);
	printf("%s.A_read_into.byte_1fff=0x%x\n", pre, m[0x1fff]);
	errno = 0;
	ret = pread(fs, r, 4096, 0);
	printf("%s.B_read_into_ro.ret=%zd errno=%d\n", pre, ret, ret < 0 ? errno : 0);
	errno = 0;
	ret = pwrite(fs, m + 0x1000, 4096, 8192);
	printf("%s.C_write_from.ret=%zd errno=%d\n", pre, ret, ret < 0 ? errno : 0);
	unsigned char b = 0;
	ret = pread(fs, &b, 1, 8192 + 100);
	printf("%s.C_readback=%zd byte=0x%x\n", pre, ret, b);
	int f6 = make_data_file(s6, 6 * 1024, 0x22);
	int fo = open(out, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (f6 < 0 || fo < 0)
		die("files D");
	printf("%s.D_src_dax=%d out_dax=%d\n", pre, file_is_dax(f6), file_is_dax(fo));
	unsigned char *s = mmap(NULL, 12 * 1024, PROT_READ, MAP_SHARED, f6, 0);
	if (s == MAP_FAILED)
		die("mmap D");
	errno = 0;
	ret = pwrite(fo, s + 0x1800, 4096, 0);
	struct stat st;
	fstat(fo, &st);
	printf("%s.D_write_from_past_eof.ret=%zd errno=%d size=%lld\n", pre, ret, ret < 0 ? errno : 0,
	       (long long)st.st_size);
	munmap(m, 16 * 1024);
	munmap(r, 16 * 1024);
	munmap(s, 12 * 1024);
	close(fs); close(fd); close(f6); close(fo);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < RIG_NFS; i++) {
		const struct rig_fs *f = &rig_fses[i];
		if (strcmp(f->name, "dax") && strcmp(f->name, "ext4"))
			continue;
		if (!fs_available(f))
			continue;
		run(f);
	}
	return 0;
}
