/* SPDX-License-Identifier: ISC */
/*
 * hashproxy: a source-hash TCP proxy that runs haproxy.cfg's
 * frontend/backend part.  Options -> config (all errors, then exit) ->
 * bind -> drop privileges -> signals -> ready -> loop (relayd's main()).
 */
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
#include "evline.h"
#include "hatools.h"
#include "log.h"
#include "notify.h"
#include "priv.h"
#include "promhttp.h"
#include "signals.h"
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

/*
 * SIGHUP.  Reading and resolving the file runs without the lock (workers
 * go on proxying meanwhile); the swap itself holds it.
 */
static void
main_reload(struct hp_ctx *ctx)
{
	struct cf_config ncf;
	struct evline el;
	int rc;

	thread_lock(ctx);
	log_info("reloading %s", ctx->c_path);
	thread_unlock(ctx);
	notify_send("RELOADING=1");
	rc = main_load(ctx, &ncf);
	thread_lock(ctx);
	if (rc != -1) {
		if (ncf.cf_nbthread != ctx->c_cf.cf_nbthread &&
		    !ctx->c_threads_opt)
			log_warnx("%s: nbthread changes at the next start, not "
			    "at a reload (%d threads running)", ctx->c_path,
			    ctx->c_nw);
		if ((rc = hp_apply(ctx, &ncf)) == -1)
			config_free(&ncf);
	}
	if (rc == -1)
		log_warnx("reload failed; the running configuration stays");
	else {
		ctx->c_nreloads++;
		log_info("reloaded %s", ctx->c_path);
	}
	evline_begin(&el, "reload", NULL);
	evline_str(&el, "result", rc == -1 ? "failed" : "ok");
	evline_emit(&el);
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

int
main(int argc, char *argv[])
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, 0 };
	struct hp_ctx ctx;
	struct cf_config cf;
	struct signals sigev;
	struct hp_args a;
	const char *user;
	char errbuf[256];
	int rc, nthreads;
	size_t i;

	log_init("hashproxy", 0);
	if ((rc = args_parse(argc, argv, &ctx, &a)) != -1)
		return rc;
	opt_daemon_log(&a.a_d, "hashproxy");
	signals_ignore();

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
		rc = lookup_run(&ctx, a.a_lookup, a.a_down, a.a_ndown, &dst);
		return rc;
	}
	if (hp_apply(&ctx, &cf) == -1) {
		config_free(&cf);
		return EXIT_RUNTIME;
	}
	if (limits_fit(&ctx) == -1)
		return EXIT_RUNTIME;
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
	user = a.a_d.od_user;
	if (user == NULL && ctx.c_cf.cf_user[0] != '\0')
		user = ctx.c_cf.cf_user;
	if (priv_drop(user, NULL, 0) == -1)
		return EXIT_RUNTIME;
	if (a.a_d.od_pidfile != NULL && pidfile_write(a.a_d.od_pidfile) == -1) {
		log_warn("%s", a.a_d.od_pidfile);
		return EXIT_RUNTIME;
	}
	if (signals_set(&sigev, ctx.c_base, sigs, main_signal, &ctx) == -1)
		fatalx(EXIT_RUNTIME, "cannot install signal handlers");
	if (thread_start(&ctx) == -1)
		return EXIT_RUNTIME;
	thread_lock(&ctx);
	log_info("ready: %d frontend%s, %d backend%s, %d thread%s", ctx.c_nfe,
	    ctx.c_nfe == 1 ? "" : "s", ctx.c_nbe, ctx.c_nbe == 1 ? "" : "s",
	    ctx.c_nw, ctx.c_nw == 1 ? "" : "s");
	thread_unlock(&ctx);
	notify_status("proxying");
	notify_ready(a.a_d.od_readyfd);

	/* loop phase */
	if (event_base_loop(ctx.c_base, EVLOOP_NO_EXIT_ON_EMPTY) == -1)
		fatalx(EXIT_RUNTIME, "event loop failed");
	thread_stop(&ctx);
	dns_free(&ctx);
	stats_close(&ctx);
	promhttp_close(ctx.c_metrics);
	if (a.a_d.od_pidfile != NULL)
		unlink(a.a_d.od_pidfile);
	log_info("stopped");
	return EXIT_CLEAN;
}
