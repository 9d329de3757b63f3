/* SPDX-License-Identifier: ISC */
/*
 * "show metrics" and --metrics: the rows of "show stat" in the
 * Prometheus text format, under the names and labels of haproxy 2.6's
 * built-in exporter (prometheus-exporter service) wherever hashproxy has
 * the same counter, so a dashboard or alert written for haproxy reads
 * hashproxy unchanged: haproxy_server_status{proxy,server,state},
 * haproxy_backend_*{proxy}, haproxy_frontend_*{proxy}.  A column
 * hashproxy leaves empty gives no series, except where haproxy prints
 * NaN for "no limit" (limit_sessions): there NaN too.  Times are
 * seconds, as the exporter's; the rows' are milliseconds.
 *
 * The rows are taken from stats.c, the one place that computes them, so
 * "show stat" and the metrics cannot disagree.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "duration.h"
#include "hashproxy.h"
#include "prom.h"
#include "stats.h"

struct metrics_row {
	struct stats_obj	mr_obj;
	struct stats_row	mr_row;
};

struct metrics_rows {
	struct metrics_row	*mr_v;
	size_t			 mr_n, mr_cap;
	int			 mr_nomem;
};

/* One family: the objects it is about, its name, the column it reads. */
struct metrics_fam {
	char		 mf_kind;	/* 'F', 'B', 'S' */
	const char	*mf_name;
	const char	*mf_col;
	enum prom_type	 mf_type;
	double		 mf_scale;	/* 0: an integer; else times it */
	int		 mf_nan;	/* empty is NaN, not left out */
	const char	*mf_help;
};

#define G PROM_GAUGE
#define C PROM_COUNTER
static const struct metrics_fam metrics_fams[] = {
	{ 'F', "haproxy_frontend_current_sessions", "scur", G, 0, 0,
	    "Current sessions." },
	{ 'F', "haproxy_frontend_max_sessions", "smax", G, 0, 0,
	    "Most sessions at once since start." },
	{ 'F', "haproxy_frontend_limit_sessions", "slim", G, 0, 1,
	    "The frontend's maxconn." },
	{ 'F', "haproxy_frontend_sessions_total", "stot", C, 0, 0,
	    "Sessions since start." },
	{ 'F', "haproxy_frontend_bytes_in_total", "bin", C, 0, 0,
	    "Bytes from clients." },
	{ 'F', "haproxy_frontend_bytes_out_total", "bout", C, 0, 0,
	    "Bytes to clients." },
	{ 'F', "haproxy_frontend_requests_denied_total", "dreq", C, 0, 0,
	    "Requests denied (tcp-request content rules)." },
	{ 'F', "haproxy_frontend_request_errors_total", "ereq", C, 0, 0,
	    "Invalid requests (tcp mode: none)." },
	{ 'F', "haproxy_frontend_connections_total", "conn_tot", C, 0, 0,
	    "Connections accepted, those rules refused too." },
	{ 'F', "haproxy_frontend_denied_connections_total", "dcon", C, 0, 0,
	    "Connections refused by tcp-request connection rules." },
	{ 'F', "haproxy_frontend_denied_sessions_total", "dses", C, 0, 0,
	    "Sessions refused by tcp-request session rules." },
	{ 'F', "haproxy_frontend_limit_session_rate", "rate_lim", G, 0, 0,
	    "rate-limit sessions, 0 if none." },
	{ 'F', "haproxy_frontend_max_session_rate", "rate_max", G, 0, 0,
	    "Most sessions in one second since start." },
	{ 'F', "haproxy_frontend_connections_rate_max", "conn_rate_max", G, 0,
	    0, "Most connections in one second since start." },
	{ 'B', "haproxy_backend_current_queue", "qcur", G, 0, 0,
	    "Connections waiting for a server." },
	{ 'B', "haproxy_backend_max_queue", "qmax", G, 0, 0,
	    "Most connections waiting at once." },
	{ 'B', "haproxy_backend_current_sessions", "scur", G, 0, 0,
	    "Current sessions." },
	{ 'B', "haproxy_backend_limit_sessions", "slim", G, 0, 0,
	    "The backend's fullconn." },
	{ 'B', "haproxy_backend_sessions_total", "stot", C, 0, 0,
	    "Sessions since start." },
	{ 'B', "haproxy_backend_bytes_in_total", "bin", C, 0, 0,
	    "Bytes from clients." },
	{ 'B', "haproxy_backend_bytes_out_total", "bout", C, 0, 0,
	    "Bytes to clients." },
	{ 'B', "haproxy_backend_connection_errors_total", "econ", C, 0, 0,
	    "Failed connections to servers." },
	{ 'B', "haproxy_backend_response_errors_total", "eresp", C, 0, 0,
	    "Sessions a server's socket error ended." },
	{ 'B', "haproxy_backend_client_aborts_total", "cli_abrt", C, 0, 0,
	    "Sessions the client's reset or timeout ended." },
	{ 'B', "haproxy_backend_server_aborts_total", "srv_abrt", C, 0, 0,
	    "Sessions the server's reset or timeout ended." },
	{ 'B', "haproxy_backend_connection_attempts_total", "connect", C, 0,
	    0, "Attempts to connect to a server, retries too." },
	{ 'B', "haproxy_backend_connection_reuses_total", "reuse", C, 0, 0,
	    "Server connections reused (tcp mode: none)." },
	{ 'B', "haproxy_backend_weight", "weight", G, 0, 0,
	    "Sum of the usable active servers' weights." },
	{ 'B', "haproxy_backend_active_servers", "act", G, 0, 0,
	    "Usable active servers." },
	{ 'B', "haproxy_backend_backup_servers", "bck", G, 0, 0,
	    "Usable backup servers." },
	{ 'B', "haproxy_backend_check_last_change_seconds", "lastchg", G, 0, 0,
	    "Seconds since the backend's last state change." },
	{ 'B', "haproxy_backend_loadbalanced_total", "lbtot", C, 0, 0,
	    "Connections the balancing algorithm placed." },
	{ 'B', "haproxy_backend_last_session_seconds", "lastsess", G, 0, 0,
	    "Seconds since the last session, -1 if none." },
	{ 'B', "haproxy_backend_max_session_rate", "rate_max", G, 0, 0,
	    "Most sessions in one second since start." },
	{ 'B', "haproxy_backend_max_sessions", "smax", G, 0, 0,
	    "Most sessions at once since start." },
	{ 'B', "haproxy_backend_retry_warnings_total", "wretr", C, 0, 0,
	    "Connects retried, its servers' retries." },
	{ 'B', "haproxy_backend_redispatch_warnings_total", "wredis", C, 0, 0,
	    "Connects redispatched to another server." },
	{ 'B', "haproxy_backend_check_up_down_total", "chkdown", C, 0, 0,
	    "Times the backend lost its last usable server." },
	{ 'B', "haproxy_backend_downtime_seconds_total", "downtime", C, 0, 0,
	    "Seconds without a usable server, as haproxy counts them." },
	{ 'B', "haproxy_backend_uweight", "uweight", G, 0, 0,
	    "Configured weights of the servers the weight counts." },
	{ 'S', "haproxy_server_current_queue", "qcur", G, 0, 0,
	    "Connections waiting for this server." },
	{ 'S', "haproxy_server_max_queue", "qmax", G, 0, 0,
	    "Most connections waiting at once." },
	{ 'S', "haproxy_server_current_sessions", "scur", G, 0, 0,
	    "Current sessions." },
	{ 'S', "haproxy_server_max_sessions", "smax", G, 0, 0,
	    "Most sessions at once since start." },
	{ 'S', "haproxy_server_limit_sessions", "slim", G, 0, 1,
	    "The server's maxconn, NaN if none." },
	{ 'S', "haproxy_server_sessions_total", "stot", C, 0, 0,
	    "Sessions since start." },
	{ 'S', "haproxy_server_bytes_in_total", "bin", C, 0, 0,
	    "Bytes from clients." },
	{ 'S', "haproxy_server_bytes_out_total", "bout", C, 0, 0,
	    "Bytes to clients." },
	{ 'S', "haproxy_server_connection_errors_total", "econ", C, 0, 0,
	    "Failed connections." },
	{ 'S', "haproxy_server_response_errors_total", "eresp", C, 0, 0,
	    "Sessions the server's socket error ended." },
	{ 'S', "haproxy_server_client_aborts_total", "cli_abrt", C, 0, 0,
	    "Sessions the client's reset or timeout ended." },
	{ 'S', "haproxy_server_server_aborts_total", "srv_abrt", C, 0, 0,
	    "Sessions the server's reset or timeout ended." },
	{ 'S', "haproxy_server_connection_attempts_total", "connect", C, 0,
	    0, "Attempts to connect, retries too." },
	{ 'S', "haproxy_server_connection_reuses_total", "reuse", C, 0, 0,
	    "Connections reused (tcp mode: none)." },
	{ 'S', "haproxy_server_retry_warnings_total", "wretr", C, 0, 0,
	    "Connection retries." },
	{ 'S', "haproxy_server_redispatch_warnings_total", "wredis", C, 0, 0,
	    "Sessions redispatched to another server." },
	{ 'S', "haproxy_server_weight", "weight", G, 0, 0,
	    "Effective weight." },
	{ 'S', "haproxy_server_uweight", "uweight", G, 0, 0,
	    "Weight as configured or set." },
	{ 'S', "haproxy_server_check_failures_total", "chkfail", C, 0, 0,
	    "Failed health checks." },
	{ 'S', "haproxy_server_check_up_down_total", "chkdown", C, 0, 0,
	    "Changes from UP to DOWN." },
	{ 'S', "haproxy_server_check_last_change_seconds", "lastchg", G, 0, 0,
	    "Seconds since the last state change." },
	{ 'S', "haproxy_server_downtime_seconds_total", "downtime", C, 0, 0,
	    "Seconds spent DOWN." },
	{ 'S', "haproxy_server_loadbalanced_total", "lbtot", C, 0, 0,
	    "Connections the balancing algorithm placed here." },
	{ 'S', "haproxy_server_check_code", "check_code", G, 0, 0,
	    "Layer 5-7 code of the last check." },
	{ 'S', "haproxy_server_check_duration_seconds", "check_duration", G,
	    1e-3, 0, "Duration of the last check." },
	{ 'S', "haproxy_server_last_session_seconds", "lastsess", G, 0, 0,
	    "Seconds since the last session, -1 if none." },
	{ 'S', "haproxy_server_max_session_rate", "rate_max", G, 0, 0,
	    "Most sessions in one second since start." },
};
#undef G
#undef C

/*
 * The recent and longest times, which the exporter gives backends and
 * servers alike: gauges, in seconds from the rows' milliseconds.  Each
 * kind's follow its families above.
 */
static const struct metrics_time {
	const char	*mt_backend;
	const char	*mt_server;
	const char	*mt_col;
	const char	*mt_help;
} metrics_times[] = {
	{ "haproxy_backend_queue_time_average_seconds",
	    "haproxy_server_queue_time_average_seconds", "qtime",
	    "Average queue time of recent connections." },
	{ "haproxy_backend_connect_time_average_seconds",
	    "haproxy_server_connect_time_average_seconds", "ctime",
	    "Average connect time of recent connections." },
	{ "haproxy_backend_response_time_average_seconds",
	    "haproxy_server_response_time_average_seconds", "rtime",
	    "Average response time (HTTP only: 0)." },
	{ "haproxy_backend_total_time_average_seconds",
	    "haproxy_server_total_time_average_seconds", "ttime",
	    "Average session time of recent connections." },
	{ "haproxy_backend_max_queue_time_seconds",
	    "haproxy_server_max_queue_time_seconds", "qtime_max",
	    "Longest queue time." },
	{ "haproxy_backend_max_connect_time_seconds",
	    "haproxy_server_max_connect_time_seconds", "ctime_max",
	    "Longest connect time." },
	{ "haproxy_backend_max_response_time_seconds",
	    "haproxy_server_max_response_time_seconds", "rtime_max",
	    "Longest response time (HTTP only: 0)." },
	{ "haproxy_backend_max_total_time_seconds",
	    "haproxy_server_max_total_time_seconds", "ttime_max",
	    "Longest session time." },
};

/* haproxy's check results that a check_status series exists for */
static const char *const metrics_checks[] = {
	"HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT",
	"L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR",
	"PROCTOUT", "PROCOK",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* stats_row_fn: keeps a copy of every row */
static void
metrics_keep(void *arg, const struct stats_obj *o, const struct stats_row *r)
{
	struct metrics_rows *mr = arg;
	struct metrics_row *v;
	size_t cap;

	if (mr->mr_nomem)
		return;
	if (mr->mr_n == mr->mr_cap) {
		cap = mr->mr_cap ? mr->mr_cap * 2 : 16;
		if ((v = reallocarray(mr->mr_v, cap, sizeof(*v))) == NULL) {
			mr->mr_nomem = 1;
			return;
		}
		mr->mr_v = v;
		mr->mr_cap = cap;
	}
	if (stats_row_dup(&mr->mr_v[mr->mr_n].mr_row, r) == -1) {
		mr->mr_nomem = 1;
		return;
	}
	mr->mr_v[mr->mr_n++].mr_obj = *o;
}

static void
metrics_rows_free(struct metrics_rows *mr)
{
	size_t i;

	for (i = 0; i < mr->mr_n; i++)
		stats_row_free(&mr->mr_v[i].mr_row);
	free(mr->mr_v);
}

static const char *
metrics_col(const struct metrics_row *m, const char *col)
{
	int i = stats_col(col);

	return i == -1 ? "" : stats_v(&m->mr_row, (size_t)i);
}

/* One sample with the labels of its object: proxy, and server. */
static void
metrics_sample(struct prom *p, const struct metrics_row *m,
    const struct metrics_fam *f)
{
	const char *v = metrics_col(m, f->mf_col);
	const char *px = metrics_col(m, "pxname");
	const char *sv = metrics_col(m, "svname");
	double d;

	if (*v == '\0' && !f->mf_nan)
		return;
	if (*v == '\0')
		d = NAN;
	else if (f->mf_scale == 0) {
		if (f->mf_kind == 'S')
			prom_i64(p, strtoll(v, NULL, 10), "proxy", px,
			    "server", sv, NULL);
		else
			prom_i64(p, strtoll(v, NULL, 10), "proxy", px, NULL);
		return;
	} else if (strcmp(v, "18446744073709551615") == 0)
		/* haproxy's -1, printed unsigned in show stat (no check
		 * duration: HANA); its exporter gives -1 scaled */
		d = -f->mf_scale;
	else
		d = strtod(v, NULL) * f->mf_scale;
	if (f->mf_kind == 'S')
		prom_dbl(p, d, "proxy", px, "server", sv, NULL);
	else
		prom_dbl(p, d, "proxy", px, NULL);
}

static void
metrics_family(struct prom *p, const struct metrics_rows *mr,
    const struct metrics_fam *f)
{
	size_t i;

	prom_family(p, f->mf_name, f->mf_type, f->mf_help);
	for (i = 0; i < mr->mr_n; i++)
		if (mr->mr_v[i].mr_obj.so_kind == f->mf_kind)
			metrics_sample(p, &mr->mr_v[i], f);
}

/* The time families of kind 'B' or 'S' (metrics_times). */
static void
metrics_times_of(struct prom *p, const struct metrics_rows *mr, char kind)
{
	struct metrics_fam f = { kind, NULL, NULL, PROM_GAUGE, 1e-3, 0, NULL };
	const struct metrics_time *t;

	for (t = metrics_times; t < metrics_times + NELEM(metrics_times); t++) {
		f.mf_name = kind == 'B' ? t->mt_backend : t->mt_server;
		f.mf_col = t->mt_col;
		f.mf_help = t->mt_help;
		metrics_family(p, mr, &f);
	}
}

/*
 * A server's "status" column as the exporter's state label: "UP 1/3"
 * (going down) is still UP, "no check" is UP, "MAINT (resolution)" is
 * MAINT.
 */
static const char *
metrics_srv_state(const char *status)
{
	static const char *const words[] = { "MAINT", "DRAIN", "NOLB",
	    "DOWN" };
	size_t i;

	for (i = 0; i < NELEM(words); i++)
		if (strncmp(status, words[i], strlen(words[i])) == 0)
			return words[i];
	return "UP";
}

static void
metrics_status(struct prom *p, const struct metrics_rows *mr, char kind,
    const char *name, const char *const *states, size_t nstates)
{
	const char *st, *px, *sv;
	size_t i, k;

	prom_family(p, name, PROM_GAUGE, "1 for the current state, 0 for "
	    "the others.");
	for (i = 0; i < mr->mr_n; i++) {
		const struct metrics_row *m = &mr->mr_v[i];

		if (m->mr_obj.so_kind != kind)
			continue;
		st = metrics_col(m, "status");
		px = metrics_col(m, "pxname");
		sv = metrics_col(m, "svname");
		if (kind == 'F')
			st = strcmp(st, "OPEN") == 0 ? "UP" : "DOWN";
		else if (kind == 'S')
			st = metrics_srv_state(st);
		for (k = 0; k < nstates; k++) {
			uint64_t on = strcmp(st, states[k]) == 0;

			if (kind == 'S')
				prom_u64(p, on, "proxy", px, "server", sv,
				    "state", states[k], NULL);
			else
				prom_u64(p, on, "proxy", px, "state",
				    states[k], NULL);
		}
	}
}

/* Servers with checks: 1 for the last check's result ("* " = running). */
static void
metrics_check_status(struct prom *p, const struct metrics_rows *mr)
{
	const char *st;
	size_t i, k;

	prom_family(p, "haproxy_server_check_status", PROM_GAUGE, "The last "
	    "health check's result: 1 for it, 0 for the others.");
	for (i = 0; i < mr->mr_n; i++) {
		const struct metrics_row *m = &mr->mr_v[i];

		if (m->mr_obj.so_kind != 'S' ||
		    *(st = metrics_col(m, "check_status")) == '\0')
			continue;
		if (strncmp(st, "* ", 2) == 0)
			st += 2;
		for (k = 0; k < NELEM(metrics_checks); k++)
			prom_u64(p, strcmp(st, metrics_checks[k]) == 0,
			    "proxy", metrics_col(m, "pxname"), "server",
			    metrics_col(m, "svname"), "state",
			    metrics_checks[k], NULL);
	}
}

/*
 * show info's ConnRate or SessRate, its limit and its maximum, under
 * names[0..2] (literals: prom keeps them).
 */
static void
metrics_rates(struct prom *p, const char *const names[3],
    const struct hp_rate *r, int limit)
{
	prom_family(p, names[0], PROM_GAUGE, "Accepted in the last second.");
	prom_u64(p, rate_read(r, mono_usec() / 1000), NULL);
	prom_family(p, names[1], PROM_GAUGE, "Its limit a second, 0 if none.");
	prom_i64(p, limit, NULL);
	prom_family(p, names[2], PROM_GAUGE, "Most in one second since start.");
	prom_u64(p, r->r_max, NULL);
}

static void
metrics_process(struct prom *p, struct hp_ctx *ctx)
{
	static const char *const conn[3] = {
	    "haproxy_process_current_connection_rate",
	    "haproxy_process_limit_connection_rate",
	    "haproxy_process_max_connection_rate" }, *const sess[3] = {
	    "haproxy_process_current_session_rate",
	    "haproxy_process_limit_session_rate",
	    "haproxy_process_max_session_rate" };

	prom_family(p, "hatools_build_info", PROM_GAUGE, "Always 1: the "
	    "program and its version.");
	prom_u64(p, 1, "program", "hashproxy", "version", HATOOLS_VERSION,
	    NULL);
	prom_family(p, "haproxy_process_nbthread", PROM_GAUGE,
	    "Worker threads.");
	prom_i64(p, ctx->c_nw, NULL);
	prom_family(p, "haproxy_process_uptime_seconds", PROM_GAUGE,
	    "Seconds since start.");
	prom_u64(p, (mono_usec() - ctx->c_start) / 1000000, NULL);
	prom_family(p, "haproxy_process_max_connections", PROM_GAUGE,
	    "The process's maxconn.");
	prom_i64(p, ctx->c_maxconn, NULL);
	prom_family(p, "haproxy_process_current_connections", PROM_GAUGE,
	    "Client connections now.");
	prom_i64(p, ctx->c_cur, NULL);
	prom_family(p, "haproxy_process_connections_total", PROM_COUNTER,
	    "Client connections since start.");
	prom_u64(p, ctx->c_tot, NULL);
	metrics_rates(p, conn, &ctx->c_rate, ctx->c_cf.cf_maxconnrate);
	metrics_rates(p, sess, &ctx->c_srate, ctx->c_cf.cf_maxsessrate);
}

void
metrics_write(struct hp_ctx *ctx, struct evbuffer *out)
{
	static const char *const fe_states[] = { "DOWN", "UP" };
	static const char *const srv_states[] = { "DOWN", "UP", "MAINT",
	    "DRAIN", "NOLB" };
	struct metrics_rows mr = { NULL, 0, 0, 0 };
	struct prom p;
	size_t i;

	if (stats_rows(ctx, metrics_keep, &mr) == -1)
		mr.mr_nomem = 1;
	prom_init(&p, out);
	metrics_process(&p, ctx);
	if (mr.mr_nomem) {
		/* a partial scrape would read as servers gone: none */
		metrics_rows_free(&mr);
		return;
	}
	for (i = 0; i < NELEM(metrics_fams); i++) {
		metrics_family(&p, &mr, &metrics_fams[i]);
		if (i + 1 == NELEM(metrics_fams) ||
		    metrics_fams[i + 1].mf_kind == metrics_fams[i].mf_kind)
			continue;
		/* each kind's status after its counters and times */
		if (metrics_fams[i].mf_kind == 'F')
			metrics_status(&p, &mr, 'F', "haproxy_frontend_status",
			    fe_states, NELEM(fe_states));
		else {
			metrics_times_of(&p, &mr, 'B');
			metrics_status(&p, &mr, 'B', "haproxy_backend_status",
			    fe_states, NELEM(fe_states));
		}
	}
	metrics_times_of(&p, &mr, 'S');
	metrics_status(&p, &mr, 'S', "haproxy_server_status", srv_states,
	    NELEM(srv_states));
	metrics_check_status(&p, &mr);
	metrics_rows_free(&mr);
}

void
metrics_http(void *arg, struct evbuffer *out)
{
	struct hp_ctx *ctx = arg;

	thread_lock(ctx);
	metrics_write(ctx, out);
	thread_unlock(ctx);
}
