/* SPDX-License-Identifier: ISC */
/*
 * What a config leaves unbounded, bounded as haproxy 2.6 does: without a
 * global maxconn the limit comes from the descriptors the process may
 * open, and a proxy without timeout client, connect or server gets a
 * warning at start, since idle connections then pile up for ever.  And
 * the accept rates that maxconnrate, maxsessrate and rate-limit sessions
 * bound, counted as haproxy counts them.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "log.h"
#include "hashproxy.h"

/* haproxy's DEFAULT_MAXCONN: the floor when descriptors are scarce */
#define LIMITS_MINCONN		100
/* descriptors kept spare (haproxy's maxsock = 10) */
#define LIMITS_SPARE		10
/* haproxy's stats frontend maxconn, ctlsock's clients: its descriptors */
#define LIMITS_STATS_MAXCONN	10
/* at maxconn, room for a few stats or metrics clients at once */
#define LIMITS_OWN_SPARE	4
/* without /proc: stdio, the signal pipe, a ready fd, and per event loop its epoll and wake-ups */
#define LIMITS_GUESS_OWN	8
/* what the kernel gives at most without tuning (fs.nr_open) */
#define LIMITS_NR_OPEN		1048576

/*
 * haproxy raises its soft descriptor limit to the hard one at start:
 * the soft limit (often 1024) is a default for shells, not a policy.
 */
void
limits_raise_nofile(void)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > LIMITS_NR_OPEN ?
	    LIMITS_NR_OPEN : rl.rlim_max;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_debug("cannot raise the file limit to %llu",
			    (unsigned long long)want);
	}
}

/* The descriptors the process may open, capped as above. */
static long
limits_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 1024;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > LIMITS_NR_OPEN)
		return LIMITS_NR_OPEN;
	return (long)rl.rlim_cur;
}

/*
 * The descriptors open now, from /proc/self/fd (its own directory
 * descriptor not counted); -1 if it cannot be read.
 */
static int
limits_fds_open(void)
{
	DIR *d;
	struct dirent *e;
	int n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

/*
 * Servers with a health check, and with an agent, each agent counted
 * agent times: its socket is one, haproxy reserves two.
 */
static int
limits_checks(const struct hp_ctx *ctx, int agent)
{
	int i, j, n = 0;

	for (i = 0; i < ctx->c_nbe; i++)
		for (j = 0; j < ctx->c_be[i]->b_nsrv; j++) {
			const struct hp_server *s = ctx->c_be[i]->b_srv[j];

			if (s != NULL)
				n += (s->s_cf.sv_check != 0) +
				    (s->s_cf.sv_agent != 0) * agent;
		}
	return n;
}

/* The stats sockets (--control is one), each a listener of haproxy's. */
static int
limits_stats_socks(const struct hp_ctx *ctx)
{
	return ctx->c_control_opt != NULL ? 1 : ctx->c_cf.cf_nstats;
}

/*
 * haproxy 2.6's compute_ideal_maxconn() for a proxy without splicing or
 * SSL: two descriptors per connection out of the file limit (the hard
 * one, which both raise the soft one to), less 10 kept spare, one per
 * listening address (each bind, each stats socket, the metrics listener
 * as haproxy's exporter frontend), one per check, two per agent (as 2.6
 * counts them, measured), the stats sockets' maxconn (10 unless "stats
 * maxconn") when there is one, and three per thread (its poller and
 * wake-up pipe).
 */
static long
limits_overhead(const struct hp_ctx *ctx)
{
	const struct cf_config *cf = &ctx->c_cf;
	long n = LIMITS_SPARE;
	int i, socks = limits_stats_socks(ctx);

	for (i = 0; i < cf->cf_nfrontends; i++)
		n += cf->cf_frontends[i].fe_nbinds;
	if (socks > 0)
		n += socks + (cf->cf_stats_maxconn ?
		    cf->cf_stats_maxconn : LIMITS_STATS_MAXCONN);
	if (ctx->c_metrics_opt != NULL)
		n++;
	return n + limits_checks(ctx, 2) + 3L * ctx->c_nw;
}

static long
limits_ideal(const struct hp_ctx *ctx, long nofile)
{
	return (nofile - limits_overhead(ctx)) / 2;
}

/* haproxy 2.6's maxsock for the maxconn in force: show info's Maxsock */
long
limits_maxsock(const struct hp_ctx *ctx)
{
	return 2L * ctx->c_maxconn + limits_overhead(ctx);
}

/*
 * A maxconn set (global or --maxconn) needs haproxy 2.6's maxsock: two
 * descriptors a connection and those limits_overhead() counts.  Like
 * haproxy, raise the file limit to it; when that fails, refuse to start
 * (-1) as haproxy's strict-limits does by default, or with "no
 * strict-limits" warn and go on with the limit there is.
 */
int
limits_fit(struct hp_ctx *ctx)
{
	struct rlimit rl;
	long maxsock;

	if (!ctx->c_maxconn_opt && !ctx->c_cf.cf_maxconn)
		return 0;
	maxsock = limits_maxsock(ctx);
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur == RLIM_INFINITY || (long)rl.rlim_cur >= maxsock)
		return 0;
	rl.rlim_cur = (rlim_t)maxsock;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
		return 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 0;
	if (!ctx->c_cf.cf_nostrict) {
		log_warnx("cannot raise the file limit to %ld, limit is %llu "
		    "(maxconn %d; \"no strict-limits\" starts anyway)",
		    maxsock, (unsigned long long)rl.rlim_cur, ctx->c_maxconn);
		return -1;
	}
	log_warnx("cannot raise the file limit to %ld, limit is %llu: "
	    "too low for maxconn %d, connections beyond it will fail",
	    maxsock, (unsigned long long)rl.rlim_cur, ctx->c_maxconn);
	return 0;
}

/*
 * What hashproxy's own descriptors leave: it listens on each address
 * once per thread, and its event loops hold a few more than haproxy's,
 * so a config with many binds or threads needs more than haproxy counts.
 * What the process holds besides its listeners (stdio, event loops and
 * their wake-ups, the signal pipe, resolvers) is counted once, at the
 * first start, rather than guessed: at maxconn a check or a stats
 * client must not meet EMFILE (tests/hashproxy/defaults.t).  The stats
 * sockets and the metrics listener open after this.
 */
static long
limits_own(struct hp_ctx *ctx, long nofile)
{
	const struct hp_listener *l;
	int nlisten = 0, open;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry)
		nlisten++;
	if (ctx->c_fds_own == 0) {
		open = limits_fds_open();
		ctx->c_fds_own = open > nlisten ? open - nlisten :
		    LIMITS_GUESS_OWN + 3 * ctx->c_nw;
	}
	return (nofile - LIMITS_OWN_SPARE - ctx->c_fds_own - nlisten -
	    limits_stats_socks(ctx) - (ctx->c_metrics_opt != NULL) -
	    limits_checks(ctx, 1)) / 2;
}

/*
 * The global maxconn when none is set: haproxy's, unless hashproxy's own
 * descriptors leave fewer; at least 100, as haproxy.
 */
int
limits_maxconn(struct hp_ctx *ctx)
{
	long nofile = limits_nofile();
	long ideal = limits_ideal(ctx, nofile), own = limits_own(ctx, nofile);
	long max = ideal < own ? ideal : own;

	if (max > INT_MAX)
		max = INT_MAX;
	return max < LIMITS_MINCONN ? LIMITS_MINCONN : (int)max;
}

/* One timeout missing: the line names the proxy, as haproxy's. */
static void
limits_missing(const char *file, int line, const char *kind,
    const char *name, const char *what)
{
	log_warnx("warning: %s:%d: %s %s: missing timeout %s", file, line,
	    kind, name, what);
}

/*
 * haproxy: "missing timeouts for frontend 'x'" ("proxy 'x'" for a
 * listen), one warning per proxy.  Here one line per missing timeout,
 * at the proxy's line, saying what its absence does: at L4 an idle
 * connection ends at the first of the two idle timeouts, so with neither
 * it stays for ever.
 */
void
limits_warn_timeouts(const char *path, const struct cf_config *cf)
{
	int i;

	for (i = 0; i < cf->cf_nfrontends; i++) {
		const struct cf_frontend *fe = &cf->cf_frontends[i];
		const char *file = fe->fe_file ? fe->fe_file : path;
		const char *kind = config_listen_backend(cf, i) != -1 ?
		    "proxy" : "frontend";

		if (fe->fe_tclient == 0)
			limits_missing(file, fe->fe_line, kind, fe->fe_name,
			    "client: idle clients stay until timeout server, "
			    "if any");
	}
	for (i = 0; i < cf->cf_nbackends; i++) {
		const struct cf_backend *be = &cf->cf_backends[i];
		const char *file = be->be_file ? be->be_file : path;
		const char *kind = config_listen_frontend(cf, i) != -1 ?
		    "proxy" : "backend";

		if (be->be_tconnect == 0)
			limits_missing(file, be->be_line, kind, be->be_name,
			    "connect: a connect is given up after 5s");
		if (be->be_tserver == 0)
			limits_missing(file, be->be_line, kind, be->be_name,
			    "server: idle connections stay until timeout "
			    "client, if any");
	}
}

/* haproxy's freq_ctr period: rates are per second */
#define RATE_PERIOD_MS		1000

/*
 * r as of now: a period over makes this period's count the last one's;
 * two or more over leave nothing, and the next period starts at now
 * rather than on the old periods' grid (haproxy's update_freq_ctr): a
 * burst after a quiet while starts a fresh second, so its first
 * second holds the limit and no more.
 */
static void
rate_roll(struct hp_rate *r, uint64_t now)
{
	if (now < r->r_start + RATE_PERIOD_MS)
		return;
	if (now < r->r_start + 2 * RATE_PERIOD_MS) {
		r->r_prev = r->r_curr;
		r->r_start += RATE_PERIOD_MS;
	} else {
		r->r_prev = 0;
		r->r_start = now;
	}
	r->r_curr = 0;
}

/* n events now (n = -1: one taken back, an accept that failed) */
void
rate_add(struct hp_rate *r, uint64_t now, int n)
{
	rate_roll(r, now);
	if (n >= 0)
		r->r_curr += (unsigned)n;
	else if (r->r_curr > 0)
		r->r_curr--;
}

/*
 * This period's count, now that its last event is sure, as the most a
 * period has had: an accept is counted before accept(2) and taken back
 * if that fails, as the last of every burst does (EAGAIN), which must
 * not show in the maximum.
 */
void
rate_keep_max(struct hp_rate *r)
{
	if (r->r_curr > r->r_max)
		r->r_max = r->r_curr;
}

/*
 * one event at now: a counter the stats show, not one a limit reads;
 * now is the caller's, read for the counters beside it anyway
 */
void
rate_hit(struct hp_rate *r, uint64_t now)
{
	rate_add(r, now, 1);
	rate_keep_max(r);
}

/*
 * The events of the last second as haproxy 2.6's read_freq_ctr() shows
 * them: this period's plus the last one's weighed by the part of it
 * still within a second of now, rounded down; but a last period of one
 * event and none since reads 1, not 0, so that a rate of one a second
 * does not flap between 0 and 1.
 */
unsigned
rate_read(const struct hp_rate *cur, uint64_t now)
{
	struct hp_rate r = *cur;
	uint64_t rem;

	rate_roll(&r, now);
	if (r.r_curr == 0 && r.r_prev <= 1)
		return r.r_prev;
	rem = r.r_start + RATE_PERIOD_MS - now;
	return r.r_curr + (unsigned)(r.r_prev * rem / RATE_PERIOD_MS);
}

/*
 * Milliseconds until one more event keeps r under limit events in the
 * last second; 0 if one may come now or if limit is 0 (none).  As
 * haproxy's freq_ctr_total(): this period's events, plus the last
 * period's weighed by the part of it still within a second, rounded
 * down (rounded up, a steady 20 a second came out as 19); so after a
 * burst of limit the next ones come one every 1/limit s, not limit at
 * once a second later.
 */
unsigned
rate_wait(const struct hp_rate *cur, uint64_t now, int limit)
{
	struct hp_rate r = *cur;
	uint64_t rem, room;

	if (limit <= 0)
		return 0;
	rate_roll(&r, now);
	rem = r.r_start + RATE_PERIOD_MS - now;
	if (r.r_curr + r.r_prev * rem / RATE_PERIOD_MS < (uint64_t)limit)
		return 0;
	if (r.r_curr < (unsigned)limit) {
		/* the last period's share must shrink to limit - 1 - curr */
		room = ((uint64_t)(limit - r.r_curr) * RATE_PERIOD_MS - 1) /
		    r.r_prev;
		return rem > room ? (unsigned)(rem - room) : 1;
	}
	/* this period is full: into the next, where it weighs as the last */
	room = ((uint64_t)limit * RATE_PERIOD_MS - 1) / r.r_curr;
	return (unsigned)(rem + RATE_PERIOD_MS - room);
}
