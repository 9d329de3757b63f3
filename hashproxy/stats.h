/* SPDX-License-Identifier: ISC */
/*
 * "show stat" rows and their three forms: haproxy's CSV, its typed
 * lines and its JSON (stats-fmt.c).
 */
#ifndef HP_STATS_H
#define HP_STATS_H

#include <stddef.h>

struct evbuffer;

/* one column: its name, haproxy's tags (origin nature scope), type */
struct stats_col {
	const char	*sc_name;
	const char	*sc_tags;
	const char	*sc_type;	/* u32 u64 s32 str */
};

/* up to agg_check_status (103), then haproxy's ssl, h2 and h1 modules'
 * (24), which its CSV writes after a column named "-" */
#define STATS_NCOLS	127
#define STATS_NBASE	103
extern const struct stats_col stats_cols[STATS_NCOLS];

/*
 * One row: each column's text, however long (a check's info, an
 * on-error text), at r_off[i] in r_text; offset 0 is an empty column.
 * r_nomem: a column could not be stored, the row is not to be shown.
 */
struct stats_row {
	size_t	 r_off[STATS_NCOLS];
	char	*r_text;
	size_t	 r_len, r_cap;
	int	 r_nomem;
};

static inline const char *
stats_v(const struct stats_row *r, size_t i)
{
	return r->r_off[i] == 0 ? "" : r->r_text + r->r_off[i];
}
/* a copy that owns its text (0), or -1 out of memory */
int	stats_row_dup(struct stats_row *, const struct stats_row *);
void	stats_row_free(struct stats_row *);

/* what a row is about: 'F'rontend, 'B'ackend or 'S'erver; ids */
struct stats_obj {
	char	so_kind;
	int	so_iid;
	int	so_sid;
};

/* haproxy's CSV line: a field with a comma, a double quote, CR or LF
 * quoted, its quotes doubled */
void	statsfmt_csv(struct evbuffer *, const struct stats_row *);
void	statsfmt_typed(struct evbuffer *, const struct stats_obj *,
	    const struct stats_row *);
/* first: no comma before it (the array's "[" and "]" are the caller's) */
void	statsfmt_json(struct evbuffer *, const struct stats_obj *,
	    const struct stats_row *, int first);


/* stats-srv.c: the commands on one server, and "show servers conn" */
struct hp_ctx;
struct ctl_cmd;
void	statssrv_run(struct hp_ctx *, const struct ctl_cmd *,
	    struct evbuffer *);
void	statssrv_conn(struct hp_ctx *, const char *backend,
	    struct evbuffer *);

/* stats.c: every row "show stat" has, to a callback (metrics.c); -1 if
 * one was left out, out of memory */
typedef void	stats_row_fn(void *, const struct stats_obj *,
		    const struct stats_row *);
int	stats_rows(struct hp_ctx *, stats_row_fn *, void *);
/* a column's index in stats_cols, or -1 */
int	stats_col(const char *);
/* the proxy id show stat gives backend b (haproxy's numbering) */
int	stats_be_iid(struct hp_ctx *, int b);
/*
 * be's k-th server as show servers state and show servers conn list
 * them: haproxy puts a backend's servers in config order when it starts
 * it, so a disabled one's stay reversed (last first).
 */
struct hp_backend;
struct hp_server *stats_server_at(const struct hp_backend *, int k);
struct cf_addr;
/* "ADDR:PORT" or "[ADDR]:PORT" of a config address, "-" without one */
void	stats_addr(const struct cf_addr *, char *, size_t);
/* show servers state [BACKEND] (stats-state.c) */
void	stats_show_servers(struct hp_ctx *, struct evbuffer *, const char *);

/* stats-agent.c: the commands on one server's agent check */
struct hp_server;
void	statsagent_run(struct hp_server *, const struct ctl_cmd *,
	    struct evbuffer *);

/* stats-count.c: what a session's life adds to show stat's counters */
struct hp_conn;
void	stats_count_connect(struct hp_server *);
/* a retry on the same server, once decided */
void	stats_count_retry(struct hp_server *);
/* a redispatch: one more server the balance picked */
void	stats_count_redispatch(struct hp_backend *);
/* a client its backend had no server for */
void	stats_count_noserver(struct hp_backend *);
/* a client whose server's queue is full (maxqueue) */
void	stats_count_queue_full(struct hp_conn *, struct hp_server *);
/* c waits in s's queue, or its backend's (s NULL): n 1; leaves it: -1 */
void	stats_count_wait(struct hp_conn *, struct hp_server *, int n);
/* c reached "timeout queue" */
void	stats_count_queue_timeout(struct hp_conn *);
/* side: SIDE_CLI or SIDE_SRV; error: its socket failed, else a timeout */
void	stats_count_abort(struct hp_conn *, int side, int error);

/* stats-proxy.c: show backend */
void	statspx_show_backend(struct hp_ctx *, struct evbuffer *);
/* disable|enable|shutdown frontend, set maxconn frontend|global */
void	statspx_run(struct hp_ctx *, const struct ctl_cmd *,
	    struct evbuffer *);

/* metrics.c: the rows as haproxy's Prometheus exporter names them */
void	metrics_write(struct hp_ctx *, struct evbuffer *);
/* promhttp_fn for --metrics: takes the lock the stats socket takes */
void	metrics_http(void *ctx, struct evbuffer *);

/* stats.c: what the commands do; stats-cli.c: who may, and the sockets */
void	stats_exec(struct hp_ctx *, const struct ctl_cmd *,
	    struct evbuffer *);
void	stats_help(struct evbuffer *);

struct hp_ctx;
void	stats_show_info(struct hp_ctx *, struct evbuffer *);

#endif
