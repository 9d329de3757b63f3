/* SPDX-License-Identifier: ISC */
/*
 * hashproxy: a source-hash TCP proxy that runs haproxy.cfg's
 * frontend/backend part.  Options -> config (all errors, then exit) ->
 * bind -> drop privileges -> signals -> ready -> loop (relayd's main()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "atomicfile.h"
#include "duration.h"
#include "event.h"
#include "hatools.h"
#include "log.h"
#include "notify.h"
#include "priv.h"
#include "promhttp.h"
#include "strnum.h"
#include "hashproxy.h"
#include "stats.h"


static void
main_diag(void *arg, enum cf_level lvl, const char *msg)
{
	if (lvl == CF_ERROR)
		log_warnx("error: %s", msg);
	else if (lvl == CF_WARNING)
		log_warnx("warning: %s", msg);
	else
		log_notice("notice: %s", msg);
}

/* haproxy's default nbthread: the CPUs this process may run on. */
static int
main_ncpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > HP_MAXTHREADS ? HP_MAXTHREADS : (int)n;
}

/* Parses, applies command-line overrides and resolves; 0 or -1. */
static int
main_load(struct hp_ctx *ctx, struct cf_config *cf)
{
	char err[512];
	int i, nerr;

	/* several -f: one configuration, as haproxy reads them */
	nerr = config_load_paths(ctx->c_paths, ctx->c_npaths, cf, main_diag,
	    NULL);
	if (nerr == -1)
		return -1;	/* the path is named already */
	if (nerr > 0) {
		log_warnx("%s: %d error%s", ctx->c_path, nerr,
		    nerr == 1 ? "" : "s");
		config_free(cf);
		return -1;
	}
	limits_warn_timeouts(ctx->c_path, cf);
	for (i = 0; ctx->c_hash_opt_set && i < cf->cf_nbackends; i++)
		cf->cf_backends[i].be_hashtype = ctx->c_hash_opt;
	if (resolve_config(cf, err, sizeof(err)) == -1) {
		log_warnx("error: %s", err);
		config_free(cf);
		return -1;
	}
	return 0;
}

static int
main_same_addr(const struct cf_addr *a, const struct cf_addr *b)
{
	return a->ca_sslen == b->ca_sslen &&
	    memcmp(&a->ca_ss, &b->ca_ss, a->ca_sslen) == 0;
}

/* Marks a's listeners (one per worker) with mark; how many there are. */
static int
main_mark_listeners(struct hp_ctx *ctx, const struct cf_addr *a, int mark)
{
	struct hp_listener *l;
	int n = 0;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry)
		if (main_same_addr(&l->l_addr, a)) {
			l->l_mark = mark;
			n++;
		}
	return n;
}

/* Gives a's listeners to fe. */
static void
main_assign_listeners(struct hp_ctx *ctx, const struct cf_addr *a,
    struct hp_frontend *fe)
{
	struct hp_listener *l;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry)
		if (main_same_addr(&l->l_addr, a)) {
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
main_bind(struct hp_ctx *ctx, struct cf_config *ncf)
{
	struct hp_listener *l;
	int i, j, k, fail = 0;

	LIST_FOREACH(l, &ctx->c_listeners, l_entry)
		l->l_mark = 0;
	for (i = 0; i < ncf->cf_nfrontends && !fail; i++)
		for (j = 0; j < ncf->cf_frontends[i].fe_nbinds && !fail; j++) {
			struct cf_addr *a = &ncf->cf_frontends[i].fe_binds[j];

			if (main_mark_listeners(ctx, a, 1) > 0)
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
main_retire_checks(struct hp_backend *old)
{
	int i;

	for (i = 0; i < old->b_nsrv; i++)
		if (old->b_srv[i] != NULL)
			check_stop(old->b_srv[i]);
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

	if (main_bind(ctx, ncf) == -1)
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

		if ((nfe[i] = calloc(1, sizeof(**nfe))) == NULL)
			fatalx(EXIT_RUNTIME, "out of memory");
		nfe[i]->f_refs = 1;
		snprintf(nfe[i]->f_name, sizeof(nfe[i]->f_name), "%s",
		    cfe->fe_name);
		nfe[i]->f_maxconn = cfe->fe_maxconn;
		nfe[i]->f_tclient = cfe->fe_tclient;
		nfe[i]->f_tclientfin = cfe->fe_tclientfin;
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
				nfe[i]->f_max = ctx->c_fe[j]->f_max;
				nfe[i]->f_bin = HP_READ(ctx->c_fe[j]->f_bin);
				nfe[i]->f_bout = HP_READ(ctx->c_fe[j]->f_bout);
				nfe[i]->f_dcon = ctx->c_fe[j]->f_dcon;
				nfe[i]->f_dses = ctx->c_fe[j]->f_dses;
				nfe[i]->f_dreq = ctx->c_fe[j]->f_dreq;
			}
		for (j = 0; j < cfe->fe_nbinds; j++)
			main_assign_listeners(ctx, &cfe->fe_binds[j], nfe[i]);
	}
	listen_close_locked(ctx, 1);
	for (i = 0; i < ctx->c_nfe; i++)
		frontend_unref_locked(ctx->c_fe[i]);
	for (i = 0; i < ctx->c_nbe; i++) {
		main_retire_checks(ctx->c_be[i]);
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
	listen_resume_locked(ctx);
	return 0;
}

/*
 * SIGHUP.  Reading and resolving the file runs without the lock (workers
 * go on proxying meanwhile); the swap itself holds it.
 */
static void
main_reload(struct hp_ctx *ctx)
{
	struct cf_config ncf;
	int rc;

	thread_lock(ctx);
	log_info("reloading %s", ctx->c_path);
	thread_unlock(ctx);
	notify_send("RELOADING=1");
	rc = main_load(ctx, &ncf);
	thread_lock(ctx);
	if (rc == -1) {
		log_warnx("reload failed; the running configuration stays");
		event_emit("reload", NULL, "result=failed");
		notify_send("READY=1");
		thread_unlock(ctx);
		return;
	}
	if (ncf.cf_nbthread != ctx->c_cf.cf_nbthread && !ctx->c_threads_opt)
		log_warnx("%s: nbthread changes at the next start, not at a "
		    "reload (%d threads running)", ctx->c_path, ctx->c_nw);
	if (hp_apply(ctx, &ncf) == -1) {
		config_free(&ncf);
		log_warnx("reload failed; the running configuration stays");
		event_emit("reload", NULL, "result=failed");
		notify_send("READY=1");
		thread_unlock(ctx);
		return;
	}
	ctx->c_nreloads++;
	log_info("reloaded %s", ctx->c_path);
	event_emit("reload", NULL, "result=ok");
	notify_send("READY=1");
	thread_unlock(ctx);
}

static void
main_drain_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct hp_ctx *ctx = arg;

	thread_lock(ctx);
	log_info("drain timeout: closing %d connection%s", ctx->c_cur,
	    ctx->c_cur == 1 ? "" : "s");
	thread_loopexit(ctx);
	thread_unlock(ctx);
}

static void
main_stop(struct hp_ctx *ctx)
{
	struct timeval tv = duration_tv(ctx->c_drain_usec);

	if (ctx->c_draining)
		return;
	ctx->c_draining = 1;
	notify_stopping();
	/* stop accepting: close the listening sockets (haproxy soft-stop) */
	listen_close_locked(ctx, 0);
	log_info("stopping: draining %d connection%s", ctx->c_cur,
	    ctx->c_cur == 1 ? "" : "s");
	if (ctx->c_cur == 0) {
		thread_loopexit(ctx);
		return;
	}
	ctx->c_drain_timer = evtimer_new(ctx->c_base, main_drain_timeout, ctx);
	if (ctx->c_drain_timer == NULL)
		thread_loopexit(ctx);
	else
		evtimer_add(ctx->c_drain_timer, &tv);
}

/* SIGUSR1: the state an operator asks for first, one log line each. */
static void
main_dump(struct hp_ctx *ctx)
{
	int i, j;

	log_info("state: %d connection%s, %llu total, %d reload%s%s",
	    ctx->c_cur, ctx->c_cur == 1 ? "" : "s",
	    (unsigned long long)ctx->c_tot, ctx->c_nreloads,
	    ctx->c_nreloads == 1 ? "" : "s", ctx->c_draining ?
	    ", draining" : "");
	for (i = 0; i < ctx->c_nfe; i++) {
		struct hp_frontend *fe = ctx->c_fe[i];

		log_info("frontend %s cur=%d max=%d tot=%llu backend=%s",
		    fe->f_name, fe->f_cur, fe->f_max,
		    (unsigned long long)fe->f_tot, fe->f_be != NULL ?
		    fe->f_be->b_cf.be_name : "-");
	}
	for (i = 0; i < ctx->c_nbe; i++) {
		struct hp_backend *be = ctx->c_be[i];

		log_info("backend %s cur=%d tot=%llu candidates=%d",
		    be->b_cf.be_name, be->b_cur,
		    (unsigned long long)be->b_tot, be->b_ncands);
		for (j = 0; j < be->b_nsrv; j++) {
			struct hp_server *s = be->b_srv[j];

			if (s == NULL)
				continue;
			log_info("server %s/%s %s cur=%d tot=%llu queue=%d "
			    "econ=%llu check=%s", be->b_cf.be_name,
			    s->s_cf.sv_name, server_status(s), s->s_cur,
			    (unsigned long long)s->s_tot, s->s_qcur,
			    (unsigned long long)s->s_econ,
			    s->s_chk_status[0] ? s->s_chk_status : "-");
		}
	}
}

static void
main_signal(evutil_socket_t sig, short what, void *arg)
{
	struct hp_ctx *ctx = arg;

	switch (sig) {
	case SIGHUP:
		/* safe: runs inside the loop, not in a handler */
		if (!ctx->c_draining)
			main_reload(ctx);
		break;
	case SIGUSR1:
		thread_lock(ctx);
		main_dump(ctx);
		thread_unlock(ctx);
		break;
	default:
		thread_lock(ctx);
		main_stop(ctx);
		thread_unlock(ctx);
		break;
	}
}

/* --down: marks each named server down in every backend that has it. */
static int
main_lookup_down(struct hp_ctx *ctx, char **down, int ndown)
{
	int i, j, k, found;

	for (i = 0; i < ndown; i++) {
		found = 0;
		for (j = 0; j < ctx->c_nbe; j++)
			for (k = 0; k < ctx->c_be[j]->b_nsrv; k++)
				if (strcmp(ctx->c_be[j]->b_srv[k]->s_cf.sv_name,
				    down[i]) == 0) {
					server_set_op_quiet(
					    ctx->c_be[j]->b_srv[k], SRV_DOWN);
					found = 1;
				}
		if (!found) {
			log_warnx("--down %s: no such server", down[i]);
			return EXIT_USAGE;
		}
	}
	for (j = 0; j < ctx->c_nbe; j++)
		if (backend_rebuild(ctx->c_be[j]) == -1)
			return EXIT_RUNTIME;
	return EXIT_CLEAN;
}

/*
 * --lookup: which server each address maps to, every server up.  The
 * first frontend's rules run for a client from the address (port 0) to
 * its first bind address; "-" when they reject it or no backend takes it.
 */
static int
main_lookup(struct hp_ctx *ctx, const char *arg, char **down, int ndown,
    const struct sockaddr_storage *dst)
{
	struct hp_frontend *fe;
	char line[256];
	int rc;

	if (ctx->c_nfe == 0)
		return EXIT_USAGE;
	fe = ctx->c_fe[0];
	if ((rc = main_lookup_down(ctx, down, ndown)) != EXIT_CLEAN)
		return rc;
	for (;;) {
		struct sockaddr_storage ss;
		struct hp_backend *be;
		struct hp_server *s;
		const char *a = arg;

		memset(&ss, 0, sizeof(ss));
		if (strcmp(arg, "-") == 0) {
			if (fgets(line, sizeof(line), stdin) == NULL)
				break;
			line[strcspn(line, "\r\n")] = '\0';
			a = line;
		}
		if (inet_pton(AF_INET, a, &((struct sockaddr_in *)&ss)->
		    sin_addr) == 1)
			ss.ss_family = AF_INET;
		else if (inet_pton(AF_INET6, a, &((struct sockaddr_in6 *)&ss)->
		    sin6_addr) == 1)
			ss.ss_family = AF_INET6;
		else {
			log_warnx("--lookup \"%s\": not an IP address", a);
			return EXIT_USAGE;
		}
		s = NULL;
		if (rules_lookup(fe, (struct sockaddr *)&ss,
		    dst->ss_family ? (const struct sockaddr *)dst : NULL,
		    &be) == RULES_PASS && be != NULL)
			s = backend_pick(be, (struct sockaddr *)&ss, NULL);
		printf("%s %s\n", a, s ? s->s_cf.sv_name : "-");
		if (strcmp(arg, "-") != 0)
			break;
	}
	fflush(stdout);
	return EXIT_CLEAN;
}

int
main(int argc, char *argv[])
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	struct hp_ctx ctx;
	struct cf_config cf;
	struct event *sigev[4];
	struct hp_args a;
	const char *user;
	char errbuf[256];
	int rc, nthreads;
	size_t i;

	log_init("hashproxy", 0);
	if ((rc = args_parse(argc, argv, &ctx, &a)) != -1)
		return rc;
	log_init("hashproxy", a.a_syslog);
	log_setverbose(a.a_verbose);
	event_init(a.a_json);
	signal(SIGPIPE, SIG_IGN);

	/* init phase: any failure ends the program */
	limits_raise_nofile();
	if (main_load(&ctx, &cf) == -1)
		return EXIT_USAGE;
	if (ctx.c_check) {
		printf("Configuration file is valid\n");
		config_free(&cf);
		return EXIT_CLEAN;
	}
	nthreads = ctx.c_threads_opt ? ctx.c_threads_opt : cf.cf_nbthread ?
	    cf.cf_nbthread : main_ncpus();
	if (thread_init(&ctx, a.a_lookup != NULL ? 1 : nthreads,
	    listen_worker_kick_locked) == -1)
		fatalx(EXIT_RUNTIME, "cannot set up the event loops");
	ctx.c_start = mono_usec();
	if (a.a_lookup != NULL) {
		struct sockaddr_storage dst;

		/* the rules' destination: the first frontend's first bind */
		memset(&dst, 0, sizeof(dst));
		if (cf.cf_nfrontends > 0 && cf.cf_frontends[0].fe_nbinds > 0)
			dst = cf.cf_frontends[0].fe_binds[0].ca_ss;
		/* no listeners: build the objects only */
		for (i = 0; i < (size_t)cf.cf_nfrontends; i++)
			cf.cf_frontends[i].fe_nbinds = 0;
		if (hp_apply(&ctx, &cf) == -1)
			return EXIT_RUNTIME;
		rc = main_lookup(&ctx, a.a_lookup, a.a_down, a.a_ndown, &dst);
		return rc;
	}
	if (hp_apply(&ctx, &cf) == -1) {
		config_free(&cf);
		return EXIT_RUNTIME;
	}
	if (stats_open(&ctx) == -1)
		return EXIT_RUNTIME;
	if (ctx.c_metrics_opt != NULL && (ctx.c_metrics = promhttp_open(
	    ctx.c_base, ctx.c_metrics_opt, metrics_http, &ctx, errbuf,
	    sizeof(errbuf))) == NULL) {
		log_warnx("--metrics %s", errbuf);
		return EXIT_RUNTIME;
	}
	/*
	 * Everything privileged is done: keep no capability.  hp_apply took
	 * cf over: the config's user is ctx's now.
	 */
	user = a.a_user;
	if (user == NULL && ctx.c_cf.cf_user[0] != '\0')
		user = ctx.c_cf.cf_user;
	if (priv_drop(user, NULL, 0) == -1)
		return EXIT_RUNTIME;
	if (a.a_pidfile != NULL && pidfile_write(a.a_pidfile) == -1) {
		log_warn("%s", a.a_pidfile);
		return EXIT_RUNTIME;
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigev[i] = evsignal_new(ctx.c_base, sigs[i], main_signal, &ctx);
		if (sigev[i] == NULL || evsignal_add(sigev[i], NULL) == -1)
			fatalx(EXIT_RUNTIME, "cannot install signal handlers");
	}
	if (thread_start(&ctx) == -1)
		return EXIT_RUNTIME;
	thread_lock(&ctx);
	log_info("ready: %d frontend%s, %d backend%s, %d thread%s", ctx.c_nfe,
	    ctx.c_nfe == 1 ? "" : "s", ctx.c_nbe, ctx.c_nbe == 1 ? "" : "s",
	    ctx.c_nw, ctx.c_nw == 1 ? "" : "s");
	thread_unlock(&ctx);
	notify_status("proxying");
	notify_ready(a.a_readyfd);

	/* loop phase */
	if (event_base_loop(ctx.c_base, EVLOOP_NO_EXIT_ON_EMPTY) == -1)
		fatalx(EXIT_RUNTIME, "event loop failed");
	thread_stop(&ctx);
	dns_free(&ctx);
	stats_close(&ctx);
	promhttp_close(ctx.c_metrics);
	if (a.a_pidfile != NULL)
		unlink(a.a_pidfile);
	log_info("stopped");
	return EXIT_CLEAN;
}
