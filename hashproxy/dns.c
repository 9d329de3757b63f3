/* SPDX-License-Identifier: ISC */
/*
 * Servers whose name is asked of a resolvers section at run time, as
 * haproxy 2.6 does: a valid answer is asked again after "hold valid", a
 * failure after "timeout resolve"; each query waits "timeout retry" and
 * is sent "resolve_retries" times (libevent's evdns, one base per
 * section).  The preferred family (resolve-prefer, IPv6 by default as in
 * haproxy) is asked first, the other one when it gives nothing.
 *
 * A new address moves the server (server_set_addr: new connections and
 * checks); the current one is kept while the answer still has it.
 * Servers of a backend asking the same name (server-template's) share
 * one query and each takes its own address of the answer, a server
 * left without one in MAINT (resolution), as haproxy does.  A
 * valid answer without any address puts the server in MAINT
 * (resolution) at once; NXDOMAIN, a timeout, a refusal or another error
 * keep the last address for "hold nx|timeout|refused|other" after the
 * last valid answer, then put it in MAINT (resolution).  The next valid
 * answer makes it ready again.
 *
 * Replies find their server by backend and server name: a reload may
 * have replaced it meanwhile.  Everything runs on the main loop, under
 * the lock the workers share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "duration.h"
#include "log.h"
#include "strnum.h"
#include "hashproxy.h"

#define DNS_TICK_USEC	100000

struct hp_dns {
	struct hp_ctx	*d_ctx;
	struct evdns_base *d_base[CF_MAXRESOLVERS];
	struct event	*d_tick;
};

struct dns_query {
	struct hp_dns	*q_dns;
	const char	*q_be, *q_sv;	/* in q_names */
	char		 q_fqdn[CF_HOSTLEN];
	int		 q_rs;
	int		 q_family;
	int		 q_second;	/* the other family, after nothing */
	char		 q_names[];	/* "BACKEND\0SERVER", any length */
};

static void dns_ask(struct hp_dns *, struct hp_server *, int rs, int family,
    int second);

static const struct cf_resolvers *
dns_rs(struct hp_dns *d, const struct hp_server *s, int *idx)
{
	const struct cf_config *cf = &d->d_ctx->c_cf;
	int i;

	if (s->s_cf.sv_fqdn[0] == '\0' || s->s_cf.sv_resolvers[0] == '\0')
		return NULL;
	for (i = 0; i < cf->cf_nresolvers; i++)
		if (strcmp(cf->cf_resolvers[i].rs_name,
		    s->s_cf.sv_resolvers) == 0) {
			*idx = i;
			return d->d_base[i] != NULL ? &cf->cf_resolvers[i] :
			    NULL;
		}
	return NULL;
}

static int
dns_in_net(const struct cf_net *n, int family, const unsigned char *a)
{
	int full = n->n_bits / 8, rest = n->n_bits % 8;

	if (n->n_family != family)
		return 0;
	if (memcmp(n->n_addr, a, (size_t)full) != 0)
		return 0;
	return rest == 0 || ((n->n_addr[full] ^ a[full]) &
	    (0xff << (8 - rest))) == 0;
}

/* s's address if it is of family, as bytes; NULL otherwise */
static const unsigned char *
dns_cur(const struct hp_server *s, int family)
{
	const struct cf_addr *a = &s->s_cf.sv_addr;

	if (a->ca_ss.ss_family == AF_INET && family == AF_INET)
		return (const unsigned char *)&((const struct sockaddr_in *)
		    &a->ca_ss)->sin_addr;
	if (a->ca_ss.ss_family == AF_INET6 && family == AF_INET6)
		return (const unsigned char *)&((const struct sockaddr_in6 *)
		    &a->ca_ss)->sin6_addr;
	return NULL;
}

/*
 * s and t ask the same name of the same section (server-template's
 * servers, or "server" lines alike): haproxy gives each its own address
 * of the answer, and the first in the backend asks for them all.
 */
static int
dns_same(const struct hp_server *s, const struct hp_server *t)
{
	return strcmp(s->s_cf.sv_fqdn, t->s_cf.sv_fqdn) == 0 &&
	    strcmp(s->s_cf.sv_resolvers, t->s_cf.sv_resolvers) == 0;
}

static const struct hp_server *
dns_leader(const struct hp_server *s)
{
	const struct hp_backend *be = s->s_be;
	int i;

	for (i = 0; be != NULL && i < be->b_nsrv; i++)
		if (be->b_srv[i] != NULL && dns_same(be->b_srv[i], s))
			return be->b_srv[i];
	return s;
}

/*
 * Which of the count addresses s takes, none taken (used) by another
 * server unless s allows duplicates: the first in a resolve-net
 * network, else the first; -1: none left.
 */
static int
dns_pick(const struct hp_server *s, int family, int count,
    const unsigned char *addrs, const unsigned char *used)
{
	size_t alen = family == AF_INET ? 4 : 16;
	int i, j;

	for (j = 0; j < s->s_cf.sv_nnets; j++)
		for (i = 0; i < count; i++)
			if ((!used[i] || s->s_cf.sv_dupip) && dns_in_net(&s->s_cf.sv_nets[j], family,
			    addrs + (size_t)i * alen))
				return i;
	for (i = 0; i < count; i++)
		if (!used[i] || s->s_cf.sv_dupip)
			return i;
	return -1;
}

/* s moves to the i-th address and is ready. */
static void
dns_valid(struct hp_server *s, const struct cf_resolvers *rs, int family,
    const unsigned char *addrs, int i)
{
	struct sockaddr_storage ss;
	char *why;
	int rc;
	int port = (int)strnum(s->s_cf.sv_addr.ca_port, 0, 65535, NULL);
	socklen_t len;

	len = sockaddr_make(family, addrs + i * (family == AF_INET ? 4 : 16),
	    port, &ss);
	s->s_dns_valid = 1;
	s->s_dns_lastok = mono_usec();
	/* haproxy: "changed its IP ... by rs/ns1" */
	if ((why = malloc(strlen(rs->rs_name) + sizeof("resolvers "))) ==
	    NULL)
		return;
	strcpy(why, "resolvers ");
	strcat(why, rs->rs_name);
	rc = server_set_addr(s, (struct sockaddr *)&ss, len, why);
	free(why);
	if (rc == -1)
		return;
	server_set_rmaint(s, 0, "valid DNS answer");
}

/*
 * A valid answer for every server asking lead's name, in the backend's
 * order: first each keeps its address while the answer has it, then
 * each other takes one no other server holds (dns_pick); a server left
 * without one goes to MAINT (resolution), as haproxy's spare
 * server-template slots do.
 */
static void
dns_spread(struct hp_server *lead, const struct cf_resolvers *rs,
    int family, int count, const unsigned char *addrs)
{
	struct hp_backend *be = lead->s_be;
	size_t alen = family == AF_INET ? 4 : 16;
	const unsigned char *cur;
	unsigned char *used;
	int *got, i, j;

	used = calloc((size_t)count, 1);
	got = calloc((size_t)be->b_nsrv, sizeof(*got));
	if (used == NULL || got == NULL) {
		log_warnx("backend %s: cannot use a DNS answer: out of memory",
		    be->b_cf.be_name);
		goto out;
	}
	for (j = 0; j < be->b_nsrv; j++) {
		got[j] = -1;
		if (be->b_srv[j] == NULL || !dns_same(be->b_srv[j], lead) ||
		    (cur = dns_cur(be->b_srv[j], family)) == NULL)
			continue;
		for (i = 0; i < count; i++)
			if ((!used[i] || be->b_srv[j]->s_cf.sv_dupip) &&
			    memcmp(addrs + (size_t)i * alen, cur, alen) == 0) {
				used[i] = 1;
				got[j] = i;
				break;
			}
	}
	for (j = 0; j < be->b_nsrv; j++) {
		struct hp_server *s = be->b_srv[j];

		if (s == NULL || !dns_same(s, lead))
			continue;
		if (got[j] == -1 && (got[j] = dns_pick(s, family, count, addrs,
		    used)) != -1)
			used[got[j]] = 1;
		s->s_dns_busy = 0;
		s->s_dns_last = lead->s_dns_last;
		if (got[j] != -1)
			dns_valid(s, rs, family, addrs, got[j]);
		else {
			s->s_dns_valid = 0;
			server_set_rmaint(s, 1, "No IP for server");
		}
	}
out:
	free(used);
	free(got);
}

/* A failed resolution: MAINT once its hold since the last valid answer
 * is over (at once for a valid answer without an address). */
static void
dns_failed(struct hp_server *s, const struct cf_resolvers *rs, int result)
{
	uint64_t hold;
	const char *why;

	s->s_dns_valid = 0;
	switch (result) {
	case DNS_ERR_NONE:
	case DNS_ERR_NODATA:
		server_set_rmaint(s, 1, "No IP for server");
		return;
	case DNS_ERR_NOTEXIST:
		hold = rs->rs_hold_nx;
		why = "DNS NX status";
		break;
	case DNS_ERR_TIMEOUT:
		hold = rs->rs_hold_timeout;
		why = "DNS timeout status";
		break;
	case DNS_ERR_REFUSED:
		hold = rs->rs_hold_refused;
		why = "DNS refused status";
		break;
	default:
		hold = rs->rs_hold_other;
		why = "unspecified DNS error";
		break;
	}
	if (mono_usec() - s->s_dns_lastok >= hold)
		server_set_rmaint(s, 1, why);
}

static void
dns_failed_all(struct hp_server *lead, const struct cf_resolvers *rs,
    int result)
{
	struct hp_backend *be = lead->s_be;
	int j;

	for (j = 0; j < be->b_nsrv; j++)
		if (be->b_srv[j] != NULL && dns_same(be->b_srv[j], lead)) {
			be->b_srv[j]->s_dns_last = lead->s_dns_last;
			dns_failed(be->b_srv[j], rs, result);
		}
}

static void
dns_answer(int result, char type, int count, int ttl, void *addrs,
    void *arg)
{
	struct dns_query *q = arg;
	struct hp_dns *d = q->q_dns;
	struct hp_ctx *ctx;
	struct hp_server *s;
	const struct cf_resolvers *rs;
	int idx = -1, ok;

	(void)ttl;
	if (result == DNS_ERR_SHUTDOWN || result == DNS_ERR_CANCEL) {
		free(q);
		return;
	}
	ctx = d->d_ctx;
	thread_lock(ctx);
	s = backend_find_server(ctx, q->q_be, q->q_sv);
	if (s == NULL || strcmp(s->s_cf.sv_fqdn, q->q_fqdn) != 0 ||
	    (rs = dns_rs(d, s, &idx)) == NULL || idx != q->q_rs) {
		if (s != NULL)
			s->s_dns_busy = 0;
		goto out;
	}
	ok = result == DNS_ERR_NONE && count > 0 &&
	    ((type == DNS_IPv4_A && q->q_family == AF_INET) ||
	    (type == DNS_IPv6_AAAA && q->q_family == AF_INET6));
	if (!ok && !q->q_second) {
		/* nothing in the preferred family: ask the other one */
		dns_ask(d, s, idx, q->q_family == AF_INET ? AF_INET6 : AF_INET,
		    1);
		goto out;
	}
	s->s_dns_busy = 0;
	s->s_dns_last = mono_usec();
	if (ok)
		dns_spread(s, rs, q->q_family, count, addrs);
	else
		dns_failed_all(s, rs, result);
out:
	thread_unlock(ctx);
	free(q);
}

static void
dns_ask(struct hp_dns *d, struct hp_server *s, int rs, int family,
    int second)
{
	size_t bl = strlen(s->s_be->b_cf.be_name) + 1;
	size_t sl = strlen(s->s_cf.sv_name) + 1;
	struct dns_query *q;
	struct evdns_request *r;

	if ((q = calloc(1, sizeof(*q) + bl + sl)) == NULL) {
		log_warnx("server %s/%s: cannot resolve: out of memory",
		    s->s_be->b_cf.be_name, s->s_cf.sv_name);
		return;
	}
	q->q_dns = d;
	memcpy(q->q_names, s->s_be->b_cf.be_name, bl);
	memcpy(q->q_names + bl, s->s_cf.sv_name, sl);
	q->q_be = q->q_names;
	q->q_sv = q->q_names + bl;
	snprintf(q->q_fqdn, sizeof(q->q_fqdn), "%s", s->s_cf.sv_fqdn);
	q->q_rs = rs;
	q->q_family = family;
	q->q_second = second;
	s->s_dns_busy = 1;
	r = family == AF_INET ?
	    evdns_base_resolve_ipv4(d->d_base[rs], q->q_fqdn,
	    DNS_QUERY_NO_SEARCH, dns_answer, q) :
	    evdns_base_resolve_ipv6(d->d_base[rs], q->q_fqdn,
	    DNS_QUERY_NO_SEARCH, dns_answer, q);
	if (r == NULL) {
		/* evdns took nothing (a name too long, no memory): no
		 * callback will come */
		s->s_dns_busy = 0;
		free(q);
	}
}

/* Every server whose resolution is due gets a query. */
static void
dns_tick(evutil_socket_t fd, short what, void *arg)
{
	struct hp_dns *d = arg;
	struct hp_ctx *ctx = d->d_ctx;
	struct timeval tv = { 0, DNS_TICK_USEC };
	uint64_t now = mono_usec();
	int i, j, idx;

	(void)fd;
	(void)what;
	thread_lock(ctx);
	for (i = 0; i < ctx->c_nbe; i++)
		for (j = 0; j < ctx->c_be[i]->b_nsrv; j++) {
			struct hp_server *s = ctx->c_be[i]->b_srv[j];
			const struct cf_resolvers *rs;

			if (s == NULL || s->s_dns_busy ||
			    (rs = dns_rs(d, s, &idx)) == NULL ||
			    dns_leader(s) != s)
				continue;
			if (s->s_dns_last != 0 && now - s->s_dns_last <
			    (s->s_dns_valid ? rs->rs_hold_valid :
			    rs->rs_tresolve))
				continue;
			dns_ask(d, s, idx, s->s_cf.sv_prefer == AF_INET ?
			    AF_INET : AF_INET6, 0);
		}
	thread_unlock(ctx);
	evtimer_add(d->d_tick, &tv);
}

/* evdns's own messages (a name server that stops answering ...). */
static void
dns_log(int warn, const char *msg)
{
	(void)warn;
	log_debug("resolvers: %s", msg);
}

static struct evdns_base *
dns_base(struct hp_ctx *ctx, const struct cf_resolvers *rs)
{
	struct evdns_base *b;
	char v[32];
	int i;

	evdns_set_log_fn(dns_log);
	if ((b = evdns_base_new(ctx->c_base,
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL)
		return NULL;
	snprintf(v, sizeof(v), "%.3f", (double)rs->rs_tretry / 1e6);
	if (evdns_base_set_option(b, "timeout:", v) == -1)
		goto fail;
	snprintf(v, sizeof(v), "%d", rs->rs_retries);
	if (evdns_base_set_option(b, "attempts:", v) == -1 ||
	    evdns_base_set_option(b, "randomize-case:", "0") == -1)
		goto fail;
	for (i = 0; i < rs->rs_nns; i++)
		if (evdns_base_nameserver_sockaddr_add(b, (const struct
		    sockaddr *)&rs->rs_ns[i], rs->rs_nslen[i], 0) != 0)
			log_warnx("%s:%d: resolvers %s: cannot use a "
			    "nameserver", rs->rs_file ? rs->rs_file : "",
			    rs->rs_line, rs->rs_name);
	if (rs->rs_resolvconf && evdns_base_resolv_conf_parse(b,
	    DNS_OPTION_NAMESERVERS, "/etc/resolv.conf") != 0)
		log_warnx("%s:%d: resolvers %s: cannot read "
		    "/etc/resolv.conf", rs->rs_file ? rs->rs_file : "",
		    rs->rs_line, rs->rs_name);
	return b;
fail:
	evdns_base_free(b, 0);
	return NULL;
}

void
dns_free(struct hp_ctx *ctx)
{
	struct hp_dns *d = ctx->c_dns;
	int i;

	if (d == NULL)
		return;
	if (d->d_tick != NULL)
		event_free(d->d_tick);
	/* the queries out end with DNS_ERR_SHUTDOWN, which frees them */
	for (i = 0; i < CF_MAXRESOLVERS; i++)
		if (d->d_base[i] != NULL)
			evdns_base_free(d->d_base[i], 1);
	free(d);
	ctx->c_dns = NULL;
}

/*
 * After each (re)load: one base per resolvers section a server uses.
 * Queries out on the old bases end; a server asks again at once.
 */
int
dns_apply(struct hp_ctx *ctx)
{
	const struct cf_config *cf = &ctx->c_cf;
	struct timeval tv = { 0, DNS_TICK_USEC };
	struct hp_dns *d;
	int i, j, k, used;

	dns_free(ctx);
	for (i = 0; i < ctx->c_nbe; i++)
		for (j = 0; j < ctx->c_be[i]->b_nsrv; j++) {
			struct hp_server *s = ctx->c_be[i]->b_srv[j];

			if (s == NULL)
				continue;
			s->s_dns_busy = 0;
			s->s_dns_last = 0;
			/* haproxy counts the holds from the start too */
			if (s->s_dns_lastok == 0)
				s->s_dns_lastok = mono_usec();
		}
	if (cf->cf_nresolvers == 0)
		return 0;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	d->d_ctx = ctx;
	ctx->c_dns = d;
	for (k = 0; k < cf->cf_nresolvers; k++) {
		const char *name = cf->cf_resolvers[k].rs_name;

		used = 0;
		for (i = 0; i < ctx->c_nbe && !used; i++)
			for (j = 0; j < ctx->c_be[i]->b_nsrv; j++)
				if (ctx->c_be[i]->b_srv[j] != NULL &&
				    strcmp(ctx->c_be[i]->b_srv[j]->s_cf.
				    sv_resolvers, name) == 0)
					used = 1;
		if (used && (d->d_base[k] = dns_base(ctx,
		    &cf->cf_resolvers[k])) == NULL) {
			dns_free(ctx);
			return -1;
		}
	}
	if ((d->d_tick = evtimer_new(ctx->c_base, dns_tick, d)) == NULL ||
	    evtimer_add(d->d_tick, &tv) == -1) {
		dns_free(ctx);
		return -1;
	}
	return 0;
}
