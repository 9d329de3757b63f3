/* SPDX-License-Identifier: ISC */
/*
 * --control PATH: a Unix stream socket, one text command per line, each
 * reply ending with an empty line (DESIGN.md).  Commands: status,
 * show metrics (metrics.c), help.
 */
#include <event2/buffer.h>
#include <inttypes.h>
#include <string.h>

#include "ctlsock.h"
#include "log.h"
#include "dhcpsync.h"

#define CONTROL_LINE_MAX	256

/* Whether the local dhcpd has its lease file open (Kea: not asked). */
static const char *
control_server(struct follower *fo)
{
	if (fo->fo_fmt != DS_FMT_DHCPD)
		return "unknown";
	switch (follow_server_running(fo, fo->fo_leases)) {
	case 1:
		return "running";
	case 0:
		return "stopped";
	}
	return "unknown";
}

/* Every part's state, each read from its own struct. */
static void
control_status(struct ds *ds, struct evbuffer *out)
{
	const struct counters *cn = &ds->ds_count;
	const struct store *so = &ds->ds_store;
	const struct session *se = &ds->ds_sess;
	struct follower *fo = &ds->ds_follow;
	const struct table *tab = &ds->ds_tab;

	evbuffer_add_printf(out,
	    "leases=%zu\nfile=%s\npeer=%s\nsynced=%d\n"
	    "id=%016" PRIx64 "\npeer_id=%016" PRIx64 "\n"
	    "sent_seq=%" PRIu64 "\npeer_acked=%" PRIu64 "\n"
	    "received_seq=%" PRIu64 "\nacked_seq=%" PRIu64 "\n"
	    "records_sent=%" PRIu64 "\nrecords_received=%" PRIu64 "\n"
	    "records_applied=%" PRIu64 "\nlocal_changes=%" PRIu64 "\n"
	    "rewrites=%" PRIu64 "\npeer_down=%" PRIu64 "\n"
	    "peer_rejected=%" PRIu64 "\nkea_refused=%" PRIu64 "\n"
	    "max_leases=%zu\nclamped=%" PRIu64 "\nout_of_subnet=%" PRIu64
	    "\nover_limit=%" PRIu64 "\npeers_refused=%" PRIu64 "\n"
	    "write_failures=%" PRIu64 "\nwrite_failing=%d\nheld=%zu\n"
	    "server=%s\n",
	    tab->t_n, so->so_leases, se->se_hello ? "up" : "down",
	    se->se_synced, so->so_id, so->so_peer, se->se_sent,
	    se->se_peer_acked, so->so_rx, so->so_ack, cn->n_sent, cn->n_recv,
	    cn->n_applied, cn->n_local, cn->n_commits, cn->n_peerdown,
	    cn->n_badpeer, cn->n_kea_refused, tab->t_max, cn->n_clamped,
	    cn->n_outside, cn->n_limit, cn->n_refused_conn, cn->n_wfail,
	    so->so_wfail > 0, so->so_nheld,
	    control_server(fo));
	evbuffer_add_printf(out,
	    "skipped=%" PRIu64 "\nskipped_total=%" PRIu64 "\nfile_broken=%d\n"
	    "peer_skipped=%" PRIu64 "\npeer_file_broken=%d\n",
	    follow_skipped(fo), cn->n_skipped, fo->fo_lbroken,
	    se->se_peer_skipped, se->se_peer_broken);
}

/* ctlsock_cmd_fn: one line in, its reply out; status reads every part. */
static void
control_line(void *arg, char *line, size_t len, struct evbuffer *out)
{
	struct ds *ds = arg;

	if (strcmp(line, "status") == 0)
		control_status(ds, out);
	else if (strcmp(line, "show metrics") == 0)
		metrics_write(ds, out);
	else if (strcmp(line, "help") == 0)
		evbuffer_add_printf(out, "status\nshow metrics\nhelp\n");
	else
		evbuffer_add_printf(out, "error unknown command \"%.40s\"\n",
		    line);
}

int
control_init(struct ds *ds)
{
	struct ctlsock_conf cf = {
		.path = ds->ds_control,
		.maxline = CONTROL_LINE_MAX,
		.toolong = "error line too long",
		.busy = "error too many clients",
		.cmd = control_line,
		.arg = ds,
	};
	char err[256];

	if (ds->ds_control == NULL)
		return 0;
	if ((ds->ds_ctl = ctlsock_open(ds->ds_base, &cf, err,
	    sizeof(err))) == NULL) {
		log_warnx("--control %s", err);
		return -1;
	}
	return 0;
}
