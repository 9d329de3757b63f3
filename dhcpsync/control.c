/*
 * --control PATH: a Unix stream socket, one text command per line, each
 * reply ending with an empty line (DESIGN.md).  Commands: status, help.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "dhcpsync.h"

#define CONTROL_LINE_MAX	256

static void
control_status(struct ds *ds, struct evbuffer *out)
{
	evbuffer_add_printf(out,
	    "leases=%zu\nfile=%s\npeer=%s\nsynced=%d\n"
	    "id=%016" PRIx64 "\npeer_id=%016" PRIx64 "\n"
	    "sent_seq=%" PRIu64 "\npeer_acked=%" PRIu64 "\n"
	    "received_seq=%" PRIu64 "\nacked_seq=%" PRIu64 "\n"
	    "records_sent=%" PRIu64 "\nrecords_received=%" PRIu64 "\n"
	    "records_applied=%" PRIu64 "\nlocal_changes=%" PRIu64 "\n"
	    "rewrites=%" PRIu64 "\npeer_down=%" PRIu64 "\n"
	    "peer_rejected=%" PRIu64 "\n\n",
	    ds->ds_tab.t_n, ds->ds_leases, ds->ds_hello ? "up" : "down",
	    ds->ds_synced, ds->ds_id, ds->ds_peer, ds->ds_sent,
	    ds->ds_peer_acked, ds->ds_rx, ds->ds_ack, ds->ds_n_sent,
	    ds->ds_n_recv, ds->ds_n_applied, ds->ds_n_local,
	    ds->ds_n_commits, ds->ds_n_peerdown, ds->ds_n_badpeer);
}

static void
control_read(struct bufferevent *bev, void *arg)
{
	struct ds *ds = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	char *line;
	size_t n;

	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		if (strcmp(line, "status") == 0)
			control_status(ds, out);
		else if (strcmp(line, "help") == 0)
			evbuffer_add_printf(out, "status\nhelp\n\n");
		else
			evbuffer_add_printf(out, "error unknown command "
			    "\"%.40s\"\n\n", line);
		free(line);
	}
	if (evbuffer_get_length(in) > CONTROL_LINE_MAX) {
		evbuffer_add_printf(out, "error line too long\n\n");
		evbuffer_drain(in, evbuffer_get_length(in));
	}
}

static void
control_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		bufferevent_free(bev);
}

static void
control_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct ds *ds = arg;
	struct bufferevent *bev;

	bev = bufferevent_socket_new(ds->ds_base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	bufferevent_setcb(bev, control_read, NULL, control_event, ds);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int
control_init(struct ds *ds)
{
	struct sockaddr_un sun;
	struct evconnlistener *l;
	mode_t old;

	if (ds->ds_control == NULL)
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(ds->ds_control) >= sizeof(sun.sun_path)) {
		log_warnx("%s: socket path too long", ds->ds_control);
		return -1;
	}
	strcpy(sun.sun_path, ds->ds_control);
	unlink(ds->ds_control);
	old = umask(0117);	/* 0660 */
	l = evconnlistener_new_bind(ds->ds_base, control_accept, ds,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 4,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (l == NULL) {
		log_warn("control %s", ds->ds_control);
		return -1;
	}
	return 0;
}
