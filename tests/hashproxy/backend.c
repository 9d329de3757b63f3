/* SPDX-License-Identifier: ISC */
/*
 * A tiny HTTP backend for hashproxy's tests and benchmark: answers every
 * request on ADDR:PORT with "200 OK" and its NAME as the body, keep-alive
 * as the client asks.  STATUS answers that status instead (health
 * checks).  NAME "bulk:N" sends N zero bytes to every connection, no
 * HTTP, then closes (the benchmark's bulk transfer).
 *
 *	testbackend NAME ADDR PORT [STATUS]
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

struct tb {
	const char	*name;
	int		 status;
	unsigned long long bulk;	/* bytes per connection, 0 = HTTP */
};

#define TB_CHUNK	(256 * 1024)
static char tb_zero[TB_CHUNK];

struct tb_bulk {
	unsigned long long left;
};

static void tb_event(struct bufferevent *, short, void *);

static void
tb_written(struct bufferevent *bev, void *arg)
{
	bufferevent_free(bev);
}

static void
tb_read(struct bufferevent *bev, void *arg)
{
	struct tb *tb = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr end;
	char *req;
	size_t hl;
	int close_after;

	for (;;) {
		end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
		if (end.pos < 0) {
			if (evbuffer_get_length(in) > 65536)
				bufferevent_free(bev);
			return;
		}
		hl = (size_t)end.pos + 4;
		if ((req = malloc(hl + 1)) == NULL) {
			bufferevent_free(bev);
			return;
		}
		evbuffer_remove(in, req, hl);
		req[hl] = '\0';
		close_after = strstr(req, "HTTP/1.0") != NULL &&
		    strcasestr(req, "keep-alive") == NULL;
		if (strcasestr(req, "connection: close") != NULL)
			close_after = 1;
		free(req);
		evbuffer_add_printf(bufferevent_get_output(bev),
		    "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n"
		    "Connection: %s\r\n\r\n%s\n", tb->status,
		    strlen(tb->name) + 1, close_after ? "close" : "keep-alive",
		    tb->name);
		if (close_after) {
			bufferevent_disable(bev, EV_READ);
			bufferevent_setcb(bev, NULL, tb_written, tb_event,
			    NULL);
			return;
		}
	}
}

static void
tb_event(struct bufferevent *bev, short what, void *arg)
{
	bufferevent_free(bev);
}

/* Output drained: queue the next chunks by reference, or close. */
static void
tb_bulk_write(struct bufferevent *bev, void *arg)
{
	struct tb_bulk *b = arg;
	struct evbuffer *out = bufferevent_get_output(bev);
	int i;

	if (b->left == 0) {
		bufferevent_free(bev);
		free(b);
		return;
	}
	for (i = 0; i < 4 && b->left > 0; i++) {
		size_t n = b->left < TB_CHUNK ? (size_t)b->left : TB_CHUNK;

		evbuffer_add_reference(out, tb_zero, n, NULL, NULL);
		b->left -= n;
	}
}

static void
tb_bulk_event(struct bufferevent *bev, short what, void *arg)
{
	bufferevent_free(bev);
	free(arg);
}

static void
tb_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct bufferevent *bev;

	bev = bufferevent_socket_new(evconnlistener_get_base(l), fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		evutil_closesocket(fd);
		return;
	}
	if (((struct tb *)arg)->bulk > 0) {
		struct tb_bulk *b = malloc(sizeof(*b));

		if (b == NULL) {
			bufferevent_free(bev);
			return;
		}
		b->left = ((struct tb *)arg)->bulk;
		bufferevent_setcb(bev, NULL, tb_bulk_write, tb_bulk_event, b);
		bufferevent_enable(bev, EV_WRITE);
		tb_bulk_write(bev, b);
		return;
	}
	bufferevent_setcb(bev, tb_read, NULL, tb_event, arg);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int
main(int argc, char *argv[])
{
	struct event_base *base;
	struct evconnlistener *l;
	struct sockaddr_storage ss;
	int sslen = sizeof(ss);
	char spec[128];
	struct tb tb;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: testbackend NAME ADDR PORT [STATUS]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	tb.name = argv[1];
	tb.status = argc == 5 ? atoi(argv[4]) : 200;
	tb.bulk = strncmp(tb.name, "bulk:", 5) == 0 ?
	    strtoull(tb.name + 5, NULL, 10) : 0;
	/* IPv4 or IPv6 */
	snprintf(spec, sizeof(spec), strchr(argv[2], ':') ? "[%s]:%s" :
	    "%s:%s", argv[2], argv[3]);
	memset(&ss, 0, sizeof(ss));
	if (evutil_parse_sockaddr_port(spec, (struct sockaddr *)&ss,
	    &sslen) == -1) {
		fprintf(stderr, "testbackend: bad address %s\n", argv[2]);
		return 2;
	}
	if ((base = event_base_new()) == NULL)
		return 1;
	l = evconnlistener_new_bind(base, tb_accept, &tb,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
	    (struct sockaddr *)&ss, sslen);
	if (l == NULL) {
		perror("testbackend: bind");
		return 1;
	}
	event_base_dispatch(base);
	return 0;
}
