/* SPDX-License-Identifier: ISC */
/*
 * The two ends of hashproxy's bulk benchmark, cheap enough that the
 * proxy between them is what is measured (socat's 8 kB reads cost three
 * times the proxy's CPU per byte and set the pace for both proxies).
 *
 *   hashproxy-bulk serve ADDR PORT BYTES
 *	sends BYTES of zeros to every connection, 256 kB per send, then
 *	closes it; one connection at a time (the benchmark runs one).
 *   hashproxy-bulk get ADDR PORT
 *	reads to the end, 256 kB per recv; prints "BYTES MB/s".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#define BULK_CHUNK	(256 * 1024)

static char buf[BULK_CHUNK];

static int
bulk_addr(struct sockaddr_in *sin, const char *addr, const char *port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((unsigned short)atoi(port));
	return inet_pton(AF_INET, addr, &sin->sin_addr) == 1 ? 0 : -1;
}

static int
bulk_serve(const struct sockaddr_in *sin, unsigned long long bytes)
{
	int lfd, fd, one = 1;
	unsigned long long left;
	ssize_t n;

	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(lfd, (const struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    listen(lfd, 16) == -1) {
		perror("listen");
		return 1;
	}
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		for (left = bytes; left > 0; left -= (unsigned long long)n) {
			n = send(fd, buf, left < sizeof(buf) ? left : sizeof(buf),
			    MSG_NOSIGNAL);
			if (n <= 0)
				break;
		}
		close(fd);
	}
}

static int
bulk_get(const struct sockaddr_in *sin)
{
	struct timespec t0, t1;
	unsigned long long total = 0;
	double s;
	ssize_t n;
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) == -1) {
		perror("connect");
		return 1;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		total += (unsigned long long)n;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n == -1) {
		perror("recv");
		return 1;
	}
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%llu %.0f\n", total, s > 0 ? total / 1e6 / s : 0);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin;

	if (argc >= 4 && strcmp(argv[1], "serve") == 0 && argc == 5 &&
	    bulk_addr(&sin, argv[2], argv[3]) == 0)
		return bulk_serve(&sin, strtoull(argv[4], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "get") == 0 &&
	    bulk_addr(&sin, argv[2], argv[3]) == 0)
		return bulk_get(&sin);
	fprintf(stderr, "usage: hashproxy-bulk serve ADDR PORT BYTES\n"
	    "       hashproxy-bulk get ADDR PORT\n");
	return 2;
}
