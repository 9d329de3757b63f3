/*
 * What is on disk: the lease file, rewritten atomically in dhcpd's own
 * format when the peer's records change it, and the small state file
 * holding both streams' resume points.  The order is the promise: lease
 * file first, then the state naming what it holds, then the ACK.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "duration.h"
#include "event.h"
#include "leases.h"
#include "log.h"
#include "dhcpsync.h"
#include "proto.h"

static void store_commit_cb(evutil_socket_t, short, void *);

int
store_state_load(struct ds *ds)
{
	char buf[1024], key[32];
	uint64_t v;
	FILE *f;
	int line = 0;

	/* one way: a fresh stream id every run, nothing on disk */
	if (ds->ds_mode != DS_BOTH) {
		f = NULL;
		errno = ENOENT;
	} else
		f = fopen(ds->ds_state, "re");
	if (f == NULL) {
		if (errno != ENOENT) {
			log_warn("%s", ds->ds_state);
			return -1;
		}
		if (getrandom(&ds->ds_id, sizeof(ds->ds_id), 0) !=
		    sizeof(ds->ds_id)) {
			log_warn("getrandom");
			return -1;
		}
		ds->ds_id |= 1;		/* 0 means none */
		return 0;
	}
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		if (line == 1) {
			if (strcmp(buf, "dhcpsync-state 1\n") != 0)
				goto bad;
			continue;
		}
		if (sscanf(buf, "%31[a-z]=%" SCNx64, key, &v) != 2)
			goto bad;
		if (strcmp(key, "id") == 0)
			ds->ds_id = v;
		else if (strcmp(key, "epoch") == 0)
			ds->ds_epoch = v;
		else if (strcmp(key, "dev") == 0)
			ds->ds_dev = v;
		else if (strcmp(key, "ino") == 0)
			ds->ds_ino = v;
		else if (strcmp(key, "peer") == 0)
			ds->ds_peer = v;
		else if (strcmp(key, "ack") == 0)
			ds->ds_ack = v;
		else if (strcmp(key, "hist") == 0)
			ds->ds_hist = v;
		else
			goto bad;
	}
	fclose(f);
	if (ds->ds_id == 0) {
		log_warnx("%s: no id", ds->ds_state);
		return -1;
	}
	return 0;
bad:
	log_warnx("%s:%d: not a dhcpsync state line", ds->ds_state, line);
	fclose(f);
	return -1;
}

int
store_state_save(struct ds *ds)
{
	char buf[512];
	int n;

	if (ds->ds_mode != DS_BOTH)
		return 0;
	n = snprintf(buf, sizeof(buf), "dhcpsync-state 1\nid=%" PRIx64
	    "\nepoch=%" PRIx64 "\ndev=%" PRIx64 "\nino=%" PRIx64 "\npeer=%"
	    PRIx64 "\nack=%" PRIx64 "\n", ds->ds_id, ds->ds_epoch, ds->ds_dev,
	    ds->ds_ino, ds->ds_peer, ds->ds_ack);
	if (ds->ds_fmt == DS_FMT_KEA)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "hist=%"
		    PRIx64 "\n", ds->ds_hist);
	if (atomicfile_write(ds->ds_state, buf, (size_t)n, 0600) == -1) {
		log_warn("%s", ds->ds_state);
		return -1;
	}
	return 0;
}

struct wctx {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
	int	 failed;
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
store_write(struct ds *ds)
{
	struct atomicfile af;
	struct wctx w = { -1, NULL, 0, 256 * 1024, 0 };
	struct stat st;
	const char *hdr = leases_header();
	int fd, saved;

	if ((w.buf = malloc(w.cap)) == NULL)
		return -1;
	if ((w.fd = atomicfile_open(&af, ds->ds_leases, 0644)) == -1) {
		log_warn("%s", ds->ds_leases);
		free(w.buf);
		return -1;
	}
	/* keep the server's ownership and mode */
	if (stat(ds->ds_leases, &st) == 0) {
		if (fchown(w.fd, st.st_uid, st.st_gid) == -1 && errno != EPERM)
			log_warn("%s: chown", ds->ds_leases);
		(void)fchmod(w.fd, st.st_mode & 07777);
	}
	if (wput(&w, hdr, strlen(hdr)) == -1 ||
	    table_walk(&ds->ds_tab, store_one, &w) != 0 || wflush(&w) == -1) {
		saved = errno;
		atomicfile_abort(&af);
		free(w.buf);
		errno = saved;
		log_warn("%s: write", ds->ds_leases);
		return -1;
	}
	free(w.buf);
	if (atomicfile_commit(&af) == -1) {
		log_warn("%s: commit", ds->ds_leases);
		return -1;
	}
	/*
	 * Follow the file we wrote: a new generation whose bytes we know, so
	 * no re-read; a server started from it appends after them.
	 */
	if ((fd = open(ds->ds_leases, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		log_warn("%s: reopen", ds->ds_leases);
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (ds->ds_lfd != -1)
		close(ds->ds_lfd);
	ds->ds_lfd = fd;
	ds->ds_loff = (uint64_t)st.st_size;
	ds->ds_lbuflen = 0;
	ds->ds_lbroken = 0;
	ds->ds_epoch++;
	ds->ds_dev = st.st_dev;
	ds->ds_ino = st.st_ino;
	ds->ds_n_commits++;
	return 0;
}

void
store_commit_now(struct ds *ds)
{
	if (ds->ds_commit_pending) {
		event_del(ds->ds_commit_ev);
		store_commit_cb(-1, 0, ds);
	}
}

#define STORE_PEND_MAX	8192	/* more changes than this: rewrite */

void
store_changed(struct ds *ds, uint32_t addr)
{
	if (ds->ds_pend_over)
		return;
	if (ds->ds_pend == NULL && (ds->ds_pend = calloc(STORE_PEND_MAX,
	    sizeof(*ds->ds_pend))) == NULL) {
		ds->ds_pend_over = 1;
		return;
	}
	if (ds->ds_npend == STORE_PEND_MAX)
		ds->ds_pend_over = 1;
	else
		ds->ds_pend[ds->ds_npend++] = addr;
}

/*
 * A few changes are appended, the way dhcpd itself records them: one
 * write of whole blocks, then fsync.  A later block supersedes an
 * earlier one, so the file reads as the table; the follower reads our
 * blocks back and finds nothing new in them.
 */
static int
store_append(struct ds *ds)
{
	struct wctx w = { -1, NULL, 0, 0, 0 };
	struct entry *e;
	size_t i;
	int rc = -1;

	/* room for the longest block, whatever the average */
	w.cap = ds->ds_npend * 8192 + LEASES_TEXT_MAX;
	if ((w.buf = malloc(w.cap)) == NULL)
		return -1;
	if ((w.fd = open(ds->ds_leases, O_WRONLY | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW)) == -1)
		goto out;
	for (i = 0; i < ds->ds_npend; i++)
		if ((e = table_get(&ds->ds_tab, ds->ds_pend[i])) != NULL &&
		    store_one(e, &w) == -1)
			goto out;
	ds->ds_appended += w.len;
	if (wflush(&w) == -1 || fdatasync(w.fd) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		log_warn("%s: append", ds->ds_leases);
	if (w.fd != -1)
		close(w.fd);
	free(w.buf);
	return rc;
}

static int
store_apply(struct ds *ds)
{
	int rc;

	/*
	 * Kea's file is Kea's: what we received is already in it, written
	 * by Kea before it answered our lease4-update or lease4-del.
	 */
	if (ds->ds_fmt == DS_FMT_KEA) {
		ds->ds_npend = 0;
		ds->ds_pend_over = 0;
		return 0;
	}
	/* like dhcpd: rewrite once the history outweighs the live leases */
	if (ds->ds_pend_over || ds->ds_appended > 4 * 1024 * 1024 +
	    (uint64_t)ds->ds_tab.t_n * 256 || store_append(ds) == -1) {
		rc = store_write(ds);
		if (rc == 0)
			ds->ds_appended = 0;
	} else
		rc = 0;
	ds->ds_npend = 0;
	ds->ds_pend_over = 0;
	return rc;
}

static void
store_commit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ds *ds = arg;
	uint64_t t0 = mono_usec();
	int changed = ds->ds_dirty;
	char line[64];
	int n;

	ds->ds_commit_pending = 0;
	if (ds->ds_dirty) {
		if (store_apply(ds) == -1) {
			/* nothing acknowledged: the peer resends */
			session_close(ds, "write-failed");
			return;
		}
		ds->ds_dirty = 0;
	}
	if (ds->ds_rx != ds->ds_ack || changed) {
		ds->ds_ack = ds->ds_rx;
		if (store_state_save(ds) == -1) {
			session_close(ds, "write-failed");
			return;
		}
		if (ds->ds_bout && (n = proto_simple(line, sizeof(line), "ACK",
		    ds->ds_ack)) > 0)
			bufferevent_write(ds->ds_bout, line, (size_t)n);
	}
	ds->ds_commit_usec = mono_usec() - t0;
	if (changed)
		event_emit("applied", NULL, "n=%zu seq=%" PRIu64 " ms=%" PRIu64,
		    ds->ds_tab.t_n, ds->ds_ack, ds->ds_commit_usec / 1000);
	session_acked(ds);
}

/*
 * Rewrites are batched: the delay follows the cost of the last one, so a
 * bulk transfer rewrites a few times, a single change almost at once.
 */
void
store_commit_schedule(struct ds *ds)
{
	uint64_t d = ds->ds_commit_usec * 2;
	struct timeval tv;

	if (ds->ds_commit_pending)
		return;
	if (d < 1000)
		d = 1000;
	if (d > 1000000)
		d = 1000000;
	tv = duration_tv(d);
	ds->ds_commit_pending = 1;
	event_add(ds->ds_commit_ev, &tv);
}

int
store_init(struct ds *ds)
{
	ds->ds_commit_ev = evtimer_new(ds->ds_base, store_commit_cb, ds);
	return ds->ds_commit_ev ? 0 : -1;
}
