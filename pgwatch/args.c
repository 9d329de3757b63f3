/* SPDX-License-Identifier: ISC */
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
#include <strings.h>

#include "args.h"
#include "duration.h"
#include "errbuf.h"
#include "strnum.h"

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

	if (!isdigit((unsigned char)*p))
		return errbuf_set(err, errlen, "\"%.40s\": not a size", s);
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			goto range;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p != '\0') {
		for (i = 0; i < sizeof(args_units) / sizeof(args_units[0]); i++)
			if (strcmp(p, args_units[i].u_name) == 0)
				break;
		if (i == sizeof(args_units) / sizeof(args_units[0]))
			return errbuf_set(err, errlen,
			    "\"%.40s\": unknown unit \"%.10s\";"
			    " should be B, kB, MB, GB, TB or ms, s, m, h", s, p);
		mult = args_units[i].u_mult;
	}
	if (whole > UINT64_MAX / mult)
		goto range;
	*bytes = whole * mult;
	return 0;
range:
	return errbuf_set(err, errlen, "\"%.40s\": too large", s);
}

/* A duration has a lower-case time unit: us, ms, s, m, h, d. */
static int
args_is_duration(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '.'))
		i++;
	return i < n && strchr("umshd", s[i]) != NULL;
}

/*
 * check_postgres's time words ("2 min", "10 minutes", "1 hour"): a
 * number, blanks, then a word whose first letter is the unit.  pgwatch's
 * own "ms" and "us" are read before, so they keep their meaning.
 */
static int
args_time_word(const char *s, size_t n, double *secs)
{
	static const char *const words[] = { "s", "sec", "secs", "second",
	    "seconds", "min", "mins", "minute", "minutes", "hour", "hours",
	    "day", "days" };
	char num[32], *end;
	size_t i = 0, w;
	double v;

	while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '.'))
		i++;
	if (i == 0 || i >= sizeof(num))
		return -1;
	memcpy(num, s, i);
	num[i] = '\0';
	v = strtod(num, &end);
	if (*end != '\0')
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (strlen(words[w]) == n - i &&
		    strncasecmp(s + i, words[w], n - i) == 0)
			break;
	if (i == n || w == sizeof(words) / sizeof(words[0]))
		return -1;
	*secs = v * (words[w][0] == 's' ? 1 : words[w][0] == 'm' ? 60 :
	    words[w][0] == 'h' ? 3600 : 86400);
	return 0;
}

/* One end of a lag range; arg is the kind every end must share. */
static int
args_lag_end(const char *s, size_t n, double *v, void *arg, char *err,
    size_t errlen)
{
	int *kind = arg, k;
	char buf[64];
	uint64_t u;
	double secs;

	if (n >= sizeof(buf))
		return errbuf_set(err, errlen, "\"%.40s\": too long", s);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (args_is_duration(buf, n) && duration_parse(buf, &u) == 0) {
		k = LAG_SECS;
		*v = (double)u / 1e6;
	} else if (args_time_word(buf, n, &secs) == 0) {
		k = LAG_SECS;
		*v = secs;
	} else if (args_is_duration(buf, n)) {
		return errbuf_set(err, errlen, "\"%s\": not a duration", buf);
	} else {
		if (args_size(buf, &u, err, errlen) == -1)
			return -1;
		k = LAG_BYTES;
		*v = (double)u;
	}
	if (*kind != 0 && *kind != k)
		return errbuf_set(err, errlen,
		    "\"%s\": a size and a duration in one range", buf);
	*kind = k;
	return 0;
}

/* One range, into the bytes or the seconds half of l. */
static int
args_lag_range(const char *s, struct lagmax *l, int *kind, char *err,
    size_t errlen)
{
	struct range r;

	*kind = 0;
	if (range_parse(s, args_lag_end, kind, &r, err, errlen) == -1)
		return -1;
	if (*kind == 0) {		/* "~:" alone: never past */
		return errbuf_set(err, errlen,
		    "\"%.40s\": give a size or a duration", s);
	}
	if (*kind == LAG_SECS) {
		l->l_secs_set = 1;
		l->l_secs = r;
	} else {
		l->l_bytes_set = 1;
		l->l_bytes = r;
	}
	return 0;
}

int
args_lag(const char *s, struct lagmax *l, char *err, size_t errlen)
{
	const char *and = NULL, *p;
	char first[64];
	size_t n;
	int k1, k2;

	for (p = s; *p; p++)
		if (strncasecmp(p, " and ", 5) == 0) {
			and = p;
			break;
		}
	if (and == NULL) {
		if (args_lag_range(s, l, &k1, err, errlen) == -1)
			return -1;
		l->l_both = 0;
		return 0;
	}
	/* check_postgres: "BYTES and TIME", both past for the threshold. */
	if ((n = (size_t)(and - s)) >= sizeof(first))
		return errbuf_set(err, errlen, "\"%.40s\": too long", s);
	memcpy(first, s, n);
	first[n] = '\0';
	for (p = and + 5; *p == ' '; p++)
		;
	if (args_lag_range(first, l, &k1, err, errlen) == -1)
		return -1;
	/* A bare number after "and" is seconds, as check_postgres reads it */
	if (args_lag_range(p, l, &k2, err, errlen) == -1)
		return -1;
	if (k1 == k2 && k1 == LAG_BYTES && strspn(p, "0123456789") ==
	    strlen(p)) {
		l->l_secs_set = 1;
		l->l_secs = l->l_bytes;
		if (args_lag_range(first, l, &k1, err, errlen) == -1)
			return -1;
		k2 = LAG_SECS;
	}
	if (k1 == k2)
		return errbuf_set(err, errlen,
		    "\"%.60s\": \"and\" joins a size and a duration", s);
	l->l_both = 1;
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
			return errbuf_set(err, errlen,
			    "\"%.*s\": should be primary,"
			    " standby or any", (int)(n > 40 ? 40 : n), p);
		}
		if (c->c_nexpect >= PGW_MAXHOSTS)
			return errbuf_set(err, errlen, "more than %d values",
			    PGW_MAXHOSTS);
		c->c_expect[c->c_nexpect++] = v;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

int
args_count(const char *s, long *n, char *err, size_t errlen)
{
	const char *errstr;
	long v;

	/* digits only: no sign, no blank (strnum would take them) */
	v = (long)strnum(s, 0, 1000000, &errstr);
	if (!isdigit((unsigned char)*s) || errstr != NULL)
		return errbuf_set(err, errlen, "\"%.40s\": not a count", s);
	*n = v;
	return 0;
}

int
args_listen(const char *s, char *addr, size_t addrlen, uint16_t *port,
    char *err, size_t errlen)
{
	const char *p, *colon;
	size_t alen;
	const char *errstr;
	long v;

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
	v = (long)strnum(p, 1, 65535, &errstr);
	if (!isdigit((unsigned char)*p) || errstr != NULL)
		goto bad;
	*port = (uint16_t)v;
	return 0;
bad:
	return errbuf_set(err, errlen, "\"%.60s\": should be [ADDR:]PORT", s);
}

/* Patroni's units of memory, each 1024 times the one before */
static const char *const query_units[] = { "B", "kB", "MB", "GB", "TB" };

int
args_query_size(const char *s, uint64_t *bytes)
{
	double whole = 0, frac = 0, scale = 1, mult = 1, v;
	size_t i, n;
	int digits = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    isxdigit((unsigned char)s[2]))
		for (s += 2; isxdigit((unsigned char)*s); s++)
			whole = whole * 16 + (isdigit((unsigned char)*s) ?
			    *s - '0' : tolower((unsigned char)*s) - 'a' + 10);
	else {
		for (; isdigit((unsigned char)*s); s++, digits++)
			whole = whole * 10 + (*s - '0');
		if (*s == '.')
			for (s++; isdigit((unsigned char)*s); s++, digits++)
				frac += (*s - '0') * (scale /= 10);
		if (digits == 0)
			return -1;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t');)
		n--;
	if (n > 0) {
		for (i = 0; i < sizeof(query_units) / sizeof(query_units[0]); i++)
			if (strlen(query_units[i]) == n &&
			    strncmp(s, query_units[i], n) == 0)
				break;
		if (i == sizeof(query_units) / sizeof(query_units[0]))
			return -1;
		mult = (double)(1ULL << (10 * i));
	}
	v = (whole + frac) * mult + 0.5;
	/* 2^64 is exact in a double; anything from there does not fit */
	if (v >= 18446744073709551616.0)
		return -1;
	*bytes = (uint64_t)v;
	return 0;
}

/* %XX and '+' decoded in place, as Python's parse_qs (Patroni) does. */
static void
args_unescape(char *s)
{
	char *d = s;

	for (; *s; s++, d++) {
		if (*s == '+')
			*d = ' ';
		else if (*s == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], '\0' };

			*d = (char)strtol(hex, NULL, 16);
			s += 2;
		} else
			*d = *s;
	}
	*d = '\0';
}

/*
 * lag= as Patroni's parse_int reads it: a size, a negative one (every
 * standby is behind it), or anything else, which it takes for no limit.
 * Only the first lag= counts, parsed or not.
 */
static void
args_query_lagval(const char *val, struct hquery *q)
{
	const char *s = val;
	uint64_t lag;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' && args_query_size(s + 1, &lag) == 0) {
		q->q_lag_set = 1;
		q->q_lag_below = lag > 0;
		q->q_lag = 0;
	} else if (args_query_size(val, &lag) == 0) {
		q->q_lag_set = 1;
		q->q_lag = lag;
	}
}

void
args_query(const char *query, struct hquery *q)
{
	char pair[128], *val;
	const char *p = query;
	size_t n;
	int lag_seen = 0;

	memset(q, 0, sizeof(*q));
	while (p && *p) {
		n = strcspn(p, "&");
		/* a longer pair is no parameter Patroni or we know */
		if (n < sizeof(pair)) {
			memcpy(pair, p, n);
			pair[n] = '\0';
			if ((val = strchr(pair, '=')) != NULL) {
				*val++ = '\0';
				args_unescape(pair);
				args_unescape(val);
			}
		} else {
			pair[0] = '\0', val = NULL;
			/* a lag= that long is no size */
			if (strncmp(p, "lag=", 4) == 0)
				lag_seen = 1;
		}
		if (val == NULL || *val == '\0')
			;	/* parse_qs drops a parameter without a value */
		else if (strcmp(pair, "lag") == 0) {
			/* the first of each wins, as in Patroni */
			if (!lag_seen)
				args_query_lagval(val, q);
			lag_seen = 1;
		} else if (strcmp(pair, "replication_state") == 0) {
			if (!q->q_state_set)
				q->q_streaming = strcmp(val, "streaming") == 0;
			q->q_state_set = 1;
		} else if (strncmp(pair, "tag_", 4) == 0)
			q->q_tag = 1;
		else if (strcmp(pair, "mode") == 0)
			q->q_write = strcmp(val, "write") == 0;
		p += n;
		if (*p == '&')
			p++;
	}
}

int
args_query_lag(const char *query, uint64_t *bytes, int *set)
{
	struct hquery q;

	args_query(query, &q);
	*set = q.q_lag_set;
	if (q.q_lag_set)
		*bytes = q.q_lag;
	return q.q_lag_below ? -1 : 0;
}

/* Appends " key='val'" with ' and \\ escaped as libpq reads them. */
static int
args_kv(char *buf, size_t len, size_t *off, const char *key,
    const char *val)
{
	int r;

	r = snprintf(buf + *off, len - *off, "%s%s='", *off ? " " : "", key);
	if (r < 0 || (size_t)r >= len - *off)
		return -1;
	*off += (size_t)r;
	for (; *val; val++) {
		if (*off + 3 >= len)
			return -1;
		if (*val == '\'' || *val == '\\')
			buf[(*off)++] = '\\';
		buf[(*off)++] = *val;
	}
	if (*off + 2 > len)
		return -1;
	buf[(*off)++] = '\'';
	buf[*off] = '\0';
	return 0;
}

int
args_conninfo(const char *base, const char *const *kv, char *buf,
    size_t len, char *err, size_t errlen)
{
	size_t off;

	if (strncmp(base, "postgres://", 11) == 0 ||
	    strncmp(base, "postgresql://", 13) == 0)
		return errbuf_set(err, errlen,
		    "with -H, -p, --dbname or --dbuser,"
		    " give the other settings as key=value, not a URI");
	off = strlen(base);
	if (off >= len)
		goto big;
	memcpy(buf, base, off + 1);
	for (; kv[0] != NULL; kv += 2)
		if (kv[1] != NULL && args_kv(buf, len, &off, kv[0], kv[1]) == -1)
			goto big;
	return 0;
big:
	return errbuf_set(err, errlen, "connection settings too long");
}
