/* SPDX-License-Identifier: ISC */
/*
 * Pure parsers for pgwatch's option values: (string, out, err, errlen),
 * no I/O, so tests/fuzz/pgwatch-args.c can drive them.
 */
#ifndef PGWATCH_ARGS_H
#define PGWATCH_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "pgwatch.h"

/* "16MB", "512kB", "1GB", "100" (bytes); 1024-based like PostgreSQL. */
int	args_size(const char *s, uint64_t *bytes, char *err, size_t errlen);
enum { LAG_BYTES = 1, LAG_SECS };

/*
 * -c/--critical, -w/--warning, --max-lag: a range (lib/range.h) of sizes
 * (bytes) or of durations ("30s", "2 min"), or check_postgres's
 * "BYTES and TIME"; into the matching half of l.
 */
int	args_lag(const char *s, struct lagmax *l, char *err, size_t errlen);
/* --expect: "primary", "standby", "any", or a comma list; appended to c. */
int	args_expect(const char *s, struct cond *c, char *err, size_t errlen);
/* A count >= 0 (--min-free-connections). */
int	args_count(const char *s, long *n, char *err, size_t errlen);
/* --http "[ADDR:]PORT", "[v6]:PORT"; addr defaults to 127.0.0.1. */
int	args_listen(const char *s, char *addr, size_t addrlen, uint16_t *port,
	    char *err, size_t errlen);
/*
 * -H/-p/--dbname/--dbuser: base conninfo (key=value, may be "") with the
 * pairs kv = { key, value, ..., NULL } appended, quoted (a NULL value is
 * left out); they win over the base's.  -1 if it does not fit or base is
 * a URI.
 */
int	args_conninfo(const char *base, const char *const *kv, char *buf,
	    size_t len, char *err, size_t errlen);
/*
 * The ?lag= of GET /replica: a size or a bare number of bytes; -1 for a
 * negative one (no standby is within it).
 */
int	args_query_lag(const char *query, uint64_t *bytes, int *set);

/* What a health check's query asks, in Patroni's parameters. */
struct hquery {
	int		 q_lag_set;	/* lag= */
	uint64_t	 q_lag;		/* bytes */
	int		 q_lag_below;	/* ... and it was below 0 */
	int		 q_state_set;	/* replication_state= */
	int		 q_streaming;	/* ... and it said "streaming" */
	int		 q_tag;		/* a tag_KEY= */
	int		 q_write;	/* mode=write (/readiness) */
};
/*
 * A health check's query string (NULL for none), %-escapes and '+'
 * decoded; unknown parameters are ignored, and so is a lag= that is not
 * a size, as Patroni ignores it (no limit).
 */
void	args_query(const char *query, struct hquery *q);
/*
 * A lag= as Patroni's parse_int takes it: "1048576", "0x100000", "010"
 * (octal), "1.5GB", "1e3", " 10 MB " (its units B, kB, MB, GB, TB alone),
 * "-1"; 0 with the bytes, negative or past 2^64 too, or -1 where Patroni
 * gets None.
 */
int	args_query_size(const char *s, double *bytes);

#endif
