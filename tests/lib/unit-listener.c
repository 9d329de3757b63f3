/* SPDX-License-Identifier: ISC */
/*
 * The listener's back-off: out of descriptors, a pending connection waits
 * out the pause (a second) instead of being retried at once, and is
 * taken once descriptors are back.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "listener.h"
#include "tap.h"

static struct event_base *base;
static int accepted;
static double accepted_at;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	accepted++;
	accepted_at = now();
	close(fd);
	event_base_loopbreak(base);
}

/* Runs the loop until a connection is taken or secs have passed. */
static void
run(double secs)
{
	struct timeval tv = { (time_t)secs,
	    (suseconds_t)((secs - (double)(time_t)secs) * 1e6) };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static int
dial(int fd, const struct sockaddr_un *sun)
{
	return connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
}

int
main(void)
{
	char dir[] = "/tmp/unit-listener.XXXXXX";
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct rlimit old, low;
	struct listener *l;
	int c1, c2, fill[64], nfill = 0, i;
	double t0;

	if (mkdtemp(dir) == NULL || (base = event_base_new()) == NULL) {
		perror("unit-listener");
		return 1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/sock", dir);
	l = listener_open(base, on_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
	    (struct sockaddr *)&sun, sizeof(sun));
	ok(l != NULL, "listener_open");
	if (l == NULL)
		return done_testing();

	c1 = socket(AF_UNIX, SOCK_STREAM, 0);
	c2 = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(dial(c1, &sun) == 0, "a first client connects");
	run(5);
	is_int(accepted, 1, "and is taken");

	/* every descriptor in use: the next accept meets EMFILE */
	getrlimit(RLIMIT_NOFILE, &old);
	low = old;
	low.rlim_cur = (rlim_t)c2 + 1 + 32;
	setrlimit(RLIMIT_NOFILE, &low);
	while (nfill < 64 && (fill[nfill] = dup(0)) != -1)
		nfill++;
	ok(nfill < 64 && errno == EMFILE, "descriptors exhausted (%d more)",
	    nfill);
	t0 = now();
	ok(dial(c2, &sun) == 0, "a second client connects");
	run(0.3);
	is_int(accepted, 1, "not taken without a descriptor");
	for (i = 0; i < nfill; i++)
		close(fill[i]);
	setrlimit(RLIMIT_NOFILE, &old);
	run(5);
	is_int(accepted, 2, "taken once descriptors are back");
	/* a listener that retried at once would take it at about 0.3 s */
	ok(accepted_at - t0 >= 0.9, "only after the pause: %.2f s after the "
	    "connect", accepted_at - t0);

	listener_close(l);
	close(c1);
	close(c2);
	unlink(sun.sun_path);
	rmdir(dir);
	event_base_free(base);
	return done_testing();
}
