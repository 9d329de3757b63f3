/* SPDX-License-Identifier: ISC */
/*
 * Patroni's REST paths and codes (docs: "rest_api"): 200 when the first
 * host is what the path asks, 503 when not, answered for GET, HEAD and
 * OPTIONS (haproxy's "option httpchk OPTIONS /primary").  The state is the
 * watch loop's latest sample; a request never touches PostgreSQL.  What
 * Patroni answers from its DCS (leader lock, /sync key, tags) is answered
 * from what PostgreSQL says, or not at all: pgwatch(1), PATRONI.
 * GET /metrics: every host in the Prometheus text format (metrics.c),
 * under the same cap and deadline as the health paths.
 */
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "args.h"
#include "pgconn.h"
#include "evline.h"
#include "http.h"
#include "httpconn.h"
#include "log.h"
#include "metrics.h"
#include "prom.h"
#include "report.h"

/*
 * A health check's request is a few hundred bytes: anything much larger
 * is refused before it is buffered (without a limit evhttp kept 40 MiB
 * of one header line).
 */
#define HTTP_MAX_HEADERS	8192
#define HTTP_TIMEOUT		10	/* seconds of silence on a connection */

static int
http_is(const char *path, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(path, *names) == 0)
			return 1;
	return 0;
}

enum { SYNC_UNKNOWN, SYNC_ASYNC, SYNC_SYNC, SYNC_QUORUM };

/* Whether [b, e) is word. */
static int
http_word(const char *b, const char *e, const char *word)
{
	return (size_t)(e - b) == strlen(word) &&
	    strncmp(b, word, (size_t)(e - b)) == 0;
}

/*
 * What the primary's pg_stat_replication says of this standby, found by
 * the application name it connects with.  Patroni's DCS /sync key names
 * the standbys PostgreSQL holds synchronous, so this is what it says when
 * Patroni manages synchronous_standby_names, and also when an operator
 * does.  Unknown without a primary in sight, without the privilege to
 * read either side, or when standbys that share the name differ.
 */
static int
http_sync(const struct sample *s, const struct sample *primary)
{
	const char *line, *eq, *end;
	size_t len = strlen(s->s_appname);
	int state = SYNC_ASYNC, found = 0, this;

	if (primary == NULL || !primary->s_senders_known ||
	    s->s_role != ROLE_STANDBY || len == 0)
		return SYNC_UNKNOWN;
	for (line = primary->s_senders; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		for (eq = end; eq > line && eq[-1] != '='; eq--)
			;
		if (eq == line || (size_t)(eq - 1 - line) != len ||
		    strncmp(line, s->s_appname, len) != 0)
			continue;
		if (http_word(eq, end, "sync"))
			this = SYNC_SYNC;
		else if (http_word(eq, end, "quorum"))
			this = SYNC_QUORUM;
		else if (http_word(eq, end, "async") ||
		    http_word(eq, end, "potential"))
			this = SYNC_ASYNC;
		else
			return SYNC_UNKNOWN;
		if (found && this != state)
			return SYNC_UNKNOWN;
		state = this;
		found = 1;
	}
	/* not connected: not synchronous, whatever the primary is told */
	return state;
}

/*
 * /readiness?lag=: apply mode (Patroni's default) counts what is not yet
 * replayed, write mode what is not yet received; against the primary when
 * one is watched, else against what this standby received.
 */
static int
http_ready_lag(const struct sample *s, const struct verdict *v,
    const struct sample *primary, const struct hquery *q)
{
	uint64_t recv, behind;

	if (!q->q_lag_set)
		return 1;
	if (q->q_lag_below)
		return 0;
	if (!q->q_write)
		return v->v_lag_bytes >= 0 && (uint64_t)v->v_lag_bytes <= q->q_lag;
	recv = s->s_recv_lsn ? s->s_recv_lsn : s->s_lsn;
	behind = primary && primary->s_lsn > recv ? primary->s_lsn - recv : 0;
	return behind <= q->q_lag;
}

/*
 * Whether the path's first segment is name: Patroni routes a GET by it to
 * a handler of its own (GET /liveness/x is /liveness), the rest to do_GET.
 */
static int
http_segment(const char *path, const char *name)
{
	size_t n = strlen(name);

	while (*path == '/')
		path++;
	return strncmp(path, name, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

static int
http_has(const char *path, const char *word)
{
	return strstr(path, word) != NULL;
}

int
http_status(const char *path, const struct sample *s,
    const struct verdict *v, int n, const struct hquery *q)
{
	/* Patroni's JSON about itself and its DCS: not here */
	static const char *const own[] = { "patroni", "cluster", "history",
	    "config", "failsafe", NULL };
	static const char *const async_paths[] = { "/asynchronous",
	    "/async", NULL };
	static const char *const sync_paths[] = { "/synchronous", "/sync",
	    NULL };
	static const char *const ro_sync_paths[] = { "/read-only-sync",
	    "/read-only-synchronous", NULL };
	const struct sample *p = report_primary(s, n);
	const char *const *o;
	int up = s->s_up, primary, replica, code, sync;

	primary = up && s->s_role == ROLE_PRIMARY && !v->v_split;
	/* A standby that cannot follow the primary serves stale reads. */
	replica = up && s->s_role == ROLE_STANDBY && !v->v_diverged &&
	    (!q->q_lag_set || (!q->q_lag_below && v->v_lag_bytes >= 0 &&
	    (uint64_t)v->v_lag_bytes <= q->q_lag)) &&
	    (!q->q_state_set || (q->q_streaming && report_streaming(s, v)));
	if (http_segment(path, "liveness"))
		return 200;
	if (http_segment(path, "readiness"))
		return primary || (up && s->s_role == ROLE_STANDBY &&
		    strcmp(s->s_wal, "streaming") == 0 &&
		    http_ready_lag(s, v, p, q)) ? 200 : 503;
	for (o = own; *o; o++)
		if (http_segment(path, *o))
			return 404;
	/*
	 * Patroni's do_GET: the first word the path contains, in this order,
	 * so /replica/ and /healthz are its paths too, and one that has none
	 * of them is 503.  It reads no tag on the paths that ask for the
	 * leader.
	 */
	if (http_has(path, "standby_leader") || http_has(path, "standby-leader"))
		return report_streaming(s, v) && p == NULL ? 200 : 503;
	if (strcmp(path, "/") == 0 || http_has(path, "leader") ||
	    http_has(path, "master") || http_has(path, "primary") ||
	    http_has(path, "read-write"))
		return primary ? 200 : 503;
	sync = http_sync(s, p);
	if (http_has(path, "replica"))
		code = replica ? 200 : 503;
	else if (http_has(path, "read-only") && !http_has(path, "sync") &&
	    !http_has(path, "quorum"))
		code = primary || replica ? 200 : 503;
	else if (http_has(path, "health"))
		code = up ? 200 : 503;
	else if (http_is(path, sync_paths))
		code = replica && sync == SYNC_SYNC ? 200 : 503;
	else if (strcmp(path, "/quorum") == 0)
		code = replica && sync == SYNC_QUORUM ? 200 : 503;
	else if (http_is(path, async_paths))
		code = replica && sync == SYNC_ASYNC ? 200 : 503;
	else if (strcmp(path, "/read-only-quorum") == 0)
		code = primary || (replica && sync == SYNC_QUORUM) ? 200 : 503;
	else if (http_is(path, ro_sync_paths))
		code = primary || (replica && sync == SYNC_SYNC) ? 200 : 503;
	else
		code = 503;
	/* no tag is set here, and Patroni answers 503 for a tag not set */
	return q->q_tag ? 503 : code;
}

/*
 * The host's name and the failure's text come from the command line and
 * from the server: evline escapes them as it does every --json line.
 */
static void
http_body(struct evbuffer *b, const struct host *h, const struct sample *s,
    const struct verdict *v)
{
	struct evline el;
	const char *line;

	evline_begin_object(&el);
	evline_str(&el, "host", h->h_name);
	if (!s->s_up) {
		evline_str(&el, "state", "down");
		evline_str(&el, "reason", s->s_reason);
	} else {
		evline_str(&el, "state", "running");
		evline_str(&el, "role",
		    s->s_role == ROLE_PRIMARY ? "primary" : "replica");
		evline_uint(&el, "timeline", s->s_tli);
		evline_int(&el, "lag_bytes",
		    v->v_lag_bytes < 0 ? 0 : v->v_lag_bytes);
		report_secs_field(&el, "lag_s", s->s_lag_s);
		evline_str(&el, "check", v->v_ok ? "ok" : v->v_fail);
	}
	if ((line = evline_end(&el)) != NULL)
		evbuffer_add_printf(b, "%s\n", line);
	evline_free(&el);
}

static void
http_metrics(struct evhttp_request *req, struct pgw *p)
{
	struct evkeyvalq *oh = evhttp_request_get_output_headers(req);
	struct evbuffer *body;

	if (evhttp_request_get_command(req) == EVHTTP_REQ_OPTIONS) {
		evhttp_add_header(oh, "Allow", "GET, HEAD");
		evhttp_send_reply(req, 200, "OK", NULL);
		return;
	}
	if ((body = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	metrics_write(p, body);
	evhttp_add_header(oh, "Content-Type", PROM_CONTENT_TYPE);
	evhttp_add_header(oh, "Cache-Control", "no-store");
	evhttp_send_reply(req, 200, "OK", body);
	evbuffer_free(body);
}

static void
http_answer(struct evhttp_request *req, struct pgw *p,
    const struct evhttp_uri *uri)
{
	struct sample s[PGW_MAXHOSTS];
	struct verdict v[PGW_MAXHOSTS];
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq *oh = evhttp_request_get_output_headers(req);
	struct evbuffer *body;
	struct hquery q;
	int i, code;

	if (path == NULL || *path == '\0')
		path = "/";
	/* routed as Patroni routes its own /metrics */
	if (http_segment(path, "metrics")) {
		http_metrics(req, p);
		return;
	}
	args_query(query, &q);
	for (i = 0; i < p->p_nhosts; i++)
		s[i] = p->p_hosts[i].h_sample;
	report_judge(s, p->p_lastv, p->p_nhosts, &p->p_cond, v);
	code = http_status(path, s, v, p->p_nhosts, &q);
	if (code == 404) {
		evhttp_send_error(req, 404, NULL);
		return;
	}
	evhttp_add_header(oh, "Cache-Control", "no-store");
	if (evhttp_request_get_command(req) == EVHTTP_REQ_OPTIONS) {
		evhttp_add_header(oh, "Allow", "GET, HEAD, OPTIONS");
		evhttp_send_reply(req, code, code == 200 ? "OK" :
		    "Service Unavailable", NULL);
		return;
	}
	if ((body = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evhttp_add_header(oh, "Content-Type", "application/json");
	http_body(body, &p->p_hosts[0], &s[0], &v[0]);
	evhttp_send_reply(req, code, code == 200 ? "OK" :
	    "Service Unavailable", body);
	evbuffer_free(body);
}

/*
 * The request's target as Patroni's http.server reads it: leading
 * slashes reduced to one ("//replica" is /replica there; evhttp takes
 * it for a host and an empty path).  *own is what the caller frees.
 */
static const struct evhttp_uri *
http_target(struct evhttp_request *req, struct evhttp_uri **own)
{
	const char *raw = evhttp_request_get_uri(req);

	*own = NULL;
	if (raw == NULL || strncmp(raw, "//", 2) != 0)
		return evhttp_request_get_evhttp_uri(req);
	while (raw[1] == '/')
		raw++;
	*own = evhttp_uri_parse(raw);
	return *own;
}

static void
http_request(struct evhttp_request *req, void *arg)
{
	struct pgw *p = arg;
	struct evhttp_uri *own;
	const struct evhttp_uri *uri = http_target(req, &own);

	/* first: answering may free the connection */
	httpconn_answered(p->p_hconns, req);
	http_answer(req, p, uri);
	if (own != NULL)
		evhttp_uri_free(own);
}

int
http_start(struct pgw *p, const char *addr, uint16_t port)
{
	struct evhttp_bound_socket *bound;

	if ((p->p_http = evhttp_new(p->p_base)) == NULL) {
		log_warnx("http: out of memory");
		return -1;
	}
	evhttp_set_allowed_methods(p->p_http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
	evhttp_set_timeout(p->p_http, HTTP_TIMEOUT);
	evhttp_set_max_headers_size(p->p_http, HTTP_MAX_HEADERS);
	evhttp_set_max_body_size(p->p_http, 0);
	evhttp_set_gencb(p->p_http, http_request, p);
	if ((bound = evhttp_bind_socket_with_handle(p->p_http, addr,
	    port)) == NULL) {
		log_warn("http: cannot listen on %s port %u", addr, port);
		return -1;
	}
	if ((p->p_hconns = httpconn_init(p->p_http, bound)) == NULL) {
		log_warnx("http: out of memory");
		return -1;
	}
	return 0;
}

void
http_stop(struct pgw *p)
{
	if (p->p_http == NULL)
		return;
	httpconn_free(p->p_hconns, p->p_http);
	p->p_http = NULL;
	p->p_hconns = NULL;
}
