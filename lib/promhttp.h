/* SPDX-License-Identifier: ISC */
/*
 * --metrics ADDR:PORT: a Prometheus scrape endpoint.  GET (or HEAD)
 * /metrics answers with what the program writes; anything else gets a
 * short error status.  One request per connection, then close, as a
 * scraper needs and no more.  The exposure is bounded: the request head
 * (PROMHTTP_MAXHEAD bytes), the clients served at once
 * (PROMHTTP_MAXCLIENTS; one more gets 503 and is closed), and the time
 * a client may take to send its request or read the reply
 * (PROMHTTP_TIMEOUT).
 *
 * Not libevent's evhttp: the evhttp of libevent 2.1 (Debian 12) has no
 * cap on connections (evhttp_set_max_connections came with 2.2), and a
 * scrape endpoint reachable from the network must have one.
 */
#ifndef HT_PROMHTTP_H
#define HT_PROMHTTP_H

#include <stddef.h>
#include <sys/socket.h>

struct event_base;
struct evbuffer;
struct promhttp;

#define PROMHTTP_MAXHEAD	8192	/* request line and headers */
#define PROMHTTP_MAXCLIENTS	10
#define PROMHTTP_TIMEOUT	10	/* seconds */

/* Appends the exposition to out. */
typedef void	promhttp_fn(void *arg, struct evbuffer *out);

/*
 * Checks an ADDR:PORT ("127.0.0.1:9650", "[::1]:9650", "0.0.0.0:9650"
 * for every address): 0 and the address, or -1 with err filled.  For
 * option parsing, before anything is opened.
 */
int		 promhttp_addr(const char *, struct sockaddr_storage *,
		    socklen_t *, char *err, size_t errlen);
/*
 * The answer to a request line (len bytes, no end of line): 200 for
 * "GET /metrics HTTP/1.x" (*head set for HEAD), else 400, 404 or 405.
 */
int		 promhttp_parse(const char *line, size_t len, int *head);
/* Listens on addr; NULL with err filled. */
struct promhttp	*promhttp_open(struct event_base *, const char *addr,
		    promhttp_fn *, void *arg, char *err, size_t errlen);
void		 promhttp_close(struct promhttp *);

#endif
