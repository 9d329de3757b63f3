/* SPDX-License-Identifier: ISC */
/*
 * The control socket's command parser: pure, bounded, fuzzable.  Words
 * are separated by blanks; "B/S" names a server as haproxy writes it.
 * Messages are haproxy 2.6's, so that scripts written against its stats
 * socket read ours the same way.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "stats-cmd.h"
#include "strnum.h"
#include "hashproxy.h"

#define CTL_MAXWORDS	12

static int
control_words(const char *buf, size_t len, char store[CTL_MAXLINE + 1],
    char **w)
{
	size_t i;
	int n = 0, in = 0;

	if (len > CTL_MAXLINE)
		return -1;
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\0')
			return -1;
		if (c == ' ' || c == '\t' || c == '\r') {
			store[i] = '\0';
			in = 0;
			continue;
		}
		store[i] = c;
		if (!in) {
			if (n == CTL_MAXWORDS)
				return -1;
			w[n++] = &store[i];
			in = 1;
		}
	}
	store[len] = '\0';
	return n;
}

int
control_int(const char *s, long lo, long hi, int *v)
{
	const char *err;
	long long l;

	l = strnum(s, lo, hi, &err);
	if (err != NULL)
		return -1;
	*v = (int)l;
	return 0;
}

static int
control_server(const char *arg, struct ctl_cmd *cmd, char *err, size_t errlen)
{
	const char *slash = arg != NULL ? strchr(arg, '/') : NULL;
	size_t bl;

	if (slash == NULL || slash == arg || slash[1] == '\0')
		return errbuf_set(err, errlen, "Require 'backend/server'.");
	bl = (size_t)(slash - arg);
	if (bl >= sizeof(cmd->cc_backend))
		return errbuf_set(err, errlen, "No such backend.");
	if (strlen(slash + 1) >= sizeof(cmd->cc_server))
		return errbuf_set(err, errlen, "No such server.");
	memcpy(cmd->cc_backend, arg, bl);
	cmd->cc_backend[bl] = '\0';
	snprintf(cmd->cc_server, sizeof(cmd->cc_server), "%s", slash + 1);
	return 0;
}

/* haproxy's atoi(): a leading number, 0 for none, bounded here */
static int
control_atoi(const char *s)
{
	long l = strtol(s, NULL, 10);

	return l < -1 ? -1 : l > 1000000 ? 1000000 : (int)l;
}

/*
 * The filter is taken when three words follow "show stat" (as haproxy:
 * fewer are ignored); then the flags, unknown words ignored.
 */
static int
control_stat(char **w, int n, struct ctl_cmd *cmd, char *err, size_t errlen)
{
	struct ctl_stat *st = &cmd->cc_stat;
	int i = 2;

	cmd->cc_op = CTL_SHOW_STAT;
	st->st_iid = -1;
	st->st_type = CTL_TYPE_FE | CTL_TYPE_BE | CTL_TYPE_SRV;
	st->st_sid = -1;
	if (n >= 4 && strcmp(w[2], "domain") == 0) {
		if (strcmp(w[3], "proxy") != 0)
			return errbuf_set(err, errlen,
			    "hashproxy has statistics for "
			    "the proxy domain only.");
		i = 4;
	}
	if (n - i >= 3) {
		if (control_int(w[i], -1, 1000000, &st->st_iid) == -1) {
			if (strlen(w[i]) >= sizeof(st->st_px))
				return errbuf_set(err, errlen,
				    "No such proxy.");
			snprintf(st->st_px, sizeof(st->st_px), "%s", w[i]);
			st->st_iid = 0;
		} else if (st->st_iid == 0) {
			return errbuf_set(err, errlen, "No such proxy.");
		}
		st->st_type = control_atoi(w[i + 1]);
		st->st_sid = control_atoi(w[i + 2]);
		i += 3;
	}
	for (; i < n; i++) {
		if (strcmp(w[i], "typed") == 0)
			st->st_fmt = CTL_TYPED;
		else if (strcmp(w[i], "json") == 0)
			st->st_fmt = CTL_JSON;
		else if (strcmp(w[i], "up") == 0)
			st->st_up = 1;
		else if (strcmp(w[i], "no-maint") == 0)
			st->st_nomaint = 1;
		else if (strcmp(w[i], "desc") == 0) {
			/* ignoring it would leave a parser without its text */
			return errbuf_set(err, errlen,
			    "'desc' (field descriptions) is "
			    "not supported by hashproxy.");
		}
	}
	return 0;
}

static int
control_show(char **w, int n, struct ctl_cmd *cmd, char *err, size_t errlen)
{
	if (strcmp(w[1], "stat") == 0)
		return control_stat(w, n, cmd, err, errlen);
	if (strcmp(w[1], "info") == 0 && n == 2) {
		cmd->cc_op = CTL_SHOW_INFO;
		return 0;
	}
	if (strcmp(w[1], "env") == 0) {
		cmd->cc_op = CTL_SHOW_ENV;
		snprintf(cmd->cc_arg, sizeof(cmd->cc_arg), "%s",
		    n >= 3 ? w[2] : "");
		return 0;
	}
	/* as haproxy, words after "show backend" are ignored */
	if (strcmp(w[1], "backend") == 0) {
		cmd->cc_op = CTL_SHOW_BACKEND;
		return 0;
	}
	if (strcmp(w[1], "metrics") == 0 && n == 2) {
		cmd->cc_op = CTL_SHOW_METRICS;
		return 0;
	}
	if (strcmp(w[1], "servers") == 0 && n >= 3 &&
	    (strcmp(w[2], "state") == 0 || strcmp(w[2], "conn") == 0)) {
		cmd->cc_op = w[2][0] == 's' ? CTL_SHOW_SERVERS : CTL_SHOW_CONN;
		if (n >= 4 && strlen(w[3]) >= sizeof(cmd->cc_backend))
			return errbuf_set(err, errlen, "Can't find backend.");
		if (n >= 4)
			snprintf(cmd->cc_backend,
			    sizeof(cmd->cc_backend), "%s", w[3]);
		return 0;
	}
	return 1;
}

/* "<w>" or "<w>%"; errors are haproxy's, kept for after the lookup */
static void
control_weight(const char *s, struct ctl_cmd *cmd)
{
	char *end;
	long l;

	cmd->cc_op = CTL_SET_WEIGHT;
	if (s == NULL) {
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "Require <weight> or <weight%%>.");
		return;
	}
	errno = 0;
	l = strtol(s, &end, 10);
	if (end == s) {
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "Empty weight string empty or preceded by garbage");
		return;
	}
	if (*end == '%' && end[1] == '\0') {
		if (l < 0) {
			snprintf(cmd->cc_err, sizeof(cmd->cc_err),
			    "Relative weight must be positive.");
			return;
		}
		cmd->cc_relative = 1;
		cmd->cc_weight = errno != 0 || l > 1000000 ? 1000000 : (int)l;
		return;
	}
	if (*end != '\0') {
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "Trailing garbage in weight string");
		return;
	}
	if (errno != 0 || l < 0 || l > 256) {
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "Absolute weight can only be between 0 and 256 inclusive.");
		return;
	}
	cmd->cc_weight = (int)l;
}

/*
 * "set maxconn server B/S <n>": haproxy's strtol, its int, its words
 * (some end without a newline, as its own do); kept for after the lookup.
 */
static void
control_maxconn_srv(const char *s, struct ctl_cmd *cmd)
{
	char *end;
	long l;

	cmd->cc_op = CTL_SET_MAXCONN_SRV;
	cmd->cc_rawerr = 1;
	if (s == NULL) {
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "Require <maxconn>.\n");
		return;
	}
	l = strtol(s, &end, 10);
	if (end == s)
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "maxconn string empty or preceded by garbage");
	else if (*end != '\0')
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "Trailing garbage in maxconn string");
	else	/* as haproxy's int: it wraps */
		cmd->cc_weight = (int)(unsigned int)(unsigned long)l;
}

/* A frontend's name ("" none: the caller says so, as haproxy, in order) */
static int
control_frontend(const char *name, struct ctl_cmd *cmd, char *err,
    size_t errlen)
{
	if (strlen(name) >= sizeof(cmd->cc_backend))
		return errbuf_set(err, errlen, "No such frontend.");
	snprintf(cmd->cc_backend, sizeof(cmd->cc_backend), "%s", name);
	return 0;
}

/*
 * "set maxconn frontend <f> <n>", "set maxconn global <n>": haproxy's
 * atoi (garbage is 0); cc_state says whether a number was given.
 */
static int
control_maxconn_px(char **w, int n, struct ctl_cmd *cmd, char *err,
    size_t errlen)
{
	int fe = w[2][0] == 'f', at = fe ? 4 : 3;
	long l;

	cmd->cc_op = fe ? CTL_SET_MAXCONN_FE : CTL_SET_MAXCONN_GLOBAL;
	if (fe && control_frontend(n >= 4 ? w[3] : "", cmd, err,
	    errlen) == -1)
		return -1;
	if (n <= at)
		return 0;
	cmd->cc_state = 1;
	l = strtol(w[at], NULL, 10);
	cmd->cc_weight = l > INT_MAX ? INT_MAX : l < INT_MIN ? INT_MIN : (int)l;
	return 0;
}

/* "addr <ip> [port <port>]": an IPv4 or IPv6 literal, as haproxy */
static void
control_addr(char **w, int n, struct ctl_cmd *cmd)
{
	cmd->cc_op = CTL_SET_ADDR;
	cmd->cc_port = -1;
	if (n < 5) {
		snprintf(cmd->cc_err, sizeof(cmd->cc_err), "set server <b>/<s> "
		    "addr requires an address and optionally a port.");
		return;
	}
	if ((cmd->cc_sslen = sockaddr_literal(w[4], 0, &cmd->cc_ss)) == 0) {
		snprintf(cmd->cc_err, sizeof(cmd->cc_err),
		    "Invalid addr '%.64s' by 'stats socket command'", w[4]);
		return;
	}
	/* as haproxy, a bad port leaves the address to change alone */
	if (n >= 7 && strcmp(w[5], "port") == 0 &&
	    control_int(w[6], 1, 65535, &cmd->cc_port) == -1) {
		cmd->cc_port = -1;
		cmd->cc_badport = 1;
		snprintf(cmd->cc_portword, sizeof(cmd->cc_portword), "%s",
		    w[6]);
	}
}

/*
 * "check-addr|agent-addr <ip> [port <port>]", "check-port|agent-port
 * <port>": haproxy's words, the same for the health check and the agent.
 */
static void
control_check(char **w, int n, struct ctl_cmd *cmd)
{
	const char *port = NULL;
	int agent = strncmp(w[3], "agent-", 6) == 0;

	cmd->cc_port = -1;
	if (strcmp(w[3] + 6, "port") == 0) {
		cmd->cc_op = agent ? CTL_SET_AGTPORT : CTL_SET_CHKPORT;
		if (n < 5) {
			cmd->cc_state = 1;	/* before "not enabled" */
			snprintf(cmd->cc_err, sizeof(cmd->cc_err), "set server "
			    "<b>/<s> %s requires a port.", w[3]);
			return;
		}
		port = w[4];
	} else {
		control_addr(w, n, cmd);
		cmd->cc_op = agent ? CTL_SET_AGTADDR : CTL_SET_CHKADDR;
		if (n < 5) {
			cmd->cc_state = 1;
			snprintf(cmd->cc_err, sizeof(cmd->cc_err), "set server "
			    "<b>/<s> %s requires an address and "
			    "optionally a port.", w[3]);
			return;
		}
		/* haproxy's warnings from here on: no newline of their own */
		cmd->cc_rawerr = 1;
		if (cmd->cc_sslen == 0) {
			snprintf(cmd->cc_err, sizeof(cmd->cc_err), "invalid "
			    "addr '%.64s'", w[4]);
			return;
		}
		cmd->cc_badport = 0;
		if (n >= 7 && strcmp(w[5], "port") == 0)
			port = w[6];
	}
	if (port == NULL)
		return;
	cmd->cc_rawerr = 1;
	/* as haproxy: 0 is taken (the server's port), 65536 is not */
	if (strspn(port, "0123456789") != strlen(port) || *port == '\0')
		snprintf(cmd->cc_err, sizeof(cmd->cc_err), "provided port is "
		    "not an integer");
	else if (control_int(port, 0, 65535, &cmd->cc_port) == -1)
		snprintf(cmd->cc_err, sizeof(cmd->cc_err), "provided port is "
		    "invalid");
}

/* A word and the state it sets, in a list ending with a NULL word. */
struct control_word {
	const char	*cw_word;
	int		 cw_state;
};

/* The state that word w names in t, -1 if none (or w is NULL). */
static int
control_pick(const char *w, const struct control_word *t)
{
	for (; w != NULL && t->cw_word != NULL; t++)
		if (strcmp(w, t->cw_word) == 0)
			return t->cw_state;
	return -1;
}

static void
control_health(char **w, int n, struct ctl_cmd *cmd)
{
	static const struct control_word health[] = {
		{ "up", CTL_HEALTH_UP }, { "stopping", CTL_HEALTH_STOPPING },
		{ "down", CTL_HEALTH_DOWN }, { NULL, 0 } };
	int st = control_pick(n >= 5 ? w[4] : NULL, health);

	cmd->cc_op = CTL_SET_HEALTH;
	if (st != -1)
		cmd->cc_state = st;
	else
		snprintf(cmd->cc_err, sizeof(cmd->cc_err), "'set server <srv> "
		    "health' expects 'up', 'stopping', or 'down'.");
}

/*
 * What hashproxy lacks, refused with haproxy's answer for a server that
 * lacks it (no TLS), "fqdn" (stats-srv.c), and the usage line for
 * another word.  All after the server's lookup.
 */
static void
control_refused(char **w, int n, struct ctl_cmd *cmd)
{
	const char *kw = n >= 4 ? w[3] : "";

	cmd->cc_op = CTL_SET_REFUSED;
	if (strcmp(kw, "ssl") == 0)
		snprintf(cmd->cc_err, sizeof(cmd->cc_err), "'set server <srv> "
		    "ssl' cannot be set.  default-server should define ssl "
		    "settings");
	else if (strcmp(kw, "fqdn") == 0 && n < 5)
		snprintf(cmd->cc_err, sizeof(cmd->cc_err), "set server <b>/<s> "
		    "fqdn requires a FQDN.");
	else if (strcmp(kw, "fqdn") == 0) {
		/* whether it has resolvers is known after the lookup */
		cmd->cc_op = CTL_SET_FQDN;
		snprintf(cmd->cc_arg, sizeof(cmd->cc_arg), "%s", w[4]);
	} else
		snprintf(cmd->cc_err, sizeof(cmd->cc_err), "usage: set server "
		    "<backend>/<server> addr | agent | agent-addr | agent-port "
		    "| agent-send | check-addr | check-port | fqdn | health | "
		    "ssl | state | weight");
}

static int
control_setserver(char **w, int n, struct ctl_cmd *cmd, char *err,
    size_t errlen)
{
	static const struct control_word admin[] = {
		{ "ready", ADM_READY }, { "drain", ADM_DRAIN },
		{ "maint", ADM_MAINT }, { NULL, 0 } };

	if (control_server(n >= 3 ? w[2] : NULL, cmd, err, errlen) == -1)
		return -1;
	if (n >= 4 && strcmp(w[3], "state") == 0) {
		cmd->cc_op = CTL_SET_STATE;
		if ((cmd->cc_state = control_pick(n >= 5 ? w[4] : NULL,
		    admin)) == -1)
			return errbuf_set(err, errlen,
			    "'set server <srv> state' "
			    "expects 'ready', 'drain' and 'maint'.");
		return 0;
	}
	if (n >= 4 && strcmp(w[3], "weight") == 0)
		control_weight(n >= 5 ? w[4] : NULL, cmd);
	else if (n >= 4 && strcmp(w[3], "addr") == 0)
		control_addr(w, n, cmd);
	else if (n >= 4 && strcmp(w[3], "health") == 0)
		control_health(w, n, cmd);
	else if (n >= 4 && (strcmp(w[3], "check-port") == 0 ||
	    strcmp(w[3], "check-addr") == 0 ||
	    strcmp(w[3], "agent-port") == 0 ||
	    strcmp(w[3], "agent-addr") == 0))
		control_check(w, n, cmd);
	else if (n >= 4 && strcmp(w[3], "agent") == 0) {
		/* haproxy says "not enabled" first, then checks the word */
		cmd->cc_op = CTL_SET_AGENT;
		cmd->cc_state = n < 5 ? -1 : strcmp(w[4], "up") == 0 ? 1 :
		    strcmp(w[4], "down") == 0 ? 0 : -1;
	} else if (n >= 4 && strcmp(w[3], "agent-send") == 0) {
		cmd->cc_op = CTL_SET_AGTSEND;
		snprintf(cmd->cc_arg, sizeof(cmd->cc_arg), "%s",
		    n >= 5 ? w[4] : "");
	}
	else
		control_refused(w, n, cmd);
	return 0;
}

/*
 * The session's own commands: "operator", "user" (lower the level),
 * "expert-mode|experimental-mode [on|off]", "show cli level|sockets".
 * 1 when the line is not one of them.
 */
static int
control_session(char **w, int n, struct ctl_cmd *cmd)
{
	if (n == 1 && (strcmp(w[0], "operator") == 0 ||
	    strcmp(w[0], "user") == 0)) {
		cmd->cc_op = CTL_LEVEL;
		cmd->cc_state = w[0][0] == 'o' ? CF_STATS_OPER : CF_STATS_USER;
		return 0;
	}
	if (strcmp(w[0], "expert-mode") == 0 ||
	    strcmp(w[0], "experimental-mode") == 0) {
		cmd->cc_op = CTL_MODE;
		cmd->cc_state = strcmp(w[0], "expert-mode") == 0 ?
		    CTL_MODE_EXPERT : CTL_MODE_EXPERIMENTAL;
		/* as haproxy: a word other than "on" is off */
		cmd->cc_weight = n < 2 ? -1 : strcmp(w[1], "on") == 0;
		return 0;
	}
	if (n == 3 && strcmp(w[0], "show") == 0 && strcmp(w[1], "cli") == 0 &&
	    (strcmp(w[2], "level") == 0 || strcmp(w[2], "sockets") == 0)) {
		cmd->cc_op = w[2][0] == 'l' ? CTL_SHOW_CLI_LEVEL :
		    CTL_SHOW_CLI_SOCKETS;
		return 0;
	}
	return 1;
}

/*
 * "enable|disable health|agent B/S", "disable|enable|shutdown frontend
 * F", "set maxconn server|frontend|global ...".  1 when the line is not
 * one of them.
 */
static int
control_onoff_maxconn(char **w, int n, struct ctl_cmd *cmd, char *err,
    size_t errlen)
{
	static const enum ctl_op op[2][2] = {
	    { CTL_DISABLE_HEALTH, CTL_ENABLE_HEALTH },
	    { CTL_DISABLE_AGENT, CTL_ENABLE_AGENT } };
	int onoff = strcmp(w[0], "enable") == 0 || strcmp(w[0], "disable") == 0;

	if (n < 2)
		return 1;
	if (onoff && (strcmp(w[1], "health") == 0 ||
	    strcmp(w[1], "agent") == 0)) {
		cmd->cc_op = op[w[1][0] == 'a'][w[0][0] == 'e'];
		return control_server(n >= 3 ? w[2] : NULL, cmd, err, errlen);
	}
	if ((onoff || strcmp(w[0], "shutdown") == 0) &&
	    strcmp(w[1], "frontend") == 0) {
		cmd->cc_op = w[0][0] == 'd' ? CTL_FE_DISABLE : w[0][0] == 'e' ?
		    CTL_FE_ENABLE : CTL_FE_SHUTDOWN;
		return control_frontend(n >= 3 ? w[2] : "", cmd, err, errlen);
	}
	if (strcmp(w[0], "set") != 0 || n < 3 || strcmp(w[1], "maxconn") != 0)
		return 1;
	if (strcmp(w[2], "frontend") == 0 || strcmp(w[2], "global") == 0)
		return control_maxconn_px(w, n, cmd, err, errlen);
	if (strcmp(w[2], "server") != 0)
		return 1;
	if (control_server(n >= 4 ? w[3] : NULL, cmd, err, errlen) == -1)
		return -1;
	control_maxconn_srv(n >= 5 ? w[4] : NULL, cmd);
	return 0;
}

int
control_level(const struct ctl_cmd *cmd)
{
	switch (cmd->cc_op) {
	case CTL_ENABLE:
	case CTL_DISABLE:
	case CTL_SET_STATE:
	case CTL_SET_WEIGHT:
	case CTL_SET_ADDR:
	case CTL_SHUTDOWN_SRV:
	case CTL_SET_HEALTH:
	case CTL_SET_CHKPORT:
	case CTL_SET_CHKADDR:
	case CTL_SET_REFUSED:
	case CTL_MODE:
	case CTL_ENABLE_HEALTH:
	case CTL_DISABLE_HEALTH:
	case CTL_ENABLE_AGENT:
	case CTL_DISABLE_AGENT:
	case CTL_SET_MAXCONN_SRV:
	case CTL_SET_AGENT:
	case CTL_SET_AGTADDR:
	case CTL_SET_AGTPORT:
	case CTL_SET_AGTSEND:
	case CTL_SET_FQDN:
	case CTL_FE_DISABLE:
	case CTL_FE_ENABLE:
	case CTL_FE_SHUTDOWN:
	case CTL_SET_MAXCONN_FE:
	case CTL_SET_MAXCONN_GLOBAL:
		return CF_STATS_ADMIN;
	case CTL_SHOW_ENV:
		return CF_STATS_OPER;
	case CTL_LEVEL:
		/* a level is given up, never raised */
		return cmd->cc_state;
	default:
		return CF_STATS_USER;
	}
}

int
control_changes(const struct ctl_cmd *cmd)
{
	return control_level(cmd) == CF_STATS_ADMIN &&
	    cmd->cc_op != CTL_MODE && cmd->cc_op != CTL_SET_REFUSED;
}

int
control_parse(const char *buf, size_t len, struct ctl_cmd *cmd, char *err,
    size_t errlen)
{
	char store[CTL_MAXLINE + 1], *w[CTL_MAXWORDS];
	int n, rc;

	memset(cmd, 0, sizeof(*cmd));
	n = control_words(buf, len, store, w);
	if (n < 0)
		return errbuf_set(err, errlen, "Command too long.");
	if (n == 0 || strcmp(w[0], "help") == 0) {
		cmd->cc_op = CTL_HELP;
		return 0;
	}
	if (n == 1 && strcmp(w[0], "quit") == 0) {
		cmd->cc_op = CTL_QUIT;
		return 0;
	}
	if (control_session(w, n, cmd) == 0)
		return 0;
	if (strcmp(w[0], "show") == 0 && n >= 2 &&
	    (rc = control_show(w, n, cmd, err, errlen)) <= 0)
		return rc;
	if ((strcmp(w[0], "enable") == 0 || strcmp(w[0], "disable") == 0) &&
	    n == 3 && strcmp(w[1], "server") == 0) {
		cmd->cc_op = w[0][0] == 'e' ? CTL_ENABLE : CTL_DISABLE;
		return control_server(w[2], cmd, err, errlen);
	}
	if (strcmp(w[0], "set") == 0 && n >= 2 && strcmp(w[1], "server") == 0)
		return control_setserver(w, n, cmd, err, errlen);
	if ((rc = control_onoff_maxconn(w, n, cmd, err, errlen)) <= 0)
		return rc;
	if (strcmp(w[0], "set") == 0 && n >= 2 && strcmp(w[1], "weight") == 0) {
		if (control_server(n >= 3 ? w[2] : NULL, cmd, err,
		    errlen) == -1)
			return -1;
		control_weight(n >= 4 ? w[3] : NULL, cmd);
		return 0;
	}
	if (strcmp(w[0], "get") == 0 && n >= 2 && strcmp(w[1], "weight") == 0) {
		cmd->cc_op = CTL_GET_WEIGHT;
		return control_server(n >= 3 ? w[2] : NULL, cmd, err, errlen);
	}
	if (strcmp(w[0], "shutdown") == 0 && n >= 3 &&
	    strcmp(w[1], "sessions") == 0 && strcmp(w[2], "server") == 0) {
		cmd->cc_op = CTL_SHUTDOWN_SRV;
		return control_server(n >= 4 ? w[3] : NULL, cmd, err, errlen);
	}
	return errbuf_set(err, errlen,
	    "Unknown command. Please enter one of the "
	    "following commands only :");
}
