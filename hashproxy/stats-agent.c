/* SPDX-License-Identifier: ISC */
/*
 * The stats socket's commands on a server's agent check, haproxy 2.6's:
 * enable|disable agent, set server B/S agent up|down, agent-addr,
 * agent-port, agent-send.  Each lasts until the next reload, which takes
 * the configuration's again; answers and errors are haproxy's words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <event2/buffer.h>

#include "check-agent.h"
#include "stats-cmd.h"
#include "hashproxy.h"
#include "stats.h"

/*
 * "enable|disable agent": a disabled agent stops and has no say in the
 * server's state any more (its health counts as up), as haproxy's.
 */
static void
statsagent_onoff(struct hp_server *s, int on, struct evbuffer *out)
{
	if (!s->s_cf.sv_agent) {
		if (on)
			evbuffer_add_printf(out, "Agent was not configured on "
			    "this server, cannot enable.\n");
		return;
	}
	s->s_agt_off = !on;
	if (on) {
		agent_start(s);
		return;
	}
	agent_stop(s);
	if (s->s_agent != NULL)
		s->s_agent->a_health = 1;
}

/*
 * "agent up|down" forces the agent's verdict and the server's state, as
 * "health up|down" does the check's, until the agent's next reply.
 */
static void
statsagent_force(struct hp_server *s, int up)
{
	if (s->s_agent != NULL)
		s->s_agent->a_health = up;
	server_set_op(s, up ? SRV_UP : SRV_DOWN, "changed from CLI");
}

/* "agent-send": the string, the server's own, goes with the next run */
static void
statsagent_send(struct hp_server *s, const char *str, struct evbuffer *out)
{
	char *t;

	if ((t = strdup(str)) == NULL) {
		evbuffer_add_printf(out, "cannot allocate memory for new "
		    "string.\n");
		return;
	}
	free(s->s_agentsend);
	s->s_agentsend = t;
	s->s_cf.sv_agentsend = t;
}

/* "agent-addr IP [port N]", "agent-port N": where the next run goes */
static void
statsagent_where(struct hp_server *s, const struct ctl_cmd *cmd)
{
	if (cmd->cc_op == CTL_SET_AGTADDR) {
		s->s_cf.sv_agentaddr = cmd->cc_ss;
		s->s_cf.sv_agentaddrlen = cmd->cc_sslen;
	}
	if (cmd->cc_port >= 0)
		s->s_cf.sv_agentport = cmd->cc_port;
}

void
statsagent_run(struct hp_server *s, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	int on = s->s_cf.sv_agent && !s->s_agt_off;

	switch (cmd->cc_op) {
	case CTL_ENABLE_AGENT:
	case CTL_DISABLE_AGENT:
		statsagent_onoff(s, cmd->cc_op == CTL_ENABLE_AGENT, out);
		break;
	case CTL_SET_AGENT:
	case CTL_SET_AGTSEND:
		if (!on)
			evbuffer_add_printf(out, "agent checks are not "
			    "enabled on this server.\n");
		else if (cmd->cc_op == CTL_SET_AGTSEND)
			statsagent_send(s, cmd->cc_arg, out);
		else if (cmd->cc_state == -1)
			evbuffer_add_printf(out, "'set server <srv> agent' "
			    "expects 'up' or 'down'.\n");
		else
			statsagent_force(s, cmd->cc_state);
		break;
	default:
		statsagent_where(s, cmd);
		break;
	}
}
