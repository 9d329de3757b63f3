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
#include "conn.h"
#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "plugin.h"
#include "promhttp.h"
#include "report.h"
#include "sample.h"
#include "user.h"
#include "watch.h"

/* The second look at a standby that may be diverged (main_oneshot). */
#define PGW_RECHECK_MSEC	100

/* sysexits' EX_USAGE: a script tells it from split brain (2). */
#define PGW_EXIT_USAGE	64

enum {
	OPT_READYFD = 256, OPT_SYSLOG, OPT_PIDFILE, OPT_CONNECT, OPT_QUERY,
	OPT_WATCH, OPT_HTTP, OPT_DBNAME, OPT_DBUSER, OPT_METRICS
};

/* --user (user.c), apart: the list above grows with other options */
enum { OPT_USER = 512 };

/*
 * The short letters are the monitoring plugins' (-w -c -t -H -p), the
 * same in every mode; the options they once named are long only.
 */
static const struct option main_opts[] = {
	{ "connect-timeout",	required_argument, NULL, OPT_CONNECT },
	{ "query-timeout",	required_argument, NULL, OPT_QUERY },
	{ "timeout",		required_argument, NULL, 't' },
	{ "hostname",		required_argument, NULL, 'H' },
	{ "port",		required_argument, NULL, 'p' },
	{ "dbname",		required_argument, NULL, OPT_DBNAME },
	{ "dbuser",		required_argument, NULL, OPT_DBUSER },
	{ "expect",		required_argument, NULL, 'e' },
	{ "critical",		required_argument, NULL, 'c' },
	{ "warning",		required_argument, NULL, 'w' },
	{ "max-lag",		required_argument, NULL, 'l' },
	{ "warning-lag",	required_argument, NULL, 'W' },
	{ "min-free-connections", required_argument, NULL, 'f' },
	{ "require-streaming",	no_argument,	   NULL, 's' },
	{ "json",		no_argument,	   NULL, 'j' },
	{ "nagios",		no_argument,	   NULL, 'n' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "watch",		no_argument,	   NULL, OPT_WATCH },
	{ "interval",		required_argument, NULL, 'i' },
	{ "http",		required_argument, NULL, OPT_HTTP },
	{ "metrics",		required_argument, NULL, OPT_METRICS },
	{ "ready-fd",		required_argument, NULL, OPT_READYFD },
	{ "pidfile",		required_argument, NULL, OPT_PIDFILE },
	{ "syslog",		no_argument,	   NULL, OPT_SYSLOG },
	{ "user",		required_argument, NULL, OPT_USER },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int main_usage_code = PGW_EXIT_USAGE;

static void __attribute__((noreturn))
main_usage(FILE *f, int code)
{
	fprintf(f,
"usage: pgwatch [options] CONNINFO...\n"
"       pgwatch [options] -H HOST[,HOST..] [-p PORT[,PORT..]] [CONNINFO]\n"
"  -H, --hostname HOST[,HOST..] hosts, each with CONNINFO's other settings\n"
"  -p, --port PORT[,PORT..]    one port for all hosts or one per host\n"
"      --dbname NAME, --dbuser NAME   settings for every host\n"
"  -t, --timeout DUR[:STATE]   whole check deadline; --nagios: UNKNOWN then\n"
"      --connect-timeout DUR   per host connection deadline (2s)\n"
"      --query-timeout DUR     per host query deadline (2s)\n"
"  -e, --expect ROLE[,ROLE..]  primary, standby or any; once for all hosts\n"
"                              or once per host in order\n"
"  -c, --critical RANGE        standby lag limit: 16MB, 30s, ~:1GB, '1MB and\n"
"                              2min' (--max-lag, -l: the same)\n"
"  -w, --warning RANGE         --nagios: WARNING past this lag (-W the same)\n"
"  -f, --min-free-connections N  free non-superuser slots per host\n"
"  -s, --require-streaming     standbys must stream from a primary\n"
"  -j, --json                  JSON lines\n"
"  -n, --nagios                one monitoring-plugin line with perfdata\n"
"  -q, --quiet                 no lines, exit status only\n"
"      --watch                 keep watching, one line per change\n"
"  -i, --interval DUR          --watch period (1s)\n"
"      --http [ADDR:]PORT      Patroni health endpoints and /metrics\n"
"                              (implies --watch)\n"
"      --metrics ADDR:PORT     Prometheus /metrics alone (implies --watch)\n"
"      --ready-fd N            write a newline to fd N once ready\n"
"      --pidfile FILE          --watch: write the pid, removed at SIGTERM\n"
"      --syslog                diagnostics to syslog\n"
"      --user USER             run as USER once --http is bound\n"
"  -v, --verbose  -h, --help  -V, --version\n"
"exit: 0 conditions hold, 1 they do not, 2 split brain, 64 usage error;\n"
"      --nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n");
	exit(code);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
main_bad(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A plugin's one line goes to stdout, where the monitor reads it */
	if (main_usage_code == PLUGIN_UNKNOWN)
		printf("PGWATCH UNKNOWN: %s\n", msg);
	log_warnx("%s", msg);
	exit(main_usage_code);
}

static uint64_t
main_duration(const char *opt, const char *arg)
{
	uint64_t v;

	if (duration_parse(arg, &v) == -1 || v == 0)
		main_bad("--%s \"%s\": not a duration", opt, arg);
	return v;
}

/* -H, -p: comma lists, also given more than once. */
struct list {
	char	*l_v[PGW_MAXHOSTS];
	int	 l_n;
};

struct targets {
	struct list	 t_hosts;
	struct list	 t_ports;
	const char	*t_dbname;
	const char	*t_dbuser;
	char		*t_info[PGW_MAXHOSTS];	/* the conninfos made */
	int		 t_ninfo;
};

static void
main_list(struct list *l, const char *opt, const char *arg)
{
	const char *p = arg, *e;
	size_t n;

	for (;;) {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0)
			main_bad("--%s \"%s\": an empty item", opt, arg);
		if (l->l_n >= PGW_MAXHOSTS)
			main_bad("--%s: more than %d", opt, PGW_MAXHOSTS);
		if ((l->l_v[l->l_n] = strndup(p, n)) == NULL)
			fatal(EXIT_RUNTIME, "strndup");
		l->l_n++;
		if (e == NULL)
			return;
		p = e + 1;
	}
}

/*
 * The plugin way of naming hosts: -H, -p, --dbname, --dbuser, applied to
 * the one CONNINFO given (or none), one conninfo per host.  Returns the
 * number of hosts, *argvp pointing at their conninfos.
 */
static int
main_targets(struct targets *t, int argc, char **argv, char ***argvp)
{
	const char *kv[] = { "dbname", t->t_dbname, "user", t->t_dbuser,
	    "host", NULL, "port", NULL, NULL };
	char buf[2048], err[160];
	int i, n = t->t_hosts.l_n ? t->t_hosts.l_n : 1;

	if (argc > 1)
		main_bad("with -H/--hostname, -p/--port, --dbname or --dbuser,"
		    " give at most one CONNINFO (the settings every host"
		    " shares)");
	if (t->t_ports.l_n > 1 && t->t_ports.l_n != n)
		main_bad("--port: %d ports for %d hosts; give one for all or"
		    " one per host", t->t_ports.l_n, n);
	for (i = 0; i < n; i++) {
		kv[5] = t->t_hosts.l_n ? t->t_hosts.l_v[i] : NULL;
		kv[7] = t->t_ports.l_n ?
		    t->t_ports.l_v[t->t_ports.l_n > 1 ? i : 0] : NULL;
		if (args_conninfo(argc == 1 ? argv[0] : "", kv, buf,
		    sizeof(buf), err, sizeof(err)) == -1)
			main_bad("%s", err);
		if ((t->t_info[i] = strdup(buf)) == NULL)
			fatal(EXIT_RUNTIME, "strdup");
		t->t_ninfo++;
	}
	*argvp = t->t_info;
	return n;
}

static void
main_targets_free(struct targets *t)
{
	int i;

	for (i = 0; i < t->t_hosts.l_n; i++)
		free(t->t_hosts.l_v[i]);
	for (i = 0; i < t->t_ports.l_n; i++)
		free(t->t_ports.l_v[i]);
	for (i = 0; i < t->t_ninfo; i++)
		free(t->t_info[i]);
}

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
	static const int sigs[] = { SIGINT, SIGTERM, SIGUSR1, SIGHUP };
	struct event *ev[5] = { NULL };
	char addr[256], err[160];
	uint64_t wd = notify_watchdog_usec();
	uint16_t port;
	size_t i;
	int rc = EXIT_RUNTIME;

	if (listen) {
		if (args_listen(listen, addr, sizeof(addr), &port, err,
		    sizeof(err)) == -1)
			main_bad("--http %s", err);
		if (http_start(p, addr, port) == -1)
			return EXIT_RUNTIME;
	}
	if (metrics && metrics_start(p, metrics) == -1)
		return EXIT_RUNTIME;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		ev[i] = evsignal_new(p->p_base, sigs[i], main_signal, p);
		if (ev[i] == NULL || event_add(ev[i], NULL) == -1)
			fatalx(EXIT_RUNTIME, "signal events: out of memory");
	}
	if (wd) {
		struct timeval tv = duration_tv(wd / 2);

		ev[4] = event_new(p->p_base, -1, EV_PERSIST, main_watchdog, p);
		if (ev[4] == NULL || event_add(ev[4], &tv) == -1)
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
	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		if (ev[i] != NULL)
			event_free(ev[i]);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct pgw p;
	struct targets t;
	struct host *hosts;
	const char *listen = NULL, *pidfile = NULL, *metrics = NULL;
	struct sockaddr_storage ss;	/* --metrics, checked */
	socklen_t sslen;
	uint64_t connect_to = 2000000, query_to = 2000000;
	char err[256];
	int c, i, json = 0, nagios = 0, syslog_ = 0, pw, rc;

	memset(&p, 0, sizeof(p));
	memset(&t, 0, sizeof(t));
	p.p_cond.c_min_free = -1;
	p.p_interval = 1000000;
	p.p_readyfd = -1;
	log_init(argv[0], 0);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--nagios") == 0 ||
		    strcmp(argv[i], "-n") == 0)
			main_usage_code = PLUGIN_UNKNOWN;
	while ((c = getopt_long(argc, argv, "c:w:t:H:p:e:l:W:f:sjnqi:vhV",
	    main_opts, NULL)) != -1) {
		switch (c) {
		case OPT_CONNECT:
			connect_to = main_duration("connect-timeout", optarg);
			break;
		case OPT_QUERY:
			query_to = main_duration("query-timeout", optarg);
			break;
		case 't':
			if (plugin_timeout(optarg, &p.p_timeout,
			    &p.p_timeout_state, err, sizeof(err)) == -1)
				main_bad("--timeout %s", err);
			break;
		case 'H':
			main_list(&t.t_hosts, "hostname", optarg);
			break;
		case 'p':
			main_list(&t.t_ports, "port", optarg);
			break;
		case OPT_DBNAME:
			t.t_dbname = optarg;
			break;
		case OPT_DBUSER:
			t.t_dbuser = optarg;
			break;
		case 'c':
			if (args_lag(optarg, &p.p_cond.c_lag, err, sizeof(err)))
				main_bad("--critical %s", err);
			break;
		case 'w':
			if (args_lag(optarg, &p.p_cond.c_warn, err,
			    sizeof(err)))
				main_bad("--warning %s", err);
			break;
		case 'e':
			if (args_expect(optarg, &p.p_cond, err, sizeof(err)))
				main_bad("--expect %s", err);
			break;
		case 'l':
			if (args_lag(optarg, &p.p_cond.c_lag, err, sizeof(err)))
				main_bad("--max-lag %s", err);
			break;
		case 'W':
			if (args_lag(optarg, &p.p_cond.c_warn, err,
			    sizeof(err)))
				main_bad("--warning-lag %s", err);
			break;
		case 'f':
			if (args_count(optarg, &p.p_cond.c_min_free, err,
			    sizeof(err)))
				main_bad("--min-free-connections %s", err);
			break;
		case 's':
			p.p_cond.c_streaming = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'n':
			nagios = 1;
			break;
		case 'q':
			p.p_quiet = 1;
			break;
		case OPT_WATCH:
			p.p_watch = 1;
			break;
		case 'i':
			p.p_interval = main_duration("interval", optarg);
			break;
		case OPT_HTTP:
			listen = optarg;
			p.p_watch = 1;
			break;
		case OPT_METRICS:
			if (promhttp_addr(optarg, &ss, &sslen, err,
			    sizeof(err)) == -1)
				main_bad("--metrics %s", err);
			metrics = optarg;
			p.p_watch = 1;
			break;
		case OPT_READYFD:
			if ((p.p_readyfd = notify_readyfd_parse(optarg)) == -1)
				main_bad("--ready-fd %s: not an open fd >= 3",
				    optarg);
			break;
		case OPT_PIDFILE:
			if (*optarg == '\0')
				main_bad("--pidfile: empty file name");
			pidfile = optarg;
			break;
		case OPT_SYSLOG:
			syslog_ = 1;
			break;
		case OPT_USER:
			if (*optarg == '\0')
				main_bad("--user: empty user name");
			p.p_user = optarg;
			break;
		case 'v':
			log_setverbose(log_getverbose() + 1);
			break;
		case 'h':
			main_usage(stdout, EXIT_CLEAN);
		case 'V':
			ht_version("pgwatch");
			exit(EXIT_CLEAN);
		default:
			if (main_usage_code == PLUGIN_UNKNOWN)
				main_bad("a bad option (see pgwatch -h)");
			main_usage(stderr, main_usage_code);
		}
	}
	argc -= optind;
	argv += optind;
	if (syslog_)
		log_init("pgwatch", 1);
	if (t.t_hosts.l_n || t.t_ports.l_n || t.t_dbname || t.t_dbuser)
		argc = main_targets(&t, argc, argv, &argv);
	if (argc < 1)
		main_bad("no CONNINFO given (see pgwatch -h)");
	if (argc > PGW_MAXHOSTS)
		main_bad("%d hosts; at most %d", argc, PGW_MAXHOSTS);
	if (p.p_cond.c_nexpect > 1 && p.p_cond.c_nexpect != argc)
		main_bad("--expect: %d roles for %d hosts; give one for all"
		    " or one per host", p.p_cond.c_nexpect, argc);
	if (!nagios && (p.p_cond.c_warn.l_bytes_set ||
	    p.p_cond.c_warn.l_secs_set))
		main_bad("-w/--warning only with --nagios (a check has no"
		    " warning state; -c/--critical fails it)");
	if (p.p_timeout && p.p_watch)
		main_bad("-t/--timeout bounds a one-shot check; not with"
		    " --watch");
	if (pidfile && !p.p_watch)
		main_bad("--pidfile only with --watch or --http");
	if (nagios && p.p_watch)
		main_bad("--nagios is a one-shot check; not with --watch");
	evline_init(json);
	signal(SIGPIPE, SIG_IGN);
	/* a check binds nothing: no privilege at all (--watch: main_watch) */
	if (!p.p_watch && user_drop(p.p_user) == -1)
		exit(EXIT_RUNTIME);
	if ((p.p_base = event_base_new()) == NULL)
		fatalx(EXIT_RUNTIME, "event_base_new failed");
	if ((hosts = calloc((size_t)argc, sizeof(*hosts))) == NULL)
		fatal(EXIT_RUNTIME, "calloc");
	p.p_hosts = hosts;
	p.p_nhosts = argc;
	for (i = 0; i < argc; i++) {
		if (conn_init(&hosts[i], p.p_base, argv[i], &pw, err,
		    sizeof(err)) == -1)
			main_bad("CONNINFO %d: %s", i + 1, err);
		hosts[i].h_idx = i;
		/* No one step may outlast the whole check's deadline */
		hosts[i].h_connect_to = p.p_timeout && p.p_timeout < connect_to ?
		    p.p_timeout : connect_to;
		hosts[i].h_query_to = p.p_timeout && p.p_timeout < query_to ?
		    p.p_timeout : query_to;
		if (pw)
			log_warnx("%s: password on the command line is visible"
			    " to every user (ps); put it in ~/.pgpass or the"
			    " file PGPASSFILE names", hosts[i].h_name);
	}
	rc = p.p_watch ? main_watch(&p, listen, metrics, pidfile) :
	    main_oneshot(&p, nagios);
	for (i = 0; i < argc; i++)
		conn_free(&hosts[i]);
	if (p.p_tick)
		event_free(p.p_tick);
	if (p.p_reader)
		event_free(p.p_reader);
	http_stop(&p);
	metrics_stop(&p);
	free(hosts);
	main_targets_free(&t);
	event_base_free(p.p_base);
	return rc;
}
