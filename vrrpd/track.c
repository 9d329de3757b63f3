/* SPDX-License-Identifier: ISC */
/*
 * Track scripts (vrrp_script, --track) run through the runner every
 * interval; rise/fall turn results into up/down.  --track-fd reads event
 * lines instead: svccheck --watch's "up NAME ..." / "down NAME ...", plain
 * "up" / "down", "weight N", or their --json form.  A change re-weighs
 * every instance that tracks the script.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "duration.h"
#include "errbuf.h"
#include "log.h"
#include "metrics.h"
#include "vrrpd.h"

struct track *
track_find(const struct vrrpd *d, const char *name)
{
	int i;

	for (i = 0; i < d->d_ntracks; i++)
		if (strcmp(d->d_tracks[i]->tr_cfg.cs_name, name) == 0)
			return d->d_tracks[i];
	return NULL;
}

static void
track_changed(struct track *t)
{
	struct vrrpd *d = t->tr_d;
	int i;

	/* a first result may end an instance's INIT hold (inst.c) */
	if (!t->tr_answered) {
		t->tr_answered = 1;
		for (i = 0; i < d->d_ninst; i++)
			if (d->d_inst[i]->in_held)
				inst_track_changed(d->d_inst[i]);
	}
	inst_tracker_changed(d, TRACK_SCRIPTS, t->tr_cfg.cs_name);
}

/* One result: rise consecutive successes for up, fall failures for down. */
static void
track_result(struct track *t, int ok)
{
	int pending = t->tr_pending;

	t->tr_pending = 0;
	if (ok == t->tr_up) {
		t->tr_count = 0;
		if (pending || !t->tr_answered)
			track_changed(t);
		return;
	}
	if (++t->tr_count < (ok ? t->tr_cfg.cs_rise : t->tr_cfg.cs_fall)) {
		if (!t->tr_answered)
			track_changed(t);
		return;
	}
	t->tr_count = 0;
	t->tr_up = ok;
	log_info("track %s: %s", t->tr_cfg.cs_name, ok ? "up" : "down");
	track_changed(t);
}

static void
track_timer_cb(int fd, short ev, void *arg)
{
	struct track *t = arg;
	struct timeval tv = duration_tv(t->tr_cfg.cs_interval);
	uint64_t timeout = t->tr_cfg.cs_timeout ? t->tr_cfg.cs_timeout :
	    t->tr_cfg.cs_interval;


	evtimer_add(t->tr_timer, &tv);
	if (t->tr_running)
		return;		/* still running: its timeout will end it */
	struct runner_req rq = { .rq_id = t->tr_id, .rq_kind = RUNNER_SCRIPT,
	    .rq_index = t->tr_id - 1, .rq_timeout_ms = (uint32_t)(timeout /
	    1000) };

	if (runner_run(&t->tr_d->d_runner, t->tr_d->d_cf, &rq) == -1) {
		log_warnx("track %s: cannot start the command",
		    t->tr_cfg.cs_name);
		t->tr_fails++;
		track_result(t, 0);
		return;
	}
	t->tr_running = 1;
}

void
track_runner_cb(int fd, short ev, void *arg)
{
	struct vrrpd *d = arg;
	struct runner_reply r;
	struct track *t;
	int rc;

	while ((rc = runner_read(&d->d_runner, &r)) == 1) {
		if (hook_reply(d, &r))
			continue;
		if (r.rr_id & METRICS_NOTIFY_BIT) {
			metrics_notify_done(d, r.rr_id, r.rr_status);
			continue;
		}
		if (r.rr_id == 0 || r.rr_id > (uint32_t)d->d_ntracks)
			continue;
		t = d->d_tracks[r.rr_id - 1];
		t->tr_running = 0;
		t->tr_runs++;
		if (r.rr_status != 0)
			t->tr_fails++;
		if (r.rr_status == RUNNER_TIMEOUT)
			log_info("track %s: timed out", t->tr_cfg.cs_name);
		else if (r.rr_status == RUNNER_STALE ||
		    r.rr_status == RUNNER_BUSY)
			log_warnx("track %s: the runner did not run it",
			    t->tr_cfg.cs_name);
		track_result(t, r.rr_status == 0);
	}
	if (rc == -1 && !d->d_stopping) {
		log_warnx("command runner died; tracks count as down");
		event_del(d->d_ev_runner);
		for (rc = 0; rc < d->d_ntracks; rc++)
			if (d->d_tracks[rc]->tr_cfg.cs_fd < 0)
				track_result(d->d_tracks[rc], 0);
	}
}

static int
track_word(const char *line, const char *w)
{
	size_t n = strlen(w);

	return strncmp(line, w, n) == 0 &&
	    (line[n] == '\0' || isspace((unsigned char)line[n]));
}

/* An event line of DESIGN.md: "WORD ..." or a JSON object with "event". */
static int
track_is_event(const char *line)
{
	const char *p = line;

	if (strncmp(line, "{\"event\":\"", 10) == 0)
		return 1;
	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
		p++;
	return *p == '\0' || *p == ' ' || *p == '\t';
}

int
track_line(struct track *t, const char *line)
{
	char *end;
	long w;

	while (isspace((unsigned char)*line))
		line++;
	/* --json producers: {"event":"up",...} */
	if (strncmp(line, "{\"event\":\"up\"", 13) == 0)
		line = "up";
	else if (strncmp(line, "{\"event\":\"down\"", 15) == 0)
		line = "down";
	if (track_word(line, "up")) {
		t->tr_count = 0;
		if (!t->tr_up) {
			t->tr_up = 1;
			log_info("track %s: up", t->tr_cfg.cs_name);
			track_changed(t);
		}
		return 0;
	}
	if (track_word(line, "down")) {
		t->tr_count = 0;
		if (t->tr_up) {
			t->tr_up = 0;
			log_info("track %s: down", t->tr_cfg.cs_name);
			track_changed(t);
		}
		return 0;
	}
	if (track_word(line, "weight")) {
		errno = 0;
		w = strtol(line + 6, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (errno || end == line + 6 || *end || w < -254 || w > 254)
			return -1;
		if (t->tr_dynweight != (int)w) {
			t->tr_dynweight = (int)w;
			log_info("track %s: weight %ld", t->tr_cfg.cs_name, w);
			track_changed(t);
		}
		return 0;
	}
	/*
	 * Every producer's other events (pgwatch "role", "lag", hashproxy
	 * "drain", dhcpsync "peer-up", our own state lines...) share one pipe
	 * with up/down: they are not for us, but they are not errors either.
	 */
	if (track_is_event(line)) {
		log_debug("track %s: ignored: %s", t->tr_cfg.cs_name, line);
		return 0;
	}
	return -1;
}

static void
track_fd_cb(int fd, short ev, void *arg)
{
	struct track *t = arg;
	char buf[1024], *nl;
	ssize_t r;
	size_t i;

	r = read(fd, buf, sizeof(buf));
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		/* the producer is gone: we no longer know, so assume down */
		log_warnx("track %s: fd %d closed; counts as down",
		    t->tr_cfg.cs_name, fd);
		event_del(t->tr_read);
		track_line(t, "down");
		return;
	}
	for (i = 0; i < (size_t)r; i++) {
		if (buf[i] != '\n') {
			if (t->tr_linelen + 1 < sizeof(t->tr_line))
				t->tr_line[t->tr_linelen++] = buf[i];
			continue;
		}
		t->tr_line[t->tr_linelen] = '\0';
		if ((nl = strchr(t->tr_line, '\r')) != NULL)
			*nl = '\0';
		if (t->tr_line[0] && track_line(t, t->tr_line) == -1)
			log_warnx("track %s: line not understood: %s",
			    t->tr_cfg.cs_name, t->tr_line);
		t->tr_linelen = 0;
	}
}

int
track_setup(struct vrrpd *d, char *err, size_t errlen)
{
	struct config *cf = d->d_cf;
	struct track *t, *old;
	struct track *prev[CFG_MAX_SCRIPTS + 2];
	int nprev = d->d_ntracks, i, j;
	struct timeval now0 = { 0, 0 };

	memcpy(prev, d->d_tracks, sizeof(prev));
	d->d_ntracks = 0;
	for (i = 0; i < cf->cf_nscripts; i++) {
		if ((t = calloc(1, sizeof(*t))) == NULL)
			return errbuf_set(err, errlen, "out of memory");
		t->tr_cfg = cf->cf_scripts[i];
		t->tr_d = d;
		/*
		 * As keepalived: not failed until it fails; with init_fail
		 * failed until rise successes, and until its first result
		 * it holds an instance that tracks it with weight 0 and
		 * weighs nothing with another weight (inst.c).
		 */
		t->tr_up = !t->tr_cfg.cs_init_fail;
		t->tr_pending = t->tr_cfg.cs_init_fail;
		/* a --track-fd producer speaks when it likes: never held */
		t->tr_answered = t->tr_cfg.cs_fd >= 0;
		t->tr_id = (uint32_t)d->d_ntracks + 1;
		/* a reload keeps what a same-named check already knew */
		for (j = 0, old = NULL; j < nprev; j++)
			if (prev[j] && strcmp(prev[j]->tr_cfg.cs_name,
			    t->tr_cfg.cs_name) == 0)
				old = prev[j];
		if (old) {
			t->tr_up = old->tr_up;
			t->tr_pending = old->tr_pending;
			t->tr_answered = old->tr_answered;
			t->tr_dynweight = old->tr_dynweight;
		}
		if (t->tr_cfg.cs_fd >= 0) {
			t->tr_read = event_new(d->d_base, t->tr_cfg.cs_fd,
			    EV_READ | EV_PERSIST, track_fd_cb, t);
			if (old && old->tr_read) {
				/* the same pipe: keep the partial line */
				memcpy(t->tr_line, old->tr_line,
				    sizeof(t->tr_line));
				t->tr_linelen = old->tr_linelen;
			}
			if (t->tr_read == NULL || event_add(t->tr_read,
			    NULL) == -1) {
				snprintf(err, errlen, "track fd %d: cannot "
				    "watch it", t->tr_cfg.cs_fd);
				free(t);
				return -1;
			}
		} else {
			t->tr_timer = evtimer_new(d->d_base, track_timer_cb, t);
			if (t->tr_timer == NULL) {
				snprintf(err, errlen, "out of memory");
				free(t);
				return -1;
			}
			if (!d->d_tracks_held)
				evtimer_add(t->tr_timer, &now0);
		}
		d->d_tracks[d->d_ntracks++] = t;
	}
	for (j = 0; j < nprev; j++) {
		if (prev[j]->tr_timer)
			event_free(prev[j]->tr_timer);
		if (prev[j]->tr_read)
			event_free(prev[j]->tr_read);
		free(prev[j]);
	}
	if (trackfile_setup(d, err, errlen) == -1 ||
	    trackproc_setup(d, err, errlen) == -1)
		return -1;
	return 0;
}

/*
 * keepalived starts its VRRP process, and so its first track script
 * run, once the startup_script has ended: a script that sets up what a
 * track checks must not be seen failing by it.
 */
void
track_release(struct vrrpd *d)
{
	struct timeval now0 = { 0, 0 };
	int i;

	if (!d->d_tracks_held)
		return;
	d->d_tracks_held = 0;
	for (i = 0; i < d->d_ntracks; i++)
		if (d->d_tracks[i]->tr_timer)
			evtimer_add(d->d_tracks[i]->tr_timer, &now0);
}

void
track_teardown(struct vrrpd *d)
{
	int i;

	for (i = 0; i < d->d_ntracks; i++) {
		if (d->d_tracks[i]->tr_timer)
			event_free(d->d_tracks[i]->tr_timer);
		if (d->d_tracks[i]->tr_read)
			event_free(d->d_tracks[i]->tr_read);
		free(d->d_tracks[i]);
	}
	d->d_ntracks = 0;
	trackfile_teardown(d);
	trackproc_teardown(d);
}
