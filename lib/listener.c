/* SPDX-License-Identifier: ISC */
/*
 * The listening socket's back-off (see listener.h).
 */
#include <errno.h>
#include <stdlib.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "listener.h"

struct listener {
	struct evconnlistener	*l_lev;
	struct event		*l_resume;
	evconnlistener_cb	 l_fn;
	void			*l_arg;
};

static void
listener_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener *l = arg;

	l->l_fn(lev, fd, sa, salen, l->l_arg);
}

static void
listener_resume(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;

	evconnlistener_enable(l->l_lev);
}

/* Out of descriptors or memory: pause a second rather than spin. */
static void
listener_error(struct evconnlistener *lev, void *arg)
{
	struct listener *l = arg;
	struct timeval tv = { 1, 0 };
	int err = EVUTIL_SOCKET_ERROR();

	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM)
		return;
	evconnlistener_disable(lev);
	if (evtimer_add(l->l_resume, &tv) == -1)
		evconnlistener_enable(lev);
}

struct listener *
listener_open(struct event_base *base, evconnlistener_cb fn, void *arg,
    unsigned flags, const struct sockaddr *sa, int salen)
{
	struct listener *l;
	int saved;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->l_fn = fn;
	l->l_arg = arg;
	if ((l->l_resume = evtimer_new(base, listener_resume, l)) == NULL) {
		saved = errno;
		free(l);
		errno = saved;
		return NULL;
	}
	l->l_lev = evconnlistener_new_bind(base, listener_accept, l, flags, 16,
	    sa, salen);
	if (l->l_lev == NULL) {
		saved = errno;
		event_free(l->l_resume);
		free(l);
		errno = saved;
		return NULL;
	}
	evconnlistener_set_error_cb(l->l_lev, listener_error);
	return l;
}

void
listener_close(struct listener *l)
{
	if (l == NULL)
		return;
	evconnlistener_free(l->l_lev);
	event_free(l->l_resume);
	free(l);
}
