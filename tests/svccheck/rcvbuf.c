/* SPDX-License-Identifier: ISC */
/*
 * Test helper: shrinks another process's socket receive buffer, as a host
 * with a small net.core.rmem_max gives it, so that a fork storm makes the
 * kernel drop its events many times a second.  Takes a copy of the socket
 * with pidfd_getfd(2) (root, Linux 5.6) and sets SO_RCVBUF on it: the
 * option belongs to the socket, not to the descriptor.
 *
 *   rcvbuf PID INODE BYTES
 *
 * Prints the buffer the kernel set; exits 0, 1 on error, 2 on usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	char dir[64], path[320], link[64], want[64];
	struct dirent *de;
	socklen_t len;
	ssize_t n;
	DIR *d;
	int pidfd, fd = -1, sz;

	if (argc != 4) {
		fprintf(stderr, "usage: rcvbuf PID INODE BYTES\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "/proc/%s/fd", argv[1]);
	snprintf(want, sizeof(want), "socket:[%s]", argv[2]);
	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		return 1;
	}
	while (fd == -1 && (de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((n = readlink(path, link, sizeof(link) - 1)) > 0) {
			link[n] = '\0';
			if (strcmp(link, want) == 0)
				fd = atoi(de->d_name);
		}
	}
	closedir(d);
	if (fd == -1) {
		fprintf(stderr, "rcvbuf: no %s in %s\n", want, dir);
		return 1;
	}
	if ((pidfd = syscall(SYS_pidfd_open, atoi(argv[1]), 0)) == -1 ||
	    (fd = syscall(SYS_pidfd_getfd, pidfd, fd, 0)) == -1) {
		perror("rcvbuf: pidfd");
		return 1;
	}
	sz = atoi(argv[3]);
	len = sizeof(sz);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)) == -1 ||
	    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, &len) == -1) {
		perror("rcvbuf: SO_RCVBUF");
		return 1;
	}
	printf("rcvbuf=%d\n", sz);
	return 0;
}
