/* SPDX-License-Identifier: ISC */
/*
 * Following the local server's lease file by name, with inotify on its
 * directory: dhcpd appends, and now and then writes a new file and
 * renames it over the old one (keeping dhcpd.leases~).  No polling.
 *
 * Each lease read gets the sequence number DS_SEQ(epoch, end offset of
 * its block): the same file read again after a restart gives the same
 * numbers, so the peer's acknowledgement still means what it meant.
 * A new file is a new epoch.
 *
 * Kea's kea-leases4.csv is followed the same way: Kea appends rows, and
 * when lfc-interval comes renames the file to FILE.1 and starts a new
 * one (history.c).  What was appended to the old file after our last
 * read is read from our open descriptor before we switch.
 *
 * dhcpd's file is never written while dhcpd has it open: the probe is a
 * read lease (follow_server_running), and its close when dhcpd stops is
 * the moment to write what was held meanwhile (journal.c).
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kea-csv.h"
#include "evline.h"
#include "dhcpd-file.h"
#include "log.h"
#include "dhcpsync.h"

#define FOLLOW_CHUNK	(1024 * 1024)

struct fctx {
	struct follower *fo;
	uint64_t base;		/* file offset of the buffer's first byte */
	size_t	 changed;
	size_t	 full;		/* new addresses past --max-leases */
	int	 skipchanged;
};

uint64_t
follow_skipped(const struct follower *fo)
{
	return fo->fo_nskip + fo->fo_skip_noaddr;
}

/*
 * store.c rewrote the file and hands us the result: its bytes are the
 * table's, so reading goes on after them.
 */
void
follow_written(struct follower *fo, int fd, uint64_t size)
{
	if (fo->fo_lfd != -1)
		close(fo->fo_lfd);
	fo->fo_lfd = fd;
	fo->fo_loff = size;
	fo->fo_lbuflen = 0;
	fo->fo_lbroken = 0;
}

/* A new file: what the old one could not carry is no longer in it. */
static void
follow_skip_reset(struct follower *fo)
{
	fo->fo_nskip = 0;
	fo->fo_skip_noaddr = 0;
}

/* A later good block for the address: it is carried again. */
static int
follow_skip_clear(struct follower *fo, uint32_t a)
{
	size_t i;

	for (i = 0; i < fo->fo_nskip; i++)
		if (fo->fo_skip[i] == a) {
			fo->fo_skip[i] = fo->fo_skip[--fo->fo_nskip];
			return 1;
		}
	return 0;
}

static int
follow_skip_add(struct follower *fo, uint32_t a)
{
	uint32_t *n;
	size_t i;

	for (i = 0; i < fo->fo_nskip; i++)
		if (fo->fo_skip[i] == a)
			return 0;
	if (fo->fo_nskip == fo->fo_skipcap) {
		if ((n = reallocarray(fo->fo_skip, fo->fo_skipcap + 64,
		    sizeof(*n))) == NULL)
			return -1;
		fo->fo_skip = n;
		fo->fo_skipcap += 64;
	}
	fo->fo_skip[fo->fo_nskip++] = a;
	return 0;
}

/* The parser's words for an event line's quoted value. */
static void
follow_quote(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i] != '\0'; i++)
		dst[i] = src[i] == '"' || src[i] == '\\' ? '\'' :
		    (unsigned char)src[i] < 0x20 ? '?' : src[i];
	dst[i] = '\0';
}

/*
 * A statement the parser stepped over: loud (log, event, status, the
 * peer hears of it), and the leases after it go on.
 */
static int
follow_skip(const struct leases_skip *sk, size_t end, void *arg)
{
	struct fctx *f = arg;
	struct follower *fo = f->fo;
	char ip[16] = "", why[256];
	const char *msg;
	struct evline el;

	fo->fo_count->n_skipped++;
	if (sk->ls_have_addr)
		lease_addr_format(sk->ls_addr, ip, sizeof(ip));
	/* "FILE:LINE: problem": the event names the file already */
	msg = strstr(sk->ls_why, ": ");
	follow_quote(why, sizeof(why), msg ? msg + 2 : sk->ls_why);
	if (sk->ls_lease) {
		log_warnx_rl("%s: lease %s at line %d skipped", sk->ls_why,
		    sk->ls_have_addr ? ip : "(bad address)", sk->ls_line);
		if (sk->ls_have_addr) {
			if (follow_skip_add(fo, sk->ls_addr) == -1)
				return -1;
		} else
			fo->fo_skip_noaddr++;
		f->skipchanged = 1;
	} else
		log_warnx_rl("%s: statement at line %d skipped", sk->ls_why,
		    sk->ls_line);
	evline_begin(&el, "skipped", NULL);
	if (sk->ls_have_addr)
		evline_str(&el, "addr", ip);
	else
		evline_null(&el, "addr", "-");
	evline_int(&el, "line", sk->ls_line);
	evline_quoted(&el, "reason", why);
	evline_emit(&el);
	return 0;
}

static int
follow_lease(const struct lease *l, size_t end, void *arg)
{
	struct fctx *f = arg;
	struct follower *fo = f->fo;
	char rec[LEASE_REC_MAX];
	struct entry *e;
	int n, rc, held;

	if ((n = lease_encode(l, rec, sizeof(rec))) < 0)
		return -1;
	held = (e = table_get(fo->fo_tab, l->l_addr)) != NULL && e->e_held;
	rc = table_merge(fo->fo_tab, l, rec, (size_t)n,
	    DS_SEQ(fo->fo_so->so_epoch, f->base + end));
	if (rc == -1 && errno == ENOSPC) {
		f->full++;	/* not taken; the others still are */
		return 0;
	}
	if (rc == -1)
		return -1;
	/* dhcpd gave the address anew: the held record is superseded */
	if (rc == MERGE_CHANGED && held && fo->fo_so->so_nheld > 0)
		fo->fo_so->so_nheld--;
	/* this generation holds the record the table has (follow_reconcile) */
	if (rc == MERGE_KEPT && (e = table_get(fo->fo_tab, l->l_addr)) &&
	    e->e_len == (size_t)n && memcmp(e->e_rec, rec, (size_t)n) == 0)
		e->e_gen = (uint32_t)fo->fo_so->so_epoch;
	if (rc == MERGE_CHANGED)
		f->changed++;
	if (fo->fo_nskip > 0 &&
	    follow_skip_clear(fo, l->l_addr))
		f->skipchanged = 1;
	return 0;
}

static void follow_reconcile(struct follower *);

/* Reads what was appended since last time; whole blocks only. */
int
follow_read(struct follower *fo)
{
	struct fctx f = { fo, 0, 0, 0, 0 };
	char err[512], why[256];
	size_t used;
	ssize_t n;
	char *nb;
	int lines, rc, shrunk = 0;
	struct stat st;
	struct evline el;

	if (fo->fo_lfd == -1 || fo->fo_lbroken)
		return 0;
	/*
	 * Shrunk in place (not dhcpd's way, but an operator's): offsets no
	 * longer mean what we sent, so it is a new generation from byte 0.
	 */
	if (fstat(fo->fo_lfd, &st) == 0 && (uint64_t)st.st_size < fo->fo_loff) {
		log_warnx("%s: truncated; reading it again", fo->fo_leases);
		shrunk = 1;
		fo->fo_loff = 0;
		fo->fo_lline = 1;
		fo->fo_lbuflen = 0;
		fo->fo_lhdr.ch_ncol = 0;
		fo->fo_so->so_epoch++;
		if (follow_skipped(fo) > 0 || fo->fo_lbroken)
			f.skipchanged = 1;
		follow_skip_reset(fo);
		if (store_state_save(fo->fo_so) == -1)
			return -1;
	}
	for (;;) {
		if (fo->fo_lbufcap - fo->fo_lbuflen < FOLLOW_CHUNK / 2) {
			nb = realloc(fo->fo_lbuf, fo->fo_lbufcap +
			    FOLLOW_CHUNK);
			if (nb == NULL)
				return -1;
			fo->fo_lbuf = nb;
			fo->fo_lbufcap += FOLLOW_CHUNK;
		}
		n = pread(fo->fo_lfd, fo->fo_lbuf + fo->fo_lbuflen,
		    fo->fo_lbufcap - fo->fo_lbuflen,
		    (off_t)(fo->fo_loff + fo->fo_lbuflen));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s: read", fo->fo_leases);
			return -1;
		}
		if (n == 0)
			break;
		fo->fo_lbuflen += (size_t)n;
		f.base = fo->fo_loff;
		if (fo->fo_fmt == DS_FMT_KEA) {
			f.base += DS_HBASE;
			rc = csv_parse_skip(fo->fo_lbuf, fo->fo_lbuflen,
			    fo->fo_leases, fo->fo_lline, 0, &fo->fo_lhdr,
			    follow_lease, follow_skip, &f, &used, &lines, err,
			    sizeof(err));
		} else
			rc = leases_parse(fo->fo_lbuf, fo->fo_lbuflen,
			    fo->fo_leases, fo->fo_lline, 0, follow_lease,
			    follow_skip, &f, &used, &lines, err, sizeof(err));
		if (rc == -1) {
			log_warnx("%s (not following this file until it is "
			    "replaced)", err);
			follow_quote(why, sizeof(why), err);
			evline_begin(&el, "file-broken", NULL);
			evline_quoted(&el, "reason", why);
			evline_emit(&el);
			fo->fo_lbroken = 1;
			f.skipchanged = 1;
			break;
		}
		memmove(fo->fo_lbuf, fo->fo_lbuf + used,
		    fo->fo_lbuflen - used);
		fo->fo_lbuflen -= used;
		fo->fo_loff += used;
		fo->fo_lline = lines;
		if (fo->fo_lbuflen > LEASES_STMT_MAX * 2) {
			log_warnx("%s:%d: statement too long", fo->fo_leases,
			    fo->fo_lline);
			evline_begin(&el, "file-broken", NULL);
			evline_quotedf(&el, "reason", "%s:%d: statement too "
			    "long", fo->fo_leases, fo->fo_lline);
			evline_emit(&el);
			fo->fo_lbroken = 1;
			f.skipchanged = 1;
			break;
		}
	}
	/* The parser keeps the buffer's tail; shrink after a bulk read. */
	if (fo->fo_lbufcap > 2 * FOLLOW_CHUNK && fo->fo_lbuflen <
	    FOLLOW_CHUNK / 2) {
		if ((nb = realloc(fo->fo_lbuf, FOLLOW_CHUNK)) != NULL) {
			fo->fo_lbuf = nb;
			fo->fo_lbufcap = FOLLOW_CHUNK;
		}
	}
	if (f.full > 0) {
		fo->fo_count->n_limit += f.full;
		log_warnx("%s: %zu new lease(s) not taken: the table is full "
		    "(--max-leases %zu)", fo->fo_leases, f.full,
		    fo->fo_tab->t_max);
	}
	if (f.changed > 0) {
		fo->fo_count->n_local += f.changed;
		log_debug("%s: %zu lease(s) changed", fo->fo_leases, f.changed);
	}
	if (f.changed > 0 || f.skipchanged)
		fo->fo_changed(fo->fo_changed_arg);
	/* what was cut off may hold the peer's records: write them again */
	if (shrunk && fo->fo_fmt == DS_FMT_DHCPD && fo->fo_mode != DS_SEND &&
	    !fo->fo_lbroken)
		follow_reconcile(fo);
	return 0;
}

/*
 * Does the local dhcpd run?  It keeps its lease file open for writing
 * for its whole life, and a read lease (fcntl(2) F_SETLEASE) is refused
 * with EAGAIN exactly while some process has the file open for writing;
 * it is released at once.  1 runs, 0 does not, -1 cannot tell (then we
 * write as if it did not, and say so once).
 */
int
follow_server_running(struct follower *fo, const char *leases)
{
	int fd, rc = 0;

	if ((fd = open(leases, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
	    O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return 0;
		rc = errno == EWOULDBLOCK ? 1 : -1;	/* a write lease */
	} else if (fcntl(fd, F_SETLEASE, F_RDLCK) == -1)
		rc = errno == EAGAIN ? 1 : -1;
	else
		(void)fcntl(fd, F_SETLEASE, F_UNLCK);
	if (rc == -1 && !fo->fo_probe_failed) {
		log_warn("%s: cannot tell whether dhcpd has it open (needs "
		    "root or the file's owner); writing to it as if not",
		    leases);
		fo->fo_probe_failed = 1;
	}
	if (fd != -1)
		close(fd);
	return rc;
}

/*
 * A new generation, read whole: dhcpd wrote it from its memory.  A peer
 * record it does not hold (dhcpd read the file before we appended it,
 * or started between our check and our write) would be lost with the
 * old file: it goes back to the journal, or into the file again.
 */
static void
follow_reconcile(struct follower *fo)
{
	struct store *so = fo->fo_so;
	struct entry *e;
	size_t i, n = 0;

	for (i = 0; i < fo->fo_tab->t_cap; i++) {
		e = fo->fo_tab->t_slots[i];
		if (e == NULL || e->e_seq != 0 || e->e_held ||
		    e->e_gen == (uint32_t)so->so_epoch)
			continue;
		store_changed(fo->fo_so, e->e_addr);
		n++;
	}
	if (n == 0)
		return;
	log_info("%s: new file without %zu of the peer's records; writing "
	    "them again", fo->fo_leases, n);
	so->so_dirty = 1;
	store_commit_schedule(fo->fo_so);
}

/* (Re)opens the file by name; a file we have not seen is a new epoch. */
static int
follow_open(struct follower *fo)
{
	struct store *so = fo->fo_so;
	struct stat st;
	int fd;

	if ((fd = open(fo->fo_leases, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;	/* wait for IN_CREATE/IN_MOVED_TO */
		log_warn("%s", fo->fo_leases);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	if (fo->fo_lfd != -1 && st.st_dev == so->so_dev &&
	    st.st_ino == so->so_ino) {
		close(fd);	/* the file we follow already (our own) */
		return 0;
	}
	if (fo->fo_lfd != -1) {
		/* Kea's rotation: the old file's tail is not in the new one */
		follow_read(fo);
		close(fo->fo_lfd);
		fo->fo_hist_live = 1;
	}
	fo->fo_lfd = fd;
	fo->fo_loff = 0;
	fo->fo_lline = 1;
	fo->fo_lbuflen = 0;
	fo->fo_lbroken = 0;
	follow_skip_reset(fo);
	fo->fo_lhdr.ch_ncol = 0;
	if (st.st_dev != so->so_dev || st.st_ino != so->so_ino) {
		so->so_epoch++;
		so->so_dev = st.st_dev;
		so->so_ino = st.st_ino;
		if (fo->fo_hist_live)
			so->so_hist = history_fingerprint(fo->fo_leases);
		/* before any number of this epoch goes out */
		if (store_state_save(fo->fo_so) == -1)
			return -1;
	}
	if (follow_read(fo) == -1)
		return -1;
	/* the old file's skips are gone */
	fo->fo_changed(fo->fo_changed_arg);
	if (fo->fo_fmt == DS_FMT_DHCPD && fo->fo_mode != DS_SEND &&
	    !fo->fo_lbroken)
		follow_reconcile(fo);
	return 0;
}

/*
 * kea-lfc rewrote the older files.  While this epoch holds no numbers of
 * ours from them (it began with a live rotation), a restart may read the
 * new ones into it: remember them, so that restart keeps the epoch.
 */
static void
follow_history_changed(struct follower *fo)
{
	struct store *so = fo->fo_so;
	uint64_t h;

	if (!fo->fo_hist_live ||
	    (h = history_fingerprint(fo->fo_leases)) == so->so_hist)
		return;
	so->so_hist = h;
	store_state_save(fo->fo_so);
}

static void
follow_cb(evutil_socket_t fd, short what, void *arg)
{
	struct follower *fo = arg;
	char buf[8192] __attribute__((aligned(8)));
	const struct inotify_event *ie;
	char *copy, *base;
	ssize_t n;
	size_t off;
	int reopen = 0, more = 0, hist = 0, closed = 0;

	copy = strdup(fo->fo_leases);
	base = copy ? basename(copy) : NULL;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off + sizeof(*ie) <= (size_t)n;
		    off += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)(buf + off);
			if (ie->mask & IN_Q_OVERFLOW)
				reopen = more = 1;
			if (ie->len > 0 && fo->fo_fmt == DS_FMT_KEA &&
			    history_is(fo->fo_leases, ie->name))
				hist = 1;
			if (ie->len == 0 || base == NULL ||
			    strcmp(ie->name, base) != 0)
				continue;
			if (ie->mask & (IN_MOVED_TO | IN_CREATE))
				reopen = 1;
			else
				more = 1;
			if (ie->mask & IN_CLOSE_WRITE)
				closed = 1;
		}
	}
	free(copy);
	if (reopen)
		follow_open(fo);
	else if (more)
		follow_read(fo);
	/* dhcpd exiting closes its file: what is held goes in now */
	if (closed || reopen)
		store_server_closed(fo->fo_so);
	if (hist)
		follow_history_changed(fo);
}

/*
 * Kea, at start: the older files go into the table first.  Their numbers
 * hold only while the followed file and they are what the state file
 * says; otherwise this is a new epoch, saved before any number goes out.
 */
static int
follow_kea_start(struct follower *fo)
{
	struct store *so = fo->fo_so;
	uint64_t h = history_fingerprint(fo->fo_leases);
	struct stat st;

	if (stat(fo->fo_leases, &st) == -1 || (uint64_t)st.st_dev !=
	    so->so_dev || (uint64_t)st.st_ino != so->so_ino ||
	    h != so->so_hist) {
		so->so_epoch++;
		so->so_hist = h;
		if (store_state_save(fo->fo_so) == -1)
			return -1;
	}
	return history_load(fo->fo_leases, fo->fo_tab,
	    fo->fo_so->so_epoch, fo->fo_count);
}

int
follow_init(struct follower *fo, struct event_base *base,
    void (*changed)(void *), void *arg)
{
	char dir[PATH_MAX];

	fo->fo_changed = changed;
	fo->fo_changed_arg = arg;
	fo->fo_lfd = -1;
	snprintf(dir, sizeof(dir), "%s", fo->fo_leases);
	if ((fo->fo_ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		log_warn("inotify");
		return -1;
	}
	if (inotify_add_watch(fo->fo_ifd, dirname(dir), IN_MODIFY |
	    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE) == -1) {
		log_warn("inotify: %s", dir);
		return -1;
	}
	fo->fo_iev = event_new(base, fo->fo_ifd, EV_READ | EV_PERSIST,
	    follow_cb, fo);
	if (fo->fo_iev == NULL || event_add(fo->fo_iev, NULL) == -1)
		return -1;
	if (fo->fo_fmt == DS_FMT_KEA && follow_kea_start(fo) == -1)
		return -1;
	return follow_open(fo);
}
