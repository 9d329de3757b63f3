/* SPDX-License-Identifier: ISC */
#ifndef PGW_USER_H
#define PGW_USER_H

/*
 * Once every port is bound: no capability left, no_new_privs, and --user
 * USER if given (NULL: none).  0, or -1 with a message logged.
 */
int	user_drop(const char *user);

#endif
