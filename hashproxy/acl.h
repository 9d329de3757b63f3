/* SPDX-License-Identifier: ISC */
/*
 * haproxy's ACLs at L4, and the rules that use them: use_backend,
 * use-server and tcp-request connection/session/content accept|reject.  A proxy's ACLs,
 * conditions and rules live in one acl_set; parsing the words of a line
 * and evaluating a connection's addresses are pure functions over it
 * (config-acl.c reads the lines, rules.c runs them).
 */
#ifndef HP_ACL_H
#define HP_ACL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ACL_NAMELEN	64
#define ACL_MAXACLS	256	/* named and anonymous ACLs per proxy */
#define ACL_MAXEXPRS	1024	/* acl lines and { } per proxy */
#define ACL_MAXPATS	100000	/* values of one acl line, -f included */
#define ACL_MAXFILE	(64 * 1024 * 1024)	/* an -f file, bytes */
#define ACL_MAXTERMS	4096	/* condition words per proxy */
#define ACL_MAXRULES	1024	/* rules per proxy */
#define ACL_WHYLEN	256

/*
 * What an ACL tests; ACL_UNSUP: a criterion hashproxy does not run.
 * From AC_NBSRV on they read the backends' live state (acl_state): of a
 * backend (nbsrv, be_conn, queue, avg_queue, connslots) or of a server
 * (srv_is_up, srv_conn, srv_queue).
 */
enum acl_crit { AC_SRC, AC_DST, AC_SRC_PORT, AC_DST_PORT, AC_TRUE,
    AC_FALSE, AC_NBSRV, AC_BECONN, AC_QUEUE, AC_AVGQUEUE, AC_CONNSLOTS,
    AC_SRVUP, AC_SRVCONN, AC_SRVQUEUE, AC_UNSUP };

enum acl_op { AO_RANGE, AO_LT, AO_LE, AO_GT, AO_GE };

struct acl_net {
	uint8_t		 an_af;		/* AF_INET, AF_INET6 */
	uint8_t		 an_plen;
	uint8_t		 an_addr[16];	/* masked */
};

/* An ACL's host name: its first IPv4 address (resolve.c).  0 or -1. */
int	resolve_acl_host(const char *name, uint8_t addr[4]);

struct acl_num {
	enum acl_op	 nu_op;
	long		 nu_lo, nu_hi;	/* AO_RANGE: lo..hi (LONG_MIN,
					   LONG_MAX: open); else nu_lo */
};

/* One acl line, or one { } in a condition. */
struct acl_expr {
	enum acl_crit	 ae_crit;
	int		 ae_next;	/* the next of the same ACL, -1 */
	void		*ae_pats;	/* acl_net or acl_num */
	size_t		 ae_npats;
	char		 ae_fetch[48];	/* as written, for messages */
	char		 ae_why[96];	/* AC_UNSUP: why not */
	/*
	 * nbsrv([BE]), srv_is_up([BE/]SRV)...: the names as written (NULL: the
	 * proxy's own backend), in ae_arg's memory; the config's indexes of
	 * them once every section is read (config-acl.c), -1 before.
	 */
	char		*ae_arg;
	const char	*ae_be, *ae_srv;
	int		 ae_bei, ae_srvi;
	const char	*ae_file;	/* messages while parsing only: */
	int		 ae_line;	/* the name dies with the config */
};

struct acl {
	char		 a_name[ACL_NAMELEN];	/* "" = anonymous */
	int		 a_first, a_last;	/* its exprs (ORed) */
	int		 a_used;	/* by a rule hashproxy runs */
};

/*
 * A condition: terms in s_terms[c_first .. c_first + c_nterms), ANDed,
 * a term with t_or starting a new alternative.
 */
struct acl_term {
	int		 t_acl;
	unsigned char	 t_neg;
	unsigned char	 t_or;
};

struct acl_cond {
	int		 c_first, c_nterms;	/* c_nterms 0: always */
	unsigned char	 c_unless;
};

enum acl_rkind { RK_CONNECTION, RK_SESSION, RK_CONTENT, RK_SWITCH,
    RK_USESRV };

struct acl_rule {
	enum acl_rkind	 r_kind;
	unsigned char	 r_accept;	/* tcp-request: accept, else reject */
	const char	*r_backend;	/* RK_SWITCH; config_str's */
	int		 r_be;		/* index in cf_backends, -1 */
	const char	*r_server;	/* RK_USESRV; config_str's */
	int		 r_srv;		/* its index in the backend, -1 */
	struct acl_cond	 r_cond;
	const char	*r_file;	/* as ae_file */
	int		 r_line;
};

struct acl_set {
	struct acl	*s_acls;
	int		 s_nacls;
	struct acl_expr	*s_exprs;
	int		 s_nexprs;
	struct acl_term	*s_terms;
	int		 s_nterms;
	struct acl_rule	*s_rules;
	int		 s_nrules;
	int		 s_nkind[5];	/* rules of each acl_rkind */
	int		 s_needdst;	/* some rule tests dst or dst_port */
	uint64_t	 s_inspect;	/* tcp-request inspect-delay, usec */
};

/* What the parser needs from its caller: -f files are read through it. */
struct acl_ctx {
	const char	*x_file;	/* the line's, for ae_file */
	int		 x_line;
	char		*x_why;		/* ACL_WHYLEN */
};

struct acl_set *acl_set_new(void);
void	acl_set_free(struct acl_set *);

/* "acl NAME CRITERION [flags] VALUES...": argv from NAME; 0 or -1. */
int	acl_declare(struct acl_set *, int argc, char **argv, struct acl_ctx *);
/*
 * The words after if/unless (argv[0] is "if" or "unless"), or none: into
 * *c.  Every ACL it uses must run at L4; -1 and why otherwise.
 */
int	acl_cond_parse(struct acl_set *, int argc, char **argv,
	    struct acl_cond *c, struct acl_ctx *);
int	acl_rule_add(struct acl_set *, const struct acl_rule *, char *why,
	    size_t);

/* src and dst: criteria matched against a network (acl-eval.c too). */
int	acl_is_net(enum acl_crit);
/* nbsrv, srv_is_up...: criteria that name a backend or a server. */
int	acl_is_state(enum acl_crit);
/* Of those, the ones that name a server. */
int	acl_is_srv(enum acl_crit);
/* A criterion's name, for messages. */
const char *acl_crit_name(enum acl_crit);

/*
 * nbsrv and srv_is_up: reads the state ae_bei and ae_srvi name,
 * ACL_NOSTATE if it cannot (haproxy's failed fetch: nothing matches; -1
 * is a value, connslots').
 */
#define ACL_NOSTATE	LONG_MIN
struct acl_state {
	long		(*st_get)(const void *arg, const struct acl_expr *);
	const void	*st_arg;
};

/* A connection, for evaluation (acl-eval.c). */
struct acl_addrs {
	const struct sockaddr	*aa_src;
	const struct sockaddr	*aa_dst;	/* may be NULL: no match */
	const struct acl_state	*aa_st;		/* NULL: no state, no match */
};

int	acl_cond_eval(const struct acl_set *, const struct acl_cond *,
	    const struct acl_addrs *);
/* tcp-request rules of kind k in order: 1 accepted, 0 rejected. */
int	acl_tcp_rules(const struct acl_set *, enum acl_rkind,
	    const struct acl_addrs *);
/* use_backend: the first rule that matches, or -1. */
int	acl_switch(const struct acl_set *, const struct acl_addrs *);
/* The first rule of kind k from index from on that matches, or -1. */
int	acl_next(const struct acl_set *, enum acl_rkind k,
	    const struct acl_addrs *, int from);

#endif
