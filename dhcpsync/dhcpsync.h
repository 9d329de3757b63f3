/* SPDX-License-Identifier: ISC */
/*
 * The daemon's context: the options and the lease table, and one struct
 * per part, each written by its own file: the follower (follow.c), the
 * store (store.c: the state file's resume points, the lease file, the
 * journal), the session (session.c), the link (transport.c) and the
 * counters status and metrics read.  Each part's struct also holds what
 * it works on besides its own state (wire.c sets it: options, the other
 * parts it reads or drives, callbacks), so its functions take it alone.
 */
#ifndef DS_DHCPSYNC_H
#define DS_DHCPSYNC_H

#include <stdint.h>
#include <sys/types.h>

#include "kea-csv.h"
#include "subnets.h"
#include "table.h"

struct event_base;
struct event;
struct bufferevent;
struct evconnlistener;
struct ctlsock;
struct evbuffer;
struct promhttp;

/* A local sequence number: lease file generation, then byte offset. */
#define DS_SEQ(epoch, off)	((uint64_t)(epoch) << 40 | (uint64_t)(off))
/*
 * Kea: the older files (history.c) are numbered 1, 2, ... below this in
 * an epoch, the followed file's offsets above it.
 */
#define DS_HBASE		(1ull << 39)

/* The local server's lease file format. */
enum { DS_FMT_DHCPD = 0, DS_FMT_KEA };

/*
 * Both directions on one link, or one way down a pipe (send: the stream
 * on stdout, nothing read; recv: the stream on stdin, nothing written).
 * One-way ends keep no state file: nothing they could resume from
 * reaches the other end.
 */
enum { DS_BOTH = 0, DS_SEND, DS_RECV };

/*
 * Following the local lease file (follow.c, history.c): where we are in
 * it, and what of it we could not carry.
 */
struct follower {
	/*
	 * What the follower works on, set by wire.c before the first call:
	 * the file and how to read it (options), the table it reads into,
	 * the store whose epoch numbers what it reads (and which writes a
	 * peer record a new file lost), the counters it bumps.
	 */
	const char *fo_leases;
	int	 fo_fmt, fo_mode;
	struct table *fo_tab;
	struct store *fo_so;
	struct counters *fo_count;
	/* told when there is more to send: the session's */
	void	(*fo_changed)(void *);
	void	*fo_changed_arg;

	int	 fo_ifd, fo_lfd;	/* inotify, the lease file */
	struct event *fo_iev;
	uint64_t fo_loff;		/* bytes of fo_lfd consumed */
	int	 fo_lline;
	int	 fo_lbroken;		/* parse error: wait for a new file */
	/*
	 * Leases of the followed file we could not carry: the addresses
	 * whose latest block was skipped (a later good block takes one
	 * off), and blocks whose address did not parse.
	 */
	uint32_t *fo_skip;
	size_t	 fo_nskip, fo_skipcap;
	uint64_t fo_skip_noaddr;
	struct csv_hdr fo_lhdr;		/* Kea: the followed file's header */
	int	 fo_hist_live;		/* epoch holds no history numbers */
	char	*fo_lbuf;
	size_t	 fo_lbuflen, fo_lbufcap;
	int	 fo_probe_failed;	/* cannot tell whether dhcpd runs */
};

/*
 * What is on disk (store.c, journal.c, lock.c): both streams' resume
 * points, persisted in the state file, and the peer's records on their
 * way to the lease file (or the journal while dhcpd runs).
 */
struct store {
	/*
	 * What the store works on, set by wire.c before the first call:
	 * the files it writes and how (options), the table it writes from,
	 * the follower it hands a rewritten file to and asks whether dhcpd
	 * runs, the counters it bumps.
	 */
	const char *so_leases, *so_state;
	int	 so_fmt, so_mode;
	uint64_t so_retry_usec;
	struct table *so_tab;
	struct follower *so_fo;
	struct counters *so_count;
	/* told of each commit's result (STORE_*): the session's ACK */
	void	(*so_committed)(void *, int);
	void	*so_committed_arg;

	/* local stream: persisted in the state file */
	uint64_t so_id, so_epoch;
	uint64_t so_dev, so_ino;	/* the lease file that epoch names */
	uint64_t so_hist;		/* Kea: the older files, fingerprinted */
	/* remote stream: persisted */
	uint64_t so_peer, so_ack;
	uint64_t so_rx;			/* last peer record merged in memory */

	int	 so_dirty;		/* table has peer changes not on disk */
	uint32_t *so_pend;		/* addresses changed since the commit */
	size_t	 so_npend, so_pendcap;
	int	 so_pend_over;		/* too many: rewrite the whole file */
	uint64_t so_appended;		/* bytes appended since a rewrite */
	struct event *so_commit_ev;
	uint64_t so_commit_usec;	/* how long the last rewrite took */
	uint64_t so_commit_end;		/* mono usec it ended, 0 none yet */
	int	 so_commit_pending;
	uint64_t so_wfail;		/* commits failed in a row */
	int	 so_lockfd, so_locked;	/* FILE.dhcpsync.lock (lock.c) */
	int	 so_lockstate;		/* what it says, 0 = not written */
	/* holding the peer's records while the local dhcpd runs */
	size_t	 so_nheld;		/* records held in the journal */
	uint64_t so_jbytes;		/* the journal's size */
	int	 so_held_now;		/* the last commit held, not wrote */
};

/* The peer session (session.c): one link's HELLO, records and ACKs. */
struct session {
	/*
	 * What the session works on, set by wire.c before the first call:
	 * the options that say what it may take and how, the table, the
	 * store that commits what it takes, the follower whose skips it
	 * reports, the counters; wait-synced's exit code and loop, and the
	 * link's teardown when the session ends.
	 */
	const char *se_leases;
	int	 se_fmt, se_mode, se_stdio, se_once;
	const char *se_kea;
	uint32_t se_kea_subnet;
	int64_t	 se_max_skew;
	const struct subnets *se_subnets;
	struct table *se_tab;
	struct store *se_so;
	const struct follower *se_fo;
	struct counters *se_count;
	struct event_base *se_base;
	int	*se_exit;
	void	(*se_down)(void *);
	void	*se_down_arg;

	struct bufferevent *se_bin, *se_bout;
	int	 se_hello;		/* peer's HELLO seen */
	uint64_t se_sent, se_peer_acked, se_synced_sent;
	int	 se_synced_sent_valid;
	uint64_t se_skip_sent;		/* SKIPPED last sent this session */
	int	 se_broken_sent;
	uint64_t se_peer_skipped;	/* the peer's last SKIPPED */
	int	 se_peer_broken;
	uint64_t se_unacked_since;	/* mono usec, 0 = nothing unacked */
	uint64_t se_rx_lines;
	int	 se_was_lagging;
	uint64_t se_synced_mark;	/* peer's SYNCED, 0 = none pending */
	int	 se_have_synced_mark;
	int	 se_synced;		/* incoming direction caught up */
	int	 se_wait_logged;	/* wait-synced said why it waits */
};

/* The link the session runs on (transport.c). */
struct link {
	/*
	 * What the link works on, set by wire.c: where the peer is
	 * (options), the session it starts and ends, the store's idea of
	 * the live peer's id, the counters.
	 */
	const char *li_peercmd, *li_listen, *li_connect;
	int	 li_stdio, li_mode, li_ofd;
	uint64_t li_retry_usec;
	struct event_base *li_base;
	struct session *li_se;
	const struct store *li_so;
	struct counters *li_count;

	pid_t	 li_child;		/* --peer CMD */
	struct evconnlistener *li_lst;	/* --listen */
	struct bufferevent *li_newcomer;	/* --listen: before its HELLO */
	struct event *li_retry_ev;
};

/*
 * Counters for status and metrics: each bumped by the file that owns
 * the event, read by control-socket.c and metrics.c.
 */
struct counters {
	uint64_t n_sent, n_recv, n_applied, n_commits;
	uint64_t n_local, n_peerdown, n_badpeer;
	uint64_t n_kea_refused;		/* leases Kea refused, skipped */
	uint64_t n_clamped;		/* peer cltt in the future, clamped */
	uint64_t n_outside;		/* peer leases outside --subnet */
	uint64_t n_limit;		/* leases refused at --max-leases */
	uint64_t n_refused_conn;	/* --listen: second peers refused */
	uint64_t n_skipped;		/* statements skipped, all files */
	uint64_t n_wfail;		/* commits the disk refused */
	/* sessions begun, protocol bytes, last applied (mono usec) */
	uint64_t n_peerup, n_rxbytes, n_txbytes, applied_end;
};

/*
 * The options (args.c, read-only after), the lease table, and each
 * part's own state.
 */
struct ds {
	struct event_base *ds_base;
	/* options */
	const char *ds_leases;
	char	 ds_state[4096];
	const char *ds_peercmd, *ds_listen, *ds_connect, *ds_control;
	const char *ds_kea;		/* Kea control socket: apply live */
	uint32_t ds_kea_subnet;		/* 0: Kea picks it by address */
	uint64_t ds_retry_usec, ds_timeout_usec;
	uint64_t ds_hello_usec;		/* wait-synced --hello-timeout */
	int	 ds_once;		/* wait-synced */
	int	 ds_stdio;		/* the protocol is on stdin/stdout */
	int	 ds_ofd;		/* stdio: the protocol's stdout */
	int	 ds_mode;		/* DS_BOTH, or one way: DS_SEND, DS_RECV */
	int	 ds_readyfd;
	int	 ds_fmt;		/* DS_FMT_DHCPD or DS_FMT_KEA */
	const char *ds_user;		/* --user: run as it after set-up */
	/* what a peer may do (--max-skew, --max-leases in ds_tab, --subnet) */
	int64_t	 ds_max_skew;		/* seconds a cltt may be ahead */
	size_t	 ds_max_leases;		/* the table's cap */
	struct subnets ds_subnets;	/* none: any address */
	const char *ds_metrics_addr;	/* --metrics ADDR:PORT, or NULL */

	struct table ds_tab;
	struct follower ds_follow;
	struct store ds_store;
	struct session ds_sess;
	struct link ds_link;
	struct counters ds_count;
	struct ctlsock *ds_ctl;		/* --control */
	struct promhttp *ds_metrics;
	struct event *ds_tick_ev, *ds_timeout_ev, *ds_hello_ev;
	int	 ds_exit;		/* exit code once the loop ends */
};

/* store.c: what a commit did, for the session to act on */
enum { STORE_NONE = 0, STORE_ACK, STORE_RETRY };
int	store_state_load(struct store *);
int	store_state_save(struct store *);
int	store_write(struct store *);
void	store_commit_schedule(struct store *);
void	store_commit_now(struct store *);
void	store_changed(struct store *, uint32_t addr);
int	store_flush(struct store *);
int	store_stop(struct store *);
int	store_settle(struct store *);

/* lock.c */
int	lock_take(struct store *, long *pid);
void	lock_update(struct store *, const struct session *);
int	lock_wait_holder(struct store *, uint64_t timeout_usec,
	    uint64_t hello_usec, long pid);
void	store_server_closed(struct store *);
int	store_init(struct store *, struct event_base *,
	    void (*committed)(void *, int), void *arg);

/* follow.c */
int	follow_init(struct follower *, struct event_base *,
	    void (*changed)(void *), void *arg);
int	follow_read(struct follower *);
uint64_t follow_skipped(const struct follower *);
int	follow_server_running(struct follower *, const char *leases);
void	follow_written(struct follower *, int fd, uint64_t size);

/* history.c */
uint64_t history_fingerprint(const char *leases);
int	history_load(const char *leases, struct table *, uint64_t epoch,
	    struct counters *);
int	history_is(const char *leases, const char *name);

/* session.c */
void	session_start(struct session *, struct bufferevent *in,
	    struct bufferevent *out);
void	session_close(struct session *, const char *reason);
void	session_send_more(struct session *);
void	session_acked(struct session *);
void	session_committed(struct session *, int result);
void	session_tick(struct session *);
/*
 * The next protocol line in the buffer, left there (the session and
 * transport.c's --listen newcomer frame lines alike): 1 and the line
 * without its LF (*len bytes; NULL out of memory), 0 while it is not
 * whole, -1 when more than PROTO_LINE_MAX bytes came without an LF.
 */
int	session_peek_line(struct evbuffer *, char **line, size_t *len);

/* transport.c */
int	transport_start(struct link *);
void	transport_down(struct link *);

/* control-socket.c */
int	control_init(struct ds *);

/* metrics.c */
void	metrics_write(const struct ds *, struct evbuffer *);
int	metrics_init(struct ds *);
void	metrics_close(struct ds *);

/* path.c: FILE then SUFFIX into buf; -1 (ENAMETOOLONG) if it is short */
int	path_beside(char *buf, size_t len, const char *file,
	    const char *suffix);

/* wire.c: main.c (or a harness) sets each part up */
void	wire_parts(struct ds *);
void	wire_loop(struct ds *);
/* the callbacks store_init and follow_init take: arg is the session */
void	wire_committed(void *, int result);
void	wire_changed(void *);

/* user.c */
int	user_drop(const struct store *, const char *user);

#endif
