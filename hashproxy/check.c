/*
 * Health checks, one per server with "check": a TCP connect, or with
 * "option httpchk" a request whose status line is compared with
 * "http-check expect status" (default 2xx/3xx).  rise/fall counting is
 * haproxy's: a health counter from 0 to rise+fall-1, up at rise.
 * Every step has a deadline (relayd check_tcp.c) and a named outcome.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "duration.h"
#include "log.h"
#include "hashproxy.h"

#define CHECK_MAXLINE	1024

static void check_arm(struct hp_server *, uint64_t usec);

static uint64_t
check_interval(const struct hp_server *s)
{
	int max = s->s_cf.sv_rise + s->s_cf.sv_fall - 1;

	if (s->s_op == SRV_DOWN && s->s_health == 0 && s->s_cf.sv_downinter)
		return s->s_cf.sv_downinter;
	if (s->s_health != max && s->s_health != 0 && s->s_cf.sv_fastinter)
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
check_done(struct hp_server *s, int ok, const char *status, int code,
    const char *desc)
{
	int max = s->s_cf.sv_rise + s->s_cf.sv_fall - 1;
	char why[160];

	if (s->s_chk_bev != NULL) {
		bufferevent_free(s->s_chk_bev);
		s->s_chk_bev = NULL;
	}
	s->s_chk_dur = mono_usec() - s->s_chk_start;
	snprintf(s->s_chk_status, sizeof(s->s_chk_status), "%s", status);
	s->s_chk_code = code;
	snprintf(s->s_chk_desc, sizeof(s->s_chk_desc), "%s", desc);
	snprintf(why, sizeof(why), "%s, check duration: %llums", desc,
	    (unsigned long long)(s->s_chk_dur / 1000));
	if (ok) {
		if (s->s_health < max)
			s->s_health++;
		if (s->s_health >= s->s_cf.sv_rise) {
			s->s_health = max;
			server_set_op(s, SRV_UP, why);
		}
	} else {
		s->s_chkfail++;
		if (s->s_health > s->s_cf.sv_rise)
			s->s_health--;
		else {
			s->s_health = 0;
			server_set_op(s, SRV_DOWN, why);
		}
	}
	check_arm(s, check_interval(s));
}

/* Reads the status line "HTTP/x.y NNN reason". */
static void
check_read_locked(struct bufferevent *bev, void *arg)
{
	struct hp_server *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	const struct cf_backend *b = &s->s_be->b_cf;
	char *line, desc[96];
	size_t n;
	int code = 0, ok;

	line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF);
	if (line == NULL) {
		if (evbuffer_get_length(in) > CHECK_MAXLINE)
			check_done(s, 0, "L7RSP", 0, "Layer7 invalid response,"
			    " info: status line too long");
		return;
	}
	if (n < 12 || strncmp(line, "HTTP/", 5) != 0 ||
	    sscanf(line + 5, "%*u.%*u %3d", &code) != 1) {
		free(line);
		check_done(s, 0, "L7RSP", 0, "Layer7 invalid response");
		return;
	}
	free(line);
	ok = b->be_expect_status ? code == b->be_expect_status :
	    code >= 200 && code < 400;
	snprintf(desc, sizeof(desc), "Layer7 %s, code: %d",
	    ok ? "check passed" : "wrong status", code);
	check_done(s, ok, ok ? "L7OK" : "L7STS", code, desc);
}

/* In the main thread, under the lock: it changes server state. */
static void
check_read(struct bufferevent *bev, void *arg)
{
	struct hp_server *s = arg;
	struct hp_ctx *ctx = s->s_be->b_ctx;

	thread_lock(ctx);
	check_read_locked(bev, arg);
	thread_unlock(ctx);
}

static void
check_event_locked(struct bufferevent *bev, short what, void *arg)
{
	struct hp_server *s = arg;
	const struct cf_backend *b = &s->s_be->b_cf;
	char desc[96];

	if (what & BEV_EVENT_CONNECTED) {
		if (!b->be_httpchk) {
			check_done(s, 1, "L4OK", 0, "Layer4 check passed");
			return;
		}
		evbuffer_add_printf(bufferevent_get_output(bev),
		    "%s %s %s\r\n\r\n", b->be_chkmeth, b->be_chkuri,
		    b->be_chkver);
		bufferevent_enable(bev, EV_READ);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT) {
		check_done(s, 0, b->be_httpchk ? "L7TOUT" : "L4TOUT", 0,
		    b->be_httpchk ? "Layer7 timeout" : "Layer4 timeout");
		return;
	}
	if (what & BEV_EVENT_EOF) {
		check_done(s, 0, "L7RSP", 0, "Layer7 invalid response, info: "
		    "connection closed");
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
	check_event_locked(bev, what, arg);
	thread_unlock(ctx);
}

static void
check_run_locked(evutil_socket_t fd, short what, void *arg)
{
	struct hp_server *s = arg;
	struct event_base *base = s->s_be->b_ctx->c_base;
	struct sockaddr_storage ss = s->s_cf.sv_addr.ca_ss;
	struct timeval tv = duration_tv(check_timeout(s));

	s->s_chk_start = mono_usec();
	if (s->s_cf.sv_checkport) {
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port =
			    htons((uint16_t)s->s_cf.sv_checkport);
		else
			((struct sockaddr_in6 *)&ss)->sin6_port =
			    htons((uint16_t)s->s_cf.sv_checkport);
	}
	s->s_chk_bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE);
	if (s->s_chk_bev == NULL) {
		check_done(s, 0, "SOCKERR", 0, "Socket error");
		return;
	}
	bufferevent_setcb(s->s_chk_bev, check_read, NULL, check_event, s);
	bufferevent_set_timeouts(s->s_chk_bev, &tv, &tv);
	if (bufferevent_socket_connect(s->s_chk_bev, (struct sockaddr *)&ss,
	    (int)s->s_cf.sv_addr.ca_sslen) == -1) {
		char desc[96];

		/* the bufferevent is gone with its socket: EMFILE etc. */
		snprintf(desc, sizeof(desc), "Socket error, info: %s",
		    strerror(errno));
		bufferevent_free(s->s_chk_bev);
		s->s_chk_bev = NULL;
		check_done(s, 0, "SOCKERR", 0, desc);
	}
}

/* In the main thread, under the lock: it changes server state. */
static void
check_run(evutil_socket_t fd, short what, void *arg)
{
	struct hp_server *s = arg;
	struct hp_ctx *ctx = s->s_be->b_ctx;

	thread_lock(ctx);
	check_run_locked(fd, what, arg);
	thread_unlock(ctx);
}

static void
check_arm(struct hp_server *s, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);

	if (s->s_chk_timer != NULL)
		evtimer_add(s->s_chk_timer, &tv);
}

void
check_start(struct hp_server *s)
{
	struct hp_backend *be = s->s_be;

	if (!s->s_cf.sv_check || s->s_admin == ADM_MAINT ||
	    s->s_chk_timer != NULL || be == NULL)
		return;
	s->s_chk_timer = evtimer_new(be->b_ctx->c_base, check_run, s);
	if (s->s_chk_timer == NULL) {
		log_warnx("server %s/%s: cannot start checks: out of memory",
		    be->b_cf.be_name, s->s_cf.sv_name);
		return;
	}
	/* spread the first checks over a fraction of inter */
	check_arm(s, s->s_cf.sv_inter / 8 * (uint64_t)(s->s_idx % 8) / 8);
}

void
check_stop(struct hp_server *s)
{
	if (s->s_chk_bev != NULL) {
		bufferevent_free(s->s_chk_bev);
		s->s_chk_bev = NULL;
	}
	if (s->s_chk_timer != NULL) {
		event_free(s->s_chk_timer);
		s->s_chk_timer = NULL;
	}
}
