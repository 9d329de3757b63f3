/*
 * The control socket: a Unix stream socket, one text command per line,
 * every reply ends with an empty line (DESIGN.md).  Commands (ctlcmd.c):
 * status, show instances, show tracks, reload, help.  A bad line gets
 * one "error: ..." line, then the empty line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "ctlcmd.h"
#include "event.h"
#include "fsm.h"
#include "log.h"
#include "vrrpd.h"


static void
control_status(struct vrrpd *d, struct evbuffer *out)
{
	int i, n[4] = { 0, 0, 0, 0 };
	char line[512];

	for (i = 0; i < d->d_ninst; i++)
		n[d->d_inst[i]->in_fsm.fs_state]++;
	snprintf(line, sizeof(line), "pid=%ld instances=%d master=%d "
	    "backup=%d fault=%d init=%d tracks=%d", (long)getpid(),
	    d->d_ninst, n[FSM_MASTER], n[FSM_BACKUP], n[FSM_FAULT],
	    n[FSM_INIT], d->d_ntracks);
	event_format(line + 256, 256, "status", "vrrpd", line);
	evbuffer_add_printf(out, "%s\n", line + 256);
}

static void
control_instances(struct vrrpd *d, struct evbuffer *out)
{
	char line[2048];
	int i;

	for (i = 0; i < d->d_ninst; i++) {
		inst_format(d->d_inst[i], line, sizeof(line));
		evbuffer_add_printf(out, "%s\n", line);
	}
}

static void
control_tracks(struct vrrpd *d, struct evbuffer *out)
{
	char kv[256], line[512];
	int i;

	for (i = 0; i < d->d_ntracks; i++) {
		struct track *t = d->d_tracks[i];

		snprintf(kv, sizeof(kv), "state=%s weight=%d dynweight=%d",
		    t->tr_up ? "up" : "down", t->tr_cfg.cs_weight,
		    t->tr_dynweight);
		event_format(line, sizeof(line), "track", t->tr_cfg.cs_name, kv);
		evbuffer_add_printf(out, "%s\n", line);
	}
}

static void
control_command(struct vrrpd *d, const char *buf, size_t len,
    struct evbuffer *out)
{
	struct ctl_cmd c;
	char err[4096];

	if (ctl_parse(buf, len, &c, err, sizeof(err)) == -1) {
		evbuffer_add_printf(out, "error: %s\n\n", err);
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
		    "reload\n");
		break;
	}
	evbuffer_add_printf(out, "\n");
}

/* One client: the daemon, and whether we are skipping an over-long line. */
struct control_conn {
	struct vrrpd	*cc_d;
	int		 cc_discard;
};

static void
control_read_cb(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	char *line;
	size_t n;

	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF)) != NULL) {
		/* the tail of a line already refused as too long */
		if (cc->cc_discard)
			cc->cc_discard = 0;
		else
			control_command(cc->cc_d, line, n, out);
		free(line);
	}
	if (evbuffer_get_length(in) > CTL_LINE_MAX + 1) {
		/* no end of line in sight: refuse once, skip to the next */
		if (!cc->cc_discard)
			evbuffer_add_printf(out, "error: command too long "
			    "(more than %d bytes)\n\n", CTL_LINE_MAX);
		cc->cc_discard = 1;
		evbuffer_drain(in, evbuffer_get_length(in));
	}
}

/* The client closed its side first: free once the replies are out. */
static void
control_write_cb(struct bufferevent *bev, void *arg)
{
	bufferevent_free(bev);
	free(arg);
}

static void
control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		bufferevent_disable(bev, EV_READ);
		bufferevent_setcb(bev, NULL, control_write_cb,
		    control_event_cb, arg);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		bufferevent_free(bev);
		free(arg);
	}
}

static void
control_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct vrrpd *d = arg;
	struct control_conn *cc;
	struct bufferevent *bev;

	if ((cc = calloc(1, sizeof(*cc))) == NULL) {
		log_warn("control");
		close(fd);
		return;
	}
	cc->cc_d = d;
	bev = bufferevent_socket_new(d->d_base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		free(cc);
		close(fd);
		return;
	}
	bufferevent_setcb(bev, control_read_cb, NULL, control_event_cb, cc);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int
control_open(struct vrrpd *d, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	mode_t old;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "--control %s: path too long", path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	(void)unlink(path);	/* a stale socket of an earlier run */
	old = umask(0117);	/* 0660 */
	d->d_control = evconnlistener_new_bind(d->d_base, control_accept_cb, d,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (d->d_control == NULL) {
		snprintf(err, errlen, "--control %s: %s", path,
		    strerror(errno));
		return -1;
	}
	d->d_control_path = path;
	return 0;
}

void
control_close(struct vrrpd *d)
{
	if (d->d_control) {
		evconnlistener_free(d->d_control);
		unlink(d->d_control_path);
	}
	d->d_control = NULL;
}
