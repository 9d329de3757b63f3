/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"

int
atomicfile_open(struct atomicfile *af, const char *path, mode_t mode)
{
	int n;

	af->af_fd = -1;
	if (strlen(path) >= sizeof(af->af_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(af->af_path, path);
	n = snprintf(af->af_tmp, sizeof(af->af_tmp), "%s.tmp.%ld", path,
	    (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(af->af_tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	af->af_fd = open(af->af_tmp,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	return af->af_fd;
}

int
atomicfile_sync_dir(const char *path)
{
	char copy[4096];
	int fd, rc;

	snprintf(copy, sizeof(copy), "%s", path);
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
atomicfile_commit(struct atomicfile *af)
{
	int rc, saved;

	/* close whatever fsync said: a failed commit must not leak the fd */
	rc = fsync(af->af_fd);
	saved = errno;
	if (close(af->af_fd) == -1 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	af->af_fd = -1;
	if (rc == 0 && rename(af->af_tmp, af->af_path) == -1) {
		rc = -1;
		saved = errno;
	}
	if (rc == -1) {
		unlink(af->af_tmp);
		errno = saved;
		return -1;
	}
	return atomicfile_sync_dir(af->af_path);
}

void
atomicfile_abort(struct atomicfile *af)
{
	if (af->af_fd != -1)
		close(af->af_fd);
	af->af_fd = -1;
	unlink(af->af_tmp);
}

int
atomicfile_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
atomicfile_write(const char *path, const void *buf, size_t len, mode_t mode)
{
	struct atomicfile af;
	int saved;

	if (atomicfile_open(&af, path, mode) == -1)
		return -1;
	if (atomicfile_write_all(af.af_fd, buf, len) == -1) {
		saved = errno;
		atomicfile_abort(&af);
		errno = saved;
		return -1;
	}
	return atomicfile_commit(&af);
}

int
pidfile_write(const char *path)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	return atomicfile_write(path, buf, (size_t)n, 0644);
}
