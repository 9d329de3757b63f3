/* SPDX-License-Identifier: ISC */
/*
 * --watch's hosts in the Prometheus text format: GET /metrics on --http,
 * and --metrics ADDR:PORT (metrics.c).
 */
#ifndef PGWATCH_METRICS_H
#define PGWATCH_METRICS_H

#include "pgwatch.h"

struct evbuffer;

/* the index of p_checks' second dimension */
enum { METRICS_OK, METRICS_FAILED, METRICS_DOWN };

/* Appends the exposition to out. */
void	metrics_write(struct pgw *, struct evbuffer *out);
/* Counts the outcome of every host sampled since the last call. */
void	metrics_count(struct pgw *, const struct sample *,
	    const struct verdict *);
/* --metrics: listens on addr; -1 with a message logged. */
int	metrics_start(struct pgw *, const char *addr);
void	metrics_stop(struct pgw *);

#endif
