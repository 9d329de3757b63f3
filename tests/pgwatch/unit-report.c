/* SPDX-License-Identifier: ISC */
/* Judging hosts: lag against the primary, conditions, split brain. */
#include <string.h>

#include "args.h"
#include "http.h"
#include "report.h"
#include "sample.h"
#include "tap.h"

static struct sample
mk(int role, uint64_t lsn, uint64_t recv, const char *wal, double lag)
{
	struct sample s;

	memset(&s, 0, sizeof(s));
	s.s_up = 1;
	s.s_role = role;
	s.s_tli = 1;
	s.s_lsn = lsn;
	s.s_recv_lsn = recv;
	snprintf(s.s_wal, sizeof(s.s_wal), "%s", wal);
	s.s_lag_s = lag;
	s.s_conns = 10;
	s.s_maxconns = 100;
	s.s_reserved = 3;
	return s;
}

/* A query with only ?lag= (or none). */
static const struct hquery *
hq(int set, uint64_t lag)
{
	static struct hquery q;

	memset(&q, 0, sizeof(q));
	q.q_lag_set = set;
	q.q_lag = lag;
	return &q;
}

/* Patroni's parameters, parsed as a request's query. */
static int
code(const char *path, const struct sample *s, const struct verdict *v,
    int n, const char *query)
{
	struct hquery q;

	args_query(query, &q);
	return http_status(path, s, v, n, &q);
}

/* The standby first, as the watcher that answers for it has them. */
static void
patroni(void)
{
	struct sample s[2];
	struct verdict v[2];
	struct cond c;

	memset(&c, 0, sizeof(c));
	c.c_min_free = -1;
	s[0] = mk(ROLE_STANDBY, 1000, 3000, "streaming", 0);
	s[1] = mk(ROLE_PRIMARY, 5000, 0, "-", 0);
	snprintf(s[0].s_appname, sizeof(s[0].s_appname), "db2");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders),
	    "db3=sync\nxdb2=sync\ndb2=async\npg_basebackup=async");
	s[1].s_senders_known = 1;
	report_judge(s, NULL, 2, &c, v);
	is_int(code("/async", s, v, 2, "lag=4000"), 200, "/async?lag=4000");
	is_int(code("/asynchronous", s, v, 2, "lag=3999"), 503,
	    "/asynchronous?lag=3999: 4000 behind");
	is_int(code("/sync", s, v, 2, NULL), 503, "/sync: async by its name");
	is_int(code("/synchronous", s, v, 2, NULL), 503, "/synchronous");
	is_int(code("/quorum", s, v, 2, NULL), 503, "/quorum");
	is_int(code("/read-only-sync", s, v, 2, NULL), 503,
	    "/read-only-sync on an async standby");
	is_int(code("/async", s, v, 1, NULL), 503,
	    "/async without the primary: cannot tell");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders), "db2=potential");
	is_int(code("/async", s, v, 2, NULL), 200, "potential is async");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders), "db3=sync");
	is_int(code("/async", s, v, 2, NULL), 200,
	    "not connected: not synchronous");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders), "a=b=sync\ndb2=sync");
	is_int(code("/sync", s, v, 2, NULL), 200, "/sync: named sync");
	is_int(code("/synchronous", s, v, 2, "lag=3999"), 503,
	    "/synchronous?lag=3999: 4000 behind");
	is_int(code("/read-only-sync", s, v, 2, NULL), 200,
	    "/read-only-sync on the sync standby");
	is_int(code("/async", s, v, 2, NULL), 503, "/async: it is sync");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders), "db2=quorum");
	is_int(code("/quorum", s, v, 2, NULL), 200, "/quorum: quorum");
	is_int(code("/read-only-quorum", s, v, 2, NULL), 200,
	    "/read-only-quorum on a quorum standby");
	is_int(code("/sync", s, v, 2, NULL), 503, "/sync: quorum is not sync");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders), "db2=sync\ndb2=async");
	is_int(code("/sync", s, v, 2, NULL) * 1000 + code("/async", s, v, 2,
	    NULL), 503503, "two standbys named db2 that differ: cannot tell");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders), "db2=?");
	is_int(code("/async", s, v, 2, NULL), 503,
	    "sync_state hidden: cannot tell");
	snprintf(s[1].s_senders, sizeof(s[1].s_senders), "db2=async");
	is_int(code("/read-only-sync", &s[1], &v[1], 1, NULL), 200,
	    "/read-only-sync on the primary");
	is_int(code("/read-only-quorum", &s[1], &v[1], 1, NULL), 200,
	    "/read-only-quorum on the primary");
	is_int(code("/replica", s, v, 2, "replication_state=streaming"), 200,
	    "?replication_state=streaming while streaming");
	is_int(code("/replica", s, v, 2, "replication_state=in+archive+"
	    "recovery"), 503, "?replication_state=in archive recovery: 503");
	is_int(code("/replica", s, v, 2, "tag_nofailover=false"), 503,
	    "?tag_KEY=: 503, no tag is set");
	is_int(code("/read-only", &s[1], &v[1], 1, "tag_a=b"), 503,
	    "?tag_KEY= on /read-only of the primary: 503 too");
	is_int(code("/primary", &s[1], &v[1], 1, "tag_a=b"), 200,
	    "?tag_KEY= ignored on /primary");
	is_int(code("/replica", s, v, 2, "x=1&lag=10%20kB"), 200,
	    "?lag=10%%20kB decoded, unknown parameter ignored");
	is_int(code("/replica", s, v, 2, "lag=1.5kB"), 503, "?lag=1.5kB");
	is_int(code("/replica", s, v, 2, "lag=0xfa0"), 200, "?lag=0xfa0");
	is_int(code("/replica", s, v, 2, "lag=10mb"), 200,
	    "?lag=10mb: no limit, as Patroni");
	is_int(code("/replica", s, v, 2, "lag=16M"), 200,
	    "?lag=16M: not Patroni's unit, no limit");
	is_int(code("/replica", s, v, 2, "lag=zz&lag=1kB"), 200,
	    "?lag=zz&lag=1kB: the first, no limit");
	is_int(code("/replica", s, v, 2, "lag=-1"), 503,
	    "?lag=-1: no standby is within it");
	is_int(code("/readiness", s, v, 2, "lag=-1"), 503, "/readiness?lag=-1");
	is_int(code("/replica", s, v, 2, "lag=-0"), 503, "?lag=-0 is 0");
	is_int(code("/standby-leader", s, v, 2, NULL), 503,
	    "/standby-leader: 503 with the primary watched");
	is_int(code("/standby-leader", s, v, 1, NULL), 200,
	    "/standby-leader: 200 streaming with no primary watched");
	is_int(code("/standby_leader", s, v, 1, "tag_a=b"), 200,
	    "/standby_leader: tags ignored");
	is_int(code("/leader", s, v, 1, NULL), 503, "/leader: the primary's");
	is_int(code("/readiness", s, v, 2, "lag=3999"), 503,
	    "/readiness?lag=3999: 4000 not replayed");
	is_int(code("/readiness", s, v, 2, "lag=4000&mode=apply"), 200,
	    "/readiness?lag=4000&mode=apply");
	is_int(code("/readiness", s, v, 2, "lag=2000&mode=write"), 200,
	    "/readiness?mode=write: 2000 not received");
	is_int(code("/readiness", s, v, 2, "lag=1999&mode=write"), 503,
	    "/readiness?lag=1999&mode=write");
	is_int(code("/readiness", s, v, 2, "tag_a=b"), 200,
	    "/readiness: tags ignored");
	snprintf(s[0].s_wal, sizeof(s[0].s_wal), "connecting");
	report_judge(s, NULL, 2, &c, v);
	is_int(code("/replica", s, v, 2, "replication_state=streaming"), 503,
	    "?replication_state=streaming while connecting: 503");
	is_int(code("/replica", s, v, 2, NULL), 200, "/replica alone: 200");
	is_int(code("/standby-leader", s, v, 1, NULL), 503,
	    "/standby-leader: not streaming");
}

int
main(void)
{
	struct sample s[3];
	struct verdict v[3], prev[3];
	struct cond c;
	const char *names[3] = { "db1:5432", "db2:5432", "db3:5432" };
	char buf[1024];
	struct evline el;
	const char *line;

	memset(&c, 0, sizeof(c));
	c.c_min_free = -1;
	s[0] = mk(ROLE_PRIMARY, 5000, 0, "-", 0);
	s[1] = mk(ROLE_STANDBY, 1000, 1000, "none", 0);
	is_int(report_judge(s, NULL, 2, &c, v), 0, "no conditions: holds");
	is_int(v[1].v_lag_bytes, 4000,
	    "receiver down: lag against the primary, not own numbers");
	is_int(v[0].v_free, 87, "free = max - reserved - used");

	ok(args_lag("3000", &c.c_lag, buf, sizeof(buf)) == 0, "-c 3000");
	is_int(report_judge(s, NULL, 2, &c, v), 1, "lag over bytes: exit 1");
	is_str(v[1].v_fail, "lag", "failure named");
	ok(v[0].v_ok, "primary still ok");
	is_int(report_judge(&s[1], NULL, 1, &c, v), 0,
	    "standby alone: own numbers say 0 behind");
	c.c_streaming = 1;
	is_int(report_judge(&s[1], NULL, 1, &c, v), 1,
	    "--require-streaming catches it");
	c.c_streaming = 0;
	c.c_lag.l_bytes_set = 0;

	ok(args_lag("2s", &c.c_lag, buf, sizeof(buf)) == 0, "-c 2s");
	s[1].s_lag_s = 3;
	is_int(report_judge(s, NULL, 2, &c, v), 1, "time lag over 2s");
	s[1].s_lag_s = -1;
	is_int(report_judge(s, NULL, 2, &c, v), 1, "unknown time lag fails");
	s[1].s_lag_s = 1;
	is_int(report_judge(s, NULL, 2, &c, v), 0, "time lag under 2s");
	c.c_lag.l_secs_set = 0;

	/* lag 4000 bytes, 1 s: each range form, and check_postgres's "and" */
	s[1].s_lag_s = 1;
	{
		static const struct { const char *r; int rc; } f[] = {
			{ "5000", 0 }, { "3000", 1 }, { "~:3999", 1 },
			{ "~:4000", 0 }, { "4001:", 1 }, { "4000:", 0 },
			{ "1000:5000", 0 }, { "5000:6000", 1 },
			{ "@1000:5000", 1 }, { "@4001:5000", 0 },
			{ "1kB", 1 }, { "4kB", 0 }, { "500ms", 1 }, { "2s", 0 },
			{ "3000 and 2s", 0 }, { "3000 and 500ms", 1 },
			{ "5000 and 500ms", 0 }, { "3000 and 2 min", 0 },
			{ "3000 and 0", 1 }, { "3000 AND 1 second", 0 },
		};
		size_t i;

		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			memset(&c.c_lag, 0, sizeof(c.c_lag));
			ok(args_lag(f[i].r, &c.c_lag, buf, sizeof(buf)) == 0,
			    "-c '%s' parses", f[i].r);
			is_int(report_judge(s, NULL, 2, &c, v), f[i].rc,
			    "lag 4000B 1s against -c '%s'", f[i].r);
		}
		memset(&c.c_lag, 0, sizeof(c.c_lag));
	}

	c.c_nexpect = 1;
	c.c_expect[0] = EXPECT_PRIMARY;
	is_int(report_judge(s, NULL, 2, &c, v), 1, "one --expect for all");
	c.c_nexpect = 2;
	c.c_expect[1] = EXPECT_STANDBY;
	is_int(report_judge(s, NULL, 2, &c, v), 0, "--expect per host");
	c.c_expect[0] = EXPECT_STANDBY;
	is_int(report_judge(s, NULL, 2, &c, v), 1, "primary expected standby");
	is_str(v[0].v_fail, "expect", "named expect");
	c.c_nexpect = 0;

	c.c_min_free = 88;
	is_int(report_judge(s, NULL, 2, &c, v), 1, "headroom 87 < 88");
	is_str(v[0].v_fail, "connections", "named connections");
	c.c_min_free = -1;

	/* Rejoined without pg_rewind: older timeline, receiver waiting. */
	s[0].s_tli = 2;
	s[1] = mk(ROLE_STANDBY, 6000, 1000, "waiting", 0);
	is_int(report_judge(s, NULL, 2, &c, v), 1, "older timeline, waiting: exit 1");
	is_str(v[1].v_fail, "timeline", "named timeline");
	ok(v[1].v_diverged && !v[0].v_diverged, "only the standby flagged");
	is_int(v[1].v_lag_bytes, 0, "its LSN may even be ahead: lag 0");
	is_int(http_status("/replica", &s[1], &v[1], 1, hq(0, 0)), 503,
	    "/replica: 503 for a standby that does not follow");
	is_int(http_status("/read-only", &s[1], &v[1], 1, hq(0, 0)), 503,
	    "/read-only: 503 likewise");
	snprintf(s[1].s_wal, sizeof(s[1].s_wal), "hidden");
	is_int(report_judge(s, NULL, 2, &c, v), 0, "receiver hidden: cannot tell");
	snprintf(s[1].s_wal, sizeof(s[1].s_wal), "streaming");
	is_int(report_judge(s, NULL, 2, &c, v), 0, "streaming: switching timeline");
	is_int(report_unsure(s, 2), 1,
	    "older timeline, streaming: a one-shot check asks again");
	ok(report_streaming(&s[1], &v[1]), "and calls it streaming meanwhile");
	/* Its receiver, restarted, shows "streaming" until it is refused. */
	snprintf(s[1].s_wal, sizeof(s[1].s_wal), "waiting");
	is_int(report_unsure(s, 2), 0, "older timeline, waiting: sure");
	report_judge(s, NULL, 2, &c, prev);
	snprintf(s[1].s_wal, sizeof(s[1].s_wal), "streaming");
	is_int(report_judge(s, prev, 2, &c, v), 1,
	    "diverged the round before, streaming now: still diverged");
	ok(v[1].v_diverged, "and flagged so");
	ok(!report_streaming(&s[1], &v[1]),
	    "--watch: not a streaming standby (no \"regained\" line)");
	memcpy(prev, v, sizeof(v));
	s[1].s_tli = 2;
	is_int(report_judge(s, prev, 2, &c, v), 0,
	    "diverged before, on the primary's timeline now: follows it");
	s[1].s_tli = 1;
	snprintf(s[1].s_wal, sizeof(s[1].s_wal), "none");
	s[1].s_tli = 2;
	is_int(report_judge(s, NULL, 2, &c, v), 0, "same timeline: not diverged");
	is_int(report_unsure(s, 2), 0, "same timeline: sure");
	is_int(report_judge(&s[1], NULL, 1, &c, v), 0, "no primary: cannot tell");
	s[0].s_tli = 1;
	s[1] = mk(ROLE_STANDBY, 1000, 1000, "none", 1);

	s[2] = mk(ROLE_PRIMARY, 9000, 0, "-", 0);
	is_int(report_judge(s, NULL, 3, &c, v), 2, "two primaries: exit 2");
	ok(v[0].v_split && v[2].v_split && !v[1].v_split, "both flagged");
	is_int(v[1].v_lag_bytes, 0, "no single primary: own numbers");

	sample_down(&s[0], "refused", "Connection refused");
	is_int(report_judge(s, NULL, 2, &c, v), 1, "a host down: exit 1");
	evline_begin(&el, report_word(&s[0]), "db1:5432");
	report_fields(&el, &s[0], &v[0]);
	is_str(evline_end(&el), "down db1:5432 reason=refused "
	    "msg=\"Connection refused\"", "down line");
	evline_free(&el);
	is_int(report_nagios(names, s, v, 2, &c, 0.01, buf, sizeof(buf)), 2,
	    "nagios CRITICAL");
	ok(strncmp(buf, "PGWATCH CRITICAL: down db1:5432 (refused)", 41) == 0,
	    "nagios line: %s", buf);

	s[0] = mk(ROLE_PRIMARY, 5000, 0, "-", 0);
	ok(args_lag("1000", &c.c_warn, buf, sizeof(buf)) == 0 &&
	    args_lag("8000", &c.c_lag, buf, sizeof(buf)) == 0, "-w 1000 -c 8000");
	is_int(report_judge(s, NULL, 2, &c, v), 0, "under --max-lag: holds");
	is_int(report_nagios(names, s, v, 2, &c, 0.01, buf, sizeof(buf)), 1,
	    "over --warning-lag only: nagios WARNING");
	ok(strstr(buf, "PGWATCH WARNING: primary db1:5432, standby db2:5432 "
	    "none lag 4000B 1.000s (lag) |") != NULL, "warning line: %s", buf);
	ok(strstr(buf, "'db2:5432 lag_bytes'=4000B;1000;8000;0") != NULL,
	    "perfdata warn;crit");
	memset(&c.c_warn, 0, sizeof(c.c_warn));
	memset(&c.c_lag, 0, sizeof(c.c_lag));
	ok(args_lag("~:1kB", &c.c_warn, buf, sizeof(buf)) == 0 &&
	    args_lag("@8000:9000", &c.c_lag, buf, sizeof(buf)) == 0 &&
	    args_lag("10s:", &c.c_lag, buf, sizeof(buf)) == 0, "ranges");
	report_judge(s, NULL, 2, &c, v);
	report_nagios(names, s, v, 2, &c, 0.01, buf, sizeof(buf));
	ok(strstr(buf, "'db2:5432 lag_bytes'=4000B;~:1024;@8000:9000;0") !=
	    NULL && strstr(buf, "'db2:5432 lag_s'=1.000s;;10:;0") != NULL,
	    "perfdata thresholds in the range syntax, base units: %s", buf);
	c.c_warn.l_bytes_set = c.c_lag.l_bytes_set = 0;
	report_judge(s, NULL, 2, &c, v);
	evline_begin(&el, report_word(&s[1]), "db2:5432");
	report_fields(&el, &s[1], &v[1]);
	line = evline_end(&el);
	ok(line && strstr(line, "lag_bytes=4000 lag_s=1.000") != NULL,
	    "standby line: %s", line ? line : "(null)");
	evline_free(&el);
	is_int(http_status("/primary", &s[0], &v[0], 1, hq(0, 0)), 200,
	    "/primary on the primary");
	is_int(http_status("/replica", &s[0], &v[0], 1, hq(0, 0)), 503,
	    "/replica on the primary");
	is_int(http_status("/replica", &s[1], &v[1], 1, hq(1, 3000)), 503,
	    "/replica?lag=3000 with 4000 behind");
	is_int(http_status("/replica", &s[1], &v[1], 1, hq(1, 5000)), 200,
	    "/replica?lag=5000");
	is_int(http_status("/read-only", &s[1], &v[1], 1, hq(0, 0)), 200,
	    "/read-only on a standby");
	is_int(http_status("/readiness", &s[1], &v[1], 1, hq(0, 0)), 503,
	    "/readiness: standby not streaming");
	is_int(http_status("/nope", &s[1], &v[1], 1, hq(0, 0)), 503,
	    "unknown path: 503, as Patroni");
	is_int(http_status("/standby", &s[1], &v[1], 1, hq(0, 0)), 503,
	    "/standby: not Patroni's");
	is_int(http_status("/replica/", &s[1], &v[1], 1, hq(0, 0)), 200,
	    "/replica/: Patroni reads the word");
	is_int(http_status("/healthz", &s[1], &v[1], 1, hq(0, 0)), 200,
	    "/healthz: as /health");
	is_int(http_status("/read-only-sync", &s[1], &v[1], 1, hq(0, 0)), 503,
	    "/read-only-sync: not /read-only");
	is_int(http_status("/x/leader", &s[0], &v[0], 1, hq(0, 0)), 200,
	    "/x/leader: as /leader");
	is_int(http_status("/liveness/x", &s[1], &v[1], 1, hq(0, 0)), 200,
	    "/liveness/x: Patroni's /liveness");
	is_int(http_status("/cluster", &s[1], &v[1], 1, hq(0, 0)), 404,
	    "/cluster: Patroni's DCS, not here");
	patroni();
	return done_testing();
}
