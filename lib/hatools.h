/* SPDX-License-Identifier: ISC */
/* What every hatools program shares: exit codes and --version. */
#ifndef HT_HATOOLS_H
#define HT_HATOOLS_H

#include <stdio.h>

/* DESIGN.md: daemons 0 clean stop, 1 runtime failure, 2 usage/config error. */
#define EXIT_CLEAN	0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

static inline void
ht_version(const char *prog)
{
	printf("%s (hatools) %s\n", prog, HATOOLS_VERSION);
}

#endif
