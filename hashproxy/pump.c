/* SPDX-License-Identifier: ISC */
/*
 * The byte pump.  Each socket has one plain event, armed for reading
 * and for writing only while bytes wait for it: a read goes straight
 * into a send() to the partner through one scratch buffer, and only
 * what the partner does not take is kept, in an evbuffer made for it
 * and freed once written.  While bytes are kept the reader pauses until
 * the partner drained: the next ones wait in the kernel, which holds
 * them anyway, so a slow reader never grows memory past one read (and
 * no byte is copied twice).  An idle connection is a small struct and
 * two events: no buffers at all.  Half-closes are passed on.  Nothing
 * here takes the lock but to close.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <event2/buffer.h>

#include "duration.h"
#include "log.h"
#include "proxy.h"
#include "stats.h"

#define PROXY_MAXREADS		8	/* per wake-up: 1 MB, then others */

static void pump_cli_event(evutil_socket_t, short, void *);
static void pump_srv_event(evutil_socket_t, short, void *);

/* Where a read waits for its send: one per thread. */
__thread char pump_buf[PROXY_MAXBUF];

void
pump_side_free(struct hp_side *sd)
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

/*
 * Without the lock (see HP_COUNT).  The backend is the connection's own,
 * which its reference keeps: a reload moves the server to the new one.
 */
void
pump_count(struct hp_conn *c, int from_client, size_t n)
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

/*
 * Side i's idle timeout: "timeout client-fin" / "server-fin" once we
 * passed a FIN on to it (haproxy's half-closed timeout: it is the peer
 * that should finish now), else "timeout client" / "server".
 */
static uint64_t
pump_idle(const struct hp_conn *c, int i)
{
	uint64_t fin = i == SIDE_CLI ? c->cn_fe->f_tclientfin :
	    c->cn_be->b_cf.be_tserverfin;

	if (c->cn_side[i].sd_shut && fin != 0)
		return fin;
	return i == SIDE_CLI ? c->cn_fe->f_tclient : c->cn_be->b_cf.be_tserver;
}

/*
 * Whose timeout ended idle c, as haproxy blames it (cli_abrt or
 * srv_abrt): each byte moved restarts both sides' timeouts there, so it
 * is the side with the shorter one, the client's on a tie (haproxy looks
 * at it first); a side that sent its FIN and waits for no bytes is not
 * timed any more.  i: the side whose event struck.
 */
static int
pump_idle_side(const struct hp_conn *c, int i)
{
	uint64_t t[2];
	int k;

	for (k = 0; k < 2; k++) {
		t[k] = pump_idle(c, k);
		if (t[k] == 0 || (c->cn_side[k].sd_eof &&
		    c->cn_side[k].sd_out == NULL))
			t[k] = UINT64_MAX;
	}
	if (t[SIDE_CLI] == UINT64_MAX && t[SIDE_SRV] == UINT64_MAX)
		return i;
	return t[SIDE_SRV] < t[SIDE_CLI] ? SIDE_SRV : SIDE_CLI;
}

/*
 * Arms side i's event for what it needs now: reading unless it sent its
 * FIN or bytes wait for the partner, writing while its own bytes wait.
 * Unchanged interest costs nothing, so callers simply call it after
 * every step; a change is one epoll_ctl.
 */
int
pump_arm(struct hp_conn *c, int i)
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
	/* EV_CLOSED: a FIN is seen with the bytes before it (pump_move) */
	event_assign(&sd->sd_ev, c->cn_base, sd->sd_fd, want | EV_PERSIST |
	    (want & EV_READ ? EV_CLOSED : 0), i == SIDE_CLI ?
	    pump_cli_event : pump_srv_event, c);
	/* the idle timeout rides on the event: no timer of its own */
	idle = pump_idle(c, i);
	tv = duration_tv(idle);
	if (event_add(&sd->sd_ev, idle ? &tv : NULL) == -1)
		return -1;
	sd->sd_armed = want;
	return 0;
}

int
pump_retriable(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

/* Keeps len bytes for side sd, behind any it already waits for. */
int
pump_keep(struct hp_side *sd, const char *p, size_t len)
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
 * FIN that pump_shut passes on at once leaves in the same segment,
 * which spares the partner's ACK of the bytes alone (as haproxy does).
 */
static int
pump_move(struct hp_conn *c, int i, size_t *moved, int closed)
{
	struct hp_side *from = &c->cn_side[i], *to = &c->cn_side[!i];
	ssize_t n, w;
	int k, last;

	/* the partner is behind: its bytes wait in the kernel (pump_arm) */
	for (k = 0; k < PROXY_MAXREADS && to->sd_out == NULL; k++) {
		if ((n = recv(from->sd_fd, pump_buf, sizeof(pump_buf),
		    0)) == 0) {
			from->sd_eof = 1;
			return 0;
		}
		if (n == -1) {
			if (!pump_retriable(errno))
				stats_count_abort(c, i, 1);
			return pump_retriable(errno) ? 0 : -1;
		}
		c->cn_last = mono_usec();
		*moved += (size_t)n;
		/* a short read: the socket is empty, spare the EAGAIN */
		last = n < (ssize_t)sizeof(pump_buf);
		if (last && closed)
			from->sd_eof = 1;
		if ((w = send(to->sd_fd, pump_buf, (size_t)n, MSG_DONTWAIT |
		    MSG_NOSIGNAL | (from->sd_eof ? MSG_MORE : 0))) == -1) {
			if (!pump_retriable(errno)) {
				stats_count_abort(c, !i, 1);
				return -1;
			}
			w = 0;
		}
		if (w < n) {
			if (pump_keep(to, pump_buf + w,
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
pump_flush(struct hp_conn *c, int i)
{
	struct hp_side *sd = &c->cn_side[i];

	if (sd->sd_out == NULL)
		return 0;
	if (evbuffer_write(sd->sd_out, sd->sd_fd) == -1) {
		if (!pump_retriable(errno))
			stats_count_abort(c, i, 1);
		return pump_retriable(errno) ? 0 : -1;
	}
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
pump_shut(struct hp_conn *c)
{
	struct hp_side *cli = &c->cn_side[SIDE_CLI];
	struct hp_side *srv = &c->cn_side[SIDE_SRV];
	int i;

	if (cli->sd_eof && srv->sd_eof && cli->sd_out == NULL &&
	    srv->sd_out == NULL)
		return 1;
	for (i = 0; i < 2; i++) {
		struct hp_side *sd = &c->cn_side[i];

		if (c->cn_side[!i].sd_eof && !sd->sd_shut &&
		    sd->sd_out == NULL) {
			shutdown(sd->sd_fd, SHUT_WR);
			sd->sd_shut = 1;
			/* re-armed by the caller with the half-closed
			 * timeout */
			if (sd->sd_armed && pump_idle(c, i) !=
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
void
pump_event(struct hp_conn *c, int i, short what)
{
	struct hp_ctx *ctx = c->cn_ctx;
	uint64_t idle;
	size_t moved = 0;
	int lost;

	if (what & EV_TIMEOUT) {
		/* idle only if the other direction was quiet as well */
		idle = pump_idle(c, i);
		if (mono_usec() - c->cn_last >= idle) {
			stats_count_abort(c, pump_idle_side(c, i), 0);
			thread_lock(ctx);
			conn_close_locked(c);
			thread_unlock(ctx);
		}
		return;
	}
	lost = ((what & EV_WRITE) && pump_flush(c, i) == -1) ||
	    ((what & EV_READ) && (c->cn_side[i].sd_armed & EV_READ) &&
	    pump_move(c, i, &moved, what & EV_CLOSED) == -1);
	if (!lost)
		lost = pump_shut(c) || pump_arm(c, SIDE_CLI) == -1 ||
		    pump_arm(c, SIDE_SRV) == -1;
	if (moved > 0)
		pump_count(c, i == SIDE_CLI, moved);
	if (!lost)
		return;
	thread_lock(ctx);
	conn_close_locked(c);
	thread_unlock(ctx);
}

static void
pump_cli_event(evutil_socket_t fd, short what, void *arg)
{
	pump_event(arg, SIDE_CLI, what);
}

static void
pump_srv_event(evutil_socket_t fd, short what, void *arg)
{
	pump_event(arg, SIDE_SRV, what);
}

/*
 * Reads what the client said already: closing a socket with unread bytes
 * resets the connection, where haproxy's client sees a FIN.
 */
void
pump_drain(int fd)
{
	int n = 0;

	while (n++ < 4 && recv(fd, pump_buf, sizeof(pump_buf),
	    MSG_DONTWAIT) > 0)
		;
}
