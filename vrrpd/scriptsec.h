/* SPDX-License-Identifier: ISC */
/*
 * enable_script_security, keepalived's rule: a command run as root must
 * not be replaceable by anyone else, so neither its file nor any
 * directory on the way to it may be owned or writable by a non-root user.
 */
#ifndef VRRPD_SCRIPTSEC_H
#define VRRPD_SCRIPTSEC_H

#include <stddef.h>

#include "config.h"

/*
 * Checks the program cmd starts with (its first word, looked up in path
 * when it has no '/', as execvp does; symbolic links resolved).  Returns
 * 0 if only root can change it, -1 with the reason in why.
 */
int	scriptsec_check(const char *cmd, const char *path, char *why,
	    size_t whylen);
/*
 * With enable_script_security and scripts running as root, checks every
 * vrrp_script and notify command; appends "file:line: ..." errors to err
 * and returns their number.
 */
int	scriptsec_config(const struct config *, const char *main_file,
	    char *err, size_t errlen);
/*
 * startup_script and shutdown_script: checked as the others, but an
 * unsafe one run as root is disabled (cleared) with a warning, as
 * keepalived does.  Returns the number of errors appended to err.
 */
int	scriptsec_hooks(struct config *, const char *main_file, char *err,
	    size_t errlen);
/*
 * enable_script_security with neither script_user nor a keepalived_script
 * user: keepalived has no user for the commands that name none, and drops
 * them (vrrp_scripts, their track_script references, notify commands).
 * The same here, each with a warning keepalived -t reports as an error
 * (counted in cf_nflagged).  Returns the number of commands dropped.
 */
int	scriptsec_nouser(struct config *, const char *main_file, char *err,
	    size_t errlen);
/*
 * keepalived 2.2.7 checks at start-up, with or without
 * enable_script_security, that the program of each vrrp_script and notify
 * command is there: a missing one is disabled ("Disabling track script
 * NAME since not found/accessible"), else vrrpd would track a script that
 * can only fail (its weight applied, weight 0 a FAULT).  The same here,
 * each with a warning: a vrrp_script and its track_script lines removed
 * (keepalived -t reports it as an error: counted in cf_nflagged), a
 * notify command cleared.  Returns the number of commands dropped.
 */
int	scriptsec_notfound(struct config *, const char *main_file, char *err,
	    size_t errlen);

#endif
