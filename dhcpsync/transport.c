/* SPDX-License-Identifier: ISC */
/*
 * Where the stream runs: the stdin/stdout we were given (the far end of
 * ssh), a peer command we run with a socketpair as its stdin/stdout, or a
 * Unix socket we listen on or connect to.  A broken link is retried after
 * --retry.  A listener with a live session makes a newcomer say HELLO
 * first: only the live peer itself (its stream id, kept in its state file
 * across restarts) may take the link over; anyone else is refused.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "duration.h"
#include "evline.h"
#include "log.h"
#include "dhcpsync.h"
#include "proto.h"

#define TRANSPORT_HELLO_SEC	10	/* a newcomer says HELLO within */

static void transport_retry_cb(evutil_socket_t, short, void *);

static int
transport_spawn(struct link *li)
{
	struct bufferevent *bev;
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("socketpair");
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_warn("fork");
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(sv[1], 0) == -1 || dup2(sv[1], 1) == -1)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", li->li_peercmd, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	li->li_child = pid;
	evutil_make_socket_nonblocking(sv[0]);
	bev = bufferevent_socket_new(li->li_base, sv[0],
	    BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(sv[0]);
		return -1;
	}
	log_info("peer: started \"%s\" (pid %d)", li->li_peercmd, (int)pid);
	session_start(li->li_se, bev, bev);
	return 0;
}

static int
transport_sun(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		log_warnx("%s: socket path too long", path);
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

static void
transport_connected(struct bufferevent *bev, short what, void *arg)
{
	struct link *li = arg;

	if (what & BEV_EVENT_CONNECTED) {
		session_start(li->li_se, bev, bev);
		return;
	}
	log_warnx("peer: connect %s: %s", li->li_connect,
	    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	bufferevent_free(bev);
	transport_down(li);
}

static int
transport_connect(struct link *li)
{
	struct sockaddr_un sun;
	struct bufferevent *bev;

	if (transport_sun(li->li_connect, &sun) == -1)
		return -1;
	bev = bufferevent_socket_new(li->li_base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		return -1;
	bufferevent_setcb(bev, NULL, NULL, transport_connected, li);
	if (bufferevent_socket_connect(bev, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1) {
		log_warn("peer: connect %s", li->li_connect);
		bufferevent_free(bev);
		return -1;
	}
	return 0;
}

static void
transport_newcomer_drop(struct link *li)
{
	if (li->li_newcomer != NULL)
		bufferevent_free(li->li_newcomer);
	li->li_newcomer = NULL;
}

static void
transport_newcomer_refuse(struct link *li, uint64_t id)
{
	struct evline el;

	li->li_count->n_refused_conn++;
	log_warnx("peer: --listen: refused a second peer (id %016" PRIx64
	    ") while peer %016" PRIx64 " is up; the live link goes on", id,
	    li->li_so->so_peer);
	evline_begin(&el, "peer-refused", NULL);
	evline_strf(&el, "id", "%016" PRIx64, id);
	evline_strf(&el, "live", "%016" PRIx64, li->li_so->so_peer);
	evline_emit(&el);
	transport_newcomer_drop(li);
}

/*
 * The newcomer's first line decides.  The live peer's own id means it
 * came back (its old connection is half-dead: a relay kept it open):
 * the new one replaces it.  A session still waiting for its own HELLO has
 * nothing to protect.  Any other id is refused.
 */
static void
transport_newcomer_read(struct bufferevent *bev, void *arg)
{
	struct link *li = arg;
	struct proto_msg m;
	char err[256], *line;
	size_t len;

	if (session_peek_line(bufferevent_get_input(bev), &line, &len) == 0)
		return;
	snprintf(err, sizeof(err), "not HELLO");
	if (line == NULL || proto_parse(line, len, &m, err,
	    sizeof(err)) == -1 || m.pm_type != PM_HELLO) {
		log_warnx("peer: --listen: a second connection's first line: "
		    "%s: closed", line ? err : "too long");
		transport_newcomer_drop(li);
		return;
	}
	if (li->li_se->se_bin && li->li_se->se_hello &&
	    m.pm_id != li->li_so->so_peer) {
		transport_newcomer_refuse(li, m.pm_id);
		return;
	}
	li->li_newcomer = NULL;
	if (li->li_se->se_bin) {
		log_info("peer: --listen: %016" PRIx64 " connected again: its "
		    "new connection replaces the old one", m.pm_id);
		session_close(li->li_se, "replaced");
	}
	bufferevent_set_timeouts(bev, NULL, NULL);
	session_start(li->li_se, bev, bev);
	/* its HELLO is still in the buffer: the session reads it now */
	bufferevent_trigger(bev, EV_READ, BEV_TRIG_IGNORE_WATERMARKS |
	    BEV_TRIG_DEFER_CALLBACKS);
}

static void
transport_newcomer_event(struct bufferevent *bev, short what, void *arg)
{
	log_info("peer: --listen: a second connection %s before its HELLO",
	    what & BEV_EVENT_TIMEOUT ? "said nothing" : "closed");
	transport_newcomer_drop(arg);
}

static void
transport_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct link *li = arg;
	struct bufferevent *bev;
	struct timeval tv = { TRANSPORT_HELLO_SEC, 0 };

	bev = bufferevent_socket_new(li->li_base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	if (li->li_se->se_bin == NULL) {
		session_start(li->li_se, bev, bev);
		return;
	}
	/* one newcomer waits at a time: the newest */
	transport_newcomer_drop(li);
	li->li_newcomer = bev;
	bufferevent_setcb(bev, transport_newcomer_read, NULL,
	    transport_newcomer_event, li);
	bufferevent_set_timeouts(bev, &tv, NULL);
	bufferevent_enable(bev, EV_READ);
}

static int
transport_listen(struct link *li)
{
	struct sockaddr_un sun;
	mode_t old;

	if (transport_sun(li->li_listen, &sun) == -1)
		return -1;
	unlink(li->li_listen);
	old = umask(0117);
	li->li_lst = evconnlistener_new_bind(li->li_base, transport_accept,
	    li, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 4,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (li->li_lst == NULL) {
		log_warn("listen %s", li->li_listen);
		return -1;
	}
	return 0;
}

static int
transport_stdio(struct link *li)
{
	struct bufferevent *in, *out;
	int ofd;

	/* recv: the stream comes in on stdin, event lines keep stdout */
	if (li->li_mode == DS_RECV) {
		evutil_make_socket_nonblocking(0);
		if ((in = bufferevent_socket_new(li->li_base, 0, 0)) == NULL)
			return -1;
		session_start(li->li_se, in, NULL);
		return 0;
	}
	/* the protocol keeps stdout (main moved event lines to stderr) */
	if ((ofd = li->li_ofd) == -1)
		return -1;
	evutil_make_socket_nonblocking(ofd);
	out = bufferevent_socket_new(li->li_base, ofd, BEV_OPT_CLOSE_ON_FREE);
	if (out == NULL)
		return -1;
	/* send: stdin is not ours to read (it may be a terminal) */
	if (li->li_mode == DS_SEND) {
		session_start(li->li_se, out, out);
		return 0;
	}
	evutil_make_socket_nonblocking(0);
	if ((in = bufferevent_socket_new(li->li_base, 0, 0)) == NULL)
		return -1;
	session_start(li->li_se, in, out);
	return 0;
}

static int
transport_open(struct link *li)
{
	if (li->li_peercmd)
		return transport_spawn(li);
	if (li->li_connect)
		return transport_connect(li);
	return 0;
}

int
transport_start(struct link *li)
{
	li->li_retry_ev = evtimer_new(li->li_base, transport_retry_cb, li);
	if (li->li_retry_ev == NULL)
		return -1;
	if (li->li_stdio)
		return transport_stdio(li);
	if (li->li_listen)
		return transport_listen(li);
	if (transport_open(li) == -1)
		transport_down(li);
	return 0;
}

static void
transport_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct link *li = arg;

	if (transport_open(li) == -1)
		transport_down(li);
}

/* The link is gone: reap the peer command, try again later. */
void
transport_down(struct link *li)
{
	struct timeval tv = duration_tv(li->li_retry_usec);

	if (li->li_child > 0) {
		kill(li->li_child, SIGTERM);
		waitpid(li->li_child, NULL, 0);
		li->li_child = 0;
	}
	if (li->li_stdio) {
		/* the far end went away: so do we (ssh starts us again) */
		event_base_loopexit(li->li_base, NULL);
		return;
	}
	if (li->li_listen)
		return;
	evtimer_add(li->li_retry_ev, &tv);
}
