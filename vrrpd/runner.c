/*
 * The command runner.  A separate process because dropping to script_user
 * and to no capabilities cannot be undone; vrrpd itself must keep
 * CAP_NET_RAW and CAP_NET_ADMIN.  Commands get stdin from /dev/null and
 * stdout on our stderr: our stdout carries event lines only.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "duration.h"
#include "log.h"
#include "priv.h"
#include "runner.h"

#define RUNNER_MAX_CHILDREN	64
#define RUNNER_MAX_ARGS		64

struct runner_msg {
	uint32_t	rm_id;
	uint32_t	rm_timeout_ms;
	char		rm_cmd[CFG_CMD_LEN + 512];
};

struct runner_child {
	pid_t		rc_pid;
	uint32_t	rc_id;
	uint64_t	rc_deadline;
	int		rc_killed;
};

int
runner_needs_shell(const char *cmd)
{
	return strpbrk(cmd, "|&;<>()$`\\\"'*?[]#~=%{}\n") != NULL;
}

static void
runner_exec(const char *cmd)
{
	char copy[sizeof(((struct runner_msg *)0)->rm_cmd)];
	char *argv[RUNNER_MAX_ARGS + 1], *p, *save = NULL;
	int n = 0;

	if (runner_needs_shell(cmd)) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	snprintf(copy, sizeof(copy), "%s", cmd);
	for (p = strtok_r(copy, " \t", &save); p && n < RUNNER_MAX_ARGS;
	    p = strtok_r(NULL, " \t", &save))
		argv[n++] = p;
	argv[n] = NULL;
	if (n == 0)
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

static void
runner_spawn(struct runner_child *kids, const struct runner_msg *m,
    const sigset_t *oldmask, int sock)
{
	struct runner_child *k = NULL;
	pid_t pid;
	int i, fd;

	for (i = 0; i < RUNNER_MAX_CHILDREN; i++)
		if (kids[i].rc_pid == 0) {
			k = &kids[i];
			break;
		}
	if (k == NULL || (pid = fork()) == -1) {
		struct runner_reply r = { m->rm_id, RUNNER_SIGNAL };

		if (m->rm_id)
			(void)send(sock, &r, sizeof(r), 0);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		signal(SIGPIPE, SIG_DFL);
		close(sock);
		if ((fd = open("/dev/null", O_RDONLY)) >= 0) {
			dup2(fd, 0);
			if (fd > 0)
				close(fd);
		}
		dup2(2, 1);
		runner_exec(m->rm_cmd);
	}
	k->rc_pid = pid;
	k->rc_id = m->rm_id;
	k->rc_killed = 0;
	k->rc_deadline = mono_usec() + (uint64_t)m->rm_timeout_ms * 1000;
}

static void
runner_reap(struct runner_child *kids, int sock)
{
	struct runner_reply r;
	pid_t pid;
	int st, i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < RUNNER_MAX_CHILDREN; i++) {
			if (kids[i].rc_pid != pid)
				continue;
			r.rr_id = kids[i].rc_id;
			if (kids[i].rc_killed)
				r.rr_status = RUNNER_TIMEOUT;
			else if (WIFEXITED(st))
				r.rr_status = WEXITSTATUS(st);
			else
				r.rr_status = RUNNER_SIGNAL;
			if (r.rr_id && sock >= 0)
				(void)send(sock, &r, sizeof(r), 0);
			kids[i].rc_pid = 0;
		}
	}
}

/* Kills what overran; returns the poll timeout to the next deadline. */
static int
runner_deadlines(struct runner_child *kids)
{
	uint64_t now = mono_usec(), next = 0;
	int i;

	for (i = 0; i < RUNNER_MAX_CHILDREN; i++) {
		if (kids[i].rc_pid == 0 || kids[i].rc_killed)
			continue;
		if (now >= kids[i].rc_deadline) {
			kill(-kids[i].rc_pid, SIGKILL);
			kill(kids[i].rc_pid, SIGKILL);
			kids[i].rc_killed = 1;
		} else if (next == 0 || kids[i].rc_deadline < next)
			next = kids[i].rc_deadline;
	}
	return next ? (int)((next - now) / 1000 + 1) : -1;
}

/*
 * vrrpd is stopping: checks nobody waits for go at once; notify commands
 * (notify_stop above all) finish within their timeout, and vrrpd waits for
 * us, so they are done before it exits.
 */
static void
runner_drain(struct runner_child *kids, int sfd)
{
	struct pollfd pfd;
	int i, left;

	for (i = 0; i < RUNNER_MAX_CHILDREN; i++)
		if (kids[i].rc_pid && kids[i].rc_id != 0) {
			kill(-kids[i].rc_pid, SIGKILL);
			kids[i].rc_killed = 1;
		}
	for (;;) {
		runner_reap(kids, -1);
		for (left = 0, i = 0; i < RUNNER_MAX_CHILDREN; i++)
			left += kids[i].rc_pid != 0;
		if (left == 0)
			return;
		pfd = (struct pollfd){ sfd, POLLIN, 0 };
		if (poll(&pfd, 1, runner_deadlines(kids)) == -1 &&
		    errno != EINTR)
			return;
		if (pfd.revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) > 0)
				;
		}
	}
}

static void __attribute__((noreturn))
runner_main(int sock, const char *user)
{
	struct runner_child kids[RUNNER_MAX_CHILDREN];
	struct runner_msg m;
	struct pollfd pfd[2];
	sigset_t mask, old;
	ssize_t r;
	int sfd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "vrrpd-runner");
	if (priv_drop(user, NULL, 0) == -1)
		_exit(1);
	memset(kids, 0, sizeof(kids));
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	if ((sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		_exit(1);
	for (;;) {
		pfd[0] = (struct pollfd){ sock, POLLIN, 0 };
		pfd[1] = (struct pollfd){ sfd, POLLIN, 0 };
		if (poll(pfd, 2, runner_deadlines(kids)) == -1 &&
		    errno != EINTR)
			break;
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) > 0)
				;
		}
		runner_reap(kids, sock);
		/* what vrrpd sent before closing (notify_stop) runs first */
		while ((r = recv(sock, &m, sizeof(m), MSG_DONTWAIT)) ==
		    (ssize_t)sizeof(m)) {
			m.rm_cmd[sizeof(m.rm_cmd) - 1] = '\0';
			runner_spawn(kids, &m, &old, sock);
		}
		if (r == 0 || (pfd[0].revents & (POLLHUP | POLLERR)))
			break;
	}
	runner_drain(kids, sfd);
	_exit(0);
}

int
runner_start(struct runner *rn, const char *user)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		runner_main(sv[1], user);
	}
	close(sv[1]);
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == -1) {
		close(sv[0]);
		return -1;
	}
	rn->rn_fd = sv[0];
	rn->rn_pid = pid;
	return 0;
}

int
runner_run(struct runner *rn, uint32_t id, uint64_t timeout_usec,
    const char *cmd)
{
	struct runner_msg m;

	memset(&m, 0, sizeof(m));
	m.rm_id = id;
	m.rm_timeout_ms = (uint32_t)(timeout_usec / 1000);
	if (strlen(cmd) >= sizeof(m.rm_cmd))
		return -1;
	snprintf(m.rm_cmd, sizeof(m.rm_cmd), "%s", cmd);
	return send(rn->rn_fd, &m, sizeof(m), 0) == sizeof(m) ? 0 : -1;
}

int
runner_read(struct runner *rn, struct runner_reply *r)
{
	ssize_t n = recv(rn->rn_fd, r, sizeof(*r), 0);

	if (n == (ssize_t)sizeof(*r))
		return 1;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
		return -1;
	return 0;
}

void
runner_stop(struct runner *rn)
{
	if (rn->rn_fd >= 0)
		close(rn->rn_fd);
	rn->rn_fd = -1;
	if (rn->rn_pid > 0)
		waitpid(rn->rn_pid, NULL, 0);
	rn->rn_pid = 0;
}
