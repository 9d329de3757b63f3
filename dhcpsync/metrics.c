/* SPDX-License-Identifier: ISC */
/*
 * "show metrics" and --metrics ADDR:PORT: what "status" says, in the
 * Prometheus text format (lib/prom.h), for the alerts an operator sets
 * on a lease link: the peer gone, records not acknowledged, the disk
 * refusing writes, leases refused or skipped.  The link's state is one
 * series per possible value, 1 for the current one (as vrrpd's), so a
 * query names the state instead of a number code.
 *
 * Counters count since dhcpsync started; gauges are read when scraped.
 * The backlog is counted as the lag line counts it (session_tick): our
 * records the peer has not acknowledged.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include <event2/buffer.h>

#include "duration.h"
#include "log.h"
#include "prom.h"
#include "promhttp.h"
#include "dhcpsync.h"

/* down: no link or no HELLO yet; up: HELLO seen; synced: caught up */
static const char *
metrics_state_now(const struct session *se)
{
	if (!se->se_hello)
		return "down";
	return se->se_synced ? "synced" : "up";
}

static void
metrics_state(struct prom *p, const struct session *se)
{
	static const char *states[] = { "down", "up", "synced" };
	const char *now = metrics_state_now(se);
	size_t i;

	prom_family(p, "hatools_dhcpsync_peer_state", PROM_GAUGE, "The link "
	    "to the peer: down (no link, or no HELLO yet), up (HELLO seen), "
	    "synced (up, and the peer's records are all in): 1 for the "
	    "state it is in, 0 for the others.");
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		prom_u64(p, states[i] == now, "state", states[i], NULL);
}

/* A gauge or counter of one unlabelled sample. */
static void
metrics_one(struct prom *p, const char *name, enum prom_type t,
    const char *help, uint64_t v)
{
	prom_family(p, name, t, help);
	prom_u64(p, v, NULL);
}

/*
 * Our records the peer has not acknowledged, and the oldest one's age
 * (none one way: nothing is acknowledged).
 */
static void
metrics_backlog(struct prom *p, const struct session *se,
    const struct table *tab, int mode)
{
	const struct entry *e;
	uint64_t n = 0;
	double age = 0;

	if (se->se_hello && mode == DS_BOTH)
		for (e = tab->t_tail; e && e->e_seq > se->se_peer_acked;
		    e = e->e_prev)
			n++;
	if (n > 0 && se->se_unacked_since)
		age = (double)(mono_usec() - se->se_unacked_since) / 1e6;
	metrics_one(p, "hatools_dhcpsync_unacked_records", PROM_GAUGE,
	    "Our records sent or due that the peer has not acknowledged "
	    "(0 while the link is down, or one way).", n);
	prom_family(p, "hatools_dhcpsync_unacked_age_seconds", PROM_GAUGE,
	    "How long the oldest unacknowledged record has waited.");
	prom_dbl(p, age, NULL);
}

/* Seconds since the peer's changes last reached the lease file. */
static void
metrics_applied_age(struct prom *p, const struct counters *cn,
    const struct store *so)
{
	prom_family(p, "hatools_dhcpsync_last_applied_age_seconds",
	    PROM_GAUGE, "Seconds since the peer's changes were last "
	    "written (or held), NaN before the first time.");
	if (cn->applied_end == 0)
		prom_dbl(p, NAN, NULL);
	else
		prom_dbl(p, (double)(mono_usec() - cn->applied_end) / 1e6,
		    NULL);
	prom_family(p, "hatools_dhcpsync_last_write_duration_seconds",
	    PROM_GAUGE, "How long the last write of the lease file took.");
	prom_dbl(p, (double)so->so_commit_usec / 1e6, NULL);
}

/* Peer records not applied, by why. */
static void
metrics_rejected(struct prom *p, const struct counters *cn)
{
	prom_family(p, "hatools_dhcpsync_records_rejected_total",
	    PROM_COUNTER, "The peer's records not applied: outside "
	    "--subnet, past --max-leases (ours or the peer's), refused by "
	    "Kea.");
	prom_u64(p, cn->n_outside, "reason", "out_of_subnet", NULL);
	prom_u64(p, cn->n_limit, "reason", "max_leases", NULL);
	prom_u64(p, cn->n_kea_refused, "reason", "kea_refused", NULL);
}

static void
metrics_errors(struct prom *p, const struct counters *cn,
    const struct store *so)
{
	prom_family(p, "hatools_dhcpsync_errors_total", PROM_COUNTER,
	    "Failures, by kind: protocol (the peer broke the protocol, "
	    "link closed), write (the disk refused a write of the lease or "
	    "state file, tried again).");
	prom_u64(p, cn->n_badpeer, "kind", "protocol", NULL);
	prom_u64(p, cn->n_wfail, "kind", "write", NULL);
	metrics_one(p, "hatools_dhcpsync_write_failing", PROM_GAUGE,
	    "1 while writes fail (the peer's records are not acknowledged).",
	    so->so_wfail > 0);
}

/* What our own file holds that could not be carried, and the peer's. */
static void
metrics_skipped(struct prom *p, const struct follower *fo,
    const struct counters *cn, const struct session *se)
{
	metrics_one(p, "hatools_dhcpsync_skipped_leases", PROM_GAUGE,
	    "Leases of our lease file not sent to the peer (a block that "
	    "did not parse).", follow_skipped(fo));
	metrics_one(p, "hatools_dhcpsync_skipped_statements_total",
	    PROM_COUNTER, "Lease blocks skipped while reading our lease "
	    "file, all files since the start.", cn->n_skipped);
	metrics_one(p, "hatools_dhcpsync_file_broken", PROM_GAUGE,
	    "1 when our lease file stopped being read (a parse error): "
	    "nothing more goes until a new file.",
	    fo->fo_lbroken != 0);
	metrics_one(p, "hatools_dhcpsync_peer_skipped_leases", PROM_GAUGE,
	    "Leases the peer says it could not send us.",
	    se->se_peer_skipped);
	metrics_one(p, "hatools_dhcpsync_peer_file_broken", PROM_GAUGE,
	    "1 when the peer says it stopped reading its lease file.",
	    se->se_peer_broken != 0);
}

static void
metrics_session(struct prom *p, const struct counters *cn)
{
	metrics_one(p, "hatools_dhcpsync_peer_connects_total", PROM_COUNTER,
	    "Sessions begun (the peer's HELLO; a reconnect counts again).",
	    cn->n_peerup);
	metrics_one(p, "hatools_dhcpsync_peer_disconnects_total",
	    PROM_COUNTER, "Links closed, whatever the reason (the "
	    "peer-down lines).", cn->n_peerdown);
	metrics_one(p, "hatools_dhcpsync_peers_refused_total", PROM_COUNTER,
	    "--listen: second peers refused while a session was live.",
	    cn->n_refused_conn);
	metrics_one(p, "hatools_dhcpsync_received_bytes_total", PROM_COUNTER,
	    "Protocol bytes read from the peer.", cn->n_rxbytes);
	metrics_one(p, "hatools_dhcpsync_sent_bytes_total", PROM_COUNTER,
	    "Protocol bytes queued to the peer.", cn->n_txbytes);
}

static void
metrics_records(struct prom *p, const struct counters *cn)
{
	metrics_one(p, "hatools_dhcpsync_records_sent_total", PROM_COUNTER,
	    "Lease records sent to the peer (sent again after a reconnect "
	    "counts again).", cn->n_sent);
	metrics_one(p, "hatools_dhcpsync_records_received_total",
	    PROM_COUNTER, "Lease records received from the peer, applied or "
	    "not.", cn->n_recv);
	metrics_one(p, "hatools_dhcpsync_records_applied_total",
	    PROM_COUNTER, "The peer's records that changed a lease here.",
	    cn->n_applied);
	metrics_one(p, "hatools_dhcpsync_records_clamped_total",
	    PROM_COUNTER, "The peer's records whose cltt was past "
	    "--max-skew, applied with it clamped.", cn->n_clamped);
	metrics_one(p, "hatools_dhcpsync_local_changes_total", PROM_COUNTER,
	    "Changes read from our own lease file.", cn->n_local);
	metrics_one(p, "hatools_dhcpsync_rewrites_total", PROM_COUNTER,
	    "Whole rewrites of the lease file (most changes are appended).",
	    cn->n_commits);
}

static void
metrics_sizes(struct prom *p, const struct table *tab,
    const struct store *so)
{
	metrics_one(p, "hatools_dhcpsync_leases", PROM_GAUGE,
	    "Addresses held (both servers' leases).", tab->t_n);
	metrics_one(p, "hatools_dhcpsync_max_leases", PROM_GAUGE,
	    "--max-leases: addresses held at most.", tab->t_max);
	metrics_one(p, "hatools_dhcpsync_held_records", PROM_GAUGE,
	    "The peer's records held in the journal while the local dhcpd "
	    "runs.", so->so_nheld);
	metrics_one(p, "hatools_dhcpsync_journal_bytes", PROM_GAUGE,
	    "The journal's size.", so->so_jbytes);
}

/* Every part's figures: each helper reads only the parts it is given. */
void
metrics_write(const struct ds *ds, struct evbuffer *out)
{
	struct prom p;
	const char *why;

	prom_init(&p, out);
	prom_build_info(&p, "dhcpsync");
	metrics_state(&p, &ds->ds_sess);
	metrics_sizes(&p, &ds->ds_tab, &ds->ds_store);
	metrics_records(&p, &ds->ds_count);
	metrics_rejected(&p, &ds->ds_count);
	metrics_session(&p, &ds->ds_count);
	metrics_backlog(&p, &ds->ds_sess, &ds->ds_tab, ds->ds_mode);
	metrics_applied_age(&p, &ds->ds_count, &ds->ds_store);
	metrics_skipped(&p, &ds->ds_follow, &ds->ds_count, &ds->ds_sess);
	metrics_errors(&p, &ds->ds_count, &ds->ds_store);
	if (prom_error(&p, &why))
		log_warnx_rl("metrics: %s (a bug)", why);
}

/* promhttp_fn: a scrape reads every part, so arg is the daemon */
static void
metrics_http(void *arg, struct evbuffer *out)
{
	metrics_write(arg, out);
}

int
metrics_init(struct ds *ds)
{
	char err[256];

	if (ds->ds_metrics_addr == NULL)
		return 0;
	if ((ds->ds_metrics = promhttp_open(ds->ds_base, ds->ds_metrics_addr,
	    metrics_http, ds, err, sizeof(err))) == NULL) {
		log_warnx("--metrics %s", err);
		return -1;
	}
	return 0;
}

void
metrics_close(struct ds *ds)
{
	promhttp_close(ds->ds_metrics);
	ds->ds_metrics = NULL;
}
