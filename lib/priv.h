/* SPDX-License-Identifier: ISC */
/*
 * Privilege drop, after the privileged set-up is done: switch to --user if
 * asked, and keep only the listed capabilities (none for most programs).
 */
#ifndef HT_PRIV_H
#define HT_PRIV_H

#include <sys/capability.h>

/*
 * user may be NULL (stay root).  keep lists the capabilities to keep in the
 * permitted and effective sets; everything else, bounding set included, goes.
 * Returns 0, or -1 with a message logged.
 */
int	priv_drop(const char *user, const cap_value_t *keep, int nkeep);

/*
 * For a program that runs nothing: no exec of a set-user-ID or file-
 * capability binary can give back what priv_drop took.  Returns 0, or -1
 * with a message logged.
 */
int	priv_nonewprivs(void);

#endif
