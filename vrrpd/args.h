/* SPDX-License-Identifier: ISC */
/* vrrpd's options (args.c): what main.c runs with. */
#ifndef VRRPD_ARGS_H
#define VRRPD_ARGS_H

#include "load.h"
#include "opt.h"

struct main_opts {
	struct load_opts mo_load;
	int		 mo_test;
	int		 mo_cleanup;
	const char	*mo_control;
	struct opt_daemon mo_d;	/* --metrics (NULL: no HTTP), ... */
};

/* Fills o from the command line; exits on -h, -V and any usage error. */
void	args_parse(int argc, char **argv, struct main_opts *o);

#endif
