/* SPDX-License-Identifier: ISC */
/*
 * svccheck: is a service running?  One context, passed down from main().
 */
#ifndef SVCCHECK_H
#define SVCCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "listencheck.h"
#include "pidset.h"
#include "plugin.h"
#include "range.h"

/* Exit codes: killall -0's contract (--nagios: lib/plugin.h's). */
#define SVC_OK		0	/* every condition holds */
#define SVC_DOWN	1	/* one does not */
#define SVC_ERROR	2	/* usage or system error */

enum cond_kind {
	COND_PROC,		/* a NAME, or an --exe PATH on its own */
	COND_LISTEN,		/* --listen SPEC */
};

struct cond {
	enum cond_kind	 c_kind;
	const char	*c_label;	/* subject of the event lines */
	const char	*c_name;	/* NAME to match, NULL: --exe only */
	const char	*c_exe;		/* the exe must be this path, or NULL */
	struct listen_spec c_listen;
	/* the last scan */
	unsigned	 c_count;	/* processes (or sockets) found */
	pid_t		 c_pid;		/* the lowest pid found */
	unsigned	 c_denied;	/* candidates whose exe was unreadable */
	/* --watch */
	struct pidset	 c_set;
	int		 c_shown;	/* an up/down line was printed */
	pid_t		 c_shown_pid;	/* 0: last line was "down" */
};

struct svc {
	struct cond	*sv_conds;
	size_t		 sv_nconds;
	const char	*sv_exe;	/* --exe */
	const char	*sv_user;	/* --user */
	uid_t		 sv_uid;
	const char	*sv_pidfile;	/* --pidfile */
	int		 sv_any;
	int		 sv_quiet;
	int		 sv_json;
	int		 sv_nagios;
	int		 sv_watch;
	uint64_t	 sv_rescan;	/* usec, 0: never */
	int		 sv_readyfd;
	pid_t		 sv_self;
	int		 sv_procfd;	/* /proc */
	int		 sv_warned_exe;
	int		 sv_own;	/* --own: --listen sockets of ours */
	struct pidset	 sv_owners;	/* --own: every matched process */
	/* -w, -c: ranges over each condition's count (check_procs') */
	struct range	 sv_warn;
	int		 sv_warn_set;
	struct range	 sv_crit;	/* default "1:": at least one */
	int		 sv_crit_set;
	uint64_t	 sv_timeout;	/* -t, usec; 0 none */
	int		 sv_timeout_state;	/* --nagios state on expiry */
};

/* scan.c: what /proc says */
int	scan_open(struct svc *);
/*
 * Fills c_count/c_pid of every COND_PROC (with -q alone, only until the
 * exit status is known); -1 on a system error.
 */
int	scan_all(struct svc *);
/*
 * Checks one pid against every COND_PROC; hit[i] set for each that it
 * satisfies.  Returns the number of hits, -1 if the pid is not a live process.
 */
int	scan_pid(struct svc *, pid_t, unsigned char *hit);
/* Is pid still a running process, whatever its name (killall -0's view)? */
int	scan_running(const struct svc *, pid_t);
/*
 * Calls cb for every live process that satisfies a COND_PROC, until cb
 * returns non-zero.
 */
int	scan_each(struct svc *, int (*)(struct svc *, pid_t,
	    const unsigned char *));
/*
 * --own: the socket inodes the matched processes hold (sorted), from
 * their /proc/PID/fd; *denied counts those whose fds could not be read.
 */
int	scan_sockets(struct svc *, struct inoset *, unsigned *denied);
/* Reads a pidfile: the pid, or -1 with a warning logged. */
pid_t	scan_pidfile(const char *path);

/* output.c: event lines and the monitoring-plugin line */
void	report_cond(const struct svc *, const struct cond *);
/* The plugin line; returns its state: 0 OK, 1 WARNING, 2 CRITICAL. */
int	report_nagios(const struct svc *);
/* Whether the conditions hold: counts within -c (default 1:). */
int	report_holds(const struct svc *);

/* watch.c */
int	watch_run(struct svc *);

#endif
