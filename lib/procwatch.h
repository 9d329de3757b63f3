/* SPDX-License-Identifier: ISC */
/*
 * The kernel's process events (the netlink proc connector: fork, exec,
 * comm, uid, exit), for those who follow processes without polling /proc:
 * svccheck --watch and vrrpd's track_process.
 */
#ifndef HT_PROCWATCH_H
#define HT_PROCWATCH_H

#include <sys/types.h>

struct mnl_socket;
struct proc_event;

struct procwatch {
	struct mnl_socket	*pw_nl;
};

/*
 * Joins the proc connector's group (CAP_NET_ADMIN before Linux 6.6);
 * 0, or -1 logged.  Subscribe before the first scan of /proc, so that
 * nothing slips by between the two.
 */
int	procwatch_open(struct procwatch *);
/*
 * The kernel ignores subscriptions from outside the initial PID and user
 * namespaces without a word: forks a child and waits for its event (2 s
 * at most).  0, or -1 logged ("must run in the initial PID namespace").
 */
int	procwatch_probe(struct procwatch *);
int	procwatch_fd(const struct procwatch *);
/*
 * Takes every queued event, calling cb with each (copied out, aligned).
 * 1 when the kernel dropped some (rescan /proc), 0, or -1 on a socket
 * error (errno).
 */
int	procwatch_read(struct procwatch *,
	    void (*cb)(void *, const struct proc_event *), void *arg);
void	procwatch_close(struct procwatch *);
/*
 * What an event says of a process, a thread's own events left out: the
 * event's kind (PROC_EVENT_FORK, _EXEC, _COMM, _UID, _EXIT), the process
 * in *pid and, for a fork, its parent in *parent; PROC_EVENT_NONE for a
 * thread's or any other event.
 */
int	procwatch_process(const struct proc_event *, pid_t *pid,
	    pid_t *parent);

#endif
