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
#include "event.h"
#include "hatools.h"
#include "http.h"
#include "log.h"
#include "notify.h"
#include "report.h"
#include "sample.h"
#include "watch.h"

/* The second look at a standby that may be diverged (main_oneshot). */
#define PGW_RECHECK_MSEC	100

#define NAGIOS_UNKNOWN	3

enum { OPT_READYFD = 256, OPT_SYSLOG, OPT_PIDFILE };

static const struct option main_opts[] = {
	{ "connect-timeout",	required_argument, NULL, 'c' },
	{ "query-timeout",	required_argument, NULL, 't' },
	{ "expect",		required_argument, NULL, 'e' },
	{ "max-lag",		required_argument, NULL, 'l' },
	{ "warning-lag",	required_argument, NULL, 'W' },
	{ "min-free-connections", required_argument, NULL, 'f' },
	{ "require-streaming",	no_argument,	   NULL, 's' },
	{ "json",		no_argument,	   NULL, 'j' },
	{ "nagios",		no_argument,	   NULL, 'n' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "watch",		no_argument,	   NULL, 'w' },
	{ "interval",		required_argument, NULL, 'i' },
	{ "http",		required_argument, NULL, 'H' },
	{ "ready-fd",		required_argument, NULL, OPT_READYFD },
	{ "pidfile",		required_argument, NULL, OPT_PIDFILE },
	{ "syslog",		no_argument,	   NULL, OPT_SYSLOG },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int main_usage_code = EXIT_USAGE;

static void __attribute__((noreturn))
main_usage(FILE *f, int code)
{
	fprintf(f,
"usage: pgwatch [options] CONNINFO...\n"
"  -c, --connect-timeout DUR   per host connection deadline (2s)\n"
"  -t, --query-timeout DUR     per host query deadline (2s)\n"
"  -e, --expect ROLE[,ROLE..]  primary, standby or any; once for all hosts\n"
"                              or once per host in order\n"
"  -l, --max-lag SIZE|DUR      standby lag limit: 16MB (bytes) or 30s\n"
"  -W, --warning-lag SIZE|DUR  --nagios: WARNING past this lag\n"
"  -f, --min-free-connections N  free non-superuser slots per host\n"
"  -s, --require-streaming     standbys must stream from a primary\n"
"  -j, --json                  JSON lines\n"
"  -n, --nagios                one monitoring-plugin line with perfdata\n"
"  -q, --quiet                 no lines, exit status only\n"
"  -w, --watch                 keep watching, one line per change\n"
"  -i, --interval DUR          --watch period (1s)\n"
"  -H, --http [ADDR:]PORT      Patroni health endpoints (implies --watch)\n"
"      --ready-fd N            write a newline to fd N once ready\n"
"      --pidfile FILE          --watch: write the pid, removed at SIGTERM\n"
"      --syslog                diagnostics to syslog\n"
"  -v, --verbose  -h, --help  -V, --version\n"
"exit: 0 conditions hold, 1 they do not, 2 split brain or usage error\n");
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

static void
main_oneshot_done(struct host *h, void *arg)
{
	struct pgw *p = arg;

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

/* Every host at once: their samples in s. */
static void
main_sample(struct pgw *p, struct sample *s)
{
	int i;

	p->p_pending = p->p_nhosts;
	for (i = 0; i < p->p_nhosts; i++) {
		p->p_hosts[i].h_done = main_oneshot_done;
		p->p_hosts[i].h_arg = p;
	}
	for (i = 0; i < p->p_nhosts; i++)
		conn_sample(&p->p_hosts[i]);
	if (p->p_pending > 0)
		event_base_dispatch(p->p_base);
	for (i = 0; i < p->p_nhosts; i++)
		s[i] = p->p_hosts[i].h_sample;
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
	char kv[700], line[4096];
	struct timespec again = { 0, PGW_RECHECK_MSEC * 1000000L };
	uint64_t t0 = mono_usec();
	int i, rc;

	main_sample(p, s);
	if (report_unsure(s, p->p_nhosts)) {
		nanosleep(&again, NULL);
		main_sample(p, s);
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
		report_kv(&s[i], &v[i], kv, sizeof(kv));
		event_emit(report_word(&s[i]), names[i], "%s", kv);
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
main_watch(struct pgw *p, const char *listen, const char *pidfile)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGUSR1, SIGHUP };
	struct event *ev[5];
	char addr[256], err[160];
	uint64_t wd = notify_watchdog_usec();
	uint16_t port;
	size_t i;

	if (listen) {
		if (args_listen(listen, addr, sizeof(addr), &port, err,
		    sizeof(err)) == -1)
			main_bad("--http %s", err);
		if (http_start(p, addr, port) == -1)
			return EXIT_RUNTIME;
	}
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
	if (pidfile && pidfile_write(pidfile) == -1) {
		log_warn("--pidfile %s", pidfile);
		return EXIT_RUNTIME;
	}
	if (watch_start(p) == -1)
		fatalx(EXIT_RUNTIME, "watch: out of memory");
	event_base_dispatch(p->p_base);
	/* A clean stop (SIGTERM, SIGINT): nothing runs under that pid now. */
	if (pidfile && unlink(pidfile) == -1 && errno != ENOENT)
		log_warn("--pidfile %s: cannot remove", pidfile);
	return EXIT_CLEAN;
}

int
main(int argc, char *argv[])
{
	struct pgw p;
	struct host *hosts;
	const char *listen = NULL, *pidfile = NULL;
	uint64_t connect_to = 2000000, query_to = 2000000;
	char err[256];
	int c, i, json = 0, nagios = 0, syslog_ = 0, pw, rc;

	memset(&p, 0, sizeof(p));
	p.p_cond.c_min_free = -1;
	p.p_interval = 1000000;
	p.p_readyfd = -1;
	log_init(argv[0], 0);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--nagios") == 0 ||
		    strcmp(argv[i], "-n") == 0)
			main_usage_code = NAGIOS_UNKNOWN;
	while ((c = getopt_long(argc, argv, "c:t:e:l:W:f:sjnqwi:H:vhV",
	    main_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			connect_to = main_duration("connect-timeout", optarg);
			break;
		case 't':
			query_to = main_duration("query-timeout", optarg);
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
		case 'w':
			p.p_watch = 1;
			break;
		case 'i':
			p.p_interval = main_duration("interval", optarg);
			break;
		case 'H':
			listen = optarg;
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
		case 'v':
			log_setverbose(log_getverbose() + 1);
			break;
		case 'h':
			main_usage(stdout, EXIT_CLEAN);
		case 'V':
			ht_version("pgwatch");
			exit(EXIT_CLEAN);
		default:
			main_usage(stderr, main_usage_code);
		}
	}
	argc -= optind;
	argv += optind;
	if (syslog_)
		log_init("pgwatch", 1);
	if (argc < 1)
		main_bad("no CONNINFO given (see pgwatch -h)");
	if (argc > PGW_MAXHOSTS)
		main_bad("%d hosts; at most %d", argc, PGW_MAXHOSTS);
	if (p.p_cond.c_nexpect > 1 && p.p_cond.c_nexpect != argc)
		main_bad("--expect: %d roles for %d hosts; give one for all"
		    " or one per host", p.p_cond.c_nexpect, argc);
	if (!nagios && (p.p_cond.c_warn.l_bytes_set ||
	    p.p_cond.c_warn.l_usec_set))
		main_bad("--warning-lag only with --nagios");
	if (pidfile && !p.p_watch)
		main_bad("--pidfile only with --watch or --http");
	if (nagios && p.p_watch)
		main_bad("--nagios is a one-shot check; not with --watch");
	event_init(json);
	signal(SIGPIPE, SIG_IGN);
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
		hosts[i].h_connect_to = connect_to;
		hosts[i].h_query_to = query_to;
		if (pw)
			log_warnx("%s: password on the command line is visible"
			    " to every user (ps); put it in ~/.pgpass or the"
			    " file PGPASSFILE names", hosts[i].h_name);
	}
	rc = p.p_watch ? main_watch(&p, listen, pidfile) : main_oneshot(&p, nagios);
	for (i = 0; i < argc; i++)
		conn_free(&hosts[i]);
	if (p.p_tick)
		event_free(p.p_tick);
	if (p.p_reader)
		event_free(p.p_reader);
	if (p.p_http)
		evhttp_free(p.p_http);
	free(hosts);
	event_base_free(p.p_base);
	return rc;
}
