/* SPDX-License-Identifier: ISC */
/* vrrpd's options (args.c): what main.c runs with. */
#ifndef VRRPD_ARGS_H
#define VRRPD_ARGS_H

#include "load.h"

struct main_opts {
	struct load_opts mo_load;
	int		 mo_test;
	int		 mo_cleanup;
	int		 mo_json;
	int		 mo_syslog;
	int		 mo_verbose;
	int		 mo_readyfd;
	const char	*mo_control;
	const char	*mo_metrics;	/* ADDR:PORT, or NULL: no HTTP */
	const char	*mo_pidfile;
	const char	*mo_user;
};

/* Fills o from the command line; exits on -h, -V and any usage error. */
void	args_parse(int argc, char **argv, struct main_opts *o);

#endif
