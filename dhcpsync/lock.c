/* SPDX-License-Identifier: ISC */
/*
 * One dhcpsync per lease file.  Two that write the same file undo each
 * other: one's rewrite (a new file renamed over the old) drops what the
 * other appended a moment before.  Each holds an flock on
 * FILE.dhcpsync.lock for its life and keeps there its pid and whether it
 * is synced with a peer that is up, which is all a wait-synced started
 * beside it (dhcpd's ExecStartPre) needs to know.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "duration.h"
#include "log.h"
#include "dhcpsync.h"

#define LOCK_POLL_NSEC	(100 * 1000 * 1000)

static void lock_write(struct store *, int synced, int up);

static int
lock_path(const struct store *so, char *buf, size_t len)
{
	return path_beside(buf, len, so->so_leases, ".dhcpsync.lock");
}

/*
 * "pid=N synced=0|1 peer=up|down": what the holder last wrote; *ready
 * when synced with a peer that is up, *up when the peer is up.
 */
static void
lock_read(int fd, long *pid, int *ready, int *up)
{
	char buf[128], peer[8] = "";
	ssize_t n;
	int synced = 0;

	*pid = 0;
	*ready = *up = 0;
	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "pid=%ld synced=%d peer=%7s", pid, &synced,
	    peer) == 3) {
		*up = strcmp(peer, "up") == 0;
		*ready = synced == 1 && *up;
	}
}

/*
 * 0: ours; 1: another dhcpsync holds it (its pid in *pid, the lock file
 * kept open in ds_lockfd to watch); -1: error, said.
 */
int
lock_take(struct store *so, long *pid)
{
	char path[PATH_MAX];
	int ready, up;

	*pid = 0;
	if (lock_path(so, path, sizeof(path)) == -1) {
		log_warn("%s.dhcpsync.lock", so->so_leases);
		return -1;
	}
	if ((so->so_lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) == -1) {
		/* a directory we may not write: whatever fails next says so */
		log_warn("%s: not guarded against a second dhcpsync", path);
		return errno == EACCES || errno == EROFS || errno == EPERM ?
		    0 : -1;
	}
	if (flock(so->so_lockfd, LOCK_EX | LOCK_NB) == 0) {
		so->so_locked = 1;
		lock_write(so, 0, 0);
		return 0;
	}
	if (errno != EWOULDBLOCK) {
		log_warn("%s: flock", path);
		return -1;
	}
	lock_read(so->so_lockfd, pid, &ready, &up);
	return 1;
}

/*
 * What wait-synced beside us reads: whether the session is synced and
 * its peer up, rewritten when it changes.
 */
static void
lock_write(struct store *so, int synced, int up)
{
	char buf[128];
	int n, state;

	if (!so->so_locked)
		return;
	state = 1 + (synced ? 2 : 0) + (up ? 4 : 0);
	if (state == so->so_lockstate)
		return;
	so->so_lockstate = state;
	n = snprintf(buf, sizeof(buf), "pid=%ld synced=%d peer=%s\n",
	    (long)getpid(), synced, up ? "up" : "down");
	if (pwrite(so->so_lockfd, buf, (size_t)n, 0) != n ||
	    ftruncate(so->so_lockfd, n) == -1)
		so->so_lockstate = 0;	/* tried again at the next change */
}

void
lock_update(struct store *so, const struct session *se)
{
	lock_write(so, se->se_synced, se->se_hello);
}

/*
 * wait-synced while another dhcpsync keeps the file: it replicates
 * already, and its peer's leases reach the file through it, so wait until
 * it is synced with its peer (0), or the lock is free and this one may
 * sync by itself (1), or the timeout (-1).  --hello-timeout: the holder's
 * peer must be up within it, as our own peer would have to answer.
 */
int
lock_wait_holder(struct store *so, uint64_t timeout_usec,
    uint64_t hello_usec, long pid)
{
	struct timespec nap = { 0, LOCK_POLL_NSEC };
	uint64_t start = mono_usec();
	uint64_t end = timeout_usec ? start + timeout_usec : 0;
	int ready, up, seen_up = 0;

	log_info("wait-synced: dhcpsync (pid %ld) keeps %s; waiting until it "
	    "is synced with its peer", pid, so->so_leases);
	for (;;) {
		if (flock(so->so_lockfd, LOCK_EX | LOCK_NB) == 0) {
			so->so_locked = 1;
			lock_write(so, 0, 0);
			log_info("wait-synced: dhcpsync (pid %ld) stopped; "
			    "syncing by itself", pid);
			return 1;
		}
		lock_read(so->so_lockfd, &pid, &ready, &up);
		if (ready) {
			log_info("wait-synced: dhcpsync (pid %ld) is synced "
			    "with its peer", pid);
			return 0;
		}
		seen_up |= up;
		if (!seen_up && hello_usec &&
		    mono_usec() - start >= hello_usec) {
			log_warnx("wait-synced: the peer of dhcpsync (pid %ld) "
			    "is not up within the hello timeout", pid);
			return -1;
		}
		if (end && mono_usec() >= end) {
			log_warnx("wait-synced: not synced within the timeout "
			    "(dhcpsync pid %ld keeps %s)", pid, so->so_leases);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
}
