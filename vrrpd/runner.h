/*
 * Track and notify commands run in a helper process forked before vrrpd
 * drops privileges: it becomes script_user (or stays root) with no
 * capabilities at all, so no command ever runs with vrrpd's CAP_NET_ADMIN.
 * vrrpd sends it "run ID TIMEOUT CMD" datagrams; it answers "ID STATUS".
 */
#ifndef VRRPD_RUNNER_H
#define VRRPD_RUNNER_H

#include <stdint.h>
#include <sys/types.h>

#define RUNNER_TIMEOUT	(-1)	/* killed after its timeout */
#define RUNNER_SIGNAL	(-2)	/* died on a signal */

struct runner {
	int	rn_fd;
	pid_t	rn_pid;
};

struct runner_reply {
	uint32_t	rr_id;
	int32_t		rr_status;	/* exit code or RUNNER_* */
};

/* Forks the helper; user NULL = stay root (without capabilities). */
int	runner_start(struct runner *, const char *user);
/* Asks for cmd to run; id 0 = nobody waits for the answer.  0 or -1. */
int	runner_run(struct runner *, uint32_t id, uint64_t timeout_usec,
	    const char *cmd);
/* Reads one answer: 1, 0 if none pending, -1 if the helper is gone. */
int	runner_read(struct runner *, struct runner_reply *);
void	runner_stop(struct runner *);
/* Whether cmd needs /bin/sh (metacharacters), else it is split on blanks. */
int	runner_needs_shell(const char *cmd);

#endif
