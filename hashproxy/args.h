/* SPDX-License-Identifier: ISC */
/*
 * The command line: options into the context (the config's overrides)
 * and into hp_args (what main does with them).
 */
#ifndef HP_ARGS_H
#define HP_ARGS_H

#include "hashproxy.h"
#include "opt.h"

#define DEFAULT_CONFIG	"/etc/haproxy/haproxy.cfg"
#define MAX_DOWN	32

struct hp_args {
	const char	*a_lookup;	/* --lookup */
	char		*a_down[MAX_DOWN];	/* --down */
	int		 a_ndown;
	struct opt_daemon a_d;		/* --user, --pidfile, -v, ... */
};

/*
 * Parses argv into ctx (set up here first) and a: -1 to go on, else the
 * status to exit with (--help, --version, --keywords, or a usage error
 * said on stderr).
 */
int	args_parse(int argc, char *argv[], struct hp_ctx *ctx,
	    struct hp_args *a);

#endif
