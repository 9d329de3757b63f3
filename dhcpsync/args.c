/* SPDX-License-Identifier: ISC */
/* dhcpsync's command line (args.h). */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dhcpsync.h"
#include "hatools.h"
#include "log.h"
#include "oneshot.h"
#include "opt.h"
#include "strnum.h"
#include "usage.h"

void
args_usage(FILE *f)
{
	fprintf(f,
"usage: dhcpsync [options] --leases FILE [--peer CMD | --listen PATH |\n"
"                --connect PATH]\n"
"       dhcpsync wait-synced [options] --leases FILE ...\n"
"       dhcpsync send [options] FILE    (the stream on stdout, one way)\n"
"       dhcpsync recv [options] FILE    (the stream from stdin, one way)\n"
"       dhcpsync convert [--to dhcpd|kea] [--subnet-id N] IN [OUT]\n"
"       dhcpsync check FILE\n"
"  -l, --leases FILE     the local server's lease file (dhcpd.leases, or\n"
"                        Kea's kea-leases4.csv: then --kea-socket too)\n"
"  -s, --state PATH      resume points (default FILE.dhcpsync)\n"
"  -p, --peer CMD        run CMD (sh -c) and speak over its stdin/stdout\n"
"      --listen PATH     accept the peer on a Unix socket\n"
"      --connect PATH    connect to the peer's Unix socket\n"
"                        (none of the three: speak on stdin/stdout)\n"
"  -r, --retry DUR       wait before reconnecting, or writing again after\n"
"                        the disk refused (default 1s)\n"
"  -t, --timeout DUR     wait-synced: give up after DUR (exit 1)\n"
"      --hello-timeout DUR  wait-synced: give up (exit 1) when the peer\n"
"                        has not answered within DUR\n"
"  -c, --control PATH    control socket (status, show metrics)\n"
"      --metrics ADDR:PORT  Prometheus metrics over HTTP (/metrics)\n"
"      --kea-socket PATH also apply the peer's leases to a running Kea\n"
"                        (lease_cmds hook); Kea picks each lease's subnet\n"
"      --subnet-id N     Kea: put every lease in subnet N (convert: the\n"
"                        subnet_id column, default 1)\n"
"      --max-skew DUR    a peer's cltt beyond now + DUR is clamped\n"
"                        (default 60s)\n"
"      --max-leases N    hold at most N addresses (default 1000000)\n"
"      --subnet CIDR     accept the peer's leases only in CIDR\n"
"                        (repeatable)\n"
"      --subnets-from FILE  ... only in FILE's (dhcpd.conf) subnets\n"
"  -j, --json            event lines as JSON\n"
"      --ready-fd N      write a newline to fd N when ready\n"
"      --pidfile PATH    write our pid to PATH\n"
"  -u, --user USER       run as USER (the lease file's owner) after set-up\n"
"      --syslog          log to syslog instead of stderr\n"
"  -v, --verbose         more log lines\n"
"  -h, --help            this text\n"
"  -V, --version         print the version\n");
}

#define MAX_LEASES_DEFAULT	1000000
#define MAX_LEASES_MAX		100000000

enum { O_LISTEN = OPT_OWN, O_CONNECT, O_HELLO_TIMEOUT, O_TO, O_SUBNET_ID,
    O_KEA_SOCKET, O_MAX_SKEW, O_MAX_LEASES, O_SUBNET, O_SUBNETS_FROM };
static const struct option args_longopts[] = {
	{ "leases",	required_argument, NULL, 'l' },
	{ "state",	required_argument, NULL, 's' },
	{ "peer",	required_argument, NULL, 'p' },
	{ "listen",	required_argument, NULL, O_LISTEN },
	{ "connect",	required_argument, NULL, O_CONNECT },
	{ "retry",	required_argument, NULL, 'r' },
	{ "timeout",	required_argument, NULL, 't' },
	{ "hello-timeout", required_argument, NULL, O_HELLO_TIMEOUT },
	{ "control",	required_argument, NULL, 'c' },
	{ "metrics",	required_argument, NULL, OPT_METRICS },
	{ "to",		required_argument, NULL, O_TO },
	{ "subnet-id",	required_argument, NULL, O_SUBNET_ID },
	{ "kea-socket",	required_argument, NULL, O_KEA_SOCKET },
	{ "max-skew",	required_argument, NULL, O_MAX_SKEW },
	{ "max-leases",	required_argument, NULL, O_MAX_LEASES },
	{ "subnet",	required_argument, NULL, O_SUBNET },
	{ "subnets-from", required_argument, NULL, O_SUBNETS_FROM },
	OPT_DAEMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* A whole number min..max (strnum: "12abc" is none). */
static long long
args_number(const char *name, const char *arg, long long max)
{
	const char *errstr;
	long long v;

	v = strnum(arg, 1, max, &errstr);
	if (errstr != NULL)
		usage_error("--%s \"%s\": not a number 1..%lld (%s)", name,
		    arg, max, errstr);
	return v;
}

/* The options that check their value (a bad one: usage_error). */
static void
args_value(int ch, const char *arg, struct ds *ds, struct ds_args *a)
{
	char err[256];

	switch (ch) {
	case 'r':
		ds->ds_retry_usec = opt_duration("retry", arg, 0);
		break;
	case 't':
		ds->ds_timeout_usec = opt_duration("timeout", arg, 0);
		break;
	case O_HELLO_TIMEOUT:	/* 0 would never wait */
		ds->ds_hello_usec = opt_duration("hello-timeout", arg, 1);
		break;
	case O_MAX_SKEW:
		ds->ds_max_skew = (int64_t)(opt_duration("max-skew", arg, 0) /
		    1000000);
		break;
	case O_MAX_LEASES:
		ds->ds_max_leases = (size_t)args_number("max-leases", arg,
		    MAX_LEASES_MAX);
		break;
	case O_SUBNET_ID:
		a->a_subnet = (uint32_t)args_number("subnet-id", arg,
		    UINT32_MAX);
		break;
	case O_SUBNET:
		if (subnets_add_cidr(&ds->ds_subnets, arg, err,
		    sizeof(err)) == -1)
			usage_error("--subnet %s", err);
		break;
	}
}

/* One option: -1 to go on, else the status to exit with. */
static int
args_one(int ch, char *arg, struct ds *ds, struct ds_args *a)
{
	switch (ch) {
	case 'l': ds->ds_leases = arg; break;
	case 's': a->a_state = arg; break;
	case 'p': ds->ds_peercmd = arg; break;
	case O_LISTEN: ds->ds_listen = arg; break;
	case O_CONNECT: ds->ds_connect = arg; break;
	case 'c': ds->ds_control = arg; break;
	case O_TO: a->a_to = arg; break;
	case O_KEA_SOCKET: ds->ds_kea = arg; break;
	case 'u': case OPT_USER: ds->ds_user = arg; break;
	case O_SUBNETS_FROM: a->a_subnets_file = arg; break;
	case 'r': case 't': case O_HELLO_TIMEOUT: case O_MAX_SKEW:
	case O_MAX_LEASES: case O_SUBNET_ID: case O_SUBNET:
		args_value(ch, arg, ds, a);
		break;
	default:	/* --metrics, --pidfile, ...; or -h, -V, a bad one */
		if (!opt_daemon(ch, arg, &a->a_d))
			return usage_standard(ch, "dhcpsync", args_usage);
	}
	return -1;
}

int
args_parse(int argc, char *argv[], struct ds *ds, struct ds_args *a)
{
	struct follower *fo = &ds->ds_follow;
	int ch, rc;

	memset(a, 0, sizeof(*a));
	opt_daemon_init(&a->a_d);
	ds->ds_retry_usec = 1000000;
	ds->ds_max_skew = 60;
	ds->ds_max_leases = MAX_LEASES_DEFAULT;
	fo->fo_lfd = fo->fo_ifd = -1;
	if (argc > 1 && argv[1][0] != '-') {
		a->a_cmd = argv[1];
		argv++;
		argc--;
	}
	while ((ch = getopt_long(argc, argv, "l:s:p:r:t:c:u:jvhV",
	    args_longopts, NULL)) != -1)
		if ((rc = args_one(ch, optarg, ds, a)) != -1)
			return rc;
	ds->ds_metrics_addr = a->a_d.od_metrics;
	ds->ds_readyfd = a->a_d.od_readyfd;
	a->a_argc = argc - optind;
	a->a_argv = argv + optind;
	if (a->a_to && strcmp(a->a_to, "kea") != 0 &&
	    strcmp(a->a_to, "dhcpd") != 0)
		usage_error("--to \"%s\": should be dhcpd or kea", a->a_to);
	return -1;
}

static void
subnets_warn(void *arg, const char *msg)
{
	log_warnx("%s", msg);
}

/* --subnets-from FILE: every subnet declaration of a dhcpd.conf. */
static int
subnets_from(struct ds *ds, const char *path)
{
	char err[512], *buf;
	size_t len;
	int n;

	if ((buf = oneshot_slurp(path, &len)) == NULL) {
		log_warn("--subnets-from %s", path);
		return -1;
	}
	n = subnets_parse_conf(&ds->ds_subnets, buf, len, path, subnets_warn,
	    NULL, err, sizeof(err));
	free(buf);
	if (n == -1)
		log_warnx("%s", err);
	else if (n == 0)
		log_warnx("%s: no subnet declarations: every peer lease "
		    "would be refused", path);
	else
		log_info("%s: %d subnet(s) accepted from the peer", path, n);
	return n > 0 ? 0 : -1;
}

/*
 * The local server's format: Kea's by a ".csv" name or a Kea header in
 * the file, dhcpd's otherwise (an empty or missing dhcpd.leases).
 */
static int
leases_format_of(const char *path)
{
	size_t n = strlen(path);
	char head[8];
	FILE *f;

	if (n > 4 && strcmp(path + n - 4, ".csv") == 0)
		return DS_FMT_KEA;
	if ((f = fopen(path, "re")) == NULL)
		return DS_FMT_DHCPD;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return oneshot_is_kea(head, n) ? DS_FMT_KEA : DS_FMT_DHCPD;
}

/*
 * send FILE, recv FILE: the file is the argument (or --leases); the link
 * is the pipe we are in, so the other links and a state file make no
 * sense here.
 */
static void
oneway_args(struct ds *ds, const char *statep, int argc, char **argv)
{
	const char *cmd = ds->ds_mode == DS_SEND ? "send" : "recv";

	if (argc > 1 || (argc == 1) == (ds->ds_leases != NULL))
		usage_error("%s: one lease file, please", cmd);
	if (argc == 1)
		ds->ds_leases = argv[0];
	if (ds->ds_peercmd || ds->ds_listen || ds->ds_connect || statep)
		usage_error("%s runs in a pipe: no --peer, --listen, "
		    "--connect or --state", cmd);
}

/* The command, and the lease file (--leases or send's and recv's). */
static void
args_command(struct ds *ds, struct ds_args *a)
{
	const char *cmd = a->a_cmd;

	if (cmd && strcmp(cmd, "wait-synced") == 0)
		ds->ds_once = 1;
	else if (cmd && (strcmp(cmd, "send") == 0 || strcmp(cmd, "recv") == 0)) {
		ds->ds_mode = cmd[0] == 's' ? DS_SEND : DS_RECV;
		oneway_args(ds, a->a_state, a->a_argc, a->a_argv);
		a->a_argc = 0;
	} else if (cmd)
		usage_error("unknown command \"%s\"", cmd);
	if (a->a_argc != 0)
		usage_error("unexpected argument \"%s\"", a->a_argv[0]);
	if (ds->ds_leases == NULL)
		usage_error("--leases FILE is required");
}

/* The state file: --state, or next to the lease file. */
static void
args_state(struct ds *ds, const char *statep)
{
	int n;

	if (statep)
		n = snprintf(ds->ds_state, sizeof(ds->ds_state), "%s", statep);
	else
		n = snprintf(ds->ds_state, sizeof(ds->ds_state),
		    "%s.dhcpsync", ds->ds_leases);
	if (n < 0 || (size_t)n >= sizeof(ds->ds_state))
		usage_error("state path too long");
}

int
args_daemon(struct ds *ds, struct ds_args *a)
{
	args_command(ds, a);
	if (!!ds->ds_peercmd + !!ds->ds_listen + !!ds->ds_connect > 1)
		usage_error("--peer, --listen and --connect exclude each other");
	if (ds->ds_kea && ds->ds_mode == DS_SEND)
		usage_error("--kea-socket: send applies nothing");
	ds->ds_fmt = leases_format_of(ds->ds_leases);
	if (ds->ds_fmt == DS_FMT_KEA && !ds->ds_kea && ds->ds_mode != DS_SEND)
		usage_error("%s is Kea's: what the peer sends goes to Kea with "
		    "--kea-socket", ds->ds_leases);
	if (a->a_subnets_file && subnets_from(ds, a->a_subnets_file) == -1)
		return EXIT_USAGE;
	if (ds->ds_subnets.ss_n > 0 && ds->ds_mode == DS_SEND)
		usage_error("--subnet, --subnets-from: send applies nothing");
	ds->ds_kea_subnet = a->a_subnet;
	ds->ds_stdio = !ds->ds_peercmd && !ds->ds_listen && !ds->ds_connect;
	args_state(ds, a->a_state);
	return -1;
}
