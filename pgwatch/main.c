/* SPDX-License-Identifier: ISC */
/*
 * pgwatch: is this PostgreSQL primary/standby pair healthy?  Options, then
 * either one round (check mode: lines, exit code) or the watch loop.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/http.h>

#include "args.h"
#include "atomicfile.h"
#include "pgconn.h"
#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "options.h"
#include "plugin.h"
#include "promhttp.h"
#include "report.h"
#include "sample.h"
#include "signals.h"
#include "usage.h"
#include "user.h"
#include "rounds.h"

/* The second look at a standby that may be diverged (main_oneshot). */
#define PGW_RECHECK_MSEC	100

static void
main_oneshot_done(struct host *h, void *arg)
{
	struct pgw *p = arg;

	p->p_inround[h->h_idx] = 0;
	if (--p->p_pending == 0)
		event_base_loopbreak(p->p_base);
}

/* The check word "timeline" is terse; say once what it usually means. */
static void
main_diverged(const struct pgw *p, const struct sample *s,
    const struct verdict *v)
{
	uint32_t tli = 0;
	int i;

	for (i = 0; i < p->p_nhosts; i++)
		if (s[i].s_up && s[i].s_role == ROLE_PRIMARY)
			tli = s[i].s_tli;
	for (i = 0; i < p->p_nhosts; i++)
		if (v[i].v_diverged)
			log_warnx("%s: standby on timeline %u, primary on %u,"
			    " WAL receiver %s: it does not follow the primary"
			    " (rejoined without pg_rewind?)",
			    p->p_hosts[i].h_name, s[i].s_tli, tli, s[i].s_wal);
}

/* -t/--timeout expired: the hosts still out are given up. */
static void
main_expired(evutil_socket_t fd, short what, void *arg)
{
	struct pgw *p = arg;

	p->p_timedout = 1;
	event_base_loopbreak(p->p_base);
}

/* Every host at once: their samples in s. */
static void
main_sample(struct pgw *p, struct sample *s)
{
	int i;

	p->p_pending = p->p_nhosts;
	for (i = 0; i < p->p_nhosts; i++) {
		p->p_hosts[i].h_done = main_oneshot_done;
		p->p_hosts[i].h_arg = p;
		p->p_inround[i] = 1;
	}
	for (i = 0; i < p->p_nhosts && !p->p_timedout; i++)
		conn_sample(&p->p_hosts[i]);
	if (p->p_pending > 0 && !p->p_timedout)
		event_base_dispatch(p->p_base);
	for (i = 0; i < p->p_nhosts; i++) {
		if (p->p_inround[i]) {
			conn_close(&p->p_hosts[i]);
			sample_down(&p->p_hosts[i].h_sample, "timeout",
			    "no answer within -t/--timeout");
		}
		s[i] = p->p_hosts[i].h_sample;
	}
}

/*
 * One round: every host at once, then one line each.  A standby behind
 * the primary's timeline that says it streams is asked again a little
 * later (all hosts are, to keep the lines of one moment): a diverged one,
 * whose WAL receiver is restarted every wal_retrieve_retry_interval, says
 * so only for the moment before the primary refuses it, while one
 * catching up with a promotion still streams, or has switched.
 */
static int
main_oneshot(struct pgw *p, int nagios)
{
	struct sample s[PGW_MAXHOSTS];
	struct verdict v[PGW_MAXHOSTS];
	const char *names[PGW_MAXHOSTS];
	char line[4096];
	struct evline el;
	struct timespec again = { 0, PGW_RECHECK_MSEC * 1000000L };
	struct event *expiry = NULL;
	struct timeval tv;
	uint64_t t0 = mono_usec();
	int i, rc;

	if (p->p_timeout) {
		tv = duration_tv(p->p_timeout);
		if ((expiry = evtimer_new(p->p_base, main_expired, p)) == NULL ||
		    evtimer_add(expiry, &tv) == -1)
			fatalx(EXIT_RUNTIME, "--timeout: out of memory");
	}
	main_sample(p, s);
	if (report_unsure(s, p->p_nhosts) && !p->p_timedout) {
		nanosleep(&again, NULL);
		main_sample(p, s);
	}
	if (expiry)
		event_free(expiry);
	if (p->p_timedout && nagios) {
		char d[32];

		/* The monitoring plugins' way: the state -t names, alone */
		if (!p->p_quiet)
			printf("PGWATCH %s: no answer within %s (-t/--timeout)"
			    "\n", plugin_state[p->p_timeout_state],
			    duration_format(p->p_timeout, d, sizeof(d)));
		return p->p_timeout_state;
	}
	for (i = 0; i < p->p_nhosts; i++)
		names[i] = p->p_hosts[i].h_name;
	rc = report_judge(s, NULL, p->p_nhosts, &p->p_cond, v);
	if (rc == 2)
		log_warnx("split brain: more than one primary");
	main_diverged(p, s, v);
	if (nagios) {
		rc = report_nagios(names, s, v, p->p_nhosts, &p->p_cond,
		    (double)(mono_usec() - t0) / 1e6, line, sizeof(line));
		if (!p->p_quiet)
			printf("%s\n", line);
		return rc;
	}
	for (i = 0; i < p->p_nhosts && !p->p_quiet; i++) {
		evline_begin(&el, report_word(&s[i]), names[i]);
		report_fields(&el, &s[i], &v[i]);
		evline_emit(&el);
	}
	return rc;
}

static void
main_signal(evutil_socket_t sig, short what, void *arg)
{
	struct pgw *p = arg;

	switch (sig) {
	case SIGINT:
	case SIGTERM:
		notify_stopping();
		event_base_loopbreak(p->p_base);
		break;
	case SIGUSR1:
		watch_dump(p);
		break;
	case SIGHUP:
		log_info("SIGHUP: nothing to reload (options only)");
		break;
	}
}

static void
main_watchdog(evutil_socket_t fd, short what, void *arg)
{
	notify_watchdog();
}

static int
main_watch(struct pgw *p, const char *listen, const char *metrics,
    const char *pidfile)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGUSR1, SIGHUP, 0 };
	struct signals sg;
	struct event *dog = NULL;
	char addr[256], err[160];
	uint64_t wd = notify_watchdog_usec();
	uint16_t port;
	int rc = EXIT_RUNTIME;

	if (listen) {
		if (args_listen(listen, addr, sizeof(addr), &port, err,
		    sizeof(err)) == -1)
			usage_error("--http %s", err);
		if (http_start(p, addr, port) == -1)
			return EXIT_RUNTIME;
	}
	if (metrics && metrics_start(p, metrics) == -1)
		return EXIT_RUNTIME;
	if (signals_set(&sg, p->p_base, sigs, main_signal, p) == -1)
		fatalx(EXIT_RUNTIME, "signal events: out of memory");
	if (wd) {
		struct timeval tv = duration_tv(wd / 2);

		dog = event_new(p->p_base, -1, EV_PERSIST, main_watchdog, p);
		if (dog == NULL || event_add(dog, &tv) == -1)
			fatalx(EXIT_RUNTIME, "watchdog: out of memory");
	}
	/* every port is bound: no privilege is needed from here on */
	if (user_drop(p->p_user) == -1)
		goto out;
	if (pidfile && pidfile_write(pidfile) == -1) {
		log_warn("--pidfile %s", pidfile);
		goto out;
	}
	if (watch_start(p) == -1)
		fatalx(EXIT_RUNTIME, "watch: out of memory");
	event_base_dispatch(p->p_base);
	/* A clean stop (SIGTERM, SIGINT): nothing runs under that pid now. */
	if (pidfile && unlink(pidfile) == -1 && errno != ENOENT)
		log_warn("--pidfile %s: cannot remove", pidfile);
	rc = EXIT_CLEAN;
out:
	signals_clear(&sg);
	if (dog != NULL)
		event_free(dog);
	return rc;
}

/* The hosts, each with its deadlines: no one step outlasts -t. */
static struct host *
main_hosts(struct pgw *p, const struct pgw_opts *o)
{
	struct host *hosts;
	char err[256];
	int i, pw;

	if ((hosts = calloc((size_t)o->o_nhosts, sizeof(*hosts))) == NULL)
		fatal(EXIT_RUNTIME, "calloc");
	p->p_hosts = hosts;
	p->p_nhosts = o->o_nhosts;
	for (i = 0; i < o->o_nhosts; i++) {
		if (conn_init(&hosts[i], p->p_base, o->o_conninfo[i], &pw, err,
		    sizeof(err)) == -1)
			usage_error("CONNINFO %d: %s", i + 1, err);
		hosts[i].h_idx = i;
		hosts[i].h_connect_to = p->p_timeout &&
		    p->p_timeout < o->o_connect_to ? p->p_timeout :
		    o->o_connect_to;
		hosts[i].h_query_to = p->p_timeout &&
		    p->p_timeout < o->o_query_to ? p->p_timeout : o->o_query_to;
		if (pw)
			log_warnx("%s: password on the command line is visible"
			    " to every user (ps); put it in ~/.pgpass or the"
			    " file PGPASSFILE names", hosts[i].h_name);
	}
	return hosts;
}

int
main(int argc, char *argv[])
{
	struct pgw p;
	struct pgw_opts o;
	struct host *hosts;
	int i, rc;

	memset(&p, 0, sizeof(p));
	log_init(argv[0], 0);
	options_parse(&p, &o, argc, argv);
	evline_init(o.o_json);
	signals_ignore();
	/* a check binds nothing: no privilege at all (--watch: main_watch) */
	if (!p.p_watch && user_drop(p.p_user) == -1)
		exit(EXIT_RUNTIME);
	if ((p.p_base = event_base_new()) == NULL)
		fatalx(EXIT_RUNTIME, "event_base_new failed");
	hosts = main_hosts(&p, &o);
	rc = p.p_watch ? main_watch(&p, o.o_listen, o.o_metrics,
	    o.o_pidfile) : main_oneshot(&p, o.o_nagios);
	for (i = 0; i < p.p_nhosts; i++)
		conn_free(&hosts[i]);
	if (p.p_tick)
		event_free(p.p_tick);
	if (p.p_reader)
		event_free(p.p_reader);
	http_stop(&p);
	metrics_stop(&p);
	free(hosts);
	options_free(&o);
	event_base_free(p.p_base);
	return rc;
}
