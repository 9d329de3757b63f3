/* SPDX-License-Identifier: ISC */
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "hatools.h"
#include "log.h"
#include "outpipe.h"

/*
 * The write end of a pipe never becomes readable; epoll reports an error on
 * it when the reader closes, which wakes this EV_READ event.
 */
static void
outpipe_check(evutil_socket_t fd, short what, void *arg)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP))) {
		log_warnx("stdout: the reader of the event lines went away");
		exit(EXIT_RUNTIME);
	}
}

struct event *
outpipe_watch(struct event_base *base)
{
	struct event *ev;
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) == -1 || !S_ISFIFO(st.st_mode))
		return NULL;
	ev = event_new(base, STDOUT_FILENO, EV_READ | EV_PERSIST,
	    outpipe_check, NULL);
	if (ev != NULL && event_add(ev, NULL) == -1) {
		event_free(ev);
		ev = NULL;
	}
	return ev;
}
