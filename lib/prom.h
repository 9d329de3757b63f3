/* SPDX-License-Identifier: ISC */
/*
 * The Prometheus text exposition format, version 0.0.4, written into an
 * evbuffer:
 *
 *	# HELP name text
 *	# TYPE name counter|gauge|untyped
 *	name{label="value",...} 42
 *
 * A family is opened once with its help and type, then its samples
 * follow, all together: the format wants a family's lines in one group
 * and its TYPE line once.  Label values are escaped (\\, \", \n);
 * integers are printed as integers, whatever their size, never through
 * a double.  Misuse (a bad name, a family opened twice, a sample with
 * no family) writes nothing and sets an error a test can read: a broken
 * exposition would make Prometheus drop the whole scrape.
 */
#ifndef HT_PROM_H
#define HT_PROM_H

#include <stdint.h>

struct evbuffer;

/* what an HTTP reply carrying it says it is */
#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* families one exposition may hold (a repeat is refused) */
#define PROM_MAXFAMILIES	128

enum prom_type { PROM_COUNTER, PROM_GAUGE, PROM_UNTYPED };

struct prom {
	struct evbuffer	*p_out;
	const char	*p_family;	/* the open one, NULL before any */
	int		 p_nfam;
	/* the names opened so far, to refuse a second group */
	const char	*p_seen[PROM_MAXFAMILIES];
	int		 p_err;		/* misuses so far */
	char		 p_why[128];	/* the first one */
};

void	prom_init(struct prom *, struct evbuffer *);
/*
 * Opens a family; name must live as long as the struct prom (a string
 * literal, in practice).  help is free text (escaped here).
 */
void	prom_family(struct prom *, const char *name, enum prom_type,
	    const char *help);
/*
 * One sample of the open family: its value, then label name, value
 * pairs ending with NULL.  Label values may hold any bytes but NUL.
 */
void	prom_u64(struct prom *, uint64_t, ...) __attribute__((sentinel));
void	prom_i64(struct prom *, int64_t, ...) __attribute__((sentinel));
/* NaN and infinities as the format spells them */
void	prom_dbl(struct prom *, double, ...) __attribute__((sentinel));
/* hatools_build_info, the family every program's exposition starts with */
void	prom_build_info(struct prom *, const char *program);
/* 0 when everything written so far was well formed */
int	prom_error(const struct prom *, const char **why);

#endif
