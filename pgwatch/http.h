/* SPDX-License-Identifier: ISC */
/*
 * --http: Patroni's health endpoints for the first host, so haproxy's
 * "option httpchk" (or hashproxy's) can route to the primary.
 */
#ifndef PGWATCH_HTTP_H
#define PGWATCH_HTTP_H

#include "pgwatch.h"

/* Binds addr:port; -1 with a message logged. */
int	http_start(struct pgw *, const char *addr, uint16_t port);
/* Closes the listener and every connection. */
void	http_stop(struct pgw *);
/* The status code for path (no query) and ?lag= bytes; pure. */
int	http_status(const char *path, const struct sample *,
	    const struct verdict *, int lag_set, uint64_t lag);

#endif
