/* SPDX-License-Identifier: ISC */
/*
 * The control socket every hatools daemon offers (see ctlsock.h).
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "ctlsock.h"
#include "listener.h"

/* A client that sends commands but never reads stops being read here. */
#define CTLSOCK_OUTMAX	(1024 * 1024)

struct ctlclient {
	LIST_ENTRY(ctlclient)	 cl_entry;
	struct ctlsock		*cl_sock;
	struct bufferevent	*cl_bev;
	int			 cl_discard;	/* skipping an over-long line */
	int			 cl_closing;	/* free once the reply is out */
	int			 cl_prompt;	/* interactive (conf prompt) */
	struct ctlpeer		 cl_peer;
};

struct ctlsock {
	struct ctlsock_conf	 cs_conf;
	char			 cs_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct event_base	*cs_base;
	struct listener		*cs_lis;
	LIST_HEAD(, ctlclient)	 cs_clients;
	int			 cs_nclients;
};

static void
ctlsock_client_free(struct ctlclient *cl)
{
	LIST_REMOVE(cl, cl_entry);
	cl->cl_sock->cs_nclients--;
	bufferevent_free(cl->cl_bev);
	free(cl);
}

/* Stop reading; the client goes once what it is owed is written. */
static void
ctlsock_client_finish(struct ctlclient *cl)
{
	cl->cl_closing = 1;
	bufferevent_disable(cl->cl_bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(cl->cl_bev)) == 0)
		ctlsock_client_free(cl);
}

/* One line from the client: the tail of a refused one, too long, or run. */
static void
ctlsock_line(struct ctlclient *cl, char *line, size_t len,
    struct evbuffer *out)
{
	const struct ctlsock_conf *cf = &cl->cl_sock->cs_conf;

	if (cl->cl_discard)
		cl->cl_discard = 0;
	else if (cf->prompt && strcmp(line, "prompt") == 0) {
		cl->cl_prompt = !cl->cl_prompt;
		evbuffer_add(out, "\n", 1);
	} else if (cf->prompt && cl->cl_prompt && strcmp(line, "quit") == 0) {
		cl->cl_prompt = 0;
		return;
	} else if (len > cf->maxline)
		evbuffer_add_printf(out, "%s\n\n", cf->toolong);
	else {
		if (cf->sesscmd != NULL)
			cf->sesscmd(cf->arg, &cl->cl_peer, line, len, out);
		else
			cf->cmd(cf->arg, line, len, out);
		evbuffer_add(out, "\n", 1);
	}
	if (cl->cl_prompt)
		evbuffer_add(out, "> ", 2);
}

static void
ctlsock_read(struct bufferevent *bev, void *arg)
{
	struct ctlclient *cl = arg;
	const struct ctlsock_conf *cf = &cl->cl_sock->cs_conf;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	char *line;
	size_t n;

	while (!cl->cl_closing &&
	    evbuffer_get_length(out) < CTLSOCK_OUTMAX &&
	    (line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		ctlsock_line(cl, line, n, out);
		free(line);
		if (cf->oneshot && !cl->cl_prompt) {
			ctlsock_client_finish(cl);
			return;
		}
	}
	if (cl->cl_closing)
		return;
	if (evbuffer_get_length(out) >= CTLSOCK_OUTMAX) {
		/* resumed by ctlsock_write once the client has read */
		bufferevent_disable(bev, EV_READ);
		return;
	}
	if (evbuffer_get_length(in) > cf->maxline + 2) {
		/* no end of line in sight: refuse once, skip to the next */
		if (!cl->cl_discard)
			evbuffer_add_printf(out, "%s\n\n", cf->toolong);
		evbuffer_drain(in, evbuffer_get_length(in));
		cl->cl_discard = 1;
		if (cf->oneshot)
			ctlsock_client_finish(cl);
	}
}

/* Called when the output has drained (write low watermark 0). */
static void
ctlsock_write(struct bufferevent *bev, void *arg)
{
	struct ctlclient *cl = arg;

	if (cl->cl_closing) {
		ctlsock_client_free(cl);
		return;
	}
	if (!(bufferevent_get_enabled(bev) & EV_READ)) {
		bufferevent_enable(bev, EV_READ);
		ctlsock_read(bev, cl);	/* commands that waited */
	}
}

/* The input's end is frozen by libevent: take the bytes out instead. */
static void
ctlsock_last_line(struct ctlclient *cl, struct evbuffer *in)
{
	struct evbuffer *out = bufferevent_get_output(cl->cl_bev);
	size_t n = evbuffer_get_length(in);
	char *line;

	if ((line = malloc(n + 1)) == NULL)
		return;
	evbuffer_remove(in, line, n);
	line[n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	ctlsock_line(cl, line, n, out);
	free(line);
	if (cl->cl_sock->cs_conf.oneshot)
		ctlsock_client_finish(cl);
}

static void
ctlsock_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctlclient *cl = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	/*
	 * `echo status | nc -U`: the client may close its side first.
	 * ctlsock_read leaves cl alive: it finishes a client only with a
	 * reply still to write.
	 */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR)) {
		ctlsock_read(bev, cl);
		if (cl->cl_closing)
			return;
		/* a last line without its newline is still a command */
		if (!cl->cl_closing && evbuffer_get_length(in) > 0)
			ctlsock_last_line(cl, in);
		if (!cl->cl_closing)
			ctlsock_client_finish(cl);
		return;
	}
	ctlsock_client_free(cl);
}

/*
 * One client too many: one line, written without waiting (the socket
 * buffer of a fresh connection takes it), then closed.  The others and
 * the listener go on.
 */
static void
ctlsock_refuse(const struct ctlsock *cs, int fd)
{
	const struct ctlsock_conf *cf = &cs->cs_conf;
	char line[256];
	int n;

	if (cf->busy != NULL)
		n = snprintf(line, sizeof(line), "%s\n\n", cf->busy);
	else
		n = snprintf(line, sizeof(line), "Too many clients on this "
		    "socket (at most %d); try again later.\n\n",
		    cf->maxclients);
	if (n > 0)
		(void)send(fd, line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

/* Who is on the other end: the kernel's word, not the client's. */
static void
ctlsock_peer(struct ctlclient *cl, int fd)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	cl->cl_peer.cp_pid = -1;
	cl->cl_peer.cp_uid = (uid_t)-1;
	cl->cl_peer.cp_gid = (gid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 &&
	    len == sizeof(uc)) {
		cl->cl_peer.cp_pid = uc.pid;
		cl->cl_peer.cp_uid = uc.uid;
		cl->cl_peer.cp_gid = uc.gid;
	}
	cl->cl_peer.cp_level = cl->cl_sock->cs_conf.level;
}

static void
ctlsock_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct ctlsock *cs = arg;
	struct ctlclient *cl;
	struct timeval tv = { cs->cs_conf.timeout_ms / 1000,
	    (cs->cs_conf.timeout_ms % 1000) * 1000 };

	if (cs->cs_nclients >= cs->cs_conf.maxclients) {
		ctlsock_refuse(cs, fd);
		return;
	}
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		close(fd);
		return;
	}
	cl->cl_sock = cs;
	ctlsock_peer(cl, fd);
	cl->cl_bev = bufferevent_socket_new(cs->cs_base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (cl->cl_bev == NULL) {
		free(cl);
		close(fd);
		return;
	}
	LIST_INSERT_HEAD(&cs->cs_clients, cl, cl_entry);
	cs->cs_nclients++;
	bufferevent_setcb(cl->cl_bev, ctlsock_read, ctlsock_write,
	    ctlsock_event, cl);
	/*
	 * A client idle for the timeout goes, as haproxy's stats socket:
	 * a forgotten `socat - UNIX:` must not hold one of the few slots.
	 */
	bufferevent_set_timeouts(cl->cl_bev, &tv, &tv);
	bufferevent_enable(cl->cl_bev, EV_READ | EV_WRITE);
}

/*
 * A socket file at the path is replaced only when nobody answers on it:
 * a second daemon started by mistake must not steal the first one's.
 */
static int
ctlsock_claim(const char *path, const struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	struct stat st;
	int s, r;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a socket", path);
		return -1;
	}
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = connect(s, (const struct sockaddr *)sun, sizeof(*sun));
	close(s);
	if (r == 0) {
		snprintf(err, errlen, "%s: another process is listening "
		    "there", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

struct ctlsock *
ctlsock_open(struct event_base *base, const struct ctlsock_conf *conf,
    char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct ctlsock *cs;
	mode_t old;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(conf->path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: socket path too long (at most %zu "
		    "bytes)", conf->path, sizeof(sun.sun_path) - 1);
		return NULL;
	}
	memcpy(sun.sun_path, conf->path, strlen(conf->path) + 1);
	if (ctlsock_claim(conf->path, &sun, err, errlen) == -1)
		return NULL;
	if ((cs = calloc(1, sizeof(*cs))) == NULL) {
		snprintf(err, errlen, "%s: %s", conf->path, strerror(errno));
		return NULL;
	}
	cs->cs_conf = *conf;
	if (cs->cs_conf.timeout_ms <= 0)
		cs->cs_conf.timeout_ms = CTLSOCK_TIMEOUT * 1000;
	if (cs->cs_conf.maxclients <= 0)
		cs->cs_conf.maxclients = CTLSOCK_MAXCLIENTS;
	if (cs->cs_conf.mode == 0)
		cs->cs_conf.mode = 0660;
	memcpy(cs->cs_path, sun.sun_path, sizeof(cs->cs_path));
	cs->cs_conf.path = cs->cs_path;
	cs->cs_base = base;
	LIST_INIT(&cs->cs_clients);
	/* born owner-only, then given its mode and owner */
	old = umask(0177);
	cs->cs_lis = listener_open(base, ctlsock_accept, cs,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (cs->cs_lis == NULL) {
		snprintf(err, errlen, "%s: %s", conf->path, strerror(errno));
		free(cs);
		return NULL;
	}
	if ((conf->setowner && chown(cs->cs_path, conf->uid,
	    conf->gid) == -1) || chmod(cs->cs_path,
	    cs->cs_conf.mode & 07777) == -1) {
		snprintf(err, errlen, "%s: %s", conf->path, strerror(errno));
		listener_close(cs->cs_lis);
		(void)unlink(cs->cs_path);
		free(cs);
		return NULL;
	}
	return cs;
}

void
ctlsock_close(struct ctlsock *cs)
{
	if (cs == NULL)
		return;
	while (!LIST_EMPTY(&cs->cs_clients))
		ctlsock_client_free(LIST_FIRST(&cs->cs_clients));
	listener_close(cs->cs_lis);
	(void)unlink(cs->cs_path);
	free(cs);
}

int
ctlsock_clients(const struct ctlsock *cs)
{
	return cs->cs_nclients;
}
