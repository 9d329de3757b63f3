#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "tap.h"

static char dir[] = "/tmp/ht-atomic-XXXXXX";

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
