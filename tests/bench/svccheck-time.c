/* SPDX-License-Identifier: ISC */
/*
 * Bench helper: times commands interleaved (A B C A B C ...) so that load
 * from anything else on the machine hits each of them alike, and prints
 * the median and mean wall time of each in microseconds, one line each:
 *	svccheck-time ROUNDS 'cmd one' 'cmd two' ...
 * A command is split on spaces and run with posix_spawnp, output to
 * /dev/null; a non-zero exit fails the benchmark (it must find the name).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
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
	posix_spawn_file_actions_t fa;
	char *args[8][32], *s;
	long long *t, sum;
	int rounds, ncmd, i, r, st, na;
	pid_t pid;

	if (argc < 3 || (rounds = atoi(argv[1])) <= 0 || argc - 2 > 8)
		return 2;
	ncmd = argc - 2;
	for (i = 0; i < ncmd; i++) {
		for (na = 0, s = strtok(strdup(argv[i + 2]), " ");
		    s && na < 31; s = strtok(NULL, " "))
			args[i][na++] = s;
		args[i][na] = NULL;
	}
	if ((t = calloc((size_t)(rounds * ncmd), sizeof(*t))) == NULL)
		return 2;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (r = 0; r < rounds; r++)
		for (i = 0; i < ncmd; i++) {
			long long t0 = now_usec();

			if (posix_spawnp(&pid, args[i][0], &fa, NULL, args[i],
			    environ) != 0 || waitpid(pid, &st, 0) == -1 ||
			    !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				fprintf(stderr, "%s: failed\n", argv[i + 2]);
				return 1;
			}
			t[i * rounds + r] = now_usec() - t0;
		}
	for (i = 0; i < ncmd; i++) {
		qsort(t + i * rounds, (size_t)rounds, sizeof(*t), cmp);
		for (sum = 0, r = 0; r < rounds; r++)
			sum += t[i * rounds + r];
		printf("%lld %lld\n", t[i * rounds + rounds / 2], sum / rounds);
	}
	return 0;
}
