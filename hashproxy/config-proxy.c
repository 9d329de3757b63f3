/* SPDX-License-Identifier: ISC */
/*
 * The keywords of defaults, frontend, backend and listen sections: one
 * sorted table saying what each does at L4, and the handlers of those
 * hashproxy runs (server lines, bind and option have their own files).
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "config-parser.h"

#define LOGGING	"hashproxy logs its own lines"
#define NOPAGE	"no HTTP error pages at L4"
#define REMOVED	"removed in haproxy 2.1"

static void
px_mode(struct cf_parser *p, int argc, char **argv)
{
	struct cf_defer *d = &p->p_pi->pi_mode;

	if (config_expect_args(p, argc, 2, argv[0]) == -1)
		return;
	if (strcmp(argv[1], "http") == 0) {
		/* judged once the proxy is complete: a defaults' mode http
		 * overridden by mode tcp says nothing */
		p->p_pi->pi_http = 1;
		d->df_file = p->p_file;
		d->df_line = p->p_line;
		d->df_secname = p->p_secname;
	} else if (strcmp(argv[1], "tcp") == 0)
		p->p_pi->pi_http = 0;
	else
		config_msg(p, CF_ERROR, "mode \"%s\": should be tcp or http",
		    argv[1]);
}

static void
px_default_backend(struct cf_parser *p, int argc, char **argv)
{
	if (config_expect_args(p, argc, 2, argv[0]) == -1)
		return;
	p->p_fe->fe_defbe = config_str(p, argv[1]);
}

/* HTTP's own timeouts: nil at L4, one notice each. */
static int
px_timeout_http(struct cf_parser *p, const char *name)
{
	static const struct cf_kw tmo[] = {
		{ "http-keep-alive", SECM_PROXY, KW_HARMLESS, 0, NULL,
		    "HTTP only; bytes pass unchanged at L4" },
		{ "http-request", SECM_PROXY, KW_HARMLESS, 0, NULL,
		    "HTTP only; bytes pass unchanged at L4" },
	};
	char kw[48];
	size_t i;

	for (i = 0; i < sizeof(tmo) / sizeof(tmo[0]); i++)
		if (strcmp(name, tmo[i].kw_name) == 0) {
			snprintf(kw, sizeof(kw), "timeout %s", name);
			config_kw_notice(p, &tmo[i], kw);
			return 1;
		}
	return 0;
}

/* The timeouts hashproxy runs: a field of the frontend or the backend. */
static const struct {
	const char	*pt_name;
	int		 pt_fe;		/* the frontend's, else the backend's */
	size_t		 pt_off;
} px_timeouts[] = {
	{ "check", 0, offsetof(struct cf_backend, be_tcheck) },
	{ "client", 1, offsetof(struct cf_frontend, fe_tclient) },
	{ "client-fin", 1, offsetof(struct cf_frontend, fe_tclientfin) },
	{ "connect", 0, offsetof(struct cf_backend, be_tconnect) },
	{ "queue", 0, offsetof(struct cf_backend, be_tqueue) },
	{ "server", 0, offsetof(struct cf_backend, be_tserver) },
	{ "server-fin", 0, offsetof(struct cf_backend, be_tserverfin) },
	/* at L4 every connection is a tunnel: the longer one holds */
	{ "tunnel", 0, offsetof(struct cf_backend, be_tserver) },
};

static void
px_timeout(struct cf_parser *p, int argc, char **argv)
{
	const size_t n = sizeof(px_timeouts) / sizeof(px_timeouts[0]);
	uint64_t v, *t;
	char *owner;
	size_t i;

	if (argc != 3) {
		config_msg(p, CF_ERROR, "timeout: NAME DURATION expected");
		return;
	}
	if (config_duration(argv[2], &v) == -1) {
		config_msg(p, CF_ERROR, "timeout %s \"%s\": not a duration",
		    argv[1], argv[2]);
		return;
	}
	if (px_timeout_http(p, argv[1]))
		return;
	if (strcmp(argv[1], "tarpit") == 0) {
		config_msg(p, CF_WARNING, "timeout %s: ignored (L4 proxy)",
		    argv[1]);
		return;
	}
	for (i = 0; i < n && strcmp(argv[1], px_timeouts[i].pt_name) != 0;
	    i++)
		;
	if (i == n) {
		config_msg(p, CF_ERROR, "timeout \"%s\": unknown", argv[1]);
		return;
	}
	owner = px_timeouts[i].pt_fe ? (char *)p->p_fe : (char *)p->p_be;
	if (owner == NULL) {
		config_msg(p, CF_WARNING, "timeout %s: ignored in this section",
		    argv[1]);
		return;
	}
	t = (uint64_t *)(owner + px_timeouts[i].pt_off);
	if (strcmp(argv[1], "tunnel") != 0 || v > *t)
		*t = v;
}

static void
px_retries(struct cf_parser *p, int argc, char **argv)
{
	int v;

	if (config_arg_int(p, argc, argv, 0, 100, &v, "") == -1)
		return;
	if (p->p_sec == SEC_FRONTEND) {
		p->p_fe->fe_retries = v;
		p->p_fe->fe_retries_set = 1;
	} else {
		p->p_be->be_retries = v;
		p->p_be->be_retries_set = p->p_sec != SEC_DEFAULTS;
	}
}

static void
px_maxconn(struct cf_parser *p, int argc, char **argv)
{
	int v;

	if (config_arg_int(p, argc, argv, 0, 1000000, &v, "") == -1)
		return;
	if (p->p_fe != NULL)
		p->p_fe->fe_maxconn = v;
	if (p->p_be != NULL)
		p->p_be->be_maxconn = v;
}

/* "rate-limit sessions N": the frontend's accepts per second, 0 none */
static void
px_ratelimit(struct cf_parser *p, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "sessions") != 0) {
		config_msg(p, CF_ERROR, "rate-limit: only \"sessions\" is "
		    "supported (is \"%s\")", argc > 1 ? argv[1] : "");
		return;
	}
	if (argc != 3 || config_int(argv[2], 0, INT_MAX,
	    &p->p_fe->fe_ratelim) == -1)
		config_msg(p, CF_ERROR, "rate-limit sessions \"%s\": "
		    "accepts per second should be 0..%d", argc > 2 ? argv[2] :
		    "", INT_MAX);
}

static void
px_balance(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;
	const char *a = argc > 1 ? argv[1] : "";
	int draws = 2;

	if (strcmp(a, "source") == 0)
		be->be_balance = BAL_SOURCE;
	else if (strcmp(a, "roundrobin") == 0 || strcmp(a, "static-rr") == 0)
		be->be_balance = BAL_ROUNDROBIN;
	else if (strcmp(a, "leastconn") == 0)
		be->be_balance = BAL_LEASTCONN;
	else if (strcmp(a, "first") == 0)
		be->be_balance = BAL_FIRST;
	else if (strncmp(a, "random", 6) == 0 && (a[6] == '\0' ||
	    a[6] == '(')) {
		/* haproxy: random(N), N draws, 2 by default */
		if (a[6] == '(') {
			char num[16];
			size_t n = strlen(a + 7);

			if (n < 2 || n > sizeof(num) || a[6 + n] != ')') {
				config_msg(p, CF_ERROR, "balance \"%s\": "
				    "random(DRAWS) expected", a);
				return;
			}
			memcpy(num, a + 7, n - 1);
			num[n - 1] = '\0';
			if (config_int(num, 1, 100, &draws) == -1) {
				config_msg(p, CF_ERROR, "balance \"%s\": "
				    "draws should be 1..100", a);
				return;
			}
		}
		be->be_balance = BAL_RANDOM;
		be->be_draws = draws;
	} else {
		/* uri, url_param, hdr(), rdp-cookie need HTTP or a
		 * cookie */
		config_msg(p, CF_ERROR, "balance \"%s\": not supported; "
		    "should be source, roundrobin, leastconn, first or "
		    "random", a);
		return;
	}
	be->be_staticrr = strcmp(a, "static-rr") == 0;
	if (argc > 2)
		config_msg(p, CF_ERROR, "balance %s: no arguments expected", a);
}

static void
px_fullconn(struct cf_parser *p, int argc, char **argv)
{
	(void)config_arg_int(p, argc, argv, 1, 1000000, &p->p_be->be_fullconn,
	    "");
}

static void
px_source(struct cf_parser *p, int argc, char **argv)
{
	(void)cf_source(p, &p->p_be->be_source, argc, argv, 0);
}

static void
px_hashtype(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;
	static const char *fns[] = { "sdbm", "djb2", "wt6", "crc32", "none" };
	size_t i;

	if (argc < 2 || argc > 4) {
		config_msg(p, CF_ERROR, "hash-type: consistent|map-based"
		    "|rendezvous [FUNCTION [avalanche]] expected");
		return;
	}
	if (strcmp(argv[1], "consistent") == 0)
		be->be_hashtype = HT_CONSISTENT;
	else if (strcmp(argv[1], "map-based") == 0)
		be->be_hashtype = HT_MAP;
	else if (strcmp(argv[1], "rendezvous") == 0)
		be->be_hashtype = HT_RENDEZVOUS;
	else {
		config_msg(p, CF_ERROR, "hash-type \"%s\": should be "
		    "consistent, map-based or rendezvous", argv[1]);
		return;
	}
	/* haproxy: consistent with no function implies avalanche */
	be->be_avalanche = argc == 2 && be->be_hashtype == HT_CONSISTENT;
	if (argc >= 3) {
		for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
			if (strcmp(argv[2], fns[i]) == 0)
				break;
		if (i == sizeof(fns) / sizeof(fns[0])) {
			config_msg(p, CF_ERROR, "hash-type: function \"%s\" "
			    "unknown", argv[2]);
			return;
		}
	}
	if (argc == 4) {
		if (strcmp(argv[3], "avalanche") != 0) {
			config_msg(p, CF_ERROR, "hash-type: modifier \"%s\": "
			    "should be avalanche", argv[3]);
			return;
		}
		be->be_avalanche = 1;
	}
}

static void
px_balance_factor(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;

	if (argc != 2 || config_int(argv[1], 0, 65535,
	    &be->be_balance_factor) == -1 ||
	    (be->be_balance_factor > 0 && be->be_balance_factor <= 100))
		config_msg(p, CF_ERROR, "hash-balance-factor: 0 or more than "
		    "100 expected");
}

/* the proxy's kind and name as haproxy's messages give them */
static const char *
px_what(struct cf_parser *p, const struct cf_frontend *fe,
    const struct cf_backend *be)
{
	if (fe != NULL && be != NULL)
		return config_strf(p, "listen %s", fe->fe_name);
	if (fe != NULL)
		return config_strf(p, "frontend %s", fe->fe_name);
	return config_strf(p, "backend %s", be->be_name);
}

/* the proxy other than this section's that holds id, NULL none */
static const char *
px_id_holder(struct cf_parser *p, int id)
{
	const struct cf_config *cf = p->p_cf;
	const struct cf_frontend *fe;
	const struct cf_backend *be;
	int f, b;

	for (f = 0; f < cf->cf_nfrontends; f++) {
		fe = &cf->cf_frontends[f];
		if (fe != p->p_fe && fe->fe_forced_id == id) {
			b = config_listen_backend(cf, f);
			be = b != -1 ? &cf->cf_backends[b] : NULL;
			return config_strf(p, "%s (%s:%d)", px_what(p, fe, be),
			    fe->fe_file, fe->fe_line);
		}
	}
	for (b = 0; b < cf->cf_nbackends; b++) {
		be = &cf->cf_backends[b];
		if (be != p->p_be && be->be_forced_id == id)
			return config_strf(p, "%s (%s:%d)", px_what(p, NULL, be),
			    be->be_file, be->be_line);
	}
	return NULL;
}

/* haproxy's proxy uuid: shown as iid, and so kept by scripts */
static void
px_id(struct cf_parser *p, int argc, char **argv)
{
	const char *other;
	int id, *forced;

	if (config_only_in(p, SECM_FE | SECM_BE | SECM_LI, argv[0],
	    "frontend, backend or listen") == -1 ||
	    config_arg_int(p, argc, argv, 1, INT_MAX, &id, "") == -1)
		return;
	forced = p->p_fe != NULL ? &p->p_fe->fe_forced_id :
	    &p->p_be->be_forced_id;
	if (*forced != 0) {
		config_msg(p, CF_ERROR, "id: given twice in %s",
		    px_what(p, p->p_fe, p->p_be));
		return;
	}
	if ((other = px_id_holder(p, id)) != NULL) {
		config_msg(p, CF_ERROR, "id %d: already %s's", id, other);
		return;
	}
	if (p->p_fe != NULL)
		p->p_fe->fe_forced_id = id;
	if (p->p_be != NULL)
		p->p_be->be_forced_id = id;
}

/* "disabled" and "enabled": a disabled proxy is not started (in a
 * defaults section, every proxy after it) */
static void
px_disabled(struct cf_parser *p, int argc, char **argv)
{
	int off = strcmp(argv[0], "disabled") == 0;

	if (config_expect_args(p, argc, 1, argv[0]) == -1)
		return;
	if (p->p_fe != NULL)
		p->p_fe->fe_disabled = off;
	if (p->p_be != NULL)
		p->p_be->be_disabled = off;
}

static void
px_stats(struct cf_parser *p, int argc, char **argv)
{
	config_msg(p, CF_WARNING, "stats %s: the HTTP stats page is not "
	    "served; use the stats socket", argc > 1 ? argv[1] : "");
}

/*
 * The words hashproxy does not run but haproxy 2.6 refuses without a
 * value (or with one too many): the verdict is its, value unused.
 */
static const struct cf_arity px_arities[] = {
	{ "backlog", 1, 1 },
	{ "capture", 1, -1 },
	{ "compression", 1, -1 },
	{ "cookie", 1, -1 },
	{ "declare", 1, -1 },
	{ "description", 1, -1 },
	{ "dynamic-cookie-key", 1, -1 },
	{ "email-alert", 1, -1 },
	{ "error-log-format", 1, 1 },
	{ "errorfile", 2, -1 },
	{ "errorfiles", 1, -1 },
	{ "errorloc", 2, -1 },
	{ "errorloc302", 2, -1 },
	{ "errorloc303", 2, -1 },
	{ "force-persist", 1, -1 },
	{ "http-after-response", 1, -1 },
	{ "http-error", 1, -1 },
	{ "http-request", 1, -1 },
	{ "http-response", 1, -1 },
	{ "http-reuse", 1, -1 },
	{ "http-send-name-header", 1, -1 },
	{ "ignore-persist", 1, -1 },
	{ "load-server-state-from-file", 1, -1 },
	{ "log", 1, -1 },
	{ "log-format", 1, 1 },
	{ "log-format-sd", 1, 1 },
	{ "log-tag", 1, -1 },
	{ "max-keep-alive-queue", 1, -1 },
	{ "max-session-srv-conns", 1, -1 },
	{ "monitor", 1, -1 },
	{ "monitor-uri", 1, 1 },
	{ "redirect", 1, -1 },
	{ "retry-on", 1, -1 },
	{ "server-state-file-name", 0, 1 },
	{ "unique-id-format", 1, 1 },
	{ "unique-id-header", 1, -1 },
};

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_proxy_kws[] = {
	CF_IMPL("acl", SECM_PROXY, config_acl),
	CF_REFUSED("appsession", SECM_PROXY, "removed in haproxy 1.6"),
	CF_HARMLESS("backlog", SECM_FEP, TUNING),
	CF_IMPL("balance", SECM_BEP, px_balance),
	CF_IMPL("bind", SECM_PROXY, config_bind),
	CF_HARMLESS("bind-process", SECM_PROXY, ONEPROC),
	CF_REFUSED("block", SECM_PROXY, REMOVED "; use http-request deny"),
	CF_HARMLESS("capture", SECM_FE | SECM_LI, LOGGING),
	CF_IMPL("clitcpka-cnt", SECM_FEP, cf_tcpka_param),
	CF_IMPL("clitcpka-idle", SECM_FEP, cf_tcpka_param),
	CF_IMPL("clitcpka-intvl", SECM_FEP, cf_tcpka_param),
	CF_REFUSED("clitimeout", SECM_PROXY, REMOVED "; use timeout client"),
	CF_HTTPONLY("compression", SECM_PROXY,
	    "responses would not be compressed"),
	CF_REFUSED("contimeout", SECM_PROXY, REMOVED "; use timeout connect"),
	CF_HTTPONLY("cookie", SECM_BEP, "no persistence cookies would be set"),
	CF_HARMLESS("declare", SECM_FE | SECM_LI, LOGGING),
	CF_IMPL("default-server", SECM_PROXY, config_default_server),
	CF_IMPL("default_backend", SECM_DEF | SECM_FE, px_default_backend),
	CF_HARMLESS("description", SECM_PROXY, STATS),
	CF_IMPL("disabled", SECM_PROXY, px_disabled),
	CF_REFUSED("dispatch", SECM_BEP, "use a server line"),
	CF_HTTPONLY("dynamic-cookie-key", SECM_BEP,
	    "no persistence cookies would be set"),
	CF_HARMLESS("email-alert", SECM_PROXY,
	    "no mail; watch the event lines"),
	CF_IMPL("enabled", SECM_PROXY, px_disabled),
	CF_HARMLESS("error-log-format", SECM_FEP, LOGGING),
	CF_HARMLESS("errorfile", SECM_PROXY, NOPAGE),
	CF_HARMLESS("errorfiles", SECM_PROXY, NOPAGE),
	CF_HARMLESS("errorloc", SECM_PROXY, NOPAGE),
	CF_HARMLESS("errorloc302", SECM_PROXY, NOPAGE),
	CF_HARMLESS("errorloc303", SECM_PROXY, NOPAGE),
	CF_IMPL("external-check", SECM_BEP, cf_extcheck),
	CF_REFUSED("filter", SECM_PROXY, "the filter would not run"),
	CF_HTTPONLY("force-persist", SECM_FE | SECM_BE | SECM_LI,
	    "no persistence cookies"),
	CF_IMPL("fullconn", SECM_BEP, px_fullconn),
	CF_REFUSED("grace", SECM_PROXY,
	    "removed in haproxy 2.5; use --drain-timeout"),
	CF_IMPL("hash-balance-factor", SECM_BEP, px_balance_factor),
	CF_IMPL("hash-type", SECM_BEP, px_hashtype),
	CF_HTTPONLY("http-after-response", SECM_PROXY,
	    "responses would not be rewritten"),
	CF_IMPL("http-check", SECM_BEP, cf_httpcheck),
	CF_HARMLESS("http-error", SECM_PROXY, NOPAGE),
	CF_HTTPONLY("http-request", SECM_PROXY,
	    "requests would not be filtered or rewritten"),
	CF_HTTPONLY("http-response", SECM_PROXY,
	    "responses would not be filtered or rewritten"),
	CF_HARMLESS("http-reuse", SECM_BEP, NOREUSE),
	CF_HTTPONLY("http-send-name-header", SECM_BEP,
	    "servers would not get the header"),
	CF_IMPL("id", SECM_PROXY, px_id),
	CF_HTTPONLY("ignore-persist", SECM_FE | SECM_BE | SECM_LI,
	    "no persistence cookies"),
	CF_HARMLESS("load-server-state-from-file", SECM_BEP,
	    "state is kept across reloads in memory"),
	CF_HARMLESS("log", SECM_PROXY, LOGGING),
	CF_HARMLESS("log-format", SECM_FEP, LOGGING),
	CF_HARMLESS("log-format-sd", SECM_FEP, LOGGING),
	CF_HARMLESS("log-tag", SECM_PROXY, LOGGING),
	CF_HARMLESS("max-keep-alive-queue", SECM_BEP, NOREUSE),
	CF_HARMLESS("max-session-srv-conns", SECM_FEP, NOREUSE),
	CF_IMPL("maxconn", SECM_PROXY, px_maxconn),
	CF_IMPL("mode", SECM_PROXY, px_mode),
	CF_HTTPONLY("monitor", SECM_FE | SECM_LI,
	    "the monitor request would not be answered"),
	CF_REFUSED("monitor-net", SECM_PROXY,
	    "removed; use http-request return status 200 if { src NET }"),
	CF_HTTPONLY("monitor-uri", SECM_FEP,
	    "the monitor request would reach a server"),
	CF_IMPL("option", SECM_PROXY, config_option),
	CF_REFUSED("persist", SECM_BEP, "no RDP cookie persistence"),
	CF_IMPL("rate-limit", SECM_FEP, px_ratelimit),
	CF_HTTPONLY("redirect", SECM_FE | SECM_BE | SECM_LI,
	    "clients would not be redirected"),
	CF_REFUSED("redisp", SECM_PROXY, REMOVED "; use option redispatch"),
	CF_REFUSED("redispatch", SECM_PROXY,
	    REMOVED "; use option redispatch"),
	CF_REFUSED("reqadd", SECM_PROXY,
	    REMOVED "; use http-request add-header"),
	CF_REFUSED("reqallow", SECM_PROXY, REMOVED "; use http-request allow"),
	CF_REFUSED("reqdel", SECM_PROXY,
	    REMOVED "; use http-request del-header"),
	CF_REFUSED("reqdeny", SECM_PROXY, REMOVED "; use http-request deny"),
	CF_REFUSED("reqiallow", SECM_PROXY, REMOVED "; use http-request allow"),
	CF_REFUSED("reqidel", SECM_PROXY,
	    REMOVED "; use http-request del-header"),
	CF_REFUSED("reqideny", SECM_PROXY, REMOVED "; use http-request deny"),
	CF_REFUSED("reqipass", SECM_PROXY, REMOVED),
	CF_REFUSED("reqirep", SECM_PROXY,
	    REMOVED "; use http-request replace-header"),
	CF_REFUSED("reqitarpit", SECM_PROXY,
	    REMOVED "; use http-request tarpit"),
	CF_REFUSED("reqpass", SECM_PROXY, REMOVED),
	CF_REFUSED("reqrep", SECM_PROXY, REMOVED
	    "; use http-request replace-path, replace-uri or replace-header"),
	CF_REFUSED("reqtarpit", SECM_PROXY,
	    REMOVED "; use http-request tarpit"),
	CF_IMPL("retries", SECM_PROXY, px_retries),
	CF_HTTPONLY("retry-on", SECM_BEP,
	    "requests would not be retried on HTTP errors"),
	CF_REFUSED("rspadd", SECM_PROXY,
	    REMOVED "; use http-response add-header"),
	CF_REFUSED("rspdel", SECM_PROXY,
	    REMOVED "; use http-response del-header"),
	CF_REFUSED("rspdeny", SECM_PROXY, REMOVED "; use http-response deny"),
	CF_REFUSED("rspidel", SECM_PROXY,
	    REMOVED "; use http-response del-header"),
	CF_REFUSED("rspideny", SECM_PROXY, REMOVED "; use http-response deny"),
	CF_REFUSED("rspirep", SECM_PROXY,
	    REMOVED "; use http-response replace-header"),
	CF_REFUSED("rsprep", SECM_PROXY,
	    REMOVED "; use http-response replace-header"),
	CF_IMPL("server", SECM_PROXY, config_server),
	CF_HARMLESS("server-state-file-name", SECM_BEP,
	    "state is kept across reloads in memory"),
	CF_IMPL("server-template", SECM_PROXY, config_server_template),
	CF_IMPL("source", SECM_BEP, px_source),
	CF_IMPL("srvtcpka-cnt", SECM_BEP, cf_tcpka_param),
	CF_IMPL("srvtcpka-idle", SECM_BEP, cf_tcpka_param),
	CF_IMPL("srvtcpka-intvl", SECM_BEP, cf_tcpka_param),
	CF_REFUSED("srvtimeout", SECM_PROXY, REMOVED "; use timeout server"),
	CF_IMPL("stats", SECM_PROXY, px_stats),
	CF_REFUSED("stick", SECM_BE | SECM_LI,
	    "no stickiness: clients would move between servers"),
	CF_REFUSED("stick-table", SECM_FE | SECM_BE | SECM_LI,
	    "no stick tables"),
	CF_IMPL("tcp-check", SECM_BEP, cf_tcpcheck),
	CF_IMPL("tcp-request", SECM_PROXY, config_tcp_request),
	CF_REFUSED("tcp-response", SECM_BEP,
	    "responses would not be inspected"),
	CF_IMPL("timeout", SECM_PROXY, px_timeout),
	CF_REFUSED("transparent", SECM_BEP,
	    "connections would go to the client's destination"),
	CF_HTTPONLY("unique-id-format", SECM_FEP,
	    "requests would get no unique id"),
	CF_HTTPONLY("unique-id-header", SECM_FEP,
	    "servers would not get the header"),
	CF_REFUSED("use-fcgi-app", SECM_BEP, "no FastCGI"),
	CF_IMPL("use-server", SECM_PROXY, config_use_server),
	CF_IMPL("use_backend", SECM_PROXY, config_use_backend),
};
const size_t cf_nproxy_kws = sizeof(cf_proxy_kws) / sizeof(cf_proxy_kws[0]);

void
config_proxy(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_kw *k;

	p->p_no = p->p_default = 0;
	if ((strcmp(argv[0], "no") == 0 || strcmp(argv[0], "default") == 0) &&
	    argc >= 2 && strcmp(argv[1], "option") == 0) {
		p->p_default = argv[0][0] == 'd';
		argc--;
		argv++;
		p->p_no = 1;	/* every option "default" takes is off then */
	}
	k = config_kw_find(cf_proxy_kws, cf_nproxy_kws, argv[0]);
	if (k == NULL) {
		config_msg(p, CF_ERROR, "\"%s\": unknown keyword", argv[0]);
		return;
	}
	if (k->kw_kind != KW_IMPL) {
		if (config_arity_ok(p, px_arities, sizeof(px_arities) /
		    sizeof(px_arities[0]), argc, argv))
			config_kw_other(p, k, argv[0]);
		return;
	}
	if (!(k->kw_secs & SECM(p->p_sec)) ||
	    ((k->kw_secs & SECM_PROXY) == SECM_BEP && p->p_be == NULL) ||
	    ((k->kw_secs & SECM_PROXY) == (SECM_DEF | SECM_FE) &&
	    p->p_fe == NULL)) {
		config_msg(p, CF_WARNING, "%s: ignored in this section",
		    argv[0]);
		return;
	}
	k->kw_fn(p, argc, argv);
}
