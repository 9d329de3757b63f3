/* SPDX-License-Identifier: ISC */
/*
 * The privileged script runner.  A separate process so that the engine
 * can drop to CAP_NET_RAW and CAP_NET_ADMIN while scripts still get what
 * keepalived gives them (root with every capability, or their user).  It
 * holds its own copy of the configuration and runs only the commands in
 * it: a compromised engine can ask for a configured script, nothing more.
 * Commands get stdin from /dev/null and stdout on our stderr: vrrpd's
 * stdout carries event lines only.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "duration.h"
#include "log.h"
#include "runner.h"
#include "words.h"

#define RUNNER_MAX_CHILDREN	64
#define RUNNER_FIFO_GRACE	2000000	/* usec, a FIFO reader at stop */
#define RUNNER_MAX_PENDING	1024

struct runner_child {
	pid_t		rc_pid;
	struct runner_req rc_req;
	uint64_t	rc_deadline;
	int		rc_killed;
};

struct runner_state {
	struct config	*rs_cf;
	runner_load_fn	 rs_load;
	void		*rs_arg;
	int		 rs_sock;
	int		 rs_shutdown_done;	/* shutdown_script queued */
	sigset_t	 rs_oldmask;
	struct runner_child rs_kids[RUNNER_MAX_CHILDREN];
	struct runner_req rs_pend[RUNNER_MAX_PENDING];
	int		 rs_npend;
};

void
runner_req_init(struct runner_req *rq, int kind, int index,
    uint32_t timeout_ms)
{
	memset(rq, 0, sizeof(*rq));
	rq->rq_kind = (uint32_t)kind;
	rq->rq_index = (uint32_t)index;
	rq->rq_timeout_ms = timeout_ms;
}

uint32_t
runner_fnv(uint32_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint64_t
runner_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The notify kinds index cfg_notify arrays: their orders must agree. */
_Static_assert(RUNNER_STOP - RUNNER_NOTIFY == CFG_NOTIFY_STOP &&
    RUNNER_GSTOP - RUNNER_GNOTIFY == CFG_NOTIFY_STOP &&
    RUNNER_MASTER - RUNNER_NOTIFY == CFG_NOTIFY_MASTER,
    "runner kinds and cfg_notify_kind in different orders");

/* One notify command, its user and group. */
static const char *
runner_notify(const struct cfg_notify *nt, const char **user,
    const char **group)
{
	*user = nt->cn_user;
	*group = nt->cn_group;
	return nt->cn_cmd;
}

const char *
runner_cmd(const struct config *cf, int kind, int index, const char **user,
    const char **group)
{
	int k;

	if (kind == RUNNER_SCRIPT) {
		if (index < 0 || index >= cf->cf_nscripts)
			return NULL;
		*user = cf->cf_scripts[index].cs_user;
		*group = cf->cf_scripts[index].cs_group;
		return cf->cf_scripts[index].cs_cmd;
	}
	if (kind >= RUNNER_GNOTIFY && kind <= RUNNER_GSTOP) {
		if (index < 0 || index >= cf->cf_ngroups)
			return NULL;
		return runner_notify(&cf->cf_groups[index].cg_notify[kind -
		    RUNNER_GNOTIFY], user, group);
	}
	if (kind == RUNNER_FIFO) {
		if (index < 0 || index > CFG_FIFO_VRRP ||
		    cf->cf_fifo[index].cfi_path[0] == '\0')
			return NULL;
		*user = cf->cf_fifo[index].cfi_script_user;
		*group = cf->cf_fifo[index].cfi_script_group;
		return cf->cf_fifo[index].cfi_script;
	}
	if (kind == RUNNER_STARTUP || kind == RUNNER_SHUTDOWN) {
		k = kind == RUNNER_STARTUP ? CFG_HOOK_STARTUP :
		    CFG_HOOK_SHUTDOWN;
		*user = cf->cf_hooks[k].ch_user;
		*group = cf->cf_hooks[k].ch_group;
		return cf->cf_hooks[k].ch_cmd;
	}
	if (index < 0 || index >= cf->cf_ninst)
		return NULL;
	if (kind == RUNNER_RXLOWER)
		return runner_notify(&cf->cf_inst[index].ci_notify_rx_lower,
		    user, group);
	if (kind == RUNNER_DELETED)
		return runner_notify(&cf->cf_inst[index].ci_notify_deleted,
		    user, group);
	if (kind < RUNNER_NOTIFY || kind > RUNNER_STOP)
		return NULL;
	return runner_notify(&cf->cf_inst[index].ci_notify[kind -
	    RUNNER_NOTIFY], user, group);
}

/* --- the child ----------------------------------------------------------- */

/*
 * keepalived's script user: the command's own, else script_user, else
 * keepalived_script if that user exists, else root (with every
 * capability: the runner never dropped any).  Looked up here, before the
 * fork, so that children do not each load the NSS modules again.
 * 1 = switch to uid and gid, 0 = stay root, -1 = unknown user or group.
 */
int
runner_who(const struct config *cf, const char *user, const char *group,
    uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	struct group *gr;

	if (user[0] == '\0') {
		user = cf->cf_script_user;
		group = cf->cf_script_group;
	}
	if (user[0] == '\0') {
		if (getpwnam("keepalived_script") == NULL)
			return 0;
		user = "keepalived_script";
	}
	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("script user %s: no such user", user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (group[0] != '\0') {
		if ((gr = getgrnam(group)) == NULL) {
			log_warnx("script group %s: no such group", group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 1;
}

/* PATH search as keepalived's: a regular file we may execute. */
int
runner_path(const char *word, char *out, size_t outlen)
{
	const char *path = getenv("PATH"), *p, *e;
	struct stat st;

	if (strchr(word, '/')) {
		snprintf(out, outlen, "%s", word);
		return 0;
	}
	for (p = path ? path : "/usr/bin:/bin"; ; p = e + 1) {
		if ((e = strchr(p, ':')) == NULL)
			e = p + strlen(p);
		if ((size_t)snprintf(out, outlen, "%.*s%s%s", (int)(e - p), p,
		    e > p ? "/" : "", word) < outlen &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(out, X_OK) == 0)
			return 0;
		if (*e == '\0')
			return -1;
	}
}

/*
 * "</dev/tcp/..." (a redirection only, to test a file) is the one form
 * keepalived hands to system(): the first word as written, every other
 * one single-quoted.  Exit 126/127 from the shell count as 0 there.
 */
static void __attribute__((noreturn))
runner_system(char **argv)
{
	char line[CFG_CMD_LEN * 2];
	size_t off = 0;
	int i, st;

	for (i = 0; argv[i] && off + 1 < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off,
		    i ? " '%s'" : "%s", argv[i]);
	if (off >= sizeof(line))
		_exit(0);
	st = system(line);
	if (st == -1 || !WIFEXITED(st))
		_exit(0);
	_exit(WEXITSTATUS(st) == 126 || WEXITSTATUS(st) == 127 ? 0 :
	    WEXITSTATUS(st));
}

static void __attribute__((noreturn))
runner_exec(const struct config *cf, const struct runner_req *rq,
    const char *cmd, int who, uid_t uid, gid_t gid)
{
	char buf[CFG_CMD_LEN + 8], err[128], file[4096], prio[16];
	char *argv[WORDS_MAX + 5];
	int n;

	/* keepalived: a failure here is a script error, exit 0 */
	if (who == -1)
		_exit(0);
	if (who == 1 && (setgid(gid) == -1 || setgroups(1, &gid) == -1 ||
	    setuid(uid) == -1)) {
		log_warn("script user %u", (unsigned)uid);
		_exit(0);
	}
	if ((n = words_split(cmd, buf, sizeof(buf), argv, WORDS_MAX, err,
	    sizeof(err))) <= 0) {
		log_warnx("script \"%s\": %s", cmd, n ? err : "empty");
		_exit(0);
	}
	if (rq->rq_kind == RUNNER_NOTIFY) {
		/* keepalived's generic notify: TYPE NAME STATE PRIORITY */
		snprintf(prio, sizeof(prio), "%u", rq->rq_prio);
		argv[n++] = "INSTANCE";
		argv[n++] = (char *)cf->cf_inst[rq->rq_index].ci_name;
		argv[n++] = (char *)rq->rq_state;
		argv[n++] = prio;
		argv[n] = NULL;
	} else if (rq->rq_kind == RUNNER_GNOTIFY) {
		/* a sync group's: GROUP NAME STATE 0, as keepalived's */
		argv[n++] = "GROUP";
		argv[n++] = (char *)cf->cf_groups[rq->rq_index].cg_name;
		argv[n++] = (char *)rq->rq_state;
		argv[n++] = "0";
		argv[n] = NULL;
	} else if (rq->rq_kind == RUNNER_FIFO) {
		/* keepalived's: the FIFO's path is the last argument */
		argv[n++] = (char *)cf->cf_fifo[rq->rq_index].cfi_path;
		argv[n] = NULL;
	}
	if (argv[0][0] == '<' && argv[0][1 + strspn(argv[0] + 1, " \t")] ==
	    '/')
		runner_system(argv);
	if (runner_path(argv[0], file, sizeof(file)) == -1) {
		log_warnx("script %s: not found in PATH; counts as success, "
		    "as keepalived's", argv[0]);
		_exit(0);
	}
	argv[0] = file;
	execv(file, argv);
	/* keepalived: "Script errors aren't server errors", exit 0 */
	log_warn("script %s: cannot execute; counts as success, as "
	    "keepalived's", file);
	_exit(0);
}

/* --- the runner process -------------------------------------------------- */

/* What a request is, for the log. */
static const char *
runner_what(uint32_t kind)
{
	if (kind == RUNNER_SCRIPT)
		return "script";
	if (kind == RUNNER_RELOAD)
		return "reload";
	if (kind >= RUNNER_GNOTIFY && kind <= RUNNER_GSTOP)
		return "notify of sync group";
	if (kind == RUNNER_FIFO)
		return "notify_fifo_script";
	if (kind == RUNNER_STARTUP)
		return "startup_script";
	if (kind == RUNNER_SHUTDOWN)
		return "shutdown_script";
	return "notify of instance";
}

static void
runner_reply(struct runner_state *rs, uint32_t id, int status)
{
	struct runner_reply r = { id, status };

	if (id && rs->rs_sock >= 0)
		(void)send(rs->rs_sock, &r, sizeof(r), 0);
}

static void
runner_spawn(struct runner_state *rs, struct runner_child *k,
    const struct runner_req *rq)
{
	const char *cmd, *user, *group;
	uid_t uid = 0;
	gid_t gid = 0;
	pid_t pid;
	int fd, who;

	cmd = runner_cmd(rs->rs_cf, (int)rq->rq_kind, (int)rq->rq_index, &user,
	    &group);
	if (cmd == NULL || cmd[0] == '\0' || runner_hash(cmd) != rq->rq_hash) {
		log_warnx("runner: request for %s %u does not match its "
		    "configuration; not run", runner_what(rq->rq_kind),
		    rq->rq_index);
		runner_reply(rs, rq->rq_id, RUNNER_STALE);
		return;
	}
	who = runner_who(rs->rs_cf, user, group, &uid, &gid);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		log_warn("runner: fork");
		runner_reply(rs, rq->rq_id, RUNNER_SIGNAL);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &rs->rs_oldmask, NULL);
		signal(SIGPIPE, SIG_DFL);
		close(rs->rs_sock);
		if ((fd = open("/dev/null", O_RDONLY)) >= 0) {
			dup2(fd, 0);
			if (fd > 0)
				close(fd);
		}
		dup2(2, 1);
		runner_exec(rs->rs_cf, rq, cmd, who, uid, gid);
	}
	k->rc_pid = pid;
	k->rc_req = *rq;
	k->rc_killed = 0;
	k->rc_deadline = rq->rq_timeout_ms == 0 ? UINT64_MAX :
	    mono_usec() + (uint64_t)rq->rq_timeout_ms * 1000;
}

static void
runner_unqueue(struct runner_state *rs, int i)
{
	memmove(&rs->rs_pend[i], &rs->rs_pend[i + 1],
	    (size_t)(rs->rs_npend - i - 1) * sizeof(rs->rs_pend[0]));
	rs->rs_npend--;
}

static void	runner_reload_now(struct runner_state *);

static int
runner_lane_busy(struct runner_state *rs, uint32_t lane)
{
	int i;

	for (i = 0; lane && i < RUNNER_MAX_CHILDREN; i++)
		if (rs->rs_kids[i].rc_pid && rs->rs_kids[i].rc_req.rq_lane ==
		    lane)
			return 1;
	return 0;
}

/*
 * Starts what may start, in arrival order: a request waits while its
 * lane runs one (so the lane's order holds) or while every slot is taken.
 */
static void
runner_pump(struct runner_state *rs)
{
	struct runner_child *k;
	int i, j;

	for (i = 0; i < rs->rs_npend; ) {
		if (rs->rs_pend[i].rq_kind == RUNNER_RELOAD) {
			/*
			 * A reload waits until everything asked before it
			 * has started, and what came after waits for it:
			 * each request runs from the config it was sent for.
			 */
			if (i > 0)
				return;
			runner_reload_now(rs);
			runner_unqueue(rs, 0);
			continue;
		}
		if (runner_lane_busy(rs, rs->rs_pend[i].rq_lane)) {
			i++;
			continue;
		}
		for (k = NULL, j = 0; j < RUNNER_MAX_CHILDREN; j++)
			if (rs->rs_kids[j].rc_pid == 0) {
				k = &rs->rs_kids[j];
				break;
			}
		if (k == NULL)
			return;
		runner_spawn(rs, k, &rs->rs_pend[i]);
		runner_unqueue(rs, i);
	}
}

static void
runner_reload_now(struct runner_state *rs)
{
	struct config *cf;

	if ((cf = rs->rs_load(rs->rs_arg)) == NULL) {
		log_warnx("runner: reload failed; its commands stay");
		return;
	}
	free(rs->rs_cf);
	rs->rs_cf = cf;
}

static void
runner_queue(struct runner_state *rs, const struct runner_req *rq)
{
	if (rs->rs_npend >= RUNNER_MAX_PENDING) {
		log_warnx("runner: %d commands waiting; %s %u not run",
		    rs->rs_npend, runner_what(rq->rq_kind), rq->rq_index);
		runner_reply(rs, rq->rq_id, RUNNER_BUSY);
		return;
	}
	rs->rs_pend[rs->rs_npend++] = *rq;
}

static void
runner_reap(struct runner_state *rs)
{
	struct runner_child *k;
	pid_t pid;
	int st, i, status;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < RUNNER_MAX_CHILDREN; i++) {
			k = &rs->rs_kids[i];
			if (k->rc_pid != pid)
				continue;
			if (k->rc_killed)
				status = RUNNER_TIMEOUT;
			else if (WIFEXITED(st))
				status = WEXITSTATUS(st);
			else
				status = RUNNER_SIGNAL;
			if (k->rc_req.rq_kind == RUNNER_FIFO)
				log_info("notify_fifo_script of %s ended",
				    rs->rs_cf->cf_fifo[k->rc_req.rq_index %
				    2].cfi_path);
			runner_reply(rs, k->rc_req.rq_id, status);
			k->rc_pid = 0;
		}
	}
}

/* Kills what overran; returns the poll timeout to the next deadline. */
static int
runner_deadlines(struct runner_state *rs)
{
	uint64_t now = mono_usec(), next = 0;
	struct runner_child *k;
	int i;

	for (i = 0; i < RUNNER_MAX_CHILDREN; i++) {
		k = &rs->rs_kids[i];
		if (k->rc_pid == 0 || k->rc_killed ||
		    k->rc_deadline == UINT64_MAX)
			continue;
		if (now >= k->rc_deadline) {
			kill(-k->rc_pid, SIGKILL);
			kill(k->rc_pid, SIGKILL);
			k->rc_killed = 1;
		} else if (next == 0 || k->rc_deadline < next)
			next = k->rc_deadline;
	}
	return next ? (int)((next - now) / 1000 + 1) : -1;
}

/*
 * keepalived's shutdown_script: once, when everything of the stop ended
 * (the VIPs went before vrrpd closed our socket).  1 if it was queued.
 */
static int
runner_shutdown_script(struct runner_state *rs)
{
	const struct cfg_hook *h = &rs->rs_cf->cf_hooks[CFG_HOOK_SHUTDOWN];
	uint64_t timeout = h->ch_timeout ? h->ch_timeout : 10000000;
	struct runner_req rq;

	if (rs->rs_shutdown_done || h->ch_cmd[0] == '\0')
		return 0;
	rs->rs_shutdown_done = 1;
	memset(&rq, 0, sizeof(rq));
	rq.rq_kind = RUNNER_SHUTDOWN;
	rq.rq_timeout_ms = (uint32_t)(timeout / 1000);
	rq.rq_hash = runner_hash(h->ch_cmd);
	runner_queue(rs, &rq);
	return 1;
}

/*
 * vrrpd is stopping: checks nobody waits for go at once; notify commands
 * (notify_stop above all) still run, in their lanes' order and within
 * their timeouts, and vrrpd waits for us, so they are done before it
 * exits.
 */
static void
runner_drain(struct runner_state *rs, int sfd)
{
	struct signalfd_siginfo si;
	struct pollfd pfd;
	int i, j, left;

	rs->rs_sock = -1;
	for (i = 0; i < RUNNER_MAX_CHILDREN; i++)
		if (rs->rs_kids[i].rc_pid &&
		    rs->rs_kids[i].rc_req.rq_kind == RUNNER_SCRIPT) {
			kill(-rs->rs_kids[i].rc_pid, SIGKILL);
			rs->rs_kids[i].rc_killed = 1;
		} else if (rs->rs_kids[i].rc_pid &&
		    rs->rs_kids[i].rc_req.rq_kind == RUNNER_FIFO)
			/*
			 * A FIFO's reader sees its end once vrrpd closes it;
			 * it gets a while to read the STOP lines, as a notify.
			 */
			rs->rs_kids[i].rc_deadline = mono_usec() +
			    RUNNER_FIFO_GRACE;
	for (i = j = 0; i < rs->rs_npend; i++)
		if (rs->rs_pend[i].rq_kind != RUNNER_SCRIPT)
			rs->rs_pend[j++] = rs->rs_pend[i];
	rs->rs_npend = j;
	for (;;) {
		runner_reap(rs);
		runner_pump(rs);
		for (left = rs->rs_npend, i = 0; i < RUNNER_MAX_CHILDREN; i++)
			left += rs->rs_kids[i].rc_pid != 0;
		if (left == 0 && runner_shutdown_script(rs))
			continue;
		if (left == 0)
			return;
		pfd = (struct pollfd){ sfd, POLLIN, 0 };
		if (poll(&pfd, 1, runner_deadlines(rs)) == -1 &&
		    errno != EINTR)
			return;
		if (pfd.revents)
			while (read(sfd, &si, sizeof(si)) > 0)
				;
	}
}

static void __attribute__((noreturn))
runner_main(struct runner_state *rs)
{
	struct signalfd_siginfo si;
	struct runner_req rq;
	struct pollfd pfd[2];
	sigset_t mask;
	ssize_t r;
	int sfd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "vrrpd-runner");
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);		/* keepalived's STATS, JSON */
	sigaddset(&mask, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &mask, &rs->rs_oldmask);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	if ((sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		_exit(1);
	for (;;) {
		pfd[0] = (struct pollfd){ rs->rs_sock, POLLIN, 0 };
		pfd[1] = (struct pollfd){ sfd, POLLIN, 0 };
		if (poll(pfd, 2, runner_deadlines(rs)) == -1 &&
		    errno != EINTR)
			break;
		if (pfd[1].revents)
			while (read(sfd, &si, sizeof(si)) > 0)
				;
		runner_reap(rs);
		/* what vrrpd sent before closing (notify_stop) runs first */
		while ((r = recv(rs->rs_sock, &rq, sizeof(rq), MSG_DONTWAIT)) ==
		    (ssize_t)sizeof(rq))
			runner_queue(rs, &rq);
		runner_pump(rs);
		if (r == 0 || (pfd[0].revents & (POLLHUP | POLLERR)))
			break;
	}
	runner_drain(rs, sfd);
	_exit(0);
}

int
runner_start(struct runner *rn, const struct config *cf, runner_load_fn load,
    void *arg)
{
	struct runner_state *rs;
	int sv[2], bufsz;
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
		if ((rs = calloc(1, sizeof(*rs))) == NULL ||
		    (rs->rs_cf = malloc(sizeof(*cf))) == NULL)
			_exit(1);
		memcpy(rs->rs_cf, cf, sizeof(*cf));
		rs->rs_load = load;
		rs->rs_arg = arg;
		rs->rs_sock = sv[1];
		runner_main(rs);
	}
	close(sv[1]);
	/*
	 * Room for thousands of queued requests, so that a burst of state
	 * changes never meets a full socket (still logged if it does).
	 */
	bufsz = 4 << 20;
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &bufsz,
	    sizeof(bufsz)) == -1)
		(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &bufsz,
		    sizeof(bufsz));
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == -1) {
		close(sv[0]);
		return -1;
	}
	rn->rn_fd = sv[0];
	rn->rn_pid = pid;
	return 0;
}

int
runner_run(struct runner *rn, const struct config *cf, struct runner_req *rq)
{
	const char *cmd, *user, *group;

	if ((cmd = runner_cmd(cf, (int)rq->rq_kind, (int)rq->rq_index, &user,
	    &group)) == NULL)
		return -1;
	rq->rq_hash = runner_hash(cmd);
	return send(rn->rn_fd, rq, sizeof(*rq), 0) == sizeof(*rq) ? 0 : -1;
}

int
runner_reload(struct runner *rn)
{
	struct runner_req rq;

	memset(&rq, 0, sizeof(rq));
	rq.rq_kind = RUNNER_RELOAD;
	return send(rn->rn_fd, &rq, sizeof(rq), 0) == sizeof(rq) ? 0 : -1;
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
