/* SPDX-License-Identifier: ISC */
/*
 * The netlink proc connector through libmnl: subscribe, prove that events
 * come, read them, tell a process's events from a thread's.  What a
 * process event means is the caller's business.
 */
#include <errno.h>
#include <stddef.h>
#include <libmnl/libmnl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "duration.h"
#include "log.h"
#include "procwatch.h"

#define PW_RCVBUF	(4 * 1024 * 1024)

int
procwatch_open(struct procwatch *pw)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct cn_msg *cn;
	enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
	int sz = PW_RCVBUF;

	if ((pw->pw_nl = mnl_socket_open2(NETLINK_CONNECTOR,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) == NULL ||
	    mnl_socket_bind(pw->pw_nl, CN_IDX_PROC, MNL_SOCKET_AUTOPID) < 0) {
		log_warn("proc connector socket");
		return -1;
	}
	/* a burst of forks must not overflow us; rescans cover the rest */
	if (setsockopt(mnl_socket_get_fd(pw->pw_nl), SOL_SOCKET,
	    SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(mnl_socket_get_fd(pw->pw_nl), SOL_SOCKET,
		    SO_RCVBUF, &sz, sizeof(sz));
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = mnl_socket_get_portid(pw->pw_nl);
	cn = mnl_nlmsg_put_extra_header(nlh, sizeof(*cn) + sizeof(op));
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	if (mnl_socket_sendto(pw->pw_nl, nlh, nlh->nlmsg_len) < 0) {
		/* the connector's kernel end lives in the first namespace only */
		if (errno == ECONNREFUSED)
			log_warn("proc connector: subscribe (it answers only in "
			    "the initial network namespace)");
		else
			log_warn("proc connector: subscribe (before Linux 6.6: "
			    "needs root or CAP_NET_ADMIN)");
		return -1;
	}
	return 0;
}

int
procwatch_fd(const struct procwatch *pw)
{
	return mnl_socket_get_fd(pw->pw_nl);
}

void
procwatch_close(struct procwatch *pw)
{
	if (pw->pw_nl)
		mnl_socket_close(pw->pw_nl);
	pw->pw_nl = NULL;
}

/*
 * The proc_event of one connector message, copied out: in the datagram it
 * sits at an offset that breaks its 8-byte alignment.  0, or -1 if none.
 */
static int
pw_msg_event(const struct nlmsghdr *nlh, struct proc_event *ev)
{
	const struct cn_msg *cn;
	size_t room, n;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*cn)))
		return -1;
	cn = mnl_nlmsg_get_payload(nlh);
	room = nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*cn));
	if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC ||
	    cn->len > room || cn->len < offsetof(struct proc_event, event_data))
		return -1;
	n = cn->len < sizeof(*ev) ? cn->len : sizeof(*ev);
	memset(ev, 0, sizeof(*ev));
	memcpy(ev, cn->data, n);
	return 0;
}

static void
pw_each(const char *buf, ssize_t n,
    void (*cb)(void *, const struct proc_event *), void *arg)
{
	const struct nlmsghdr *nlh;
	struct proc_event ev;
	int len = (int)n;

	for (nlh = (const struct nlmsghdr *)(const void *)buf;
	    mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		if (pw_msg_event(nlh, &ev) == 0)
			cb(arg, &ev);
}

int
procwatch_read(struct procwatch *pw,
    void (*cb)(void *, const struct proc_event *), void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	int lost = 0, fd = procwatch_fd(pw);
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == -1 && errno == ENOBUFS) {
			lost = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		pw_each(buf, n, cb, arg);
	}
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
		return -1;
	return lost;
}

struct pw_probe {
	pid_t	pp_pid;
	int	pp_seen;
};

/* Does this event tell of the probe child's birth or death? */
static void
pw_probe_cb(void *arg, const struct proc_event *ev)
{
	struct pw_probe *pp = arg;

	if ((ev->what == PROC_EVENT_FORK &&
	    ev->event_data.fork.child_tgid == pp->pp_pid) ||
	    (ev->what == PROC_EVENT_EXIT &&
	    ev->event_data.exit.process_tgid == pp->pp_pid))
		pp->pp_seen = 1;
}

/* Events read here predate the caller's first scan, which supersedes them. */
int
procwatch_probe(struct procwatch *pw)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	struct pollfd pfd = { procwatch_fd(pw), POLLIN, 0 };
	uint64_t deadline = mono_usec() + 2000000;
	struct pw_probe pp = { 0, 0 };
	ssize_t n;

	if ((pp.pp_pid = fork()) == -1) {
		log_warn("fork");
		return -1;
	}
	if (pp.pp_pid == 0)
		_exit(0);
	while (!pp.pp_seen && mono_usec() < deadline) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		while (!pp.pp_seen && ((n = recv(pfd.fd, buf, sizeof(buf),
		    MSG_DONTWAIT)) > 0 || (n == -1 && errno == ENOBUFS)))
			if (n > 0)
				pw_each(buf, n, pw_probe_cb, &pp);
	}
	waitpid(pp.pp_pid, NULL, 0);
	if (!pp.pp_seen)
		log_warnx("proc connector: no process events from the kernel "
		    "(must run in the initial PID namespace)");
	return pp.pp_seen ? 0 : -1;
}

/* An event of thread tid in group tgid: the process's only from its leader. */
static int
pw_of_process(int what, pid_t tid, pid_t tgid, pid_t *pid)
{
	if (tid != tgid)
		return PROC_EVENT_NONE;
	*pid = tgid;
	return what;
}

int
procwatch_process(const struct proc_event *ev, pid_t *pid, pid_t *parent)
{
	switch (ev->what) {
	case PROC_EVENT_FORK:
		*parent = ev->event_data.fork.parent_tgid;
		return pw_of_process(PROC_EVENT_FORK,
		    ev->event_data.fork.child_pid,
		    ev->event_data.fork.child_tgid, pid);
	case PROC_EVENT_EXEC:
		/* whichever thread called exec is the leader by now */
		*pid = ev->event_data.exec.process_tgid;
		return PROC_EVENT_EXEC;
	case PROC_EVENT_COMM:
		return pw_of_process(PROC_EVENT_COMM,
		    ev->event_data.comm.process_pid,
		    ev->event_data.comm.process_tgid, pid);
	case PROC_EVENT_UID:
		return pw_of_process(PROC_EVENT_UID,
		    ev->event_data.id.process_pid,
		    ev->event_data.id.process_tgid, pid);
	case PROC_EVENT_EXIT:
		return pw_of_process(PROC_EVENT_EXIT,
		    ev->event_data.exit.process_pid,
		    ev->event_data.exit.process_tgid, pid);
	default:
		return PROC_EVENT_NONE;
	}
}
