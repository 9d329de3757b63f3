/* SPDX-License-Identifier: ISC */
/*
 * Values in haproxy.cfg: durations (bare numbers are milliseconds),
 * bounded integers, "host:port" addresses, bounded string copies.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "duration.h"
#include "strnum.h"
#include "config-parser.h"

int
config_duration(const char *s, uint64_t *usec)
{
	const char *p;
	uint64_t v;

	if (s == NULL || *s == '\0') {
		errno = EINVAL;
		return -1;
	}
	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (*p != '\0')
		return duration_parse(s, usec);
	/* haproxy reads a bare number as milliseconds */
	if (duration_parse(s, &v) == -1)
		return -1;
	if (v / 1000000 > UINT64_MAX / 1000) {
		errno = ERANGE;
		return -1;
	}
	*usec = v / 1000;
	return 0;
}

/*
 * haproxy checks the delay of a keyword hashproxy ignores and refuses
 * "12abc" or an overflow: so does hashproxy, or a file it passes would
 * not start haproxy (the limit is haproxy's timer, INT_MAX ms).
 */
static int
kw_delay(struct cf_parser *p, int argc, char **argv, uint64_t min_usec)
{
	uint64_t usec;

	if (argc < 2 || argv[1][0] == '\0') {
		config_msg(p, CF_ERROR, "%s: a delay expected", argv[0]);
		return -1;
	}
	if (config_duration(argv[1], &usec) == -1 || usec < min_usec ||
	    usec / 1000 > INT_MAX) {
		config_msg(p, CF_ERROR, "%s \"%s\": not a delay (%s ms, or "
		    "with a unit: us, ms, s, m, h, d; at most %d ms)", argv[0],
		    argv[1], min_usec ? "1" : "0", INT_MAX);
		return -1;
	}
	return 0;
}

static int
kw_delay0(struct cf_parser *p, int argc, char **argv)
{
	return kw_delay(p, argc, argv, 0);
}

static int
kw_delay1(struct cf_parser *p, int argc, char **argv)
{
	return kw_delay(p, argc, argv, 1000);
}

/*
 * bind's "id N" is ignored, but haproxy refuses a value that is not a
 * positive integer ("12abc"): a file that haproxy refuses is refused
 * here too.
 */
static int
kw_bind_id(struct cf_parser *p, int argc, char **argv)
{
	const char *err = "missing";

	if (argc > 1)
		(void)strnum(argv[1], 1, INT_MAX, &err);
	if (err == NULL)
		return 0;
	config_msg(p, CF_ERROR, "bind option \"id\" \"%s\": a positive "
	    "integer expected (%s)", argc > 1 ? argv[1] : "", err);
	return -1;
}

/* The ignored keywords whose value haproxy 2.6 checks (haproxy -c). */
static const struct {
	const char	*kc_name;
	cf_kwcheck	 kc_fn;
} kw_checks[] = {
	{ "agent-inter", kw_delay1 },		/* server: 0 is refused */
	{ "hard-stop-after", kw_delay0 },	/* global */
	{ "id", kw_bind_id },			/* bind: server's is run */
	{ "tcp-ut", kw_delay0 },		/* bind and server */
};

int
config_kw_check(struct cf_parser *p, const struct cf_kw *k, int argc,
    char **argv)
{
	size_t i;

	if (k->kw_kind != KW_HARMLESS)
		return 0;
	for (i = 0; i < sizeof(kw_checks) / sizeof(kw_checks[0]); i++)
		if (strcmp(k->kw_name, kw_checks[i].kc_name) == 0)
			return kw_checks[i].kc_fn(p, argc, argv);
	return 0;
}

int
config_int(const char *s, int min, int max, int *out)
{
	const char *err;
	long long v;

	/* haproxy writes no blank or plus sign before a number */
	if (s == NULL || !(isdigit((unsigned char)*s) ||
	    (*s == '-' && isdigit((unsigned char)s[1]))))
		return -1;
	v = strnum(s, min, max, &err);
	if (err != NULL)
		return -1;
	*out = (int)v;
	return 0;
}

int
config_arg_int(struct cf_parser *p, int argc, char **argv, int min, int max,
    int *v, const char *lead)
{
	if (argc == 2 && config_int(argv[1], min, max, v) == 0)
		return 0;
	config_msg(p, CF_ERROR, "%s \"%s\": %sshould be %d..%d", argv[0],
	    argc > 1 ? argv[1] : "", lead, min, max);
	return -1;
}

int
config_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/*
 * An address word as haproxy 2.6's str2sa_range() takes it: $NAME and
 * ${NAME} are expanded from the environment whatever the quotes (an
 * unset one is empty), so "bind ${ADDR}:5432" and "server db $DB:5432"
 * mean what they do in haproxy.  -1 when the result does not fit.
 */
int
config_copy_addr(char *dst, size_t len, const char *src)
{
	char name[128];
	const char *end, *val;
	size_t n = 0, nl, vl;
	int brace;

	while (*src != '\0') {
		if (*src != '$') {
			if (n + 1 >= len)
				return -1;
			dst[n++] = *src++;
			continue;
		}
		/* haproxy's env_expand(): "${" then the name, its '}' if any */
		brace = src[1] == '{';
		end = src + 1 + brace;
		for (nl = 0; isalnum((unsigned char)end[nl]) || end[nl] == '_';
		    nl++)
			;
		if (nl >= sizeof(name))
			return -1;
		memcpy(name, end, nl);
		name[nl] = '\0';
		src = end + nl + (brace && end[nl] == '}');
		if ((val = getenv(name)) == NULL)
			continue;
		vl = strlen(val);
		if (n + vl >= len)
			return -1;
		memcpy(dst + n, val, vl);
		n += vl;
	}
	if (n >= len)
		return -1;
	dst[n] = '\0';
	return 0;
}

/*
 * What an address haproxy takes but hashproxy cannot use is, for the
 * caller's message ("...: not supported"); NULL for TCP over IP.
 */
const char *
config_addr_kind(const char *s)
{
	static const struct {
		const char *pfx, *what;
	} kinds[] = {
		{ "/", "a unix socket" },
		{ "unix@", "a unix socket" },
		{ "abns@", "an abstract unix socket" },
		{ "fd@", "an inherited file descriptor" },
		{ "sockpair@", "a socket pair" },
		{ "udp", "UDP" },
		{ "quic", "QUIC" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(s, kinds[i].pfx, strlen(kinds[i].pfx)) == 0)
			return kinds[i].what;
	return NULL;
}

/*
 * haproxy's "ipv4@" and "ipv6@" force the family: the wildcard ("" or
 * "*") is that family's, a literal of the other one is refused, and a
 * host name is resolved in that family only (haproxy 2.6 takes
 * "server s1 ipv4@localhost:80", and refuses "ipv6@localhost" where the
 * name has no IPv6 address).  The family waits in ca_ss.ss_family for
 * resolve.c, as it does in haproxy's str2sa_range().  0 or -1.
 */
static int
config_addr_family(struct cf_addr *a, int family)
{
	unsigned char buf[16];
	int other = family == AF_INET ? AF_INET6 : AF_INET;

	if (a->ca_host[0] == '\0' || strcmp(a->ca_host, "*") == 0) {
		if (family == AF_INET6)
			strcpy(a->ca_host, "::");
		return 0;
	}
	if (inet_pton(other, a->ca_host, buf) == 1)
		return -1;
	memset(&a->ca_ss, 0, sizeof(a->ca_ss));
	a->ca_ss.ss_family = (sa_family_t)family;
	return 0;
}

int
config_addr(const char *s, struct cf_addr *a, int needport)
{
	const char *colon, *host, *port;
	size_t hlen;
	int pn, family = AF_UNSPEC;

	if (strncmp(s, "ipv4@", 5) == 0 || strncmp(s, "ipv6@", 5) == 0) {
		family = s[3] == '4' ? AF_INET : AF_INET6;
		s += 5;
	} else if (strchr(s, '@') != NULL || config_addr_kind(s) != NULL)
		return -1;	/* not TCP over IP */
	host = s;
	if (*s == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL)
			return -1;
		host = s + 1;
		hlen = (size_t)(rb - host);
		if (rb[1] == ':')
			port = rb + 2;
		else if (rb[1] == '\0')
			port = NULL;
		else
			return -1;
	} else {
		colon = strrchr(s, ':');
		if (colon != NULL && strchr(s, ':') != colon) {
			/* bare IPv6 literal: haproxy takes the last colon
			 * as the port separator */
			hlen = (size_t)(colon - s);
			port = colon + 1;
		} else if (colon != NULL) {
			hlen = (size_t)(colon - s);
			port = colon + 1;
		} else {
			hlen = strlen(s);
			port = NULL;
		}
	}
	if (hlen >= sizeof(a->ca_host))
		return -1;
	memcpy(a->ca_host, host, hlen);
	a->ca_host[hlen] = '\0';
	a->ca_ss.ss_family = AF_UNSPEC;		/* any, unless forced */
	if (family != AF_UNSPEC && config_addr_family(a, family) == -1)
		return -1;
	if (port == NULL || *port == '\0') {
		if (needport)
			return -1;
		a->ca_port[0] = '\0';
		return 0;
	}
	if (config_int(port, 1, 65535, &pn) == -1 || *port == '-' ||
	    *port == '+')
		return -1;
	snprintf(a->ca_port, sizeof(a->ca_port), "%d", pn);
	return 0;
}
