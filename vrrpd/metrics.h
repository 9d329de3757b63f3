/* SPDX-License-Identifier: ISC */
/* vrrpd's counters in the Prometheus text format (metrics.c). */
#ifndef VRRPD_METRICS_H
#define VRRPD_METRICS_H

#include <stdint.h>

struct evbuffer;
struct inst;
struct vrrpd;

/* runner request ids with this bit are notifies (but hook.c's, whose next
 * bit is set too: track.c asks hook_reply first), the others tracks */
#define METRICS_NOTIFY_BIT	0x80000000u

void		metrics_write(const struct vrrpd *, struct evbuffer *);
/* promhttp_fn: the same for --metrics */
void		metrics_http(void *vrrpd, struct evbuffer *);
uint32_t	metrics_notify_id(const struct inst *);
/* A notify ended (status: exit code or RUNNER_*): counted. */
void		metrics_notify_done(struct vrrpd *, uint32_t id, int status);

#endif
