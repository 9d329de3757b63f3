/* SPDX-License-Identifier: ISC */
/* config.c: the haproxy.cfg subset, its defaults and its messages. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "tap.h"
#include "unit-cfparse.h"

static const char seed[] =
	"frontend maas\n"
	"    bind    *:80\n"
	"    retries 3\n"
	"    option  redispatch\n"
	"    option  http-server-close\n"
	"    default_backend maas\n"
	"\n"
	"backend maas\n"
	"    timeout server 90s\n"
	"    balance source\n"
	"    hash-type consistent\n"
	"    server localhost localhost:5240 check\n"
	"    server maas-api-1 192.0.2.1:5240 check\n"
	"    server maas-api-2 192.0.2.2:5240 check\n";

static void
test_seed(void)
{
	struct cf_config cf;
	struct cf_backend *be;

	is_int(parse(seed, &cf), 0, "the seed's block parses");
	is_int(cf.cf_nfrontends, 1, "one frontend");
	is_str(cf.cf_frontends[0].fe_binds[0].ca_host, "*", "bind *");
	is_str(cf.cf_frontends[0].fe_binds[0].ca_port, "80", "port 80");
	be = &cf.cf_backends[0];
	is_int(be->be_balance, BAL_SOURCE, "balance source");
	is_int(be->be_hashtype, HT_CONSISTENT, "hash-type consistent");
	ok(be->be_avalanche, "consistent implies avalanche (haproxy)");
	is_int(be->be_tserver, 90000000, "timeout server 90s");
	is_int(be->be_nservers, 3, "three servers");
	is_str(be->be_servers[0].sv_addr.ca_host, "localhost", "host name kept");
	is_int(be->be_servers[2].sv_id, 3, "ids assigned in order");
	ok(be->be_servers[1].sv_check, "check");
	is_int(be->be_servers[1].sv_rise, 2, "rise defaults to 2");
	is_int(be->be_servers[1].sv_fall, 3, "fall defaults to 3");
	is_int(be->be_servers[1].sv_inter, 2000000, "inter defaults to 2s");
	ok(be->be_redispatch, "frontend redispatch applied to the backend");
	is_int(be->be_retries, 3, "frontend retries applied");
	ok(strstr(msgs, "N t.cfg:1: frontend maas: 'retries 3' and 'option "
	    "redispatch' applied to backend maas") != NULL,
	    "one notice line says so");
	ok(strstr(msgs, "N t.cfg:5: frontend maas: option http-server-close: "
	    "ignored (HTTP-only") != NULL, "http-server-close is a notice at 5");
	config_free(&cf);
}

/* nbthread: a number of threads, or a file:line error. */
static void
test_nbthread(void)
{
	struct cf_config cf;

	is_int(parse("global\n nbthread 4\nlisten l\n bind :80\n"
	    " server s 127.0.0.1:80\n", &cf), 0, "nbthread parses");
	is_int(cf.cf_nbthread, 4, "nbthread 4");
	config_free(&cf);
	is_int(parse("global\n maxconn 10\nlisten l\n bind :80\n"
	    " server s 127.0.0.1:80\n", &cf), 0, "no nbthread");
	is_int(cf.cf_nbthread, 0, "unset: 0 (one per CPU)");
	config_free(&cf);
	is_int(parse("global\n nbthread 0\n", &cf), 1, "nbthread 0 refused");
	ok(strstr(msgs, "E t.cfg:2: nbthread \"0\": is not a number; "
	    "should be 1..64") != NULL, "named with file:line");
	config_free(&cf);
	is_int(parse("global\n nbthread 65\n", &cf), 1, "nbthread 65 refused");
	config_free(&cf);
}

static void
test_defaults(void)
{
	struct cf_config cf;
	struct cf_server *s;

	is_int(parse("global\n maxconn 500\n stats socket /run/x.sock mode 600"
	    " level admin\n user haproxy\n"
	    "defaults\n mode http\n timeout connect 5000\n timeout client 1m\n"
	    " retries 2\n option redispatch\n default-server inter 3s fall 2\n"
	    "listen web\n bind 127.0.0.1:8080,[::1]:8081\n balance roundrobin\n"
	    " server a 127.0.0.1:1 weight 3 id 7 backup maxconn 10\n"
	    " server b 127.0.0.1:2 disabled check inter 500 rise 1\n"
	    " server c 127.0.0.1:3\n", &cf), 0, "defaults and listen parse");
	is_int(cf.cf_maxconn, 500, "global maxconn");
	is_str(cf.cf_stats_socket, "/run/x.sock", "stats socket");
	is_str(cf.cf_user, "haproxy", "user");
	is_int(cf.cf_frontends[0].fe_nbinds, 2, "two addresses on one bind");
	is_str(cf.cf_frontends[0].fe_binds[1].ca_host, "::1", "[::1]");
	is_int(cf.cf_frontends[0].fe_tclient, 60000000, "timeout client 1m");
	is_int(cf.cf_backends[0].be_tconnect, 5000000, "bare number = ms");
	is_int(cf.cf_backends[0].be_retries, 2, "retries from defaults");
	ok(cf.cf_backends[0].be_redispatch, "redispatch from defaults");
	s = cf.cf_backends[0].be_servers;
	is_int(s[0].sv_weight, 3, "weight");
	is_int(s[0].sv_id, 7, "explicit id");
	ok(s[0].sv_backup, "backup");
	is_int(s[0].sv_maxconn, 10, "server maxconn");
	is_int(s[0].sv_inter, 3000000, "default-server inter");
	is_int(s[0].sv_fall, 2, "default-server fall");
	ok(s[1].sv_disabled, "disabled");
	is_int(s[1].sv_inter, 500000, "inter 500 = 500ms");
	is_int(s[1].sv_id, 2, "auto id after an explicit one");
	is_int(s[2].sv_id, 3, "auto ids count every server");
	ok(strstr(msgs, "W t.cfg:6: defaults: mode http: proxied at L4") != NULL,
	    "mode http warns with file:line");
	config_free(&cf);
}

/* observe, on-error, error-limit: haproxy's defaults, default-server's */
static void
test_observe(void)
{
	struct cf_config cf;
	struct cf_server *s;

	is_int(parse("defaults\n default-server observe layer4 on-error "
	    "mark-down\nlisten l\n bind 127.0.0.1:1\n"
	    " server a 127.0.0.1:1 check\n"
	    " server b 127.0.0.1:2 check observe none on-error sudden-death "
	    "error-limit 5x\n", &cf), 0, "observe, on-error, error-limit parse");
	s = cf.cf_backends[0].be_servers;
	ok(s[0].sv_observe, "observe layer4 from default-server");
	is_int(s[0].sv_onerror, ONERR_MARKDOWN, "on-error from default-server");
	is_int(s[0].sv_errlimit, 10, "error-limit 10 by default");
	ok(!s[1].sv_observe, "observe none");
	is_int(s[1].sv_onerror, ONERR_SUDDEN, "on-error sudden-death");
	is_int(s[1].sv_errlimit, 5, "error-limit 5x is 5, as atol reads it");
	ok(strstr(msgs, "W t.cfg:6: listen l: error-limit \"5x\" read as 5") != NULL,
	    "error-limit 5x warns with file:line");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server a 127.0.0.1:1 check "
	    "error-limit 0\n", &cf) > 0, "error-limit 0 is refused");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server a 127.0.0.1:1 check "
	    "error-limit 99999999999\n", &cf) > 0,
	    "error-limit past INT_MAX is refused");
	is_int(cf.cf_backends[0].be_servers[0].sv_errlimit, 10,
	    "... and the limit stays 10");
	config_free(&cf);
	is_int(parse("listen l\n bind 127.0.0.1:1\n server a 127.0.0.1:1 "
	    "observe layer7\n", &cf), 0, "observe layer7 only warns");
	ok(!cf.cf_backends[0].be_servers[0].sv_observe, "layer7: not observed");
	config_free(&cf);
}

static void
test_errors(void)
{
	struct cf_config cf;

	ok(parse("frontend f\n bind *:80\n option forwardfor\n mode http\n"
	    " default_backend b\nbackend b\n server s 1.2.3.4:80\n", &cf) > 0,
	    "forwardfor in mode http is an error");
	ok(strstr(msgs, "E t.cfg:3: frontend f: option forwardfor: not "
	    "supported in mode http") != NULL, "named with file:line");
	config_free(&cf);
	is_int(parse("frontend f\n bind *:80\n default_backend nope\n"
	    "backend b\n balance uri\n server s 1.2.3.4:+x\n"
	    " server s 1.2.3.4:1\n frobnicate\n timeout server x\n", &cf), 5,
	    "every error counted in one run");
	ok(strstr(msgs, "t.cfg:5: backend b: balance \"uri\"") != NULL,
	    "balance uri refused");
	ok(strstr(msgs, "t.cfg:6: backend b: server s: port offset \"+x\"")
	    != NULL, "bad port offset refused");
	ok(strstr(msgs, "t.cfg:8: backend b: \"frobnicate\": unknown keyword")
	    != NULL, "unknown keyword");
	ok(strstr(msgs, "t.cfg:9: backend b: timeout server \"x\": not a "
	    "duration") != NULL, "bad duration");
	ok(strstr(msgs, "default_backend \"nope\": no such backend") != NULL,
	    "missing backend");
	config_free(&cf);
	ok(parse("frontend f\n bind \"*:80\n", &cf) > 0 &&
	    strstr(msgs, "t.cfg:2: frontend f: unterminated quote") != NULL,
	    "unterminated quote");
	config_free(&cf);
	ok(parse("server x 1.2.3.4:5\n", &cf) > 0 &&
	    strstr(msgs, "outside any section") != NULL, "outside a section");
	config_free(&cf);
	ok(parse("backend b\n server a 1.2.3.4:1 id 2\n server b 1.2.3.4:2 "
	    "id 2\nfrontend f\n bind :1\n default_backend b\n", &cf) > 0 &&
	    strstr(msgs, "id 2 already used") != NULL, "duplicate id");
	config_free(&cf);
	ok(parse("frontend f\n bind :1\n default_backend b\nbackend b\n"
	    " server a 1.2.3.4:1 ssl verify none\n", &cf) > 0 &&
	    strstr(msgs, "server parameter \"ssl\" not supported") != NULL,
	    "ssl server refused");
	config_free(&cf);
	is_int(parse("userlist u\n user x password y\nfrontend f\n bind :1\n"
	    " default_backend b\nbackend b\n server a h:1 check port 81 "
	    "slowstart 10s\n", &cf), 0, "unsupported section skipped");
	ok(strstr(msgs, "N t.cfg:1: section \"userlist\": ignored (") != NULL,
	    "with a notice");
	is_int(cf.cf_backends[0].be_servers[0].sv_checkport, 81, "check port");
	config_free(&cf);
	ok(parse("", &cf) > 0 && strstr(msgs, "no frontend") != NULL,
	    "an empty file is an error");
	config_free(&cf);
	ok(parse("frontend f\0\n", &cf) > 0, "NUL byte refused");
	config_free(&cf);
}

/* mapped ports: no port, :0, :+N, :-N; a fixed port stays fixed */
static void
test_portmap(void)
{
	struct cf_config cf;
	const struct cf_server *v;

	is_int(parse("listen l\n bind :1\n server a 1.2.3.4\n"
	    " server b 1.2.3.4:0\n server c 1.2.3.4:+1000\n"
	    " server d [::1]:-7\n server e 1.2.3.4:80\n"
	    " server f 1.2.3.4:+65537\n", &cf), 0, "mapped ports parse");
	v = cf.cf_backends[0].be_servers;
	ok(v[0].sv_portmap && v[0].sv_portoff == 0 &&
	    strcmp(v[0].sv_addr.ca_host, "1.2.3.4") == 0, "no port: mapped");
	ok(v[1].sv_portmap && v[1].sv_portoff == 0, ":0 mapped");
	ok(v[2].sv_portmap && v[2].sv_portoff == 1000, ":+1000");
	ok(v[3].sv_portmap && v[3].sv_portoff == -7 &&
	    strcmp(v[3].sv_addr.ca_host, "::1") == 0, "[::1]:-7");
	ok(!v[4].sv_portmap && strcmp(v[4].sv_addr.ca_port, "80") == 0,
	    ":80 fixed");
	ok(strstr(msgs, "t.cfg:8: listen l: server f: port offset +65537 "
	    "wraps past 65535: the same as +1") != NULL, "wrap warned");
	config_free(&cf);
	ok(parse("listen l\n bind :1\n server a 1.2.3.4 check\n", &cf) > 0 &&
	    strstr(msgs, "t.cfg:3: server a: neither a service port")
	    != NULL, "mapped and checked without port: refused");
	config_free(&cf);
	is_int(parse("listen l\n bind :1\n server a 1.2.3.4 check port 9\n",
	    &cf), 0, "with a check port: accepted");
	config_free(&cf);
	/* haproxy 2.6 reads the offset with atoi: "+" is +0, "+1x" +1 */
	ok(parse("listen l\n bind :1\n server a 1.2.3.4:+\n", &cf) == 0 &&
	    cf.cf_backends[0].be_servers[0].sv_portmap &&
	    cf.cf_backends[0].be_servers[0].sv_portoff == 0 &&
	    strstr(msgs, "port offset \"+\" read as +0") != NULL,
	    "a sign without digits: +0, with a warning");
	config_free(&cf);
	ok(parse("listen l\n bind :1\n server a 1.2.3.4:-1x\n", &cf) == 0 &&
	    cf.cf_backends[0].be_servers[0].sv_portoff == -1,
	    "-1x: -1");
	config_free(&cf);
	ok(parse("listen l\n bind :1\n server a 1.2.3.4:+99999999999\n",
	    &cf) > 0, "an offset past an int: refused");
	config_free(&cf);
	ok(parse("listen l\n bind :1\n server a 1.2.3.4:80 check "
	    "addr 5.6.7.8:81\n", &cf) == 0 && strcmp(cf.cf_backends[0].
	    be_servers[0].sv_chkaddr.ca_host, "5.6.7.8") == 0 &&
	    strcmp(cf.cf_backends[0].be_servers[0].sv_chkaddr.ca_port,
	    "81") == 0, "addr A:P");
	config_free(&cf);
	ok(parse("listen l\n bind :1\n server a 1.2.3.4 check "
	    "addr 5.6.7.8:81\n", &cf) == 0,
	    "mapped, checked at addr's port: accepted");
	config_free(&cf);
	ok(parse("listen l\n bind :1\n server a 1.2.3.4:80 check "
	    "addr 5.6.7.8:+1\n", &cf) > 0 &&
	    strstr(msgs, "t.cfg:3: listen l: addr \"5.6.7.8:+1\"") != NULL,
	    "addr with an offset: refused");
	config_free(&cf);
}

static void
test_httpchk(void)
{
	struct cf_config cf;
	struct cf_backend *be;

	is_int(parse("frontend f\n bind :1\n default_backend b\nbackend b\n"
	    " option httpchk GET /MAAS/api/2.0/version/\n"
	    " http-check expect status 200\n hash-type map-based\n"
	    " balance source\n server a h:1 check\n", &cf), 0, "httpchk");
	be = &cf.cf_backends[0];
	ok(be->be_httpchk, "httpchk on");
	is_str(be->be_chkmeth, "GET", "method");
	is_str(be->be_chkuri, "/MAAS/api/2.0/version/", "uri");
	is_int(be->be_expect_status, 200, "expect status");
	is_int(be->be_hashtype, HT_MAP, "map-based");
	ok(!be->be_avalanche, "map-based: no avalanche");
	config_free(&cf);
	ok(parse("frontend f\n bind :1\n default_backend b\nbackend b\n"
	    " option httpchk \"GET\" \"/x\\r\\nHost: y\"\n server a h:1\n",
	    &cf) > 0, "line breaks in httpchk refused");
	config_free(&cf);
}

/* "option redispatch <interval>": haproxy's numbers, and "no" = 0 */
static void
test_redispatch(void)
{
	struct cf_config cf;
	static const char *head = "frontend f\n bind :1\n default_backend b\n"
	    "backend b\n server a h:1\n";
	char text[256];

	snprintf(text, sizeof(text), "%s option redispatch\n", head);
	ok(parse(text, &cf) == 0 && cf.cf_backends[0].be_redispatch == -1,
	    "option redispatch: the last retry (-1)");
	config_free(&cf);
	snprintf(text, sizeof(text), "%s option redispatch 2\n", head);
	ok(parse(text, &cf) == 0 && cf.cf_backends[0].be_redispatch == 2,
	    "option redispatch 2: every second retry");
	config_free(&cf);
	snprintf(text, sizeof(text), "%s option redispatch -2\n", head);
	ok(parse(text, &cf) == 0 && cf.cf_backends[0].be_redispatch == -2,
	    "option redispatch -2");
	config_free(&cf);
	snprintf(text, sizeof(text), "%s option redispatch\n"
	    " no option redispatch\n", head);
	ok(parse(text, &cf) == 0 && cf.cf_backends[0].be_redispatch == 0,
	    "no option redispatch: off");
	config_free(&cf);
	snprintf(text, sizeof(text), "%s option redispatch 2\n"
	    " default option redispatch\n", head);
	ok(parse(text, &cf) == 0 && !cf.cf_backends[0].be_redisp_on &&
	    cf.cf_backends[0].be_redispatch == 2,
	    "default option redispatch: off, its interval left");
	config_free(&cf);
	/* haproxy reads it with atol() */
	snprintf(text, sizeof(text), "%s option redispatch x\n", head);
	ok(parse(text, &cf) == 0 && cf.cf_backends[0].be_redisp_on &&
	    cf.cf_backends[0].be_redispatch == 0 && strstr(msgs,
	    "W t.cfg:6: backend b: option redispatch \"x\": not an integer, "
	    "taken as 0") != NULL,
	    "option redispatch x: on, interval 0, a warning naming the line");
	config_free(&cf);
}

static void
test_helpers(void)
{
	struct cf_addr a;
	uint64_t u;

	ok(config_addr("[2001:db8::1]:443", &a, 1) == 0 &&
	    strcmp(a.ca_host, "2001:db8::1") == 0 &&
	    strcmp(a.ca_port, "443") == 0, "[v6]:port");
	ok(config_addr("host:0", &a, 1) == -1, "port 0 refused");
	ok(config_addr("host:65536", &a, 1) == -1, "port 65536 refused");
	ok(config_addr("unix@/x", &a, 1) == -1, "unix@ refused");
	ok(config_addr("h:80-90", &a, 1) == -1, "port range refused");
	ok(config_duration("250", &u) == 0 && u == 250000, "250 = 250ms");
	ok(config_duration("2s", &u) == 0 && u == 2000000, "2s");
	ok(config_duration("s", &u) == -1, "no digits refused");
}

/* Every keyword table is sorted (bsearch needs it), names unique. */
static void
test_tables(void)
{
	size_t t, i;

	for (t = 0; t < cf_nkwtables; t++) {
		const struct cf_kwtable *kt = &cf_kwtables[t];
		int sorted = 1, why = 1;

		for (i = 1; i < *kt->kt_n; i++)
			if (strcmp(kt->kt_kws[i - 1].kw_name,
			    kt->kt_kws[i].kw_name) >= 0) {
				printf("# %s: \"%s\" before \"%s\"\n", kt->kt_name,
				    kt->kt_kws[i - 1].kw_name,
				    kt->kt_kws[i].kw_name);
				sorted = 0;
			}
		for (i = 0; i < *kt->kt_n; i++)
			if ((kt->kt_kws[i].kw_kind == KW_IMPL) !=
			    (kt->kt_kws[i].kw_fn != NULL) ||
			    (kt->kt_kws[i].kw_kind != KW_IMPL &&
			    kt->kt_kws[i].kw_why == NULL))
				why = 0;
		ok(sorted, "table %s is sorted", kt->kt_name);
		ok(why, "table %s: handlers for implemented, reasons for "
		    "the others", kt->kt_name);
		ok(config_kw_find(kt->kt_kws, *kt->kt_n,
		    kt->kt_kws[*kt->kt_n - 1].kw_name) != NULL,
		    "table %s: the last entry is found", kt->kt_name);
	}
	ok(config_kw_find(cf_global_kws, cf_nglobal_kws, "tune.bufsize") !=
	    NULL, "tune.bufsize matches tune.*");
	ok(config_kw_find(cf_global_kws, cf_nglobal_kws, "tunex") == NULL,
	    "tunex does not");
}

/*
 * The parameters bind and server lines share (config-param.c): sorted,
 * in neither line's own table (it would hide them), and noticed once for
 * bind and once for server lines as when each table had its own.
 */
static void
test_param_kws(void)
{
	struct cf_config cf;
	int sorted = 1, apart = 1;
	size_t i;

	for (i = 0; i < cf_nparam_kws; i++) {
		if (i > 0 && strcmp(cf_param_kws[i - 1].kw_name,
		    cf_param_kws[i].kw_name) >= 0)
			sorted = 0;
		if (config_kw_find(cf_bind_kws, cf_nbind_kws,
		    cf_param_kws[i].kw_name) != NULL ||
		    config_kw_find(cf_server_kws, cf_nserver_kws,
		    cf_param_kws[i].kw_name) != NULL) {
			printf("# %s: in an own table too\n",
			    cf_param_kws[i].kw_name);
			apart = 0;
		}
	}
	ok(sorted, "table param is sorted");
	ok(apart, "table param: no name in bind's or server's own");
	is_int(parse("listen l\n bind :1 ca-file a tfo\n bind :2 ca-file b\n"
	    " server s h:1 ca-file c tfo\n", &cf), 0,
	    "shared parameters read on bind and server lines");
	ok(strstr(msgs, "N t.cfg:2: listen l: ca-file: ignored (no TLS") !=
	    NULL && strstr(msgs, "t.cfg:3: listen l: ca-file") == NULL &&
	    strstr(msgs, "N t.cfg:4: listen l: ca-file: ignored (no TLS") !=
	    NULL && strstr(msgs, "N t.cfg:4: listen l: tfo: ignored (tuning "
	    "only)") != NULL, "a notice per keyword for bind lines, another "
	    "for server lines");
	config_free(&cf);
	ok(parse("listen l\n bind :1 id 12abc\n server s h:1\n", &cf) > 0 &&
	    strstr(msgs, "E t.cfg:2: listen l: bind option \"id\" \"12abc\": "
	    "a positive integer expected (invalid)") != NULL,
	    "bind id checked as haproxy does");
	config_free(&cf);
}

static int
split(const char *line, char **argv)
{
	static char store[CF_LINEMAX + CF_MAXARGS + 2];
	struct cf_lexenv env = { "f.cfg", 7, "web" };
	const char *why = NULL;
	int n;

	n = config_split(line, strlen(line), store, sizeof(store), argv,
	    CF_MAXARGS, &env, &why);
	if (n == -1)
		printf("# split: %s\n", why);
	return n;
}

/* "stats socket" lines: levels, mode, owner, several; what is refused */
static void
test_stats_sockets(void)
{
	struct cf_config cf;

	is_int(parse("global\n stats socket /run/a.sock\n"
	    " stats socket /run/b.sock level user mode 640 uid 7 gid 8\n"
	    " stats socket /run/c.sock level admin user root group root "
	    "maxconn 4 expose-fd listeners\n stats timeout 500ms\n"
	    " stats maxconn 5\nlisten l\n bind :1\n server s 1.2.3.4:5\n",
	    &cf), 0, "three stats sockets parse");
	is_int(cf.cf_nstats, 3, "three sockets");
	is_int(cf.cf_stats[0].ss_level, CF_STATS_OPER, "no level: operator");
	is_int(cf.cf_stats[1].ss_level, CF_STATS_USER, "level user");
	is_int(cf.cf_stats[1].ss_mode, 0640, "mode is octal");
	ok(cf.cf_stats[1].ss_uid == 7 && cf.cf_stats[1].ss_gid == 8,
	    "uid and gid");
	ok(cf.cf_stats[2].ss_level == CF_STATS_ADMIN &&
	    cf.cf_stats[2].ss_uid == 0 && cf.cf_stats[2].ss_gid == 0 &&
	    cf.cf_stats[2].ss_maxconn == 4, "admin, user and group by name, "
	    "maxconn");
	ok(strstr(msgs, "W t.cfg:4: stats socket: 'expose-fd' ignored") !=
	    NULL, "expose-fd: a warning");
	is_int(cf.cf_stats_timeout, 500, "stats timeout in ms");
	is_int(cf.cf_stats_maxconn, 5, "stats maxconn");
	is_str(cf.cf_stats_socket, "/run/a.sock", "the first is the one path");
	config_free(&cf);
	ok(parse("global\n stats socket /run/a.sock level root\n", &cf) > 0 &&
	    strstr(msgs, "E t.cfg:2: stats socket: 'level' only supports "
	    "'user', 'operator', and 'admin'") != NULL, "a bad level");
	config_free(&cf);
	ok(parse("global\n stats socket /run/a.sock accept-proxy x\n", &cf)
	    > 0 && strstr(msgs, "'accept-proxy' is not supported") != NULL,
	    "an option that would change behaviour is refused");
	config_free(&cf);
	ok(parse("global\n stats socket /run/a.sock mode 9\n", &cf) > 0 &&
	    strstr(msgs, "mode '9': an octal mode expected") != NULL,
	    "mode 9");
	config_free(&cf);
	ok(parse("global\n stats socket /run/a.sock user no-such-user-x\n",
	    &cf) > 0 && strstr(msgs, "unknown user 'no-such-user-x'") != NULL,
	    "an unknown user");
	config_free(&cf);
	ok(parse("global\n stats socket /run/a.sock level\n", &cf) > 0 &&
	    strstr(msgs, "'level' expects a value") != NULL, "level alone");
	config_free(&cf);
	ok(parse("global\n stats socket /run/a.sock\n stats socket "
	    "/run/a.sock\n", &cf) > 0 && strstr(msgs, "given twice") != NULL,
	    "the same path twice");
	config_free(&cf);
	ok(parse("global\n stats timeout 0\n", &cf) > 0 &&
	    strstr(msgs, "stats timeout: a duration") != NULL,
	    "stats timeout 0");
	config_free(&cf);
}

/* configuration.txt 2.2 and 2.3 */
static void
test_lex(void)
{
	char *v[CF_MAXARGS];

	setenv("HB_PORT", "8080", 1);
	setenv("HB_LIST", "a b  c", 1);
	setenv("HB_EMPTY", "", 1);
	unsetenv("HB_NONE");
	ok(split("bind \"*:${HB_PORT}\"", v) == 2 && strcmp(v[1], "*:8080")
	    == 0, "${VAR} in double quotes");
	ok(split("bind \"*:$HB_PORT\" x", v) == 3 && strcmp(v[1], "*:8080")
	    == 0, "$VAR in double quotes");
	ok(split("bind '*:$HB_PORT'", v) == 2 && strcmp(v[1], "*:$HB_PORT")
	    == 0, "not in single quotes");
	ok(split("bind *:$HB_PORT", v) == 2 && strcmp(v[1], "*:$HB_PORT")
	    == 0, "not unquoted");
	ok(split("x \"${HB_NONE-127.0.0.1}:514\"", v) == 2 &&
	    strcmp(v[1], "127.0.0.1:514") == 0, "${VAR-default} unset");
	ok(split("x \"${HB_EMPTY-dflt}\"", v) == 2 && strcmp(v[1], "") == 0,
	    "the default does not replace an empty value");
	ok(split("x \"${HB_LIST[*]}\" y", v) == 5 && strcmp(v[1], "a") == 0 &&
	    strcmp(v[3], "c") == 0 && strcmp(v[4], "y") == 0,
	    "${VAR[*]} gives one word per value");
	ok(split("x \"${.FILE}:${.LINE}:${.SECTION}\"", v) == 2 &&
	    strcmp(v[1], "f.cfg:7:web") == 0, "pseudo-variables");
	ok(split("log-format %{+Q}o\\ %t\\ %s \"a\"'b'\\#c", v) == 3 &&
	    strcmp(v[1], "%{+Q}o %t %s") == 0 && strcmp(v[2], "ab#c") == 0,
	    "escapes and mixed quotes");
	ok(split("x \\x41\"\\x42\" \"\\$a\" \\1 \"\"", v) == 5 &&
	    strcmp(v[1], "AB") == 0 && strcmp(v[2], "$a") == 0 &&
	    strcmp(v[3], "\\1") == 0 && v[4][0] == '\0',
	    "\\xNN, \\$, other pairs kept, an empty word");
	ok(split("x \"${HB_PORT\"", v) == -1, "missing } refused");
	ok(split("x \\x4", v) == -1, "short \\x refused");
	ok(split("global#comment", v) == 1, "comment right after a word");
}

static int
cond(const char *text)
{
	char *v[CF_MAXARGS];
	const char *why = NULL;
	int n = split(text, v), r;

	r = config_cond_eval(n, v, &why);
	if (r == -1)
		printf("# cond \"%s\": %s\n", text, why);
	return r;
}

/* configuration.txt 2.4 */
static void
test_cond(void)
{
	setenv("HB_YES", "yes", 1);
	is_int(cond(""), 0, "empty is false");
	is_int(cond("0"), 0, "0 is false");
	is_int(cond("1"), 1, "1 is true");
	is_int(cond("defined(HB_YES)"), 1, "defined()");
	is_int(cond("defined(HB_NONE)"), 0, "defined() unset");
	is_int(cond("streq(\"$HB_YES\",yes)"), 1, "streq()");
	is_int(cond("strneq(\"$HB_YES\",yes)"), 0, "strneq()");
	is_int(cond("feature(OPENSSL)"), 0, "no TLS feature");
	is_int(cond("!feature(OPENSSL)"), 1, "!");
	is_int(cond("version_atleast(2.4-dev19)"), 1, "2.6 >= 2.4-dev19");
	is_int(cond("version_atleast(2.6)"), 1, "2.6 >= 2.6");
	is_int(cond("version_atleast(2.7-dev1)"), 0, "2.6 < 2.7-dev1");
	is_int(cond("version_before(2.8)"), 1, "version_before()");
	is_int(cond("0 || 1 && 0"), 0, "&& before ||");
	is_int(cond("1 && (0 || 1)"), 1, "parentheses");
	is_int(cond("frob(x)"), -1, "an unknown predicate is an error");
	is_int(cond("1 1"), -1, "trailing text is an error");
}

static const char tail[] = "backend b\n server s 127.0.0.1:1\n";

static void
test_directives(void)
{
	struct cf_config cf;
	char text[1024];

	setenv("HB_YES", "yes", 1);
	snprintf(text, sizeof(text), "frontend f\n"
	    ".if streq(\"$HB_YES\",yes)\n bind :81\n"
	    ".elif 1\n bind :82\n.else\n bind :83\n.endif\n"
	    ".if 0\n .if 1\n  bind :84\n .endif\n frob\n"
	    ".elif defined(HB_YES)\n bind :85\n.endif\n"
	    ".notice \"port ${.LINE}\"\n.warning careful\n"
	    " default_backend b\n%s", tail);
	is_int(parse(text, &cf), 0, ".if/.elif/.else/.endif parse");
	is_int(cf.cf_frontends[0].fe_nbinds, 2, "two branches taken");
	is_str(cf.cf_frontends[0].fe_binds[1].ca_port, "85", "the .elif one");
	ok(strstr(msgs, "N t.cfg:17: frontend f: port 17") != NULL,
	    ".notice with file:line");
	ok(strstr(msgs, "W t.cfg:18: frontend f: careful") != NULL,
	    ".warning");
	config_free(&cf);
	snprintf(text, sizeof(text), "frontend f\n bind :1\n"
	    ".alert \"stop here\"\n default_backend b\n%s", tail);
	ok(parse(text, &cf) == 1 && strstr(msgs, "E t.cfg:3: frontend f: "
	    "stop here") != NULL, ".alert is fatal");
	config_free(&cf);
	ok(parse(".if 1\nfrontend f\n", &cf) > 0 &&
	    strstr(msgs, ".if without .endif") != NULL, "unclosed .if");
	config_free(&cf);
	ok(parse(".endif\n", &cf) > 0 &&
	    strstr(msgs, "t.cfg:1: .endif without a matching .if") != NULL,
	    "lone .endif");
	config_free(&cf);
	ok(parse(".if 1\n.else\n.else\n.endif\n", &cf) > 0 &&
	    strstr(msgs, "t.cfg:3: .else without") != NULL, "two .else");
	config_free(&cf);
	ok(parse(".include x\n", &cf) > 0 &&
	    strstr(msgs, "\".include\": unknown directive") != NULL,
	    "unknown directive");
	config_free(&cf);
}

/* haproxy 2.6: "defaults NAME", "... from NAME" */
static void
test_named_defaults(void)
{
	struct cf_config cf;

	is_int(parse("defaults slow\n timeout connect 9s\n retries 5\n"
	    "defaults fast\n timeout connect 1s\n"
	    "defaults fast2 from fast\n retries 1\n"
	    "listen a\n bind :1\n server s h:1\n"
	    "listen b from slow\n bind :2\n server s h:1\n"
	    "listen c from fast2\n bind :3\n server s h:1\n", &cf), 0,
	    "named defaults parse");
	is_int(cf.cf_backends[0].be_tconnect, 1000000, "the last defaults");
	is_int(cf.cf_backends[1].be_tconnect, 9000000, "from slow");
	is_int(cf.cf_backends[1].be_retries, 5, "from slow: retries");
	is_int(cf.cf_backends[2].be_tconnect, 1000000, "fast2 from fast");
	is_int(cf.cf_backends[2].be_retries, 1, "fast2's own retries");
	config_free(&cf);
	ok(parse("listen a from nope\n bind :1\n server s h:1\n", &cf) > 0 &&
	    strstr(msgs, "t.cfg:1: listen a: listen: no defaults section "
	    "named \"nope\"") != NULL, "from an unknown name");
	config_free(&cf);
}

/* HTTP-only keywords: ignored in mode tcp (as haproxy), refused in http */
static void
test_http_verdicts(void)
{
	struct cf_config cf;
	static const char *defs = "defaults\n mode http\n option httplog\n"
	    " option forwardfor\n";
	char text[1024];

	snprintf(text, sizeof(text), "%sfrontend f\n mode tcp\n bind :1\n"
	    " default_backend b\nbackend b\n mode tcp\n server s h:1\n"
	    "frontend g\n mode tcp\n bind :2\n default_backend b\n", defs);
	is_int(parse(text, &cf), 0, "defaults mode http used by tcp proxies");
	ok(strstr(msgs, "N t.cfg:4: defaults: option forwardfor: ignored in "
	    "mode tcp") != NULL, "forwardfor: a notice at its line");
	ok(strstr(msgs, "forwardfor: ignored in mode tcp, as haproxy does "
	    "(HTTP only)\nN") == NULL ||
	    strstr(strstr(msgs, "forwardfor") + 1, "forwardfor") == NULL,
	    "only one notice for three proxies");
	config_free(&cf);
	snprintf(text, sizeof(text), "%slisten l\n bind :1\n server s h:1\n"
	    " http-request set-header X-A b\n cookie S insert\n", defs);
	is_int(parse(text, &cf), 3, "mode http: three HTTP keywords refused");
	ok(strstr(msgs, "E t.cfg:4: defaults: option forwardfor: not "
	    "supported in mode http (servers would not get X-Forwarded-For)")
	    != NULL, "forwardfor: named with its line");
	ok(strstr(msgs, "E t.cfg:8: listen l: http-request: not supported "
	    "in mode http") != NULL, "http-request");
	config_free(&cf);
	is_int(parse("global\n tune.bufsize 1\n tune.ssl.x 2\n zero-warning\n"
	    "listen l\n bind :1 name x interface lo tfo\n server s h:1\n"
	    " monitor-uri /x\n log global\n errorfile 503 /none\n"
	    " timeout http-request 5s\n timeout http-request 6s\n", &cf), 0,
	    "harmless keywords accepted");
	ok(strstr(msgs, "N t.cfg:11: listen l: timeout http-request: ignored")
	    != NULL && strstr(msgs, "t.cfg:12:") == NULL,
	    "timeout http-request: one notice");
	ok(strstr(msgs, "tune.ssl.x") == NULL, "one notice for every tune.*");
	ok(strstr(msgs, "N t.cfg:6: listen l: interface: ignored") != NULL,
	    "bind interface: a notice");
	ok(strstr(msgs, "E ") == NULL && strstr(msgs, "W ") == NULL,
	    "no warning, no error");
	config_free(&cf);
	snprintf(text, sizeof(text), "%slisten l\n bind :1\n server s h:1\n"
	    " no option forwardfor\n", defs);
	is_int(parse(text, &cf), 2, "no option forwardfor: refused, as "
	    "haproxy 2.6 has no negation for it; the defaults' one stays");
	ok(strstr(msgs, "E t.cfg:8: listen l: no option forwardfor: not "
	    "supported") != NULL, "no option forwardfor: the error at its line");
	config_free(&cf);
	is_int(parse("listen l\n bind 127.0.0.1:8007-8009,:90\n"
	    " server s h:1\n", &cf), 0, "a bind port range");
	is_int(cf.cf_frontends[0].fe_nbinds, 4, "one address per port");
	is_str(cf.cf_frontends[0].fe_binds[2].ca_port, "8009", "the last");
	is_str(cf.cf_frontends[0].fe_binds[2].ca_host, "127.0.0.1", "its host");
	config_free(&cf);
	ok(parse("listen l\n bind :9-8\n server s h:1\n", &cf) > 0 &&
	    strstr(msgs, "bind \":9-8\": should be") != NULL,
	    "a reversed range refused");
	config_free(&cf);
	ok(parse("listen l\n bind :1 ssl crt /x.pem\n server s h:1\n", &cf)
	    > 0 && strstr(msgs, "E t.cfg:2: listen l: bind option \"ssl\": "
	    "not supported (") != NULL, "bind ssl refused with a reason");
	config_free(&cf);
}

/* resolvers sections and the server's DNS parameters (config-resolvers.c) */
static void
test_resolvers(void)
{
	struct cf_config cf;
	const struct cf_resolvers *rs;
	const struct cf_server *sv;
	const struct sockaddr_in6 *s6;

	is_int(parse("resolvers dns\n"
	    " nameserver a 192.0.2.53\n"
	    " nameserver b udp@192.0.2.54:5353\n"
	    " nameserver c [2001:db8::53]:54\n"
	    " hold nx 5s\n timeout retry 200ms\n resolve_retries 5\n"
	    "listen l\n bind 127.0.0.1:1\n"
	    " server s api.example:80 resolvers dns init-addr none,192.0.2.9 "
	    "resolve-prefer ipv4 resolve-net 10.0.0.0/8\n", &cf), 0,
	    "a resolvers section parses");
	is_int(cf.cf_nresolvers, 1, "one section");
	rs = &cf.cf_resolvers[0];
	is_int(rs->rs_nns, 3, "three name servers");
	is_int(ntohs(((const struct sockaddr_in *)&rs->rs_ns[0])->sin_port), 53,
	    "port 53 by default");
	is_int(ntohs(((const struct sockaddr_in *)&rs->rs_ns[1])->sin_port),
	    5353, "udp@ADDR:PORT");
	s6 = (const struct sockaddr_in6 *)&rs->rs_ns[2];
	ok(s6->sin6_family == AF_INET6 && ntohs(s6->sin6_port) == 54,
	    "[IPv6]:PORT");
	is_int(rs->rs_hold_nx, 5000000, "hold nx");
	is_int(rs->rs_hold_valid, 10000000, "hold valid defaults to 10s");
	is_int(rs->rs_tretry, 200000, "timeout retry");
	is_int(rs->rs_retries, 5, "resolve_retries");
	sv = &cf.cf_backends[0].be_servers[0];
	is_str(sv->sv_resolvers, "dns", "server resolvers");
	ok(sv->sv_initaddr[0] == IA_NONE && sv->sv_initaddr[1] == IA_IP &&
	    sv->sv_initaddr[2] == IA_END, "init-addr none,IP");
	is_str(sv->sv_initip, "192.0.2.9", "init-addr's address");
	is_int(sv->sv_prefer, AF_INET, "resolve-prefer ipv4");
	ok(sv->sv_nnets == 1 && sv->sv_nets[0].n_bits == 8, "resolve-net");
	config_free(&cf);
	ok(parse("resolvers r\n nameserver n tcp@192.0.2.1:53\n", &cf) > 0 &&
	    strstr(msgs, "E t.cfg:2: resolvers r: nameserver n "
	    "\"tcp@192.0.2.1:53\": DNS over TCP is not supported") != NULL,
	    "tcp@ refused with file:line");
	config_free(&cf);
	ok(parse("resolvers r\n nameserver n ns.example:53\n", &cf) > 0 &&
	    strstr(msgs, "an IP address expected") != NULL,
	    "a name server by name refused");
	config_free(&cf);
	ok(parse("resolvers r\nresolvers r\n", &cf) > 0 &&
	    strstr(msgs, "already defined at line 1") != NULL,
	    "a section defined twice");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server s 127.0.0.1:2 "
	    "resolve-opts allow-dup-ip,prevent-dup-ip\n", &cf) == 0 &&
	    cf.cf_backends[0].be_servers[0].sv_dupip == 0,
	    "prevent-dup-ip (haproxy's default) after allow-dup-ip");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server s 127.0.0.1:2 "
	    "resolve-opts allow-dup-ip\n", &cf) == 0 &&
	    cf.cf_backends[0].be_servers[0].sv_dupip == 1,
	    "allow-dup-ip");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server-template w 2-4 "
	    "127.0.0.1:2 id 9 weight 5\n", &cf) == 0 &&
	    cf.cf_backends[0].be_nservers == 3 &&
	    strcmp(cf.cf_backends[0].be_servers[0].sv_name, "w2") == 0 &&
	    strcmp(cf.cf_backends[0].be_servers[2].sv_name, "w4") == 0 &&
	    cf.cf_backends[0].be_servers[0].sv_id == 9 &&
	    cf.cf_backends[0].be_servers[1].sv_id != 9 &&
	    cf.cf_backends[0].be_servers[2].sv_weight == 5,
	    "server-template: a range, an id the first's, the params each's");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server w2 127.0.0.1:2\n"
	    " server-template w 3 127.0.0.1:2\n", &cf) > 0 &&
	    strstr(msgs, "t.cfg:4") != NULL &&
	    strstr(msgs, "\"w2\" defined twice") != NULL,
	    "server-template: a name taken, with file:line");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server-template w 2 "
	    "127.0.0.1:2 weight x\n", &cf) > 0 &&
	    cf.cf_backends[0].be_nservers == 0,
	    "server-template: a bad parameter makes no server");
	config_free(&cf);
	ok(parse("listen l\n bind 127.0.0.1:1\n server-template w 300 "
	    "127.0.0.1:2\n", &cf) > 0 && strstr(msgs, "at most") != NULL,
	    "server-template: more servers than a backend holds");
	config_free(&cf);
}

/* http-check rules: their order, the send's words, hdr, hidden headers */
static void
test_httpcheck_rules(void)
{
	struct cf_config cf;
	struct cf_backend *be;
	struct cf_chkrule *r;

	is_int(parse("listen b\n bind :1\n option httpchk GET /h HTTP/1.1\\r\\nHost:\\ x\n"
	    " http-check connect port 81 addr [::1] send-proxy\n"
	    " http-check send uri /u hdr X-A \"b c\" body p\n"
	    " http-check expect ! hdr name -m beg x-r value -m sub rim\n"
	    " server a 127.0.0.1:1 check\n", &cf), 0, "http-check rules parse");
	be = &cf.cf_backends[0];
	is_int(be->be_nhcr, 3, "three rules");
	is_str(be->be_chkver, "HTTP/1.1", "the version before the hidden header");
	is_str((char *)be->be_hcopt.r_data, "host: x\r\n", "the hidden header");
	r = &be->be_hcr[0];
	ok(r->r_act == ACT_CONNECT && r->r_port == 81 && r->r_sendproxy &&
	    r->r_addr.ss_family == AF_INET6, "connect port addr send-proxy");
	r = &be->be_hcr[1];
	ok(r->r_act == ACT_SEND && r->r_meth[0] == '\0', "send: no method");
	is_str(r->r_uri, "/u", "send uri");
	is_str((char *)r->r_data, "x-a: b c\r\n", "send hdr, its name in lower case");
	is_str(r->r_body, "p", "send body");
	r = &be->be_hcr[2];
	ok(r->r_act == ACT_EXPECT && r->r_match == M_HDR && r->r_inverse &&
	    r->r_hnm == HM_BEG && r->r_hvm == HM_SUB && r->r_hasval,
	    "expect ! hdr name -m beg value -m sub");
	is_str(r->r_hname, "x-r", "hdr name");
	is_str((char *)r->r_data, "rim", "hdr value");
	ok(strstr(msgs, "W t.cfg:3: listen b: option httpchk: headers or a "
	    "body after the version are deprecated") != NULL,
	    "the hidden form warns, as haproxy");
	config_free(&cf);
	ok(parse("listen b\n bind :1\n option httpchk\n http-check expect status 200\n"
	    " http-check send meth GET\n server a 127.0.0.1:1\n", &cf) > 0,
	    "a send after an expect needs a connect");
	ok(strstr(msgs, "E t.cfg:5: listen b: http-check send: unable to "
	    "add http-check send rule (missing connect rule)") != NULL,
	    "and says so");
	config_free(&cf);
	ok(parse("listen b\n bind :1\n option httpchk\n http-check connect ssl\n"
	    " server a 127.0.0.1:1\n", &cf) > 0, "connect ssl refused");
	ok(strstr(msgs, "E t.cfg:4: listen b: http-check connect \"ssl\": "
	    "not supported (TLS") != NULL, "no TLS");
	config_free(&cf);
}

/* a name of n characters: a, b, c ... (generated configs: namespace,
 * service, port) */
static char *
longname(char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (char)('a' + i % 26);
	buf[n] = '\0';
	return buf;
}

/* haproxy takes names of any length: none is cut or refused for it */
static void
test_long_names(void)
{
	static char be[301], sv[1001], df[201], rs[151], text[8192],
	    want[2048];
	struct cf_config cf;
	const struct cf_backend *b;

	longname(be, 300);
	longname(sv, 1000);
	longname(df, 200);
	longname(rs, 150);
	snprintf(text, sizeof(text), "defaults %s\n timeout connect 1s\n"
	    "resolvers %s\n nameserver n 127.0.0.1:53\n"
	    "frontend %s from %s\n bind :1\n"
	    " use_backend %s if { always_true }\n"
	    " default_backend %s\nbackend %s from %s\n"
	    " server %s 127.0.0.1:2 resolvers %s\n", df, rs, df, df, be, be,
	    be, df, sv, rs);
	is_int(parse(text, &cf), 0, "300-, 1000-, 200- and 150-character names "
	    "parse");
	ok(cf.cf_nbackends == 1 && cf.cf_nfrontends == 1, "one of each");
	b = &cf.cf_backends[0];
	is_str(b->be_name, be, "the backend's name whole");
	is_str(b->be_servers[0].sv_name, sv, "the server's whole");
	is_str(b->be_servers[0].sv_resolvers, rs, "its resolvers' whole");
	is_str(cf.cf_resolvers[0].rs_name, rs, "the resolvers section's");
	is_str(cf.cf_frontends[0].fe_name, df, "the frontend's");
	is_int(cf.cf_frontends[0].fe_backend, 0, "default_backend finds it");
	ok(b->be_tconnect == 1000000, "\"from\" a long defaults name");
	config_free(&cf);

	/* messages carry them whole */
	snprintf(text, sizeof(text), "listen %s\n bind :1\n server %s h:1\n"
	    " server %s h:2\n", be, sv, sv);
	ok(parse(text, &cf) > 0, "a server defined twice");
	snprintf(want, sizeof(want), "E t.cfg:4: listen %s: server \"%s\" "
	    "defined twice", be, sv);
	ok(strstr(msgs, want) != NULL, "the error names both whole");
	config_free(&cf);
	snprintf(text, sizeof(text), "frontend f\n bind :1\n use_backend %s\n",
	    be);
	ok(parse(text, &cf) > 0, "use_backend to no backend");
	snprintf(want, sizeof(want), "E t.cfg:3: frontend f: use_backend "
	    "\"%s\": no such backend", be);
	ok(strstr(msgs, want) != NULL, "named whole, with file:line");
	config_free(&cf);
}

int
main(void)
{
	test_seed();
	test_defaults();
	test_observe();
	test_nbthread();
	test_errors();
	test_portmap();
	test_httpchk();
	test_redispatch();
	test_helpers();
	test_tables();
	test_param_kws();
	test_lex();
	test_stats_sockets();
	test_cond();
	test_directives();
	test_named_defaults();
	test_http_verdicts();
	test_resolvers();
	test_httpcheck_rules();
	test_long_names();
	return done_testing();
}
