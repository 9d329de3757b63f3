/* SPDX-License-Identifier: ISC */
/*
 * The options the programs share, written once: those every daemon takes
 * (their codes, getopt_long rows, and where their values go), and values
 * that several programs check the same way, with the same words: a bad
 * one is a usage error (usage.h) naming the option, so that every value
 * is checked before any work.
 */
#ifndef HT_OPT_H
#define HT_OPT_H

#include <getopt.h>
#include <stdint.h>

/*
 * The long options every daemon takes, numbered once so that their rows
 * (OPT_DAEMON_LONGOPTS) and opt_daemon() serve every program; a program
 * numbers its own long-only options from OPT_OWN.  svccheck takes the
 * same names (its --pidfile and --user pick the processes to check).
 */
enum {
	OPT_READYFD = 256,
	OPT_PIDFILE,
	OPT_SYSLOG,
	OPT_USER,
	OPT_METRICS,
	OPT_OWN
};

/*
 * Their rows, the last of a program's getopt_long table before its
 * { NULL } (--metrics is not every program's: each lists it itself).
 * Short letters (-j, -u, -v, -h, -V) are in each program's optstring,
 * where it takes them.
 */
#define OPT_DAEMON_LONGOPTS \
	{ "ready-fd",	required_argument, NULL, OPT_READYFD }, \
	{ "pidfile",	required_argument, NULL, OPT_PIDFILE }, \
	{ "syslog",	no_argument,	   NULL, OPT_SYSLOG }, \
	{ "user",	required_argument, NULL, OPT_USER }, \
	{ "json",	no_argument,	   NULL, 'j' }, \
	{ "verbose",	no_argument,	   NULL, 'v' }, \
	{ "help",	no_argument,	   NULL, 'h' }, \
	{ "version",	no_argument,	   NULL, 'V' }

/*
 * What a daemon's options say that it acts on once it runs: its log, its
 * pid file, its socket for metrics, the user it becomes.
 */
struct opt_daemon {
	const char	*od_pidfile;	/* --pidfile */
	const char	*od_user;	/* --user: run as it after set-up */
	const char	*od_metrics;	/* --metrics ADDR:PORT, checked */
	int		 od_readyfd;	/* --ready-fd, -1: none */
	int		 od_syslog;	/* --syslog */
	int		 od_verbose;	/* -v, once per -v */
	int		 od_json;	/* -j/--json: event lines as JSON */
};

/* No option given: no ready fd. */
void	opt_daemon_init(struct opt_daemon *od);

/*
 * --pidfile, --user, --metrics, --ready-fd, --syslog, -v and -j into od:
 * 1 when ch is one of them, else 0 (the program's own, -h, -V, or a bad
 * one).  vrrpd checks --ready-fd itself first: its words differ.
 */
int	opt_daemon(int ch, const char *arg, struct opt_daemon *od);

/* What --syslog, -v and -j say, applied: the log and the event lines. */
void	opt_daemon_log(const struct opt_daemon *od, const char *prog);

/*
 * --metrics ADDR:PORT (promhttp_addr's): checked now, while a mistake is
 * a usage error, though the socket opens later with the program's others.
 */
void	opt_metrics(const char *arg);

/*
 * A duration option (duration.h) in microseconds, at least min: 1 where
 * 0 would never wait or never fire.
 */
uint64_t opt_duration(const char *name, const char *arg, uint64_t min);

#endif
