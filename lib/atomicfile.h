/* SPDX-License-Identifier: ISC */
/*
 * Replace a file so that a crash at any point leaves either the old or the
 * new content: write a temporary beside it, fsync, rename, fsync the dir.
 */
#ifndef HT_ATOMICFILE_H
#define HT_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

struct atomicfile {
	char	af_path[4096];
	char	af_tmp[4096];
	int	af_fd;
};

/* Opens "PATH.tmp.PID" for writing; returns its fd, -1 on error (errno). */
int	atomicfile_open(struct atomicfile *, const char *path, mode_t mode);
/*
 * fsync, rename over path, fsync the directory; closes.  0 or -1 (errno).
 * On failure the descriptor is closed and the temporary removed all the
 * same, and path is untouched unless the rename was done (then only the
 * directory's fsync failed).
 */
int	atomicfile_commit(struct atomicfile *);
/* Drops the temporary; the old file is untouched. */
void	atomicfile_abort(struct atomicfile *);
/* The whole cycle for a buffer; on failure as atomicfile_commit(). */
int	atomicfile_write(const char *path, const void *buf, size_t len, mode_t mode);
/*
 * For a file appended in place rather than replaced (a journal): every
 * byte, retrying EINTR; 0 or -1 (errno).
 */
int	atomicfile_write_all(int fd, const void *buf, size_t len);
/* fsync of the directory holding path, so a new entry survives a crash. */
int	atomicfile_sync_dir(const char *path);
/* Writes "PID\n" to path atomically. */
int	pidfile_write(const char *path);

#endif
