/* SPDX-License-Identifier: ISC */
/*
 * Rounds: a tick asks every idle host at once; when the last answer of the
 * round is in (or its deadline passed) the hosts are judged together, so a
 * standby's lag is measured against the primary's LSN of the same round.
 * A host that falls between rounds is judged at once.
 *
 * Lines (stable, see pgwatch(1)):
 *	up HOST role=R ...		reachable and every condition holds
 *	down HOST reason=WHY ...	unreachable or a condition fails
 *	role HOST role=R was=R		a reachable host changed role
 *	lag HOST state=over|under ...	crossed --max-lag
 *	streaming HOST state=lost|regained wal=STATUS
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "pgconn.h"
#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "log.h"
#include "metrics.h"
#include "outpipe.h"
#include "notify.h"
#include "report.h"
#include "sample.h"
#include "rounds.h"

#define WATCH_MAX_BACKOFF	(30 * 1000000ULL)

static const char *
watch_role(const struct sample *s)
{
	return s->s_role == ROLE_PRIMARY ? "primary" : "standby";
}

static void
watch_updown(struct pgw *p, struct host *h, const struct sample *s,
    const struct verdict *v)
{
	struct evline el;

	evline_begin(&el, v->v_ok ? "up" : "down", h->h_name);
	if (s->s_up && !v->v_ok)
		evline_str(&el, "reason", v->v_fail);
	if (s->s_up)
		evline_str(&el, "role", watch_role(s));
	report_fields(&el, s, v);
	evline_emit(&el);
}

/* Compares one host with what was printed last and says what changed. */
static void
watch_host(struct pgw *p, int i, const struct sample *s,
    const struct verdict *v)
{
	const struct sample *o = &p->p_last[i];
	const struct verdict *ov = &p->p_lastv[i];
	struct host *h = &p->p_hosts[i];
	struct evline el;

	if (!p->p_shown || v->v_ok != ov->v_ok ||
	    (!v->v_ok && strcmp(v->v_fail, ov->v_fail) != 0))
		watch_updown(p, h, s, v);
	/* A role differing from the last one seen, even across a down. */
	if (s->s_up && p->p_lastrole[i] != ROLE_UNKNOWN &&
	    p->p_lastrole[i] != s->s_role) {
		evline_begin(&el, "role", h->h_name);
		evline_str(&el, "role", watch_role(s));
		evline_str(&el, "was", p->p_lastrole[i] == ROLE_PRIMARY ?
		    "primary" : "standby");
		evline_uint(&el, "tli", s->s_tli);
		evline_emit(&el);
	}
	if (s->s_up)
		p->p_lastrole[i] = s->s_role;
	if (!p->p_shown || !s->s_up || !o->s_up)
		return;
	if (s->s_role == ROLE_STANDBY && o->s_role == ROLE_STANDBY &&
	    v->v_lag_over != ov->v_lag_over) {
		evline_begin(&el, "lag", h->h_name);
		evline_str(&el, "state", v->v_lag_over ? "over" : "under");
		evline_int(&el, "lag_bytes", v->v_lag_bytes);
		report_secs_field(&el, "lag_s", s->s_lag_s);
		evline_emit(&el);
	}
	if (s->s_role == ROLE_STANDBY && o->s_role == ROLE_STANDBY &&
	    report_streaming(s, v) != report_streaming(o, ov)) {
		evline_begin(&el, "streaming", h->h_name);
		evline_str(&el, "state", report_streaming(s, v) ? "regained" :
		    "lost");
		evline_str(&el, "wal", s->s_wal);
		evline_emit(&el);
	}
}

void
watch_eval(struct pgw *p)
{
	struct sample s[PGW_MAXHOSTS];
	struct verdict v[PGW_MAXHOSTS];
	int i, rc;

	for (i = 0; i < p->p_nhosts; i++)
		s[i] = p->p_hosts[i].h_sample;
	rc = report_judge(s, p->p_lastv, p->p_nhosts, &p->p_cond, v);
	if (rc == 2 && !p->p_split)
		log_warnx("split brain: more than one primary");
	else if (rc != 2 && p->p_split)
		log_info("split brain over: at most one primary");
	p->p_split = rc == 2;
	metrics_count(p, s, v);
	for (i = 0; i < p->p_nhosts && !p->p_quiet; i++)
		watch_host(p, i, &s[i], &v[i]);
	/* The reader is gone (vrrpd --track-fd died): lines would be lost. */
	if (ferror(stdout))
		fatalx(EXIT_RUNTIME, "stdout: cannot write event lines");
	memcpy(p->p_last, s, sizeof(s[0]) * (size_t)p->p_nhosts);
	memcpy(p->p_lastv, v, sizeof(v[0]) * (size_t)p->p_nhosts);
	p->p_shown = 1;
	notify_status("%s", rc == 0 ? "all conditions hold" :
	    rc == 1 ? "a condition does not hold" : "split brain");
	if (!p->p_ready) {
		p->p_ready = 1;
		notify_ready(p->p_readyfd);
	}
}

static void
watch_done(struct host *h, void *arg)
{
	struct pgw *p = arg;
	uint64_t now = mono_usec();
	int i = h->h_idx, inround = p->p_inround[i];

	/*
	 * --http answers for the first host, asked by a load balancer every
	 * few seconds: a backoff would hide its return (a rebuilt standby
	 * promoted, a restarted primary) for up to WATCH_MAX_BACKOFF.
	 */
	if (h->h_sample.s_up || (i == 0 && p->p_http != NULL))
		p->p_backoff[i] = p->p_interval;
	else {
		p->p_next_try[i] = now + p->p_backoff[i];
		p->p_backoff[i] *= 2;
		if (p->p_backoff[i] > WATCH_MAX_BACKOFF)
			p->p_backoff[i] = WATCH_MAX_BACKOFF;
		if (p->p_backoff[i] < p->p_interval)
			p->p_backoff[i] = p->p_interval;
	}
	p->p_inround[i] = 0;
	p->p_fresh[i] = 1;
	if (inround && --p->p_pending > 0)
		return;
	/* Round complete, or a drop noticed between rounds. */
	if (p->p_shown || p->p_pending == 0)
		watch_eval(p);
}

static void
watch_tick(evutil_socket_t fd, short what, void *arg)
{
	struct pgw *p = arg;
	uint64_t now = mono_usec();
	struct host *h;
	int i;

	for (i = 0; i < p->p_nhosts; i++) {
		h = &p->p_hosts[i];
		if (p->p_inround[i] || h->h_state == CONN_CONNECTING ||
		    h->h_state == CONN_QUERYING)
			continue;
		if (h->h_state == CONN_CLOSED && now < p->p_next_try[i])
			continue;
		p->p_inround[i] = 1;
		p->p_pending++;
	}
	/* Started after counting, so a synchronous failure counts down. */
	for (i = 0; i < p->p_nhosts; i++)
		if (p->p_inround[i] &&
		    p->p_hosts[i].h_state != CONN_CONNECTING &&
		    p->p_hosts[i].h_state != CONN_QUERYING)
			conn_sample(&p->p_hosts[i]);
}

int
watch_start(struct pgw *p)
{
	struct timeval tv = duration_tv(p->p_interval);
	int i;

	for (i = 0; i < p->p_nhosts; i++) {
		p->p_hosts[i].h_keep = 1;
		p->p_hosts[i].h_done = watch_done;
		p->p_hosts[i].h_arg = p;
		p->p_backoff[i] = p->p_interval;
		sample_down(&p->p_hosts[i].h_sample, "unknown", "no answer yet");
	}
	p->p_tick = event_new(p->p_base, -1, EV_PERSIST, watch_tick, p);
	if (p->p_tick == NULL || event_add(p->p_tick, &tv) == -1)
		return -1;
	if (!p->p_quiet)
		p->p_reader = outpipe_watch(p->p_base);
	watch_tick(-1, 0, p);
	return 0;
}

void
watch_dump(struct pgw *p)
{
	struct sample s[PGW_MAXHOSTS];
	struct verdict v[PGW_MAXHOSTS];
	struct evline el;
	const char *line;
	int i;

	for (i = 0; i < p->p_nhosts; i++)
		s[i] = p->p_hosts[i].h_sample;
	report_judge(s, p->p_lastv, p->p_nhosts, &p->p_cond, v);
	for (i = 0; i < p->p_nhosts; i++) {
		evline_begin_text(&el, report_word(&s[i]),
		    p->p_hosts[i].h_name);
		report_fields(&el, &s[i], &v[i]);
		if ((line = evline_end(&el)) != NULL)
			log_info("%s", line);
		evline_free(&el);
	}
}
