/* SPDX-License-Identifier: ISC */
/*
 * Host names to addresses, once at start-up and at each reload (the
 * seed's "server localhost localhost:5240").  IPv4 is preferred when a
 * name has both, as haproxy does, unless resolve-prefer says otherwise.
 * A server's name goes through its init-addr methods in order (haproxy's
 * default "last,libc"): "last" would be a server-state-file's address,
 * which hashproxy has none of; "none" starts the server without an
 * address, in MAINT (resolution) until its resolvers answer (dns.c).
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "acl.h"
#include "errbuf.h"
#include "hashproxy.h"
#include "strnum.h"

static int
resolve_one(struct cf_addr *a, int passive, int prefer, char *err,
    size_t errlen)
{
	struct addrinfo hints, *res, *p, *pick = NULL;
	const char *host = a->ca_host;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	/* AF_UNSPEC, or the family "ipv4@" or "ipv6@" forced (config_addr) */
	hints.ai_family = a->ca_ss.ss_family;
	if (passive && (host[0] == '\0' || strcmp(host, "*") == 0)) {
		/* haproxy's "*" is the IPv4 wildcard */
		hints.ai_family = AF_INET;
		hints.ai_flags = AI_PASSIVE;
		host = NULL;
	}
	if ((rc = getaddrinfo(host, a->ca_port[0] ? a->ca_port : NULL, &hints,
	    &res)) != 0)
		return errbuf_set(err, errlen, "%s:%d: \"%s\": %s",
		    a->ca_file ? a->ca_file : "", a->ca_line, a->ca_host,
		    gai_strerror(rc));
	for (p = res; p != NULL; p = p->ai_next)
		if (p->ai_family == prefer && pick == NULL)
			pick = p;
	if (pick == NULL)
		pick = res;
	memcpy(&a->ca_ss, pick->ai_addr, pick->ai_addrlen);
	a->ca_sslen = pick->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int
resolve_literal(const char *host)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

/* init-addr's address, with the server's port. */
static int
resolve_initip(struct cf_server *sv)
{
	struct cf_addr *a = &sv->sv_addr;
	/* checked by config_addr; "" (none) is 0 */
	int port = (int)strnum(a->ca_port, 0, 65535, NULL);
	socklen_t len;

	if ((len = sockaddr_literal(sv->sv_initip, port, &a->ca_ss)) == 0)
		return -1;
	a->ca_sslen = len;
	return 0;
}

static int
resolve_server(struct cf_config *cf, struct cf_server *sv, char *err,
    size_t errlen)
{
	static const unsigned char dflt[] = { IA_LAST, IA_LIBC, IA_END };
	const unsigned char *m = sv->sv_initaddr[0] ? sv->sv_initaddr : dflt;
	struct cf_addr *a = &sv->sv_addr;
	int i, prefer = sv->sv_prefer ? sv->sv_prefer : AF_INET;

	sv->sv_unresolved = 0;
	sv->sv_fqdn[0] = '\0';
	if (sv->sv_resolvers[0] != '\0') {
		for (i = 0; i < cf->cf_nresolvers; i++)
			if (strcmp(cf->cf_resolvers[i].rs_name,
			    sv->sv_resolvers) == 0)
				break;
		if (i == cf->cf_nresolvers)
			return errbuf_set(err, errlen,
			    "%s:%d: server %s: no resolvers "
			    "section \"%s\"", a->ca_file ? a->ca_file : "",
			    a->ca_line, sv->sv_name, sv->sv_resolvers);
	}
	if (resolve_literal(a->ca_host))
		return resolve_one(a, 0, prefer, err, errlen);
	snprintf(sv->sv_fqdn, sizeof(sv->sv_fqdn), "%s", a->ca_host);
	err[0] = '\0';
	for (; *m != IA_END; m++) {
		switch (*m) {
		case IA_LAST:
			break;		/* no server-state-file */
		case IA_LIBC:
			if (resolve_one(a, 0, prefer, err, errlen) == 0)
				return 0;
			break;
		case IA_NONE:
			memset(&a->ca_ss, 0, sizeof(a->ca_ss));
			a->ca_sslen = 0;
			sv->sv_unresolved = 1;
			return 0;
		case IA_IP:
			if (resolve_initip(sv) == 0)
				return 0;
			break;
		}
	}
	if (err[0] == '\0')
		snprintf(err, errlen, "%s:%d: \"%s\": no init-addr method "
		    "gave an address", a->ca_file ? a->ca_file : "",
		    a->ca_line, a->ca_host);
	return -1;
}

int
resolve_config(struct cf_config *cf, char *err, size_t errlen)
{
	int i, j;

	for (i = 0; i < cf->cf_nfrontends; i++)
		for (j = 0; j < cf->cf_frontends[i].fe_nbinds; j++)
			if (resolve_one(&cf->cf_frontends[i].fe_binds[j], 1,
			    AF_INET, err, errlen) == -1)
				return -1;
	for (i = 0; i < cf->cf_nbackends; i++) {
		struct cf_backend *be = &cf->cf_backends[i];

		if (be->be_source.so_addr.ca_host[0] != '\0' &&
		    resolve_one(&be->be_source.so_addr, 0, AF_INET, err,
		    errlen) == -1)
			return -1;
		for (j = 0; j < be->be_nservers; j++) {
			struct cf_server *s = &be->be_servers[j];

			if (resolve_server(cf, s, err, errlen) == -1)
				return -1;
			if (s->sv_chkaddr.ca_host[0] != '\0' &&
			    resolve_one(&s->sv_chkaddr, 0, AF_INET, err,
			    errlen) == -1)
				return -1;
			if (s->sv_source.so_addr.ca_host[0] != '\0' &&
			    resolve_one(&s->sv_source.so_addr, 0, AF_INET, err,
			    errlen) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * An ACL's src or dst host name, as haproxy 2.6's str2net() reads it
 * when it starts: libc's gethostbyname(), IPv4 only, and only the first
 * address of a name that has several.
 */
int
resolve_acl_host(const char *name, uint8_t addr[4])
{
	struct hostent he, *res = NULL;
	char buf[8192];
	int herr;

	if (gethostbyname_r(name, &he, buf, sizeof(buf), &res, &herr) != 0 ||
	    res == NULL || res->h_addrtype != AF_INET ||
	    res->h_length != 4 || res->h_addr_list[0] == NULL)
		return -1;
	memcpy(addr, res->h_addr_list[0], 4);
	return 0;
}
