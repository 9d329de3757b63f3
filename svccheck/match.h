/* SPDX-License-Identifier: ISC */
/*
 * Which process is "NAME": pure functions over what /proc shows, with no
 * I/O, so they can be unit-tested and fuzzed (tests/fuzz/svccheck-match.c).
 */
#ifndef SVC_MATCH_H
#define SVC_MATCH_H

#include <stddef.h>
#include <sys/types.h>

#define MATCH_COMMLEN	15		/* the kernel's TASK_COMM_LEN - 1 */
#define MATCH_PF_KTHREAD 0x00200000UL	/* flags bit of kernel threads */

/* The fields of /proc/PID/stat that svccheck reads. */
struct procstat {
	pid_t		 ps_pid;
	char		 ps_comm[MATCH_COMMLEN + 1];
	char		 ps_state;	/* R S D T t Z X I ... */
	pid_t		 ps_ppid;
	unsigned long	 ps_flags;
};

/* What the matcher may look at; cmdline and exe are read only on demand. */
struct procinfo {
	const char	*pi_comm;
	const char	*pi_cmdline;	/* argv, NUL-separated; may be NULL */
	size_t		 pi_cmdlen;
	const char	*pi_exe;	/* readlink of /proc/PID/exe, or NULL */
};

/* Parses one /proc/PID/stat line.  0, or -1 with err naming the field. */
int	match_stat_parse(const char *buf, size_t len, struct procstat *out,
	    char *err, size_t errlen);
/* A zombie or dead task is not running; a stopped one is. */
int	match_state_alive(char state);

/*
 * First, cheap step: 0 when a process called comm can never be name,
 * 1 when it is name for sure, 2 when its cmdline (and exe) must be read.
 */
int	match_comm(const char *name, const char *comm);
/* The whole decision once cmdline/exe are known (either may be absent). */
int	match_full(const char *name, const struct procinfo *);
/* Is path (a readlink of /proc/PID/exe) the file want?  " (deleted)" ok. */
int	match_exe(const char *want, const char *path);
/* Is comm a script interpreter (sh, bash, python3, perl ...)? */
int	match_is_interp(const char *comm);
/* The last component of a path of n bytes; its length in *blen. */
const char *match_basename(const char *s, size_t n, size_t *blen);

#endif
