/* SPDX-License-Identifier: ISC */
/*
 * Bench helper: forks N idle children (pause(2)) so /proc holds N more
 * processes, writes "ready" on stdout, and on SIGTERM/SIGINT (or when its
 * stdin closes) kills them all and exits.  Forked, not exec'd: they cost
 * almost no memory.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	sigset_t set;
	pid_t *kids;
	long n, i;
	int sig;

	n = argc > 1 ? strtol(argv[1], NULL, 10) : 3000;
	if (n <= 0 || n > 30000 || (kids = calloc((size_t)n, sizeof(*kids))) == NULL)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++) {
		if ((kids[i] = fork()) == -1)
			break;
		if (kids[i] == 0) {
			/* die with the parent, whatever happens to it */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			for (;;)
				pause();
		}
	}
	printf("ready %ld\n", i);
	fflush(stdout);
	sigwait(&set, &sig);
	for (n = i, i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
