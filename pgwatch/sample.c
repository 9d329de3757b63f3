/* SPDX-License-Identifier: ISC */
/*
 * One query answers everything, so a check costs one round trip after the
 * connection: role, timeline, WAL positions, the WAL receiver, time lag and
 * connection headroom.
 *
 * Timeline: pg_control_checkpoint() shows the timeline of the last
 * checkpoint, which right after a promotion is still the old one.  So a
 * primary's timeline is also read from the name of its current WAL file,
 * and a standby's from the WAL receiver's received_tli; the largest wins.
 *
 * Functions rather than the pg_stat_* views: a fresh connection has cold
 * catalog caches, and every view costs lookups (this halved the query's
 * share of a one-shot check).  Other sessions' backend_type is hidden from
 * roles without pg_read_all_stats, so connections are counted as backends
 * with a database, client backends where the type is visible.
 *
 * Synchronous standbys (--http's /sync, /async): a primary lists its WAL
 * senders' application names with their sync_state, a line each (an
 * application_name is printable ASCII: no newline); a standby says the
 * name its WAL receiver gives, from its connection string.  Either is
 * NULL for a role without pg_read_all_stats, which then cannot tell.
 *
 * Time lag: now() - pg_last_xact_replay_timestamp() grows on an idle
 * primary and is NULL on a fresh standby, so it is 0 whenever everything
 * received has been replayed, and that timestamp difference otherwise.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "sample.h"

/*
 * PostgreSQL calls its WAL receiver "streaming" from the moment it has
 * connected, before the primary accepted START_REPLICATION, and while it
 * streams an old timeline that ends before what this standby has already
 * replayed (a standby past the primary's fork point does that every
 * wal_retrieve_retry_interval).  Neither brings it anything: it is
 * "connecting" until it has received at least what it replayed and no
 * longer waits on its handshake.
 */
const char sample_query[] =
    "SELECT r,"
    " (SELECT timeline_id FROM pg_control_checkpoint()),"
    " CASE WHEN NOT r THEN"
    "  substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END,"
    " w.received_tli,"
    " CASE WHEN r THEN pg_last_wal_replay_lsn()"
    "  ELSE pg_current_wal_lsn() END,"
    " pg_last_wal_receive_lsn(),"
    " CASE WHEN w.status = 'streaming' AND"
    "  (coalesce(pg_last_wal_receive_lsn() < pg_last_wal_replay_lsn(), true)"
    "  OR EXISTS (SELECT FROM pg_stat_get_activity(w.pid) AS a"
    "   WHERE a.pid = w.pid AND a.wait_event LIKE 'LibPQWalReceiver%'))"
    "  THEN 'connecting'"
    "  ELSE coalesce(w.status, CASE WHEN w.pid IS NOT NULL THEN 'hidden' END)"
    " END,"
    " CASE WHEN NOT r THEN 0"
    "  WHEN coalesce(pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn(),"
    "   true) THEN 0"
    "  ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END,"
    " (SELECT count(*) FROM pg_stat_get_activity(NULL) AS a"
    "  WHERE a.datid IS NOT NULL"
    "  AND coalesce(a.backend_type, 'client backend') = 'client backend'),"
    " current_setting('max_connections'),"
    " current_setting('superuser_reserved_connections'),"
    " CASE WHEN r THEN pg_is_wal_replay_paused() END,"
    " CASE WHEN r THEN coalesce("
    "  substring(w.conninfo FROM '(?:^| )application_name=([^ ]*)'),"
    "  substring(w.conninfo FROM 'fallback_application_name=([^ ]*)'))"
    "  ELSE (SELECT coalesce(string_agg(a.application_name || '=' ||"
    "   coalesce(s.sync_state, '?'), E'\\n'), '')"
    "   FROM pg_stat_get_wal_senders() AS s,"
    "   pg_stat_get_activity(s.pid) AS a) END"
    " FROM pg_is_in_recovery() AS r, pg_stat_get_wal_receiver() AS w";

int
sample_lsn(const char *s, uint64_t *lsn)
{
	uint64_t hi = 0, lo = 0;
	const char *p = s;
	int n;

	for (n = 0; isxdigit((unsigned char)*p); p++, n++)
		hi = hi * 16 + (uint64_t)(isdigit((unsigned char)*p) ?
		    *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
	if (n == 0 || n > 8 || *p++ != '/')
		return -1;
	for (n = 0; isxdigit((unsigned char)*p); p++, n++)
		lo = lo * 16 + (uint64_t)(isdigit((unsigned char)*p) ?
		    *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
	if (n == 0 || n > 8 || *p != '\0')
		return -1;
	*lsn = hi << 32 | lo;
	return 0;
}

char *
sample_lsn_fmt(uint64_t lsn, char *buf, size_t len)
{
	snprintf(buf, len, "%X/%X", (unsigned)(lsn >> 32), (unsigned)lsn);
	return buf;
}

static int
sample_long(const char *s, long *v)
{
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || *end != '\0' ? -1 : 0;
}

/* Timeline from a column: decimal, or 8 hex digits of a WAL file name. */
static void
sample_tli(const char *s, int hex, uint32_t *tli)
{
	unsigned long v;
	char *end;

	if (s == NULL || *s == '\0')
		return;
	errno = 0;
	v = strtoul(s, &end, hex ? 16 : 10);
	if (errno == 0 && *end == '\0' && v <= UINT32_MAX && v > *tli)
		*tli = (uint32_t)v;
}

int
sample_parse(const char *const *col, int ncol, struct sample *s,
    char *err, size_t errlen)
{
	char *end;

	memset(s, 0, sizeof(*s));
	if (ncol != SAMPLE_NCOLS)
		return errbuf_set(err, errlen, "%d columns; should be %d", ncol,
		    SAMPLE_NCOLS);
	if (col[0] == NULL || (strcmp(col[0], "t") && strcmp(col[0], "f")))
		return errbuf_set(err, errlen,
		    "pg_is_in_recovery: not a boolean");
	s->s_role = col[0][0] == 't' ? ROLE_STANDBY : ROLE_PRIMARY;
	sample_tli(col[1], 0, &s->s_tli);
	sample_tli(col[2], 1, &s->s_tli);
	sample_tli(col[3], 0, &s->s_tli);
	if (col[4] == NULL || sample_lsn(col[4], &s->s_lsn) == -1) {
		/* a standby that has replayed nothing yet */
		if (s->s_role == ROLE_PRIMARY)
			return errbuf_set(err, errlen, "current LSN: \"%.30s\"",
			    col[4] ? col[4] : "NULL");
		s->s_lsn = 0;
	}
	if (col[5] && sample_lsn(col[5], &s->s_recv_lsn) == -1)
		return errbuf_set(err, errlen,
		    "receive LSN: \"%.30s\"", col[5]);
	snprintf(s->s_wal, sizeof(s->s_wal), "%s",
	    s->s_role == ROLE_PRIMARY ? "-" : col[6] ? col[6] : "none");
	s->s_lag_s = -1;
	if (col[7]) {
		errno = 0;
		s->s_lag_s = strtod(col[7], &end);
		if (errno || *end != '\0' || end == col[7])
			s->s_lag_s = -1;
		else if (s->s_lag_s < 0)	/* clocks: never negative */
			s->s_lag_s = 0;
	}
	if (sample_long(col[8], &s->s_conns) == -1 ||
	    sample_long(col[9], &s->s_maxconns) == -1 ||
	    sample_long(col[10], &s->s_reserved) == -1)
		return errbuf_set(err, errlen,
		    "connection counts: not numbers");
	s->s_paused = col[11] && col[11][0] == 't';
	if (s->s_role == ROLE_STANDBY && col[12] != NULL)
		snprintf(s->s_appname, sizeof(s->s_appname), "%s", col[12]);
	if (s->s_role == ROLE_PRIMARY && col[12] != NULL &&
	    strlen(col[12]) < sizeof(s->s_senders)) {
		snprintf(s->s_senders, sizeof(s->s_senders), "%s", col[12]);
		s->s_senders_known = 1;
	}
	s->s_up = 1;
	return 0;
}

/* First line of libpq's message, quotes made harmless for event lines. */
void
sample_down(struct sample *s, const char *reason, const char *msg)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->s_up = 0;
	s->s_lag_s = -1;
	snprintf(s->s_reason, sizeof(s->s_reason), "%s", reason);
	snprintf(s->s_msg, sizeof(s->s_msg), "%s", msg ? msg : "");
	for (i = 0; s->s_msg[i]; i++) {
		if (s->s_msg[i] == '\n') {
			s->s_msg[i] = '\0';
			break;
		}
		if (s->s_msg[i] == '"' || s->s_msg[i] == '\\')
			s->s_msg[i] = '\'';
		else if ((unsigned char)s->s_msg[i] < 0x20)
			s->s_msg[i] = ' ';
	}
}

/* libpq reports failures as text only; these are its stable phrases. */
static const struct {
	const char	*r_text;
	const char	*r_reason;
} sample_reasons[] = {
	{ "Connection refused", "refused" },
	{ "No such file or directory", "refused" },
	{ "timeout expired", "timeout" },
	{ "password authentication failed", "auth" },
	{ "no password supplied", "auth" },
	{ "authentication failed", "auth" },
	{ "no pg_hba.conf entry", "auth" },
	{ "SSL", "tls" },
	{ "certificate", "tls" },
	{ "too many clients", "full" },
	{ "remaining connection slots", "full" },
	{ "could not translate host name", "dns" },
	{ "Name or service not known", "dns" },
	{ "starting up", "starting" },
	{ "not yet accepting connections", "starting" },
	{ "in recovery mode", "starting" },
	{ "shutting down", "stopping" },
	{ "terminating connection", "closed" },
	{ "server closed the connection", "closed" },
	{ "No route to host", "unreachable" },
	{ "Network is unreachable", "unreachable" },
	{ "does not exist", "config" },
};

const char *
sample_reason(const char *msg)
{
	size_t i;

	for (i = 0; i < sizeof(sample_reasons) / sizeof(sample_reasons[0]); i++)
		if (msg && strstr(msg, sample_reasons[i].r_text))
			return sample_reasons[i].r_reason;
	return "error";
}
