/* SPDX-License-Identifier: ISC */
/*
 * The control socket: a Unix stream socket, one text command per line,
 * every reply ends with an empty line (DESIGN.md).  Commands (ctlcmd.c):
 * status, show instances, show tracks, show metrics, reload, help.  A bad line gets
 * one "error: ..." line, then the empty line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "ctlcmd.h"
#include "ctlsock.h"
#include "errbuf.h"
#include "evline.h"
#include "fsm.h"
#include "log.h"
#include "metrics.h"
#include "vrrpd.h"

/* A reply line, ended; one whose memory ran out is left out (and logged). */
static void
control_reply(struct evbuffer *out, struct evline *el)
{
	const char *line;

	if ((line = evline_end(el)) != NULL)
		evbuffer_add_printf(out, "%s\n", line);
	evline_free(el);
}

static void
control_status(struct vrrpd *d, struct evbuffer *out)
{
	int i, n[4] = { 0, 0, 0, 0 };
	struct evline el;

	for (i = 0; i < d->d_ninst; i++)
		n[d->d_inst[i]->in_fsm.fs_state]++;
	evline_begin(&el, "status", "vrrpd");
	evline_int(&el, "pid", getpid());
	evline_int(&el, "instances", d->d_ninst);
	evline_int(&el, "master", n[FSM_MASTER]);
	evline_int(&el, "backup", n[FSM_BACKUP]);
	evline_int(&el, "fault", n[FSM_FAULT]);
	evline_int(&el, "init", n[FSM_INIT]);
	evline_int(&el, "tracks", d->d_ntracks);
	control_reply(out, &el);
}

static void
control_instances(struct vrrpd *d, struct evbuffer *out)
{
	struct evline el;
	int i;

	for (i = 0; i < d->d_ninst; i++) {
		inst_format(d->d_inst[i], &el);
		control_reply(out, &el);
	}
}

static void
control_tracks(struct vrrpd *d, struct evbuffer *out)
{
	struct evline el;
	int i;

	for (i = 0; i < d->d_ntracks; i++) {
		struct track *t = d->d_tracks[i];

		evline_begin(&el, "track", t->tr_cfg.cs_name);
		evline_str(&el, "state", t->tr_up ? "up" : "down");
		evline_int(&el, "weight", t->tr_cfg.cs_weight);
		evline_int(&el, "dynweight", t->tr_dynweight);
		control_reply(out, &el);
	}
}

static void
control_command(struct vrrpd *d, const struct ctlpeer *p, const char *buf,
    size_t len, struct evbuffer *out)
{
	struct ctl_cmd c;
	char err[4096];

	if (ctl_parse(buf, len, &c, err, sizeof(err)) == -1) {
		evbuffer_add_printf(out, "error: %s\n", err);
		return;
	}
	switch (c.cc_verb) {
	case CTL_STATUS:
		control_status(d, out);
		break;
	case CTL_SHOW_INSTANCES:
		control_instances(d, out);
		break;
	case CTL_SHOW_TRACKS:
		control_tracks(d, out);
		break;
	case CTL_RELOAD:
		/* who changed what: the kernel's word (SO_PEERCRED) */
		log_info_rl("control socket: reload by uid %ld pid %ld",
		    p->cp_uid == (uid_t)-1 ? -1L : (long)p->cp_uid,
		    (long)p->cp_pid);
		err[0] = '\0';
		if (vrrpd_reload(d, err, sizeof(err)) == 0)
			evbuffer_add_printf(out, "ok\n");
		else {
			char *line, *save = NULL;

			for (line = strtok_r(err, "\n", &save); line;
			    line = strtok_r(NULL, "\n", &save))
				evbuffer_add_printf(out, "error: %s\n", line);
		}
		break;
	case CTL_HELP:
		evbuffer_add_printf(out, "status\nshow instances\nshow tracks\n"
		    "show metrics\nreload\n");
		break;
	case CTL_SHOW_METRICS:
		metrics_write(d, out);
		break;
	}
}

/* ctlsock_sess_fn: one line in, its reply out. */
static void
control_line(void *arg, struct ctlpeer *p, char *line, size_t len,
    struct evbuffer *out)
{
	control_command(arg, p, line, len, out);
}

int
control_open(struct vrrpd *d, const char *path, char *err, size_t errlen)
{
	static char toolong[64];
	struct ctlsock_conf cf = {
		.path = path,
		.maxline = CTL_LINE_MAX,
		.toolong = toolong,
		.sesscmd = control_line,
		.arg = d,
		.busy = "error: too many clients; try again later",
	};
	char why[256];

	snprintf(toolong, sizeof(toolong), "error: command too long (more "
	    "than %d bytes)", CTL_LINE_MAX);
	if ((d->d_control = ctlsock_open(d->d_base, &cf, why,
	    sizeof(why))) == NULL)
		return errbuf_set(err, errlen, "--control %s", why);
	return 0;
}

void
control_close(struct vrrpd *d)
{
	ctlsock_close(d->d_control);
	d->d_control = NULL;
}
