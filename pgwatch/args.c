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

/*
 * lag= as Patroni's parse_int(value, 'B') reads it, so that a check
 * written for Patroni gets the limit Patroni would give it: its strtol
 * (0x hexadecimal, 0 octal, decimal, a sign), its strtod where a '.' or
 * an exponent follows, then one of its units, the value rounded to the
 * unit below, then to bytes, halves to even as Python rounds.
 */

/* Patroni's units of memory, each 1024 times the one before */
static const char *const query_units[] = { "B", "kB", "MB", "GB", "TB" };

/* what Python's str.strip() strips, as far as ASCII goes */
static int
args_pyspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Python's round(): to the nearest integer, a half to the even one */
static double
args_rint(double x)
{
	double a = x < 0 ? -x : x, t;

	if (!(a < 4503599627370496.0))	/* 2^52 up (and inf): whole */
		return x;
	t = (double)(uint64_t)a;
	if (a - t > 0.5 || (a - t == 0.5 && ((uint64_t)t & 1)))
		t += 1;
	return x < 0 ? -t : t;
}

/* Patroni's strtol over [b, e): the end of the number, or NULL */
static const char *
args_pystrtol(const char *b, const char *e, double *v)
{
	const char *p = b + (b < e && (*b == '-' || *b == '+'));
	int neg = *b == '-', base = 10, d;

	*v = 0;
	if (p + 2 < e && p[0] == '0' && p[1] == 'x' &&
	    isxdigit((unsigned char)p[2]))
		base = 16, p += 2;
	else if (p < e && *p == '0')
		base = 8;
	else if (p == e || !isdigit((unsigned char)*p))
		return NULL;
	for (; p < e; p++) {
		if (base == 16 && isxdigit((unsigned char)*p))
			d = isdigit((unsigned char)*p) ? *p - '0' :
			    tolower((unsigned char)*p) - 'a' + 10;
		else if (isdigit((unsigned char)*p) && *p - '0' < base)
			d = *p - '0';
		else
			break;
		*v = *v * base + d;
	}
	if (neg)
		*v = -*v;
	return p;
}

/* Patroni's strtod, [-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?: the end */
static const char *
args_pystrtod(const char *b, const char *e, double *v)
{
	char buf[128];
	const char *p = b + (b < e && (*b == '-' || *b == '+')), *q;
	int digits = 0;

	for (; p < e && isdigit((unsigned char)*p); p++)
		digits++;
	if (p + 1 < e && *p == '.' && isdigit((unsigned char)p[1]))
		for (p++; p < e && isdigit((unsigned char)*p); p++)
			digits++;
	if (digits == 0)
		return NULL;
	if (p < e && (*p == 'e' || *p == 'E')) {
		q = p + 1;
		q += q < e && (*q == '-' || *q == '+');
		if (q < e && isdigit((unsigned char)*q)) {
			for (p = q; p < e && isdigit((unsigned char)*p); p++)
				;
		}
	}
	if ((size_t)(p - b) >= sizeof(buf))
		return NULL;
	memcpy(buf, b, (size_t)(p - b));
	buf[p - b] = '\0';
	*v = strtod(buf, NULL);
	return p;
}

int
args_query_size(const char *s, double *bytes)
{
	const char *b = s, *e = s + strlen(s), *u;
	double v, mult;
	size_t i, n;

	while (b < e && args_pyspace((unsigned char)*b))
		b++;
	while (e > b && args_pyspace((unsigned char)e[-1]))
		e--;
	u = args_pystrtol(b, e, &v);
	if ((u == NULL && b < e && *b == '.') ||
	    (u != NULL && u < e && (*u == '.' || *u == 'e' || *u == 'E')))
		u = args_pystrtod(b, e, &v);
	if (u == NULL)
		return -1;
	while (u < e && args_pyspace((unsigned char)*u))
		u++;
	if (u == e) {
		*bytes = args_rint(v);
		return 0;
	}
	n = (size_t)(e - u);
	for (i = 0; i < sizeof(query_units) / sizeof(query_units[0]); i++)
		if (strlen(query_units[i]) == n &&
		    strncmp(u, query_units[i], n) == 0)
			break;
	if (i == sizeof(query_units) / sizeof(query_units[0]))
		return -1;
	mult = (double)(1ULL << (10 * i));
	v *= mult;
	if (i > 0)
		v = args_rint(v / (mult / 1024)) * (mult / 1024);
	*bytes = args_rint(v);
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
 * lag=: a size, a negative one (every standby is behind it), one past
 * 2^64 (none is), or anything else, which Patroni takes for no limit.
 */
static void
args_query_lagval(const char *val, struct hquery *q)
{
	double lag;

	if (args_query_size(val, &lag) == -1 || !(lag < 18446744073709551616.0))
		return;
	q->q_lag_set = 1;
	q->q_lag_below = lag < 0;
	q->q_lag = lag < 0 ? 0 : (uint64_t)lag;
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
