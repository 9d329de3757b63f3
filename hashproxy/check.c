/* SPDX-License-Identifier: ISC */
/*
 * Health checks, one per server with "check": when and where they run,
 * and what their outcome does to the server.  What a check says on its
 * connection is the protocol files' business: a plain connect here,
 * "option httpchk" in check-http.c, "option tcp-check" and the pgsql,
 * mysql and redis checks in check-tcp.c.  rise/fall counting is
 * haproxy's: a health counter from 0 to rise+fall-1, up at rise.  Every
 * step has a deadline (relayd check_tcp.c) and a named outcome, haproxy's
 * check_status words (L4OK, L4CON, L7STS ...).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "duration.h"
#include "log.h"
#include "check.h"
#include "check-agent.h"
#include "check-external.h"
#include "proxyproto.h"

static void check_arm(struct hp_server *, uint64_t usec);

/*
 * A check's timers and reads fire in the main thread beside the
 * workers: what they do to the server runs under the context's lock.
 */
void
check_under_lock(struct hp_server *s, void (*fn)(struct hp_server *))
{
	struct hp_ctx *ctx = s->s_be->b_ctx;

	thread_lock(ctx);
	fn(s);
	thread_unlock(ctx);
}

static uint64_t
check_interval(const struct hp_server *s)
{
	int max = s->s_cf.sv_rise + s->s_cf.sv_fall - 1;

	if (s->s_op == SRV_DOWN && s->s_health == 0 && s->s_cf.sv_downinter)
		return s->s_cf.sv_downinter;
	/* after an on-error action (s_chk_fast) as between up and down */
	if ((s->s_health != max || s->s_chk_fast) && s->s_health != 0 &&
	    s->s_cf.sv_fastinter)
		return s->s_cf.sv_fastinter;
	return s->s_cf.sv_inter;
}

static uint64_t
check_timeout(const struct hp_server *s)
{
	const struct cf_backend *b = &s->s_be->b_cf;

	/* haproxy: "inter" bounds the whole check unless "timeout check"
	 * is set, then connect + check */
	if (b->be_tcheck)
		return (b->be_tconnect ? b->be_tconnect : s->s_cf.sv_inter) +
		    b->be_tcheck;
	return s->s_cf.sv_inter;
}

static void
check_close(struct hp_server *s)
{
	if (s->s_chk_bev != NULL) {
		bufferevent_free(s->s_chk_bev);
		s->s_chk_bev = NULL;
	}
	s->s_chk_conn = 0;
	s->s_chk_eof = 0;
}

/* A check's outcome, passed or not, on the health counter and state. */
static void
check_health(struct hp_server *s, int ok, const char *why)
{
	int max = s->s_cf.sv_rise + s->s_cf.sv_fall - 1;

	/* haproxy: a check that passes clears observe's count */
	if (ok)
		s->s_obs_errs = 0;
	if (ok) {
		/* a 404 under disable-on-404 counts as a pass here, also
		 * from 0 (up by "set server agent up"), as haproxy 2.6's;
		 * a DOWN server's 404 is a failure (check-http.c) */
		if (s->s_health < max)
			s->s_health++;
		if (s->s_health >= s->s_cf.sv_rise) {
			s->s_health = max;
			server_set_nolb(s, ok == CHECK_CONDPASS, why);
			/* an agent that said down keeps it down */
			if (agent_up(s))
				server_set_op(s, SRV_UP, why);
		}
	} else {
		/* haproxy counts a failure only while health is above 0:
		 * a server down stays at the failure that took it down */
		if (s->s_health > 0)
			s->s_chkfail++;
		if (s->s_health > s->s_cf.sv_rise)
			s->s_health--;
		else {
			s->s_health = 0;
			server_set_op(s, SRV_DOWN, why);
			server_set_nolb(s, 0, why);
		}
	}
}

static void
check_record(struct hp_server *s, const char *status, int code,
    const char *desc)
{
	snprintf(s->s_chk_status, sizeof(s->s_chk_status), "%s", status);
	s->s_chk_code = code;
	snprintf(s->s_chk_desc, sizeof(s->s_chk_desc), "%s", desc);
}

/*
 * The check under way when maintenance came, ended: haproxy counts it on
 * the health maintenance zeroed (set_server_check_status), and changes
 * no state.
 */
static void
check_maint_health(struct hp_server *s, int ok)
{
	int max = s->s_cf.sv_rise + s->s_cf.sv_fall - 1;

	if (ok) {
		if (s->s_mhealth < max)
			s->s_mhealth++;
		if (s->s_mhealth >= s->s_cf.sv_rise)
			s->s_mhealth = max;
	} else if (s->s_mhealth > 0 && --s->s_mhealth < s->s_cf.sv_rise)
		s->s_mhealth = 0;
}

/*
 * When the check that ended in maintenance would come next: haproxy
 * reschedules it on the health maintenance zeroed, the server stopped
 * (srv_getinter), and keeps that pace while its checks are paused.
 */
static uint64_t
check_maint_interval(const struct hp_server *s)
{
	int max = s->s_cf.sv_rise + s->s_cf.sv_fall - 1;

	if (s->s_mhealth == max)
		return s->s_cf.sv_inter;
	if (s->s_mhealth == 0)
		return s->s_cf.sv_downinter ? s->s_cf.sv_downinter :
		    s->s_cf.sv_inter;
	return s->s_cf.sv_fastinter ? s->s_cf.sv_fastinter : s->s_cf.sv_inter;
}

void
check_done(struct hp_server *s, int ok, const char *status, int code,
    const char *desc)
{
	char why[256];

	check_close(s);
	s->s_chk_dur = mono_usec() - s->s_chk_start;
	s->s_chk_start = 0;
	check_record(s, status, code, desc);
	if (s->s_admin == ADM_MAINT) {
		check_maint_health(s, ok);
		check_pause(s);
		s->s_chk_due = mono_usec() + check_maint_interval(s);
		return;
	}
	snprintf(why, sizeof(why), "%s, check duration: %llums", desc,
	    (unsigned long long)(s->s_chk_dur / 1000));
	check_health(s, ok, why);
	check_arm(s, check_interval(s));
}

/*
 * haproxy's health analysis (__health_adjust) once error-limit connects
 * in a row failed: the on-error action as a failed check of status HANA
 * would do it, with no duration, while a check that runs goes on.
 * Every action has the next check come at fastinter.  In the main
 * thread, under the lock.
 */
static void
check_analyze_locked(struct hp_server *s)
{
	int rise = s->s_cf.sv_rise;
	uint64_t fast = s->s_cf.sv_fastinter;
	char desc[160];

	if (s->s_obs_hit == 0)
		return;
	snprintf(desc, sizeof(desc), "Health analyze, info: Detected %d "
	    "consecutive errors, last one was: L4 unsuccessful connection",
	    s->s_obs_hit);
	s->s_obs_hit = 0;
	s->s_chk_fast = 1;
	if (s->s_cf.sv_onerror == ONERR_SUDDEN && s->s_health > rise)
		s->s_health = rise + 1;		/* one failure from down */
	else if (s->s_cf.sv_onerror == ONERR_MARKDOWN)
		s->s_health = rise;
	if (s->s_cf.sv_onerror != ONERR_FASTINTER) {
		check_record(s, "HANA", 0, desc);
		s->s_chk_dur = CHECK_NODUR;
		check_health(s, 0, desc);
	}
	s->s_hanafail++;
	if (fast != 0 && !check_running(s) && mono_usec() + fast < s->s_chk_due)
		check_arm(s, fast);
}

static void
check_analyze(evutil_socket_t fd, short what, void *arg)
{
	check_under_lock(arg, check_analyze_locked);
}

/*
 * Counting only: the action changes server state, which checks do in
 * the main thread (check_analyze), as the lock contract has it.
 */
void
check_observe_locked(struct hp_server *s, int failed)
{
	if (!s->s_cf.sv_observe || s->s_obs_ev == NULL)
		return;
	if (!failed) {
		s->s_obs_errs = 0;
		return;
	}
	if (++s->s_obs_errs < s->s_cf.sv_errlimit)
		return;
	s->s_obs_hit = s->s_obs_errs;
	s->s_obs_errs = 0;
	event_active(s->s_obs_ev, EV_TIMEOUT, 0);
}

/* s_chk_start is 0 between checks, as haproxy zeroes its check's start */
int
check_running(const struct hp_server *s)
{
	return s->s_chk_start != 0;
}

static int
check_is_tcp(const struct hp_server *s)
{
	return s->s_be->b_cf.be_chk != CHK_DEFAULT;
}

static void
check_read_locked(struct hp_server *s)
{
	if (check_is_tcp(s))
		check_rules_step(s, &tcpcheck_proto);
	else
		httpcheck_read(s, 0);
}

/*
 * The PROXY header of the check's own connection, as haproxy writes it:
 * v1 names the check's addresses, v2 (a send-proxy-v2 server) says
 * LOCAL, there being no client behind a check.  Sent at once: it goes
 * first, and a connect-only check closes right after.
 */
int
check_send_proxy(struct hp_server *s)
{
	struct sockaddr_storage src, dst;
	socklen_t sl = sizeof(src), dl = sizeof(dst);
	unsigned char hdr[PP_BUILD_MAX];
	evutil_socket_t fd = bufferevent_getfd(s->s_chk_bev);
	int v2 = (s->s_cf.sv_sendproxy & CF_SENDPROXY_V2) != 0;
	size_t n;

	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	if (!v2 && (getsockname(fd, (struct sockaddr *)&src, &sl) == -1 ||
	    getpeername(fd, (struct sockaddr *)&dst, &dl) == -1))
		return -1;
	n = pp_build(hdr, v2 ? 2 : 1, (struct sockaddr *)&src,
	    (struct sockaddr *)&dst);
	return send(fd, hdr, n, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)n ?
	    0 : -1;
}

/*
 * haproxy sends a PROXY header on a check's default connection (not a
 * tcp-check connect rule's) with check-send-proxy, or when the server
 * has send-proxy and its checks go to its own address and port.
 */
static int
check_default_proxy(const struct hp_server *s)
{
	return s->s_cf.sv_chksendproxy || (s->s_cf.sv_sendproxy != 0 &&
	    s->s_cf.sv_checkport == 0 && s->s_cf.sv_chkaddr.ca_host[0] == '\0');
}

/* The check's connection, not one a tcp-check connect rule asked for. */
static int
check_default_connect(const struct hp_server *s, const struct cf_chkrule *r)
{
	enum cf_chk k = s->s_be->b_cf.be_chk;

	return r->r_implicit || (k != CHK_DEFAULT && k != CHK_TCPCHECK);
}

/*
 * A connect rule, as both rule runners take it: 0 once connected (and
 * the PROXY line written, with send-proxy), 1 while it waits for the
 * connection, -1 when the PROXY line could not be written.
 */
static int
check_rule_connect(struct hp_server *s, const struct cf_chkrule *r)
{
	if (s->s_chk_cstep != s->s_chk_step) {
		s->s_chk_cstep = s->s_chk_step;
		check_connect(s, r);
		return 1;
	}
	if (!s->s_chk_conn)
		return 1;
	if ((r->r_sendproxy || (check_default_proxy(s) &&
	    check_default_connect(s, r))) && check_send_proxy(s) == -1)
		return -1;
	return 0;
}

/* Runs rules from s_chk_step until one waits or the check ends. */
void
check_rules_step(struct hp_server *s, const struct check_proto *cp)
{
	const struct cf_chkrule *r;
	int rc;

	for (;; s->s_chk_step++) {
		if (s->s_chk_step >= s->s_chk_nrules) {
			cp->cp_passed(s);
			return;
		}
		r = &s->s_chk_rules[s->s_chk_step];
		if (r->r_act == ACT_COMMENT)
			continue;
		if (r->r_act != ACT_CONNECT)
			rc = cp->cp_rule(s, r);
		else if ((rc = check_rule_connect(s, r)) == -1)
			cp->cp_sockerr(s);
		if (rc != 0)
			return;
	}
}

void
check_rules_run(struct hp_server *s, const struct check_proto *cp)
{
	s->s_chk_step = 0;
	s->s_chk_cstep = -1;
	check_rules_step(s, cp);
}

/* A rule appended to the server's list, as the protocol files build it. */
struct cf_chkrule *
check_rule_add(struct hp_server *s, enum cf_act act)
{
	struct cf_chkrule *r = &s->s_chk_rules[s->s_chk_nrules++];

	memset(r, 0, sizeof(*r));
	r->r_act = act;
	r->r_minrecv = -1;
	return r;
}

/* In the main thread, under the lock: it changes server state. */
static void
check_read(struct bufferevent *bev, void *arg)
{
	check_under_lock(arg, check_read_locked);
}

static void
check_event_locked(struct bufferevent *bev, short what, struct hp_server *s)
{
	const struct cf_backend *b = &s->s_be->b_cf;
	char desc[128];

	if (what & BEV_EVENT_CONNECTED) {
		s->s_chk_conn = 1;
		if (check_is_tcp(s))
			check_rules_step(s, &tcpcheck_proto);
		else if (b->be_httpchk)
			check_rules_step(s, &httpcheck_proto);
		else if (check_default_proxy(s) && check_send_proxy(s) == -1)
			check_done(s, 0, "SOCKERR", 0, "Socket error");
		else
			check_done(s, 1, "L4OK", 0, "Layer4 check passed");
		return;
	}
	if (check_is_tcp(s)) {
		tcpcheck_error(s, what);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT) {
		const char *st = b->be_httpchk && s->s_chk_conn ?
		    httpcheck_tout(s) : "L4TOUT";

		check_done(s, 0, st, 0, strcmp(st, "L7TOUT") == 0 ?
		    "Layer7 timeout" : "Layer4 timeout");
		return;
	}
	if ((what & BEV_EVENT_EOF) && b->be_httpchk) {
		httpcheck_read(s, 1);
		return;
	}
	if (s->s_chk_conn) {
		/* haproxy: an I/O error once connected is a socket error */
		snprintf(desc, sizeof(desc), "Socket error, info: %s",
		    strerror(EVUTIL_SOCKET_ERROR()));
		check_done(s, 0, "SOCKERR", 0, desc);
		return;
	}
	snprintf(desc, sizeof(desc), "Layer4 connection problem, info: "
	    "%s", strerror(EVUTIL_SOCKET_ERROR()));
	check_done(s, 0, "L4CON", 0, desc);
}

/* In the main thread, under the lock: it changes server state. */
static void
check_event(struct bufferevent *bev, short what, void *arg)
{
	struct hp_server *s = arg;
	struct hp_ctx *ctx = s->s_be->b_ctx;

	thread_lock(ctx);
	check_event_locked(bev, what, s);
	thread_unlock(ctx);
}

/*
 * The server's "addr" parameter: its port if it has one, else the
 * server's (port 0 for a mapped one; "port" then gives it).
 */
static void
check_addr_param(const struct hp_server *s, struct sockaddr_storage *ss,
    socklen_t *sslen)
{
	const struct cf_addr *a = &s->s_cf.sv_chkaddr;
	int sport = sockaddr_port(ss);

	*ss = a->ca_ss;
	*sslen = a->ca_sslen;
	if (a->ca_port[0] == '\0')
		sockaddr_set_port(ss, sport);
}

/*
 * Opens the check's connection (closing one a "connect" rule replaces)
 * to the rule's port, else the "port" parameter, else the server's; to
 * the rule's address, else the "addr" parameter's, else the server's.  Returns -1 after check_done
 * when no socket could be had.
 */
int
check_connect(struct hp_server *s, const struct cf_chkrule *c)
{
	struct event_base *base = s->s_be->b_ctx->c_base;
	struct sockaddr_storage ss = s->s_cf.sv_addr.ca_ss;
	socklen_t sslen = s->s_cf.sv_addr.ca_sslen;
	struct timeval tv = duration_tv(check_timeout(s));
	char desc[128];
	int port = c != NULL ? c->r_port : 0;

	check_close(s);
	if (c != NULL && c->r_addrlen != 0) {
		/* the server's port unless one is given */
		int sport = sockaddr_port(&ss);

		ss = c->r_addr;
		sslen = c->r_addrlen;
		sockaddr_set_port(&ss, sport);
	} else if (s->s_cf.sv_chkaddr.ca_sslen != 0)
		check_addr_param(s, &ss, &sslen);
	if (port == 0)
		port = s->s_cf.sv_checkport;
	if (s->s_chk_sslen != 0) {
		/* set at run time: the server's port unless one was given */
		if (port == 0)
			port = sockaddr_port(&ss);
		ss = s->s_chk_ss;
		sslen = s->s_chk_sslen;
	}
	if (port != 0)
		sockaddr_set_port(&ss, port);
	s->s_chk_bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE);
	if (s->s_chk_bev == NULL) {
		check_done(s, 0, "SOCKERR", 0, "Socket error");
		return -1;
	}
	bufferevent_setcb(s->s_chk_bev, check_read, NULL, check_event, s);
	bufferevent_set_timeouts(s->s_chk_bev, &tv, &tv);
	/* a bounded reply: past CHECK_MAXBUF nothing more is read */
	bufferevent_setwatermark(s->s_chk_bev, EV_READ, 0, CHECK_MAXBUF);
	if (bufferevent_socket_connect(s->s_chk_bev, (struct sockaddr *)&ss,
	    (int)sslen) == -1) {
		/*
		 * No socket (EMFILE), no local port, no route: haproxy
		 * says Layer4 connection problem, SOCKERR is for an error
		 * once connected.  check_done frees the bufferevent.
		 */
		snprintf(desc, sizeof(desc), "Layer4 connection problem, "
		    "info: %s", strerror(errno));
		check_done(s, 0, "L4CON", 0, desc);
		return -1;
	}
	return 0;
}

static void
check_run_locked(struct hp_server *s)
{
	s->s_chk_start = mono_usec();
	/* an on-error action's fastinter is for this check only */
	s->s_chk_fast = 0;
	/* haproxy leaves an external check's last code shown meanwhile */
	if (s->s_be->b_cf.be_extcheck) {
		extcheck_run(s);
		return;
	}
	/* as haproxy's: show stat prints 0 until the check ends */
	s->s_chk_code = 0;
	if (check_is_tcp(s))
		check_rules_run(s, &tcpcheck_proto);
	else if (s->s_be->b_cf.be_httpchk)
		check_rules_run(s, &httpcheck_proto);
	else
		check_connect(s, NULL);
}

/* In the main thread, under the lock: it changes server state. */
static void
check_run(evutil_socket_t fd, short what, void *arg)
{
	check_under_lock(arg, check_run_locked);
}

/*
 * haproxy 2.6's start_checks(): every check and agent of every backend,
 * counted in the order of the file (a server's check, then its agent),
 * first runs at interval * position / count, the interval being the
 * shortest of 1 s or more among them all (each one's own when none is),
 * and never below the run's own, nor above max-spread-checks.  The
 * first runs spread over a whole interval, not a burst at start, and a dead server's first failure (a
 * server starts one failure from down) comes when haproxy's does.  The
 * count and each backend's first position are taken once per set of
 * backends: a start may bring thousands of servers.
 */
#define CHECK_SPREAD_FLOOR	1000000ULL	/* SRV_CHK_INTER_THRES */
static struct {
	struct hp_backend **sp_be;	/* the set they were taken for */
	int	 sp_nbe, sp_nreloads;
	int	 sp_n;
	uint64_t sp_min;
	int	 sp_first[CF_MAXPROXIES];
} check_spread;

static void
check_spread_min(uint64_t inter)
{
	if (inter >= CHECK_SPREAD_FLOOR &&
	    (check_spread.sp_min == 0 || inter < check_spread.sp_min))
		check_spread.sp_min = inter;
}

static void
check_spread_count(const struct hp_ctx *ctx)
{
	int i, j;

	check_spread.sp_be = ctx->c_be;
	check_spread.sp_nbe = ctx->c_nbe;
	check_spread.sp_nreloads = ctx->c_nreloads;
	check_spread.sp_n = 0;
	check_spread.sp_min = 0;
	for (i = 0; i < ctx->c_nbe && i < CF_MAXPROXIES; i++) {
		const struct hp_backend *be = ctx->c_be[i];

		check_spread.sp_first[i] = check_spread.sp_n;
		for (j = 0; j < be->b_nsrv; j++) {
			const struct hp_server *t = be->b_srv[j];

			if (t == NULL)
				continue;
			if (t->s_cf.sv_check) {
				check_spread_min(check_interval(t));
				check_spread.sp_n++;
			}
			if (t->s_cf.sv_agent) {
				check_spread_min(agent_inter(t));
				check_spread.sp_n++;
			}
		}
	}
}

uint64_t
check_first_delay(const struct hp_server *s, int agent)
{
	const struct hp_backend *be = s->s_be;
	const struct hp_ctx *ctx = be->b_ctx;
	uint64_t inter = agent ? agent_inter(s) : check_interval(s);
	int i, j, pos = -1;

	if (check_spread.sp_be != ctx->c_be ||
	    check_spread.sp_nbe != ctx->c_nbe ||
	    check_spread.sp_nreloads != ctx->c_nreloads)
		check_spread_count(ctx);
	for (i = 0; i < ctx->c_nbe && i < CF_MAXPROXIES; i++)
		if (ctx->c_be[i] == be)
			pos = check_spread.sp_first[i];
	if (pos < 0 || check_spread.sp_n == 0)
		return 0;	/* not among them (a retired backend's) */
	for (j = 0; j < be->b_nsrv && be->b_srv[j] != s; j++)
		if (be->b_srv[j] != NULL)
			pos += (be->b_srv[j]->s_cf.sv_check != 0) +
			    (be->b_srv[j]->s_cf.sv_agent != 0);
	if (agent && s->s_cf.sv_check)
		pos++;
	if (inter < check_spread.sp_min)
		inter = check_spread.sp_min;
	if (ctx->c_cf.cf_maxspread != 0 && inter > ctx->c_cf.cf_maxspread)
		inter = ctx->c_cf.cf_maxspread;
	return inter * (uint64_t)pos / (uint64_t)check_spread.sp_n;
}

static void
check_arm(struct hp_server *s, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);

	s->s_chk_due = mono_usec() + usec;
	if (s->s_chk_timer != NULL)
		evtimer_add(s->s_chk_timer, &tv);
}

void
check_start(struct hp_server *s)
{
	struct hp_backend *be = s->s_be;

	/* the agent runs in maintenance too: "ready" ends it */
	agent_start(s);
	/* a tracking server has its state from the server it tracks */
	if (!s->s_cf.sv_check || s->s_track != NULL ||
	    s->s_admin == ADM_MAINT || s->s_rmaint ||
	    s->s_chk_timer != NULL || be == NULL)
		return;
	if (tcpcheck_build(s) == -1 || (s->s_chk_timer =
	    evtimer_new(be->b_ctx->c_base, check_run, s)) == NULL ||
	    (s->s_obs_ev = event_new(be->b_ctx->c_base, -1, 0,
	    check_analyze, s)) == NULL) {
		log_warnx("server %s/%s: cannot start checks: out of memory",
		    be->b_cf.be_name, s->s_cf.sv_name);
		check_pause(s);
		return;
	}
	/* the first run at start as haproxy's; checks started again at run
	 * time spread over a fraction of inter */
	check_arm(s, s->s_chk_due == 0 ? check_first_delay(s, 0) :
	    s->s_cf.sv_inter / 8 * (uint64_t)(s->s_idx % 8) / 8);
}

void
check_stop(struct hp_server *s)
{
	agent_stop(s);
	check_pause(s);
}

/*
 * Maintenance pauses the checks, as haproxy's, but a check under way
 * goes on to its end (check_done pauses them then): its result is shown.
 */
void
check_maint(struct hp_server *s)
{
	if (!check_running(s))
		check_pause(s);
}

/*
 * Maintenance over: haproxy 2.6 sets the health of an enabled check to
 * rise, "start OK but check immediately": up at once, the next check
 * decides ("UP 1/3").  That check comes at the pace the paused check
 * kept, a step of inter at a time from when it was due; a server in
 * maintenance from the start has none and its checks begin as at
 * start-up.  A check under way goes on and counts on that health.
 */
void
check_resume(struct hp_server *s)
{
	uint64_t now, due = s->s_chk_due, inter = s->s_cf.sv_inter;

	/* the agent too, with a check or without */
	if (s->s_chk_timer == NULL)
		check_start(s);
	if (!s->s_cf.sv_check || s->s_track != NULL)
		return;
	s->s_health = s->s_cf.sv_rise;
	if (s->s_chk_timer == NULL || check_running(s) || due == 0)
		return;
	now = mono_usec();
	if (due <= now && inter != 0)
		due += ((now - due) / inter + 1) * inter;
	check_arm(s, due > now ? due - now : 0);
}

void
check_pause(struct hp_server *s)
{
	extcheck_stop(s);
	check_close(s);
	if (s->s_chk_timer != NULL) {
		event_free(s->s_chk_timer);
		s->s_chk_timer = NULL;
	}
	if (s->s_obs_ev != NULL) {
		event_free(s->s_obs_ev);
		s->s_obs_ev = NULL;
	}
	s->s_obs_errs = s->s_obs_hit = 0;
	free(s->s_chk_rules);
	s->s_chk_rules = NULL;
	s->s_chk_nrules = 0;
	s->s_chk_start = 0;
}
