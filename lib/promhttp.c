/* SPDX-License-Identifier: ISC */
/*
 * The scrape endpoint (see promhttp.h): an HTTP/1.1 responder small
 * enough to read at once.  It reads one request head, bounded, answers
 * it and closes; the body, if a client sends one, is never read.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "listener.h"
#include "prom.h"
#include "promhttp.h"

struct phclient {
	LIST_ENTRY(phclient)	 pc_entry;
	struct promhttp		*pc_ph;
	struct bufferevent	*pc_bev;
	int			 pc_closing;	/* free once written */
};

struct promhttp {
	struct event_base	*ph_base;
	struct listener		*ph_lis;
	promhttp_fn		*ph_fn;
	void			*ph_arg;
	LIST_HEAD(, phclient)	 ph_clients;
	int			 ph_nclients;
};

int
promhttp_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len,
    char *err, size_t errlen)
{
	int n = (int)sizeof(*ss);
	const char *colon = strrchr(s, ':'), *bracket = strrchr(s, ']');

	memset(ss, 0, sizeof(*ss));
	/* a port is required: evutil takes "1.2.3.4" alone as port 0 */
	if (colon == NULL || (bracket != NULL && colon < bracket) ||
	    colon[1] == '\0' ||
	    evutil_parse_sockaddr_port(s, (struct sockaddr *)ss, &n) == -1 ||
	    (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)) {
		snprintf(err, errlen, "\"%s\": should be ADDR:PORT "
		    "(127.0.0.1:9650, [::1]:9650)", s);
		return -1;
	}
	if (((struct sockaddr_in *)ss)->sin_port == 0) {
		snprintf(err, errlen, "\"%s\": port 0", s);
		return -1;
	}
	*len = (socklen_t)n;
	return 0;
}

static void
promhttp_client_free(struct phclient *pc)
{
	LIST_REMOVE(pc, pc_entry);
	pc->pc_ph->ph_nclients--;
	bufferevent_free(pc->pc_bev);
	free(pc);
}

/* The reply, then the close once it is written. */
static void
promhttp_reply(struct phclient *pc, const char *status, const char *extra,
    struct evbuffer *body, int head_only)
{
	struct evbuffer *out = bufferevent_get_output(pc->pc_bev);
	size_t n = body != NULL ? evbuffer_get_length(body) : 0;

	evbuffer_add_printf(out, "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n%s\r\n", status,
	    body != NULL ? PROM_CONTENT_TYPE : "text/plain; charset=utf-8",
	    n, extra != NULL ? extra : "");
	if (body != NULL && !head_only)
		evbuffer_add_buffer(out, body);
	pc->pc_closing = 1;
	bufferevent_disable(pc->pc_bev, EV_READ);
}

static void
promhttp_error(struct phclient *pc, const char *status, const char *extra)
{
	struct evbuffer *out = bufferevent_get_output(pc->pc_bev);
	size_t n = strlen(status) + 1;

	evbuffer_add_printf(out, "HTTP/1.1 %s\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n"
	    "%s\r\n%s\n", status, n, extra != NULL ? extra : "", status);
	pc->pc_closing = 1;
	bufferevent_disable(pc->pc_bev, EV_READ);
}

/* "/metrics" or "/metrics?anything" (Prometheus may add params) */
static int
promhttp_path_ok(const char *target, size_t len)
{
	return len >= 8 && memcmp(target, "/metrics", 8) == 0 &&
	    (len == 8 || target[8] == '?');
}

int
promhttp_parse(const char *line, size_t len, int *head)
{
	const char *sp1, *sp2, *end = line + len;
	int is_head;

	*head = 0;
	if (memchr(line, '\0', len) != NULL ||
	    (sp1 = memchr(line, ' ', len)) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1))) == NULL ||
	    end - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    sp2[8] < '0' || sp2[8] > '9')
		return 400;
	is_head = sp1 - line == 4 && memcmp(line, "HEAD", 4) == 0;
	if (!is_head && !(sp1 - line == 3 && memcmp(line, "GET", 3) == 0))
		return 405;
	if (!promhttp_path_ok(sp1 + 1, (size_t)(sp2 - sp1 - 1)))
		return 404;
	*head = is_head;
	return 200;
}

static void
promhttp_request(struct phclient *pc, const char *line, size_t len)
{
	struct evbuffer *body;
	int head;

	switch (promhttp_parse(line, len, &head)) {
	case 200:
		break;
	case 404:
		promhttp_error(pc, "404 Not Found", NULL);
		return;
	case 405:
		promhttp_error(pc, "405 Method Not Allowed",
		    "Allow: GET, HEAD\r\n");
		return;
	default:
		promhttp_error(pc, "400 Bad Request", NULL);
		return;
	}
	if ((body = evbuffer_new()) == NULL) {
		promhttp_error(pc, "503 Service Unavailable", NULL);
		return;
	}
	pc->pc_ph->ph_fn(pc->pc_ph->ph_arg, body);
	promhttp_reply(pc, "200 OK", NULL, body, head);
	evbuffer_free(body);
}

/* Waits for the whole head (an empty line), bounded, then answers. */
static void
promhttp_read(struct bufferevent *bev, void *arg)
{
	struct phclient *pc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr end;
	char *line;
	size_t n;

	if (pc->pc_closing)
		return;
	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos == -1)
		end = evbuffer_search(in, "\n\n", 2, NULL);
	if (end.pos == -1) {
		if (evbuffer_get_length(in) > PROMHTTP_MAXHEAD)
			promhttp_error(pc, "431 Request Header Fields Too "
			    "Large", NULL);
		return;
	}
	if ((size_t)end.pos > PROMHTTP_MAXHEAD) {
		promhttp_error(pc, "431 Request Header Fields Too Large", NULL);
		return;
	}
	if ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) == NULL) {
		promhttp_error(pc, "400 Bad Request", NULL);
		return;
	}
	promhttp_request(pc, line, n);
	free(line);
}

static void
promhttp_write(struct bufferevent *bev, void *arg)
{
	struct phclient *pc = arg;

	if (pc->pc_closing)
		promhttp_client_free(pc);
}

/* EOF, error or timeout: the client goes, whatever it was owed. */
static void
promhttp_event(struct bufferevent *bev, short what, void *arg)
{
	promhttp_client_free(arg);
}

/* One too many: a 503 written without waiting, then closed. */
static void
promhttp_refuse(int fd)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\n"
	    "Connection: close\r\nRetry-After: 1\r\n\r\n"
	    "503 Service Unavailable\n";

	(void)send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

static void
promhttp_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct promhttp *ph = arg;
	struct phclient *pc;
	struct timeval tv = { PROMHTTP_TIMEOUT, 0 };

	if (ph->ph_nclients >= PROMHTTP_MAXCLIENTS) {
		promhttp_refuse(fd);
		return;
	}
	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		close(fd);
		return;
	}
	pc->pc_ph = ph;
	if ((pc->pc_bev = bufferevent_socket_new(ph->ph_base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		free(pc);
		close(fd);
		return;
	}
	LIST_INSERT_HEAD(&ph->ph_clients, pc, pc_entry);
	ph->ph_nclients++;
	bufferevent_setcb(pc->pc_bev, promhttp_read, promhttp_write,
	    promhttp_event, pc);
	/* a head that does not end within the bound is refused there */
	bufferevent_setwatermark(pc->pc_bev, EV_READ, 0, PROMHTTP_MAXHEAD + 1);
	bufferevent_set_timeouts(pc->pc_bev, &tv, &tv);
	bufferevent_enable(pc->pc_bev, EV_READ | EV_WRITE);
}

struct promhttp *
promhttp_open(struct event_base *base, const char *addr, promhttp_fn *fn,
    void *arg, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct promhttp *ph;
	socklen_t sslen;

	if (promhttp_addr(addr, &ss, &sslen, err, errlen) == -1)
		return NULL;
	if ((ph = calloc(1, sizeof(*ph))) == NULL) {
		snprintf(err, errlen, "%s: %s", addr, strerror(errno));
		return NULL;
	}
	ph->ph_base = base;
	ph->ph_fn = fn;
	ph->ph_arg = arg;
	LIST_INIT(&ph->ph_clients);
	ph->ph_lis = listener_open(base, promhttp_accept, ph,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    (struct sockaddr *)&ss, (int)sslen);
	if (ph->ph_lis == NULL) {
		snprintf(err, errlen, "%s: %s", addr, strerror(errno));
		free(ph);
		return NULL;
	}
	return ph;
}

void
promhttp_close(struct promhttp *ph)
{
	if (ph == NULL)
		return;
	while (!LIST_EMPTY(&ph->ph_clients))
		promhttp_client_free(LIST_FIRST(&ph->ph_clients));
	listener_close(ph->ph_lis);
	free(ph);
}
