/* SPDX-License-Identifier: ISC */
/*
 * Event lines are worth nothing once their reader is gone: when stdout is a
 * pipe whose reader closes (vrrpd --track-fd died), stop at once rather than
 * at the next line written, or never if nothing changes again.
 */
#ifndef HT_OUTPIPE_H
#define HT_OUTPIPE_H

struct event_base;
struct event;

/*
 * If stdout is a pipe, returns an event that logs and exits 1 when its
 * reader goes away (NULL otherwise, or on error).  Free it with event_free().
 */
struct event *outpipe_watch(struct event_base *base);

#endif
