/* SPDX-License-Identifier: ISC */
/*
 * The listening sockets: one per bind address and worker, accept() with
 * a slot reserved under maxconn first, and the pause that follows
 * (maxconn reached, an accept rate limit reached, out of descriptors, a
 * reload or a stop).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "duration.h"
#include "log.h"
#include "proxy.h"

#define PROXY_MAXACCEPTS	16	/* per wake-up, then others */
#define PROXY_BACKLOG		128	/* as evconnlistener's */

static int
listen_over_limit_locked(struct hp_ctx *ctx, struct hp_frontend *fe)
{
	/* a frontend disabled or shut down from the stats socket too */
	return (ctx->c_maxconn > 0 && ctx->c_cur >= ctx->c_maxconn) ||
	    (fe != NULL && (fe->f_paused || (fe->f_maxconn > 0 &&
	    fe->f_cur >= fe->f_maxconn)));
}

/*
 * Milliseconds before fe may accept under maxconnrate, maxsessrate and
 * its rate-limit sessions; 0: now.  As haproxy's listener_accept(), a
 * listener past a rate pauses and its clients wait in the backlog: none
 * is refused, they come in later at the rate.
 */
static unsigned
listen_rate_wait_locked(struct hp_ctx *ctx, struct hp_frontend *fe,
    uint64_t now)
{
	unsigned w, wait = rate_wait(&ctx->c_rate, now,
	    ctx->c_cf.cf_maxconnrate);

	if ((w = rate_wait(&ctx->c_rate, now, ctx->c_cf.cf_maxsessrate)) >
	    wait)
		wait = w;
	if ((w = rate_wait(&fe->f_rate, now, fe->f_ratelim)) > wait)
		wait = w;
	return wait;
}

/* one accept counted (n = 1) or taken back (n = -1) */
static void
listen_rate_add_locked(struct hp_ctx *ctx, struct hp_frontend *fe,
    uint64_t now, int n)
{
	rate_add(&ctx->c_rate, now, n);
	rate_add(&fe->f_rate, now, n);
}

static void
listen_ratewait_end(evutil_socket_t fd, short what, void *arg)
{
	struct hp_ctx *ctx = arg;

	thread_lock(ctx);
	listen_resume_locked(ctx);
	thread_unlock(ctx);
}

/* listen_resume_locked runs again in ms, when a rate lets one more in */
static void
listen_ratewait_locked(struct hp_ctx *ctx, unsigned ms)
{
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };

	if (ctx->c_ratewait == NULL &&
	    (ctx->c_ratewait = evtimer_new(ctx->c_base, listen_ratewait_end,
	    ctx)) == NULL) {
		log_warnx("cannot wait for the accept rate: out of memory");
		return;
	}
	evtimer_add(ctx->c_ratewait, &tv);
}

/*
 * Runs in w's thread: frees the listeners a reload or a stop dropped and
 * arms or disarms the others as l_want says.  Only here and in
 * listen_accept does a listener's event change, so event_del() never
 * waits on a callback running in another thread.
 */
void
listen_worker_kick_locked(struct hp_worker *w)
{
	struct hp_listener *l;

	while ((l = LIST_FIRST(&w->w_dead)) != NULL) {
		LIST_REMOVE(l, l_entry);
		listen_free(l);
	}
	LIST_FOREACH(l, &w->w_ctx->c_listeners, l_entry) {
		if (l->l_w != w || l->l_want == l->l_paused)
			continue;
		if (l->l_want)
			event_del(l->l_ev);
		else if (event_add(l->l_ev, NULL) == -1) {
			log_warnx("cannot listen: out of memory");
			continue;
		}
		l->l_paused = l->l_want;
	}
}

/* Stops or restarts accepting to honour maxconn and EMFILE back-off. */
void
listen_resume_locked(struct hp_ctx *ctx)
{
	struct hp_listener *l;
	int backoff = ctx->c_backoff != NULL &&
	    evtimer_pending(ctx->c_backoff, NULL);
	uint64_t now = mono_usec() / 1000;
	unsigned w, wait = 0;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry) {
		/* no frontend: dropped, or new and not yet given one */
		int stop = l->l_fe == NULL || ctx->c_draining || backoff ||
		    listen_over_limit_locked(ctx, l->l_fe);

		if (!stop && (w = listen_rate_wait_locked(ctx, l->l_fe,
		    now)) > 0) {
			stop = 1;
			if (wait == 0 || w < wait)
				wait = w;
		}
		if (stop == l->l_want && stop == l->l_paused)
			continue;
		l->l_want = stop;
		thread_kick(l->l_w);
	}
	if (wait > 0)
		listen_ratewait_locked(ctx, wait);
}

void
listen_pause_all_locked(struct hp_ctx *ctx)
{
	struct hp_listener *l;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry) {
		l->l_want = 1;
		if (!l->l_paused)
			thread_kick(l->l_w);
	}
}

void
frontend_unref_locked(struct hp_frontend *fe)
{
	if (fe == NULL || --fe->f_refs > 0)
		return;
	rules_detach(fe);
	backend_unref(fe->f_be);
	free(fe);
}

/* A connection slot was given back: maybe the end, maybe accept again. */
void
listen_settle_locked(struct hp_ctx *ctx)
{
	if (ctx->c_draining && ctx->c_cur == 0)
		thread_loopexit(ctx);
	else
		listen_resume_locked(ctx);
}

/*
 * The listening socket is readable.  A slot is taken under the lock
 * before accept(), so maxconn holds exactly however many threads
 * accept; at the limit the listener pauses (listen_resume_locked) until a slot
 * frees.  Lock not held.
 */
static void
listen_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct hp_listener *l = arg;
	struct hp_ctx *ctx = l->l_ctx;
	struct hp_frontend *fe;
	struct hp_conn *c;
	struct sockaddr_storage ss;
	socklen_t sslen;
	uint64_t now;
	int k, fd, err, one = 1;

	for (k = 0; k < PROXY_MAXACCEPTS; k++) {
		thread_lock(ctx);
		fe = l->l_fe;
		now = mono_usec() / 1000;
		/* a frontend with no backend accepts too, to close at once
		 * (conn_accepted_locked), as haproxy */
		if (fe == NULL || ctx->c_draining ||
		    listen_over_limit_locked(ctx, fe) ||
		    listen_rate_wait_locked(ctx, fe, now) > 0) {
			/* dropped by a reload or a stop, full, or too fast */
			listen_resume_locked(ctx);
			thread_unlock(ctx);
			return;
		}
		ctx->c_cur++;
		fe->f_cur++;
		fe->f_refs++;
		/* counted before accept(), as the slot: with threads, two
		 * could otherwise both take the last one in the second */
		listen_rate_add_locked(ctx, fe, now, 1);
		thread_unlock(ctx);

		memset(&ss, 0, sizeof(ss));
		sslen = sizeof(ss);
		fd = accept4(lfd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		err = errno;
		c = NULL;
		if (fd != -1) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
			    sizeof(one));
			tcpka_set(fd, &fe->f_tcpka);
			if ((c = calloc(1, sizeof(*c))) == NULL)
				close(fd);
		}

		thread_lock(ctx);
		if (c == NULL) {
			listen_rate_add_locked(ctx, fe, now, -1);
			conn_unreserve_locked(ctx, fe);
			if (fd == -1 && listen_out_of_fds(err))
				listen_backoff_locked(ctx, "accept", err);
			else if (fd == -1 && !pump_retriable(err) &&
			    err != ECONNABORTED)
				log_debug_rl("accept: %s", strerror(err));
			thread_unlock(ctx);
			return;
		}
		rate_keep_max(&ctx->c_rate);
		rate_keep_max(&fe->f_rate);
		if (l->l_addr.ca_acceptproxy)
			conn_wait_header_locked(l->l_w, fe, c, fd, &ss);
		else
			conn_accepted_locked(l->l_w, fe, c, fd, &ss, 0);
		thread_unlock(ctx);
	}
}

static void
listen_backoff_end(evutil_socket_t fd, short what, void *arg)
{
	struct hp_ctx *ctx = arg;

	thread_lock(ctx);
	log_info_rl("accepting again");
	listen_resume_locked(ctx);
	thread_unlock(ctx);
}

/*
 * tmux server_accept(): out of descriptors, back off instead of spinning.
 * As haproxy's listeners, for 100ms: long enough not to spin, short
 * enough that nobody waits on it.  With maxconn derived from the file
 * limit (limits.c) only descriptors opened elsewhere bring it here.
 */
void
listen_backoff_locked(struct hp_ctx *ctx, const char *what, int err)
{
	struct timeval tv = { 0, 100000 };

	if (ctx->c_backoff == NULL &&
	    (ctx->c_backoff = evtimer_new(ctx->c_base, listen_backoff_end,
	    ctx)) == NULL)
		return;
	if (!evtimer_pending(ctx->c_backoff, NULL)) {
		log_warnx_rl("%s: %s; pausing for 100ms", what, strerror(err));
		evtimer_add(ctx->c_backoff, &tv);
		listen_pause_all_locked(ctx);
	}
}

int
listen_out_of_fds(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	    err == ENOMEM;
}

/*
 * Binds l->l_addr for l->l_w, paused: listen_resume_locked arms it from its own
 * thread.  With several workers each has its own socket on the address
 * (SO_REUSEPORT) and the kernel spreads new connections over them.
 */
int
listen_open(struct hp_ctx *ctx, struct hp_listener *l)
{
	int fd, one = 1;

	l->l_ctx = ctx;
	l->l_paused = l->l_want = 1;
	fd = socket(l->l_addr.ca_ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
	    -1 || (ctx->c_threaded && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT,
	    &one, sizeof(one)) == -1) ||
	    bind(fd, (struct sockaddr *)&l->l_addr.ca_ss,
	    l->l_addr.ca_sslen) == -1 || listen(fd, PROXY_BACKLOG) == -1 ||
	    (l->l_ev = event_new(l->l_w->w_base, fd, EV_READ | EV_PERSIST,
	    listen_accept, l)) == NULL) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	l->l_fd = fd;
	l->l_want = 0;
	return 0;
}

/*
 * A socket kept from a frontend disabled or shut down on the stats
 * socket (no longer listening, still bound) listens again.
 */
int
listen_again(struct hp_listener *l)
{
	return listen(l->l_fd, PROXY_BACKLOG);
}

/* In l's thread, or before it armed l. */
void
listen_free(struct hp_listener *l)
{
	event_free(l->l_ev);
	close(l->l_fd);
	free(l);
}

/*
 * Closes the listeners (those a reload did not mark, or all).  A
 * listener of another thread goes to that thread to be freed: its
 * callback may be waiting for the lock right now.
 */
void
listen_close_locked(struct hp_ctx *ctx, int unmarked_only)
{
	struct hp_listener *l, *next;

	for (l = LIST_FIRST(&ctx->c_listeners); l != NULL; l = next) {
		next = LIST_NEXT(l, l_entry);
		if (unmarked_only && l->l_mark)
			continue;
		LIST_REMOVE(l, l_entry);
		frontend_unref_locked(l->l_fe);
		l->l_fe = NULL;
		if (l->l_w == thread_self())
			listen_free(l);
		else {
			LIST_INSERT_HEAD(&l->l_w->w_dead, l, l_entry);
			thread_kick(l->l_w);
		}
	}
}
