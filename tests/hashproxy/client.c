/* SPDX-License-Identifier: ISC */
/*
 * A test client for hashproxy's tests: for each source address in
 * SRCFILE (one per line, IPv4 or IPv6), one TCP connection from it to
 * ADDR:PORT, one HTTP/1.1 keep-alive request, and a line "SRC NAME"
 * where NAME is the answering backend's body ("-" if none).  The
 * connections are made one after the other, each answered before the
 * next, so a proxy sees them in file order.  With -H they are all held
 * open until stdin closes ("done" is printed once all are answered).
 * With -S STOPFILE it stops before the next connection once STOPFILE
 * exists: a load that lasts as long as the test needs it, not a guessed
 * number of requests (each is a TCP handshake of CPU).
 *
 *	testclient [-H] [-S STOPFILE] ADDR PORT SRCFILE
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

static int
tc_addr(const char *host, const char *port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct addrinfo hints, *ai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* The body of one response: the last line before the peer stops. */
static int
tc_get(int fd, char *name, size_t len)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	char buf[1024], *body;
	size_t n = 0;
	ssize_t r;
	unsigned long clen;

	if (write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)
		return -1;
	for (;;) {
		if (n == sizeof(buf) - 1)
			return -1;
		if ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) <= 0)
			return -1;
		n += (size_t)r;
		buf[n] = '\0';
		if ((body = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		body += 4;
		if (sscanf(strcasestr(buf, "content-length:") ?
		    strcasestr(buf, "content-length:") + 15 : "0", "%lu",
		    &clen) != 1)
			return -1;
		if (strlen(body) < clen)
			continue;
		body[strcspn(body, "\r\n")] = '\0';
		snprintf(name, len, "%s", body);
		return 0;
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_storage dst, src;
	socklen_t dlen, slen;
	struct timeval tv = { 5, 0 };
	char line[128], name[128];
	const char *stop = NULL;
	struct stat st;
	FILE *f;
	int hold = 0, fd, ch;

	while ((ch = getopt(argc, argv, "HS:")) != -1) {
		if (ch == 'H')
			hold = 1;
		else if (ch == 'S')
			stop = optarg;
		else
			break;
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (ch != -1 || argc != 4) {
		fprintf(stderr, "usage: testclient [-H] [-S STOPFILE] ADDR PORT "
		    "SRCFILE\n");
		return 2;
	}
	if (tc_addr(argv[1], argv[2], &dst, &dlen) == -1) {
		fprintf(stderr, "testclient: bad address %s\n", argv[1]);
		return 2;
	}
	if ((f = fopen(argv[3], "r")) == NULL) {
		perror(argv[3]);
		return 2;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, " \r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (stop != NULL && stat(stop, &st) == 0)
			break;
		snprintf(name, sizeof(name), "-");
		if (tc_addr(line, "0", &src, &slen) == -1) {
			fprintf(stderr, "testclient: bad source %s\n", line);
			return 2;
		}
		fd = socket(dst.ss_family, SOCK_STREAM, 0);
		if (fd == -1) {
			perror("socket");
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		/* name stays "-" when any step fails */
		if (bind(fd, (struct sockaddr *)&src, slen) == 0 &&
		    connect(fd, (struct sockaddr *)&dst, dlen) == 0)
			(void)tc_get(fd, name, sizeof(name));
		printf("%s %s\n", line, name);
		fflush(stdout);
		if (!hold)
			close(fd);
	}
	fclose(f);
	if (hold) {
		char c;

		printf("done\n");
		fflush(stdout);
		while (read(0, &c, 1) > 0)
			;
	}
	return 0;
}
