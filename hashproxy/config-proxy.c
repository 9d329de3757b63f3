/* SPDX-License-Identifier: ISC */
/*
 * The keywords of defaults, frontend, backend and listen sections: one
 * sorted table saying what each does at L4, and the handlers of those
 * hashproxy runs (server lines, bind and option have their own files).
 */
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
		snprintf(d->df_secname, sizeof(d->df_secname), "%s",
		    p->p_secname);
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
	if (config_copy(p->p_fe->fe_defbe, sizeof(p->p_fe->fe_defbe),
	    argv[1]) == -1)
		config_msg(p, CF_ERROR, "default_backend: name too long");
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

static void
px_stats(struct cf_parser *p, int argc, char **argv)
{
	config_msg(p, CF_WARNING, "stats %s: the HTTP stats page is not "
	    "served; use the stats socket", argc > 1 ? argv[1] : "");
}

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_proxy_kws[] = {
	{ "acl", SECM_PROXY, KW_IMPL, 0, config_acl, NULL },
	{ "backlog", SECM_FEP, KW_HARMLESS, 0, NULL, TUNING },
	{ "balance", SECM_BEP, KW_IMPL, 0, px_balance, NULL },
	{ "bind", SECM_PROXY, KW_IMPL, 0, config_bind, NULL },
	{ "bind-process", SECM_PROXY, KW_HARMLESS, 0, NULL, ONEPROC },
	{ "capture", SECM_FE | SECM_LI, KW_HARMLESS, 0, NULL, LOGGING },
	{ "clitcpka-cnt", SECM_FEP, KW_HARMLESS, 0, NULL, TUNING },
	{ "clitcpka-idle", SECM_FEP, KW_HARMLESS, 0, NULL, TUNING },
	{ "clitcpka-intvl", SECM_FEP, KW_HARMLESS, 0, NULL, TUNING },
	{ "clitimeout", SECM_PROXY, KW_REFUSED, 0, NULL, REMOVED "; use "
	    "timeout client" },
	{ "compression", SECM_PROXY, KW_HTTP, 0, NULL, "responses would "
	    "not be compressed" },
	{ "contimeout", SECM_PROXY, KW_REFUSED, 0, NULL, REMOVED "; use "
	    "timeout connect" },
	{ "cookie", SECM_BEP, KW_HTTP, 0, NULL, "no persistence cookies "
	    "would be set" },
	{ "declare", SECM_FE | SECM_LI, KW_HARMLESS, 0, NULL, LOGGING },
	{ "default-server", SECM_PROXY, KW_IMPL, 0, config_default_server,
	    NULL },
	{ "default_backend", SECM_DEF | SECM_FE, KW_IMPL, 0,
	    px_default_backend, NULL },
	{ "description", SECM_PROXY, KW_HARMLESS, 0, NULL, STATS },
	{ "disabled", SECM_PROXY, KW_REFUSED, 0, NULL, "the proxy would be "
	    "started" },
	{ "dispatch", SECM_BEP, KW_REFUSED, 0, NULL, "use a server line" },
	{ "dynamic-cookie-key", SECM_BEP, KW_HTTP, 0, NULL, "no persistence "
	    "cookies would be set" },
	{ "email-alert", SECM_PROXY, KW_HARMLESS, 0, NULL, "no mail; "
	    "watch the event lines" },
	{ "enabled", SECM_PROXY, KW_HARMLESS, 0, NULL, "the default" },
	{ "error-log-format", SECM_FEP, KW_HARMLESS, 0, NULL, LOGGING },
	{ "errorfile", SECM_PROXY, KW_HARMLESS, 0, NULL, NOPAGE },
	{ "errorfiles", SECM_PROXY, KW_HARMLESS, 0, NULL, NOPAGE },
	{ "errorloc", SECM_PROXY, KW_HARMLESS, 0, NULL, NOPAGE },
	{ "errorloc302", SECM_PROXY, KW_HARMLESS, 0, NULL, NOPAGE },
	{ "errorloc303", SECM_PROXY, KW_HARMLESS, 0, NULL, NOPAGE },
	{ "external-check", SECM_BEP, KW_HARMLESS, 0, NULL, "only with "
	    "option external-check, which is refused" },
	{ "filter", SECM_PROXY, KW_REFUSED, 0, NULL, "the filter would not "
	    "run" },
	{ "force-persist", SECM_FE | SECM_BE | SECM_LI, KW_HTTP, 0, NULL,
	    "no persistence cookies" },
	{ "fullconn", SECM_BEP, KW_IMPL, 0, px_fullconn, NULL },
	{ "grace", SECM_PROXY, KW_HARMLESS, 0, NULL, "use --drain-timeout" },
	{ "hash-balance-factor", SECM_BEP, KW_IMPL, 0, px_balance_factor,
	    NULL },
	{ "hash-type", SECM_BEP, KW_IMPL, 0, px_hashtype, NULL },
	{ "http-after-response", SECM_PROXY, KW_HTTP, 0, NULL, "responses "
	    "would not be rewritten" },
	{ "http-check", SECM_BEP, KW_IMPL, 0, cf_httpcheck, NULL },
	{ "http-error", SECM_PROXY, KW_HARMLESS, 0, NULL, NOPAGE },
	{ "http-request", SECM_PROXY, KW_HTTP, 0, NULL, "requests would not "
	    "be filtered or rewritten" },
	{ "http-response", SECM_PROXY, KW_HTTP, 0, NULL, "responses would "
	    "not be filtered or rewritten" },
	{ "http-reuse", SECM_BEP, KW_HARMLESS, 0, NULL, NOREUSE },
	{ "http-send-name-header", SECM_BEP, KW_HTTP, 0, NULL, "servers "
	    "would not get the header" },
	{ "id", SECM_PROXY, KW_HARMLESS, 0, NULL, STATS },
	{ "ignore-persist", SECM_FE | SECM_BE | SECM_LI, KW_HTTP, 0, NULL,
	    "no persistence cookies" },
	{ "load-server-state-from-file", SECM_BEP, KW_HARMLESS, 0, NULL,
	    "state is kept across reloads in memory" },
	{ "log", SECM_PROXY, KW_HARMLESS, 0, NULL, LOGGING },
	{ "log-format", SECM_FEP, KW_HARMLESS, 0, NULL, LOGGING },
	{ "log-format-sd", SECM_FEP, KW_HARMLESS, 0, NULL, LOGGING },
	{ "log-tag", SECM_PROXY, KW_HARMLESS, 0, NULL, LOGGING },
	{ "max-keep-alive-queue", SECM_BEP, KW_HARMLESS, 0, NULL,
	    NOREUSE },
	{ "max-session-srv-conns", SECM_FEP, KW_HARMLESS, 0, NULL, NOREUSE },
	{ "maxconn", SECM_PROXY, KW_IMPL, 0, px_maxconn, NULL },
	{ "mode", SECM_PROXY, KW_IMPL, 0, px_mode, NULL },
	{ "monitor", SECM_FE | SECM_LI, KW_HTTP, 0, NULL, "the monitor "
	    "request would not be answered" },
	{ "monitor-uri", SECM_FEP, KW_HTTP, 0, NULL, "the monitor request "
	    "would reach a server" },
	{ "option", SECM_PROXY, KW_IMPL, 0, config_option, NULL },
	{ "persist", SECM_BEP, KW_REFUSED, 0, NULL, "no RDP cookie "
	    "persistence" },
	{ "rate-limit", SECM_FEP, KW_REFUSED, 0, NULL, "no rate limit: "
	    "sessions would be accepted faster" },
	{ "redirect", SECM_FE | SECM_BE | SECM_LI, KW_HTTP, 0, NULL,
	    "clients would not be redirected" },
	{ "retries", SECM_PROXY, KW_IMPL, 0, px_retries, NULL },
	{ "retry-on", SECM_BEP, KW_HTTP, 0, NULL, "requests would not be "
	    "retried on HTTP errors" },
	{ "server", SECM_PROXY, KW_IMPL, 0, config_server, NULL },
	{ "server-state-file-name", SECM_BEP, KW_HARMLESS, 0, NULL, "state "
	    "is kept across reloads in memory" },
	{ "server-template", SECM_BEP, KW_REFUSED, 0, NULL, "no servers "
	    "from DNS; list them with server lines" },
	{ "source", SECM_BEP, KW_IMPL, 0, px_source, NULL },
	{ "srvtcpka-cnt", SECM_BEP, KW_HARMLESS, 0, NULL, TUNING },
	{ "srvtcpka-idle", SECM_BEP, KW_HARMLESS, 0, NULL, TUNING },
	{ "srvtcpka-intvl", SECM_BEP, KW_HARMLESS, 0, NULL, TUNING },
	{ "srvtimeout", SECM_PROXY, KW_REFUSED, 0, NULL, REMOVED "; use "
	    "timeout server" },
	{ "stats", SECM_PROXY, KW_IMPL, 0, px_stats, NULL },
	{ "stick", SECM_BE | SECM_LI, KW_REFUSED, 0, NULL, "no stickiness: "
	    "clients would move between servers" },
	{ "stick-table", SECM_FE | SECM_BE | SECM_LI, KW_REFUSED, 0, NULL,
	    "no stick tables" },
	{ "tcp-check", SECM_BEP, KW_IMPL, 0, cf_tcpcheck, NULL },
	{ "tcp-request", SECM_PROXY, KW_IMPL, 0, config_tcp_request, NULL },
	{ "tcp-response", SECM_BEP, KW_REFUSED, 0, NULL, "responses would "
	    "not be inspected" },
	{ "timeout", SECM_PROXY, KW_IMPL, 0, px_timeout, NULL },
	{ "transparent", SECM_BEP, KW_REFUSED, 0, NULL, "connections would "
	    "go to the client's destination" },
	{ "unique-id-format", SECM_FEP, KW_HTTP, 0, NULL, "requests would "
	    "get no unique id" },
	{ "unique-id-header", SECM_FEP, KW_HTTP, 0, NULL, "servers would "
	    "not get the header" },
	{ "use-fcgi-app", SECM_BEP, KW_REFUSED, 0, NULL, "no FastCGI" },
	{ "use-server", SECM_BE | SECM_LI, KW_REFUSED, 0, NULL, "no "
	    "content switching: the hash picks the server" },
	{ "use_backend", SECM_PROXY, KW_IMPL, 0, config_use_backend, NULL },
};
const size_t cf_nproxy_kws = sizeof(cf_proxy_kws) / sizeof(cf_proxy_kws[0]);

void
config_proxy(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_kw *k;

	p->p_no = 0;
	if (strcmp(argv[0], "no") == 0 && argc >= 2 &&
	    strcmp(argv[1], "option") == 0) {
		argc--;
		argv++;
		p->p_no = 1;
	}
	k = config_kw_find(cf_proxy_kws, cf_nproxy_kws, argv[0]);
	if (k == NULL) {
		config_msg(p, CF_ERROR, "\"%s\": unknown keyword", argv[0]);
		return;
	}
	if (k->kw_kind != KW_IMPL) {
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
