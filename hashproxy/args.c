/* SPDX-License-Identifier: ISC */
/* hashproxy's command line (args.h). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "hatools.h"
#include "log.h"
#include "opt.h"
#include "strnum.h"
#include "usage.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: hashproxy [-cdhjVv] [-f FILE] [--control PATH] [--maxconn N]\n"
"                 [--hash consistent|map-based|rendezvous] [--user USER]\n"
"                 [--pidfile FILE] [--ready-fd N] [--drain-timeout DUR]\n"
"                 [--syslog] [--threads N] [--metrics ADDR:PORT]\n"
"                 [--lookup ADDR|- [--down SERVER]...]\n"
"  -f, --config FILE     haproxy.cfg to run (default " DEFAULT_CONFIG ");\n"
"                        several -f, or a directory's *.cfg, read as one\n"
"      --keywords        list haproxy's keywords and what hashproxy does\n"
"  -c, --check           check the config and exit (0 valid, 2 not)\n"
"      --control PATH    stats/control socket (overrides stats socket)\n"
"      --metrics ADDR:PORT  Prometheus metrics over HTTP (GET /metrics)\n"
"      --maxconn N       global connection limit (overrides maxconn)\n"
"      --hash TYPE       hash-type for every balance source backend\n"
"      --user USER       switch to USER after binding\n"
"      --pidfile FILE    write the pid to FILE\n"
"      --ready-fd N      write a newline to fd N when ready (s6)\n"
"      --drain-timeout D on SIGTERM wait at most D for connections (30s)\n"
"      --threads N       worker threads (overrides nbthread; default: CPUs)\n"
"      --lookup ADDR     print the server ADDR maps to and exit (- reads\n"
"                        addresses from stdin); --down SERVER marks one down\n"
"  -j, --json            event lines as JSON\n"
"      --syslog          log to syslog\n"
"  -v, --verbose         more log lines (-vv: debug)\n"
"  -V, --version         print the version\n"
"  -h, --help            this help\n");
}

enum { O_CONTROL = OPT_OWN, O_MAXCONN, O_HASH, O_DRAIN, O_LOOKUP, O_DOWN,
    O_THREADS, O_KEYWORDS };
static const struct option args_longopts[] = {
	{ "config", required_argument, NULL, 'f' },
	{ "check", no_argument, NULL, 'c' },
	{ "control", required_argument, NULL, O_CONTROL },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "maxconn", required_argument, NULL, O_MAXCONN },
	{ "hash", required_argument, NULL, O_HASH },
	{ "drain-timeout", required_argument, NULL, O_DRAIN },
	{ "lookup", required_argument, NULL, O_LOOKUP },
	{ "down", required_argument, NULL, O_DOWN },
	{ "threads", required_argument, NULL, O_THREADS },
	{ "keywords", no_argument, NULL, O_KEYWORDS },
	OPT_DAEMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* One option: -1 to go on, else the status to exit with. */
static int
args_one(int ch, char *arg, struct hp_ctx *ctx, struct hp_args *a)
{
	const char *errstr;

	switch (ch) {
	case 'f':
		if (ctx->c_npaths == HP_MAXPATHS)
			usage_error("-f: at most %d", HP_MAXPATHS);
		ctx->c_paths[ctx->c_npaths++] = arg;
		ctx->c_path = ctx->c_paths[0];
		break;
	case O_KEYWORDS:
		config_keywords(stdout);
		return EXIT_CLEAN;
	case 'c':
		ctx->c_check = 1;
		break;
	case O_CONTROL:
		ctx->c_control_opt = arg;
		break;
	case O_MAXCONN:
		ctx->c_maxconn_opt = (int)strnum(arg, 1, INT_MAX,
		    &errstr);
		if (errstr != NULL)
			usage_error("--maxconn \"%s\": should be a "
			    "positive number (%s)", arg, errstr);
		break;
	case O_HASH:
		ctx->c_hash_opt_set = 1;
		if (strcmp(arg, "consistent") == 0)
			ctx->c_hash_opt = HT_CONSISTENT;
		else if (strcmp(arg, "map-based") == 0)
			ctx->c_hash_opt = HT_MAP;
		else if (strcmp(arg, "rendezvous") == 0)
			ctx->c_hash_opt = HT_RENDEZVOUS;
		else
			usage_error("--hash \"%s\": should be consistent,"
			    " map-based or rendezvous", arg);
		break;
	case O_THREADS:
		ctx->c_threads_opt = (int)strnum(arg, 1,
		    HP_MAXTHREADS, &errstr);
		if (errstr != NULL)
			usage_error("--threads \"%s\": should be 1..%d "
			    "(%s)", arg, HP_MAXTHREADS, errstr);
		break;
	case O_DRAIN:
		ctx->c_drain_usec = opt_duration("drain-timeout", arg, 0);
		break;
	case O_LOOKUP:
		a->a_lookup = arg;
		break;
	case O_DOWN:
		if (a->a_ndown == MAX_DOWN)
			usage_error("--down: at most %d", MAX_DOWN);
		a->a_down[a->a_ndown++] = arg;
		break;
	default:	/* --metrics, --user, ...; or -h, -V, a bad one */
		if (!opt_daemon(ch, arg, &a->a_d))
			return usage_standard(ch, "hashproxy", usage);
	}
	return -1;
}

int
args_parse(int argc, char *argv[], struct hp_ctx *ctx, struct hp_args *a)
{
	int ch, rc;

	memset(ctx, 0, sizeof(*ctx));
	memset(a, 0, sizeof(*a));
	opt_daemon_init(&a->a_d);
	ctx->c_path = ctx->c_paths[0] = DEFAULT_CONFIG;
	ctx->c_drain_usec = 30000000;
	LIST_INIT(&ctx->c_listeners);
	LIST_INIT(&ctx->c_conns);
	while ((ch = getopt_long(argc, argv, "f:cjvVh", args_longopts,
	    NULL)) != -1)
		if ((rc = args_one(ch, optarg, ctx, a)) != -1)
			return rc;
	/* --metrics overrides the config's */
	ctx->c_metrics_opt = a->a_d.od_metrics;
	if (optind != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (ctx->c_npaths == 0)
		ctx->c_npaths = 1;	/* the default */
	return -1;
}
