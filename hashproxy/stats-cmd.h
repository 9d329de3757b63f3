/* SPDX-License-Identifier: ISC */
/* Stats/control socket commands (haproxy's dialect, a subset). */
#ifndef HP_STATS_CMD_H
#define HP_STATS_CMD_H

#include <stddef.h>
#include <sys/socket.h>

#include "config.h"

enum ctl_op { CTL_HELP, CTL_SHOW_STAT, CTL_SHOW_INFO, CTL_SHOW_SERVERS,
    CTL_ENABLE, CTL_DISABLE, CTL_SET_STATE, CTL_QUIT, CTL_SHOW_CONN,
    CTL_SET_WEIGHT, CTL_GET_WEIGHT, CTL_SET_ADDR, CTL_SHUTDOWN_SRV,
    /* set server: health, check-port, check-addr; refused after lookup */
    CTL_SET_HEALTH, CTL_SET_CHKPORT, CTL_SET_CHKADDR, CTL_SET_REFUSED,
    /* the session (stats-cli.c): operator, user, *-mode, show cli */
    CTL_LEVEL, CTL_MODE, CTL_SHOW_CLI_LEVEL, CTL_SHOW_CLI_SOCKETS,
    CTL_SHOW_METRICS,
    /* stats-proxy.c: the proxies' commands */
    CTL_SHOW_BACKEND,
    /* stats-srv.c: enable|disable health|agent B/S */
    CTL_ENABLE_HEALTH, CTL_DISABLE_HEALTH, CTL_ENABLE_AGENT,
    CTL_DISABLE_AGENT, CTL_SET_MAXCONN_SRV,
    /* stats-agent.c: set server B/S agent|agent-addr|-port|-send */
    CTL_SET_AGENT, CTL_SET_AGTADDR, CTL_SET_AGTPORT, CTL_SET_AGTSEND,
    CTL_SET_FQDN,
    /* stats-proxy.c: a frontend (its name in cc_backend), the process */
    CTL_FE_DISABLE, CTL_FE_ENABLE, CTL_FE_SHUTDOWN, CTL_SET_MAXCONN_FE,
    CTL_SET_MAXCONN_GLOBAL, CTL_SHOW_ENV };

/* "set server B/S health": haproxy's three */
enum ctl_health { CTL_HEALTH_UP, CTL_HEALTH_STOPPING, CTL_HEALTH_DOWN };
/* CTL_MODE: which mode (cc_state), and on, off or -1 to ask (cc_weight) */
#define CTL_MODE_EXPERT		1
#define CTL_MODE_EXPERIMENTAL	2

/*
 * A command's length, the stats socket's line (STATS_MAXLINE): a name in
 * it is no longer.  As a config line's, far above any real name (haproxy
 * has no bound on names).
 */
#define CTL_MAXLINE	4096

/* "show stat" output formats */
enum ctl_fmt { CTL_CSV, CTL_TYPED, CTL_JSON };

/* haproxy's "show stat" object types, its <type> bitmask */
#define CTL_TYPE_FE	1
#define CTL_TYPE_BE	2
#define CTL_TYPE_SRV	4

/* "show stat [{<iid>|<proxy>} <type> <sid>] [typed|json] [up|no-maint]" */
struct ctl_stat {
	int		 st_iid;		/* -1 all; 0 with st_px */
	/* a proxy's name, or "" */
	char		 st_px[CTL_MAXLINE + 1];
	int		 st_type;		/* CTL_TYPE_* bits */
	int		 st_sid;		/* -1 all servers */
	enum ctl_fmt	 st_fmt;
	int		 st_up;			/* servers up only */
	int		 st_nomaint;		/* servers not in maint */
	int		 st_noaddr;		/* user level: no addr column */
};

struct ctl_cmd {
	enum ctl_op	cc_op;
	char		cc_backend[CTL_MAXLINE + 1];
	char		cc_server[CTL_MAXLINE + 1];
	/* enum srv_admin (CTL_SET_STATE), ctl_health (CTL_SET_HEALTH),
	 * a CF_STATS_* level (CTL_LEVEL), a CTL_MODE_* (CTL_MODE) */
	int		cc_state;
	struct ctl_stat	cc_stat;	/* CTL_SHOW_STAT */
	int		cc_weight;	/* CTL_SET_WEIGHT: 0..256, or % */
	int		cc_relative;	/* cc_weight is a percentage */
	struct sockaddr_storage cc_ss;	/* CTL_SET_ADDR, port 0 if none */
	socklen_t	cc_sslen;
	int		cc_port;	/* -1: keep the server's */
	int		cc_badport;	/* the address applies, not the port */
	char		cc_portword[32];
	/*
	 * An argument error haproxy reports only once the server is found:
	 * the caller looks the server up first, then prints this.
	 */
	char		cc_err[160];
	int		cc_rawerr;	/* cc_err as is: no newline added */
	/* CTL_SET_AGTSEND's string, CTL_SET_FQDN's name, CTL_SHOW_ENV's
	 * variable ("" all) */
	char		cc_arg[CTL_MAXLINE + 1];
};

/* Parses one command (no newline); 0, or -1 with a message in err. */
int	control_parse(const char *buf, size_t len, struct ctl_cmd *,
	    char *err, size_t errlen);
/* The level (CF_STATS_*) a parsed command needs, as haproxy 2.6's. */
int	control_level(const struct ctl_cmd *);
/* Whether the command changes state (its client is logged). */
int	control_changes(const struct ctl_cmd *);
/* Bounded integer parsing: 0 and *v, or -1 for garbage or out of range. */
int	control_int(const char *, long lo, long hi, int *v);

#endif
