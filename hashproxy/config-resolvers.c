/* SPDX-License-Identifier: ISC */
/*
 * haproxy 2.6's "resolvers NAME" section (the name servers a server's
 * name is asked of at run time, how often, and how long an answer or a
 * failure is held) and the server parameters that use it: resolvers,
 * init-addr, resolve-prefer, resolve-opts, resolve-net.  Defaults are
 * haproxy's.  dns.c asks, resolve.c applies init-addr at start.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "config-parser.h"
#include "sockaddr.h"
#include "strnum.h"
#include "wordtable.h"

static void rs_nameserver(struct cf_parser *, int, char **);
static void rs_value(struct cf_parser *, int, char **);

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_resolvers_kws[] = {
	CF_PARAM_HARMLESS("accepted_payload_size", 0, "queries are sent "
	    "without EDNS: answers of up to 512 bytes, some 30 addresses"),
	CF_PARAM_IMPL("hold", 0, rs_value),
	CF_PARAM_IMPL("nameserver", 0, rs_nameserver),
	CF_PARAM_IMPL("parse-resolv-conf", 0, rs_value),
	CF_PARAM_HARMLESS("resolution_pool_size", 0,
	    "deprecated in haproxy, which ignores it"),
	CF_PARAM_IMPL("resolve_retries", 0, rs_value),
	CF_PARAM_IMPL("timeout", 0, rs_value),
};
const size_t cf_nresolvers_kws = sizeof(cf_resolvers_kws) /
    sizeof(cf_resolvers_kws[0]);

static void
rs_defaults(struct cf_resolvers *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->rs_retries = 3;
	rs->rs_tresolve = 1000000;
	rs->rs_tretry = 1000000;
	rs->rs_hold_valid = 10000000;
	rs->rs_hold_nx = rs->rs_hold_other = rs->rs_hold_refused =
	    rs->rs_hold_timeout = 30000000;
}

void
config_resolvers_open(struct cf_parser *p, int argc, char **argv)
{
	struct cf_config *cf = p->p_cf;
	struct cf_resolvers *n;
	int i;

	p->p_skip = 1;		/* its lines are skipped unless it opens */
	if (argc != 2) {
		config_msg(p, CF_ERROR, "resolvers: one name expected");
		return;
	}
	for (i = 0; i < cf->cf_nresolvers; i++)
		if (strcmp(cf->cf_resolvers[i].rs_name, argv[1]) == 0) {
			config_msg(p, CF_ERROR, "resolvers %s: already defined "
			    "at line %d", argv[1], cf->cf_resolvers[i].rs_line);
			return;
		}
	if ((n = config_grow(p, cf->cf_resolvers, cf->cf_nresolvers,
	    CF_MAXRESOLVERS, "resolvers sections", sizeof(*n))) == NULL)
		return;
	cf->cf_resolvers = n;
	n = &n[cf->cf_nresolvers];
	rs_defaults(n);
	if (argv[1][0] == '\0') {
		config_msg(p, CF_ERROR, "resolvers: a name expected");
		return;
	}
	n->rs_name = config_str(p, argv[1]);
	n->rs_line = p->p_line;
	n->rs_file = p->p_file;
	cf->cf_nresolvers++;
	p->p_rs = n;
	p->p_sec = SEC_RESOLVERS;
	p->p_skip = 0;
	p->p_secname = config_strf(p, "resolvers %s", argv[1]);
	p->p_secvar = n->rs_name;
}

/*
 * "ADDR[:PORT]" with haproxy's optional "udp@", "ipv4@", "ipv6@"
 * prefixes; IPv6 as "ipv6@::1:53" or "[::1]:53".  Addresses only.
 */
static int
rs_addr(const char *in, struct sockaddr_storage *ss, socklen_t *len,
    const char **why)
{
	char buf[CF_HOSTLEN], exp[CF_HOSTLEN], *host = buf, *colon, *end;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	long port = 53;
	const char *err;
	const char *at;

	*why = "an address (IP[:PORT]) expected";
	if (config_copy_addr(exp, sizeof(exp), in) == -1)
		return -1;
	in = exp;
	if ((at = strchr(in, '@')) != NULL) {
		if (strncmp(in, "tcp", 3) == 0) {
			*why = "DNS over TCP is not supported (UDP only)";
			return -1;
		}
		if (strncmp(in, "udp@", 4) != 0 &&
		    strncmp(in, "udp4@", 5) != 0 &&
		    strncmp(in, "udp6@", 5) != 0 &&
		    strncmp(in, "ipv4@", 5) != 0 &&
		    strncmp(in, "ipv6@", 5) != 0)
			return -1;
		in = at + 1;
	}
	if (config_copy(buf, sizeof(buf), in) == -1 || buf[0] == '\0')
		return -1;
	memset(ss, 0, sizeof(*ss));
	colon = NULL;
	if (buf[0] == '[') {
		if ((end = strchr(buf, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':'))
			return -1;
		*end = '\0';
		host = buf + 1;
		if (end[1] == ':')
			colon = end + 1;
	} else if (inet_pton(AF_INET6, buf, &s6->sin6_addr) != 1 &&
	    (colon = strrchr(buf, ':')) != NULL)
		*colon = '\0';		/* "1.2.3.4:53", "::1:53" */
	if (colon != NULL) {
		port = strnum(colon + 1, 1, 65535, &err);
		if (err != NULL) {
			*why = "a port of 1..65535 expected";
			return -1;
		}
	}
	if ((*len = sockaddr_literal(host, (int)port, ss)) != 0)
		return 0;
	*why = "an IP address expected (names are not resolved here)";
	return -1;
}

static void
rs_nameserver(struct cf_parser *p, int argc, char **argv)
{
	struct cf_resolvers *rs = p->p_rs;
	const char *why;

	if (argc != 3) {
		config_msg(p, CF_ERROR, "nameserver: NAME ADDRESS[:PORT] "
		    "expected");
		return;
	}
	if (rs->rs_nns == CF_MAXNS) {
		config_msg(p, CF_ERROR, "nameserver %s: more than %d", argv[1],
		    CF_MAXNS);
		return;
	}
	if (rs_addr(argv[2], &rs->rs_ns[rs->rs_nns],
	    &rs->rs_nslen[rs->rs_nns], &why) == -1) {
		config_msg(p, CF_ERROR, "nameserver %s \"%s\": %s", argv[1],
		    argv[2], why);
		return;
	}
	rs->rs_nns++;
}

static void
rs_hold(struct cf_parser *p, int argc, char **argv)
{
	static const struct {
		const char *name;
		size_t off;
	} holds[] = {
		{ "nx", offsetof(struct cf_resolvers, rs_hold_nx) },
		{ "obsolete", offsetof(struct cf_resolvers, rs_hold_obsolete) },
		{ "other", offsetof(struct cf_resolvers, rs_hold_other) },
		{ "refused", offsetof(struct cf_resolvers, rs_hold_refused) },
		{ "timeout", offsetof(struct cf_resolvers, rs_hold_timeout) },
		{ "valid", offsetof(struct cf_resolvers, rs_hold_valid) },
	};
	size_t i;

	for (i = 0; argc == 3 && i < sizeof(holds) / sizeof(holds[0]); i++)
		if (strcmp(argv[1], holds[i].name) == 0)
			break;
	if (argc != 3 || i == sizeof(holds) / sizeof(holds[0])) {
		config_msg(p, CF_ERROR, "hold: nx|obsolete|other|refused|"
		    "timeout|valid PERIOD expected");
		return;
	}
	if (config_duration(argv[2], (uint64_t *)(void *)((char *)p->p_rs +
	    holds[i].off)) == -1)
		config_msg(p, CF_ERROR, "hold %s \"%s\": not a duration",
		    argv[1], argv[2]);
}

static void
rs_value(struct cf_parser *p, int argc, char **argv)
{
	struct cf_resolvers *rs = p->p_rs;
	const char *kw = argv[0];
	uint64_t *t;

	if (strcmp(kw, "hold") == 0) {
		rs_hold(p, argc, argv);
		return;
	}
	if (strcmp(kw, "parse-resolv-conf") == 0) {
		if (argc != 1)
			config_msg(p, CF_ERROR, "%s: no argument expected", kw);
		rs->rs_resolvconf = 1;
		return;
	}
	if (strcmp(kw, "timeout") == 0) {
		if (argc != 3 || (strcmp(argv[1], "resolve") != 0 &&
		    strcmp(argv[1], "retry") != 0)) {
			config_msg(p, CF_ERROR, "timeout: resolve|retry PERIOD "
			    "expected");
			return;
		}
		t = argv[1][2] == 's' ? &rs->rs_tresolve : &rs->rs_tretry;
		if (config_duration(argv[2], t) == -1 || *t == 0)
			config_msg(p, CF_ERROR, "timeout %s \"%s\": not a "
			    "duration over 0", argv[1], argv[2]);
		return;
	}
	if (argc != 2) {
		config_msg(p, CF_ERROR, "%s: one number expected", kw);
		return;
	}
	if (config_int(argv[1], 1, 255, &rs->rs_retries) == -1)
		config_msg(p, CF_ERROR, "%s \"%s\": 1..255 expected", kw,
		    argv[1]);
}

void
config_resolvers(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_kw *k;

	k = config_kw_find(cf_resolvers_kws, cf_nresolvers_kws, argv[0]);
	if (k == NULL)
		config_msg(p, CF_ERROR, "\"%s\": unknown keyword", argv[0]);
	else if (k->kw_kind == KW_IMPL)
		k->kw_fn(p, argc, argv);
	else
		config_kw_other(p, k, argv[0]);
}

/* haproxy warns about a section without a name server; so do we. */
void
config_resolvers_finish(struct cf_parser *p)
{
	const struct cf_config *cf = p->p_cf;
	const struct cf_resolvers *rs;
	int i;

	for (i = 0; i < cf->cf_nresolvers; i++) {
		rs = &cf->cf_resolvers[i];
		if (rs->rs_nns > 0 || rs->rs_resolvconf)
			continue;
		p->p_file = rs->rs_file;
		p->p_line = rs->rs_line;
		p->p_secname = config_strf(p, "resolvers %s", rs->rs_name);
		config_msg(p, CF_WARNING, "no nameserver: its servers' names "
		    "are never asked");
	}
}

/* "last,libc,none,10.0.0.1" */
static void
srv_initaddr(struct cf_parser *p, struct cf_server *s, const char *v)
{
	char buf[CF_LINEMAX], *w, *save = NULL;
	unsigned char a4[16];
	int n = 0;

	memset(s->sv_initaddr, 0, sizeof(s->sv_initaddr));
	s->sv_initip[0] = '\0';
	if (config_copy(buf, sizeof(buf), v) == -1)
		buf[0] = '\0';
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		unsigned char m;

		if (strcmp(w, "last") == 0)
			m = IA_LAST;
		else if (strcmp(w, "libc") == 0)
			m = IA_LIBC;
		else if (strcmp(w, "none") == 0)
			m = IA_NONE;
		else if ((inet_pton(AF_INET, w, a4) == 1 ||
		    inet_pton(AF_INET6, w, a4) == 1) &&
		    s->sv_initip[0] == '\0') {
			m = IA_IP;
			snprintf(s->sv_initip, sizeof(s->sv_initip), "%s", w);
		} else {
			config_msg(p, CF_ERROR, "init-addr \"%s\": last, libc, "
			    "none or one IP address expected", w);
			return;
		}
		if (n == CF_MAXINITADDR - 1) {
			config_msg(p, CF_ERROR, "init-addr: at most %d methods",
			    CF_MAXINITADDR - 1);
			return;
		}
		s->sv_initaddr[n++] = m;
	}
	if (n == 0)
		config_msg(p, CF_ERROR, "init-addr: last, libc, none or an IP "
		    "address expected");
}

/* "10.0.0.0/8,2001:db8::/32" */
static void
srv_nets(struct cf_parser *p, struct cf_server *s, const char *v)
{
	char buf[CF_LINEMAX], *w, *save = NULL, *slash;
	const char *err;
	struct cf_net *n;
	long bits;

	s->sv_nnets = 0;
	if (config_copy(buf, sizeof(buf), v) == -1)
		buf[0] = '\0';
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		if (s->sv_nnets == CF_MAXNETS) {
			config_msg(p, CF_ERROR, "resolve-net: at most %d "
			    "networks", CF_MAXNETS);
			return;
		}
		n = &s->sv_nets[s->sv_nnets];
		memset(n, 0, sizeof(*n));
		if ((slash = strchr(w, '/')) != NULL)
			*slash = '\0';
		if (inet_pton(AF_INET, w, n->n_addr) == 1)
			n->n_family = AF_INET;
		else if (inet_pton(AF_INET6, w, n->n_addr) == 1)
			n->n_family = AF_INET6;
		bits = n->n_family == AF_INET ? 32 : 128;
		err = NULL;
		if (slash != NULL)
			bits = strnum(slash + 1, 0, bits, &err);
		if (n->n_family == 0 || err != NULL) {
			config_msg(p, CF_ERROR, "resolve-net \"%s\": NETWORK/"
			    "BITS expected", v);
			return;
		}
		n->n_bits = (int)bits;
		s->sv_nnets++;
	}
}

/*
 * resolve-opts: haproxy 2.6 gives each server of a backend asking the
 * same name its own address unless allow-dup-ip (dns.c).
 */
static void
srv_opts(struct cf_parser *p, struct cf_server *s, const char *v)
{
	char buf[CF_LINEMAX], *w, *save = NULL;

	if (config_copy(buf, sizeof(buf), v) == -1)
		buf[0] = '\0';
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "allow-dup-ip") == 0)
			s->sv_dupip = 1;
		else if (strcmp(w, "prevent-dup-ip") == 0)
			s->sv_dupip = 0;
		else if (strcmp(w, "ignore-weight") != 0)	/* SRV only */
			config_msg(p, CF_ERROR, "resolve-opts \"%s\": "
			    "allow-dup-ip, ignore-weight or prevent-dup-ip "
			    "expected", w);
	}
}

void
config_server_dns(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s = p->p_srv;
	const char *kw = argv[0], *v = argc > 1 ? argv[1] : NULL;

	if (v == NULL) {
		config_msg(p, CF_ERROR, "%s: a value expected", kw);
		return;
	}
	if (strcmp(kw, "resolvers") == 0) {
		s->sv_resolvers = config_str(p, v);
	} else if (strcmp(kw, "init-addr") == 0)
		srv_initaddr(p, s, v);
	else if (strcmp(kw, "resolve-prefer") == 0) {
		if (strcmp(v, "ipv4") == 0)
			s->sv_prefer = AF_INET;
		else if (strcmp(v, "ipv6") == 0)
			s->sv_prefer = AF_INET6;
		else
			config_msg(p, CF_ERROR, "resolve-prefer \"%s\": ipv4 "
			    "or ipv6 expected", v);
	} else if (strcmp(kw, "resolve-net") == 0)
		srv_nets(p, s, v);
	else
		srv_opts(p, s, v);
}
