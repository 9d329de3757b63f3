/* SPDX-License-Identifier: ISC */
/*
 * A listening socket that backs off instead of spinning: when accept
 * fails for want of descriptors or memory, the socket stays readable
 * and libevent would call accept again at once, burning the CPU the
 * daemon needs to close connections and recover.  The listener pauses
 * a second instead.
 */
#ifndef HT_LISTENER_H
#define HT_LISTENER_H

#include <sys/socket.h>

#include <event2/event.h>
#include <event2/listener.h>

struct listener;

/*
 * evconnlistener_new_bind with the back-off: fn is called with arg for
 * each connection.  NULL and errno on failure.
 */
struct listener	*listener_open(struct event_base *, evconnlistener_cb fn,
		    void *arg, unsigned flags, const struct sockaddr *,
		    int salen);
/* Closes the socket (with LEV_OPT_CLOSE_ON_FREE); NULL is a no-op. */
void		 listener_close(struct listener *);

#endif
