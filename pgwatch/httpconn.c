/* SPDX-License-Identifier: ISC */
/*
 * --http's connections, bounded: at most HTTPCONN_MAX open, and each
 * request complete within HTTPCONN_DEADLINE seconds of its connection
 * opening or of the previous answer on it.  evhttp's own timeout restarts
 * at every byte read, so a client sending one header byte a second
 * (slowloris) was never cut, and libevent 2.1 has no connection cap.
 *
 * evhttp tells of a new connection only through the bufferevent it asks
 * for (evhttp_set_bevcb); once it has set its callbacks on it, their
 * argument is the connection, on which a close callback tells when it
 * goes.  At the cap a new connection closes the one that has waited
 * longest for its request, rather than wait in the listen queue behind
 * slow clients: a health check takes milliseconds, so only a client that
 * is not sending a request loses its place.
 */
#include <sys/queue.h>

#include <stdlib.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "httpconn.h"
#include "log.h"

struct hconn {
	TAILQ_ENTRY(hconn)	 c_entry;
	struct httpconns	*c_set;
	struct bufferevent	*c_bev;		/* evhttp's, held until c_evcon */
	struct evhttp_connection *c_evcon;	/* known from the first event */
	struct event		*c_ev;		/* first look, deadline, close */
	int			 c_closing;	/* its close is under way */
};

struct httpconns {
	TAILQ_HEAD(, hconn)	 s_conns;	/* longest waiting first */
	struct evconnlistener	*s_lev;
	int			 s_open;	/* not yet closed by evhttp */
	int			 s_live;	/* ... and not being closed */
	int			 s_paused;
};

static void
httpconn_forget(struct hconn *c)
{
	struct httpconns *set = c->c_set;

	TAILQ_REMOVE(&set->s_conns, c, c_entry);
	set->s_open--;
	if (!c->c_closing)
		set->s_live--;
	event_free(c->c_ev);
	free(c);
	if (set->s_paused && set->s_open < 2 * HTTPCONN_MAX &&
	    set->s_lev != NULL) {
		evconnlistener_enable(set->s_lev);
		set->s_paused = 0;
	}
}

/* evhttp_connection_set_closecb: evhttp is freeing the connection. */
static void
httpconn_closed(struct evhttp_connection *evcon, void *arg)
{
	httpconn_forget(arg);
}

/*
 * The first event, run in the loop pass that accepted the connection:
 * evhttp has set its callbacks on the bufferevent, or has already freed it
 * (out of memory), which the reference held since httpconn_new() makes
 * safe to tell.
 */
static int
httpconn_setup(struct hconn *c)
{
	struct timeval tv = { HTTPCONN_DEADLINE, 0 };
	bufferevent_data_cb rd;
	void *arg;

	bufferevent_getcb(c->c_bev, &rd, NULL, NULL, &arg);
	if (rd == NULL || arg == NULL) {
		bufferevent_decref(c->c_bev);
		httpconn_forget(c);
		return -1;
	}
	c->c_evcon = arg;
	evhttp_connection_set_closecb(c->c_evcon, httpconn_closed, c);
	bufferevent_decref(c->c_bev);
	c->c_bev = NULL;
	evtimer_add(c->c_ev, &tv);
	return 0;
}

/*
 * Closes run from the loop, never inside evhttp's callbacks (the cap is
 * met in evhttp's accept path): EV_TIMEOUT is the deadline, EV_READ the
 * first look or an eviction.
 */
static void
httpconn_event(evutil_socket_t fd, short what, void *arg)
{
	struct hconn *c = arg;

	if (c->c_evcon == NULL && httpconn_setup(c) == -1)
		return;
	if ((what & EV_TIMEOUT) && !c->c_closing) {
		c->c_closing = 1;
		c->c_set->s_live--;
		log_debug("http: a request not complete within %d s, closed",
		    HTTPCONN_DEADLINE);
	}
	if (c->c_closing)
		evhttp_connection_free(c->c_evcon);	/* calls _closed */
}

/* Marks the oldest live connection closing and closes it from the loop. */
static void
httpconn_evict(struct httpconns *set)
{
	struct hconn *c;

	TAILQ_FOREACH(c, &set->s_conns, c_entry)
		if (!c->c_closing)
			break;
	if (c == NULL)
		return;
	c->c_closing = 1;
	set->s_live--;
	event_active(c->c_ev, EV_READ, 1);
	log_debug("http: %d connections, the oldest closed", HTTPCONN_MAX);
}

/*
 * evhttp_set_bevcb: a new connection.  It cannot be refused here (NULL
 * makes evhttp build an uncounted one), so the cap is kept by evicting,
 * and the listener pauses while closes are still under way for as many
 * connections again.
 */
static struct bufferevent *
httpconn_new(struct event_base *base, void *arg)
{
	struct httpconns *set = arg;
	struct hconn *c;

	if (set->s_live >= HTTPCONN_MAX)
		httpconn_evict(set);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto fail;
	c->c_set = set;
	/* as evhttp makes it: evhttp closes the socket */
	if ((c->c_ev = event_new(base, -1, 0, httpconn_event, c)) == NULL ||
	    (c->c_bev = bufferevent_socket_new(base, -1, 0)) == NULL)
		goto fail;
	bufferevent_incref(c->c_bev);
	TAILQ_INSERT_TAIL(&set->s_conns, c, c_entry);
	set->s_open++;
	set->s_live++;
	event_active(c->c_ev, EV_READ, 1);
	if (set->s_open >= 2 * HTTPCONN_MAX && !set->s_paused) {
		evconnlistener_disable(set->s_lev);
		set->s_paused = 1;
	}
	return c->c_bev;
fail:
	/* evhttp makes its own bufferevent: uncounted, under its timeout */
	log_warnx_rl("http: out of memory for a connection");
	if (c != NULL && c->c_ev != NULL)
		event_free(c->c_ev);
	free(c);
	return NULL;
}

struct httpconns *
httpconn_init(struct evhttp *http, struct evhttp_bound_socket *bound)
{
	struct httpconns *set;

	if ((set = calloc(1, sizeof(*set))) == NULL)
		return NULL;
	TAILQ_INIT(&set->s_conns);
	set->s_lev = evhttp_bound_socket_get_listener(bound);
	evhttp_set_bevcb(http, httpconn_new, set);
	return set;
}

/* req arrived whole: the next request's time on its connection starts. */
void
httpconn_answered(struct httpconns *set, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct timeval tv = { HTTPCONN_DEADLINE, 0 };
	struct hconn *c;

	if (set == NULL || evcon == NULL)
		return;
	TAILQ_FOREACH(c, &set->s_conns, c_entry)
		if (c->c_evcon == evcon)
			break;
	if (c == NULL || c->c_closing)
		return;
	TAILQ_REMOVE(&set->s_conns, c, c_entry);
	TAILQ_INSERT_TAIL(&set->s_conns, c, c_entry);
	evtimer_add(c->c_ev, &tv);
}

/*
 * evhttp_free() frees the listener, then closes every connection it
 * knows (httpconn_closed); one whose first look is still due is let go
 * here.
 */
void
httpconn_free(struct httpconns *set, struct evhttp *http)
{
	struct hconn *c;

	if (set != NULL)
		set->s_lev = NULL;
	evhttp_free(http);
	if (set == NULL)
		return;
	while ((c = TAILQ_FIRST(&set->s_conns)) != NULL) {
		if (c->c_bev != NULL)
			bufferevent_decref(c->c_bev);
		httpconn_forget(c);
	}
	free(set);
}
