/* SPDX-License-Identifier: ISC */
/*
 * Bench helper: latency from kill -9 of a watched process to the "down"
 * line of svccheck --watch.  Usage: svccheck-watchlat SVCCHECK PROG ROUNDS
 * (PROG: an executable whose file name is the watched NAME; it is run as
 * "PROG 1000").  Prints the median, p99 and max in microseconds.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Reads lines from f until one starts with word; 0, or -1 at EOF. */
static int
wait_word(FILE *f, const char *word)
{
	char line[512];

	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, word, strlen(word)) == 0)
			return 0;
	return -1;
}

static int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *name;
	long long *lat, t0;
	int p[2], rounds, i;
	pid_t w, k;
	FILE *f;

	if (argc != 4 || (rounds = atoi(argv[3])) <= 0 ||
	    (lat = calloc((size_t)rounds, sizeof(*lat))) == NULL) {
		fprintf(stderr, "usage: svccheck-watchlat SVCCHECK PROG ROUNDS\n");
		return 2;
	}
	name = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
	if (pipe(p) == -1 || (w = fork()) == -1)
		return 2;
	if (w == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(argv[1], "svccheck", "--watch", name, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	if (wait_word(f, "down") == -1)	/* the initial state */
		return 1;
	for (i = 0; i < rounds; i++) {
		if ((k = fork()) == 0) {
			execl(argv[2], name, "1000", (char *)NULL);
			_exit(127);
		}
		if (wait_word(f, "up") == -1)
			return 1;
		t0 = now_usec();
		kill(k, SIGKILL);
		if (wait_word(f, "down") == -1)
			return 1;
		lat[i] = now_usec() - t0;
		waitpid(k, NULL, 0);
	}
	kill(w, SIGTERM);
	waitpid(w, NULL, 0);
	qsort(lat, (size_t)rounds, sizeof(*lat), cmp);
	printf("kill -9 -> down line, %d rounds: median %lld us, p99 %lld us, "
	    "max %lld us\n", rounds, lat[rounds / 2],
	    lat[(rounds * 99) / 100 < rounds ? (rounds * 99) / 100 : rounds - 1],
	    lat[rounds - 1]);
	return 0;
}
