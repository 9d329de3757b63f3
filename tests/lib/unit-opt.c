/* SPDX-License-Identifier: ISC */
/*
 * opt_metrics, opt_duration, --ready-fd: a good value, or a usage error
 * naming it; the daemons' shared options: their rows as getopt_long reads
 * them, and opt_daemon() keeping what they say.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "hatools.h"
#include "log.h"
#include "opt.h"
#include "tap.h"

struct dur {
	const char	*arg;
	uint64_t	 min;
};

static int
run_duration(const void *arg)
{
	const struct dur *d = arg;

	return (int)(opt_duration("drain-timeout", d->arg, d->min) / 1000);
}

static int
run_metrics(const void *arg)
{
	opt_metrics(arg);
	return 0;
}

static int
run_readyfd(const void *arg)
{
	struct opt_daemon od;

	opt_daemon_init(&od);
	opt_daemon(OPT_READYFD, arg, &od);
	return 0;
}

static const struct option daemon_opts[] = {
	{ "own",	no_argument,	   NULL, OPT_OWN },
	{ "metrics",	required_argument, NULL, OPT_METRICS },
	OPT_DAEMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* A command line through getopt_long and opt_daemon(), as a daemon's. */
static int
parse_daemon(struct opt_daemon *od, int argc, char **argv)
{
	int ch, other = 0;

	opt_daemon_init(od);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "jvhV", daemon_opts, NULL)) != -1)
		if (!opt_daemon(ch, optarg, od))
			other = ch;
	return other;
}

static void
test_daemon(void)
{
	char *argv[] = { "opt", "--pidfile", "/run/x.pid", "--user", "nobody",
	    "--metrics", "127.0.0.1:9100", "--syslog", "-vv", "--verbose",
	    "--json", NULL };
	char *own[] = { "opt", "--own", NULL }, *ver[] = { "opt", "--version",
	    NULL }, *fd[] = { "opt", "--ready-fd", NULL, NULL }, num[16];
	struct opt_daemon od;
	int readyfd;

	is_int(parse_daemon(&od, 11, argv), 0, "every shared option taken");
	is_str(od.od_pidfile, "/run/x.pid", "--pidfile kept");
	is_str(od.od_user, "nobody", "--user kept");
	is_str(od.od_metrics, "127.0.0.1:9100", "--metrics kept");
	is_int(od.od_syslog, 1, "--syslog");
	is_int(od.od_verbose, 3, "-v counted, however spelt");
	is_int(od.od_json, 1, "--json, as -j");
	is_int(od.od_readyfd, -1, "no --ready-fd: none");
	is_int(parse_daemon(&od, 2, own), OPT_OWN,
	    "a program's own: not taken");
	is_int(parse_daemon(&od, 2, ver), 'V', "--version: the program's");
	if ((readyfd = fcntl(2, F_DUPFD, 3)) == -1)
		fatal(1, "dup");
	snprintf(num, sizeof(num), "%d", readyfd);
	fd[2] = num;
	is_int(parse_daemon(&od, 3, fd), 0, "--ready-fd taken");
	is_int(od.od_readyfd, readyfd, "... an open fd: kept");
	close(readyfd);
	ok(od.od_pidfile == NULL && od.od_verbose == 0,
	    "each parse starts from nothing");
}

int
main(void)
{
	static const struct dur zero = { "0", 0 }, zero1 = { "0", 1 },
	    junk = { "2x", 0 };
	struct child_out co;

	unsetenv("JOURNAL_STREAM");	/* "opt: ", not a journald level */
	log_init("opt", 0);
	is_int(opt_duration("interval", "500ms", 1), 500000, "500ms");
	is_int(opt_duration("interval", "2", 1), 2000000,
	    "a bare number is seconds");
	is_int(child_run(run_duration, &zero, &co), 0, "0 where 0 may be");
	is_int(child_run(run_duration, &zero1, &co), EXIT_USAGE,
	    "0 where the least is 1: a usage error");
	is_str(co.err, "opt: --drain-timeout \"0\": not a duration\n"
	    "Try 'opt --help'.\n", "naming the option and the value");
	is_int(child_run(run_duration, &junk, &co), EXIT_USAGE,
	    "trailing garbage: a usage error");
	is_str(co.out, "", "nothing on stdout");

	is_int(child_run(run_metrics, "127.0.0.1:9100", &co), 0,
	    "--metrics ADDR:PORT passes");
	is_int(child_run(run_metrics, "nowhere", &co), EXIT_USAGE,
	    "--metrics without a port: a usage error");
	ok(strncmp(co.err, "opt: --metrics ", 15) == 0 &&
	    strstr(co.err, "Try 'opt --help'.") != NULL,
	    "naming --metrics, then the pointer to --help");
	is_int(child_run(run_readyfd, "1", &co), EXIT_USAGE,
	    "--ready-fd 1 (stdout): a usage error");
	is_str(co.err, "opt: --ready-fd \"1\": not an open fd >= 3\n"
	    "Try 'opt --help'.\n", "naming the option and the value");
	test_daemon();
	return done_testing();
}
