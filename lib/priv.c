/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"

/*
 * Nothing to drop (a unit's User= without AmbientCapabilities=) means no
 * capset(2) call: "SystemCallFilter=~@privileged" forbids it.
 */
static int
priv_setcaps(const cap_value_t *keep, int nkeep)
{
	cap_t caps, cur;
	int rc = 0;

	if ((caps = cap_init()) == NULL)
		return -1;
	if (nkeep > 0 &&
	    (cap_set_flag(caps, CAP_PERMITTED, nkeep, keep, CAP_SET) == -1 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, nkeep, keep, CAP_SET) == -1))
		rc = -1;
	if (rc == 0 && (cur = cap_get_proc()) != NULL) {
		if (cap_compare(cur, caps) == 0) {
			cap_free(cur);
			cap_free(caps);
			return 0;
		}
		cap_free(cur);
	}
	if (rc == 0 && cap_set_proc(caps) == -1)
		rc = -1;
	cap_free(caps);
	return rc;
}

/* Empties the bounding set but for keep, so no exec can regain the rest. */
static void
priv_bound(const cap_value_t *keep, int nkeep)
{
	cap_value_t c;
	int i, kept;

	for (c = 0; c <= CAP_LAST_CAP; c++) {
		for (kept = 0, i = 0; i < nkeep; i++)
			kept |= keep[i] == c;
		if (!kept && CAP_IS_SUPPORTED(c))
			cap_drop_bound(c);
	}
}

int
priv_drop(const char *user, const cap_value_t *keep, int nkeep)
{
	struct passwd *pw = NULL;

	if (user) {
		errno = 0;
		if ((pw = getpwnam(user)) == NULL) {
			log_warnx("user \"%s\": no such user", user);
			return -1;
		}
	}
	/*
	 * Started unprivileged (a unit's User= or DynamicUser=): there is
	 * nothing to switch from, and no right to; this user is no less safe.
	 */
	if (pw && geteuid() != 0) {
		if (pw->pw_uid != geteuid())
			log_notice("user %s: not started as root; staying uid %ld",
			    user, (long)geteuid());
		pw = NULL;
	}
	if (geteuid() == 0)
		priv_bound(keep, nkeep);
	if (pw) {
		if (prctl(PR_SET_KEEPCAPS, 1) == -1 ||
		    setgroups(1, &pw->pw_gid) == -1 ||
		    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
			log_warn("switch to user %s", user);
			return -1;
		}
	}
	if (priv_setcaps(keep, nkeep) == -1) {
		log_warn("drop capabilities");
		return -1;
	}
	if (pw)
		prctl(PR_SET_KEEPCAPS, 0);
	return 0;
}

int
priv_nonewprivs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("no_new_privs");
		return -1;
	}
	return 0;
}
