/* SPDX-License-Identifier: ISC */
/*
 * notify_fifo and vrrp_notify_fifo, keepalived 2.2.7's way: the FIFO is
 * made if missing (mode 0644, given to its USER/GROUP when vrrpd made
 * it), its notify_fifo_script is started by the runner with the path as
 * last argument, and vrrpd opens it read-write and non-blocking, so a
 * write neither blocks nor fails for want of a reader: lines wait in the
 * pipe buffer (64 KiB on Linux).  When the buffer is full a line is
 * dropped, never waited for: the engine's timers come first.  A FIFO
 * vrrpd made is removed at exit.  Lines, one per state change:
 *	INSTANCE "VI_1" MASTER 100	(BACKUP, FAULT, STOP; the priority)
 *	GROUP "G1" BACKUP 0
 *	INSTANCE "VI_1" MASTER_RX_LOWER_PRI 100
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errbuf.h"
#include "log.h"
#include "runner.h"
#include "vrrpd.h"

struct fifo {
	int	 ff_fd[2];
	int	 ff_made[2];
	char	 ff_path[2][CFG_CMD_LEN];
	int	 ff_full[2];	/* dropping lines since the last warning */
	unsigned long ff_dropped[2];
};

/* The owner keepalived gives a FIFO it makes: its user, else the scripts'. */
static void
fifo_owner(const struct config *cf, const struct cfg_fifo *f, uid_t *uid,
    gid_t *gid)
{
	const char *user = f->cfi_user, *group = f->cfi_group;
	struct passwd *pw;
	struct group *gr;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (user[0] == '\0') {
		user = cf->cf_script_user;
		group = cf->cf_script_group;
	}
	if (user[0] == '\0' && getpwnam("keepalived_script") != NULL)
		user = "keepalived_script";
	if (user[0] == '\0')
		return;
	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("notify_fifo %s: user %s: no such user", f->cfi_path,
		    user);
		return;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (group[0] && (gr = getgrnam(group)) != NULL)
		*gid = gr->gr_gid;
}

static int
fifo_open_one(struct vrrpd *d, struct fifo *ff, int i, char *err,
    size_t errlen)
{
	const struct cfg_fifo *f = &d->d_cf->cf_fifo[i];
	struct runner_req rq;
	uid_t uid;
	gid_t gid;

	snprintf(ff->ff_path[i], sizeof(ff->ff_path[i]), "%s", f->cfi_path);
	if (mkfifo(f->cfi_path, 0644) == 0) {
		ff->ff_made[i] = 1;
		fifo_owner(d->d_cf, f, &uid, &gid);
		if ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
		    chown(f->cfi_path, uid, gid) == -1)
			log_warn("notify_fifo %s: chown", f->cfi_path);
	} else if (errno != EEXIST) {
		return errbuf_set(err, errlen,
		    "notify_fifo %s: cannot make it: %s",
		    f->cfi_path, strerror(errno));
	}
	ff->ff_fd[i] = open(f->cfi_path, O_RDWR | O_CLOEXEC | O_NONBLOCK |
	    O_NOFOLLOW);
	if (ff->ff_fd[i] == -1) {
		snprintf(err, errlen, "notify_fifo %s: cannot open it: %s",
		    f->cfi_path, strerror(errno));
		if (ff->ff_made[i])
			unlink(f->cfi_path);
		ff->ff_made[i] = 0;
		return -1;
	}
	if (f->cfi_script[0] == '\0')
		return 0;
	/* no timeout: it reads as long as we write */
	runner_req_init(&rq, RUNNER_FIFO, i, 0);
	if (runner_run(&d->d_runner, d->d_cf, &rq) == -1)
		log_warn("notify_fifo %s: cannot start its script",
		    f->cfi_path);
	return 0;
}

int
fifo_open(struct vrrpd *d, char *err, size_t errlen)
{
	struct fifo *ff;
	int i;

	if (d->d_cf->cf_fifo[0].cfi_path[0] == '\0' &&
	    d->d_cf->cf_fifo[1].cfi_path[0] == '\0')
		return 0;
	if ((ff = calloc(1, sizeof(*ff))) == NULL)
		return errbuf_set(err, errlen, "out of memory");
	ff->ff_fd[0] = ff->ff_fd[1] = -1;
	d->d_fifo = ff;
	for (i = 0; i < 2; i++)
		if (d->d_cf->cf_fifo[i].cfi_path[0] != '\0' &&
		    fifo_open_one(d, ff, i, err, errlen) == -1)
			return -1;
	return 0;
}

void
fifo_line(struct vrrpd *d, const char *type, const char *name,
    const char *state, unsigned prio)
{
	struct fifo *ff = d->d_fifo;
	char line[CFG_NAME_LEN + 64];
	int i, n;

	if (ff == NULL)
		return;
	n = snprintf(line, sizeof(line), "%s \"%s\" %s %u\n", type, name,
	    state, prio);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	for (i = 0; i < 2; i++) {
		if (ff->ff_fd[i] == -1)
			continue;
		/* under PIPE_BUF: all of the line or nothing */
		if (write(ff->ff_fd[i], line, (size_t)n) == n) {
			if (ff->ff_full[i])
				log_warnx("notify_fifo %s: read again; %lu "
				    "line%s dropped", ff->ff_path[i],
				    ff->ff_dropped[i],
				    ff->ff_dropped[i] == 1 ? "" : "s");
			ff->ff_full[i] = 0;
			ff->ff_dropped[i] = 0;
			continue;
		}
		if (!ff->ff_full[i])
			log_warnx("notify_fifo %s: full (nobody reads it); "
			    "lines dropped until it is read", ff->ff_path[i]);
		ff->ff_full[i] = 1;
		ff->ff_dropped[i]++;
	}
}

void
fifo_close(struct vrrpd *d)
{
	struct fifo *ff = d->d_fifo;
	int i;

	if (ff == NULL)
		return;
	for (i = 0; i < 2; i++) {
		/* unlinked first: a reader that reopens it in a loop stops */
		if (ff->ff_made[i])
			unlink(ff->ff_path[i]);
		if (ff->ff_fd[i] != -1)
			close(ff->ff_fd[i]);
	}
	free(ff);
	d->d_fifo = NULL;
}
