/* SPDX-License-Identifier: ISC */
/*
 * A connection's server: named by a use-server rule, else picked (or
 * queued for), connected with the
 * client's first bytes, and on failure retried, then redispatched as
 * haproxy's "retries" and "option redispatch" say.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/netfilter_ipv4.h>

#include <event2/buffer.h>

#include "acl.h"
#include "duration.h"
#include "log.h"
#include "proxy.h"
#include "stats.h"

#define PROXY_TURNAROUND	1000000ULL	/* retry pause, at most */

static void connect_follow_locked(struct hp_conn *);
static int connect_bind_source(int, const struct cf_source *);

/* Returns -1 when c could not be armed and is gone. */
static int
connect_up_locked(struct hp_conn *c)
{
	c->cn_last = mono_usec();
	c->cn_connected = 1;
	c->cn_tc = conn_since(c);	/* cn_pplen no more */
	check_observe_locked(c->cn_srv, 0);
	/* counted now, for the server that got them */
	pump_count(c, 1, c->cn_early);
	c->cn_early = 0;
	if (pump_arm(c, SIDE_CLI) == -1 || pump_arm(c, SIDE_SRV) == -1) {
		conn_close_locked(c);
		return -1;
	}
	return 0;
}

/*
 * haproxy's turn-around: a retry on the same server after a refused (not
 * a timed out) attempt waits min("timeout connect", 1s), so a restarting
 * server is not hammered; a redispatch goes at once.
 */
static uint64_t
connect_turnaround(const struct hp_backend *be)
{
	uint64_t tc = be->b_cf.be_tconnect;

	return tc != 0 && tc < PROXY_TURNAROUND ? tc : PROXY_TURNAROUND;
}

/* haproxy's active servers (srv_act): the usable ones but the backups */
static int
connect_active(const struct hp_backend *be)
{
	if (be->b_ncands == 0 ||
	    be->b_srv[be->b_cands[0].hc_idx]->s_cf.sv_backup)
		return 0;
	return be->b_ncands;
}

/*
 * haproxy 2.6's stream_choose_redispatch, after k failed attempts on
 * failed: with "option redispatch" (any interval, 0 too) the retry goes
 * to another server when failed is not running (down, in maintenance,
 * or back up and still in its slowstart; a reload took it), when the
 * interval names the retry (P > 0 every Pth; -N the Nth before the
 * last, the default -1 the last one; a -N past the retries divides by
 * a negative number as C does, one that makes it 0 crashes haproxy and
 * redispatches none here), and, for any balance but source (haproxy's
 * kinds but the hash of an input), whenever another active server is
 * there and no use-server rule named it.
 */
static int
connect_redispatch_due(const struct hp_conn *c, const struct hp_server *failed,
    int k)
{
	const struct hp_backend *be = c->cn_be;
	int every = be->b_cf.be_redispatch, mod;

	if (!be->b_cf.be_redisp_on)
		return 0;
	if (failed->s_be != be || !server_running(failed) ||
	    server_ramp(failed, mono_usec()) >= 0)
		return 1;
	mod = be->b_cf.be_retries + 1 + every;
	if ((every > 0 && k % every == 0) ||
	    (every < 0 && mod != 0 && k % mod == 0))
		return 1;
	/* haproxy: any balance that hashes no input (round robin, random,
	 * first, leastconn): the next server will do as well */
	return !c->cn_direct && connect_active(be) > 1 &&
	    be->b_cf.be_balance != BAL_SOURCE;
}

/* A connect attempt failed: retry, then redispatch, then give up. */
static void
connect_failed_locked(struct hp_conn *c, const char *why, int timedout)
{
	struct hp_server *failed = c->cn_srv;
	struct hp_backend *be = c->cn_be;
	struct hp_side *sd = &c->cn_side[SIDE_SRV];
	struct evbuffer *said = sd->sd_out;

	/* what the client said stays for the next attempt, not the PROXY
	 * header: the next server may want another, or none */
	sd->sd_out = NULL;
	pump_side_free(sd);
	if (c->cn_pplen > 0) {
		evbuffer_drain(said, c->cn_pplen);
		c->cn_pplen = 0;
		if (evbuffer_get_length(said) == 0) {
			evbuffer_free(said);
			said = NULL;
		}
	}
	sd->sd_out = said;
	log_debug("connect to %s/%s failed: %s (attempt %d)",
	    be->b_cf.be_name, failed->s_cf.sv_name, why, c->cn_attempts);
	/* haproxy counts every attempt, a retry's too */
	check_observe_locked(failed, 1);
	if (c->cn_attempts > be->b_cf.be_retries) {
		/* haproxy's econ: a connection given up, not each attempt */
		failed->s_econ++;
		if (failed->s_be != NULL)
			failed->s_be->b_econ++;
		queue_release_server_locked(c);
		conn_close_locked(c);
		return;
	}
	/* a reload replaced the backend: retry in its successor */
	connect_follow_locked(c);
	be = c->cn_be;
	if (connect_redispatch_due(c, failed, c->cn_attempts)) {
		struct hp_server *alt = backend_pick(be,
		    &c->cn_src.sa, failed);

		if (alt != NULL && alt != failed) {
			failed->s_wredis++;
			stats_count_redispatch(be);
			queue_release_server_locked(c);
			alt->s_refs++;
			alt->s_cur++;
			alt->s_tot++;
			alt->s_lastsess = mono_usec();
			rate_hit(&alt->s_rate, alt->s_lastsess / 1000);
			if (alt->s_be != NULL)
				alt->s_be->b_cur++;
			c->cn_srv = alt;
			c->cn_direct = 0;	/* haproxy drops SF_DIRECT */
			if (alt->s_cur > alt->s_max)
				alt->s_max = alt->s_cur;
			connect_server_locked(c);
			return;
		}
	}
	failed->s_wretr++;
	stats_count_retry(failed);
	if (timedout ||
	    queue_timer_arm_locked(c, connect_turnaround(be)) == -1) {
		connect_server_locked(c);
		return;
	}
	c->cn_q = Q_CONNECT;
}

/*
 * Sends what the client said before its server was connected: n bytes in
 * pump_buf, or what an earlier attempt kept.  A send that goes through
 * shows the connection up without a turn of the loop; one that fails
 * gives the connect's error.  What does not go is kept for the next try.
 * Returns 1 up, 0 not known yet (nothing to send, or still connecting),
 * -1 with errno set when the attempt failed, -2 when the bytes could not
 * be kept.  Lock not held.
 */
static int
connect_send_early(struct hp_conn *c, ssize_t n)
{
	struct hp_side *sd = &c->cn_side[SIDE_SRV];
	ssize_t w;
	int err;

	if (sd->sd_out != NULL)
		w = evbuffer_write(sd->sd_out, sd->sd_fd);
	else if (n > 0)
		w = send(sd->sd_fd, pump_buf, (size_t)n,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
	else
		return 0;
	err = errno;
	if (sd->sd_out == NULL && w < n) {
		ssize_t sent = w > 0 ? w : 0;

		if (pump_keep(sd, pump_buf + sent, (size_t)(n - sent)) == -1)
			return -2;
	} else if (sd->sd_out != NULL &&
	    evbuffer_get_length(sd->sd_out) == 0) {
		evbuffer_free(sd->sd_out);
		sd->sd_out = NULL;
	}
	if (w >= 0)
		return 1;
	if (pump_retriable(err))
		return 0;
	errno = err;
	return -1;
}

/* The server socket became writable, or "timeout connect" passed. */
static void
connect_event(evutil_socket_t fd, short what, void *arg)
{
	struct hp_conn *c = arg;
	struct hp_ctx *ctx = c->cn_ctx;	/* c may be gone below */
	int err = 0, up = 0, early = c->cn_side[SIDE_SRV].sd_out != NULL;
	socklen_t len = sizeof(err);

	c->cn_side[SIDE_SRV].sd_armed = 0;	/* not persistent: spent */
	if (what & EV_TIMEOUT)
		;
	else if (early) {
		/* the client's first bytes wait: their send tells */
		if (connect_send_early(c, 0) == -1)
			err = errno;
	} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	thread_lock(ctx);
	if (what & EV_TIMEOUT)
		connect_failed_locked(c, "connect timeout", 1);
	else if (err != 0)
		connect_failed_locked(c, strerror(err), 0);
	else
		up = connect_up_locked(c) == 0;
	thread_unlock(ctx);
	/*
	 * The client has most likely spoken while we connected: pass that on
	 * now rather than one turn of the loop later (an empty socket costs
	 * one recv()).
	 */
	if (up && !early)
		pump_event(c, SIDE_CLI, EV_READ);
}

/*
 * The address the client reached: what its PROXY header said (accept-
 * proxy), else the one before a netfilter REDIRECT or DNAT if any
 * (haproxy asks SO_ORIGINAL_DST too), else the socket's.  Lock not held.
 */
static int
connect_client_dst(const struct hp_conn *c, struct sockaddr_storage *dst)
{
	socklen_t len = sizeof(*dst);
	int fd = c->cn_side[SIDE_CLI].sd_fd;

	memset(dst, 0, sizeof(*dst));
	if (c->cn_ppdst != NULL) {
		memcpy(dst, c->cn_ppdst, sizeof(*c->cn_ppdst));
		return 0;
	}
	if (c->cn_src.sa.sa_family == AF_INET && getsockopt(fd, SOL_IP,
	    SO_ORIGINAL_DST, dst, &len) == 0)
		return 0;
	len = sizeof(*dst);
	return getsockname(fd, (struct sockaddr *)dst, &len);
}

/*
 * A server without a port, or with +N/-N: the port the client asked for,
 * moved by the offset, modulo 65536 as haproxy.  Lock not held.
 */
static void
connect_map_port(struct hp_conn *c, struct cf_addr *a)
{
	struct sockaddr_storage dst;
	unsigned int port;

	if (connect_client_dst(c, &dst) == -1)
		return;		/* port 0: the connect fails, as a refusal */
	port = ((unsigned int)sockaddr_port(&dst) +
	    (unsigned int)c->cn_srv->s_cf.sv_portoff) & 0xffff;
	sockaddr_set_port(&a->ca_ss, (int)port);
}

/*
 * send-proxy: the PROXY header goes before anything the client said, the
 * n bytes in pump_buf or what an earlier attempt kept, all waiting in
 * sd_out for connect_send_early.  Returns -1 when they could not be
 * kept.  Lock not held.
 */
static int
connect_proxy_header(struct hp_conn *c, ssize_t n)
{
	struct hp_side *sd = &c->cn_side[SIDE_SRV];
	struct sockaddr_storage dst;
	unsigned char hdr[PP_BUILD_MAX];
	struct evbuffer *out;
	size_t len;

	if (connect_client_dst(c, &dst) == -1)
		dst.ss_family = AF_UNSPEC;	/* v1 UNKNOWN, v2 LOCAL */
	len = pp_build(hdr, c->cn_srv->s_cf.sv_sendproxy & CF_SENDPROXY_V2 ?
	    2 : 1, &c->cn_src.sa, (struct sockaddr *)&dst);
	if ((out = evbuffer_new()) == NULL)
		return -1;
	if (evbuffer_add(out, hdr, len) == -1 || (sd->sd_out != NULL &&
	    evbuffer_add_buffer(out, sd->sd_out) == -1) ||
	    (n > 0 && evbuffer_add(out, pump_buf, (size_t)n) == -1)) {
		evbuffer_free(out);
		return -1;
	}
	if (sd->sd_out != NULL)
		evbuffer_free(sd->sd_out);
	sd->sd_out = out;
	c->cn_pplen = (uint32_t)len;
	return 0;
}

/*
 * Connects c->cn_srv (picked by the caller or by connect_start_locked).
 * The lock is let go for the system calls: c is in no queue, so no
 * other thread touches it meanwhile, and its references keep its server
 * alive.
 *
 * The client has most likely spoken by now (its request follows its
 * handshake at once), so it is read first, and its bytes go out as soon
 * as connect() returns: to a server on this host the handshake is over
 * by then, and with TCP_QUICKACK off (haproxy's "option
 * tcp-smart-connect") the handshake's last ACK rides on them, one packet
 * fewer.  Nothing to say yet, or a server farther away: the socket's
 * writable event tells when it is up.
 */
/*
 * option clitcpka / srvtcpka on a client's or a server's socket, as
 * haproxy 2.6 sets them (session_accept_fd, tcp_connect_server): a long
 * idle session through a NAT or a firewall keeps its state there.
 */
void
tcpka_set(int fd, const struct cf_tcpka *ka)
{
	int one = 1;

	if (!ka->ka_on)
		return;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	if (ka->ka_cnt)
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &ka->ka_cnt,
		    sizeof(ka->ka_cnt));
	if (ka->ka_idle)
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &ka->ka_idle,
		    sizeof(ka->ka_idle));
	if (ka->ka_intvl)
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &ka->ka_intvl,
		    sizeof(ka->ka_intvl));
}

void
connect_server_locked(struct hp_conn *c)
{
	struct hp_ctx *ctx = c->cn_ctx;
	struct hp_side *sd = &c->cn_side[SIDE_SRV];
	struct cf_addr a = c->cn_srv->s_cf.sv_addr;
	/* a server's own "source" wins over its backend's */
	struct cf_source so = c->cn_srv->s_cf.sv_source.so_addr.ca_host[0] ?
	    c->cn_srv->s_cf.sv_source : c->cn_be->b_cf.be_source;
	struct timeval tv;
	uint64_t tc = c->cn_be->b_cf.be_tconnect ? c->cn_be->b_cf.be_tconnect :
	    PROXY_TCONNECT_DEF;
	ssize_t n = 0;
	int one = 1, zero = 0, err = 0, early = 0, rc;

	c->cn_attempts++;
	stats_count_connect(c->cn_srv);
	thread_unlock(ctx);
	/* nothing, a FIN or an error is left for the client's own event */
	if (sd->sd_out == NULL && !c->cn_side[SIDE_CLI].sd_eof &&
	    (n = recv(c->cn_side[SIDE_CLI].sd_fd, pump_buf,
	    sizeof(pump_buf), 0)) > 0)
		c->cn_early += (uint32_t)n;
	sd->sd_fd = socket(a.ca_ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (sd->sd_fd == -1)
		err = errno;
	else {
		setsockopt(sd->sd_fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		tcpka_set(sd->sd_fd, &c->cn_be->b_cf.be_tcpka);
		if (c->cn_srv->s_cf.sv_sendproxy != 0) {
			if (connect_proxy_header(c, n) == -1)
				early = -2;
			n = 0;		/* in sd_out now */
		}
		if (n > 0 || sd->sd_out != NULL)
			setsockopt(sd->sd_fd, IPPROTO_TCP, TCP_QUICKACK, &zero,
			    sizeof(zero));
		if (c->cn_srv->s_cf.sv_portmap)
			connect_map_port(c, &a);
		if (early == -2) {
			rc = -1;
			errno = ENOMEM;
		} else if (so.so_addr.ca_host[0] != '\0' &&
		    connect_bind_source(sd->sd_fd, &so) == -1)
			rc = -1;
		else
			rc = connect(sd->sd_fd, (const struct sockaddr *)&a.
			    ca_ss, a.ca_sslen);
		err = rc == 0 ? 0 : errno;
		if (err == 0 || err == EINPROGRESS) {
			early = connect_send_early(c, n);
			if (early == -1)
				err = errno;
			else if (early == 1)
				err = 0;
		} else if (n > 0 && pump_keep(sd, pump_buf, (size_t)n) == -1)
			early = -2;
	}
	thread_lock(ctx);
	if (sd->sd_fd == -1) {
		/* no socket: retrying now cannot help, stop accepting */
		if (listen_out_of_fds(err))
			listen_backoff_locked(ctx, "connect", err);
		else
			log_warnx_rl("socket: %s", strerror(err));
		queue_release_server_locked(c);
		conn_close_locked(c);
		return;
	}
	if (early == -2) {
		/* read from the client and nowhere to keep it */
		conn_close_locked(c);
		return;
	}
	if (err == 0) {
		connect_up_locked(c);
		return;
	}
	if (err != EINPROGRESS) {
		connect_failed_locked(c, strerror(err), 0);
		return;
	}
	tv = duration_tv(tc);
	event_assign(&sd->sd_ev, c->cn_base, sd->sd_fd, EV_WRITE,
	    connect_event, c);
	if (event_add(&sd->sd_ev, &tv) == -1) {
		conn_close_locked(c);
		return;
	}
	sd->sd_armed = EV_WRITE;
}

/*
 * "source": binds the server socket to its address, and to a port of its
 * range (tried in turn from where the last connection left off), before
 * connect().  Lock not held; so is a copy of the setting.
 */
static int
connect_bind_source(int fd, const struct cf_source *so)
{
	static unsigned next;	/* a hint only: races are harmless */
	struct sockaddr_storage ss = so->so_addr.ca_ss;
	int one = 1, n, k, port;

	if (so->so_lo == 0) {
		/* the port comes with connect(): the 4-tuple decides */
#ifdef IP_BIND_ADDRESS_NO_PORT
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
		    sizeof(one));
#endif
		return bind(fd, (struct sockaddr *)&ss, so->so_addr.ca_sslen);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	n = so->so_hi - so->so_lo + 1;
	for (k = 0; k < n; k++) {
		port = so->so_lo + (int)((next + (unsigned)k) % (unsigned)n);
		sockaddr_set_port(&ss, port);
		if (bind(fd, (struct sockaddr *)&ss, so->so_addr.ca_sslen) ==
		    0) {
			next += (unsigned)k + 1;
			return 0;
		}
		if (errno != EADDRINUSE)
			return -1;
	}
	return -1;
}

/* A reload replaced c's backend (and took its servers): its successor. */
static void
connect_follow_locked(struct hp_conn *c)
{
	struct hp_backend *be = c->cn_be;

	while (be->b_retired && be->b_next != NULL) {
		be->b_next->b_refs++;
		be->b_next->b_conns++;
		be->b_conns--;
		backend_unref(c->cn_be);
		be = c->cn_be = be->b_next;
	}
}

/* A use-server rule's server for c (rules_use_server), or NULL. */
static struct hp_server *
connect_use_server(struct hp_conn *c)
{
	struct sockaddr_storage dst;
	struct acl_addrs aa = { &c->cn_src.sa, NULL, NULL };
	const struct acl_set *rs = rules_srv_set(c->cn_fe, c->cn_be);

	if (rs == NULL)
		return NULL;
	if (rs->s_needdst && connect_client_dst(c, &dst) == 0)
		aa.aa_dst = (struct sockaddr *)&dst;
	return rules_use_server(rs, c->cn_be, &aa);
}

void
connect_start_locked(struct hp_conn *c)
{
	struct hp_server *s;

	/* a reload may have come between accept() and here (another
	 * thread), or while c waited in a queue */
	connect_follow_locked(c);
	c->cn_direct = (s = connect_use_server(c)) != NULL;
	if (s == NULL)
		s = backend_pick(c->cn_be, &c->cn_src.sa, NULL);
	if (s == NULL && c->cn_be->b_ncands > 0 &&
	    c->cn_be->b_cf.be_balance != BAL_SOURCE) {
		/* every server full */
		queue_enqueue_locked(c, NULL);
		return;
	}
	if (s == NULL) {
		log_debug("frontend %s: no server available", c->cn_fe->f_name);
		stats_count_noserver(c->cn_be);
		pump_drain(c->cn_side[SIDE_CLI].sd_fd);
		conn_close_locked(c);
		return;
	}
	if (server_full(s) && s->s_cf.sv_maxqueue > 0 &&
	    s->s_qcur >= s->s_cf.sv_maxqueue) {
		/* haproxy: 503, as a hash would pick it again */
		log_debug("server %s: queue full (maxqueue %d)",
		    s->s_cf.sv_name, s->s_cf.sv_maxqueue);
		stats_count_queue_full(c, s);
		conn_close_locked(c);
		return;
	}
	s->s_refs++;
	c->cn_srv = s;
	if (server_full(s)) {
		queue_enqueue_locked(c, s);
		return;
	}
	queue_take_slot_locked(c, s);
	connect_server_locked(c);
}
