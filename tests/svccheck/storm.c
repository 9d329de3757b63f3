/* SPDX-License-Identifier: ISC */
/*
 * Test helper: a fork storm in a PID namespace of its own.  For SECONDS,
 * WORKERS processes each start short-lived children one after the other
 * (vfork: the child runs at once, so even a loaded machine makes
 * thousands a second), each exec'ing PROG if given (an exec event makes
 * svccheck --watch look at the new image) or exiting at once.  Halfway
 * through, PID (unless 0; a pid of the caller's namespace, where this
 * process stays) gets SIGKILL: a real change in the middle of the storm.
 * The namespace's init ends last, taking anything left with it.
 *
 *   storm SECONDS WORKERS PID [PROG]
 *
 * Prints "killed=T" (CLOCK_MONOTONIC seconds) when it kills PID, then
 * "forks=N cpu_ms=M": the processes started and the CPU time of the whole
 * storm (workers and children, user and system).  Exits 0, 1 if the kill
 * failed, 2 on a usage error.
 */
#define _GNU_SOURCE	/* unshare */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long
worker(double end, const char *prog)
{
	volatile unsigned long n = 0;	/* vfork: the child shares the frame */
	pid_t pid;

	while (now() < end) {
		if ((pid = vfork()) == -1) {
			usleep(1000);
			continue;
		}
		if (pid == 0) {
			if (prog != NULL)
				execl(prog, prog, (char *)NULL);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		n++;
	}
	return n;
}

static long
ms(struct timeval tv)
{
	return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

int
main(int argc, char *argv[])
{
	struct rusage self, kids;
	unsigned long *forks, total = 0;
	double secs, t0, end;
	long workers, i;
	pid_t victim, nsinit, pid;
	int rc = 0;

	if (argc < 4 || argc > 5 || (secs = atof(argv[1])) <= 0 ||
	    (workers = atol(argv[2])) <= 0 || workers > 64) {
		fprintf(stderr, "usage: storm SECONDS WORKERS PID [PROG]\n");
		return 2;
	}
	victim = (pid_t)atol(argv[3]);
	/* each worker's count, where the parent can read it */
	forks = mmap(NULL, 64 * sizeof(*forks), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (forks == MAP_FAILED)
		return 2;
	/* the children go to a new PID namespace; this process stays */
	if (unshare(CLONE_NEWPID) == -1) {
		perror("unshare");
		return 2;
	}
	if ((nsinit = fork()) == 0) {
		for (;;)
			pause();
	}
	t0 = now();
	end = t0 + secs;
	for (i = 0; i < workers; i++)
		if ((pid = fork()) == 0) {
			forks[i] = worker(end, argc == 5 ? argv[4] : NULL);
			_exit(0);
		}
	if (victim > 0) {
		while (now() < t0 + secs / 2)
			usleep(10000);
		if (kill(victim, SIGKILL) == -1)
			rc = 1;
		printf("killed=%.3f\n", now());
		fflush(stdout);
	}
	while ((pid = wait(NULL)) > 0 && pid != nsinit)
		if (--workers == 0)
			kill(nsinit, SIGKILL);
	for (i = 0; i < 64; i++)
		total += forks[i];
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	printf("forks=%lu cpu_ms=%ld\n", total, ms(self.ru_utime) +
	    ms(self.ru_stime) + ms(kids.ru_utime) + ms(kids.ru_stime));
	return rc;
}
