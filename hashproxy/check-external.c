/* SPDX-License-Identifier: ISC */
/*
 * option external-check as haproxy 2.6 runs it (measured with a script
 * that dumps what it is given):
 *	COMMAND PROXY_ADDR PROXY_PORT SERVER_ADDR SERVER_PORT
 * where the proxy's address is the first bind of a listen section and
 * "NOT_USED" for a backend; an environment of nothing but PATH (external-
 * check path, else empty, which is where COMMAND is looked for too) and
 * the HAPROXY_* variables below; stdin /dev/null.  Exit 0 is PROCOK,
 * another code PROCERR with that code as check_code; a command still
 * running after inter is sent SIGTERM and the check is PROCTOUT.
 *
 * posix_spawn, not fork: hashproxy has threads, and a forked copy of a
 * threaded process may only call async-signal-safe functions until it
 * execs.  The child is watched through a pidfd in the main loop: no
 * SIGCHLD handler, and no other child can be reaped by mistake.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "duration.h"
#include "log.h"
#include "check.h"
#include "check-external.h"
#include "stats.h"

/* haproxy's child exits with -1, 255, when exec fails */
#define EXT_EXECFAIL	255
#define EXT_NENV	13

struct hp_extcheck {
	struct hp_ctx	*x_ctx;
	struct hp_server *x_srv;	/* NULL: stopped, only to be reaped */
	pid_t		 x_pid;
	int		 x_pidfd;
	struct event	*x_exit;	/* the pidfd is readable: it ended */
	struct event	*x_tmo;		/* inter passed */
};

/* What the command is given; the strings are the caller's to free. */
struct ext_args {
	char	*ea_argv[6];
	char	*ea_env[EXT_NENV + 1];
};

static void
ext_free(struct hp_extcheck *x)
{
	if (x->x_exit != NULL)
		event_free(x->x_exit);
	if (x->x_tmo != NULL)
		event_free(x->x_tmo);
	if (x->x_pidfd != -1)
		close(x->x_pidfd);
	free(x);
}

static void
ext_args_free(struct ext_args *ea)
{
	int i;

	for (i = 1; i < 5; i++)
		free(ea->ea_argv[i]);
	for (i = 0; i < EXT_NENV; i++)
		free(ea->ea_env[i]);
}

/* *dst = the formatted string, or NULL (-1) out of memory */
static int __attribute__((format(printf, 2, 3)))
ext_str(char **dst, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(dst, fmt, ap);
	va_end(ap);
	if (n == -1)
		*dst = NULL;
	return n == -1 ? -1 : 0;
}

/* ss's address and port as text, "" and "" if it has none */
static void
ext_addr(const struct sockaddr_storage *ss, char *addr, size_t alen,
    char *port, size_t plen)
{
	int p;

	if (sockaddr_text((const struct sockaddr *)ss, addr, alen, &p) == -1)
		addr[0] = port[0] = '\0';
	else
		snprintf(port, plen, "%d", p);
}

/* The listen section backend b is half of, if it has a bind: NULL for a
 * backend section. */
static const struct cf_frontend *
ext_listen(const struct hp_ctx *ctx, int b)
{
	int f = config_listen_frontend(&ctx->c_cf, b);

	return f != -1 && ctx->c_cf.cf_frontends[f].fe_nbinds > 0 ?
	    &ctx->c_cf.cf_frontends[f] : NULL;
}

static int
ext_be_index(const struct hp_ctx *ctx, const struct hp_backend *be)
{
	int i;

	for (i = 0; i < ctx->c_nbe; i++)
		if (ctx->c_be[i] == be)
			return i;
	return -1;
}

/* argv and environment as haproxy's; -1 out of memory */
static int
ext_args(struct hp_server *s, struct ext_args *ea)
{
	struct hp_ctx *ctx = s->s_be->b_ctx;
	const struct cf_backend *b = &s->s_be->b_cf;
	int bi = ext_be_index(ctx, s->s_be);
	const struct cf_frontend *li = ext_listen(ctx, bi);
	char pa[INET6_ADDRSTRLEN] = "", pp[8] = "", sa[INET6_ADDRSTRLEN],
	    sp[8];
	int n = 0;

	memset(ea, 0, sizeof(*ea));
	if (li != NULL)
		ext_addr(&li->fe_binds[0].ca_ss, pa, sizeof(pa), pp,
		    sizeof(pp));
	ext_addr(&s->s_cf.sv_addr.ca_ss, sa, sizeof(sa), sp, sizeof(sp));
	ea->ea_argv[0] = (char *)b->be_extcmd;
	if (ext_str(&ea->ea_argv[1], "%s", li ? pa : "NOT_USED") == -1 ||
	    ext_str(&ea->ea_argv[2], "%s", li ? pp : "NOT_USED") == -1 ||
	    ext_str(&ea->ea_argv[3], "%s", sa) == -1 ||
	    ext_str(&ea->ea_argv[4], "%s", sp) == -1)
		return -1;
	/* sorted as env(1) prints haproxy's */
	if (ext_str(&ea->ea_env[n++], "HAPROXY_PROXY_ADDR=%s", pa) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_PROXY_ID=%d",
	    stats_be_iid(ctx, bi)) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_PROXY_NAME=%s",
	    b->be_name) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_PROXY_PORT=%s", pp) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_ADDR=%s", sa) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_CURCONN=%d",
	    s->s_cur) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_ID=%d",
	    s->s_cf.sv_id) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_MAXCONN=%d",
	    s->s_cf.sv_maxconn) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_NAME=%s",
	    s->s_name) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_PORT=%s", sp) == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_PROTO=tcp") == -1 ||
	    ext_str(&ea->ea_env[n++], "HAPROXY_SERVER_SSL=0") == -1 ||
	    ext_str(&ea->ea_env[n++], "PATH=%s",
	    b->be_extpath ? b->be_extpath : "") == -1)
		return -1;
	return 0;
}

/*
 * cmd as execvp finds it with PATH set to path (haproxy sets PATH, then
 * calls execvp): a name with a slash as it is, else the first executable
 * in path's directories, an empty one being the working directory.
 */
static int
ext_find(const char *cmd, const char *path, char *out, size_t len)
{
	const char *p = path, *end;
	int n;

	if (strchr(cmd, '/') != NULL)
		return snprintf(out, len, "%s", cmd) < (int)len ? 0 : -1;
	for (;;) {
		end = strchrnul(p, ':');
		n = (int)(end - p);
		if (snprintf(out, len, "%.*s%s%s", n, p, n ? "/" : "",
		    cmd) < (int)len && access(out, X_OK) == 0)
			return 0;
		if (*end == '\0')
			return -1;
		p = end + 1;
	}
}

/*
 * The child: stdin /dev/null; its stdout goes to stderr, since
 * hashproxy's stdout carries event lines for their readers; nothing
 * else inherited but SIGPIPE's default back (hashproxy ignores it).
 * 0, or an errno (exec failed too: glibc's posix_spawn says so).
 */
static int
ext_spawn(const char *file, struct ext_args *ea, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	int rc;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return rc;
	if ((rc = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	if ((rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
	    O_RDONLY, 0)) == 0 &&
	    (rc = posix_spawn_file_actions_adddup2(&fa, 2, 1)) == 0 &&
	    (rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) == 0 &&
	    (rc = posix_spawnattr_setsigmask(&at, &none)) == 0 &&
	    (rc = posix_spawnattr_setsigdefault(&at, &dfl)) == 0 &&
	    (rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF)) == 0)
		rc = posix_spawn(pid, file, &fa, &at, ea->ea_argv,
		    ea->ea_env);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* The command ended with code (-1: killed by a signal). */
static void
ext_result(struct hp_server *s, int code)
{
	char desc[64];

	s->s_ext_code = code;
	if (code == 0)
		check_done(s, 1, "PROCOK", 0, "External check passed, code: 0");
	else {
		snprintf(desc, sizeof(desc), "External check error, code: %d",
		    code);
		check_done(s, 0, "PROCERR", code, desc);
	}
}

static void
ext_exited(evutil_socket_t fd, short what, void *arg)
{
	struct hp_extcheck *x = arg;
	struct hp_ctx *ctx = x->x_ctx;
	int st = 0;

	if (waitpid(x->x_pid, &st, WNOHANG) == 0) {
		/* readable before it is a zombie: cannot be, wait again */
		event_add(x->x_exit, NULL);
		return;
	}
	thread_lock(ctx);
	if (x->x_srv != NULL) {
		x->x_srv->s_ext = NULL;
		ext_result(x->x_srv, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	thread_unlock(ctx);
	ext_free(x);
}

/* inter passed: haproxy sends SIGTERM and says PROCTOUT at once */
static void
ext_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct hp_extcheck *x = arg;
	struct hp_ctx *ctx = x->x_ctx;
	struct hp_server *s;
	char desc[64];

	thread_lock(ctx);
	if ((s = x->x_srv) != NULL) {
		kill(x->x_pid, SIGTERM);
		x->x_srv = NULL;
		s->s_ext = NULL;
		/* haproxy leaves the last command's code in check_code */
		snprintf(desc, sizeof(desc), "External check timeout, code: "
		    "%d", s->s_ext_code);
		check_done(s, 0, "PROCTOUT", s->s_ext_code, desc);
	}
	thread_unlock(ctx);
}

/* The spawned child, watched; -1 (it is killed and reaped) on failure. */
static int
ext_watch(struct hp_ctx *ctx, struct hp_extcheck *x, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);
	int st;

	x->x_pidfd = (int)syscall(SYS_pidfd_open, x->x_pid, 0);
	if (x->x_pidfd == -1 ||
	    (x->x_exit = event_new(ctx->c_base, x->x_pidfd, EV_READ,
	    ext_exited, x)) == NULL ||
	    (x->x_tmo = evtimer_new(ctx->c_base, ext_timeout, x)) == NULL ||
	    event_add(x->x_exit, NULL) == -1 || evtimer_add(x->x_tmo, &tv) ==
	    -1) {
		kill(x->x_pid, SIGKILL);
		waitpid(x->x_pid, &st, 0);
		return -1;
	}
	return 0;
}

void
extcheck_run(struct hp_server *s)
{
	struct hp_ctx *ctx = s->s_be->b_ctx;
	const struct cf_backend *b = &s->s_be->b_cf;
	struct hp_extcheck *x;
	struct ext_args ea;
	char file[PATH_MAX];
	int err = ENOMEM;

	extcheck_stop(s);
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		check_done(s, 0, "SOCKERR", 0, "Socket error");
		return;
	}
	x->x_pidfd = -1;
	x->x_ctx = ctx;
	if (b->be_extcmd == NULL || ext_args(s, &ea) == -1)
		err = ENOMEM;
	else if (ext_find(b->be_extcmd, b->be_extpath ? b->be_extpath : "",
	    file, sizeof(file)) == -1)
		err = ENOENT;
	else
		err = ext_spawn(file, &ea, &x->x_pid);
	if (b->be_extcmd != NULL)
		ext_args_free(&ea);
	if (err == 0 && ext_watch(ctx, x, s->s_cf.sv_inter) == -1)
		err = errno ? errno : ENOMEM;
	if (err != 0) {
		log_warnx_rl("server %s/%s: external check %s: %s",
		    b->be_name, s->s_name, b->be_extcmd ? b->be_extcmd : "",
		    strerror(err));
		ext_free(x);
		/* as haproxy's child, whose exec failed */
		ext_result(s, EXT_EXECFAIL);
		return;
	}
	x->x_srv = s;
	s->s_ext = x;
}

void
extcheck_stop(struct hp_server *s)
{
	struct hp_extcheck *x = s->s_ext;

	if (x == NULL)
		return;
	s->s_ext = NULL;
	x->x_srv = NULL;
	event_del(x->x_tmo);
	/* ext_exited reaps and frees it */
	kill(x->x_pid, SIGTERM);
}
