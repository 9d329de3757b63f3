/* SPDX-License-Identifier: ISC */
/*
 * "[no] option NAME [args]" in defaults, frontend, backend and listen:
 * the options hashproxy runs, and in one sorted table what the others
 * mean at L4 (logging and HTTP connection handling are nil there).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config-parser.h"

#define LOGGING	"log format; hashproxy logs its own lines"
#define HTTPCON	"HTTP connection handling; bytes pass unchanged at L4"
#define NOCHECK	"the health check would be a plain connect"
#define NOTHERS	"not an option of haproxy 2.6, which refuses it"

/*
 * haproxy 2.6 reads the interval with atol(): what leads the word, 0
 * when nothing does, and any further word is not looked at.  We take
 * the same and say so.
 */
static int
opt_redispatch_interval(struct cf_parser *p, int argc, char **argv)
{
	long v;
	char *end;

	if (argc < 3)
		return -1;
	errno = 0;
	v = strtol(argv[2], &end, 10);
	if (errno != 0 || v < INT_MIN || v > INT_MAX) {
		config_msg(p, CF_ERROR, "option redispatch \"%s\": out of "
		    "range", argv[2]);
		return -1;
	}
	if (*end != '\0' || end == argv[2])
		config_msg(p, CF_WARNING, "option redispatch \"%s\": not an "
		    "integer, taken as %ld as haproxy does", argv[2], v);
	if (argc > 3)
		config_msg(p, CF_WARNING, "option redispatch: \"%s\" and "
		    "after ignored, as haproxy does", argv[3]);
	return (int)v;
}

static void
opt_redispatch(struct cf_parser *p, int argc, char **argv)
{
	/* haproxy: every Pth retry, or for -N the Nth retry before the
	 * last one; -1 (the last retry) by default, 0 none (but a retry
	 * away from a stopped server still goes elsewhere).  "no" sets
	 * the interval to 0, "default" leaves it. */
	int on = !p->p_no, every;

	if (p->p_default)
		every = p->p_sec == SEC_FRONTEND ? p->p_fe->fe_redispatch :
		    p->p_be != NULL ? p->p_be->be_redispatch : 0;
	else
		every = p->p_no ? 0 : opt_redispatch_interval(p, argc, argv);
	if (p->p_sec == SEC_FRONTEND) {
		p->p_fe->fe_redisp_on = on;
		p->p_fe->fe_redispatch = every;
		p->p_fe->fe_redispatch_set = 1;
	} else if (p->p_be != NULL) {
		p->p_be->be_redisp_on = on;
		p->p_be->be_redispatch = every;
		p->p_be->be_redispatch_set = p->p_sec != SEC_DEFAULTS;
	}
}

/* option allbackups and option persist: a backend's flag, "no" clears it */
static void
opt_beflag(struct cf_parser *p, int argc, char **argv)
{
	int *flag;

	(void)argc;
	if (p->p_be == NULL)
		return;
	flag = strcmp(argv[1], "allbackups") == 0 ? &p->p_be->be_allbackups :
	    &p->p_be->be_persist;
	*flag = !p->p_no;
}

static void
opt_httpchk(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;

	if (be == NULL) {
		config_msg(p, CF_WARNING, "option httpchk ignored in a "
		    "frontend");
		return;
	}
	if (p->p_no) {
		be->be_httpchk = 0;
		return;
	}
	be->be_httpchk = 1;
	memset(&be->be_hcopt, 0, sizeof(be->be_hcopt));
	if (argc == 3) {
		if (config_copy(be->be_chkuri, sizeof(be->be_chkuri),
		    argv[2]) == -1)
			config_msg(p, CF_ERROR, "option httpchk: URI too long");
	} else if (argc >= 4 && argc <= 5) {
		/* "HTTP/1.1\r\nHost:\ x": haproxy 2.6's deprecated form */
		if (argc == 5 && strstr(argv[4], "\r\n") != NULL &&
		    !cf_httpchk_hidden(p, be, argv[4]))
			return;
		if (config_copy(be->be_chkmeth, sizeof(be->be_chkmeth),
		    argv[2]) == -1 || config_copy(be->be_chkuri,
		    sizeof(be->be_chkuri), argv[3]) == -1 ||
		    (argc == 5 && strstr(argv[4], "\r\n") == NULL &&
		    config_copy(be->be_chkver, sizeof(be->be_chkver),
		    argv[4]) == -1))
			config_msg(p, CF_ERROR, "option httpchk: argument "
			    "too long");
	} else if (argc > 5)
		config_msg(p, CF_ERROR, "option httpchk: [METHOD] URI "
		    "[VERSION] expected");
	if (strpbrk(be->be_chkuri, "\r\n") != NULL ||
	    strpbrk(be->be_chkmeth, "\r\n ") != NULL ||
	    strpbrk(be->be_chkver, "\r\n ") != NULL)
		config_msg(p, CF_ERROR, "option httpchk: line breaks not "
		    "allowed");
}

static void
opt_smartconnect(struct cf_parser *p, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* always on: see connect_server_locked (connect.c) */
	if (p->p_no)
		config_msg(p, CF_WARNING, "no option tcp-smart-connect: "
		    "ignored (a client's first bytes always carry the server "
		    "handshake's last ACK)");
}

/* The sides a tcpka keyword names that the section has: 1 client, 2
 * server.  haproxy ignores the other side's with a warning. */
static int
opt_tcpka_sides(struct cf_parser *p, const char *kw, int sides)
{
	int have = (p->p_fe != NULL ? 1 : 0) | (p->p_be != NULL ? 2 : 0);

	if ((sides & have) == 0)
		config_msg(p, CF_WARNING, "%s: ignored in a %s", kw,
		    sides == 1 ? "backend" : "frontend");
	return sides & have;
}

/* option tcpka (both sides), clitcpka, srvtcpka */
static void
opt_tcpka(struct cf_parser *p, int argc, char **argv)
{
	int sides = argv[1][0] == 'c' ? 1 : argv[1][0] == 's' ? 2 : 3;

	if (argc > 2) {
		config_msg(p, CF_ERROR, "option %s: no argument expected",
		    argv[1]);
		return;
	}
	sides = opt_tcpka_sides(p, argv[1], sides);
	if (sides & 1)
		p->p_fe->fe_tcpka.ka_on = !p->p_no;
	if (sides & 2)
		p->p_be->be_tcpka.ka_on = !p->p_no;
}

/*
 * clitcpka-cnt N, clitcpka-idle T, clitcpka-intvl T and the srvtcpka
 * ones: TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL.  A time is in seconds
 * unless it says its unit, as haproxy reads it.
 */
void
cf_tcpka_param(struct cf_parser *p, int argc, char **argv)
{
	const char *w = strchr(argv[0], '-') + 1;
	struct cf_tcpka *ka;
	uint64_t us;
	int v;

	if (argc != 2) {
		config_msg(p, CF_ERROR, "%s: one argument expected", argv[0]);
		return;
	}
	if (strcmp(w, "cnt") == 0) {
		if (config_int(argv[1], 0, 32767, &v) == -1) {
			config_msg(p, CF_ERROR, "%s \"%s\": not a count",
			    argv[0], argv[1]);
			return;
		}
	} else if (config_int(argv[1], 0, 32767, &v) == -1) {
		if (config_duration(argv[1], &us) == -1 ||
		    us > 32767 * UINT64_C(1000000)) {
			config_msg(p, CF_ERROR, "%s \"%s\": not a time up to "
			    "32767s", argv[0], argv[1]);
			return;
		}
		v = (int)((us + 999999) / 1000000);
	}
	if (opt_tcpka_sides(p, argv[0], argv[0][0] == 'c' ? 1 : 2) == 0)
		return;
	ka = argv[0][0] == 'c' ? &p->p_fe->fe_tcpka : &p->p_be->be_tcpka;
	if (w[0] == 'c')
		ka->ka_cnt = v;
	else if (w[1] == 'd')
		ka->ka_idle = v;
	else
		ka->ka_intvl = v;
}

/* config-check.c reads them; config_option() calls it first */
static void
opt_check(struct cf_parser *p, int argc, char **argv)
{
	(void)cf_option_check(p, argc, argv, p->p_no);
}

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_option_kws[] = {
	CF_HARMLESS("abortonclose", SECM_BEP,
	    "a client's close always reaches the server at L4"),
	CF_HARMLESS("accept-invalid-http-request", SECM_FEP, HTTPCON),
	CF_HARMLESS("accept-invalid-http-response", SECM_BEP, HTTPCON),
	CF_IMPL("allbackups", SECM_BEP, opt_beflag),
	CF_REFUSED("allredisp", SECM_BEP, NOTHERS),
	CF_HARMLESS("checkcache", SECM_BEP, HTTPCON),
	CF_IMPL("clitcpka", SECM_FEP, opt_tcpka),
	CF_HARMLESS("contstats", SECM_PROXY, STATS),
	CF_HARMLESS("disable-h2-upgrade", SECM_FEP, HTTPCON),
	CF_HARMLESS("dontlog-normal", SECM_FEP, LOGGING),
	CF_HARMLESS("dontlognull", SECM_FEP, LOGGING),
	CF_IMPL("external-check", SECM_BEP, opt_check),
	CF_REFUSED("forceclose", SECM_PROXY,
	    "removed in haproxy 2.0; remove it, or use option httpclose"),
	CF_HTTPONLY("forwardfor", SECM_PROXY,
	    "servers would not get X-Forwarded-For"),
	CF_HARMLESS("h1-case-adjust-bogus-client", SECM_FEP, HTTPCON),
	CF_HARMLESS("h1-case-adjust-bogus-server", SECM_BEP, HTTPCON),
	CF_HARMLESS("http-buffer-request", SECM_PROXY, HTTPCON),
	CF_HARMLESS("http-ignore-probes", SECM_FEP, HTTPCON),
	CF_HARMLESS("http-keep-alive", SECM_PROXY, HTTPCON),
	CF_HARMLESS("http-no-delay", SECM_PROXY, HTTPCON),
	CF_HARMLESS("http-pretend-keepalive", SECM_BEP, HTTPCON),
	CF_HARMLESS("http-restrict-req-hdr-names", SECM_PROXY, HTTPCON),
	CF_HARMLESS("http-server-close", SECM_PROXY,
	    "HTTP-only; bytes pass unchanged at L4"),
	CF_REFUSED("http-use-htx", SECM_PROXY, NOTHERS),
	CF_HARMLESS("http-use-proxy-header", SECM_FEP, HTTPCON),
	CF_REFUSED("http_proxy", SECM_PROXY, "removed in haproxy 2.5"),
	CF_IMPL("httpchk", SECM_BEP, opt_httpchk),
	CF_HARMLESS("httpclose", SECM_PROXY, HTTPCON),
	CF_HARMLESS("httplog", SECM_FEP, LOGGING),
	CF_HARMLESS("httpslog", SECM_FEP, LOGGING),
	CF_HARMLESS("idle-close-on-response", SECM_FEP, HTTPCON),
	CF_HARMLESS("independent-streams", SECM_PROXY, TUNING),
	CF_IMPL("ldap-check", SECM_BEP, opt_check),
	CF_HARMLESS("log-health-checks", SECM_BEP,
	    "check results are event lines"),
	CF_HARMLESS("log-separate-errors", SECM_FEP, LOGGING),
	CF_HARMLESS("logasap", SECM_FEP, LOGGING),
	CF_IMPL("mysql-check", SECM_BEP, opt_check),
	CF_HARMLESS("nolinger", SECM_PROXY, TUNING),
	CF_HTTPONLY("originalto", SECM_PROXY,
	    "servers would not get X-Original-To"),
	CF_IMPL("persist", SECM_BEP, opt_beflag),
	CF_IMPL("pgsql-check", SECM_BEP, opt_check),
	CF_HARMLESS("prefer-last-server", SECM_BEP, NOREUSE),
	CF_IMPL("redis-check", SECM_BEP, opt_check),
	CF_IMPL("redispatch", SECM_BEP, opt_redispatch),
	CF_IMPL("smtpchk", SECM_BEP, opt_check),
	CF_HARMLESS("socket-stats", SECM_FEP, STATS),
	CF_HARMLESS("splice-auto", SECM_PROXY, TUNING),
	CF_HARMLESS("splice-request", SECM_PROXY, TUNING),
	CF_HARMLESS("splice-response", SECM_PROXY, TUNING),
	CF_REFUSED("spop-check", SECM_BEP, NOCHECK),
	CF_IMPL("srvtcpka", SECM_BEP, opt_tcpka),
	CF_IMPL("ssl-hello-chk", SECM_BEP, opt_check),
	CF_IMPL("tcp-check", SECM_BEP, opt_check),
	CF_HARMLESS("tcp-smart-accept", SECM_FEP, TUNING),
	CF_IMPL("tcp-smart-connect", SECM_BEP, opt_smartconnect),
	CF_IMPL("tcpka", SECM_PROXY, opt_tcpka),
	CF_HARMLESS("tcplog", SECM_FEP, LOGGING),
	CF_REFUSED("transparent", SECM_BEP,
	    "connections would go to the client's destination"),
};
const size_t cf_noption_kws = sizeof(cf_option_kws) / sizeof(cf_option_kws[0]);

/*
 * The options haproxy 2.6 refuses after "no" ("negation/default is not
 * supported"): the checks, the log formats, the headers, tcpka, and
 * those it does not know at all.
 */
static int
opt_negatable(const char *name)
{
	static const char *const never[] = {
		"allredisp", "external-check", "forceclose", "forwardfor",
		"http-restrict-req-hdr-names", "http-use-htx", "http_proxy",
		"httpchk", "httplog", "httpslog", "ldap-check", "mysql-check",
		"originalto", "pgsql-check", "redis-check", "smtpchk",
		"spop-check", "ssl-hello-chk", "tcp-check", "tcpka", "tcplog",
	};
	size_t i;

	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strcmp(name, never[i]) == 0)
			return 0;
	return 1;
}

/*
 * The options (besides the checks, config-check.c) that take values in
 * haproxy 2.6; it refuses a value after any other.
 */
static const struct cf_arity opt_arities[] = {
	{ "forwardfor", 0, -1 },
	{ "http-restrict-req-hdr-names", 1, 1 },
	{ "httpchk", 0, -1 },
	{ "httplog", 0, 1 },
	{ "httpslog", 0, -1 },
	{ "originalto", 0, -1 },
	{ "redispatch", 0, -1 },
};

static int
opt_values_ok(struct cf_parser *p, int argc, char **argv)
{
	size_t i, n = sizeof(opt_arities) / sizeof(opt_arities[0]);

	for (i = 0; i < n; i++)
		if (strcmp(argv[1], opt_arities[i].ar_name) == 0)
			return config_arity_ok(p, opt_arities, n, argc - 1,
			    argv + 1);
	if (argc <= 2)
		return 1;
	config_msg(p, CF_ERROR, "option %s: takes no value (\"%s\" is one "
	    "too many), as in haproxy", argv[1], argv[2]);
	return 0;
}

void
config_option(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_kw *k;
	char kw[80];

	if (argc < 2) {
		config_msg(p, CF_ERROR, "option: a name is required");
		return;
	}
	/* haproxy 2.6 leaves the last word twice after "default": every
	 * option that counts its words refuses it, redispatch does not */
	if (p->p_default && strcmp(argv[1], "redispatch") != 0) {
		config_msg(p, CF_ERROR, "default option %s: not supported "
		    "(haproxy 2.6 refuses it)", argv[1]);
		return;
	}
	if (p->p_no && !opt_negatable(argv[1])) {
		config_msg(p, CF_ERROR, "no option %s: not supported (haproxy "
		    "2.6 has no negation for it)", argv[1]);
		return;
	}
	if (cf_option_check(p, argc, argv, p->p_no))
		return;		/* the check options (config-check.c) */
	if (!opt_values_ok(p, argc, argv))
		return;
	k = config_kw_find(cf_option_kws, cf_noption_kws, argv[1]);
	if (k == NULL) {
		config_msg(p, CF_ERROR, "option \"%s\": not supported",
		    argv[1]);
		return;
	}
	if (k->kw_kind == KW_IMPL) {
		k->kw_fn(p, argc, argv);
		return;
	}
	/* turning off what we do not do anyway changes nothing */
	if (p->p_no && k->kw_kind != KW_HARMLESS)
		return;
	snprintf(kw, sizeof(kw), "option %s", argv[1]);
	config_kw_other(p, k, kw);
}
