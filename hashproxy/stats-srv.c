/* SPDX-License-Identifier: ISC */
/*
 * The stats socket's commands on one server (haproxy's enable/disable
 * server, set server state|weight|addr, set/get weight, shutdown
 * sessions server) and "show servers conn".  Each changes what the next
 * connections do through server-state.c's setters; answers and errors are
 * haproxy 2.6's words.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/buffer.h>

#include "stats-cmd.h"
#include "hashproxy.h"
#include "stats.h"

/* haproxy's idle connection pools: their defaults, none used at L4 */
#define STATSSRV_PURGE_DELAY	5000	/* pool-purge-delay, ms */

static struct hp_server *
statssrv_find(struct hp_ctx *ctx, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	struct hp_server *s;

	if (backend_find(ctx, cmd->cc_backend) == NULL) {
		evbuffer_add_printf(out, "No such backend.\n");
		return NULL;
	}
	if ((s = backend_find_server(ctx, cmd->cc_backend,
	    cmd->cc_server)) == NULL)
		evbuffer_add_printf(out, "No such server.\n");
	return s;
}

static void
statssrv_host(const struct sockaddr *sa, char *h, size_t hl, int *port)
{
	if (sockaddr_text(sa, h, hl, port) == -1) {
		snprintf(h, hl, "-");
		*port = 0;
	}
}

/*
 * A relative weight is a percentage of the configured one, capped at
 * 256; a static algorithm (map-based hash) takes 0 or the configured
 * weight only, as haproxy.
 */
static void
statssrv_weight(struct hp_server *s, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	long w = cmd->cc_weight;

	if (cmd->cc_relative) {
		w = (long)s->s_iweight * w / 100;
		if (w > 256)
			w = 256;
	}
	if (!backend_dynamic_weights(s->s_be) && w != 0 &&
	    w != s->s_iweight) {
		evbuffer_add_printf(out, "Backend is using a static LB "
		    "algorithm and only accepts weights '0%%' and '100%%'.\n");
		return;
	}
	server_set_weight(s, (int)w);
}

/* haproxy's answer names what changed, from what, to what */
static void
statssrv_addr(struct hp_server *s, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	struct sockaddr_storage ss = cmd->cc_ss;
	char oh[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN];
	int op, np;

	statssrv_host((const struct sockaddr *)&s->s_cf.sv_addr.ca_ss, oh,
	    sizeof(oh), &op);
	np = cmd->cc_port >= 0 ? cmd->cc_port : op;
	sockaddr_set_port(&ss, np);
	statssrv_host((const struct sockaddr *)&ss, nh, sizeof(nh), &np);
	if (server_set_addr(s, (const struct sockaddr *)&ss, cmd->cc_sslen,
	    "stats socket command") == -1) {
		evbuffer_add_printf(out, "Invalid addr '%s' by 'stats socket "
		    "command'\n", nh);
		return;
	}
	if (strcmp(oh, nh) != 0)
		evbuffer_add_printf(out, "IP changed from '%s' to '%s'", oh,
		    nh);
	else
		evbuffer_add_printf(out, "no need to change the addr");
	if (cmd->cc_badport)
		evbuffer_add_printf(out, ", problem converting port '%s' to "
		    "an int", cmd->cc_portword);
	else if (cmd->cc_port < 0)
		;
	else if (op != np)
		evbuffer_add_printf(out, ", port changed from '%d' to '%d'",
		    op, np);
	else
		evbuffer_add_printf(out, ", no need to change the port");
	evbuffer_add_printf(out, " by 'stats socket command'\n");
}

/*
 * "health up|down" forces the check's verdict until the next check says
 * otherwise, as haproxy; a server without checks keeps it.  haproxy's
 * third state, stopping, has no equal here: refused.
 */
static void
statssrv_health(struct hp_server *s, int h, struct evbuffer *out)
{
	switch (h) {
	case CTL_HEALTH_UP:
		s->s_health = s->s_cf.sv_rise + s->s_cf.sv_fall - 1;
		server_set_op(s, SRV_UP, "changed from CLI");
		break;
	case CTL_HEALTH_DOWN:
		s->s_health = 0;
		server_set_op(s, SRV_DOWN, "changed from CLI");
		break;
	default:
		evbuffer_add_printf(out, "'set server <srv> health stopping' "
		    "is not supported by hashproxy (no stopping state; 'set "
		    "server <srv> state drain' is the nearest).\n");
		break;
	}
}

/* "check-port N", "check-addr A [port N]": the next check uses them */
static void
statssrv_check(struct hp_server *s, const struct ctl_cmd *cmd)
{
	if (cmd->cc_op == CTL_SET_CHKADDR) {
		s->s_chk_ss = cmd->cc_ss;
		s->s_chk_sslen = cmd->cc_sslen;
	}
	if (cmd->cc_port >= 0)
		s->s_cf.sv_checkport = cmd->cc_port;
}

/*
 * haproxy's "enable|disable health": a disabled check stops and the
 * server reads as unchecked ("no check" while up) and keeps its state;
 * the agent goes on.  Until "enable health" or the next reload.
 */
static void
statssrv_health_onoff(struct hp_server *s, int on, struct evbuffer *out)
{
	if (on && !s->s_cf.sv_check && !s->s_chk_off) {
		evbuffer_add_printf(out, "Health check was not configured on "
		    "this server, cannot enable.\n");
		return;
	}
	if (on) {
		s->s_chk_off = 0;
		s->s_cf.sv_check = 1;
		check_start(s);
	} else if (s->s_cf.sv_check) {
		check_pause(s);
		s->s_chk_off = 1;
		s->s_cf.sv_check = 0;
	}
}

/* haproxy's invalid_domainchar(): letters, digits, '-', '.', '_' */
static int
statssrv_fqdn_ok(const char *name)
{
	return strlen(name) < CF_HOSTLEN && name[strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-._")] == '\0';
}

/*
 * "set server B/S fqdn NAME" (resolvers only): the name the resolvers
 * ask from the next tick on; the address stays until an answer moves
 * it.  Until the next reload.  haproxy's answer, its "FDQN" too.
 */
static void
statssrv_fqdn(struct hp_server *s, const char *name, struct evbuffer *out)
{
	struct cf_server *cs = &s->s_cf;

	if (strcmp(cs->sv_fqdn, name) == 0)
		evbuffer_add_printf(out, "no need to change the FDQN");
	else if (!statssrv_fqdn_ok(name))
		evbuffer_add_printf(out, "invalid fqdn '%s'", name);
	else {
		/* haproxy prints its NULL hostname of an address */
		evbuffer_add_printf(out, "%s/%s changed its FQDN from %s to %s",
		    s->s_be->b_cf.be_name, cs->sv_name, cs->sv_fqdn[0] != '\0' ?
		    cs->sv_fqdn : "(null)", name);
		snprintf(cs->sv_fqdn, sizeof(cs->sv_fqdn), "%s", name);
		s->s_dns_last = 0;
	}
	evbuffer_add_printf(out, " by 'stats socket command'\n");
}

/*
 * "set maxconn server": a static limit (minconn none or equal) stays
 * static, as haproxy's; a raised one lets the queue in at once.  A
 * negative one is no limit here, as it is to haproxy's unsigned count.
 */
static void
statssrv_maxconn(struct hp_server *s, int v)
{
	struct cf_server *cs = &s->s_cf;

	if (cs->sv_minconn == cs->sv_maxconn)
		cs->sv_minconn = v;
	cs->sv_maxconn = v;
	queue_dequeue_locked(s);
}

/* The argument errors haproxy gives once the server is found, in order. */
static int
statssrv_refuse(const struct hp_server *s, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	if (cmd->cc_op == CTL_SET_HEALTH && s->s_track != NULL) {
		evbuffer_add_printf(out, "cannot change health on a tracking "
		    "server.\n");
		return 1;
	}
	/* configured is enough, as haproxy: "disable health" keeps it so */
	if ((cmd->cc_op == CTL_SET_CHKPORT || cmd->cc_op == CTL_SET_CHKADDR) &&
	    cmd->cc_state == 0 && !s->s_cf.sv_check && !s->s_chk_off) {
		/* a warning in haproxy: no newline of its own */
		evbuffer_add_printf(out, "health checks are not enabled on "
		    "this server");
		return 1;
	}
	if ((cmd->cc_op == CTL_SET_AGTPORT || cmd->cc_op == CTL_SET_AGTADDR) &&
	    cmd->cc_state == 0 && !s->s_cf.sv_agent) {
		evbuffer_add_printf(out, "agent checks are not enabled on "
		    "this server");
		return 1;
	}
	if (cmd->cc_op == CTL_SET_FQDN && s->s_cf.sv_resolvers[0] == '\0') {
		evbuffer_add_printf(out, "set server <b>/<s> fqdn failed "
		    "because no resolution is configured.\n");
		return 1;
	}
	if (cmd->cc_err[0] != '\0') {
		evbuffer_add_printf(out, cmd->cc_rawerr ? "%s" : "%s\n",
		    cmd->cc_err);
		return 1;
	}
	return 0;
}

void
statssrv_run(struct hp_ctx *ctx, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	struct hp_server *s;

	if ((s = statssrv_find(ctx, cmd, out)) == NULL)
		return;
	if (statssrv_refuse(s, cmd, out))
		return;
	switch (cmd->cc_op) {
	case CTL_ENABLE:
		server_set_admin(s, ADM_READY);
		break;
	case CTL_DISABLE:
		server_set_admin(s, ADM_MAINT);
		break;
	case CTL_SET_STATE:
		server_set_admin(s, (enum srv_admin)cmd->cc_state);
		break;
	case CTL_SET_WEIGHT:
		statssrv_weight(s, cmd, out);
		break;
	case CTL_GET_WEIGHT:
		evbuffer_add_printf(out, "%d (initial %d)\n",
		    s->s_cf.sv_weight, s->s_iweight);
		break;
	case CTL_SET_ADDR:
		statssrv_addr(s, cmd, out);
		break;
	case CTL_SHUTDOWN_SRV:
		(void)conn_shutdown_sessions_locked(s);
		break;
	case CTL_SET_HEALTH:
		statssrv_health(s, cmd->cc_state, out);
		break;
	case CTL_SET_CHKPORT:
	case CTL_SET_CHKADDR:
		statssrv_check(s, cmd);
		break;
	case CTL_ENABLE_HEALTH:
	case CTL_DISABLE_HEALTH:
		statssrv_health_onoff(s, cmd->cc_op == CTL_ENABLE_HEALTH, out);
		break;
	case CTL_SET_MAXCONN_SRV:
		statssrv_maxconn(s, cmd->cc_weight);
		break;
	case CTL_SET_FQDN:
		statssrv_fqdn(s, cmd->cc_arg, out);
		break;
	case CTL_ENABLE_AGENT:
	case CTL_DISABLE_AGENT:
	case CTL_SET_AGENT:
	case CTL_SET_AGTADDR:
	case CTL_SET_AGTPORT:
	case CTL_SET_AGTSEND:
		statsagent_run(s, cmd, out);
		break;
	default:
		break;
	}
}

/*
 * haproxy 2.6's "show servers conn": its idle connection pools, which
 * an L4 proxy does not keep (0); used_cur is the server's current
 * connections, used_max the most it had.
 */
void
statssrv_conn(struct hp_ctx *ctx, const char *bname, struct evbuffer *out)
{
	int b, k, t;

	if (bname[0] != '\0' && backend_find(ctx, bname) == NULL) {
		evbuffer_add_printf(out, "Can't find backend.\n");
		return;
	}
	evbuffer_add_printf(out, "# bkname/svname bkid/svid addr port - "
	    "purge_delay used_cur used_max need_est unsafe_nb safe_nb "
	    "idle_lim idle_cur idle_per_thr[%d]\n", ctx->c_nw);
	for (b = 0; b < ctx->c_nbe; b++) {
		struct hp_backend *be = ctx->c_be[b];

		if (bname[0] != '\0' && strcmp(bname, be->b_cf.be_name) != 0)
			continue;
		for (k = 0; k < be->b_nsrv; k++) {
			struct hp_server *s = stats_server_at(be, k);
			char h[INET6_ADDRSTRLEN];
			int port;

			if (s == NULL)
				continue;
			statssrv_host((const struct sockaddr *)
			    &s->s_cf.sv_addr.ca_ss, h, sizeof(h), &port);
			/* a mapped port: haproxy prints the offset, unsigned */
			if (s->s_cf.sv_portmap)
				port = s->s_cf.sv_portoff;
			evbuffer_add_printf(out, "%s/%s %d/%d %s %u - %d %d %d "
			    "0 0 0 -1 0", be->b_cf.be_name, s->s_cf.sv_name,
			    stats_be_iid(ctx, b), s->s_cf.sv_id, h,
			    (unsigned int)port,
			    STATSSRV_PURGE_DELAY, s->s_cur, s->s_max);
			for (t = 0; t < ctx->c_nw; t++)
				evbuffer_add_printf(out, " 0");
			evbuffer_add(out, "\n", 1);
		}
	}
}
