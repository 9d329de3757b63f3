/* SPDX-License-Identifier: ISC */
/*
 * A configuration into running objects, at start and at each reload:
 * listeners bound or kept, backends and frontends built, servers that
 * stay keep their state, and the old objects live on while connections
 * hold them.
 */
#include <stdlib.h>
#include <string.h>

#include "hatools.h"
#include "log.h"
#include "hashproxy.h"

static int
apply_same_addr(const struct cf_addr *a, const struct cf_addr *b)
{
	return a->ca_sslen == b->ca_sslen &&
	    memcmp(&a->ca_ss, &b->ca_ss, a->ca_sslen) == 0;
}

/* Marks a's listeners (one per worker) with mark; how many there are. */
static int
apply_mark_listeners(struct hp_ctx *ctx, const struct cf_addr *a, int mark)
{
	struct hp_listener *l;
	int n = 0;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry)
		if (apply_same_addr(&l->l_addr, a)) {
			l->l_mark = mark;
			n++;
		}
	return n;
}

/*
 * Gives a's listeners to fe.  One whose frontend was disabled or shut
 * down on the stats socket listens again: haproxy's new process reads
 * the file anew and opens every frontend it enables.
 */
static void
apply_assign_listeners(struct hp_ctx *ctx, const struct cf_addr *a,
    struct hp_frontend *fe)
{
	struct hp_listener *l;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry)
		if (apply_same_addr(&l->l_addr, a)) {
			if (l->l_fe != NULL && l->l_fe->f_paused &&
			    listen_again(l) == -1)
				log_warn("frontend %s: cannot listen again",
				    fe->f_name);
			/* a reload may add or drop accept-proxy */
			l->l_addr.ca_acceptproxy = a->ca_acceptproxy;
			fe->f_refs++;
			frontend_unref_locked(l->l_fe);
			l->l_fe = fe;
		}
}

/*
 * Opens the listeners newcf needs and ctx lacks, one per worker; -1
 * leaves ctx as is.  New ones stay paused until hp_apply is done.
 */
static int
apply_bind(struct hp_ctx *ctx, struct cf_config *ncf)
{
	struct hp_listener *l;
	int i, j, k, fail = 0;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry)
		l->l_mark = 0;
	for (i = 0; i < ncf->cf_nfrontends && !fail; i++)
		for (j = 0; j < ncf->cf_frontends[i].fe_nbinds && !fail; j++) {
			struct cf_addr *a = &ncf->cf_frontends[i].fe_binds[j];

			if (apply_mark_listeners(ctx, a, 1) > 0)
				continue;
			for (k = 0; k < ctx->c_nw && !fail; k++) {
				if ((l = calloc(1, sizeof(*l))) == NULL) {
					fail = 1;
					break;
				}
				l->l_addr = *a;
				l->l_mark = 2;	/* new */
				l->l_w = &ctx->c_w[k];
				if (listen_open(ctx, l) == -1) {
					log_warn("%s:%d: bind %s:%s",
					    a->ca_file ? a->ca_file :
					    ctx->c_path, a->ca_line,
					    a->ca_host[0] ? a->ca_host : "*",
					    a->ca_port);
					free(l);
					fail = 1;
					break;
				}
				LIST_INSERT_HEAD(&ctx->c_listeners, l,
				    l_entry);
			}
		}
	if (fail) {
		struct hp_listener *next;

		/* never armed: any thread may free them */
		for (l = LIST_FIRST(&ctx->c_listeners); l; l = next) {
			next = LIST_NEXT(l, l_entry);
			if (l->l_mark == 2) {
				LIST_REMOVE(l, l_entry);
				listen_free(l);
			}
		}
		return -1;
	}
	return 0;
}

/*
 * The servers of a replaced backend that the new one did not take over
 * stop checking now, in this thread: the last connection that holds one
 * may end in a worker, which must not touch the main loop's events.
 */
static void
apply_retire_checks(struct hp_backend *old)
{
	int i;

	for (i = 0; i < old->b_nsrv; i++)
		if (old->b_srv[i] != NULL)
			check_stop(old->b_srv[i]);
}

/*
 * Each server that tracks another (config_server_finish found which)
 * takes its state, and a server kept from the last configuration that
 * no longer tracks one its own.  After the swap: the state goes to the
 * trackers of the running configuration.
 */
static void
apply_track(struct hp_ctx *ctx)
{
	const struct cf_server *cs;
	struct hp_server *s;
	int i, j;

	for (i = 0; i < ctx->c_nbe; i++)
		for (j = 0; j < ctx->c_be[i]->b_nsrv; j++) {
			cs = &ctx->c_cf.cf_backends[i].be_servers[j];
			if ((s = ctx->c_be[i]->b_srv[j]) == NULL)
				continue;
			server_track(s, cs->sv_trackbe < 0 ? NULL :
			    ctx->c_be[cs->sv_trackbe]->b_srv[cs->sv_tracksrv]);
		}
}

/*
 * Builds frontends and backends from ncf and swaps them in: servers that
 * stay keep their state, listeners that stay keep their sockets, and
 * connections keep the old objects until they end.
 */
int
hp_apply(struct hp_ctx *ctx, struct cf_config *ncf)
{
	struct hp_frontend **nfe;
	struct hp_backend **nbe;
	int i, j;

	if (apply_bind(ctx, ncf) == -1)
		return -1;
	nfe = calloc((size_t)ncf->cf_nfrontends + 1, sizeof(*nfe));
	nbe = calloc((size_t)ncf->cf_nbackends + 1, sizeof(*nbe));
	if (nfe == NULL || nbe == NULL)
		fatalx(EXIT_RUNTIME, "out of memory");
	for (i = 0; i < ncf->cf_nbackends; i++) {
		struct hp_backend *old = NULL;

		for (j = 0; j < ctx->c_nbe; j++)
			if (strcmp(ctx->c_be[j]->b_cf.be_name,
			    ncf->cf_backends[i].be_name) == 0)
				old = ctx->c_be[j];
		if ((nbe[i] = backend_new(ctx, &ncf->cf_backends[i], old)) ==
		    NULL)
			fatalx(EXIT_RUNTIME, "out of memory");
		rules_attach_backend(nbe[i], &ncf->cf_backends[i]);
		if (old != NULL) {
			old->b_retired = 1;
			old->b_next = nbe[i];
			nbe[i]->b_refs++;
			queue_requeue_backend_locked(old);
			if (backend_rebuild(old) == -1)
				fatalx(EXIT_RUNTIME, "out of memory");
		}
	}
	for (i = 0; i < ncf->cf_nfrontends; i++) {
		struct cf_frontend *cfe = &ncf->cf_frontends[i];

		if ((nfe[i] = calloc(1, sizeof(**nfe) +
		    strlen(cfe->fe_name) + 1)) == NULL)
			fatalx(EXIT_RUNTIME, "out of memory");
		nfe[i]->f_refs = 1;
		strcpy(nfe[i]->f_name, cfe->fe_name);
		nfe[i]->f_maxconn = cfe->fe_maxconn;
		nfe[i]->f_ratelim = cfe->fe_ratelim;
		nfe[i]->f_tclient = cfe->fe_tclient;
		nfe[i]->f_tclientfin = cfe->fe_tclientfin;
		nfe[i]->f_tcpka = cfe->fe_tcpka;
		/* none: only use_backend rules route it */
		nfe[i]->f_be = cfe->fe_backend >= 0 ? nbe[cfe->fe_backend] :
		    NULL;
		if (nfe[i]->f_be != NULL)
			nfe[i]->f_be->b_refs++;
		if (rules_attach(nfe[i], cfe, nbe) == -1)
			fatalx(EXIT_RUNTIME, "out of memory");
		for (j = 0; j < ctx->c_nfe; j++)
			if (strcmp(ctx->c_fe[j]->f_name, cfe->fe_name) == 0) {
				/* counters survive a reload */
				nfe[i]->f_tot = ctx->c_fe[j]->f_tot;
				nfe[i]->f_srate = ctx->c_fe[j]->f_srate;
				nfe[i]->f_rate.r_max =
				    ctx->c_fe[j]->f_rate.r_max;
				nfe[i]->f_max = ctx->c_fe[j]->f_max;
				nfe[i]->f_bin = HP_READ(ctx->c_fe[j]->f_bin);
				nfe[i]->f_bout = HP_READ(ctx->c_fe[j]->f_bout);
				nfe[i]->f_dcon = ctx->c_fe[j]->f_dcon;
				nfe[i]->f_dses = ctx->c_fe[j]->f_dses;
				nfe[i]->f_dreq = ctx->c_fe[j]->f_dreq;
			}
		for (j = 0; j < cfe->fe_nbinds; j++)
			apply_assign_listeners(ctx, &cfe->fe_binds[j], nfe[i]);
	}
	listen_close_locked(ctx, 1);
	for (i = 0; i < ctx->c_nfe; i++)
		frontend_unref_locked(ctx->c_fe[i]);
	for (i = 0; i < ctx->c_nbe; i++) {
		apply_retire_checks(ctx->c_be[i]);
		backend_unref(ctx->c_be[i]);
	}
	free(ctx->c_fe);
	free(ctx->c_be);
	ctx->c_fe = nfe;
	ctx->c_nfe = ncf->cf_nfrontends;
	ctx->c_be = nbe;
	ctx->c_nbe = ncf->cf_nbackends;
	config_free(&ctx->c_cf);
	ctx->c_cf = *ncf;
	memset(ncf, 0, sizeof(*ncf));
	apply_track(ctx);
	for (i = 0; i < ctx->c_nbe; i++)
		for (j = 0; j < ctx->c_be[i]->b_nsrv; j++)
			check_start(ctx->c_be[i]->b_srv[j]);
	if (dns_apply(ctx) == -1)
		fatalx(EXIT_RUNTIME, "cannot set up the resolvers");
	ctx->c_maxconn = ctx->c_maxconn_opt ? ctx->c_maxconn_opt :
	    ctx->c_cf.cf_maxconn;
	if (ctx->c_maxconn == 0) {
		/* haproxy: derived from the file limit, never unbounded */
		ctx->c_maxconn = limits_maxconn(ctx);
		log_info("maxconn %d, from the file limit (no maxconn set)",
		    ctx->c_maxconn);
	}
	ctx->c_hardmaxconn = ctx->c_maxconn;
	listen_resume_locked(ctx);
	return 0;
}
