/*
 * A tiny HTTP backend for hashproxy's tests and benchmark: answers every
 * request on ADDR:PORT with "200 OK" and its NAME as the body, keep-alive
 * as the client asks.  "--status N" answers N instead (health checks).
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
	bufferevent_setcb(bev, tb_read, NULL, tb_event, arg);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int
main(int argc, char *argv[])
{
	struct event_base *base;
	struct evconnlistener *l;
	struct sockaddr_in sin;
	struct tb tb;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: testbackend NAME ADDR PORT [STATUS]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	tb.name = argv[1];
	tb.status = argc == 5 ? atoi(argv[4]) : 200;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1) {
		fprintf(stderr, "testbackend: bad address %s\n", argv[2]);
		return 2;
	}
	if ((base = event_base_new()) == NULL)
		return 1;
	l = evconnlistener_new_bind(base, tb_accept, &tb,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (l == NULL) {
		perror("testbackend: bind");
		return 1;
	}
	event_base_dispatch(base);
	return 0;
}
