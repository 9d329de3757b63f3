/* SPDX-License-Identifier: ISC */
/*
 * The files dhcpsync keeps beside another (FILE.dhcpsync.lock beside
 * the lease file, STATE.journal beside the state file): a name too long
 * for the buffer is an error, never a shorter name.
 */
#include <errno.h>
#include <stdio.h>

#include "dhcpsync.h"

int
path_beside(char *buf, size_t len, const char *file, const char *suffix)
{
	int n = snprintf(buf, len, "%s%s", file, suffix);

	if (n < 0 || (size_t)n >= len)
		return errno = ENAMETOOLONG, -1;
	return 0;
}
