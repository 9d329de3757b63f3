/* SPDX-License-Identifier: ISC */
/*
 * Privileges: pgwatch needs none once the --http port is bound (a port
 * below 1024 is bound as root first).  Started as root it keeps no
 * capability, not even in its bounding set, and sets no_new_privs: it
 * runs no program, so nothing it could exec may give one back.  --user
 * also leaves uid 0.  Without --user it stays uid 0, capability-less,
 * because libpq opens ~/.pgpass, PGPASSFILE and client keys as the
 * process at every (re)connection, and root's are mode 0600: another
 * uid would lose the password at the first reconnection, long after
 * start.
 */
#include <unistd.h>

#include "priv.h"
#include "user.h"

int
user_drop(const char *user)
{
	if ((geteuid() == 0 || user != NULL) &&
	    priv_drop(user, NULL, 0) == -1)
		return -1;
	return priv_nonewprivs();
}
