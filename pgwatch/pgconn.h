/* SPDX-License-Identifier: ISC */
/*
 * One host's libpq connection on the libevent loop: connect with
 * PQconnectStartParams/PQconnectPoll, send the sample query, read the
 * answer, each step under pgwatch's own millisecond deadline (libpq's
 * connect_timeout is ignored in non-blocking mode).  In watch mode the
 * connection stays open and a readable socket while idle means the server
 * went away: that is noticed at once, not at the next poll.
 */
#ifndef PGWATCH_PGCONN_H
#define PGWATCH_PGCONN_H

#include <event2/event.h>
#include <libpq-fe.h>

#include "pgwatch.h"

enum conn_state { CONN_CLOSED, CONN_CONNECTING, CONN_QUERYING, CONN_OPEN };

struct host;
typedef void (*conn_cb)(struct host *, void *);

struct host {
	int		 h_idx;
	char		 h_name[300];	/* host:port, never the password */
	const char	*h_conninfo;
	struct event_base *h_base;
	PGconn		*h_conn;
	struct event	*h_io;
	struct event	*h_timer;	/* the current step's deadline */
	int		 h_state;
	int		 h_keep;	/* watch: keep the connection open */
	uint64_t	 h_connect_to;	/* usec */
	uint64_t	 h_query_to;
	struct sample	 h_sample;	/* the latest answer */
	struct sample	 h_answer;	/* the query's, while it is drained */
	int		 h_answered;	/* h_answer holds the first result */
	uint64_t	 h_sampled;	/* mono usec of h_sample */
	uint64_t	 h_started;	/* mono usec the last sample began */
	conn_cb		 h_done;	/* a sample arrived or the host fell */
	void		*h_arg;
};

/* Names the host from its conninfo; -1 with err if it does not parse. */
int	conn_init(struct host *, struct event_base *, const char *conninfo,
	    int *has_password, char *err, size_t errlen);
/* Connects if closed, then queries; h_done is called exactly once. */
void	conn_sample(struct host *);
void	conn_close(struct host *);
void	conn_free(struct host *);

#endif
