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
/* --max-lag: a size (bytes) or a duration ("30s", "500ms"); into l. */
int	args_lag(const char *s, struct lagmax *l, char *err, size_t errlen);
/* --expect: "primary", "standby", "any", or a comma list; appended to c. */
int	args_expect(const char *s, struct cond *c, char *err, size_t errlen);
/* A count >= 0 (--min-free-connections). */
int	args_count(const char *s, long *n, char *err, size_t errlen);
/* --http "[ADDR:]PORT", "[v6]:PORT"; addr defaults to 127.0.0.1. */
int	args_listen(const char *s, char *addr, size_t addrlen, uint16_t *port,
	    char *err, size_t errlen);
/* The ?lag= of GET /replica: a size or a bare number of bytes. */
int	args_query_lag(const char *query, uint64_t *bytes, int *set);

#endif
