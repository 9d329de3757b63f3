/* SPDX-License-Identifier: ISC */
/*
 * The L4 proxy's inside, shared by its files: listen.c (listening
 * sockets, accept and its back-off), conn.c (a connection's start and
 * end), queue.c (waiting for a server's slot), connect.c (picking a
 * server, connect, retry, redispatch) and pump.c (moving the bytes).
 *
 * Threads (nbthread): a connection lives on the worker that accepted it,
 * and only that thread touches its sockets and events.  Everything
 * shared (counters, queues, lists, references) is under the context's
 * lock (thread_lock).  The lock contract is in the names: a function
 * whose name ends in _locked expects the lock held, and may let it go
 * around system calls only where its comment says so (connect,
 * close); any other function takes it itself or touches nothing shared.
 * Other threads reach a connection only while it waits in a server's
 * queue, and then only through event_active() on its timer, which runs
 * the step in its own thread.
 */
#ifndef HP_PROXY_H
#define HP_PROXY_H

#include <stdint.h>
#include <sys/queue.h>
#include <netinet/in.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "hashproxy.h"
#include "proxyproto.h"

/*
 * One read: 128 kB.  A system call costs more than the copy of 16 kB
 * here (haproxy reads 16 kB at a time), so four times haproxy's reads
 * spare a part of the bulk CPU; it is also the most a slow reader makes
 * us keep per direction.
 */
#define PROXY_MAXBUF		(128 * 1024)
#define PROXY_TCONNECT_DEF	5000000ULL	/* no "timeout connect" */

enum conn_queue { Q_NONE, Q_WAITING, Q_CONNECT, Q_REPICK };
enum { SIDE_CLI, SIDE_SRV };

/* One socket of a connection. */
struct hp_side {
	struct event	 sd_ev;
	struct evbuffer	*sd_out;	/* bytes for it not yet sent, or NULL */
	evutil_socket_t	 sd_fd;
	short		 sd_armed;	/* what sd_ev waits for, 0 = nothing */
	unsigned char	 sd_eof;	/* it sent its FIN */
	unsigned char	 sd_shut;	/* we sent it ours */
};

struct hp_conn {
	LIST_ENTRY(hp_conn) cn_entry;
	TAILQ_ENTRY(hp_conn) cn_qentry;
	struct hp_side	 cn_side[2];	/* SIDE_CLI, SIDE_SRV */
	struct event	*cn_qtimer;	/* queue timeout, or a deferred step */
	struct hp_ctx	*cn_ctx;
	struct event_base *cn_base;	/* its worker's */
	struct hp_frontend *cn_fe;
	struct hp_backend *cn_be;
	struct hp_server *cn_srv;
	uint64_t	 cn_last;
	uint64_t	 cn_born;	/* accepted, mono usec */
	uint64_t	 cn_qt;		/* queued, mono usec */
	uint32_t	 cn_tq;		/* left the queue: usec after accept */
	union {
		uint32_t cn_tc;		/* connected: usec after accept */
		/* until then, send-proxy: the PROXY header's bytes at the
		 * head of the server side's sd_out */
		uint32_t cn_pplen;
	};
	/* the client's address, for hashing: not a 128-byte storage */
	union {
		struct sockaddr		sa;
		struct sockaddr_in	sin;
		struct sockaddr_in6	sin6;
	}		 cn_src;
	enum conn_queue	 cn_q;
	/* accept-proxy: the address the header says the client reached,
	 * or NULL (the socket's own) */
	union pp_addr	*cn_ppdst;
	uint32_t	 cn_early;	/* read before connected, uncounted */
	unsigned short	 cn_attempts;
	unsigned char	 cn_connected;
	unsigned char	 cn_kill;	/* on-marked-down/up: close it */
	unsigned char	 cn_direct;	/* a use-server rule named cn_srv */
};

/* listen.c */
void	listen_settle_locked(struct hp_ctx *);
void	listen_backoff_locked(struct hp_ctx *, const char *what, int err);
int	listen_out_of_fds(int err);

/* conn.c */
uint32_t conn_since(const struct hp_conn *);
void	conn_accepted_locked(struct hp_worker *, struct hp_frontend *,
	    struct hp_conn *, int fd, const struct sockaddr_storage *,
	    int after_header);
void	conn_wait_header_locked(struct hp_worker *, struct hp_frontend *,
	    struct hp_conn *, int fd, const struct sockaddr_storage *);
void	conn_unreserve_locked(struct hp_ctx *, struct hp_frontend *);
void	conn_close_locked(struct hp_conn *);

/* queue.c */
int	queue_timer_arm_locked(struct hp_conn *, uint64_t usec);
void	queue_take_slot_locked(struct hp_conn *, struct hp_server *);
void	queue_enqueue_locked(struct hp_conn *, struct hp_server *);
void	queue_release_server_locked(struct hp_conn *);

/* connect.c */
void	connect_start_locked(struct hp_conn *);
void	connect_server_locked(struct hp_conn *);
void	tcpka_set(int fd, const struct cf_tcpka *);

/* pump.c */
extern __thread char pump_buf[PROXY_MAXBUF];
int	pump_retriable(int err);
int	pump_keep(struct hp_side *, const char *, size_t);
int	pump_arm(struct hp_conn *, int side);
void	pump_event(struct hp_conn *, int side, short what);
void	pump_count(struct hp_conn *, int from_client, size_t);
void	pump_side_free(struct hp_side *);
void	pump_drain(int fd);

#endif
