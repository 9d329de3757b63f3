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
config_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

int
config_addr(const char *s, struct cf_addr *a, int needport)
{
	const char *colon, *host = s, *port;
	size_t hlen;
	int pn;

	if (strchr(s, '@') != NULL)
		return -1;	/* ipv4@, unix@ ... prefixes */
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
