/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: a peer session, fed whatever a peer might send.  The input
 * is the peer's side of the stream, line by line, into the daemon's own
 * session code over an in-memory bufferevent pair (no socket, no seam);
 * the local table holds three leases of our own to send.  Two harness
 * lines help the fuzzer past the checksum and the commit timer (held
 * off for a second, so commits happen where the input says, and a crash
 * reproduces):
 *
 *	#R SEQ RECORD	an R line for RECORD with its checksum made here
 *	#C		the pending commit happens now (the timer fires)
 *
 * Properties, against a small model of the sequencing rules written here
 * from proto.h, not from session.c:
 * - no crash, leak or sanitizer report;
 * - the session ends exactly at the first line the model calls bad (one
 *   that does not parse, or comes before HELLO, a second HELLO, a HELLO
 *   with id 0 or ours, an R whose SEQ does not go up, SYNCED other than
 *   the last R, an ACK outside what we sent), and not before (SKIPPED
 *   is taken at any time after HELLO);
 * - every line we send parses: HELLO first, R SEQs strictly up, SYNCED
 *   no lower than any R sent, ACK never above the last R taken and never
 *   going back.
 */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcpsync.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int LLVMFuzzerInitialize(int *, char ***);

#define OUR_ID		0x1111111111111111ull
#define PEER_ID		0x2222222222222222ull
#define PEER_ACK	5	/* where the state file says we stand */

static char dir[] = "/dev/shm/dhcpsync-fuzz-XXXXXX";
static char leases[sizeof(dir) + 32];

static const char *ours[] = {
	"ip=192.0.2.1 cltt=1704888000 starts=1704888000 ends=1704888600 "
	    "bs=active hw=ethernet,525400010201",
	"ip=192.0.2.2 cltt=1704888001 starts=1704888001 ends=1704888601 "
	    "bs=active hw=ethernet,525400010202 uid=01525400010202",
	"ip=192.0.2.3 cltt=1704888002 bs=free",
};

/* What the model knows of the session. */
struct model {
	int	 hello;
	uint64_t rx;		/* last R taken */
	uint64_t sent;		/* last R we sent, or the resume point */
	uint64_t acked;		/* last ACK the peer sent */
	/* our side of the stream */
	int	 out_lines;
	uint64_t out_r, out_ack;
	int	 out_any_r;
};

/* At exit: the files a commit wrote, and their directory. */
static void
cleanup(void)
{
	char state[sizeof(leases) + 16];

	snprintf(state, sizeof(state), "%s.dhcpsync", leases);
	(void)unlink(state);
	(void)unlink(leases);
	(void)rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(leases, sizeof(leases), "%s/dhcpd.leases", dir);
	/* event lines are not what is tested here */
	if (freopen("/dev/null", "w", stdout) == NULL)
		abort();
	return 0;
}

static void
setup(struct ds *ds)
{
	struct lease l;
	char rec[LEASE_REC_MAX], err[128];
	size_t i;
	int n;
	FILE *f;

	memset(ds, 0, sizeof(*ds));
	if ((f = fopen(leases, "w")) == NULL)
		abort();
	fclose(f);
	ds->ds_leases = leases;
	snprintf(ds->ds_state, sizeof(ds->ds_state), "%s.dhcpsync", leases);
	ds->ds_follow.fo_lfd = ds->ds_follow.fo_ifd = -1;
	ds->ds_readyfd = -1;
	ds->ds_retry_usec = 1000000;
	ds->ds_stdio = 1;	/* a closed session ends the loop, no retry */
	ds->ds_mode = DS_BOTH;
	ds->ds_store.so_id = OUR_ID;
	ds->ds_store.so_peer = PEER_ID;
	ds->ds_store.so_ack = ds->ds_store.so_rx = PEER_ACK;
	ds->ds_store.so_commit_usec = 500000;
	wire_parts(ds);
	if ((ds->ds_base = event_base_new()) == NULL)
		abort();
	wire_loop(ds);
	if (table_init(&ds->ds_tab) == -1 || store_init(&ds->ds_store,
	    ds->ds_base, wire_committed, &ds->ds_sess) == -1)
		abort();
	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		if (lease_decode(ours[i], strlen(ours[i]), &l, err,
		    sizeof(err)) == -1 ||
		    (n = lease_encode(&l, rec, sizeof(rec))) < 0 ||
		    table_merge(&ds->ds_tab, &l, rec, (size_t)n, i + 1) !=
		    MERGE_CHANGED)
			abort();
	}
}

static void
teardown(struct ds *ds)
{
	if (ds->ds_store.so_commit_ev)
		event_free(ds->ds_store.so_commit_ev);
	if (ds->ds_follow.fo_lfd != -1)
		close(ds->ds_follow.fo_lfd);
	free(ds->ds_store.so_pend);
	table_free(&ds->ds_tab);
	event_base_free(ds->ds_base);
}

/* What the pair and the session have to do now, done. */
static void
run(struct ds *ds)
{
	int i;

	for (i = 0; i < 4; i++)
		event_base_loop(ds->ds_base, EVLOOP_NONBLOCK);
}

/* Our lines so far, each checked against what the model allows. */
static void
check_out(struct ds *ds, struct bufferevent *peer, struct model *mo)
{
	struct evbuffer *in = bufferevent_get_input(peer);
	struct proto_msg m;
	char *line, err[256];
	size_t len;

	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (proto_parse(line, len, &m, err, sizeof(err)) == -1)
			abort();
		if ((mo->out_lines++ == 0) != (m.pm_type == PM_HELLO))
			abort();
		switch (m.pm_type) {
		case PM_HELLO:
			if (m.pm_id != OUR_ID || m.pm_peer != PEER_ID ||
			    m.pm_seq != PEER_ACK)
				abort();
			break;
		case PM_RECORD:
			if ((mo->out_any_r && m.pm_seq <= mo->out_r) ||
			    m.pm_seq > ds->ds_tab.t_seq)
				abort();
			mo->out_r = m.pm_seq;
			mo->out_any_r = 1;
			mo->sent = m.pm_seq;
			break;
		case PM_SYNCED:
			if (mo->out_any_r && m.pm_seq < mo->out_r)
				abort();
			break;
		case PM_ACK:
			if (m.pm_seq > mo->rx || m.pm_seq < mo->out_ack)
				abort();
			mo->out_ack = m.pm_seq;
			break;
		}
		free(line);
	}
}

/* Does the model take this line?  It updates itself if so. */
static int
model_takes(struct model *mo, const char *line, size_t len)
{
	struct proto_msg m;
	char err[256];

	if (proto_parse(line, len, &m, err, sizeof(err)) == -1)
		return 0;
	if (!mo->hello && m.pm_type != PM_HELLO)
		return 0;
	switch (m.pm_type) {
	case PM_HELLO:
		if (mo->hello || m.pm_id == 0 || m.pm_id == OUR_ID)
			return 0;
		mo->hello = 1;
		mo->rx = m.pm_id == PEER_ID ? PEER_ACK : 0;
		mo->sent = mo->acked = m.pm_peer == OUR_ID ? m.pm_seq : 0;
		return 1;
	case PM_RECORD:
		if (m.pm_seq <= mo->rx)
			return 0;
		mo->rx = m.pm_seq;
		return 1;
	case PM_SYNCED:
		return m.pm_seq == mo->rx;
	case PM_ACK:
		if (m.pm_seq > mo->sent || m.pm_seq < mo->acked)
			return 0;
		mo->acked = m.pm_seq;
		return 1;
	case PM_SKIPPED:	/* any count, any time after HELLO */
		return 1;
	}
	return 0;
}

/* "#R SEQ RECORD" made into its R line; length or -1. */
static int
harness_record(const char *line, size_t len, char *out, size_t outlen)
{
	const char *sp;
	char num[24];
	uint64_t seq;
	size_t n;

	if ((sp = memchr(line + 3, ' ', len - 3)) == NULL ||
	    (n = (size_t)(sp - line - 3)) == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, line + 3, n);
	num[n] = '\0';
	seq = strtoull(num, NULL, 10);
	return proto_record(out, outlen, seq, sp + 1,
	    len - (size_t)(sp + 1 - line));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[PROTO_LINE_MAX * 2];
	struct bufferevent *pair[2];
	struct model mo = { 0 };
	struct ds ds;
	const char *p = (const char *)data, *end = p + size, *nl, *line;
	size_t len;
	int n, good;

	setup(&ds);
	if (bufferevent_pair_new(ds.ds_base, 0, pair) == -1)
		abort();
	bufferevent_enable(pair[1], EV_READ | EV_WRITE);
	session_start(&ds.ds_sess, pair[0], pair[0]);
	run(&ds);
	check_out(&ds, pair[1], &mo);
	while (p < end && ds.ds_sess.se_bin != NULL) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line = p;
		p += len + (nl != NULL);
		if (nl == NULL)
			break;	/* a partial line is only buffered */
		if (len == 2 && memcmp(line, "#C", 2) == 0) {
			store_commit_now(&ds.ds_store);
			ds.ds_store.so_commit_usec = 500000;
			run(&ds);
			check_out(&ds, pair[1], &mo);
			continue;
		}
		if (len > 3 && memcmp(line, "#R ", 3) == 0) {
			if ((n = harness_record(line, len, buf,
			    sizeof(buf))) < 1)
				continue;
			line = buf;
			len = (size_t)n - 1;
		}
		good = len < PROTO_LINE_MAX && model_takes(&mo, line, len);
		bufferevent_write(pair[1], line, len);
		bufferevent_write(pair[1], "\n", 1);
		run(&ds);
		if ((ds.ds_sess.se_bin != NULL) != good)
			abort();
		check_out(&ds, pair[1], &mo);
	}
	session_close(&ds.ds_sess, "eof");
	bufferevent_free(pair[1]);
	teardown(&ds);
	return 0;
}
