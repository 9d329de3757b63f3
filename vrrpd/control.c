/*
 * The control socket: a Unix stream socket, one text command per line,
 * every reply ends with an empty line (DESIGN.md).  Commands: status,
 * show instances, reload, help.
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

#include "event.h"
#include "fsm.h"
#include "log.h"
#include "vrrpd.h"

#define CONTROL_LINE_MAX	1024

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
control_command(struct vrrpd *d, const char *cmd, struct evbuffer *out)
{
	char err[4096];

	if (strcmp(cmd, "status") == 0)
		control_status(d, out);
	else if (strcmp(cmd, "show instances") == 0)
		control_instances(d, out);
	else if (strcmp(cmd, "show tracks") == 0)
		control_tracks(d, out);
	else if (strcmp(cmd, "reload") == 0) {
		err[0] = '\0';
		if (vrrpd_reload(d, err, sizeof(err)) == 0)
			evbuffer_add_printf(out, "ok\n");
		else {
			char *line, *save = NULL;

			for (line = strtok_r(err, "\n", &save); line;
			    line = strtok_r(NULL, "\n", &save))
				evbuffer_add_printf(out, "error: %s\n", line);
		}
	} else if (strcmp(cmd, "help") == 0)
		evbuffer_add_printf(out, "status\nshow instances\nshow tracks\n"
		    "reload\n");
	else
		evbuffer_add_printf(out, "error: unknown command \"%.64s\"; "
		    "try help\n", cmd);
	evbuffer_add_printf(out, "\n");
}

static void
control_read_cb(struct bufferevent *bev, void *arg)
{
	struct vrrpd *d = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;

	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		control_command(d, line, bufferevent_get_output(bev));
		free(line);
	}
	if (evbuffer_get_length(in) > CONTROL_LINE_MAX) {
		evbuffer_add_printf(bufferevent_get_output(bev),
		    "error: line too long\n\n");
		evbuffer_drain(in, evbuffer_get_length(in));
	}
}

static void
control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		bufferevent_free(bev);
}

static void
control_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct vrrpd *d = arg;
	struct bufferevent *bev;

	bev = bufferevent_socket_new(d->d_base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	bufferevent_setcb(bev, control_read_cb, NULL, control_event_cb, d);
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
