/* SPDX-License-Identifier: ISC */
/*
 * What is on disk: the lease file, rewritten atomically in dhcpd's own
 * format when the peer's records change it, and the small state file
 * holding both streams' resume points.  The order is the promise: lease
 * file (or, while dhcpd runs, the journal: journal.c) first, then the
 * state naming what it holds, then the ACK.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <event2/event.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "duration.h"
#include "evline.h"
#include "dhcpd-file.h"
#include "log.h"
#include "dhcpsync.h"
#include "journal.h"
#include "state.h"

static void store_commit_cb(evutil_socket_t, short, void *);

/* No state: a fresh stream id, the peer's stream from the start. */
static int
store_state_fresh(struct store *so)
{
	so->so_epoch = so->so_dev = so->so_ino = so->so_hist = 0;
	so->so_peer = so->so_ack = 0;
	if (getrandom(&so->so_id, sizeof(so->so_id), 0) !=
	    sizeof(so->so_id)) {
		log_warn("getrandom");
		return -1;
	}
	so->so_id |= 1;		/* 0 means none */
	return 0;
}

/*
 * A state file that does not parse (torn, emptied, not ours) costs one
 * full exchange, not the service: refusing to start would only turn the
 * supervisor's Restart= into a loop.  It is moved aside for a look, and
 * a fresh stream id makes the peer send everything and take everything
 * from us; the merge is idempotent.
 */
static int
store_state_rebuild(struct store *so, const char *why)
{
	char aside[PATH_MAX + 8];

	snprintf(aside, sizeof(aside), "%s.corrupt", so->so_state);
	if (rename(so->so_state, aside) == -1) {
		log_warn("%s (cannot move it to %s)", why, aside);
		return -1;
	}
	log_warnx("%s; moved to %s: starting with a new stream id, a full "
	    "exchange with the peer follows", why, aside);
	if (store_state_fresh(so) == -1)
		return -1;
	return store_state_save(so);
}

/*
 * The resume points say which of the peer's records our lease file holds;
 * a file that lost records since (emptied, removed, cut short in place
 * while we were stopped) would keep them lost: the peer resumes past
 * them.  An empty or missing dhcpd file, or the same file shorter than
 * when the state was saved, is such a loss.  (Kea's file may hold only
 * its header after a rotation: there only the shrink counts.)  A file
 * replaced by another with content cannot be told from dhcpd's own
 * rewrite, and is trusted.
 */
static int
store_state_lost(const struct store *so, const struct ds_state *st, char *why,
    size_t len)
{
	struct stat sb;

	if (stat(so->so_leases, &sb) == -1) {
		if (errno != ENOENT || so->so_fmt == DS_FMT_KEA)
			return 0;	/* the follower reports other errors */
		snprintf(why, len, "%s: gone since dhcpsync last wrote it",
		    so->so_leases);
		return 1;
	}
	if (sb.st_size == 0 && so->so_fmt == DS_FMT_DHCPD) {
		snprintf(why, len, "%s: empty since dhcpsync last wrote it",
		    so->so_leases);
		return 1;
	}
	if ((uint64_t)sb.st_dev == st->st_dev && (uint64_t)sb.st_ino ==
	    st->st_ino && (uint64_t)sb.st_size < st->st_size) {
		snprintf(why, len, "%s: %jd bytes, cut short since dhcpsync "
		    "last wrote it (%" PRIu64 " bytes)", so->so_leases,
		    (intmax_t)sb.st_size, st->st_size);
		return 1;
	}
	return 0;
}

/* The state is sound but the lease file lost records: start afresh. */
static int
store_state_restart(struct store *so, const char *why)
{
	log_warnx("%s; starting with a new stream id, a full exchange with "
	    "the peer follows", why);
	if (store_state_fresh(so) == -1)
		return -1;
	return store_state_save(so);
}

/*
 * Reads the resume points.  What the system refuses (no permission, an
 * I/O error, a directory) is an error; what the file says, if it does
 * not parse, is rebuilt from the peer.
 */
int
store_state_load(struct store *so)
{
	char buf[STATE_MAX + 1], err[PATH_MAX + 128];
	struct ds_state st;
	size_t len = 0;
	ssize_t n;
	int fd;

	/* one way: a fresh stream id every run, nothing on disk */
	if (so->so_mode != DS_BOTH)
		return store_state_fresh(so);
	if ((fd = open(so->so_state, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return store_state_fresh(so);
		log_warn("%s", so->so_state);
		return -1;
	}
	while (len < sizeof(buf)) {
		if ((n = read(fd, buf + len, sizeof(buf) - len)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s", so->so_state);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (state_parse(buf, len, so->so_state, &st, err, sizeof(err)) == -1)
		return store_state_rebuild(so, err);
	if (store_state_lost(so, &st, err, sizeof(err)))
		return store_state_restart(so, err);
	so->so_id = st.st_id;
	so->so_epoch = st.st_epoch;
	so->so_dev = st.st_dev;
	so->so_ino = st.st_ino;
	so->so_peer = st.st_peer;
	so->so_ack = st.st_ack;
	so->so_hist = st.st_hist;
	return 0;
}

int
store_state_save(struct store *so)
{
	const struct follower *fo = so->so_fo;
	struct ds_state st = { so->so_id, so->so_epoch, so->so_dev,
	    so->so_ino, so->so_peer, so->so_ack, so->so_hist, 0 };
	char buf[STATE_MAX];
	struct stat sb;
	int n;

	if (so->so_mode != DS_BOTH)
		return 0;
	/* saved after the lease file: its size covers what we acknowledge */
	if (fo->fo_lfd != -1 && fstat(fo->fo_lfd, &sb) == 0)
		st.st_size = (uint64_t)sb.st_size;
	n = state_format(&st, so->so_fmt == DS_FMT_KEA, buf, sizeof(buf));
	if (n < 0 || atomicfile_write(so->so_state, buf, (size_t)n,
	    0600) == -1) {
		if (so->so_wfail == 0)
			log_warn("%s", so->so_state);
		return -1;
	}
	return 0;
}

struct wctx {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
	int	 grow;		/* keep it all in memory: one write */
};

static int
wflush(struct wctx *w)
{
	size_t off = 0;
	ssize_t n;

	while (off < w->len) {
		if ((n = write(w->fd, w->buf + off, w->len - off)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += (size_t)n;
	}
	w->len = 0;
	return 0;
}

static int
wput(struct wctx *w, const char *s, size_t n)
{
	char *nb;
	size_t cap;

	if (w->len + n > w->cap && w->grow) {
		cap = (w->cap + n) * 2;
		if ((nb = realloc(w->buf, cap)) == NULL)
			return -1;
		w->buf = nb;
		w->cap = cap;
	}
	if (w->len + n > w->cap && wflush(w) == -1)
		return -1;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	return 0;
}

static int
store_one(const struct entry *e, void *arg)
{
	struct wctx *w = arg;
	struct lease l;
	char text[LEASES_TEXT_MAX], err[128];
	int n;

	if (lease_decode(e->e_rec, e->e_len, &l, err, sizeof(err)) == -1 ||
	    (n = leases_format(&l, text, sizeof(text))) < 0) {
		log_warnx("internal: record for %s: %s", e->e_rec, err);
		return errno = EINVAL, -1;
	}
	return wput(w, text, (size_t)n);
}

/* Rewrites the lease file from the table and starts following the result. */
int
store_write(struct store *so)
{
	struct atomicfile af;
	struct wctx w = { -1, NULL, 0, 256 * 1024, 0 };
	struct stat st;
	const char *hdr = leases_header();
	int fd, saved;

	if ((w.buf = malloc(w.cap)) == NULL)
		return -1;
	if ((w.fd = atomicfile_open(&af, so->so_leases, 0644)) == -1) {
		log_warn("%s", so->so_leases);
		free(w.buf);
		return -1;
	}
	/* keep the server's ownership and mode */
	if (stat(so->so_leases, &st) == 0) {
		if (fchown(w.fd, st.st_uid, st.st_gid) == -1 && errno != EPERM)
			log_warn("%s: chown", so->so_leases);
		(void)fchmod(w.fd, st.st_mode & 07777);
	}
	if (wput(&w, hdr, strlen(hdr)) == -1 ||
	    table_walk(so->so_tab, store_one, &w) != 0 || wflush(&w) == -1) {
		saved = errno;
		atomicfile_abort(&af);
		free(w.buf);
		errno = saved;
		if (so->so_wfail == 0)
			log_warn("%s: write", so->so_leases);
		return -1;
	}
	free(w.buf);
	if (atomicfile_commit(&af) == -1) {
		if (so->so_wfail == 0)
			log_warn("%s: commit", so->so_leases);
		return -1;
	}
	/*
	 * Follow the file we wrote: a new generation whose bytes we know, so
	 * no re-read; a server started from it appends after them.
	 */
	if ((fd = open(so->so_leases, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		log_warn("%s: reopen", so->so_leases);
		if (fd != -1)
			close(fd);
		return -1;
	}
	follow_written(so->so_fo, fd, (uint64_t)st.st_size);
	so->so_epoch++;
	so->so_dev = st.st_dev;
	so->so_ino = st.st_ino;
	so->so_count->n_commits++;
	return 0;
}

void
store_commit_now(struct store *so)
{

	if (so->so_commit_pending) {
		event_del(so->so_commit_ev);
		store_commit_cb(-1, 0, so);
	}
}

#define STORE_PEND_MAX	8192	/* more changes than this: rewrite */

void
store_changed(struct store *so, uint32_t addr)
{
	uint32_t *np;
	size_t cap;

	if (so->so_pend_over)
		return;
	if (so->so_npend == so->so_pendcap) {
		/*
		 * A rewrite is cheaper past this many, unless it would drop
		 * the blocks the follower skipped: then every change is
		 * appended, however many.
		 */
		if (so->so_npend >= STORE_PEND_MAX &&
		    follow_skipped(so->so_fo) == 0) {
			so->so_pend_over = 1;
			return;
		}
		cap = so->so_pendcap ? so->so_pendcap * 2 : 1024;
		if ((np = reallocarray(so->so_pend, cap,
		    sizeof(*np))) == NULL) {
			so->so_pend_over = 1;
			return;
		}
		so->so_pend = np;
		so->so_pendcap = cap;
	}
	so->so_pend[so->so_npend++] = addr;
}

/*
 * Takes a failed append back: the file is cut to the size it had, so
 * no fragment of a block stays for dhcpd to call corrupt, and a retry
 * starts from the same end.  (Nobody else appends meanwhile: a running
 * dhcpd's file is not ours to write.)  If the cut fails the file may
 * hold a fragment: errno is then not ENOSPC, and the caller rewrites it.
 */
static void
store_untear(struct store *so, int fd, off_t size)
{
	int saved = errno;

	if (ftruncate(fd, size) == -1 || fdatasync(fd) == -1) {
		log_warn("%s: cannot cut a failed append back to %lld bytes",
		    so->so_leases, (long long)size);
		return;
	}
	errno = saved;
}


/*
 * A few changes are appended, the way dhcpd itself records them: one
 * write of whole blocks, then fsync.  A later block supersedes an
 * earlier one, so the file reads as the table; the follower reads our
 * blocks back and finds nothing new in them.  It runs in this loop too,
 * so it never sees an append that failed: that is cut back first.
 */
static int
store_append(struct store *so)
{
	struct wctx w = { -1, NULL, 0, 0, 1 };
	struct entry *e;
	struct stat st;
	size_t i, len;
	int rc = -1, saved;

	/* a block is ~300 bytes; wput grows the buffer past that */
	w.cap = so->so_npend * 512 + LEASES_TEXT_MAX;
	if ((w.buf = malloc(w.cap)) == NULL)
		return -1;
	if ((w.fd = open(so->so_leases, O_WRONLY | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW)) == -1 || fstat(w.fd, &st) == -1)
		goto out;
	for (i = 0; i < so->so_npend; i++)
		if ((e = table_get(so->so_tab,
		    so->so_pend[i])) != NULL &&
		    store_one(e, &w) == -1)
			goto out;
	len = w.len;
	/*
	 * Room first: on a full disk this fails before a byte lands, so
	 * not even a server starting that instant reads a fragment.  Where
	 * the file system cannot reserve, the cut below still undoes one.
	 */
	if ((len > 0 && fallocate(w.fd, FALLOC_FL_KEEP_SIZE, st.st_size,
	    (off_t)len) == -1 && errno != EOPNOTSUPP && errno != ENOSYS) ||
	    wflush(&w) == -1 || fdatasync(w.fd) == -1) {
		store_untear(so, w.fd, st.st_size);
		goto out;
	}
	so->so_appended += len;
	rc = 0;
out:
	saved = errno;
	if (rc == -1 && so->so_wfail == 0)
		log_warn("%s: append", so->so_leases);
	if (w.fd != -1)
		close(w.fd);
	free(w.buf);
	errno = saved;
	return rc;
}

/*
 * dhcpd runs: the lease file is its own until it stops.  The changes go
 * to the journal instead, durable before the ACK as the file would be.
 */
static int
store_hold(struct store *so)
{
	size_t before = so->so_nheld;

	if (journal_hold(so, so->so_pend_over ? NULL : so->so_pend,
	    so->so_npend) == -1)
		return -1;
	so->so_npend = 0;
	so->so_pend_over = 0;
	so->so_held_now = 1;
	if (before == 0 && so->so_nheld > 0)
		log_info("%s: dhcpd runs; holding the peer's records until it "
		    "stops", so->so_leases);
	return 0;
}

static int
store_rewrite(struct store *so)
{
	if (store_write(so) == -1)
		return -1;
	so->so_appended = 0;
	return 0;
}

/* No room: a rewrite needs the whole file again beside the old one. */
static int
store_full(int err)
{
	return err == ENOSPC || err == EDQUOT;
}

static int
store_apply(struct store *so)
{
	int rc, skips;

	/*
	 * Kea's file is Kea's: what we received is already in it, written
	 * by Kea before it answered our lease4-update or lease4-del.
	 */
	if (so->so_fmt == DS_FMT_KEA) {
		so->so_npend = 0;
		so->so_pend_over = 0;
		return 0;
	}
	so->so_held_now = 0;
	if (follow_server_running(so->so_fo, so->so_leases) == 1)
		return store_hold(so);
	/* what was held goes in with this batch, then leaves the journal */
	if (so->so_nheld > 0)
		journal_release(so);
	/*
	 * Like dhcpd: rewrite once the history outweighs the live leases.
	 * Not while the file holds blocks the follower skipped: a rewrite
	 * from the table would drop them, and they are leases too.
	 */
	skips = follow_skipped(so->so_fo) > 0;
	if (skips && so->so_pend_over) {
		log_warnx("%s: too many changes to append, and a rewrite "
		    "would drop the blocks that were skipped", so->so_leases);
		return errno = ENOMEM, -1;
	}
	if (!skips && (so->so_pend_over || so->so_appended > 4 * 1024 *
	    1024 + (uint64_t)so->so_tab->t_n * 256))
		rc = store_rewrite(so);
	else if ((rc = store_append(so)) == -1 && !skips &&
	    !store_full(errno))
		rc = store_rewrite(so);
	/* failed: the same changes are tried again */
	if (rc == 0) {
		so->so_npend = 0;
		so->so_pend_over = 0;
		if (so->so_nheld > 0) {
			log_info("%s: %zu held record(s) written",
			    so->so_leases, so->so_nheld);
			journal_clear(so);
		}
	}
	return rc;
}

/*
 * The disk refused (full, or failing): nothing is acknowledged, the
 * link stays up and the commit is tried again after --retry; records
 * arriving meanwhile join it.  The peer holds ours as unacknowledged
 * (its lag lines say so).  Said once per run of failures.
 */
static void
store_retry(struct store *so, int err)
{
	struct timeval tv = duration_tv(so->so_retry_usec);
	struct evline el;

	if (so->so_wfail++ == 0) {
		evline_begin(&el, "write-failed", NULL);
		evline_str(&el, "file", so->so_leases);
		evline_quoted(&el, "reason", strerror(err));
		evline_emit(&el);
	}
	so->so_count->n_wfail++;
	so->so_commit_pending = 1;
	event_add(so->so_commit_ev, &tv);
}

/* A commit went through after failures: say so once. */
static void
store_recovered(struct store *so)
{

	if (so->so_wfail == 0)
		return;
	log_info("%s: written again after %" PRIu64 " failed attempt(s)",
	    so->so_leases, so->so_wfail);
	so->so_wfail = 0;
}

/*
 * The loop ended: a stop between a merge and its commit commits now, not
 * half.  -1 if the peer's last records could not be written.
 */
int
store_stop(struct store *so)
{

	if (so->so_dirty && so->so_fmt == DS_FMT_KEA)
		/* Kea has it: applied before merged */
		so->so_dirty = 0;
	if (so->so_dirty && store_flush(so) == 0)
		so->so_dirty = 0;
	/* not on disk, so not acknowledged: the peer sends them again */
	if (so->so_dirty) {
		log_warnx("%s: stopping with the peer's last records not "
		    "written", so->so_leases);
		return -1;
	}
	if (so->so_rx != so->so_ack) {
		so->so_ack = so->so_rx;
		store_state_save(so);
	}
	return 0;
}

/* At stop: everything merged goes to disk, whole file or journal. */
int
store_flush(struct store *so)
{
	if (so->so_fmt == DS_FMT_DHCPD &&
	    follow_server_running(so->so_fo, so->so_leases) != 1 &&
	    follow_skipped(so->so_fo) == 0)
		so->so_pend_over = 1;
	return store_apply(so);
}

/*
 * What was merged goes to disk (file or journal) now, before the table
 * changes under it; the ACK stays with the next commit.
 */
int
store_settle(struct store *so)
{

	if (so->so_npend == 0 && !so->so_pend_over)
		return 0;
	return store_apply(so);
}

/*
 * A writer closed the lease file (dhcpd stopping closes it): if it was
 * dhcpd and records are held, they go in now, before its next start.
 */
void
store_server_closed(struct store *so)
{

	if (so->so_nheld == 0 || so->so_fmt != DS_FMT_DHCPD ||
	    follow_server_running(so->so_fo, so->so_leases) == 1)
		return;
	so->so_dirty = 1;
	store_commit_schedule(so);
}

/*
 * The batch goes to disk, then the state naming it: STORE_ACK when the
 * peer may now be told, STORE_NONE when nothing new is acknowledged,
 * STORE_RETRY when the disk refused (tried again after --retry).
 */
static int
store_commit(struct store *so)
{
	uint64_t t0 = mono_usec();
	int changed = so->so_dirty, rc = STORE_NONE;
	struct evline el;

	so->so_commit_pending = 0;
	if (so->so_dirty) {
		if (store_apply(so) == -1) {
			/* nothing acknowledged: tried again */
			store_retry(so, errno);
			return STORE_RETRY;
		}
		so->so_dirty = 0;
	}
	if (so->so_rx != so->so_ack || changed || so->so_wfail) {
		so->so_ack = so->so_rx;
		if (store_state_save(so) == -1) {
			store_retry(so, errno);
			return STORE_RETRY;
		}
		store_recovered(so);
		rc = STORE_ACK;
	}
	so->so_commit_end = mono_usec();
	so->so_commit_usec = so->so_commit_end - t0;
	if (changed)
		so->so_count->applied_end = so->so_commit_end;
	if (changed && so->so_held_now) {
		evline_begin(&el, "held", NULL);
		evline_uint(&el, "n", so->so_nheld);
		evline_uint(&el, "seq", so->so_ack);
		evline_str(&el, "reason", "server-running");
		evline_emit(&el);
	} else if (changed) {
		evline_begin(&el, "applied", NULL);
		evline_uint(&el, "n", so->so_tab->t_n);
		evline_uint(&el, "seq", so->so_ack);
		evline_uint(&el, "ms", so->so_commit_usec / 1000);
		evline_emit(&el);
	}
	return rc;
}

static void
store_commit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct store *so = arg;

	so->so_committed(so->so_committed_arg, store_commit(so));
}

/*
 * Commits are batched by their own cost: while they come back to back
 * (a bulk transfer), the next waits twice as long as the last took, so
 * a few large ones carry the stream.  A change after a quiet spell (the
 * last commit ended longer ago than that) goes at once: what arrived in
 * this turn of the loop is the batch.
 */
void
store_commit_schedule(struct store *so)
{
	uint64_t d = so->so_commit_usec * 2;
	struct timeval tv;

	if (so->so_commit_pending)
		return;
	if (d < 1000)
		d = 1000;
	if (d > 1000000)
		d = 1000000;
	if (mono_usec() - so->so_commit_end > d)
		d = 0;
	tv = duration_tv(d);
	so->so_commit_pending = 1;
	event_add(so->so_commit_ev, &tv);
}

int
store_init(struct store *so, struct event_base *base,
    void (*committed)(void *, int), void *arg)
{
	so->so_committed = committed;
	so->so_committed_arg = arg;
	so->so_commit_ev = evtimer_new(base, store_commit_cb, so);
	return so->so_commit_ev ? 0 : -1;
}
