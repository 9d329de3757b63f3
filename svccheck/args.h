/* SPDX-License-Identifier: ISC */
/* svccheck's command line (args.c). */
#ifndef SVCCHECK_ARGS_H
#define SVCCHECK_ARGS_H

#include "svccheck.h"

/* Fills sv; exits on -h, -V and any usage error. */
void	args_parse(struct svc *sv, int argc, char **argv);
/* The --exe paths resolved: it reads the file system, which can hang. */
void	args_resolve_exes(struct svc *sv);

#endif
