/* SPDX-License-Identifier: ISC */
/*
 * --user: once the lock, the state, the lease file's reader and the
 * control socket are set up, run as USER with no capability, so the
 * peer's records and the --peer command (ssh) never meet root.  USER should
 * own the lease file (dhcpd -user, Kea's _kea): dhcpsync replaces the file
 * in its directory and probes it with a read lease, which need the owner.
 *
 * Started as root without --user, it becomes that owner itself: the
 * rights of the server whose file it writes, no more.  Where root owns
 * the file (Debian's dhcpd runs as root) it stays uid 0 with no
 * capability: an owner's rights need none, and the --peer ssh keeps
 * root's key.
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dhcpsync.h"
#include "log.h"
#include "priv.h"

/*
 * What dhcpsync will replace or append to must be writable now, not at the
 * first write: the directory (a new file is renamed in), and the file
 * itself where it is appended to (file != 0).
 */
static int
user_can_write(const char *user, const char *path, int file)
{
	char copy[PATH_MAX], *dir;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy)) {
		log_warnx("%s: path too long", path);
		return -1;
	}
	dir = dirname(copy);
	if (access(dir, W_OK | X_OK) == -1 ||
	    (file && access(path, W_OK) == -1 && errno != ENOENT)) {
		log_warn("%s: not writable by user %s (uid %ld); run dhcpsync "
		    "as the owner of the lease file and its directory", path,
		    user, (long)geteuid());
		return -1;
	}
	return 0;
}

/*
 * The lock and state files were made by root a moment ago: they become the
 * user's, so that a later run as that user (a unit's User=) opens them.
 */
static void
user_give(const struct store *so, const struct passwd *pw)
{
	if (geteuid() != 0)
		return;
	if (so->so_mode != DS_SEND && so->so_lockfd > 2 &&
	    fchown(so->so_lockfd, pw->pw_uid, pw->pw_gid) == -1)
		log_warn("%s.dhcpsync.lock: chown", so->so_leases);
	if (so->so_mode == DS_BOTH &&
	    chown(so->so_state, pw->pw_uid, pw->pw_gid) == -1 &&
	    errno != ENOENT)
		log_warn("%s: chown", so->so_state);
}

/*
 * The lease file's owner (its directory's while there is no file yet)
 * into *user, or NULL when that is root.  0, or -1 with a message logged.
 */
static int
user_owner(const char *leases, char *user, size_t len, const char **up)
{
	char copy[PATH_MAX];
	const char *path = leases;
	struct passwd *pw;
	struct stat st;

	*up = NULL;
	if (stat(path, &st) == -1) {
		if (errno != ENOENT || snprintf(copy, sizeof(copy), "%s",
		    path) >= (int)sizeof(copy) ||
		    stat(path = dirname(copy), &st) == -1) {
			log_warn("%s", path);
			return -1;
		}
	}
	if (st.st_uid == 0)
		return 0;
	if ((pw = getpwuid(st.st_uid)) == NULL) {
		log_warnx("%s: its owner, uid %ld, has no user name; give "
		    "--user", path, (long)st.st_uid);
		return -1;
	}
	if (snprintf(user, len, "%s", pw->pw_name) >= (int)len) {
		log_warnx("%s: its owner's name is too long", path);
		return -1;
	}
	log_info("running as %s, the owner of %s (--user to choose)", user,
	    path);
	*up = user;
	return 0;
}

/* --user (NULL: the lease file's owner); the store's files become its. */
int
user_drop(const struct store *so, const char *user)
{
	struct passwd *pw;
	char owner[256];

	if (user == NULL && geteuid() != 0)
		return 0;
	if (user == NULL) {
		if (user_owner(so->so_leases, owner, sizeof(owner),
		    &user) == -1)
			return -1;
		if (user == NULL)
			return priv_drop(NULL, NULL, 0);
	}
	if ((pw = getpwnam(user)) != NULL)
		user_give(so, pw);
	if (priv_drop(user, NULL, 0) == -1)
		return -1;
	if (so->so_mode == DS_SEND)
		return 0;
	if (user_can_write(user, so->so_leases, 1) == -1 ||
	    user_can_write(user, so->so_state, 0) == -1)
		return -1;
	return 0;
}
