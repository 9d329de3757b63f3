/* SPDX-License-Identifier: ISC */
/*
 * Inside the haproxy.cfg reader: the parser's state and the keyword
 * tables that config-*.c share.  Nothing here is used outside config*.c
 * (and their tests).
 */
#ifndef HP_CONFIG_PARSER_H
#define HP_CONFIG_PARSER_H

#include <stdio.h>

#include "config.h"

#define CF_MAXARGS	64
#define CF_LINEMAX	4096
#define CF_MAXNEST	32	/* .if levels */
#define CF_MAXDEFER	32	/* mode-dependent keywords per proxy */
#define CF_MAXNOTICED	256	/* harmless keywords noticed once */
#define CF_MAXDEFAULTS	32	/* named defaults sections */

enum cf_section { SEC_NONE, SEC_GLOBAL, SEC_DEFAULTS, SEC_FRONTEND,
    SEC_BACKEND, SEC_LISTEN, SEC_RESOLVERS };

#define SECM(s)		(1u << (s))
#define SECM_GLOBAL	SECM(SEC_GLOBAL)
#define SECM_DEF	SECM(SEC_DEFAULTS)
#define SECM_FE		SECM(SEC_FRONTEND)
#define SECM_BE		SECM(SEC_BACKEND)
#define SECM_LI		SECM(SEC_LISTEN)
#define SECM_FEP	(SECM_DEF | SECM_FE | SECM_LI)	/* frontends */
#define SECM_BEP	(SECM_DEF | SECM_BE | SECM_LI)	/* backend side */
#define SECM_PROXY	(SECM_DEF | SECM_FE | SECM_BE | SECM_LI)

/*
 * What hashproxy does with a keyword haproxy knows:
 * IMPL      runs the handler;
 * HARMLESS  nil at L4: accepted, one notice per keyword and run;
 * HTTP      only does something in mode http: in a tcp proxy ignored
 *           with a notice (haproxy warns and ignores it too), in an
 *           http proxy refused (kw_why says what would be lost);
 * REFUSED   would change what a client or a server gets: an error.
 */
enum cf_kwkind { KW_IMPL, KW_HARMLESS, KW_HTTP, KW_REFUSED };

/* Reasons (kw_why) that several tables give, said once. */
#define TUNING	"tuning only"
#define STATS	"stats only"
#define NOREUSE	"no connection reuse at L4"
#define ONEPROC	"one process, every thread accepts"
#define NOTLS	"no TLS: \"ssl\" is refused"	/* bind and server */

struct cf_parser;
typedef void (*cf_kwfn)(struct cf_parser *, int argc, char **argv);
/* An ignored keyword's value, refused (-1, an error said) as haproxy does. */
typedef int (*cf_kwcheck)(struct cf_parser *, int argc, char **argv);

struct cf_kw {
	const char	*kw_name;	/* "tune.*": any "tune." keyword */
	unsigned	 kw_secs;	/* SECM_* where it applies */
	enum cf_kwkind	 kw_kind;
	int		 kw_nargs;	/* server/bind params: values */
	cf_kwfn		 kw_fn;		/* KW_IMPL */
	const char	*kw_why;	/* the reason, for the other kinds */
};

/*
 * A table's rows, one macro a kind: a section's keyword (in the SECM_*
 * sections secs) or a bind/server parameter (followed by nargs values).
 */
#define CF_IMPL(name, secs, fn)		{ name, secs, KW_IMPL, 0, fn, NULL }
#define CF_HARMLESS(name, secs, why)	{ name, secs, KW_HARMLESS, 0, NULL, why }
#define CF_HTTPONLY(name, secs, why)	{ name, secs, KW_HTTP, 0, NULL, why }
#define CF_REFUSED(name, secs, why)	{ name, secs, KW_REFUSED, 0, NULL, why }
#define CF_PARAM_IMPL(name, nargs, fn)	{ name, 0, KW_IMPL, nargs, fn, NULL }
#define CF_PARAM_HARMLESS(name, nargs, why) \
	{ name, 0, KW_HARMLESS, nargs, NULL, why }
#define CF_PARAM_REFUSED(name, nargs, why) \
	{ name, 0, KW_REFUSED, nargs, NULL, why }

struct cf_kwtable {
	const char		*kt_name;	/* "global", "proxy" ... */
	const struct cf_kw	*kt_kws;
	const size_t		*kt_n;
	const struct cf_kw	*kt_also;	/* looked up after, or NULL */
	const size_t		*kt_nalso;
};

/* A line of parameters (bind, server) as config_params reads it. */
struct cf_paramline {
	const struct cf_kw	*pl_kws;	/* its own table */
	const size_t		*pl_n;
	const char		*pl_what;	/* "bind option" */
	const char		*pl_colon;	/* ":" if one follows the name */
};

/* A harmless keyword noticed: scope tells apart lines sharing it. */
struct cf_noticed {
	const struct cf_kw	*nt_kw;
	const void		*nt_scope;
};

/* A mode-dependent keyword, judged once the proxy's mode is known. */
struct cf_defer {
	const char	*df_file;
	int		 df_line;
	const char	*df_secname;	/* p_secname then (config_str) */
	char		 df_kw[48];
	const struct cf_kw *df_ent;	/* NULL: the "mode http" line */
};

/* What a proxy (or a defaults section) carries besides cf_config. */
struct cf_pinfo {
	int		 pi_http;	/* mode http */
	struct cf_defer	 pi_mode;	/* where it was said */
	struct cf_defer	 pi_defer[CF_MAXDEFER];
	int		 pi_ndefer;
	int		 pi_more;	/* not kept: pi_defer was full */
};

/* A defaults section, kept for "from NAME" and the proxies after it. */
struct cf_defaults {
	const char	*d_name;	/* "" unnamed (config_str) */
	struct cf_frontend d_fe;
	struct cf_backend d_be;
	struct cf_server d_srv;
	struct cf_pinfo	 d_pi;
};

struct cf_parser {
	const char	*p_file;
	int		 p_line;
	int		 p_errors;
	cf_diag_fn	 p_diag;
	void		*p_arg;
	struct cf_config *p_cf;
	enum cf_section	 p_sec;
	/* "" outside a section; config_str copies (names are as long as
	 * a line) */
	const char	*p_secname;	/* "frontend NAME", for messages */
	const char	*p_secvar;	/* .SECTION */
	struct cf_defaults p_def;		/* the current defaults */
	struct cf_defaults *p_named;		/* named ones, kept */
	int		 p_nnamed;
	int		 p_indef;	/* p_def.d_name is being written */
	struct cf_frontend *p_fe;	/* current, may be NULL */
	struct cf_backend  *p_be;	/* current, may be NULL */
	struct cf_server   *p_tmpl;	/* default-server target */
	struct cf_server    p_besrv;	/* this backend's default-server */
	struct cf_server   *p_srv;	/* server whose params are read */
	int		 p_acceptproxy;	/* the bind line being read has it */
	struct cf_pinfo	   *p_pi;	/* this proxy's or defaults' */
	struct cf_pinfo	   *p_pis;	/* one per proxy, in order */
	int		 p_npis;
	int		 p_no;		/* "no option", or "default option" */
	int		 p_default;	/* "default option" */
	int		 p_skip;	/* inside a section we do not read */
	struct cf_resolvers *p_rs;	/* the resolvers section being read */
	/* .if/.elif/.else/.endif */
	int		 p_nest;
	unsigned char	 p_cond[CF_MAXNEST];
	struct cf_noticed p_noticed[CF_MAXNOTICED];
	int		 p_nnoticed;
};

/* config.c */
void	config_msg(struct cf_parser *, enum cf_level, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	config_int(const char *, int, int, int *);
/*
 * The one value of "KW N", from min to max, into *v: 0, or -1 after an
 * error naming the keyword, the value and the range, lead before
 * "should be" (global's keywords say "is not a number; ").
 */
int	config_arg_int(struct cf_parser *, int argc, char **argv, int min,
	    int max, int *v, const char *lead);
int	config_copy(char *, size_t, const char *);
int	config_copy_addr(char *, size_t, const char *);
const char *config_addr_kind(const char *);
/*
 * A copy of s, or of the formatted text, that p_cf owns until
 * config_free; "" after an "out of memory" error.
 */
const char *config_str(struct cf_parser *, const char *s);
const char *config_strf(struct cf_parser *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	config_expect_args(struct cf_parser *, int, int, const char *);
/*
 * 0 if the line's section is one of secs (SECM_*), or -1 after the error
 * "KW: only in a WHERE section" (haproxy refuses bind in a backend).
 */
int	config_only_in(struct cf_parser *, unsigned secs, const char *kw,
	    const char *where);
/*
 * v (n elements of size) with room for one more, or NULL after an error:
 * "more than MAX WHAT" when n is max already, or out of memory.
 */
void	*config_grow(struct cf_parser *, void *v, int n, int max,
	    const char *what, size_t size);

/* config-kw.c: the tables, their lookup and the generic kinds */
extern const struct cf_kwtable cf_kwtables[];
extern const size_t cf_nkwtables;
const struct cf_kw *config_kw_find(const struct cf_kw *, size_t,
	    const char *);
/* Handles a non-IMPL entry; kw is what the line says. */
void	config_kw_other(struct cf_parser *, const struct cf_kw *,
	    const char *kw);
void	config_kw_notice(struct cf_parser *, const struct cf_kw *,
	    const char *kw);
/* The same, once per scope: an entry several tables share is noticed
 * once for each (scope: the line's own table). */
void	config_kw_notice_in(struct cf_parser *, const struct cf_kw *,
	    const char *kw, const void *scope);
void	config_kw_tcpnotice(struct cf_parser *, const struct cf_kw *,
	    const char *kw);
void	config_kw_defer(struct cf_parser *, const struct cf_kw *,
	    const char *kw);
/*
 * A harmless keyword's value (argv[0] the keyword), checked when haproxy
 * checks it (config-value.c's list): 0, or -1 after an error.
 */
int	config_kw_check(struct cf_parser *, const struct cf_kw *, int argc,
	    char **argv);

/*
 * How many values haproxy 2.6 wants after a word hashproxy may ignore:
 * it refuses a flag with a value and a setting without one.
 */
struct cf_arity {
	const char	*ar_name;
	int		 ar_min, ar_max;	/* values; -1: no limit */
};
/* 1 when argv[0] is not in the table or has its number of values; 0
 * after an error otherwise. */
int	config_arity_ok(struct cf_parser *, const struct cf_arity *, size_t,
	    int argc, char **argv);

/* config-lex.c */
struct cf_lexenv {
	const char	*le_file;
	int		 le_line;
	const char	*le_section;
};
int	config_split(const char *, size_t, char *, size_t, char **, int,
	    const struct cf_lexenv *, const char **);

/* config-cond.c: 1 true, 0 false, -1 error (why set) */
int	config_cond_eval(int, char **, const char **);
int	config_cond_line(struct cf_parser *, int, char **);
void	config_cond_eof(struct cf_parser *);
int	config_cond_skipping(const struct cf_parser *);

/* config-section.c */
int	config_section(struct cf_parser *, int, char **);
void	config_section_end(struct cf_parser *);
void	config_section_verdicts(struct cf_parser *);
void	config_section_free(struct cf_parser *);

/* config-param.c: what bind and server lines share, and their reader */
extern const struct cf_kw cf_param_kws[];
extern const size_t cf_nparam_kws;
/*
 * The parameters argv[from..], from pl's table, then cf_param_kws:
 * implemented ones run, harmless ones are checked and noticed.  0, or
 * -1 after an error (an unknown or refused one stops the line).
 */
int	config_params(struct cf_parser *, const struct cf_paramline *,
	    int argc, char **argv, int from);

/* the tables and their handlers */
extern const struct cf_kw cf_section_kws[], cf_global_kws[],
	    cf_proxy_kws[], cf_option_kws[], cf_server_kws[], cf_bind_kws[];
extern const size_t cf_nsection_kws, cf_nglobal_kws, cf_nproxy_kws,
	    cf_noption_kws, cf_nserver_kws, cf_nbind_kws;
void	config_global(struct cf_parser *, int, char **);
void	config_proxy(struct cf_parser *, int, char **);
/* config-resolvers.c: the resolvers section, the server's DNS params */
extern const struct cf_kw cf_resolvers_kws[];
extern const size_t cf_nresolvers_kws;
void	config_resolvers_open(struct cf_parser *, int, char **);
void	config_resolvers(struct cf_parser *, int, char **);
void	config_server_dns(struct cf_parser *, int, char **);
void	config_resolvers_finish(struct cf_parser *);
void	config_option(struct cf_parser *, int, char **);
void	config_bind(struct cf_parser *, int, char **);
void	config_server(struct cf_parser *, int, char **);
void	config_server_template(struct cf_parser *, int, char **);
void	config_use_server(struct cf_parser *, int, char **);
void	config_default_server(struct cf_parser *, int, char **);
void	config_server_defaults(struct cf_server *);
void	config_server_finish(struct cf_parser *, struct cf_backend *);
void	config_backend_defaults(struct cf_backend *);
void	config_frontend_defaults(struct cf_frontend *);

/* config-acl.c: acl, use_backend, tcp-request */
void	config_acl(struct cf_parser *, int, char **);
void	config_use_backend(struct cf_parser *, int, char **);
void	config_tcp_request(struct cf_parser *, int, char **);
/* Settles the use_backend names; 1 if some use_backend can route. */
int	config_acl_finish(struct cf_parser *, struct cf_frontend *);
struct acl_set;
void	config_acl_servers(struct cf_parser *, struct acl_set *,
	    const struct cf_backend *);

#endif
