/* SPDX-License-Identifier: ISC */
/* signals: a raised signal runs the callback in the loop; SIGPIPE ignored. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "signals.h"
#include "tap.h"

static int got[NSIG];

static void
cb(evutil_socket_t sig, short what, void *arg)
{
	got[sig]++;
	if (sig == SIGTERM)
		event_base_loopbreak(arg);
}

int
main(void)
{
	static const int sigs[] = { SIGTERM, SIGUSR1, SIGHUP, 0 };
	static const int many[SIGNALS_MAX + 2] = { SIGUSR1, SIGUSR1, SIGUSR1,
	    SIGUSR1, SIGUSR1, SIGUSR1, SIGUSR1, SIGUSR1, SIGUSR1, 0 };
	struct event_base *base;
	struct signals sg;
	struct sigaction sa;
	int fds[2];

	if ((base = event_base_new()) == NULL) {
		printf("Bail out! event_base_new\n");
		return 1;
	}
	ok(signals_set(&sg, base, sigs, cb, base) == 0, "three signals set");
	is_int(sg.sg_n, 3, "three events");
	raise(SIGUSR1);
	raise(SIGHUP);
	ok(got[SIGUSR1] == 0, "no handler runs outside the loop");
	raise(SIGTERM);
	event_base_dispatch(base);
	ok(got[SIGUSR1] == 1 && got[SIGHUP] == 1 && got[SIGTERM] == 1,
	    "each callback ran once in the loop");
	sigaction(SIGPIPE, NULL, &sa);
	ok(sa.sa_handler == SIG_IGN, "SIGPIPE ignored");
	if (pipe(fds) == -1) {
		printf("Bail out! pipe\n");
		return 1;
	}
	close(fds[0]);
	ok(write(fds[1], "x", 1) == -1, "a write to a closed pipe fails, "
	    "the process lives");
	close(fds[1]);
	signals_clear(&sg);
	is_int(sg.sg_n, 0, "cleared");
	ok(signals_set(&sg, base, many, cb, base) == -1 && sg.sg_n == 0,
	    "more than SIGNALS_MAX: refused, nothing left installed");
	event_base_free(base);
	done_testing();
}
