/* SPDX-License-Identifier: ISC */
/*
 * "show servers state": haproxy 2.6's format 1, a line per server with
 * its numeric states, the check's and the agent's, as haproxy writes it
 * for its server-state-file (what a script or a reload reads back).
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <event2/buffer.h>

#include "duration.h"
#include "check.h"
#include "check-agent.h"
#include "hashproxy.h"
#include "stats.h"

/*
 * "set server B/S check-addr", else the "addr" parameter, as show
 * servers state shows it; the agent's address is agent-addr, else
 * "addr"'s alone.
 */
static void
stats_ssaddr(const struct sockaddr_storage *ss, socklen_t sslen, char *buf,
    size_t len)
{
	int port;

	if (sslen == 0 || sockaddr_text((const struct sockaddr *)ss, buf, len,
	    &port) == -1)
		snprintf(buf, len, "-");
}

static void
stats_chkaddr(const struct hp_server *s, char *buf, size_t len)
{
	if (s->s_chk_sslen != 0)
		stats_ssaddr(&s->s_chk_ss, s->s_chk_sslen, buf, len);
	else
		stats_ssaddr(&s->s_cf.sv_chkaddr.ca_ss,
		    s->s_cf.sv_chkaddr.ca_sslen, buf, len);
}

/*
 * haproxy's check status (enum healthcheck_status) and the result it
 * comes with (CHK_RES_*: 2 failed, 3 passed, 4 passed with a condition)
 * as show servers state writes them: 1 (initializing, result 0) before a
 * check has ended and for a server without one.
 */
static int
stats_chk_code(const char *status, int result)
{
	static const struct {
		const char	*cc_name;
		int		 cc_status, cc_result;
	} codes[] = {
		{ "HANA", 4, 2 }, { "SOCKERR", 5, 2 }, { "L4OK", 6, 3 },
		{ "L4TOUT", 7, 2 }, { "L4CON", 8, 2 }, { "L6OK", 9, 3 },
		{ "L6TOUT", 10, 2 }, { "L6RSP", 11, 2 }, { "L7TOUT", 12, 2 },
		{ "L7RSP", 13, 2 }, { "L7OK", 15, 3 }, { "L7OKC", 16, 4 },
		{ "L7STS", 17, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(status, codes[i].cc_name) == 0)
			return result ? codes[i].cc_result : codes[i].cc_status;
	return result ? 0 : 1;
}

/* haproxy zeroes the health in maintenance (where only the check under
 * way then counts; server_enter_maint); a server without a check
 * "disabled" in the config keeps the 0 */
static int
stats_chk_health(const struct hp_server *s, int maint)
{
	if (maint)
		return s->s_mhealth;
	if (!s->s_cf.sv_check && !s->s_chk_off && s->s_cf.sv_disabled)
		return 0;
	return s->s_health;
}

/* haproxy's check state bits: 2 configured, 4 enabled, 8 paused, which
 * maintenance does to a check, and "disabled" in the config to a server
 * without one, for good */
static int
stats_chk_state(const struct hp_server *s, int maint)
{
	if (s->s_cf.sv_check)
		return 6 | (maint ? 8 : 0);
	if (s->s_chk_off)
		return 2;	/* "disable health": configured only */
	return s->s_cf.sv_disabled ? 8 : 0;
}

void
stats_show_servers(struct hp_ctx *ctx, struct evbuffer *out, const char *bn)
{
	int b, k;

	evbuffer_add_printf(out, "1\n# be_id be_name srv_id srv_name srv_addr "
	    "srv_op_state srv_admin_state srv_uweight srv_iweight "
	    "srv_time_since_last_change srv_check_status srv_check_result "
	    "srv_check_health srv_check_state srv_agent_state bk_f_forced_id "
	    "srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
	    "srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n");
	for (b = 0; b < ctx->c_nbe; b++) {
		struct hp_backend *be = ctx->c_be[b];
		int iid;

		if (bn[0] != '\0' && strcmp(bn, be->b_cf.be_name) != 0)
			continue;
		iid = stats_be_iid(ctx, b);
		for (k = 0; k < be->b_nsrv; k++) {
			struct hp_server *s = stats_server_at(be, k);
			char addr[80], *colon, chkaddr[INET6_ADDRSTRLEN];
			char agaddr[INET6_ADDRSTRLEN];
			int op, adm, maint;
			char port[16];

			if (s == NULL)
				continue;
			/* haproxy: op 0 stopped (maintenance of any kind
			 * too), 1 starting (slowstart), 2 running, 3
			 * stopping (NOLB); admin bit 1 = forced maint, 8 =
			 * forced drain, 2 and 0x10 the same inherited from a
			 * tracked server, 4 "disabled" in the config (kept
			 * once it is enabled) */
			maint = s->s_admin == ADM_MAINT || s->s_imaint ||
			    s->s_rmaint;
			op = maint || s->s_op != SRV_UP ? 0 : s->s_nolb ? 3 :
			    server_ramp(s, mono_usec()) >= 0 ? 1 : 2;
			adm = s->s_admin == ADM_MAINT ? 1 :
			    s->s_admin == ADM_DRAIN ? 8 : 0;
			adm |= (s->s_imaint ? 2 : 0) | (s->s_idrain ? 0x10 : 0);
			adm |= s->s_rmaint ? 0x20 : 0;	/* resolution */
			adm |= s->s_cf.sv_disabled ? 4 : 0;
			/* a mapped port: the offset, unsigned, as haproxy */
			if (s->s_cf.sv_portmap)
				snprintf(port, sizeof(port), "%u",
				    (unsigned int)s->s_cf.sv_portoff);
			else
				snprintf(port, sizeof(port), "%s",
				    s->s_cf.sv_addr.ca_port);
			stats_addr(&s->s_cf.sv_addr, addr, sizeof(addr));
			if ((colon = strrchr(addr, ':')) != NULL)
				*colon = '\0';
			stats_chkaddr(s, chkaddr, sizeof(chkaddr));
			if (s->s_cf.sv_agentaddrlen != 0)
				stats_ssaddr(&s->s_cf.sv_agentaddr,
				    s->s_cf.sv_agentaddrlen, agaddr,
				    sizeof(agaddr));
			else
				stats_ssaddr(&s->s_cf.sv_chkaddr.ca_ss,
				    s->s_cf.sv_chkaddr.ca_sslen, agaddr,
				    sizeof(agaddr));
			evbuffer_add_printf(out, "%d %s %d %s %s %d %d %d %d "
			    "%llu %d %d %d %d %d %d %d %s %s - 0 %d %s %s %d\n",
			    iid, be->b_cf.be_name,
			    s->s_cf.sv_id, s->s_cf.sv_name, addr, op, adm,
			    s->s_cf.sv_weight, s->s_iweight,
			    (unsigned long long)((mono_usec() - s->s_lastchg) /
			    1000000), stats_chk_code(s->s_chk_status, 0),
			    /* a check under way: no result yet, and running
			     * (bit 1), as haproxy's whole time it runs */
			    check_running(s) ? 0 :
			    stats_chk_code(s->s_chk_status, 1),
			    stats_chk_health(s, maint),
			    stats_chk_state(s, maint) | check_running(s),
			    /* haproxy: configured, enabled, an agent, and
			     * running now */
			    s->s_agent == NULL ? 0 : s->s_agt_off ? 0x12 :
			    0x16 | (s->s_agent->a_start != 0),
			    be->b_cf.be_forced_id != 0, s->s_cf.sv_id_forced,
			    /* haproxy: the name a server was given */
			    s->s_cf.sv_fqdn[0] != '\0' ? s->s_cf.sv_fqdn : "-",
			    /* haproxy: agent-port, else port, with or
			     * without an agent-check */
			    port, s->s_cf.sv_checkport, chkaddr, agaddr,
			    s->s_cf.sv_agentport);
		}
	}
}
