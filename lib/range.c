/* SPDX-License-Identifier: ISC */
/*
 * Threshold ranges as the monitoring-plugins development guidelines
 * define them.  A start greater than its end is refused rather than
 * read as an empty range: it is always a typing mistake.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

int
range_number(const char *s, size_t n, double *v, void *arg, char *err,
    size_t errlen)
{
	char buf[32], *end;
	size_t i, dots = 0;

	(void)arg;
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)s[i]) &&
		    !(i == 0 && s[i] == '-' && n > 1))
			break;
	}
	if (n == 0 || i != n || dots > 1 || n >= sizeof(buf) || n == dots) {
		snprintf(err, errlen, "\"%.*s\": not a number",
		    (int)(n > 30 ? 30 : n), s);
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(*v)) {
		snprintf(err, errlen, "\"%s\": not a number", buf);
		return -1;
	}
	return 0;
}

int
range_parse(const char *s, range_valfn fn, void *arg, struct range *r,
    char *err, size_t errlen)
{
	const char *colon, *end;
	size_t n;

	r->r_lo = 0;
	r->r_hi = INFINITY;
	r->r_inside = 0;
	if (*s == '@') {
		r->r_inside = 1;
		s++;
	}
	n = strlen(s);
	if (n == 0) {
		snprintf(err, errlen, "an empty range");
		return -1;
	}
	if ((colon = strchr(s, ':')) == NULL) {
		if (fn(s, n, &r->r_hi, arg, err, errlen) == -1)
			return -1;
		return 0;
	}
	if (strchr(colon + 1, ':') != NULL) {
		snprintf(err, errlen, "\"%.40s\": more than one ':'", s);
		return -1;
	}
	if (colon - s == 1 && *s == '~')
		r->r_lo = -INFINITY;
	else if (colon > s &&
	    fn(s, (size_t)(colon - s), &r->r_lo, arg, err, errlen) == -1)
		return -1;
	end = colon + 1;
	if (*end != '\0' &&
	    fn(end, strlen(end), &r->r_hi, arg, err, errlen) == -1)
		return -1;
	if (r->r_lo > r->r_hi) {
		snprintf(err, errlen, "\"%.40s\": the start is past the end",
		    s);
		return -1;
	}
	return 0;
}

int
range_alert(const struct range *r, double v)
{
	int inside = v >= r->r_lo && v <= r->r_hi;

	return r->r_inside ? inside : !inside;
}

static void
range_end(double v, char *buf, size_t len)
{
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.3f", v);
}

char *
range_format(const struct range *r, char *buf, size_t len)
{
	char lo[40], hi[40];

	range_end(r->r_lo, lo, sizeof(lo));
	range_end(r->r_hi, hi, sizeof(hi));
	if (isinf(r->r_lo) && isinf(r->r_hi))
		snprintf(buf, len, "%s~:", r->r_inside ? "@" : "");
	else if (isinf(r->r_lo))
		snprintf(buf, len, "%s~:%s", r->r_inside ? "@" : "", hi);
	else if (isinf(r->r_hi))
		snprintf(buf, len, "%s%s:", r->r_inside ? "@" : "", lo);
	else if (r->r_lo == 0 && !r->r_inside)
		snprintf(buf, len, "%s", hi);
	else
		snprintf(buf, len, "%s%s:%s", r->r_inside ? "@" : "", lo, hi);
	return buf;
}
