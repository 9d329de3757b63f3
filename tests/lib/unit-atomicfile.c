/* SPDX-License-Identifier: ISC */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "tap.h"

static char dir[] = "/tmp/ht-atomic-XXXXXX";

/*
 * Built with -Wl,--wrap=fsync,--wrap=write (lib/Makefile): the disk
 * failing on demand.  fail_fsync: fsync says EIO.  write_room >= 0:
 * that many more bytes fit, then ENOSPC (a short write first).
 */
int	__real_fsync(int);
int	__wrap_fsync(int);
ssize_t	__real_write(int, const void *, size_t);
ssize_t	__wrap_write(int, const void *, size_t);
static int fail_fsync;
static long write_room = -1;

int
__wrap_fsync(int fd)
{
	if (fail_fsync) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
	if (write_room == 0) {
		errno = ENOSPC;
		return -1;
	}
	if (write_room > 0 && len > (size_t)write_room)
		len = (size_t)write_room;
	if (write_room > 0)
		write_room -= (long)len;
	return __real_write(fd, buf, len);
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static int
count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *
slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return buf;
}

int
main(void)
{
	struct atomicfile af;
	char path[256], buf[64];
	struct stat st;
	int fds;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/leases", dir);
	ok(atomicfile_write(path, "old\n", 4, 0640) == 0, "first write");
	is_str(slurp(path, buf, sizeof(buf)), "old\n", "content written");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640, "mode kept");

	ok(atomicfile_open(&af, path, 0640) >= 0, "open a replacement");
	ok(write(af.af_fd, "half", 4) == 4, "write part of it");
	is_str(slurp(path, buf, sizeof(buf)), "old\n",
	    "old content visible until commit");
	atomicfile_abort(&af);
	is_str(slurp(path, buf, sizeof(buf)), "old\n", "abort keeps old content");
	is_int(count_files(), 1, "abort leaves no temporary behind");

	ok(atomicfile_write(path, "new\n", 4, 0640) == 0, "replace");
	is_str(slurp(path, buf, sizeof(buf)), "new\n", "new content after commit");
	is_int(count_files(), 1, "commit leaves no temporary behind");

	/* the disk fails: every path closes and removes the temporary */
	fds = count_fds();
	fail_fsync = 1;
	ok(atomicfile_write(path, "newer\n", 6, 0640) == -1 && errno == EIO,
	    "fsync failing fails the write (EIO)");
	fail_fsync = 0;
	is_int(count_fds(), fds, "a failed fsync leaks no descriptor");
	is_int(count_files(), 1, "a failed fsync leaves no temporary");
	is_str(slurp(path, buf, sizeof(buf)), "new\n",
	    "a failed fsync keeps the old content");

	ok(atomicfile_open(&af, path, 0640) >= 0, "open a replacement");
	ok(write(af.af_fd, "newer\n", 6) == 6, "write it");
	fail_fsync = 1;
	ok(atomicfile_commit(&af) == -1 && errno == EIO,
	    "commit with fsync failing fails (EIO)");
	fail_fsync = 0;
	is_int(af.af_fd, -1, "and says the descriptor is closed");
	is_int(count_fds(), fds, "commit: no descriptor leaked");
	is_int(count_files(), 1, "commit: no temporary left");
	is_str(slurp(path, buf, sizeof(buf)), "new\n", "commit: old content");

	write_room = 3;
	ok(atomicfile_write(path, "newer\n", 6, 0640) == -1 &&
	    errno == ENOSPC, "a full disk (short write, then ENOSPC) fails");
	write_room = -1;
	is_int(count_fds(), fds, "full disk: no descriptor leaked");
	is_int(count_files(), 1, "full disk: no temporary left");
	is_str(slurp(path, buf, sizeof(buf)), "new\n", "full disk: old content");

	snprintf(path, sizeof(path), "%s/no/such/dir/file", dir);
	ok(atomicfile_write(path, "x", 1, 0644) == -1, "missing dir fails cleanly");

	snprintf(path, sizeof(path), "%s/pid", dir);
	ok(pidfile_write(path) == 0, "pidfile");
	ok(atoi(slurp(path, buf, sizeof(buf))) == getpid(), "pidfile holds our pid");
	unlink(path);
	snprintf(path, sizeof(path), "%s/leases", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
