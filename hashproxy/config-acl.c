/* SPDX-License-Identifier: ISC */
/*
 * The lines that feed a proxy's rules: acl, use_backend, use-server and
 * tcp-request (a backend has acl, use-server and tcp-request content only).  acl.c does the words; this file says where each line may
 * appear and turns acl.c's reasons into file:line messages.  Which
 * backend a use_backend names, and which server a use-server does, is
 * settled once every section is read (config_acl_finish,
 * config_acl_servers), as haproxy does; so is the backend or server an
 * nbsrv or srv_is_up reads (config_acl_state), every ACL's, used or not,
 * as haproxy resolves them all.
 */
#include <string.h>

#include "acl.h"
#include "config-parser.h"

/* The frontend's (or listen's) rules, else the backend's. */
static struct acl_set *
cacl_set(struct cf_parser *p)
{
	struct acl_set **s = p->p_fe != NULL ? &p->p_fe->fe_rules :
	    &p->p_be->be_rules;

	if (*s == NULL && (*s = acl_set_new()) == NULL)
		config_msg(p, CF_ERROR, "out of memory");
	return *s;
}

static void
cacl_ctx(struct cf_parser *p, struct acl_ctx *x, char *why)
{
	x->x_file = p->p_file;
	x->x_line = p->p_line;
	x->x_why = why;
	why[0] = '\0';
}

/*
 * A proxy's rules only: haproxy refuses them in an anonymous defaults
 * section, and hashproxy in a named one too (see the man page).
 */
static int
cacl_where(struct cf_parser *p, const char *kw)
{
	if (p->p_sec == SEC_DEFAULTS) {
		config_msg(p, CF_ERROR, "%s: not supported in a defaults "
		    "section; write it in the proxy's own section", kw);
		return -1;
	}
	return p->p_fe == NULL && p->p_be == NULL ? -1 : 0;
}

void
config_acl(struct cf_parser *p, int argc, char **argv)
{
	char why[ACL_WHYLEN];
	struct acl_ctx x;
	struct acl_set *s;
	int rc;

	if (cacl_where(p, "acl") == -1 || (s = cacl_set(p)) == NULL)
		return;
	cacl_ctx(p, &x, why);
	rc = acl_declare(s, argc - 1, argv + 1, &x);
	if (rc == -1)
		config_msg(p, CF_ERROR, "acl %s: %s", argc > 1 ? argv[1] : "",
		    why);
	else if (rc == 1)
		config_msg(p, CF_WARNING, "acl %s: %s", argv[1], why);
}

/* "if|unless COND" from argv[at] on into r; 0 or -1 (reported). */
static int
cacl_cond(struct cf_parser *p, struct acl_set *s, int argc, char **argv,
    int at, struct acl_rule *r, const char *kw)
{
	char why[ACL_WHYLEN];
	struct acl_ctx x;

	cacl_ctx(p, &x, why);
	if (acl_cond_parse(s, argc - at, argv + at, &r->r_cond, &x) == -1) {
		config_msg(p, CF_ERROR, "%s: %s", kw, why);
		return -1;
	}
	r->r_file = p->p_file;
	r->r_line = p->p_line;
	r->r_be = -1;
	if (acl_rule_add(s, r, why, sizeof(why)) == -1) {
		config_msg(p, CF_ERROR, "%s: %s", kw, why);
		return -1;
	}
	return 0;
}

/*
 * use_backend's and use-server's rule r, which names the backend or
 * server (what) in argv[1], with the "if|unless COND" after it: a name
 * haproxy would make by log-format at run time cannot be looked up here.
 */
static void
cacl_named(struct cf_parser *p, int argc, char **argv, struct acl_rule *r,
    const char *what)
{
	struct acl_set *s;

	if (strchr(argv[1], '%') != NULL)
		config_msg(p, CF_ERROR, "%s \"%s\": a name made by log-format "
		    "is not supported; name the %s", argv[0], argv[1], what);
	else if ((s = cacl_set(p)) != NULL)
		(void)cacl_cond(p, s, argc, argv, 2, r, argv[0]);
}

void
config_use_backend(struct cf_parser *p, int argc, char **argv)
{
	struct acl_rule r;

	if (cacl_where(p, "use_backend") == -1)
		return;
	if (p->p_sec == SEC_BACKEND) {
		config_msg(p, CF_WARNING, "use_backend: ignored in a backend, "
		    "as haproxy does");
		return;
	}
	if (argc < 2) {
		config_msg(p, CF_ERROR, "use_backend: a backend name expected");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.r_kind = RK_SWITCH;
	r.r_backend = config_str(p, argv[1]);
	cacl_named(p, argc, argv, &r, "backend");
}

/*
 * "use-server NAME if|unless COND": haproxy 2.6 wants the condition.  A
 * listen's rules are its frontend's set (where its acl lines are).
 */
void
config_use_server(struct cf_parser *p, int argc, char **argv)
{
	struct acl_rule r;

	if (config_only_in(p, SECM_BE | SECM_LI, "use-server",
	    "backend or listen") == -1)
		return;
	if (argc < 4 || (strcmp(argv[2], "if") != 0 &&
	    strcmp(argv[2], "unless") != 0)) {
		config_msg(p, CF_ERROR, "use-server: SERVER if|unless "
		    "CONDITION expected (haproxy requires the condition)");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.r_kind = RK_USESRV;
	r.r_server = config_str(p, argv[1]);
	r.r_srv = -1;		/* until config_acl_servers finds it */
	cacl_named(p, argc, argv, &r, "server");
}

/* An nbsrv or srv_is_up's backend: the one it names, else cur's own. */
static int
cacl_state_be(struct cf_parser *p, struct acl_expr *e, int cur,
    const char *px)
{
	const char *f = acl_crit_name(e->ae_crit);

	if (e->ae_be == NULL) {
		if (cur == -1)
			config_msg(p, CF_ERROR, "%s: %s has no servers of its "
			    "own; name a backend: %s(BACKEND%s)", f, px, f,
			    acl_is_srv(e->ae_crit) ? "/SERVER" : "");
		return cur;
	}
	if ((e->ae_bei = config_backend_find(p->p_cf, e->ae_be)) == -1)
		config_msg(p, CF_ERROR, "%s: no such backend \"%s\"", f,
		    e->ae_be);
	return e->ae_bei;
}

/*
 * After the last line: the config's indexes of the backends and servers
 * the state criteria of s read; cur is the proxy's own backend (-1: a
 * frontend, which has none), px names the proxy for messages.
 */
static void
config_acl_state(struct cf_parser *p, struct acl_set *s, int cur,
    const char *px)
{
	const char *sec = p->p_secname;
	int i;

	for (i = 0; s != NULL && i < s->s_nexprs; i++) {
		struct acl_expr *e = &s->s_exprs[i];

		if (!acl_is_state(e->ae_crit))
			continue;
		p->p_file = e->ae_file;
		p->p_line = e->ae_line;
		p->p_secname = px;
		if ((e->ae_bei = cacl_state_be(p, e, cur, px)) == -1 ||
		    !acl_is_srv(e->ae_crit))
			continue;
		e->ae_srvi = config_server_find(&p->p_cf->cf_backends[
		    e->ae_bei], e->ae_srv);
		if (e->ae_srvi == -1)
			config_msg(p, CF_ERROR, "%s: no such server \"%s\" in "
			    "backend %s", acl_crit_name(e->ae_crit), e->ae_srv,
			    p->p_cf->cf_backends[e->ae_bei].be_name);
	}
	p->p_secname = sec;
}

/*
 * After the last line: the server each use-server of s names, in be, and
 * what its state criteria read.
 */
void
config_acl_servers(struct cf_parser *p, struct acl_set *s,
    const struct cf_backend *be)
{
	int i;

	if (s == NULL)
		return;
	config_acl_state(p, s, (int)(be - p->p_cf->cf_backends),
	    config_strf(p, "backend %s", be->be_name));

	for (i = 0; s != NULL && i < s->s_nrules; i++) {
		struct acl_rule *r = &s->s_rules[i];

		if (r->r_kind != RK_USESRV)
			continue;
		r->r_srv = config_server_find(be, r->r_server);
		if (r->r_srv == -1) {
			p->p_file = r->r_file;
			p->p_line = r->r_line;
			config_msg(p, CF_ERROR, "use-server \"%s\": no such "
			    "server in %s", r->r_server, be->be_name);
		}
	}
}

static void
cacl_inspect_delay(struct cf_parser *p, int argc, char **argv)
{
	uint64_t v;
	struct acl_set *s;

	if (argc != 3 || config_duration(argv[2], &v) == -1) {
		config_msg(p, CF_ERROR, "tcp-request inspect-delay: a duration "
		    "expected");
		return;
	}
	/* every criterion hashproxy runs is known at accept: no wait */
	if (p->p_sec != SEC_DEFAULTS && (p->p_fe != NULL || p->p_be != NULL) &&
	    (s = cacl_set(p)) != NULL)
		s->s_inspect = v;
}

void
config_tcp_request(struct cf_parser *p, int argc, char **argv)
{
	static const char *kinds[] = { "connection", "session", "content" };
	char kw[64];
	struct acl_rule r;
	struct acl_set *s;
	size_t k;

	if (argc >= 2 && strcmp(argv[1], "inspect-delay") == 0) {
		cacl_inspect_delay(p, argc, argv);
		return;
	}
	for (k = 0; argc >= 2 && k < 3; k++)
		if (strcmp(argv[1], kinds[k]) == 0)
			break;
	if (argc < 2 || k == 3) {
		config_msg(p, CF_ERROR, "tcp-request \"%s\": should be "
		    "connection, session, content or inspect-delay",
		    argc > 1 ? argv[1] : "");
		return;
	}
	snprintf(kw, sizeof(kw), "tcp-request %s", kinds[k]);
	if (p->p_sec == SEC_BACKEND && k != RK_CONTENT) {
		/* as haproxy: a backend has no connection of its own */
		config_msg(p, CF_ERROR, "%s: not allowed in a backend; write "
		    "it in the frontend", kw);
		return;
	}
	if (cacl_where(p, kw) == -1)
		return;
	if (argc < 3) {
		config_msg(p, CF_ERROR, "%s: accept or reject expected", kw);
		return;
	}
	if (strcmp(argv[2], "accept") != 0 && strcmp(argv[2], "reject") != 0) {
		config_msg(p, CF_ERROR, "%s %s: not supported (only accept and "
		    "reject)", kw, argv[2]);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.r_kind = (enum acl_rkind)k;	/* RK_CONNECTION, _SESSION, _CONTENT */
	r.r_accept = argv[2][0] == 'a';
	if ((s = cacl_set(p)) == NULL)
		return;
	(void)cacl_cond(p, s, argc, argv, 3, &r, kw);
}

/*
 * After the last line: each use_backend names a backend; a frontend
 * needs a default_backend only if no use_backend can give it one.
 */
int
config_acl_finish(struct cf_parser *p, struct cf_frontend *fe)
{
	struct acl_set *s = fe->fe_rules;
	int i;

	/* only a listen's frontend has them: its own backend's servers */
	if (s != NULL && s->s_nkind[RK_USESRV] > 0 &&
	    (i = config_backend_find(p->p_cf, fe->fe_defbe)) != -1)
		config_acl_servers(p, s, &p->p_cf->cf_backends[i]);
	else if (s != NULL)
		config_acl_state(p, s, config_listen_backend(p->p_cf,
		    (int)(fe - p->p_cf->cf_frontends)),
		    config_strf(p, "frontend %s", fe->fe_name));

	for (i = 0; s != NULL && i < s->s_nrules; i++) {
		struct acl_rule *r = &s->s_rules[i];

		if (r->r_kind != RK_SWITCH)
			continue;
		r->r_be = config_backend_find(p->p_cf, r->r_backend);
		if (r->r_be == -1) {
			p->p_file = r->r_file;
			p->p_line = r->r_line;
			config_msg(p, CF_ERROR, "use_backend \"%s\": no such "
			    "backend", r->r_backend);
		}
	}
	return s != NULL && s->s_nkind[RK_SWITCH] > 0;
}
