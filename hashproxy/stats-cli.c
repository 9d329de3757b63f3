/* SPDX-License-Identifier: ISC */
/*
 * The stats sockets and their sessions: haproxy's levels (user <
 * operator < admin, per socket, lowered by "operator" and "user" within
 * a session), its expert and experimental modes (accepted: hashproxy
 * has no command they unlock), "show cli level|sockets", and a log line
 * naming the client (SO_PEERCRED) for each command that changes state.
 * As haproxy in non-interactive mode: one line of commands separated by
 * ';', each answer ending with an empty line, then the connection
 * closes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "log.h"
#include "stats-cmd.h"
#include "ctlsock.h"
#include "hashproxy.h"
#include "stats.h"

#define STATS_MAXLINE	4096

/* struct ctlpeer's cp_flags */
#define STATS_EXPERT		0x1
#define STATS_EXPERIMENTAL	0x2

struct stats_sock {
	struct hp_ctx	*sk_ctx;
	struct ctlsock	*sk_cs;
	char		 sk_path[CF_PATHLEN];
	int		 sk_level;
};

static const char *
stats_level_name(int level)
{
	return level == CF_STATS_ADMIN ? "admin" :
	    level == CF_STATS_OPER ? "operator" : "user";
}

/* The command as the log shows it: bounded, control bytes made '?'. */
static void
stats_log_change(const struct stats_sock *sk, const struct ctlpeer *p,
    const char *line)
{
	/* the line whole: it names what changed (a long server) */
	char text[CTL_MAXLINE + 1];
	size_t i;

	snprintf(text, sizeof(text), "%s", line);
	for (i = 0; text[i] != '\0'; i++)
		if (!isprint((unsigned char)text[i]))
			text[i] = '?';
	log_info_rl("stats socket %s: \"%s\" by uid %ld pid %ld", sk->sk_path,
	    text, p->cp_uid == (uid_t)-1 ? -1L : (long)p->cp_uid,
	    (long)p->cp_pid);
}

static void
stats_mode(struct ctlpeer *p, const struct ctl_cmd *cmd, struct evbuffer *out)
{
	int bit = cmd->cc_state == CTL_MODE_EXPERT ? STATS_EXPERT :
	    STATS_EXPERIMENTAL;

	if (cmd->cc_weight == -1)
		evbuffer_add_printf(out, "%s is %s\n",
		    bit == STATS_EXPERT ? "expert-mode" : "experimental-mode",
		    p->cp_flags & bit ? "ON" : "OFF");
	else if (cmd->cc_weight)
		p->cp_flags |= bit;
	else
		p->cp_flags &= ~bit;
}

static void
stats_cli_sockets(const struct hp_ctx *ctx, struct evbuffer *out)
{
	int i;

	evbuffer_add_printf(out, "# socket lvl processes\n");
	for (i = 0; i < ctx->c_nsocks; i++)
		evbuffer_add_printf(out, "unix@%s %s all\n",
		    ctx->c_socks[i].sk_path,
		    stats_level_name(ctx->c_socks[i].sk_level));
}

/* One command of the line: parsed, allowed at the session's level, run. */
static void
stats_command(struct stats_sock *sk, struct ctlpeer *p, const char *line,
    struct evbuffer *out)
{
	struct hp_ctx *ctx = sk->sk_ctx;
	struct ctl_cmd cmd;
	char err[256];

	if (control_parse(line, strlen(line), &cmd, err, sizeof(err)) == -1) {
		evbuffer_add_printf(out, "%s\n", err);
		if (strncmp(err, "Unknown", 7) == 0)
			stats_help(out);
		return;
	}
	if (control_level(&cmd) > p->cp_level) {
		evbuffer_add_printf(out, "Permission denied\n");
		return;
	}
	if (control_changes(&cmd))
		stats_log_change(sk, p, line);
	switch (cmd.cc_op) {
	case CTL_LEVEL:
		p->cp_level = cmd.cc_state;
		break;
	case CTL_MODE:
		stats_mode(p, &cmd, out);
		break;
	case CTL_SHOW_CLI_LEVEL:
		evbuffer_add_printf(out, "%s\n", stats_level_name(p->cp_level));
		break;
	case CTL_SHOW_CLI_SOCKETS:
		stats_cli_sockets(ctx, out);
		break;
	case CTL_SHOW_STAT:
		/* as haproxy: addresses are for operators */
		cmd.cc_stat.st_noaddr = p->cp_level < CF_STATS_OPER;
		stats_exec(ctx, &cmd, out);
		break;
	default:
		stats_exec(ctx, &cmd, out);
		break;
	}
}

/* ctlsock_sess_fn: the line's commands, separated by ';'. */
static void
stats_line(void *arg, struct ctlpeer *p, char *line, size_t len,
    struct evbuffer *out)
{
	struct stats_sock *sk = arg;
	char *cmd, *save = NULL;

	thread_lock(sk->sk_ctx);
	for (cmd = strtok_r(line, ";", &save); cmd != NULL;
	    cmd = strtok_r(NULL, ";", &save)) {
		/* as haproxy, each reply ends with an empty line; ctlsock
		 * adds the last one */
		if (cmd != line)
			evbuffer_add(out, "\n", 1);
		stats_command(sk, p, cmd, out);
	}
	if (len == 0)
		stats_command(sk, p, "", out);
	thread_unlock(sk->sk_ctx);
}

static int
stats_open_one(struct hp_ctx *ctx, const char *path, int level,
    const struct cf_statsock *ss)
{
	struct stats_sock *sk = &ctx->c_socks[ctx->c_nsocks];
	struct ctlsock_conf cf = {
		.path = path,
		.maxline = STATS_MAXLINE,
		.oneshot = 1,
		.prompt = 1,
		.toolong = "Command too long.",
		.sesscmd = stats_line,
		.arg = sk,
		.level = level,
		.timeout_ms = ctx->c_cf.cf_stats_timeout,
		.maxclients = ctx->c_cf.cf_stats_maxconn,
	};
	char err[256];

	if (ss != NULL) {
		cf.mode = (mode_t)ss->ss_mode;
		if (ss->ss_maxconn != 0)
			cf.maxclients = ss->ss_maxconn;
		cf.setowner = ss->ss_uid != -1 || ss->ss_gid != -1;
		cf.uid = (uid_t)ss->ss_uid;
		cf.gid = (gid_t)ss->ss_gid;
	}
	sk->sk_ctx = ctx;
	snprintf(sk->sk_path, sizeof(sk->sk_path), "%s", path);
	sk->sk_level = level;
	if ((sk->sk_cs = ctlsock_open(ctx->c_base, &cf, err,
	    sizeof(err))) == NULL) {
		log_warnx("stats socket %s", err);
		return -1;
	}
	ctx->c_nsocks++;
	return 0;
}

/*
 * --control is the operator's own socket: admin, and the config's
 * sockets are not opened.  The sockets stay as opened across reloads.
 */
int
stats_open(struct hp_ctx *ctx)
{
	const struct cf_config *cf = &ctx->c_cf;
	int i, n = ctx->c_control_opt != NULL ? 1 : cf->cf_nstats;

	if (n == 0)
		return 0;
	if ((ctx->c_socks = calloc((size_t)n, sizeof(*ctx->c_socks))) ==
	    NULL) {
		log_warn("stats socket");
		return -1;
	}
	if (ctx->c_control_opt != NULL)
		return stats_open_one(ctx, ctx->c_control_opt,
		    CF_STATS_ADMIN, NULL);
	for (i = 0; i < n; i++)
		if (stats_open_one(ctx, cf->cf_stats[i].ss_path,
		    cf->cf_stats[i].ss_level, &cf->cf_stats[i]) == -1)
			return -1;
	return 0;
}

void
stats_close(struct hp_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->c_nsocks; i++)
		ctlsock_close(ctx->c_socks[i].sk_cs);
	free(ctx->c_socks);
	ctx->c_socks = NULL;
	ctx->c_nsocks = 0;
}
