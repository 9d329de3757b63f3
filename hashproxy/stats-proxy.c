/* SPDX-License-Identifier: ISC */
/*
 * The stats socket's commands on whole proxies and the process, haproxy
 * 2.6's: show backend, disable|enable|shutdown frontend, set maxconn
 * frontend|global, show env.  Each lasts until the next reload (which
 * opens a disabled frontend again, as haproxy's).  Answers are its words,
 * so that scripts read them alike.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "log.h"

#include "stats-cmd.h"
#include "hashproxy.h"
#include "stats.h"

/* listen(2)'s backlog once enabled again: listen.c's */
#define STATSPX_BACKLOG	128

/* Every backend in config order, disabled ones too, as haproxy lists them. */
void
statspx_show_backend(struct hp_ctx *ctx, struct evbuffer *out)
{
	int b;

	evbuffer_add_printf(out, "# name\n");
	for (b = 0; b < ctx->c_nbe; b++)
		evbuffer_add_printf(out, "%s\n", ctx->c_be[b]->b_cf.be_name);
}

/*
 * The frontend named so, as haproxy's proxy_fe_by_name (a listen
 * section's too), or NULL with its answer.  *idx: its index in c_fe.
 */
static struct hp_frontend *
statspx_fe(struct hp_ctx *ctx, const char *name, int *idx,
    struct evbuffer *out)
{
	int f;

	if (name[0] == '\0') {
		evbuffer_add_printf(out, "A frontend name is expected.\n");
		return NULL;
	}
	for (f = 0; f < ctx->c_nfe; f++)
		if (strcmp(ctx->c_fe[f]->f_name, name) == 0) {
			*idx = f;
			return ctx->c_fe[f];
		}
	evbuffer_add_printf(out, "No such frontend.\n");
	return NULL;
}

/*
 * A frontend's sockets stop listening, as haproxy's paused listeners
 * (connect AF_UNSPEC on Linux): new connections are refused while the
 * port stays bound, so "enable frontend" cannot lose it.  Those
 * established go on.  -1 if one cannot listen again.
 */
static int
statspx_listen(struct hp_ctx *ctx, struct hp_frontend *fe, int on)
{
	const struct sockaddr sa = { .sa_family = AF_UNSPEC };
	struct hp_listener *l;
	int rc = 0;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry) {
		if (l->l_fe != fe)
			continue;
		if (on && listen(l->l_fd, STATSPX_BACKLOG) == -1) {
			log_warn("frontend %s: cannot listen again",
			    fe->f_name);
			rc = -1;
		} else if (!on)
			(void)connect(l->l_fd, &sa, sizeof(sa));
	}
	return rc;
}

static void
statspx_onoff(struct hp_ctx *ctx, const struct ctl_cmd *cmd,
    struct hp_frontend *fe, int disabled, struct evbuffer *out)
{
	int on = cmd->cc_op == CTL_FE_ENABLE;

	if (disabled || fe->f_stopped) {
		evbuffer_add_printf(out, "Frontend was previously shut down, "
		    "cannot %s.\n", on ? "enable" : "disable");
		return;
	}
	if (fe->f_paused == !on) {
		evbuffer_add_printf(out, "All sockets are already %s.\n",
		    on ? "enabled" : "disabled");
		return;
	}
	/* listening first, accepting after; stopping in the other order */
	fe->f_paused = 1;
	listen_resume_locked(ctx);
	if (statspx_listen(ctx, fe, on) == -1) {
		evbuffer_add_printf(out, "Failed to resume frontend, check "
		    "logs for precise cause (port conflict?).\n");
		return;
	}
	fe->f_paused = !on;
	listen_resume_locked(ctx);
}

static void
statspx_shutdown(struct hp_ctx *ctx, struct hp_frontend *fe, int disabled,
    struct evbuffer *out)
{
	if (disabled || fe->f_stopped) {
		evbuffer_add_printf(out, "Frontend was already shut down.\n");
		return;
	}
	if (!fe->f_paused)
		(void)statspx_listen(ctx, fe, 0);
	fe->f_paused = fe->f_stopped = 1;
	listen_resume_locked(ctx);
	log_info("frontend %s stopped (cumulated conns: FE: %llu)",
	    fe->f_name, (unsigned long long)fe->f_tot);
}

/* haproxy's: a frontend's limit at or above 0 (0: none, shown as 0) */
static void
statspx_maxconn_fe(struct hp_ctx *ctx, struct hp_frontend *fe,
    const struct ctl_cmd *cmd, struct evbuffer *out)
{
	if (!cmd->cc_state)
		evbuffer_add_printf(out, "Integer value expected.\n");
	else if (cmd->cc_weight < 0)
		evbuffer_add_printf(out, "Value out of range.\n");
	else {
		fe->f_maxconn = cmd->cc_weight;
		fe->f_maxconn_set = 1;
		listen_resume_locked(ctx);
	}
}

/* haproxy's: up to the maxconn applied at start or reload, 0 or less
 * going back to it */
static void
statspx_maxconn_global(struct hp_ctx *ctx, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	if (!cmd->cc_state)
		evbuffer_add_printf(out, "Expects an integer value.\n");
	else if (cmd->cc_weight > ctx->c_hardmaxconn)
		evbuffer_add_printf(out, "Value out of range.\n");
	else {
		ctx->c_maxconn = cmd->cc_weight > 0 ? cmd->cc_weight :
		    ctx->c_hardmaxconn;
		listen_resume_locked(ctx);
	}
}

/* haproxy's: the environment as the process has it (the config's
 * setenv included), or one variable */
static void
statspx_env(const char *name, struct evbuffer *out)
{
	size_t len = strlen(name);
	char **v;

	for (v = environ; *v != NULL; v++) {
		if (len != 0 && (strncmp(*v, name, len) != 0 ||
		    (*v)[len] != '='))
			continue;
		evbuffer_add_printf(out, "%s\n", *v);
		if (len != 0)
			return;
	}
	if (len != 0)
		evbuffer_add_printf(out, "Variable not found\n");
}

void
statspx_run(struct hp_ctx *ctx, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	struct hp_frontend *fe;
	int f;

	if (cmd->cc_op == CTL_SHOW_ENV) {
		statspx_env(cmd->cc_arg, out);
		return;
	}
	if (cmd->cc_op == CTL_SET_MAXCONN_GLOBAL) {
		statspx_maxconn_global(ctx, cmd, out);
		return;
	}
	if ((fe = statspx_fe(ctx, cmd->cc_backend, &f, out)) == NULL)
		return;
	switch (cmd->cc_op) {
	case CTL_FE_DISABLE:
	case CTL_FE_ENABLE:
		statspx_onoff(ctx, cmd, fe,
		    ctx->c_cf.cf_frontends[f].fe_disabled, out);
		break;
	case CTL_FE_SHUTDOWN:
		statspx_shutdown(ctx, fe,
		    ctx->c_cf.cf_frontends[f].fe_disabled, out);
		break;
	default:
		statspx_maxconn_fe(ctx, fe, cmd, out);
		break;
	}
}
