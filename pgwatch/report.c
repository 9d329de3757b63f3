/* SPDX-License-Identifier: ISC */
/*
 * Lag in bytes is the primary's current LSN minus the standby's replay LSN
 * when exactly one primary answered; otherwise only the standby's own
 * numbers (received minus replayed) are known, and a standby whose WAL
 * receiver is down looks 0 bytes behind by them: --require-streaming or a
 * primary among the hosts catches that.
 *
 * A standby that rejoined without pg_rewind (its WAL went past the point
 * where the primary's timeline forked off) answers queries, but its
 * startup process refuses the new timeline and its WAL receiver waits
 * forever on the old one; its replay LSN may even be ahead of the
 * primary's, so lag says nothing.  What shows it: a timeline older than
 * the primary's and a WAL receiver that does not stream.  A healthy
 * standby passes through that only for the moment between the end of the
 * old timeline and asking for the new one (received_tli moves then).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plugin.h"
#include "report.h"
#include "sample.h"

static void
report_fail(struct verdict *v, const char *why)
{
	size_t len = strlen(v->v_fail);

	v->v_ok = 0;
	snprintf(v->v_fail + len, sizeof(v->v_fail) - len, "%s%s",
	    len ? "," : "", why);
}

/*
 * Is a standby past l?  An unknown time lag is past any time limit.  With
 * l_both (check_postgres's "BYTES and TIME") both must be past.
 */
static int
report_over(const struct sample *s, int64_t lag_bytes,
    const struct lagmax *l)
{
	int bytes, secs;

	if (s->s_role != ROLE_STANDBY)
		return 0;
	bytes = l->l_bytes_set && lag_bytes >= 0 &&
	    range_alert(&l->l_bytes, (double)lag_bytes);
	secs = l->l_secs_set && (s->s_lag_s < 0 ||
	    range_alert(&l->l_secs, s->s_lag_s));
	return l->l_both ? bytes && secs : bytes || secs;
}

/* Unknown when the role may not see the WAL receiver ("hidden"). */
static int
report_diverged(const struct sample *s, const struct sample *primary,
    const struct verdict *prev)
{
	if (primary == NULL || s->s_role != ROLE_STANDBY ||
	    s->s_tli >= primary->s_tli)
		return 0;
	if (prev != NULL && prev->v_diverged)
		return 1;
	return strcmp(s->s_wal, "streaming") != 0 &&
	    strcmp(s->s_wal, "hidden") != 0;
}

static void
report_host(const struct sample *s, const struct sample *primary,
    const struct verdict *prev, int expect, const struct cond *c,
    struct verdict *v)
{
	v->v_ok = 1;
	v->v_up = s->s_up;
	v->v_lag_bytes = -1;
	if (!s->s_up) {
		report_fail(v, s->s_reason);
		return;
	}
	v->v_free = s->s_maxconns - s->s_reserved - s->s_conns;
	if (v->v_free < 0)
		v->v_free = 0;
	if (s->s_role == ROLE_STANDBY) {
		if (primary)
			v->v_lag_bytes = primary->s_lsn > s->s_lsn ?
			    (int64_t)(primary->s_lsn - s->s_lsn) : 0;
		else
			v->v_lag_bytes = s->s_recv_lsn > s->s_lsn ?
			    (int64_t)(s->s_recv_lsn - s->s_lsn) : 0;
	}
	if ((expect == EXPECT_PRIMARY && s->s_role != ROLE_PRIMARY) ||
	    (expect == EXPECT_STANDBY && s->s_role != ROLE_STANDBY))
		report_fail(v, "expect");
	if (v->v_split)
		report_fail(v, "split-brain");
	if (report_over(s, v->v_lag_bytes, &c->c_lag)) {
		v->v_lag_over = 1;
		report_fail(v, "lag");
	}
	v->v_lag_warn = report_over(s, v->v_lag_bytes, &c->c_warn);
	if (report_diverged(s, primary, prev)) {
		v->v_diverged = 1;
		report_fail(v, "timeline");
	}
	if (c->c_streaming && s->s_role == ROLE_STANDBY &&
	    strcmp(s->s_wal, "streaming") != 0)
		report_fail(v, "streaming");
	if (c->c_min_free >= 0 && v->v_free < c->c_min_free)
		report_fail(v, "connections");
}

/* How many hosts answered as primary (more than one: split brain). */
static int
report_primaries(const struct sample *s, int n, const struct sample **last)
{
	int i, nprimary = 0;

	*last = NULL;
	for (i = 0; i < n; i++)
		if (s[i].s_up && s[i].s_role == ROLE_PRIMARY) {
			nprimary++;
			*last = &s[i];
		}
	return nprimary;
}

const struct sample *
report_primary(const struct sample *s, int n)
{
	const struct sample *primary;

	return report_primaries(s, n, &primary) == 1 ? primary : NULL;
}

int
report_streaming(const struct sample *s, const struct verdict *v)
{
	return s->s_up && s->s_role == ROLE_STANDBY &&
	    strcmp(s->s_wal, "streaming") == 0 && !v->v_diverged;
}

int
report_unsure(const struct sample *s, int n)
{
	const struct sample *primary = report_primary(s, n);
	int i;

	for (i = 0; primary != NULL && i < n; i++)
		if (s[i].s_up && s[i].s_role == ROLE_STANDBY &&
		    s[i].s_tli < primary->s_tli &&
		    strcmp(s[i].s_wal, "streaming") == 0)
			return 1;
	return 0;
}

int
report_judge(const struct sample *s, const struct verdict *prev, int n,
    const struct cond *c, struct verdict *v)
{
	const struct sample *primary;
	int i, nprimary, rc = 0, expect;

	memset(v, 0, sizeof(*v) * (size_t)n);
	nprimary = report_primaries(s, n, &primary);
	if (nprimary > 1)
		primary = NULL;
	for (i = 0; i < n; i++) {
		v[i].v_split = nprimary > 1 && s[i].s_up &&
		    s[i].s_role == ROLE_PRIMARY;
		expect = c->c_nexpect == 0 ? EXPECT_ANY :
		    c->c_expect[c->c_nexpect == 1 ? 0 : i];
		report_host(&s[i], primary, prev ? &prev[i] : NULL, expect, c,
		    &v[i]);
		if (!v[i].v_ok && rc == 0)
			rc = 1;
	}
	return nprimary > 1 ? 2 : rc;
}

const char *
report_word(const struct sample *s)
{
	if (!s->s_up)
		return "down";
	return s->s_role == ROLE_PRIMARY ? "primary" : "standby";
}

char *
report_secs(double s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "unknown");
	else if (s == 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%.3f", s);
	return buf;
}

void
report_secs_field(struct evline *el, const char *key, double s)
{
	if (s < 0)
		evline_null(el, key, "unknown");
	else if (s == 0)
		evline_int(el, key, 0);
	else
		evline_dec(el, key, s, 3);
}

void
report_fields(struct evline *el, const struct sample *s,
    const struct verdict *v)
{
	char lsn[24], rlsn[24];

	if (!s->s_up) {
		evline_str(el, "reason", s->s_reason);
		evline_quoted(el, "msg", s->s_msg);
		return;
	}
	sample_lsn_fmt(s->s_lsn, lsn, sizeof(lsn));
	evline_uint(el, "tli", s->s_tli);
	evline_str(el, "lsn", lsn);
	if (s->s_role == ROLE_STANDBY) {
		sample_lsn_fmt(s->s_recv_lsn, rlsn, sizeof(rlsn));
		evline_str(el, "receive_lsn", rlsn);
		evline_str(el, "wal", s->s_wal);
		evline_int(el, "lag_bytes", v->v_lag_bytes);
		report_secs_field(el, "lag_s", s->s_lag_s);
		evline_int(el, "paused", s->s_paused);
	}
	evline_strf(el, "conns", "%ld/%ld", s->s_conns, s->s_maxconns);
	evline_int(el, "free", v->v_free);
	evline_str(el, "check", v->v_ok ? "ok" : v->v_fail);
}

static void
report_cat(char *buf, size_t len, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
report_cat(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (r > 0)
		*off += (size_t)r;
	if (*off >= len)
		*off = len;
}

/* A threshold for perfdata in its range form, "" when not set. */
static void
report_thr(char *buf, size_t len, int set, const struct range *r)
{
	if (!set)
		buf[0] = '\0';
	else
		range_format(r, buf, len);
}

/*
 * check_postgres style: "PGWATCH OK: ... | perfdata", labels quoted,
 * 'label'=value[UOM];warn;crit;min;max, warn and crit in the range
 * syntax.  CRITICAL when a host is down or a condition fails, WARNING
 * when only -w/--warning is crossed.
 */
int
report_nagios(const char *const *names, const struct sample *s,
    const struct verdict *v, int n, const struct cond *c, double secs,
    char *buf, size_t len)
{
	char wb[48], cb[48], ws[48], cs[48], t[24];
	size_t off = 0;
	int i, rc = PLUGIN_OK;

	for (i = 0; i < n; i++) {
		if (!v[i].v_ok)
			rc = PLUGIN_CRITICAL;
		else if (v[i].v_lag_warn && rc == PLUGIN_OK)
			rc = PLUGIN_WARNING;
	}
	report_cat(buf, len, &off, "PGWATCH %s:", plugin_state[rc]);
	for (i = 0; i < n; i++) {
		report_cat(buf, len, &off, "%s %s %s", i ? "," : "",
		    report_word(&s[i]), names[i]);
		if (!s[i].s_up)
			report_cat(buf, len, &off, " (%s)", s[i].s_reason);
		else if (s[i].s_role == ROLE_STANDBY)
			report_cat(buf, len, &off, " %s lag %lldB %ss",
			    s[i].s_wal, (long long)v[i].v_lag_bytes,
			    report_secs(s[i].s_lag_s, t, sizeof(t)));
		if (s[i].s_up && !v[i].v_ok)
			report_cat(buf, len, &off, " (%s)", v[i].v_fail);
		else if (v[i].v_lag_warn)
			report_cat(buf, len, &off, " (lag)");
	}
	report_thr(wb, sizeof(wb), c->c_warn.l_bytes_set, &c->c_warn.l_bytes);
	report_thr(cb, sizeof(cb), c->c_lag.l_bytes_set, &c->c_lag.l_bytes);
	report_thr(ws, sizeof(ws), c->c_warn.l_secs_set, &c->c_warn.l_secs);
	report_thr(cs, sizeof(cs), c->c_lag.l_secs_set, &c->c_lag.l_secs);
	report_cat(buf, len, &off, " | time=%.3fs", secs);
	for (i = 0; i < n; i++) {
		if (!s[i].s_up)
			continue;
		if (s[i].s_role == ROLE_STANDBY) {
			report_cat(buf, len, &off,
			    " '%s lag_bytes'=%lldB;%s;%s;0", names[i],
			    (long long)v[i].v_lag_bytes, wb, cb);
			if (s[i].s_lag_s >= 0)
				report_cat(buf, len, &off,
				    " '%s lag_s'=%.3fs;%s;%s;0", names[i],
				    s[i].s_lag_s, ws, cs);
		}
		report_cat(buf, len, &off, " '%s conns'=%ld;;;0;%ld",
		    names[i], s[i].s_conns, s[i].s_maxconns);
	}
	return rc;
}
