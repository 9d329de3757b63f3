/* SPDX-License-Identifier: ISC */
/*
 * pgwatch: one answer about a PostgreSQL primary and its hot standbys.
 * Shared types: the options (struct pgw), one host's connection (struct
 * host) and what one query tells about it (struct sample).
 */
#ifndef PGWATCH_H
#define PGWATCH_H

#include <stddef.h>
#include <stdint.h>

#include "range.h"

#define PGW_MAXHOSTS	64
/* check outcomes counted for metrics.c: ok, failed, down */
#define PGW_OUTCOMES	3

enum pgw_role { ROLE_UNKNOWN, ROLE_PRIMARY, ROLE_STANDBY };
enum pgw_expect { EXPECT_ANY, EXPECT_PRIMARY, EXPECT_STANDBY };

/* What one round trip learnt about one host. */
struct sample {
	int		 s_up;		/* the query answered */
	char		 s_reason[24];	/* when down: refused, timeout, ... */
	char		 s_msg[160];	/* libpq's first error line */
	int		 s_role;
	uint32_t	 s_tli;
	uint64_t	 s_lsn;		/* primary: current; standby: replay */
	uint64_t	 s_recv_lsn;	/* standby: last received (0 none) */
	char		 s_wal[24];	/* WAL receiver status, "none" */
	int		 s_paused;	/* standby: replay paused */
	double		 s_lag_s;	/* seconds; < 0 unknown */
	long		 s_conns;	/* client backends */
	long		 s_maxconns;
	long		 s_reserved;	/* superuser_reserved_connections */
	/* --http /sync, /async (sample.c) */
	char		 s_appname[64];	/* standby: its WAL receiver's name */
	char		 s_senders[512];	/* primary: "name=sync_state" lines */
	int		 s_senders_known;	/* s_senders read whole */
};

/*
 * A -c/--critical (--max-lag) or -w/--warning threshold: a range over
 * the lag in bytes, one over the lag in seconds, or both; past either,
 * or with l_both ("BYTES and TIME", check_postgres) past the two.
 */
struct lagmax {
	int		 l_bytes_set;
	struct range	 l_bytes;
	int		 l_secs_set;
	struct range	 l_secs;
	int		 l_both;
};

/* The conditions a host is held to (DESIGN.md: 0 holds, 1 not). */
struct cond {
	int		 c_expect[PGW_MAXHOSTS];
	int		 c_nexpect;
	struct lagmax	 c_lag;		/* -c, --critical, --max-lag */
	struct lagmax	 c_warn;	/* -w, --warning (--nagios only) */
	long		 c_min_free;	/* -1 unset */
	int		 c_streaming;
};

/* A host's standing after comparing it with the others. */
struct verdict {
	int		 v_up;
	int64_t		 v_lag_bytes;	/* -1 unknown / not a standby */
	long		 v_free;	/* free non-superuser slots */
	int		 v_split;	/* one of two or more primaries */
	int		 v_lag_over;
	int		 v_lag_warn;	/* over --warning-lag */
	int		 v_diverged;	/* older timeline, not streaming */
	int		 v_ok;		/* every condition holds */
	char		 v_fail[64];	/* "expect,lag" or the down reason */
};

struct host;
struct evhttp;
struct event;
struct event_base;
struct httpconns;
struct promhttp;

/* Everything one run needs, made in main() and passed down. */
struct pgw {
	struct event_base *p_base;
	struct host	*p_hosts;
	int		 p_nhosts;
	struct cond	 p_cond;
	uint64_t	 p_interval;	/* --watch period, usec */
	int		 p_watch;
	int		 p_quiet;
	int		 p_readyfd;
	const char	*p_user;	/* --user, or NULL (user.c) */
	int		 p_ready;
	int		 p_pending;	/* answers the current round awaits */
	int		 p_inround[PGW_MAXHOSTS];
	uint64_t	 p_next_try[PGW_MAXHOSTS];	/* reconnect backoff */
	uint64_t	 p_backoff[PGW_MAXHOSTS];
	int		 p_shown;	/* a first state was printed */
	int		 p_split;	/* split brain was logged */
	struct sample	 p_last[PGW_MAXHOSTS];	/* as last printed */
	struct verdict	 p_lastv[PGW_MAXHOSTS];
	int		 p_lastrole[PGW_MAXHOSTS];	/* when last up */
	struct event	*p_tick;
	struct event	*p_reader;	/* stdout pipe, to see its reader go */
	struct evhttp	*p_http;
	struct httpconns *p_hconns;	/* --http's cap and deadlines */
	uint64_t	 p_timeout;	/* -t: the whole check, usec; 0 none */
	int		 p_timeout_state;	/* --nagios state on expiry */
	int		 p_timedout;
	/* metrics.c */
	struct promhttp	*p_metrics;	/* --metrics, or NULL */
	uint64_t	 p_checks[PGW_MAXHOSTS][PGW_OUTCOMES];
	int		 p_fresh[PGW_MAXHOSTS];	/* sampled, not yet counted */
	uint64_t	 p_rolechanges[PGW_MAXHOSTS];
	int		 p_mrole[PGW_MAXHOSTS];	/* when last up */
};

#endif
