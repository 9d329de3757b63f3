/* SPDX-License-Identifier: ISC */
/*
 * A set of pids, for those who follow processes through the kernel's
 * events (procwatch.h): svccheck --watch, vrrpd's track_process.
 */
#ifndef HT_PIDSET_H
#define HT_PIDSET_H

#include <stddef.h>
#include <sys/types.h>

struct pidset {
	pid_t		*ps_pids;
	size_t		 ps_n;
	size_t		 ps_cap;
};

/* 0, or -1 out of memory (the set unchanged). */
int	pidset_add(struct pidset *, pid_t);
/* 1 if it was there. */
int	pidset_del(struct pidset *, pid_t);
int	pidset_has(const struct pidset *, pid_t);
/* The lowest pid, 0 when empty. */
pid_t	pidset_min(const struct pidset *);

#endif
