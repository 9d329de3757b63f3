/* SPDX-License-Identifier: ISC */
/*
 * agent-check (check-agent.h): its reply, read as haproxy 2.6 reads it,
 * and what the reply does to the server.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "duration.h"
#include "log.h"
#include "check.h"
#include "check-agent.h"

/* Whether the word at w (n bytes) is kw, in any case. */
static int
agent_is(const char *w, size_t n, const char *kw)
{
	return n == strlen(kw) && strncasecmp(w, kw, n) == 0;
}

static int
agent_digit(int c, int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? v : -1;
}

/*
 * A weight word (it starts with a digit and holds a '%') as haproxy
 * reads it: strtol in base 0 (so "010%" is 8%), then "%" must end it.
 */
static void
agent_weight(const char *w, size_t n, struct agent_reply *ar)
{
	size_t i = 0;
	long v = 0;
	int base = 10, d;

	if (n > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') &&
	    agent_digit((unsigned char)w[2], 16) >= 0) {
		base = 16;
		i = 2;
	} else if (w[0] == '0')
		base = 8;
	for (; i < n && (d = agent_digit((unsigned char)w[i], base)) >= 0;
	    i++)
		v = v > (LONG_MAX - d) / base ? LONG_MAX : v * base + d;
	if (i + 1 == n && w[i] == '%') {
		ar->ar_pct = v > 25600 ? 25600 : v;
		ar->ar_wrn = NULL;
	} else {
		ar->ar_pct = -1;
		ar->ar_wrn = v > 256 ? "Absolute weight can only be between "
		    "0 and 256 inclusive.\n" : "Trailing garbage in weight "
		    "string";
	}
}

/* One word of the reply, at off (n bytes) in buf. */
static void
agent_word(const char *buf, size_t off, size_t n, struct agent_reply *ar)
{
	static const char *const health[] = { "up", "down", "stopped",
	    "fail" };
	static const char *const admin[] = { "ready", "drain", "maint" };
	const char *w = buf + off;
	size_t i;

	for (i = 0; i < sizeof(health) / sizeof(health[0]); i++)
		if (agent_is(w, n, health[i])) {
			ar->ar_health = i == 0 ? AH_UP : AH_DOWN;
			ar->ar_hs.aw_off = off;
			ar->ar_hs.aw_len = n;
			return;
		}
	for (i = 0; i < sizeof(admin) / sizeof(admin[0]); i++)
		if (agent_is(w, n, admin[i])) {
			ar->ar_admin = (enum agent_admin)(AA_READY + i);
			return;
		}
	if (isdigit((unsigned char)w[0]) && memchr(w, '%', n) != NULL)
		agent_weight(w, n, ar);
	else if (n >= 8 && strncasecmp(w, "maxconn:", 8) == 0) {
		ar->ar_maxconn.aw_off = off + 8;
		ar->ar_maxconn.aw_len = n - 8;
	} else if (ar->ar_err.aw_len == 0) {
		ar->ar_err.aw_off = off;
		ar->ar_err.aw_len = n;
	}
}

static int
agent_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

enum agent_st
agent_parse(const char *buf, size_t len, int eof, struct agent_reply *ar)
{
	size_t end, i, w;

	memset(ar, 0, sizeof(*ar));
	ar->ar_pct = -2;
	/* haproxy reads up to the first line end; a NUL ends its string */
	for (end = 0; end < len && buf[end] != '\n' && buf[end] != '\r' &&
	    buf[end] != '\0'; end++)
		;
	if (end == len || buf[end] == '\0')
		return eof ? AG_PARTIAL : AG_SHORT;
	for (i = 0; i < end; i = w) {
		if (agent_sep(buf[i])) {
			w = i + 1;
			continue;
		}
		if (buf[i] == '#') {
			for (i++; i < end && buf[i] == ' '; i++)
				;
			ar->ar_desc.aw_off = i;
			ar->ar_desc.aw_len = end - i;
			break;
		}
		for (w = i + 1; w < end && !agent_sep(buf[w]); w++)
			;
		agent_word(buf, i, w - i, ar);
	}
	return AG_LINE;
}

/* The agent's address: agent-addr, else "addr"'s, else the server's. */
static void
agent_addr(const struct hp_server *s, struct sockaddr_storage *ss,
    socklen_t *len)
{
	const struct cf_server *c = &s->s_cf;

	if (c->sv_agentaddrlen != 0) {
		*ss = c->sv_agentaddr;
		*len = c->sv_agentaddrlen;
	} else if (c->sv_chkaddr.ca_sslen != 0) {
		*ss = c->sv_chkaddr.ca_ss;
		*len = c->sv_chkaddr.ca_sslen;
	} else {
		*ss = c->sv_addr.ca_ss;
		*len = c->sv_addr.ca_sslen;
	}
	sockaddr_set_port(ss, c->sv_agentport);
}

uint64_t
agent_inter(const struct hp_server *s)
{
	return s->s_cf.sv_agentinter ? s->s_cf.sv_agentinter :
	    s->s_cf.sv_inter;
}

/*
 * haproxy's bounds on a run: with "timeout check" and "timeout connect",
 * the connection has the shorter of that and agent-inter, then the
 * reply "timeout check" from the connection (agent_event_locked);
 * without, agent-inter bounds it all.
 */
static uint64_t
agent_tconnect(const struct hp_server *s)
{
	const struct cf_backend *b = &s->s_be->b_cf;
	uint64_t inter = agent_inter(s);

	return b->be_tcheck && b->be_tconnect && b->be_tconnect < inter ?
	    b->be_tconnect : inter;
}

static void
agent_close(struct hp_agent *a)
{
	if (a->a_bev != NULL) {
		bufferevent_free(a->a_bev);
		a->a_bev = NULL;
	}
}

static void
agent_arm(struct hp_server *s, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);

	evtimer_add(s->s_agent->a_timer, &tv);
}

static void
agent_record(struct hp_agent *a, const char *status, const char *desc,
    const char *info)
{
	snprintf(a->a_status, sizeof(a->a_status), "%s", status);
	snprintf(a->a_desc, sizeof(a->a_desc), "%s", desc);
	snprintf(a->a_info, sizeof(a->a_info), "%s", info);
	a->a_code = 0;
}

/* The run ends: its duration, the next one in agent-inter. */
static void
agent_end(struct hp_server *s)
{
	struct hp_agent *a = s->s_agent;

	agent_close(a);
	a->a_dur = mono_usec() - a->a_start;
	a->a_start = 0;
	agent_arm(s, agent_inter(s));
}

/* A "N%" word: a weight relative to the configured one, as "set weight
 * B/S N%" takes it; NULL or haproxy's complaint. */
static const char *
agent_set_weight(struct hp_server *s, long pct)
{
	long w = (long)s->s_iweight * pct / 100;

	if (w > 256)
		w = 256;
	if (!backend_dynamic_weights(s->s_be) && w != 0 &&
	    w != s->s_iweight)
		return "Backend is using a static LB algorithm and only "
		    "accepts weights '0%' and '100%'.\n";
	server_set_weight(s, (int)w);
	return NULL;
}

/*
 * A "maxconn:N" word: the server's maxconn from now on (and its minconn
 * with it, when the two were the same); NULL or haproxy's complaint.
 * 0 is no limit.  haproxy keeps N in an unsigned int (-1 is 4294967295):
 * past INT_MAX it is INT_MAX here, no limit in practice in either.
 */
static const char *
agent_set_maxconn(struct hp_server *s, const char *buf,
    const struct agent_word *w)
{
	char num[64], *end;
	unsigned int u;
	long v;

	if (w->aw_len == 0)
		return "Require <maxconn>.\n";
	snprintf(num, sizeof(num), "%.*s", (int)w->aw_len, buf + w->aw_off);
	v = strtol(num, &end, 10);
	if (end == num)
		return "maxconn string empty or preceded by garbage";
	if (*end != '\0' || w->aw_len >= sizeof(num))
		return "Trailing garbage in maxconn string";
	u = (unsigned int)v;
	if (s->s_cf.sv_minconn == s->s_cf.sv_maxconn)
		s->s_cf.sv_minconn = u > INT_MAX ? INT_MAX : (int)u;
	s->s_cf.sv_maxconn = u > INT_MAX ? INT_MAX : (int)u;
	/* haproxy lets its queue through on a new limit; with none, the
	 * queued wait for a slot to free */
	if (u != 0)
		queue_dequeue_locked(s);
	return NULL;
}

/* "up", "down", "fail", "stopped": the agent's health, and the server's. */
static void
agent_set_health(struct hp_server *s, const char *buf,
    const struct agent_reply *ar, const char *msg)
{
	struct hp_agent *a = s->s_agent;
	int up = ar->ar_health == AH_UP;
	char why[384];

	snprintf(why, sizeof(why), "via agent : %.*s%s%s%s",
	    (int)ar->ar_hs.aw_len, buf + ar->ar_hs.aw_off,
	    *msg ? " (" : "", msg, *msg ? ")" : "");
	agent_record(a, up ? "L7OK" : "L7STS", up ? "Layer7 check passed" :
	    "Layer7 wrong status", why);
	a->a_health = up;
	snprintf(why, sizeof(why), "%s, code: 0, info: \"%s\", check "
	    "duration: %llums", a->a_desc, a->a_info,
	    (unsigned long long)(a->a_dur / 1000));
	/* up needs the health check's word too */
	if (!up)
		server_set_op(s, SRV_DOWN, why);
	else if (!s->s_cf.sv_check || s->s_health >= s->s_cf.sv_rise)
		server_set_op(s, SRV_UP, why);
}

/*
 * What a whole line does, in haproxy's order: the admin state first,
 * then the weight, the maxconn, then the health; a line with no health
 * word names the first word not understood, else what went wrong with
 * the weight or the maxconn.
 */
static void
agent_apply(struct hp_server *s, const char *buf,
    const struct agent_reply *ar)
{
	static const enum srv_admin adm[] = { ADM_READY, ADM_READY,
	    ADM_DRAIN, ADM_MAINT };
	const char *wrn = ar->ar_wrn, *m;
	char msg[256], info[300];

	if (ar->ar_admin != AA_NONE)
		server_set_admin(s, adm[ar->ar_admin]);
	if (ar->ar_pct >= 0)
		wrn = agent_set_weight(s, ar->ar_pct);
	/* the weight's complaint first, as haproxy */
	if (ar->ar_maxconn.aw_off != 0 && (m = agent_set_maxconn(s, buf,
	    &ar->ar_maxconn)) != NULL && wrn == NULL)
		wrn = m;
	snprintf(msg, sizeof(msg), "%.*s", (int)ar->ar_desc.aw_len,
	    buf + ar->ar_desc.aw_off);
	if (ar->ar_health != AH_NONE) {
		if (msg[0] == '\0' || ar->ar_health == AH_UP) {
			if (ar->ar_err.aw_len != 0)
				snprintf(msg, sizeof(msg), "%.*s",
				    (int)ar->ar_err.aw_len,
				    buf + ar->ar_err.aw_off);
			else if (wrn != NULL)
				snprintf(msg, sizeof(msg), "%s", wrn);
		}
		agent_set_health(s, buf, ar, msg);
		return;
	}
	if (ar->ar_err.aw_len != 0)
		snprintf(info, sizeof(info), "agent reports an error : %.*s",
		    (int)ar->ar_err.aw_len, buf + ar->ar_err.aw_off);
	else if (wrn != NULL)
		snprintf(info, sizeof(info), "agent warns : %s", wrn);
	else
		info[0] = '\0';
	agent_record(s->s_agent, "CHECKED", "No status change", info);
}

/* What came so far; eof: the agent closed. */
static void
agent_read_locked(struct hp_server *s, int eof)
{
	struct evbuffer *in = bufferevent_get_input(s->s_agent->a_bev);
	char buf[CHECK_MAXBUF];
	size_t len = evbuffer_copyout(in, buf, sizeof(buf));
	struct agent_reply ar;
	struct hp_agent *a = s->s_agent;

	/* a full buffer with no line end is as good as closed */
	switch (agent_parse(buf, len, eof || len == sizeof(buf), &ar)) {
	case AG_SHORT:
		return;
	case AG_PARTIAL:
		snprintf(a->a_info, sizeof(a->a_info), "Ignoring incomplete "
		    "line from agent");
		agent_end(s);
		return;
	case AG_LINE:
		agent_end(s);
		agent_apply(s, buf, &ar);
		return;
	}
}

static void
agent_read(struct bufferevent *bev, void *arg)
{
	struct hp_server *s = arg;
	struct hp_ctx *ctx = s->s_be->b_ctx;

	thread_lock(ctx);
	agent_read_locked(s, 0);
	thread_unlock(ctx);
}

/* A connection that failed says so; the agent's health stays. */
static void
agent_event_locked(struct hp_server *s, short what)
{
	struct hp_agent *a = s->s_agent;
	const char *send = s->s_cf.sv_agentsend;

	if (what & BEV_EVENT_CONNECTED) {
		uint64_t tcheck = s->s_be->b_cf.be_tcheck;
		struct timeval tv = duration_tv(tcheck);

		a->a_conn = 1;
		if (tcheck)
			bufferevent_set_timeouts(a->a_bev, &tv, &tv);
		if (send[0] != '\0')
			bufferevent_write(a->a_bev, send, strlen(send));
		return;
	}
	if (what & BEV_EVENT_EOF) {
		agent_read_locked(s, 1);
		return;
	}
	/* as haproxy's: connected, the agent was too slow to answer */
	if (what & BEV_EVENT_TIMEOUT && a->a_conn)
		agent_record(a, "L7TOUT", "Layer7 timeout", "");
	else if (what & BEV_EVENT_TIMEOUT)
		agent_record(a, "L4TOUT", "Layer4 timeout", "");
	else
		agent_record(a, "L4CON", "Layer4 connection problem",
		    strerror(EVUTIL_SOCKET_ERROR()));
	agent_end(s);
}

static void
agent_event(struct bufferevent *bev, short what, void *arg)
{
	struct hp_server *s = arg;
	struct hp_ctx *ctx = s->s_be->b_ctx;

	thread_lock(ctx);
	agent_event_locked(s, what);
	thread_unlock(ctx);
}

static void
agent_run_locked(struct hp_server *s)
{
	struct hp_agent *a = s->s_agent;
	struct sockaddr_storage ss;
	socklen_t len;
	struct timeval tv = duration_tv(agent_tconnect(s));

	a->a_start = mono_usec();
	a->a_conn = 0;
	agent_addr(s, &ss, &len);
	a->a_bev = bufferevent_socket_new(s->s_be->b_ctx->c_base, -1,
	    BEV_OPT_CLOSE_ON_FREE);
	if (a->a_bev == NULL) {
		agent_record(a, "SOCKERR", "Socket error", "");
		agent_end(s);
		return;
	}
	bufferevent_setcb(a->a_bev, agent_read, NULL, agent_event, s);
	bufferevent_set_timeouts(a->a_bev, &tv, &tv);
	bufferevent_setwatermark(a->a_bev, EV_READ, 0, CHECK_MAXBUF);
	if (bufferevent_socket_connect(a->a_bev, (struct sockaddr *)&ss,
	    (int)len) == -1) {
		agent_record(a, "L4CON", "Layer4 connection problem",
		    strerror(errno));
		agent_end(s);
		return;
	}
	bufferevent_enable(a->a_bev, EV_READ | EV_WRITE);
}

static void
agent_run(evutil_socket_t fd, short what, void *arg)
{
	check_under_lock(arg, agent_run_locked);
}

/*
 * Starts the agent, or starts it again after agent_stop with what it
 * said last (a reload keeps a server the agent took down, down).
 */
void
agent_start(struct hp_server *s)
{
	struct hp_backend *be = s->s_be;
	struct hp_agent *a = s->s_agent;
	int first = a == NULL;	/* never started: haproxy's start */

	if (!s->s_cf.sv_agent) {
		/* a reload took agent-check away */
		agent_free(s);
		return;
	}
	/* "disable agent" keeps it stopped */
	if (s->s_rmaint || s->s_agt_off || be == NULL ||
	    (a != NULL && a->a_timer != NULL))
		return;
	if (a == NULL && (a = calloc(1, sizeof(*a))) != NULL) {
		/* haproxy's agent-rise and agent-fall are 1: up until it
		 * says not */
		a->a_health = 1;
		agent_record(a, "INI", "Initializing", "");
		s->s_agent = a;
	}
	if (a == NULL || (a->a_timer = evtimer_new(be->b_ctx->c_base,
	    agent_run, s)) == NULL) {
		log_warnx("server %s/%s: cannot start its agent: out of "
		    "memory", be->b_cf.be_name, s->s_cf.sv_name);
		return;
	}
	/* spread the first runs as the checks' are */
	agent_arm(s, first ? check_first_delay(s, 1) :
	    agent_inter(s) / 8 * (uint64_t)(s->s_idx % 8) / 8);
}

void
agent_stop(struct hp_server *s)
{
	struct hp_agent *a = s->s_agent;

	if (a == NULL)
		return;
	agent_close(a);
	if (a->a_timer != NULL) {
		event_free(a->a_timer);
		a->a_timer = NULL;
	}
	a->a_start = 0;
}

void
agent_free(struct hp_server *s)
{
	agent_stop(s);
	free(s->s_agent);
	s->s_agent = NULL;
}

int
agent_up(const struct hp_server *s)
{
	return s->s_agent == NULL || s->s_agent->a_health > 0;
}
