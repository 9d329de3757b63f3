/* SPDX-License-Identifier: ISC */
/*
 * The L4 proxy: listeners accept, a connection picks a server and joins
 * two sockets.  Each socket has one plain event, armed for reading and
 * for writing only while bytes wait for it: a read goes straight into a
 * send() to the partner through one scratch buffer, and only what the
 * partner does not take is kept, in an evbuffer made for it and freed
 * once written.  While bytes are kept the reader pauses until the
 * partner drained: the next ones wait in the kernel, which holds them
 * anyway, so a slow reader never grows memory past one read (and no
 * byte is copied twice).  An idle connection is a small struct and two
 * events: no buffers at all.
 * Half-closes are passed on.  A failed connect is retried, then
 * redispatched.
 *
 * Threads (nbthread): a connection lives on the worker that accepted it,
 * and only that thread touches its sockets and events.  Everything
 * shared is under the context's lock (thread_lock), which every function
 * here expects held unless it says otherwise; it is let go around
 * accept(), connect(), close() and the byte moving, so those run in
 * parallel.  Other threads reach a connection only while it waits in a
 * server's queue, and then only through event_active() on its timer,
 * which runs the step in its own thread.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/netfilter_ipv4.h>

#include <event2/buffer.h>
#include <event2/event_struct.h>

#include "duration.h"
#include "log.h"
#include "hashproxy.h"

/*
 * One read: 128 kB.  A system call costs more than the copy of 16 kB
 * here (haproxy reads 16 kB at a time), so four times haproxy's reads
 * spare a part of the bulk CPU; it is also the most a slow reader makes
 * us keep per direction.
 */
#define PROXY_MAXBUF		(128 * 1024)
#define PROXY_MAXREADS		8	/* per wake-up: 1 MB, then others */
#define PROXY_MAXACCEPTS	16	/* per wake-up, then others */
#define PROXY_BACKLOG		128	/* as evconnlistener's */
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
	LIST_ENTRY(hp_conn) cn_entry;
	TAILQ_ENTRY(hp_conn) cn_qentry;
	struct hp_side	 cn_side[2];	/* SIDE_CLI, SIDE_SRV */
	struct event	*cn_qtimer;	/* queue timeout, or a deferred step */
	struct hp_ctx	*cn_ctx;
	struct event_base *cn_base;	/* its worker's */
	struct hp_frontend *cn_fe;
	struct hp_backend *cn_be;
	struct hp_server *cn_srv;
	uint64_t	 cn_last;
	uint64_t	 cn_born;	/* accepted, mono usec */
	uint64_t	 cn_qt;		/* queued, mono usec */
	uint32_t	 cn_tq, cn_tc;	/* left the queue, connected: usec after */
	/* the client's address, for hashing: not a 128-byte storage */
	union {
		struct sockaddr		sa;
		struct sockaddr_in	sin;
		struct sockaddr_in6	sin6;
	}		 cn_src;
	enum conn_queue	 cn_q;
	uint32_t	 cn_early;	/* read before connected, uncounted */
	unsigned short	 cn_attempts;
	unsigned char	 cn_connected;
	unsigned char	 cn_kill;	/* on-marked-down/up: close it */
};

static void proxy_connect(struct hp_conn *);
static int proxy_bind_source(int, const struct cf_source *);
static void proxy_follow(struct hp_conn *);
static void proxy_start(struct hp_conn *);
static void proxy_close(struct hp_conn *);
static void proxy_backoff(struct hp_ctx *, const char *, int);
static int proxy_out_of_fds(int);
static void proxy_backoff_end(evutil_socket_t, short, void *);
static void proxy_drain(int);

/* Where a read waits for its send: one per thread. */
static __thread char proxy_buf[PROXY_MAXBUF];

static int
proxy_over_limit(struct hp_ctx *ctx, struct hp_frontend *fe)
{
	return (ctx->c_maxconn > 0 && ctx->c_cur >= ctx->c_maxconn) ||
	    (fe != NULL && fe->f_maxconn > 0 && fe->f_cur >= fe->f_maxconn);
}

/*
 * Runs in w's thread: frees the listeners a reload or a stop dropped and
 * arms or disarms the others as l_want says.  Only here and in
 * proxy_accept does a listener's event change, so event_del() never
 * waits on a callback running in another thread.
 */
void
proxy_worker_kick(struct hp_worker *w)
{
	struct hp_listener *l;

	while ((l = LIST_FIRST(&w->w_dead)) != NULL) {
		LIST_REMOVE(l, l_entry);
		proxy_listener_free(l);
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
proxy_resume(struct hp_ctx *ctx)
{
	struct hp_listener *l;
	int backoff = ctx->c_backoff != NULL &&
	    evtimer_pending(ctx->c_backoff, NULL);

	LIST_FOREACH(l, &ctx->c_listeners, l_entry) {
		/* no frontend: dropped, or new and not yet given one */
		int stop = l->l_fe == NULL || ctx->c_draining || backoff ||
		    proxy_over_limit(ctx, l->l_fe);

		if (stop == l->l_want && stop == l->l_paused)
			continue;
		l->l_want = stop;
		thread_kick(l->l_w);
	}
}

void
proxy_pause_all(struct hp_ctx *ctx)
{
	struct hp_listener *l;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry) {
		l->l_want = 1;
		if (!l->l_paused)
			thread_kick(l->l_w);
	}
}

void
proxy_frontend_unref(struct hp_frontend *fe)
{
	if (fe == NULL || --fe->f_refs > 0)
		return;
	rules_detach(fe);
	backend_unref(fe->f_be);
	free(fe);
}

/*
 * Takes c out of its server's queue (it keeps its server reference), or
 * out of its backend's when it waits for any server.
 */
static void
proxy_unqueue(struct hp_conn *c)
{
	if (c->cn_q != Q_WAITING)
		return;
	if (c->cn_srv != NULL) {
		TAILQ_REMOVE(&c->cn_srv->s_queue, c, cn_qentry);
		c->cn_srv->s_qcur--;
	} else {
		TAILQ_REMOVE(&c->cn_be->b_queue, c, cn_qentry);
		c->cn_be->b_qcur--;
	}
	c->cn_q = Q_NONE;
}

/* Runs a queued step from the loop, never from deep inside a close. */
static void proxy_qtimer(evutil_socket_t, short, void *);

/* The queue timer, made only for the few connections that need it. */
static int
proxy_qtimer_arm(struct hp_conn *c, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);

	if (c->cn_qtimer == NULL && (c->cn_qtimer = evtimer_new(c->cn_base,
	    proxy_qtimer, c)) == NULL)
		return -1;
	return evtimer_add(c->cn_qtimer, &tv);
}

/*
 * Runs step q for c from its own loop, in its own thread: any thread may
 * call this for a queued connection, which always has its timer.
 */
static void
proxy_defer(struct hp_conn *c, enum conn_queue q)
{
	c->cn_q = q;
	if (c->cn_qtimer != NULL) {
		event_active(c->cn_qtimer, EV_TIMEOUT, 0);
		return;
	}
	if (proxy_qtimer_arm(c, 0) == -1) {
		/* out of memory: do it now rather than never */
		c->cn_q = Q_NONE;
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
	uint64_t d = mono_usec() - c->cn_born;

	return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* c takes a slot on s: the counters show stat reads. */
static void
proxy_server_take(struct hp_conn *c, struct hp_server *s)
{
	c->cn_tq = proxy_since(c);
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

/* s has a free slot under its (dynamic) maxconn */
static int
proxy_server_room(const struct hp_server *s)
{
	int max = server_maxconn(s);

	return max == 0 || s->s_cur < max;
}

/*
 * A slot freed on s, or s came up: the connection that has waited
 * longest for it, in its own queue or in its backend's (haproxy's
 * process_srv_queue), takes it.
 */
void
proxy_dequeue(struct hp_server *s)
{
	struct hp_conn *c, *bc;

	while (proxy_server_room(s)) {
		c = TAILQ_FIRST(&s->s_queue);
		bc = server_takes_queue(s) ? TAILQ_FIRST(&s->s_be->b_queue) :
		    NULL;
		if (bc != NULL && (c == NULL || bc->cn_qt < c->cn_qt)) {
			proxy_unqueue(bc);
			s->s_refs++;
			bc->cn_srv = s;
			c = bc;
		} else if (c != NULL)
			proxy_unqueue(c);
		else
			break;
		proxy_server_take(c, s);
		proxy_defer(c, Q_CONNECT);
	}
}

void
proxy_requeue_backend(struct hp_backend *be)
{
	struct hp_conn *c;

	while ((c = TAILQ_FIRST(&be->b_queue)) != NULL) {
		proxy_unqueue(c);
		proxy_defer(c, Q_REPICK);
	}
}

static void
proxy_release_server(struct hp_conn *c)
{
	struct hp_server *s = c->cn_srv;

	if (s == NULL) {
		proxy_unqueue(c);	/* the backend's queue */
		return;
	}
	c->cn_srv = NULL;
	if (c->cn_q == Q_WAITING) {
		/* it never held a slot */
		TAILQ_REMOVE(&s->s_queue, c, cn_qentry);
		s->s_qcur--;
		c->cn_q = Q_NONE;
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
		c->cn_srv = NULL;
		server_unref(s);
		proxy_defer(c, Q_REPICK);
	}
}

/*
 * on-marked-down shutdown-sessions, on-marked-up shutdown-backup-sessions:
 * every connection to s is closed, both sides, as haproxy does.  Each is
 * closed by its own thread: its queue timer is made active with cn_kill
 * set, which wins over any step it was waiting for.  Returns how many.
 */
int
proxy_shutdown_sessions(struct hp_server *s)
{
	struct hp_conn *c;
	int n = 0;

	LIST_FOREACH(c, &s->s_be->b_ctx->c_conns, cn_entry) {
		if (c->cn_srv != s || c->cn_kill)
			continue;
		c->cn_kill = 1;
		n++;
		if (c->cn_qtimer != NULL)
			event_active(c->cn_qtimer, EV_TIMEOUT, 0);
		else if (proxy_qtimer_arm(c, 0) == -1)
			log_warnx("server %s: cannot close a session: out of "
			    "memory", s->s_cf.sv_name);
	}
	return n;
}

static void
proxy_qtimer(evutil_socket_t fd, short what, void *arg)
{
	struct hp_conn *c = arg;
	struct hp_ctx *ctx = c->cn_ctx;

	thread_lock(ctx);
	if (c->cn_kill) {
		proxy_close(c);
		thread_unlock(ctx);
		return;
	}
	switch (c->cn_q) {
	case Q_WAITING:
		/* timeout queue: haproxy answers 503, we close */
		log_debug("%s %s: queue timeout", c->cn_srv ? "server" :
		    "backend", c->cn_srv ? c->cn_srv->s_cf.sv_name :
		    c->cn_be->b_cf.be_name);
		proxy_close(c);
		break;
	case Q_CONNECT:
		c->cn_q = Q_NONE;
		proxy_connect(c);
		break;
	case Q_REPICK:
		c->cn_q = Q_NONE;
		proxy_start(c);
		break;
	case Q_NONE:
		break;
	}
	thread_unlock(ctx);
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
	struct hp_server *s = c->cn_srv;
	uint64_t v[HT_N];

	if (!c->cn_connected || s == NULL)
		return;
	v[HT_QUEUE] = c->cn_tq;
	v[HT_CONNECT] = c->cn_tc - c->cn_tq;
	v[HT_TOTAL] = mono_usec() - c->cn_born;
	times_add(&s->s_times, v);
	if (s->s_be != NULL)
		times_add(&s->s_be->b_times, v);
}

/* A connection slot was given back: maybe the end, maybe accept again. */
static void
proxy_settle(struct hp_ctx *ctx)
{
	if (ctx->c_draining && ctx->c_cur == 0)
		thread_loopexit(ctx);
	else
		proxy_resume(ctx);
}

/*
 * The bookkeeping under the lock; then, with c out of every list and
 * queue so that no other thread can reach it, the sockets are closed
 * without it.  The slot goes back only once they are: with maxconn
 * derived from the file limit (limits.c), a slot freed first lets
 * another thread accept while this one still holds both descriptors,
 * and at maxconn that accept meets EMFILE.
 */
static void
proxy_close(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->cn_ctx;

	LIST_REMOVE(c, cn_entry);
	proxy_times(c);
	proxy_release_server(c);
	c->cn_be->b_conns--;
	backend_unref(c->cn_be);
	c->cn_fe->f_cur--;
	proxy_frontend_unref(c->cn_fe);
	thread_unlock(ctx);
	if (c->cn_qtimer != NULL)
		event_free(c->cn_qtimer);
	proxy_side_free(&c->cn_side[SIDE_CLI]);
	proxy_side_free(&c->cn_side[SIDE_SRV]);
	free(c);
	thread_lock(ctx);
	ctx->c_cur--;
	proxy_settle(ctx);
}

/*
 * Without the lock (see HP_COUNT).  The backend is the connection's own,
 * which its reference keeps: a reload moves the server to the new one.
 */
static void
proxy_count(struct hp_conn *c, int from_client, size_t n)
{
	if (from_client) {
		HP_COUNT(c->cn_fe->f_bin, n);
		HP_COUNT(c->cn_be->b_bin, n);
		if (c->cn_srv != NULL)
			HP_COUNT(c->cn_srv->s_bin, n);
	} else {
		HP_COUNT(c->cn_fe->f_bout, n);
		HP_COUNT(c->cn_be->b_bout, n);
		if (c->cn_srv != NULL)
			HP_COUNT(c->cn_srv->s_bout, n);
	}
}

static void proxy_cli_event(evutil_socket_t, short, void *);
static void proxy_srv_event(evutil_socket_t, short, void *);

/*
 * Side i's idle timeout: "timeout client-fin" / "server-fin" once we
 * passed a FIN on to it (haproxy's half-closed timeout: it is the peer
 * that should finish now), else "timeout client" / "server".
 */
static uint64_t
proxy_idle(const struct hp_conn *c, int i)
{
	uint64_t fin = i == SIDE_CLI ? c->cn_fe->f_tclientfin :
	    c->cn_be->b_cf.be_tserverfin;

	if (c->cn_side[i].sd_shut && fin != 0)
		return fin;
	return i == SIDE_CLI ? c->cn_fe->f_tclient : c->cn_be->b_cf.be_tserver;
}

/*
 * Arms side i's event for what it needs now: reading unless it sent its
 * FIN or bytes wait for the partner, writing while its own bytes wait.
 * Unchanged interest costs nothing, so callers simply call it after
 * every step; a change is one epoll_ctl.
 */
static int
proxy_arm(struct hp_conn *c, int i)
{
	struct hp_side *sd = &c->cn_side[i];
	short want = 0;
	uint64_t idle;
	struct timeval tv;

	if (!sd->sd_eof && c->cn_side[!i].sd_out == NULL)
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
	/* EV_CLOSED: a FIN is seen with the bytes before it (proxy_move) */
	event_assign(&sd->sd_ev, c->cn_base, sd->sd_fd, want | EV_PERSIST |
	    (want & EV_READ ? EV_CLOSED : 0), i == SIDE_CLI ?
	    proxy_cli_event : proxy_srv_event, c);
	/* the idle timeout rides on the event: no timer of its own */
	idle = proxy_idle(c, i);
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

/* Keeps len bytes for side sd, behind any it already waits for. */
static int
proxy_keep(struct hp_side *sd, const char *p, size_t len)
{
	if (sd->sd_out == NULL && (sd->sd_out = evbuffer_new()) == NULL)
		return -1;
	return evbuffer_add(sd->sd_out, p, len);
}

/*
 * Moves what side i has to say to its partner: recv() straight into
 * send(), one scratch buffer per thread.  Without the lock: *moved
 * counts the bytes for the caller to add up.  What the
 * partner does not take right away is kept for it, and keeps its place:
 * once bytes are kept, new ones queue behind them.  Returns -1 when the
 * connection is lost (a socket error, or no memory for bytes already
 * read: they must reach the partner or nobody).
 *
 * closed: epoll saw side i's FIN (EPOLLRDHUP) before this read.  Then a
 * short read took everything before it, so the end is known without the
 * recv() that returns 0, and the last bytes are sent with MSG_MORE: the
 * FIN that proxy_shut passes on at once leaves in the same segment,
 * which spares the partner's ACK of the bytes alone (as haproxy does).
 */
static int
proxy_move(struct hp_conn *c, int i, size_t *moved, int closed)
{
	struct hp_side *from = &c->cn_side[i], *to = &c->cn_side[!i];
	ssize_t n, w;
	int k, last;

	/* the partner is behind: its bytes wait in the kernel (proxy_arm) */
	for (k = 0; k < PROXY_MAXREADS && to->sd_out == NULL; k++) {
		if ((n = recv(from->sd_fd, proxy_buf, sizeof(proxy_buf),
		    0)) == 0) {
			from->sd_eof = 1;
			return 0;
		}
		if (n == -1)
			return proxy_retriable(errno) ? 0 : -1;
		c->cn_last = mono_usec();
		*moved += (size_t)n;
		/* a short read: the socket is empty, spare the EAGAIN */
		last = n < (ssize_t)sizeof(proxy_buf);
		if (last && closed)
			from->sd_eof = 1;
		if ((w = send(to->sd_fd, proxy_buf, (size_t)n, MSG_DONTWAIT |
		    MSG_NOSIGNAL | (from->sd_eof ? MSG_MORE : 0))) == -1) {
			if (!proxy_retriable(errno))
				return -1;
			w = 0;
		}
		if (w < n) {
			if (proxy_keep(to, proxy_buf + w,
			    (size_t)(n - w)) == -1)
				return -1;
			return 0;	/* the partner's write event goes on */
		}
		if (last)
			return 0;
	}
	return 0;
}

/* Writes what waits for side i; the buffer goes once it is empty. */
static int
proxy_flush(struct hp_conn *c, int i)
{
	struct hp_side *sd = &c->cn_side[i];

	if (sd->sd_out == NULL)
		return 0;
	if (evbuffer_write(sd->sd_out, sd->sd_fd) == -1)
		return proxy_retriable(errno) ? 0 : -1;
	c->cn_last = mono_usec();
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
	struct hp_side *cli = &c->cn_side[SIDE_CLI], *srv = &c->cn_side[SIDE_SRV];
	int i;

	if (cli->sd_eof && srv->sd_eof && cli->sd_out == NULL &&
	    srv->sd_out == NULL)
		return 1;
	for (i = 0; i < 2; i++) {
		struct hp_side *sd = &c->cn_side[i];

		if (c->cn_side[!i].sd_eof && !sd->sd_shut && sd->sd_out == NULL) {
			shutdown(sd->sd_fd, SHUT_WR);
			sd->sd_shut = 1;
			/* re-armed by the caller with the half-closed
			 * timeout */
			if (sd->sd_armed && proxy_idle(c, i) !=
			    (i == SIDE_CLI ? c->cn_fe->f_tclient :
			    c->cn_be->b_cf.be_tserver)) {
				event_del(&sd->sd_ev);
				sd->sd_armed = 0;
			}
		}
	}
	return 0;
}

/* Side i's socket is ready (or idle too long).  Lock not held. */
static void
proxy_event(struct hp_conn *c, int i, short what)
{
	struct hp_ctx *ctx = c->cn_ctx;
	uint64_t idle;
	size_t moved = 0;
	int lost;

	if (what & EV_TIMEOUT) {
		/* idle only if the other direction was quiet as well */
		idle = proxy_idle(c, i);
		if (mono_usec() - c->cn_last >= idle) {
			thread_lock(ctx);
			proxy_close(c);
			thread_unlock(ctx);
		}
		return;
	}
	lost = ((what & EV_WRITE) && proxy_flush(c, i) == -1) ||
	    ((what & EV_READ) && (c->cn_side[i].sd_armed & EV_READ) &&
	    proxy_move(c, i, &moved, what & EV_CLOSED) == -1);
	if (!lost)
		lost = proxy_shut(c) || proxy_arm(c, SIDE_CLI) == -1 ||
		    proxy_arm(c, SIDE_SRV) == -1;
	if (moved > 0)
		proxy_count(c, i == SIDE_CLI, moved);
	if (!lost)
		return;
	thread_lock(ctx);
	proxy_close(c);
	thread_unlock(ctx);
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

/* Returns -1 when c could not be armed and is gone. */
static int
proxy_connected(struct hp_conn *c)
{
	c->cn_last = mono_usec();
	c->cn_connected = 1;
	c->cn_tc = proxy_since(c);
	/* counted now, for the server that got them */
	proxy_count(c, 1, c->cn_early);
	c->cn_early = 0;
	if (proxy_arm(c, SIDE_CLI) == -1 || proxy_arm(c, SIDE_SRV) == -1) {
		proxy_close(c);
		return -1;
	}
	return 0;
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
	struct hp_server *failed = c->cn_srv;
	struct hp_backend *be = c->cn_be;
	struct hp_side *sd = &c->cn_side[SIDE_SRV];
	struct evbuffer *said = sd->sd_out;

	/* what the client said stays for the next attempt */
	sd->sd_out = NULL;
	proxy_side_free(sd);
	sd->sd_out = said;
	failed->s_econ++;
	if (failed->s_be != NULL)
		failed->s_be->b_econ++;
	log_debug("connect to %s/%s failed: %s (attempt %d)",
	    be->b_cf.be_name, failed->s_cf.sv_name, why, c->cn_attempts);
	if (c->cn_attempts > be->b_cf.be_retries) {
		proxy_release_server(c);
		proxy_close(c);
		return;
	}
	/* a reload replaced the backend: retry in its successor */
	proxy_follow(c);
	be = c->cn_be;
	/* "option redispatch": a retry the interval names, or any retry
	 * once the server is known down, goes to another server */
	if (be->b_cf.be_redispatch != 0 && (proxy_redispatch_due(be,
	    c->cn_attempts) || !server_usable(failed) || failed->s_be != be)) {
		struct hp_server *alt = backend_pick(be,
		    &c->cn_src.sa, failed);

		if (alt != NULL && alt != failed) {
			failed->s_wredis++;
			proxy_release_server(c);
			alt->s_refs++;
			alt->s_cur++;
			alt->s_tot++;
			alt->s_lastsess = mono_usec();
			if (alt->s_be != NULL)
				alt->s_be->b_cur++;
			c->cn_srv = alt;
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
	c->cn_q = Q_CONNECT;
}

/*
 * Sends what the client said before its server was connected: n bytes in
 * proxy_buf, or what an earlier attempt kept.  A send that goes through
 * shows the connection up without a turn of the loop; one that fails
 * gives the connect's error.  What does not go is kept for the next try.
 * Returns 1 up, 0 not known yet (nothing to send, or still connecting),
 * -1 with errno set when the attempt failed, -2 when the bytes could not
 * be kept.  Lock not held.
 */
static int
proxy_send_early(struct hp_conn *c, ssize_t n)
{
	struct hp_side *sd = &c->cn_side[SIDE_SRV];
	ssize_t w;
	int err;

	if (sd->sd_out != NULL)
		w = evbuffer_write(sd->sd_out, sd->sd_fd);
	else if (n > 0)
		w = send(sd->sd_fd, proxy_buf, (size_t)n,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
	else
		return 0;
	err = errno;
	if (sd->sd_out == NULL && w < n) {
		ssize_t sent = w > 0 ? w : 0;

		if (proxy_keep(sd, proxy_buf + sent, (size_t)(n - sent)) == -1)
			return -2;
	} else if (sd->sd_out != NULL &&
	    evbuffer_get_length(sd->sd_out) == 0) {
		evbuffer_free(sd->sd_out);
		sd->sd_out = NULL;
	}
	if (w >= 0)
		return 1;
	if (proxy_retriable(err))
		return 0;
	errno = err;
	return -1;
}

/* The server socket became writable, or "timeout connect" passed. */
static void
proxy_connect_event(evutil_socket_t fd, short what, void *arg)
{
	struct hp_conn *c = arg;
	struct hp_ctx *ctx = c->cn_ctx;	/* c may be gone below */
	int err = 0, up = 0, early = c->cn_side[SIDE_SRV].sd_out != NULL;
	socklen_t len = sizeof(err);

	c->cn_side[SIDE_SRV].sd_armed = 0;	/* not persistent: spent */
	if (what & EV_TIMEOUT)
		;
	else if (early) {
		/* the client's first bytes wait: their send tells */
		if (proxy_send_early(c, 0) == -1)
			err = errno;
	} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	thread_lock(ctx);
	if (what & EV_TIMEOUT)
		proxy_connect_failed(c, "connect timeout", 1);
	else if (err != 0)
		proxy_connect_failed(c, strerror(err), 0);
	else
		up = proxy_connected(c) == 0;
	thread_unlock(ctx);
	/*
	 * The client has most likely spoken while we connected: pass that on
	 * now rather than one turn of the loop later (an empty socket costs
	 * one recv()).
	 */
	if (up && !early)
		proxy_event(c, SIDE_CLI, EV_READ);
}

/*
 * A server without a port, or with +N/-N: the port the client asked for,
 * moved by the offset, modulo 65536 as haproxy.  The client's port is
 * the one before a netfilter REDIRECT or DNAT if any (haproxy asks
 * SO_ORIGINAL_DST too), else the address it reached.  Lock not held.
 */
static void
proxy_map_port(struct hp_conn *c, struct cf_addr *a)
{
	struct sockaddr_storage dst;
	socklen_t len = sizeof(dst);
	int fd = c->cn_side[SIDE_CLI].sd_fd;
	unsigned int port = 0;

	memset(&dst, 0, sizeof(dst));
	if ((c->cn_src.sa.sa_family != AF_INET || getsockopt(fd, SOL_IP,
	    SO_ORIGINAL_DST, &dst, &len) == -1) &&
	    (len = sizeof(dst), getsockname(fd, (struct sockaddr *)&dst,
	    &len) == -1))
		return;		/* port 0: the connect fails, as a refusal */
	if (dst.ss_family == AF_INET)
		port = ntohs(((struct sockaddr_in *)&dst)->sin_port);
	else if (dst.ss_family == AF_INET6)
		port = ntohs(((struct sockaddr_in6 *)&dst)->sin6_port);
	port = (port + (unsigned int)c->cn_srv->s_cf.sv_portoff) & 0xffff;
	if (a->ca_ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ca_ss)->sin_port =
		    htons((uint16_t)port);
	else if (a->ca_ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ca_ss)->sin6_port =
		    htons((uint16_t)port);
}

/*
 * Connects c->cn_srv (picked by the caller or by proxy_start).  The lock
 * is let go for the system calls: c is in no queue, so no other thread
 * touches it meanwhile, and its references keep its server alive.
 *
 * The client has most likely spoken by now (its request follows its
 * handshake at once), so it is read first, and its bytes go out as soon
 * as connect() returns: to a server on this host the handshake is over
 * by then, and with TCP_QUICKACK off (haproxy's "option
 * tcp-smart-connect") the handshake's last ACK rides on them, one packet
 * fewer.  Nothing to say yet, or a server farther away: the socket's
 * writable event tells when it is up.
 */
static void
proxy_connect(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->cn_ctx;
	struct hp_side *sd = &c->cn_side[SIDE_SRV];
	struct cf_addr a = c->cn_srv->s_cf.sv_addr;
	/* a server's own "source" wins over its backend's */
	struct cf_source so = c->cn_srv->s_cf.sv_source.so_addr.ca_host[0] ?
	    c->cn_srv->s_cf.sv_source : c->cn_be->b_cf.be_source;
	struct timeval tv;
	uint64_t tc = c->cn_be->b_cf.be_tconnect ? c->cn_be->b_cf.be_tconnect :
	    PROXY_TCONNECT_DEF;
	ssize_t n = 0;
	int one = 1, zero = 0, err = 0, early = 0, rc;

	c->cn_attempts++;
	thread_unlock(ctx);
	/* nothing, a FIN or an error is left for the client's own event */
	if (sd->sd_out == NULL && !c->cn_side[SIDE_CLI].sd_eof &&
	    (n = recv(c->cn_side[SIDE_CLI].sd_fd, proxy_buf,
	    sizeof(proxy_buf), 0)) > 0)
		c->cn_early += (uint32_t)n;
	sd->sd_fd = socket(a.ca_ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (sd->sd_fd == -1)
		err = errno;
	else {
		setsockopt(sd->sd_fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		if (n > 0 || sd->sd_out != NULL)
			setsockopt(sd->sd_fd, IPPROTO_TCP, TCP_QUICKACK, &zero,
			    sizeof(zero));
		if (c->cn_srv->s_cf.sv_portmap)
			proxy_map_port(c, &a);
		if (so.so_addr.ca_host[0] != '\0' &&
		    proxy_bind_source(sd->sd_fd, &so) == -1)
			rc = -1;
		else
			rc = connect(sd->sd_fd, (const struct sockaddr *)&a.
			    ca_ss, a.ca_sslen);
		err = rc == 0 ? 0 : errno;
		if (err == 0 || err == EINPROGRESS) {
			early = proxy_send_early(c, n);
			if (early == -1)
				err = errno;
			else if (early == 1)
				err = 0;
		} else if (n > 0 && proxy_keep(sd, proxy_buf, (size_t)n) == -1)
			early = -2;
	}
	thread_lock(ctx);
	if (sd->sd_fd == -1) {
		/* no socket: retrying now cannot help, stop accepting */
		if (proxy_out_of_fds(err))
			proxy_backoff(ctx, "connect", err);
		else
			log_warnx_rl("socket: %s", strerror(err));
		proxy_release_server(c);
		proxy_close(c);
		return;
	}
	if (early == -2) {
		/* read from the client and nowhere to keep it */
		proxy_close(c);
		return;
	}
	if (err == 0) {
		proxy_connected(c);
		return;
	}
	if (err != EINPROGRESS) {
		proxy_connect_failed(c, strerror(err), 0);
		return;
	}
	tv = duration_tv(tc);
	event_assign(&sd->sd_ev, c->cn_base, sd->sd_fd, EV_WRITE,
	    proxy_connect_event, c);
	if (event_add(&sd->sd_ev, &tv) == -1) {
		proxy_close(c);
		return;
	}
	sd->sd_armed = EV_WRITE;
}

/*
 * "source": binds the server socket to its address, and to a port of its
 * range (tried in turn from where the last connection left off), before
 * connect().  Lock not held; so is a copy of the setting.
 */
static int
proxy_bind_source(int fd, const struct cf_source *so)
{
	static unsigned next;	/* a hint only: races are harmless */
	struct sockaddr_storage ss = so->so_addr.ca_ss;
	int one = 1, n, k, port;

	if (so->so_lo == 0) {
		/* the port comes with connect(): the 4-tuple decides */
#ifdef IP_BIND_ADDRESS_NO_PORT
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
		    sizeof(one));
#endif
		return bind(fd, (struct sockaddr *)&ss, so->so_addr.ca_sslen);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	n = so->so_hi - so->so_lo + 1;
	for (k = 0; k < n; k++) {
		port = so->so_lo + (int)((next + (unsigned)k) % (unsigned)n);
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		if (bind(fd, (struct sockaddr *)&ss, so->so_addr.ca_sslen) ==
		    0) {
			next += (unsigned)k + 1;
			return 0;
		}
		if (errno != EADDRINUSE)
			return -1;
	}
	return -1;
}

/* A reload replaced c's backend (and took its servers): its successor. */
static void
proxy_follow(struct hp_conn *c)
{
	struct hp_backend *be = c->cn_be;

	while (be->b_retired && be->b_next != NULL) {
		be->b_next->b_refs++;
		be->b_next->b_conns++;
		be->b_conns--;
		backend_unref(c->cn_be);
		be = c->cn_be = be->b_next;
	}
}

/*
 * c waits for a slot on s, or on any server of its backend (s NULL), at
 * most "timeout queue" (haproxy: "timeout connect" when unset).
 */
static void
proxy_enqueue(struct hp_conn *c, struct hp_server *s)
{
	struct hp_backend *be = c->cn_be;
	uint64_t tq = be->b_cf.be_tqueue ? be->b_cf.be_tqueue :
	    be->b_cf.be_tconnect ? be->b_cf.be_tconnect : PROXY_TCONNECT_DEF;

	c->cn_q = Q_WAITING;
	c->cn_qt = mono_usec();
	if (s != NULL) {
		TAILQ_INSERT_TAIL(&s->s_queue, c, cn_qentry);
		if (++s->s_qcur > s->s_qmax)
			s->s_qmax = s->s_qcur;
	} else {
		TAILQ_INSERT_TAIL(&be->b_queue, c, cn_qentry);
		if (++be->b_qcur > be->b_qmax)
			be->b_qmax = be->b_qcur;
	}
	if (proxy_qtimer_arm(c, tq) == -1)
		proxy_close(c);
}

static void
proxy_start(struct hp_conn *c)
{
	struct hp_server *s;

	/* a reload may have come between accept() and here (another
	 * thread), or while c waited in a queue */
	proxy_follow(c);
	s = backend_pick(c->cn_be, &c->cn_src.sa, NULL);
	if (s == NULL && c->cn_be->b_ncands > 0 &&
	    c->cn_be->b_cf.be_balance != BAL_SOURCE) {
		/* every server full */
		proxy_enqueue(c, NULL);
		return;
	}
	if (s == NULL) {
		log_debug("frontend %s: no server available", c->cn_fe->f_name);
		if (c->cn_be->b_nsrv == 0) {
			/* haproxy: a session of a backend with no server
			 * at all, a connection error */
			c->cn_be->b_tot++;
			c->cn_be->b_econ++;
		}
		proxy_drain(c->cn_side[SIDE_CLI].sd_fd);
		proxy_close(c);
		return;
	}
	if (server_full(s) && s->s_cf.sv_maxqueue > 0 &&
	    s->s_qcur >= s->s_cf.sv_maxqueue) {
		/* haproxy: 503, as a hash would pick it again */
		log_debug("server %s: queue full (maxqueue %d)",
		    s->s_cf.sv_name, s->s_cf.sv_maxqueue);
		proxy_close(c);
		return;
	}
	s->s_refs++;
	c->cn_srv = s;
	if (server_full(s)) {
		proxy_enqueue(c, s);
		return;
	}
	proxy_server_take(c, s);
	proxy_connect(c);
}

/* Undoes proxy_accept's reservation of a slot. */
static void
proxy_unreserve(struct hp_ctx *ctx, struct hp_frontend *fe)
{
	ctx->c_cur--;
	fe->f_cur--;
	proxy_frontend_unref(fe);
	proxy_settle(ctx);
}

/*
 * Reads what the client said already: closing a socket with unread bytes
 * resets the connection, where haproxy's client sees a FIN.
 */
static void
proxy_drain(int fd)
{
	int n = 0;

	while (n++ < 4 && recv(fd, proxy_buf, sizeof(proxy_buf),
	    MSG_DONTWAIT) > 0)
		;
}

/*
 * A rule rejected the client, or no backend takes it: closed at once.
 * As haproxy: "tcp-request connection reject" resets (no FIN_WAIT for a
 * client refused anyway), a later rule closes with a FIN.
 */
static void
proxy_refuse(int fd, int reset)
{
	struct linger nolinger = { 1, 0 };

	if (reset)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &nolinger,
		    sizeof(nolinger));
	else
		proxy_drain(fd);
	close(fd);
}

/* A new connection on fd, its slot already taken: a server for it. */
static void
proxy_accepted(struct hp_listener *l, struct hp_frontend *fe,
    struct hp_conn *c, int fd, const struct sockaddr_storage *ss)
{
	struct hp_ctx *ctx = l->l_ctx;
	struct hp_backend *be;
	int r;

	/* tcp-request and use_backend: where it goes, if anywhere */
	r = rules_run(fe, fd, (const struct sockaddr *)ss, &be);
	if (r != RULES_PASS || be == NULL) {
		/* past the session rules haproxy has counted a session */
		if (r == RULES_PASS || r == RULES_CONTENT)
			fe->f_tot++;
		proxy_refuse(fd, r == RULES_CONNECTION);
		free(c);
		proxy_unreserve(ctx, fe);
		return;
	}
	c->cn_side[SIDE_CLI].sd_fd = fd;
	c->cn_side[SIDE_SRV].sd_fd = -1;
	memcpy(&c->cn_src, ss, sizeof(c->cn_src));
	c->cn_ctx = ctx;
	c->cn_base = l->l_w->w_base;
	c->cn_born = mono_usec();
	c->cn_fe = fe;		/* the reservation's reference */
	c->cn_be = be;
	c->cn_be->b_refs++;
	c->cn_be->b_conns++;
	LIST_INSERT_HEAD(&ctx->c_conns, c, cn_entry);
	ctx->c_tot++;
	l->l_w->w_tot++;
	fe->f_tot++;
	if (fe->f_cur > fe->f_max)
		fe->f_max = fe->f_cur;
	/* the client waits in the kernel until the server answers: its
	 * event is armed once connected */
	proxy_start(c);
}

/*
 * The listening socket is readable.  A slot is taken under the lock
 * before accept(), so maxconn holds exactly however many threads
 * accept; at the limit the listener pauses (proxy_resume) until a slot
 * frees.  Lock not held.
 */
static void
proxy_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct hp_listener *l = arg;
	struct hp_ctx *ctx = l->l_ctx;
	struct hp_frontend *fe;
	struct hp_conn *c;
	struct sockaddr_storage ss;
	socklen_t sslen;
	int k, fd, err, one = 1;

	for (k = 0; k < PROXY_MAXACCEPTS; k++) {
		thread_lock(ctx);
		fe = l->l_fe;
		/* a frontend with no backend accepts too, to close at once
		 * (proxy_accepted), as haproxy */
		if (fe == NULL || ctx->c_draining ||
		    proxy_over_limit(ctx, fe)) {
			/* dropped by a reload or a stop, or full */
			proxy_resume(ctx);
			thread_unlock(ctx);
			return;
		}
		ctx->c_cur++;
		fe->f_cur++;
		fe->f_refs++;
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
			if ((c = calloc(1, sizeof(*c))) == NULL)
				close(fd);
		}

		thread_lock(ctx);
		if (c == NULL) {
			proxy_unreserve(ctx, fe);
			if (fd == -1 && proxy_out_of_fds(err))
				proxy_backoff(ctx, "accept", err);
			else if (fd == -1 && !proxy_retriable(err) &&
			    err != ECONNABORTED)
				log_debug_rl("accept: %s", strerror(err));
			thread_unlock(ctx);
			return;
		}
		proxy_accepted(l, fe, c, fd, &ss);
		thread_unlock(ctx);
	}
}

static void
proxy_backoff_end(evutil_socket_t fd, short what, void *arg)
{
	struct hp_ctx *ctx = arg;

	thread_lock(ctx);
	log_info_rl("accepting again");
	proxy_resume(ctx);
	thread_unlock(ctx);
}

/*
 * tmux server_accept(): out of descriptors, back off instead of spinning.
 * As haproxy's listeners, for 100ms: long enough not to spin, short
 * enough that nobody waits on it.  With maxconn derived from the file
 * limit (limits.c) only descriptors opened elsewhere bring it here.
 */
static void
proxy_backoff(struct hp_ctx *ctx, const char *what, int err)
{
	struct timeval tv = { 0, 100000 };

	if (ctx->c_backoff == NULL &&
	    (ctx->c_backoff = evtimer_new(ctx->c_base, proxy_backoff_end,
	    ctx)) == NULL)
		return;
	if (!evtimer_pending(ctx->c_backoff, NULL)) {
		log_warnx_rl("%s: %s; pausing for 100ms", what, strerror(err));
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

/*
 * Binds l->l_addr for l->l_w, paused: proxy_resume arms it from its own
 * thread.  With several workers each has its own socket on the address
 * (SO_REUSEPORT) and the kernel spreads new connections over them.
 */
int
proxy_listen(struct hp_ctx *ctx, struct hp_listener *l)
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
	    proxy_accept, l)) == NULL) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	l->l_fd = fd;
	l->l_want = 0;
	return 0;
}

/* In l's thread, or before it armed l. */
void
proxy_listener_free(struct hp_listener *l)
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
proxy_close_listeners(struct hp_ctx *ctx, int unmarked_only)
{
	struct hp_listener *l, *next;

	for (l = LIST_FIRST(&ctx->c_listeners); l != NULL; l = next) {
		next = LIST_NEXT(l, l_entry);
		if (unmarked_only && l->l_mark)
			continue;
		LIST_REMOVE(l, l_entry);
		proxy_frontend_unref(l->l_fe);
		l->l_fe = NULL;
		if (l->l_w == thread_self())
			proxy_listener_free(l);
		else {
			LIST_INSERT_HEAD(&l->l_w->w_dead, l, l_entry);
			thread_kick(l->l_w);
		}
	}
}
