/* SPDX-License-Identifier: ISC */
/*
 * Opens N TCP connections to ADDR:PORT and holds them until stdin closes
 * (hashproxy's benchmark: resident memory per idle connection).
 * Prints "open N" once they are all established.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin;
	int i, n, fd;
	char c;

	if (argc != 4) {
		fprintf(stderr, "usage: hashproxy-idle ADDR PORT N\n");
		return 2;
	}
	n = atoi(argv[3]);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	inet_pton(AF_INET, argv[1], &sin.sin_addr);
	for (i = 0; i < n; i++) {
		struct sockaddr_in src;

		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
			perror("socket");
			return 1;
		}
		/* spread sources over 127/8 so no port range runs out */
		memset(&src, 0, sizeof(src));
		src.sin_family = AF_INET;
		src.sin_addr.s_addr = htonl(0x7f000000U | (0x10000U + (unsigned)i));
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1 ||
		    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
			perror("connect");
			return 1;
		}
	}
	printf("open %d\n", n);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
