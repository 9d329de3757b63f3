/* SPDX-License-Identifier: ISC */
/*
 * --watch: connections stay open, every --interval each host is asked
 * again, and a line is printed on every change.  A connection that drops
 * while idle is reported at once.
 */
#ifndef PGWATCH_ROUNDS_H
#define PGWATCH_ROUNDS_H

#include "pgwatch.h"

int	watch_start(struct pgw *);
/* Judges the latest samples and prints what changed. */
void	watch_eval(struct pgw *);
/* SIGUSR1: every host's state to the log. */
void	watch_dump(struct pgw *);

#endif
