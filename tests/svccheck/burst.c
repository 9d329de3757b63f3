/* SPDX-License-Identifier: ISC */
/*
 * Test helper: a burst of process events, until the kernel drops some on
 * the netlink socket INODE (an svccheck --watch that does not read, say).
 * Starts children that exit at once (vfork: the child runs at once, so
 * even a loaded machine makes thousands a second), reaps them, and reads
 * the socket's drop count in /proc/net/netlink (it only grows) every few
 * of them.
 *
 *   burst INODE [MAXFORKS]
 *
 * Prints "forks=N drops=D", D the drops during the burst; exits 0 once
 * D > 0, 1 if MAXFORKS (default 200000) went by without a drop, 2 on
 * error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The Drops column of socket inode's line, or -1 if it is not there. */
static long
drops(unsigned long inode)
{
	char line[512];
	unsigned long ino, d;
	long r = -1;
	FILE *f;

	if ((f = fopen("/proc/net/netlink", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %lu %lu",
		    &d, &ino) == 2 && ino == inode) {
			r = (long)d;
			break;
		}
	fclose(f);
	return r;
}

/* One child, reaped; -1 with a message on error. */
static int
spawn(void)
{
	pid_t k;

	if ((k = vfork()) == -1) {
		perror("burst: vfork");
		return -1;
	}
	if (k == 0)
		_exit(0);
	if (waitpid(k, NULL, 0) == -1) {
		perror("burst: waitpid");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long inode, max = 200000, n;
	long d0, d = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: burst INODE [MAXFORKS]\n");
		return 2;
	}
	inode = strtoul(argv[1], NULL, 10);
	if (argc == 3)
		max = strtoul(argv[2], NULL, 10);
	if ((d0 = drops(inode)) == -1) {
		fprintf(stderr, "burst: no netlink socket %lu\n", inode);
		return 2;
	}
	for (n = 0; n < max; n++) {
		if (n % 64 == 0 && (d = drops(inode) - d0) > 0)
			break;
		if (spawn() == -1)
			return 2;
	}
	if (d <= 0)
		d = drops(inode) - d0;
	printf("forks=%lu drops=%ld\n", n, d);
	return d > 0 ? 0 : 1;
}
