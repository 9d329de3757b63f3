/* SPDX-License-Identifier: ISC */
/*
 * pgwatch's command line: every option checked before any connection; a
 * bad one is a usage error, 64 (sysexits), or the plugin's UNKNOWN line
 * and 3 once --nagios is anywhere among the options (before "--").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "hatools.h"
#include "log.h"
#include "notify.h"
#include "opt.h"
#include "options.h"
#include "plugin.h"
#include "usage.h"

/* sysexits' EX_USAGE: a script tells it from split brain (2). */
#define PGW_EXIT_USAGE	64

enum {
	OPT_CONNECT = OPT_OWN, OPT_QUERY, OPT_WATCH, OPT_HTTP, OPT_DBNAME,
	OPT_DBUSER
};

/*
 * The short letters are the monitoring plugins' (-w -c -t -H -p), the
 * same in every mode; the options they once named are long only.
 */
static const struct option options_long[] = {
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
	{ "nagios",		no_argument,	   NULL, 'n' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "watch",		no_argument,	   NULL, OPT_WATCH },
	{ "interval",		required_argument, NULL, 'i' },
	{ "http",		required_argument, NULL, OPT_HTTP },
	{ "metrics",		required_argument, NULL, OPT_METRICS },
	OPT_DAEMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int options_plugin;	/* --nagios seen: usage errors say UNKNOWN */

static void
options_usage(FILE *f)
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
}

static void
options_list(struct list *l, const char *opt, const char *arg)
{
	const char *p = arg, *e;
	size_t n;

	for (;;) {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0)
			usage_error("--%s \"%s\": an empty item", opt, arg);
		if (l->l_n >= PGW_MAXHOSTS)
			usage_error("--%s: more than %d", opt, PGW_MAXHOSTS);
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
options_targets(struct targets *t, int argc, char **argv, char ***argvp)
{
	const char *kv[] = { "dbname", t->t_dbname, "user", t->t_dbuser,
	    "host", NULL, "port", NULL, NULL };
	char buf[2048], err[160];
	int i, n = t->t_hosts.l_n ? t->t_hosts.l_n : 1;

	if (argc > 1)
		usage_error("with -H/--hostname, -p/--port, --dbname or --dbuser,"
		    " give at most one CONNINFO (the settings every host"
		    " shares)");
	if (t->t_ports.l_n > 1 && t->t_ports.l_n != n)
		usage_error("--port: %d ports for %d hosts; give one for all or"
		    " one per host", t->t_ports.l_n, n);
	for (i = 0; i < n; i++) {
		kv[5] = t->t_hosts.l_n ? t->t_hosts.l_v[i] : NULL;
		kv[7] = t->t_ports.l_n ?
		    t->t_ports.l_v[t->t_ports.l_n > 1 ? i : 0] : NULL;
		if (args_conninfo(argc == 1 ? argv[0] : "", kv, buf,
		    sizeof(buf), err, sizeof(err)) == -1)
			usage_error("%s", err);
		if ((t->t_info[i] = strdup(buf)) == NULL)
			fatal(EXIT_RUNTIME, "strdup");
		t->t_ninfo++;
	}
	*argvp = t->t_info;
	return n;
}

void
options_free(struct pgw_opts *o)
{
	struct targets *t = &o->o_t;
	int i;

	for (i = 0; i < t->t_hosts.l_n; i++)
		free(t->t_hosts.l_v[i]);
	for (i = 0; i < t->t_ports.l_n; i++)
		free(t->t_ports.l_v[i]);
	for (i = 0; i < t->t_ninfo; i++)
		free(t->t_info[i]);
}

/* The conditions a check holds the hosts to, and its deadline. */
static void
options_cond(struct pgw *p, int c, const char *arg)
{
	struct lagmax *lag;	/* -c, -l: critical; -w, -W: warning */
	char err[256];

	switch (c) {
	case 't':
		if (plugin_timeout(arg, &p->p_timeout, &p->p_timeout_state,
		    err, sizeof(err)) == -1)
			usage_error("--timeout %s", err);
		break;
	case 'c':
	case 'l':
	case 'w':
	case 'W':
		lag = c == 'c' || c == 'l' ? &p->p_cond.c_lag :
		    &p->p_cond.c_warn;
		if (args_lag(arg, lag, err, sizeof(err)))
			usage_error("--%s %s", usage_optname(options_long, c),
			    err);
		break;
	case 'e':
		if (args_expect(arg, &p->p_cond, err, sizeof(err)))
			usage_error("--expect %s", err);
		break;
	case 'f':
		if (args_count(arg, &p->p_cond.c_min_free, err, sizeof(err)))
			usage_error("--min-free-connections %s", err);
		break;
	case 's':
		p->p_cond.c_streaming = 1;
		break;
	}
}

/* --pidfile, --user: "" is an unset variable in a script, not a name. */
static const char *
options_name(const char *opt, const char *what, const char *arg)
{
	if (*arg == '\0')
		usage_error("--%s: empty %s name", opt, what);
	return arg;
}

/* How it runs: output, --watch and its sockets, the process. */
static void
options_run(struct pgw *p, struct pgw_opts *o, int c, char *arg)
{
	switch (c) {
	case 'j':
		o->o_json = 1;
		break;
	case 'n':
		o->o_nagios = 1;
		break;
	case 'q':
		p->p_quiet = 1;
		break;
	case OPT_WATCH:
		p->p_watch = 1;
		break;
	case 'i':
		p->p_interval = opt_duration("interval", arg, 1);
		break;
	case OPT_HTTP:
		o->o_listen = arg;
		p->p_watch = 1;
		break;
	case OPT_METRICS:
		opt_metrics(arg);
		o->o_metrics = arg;
		p->p_watch = 1;
		break;
	case OPT_READYFD:
		if ((p->p_readyfd = notify_readyfd_parse(arg)) == -1)
			usage_error("--ready-fd %s: not an open fd >= 3", arg);
		break;
	case OPT_PIDFILE:
		o->o_pidfile = options_name("pidfile", "file", arg);
		break;
	case OPT_SYSLOG:
		o->o_syslog = 1;
		break;
	case OPT_USER:
		p->p_user = options_name("user", "user", arg);
		break;
	}
}

static void
options_one(struct pgw *p, struct pgw_opts *o, int c, char *arg)
{
	switch (c) {
	case OPT_CONNECT:
		o->o_connect_to = opt_duration("connect-timeout", arg, 1);
		break;
	case OPT_QUERY:
		o->o_query_to = opt_duration("query-timeout", arg, 1);
		break;
	case 'H':
		options_list(&o->o_t.t_hosts, "hostname", arg);
		break;
	case 'p':
		options_list(&o->o_t.t_ports, "port", arg);
		break;
	case OPT_DBNAME:
		o->o_t.t_dbname = arg;
		break;
	case OPT_DBUSER:
		o->o_t.t_dbuser = arg;
		break;
	case 't': case 'c': case 'w': case 'e': case 'l': case 'W': case 'f':
	case 's':
		options_cond(p, c, arg);
		break;
	case 'j': case 'n': case 'q': case 'i': case OPT_WATCH: case OPT_HTTP:
	case OPT_METRICS: case OPT_READYFD: case OPT_PIDFILE: case OPT_SYSLOG:
	case OPT_USER:
		options_run(p, o, c, arg);
		break;
	case 'v':
		log_setverbose(log_getverbose() + 1);
		break;
	case 'h':
	case 'V':
		exit(usage_standard(c, "pgwatch", options_usage));
	default:
		if (options_plugin)
			usage_error("a bad option (see pgwatch -h)");
		exit(usage_standard(c, "pgwatch", options_usage));
	}
}

/* The options that go together, and those that do not. */
static void
options_check(const struct pgw *p, const struct pgw_opts *o, int nhosts)
{
	if (nhosts < 1)
		usage_error("no CONNINFO given (see pgwatch -h)");
	if (nhosts > PGW_MAXHOSTS)
		usage_error("%d hosts; at most %d", nhosts, PGW_MAXHOSTS);
	if (p->p_cond.c_nexpect > 1 && p->p_cond.c_nexpect != nhosts)
		usage_error("--expect: %d roles for %d hosts; give one for all"
		    " or one per host", p->p_cond.c_nexpect, nhosts);
	if (!o->o_nagios && (p->p_cond.c_warn.l_bytes_set ||
	    p->p_cond.c_warn.l_secs_set))
		usage_error("-w/--warning only with --nagios (a check has no"
		    " warning state; -c/--critical fails it)");
	if (p->p_timeout && p->p_watch)
		usage_error("-t/--timeout bounds a one-shot check; not with"
		    " --watch");
	if (o->o_pidfile && !p->p_watch)
		usage_error("--pidfile only with --watch, --http or --metrics");
	if (o->o_nagios && p->p_watch)
		usage_error("--nagios is a one-shot check; not with --watch");
}

void
options_parse(struct pgw *p, struct pgw_opts *o, int argc, char **argv)
{
	struct targets *t = &o->o_t;
	int c, i;

	memset(o, 0, sizeof(*o));
	o->o_connect_to = o->o_query_to = 2000000;
	p->p_cond.c_min_free = -1;
	p->p_interval = 1000000;
	p->p_readyfd = -1;
	usage_setup(PGW_EXIT_USAGE, NULL);
	/* getopt reads no option past "--": neither may the look-ahead */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--nagios") == 0 ||
		    strcmp(argv[i], "-n") == 0) {
			options_plugin = 1;
			usage_setup(PLUGIN_UNKNOWN, "PGWATCH UNKNOWN: ");
		}
	while ((c = getopt_long(argc, argv, "c:w:t:H:p:e:l:W:f:sjnqi:vhV",
	    options_long, NULL)) != -1)
		options_one(p, o, c, optarg);
	argc -= optind;
	argv += optind;
	if (o->o_syslog)
		log_init("pgwatch", 1);
	if (t->t_hosts.l_n || t->t_ports.l_n || t->t_dbname || t->t_dbuser)
		argc = options_targets(t, argc, argv, &argv);
	options_check(p, o, argc);
	o->o_conninfo = argv;
	o->o_nhosts = argc;
}
