/* SPDX-License-Identifier: ISC */
/*
 * Connections waiting for a slot: in a server's queue (its maxconn), or
 * in its backend's when every server is full, at most "timeout queue".
 * A freed slot goes to whoever waited longest (haproxy's
 * process_srv_queue).  A queued step runs from the connection's own
 * loop, through its queue timer, never from deep inside a close.
 */
#include <stdlib.h>

#include "duration.h"
#include "log.h"
#include "proxy.h"
#include "stats.h"

/*
 * Takes c out of its server's queue (it keeps its server reference), or
 * out of its backend's when it waits for any server.  on: it goes on
 * from there, to a slot or another queue, rather than ends.
 */
static void
queue_remove_locked(struct hp_conn *c, int on)
{
	if (c->cn_q != Q_WAITING)
		return;
	if (on)
		stats_count_wait(c, c->cn_srv, -1);
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
static void queue_timer(evutil_socket_t, short, void *);

/* The queue timer, made only for the few connections that need it. */
int
queue_timer_arm_locked(struct hp_conn *c, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);

	if (c->cn_qtimer == NULL && (c->cn_qtimer = evtimer_new(c->cn_base,
	    queue_timer, c)) == NULL)
		return -1;
	return evtimer_add(c->cn_qtimer, &tv);
}

/*
 * Runs step q for c from its own loop, in its own thread: any thread may
 * call this for a queued connection, which always has its timer.
 */
static void
queue_defer_locked(struct hp_conn *c, enum conn_queue q)
{
	c->cn_q = q;
	if (c->cn_qtimer != NULL) {
		event_active(c->cn_qtimer, EV_TIMEOUT, 0);
		return;
	}
	if (queue_timer_arm_locked(c, 0) == -1) {
		/* out of memory: do it now rather than never */
		c->cn_q = Q_NONE;
		if (q == Q_CONNECT)
			connect_server_locked(c);
		else
			connect_start_locked(c);
	}
}

/* c takes a slot on s: the counters show stat reads. */
void
queue_take_slot_locked(struct hp_conn *c, struct hp_server *s)
{
	c->cn_tq = conn_since(c);
	s->s_cur++;
	s->s_tot++;
	s->s_direct += c->cn_direct;	/* haproxy's lbtot leaves them out */
	s->s_lastsess = mono_usec();
	rate_hit(&s->s_rate, s->s_lastsess / 1000);
	if (s->s_cur > s->s_max)
		s->s_max = s->s_cur;
	if (s->s_be != NULL) {
		s->s_be->b_cur++;
		s->s_be->b_tot++;
		rate_hit(&s->s_be->b_rate, s->s_lastsess / 1000);
		s->s_be->b_direct += c->cn_direct;
		s->s_be->b_lastsess = s->s_lastsess;
	}
}

/* s has a free slot under its (dynamic) maxconn */
static int
queue_has_room_locked(const struct hp_server *s)
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
queue_dequeue_locked(struct hp_server *s)
{
	struct hp_conn *c, *bc;

	while (queue_has_room_locked(s)) {
		c = TAILQ_FIRST(&s->s_queue);
		bc = server_takes_queue(s) ? TAILQ_FIRST(&s->s_be->b_queue) :
		    NULL;
		if (bc != NULL && (c == NULL || bc->cn_qt < c->cn_qt)) {
			queue_remove_locked(bc, 1);
			s->s_refs++;
			bc->cn_srv = s;
			c = bc;
		} else if (c != NULL)
			queue_remove_locked(c, 1);
		else
			break;
		queue_take_slot_locked(c, s);
		queue_defer_locked(c, Q_CONNECT);
	}
}

void
queue_requeue_backend_locked(struct hp_backend *be)
{
	struct hp_conn *c;

	while ((c = TAILQ_FIRST(&be->b_queue)) != NULL) {
		queue_remove_locked(c, 1);
		queue_defer_locked(c, Q_REPICK);
	}
}

void
queue_release_server_locked(struct hp_conn *c)
{
	struct hp_server *s = c->cn_srv;

	if (s == NULL) {
		queue_remove_locked(c, 0);	/* the backend's queue */
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
	queue_dequeue_locked(s);
	server_unref(s);
}

void
queue_requeue_locked(struct hp_server *s)
{
	struct hp_conn *c;

	while ((c = TAILQ_FIRST(&s->s_queue)) != NULL) {
		queue_remove_locked(c, 1);
		c->cn_srv = NULL;
		server_unref(s);
		queue_defer_locked(c, Q_REPICK);
	}
}

static void
queue_timer(evutil_socket_t fd, short what, void *arg)
{
	struct hp_conn *c = arg;
	struct hp_ctx *ctx = c->cn_ctx;

	thread_lock(ctx);
	if (c->cn_kill) {
		conn_close_locked(c);
		thread_unlock(ctx);
		return;
	}
	switch (c->cn_q) {
	case Q_WAITING:
		/* timeout queue: haproxy answers 503, we close */
		stats_count_queue_timeout(c);
		log_debug("%s %s: queue timeout", c->cn_srv ? "server" :
		    "backend", c->cn_srv ? c->cn_srv->s_cf.sv_name :
		    c->cn_be->b_cf.be_name);
		conn_close_locked(c);
		break;
	case Q_CONNECT:
		c->cn_q = Q_NONE;
		connect_server_locked(c);
		break;
	case Q_REPICK:
		c->cn_q = Q_NONE;
		connect_start_locked(c);
		break;
	case Q_NONE:
		break;
	}
	thread_unlock(ctx);
}

/*
 * c waits for a slot on s, or on any server of its backend (s NULL), at
 * most "timeout queue" (haproxy: "timeout connect" when unset).
 */
void
queue_enqueue_locked(struct hp_conn *c, struct hp_server *s)
{
	struct hp_backend *be = c->cn_be;
	uint64_t tq = be->b_cf.be_tqueue ? be->b_cf.be_tqueue :
	    be->b_cf.be_tconnect ? be->b_cf.be_tconnect : PROXY_TCONNECT_DEF;

	c->cn_q = Q_WAITING;
	c->cn_qt = mono_usec();
	stats_count_wait(c, s, 1);
	if (s != NULL) {
		TAILQ_INSERT_TAIL(&s->s_queue, c, cn_qentry);
		if (++s->s_qcur > s->s_qmax)
			s->s_qmax = s->s_qcur;
	} else {
		TAILQ_INSERT_TAIL(&be->b_queue, c, cn_qentry);
		if (++be->b_qcur > be->b_qmax)
			be->b_qmax = be->b_qcur;
	}
	if (queue_timer_arm_locked(c, tq) == -1)
		conn_close_locked(c);
}
