/* SPDX-License-Identifier: ISC */
/*
 * A frontend's rules at run time: the acl_set its configuration parsed,
 * with each use_backend's backend held by reference, and what a new
 * connection meets at accept: tcp-request connection, session and
 * content rules in that order (haproxy's), then use_backend, first match
 * wins, else the default backend, then that backend's content rules;
 * use-server when the connection is about to pick its server.  Every criterion is known at accept,
 * so content rules need not wait for bytes (inspect-delay is moot).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "duration.h"
#include "acl.h"
#include "hashproxy.h"

/*
 * haproxy's be_usable_srv(): the usable active servers; if none, 1 when
 * a backup is usable (the first one takes them all), or every usable
 * backup with allbackups; 0 for a disabled backend.
 */
static long
rules_nbsrv(const struct hp_backend *be)
{
	int i, act = 0, bck = 0;

	if (be->b_cf.be_disabled)
		return 0;
	for (i = 0; i < be->b_nsrv; i++) {
		const struct hp_server *s = be->b_srv[i];

		if (s == NULL || !server_usable(s))
			continue;
		if (s->s_cf.sv_backup)
			bck++;
		else
			act++;
	}
	if (act > 0)
		return act;
	return bck > 0 && !be->b_cf.be_allbackups ? 1 : bck;
}

/* haproxy's totpend: the backend's queue and every server's. */
static long
rules_queue(const struct hp_backend *be)
{
	long n = be->b_qcur;
	int i;

	for (i = 0; i < be->b_nsrv; i++)
		if (be->b_srv[i] != NULL)
			n += be->b_srv[i]->s_qcur;
	return n;
}

/*
 * haproxy's smp_fetch_connslots: the free connection and queue slots of
 * the servers not stopped; -1 once one of them has no maxconn or no
 * maxqueue (unlimited: no sense, haproxy says).
 */
static long
rules_connslots(const struct hp_backend *be)
{
	long n = 0;
	int i;

	for (i = 0; i < be->b_nsrv; i++) {
		const struct hp_server *s = be->b_srv[i];

		if (s == NULL || !server_running(s))
			continue;
		if (s->s_cf.sv_maxconn == 0 || s->s_cf.sv_maxqueue == 0)
			return -1;
		n += (s->s_cf.sv_maxconn - s->s_cur) +
		    (s->s_cf.sv_maxqueue - s->s_qcur);
	}
	return n;
}

/*
 * What the state criteria read: ctx's backends, and the backend whose
 * content rules run (NULL: none), which haproxy counts the connection
 * in already (be_conn), hashproxy only once they passed.
 */
struct rules_view {
	struct acl_state	 v_st;
	const struct hp_ctx	*v_ctx;
	const struct hp_backend	*v_self;
};

/*
 * nbsrv, srv_is_up and their kin (acl_state's st_get) on a view's
 * backends.  The rules evaluated are always the current config's (a
 * connection follows its backend's successor before use-server), so the
 * config's indexes are c_be's; the names are checked all the same, a
 * mismatch reads nothing (ACL_NOSTATE).  Lock held, as the pick code reads the
 * states (thread.c: shared state is under the one mutex).
 */
static long
rules_state(const void *arg, const struct acl_expr *e)
{
	const struct rules_view *v = arg;
	const struct hp_ctx *ctx = v->v_ctx;
	const struct hp_backend *be;
	const struct hp_server *s;
	long n;

	if (e->ae_bei < 0 || e->ae_bei >= ctx->c_nbe)
		return ACL_NOSTATE;
	be = ctx->c_be[e->ae_bei];
	if (e->ae_be != NULL && strcmp(be->b_name, e->ae_be) != 0)
		return ACL_NOSTATE;
	switch (e->ae_crit) {
	case AC_NBSRV:
		return rules_nbsrv(be);
	case AC_BECONN:
		/* haproxy's beconn: queued ones too */
		return be->b_conns + (be == v->v_self);
	case AC_QUEUE:
		return rules_queue(be);
	case AC_CONNSLOTS:
		return rules_connslots(be);
	case AC_AVGQUEUE:
		/* haproxy's: per usable server, rounded up; doubled if none */
		n = rules_nbsrv(be);
		return n > 0 ? (rules_queue(be) + n - 1) / n :
		    rules_queue(be) * 2;
	default:
		break;
	}
	if (e->ae_srvi < 0 || e->ae_srvi >= be->b_nsrv ||
	    (s = be->b_srv[e->ae_srvi]) == NULL ||
	    strcmp(s->s_cf.sv_name, e->ae_srv) != 0)
		return ACL_NOSTATE;
	if (e->ae_crit == AC_SRVCONN)
		return s->s_cur;
	if (e->ae_crit == AC_SRVQUEUE)
		return s->s_qcur;
	/* haproxy's smp_fetch_srv_is_up: not in maintenance, not down */
	return server_running(s);
}

/*
 * Takes cfe's rules (cfe keeps none) and references their backends.  A
 * disabled backend is not started: a rule naming it routes nowhere, and
 * its client is closed at once, as haproxy's (not skipped for the next
 * rule or the default backend).
 */
int
rules_attach(struct hp_frontend *fe, struct cf_frontend *cfe,
    struct hp_backend **nbe)
{
	struct acl_set *s = cfe->fe_rules;
	int i;

	/* nbe ends with NULL; a state criterion resolved means one backend */
	fe->f_ctx = nbe[0] != NULL ? nbe[0]->b_ctx : NULL;
	if (s == NULL)
		return 0;
	if ((fe->f_sw = calloc((size_t)s->s_nrules, sizeof(*fe->f_sw))) ==
	    NULL)
		return -1;
	cfe->fe_rules = NULL;
	fe->f_rules = s;
	for (i = 0; i < s->s_nrules; i++)
		if (s->s_rules[i].r_kind == RK_SWITCH &&
		    s->s_rules[i].r_be >= 0 &&
		    !nbe[s->s_rules[i].r_be]->b_cf.be_disabled) {
			fe->f_sw[i] = nbe[s->s_rules[i].r_be];
			fe->f_sw[i]->b_refs++;
		}
	return 0;
}

void
rules_detach(struct hp_frontend *fe)
{
	int i;

	for (i = 0; fe->f_rules != NULL && i < fe->f_rules->s_nrules; i++)
		backend_unref(fe->f_sw[i]);
	free(fe->f_sw);
	acl_set_free(fe->f_rules);
	fe->f_sw = NULL;
	fe->f_rules = NULL;
}

/* The listener may be bound to any address: the socket says, if asked. */
static void
rules_dst(int fd, const struct acl_set *s, struct acl_addrs *aa,
    struct sockaddr_storage *dst)
{
	socklen_t len = sizeof(*dst);

	if (s != NULL && s->s_needdst && aa->aa_dst == NULL &&
	    getsockname(fd, (struct sockaddr *)dst, &len) == 0)
		aa->aa_dst = (struct sockaddr *)dst;
}

/* aa reads the state of ctx's backends through v; ctx NULL: none. */
static void
rules_state_on(const struct hp_ctx *ctx, const struct hp_backend *self,
    struct rules_view *v, struct acl_addrs *aa)
{
	v->v_st.st_get = rules_state;
	v->v_st.st_arg = v;
	v->v_ctx = ctx;
	v->v_self = self;
	aa->aa_st = ctx != NULL ? &v->v_st : NULL;
}

/* Takes a backend's tcp-request content rules (cb and its copy keep none). */
void
rules_attach_backend(struct hp_backend *be, struct cf_backend *cb)
{
	be->b_rules = cb->be_rules;
	be->b_cf.be_rules = NULL;
	cb->be_rules = NULL;
}

/* A backend's content rule rejected it (rules_eval only). */
#define RULES_BECONTENT	(RULES_CONTENT + 1)

/*
 * Where a client from aa->aa_src goes: RULES_PASS and the backend in *be
 * (NULL: none, no default_backend), or the kind of rule that rejected
 * it.  aa->aa_dst, if NULL, is asked from fd when a rule needs it.
 * after_conn: the connection rules ran already (rules_run_connection).
 */
static int
rules_eval(struct hp_frontend *fe, int fd, struct acl_addrs *aa,
    int after_conn, struct hp_backend **be)
{
	const struct acl_set *s = fe->f_rules, *bs;
	struct sockaddr_storage dst;
	struct rules_view v;
	int i;

	*be = fe->f_be;
	rules_state_on(fe->f_ctx, NULL, &v, aa);
	rules_dst(fd, s, aa, &dst);
	if (!after_conn && !acl_tcp_rules(s, RK_CONNECTION, aa))
		return RULES_CONNECTION;
	if (!acl_tcp_rules(s, RK_SESSION, aa))
		return RULES_SESSION;
	if (!acl_tcp_rules(s, RK_CONTENT, aa))
		return RULES_CONTENT;
	if ((i = acl_switch(s, aa)) != -1)
		*be = fe->f_sw[i];
	/* then the backend's content rules, as haproxy's analysers */
	bs = *be != NULL ? (*be)->b_rules : NULL;
	if (bs != NULL)
		rules_state_on((*be)->b_ctx, *be, &v, aa);
	rules_dst(fd, bs, aa, &dst);
	if (!acl_tcp_rules(bs, RK_CONTENT, aa))
		return RULES_BECONTENT;
	return RULES_PASS;
}

/*
 * accept-proxy: the tcp-request connection rules, run at accept on the
 * socket's addresses, before the PROXY header is read (haproxy's order:
 * its "expect-proxy" is such a rule).  RULES_PASS, or RULES_CONNECTION
 * counted as haproxy's dcon.  Lock held.
 */
int
rules_run_connection(struct hp_frontend *fe, int fd,
    const struct sockaddr *src)
{
	struct acl_addrs aa = { src, NULL, NULL };
	struct sockaddr_storage dst;
	struct rules_view v;

	rules_state_on(fe->f_ctx, NULL, &v, &aa);
	rules_dst(fd, fe->f_rules, &aa, &dst);
	if (acl_tcp_rules(fe->f_rules, RK_CONNECTION, &aa))
		return RULES_PASS;
	fe->f_dcon++;
	return RULES_CONNECTION;
}

/*
 * A connection on fd from src to dst (NULL: the socket's): RULES_PASS and
 * the backend it goes to in *be (NULL: none, no default_backend), or the
 * kind of rule that rejected it, counted as haproxy's dcon, dses or dreq.
 * after_conn: rules_run_connection ran already.  Lock held.
 */
int
rules_run(struct hp_frontend *fe, int fd, const struct sockaddr *src,
    const struct sockaddr *dst, int after_conn, struct hp_backend **be)
{
	struct acl_addrs aa = { src, dst, NULL };

	switch (rules_eval(fe, fd, &aa, after_conn, be)) {
	case RULES_CONNECTION:
		fe->f_dcon++;
		return RULES_CONNECTION;
	case RULES_SESSION:
		fe->f_dses++;
		return RULES_SESSION;
	case RULES_CONTENT:
		fe->f_dreq++;
		return RULES_CONTENT;
	case RULES_BECONTENT:
		/* haproxy: the frontend's dreq, a session of the backend */
		fe->f_dreq++;
		(*be)->b_tot++;
		(*be)->b_direct++;	/* no server balanced: no lbtot */
		if ((*be)->b_conns + 1 > (*be)->b_smax)
			(*be)->b_smax = (*be)->b_conns + 1;
		rate_hit(&(*be)->b_rate, mono_usec() / 1000);
		return RULES_CONTENT;
	}
	return RULES_PASS;
}

/*
 * --lookup: where a client from src to dst would go, nothing counted;
 * RULES_PASS and *be, or the kind of rule that rejects it.
 */
int
rules_lookup(struct hp_frontend *fe, const struct sockaddr *src,
    const struct sockaddr *dst, struct hp_backend **be)
{
	struct acl_addrs aa = { src, dst, NULL };
	int r = rules_eval(fe, -1, &aa, 0, be);

	return r == RULES_BECONTENT ? RULES_CONTENT : r;
}

/*
 * The use-server rules for a connection of fe that goes to be: be's, or
 * for a listen's own backend the listen's (where its acl lines are);
 * NULL: none.
 */
const struct acl_set *
rules_srv_set(const struct hp_frontend *fe, const struct hp_backend *be)
{
	const struct acl_set *rs = be->b_rules;

	if (fe->f_be == be && fe->f_rules != NULL &&
	    fe->f_rules->s_nkind[RK_USESRV] > 0)
		rs = fe->f_rules;
	return rs != NULL && rs->s_nkind[RK_USESRV] > 0 ? rs : NULL;
}

/*
 * haproxy's process_server_rules: the server of the first use-server of
 * rs whose condition holds and whose server is not stopped (up, starting
 * or draining), or stopped too under "option persist"; NULL: the balance
 * picks.  Lock held.
 */
struct hp_server *
rules_use_server(const struct acl_set *rs, struct hp_backend *be,
    const struct acl_addrs *aa)
{
	struct acl_addrs a = *aa;
	struct rules_view v;
	struct hp_server *s;
	int i, k;

	/* the connection is in be's b_conns by now */
	rules_state_on(be->b_ctx, NULL, &v, &a);
	for (i = acl_next(rs, RK_USESRV, &a, 0); i != -1;
	    i = acl_next(rs, RK_USESRV, &a, i + 1)) {
		k = rs->s_rules[i].r_srv;
		/* a reload may have left the rules of the old frontend */
		if (k < 0 || k >= be->b_nsrv || (s = be->b_srv[k]) == NULL)
			continue;
		if (server_running(s) || be->b_cf.be_persist)
			return s;
	}
	return NULL;
}
