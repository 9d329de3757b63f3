/*
 * Host names to addresses, once at start-up and at each reload (the
 * seed's "server localhost localhost:5240").  IPv4 is preferred when a
 * name has both, as haproxy does.
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "hashproxy.h"

static int
resolve_one(struct cf_addr *a, int passive, char *err, size_t errlen)
{
	struct addrinfo hints, *res, *p, *pick = NULL;
	const char *host = a->ca_host;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_family = AF_UNSPEC;
	if (passive && (host[0] == '\0' || strcmp(host, "*") == 0)) {
		/* haproxy's "*" is the IPv4 wildcard */
		hints.ai_family = AF_INET;
		hints.ai_flags = AI_PASSIVE;
		host = NULL;
	}
	if ((rc = getaddrinfo(host, a->ca_port[0] ? a->ca_port : NULL, &hints,
	    &res)) != 0) {
		snprintf(err, errlen, "%s:%d: \"%s\": %s",
		    a->ca_file ? a->ca_file : "", a->ca_line, a->ca_host,
		    gai_strerror(rc));
		return -1;
	}
	for (p = res; p != NULL; p = p->ai_next)
		if (p->ai_family == AF_INET && pick == NULL)
			pick = p;
	if (pick == NULL)
		pick = res;
	memcpy(&a->ca_ss, pick->ai_addr, pick->ai_addrlen);
	a->ca_sslen = pick->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int
resolve_config(struct cf_config *cf, char *err, size_t errlen)
{
	int i, j;

	for (i = 0; i < cf->cf_nfrontends; i++)
		for (j = 0; j < cf->cf_frontends[i].fe_nbinds; j++)
			if (resolve_one(&cf->cf_frontends[i].fe_binds[j], 1,
			    err, errlen) == -1)
				return -1;
	for (i = 0; i < cf->cf_nbackends; i++) {
		struct cf_backend *be = &cf->cf_backends[i];

		if (be->be_source.so_addr.ca_host[0] != '\0' &&
		    resolve_one(&be->be_source.so_addr, 0, err, errlen) == -1)
			return -1;
		for (j = 0; j < be->be_nservers; j++) {
			struct cf_server *s = &be->be_servers[j];

			if (resolve_one(&s->sv_addr, 0, err, errlen) == -1)
				return -1;
			if (s->sv_source.so_addr.ca_host[0] != '\0' &&
			    resolve_one(&s->sv_source.so_addr, 0, err,
			    errlen) == -1)
				return -1;
		}
	}
	return 0;
}
