/* SPDX-License-Identifier: ISC */
/*
 * --http's connection cap and request deadline (libevent 2.1's evhttp has
 * neither).
 */
#ifndef PGWATCH_HTTPCONN_H
#define PGWATCH_HTTPCONN_H

/*
 * A health endpoint is asked by a few load balancers, each opening a
 * connection every few seconds that lasts milliseconds: 64 leave room for
 * dozens of them while bounding the memory (64 x 8 KiB of headers at
 * most) and the descriptors (under 200 with the ones being closed) far
 * below the usual limit of 1024.
 */
#define HTTPCONN_MAX		64
/* Seconds for a whole request, as haproxy's "timeout http-request 10s". */
#define HTTPCONN_DEADLINE	10

struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;
struct httpconns;

/* NULL when out of memory. */
struct httpconns *httpconn_init(struct evhttp *,
	    struct evhttp_bound_socket *);
void	httpconn_answered(struct httpconns *, struct evhttp_request *);
/* Frees the server with its listener and connections, then the set. */
void	httpconn_free(struct httpconns *, struct evhttp *);

#endif
