/* SPDX-License-Identifier: ISC */
/*
 * A daemon's signals, set up one way in every program (tmux's
 * proc_set_signals): each signal the program handles is a libevent signal
 * event calling one callback on its base, so a handler runs in the loop,
 * never between two instructions; SIGPIPE is ignored, so a write to a
 * closed peer is an EPIPE where the write is.
 */
#ifndef HT_SIGNALS_H
#define HT_SIGNALS_H

#include <event2/event.h>

#define SIGNALS_MAX	8

struct signals {
	struct event	*sg_ev[SIGNALS_MAX];
	int		 sg_n;
};

/* SIGPIPE ignored, from now on and in every child forked later. */
void	signals_ignore(void);

/*
 * signals_ignore(), then one event for each of sigs (0-terminated, at
 * most SIGNALS_MAX) calling cb(sig, EV_SIGNAL, arg) on base.  -1 when an
 * event cannot be made (out of memory): none is left installed.
 */
int	signals_set(struct signals *, struct event_base *, const int *sigs,
	    event_callback_fn cb, void *arg);

/* The events freed, the signals' default actions back (SIGPIPE stays). */
void	signals_clear(struct signals *);

#endif
