/* SPDX-License-Identifier: ISC */
#include <signal.h>
#include <string.h>

#include "signals.h"

void
signals_ignore(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

int
signals_set(struct signals *sg, struct event_base *base, const int *sigs,
    event_callback_fn cb, void *arg)
{
	struct event *ev;

	memset(sg, 0, sizeof(*sg));
	signals_ignore();
	for (; *sigs != 0; sigs++) {
		if (sg->sg_n == SIGNALS_MAX)
			goto fail;
		if ((ev = evsignal_new(base, *sigs, cb, arg)) == NULL)
			goto fail;
		sg->sg_ev[sg->sg_n++] = ev;
		if (evsignal_add(ev, NULL) == -1)
			goto fail;
	}
	return 0;
fail:
	signals_clear(sg);
	return -1;
}

void
signals_clear(struct signals *sg)
{
	int i;

	for (i = 0; i < sg->sg_n; i++)
		event_free(sg->sg_ev[i]);
	sg->sg_n = 0;
}
