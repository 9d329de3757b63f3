/* SPDX-License-Identifier: ISC */
/* svccheck's command line (args.c). */
#ifndef SVCCHECK_ARGS_H
#define SVCCHECK_ARGS_H

#include "svccheck.h"

/* Fills sv; exits on -h, -V and any usage error. */
void	args_parse(struct svc *sv, int argc, char **argv);

#endif
