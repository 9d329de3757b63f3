/* SPDX-License-Identifier: ISC */
/*
 * Monitoring-plugin threshold ranges (the Nagios plugin API):
 * "10" alerts outside 0..10, "10:" below 10, "~:10" above 10, "10:20"
 * outside 10..20, "@10:20" inside 10..20 (ends included).  The values are
 * read by a caller's function, so pgwatch's "1MB" or "30s" and svccheck's
 * counts share one grammar.
 */
#ifndef HT_RANGE_H
#define HT_RANGE_H

#include <stddef.h>

struct range {
	double	r_lo;		/* -INFINITY for "~" */
	double	r_hi;		/* INFINITY when nothing follows ':' */
	int	r_inside;	/* "@": alert inside [lo, hi] */
};

/*
 * Reads one end, s[0..n) (not terminated), into *v; -1 with err if not a
 * value.  arg is range_parse's.
 */
typedef int (*range_valfn)(const char *s, size_t n, double *v, void *arg,
	    char *err, size_t errlen);

/* A plain decimal number, "5" or "2.5" (what check_procs reads). */
int	range_number(const char *s, size_t n, double *v, void *arg,
	    char *err, size_t errlen);
/* Parses s into r with fn reading each end; -1 with err on bad input. */
int	range_parse(const char *s, range_valfn fn, void *arg, struct range *r,
	    char *err, size_t errlen);
/* 1 when v is to be alerted on. */
int	range_alert(const struct range *r, double v);
/* r in the range syntax, values as they are, for perfdata's warn/crit. */
char	*range_format(const struct range *r, char *buf, size_t len);

#endif
