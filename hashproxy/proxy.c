/*
 * The L4 proxy: listeners accept, a connection picks a server and pairs
 * two bufferevents (libevent sample/le-proxy.c).  Input moves to the
 * partner's output; past PROXY_MAXBUF the reader stops until the partner
 * drained, so a slow reader never grows memory.  Half-closes are passed
 * on.  A failed connect is retried, then redispatched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <event2/buffer.h>

#include "duration.h"
#include "log.h"
#include "hashproxy.h"

#define PROXY_MAXBUF		(64 * 1024)
#define PROXY_EVREAD		4096	/* libevent 2.1's EVBUFFER_MAX_READ */
#define PROXY_TCONNECT_DEF	5000000ULL	/* no "timeout connect" */
#define PROXY_TURNAROUND	1000000ULL	/* retry pause, at most */

enum conn_queue { Q_NONE, Q_WAITING, Q_CONNECT, Q_REPICK };

struct hp_conn {
	LIST_ENTRY(hp_conn) c_entry;
	TAILQ_ENTRY(hp_conn) c_qentry;
	enum conn_queue	 c_q;
	struct event	*c_qtimer;	/* queue timeout, or a deferred step */
	struct hp_ctx	*c_ctx;
	struct hp_frontend *c_fe;
	struct hp_backend *c_be;
	struct hp_server *c_srv;
	struct bufferevent *c_cli, *c_bev;	/* client, server */
	/* the client's address, for hashing: not a 128-byte storage */
	union {
		struct sockaddr		sa;
		struct sockaddr_in	sin;
		struct sockaddr_in6	sin6;
	}		 c_src;
	int		 c_attempts;
	int		 c_connected;
	int		 c_eof_cli, c_eof_srv;
	int		 c_shut_cli, c_shut_srv;
	uint64_t	 c_last;
};

static void proxy_connect(struct hp_conn *);
static void proxy_start(struct hp_conn *);
static void proxy_close(struct hp_conn *);
static void proxy_backoff(struct hp_ctx *, const char *, int);
static int proxy_out_of_fds(int);
static void proxy_backoff_end(evutil_socket_t, short, void *);

static int
proxy_over_limit(struct hp_ctx *ctx, struct hp_frontend *fe)
{
	return (ctx->c_maxconn > 0 && ctx->c_cur >= ctx->c_maxconn) ||
	    (fe != NULL && fe->f_maxconn > 0 && fe->f_cur >= fe->f_maxconn);
}

/* Stops or restarts accepting to honour maxconn and EMFILE back-off. */
void
proxy_resume(struct hp_ctx *ctx)
{
	struct hp_listener *l;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry) {
		int stop = ctx->c_draining || proxy_over_limit(ctx, l->l_fe) ||
		    (ctx->c_backoff != NULL && evtimer_pending(ctx->c_backoff,
		    NULL));

		if (stop && !l->l_paused)
			evconnlistener_disable(l->l_ev);
		else if (!stop && l->l_paused)
			evconnlistener_enable(l->l_ev);
		l->l_paused = stop;
	}
}

void
proxy_pause_all(struct hp_ctx *ctx)
{
	struct hp_listener *l;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry) {
		if (!l->l_paused)
			evconnlistener_disable(l->l_ev);
		l->l_paused = 1;
	}
}

void
proxy_frontend_unref(struct hp_frontend *fe)
{
	if (fe == NULL || --fe->f_refs > 0)
		return;
	backend_unref(fe->f_be);
	free(fe);
}

static int
proxy_server_full(const struct hp_server *s)
{
	return s->s_cf.sv_maxconn > 0 && s->s_cur >= s->s_cf.sv_maxconn;
}

/* Takes c out of its server's queue (it keeps its server reference). */
static void
proxy_unqueue(struct hp_conn *c)
{
	if (c->c_q != Q_WAITING)
		return;
	TAILQ_REMOVE(&c->c_srv->s_queue, c, c_qentry);
	c->c_srv->s_qcur--;
	c->c_q = Q_NONE;
}

/* Runs a queued step from the loop, never from deep inside a close. */
static void proxy_qtimer(evutil_socket_t, short, void *);

/* The queue timer, made only for the few connections that need it. */
static int
proxy_qtimer_arm(struct hp_conn *c, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);

	if (c->c_qtimer == NULL && (c->c_qtimer = evtimer_new(c->c_ctx->c_base,
	    proxy_qtimer, c)) == NULL)
		return -1;
	return evtimer_add(c->c_qtimer, &tv);
}

static void
proxy_defer(struct hp_conn *c, enum conn_queue q)
{
	c->c_q = q;
	if (proxy_qtimer_arm(c, 0) == -1) {
		/* out of memory: do it now rather than never */
		c->c_q = Q_NONE;
		if (q == Q_CONNECT)
			proxy_connect(c);
		else
			proxy_start(c);
	}
}

/* A connection takes a slot on s: the counters show stat reads. */
static void
proxy_server_take(struct hp_server *s)
{
	s->s_cur++;
	s->s_tot++;
	s->s_lastsess = mono_usec();
	if (s->s_cur > s->s_max)
		s->s_max = s->s_cur;
	if (s->s_be != NULL) {
		s->s_be->b_cur++;
		s->s_be->b_tot++;
		s->s_be->b_lastsess = s->s_lastsess;
	}
}

/* A slot freed on s: the oldest queued connection takes it. */
static void
proxy_dequeue(struct hp_server *s)
{
	struct hp_conn *c;

	while ((c = TAILQ_FIRST(&s->s_queue)) != NULL &&
	    !proxy_server_full(s)) {
		proxy_unqueue(c);
		proxy_server_take(s);
		proxy_defer(c, Q_CONNECT);
	}
}

static void
proxy_release_server(struct hp_conn *c)
{
	struct hp_server *s = c->c_srv;

	if (s == NULL)
		return;
	c->c_srv = NULL;
	if (c->c_q == Q_WAITING) {
		/* it never held a slot */
		TAILQ_REMOVE(&s->s_queue, c, c_qentry);
		s->s_qcur--;
		c->c_q = Q_NONE;
		server_unref(s);
		return;
	}
	s->s_cur--;
	if (s->s_be != NULL)
		s->s_be->b_cur--;
	proxy_dequeue(s);
	server_unref(s);
}

void
proxy_requeue(struct hp_server *s)
{
	struct hp_conn *c;

	while ((c = TAILQ_FIRST(&s->s_queue)) != NULL) {
		proxy_unqueue(c);
		c->c_srv = NULL;
		server_unref(s);
		proxy_defer(c, Q_REPICK);
	}
}

static void
proxy_qtimer(evutil_socket_t fd, short what, void *arg)
{
	struct hp_conn *c = arg;

	switch (c->c_q) {
	case Q_WAITING:
		/* timeout queue: haproxy answers 503, we close */
		log_debug("server %s: queue timeout", c->c_srv->s_cf.sv_name);
		proxy_close(c);
		break;
	case Q_CONNECT:
		c->c_q = Q_NONE;
		proxy_connect(c);
		break;
	case Q_REPICK:
		c->c_q = Q_NONE;
		proxy_start(c);
		break;
	case Q_NONE:
		break;
	}
}

static void
proxy_close(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->c_ctx;

	LIST_REMOVE(c, c_entry);
	if (c->c_qtimer != NULL)
		event_free(c->c_qtimer);
	if (c->c_cli != NULL)
		bufferevent_free(c->c_cli);
	if (c->c_bev != NULL)
		bufferevent_free(c->c_bev);
	proxy_release_server(c);
	backend_unref(c->c_be);
	c->c_fe->f_cur--;
	proxy_frontend_unref(c->c_fe);
	ctx->c_cur--;
	free(c);
	if (ctx->c_draining && ctx->c_cur == 0)
		event_base_loopexit(ctx->c_base, NULL);
	else
		proxy_resume(ctx);
}

static void
proxy_count(struct hp_conn *c, int from_client, size_t n)
{
	if (from_client) {
		c->c_fe->f_bin += n;
		if (c->c_srv != NULL) {
			c->c_srv->s_bin += n;
			if (c->c_srv->s_be)
				c->c_srv->s_be->b_bin += n;
		}
	} else {
		c->c_fe->f_bout += n;
		if (c->c_srv != NULL) {
			c->c_srv->s_bout += n;
			if (c->c_srv->s_be)
				c->c_srv->s_be->b_bout += n;
		}
	}
}

/*
 * libevent 2.1 reads at most 4 kB per call, each after an ioctl and an
 * epoll turn: a bulk transfer would cost four syscalls per 4 kB.  While
 * the partner takes everything, move the rest in 64 kB steps, recv()
 * straight into send().  EOF and errors are left in the socket for the
 * bufferevent to report on its next read; whatever the partner does not
 * take goes to its output, which libevent then writes (and reports).
 */
static int
proxy_pump(struct hp_conn *c, int fromcli, int fd, struct bufferevent *to,
    struct evbuffer *out)
{
	static char buf[PROXY_MAXBUF];	/* one thread: one scratch buffer */
	int tofd = bufferevent_getfd(to);
	ssize_t n, w;

	while (evbuffer_get_length(out) == 0) {
		if ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) <= 0)
			return 0;
		c->c_last = mono_usec();
		proxy_count(c, fromcli, (size_t)n);
		if ((w = send(tofd, buf, (size_t)n, MSG_DONTWAIT |
		    MSG_NOSIGNAL)) == -1)
			w = 0;
		/* bytes already read must reach the partner or nobody */
		if (w < n)
			return evbuffer_add(out, buf + w, (size_t)(n - w));
		if (n < (ssize_t)sizeof(buf))
			return 0;
	}
	return 0;
}

static void
proxy_read(struct bufferevent *bev, void *arg)
{
	struct hp_conn *c = arg;
	int fromcli = bev == c->c_cli;
	struct bufferevent *to = fromcli ? c->c_bev : c->c_cli;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	struct evbuffer *out = bufferevent_get_output(to);

	c->c_last = mono_usec();
	proxy_count(c, fromcli, n);
	/*
	 * Nothing queued for the partner: write at once instead of waiting
	 * a loop turn for its write event; only a remainder is queued (an
	 * error shows up when the bufferevent writes that remainder).
	 */
	if (evbuffer_get_length(out) == 0)
		(void)evbuffer_write(in, bufferevent_getfd(to));
	evbuffer_add_buffer(out, in);
	/* a full 4 kB read (libevent 2.1's cap) means more is waiting */
	if (n >= PROXY_EVREAD &&
	    proxy_pump(c, fromcli, bufferevent_getfd(bev), to, out) == -1) {
		log_warnx("connection closed: out of memory for its data");
		proxy_close(c);
		return;
	}
	/* back-pressure: stop reading until the partner drained */
	if (evbuffer_get_length(bufferevent_get_output(to)) >= PROXY_MAXBUF)
		bufferevent_disable(bev, EV_READ);
}

/* The shut-down of one direction once its data is all written. */
static void
proxy_shut(struct hp_conn *c, struct bufferevent *to)
{
	int *shut = to == c->c_cli ? &c->c_shut_cli : &c->c_shut_srv;

	if (*shut || evbuffer_get_length(bufferevent_get_output(to)) > 0)
		return;
	shutdown(bufferevent_getfd(to), SHUT_WR);
	*shut = 1;
}

static int
proxy_finished(struct hp_conn *c)
{
	return c->c_shut_cli && c->c_shut_srv;
}

/* Called with the output drained (low watermark 0). */
static void
proxy_write(struct bufferevent *bev, void *arg)
{
	struct hp_conn *c = arg;
	int tocli = bev == c->c_cli;
	struct bufferevent *from = tocli ? c->c_bev : c->c_cli;
	int from_eof = tocli ? c->c_eof_srv : c->c_eof_cli;

	c->c_last = mono_usec();
	if (from_eof) {
		proxy_shut(c, bev);
		if (proxy_finished(c))
			proxy_close(c);
		return;
	}
	if (!(bufferevent_get_enabled(from) & EV_READ))
		bufferevent_enable(from, EV_READ);
}

static void
proxy_data_event(struct bufferevent *bev, short what, void *arg)
{
	struct hp_conn *c = arg;
	int fromcli = bev == c->c_cli;
	struct bufferevent *to = fromcli ? c->c_bev : c->c_cli;
	uint64_t idle;

	if (what & BEV_EVENT_TIMEOUT) {
		/* idle only if the other direction was quiet as well */
		idle = fromcli ? c->c_fe->f_tclient :
		    c->c_be->b_cf.be_tserver;
		if (mono_usec() - c->c_last < idle) {
			bufferevent_enable(bev, EV_READ);
			return;
		}
		proxy_close(c);
		return;
	}
	if (what & BEV_EVENT_ERROR) {
		proxy_close(c);
		return;
	}
	if (what & BEV_EVENT_EOF) {
		/* pass anything still buffered, then the half-close */
		proxy_read(bev, c);
		bufferevent_disable(bev, EV_READ);
		if (fromcli)
			c->c_eof_cli = 1;
		else
			c->c_eof_srv = 1;
		proxy_shut(c, to);
		if (c->c_eof_cli && c->c_eof_srv && proxy_finished(c))
			proxy_close(c);
	}
}

static void
proxy_set_timeouts(struct hp_conn *c)
{
	struct timeval tc, ts;

	tc = duration_tv(c->c_fe->f_tclient);
	ts = duration_tv(c->c_be->b_cf.be_tserver);
	bufferevent_set_timeouts(c->c_cli, c->c_fe->f_tclient ? &tc : NULL,
	    NULL);
	bufferevent_set_timeouts(c->c_bev, c->c_be->b_cf.be_tserver ? &ts :
	    NULL, NULL);
}

static void
proxy_connected(struct hp_conn *c)
{
	int one = 1;

	c->c_connected = 1;
	c->c_last = mono_usec();
	setsockopt(bufferevent_getfd(c->c_bev), IPPROTO_TCP, TCP_NODELAY,
	    &one, sizeof(one));
	bufferevent_setcb(c->c_bev, proxy_read, proxy_write, proxy_data_event,
	    c);
	bufferevent_setcb(c->c_cli, proxy_read, proxy_write, proxy_data_event,
	    c);
	proxy_set_timeouts(c);
	bufferevent_enable(c->c_cli, EV_READ | EV_WRITE);
	bufferevent_enable(c->c_bev, EV_READ | EV_WRITE);
}

/*
 * haproxy's turn-around: a retry on the same server after a refused (not
 * a timed out) attempt waits min("timeout connect", 1s), so a restarting
 * server is not hammered; a redispatch goes at once.
 */
static uint64_t
proxy_turnaround(const struct hp_backend *be)
{
	uint64_t tc = be->b_cf.be_tconnect;

	return tc != 0 && tc < PROXY_TURNAROUND ? tc : PROXY_TURNAROUND;
}

/* A connect attempt failed: retry, then redispatch, then give up. */
static void
proxy_connect_failed(struct hp_conn *c, const char *why, int timedout)
{
	struct hp_server *failed = c->c_srv;
	struct hp_backend *be = c->c_be;

	bufferevent_free(c->c_bev);
	c->c_bev = NULL;
	failed->s_econ++;
	if (failed->s_be != NULL)
		failed->s_be->b_econ++;
	log_debug("connect to %s/%s failed: %s (attempt %d)",
	    be->b_cf.be_name, failed->s_cf.sv_name, why, c->c_attempts);
	if (c->c_attempts > be->b_cf.be_retries) {
		proxy_release_server(c);
		proxy_close(c);
		return;
	}
	/* a reload replaced the backend: retry in its successor */
	while (be->b_retired && be->b_next != NULL) {
		be->b_next->b_refs++;
		backend_unref(c->c_be);
		be = c->c_be = be->b_next;
	}
	/* "option redispatch": the last retry, or any retry once the
	 * server is known down, goes to another server */
	if (be->b_cf.be_redispatch && (c->c_attempts == be->b_cf.be_retries ||
	    !server_usable(failed) || failed->s_be != be)) {
		struct hp_server *alt = backend_pick(be,
		    &c->c_src.sa, failed);

		if (alt != NULL && alt != failed) {
			failed->s_wredis++;
			proxy_release_server(c);
			alt->s_refs++;
			alt->s_cur++;
			alt->s_tot++;
			alt->s_lastsess = mono_usec();
			if (alt->s_be != NULL)
				alt->s_be->b_cur++;
			c->c_srv = alt;
			if (alt->s_cur > alt->s_max)
				alt->s_max = alt->s_cur;
			proxy_connect(c);
			return;
		}
	}
	failed->s_wretr++;
	if (timedout || proxy_qtimer_arm(c, proxy_turnaround(be)) == -1) {
		proxy_connect(c);
		return;
	}
	c->c_q = Q_CONNECT;
}

static void
proxy_connect_event(struct bufferevent *bev, short what, void *arg)
{
	struct hp_conn *c = arg;

	if (what & BEV_EVENT_CONNECTED) {
		proxy_connected(c);
		return;
	}
	proxy_connect_failed(c, (what & BEV_EVENT_TIMEOUT) ?
	    "connect timeout" : strerror(EVUTIL_SOCKET_ERROR()),
	    (what & BEV_EVENT_TIMEOUT) != 0);
}

/* Connects c->c_srv (picked by the caller or by proxy_start). */
static void
proxy_connect(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->c_ctx;
	struct hp_server *s = c->c_srv;
	struct timeval tv;
	uint64_t tc = c->c_be->b_cf.be_tconnect ? c->c_be->b_cf.be_tconnect :
	    PROXY_TCONNECT_DEF;

	c->c_attempts++;
	c->c_bev = bufferevent_socket_new(ctx->c_base, -1,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->c_bev == NULL) {
		proxy_close(c);
		return;
	}
	tv = duration_tv(tc);
	bufferevent_setcb(c->c_bev, NULL, NULL, proxy_connect_event, c);
	bufferevent_set_timeouts(c->c_bev, NULL, &tv);
	if (bufferevent_socket_connect(c->c_bev,
	    (struct sockaddr *)&s->s_cf.sv_addr.ca_ss,
	    (int)s->s_cf.sv_addr.ca_sslen) == -1) {
		int err = errno;

		/* no socket: retrying now cannot help, stop accepting */
		if (proxy_out_of_fds(err)) {
			proxy_backoff(ctx, "connect", err);
			proxy_release_server(c);
			proxy_close(c);
			return;
		}
		proxy_connect_failed(c, strerror(err), 0);
	}
}

static void
proxy_start(struct hp_conn *c)
{
	struct hp_server *s;

	s = backend_pick(c->c_be, &c->c_src.sa, NULL);
	if (s == NULL) {
		log_debug("frontend %s: no server available", c->c_fe->f_name);
		proxy_close(c);
		return;
	}
	s->s_refs++;
	c->c_srv = s;
	if (proxy_server_full(s)) {
		/* wait for a slot, at most "timeout queue" (haproxy:
		 * "timeout connect" when unset) */
		uint64_t tq = c->c_be->b_cf.be_tqueue ? c->c_be->b_cf.be_tqueue :
		    c->c_be->b_cf.be_tconnect ? c->c_be->b_cf.be_tconnect :
		    PROXY_TCONNECT_DEF;

		TAILQ_INSERT_TAIL(&s->s_queue, c, c_qentry);
		c->c_q = Q_WAITING;
		if (++s->s_qcur > s->s_qmax)
			s->s_qmax = s->s_qcur;
		if (proxy_qtimer_arm(c, tq) == -1)
			proxy_close(c);
		return;
	}
	proxy_server_take(s);
	proxy_connect(c);
}

static void
proxy_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct hp_listener *l = arg;
	struct hp_ctx *ctx = l->l_ctx;
	struct hp_frontend *fe = l->l_fe;
	struct hp_conn *c;
	int one = 1;

	if (ctx->c_draining || fe->f_be == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	c->c_cli = bufferevent_socket_new(ctx->c_base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->c_cli == NULL) {
		evutil_closesocket(fd);
		free(c);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memcpy(&c->c_src, sa, (size_t)salen < sizeof(c->c_src) ?
	    (size_t)salen : sizeof(c->c_src));
	c->c_ctx = ctx;
	c->c_fe = fe;
	fe->f_refs++;
	c->c_be = fe->f_be;
	c->c_be->b_refs++;
	LIST_INSERT_HEAD(&ctx->c_conns, c, c_entry);
	ctx->c_cur++;
	ctx->c_tot++;
	fe->f_cur++;
	fe->f_tot++;
	if (fe->f_cur > fe->f_max)
		fe->f_max = fe->f_cur;
	/* the client waits in the kernel until the server answers */
	bufferevent_disable(c->c_cli, EV_READ);
	if (proxy_over_limit(ctx, fe))
		proxy_resume(ctx);
	proxy_start(c);
}

static void
proxy_backoff_end(evutil_socket_t fd, short what, void *arg)
{
	struct hp_ctx *ctx = arg;

	log_info("accepting again");
	proxy_resume(ctx);
}

/* tmux server_accept(): out of descriptors, back off instead of spinning. */
static void
proxy_backoff(struct hp_ctx *ctx, const char *what, int err)
{
	struct timeval tv = { 0, 250000 };

	if (ctx->c_backoff == NULL &&
	    (ctx->c_backoff = evtimer_new(ctx->c_base, proxy_backoff_end,
	    ctx)) == NULL)
		return;
	if (!evtimer_pending(ctx->c_backoff, NULL)) {
		log_warnx("%s: %s; pausing for 250ms", what, strerror(err));
		evtimer_add(ctx->c_backoff, &tv);
		proxy_pause_all(ctx);
	}
}

static int
proxy_out_of_fds(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	    err == ENOMEM;
}

static void
proxy_accept_error(struct evconnlistener *lev, void *arg)
{
	struct hp_listener *l = arg;
	int err = EVUTIL_SOCKET_ERROR();

	if (proxy_out_of_fds(err))
		proxy_backoff(l->l_ctx, "accept", err);
	else
		log_debug("accept: %s", strerror(err));
}

int
proxy_listen(struct hp_ctx *ctx, struct hp_listener *l)
{
	l->l_ctx = ctx;
	l->l_ev = evconnlistener_new_bind(ctx->c_base, proxy_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    -1, (struct sockaddr *)&l->l_addr.ca_ss,
	    (int)l->l_addr.ca_sslen);
	if (l->l_ev == NULL)
		return -1;
	evconnlistener_set_error_cb(l->l_ev, proxy_accept_error);
	return 0;
}

void
proxy_close_listeners(struct hp_ctx *ctx, int unmarked_only)
{
	struct hp_listener *l, *next;

	for (l = LIST_FIRST(&ctx->c_listeners); l != NULL; l = next) {
		next = LIST_NEXT(l, l_entry);
		if (unmarked_only && l->l_mark)
			continue;
		LIST_REMOVE(l, l_entry);
		evconnlistener_free(l->l_ev);
		proxy_frontend_unref(l->l_fe);
		free(l);
	}
}
