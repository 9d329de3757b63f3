/* SPDX-License-Identifier: ISC */
/*
 * Runs a function that may exit, as a usage error does, in a child: its
 * exit status and what it wrote on stdout and stderr, for a unit test to
 * check.  The output must fit a pipe's buffer (64 KiB): read after exit.
 */
#ifndef HT_CHILD_H
#define HT_CHILD_H

#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct child_out {
	char	out[4096];
	char	err[4096];
};

static inline void
child_read(int fd, char *buf, size_t len)
{
	ssize_t n;
	size_t got = 0;

	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fd);
}

/* The status fn(arg) exits with (what it returns if it does not), or -1. */
static inline int
child_run(int (*fn)(const void *), const void *arg, struct child_out *co)
{
	int out[2], err[2], status;
	pid_t pid;

	fflush(stdout);
	if (pipe(out) == -1 || pipe(err) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		exit(fn(arg));
	}
	close(out[1]);
	close(err[1]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return -1;
	child_read(out[0], co->out, sizeof(co->out));
	child_read(err[0], co->err, sizeof(co->err));
	return WEXITSTATUS(status);
}

#endif
