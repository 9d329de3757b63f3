/* SPDX-License-Identifier: ISC */
/*
 * The metrics text of two hosts (metrics.c): a role per series, no lag
 * or timeline series for a host that does not say them, each fresh
 * sample's outcome counted once, a role change counted across a down.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "pgconn.h"
#include "metrics.h"
#include "report.h"
#include "sample.h"
#include "tap.h"

static char text[16384];

static void
render(struct pgw *p)
{
	struct evbuffer *b = evbuffer_new();
	size_t n;

	metrics_write(p, b);
	n = evbuffer_get_length(b);
	if (n >= sizeof(text))
		n = sizeof(text) - 1;
	evbuffer_remove(b, text, n);
	text[n] = '\0';
	evbuffer_free(b);
}

/* the whole line, exactly */
static int
has(const char *line)
{
	const char *p = text;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

/* a sample line of this name and labels, whatever its value */
static int
has_series(const char *head)
{
	const char *p = text;
	size_t n = strlen(head);

	while ((p = strstr(p, head)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return 1;
		p += n;
	}
	return 0;
}

static void
up(struct sample *s, int role, uint32_t tli, uint64_t lsn)
{
	memset(s, 0, sizeof(*s));
	s->s_up = 1;
	s->s_role = role;
	s->s_tli = tli;
	s->s_lsn = lsn;
	s->s_recv_lsn = role == ROLE_STANDBY ? lsn : 0;
	s->s_lag_s = role == ROLE_STANDBY ? 0.5 : -1;
	snprintf(s->s_wal, sizeof(s->s_wal), "%s", role == ROLE_STANDBY ?
	    "streaming" : "none");
	s->s_maxconns = 100;
}

/* A round: both hosts sampled, judged, counted. */
static void
round_(struct pgw *p)
{
	struct sample s[2];
	struct verdict v[2];

	s[0] = p->p_hosts[0].h_sample;
	s[1] = p->p_hosts[1].h_sample;
	report_judge(s, p->p_lastv, 2, &p->p_cond, v);
	p->p_fresh[0] = p->p_fresh[1] = 1;
	metrics_count(p, s, v);
	memcpy(p->p_lastv, v, sizeof(v));
}

int
main(void)
{
	static struct pgw p;
	static struct host h[2];

	p.p_hosts = h;
	p.p_nhosts = 2;
	p.p_cond.c_min_free = -1;
	snprintf(h[0].h_name, sizeof(h[0].h_name), "db1:5432");
	snprintf(h[1].h_name, sizeof(h[1].h_name), "db2:5432");

	up(&h[0].h_sample, ROLE_PRIMARY, 1, 5000);
	up(&h[1].h_sample, ROLE_STANDBY, 1, 4000);
	h[1].h_started = 1000000;
	h[1].h_sampled = 1250000;
	round_(&p);
	render(&p);
	ok(has("hatools_pgwatch_role{host=\"db1:5432\",role=\"primary\"} 1"),
	    "db1 primary");
	ok(has("hatools_pgwatch_role{host=\"db1:5432\",role=\"standby\"} 0"),
	    "db1 not standby");
	ok(has("hatools_pgwatch_role{host=\"db2:5432\",role=\"standby\"} 1"),
	    "db2 standby");
	ok(has("hatools_pgwatch_replication_lag_bytes{host=\"db2:5432\"} 1000"),
	    "db2's lag against db1's LSN");
	ok(!has_series("hatools_pgwatch_replication_lag_bytes{host=\"db1:5432\"}"),
	    "no lag series for the primary");
	ok(has("hatools_pgwatch_replication_lag_seconds{host=\"db2:5432\"} 0.5"),
	    "db2's lag in seconds");
	ok(has("hatools_pgwatch_timeline{host=\"db1:5432\"} 1"), "timeline");
	ok(has("hatools_pgwatch_checks_total{host=\"db2:5432\",outcome=\"ok\"} 1"),
	    "one ok check");
	ok(has("hatools_pgwatch_last_check_duration_seconds{host=\"db2:5432\"} 0.25"),
	    "check duration");
	ok(!has_series("hatools_pgwatch_last_check_duration_seconds{host=\"db1:5432\"}"),
	    "no duration before a check began");
	ok(has("hatools_pgwatch_split_brain 0"), "no split brain");

	/* counted once: a scrape or a second judge without a sample adds none */
	metrics_count(&p, &h[0].h_sample, p.p_lastv);
	render(&p);
	ok(has("hatools_pgwatch_checks_total{host=\"db1:5432\",outcome=\"ok\"} 1"),
	    "a sample is counted once");

	/* db1 down, then db2 promoted: unknown role, no timeline, a change */
	sample_down(&h[0].h_sample, "refused", "connection refused");
	round_(&p);
	up(&h[1].h_sample, ROLE_PRIMARY, 2, 6000);
	round_(&p);
	render(&p);
	ok(has("hatools_pgwatch_role{host=\"db1:5432\",role=\"unknown\"} 1"),
	    "a down host's role is unknown");
	ok(has("hatools_pgwatch_up{host=\"db1:5432\"} 0"), "db1 not up");
	ok(!has_series("hatools_pgwatch_timeline{host=\"db1:5432\"}"),
	    "no timeline for a down host");
	ok(has("hatools_pgwatch_checks_total{host=\"db1:5432\",outcome=\"down\"} 2"),
	    "two down checks");
	ok(has("hatools_pgwatch_role{host=\"db2:5432\",role=\"primary\"} 1"),
	    "db2 promoted");
	ok(has("hatools_pgwatch_timeline{host=\"db2:5432\"} 2"), "timeline 2");
	ok(has("hatools_pgwatch_role_changes_total{host=\"db2:5432\"} 1"),
	    "one role change");
	ok(!has_series("hatools_pgwatch_replication_lag_bytes{host=\"db2:5432\"}"),
	    "no lag series once primary");

	/* db1 back as a primary too: split brain; its role changed? no */
	up(&h[0].h_sample, ROLE_PRIMARY, 1, 5000);
	round_(&p);
	render(&p);
	ok(has("hatools_pgwatch_role_changes_total{host=\"db1:5432\"} 0"),
	    "primary, down, primary again: no role change");
	ok(has("hatools_pgwatch_checks_total{host=\"db1:5432\",outcome=\"failed\"} 1"),
	    "split brain: db1's check failed");
	return done_testing();
}
