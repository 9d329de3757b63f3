/* SPDX-License-Identifier: ISC */
/*
 * vrrp_track_process: whether enough processes of a name run, known from
 * the kernel's process events (lib/procwatch.c) after one scan of /proc,
 * never by polling.  A process matches by its name (/proc/PID/comm, as
 * keepalived's "Name:" line) or, with parameters or full_command, by its
 * command line.  fork_delay and terminate_delay hold a change back so a
 * restart does not bounce the instance.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <linux/cn_proc.h>

#include "duration.h"
#include "errbuf.h"
#include "log.h"
#include "pidset.h"
#include "procwatch.h"
#include "vrrpd.h"

#define TP_COMM_LEN	15	/* TASK_COMM_LEN - 1 */

struct tproc {
	struct cfg_tproc tp_cfg;
	struct pidset	 tp_set;
	int		 tp_up;		/* the verdict instances see */
	int		 tp_want;	/* the quorum now, maybe delayed */
	struct event	*tp_delay;
	struct trackprocs *tp_all;
};

struct trackprocs {
	struct vrrpd	*tps_d;
	struct procwatch tps_pw;
	struct event	*tps_ev;
	struct tproc	 tps_p[CFG_MAX_SCRIPTS];
	int		 tps_n;
	int		 tps_failed;	/* out of memory: rescan next time */
};

/* What /proc says of one process, read once for every tracker. */
struct tp_info {
	char	ti_comm[TP_COMM_LEN + 2];
	char	ti_cmd[4096];	/* NUL-separated argv */
	size_t	ti_cmdlen;
	int	ti_has_cmd;
};

static int
tp_uses_cmd(const struct cfg_tproc *c)
{
	return c->ctp_full_command || c->ctp_nparams > 0 ||
	    c->ctp_has_param_match;
}

/* Reads a small /proc file of pid; its length, or -1. */
static ssize_t
tp_proc_read(pid_t pid, const char *what, char *buf, size_t len)
{
	char path[64];
	ssize_t n, off = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((size_t)off < len - 1 &&
	    (n = read(fd, buf + off, len - 1 - (size_t)off)) > 0)
		off += n;
	close(fd);
	buf[off] = '\0';
	return off;
}

/* 0, or -1 when pid is gone or a zombie (which keepalived counts out). */
static int
tp_info(pid_t pid, int need_cmd, struct tp_info *ti)
{
	char stat[512], *p;
	ssize_t n;

	if (tp_proc_read(pid, "stat", stat, sizeof(stat)) <= 0 ||
	    (p = strrchr(stat, ')')) == NULL || p[1] != ' ' ||
	    p[2] == 'Z' || p[2] == 'X')
		return -1;
	if ((n = tp_proc_read(pid, "comm", ti->ti_comm,
	    sizeof(ti->ti_comm))) <= 0)
		return -1;
	if (ti->ti_comm[n - 1] == '\n')
		ti->ti_comm[n - 1] = '\0';
	ti->ti_has_cmd = 0;
	if (need_cmd) {
		if ((n = tp_proc_read(pid, "cmdline", ti->ti_cmd,
		    sizeof(ti->ti_cmd))) < 0)
			return -1;
		ti->ti_cmdlen = (size_t)n;
		ti->ti_has_cmd = 1;
	}
	return 0;
}

/* The parameters after argv[0] against the configured ones. */
static int
tp_params_match(const struct cfg_tproc *c, const char *args, size_t len)
{
	const char *want = c->ctp_params, *a = args;
	int i, nargs = 0;

	for (; (size_t)(a - args) < len; a += strlen(a) + 1)
		nargs++;
	if (!c->ctp_has_param_match && c->ctp_nparams == 0)
		return 1;
	if (nargs < c->ctp_nparams || (c->ctp_param_match ==
	    CFG_PARAM_EXACT && nargs != c->ctp_nparams))
		return 0;
	for (a = args, i = 0; i < c->ctp_nparams; i++) {
		if (c->ctp_param_match == CFG_PARAM_INITIAL &&
		    i == c->ctp_nparams - 1) {
			if (strncmp(a, want, strlen(want)) != 0)
				return 0;
		} else if (strcmp(a, want) != 0)
			return 0;
		a += strlen(a) + 1;
		want += strlen(want) + 1;
	}
	return 1;
}

static int
tp_match(const struct cfg_tproc *c, const struct tp_info *ti)
{
	size_t n;

	if (!tp_uses_cmd(c))
		return strncmp(ti->ti_comm, c->ctp_proc, TP_COMM_LEN) == 0 &&
		    strlen(ti->ti_comm) == (strlen(c->ctp_proc) < TP_COMM_LEN ?
		    strlen(c->ctp_proc) : TP_COMM_LEN);
	if (!ti->ti_has_cmd || ti->ti_cmdlen == 0 ||
	    strcmp(ti->ti_cmd, c->ctp_proc) != 0)
		return 0;
	n = strlen(ti->ti_cmd) + 1;
	/* a trailing NUL ends the last argument, it is not one more */
	return tp_params_match(c, ti->ti_cmd + n, ti->ti_cmdlen > n ?
	    ti->ti_cmdlen - n - (ti->ti_cmd[ti->ti_cmdlen - 1] == '\0') :
	    0);
}

static int
tp_need_cmd(const struct trackprocs *t)
{
	int i;

	for (i = 0; i < t->tps_n; i++)
		if (tp_uses_cmd(&t->tps_p[i].tp_cfg))
			return 1;
	return 0;
}

/* Checks pid afresh against every tracker (it started, exec'd, renamed). */
static void
tp_eval(struct trackprocs *t, pid_t pid)
{
	struct tp_info *ti;
	int i, live;

	if ((ti = malloc(sizeof(*ti))) == NULL) {
		t->tps_failed = 1;
		return;
	}
	live = tp_info(pid, tp_need_cmd(t), ti) == 0;
	for (i = 0; i < t->tps_n; i++) {
		if (live && tp_match(&t->tps_p[i].tp_cfg, ti)) {
			if (pidset_add(&t->tps_p[i].tp_set, pid) == -1)
				t->tps_failed = 1;
		} else
			pidset_del(&t->tps_p[i].tp_set, pid);
	}
	free(ti);
}

static int
tp_rescan(struct trackprocs *t)
{
	struct dirent *de;
	DIR *dir;
	int i;

	if ((dir = opendir("/proc")) == NULL) {
		log_warn("track_process: /proc");
		return -1;
	}
	for (i = 0; i < t->tps_n; i++)
		t->tps_p[i].tp_set.ps_n = 0;
	t->tps_failed = 0;
	while ((de = readdir(dir)) != NULL)
		if (isdigit((unsigned char)de->d_name[0]))
			tp_eval(t, (pid_t)atoi(de->d_name));
	closedir(dir);
	return 0;
}

static void
tp_changed(struct tproc *p)
{
	struct vrrpd *d = p->tp_all->tps_d;

	log_info("track_process %s: %s (%zu running)", p->tp_cfg.ctp_name,
	    p->tp_up ? "up" : "down", p->tp_set.ps_n);
	inst_tracker_changed(d, TRACK_PROCS, p->tp_cfg.ctp_name);
}

static void
tp_delay_cb(int fd, short ev, void *arg)
{
	struct tproc *p = arg;

	if (p->tp_up != p->tp_want) {
		p->tp_up = p->tp_want;
		tp_changed(p);
	}
}

static int
tp_quorum(const struct tproc *p)
{
	const struct cfg_tproc *c = &p->tp_cfg;
	size_t n = p->tp_set.ps_n;

	return n >= (size_t)c->ctp_quorum && (c->ctp_quorum_max < 0 ||
	    n <= (size_t)c->ctp_quorum_max);
}

/* The quorum now; a change waits fork_delay / terminate_delay first. */
static void
tp_settle(struct tproc *p)
{
	const struct cfg_tproc *c = &p->tp_cfg;
	int want = tp_quorum(p);
	uint64_t delay = want ? c->ctp_fork_delay : c->ctp_terminate_delay;
	struct timeval tv;

	if (want == p->tp_want)
		return;
	p->tp_want = want;
	evtimer_del(p->tp_delay);
	if (want == p->tp_up)
		return;		/* back before the delay ran out */
	if (delay == 0) {
		p->tp_up = want;
		tp_changed(p);
		return;
	}
	tv = duration_tv(delay);
	evtimer_add(p->tp_delay, &tv);
}

static void
tp_event(void *arg, const struct proc_event *ev)
{
	struct trackprocs *t = arg;
	int i;

	switch (ev->what) {
	case PROC_EVENT_FORK:
		/* threads are not processes; a child is what its parent was */
		if (ev->event_data.fork.child_pid !=
		    ev->event_data.fork.child_tgid)
			break;
		for (i = 0; i < t->tps_n; i++)
			if (pidset_has(&t->tps_p[i].tp_set,
			    ev->event_data.fork.parent_tgid) &&
			    pidset_add(&t->tps_p[i].tp_set,
			    ev->event_data.fork.child_tgid) == -1)
				t->tps_failed = 1;
		break;
	case PROC_EVENT_EXEC:
		tp_eval(t, ev->event_data.exec.process_tgid);
		break;
	case PROC_EVENT_COMM:
		if (ev->event_data.comm.process_pid ==
		    ev->event_data.comm.process_tgid)
			tp_eval(t, ev->event_data.comm.process_tgid);
		break;
	case PROC_EVENT_EXIT:
		/* told at exit, before any reaping: a zombie is not running */
		if (ev->event_data.exit.process_pid ==
		    ev->event_data.exit.process_tgid)
			for (i = 0; i < t->tps_n; i++)
				pidset_del(&t->tps_p[i].tp_set,
				    ev->event_data.exit.process_tgid);
		break;
	default:
		break;
	}
}

static void
tp_read_cb(int fd, short what, void *arg)
{
	struct trackprocs *t = arg;
	int rc, i;

	if ((rc = procwatch_read(&t->tps_pw, tp_event, t)) == -1) {
		log_warn("track_process: proc connector");
		return;
	}
	if (rc == 1 || t->tps_failed) {
		log_warnx("track_process: events lost, rescanning /proc");
		tp_rescan(t);
	}
	for (i = 0; i < t->tps_n; i++)
		tp_settle(&t->tps_p[i]);
}

static void
tp_free(struct trackprocs *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->tps_n; i++) {
		if (t->tps_p[i].tp_delay)
			event_free(t->tps_p[i].tp_delay);
		free(t->tps_p[i].tp_set.ps_pids);
	}
	if (t->tps_ev)
		event_free(t->tps_ev);
	procwatch_close(&t->tps_pw);
	free(t);
}

int
trackproc_setup(struct vrrpd *d, char *err, size_t errlen)
{
	struct config *cf = d->d_cf;
	struct trackprocs *t;
	struct tproc *p;
	int i;

	if (cf->cf_ntprocs == 0) {
		trackproc_teardown(d);
		return 0;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return errbuf_set(err, errlen, "out of memory");
	t->tps_d = d;
	for (i = 0; i < cf->cf_ntprocs; i++) {
		p = &t->tps_p[t->tps_n++];
		p->tp_cfg = cf->cf_tprocs[i];
		p->tp_all = t;
		if ((p->tp_delay = evtimer_new(d->d_base, tp_delay_cb,
		    p)) == NULL) {
			snprintf(err, errlen, "out of memory");
			tp_free(t);
			return -1;
		}
	}
	/* subscribed before the scan, so that nothing slips by */
	if (procwatch_open(&t->tps_pw) == -1 ||
	    procwatch_probe(&t->tps_pw) == -1) {
		snprintf(err, errlen, "track_process: no process events "
		    "from the kernel (vrrpd must run in the initial PID "
		    "namespace, with CAP_NET_ADMIN)");
		tp_free(t);
		return -1;
	}
	t->tps_ev = event_new(d->d_base, procwatch_fd(&t->tps_pw),
	    EV_READ | EV_PERSIST, tp_read_cb, t);
	if (t->tps_ev == NULL || event_add(t->tps_ev, NULL) == -1 ||
	    tp_rescan(t) == -1) {
		snprintf(err, errlen, "track_process: cannot watch processes");
		tp_free(t);
		return -1;
	}
	for (i = 0; i < t->tps_n; i++) {
		/* what was so at start counts at once, without a delay */
		p = &t->tps_p[i];
		p->tp_up = p->tp_want = tp_quorum(p);
		log_info("track_process %s: %s (%zu running)",
		    p->tp_cfg.ctp_name, p->tp_up ? "up" : "down",
		    p->tp_set.ps_n);
	}
	/* a reload that fails here keeps the running watch */
	trackproc_teardown(d);
	d->d_tprocs = t;
	return 0;
}

void
trackproc_teardown(struct vrrpd *d)
{
	tp_free(d->d_tprocs);
	d->d_tprocs = NULL;
}

/* keepalived weighs a process as a vrrp_script (inst_weigh()). */
int
trackproc_weigh(const struct inst *in, int *fault, char *why, size_t len)
{
	const struct cfg_instance *c = &in->in_cfg;
	const struct trackprocs *t = in->in_d->d_tprocs;
	const struct tproc *p;
	int i, j, w, rev, before, sum = 0;

	for (i = 0; t && i < c->ci_ntprocs; i++) {
		for (p = NULL, j = 0; j < t->tps_n; j++)
			if (strcmp(t->tps_p[j].tp_cfg.ctp_name,
			    c->ci_tprocs[i].ct_name) == 0)
				p = &t->tps_p[j];
		if (p == NULL)
			continue;
		w = cfg_track_weight(&c->ci_tprocs[i], p->tp_cfg.ctp_weight);
		rev = cfg_track_reverse(&c->ci_tprocs[i], p->tp_cfg.ctp_reverse);
		before = *fault;
		sum += inst_weigh(p->tp_up, w, rev, fault);
		if (*fault && !before)
			snprintf(why, len, "process-%s", p->tp_cfg.ctp_name);
	}
	return sum;
}
