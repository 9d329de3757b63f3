/* SPDX-License-Identifier: ISC */
/*
 * Usage errors, alike in every program: "prog: message" (log_warnx, so
 * --syslog and journald see it too), a pointer to --help, and the
 * program's usage exit status: 2 (DESIGN.md), pgwatch's 64 (sysexits, so
 * a script tells it from split brain).  A monitoring plugin (--nagios)
 * answers a usage error as any other failure: its one UNKNOWN line on
 * stdout, where the monitor reads it, and exit 3.
 */
#ifndef HT_USAGE_H
#define HT_USAGE_H

#include <stdio.h>

/*
 * The status usage_error() exits with; plugin, when not NULL, starts the
 * line printed on stdout ("SVCCHECK UNKNOWN - ").  Before log_init(), the
 * program's name is log's default.
 */
void	usage_setup(int status, const char *plugin);

void	usage_error(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/*
 * -h/--help, -V/--version and an option getopt did not take, alike in every
 * program (DESIGN.md): the usage on stdout, or the version line, and
 * EXIT_CLEAN; else the usage on stderr and the usage status.  The caller
 * exits with what it returns (or returns it from main).
 */
int	usage_standard(int ch, const char *prog, void (*usage)(FILE *));

struct option;
/*
 * The long name opts (getopt_long's table) gives the option getopt
 * returned as val, the first if several share it, for a message that
 * names the option whichever spelling was used; "?" when none has it.
 */
const char *usage_optname(const struct option *opts, int val);

#endif
