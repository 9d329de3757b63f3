/* SPDX-License-Identifier: ISC */
/*
 * hashproxy's running state: one context passed down, frontends with
 * their listeners, backends with their servers, connections.  Objects a
 * reload may replace are reference counted so that a connection keeps
 * what it points at until it ends.
 */
#ifndef HP_HASHPROXY_H
#define HP_HASHPROXY_H

#include <pthread.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "config.h"
#include "hash.h"
#include "sockaddr.h"

enum srv_op { SRV_UP, SRV_DOWN };
enum srv_admin { ADM_READY, ADM_DRAIN, ADM_MAINT };

struct hp_ctx;
struct ctlsock;
struct promhttp;
struct stats_sock;
struct hp_backend;
struct hp_conn;

/*
 * haproxy's qtime/ctime/ttime: sliding averages over the last
 * HP_TIME_SAMPLES connections (its swrate: sum -= sum / n, sum += v),
 * and maxima; microseconds.
 */
#define HP_TIME_SAMPLES	1024
#define HP_MAXPATHS	16	/* -f */
enum hp_time { HT_QUEUE, HT_CONNECT, HT_TOTAL, HT_N };
struct hp_times {
	uint64_t	 t_sum[HT_N];
	uint64_t	 t_max[HT_N];
	uint64_t	 t_n;		/* samples so far */
};

/*
 * Byte counters are the one shared state the data path touches, once per
 * read: workers add to them without the lock, relaxed (a sum, no order),
 * and whoever reports them reads them the same way.
 */
#define HP_COUNT(x, n)	__atomic_fetch_add(&(x), (n), __ATOMIC_RELAXED)
#define HP_READ(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)

/*
 * Events in the last second, as haproxy's freq_ctr: this period's count
 * and the last one's, the last weighed by how much of it is still
 * within a second of now (limits.c).  r_max is haproxy's *ps_max: the
 * most any one period counted, which show stat gives as rate_max.
 */
struct hp_rate {
	uint64_t	 r_start;	/* this period's start, ms */
	unsigned	 r_curr, r_prev;
	unsigned	 r_max;
};

struct hp_server {
	int		 s_refs;
	struct hp_backend *s_be;
	int		 s_idx;
	struct cf_server s_cf;
	/* s_cf's sv_name and sv_resolvers, its own: the config they came
	 * from is freed at the next reload */
	char		*s_name, *s_resolvers;
	enum srv_op	 s_op;
	int		 s_nolb;	/* up, answering 404 under http-check
					 * disable-on-404: no new clients */
	enum srv_admin	 s_admin;
	int		 s_health;	/* haproxy: 0..rise+fall-1, up >= rise */
	/* haproxy zeroes the health in maintenance, and the check that
	 * was under way then counts on it (show servers state) */
	int		 s_mhealth;
	int		 s_cur, s_max;
	int		 s_iweight;	/* configured; s_cf.sv_weight is current */
	/* connections waiting for a slot under the server's maxconn */
	TAILQ_HEAD(hp_connq, hp_conn) s_queue;
	int		 s_qcur, s_qmax;
	/* slowstart: when it came up (mono usec, 0 = not ramping), its
	 * weight now in 1/16ths, and the timer that raises it */
	uint64_t	 s_ss_start;
	int		 s_eweight;
	struct event	*s_ss_timer;
	uint64_t	 s_tot, s_bin, s_bout, s_econ, s_wretr, s_wredis;
	uint64_t	 s_direct;	/* of s_tot, use-server's (no lbtot) */
	/* of s_tot, retries (no lbtot); not in s_tot, clients balanced
	 * here that are in its queue, ended there or found it full
	 * (lbtot) */
	uint64_t	 s_rtot, s_qlb;
	/* stats-count.c: attempts to connect, sessions each side ended
	 * badly, the server's errors among them */
	uint64_t	 s_connect, s_cli_abrt, s_srv_abrt, s_eresp;
	uint64_t	 s_chkfail, s_chkdown, s_lastchg, s_downtime;
	uint64_t	 s_downsince;
	uint64_t	 s_lastsess;	/* mono usec of the last connection, 0 never */
	struct hp_rate	 s_rate;	/* s_tot's */
	struct hp_times	 s_times;
	/* health check */
	struct event	*s_chk_timer;
	struct bufferevent *s_chk_bev;
	uint64_t	 s_chk_start, s_chk_dur;
	char		 s_chk_status[24];	/* L4OK, L4CON, L7STS ... */
	int		 s_chk_code;
	char		 s_chk_desc[192];
	/* checks (check*.c) */
	struct cf_chkrule *s_chk_rules;	/* tcp-check, pgsql, mysql, redis */
	int		 s_chk_nrules;
	int		 s_chk_step;	/* the rule running */
	int		 s_chk_cstep;	/* the rule whose connect was started */
	int		 s_chk_conn;	/* the check's connection is up */
	int		 s_chk_eof;	/* the server closed it: no more bytes */
	/* "set server B/S check-addr": checks go there (0: the server) */
	struct sockaddr_storage s_chk_ss;
	socklen_t	 s_chk_sslen;
	/* its name asked at run time (dns.c) */
	int		 s_rmaint;	/* MAINT (resolution): no address */
	int		 s_dns_busy;	/* a query is out */
	int		 s_dns_valid;	/* the last resolution was valid */
	uint64_t	 s_dns_last;	/* mono usec of the last resolution */
	uint64_t	 s_dns_lastok;	/* of the last valid answer */
	/*
	 * observe layer4 (check.c): failed connects in a row, counted by
	 * the thread that proxies (lock held); at error-limit, s_obs_hit
	 * keeps the count and s_obs_ev has the main thread act on-error.
	 */
	int		 s_obs_errs;
	int		 s_obs_hit;
	struct event	*s_obs_ev;
	uint64_t	 s_hanafail;	/* times it acted */
	int		 s_chk_fast;	/* the next check comes at fastinter */
	uint64_t	 s_chk_due;	/* mono usec the next check starts */
	/*
	 * "track": the server whose state this one takes (a reference is
	 * held; NULL: none), and what it inherits from it, haproxy's
	 * IMAINT and IDRAIN: maintenance or drain of any server up the
	 * chain, on top of its own s_admin.
	 */
	struct hp_server *s_track;
	int		 s_imaint, s_idrain;
	struct hp_agent	*s_agent;	/* agent-check (check-agent.h) */
	/* option external-check (check-external.c): the command running,
	 * and the last one's exit code, which a time-out leaves shown */
	struct hp_extcheck *s_ext;
	int		 s_ext_code;
	/*
	 * "disable health|agent" (stats-srv.c): configured but stopped
	 * until "enable" or a reload.  A disabled health check is also
	 * off in s_cf.sv_check: the server reads as unchecked.
	 */
	int		 s_chk_off, s_agt_off;
	char		*s_agentsend;	/* "set server B/S agent-send"'s */
};

struct hp_backend {
	int		 b_refs;
	struct hp_ctx	*b_ctx;
	struct cf_backend b_cf;		/* b_cf.be_servers not used */
	char		*b_name;	/* b_cf.be_name, its own */
	struct hp_server **b_srv;
	int		 b_nsrv;
	/* candidates for selection, rebuilt on every state change */
	struct hash_cand *b_cands;
	int		 b_ncands;
	struct hash_ring b_ring;
	struct hash_map	 b_map;
	/*
	 * The same as they will be once server b_alt_avoid is down: where a
	 * redispatch away from it goes, so that its clients move once.
	 * Built at the first redispatch, dropped at the next rebuild.
	 */
	struct hash_cand *b_alt_cands;
	int		 b_alt_ncands;
	struct hash_ring b_alt_ring;
	struct hash_map	 b_alt_map;
	int		 b_alt_avoid;	/* -1: none built */
	unsigned	 b_rr;
	uint32_t	 b_rnd;		/* balance random's generator */
	int		 b_conns;	/* haproxy's beconn: all, waiting too */
	int		 b_smax;	/* its peak (show stat's smax) */
	int		 b_cur;
	/* connections waiting for any server (every one full) */
	struct hp_connq	 b_queue;
	int		 b_qcur, b_qmax;
	uint64_t	 b_tot, b_bin, b_bout, b_econ, b_lastchg;
	/* haproxy's: times it lost its last usable server, and the usec
	 * it spent without one before b_lastchg */
	uint64_t	 b_chkdown, b_downtime;
	uint64_t	 b_direct;	/* of b_tot, not balanced (no lbtot) */
	uint64_t	 b_rlb;		/* not in b_tot: redispatches (lbtot) */
	/* its servers' s_connect, s_cli_abrt, s_srv_abrt, s_eresp */
	uint64_t	 b_connect, b_cli_abrt, b_srv_abrt, b_eresp;
	uint64_t	 b_lastsess;
	struct hp_rate	 b_rate;	/* b_tot's */
	struct hp_times	 b_times;
	struct hp_backend *b_next;	/* successor after a reload */
	int		 b_retired;
	/* tcp-request content rules (rules.c); NULL: none */
	struct acl_set	*b_rules;
};

struct hp_frontend {
	int		 f_refs;
	struct hp_backend *f_be;
	int		 f_maxconn;
	int		 f_ratelim;	/* rate-limit sessions; 0: none */
	struct hp_rate	 f_rate;	/* its accepts */
	uint64_t	 f_tclient;
	uint64_t	 f_tclientfin;	/* 0 = f_tclient */
	struct cf_tcpka	 f_tcpka;	/* option clitcpka */
	int		 f_cur, f_max;
	uint64_t	 f_tot, f_bin, f_bout;
	struct hp_rate	 f_srate;	/* f_tot's: sessions */
	/* acl, use_backend, tcp-request (rules.c) */
	struct acl_set	*f_rules;	/* NULL: none */
	struct hp_backend **f_sw;	/* per rule: use_backend's backend */
	struct hp_ctx	*f_ctx;		/* whose backends nbsrv reads */
	uint64_t	 f_dcon, f_dses, f_dreq;	/* rejected by rules */
	/* stats-proxy.c: "disable frontend" (its sockets stop listening:
	 * connections are refused), "shutdown frontend" (for good), and
	 * f_maxconn given by "set maxconn frontend" (0 then is none, shown
	 * as 0); a reload keeps the first two, the sockets being kept */
	int		 f_paused, f_stopped, f_maxconn_set;
	char		 f_name[];	/* allocated with it, any length */
};

/*
 * One listening socket, served by one worker (with nbthread > 1 each
 * worker has its own SO_REUSEPORT socket per bind address).  Only its
 * worker's thread touches l_ev: others ask through w_kick.
 */
struct hp_listener {
	LIST_ENTRY(hp_listener) l_entry;
	struct hp_ctx	*l_ctx;
	struct hp_worker *l_w;
	struct event	*l_ev;
	evutil_socket_t	 l_fd;
	struct cf_addr	 l_addr;
	struct hp_frontend *l_fe;
	int		 l_paused;	/* l_ev not armed */
	int		 l_want;	/* should be paused: maxconn, EMFILE */
	int		 l_mark;	/* reload bookkeeping */
};

/*
 * A thread that accepts and proxies its own connections (nbthread).
 * With one thread it is the main thread and w_base is c_base.
 */
struct hp_worker {
	struct hp_ctx	*w_ctx;
	struct event_base *w_base;
	struct event	*w_kick;	/* another thread wants something */
	/* what it does then, in its thread, lock held (listen.c's) */
	void		(*w_on_kick)(struct hp_worker *);
	pthread_t	 w_tid;
	int		 w_idx;
	int		 w_started;
	int		 w_kicked;
	LIST_HEAD(, hp_listener) w_dead;	/* for it to free */
	uint64_t	 w_tot;		/* connections it accepted */
};

struct hp_conn;

struct hp_ctx {
	struct event_base *c_base;	/* control: signals, checks, stats */
	/* workers; every field shared between threads is under c_lock */
	struct hp_worker *c_w;
	int		 c_nw;
	int		 c_threaded;	/* c_nw > 1: c_lock is used */
	pthread_mutex_t	 c_lock;
	int		 c_threads_opt;	/* --threads */
	const char	*c_path;		/* the first -f, for messages */
	const char	*c_paths[HP_MAXPATHS];	/* every -f */
	int		 c_npaths;
	struct cf_config c_cf;
	struct hp_frontend **c_fe;
	int		 c_nfe;
	struct hp_backend **c_be;
	int		 c_nbe;
	LIST_HEAD(, hp_listener) c_listeners;
	LIST_HEAD(, hp_conn) c_conns;
	int		 c_cur, c_maxconn;
	int		 c_hardmaxconn;	/* c_maxconn as applied: "set maxconn
					 * global"'s bound */
	int		 c_fds_own;	/* held besides listeners: limits.c */
	uint64_t	 c_tot;
	int		 c_draining;
	struct event	*c_backoff;	/* EMFILE pause */
	struct hp_rate	 c_rate;	/* accepts: maxconnrate, maxsessrate */
	struct hp_rate	 c_srate;	/* sessions: show info's SessRate */
	struct event	*c_ratewait;	/* a rate limit's pause */
	struct event	*c_drain_timer;
	uint64_t	 c_drain_usec;
	uint64_t	 c_start;
	int		 c_stats_fd;
	struct stats_sock *c_socks;	/* stats-cli.c: every stats socket */
	int		 c_nsocks;
	const char	*c_control_opt;	/* --control */
	const char	*c_metrics_opt;	/* --metrics ADDR:PORT */
	struct promhttp	*c_metrics;
	int		 c_maxconn_opt;
	enum cf_hashtype c_hash_opt;	/* -1 = as configured */
	int		 c_hash_opt_set;
	int		 c_check;	/* -c */
	int		 c_nreloads;
	struct hp_dns	*c_dns;		/* dns.c */
};

/* backend.c */
struct hp_backend *backend_new(struct hp_ctx *, const struct cf_backend *,
	    struct hp_backend *old);
void	backend_unref(struct hp_backend *);
void	server_unref(struct hp_server *);
int	backend_rebuild(struct hp_backend *);
void	backend_admin_change(int);
struct hp_server *backend_pick(struct hp_backend *, const struct sockaddr *,
	    const struct hp_server *avoid);
int	server_usable(const struct hp_server *);
int	server_running(const struct hp_server *);
/* Whole seconds since s came up while its slowstart lasts; -1 after. */
int64_t	server_ramp(const struct hp_server *, uint64_t now);
/* haproxy's srv_dynamic_maxconn(): minconn/fullconn, slowstart; 0 = none */
int	server_maxconn(const struct hp_server *);
/* haproxy's fullconn: configured, else from the frontends that reach it */
int	backend_fullconn(const struct hp_backend *);
/* A new connection would wait: at its limit, or others already wait. */
int	server_full(const struct hp_server *);
/* It may take a connection waiting in its backend's queue. */
int	server_takes_queue(const struct hp_server *);
struct hp_server *backend_find_server(struct hp_ctx *, const char *be,
	    const char *srv);
struct hp_backend *backend_find(struct hp_ctx *, const char *be);
int	backend_dynamic_weights(const struct hp_backend *);

/* server-state.c */
void	server_set_op(struct hp_server *, enum srv_op, const char *why);
void	server_set_op_quiet(struct hp_server *, enum srv_op);
void	server_set_nolb(struct hp_server *, int, const char *why);
void	server_set_admin(struct hp_server *, enum srv_admin);
/* s takes t's state from now on ("track"; t NULL: its own again) */
void	server_track(struct hp_server *s, struct hp_server *t);
/* The checked server at the end of s's tracking chain (s if none). */
const struct hp_server *server_ref(const struct hp_server *);
const char *server_status(const struct hp_server *);
/* Run-time changes (stats socket, resolvers): next connections, checks. */
int	server_set_addr(struct hp_server *, const struct sockaddr *,
	    socklen_t, const char *why);
int	server_set_weight(struct hp_server *, int weight);
/* MAINT (resolution): the resolvers have no address for it (dns.c) */
void	server_set_rmaint(struct hp_server *, int on, const char *why);

/* check.c */
void	check_start(struct hp_server *);
void	check_stop(struct hp_server *);
/* The health check alone stops (maintenance): the agent goes on. */
void	check_pause(struct hp_server *);
void	check_maint(struct hp_server *);
void	check_resume(struct hp_server *);
/* A proxied connect to the server failed (1) or went through (0), as
 * "observe layer4" counts them; any thread, lock held. */
void	check_observe_locked(struct hp_server *, int failed);

/* thread.c */
/* on_kick: what a kicked worker does, in its thread, lock held */
int	thread_init(struct hp_ctx *, int n,
	    void (*on_kick)(struct hp_worker *));
int	thread_start(struct hp_ctx *);
void	thread_stop(struct hp_ctx *);
void	thread_lock(struct hp_ctx *);
void	thread_unlock(struct hp_ctx *);
struct hp_worker *thread_self(void);
void	thread_kick(struct hp_worker *);
void	thread_loopexit(struct hp_ctx *);

/* listen.c, conn.c, queue.c (proxy.h: the proxy's inside) */
int	listen_open(struct hp_ctx *, struct hp_listener *);
int	listen_again(struct hp_listener *);
void	listen_free(struct hp_listener *);
/* thread.c's kick callback: arms and frees w's listeners */
void	listen_worker_kick_locked(struct hp_worker *);
void	listen_resume_locked(struct hp_ctx *);
void	listen_pause_all_locked(struct hp_ctx *);
void	listen_close_locked(struct hp_ctx *, int unmarked_only);
void	frontend_unref_locked(struct hp_frontend *);
/* A server went down or out: its queued connections choose again. */
void	queue_requeue_locked(struct hp_server *);
/* A server can take more: connections waiting for it, or for any. */
void	queue_dequeue_locked(struct hp_server *);
/* A reload retired be: those waiting in its queue choose again. */
void	queue_requeue_backend_locked(struct hp_backend *);
/* Closes every session to a server (on-marked-down/up); how many. */
int	conn_shutdown_sessions_locked(struct hp_server *);

/* rules.c: what rules_run says (a rejection names the rule's kind) */
enum { RULES_PASS, RULES_CONNECTION, RULES_SESSION, RULES_CONTENT };
int	rules_attach(struct hp_frontend *, struct cf_frontend *,
	    struct hp_backend **);
void	rules_detach(struct hp_frontend *);
void	rules_attach_backend(struct hp_backend *, struct cf_backend *);
int	rules_run(struct hp_frontend *, int fd, const struct sockaddr *src,
	    const struct sockaddr *dst, int after_conn, struct hp_backend **);
int	rules_run_connection(struct hp_frontend *, int fd,
	    const struct sockaddr *src);
int	rules_lookup(struct hp_frontend *, const struct sockaddr *src,
	    const struct sockaddr *dst, struct hp_backend **);
struct acl_addrs;
const struct acl_set *rules_srv_set(const struct hp_frontend *,
	    const struct hp_backend *);
struct hp_server *rules_use_server(const struct acl_set *,
	    struct hp_backend *, const struct acl_addrs *);

/* times.c */
void	times_add(struct hp_times *, const uint64_t v[HT_N]);
uint64_t times_avg(const struct hp_times *, enum hp_time);

/* limits.c */
void	limits_raise_nofile(void);
int	limits_maxconn(struct hp_ctx *);
int	limits_fit(struct hp_ctx *);
long	limits_maxsock(const struct hp_ctx *);
void	limits_warn_timeouts(const char *path, const struct cf_config *);
void	rate_add(struct hp_rate *, uint64_t now_ms, int n);
unsigned rate_wait(const struct hp_rate *, uint64_t now_ms, int limit);
void	rate_keep_max(struct hp_rate *);
void	rate_hit(struct hp_rate *, uint64_t now_ms);
unsigned rate_read(const struct hp_rate *, uint64_t now_ms);

/* resolve.c */
int	resolve_config(struct cf_config *, char *err, size_t errlen);

/* dns.c: servers' names asked of their resolvers at run time */
struct hp_dns;
int	dns_apply(struct hp_ctx *);
void	dns_free(struct hp_ctx *);

/* stats.c */
/* --control, else the config's stats sockets; 0 or -1 (logged) */
int	stats_open(struct hp_ctx *);
void	stats_close(struct hp_ctx *);

/* apply.c: builds runtime objects from c_cf (start and reload). */
int	hp_apply(struct hp_ctx *, struct cf_config *newcf);

/*
 * lookup.c: --lookup ADDR (or "-": one a line from stdin), the servers
 * in down marked down first; an exit status.
 */
int	lookup_run(struct hp_ctx *, const char *arg, char **down, int ndown,
	    const struct sockaddr_storage *dst);

#endif
