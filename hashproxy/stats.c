/* SPDX-License-Identifier: ISC */
/*
 * The stats socket's reports (show stat, show info; show servers state is
 * stats-state.c's) in haproxy's dialect; the sockets, sessions and levels
 * are stats-cli.c's.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <event2/buffer.h>

#include "duration.h"
#include "log.h"
#include "acl.h"
#include "check.h"
#include "check-agent.h"
#include "stats-cmd.h"
#include "hashproxy.h"
#include "stats.h"


static void stats_set(struct stats_row *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

int
stats_col(const char *name)
{
	int i;

	for (i = 0; i < STATS_NCOLS; i++)
		if (strcmp(stats_cols[i].sc_name, name) == 0)
			return i;
	return -1;
}

/* A column's text goes at the end of the row's; the row grows as needed. */
static void
stats_set(struct stats_row *r, const char *col, const char *fmt, ...)
{
	va_list ap;
	size_t need, cap;
	char *t;
	int i, n;

	if ((i = stats_col(col)) == -1 || r->r_nomem)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	need = r->r_len + (size_t)n + 1;
	if (need > r->r_cap) {
		for (cap = r->r_cap ? r->r_cap : 1024; cap < need; cap *= 2)
			;
		if ((t = realloc(r->r_text, cap)) == NULL) {
			r->r_nomem = 1;
			return;
		}
		r->r_text = t;
		r->r_cap = cap;
		r->r_text[0] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(r->r_text + r->r_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->r_off[i] = r->r_len;
	r->r_len = need;
}

int
stats_row_dup(struct stats_row *dst, const struct stats_row *src)
{
	*dst = *src;
	dst->r_cap = src->r_len;
	if (src->r_text == NULL)
		return 0;
	if ((dst->r_text = malloc(src->r_len)) == NULL)
		return -1;
	memcpy(dst->r_text, src->r_text, src->r_len);
	return 0;
}

void
stats_row_free(struct stats_row *r)
{
	free(r->r_text);
	r->r_text = NULL;
	r->r_cap = 0;
}

/* Where rows go: the filter of "show stat" and its format. */
struct stats_out {
	struct evbuffer		*so_buf;
	const struct ctl_stat	*so_st;
	int			 so_n;		/* rows so far */
	stats_row_fn		*so_fn;		/* instead of so_buf */
	void			*so_arg;
	int			 so_iid;	/* the filter's proxy, -1 all */
	struct stats_row	 so_row;	/* each row in turn, its text kept */
	int			 so_nomem;	/* a row was left out */
};

/* The row to fill next: every column empty; offset 0 stays unused. */
static struct stats_row *
stats_row_begin(struct stats_out *so)
{
	struct stats_row *r = &so->so_row;

	memset(r->r_off, 0, sizeof(r->r_off));
	r->r_len = 1;
	r->r_nomem = 0;
	return r;
}

static void
stats_emit(struct stats_out *so, const struct stats_obj *o,
    const struct stats_row *r)
{
	if (r->r_nomem) {
		so->so_nomem = 1;
		return;
	}
	if (so->so_fn != NULL)
		so->so_fn(so->so_arg, o, r);
	else if (so->so_st->st_fmt == CTL_TYPED)
		statsfmt_typed(so->so_buf, o, r);
	else if (so->so_st->st_fmt == CTL_JSON)
		statsfmt_json(so->so_buf, o, r, so->so_n == 0);
	else
		statsfmt_csv(so->so_buf, r);
	so->so_n++;
}

/*
 * haproxy's filter: a proxy (so_iid, -1 all), a bitmask of object types,
 * a server id (-1 all), and "up" / "no-maint" for servers.
 */
static int
stats_want(const struct stats_out *so, int kind, int iid)
{
	if (!(so->so_st->st_type & kind))
		return 0;
	return so->so_iid == -1 || so->so_iid == iid;
}

static int
stats_want_server(const struct ctl_stat *st, const struct hp_server *s)
{
	if (st->st_sid != -1 && st->st_sid != s->s_cf.sv_id)
		return 0;
	if ((st->st_up || st->st_nomaint) && (s->s_admin == ADM_MAINT ||
	    s->s_imaint || s->s_rmaint))
		return 0;
	return !st->st_up || s->s_op == SRV_UP;
}

static const char *
stats_algo(const struct cf_backend *b)
{
	switch (b->be_balance) {
	case BAL_SOURCE:
		return "source";
	case BAL_LEASTCONN:
		return "leastconn";
	case BAL_FIRST:
		return "first";
	case BAL_RANDOM:
		/* haproxy names no random, to this day (its
		 * backend_lb_algo_str()) */
		return "unknown";
	default:
		return b->be_staticrr ? "static-rr" : "roundrobin";
	}
}

void
stats_addr(const struct cf_addr *a, char *buf, size_t len)
{
	char h[INET6_ADDRSTRLEN];
	int port;

	if (sockaddr_text((const struct sockaddr *)&a->ca_ss, h, sizeof(h),
	    &port) == -1)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, a->ca_ss.ss_family == AF_INET6 ?
		    "[%s]:%d" : "%s:%d", h, port);
}

/* A server's: with a mapped port haproxy prints the offset as its port */
static void
stats_srv_addr(const struct cf_server *cs, char *buf, size_t len)
{
	char *colon;

	/* haproxy: nothing for a server with no address yet */
	if (cs->sv_addr.ca_ss.ss_family == AF_UNSPEC) {
		buf[0] = '\0';
		return;
	}
	stats_addr(&cs->sv_addr, buf, len);
	if (cs->sv_portmap && (colon = strrchr(buf, ':')) != NULL)
		snprintf(colon, len - (size_t)(colon - buf), ":%d",
		    cs->sv_portoff);
}

/* haproxy: seconds since the last connection was assigned, -1 never. */
static void
stats_lastsess(struct stats_row *r, uint64_t last, uint64_t now)
{
	if (last == 0)
		stats_set(r, "lastsess", "-1");
	else
		stats_set(r, "lastsess", "%llu",
		    (unsigned long long)((now - last) / 1000000));
}

/* rate and rate_max: sessions in the last second, the most in one */
static void
stats_rate(struct stats_row *r, const char *col, const char *maxcol,
    const struct hp_rate *rt)
{
	stats_set(r, col, "%u", rate_read(rt, mono_usec() / 1000));
	stats_set(r, maxcol, "%u", rt->r_max);
}

/* qtime..ttime and their maxima in ms; rtime is HTTP's: 0 at L4 */
static void
stats_times(struct stats_row *r, const struct hp_times *t)
{
	stats_set(r, "qtime", "%llu",
	    (unsigned long long)(times_avg(t, HT_QUEUE) / 1000));
	stats_set(r, "ctime", "%llu",
	    (unsigned long long)(times_avg(t, HT_CONNECT) / 1000));
	stats_set(r, "rtime", "0");
	stats_set(r, "ttime", "%llu",
	    (unsigned long long)(times_avg(t, HT_TOTAL) / 1000));
	stats_set(r, "qtime_max", "%llu",
	    (unsigned long long)(t->t_max[HT_QUEUE] / 1000));
	stats_set(r, "ctime_max", "%llu",
	    (unsigned long long)(t->t_max[HT_CONNECT] / 1000));
	stats_set(r, "rtime_max", "0");
	stats_set(r, "ttime_max", "%llu",
	    (unsigned long long)(t->t_max[HT_TOTAL] / 1000));
}

/* haproxy's statuses past L57DATA, those whose check_code it prints */
static int
stats_hascode(const char *status)
{
	return strcmp(status, "L7OK") == 0 || strcmp(status, "L7OKC") == 0 ||
	    strcmp(status, "L7STS") == 0 || strncmp(status, "PROC", 4) == 0;
}

/*
 * The check columns as haproxy 2.6 fills them.  A check running now
 * marks the status with "* " and has no last_chk yet (haproxy empties it
 * as a check starts); the rest is the last ended check's, and its code
 * was reset by the start.  No duration before a first check has ended.
 * check_desc is the status's description, last_chk the check's info:
 * check_done keeps them as one reason, "DESC[, code: N][, info: INFO]",
 * the words haproxy's log gives.
 */
static void
stats_check(struct stats_row *r, const struct hp_server *s)
{
	int running = check_running(s);
	int ini = strcmp(s->s_chk_status, "INI") == 0;
	const char *info;

	stats_set(r, "check_status", "%s%s", running ? "* " : "",
	    s->s_chk_status);
	if (stats_hascode(s->s_chk_status))
		stats_set(r, "check_code", "%d", s->s_chk_code);
	if (ini) {
		stats_set(r, "check_desc", "Initializing");
		return;
	}
	/* haproxy prints its -1, no duration (HANA), as unsigned */
	stats_set(r, "check_duration", "%llu", (unsigned long long)
	    (s->s_chk_dur == CHECK_NODUR ? UINT64_MAX : s->s_chk_dur / 1000));
	stats_set(r, "check_desc", "%.*s", (int)strcspn(s->s_chk_desc, ","),
	    s->s_chk_desc);
	if (!running && (info = strstr(s->s_chk_desc, ", info: ")) != NULL)
		stats_set(r, "last_chk", "%s", info + strlen(", info: "));
}

/*
 * The agent_* columns as haproxy 2.6 fills them: a code for L7OK and
 * L7STS only, "* " while it runs, last_agt what the reply said;
 * agent-rise and agent-fall are always 1.  A run under way shows the
 * last one's status, code, duration and description, but no last_agt:
 * haproxy empties it when a run starts.
 */
static void
stats_agent(struct stats_row *r, const struct hp_agent *a)
{
	stats_set(r, "agent_status", "%s%s", a->a_start != 0 ? "* " : "",
	    a->a_status);
	if (stats_hascode(a->a_status))
		stats_set(r, "agent_code", "%d", a->a_code);
	/* 0 before the first run ends, as haproxy's */
	stats_set(r, "agent_duration", "%llu",
	    (unsigned long long)(a->a_dur / 1000));
	stats_set(r, "agent_desc", "%s", a->a_desc);
	if (a->a_start == 0)
		stats_set(r, "last_agt", "%s", a->a_info);
	stats_set(r, "agent_rise", "1");
	stats_set(r, "agent_fall", "1");
	stats_set(r, "agent_health", "%d", a->a_health);
}

/* cli_abrt, srv_abrt: sessions the client's or the server's side ended
 * with a reset or a timeout (stats-count.c) */
static void
stats_aborts(struct stats_row *r, uint64_t cli, uint64_t srv)
{
	stats_set(r, "cli_abrt", "%llu", (unsigned long long)cli);
	stats_set(r, "srv_abrt", "%llu", (unsigned long long)srv);
}

/*
 * The columns of what hashproxy does not do (compression, rewrites, SSL,
 * HTTP/1 and 2, idle server connections) at the 0 haproxy 2.6 shows for
 * them in tcp mode, for a kind of row ('F', 'B', 'S').
 */
static void
stats_idle(struct stats_row *r, char kind)
{
	static const char *const any[] = { "wrew", "eint", "ssl_sess",
	    "ssl_reused_sess", "ssl_failed_handshake", NULL };
	static const char *const proxy[] = { "comp_in", "comp_out",
	    "comp_byp", "comp_rsp", "h2_headers_rcvd", "h2_data_rcvd",
	    "h2_settings_rcvd", "h2_rst_stream_rcvd", "h2_goaway_rcvd",
	    "h2_detected_conn_protocol_errors",
	    "h2_detected_strm_protocol_errors", "h2_rst_stream_resp",
	    "h2_goaway_resp", "h2_open_connections",
	    "h2_backend_open_streams", "h2_total_connections",
	    "h2_backend_total_streams", "h1_open_connections",
	    "h1_open_streams", "h1_total_connections", "h1_total_streams",
	    "h1_bytes_in", "h1_bytes_out", "h1_spliced_bytes_in",
	    "h1_spliced_bytes_out", NULL };
	/* requests: an L4 proxy's sessions are none */
	static const char *const fe[] = { "req_rate", "req_rate_max",
	    "req_tot", NULL };
	/* haproxy 2.6 aggregates no status yet */
	static const char *const be[] = { "agg_server_status",
	    "agg_server_check_status", "agg_check_status", NULL };
	static const char *const srv[] = { "srv_icur", "idle_conn_cur",
	    "safe_conn_cur", "used_conn_cur", "need_conn_est", NULL };
	const char *const *l[3] = { any, kind == 'S' ? srv : proxy,
	    kind == 'F' ? fe : kind == 'B' ? be : NULL };
	int i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; l[i] != NULL && l[i][j] != NULL; j++)
			stats_set(r, l[i][j], "0");
}

static void
stats_server_row(struct stats_out *so, struct hp_backend *be, int bid,
    struct hp_server *s)
{
	struct stats_obj o = { 'S', bid, s->s_cf.sv_id };
	struct stats_row *r = stats_row_begin(so);
	char addr[80];
	uint64_t now = mono_usec();

	stats_srv_addr(&s->s_cf, addr, sizeof(addr));
	stats_set(r, "pxname", "%s", be->b_cf.be_name);
	stats_set(r, "svname", "%s", s->s_cf.sv_name);
	stats_set(r, "qcur", "%d", s->s_qcur);
	stats_set(r, "qmax", "%d", s->s_qmax);
	stats_set(r, "scur", "%d", s->s_cur);
	stats_set(r, "smax", "%d", s->s_max);
	/* haproxy's unsigned: "set maxconn server" may give -1 */
	if (s->s_cf.sv_maxconn)
		stats_set(r, "slim", "%u", (unsigned int)s->s_cf.sv_maxconn);
	stats_set(r, "stot", "%llu", (unsigned long long)s->s_tot);
	stats_set(r, "bin", "%llu",
	    (unsigned long long)HP_READ(s->s_bin));
	stats_set(r, "bout", "%llu",
	    (unsigned long long)HP_READ(s->s_bout));
	stats_set(r, "dresp", "0");
	stats_set(r, "econ", "%llu", (unsigned long long)s->s_econ);
	stats_set(r, "eresp", "%llu",
	    (unsigned long long)HP_READ(s->s_eresp));
	stats_set(r, "wretr", "%llu", (unsigned long long)s->s_wretr);
	stats_set(r, "wredis", "%llu", (unsigned long long)s->s_wredis);
	stats_set(r, "status", "%s", server_status(s));
	/* during slowstart, the weight it has now (haproxy's eweight) */
	stats_set(r, "weight", "%d", s->s_ss_start != 0 ?
	    (s->s_eweight + HASH_WEIGHT_SCALE - 1) / HASH_WEIGHT_SCALE :
	    s->s_cf.sv_weight);
	stats_set(r, "act", "%d", !s->s_cf.sv_backup);
	stats_set(r, "bck", "%d", s->s_cf.sv_backup);
	if (s->s_cf.sv_check) {
		stats_set(r, "chkfail", "%llu",
		    (unsigned long long)s->s_chkfail);
		stats_set(r, "chkdown", "%llu",
		    (unsigned long long)s->s_chkdown);
		stats_set(r, "downtime", "%llu", (unsigned long long)
		    ((s->s_downtime + (s->s_downsince ? now - s->s_downsince :
		    0)) / 1000000));
	}
	/* haproxy: a check paused in maintenance shows none of these */
	if (s->s_cf.sv_check && s->s_admin != ADM_MAINT) {
		stats_check(r, s);
		stats_set(r, "check_rise", "%d", s->s_cf.sv_rise);
		stats_set(r, "check_fall", "%d", s->s_cf.sv_fall);
		stats_set(r, "check_health", "%d", s->s_health);
	}
	/* haproxy: a disabled agent shows none of these */
	if (s->s_agent != NULL && !s->s_agt_off)
		stats_agent(r, s->s_agent);
	if (s->s_cf.sv_observe)
		stats_set(r, "hanafail", "%llu",
		    (unsigned long long)s->s_hanafail);
	stats_set(r, "lastchg", "%llu",
	    (unsigned long long)((now - s->s_lastchg) / 1000000));
	stats_lastsess(r, s->s_lastsess, now);
	stats_set(r, "pid", "1");
	stats_set(r, "iid", "%d", bid);
	stats_set(r, "sid", "%d", s->s_cf.sv_id);
	stats_set(r, "lbtot", "%llu", (unsigned long long)(s->s_tot -
	    s->s_direct - s->s_rtot + s->s_qlb));
	stats_aborts(r, HP_READ(s->s_cli_abrt), HP_READ(s->s_srv_abrt));
	stats_set(r, "connect", "%llu", (unsigned long long)s->s_connect);
	/* at L4 every session has a connection of its own */
	stats_set(r, "reuse", "0");
	if (s->s_track != NULL)
		stats_set(r, "tracked", "%s/%s", s->s_track->s_be->b_cf.be_name,
		    s->s_track->s_cf.sv_name);
	stats_set(r, "type", "2");
	stats_rate(r, "rate", "rate_max", &s->s_rate);
	if (!so->so_st->st_noaddr)
		stats_set(r, "addr", "%s", addr);
	stats_set(r, "mode", "tcp");
	stats_set(r, "uweight", "%d", s->s_cf.sv_weight);
	stats_times(r, &s->s_times);
	stats_idle(r, 'S');
	stats_emit(so, &o, r);
}

static void
stats_frontend_row(struct stats_out *so, struct hp_ctx *ctx, int f, int iid)
{
	struct hp_frontend *fe = ctx->c_fe[f];
	struct stats_obj o = { 'F', iid, 0 };
	struct stats_row *r = stats_row_begin(so);

	stats_set(r, "pxname", "%s", fe->f_name);
	stats_set(r, "svname", "FRONTEND");
	stats_set(r, "scur", "%d", fe->f_cur);
	stats_set(r, "smax", "%d", fe->f_max);
	stats_set(r, "slim", "%d", fe->f_maxconn || fe->f_maxconn_set ?
	    fe->f_maxconn : ctx->c_maxconn);
	stats_set(r, "stot", "%llu", (unsigned long long)fe->f_tot);
	stats_rate(r, "rate", "rate_max", &fe->f_srate);
	stats_set(r, "rate_lim", "%d", fe->f_ratelim);
	stats_set(r, "bin", "%llu", (unsigned long long)HP_READ(fe->f_bin));
	stats_set(r, "bout", "%llu",
	    (unsigned long long)HP_READ(fe->f_bout));
	stats_set(r, "status", "%s", ctx->c_draining || fe->f_stopped ?
	    "STOP" : fe->f_paused ? "PAUSED" : "OPEN");
	stats_set(r, "pid", "1");
	stats_set(r, "iid", "%d", iid);
	stats_set(r, "sid", "0");
	stats_set(r, "type", "0");
	stats_set(r, "mode", "tcp");
	/* every connection accepted, those rules refused too */
	stats_set(r, "conn_tot", "%llu", (unsigned long long)
	    (fe->f_tot + fe->f_dcon + fe->f_dses));
	/* every accept, those refused too: what rate-limit sessions bounds */
	stats_rate(r, "conn_rate", "conn_rate_max", &fe->f_rate);
	/* refused by tcp-request connection, session, content */
	stats_set(r, "dcon", "%llu", (unsigned long long)fe->f_dcon);
	stats_set(r, "dses", "%llu", (unsigned long long)fe->f_dses);
	stats_set(r, "dreq", "%llu", (unsigned long long)fe->f_dreq);
	/* haproxy's counts a session that ended before it had a server,
	 * which only content rules waiting for bytes (refused here) allow */
	stats_set(r, "ereq", "0");
	/* tcp-response rules are refused: nothing counts here */
	stats_set(r, "dresp", "0");
	stats_idle(r, 'F');
	stats_emit(so, &o, r);
}

/*
 * haproxy's tot_weight: the weights the usable active servers have now
 * (ramping in slowstart), else the first usable backup's, or every
 * backup's with allbackups; summed, then rounded up once.  With user,
 * its tot_uweight: the same servers' configured (or set) weights.
 */
static int
stats_backend_weight(const struct hp_backend *be, int user)
{
	int k, wact = 0, wbck = 0, nbck = 0, w;

	for (k = 0; k < be->b_nsrv; k++) {
		const struct hp_server *s = be->b_srv[k];

		if (s == NULL || !server_usable(s))
			continue;
		w = s->s_ss_start != 0 && !user ? s->s_eweight :
		    s->s_cf.sv_weight * HASH_WEIGHT_SCALE;
		if (!s->s_cf.sv_backup)
			wact += w;
		else if (nbck++ == 0 || be->b_cf.be_allbackups)
			wbck += w;
	}
	w = wact != 0 || nbck == 0 ? wact : wbck;
	return (w + HASH_WEIGHT_SCALE - 1) / HASH_WEIGHT_SCALE;
}

static void
stats_backend_row(struct stats_out *so, struct hp_backend *be, int iid)
{
	struct stats_obj o = { 'B', iid, 0 };
	struct stats_row *r;
	int k, act = 0, bck = 0;
	unsigned long long wretr = 0, wredis = 0;

	for (k = 0; k < be->b_nsrv; k++) {
		struct hp_server *s = be->b_srv[k];

		if (s == NULL)
			continue;
		/* haproxy counts a retry or redispatch for both */
		wretr += s->s_wretr;
		wredis += s->s_wredis;
		if (!server_usable(s))
			continue;
		if (s->s_cf.sv_backup)
			bck++;
		else
			act++;
	}
	r = stats_row_begin(so);
	stats_set(r, "pxname", "%s", be->b_cf.be_name);
	stats_set(r, "svname", "BACKEND");
	stats_set(r, "qcur", "%d", be->b_qcur);
	stats_set(r, "qmax", "%d", be->b_qmax);
	stats_set(r, "scur", "%d", be->b_conns);
	/* a reload's successor takes connections over (connect.c) without
	 * a peak of its own: never less than now */
	stats_set(r, "smax", "%d", be->b_smax > be->b_conns ? be->b_smax :
	    be->b_conns);
	stats_set(r, "slim", "%d", backend_fullconn(be));
	stats_set(r, "stot", "%llu", (unsigned long long)be->b_tot);
	stats_set(r, "bin", "%llu", (unsigned long long)HP_READ(be->b_bin));
	stats_set(r, "bout", "%llu",
	    (unsigned long long)HP_READ(be->b_bout));
	/* haproxy's backend counts only "http-request deny" here (its
	 * content rules count the frontend's): none in tcp mode */
	stats_set(r, "dreq", "0");
	stats_set(r, "dresp", "0");
	stats_set(r, "econ", "%llu", (unsigned long long)be->b_econ);
	stats_set(r, "eresp", "%llu",
	    (unsigned long long)HP_READ(be->b_eresp));
	stats_set(r, "wretr", "%llu", wretr);
	stats_set(r, "wredis", "%llu", wredis);
	/* haproxy: a backend with no server at all is UP */
	stats_set(r, "status", "%s", be->b_ncands || be->b_nsrv == 0 ?
	    "UP" : "DOWN");
	stats_set(r, "weight", "%d", stats_backend_weight(be, 0));
	stats_set(r, "uweight", "%d", stats_backend_weight(be, 1));
	stats_set(r, "act", "%d", act);
	stats_set(r, "bck", "%d", bck);
	stats_set(r, "lastchg", "%llu", (unsigned long long)
	    ((mono_usec() - be->b_lastchg) / 1000000));
	/* haproxy: the times it lost its last server, the time without */
	stats_set(r, "chkdown", "%llu", (unsigned long long)be->b_chkdown);
	if (be->b_nsrv != 0)
		stats_set(r, "downtime", "%llu", (unsigned long long)
		    ((be->b_downtime + (be->b_ncands == 0 ? mono_usec() -
		    be->b_lastchg : 0)) / 1000000));
	stats_set(r, "pid", "1");
	stats_set(r, "iid", "%d", iid);
	stats_set(r, "sid", "0");
	/* with no server at all, nothing was balanced */
	stats_set(r, "lbtot", "%llu", (unsigned long long)(be->b_nsrv ?
	    be->b_tot - be->b_direct + be->b_rlb : 0));
	stats_aborts(r, HP_READ(be->b_cli_abrt), HP_READ(be->b_srv_abrt));
	stats_set(r, "connect", "%llu", (unsigned long long)be->b_connect);
	stats_set(r, "reuse", "0");
	stats_set(r, "type", "1");
	stats_rate(r, "rate", "rate_max", &be->b_rate);
	stats_set(r, "mode", "tcp");
	stats_set(r, "algo", "%s", stats_algo(&be->b_cf));
	stats_lastsess(r, be->b_lastsess, mono_usec());
	stats_times(r, &be->b_times);
	stats_idle(r, 'B');
	stats_emit(so, &o, r);
}

/*
 * haproxy's proxies in its order, which is the config's: a listen
 * section is one proxy (FRONTEND, its servers, BACKEND under one id).
 * c_fe and c_be are each in config order, so one walk merges them by
 * where their section starts; the ids are the config's (config.c
 * numbers them as haproxy does).
 */
struct stats_px {
	int	px_fe, px_be;	/* indexes in c_fe, c_be; -1 none */
	int	px_iid;
};

struct stats_pxit {
	int	it_f, it_b;
};

static void
stats_px_first(const struct hp_ctx *ctx, struct stats_pxit *it)
{
	(void)ctx;
	it->it_f = it->it_b = 0;
}

static int
stats_px_next(const struct hp_ctx *ctx, struct stats_pxit *it,
    struct stats_px *px)
{
	const struct cf_config *cf = &ctx->c_cf;
	int c;

	if (it->it_f >= ctx->c_nfe && it->it_b >= ctx->c_nbe)
		return 0;
	if (it->it_f >= ctx->c_nfe)
		c = 1;
	else if (it->it_b >= ctx->c_nbe)
		c = -1;
	else
		c = config_proxy_cmp(cf, it->it_f, it->it_b);
	px->px_fe = c <= 0 ? it->it_f++ : -1;
	px->px_be = c >= 0 ? it->it_b++ : -1;
	px->px_iid = px->px_fe != -1 ? cf->cf_frontends[px->px_fe].fe_id :
	    cf->cf_backends[px->px_be].be_id;
	return 1;
}

int
stats_be_iid(struct hp_ctx *ctx, int b)
{
	struct stats_pxit it;
	struct stats_px px;

	stats_px_first(ctx, &it);
	while (stats_px_next(ctx, &it, &px))
		if (px.px_be == b)
			return px.px_iid;
	return 0;
}

struct hp_server *
stats_server_at(const struct hp_backend *be, int k)
{
	return be->b_srv[be->b_cf.be_disabled ? be->b_nsrv - 1 - k : k];
}

/*
 * The filter's proxy as haproxy finds it: "#ID" is that id if a proxy
 * has it; a name is the first proxy in order with that name (of a
 * frontend and a backend both called so, the one written first); else
 * the number the word starts with, as atoi reads it.  0: none.
 */
static int
stats_filter_iid(struct hp_ctx *ctx, const char *name)
{
	struct stats_pxit it;
	struct stats_px px;
	int id = name[0] == '#' ? atoi(name + 1) : 0;

	stats_px_first(ctx, &it);
	while (stats_px_next(ctx, &it, &px)) {
		if (name[0] == '#') {
			if (px.px_iid == id)
				return id;
			continue;
		}
		if ((px.px_fe != -1 && strcmp(ctx->c_fe[px.px_fe]->f_name,
		    name) == 0) || (px.px_be != -1 &&
		    strcmp(ctx->c_be[px.px_be]->b_cf.be_name, name) == 0))
			return px.px_iid;
	}
	return name[0] == '#' ? 0 : atoi(name);
}

static void stats_walk(struct hp_ctx *, struct stats_out *);

static void
stats_show_stat(struct hp_ctx *ctx, const struct ctl_stat *st,
    struct evbuffer *out)
{
	struct stats_out so = { .so_buf = out, .so_st = st,
	    .so_iid = st->st_iid };
	size_t i;

	if (st->st_px[0] != '\0' &&
	    (so.so_iid = stats_filter_iid(ctx, st->st_px)) == 0) {
		evbuffer_add_printf(out, "No such proxy.\n");
		return;
	}
	if (st->st_fmt == CTL_CSV) {
		evbuffer_add_printf(out, "# ");
		for (i = 0; i < STATS_NCOLS; i++)
			evbuffer_add_printf(out, "%s%s,", i == STATS_NBASE ?
			    "-," : "", stats_cols[i].sc_name);
		evbuffer_add(out, "\n", 1);
	} else if (st->st_fmt == CTL_JSON)
		evbuffer_add(out, "[", 1);
	stats_walk(ctx, &so);
	if (st->st_fmt == CTL_JSON)
		evbuffer_add(out, "]\n", 2);
	if (so.so_nomem)
		evbuffer_add_printf(out, "Out of memory.\n");
}

int
stats_rows(struct hp_ctx *ctx, stats_row_fn *fn, void *arg)
{
	/* everything, addresses left out: metrics do not show them */
	struct ctl_stat st = { .st_iid = -1, .st_type = CTL_TYPE_FE |
	    CTL_TYPE_BE | CTL_TYPE_SRV, .st_sid = -1, .st_noaddr = 1 };
	struct stats_out so = { .so_st = &st, .so_fn = fn, .so_arg = arg,
	    .so_iid = -1 };

	stats_walk(ctx, &so);
	return so.so_nomem ? -1 : 0;
}

/* The rows the filter wants, in haproxy's order. */
static void
stats_walk(struct hp_ctx *ctx, struct stats_out *so)
{
	struct stats_pxit it;
	struct stats_px px;
	int k;

	stats_px_first(ctx, &it);
	while (stats_px_next(ctx, &it, &px)) {
		struct hp_backend *be;

		/* haproxy shows no row of a disabled proxy */
		if (px.px_fe != -1 && stats_want(so, CTL_TYPE_FE, px.px_iid) &&
		    !ctx->c_cf.cf_frontends[px.px_fe].fe_disabled)
			stats_frontend_row(so, ctx, px.px_fe, px.px_iid);
		if (px.px_be == -1 || ctx->c_cf.cf_backends[px.px_be].be_disabled)
			continue;
		be = ctx->c_be[px.px_be];
		for (k = 0; k < be->b_nsrv; k++)
			if (be->b_srv[k] != NULL && stats_want(so,
			    CTL_TYPE_SRV, px.px_iid) &&
			    stats_want_server(so->so_st, be->b_srv[k]))
				stats_server_row(so, be, px.px_iid,
				    be->b_srv[k]);
		if (stats_want(so, CTL_TYPE_BE, px.px_iid))
			stats_backend_row(so, be, px.px_iid);
	}
	stats_row_free(&so->so_row);
}

void
stats_help(struct evbuffer *out)
{
	evbuffer_add_printf(out,
	    "  help                                    : this message\n"
	    "  show stat [{<iid>|<px>} <type> <sid>] [typed|json] [up|no-maint]"
	    " : report counters for each proxy and server\n"
	    "  show info                               : report information "
	    "about the running process\n"
	    "  show metrics                            : the counters in "
	    "the Prometheus text format\n"
	    "  show servers state [<backend>]          : dump volatile "
	    "server information\n"
	    "  show backend                            : list backends in "
	    "the current running config\n"
	    "  show env [var]                          : dump environment "
	    "variables known to the process\n"
	    "  disable server <bk>/<srv>               : disable a server "
	    "for maintenance\n"
	    "  enable server <bk>/<srv>                : enable a disabled "
	    "server\n"
	    "  set server <bk>/<srv> state <state>     : ready, drain or "
	    "maint\n"
	    "  set server <bk>/<srv> addr <ip> [port <port>] : change a "
	    "server's address\n"
	    "  set server <bk>/<srv> weight <w>[%%]     : same as set weight\n"
	    "  set weight <bk>/<srv> <w>[%%]            : change a server's "
	    "weight\n"
	    "  get weight <bk>/<srv>                   : report a server's "
	    "weight\n"
	    "  shutdown sessions server <bk>/<srv>     : kill sessions on a "
	    "server\n"
	    "  set maxconn server <bk>/<srv> <n>       : change a server's "
	    "maxconn setting\n"
	    "  set server <bk>/<srv> agent up|down     : force the agent's "
	    "verdict\n"
	    "  set server <bk>/<srv> agent-addr <ip> [port <port>] : where "
	    "the agent is\n"
	    "  set server <bk>/<srv> agent-port <port> : the agent's port\n"
	    "  set server <bk>/<srv> agent-send <str>  : what is sent to "
	    "the agent\n"
	    "  set server <bk>/<srv> fqdn <name>       : the name its "
	    "resolvers ask\n"
	    "  disable frontend <frontend>             : temporarily disable "
	    "specific frontend\n"
	    "  enable frontend <frontend>              : re-enable specific "
	    "frontend\n"
	    "  shutdown frontend <frontend>            : stop a specific "
	    "frontend\n"
	    "  set maxconn frontend <frontend> <value> : change a frontend's "
	    "maxconn setting\n"
	    "  set maxconn global <value>              : change the "
	    "per-process maxconn setting\n"
	    "  disable health <bk>/<srv>               : disable health "
	    "checks\n"
	    "  enable health <bk>/<srv>                : enable health "
	    "checks\n"
	    "  disable agent <bk>/<srv>                : disable agent "
	    "checks\n"
	    "  enable agent <bk>/<srv>                 : enable agent "
	    "checks\n"
	    "  show servers conn [<backend>]           : dump server "
	    "connections status\n"
	    "  set server <bk>/<srv> health up|down    : force a check's "
	    "verdict\n"
	    "  set server <bk>/<srv> check-addr <ip> [port <port>] : where "
	    "checks go\n"
	    "  set server <bk>/<srv> check-port <port> : the checks' port\n"
	    "  operator                                : lower the level of "
	    "the current CLI session to operator\n"
	    "  user                                    : lower the level of "
	    "the current CLI session to user\n"
	    "  expert-mode [on|off]                    : show/set expert mode "
	    "(unlocks nothing here)\n"
	    "  experimental-mode [on|off]              : show/set "
	    "experimental mode (unlocks nothing here)\n"
	    "  show cli level                          : display the level of "
	    "the current CLI session\n"
	    "  show cli sockets                        : dump list of cli "
	    "sockets\n"
	    "  prompt                                  : toggle interactive "
	    "mode with prompt\n"
	    "  quit                                    : disconnect\n");
}

/* The proxy's commands, once parsed and allowed (stats-cli.c). */
void
stats_exec(struct hp_ctx *ctx, const struct ctl_cmd *cmd,
    struct evbuffer *out)
{
	switch (cmd->cc_op) {
	case CTL_HELP:
		stats_help(out);
		break;
	case CTL_QUIT:
		break;
	case CTL_SHOW_STAT:
		stats_show_stat(ctx, &cmd->cc_stat, out);
		break;
	case CTL_SHOW_INFO:
		stats_show_info(ctx, out);
		break;
	case CTL_SHOW_METRICS:
		metrics_write(ctx, out);
		break;
	case CTL_SHOW_SERVERS:
		stats_show_servers(ctx, out, cmd->cc_backend);
		break;
	case CTL_SHOW_CONN:
		statssrv_conn(ctx, cmd->cc_backend, out);
		break;
	case CTL_SHOW_BACKEND:
		statspx_show_backend(ctx, out);
		break;
	case CTL_FE_DISABLE:
	case CTL_FE_ENABLE:
	case CTL_FE_SHUTDOWN:
	case CTL_SET_MAXCONN_FE:
	case CTL_SET_MAXCONN_GLOBAL:
	case CTL_SHOW_ENV:
		statspx_run(ctx, cmd, out);
		break;
	default:
		statssrv_run(ctx, cmd, out);
		break;
	}
}
