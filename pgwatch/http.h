/* SPDX-License-Identifier: ISC */
/*
 * --http: Patroni's health endpoints for the first host, so haproxy's
 * "option httpchk" (or hashproxy's) can route to the primary.
 */
#ifndef PGWATCH_HTTP_H
#define PGWATCH_HTTP_H

#include "args.h"
#include "pgwatch.h"

/* Binds addr:port; -1 with a message logged. */
int	http_start(struct pgw *, const char *addr, uint16_t port);
/* Closes the listener and every connection. */
void	http_stop(struct pgw *);
/*
 * The status code for path (no query) and its query q, for the first of
 * the n hosts s[0..n) judged v[0..n); pure.
 */
int	http_status(const char *path, const struct sample *s,
	    const struct verdict *v, int n, const struct hquery *q);

#endif
