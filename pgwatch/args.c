/*
 * Option values as operators write them.  Sizes follow PostgreSQL's units
 * (kB, MB, GB, TB, powers of 1024); durations follow lib/duration.c, so
 * "16MB" is a size and "30s" or "1m" a duration; case tells "m" (minute)
 * from "M" (mebibyte).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "duration.h"

static const struct {
	const char	*u_name;
	uint64_t	 u_mult;
} args_units[] = {
	{ "B", 1 },
	{ "k", 1ULL << 10 }, { "K", 1ULL << 10 }, { "kB", 1ULL << 10 },
	{ "KB", 1ULL << 10 }, { "KiB", 1ULL << 10 },
	{ "M", 1ULL << 20 }, { "MB", 1ULL << 20 }, { "MiB", 1ULL << 20 },
	{ "G", 1ULL << 30 }, { "GB", 1ULL << 30 }, { "GiB", 1ULL << 30 },
	{ "T", 1ULL << 40 }, { "TB", 1ULL << 40 }, { "TiB", 1ULL << 40 },
};

int
args_size(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
	uint64_t whole = 0, mult = 1;
	const char *p = s;
	size_t i;

	if (!isdigit((unsigned char)*p)) {
		snprintf(err, errlen, "\"%.40s\": not a size", s);
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			goto range;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p != '\0') {
		for (i = 0; i < sizeof(args_units) / sizeof(args_units[0]); i++)
			if (strcmp(p, args_units[i].u_name) == 0)
				break;
		if (i == sizeof(args_units) / sizeof(args_units[0])) {
			snprintf(err, errlen, "\"%.40s\": unknown unit \"%.10s\";"
			    " should be B, kB, MB, GB, TB or ms, s, m, h", s, p);
			return -1;
		}
		mult = args_units[i].u_mult;
	}
	if (whole > UINT64_MAX / mult)
		goto range;
	*bytes = whole * mult;
	return 0;
range:
	snprintf(err, errlen, "\"%.40s\": too large", s);
	return -1;
}

/* A duration has a lower-case time unit: us, ms, s, m, h, d. */
static int
args_is_duration(const char *s)
{
	const char *p = s;

	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	return *p != '\0' && strchr("umshd", *p) != NULL;
}

int
args_lag(const char *s, struct lagmax *l, char *err, size_t errlen)
{
	uint64_t v;

	if (args_is_duration(s)) {
		if (duration_parse(s, &v) == -1) {
			snprintf(err, errlen, "\"%.40s\": not a duration", s);
			return -1;
		}
		l->l_usec_set = 1;
		l->l_usec = v;
		return 0;
	}
	if (args_size(s, &v, err, errlen) == -1)
		return -1;
	l->l_bytes_set = 1;
	l->l_bytes = v;
	return 0;
}

int
args_expect(const char *s, struct cond *c, char *err, size_t errlen)
{
	const char *p = s, *e;
	size_t n;
	int v;

	for (;;) {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 7 && strncmp(p, "primary", n) == 0)
			v = EXPECT_PRIMARY;
		else if ((n == 7 && strncmp(p, "standby", n) == 0) ||
		    (n == 7 && strncmp(p, "replica", n) == 0))
			v = EXPECT_STANDBY;
		else if (n == 3 && strncmp(p, "any", n) == 0)
			v = EXPECT_ANY;
		else {
			snprintf(err, errlen, "\"%.*s\": should be primary,"
			    " standby or any", (int)(n > 40 ? 40 : n), p);
			return -1;
		}
		if (c->c_nexpect >= PGW_MAXHOSTS) {
			snprintf(err, errlen, "more than %d values",
			    PGW_MAXHOSTS);
			return -1;
		}
		c->c_expect[c->c_nexpect++] = v;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

int
args_count(const char *s, long *n, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end != '\0' || errno ||
	    v > 1000000) {
		snprintf(err, errlen, "\"%.40s\": not a count", s);
		return -1;
	}
	*n = v;
	return 0;
}

int
args_listen(const char *s, char *addr, size_t addrlen, uint16_t *port,
    char *err, size_t errlen)
{
	const char *p, *colon;
	size_t alen;
	long v;
	char *end;

	if (s[0] == '[') {			/* [2001:db8::1]:8008 */
		if ((p = strchr(s, ']')) == NULL || p[1] != ':')
			goto bad;
		alen = (size_t)(p - s - 1);
		s++;
		p += 2;
	} else if ((colon = strrchr(s, ':')) != NULL) {
		if (strchr(s, ':') != colon)
			goto bad;		/* bare v6 needs [] */
		alen = (size_t)(colon - s);
		p = colon + 1;
	} else {
		alen = 0;
		p = s;
	}
	if (alen == 0)
		snprintf(addr, addrlen, "127.0.0.1");
	else if (alen >= addrlen)
		goto bad;
	else {
		memcpy(addr, s, alen);
		addr[alen] = '\0';
	}
	errno = 0;
	v = strtol(p, &end, 10);
	if (!isdigit((unsigned char)*p) || *end != '\0' || errno ||
	    v < 1 || v > 65535)
		goto bad;
	*port = (uint16_t)v;
	return 0;
bad:
	snprintf(err, errlen, "\"%.60s\": should be [ADDR:]PORT", s);
	return -1;
}

int
args_query_lag(const char *query, uint64_t *bytes, int *set)
{
	char val[64], err[128];
	const char *p = query;
	size_t n;

	*set = 0;
	while (p && *p) {
		n = strcspn(p, "&");
		if (n > 4 && strncmp(p, "lag=", 4) == 0) {
			if (n - 4 >= sizeof(val))
				return -1;
			memcpy(val, p + 4, n - 4);
			val[n - 4] = '\0';
			if (args_size(val, bytes, err, sizeof(err)) == -1)
				return -1;
			*set = 1;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return 0;
}
