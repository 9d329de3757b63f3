/* SPDX-License-Identifier: ISC */
/*
 * A connection against the ACLs acl.c parsed: each criterion matched on
 * its addresses and ports, or on the backends' state its caller reads;
 * conditions with their AND, OR and negation, and the rules in order
 * (tcp-request, use_backend, use-server).
 */
#include <string.h>
#include <netinet/in.h>

#include "acl.h"

/* The address as 16 bytes (IPv4 as ::ffff:a.b.c.d); 0 if none. */
static int
acl_addr16(const struct sockaddr *sa, uint8_t a[16], int *port)
{
	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &in->sin_addr, 4);
		*port = ntohs(in->sin_port);
		return 1;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		memcpy(a, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
		return 1;
	}
	return 0;
}

static int
acl_net_match(const struct acl_net *n, const uint8_t a[16])
{
	static const uint8_t v4m[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const uint8_t *p = a;
	int full, rest;

	if (n->an_af == AF_INET) {
		/* an IPv4 network matches IPv4-mapped IPv6 clients too */
		if (memcmp(a, v4m, 12) != 0)
			return 0;
		p = a + 12;
	}
	full = n->an_plen / 8;
	rest = n->an_plen % 8;
	if (memcmp(p, n->an_addr, (size_t)full) != 0)
		return 0;
	return rest == 0 || (p[full] & (uint8_t)(0xff << (8 - rest))) ==
	    n->an_addr[full];
}

static int
acl_num_match(const struct acl_num *n, long v)
{
	switch (n->nu_op) {
	case AO_LT:
		return v < n->nu_lo;
	case AO_LE:
		return v <= n->nu_lo;
	case AO_GT:
		return v > n->nu_lo;
	case AO_GE:
		return v >= n->nu_lo;
	case AO_RANGE:
		break;
	}
	return v >= n->nu_lo && v <= n->nu_hi;
}

static int
acl_expr_eval(const struct acl_expr *e, const struct acl_addrs *aa)
{
	uint8_t a[16];
	int port = 0;
	long v;
	size_t i;

	switch (e->ae_crit) {
	case AC_TRUE:
		return 1;
	case AC_FALSE:
	case AC_UNSUP:
		return 0;
	case AC_SRVUP:
		return aa->aa_st != NULL && aa->aa_st->st_get(
		    aa->aa_st->st_arg, e) > 0;	/* ACL_NOSTATE too */
	case AC_NBSRV:
	case AC_BECONN:
	case AC_QUEUE:
	case AC_AVGQUEUE:
	case AC_CONNSLOTS:
	case AC_SRVCONN:
	case AC_SRVQUEUE:
		/* no state to read: the fetch fails, nothing matches */
		if (aa->aa_st == NULL ||
		    (v = aa->aa_st->st_get(aa->aa_st->st_arg, e)) ==
		    ACL_NOSTATE)
			return 0;
		for (i = 0; i < e->ae_npats; i++)
			if (acl_num_match((const struct acl_num *)e->ae_pats +
			    i, v))
				return 1;
		return 0;
	default:
		break;
	}
	if (!acl_addr16(e->ae_crit == AC_SRC || e->ae_crit == AC_SRC_PORT ?
	    aa->aa_src : aa->aa_dst, a, &port))
		return 0;
	for (i = 0; i < e->ae_npats; i++)
		if (acl_is_net(e->ae_crit) ? acl_net_match(
		    (const struct acl_net *)e->ae_pats + i, a) :
		    acl_num_match((const struct acl_num *)e->ae_pats + i, port))
			return 1;
	return 0;
}

static int
acl_eval(const struct acl_set *s, int ai, const struct acl_addrs *aa)
{
	int i;

	for (i = s->s_acls[ai].a_first; i != -1; i = s->s_exprs[i].ae_next)
		if (acl_expr_eval(&s->s_exprs[i], aa))
			return 1;
	return 0;
}

int
acl_cond_eval(const struct acl_set *s, const struct acl_cond *c,
    const struct acl_addrs *aa)
{
	int i, alt = 1, v;

	if (c->c_nterms == 0)
		return 1;
	for (i = 0; i < c->c_nterms; i++) {
		const struct acl_term *t = &s->s_terms[c->c_first + i];

		if (t->t_or) {
			if (alt)
				break;
			alt = 1;
		}
		if (!alt)
			continue;	/* this alternative failed already */
		v = acl_eval(s, t->t_acl, aa);
		alt = t->t_neg ? !v : v;
	}
	return c->c_unless ? !alt : alt;
}

int
acl_tcp_rules(const struct acl_set *s, enum acl_rkind k,
    const struct acl_addrs *aa)
{
	int i;

	for (i = 0; s != NULL && i < s->s_nrules; i++) {
		const struct acl_rule *r = &s->s_rules[i];

		if (r->r_kind == k && acl_cond_eval(s, &r->r_cond, aa))
			return r->r_accept;
	}
	return 1;
}

int
acl_switch(const struct acl_set *s, const struct acl_addrs *aa)
{
	return acl_next(s, RK_SWITCH, aa, 0);
}

int
acl_next(const struct acl_set *s, enum acl_rkind k,
    const struct acl_addrs *aa, int from)
{
	int i;

	for (i = from; s != NULL && i < s->s_nrules; i++) {
		const struct acl_rule *r = &s->s_rules[i];

		if (r->r_kind == k && acl_cond_eval(s, &r->r_cond, aa))
			return i;
	}
	return -1;
}
