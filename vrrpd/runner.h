/* SPDX-License-Identifier: ISC */
/*
 * The privileged script runner (relayd/OpenSSH privsep style).  Forked
 * before vrrpd drops privileges, it keeps what keepalived gives scripts:
 * root with every capability, or script_user / a script's own user.  The
 * engine never sends a command line: it names one of the configuration's
 * commands (a vrrp_script, an instance's or a sync group's notify for a
 * state) and the
 * runner runs its own copy of it.  Requests of one lane (an instance's
 * notifies) run one at a time in order; when every child slot is busy
 * requests wait in a queue instead of being dropped.
 */
#ifndef VRRPD_RUNNER_H
#define VRRPD_RUNNER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

#define RUNNER_TIMEOUT	(-1)	/* killed after its timeout */
#define RUNNER_SIGNAL	(-2)	/* died on a signal */
#define RUNNER_STALE	(-3)	/* the runner's config names another one */
#define RUNNER_BUSY	(-4)	/* queue full */

enum runner_kind {
	RUNNER_SCRIPT = 1,	/* vrrp_script index */
	RUNNER_NOTIFY,		/* notify of instance index, + its args */
	RUNNER_MASTER,		/* notify_master ... */
	RUNNER_BACKUP,
	RUNNER_FAULT,
	RUNNER_STOP,
	RUNNER_RELOAD,		/* re-read the configuration */
	RUNNER_GNOTIFY,		/* notify of vrrp_sync_group index */
	RUNNER_GMASTER,		/* its notify_master ... */
	RUNNER_GBACKUP,
	RUNNER_GFAULT,
	RUNNER_GSTOP,
	RUNNER_FIFO,		/* notify_fifo_script of cf_fifo[index] */
	RUNNER_RXLOWER,		/* notify_master_rx_lower_pri of instance */
	RUNNER_STARTUP,		/* global startup_script */
	RUNNER_SHUTDOWN,	/* global shutdown_script, the runner's own */
	RUNNER_DELETED,		/* notify_deleted of instance */
};

struct runner_req {
	uint32_t	rq_id;		/* echoed in the reply; 0 = none */
	uint32_t	rq_kind;	/* enum runner_kind */
	uint32_t	rq_index;	/* script or instance index */
	uint32_t	rq_lane;	/* 0, or one at a time per lane */
	uint32_t	rq_timeout_ms;	/* 0 = none (a FIFO's reader) */
	uint32_t	rq_prio;	/* for notify's argument */
	uint64_t	rq_hash;	/* of the command the engine means */
	char		rq_state[8];	/* MASTER BACKUP FAULT STOP */
};

struct runner_reply {
	uint32_t	rr_id;
	int32_t		rr_status;	/* exit code or RUNNER_* */
};

/* Loads the configuration again (for RUNNER_RELOAD), or NULL. */
typedef struct config *(*runner_load_fn)(void *arg);

struct runner {
	int		rn_fd;
	pid_t		rn_pid;
};

/* Forks the runner with its own copy of cf. */
int	runner_start(struct runner *, const struct config *cf,
	    runner_load_fn load, void *arg);
/*
 * Asks for the command kind/index of cf to run.  The runner refuses it
 * (RUNNER_STALE) if its own copy differs.  0, or -1 if it cannot be sent.
 */
int	runner_run(struct runner *, const struct config *cf,
	    struct runner_req *);
/* Tells the runner to re-read the configuration. */
int	runner_reload(struct runner *);
/* Reads one answer: 1, 0 if none pending, -1 if the runner is gone. */
int	runner_read(struct runner *, struct runner_reply *);
void	runner_stop(struct runner *);

/* A request with nothing but kind, index and timeout set. */
void	runner_req_init(struct runner_req *, int kind, int index,
	    uint32_t timeout_ms);

/* 32-bit FNV-1a of s, on from h (RUNNER_FNV_SEED): lanes and ids by name. */
#define RUNNER_FNV_SEED	2166136261u
uint32_t runner_fnv(uint32_t h, const char *s);

/* word's file as keepalived's PATH search finds it, into out; 0 or -1 */
int	runner_path(const char *word, char *out, size_t outlen);
/* The uid and gid a command runs as: 1, 0 = root, -1 = unknown user */
int	runner_who(const struct config *, const char *user,
	    const char *group, uid_t *, gid_t *);
/*
 * The command a request names in cf and who runs it (user/group "" =
 * script_user, else keepalived's default), or NULL.
 */
const char *runner_cmd(const struct config *, int kind, int index,
	    const char **user, const char **group);

#endif
