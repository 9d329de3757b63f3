/* SPDX-License-Identifier: ISC */
/*
 * One peer session: HELLO both ways, then our records out (from where
 * the peer's HELLO says it stands) and the peer's records in, merged,
 * made durable in batches and acknowledged.  A line that does not parse
 * ends the session: a peer that sends garbage is not trusted.
 */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "duration.h"
#include "evline.h"
#include "log.h"
#include "notify.h"
#include "dhcpsync.h"
#include "kea-ctl.h"
#include "proto.h"
#include "state.h"

#define SESSION_OUT_HIGH	(1024 * 1024)	/* stop queueing records */
#define SESSION_OUT_LOW		(256 * 1024)	/* and go on below this */

/* How a line leaves the session: going on, or why it ends (peer-down). */
enum { SESSION_OK = 0, SESSION_PROTOCOL, SESSION_KEA, SESSION_LIMIT,
    SESSION_ERROR };
static const char *const session_why[] = {
	[SESSION_OK] = NULL,
	[SESSION_PROTOCOL] = "protocol",
	[SESSION_KEA] = "kea-failed",
	[SESSION_LIMIT] = "limit",
	[SESSION_ERROR] = "error",
};

static void
session_write(struct session *se, const char *s, int n)
{

	if (se->se_bout && n > 0 &&
	    bufferevent_write(se->se_bout, s, (size_t)n) == 0)
		se->se_count->n_txbytes += (size_t)n;
}

/*
 * A peer with a new stream id starts from nothing: its state file is
 * gone, and with it perhaps its lease file, whose records only we still
 * hold (as the peer's, never sent back).  They become ours to send, so
 * a full exchange gives each side every lease both hold.  Their numbers
 * sit in the next epoch just below the follower's next ones, and the
 * follower moves to that epoch: the file's records up to here keep, at a
 * restart, numbers the peer will have acknowledged with these.
 */
static int
session_give_back(struct session *se)
{
	struct store *so = se->se_so;
	uint64_t cur, n;

	if (se->se_mode == DS_RECV ||
	    (n = table_peer_count(se->se_tab)) == 0)
		return 0;
	cur = se->se_fo->fo_loff + (se->se_fmt == DS_FMT_KEA ? DS_HBASE : 0);
	if (so->so_epoch + 2 > STATE_EPOCH_MAX) {
		log_warnx("peer: new stream id, but no sequence numbers left "
		    "to send back %" PRIu64 " of its records", n);
		return 0;
	}
	/*
	 * The peer's records merged but not yet on disk first: once ours,
	 * they would no longer go to the journal while dhcpd runs.
	 */
	if (store_settle(se->se_so) == -1) {
		so->so_peer = 0;	/* the next HELLO tries again */
		return -1;
	}
	/* the follower's epoch is on disk before any number of it goes out */
	so->so_epoch += n > cur ? 2 : 1;
	if (store_state_save(se->se_so) == -1) {
		so->so_epoch -= n > cur ? 2 : 1;
		so->so_peer = 0;	/* the next HELLO tries again */
		return -1;
	}
	if (n > cur)		/* more than the file's offsets can number */
		table_reown(se->se_tab, DS_SEQ(so->so_epoch - 1, 1));
	else
		table_reown(se->se_tab, DS_SEQ(so->so_epoch, cur - n + 1));
	log_info("peer: a new stream id; sending it back the %" PRIu64
	    " lease(s) it had sent us", n);
	return 0;
}

void
session_send_more(struct session *se)
{
	const struct follower *fo = se->se_fo;
	struct evbuffer *out;
	struct entry *e;
	char line[PROTO_LINE_MAX + 1];
	int n;

	if (!se->se_bout || !se->se_hello)
		return;
	out = bufferevent_get_output(se->se_bout);
	e = table_after(se->se_tab, se->se_sent);
	for (; e && evbuffer_get_length(out) < SESSION_OUT_HIGH;
	    e = e->e_next) {
		n = proto_record(line, sizeof(line), e->e_seq, e->e_rec,
		    e->e_len);
		session_write(se, line, n);
		se->se_sent = e->e_seq;
		se->se_count->n_sent++;
		if (se->se_unacked_since == 0)
			se->se_unacked_since = mono_usec();
	}
	/*
	 * What our file holds that we could not send: said before the
	 * SYNCED it qualifies, and only once it is not "0 0", so a peer
	 * that predates SKIPPED never sees one in the normal case.
	 */
	if (e == NULL && (follow_skipped(se->se_fo) != se->se_skip_sent ||
	    fo->fo_lbroken != se->se_broken_sent)) {
		se->se_skip_sent = follow_skipped(se->se_fo);
		se->se_broken_sent = fo->fo_lbroken;
		n = proto_skipped(line, sizeof(line), se->se_skip_sent,
		    se->se_broken_sent);
		session_write(se, line, n);
		se->se_synced_sent_valid = 0;
	}
	if (e == NULL && (!se->se_synced_sent_valid ||
	    se->se_synced_sent != se->se_sent)) {
		n = proto_simple(line, sizeof(line), "SYNCED", se->se_sent);
		session_write(se, line, n);
		se->se_synced_sent = se->se_sent;
		se->se_synced_sent_valid = 1;
	}
}

/* After a commit: tell wait-synced and the event stream. */
void
session_acked(struct session *se)
{
	struct store *so = se->se_so;
	struct evline el;

	if (!se->se_have_synced_mark || so->so_ack < se->se_synced_mark ||
	    so->so_dirty || so->so_commit_pending)
		return;
	/* wait-synced promises the lease file, not the journal */
	if (se->se_once && so->so_nheld > 0) {
		if (!se->se_wait_logged)
			log_warnx("wait-synced: %zu record(s) held: dhcpd has "
			    "%s open; waiting for it to stop", so->so_nheld,
			    se->se_leases);
		se->se_wait_logged = 1;
		return;
	}
	se->se_have_synced_mark = 0;
	/*
	 * Everything the peer sent is on disk, but not everything its file
	 * holds: not synced, and wait-synced says so now, not at its
	 * timeout.
	 */
	if (se->se_peer_skipped > 0 || se->se_peer_broken) {
		se->se_synced = 0;
		lock_update(se->se_so, se);
		if (se->se_once) {
			log_warnx("caught up, but the peer could not send %"
			    PRIu64 " lease(s)%s", se->se_peer_skipped,
			    se->se_peer_broken ? " and stopped reading its "
			    "lease file" : "");
			*se->se_exit = 3;
			event_base_loopexit(se->se_base, NULL);
		}
		return;
	}
	if (!se->se_synced)
		notify_status("synced with peer, %zu leases", se->se_tab->t_n);
	se->se_synced = 1;
	lock_update(se->se_so, se);
	evline_begin(&el, "synced", NULL);
	evline_uint(&el, "n", se->se_tab->t_n);
	evline_uint(&el, "seq", se->se_so->so_ack);
	evline_emit(&el);
	if (se->se_once) {
		*se->se_exit = 0;
		event_base_loopexit(se->se_base, NULL);
	}
}

/*
 * A commit ended (store.c): the peer hears of what is now on disk, and
 * wait-synced and the event stream of where that leaves us.  A commit
 * the disk refused is tried again; nothing is said meanwhile.
 */
void
session_committed(struct session *se, int result)
{
	char line[64];
	int n;

	if (result == STORE_RETRY)
		return;
	if (result == STORE_ACK) {
		n = proto_simple(line, sizeof(line), "ACK",
		    se->se_so->so_ack);
		session_write(se, line, n);
	}
	session_acked(se);
}

/*
 * Would this record change the table?  Then Kea gets it too.  A lease
 * Kea refuses (its address in none of Kea's subnets, or not in the
 * --subnet-id one) is reported and skipped, and the stream goes on: one
 * lease Kea cannot hold is no reason to stop giving it all the others.
 */
static int
session_kea(struct session *se, const struct proto_msg *m)
{
	const struct entry *e = table_get(se->se_tab, m->pm_lease.l_addr);
	char why[256], ip[16];
	int rc;
	struct evline el;

	if (e && lease_cmp(e->e_cltt, e->e_rank, e->e_rec, e->e_len,
	    m->pm_lease.l_cltt, lease_state_rank(m->pm_lease.l_state),
	    m->pm_rec, m->pm_reclen) >= 0)
		return 0;
	rc = kea_apply(se->se_kea, se->se_kea_subnet, &m->pm_lease, why,
	    sizeof(why));
	if (rc != KEA_REFUSED)
		return rc;
	se->se_count->n_kea_refused++;
	lease_addr_format(m->pm_lease.l_addr, ip, sizeof(ip));
	log_warnx_rl("kea: %s refused, skipped: %s", ip, why);
	evline_begin(&el, "kea-refused", NULL);
	evline_str(&el, "addr", ip);
	evline_quoted(&el, "reason", why);
	evline_emit(&el);
	return KEA_REFUSED;
}

/*
 * A cltt beyond our clock's now + --max-skew would win every merge for
 * that address until then, over the real client's renewals: it is
 * clamped to that limit and re-encoded, so the table stays canonical.
 * The next genuine transaction after the limit wins again.
 */
static int
session_clamp(struct session *se, struct proto_msg *m, char *rec, size_t reclen)
{
	int64_t now = (int64_t)time(NULL), was = m->pm_lease.l_cltt;
	int64_t lim = now + se->se_max_skew;
	char ip[16];
	int n;
	struct evline el;

	if (was == LEASE_T_NONE || was <= lim)
		return 0;
	m->pm_lease.l_cltt = lim;
	if ((n = lease_encode(&m->pm_lease, rec, reclen)) < 0)
		return -1;
	m->pm_rec = rec;
	m->pm_reclen = (size_t)n;
	se->se_count->n_clamped++;
	lease_addr_format(m->pm_lease.l_addr, ip, sizeof(ip));
	log_warnx_rl("peer: %s: cltt %" PRId64 " is %" PRId64 "s ahead of our "
	    "clock; clamped to now + %" PRId64 "s (--max-skew)", ip, was,
	    was - now, se->se_max_skew);
	evline_begin(&el, "clamped", NULL);
	evline_str(&el, "addr", ip);
	evline_int(&el, "cltt", was);
	evline_int(&el, "to", lim);
	evline_int(&el, "by", was - lim);
	evline_emit(&el);
	return 0;
}

/*
 * Bounds on what the peer may do to us: a lease outside our subnets is
 * reported and skipped (acknowledged, not merged), like one Kea refuses;
 * one that would take the table past --max-leases ends the session
 * before anything of it is merged or acknowledged, so it comes again
 * once the operator raised the cap.
 */
enum { ADMIT_TAKE = 0, ADMIT_SKIP, ADMIT_LIMIT };

static int
session_admit(struct session *se, struct proto_msg *m, char *rec, size_t reclen)
{
	uint32_t a = m->pm_lease.l_addr;
	char ip[16];
	struct evline el;

	if (se->se_subnets->ss_n > 0 && !subnets_match(se->se_subnets, a)) {
		se->se_count->n_outside++;
		lease_addr_format(a, ip, sizeof(ip));
		log_warnx_rl("peer: %s is in none of our subnets (--subnet, "
		    "--subnets-from): skipped", ip);
		evline_begin(&el, "out-of-subnet", NULL);
		evline_str(&el, "addr", ip);
		evline_emit(&el);
		return ADMIT_SKIP;
	}
	if (table_full_for(se->se_tab, a)) {
		se->se_count->n_limit++;
		lease_addr_format(a, ip, sizeof(ip));
		log_warnx("peer: %s: the table is full (%zu leases, "
		    "--max-leases %zu): not applied, link dropped", ip,
		    se->se_tab->t_n, se->se_tab->t_max);
		return ADMIT_LIMIT;
	}
	if (session_clamp(se, m, rec, reclen) == -1) {
		/* cannot be: a shorter time in a record that fitted */
		log_warnx("peer: R %" PRIu64 ": record too long once clamped",
		    m->pm_seq);
		return ADMIT_SKIP;
	}
	return ADMIT_TAKE;
}

/*
 * The peer's HELLO: where it stands in our stream, and whether we know
 * its stream at all.
 */
static int
session_on_hello(struct session *se, struct proto_msg *m)
{
	struct store *so = se->se_so;
	struct evline el;

	if (se->se_hello) {
		log_warnx("peer: line %" PRIu64 ": second HELLO",
		    se->se_rx_lines);
		return SESSION_PROTOCOL;
	}
	if (m->pm_id == 0 || m->pm_id == so->so_id) {
		log_warnx("peer: HELLO: id %016" PRIx64 " is %s",
		    m->pm_id, m->pm_id ? "our own (talking to "
		    "ourselves?)" : "zero");
		return SESSION_PROTOCOL;
	}
	se->se_hello = 1;
	if (m->pm_id != so->so_peer) {
		/* a peer we have no resume point for: from zero */
		so->so_peer = m->pm_id;
		so->so_ack = so->so_rx = 0;
		if (session_give_back(se) == -1)
			return SESSION_ERROR;
	}
	so->so_rx = so->so_ack;
	se->se_sent = m->pm_peer == so->so_id ? m->pm_seq : 0;
	se->se_peer_acked = se->se_sent;
	se->se_synced_sent_valid = 0;
	/* a new session starts from "0 0" both ways */
	se->se_skip_sent = 0;
	se->se_broken_sent = 0;
	se->se_peer_skipped = 0;
	se->se_peer_broken = 0;
	se->se_count->n_peerup++;
	evline_begin(&el, "peer-up", NULL);
		evline_strf(&el, "id", "%016" PRIx64, m->pm_id);
		evline_uint(&el, "resume", se->se_sent);
		evline_emit(&el);
	lock_update(se->se_so, se);
	session_send_more(se);
	return SESSION_OK;
}

/*
 * One of the peer's records: admitted, given to Kea, merged, and
 * committed with the next batch.
 */
static int
session_on_record(struct session *se, struct proto_msg *m)
{
	char rec[LEASE_REC_MAX];
	int rc;

	if (m->pm_seq <= se->se_so->so_rx) {
		log_warnx("peer: R %" PRIu64 ": sequence goes back "
		    "(last %" PRIu64 ")", m->pm_seq, se->se_so->so_rx);
		return SESSION_PROTOCOL;
	}
	/*
	 * Kea first: if Kea is not working the record is not merged
	 * nor acknowledged, so it comes again.  One Kea refused is
	 * acknowledged but not merged: the table keeps mirroring
	 * what Kea holds, and the lease's next change is tried anew.
	 */
	rc = session_admit(se, m, rec, sizeof(rec));
	if (rc == ADMIT_LIMIT)
		return SESSION_LIMIT;
	if (rc == ADMIT_TAKE)
		rc = se->se_kea ? session_kea(se, m) : 0;
	else
		rc = KEA_REFUSED;	/* skipped, as Kea's refusal */
	if (rc == -1)
		return SESSION_KEA;
	if (rc == KEA_REFUSED)
		rc = MERGE_KEPT;
	else
		rc = table_merge(se->se_tab, &m->pm_lease, m->pm_rec,
		    m->pm_reclen, 0);
	if (rc == -1) {
		log_warn("merge");
		return SESSION_PROTOCOL;
	}
	se->se_count->n_recv++;
	if (rc == MERGE_CHANGED) {
		store_changed(se->se_so, m->pm_lease.l_addr);
		se->se_so->so_dirty = 1;
		se->se_count->n_applied++;
	}
	se->se_so->so_rx = m->pm_seq;
	store_commit_schedule(se->se_so);
	return SESSION_OK;
}

/* The peer has sent all it has: once that is on disk, we are synced. */
static int
session_on_synced(struct session *se, struct proto_msg *m)
{
	struct store *so = se->se_so;

	if (m->pm_seq != so->so_rx) {
		log_warnx("peer: SYNCED %" PRIu64 " but last record "
		    "was %" PRIu64, m->pm_seq, so->so_rx);
		return SESSION_PROTOCOL;
	}
	se->se_synced_mark = m->pm_seq;
	se->se_have_synced_mark = 1;
	if (so->so_ack != so->so_rx || so->so_dirty)
		store_commit_schedule(se->se_so);
	else if (!so->so_commit_pending)
		/* nothing new: still confirm where we stand */
		session_committed(se, STORE_ACK);
	return SESSION_OK;
}

/* What the peer's file holds that it could not send us. */
static int
session_on_skipped(struct session *se, struct proto_msg *m)
{
	struct evline el;

	if (m->pm_skipped == se->se_peer_skipped &&
	    m->pm_broken == se->se_peer_broken)
		return SESSION_OK;
	se->se_peer_skipped = m->pm_skipped;
	se->se_peer_broken = m->pm_broken;
	if (m->pm_skipped > 0 || m->pm_broken)
		log_warnx("peer: could not send %" PRIu64 " lease(s) "
		    "of its file%s", m->pm_skipped, m->pm_broken ?
		    "; stopped reading it" : "");
	else
		log_info("peer: sends every lease of its file again");
	evline_begin(&el, "peer-skipped", NULL);
		evline_uint(&el, "n", m->pm_skipped);
		evline_int(&el, "broken", m->pm_broken);
		evline_emit(&el);
	return SESSION_OK;
}

/* The peer has our records up to here on disk. */
static int
session_on_ack(struct session *se, struct proto_msg *m)
{

	if (m->pm_seq > se->se_sent || m->pm_seq < se->se_peer_acked) {
		log_warnx("peer: ACK %" PRIu64 " outside %" PRIu64
		    "..%" PRIu64, m->pm_seq, se->se_peer_acked,
		    se->se_sent);
		return SESSION_PROTOCOL;
	}
	se->se_peer_acked = m->pm_seq;
	if (m->pm_seq == se->se_sent)
		se->se_unacked_since = 0;
	return SESSION_OK;
}

static const struct {
	int	 type;
	int	(*handler)(struct session *, struct proto_msg *);
} session_actions[] = {
	{ PM_HELLO,	session_on_hello },
	{ PM_RECORD,	session_on_record },
	{ PM_SYNCED,	session_on_synced },
	{ PM_SKIPPED,	session_on_skipped },
	{ PM_ACK,	session_on_ack },
};

/* One line from the peer: SESSION_OK, or why the session ends. */
static int
session_line(struct session *se, const char *line, size_t len)
{
	struct proto_msg m;
	char err[256];
	size_t i;

	se->se_rx_lines++;
	if (proto_parse(line, len, &m, err, sizeof(err)) == -1) {
		log_warnx_rl("peer: line %" PRIu64 ": %s", se->se_rx_lines,
		    err);
		return SESSION_PROTOCOL;
	}
	if (!se->se_hello && m.pm_type != PM_HELLO) {
		log_warnx("peer: line %" PRIu64 ": expected HELLO",
		    se->se_rx_lines);
		return SESSION_PROTOCOL;
	}
	for (i = 0; i < sizeof(session_actions) / sizeof(session_actions[0]);
	    i++)
		if (session_actions[i].type == m.pm_type)
			return session_actions[i].handler(se, &m);
	return SESSION_PROTOCOL;
}

int
session_peek_line(struct evbuffer *in, char **line, size_t *len)
{
	struct evbuffer_ptr p;

	*line = NULL;
	*len = 0;
	p = evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF);
	if (p.pos < 0)
		return evbuffer_get_length(in) > PROTO_LINE_MAX ? -1 : 0;
	*len = (size_t)p.pos;
	*line = (char *)evbuffer_pullup(in, p.pos + 1);
	return 1;
}

static void
session_read_cb(struct bufferevent *bev, void *arg)
{
	struct session *se = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t len;
	int r, rc;

	while ((r = session_peek_line(in, &line, &len)) != 0) {
		if (r == -1 || len > PROTO_LINE_MAX) {
			log_warnx("peer: line %" PRIu64 ": too long",
			    se->se_rx_lines + 1);
			session_close(se, "protocol");
			return;
		}
		rc = line ? session_line(se, line, len) : SESSION_PROTOCOL;
		if (rc != SESSION_OK) {
			if (rc == SESSION_PROTOCOL)
				se->se_count->n_badpeer++;
			session_close(se, session_why[rc]);
			return;
		}
		se->se_count->n_rxbytes += len + 1;
		evbuffer_drain(in, len + 1);
	}
}

static void
session_write_cb(struct bufferevent *bev, void *arg)
{
	session_send_more(arg);
}

/*
 * stdin ended (the far end of a pipe is done): what was received is
 * committed and acknowledged before we go, as a socket peer would get.
 */
static void
session_stdio_eof(struct session *se)
{
	struct evbuffer *out;
	int fd, fl;

	store_commit_now(se->se_so);
	if (se->se_bout == NULL)
		return;
	out = bufferevent_get_output(se->se_bout);
	fd = bufferevent_getfd(se->se_bout);
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	/* the bufferevent owns the drain side; we are its last writer */
	evbuffer_unfreeze(out, 1);
	while (evbuffer_get_length(out) > 0 && evbuffer_write(out, fd) > 0)
		;
}

/*
 * recv's stdin ended: what was received whole is committed; a stream that
 * never said HELLO or stops inside a line was cut short, which the exit
 * status says (nothing of the broken line was applied).
 */
static void
session_recv_eof(struct session *se)
{
	size_t left = evbuffer_get_length(bufferevent_get_input(se->se_bin));

	store_commit_now(se->se_so);
	if (left > 0 || !se->se_hello) {
		if (left > 0)
			log_warnx("peer: line %" PRIu64 ": stream ends inside "
			    "it", se->se_rx_lines + 1);
		else
			log_warnx("peer: stream ends before HELLO");
		se->se_count->n_badpeer++;
		session_close(se, "protocol");
	} else
		session_close(se, "eof");
}

static void
session_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct session *se = arg;

	if ((what & BEV_EVENT_EOF) && se->se_mode == DS_RECV) {
		session_recv_eof(se);
		return;
	}
	/* send: the reader closed its end, as a peer closes a socket */
	if (se->se_mode == DS_SEND && (what & BEV_EVENT_ERROR) &&
	    EVUTIL_SOCKET_ERROR() == EPIPE)
		what |= BEV_EVENT_EOF;
	if ((what & BEV_EVENT_EOF) && se->se_stdio && se->se_mode == DS_BOTH &&
	    bev == se->se_bin)
		session_stdio_eof(se);
	if (what & BEV_EVENT_EOF)
		session_close(se, "eof");
	else if (what & BEV_EVENT_ERROR)
		session_close(se, "error");
}

void
session_start(struct session *se, struct bufferevent *in,
    struct bufferevent *out)
{
	char line[128];
	int n;

	se->se_bin = in;
	se->se_bout = out;
	se->se_hello = 0;
	se->se_rx_lines = 0;
	se->se_unacked_since = 0;
	se->se_sent = se->se_peer_acked = 0;
	if (se->se_mode == DS_SEND) {
		/*
		 * Nothing comes back: no HELLO tells us where the reader
		 * stands, so everything goes, from the start.
		 */
		bufferevent_setcb(out, NULL, session_write_cb,
		    session_event_cb, se);
		bufferevent_setwatermark(out, EV_WRITE, SESSION_OUT_LOW, 0);
		bufferevent_enable(out, EV_WRITE);
		n = proto_hello(line, sizeof(line), se->se_so->so_id, 0, 0);
		session_write(se, line, n);
		se->se_hello = 1;
		se->se_skip_sent = 0;
		se->se_broken_sent = 0;
		session_send_more(se);
		return;
	}
	bufferevent_setcb(in, session_read_cb, NULL, session_event_cb, se);
	if (out == NULL)
		;	/* recv: nothing goes back */
	else if (out != in)
		bufferevent_setcb(out, NULL, session_write_cb,
		    session_event_cb, se);
	else
		bufferevent_setcb(in, session_read_cb, session_write_cb,
		    session_event_cb, se);
	bufferevent_set_max_single_read(in, 1024 * 1024);
	bufferevent_enable(in, EV_READ);
	if (out == NULL)
		return;
	bufferevent_setwatermark(out, EV_WRITE, SESSION_OUT_LOW, 0);
	bufferevent_enable(out, EV_WRITE);
	n = proto_hello(line, sizeof(line), se->se_so->so_id,
	    se->se_so->so_peer, se->se_so->so_ack);
	session_write(se, line, n);
}

void
session_close(struct session *se, const char *reason)
{
	struct evline el;

	if (se->se_bin == NULL)
		return;
	if (se->se_bout && se->se_bout != se->se_bin)
		bufferevent_free(se->se_bout);
	bufferevent_free(se->se_bin);
	se->se_bin = se->se_bout = NULL;
	se->se_hello = 0;
	se->se_have_synced_mark = 0;
	se->se_count->n_peerdown++;
	if (se->se_stdio && strcmp(reason, "eof") != 0)
		*se->se_exit = 1;	/* our only peer failed us */
	evline_begin(&el, "peer-down", NULL);
	evline_str(&el, "reason", reason);
	evline_emit(&el);
	lock_update(se->se_so, se);
	se->se_down(se->se_down_arg);
}

/* Once a second: how far behind the peer is. */
void
session_tick(struct session *se)
{
	struct entry *e;
	uint64_t n = 0, ms;
	struct evline el;

	struct pollfd pfd;

	/*
	 * send: an idle writer hears of a closed pipe only at its next
	 * write; a pipe whose reader is gone polls as an error.
	 */
	if (se->se_mode == DS_SEND && se->se_bout) {
		pfd.fd = bufferevent_getfd(se->se_bout);
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR |
		    POLLHUP))) {
			session_close(se, "eof");
			return;
		}
	}
	/* one way, no ACK ever comes: lag cannot be known */
	if (!se->se_hello || se->se_mode != DS_BOTH)
		return;
	for (e = se->se_tab->t_tail; e && e->e_seq > se->se_peer_acked;
	    e = e->e_prev)
		n++;
	if (n == 0) {
		if (se->se_was_lagging) {
			evline_begin(&el, "lag", NULL);
			evline_uint(&el, "records", 0);
			evline_uint(&el, "ms", 0);
			evline_emit(&el);
		}
		se->se_was_lagging = 0;
		return;
	}
	ms = se->se_unacked_since ? (mono_usec() - se->se_unacked_since) /
	    1000 : 0;
	evline_begin(&el, "lag", NULL);
	evline_uint(&el, "records", n);
	evline_uint(&el, "ms", ms);
	evline_emit(&el);
	se->se_was_lagging = 1;
}
