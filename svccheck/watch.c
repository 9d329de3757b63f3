/* SPDX-License-Identifier: ISC */
/*
 * --watch: up/down lines on every change, from the kernel's process events
 * (the netlink proc connector: fork, exec, comm, exit) instead of polling.
 * A full rescan at start, every --rescan period and whenever the kernel
 * says events were lost (ENOBUFS) keeps the picture right.
 */
#include <errno.h>
#include <stddef.h>
#include <event2/event.h>
#include <linux/cn_proc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "duration.h"
#include "hatools.h"
#include "log.h"
#include "outpipe.h"
#include "notify.h"
#include "priv.h"
#include "procwatch.h"
#include "signals.h"
#include "svccheck.h"

#define WATCH_MAXCOND	256

struct watch {
	struct svc		*w_sv;
	struct procwatch	 w_pw;
	struct event_base	*w_base;
	struct event		*w_nlev;
	struct event		*w_rescan;
	struct event		*w_dog;
	struct event		*w_reader;	/* stdout pipe, to see its reader go */
	struct signals		 w_sigs;
	int			 w_failed;
};

/*
 * Prints what changed since the last line of each condition: up/down, or
 * a new "up" when the pid it named is gone while another one runs.
 */
static void
watch_report(struct watch *w)
{
	struct svc *sv = w->w_sv;
	struct cond *c;
	size_t i;

	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		if (c->c_shown && (c->c_set.ps_n == 0) ==
		    (c->c_shown_pid == 0) && (c->c_shown_pid == 0 ||
		    pidset_has(&c->c_set, c->c_shown_pid)))
			continue;
		c->c_shown = 1;
		c->c_shown_pid = pidset_min(&c->c_set);
		c->c_count = (unsigned)c->c_set.ps_n;
		c->c_pid = c->c_shown_pid;
		if (!sv->sv_quiet)
			report_cond(sv, c);
		log_debug("%s: %zu processes", c->c_label, c->c_set.ps_n);
	}
}

static void
watch_nomem(struct watch *w)
{
	log_warnx("out of memory");
	w->w_failed = 1;
	event_base_loopbreak(w->w_base);
}

/* Checks pid afresh (it exec'd or was renamed). */
static void
watch_eval(struct watch *w, pid_t pid)
{
	struct svc *sv = w->w_sv;
	unsigned char hit[WATCH_MAXCOND];
	size_t i;
	int n;

	n = scan_pid(sv, pid, hit);
	for (i = 0; i < sv->sv_nconds; i++) {
		if (n > 0 && hit[i]) {
			if (pidset_add(&sv->sv_conds[i].c_set, pid) == -1)
				watch_nomem(w);
		} else
			pidset_del(&sv->sv_conds[i].c_set, pid);
	}
}

static struct watch *watch_cur;	/* for scan_each's callback only */

static int
watch_rescan_hit(struct svc *sv, pid_t pid, const unsigned char *hit)
{
	size_t i;

	for (i = 0; i < sv->sv_nconds; i++)
		if (hit[i] && pidset_add(&sv->sv_conds[i].c_set, pid) == -1)
			watch_nomem(watch_cur);
	return 0;
}

static int
watch_rescan(struct watch *w)
{
	struct svc *sv = w->w_sv;
	size_t i;

	for (i = 0; i < sv->sv_nconds; i++)
		sv->sv_conds[i].c_set.ps_n = 0;
	watch_cur = w;
	if (scan_each(sv, watch_rescan_hit) == -1)
		return -1;
	watch_report(w);
	return 0;
}

static void
watch_fork(struct watch *w, pid_t parent, pid_t child)
{
	struct svc *sv = w->w_sv;
	size_t i;

	/* same image, same owner: the child is what its parent was */
	for (i = 0; i < sv->sv_nconds; i++)
		if (pidset_has(&sv->sv_conds[i].c_set, parent) &&
		    pidset_add(&sv->sv_conds[i].c_set, child) == -1)
			watch_nomem(w);
}

static void
watch_exit(struct watch *w, pid_t pid)
{
	struct svc *sv = w->w_sv;
	size_t i;

	/* the kernel tells at exit, before any reaping: a zombie is down */
	for (i = 0; i < sv->sv_nconds; i++)
		pidset_del(&sv->sv_conds[i].c_set, pid);
}

static int
watch_has(const struct watch *w, pid_t pid)
{
	const struct svc *sv = w->w_sv;
	size_t i;

	for (i = 0; i < sv->sv_nconds; i++)
		if (pidset_has(&sv->sv_conds[i].c_set, pid))
			return 1;
	return 0;
}

/*
 * An exit of one of tgid's threads, its leader's too.  A process whose
 * leader exits while other threads run still runs (killall -0 and a
 * one-shot check say so): it is down when its last thread exits.  The
 * kernel tells of a thread's exit once it has released it, so the status
 * read then no longer counts it.  Costs a read of /proc/PID/stat per exit
 * of a watched process's thread.
 */
static void
watch_exit_thread(struct watch *w, pid_t tgid)
{
	if (watch_has(w, tgid) && !scan_running(w->w_sv, tgid))
		watch_exit(w, tgid);
}

static void
watch_event(struct watch *w, const struct proc_event *ev)
{
	pid_t pid, parent;

	if (ev->what == PROC_EVENT_EXIT && ev->event_data.exit.process_pid !=
	    ev->event_data.exit.process_tgid)
		watch_exit_thread(w, ev->event_data.exit.process_tgid);
	switch (procwatch_process(ev, &pid, &parent)) {
	case PROC_EVENT_FORK:
		watch_fork(w, parent, pid);
		break;
	case PROC_EVENT_EXEC:
	case PROC_EVENT_COMM:
		watch_eval(w, pid);
		break;
	case PROC_EVENT_UID:
		/* only --user cares who owns a process */
		if (w->w_sv->sv_user)
			watch_eval(w, pid);
		break;
	case PROC_EVENT_EXIT:
		watch_exit_thread(w, pid);
		break;
	default:
		break;
	}
}

static void
watch_event_cb(void *arg, const struct proc_event *ev)
{
	watch_event(arg, ev);
}

/* Takes every queued event, then prints what changed. */
static void
watch_read(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	int rc;

	if ((rc = procwatch_read(&w->w_pw, watch_event_cb, w)) == -1) {
		log_warn("proc connector");
		w->w_failed = 1;
		event_base_loopbreak(w->w_base);
		return;
	}
	if (rc == 1) {
		log_warnx_rl("proc connector: events lost, rescanning /proc");
		if (watch_rescan(w) == -1)
			log_warnx_rl("rescan failed; next one in --rescan");
		return;
	}
	watch_report(w);
}

static void
watch_timer(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;

	log_debug("periodic rescan");
	if (watch_rescan(w) == -1)
		log_warnx_rl("rescan failed; trying again later");
}

static void
watch_dog(evutil_socket_t fd, short what, void *arg)
{
	notify_watchdog();
}

/*
 * SIGHUP is what systemctl reload and a closed terminal send: a track
 * producer must outlive both.  There is no file to reread, so it rescans
 * /proc, which an operator who doubts a line can ask for.
 */
static void
watch_signal(evutil_socket_t sig, short what, void *arg)
{
	struct watch *w = arg;

	switch (sig) {
	case SIGHUP:
		log_info("SIGHUP: rescanning /proc");
		if (watch_rescan(w) == -1)
			log_warnx_rl("rescan failed; next one in --rescan");
		break;
	default:
		log_debug("signal %d: stopping", (int)sig);
		event_base_loopbreak(w->w_base);
		break;
	}
}

/* Keep CAP_SYS_PTRACE only to read other users' /proc/PID/exe. */
static int
watch_privdrop(struct svc *sv)
{
	static const cap_value_t ptrace[] = { CAP_SYS_PTRACE };
	size_t i;
	int need = 0;

	for (i = 0; i < sv->sv_nconds; i++)
		need |= sv->sv_conds[i].c_exe != NULL;
	if (geteuid() != 0)
		need = 0;
	return priv_drop(NULL, ptrace, need ? 1 : 0);
}

static int
watch_events(struct watch *w)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, 0 };
	struct timeval tv;
	uint64_t dog;

	if ((w->w_base = event_base_new()) == NULL)
		return -1;
	w->w_nlev = event_new(w->w_base, procwatch_fd(&w->w_pw),
	    EV_READ | EV_PERSIST, watch_read, w);
	if (w->w_nlev == NULL || event_add(w->w_nlev, NULL) == -1)
		return -1;
	if (signals_set(&w->w_sigs, w->w_base, sigs, watch_signal, w) == -1)
		return -1;
	if (w->w_sv->sv_rescan > 0) {
		tv = duration_tv(w->w_sv->sv_rescan);
		if ((w->w_rescan = event_new(w->w_base, -1, EV_PERSIST,
		    watch_timer, w)) == NULL ||
		    event_add(w->w_rescan, &tv) == -1)
			return -1;
	}
	if ((dog = notify_watchdog_usec()) > 0) {
		tv = duration_tv(dog / 2);
		if ((w->w_dog = event_new(w->w_base, -1, EV_PERSIST,
		    watch_dog, w)) == NULL || event_add(w->w_dog, &tv) == -1)
			return -1;
	}
	return 0;
}

static void
watch_free(struct watch *w)
{
	size_t i;

	if (w->w_nlev)
		event_free(w->w_nlev);
	if (w->w_rescan)
		event_free(w->w_rescan);
	if (w->w_dog)
		event_free(w->w_dog);
	if (w->w_reader)
		event_free(w->w_reader);
	signals_clear(&w->w_sigs);
	if (w->w_base)
		event_base_free(w->w_base);
	procwatch_close(&w->w_pw);
	for (i = 0; i < w->w_sv->sv_nconds; i++)
		free(w->w_sv->sv_conds[i].c_set.ps_pids);
}

int
watch_run(struct svc *sv)
{
	struct watch w;
	int rc = EXIT_RUNTIME;

	memset(&w, 0, sizeof(w));
	w.w_sv = sv;
	signals_ignore();
	/* init phase: subscribe before the first scan, so nothing slips by */
	if (scan_open(sv) == -1 || procwatch_open(&w.w_pw) == -1 ||
	    procwatch_probe(&w.w_pw) == -1)
		goto out;
	if (watch_privdrop(sv) == -1)
		goto out;
	if (watch_events(&w) == -1) {
		log_warnx("event loop set-up failed");
		goto out;
	}
	if (watch_rescan(&w) == -1)
		goto out;
	w.w_reader = outpipe_watch(w.w_base);
	notify_ready(sv->sv_readyfd);
	notify_status("watching %zu name%s", sv->sv_nconds,
	    sv->sv_nconds == 1 ? "" : "s");
	/* loop phase: errors are logged and retried at the next rescan */
	event_base_dispatch(w.w_base);
	notify_stopping();
	rc = w.w_failed ? EXIT_RUNTIME : EXIT_CLEAN;
out:
	watch_free(&w);
	return rc;
}
