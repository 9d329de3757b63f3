/* SPDX-License-Identifier: ISC */
/*
 * --watch's view of every host in the Prometheus text format (lib/prom.h):
 * GET /metrics on --http, and --metrics ADDR:PORT (lib/promhttp.h) for a
 * watcher with no --http.  A scrape never touches PostgreSQL: it reads the
 * watch loop's latest samples and judges them as a round would.
 *
 * Every series has a "host" label, the host:port pgwatch names in its
 * lines; not "instance", which Prometheus gives the scraped target (a
 * clash would rename ours to "exported_instance").  A role is one series
 * per possible value, 1 for the current one (as vrrpd's states), so a
 * query or an alert names the role.  Lag and timeline are known only for
 * a host that answered, and lag only for a standby: otherwise the series
 * is left out rather than given a made-up value.
 */
#include <stdint.h>
#include <stdio.h>

#include <event2/buffer.h>

#include "pgconn.h"
#include "duration.h"
#include "log.h"
#include "metrics.h"
#include "prom.h"
#include "promhttp.h"
#include "report.h"

static const char *const metrics_outcomes[PGW_OUTCOMES] = {
	"ok", "failed", "down",
};

/* The watch loop's latest samples, judged as a round would judge them. */
static void
metrics_judge(struct pgw *p, struct sample *s, struct verdict *v)
{
	int i;

	for (i = 0; i < p->p_nhosts; i++)
		s[i] = p->p_hosts[i].h_sample;
	report_judge(s, p->p_lastv, p->p_nhosts, &p->p_cond, v);
}

static const char *
metrics_role(const struct sample *s)
{
	if (!s->s_up)
		return "unknown";
	return s->s_role == ROLE_PRIMARY ? "primary" : s->s_role ==
	    ROLE_STANDBY ? "standby" : "unknown";
}

static void
metrics_roles(struct prom *pr, const struct pgw *p, const struct sample *s)
{
	static const char *const roles[] = { "primary", "standby", "unknown" };
	size_t k;
	int i;

	prom_family(pr, "hatools_pgwatch_role", PROM_GAUGE, "The host's "
	    "role: 1 for the one it has (unknown while it does not answer), "
	    "0 for the others.");
	for (i = 0; i < p->p_nhosts; i++)
		for (k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
			prom_u64(pr, metrics_role(&s[i]) == roles[k], "host",
			    p->p_hosts[i].h_name, "role", roles[k], NULL);
	prom_family(pr, "hatools_pgwatch_role_changes_total", PROM_COUNTER,
	    "Role changes seen (the role lines: a promotion, a demotion).");
	for (i = 0; i < p->p_nhosts; i++)
		prom_u64(pr, p->p_rolechanges[i], "host", p->p_hosts[i].h_name,
		    NULL);
}

/* One 0/1 gauge per host. */
static void
metrics_flag(struct prom *pr, const struct pgw *p, const char *name,
    const char *help, const int *val)
{
	int i;

	prom_family(pr, name, PROM_GAUGE, help);
	for (i = 0; i < p->p_nhosts; i++)
		prom_u64(pr, val[i] != 0, "host", p->p_hosts[i].h_name, NULL);
}

static void
metrics_flags(struct prom *pr, const struct pgw *p, const struct sample *s,
    const struct verdict *v)
{
	int up[PGW_MAXHOSTS], ok[PGW_MAXHOSTS], str[PGW_MAXHOSTS];
	int i;

	for (i = 0; i < p->p_nhosts; i++) {
		up[i] = s[i].s_up;
		ok[i] = v[i].v_ok;
		str[i] = report_streaming(&s[i], &v[i]);
	}
	metrics_flag(pr, p, "hatools_pgwatch_up", "1 when the host answered "
	    "the last query.", up);
	metrics_flag(pr, p, "hatools_pgwatch_ok", "1 when every condition "
	    "holds for the host (its line says up).", ok);
	metrics_flag(pr, p, "hatools_pgwatch_streaming", "1 for a standby "
	    "streaming WAL from the primary.", str);
	prom_family(pr, "hatools_pgwatch_split_brain", PROM_GAUGE, "1 while "
	    "more than one host is a primary.");
	prom_u64(pr, p->p_split != 0, NULL);
}

static void
metrics_lag(struct prom *pr, const struct pgw *p, const struct sample *s,
    const struct verdict *v)
{
	int i;

	prom_family(pr, "hatools_pgwatch_replication_lag_bytes", PROM_GAUGE,
	    "A standby's WAL not yet replayed, against the primary's "
	    "position (or its own received position without a primary).");
	for (i = 0; i < p->p_nhosts; i++)
		if (s[i].s_up && s[i].s_role == ROLE_STANDBY &&
		    v[i].v_lag_bytes >= 0)
			prom_i64(pr, v[i].v_lag_bytes, "host",
			    p->p_hosts[i].h_name, NULL);
	prom_family(pr, "hatools_pgwatch_replication_lag_seconds", PROM_GAUGE,
	    "Seconds since the last transaction a standby replayed was "
	    "committed on the primary, 0 when it has replayed all it "
	    "received.");
	for (i = 0; i < p->p_nhosts; i++)
		if (s[i].s_up && s[i].s_role == ROLE_STANDBY &&
		    s[i].s_lag_s >= 0)
			prom_dbl(pr, s[i].s_lag_s, "host",
			    p->p_hosts[i].h_name, NULL);
	prom_family(pr, "hatools_pgwatch_timeline", PROM_GAUGE, "The host's "
	    "timeline (a promotion starts a new one).");
	for (i = 0; i < p->p_nhosts; i++)
		if (s[i].s_up)
			prom_u64(pr, s[i].s_tli, "host", p->p_hosts[i].h_name,
			    NULL);
}

static void
metrics_checks(struct prom *pr, const struct pgw *p)
{
	const struct host *h;
	int i, k;

	prom_family(pr, "hatools_pgwatch_checks_total", PROM_COUNTER,
	    "Checks of the host, by outcome: ok (every condition holds), "
	    "failed (it answered; a condition does not hold), down (no "
	    "answer).");
	for (i = 0; i < p->p_nhosts; i++)
		for (k = 0; k < PGW_OUTCOMES; k++)
			prom_u64(pr, p->p_checks[i][k], "host",
			    p->p_hosts[i].h_name, "outcome",
			    metrics_outcomes[k], NULL);
	prom_family(pr, "hatools_pgwatch_last_check_duration_seconds",
	    PROM_GAUGE, "How long the host's last check took, connecting "
	    "included.");
	for (i = 0; i < p->p_nhosts; i++) {
		h = &p->p_hosts[i];
		if (h->h_started != 0 && h->h_sampled >= h->h_started)
			prom_dbl(pr, (double)(h->h_sampled - h->h_started) /
			    1e6, "host", h->h_name, NULL);
	}
}

void
metrics_write(struct pgw *p, struct evbuffer *out)
{
	struct sample s[PGW_MAXHOSTS];
	struct verdict v[PGW_MAXHOSTS];
	struct prom pr;
	const char *why;

	metrics_judge(p, s, v);
	prom_init(&pr, out);
	prom_build_info(&pr, "pgwatch");
	metrics_roles(&pr, p, s);
	metrics_flags(&pr, p, s, v);
	metrics_lag(&pr, p, s, v);
	metrics_checks(&pr, p);
	if (prom_error(&pr, &why))
		log_warnx_rl("metrics: %s (a bug)", why);
}

/*
 * A round judged these hosts: count each fresh sample's outcome once, and
 * a role other than the last one seen (even across a down, as the role
 * line; counted here, not there, so --quiet counts too).
 */
void
metrics_count(struct pgw *p, const struct sample *s, const struct verdict *v)
{
	int i;

	for (i = 0; i < p->p_nhosts; i++) {
		if (s[i].s_up) {
			if (p->p_mrole[i] != ROLE_UNKNOWN &&
			    p->p_mrole[i] != s[i].s_role)
				p->p_rolechanges[i]++;
			p->p_mrole[i] = s[i].s_role;
		}
		if (!p->p_fresh[i])
			continue;
		p->p_fresh[i] = 0;
		p->p_checks[i][v[i].v_ok ? METRICS_OK : s[i].s_up ?
		    METRICS_FAILED : METRICS_DOWN]++;
	}
}

/* promhttp_fn */
static void
metrics_http(void *arg, struct evbuffer *out)
{
	metrics_write(arg, out);
}

int
metrics_start(struct pgw *p, const char *addr)
{
	char err[256];

	if ((p->p_metrics = promhttp_open(p->p_base, addr, metrics_http, p,
	    err, sizeof(err))) == NULL) {
		log_warnx("--metrics %s", err);
		return -1;
	}
	return 0;
}

void
metrics_stop(struct pgw *p)
{
	promhttp_close(p->p_metrics);
	p->p_metrics = NULL;
}
