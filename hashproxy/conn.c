/* SPDX-License-Identifier: ISC */
/*
 * A connection's start and end: what the rules decide for a new client,
 * the bookkeeping of an accepted one, and its close, which gives its
 * slot back.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "duration.h"
#include "log.h"
#include "proxy.h"

/* usec since c was accepted, as the 32 bits kept for it allow */
uint32_t
conn_since(const struct hp_conn *c)
{
	uint64_t d = mono_usec() - c->cn_born;

	return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/*
 * on-marked-down shutdown-sessions, on-marked-up shutdown-backup-sessions:
 * every connection to s is closed, both sides, as haproxy does.  Each is
 * closed by its own thread: its queue timer is made active with cn_kill
 * set, which wins over any step it was waiting for.  Returns how many.
 */
int
conn_shutdown_sessions_locked(struct hp_server *s)
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
		else if (queue_timer_arm_locked(c, 0) == -1)
			log_warnx("server %s: cannot close a session: out of "
			    "memory", s->s_cf.sv_name);
	}
	return n;
}

/* A connection that reached its server: its times for show stat. */
static void
conn_times_locked(struct hp_conn *c)
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

/*
 * The bookkeeping under the lock; then, with c out of every list and
 * queue so that no other thread can reach it, the sockets are closed
 * without it.  The slot goes back only once they are: with maxconn
 * derived from the file limit (limits.c), a slot freed first lets
 * another thread accept while this one still holds both descriptors,
 * and at maxconn that accept meets EMFILE.
 */
void
conn_close_locked(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->cn_ctx;

	LIST_REMOVE(c, cn_entry);
	conn_times_locked(c);
	queue_release_server_locked(c);
	c->cn_be->b_conns--;
	backend_unref(c->cn_be);
	c->cn_fe->f_cur--;
	frontend_unref_locked(c->cn_fe);
	thread_unlock(ctx);
	if (c->cn_qtimer != NULL)
		event_free(c->cn_qtimer);
	pump_side_free(&c->cn_side[SIDE_CLI]);
	pump_side_free(&c->cn_side[SIDE_SRV]);
	free(c->cn_ppdst);
	free(c);
	thread_lock(ctx);
	ctx->c_cur--;
	listen_settle_locked(ctx);
}

/* Undoes listen_accept's reservation of a slot. */
void
conn_unreserve_locked(struct hp_ctx *ctx, struct hp_frontend *fe)
{
	ctx->c_cur--;
	fe->f_cur--;
	frontend_unref_locked(fe);
	listen_settle_locked(ctx);
}

/*
 * A rule rejected the client, or no backend takes it: closed at once.
 * As haproxy: "tcp-request connection reject" resets (no FIN_WAIT for a
 * client refused anyway), a later rule closes with a FIN.
 */
static void
conn_refuse(int fd, int reset)
{
	struct linger nolinger = { 1, 0 };

	if (reset)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &nolinger,
		    sizeof(nolinger));
	else
		pump_drain(fd);
	close(fd);
}

/* a session haproxy counts: stot, and the rates show stat, show info give */
static void
conn_count_session_locked(struct hp_ctx *ctx, struct hp_frontend *fe,
    uint64_t now_usec)
{
	fe->f_tot++;
	rate_hit(&fe->f_srate, now_usec / 1000);
	rate_hit(&ctx->c_srate, now_usec / 1000);
}

/*
 * The frontend's peak of sessions (smax), its slot counted in f_cur: as
 * haproxy's, at accept, before any rule, so that a client closed at once
 * (refused, no backend, a disabled one) counts too.
 */
static void
conn_peak_locked(struct hp_frontend *fe)
{
	if (fe->f_cur > fe->f_max)
		fe->f_max = fe->f_cur;
}

/*
 * A new connection on fd, its slot already taken, accepted by w: a server
 * for it.  ss is the client's address, its socket's or what its PROXY
 * header said (after_header).
 */
void
conn_accepted_locked(struct hp_worker *w, struct hp_frontend *fe,
    struct hp_conn *c, int fd, const struct sockaddr_storage *ss,
    int after_header)
{
	struct hp_ctx *ctx = w->w_ctx;
	struct hp_backend *be;
	int r;

	/* past a PROXY header, counted when it was accepted */
	if (!after_header)
		conn_peak_locked(fe);
	/* tcp-request and use_backend: where it goes, if anywhere (past
	 * a PROXY header, the connection rules ran at accept) */
	r = rules_run(fe, fd, (const struct sockaddr *)ss,
	    c->cn_ppdst != NULL ? &c->cn_ppdst->sa : NULL, after_header, &be);
	if (r != RULES_PASS || be == NULL) {
		/* past the session rules haproxy has counted a session */
		if (r == RULES_PASS || r == RULES_CONTENT)
			conn_count_session_locked(ctx, fe, mono_usec());
		conn_refuse(fd, r == RULES_CONNECTION);
		free(c->cn_ppdst);
		free(c);
		conn_unreserve_locked(ctx, fe);
		return;
	}
	c->cn_side[SIDE_CLI].sd_fd = fd;
	c->cn_side[SIDE_SRV].sd_fd = -1;
	memcpy(&c->cn_src, ss, sizeof(c->cn_src));
	c->cn_ctx = ctx;
	c->cn_base = w->w_base;
	c->cn_born = mono_usec();
	c->cn_fe = fe;		/* the reservation's reference */
	c->cn_be = be;
	c->cn_be->b_refs++;
	if (++c->cn_be->b_conns > c->cn_be->b_smax)
		c->cn_be->b_smax = c->cn_be->b_conns;
	LIST_INSERT_HEAD(&ctx->c_conns, c, cn_entry);
	ctx->c_tot++;
	w->w_tot++;
	conn_count_session_locked(ctx, fe, c->cn_born);
	/* the client waits in the kernel until the server answers: its
	 * event is armed once connected */
	connect_start_locked(c);
}

/* accept-proxy: how long a client has for its header, in all */
static uint64_t
conn_header_time(const struct hp_frontend *fe)
{
	return fe->f_tclient ? fe->f_tclient : PROXY_TCONNECT_DEF;
}

/*
 * Waits for more of the header, until what is left of its time.  Returns
 * -1 when that is up (or the event cannot be armed).
 */
static int
conn_header_wait(struct hp_conn *c)
{
	uint64_t spent = mono_usec() - c->cn_born;
	uint64_t all = conn_header_time(c->cn_fe);
	struct timeval tv;

	if (spent >= all)
		return -1;
	tv = duration_tv(all - spent);
	return event_add(&c->cn_side[SIDE_CLI].sd_ev, &tv);
}

/*
 * accept-proxy: the client's PROXY header came, or its time is up.  The
 * socket is peeked at, so that a header that is not whole yet stays
 * where it is; the event is edge-triggered, so it waits for more bytes,
 * not spins on those, and not persistent, so that a client trickling
 * bytes still has "timeout client" in all.  Once whole, the header (and
 * only it) is read, and the connection goes on from the address it
 * names.  Lock not held.
 */
static void
conn_header_event(evutil_socket_t fd, short what, void *arg)
{
	struct hp_conn *c = arg;
	struct hp_ctx *ctx = c->cn_ctx;
	struct hp_worker *w = thread_self();
	struct sockaddr_storage ss;
	struct pp_info pi;
	const char *why = NULL;
	ssize_t n = 0;
	int r = -1;

	if (what & EV_TIMEOUT)
		why = "no PROXY header in time";
	else if ((n = recv(fd, pump_buf, PP_V2_MAX, MSG_PEEK)) == -1 &&
	    pump_retriable(errno))
		r = 0;
	else if (n <= 0)
		why = "closed before its PROXY header";
	else if ((r = pp_parse((unsigned char *)pump_buf, (size_t)n, &pi)) ==
	    -1)
		why = "not a PROXY header";
	else if (r > 0 && recv(fd, pump_buf, (size_t)r, 0) != r)
		why = "PROXY header lost";
	if (r == 0) {
		/* part of it: the rest comes, unless the client is done */
		if (!(what & EV_CLOSED) && conn_header_wait(c) == 0)
			return;
		why = what & EV_CLOSED ? "closed before its PROXY header" :
		    "no PROXY header in time";
	}
	memcpy(&ss, &c->cn_src, sizeof(c->cn_src));
	if (why == NULL && !pi.pp_local) {
		memcpy(&ss, &pi.pp_src, sizeof(pi.pp_src));
		if ((c->cn_ppdst = malloc(sizeof(*c->cn_ppdst))) == NULL)
			why = "out of memory";
		else
			*c->cn_ppdst = pi.pp_dst;
	}
	thread_lock(ctx);
	if (why != NULL) {
		char host[INET6_ADDRSTRLEN] = "?";
		int port = 0;

		sockaddr_text(&c->cn_src.sa, host, sizeof(host), &port);
		log_info_rl("frontend %s: client %s:%d: %s, closed",
		    c->cn_fe->f_name, host, port, why);
		close(fd);
		conn_unreserve_locked(ctx, c->cn_fe);
		free(c->cn_ppdst);
		free(c);
	} else
		conn_accepted_locked(w, c->cn_fe, c, fd, &ss, 1);
	thread_unlock(ctx);
}

/*
 * accept-proxy: the tcp-request connection rules run now, on the socket's
 * addresses; the other rules and the choice of a server wait for the
 * PROXY header, read within "timeout client" (5 seconds without).  The
 * reservation's frontend reference is held meanwhile.
 */
void
conn_wait_header_locked(struct hp_worker *w, struct hp_frontend *fe,
    struct hp_conn *c, int fd, const struct sockaddr_storage *ss)
{
	conn_peak_locked(fe);
	if (rules_run_connection(fe, fd, (const struct sockaddr *)ss) !=
	    RULES_PASS) {
		conn_refuse(fd, 1);
		free(c);
		conn_unreserve_locked(w->w_ctx, fe);
		return;
	}
	memcpy(&c->cn_src, ss, sizeof(c->cn_src));
	c->cn_ctx = w->w_ctx;
	c->cn_fe = fe;
	c->cn_born = mono_usec();
	event_assign(&c->cn_side[SIDE_CLI].sd_ev, w->w_base, fd,
	    EV_READ | EV_ET | EV_CLOSED, conn_header_event, c);
	if (conn_header_wait(c) == -1) {
		close(fd);
		conn_unreserve_locked(w->w_ctx, fe);
		free(c);
	}
}
