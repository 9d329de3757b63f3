/*
 * The L4 proxy: listeners accept, a connection picks a server and joins
 * two sockets.  Each socket has one plain event, armed for reading and
 * for writing only while bytes wait for it: a read goes straight into a
 * send() to the partner through one scratch buffer, and only what the
 * partner does not take is kept, in an evbuffer made for it and freed
 * once written.  Past PROXY_MAXBUF kept bytes the reader pauses until
 * the partner drained, so a slow reader never grows memory.  An idle
 * connection is a small struct and two events: no buffers at all.
 * Half-closes are passed on.  A failed connect is retried, then
 * redispatched.
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
#include <event2/event_struct.h>

#include "duration.h"
#include "log.h"
#include "hashproxy.h"

#define PROXY_MAXBUF		(64 * 1024)
#define PROXY_MAXREADS		16	/* per wake-up: 1 MB, then others */
#define PROXY_TCONNECT_DEF	5000000ULL	/* no "timeout connect" */
#define PROXY_TURNAROUND	1000000ULL	/* retry pause, at most */

enum conn_queue { Q_NONE, Q_WAITING, Q_CONNECT, Q_REPICK };
enum { SIDE_CLI, SIDE_SRV };

/* One socket of a connection. */
struct hp_side {
	struct event	 sd_ev;
	struct evbuffer	*sd_out;	/* bytes for it not yet sent, or NULL */
	evutil_socket_t	 sd_fd;
	short		 sd_armed;	/* what sd_ev waits for, 0 = nothing */
	unsigned char	 sd_eof;	/* it sent its FIN */
	unsigned char	 sd_shut;	/* we sent it ours */
};

struct hp_conn {
	LIST_ENTRY(hp_conn) c_entry;
	TAILQ_ENTRY(hp_conn) c_qentry;
	struct hp_side	 c_side[2];	/* SIDE_CLI, SIDE_SRV */
	struct event	*c_qtimer;	/* queue timeout, or a deferred step */
	struct hp_ctx	*c_ctx;
	struct hp_frontend *c_fe;
	struct hp_backend *c_be;
	struct hp_server *c_srv;
	uint64_t	 c_last;
	uint64_t	 c_born;	/* accepted, mono usec */
	uint32_t	 c_tq, c_tc;	/* left the queue, connected: usec after */
	/* the client's address, for hashing: not a 128-byte storage */
	union {
		struct sockaddr		sa;
		struct sockaddr_in	sin;
		struct sockaddr_in6	sin6;
	}		 c_src;
	enum conn_queue	 c_q;
	unsigned short	 c_attempts;
	unsigned char	 c_connected;
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

/* usec since c was accepted, as the 32 bits kept for it allow */
static uint32_t
proxy_since(const struct hp_conn *c)
{
	uint64_t d = mono_usec() - c->c_born;

	return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* c takes a slot on s: the counters show stat reads. */
static void
proxy_server_take(struct hp_conn *c, struct hp_server *s)
{
	c->c_tq = proxy_since(c);
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
		proxy_server_take(c, s);
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
proxy_side_free(struct hp_side *sd)
{
	if (sd->sd_armed)
		event_del(&sd->sd_ev);
	sd->sd_armed = 0;
	if (sd->sd_fd != -1)
		evutil_closesocket(sd->sd_fd);
	sd->sd_fd = -1;
	if (sd->sd_out != NULL)
		evbuffer_free(sd->sd_out);
	sd->sd_out = NULL;
}

/* A connection that reached its server: its times for show stat. */
static void
proxy_times(struct hp_conn *c)
{
	struct hp_server *s = c->c_srv;
	uint64_t v[HT_N];

	if (!c->c_connected || s == NULL)
		return;
	v[HT_QUEUE] = c->c_tq;
	v[HT_CONNECT] = c->c_tc - c->c_tq;
	v[HT_TOTAL] = mono_usec() - c->c_born;
	times_add(&s->s_times, v);
	if (s->s_be != NULL)
		times_add(&s->s_be->b_times, v);
}

static void
proxy_close(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->c_ctx;

	LIST_REMOVE(c, c_entry);
	proxy_times(c);
	if (c->c_qtimer != NULL)
		event_free(c->c_qtimer);
	proxy_side_free(&c->c_side[SIDE_CLI]);
	proxy_side_free(&c->c_side[SIDE_SRV]);
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

static void proxy_cli_event(evutil_socket_t, short, void *);
static void proxy_srv_event(evutil_socket_t, short, void *);

static size_t
proxy_pending(const struct hp_side *sd)
{
	return sd->sd_out == NULL ? 0 : evbuffer_get_length(sd->sd_out);
}

/*
 * Arms side i's event for what it needs now: reading unless it sent its
 * FIN or the partner holds PROXY_MAXBUF unsent bytes, writing while its
 * own bytes wait.  Unchanged interest costs nothing, so callers simply
 * call it after every step; a change is one epoll_ctl.
 */
static int
proxy_arm(struct hp_conn *c, int i)
{
	struct hp_side *sd = &c->c_side[i];
	short want = 0;
	uint64_t idle;
	struct timeval tv;

	if (!sd->sd_eof && proxy_pending(&c->c_side[!i]) < PROXY_MAXBUF)
		want |= EV_READ;
	if (sd->sd_out != NULL)
		want |= EV_WRITE;
	if (want == sd->sd_armed)
		return 0;
	if (sd->sd_armed)
		event_del(&sd->sd_ev);
	sd->sd_armed = 0;
	if (want == 0)
		return 0;
	event_assign(&sd->sd_ev, c->c_ctx->c_base, sd->sd_fd,
	    want | EV_PERSIST, i == SIDE_CLI ? proxy_cli_event :
	    proxy_srv_event, c);
	/* the idle timeout rides on the event: no timer of its own */
	idle = i == SIDE_CLI ? c->c_fe->f_tclient : c->c_be->b_cf.be_tserver;
	tv = duration_tv(idle);
	if (event_add(&sd->sd_ev, idle ? &tv : NULL) == -1)
		return -1;
	sd->sd_armed = want;
	return 0;
}

static int
proxy_retriable(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

/*
 * Moves what side i has to say to its partner: recv() straight into
 * send(), one scratch buffer for all connections (one thread).  What the
 * partner does not take right away is kept for it, and keeps its place:
 * once bytes are kept, new ones queue behind them.  Returns -1 when the
 * connection is lost (a socket error, or no memory for bytes already
 * read: they must reach the partner or nobody).
 */
static int
proxy_move(struct hp_conn *c, int i)
{
	static char buf[PROXY_MAXBUF];
	struct hp_side *from = &c->c_side[i], *to = &c->c_side[!i];
	ssize_t n, w;
	int k;

	for (k = 0; k < PROXY_MAXREADS; k++) {
		if ((n = recv(from->sd_fd, buf, sizeof(buf), 0)) == 0) {
			from->sd_eof = 1;
			return 0;
		}
		if (n == -1)
			return proxy_retriable(errno) ? 0 : -1;
		c->c_last = mono_usec();
		proxy_count(c, i == SIDE_CLI, (size_t)n);
		w = 0;
		if (to->sd_out == NULL && (w = send(to->sd_fd, buf, (size_t)n,
		    MSG_DONTWAIT | MSG_NOSIGNAL)) == -1) {
			if (!proxy_retriable(errno))
				return -1;
			w = 0;
		}
		if (w < n) {
			if (to->sd_out == NULL &&
			    (to->sd_out = evbuffer_new()) == NULL)
				return -1;
			if (evbuffer_add(to->sd_out, buf + w,
			    (size_t)(n - w)) == -1)
				return -1;
			return 0;	/* the partner's write event goes on */
		}
		/* a short read: the socket is empty, spare the EAGAIN */
		if (n < (ssize_t)sizeof(buf))
			return 0;
	}
	return 0;
}

/* Writes what waits for side i; the buffer goes once it is empty. */
static int
proxy_flush(struct hp_conn *c, int i)
{
	struct hp_side *sd = &c->c_side[i];

	if (sd->sd_out == NULL)
		return 0;
	if (evbuffer_write(sd->sd_out, sd->sd_fd) == -1)
		return proxy_retriable(errno) ? 0 : -1;
	c->c_last = mono_usec();
	if (evbuffer_get_length(sd->sd_out) == 0) {
		evbuffer_free(sd->sd_out);
		sd->sd_out = NULL;
	}
	return 0;
}

/*
 * Passes a FIN on once everything before it is written.  Returns 1 when
 * both directions are finished: then close() says the rest, and the
 * second shutdown() is spared.
 */
static int
proxy_shut(struct hp_conn *c)
{
	struct hp_side *cli = &c->c_side[SIDE_CLI], *srv = &c->c_side[SIDE_SRV];
	int i;

	if (cli->sd_eof && srv->sd_eof && cli->sd_out == NULL &&
	    srv->sd_out == NULL)
		return 1;
	for (i = 0; i < 2; i++) {
		struct hp_side *sd = &c->c_side[i];

		if (c->c_side[!i].sd_eof && !sd->sd_shut && sd->sd_out == NULL) {
			shutdown(sd->sd_fd, SHUT_WR);
			sd->sd_shut = 1;
		}
	}
	return 0;
}

/* Side i's socket is ready (or idle too long). */
static void
proxy_event(struct hp_conn *c, int i, short what)
{
	uint64_t idle;

	if (what & EV_TIMEOUT) {
		/* idle only if the other direction was quiet as well */
		idle = i == SIDE_CLI ? c->c_fe->f_tclient :
		    c->c_be->b_cf.be_tserver;
		if (mono_usec() - c->c_last >= idle)
			proxy_close(c);
		return;
	}
	if (((what & EV_WRITE) && proxy_flush(c, i) == -1) ||
	    ((what & EV_READ) && (c->c_side[i].sd_armed & EV_READ) &&
	    proxy_move(c, i) == -1)) {
		proxy_close(c);
		return;
	}
	if (proxy_shut(c) || proxy_arm(c, SIDE_CLI) == -1 ||
	    proxy_arm(c, SIDE_SRV) == -1)
		proxy_close(c);
}

static void
proxy_cli_event(evutil_socket_t fd, short what, void *arg)
{
	proxy_event(arg, SIDE_CLI, what);
}

static void
proxy_srv_event(evutil_socket_t fd, short what, void *arg)
{
	proxy_event(arg, SIDE_SRV, what);
}

static void
proxy_connected(struct hp_conn *c)
{
	c->c_last = mono_usec();
	c->c_connected = 1;
	c->c_tc = proxy_since(c);
	if (proxy_arm(c, SIDE_CLI) == -1 || proxy_arm(c, SIDE_SRV) == -1)
		proxy_close(c);
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

/*
 * haproxy's "option redispatch <interval>" after k failed attempts: P > 0
 * redispatches every Pth retry, -N the Nth retry before the last (the
 * default -1: the last one).
 */
static int
proxy_redispatch_due(const struct hp_backend *be, int k)
{
	int every = be->b_cf.be_redispatch, mod;

	if (every > 0)
		return k % every == 0;
	mod = be->b_cf.be_retries + 1 + every;
	return every < 0 && mod > 0 && k % mod == 0;
}

/* A connect attempt failed: retry, then redispatch, then give up. */
static void
proxy_connect_failed(struct hp_conn *c, const char *why, int timedout)
{
	struct hp_server *failed = c->c_srv;
	struct hp_backend *be = c->c_be;

	proxy_side_free(&c->c_side[SIDE_SRV]);
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
	/* "option redispatch": a retry the interval names, or any retry
	 * once the server is known down, goes to another server */
	if (be->b_cf.be_redispatch != 0 && (proxy_redispatch_due(be,
	    c->c_attempts) || !server_usable(failed) || failed->s_be != be)) {
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

/* The server socket became writable, or "timeout connect" passed. */
static void
proxy_connect_event(evutil_socket_t fd, short what, void *arg)
{
	struct hp_conn *c = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	c->c_side[SIDE_SRV].sd_armed = 0;	/* not persistent: spent */
	if (what & EV_TIMEOUT) {
		proxy_connect_failed(c, "connect timeout", 1);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		proxy_connect_failed(c, strerror(err), 0);
		return;
	}
	proxy_connected(c);
}

/* Connects c->c_srv (picked by the caller or by proxy_start). */
static void
proxy_connect(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->c_ctx;
	struct hp_side *sd = &c->c_side[SIDE_SRV];
	const struct cf_addr *a = &c->c_srv->s_cf.sv_addr;
	struct timeval tv;
	uint64_t tc = c->c_be->b_cf.be_tconnect ? c->c_be->b_cf.be_tconnect :
	    PROXY_TCONNECT_DEF;
	int one = 1, err;

	c->c_attempts++;
	sd->sd_fd = socket(a->ca_ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (sd->sd_fd == -1) {
		err = errno;
		/* no socket: retrying now cannot help, stop accepting */
		if (proxy_out_of_fds(err))
			proxy_backoff(ctx, "connect", err);
		else
			log_warn("socket");
		proxy_release_server(c);
		proxy_close(c);
		return;
	}
	setsockopt(sd->sd_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(sd->sd_fd, (const struct sockaddr *)&a->ca_ss,
	    a->ca_sslen) == 0) {
		proxy_connected(c);
		return;
	}
	if ((err = errno) != EINPROGRESS) {
		proxy_connect_failed(c, strerror(err), 0);
		return;
	}
	tv = duration_tv(tc);
	event_assign(&sd->sd_ev, ctx->c_base, sd->sd_fd, EV_WRITE,
	    proxy_connect_event, c);
	if (event_add(&sd->sd_ev, &tv) == -1) {
		proxy_close(c);
		return;
	}
	sd->sd_armed = EV_WRITE;
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
	proxy_server_take(c, s);
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
	c->c_side[SIDE_CLI].sd_fd = fd;
	c->c_side[SIDE_SRV].sd_fd = -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memcpy(&c->c_src, sa, (size_t)salen < sizeof(c->c_src) ?
	    (size_t)salen : sizeof(c->c_src));
	c->c_ctx = ctx;
	c->c_born = mono_usec();
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
	/* the client waits in the kernel until the server answers: its
	 * event is armed once connected */
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
