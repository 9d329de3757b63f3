/* SPDX-License-Identifier: ISC */
/*
 * "server NAME ADDR [params]" and "default-server [params]": the
 * parameters hashproxy runs, and in one sorted table what the others
 * mean at L4 (those a bind line takes alike are config-param.c's).  A
 * server starts from its backend's default-server.
 */

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config-parser.h"
#include "sockaddr.h"
#include "strnum.h"

#define NOTLV	"the PROXY v2 header carries no TLV"

static void
srv_flag(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s = p->p_srv;
	const char *kw = argv[0];

	(void)argc;
	if (strcmp(kw, "check") == 0)
		s->sv_check = 1;
	else if (strcmp(kw, "no-check") == 0)
		s->sv_check = 0;
	else if (strcmp(kw, "backup") == 0)
		s->sv_backup = 1;
	else if (strcmp(kw, "no-backup") == 0)
		s->sv_backup = 0;
	else if (strcmp(kw, "disabled") == 0)
		s->sv_disabled = 1;
	else if (strcmp(kw, "enabled") == 0)
		s->sv_disabled = 0;
}

static void
srv_dur(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s = p->p_srv;
	const char *kw = argv[0], *v = argc > 1 ? argv[1] : NULL;
	uint64_t *out = &s->sv_inter;

	if (strcmp(kw, "fastinter") == 0)
		out = &s->sv_fastinter;
	else if (strcmp(kw, "slowstart") == 0)
		out = &s->sv_slowstart;
	else if (strcmp(kw, "downinter") == 0)
		out = &s->sv_downinter;
	else if (strcmp(kw, "agent-inter") == 0)
		out = &s->sv_agentinter;
	/* haproxy's timers hold INT_MAX ms: past it, "timer overflow" */
	if (v == NULL || config_duration(v, out) == -1 ||
	    (*out == 0 && out != &s->sv_slowstart) || *out / 1000 > INT_MAX)
		config_msg(p, CF_ERROR, "%s \"%s\": not a duration (%s to "
		    "%d ms)", kw, v ? v : "", out == &s->sv_slowstart ? "0" :
		    "1 ms", INT_MAX);
	/* haproxy keeps whole seconds, rounded up */
	if (out == &s->sv_slowstart)
		*out = (*out + 999999) / 1000000 * 1000000;
}

/* haproxy's "source" options that need transparent proxying or a device */
static const char *const src_refused[] = { "usesrc", "interface" };

int
cf_source(struct cf_parser *p, struct cf_source *so, int argc, char **argv,
    int range)
{
	char buf[CF_HOSTLEN + 16], *dash, *colon;
	size_t i;
	int lo = 0, hi = 0;

	if (argc < 2) {
		config_msg(p, CF_ERROR, "source: ADDRESS[:PORT[-PORT]] "
		    "expected");
		return -1;
	}
	for (i = 0; i < sizeof(src_refused) / sizeof(src_refused[0]); i++)
		if (argc > 2 && strcmp(argv[2], src_refused[i]) == 0) {
			config_msg(p, CF_ERROR, "source: \"%s\" not supported "
			    "(connections would leave from another address)",
			    argv[2]);
			return -1;
		}
	if (argc > 2) {
		config_msg(p, CF_ERROR, "source: \"%s\" unknown; only an "
		    "address and port are supported", argv[2]);
		return -1;
	}
	if (config_copy_addr(buf, sizeof(buf), argv[1]) == -1)
		goto bad;
	/* a port range "LO-HI" after the last colon */
	colon = strrchr(buf, ':');
	if (colon != NULL && (dash = strchr(colon, '-')) != NULL) {
		if (!range) {
			/* as haproxy: only a server's source has a range */
			config_msg(p, CF_ERROR, "source \"%s\": port range "
			    "only on a server line", argv[1]);
			return -1;
		}
		*dash = '\0';
		if (config_int(colon + 1, 1, 65535, &lo) == -1 ||
		    config_int(dash + 1, lo, 65535, &hi) == -1)
			goto bad;
		*colon = '\0';
	}
	memset(so, 0, sizeof(*so));
	if (config_addr(buf, &so->so_addr, 0) == -1 ||
	    so->so_addr.ca_host[0] == '\0')
		goto bad;
	if (so->so_addr.ca_port[0] != '\0') {
		lo = hi = (int)strnum(so->so_addr.ca_port, 1, 65535, NULL);
		so->so_addr.ca_port[0] = '\0';
	}
	so->so_lo = lo;
	so->so_hi = hi;
	so->so_addr.ca_line = p->p_line;
	so->so_addr.ca_file = p->p_file;
	return 0;
bad:
	config_msg(p, CF_ERROR, "source \"%s\": should be "
	    "ADDRESS[:PORT[-PORT]]", argv[1]);
	return -1;
}

static void
srv_source(struct cf_parser *p, int argc, char **argv)
{
	(void)cf_source(p, &p->p_srv->sv_source, argc, argv, 1);
}

static void
srv_int(struct cf_parser *p, int argc, char **argv)
{
	static const struct {
		const char *kw;
		int min, max;
		size_t off;
	} ints[] = {
		{ "fall", 1, 1000, offsetof(struct cf_server, sv_fall) },
		{ "id", 1, 1000000, offsetof(struct cf_server, sv_id) },
		{ "maxconn", 0, 1000000, offsetof(struct cf_server,
		    sv_maxconn) },
		{ "maxqueue", 0, 1000000, offsetof(struct cf_server,
		    sv_maxqueue) },
		{ "minconn", 0, 1000000, offsetof(struct cf_server,
		    sv_minconn) },
		{ "port", 1, 65535, offsetof(struct cf_server, sv_checkport) },
		{ "rise", 1, 1000, offsetof(struct cf_server, sv_rise) },
		{ "weight", 0, CF_MAXWEIGHT, offsetof(struct cf_server,
		    sv_weight) },
	};
	const char *kw = argv[0], *v = argc > 1 ? argv[1] : NULL;
	size_t i;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcmp(kw, ints[i].kw) == 0)
			break;
	if (i == sizeof(ints) / sizeof(ints[0]))
		return;
	if (v == NULL || config_int(v, ints[i].min, ints[i].max,
	    (int *)((char *)p->p_srv + ints[i].off)) == -1)
		config_msg(p, CF_ERROR, "%s \"%s\": is not a number in "
		    "%d..%d", kw, v ? v : "", ints[i].min, ints[i].max);
	else if (ints[i].off == offsetof(struct cf_server, sv_checkport) &&
	    !p->p_srv->sv_agentportset)
		p->p_srv->sv_agentport = p->p_srv->sv_checkport;
}

/*
 * "addr A[:P]": where checks go instead of the server's address (the
 * port, when given, as "port" does unless "port" is there too).  haproxy
 * takes neither an offset nor a range here; port 0 is no port.
 */
static void
srv_chkaddr(struct cf_parser *p, int argc, char **argv)
{
	struct cf_addr *a = &p->p_srv->sv_chkaddr;
	char buf[CF_HOSTLEN + 16], *port;
	int v;

	if (argc < 2 || config_copy_addr(buf, sizeof(buf), argv[1]) == -1)
		goto bad;
	port = buf[0] == '[' ? strstr(buf, "]:") : strrchr(buf, ':');
	if (port != NULL && buf[0] == '[')
		port++;
	if (port != NULL && config_int(port + 1, 0, 0, &v) == 0)
		*port = '\0';		/* ":0" */
	memset(a, 0, sizeof(*a));
	if (config_addr(buf, a, 0) == -1 || a->ca_host[0] == '\0' ||
	    strcmp(a->ca_host, "*") == 0)
		goto bad;
	a->ca_line = p->p_line;
	a->ca_file = p->p_file;
	return;
bad:
	memset(a, 0, sizeof(*a));
	config_msg(p, CF_ERROR, "addr \"%s\": should be ADDRESS[:PORT] (no "
	    "offset, no range)", argc > 1 ? argv[1] : "");
}

/* "track [B/]S": found once every backend is read (srv_track_find) */
static void
srv_track(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s = p->p_srv;

	if (argc < 2 || argv[1][0] == '\0') {
		config_msg(p, CF_ERROR, "track: [BACKEND/]SERVER expected");
		return;
	}
	s->sv_track = config_str(p, argv[1]);
	s->sv_trackbe = s->sv_tracksrv = -1;
}

/*
 * agent-check and its parameters (check-agent.c runs it).  agent-addr
 * takes an IP literal only: a name would be resolved at run time.
 */
static void
srv_agent(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s = p->p_srv;
	const char *kw = argv[0], *v = argc > 1 ? argv[1] : "";

	if (strcmp(kw, "agent-check") == 0 || strcmp(kw, "no-agent-check") ==
	    0)
		s->sv_agent = kw[0] == 'a';
	else if (strcmp(kw, "agent-port") == 0) {
		if (config_int(v, 1, 65535, &s->sv_agentport) == -1)
			config_msg(p, CF_ERROR, "agent-port \"%s\": is not a "
			    "number in 1..65535", v);
		else
			s->sv_agentportset = 1;
	} else if (strcmp(kw, "agent-send") == 0)
		s->sv_agentsend = config_str(p, v);
	else if ((s->sv_agentaddrlen = sockaddr_literal(v, 0,
	    &s->sv_agentaddr)) == 0)
		config_msg(p, CF_ERROR, "agent-addr \"%s\": an IP address "
		    "expected (hashproxy resolves no name here)", v);
}

static int srv_atoi(const char *, int *);

/*
 * "observe layer4", "on-error ACTION", "error-limit N" (check.c runs
 * them).  haproxy 2.6 says "layer7" is for HTTP proxies and goes on
 * without it; it reads the limit as C's atol does ("5x" is 5).
 */
static void
srv_observe(struct cf_parser *p, int argc, char **argv)
{
	static const char *const onerr[] = { "fastinter", "fail-check",
	    "sudden-death", "mark-down" };
	struct cf_server *s = p->p_srv;
	const char *kw = argv[0], *v = argc > 1 ? argv[1] : "";
	size_t i;
	int n, whole;

	if (strcmp(kw, "error-limit") == 0) {
		if (srv_atoi(v, &n) == -1 || n <= 0) {
			config_msg(p, CF_ERROR, "error-limit \"%s\": should be "
			    "a number above 0", v);
			return;
		}
		/* n is in range: only a tail makes the whole word fail */
		if (config_int(v, 1, 2147483647, &whole) == -1)
			config_msg(p, CF_WARNING, "error-limit \"%s\" read as "
			    "%d, as haproxy reads it (what follows the number "
			    "is ignored)", v, n);
		s->sv_errlimit = n;
	} else if (strcmp(kw, "on-error") == 0) {
		for (i = 0; i < sizeof(onerr) / sizeof(onerr[0]); i++)
			if (strcmp(v, onerr[i]) == 0)
				break;
		if (i < sizeof(onerr) / sizeof(onerr[0]))
			s->sv_onerror = (enum cf_onerror)i;
		else
			config_msg(p, CF_ERROR, "on-error \"%s\": should be "
			    "fastinter, fail-check, sudden-death or mark-down",
			    v);
	} else if (strcmp(v, "none") == 0 || strcmp(v, "layer4") == 0)
		s->sv_observe = v[0] == 'l';
	else if (strcmp(v, "layer7") == 0)
		config_msg(p, CF_WARNING, "observe layer7: ignored, as haproxy "
		    "does outside mode http (it watches HTTP responses)");
	else
		config_msg(p, CF_ERROR, "observe \"%s\": should be none, "
		    "layer4 or layer7", v);
}

/*
 * send-proxy, send-proxy-v2, check-send-proxy and their no- forms: one
 * bit a version, as haproxy keeps them (v2 wins when both are set).
 */
static void
srv_sendproxy(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s = p->p_srv;
	const char *kw = argv[0];
	int no = strncmp(kw, "no-", 3) == 0;
	int bit = strcmp(kw + (no ? 3 : 0), "send-proxy-v2") == 0 ?
	    CF_SENDPROXY_V2 : CF_SENDPROXY_V1;

	(void)argc;
	if (strcmp(kw + (no ? 3 : 0), "check-send-proxy") == 0)
		s->sv_chksendproxy = !no;
	else if (no)
		s->sv_sendproxy &= ~bit;
	else
		s->sv_sendproxy |= bit;
}

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_server_kws[] = {
	CF_PARAM_IMPL("addr", 1, srv_chkaddr),
	CF_PARAM_IMPL("agent-addr", 1, srv_agent),
	CF_PARAM_IMPL("agent-check", 0, srv_agent),
	CF_PARAM_IMPL("agent-inter", 1, srv_dur),
	CF_PARAM_IMPL("agent-port", 1, srv_agent),
	CF_PARAM_IMPL("agent-send", 1, srv_agent),
	CF_PARAM_IMPL("backup", 0, srv_flag),
	CF_PARAM_IMPL("check", 0, srv_flag),
	CF_PARAM_HARMLESS("check-alpn", 1, NOTLS),
	CF_PARAM_HARMLESS("check-proto", 1, "checks are TCP or HTTP/1"),
	CF_PARAM_IMPL("check-send-proxy", 0, srv_sendproxy),
	CF_PARAM_HARMLESS("check-sni", 1, NOTLS),
	CF_PARAM_REFUSED("check-ssl", 0, "checks would not use TLS: a TLS "
	    "handshake needs a TLS library, which hashproxy does not link; "
	    "option ssl-hello-chk checks that a server answers TLS"),
	CF_PARAM_REFUSED("check-via-socks4", 0,
	    "checks would not go through the SOCKS4 proxy"),
	CF_PARAM_HARMLESS("cookie", 1, "no cookies: \"cookie\" is refused"),
	CF_PARAM_IMPL("disabled", 0, srv_flag),
	CF_PARAM_IMPL("downinter", 1, srv_dur),
	CF_PARAM_IMPL("enabled", 0, srv_flag),
	CF_PARAM_IMPL("error-limit", 1, srv_observe),
	CF_PARAM_IMPL("fall", 1, srv_int),
	CF_PARAM_IMPL("fastinter", 1, srv_dur),
	CF_PARAM_IMPL("id", 1, srv_int),
	CF_PARAM_IMPL("init-addr", 1, config_server_dns),
	CF_PARAM_IMPL("inter", 1, srv_dur),
	CF_PARAM_HARMLESS("log-proto", 1, "log servers only"),
	CF_PARAM_HARMLESS("max-reuse", 1, NOREUSE),
	CF_PARAM_IMPL("maxconn", 1, srv_int),
	CF_PARAM_IMPL("maxqueue", 1, srv_int),
	CF_PARAM_IMPL("minconn", 1, srv_int),
	CF_PARAM_REFUSED("namespace", 1,
	    "connections would leave from another network namespace"),
	CF_PARAM_IMPL("no-agent-check", 0, srv_agent),
	CF_PARAM_IMPL("no-backup", 0, srv_flag),
	CF_PARAM_IMPL("no-check", 0, srv_flag),
	CF_PARAM_IMPL("no-check-send-proxy", 0, srv_sendproxy),
	CF_PARAM_HARMLESS("no-check-ssl", 0, NOTLS),
	CF_PARAM_IMPL("no-send-proxy", 0, srv_sendproxy),
	CF_PARAM_IMPL("no-send-proxy-v2", 0, srv_sendproxy),
	CF_PARAM_HARMLESS("no-send-proxy-v2-ssl", 0, NOTLS),
	CF_PARAM_HARMLESS("no-send-proxy-v2-ssl-cn", 0, NOTLS),
	CF_PARAM_HARMLESS("no-ssl", 0, NOTLS),
	CF_PARAM_HARMLESS("no-ssl-reuse", 0, NOTLS),
	CF_PARAM_HARMLESS("no-tfo", 0, TUNING),
	CF_PARAM_HARMLESS("no-verifyhost", 0, NOTLS),
	CF_PARAM_HARMLESS("non-stick", 0, "no stick tables"),
	CF_PARAM_IMPL("observe", 1, srv_observe),
	CF_PARAM_IMPL("on-error", 1, srv_observe),
	CF_PARAM_IMPL("on-marked-down", 1, cf_server_onmarked),
	CF_PARAM_IMPL("on-marked-up", 1, cf_server_onmarked),
	CF_PARAM_HARMLESS("pool-low-conn", 1, NOREUSE),
	CF_PARAM_HARMLESS("pool-max-conn", 1, NOREUSE),
	CF_PARAM_HARMLESS("pool-purge-delay", 1, NOREUSE),
	CF_PARAM_IMPL("port", 1, srv_int),
	CF_PARAM_HARMLESS("proxy-v2-options", 1, NOTLV),
	CF_PARAM_REFUSED("redir", 1, "HTTP redirects are not sent"),
	CF_PARAM_IMPL("resolve-net", 1, config_server_dns),
	CF_PARAM_IMPL("resolve-opts", 1, config_server_dns),
	CF_PARAM_IMPL("resolve-prefer", 1, config_server_dns),
	CF_PARAM_IMPL("resolvers", 1, config_server_dns),
	CF_PARAM_IMPL("rise", 1, srv_int),
	CF_PARAM_IMPL("send-proxy", 0, srv_sendproxy),
	CF_PARAM_IMPL("send-proxy-v2", 0, srv_sendproxy),
	CF_PARAM_REFUSED("send-proxy-v2-ssl", 0,
	    "servers would not get the PROXY header's TLS fields"),
	CF_PARAM_REFUSED("send-proxy-v2-ssl-cn", 0,
	    "servers would not get the PROXY header's TLS fields"),
	CF_PARAM_HARMLESS("shard", 1, "no peers"),
	CF_PARAM_IMPL("slowstart", 1, srv_dur),
	CF_PARAM_HARMLESS("sni", 1, NOTLS),
	CF_PARAM_REFUSED("socks4", 1,
	    "connections would not go through the SOCKS4 proxy"),
	CF_PARAM_IMPL("source", 1, srv_source),
	CF_PARAM_REFUSED("ssl", 0, "servers would get plain TCP"),
	CF_PARAM_HARMLESS("ssl-reuse", 0, NOTLS),
	CF_PARAM_HARMLESS("stick", 0, "no stick tables"),
	CF_PARAM_HARMLESS("tls-tickets", 0, NOTLS),
	CF_PARAM_IMPL("track", 1, srv_track),
	CF_PARAM_REFUSED("usesrc", 1, "transparent proxying: connections would "
	    "leave from another address"),
	CF_PARAM_HARMLESS("verifyhost", 1, NOTLS),
	CF_PARAM_IMPL("weight", 1, srv_int),
	CF_PARAM_HARMLESS("ws", 1, "bytes pass unchanged at L4"),
};
const size_t cf_nserver_kws = sizeof(cf_server_kws) / sizeof(cf_server_kws[0]);

/* Applies the parameters argv[from..] to s; an error stops the line. */
static void
srv_params(struct cf_parser *p, struct cf_server *s, int argc, char **argv,
    int from)
{
	static const struct cf_paramline server = { cf_server_kws,
	    &cf_nserver_kws, "server parameter", "" };

	p->p_srv = s;
	if (config_params(p, &server, argc, argv, from) == 0)
		p->p_srv = NULL;
}

void
config_default_server(struct cf_parser *p, int argc, char **argv)
{
	if (p->p_tmpl == NULL)
		config_msg(p, CF_WARNING, "default-server: ignored in a "
		    "frontend");
	else
		srv_params(p, p->p_tmpl, argc, argv, 1);
}

/*
 * C's atoi as haproxy 2.6 reads a port offset: an optional sign, digits,
 * then anything, ignored ("+x" is 0, "1x" 1).  -1 past an int.
 */
static int
srv_atoi(const char *str, int *v)
{
	long n = 0;
	int neg = 0;

	if (*str == '+' || *str == '-')
		neg = *str++ == '-';
	for (; *str >= '0' && *str <= '9'; str++)
		if ((n = n * 10 + (*str - '0')) > 2147483647)
			return -1;
	*v = neg ? (int)-n : (int)n;
	return 0;
}

/*
 * A fixed port with a tail, "80x": haproxy 2.6 reads the digits and
 * ignores the rest.  Cuts the tail off with a warning and returns 1 when
 * what is left is 0 (a mapped port, as ":0"); a port not starting with a
 * digit, past 65535 or a range ("80-90") is left for config_addr to
 * refuse.
 */
static int
srv_port_tail(struct cf_parser *p, struct cf_server *s, char *port)
{
	char *q = port;
	int v;

	while (*q >= '0' && *q <= '9')
		q++;
	if (*q == '\0' || q == port || q - port > 5 || *q == '-' ||
	    srv_atoi(port, &v) == -1 || v > 65535)
		return 0;
	config_msg(p, CF_WARNING, "server %s: port \"%s\" read as %d, as "
	    "haproxy reads it (what follows the number is ignored)",
	    s->sv_name, port, v);
	*q = '\0';
	return v == 0;
}

/*
 * The port of "server NAME ADDR": haproxy's mapped ports.  No port, an
 * empty one or 0 means the port the client connected to, "+N" or "-N"
 * that port moved by N (modulo 65536, as haproxy).  Cuts the port off
 * buf when it is one of these and sets sv_portmap; 0 or -1 (reported).
 */
static int
srv_portmap(struct cf_parser *p, struct cf_server *s, char *buf)
{
	char *port = NULL, *rb;
	int v;

	s->sv_portmap = 0;
	s->sv_portoff = 0;
	if (buf[0] == '[') {
		/* "[v6]" or "[v6]:PORT" */
		if ((rb = strchr(buf, ']')) != NULL && rb[1] == ':')
			port = rb + 1;
		else if (rb != NULL && rb[1] == '\0') {
			s->sv_portmap = 1;
			return 0;
		}
	} else if ((port = strrchr(buf, ':')) == NULL) {
		s->sv_portmap = 1;
		return 0;
	}
	if (port == NULL)
		return 0;	/* config_addr reports it */
	if (port[1] == '+' || port[1] == '-') {
		if (srv_atoi(port + 2, &v) == -1) {
			config_msg(p, CF_ERROR, "server %s: port offset "
			    "\"%s\": should be +N or -N", s->sv_name, port + 1);
			return -1;
		}
		s->sv_portoff = port[1] == '-' ? -v : v;
		if (config_int(port + 2, 0, 2147483647, &v) == -1)
			config_msg(p, CF_WARNING, "server %s: port offset "
			    "\"%s\" read as %+d, as haproxy reads it (what "
			    "follows the number is ignored)", s->sv_name,
			    port + 1, s->sv_portoff);
		else if (v > 65535)
			config_msg(p, CF_WARNING, "server %s: port offset %s "
			    "wraps past 65535: the same as %c%d", s->sv_name,
			    port + 1, port[1], v % 65536);
	} else if (port[1] != '\0' && config_int(port + 1, 0, 0, &v) == -1 &&
	    srv_port_tail(p, s, port + 1) == 0)
		return 0;	/* a port, or config_addr reports it */
	s->sv_portmap = 1;
	*port = '\0';
	return 0;
}

/* "server NAME ADDR": a fixed port, or one mapped from the client's. */
static int
srv_addr(struct cf_parser *p, struct cf_server *s, const char *arg)
{
	char buf[CF_HOSTLEN + 16];

	if (config_copy_addr(buf, sizeof(buf), arg) == -1)
		goto bad;
	if (srv_portmap(p, s, buf) == -1)
		return -1;
	if (config_addr(buf, &s->sv_addr, !s->sv_portmap) == -1 ||
	    s->sv_addr.ca_host[0] == '\0')
		goto bad;
	return 0;
bad:
	if (config_addr_kind(arg) != NULL)
		config_msg(p, CF_ERROR, "server %s: address \"%s\": %s: not "
		    "supported (TCP over IP only)", s->sv_name, arg,
		    config_addr_kind(arg));
	else
		config_msg(p, CF_ERROR, "server %s: address \"%s\": should be "
		    "HOST, HOST:PORT, HOST:+N or HOST:-N", s->sv_name, arg);
	return -1;
}

/*
 * "observe layer4" without "check": haproxy counts nothing then, and
 * says nothing; hashproxy does the same and says so.
 */
static void
srv_observe_unchecked(struct cf_parser *p, const struct cf_backend *be)
{
	const struct cf_server *s;
	int i;

	for (i = 0; i < be->be_nservers; i++) {
		s = &be->be_servers[i];
		if (!s->sv_observe || s->sv_check)
			continue;
		p->p_line = s->sv_addr.ca_line;
		p->p_file = s->sv_addr.ca_file;
		config_msg(p, CF_NOTICE, "server %s: observe layer4 without "
		    "check: nothing is counted (as in haproxy)", s->sv_name);
	}
}

/*
 * What s tracks, as haproxy 2.6 checks it: "B/S" is split at the last
 * slash, no backend is this one; the server must have a check or track
 * another (a chain ends at a checked server), and no chain may come back
 * to s, which only the servers already found can show: haproxy goes
 * through the servers in order too, and reports a loop at its last link.
 * Both backends must agree on disable-on-404 (the state a 404 gives).
 */
static void
srv_track_find(struct cf_parser *p, struct cf_backend *be,
    struct cf_server *s)
{
	struct cf_config *cf = p->p_cf;
	const struct cf_server *t, *loop;
	const char *slash = strrchr(s->sv_track, '/');
	const char *sname = slash != NULL ? slash + 1 : s->sv_track;
	struct cf_backend *tb = be;
	char *bname;
	int bi = (int)(be - cf->cf_backends), si;

	if (slash != NULL) {
		if ((bname = strdup(s->sv_track)) == NULL) {
			config_msg(p, CF_ERROR, "out of memory");
			return;
		}
		bname[slash - s->sv_track] = '\0';
		bi = config_backend_find(cf, bname);
		if (bi == -1)
			config_msg(p, CF_ERROR, "server %s: track \"%s\": no "
			    "backend \"%s\"", s->sv_name, s->sv_track, bname);
		free(bname);
		if (bi == -1)
			return;
		tb = &cf->cf_backends[bi];
	}
	if ((si = config_server_find(tb, sname)) == -1) {
		config_msg(p, CF_ERROR, "server %s: track \"%s\": no server "
		    "\"%s\" in backend %s", s->sv_name, s->sv_track, sname,
		    tb->be_name);
		return;
	}
	t = &tb->be_servers[si];
	if (!t->sv_check && t->sv_track[0] == '\0') {
		config_msg(p, CF_ERROR, "server %s: track %s/%s: that server "
		    "has no check and tracks none", s->sv_name, tb->be_name,
		    t->sv_name);
		return;
	}
	for (loop = t; loop != NULL && loop != s; loop = loop->sv_trackbe < 0 ?
	    NULL : &cf->cf_backends[loop->sv_trackbe].be_servers[
	    loop->sv_tracksrv])
		;
	if (loop == s) {
		config_msg(p, CF_ERROR, "server %s: track %s/%s: the tracking "
		    "chain comes back to this server", s->sv_name,
		    tb->be_name, t->sv_name);
		return;
	}
	if (tb != be && tb->be_disable404 != be->be_disable404) {
		config_msg(p, CF_ERROR, "server %s: track %s/%s: http-check "
		    "disable-on-404 is in one of backends %s and %s only",
		    s->sv_name, tb->be_name, t->sv_name, be->be_name,
		    tb->be_name);
		return;
	}
	s->sv_trackbe = bi;
	s->sv_tracksrv = si;
}

/* Each "track" of be's servers, found in the whole configuration. */
static void
srv_track_finish(struct cf_parser *p, struct cf_backend *be)
{
	struct cf_server *s;
	int i;

	for (i = 0; i < be->be_nservers; i++) {
		s = &be->be_servers[i];
		if (s->sv_track[0] == '\0')
			continue;
		p->p_line = s->sv_addr.ca_line;
		p->p_file = s->sv_addr.ca_file;
		/* a check of its own would fight the tracked state */
		if (s->sv_check)
			config_msg(p, CF_ERROR, "server %s: check and track "
			    "together: a tracking server has no check of its "
			    "own", s->sv_name);
		else
			srv_track_find(p, be, s);
	}
}

/* haproxy refuses an agent-check with no agent-port (nor port) */
static void
srv_agent_finish(struct cf_parser *p, struct cf_backend *be)
{
	struct cf_server *s;
	int i;

	for (i = 0; i < be->be_nservers; i++) {
		s = &be->be_servers[i];
		if (!s->sv_agent || s->sv_agentport != 0)
			continue;
		p->p_line = s->sv_addr.ca_line;
		p->p_file = s->sv_addr.ca_file;
		config_msg(p, CF_ERROR, "server %s: agent-check without "
		    "agent-port or port: haproxy disables the agent and refuses the "
		    "configuration", s->sv_name);
	}
}

/*
 * After the last line: a checked server with a mapped port has no port
 * to check unless "port", "addr A:P" or a first "tcp-check connect port"
 * gives one;
 * haproxy refuses it too.
 */
void
config_server_finish(struct cf_parser *p, struct cf_backend *be)
{
	const struct cf_chkrule *r = NULL;
	struct cf_server *s;
	int i;

	srv_track_finish(p, be);
	srv_agent_finish(p, be);
	config_acl_servers(p, be->be_rules, be);
	srv_observe_unchecked(p, be);
	for (i = 0; be->be_chk == CHK_TCPCHECK && i < be->be_ntcr; i++)
		if (be->be_tcr[i].r_act != ACT_COMMENT) {
			r = &be->be_tcr[i];
			break;
		}
	if (r != NULL && r->r_act == ACT_CONNECT && r->r_port != 0)
		return;
	for (i = 0; i < be->be_nservers; i++) {
		s = &be->be_servers[i];
		if (!s->sv_check || !s->sv_portmap || s->sv_checkport != 0 ||
		    s->sv_chkaddr.ca_port[0] != '\0')
			continue;
		p->p_line = s->sv_addr.ca_line;
		p->p_file = s->sv_addr.ca_file;
		config_msg(p, CF_ERROR, "server %s: neither a service port "
		    "nor a check port: add \"port N\" to check it",
		    s->sv_name);
	}
}

/* A new server of the current backend from its default-server, or NULL. */
static struct cf_server *
srv_new(struct cf_parser *p, const char *name)
{
	struct cf_backend *be = p->p_be;
	struct cf_server *n, *s;

	if (config_server_find(be, name) != -1) {
		config_msg(p, CF_ERROR, "server \"%s\" defined twice", name);
		return NULL;
	}
	if ((n = config_grow(p, be->be_servers, be->be_nservers,
	    CF_MAXSERVERS, "servers", sizeof(*n))) == NULL)
		return NULL;
	be->be_servers = n;
	s = &n[be->be_nservers];
	*s = *p->p_tmpl;
	s->sv_name = config_str(p, name);
	return s;
}

void
config_server(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s;

	if (config_only_in(p, SECM_BE | SECM_LI, "server",
	    "backend or listen") == -1)
		return;
	if (argc < 3) {
		config_msg(p, CF_ERROR, "server: NAME ADDRESS[:PORT] expected");
		return;
	}
	if ((s = srv_new(p, argv[1])) == NULL || srv_addr(p, s, argv[2]) == -1)
		return;
	s->sv_addr.ca_line = p->p_line;
	s->sv_addr.ca_file = p->p_file;
	srv_params(p, s, argc, argv, 3);
	p->p_be->be_nservers++;
}

/*
 * "N" or "LO-HI", each read as haproxy 2.6 reads it (C's atoi: a tail
 * is ignored); 0 or -1 (reported as haproxy -c does).
 */
static int
srv_tmpl_range(struct cf_parser *p, const char *arg, int *lo, int *hi)
{
	const char *dash = strchr(arg, '-');

	if (srv_atoi(arg, lo) == -1 || (dash != NULL &&
	    srv_atoi(dash + 1, hi) == -1))
		*lo = 0;
	if (dash == NULL)
		*hi = *lo, *lo = 1;
	if (*lo < 1 || *hi < *lo || *hi - *lo >= CF_MAXSERVERS) {
		config_msg(p, CF_ERROR, "server-template: wrong number or "
		    "range \"%s\" (N or LO-HI, from 1, at most %d servers)",
		    arg, CF_MAXSERVERS);
		return -1;
	}
	return 0;
}

/*
 * "server-template PREFIX N|LO-HI FQDN[:PORT] [params]": servers PREFIX1
 * .. PREFIXN (or PREFIXLO .. PREFIXHI), each a "server" line with the
 * same address and parameters, as haproxy 2.6 makes them: an "id" is
 * the first one's, the others number themselves.  With resolvers, dns.c
 * gives each its own address of the answers.
 */
void
config_server_template(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;
	struct cf_server *s, first;
	char name[CF_HOSTLEN];
	int lo, hi, i, errors = p->p_errors;

	if (config_only_in(p, SECM_BE | SECM_LI, "server-template",
	    "backend or listen") == -1)
		return;
	if (argc < 4) {
		config_msg(p, CF_ERROR, "server-template: PREFIX NUMBER|RANGE "
		    "ADDRESS[:PORT] expected");
		return;
	}
	if (srv_tmpl_range(p, argv[2], &lo, &hi) == -1)
		return;
	first = *p->p_tmpl;
	for (i = lo; i <= hi && p->p_errors == errors; i++) {
		if ((size_t)snprintf(name, sizeof(name), "%s%d", argv[1], i) >=
		    sizeof(name)) {
			config_msg(p, CF_ERROR, "server-template: prefix \"%s\" "
			    "too long", argv[1]);
			return;
		}
		if ((s = srv_new(p, name)) == NULL)
			return;
		if (i == lo) {
			if (srv_addr(p, s, argv[3]) == -1)
				return;
			s->sv_addr.ca_line = p->p_line;
			s->sv_addr.ca_file = p->p_file;
			srv_params(p, s, argc, argv, 4);
			/* haproxy asks "_service._proto.name" as SRV */
			if (s->sv_resolvers[0] != '\0' &&
			    s->sv_addr.ca_host[0] == '_')
				config_msg(p, CF_ERROR, "server-template: "
				    "\"%s\": SRV records are not supported "
				    "(only A and AAAA are asked)", argv[3]);
			first = *s;
		} else {
			*s = first;
			s->sv_name = config_str(p, name);
			s->sv_id = 0;
		}
		if (p->p_errors == errors)
			be->be_nservers++;
	}
}

void
config_server_defaults(struct cf_server *s)
{
	memset(s, 0, sizeof(*s));
	s->sv_weight = 1;
	s->sv_inter = 2000000;
	s->sv_rise = 2;
	s->sv_fall = 3;
	s->sv_onerror = ONERR_FAILCHECK;
	s->sv_errlimit = 10;	/* haproxy's DEF_HANA_ERRLIMIT */
	s->sv_name = s->sv_resolvers = s->sv_track = s->sv_agentsend = "";
	s->sv_trackbe = s->sv_tracksrv = -1;
}
