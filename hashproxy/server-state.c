/* SPDX-License-Identifier: ISC */
/*
 * A server's state and the one place it changes: up or down, NOLB,
 * the operator's ready/drain/maint, what a tracking server inherits,
 * resolution maintenance, slowstart, and the address and weight set at
 * run time.  Each change rebuilds the backend's candidates, moves the
 * connections waiting for it, and is logged with its event line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "duration.h"
#include "evline.h"
#include "log.h"
#include "hashproxy.h"
#include "check-agent.h"

static void server_inherit_all(struct hp_server *);

const struct hp_server *
server_ref(const struct hp_server *s)
{
	while (s->s_track != NULL)
		s = s->s_track;
	return s;
}

/*
 * show stat's status column, haproxy 2.6's forms: a server up counts
 * the failed checks it can still take before it goes down ("UP 2/3":
 * two of fall 3 left), a server down the passed checks it has towards
 * rise ("DOWN 1/2").  DRAIN only names a server up, NOLB wins over it
 * (haproxy's stopping state), a server down says DOWN whatever its
 * admin state short of maintenance.  A tracking server counts with the
 * checks of the server at the end of its chain, and names the server
 * it tracks when its maintenance comes from there.
 */
const char *
server_status(const struct hp_server *s)
{
	static char buf[32];
	const struct hp_server *ref = server_ref(s);
	int rise = ref->s_cf.sv_rise, fall = ref->s_cf.sv_fall;
	int checked = ref->s_cf.sv_check;
	int going = checked && ref->s_health < rise + fall - 1;
	const char *word;

	if (s->s_rmaint)
		return "MAINT (resolution)";
	if (s->s_imaint) {
		/* any length: the names are; the caller copies it at once */
		static char *via;
		size_t n = strlen(s->s_track->s_be->b_cf.be_name) +
		    strlen(s->s_track->s_cf.sv_name) + sizeof("MAINT (via /)");
		char *b = realloc(via, n);

		if (b == NULL)
			return "MAINT";
		via = b;
		snprintf(via, n, "MAINT (via %s/%s)",
		    s->s_track->s_be->b_cf.be_name, s->s_track->s_cf.sv_name);
		return via;
	}
	if (s->s_admin == ADM_MAINT)
		return "MAINT";
	if (s->s_op == SRV_DOWN) {
		if (!agent_up(ref))
			return "DOWN (agent)";
		if (!checked || ref->s_health == 0)
			return "DOWN";
		snprintf(buf, sizeof(buf), "DOWN %d/%d", ref->s_health, rise);
		return buf;
	}
	if (s->s_nolb)
		word = "NOLB";
	else if ((s->s_admin == ADM_DRAIN || s->s_idrain) &&
	    ref->s_agent != NULL && !ref->s_agt_off)
		return "DRAIN (agent)";
	else if (s->s_admin == ADM_DRAIN || s->s_idrain)
		word = "DRAIN";
	else if (checked)
		word = "UP";
	else
		return "no check";
	if (!going)
		return word;
	/* up means health >= rise: at rise, one more failure takes it down */
	snprintf(buf, sizeof(buf), "%s %d/%d", word, ref->s_health - rise + 1,
	    fall);
	return buf;
}

static int
backend_active_left(const struct hp_backend *be)
{
	int i, n = 0;

	for (i = 0; i < be->b_nsrv; i++)
		if (be->b_srv[i] != NULL && !be->b_srv[i]->s_cf.sv_backup &&
		    server_usable(be->b_srv[i]))
			n++;
	return n;
}

static void
server_shutdown(struct hp_server *s, const char *why)
{
	int n = conn_shutdown_sessions_locked(s);

	if (n > 0)
		log_info("server %s/%s: %d session%s shut down (%s)",
		    s->s_be->b_cf.be_name, s->s_cf.sv_name, n, n == 1 ? "" : "s",
		    why);
}

/*
 * haproxy's on-marked-down shutdown-sessions: a server marked down keeps
 * no client (the Patroni pattern: nobody stays on a demoted primary);
 * on-marked-up shutdown-backup-sessions: an active server that comes up
 * with a weight takes every client back from the backups.
 */
static void
server_marked_actions(struct hp_server *s, enum srv_op op)
{
	struct hp_backend *be = s->s_be;
	int i;

	if (op == SRV_DOWN && s->s_cf.sv_onmarkeddown)
		server_shutdown(s, "on-marked-down shutdown-sessions");
	if (op != SRV_UP || !s->s_cf.sv_onmarkedup || s->s_cf.sv_backup ||
	    !server_usable(s))
		return;
	for (i = 0; i < be->b_nsrv; i++)
		if (be->b_srv[i] != NULL && be->b_srv[i]->s_cf.sv_backup)
			server_shutdown(be->b_srv[i],
			    "on-marked-up shutdown-backup-sessions");
}

static void server_ss_tick(evutil_socket_t, short, void *);

/*
 * slowstart: a server back from down or maintenance gets its weight and
 * its maxconn step by step, rebuilt every max(1s, slowstart/20) as
 * haproxy's server_warmup task; never at start-up.
 */
static void
server_ss_arm(struct hp_server *s)
{
	uint64_t step = s->s_cf.sv_slowstart / 20;
	struct timeval tv;

	if (step < 1000000)
		step = 1000000;
	tv = duration_tv(step);
	if (s->s_ss_timer == NULL && (s->s_be == NULL || (s->s_ss_timer =
	    evtimer_new(s->s_be->b_ctx->c_base, server_ss_tick, s)) == NULL))
		return;
	evtimer_add(s->s_ss_timer, &tv);
}

static void
server_ss_begin(struct hp_server *s)
{
	if (s->s_cf.sv_slowstart == 0)
		return;
	s->s_ss_start = mono_usec();
	server_ss_arm(s);
}

/*
 * s began or stopped taking clients: the candidates again, then those
 * waiting for it go elsewhere (out), or take the slots it has (in).
 */
static void
server_reroute(struct hp_server *s, int out)
{
	struct hp_backend *be = s->s_be;

	if (be != NULL && backend_rebuild(be) == -1)
		log_warnx("backend %s: out of memory rebuilding the server "
		    "list", be->b_cf.be_name);
	if (out)
		queue_requeue_locked(s);
	else if (be != NULL && server_usable(s))
		queue_dequeue_locked(s);
}

static void
server_ss_tick(evutil_socket_t fd, short what, void *arg)
{
	struct hp_server *s = arg;
	struct hp_backend *be = s->s_be;

	if (be == NULL)
		return;
	thread_lock(be->b_ctx);
	if (server_ramp(s, mono_usec()) < 0)
		s->s_ss_start = 0;
	else
		server_ss_arm(s);
	server_reroute(s, 0);
	thread_unlock(be->b_ctx);
}

_Static_assert(SRV_UP == 0, "a new server (calloc) is up");

/*
 * The only writer of s_op, with the counters that go with a change;
 * 0 when op is s's state already.
 */
static int
server_op_store(struct hp_server *s, enum srv_op op)
{
	uint64_t now = mono_usec();

	if (s->s_op == op)
		return 0;
	s->s_op = op;
	if (op == SRV_DOWN) {
		s->s_chkdown++;
		s->s_downsince = now;
	} else if (s->s_downsince != 0) {
		s->s_downtime += now - s->s_downsince;
		s->s_downsince = 0;
	}
	s->s_lastchg = now;
	return 1;
}

/*
 * The next server of the running configuration, after (*bi, *si), that
 * tracks s; NULL after the last.  Start with *bi 0 and *si -1.  A state
 * change is rare: going through every server is cheaper than keeping a
 * list of trackers right across reloads.
 */
static struct hp_server *
server_next_tracker(const struct hp_server *s, int *bi, int *si)
{
	struct hp_ctx *ctx = s->s_be != NULL ? s->s_be->b_ctx : NULL;
	struct hp_server *t;

	for (; ctx != NULL && *bi < ctx->c_nbe; (*bi)++, *si = -1)
		while (++*si < ctx->c_be[*bi]->b_nsrv)
			if ((t = ctx->c_be[*bi]->b_srv[*si]) != NULL &&
			    t->s_track == s)
				return t;
	return NULL;
}

/* " via B/S" in a log line when v is not NULL, names whole */
#define VIA_FMT		"%s%s%s%s"
#define VIA_ARGS(v)	(v) != NULL ? " via " : "", \
	(v) != NULL ? (v)->s_be->b_cf.be_name : "", (v) != NULL ? "/" : "", \
	(v) != NULL ? (v)->s_cf.sv_name : ""

static void
server_evline_via(struct evline *el, const struct hp_server *via)
{
	if (via != NULL)
		evline_strf(el, "via", "%s/%s", via->s_be->b_cf.be_name,
		    via->s_cf.sv_name);
}

/*
 * --lookup --down: nothing runs yet and stdout is the answer: no log,
 * no event line; the caller rebuilds the backends.
 */
void
server_set_op_quiet(struct hp_server *s, enum srv_op op)
{
	struct hp_server *t;
	int bi = 0, si = -1;

	if (!server_op_store(s, op))
		return;
	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_set_op_quiet(t, op);
}

/*
 * A change of s_op: logs, prints the event line, rebuilds; then the
 * servers that track s take the same state, via s (haproxy's "is DOWN
 * via be1/s1"), with the reason and check status of the change.
 */
static void
server_set_op_via(struct hp_server *s, enum srv_op op, const char *why,
    const struct hp_server *via)
{
	struct hp_backend *be = s->s_be;
	struct hp_server *t;
	struct evline el;
	int bi = 0, si = -1;

	if (!server_op_store(s, op))
		return;
	if (op == SRV_UP)
		server_ss_begin(s);
	server_reroute(s, op == SRV_DOWN);
	if (be == NULL)
		return;
	log_info("server %s/%s is %s" VIA_FMT ": %s (%d active servers left)",
	    be->b_cf.be_name, s->s_cf.sv_name, op == SRV_UP ? "UP" : "DOWN",
	    VIA_ARGS(via), why, backend_active_left(be));
	evline_begin(&el, op == SRV_UP ? "up" : "down", NULL);
	evline_str(&el, "backend", be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	server_evline_via(&el, via);
	evline_quoted(&el, "reason", why);
	evline_str(&el, "check", server_ref(s)->s_chk_status);
	evline_int(&el, "active", backend_active_left(be));
	evline_emit(&el);
	server_marked_actions(s, op);
	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_set_op_via(t, op, why, s);
}

void
server_set_op(struct hp_server *s, enum srv_op op, const char *why)
{
	server_set_op_via(s, op, why, NULL);
}

/*
 * http-check disable-on-404: a server that answers 404 while up stops
 * taking new clients (haproxy's NOLB, "stopping") and keeps the ones it
 * has; a 2xx/3xx puts it back at once.  The only writer of s_nolb; the
 * servers that track s follow.
 */
static void
server_set_nolb_via(struct hp_server *s, int on, const char *why,
    const struct hp_server *via)
{
	struct hp_backend *be = s->s_be;
	struct hp_server *t;
	int bi = 0, si = -1;

	if (s->s_nolb == on)
		return;
	s->s_nolb = on;
	/* down: server_set_op said it */
	if (be != NULL && s->s_op != SRV_DOWN) {
		s->s_lastchg = mono_usec();
		server_reroute(s, on);
		log_info("server %s/%s is %s" VIA_FMT ": %s (%d active "
		    "servers left)", be->b_cf.be_name, s->s_cf.sv_name,
		    on ? "stopping" : "UP", VIA_ARGS(via), why,
		    backend_active_left(be));
	}
	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_set_nolb_via(t, on, why, s);
}

void
server_set_nolb(struct hp_server *s, int on, const char *why)
{
	server_set_nolb_via(s, on, why, NULL);
}

/* maintenance of any kind: the operator's, inherited, for resolution */
static int
server_in_maint(const struct hp_server *s)
{
	return s->s_admin == ADM_MAINT || s->s_imaint || s->s_rmaint;
}

/*
 * Into maintenance: haproxy 2.6 zeroes the health of a server that was
 * not down, checked or not.  A check's shows as s_mhealth meanwhile and
 * starts again at rise after it; a server without one keeps the 0, one
 * already down what it had.
 */
static void
server_enter_maint(struct hp_server *s)
{
	if (s->s_op != SRV_DOWN)
		s->s_health = 0;
}

/*
 * Out of maintenance, as haproxy 2.6's srv_update_status: an enabled
 * check starts at rise (check_resume), and the server is up at once
 * unless the server it tracks is down or its agent says down (a check
 * or agent disabled has no say), NOLB only when the tracked one is.  A
 * server down before maintenance is up after it until a check fails.
 */
static void
server_leave_maint(struct hp_server *s)
{
	const char *why = "leaving maintenance";
	int nolb = s->s_track != NULL && s->s_track->s_nolb;

	check_resume(s);
	if ((s->s_track != NULL && s->s_track->s_op == SRV_DOWN) ||
	    !agent_up(s))
		return;
	if (s->s_op == SRV_UP && !nolb)
		server_ss_begin(s);
	server_set_op(s, SRV_UP, why);
	server_set_nolb(s, nolb, why);
}

/* s went into or out of maintenance (of any kind) since was: each way's rule */
static void
server_maint_moved(struct hp_server *s, int was)
{
	if (!was && server_in_maint(s))
		server_enter_maint(s);
	else if (was && !server_in_maint(s))
		server_leave_maint(s);
}

void
server_set_admin(struct hp_server *s, enum srv_admin a)
{
	static const char *word[] = { "ready", "drain", "maint" };
	struct hp_backend *be = s->s_be;
	struct evline el;
	int was = server_in_maint(s);

	if (s->s_admin == a)
		return;
	backend_admin_change(1);
	if (s->s_admin == ADM_MAINT && a == ADM_READY)
		server_ss_begin(s);
	s->s_admin = a;
	s->s_lastchg = mono_usec();
	s->s_mhealth = 0;
	/* out of maintenance, server_leave_maint resumes them */
	if (a == ADM_MAINT)
		check_maint(s);
	else if (s->s_chk_timer == NULL && (!was || server_in_maint(s)))
		check_start(s);
	if (be != NULL) {
		server_reroute(s, a != ADM_READY);
		log_info("server %s/%s set to %s", be->b_cf.be_name,
		    s->s_cf.sv_name, word[a]);
		evline_begin(&el, word[a], NULL);
		evline_str(&el, "backend", be->b_cf.be_name);
		evline_str(&el, "server", s->s_cf.sv_name);
		evline_int(&el, "active", backend_active_left(be));
		evline_emit(&el);
	}
	server_maint_moved(s, was);
	if (be != NULL)
		server_inherit_all(s);
	backend_admin_change(0);
}

/*
 * t's inherited maintenance and drain, from the server it tracks (none
 * when it tracks none); a change is logged and printed as an operator's
 * would be, with "via", and goes down the chain.
 */
static void
server_inherit(struct hp_server *t)
{
	static const char *word[] = { "ready", "drain", "maint" };
	const struct hp_server *v = t->s_track;
	struct hp_backend *be = t->s_be;
	int im = v != NULL && (v->s_admin == ADM_MAINT || v->s_rmaint ||
	    v->s_imaint);
	int id = v != NULL && (v->s_admin == ADM_DRAIN || v->s_idrain);
	int was = t->s_imaint, wasm = server_in_maint(t), w;
	struct evline el;

	if (t->s_imaint == im && t->s_idrain == id)
		return;
	backend_admin_change(1);
	t->s_imaint = im;
	t->s_idrain = id;
	t->s_lastchg = mono_usec();
	if (was && !im && t->s_admin == ADM_READY)
		server_ss_begin(t);
	if (be != NULL) {
		w = im ? ADM_MAINT : id ? ADM_DRAIN : ADM_READY;
		server_reroute(t, w != ADM_READY);
		log_info("server %s/%s set to %s" VIA_FMT, be->b_cf.be_name,
		    t->s_cf.sv_name, word[w], VIA_ARGS(v));
		evline_begin(&el, word[w], NULL);
		evline_str(&el, "backend", be->b_cf.be_name);
		evline_str(&el, "server", t->s_cf.sv_name);
		server_evline_via(&el, v);
		evline_int(&el, "active", backend_active_left(be));
		evline_emit(&el);
	}
	server_maint_moved(t, wasm);
	server_inherit_all(t);
	backend_admin_change(0);
}

/* Each server that tracks s inherits what s has now. */
static void
server_inherit_all(struct hp_server *s)
{
	struct hp_server *t;
	int bi = 0, si = -1;

	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_inherit(t);
}

/*
 * s tracks t from now on (a reload's configuration; t NULL: nothing):
 * it takes t's state at once, then every change of it.
 */
void
server_track(struct hp_server *s, struct hp_server *t)
{
	if (s->s_track != t) {
		if (t != NULL)
			t->s_refs++;
		server_unref(s->s_track);
		s->s_track = t;
	}
	server_inherit(s);
	if (t == NULL)
		return;
	server_set_nolb_via(s, t->s_nolb, "tracking", t);
	server_set_op_via(s, t->s_op, "tracking", t);
}

/* haproxy's RMAINT: no traffic, no checks, until a valid answer. */
void
server_set_rmaint(struct hp_server *s, int on, const char *why)
{
	struct hp_backend *be = s->s_be;
	struct evline el;
	int was = server_in_maint(s);

	if (s->s_rmaint == on)
		return;
	s->s_rmaint = on;
	if (!was && on)
		server_enter_maint(s);
	s->s_lastchg = mono_usec();
	if (on)
		check_stop(s);
	else if (s->s_chk_timer == NULL && server_in_maint(s))
		check_start(s);	/* else server_leave_maint resumes them */
	if (be == NULL)
		return;
	if (backend_rebuild(be) == -1)
		log_warnx("backend %s: out of memory", be->b_cf.be_name);
	if (on)
		queue_requeue_locked(s);
	log_info("server %s/%s %s (%s)", be->b_cf.be_name, s->s_cf.sv_name,
	    on ? "in maintenance for resolution" : "ready again", why);
	evline_begin(&el, on ? "maint" : "ready", NULL);
	evline_str(&el, "backend", be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	evline_int(&el, "active", backend_active_left(be));
	evline_quoted(&el, "reason", why);
	evline_emit(&el);
	if (!on && !server_in_maint(s))
		server_leave_maint(s);
	server_inherit_all(s);
}

/*
 * The one writer of a server's address at run time (stats socket "set
 * server addr", resolvers).  Connections made from now on and the next
 * check go to sa; established ones stay where they are.  Its port is
 * taken as given.  -1 for an address of no known family.
 */
int
server_set_addr(struct hp_server *s, const struct sockaddr *sa,
    socklen_t len, const char *why)
{
	struct cf_addr *a = &s->s_cf.sv_addr;
	char oh[INET6_ADDRSTRLEN] = "-", nh[INET6_ADDRSTRLEN];
	struct evline el;
	int op = 0, np;

	if (len > sizeof(a->ca_ss) || sockaddr_text(sa, nh, sizeof(nh),
	    &np) == -1)
		return -1;
	(void)sockaddr_text((const struct sockaddr *)&a->ca_ss, oh,
	    sizeof(oh), &op);
	if (len == a->ca_sslen && memcmp(&a->ca_ss, sa, len) == 0)
		return 0;
	memset(&a->ca_ss, 0, sizeof(a->ca_ss));
	memcpy(&a->ca_ss, sa, len);
	a->ca_sslen = len;
	snprintf(a->ca_host, sizeof(a->ca_host), "%s", nh);
	snprintf(a->ca_port, sizeof(a->ca_port), "%d", np);
	/* a check under way still talks to the old address: start anew */
	if (s->s_chk_timer != NULL) {
		check_stop(s);
		check_start(s);
	}
	if (s->s_be == NULL)
		return 0;
	log_info("server %s/%s changed its address from %s:%d to %s:%d by %s",
	    s->s_be->b_cf.be_name, s->s_cf.sv_name, oh, op, nh, np, why);
	evline_begin(&el, "addr", NULL);
	evline_str(&el, "backend", s->s_be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	evline_str(&el, "addr", nh);
	evline_int(&el, "port", np);
	evline_quoted(&el, "reason", why);
	evline_emit(&el);
	return 0;
}

/*
 * A new user weight, 0..256: the candidates, map and ring are rebuilt,
 * which on a consistent ring moves only this server's share (its points
 * depend on its id and weight alone).  New connections only.
 */
int
server_set_weight(struct hp_server *s, int w)
{
	struct hp_backend *be = s->s_be;
	struct evline el;

	if (w < 0 || w > 256)
		return -1;
	if (s->s_cf.sv_weight == w)
		return 0;
	s->s_cf.sv_weight = w;
	if (be == NULL)
		return 0;
	if (backend_rebuild(be) == -1)
		log_warnx("backend %s: out of memory", be->b_cf.be_name);
	if (w == 0)
		queue_requeue_locked(s);
	log_info("server %s/%s weight set to %d", be->b_cf.be_name,
	    s->s_cf.sv_name, w);
	evline_begin(&el, "weight", NULL);
	evline_str(&el, "backend", be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	evline_int(&el, "weight", w);
	evline_int(&el, "active", backend_active_left(be));
	evline_emit(&el);
	return 0;
}
