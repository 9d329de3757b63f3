/* SPDX-License-Identifier: ISC */
/*
 * The command line: options into the daemon's context (struct ds) and
 * into ds_args (what main does with them: the command, logging, the
 * one-shot commands' operands).
 */
#ifndef DS_ARGS_H
#define DS_ARGS_H

#include <stdint.h>
#include <stdio.h>

#include "opt.h"

struct ds;

struct ds_args {
	const char	*a_cmd;		/* check, convert, ..., NULL: daemon */
	const char	*a_to;		/* convert --to */
	const char	*a_state;	/* --state, NULL: FILE.dhcpsync */
	const char	*a_subnets_file;	/* --subnets-from */
	uint32_t	 a_subnet;	/* --subnet-id, 0: not given */
	struct opt_daemon a_d;		/* --pidfile, --metrics, -v, ... */
	int		 a_argc;	/* the operands after the options */
	char		**a_argv;
};

void	args_usage(FILE *);

/*
 * Parses argv into ds (its defaults set here first) and a: -1 to go on,
 * else the status to exit with (--help, --version); a usage error exits
 * (usage_error).
 */
int	args_parse(int argc, char *argv[], struct ds *ds, struct ds_args *a);

/*
 * The daemon's commands (wait-synced, send, recv, none): what the
 * options say together, and the lease file's format.  -1 to go on, else
 * the status to exit with (--subnets-from's file unread; other usage
 * errors exit).
 */
int	args_daemon(struct ds *ds, struct ds_args *a);

#endif
