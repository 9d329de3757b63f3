/* SPDX-License-Identifier: ISC */
/*
 * The haproxy.cfg subset hashproxy runs: global, defaults, frontend,
 * backend and listen sections.  The parser is a pure function over a
 * buffer (fuzzable); host names stay strings until resolve.c.
 */
#ifndef HP_CONFIG_H
#define HP_CONFIG_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/socket.h>

/* a user name (global user, pgsql-check and mysql-check user); proxy,
 * server and resolvers names have no bound but the line's */
#define CF_USERLEN	64
#define HP_MAXTHREADS	64	/* nbthread, --threads */
#define CF_HOSTLEN	256
#define CF_PATHLEN	108	/* sun_path */
#define CF_MAXBINDS	16
#define CF_MAXSERVERS	256
#define CF_MAXPROXIES	64
#define CF_MAXWEIGHT	256

enum cf_balance { BAL_SOURCE, BAL_ROUNDROBIN, BAL_LEASTCONN, BAL_FIRST,
    BAL_RANDOM };
/* haproxy's two hash types, plus rendezvous (hashproxy's better spread). */
enum cf_hashtype { HT_MAP, HT_CONSISTENT, HT_RENDEZVOUS };
enum cf_level { CF_NOTICE, CF_WARNING, CF_ERROR };

struct acl_set;
struct cf_str;

struct cf_addr {
	char	ca_host[CF_HOSTLEN];	/* "" or "*" = any */
	char	ca_port[8];
	int	ca_line;
	const char *ca_file;		/* for messages; owned by cf_config */
	struct sockaddr_storage ca_ss;	/* filled by resolve.c */
	socklen_t ca_sslen;
	int	ca_acceptproxy;		/* a bind's accept-proxy: clients
					 * start with a PROXY header */
};

/* "source ADDR[:PORT[-PORT]]": where connections to servers leave from */
struct cf_source {
	struct cf_addr	so_addr;	/* ca_host "" = not set */
	int		so_lo, so_hi;	/* ports, 0 = any */
};

/* checks (config-check.c) */
#define CF_MAXRULES	16	/* tcp-check rules per backend */
#define CF_PATLEN	256	/* a send or expect pattern, bytes */
#define CF_MSGLEN	64	/* comment, on-success, on-error */

/* the health check a backend runs (haproxy's PR_O2_*_CHK) */
enum cf_chk { CHK_DEFAULT, CHK_TCPCHECK, CHK_PGSQL, CHK_MYSQL, CHK_REDIS,
    CHK_SSLHELLO, CHK_SMTP, CHK_LDAP };
enum cf_act { ACT_CONNECT, ACT_SEND, ACT_EXPECT, ACT_COMMENT };
enum cf_match { M_STRING, M_BINARY, M_RSTRING, M_RBINARY, M_STATUS,
    M_RSTATUS, M_MYSQL_INIT, M_MYSQL_OK, M_HDR, M_FHDR, M_LDAP };
/* http-check expect hdr's name and value matches (-m) */
enum cf_hmatch { HM_STR, HM_BEG, HM_END, HM_SUB, HM_REG };

/* One tcp-check or http-check rule. */
struct cf_chkrule {
	enum cf_act	r_act;
	enum cf_match	r_match;
	int		r_inverse;	/* "!" */
	int		r_port;		/* connect port, 0 = the check's */
	int		r_minrecv;	/* -1 = not set */
	char		r_ok[8], r_err[8], r_tout[8];	/* "" = default */
	char		r_comment[CF_MSGLEN];
	char		r_onsuccess[CF_MSGLEN], r_onerror[CF_MSGLEN];
	int		r_implicit;	/* a connect no line asked for */
	int		r_errpayload;	/* the error message is the reply
					 * from byte r_errpayload - 1 */
	int		r_smtp;		/* an SMTP reply: its 3 digits are
					 * the code, the text after them the
					 * message (smtpchk) */
	unsigned char	r_data[CF_PATLEN];	/* NUL-terminated too */
	size_t		r_len;
	/* connect: addr, send-proxy */
	struct sockaddr_storage r_addr;	/* an IP literal; r_addrlen 0 =
					 * the server's address */
	socklen_t	r_addrlen;
	int		r_sendproxy;
	/* http-check send: "" = the default; the headers are in r_data */
	char		r_meth[16], r_ver[16];
	char		r_uri[CF_PATLEN], r_body[CF_PATLEN];
	/* http-check expect hdr / fhdr: name, its match, the value's;
	 * the value is in r_data, r_hasval 0 = the name is enough */
	char		r_hname[CF_MSGLEN];
	enum cf_hmatch	r_hnm, r_hvm;
	int		r_hasval;
};

/* init-addr methods, resolve-net networks (config-resolvers.c) */
enum cf_initaddr { IA_END, IA_LAST, IA_LIBC, IA_NONE, IA_IP };
#define CF_MAXINITADDR	5
#define CF_MAXNETS	4
struct cf_net {
	int	n_family;
	unsigned char n_addr[16];
	int	n_bits;
};

#define CF_SENDPROXY_V1	1
#define CF_SENDPROXY_V2	2
struct cf_server {
	const char *sv_name;		/* owned by cf_config (cf_strs) */
	struct cf_addr sv_addr;
	int	sv_portmap;		/* no port, :0, :+N, :-N: the client's
					 * destination port plus sv_portoff */
	int	sv_portoff;
	int	sv_id;			/* haproxy puid; 0 = auto */
	int	sv_id_forced;		/* sv_id was the config's */
	int	sv_weight;
	int	sv_check;
	int	sv_checkport;		/* 0 = server port */
	struct cf_addr sv_chkaddr;	/* "addr": checks go there; ca_host
					 * "" = the server's address */
	uint64_t sv_inter, sv_fastinter, sv_downinter;	/* usec */
	int	sv_rise, sv_fall;
	int	sv_backup, sv_disabled;
	int	sv_maxconn;
	int	sv_maxqueue;		/* 0 = no limit */
	int	sv_minconn;		/* 0 = maxconn */
	uint64_t sv_slowstart;		/* usec, 0 = off */
	struct cf_source sv_source;
	int	sv_sendproxy;		/* CF_SENDPROXY_*: PROXY header */
	int	sv_chksendproxy;	/* check-send-proxy */
	/* checks (config-check.c) */
	int	sv_onmarkeddown;	/* shutdown-sessions */
	int	sv_onmarkedup;		/* shutdown-backup-sessions */
	/* observe layer4: failed connects to it count as errors
	 * (check.c); at sv_errlimit in a row, sv_onerror acts */
	int	sv_observe;
	enum cf_onerror { ONERR_FASTINTER, ONERR_FAILCHECK, ONERR_SUDDEN,
	    ONERR_MARKDOWN } sv_onerror;
	int	sv_errlimit;
	/* names resolved at run time (config-resolvers.c, resolve.c, dns.c) */
	const char *sv_resolvers;	/* "resolvers NAME", "" none */
	char	sv_fqdn[CF_HOSTLEN];	/* the name asked, "" for an address */
	unsigned char sv_initaddr[CF_MAXINITADDR];	/* IA_*, 0 ends */
	char	sv_initip[CF_HOSTLEN];	/* init-addr's address */
	int	sv_prefer;		/* resolve-prefer: AF_INET, AF_INET6 */
	struct cf_net sv_nets[CF_MAXNETS];	/* resolve-net */
	int	sv_nnets;
	int	sv_dupip;		/* resolve-opts allow-dup-ip */
	int	sv_unresolved;		/* init-addr none: MAINT (resolution) */
	/* "track [B/]S": its state is S's, it has no check of its own;
	 * sv_track as written ("" none, owned by cf_config), the backend
	 * and server indices once config_server_finish found them (-1) */
	const char *sv_track;
	int	sv_trackbe, sv_tracksrv;
	/* agent-check (check-agent.c): to agent-addr (an IP literal;
	 * sv_agentaddrlen 0: "addr"'s, else the server's) and agent-port,
	 * every agent-inter (0: inter), saying agent-send ("" nothing;
	 * owned by cf_config).  Until an agent-port (here or on the
	 * default-server line), "port" sets sv_agentport too, as haproxy
	 * 2.6: show servers state shows it, and an agent-check may go
	 * without agent-port */
	int	sv_agent;
	int	sv_agentport;
	int	sv_agentportset;
	uint64_t sv_agentinter;
	const char *sv_agentsend;
	struct sockaddr_storage sv_agentaddr;
	socklen_t sv_agentaddrlen;
};

/* option clitcpka / srvtcpka (tcpka: both), with clitcpka-cnt, -idle
 * and -intvl or the srvtcpka ones: SO_KEEPALIVE and its TCP_KEEP*
 * settings on the client or server sockets; 0 = the kernel's */
struct cf_tcpka {
	int	ka_on;
	int	ka_cnt;
	int	ka_idle, ka_intvl;	/* seconds */
};

struct cf_backend {
	const char *be_name;		/* owned by cf_config (cf_strs) */
	int	be_line;
	const char *be_file;		/* owned by cf_config */
	int	be_forced_id;		/* "id N", 0 none */
	int	be_id;			/* haproxy's iid (config_finish) */
	int	be_disabled;		/* "disabled": not started */
	enum cf_balance be_balance;
	int	be_staticrr;		/* "static-rr": roundrobin, named so */
	enum cf_hashtype be_hashtype;
	int	be_avalanche;		/* full_hash the source address */
	int	be_balance_factor;	/* hash-balance-factor, 0 = off */
	int	be_retries, be_retries_set;
	int	be_redisp_on;		/* option redispatch, any interval */
	int	be_redispatch, be_redispatch_set;	/* interval */
	int	be_allbackups;
	int	be_persist;		/* option persist: use-server even
					 * to a stopped server */
	int	be_maxconn;
	int	be_fullconn;		/* 0 = a tenth of maxconn */
	int	be_draws;		/* balance random(N) */
	uint64_t be_tconnect, be_tserver, be_tcheck, be_tqueue;
	uint64_t be_tserverfin;		/* 0 = timeout server */
	struct cf_tcpka be_tcpka;	/* on the server sockets */
	struct cf_source be_source;
	int	be_httpchk;
	int	be_disable404;		/* http-check disable-on-404 */
	char	be_chkmeth[16];
	char	be_chkuri[256];
	char	be_chkver[16];
	int	be_expect_status;	/* 0 = any 2xx/3xx */
	struct cf_server *be_servers;
	int	be_nservers;
	/* checks (config-check.c) */
	enum cf_chk be_chk;
	/* option external-check: be_extcmd run with PATH be_extpath (NULL:
	 * none, as haproxy); both owned by cf_config */
	int	be_extcheck;
	const char *be_extcmd, *be_extpath;
	char	be_chkuser[CF_USERLEN];	/* pgsql-check, mysql-check */
	int	be_mysql41;		/* mysql-check post-41 (default) */
	char	be_smtphelo[CF_PATLEN - 2];	/* smtpchk: "HELO localhost" */
	struct cf_chkrule be_tcr[CF_MAXRULES];	/* tcp-check rules */
	int	be_ntcr;
	int	be_tcr_own;		/* not the defaults' any more */
	struct cf_chkrule be_hcopt;	/* option httpchk's hidden headers
					 * and body (r_data, r_body) */
	struct cf_chkrule be_hcr[CF_MAXRULES];	/* http-check rules */
	int	be_nhcr;
	int	be_hcr_own;
	/* acl, tcp-request content (acl.h); NULL: none */
	struct acl_set *be_rules;
};

struct cf_frontend {
	const char *fe_name;		/* owned by cf_config (cf_strs) */
	int	fe_line;
	const char *fe_file;		/* owned by cf_config */
	int	fe_forced_id;		/* "id N", 0 none */
	int	fe_id;			/* haproxy's iid (config_finish) */
	int	fe_disabled;		/* "disabled": not started */
	struct cf_addr fe_binds[CF_MAXBINDS];
	int	fe_nbinds;
	const char *fe_defbe;		/* "" none; owned by cf_config */
	int	fe_backend;		/* index into cf_backends, -1 none */
	int	fe_maxconn;
	int	fe_ratelim;		/* rate-limit sessions; 0: none */
	uint64_t fe_tclient;
	uint64_t fe_tclientfin;		/* 0 = timeout client */
	struct cf_tcpka fe_tcpka;	/* on the client sockets */
	/* Set in the frontend; haproxy ignores them there, we apply them. */
	int	fe_retries, fe_retries_set;
	int	fe_redisp_on, fe_redispatch, fe_redispatch_set;
	/* acl, use_backend, tcp-request (acl.h); NULL: none */
	struct acl_set *fe_rules;
};

/* A resolvers section (config-resolvers.c; dns.c asks its servers). */
#define CF_MAXRESOLVERS	16
#define CF_MAXNS	8
struct cf_resolvers {
	const char *rs_name;		/* owned by cf_config (cf_strs) */
	int	rs_line;
	const char *rs_file;		/* owned by cf_config */
	struct sockaddr_storage rs_ns[CF_MAXNS];
	socklen_t rs_nslen[CF_MAXNS];
	int	rs_nns;
	int	rs_resolvconf;		/* parse-resolv-conf */
	int	rs_retries;		/* resolve_retries */
	uint64_t rs_tresolve, rs_tretry;	/* usec */
	uint64_t rs_hold_valid, rs_hold_nx, rs_hold_other, rs_hold_refused,
		 rs_hold_timeout, rs_hold_obsolete;
};

/* "stats socket PATH [level L] [mode M] [uid|user U] [gid|group G]" */
#define CF_MAXSTATS	8
#define CF_STATS_USER	1	/* haproxy's levels, lowest first */
#define CF_STATS_OPER	2
#define CF_STATS_ADMIN	3
struct cf_statsock {
	char	ss_path[CF_PATHLEN];
	int	ss_level;		/* CF_STATS_*; operator if not given */
	int	ss_mode;		/* 0: 0660 */
	long	ss_uid, ss_gid;		/* -1: unchanged */
	int	ss_maxconn;		/* 0: stats maxconn */
};

struct cf_config {
	int	cf_maxconn;		/* global */
	int	cf_nostrict;		/* "no strict-limits" */
	/* accepts per second, all frontends (0: none): maxconnrate and
	 * maxsessrate, which are one at L4 (no session is refused) */
	int	cf_maxconnrate, cf_maxsessrate;
	int	cf_extcheck;		/* global external-check: allowed */
	int	cf_nbthread;		/* 0: not set */
	uint64_t cf_maxspread;		/* max-spread-checks, usec; 0 none */
	char	cf_stats_socket[CF_PATHLEN];	/* the first, "" none */
	struct cf_statsock cf_stats[CF_MAXSTATS];
	int	cf_nstats;
	int	cf_stats_timeout;	/* seconds; 0: ctlsock's 10 */
	int	cf_stats_maxconn;	/* 0: ctlsock's 10 */
	/* the stats socket's proxy (haproxy's GLOBAL): made after the
	 * first cf_cli_nfe frontends and cf_cli_nbe backends */
	int	cf_cli, cf_cli_nfe, cf_cli_nbe;
	char	cf_user[CF_USERLEN];
	struct cf_frontend *cf_frontends;
	int	cf_nfrontends;
	struct cf_backend *cf_backends;
	int	cf_nbackends;
	char	**cf_files;		/* every file read, for messages */
	int	cf_nfiles;
	struct cf_resolvers *cf_resolvers;	/* config-resolvers.c */
	int	cf_nresolvers;
	/* the names above, as long as they are: copies of a struct share
	 * them, config_free frees them */
	struct cf_str *cf_strs;
};

/*
 * config-check.c: the check keywords.  cf_option_check returns 1 if it
 * took argv (a check option); the others are keyword handlers (cf_kwfn).
 */
struct cf_parser;
int	cf_option_check(struct cf_parser *, int argc, char **argv, int no);
void	cf_tcpcheck(struct cf_parser *, int argc, char **argv);
void	cf_httpcheck(struct cf_parser *, int argc, char **argv);
void	cf_extcheck(struct cf_parser *, int argc, char **argv);
void	cf_tcpka_param(struct cf_parser *, int argc, char **argv);
/* after the last line: what option external-check needs, as haproxy */
void	cf_extcheck_finish(struct cf_parser *, struct cf_backend *);
int	cf_httpchk_hidden(struct cf_parser *, struct cf_backend *,
	    const char *ver);
/* on-marked-down, on-marked-up: of the server whose params are read */
void	cf_server_onmarked(struct cf_parser *, int argc, char **argv);
/* Whether re is a regex the checks run; else why, in err. */
int	cf_regex_ok(const char *re, char *err, size_t errlen);
/* "source ADDR[:PORT[-PORT]]" (config-server.c; a range only if range);
 * 0 or -1 (reported) */
int	cf_source(struct cf_parser *, struct cf_source *, int argc,
	    char **argv, int range);

/* Receives every diagnostic, already prefixed "file:line: ". */
typedef void (*cf_diag_fn)(void *arg, enum cf_level, const char *msg);

/*
 * Parses buf (len bytes; NUL bytes are an error) named file in messages.
 * Returns the number of errors (0 = usable config); out must be freed
 * with config_free() either way.
 */
int	config_parse(const char *buf, size_t len, const char *file,
	    struct cf_config *out, cf_diag_fn diag, void *arg);
/* Reads the file (or directory, as haproxy -f) and parses it; -1 and
 * errno if unreadable. */
int	config_load(const char *path, struct cf_config *out, cf_diag_fn diag,
	    void *arg);
/* Several -f: read in order as one configuration; an unreadable path is
 * reported through diag and makes it return -1. */
int	config_load_paths(const char *const *paths, int npaths,
	    struct cf_config *out, cf_diag_fn diag, void *arg);
/* Prints every keyword table: TABLE NAME KIND [REASON] (--keywords). */
void	config_keywords(FILE *);
void	config_free(struct cf_config *);
int	config_backend_find(const struct cf_config *, const char *name);
/* <0 if frontend f's section starts before backend b's, 0 if they are
 * one listen section, >0 after */
int	config_proxy_cmp(const struct cf_config *, int f, int b);
/* A listen section's other half: frontend f's backend, backend b's
 * frontend; -1 for a frontend or backend section (or b -1). */
int	config_listen_backend(const struct cf_config *, int f);
int	config_listen_frontend(const struct cf_config *, int b);
int	config_server_find(const struct cf_backend *, const char *name);

/* haproxy duration: bare numbers are milliseconds; 0 or -1 (errno). */
int	config_duration(const char *s, uint64_t *usec);
/* Splits "host:port", "[v6]:port", "*:port", ":port"; 0 or -1. */
int	config_addr(const char *s, struct cf_addr *, int needport);

#endif
