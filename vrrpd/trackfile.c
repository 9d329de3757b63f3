/* SPDX-License-Identifier: ISC */
/*
 * track_file: a number in a file moves priority (keepalived's maintenance
 * switch, "echo -254 > FILE").  inotify on the file's directory tells of
 * every close after a write, rename and removal, so an operator's echo,
 * an editor's rename-over and an rm all count; a missing or empty file
 * reads 0, as in keepalived.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <event2/event.h>

#include "errbuf.h"
#include "log.h"
#include "vrrpd.h"

#define TF_MASK	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
		    IN_CREATE)

struct tfile {
	struct cfg_tfile tf_cfg;
	long		 tf_value;
	int		 tf_wd;
	const char	*tf_base;	/* the name in its directory */
};

struct trackfiles {
	int		 tfs_fd;	/* inotify */
	struct event	*tfs_ev;
	struct tfile	 tfs_f[CFG_MAX_SCRIPTS];
	int		 tfs_n;
};

/*
 * The file's number: 0 when missing or empty (keepalived's reading too),
 * the old value kept when it is not an int.
 */
static long
tf_read(const struct tfile *f, long old)
{
	char buf[128], *end;
	ssize_t n;
	long v;
	int fd;

	if ((fd = open(f->tf_cfg.ctf_path, O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 0);
	if (end == buf)
		return 0;
	if (errno || v < INT_MIN || v > INT_MAX) {
		log_warnx("track_file %s: %s: not a number of int range; "
		    "ignored", f->tf_cfg.ctf_name, f->tf_cfg.ctf_path);
		return old;
	}
	return v;
}

/* init_file: VALUE to the file, if missing (or always with overwrite). */
static void
tf_init(const struct cfg_tfile *c)
{
	char buf[32];
	int fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC;
	size_t len;

	if (!c->ctf_init)
		return;
	flags |= c->ctf_init_overwrite ? O_TRUNC : O_EXCL;
	if ((fd = open(c->ctf_path, flags, 0644)) == -1) {
		if (errno != EEXIST)
			log_warn("track_file %s: init_file %s",
			    c->ctf_name, c->ctf_path);
		return;
	}
	len = (size_t)snprintf(buf, sizeof(buf), "%ld\n", c->ctf_init_value);
	if (write(fd, buf, len) != (ssize_t)len)
		log_warn("track_file %s: init_file %s", c->ctf_name,
		    c->ctf_path);
	close(fd);
}

static void
tf_reread(struct vrrpd *d, struct tfile *f)
{
	long v = tf_read(f, f->tf_value);

	if (v == f->tf_value)
		return;
	log_info("track_file %s: %ld (was %ld)", f->tf_cfg.ctf_name, v,
	    f->tf_value);
	f->tf_value = v;
	inst_tracker_changed(d, TRACK_FILES, f->tf_cfg.ctf_name);
}

static void
tf_event_cb(int fd, short ev, void *arg)
{
	struct vrrpd *d = arg;
	struct trackfiles *t = d->d_tfiles;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ie;
	ssize_t n;
	size_t off;
	int i, all = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (off = 0; off + sizeof(*ie) <= (size_t)n;
		    off += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)(void *)(buf + off);
			if (ie->mask & IN_Q_OVERFLOW)
				all = 1;
			for (i = 0; i < t->tfs_n; i++)
				if (ie->wd == t->tfs_f[i].tf_wd && ie->len &&
				    strcmp(ie->name, t->tfs_f[i].tf_base) == 0)
					tf_reread(d, &t->tfs_f[i]);
		}
	/* events lost: read every file afresh */
	for (i = 0; all && i < t->tfs_n; i++)
		tf_reread(d, &t->tfs_f[i]);
}

/* A watch on f's directory; 0 or -1 (err says why). */
static int
tf_watch(struct trackfiles *t, struct tfile *f, char *err, size_t errlen)
{
	char dir[CFG_CMD_LEN], *slash;

	snprintf(dir, sizeof(dir), "%s", f->tf_cfg.ctf_path);
	if ((slash = strrchr(dir, '/')) == NULL)
		return errbuf_set(err, errlen,
		    "track_file %s: %s: not an absolute "
		    "path", f->tf_cfg.ctf_name, f->tf_cfg.ctf_path);
	f->tf_base = strrchr(f->tf_cfg.ctf_path, '/') + 1;
	if (slash == dir)
		slash++;
	*slash = '\0';
	if ((f->tf_wd = inotify_add_watch(t->tfs_fd, dir, TF_MASK |
	    IN_ONLYDIR)) == -1)
		return errbuf_set(err, errlen,
		    "track_file %s: directory %s: %s",
		    f->tf_cfg.ctf_name, dir, strerror(errno));
	return 0;
}

static const struct tfile *
tf_find(const struct trackfiles *t, const char *name)
{
	int i;

	for (i = 0; t && i < t->tfs_n; i++)
		if (strcmp(t->tfs_f[i].tf_cfg.ctf_name, name) == 0)
			return &t->tfs_f[i];
	return NULL;
}

static void
tf_free(struct trackfiles *t)
{
	if (t == NULL)
		return;
	if (t->tfs_ev)
		event_free(t->tfs_ev);
	if (t->tfs_fd >= 0)
		close(t->tfs_fd);
	free(t);
}

int
trackfile_setup(struct vrrpd *d, char *err, size_t errlen)
{
	struct config *cf = d->d_cf;
	struct trackfiles *t;
	struct tfile *f;
	int i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return errbuf_set(err, errlen, "out of memory");
	t->tfs_fd = -1;
	if (cf->cf_ntfiles > 0) {
		if ((t->tfs_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) ==
		    -1) {
			snprintf(err, errlen, "inotify: %s", strerror(errno));
			tf_free(t);
			return -1;
		}
		t->tfs_ev = event_new(d->d_base, t->tfs_fd,
		    EV_READ | EV_PERSIST, tf_event_cb, d);
		if (t->tfs_ev == NULL || event_add(t->tfs_ev, NULL) == -1) {
			snprintf(err, errlen, "out of memory");
			tf_free(t);
			return -1;
		}
	}
	for (i = 0; i < cf->cf_ntfiles; i++) {
		f = &t->tfs_f[t->tfs_n++];
		f->tf_cfg = cf->cf_tfiles[i];
		/* a reload never resets an operator's switch */
		if (tf_find(d->d_tfiles, f->tf_cfg.ctf_name) == NULL)
			tf_init(&f->tf_cfg);
		if (tf_watch(t, f, err, errlen) == -1) {
			tf_free(t);
			return -1;
		}
		/* watched first, then read: no write falls in between */
		f->tf_value = tf_read(f, 0);
		if (f->tf_value != 0)
			log_info("track_file %s: %ld", f->tf_cfg.ctf_name,
			    f->tf_value);
	}
	trackfile_teardown(d);
	d->d_tfiles = t;
	return 0;
}

void
trackfile_teardown(struct vrrpd *d)
{
	tf_free(d->d_tfiles);
	d->d_tfiles = NULL;
}

/*
 * keepalived's arithmetic: weight 0 makes any non-zero value a fault;
 * otherwise value x weight (negated by reverse), capped to -254..253,
 * and -254 is a fault.
 */
int
trackfile_weigh(const struct inst *in, int *fault, char *why, size_t len)
{
	const struct cfg_instance *c = &in->in_cfg;
	const struct trackfiles *t = in->in_d->d_tfiles;
	const struct tfile *f;
	long long r;
	long w;
	int i, rev, sum = 0;

	for (i = 0; t && i < c->ci_ntfiles; i++) {
		if ((f = tf_find(t, c->ci_tfiles[i].ct_name)) == NULL)
			continue;
		w = cfg_track_weight(&c->ci_tfiles[i], f->tf_cfg.ctf_weight);
		rev = cfg_track_reverse(&c->ci_tfiles[i], f->tf_cfg.ctf_reverse);
		if (w == 0) {
			r = (f->tf_value != 0) != rev ? -254 : 0;
		} else {
			r = (long long)f->tf_value * w * (rev ? -1 : 1);
			r = r < -254 ? -254 : r > 253 ? 253 : r;
		}
		if (r == -254) {
			if (!*fault)
				snprintf(why, len, "file-%s",
				    f->tf_cfg.ctf_name);
			*fault = 1;
		} else
			sum += (int)r;
	}
	return sum;
}
